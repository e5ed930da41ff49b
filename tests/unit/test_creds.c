#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "awsenv.h"
#include "sesctl/aws/creds.h"

/* ---- the fake credential server (tests/unit/fake_aws_creds.py) ---- */

struct fake {
	pid_t pid;
	char url[64];
	char script[160];
	char log[160];
};

static void fake_start(struct fake *f, const struct awsenv *a, const char *script_json)
{
	const char *root = getenv("SESCTL_ROOT");
	char prog[512], line[32];
	int pfd[2];
	FILE *in;

	memset(f, 0, sizeof(*f));
	snprintf(prog, sizeof(prog), "%s/tests/unit/fake_aws_creds.py", root ? root : ".");
	snprintf(f->script, sizeof(f->script), "%s/fake-script.json", a->home);
	snprintf(f->log, sizeof(f->log), "%s/fake-log.jsonl", a->home);
	awsenv_write(f->script, script_json);
	awsenv_write(f->log, "");
	if (pipe(pfd) != 0)
		abort();
	f->pid = fork();
	if (f->pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execlp("python3", "python3", prog, f->script, f->log, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	if (!in || !fgets(line, sizeof(line), in))
		fail_msg("fake_aws_creds.py did not start (%s)", prog);
	fclose(in);
	snprintf(f->url, sizeof(f->url), "http://127.0.0.1:%d", atoi(line));
}

static void fake_stop(struct fake *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
	}
	f->pid = 0;
}

/* The requests the server saw (caller cJSON_Delete()s). */
static cJSON *fake_requests(const struct fake *f)
{
	cJSON *arr = cJSON_CreateArray();
	char line[16384];
	FILE *in = fopen(f->log, "r");

	while (in && fgets(line, sizeof(line), in))
		cJSON_AddItemToArray(arr, cJSON_Parse(line));
	if (in)
		fclose(in);
	return arr;
}

static const char *jstr(const cJSON *o, const char *path1, const char *path2)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, path1);

	if (path2)
		v = cJSON_GetObjectItemCaseSensitive(v, path2);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* ---- fixtures ---- */

static int setup(void **state)
{
	struct awsenv *a = calloc(1, sizeof(*a));

	awsenv_setup(a);
	/* never reach for 169.254.169.254: IMDS tests point it at the fake instead */
	setenv("AWS_EC2_METADATA_DISABLED", "true", 1);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	awsenv_teardown(*state);
	free(*state);
	return 0;
}

static void load_ctx(const char *profile, struct aws_profile_ctx *ctx)
{
	struct aws_options opt = {profile, NULL, NULL};
	struct sc_error err;

	if (aws_profile_ctx_load(&opt, ctx, &err) != SC_OK)
		fail_msg("ctx: %s", err.message);
}

/* Resolve once; returns the status, fills c and err. */
static enum sc_status resolve(const char *profile, struct aws_credentials *c, struct sc_error *err)
{
	struct aws_profile_ctx ctx;
	enum sc_status st;

	load_ctx(profile, &ctx);
	sc_error_clear(err);
	st = aws_creds_resolve(&ctx, NULL, time(NULL), c, err);
	aws_profile_ctx_free(&ctx);
	return st;
}

static void expect_ok(const char *profile, const char *ak, const char *source)
{
	struct aws_credentials c;
	struct sc_error err;

	if (resolve(profile, &c, &err) != SC_OK)
		fail_msg("resolve: %s", err.message);
	assert_string_equal(c.access_key, ak);
	assert_string_equal(c.source, source);
	aws_credentials_free(&c);
}

/* True when msg holds a secret-looking test value: SECRET... or ...TOKEN... not part of a
 * variable name such as AWS_SECRET_ACCESS_KEY. */
static int has_secret(const char *msg)
{
	static const char *const marks[] = {"SECRET", "TOKEN", "secret-", "token-"};

	for (size_t i = 0; i < 4; i++) {
		for (const char *p = strstr(msg, marks[i]); p; p = strstr(p + 1, marks[i])) {
			char after = p[strlen(marks[i])];

			if ((p == msg || p[-1] != '_') && after != '_')
				return 1;
		}
	}
	return 0;
}

static void expect_fail(const char *profile, enum sc_status want, const char *needle)
{
	struct aws_credentials c;
	struct sc_error err;
	enum sc_status st = resolve(profile, &c, &err);

	if (st != want)
		fail_msg("status %s, want %s (%s)", sc_status_name(st), sc_status_name(want),
		         err.message);
	if (!strstr(err.message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	/* no secret of any test ever appears in a message */
	if (has_secret(err.message))
		fail_msg("a secret in \"%s\"", err.message);
}

/* ---- environment and files ---- */

static void test_env_keys(void **state)
{
	struct aws_credentials c;
	struct sc_error err;

	(void)state;
	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
	setenv("AWS_SESSION_TOKEN", "TOKENENV", 1);
	assert_int_equal(resolve(NULL, &c, &err), SC_OK);
	assert_string_equal(c.access_key, "AKIAENV");
	assert_string_equal(c.secret_key, "SECRETENV");
	assert_string_equal(c.session_token, "TOKENENV");
	assert_string_equal(c.source, "env");
	assert_int_equal(c.expiration, 0);
	aws_credentials_free(&c);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2001-02-03T04:05:06Z", 1);
	expect_fail(NULL, SC_AUTH, "credentials from env expired at 2001-02-03T04:05:06Z");
	setenv("AWS_CREDENTIAL_EXPIRATION", "2999-01-01T00:00:00Z", 1);
	assert_int_equal(resolve(NULL, &c, &err), SC_OK);
	assert_int_equal(c.expiration, 32472144000);
	aws_credentials_free(&c);
	unsetenv("AWS_SECRET_ACCESS_KEY");
	expect_fail(NULL, SC_AUTH, "AWS_ACCESS_KEY_ID is set but AWS_SECRET_ACCESS_KEY is not");
}

static void test_profile_option_skips_env(void **state)
{
	struct awsenv *a = *state;

	awsenv_write(a->credentials,
	             "[default]\naws_access_key_id = AKIADEFAULT\n"
	             "aws_secret_access_key = SECRETD\n"
	             "[prod]\naws_access_key_id = AKIAPROD\naws_secret_access_key = SECRETP\n");
	setenv("AWS_ACCESS_KEY_ID", "AKIAENV", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETENV", 1);
	/* AWS_PROFILE does not beat env keys ... */
	setenv("AWS_PROFILE", "prod", 1);
	expect_ok(NULL, "AKIAENV", "env");
	/* ... an explicit --profile does */
	expect_ok("prod", "AKIAPROD", "profile prod (credentials file)");
	unsetenv("AWS_ACCESS_KEY_ID");
	unsetenv("AWS_SECRET_ACCESS_KEY");
	expect_ok(NULL, "AKIAPROD", "profile prod (credentials file)");
	unsetenv("AWS_PROFILE");
	expect_ok(NULL, "AKIADEFAULT", "profile default (credentials file)");
}

static void test_file_precedence(void **state)
{
	struct awsenv *a = *state;
	char proc[200], cfg[600];

	awsenv_script(a, "proc.sh",
	              "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIAPROC\", "
	              "\"SecretAccessKey\": \"SECRETPROC\"}'\n",
	              proc, sizeof(proc));
	snprintf(cfg, sizeof(cfg),
	         "[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = SECRETC\n"
	         "credential_process = %s\n",
	         proc);
	awsenv_write(a->config, cfg);
	awsenv_write(a->credentials, "[default]\naws_access_key_id = AKIACRED\n"
	                             "aws_secret_access_key = SECRETCR\n");
	/* credentials file > credential_process > config file */
	expect_ok(NULL, "AKIACRED", "profile default (credentials file)");
	awsenv_write(a->credentials, "");
	expect_ok(NULL, "AKIAPROC", "profile default (credential_process)");
	snprintf(cfg, sizeof(cfg),
	         "[default]\naws_access_key_id = AKIACONFIG\naws_secret_access_key = SECRETC\n");
	awsenv_write(a->config, cfg);
	expect_ok(NULL, "AKIACONFIG", "profile default (config file)");
	awsenv_write(a->credentials, "[default]\naws_secret_access_key = SECRETONLY\n");
	expect_fail(NULL, SC_AUTH, "has aws_secret_access_key but no aws_access_key_id");
}

static void test_nothing_found(void **state)
{
	struct awsenv *a = *state;
	char want[600];

	expect_fail(NULL, SC_AUTH,
	            "no AWS credentials found; tried environment variables (not set)");
	snprintf(want, sizeof(want),
	         "profile default (no keys, role, SSO or credential_process in %s or %s)",
	         a->config, a->credentials);
	expect_fail(NULL, SC_AUTH, want);
	expect_fail(NULL, SC_AUTH, "container credentials (not configured)");
	expect_fail(NULL, SC_AUTH, "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
	awsenv_write(a->config, "[profile empty]\nregion = eu-west-1\n");
	expect_fail("empty", SC_AUTH, "environment variables (skipped: --profile was given)");
}

/* ---- credential_process ---- */

static void write_process_profile(const struct awsenv *a, const char *script, const char *args)
{
	char proc[200], cfg[600];

	awsenv_script(a, "proc.sh", script, proc, sizeof(proc));
	snprintf(cfg, sizeof(cfg), "[profile p]\ncredential_process = %s %s\n", proc, args);
	awsenv_write(a->config, cfg);
}

static void test_process_ok(void **state)
{
	struct awsenv *a = *state;
	struct aws_credentials c;
	struct sc_error err;

	write_process_profile(
	    a,
	    "#!/bin/sh\n"
	    "printf '{\"Version\": 1, \"AccessKeyId\": \"%s|%s|%s\", \"SecretAccessKey\": "
	    "\"SECRETP\", \"SessionToken\": \"TOKENP\", "
	    "\"Expiration\": \"2999-01-01T00:00:00Z\"}' \"$1\" \"$2\" \"$3\"\n",
	    "\"two words\" 'single $q' back\\ slash");
	if (resolve("p", &c, &err) != SC_OK)
		fail_msg("%s", err.message);
	assert_string_equal(c.access_key, "two words|single $q|back slash");
	assert_string_equal(c.secret_key, "SECRETP");
	assert_string_equal(c.session_token, "TOKENP");
	assert_int_equal(c.expiration, 32472144000);
	assert_string_equal(c.source, "profile p (credential_process)");
	aws_credentials_free(&c);
}

static void test_process_failures(void **state)
{
	struct awsenv *a = *state;

	write_process_profile(a,
	                      "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
	                      "\"SecretAccessKey\": \"SECRETLEAK\"}'\n"
	                      "echo 'token expired, run login' >&2\nexit 3\n",
	                      "");
	expect_fail(
	    "p", SC_AUTH,
	    "credential_process of profile p exited with status 3: token expired, run login");
	write_process_profile(a, "#!/bin/sh\necho 'this is not json SECRETGARBAGE'\n", "");
	expect_fail("p", SC_AUTH,
	            "credential_process of profile p printed something that is not a JSON object");
	write_process_profile(a,
	                      "#!/bin/sh\necho '{\"Version\": 2, \"AccessKeyId\": \"AKIA\", "
	                      "\"SecretAccessKey\": \"SECRETV2\"}'\n",
	                      "");
	expect_fail("p", SC_AUTH, "must print \"Version\": 1");
	write_process_profile(
	    a,
	    "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
	    "\"SecretAccessKey\": \"SECRETOLD\", \"Expiration\": \"2020-05-06T07:08:09Z\"}'\n",
	    "");
	expect_fail(
	    "p", SC_AUTH,
	    "credentials from profile p (credential_process) expired at 2020-05-06T07:08:09Z");
	write_process_profile(a, "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIA\"}'\n",
	                      "");
	expect_fail("p", SC_AUTH, "returned no SecretAccessKey");
	write_process_profile(a,
	                      "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
	                      "\"SecretAccessKey\": \"SECRETX\", \"Expiration\": \"soon\"}'\n",
	                      "");
	expect_fail("p", SC_AUTH, "returned an Expiration that is not an ISO 8601 time");
	write_process_profile(a, "#!/bin/sh\nexit 1\n", "");
	expect_fail("p", SC_AUTH, "exited with status 1 and printed nothing on stderr");
	write_process_profile(a, "#!/bin/sh\nkill -9 $$\n", "");
	expect_fail("p", SC_AUTH, "was killed by signal 9");
	awsenv_write(a->config, "[profile p]\ncredential_process = /nonexistent/helper --x\n");
	expect_fail("p", SC_AUTH, "cannot run /nonexistent/helper: No such file or directory");
	awsenv_write(a->config, "[profile p]\ncredential_process = helper 'unterminated\n");
	expect_fail("p", SC_CONFIG, "credential_process of profile p has an unterminated quote");
}

static void test_split_command(void **state)
{
	struct sc_error err;
	char **argv;

	(void)state;
	argv = aws_split_command("  a  'b c' \"d \\\"e\\\" $f\" g\\ h 'i'j\"k\" ", "cmd", &err);
	assert_non_null(argv);
	assert_string_equal(argv[0], "a");
	assert_string_equal(argv[1], "b c");
	assert_string_equal(argv[2], "d \"e\" $f");
	assert_string_equal(argv[3], "g h");
	assert_string_equal(argv[4], "ijk");
	assert_null(argv[5]);
	aws_argv_free(argv);
	argv = aws_split_command("''", "cmd", &err);
	assert_non_null(argv);
	assert_string_equal(argv[0], "");
	aws_argv_free(argv);
	assert_null(aws_split_command("   ", "cmd", &err));
	assert_string_equal(err.message, "cmd is empty");
	assert_null(aws_split_command("a \"b", "cmd", &err));
	assert_int_equal(err.status, SC_CONFIG);
}

/* The helper runs with stdin on /dev/null and none of our descriptors. The script asks
 * whether the descriptor still is our /dev/null, not whether the number is open: under a
 * moved clock libfaketime, preloaded into the shell too, may open a file of its own that
 * takes the freed number (CI's year-boundary run saw "leaked"). */
static void test_process_isolation(void **state)
{
	struct awsenv *a = *state;
	struct aws_credentials c;
	struct sc_error err;
	char args[32], want[64];
	int fd = open("/dev/null", O_RDONLY); /* deliberately without O_CLOEXEC */

	assert_true(fd > 2);
	snprintf(args, sizeof(args), "%d", fd);
	write_process_profile(a,
	                      "#!/bin/sh\n"
	                      "if [ \"$(readlink /proc/self/fd/$1)\" = /dev/null ]; then f=leaked;"
	                      " else f=closed; fi\n"
	                      "i=$(readlink /proc/self/fd/0)\n"
	                      "printf '{\"Version\": 1, \"AccessKeyId\": \"%s %s\", "
	                      "\"SecretAccessKey\": \"s\"}' \"$f\" \"$i\"\n",
	                      args);
	if (resolve("p", &c, &err) != SC_OK)
		fail_msg("%s", err.message);
	snprintf(want, sizeof(want), "closed /dev/null");
	assert_string_equal(c.access_key, want);
	aws_credentials_free(&c);
	close(fd);
}

/* ---- the caching provider ---- */

static time_t fake_now;
static time_t fake_clock(void)
{
	return fake_now;
}

/* A credential_process that counts its runs and fails once "fail" exists in HOME. */
static const char counting_process[] =
    "#!/bin/sh\n"
    "d=$(dirname \"$0\")\n"
    "echo run >> \"$d/runs\"\n"
    "if [ -e \"$d/fail\" ]; then echo 'refresh refused' >&2; exit 1; fi\n"
    "n=$(wc -l < \"$d/runs\")\n"
    "echo \"{\\\"Version\\\": 1, \\\"AccessKeyId\\\": \\\"AKIARUN$n\\\", "
    "\\\"SecretAccessKey\\\": \\\"SECRETRUN\\\", \\\"SessionToken\\\": \\\"TOKENRUN\\\", "
    "\\\"Expiration\\\": \\\"2030-01-01T00:00:00Z\\\"}\"\n";

#define EXPIRY_2030 1893456000

static void provider_expect(struct aws_creds_provider *p, time_t now, const char *ak)
{
	const struct aws_credentials *c;
	struct sc_error err;

	fake_now = now;
	if (aws_creds_provider_get(p, &c, &err) != SC_OK)
		fail_msg("get: %s", err.message);
	assert_string_equal(c->access_key, ak);
}

static void test_provider_refresh(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct aws_creds_options opt = {0};
	struct aws_creds_provider *p;
	const struct aws_credentials *c;
	struct aws_signing_creds sc;
	struct sc_error err;
	aws_creds_fn fn = aws_creds_provider_fn;
	char flag[160];

	write_process_profile(a, counting_process, "");
	load_ctx("p", &ctx);
	opt.ctx = &ctx;
	opt.clock = fake_clock;
	p = aws_creds_provider_new(&opt);
	assert_string_equal(aws_creds_provider_source(p), "");
	/* an hour left: cached */
	provider_expect(p, EXPIRY_2030 - 3600, "AKIARUN1");
	provider_expect(p, EXPIRY_2030 - 3000, "AKIARUN1");
	assert_string_equal(aws_creds_provider_source(p), "profile p (credential_process)");
	/* inside the advisory window: refreshed */
	provider_expect(p, EXPIRY_2030 - 14 * 60, "AKIARUN2");
	/* advisory refresh that fails keeps the old credentials */
	snprintf(flag, sizeof(flag), "%s/fail", a->home);
	awsenv_write(flag, "");
	provider_expect(p, EXPIRY_2030 - 12 * 60, "AKIARUN2");
	/* mandatory refresh that fails is an error, with the process's reason */
	fake_now = EXPIRY_2030 - 5 * 60;
	assert_int_equal(aws_creds_provider_get(p, &c, &err), SC_AUTH);
	assert_non_null(strstr(err.message, "refresh refused"));
	assert_int_equal(fn(p, &sc, &err), SC_AUTH);
	/* once it works again, the callback hands out the new keys */
	unlink(flag);
	assert_int_equal(fn(p, &sc, &err), SC_OK);
	assert_string_equal(sc.access_key, "AKIARUN6");
	assert_string_equal(sc.secret_key, "SECRETRUN");
	assert_string_equal(sc.session_token, "TOKENRUN");
	aws_creds_provider_invalidate(p);
	provider_expect(p, EXPIRY_2030 - 5 * 60, "AKIARUN7");
	aws_creds_provider_free(p);
	aws_profile_ctx_free(&ctx);
}

static void test_provider_static_cached(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct aws_creds_options opt = {0};
	struct aws_creds_provider *p;

	awsenv_write(a->credentials,
	             "[default]\naws_access_key_id = AKIAONE\naws_secret_access_key = SECRETONE\n");
	load_ctx(NULL, &ctx);
	opt.ctx = &ctx;
	opt.clock = fake_clock;
	p = aws_creds_provider_new(&opt);
	provider_expect(p, 1000, "AKIAONE");
	/* keys without an expiry are not re-read */
	awsenv_write(a->credentials, "");
	provider_expect(p, 999999999, "AKIAONE");
	aws_creds_provider_free(p);
	aws_profile_ctx_free(&ctx);
}

/* ---- STS: assume-role and web identity ---- */

static const char sts_script[] =
    "{\"sts\": {\"keys\": {\"AKIABASE\": \"SECRETBASE\", \"AKIAENVSRC\": \"SECRETENVSRC\"},"
    " \"roles\": {\"arn:aws:iam::111:role/a\": \"ASIAA\", \"arn:aws:iam::111:role/b\": \"ASIAB\","
    "            \"arn:aws:iam::111:role/web\": \"ASIAWEB\"},"
    " \"web_token\": \"jwt-TOKEN-value\", \"expires_in\": 3600}}";

static void test_assume_role(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	struct aws_credentials c;
	struct sc_error err;
	cJSON *reqs;
	const cJSON *r;

	fake_start(&f, a, sts_script);
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	awsenv_write(a->credentials,
	             "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = SECRETBASE\n");
	awsenv_write(
	    a->config,
	    "[profile ra]\nrole_arn = arn:aws:iam::111:role/a\nsource_profile = base\n"
	    "external_id = ext-42\nrole_session_name = ops-session\nduration_seconds = 1800\n"
	    "region = eu-west-1\n");
	assert_int_equal(resolve("ra", &c, &err), SC_OK);
	assert_string_equal(c.access_key, "ASIAA0001");
	assert_string_equal(c.secret_key, "secret-ASIAA0001");
	assert_string_equal(c.session_token, "token-ASIAA0001");
	assert_string_equal(c.source, "profile ra (assume-role arn:aws:iam::111:role/a)");
	assert_true(c.expiration > time(NULL) + 3000 && c.expiration < time(NULL) + 4000);
	aws_credentials_free(&c);
	reqs = fake_requests(&f);
	assert_int_equal(cJSON_GetArraySize(reqs), 1);
	r = cJSON_GetArrayItem(reqs, 0);
	assert_string_equal(jstr(r, "signed_with", NULL), "AKIABASE");
	assert_string_equal(jstr(r, "verdict", NULL), "ok");
	assert_non_null(strstr(jstr(r, "headers", "authorization"), "/eu-west-1/sts/aws4_request"));
	assert_string_equal(jstr(r, "form", "RoleArn"), "arn:aws:iam::111:role/a");
	assert_string_equal(jstr(r, "form", "ExternalId"), "ext-42");
	assert_string_equal(jstr(r, "form", "RoleSessionName"), "ops-session");
	assert_string_equal(jstr(r, "form", "DurationSeconds"), "1800");
	assert_string_equal(jstr(r, "form", "Version"), "2011-06-15");
	cJSON_Delete(reqs);
	/* an endpoint with a path prefix is signed with that path */
	{
		char url[128];

		snprintf(url, sizeof(url), "%s/sts-prefix", f.url);
		setenv("AWS_ENDPOINT_URL_STS", url, 1);
	}
	expect_ok("ra", "ASIAA0002", "profile ra (assume-role arn:aws:iam::111:role/a)");
	reqs = fake_requests(&f);
	r = cJSON_GetArrayItem(reqs, 1);
	assert_string_equal(jstr(r, "path", NULL), "/sts-prefix/");
	assert_string_equal(jstr(r, "verdict", NULL), "ok");
	cJSON_Delete(reqs);
	/* --endpoint-url is the command's service endpoint, never STS's */
	{
		struct aws_options opt = {"ra", NULL, "http://127.0.0.1:1"};
		struct aws_profile_ctx ctx;

		assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
		if (aws_creds_resolve(&ctx, NULL, time(NULL), &c, &err) != SC_OK)
			fail_msg("%s", err.message);
		assert_string_equal(c.access_key, "ASIAA0003");
		aws_credentials_free(&c);
		aws_profile_ctx_free(&ctx);
	}
	fake_stop(&f);
}

static void test_role_chain_and_errors(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	struct aws_credentials c;
	struct sc_error err;
	cJSON *reqs;

	fake_start(&f, a, sts_script);
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	awsenv_write(
	    a->credentials,
	    "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = SECRETBASE\n"
	    "[badkey]\naws_access_key_id = AKIAUNKNOWN\naws_secret_access_key = SECRETUNK\n");
	awsenv_write(
	    a->config,
	    "[profile a]\nrole_arn = arn:aws:iam::111:role/a\nsource_profile = base\n"
	    "[profile b]\nrole_arn = arn:aws:iam::111:role/b\nsource_profile = a\n"
	    "[profile loop1]\nrole_arn = arn:aws:iam::111:role/a\nsource_profile = loop2\n"
	    "[profile loop2]\nrole_arn = arn:aws:iam::111:role/b\nsource_profile = loop1\n"
	    "[profile denied]\nrole_arn = arn:aws:iam::111:role/nope\nsource_profile = base\n"
	    "[profile unknownkey]\nrole_arn = arn:aws:iam::111:role/a\nsource_profile = badkey\n"
	    "[profile both]\nrole_arn = x\nsource_profile = base\ncredential_source = Environment\n"
	    "[profile neither]\nrole_arn = x\n"
	    "[profile ghost]\nrole_arn = x\nsource_profile = nobody\n"
	    "[profile mfa]\nrole_arn = x\nsource_profile = base\nmfa_serial = arn:mfa\n"
	    "[profile baddur]\nrole_arn = x\nsource_profile = base\nduration_seconds = 60\n"
	    "[profile fromenv]\nrole_arn = arn:aws:iam::111:role/b\ncredential_source = "
	    "Environment\n"
	    "[profile badsrc]\nrole_arn = x\ncredential_source = Laptop\n");
	/* b is assumed with the keys role a handed out */
	assert_int_equal(resolve("b", &c, &err), SC_OK);
	assert_string_equal(c.access_key, "ASIAB0002");
	aws_credentials_free(&c);
	reqs = fake_requests(&f);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 0), "signed_with", NULL), "AKIABASE");
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 1), "signed_with", NULL), "ASIAA0001");
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 1), "verdict", NULL), "ok");
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 1), "headers", "x-amz-security-token"),
	                    "token-ASIAA0001");
	cJSON_Delete(reqs);
	expect_fail("loop1", SC_CONFIG, "the source_profile chain loops: loop1 -> loop2 -> loop1");
	expect_fail("denied", SC_AUTH,
	            "AssumeRole for arn:aws:iam::111:role/nope failed: AccessDenied");
	expect_fail("unknownkey", SC_AUTH, "failed: SignatureDoesNotMatch");
	expect_fail("both", SC_CONFIG, "sets both source_profile and credential_source");
	expect_fail("neither", SC_CONFIG,
	            "has role_arn but neither source_profile nor credential_source");
	expect_fail("ghost", SC_CONFIG, "source_profile nobody of profile ghost does not exist");
	expect_fail("mfa", SC_AUTH, "needs an MFA code");
	expect_fail("baddur", SC_CONFIG, "duration_seconds in profile baddur");
	expect_fail("badsrc", SC_CONFIG, "credential_source in profile badsrc must be");
	expect_fail("fromenv", SC_AUTH,
	            "credential_source Environment of profile fromenv found no credentials");
	/* credential_source = Environment uses env keys even under an explicit --profile */
	setenv("AWS_ACCESS_KEY_ID", "AKIAENVSRC", 1);
	setenv("AWS_SECRET_ACCESS_KEY", "SECRETENVSRC", 1);
	expect_ok("fromenv", "ASIAB0003", "profile fromenv (assume-role arn:aws:iam::111:role/b)");
	fake_stop(&f);
	/* STS unreachable: a network error naming the call */
	expect_fail("a", SC_NETWORK, "AssumeRole for arn:aws:iam::111:role/a");
}

static int fake_count(const struct fake *f)
{
	cJSON *reqs = fake_requests(f);
	int n = cJSON_GetArraySize(reqs);

	cJSON_Delete(reqs);
	return n;
}

/* STS is retried on 5xx and throttling, up to max_attempts, and not on other errors. */
static void test_sts_retries(void **state)
{
	struct awsenv *a = *state;
	struct fake f;

	awsenv_write(a->credentials,
	             "[base]\naws_access_key_id = AKIABASE\naws_secret_access_key = SECRETBASE\n");
	awsenv_write(
	    a->config,
	    "[profile ra]\nrole_arn = arn:aws:iam::111:role/a\nsource_profile = base\n"
	    "[profile denied]\nrole_arn = arn:aws:iam::111:role/nope\nsource_profile = base\n");
	fake_start(&f, a,
	           "{\"sts\": {\"keys\": {\"AKIABASE\": \"SECRETBASE\"}, \"roles\": "
	           "{\"arn:aws:iam::111:role/a\": \"ASIAA\"}, \"fail_first\": 2}}");
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	expect_ok("ra", "ASIAA0001", "profile ra (assume-role arn:aws:iam::111:role/a)");
	assert_int_equal(fake_count(&f), 3);
	fake_stop(&f);

	fake_start(
	    &f, a,
	    "{\"sts\": {\"keys\": {\"AKIABASE\": \"SECRETBASE\"}, \"roles\": "
	    "{\"arn:aws:iam::111:role/a\": \"ASIAA\"}, \"fail_first\": 1, \"fail_status\": 400}}");
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	expect_ok("ra", "ASIAA0001", "profile ra (assume-role arn:aws:iam::111:role/a)");
	assert_int_equal(fake_count(&f), 2);
	expect_fail("denied", SC_AUTH, "failed: AccessDenied");
	assert_int_equal(fake_count(&f), 3);
	fake_stop(&f);

	fake_start(&f, a,
	           "{\"sts\": {\"keys\": {\"AKIABASE\": \"SECRETBASE\"}, \"roles\": "
	           "{\"arn:aws:iam::111:role/a\": \"ASIAA\"}, \"fail_first\": 9}}");
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	expect_fail("ra", SC_ERR,
	            "AssumeRole for arn:aws:iam::111:role/a failed: ServiceUnavailable");
	assert_int_equal(fake_count(&f), 2);
	fake_stop(&f);
}

static void test_web_identity(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	char tok[160];
	cJSON *reqs;
	const cJSON *r;

	fake_start(&f, a, sts_script);
	setenv("AWS_ENDPOINT_URL_STS", f.url, 1);
	snprintf(tok, sizeof(tok), "%s/token", a->home);
	awsenv_write(tok, "jwt-TOKEN-value\n");
	setenv("AWS_WEB_IDENTITY_TOKEN_FILE", tok, 1);
	setenv("AWS_ROLE_ARN", "arn:aws:iam::111:role/web", 1);
	setenv("AWS_ROLE_SESSION_NAME", "pod-7", 1);
	expect_ok(NULL, "ASIAWEB0001", "profile default (web identity arn:aws:iam::111:role/web)");
	reqs = fake_requests(&f);
	r = cJSON_GetArrayItem(reqs, 0);
	assert_null(jstr(r, "headers", "authorization"));
	assert_string_equal(jstr(r, "form", "Action"), "AssumeRoleWithWebIdentity");
	assert_string_equal(jstr(r, "form", "RoleSessionName"), "pod-7");
	cJSON_Delete(reqs);
	awsenv_write(tok, "wrong-TOKEN\n");
	expect_fail(NULL, SC_AUTH, "failed: InvalidIdentityToken");
	unlink(tok);
	expect_fail(NULL, SC_AUTH, "cannot read the token file");
	/* the same from the profile */
	unsetenv("AWS_WEB_IDENTITY_TOKEN_FILE");
	unsetenv("AWS_ROLE_ARN");
	awsenv_write(tok, "jwt-TOKEN-value");
	{
		char cfg[400];

		snprintf(cfg, sizeof(cfg),
		         "[profile w]\nrole_arn = arn:aws:iam::111:role/web\n"
		         "web_identity_token_file = %s\n",
		         tok);
		awsenv_write(a->config, cfg);
	}
	expect_ok("w", "ASIAWEB0002", "profile w (web identity arn:aws:iam::111:role/web)");
	fake_stop(&f);
}

/* ---- SSO ---- */

static void sso_cache_file(const struct awsenv *a, const char *key, const char *json)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;
	char path[400], dir[300];
	size_t len;

	snprintf(dir, sizeof(dir), "%s/.aws", a->home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/.aws/sso", a->home);
	mkdir(dir, 0700);
	snprintf(dir, sizeof(dir), "%s/.aws/sso/cache", a->home);
	mkdir(dir, 0700);
	EVP_Digest(key, strlen(key), md, &n, EVP_sha1(), NULL);
	len = (size_t)snprintf(path, sizeof(path), "%s/", dir);
	for (unsigned int i = 0; i < n; i++)
		len += (size_t)snprintf(path + len, sizeof(path) - len, "%02x", md[i]);
	snprintf(path + len, sizeof(path) - len, ".json");
	awsenv_write(path, json);
}

static void test_sso(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	struct aws_credentials c;
	struct sc_error err;
	cJSON *reqs;

	fake_start(&f, a,
	           "{\"sso\": {\"token\": \"sso-TOKEN\", \"account\": \"123456789012\","
	           " \"role\": \"Admin\", \"prefix\": \"ASIASSO\"}}");
	setenv("AWS_ENDPOINT_URL_SSO", f.url, 1);
	awsenv_write(
	    a->config,
	    "[profile s]\nsso_session = corp\nsso_account_id = 123456789012\n"
	    "sso_role_name = Admin\n"
	    "[sso-session corp]\nsso_start_url = https://corp.awsapps.com/start\n"
	    "sso_region = eu-central-1\n"
	    "[profile legacy]\nsso_start_url = https://old.awsapps.com/start\n"
	    "sso_region = us-east-1\nsso_account_id = 123456789012\nsso_role_name = Admin\n"
	    "[profile nosess]\nsso_session = missing\n");
	expect_fail("s", SC_AUTH, "run aws sso login --profile s");
	sso_cache_file(a, "corp",
	               "{\"accessToken\": \"sso-TOKEN\", \"expiresAt\": \"2999-01-01T00:00:00Z\"}");
	assert_int_equal(resolve("s", &c, &err), SC_OK);
	assert_string_equal(c.access_key, "ASIASSO0001");
	assert_string_equal(c.source, "profile s (sso Admin)");
	assert_true(c.expiration > time(NULL) + 3000 && c.expiration < time(NULL) + 4000);
	aws_credentials_free(&c);
	reqs = fake_requests(&f);
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 0), "path", NULL),
	                    "/federation/credentials?account_id=123456789012&role_name=Admin");
	assert_string_equal(jstr(cJSON_GetArrayItem(reqs, 0), "headers", "x-amz-sso_bearer_token"),
	                    "sso-TOKEN");
	cJSON_Delete(reqs);
	/* legacy profiles hash the start URL; an old "UTC" timestamp still parses */
	sso_cache_file(
	    a, "https://old.awsapps.com/start",
	    "{\"accessToken\": \"sso-TOKEN\", \"expiresAt\": \"2999-01-01T00:00:00UTC\"}");
	expect_ok("legacy", "ASIASSO0002", "profile legacy (sso Admin)");
	sso_cache_file(a, "corp",
	               "{\"accessToken\": \"sso-TOKEN\", \"expiresAt\": \"2001-01-01T00:00:00Z\"}");
	expect_fail("s", SC_AUTH,
	            "the SSO token for profile s expired at 2001-01-01T00:00:00Z: run aws sso "
	            "login --profile s");
	sso_cache_file(
	    a, "corp",
	    "{\"accessToken\": \"stale-TOKEN\", \"expiresAt\": \"2999-01-01T00:00:00Z\"}");
	expect_fail("s", SC_AUTH,
	            "refused the cached token (HTTP 401): run aws sso login --profile s");
	expect_fail("nosess", SC_CONFIG, "has no [sso-session missing]");
	fake_stop(&f);
}

/* ---- container and IMDS ---- */

static void test_container(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	char url[200], tokfile[160];
	char *u;

	setenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI", "/v2/credentials/abc", 1);
	u = aws_container_url();
	assert_string_equal(u, "http://169.254.170.2/v2/credentials/abc");
	free(u);
	unsetenv("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", "http://10.1.2.3/creds", 1);
	expect_fail(NULL, SC_CONFIG, "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https://");

	fake_start(&f, a,
	           "{\"ecs\": {\"path\": \"/creds\", \"auth\": \"Bearer ecs-TOKEN\", \"prefix\": "
	           "\"ASIAECS\"}}");
	snprintf(url, sizeof(url), "%s/creds", f.url);
	setenv("AWS_CONTAINER_CREDENTIALS_FULL_URI", url, 1);
	expect_fail(NULL, SC_AUTH, "the container credentials endpoint answered HTTP 403");
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer ecs-TOKEN", 1);
	expect_ok(NULL, "ASIAECS0001", "container");
	/* the token file wins over the variable */
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN", "Bearer wrong", 1);
	snprintf(tokfile, sizeof(tokfile), "%s/ecs-token", a->home);
	awsenv_write(tokfile, "Bearer ecs-TOKEN\n");
	setenv("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE", tokfile, 1);
	expect_ok(NULL, "ASIAECS0002", "container");
	fake_stop(&f);
}

static void test_imds(void **state)
{
	struct awsenv *a = *state;
	struct fake f;
	cJSON *reqs;
	const cJSON *r;
	char dead[64];
	int port;

	unsetenv("AWS_EC2_METADATA_DISABLED");
	fake_start(&f, a, "{\"imds\": {\"role\": \"web-role\", \"prefix\": \"ASIAIMDS\"}}");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f.url, 1);
	expect_ok(NULL, "ASIAIMDS0001", "imds (role web-role)");
	reqs = fake_requests(&f);
	assert_int_equal(cJSON_GetArraySize(reqs), 3);
	r = cJSON_GetArrayItem(reqs, 0);
	assert_string_equal(jstr(r, "method", NULL), "PUT");
	assert_string_equal(jstr(r, "headers", "x-aws-ec2-metadata-token-ttl-seconds"), "21600");
	r = cJSON_GetArrayItem(reqs, 2);
	assert_string_equal(jstr(r, "path", NULL),
	                    "/latest/meta-data/iam/security-credentials/web-role");
	assert_string_equal(jstr(r, "headers", "x-aws-ec2-metadata-token"), "imds-session-token");
	cJSON_Delete(reqs);
	fake_stop(&f);

	/* IMDSv1 only: falls back to plain GETs unless v1 is disabled */
	fake_start(&f, a,
	           "{\"imds\": {\"v1_only\": true, \"role\": \"r1\", \"prefix\": \"ASIAV1\"}}");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f.url, 1);
	expect_ok(NULL, "ASIAV10001", "imds (role r1)");
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	expect_fail(NULL, SC_AUTH, "EC2 instance metadata (no answer from");
	fake_stop(&f);

	/* a broken or stale answer is an error, not "no credentials" */
	fake_start(&f, a, "{\"imds\": {\"role\": \"r2\", \"status\": 500}}");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f.url, 1);
	unsetenv("AWS_EC2_METADATA_V1_DISABLED");
	expect_fail(NULL, SC_AUTH, "EC2 instance metadata gave no usable credentials for role r2");
	fake_stop(&f);
	fake_start(&f, a, "{\"imds\": {\"role\": \"r3\", \"expires_in\": -120}}");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f.url, 1);
	expect_fail(NULL, SC_AUTH, "credentials from imds (role r3) expired at");
	fake_stop(&f);

	/* nothing listening: "not on EC2", listed in the message */
	port = 0;
	{
		struct fake tmp;

		fake_start(&tmp, a, "{}");
		port = atoi(strrchr(tmp.url, ':') + 1);
		fake_stop(&tmp);
	}
	snprintf(dead, sizeof(dead), "http://127.0.0.1:%d/", port);
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", dead, 1);
	snprintf(dead, sizeof(dead), "no answer from http://127.0.0.1:%d)", port);
	expect_fail(NULL, SC_AUTH, dead);
}

static void test_imds_negative_remembered(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct aws_creds_options opt = {0};
	struct aws_creds_provider *p;
	const struct aws_credentials *c;
	struct sc_error err;
	struct fake f;

	unsetenv("AWS_EC2_METADATA_DISABLED");
	fake_start(&f, a, "{\"imds\": {\"v1_only\": true}}");
	setenv("AWS_EC2_METADATA_SERVICE_ENDPOINT", f.url, 1);
	setenv("AWS_EC2_METADATA_V1_DISABLED", "true", 1);
	load_ctx(NULL, &ctx);
	opt.ctx = &ctx;
	p = aws_creds_provider_new(&opt);
	assert_int_equal(aws_creds_provider_get(p, &c, &err), SC_AUTH);
	assert_int_equal(aws_creds_provider_get(p, &c, &err), SC_AUTH);
	assert_non_null(strstr(err.message, "no answer earlier from"));
	{
		cJSON *reqs = fake_requests(&f);

		/* one token PUT: the second get did not ask again */
		assert_int_equal(cJSON_GetArraySize(reqs), 1);
		cJSON_Delete(reqs);
	}
	aws_creds_provider_free(p);
	aws_profile_ctx_free(&ctx);
	fake_stop(&f);
}

/* Every failure that has a secret within reach: none may show it. */
static void test_no_secret_in_messages(void **state)
{
	static const char leak[] = "wJalrXUtnFEMIK7MDENGbPxRfiCYzEXAMPLEKEY";
	struct awsenv *a = *state;
	struct aws_credentials c;
	struct sc_error err;
	char text[600], path[200];
	struct aws_profile_ctx ctx;
	struct aws_options opt = {"p", NULL, NULL};

	/* a malformed credentials line holding the secret */
	snprintf(text, sizeof(text), "[p]\naws_secret_access_key %s\n", leak);
	awsenv_write(a->credentials, text);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_CONFIG);
	assert_null(strstr(err.message, leak));
	/* a secret without a key id */
	snprintf(text, sizeof(text), "[p]\naws_secret_access_key = %s\n", leak);
	awsenv_write(a->credentials, text);
	assert_int_equal(resolve("p", &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
	awsenv_write(a->credentials, "");
	/* credential_process: the secret on stdout, then a failure of each kind */
	snprintf(text, sizeof(text),
	         "#!/bin/sh\necho '{\"Version\": 1, \"AccessKeyId\": \"AKIA\", "
	         "\"SecretAccessKey\": \"%s\"}'\nexit 2\n",
	         leak);
	awsenv_script(a, "leak.sh", text, path, sizeof(path));
	snprintf(text, sizeof(text), "[profile p]\ncredential_process = %s\n", path);
	awsenv_write(a->config, text);
	assert_int_equal(resolve("p", &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
	snprintf(text, sizeof(text),
	         "#!/bin/sh\necho '{\"Version\": 7, \"AccessKeyId\": \"AKIA\", "
	         "\"SecretAccessKey\": \"%s\"}'\n",
	         leak);
	awsenv_script(a, "leak.sh", text, path, sizeof(path));
	assert_int_equal(resolve("p", &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
	snprintf(text, sizeof(text), "#!/bin/sh\necho '%s not json'\n", leak);
	awsenv_script(a, "leak.sh", text, path, sizeof(path));
	assert_int_equal(resolve("p", &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
	/* env: the secret alone */
	awsenv_write(a->config, "");
	setenv("AWS_SECRET_ACCESS_KEY", leak, 1);
	assert_int_equal(resolve(NULL, &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
	/* expired env credentials */
	setenv("AWS_ACCESS_KEY_ID", "AKIA", 1);
	setenv("AWS_SESSION_TOKEN", leak, 1);
	setenv("AWS_CREDENTIAL_EXPIRATION", "2000-01-01T00:00:00Z", 1);
	assert_int_equal(resolve(NULL, &c, &err), SC_AUTH);
	assert_null(strstr(err.message, leak));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_env_keys, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_profile_option_skips_env, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_nothing_found, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_process_ok, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_process_failures, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_split_command, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_process_isolation, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_provider_refresh, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_provider_static_cached, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_assume_role, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_role_chain_and_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sts_retries, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_web_identity, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_sso, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_container, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_imds, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_imds_negative_remembered, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_no_secret_in_messages, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

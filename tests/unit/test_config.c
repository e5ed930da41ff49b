#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "awsenv.h"
#include "sesctl/aws/config.h"
#include "sesctl/util/buf.h"

static int setup(void **state)
{
	struct awsenv *a = calloc(1, sizeof(*a));

	awsenv_setup(a);
	*state = a;
	return 0;
}

static int teardown(void **state)
{
	awsenv_teardown(*state);
	free(*state);
	return 0;
}

static const char config_text[] =
    "# a comment\n"
    "; another\n"
    "[default]\n"
    "region = eu-west-1\n"
    "\n"
    "[profile dev]   # trailing note\n"
    "region=us-east-2\n"
    "services = local\n"
    "credential_process = /bin/helper --flag \"a b\" # not a comment\n"
    "s3 =\n"
    "  max_concurrent_requests = 20\n"
    "  addressing_style: path\n"
    "[sso-session corp]\n"
    "sso_start_url = https://corp.awsapps.com/start\n"
    "sso_region = eu-central-1\n"
    "[services local]\n"
    "sesv2 =\n"
    "\tendpoint_url = http://127.0.0.1:4566\n"
    "sts =\n"
    "  endpoint_url = http://127.0.0.1:4567\n"
    "[plain]\n"
    "region = ignored-in-config\n"
    "[profile   dev]\n"
    "output = json\n"
    "region = us-west-2\n";

static void test_parse_config(void **state)
{
	struct aws_ini ini;
	struct sc_error err;
	const struct aws_ini_section *s;

	(void)state;
	assert_int_equal(aws_ini_parse(config_text, strlen(config_text), "cfg", true, &ini, &err),
	                 SC_OK);
	s = aws_ini_profile(&ini, "default");
	assert_non_null(s);
	assert_string_equal(aws_ini_get(s, "region"), "eu-west-1");
	s = aws_ini_profile(&ini, "dev");
	assert_non_null(s);
	/* "[profile   dev]" is another spelling of the same profile: merged, later values win */
	assert_string_equal(aws_ini_get(s, "region"), "us-west-2");
	assert_string_equal(aws_ini_get(s, "output"), "json");
	assert_string_equal(aws_ini_get(s, "credential_process"),
	                    "/bin/helper --flag \"a b\" # not a comment");
	assert_string_equal(aws_ini_get(s, "s3"), "");
	assert_string_equal(aws_ini_get_sub(s, "s3", "max_concurrent_requests"), "20");
	assert_string_equal(aws_ini_get_sub(s, "s3", "addressing_style"), "path");
	assert_null(aws_ini_get_sub(s, "s3", "missing"));
	s = aws_ini_section(&ini, AWS_INI_SSO_SESSION, "corp");
	assert_string_equal(aws_ini_get(s, "sso_region"), "eu-central-1");
	s = aws_ini_section(&ini, AWS_INI_SERVICES, "local");
	assert_string_equal(aws_ini_get_sub(s, "sesv2", "endpoint_url"), "http://127.0.0.1:4566");
	assert_string_equal(aws_ini_get_sub(s, "sts", "endpoint_url"), "http://127.0.0.1:4567");
	/* "[plain]" is not a profile in the config file */
	assert_null(aws_ini_profile(&ini, "plain"));
	assert_null(aws_ini_profile(&ini, "local"));
	aws_ini_free(&ini);
}

static void test_parse_credentials(void **state)
{
	static const char text[] = "[default]\r\n"
	                           "aws_access_key_id = AKIDEFAULT\r\n"
	                           "[profile odd]\n"
	                           "aws_access_key_id = AKIODD\n"
	                           "[prod]\n"
	                           "aws_secret_access_key = multi\n"
	                           "  line\n";
	struct aws_ini ini;
	struct sc_error err;

	(void)state;
	assert_int_equal(aws_ini_parse(text, strlen(text), "creds", false, &ini, &err), SC_OK);
	assert_string_equal(aws_ini_get(aws_ini_profile(&ini, "default"), "aws_access_key_id"),
	                    "AKIDEFAULT");
	/* in the credentials file the section name is the profile name, prefix and all */
	assert_non_null(aws_ini_profile(&ini, "profile odd"));
	assert_null(aws_ini_profile(&ini, "odd"));
	assert_string_equal(aws_ini_get(aws_ini_profile(&ini, "prod"), "aws_secret_access_key"),
	                    "multi\nline");
	aws_ini_free(&ini);
}

static void expect_error(const char *text, const char *needle)
{
	struct aws_ini ini;
	struct sc_error err;

	sc_error_clear(&err);
	assert_int_equal(aws_ini_parse(text, strlen(text), "/x/config", true, &ini, &err),
	                 SC_CONFIG);
	if (!strstr(err.message, needle))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, needle);
	assert_int_equal(ini.n_sections, 0);
}

static void test_malformed(void **state)
{
	(void)state;
	expect_error("[default]\nregion = x\nthis line is wrong\n", "/x/config:3: expected");
	expect_error("region = x\n", "/x/config:1: a property before any [section]");
	expect_error("\n\n[profile x\n", "/x/config:3: section header without a closing");
	expect_error("[default]\n[]\n", "/x/config:2: empty section name");
	expect_error("[default] junk\n", "/x/config:1: unexpected text after");
	expect_error("[default]\n  key = v\n", "/x/config:2: indented line without a property");
	expect_error("[default]\ns3 =\n  no equals here\n", "/x/config:3: expected an indented");
	expect_error("[default]\n= value\n", "/x/config:2: expected");
	/* what configparser (and so the AWS CLI) refuses */
	expect_error("[default]\na = 1\n[profile x]\n[default]\n",
	             "/x/config:4: section [default] appears again (first at line 1)");
	expect_error("[default]\nregion = a\nx = 1\nregion = b\n",
	             "/x/config:4: a key repeats one of line 2 in the same section");
}

static void test_malformed_never_quotes_line(void **state)
{
	static const char text[] = "[default]\naws_secret_access_key wJalrXUtnFEMISECRETKEY\n";
	struct aws_ini ini;
	struct sc_error err;

	(void)state;
	assert_int_equal(aws_ini_parse(text, strlen(text), "c", false, &ini, &err), SC_CONFIG);
	assert_null(strstr(err.message, "wJalr"));
	assert_non_null(strstr(err.message, "c:2:"));
}

static void test_load_missing_and_unreadable(void **state)
{
	struct awsenv *a = *state;
	struct aws_ini ini;
	struct sc_error err;
	char dir[160];

	assert_int_equal(aws_ini_load(a->config, true, &ini, &err), SC_OK);
	assert_false(ini.exists);
	assert_int_equal(ini.n_sections, 0);
	aws_ini_free(&ini);
	snprintf(dir, sizeof(dir), "%s/adir", a->home);
	mkdir(dir, 0700);
	assert_int_equal(aws_ini_load(dir, true, &ini, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, dir));
	awsenv_write(a->config, "[default]\nregion = eu-west-3\n");
	assert_int_equal(aws_ini_load(a->config, true, &ini, &err), SC_OK);
	assert_true(ini.exists);
	assert_string_equal(aws_ini_get(aws_ini_profile(&ini, "default"), "region"), "eu-west-3");
	aws_ini_free(&ini);
}

/* 120,000 sections in under 1 MiB (issue 19): parsed in linear time. It took 40 s when
 * every header was compared with every earlier one; the figure is printed, not asserted
 * (no wall-clock limits in tests): what is asserted is that the index finds the right
 * entries, including a repeat at the very end. */
static void test_many_sections(void **state)
{
	enum { N = 120000 };
	const struct aws_ini_section *s;
	struct buf text = BUF_INIT;
	struct timespec t0, t1;
	struct aws_ini ini;
	struct sc_error err;

	(void)state;
	for (int i = 0; i < N; i++)
		buf_printf(&text, "[%x]\nk = %d\n", i, i);
	clock_gettime(CLOCK_MONOTONIC, &t0);
	assert_int_equal(aws_ini_parse(buf_str(&text), text.len, "big", false, &ini, &err), SC_OK);
	clock_gettime(CLOCK_MONOTONIC, &t1);
	print_message("%d sections (%zu bytes) parsed in %.3f s\n", N, text.len,
		      (double)(t1.tv_sec - t0.tv_sec) + (t1.tv_nsec - t0.tv_nsec) / 1e9);
	assert_int_equal(ini.n_sections, N);
	s = aws_ini_profile(&ini, "1d4bf");
	assert_non_null(s);
	assert_string_equal(aws_ini_get(s, "k"), "119999");
	aws_ini_free(&ini);
	buf_puts(&text, "[1]\n"); /* the second section, again */
	assert_int_equal(aws_ini_parse(buf_str(&text), text.len, "big", false, &ini, &err),
			 SC_CONFIG);
	assert_non_null(strstr(err.message, "section [1] appears again (first at line 3)"));
	buf_free(&text);
}

static void test_ctx_defaults(void **state)
{
	struct aws_profile_ctx ctx;
	struct sc_error err;
	const char *region;

	(void)state;
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	assert_string_equal(ctx.profile, "default");
	assert_string_equal(ctx.profile_source, "default");
	assert_false(ctx.profile_explicit);
	assert_null(ctx.region);
	assert_int_equal(ctx.max_attempts, 3);
	assert_string_equal(ctx.retry_mode, "standard");
	assert_null(ctx.ca_bundle);
	assert_int_equal(aws_profile_region(&ctx, &region, &err), SC_CONFIG);
	assert_string_equal(err.message,
	                    "no region: set --region, AWS_REGION or region in profile default");
	aws_profile_ctx_free(&ctx);
}

static void test_ctx_malformed_file(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct sc_error err;
	char want[200];

	awsenv_write(a->credentials, "[default]\n\n\naws_access_key_id\n");
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_CONFIG);
	snprintf(want, sizeof(want), "%s:4: ", a->credentials);
	assert_non_null(strstr(err.message, want));
}

static void test_profile_selection(void **state)
{
	struct awsenv *a = *state;
	struct aws_options opt = {0};
	struct aws_profile_ctx ctx;
	struct sc_error err;

	awsenv_write(a->config,
	             "[profile fromenv]\nregion = r-env\n[profile cli]\nregion = r-cli\n");
	awsenv_write(a->credentials, "[credonly]\naws_access_key_id = AKIA\n");
	setenv("AWS_PROFILE", "fromenv", 1);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.profile, "fromenv");
	assert_string_equal(ctx.profile_source, "AWS_PROFILE");
	assert_false(ctx.profile_explicit);
	assert_string_equal(ctx.region, "r-env");
	assert_string_equal(ctx.region_source, "profile fromenv (config file)");
	aws_profile_ctx_free(&ctx);

	opt.profile = "cli";
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.profile, "cli");
	assert_string_equal(ctx.profile_source, "--profile");
	assert_true(ctx.profile_explicit);
	assert_string_equal(ctx.region, "r-cli");
	aws_profile_ctx_free(&ctx);

	/* a profile that exists only in the credentials file is fine */
	opt.profile = "credonly";
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	aws_profile_ctx_free(&ctx);

	opt.profile = "nosuch";
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "profile nosuch (from --profile) is not in"));
	assert_non_null(strstr(err.message, a->config));
	opt.profile = NULL;
	setenv("AWS_PROFILE", "ghost", 1);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "profile ghost (from AWS_PROFILE)"));
}

static void test_region_precedence(void **state)
{
	struct awsenv *a = *state;
	struct aws_options opt = {0};
	struct aws_profile_ctx ctx;
	struct sc_error err;

	awsenv_write(a->config, "[default]\nregion = from-config\n");
	awsenv_write(a->credentials, "[default]\nregion = from-credentials\n");
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-credentials");
	assert_string_equal(ctx.region_source, "profile default (credentials file)");
	aws_profile_ctx_free(&ctx);
	awsenv_write(a->credentials, "");
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-config");
	aws_profile_ctx_free(&ctx);
	setenv("AWS_DEFAULT_REGION", "from-default-region", 1);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-default-region");
	assert_string_equal(ctx.region_source, "AWS_DEFAULT_REGION");
	aws_profile_ctx_free(&ctx);
	setenv("AWS_REGION", "from-region", 1);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-region");
	assert_string_equal(ctx.region_source, "AWS_REGION");
	aws_profile_ctx_free(&ctx);
	opt.region = "from-option";
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-option");
	assert_string_equal(ctx.region_source, "--region");
	aws_profile_ctx_free(&ctx);
	/* an empty variable counts as unset */
	opt.region = NULL;
	setenv("AWS_REGION", "", 1);
	assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
	assert_string_equal(ctx.region, "from-default-region");
	aws_profile_ctx_free(&ctx);
}

static void test_settings(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct sc_error err;
	char bundle[160], cfg[400];

	snprintf(bundle, sizeof(bundle), "%s/ca.pem", a->home);
	awsenv_write(bundle, "not really a pem\n");
	snprintf(cfg, sizeof(cfg),
	         "[default]\nmax_attempts = 7\nretry_mode = legacy\nca_bundle = ~/ca.pem\n");
	awsenv_write(a->config, cfg);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	assert_int_equal(ctx.max_attempts, 7);
	assert_string_equal(ctx.max_attempts_source,
	                    "max_attempts in profile default (config file)");
	assert_string_equal(ctx.retry_mode, "legacy");
	assert_string_equal(ctx.ca_bundle, bundle);
	aws_profile_ctx_free(&ctx);

	setenv("AWS_MAX_ATTEMPTS", "2", 1);
	setenv("AWS_RETRY_MODE", "adaptive", 1);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	assert_int_equal(ctx.max_attempts, 2);
	assert_string_equal(ctx.max_attempts_source, "AWS_MAX_ATTEMPTS");
	assert_string_equal(ctx.retry_mode, "adaptive");
	aws_profile_ctx_free(&ctx);

	setenv("AWS_MAX_ATTEMPTS", "0", 1);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "max_attempts from AWS_MAX_ATTEMPTS"));
	setenv("AWS_MAX_ATTEMPTS", "3x", 1);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_CONFIG);
	unsetenv("AWS_MAX_ATTEMPTS");
	setenv("AWS_RETRY_MODE", "fast", 1);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "retry_mode from AWS_RETRY_MODE"));
	unsetenv("AWS_RETRY_MODE");
	setenv("AWS_CA_BUNDLE", "/nonexistent/ca.pem", 1);
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "ca_bundle /nonexistent/ca.pem (from AWS_CA_BUNDLE)"));
}

static void test_file_locations(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct sc_error err;
	char dir[160], path[200];

	unsetenv("AWS_CONFIG_FILE");
	unsetenv("AWS_SHARED_CREDENTIALS_FILE");
	snprintf(dir, sizeof(dir), "%s/.aws", a->home);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/config", dir);
	awsenv_write(path, "[default]\nregion = home-region\n");
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	assert_string_equal(ctx.config_path, path);
	assert_string_equal(ctx.region, "home-region");
	aws_profile_ctx_free(&ctx);
}

static void test_profile_names(void **state)
{
	struct awsenv *a = *state;
	struct aws_profile_ctx ctx;
	struct sc_error err;
	char **names;
	size_t n;

	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	aws_profile_names(&ctx, &names, &n);
	assert_int_equal(n, 0);
	aws_profile_names_free(names, n);
	aws_profile_ctx_free(&ctx);
	awsenv_write(a->config, "[default]\n[profile prod-admin]\n[profile prod-oncall]\n"
	                        "[sso-session corp]\n[services local]\n[stray]\n");
	awsenv_write(a->credentials, "[prod-admin]\n[default]\n[ci]\n");
	assert_int_equal(aws_profile_ctx_load(NULL, &ctx, &err), SC_OK);
	aws_profile_names(&ctx, &names, &n);
	assert_int_equal(n, 4);
	assert_string_equal(names[0], "ci");
	assert_string_equal(names[1], "default");
	assert_string_equal(names[2], "prod-admin");
	assert_string_equal(names[3], "prod-oncall");
	aws_profile_names_free(names, n);
	aws_profile_ctx_free(&ctx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_parse_config, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_parse_credentials, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_malformed_never_quotes_line, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_load_missing_and_unreadable, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_many_sections, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ctx_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ctx_malformed_file, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_profile_selection, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_region_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_settings, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_file_locations, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_profile_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

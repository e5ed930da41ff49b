/*
 * Cross-check of aws/config, aws/creds and aws/endpoint against botocore (the AWS CLI's
 * engine): the same files and environment must give the same region, access key, kind of
 * credential source and sesv2 endpoint, or an error on both sides.
 * Oracle: tests/unit/config_botocore.py. Skipped (and said so) without python3/botocore.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>

#include "awsenv.h"
#include "sesctl/aws/creds.h"
#include "sesctl/aws/endpoint.h"

struct xcase {
	const char *config; /* "%P" is replaced by the path of proc.sh */
	const char *credentials;
	const char *env[6];  /* "NAME=value" */
	const char *profile; /* --profile */
	const char *proc;    /* body of proc.sh, or NULL */
};

#define PROC_KEYS                                                                                  \
	"#!/bin/sh\nprintf '{\"Version\": 1, \"AccessKeyId\": \"%s-%s\", \"SecretAccessKey\": "    \
	"\"s\"}' \"$1\" \"$2\"\n"

static const struct xcase cases[] = {
    {"[default]\nregion = eu-west-1\n",
     "[default]\naws_access_key_id = AKIAC0\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[profile dev]\nregion = us-west-2\n",
     "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n",
     {"AWS_PROFILE=dev", "AWS_ACCESS_KEY_ID=AKIAENV", "AWS_SECRET_ACCESS_KEY=s", NULL},
     NULL,
     NULL},
    {"[profile dev]\nregion = us-west-2\n",
     "[dev]\naws_access_key_id = AKIADEV\naws_secret_access_key = s\n",
     {"AWS_ACCESS_KEY_ID=AKIAENV", "AWS_SECRET_ACCESS_KEY=s", NULL},
     "dev",
     NULL},
    {"# comment\n; other\n[profile cfg]\nregion: "
     "ap-south-1\naws_access_key_id=AKIACFG\naws_secret_access_key =s\n",
     "",
     {NULL},
     "cfg",
     NULL},
    {"[profile both]\nregion = eu-north-1\naws_access_key_id = AKIACONFIG\naws_secret_access_key = "
     "s\n",
     "[both]\naws_access_key_id = AKIACREDS\naws_secret_access_key = s\n",
     {NULL},
     "both",
     NULL},
    {"[profile proc]\nregion = eu-west-3\ncredential_process = %P \"two words\" 'x y'\n",
     "",
     {NULL},
     "proc",
     PROC_KEYS},
    {"[default]\nregion = eu-west-1\nservices = local\n[services local]\nsesv2 =\n  endpoint_url = "
     "http://127.0.0.1:4566\n",
     "[default]\naws_access_key_id = AKIA6\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\nendpoint_url = https://profile.example.com\n",
     "[default]\naws_access_key_id = AKIA7\naws_secret_access_key = s\n",
     {"AWS_ENDPOINT_URL=https://env.example.com", NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\nendpoint_url = https://profile.example.com\n",
     "[default]\naws_access_key_id = AKIA8\naws_secret_access_key = s\n",
     {"AWS_ENDPOINT_URL_SESV2=https://v2.example.com", "AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true",
      NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\n",
     "[default]\naws_access_key_id = AKIA9\naws_secret_access_key = s\n",
     {"AWS_DEFAULT_REGION=sa-east-1", NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\n",
     "[default]\nregion = ca-central-1\naws_access_key_id = AKIA10\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[profile default]\nregion = me-south-1\n",
     "[default]\naws_access_key_id = AKIA11\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\n",
     "[default]\naws_access_key_id = AKIA12\naws_secret_access_key = s\n",
     {"AWS_PROFILE=ghost", NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\n[profile x]\nregion = us-east-2\n[profile x]\nregion = "
     "us-west-1\n",
     "[x]\naws_access_key_id = AKIA13\naws_secret_access_key = s\n",
     {NULL},
     "x",
     NULL},
    {"[profile x]\nregion = us-east-2\nregion = us-west-1\n",
     "[x]\naws_access_key_id = AKIA16\naws_secret_access_key = s\n",
     {NULL},
     "x",
     NULL},
    {"[profile x]\nregion = us-east-2\n[profile  x]\nregion = us-west-1\n",
     "[x]\naws_access_key_id = AKIA17\naws_secret_access_key = s\n",
     {NULL},
     "x",
     NULL},
    {"[default]\nregion = eu-west-1\nsesv2 =\n  endpoint_url = http://127.0.0.1:9999\n",
     "[default]\naws_access_key_id = AKIA18\n  continued\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[profile a]\nregion = eu-west-1\n[profile b]\nregion = eu-west-2\n",
     "[a]\naws_access_key_id = AKIA19A\naws_secret_access_key = s\n[b]\naws_access_key_id = "
     "AKIA19B\naws_secret_access_key = s\n",
     {"AWS_PROFILE=a", "AWS_DEFAULT_PROFILE=b", NULL},
     NULL,
     NULL},
    {"[profile \"my team\"]\nregion = eu-west-1\n",
     "[my team]\naws_access_key_id = AKIA20\naws_secret_access_key = s\n",
     {NULL},
     "my team",
     NULL},
    {"[default]\nregion = eu-west-1 # a note\n",
     "[default]\naws_access_key_id = AKIA21\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[default]\nregion = us-west-2\n",
     "[default]\naws_access_key_id = AKIA22\naws_secret_access_key = s\n",
     {"AWS_USE_FIPS_ENDPOINT=true", NULL},
     NULL,
     NULL},
    {"[default]\nregion = us-east-1\nuse_fips_endpoint = true\n",
     "[default]\naws_access_key_id = AKIA23\naws_secret_access_key = s\n",
     {NULL},
     NULL,
     NULL},
    {"[default]\nregion = eu-west-1\nservices = local\n[services local]\nsesv2 =\n  endpoint_url = "
     "http://127.0.0.1:4566\n",
     "[default]\naws_access_key_id = AKIA14\naws_secret_access_key = s\n",
     {"AWS_ENDPOINT_URL_SESV2=https://v2.example.com", NULL},
     NULL,
     NULL},
    {"[profile np]\nregion = eu-west-1\naws_access_key_id = AKIA15\naws_secret_access_key = s\n",
     "[profile np]\naws_access_key_id = AKIAIGNORED\naws_secret_access_key = s\n",
     {NULL},
     "np",
     NULL},
};

#define N_CASES (sizeof(cases) / sizeof(cases[0]))

static void case_dir(const struct awsenv *a, size_t i, const char *name, char *out, size_t len)
{
	snprintf(out, len, "%s/case%zu%s%s", a->home, i, name ? "/" : "", name ? name : "");
}

/* Write the case's files; add its environment to env (a cJSON object). */
static void write_case(const struct awsenv *a, size_t i, cJSON *env)
{
	const struct xcase *c = &cases[i];
	char dir[200], cfg[260], creds[260], proc[260], text[2048];
	const char *at;

	case_dir(a, i, NULL, dir, sizeof(dir));
	mkdir(dir, 0700);
	case_dir(a, i, "config", cfg, sizeof(cfg));
	case_dir(a, i, "credentials", creds, sizeof(creds));
	case_dir(a, i, "proc.sh", proc, sizeof(proc));
	if (c->proc) {
		awsenv_write(proc, c->proc);
		chmod(proc, 0700);
	}
	at = strstr(c->config, "%P");
	if (at)
		snprintf(text, sizeof(text), "%.*s%s%s", (int)(at - c->config), c->config, proc,
		         at + 2);
	else
		snprintf(text, sizeof(text), "%s", c->config);
	awsenv_write(cfg, text);
	awsenv_write(creds, c->credentials);
	cJSON_AddStringToObject(env, "AWS_CONFIG_FILE", cfg);
	cJSON_AddStringToObject(env, "AWS_SHARED_CREDENTIALS_FILE", creds);
	cJSON_AddStringToObject(env, "AWS_EC2_METADATA_DISABLED", "true");
	for (size_t k = 0; c->env[k]; k++) {
		const char *eq = strchr(c->env[k], '=');
		char name[64];

		snprintf(name, sizeof(name), "%.*s", (int)(eq - c->env[k]), c->env[k]);
		cJSON_AddStringToObject(env, name, eq + 1);
	}
}

static const char *method_of(const char *source)
{
	if (strcmp(source, "env") == 0)
		return "env";
	if (strstr(source, "(credentials file)"))
		return "shared-credentials-file";
	if (strstr(source, "(config file)"))
		return "config-file";
	if (strstr(source, "(credential_process)"))
		return "custom-process";
	return source;
}

/* What sesctl makes of the case, in the oracle's JSON shape. */
static cJSON *ours(size_t i, const cJSON *env)
{
	struct aws_options opt = {cases[i].profile, NULL, NULL};
	struct aws_profile_ctx ctx;
	struct aws_credentials cr = {0};
	struct aws_endpoint ep;
	struct sc_error err;
	cJSON *o = cJSON_CreateObject();
	const cJSON *e;

	awsenv_clear_aws_vars();
	cJSON_ArrayForEach(e, env) setenv(e->string, e->valuestring, 1);
	if (aws_profile_ctx_load(&opt, &ctx, &err) != SC_OK) {
		cJSON_AddStringToObject(o, "error", err.message);
		return o;
	}
	if (aws_creds_resolve(&ctx, NULL, time(NULL), &cr, &err) != SC_OK ||
	    aws_endpoint_resolve(&ctx, "sesv2", ctx.region ? ctx.region : "us-east-1", &ep, &err) !=
	        SC_OK) {
		cJSON_AddStringToObject(o, "error", err.message);
	} else {
		cJSON_AddStringToObject(o, "region", ctx.region ? ctx.region : "");
		cJSON_AddStringToObject(o, "access_key", cr.access_key);
		cJSON_AddStringToObject(o, "method", method_of(cr.source));
		cJSON_AddStringToObject(o, "endpoint", ep.url);
	}
	aws_credentials_free(&cr);
	aws_profile_ctx_free(&ctx);
	return o;
}

static int same(const cJSON *a, const cJSON *b, const char *key)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(a, key);
	const cJSON *y = cJSON_GetObjectItemCaseSensitive(b, key);
	const char *xs = cJSON_IsString(x) ? x->valuestring : "";
	const char *ys = cJSON_IsString(y) ? y->valuestring : "";

	return strcmp(xs, ys) == 0;
}

static int compare(size_t i, const cJSON *mine, const cJSON *theirs)
{
	static const char *const keys[] = {"region", "access_key", "method", "endpoint"};
	int err_m = cJSON_HasObjectItem(mine, "error"),
	    err_t = cJSON_HasObjectItem(theirs, "error");
	char *a, *b;
	int ok = 1;

	if (err_m || err_t) {
		ok = err_m && err_t;
	} else {
		for (size_t k = 0; k < 4; k++)
			ok &= same(mine, theirs, keys[k]);
	}
	if (!ok) {
		a = cJSON_PrintUnformatted(mine);
		b = cJSON_PrintUnformatted(theirs);
		print_message("case %zu differs:\n  sesctl   %s\n  botocore %s\n", i, a, b);
		free(a);
		free(b);
	}
	return ok;
}

static void test_botocore_agrees(void **state)
{
	struct awsenv *a = *state;
	cJSON *list = cJSON_CreateArray(), *envs[N_CASES], *line;
	char path[200], cmd[600], *text, buf[4096];
	size_t agreed = 0, seen = 0;
	int status;
	FILE *p;

	for (size_t i = 0; i < N_CASES; i++) {
		cJSON *c = cJSON_CreateObject();

		envs[i] = cJSON_CreateObject();
		write_case(a, i, envs[i]);
		cJSON_AddNumberToObject(c, "id", (double)i);
		cJSON_AddItemToObject(c, "env", cJSON_Duplicate(envs[i], 1));
		if (cases[i].profile)
			cJSON_AddStringToObject(c, "profile", cases[i].profile);
		cJSON_AddItemToArray(list, c);
	}
	snprintf(path, sizeof(path), "%s/cases.json", a->home);
	text = cJSON_Print(list);
	awsenv_write(path, text);
	free(text);
	cJSON_Delete(list);
	snprintf(cmd, sizeof(cmd), "python3 '%s/tests/unit/config_botocore.py' '%s'",
	         getenv("SESCTL_ROOT") ? getenv("SESCTL_ROOT") : ".", path);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(buf, sizeof(buf), p)) {
		cJSON *mine;
		size_t id;

		line = cJSON_Parse(buf);
		assert_non_null(line);
		id = (size_t)cJSON_GetObjectItemCaseSensitive(line, "id")->valuedouble;
		assert_true(id < N_CASES);
		mine = ours(id, envs[id]);
		agreed += (size_t)compare(id, mine, line);
		seen++;
		cJSON_Delete(mine);
		cJSON_Delete(line);
	}
	status = pclose(p);
	for (size_t i = 0; i < N_CASES; i++)
		cJSON_Delete(envs[i]);
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 77 || WEXITSTATUS(status) == 127)) {
		print_message(
		    "SKIP: python3 with botocore is not available; %zu cases NOT checked\n",
		    N_CASES);
		skip();
	}
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	assert_int_equal(seen, N_CASES);
	print_message("botocore agrees on %zu of %zu config cases\n", agreed, N_CASES);
	assert_int_equal(agreed, N_CASES);
}

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

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_botocore_agrees, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

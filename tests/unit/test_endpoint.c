#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "awsenv.h"
#include "sesctl/aws/endpoint.h"

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

static const char config_text[] = "[default]\n"
                                  "region = eu-west-1\n"
                                  "services = local\n"
                                  "endpoint_url = https://profile.example.com/\n"
                                  "[services local]\n"
                                  "sesv2 =\n"
                                  "  endpoint_url = http://127.0.0.1:4566/prefix\n"
                                  "cloudwatch =\n"
                                  "  endpoint_url = http://localhost:4599\n";

/* Resolve with a fresh context built from opt and the environment. */
static enum sc_status resolve(const struct aws_options *opt, const char *svc,
                              struct aws_endpoint *ep, struct sc_error *err)
{
	struct aws_profile_ctx ctx;
	enum sc_status rc;

	assert_int_equal(aws_profile_ctx_load(opt, &ctx, err), SC_OK);
	rc = aws_endpoint_resolve(&ctx, svc, ctx.region, ep, err);
	aws_profile_ctx_free(&ctx);
	return rc;
}

static void expect(const struct aws_options *opt, const char *svc, const char *url,
                   const char *source)
{
	struct aws_endpoint ep;
	struct sc_error err;

	sc_error_clear(&err);
	if (resolve(opt, svc, &ep, &err) != SC_OK)
		fail_msg("%s: %s", svc, err.message);
	assert_string_equal(ep.url, url);
	assert_string_equal(ep.source, source);
}

static void test_precedence(void **state)
{
	struct awsenv *a = *state;
	struct aws_options opt = {0};

	awsenv_write(a->config, config_text);
	/* 6: regional default when nothing names the service */
	expect(&opt, "ses", "https://profile.example.com",
	       "endpoint_url in profile default (config file)");
	/* 4: services section beats 5: profile endpoint_url */
	expect(&opt, "sesv2", "http://127.0.0.1:4566/prefix",
	       "services local (key sesv2) in profile default");
	expect(&opt, "monitoring", "http://localhost:4599",
	       "services local (key cloudwatch) in profile default");
	/* 3: AWS_ENDPOINT_URL beats the files */
	setenv("AWS_ENDPOINT_URL", "https://global.example.com", 1);
	expect(&opt, "sesv2", "https://global.example.com", "AWS_ENDPOINT_URL");
	/* 2: the service variable beats the global one */
	setenv("AWS_ENDPOINT_URL_SESV2", "https://v2.example.com", 1);
	setenv("AWS_ENDPOINT_URL_CLOUDWATCH", "https://cw.example.com", 1);
	expect(&opt, "sesv2", "https://v2.example.com", "AWS_ENDPOINT_URL_SESV2");
	expect(&opt, "monitoring", "https://cw.example.com", "AWS_ENDPOINT_URL_CLOUDWATCH");
	expect(&opt, "ses", "https://global.example.com", "AWS_ENDPOINT_URL");
	/* 1: --endpoint-url beats everything */
	opt.endpoint_url = "http://127.0.0.1:9/";
	expect(&opt, "sesv2", "http://127.0.0.1:9", "--endpoint-url");
	/* the credential chain's variant skips --endpoint-url */
	{
		struct aws_profile_ctx ctx;
		struct aws_endpoint ep;
		struct sc_error err;

		assert_int_equal(aws_profile_ctx_load(&opt, &ctx, &err), SC_OK);
		assert_int_equal(
		    aws_endpoint_resolve_configured(&ctx, "sesv2", ctx.region, &ep, &err), SC_OK);
		assert_string_equal(ep.url, "https://v2.example.com");
		aws_profile_ctx_free(&ctx);
	}
}

static void test_ignore_configured(void **state)
{
	struct awsenv *a = *state;
	struct aws_options opt = {0};

	awsenv_write(a->config, config_text);
	setenv("AWS_ENDPOINT_URL_SESV2", "https://v2.example.com", 1);
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	expect(&opt, "sesv2", "https://email.eu-west-1.amazonaws.com", "regional default");
	opt.endpoint_url = "https://explicit.example.com";
	expect(&opt, "sesv2", "https://explicit.example.com", "--endpoint-url");
	opt.endpoint_url = NULL;
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "false", 1);
	expect(&opt, "sesv2", "https://v2.example.com", "AWS_ENDPOINT_URL_SESV2");
	/* the profile setting works too when the variable is unset */
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	unsetenv("AWS_ENDPOINT_URL_SESV2");
	awsenv_write(a->config,
	             "[default]\nregion = eu-west-1\nendpoint_url = https://p.example.com\n"
	             "ignore_configured_endpoint_urls = true\n");
	expect(&opt, "ses", "https://email.eu-west-1.amazonaws.com", "regional default");
}

static void test_regional_defaults(void **state)
{
	struct aws_options opt = {0};

	(void)state;
	opt.region = "us-west-2";
	expect(&opt, "sesv2", "https://email.us-west-2.amazonaws.com", "regional default");
	expect(&opt, "ses", "https://email.us-west-2.amazonaws.com", "regional default");
	expect(&opt, "sts", "https://sts.us-west-2.amazonaws.com", "regional default");
	expect(&opt, "monitoring", "https://monitoring.us-west-2.amazonaws.com",
	       "regional default");
	expect(&opt, "mailmanager", "https://mail-manager.us-west-2.amazonaws.com",
	       "regional default");
	expect(&opt, "sso", "https://portal.sso.us-west-2.amazonaws.com", "regional default");
	setenv("AWS_USE_FIPS_ENDPOINT", "true", 1);
	expect(&opt, "sesv2", "https://email-fips.us-west-2.amazonaws.com",
	       "regional default (FIPS)");
	expect(&opt, "monitoring", "https://monitoring-fips.us-west-2.amazonaws.com",
	       "regional default (FIPS)");
	expect(&opt, "sso", "https://portal.sso.us-west-2.amazonaws.com", "regional default");
	unsetenv("AWS_USE_FIPS_ENDPOINT");
	opt.region = "cn-north-1";
	expect(&opt, "sesv2", "https://email.cn-north-1.amazonaws.com.cn", "regional default");
}

static void test_errors(void **state)
{
	struct aws_options opt = {0};
	struct aws_endpoint ep;
	struct sc_error err;

	(void)state;
	assert_int_equal(resolve(&opt, "sesv2", &ep, &err), SC_CONFIG);
	assert_string_equal(err.message,
	                    "no region: set --region, AWS_REGION or region in profile default");
	opt.region = "eu-west-1/evil.example.com#";
	assert_int_equal(resolve(&opt, "sesv2", &ep, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "is not a valid region name"));
	opt.region = "eu-west-1";
	assert_int_equal(resolve(&opt, "dynamodb", &ep, &err), SC_USAGE);
	opt.endpoint_url = "http://10.0.0.5:4566";
	assert_int_equal(resolve(&opt, "sesv2", &ep, &err), SC_NETWORK);
	assert_non_null(strstr(err.message, "endpoint from --endpoint-url"));
	assert_non_null(strstr(err.message, "10.0.0.5"));
	opt.endpoint_url = "ftp://127.0.0.1/";
	assert_int_equal(resolve(&opt, "sesv2", &ep, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "must start with https://"));
	opt.endpoint_url = NULL;
	setenv("AWS_ENDPOINT_URL_SES", "http://ses.example.com", 1);
	assert_int_equal(resolve(&opt, "ses", &ep, &err), SC_NETWORK);
	assert_non_null(strstr(err.message, "endpoint from AWS_ENDPOINT_URL_SES"));
	/* loopback forms that are allowed over plain http */
	setenv("AWS_ENDPOINT_URL_SES", "http://[::1]:8080", 1);
	expect(&opt, "ses", "http://[::1]:8080", "AWS_ENDPOINT_URL_SES");
	setenv("AWS_ENDPOINT_URL_SES", "http://127.8.9.10", 1);
	expect(&opt, "ses", "http://127.8.9.10", "AWS_ENDPOINT_URL_SES");
}

static void test_region_valid(void **state)
{
	(void)state;
	assert_true(aws_region_valid("eu-west-1"));
	assert_true(aws_region_valid("us-gov-west-1"));
	assert_false(aws_region_valid(""));
	assert_false(aws_region_valid(NULL));
	assert_false(aws_region_valid("EU-WEST-1"));
	assert_false(aws_region_valid("1abc"));
	assert_false(aws_region_valid("eu.west"));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_precedence, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_ignore_configured, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_regional_defaults, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_errors, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_region_valid, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

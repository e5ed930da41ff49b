#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/settings.h"

static const char sample[] = "# sesctl\n"
			     "[global]\n"
			     "theme = light\n"
			     "refresh = 120\n"
			     "regions = eu-west-1\n"
			     "\n"
			     "[profile prod-oncall]\n"
			     "read_only = true\n"
			     "[profile prod-admin]\n"
			     "  protected = yes  \n"
			     "alias = prod\n"
			     "regions = eu-west-1, us-east-1 ,us-west-2\n"
			     "[keys]\n"
			     "ctrl-r = refresh\n";

static void test_parse_and_view(void **state)
{
	struct settings s;
	struct settings_view v;
	struct sc_error err;

	(void)state;
	assert_int_equal(settings_parse(sample, sizeof(sample) - 1, "cfg", &s, &err), SC_OK);
	settings_view(&s, "prod-oncall", &v);
	assert_true(v.read_only);
	assert_false(v.protected_);
	assert_string_equal(v.theme, "light");
	assert_int_equal(v.refresh, 120);
	assert_int_equal(v.n_regions, 1);
	settings_view(&s, "prod-admin", &v);
	assert_false(v.read_only);
	assert_true(v.protected_);
	assert_string_equal(v.alias, "prod");
	assert_int_equal(v.n_regions, 3);
	assert_string_equal(v.regions[2], "us-west-2");
	settings_view(&s, "unknown", &v);
	assert_false(v.read_only);
	assert_int_equal(s.n_keys, 1);
	assert_string_equal(s.keys[0].key, "ctrl-r");
	assert_string_equal(s.keys[0].value, "refresh");
	settings_free(&s);
}

static void expect_error(const char *text, const char *needle)
{
	struct settings s;
	struct sc_error err;

	sc_error_clear(&err);
	assert_int_equal(settings_parse(text, strlen(text), "f.conf", &s, &err), SC_CONFIG);
	if (!strstr(err.message, needle))
		fail_msg("message '%s' lacks '%s'", err.message, needle);
}

static void test_errors_name_file_and_line(void **state)
{
	(void)state;
	expect_error("[global]\nread_only = maybe\n", "f.conf:2: read_only must be true or false");
	expect_error("[profile x\n", "f.conf:1: malformed section header");
	expect_error("\n\nnonsense\n", "f.conf:3: expected 'key = value'");
	expect_error("[bogus]\n", "unknown section [bogus]");
	expect_error("colour = red\n", "unknown setting 'colour'");
	expect_error("refresh = -3\n", "refresh must be seconds");
}

static void test_defaults_and_missing_file(void **state)
{
	struct settings s;
	struct settings_view v;
	struct sc_error err;

	(void)state;
	assert_int_equal(settings_load("/nonexistent/dir/config", &s, &err), SC_OK);
	settings_view(&s, "default", &v);
	assert_false(v.read_only);
	assert_string_equal(v.theme, "default");
	assert_int_equal(v.refresh, 300);
	settings_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_and_view),
		cmocka_unit_test(test_errors_name_file_and_line),
		cmocka_unit_test(test_defaults_and_missing_file),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

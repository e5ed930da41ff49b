/* cli/out: a streamed row source prints the same bytes as the whole array (JSON, CSV, the
 * aligned text table, hostile strings), walks twice for the table's widths, and a source
 * that fails mid-walk makes out_result() fail with its error. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/cli/out.h"

static const char *const cols[] = {"name", "type", "n", NULL};
static const char *const names[] = {"a.example", "evil\x1b]52;c;aGk=\x07.example",
				    "a-much-longer-name-than-the-others.example", "x,\"y\""};
#define NROWS 4

struct src {
	size_t at, n, fail_at, opens; /* rows given: n; fail_at > 0: an error at that row */
};

static cJSON *row(size_t i)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddStringToObject(o, "name", names[i]);
	cJSON_AddStringToObject(o, "type", i % 2 ? "EMAIL" : "DOMAIN");
	cJSON_AddNumberToObject(o, "n", (double)i * 1.5);
	return o;
}

static enum sc_status src_open(void *ud, bool columns_only, struct sc_error *err)
{
	struct src *s = ud;

	(void)err;
	(void)columns_only;
	s->at = 0;
	s->opens++;
	return SC_OK;
}

static cJSON *src_next(void *ud, enum sc_status *st, struct sc_error *err)
{
	struct src *s = ud;

	*st = SC_OK;
	if (s->fail_at && s->at == s->fail_at) {
		*st = sc_fail(err, SC_IO, "the cache went away");
		return NULL;
	}
	return s->at < s->n ? row(s->at++) : NULL;
}

static void src_free(void *ud)
{
	free(ud);
}

/* What out_result wrote to a temporary file, and its status. */
static char *render(const struct core_options *opt, const struct verb_result *res,
		    enum sc_status *st, struct sc_error *err)
{
	FILE *f = tmpfile();
	long len;
	char *s;

	assert_non_null(f);
	*st = out_result(f, opt, res, err);
	len = ftell(f);
	rewind(f);
	s = calloc(1, (size_t)len + 1);
	assert_int_equal(fread(s, 1, (size_t)len, f), (size_t)len);
	fclose(f);
	return s;
}

static void compare(enum core_format format)
{
	struct core_options opt = {.format = format};
	struct verb_result whole = {0}, streamed = {0};
	struct src *s = calloc(1, sizeof(*s));
	struct sc_error err;
	enum sc_status st;
	char *a, *b;

	s->n = NROWS;
	whole.json = cJSON_CreateArray();
	whole.columns = cols;
	for (size_t i = 0; i < NROWS; i++)
		cJSON_AddItemToArray(whole.json, row(i));
	streamed.columns = cols;
	streamed.rows = calloc(1, sizeof(*streamed.rows));
	*streamed.rows = (struct verb_rows){s, src_open, src_next, src_free};
	a = render(&opt, &whole, &st, &err);
	assert_int_equal(st, SC_OK);
	b = render(&opt, &streamed, &st, &err);
	assert_int_equal(st, SC_OK);
	assert_string_equal(a, b);
	assert_null(strchr(b, '\x1b'));
	assert_int_equal(s->opens, format == CORE_FMT_TEXT ? 2 : 1); /* widths, then lines */
	free(a);
	free(b);
	verb_result_free(&whole);
	verb_result_free(&streamed);
}

static void test_same_bytes_json(void **state)
{
	(void)state;
	compare(CORE_FMT_JSON);
}

static void test_same_bytes_csv(void **state)
{
	(void)state;
	compare(CORE_FMT_CSV);
}

static void test_same_bytes_text(void **state)
{
	(void)state;
	compare(CORE_FMT_TEXT);
}

static void test_empty(void **state)
{
	static const struct {
		enum core_format format;
		const char *out;
	} want[] = {{CORE_FMT_JSON, "[]\n"},
		    {CORE_FMT_CSV, "name,type,n\r\n"},
		    {CORE_FMT_TEXT, "NAME  TYPE  N\n"}};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct core_options opt = {.format = want[k].format};
		struct verb_result res = {.columns = cols};
		struct sc_error err;
		enum sc_status st;
		char *out;

		res.rows = calloc(1, sizeof(*res.rows));
		*res.rows = (struct verb_rows){calloc(1, sizeof(struct src)), src_open, src_next,
					       src_free};
		out = render(&opt, &res, &st, &err);
		assert_int_equal(st, SC_OK);
		assert_string_equal(out, want[k].out);
		free(out);
		verb_result_free(&res);
	}
}

static void test_error_mid_walk(void **state)
{
	static const enum core_format formats[] = {CORE_FMT_JSON, CORE_FMT_CSV, CORE_FMT_TEXT};

	(void)state;
	for (size_t k = 0; k < 3; k++) {
		struct core_options opt = {.format = formats[k]};
		struct verb_result res = {.columns = cols};
		struct src *s = calloc(1, sizeof(*s));
		struct sc_error err;
		enum sc_status st;
		char *out;

		s->n = NROWS;
		s->fail_at = 2;
		res.rows = calloc(1, sizeof(*res.rows));
		*res.rows = (struct verb_rows){s, src_open, src_next, src_free};
		out = render(&opt, &res, &st, &err);
		assert_int_equal(st, SC_IO);
		assert_non_null(strstr(err.message, "the cache went away"));
		assert_null(strstr(out, "a-much-longer")); /* nothing past the failure */
		free(out);
		verb_result_free(&res);
	}
}

/* A number past long long's range is printed, not cast (UBSan: 1e20 was undefined). */
static void test_big_number(void **state)
{
	struct core_options opt = {.format = CORE_FMT_JSON};
	struct verb_result res = {0};
	struct sc_error err;
	enum sc_status st;
	char *out;

	(void)state;
	res.json = cJSON_CreateObject();
	cJSON_AddNumberToObject(res.json, "big", 1e20);
	cJSON_AddNumberToObject(res.json, "small", 42);
	out = render(&opt, &res, &st, &err);
	assert_int_equal(st, SC_OK);
	assert_non_null(strstr(out, "\"big\": 1e+20"));
	assert_non_null(strstr(out, "\"small\": 42"));
	free(out);
	verb_result_free(&res);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_same_bytes_json),
		cmocka_unit_test(test_same_bytes_csv),
		cmocka_unit_test(test_same_bytes_text),
		cmocka_unit_test(test_empty),
		cmocka_unit_test(test_error_mid_walk),
		cmocka_unit_test(test_big_number),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

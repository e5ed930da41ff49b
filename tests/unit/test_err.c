#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

static void test_fail_and_format(void **state)
{
	struct sc_error err;
	char out[256];

	(void)state;
	sc_error_clear(&err);
	assert_int_equal(sc_fail(&err, SC_NOT_FOUND, "identity %s not found", "a.example"),
			 SC_NOT_FOUND);
	strcpy(err.code, "NotFoundException");
	strcpy(err.request_id, "r-1");
	sc_error_format(&err, out, sizeof(out));
	assert_string_equal(out, "identity a.example not found (NotFoundException, request id r-1)");
	sc_error_prefix(&err, "GetEmailIdentity");
	assert_string_equal(err.message, "GetEmailIdentity: identity a.example not found");
}

static void test_exit_codes_distinct(void **state)
{
	(void)state;
	for (int a = 0; a < SC_STATUS_COUNT; a++)
		for (int b = a + 1; b < SC_STATUS_COUNT; b++)
			assert_int_not_equal(sc_status_exit_code(a), sc_status_exit_code(b));
	assert_int_equal(sc_status_exit_code(SC_OK), 0);
	assert_string_equal(sc_status_name(SC_REFUSED), "REFUSED");
	assert_int_equal(sc_fail(NULL, SC_IO, "x"), SC_IO);
}

static void test_buf(void **state)
{
	struct buf b = BUF_INIT;
	char *s;

	(void)state;
	assert_string_equal(buf_str(&b), "");
	for (int i = 0; i < 1000; i++)
		buf_printf(&b, "%d,", i);
	assert_int_equal(b.len, strlen(b.data));
	assert_memory_equal(b.data, "0,1,2,", 6);
	buf_reset(&b);
	buf_puts(&b, "abc");
	buf_putc(&b, 'd');
	s = buf_steal(&b);
	assert_string_equal(s, "abcd");
	assert_null(b.data);
	free(s);
	buf_reserve(&b, 10);
	assert_string_equal(buf_str(&b), ""); /* reserved but empty: still a C string */
	buf_puts(&b, "secret");
	buf_wipe(&b);
	assert_null(b.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_fail_and_format),
		cmocka_unit_test(test_exit_codes_distinct),
		cmocka_unit_test(test_buf),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

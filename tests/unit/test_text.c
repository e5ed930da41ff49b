#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/util/text.h"

/* Sanitize a byte string of known length (may hold NUL) and return a new C string. */
static char *san(const char *s, size_t len, unsigned flags)
{
	struct buf b = BUF_INIT;

	text_sanitize(&b, s, len, flags);
	return buf_steal(&b);
}

#define SAN_EQ(lit, flags, want)                                                              \
	do {                                                                                  \
		char *got_ = san(lit, sizeof(lit) - 1, flags);                                \
		assert_string_equal(got_, want);                                              \
		free(got_);                                                                   \
	} while (0)

/* Nothing the sanitizer emits may contain a control byte or an ESC. */
static void assert_inert(const char *s, unsigned flags)
{
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		assert_true(*p >= 0x20 || ((*p == '\n' || *p == '\t') && (flags & TEXT_MULTILINE)));
		assert_true(*p != 0x7f);
		if (flags & TEXT_ASCII)
			assert_true(*p < 0x80);
	}
	assert_true(text_utf8_valid(s, strlen(s)));
}

static void test_sanitize_escape_sequences(void **state)
{
	(void)state;
	SAN_EQ("\x1b[2Jgone", 0, "\\e[2Jgone");
	SAN_EQ("x\x1b]52;c;ZXZpbA==\x07y", 0, "x\\e]52;c;ZXZpbA==\\x07y");
	SAN_EQ("\x1bP+q\x1b\\", 0, "\\eP+q\\e\\");
	SAN_EQ("a\x00" "b", 0, "a\\x00b");
	SAN_EQ("l1\nl2\r\t", 0, "l1\\x0al2\\x0d\\x09");
	SAN_EQ("l1\nl2\r", TEXT_MULTILINE, "l1\nl2\\x0d");
	SAN_EQ("a\tb", TEXT_MULTILINE, "a\tb");
	SAN_EQ("a\tb", 0, "a\\x09b");
	SAN_EQ("del\x7f", 0, "del\\x7f");
	SAN_EQ("plain ascii, 100%", 0, "plain ascii, 100%");
}

static void test_sanitize_c1_and_bidi(void **state)
{
	(void)state;
	/* raw C1 CSI byte (8-bit terminals read it as ESC [) is invalid UTF-8 */
	SAN_EQ("\x9b" "31m", 0, "\xef\xbf\xbd" "31m");
	SAN_EQ("\x9b" "31m", TEXT_ASCII, "?31m");
	/* C1 as a proper code point U+009B, and NEL U+0085 */
	SAN_EQ("\xc2\x9b" "2J\xc2\x85", 0, "\\u009b2J\\u0085");
	/* RLO makes "exe.txt" look like "txt.exe"; isolates and marks too */
	SAN_EQ("evil\xe2\x80\xaetxt.exe", 0, "evil\\u202etxt.exe");
	SAN_EQ("\xe2\x81\xa6x\xe2\x81\xa9\xe2\x80\x8e\xe2\x80\x8f\xd8\x9c", 0,
	       "\\u2066x\\u2069\\u200e\\u200f\\u061c");
	SAN_EQ("a\xe2\x80\xa8" "b", 0, "a\\u2028b");
	/* invisible look-alike makers and tag characters (hidden text) */
	SAN_EQ("pay\xe2\x80\x8bpal.com", 0, "pay\\u200bpal.com");
	SAN_EQ("\xef\xbb\xbfx\xc2\xad", 0, "\\ufeffx\\u00ad");
	SAN_EQ("ok\xf3\xa0\x81\x81", 0, "ok\\U000e0041");
	SAN_EQ("\xe2\x80\x8d", 0, "\xe2\x80\x8d");
	/* ordinary non-ASCII stays */
	SAN_EQ("caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac", 0, "caf\xc3\xa9 \xe6\x97\xa5\xe6\x9c\xac");
	SAN_EQ("caf\xc3\xa9 \xf0\x9f\x98\x80", TEXT_ASCII, "caf\\u00e9 \\U0001f600");
}

static void test_sanitize_invalid_utf8(void **state)
{
	(void)state;
	/* overlong '/' and overlong NUL */
	SAN_EQ("\xc0\xaf" "a\xc0\x80", TEXT_ASCII, "??a??");
	SAN_EQ("\xe0\x80\xaf", TEXT_ASCII, "???");
	/* UTF-16 surrogate halves encoded as UTF-8 */
	SAN_EQ("\xed\xa0\x80\xed\xbf\xbf", TEXT_ASCII, "??????");
	/* above U+10FFFF, 0xff, truncated sequence at the end */
	SAN_EQ("\xf4\x90\x80\x80", TEXT_ASCII, "????");
	SAN_EQ("x\xff\xe6\x97", TEXT_ASCII, "x???");
	SAN_EQ("\xe6\x97", 0, "\xef\xbf\xbd\xef\xbf\xbd");
	/* largest valid code point survives */
	SAN_EQ("\xf4\x8f\xbf\xbf", 0, "\xf4\x8f\xbf\xbf");
}

static void test_sanitize_everything_inert(void **state)
{
	char all[256];
	char *s;

	(void)state;
	for (int i = 0; i < 256; i++)
		all[i] = (char)i;
	for (unsigned flags = 0; flags < 4; flags++) {
		s = san(all, sizeof(all), flags);
		assert_inert(s, flags);
		free(s);
	}
	s = text_sanitize_dup(NULL, 0);
	assert_string_equal(s, "");
	free(s);
	s = text_sanitize_dup("\x1b[31mred", TEXT_ASCII);
	assert_string_equal(s, "\\e[31mred");
	free(s);
}

static void test_utf8_decode(void **state)
{
	uint32_t cp;
	char out[4];

	(void)state;
	assert_int_equal(text_utf8_next("\xe2\x82\xac", 3, &cp), 3);
	assert_int_equal(cp, 0x20ac);
	assert_int_equal(text_utf8_next("\xe2\x82\xac", 2, &cp), 1);
	assert_int_equal(cp, TEXT_BAD_CP);
	assert_int_equal(text_utf8_next("", 0, &cp), 0);
	for (uint32_t c = 1; c <= 0x10ffff; c += 0x101) {
		size_t n;

		if (c >= 0xd800 && c <= 0xdfff)
			continue;
		n = text_utf8_put(out, c);
		assert_int_equal(text_utf8_next(out, n, &cp), n);
		assert_int_equal(cp, c);
	}
	assert_false(text_utf8_valid("\xc1\xbf", 2));
	assert_true(text_utf8_valid("\xdf\xbf", 2));
}

static void test_widths(void **state)
{
	(void)state;
	assert_int_equal(text_cp_width('a'), 1);
	assert_int_equal(text_cp_width(0x1b), -1);
	assert_int_equal(text_cp_width(0x85), -1);
	assert_int_equal(text_cp_width(0x65e5), 2);   /* 日 */
	assert_int_equal(text_cp_width(0xac00), 2);   /* 가 */
	assert_int_equal(text_cp_width(0xff21), 2);   /* fullwidth A */
	assert_int_equal(text_cp_width(0x1f600), 2);  /* 😀 */
	assert_int_equal(text_cp_width(0x0301), 0);   /* combining acute */
	assert_int_equal(text_cp_width(0x200b), 0);   /* zero width space */
	assert_int_equal(text_cp_width(0xfe0f), 0);   /* VS16 */
	assert_int_equal(text_cp_width(0x00e9), 1);
	assert_int_equal(text_cp_width(0x2026), 1);   /* … */
	assert_int_equal(text_width("abc", 3), 3);
	assert_int_equal(text_width("\xe6\x97\xa5\xe6\x9c\xac", 6), 4);
	assert_int_equal(text_width("e\xcc\x81", 3), 1);
	assert_int_equal(text_width("\xf0\x9f\x98\x80!", 5), 3);
	assert_int_equal(text_width("\xff" "a", 2), 2);
	assert_int_equal(text_width("", 0), 0);
}

static char *trunc_(const char *s, size_t w, unsigned flags, size_t *cols)
{
	struct buf b = BUF_INIT;

	*cols = text_truncate(&b, s, strlen(s), w, flags);
	return buf_steal(&b);
}

static void test_truncate_every_boundary(void **state)
{
	/* a, 日 (2), e+combining (1), 😀 (2), z: total 7 columns */
	const char *s = "a\xe6\x97\xa5" "e\xcc\x81\xf0\x9f\x98\x80z";
	const char *want[] = {
		"",
		"\xe2\x80\xa6",
		"a\xe2\x80\xa6",
		"a\xe2\x80\xa6",                              /* 日 would straddle */
		"a\xe6\x97\xa5\xe2\x80\xa6",
		"a\xe6\x97\xa5" "e\xcc\x81\xe2\x80\xa6",      /* mark stays with its base */
		"a\xe6\x97\xa5" "e\xcc\x81\xe2\x80\xa6",      /* 😀 would straddle */
		"a\xe6\x97\xa5" "e\xcc\x81\xf0\x9f\x98\x80z", /* fits exactly */
		"a\xe6\x97\xa5" "e\xcc\x81\xf0\x9f\x98\x80z",
	};
	const size_t cols[] = {0, 1, 2, 2, 4, 5, 5, 7, 7};

	(void)state;
	assert_int_equal(text_width(s, strlen(s)), 7);
	for (size_t w = 0; w < sizeof(want) / sizeof(want[0]); w++) {
		size_t c;
		char *got = trunc_(s, w, 0, &c);

		assert_string_equal(got, want[w]);
		assert_int_equal(c, cols[w]);
		assert_true(c <= w);
		assert_true(text_utf8_valid(got, strlen(got)));
		free(got);
	}
}

static void test_truncate_ascii_and_pad(void **state)
{
	struct buf b = BUF_INIT;
	size_t c;
	char *got;

	(void)state;
	got = trunc_("example.com", 8, TEXT_ASCII, &c);
	assert_string_equal(got, "example~");
	free(got);
	for (size_t w = 0; w < 14; w++) {
		buf_reset(&b);
		assert_int_equal(text_pad(&b, "\xe6\x97\xa5\xe6\x9c\xac" "x", 7, w, 0), w);
		assert_int_equal(text_width(b.data ? b.data : "", b.len), w);
	}
	buf_reset(&b);
	text_pad(&b, "ab", 2, 5, 0);
	assert_string_equal(buf_str(&b), "ab   ");
	buf_reset(&b);
	text_fit(&b, "\x1b[2Jx", 5, 0);
	assert_string_equal(buf_str(&b), "\\e[2\xe2\x80\xa6");
	buf_reset(&b);
	text_fit(&b, NULL, 3, 0);
	assert_string_equal(buf_str(&b), "   ");
	buf_reset(&b);
	text_fit(&b, "a\nb", 6, TEXT_MULTILINE);
	assert_string_equal(buf_str(&b), "a\\x0ab");
	buf_free(&b);
}

static char *json(const char *s, size_t len)
{
	struct buf b = BUF_INIT;

	text_json_string(&b, s, len);
	return buf_steal(&b);
}

static void test_truncate_middle(void **state)
{
	const char *name = "tok1aaaaaaaaaaaaaaaaaaaaaaaaaaaa._domainkey.shop.example";
	const char *wide = "\xe5\x85\xac\xe5\x8f\xb8\xe5\x85\xac\xe5\x8f\xb8.example.com";
	struct buf b = BUF_INIT;
	size_t w;

	(void)state;
	/* fits: unchanged */
	w = text_truncate_middle(&b, "shop.example", 12, 20, 0);
	assert_string_equal(buf_str(&b), "shop.example");
	assert_int_equal(w, 12);
	/* too long: a third, the ellipsis, then the end that names the domain */
	buf_reset(&b);
	w = text_truncate_middle(&b, name, strlen(name), 24, 0);
	assert_int_equal(w, 24);
	assert_int_equal(text_width(buf_str(&b), b.len), 24);
	assert_non_null(strstr(buf_str(&b), "\xe2\x80\xa6"));
	assert_string_equal(buf_str(&b) + b.len - 12, "shop.example");
	assert_non_null(strstr(buf_str(&b), "\xe2\x80\xa6key.shop.example"));
	assert_memory_equal(buf_str(&b), "tok1aaa", 7);
	/* ASCII mode uses "~" */
	buf_reset(&b);
	text_truncate_middle(&b, name, strlen(name), 24, TEXT_ASCII);
	assert_non_null(strchr(buf_str(&b), '~'));
	/* wide characters are never split, and the width never exceeds the limit */
	for (size_t max = 5; max < 24; max++) {
		buf_reset(&b);
		w = text_truncate_middle(&b, wide, strlen(wide), max, 0);
		assert_true(w <= max);
		assert_int_equal(text_width(buf_str(&b), b.len), w);
		assert_true(text_utf8_valid(buf_str(&b), b.len));
	}
	/* below 5 columns it cuts at the end, like text_truncate() */
	buf_reset(&b);
	text_truncate_middle(&b, name, strlen(name), 4, 0);
	assert_memory_equal(buf_str(&b), "tok", 3);
	buf_free(&b);
}

static void test_json(void **state)
{
	char *s;

	(void)state;
	s = json("a\"b\\c", 5);
	assert_string_equal(s, "\"a\\\"b\\\\c\"");
	free(s);
	s = json("\x00\x1b\n\x7f", 4);
	assert_string_equal(s, "\"\\u0000\\u001b\\u000a\\u007f\"");
	free(s);
	s = json("caf\xc3\xa9 \xf0\x9f\x98\x80\xe2\x80\xa8", 13);
	assert_string_equal(s, "\"caf\xc3\xa9 \xf0\x9f\x98\x80\\u2028\"");
	free(s);
	s = json("\xc0\xaf\x9b", 3);
	assert_string_equal(s, "\"\\ufffd\\ufffd\\ufffd\"");
	free(s);
	/* C1 CSI (U+009B) and the bidi override/isolate are escaped, never raw on a terminal */
	s = json("\xc2\x9b" "2J \xe2\x80\xae" "x\xe2\x81\xa6 \xe2\x80\x8f", 16);
	assert_string_equal(s, "\"\\u009b2J \\u202ex\\u2066 \xe2\x80\x8f\"");
	free(s);
	s = json("", 0);
	assert_string_equal(s, "\"\"");
	free(s);
}

static char *csv(const char *s)
{
	struct buf b = BUF_INIT;

	text_csv_field(&b, s, strlen(s));
	return buf_steal(&b);
}

#define CSV_EQ(in, want)                                                                      \
	do {                                                                                  \
		char *got_ = csv(in);                                                         \
		assert_string_equal(got_, want);                                              \
		free(got_);                                                                   \
	} while (0)

static void test_csv(void **state)
{
	(void)state;
	CSV_EQ("plain", "plain");
	CSV_EQ("", "");
	CSV_EQ("a,b", "\"a,b\"");
	CSV_EQ("say \"hi\"", "\"say \"\"hi\"\"\"");
	CSV_EQ("l1\r\nl2", "\"l1\r\nl2\"");
	CSV_EQ(" lead", "\" lead\"");
	CSV_EQ("=HYPERLINK(\"http://x\")", "\"'=HYPERLINK(\"\"http://x\"\")\"");
	CSV_EQ("=1+2", "'=1+2");
	CSV_EQ("+cmd", "'+cmd");
	CSV_EQ("-2+3", "'-2+3");
	CSV_EQ("@SUM(A1)", "'@SUM(A1)");
	CSV_EQ("\tx", "'\tx");
	CSV_EQ("\rx", "\"'\rx\"");
	CSV_EQ("-5", "-5");
	CSV_EQ("+0.25", "+0.25");
	CSV_EQ("-", "'-");
	CSV_EQ("v=spf1 -all", "v=spf1 -all");
	CSV_EQ("bad\xff", "bad\xef\xbf\xbd");
}

/* Seeded random byte strings (biased towards ESC, C1 and UTF-8 lead bytes): whatever
 * comes in, the sanitized text is inert and valid, and every truncation of it stays
 * within its width, is valid UTF-8 and is a prefix (plus ellipsis) of the input. */
static void test_random_inputs(void **state)
{
	static const unsigned char pool[] = {0x1b, '[', ']', 0x07, 0x9b, 0xc2, 0x85, 0xe2, 0x80,
					     0xae, 0xe6, 0x97, 0xa5, 0xf0, 0x9f, 0x98, 0x80, 0xcc,
					     0x81, 0xed, 0xa0, 0xff, 'a', 0x00, '\n', 0x7f};
	unsigned seed = 12345;

	(void)state;
	for (int iter = 0; iter < 3000; iter++) {
		char in[48];
		size_t len, w;
		struct buf out = BUF_INIT, cut = BUF_INIT;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % sizeof(in);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			in[i] = (char)((seed >> 16) % 3 ? pool[(seed >> 8) % sizeof(pool)]
							: (seed >> 20) & 0xff);
		}
		text_sanitize(&out, in, len, (unsigned)iter & 3);
		assert_inert(buf_str(&out), (unsigned)iter & 3);
		w = text_width(buf_str(&out), out.len);
		for (size_t max = 0; max <= w + 1; max++) {
			size_t c;

			buf_reset(&cut);
			c = text_truncate(&cut, buf_str(&out), out.len, max, 0);
			assert_true(c <= max);
			assert_true(text_utf8_valid(buf_str(&cut), cut.len));
			assert_int_equal(text_width(buf_str(&cut), cut.len), c);
			if (max >= w && max > 0)
				assert_string_equal(buf_str(&cut), buf_str(&out));
			else if (max > 0)
				assert_memory_equal(buf_str(&cut), buf_str(&out), cut.len - 3);
		}
		buf_free(&out);
		buf_free(&cut);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sanitize_escape_sequences),
		cmocka_unit_test(test_sanitize_c1_and_bidi),
		cmocka_unit_test(test_sanitize_invalid_utf8),
		cmocka_unit_test(test_sanitize_everything_inert),
		cmocka_unit_test(test_utf8_decode),
		cmocka_unit_test(test_widths),
		cmocka_unit_test(test_truncate_every_boundary),
		cmocka_unit_test(test_truncate_ascii_and_pad),
		cmocka_unit_test(test_truncate_middle),
		cmocka_unit_test(test_json),
		cmocka_unit_test(test_csv),
		cmocka_unit_test(test_random_inputs),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* libFuzzer target: the terminal/JSON/CSV escapers on arbitrary bytes. The sanitized text
 * must be valid UTF-8 with no C0 control (LF and TAB stay under TEXT_MULTILINE), no DEL, no
 * C1 control (U+0080..U+009F) and no bidi override or isolate; truncation must respect the
 * width; JSON and CSV output must be valid UTF-8, and JSON must hold no control byte, C1
 * or bidi control raw.
 * Build: make fuzz-build (see the fuzz recipe in the Makefile). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sesctl/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_no_c1_bidi(const struct buf *b)
{
	for (size_t i = 0; i + 1 < b->len; i++) {
		const unsigned char *u = (const unsigned char *)b->data + i;

		if (u[0] == 0xc2 && u[1] >= 0x80 && u[1] <= 0x9f)
			abort(); /* C1 control */
		if (i + 2 < b->len && u[0] == 0xe2 &&
		    ((u[1] == 0x80 && u[2] >= 0xaa && u[2] <= 0xae) ||
		     (u[1] == 0x81 && u[2] >= 0xa6 && u[2] <= 0xa9)))
			abort(); /* bidi embedding/override/isolate */
	}
}

static void check_inert(const struct buf *b, unsigned flags)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		if ((c < 0x20 && !((c == '\n' || c == '\t') && (flags & TEXT_MULTILINE))) || c == 0x7f ||
		    ((flags & TEXT_ASCII) && c >= 0x80))
			abort();
	}
	check_no_c1_bidi(b);
	if (!text_utf8_valid(buf_str(b), b->len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *s = (const char *)data;
	unsigned flags = size ? data[0] & 3u : 0;
	struct buf out = BUF_INIT, cut = BUF_INIT, json = BUF_INIT, csv = BUF_INIT;
	size_t w, max;

	text_sanitize(&out, s, size, flags);
	check_inert(&out, flags);
	w = text_width(buf_str(&out), out.len);
	max = size ? data[size - 1] % (w + 2) : 0;
	if (text_truncate(&cut, buf_str(&out), out.len, max, flags) > max)
		abort();
	if (!text_utf8_valid(buf_str(&cut), cut.len))
		abort();
	text_json_string(&json, s, size);
	text_csv_field(&csv, s, size);
	if (!text_utf8_valid(buf_str(&json), json.len) || !text_utf8_valid(buf_str(&csv), csv.len))
		abort();
	check_no_c1_bidi(&json); /* JSON escapes them too (\u009b, \u202e) */
	for (size_t i = 0; i < json.len; i++)
		if ((unsigned char)json.data[i] < 0x20 || json.data[i] == 0x7f)
			abort();
	buf_free(&out);
	buf_free(&cut);
	buf_free(&json);
	buf_free(&csv);
	return 0;
}

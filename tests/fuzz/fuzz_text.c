/* libFuzzer target: the terminal/JSON/CSV escapers on arbitrary bytes. The sanitized text
 * must be valid UTF-8 with no control byte, truncation must respect the width, JSON and
 * CSV output must be valid UTF-8.
 * Build: clang -fsanitize=fuzzer,address,undefined -Iinclude tests/fuzz/fuzz_text.c \
 *   src/util/text.c src/util/buf.c */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sesctl/util/text.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_inert(const struct buf *b, unsigned flags)
{
	for (size_t i = 0; i < b->len; i++) {
		unsigned char c = (unsigned char)b->data[i];

		if ((c < 0x20 && !(c == '\n' && (flags & TEXT_MULTILINE))) || c == 0x7f ||
		    ((flags & TEXT_ASCII) && c >= 0x80))
			abort();
	}
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
	buf_free(&out);
	buf_free(&cut);
	buf_free(&json);
	buf_free(&csv);
	return 0;
}

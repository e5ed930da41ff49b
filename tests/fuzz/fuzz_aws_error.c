/* libFuzzer target: aws_parse_error_body() and the aws/xml helpers on arbitrary bytes.
 * The first byte is split: bit 0 passes an x-amzn-ErrorType header built from the body's
 * first line. Nothing may crash, leak or leave an unterminated string in sc_error.
 * Build: make fuzz-build (see the fuzz recipe in the Makefile).
 * Seeds: tests/fixtures/{sesv2,sesv1,sts}/ (prefix one byte). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/client.h"
#include "sesctl/aws/xml.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_terminated(const char *s, size_t cap)
{
	if (!memchr(s, '\0', cap))
		abort();
}

static void walk(const xmlNode *n, int depth)
{
	char tmp[64];
	int64_t i;
	double d;
	bool b;
	time_t t;

	if (!n || depth > 8)
		return;
	free(xml_text(n));
	xml_path_copy(n, "Error/Code", tmp, sizeof(tmp));
	xml_path_bool(n, "member", &b);
	xml_path_int64(n, "member", &i);
	xml_path_double(n, "member", &d);
	xml_path_time(n, "member", &t);
	for (xmlNode *m = xml_next(n, NULL, "member"); m; m = xml_next(n, m, "member"))
		walk(m, depth + 1);
	walk(xml_find(n, "member"), depth + 1);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct sc_error err;
	const char *body;
	char header[128] = "";
	size_t n, line;
	xmlDoc *doc;
	time_t t;

	if (!size)
		return 0;
	body = (const char *)data + 1;
	n = size - 1;
	if (data[0] & 1) {
		const char *nl = memchr(body, '\n', n);

		line = nl ? (size_t)(nl - body) : n;
		if (line >= sizeof(header))
			line = sizeof(header) - 1;
		memcpy(header, body, line);
		header[line] = '\0';
	}
	sc_error_clear(&err);
	aws_parse_error_body(body, n, header, &err);
	check_terminated(err.code, sizeof(err.code));
	check_terminated(err.message, sizeof(err.message));
	check_terminated(err.request_id, sizeof(err.request_id));

	doc = xml_parse(body, n, NULL);
	walk(xml_root(doc), 0);
	xml_free(doc);
	if (n < 64) {
		char s[64];

		memcpy(s, body, n);
		s[n] = '\0';
		xml_parse_iso8601(s, &t);
	}
	return 0;
}

/*
 * Test-only helper for the test_ses_*.c files: load a file under tests/fixtures/ (from
 * $SESCTL_ROOT, else the current directory) into a NUL-terminated heap buffer.
 * Header-only so it is linked only into the tests that include it.
 */
#ifndef SESCTL_TESTS_SESFIXTURE_H
#define SESCTL_TESTS_SESFIXTURE_H

#include <stdio.h>
#include <stdlib.h>

#include "sesctl/util/buf.h"

struct fx {
	char *data;
	size_t len;
};

static __attribute__((unused)) struct fx fx_load(const char *rel)
{
	const char *root = getenv("SESCTL_ROOT");
	struct buf path = BUF_INIT, body = BUF_INIT;
	char chunk[4096];
	struct fx out;
	size_t got;
	FILE *f;

	buf_printf(&path, "%s/tests/fixtures/%s", root && *root ? root : ".", rel);
	f = fopen(buf_str(&path), "rb");
	if (!f) {
		fprintf(stderr, "missing fixture %s\n", buf_str(&path));
		abort();
	}
	while ((got = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&body, chunk, got);
	fclose(f);
	buf_free(&path);
	out.len = body.len;
	out.data = buf_steal(&body);
	return out;
}

static __attribute__((unused)) void fx_free(struct fx *f)
{
	free(f->data);
	f->data = NULL;
	f->len = 0;
}

#endif

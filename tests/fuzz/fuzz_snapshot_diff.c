/* libFuzzer target: `sesctl diff A.json B.json` on two arbitrary snapshot files (a snapshot
 * is a file the operator is handed, so it is outside input). The first two bytes give A's
 * length; A and B are written to two temporary files and verb_diff() compares them. It must
 * return SC_OK or SC_USAGE ("not a sesctl snapshot"), never crash or leak, and on SC_OK give
 * a JSON array of changes each with change/region/kind/name strings.
 * Build: make fuzz-build (see the fuzz recipe in the Makefile). */
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <cjson/cJSON.h>

#include "../../src/core/verbs_impl.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static char path_a[64], path_b[64];

static void put(const char *path, const uint8_t *p, size_t n)
{
	FILE *f = fopen(path, "wb");

	if (!f)
		abort();
	if (n && fwrite(p, 1, n, f) != n)
		abort();
	fclose(f);
}

static void setup(void)
{
	int fa, fb;

	if (path_a[0])
		return;
	strcpy(path_a, "/tmp/fuzz_snapshot_a_XXXXXX");
	strcpy(path_b, "/tmp/fuzz_snapshot_b_XXXXXX");
	fa = mkstemp(path_a);
	fb = mkstemp(path_b);
	if (fa < 0 || fb < 0)
		abort();
	close(fa);
	close(fb);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	char *argv[3] = {path_a, path_b, NULL};
	struct verb_args args = {2, argv, NULL, 0};
	struct verb_result res;
	struct sc_error err;
	enum sc_status st;
	size_t na;

	if (size < 2)
		return 0;
	setup();
	na = ((size_t)data[0] << 8 | data[1]) % (size - 1);
	put(path_a, data + 2, na);
	put(path_b, data + 2 + na, size - 2 - na);
	memset(&res, 0, sizeof(res));
	sc_error_clear(&err);
	st = verb_diff(NULL, &args, &res, &err);
	if (st == SC_OK) {
		const cJSON *c;

		if (!cJSON_IsArray(res.json))
			abort();
		cJSON_ArrayForEach(c, res.json)
		{
			static const char *const keys[] = {"change", "region", "kind", "name"};

			for (size_t k = 0; k < 4; k++)
				if (!cJSON_IsString(cJSON_GetObjectItemCaseSensitive(c, keys[k])))
					abort();
		}
	} else if (st != SC_USAGE) {
		abort();
	}
	verb_result_free(&res);
	return 0;
}

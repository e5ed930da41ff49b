/* libFuzzer target: theme_parse() on arbitrary bytes must either succeed or fail with a
 * "origin:line: ..." SC_CONFIG message, never crash, and resolve to sane pens.
 * Build: make fuzz-build (see the fuzz recipe in the Makefile). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/tui/theme.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const struct theme_caps caps[] = {
		{0x1000000, true, false}, {256, false, false}, {16, false, false},
		{8, false, false}, {256, false, true},
	};
	struct theme_pen pens[THEME_COUNT];
	struct sc_error err;
	struct theme t;

	theme_init_default(&t);
	if (theme_parse(&t, (const char *)data, size, "fuzz", &err) != SC_OK) {
		if (err.status != SC_CONFIG || strncmp(err.message, "fuzz:", 5) != 0)
			abort();
		return 0;
	}
	for (size_t c = 0; c < sizeof(caps) / sizeof(caps[0]); c++) {
		theme_resolve(&t, &caps[c], pens);
		for (int i = 0; i < THEME_COUNT; i++) {
			int lim = caps[c].truecolor ? THEME_PEN_RGB | 0xffffff : caps[c].colors - 1;

			if (pens[i].fg < -1 || pens[i].fg > lim || pens[i].bg < -1 || pens[i].bg > lim)
				abort();
		}
	}
	return 0;
}

/* libFuzzer target: settings_parse() (the sesctl config file) and settings_view() on
 * arbitrary bytes. Parsing must succeed or fail with SC_CONFIG and a "fuzz:LINE: " message;
 * on success every profile resolves to a view with a theme and a sane refresh.
 * Build: make fuzz. Seeds: build/fuzz/seeds/fuzz_settings (tests/fuzz/seeds.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/settings.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_view(const struct settings *s, const char *profile)
{
	struct settings_view v;

	settings_view(s, profile, &v);
	if (!v.theme || (v.n_regions && !v.regions))
		abort();
	for (size_t i = 0; i < v.n_regions; i++)
		if (!v.regions[i] || !v.regions[i][0])
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct settings s;
	struct sc_error err;

	if (settings_parse((const char *)data, size, "fuzz", &s, &err) != SC_OK) {
		if (err.status != SC_CONFIG || strncmp(err.message, "fuzz:", 5) != 0)
			abort();
		settings_free(&s);
		return 0;
	}
	check_view(&s, "default");
	check_view(&s, "");
	for (size_t i = 0; i < s.n_profiles; i++)
		check_view(&s, s.profiles[i].name);
	for (size_t i = 0; i < s.n_keys; i++)
		if (!s.keys[i].key || !s.keys[i].value)
			abort();
	settings_free(&s);
	return 0;
}

/* libFuzzer target: settings_parse() (the sesctl config file) and settings_view() on
 * arbitrary bytes. Parsing must succeed or fail with SC_CONFIG and a "fuzz:LINE: " message;
 * on success every profile resolves to a view with a theme and a sane refresh, and every
 * [fleet] section makes cells (core/fleet.h) over a few profiles with no cell twice, or
 * says why not.
 * Build: make fuzz. Seeds: build/fuzz/seeds/fuzz_settings (tests/fuzz/seeds.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/fleet.h"
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

static const char *region_of(void *ud, const char *profile)
{
	(void)ud;
	return profile[0] == 'p' ? "eu-west-1" : NULL;
}

static void check_fleet(const struct settings *s, const char *name)
{
	static char *names[] = {"default", "prod-eu", "prod-us", "staging", "cust-[x]", "*"};
	struct fleet f;
	struct sc_error err;
	enum sc_status st = fleet_cells(s, name, names, 6, region_of, NULL, &f, &err);

	if (st != SC_OK) {
		if ((st != SC_USAGE && st != SC_NOT_FOUND) || f.n || !err.message[0])
			abort();
		return;
	}
	for (size_t i = 0; i < f.n; i++)
		for (size_t k = i + 1; k < f.n; k++)
			if (!strcmp(f.cells[i].profile, f.cells[k].profile) &&
			    !strcmp(f.cells[i].region ? f.cells[i].region : "",
				    f.cells[k].region ? f.cells[k].region : ""))
				abort();
	fleet_free(&f);
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
	check_fleet(&s, NULL);
	for (size_t i = 0; i < s.n_fleets; i++)
		check_fleet(&s, s.fleets[i].name);
	settings_free(&s);
	return 0;
}

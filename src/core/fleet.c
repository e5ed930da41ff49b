/* A fleet's cells: AWS profiles matched by a [fleet] section's globs, times its regions. */
#include "sesctl/core/fleet.h"

#include <fnmatch.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/util/buf.h"

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->cells[i].profile);
		free(f->cells[i].region);
	}
	free(f->cells);
	memset(f, 0, sizeof(*f));
}

static bool has_cell(const struct fleet *f, const char *profile, const char *region)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->cells[i].profile, profile) &&
		    !strcmp(f->cells[i].region ? f->cells[i].region : "", region ? region : ""))
			return true;
	return false;
}

static void add_cell(struct fleet *f, const char *profile, const char *region)
{
	if (has_cell(f, profile, region))
		return;
	f->cells = xrealloc(f->cells, (f->n + 1) * sizeof(*f->cells));
	f->cells[f->n].profile = xstrdup(profile);
	f->cells[f->n].region = region ? xstrdup(region) : NULL;
	f->n++;
}

/* One profile, with the fleet's regions or its own. */
static void add_profile(struct fleet *f, const struct settings_fleet *sf, const char *profile,
			fleet_region_fn region_of, void *ud)
{
	if (sf && sf->n_regions && !sf->active) {
		for (size_t r = 0; r < sf->n_regions; r++)
			add_cell(f, profile, sf->regions[r]);
		return;
	}
	add_cell(f, profile, region_of ? region_of(ud, profile) : NULL);
}

enum sc_status fleet_cells(const struct settings *s, const char *name, char *const *names,
			   size_t n, fleet_region_fn region_of, void *ud, struct fleet *out,
			   struct sc_error *err)
{
	const struct settings_fleet *sf = settings_fleet(s, name ? name : "");

	memset(out, 0, sizeof(*out));
	if (!sf && name && *name)
		return sc_fail(err, SC_NOT_FOUND, "no [fleet %s] section in %s", name,
			       s && s->path ? s->path : "the sesctl config");
	if (!sf || !sf->n_profiles) {   /* no section, or no globs: every profile */
		for (size_t i = 0; i < n; i++)
			add_profile(out, sf, names[i], region_of, ud);
	} else {
		for (size_t g = 0; g < sf->n_profiles; g++)
			for (size_t i = 0; i < n; i++)
				if (!fnmatch(sf->profiles[g], names[i], 0))
					add_profile(out, sf, names[i], region_of, ud);
	}
	out->active = sf && sf->active;
	if (!out->n) {
		struct buf b = {0};

		for (size_t g = 0; sf && g < sf->n_profiles; g++)
			buf_printf(&b, "%s%s", g ? ", " : "", sf->profiles[g]);
		if (!sf)
			sc_fail(err, SC_USAGE, "no AWS profile to make a fleet of (~/.aws/config)");
		else
			sc_fail(err, SC_USAGE, "[fleet%s%s] matches no AWS profile%s%s",
				*sf->name ? " " : "", sf->name, b.len ? ": " : "",
				b.len ? buf_str(&b) : "");
		buf_free(&b);
		return SC_USAGE;
	}
	return SC_OK;
}

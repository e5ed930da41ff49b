#ifndef SESCTL_CORE_FLEET_H
#define SESCTL_CORE_FLEET_H

/*
 * A fleet: the (AWS profile, region) cells one screen shows. Which cells, from sesctl's
 * config (core/settings.h):
 *
 *     [fleet]                               --fleet
 *     profiles = prod-*, staging, cust-*    globs over the AWS profiles (fnmatch), in order
 *     regions = eu-west-1, us-east-1        absent: each profile's own region
 *     [fleet emea]                          --fleet=emea
 *
 * Without a [fleet] section, --fleet (and `sesctl fleet`) takes every AWS profile with its
 * own region. `regions = active` (the regions where the account has identities) is
 * resolved by the reader, which knows the accounts; here such a fleet's cells carry the
 * profile's own region and active is set.
 *
 * Pure: the AWS profile names and each profile's region come from the caller. Ownership:
 * the cells are the caller's (fleet_cells_free()).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/core/settings.h"
#include "sesctl/util/err.h"

struct fleet_cell {
	char *profile;
	char *region;             /* NULL when neither the fleet nor the profile names one */
};

struct fleet {
	struct fleet_cell *cells; /* profiles in the order their globs match (each glob: the
				     AWS config's order), each with the regions in order; no
				     cell twice */
	size_t n;
	bool active;              /* regions = active: to be found per account */
};

/* The region an AWS profile names (NULL when none); ud passed through. */
typedef const char *(*fleet_region_fn)(void *ud, const char *profile);

/* The cells of the fleet called name (NULL or "": [fleet]) over the AWS profiles names[n].
 * SC_NOT_FOUND for a name with no [fleet NAME] section ("no [fleet emea] in FILE");
 * SC_USAGE when the fleet has no cell ("[fleet] matches no AWS profile: prod-*"). */
enum sc_status fleet_cells(const struct settings *s, const char *name, char *const *names,
			   size_t n, fleet_region_fn region_of, void *ud, struct fleet *out,
			   struct sc_error *err);
void fleet_free(struct fleet *f);

#endif

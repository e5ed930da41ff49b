#ifndef SESCTL_CORE_SETTINGS_H
#define SESCTL_CORE_SETTINGS_H

/*
 * sesctl's own configuration file: $XDG_CONFIG_HOME/sesctl/config (default
 * ~/.config/sesctl/config), or the path in SESCTL_CONFIG. Ini-like, documented in
 * doc/sesctl.1 (FILES) and README:
 *
 *     [global]                  # defaults for every profile
 *     theme = default
 *     refresh = 300             # seconds between background refreshes in the TUI
 *     [profile prod-oncall]     # an AWS profile name, as in ~/.aws/config
 *     read_only = true          # every mutating verb is refused
 *     [profile prod-admin]
 *     protected = true          # mutations need the account id (or alias) typed back
 *     alias = prod              # accepted instead of the account id when confirming
 *     regions = eu-west-1, us-east-1   # what --region all means for this profile
 *     [keys]                    # TUI key overrides: key = request name
 *     ctrl-r = refresh
 *     [fleet]                   # the accounts and regions `--fleet` looks at
 *     profiles = prod-*, staging, cust-*   # globs over the AWS profiles, in order
 *     regions = eu-west-1, us-east-1       # or "active"; absent: each profile's region
 *     [fleet emea]              # another fleet, for --fleet=emea
 *     profiles = *-eu
 *
 * A missing file is not an error. A malformed line is SC_CONFIG with "file:line: ...".
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/util/err.h"

struct settings_kv {
	char *key;
	char *value;
};

struct settings_profile {
	char *name;               /* "" for [global] */
	int read_only;            /* -1 unset, 0, 1 */
	int protected_;           /* -1 unset, 0, 1 */
	char *alias;
	char **regions;
	size_t n_regions;
	char *theme;
	int refresh;              /* seconds, -1 unset */
};

/* A [fleet] ([fleet NAME]) section: which AWS profiles and regions make its cells. */
struct settings_fleet {
	char *name;               /* "" for [fleet] */
	char **profiles;          /* globs (fnmatch), in file order; empty: every profile */
	size_t n_profiles;
	char **regions;           /* empty: each profile's own region */
	size_t n_regions;
	bool active;              /* regions = active: where the account has identities */
};

struct settings {
	char *path;               /* the file read (or that would have been) */
	struct settings_profile global;
	struct settings_profile *profiles;
	size_t n_profiles;
	struct settings_kv *keys; /* [keys] overrides, in file order */
	size_t n_keys;
	struct settings_fleet *fleets; /* [fleet] and [fleet NAME] sections, in file order */
	size_t n_fleets;
};

/* Resolved view for one AWS profile: profile values over [global] over built-ins. */
struct settings_view {
	bool read_only;
	bool protected_;
	const char *alias;        /* may be NULL */
	char *const *regions;     /* may be empty */
	size_t n_regions;
	const char *theme;        /* never NULL */
	int refresh;              /* seconds */
};

/* path NULL → SESCTL_CONFIG or the XDG default. */
enum sc_status settings_load(const char *path, struct settings *out, struct sc_error *err);
/* Parse text (for tests and fuzzing); name is used in error messages. */
enum sc_status settings_parse(const char *text, size_t len, const char *name,
			      struct settings *out, struct sc_error *err);
void settings_free(struct settings *s);
void settings_view(const struct settings *s, const char *profile, struct settings_view *out);
/* The fleet section of that name ("" or NULL: [fleet]); NULL when there is none. */
const struct settings_fleet *settings_fleet(const struct settings *s, const char *name);
/* "$XDG_CONFIG_HOME/sesctl/config" or ~/.config/...; malloc'd. */
char *settings_default_path(void);

#endif

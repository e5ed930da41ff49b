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

#include <signal.h>
#include <time.h>

#include "sesctl/core/settings.h"
#include "sesctl/store/fleet.h"
#include "sesctl/util/err.h"

struct fleet_cell {
	char *profile;
	char *region;             /* NULL when neither the fleet nor the profile names one */
	bool discover;            /* regions = active, the account's not known yet (the
				     profile's own region stands in; fleet_view_load) */
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

/*
 * What one screen of the fleet shows, read from the cache only: per cell its account (the
 * one the profile reached there last), that account's summary in that region (kept by
 * every sync, store/fleet.h), and the last read's error. A few hundred rows, whatever the
 * number of cached identities.
 */
struct core;
struct cache;

enum fleet_health {           /* worst first: the order of the screen */
	FLEET_ERROR,              /* the last read failed (credentials, access, network) */
	FLEET_SHUTDOWN,           /* AWS stopped the account's sending */
	FLEET_PAUSED,             /* account sending disabled (by the operator, or AWS) */
	FLEET_PROBATION,
	FLEET_OVER_LINE,          /* bounce or complaint rate at or over a review line */
	FLEET_WARNING,            /* near a line, paused sets or tenants, NOWHERE feedback */
	FLEET_UNREAD,             /* never read */
	FLEET_HEALTHY,
};
const char *fleet_health_word(enum fleet_health h); /* "error" "shutdown" … "healthy" */

struct fleet_row {
	char *profile;
	char *region;             /* NULL: the profile names none (an error row says so) */
	char *account_id;         /* NULL: never reached */
	char *alias;              /* the account's alias in sesctl's config, or NULL */
	char *cred_source;        /* from the AWS config: "keys", "role via fleet-admin", "sso" … */
	struct cache_cell_summary sum; /* figures unknown (-1/NAN) when has_sum is false */
	bool has_sum;
	time_t read_at;           /* the last read that worked */
	char *error;              /* the last read's error, when it is newer than read_at */
	time_t error_at;
	enum fleet_health health;
	char why[160];            /* the health in words: "bounce 8.5 % (review 5 %)" */
	bool discover;            /* regions = active, and the account's are not known yet: the
				     row stands for the profile's own region until a read looks
				     in every SES region */
};

struct fleet_view {
	char *name;               /* the fleet's name ("" for [fleet], NULL: every profile) */
	struct fleet_row *rows;
	size_t n;
	size_t trouble;           /* rows worse than WARNING */
};

enum fleet_sort { FLEET_SORT_HEALTH, FLEET_SORT_BOUNCE, FLEET_SORT_COMPLAINT, FLEET_SORT_AGE };
/* "health" "bounce" "complaint" "age" → 0..3; -1 when unknown. */
int fleet_sort_from(const char *word);

/* The cells of the fleet called name (NULL: --fleet's, else [fleet], else every AWS
 * profile) from core's settings and AWS config, each with what the cache knows; sorted
 * worst first. Errors: fleet_cells()'s, and the cache's. Free with fleet_view_free(). */
enum sc_status fleet_view_load(struct core *core, const char *name, struct fleet_view *out,
			       struct sc_error *err);
void fleet_view_sort(struct fleet_view *v, enum fleet_sort by);
void fleet_view_free(struct fleet_view *v);

/* Summarize the cached state of account in region for the fleet (every sync does, after
 * each region) and record that profile read it. Errors: the cache's. */
enum sc_status fleet_summarize(struct core *core, const char *account_id, const char *region,
			       struct sc_error *err);
/* Record a failed read of core's profile in region (message: the sentence shown). */
void fleet_note_error(struct core *core, const char *region, const char *message);

/* The cell (profile, FLEET_ACTIVE_MARK) records that a profile's account was looked for
 * in every SES region (regions = active), so it is not looked for again. */
#define FLEET_ACTIVE_MARK "active"

/* One reader of an account in a region at a time, across processes (SES's rate limits are
 * the account's, not the process's): an fcntl lock on one byte of CACHE_FILE.locks (the
 * byte a hash of account and region), waited for; a signal with *interrupt set (may be
 * NULL) stops the wait. Returns the descriptor to give fleet_unlock(), or -1 (no lock could
 * be had: the caller goes on without). */
int fleet_lock_account(const char *cache_file, const char *account_id, const char *region,
		       const volatile sig_atomic_t *interrupt);
void fleet_unlock(int fd);

/* A cell's data age in a column's few characters: "45s" "12m" "5h" "3d", "never" for 0. */
void fleet_age_words(char *out, size_t n, time_t t, time_t now);

/* Whether the fleet option (--fleet / --fleet=NAME) was given. */
bool fleet_selected(const struct core *core);

#endif

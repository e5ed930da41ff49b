#ifndef SESCTL_STORE_FLEET_H
#define SESCTL_STORE_FLEET_H

/*
 * The fleet's cache (core/fleet.h): what one screen of many accounts and regions reads, a
 * few hundred rows however many identities are cached.
 *
 *   cell summaries   one row per (account id, region): the figures a fleet row shows,
 *                    computed from the account's cached state after each sync of it
 *   cells            one row per (AWS profile, region): the account the profile reached
 *                    there, when it was last read, and the error of its last read
 *   find             identities by name across every cached account and region, or every
 *                    identity under a domain, through an index of the reversed names
 *
 * Ownership and errors: as db.h says.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/store/db.h"

/* -1 (or NAN for rates) where a figure is unknown: the kind it comes from was never read. */
struct cache_cell_summary {
	char *account_id;
	char *region;
	time_t computed;          /* when this summary was made */
	time_t data_time;         /* the oldest read of the kinds it comes from (0: never) */
	char *enforcement;        /* HEALTHY, PROBATION, SHUTDOWN …; NULL unknown */
	int sending_enabled;      /* 1, 0, -1 */
	int production;           /* 1 production, 0 sandbox, -1 */
	double max24, sent24;     /* the quota and what was sent in the last 24 h; -1 */
	double bounce_rate;       /* fractions, SES's own trailing rates; NAN unknown */
	double complaint_rate;
	long config_sets, paused_config_sets;
	long tenants, paused_tenants;
	long identities, pending, failed;
	long feedback_nowhere;    /* identities whose bounces go nowhere; -1 never audited */
	char *paused_by;          /* who paused the account (words), NULL when not known */
	time_t paused_at;
	char *paused_reason;
};
void cache_cell_summary_free(struct cache_cell_summary *s);

enum sc_status cache_put_cell_summary(struct cache *c, const struct cache_cell_summary *s,
				      struct sc_error *err);
/* SC_NOT_FOUND when the cell was never summarized (out zeroed, figures unknown). */
enum sc_status cache_get_cell_summary(struct cache *c, const char *account_id,
				      const char *region, struct cache_cell_summary *out,
				      struct sc_error *err);

/* Identities of account in region: all, PENDING, and FAILED or TEMPORARY_FAILURE.
 * pending and failed may be NULL: the total alone is counted from the index. */
enum sc_status cache_count_identities(struct cache *c, const char *account_id, const char *region,
				      long *total, long *pending, long *failed,
				      struct sc_error *err);

/* A (profile, region) as last read. */
struct cache_cell {
	char *profile;
	char *region;
	char *account_id;         /* NULL when no read ever reached the account */
	time_t read_at;           /* the last read that worked (0: none) */
	char *error;              /* the last read's error; NULL when it worked */
	time_t error_at;
};
void cache_cells_free(struct cache_cell *v, size_t n);

/* After a read of profile in region: account_id (may be NULL when the read failed before
 * learning it: the one known stays) and error (NULL: the read worked, the error is
 * cleared). */
enum sc_status cache_put_cell(struct cache *c, const char *profile, const char *region,
			      const char *account_id, const char *error, time_t when,
			      struct sc_error *err);
/* Every cell ever read, by profile then region. */
enum sc_status cache_get_cells(struct cache *c, struct cache_cell **out, size_t *n,
			       struct sc_error *err);

/* The regions where account has identities, as its summaries say (sorted). */
enum sc_status cache_active_regions(struct cache *c, const char *account_id, char ***out,
				    size_t *n, struct sc_error *err);

/* One identity found by cache_find_identities(). */
struct cache_found {
	char *account_id;
	char *region;
	char *name;
	char *type;               /* EMAIL_ADDRESS, DOMAIN, MANAGED_DOMAIN; may be NULL */
	char *verification_status;
	bool sending_enabled;
	time_t fetched;
};
void cache_found_free(struct cache_found *v, size_t n);

/* Identities named name, and with under, every identity under it too (its subdomains and
 * its addresses: x.name, user@name, user@x.name), in every account and region; name
 * compared as given (callers lower-case domains). At most max rows (0: no limit), by
 * name, account, region. Uses the reversed-name index; rows cached by an older sesctl get
 * their index entry on the first call (one UPDATE). */
enum sc_status cache_find_identities(struct cache *c, const char *name, bool under, size_t max,
				     struct cache_found **out, size_t *n, struct sc_error *err);

#endif

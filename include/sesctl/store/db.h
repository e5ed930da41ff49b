#ifndef SESCTL_STORE_DB_H
#define SESCTL_STORE_DB_H

/*
 * The cache database: opening and keeping it (db.c, schema.c). The cache holds the last
 * known SES state per (account id, region), history of send statistics and reputation
 * metrics, sync metadata, the API call log and the audit trail. Each family of cached kinds
 * has its own header beside this one (identities.h, receipt.h, suppression.h,
 * config_sets.h, account.h, mail_manager.h, feedback.h, history.h, tenants.h, calls.h;
 * audit.h); a new family is one more
 * file and header, plus its CACHE_KIND_* below.
 *
 * One file per user: $XDG_CACHE_HOME/sesctl/cache.sqlite3 (~/.cache when the variable is
 * unset, empty or relative). The directory is 0700 and owned by the user, the file and its
 * -wal/-shm are 0600. The file is only a cache: a file that is not a sesctl cache, is
 * damaged, or was written by a newer sesctl is renamed to <name>.corrupt-<UTC time> and
 * rebuilt; cache_open() then hands back a one-line warning for the front-end to show.
 *
 * Ownership (all store/ headers): struct cache is opaque, cache_close() frees it. Every get
 * function returns fresh heap copies the caller frees with the matching ses_*_free
 * (model.h) or the cache_*_free helper of its header; on failure the out-parameters are
 * left NULL/0. Strings passed in are borrowed. Never pass secrets: nothing here is
 * encrypted.
 *
 * Errors (all store/ headers): SC_IO for database and file problems (the message names the
 * file or the operation, never a bound value), SC_NOT_FOUND for single-object gets that
 * find nothing, SC_USAGE for bad arguments (NULL account/region, misuse of transactions).
 *
 * Writes: each put/replace runs in its own BEGIN IMMEDIATE transaction unless the caller
 * opened a batch with cache_begin(), in which case everything lands at cache_commit().
 * After any failed write inside a batch, call cache_rollback().
 *
 * Time values are time_t UTC seconds. A struct cache belongs to one thread; other processes
 * may use the same file at the same time (WAL, busy timeout 5 s).
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/util/err.h"

struct cache;

/* "sesc" — PRAGMA application_id of every sesctl cache file. */
#define CACHE_APPLICATION_ID 0x73657363

/* ---- opening ---- */

/* The default path ($XDG_CACHE_HOME/sesctl/cache.sqlite3 or ~/.cache/...); caller frees. */
enum sc_status cache_default_path(char **out, struct sc_error *err);

/* Open (creating, migrating or rebuilding as needed). path_or_null NULL → the default
 * path, whose directories are created 0700 (a symlinked or foreign-owned sesctl directory
 * is refused). An explicit path gets its last directory created 0700 when missing.
 * *warning (may be NULL) receives a malloc'd sentence when a damaged or foreign file was
 * moved aside, else NULL. */
enum sc_status cache_open(const char *path_or_null, struct cache **out, char **warning,
			  struct sc_error *err);
void cache_close(struct cache *c); /* NULL allowed; rolls back an open batch */
/* True when the cache sits on a read-only filesystem: cache_open() then opens an existing,
 * current cache read-only (and says so in *warning) instead of failing; writes fail. */
bool cache_read_only(const struct cache *c);
const char *cache_path(const struct cache *c);

/* Schema version this build writes, and migration n's SQL (1-based; NULL when out of
 * range). Defined in schema.c. Exposed for tests and `sesctl cache info`. */
int cache_schema_version(void);
const char *cache_migration_sql(int version);

/* ---- batches ---- */

enum sc_status cache_begin(struct cache *c, struct sc_error *err); /* BEGIN IMMEDIATE */
enum sc_status cache_commit(struct cache *c, struct sc_error *err);
void cache_rollback(struct cache *c); /* no-op when no batch is open */
bool cache_in_batch(const struct cache *c);

/* A vector of names a get function returned (each name and the vector malloc'd). */
void cache_names_free(char **v, size_t n);

/* ---- accounts seen: pick the last one offline ---- */

struct cache_account_row {
	char *account_id;
	char *region;
	char *profile; /* for display; may be NULL */
	time_t last_used;
};

enum sc_status cache_note_account(struct cache *c, const char *account_id, const char *region,
				  const char *profile, time_t when, struct sc_error *err);
/* Most recently used first. */
enum sc_status cache_accounts(struct cache *c, struct cache_account_row **out, size_t *n,
			      struct sc_error *err);
void cache_accounts_free(struct cache_account_row *v, size_t n);

/* ---- sync metadata: when each kind was last fetched in full ---- */

/* A new family of cached kinds adds its kind here and its name in db.c. */
enum cache_kind {
	CACHE_KIND_IDENTITIES,
	CACHE_KIND_RULE_SETS,
	CACHE_KIND_FILTERS,
	CACHE_KIND_SUPPRESSION,
	CACHE_KIND_CONFIG_SETS,
	CACHE_KIND_ACCOUNT,
	CACHE_KIND_SEND_STATS,
	CACHE_KIND_METRICS,
	CACHE_KIND_MAIL_MANAGER,
	CACHE_KIND_FEEDBACK,
	CACHE_KIND_EVENTS,
	CACHE_KIND_HISTORY,
	CACHE_KIND_TENANTS,
	CACHE_KIND_RECOMMENDATIONS,
	CACHE_KIND_COUNT
};
const char *cache_kind_name(enum cache_kind k); /* "identities", ... */

/* Record a finished full fetch (clears the last error). The *_replace functions and
 * cache_put_account/cache_put_send_points/cache_put_metric_points do this themselves. */
enum sc_status cache_mark_fetched(struct cache *c, const char *account_id, const char *region,
				  enum cache_kind k, time_t fetched, struct sc_error *err);
/* Record a failed fetch; keeps the last good fetch time. */
enum sc_status cache_mark_error(struct cache *c, const char *account_id, const char *region,
				enum cache_kind k, const char *message, struct sc_error *err);
/* Last full fetch time (0: never) and, when last_error is not NULL, a malloc'd copy of the
 * last error or NULL. Never fails with NOT_FOUND: an unknown kind reads as never fetched. */
enum sc_status cache_kind_age(struct cache *c, const char *account_id, const char *region,
			      enum cache_kind k, time_t *fetched, char **last_error,
			      struct sc_error *err);

/* ---- for other store/ modules only (db_impl.h, audit.c) ---- */

struct sqlite3;
struct sqlite3 *cache_db(struct cache *c);
/* Start a write: opens BEGIN IMMEDIATE unless a batch is open; *own says which. */
enum sc_status cache_write_begin(struct cache *c, bool *own, struct sc_error *err);
/* Finish a write started with cache_write_begin: commits (st == SC_OK) or rolls back when
 * it owns the transaction. Returns st, or the commit failure. */
enum sc_status cache_write_end(struct cache *c, bool own, enum sc_status st,
			       struct sc_error *err);
/* Fill err from the connection's last error: "cache <what>: <sqlite message>"; returns
 * SC_IO. */
enum sc_status cache_db_fail(struct cache *c, struct sc_error *err, const char *what);

#endif

#ifndef SESCTL_STORE_DB_IMPL_H
#define SESCTL_STORE_DB_IMPL_H

/*
 * Private to src/store/: the plumbing db.c gives the family files (identities.c, receipt.c,
 * suppression.c, config_sets.c, account.c, mail_manager.c, calls.c). Statements bind their
 * values from a type string ("s" text or NULL, "i" int, "I" int64, "d" double); errors
 * become SC_IO with what failed. JSON helpers read and write the `data`/`extra` columns.
 * Nothing here is for callers outside the store: they use sesctl/store/db.h and the
 * family headers beside it.
 */

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/store/db.h"
#include "sesctl/util/err.h"

enum sc_status store_exec(struct cache *c, const char *sql, const char *what,
			       struct sc_error *err);
enum sc_status store_query(struct cache *c, sqlite3_stmt **out, const char *what,
			       struct sc_error *err, const char *sql, const char *types, ...);
enum sc_status store_run(struct cache *c, const char *what, struct sc_error *err,
			     const char *sql, const char *types, ...);
enum sc_status store_query_end(struct cache *c, sqlite3_stmt *st, int rc, const char *what,
				struct sc_error *err);
char *store_col_str(sqlite3_stmt *st, int i);
time_t store_col_time(sqlite3_stmt *st, int i);
void *store_grow(void **v, size_t *n, size_t *cap, size_t size);
enum sc_status store_check_key(const char *account_id, const char *region,
				struct sc_error *err);
enum sc_status store_check_items(const void *v, size_t n, struct sc_error *err);
enum sc_status store_check_one(const void *x, struct sc_error *err);
void store_json_put_str(cJSON *o, const char *k, const char *v);
void store_json_put_num(cJSON *o, const char *k, double v);
void store_json_put_bool(cJSON *o, const char *k, bool v);
void store_json_put_strv(cJSON *o, const char *k, char *const *v, size_t n);
char *store_json_get_str(const cJSON *o, const char *k);
double store_json_get_num(const cJSON *o, const char *k, double dflt);
bool store_json_get_bool(const cJSON *o, const char *k);
char **store_json_get_strv(const cJSON *o, const char *k, size_t *n);
char *store_json_finish(cJSON *o);
cJSON *store_json_new(void);
enum sc_status store_json_parse(sqlite3_stmt *st, int col, cJSON **out, const char *what,
			       struct sc_error *err);
enum sc_status store_mark_fetched(struct cache *c, const char *account_id, const char *region,
				   enum cache_kind k, time_t fetched, struct sc_error *err);
enum sc_status store_delete_scope(struct cache *c, const char *table, const char *account_id,
				   const char *region, struct sc_error *err);
const char *store_empty_to_null(const char *s);
/* name reversed byte by byte (malloc'd): identities.rname, the key find searches by
 * prefix ("moc.elpmaxe" finds example.com and everything under it). fleet.c. */
char *store_reverse_name(const char *name);

/* Store one item of a replace (item points into store_replace.items). */
typedef enum sc_status (*store_insert_fn)(struct cache *c, void *ud, const char *account_id,
					  const char *region, const void *item,
					  struct sc_error *err);

/* What a cache_put_*_replace() replaces: the rows of (account, region) in table — or, with
 * delete_sql, the rows that statement deletes (?1 account, ?2 region, ?3 scope) — by the
 * n items of size bytes each, then the kind is marked fetched. */
struct store_replace {
	const char *table;
	const char *delete_sql;
	const char *scope;
	enum cache_kind kind;
	const void *items;
	size_t n, size;
	store_insert_fn insert;
	void *ud;
};

/* The one replace sequence every family uses: check the key and the items (SC_USAGE), begin
 * (or join the caller's batch), delete the scope, insert each item, mark the kind fetched,
 * commit — or roll back everything on the first error, so the cache keeps what it had. */
enum sc_status store_replace(struct cache *c, const char *account_id, const char *region,
			     const struct store_replace *r, time_t fetched, struct sc_error *err);

/* A replace whose items arrive in pages, never all in memory (the suppression list can hold
 * millions). Each page lands in its own short transaction under a staging key — the region
 * "<region>#staging-<pid>", which no reader asks for — so readers keep seeing the previous
 * listing and no write lock is held between pages. store_stage_done() then swaps the staged
 * rows in for the scope in one transaction and marks the kind fetched (ok), or deletes them
 * (!ok: the previous listing stays). first: the first page, which also clears what a killed
 * process staged before. r->items/n is the page. */
enum sc_status store_stage_page(struct cache *c, const char *account_id, const char *region,
				const struct store_replace *r, bool first, struct sc_error *err);
enum sc_status store_stage_done(struct cache *c, const char *account_id, const char *region,
				const struct store_replace *r, bool ok, time_t fetched,
				struct sc_error *err);

#endif

/* The account-level suppression list. */
#include "sesctl/store/suppression.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

static enum sc_status insert_suppressed(struct cache *c, const char *account_id,
					const char *region, const struct ses_suppressed *x,
					struct sc_error *err)
{
	if (!x->email || !*x->email)
		return sc_fail(err, SC_USAGE, "a suppression entry without an address cannot be cached");
	return store_run(c, "store suppression entry", err,
		      "INSERT OR REPLACE INTO suppressed(account_id, region, email, reason,"
		      " last_update, message_id, feedback_id) VALUES (?,?,?,?,?,?,?)",
		      "ssssIss", account_id, region, x->email, x->reason, (int64_t)x->last_update,
		      x->message_id, x->feedback_id);
}

static enum sc_status suppressed_row(struct cache *c, void *ud, const char *account_id,
				     const char *region, const void *item, struct sc_error *err)
{
	(void)ud;
	return insert_suppressed(c, account_id, region, item, err);
}

enum sc_status cache_put_suppressed_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_suppressed *v,
					    size_t n, time_t fetched, struct sc_error *err)
{
	struct store_replace r = {.table = "suppressed", .kind = CACHE_KIND_SUPPRESSION,
				  .items = v, .n = n, .size = sizeof(*v), .insert = suppressed_row};

	return store_replace(c, account_id, region, &r, fetched, err);
}

enum sc_status cache_stage_suppressed(struct cache *c, const char *account_id,
				      const char *region, const struct ses_suppressed *v, size_t n,
				      bool first, struct sc_error *err)
{
	struct store_replace r = {.table = "suppressed", .kind = CACHE_KIND_SUPPRESSION,
				  .items = v, .n = n, .size = sizeof(*v), .insert = suppressed_row};

	return store_stage_page(c, account_id, region, &r, first, err);
}

enum sc_status cache_stage_suppressed_done(struct cache *c, const char *account_id,
					   const char *region, bool ok, time_t fetched,
					   struct sc_error *err)
{
	struct store_replace r = {.table = "suppressed", .kind = CACHE_KIND_SUPPRESSION};

	return store_stage_done(c, account_id, region, &r, ok, fetched, err);
}

enum sc_status cache_put_suppressed(struct cache *c, const char *account_id, const char *region,
				    const struct ses_suppressed *x, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, insert_suppressed(c, account_id, region, x, err), err);
}

enum sc_status cache_delete_suppressed(struct cache *c, const char *account_id,
				       const char *region, const char *email,
				       struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "delete suppression entry", err,
		    "DELETE FROM suppressed WHERE account_id = ? AND region = ? AND email = ?",
		    "sss", account_id, region, email ? email : "");
	return cache_write_end(c, own, st, err);
}


enum sc_status cache_get_suppressed(struct cache *c, const char *account_id, const char *region,
				    const char *reason, const char *substring,
				    struct ses_suppressed **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "suppression list", err,
		     "SELECT email, reason, last_update, message_id, feedback_id FROM suppressed"
		     " WHERE account_id = ?1 AND region = ?2"
		     " AND (?3 IS NULL OR reason = ?3)"
		     " AND (?4 IS NULL OR instr(lower(email), lower(?4)) > 0)"
		     " ORDER BY email",
		     "ssss", account_id, region, store_empty_to_null(reason),
		     store_empty_to_null(substring)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_suppressed *x = store_grow((void **)out, n, &cap, sizeof(**out));
		x->email = store_col_str(st, 0);
		x->reason = store_col_str(st, 1);
		x->last_update = store_col_time(st, 2);
		x->message_id = store_col_str(st, 3);
		x->feedback_id = store_col_str(st, 4);
	}
	if (store_query_end(c, st, rc, "suppression list", err) != SC_OK) {
		cache_suppressed_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_suppressed_free(struct ses_suppressed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_suppressed_free(&v[i]);
	free(v);
}

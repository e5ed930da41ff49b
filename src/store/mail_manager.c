/* Mail Manager resources (read-only). */
#include "sesctl/store/mail_manager.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

static enum sc_status mm_row(struct cache *c, void *ud, const char *account_id,
			     const char *region, const void *item, struct sc_error *err)
{
	const struct ses_mm_item *x = item;
	const time_t *fetched = ud;

	return store_run(c, "store Mail Manager item", err,
			 "INSERT OR REPLACE INTO mm_items(account_id, region, kind, id, name, status,"
			 " detail, modified, fetched) VALUES (?,?,?,?,?,?,?,?,?)",
			 "sssssssII", account_id, region, x->kind, x->id, x->name, x->status,
			 x->detail, (int64_t)x->modified, (int64_t)*fetched);
}

enum sc_status cache_put_mm_items_replace(struct cache *c, const char *account_id,
					  const char *region, const char *kind,
					  const struct ses_mm_item *v, size_t n, time_t fetched,
					  struct sc_error *err)
{
	/* one kind of item (or all, kind NULL) is replaced */
	struct store_replace r = {.table = "Mail Manager items", .kind = CACHE_KIND_MAIL_MANAGER,
				  .delete_sql = "DELETE FROM mm_items WHERE account_id = ? AND"
						" region = ? AND (?3 IS NULL OR kind = ?3)",
				  .scope = kind, .items = v, .n = n, .size = sizeof(*v),
				  .insert = mm_row, .ud = &fetched};

	for (size_t i = 0; v && i < n; i++) /* a NULL v is store_replace()'s to refuse */
		if (!v[i].kind || !v[i].id || (kind && strcmp(kind, v[i].kind)))
			return sc_fail(err, SC_USAGE, "Mail Manager item %zu has no id or the wrong kind",
				       i);
	return store_replace(c, account_id, region, &r, fetched, err);
}

enum sc_status cache_get_mm_items(struct cache *c, const char *account_id, const char *region,
				  const char *kind, struct ses_mm_item **out, size_t *n,
				  struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "Mail Manager items", err,
		     "SELECT kind, id, name, status, detail, modified FROM mm_items"
		     " WHERE account_id = ?1 AND region = ?2 AND (?3 IS NULL OR kind = ?3)"
		     " ORDER BY kind, name, id",
		     "sss", account_id, region, store_empty_to_null(kind)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_mm_item *x = store_grow((void **)out, n, &cap, sizeof(**out));
		x->kind = store_col_str(st, 0);
		x->id = store_col_str(st, 1);
		x->name = store_col_str(st, 2);
		x->status = store_col_str(st, 3);
		x->detail = store_col_str(st, 4);
		x->modified = store_col_time(st, 5);
	}
	if (store_query_end(c, st, rc, "Mail Manager items", err) != SC_OK) {
		cache_mm_items_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_mm_items_free(struct ses_mm_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_mm_item_free(&v[i]);
	free(v);
}

/* Configuration sets. */
#include "sesctl/store/config_sets.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

static char *config_set_json(const struct ses_config_set *x)
{
	cJSON *o = store_json_new();

	store_json_put_bool(o, "sending_enabled", x->sending_enabled);
	store_json_put_bool(o, "reputation_metrics_enabled", x->reputation_metrics_enabled);
	store_json_put_str(o, "tls_policy", x->tls_policy);
	store_json_put_str(o, "sending_pool", x->sending_pool);
	store_json_put_strv(o, "suppressed_reasons", x->suppressed_reasons, x->n_suppressed_reasons);
	store_json_put_num(o, "last_fresh_start", (double)x->last_fresh_start);
	return store_json_finish(o);
}

static void config_set_from_json(struct ses_config_set *x, const cJSON *o)
{
	x->sending_enabled = store_json_get_bool(o, "sending_enabled");
	x->reputation_metrics_enabled = store_json_get_bool(o, "reputation_metrics_enabled");
	x->tls_policy = store_json_get_str(o, "tls_policy");
	x->sending_pool = store_json_get_str(o, "sending_pool");
	x->suppressed_reasons = store_json_get_strv(o, "suppressed_reasons", &x->n_suppressed_reasons);
	x->last_fresh_start = (time_t)store_json_get_num(o, "last_fresh_start", 0);
}

static enum sc_status insert_config_set(struct cache *c, const char *account_id,
					const char *region, const struct ses_config_set *x,
					struct sc_error *err)
{
	char *data;
	enum sc_status st;

	if (!x->name || !*x->name)
		return sc_fail(err, SC_USAGE, "a configuration set without a name cannot be cached");
	data = config_set_json(x);
	st = store_run(c, "store configuration set", err,
		    "INSERT OR REPLACE INTO config_sets(account_id, region, name, fetched, data)"
		    " VALUES (?,?,?,?,?)",
		    "sssIs", account_id, region, x->name, (int64_t)x->fetched, data);
	free(data);
	return st;
}

static enum sc_status config_set_row(struct cache *c, void *ud, const char *account_id,
				     const char *region, const void *item, struct sc_error *err)
{
	(void)ud;
	return insert_config_set(c, account_id, region, item, err);
}

enum sc_status cache_put_config_sets_replace(struct cache *c, const char *account_id,
					     const char *region, const struct ses_config_set *v,
					     size_t n, time_t fetched, struct sc_error *err)
{
	struct store_replace r = {.table = "config_sets", .kind = CACHE_KIND_CONFIG_SETS,
				  .items = v, .n = n, .size = sizeof(*v), .insert = config_set_row};

	return store_replace(c, account_id, region, &r, fetched, err);
}

enum sc_status cache_put_config_set(struct cache *c, const char *account_id, const char *region,
				    const struct ses_config_set *x, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, insert_config_set(c, account_id, region, x, err), err);
}

enum sc_status cache_get_config_sets(struct cache *c, const char *account_id,
				     const char *region, struct ses_config_set **out, size_t *n,
				     struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;
	cJSON *o;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "configuration sets", err,
		     "SELECT name, fetched, data FROM config_sets"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_config_set *x = store_grow((void **)out, n, &cap, sizeof(**out));
		x->name = store_col_str(st, 0);
		x->fetched = store_col_time(st, 1);
		s = store_json_parse(st, 2, &o, "configuration set", err);
		if (s == SC_OK)
			config_set_from_json(x, o);
		cJSON_Delete(o);
	}
	if (s == SC_OK)
		s = store_query_end(c, st, rc, "configuration sets", err);
	else
		sqlite3_finalize(st);
	if (s != SC_OK) {
		cache_config_sets_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

void cache_config_sets_free(struct ses_config_set *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_config_set_free(&v[i]);
	free(v);
}

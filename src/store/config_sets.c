/* Configuration sets. */
#include "sesctl/store/config_sets.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

#define CS_STRINGS(_)                                                                      \
	_(tls_policy) _(sending_pool) _(validation_enabled) _(validation_threshold)         \
	_(tracking_domain) _(https_policy) _(vdm_engagement) _(vdm_optimized_delivery)      \
	_(archive_arn)

static cJSON *dest_json(const struct ses_event_dest *d)
{
	cJSON *o = store_json_new(), *dims;

	store_json_put_str(o, "name", d->name);
	store_json_put_bool(o, "enabled", d->enabled);
	store_json_put_num(o, "events", (double)d->events);
	store_json_put_strv(o, "unknown_events", d->unknown_events, d->n_unknown_events);
	store_json_put_num(o, "kind", (double)d->kind);
	store_json_put_str(o, "arn", d->arn);
	store_json_put_str(o, "role_arn", d->role_arn);
	if (!d->n_dims)
		return o;
	dims = cJSON_AddArrayToObject(o, "dims");
	for (size_t i = 0; i < d->n_dims; i++) {
		cJSON *x = store_json_new();

		store_json_put_str(x, "name", d->dims[i].name);
		store_json_put_str(x, "source", d->dims[i].source);
		store_json_put_str(x, "default", d->dims[i].default_value);
		cJSON_AddItemToArray(dims, x);
	}
	return o;
}

static void dest_from_json(struct ses_event_dest *d, const cJSON *o)
{
	const cJSON *dims = cJSON_GetObjectItemCaseSensitive(o, "dims"), *x;
	double kind = store_json_get_num(o, "kind", 0);

	d->name = store_json_get_str(o, "name");
	d->enabled = store_json_get_bool(o, "enabled");
	d->events = (unsigned)store_json_get_num(o, "events", 0) & ((1u << SES_EVENT_COUNT) - 1);
	d->unknown_events = store_json_get_strv(o, "unknown_events", &d->n_unknown_events);
	d->kind = kind > 0 && kind < SES_DEST_COUNT ? (enum ses_dest_kind)kind : SES_DEST_NONE;
	d->arn = store_json_get_str(o, "arn");
	d->role_arn = store_json_get_str(o, "role_arn");
	if (!cJSON_IsArray(dims) || !cJSON_GetArraySize(dims))
		return;
	d->dims = xcalloc((size_t)cJSON_GetArraySize(dims), sizeof(*d->dims));
	cJSON_ArrayForEach(x, dims) {
		struct ses_cw_dimension *m = &d->dims[d->n_dims++];

		m->name = store_json_get_str(x, "name");
		m->source = store_json_get_str(x, "source");
		m->default_value = store_json_get_str(x, "default");
	}
}

static char *config_set_json(const struct ses_config_set *x)
{
	cJSON *o = store_json_new(), *arr;

	store_json_put_bool(o, "sending_enabled", x->sending_enabled);
	store_json_put_bool(o, "reputation_metrics_enabled", x->reputation_metrics_enabled);
#define PUT(f) store_json_put_str(o, #f, x->f);
	CS_STRINGS(PUT)
#undef PUT
	store_json_put_num(o, "max_delivery_seconds", (double)x->max_delivery_seconds);
	store_json_put_bool(o, "suppression_set", x->suppression_set);
	store_json_put_strv(o, "suppressed_reasons", x->suppressed_reasons, x->n_suppressed_reasons);
	store_json_put_num(o, "last_fresh_start", (double)x->last_fresh_start);
	if (x->n_tags) {
		cJSON *tags = cJSON_AddObjectToObject(o, "tags");

		for (size_t i = 0; i < x->n_tags; i++)
			cJSON_AddStringToObject(tags, x->tags[i].key, x->tags[i].value ? x->tags[i].value : "");
	}
	store_json_put_bool(o, "dests_known", x->dests_known);
	arr = cJSON_AddArrayToObject(o, "dests");
	for (size_t i = 0; i < x->n_dests; i++)
		cJSON_AddItemToArray(arr, dest_json(&x->dests[i]));
	return store_json_finish(o);
}

static void config_set_from_json(struct ses_config_set *x, const cJSON *o)
{
	const cJSON *tags = cJSON_GetObjectItemCaseSensitive(o, "tags");
	const cJSON *dests = cJSON_GetObjectItemCaseSensitive(o, "dests"), *it;

	x->sending_enabled = store_json_get_bool(o, "sending_enabled");
	x->reputation_metrics_enabled = store_json_get_bool(o, "reputation_metrics_enabled");
#define GET(f) x->f = store_json_get_str(o, #f);
	CS_STRINGS(GET)
#undef GET
	x->max_delivery_seconds = (long)store_json_get_num(o, "max_delivery_seconds", 0);
	x->suppression_set = store_json_get_bool(o, "suppression_set");
	x->suppressed_reasons = store_json_get_strv(o, "suppressed_reasons", &x->n_suppressed_reasons);
	x->last_fresh_start = (time_t)store_json_get_num(o, "last_fresh_start", 0);
	if (cJSON_IsObject(tags) && cJSON_GetArraySize(tags)) {
		x->tags = xcalloc((size_t)cJSON_GetArraySize(tags), sizeof(*x->tags));
		cJSON_ArrayForEach(it, tags) {
			if (!cJSON_IsString(it))
				continue;
			x->tags[x->n_tags].key = xstrdup(it->string);
			x->tags[x->n_tags++].value = xstrdup(it->valuestring);
		}
	}
	x->dests_known = store_json_get_bool(o, "dests_known");
	if (!cJSON_IsArray(dests) || !cJSON_GetArraySize(dests))
		return;
	x->dests = xcalloc((size_t)cJSON_GetArraySize(dests), sizeof(*x->dests));
	cJSON_ArrayForEach(it, dests)
		dest_from_json(&x->dests[x->n_dests++], it);
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

enum sc_status cache_delete_config_set(struct cache *c, const char *account_id,
				       const char *region, const char *name,
				       struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own,
			       store_run(c, "forget configuration set", err,
					 "DELETE FROM config_sets WHERE account_id = ? AND region = ?"
					 " AND name = ?",
					 "sss", account_id, region, name),
			       err);
}

void cache_set_metric_key(char *out, size_t size, const char *set, const char *metric)
{
	snprintf(out, size, "cs:%s:%s", set, metric);
}

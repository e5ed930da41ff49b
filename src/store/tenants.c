/* Tenants, their status log, and the VDM recommendations. */
#include "sesctl/store/tenants.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

void cache_tenant_free(struct cache_tenant *t)
{
	if (!t)
		return;
	ses_tenant_free(&t->t);
	ses_reputation_entity_free(&t->rep);
	ses_tenant_resources_free(t->res, t->n_res);
	memset(t, 0, sizeof(*t));
}

void cache_tenants_free(struct cache_tenant *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cache_tenant_free(&v[i]);
	free(v);
}

void cache_tenant_changes_free(struct cache_tenant_change *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].which);
		free(v[i].status);
		free(v[i].cause);
	}
	free(v);
}

static char *tags_json(const struct ses_tenant *t)
{
	cJSON *a;
	char *s;

	if (!t->n_tags)
		return NULL;
	a = cJSON_CreateArray();
	for (size_t i = 0; i < t->n_tags; i++) {
		cJSON *o = store_json_new();

		store_json_put_str(o, "key", t->tags[i].key);
		store_json_put_str(o, "value", t->tags[i].value);
		cJSON_AddItemToArray(a, o);
	}
	s = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return s;
}

static void tags_from_json(struct ses_tenant *t, const char *s)
{
	cJSON *a = s ? cJSON_Parse(s) : NULL, *o;

	if (cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0) {
		t->tags = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*t->tags));
		cJSON_ArrayForEach(o, a) {
			t->tags[t->n_tags].key = store_json_get_str(o, "key");
			t->tags[t->n_tags++].value = store_json_get_str(o, "value");
		}
	}
	cJSON_Delete(a);
}

/* Appends a change when the newest logged status of (tenant, which) differs; a first
 * sighting of a plain ENABLED is not a change worth a line. */
static enum sc_status log_status(struct cache *c, const char *account_id, const char *region,
				 const char *tenant, const char *which,
				 const struct ses_status_record *r, time_t fetched,
				 struct sc_error *err)
{
	sqlite3_stmt *st;
	char *last = NULL;
	bool seen;
	int rc;

	if (!r->status || !*r->status)
		return SC_OK;
	if (store_query(c, &st, "read tenant status log", err,
			"SELECT status FROM tenant_status_log WHERE account_id = ? AND region = ?"
			" AND tenant = ? AND which = ? ORDER BY time DESC, rowid DESC LIMIT 1",
			"ssss", account_id, region, tenant, which) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	seen = rc == SQLITE_ROW;
	if (seen)
		last = store_col_str(st, 0);
	if (store_query_end(c, st, seen ? SQLITE_DONE : rc, "read tenant status log", err) !=
	    SC_OK) {
		free(last);
		return SC_IO;
	}
	if (seen && last && !strcmp(last, r->status)) {
		free(last);
		return SC_OK;
	}
	free(last);
	if (!seen && !strcmp(r->status, "ENABLED") && !r->cause)
		return SC_OK;
	return store_run(c, "log tenant status", err,
			 "INSERT OR IGNORE INTO tenant_status_log(account_id, region, tenant, time,"
			 " which, status, cause) VALUES (?,?,?,?,?,?,?)",
			 "sssIsss", account_id, region, tenant,
			 (int64_t)(r->updated ? r->updated : fetched), which, r->status, r->cause);
}

static enum sc_status insert_tenant(struct cache *c, void *ud, const char *account_id,
				    const char *region, const void *item, struct sc_error *err)
{
	const struct cache_tenant *x = item;
	const struct ses_reputation_entity *e = &x->rep;
	time_t fetched = x->fetched ? x->fetched : time(NULL);
	char *tags = tags_json(&x->t);
	enum sc_status st;

	(void)ud;
	if (!x->t.name || !*x->t.name) {
		free(tags);
		return sc_fail(err, SC_USAGE, "cache: a tenant without a name");
	}
	st = store_run(c, "store tenant", err,
		       "INSERT INTO tenants(account_id, region, name, id, arn, created,"
		       " sending_status, tags, rep_reference, rep_type, policy, cust_status,"
		       " cust_cause, cust_updated, aws_status, aws_cause, aws_updated, aggregate,"
		       " impact, fetched) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       "sssssIsssssssIssIssI", account_id, region, x->t.name, x->t.id, x->t.arn,
		       (int64_t)x->t.created, x->t.sending_status, tags, e->reference, e->type,
		       e->policy, e->customer.status, e->customer.cause,
		       (int64_t)e->customer.updated, e->aws.status, e->aws.cause,
		       (int64_t)e->aws.updated, e->aggregate, e->impact, (int64_t)fetched);
	free(tags);
	for (size_t i = 0; st == SC_OK && i < x->n_res; i++) {
		if (!x->res[i].arn)
			continue;
		st = store_run(c, "store tenant resource", err,
			       "INSERT OR IGNORE INTO tenant_resources(account_id, region, tenant,"
			       " type, arn) VALUES (?,?,?,?,?)",
			       "sssss", account_id, region, x->t.name, x->res[i].type, x->res[i].arn);
	}
	if (st == SC_OK && e->reference)
		st = log_status(c, account_id, region, x->t.name, "customer", &e->customer, fetched,
				err);
	if (st == SC_OK && e->reference)
		st = log_status(c, account_id, region, x->t.name, "aws", &e->aws, fetched, err);
	return st;
}

enum sc_status cache_put_tenants_replace(struct cache *c, const char *account_id,
					 const char *region, const struct cache_tenant *v,
					 size_t n, time_t fetched, struct sc_error *err)
{
	struct store_replace r = {
		.table = "tenants", .kind = CACHE_KIND_TENANTS, .items = v, .n = n,
		.size = sizeof(*v), .insert = insert_tenant,
	};

	return store_replace(c, account_id, region, &r, fetched, err);
}

enum sc_status cache_delete_tenant(struct cache *c, const char *account_id, const char *region,
				   const char *name, struct sc_error *err)
{
	if (store_check_key(account_id, region, err) != SC_OK || !name)
		return sc_fail(err, SC_USAGE, "cache: delete tenant needs a name");
	return store_run(c, "delete tenant", err,
			 "DELETE FROM tenants WHERE account_id = ? AND region = ? AND name = ?",
			 "sss", account_id, region, name);
}

enum sc_status cache_put_tenant(struct cache *c, const char *account_id, const char *region,
				const struct cache_tenant *x, struct sc_error *err)
{
	enum sc_status st;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK || store_check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "replace tenant", err,
		       "DELETE FROM tenants WHERE account_id = ? AND region = ? AND name = ?", "sss",
		       account_id, region, x->t.name ? x->t.name : "");
	if (st == SC_OK)
		st = insert_tenant(c, NULL, account_id, region, x, err);
	return cache_write_end(c, own, st, err);
}

#define TENANT_COLS                                                                        \
	"name, id, arn, created, sending_status, tags, rep_reference, rep_type, policy,"   \
	" cust_status, cust_cause, cust_updated, aws_status, aws_cause, aws_updated,"      \
	" aggregate, impact, fetched,"                                                      \
	" (SELECT count(*) FROM recommendations r WHERE r.account_id = t.account_id"       \
	"   AND r.region = t.region AND r.resource_arn = t.arn AND r.status = 'OPEN'),"     \
	" (SELECT count(*) FROM recommendations r WHERE r.account_id = t.account_id"       \
	"   AND r.region = t.region AND r.resource_arn = t.arn AND r.status = 'OPEN'"       \
	"   AND r.impact = 'HIGH')"

static void tenant_from_row(sqlite3_stmt *st, struct cache_tenant *x)
{
	struct ses_reputation_entity *e = &x->rep;
	char *tags;

	memset(x, 0, sizeof(*x));
	x->t.name = store_col_str(st, 0);
	x->t.id = store_col_str(st, 1);
	x->t.arn = store_col_str(st, 2);
	x->t.created = store_col_time(st, 3);
	x->t.sending_status = store_col_str(st, 4);
	tags = store_col_str(st, 5);
	tags_from_json(&x->t, tags);
	free(tags);
	e->reference = store_col_str(st, 6);
	e->type = store_col_str(st, 7);
	e->policy = store_col_str(st, 8);
	e->customer.status = store_col_str(st, 9);
	e->customer.cause = store_col_str(st, 10);
	e->customer.updated = store_col_time(st, 11);
	e->aws.status = store_col_str(st, 12);
	e->aws.cause = store_col_str(st, 13);
	e->aws.updated = store_col_time(st, 14);
	e->aggregate = store_col_str(st, 15);
	e->impact = store_col_str(st, 16);
	x->fetched = store_col_time(st, 17);
	x->open_findings = (size_t)sqlite3_column_int64(st, 18);
	x->high_finding = sqlite3_column_int64(st, 19) > 0;
}

/* Attach each tenant's resources (v sorted by name, as the resources query is). */
static enum sc_status load_resources(struct cache *c, const char *account_id,
				     const char *region, const char *only, struct cache_tenant *v,
				     size_t n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0, at = 0;
	int rc;

	if (store_query(c, &st, "read tenant resources", err,
			"SELECT tenant, type, arn FROM tenant_resources WHERE account_id = ?"
			" AND region = ? AND (?3 IS NULL OR tenant = ?3) ORDER BY tenant, type, arn",
			"sss", account_id, region, only) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		const char *tenant = (const char *)sqlite3_column_text(st, 0);
		struct ses_tenant_resource *r;

		while (at < n && tenant && strcmp(v[at].t.name, tenant) < 0) {
			at++;
			cap = 0;
		}
		if (at >= n || !tenant || strcmp(v[at].t.name, tenant))
			continue;
		r = store_grow((void **)&v[at].res, &v[at].n_res, &cap, sizeof(*r));
		r->type = store_col_str(st, 1);
		r->arn = store_col_str(st, 2);
	}
	return store_query_end(c, st, rc, "read tenant resources", err);
}

enum sc_status cache_get_tenants(struct cache *c, const char *account_id, const char *region,
				 struct cache_tenant **out, size_t *n, struct sc_error *err)
{
	struct cache_tenant *v = NULL;
	size_t cnt = 0, cap = 0;
	sqlite3_stmt *st;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "read tenants", err,
			"SELECT " TENANT_COLS " FROM tenants t WHERE account_id = ? AND region = ?"
			" ORDER BY name",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		tenant_from_row(st, store_grow((void **)&v, &cnt, &cap, sizeof(*v)));
	if (store_query_end(c, st, rc, "read tenants", err) != SC_OK ||
	    load_resources(c, account_id, region, NULL, v, cnt, err) != SC_OK) {
		cache_tenants_free(v, cnt);
		return SC_IO;
	}
	*out = v;
	*n = cnt;
	return SC_OK;
}

enum sc_status cache_get_tenant(struct cache *c, const char *account_id, const char *region,
				const char *name, struct cache_tenant *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	bool found;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_check_key(account_id, region, err) != SC_OK || !name)
		return sc_fail(err, SC_USAGE, "cache: get tenant needs a name");
	if (store_query(c, &st, "read tenant", err,
			"SELECT " TENANT_COLS " FROM tenants t WHERE account_id = ? AND region = ?"
			" AND name = ?3 COLLATE NOCASE ORDER BY name = ?3 DESC LIMIT 1",
			"sss", account_id, region, name) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	found = rc == SQLITE_ROW;
	if (found)
		tenant_from_row(st, out);
	if (store_query_end(c, st, found ? SQLITE_DONE : rc, "read tenant", err) != SC_OK) {
		cache_tenant_free(out);
		return SC_IO;
	}
	if (!found)
		return sc_fail(err, SC_NOT_FOUND, "no tenant named %s in the cache", name);
	if (load_resources(c, account_id, region, out->t.name, out, 1, err) != SC_OK) {
		cache_tenant_free(out);
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_count_tenants(struct cache *c, const char *account_id, const char *region,
				   struct cache_tenant_counts *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "count tenants", err,
			"SELECT count(*), coalesce(sum(cust_status = 'DISABLED' OR aws_status ="
			" 'DISABLED' OR aggregate = 'DISABLED'), 0), coalesce(sum(aws_status ="
			" 'DISABLED'), 0) FROM tenants WHERE account_id = ? AND region = ?",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		out->total = (size_t)sqlite3_column_int64(st, 0);
		out->paused = (size_t)sqlite3_column_int64(st, 1);
		out->aws_paused = (size_t)sqlite3_column_int64(st, 2);
	}
	return store_query_end(c, st, rc == SQLITE_ROW ? SQLITE_DONE : rc, "count tenants", err);
}

enum sc_status cache_resource_tenants(struct cache *c, const char *account_id,
				      const char *region, const char *resource_arn,
				      char ***names, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*names = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK || !resource_arn)
		return sc_fail(err, SC_USAGE, "cache: resource tenants needs an ARN");
	if (store_query(c, &st, "read resource tenants", err,
			"SELECT DISTINCT tenant FROM tenant_resources WHERE account_id = ?"
			" AND region = ? AND arn = ? ORDER BY tenant",
			"sss", account_id, region, resource_arn) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(char **)store_grow((void **)names, n, &cap, sizeof(char *)) = store_col_str(st, 0);
	if (store_query_end(c, st, rc, "read resource tenants", err) != SC_OK) {
		cache_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_get_tenant_changes(struct cache *c, const char *account_id,
					const char *region, const char *name, size_t limit,
					struct cache_tenant_change **out, size_t *n,
					struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK || !name)
		return sc_fail(err, SC_USAGE, "cache: tenant changes needs a name");
	if (store_query(c, &st, "read tenant status log", err,
			"SELECT time, which, status, cause FROM tenant_status_log WHERE"
			" account_id = ? AND region = ? AND tenant = ? COLLATE NOCASE"
			" ORDER BY time DESC, rowid DESC LIMIT ?",
			"sssI", account_id, region, name, (int64_t)(limit ? limit : (size_t)-1 >> 1)) !=
	    SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_tenant_change *x = store_grow((void **)out, n, &cap, sizeof(*x));

		x->time = store_col_time(st, 0);
		x->which = store_col_str(st, 1);
		x->status = store_col_str(st, 2);
		x->cause = store_col_str(st, 3);
	}
	if (store_query_end(c, st, rc, "read tenant status log", err) != SC_OK) {
		cache_tenant_changes_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

static enum sc_status insert_rec(struct cache *c, void *ud, const char *account_id,
				 const char *region, const void *item, struct sc_error *err)
{
	const struct ses_recommendation *r = item;

	(void)ud;
	if (!r->type)
		return SC_OK;
	return store_run(c, "store recommendation", err,
			 "INSERT OR REPLACE INTO recommendations(account_id, region, resource_arn,"
			 " type, description, status, impact, created, updated)"
			 " VALUES (?,?,?,?,?,?,?,?,?)",
			 "sssssssII", account_id, region, r->resource_arn ? r->resource_arn : "",
			 r->type, r->description ? r->description : "", r->status, r->impact,
			 (int64_t)r->created, (int64_t)r->updated);
}

enum sc_status cache_put_recommendations_replace(struct cache *c, const char *account_id,
						 const char *region,
						 const struct ses_recommendation *v, size_t n,
						 time_t fetched, struct sc_error *err)
{
	struct store_replace r = {
		.table = "recommendations", .kind = CACHE_KIND_RECOMMENDATIONS, .items = v,
		.n = n, .size = sizeof(*v), .insert = insert_rec,
	};

	return store_replace(c, account_id, region, &r, fetched, err);
}

enum sc_status cache_get_recommendations(struct cache *c, const char *account_id,
					 const char *region, const struct cache_rec_query *q,
					 struct ses_recommendation **out, size_t *n,
					 struct sc_error *err)
{
	static const struct cache_rec_query any;
	struct buf suffix = BUF_INIT;
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (!q)
		q = &any;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (q->identity)
		buf_printf(&suffix, ":identity/%s", q->identity);
	rc = store_query(c, &st, "read recommendations", err,
			 "SELECT resource_arn, type, description, status, impact, created, updated"
			 " FROM recommendations WHERE account_id = ? AND region = ?"
			 " AND (?3 IS NULL OR resource_arn = ?3)"
			 " AND (?4 IS NULL OR type = ?4 COLLATE NOCASE)"
			 " AND (?5 IS NULL OR status = ?5 COLLATE NOCASE)"
			 " AND (?6 IS NULL OR impact = ?6 COLLATE NOCASE)"
			 " AND (?7 IS NULL OR lower(substr(resource_arn, -length(?7))) = lower(?7))"
			 " ORDER BY status = 'OPEN' DESC, impact = 'HIGH' DESC, updated DESC,"
			 " created DESC, resource_arn, type, description",
			 "sssssss", account_id, region, q->resource_arn, q->type, q->status, q->impact,
			 q->identity ? suffix.data : NULL);
	if (rc != SC_OK) {
		buf_free(&suffix);
		return SC_IO;
	}
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_recommendation *r = store_grow((void **)out, n, &cap, sizeof(*r));

		r->resource_arn = store_col_str(st, 0);
		r->type = store_col_str(st, 1);
		r->description = store_col_str(st, 2);
		r->status = store_col_str(st, 3);
		r->impact = store_col_str(st, 4);
		r->created = store_col_time(st, 5);
		r->updated = store_col_time(st, 6);
	}
	buf_free(&suffix); /* bound without a copy: kept until the last step */
	if (store_query_end(c, st, rc, "read recommendations", err) != SC_OK) {
		ses_recommendations_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

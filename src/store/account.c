/* The account state, send statistics and CloudWatch metric history. */
#include "sesctl/store/account.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

static char *account_json(const struct ses_account *x)
{
	cJSON *o = store_json_new();

	store_json_put_bool(o, "sending_enabled", x->sending_enabled);
	store_json_put_bool(o, "production_access", x->production_access);
	store_json_put_bool(o, "dedicated_ip_auto_warmup", x->dedicated_ip_auto_warmup);
	store_json_put_str(o, "enforcement_status", x->enforcement_status);
	store_json_put_num(o, "max_24h_send", x->max_24h_send);
	store_json_put_num(o, "max_send_rate", x->max_send_rate);
	store_json_put_num(o, "sent_last_24h", x->sent_last_24h);
	store_json_put_strv(o, "suppressed_reasons", x->suppressed_reasons, x->n_suppressed_reasons);
	store_json_put_str(o, "mail_type", x->mail_type);
	store_json_put_str(o, "website_url", x->website_url);
	store_json_put_str(o, "contact_language", x->contact_language);
	store_json_put_str(o, "use_case_description", x->use_case_description);
	store_json_put_str(o, "review_status", x->review_status);
	store_json_put_str(o, "review_case_id", x->review_case_id);
	store_json_put_bool(o, "vdm_enabled", x->vdm_enabled);
	return store_json_finish(o);
}

static void account_from_json(struct ses_account *x, const cJSON *o)
{
	x->sending_enabled = store_json_get_bool(o, "sending_enabled");
	x->production_access = store_json_get_bool(o, "production_access");
	x->dedicated_ip_auto_warmup = store_json_get_bool(o, "dedicated_ip_auto_warmup");
	x->enforcement_status = store_json_get_str(o, "enforcement_status");
	x->max_24h_send = store_json_get_num(o, "max_24h_send", 0);
	x->max_send_rate = store_json_get_num(o, "max_send_rate", 0);
	x->sent_last_24h = store_json_get_num(o, "sent_last_24h", 0);
	x->suppressed_reasons = store_json_get_strv(o, "suppressed_reasons", &x->n_suppressed_reasons);
	x->mail_type = store_json_get_str(o, "mail_type");
	x->website_url = store_json_get_str(o, "website_url");
	x->contact_language = store_json_get_str(o, "contact_language");
	x->use_case_description = store_json_get_str(o, "use_case_description");
	x->review_status = store_json_get_str(o, "review_status");
	x->review_case_id = store_json_get_str(o, "review_case_id");
	x->vdm_enabled = store_json_get_bool(o, "vdm_enabled");
}

enum sc_status cache_put_account(struct cache *c, const char *account_id, const char *region,
				 const struct ses_account *x, struct sc_error *err)
{
	bool own;
	char *data;
	enum sc_status st;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	data = account_json(x);
	st = store_run(c, "store account", err,
		    "INSERT OR REPLACE INTO account_state(account_id, region, fetched, data)"
		    " VALUES (?,?,?,?)",
		    "ssIs", account_id, region, (int64_t)x->fetched, data);
	free(data);
	if (st == SC_OK)
		st = store_mark_fetched(c, account_id, region, CACHE_KIND_ACCOUNT, x->fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_account(struct cache *c, const char *account_id, const char *region,
				 struct ses_account *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;
	enum sc_status s;
	cJSON *o;

	memset(out, 0, sizeof(*out));
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "account", err,
		     "SELECT fetched, data FROM account_state WHERE account_id = ? AND region = ?",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return sc_fail(err, SC_NOT_FOUND, "account %s in %s is not in the cache", account_id,
			       region);
	}
	if (rc != SQLITE_ROW)
		return store_query_end(c, st, rc, "account", err);
	s = store_json_parse(st, 1, &o, "account", err);
	if (s == SC_OK) {
		account_from_json(out, o);
		out->fetched = store_col_time(st, 0);
		out->account_id = xstrdup(account_id);
		out->region = xstrdup(region);
	}
	cJSON_Delete(o);
	sqlite3_finalize(st);
	return s;
}

/* ================================================================ statistics and metrics */

enum sc_status cache_put_send_points(struct cache *c, const char *account_id,
				     const char *region, const struct ses_send_point *v, size_t n,
				     time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st = SC_OK;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = store_run(c, "store send statistics", err,
			    "INSERT OR REPLACE INTO send_points(account_id, region, ts,"
			    " delivery_attempts, bounces, complaints, rejects) VALUES (?,?,?,?,?,?,?)",
			    "ssIIIII", account_id, region, (int64_t)v[i].ts, v[i].delivery_attempts,
			    v[i].bounces, v[i].complaints, v[i].rejects);
	if (st == SC_OK)
		st = store_mark_fetched(c, account_id, region, CACHE_KIND_SEND_STATS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_send_points(struct cache *c, const char *account_id,
				     const char *region, time_t from, time_t to,
				     struct ses_send_point **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "send statistics", err,
		     "SELECT ts, delivery_attempts, bounces, complaints, rejects FROM send_points"
		     " WHERE account_id = ? AND region = ? AND ts >= ? AND ts <= ? ORDER BY ts",
		     "ssII", account_id, region, (int64_t)from, (int64_t)to) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_send_point *p = store_grow((void **)out, n, &cap, sizeof(**out));
		p->ts = store_col_time(st, 0);
		p->delivery_attempts = sqlite3_column_int64(st, 1);
		p->bounces = sqlite3_column_int64(st, 2);
		p->complaints = sqlite3_column_int64(st, 3);
		p->rejects = sqlite3_column_int64(st, 4);
	}
	if (store_query_end(c, st, rc, "send statistics", err) != SC_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_put_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric,
				       const struct ses_metric_point *v, size_t n, time_t fetched,
				       struct sc_error *err)
{
	bool own;
	enum sc_status st = SC_OK;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (!metric || !*metric)
		return sc_fail(err, SC_USAGE, "metric points need a metric name");
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = store_run(c, "store metric points", err,
			    "INSERT OR REPLACE INTO metric_points(account_id, region, metric, ts, value)"
			    " VALUES (?,?,?,?,?)",
			    "sssId", account_id, region, metric, (int64_t)v[i].ts, v[i].value);
	if (st == SC_OK)
		st = store_mark_fetched(c, account_id, region, CACHE_KIND_METRICS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric, time_t from,
				       time_t to, struct ses_metric_point **out, size_t *n,
				       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "metric points", err,
		     "SELECT ts, value FROM metric_points WHERE account_id = ? AND region = ?"
		     " AND metric = ? AND ts >= ? AND ts <= ? ORDER BY ts",
		     "sssII", account_id, region, metric ? metric : "", (int64_t)from,
		     (int64_t)to) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_metric_point *p = store_grow((void **)out, n, &cap, sizeof(**out));
		p->ts = store_col_time(st, 0);
		p->value = sqlite3_column_double(st, 1);
	}
	if (store_query_end(c, st, rc, "metric points", err) != SC_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_data_now(struct cache *c, const char *account_id, const char *region,
			      time_t *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "newest point", err,
			"SELECT MAX(t) FROM (SELECT MAX(ts) AS t FROM send_points WHERE account_id = ?1"
			" AND region = ?2 UNION ALL SELECT MAX(ts) FROM metric_points"
			" WHERE account_id = ?1 AND region = ?2)",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = store_col_time(st, 0);
		rc = sqlite3_step(st);
	}
	return store_query_end(c, st, rc, "newest point", err) == SC_OK ? SC_OK : SC_IO;
}

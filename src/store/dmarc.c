/* DMARC aggregate reports: stored once per (org, report id), summarised by SQL. */
#include "sesctl/store/dmarc.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

static bool is_pass(const char *s)
{
	return s && strcmp(s, "pass") == 0;
}

char *cache_dmarc_auth_key(const struct dmarc_agg_record *r)
{
	struct buf b = {0};

	for (size_t i = 0; i < r->n_dkim; i++) {
		const struct dmarc_dkim_result *d = &r->dkim_results[i];

		buf_printf(&b, "%sdkim=%s/%s:%s", b.len ? " " : "", d->domain ? d->domain : "",
			   d->selector ? d->selector : "", d->result ? d->result : "none");
	}
	for (size_t i = 0; i < r->n_spf; i++) {
		const struct dmarc_spf_result *s = &r->spf_results[i];

		buf_printf(&b, "%sspf=%s/%s:%s", b.len ? " " : "", s->scope ? s->scope : "mfrom",
			   s->domain ? s->domain : "", s->result ? s->result : "none");
	}
	return buf_steal(&b);
}

static char *auth_json(const struct dmarc_agg_record *r)
{
	cJSON *o = store_json_new(), *dk = cJSON_AddArrayToObject(o, "dkim"),
	      *sp = cJSON_AddArrayToObject(o, "spf");

	for (size_t i = 0; i < r->n_dkim; i++) {
		cJSON *x = store_json_new();

		store_json_put_str(x, "domain", r->dkim_results[i].domain);
		store_json_put_str(x, "selector", r->dkim_results[i].selector);
		store_json_put_str(x, "result", r->dkim_results[i].result);
		store_json_put_str(x, "human_result", r->dkim_results[i].human_result);
		cJSON_AddItemToArray(dk, x);
	}
	for (size_t i = 0; i < r->n_spf; i++) {
		cJSON *x = store_json_new();

		store_json_put_str(x, "domain", r->spf_results[i].domain);
		store_json_put_str(x, "scope", r->spf_results[i].scope);
		store_json_put_str(x, "result", r->spf_results[i].result);
		cJSON_AddItemToArray(sp, x);
	}
	return store_json_finish(o);
}

static enum sc_status put_record(struct cache *c, sqlite3_int64 report, const char *domain,
				 time_t day, const struct dmarc_agg_record *r, struct sc_error *err)
{
	char *key = cache_dmarc_auth_key(r), *auth = auth_json(r);
	bool dk = is_pass(r->dkim), sp = is_pass(r->spf);
	enum sc_status st;

	st = store_run(c, "store DMARC record", err,
		       "INSERT INTO dmarc_records (report, domain, day, source_ip, count,"
		       " disposition, dkim, spf, dmarc_pass, dkim_pass, spf_pass, reasons,"
		       " header_from, envelope_from, envelope_to, auth_key, auth_results)"
		       " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "IsIsIsssiiissssss", (long long)report,
		       domain, (long long)day, r->source_ip ? r->source_ip : "",
		       (long long)r->count, r->disposition, r->dkim, r->spf, dk || sp, dk, sp,
		       r->reasons, r->header_from, r->envelope_from, r->envelope_to, key, auth);
	free(key);
	free(auth);
	return st;
}

enum sc_status cache_put_dmarc_report(struct cache *c, const struct dmarc_report *r,
				      const char *origin, time_t now, bool *dup,
				      struct sc_error *err)
{
	const struct dmarc_policy *p = &r->policy;
	sqlite3_int64 id;
	time_t day = r->begin - r->begin % 86400;
	enum sc_status st;
	bool own;

	*dup = false;
	if (!r->org_name || !*r->org_name || !r->report_id || !*r->report_id || !p->domain ||
	    !*p->domain)
		return sc_fail(err, SC_USAGE, "a DMARC report needs an org, a report id and a domain");
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "store DMARC report", err,
		       "INSERT OR IGNORE INTO dmarc_reports (org, report_id, email, domain,"
		       " begin_time, end_time, version, rfc9990, adkim, aspf, p, sp, np, pct, fo,"
		       " errors, records, dropped, origin, imported) VALUES (?, ?, ?, ?, ?, ?, ?,"
		       " ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
		       "ssssIIsisssssissIIsI", r->org_name, r->report_id, r->email, p->domain,
		       (long long)r->begin, (long long)r->end, r->version, r->rfc9990 ? 1 : 0,
		       p->adkim, p->aspf, p->p, p->sp, p->np, p->pct, p->fo, r->errors,
		       (long long)r->n_records, (long long)r->dropped_records, origin,
		       (long long)now);
	if (st == SC_OK && sqlite3_changes(cache_db(c)) == 0) {
		*dup = true;
		return cache_write_end(c, own, SC_OK, err);
	}
	id = sqlite3_last_insert_rowid(cache_db(c));
	for (size_t i = 0; st == SC_OK && i < r->n_records; i++)
		st = put_record(c, id, p->domain, day, &r->records[i], err);
	return cache_write_end(c, own, st, err);
}

/* The counts, as SQL columns over dmarc_records r. total() sums in floating point: a
 * hostile report's counts (up to 2^53 each) would make sum() fail with "integer overflow"
 * and take the domain's verdict with it; the cast saturates instead. */
#define COUNT_COLS                                                                  \
	"CAST(total(r.count) AS INTEGER), CAST(total(r.count * r.dmarc_pass) AS INTEGER)," \
	" CAST(total(r.count * r.dkim_pass) AS INTEGER),"                            \
	" CAST(total(r.count * r.spf_pass) AS INTEGER),"                             \
	" CAST(total(r.count * (r.disposition = 'quarantine')) AS INTEGER),"         \
	" CAST(total(r.count * (r.disposition = 'reject')) AS INTEGER),"             \
	" CAST(total(r.count * (r.reasons LIKE '%forwarded%' OR"                      \
	"   r.reasons LIKE '%mailing_list%' OR r.reasons LIKE '%trusted_forwarder%')) AS INTEGER)"

static int counts_from_row(sqlite3_stmt *st, int i, struct cache_dmarc_counts *n)
{
	n->messages = (uint64_t)sqlite3_column_int64(st, i++);
	n->dmarc_pass = (uint64_t)sqlite3_column_int64(st, i++);
	n->dkim_pass = (uint64_t)sqlite3_column_int64(st, i++);
	n->spf_pass = (uint64_t)sqlite3_column_int64(st, i++);
	n->quarantined = (uint64_t)sqlite3_column_int64(st, i++);
	n->rejected = (uint64_t)sqlite3_column_int64(st, i++);
	n->forwarded = (uint64_t)sqlite3_column_int64(st, i++);
	return i;
}

void cache_dmarc_domains_free(struct cache_dmarc_domain *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].domain);
		free(v[i].p);
		free(v[i].sp);
	}
	free(v);
}

enum sc_status cache_get_dmarc_domains(struct cache *c, time_t since,
				       struct cache_dmarc_domain **out, size_t *n,
				       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "read DMARC domains", err,
			"SELECT d.domain, count(*), count(DISTINCT d.org), min(d.begin_time),"
			" max(d.end_time) FROM dmarc_reports d WHERE d.begin_time >= ?1 - ?1 % 86400"
			" GROUP BY d.domain ORDER BY d.domain",
			"I", (long long)since) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_dmarc_domain *d = store_grow((void **)out, n, &cap, sizeof(**out));

		d->domain = store_col_str(st, 0);
		d->reports = (size_t)sqlite3_column_int64(st, 1);
		d->orgs = (size_t)sqlite3_column_int64(st, 2);
		d->first = store_col_time(st, 3);
		d->last = store_col_time(st, 4);
		d->pct = -1;
	}
	if (store_query_end(c, st, rc, "read DMARC domains", err) != SC_OK)
		goto fail;
	for (size_t i = 0; i < *n; i++) {
		struct cache_dmarc_domain *d = &(*out)[i];

		if (store_query(c, &st, "read DMARC counts", err,
				"SELECT " COUNT_COLS " FROM dmarc_records r WHERE r.domain = ?"
				" AND r.day >= ?2 - ?2 % 86400",
				"sI", d->domain, (long long)since) != SC_OK)
			goto fail;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			counts_from_row(st, 0, &d->n);
			rc = SQLITE_DONE;
		}
		if (store_query_end(c, st, rc, "read DMARC counts", err) != SC_OK)
			goto fail;
		if (store_query(c, &st, "read DMARC policy", err,
				"SELECT p, sp, pct FROM dmarc_reports WHERE domain = ?"
				" ORDER BY end_time DESC, id DESC LIMIT 1",
				"s", d->domain) != SC_OK)
			goto fail;
		if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
			d->p = store_col_str(st, 0);
			d->sp = store_col_str(st, 1);
			d->pct = sqlite3_column_int(st, 2);
			rc = SQLITE_DONE;
		}
		if (store_query_end(c, st, rc, "read DMARC policy", err) != SC_OK)
			goto fail;
	}
	return SC_OK;
fail:
	cache_dmarc_domains_free(*out, *n);
	*out = NULL;
	*n = 0;
	return SC_IO;
}

enum sc_status cache_get_dmarc_days(struct cache *c, const char *domain, time_t since,
				    struct cache_dmarc_day **out, size_t *n,
				    struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "read DMARC days", err,
			"SELECT r.day, " COUNT_COLS " FROM dmarc_records r WHERE r.domain = ?"
			" AND r.day >= ?2 - ?2 % 86400 GROUP BY r.day ORDER BY r.day",
			"sI", domain, (long long)since) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_dmarc_day *d = store_grow((void **)out, n, &cap, sizeof(**out));

		d->day = store_col_time(st, 0);
		counts_from_row(st, 1, &d->n);
	}
	if (store_query_end(c, st, rc, "read DMARC days", err) != SC_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_dmarc_orgs_free(struct cache_dmarc_org *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i].org);
	free(v);
}

enum sc_status cache_get_dmarc_orgs(struct cache *c, const char *domain, time_t since,
				    struct cache_dmarc_org **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "read DMARC orgs", err,
			"SELECT p.org, count(DISTINCT p.id), " COUNT_COLS
			" FROM dmarc_records r JOIN dmarc_reports p ON p.id = r.report"
			" WHERE r.domain = ?1 AND r.day >= ?2 - ?2 % 86400"
			" GROUP BY p.org ORDER BY total(r.count) DESC, p.org",
			"sI", domain, (long long)since) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_dmarc_org *o = store_grow((void **)out, n, &cap, sizeof(**out));

		o->org = store_col_str(st, 0);
		o->reports = (size_t)sqlite3_column_int64(st, 1);
		counts_from_row(st, 2, &o->n);
	}
	if (store_query_end(c, st, rc, "read DMARC orgs", err) != SC_OK) {
		cache_dmarc_orgs_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_dmarc_sources_free(struct cache_dmarc_source *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].source_ip);
		free(v[i].header_from);
		free(v[i].auth_key);
		free(v[i].orgs);
	}
	free(v);
}

enum sc_status cache_get_dmarc_sources(struct cache *c, const char *domain, time_t since,
				       struct cache_dmarc_source **out, size_t *n,
				       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "read DMARC sources", err,
			/* one pass: a sub-select per group made a year of reports take seconds */
			"SELECT r.source_ip, r.header_from, r.auth_key, group_concat(DISTINCT p.org),"
			" max(p.end_time), " COUNT_COLS
			" FROM dmarc_records r JOIN dmarc_reports p ON p.id = r.report"
			" WHERE r.domain = ?1 AND r.day >= ?2 - ?2 % 86400"
			" GROUP BY r.source_ip, r.header_from, r.auth_key"
			" ORDER BY total(r.count) DESC, r.source_ip",
			"sI", domain, (long long)since) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_dmarc_source *s = store_grow((void **)out, n, &cap, sizeof(**out));

		s->source_ip = store_col_str(st, 0);
		s->header_from = store_col_str(st, 1);
		s->auth_key = store_col_str(st, 2);
		s->orgs = store_col_str(st, 3);
		s->last = store_col_time(st, 4);
		counts_from_row(st, 5, &s->n);
	}
	if (store_query_end(c, st, rc, "read DMARC sources", err) != SC_OK) {
		cache_dmarc_sources_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_dmarc_rows_free(struct cache_dmarc_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct cache_dmarc_row *r = &v[i];

		free(r->org);
		free(r->report_id);
		free(r->source_ip);
		free(r->disposition);
		free(r->dkim);
		free(r->spf);
		free(r->reasons);
		free(r->header_from);
		free(r->envelope_from);
		free(r->envelope_to);
		free(r->auth_results);
		free(r->origin);
	}
	free(v);
}

enum sc_status cache_get_dmarc_rows(struct cache *c, const char *domain, const char *source_ip,
				    time_t since, size_t limit, struct cache_dmarc_row **out,
				    size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "read DMARC records", err,
			"SELECT p.org, p.report_id, p.begin_time, p.end_time, r.source_ip, r.count,"
			" r.disposition, r.dkim, r.spf, r.reasons, r.header_from, r.envelope_from,"
			" r.envelope_to, r.auth_results, p.origin"
			" FROM dmarc_records r JOIN dmarc_reports p ON p.id = r.report"
			" WHERE r.domain = ?1 AND r.day >= ?3 - ?3 % 86400"
			" AND (?2 IS NULL OR r.source_ip = ?2)"
			" ORDER BY p.end_time DESC, p.id DESC, r.rowid LIMIT ?4",
			"ssII", domain, source_ip, (long long)since,
			(long long)(limit ? limit : (size_t)INT64_MAX)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_dmarc_row *r = store_grow((void **)out, n, &cap, sizeof(**out));

		r->org = store_col_str(st, 0);
		r->report_id = store_col_str(st, 1);
		r->begin = store_col_time(st, 2);
		r->end = store_col_time(st, 3);
		r->source_ip = store_col_str(st, 4);
		r->count = (uint64_t)sqlite3_column_int64(st, 5);
		r->disposition = store_col_str(st, 6);
		r->dkim = store_col_str(st, 7);
		r->spf = store_col_str(st, 8);
		r->reasons = store_col_str(st, 9);
		r->header_from = store_col_str(st, 10);
		r->envelope_from = store_col_str(st, 11);
		r->envelope_to = store_col_str(st, 12);
		r->auth_results = store_col_str(st, 13);
		r->origin = store_col_str(st, 14);
	}
	if (store_query_end(c, st, rc, "read DMARC records", err) != SC_OK) {
		cache_dmarc_rows_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_count_dmarc_reports(struct cache *c, size_t *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*out = 0;
	if (store_query(c, &st, "count DMARC reports", err, "SELECT count(*) FROM dmarc_reports",
			"") != SC_OK)
		return SC_IO;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*out = (size_t)sqlite3_column_int64(st, 0);
		rc = SQLITE_DONE;
	}
	return store_query_end(c, st, rc, "count DMARC reports", err);
}

enum sc_status cache_dmarc_s3_seen(struct cache *c, const char *bucket, const char *key,
				   const char *etag, bool *seen, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*seen = false;
	if (store_query(c, &st, "read S3 import state", err,
			"SELECT 1 FROM dmarc_s3_objects WHERE bucket = ? AND key = ? AND etag = ?",
			"sss", bucket, key, etag ? etag : "") != SC_OK)
		return SC_IO;
	if ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		*seen = true;
		rc = SQLITE_DONE;
	}
	return store_query_end(c, st, rc, "read S3 import state", err);
}

enum sc_status cache_dmarc_s3_mark(struct cache *c, const char *bucket, const char *key,
				   const char *etag, time_t now, struct sc_error *err)
{
	return store_run(c, "store S3 import state", err,
			 "INSERT OR REPLACE INTO dmarc_s3_objects (bucket, key, etag, read_time)"
			 " VALUES (?, ?, ?, ?)",
			 "sssI", bucket, key, etag ? etag : "", (long long)now);
}

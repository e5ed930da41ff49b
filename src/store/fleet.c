/* The fleet: cell summaries, the cells' accounts and errors, and find's index. */
#include "sesctl/store/fleet.h"

#include <cJSON.h>
#include <math.h>
#include <sqlite3.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

char *store_reverse_name(const char *name)
{
	size_t n = strlen(name);
	char *r = xmalloc(n + 1);

	for (size_t i = 0; i < n; i++)
		r[i] = name[n - 1 - i];
	r[n] = '\0';
	return r;
}

/* ---- cell summaries ---- */

void cache_cell_summary_free(struct cache_cell_summary *s)
{
	if (!s)
		return;
	free(s->account_id);
	free(s->region);
	free(s->enforcement);
	free(s->paused_by);
	free(s->paused_reason);
	memset(s, 0, sizeof(*s));
}

static void put_rate(cJSON *o, const char *k, double v)
{
	if (!isnan(v))
		store_json_put_num(o, k, v);
}

static char *summary_json(const struct cache_cell_summary *s)
{
	cJSON *o = store_json_new();

	store_json_put_num(o, "data_time", (double)s->data_time);
	store_json_put_str(o, "enforcement", s->enforcement);
	store_json_put_num(o, "sending_enabled", s->sending_enabled);
	store_json_put_num(o, "production", s->production);
	store_json_put_num(o, "max24", s->max24);
	store_json_put_num(o, "sent24", s->sent24);
	put_rate(o, "bounce_rate", s->bounce_rate);
	put_rate(o, "complaint_rate", s->complaint_rate);
	store_json_put_num(o, "config_sets", (double)s->config_sets);
	store_json_put_num(o, "paused_config_sets", (double)s->paused_config_sets);
	store_json_put_num(o, "tenants", (double)s->tenants);
	store_json_put_num(o, "paused_tenants", (double)s->paused_tenants);
	store_json_put_num(o, "identities", (double)s->identities);
	store_json_put_num(o, "pending", (double)s->pending);
	store_json_put_num(o, "failed", (double)s->failed);
	store_json_put_num(o, "feedback_nowhere", (double)s->feedback_nowhere);
	store_json_put_str(o, "paused_by", s->paused_by);
	store_json_put_num(o, "paused_at", (double)s->paused_at);
	store_json_put_str(o, "paused_reason", s->paused_reason);
	return store_json_finish(o);
}

static void summary_from_json(struct cache_cell_summary *s, const cJSON *o)
{
	s->data_time = (time_t)store_json_get_num(o, "data_time", 0);
	s->enforcement = store_json_get_str(o, "enforcement");
	s->sending_enabled = (int)store_json_get_num(o, "sending_enabled", -1);
	s->production = (int)store_json_get_num(o, "production", -1);
	s->max24 = store_json_get_num(o, "max24", -1);
	s->sent24 = store_json_get_num(o, "sent24", -1);
	s->bounce_rate = store_json_get_num(o, "bounce_rate", NAN);
	s->complaint_rate = store_json_get_num(o, "complaint_rate", NAN);
	s->config_sets = (long)store_json_get_num(o, "config_sets", -1);
	s->paused_config_sets = (long)store_json_get_num(o, "paused_config_sets", -1);
	s->tenants = (long)store_json_get_num(o, "tenants", -1);
	s->paused_tenants = (long)store_json_get_num(o, "paused_tenants", -1);
	s->identities = (long)store_json_get_num(o, "identities", -1);
	s->pending = (long)store_json_get_num(o, "pending", -1);
	s->failed = (long)store_json_get_num(o, "failed", -1);
	s->feedback_nowhere = (long)store_json_get_num(o, "feedback_nowhere", -1);
	s->paused_by = store_json_get_str(o, "paused_by");
	s->paused_at = (time_t)store_json_get_num(o, "paused_at", 0);
	s->paused_reason = store_json_get_str(o, "paused_reason");
}

enum sc_status cache_put_cell_summary(struct cache *c, const struct cache_cell_summary *s,
				      struct sc_error *err)
{
	enum sc_status st;
	char *data;

	if (store_check_key(s->account_id, s->region, err) != SC_OK)
		return SC_USAGE;
	data = summary_json(s);
	st = store_run(c, "cell summary", err,
		       "INSERT OR REPLACE INTO cell_summaries(account_id, region, computed, data)"
		       " VALUES (?, ?, ?, ?)",
		       "ssIs", s->account_id, s->region, (long long)s->computed, data);
	free(data);
	return st;
}

enum sc_status cache_get_cell_summary(struct cache *c, const char *account_id,
				      const char *region, struct cache_cell_summary *out,
				      struct sc_error *err)
{
	sqlite3_stmt *st;
	cJSON *o = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "cell summary", err,
			"SELECT computed, data FROM cell_summaries WHERE account_id = ? AND region = ?",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && store_json_parse(st, 1, &o, "cell summary", err) == SC_OK) {
		out->computed = store_col_time(st, 0);
		summary_from_json(out, o);
		cJSON_Delete(o);
		rc = SQLITE_DONE;
	} else if (rc == SQLITE_ROW) {
		sqlite3_finalize(st);
		return SC_IO;
	} else if (rc == SQLITE_DONE) {
		out->computed = -1; /* marks "not found" below */
	}
	if (store_query_end(c, st, rc, "cell summary", err) != SC_OK)
		return SC_IO;
	if (out->computed < 0) {
		memset(out, 0, sizeof(*out));
		return sc_fail(err, SC_NOT_FOUND, "no summary of %s in %s", account_id, region);
	}
	out->account_id = xstrdup(account_id);
	out->region = xstrdup(region);
	return SC_OK;
}

enum sc_status cache_count_identities(struct cache *c, const char *account_id, const char *region,
				      long *total, long *pending, long *failed,
				      struct sc_error *err)
{
	sqlite3_stmt *st;
	long unused[2];
	bool all = pending && failed;
	int rc;

	pending = pending ? pending : &unused[0];
	failed = failed ? failed : &unused[1];
	*total = *pending = *failed = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (!all) /* the total alone: the index counts it without reading a row */
		rc = store_query(c, &st, "identity counts", err,
				 "SELECT count(*), 0, 0 FROM identities"
				 " WHERE account_id = ? AND region = ?",
				 "ss", account_id, region);
	else
		rc = store_query(c, &st, "identity counts", err,
			"SELECT count(*), coalesce(sum(verification_status = 'PENDING'), 0),"
			" coalesce(sum(verification_status IN ('FAILED', 'TEMPORARY_FAILURE')), 0)"
			" FROM identities WHERE account_id = ? AND region = ?",
			"ss", account_id, region);
	if (rc != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*total = (long)sqlite3_column_int64(st, 0);
		*pending = (long)sqlite3_column_int64(st, 1);
		*failed = (long)sqlite3_column_int64(st, 2);
		rc = SQLITE_DONE;
	}
	return store_query_end(c, st, rc, "identity counts", err);
}

/* ---- cells: (profile, region) → account, last error ---- */

void cache_cells_free(struct cache_cell *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].profile);
		free(v[i].region);
		free(v[i].account_id);
		free(v[i].error);
	}
	free(v);
}

enum sc_status cache_put_cell(struct cache *c, const char *profile, const char *region,
			      const char *account_id, const char *error, time_t when,
			      struct sc_error *err)
{
	if (!profile || !*profile || !region || !*region)
		return sc_fail(err, SC_USAGE, "a fleet cell needs a profile and a region");
	if (error)
		return store_run(c, "fleet cell", err,
				 "INSERT INTO fleet_cells(profile, region, account_id, error, error_at)"
				 " VALUES (?1, ?2, ?3, ?4, ?5) ON CONFLICT(profile, region) DO UPDATE"
				 " SET account_id = coalesce(?3, account_id), error = ?4, error_at = ?5",
				 "ssssI", profile, region, account_id, error, (long long)when);
	return store_run(c, "fleet cell", err,
			 "INSERT INTO fleet_cells(profile, region, account_id, read_at)"
			 " VALUES (?1, ?2, ?3, ?4) ON CONFLICT(profile, region) DO UPDATE"
			 " SET account_id = coalesce(?3, account_id), read_at = ?4, error = NULL,"
			 " error_at = 0",
			 "sssI", profile, region, account_id, (long long)when);
}

enum sc_status cache_get_cells(struct cache *c, struct cache_cell **out, size_t *n,
			       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "fleet cells", err,
			"SELECT profile, region, account_id, read_at, error, error_at FROM fleet_cells"
			" ORDER BY profile, region",
			"") != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_cell *x = store_grow((void **)out, n, &cap, sizeof(**out));

		x->profile = store_col_str(st, 0);
		x->region = store_col_str(st, 1);
		x->account_id = store_col_str(st, 2);
		x->read_at = store_col_time(st, 3);
		x->error = store_col_str(st, 4);
		x->error_at = store_col_time(st, 5);
	}
	if (store_query_end(c, st, rc, "fleet cells", err) != SC_OK) {
		cache_cells_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_active_regions(struct cache *c, const char *account_id, char ***out,
				    size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "active regions", err,
			"SELECT region FROM cell_summaries WHERE account_id = ?"
			" AND json_extract(data, '$.identities') > 0 ORDER BY region",
			"s", account_id) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(char **)store_grow((void **)out, n, &cap, sizeof(**out)) = store_col_str(st, 0);
	if (store_query_end(c, st, rc, "active regions", err) != SC_OK) {
		cache_names_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

/* ---- find ---- */

void cache_found_free(struct cache_found *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].account_id);
		free(v[i].region);
		free(v[i].name);
		free(v[i].type);
		free(v[i].verification_status);
	}
	free(v);
}

/* Rows cached before migration 7 have no reversed name: give them one, once (one
 * transaction; a caller's open batch is joined). */
static enum sc_status index_old_rows(struct cache *c, struct sc_error *err)
{
	sqlite3_stmt *st;
	enum sc_status s;
	bool own = !cache_in_batch(c);
	int rc;

	if (store_query(c, &st, "find", err, "SELECT 1 FROM identities WHERE rname IS NULL LIMIT 1",
			"") != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW)
		return SC_OK;
	if (own && cache_begin(c, err) != SC_OK)
		return SC_IO;
	s = store_query(c, &st, "find index", err,
			"SELECT rowid, name FROM identities WHERE rname IS NULL", "");
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		char *r = store_reverse_name((const char *)sqlite3_column_text(st, 1));

		s = store_run(c, "find index", err, "UPDATE identities SET rname = ? WHERE rowid = ?",
			      "sI", r, (long long)sqlite3_column_int64(st, 0));
		free(r);
	}
	if (s == SC_OK)
		s = store_query_end(c, st, rc, "find index", err);
	else
		sqlite3_finalize(st);
	if (own && s == SC_OK)
		s = cache_commit(c, err);
	if (own && s != SC_OK)
		cache_rollback(c);
	return s;
}

#define FOUND_COLUMNS                                                                        \
	"SELECT account_id, region, name, type, verification_status, sending_enabled, fetched" \
	" FROM identities "

/* Step st's rows into *out (at most max in all; 0: no limit). */
static enum sc_status read_found(struct cache *c, sqlite3_stmt *st, size_t max,
				 struct cache_found **out, size_t *n, size_t *cap,
				 struct sc_error *err)
{
	int rc = SQLITE_DONE;

	while ((!max || *n < max) && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_found *x = store_grow((void **)out, n, cap, sizeof(**out));

		x->account_id = store_col_str(st, 0);
		x->region = store_col_str(st, 1);
		x->name = store_col_str(st, 2);
		x->type = store_col_str(st, 3);
		x->verification_status = store_col_str(st, 4);
		x->sending_enabled = sqlite3_column_int(st, 5) != 0;
		x->fetched = store_col_time(st, 6);
	}
	if (max && *n >= max)
		rc = SQLITE_DONE;
	return store_query_end(c, st, rc, "find", err);
}

/* Rows whose rname lies in [lo, hi): hi is lo with its last byte raised by one. */
static enum sc_status find_range(struct cache *c, const char *lo, size_t max,
				 struct cache_found **out, size_t *n, size_t *cap,
				 struct sc_error *err)
{
	size_t len = strlen(lo);
	char *hi = xstrdup(lo);
	sqlite3_stmt *st;
	enum sc_status s;

	hi[len - 1] = (char)(hi[len - 1] + 1); /* '.' → '/', '@' → 'A' */
	s = store_query(c, &st, "find", err,
			FOUND_COLUMNS "WHERE rname >= ? AND rname < ? ORDER BY rname", "ss", lo, hi);
	if (!s) /* the bound strings are read while stepping */
		s = read_found(c, st, max, out, n, cap, err);
	free(hi);
	return s;
}

static enum sc_status find_exact(struct cache *c, const char *rname, size_t max,
				 struct cache_found **out, size_t *n, size_t *cap,
				 struct sc_error *err)
{
	sqlite3_stmt *st;

	if (store_query(c, &st, "find", err, FOUND_COLUMNS "WHERE rname = ?", "s", rname))
		return SC_IO;
	return read_found(c, st, max, out, n, cap, err);
}

static int cmp_found(const void *a, const void *b)
{
	const struct cache_found *x = a, *y = b;
	int d = strcmp(x->name, y->name);

	if (!d)
		d = strcmp(x->account_id, y->account_id);
	return d ? d : strcmp(x->region, y->region);
}

enum sc_status cache_find_identities(struct cache *c, const char *name, bool under, size_t max,
				     struct cache_found **out, size_t *n, struct sc_error *err)
{
	size_t cap = 0, len = name ? strlen(name) : 0;
	char *key;
	enum sc_status st;

	*out = NULL;
	*n = 0;
	if (!len)
		return sc_fail(err, SC_USAGE, "find needs a name");
	st = index_old_rows(c, err);
	if (st)
		return st;
	key = xmalloc(len + 2);
	for (size_t i = 0; i < len; i++)
		key[i] = name[len - 1 - i];
	key[len] = '\0';
	st = find_exact(c, key, max, out, n, &cap, err);
	if (!st && under && !strchr(name, '@')) {
		key[len + 1] = '\0';
		key[len] = '.'; /* x.name → "eman.x" */
		st = find_range(c, key, max, out, n, &cap, err);
		key[len] = '@'; /* user@name → "eman@resu" */
		if (!st)
			st = find_range(c, key, max, out, n, &cap, err);
	}
	free(key);
	if (st) {
		cache_found_free(*out, *n);
		*out = NULL;
		*n = 0;
		return st;
	}
	if (*n > 1)
		qsort(*out, *n, sizeof(**out), cmp_found);
	return SC_OK;
}

#include "sesctl/store/history.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

/* Names (as stored) → enums; an unknown name reads as the table's catch-all. */
static enum ct_tool tool_of(const char *s)
{
#define X(id, name) if (s && !strcmp(s, name)) return CT_TOOL_##id;
	CT_TOOLS(X)
#undef X
	return CT_TOOL_OTHER;
}

static enum ct_principal principal_of(const char *s)
{
#define X(id, name, type) if (s && !strcmp(s, name)) return CT_PRINCIPAL_##id;
	CT_PRINCIPALS(X)
#undef X
	return CT_PRINCIPAL_UNKNOWN;
}

static enum ct_op op_of(const char *s)
{
#define X(id, name) if (s && !strcmp(s, name)) return CT_OP_##id;
	CT_OPS(X)
#undef X
	return CT_OP_CHANGE;
}

static enum ct_resource kind_of(const char *s)
{
#define X(id, name) if (s && !strcmp(s, name)) return CT_RES_##id;
	CT_RESOURCES(X)
#undef X
	return CT_RES_OTHER;
}

static enum sc_status insert_one(struct cache *c, const char *account_id, const char *region,
				 const struct ct_event *e, size_t *added, struct sc_error *err)
{
	enum sc_status st;

	if (!e->event_id || !*e->event_id)
		return SC_OK; /* nothing to key it by: CloudTrail always sends one */
	st = store_run(c, "store history", err,
		       "INSERT OR IGNORE INTO history(account_id, region, event_id, time, name,"
		       " source, read_only, principal, who, who_arn, role, source_ip, user_agent,"
		       " tool, tool_version, reason, op, resource_kind, resource, sending, params,"
		       " error_code, error_message, damaged, event_region)"
		       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       "sssIssissssssssssssisssis", account_id, region, e->event_id,
		       (int64_t)e->time, e->event_name ? e->event_name : "?", e->event_source,
		       (int)e->read_only, ct_principal_name(e->principal), e->who, e->who_arn,
		       e->role, e->source_ip, e->user_agent, ct_tool_name(e->tool),
		       e->tool_version, e->reason, ct_op_name(e->op),
		       ct_resource_name(e->resource_kind), e->resource, e->sending,
		       e->request_params, e->error_code, e->error_message, (int)e->damaged,
		       e->region);
	if (st == SC_OK && added)
		*added += (size_t)sqlite3_changes(cache_db(c));
	return st;
}

enum sc_status cache_put_history(struct cache *c, const char *account_id, const char *region,
				 const struct ct_event *v, size_t n, size_t *added,
				 struct sc_error *err)
{
	enum sc_status st = SC_OK;
	bool own;

	if (added)
		*added = 0;
	if (store_check_key(account_id, region, err) != SC_OK || store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (!n)
		return SC_OK;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; i < n && !st; i++)
		st = insert_one(c, account_id, region, &v[i], added, err);
	return cache_write_end(c, own, st, err);
}

static void event_from_row(sqlite3_stmt *st, struct ct_event *e)
{
	char *s;

	memset(e, 0, sizeof(*e));
	e->event_id = store_col_str(st, 0);
	e->time = store_col_time(st, 1);
	e->event_name = store_col_str(st, 2);
	e->event_source = store_col_str(st, 3);
	e->read_only = sqlite3_column_int(st, 4) != 0;
	s = store_col_str(st, 5);
	e->principal = principal_of(s);
	free(s);
	e->who = store_col_str(st, 6);
	e->who_arn = store_col_str(st, 7);
	e->role = store_col_str(st, 8);
	e->source_ip = store_col_str(st, 9);
	e->user_agent = store_col_str(st, 10);
	s = store_col_str(st, 11);
	e->tool = tool_of(s);
	free(s);
	e->tool_version = store_col_str(st, 12);
	e->reason = store_col_str(st, 13);
	s = store_col_str(st, 14);
	e->op = op_of(s);
	free(s);
	s = store_col_str(st, 15);
	e->resource_kind = kind_of(s);
	free(s);
	e->resource = store_col_str(st, 16);
	e->sending = sqlite3_column_int(st, 17);
	e->request_params = store_col_str(st, 18);
	e->error_code = store_col_str(st, 19);
	e->error_message = store_col_str(st, 20);
	e->damaged = sqlite3_column_int(st, 21) != 0;
	e->region = store_col_str(st, 22);
}

enum sc_status cache_get_history(struct cache *c, const char *account_id, const char *region,
				 const struct cache_history_query *q, struct ct_events *out,
				 struct sc_error *err)
{
	static const struct cache_history_query any = CACHE_HISTORY_ANY;
	const char *op = NULL, *kind = NULL;
	sqlite3_stmt *st;
	int rc;

	if (!q)
		q = &any;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (q->op >= 0 && q->op < CT_OP_COUNT)
		op = ct_op_name((enum ct_op)q->op);
	if (q->resource_kind >= 0 && q->resource_kind < CT_RES_COUNT)
		kind = ct_resource_name((enum ct_resource)q->resource_kind);
	/* every filter is always bound, so one statement serves every query */
	if (store_query(c, &st, "history", err,
			"SELECT event_id, time, name, source, read_only, principal, who, who_arn,"
			" role, source_ip, user_agent, tool, tool_version, reason, op, resource_kind,"
			" resource, sending, params, error_code, error_message, damaged,"
			" event_region FROM history"
			" WHERE account_id = ?1 AND region = ?2 AND (?3 = 0 OR time >= ?3)"
			" AND (?4 = 0 OR time <= ?4)"
			" AND (?5 IS NULL OR instr(lower(coalesce(who, '') || ' ' ||"
			"  coalesce(who_arn, '') || ' ' || coalesce(role, '')), lower(?5)) > 0)"
			" AND (?6 IS NULL OR op = ?6) AND (?7 IS NULL OR resource_kind = ?7)"
			" AND (?8 IS NULL OR lower(resource) = lower(?8))"
			" AND (?9 < 0 OR sending = ?9) AND (?10 OR read_only = 0)"
			" AND (?11 OR error_code IS NULL) AND (?12 = 0 OR sending >= 0)"
			" ORDER BY time DESC, event_id DESC LIMIT ?13",
			"ssIIssssiiiiI", account_id, region, (int64_t)q->since, (int64_t)q->until,
			q->who, op, kind, q->resource, q->sending, (int)q->include_reads,
			(int)q->failed_too, (int)q->switches_only,
			(int64_t)(q->limit ? q->limit : 1000)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ct_event *e = store_grow((void **)&out->v, &out->n, &out->cap, sizeof(*e));

		event_from_row(st, e);
	}
	return store_query_end(c, st, rc, "history", err);
}

enum sc_status cache_history_newest(struct cache *c, const char *account_id, const char *region,
				    time_t *newest, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*newest = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "history", err,
			"SELECT max(time) FROM history WHERE account_id = ? AND region = ?", "ss",
			account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*newest = store_col_time(st, 0);
		rc = sqlite3_step(st);
	}
	return store_query_end(c, st, rc, "history", err);
}

enum sc_status cache_history_gap(struct cache *c, const char *account_id, const char *region,
				 time_t *from, time_t *until, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*from = *until = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "history gap", err,
			"SELECT from_time, until_time FROM history_gap"
			" WHERE account_id = ? AND region = ?",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*from = store_col_time(st, 0);
		*until = store_col_time(st, 1);
		rc = sqlite3_step(st);
	}
	return store_query_end(c, st, rc, "history gap", err);
}

enum sc_status cache_set_history_gap(struct cache *c, const char *account_id, const char *region,
				     time_t from, time_t until, struct sc_error *err)
{
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (!until)
		return store_run(c, "history gap", err,
				 "DELETE FROM history_gap WHERE account_id = ? AND region = ?", "ss",
				 account_id, region);
	return store_run(c, "history gap", err,
			 "INSERT INTO history_gap(account_id, region, from_time, until_time)"
			 " VALUES (?,?,?,?) ON CONFLICT(account_id, region) DO UPDATE SET"
			 " from_time = excluded.from_time, until_time = excluded.until_time",
			 "ssII", account_id, region, (int64_t)from, (int64_t)until);
}

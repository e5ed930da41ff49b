/* The API call log (newest CACHE_CALLS_KEEP calls). */
#include "sesctl/store/calls.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

enum sc_status cache_log_call(struct cache *c, const struct cache_call *call,
			      struct sc_error *err)
{
	bool own;
	enum sc_status st;
	time_t t;

	if (store_check_one(call, err) != SC_OK)
		return SC_USAGE;
	t = call->time ? call->time : time(NULL);
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "log API call", err,
		    "INSERT INTO api_calls(time, operation, service, region, http_status, status,"
		    " error_code, request_id, latency_ms, retries) VALUES (?,?,?,?,?,?,?,?,?,?)",
		    "IsssIsssIi", (int64_t)t, call->operation, call->service, call->region,
		    (int64_t)call->http_status, call->status, store_empty_to_null(call->error_code),
		    store_empty_to_null(call->request_id), call->latency_ms, call->retries);
	if (st == SC_OK && sqlite3_last_insert_rowid(cache_db(c)) % 100 == 0)
		st = store_run(c, "trim API log", err, "DELETE FROM api_calls WHERE id <= ?", "I",
			    (int64_t)(sqlite3_last_insert_rowid(cache_db(c)) - CACHE_CALLS_KEEP));
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_calls(struct cache *c, size_t limit, struct cache_call **out, size_t *n,
			       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_query(c, &st, "API log", err,
		     "SELECT id, time, operation, service, region, http_status, status, error_code,"
		     " request_id, latency_ms, retries FROM api_calls ORDER BY id DESC LIMIT ?",
		     "I", limit ? (int64_t)limit : (int64_t)-1) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_call *x = store_grow((void **)out, n, &cap, sizeof(**out));
		x->id = sqlite3_column_int64(st, 0);
		x->time = store_col_time(st, 1);
		x->operation = store_col_str(st, 2);
		x->service = store_col_str(st, 3);
		x->region = store_col_str(st, 4);
		x->http_status = (long)sqlite3_column_int64(st, 5);
		x->status = store_col_str(st, 6);
		x->error_code = store_col_str(st, 7);
		x->request_id = store_col_str(st, 8);
		x->latency_ms = sqlite3_column_int64(st, 9);
		x->retries = sqlite3_column_int(st, 10);
	}
	if (store_query_end(c, st, rc, "API log", err) != SC_OK) {
		cache_calls_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_calls_free(struct cache_call *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].operation);
		free(v[i].service);
		free(v[i].region);
		free(v[i].status);
		free(v[i].error_code);
		free(v[i].request_id);
	}
	free(v);
}

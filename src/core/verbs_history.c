/* The team's memory: `sesctl history`, and the pause behind `sesctl account`. */
#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/core/history.h"
#include "sesctl/store/db.h"
#include "verbs_impl.h"

static const char *const history_columns[] = {"time",  "who",    "tool",   "op",
					      "event", "resource", "reason", "source",
					      "error", NULL};

cJSON *verb_history_row_json(const struct history_row *r)
{
	const struct ct_event *e = &r->ev;
	cJSON *o = cJSON_CreateObject();
	char words[512];

	history_who_words(r, words, sizeof(words));
	jm_time(o, "time", e->time);
	jm_str(o, "who", r->source == HISTORY_LOCAL ? r->local_user : e->who);
	jm_str(o, "who_words", words);
	jm_str(o, "principal", r->source == HISTORY_LOCAL ? NULL : ct_principal_name(e->principal));
	jm_str(o, "arn", e->who_arn);
	jm_str(o, "role", e->role);
	jm_str(o, "tool", ct_tool_name(e->tool));
	jm_str(o, "tool_version", e->tool_version);
	jm_str(o, "op", ct_op_name(e->op));
	jm_str(o, "event", e->event_name);
	jm_str(o, "resource_kind", ct_resource_name(e->resource_kind));
	jm_str(o, "resource", e->resource);
	jm_str(o, "reason", e->reason);
	jm_str(o, "source", history_source_name(r->source));
	cJSON_AddBoolToObject(o, "in_cloudtrail", r->source != HISTORY_LOCAL);
	jm_str(o, "local_user", r->local_user);
	jm_str(o, "command", r->command);
	jm_str(o, "source_ip", e->source_ip);
	jm_str(o, "user_agent", e->user_agent);
	jm_str(o, "event_id", e->event_id);
	jm_str(o, "request_id", e->request_id);
	jm_str(o, "error", e->error_code);
	jm_str(o, "error_message", e->error_message);
	if (e->request_params) {
		cJSON *p = cJSON_Parse(e->request_params);

		if (p)
			cJSON_AddItemToObject(o, "request_parameters", p);
	}
	return o;
}

/* The short form a detail carries (the full row is in `sesctl history`). */
static cJSON *row_brief(const struct history_row *r)
{
	cJSON *o = cJSON_CreateObject();
	char words[512];

	history_who_words(r, words, sizeof(words));
	jm_time(o, "time", r->ev.time);
	jm_str(o, "who", r->source == HISTORY_LOCAL ? r->local_user : r->ev.who);
	jm_str(o, "by", words);
	jm_str(o, "tool", ct_tool_name(r->ev.tool));
	jm_str(o, "event", r->ev.event_name);
	jm_str(o, "reason", r->ev.reason);
	jm_str(o, "source", history_source_name(r->source));
	return o;
}

void verb_add_last_change(struct core *core, const struct verb_where *w, cJSON *o, int kind,
			  const char *name, bool paused)
{
	struct history_query q = {.op = -1, .resource = name, .limit = 20};
	struct history_rows rows = {0};
	struct audit_trail *trail = NULL;
	struct history_row pause;
	cJSON *last = NULL;

	if (!o || !name)
		return;
	if (core_audit(core, &trail, NULL) != SC_OK)
		trail = NULL;
	if (history_merged(w->cache, trail, w->account, w->region, &q, &rows, NULL) == SC_OK)
		for (size_t i = 0; i < rows.n && !last; i++)
			if ((int)rows.v[i].ev.resource_kind == kind && !rows.v[i].ev.error_code)
				last = row_brief(&rows.v[i]);
	history_rows_free(&rows);
	cJSON_AddItemToObject(o, "last_change", last ? last : cJSON_CreateNull());
	if (paused && history_last_switch(w->cache, trail, w->account, w->region,
					  (enum ct_resource)kind, name, &pause, NULL) == SC_OK) {
		cJSON_AddItemToObject(o, "paused_by", row_brief(&pause));
		history_row_clear(&pause);
	}
}

/* Read CloudTrail again (incremental) unless offline; a missing permission is a warning
 * and the cached history (and the local trail) still answer. */
static enum sc_status refresh(struct core *core, const struct verb_where *w, bool force,
			      struct verb_result *res, struct sc_error *err)
{
	enum sc_status st;
	char *last_error = NULL;
	time_t fetched = 0;

	if (core->opt.offline)
		return SC_OK;
	st = verb_ensure_kind(core, w, SYNC_HISTORY, force, err);
	if (st)
		return st;
	cache_kind_age(w->cache, w->account, w->region, CACHE_KIND_HISTORY, &fetched, &last_error,
		       NULL);
	if (last_error)
		verb_result_warn(res, "%s", last_error);
	free(last_error);
	return SC_OK;
}

static enum sc_status history_query_from(const struct verb_args *args, struct history_query *q,
					 struct sc_error *err)
{
	const char *op = verb_opt(args, "op");

	memset(q, 0, sizeof(*q));
	q->op = -1;
	q->who = verb_opt(args, "who");
	q->resource = verb_opt(args, "resource");
	if (verb_since(args, &q->since, err))
		return SC_USAGE;
	if (op) {
		enum ct_op o;

		if (!ct_op_from(op, &o))
			return sc_fail(err, SC_USAGE, "--op takes pause, resume, create, delete or "
				       "change, not '%s'", op);
		q->op = (int)o;
	}
	return verb_limit(args, &q->limit, err);
}

/* history [--since 7d] [--who TEXT] [--op OP] [--resource NAME] [--limit N] [--refresh] */
enum sc_status verb_history(struct core *core, const struct verb_args *args,
			    struct verb_result *res, struct sc_error *err)
{
	struct history_query q;
	struct history_rows rows = {0};
	struct audit_trail *trail = NULL;
	struct verb_where w;
	cJSON *o, *arr;
	enum sc_status st = history_query_from(args, &q, err);

	if (!st)
		st = verb_where_open(core, &w, err);
	if (!st)
		st = refresh(core, &w, verb_flag(args, "refresh"), res, err);
	if (!st && core_audit(core, &trail, NULL) != SC_OK)
		trail = NULL; /* CloudTrail alone still answers */
	if (!st)
		st = history_merged(w.cache, trail, w.account, w.region, &q, &rows, err);
	if (st)
		return st;
	o = cJSON_CreateObject();
	jm_str(o, "region", w.region);
	jm_str(o, "account", w.account);
	arr = cJSON_AddArrayToObject(o, "changes");
	for (size_t i = 0; i < rows.n; i++)
		cJSON_AddItemToArray(arr, verb_history_row_json(&rows.v[i]));
	history_rows_free(&rows);
	res->json = o;
	res->array_key = "changes";
	res->columns = history_columns;
	return SC_OK;
}

/* log and audit: what sesctl asked AWS, and who changed what. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/calls.h"
#include "verbs_impl.h"

static size_t limit_of(const struct verb_args *args, size_t dflt)
{
	const char *l = verb_opt(args, "limit");
	long n = l ? strtol(l, NULL, 10) : (long)dflt;

	return n > 0 ? (size_t)n : dflt;
}

static const char *const log_columns[] = {"time",        "operation",  "region",
                                          "http_status", "status",     "latency_ms",
                                          "retries",     "request_id", NULL};

enum sc_status verb_log(struct core *core, const struct verb_args *args, struct verb_result *res,
                        struct sc_error *err)
{
	struct cache_call *v = NULL;
	struct cache *c;
	size_t n = 0;
	enum sc_status st = core_cache(core, &c, err);
	cJSON *arr;

	if (!st)
		st = cache_get_calls(c, limit_of(args, 50), &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = n; i-- > 0;) { /* oldest first, like a log */
		cJSON *o = cJSON_CreateObject();

		jm_time(o, "time", v[i].time);
		jm_str(o, "operation", v[i].operation);
		jm_str(o, "service", v[i].service);
		jm_str(o, "region", v[i].region);
		cJSON_AddNumberToObject(o, "http_status", (double)v[i].http_status);
		jm_str(o, "status", v[i].status);
		jm_str(o, "error_code",
		       v[i].error_code && *v[i].error_code ? v[i].error_code : NULL);
		cJSON_AddNumberToObject(o, "latency_ms", (double)v[i].latency_ms);
		cJSON_AddNumberToObject(o, "retries", v[i].retries);
		jm_str(o, "request_id", v[i].request_id);
		cJSON_AddItemToArray(arr, o);
	}
	cache_calls_free(v, n);
	res->json = arr;
	res->columns = log_columns;
	return SC_OK;
}

static const char *const audit_columns[] = {"time",   "user",    "region", "profile",
					    "result", "command", NULL};

enum sc_status verb_audit(struct core *core, const struct verb_args *args, struct verb_result *res,
                          struct sc_error *err)
{
	struct audit_entry *v = NULL;
	struct audit_trail *t;
	size_t n = 0, damaged;
	int64_t line;
	enum sc_status st = core_audit(core, &t, err);
	cJSON *arr;

	if (!st)
		st = audit_list(t, verb_opt(args, "verb"), limit_of(args, 50), &v, &n, err);
	if (st)
		return st;
	damaged = audit_damage(t, &line);
	if (damaged)
		buf_printf(&res->warning,
			   "the audit trail %s has %zu damaged record%s (from line %lld); %s "
			   "skipped, the rest is shown",
			   audit_path(t), damaged, damaged == 1 ? "" : "s", (long long)line,
			   damaged == 1 ? "it was" : "they were");
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		jm_time(o, "time", v[i].time);
		jm_str(o, "user", v[i].os_user);
		jm_str(o, "host", v[i].host);
		jm_str(o, "profile", v[i].profile);
		jm_str(o, "region", v[i].region);
		jm_str(o, "account", v[i].account_id);
		jm_str(o, "verb", v[i].verb);
		jm_str(o, "result", audit_result_name(v[i].result));
		jm_str(o, "status", v[i].status);
		jm_str(o, "message", v[i].message);
		jm_str(o, "reason", v[i].reason);
		jm_str(o, "request_id", v[i].request_id);
		cJSON_AddNumberToObject(o, "duration_ms", (double)v[i].duration_ms);
		jm_str(o, "command", v[i].command);
		cJSON_AddItemToArray(arr, o);
	}
	audit_entries_free(v, n);
	res->json = arr;
	res->columns = audit_columns;
	return SC_OK;
}

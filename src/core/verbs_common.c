/* What the run functions of the verb table share: reading their options, building their
 * result, opening the target of a change. Apart from the table (verbs.c), so that the
 * table calls the verbs and the verbs call these, never back. */
#include <cjson/cJSON.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/core.h"
#include "sesctl/core/verbs.h"
#include "verbs_impl.h"

void verb_args_free(struct verb_args *args)
{
	free(args->argv);
	free(args->opts);
	memset(args, 0, sizeof(*args));
}

static bool opt_name_is(const char *stored, const char *name)
{
	size_t n = strlen(name);

	return !strncmp(stored, name, n) && (stored[n] == '\0' || stored[n] == '=');
}

const char *verb_opt(const struct verb_args *args, const char *name)
{
	const char *found = NULL;

	for (size_t i = 0; i < args->n_opts; i++)
		if (opt_name_is(args->opts[i].name, name))
			found = args->opts[i].value;
	return found;
}

bool verb_flag(const struct verb_args *args, const char *name)
{
	return verb_opt(args, name) != NULL;
}

void verb_result_free(struct verb_result *res)
{
	cJSON_Delete(res->json);
	if (res->rows && res->rows->free)
		res->rows->free(res->rows->ud);
	free(res->rows);
	buf_free(&res->text);
	free(res->audit_reason);
	free(res->audit_config_set);
	buf_free(&res->warning);
	memset(res, 0, sizeof(*res));
}

void verb_result_warn(struct verb_result *res, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&res->warning, fmt, ap);
	va_end(ap);
	buf_putc(&res->warning, '\n');
}

enum sc_status verb_target_open(struct core *core, struct verb_target *t, struct sc_error *err)
{
	enum sc_status st = core_region(core, &t->region, err);

	if (!st)
		st = core_learn_account(core, err);
	if (!st)
		st = core_ses_ctx(core, t->region, &t->ses, err);
	if (!st)
		st = core_cache(core, &t->cache, err);
	t->account = core->account_id;
	return st;
}

enum sc_status verb_where_open(struct core *core, struct verb_where *w, struct sc_error *err)
{
	enum sc_status st = core_region(core, &w->region, err);

	if (!st)
		st = core_cache_account(core, w->region, &w->account, err);
	if (!st)
		st = core_cache(core, &w->cache, err);
	return st;
}

/* Refresh one kind when stale (never offline); a kind that failed is the error. */
enum sc_status verb_ensure_kind(struct core *core, const struct verb_where *w, enum sync_kind sk,
                                  bool force, struct sc_error *err)
{
	struct sync_report rep;
	enum sc_status st = sync_fresh(core, w->region, 1u << sk, force, &rep, NULL, err);

	if (st == SC_PARTIAL)
		return sc_fail(err, rep.kinds[sk].status, "%s", rep.kinds[sk].message);
	return st;
}

enum sc_status verb_span(const char *s, time_t *seconds)
{
	char *end;
	long n = s ? strtol(s, &end, 10) : 0;

	if (n <= 0 || n > 100000 || !s)
		return SC_USAGE;
	if (!strcmp(end, "m"))
		*seconds = (time_t)n * 60;
	else if (!strcmp(end, "h"))
		*seconds = (time_t)n * 3600;
	else if (!strcmp(end, "d"))
		*seconds = (time_t)n * 86400;
	else
		return SC_USAGE;
	return SC_OK;
}

enum sc_status verb_since(const struct verb_args *args, time_t *since, struct sc_error *err)
{
	const char *v = verb_opt(args, "since");
	time_t span;

	if (!v)
		return SC_OK;
	if (verb_span(v, &span))
		return sc_fail(err, SC_USAGE, "--since takes a span like 30m, 2h or 7d");
	*since = time(NULL) - span;
	return SC_OK;
}

enum sc_status verb_limit(const struct verb_args *args, size_t *limit, struct sc_error *err)
{
	const char *v = verb_opt(args, "limit");
	char *end;
	long n;

	if (!v)
		return SC_OK;
	n = strtol(v, &end, 10);
	if (*end || n < 1 || n > 100000)
		return sc_fail(err, SC_USAGE, "--limit takes 1 to 100000");
	*limit = (size_t)n;
	return SC_OK;
}

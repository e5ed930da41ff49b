/* Receipt rules: sets, rules in order, trace, activate, move. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/core/sync.h"
#include "sesctl/core/trace.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/store/receipt.h"
#include "verbs_impl.h"

struct rule_sets {
	struct ses_rule_set *v;
	size_t n;
	const char *region;
	const char *account;
	struct cache *cache;
};

/* The cached rule sets of the region, refreshed first when stale (or always with
 * fresh = true, before a change). */
static enum sc_status load_sets(struct core *core, bool fresh, struct rule_sets *rs,
                                struct sc_error *err)
{
	struct sync_report rep;
	enum sc_status st;

	memset(rs, 0, sizeof(*rs));
	st = core_region(core, &rs->region, err);
	if (!st)
		st = core_cache_account(core, rs->region, &rs->account, err);
	if (!st)
		st = core_cache(core, &rs->cache, err);
	if (st)
		return st;
	st = sync_fresh(core, rs->region, 1u << SYNC_RULE_SETS, fresh, &rep, NULL, err);
	if (st && st != SC_PARTIAL)
		return st;
	if (rep.kinds[SYNC_RULE_SETS].status)
		return sc_fail(err, rep.kinds[SYNC_RULE_SETS].status, "%s",
		               rep.kinds[SYNC_RULE_SETS].message);
	return cache_get_rule_sets(rs->cache, rs->account, rs->region, &rs->v, &rs->n, err);
}

static const struct ses_rule_set *find_set(const struct rule_sets *rs, const char *name)
{
	for (size_t i = 0; i < rs->n; i++)
		if (name ? !strcmp(rs->v[i].name, name) : rs->v[i].active)
			return &rs->v[i];
	return NULL;
}

static const char *const set_columns[] = {"name", "active", "rules", "created", NULL};
static const char *const rule_columns[] = {"position",   "name",    "enabled",
                                           "recipients", "actions", NULL};

enum sc_status verb_receipt_sets(struct core *core, const struct verb_args *args,
                                 struct verb_result *res, struct sc_error *err)
{
	struct rule_sets rs;
	enum sc_status st = load_sets(core, false, &rs, err);
	cJSON *arr;

	(void)args;
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < rs.n; i++) {
		cJSON *o = cJSON_CreateObject();

		jm_str(o, "name", rs.v[i].name);
		cJSON_AddBoolToObject(o, "active", rs.v[i].active);
		cJSON_AddNumberToObject(o, "rules", (double)rs.v[i].n_rules);
		jm_time(o, "created", rs.v[i].created);
		cJSON_AddItemToArray(arr, o);
	}
	ses_rule_sets_free(rs.v, rs.n);
	res->json = arr;
	res->columns = set_columns;
	return SC_OK;
}

enum sc_status verb_receipt_show(struct core *core, const struct verb_args *args,
                                 struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argc ? args->argv[0] : NULL;
	const struct ses_rule_set *set;
	struct rule_sets rs;
	enum sc_status st = load_sets(core, false, &rs, err);
	cJSON *o, *rules;

	if (st)
		return st;
	set = find_set(&rs, name);
	if (!set) {
		st = sc_fail(err, SC_NOT_FOUND,
		             name ? "no receipt rule set named %s in %s"
		                  : "%sno active receipt rule set in %s",
		             name ? name : "", rs.region);
		ses_rule_sets_free(rs.v, rs.n);
		return st;
	}
	o = cJSON_CreateObject();
	jm_str(o, "rule_set", set->name);
	cJSON_AddBoolToObject(o, "active", set->active);
	jm_str(o, "region", rs.region);
	rules = cJSON_AddArrayToObject(o, "rules");
	for (size_t i = 0; i < set->n_rules; i++)
		cJSON_AddItemToArray(rules, jm_rule(&set->rules[i], i + 1));
	ses_rule_sets_free(rs.v, rs.n);
	res->json = o;
	res->array_key = "rules";
	res->columns = rule_columns;
	return SC_OK;
}

enum sc_status verb_receipt_trace(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, struct sc_error *err)
{
	const char *address = args->argv[0], *setname = verb_opt(args, "rule-set");
	const struct ses_rule_set *set;
	struct trace_result tr;
	struct rule_sets rs;
	enum sc_status st = load_sets(core, false, &rs, err);
	cJSON *o, *steps;

	if (st)
		return st;
	set = find_set(&rs, setname);
	if (!set) {
		ses_rule_sets_free(rs.v, rs.n);
		return sc_fail(err, SC_NOT_FOUND,
		               "no %s receipt rule set in %s: mail to %s is not received",
		               setname ? setname : "active", rs.region, address);
	}
	trace_rule_set(set, address, &tr);
	o = cJSON_CreateObject();
	jm_str(o, "address", address);
	jm_str(o, "rule_set", set->name);
	steps = cJSON_AddArrayToObject(o, "steps");
	buf_printf(&res->text, "mail to %s, rule set %s%s:\n", address, set->name,
	           set->active ? " (active)" : "");
	for (size_t i = 0; i < tr.n; i++) {
		const struct trace_step *s = &tr.steps[i];
		cJSON *j = jm_rule(s->rule, s->position);

		cJSON_AddBoolToObject(j, "applies", s->applies);
		jm_str(j, "why", s->why);
		cJSON_AddBoolToObject(j, "stops", s->stops);
		cJSON_AddItemToArray(steps, j);
		buf_printf(&res->text, "  %zu. %-24s %s (%s%s%s)\n", s->position, s->rule->name,
		           s->applies ? "APPLIES" : "skipped", s->why, s->matched[0] ? " " : "",
		           s->matched);
		for (size_t a = 0; s->applies && a < s->rule->n_actions; a++) {
			buf_puts(&res->text, "       -> ");
			trace_action_summary(&res->text, &s->rule->actions[a]);
			buf_putc(&res->text, '\n');
		}
	}
	cJSON_AddBoolToObject(o, "stopped", tr.stopped);
	cJSON_AddNumberToObject(o, "rules_applied", (double)tr.applied);
	if (tr.stopped)
		buf_printf(&res->text,
		           "processing stops at rule %zu (%s): later rules never see this mail\n",
		           tr.steps[tr.n - 1].position, tr.steps[tr.n - 1].rule->name);
	else if (!tr.applied)
		buf_printf(&res->text, "no rule applies: SES accepts nothing for %s in this set\n",
		           address);
	trace_free(&tr);
	ses_rule_sets_free(rs.v, rs.n);
	res->json = o;
	res->text_only = true;
	return SC_OK;
}

enum sc_status verb_receipt_activate(struct core *core, const struct verb_args *args,
                                     struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct rule_sets rs;
	struct core_ses ses;
	enum sc_status st = load_sets(core, true, &rs, err);

	if (!st && !find_set(&rs, name))
		st = sc_fail(err, SC_NOT_FOUND, "no receipt rule set named %s in %s", name,
		             rs.region);
	if (!st)
		st = core_ses_ctx(core, rs.region, &ses, err);
	if (!st)
		st = sesv1_set_active_receipt_rule_set(&ses.ctx, name, err);
	ses_rule_sets_free(rs.v, rs.n);
	if (!st)
		st = load_sets(core, true, &rs, err);
	if (st)
		return st;
	ses_rule_sets_free(rs.v, rs.n);
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "active_rule_set", name);
	return SC_OK;
}

/* receipt rule move SET RULE (--after OTHER | --first) */
enum sc_status verb_receipt_rule_move(struct core *core, const struct verb_args *args,
                                      struct verb_result *res, struct sc_error *err)
{
	const char *set_name = args->argv[0], *rule = args->argv[1];
	const char *after = verb_opt(args, "after");
	const struct ses_rule_set *set;
	struct rule_sets rs;
	struct core_ses ses;
	enum sc_status st;
	bool has_rule = false, has_after = !after;

	if (!after == !verb_flag(args, "first"))
		return sc_fail(err, SC_USAGE, "give exactly one of --after RULE or --first");
	st = load_sets(core, true, &rs, err);
	if (st)
		return st;
	set = find_set(&rs, set_name);
	for (size_t i = 0; set && i < set->n_rules; i++) {
		has_rule |= !strcmp(set->rules[i].name, rule);
		has_after |= after && !strcmp(set->rules[i].name, after);
	}
	if (!set || !has_rule || !has_after)
		st = sc_fail(err, SC_NOT_FOUND, "%s",
		             !set        ? "no such receipt rule set"
		             : !has_rule ? "no such rule in the set"
		                         : "the --after rule is not in the set");
	if (!st)
		st = core_ses_ctx(core, rs.region, &ses, err);
	if (!st)
		st = sesv1_set_receipt_rule_position(&ses.ctx, set_name, rule, after, err);
	ses_rule_sets_free(rs.v, rs.n);
	if (!st)
		st = load_sets(core, true, &rs,
		               err); /* re-read: the cache must show the new order */
	if (st)
		return st;
	ses_rule_sets_free(rs.v, rs.n);
	return verb_receipt_show(core, &(struct verb_args){.argc = 1, .argv = (char **)args->argv},
	                         res, err);
}

enum sc_status verb_rules_changed(struct core *core, const char *region, const char *set_name,
				  struct verb_result *res, struct sc_error *err)
{
	struct sync_options o = {.kinds = 1u << SYNC_RULE_SETS};
	struct sync_report rep;
	char *argv[] = {(char *)set_name};
	enum sc_status st = sync_region(core, region, &o, &rep, err);

	if (st && st != SC_PARTIAL)
		return st;
	if (!set_name) {
		res->json = cJSON_CreateObject();
		cJSON_AddBoolToObject(res->json, "receiving", false);
		return SC_OK;
	}
	return verb_receipt_show(core, &(struct verb_args){.argc = 1, .argv = argv}, res, err);
}

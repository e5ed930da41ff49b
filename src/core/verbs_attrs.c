/* Identity attributes (DKIM, MAIL FROM, feedback forwarding) and receipt-rule changes.
 * Each verb checks the object is there (fresh), changes it, re-reads it into the cache and
 * prints the new state. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/core/sync.h"
#include "sesctl/dns/name.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/receipt.h"
#include "verbs_impl.h"

/* Re-read an identity after a change; it becomes the verb's output and the cache row. */
static enum sc_status reread_identity(struct verb_target *l, const char *name, struct verb_result *res,
                                      struct sc_error *err)
{
	struct ses_identity x = {0};
	enum sc_status st = sesv2_get_email_identity(&l->ses.ctx, name, &x, err);

	if (st)
		return st;
	cache_put_identity(l->cache, l->account, l->region, &x, NULL);
	res->json = jm_identity(&x, l->region, time(NULL));
	ses_identity_free(&x);
	return SC_OK;
}

static enum sc_status must_exist(struct verb_target *l, const char *name, bool domain_only,
                                 struct sc_error *err)
{
	struct ses_identity x = {0};
	enum sc_status st = sesv2_get_email_identity(&l->ses.ctx, name, &x, err);

	if (!st && domain_only && !ses_identity_is_domain(&x))
		st =
		    sc_fail(err, SC_USAGE, "%s is an email address; this applies to domains", name);
	ses_identity_free(&x);
	return st;
}

static enum sc_status on_off(const struct verb_args *args, int index, bool *out,
                             struct sc_error *err)
{
	const char *v = args->argv[index];

	if (!strcmp(v, "on") || !strcmp(v, "enable"))
		*out = true;
	else if (!strcmp(v, "off") || !strcmp(v, "disable"))
		*out = false;
	else
		return sc_fail(err, SC_USAGE, "expected on or off, not '%s'", v);
	return SC_OK;
}

/* identity dkim NAME on|off [--key-length 1024|2048] */
enum sc_status verb_identity_dkim(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0], *len = verb_opt(args, "key-length");
	struct verb_target l;
	bool on;
	enum sc_status st = on_off(args, 1, &on, err);

	if (!st && len && strcmp(len, "1024") && strcmp(len, "2048"))
		st = sc_fail(err, SC_USAGE, "--key-length must be 1024 or 2048");
	if (!st)
		st = verb_target_open(core, &l, err);
	if (!st)
		st = must_exist(&l, name, true, err);
	if (!st)
		st = sesv2_put_dkim_attributes(&l.ses.ctx, name, on, err);
	if (!st && len) {
		struct sesv2_dkim_signing d = {
		    .next_key_length = !strcmp(len, "1024") ? "RSA_1024_BIT" : "RSA_2048_BIT"};

		st = sesv2_put_dkim_signing_attributes(&l.ses.ctx, name, "AWS_SES", &d, NULL, err);
	}
	return st ? st : reread_identity(&l, name, res, err);
}

/* identity mail-from NAME (DOMAIN [--on-mx-failure use-default|reject] | --clear) */
enum sc_status verb_identity_mail_from(struct core *core, const struct verb_args *args,
                                       struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0], *mx = verb_opt(args, "on-mx-failure");
	const char *behavior = NULL;
	struct dns_name mf = {0};
	bool clear = verb_flag(args, "clear");
	struct verb_target l;
	enum sc_status st = SC_OK;

	if (clear == (args->argc == 2))
		return sc_fail(err, SC_USAGE, "give a MAIL FROM domain or --clear");
	if (mx && strcmp(mx, "use-default") && strcmp(mx, "reject"))
		return sc_fail(err, SC_USAGE, "--on-mx-failure must be use-default or reject");
	if (mx)
		behavior = !strcmp(mx, "reject") ? "REJECT_MESSAGE" : "USE_DEFAULT_VALUE";
	if (!clear) {
		st = dns_name_normalize(args->argv[1], 0, &mf, err);
		if (!st && !dns_name_within(mf.alabel, name))
			st = sc_fail(err, SC_USAGE,
			             "the MAIL FROM domain must be a subdomain of %s", name);
	}
	if (!st)
		st = verb_target_open(core, &l, err);
	if (!st)
		st = must_exist(&l, name, false, err);
	if (!st)
		st = sesv2_put_mail_from_attributes(&l.ses.ctx, name, clear ? NULL : mf.alabel,
		                                    behavior, err);
	dns_name_free(&mf);
	return st ? st : reread_identity(&l, name, res, err);
}

/* identity feedback NAME on|off */
enum sc_status verb_identity_feedback(struct core *core, const struct verb_args *args,
                                      struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct verb_target l;
	bool on;
	enum sc_status st = on_off(args, 1, &on, err);

	if (!st)
		st = verb_target_open(core, &l, err);
	if (!st)
		st = must_exist(&l, name, false, err);
	if (!st)
		st = verb_feedback_forwarding_check(&l, name, on, err);
	if (!st)
		st = sesv2_put_feedback_attributes(&l.ses.ctx, name, on, err);
	return st ? st : reread_identity(&l, name, res, err);
}

/* identity config-set NAME (SET | --clear): the set must exist, so a typo is not accepted */
enum sc_status verb_identity_config_set(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0], *set = args->argc == 2 ? args->argv[1] : NULL;
	struct ses_config_set cs = {0};
	struct verb_target l;
	enum sc_status st = SC_OK;

	if (verb_flag(args, "clear") == (set != NULL))
		return sc_fail(err, SC_USAGE, "give a configuration set name or --clear");
	if (set)
		st = ses_config_set_name_check(set, err);
	if (!st)
		st = verb_target_open(core, &l, err);
	if (!st)
		st = must_exist(&l, name, false, err);
	if (!st && set)
		st = sesv2_get_config_set(&l.ses.ctx, set, &cs, err);
	ses_config_set_free(&cs);
	if (!st)
		st = sesv2_put_identity_config_set(&l.ses.ctx, name, set, err);
	return st ? st : reread_identity(&l, name, res, err);
}

/* ---- receipt rules ---- */

/* The fresh set named; SC_NOT_FOUND when absent. */
static enum sc_status fresh_set(struct verb_target *l, const char *set_name, struct ses_rule_set *out,
                                struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	return sesv1_describe_receipt_rule_set(&l->ses.ctx, set_name, out, err);
}

static struct ses_rule *rule_in(struct ses_rule_set *set, const char *name)
{
	for (size_t i = 0; i < set->n_rules; i++)
		if (!strcmp(set->rules[i].name, name))
			return &set->rules[i];
	return NULL;
}

static enum sc_status rule_enable(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, bool enable, struct sc_error *err)
{
	const char *set_name = args->argv[0], *rule_name = args->argv[1];
	struct ses_rule_set set;
	struct ses_rule *rule;
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (st)
		return st;
	st = fresh_set(&l, set_name, &set, err);
	if (st)
		return st;
	rule = rule_in(&set, rule_name);
	if (!rule)
		st = sc_fail(err, SC_NOT_FOUND, "no rule %s in receipt rule set %s", rule_name,
		             set_name);
	if (!st) {
		rule->enabled = enable;
		st = sesv1_update_receipt_rule(&l.ses.ctx, set_name, rule, err);
	}
	ses_rule_set_free(&set);
	return st ? st : verb_rules_changed(core, l.region, set_name, res, err);
}

enum sc_status verb_receipt_rule_enable(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	return rule_enable(core, args, res, true, err);
}

enum sc_status verb_receipt_rule_disable(struct core *core, const struct verb_args *args,
                                         struct verb_result *res, struct sc_error *err)
{
	return rule_enable(core, args, res, false, err);
}

enum sc_status verb_receipt_rule_delete(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	const char *set_name = args->argv[0], *rule_name = args->argv[1];
	struct ses_rule_set set;
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = fresh_set(&l, set_name, &set, err);
	if (st)
		return st;
	if (!rule_in(&set, rule_name))
		st = sc_fail(err, SC_NOT_FOUND, "no rule %s in receipt rule set %s", rule_name,
		             set_name);
	ses_rule_set_free(&set);
	if (!st)
		st = sesv1_delete_receipt_rule(&l.ses.ctx, set_name, rule_name, err);
	return st ? st : verb_rules_changed(core, l.region, set_name, res, err);
}

/* receipt clone NEW --from SET */
enum sc_status verb_receipt_clone(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0], *from = verb_opt(args, "from");
	struct ses_rule_set set;
	struct verb_target l;
	enum sc_status st;

	if (!from)
		return sc_fail(err, SC_USAGE, "--from SET is required");
	if (!sesv1_name_ok(name))
		return sc_fail(
		    err, SC_USAGE,
		    "'%s' is not a valid rule set name (letters, digits, _ and -; under 64)", name);
	st = verb_target_open(core, &l, err);
	if (!st)
		st = fresh_set(&l, from, &set, err);
	if (st)
		return st;
	ses_rule_set_free(&set);
	st = sesv1_clone_receipt_rule_set(&l.ses.ctx, name, from, err);
	return st ? st : verb_rules_changed(core, l.region, name, res, err);
}

/* receipt delete SET (not the active one: SES refuses) */
enum sc_status verb_receipt_delete(struct core *core, const struct verb_args *args,
                                   struct verb_result *res, struct sc_error *err)
{
	struct sync_options o = {.kinds = 1u << SYNC_RULE_SETS};
	struct sync_report rep;
	struct ses_rule_set set;
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = fresh_set(&l, args->argv[0], &set, err);
	if (st)
		return st;
	ses_rule_set_free(&set);
	st = sesv1_delete_receipt_rule_set(&l.ses.ctx, args->argv[0], err);
	if (!st)
		st = sync_region(core, l.region, &o, &rep, err);
	if (st && st != SC_PARTIAL)
		return st;
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "deleted_rule_set", args->argv[0]);
	return SC_OK;
}

/* ---- IP filters ---- */

static const char *const filter_columns[] = {"name", "policy", "cidr", NULL};

/* The filters, read again when stale or when force (after a change: the list must show
 * it). */
static enum sc_status list_filters(struct core *core, bool force, struct verb_result *res,
                                   struct sc_error *err)
{
	struct ses_receipt_filter *v = NULL;
	const char *region, *account;
	struct cache *c;
	size_t n = 0;
	enum sc_status st = core_region(core, &region, err);
	cJSON *arr;

	if (!st) {
		struct sync_report rep;

		st = sync_fresh(core, region, 1u << SYNC_FILTERS, force, &rep, NULL, err);
		if (st == SC_PARTIAL)
			st = sc_fail(err, rep.kinds[SYNC_FILTERS].status, "%s",
			             rep.kinds[SYNC_FILTERS].message);
	}
	if (!st)
		st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		st = cache_get_filters(c, account, region, &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();

		jm_str(o, "name", v[i].name);
		jm_str(o, "policy", v[i].policy);
		jm_str(o, "cidr", v[i].cidr);
		cJSON_AddItemToArray(arr, o);
	}
	cache_filters_free(v, n);
	res->json = arr;
	res->columns = filter_columns;
	return SC_OK;
}

enum sc_status verb_receipt_filters(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	return list_filters(core, verb_flag(args, "refresh"), res, err);
}

enum sc_status verb_receipt_filter_create(struct core *core, const struct verb_args *args,
                                          struct verb_result *res, struct sc_error *err)
{
	const char *policy = verb_opt(args, "policy");
	struct ses_receipt_filter f = {0};
	struct verb_target l;
	enum sc_status st;

	if (!policy || (strcasecmp(policy, "block") && strcasecmp(policy, "allow")))
		return sc_fail(err, SC_USAGE, "--policy block|allow is required");
	f.name = (char *)args->argv[0];
	f.cidr = (char *)args->argv[1];
	f.policy = (char *)(!strcasecmp(policy, "block") ? "Block" : "Allow");
	st = verb_target_open(core, &l, err);
	if (!st)
		st = sesv1_create_receipt_filter(&l.ses.ctx, &f, err);
	if (st)
		return st;
	return list_filters(core, true, res, err);
}

enum sc_status verb_receipt_filter_delete(struct core *core, const struct verb_args *args,
                                          struct verb_result *res, struct sc_error *err)
{
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = sesv1_delete_receipt_filter(&l.ses.ctx, args->argv[0], err);
	if (st)
		return st;
	return list_filters(core, true, res, err);
}

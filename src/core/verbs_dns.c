/* dns DOMAIN: the records a domain identity needs, exported and optionally checked live. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/sync.h"
#include "sesctl/dns/check.h"
#include "sesctl/dns/export.h"
#include "sesctl/dns/name.h"
#include "sesctl/dns/policy.h"
#include "sesctl/dns/records.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/receipt.h"
#include "verbs_impl.h"

/* Does an active receipt rule send this domain's mail through SES? */
static bool receives_mail(struct cache *c, const char *account, const char *region,
                          const char *domain)
{
	struct ses_rule_set *sets = NULL;
	size_t n = 0;
	bool found;

	if (cache_get_rule_sets(c, account, region, &sets, &n, NULL))
		return false;
	found = dns_domain_receives(sets, n, domain);
	ses_rule_sets_free(sets, n);
	return found;
}

static enum sc_status add_region(struct core *core, const char *region, const char *domain,
                                 bool inbound, struct dns_record_set *set,
                                 struct ses_identity *first, struct sc_error *err)
{
	struct dns_gen_opts go = {0};
	struct ses_identity x = {0};
	const char *account;
	struct cache *c;
	enum sc_status st;

	st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st) { /* what arrived is used; a kind that failed leaves the cached rows */
		struct sync_report rep;

		st = sync_fresh(core, region, 1u << SYNC_IDENTITIES | 1u << SYNC_RULE_SETS, false,
		                &rep, NULL, err);
		if (st == SC_PARTIAL)
			st = SC_OK;
	}
	if (st)
		return st;
	if (cache_get_identity(c, account, region, domain, &x, NULL) != SC_OK)
		return SC_OK;
	go.inbound = inbound || receives_mail(c, account, region, domain);
	st = dns_records_for_identity(set, &x, account, region, &go, err);
	if (!st && !first->name)
		*first = x; /* kept for the alignment verdict */
	else
		ses_identity_free(&x);
	return st;
}

static void dmarc_from_check(struct dns_record_set *set)
{
	struct dns_record *d = dns_record_set_dmarc(set);

	if (d && d->suggestion && d->published && !strncasecmp(d->published, "v=DMARC1", 8))
		dns_record_set_adopt_dmarc(set, d->published);
}

/* Which lookups failed and why: what they would have shown is unknown, not absent. */
static void failed_lookups(struct buf *out, const struct dns_record_set *set)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		if (r->status == DNS_STATE_ERROR)
			buf_printf(out, "unknown: the lookup of %s %s failed (%s)\n", r->name, r->type,
			           r->detail ? r->detail : "no reason given");
	}
}

/* After a check: a script gates on the exit status. A suggestion (DMARC, when none is
 * published) is advice, not a requirement: its absence alone does not fail the gate. An
 * optional record (the legacy TXT of a domain DKIM verifies) never does. */
static enum sc_status check_gate(const struct dns_record_set *set, struct sc_error *err)
{
	size_t bad = 0, missing = 0, wrong = 0, unknown = 0;

	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		if (r->status == DNS_STATE_OK || r->optional ||
		    (r->suggestion && r->status == DNS_STATE_MISSING))
			continue;
		bad++;
		missing += r->status == DNS_STATE_MISSING;
		wrong += r->status == DNS_STATE_WRONG || r->status == DNS_STATE_CONFLICT;
		unknown += r->status == DNS_STATE_ERROR || r->status == DNS_STATE_UNCHECKED;
	}
	if (!bad)
		return SC_OK;
	return sc_fail(err, SC_DNS_NOT_OK,
	               "%zu of %zu records are not OK: %zu missing, %zu wrong, %zu could not be "
	               "checked",
	               bad, set->n, missing, wrong, unknown);
}

enum sc_status verb_dns(struct core *core, const struct verb_args *args, struct verb_result *res,
                        struct sc_error *err)
{
	const char *fmt_name = verb_opt(args, "format");
	enum dns_format fmt = DNS_FMT_TABLE;
	struct dns_record_set set;
	struct dns_name name = {0};
	struct ses_identity first = {0};
	struct buf json = BUF_INIT;
	bool checked = false;
	enum sc_status st;

	if (fmt_name && dns_format_parse(fmt_name, &fmt, err))
		return SC_USAGE;
	if (core->opt.offline && (verb_flag(args, "check") || verb_flag(args, "authoritative")))
		return sc_fail(err, SC_REFUSED,
		               "refused: --offline given; --check looks the records up in DNS");
	st = dns_name_normalize(args->argv[0], 0, &name, err);
	if (st)
		return st;
	if (!core->n_regions) {
		dns_name_free(&name);
		return core_region(core, &(const char *){NULL}, err);
	}
	dns_record_set_init(&set);
	for (size_t i = 0; i < core->n_regions && !st; i++)
		st = add_region(core, core->regions[i], name.alabel, verb_flag(args, "inbound"),
		                &set, &first, err);
	if (!st && !first.name)
		st = sc_fail(err, SC_NOT_FOUND, "%s is not a domain identity in %s%s", name.ulabel,
		             core->n_regions > 1 ? "any of the regions" : core->regions[0],
		             core->opt.offline ? " (cached data)" : "");
	if (!st && (verb_flag(args, "check") || verb_flag(args, "authoritative"))) {
		struct dns_check_opts co = {.server = core->opt.dns_server,
		                            .authoritative = verb_flag(args, "authoritative")};

		st = dns_check_run(&set, &co, err);
		if (!st)
			dmarc_from_check(&set);
		checked = !st;
	}
	if (!st) {
		dns_export_json(&json, &set);
		res->json = cJSON_Parse(buf_str(&json));
		dns_export(&res->text, &set, fmt,
		           verb_flag(args, "include-suggested") ? DNS_EXPORT_SUGGESTED : 0);
		res->text_only = true;
	}
	if (checked && fmt == DNS_FMT_TABLE) {
		struct policy_input in = {.identity = &first};
		struct policy_verdict v;

		policy_input_from_set(&in, &set);
		policy_evaluate(&in, &v);
		buf_putc(&res->text, '\n');
		policy_explain(&res->text, &v);
		policy_verdict_free(&v);
		failed_lookups(&res->text, &set);
	}
	if (!st && checked)
		st = check_gate(&set, err); /* the records are printed all the same */
	ses_identity_free(&first);
	buf_free(&json);
	dns_record_set_free(&set);
	dns_name_free(&name);
	return st;
}

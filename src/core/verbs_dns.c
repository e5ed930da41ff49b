/* dns DOMAIN: the records a domain identity needs, exported and optionally checked live. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/sync.h"
#include "sesctl/dns/check.h"
#include "sesctl/dns/export.h"
#include "sesctl/dns/name.h"
#include "sesctl/dns/records.h"
#include "sesctl/store/cache.h"
#include "verbs_impl.h"

/* Does an active receipt rule send this domain's mail through SES? */
static bool receives_mail(struct cache *c, const char *account, const char *region,
			  const char *domain)
{
	struct ses_rule_set *sets = NULL;
	size_t n = 0;
	bool found = false;

	if (cache_get_rule_sets(c, account, region, &sets, &n, NULL))
		return false;
	for (size_t s = 0; s < n && !found; s++) {
		if (!sets[s].active)
			continue;
		for (size_t r = 0; r < sets[s].n_rules && !found; r++) {
			const struct ses_rule *rule = &sets[s].rules[r];

			for (size_t i = 0; i < rule->n_recipients && !found; i++) {
				const char *rcpt = rule->recipients[i], *at = strrchr(rcpt, '@');

				found = rule->enabled && dns_name_within(at ? at + 1 : rcpt, domain);
			}
		}
	}
	ses_rule_sets_free(sets, n);
	return found;
}

static enum sc_status add_region(struct core *core, const char *region, const char *domain,
				 bool inbound, struct dns_record_set *set, bool *any,
				 struct sc_error *err)
{
	struct dns_gen_opts go = {0};
	struct ses_identity x = {0};
	const char *account;
	struct cache *c;
	enum sc_status st;

	st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st && !core->opt.offline) {
		struct sync_options o = {.kinds = 1u << SYNC_IDENTITIES | 1u << SYNC_RULE_SETS};
		struct sync_report rep;
		time_t fetched = 0;

		cache_kind_age(c, account, region, CACHE_KIND_IDENTITIES, &fetched, NULL, NULL);
		if (!fetched || time(NULL) - fetched >= core->view.refresh) {
			st = sync_region(core, region, &o, &rep, err);
			if (st == SC_PARTIAL)
				st = SC_OK;
		}
	}
	if (st)
		return st;
	if (cache_get_identity(c, account, region, domain, &x, NULL) != SC_OK)
		return SC_OK;
	go.inbound = inbound || receives_mail(c, account, region, domain);
	st = dns_records_for_identity(set, &x, account, region, &go, err);
	ses_identity_free(&x);
	*any = *any || st == SC_OK;
	return st;
}

static void dmarc_from_check(struct dns_record_set *set)
{
	struct dns_record *d = dns_record_set_dmarc(set);

	if (d && d->suggestion && d->published && !strncasecmp(d->published, "v=DMARC1", 8))
		dns_record_set_adopt_dmarc(set, d->published);
}

enum sc_status verb_dns(struct core *core, const struct verb_args *args, struct verb_result *res,
			struct sc_error *err)
{
	const char *fmt_name = verb_opt(args, "format");
	enum dns_format fmt = DNS_FMT_TABLE;
	struct dns_record_set set;
	struct dns_name name = {0};
	struct buf json = BUF_INIT;
	enum sc_status st;
	bool any = false;

	if (fmt_name && dns_format_parse(fmt_name, &fmt, err))
		return SC_USAGE;
	st = dns_name_normalize(args->argv[0], 0, &name, err);
	if (st)
		return st;
	if (!core->n_regions) {
		dns_name_free(&name);
		return core_region(core, &(const char *){NULL}, err);
	}
	dns_record_set_init(&set);
	for (size_t i = 0; i < core->n_regions && !st; i++)
		st = add_region(core, core->regions[i], name.alabel, verb_flag(args, "inbound"), &set,
				&any, err);
	if (!st && !any)
		st = sc_fail(err, SC_NOT_FOUND, "%s is not a domain identity in %s%s", name.ulabel,
			     core->n_regions > 1 ? "any of the regions" : core->regions[0],
			     core->opt.offline ? " (cached data)" : "");
	if (!st && (verb_flag(args, "check") || verb_flag(args, "authoritative"))) {
		struct dns_check_opts co = {.server = core->opt.dns_server,
					    .authoritative = verb_flag(args, "authoritative")};

		st = dns_check_run(&set, &co, err);
		if (!st)
			dmarc_from_check(&set);
	}
	if (!st) {
		dns_export_json(&json, &set);
		res->json = cJSON_Parse(buf_str(&json));
		dns_export(&res->text, &set, fmt);
		res->text_only = true;
	}
	buf_free(&json);
	dns_record_set_free(&set);
	dns_name_free(&name);
	return st;
}

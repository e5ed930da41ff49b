/* regions, snapshot and diff: the account across regions, and what changed. */
#include <cjson/cJSON.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/aws/endpoint.h"
#include "sesctl/core/sync.h"
#include "sesctl/core/tenants.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/identities.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/receipt.h"
#include "sesctl/store/tenants.h"
#include "verbs_impl.h"

static const char *const region_columns[] = {
    "region", "identities", "sending_enabled", "production_access", "status", NULL};

enum sc_status verb_regions(struct core *core, const struct verb_args *args,
                            struct verb_result *res, struct sc_error *err)
{
	const char *const *list = aws_ses_regions;
	size_t n = 0;
	cJSON *arr;

	(void)args;
	if (core->opt.n_regions)
		list = (const char *const *)core->regions;
	while (list == aws_ses_regions ? list[n] != NULL : n < core->n_regions)
		n++;
	arr = cJSON_CreateArray();
	res->json = arr;
	res->columns = region_columns;
	for (size_t i = 0; i < n; i++) {
		struct ses_identity *v = NULL;
		struct ses_account a = {0};
		struct core_ses ses;
		struct sc_error e;
		size_t count = 0;
		enum sc_status st;
		cJSON *o;

		sc_error_clear(&e);
		st = core_ses_ctx(core, list[i], &ses, &e);
		if (st == SC_AUTH || st == SC_CONFIG) { /* no credentials: the same everywhere */
			*err = e;
			return st;
		}
		if (!st)
			st = sesv2_get_account(&ses.ctx, &a, &e);
		if (!st)
			st = sesv2_list_email_identities(&ses.ctx, &v, &count, &e);
		o = cJSON_CreateObject();
		jm_str(o, "region", list[i]);
		cJSON_AddNumberToObject(o, "identities", (double)count);
		cJSON_AddBoolToObject(o, "sending_enabled", !st && a.sending_enabled);
		cJSON_AddBoolToObject(o, "production_access", !st && a.production_access);
		jm_str(o, "status", st ? sc_status_name(st) : "OK");
		if (st)
			jm_str(o, "message", e.message);
		if (st || count)
			cJSON_AddItemToArray(arr, o);
		else
			cJSON_Delete(o); /* only regions in use, or that could not be read */
		ses_identities_free(v, count);
		ses_account_free(&a);
	}
	return SC_OK;
}

/* ---- snapshot: the whole state of one region as one JSON document ---- */

/* Each tenant's switch, policy and resources ("identity:shop.example config-set:tx"):
 * what a diff should name when a customer was paused, moved or lost a resource. */
static void snapshot_tenants(struct cache *c, const char *account, const char *region,
                             cJSON *arr)
{
	struct cache_tenant *v = NULL;
	size_t n = 0;

	cache_get_tenants(c, account, region, &v, &n, NULL);
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();
		struct buf res = BUF_INIT;

		jm_str(x, "name", v[i].t.name);
		jm_str(x, "state", tenant_state_word(tenant_state_of(&v[i])));
		jm_str(x, "customer_status", v[i].rep.customer.status);
		jm_str(x, "aws_status", v[i].rep.aws.status);
		jm_str(x, "policy", ses_policy_word(v[i].rep.policy));
		for (size_t k = 0; k < v[i].n_res; k++) /* the cache keeps them sorted */
			buf_printf(&res, "%s%s:%s", k ? " " : "", tenant_resource_word(v[i].res[k].type),
			           tenant_resource_name(v[i].res[k].arn));
		jm_str(x, "resources", buf_str(&res));
		buf_free(&res);
		cJSON_AddItemToArray(arr, x);
	}
	cache_tenants_free(v, n);
}

static cJSON *snapshot_region(struct core *core, const char *region, struct sc_error *err,
                              enum sc_status *st)
{
	struct ses_identity *ids = NULL;
	struct ses_rule_set *sets = NULL;
	struct ses_config_set *cs = NULL;
	struct ses_receipt_filter *fs = NULL;
	struct ses_account a = {0};
	size_t n_ids = 0, n_sets = 0, n_cs = 0, n_fs = 0;
	const char *account;
	struct cache *c;
	time_t now = time(NULL);
	cJSON *o, *arr;

	*st = core_cache_account(core, region, &account, err);
	if (!*st)
		*st = core_cache(core, &c, err);
	if (!*st && !core->opt.offline) {
		struct sync_options so = {0};
		struct sync_report rep;

		/* what a snapshot holds; reading the taps would empty their queues */
		so.kinds = SYNC_ALL & ~(1u << SYNC_SEND_STATS | 1u << SYNC_METRICS | 1u << SYNC_FEEDBACK |
		                        1u << SYNC_EVENTS | 1u << SYNC_HISTORY);
		*st = sync_region(core, region, &so, &rep, err);
		if (*st == SC_PARTIAL)
			*st = SC_OK; /* what could be read is in the cache; the rest as cached */
	}
	if (*st)
		return NULL;
	o = cJSON_CreateObject();
	jm_str(o, "region", region);
	jm_str(o, "account", account);
	jm_time(o, "taken", now);
	if (cache_get_account(c, account, region, &a, NULL) == SC_OK)
		cJSON_AddItemToObject(o, "account_state", jm_account(&a));
	ses_account_free(&a);
	arr = cJSON_AddArrayToObject(o, "identities");
	cache_get_identities(c, account, region, &ids, &n_ids, NULL);
	for (size_t i = 0; i < n_ids; i++) {
		cJSON *x = jm_identity(&ids[i], region, now);

		cJSON_DeleteItemFromObject(x, "age"); /* changes by itself: not state */
		cJSON_DeleteItemFromObject(x, "fetched");
		cJSON_AddItemToArray(arr, x);
	}
	ses_identities_free(ids, n_ids);
	arr = cJSON_AddArrayToObject(o, "configuration_sets");
	cache_get_config_sets(c, account, region, &cs, &n_cs, NULL);
	for (size_t i = 0; i < n_cs; i++) {
		cJSON *x = cJSON_CreateObject();

		jm_str(x, "name", cs[i].name);
		cJSON_AddBoolToObject(x, "sending_enabled", cs[i].sending_enabled);
		cJSON_AddBoolToObject(x, "reputation_metrics", cs[i].reputation_metrics_enabled);
		cJSON_AddItemToArray(arr, x);
	}
	cache_config_sets_free(cs, n_cs);
	arr = cJSON_AddArrayToObject(o, "receipt_rule_sets");
	cache_get_rule_sets(c, account, region, &sets, &n_sets, NULL);
	for (size_t i = 0; i < n_sets; i++) {
		cJSON *x = cJSON_CreateObject(), *rules;

		jm_str(x, "name", sets[i].name);
		cJSON_AddBoolToObject(x, "active", sets[i].active);
		rules = cJSON_AddArrayToObject(x, "rules");
		for (size_t r = 0; r < sets[i].n_rules; r++)
			cJSON_AddItemToArray(rules, jm_rule(&sets[i].rules[r], r + 1));
		cJSON_AddItemToArray(arr, x);
	}
	ses_rule_sets_free(sets, n_sets);
	arr = cJSON_AddArrayToObject(o, "receipt_filters");
	cache_get_filters(c, account, region, &fs, &n_fs, NULL);
	for (size_t i = 0; i < n_fs; i++) {
		cJSON *x = cJSON_CreateObject();

		jm_str(x, "name", fs[i].name);
		jm_str(x, "policy", fs[i].policy);
		jm_str(x, "cidr", fs[i].cidr);
		cJSON_AddItemToArray(arr, x);
	}
	cache_filters_free(fs, n_fs);
	snapshot_tenants(c, account, region, cJSON_AddArrayToObject(o, "tenants"));
	return o;
}

static enum sc_status snapshot_all(struct core *core, cJSON **out, struct sc_error *err)
{
	cJSON *doc = cJSON_CreateObject(), *regions = cJSON_AddArrayToObject(doc, "regions");
	enum sc_status st = SC_OK;

	cJSON_AddStringToObject(doc, "sesctl_snapshot", "1");
	jm_str(doc, "profile", core->profile);
	if (!core->n_regions) {
		const char *r;

		cJSON_Delete(doc);
		return core_region(core, &r, err);
	}
	for (size_t i = 0; i < core->n_regions && !st; i++) {
		cJSON *r = snapshot_region(core, core->regions[i], err, &st);

		if (r)
			cJSON_AddItemToArray(regions, r);
	}
	if (st) {
		cJSON_Delete(doc);
		return st;
	}
	*out = doc;
	return SC_OK;
}

enum sc_status verb_snapshot(struct core *core, const struct verb_args *args,
                             struct verb_result *res, struct sc_error *err)
{
	enum sc_status st;
	char *text;

	(void)args;
	st = snapshot_all(core, &res->json, err);
	if (st)
		return st;
	text = cJSON_Print(res->json); /* a snapshot is JSON whatever the format */
	buf_printf(&res->text, "%s\n", text);
	free(text);
	res->text_only = true;
	return SC_OK;
}

/* ---- diff ---- */

static enum sc_status load_snapshot(const char *path, cJSON **out, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	char chunk[8192];
	size_t n;
	FILE *f = fopen(path, "r");

	if (!f)
		return sc_fail(err, SC_USAGE, "cannot read %s: %s", path, strerror(errno));
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	*out = cJSON_Parse(buf_str(&b));
	buf_free(&b);
	if (!*out || !cJSON_GetObjectItemCaseSensitive(*out, "sesctl_snapshot")) {
		cJSON_Delete(*out);
		*out = NULL; /* the caller frees what it got */
		return sc_fail(err, SC_USAGE, "%s is not a sesctl snapshot", path);
	}
	return SC_OK;
}

static cJSON *find_named(const cJSON *arr, const char *key, const char *name)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, arr)
	{
		const char *n = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, key));

		if (n && !strcmp(n, name))
			return (cJSON *)x;
	}
	return NULL;
}

static void note(cJSON *changes, struct buf *text, const char *op, const char *region,
                 const char *kind, const char *name, const char *detail)
{
	cJSON *c = cJSON_CreateObject();

	cJSON_AddStringToObject(c, "change", op);
	cJSON_AddStringToObject(c, "region", region);
	cJSON_AddStringToObject(c, "kind", kind);
	cJSON_AddStringToObject(c, "name", name);
	if (detail)
		cJSON_AddStringToObject(c, "detail", detail);
	cJSON_AddItemToArray(changes, c);
	buf_printf(text, "%s %s %s %s%s%s\n", op, region, kind, name, detail ? ": " : "",
	           detail ? detail : "");
}

/* Field by field for objects both sides have. */
static void diff_fields(cJSON *changes, struct buf *text, const char *region, const char *kind,
                        const char *name, const cJSON *a, const cJSON *b)
{
	const cJSON *fa;

	cJSON_ArrayForEach(fa, a)
	{
		const cJSON *fb = cJSON_GetObjectItemCaseSensitive(b, fa->string);
		char *sa, *sb, detail[512];

		if (fb && cJSON_Compare(fa, fb, true))
			continue;
		sa = cJSON_PrintUnformatted(fa);
		sb = fb ? cJSON_PrintUnformatted(fb) : NULL;
		snprintf(detail, sizeof(detail), "%s %.200s -> %.200s", fa->string, sa,
		         sb ? sb : "(absent)");
		note(changes, text, "~", region, kind, name, detail);
		free(sa);
		free(sb);
	}
}

static void diff_list(cJSON *changes, struct buf *text, const char *region, const char *kind,
                      const cJSON *a, const cJSON *b)
{
	const cJSON *x;

	cJSON_ArrayForEach(x, a)
	{
		const char *name =
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "name"));
		const cJSON *y = name ? find_named(b, "name", name) : NULL;

		if (!name)
			continue;
		if (!y)
			note(changes, text, "-", region, kind, name, NULL);
		else
			diff_fields(changes, text, region, kind, name, x, y);
	}
	cJSON_ArrayForEach(x, b)
	{
		const char *name =
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "name"));

		if (name && !find_named(a, "name", name))
			note(changes, text, "+", region, kind, name, NULL);
	}
}

static const char *const diff_kinds[] = {"identities", "configuration_sets", "receipt_rule_sets",
                                         "receipt_filters", "tenants", NULL};

enum sc_status verb_diff(struct core *core, const struct verb_args *args, struct verb_result *res,
                         struct sc_error *err)
{
	cJSON *a = NULL, *b = NULL, *changes, *ra_arr, *rb_arr;
	const cJSON *ra;
	enum sc_status st = load_snapshot(args->argv[0], &a, err);

	if (!st)
		st = args->argc > 1 ? load_snapshot(args->argv[1], &b, err)
		                    : snapshot_all(core, &b, err);
	if (st) {
		cJSON_Delete(a);
		return st;
	}
	changes = cJSON_CreateArray();
	ra_arr = cJSON_GetObjectItemCaseSensitive(a, "regions");
	rb_arr = cJSON_GetObjectItemCaseSensitive(b, "regions");
	cJSON_ArrayForEach(ra, ra_arr)
	{
		const char *region =
		    cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(ra, "region"));
		const cJSON *rb = region ? find_named(rb_arr, "region", region) : NULL;
		const cJSON *aa, *ab;

		if (!region || !rb)
			continue;
		aa = cJSON_GetObjectItemCaseSensitive(ra, "account_state");
		ab = cJSON_GetObjectItemCaseSensitive(rb, "account_state");
		if (aa && ab) {
			cJSON *ca = cJSON_Duplicate(aa, true), *cb = cJSON_Duplicate(ab, true);

			cJSON_DeleteItemFromObject(ca, "fetched");
			cJSON_DeleteItemFromObject(cb, "fetched");
			cJSON_DeleteItemFromObject(ca, "sent_last_24h");
			cJSON_DeleteItemFromObject(cb, "sent_last_24h");
			diff_fields(changes, &res->text, region, "account", "state", ca, cb);
			cJSON_Delete(ca);
			cJSON_Delete(cb);
		}
		for (int k = 0; diff_kinds[k]; k++)
			diff_list(changes, &res->text, region, diff_kinds[k],
			          cJSON_GetObjectItemCaseSensitive(ra, diff_kinds[k]),
			          cJSON_GetObjectItemCaseSensitive(rb, diff_kinds[k]));
	}
	if (!cJSON_GetArraySize(changes))
		buf_puts(&res->text, "no differences\n");
	cJSON_Delete(a);
	cJSON_Delete(b);
	res->json = changes;
	res->text_only = true;
	return SC_OK;
}

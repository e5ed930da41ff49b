/* Tenants: the list, one tenant in full, create/delete, resources attached and detached,
 * the customer's switch (pause, resume, reinstate), the reputation policy, and the VDM
 * recommendations. Changes read the tenant back from SES and cache it; verb_run() audits
 * them with their exact command. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/core/history.h"
#include "sesctl/core/tenants.h"
#include "sesctl/ses/history.h"
#include "sesctl/ses/tenants.h"
#include "sesctl/store/tenants.h"
#include "sesctl/util/buf.h"
#include "verbs_impl.h"

static const char *const list_columns[] = {"name",       "state",       "cause",
					   "impact",     "policy",      "identities",
					   "config_sets", "templates",  "findings", NULL};
static const char *const rec_columns[] = {"resource", "type", "impact", "status", "description",
					  NULL};

/* ---- JSON ---- */

static void status_json(cJSON *o, const char *key, const struct ses_status_record *r)
{
	cJSON *x;

	if (!r->status) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	x = cJSON_AddObjectToObject(o, key);
	jm_str(x, "status", r->status);
	jm_str(x, "cause", r->cause);
	jm_time(x, "updated", r->updated);
}

/* "standard" for an AWS-owned policy ARN, the ARN itself for anything else. */
static const char *policy_text(const char *arn)
{
	return ses_policy_word(arn) ? ses_policy_word(arn) : arn;
}

static cJSON *tenant_json(const struct cache_tenant *t, bool full)
{
	enum tenant_state s = tenant_state_of(t);
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "name", t->t.name);
	jm_str(o, "state", tenant_state_word(s));
	jm_str(o, "cause", tenant_state_cause(t));
	jm_str(o, "sending_status", t->rep.aggregate ? t->rep.aggregate : t->t.sending_status);
	jm_str(o, "impact", t->rep.impact);
	jm_str(o, "policy", policy_text(t->rep.policy));
	cJSON_AddNumberToObject(o, "identities", (double)tenant_resource_count(t, "EMAIL_IDENTITY"));
	cJSON_AddNumberToObject(o, "config_sets", (double)tenant_resource_count(t, "CONFIGURATION_SET"));
	cJSON_AddNumberToObject(o, "templates", (double)tenant_resource_count(t, "EMAIL_TEMPLATE"));
	cJSON_AddNumberToObject(o, "findings", (double)t->open_findings);
	cJSON_AddBoolToObject(o, "high_finding", t->high_finding);
	jm_str(o, "id", t->t.id);
	jm_str(o, "arn", t->t.arn);
	jm_time(o, "created", t->t.created);
	jm_time(o, "fetched", t->fetched);
	if (!full)
		return o;
	status_json(o, "customer_managed", &t->rep.customer);
	status_json(o, "aws_managed", &t->rep.aws);
	jm_str(o, "policy_arn", t->rep.policy);
	cJSON *res = cJSON_AddArrayToObject(o, "resources");
	for (size_t i = 0; i < t->n_res; i++) {
		cJSON *r = cJSON_CreateObject();

		jm_str(r, "type", tenant_resource_word(t->res[i].type));
		jm_str(r, "name", tenant_resource_name(t->res[i].arn));
		jm_str(r, "arn", t->res[i].arn);
		cJSON_AddItemToArray(res, r);
	}
	if (t->t.n_tags) {
		cJSON *tags = cJSON_AddObjectToObject(o, "tags");

		for (size_t i = 0; i < t->t.n_tags; i++)
			cJSON_AddStringToObject(tags, t->t.tags[i].key ? t->t.tags[i].key : "",
						t->t.tags[i].value ? t->t.tags[i].value : "");
	}
	return o;
}

static cJSON *rec_json(const struct ses_recommendation *r)
{
	cJSON *o = cJSON_CreateObject();
	char tenant[128];
	bool kind = tenant_name_of_arn(r->resource_arn, tenant, sizeof(tenant));

	/* a tenant ARN ends in the tenant's id: the finding names the tenant */
	jm_str(o, "resource", kind ? tenant : tenant_resource_name(r->resource_arn));
	jm_str(o, "resource_type", kind ? "tenant"
				   : r->resource_arn && strstr(r->resource_arn, ":identity/")
					 ? "identity" : "other");
	jm_str(o, "type", r->type);
	jm_str(o, "impact", r->impact);
	jm_str(o, "status", r->status);
	jm_str(o, "description", r->description);
	jm_str(o, "resource_arn", r->resource_arn);
	jm_time(o, "created", r->created);
	jm_time(o, "updated", r->updated);
	return o;
}

/* o["tenants"]: the tenants the identity or configuration set belongs to (kind
 * "identity/" or "configuration-set/"), from the cache; left out when none. */
void verb_add_tenants(const struct verb_where *w, cJSON *o, const char *kind, const char *name)
{
	char prefix[160], **v = NULL;
	struct buf arn = BUF_INIT;
	size_t n = 0;

	if (!o || !name)
		return;
	tenant_arn_prefix(prefix, sizeof(prefix), w->account, w->region);
	buf_printf(&arn, "%s:%s%s", prefix, kind, name);
	if (cache_resource_tenants(w->cache, w->account, w->region, buf_str(&arn), &v, &n, NULL) ==
		    SC_OK && n) {
		cJSON *arr = cJSON_AddArrayToObject(o, "tenants");

		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
	}
	cache_names_free(v, n);
	buf_free(&arn);
}

/* ---- reading ---- */

/* Read the tenants again when stale; what could not be read (no permission, VDM off) is a
 * warning, and the cached rows still answer. */
static enum sc_status ensure_tenants(struct core *core, const struct verb_where *w, bool force,
				     struct verb_result *res, struct sc_error *err)
{
	char *last_error = NULL;
	time_t fetched = 0;
	enum sc_status st = verb_ensure_kind(core, w, SYNC_TENANTS, force, err);

	if (st)
		return st;
	for (int k = CACHE_KIND_TENANTS; k <= CACHE_KIND_RECOMMENDATIONS; k++) {
		cache_kind_age(w->cache, w->account, w->region, (enum cache_kind)k, &fetched,
			       &last_error, NULL);
		if (last_error)
			verb_result_warn(res, "%s", last_error);
		free(last_error);
		last_error = NULL;
	}
	return SC_OK;
}

static bool state_wanted(const struct cache_tenant *t, const char *status)
{
	enum tenant_state s = tenant_state_of(t);

	if (!status)
		return true;
	if (!strcasecmp(status, "enabled"))
		return s == TENANT_SENDING;
	if (!strcasecmp(status, "disabled"))
		return s == TENANT_PAUSED || s == TENANT_AWS_PAUSED;
	return s == TENANT_REINSTATED;
}

static enum sc_status one_of(const char *opt, const char *v, const char *const *words,
			     struct sc_error *err)
{
	struct buf b = BUF_INIT;

	if (!v)
		return SC_OK;
	for (size_t i = 0; words[i]; i++)
		if (!strcasecmp(v, words[i]))
			return SC_OK;
	for (size_t i = 0; words[i]; i++)
		buf_printf(&b, "%s%s", i ? (words[i + 1] ? ", " : " or ") : "", words[i]);
	sc_fail(err, SC_USAGE, "--%s must be %s, not '%s'", opt, buf_str(&b), v);
	buf_free(&b);
	return SC_USAGE;
}

enum sc_status verb_tenants(struct core *core, const struct verb_args *args,
			    struct verb_result *res, struct sc_error *err)
{
	static const char *const statuses[] = {"enabled", "disabled", "reinstated", NULL};
	static const char *const impacts[] = {"high", "low", NULL};
	const char *status = verb_opt(args, "status"), *impact = verb_opt(args, "impact");
	struct cache_tenant *v = NULL;
	struct verb_where w;
	size_t n = 0;
	enum sc_status st;
	cJSON *arr;

	if (one_of("status", status, statuses, err) || one_of("impact", impact, impacts, err))
		return SC_USAGE;
	st = verb_where_open(core, &w, err);
	if (!st)
		st = ensure_tenants(core, &w, verb_flag(args, "refresh"), res, err);
	if (!st)
		st = cache_get_tenants(w.cache, w.account, w.region, &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		if (!state_wanted(&v[i], status))
			continue;
		if (impact && !(v[i].rep.impact && !strcasecmp(v[i].rep.impact, impact)))
			continue;
		cJSON_AddItemToArray(arr, tenant_json(&v[i], false));
	}
	if (!n)
		verb_result_warn(res, "no tenants in %s: a tenant groups one customer's identities, "
				 "configuration sets and templates so SES can pause that customer "
				 "alone (sesctl tenant create NAME)", w.region);
	cache_tenants_free(v, n);
	res->json = arr;
	res->columns = list_columns;
	return SC_OK;
}

static void add_findings(const struct verb_where *w, cJSON *o, const char *arn)
{
	struct cache_rec_query q = {.resource_arn = arn};
	struct ses_recommendation *v = NULL;
	size_t n = 0;
	cJSON *arr = cJSON_AddArrayToObject(o, "findings_list");

	if (!arn || cache_get_recommendations(w->cache, w->account, w->region, &q, &v, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, rec_json(&v[i]));
	ses_recommendations_free(v, n);
}

static void add_changes(const struct verb_where *w, cJSON *o, const char *name)
{
	struct cache_tenant_change *v = NULL;
	size_t n = 0;
	cJSON *arr = cJSON_AddArrayToObject(o, "status_changes");

	if (cache_get_tenant_changes(w->cache, w->account, w->region, name, 50, &v, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();

		jm_time(x, "at", v[i].time);
		jm_str(x, "record", v[i].which);
		jm_str(x, "status", v[i].status);
		jm_str(x, "cause", v[i].cause);
		cJSON_AddItemToArray(arr, x);
	}
	cache_tenant_changes_free(v, n);
}

/* The text form of `tenant show`: the head, the two records, resources, findings. */
static void show_text(struct buf *b, const struct cache_tenant *t, const cJSON *o)
{
	const cJSON *x;

	buf_printf(b, "tenant      %s\n", t->t.name);
	buf_printf(b, "state       %s", tenant_state_word(tenant_state_of(t)));
	if (tenant_state_cause(t))
		buf_printf(b, " — %s", tenant_state_cause(t));
	buf_printf(b, "\ncustomer    %s%s%s\n", t->rep.customer.status ? t->rep.customer.status : "-",
		   t->rep.customer.cause ? " — " : "",
		   t->rep.customer.cause ? t->rep.customer.cause : "");
	buf_printf(b, "AWS         %s%s%s\n", t->rep.aws.status ? t->rep.aws.status : "-",
		   t->rep.aws.cause ? " — " : "", t->rep.aws.cause ? t->rep.aws.cause : "");
	buf_printf(b, "impact      %s\n", t->rep.impact ? t->rep.impact : "none");
	buf_printf(b, "policy      %s\n", t->rep.policy ? policy_text(t->rep.policy) : "-");
	buf_printf(b, "arn         %s\n", t->t.arn ? t->t.arn : "-");
	buf_printf(b, "resources   %zu\n", t->n_res);
	for (size_t i = 0; i < t->n_res; i++)
		buf_printf(b, "  %-11s %s\n", tenant_resource_word(t->res[i].type),
			   tenant_resource_name(t->res[i].arn));
	x = cJSON_GetObjectItemCaseSensitive(o, "findings_list");
	buf_printf(b, "findings    %d\n", cJSON_GetArraySize(x));
	for (const cJSON *f = x ? x->child : NULL; f; f = f->next)
		buf_printf(b, "  %-6s %-11s %-5s %s\n",
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "status")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "type")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "impact")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "description")));
	x = cJSON_GetObjectItemCaseSensitive(o, "status_changes");
	if (cJSON_GetArraySize(x))
		buf_printf(b, "changes\n");
	for (const cJSON *f = x ? x->child : NULL; f; f = f->next) {
		const char *cause = cJSON_GetStringValue(cJSON_GetObjectItem(f, "cause"));

		buf_printf(b, "  %s  %-8s %-10s%s%s\n",
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "at")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "record")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(f, "status")),
			   cause ? " " : "", cause ? cause : "");
	}
	x = cJSON_GetObjectItemCaseSensitive(o, "last_change");
	if (cJSON_IsObject(x))
		buf_printf(b, "last change %s %s\n", cJSON_GetStringValue(cJSON_GetObjectItem(x, "time")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "by")));
	x = cJSON_GetObjectItemCaseSensitive(o, "paused_by");
	if (cJSON_IsObject(x)) {
		const char *why = cJSON_GetStringValue(cJSON_GetObjectItem(x, "reason"));

		buf_printf(b, "paused by   %s at %s%s%s\n",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "by")),
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "time")), why ? " — " : "",
			   why ? why : "");
	}
}

enum sc_status verb_tenant_show(struct core *core, const struct verb_args *args,
				struct verb_result *res, struct sc_error *err)
{
	struct cache_tenant t = {0};
	struct verb_where w;
	enum sc_status st = verb_where_open(core, &w, err);
	enum tenant_state s;
	cJSON *o;

	if (!st)
		st = ensure_tenants(core, &w, verb_flag(args, "refresh"), res, err);
	if (!st)
		st = cache_get_tenant(w.cache, w.account, w.region, args->argv[0], &t, err);
	if (st == SC_NOT_FOUND)
		return sc_fail(err, SC_NOT_FOUND, "no tenant named %s in %s (sesctl tenants lists "
			       "them)", args->argv[0], w.region);
	if (st)
		return st;
	o = tenant_json(&t, true);
	add_findings(&w, o, t.t.arn);
	add_changes(&w, o, t.t.name);
	s = tenant_state_of(&t);
	verb_add_last_change(core, &w, o, CT_RES_TENANT, t.t.name,
			     s == TENANT_PAUSED || s == TENANT_AWS_PAUSED);
	show_text(&res->text, &t, o);
	res->text_only = true;
	cache_tenant_free(&t);
	res->json = o;
	return SC_OK;
}

enum sc_status verb_recommendations(struct core *core, const struct verb_args *args,
				    struct verb_result *res, struct sc_error *err)
{
	static const char *const statuses[] = {"open", "fixed", NULL};
	static const char *const impacts[] = {"high", "low", NULL};
	static const char *const types[] = {"DKIM", "DMARC", "SPF", "BIMI", "COMPLAINT",
					    "BOUNCE", "FEEDBACK_3P", "IP_LISTING", NULL};
	struct cache_rec_query q = {.status = verb_opt(args, "status"),
				    .impact = verb_opt(args, "impact"),
				    .type = verb_opt(args, "type")};
	const char *tenant = verb_opt(args, "tenant");
	struct ses_recommendation *v = NULL;
	struct cache_tenant t = {0};
	struct verb_where w;
	size_t n = 0;
	enum sc_status st;
	cJSON *arr;

	if (one_of("status", q.status, statuses, err) || one_of("impact", q.impact, impacts, err) ||
	    one_of("type", q.type, types, err))
		return SC_USAGE;
	st = verb_where_open(core, &w, err);
	if (!st)
		st = ensure_tenants(core, &w, verb_flag(args, "refresh"), res, err);
	if (!st && tenant) {
		st = cache_get_tenant(w.cache, w.account, w.region, tenant, &t, err);
		if (st == SC_NOT_FOUND)
			st = sc_fail(err, SC_NOT_FOUND, "no tenant named %s in %s", tenant, w.region);
		q.resource_arn = t.t.arn;
		if (!st && !t.t.arn)
			st = sc_fail(err, SC_NOT_FOUND, "tenant %s has no ARN in the cache: refresh "
				     "(--refresh)", tenant);
	}
	if (!st)
		st = cache_get_recommendations(w.cache, w.account, w.region, &q, &v, &n, err);
	cache_tenant_free(&t);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(arr, rec_json(&v[i]));
	ses_recommendations_free(v, n);
	res->json = arr;
	res->columns = rec_columns;
	return SC_OK;
}

/* ---- changes ---- */

static void cache_behind(struct verb_result *res, const struct sc_error *cerr)
{
	buf_printf(&res->warning,
		   "the change was made in SES, but the tenant could not be read back into the "
		   "cache (%s): refresh to see it\n", cerr->message);
}

/* Read the tenant back after a change and hand its JSON to the result. */
static enum sc_status read_back(struct verb_target *t, const char *name,
				struct verb_result *res, struct cache_tenant *out)
{
	struct cache_tenant x = {0};
	struct sc_error cerr;

	sc_error_clear(&cerr);
	if (tenant_read_one(&t->ses.ctx, t->cache, t->account, t->region, name, &x, &cerr)) {
		cache_behind(res, &cerr);
		res->json = cJSON_CreateObject();
		jm_str(res->json, "name", name);
		return SC_OK;
	}
	res->json = tenant_json(&x, true);
	if (out)
		*out = x;
	else
		cache_tenant_free(&x);
	return SC_OK;
}

static enum sc_status valid_tenant_name(const char *name, struct sc_error *err)
{
	size_t n = strlen(name);

	if (!n || n > 64 || strspn(name, "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz"
					  "0123456789_-") != n)
		return sc_fail(err, SC_USAGE, "a tenant name is 1 to 64 letters, digits, '_' or "
			       "'-'");
	return SC_OK;
}

enum sc_status verb_tenant_create(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct ses_tenant t = {0};
	struct verb_target tg;
	enum sc_status st = valid_tenant_name(name, err);

	if (!st)
		st = verb_target_open(core, &tg, err);
	if (!st)
		st = sesv2_create_tenant(&tg.ses.ctx, name, &t, err);
	ses_tenant_free(&t);
	if (st == SC_CONFLICT)
		return sc_fail(err, SC_CONFLICT, "tenant %s already exists in %s", name, tg.region);
	if (st)
		return st;
	return read_back(&tg, name, res, NULL);
}

/* The tenant as SES has it now (NEEDS_FRESH): a clear sentence when it is gone. */
static enum sc_status fresh_tenant(struct verb_target *t, const char *name,
				   struct cache_tenant *out, struct sc_error *err)
{
	enum sc_status st = tenant_read_one(&t->ses.ctx, t->cache, t->account, t->region, name,
					    out, err);

	if (st == SC_NOT_FOUND)
		return sc_fail(err, SC_NOT_FOUND, "no tenant named %s in %s", name, t->region);
	return st;
}

enum sc_status verb_tenant_delete(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct cache_tenant x = {0};
	struct verb_target t;
	enum sc_status st = verb_target_open(core, &t, err);
	struct sc_error cerr;

	if (!st)
		st = fresh_tenant(&t, name, &x, err);
	if (!st)
		st = sesv2_delete_tenant(&t.ses.ctx, x.t.name, err);
	if (st) {
		cache_tenant_free(&x);
		return st;
	}
	sc_error_clear(&cerr);
	if (cache_delete_tenant(t.cache, t.account, t.region, x.t.name, &cerr))
		cache_behind(res, &cerr);
	res->json = cJSON_CreateObject();
	jm_str(res->json, "deleted", x.t.name);
	cJSON_AddNumberToObject(res->json, "resources_released", (double)x.n_res);
	jm_str(res->json, "region", t.region);
	cache_tenant_free(&x);
	return SC_OK;
}

static enum sc_status attach(struct core *core, const struct verb_args *args,
			     struct verb_result *res, bool on, struct sc_error *err)
{
	const char *name = args->argv[0], *type = NULL;
	struct verb_target t;
	char *arn = NULL;
	enum sc_status st = verb_target_open(core, &t, err);

	if (!st)
		st = tenant_resource_arn(t.cache, t.account, t.region, args->argv[1], &arn, &type,
					 err);
	if (!st && on)
		st = sesv2_create_tenant_resource_association(&t.ses.ctx, name, arn, err);
	else if (!st)
		st = sesv2_delete_tenant_resource_association(&t.ses.ctx, name, arn, err);
	if (st == SC_CONFLICT && on)
		st = sc_fail(err, SC_CONFLICT, "%s %s already belongs to tenant %s",
			     tenant_resource_word(type), tenant_resource_name(arn), name);
	else if (st == SC_NOT_FOUND) {
		char said[SC_ERR_MSG_MAX]; /* SES's words, copied: err is rewritten below */

		str_copy(said, sizeof(said), err->message);
		st = sc_fail(err, SC_NOT_FOUND, "%s: %.300s (is %s a %s of this account in %s, and "
			     "tenant %s there%s?)", on ? "attach" : "detach", said,
			     tenant_resource_name(arn), tenant_resource_word(type), t.region, name,
			     on ? "" : ", with it attached");
	}
	if (!st) {
		read_back(&t, name, res, NULL);
		jm_str(res->json, on ? "attached" : "detached", arn);
		jm_str(res->json, "resource_type", tenant_resource_word(type));
	}
	free(arn);
	return st;
}

enum sc_status verb_tenant_attach(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	return attach(core, args, res, true, err);
}

enum sc_status verb_tenant_detach(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	return attach(core, args, res, false, err);
}

/* The customer's switch. An AWS-managed DISABLED wins over any customer status: resuming or
 * reinstating then would change a record and send nothing, so it is refused in words. */
static enum sc_status set_status(struct core *core, const struct verb_args *args,
				 struct verb_result *res, const char *status,
				 struct sc_error *err)
{
	const char *name = args->argv[0], *reason = verb_opt(args, "reason");
	struct cache_tenant x = {0}, after = {0};
	bool lifting = strcmp(status, "DISABLED") != 0;
	struct verb_target t;
	enum sc_status st;

	if (!reason || !*reason)
		return sc_fail(err, SC_USAGE, "--reason is required (it goes into the audit trail "
			       "and CloudTrail)");
	res->audit_reason = xstrdup(reason);
	st = verb_target_open(core, &t, err);
	if (!st)
		st = fresh_tenant(&t, name, &x, err);
	if (!st && !x.t.arn)
		st = sc_fail(err, SC_BAD_REPLY, "SES gave tenant %s no ARN", name);
	if (!st && lifting && tenant_state_of(&x) == TENANT_AWS_PAUSED)
		st = sc_fail(err, SC_REFUSED,
			     "refused: tenant %s is paused by AWS (%s); an AWS-managed pause cannot "
			     "be lifted from here, not even by reinstating: resolve its findings "
			     "(sesctl recommendations --tenant %s) or ask AWS support",
			     name, x.rep.aws.cause ? x.rep.aws.cause : "no cause given", name);
	if (!st && !lifting && tenant_state_of(&x) == TENANT_AWS_PAUSED)
		verb_result_warn(res, "tenant %s is already paused by AWS; your pause keeps it "
				 "paused after AWS lifts theirs", name);
	if (!st)
		st = sesv2_update_reputation_entity_customer_managed_status(&t.ses.ctx, "RESOURCE",
									   x.t.arn, status, err);
	if (!st) {
		read_back(&t, x.t.name, res, &after);
		if (after.rep.customer.status && strcasecmp(after.rep.customer.status, status))
			st = sc_fail(err, SC_ERR, "tenant %s still reads %s after the change",
				     name, after.rep.customer.status);
	}
	if (!st) {
		jm_str(res->json, "reason", reason);
		jm_time(res->json, "at", time(NULL));
		jm_str(res->json, "region", t.region);
		jm_str(res->json, "account", t.account);
	}
	cache_tenant_free(&x);
	cache_tenant_free(&after);
	return st;
}

enum sc_status verb_tenant_pause(struct core *core, const struct verb_args *args,
				 struct verb_result *res, struct sc_error *err)
{
	return set_status(core, args, res, "DISABLED", err);
}

enum sc_status verb_tenant_resume(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	return set_status(core, args, res, "ENABLED", err);
}

enum sc_status verb_tenant_reinstate(struct core *core, const struct verb_args *args,
				     struct verb_result *res, struct sc_error *err)
{
	return set_status(core, args, res, "REINSTATED", err);
}

enum sc_status verb_tenant_policy(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	static const char *const words[] = {"none", "standard", "strict", NULL};
	const char *name = args->argv[0], *word = args->argv[1];
	struct cache_tenant x = {0};
	struct verb_target t;
	char arn[256];
	enum sc_status st = SC_OK;

	for (size_t i = 0; words[i] && strcmp(words[i], word); i++)
		if (!words[i + 1])
			st = sc_fail(err, SC_USAGE, "the policy is none, standard or strict, not '%s'",
				     word);
	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st)
		st = fresh_tenant(&t, name, &x, err);
	if (!st && !x.t.arn)
		st = sc_fail(err, SC_BAD_REPLY, "SES gave tenant %s no ARN", name);
	if (!st) {
		ses_policy_arn(arn, sizeof(arn), x.t.arn, t.region, word);
		st = sesv2_update_reputation_entity_policy(&t.ses.ctx, "RESOURCE", x.t.arn, arn, err);
	}
	if (!st)
		read_back(&t, x.t.name, res, NULL);
	cache_tenant_free(&x);
	return st;
}

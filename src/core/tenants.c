/* Tenants: read into the cache, resources named, states put in words. */
#include "sesctl/core/tenants.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sesctl/ses/tenants.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/identities.h"
#include "sesctl/util/buf.h"

#define TENANTS_MAX_PAGES 10000

/* ---- words ---- */

static bool is(const char *s, const char *word)
{
	return s && !strcasecmp(s, word);
}

enum tenant_state tenant_state_of(const struct cache_tenant *t)
{
	if (is(t->rep.aws.status, "DISABLED"))
		return TENANT_AWS_PAUSED;
	if (is(t->rep.customer.status, "DISABLED"))
		return TENANT_PAUSED;
	if (is(t->rep.customer.status, "REINSTATED"))
		return TENANT_REINSTATED;
	if (is(t->rep.aggregate, "DISABLED") || (!t->rep.aggregate &&
						 is(t->t.sending_status, "DISABLED")))
		return TENANT_PAUSED;
	return TENANT_SENDING;
}

const char *tenant_state_word(enum tenant_state s)
{
	switch (s) {
	case TENANT_REINSTATED:
		return "reinstated";
	case TENANT_PAUSED:
		return "paused";
	case TENANT_AWS_PAUSED:
		return "paused by AWS";
	case TENANT_SENDING:
		break;
	}
	return "sending";
}

const char *tenant_state_cause(const struct cache_tenant *t)
{
	switch (tenant_state_of(t)) {
	case TENANT_AWS_PAUSED:
		return t->rep.aws.cause;
	case TENANT_PAUSED:
	case TENANT_REINSTATED:
		return t->rep.customer.cause;
	case TENANT_SENDING:
		break;
	}
	return NULL;
}

const char *tenant_resource_word(const char *type)
{
	if (is(type, "EMAIL_IDENTITY"))
		return "identity";
	if (is(type, "CONFIGURATION_SET"))
		return "config-set";
	if (is(type, "EMAIL_TEMPLATE"))
		return "template";
	return type ? type : "?";
}

size_t tenant_resource_count(const struct cache_tenant *t, const char *type)
{
	size_t n = 0;

	for (size_t i = 0; i < t->n_res; i++)
		n += t->res[i].type && !strcmp(t->res[i].type, type);
	return n;
}

bool tenant_name_of_arn(const char *arn, char *out, size_t size)
{
	const char *p = arn ? strstr(arn, ":tenant/") : NULL;
	size_t n;

	if (!p || !size)
		return false;
	p += strlen(":tenant/");
	n = strcspn(p, "/");
	if (n >= size)
		n = size - 1;
	memcpy(out, p, n);
	out[n] = '\0';
	return true;
}

const char *tenant_resource_name(const char *arn)
{
	const char *slash = arn ? strrchr(arn, '/') : NULL;

	return slash && slash[1] ? slash + 1 : (arn ? arn : "");
}

/* ---- resources ---- */

void tenant_arn_prefix(char *out, size_t size, const char *account, const char *region)
{
	const char *part = "aws";

	if (!strncmp(region, "cn-", 3))
		part = "aws-cn";
	else if (!strncmp(region, "us-gov-", 7))
		part = "aws-us-gov";
	snprintf(out, size, "arn:%s:ses:%s:%s", part, region, account);
}

static const struct {
	const char *prefix;               /* "identity:" as typed */
	const char *arn_kind;             /* ":identity/" in an ARN */
	const char *type;
} res_kinds[] = {
    {"identity:", "identity/", "EMAIL_IDENTITY"},
    {"config-set:", "configuration-set/", "CONFIGURATION_SET"},
    {"template:", "template/", "EMAIL_TEMPLATE"},
};

static enum sc_status arn_for(const char *account, const char *region, size_t kind,
			      const char *name, char **arn, const char **type,
			      struct sc_error *err)
{
	char prefix[160];
	struct buf b = BUF_INIT;

	if (!*name)
		return sc_fail(err, SC_USAGE, "a %s name is missing", res_kinds[kind].prefix);
	tenant_arn_prefix(prefix, sizeof(prefix), account, region);
	buf_printf(&b, "%s:%s%s", prefix, res_kinds[kind].arn_kind, name);
	*arn = buf_steal(&b);
	*type = res_kinds[kind].type;
	return SC_OK;
}

static bool cached_set(struct cache *c, const char *account, const char *region,
		       const char *name)
{
	struct ses_config_set *v = NULL;
	size_t n = 0;
	bool found = false;

	if (cache_get_config_sets(c, account, region, &v, &n, NULL) != SC_OK)
		return false;
	for (size_t i = 0; i < n && !found; i++)
		found = v[i].name && !strcmp(v[i].name, name);
	cache_config_sets_free(v, n);
	return found;
}

static bool cached_identity(struct cache *c, const char *account, const char *region,
			    const char *name)
{
	struct ses_identity id = {0};
	bool found = cache_get_identity(c, account, region, name, &id, NULL) == SC_OK;

	ses_identity_free(&id);
	return found;
}

enum sc_status tenant_resource_arn(struct cache *c, const char *account, const char *region,
				   const char *text, char **arn, const char **type,
				   struct sc_error *err)
{
	bool ident, set;

	*arn = NULL;
	*type = NULL;
	if (!text || !*text)
		return sc_fail(err, SC_USAGE, "which resource? give an identity, configuration "
			       "set or template name, or an ARN");
	if (!strncmp(text, "arn:", 4)) {
		for (size_t k = 0; k < sizeof(res_kinds) / sizeof(res_kinds[0]); k++) {
			char needle[32];

			snprintf(needle, sizeof(needle), ":%s", res_kinds[k].arn_kind);
			if (strstr(text, needle)) {
				*arn = xstrdup(text);
				*type = res_kinds[k].type;
				return SC_OK;
			}
		}
		return sc_fail(err, SC_USAGE, "%s is not the ARN of an identity, configuration set "
			       "or template (only those can belong to a tenant)", text);
	}
	for (size_t k = 0; k < sizeof(res_kinds) / sizeof(res_kinds[0]); k++)
		if (!strncmp(text, res_kinds[k].prefix, strlen(res_kinds[k].prefix)))
			return arn_for(account, region, k, text + strlen(res_kinds[k].prefix), arn,
				       type, err);
	ident = c && cached_identity(c, account, region, text);
	set = c && cached_set(c, account, region, text);
	if (ident && set)
		return sc_fail(err, SC_USAGE, "%s is both an identity and a configuration set: write "
			       "identity:%s or config-set:%s", text, text, text);
	if (set)
		return arn_for(account, region, 1, text, arn, type, err);
	if (ident || strpbrk(text, "@."))
		return arn_for(account, region, 0, text, arn, type, err);
	return arn_for(account, region, 2, text, arn, type, err);
}

/* ---- reading ---- */

static struct ses_reputation_entity *entity_for(struct ses_reputation_entity *v, size_t n,
						const char *arn)
{
	for (size_t i = 0; arn && i < n; i++)
		if (v[i].reference && !strcmp(v[i].reference, arn))
			return &v[i];
	return NULL;
}

static enum sc_status read_resources(const struct ses_ctx *ctx, struct cache_tenant *t,
				     size_t *calls, struct sc_error *err)
{
	char *tok = NULL;
	enum sc_status st;
	size_t pages = 0;

	do {
		char *in = tok;

		tok = NULL;
		st = sesv2_list_tenant_resources(ctx, t->t.name, in, &t->res, &t->n_res, &tok, err);
		free(in);
		(*calls)++;
	} while (!st && tok && ++pages < TENANTS_MAX_PAGES);
	free(tok);
	return st;
}

static enum sc_status list_all_tenants(const struct ses_ctx *ctx, struct ses_tenant **v,
				       size_t *n, size_t *calls, struct sc_error *err)
{
	char *tok = NULL;
	enum sc_status st;
	size_t pages = 0;

	do {
		char *in = tok;

		tok = NULL;
		st = sesv2_list_tenants(ctx, in, v, n, &tok, err);
		free(in);
		(*calls)++;
	} while (!st && tok && ++pages < TENANTS_MAX_PAGES);
	free(tok);
	return st;
}

static enum sc_status list_all_entities(const struct ses_ctx *ctx,
					struct ses_reputation_entity **v, size_t *n,
					size_t *calls, struct sc_error *err)
{
	char *tok = NULL;
	enum sc_status st;
	size_t pages = 0;

	do {
		char *in = tok;

		tok = NULL;
		st = sesv2_list_reputation_entities(ctx, "ENTITY_TYPE", "RESOURCE", in, v, n, &tok,
						    err);
		free(in);
		(*calls)++;
	} while (!st && tok && ++pages < TENANTS_MAX_PAGES);
	free(tok);
	return st;
}

static enum sc_status list_all_recs(const struct ses_ctx *ctx, struct ses_recommendation **v,
				    size_t *n, size_t *calls, struct sc_error *err)
{
	struct sesv2_recommendation_filter f = {.page_size = 100};
	char *tok = NULL;
	enum sc_status st;
	size_t pages = 0;

	do {
		char *in = tok;

		tok = NULL;
		f.next_token = in;
		st = sesv2_list_recommendations(ctx, &f, v, n, &tok, err);
		free(in);
		(*calls)++;
	} while (!st && tok && ++pages < TENANTS_MAX_PAGES);
	free(tok);
	return st;
}

/* Move what a listing says about one tenant into its cache row (the entity is moved, the
 * listing's copy zeroed). */
static enum sc_status fill_tenant(const struct ses_ctx *ctx, struct cache_tenant *x,
				  struct ses_tenant *t, struct ses_reputation_entity *e,
				  time_t now, size_t *calls, struct sc_error *err)
{
	enum sc_status st = SC_OK;

	x->t = *t;
	memset(t, 0, sizeof(*t));
	x->fetched = now;
	if (e) {
		x->rep = *e;
		memset(e, 0, sizeof(*e));
	} else if (x->t.arn) {
		st = sesv2_get_reputation_entity(ctx, "RESOURCE", x->t.arn, &x->rep, err);
		(*calls)++;
		if (st == SC_NOT_FOUND) { /* no entity yet: the tenant row still counts */
			sc_error_clear(err);
			st = SC_OK;
		}
	}
	if (!st && x->rep.aggregate && !x->t.sending_status)
		x->t.sending_status = xstrdup(x->rep.aggregate);
	if (!st)
		st = read_resources(ctx, x, calls, err);
	if (st == SC_NOT_FOUND) { /* deleted since it was listed */
		sc_error_clear(err);
		return SC_NOT_FOUND;
	}
	return st;
}

enum sc_status tenants_read(const struct ses_ctx *ctx, struct cache *c, const char *account,
			    const char *region, struct tenants_read_report *rep,
			    struct sc_error *err)
{
	struct ses_tenant *tv = NULL;
	struct ses_reputation_entity *ev = NULL;
	struct ses_recommendation *rv = NULL;
	struct cache_tenant *xv = NULL;
	size_t tn = 0, en = 0, rn = 0, xn = 0;
	time_t now = time(NULL);
	struct sc_error rerr;
	enum sc_status st;

	memset(rep, 0, sizeof(*rep));
	st = list_all_tenants(ctx, &tv, &tn, &rep->calls, err);
	if ((st == SC_AUTH && !strncmp(err->code, "AccessDenied", 12)) || st == SC_UNSUPPORTED) {
		snprintf(rep->notice, sizeof(rep->notice), "%s",
			 st == SC_AUTH ? "tenants not read: no permission for ses:ListTenants "
					 "(everything else works)"
				       : "tenants not read: the endpoint does not implement them");
		rep->skipped = true;
		ses_tenants_free(tv, tn);
		sc_error_clear(err);
		return SC_OK;
	}
	if (!st && tn)
		st = list_all_entities(ctx, &ev, &en, &rep->calls, err);
	if (!st)
		xv = xcalloc(tn + 1, sizeof(*xv));
	for (size_t i = 0; !st && i < tn; i++) {
		st = fill_tenant(ctx, &xv[xn], &tv[i], entity_for(ev, en, tv[i].arn), now,
				 &rep->calls, err);
		if (st == SC_NOT_FOUND) {
			cache_tenant_free(&xv[xn]);
			st = SC_OK;
			continue;
		}
		xn++;
	}
	if (!st)
		st = cache_put_tenants_replace(c, account, region, xv, xn, now, err);
	if (!st) {
		rep->tenants = xn;
		sc_error_clear(&rerr);
		if (list_all_recs(ctx, &rv, &rn, &rep->calls, &rerr) == SC_OK) {
			st = cache_put_recommendations_replace(c, account, region, rv, rn, now, err);
			rep->findings = rn;
		} else {
			snprintf(rep->notice, sizeof(rep->notice), "recommendations not read: %.200s",
				 rerr.message);
		}
	}
	cache_tenants_free(xv, xn);
	ses_tenants_free(tv, tn);
	ses_reputation_entities_free(ev, en);
	ses_recommendations_free(rv, rn);
	return st;
}

enum sc_status tenant_read_one(const struct ses_ctx *ctx, struct cache *c, const char *account,
			       const char *region, const char *name, struct cache_tenant *out,
			       struct sc_error *err)
{
	struct ses_tenant t = {0};
	struct cache_tenant x = {0};
	size_t calls = 0;
	enum sc_status st = sesv2_get_tenant(ctx, name, &t, err);

	if (out)
		memset(out, 0, sizeof(*out));
	if (st == SC_NOT_FOUND) {
		ses_tenant_free(&t);
		cache_delete_tenant(c, account, region, name, NULL);
		return st;
	}
	if (!st)
		st = fill_tenant(ctx, &x, &t, NULL, time(NULL), &calls, err);
	if (st == SC_NOT_FOUND) {
		cache_delete_tenant(c, account, region, name, NULL);
		sc_fail(err, SC_NOT_FOUND, "tenant %s was deleted while it was read", name);
	}
	if (!st)
		st = cache_put_tenant(c, account, region, &x, err);
	ses_tenant_free(&t);
	if (!st && out) {
		/* read back: the open findings come from the cached recommendations */
		st = cache_get_tenant(c, account, region, x.t.name, out, err);
	}
	cache_tenant_free(&x);
	return st;
}

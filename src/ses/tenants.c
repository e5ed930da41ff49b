/* SES tenants, reputation entities and VDM recommendations (SESv2). */
#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/client.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/tenants.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

/* ---- model ---- */

static void free_status_record(struct ses_status_record *s)
{
	free(s->status);
	free(s->cause);
	memset(s, 0, sizeof(*s));
}

void ses_tenant_free(struct ses_tenant *t)
{
	if (!t)
		return;
	free(t->name);
	free(t->id);
	free(t->arn);
	free(t->sending_status);
	for (size_t i = 0; i < t->n_tags; i++) {
		free(t->tags[i].key);
		free(t->tags[i].value);
	}
	free(t->tags);
	memset(t, 0, sizeof(*t));
}

void ses_tenants_free(struct ses_tenant *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_tenant_free(&v[i]);
	free(v);
}

static void tenant_resource_free(struct ses_tenant_resource *x)
{
	free(x->type);
	free(x->arn);
	memset(x, 0, sizeof(*x));
}

void ses_tenant_resources_free(struct ses_tenant_resource *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		tenant_resource_free(&v[i]);
	free(v);
}

static void resource_tenant_free(struct ses_resource_tenant *x)
{
	free(x->tenant_name);
	free(x->tenant_id);
	free(x->resource_arn);
	memset(x, 0, sizeof(*x));
}

void ses_resource_tenants_free(struct ses_resource_tenant *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		resource_tenant_free(&v[i]);
	free(v);
}

void ses_reputation_entity_free(struct ses_reputation_entity *e)
{
	if (!e)
		return;
	free(e->reference);
	free(e->type);
	free(e->policy);
	free_status_record(&e->customer);
	free_status_record(&e->aws);
	free(e->aggregate);
	free(e->impact);
	memset(e, 0, sizeof(*e));
}

void ses_reputation_entities_free(struct ses_reputation_entity *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_reputation_entity_free(&v[i]);
	free(v);
}

static void recommendation_free(struct ses_recommendation *x)
{
	free(x->resource_arn);
	free(x->type);
	free(x->description);
	free(x->status);
	free(x->impact);
	memset(x, 0, sizeof(*x));
}

void ses_recommendations_free(struct ses_recommendation *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		recommendation_free(&v[i]);
	free(v);
}

/* ---- reputation policies ---- */

static const char *const policy_words[] = {"none", "standard", "strict"};

static const char *policy_word_of(const char *s)
{
	for (size_t i = 0; i < sizeof(policy_words) / sizeof(policy_words[0]); i++)
		if (s && !strcmp(s, policy_words[i]))
			return policy_words[i];
	return NULL;
}

/* A partition or region as an ARN carries it: [a-z0-9-]+. */
static bool arn_part_ok(const char *p, size_t n)
{
	if (!n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((p[i] >= 'a' && p[i] <= 'z') || (p[i] >= '0' && p[i] <= '9') || p[i] == '-'))
			return false;
	return true;
}

/* Field k of "arn:partition:service:region:account:resource" (k < 5), when the ARN has all
 * six fields and field k is a usable partition/region. */
static bool arn_field(const char *arn, int k, const char **p, size_t *n)
{
	const char *s = arn;

	if (!arn || strncmp(arn, "arn:", 4))
		return false;
	for (int i = 0; i < 5; i++) {
		const char *c = strchr(s, ':');

		if (!c)
			return false;
		if (i == k) {
			*p = s;
			*n = (size_t)(c - s);
		}
		s = c + 1;
	}
	return arn_part_ok(*p, *n);
}

int ses_policy_arn(char *out, size_t size, const char *tenant_arn, const char *region,
		   const char *word)
{
	const char *part = "aws", *reg = region;
	size_t part_n = 3, reg_n = region ? strlen(region) : 0;
	const char *p;
	size_t n;

	if (size)
		*out = '\0';
	if (!policy_word_of(word))
		return -1;
	if (arn_field(tenant_arn, 1, &p, &n)) {
		part = p;
		part_n = n;
	}
	if (arn_field(tenant_arn, 3, &p, &n)) {
		reg = p;
		reg_n = n;
	}
	if (!reg || !arn_part_ok(reg, reg_n))
		return -1;
	return snprintf(out, size, "arn:%.*s:ses:%.*s:aws:reputation-policy/%s", (int)part_n, part,
			(int)reg_n, reg, word);
}

const char *ses_policy_word(const char *policy_arn)
{
	const char *slash = policy_arn ? strrchr(policy_arn, '/') : NULL;

	return slash ? policy_word_of(slash + 1) : NULL;
}

/* ---- builders ---- */

/* Zero r; when st is SC_OK, start a POST to /v2/email/<collection> with a JSON body. */
static enum sc_status post_begin(struct ses_request *r, const char *op, const char *collection,
				 enum sc_status st)
{
	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, collection, NULL, NULL);
	sesv2_json_begin(r);
	return SC_OK;
}

/* "NextToken" (an empty token is no token) and "PageSize" (0 = leave out), in that order. */
static void page_members(struct buf *b, const char *next_token, int page_size)
{
	ses_json_kv(b, "NextToken", next_token && *next_token ? next_token : NULL);
	if (page_size <= 0)
		return;
	ses_json_key(b, "PageSize");
	ses_json_num(b, page_size);
}

static void open_filter(struct buf *b)
{
	ses_json_key(b, "Filter");
	ses_json_open(b, '{');
}

/* An optional input given as "" is a mistake, not a wish to leave it out. */
static enum sc_status not_empty(struct sc_error *err, const char *op, const char *what,
				const char *v)
{
	return v ? sesv2_need(err, op, what, v) : SC_OK;
}

/* POST <collection> {"TenantName": name} */
static enum sc_status tenant_name_request(struct ses_request *r, const char *op,
					  const char *collection, const char *name,
					  struct sc_error *err)
{
	enum sc_status st = post_begin(r, op, collection, sesv2_need(err, op, "tenant name", name));

	if (st != SC_OK)
		return st;
	ses_json_kv(&r->body, "TenantName", name);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_create_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err)
{
	return tenant_name_request(r, "CreateTenant", "tenants", name, err);
}

enum sc_status sesv2_build_get_tenant(struct ses_request *r, const char *name,
				      struct sc_error *err)
{
	return tenant_name_request(r, "GetTenant", "tenants/get", name, err);
}

enum sc_status sesv2_build_delete_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err)
{
	return tenant_name_request(r, "DeleteTenant", "tenants/delete", name, err);
}

void sesv2_build_list_tenants(struct ses_request *r, const char *next_token, int page_size)
{
	post_begin(r, "ListTenants", "tenants/list", SC_OK);
	page_members(&r->body, next_token, page_size);
	ses_json_close(&r->body, '}');
}

/* POST <collection> {"TenantName": name, "ResourceArn": arn} */
static enum sc_status association_request(struct ses_request *r, const char *op,
					  const char *collection, const char *name,
					  const char *resource_arn, struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "tenant name", name);

	if (st == SC_OK)
		st = sesv2_need(err, op, "resource ARN", resource_arn);
	st = post_begin(r, op, collection, st);
	if (st != SC_OK)
		return st;
	ses_json_kv(&r->body, "TenantName", name);
	ses_json_kv(&r->body, "ResourceArn", resource_arn);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_create_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err)
{
	return association_request(r, "CreateTenantResourceAssociation", "tenants/resources", name,
				   resource_arn, err);
}

enum sc_status sesv2_build_delete_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err)
{
	return association_request(r, "DeleteTenantResourceAssociation",
				   "tenants/resources/delete", name, resource_arn, err);
}

enum sc_status sesv2_build_list_tenant_resources(struct ses_request *r, const char *name,
						 const char *resource_type,
						 const char *next_token, struct sc_error *err)
{
	const char *op = "ListTenantResources";
	enum sc_status st = sesv2_need(err, op, "tenant name", name);

	if (st == SC_OK)
		st = not_empty(err, op, "resource type", resource_type);
	st = post_begin(r, op, "tenants/resources/list", st);
	if (st != SC_OK)
		return st;
	ses_json_kv(&r->body, "TenantName", name);
	if (resource_type) {
		open_filter(&r->body);
		ses_json_kv(&r->body, "RESOURCE_TYPE", resource_type);
		ses_json_close(&r->body, '}');
	}
	page_members(&r->body, next_token, 0);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_list_resource_tenants(struct ses_request *r, const char *resource_arn,
						 const char *next_token, struct sc_error *err)
{
	const char *op = "ListResourceTenants";
	enum sc_status st = post_begin(r, op, "resources/tenants/list",
				       sesv2_need(err, op, "resource ARN", resource_arn));

	if (st != SC_OK)
		return st;
	ses_json_kv(&r->body, "ResourceArn", resource_arn);
	page_members(&r->body, next_token, 0);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

void sesv2_build_list_reputation_entities(struct ses_request *r, const char *filter_key,
					  const char *filter_value, const char *next_token)
{
	post_begin(r, "ListReputationEntities", "reputation/entities", SC_OK);
	if (filter_key && *filter_key && filter_value) {
		open_filter(&r->body);
		ses_json_kv(&r->body, filter_key, filter_value);
		ses_json_close(&r->body, '}');
	}
	page_members(&r->body, next_token, 0);
	ses_json_close(&r->body, '}');
}

/* <method> /v2/email/reputation/entities/{type}/{reference}<suffix>: both labels are
 * non-greedy, so every reserved byte of the ARN is escaped ('/' → %2F, ':' → %3A), as
 * botocore's serialiser does. */
static enum sc_status entity_request(struct ses_request *r, const char *op, const char *method,
				     const char *type, const char *reference, const char *suffix,
				     struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "reputation entity type", type);

	if (st == SC_OK)
		st = sesv2_need(err, op, "reputation entity reference", reference);
	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	sesv2_path_with(r, "reputation/entities", type, "/");
	aws_path_append(&r->path, reference);
	if (suffix)
		buf_puts(&r->path, suffix);
	return SC_OK;
}

enum sc_status sesv2_build_get_reputation_entity(struct ses_request *r, const char *type,
						 const char *reference, struct sc_error *err)
{
	return entity_request(r, "GetReputationEntity", "GET", type, reference, NULL, err);
}

/* PUT .../<suffix> {"<key>": value} */
static enum sc_status entity_put(struct ses_request *r, const char *op, const char *type,
				 const char *reference, const char *suffix, const char *key,
				 const char *value, enum sc_status st, struct sc_error *err)
{
	if (st == SC_OK)
		st = entity_request(r, op, "PUT", type, reference, suffix, err);
	else
		memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sesv2_json_begin(r);
	ses_json_kv(&r->body, key, value);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_update_reputation_entity_policy(struct ses_request *r,
							   const char *type,
							   const char *reference,
							   const char *policy_arn,
							   struct sc_error *err)
{
	const char *op = "UpdateReputationEntityPolicy";

	return entity_put(r, op, type, reference, "/policy", "ReputationEntityPolicy", policy_arn,
			  sesv2_need(err, op, "policy ARN", policy_arn), err);
}

static bool sending_status_ok(const char *s)
{
	return s && (!strcmp(s, "ENABLED") || !strcmp(s, "DISABLED") || !strcmp(s, "REINSTATED"));
}

enum sc_status sesv2_build_update_reputation_entity_customer_managed_status(
	struct ses_request *r, const char *type, const char *reference, const char *status,
	struct sc_error *err)
{
	const char *op = "UpdateReputationEntityCustomerManagedStatus";
	enum sc_status st = SC_OK;

	if (!sending_status_ok(status))
		st = sc_fail(err, SC_USAGE, "%s: the sending status must be ENABLED, DISABLED or "
				 "REINSTATED", op);
	return entity_put(r, op, type, reference, "/customer-managed-status", "SendingStatus",
			  status, st, err);
}

/* SES takes one filter key, or STATUS with IMPACT, or STATUS with TYPE. */
static enum sc_status recommendation_filter_check(const struct sesv2_recommendation_filter *f,
						  struct sc_error *err)
{
	const char *op = "ListRecommendations";
	enum sc_status st = not_empty(err, op, "TYPE filter", f->type);
	int keys = !!f->type + !!f->impact + !!f->status + !!f->resource_arn;

	if (st == SC_OK)
		st = not_empty(err, op, "IMPACT filter", f->impact);
	if (st == SC_OK)
		st = not_empty(err, op, "STATUS filter", f->status);
	if (st == SC_OK)
		st = not_empty(err, op, "RESOURCE_ARN filter", f->resource_arn);
	if (st != SC_OK)
		return st;
	if (keys > 2 || (keys == 2 && !(f->status && (f->impact || f->type))))
		return sc_fail(err, SC_USAGE, "%s: filter on one key, or on STATUS with IMPACT or "
				    "with TYPE", op);
	if (f->page_size < 0 || f->page_size > 100)
		return sc_fail(err, SC_USAGE, "%s: the page size must be 1..100 (%d)", op,
			       f->page_size);
	return SC_OK;
}

/* Filter keys in the order of the model's ListRecommendationsFilterKey enum. */
static void recommendation_filter(struct buf *b, const struct sesv2_recommendation_filter *f)
{
	if (!f->type && !f->impact && !f->status && !f->resource_arn)
		return;
	open_filter(b);
	ses_json_kv(b, "TYPE", f->type);
	ses_json_kv(b, "IMPACT", f->impact);
	ses_json_kv(b, "STATUS", f->status);
	ses_json_kv(b, "RESOURCE_ARN", f->resource_arn);
	ses_json_close(b, '}');
}

enum sc_status sesv2_build_list_recommendations(struct ses_request *r,
						const struct sesv2_recommendation_filter *f,
						struct sc_error *err)
{
	static const struct sesv2_recommendation_filter none;
	enum sc_status st;

	if (!f)
		f = &none;
	st = post_begin(r, "ListRecommendations", "vdm/recommendations",
			recommendation_filter_check(f, err));
	if (st != SC_OK)
		return st;
	recommendation_filter(&r->body, f);
	page_members(&r->body, f->next_token, f->page_size);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* ---- parsers ---- */

/* The page's token; an empty one ends the listing like a missing one. */
static void set_page_token(struct jr *r, const cJSON *root, char **next_token)
{
	char *tok = jr_str(r, root, "NextToken", JR_OPTIONAL);

	if (tok && !*tok) {
		free(tok);
		tok = NULL;
	}
	sesv2_set_token(next_token, tok);
}

/* One listing: its operation, array member, item size, and how an item is read (returning
 * false to skip it) and cleared. */
struct page_kind {
	const char *op;
	const char *key;
	const char *scope;
	size_t size;
	bool (*item)(struct jr *r, const cJSON *it, void *x);
	void (*clear)(void *x);
};

/* Append the items of one page to *v (the items of this page are all or none). */
static enum sc_status parse_page(const struct page_kind *k, const char *body, size_t len,
				 void **v, size_t *n, char **next_token, struct sc_error *err)
{
	struct jr r = {k->op, NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, k->key, JR_REQUIRED), *it;
	size_t base = *n;
	char *items;

	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	items = xrealloc(*v, (base + (size_t)cJSON_GetArraySize(arr) + 1) * k->size);
	*v = items;
	r.scope = k->scope;
	cJSON_ArrayForEach(it, arr) {
		char *x = items + *n * k->size;
		bool keep;

		memset(x, 0, k->size);
		keep = k->item(&r, it, x);
		if (r.st != SC_OK || !keep)
			k->clear(x);
		else
			(*n)++;
		if (r.st != SC_OK)
			break;
	}
	if (r.st != SC_OK) {
		while (*n > base)
			k->clear(items + --(*n) * k->size);
		return sesv2_finish(&r, root);
	}
	r.scope = NULL;
	set_page_token(&r, root, next_token);
	return sesv2_finish(&r, root);
}

/* TenantInfo: what ListTenants gives of a tenant. */
static void parse_tenant_info(struct jr *r, const cJSON *o, struct ses_tenant *t)
{
	t->name = jr_str(r, o, "TenantName", JR_REQUIRED);
	t->id = jr_str(r, o, "TenantId", JR_OPTIONAL);
	t->arn = jr_str(r, o, "TenantArn", JR_OPTIONAL);
	jr_time(r, o, "CreatedTimestamp", JR_OPTIONAL, &t->created);
}

/* Tenant (GetTenant) and the CreateTenant reply: TenantInfo, SendingStatus and Tags. */
static enum sc_status parse_tenant(struct jr *r, const cJSON *o, struct ses_tenant *t)
{
	parse_tenant_info(r, o, t);
	t->sending_status = jr_str(r, o, "SendingStatus", JR_OPTIONAL);
	t->tags = sesv2_parse_tags(r, o, &t->n_tags);
	if (r->st != SC_OK)
		ses_tenant_free(t);
	return r->st;
}

enum sc_status sesv2_parse_create_tenant(const char *body, size_t len, struct ses_tenant *out,
					 struct sc_error *err)
{
	struct jr r = {"CreateTenant", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	ses_tenant_free(out);
	if (r.st == SC_OK)
		parse_tenant(&r, root, out);
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_parse_get_tenant(const char *body, size_t len, struct ses_tenant *out,
				      struct sc_error *err)
{
	struct jr r = {"GetTenant", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *t = jr_obj(&r, root, "Tenant", JR_REQUIRED);

	ses_tenant_free(out);
	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	r.scope = "Tenant";
	parse_tenant(&r, t, out);
	return sesv2_finish(&r, root);
}

static bool tenant_item(struct jr *r, const cJSON *it, void *x)
{
	parse_tenant_info(r, it, x);
	return true;
}

static void tenant_clear(void *x)
{
	ses_tenant_free(x);
}

enum sc_status sesv2_parse_list_tenants(const char *body, size_t len, struct ses_tenant **v,
					size_t *n, char **next_token, struct sc_error *err)
{
	static const struct page_kind k = {"ListTenants", "Tenants", "Tenants[]",
					   sizeof(struct ses_tenant), tenant_item, tenant_clear};
	void *items = *v;
	enum sc_status st = parse_page(&k, body, len, &items, n, next_token, err);

	*v = items;
	return st;
}

static bool tenant_resource_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_tenant_resource *t = x;

	t->type = jr_str(r, it, "ResourceType", JR_OPTIONAL);
	t->arn = jr_str(r, it, "ResourceArn", JR_REQUIRED);
	return true;
}

static void tenant_resource_clear(void *x)
{
	tenant_resource_free(x);
}

enum sc_status sesv2_parse_list_tenant_resources(const char *body, size_t len,
						 struct ses_tenant_resource **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	static const struct page_kind k = {"ListTenantResources", "TenantResources",
					   "TenantResources[]", sizeof(struct ses_tenant_resource),
					   tenant_resource_item, tenant_resource_clear};
	void *items = *v;
	enum sc_status st = parse_page(&k, body, len, &items, n, next_token, err);

	*v = items;
	return st;
}

static bool resource_tenant_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_resource_tenant *t = x;

	t->tenant_name = jr_str(r, it, "TenantName", JR_REQUIRED);
	t->tenant_id = jr_str(r, it, "TenantId", JR_OPTIONAL);
	t->resource_arn = jr_str(r, it, "ResourceArn", JR_OPTIONAL);
	jr_time(r, it, "AssociatedTimestamp", JR_OPTIONAL, &t->associated);
	return true;
}

static void resource_tenant_clear(void *x)
{
	resource_tenant_free(x);
}

enum sc_status sesv2_parse_list_resource_tenants(const char *body, size_t len,
						 struct ses_resource_tenant **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	static const struct page_kind k = {"ListResourceTenants", "ResourceTenants",
					   "ResourceTenants[]", sizeof(struct ses_resource_tenant),
					   resource_tenant_item, resource_tenant_clear};
	void *items = *v;
	enum sc_status st = parse_page(&k, body, len, &items, n, next_token, err);

	*v = items;
	return st;
}

/* StatusRecord; all of it optional. */
static void parse_status_record(struct jr *r, const cJSON *obj, const char *key,
				struct ses_status_record *s)
{
	const cJSON *o = jr_obj(r, obj, key, JR_OPTIONAL);

	if (!o)
		return;
	s->status = jr_str(r, o, "Status", JR_OPTIONAL);
	s->cause = jr_str(r, o, "Cause", JR_OPTIONAL);
	jr_time(r, o, "LastUpdatedTimestamp", JR_OPTIONAL, &s->updated);
}

static bool entity_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_reputation_entity *e = x;

	e->reference = jr_str(r, it, "ReputationEntityReference", JR_REQUIRED);
	e->type = jr_str(r, it, "ReputationEntityType", JR_OPTIONAL);
	e->policy = jr_str(r, it, "ReputationManagementPolicy", JR_OPTIONAL);
	parse_status_record(r, it, "CustomerManagedStatus", &e->customer);
	parse_status_record(r, it, "AwsSesManagedStatus", &e->aws);
	e->aggregate = jr_str(r, it, "SendingStatusAggregate", JR_OPTIONAL);
	e->impact = jr_str(r, it, "ReputationImpact", JR_OPTIONAL);
	return true;
}

static void entity_clear(void *x)
{
	ses_reputation_entity_free(x);
}

enum sc_status sesv2_parse_list_reputation_entities(const char *body, size_t len,
						    struct ses_reputation_entity **v, size_t *n,
						    char **next_token, struct sc_error *err)
{
	static const struct page_kind k = {"ListReputationEntities", "ReputationEntities",
					   "ReputationEntities[]",
					   sizeof(struct ses_reputation_entity), entity_item,
					   entity_clear};
	void *items = *v;
	enum sc_status st = parse_page(&k, body, len, &items, n, next_token, err);

	*v = items;
	return st;
}

enum sc_status sesv2_parse_get_reputation_entity(const char *body, size_t len,
						 struct ses_reputation_entity *out,
						 struct sc_error *err)
{
	struct jr r = {"GetReputationEntity", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *e = jr_obj(&r, root, "ReputationEntity", JR_REQUIRED);

	ses_reputation_entity_free(out);
	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	r.scope = "ReputationEntity";
	entity_item(&r, e, out);
	if (r.st != SC_OK)
		ses_reputation_entity_free(out);
	return sesv2_finish(&r, root);
}

/* An item without a Type names no finding: skipped. */
static bool recommendation_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_recommendation *c = x;

	c->type = jr_str(r, it, "Type", JR_OPTIONAL);
	if (!c->type)
		return false;
	c->resource_arn = jr_str(r, it, "ResourceArn", JR_OPTIONAL);
	c->description = jr_str(r, it, "Description", JR_OPTIONAL);
	c->status = jr_str(r, it, "Status", JR_OPTIONAL);
	c->impact = jr_str(r, it, "Impact", JR_OPTIONAL);
	jr_time(r, it, "CreatedTimestamp", JR_OPTIONAL, &c->created);
	jr_time(r, it, "LastUpdatedTimestamp", JR_OPTIONAL, &c->updated);
	return true;
}

static void recommendation_clear(void *x)
{
	recommendation_free(x);
}

enum sc_status sesv2_parse_list_recommendations(const char *body, size_t len,
						struct ses_recommendation **v, size_t *n,
						char **next_token, struct sc_error *err)
{
	static const struct page_kind k = {"ListRecommendations", "Recommendations",
					   "Recommendations[]", sizeof(struct ses_recommendation),
					   recommendation_item, recommendation_clear};
	void *items = *v;
	enum sc_status st = parse_page(&k, body, len, &items, n, next_token, err);

	*v = items;
	return st;
}

/* ---- calls ---- */

/* Send a built request (freed here) and keep its 2xx reply for the parser. */
static enum sc_status send_built(const struct ses_ctx *ctx, struct ses_request *r,
				 enum sc_status built, struct aws_reply *reply,
				 struct sc_error *err)
{
	if (built != SC_OK)
		return built;
	return ses_send(ctx, r, reply, err);
}

enum sc_status sesv2_create_tenant(const struct ses_ctx *ctx, const char *name,
				   struct ses_tenant *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r, sesv2_build_create_tenant(&r, name, err), &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_create_tenant(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_get_tenant(const struct ses_ctx *ctx, const char *name,
				struct ses_tenant *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r, sesv2_build_get_tenant(&r, name, err), &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_tenant(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_delete_tenant(const struct ses_ctx *ctx, const char *name,
				   struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_delete_tenant(&r, name, err), err);
}

enum sc_status sesv2_list_tenants(const struct ses_ctx *ctx, const char *next_token_in,
				  struct ses_tenant **v, size_t *n, char **next_token,
				  struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv2_build_list_tenants(&r, next_token_in, 0);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_tenants(reply.body.data, reply.body.len, v, n, next_token, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_create_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			       sesv2_build_create_tenant_resource_association(&r, name,
									      resource_arn, err),
			       err);
}

enum sc_status sesv2_delete_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			       sesv2_build_delete_tenant_resource_association(&r, name,
									      resource_arn, err),
			       err);
}

enum sc_status sesv2_list_tenant_resources(const struct ses_ctx *ctx, const char *name,
					   const char *next_token_in,
					   struct ses_tenant_resource **v, size_t *n,
					   char **next_token, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r,
			sesv2_build_list_tenant_resources(&r, name, NULL, next_token_in, err),
			&reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_tenant_resources(reply.body.data, reply.body.len, v, n, next_token,
					       err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_list_resource_tenants(const struct ses_ctx *ctx, const char *resource_arn,
					   const char *next_token_in,
					   struct ses_resource_tenant **v, size_t *n,
					   char **next_token, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r,
			sesv2_build_list_resource_tenants(&r, resource_arn, next_token_in, err),
			&reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_resource_tenants(reply.body.data, reply.body.len, v, n, next_token,
					       err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_list_reputation_entities(const struct ses_ctx *ctx, const char *filter_key,
					      const char *filter_value,
					      const char *next_token_in,
					      struct ses_reputation_entity **v, size_t *n,
					      char **next_token, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv2_build_list_reputation_entities(&r, filter_key, filter_value, next_token_in);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_reputation_entities(reply.body.data, reply.body.len, v, n,
						  next_token, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_get_reputation_entity(const struct ses_ctx *ctx, const char *type,
					   const char *reference,
					   struct ses_reputation_entity *out,
					   struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r, sesv2_build_get_reputation_entity(&r, type, reference, err),
			&reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_reputation_entity(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_update_reputation_entity_policy(const struct ses_ctx *ctx,
						     const char *type, const char *reference,
						     const char *policy_arn, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			       sesv2_build_update_reputation_entity_policy(&r, type, reference,
									   policy_arn, err),
			       err);
}

enum sc_status sesv2_update_reputation_entity_customer_managed_status(
	const struct ses_ctx *ctx, const char *type, const char *reference, const char *status,
	struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(
		ctx, &r,
		sesv2_build_update_reputation_entity_customer_managed_status(&r, type, reference,
									     status, err),
		err);
}

enum sc_status sesv2_list_recommendations(const struct ses_ctx *ctx,
					  const struct sesv2_recommendation_filter *f,
					  struct ses_recommendation **v, size_t *n,
					  char **next_token, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	st = send_built(ctx, &r, sesv2_build_list_recommendations(&r, f, err), &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_recommendations(reply.body.data, reply.body.len, v, n, next_token,
					      err);
	aws_reply_free(&reply);
	return st;
}

/* Tenants, reputation entities and VDM recommendations (SESv2). */
#include "sesctl/ses/tenants.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/aws/client.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

/* ---- freeing ---- */

static void record_free(struct ses_status_record *r)
{
	free(r->status);
	free(r->cause);
	memset(r, 0, sizeof(*r));
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

void ses_tenant_resources_free(struct ses_tenant_resource *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].type);
		free(v[i].arn);
	}
	free(v);
}

void ses_resource_tenants_free(struct ses_resource_tenant *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].tenant_name);
		free(v[i].tenant_id);
		free(v[i].resource_arn);
	}
	free(v);
}

void ses_reputation_entity_free(struct ses_reputation_entity *e)
{
	if (!e)
		return;
	free(e->reference);
	free(e->type);
	free(e->policy);
	record_free(&e->customer);
	record_free(&e->aws);
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

void ses_recommendations_free(struct ses_recommendation *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].resource_arn);
		free(v[i].type);
		free(v[i].description);
		free(v[i].status);
		free(v[i].impact);
	}
	free(v);
}

/* ---- policies ---- */

static const char *const policy_words[] = {"none", "standard", "strict"};

int ses_policy_arn(char *out, size_t size, const char *tenant_arn, const char *region,
		   const char *word)
{
	char part[32] = "aws", reg[64];
	const char *p = tenant_arn && !strncmp(tenant_arn, "arn:", 4) ? tenant_arn + 4 : NULL;
	size_t n;

	snprintf(reg, sizeof(reg), "%s", region ? region : "");
	if (p) { /* arn:PARTITION:ses:REGION:… */
		n = strcspn(p, ":");
		if (n && n < sizeof(part))
			snprintf(part, sizeof(part), "%.*s", (int)n, p);
		p += n;
		if (*p == ':' && !strncmp(p + 1, "ses:", 4)) {
			p += 5;
			n = strcspn(p, ":");
			if (n && n < sizeof(reg))
				snprintf(reg, sizeof(reg), "%.*s", (int)n, p);
		}
	}
	return snprintf(out, size, "arn:%s:ses:%s:aws:reputation-policy/%s", part, reg,
			word ? word : "");
}

const char *ses_policy_word(const char *policy_arn)
{
	const char *slash = policy_arn ? strrchr(policy_arn, '/') : NULL;

	if (!slash || !strstr(policy_arn, "reputation-policy/"))
		return NULL;
	for (size_t i = 0; i < sizeof(policy_words) / sizeof(policy_words[0]); i++)
		if (!strcmp(slash + 1, policy_words[i]))
			return policy_words[i];
	return NULL;
}

/* ---- builders ---- */

/* POST /v2/email/<path> with {"TenantName": name} (the get/delete shape). */
static enum sc_status name_body(struct ses_request *r, const char *op, const char *path,
				const char *name, struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "tenant name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, path, NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "TenantName", name);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_create_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err)
{
	return name_body(r, "CreateTenant", "tenants", name, err);
}

enum sc_status sesv2_build_get_tenant(struct ses_request *r, const char *name,
				      struct sc_error *err)
{
	return name_body(r, "GetTenant", "tenants/get", name, err);
}

enum sc_status sesv2_build_delete_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err)
{
	return name_body(r, "DeleteTenant", "tenants/delete", name, err);
}

/* The paging members every list body ends with. */
static void paging(struct ses_request *r, const char *next_token, int page_size)
{
	if (next_token && *next_token)
		ses_json_kv(&r->body, "NextToken", next_token);
	if (page_size > 0) {
		ses_json_key(&r->body, "PageSize");
		ses_json_num(&r->body, page_size);
	}
}

/* "Filter": {"key": "value"} */
static void filter1(struct ses_request *r, const char *key, const char *value)
{
	ses_json_key(&r->body, "Filter");
	ses_json_open(&r->body, '{');
	ses_json_kv(&r->body, key, value);
	ses_json_close(&r->body, '}');
}

void sesv2_build_list_tenants(struct ses_request *r, const char *next_token, int page_size)
{
	ses_request_init(r, SES_SVC_SESV2, "ListTenants", "POST");
	sesv2_path_with(r, "tenants/list", NULL, NULL);
	sesv2_json_begin(r);
	paging(r, next_token, page_size);
	ses_json_close(&r->body, '}');
}

static enum sc_status association(struct ses_request *r, const char *op, const char *path,
				  const char *name, const char *arn, struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "tenant name", name);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = sesv2_need(err, op, "resource ARN", arn);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, path, NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "TenantName", name);
	ses_json_kv(&r->body, "ResourceArn", arn);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_create_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err)
{
	return association(r, "CreateTenantResourceAssociation", "tenants/resources", name,
			   resource_arn, err);
}

enum sc_status sesv2_build_delete_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err)
{
	return association(r, "DeleteTenantResourceAssociation", "tenants/resources/delete", name,
			   resource_arn, err);
}

enum sc_status sesv2_build_list_tenant_resources(struct ses_request *r, const char *name,
						 const char *resource_type,
						 const char *next_token, struct sc_error *err)
{
	const char *op = "ListTenantResources";
	enum sc_status st = sesv2_need(err, op, "tenant name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, "tenants/resources/list", NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "TenantName", name);
	if (resource_type)
		filter1(r, "RESOURCE_TYPE", resource_type);
	paging(r, next_token, 0);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_list_resource_tenants(struct ses_request *r, const char *resource_arn,
						 const char *next_token, struct sc_error *err)
{
	const char *op = "ListResourceTenants";
	enum sc_status st = sesv2_need(err, op, "resource ARN", resource_arn);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, "resources/tenants/list", NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "ResourceArn", resource_arn);
	paging(r, next_token, 0);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

void sesv2_build_list_reputation_entities(struct ses_request *r, const char *filter_key,
					  const char *filter_value, const char *next_token)
{
	ses_request_init(r, SES_SVC_SESV2, "ListReputationEntities", "POST");
	sesv2_path_with(r, "reputation/entities", NULL, NULL);
	sesv2_json_begin(r);
	if (filter_key && filter_value)
		filter1(r, filter_key, filter_value);
	paging(r, next_token, 0);
	ses_json_close(&r->body, '}');
}

/* /v2/email/reputation/entities/{Type}/{Reference}[suffix]: the reference (an ARN) is one
 * label, so its '/' and ':' are percent-encoded, as botocore sends them. */
static enum sc_status entity_path(struct ses_request *r, const char *op, const char *method,
				  const char *type, const char *reference, const char *suffix,
				  struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "entity type", type);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = sesv2_need(err, op, "entity reference", reference);
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
	return entity_path(r, "GetReputationEntity", "GET", type, reference, NULL, err);
}

enum sc_status sesv2_build_update_reputation_entity_policy(struct ses_request *r,
							   const char *type,
							   const char *reference,
							   const char *policy_arn,
							   struct sc_error *err)
{
	const char *op = "UpdateReputationEntityPolicy";
	enum sc_status st = entity_path(r, op, "PUT", type, reference, "/policy", err);

	if (st == SC_OK && (st = sesv2_need(err, op, "policy ARN", policy_arn)) != SC_OK)
		ses_request_free(r);
	if (st != SC_OK)
		return st;
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "ReputationEntityPolicy", policy_arn);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_update_reputation_entity_customer_managed_status(
	struct ses_request *r, const char *type, const char *reference, const char *status,
	struct sc_error *err)
{
	const char *op = "UpdateReputationEntityCustomerManagedStatus";
	enum sc_status st;

	if (!status || (strcmp(status, "ENABLED") && strcmp(status, "DISABLED") &&
			strcmp(status, "REINSTATED"))) {
		memset(r, 0, sizeof(*r));
		return sc_fail(err, SC_USAGE, "%s: the status must be ENABLED, DISABLED or REINSTATED",
			       op);
	}
	st = entity_path(r, op, "PUT", type, reference, "/customer-managed-status", err);
	if (st != SC_OK)
		return st;
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "SendingStatus", status);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* SES takes one filter key, or STATUS with IMPACT, or STATUS with TYPE. */
static bool filter_allowed(const struct sesv2_recommendation_filter *f)
{
	int n = !!f->type + !!f->impact + !!f->status + !!f->resource_arn;

	if (n <= 1)
		return true;
	return n == 2 && f->status && (f->impact || f->type);
}

enum sc_status sesv2_build_list_recommendations(struct ses_request *r,
						const struct sesv2_recommendation_filter *f,
						struct sc_error *err)
{
	static const struct sesv2_recommendation_filter none = {0};
	const char *op = "ListRecommendations";

	memset(r, 0, sizeof(*r));
	if (!f)
		f = &none;
	if (!filter_allowed(f))
		return sc_fail(err, SC_USAGE, "%s: filter by one of type, impact, status or resource, "
			       "or by status with impact or type", op);
	if (f->page_size < 0 || f->page_size > 100)
		return sc_fail(err, SC_USAGE, "%s: the page size is 1 to 100", op);
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, "vdm/recommendations", NULL, NULL);
	sesv2_json_begin(r);
	if (f->type || f->impact || f->status || f->resource_arn) {
		ses_json_key(&r->body, "Filter");
		ses_json_open(&r->body, '{');
		ses_json_kv(&r->body, "TYPE", f->type);
		ses_json_kv(&r->body, "IMPACT", f->impact);
		ses_json_kv(&r->body, "STATUS", f->status);
		ses_json_kv(&r->body, "RESOURCE_ARN", f->resource_arn);
		ses_json_close(&r->body, '}');
	}
	paging(r, f->next_token, f->page_size);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* ---- parsers ---- */

static void parse_tenant(struct jr *r, const cJSON *o, struct ses_tenant *t)
{
	t->name = jr_str(r, o, "TenantName", JR_REQUIRED);
	t->id = jr_str(r, o, "TenantId", JR_OPTIONAL);
	t->arn = jr_str(r, o, "TenantArn", JR_OPTIONAL);
	jr_time(r, o, "CreatedTimestamp", JR_OPTIONAL, &t->created);
	t->sending_status = jr_str(r, o, "SendingStatus", JR_OPTIONAL);
	t->tags = sesv2_parse_tags(r, o, &t->n_tags);
}

enum sc_status sesv2_parse_create_tenant(const char *body, size_t len, struct ses_tenant *out,
					 struct sc_error *err)
{
	struct jr r = {"CreateTenant", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	ses_tenant_free(out);
	if (r.st == SC_OK)
		parse_tenant(&r, root, out);
	if (r.st != SC_OK)
		ses_tenant_free(out);
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_parse_get_tenant(const char *body, size_t len, struct ses_tenant *out,
				      struct sc_error *err)
{
	struct jr r = {"GetTenant", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *t = jr_obj(&r, root, "Tenant", JR_REQUIRED);

	ses_tenant_free(out);
	r.scope = "Tenant";
	if (r.st == SC_OK)
		parse_tenant(&r, t, out);
	if (r.st != SC_OK)
		ses_tenant_free(out);
	return sesv2_finish(&r, root);
}

/* The array `key` of root, parsed item by item into *v (grown); every item's fields freed
 * again when one fails. */
typedef void (*item_fn)(struct jr *r, const cJSON *it, void *x);
typedef void (*free_fn)(void *x);

static enum sc_status parse_list(struct jr *r, cJSON *root, const char *key, char *scope,
				 void **v, size_t *n, size_t size, item_fn item, free_fn clear,
				 char **next_token)
{
	const cJSON *arr = jr_arr(r, root, key, JR_REQUIRED), *it;
	size_t base = *n;

	if (r->st != SC_OK)
		return sesv2_finish(r, root);
	*v = xrealloc(*v, (base + (size_t)cJSON_GetArraySize(arr) + 1) * size);
	r->scope = scope;
	cJSON_ArrayForEach(it, arr) {
		void *x = (char *)*v + (*n)++ * size;

		memset(x, 0, size);
		item(r, it, x);
		if (r->st != SC_OK)
			break;
	}
	if (r->st != SC_OK) {
		while (*n > base)
			clear((char *)*v + --(*n) * size);
		return sesv2_finish(r, root);
	}
	r->scope = NULL;
	sesv2_set_token(next_token, jr_str(r, root, "NextToken", JR_OPTIONAL));
	return sesv2_finish(r, root);
}

static void tenant_item(struct jr *r, const cJSON *it, void *x)
{
	parse_tenant(r, it, x);
}

static void tenant_clear(void *x)
{
	ses_tenant_free(x);
}

enum sc_status sesv2_parse_list_tenants(const char *body, size_t len, struct ses_tenant **v,
					size_t *n, char **next_token, struct sc_error *err)
{
	struct jr r = {"ListTenants", NULL, err, SC_OK};

	return parse_list(&r, jr_parse(&r, body, len), "Tenants", "Tenants[]", (void **)v, n,
			  sizeof(**v), tenant_item, tenant_clear, next_token);
}

static void resource_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_tenant_resource *res = x;

	res->type = jr_str(r, it, "ResourceType", JR_OPTIONAL);
	res->arn = jr_str(r, it, "ResourceArn", JR_REQUIRED);
}

static void resource_clear(void *x)
{
	struct ses_tenant_resource *res = x;

	free(res->type);
	free(res->arn);
	memset(res, 0, sizeof(*res));
}

enum sc_status sesv2_parse_list_tenant_resources(const char *body, size_t len,
						 struct ses_tenant_resource **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	struct jr r = {"ListTenantResources", NULL, err, SC_OK};

	return parse_list(&r, jr_parse(&r, body, len), "TenantResources", "TenantResources[]",
			  (void **)v, n, sizeof(**v), resource_item, resource_clear, next_token);
}

static void resource_tenant_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_resource_tenant *t = x;

	t->tenant_name = jr_str(r, it, "TenantName", JR_REQUIRED);
	t->tenant_id = jr_str(r, it, "TenantId", JR_OPTIONAL);
	t->resource_arn = jr_str(r, it, "ResourceArn", JR_OPTIONAL);
	jr_time(r, it, "AssociatedTimestamp", JR_OPTIONAL, &t->associated);
}

static void resource_tenant_clear(void *x)
{
	struct ses_resource_tenant *t = x;

	free(t->tenant_name);
	free(t->tenant_id);
	free(t->resource_arn);
	memset(t, 0, sizeof(*t));
}

enum sc_status sesv2_parse_list_resource_tenants(const char *body, size_t len,
						 struct ses_resource_tenant **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	struct jr r = {"ListResourceTenants", NULL, err, SC_OK};

	return parse_list(&r, jr_parse(&r, body, len), "ResourceTenants", "ResourceTenants[]",
			  (void **)v, n, sizeof(**v), resource_tenant_item, resource_tenant_clear,
			  next_token);
}

static void parse_record(struct jr *r, const cJSON *o, const char *key,
			 struct ses_status_record *rec)
{
	const cJSON *x = jr_obj(r, o, key, JR_OPTIONAL);

	if (!x)
		return;
	rec->status = jr_str(r, x, "Status", JR_OPTIONAL);
	rec->cause = jr_str(r, x, "Cause", JR_OPTIONAL);
	jr_time(r, x, "LastUpdatedTimestamp", JR_OPTIONAL, &rec->updated);
}

static void entity_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_reputation_entity *e = x;

	e->reference = jr_str(r, it, "ReputationEntityReference", JR_REQUIRED);
	e->type = jr_str(r, it, "ReputationEntityType", JR_OPTIONAL);
	e->policy = jr_str(r, it, "ReputationManagementPolicy", JR_OPTIONAL);
	parse_record(r, it, "CustomerManagedStatus", &e->customer);
	parse_record(r, it, "AwsSesManagedStatus", &e->aws);
	e->aggregate = jr_str(r, it, "SendingStatusAggregate", JR_OPTIONAL);
	e->impact = jr_str(r, it, "ReputationImpact", JR_OPTIONAL);
}

static void entity_clear(void *x)
{
	ses_reputation_entity_free(x);
}

enum sc_status sesv2_parse_list_reputation_entities(const char *body, size_t len,
						    struct ses_reputation_entity **v, size_t *n,
						    char **next_token, struct sc_error *err)
{
	struct jr r = {"ListReputationEntities", NULL, err, SC_OK};

	return parse_list(&r, jr_parse(&r, body, len), "ReputationEntities",
			  "ReputationEntities[]", (void **)v, n, sizeof(**v), entity_item,
			  entity_clear, next_token);
}

enum sc_status sesv2_parse_get_reputation_entity(const char *body, size_t len,
						 struct ses_reputation_entity *out,
						 struct sc_error *err)
{
	struct jr r = {"GetReputationEntity", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *e = jr_obj(&r, root, "ReputationEntity", JR_REQUIRED);

	ses_reputation_entity_free(out);
	r.scope = "ReputationEntity";
	if (r.st == SC_OK)
		entity_item(&r, e, out);
	if (r.st != SC_OK)
		ses_reputation_entity_free(out);
	return sesv2_finish(&r, root);
}

/* An item without a Type names no finding: it is left out (it would sort and filter as
 * nothing). */
static void rec_item(struct jr *r, const cJSON *it, void *x)
{
	struct ses_recommendation *rec = x;

	rec->type = jr_str(r, it, "Type", JR_OPTIONAL);
	rec->resource_arn = jr_str(r, it, "ResourceArn", JR_OPTIONAL);
	rec->description = jr_str(r, it, "Description", JR_OPTIONAL);
	rec->status = jr_str(r, it, "Status", JR_OPTIONAL);
	rec->impact = jr_str(r, it, "Impact", JR_OPTIONAL);
	jr_time(r, it, "CreatedTimestamp", JR_OPTIONAL, &rec->created);
	jr_time(r, it, "LastUpdatedTimestamp", JR_OPTIONAL, &rec->updated);
}

static void rec_clear(void *x)
{
	struct ses_recommendation *rec = x;

	free(rec->resource_arn);
	free(rec->type);
	free(rec->description);
	free(rec->status);
	free(rec->impact);
	memset(rec, 0, sizeof(*rec));
}

enum sc_status sesv2_parse_list_recommendations(const char *body, size_t len,
						struct ses_recommendation **v, size_t *n,
						char **next_token, struct sc_error *err)
{
	struct jr r = {"ListRecommendations", NULL, err, SC_OK};
	size_t base = *n, k;
	enum sc_status st = parse_list(&r, jr_parse(&r, body, len), "Recommendations",
				       "Recommendations[]", (void **)v, n, sizeof(**v), rec_item,
				       rec_clear, next_token);

	if (st != SC_OK)
		return st;
	k = base;
	for (size_t i = base; i < *n; i++) {
		if (!(*v)[i].type) {
			rec_clear(&(*v)[i]);
			continue;
		}
		(*v)[k++] = (*v)[i];
	}
	*n = k;
	return SC_OK;
}

/* ---- calls ---- */

/* Send a built request and hand its reply to parse. */
typedef enum sc_status (*reply_fn)(const char *body, size_t len, void *out, char **next_token,
				   struct sc_error *err);

static enum sc_status call(const struct ses_ctx *ctx, struct ses_request *r, enum sc_status built,
			   reply_fn parse, void *out, char **next_token, struct sc_error *err)
{
	struct aws_reply reply;
	enum sc_status st = built;

	if (st == SC_OK)
		st = ses_send(ctx, r, &reply, err);
	if (st != SC_OK)
		return st;
	st = parse(reply.body.data, reply.body.len, out, next_token, err);
	aws_reply_free(&reply);
	return st;
}

static enum sc_status create_reply(const char *b, size_t n, void *out, char **tok,
				   struct sc_error *e)
{
	(void)tok;
	return sesv2_parse_create_tenant(b, n, out, e);
}

static enum sc_status get_reply(const char *b, size_t n, void *out, char **tok,
				struct sc_error *e)
{
	(void)tok;
	return sesv2_parse_get_tenant(b, n, out, e);
}

static enum sc_status entity_reply(const char *b, size_t n, void *out, char **tok,
				   struct sc_error *e)
{
	(void)tok;
	return sesv2_parse_get_reputation_entity(b, n, out, e);
}

enum sc_status sesv2_create_tenant(const struct ses_ctx *ctx, const char *name,
				   struct ses_tenant *out, struct sc_error *err)
{
	struct ses_request r;

	return call(ctx, &r, sesv2_build_create_tenant(&r, name, err), create_reply, out, NULL,
		    err);
}

enum sc_status sesv2_get_tenant(const struct ses_ctx *ctx, const char *name,
				struct ses_tenant *out, struct sc_error *err)
{
	struct ses_request r;

	return call(ctx, &r, sesv2_build_get_tenant(&r, name, err), get_reply, out, NULL, err);
}

enum sc_status sesv2_delete_tenant(const struct ses_ctx *ctx, const char *name,
				   struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_delete_tenant(&r, name, err), err);
}

/* The list calls: v and n travel in one struct through the reply callback. */
struct list_out {
	void **v;
	size_t *n;
};

static enum sc_status tenants_reply(const char *b, size_t n, void *out, char **tok,
				    struct sc_error *e)
{
	struct list_out *o = out;

	return sesv2_parse_list_tenants(b, n, (struct ses_tenant **)o->v, o->n, tok, e);
}

enum sc_status sesv2_list_tenants(const struct ses_ctx *ctx, const char *next_token_in,
				  struct ses_tenant **v, size_t *n, char **next_token,
				  struct sc_error *err)
{
	struct list_out o = {(void **)v, n};
	struct ses_request r;

	sesv2_build_list_tenants(&r, next_token_in, 0);
	return call(ctx, &r, SC_OK, tenants_reply, &o, next_token, err);
}

enum sc_status sesv2_create_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(
		ctx, &r, sesv2_build_create_tenant_resource_association(&r, name, resource_arn, err),
		err);
}

enum sc_status sesv2_delete_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(
		ctx, &r, sesv2_build_delete_tenant_resource_association(&r, name, resource_arn, err),
		err);
}

static enum sc_status resources_reply(const char *b, size_t n, void *out, char **tok,
				      struct sc_error *e)
{
	struct list_out *o = out;

	return sesv2_parse_list_tenant_resources(b, n, (struct ses_tenant_resource **)o->v, o->n,
						 tok, e);
}

enum sc_status sesv2_list_tenant_resources(const struct ses_ctx *ctx, const char *name,
					   const char *next_token_in,
					   struct ses_tenant_resource **v, size_t *n,
					   char **next_token, struct sc_error *err)
{
	struct list_out o = {(void **)v, n};
	struct ses_request r;

	return call(ctx, &r, sesv2_build_list_tenant_resources(&r, name, NULL, next_token_in, err),
		    resources_reply, &o, next_token, err);
}

static enum sc_status resource_tenants_reply(const char *b, size_t n, void *out, char **tok,
					     struct sc_error *e)
{
	struct list_out *o = out;

	return sesv2_parse_list_resource_tenants(b, n, (struct ses_resource_tenant **)o->v, o->n,
						 tok, e);
}

enum sc_status sesv2_list_resource_tenants(const struct ses_ctx *ctx, const char *resource_arn,
					   const char *next_token_in,
					   struct ses_resource_tenant **v, size_t *n,
					   char **next_token, struct sc_error *err)
{
	struct list_out o = {(void **)v, n};
	struct ses_request r;

	return call(ctx, &r,
		    sesv2_build_list_resource_tenants(&r, resource_arn, next_token_in, err),
		    resource_tenants_reply, &o, next_token, err);
}

static enum sc_status entities_reply(const char *b, size_t n, void *out, char **tok,
				     struct sc_error *e)
{
	struct list_out *o = out;

	return sesv2_parse_list_reputation_entities(b, n, (struct ses_reputation_entity **)o->v,
						    o->n, tok, e);
}

enum sc_status sesv2_list_reputation_entities(const struct ses_ctx *ctx, const char *filter_key,
					      const char *filter_value,
					      const char *next_token_in,
					      struct ses_reputation_entity **v, size_t *n,
					      char **next_token, struct sc_error *err)
{
	struct list_out o = {(void **)v, n};
	struct ses_request r;

	sesv2_build_list_reputation_entities(&r, filter_key, filter_value, next_token_in);
	return call(ctx, &r, SC_OK, entities_reply, &o, next_token, err);
}

enum sc_status sesv2_get_reputation_entity(const struct ses_ctx *ctx, const char *type,
					   const char *reference,
					   struct ses_reputation_entity *out,
					   struct sc_error *err)
{
	struct ses_request r;

	return call(ctx, &r, sesv2_build_get_reputation_entity(&r, type, reference, err),
		    entity_reply, out, NULL, err);
}

enum sc_status sesv2_update_reputation_entity_policy(const struct ses_ctx *ctx,
						     const char *type, const char *reference,
						     const char *policy_arn, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(
		ctx, &r,
		sesv2_build_update_reputation_entity_policy(&r, type, reference, policy_arn, err),
		err);
}

enum sc_status sesv2_update_reputation_entity_customer_managed_status(
	const struct ses_ctx *ctx, const char *type, const char *reference, const char *status,
	struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			       sesv2_build_update_reputation_entity_customer_managed_status(
				       &r, type, reference, status, err),
			       err);
}

static enum sc_status recs_reply(const char *b, size_t n, void *out, char **tok,
				 struct sc_error *e)
{
	struct list_out *o = out;

	return sesv2_parse_list_recommendations(b, n, (struct ses_recommendation **)o->v, o->n,
						tok, e);
}

enum sc_status sesv2_list_recommendations(const struct ses_ctx *ctx,
					  const struct sesv2_recommendation_filter *f,
					  struct ses_recommendation **v, size_t *n,
					  char **next_token, struct sc_error *err)
{
	struct list_out o = {(void **)v, n};
	struct ses_request r;

	return call(ctx, &r, sesv2_build_list_recommendations(&r, f, err), recs_reply, &o,
		    next_token, err);
}

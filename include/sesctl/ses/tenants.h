#ifndef SESCTL_SES_TENANTS_H
#define SESCTL_SES_TENANTS_H

/*
 * SES tenants and reputation entities (SESv2), and the VDM recommendations that name a
 * tenant's findings.
 *
 * The three layers (build, parse, call), ownership and tolerance rules are in ses/sesv2.h.
 * Wire facts that matter here:
 *   - the tenant get/list/delete calls are POSTs with JSON bodies, not GET/DELETE;
 *   - a reputation entity is addressed as /v2/email/reputation/entities/{Type}/{Reference}
 *     where Reference is the tenant's ARN in a non-greedy label: every byte but
 *     A-Z a-z 0-9 - . _ ~ is escaped, '/' as %2F and ':' as %3A (botocore 1.43.11's
 *     percent_encode(value, safe='-._~')), so the SigV4 canonical URI holds %252F and %253A;
 *   - every list is paginated (NextToken); the callers here walk one page at a time.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* SendingStatus: ENABLED | DISABLED | REINSTATED (kept raw when unknown). */
struct ses_status_record {
	char *status;                    /* NULL when the record is absent */
	char *cause;                     /* 1..512 chars or NULL */
	time_t updated;                  /* LastUpdatedTimestamp, 0 = absent */
};

struct ses_tenant {
	char *name;                      /* TenantName (required) */
	char *id;                        /* TenantId */
	char *arn;                       /* TenantArn: use it, never build it */
	time_t created;
	char *sending_status;            /* GetTenant/CreateTenant only; NULL from ListTenants */
	struct ses_tag *tags;
	size_t n_tags;
};

struct ses_tenant_resource {
	char *type;                      /* EMAIL_IDENTITY | CONFIGURATION_SET | EMAIL_TEMPLATE */
	char *arn;
};

struct ses_resource_tenant {
	char *tenant_name;
	char *tenant_id;
	char *resource_arn;
	time_t associated;
};

struct ses_reputation_entity {
	char *reference;                 /* ReputationEntityReference: the tenant ARN */
	char *type;                      /* ReputationEntityType: RESOURCE */
	char *policy;                    /* ReputationManagementPolicy ARN or NULL */
	struct ses_status_record customer;   /* CustomerManagedStatus */
	struct ses_status_record aws;        /* AwsSesManagedStatus */
	char *aggregate;                 /* SendingStatusAggregate */
	char *impact;                    /* ReputationImpact LOW | HIGH or NULL */
};

struct ses_recommendation {
	char *resource_arn;
	char *type;                      /* DKIM DMARC SPF BIMI COMPLAINT BOUNCE FEEDBACK_3P IP_LISTING */
	char *description;
	char *status;                    /* OPEN | FIXED */
	char *impact;                    /* LOW | HIGH */
	time_t created, updated;
};

void ses_tenant_free(struct ses_tenant *t);
void ses_tenants_free(struct ses_tenant *v, size_t n);
void ses_tenant_resources_free(struct ses_tenant_resource *v, size_t n);
void ses_resource_tenants_free(struct ses_resource_tenant *v, size_t n);
void ses_reputation_entity_free(struct ses_reputation_entity *e);
void ses_reputation_entities_free(struct ses_reputation_entity *v, size_t n);
void ses_recommendations_free(struct ses_recommendation *v, size_t n);

/* "arn:aws:ses:eu-west-1:aws:reputation-policy/standard" for word "standard" in the
 * partition and region of the tenant ARN given (falls back to "aws" and region); returns
 * the number of bytes snprintf would write, or -1 (out "") for another word or when no
 * region is known. word: none | standard | strict. */
int ses_policy_arn(char *out, size_t size, const char *tenant_arn, const char *region,
		   const char *word);
/* "standard" for any ARN ending in "/standard" (none, strict likewise); NULL otherwise. */
const char *ses_policy_word(const char *policy_arn);

/* ---- builders (pure; SC_USAGE for a missing input) ---- */
enum sc_status sesv2_build_create_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err);
enum sc_status sesv2_build_get_tenant(struct ses_request *r, const char *name,
				      struct sc_error *err);
enum sc_status sesv2_build_delete_tenant(struct ses_request *r, const char *name,
					 struct sc_error *err);
/* page_size 0 = leave out */
void sesv2_build_list_tenants(struct ses_request *r, const char *next_token, int page_size);
enum sc_status sesv2_build_create_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err);
enum sc_status sesv2_build_delete_tenant_resource_association(struct ses_request *r,
							      const char *name,
							      const char *resource_arn,
							      struct sc_error *err);
/* resource_type NULL = no Filter */
enum sc_status sesv2_build_list_tenant_resources(struct ses_request *r, const char *name,
						 const char *resource_type,
						 const char *next_token, struct sc_error *err);
enum sc_status sesv2_build_list_resource_tenants(struct ses_request *r, const char *resource_arn,
						 const char *next_token, struct sc_error *err);
/* filter_key ENTITY_TYPE | REPUTATION_IMPACT | SENDING_STATUS | ENTITY_REFERENCE_PREFIX, or
 * NULL for no Filter */
void sesv2_build_list_reputation_entities(struct ses_request *r, const char *filter_key,
					  const char *filter_value, const char *next_token);
/* type is "RESOURCE"; reference the tenant ARN ('/' → %2F in the path) */
enum sc_status sesv2_build_get_reputation_entity(struct ses_request *r, const char *type,
						 const char *reference, struct sc_error *err);
enum sc_status sesv2_build_update_reputation_entity_policy(struct ses_request *r,
							   const char *type,
							   const char *reference,
							   const char *policy_arn,
							   struct sc_error *err);
/* status ENABLED | DISABLED | REINSTATED (anything else: SC_USAGE) */
enum sc_status sesv2_build_update_reputation_entity_customer_managed_status(
	struct ses_request *r, const char *type, const char *reference, const char *status,
	struct sc_error *err);

struct sesv2_recommendation_filter {
	const char *type;                /* each NULL = leave out; SES takes 1 key, or STATUS+  */
	const char *impact;              /* IMPACT, or STATUS+TYPE; the builder refuses other */
	const char *status;              /* pairs with SC_USAGE */
	const char *resource_arn;        /* alone */
	const char *next_token;
	int page_size;                   /* 0 = leave out; else 1..100 */
};
enum sc_status sesv2_build_list_recommendations(struct ses_request *r,
						const struct sesv2_recommendation_filter *f,
						struct sc_error *err);

/* ---- parsers ---- */
/* CreateTenant (fields at the top level) and GetTenant (under "Tenant").
 * Required: TenantName. */
enum sc_status sesv2_parse_create_tenant(const char *body, size_t len, struct ses_tenant *out,
					 struct sc_error *err);
enum sc_status sesv2_parse_get_tenant(const char *body, size_t len, struct ses_tenant *out,
				      struct sc_error *err);
/* Appends. Required: Tenants (array), each TenantName. */
enum sc_status sesv2_parse_list_tenants(const char *body, size_t len, struct ses_tenant **v,
					size_t *n, char **next_token, struct sc_error *err);
/* Appends. Required: TenantResources (array), each ResourceArn. */
enum sc_status sesv2_parse_list_tenant_resources(const char *body, size_t len,
						 struct ses_tenant_resource **v, size_t *n,
						 char **next_token, struct sc_error *err);
/* Appends. Required: ResourceTenants (array), each TenantName. */
enum sc_status sesv2_parse_list_resource_tenants(const char *body, size_t len,
						 struct ses_resource_tenant **v, size_t *n,
						 char **next_token, struct sc_error *err);
/* Appends. Required: ReputationEntities (array), each ReputationEntityReference. */
enum sc_status sesv2_parse_list_reputation_entities(const char *body, size_t len,
						    struct ses_reputation_entity **v, size_t *n,
						    char **next_token, struct sc_error *err);
/* Required: ReputationEntity.ReputationEntityReference. */
enum sc_status sesv2_parse_get_reputation_entity(const char *body, size_t len,
						 struct ses_reputation_entity *out,
						 struct sc_error *err);
/* Appends. Required: Recommendations (array; an item without Type is skipped). */
enum sc_status sesv2_parse_list_recommendations(const char *body, size_t len,
						struct ses_recommendation **v, size_t *n,
						char **next_token, struct sc_error *err);

/* ---- calls (build → ses_call → parse; one page for lists) ---- */
enum sc_status sesv2_create_tenant(const struct ses_ctx *ctx, const char *name,
				   struct ses_tenant *out, struct sc_error *err);
enum sc_status sesv2_get_tenant(const struct ses_ctx *ctx, const char *name,
				struct ses_tenant *out, struct sc_error *err);
enum sc_status sesv2_delete_tenant(const struct ses_ctx *ctx, const char *name,
				   struct sc_error *err);
enum sc_status sesv2_list_tenants(const struct ses_ctx *ctx, const char *next_token_in,
				  struct ses_tenant **v, size_t *n, char **next_token,
				  struct sc_error *err);
enum sc_status sesv2_create_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err);
enum sc_status sesv2_delete_tenant_resource_association(const struct ses_ctx *ctx,
							const char *name,
							const char *resource_arn,
							struct sc_error *err);
enum sc_status sesv2_list_tenant_resources(const struct ses_ctx *ctx, const char *name,
					   const char *next_token_in,
					   struct ses_tenant_resource **v, size_t *n,
					   char **next_token, struct sc_error *err);
enum sc_status sesv2_list_resource_tenants(const struct ses_ctx *ctx, const char *resource_arn,
					   const char *next_token_in,
					   struct ses_resource_tenant **v, size_t *n,
					   char **next_token, struct sc_error *err);
enum sc_status sesv2_list_reputation_entities(const struct ses_ctx *ctx, const char *filter_key,
					      const char *filter_value,
					      const char *next_token_in,
					      struct ses_reputation_entity **v, size_t *n,
					      char **next_token, struct sc_error *err);
enum sc_status sesv2_get_reputation_entity(const struct ses_ctx *ctx, const char *type,
					   const char *reference,
					   struct ses_reputation_entity *out,
					   struct sc_error *err);
enum sc_status sesv2_update_reputation_entity_policy(const struct ses_ctx *ctx,
						     const char *type, const char *reference,
						     const char *policy_arn, struct sc_error *err);
enum sc_status sesv2_update_reputation_entity_customer_managed_status(
	const struct ses_ctx *ctx, const char *type, const char *reference, const char *status,
	struct sc_error *err);
enum sc_status sesv2_list_recommendations(const struct ses_ctx *ctx,
					  const struct sesv2_recommendation_filter *f,
					  struct ses_recommendation **v, size_t *n,
					  char **next_token, struct sc_error *err);

#endif

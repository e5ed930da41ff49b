#ifndef SESCTL_CORE_TENANTS_H
#define SESCTL_CORE_TENANTS_H

/*
 * Tenants: reading them into the cache (the sync kind "tenants", and after each change),
 * naming the resources a tenant holds, and the words every front-end uses for a tenant's
 * state — so the CLI, the pane and the banner say the same thing.
 *
 * A tenant's sending is decided by two status records: the customer-managed one (the
 * operator's switch: ENABLED, DISABLED, REINSTATED) and the AWS-managed one (set by SES's
 * reputation policy). Either DISABLED pauses it; REINSTATED sends despite findings, but
 * only while AWS has not disabled it — an AWS-managed DISABLED cannot be overridden.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/request.h"
#include "sesctl/store/tenants.h"
#include "sesctl/util/err.h"

struct tenants_read_report {
	size_t tenants;                   /* tenants cached */
	size_t findings;                  /* recommendations cached */
	size_t calls;                     /* requests made */
	char notice[256];                 /* what could not be read, and why ("" when all was) */
	bool skipped;                     /* tenants were not read at all: no permission for
					   * ses:ListTenants, or an endpoint without tenants */
};

/* Read every tenant (ListTenants), its reputation entity (ListReputationEntities, then
 * GetReputationEntity for any the listing missed) and its resources (ListTenantResources,
 * every page), then the open and fixed recommendations (ListRecommendations); replace the
 * cached listing in one transaction each. Recommendations that cannot be read (VDM off,
 * no permission) are a notice in rep, not a failure; so are tenants when ListTenants is
 * denied or not implemented (rep->skipped: the cache keeps what it had). */
enum sc_status tenants_read(const struct ses_ctx *ctx, struct cache *c, const char *account,
			    const char *region, struct tenants_read_report *rep,
			    struct sc_error *err);

/* Read one tenant again (GetTenant, GetReputationEntity, ListTenantResources), store it,
 * and hand it back in *out (caller frees with cache_tenant_free; may be NULL).
 * SC_NOT_FOUND (and dropped from the cache) when SES no longer has it. */
enum sc_status tenant_read_one(const struct ses_ctx *ctx, struct cache *c, const char *account,
			       const char *region, const char *name, struct cache_tenant *out,
			       struct sc_error *err);

/* RESOURCE as the operator wrote it → its ARN and resource type. Accepted: an ARN
 * (arn:…:identity/X, …:configuration-set/X, …:template/X); "identity:X",
 * "config-set:X", "template:X"; or a bare name, looked up in the cached identities and
 * configuration sets (both → SC_USAGE asking for the prefix), else an identity when it
 * holds '@' or '.', else a template. *arn is malloc'd; *type is static. */
enum sc_status tenant_resource_arn(struct cache *c, const char *account, const char *region,
				   const char *text, char **arn, const char **type,
				   struct sc_error *err);
/* "arn:aws:ses:eu-west-1:123456789012" with the region's partition (aws-cn, aws-us-gov). */
void tenant_arn_prefix(char *out, size_t size, const char *account, const char *region);

enum tenant_state {
	TENANT_SENDING,                   /* aggregate ENABLED (or unknown and nothing says paused) */
	TENANT_REINSTATED,                /* sending despite findings */
	TENANT_PAUSED,                    /* the customer-managed record is DISABLED */
	TENANT_AWS_PAUSED,                /* the AWS-managed record is DISABLED (wins over ours) */
};
enum tenant_state tenant_state_of(const struct cache_tenant *t);
/* "sending", "reinstated", "paused", "paused by AWS" */
const char *tenant_state_word(enum tenant_state s);
/* The cause to show beside the state: AWS's for an AWS pause, the operator's for a pause,
 * else NULL. */
const char *tenant_state_cause(const struct cache_tenant *t);
/* The short resource type word: "identity", "config-set", "template" (raw when unknown). */
const char *tenant_resource_word(const char *type);
/* How many resources of type (EMAIL_IDENTITY, CONFIGURATION_SET, EMAIL_TEMPLATE) t holds. */
size_t tenant_resource_count(const struct cache_tenant *t, const char *type);
/* The tenant a tenant ARN names (…:tenant/NAME/ID → NAME, cut to size - 1 bytes) into out;
 * false, out untouched, for any other ARN. */
bool tenant_name_of_arn(const char *arn, char *out, size_t size);
/* The name after the last '/' of a resource ARN (the ARN itself when there is none). */
const char *tenant_resource_name(const char *arn);

#endif

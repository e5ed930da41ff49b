#ifndef SESCTL_STORE_TENANTS_H
#define SESCTL_STORE_TENANTS_H

/*
 * Cached tenants (CACHE_KIND_TENANTS): each tenant with its reputation entity and its
 * resources, and a log of its status changes that outlives the listing (when a tenant
 * went DISABLED and back, by whose hand: the customer-managed or the AWS-managed record).
 * The VDM recommendations (CACHE_KIND_RECOMMENDATIONS) are kept beside them: a tenant's
 * findings are the recommendations whose resource ARN is the tenant's ARN.
 *
 * Ownership and errors: as db.h says; strings in the structs below are heap copies freed
 * by the *_free helpers here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/tenants.h"
#include "sesctl/store/db.h"

struct cache_tenant {
	struct ses_tenant t;                 /* t.sending_status: the aggregate as last read */
	struct ses_reputation_entity rep;    /* rep.reference NULL: the entity was not read */
	struct ses_tenant_resource *res;
	size_t n_res;
	time_t fetched;
	/* filled by cache_get_tenants() from the cached recommendations */
	size_t open_findings;
	bool high_finding;                   /* an OPEN finding of HIGH impact */
};
void cache_tenant_free(struct cache_tenant *t);
void cache_tenants_free(struct cache_tenant *v, size_t n);

/* The whole listing after a full read: tenants missing from v are dropped with their
 * resources (their status log stays). Each status record that differs from the cached one
 * (or is seen for the first time) is appended to the status log. */
enum sc_status cache_put_tenants_replace(struct cache *c, const char *account_id,
					 const char *region, const struct cache_tenant *v,
					 size_t n, time_t fetched, struct sc_error *err);
/* One tenant after a change (replaced with its resources; status log as above). */
enum sc_status cache_put_tenant(struct cache *c, const char *account_id, const char *region,
				const struct cache_tenant *x, struct sc_error *err);
/* SC_OK when it was not cached. */
enum sc_status cache_delete_tenant(struct cache *c, const char *account_id, const char *region,
				   const char *name, struct sc_error *err);
/* Sorted by name. */
enum sc_status cache_get_tenants(struct cache *c, const char *account_id, const char *region,
				 struct cache_tenant **out, size_t *n, struct sc_error *err);
/* One by name (exact, any case); SC_NOT_FOUND when not cached. */
enum sc_status cache_get_tenant(struct cache *c, const char *account_id, const char *region,
				const char *name, struct cache_tenant *out,
				struct sc_error *err);
/* Counts for the header: every tenant, those paused (either record DISABLED), and of those
 * the ones AWS paused. */
struct cache_tenant_counts {
	size_t total, paused, aws_paused;
};
enum sc_status cache_count_tenants(struct cache *c, const char *account_id, const char *region,
				   struct cache_tenant_counts *out, struct sc_error *err);
/* The tenants a resource ARN belongs to (names, sorted; free with cache_names_free(),
 * db.h); *n may be 0. */
enum sc_status cache_resource_tenants(struct cache *c, const char *account_id,
				      const char *region, const char *resource_arn,
				      char ***names, size_t *n, struct sc_error *err);

/* ---- status changes ---- */

struct cache_tenant_change {
	time_t time;                         /* the record's LastUpdatedTimestamp, else when seen */
	char *which;                         /* "customer" | "aws" */
	char *status;                        /* ENABLED | DISABLED | REINSTATED */
	char *cause;                         /* may be NULL */
};
/* Newest first, at most limit (0: all). */
enum sc_status cache_get_tenant_changes(struct cache *c, const char *account_id,
					const char *region, const char *name, size_t limit,
					struct cache_tenant_change **out, size_t *n,
					struct sc_error *err);
void cache_tenant_changes_free(struct cache_tenant_change *v, size_t n);

/* ---- recommendations ---- */

enum sc_status cache_put_recommendations_replace(struct cache *c, const char *account_id,
						 const char *region,
						 const struct ses_recommendation *v, size_t n,
						 time_t fetched, struct sc_error *err);
struct cache_rec_query {
	const char *resource_arn;            /* exact; NULL: any */
	const char *type;                    /* DKIM …, any case; NULL: any */
	const char *status;                  /* OPEN | FIXED, any case; NULL: any */
	const char *impact;                  /* LOW | HIGH; NULL: any */
	const char *identity;                /* a resource ARN ending in ":identity/<this>"
					      * (any case); NULL: any */
};
/* Open first, then HIGH first, then newest. */
enum sc_status cache_get_recommendations(struct cache *c, const char *account_id,
					 const char *region, const struct cache_rec_query *q,
					 struct ses_recommendation **out, size_t *n,
					 struct sc_error *err);

#endif

#ifndef SESCTL_STORE_RECEIPT_H
#define SESCTL_STORE_RECEIPT_H

/*
 * Cached receiving setup: receipt rule sets with their ordered rules and actions
 * (CACHE_KIND_RULE_SETS) and IP receipt filters (CACHE_KIND_FILTERS). Ownership and
 * errors: as db.h says.
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

enum sc_status cache_put_rule_sets_replace(struct cache *c, const char *account_id,
					   const char *region, const struct ses_rule_set *v,
					   size_t n, time_t fetched, struct sc_error *err);
/* Sorted by name, rules in evaluation order. Free with ses_rule_sets_free(). */
enum sc_status cache_get_rule_sets(struct cache *c, const char *account_id, const char *region,
				   struct ses_rule_set **out, size_t *n, struct sc_error *err);

enum sc_status cache_put_filters_replace(struct cache *c, const char *account_id,
					 const char *region, const struct ses_receipt_filter *v,
					 size_t n, time_t fetched, struct sc_error *err);
enum sc_status cache_get_filters(struct cache *c, const char *account_id, const char *region,
				 struct ses_receipt_filter **out, size_t *n,
				 struct sc_error *err);
void cache_filters_free(struct ses_receipt_filter *v, size_t n);

#endif

#ifndef SESCTL_STORE_MAIL_MANAGER_H
#define SESCTL_STORE_MAIL_MANAGER_H

/*
 * Cached Mail Manager items (CACHE_KIND_MAIL_MANAGER): rule sets, traffic policies,
 * ingress points ..., one row per (kind, id). Ownership and errors: as db.h says.
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

/* Replace the items of one kind ("rule-set", ...), or all kinds when kind is NULL. */
enum sc_status cache_put_mm_items_replace(struct cache *c, const char *account_id,
					  const char *region, const char *kind,
					  const struct ses_mm_item *v, size_t n, time_t fetched,
					  struct sc_error *err);
/* Sorted by kind then name; kind NULL → all. */
enum sc_status cache_get_mm_items(struct cache *c, const char *account_id, const char *region,
				  const char *kind, struct ses_mm_item **out, size_t *n,
				  struct sc_error *err);
void cache_mm_items_free(struct ses_mm_item *v, size_t n);

#endif

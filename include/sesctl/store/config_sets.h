#ifndef SESCTL_STORE_CONFIG_SETS_H
#define SESCTL_STORE_CONFIG_SETS_H

/*
 * Cached configuration sets (CACHE_KIND_CONFIG_SETS). Ownership and errors: as db.h says.
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

enum sc_status cache_put_config_sets_replace(struct cache *c, const char *account_id,
					     const char *region, const struct ses_config_set *v,
					     size_t n, time_t fetched, struct sc_error *err);
enum sc_status cache_put_config_set(struct cache *c, const char *account_id, const char *region,
				    const struct ses_config_set *x, struct sc_error *err);
enum sc_status cache_get_config_sets(struct cache *c, const char *account_id,
				     const char *region, struct ses_config_set **out, size_t *n,
				     struct sc_error *err);
void cache_config_sets_free(struct ses_config_set *v, size_t n);
/* One set after a change: replaced, or removed (SC_OK when it was not cached). */
enum sc_status cache_delete_config_set(struct cache *c, const char *account_id,
				       const char *region, const char *name,
				       struct sc_error *err);

/* A set's metric series (Reputation.BounceRate, Send, …) are kept with the account's
 * (store/account.h, history kept the same way) under the metric name "cs:SET:METRIC";
 * set names cannot hold ':'. out gets at most size bytes, NUL-terminated. */
#define CACHE_SET_METRIC_MAX 160
void cache_set_metric_key(char *out, size_t size, const char *set, const char *metric);

#endif

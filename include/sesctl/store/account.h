#ifndef SESCTL_STORE_ACCOUNT_H
#define SESCTL_STORE_ACCOUNT_H

/*
 * Cached account state (CACHE_KIND_ACCOUNT: sending enabled, production access,
 * enforcement status, quotas, VDM) and its history: send statistics
 * (CACHE_KIND_SEND_STATS) and reputation metrics (CACHE_KIND_METRICS). History is kept:
 * points are upserted by timestamp, never replaced as a set. Ownership and errors: as db.h
 * says.
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

/* Keyed by the arguments; x->account_id/x->region are not consulted. */
enum sc_status cache_put_account(struct cache *c, const char *account_id, const char *region,
				 const struct ses_account *x, struct sc_error *err);
/* SC_NOT_FOUND when never stored. out->account_id/region are filled from the key. */
enum sc_status cache_get_account(struct cache *c, const char *account_id, const char *region,
				 struct ses_account *out, struct sc_error *err);

/* ---- send statistics and reputation metrics ---- */

enum sc_status cache_put_send_points(struct cache *c, const char *account_id,
				     const char *region, const struct ses_send_point *v, size_t n,
				     time_t fetched, struct sc_error *err);
/* Points with from <= ts <= to, oldest first; caller frees *out. */
enum sc_status cache_get_send_points(struct cache *c, const char *account_id,
				     const char *region, time_t from, time_t to,
				     struct ses_send_point **out, size_t *n, struct sc_error *err);

/* Points of one metric ("Reputation.BounceRate"), upserted by ts. */
enum sc_status cache_put_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric,
				       const struct ses_metric_point *v, size_t n, time_t fetched,
				       struct sc_error *err);
/* from <= ts <= to, oldest first; caller frees *out. */
enum sc_status cache_get_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric, time_t from,
				       time_t to, struct ses_metric_point **out, size_t *n,
				       struct sc_error *err);

/* The data's "now": the newest send-statistics or metric point cached for (account,
 * region), 0 when there is none. Views anchored to it show the same picture when the
 * cache is read later (offline), with the data's age in the header. */
enum sc_status cache_data_now(struct cache *c, const char *account_id, const char *region,
			      time_t *out, struct sc_error *err);

#endif

#ifndef SESCTL_SES_METRICS_H
#define SESCTL_SES_METRICS_H

/*
 * CloudWatch GetMetricData (Query protocol, service "monitoring", Version 2010-08-01)
 * for the account reputation metrics SES publishes in AWS/SES: Reputation.BounceRate and
 * Reputation.ComplaintRate, Average over 3600 s buckets. Layers as in ses/sesv2.h.
 *
 * Ownership: series and their point arrays are malloc'd; metrics_series_free().
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

#define METRICS_PERIOD 3600

/* One MetricDataResults member, accumulated over pages. */
struct metrics_series {
	char *id;                         /* "bounce" | "complaint" (the query ids sesctl sends) */
	char *label;
	char *status;                     /* Complete | PartialData | InternalError | Forbidden */
	struct ses_metric_point *points;  /* sorted by time once metrics_sort() ran */
	size_t n_points;
};
void metrics_series_free(struct metrics_series *v, size_t n);
void metrics_sort(struct metrics_series *s);

/* Queries "bounce" (Reputation.BounceRate) and "complaint" (Reputation.ComplaintRate).
 * SC_USAGE when end is not after start. */
enum sc_status metrics_build_get_reputation(struct ses_request *r, time_t start, time_t end,
					    const char *next_token, struct sc_error *err);

/* Appends points to the series with the same Id in (v, n), adding series as needed.
 * Required: GetMetricDataResult, MetricDataResults; each member's Id; Timestamps and
 * Values of equal length with ISO-8601 times and numbers. On failure (v, n) may hold what
 * was read before the bad member: free it with metrics_series_free() either way. */
enum sc_status metrics_parse_get_metric_data(const char *body, size_t len,
					     struct metrics_series **v, size_t *n,
					     char **next_token, struct sc_error *err);

/* All pages; each output array sorted by time (NULL/0 when there is no data). */
enum sc_status metrics_get_reputation(const struct ses_ctx *ctx, time_t start, time_t end,
				      struct ses_metric_point **bounce, size_t *n_bounce,
				      struct ses_metric_point **complaint, size_t *n_complaint,
				      struct sc_error *err);

#endif

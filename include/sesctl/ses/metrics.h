#ifndef SESCTL_SES_METRICS_H
#define SESCTL_SES_METRICS_H

/*
 * CloudWatch GetMetricData (Query protocol, service "monitoring", Version 2010-08-01)
 * for the account reputation metrics SES publishes in AWS/SES: Reputation.BounceRate and
 * Reputation.ComplaintRate, Average over 3600 s buckets. Layers as in ses/sesv2.h.
 *
 * Ownership: series and their point arrays are malloc'd; metrics_series_free().
 */

#include <stdbool.h>
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

/* ---- per configuration set (dimension ses:configuration-set) ---- */

/* SES publishes a set's Reputation.* only when the set has reputation metrics enabled, and
 * its Send/Bounce/Complaint counts only when an event destination of the set publishes to
 * CloudWatch with the dimension ses:configuration-set; ask for what exists. */
struct metrics_set_query {
	const char *name;
	bool rates;   /* Reputation.BounceRate, Reputation.ComplaintRate (Average) */
	bool counts;  /* Send, Bounce, Complaint (Sum) */
};

enum metrics_set_series {
	METRICS_SET_BOUNCE_RATE,
	METRICS_SET_COMPLAINT_RATE,
	METRICS_SET_SEND,
	METRICS_SET_BOUNCE,
	METRICS_SET_COMPLAINT,
	METRICS_SET_SERIES
};
/* The CloudWatch metric name of a series ("Reputation.BounceRate", "Send", …). */
const char *metrics_set_metric(enum metrics_set_series s);

/* One set's series, each sorted by time (NULL/0 when there is no data). */
struct metrics_set {
	struct ses_metric_point *points[METRICS_SET_SERIES];
	size_t n_points[METRICS_SET_SERIES];
};

/* 5 queries per set, GetMetricData takes 500. */
#define METRICS_SETS_PER_CALL 100

/* Query ids: one letter per series and the set's index in v ("b0", "s12"). SC_USAGE for
 * more than METRICS_SETS_PER_CALL sets. */
enum sc_status metrics_build_get_sets(struct ses_request *r, const struct metrics_set_query *v,
				      size_t n, time_t start, time_t end, const char *next_token,
				      struct sc_error *err);
/* All sets, METRICS_SETS_PER_CALL a call, all pages; *out has n entries in q's order:
 * free with metrics_sets_free(). */
enum sc_status metrics_get_sets(const struct ses_ctx *ctx, const struct metrics_set_query *q,
				size_t n, time_t start, time_t end, struct metrics_set **out,
				struct sc_error *err);
void metrics_sets_free(struct metrics_set *v, size_t n);

#endif

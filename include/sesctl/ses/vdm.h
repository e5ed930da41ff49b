#ifndef SESCTL_SES_VDM_H
#define SESCTL_SES_VDM_H

/*
 * SES VDM metric data (BatchGetMetricData).
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

struct sesv2_metric_query {
	const char *id;                   /* 1-255 chars, unique in the batch */
	const char *metric;               /* SEND | COMPLAINT | PERMANENT_BOUNCE | ... */
	const char *dimension;            /* EMAIL_IDENTITY | CONFIGURATION_SET | ISP, or NULL */
	const char *dimension_value;
	time_t start, end;
};
struct sesv2_metric_result {
	char *id;
	struct ses_metric_point *points;  /* sorted by time */
	size_t n_points;
	char *error_code;                 /* set when this query failed (Errors[]) */
	char *error_message;
};
void sesv2_metric_results_free(struct sesv2_metric_result *v, size_t n);
/* 1..10 queries */
enum sc_status sesv2_build_batch_get_metric_data(struct ses_request *r,
						 const struct sesv2_metric_query *q, size_t n,
						 struct sc_error *err);
/* One result per Results[] and Errors[] item. Required: Results (array), each Id;
 * Timestamps and Values of equal length. */
enum sc_status sesv2_parse_batch_get_metric_data(const char *body, size_t len,
						 struct sesv2_metric_result **v, size_t *n,
						 struct sc_error *err);
enum sc_status sesv2_batch_get_metric_data(const struct ses_ctx *ctx,
					   const struct sesv2_metric_query *q, size_t nq,
					   struct sesv2_metric_result **v, size_t *n,
					   struct sc_error *err);

#endif

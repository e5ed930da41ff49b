/* VDM metric data: BatchGetMetricData (SESv2). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/vdm.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

void sesv2_metric_results_free(struct sesv2_metric_result *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].points);
		free(v[i].error_code);
		free(v[i].error_message);
	}
	free(v);
}

static enum sc_status check_metric_query(const struct sesv2_metric_query *q, size_t i,
					 struct sc_error *err)
{
	const char *op = "BatchGetMetricData";

	if (!q->id || !*q->id || strlen(q->id) > 255)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs an id of 1 to 255 characters",
			       op, i + 1);
	if (!q->metric || !*q->metric)
		return sc_fail(err, SC_USAGE, "%s: query %zu has no metric", op, i + 1);
	if (!q->start || !q->end || q->end < q->start)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs a start before its end", op,
			       i + 1);
	if (!q->dimension != !q->dimension_value)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs a dimension and its value",
			       op, i + 1);
	return SC_OK;
}

enum sc_status sesv2_build_batch_get_metric_data(struct ses_request *r,
						 const struct sesv2_metric_query *q, size_t n,
						 struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!q || !n || n > 10)
		return sc_fail(err, SC_USAGE, "BatchGetMetricData: give 1 to 10 queries");
	for (size_t i = 0; i < n; i++) {
		enum sc_status st = check_metric_query(&q[i], i, err);

		if (st != SC_OK)
			return st;
	}
	ses_request_init(r, SES_SVC_SESV2, "BatchGetMetricData", "POST");
	buf_puts(&r->path, "/v2/email/metrics/batch");
	sesv2_json_begin(r);
	ses_json_key(&r->body, "Queries");
	ses_json_open(&r->body, '[');
	for (size_t i = 0; i < n; i++) {
		ses_json_open(&r->body, '{');
		ses_json_kv(&r->body, "Id", q[i].id);
		ses_json_kv(&r->body, "Namespace", "VDM");
		ses_json_kv(&r->body, "Metric", q[i].metric);
		if (q[i].dimension) {
			ses_json_key(&r->body, "Dimensions");
			ses_json_open(&r->body, '{');
			ses_json_kv(&r->body, q[i].dimension, q[i].dimension_value);
			ses_json_close(&r->body, '}');
		}
		ses_json_key(&r->body, "StartDate");
		ses_json_num(&r->body, (double)q[i].start);
		ses_json_key(&r->body, "EndDate");
		ses_json_num(&r->body, (double)q[i].end);
		ses_json_close(&r->body, '}');
	}
	ses_json_close(&r->body, ']');
	ses_json_close(&r->body, '}');
	return SC_OK;
}

static int point_cmp(const void *a, const void *b)
{
	const struct ses_metric_point *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

static void parse_metric_result(struct jr *r, const cJSON *it, struct sesv2_metric_result *x)
{
	const cJSON *ts, *vals, *t, *v;
	size_t k = 0;

	x->id = jr_str(r, it, "Id", JR_REQUIRED);
	ts = jr_arr(r, it, "Timestamps", JR_OPTIONAL);
	vals = jr_arr(r, it, "Values", JR_OPTIONAL);
	if (r->st != SC_OK)
		return;
	if (cJSON_GetArraySize(ts) != cJSON_GetArraySize(vals)) {
		jr_fail_field(r, "Values (not as many as Timestamps)");
		return;
	}
	if (!cJSON_GetArraySize(ts))
		return;
	x->points = xcalloc((size_t)cJSON_GetArraySize(ts), sizeof(*x->points));
	for (t = ts->child, v = vals->child; t && v; t = t->next, v = v->next, k++) {
		if (!jr_time_of(t, &x->points[k].ts) || !cJSON_IsNumber(v)) {
			jr_fail_field(r, "Timestamps/Values");
			return;
		}
		if (!isfinite(v->valuedouble) || v->valuedouble < 0 ||
		    v->valuedouble > SES_COUNT_MAX) {
			jr_fail_field(r, "Values (out of range)");
			return;
		}
		x->points[k].value = v->valuedouble;
	}
	x->n_points = k;
	qsort(x->points, k, sizeof(*x->points), point_cmp);
}

enum sc_status sesv2_parse_batch_get_metric_data(const char *body, size_t len,
						 struct sesv2_metric_result **v, size_t *n,
						 struct sc_error *err)
{
	struct jr r = {"BatchGetMetricData", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *res = jr_arr(&r, root, "Results", JR_REQUIRED);
	const cJSON *errs = jr_arr(&r, root, "Errors", JR_OPTIONAL), *it;
	size_t cap;

	*v = NULL;
	*n = 0;
	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	cap = (size_t)cJSON_GetArraySize(res) + (size_t)cJSON_GetArraySize(errs) + 1;
	*v = xcalloc(cap, sizeof(**v));
	r.scope = "Results[]";
	cJSON_ArrayForEach(it, res) {
		parse_metric_result(&r, it, &(*v)[(*n)++]);
		if (r.st != SC_OK)
			break;
	}
	r.scope = "Errors[]";
	cJSON_ArrayForEach(it, errs) {
		struct sesv2_metric_result *x = &(*v)[(*n)++];

		if (r.st != SC_OK)
			break;
		x->id = jr_str(&r, it, "Id", JR_REQUIRED);
		x->error_code = jr_str(&r, it, "Code", JR_OPTIONAL);
		x->error_message = jr_str(&r, it, "Message", JR_OPTIONAL);
		if (!x->error_code)
			x->error_code = xstrdup("UNKNOWN");
	}
	if (r.st != SC_OK) {
		sesv2_metric_results_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_batch_get_metric_data(const struct ses_ctx *ctx,
					   const struct sesv2_metric_query *q, size_t nq,
					   struct sesv2_metric_result **v, size_t *n,
					   struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_batch_get_metric_data(&r, q, nq, err);

	*v = NULL;
	*n = 0;
	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_batch_get_metric_data(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

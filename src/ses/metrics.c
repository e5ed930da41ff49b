#include "sesctl/ses/metrics.h"

#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/model.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#define OP "GetMetricData"

static const struct {
	const char *id;
	const char *metric;
} reputation[] = {
	{"bounce", "Reputation.BounceRate"},
	{"complaint", "Reputation.ComplaintRate"},
};

void metrics_series_free(struct metrics_series *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].label);
		free(v[i].status);
		free(v[i].points);
	}
	free(v);
}

static int point_cmp(const void *a, const void *b)
{
	const struct ses_metric_point *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

void metrics_sort(struct metrics_series *s)
{
	if (s->n_points > 1)
		qsort(s->points, s->n_points, sizeof(*s->points), point_cmp);
}

enum sc_status metrics_build_get_reputation(struct ses_request *r, time_t start, time_t end,
					    const char *next_token, struct sc_error *err)
{
	char ts[32];

	memset(r, 0, sizeof(*r));
	if (start <= 0 || end <= start)
		return sc_fail(err, SC_USAGE, "%s: the time range must end after it starts", OP);
	ses_request_init_query(r, SES_SVC_MONITORING, OP, "2010-08-01");
	for (size_t i = 0; i < sizeof(reputation) / sizeof(reputation[0]); i++) {
		const char *q = "MetricDataQueries.member";

		ses_param_addf(&r->body, reputation[i].id, "%s.%zu.Id", q, i + 1);
		ses_param_addf(&r->body, "AWS/SES", "%s.%zu.MetricStat.Metric.Namespace", q, i + 1);
		ses_param_addf(&r->body, reputation[i].metric, "%s.%zu.MetricStat.Metric.MetricName",
			       q, i + 1);
		ses_param_addf(&r->body, "3600", "%s.%zu.MetricStat.Period", q, i + 1);
		ses_param_addf(&r->body, "Average", "%s.%zu.MetricStat.Stat", q, i + 1);
		ses_param_addf(&r->body, "true", "%s.%zu.ReturnData", q, i + 1);
	}
	ses_iso8601(start, ts, sizeof(ts));
	ses_param_add(&r->body, "StartTime", ts);
	ses_iso8601(end, ts, sizeof(ts));
	ses_param_add(&r->body, "EndTime", ts);
	if (next_token && *next_token)
		ses_param_add(&r->body, "NextToken", next_token);
	return SC_OK;
}

static struct metrics_series *series_for(struct metrics_series **v, size_t *n, const char *id)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].id, id))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].id = xstrdup(id);
	return &(*v)[(*n)++];
}

static enum sc_status add_points(struct metrics_series *s, xmlNode *m, struct sc_error *err)
{
	xmlNode *ts = xml_child(m, "Timestamps"), *vals = xml_child(m, "Values"), *t, *v;
	size_t k = xml_count(ts, "member");
	enum sc_status st;

	if (k != xml_count(vals, "member"))
		return xr_fail_field(err, OP, "Values (not as many as Timestamps)");
	if (!k)
		return SC_OK;
	s->points = xrealloc(s->points, (s->n_points + k) * sizeof(*s->points));
	t = xml_next(ts, NULL, "member");
	v = xml_next(vals, NULL, "member");
	for (; t && v; t = xml_next(ts, t, "member"), v = xml_next(vals, v, "member")) {
		struct ses_metric_point *p = &s->points[s->n_points];

		if (!xml_path_time(t, "", &p->ts))
			return xr_fail_field(err, OP, "MetricDataResults.member.Timestamps/Values");
		/* rates (0..1) and counts: nothing negative, infinite or beyond 2^53 */
		st = xr_double_in(v, "", true, 0, SES_COUNT_MAX, &p->value, OP, err);
		if (st)
			return st;
		s->n_points++;
	}
	return SC_OK;
}

enum sc_status metrics_parse_get_metric_data(const char *body, size_t len,
					     struct metrics_series **v, size_t *n,
					     char **next_token, struct sc_error *err)
{
	xmlNode *result, *list;
	xmlDoc *doc = xr_open(body, len, OP, true, &result, err);
	enum sc_status st = SC_OK;

	if (!doc)
		return SC_BAD_REPLY;
	list = xml_child(result, "MetricDataResults");
	if (!list)
		st = xr_fail_field(err, OP, "MetricDataResults");
	for (xmlNode *m = xml_next(list, NULL, "member"); m && st == SC_OK;
	     m = xml_next(list, m, "member")) {
		char *id = xml_path_text(m, "Id");
		struct metrics_series *s;

		if (!id || !*id) {
			free(id);
			st = xr_fail_field(err, OP, "MetricDataResults.member.Id");
			break;
		}
		s = series_for(v, n, id);
		free(id);
		if (!s->label)
			s->label = xml_path_text(m, "Label");
		free(s->status);
		s->status = xml_path_text(m, "StatusCode");
		st = add_points(s, m, err);
	}
	if (st == SC_OK && next_token) {
		free(*next_token);
		*next_token = xml_path_text(result, "NextToken");
		if (*next_token && !**next_token) {
			free(*next_token);
			*next_token = NULL;
		}
	}
	xml_free(doc);
	return st;
}

static void take_series(struct metrics_series *v, size_t n, const char *id,
			struct ses_metric_point **out, size_t *n_out)
{
	for (size_t i = 0; i < n; i++) {
		if (strcmp(v[i].id, id))
			continue;
		metrics_sort(&v[i]);
		*out = v[i].points;
		*n_out = v[i].n_points;
		v[i].points = NULL;
		v[i].n_points = 0;
		return;
	}
}

enum sc_status metrics_get_reputation(const struct ses_ctx *ctx, time_t start, time_t end,
				      struct ses_metric_point **bounce, size_t *n_bounce,
				      struct ses_metric_point **complaint, size_t *n_complaint,
				      struct sc_error *err)
{
	struct metrics_series *v = NULL;
	size_t n = 0;
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = OP};
	enum sc_status st = SC_OK;

	*bounce = *complaint = NULL;
	*n_bounce = *n_complaint = 0;
	for (int page = 0; st == SC_OK && page < 1000; page++) {
		struct ses_request r;
		struct aws_reply reply;

		st = metrics_build_get_reputation(&r, start, end, token, err);
		if (st != SC_OK)
			break;
		st = ses_call(ctx, &r, &reply, err);
		ses_request_free(&r);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = metrics_parse_get_metric_data(reply.body.data, reply.body.len, &v, &n, &token,
						   err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, n, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
	free(token);
	if (st == SC_OK) {
		take_series(v, n, "bounce", bounce, n_bounce);
		take_series(v, n, "complaint", complaint, n_complaint);
	}
	metrics_series_free(v, n);
	return st;
}

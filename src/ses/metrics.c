#include "sesctl/ses/metrics.h"

#include <ctype.h>
#include <stdio.h>
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

/* Per-set queries: id letter + set index. Rates are Averages, counts Sums. */
static const struct {
	char id;
	const char *metric, *stat;
	bool rate;
} per_set[METRICS_SET_SERIES] = {
	[METRICS_SET_BOUNCE_RATE] = {'b', "Reputation.BounceRate", "Average", true},
	[METRICS_SET_COMPLAINT_RATE] = {'c', "Reputation.ComplaintRate", "Average", true},
	[METRICS_SET_SEND] = {'s', "Send", "Sum", false},
	[METRICS_SET_BOUNCE] = {'x', "Bounce", "Sum", false},
	[METRICS_SET_COMPLAINT] = {'k', "Complaint", "Sum", false},
};

const char *metrics_set_metric(enum metrics_set_series s)
{
	return (unsigned)s < METRICS_SET_SERIES ? per_set[s].metric : "";
}

static void add_set_query(struct ses_request *r, size_t *q, size_t set, const char *name,
			  enum metrics_set_series s)
{
	const char *m = "MetricDataQueries.member";
	char id[32];

	snprintf(id, sizeof(id), "%c%zu", per_set[s].id, set);
	(*q)++;
	ses_param_addf(&r->body, id, "%s.%zu.Id", m, *q);
	ses_param_addf(&r->body, "AWS/SES", "%s.%zu.MetricStat.Metric.Namespace", m, *q);
	ses_param_addf(&r->body, per_set[s].metric, "%s.%zu.MetricStat.Metric.MetricName", m, *q);
	ses_param_addf(&r->body, "ses:configuration-set",
		       "%s.%zu.MetricStat.Metric.Dimensions.member.1.Name", m, *q);
	ses_param_addf(&r->body, name, "%s.%zu.MetricStat.Metric.Dimensions.member.1.Value", m,
		       *q);
	ses_param_addf(&r->body, "3600", "%s.%zu.MetricStat.Period", m, *q);
	ses_param_addf(&r->body, per_set[s].stat, "%s.%zu.MetricStat.Stat", m, *q);
	ses_param_addf(&r->body, "true", "%s.%zu.ReturnData", m, *q);
}

enum sc_status metrics_build_get_sets(struct ses_request *r, const struct metrics_set_query *v,
				      size_t n, time_t start, time_t end, const char *next_token,
				      struct sc_error *err)
{
	char ts[32];
	size_t q = 0;

	memset(r, 0, sizeof(*r));
	if (start <= 0 || end <= start)
		return sc_fail(err, SC_USAGE, "%s: the time range must end after it starts", OP);
	if (n > METRICS_SETS_PER_CALL)
		return sc_fail(err, SC_USAGE, "%s: at most %d configuration sets per call", OP,
			       METRICS_SETS_PER_CALL);
	ses_request_init_query(r, SES_SVC_MONITORING, OP, "2010-08-01");
	for (size_t i = 0; i < n; i++)
		for (int s = 0; s < METRICS_SET_SERIES; s++)
			if (per_set[s].rate ? v[i].rates : v[i].counts)
				add_set_query(r, &q, i, v[i].name, (enum metrics_set_series)s);
	ses_iso8601(start, ts, sizeof(ts));
	ses_param_add(&r->body, "StartTime", ts);
	ses_iso8601(end, ts, sizeof(ts));
	ses_param_add(&r->body, "EndTime", ts);
	if (next_token && *next_token)
		ses_param_add(&r->body, "NextToken", next_token);
	return SC_OK;
}

/* Series "b12" → set 12, METRICS_SET_BOUNCE_RATE; false for ids sesctl did not send. */
static bool set_series_of(const char *id, size_t n, size_t *set, enum metrics_set_series *s)
{
	char *end;
	unsigned long k;

	for (int i = 0; i < METRICS_SET_SERIES; i++) {
		if (id[0] != per_set[i].id || !isdigit((unsigned char)id[1]))
			continue;
		k = strtoul(id + 1, &end, 10);
		if (*end || k >= n)
			return false;
		*set = k;
		*s = (enum metrics_set_series)i;
		return true;
	}
	return false;
}

static enum sc_status get_sets_chunk(const struct ses_ctx *ctx, const struct metrics_set_query *q,
				     size_t n, time_t start, time_t end, struct metrics_set *out,
				     struct sc_error *err)
{
	struct metrics_series *v = NULL;
	size_t nv = 0;
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = OP};
	enum sc_status st = SC_OK;

	for (int page = 0; st == SC_OK && page < 1000; page++) {
		struct ses_request r;
		struct aws_reply reply;

		st = metrics_build_get_sets(&r, q, n, start, end, token, err);
		if (st != SC_OK)
			break;
		st = ses_call(ctx, &r, &reply, err);
		ses_request_free(&r);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = metrics_parse_get_metric_data(reply.body.data, reply.body.len, &v, &nv, &token,
						   err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, nv, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
	free(token);
	for (size_t i = 0; st == SC_OK && i < nv; i++) {
		size_t k;
		enum metrics_set_series s;

		if (!set_series_of(v[i].id, n, &k, &s))
			continue;
		take_series(v, nv, v[i].id, &out[k].points[s], &out[k].n_points[s]);
	}
	metrics_series_free(v, nv);
	return st;
}

void metrics_sets_free(struct metrics_set *v, size_t n)
{
	for (size_t i = 0; v && i < n; i++)
		for (int s = 0; s < METRICS_SET_SERIES; s++)
			free(v[i].points[s]);
	free(v);
}

enum sc_status metrics_get_sets(const struct ses_ctx *ctx, const struct metrics_set_query *q,
				size_t n, time_t start, time_t end, struct metrics_set **out,
				struct sc_error *err)
{
	enum sc_status st = SC_OK;

	*out = xcalloc(n + 1, sizeof(**out));
	for (size_t i = 0; i < n && st == SC_OK; i += METRICS_SETS_PER_CALL) {
		size_t k = n - i < METRICS_SETS_PER_CALL ? n - i : METRICS_SETS_PER_CALL;

		st = get_sets_chunk(ctx, q + i, k, start, end, *out + i, err);
	}
	if (st != SC_OK) {
		metrics_sets_free(*out, n);
		*out = NULL;
	}
	return st;
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

/* Configuration sets as streams: per-set rates, counts and feedback routing, from the cache. */
#include "sesctl/core/streams.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/health.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/util/buf.h"

/* The latest point at or before `at`, no older than STREAMS_RATE_MAX_AGE. */
static enum sc_status latest_at(struct cache *c, const char *account, const char *region,
				const char *set, const char *metric, time_t at, double *value,
				time_t *ts, bool *found, struct sc_error *err)
{
	char key[CACHE_SET_METRIC_MAX];
	struct ses_metric_point *v = NULL;
	size_t n = 0;
	enum sc_status st;

	*found = false;
	cache_set_metric_key(key, sizeof(key), set, metric);
	st = cache_get_metric_points(c, account, region, key, at - STREAMS_RATE_MAX_AGE, at, &v,
				     &n, err);
	if (st == SC_OK && n) {
		*value = v[n - 1].value;
		*ts = v[n - 1].ts;
		*found = true;
	}
	free(v);
	return st;
}

/* Sum of a count series over (at - 24 h, at]. */
static enum sc_status sum_24h(struct cache *c, const char *account, const char *region,
			      const char *set, const char *metric, time_t at, double *sum,
			      bool *found, struct sc_error *err)
{
	char key[CACHE_SET_METRIC_MAX];
	struct ses_metric_point *v = NULL;
	size_t n = 0;
	enum sc_status st;

	cache_set_metric_key(key, sizeof(key), set, metric);
	st = cache_get_metric_points(c, account, region, key, at - 86400 + 1, at, &v, &n, err);
	*sum = 0;
	for (size_t i = 0; i < n; i++)
		*sum += v[i].value;
	*found = n > 0;
	free(v);
	return st;
}

static enum sc_status load_one(struct cache *c, const char *account, const char *region,
			       time_t at, struct stream *s, struct sc_error *err)
{
	const char *name = s->set.name;
	double b = 0, k = 0;
	time_t tb = 0, tk = 0;
	bool fb = false, fk = false, fs = false, ignored;
	enum sc_status st;

	s->no_bounce_dest = !ses_config_set_receives(&s->set, SES_EVENT_BOUNCE);
	s->no_complaint_dest = !ses_config_set_receives(&s->set, SES_EVENT_COMPLAINT);
	st = latest_at(c, account, region, name, "Reputation.BounceRate", at, &b, &tb, &fb, err);
	if (st == SC_OK)
		st = latest_at(c, account, region, name, "Reputation.ComplaintRate", at, &k, &tk,
			       &fk, err);
	if (st == SC_OK && (fb || fk)) {
		s->has_rates = true;
		s->bounce_rate = fb ? b : 0;
		s->complaint_rate = fk ? k : 0;
		s->rate_ts = tb > tk ? tb : tk;
	}
	if (st == SC_OK)
		st = sum_24h(c, account, region, name, "Send", at, &s->sends_24h, &fs, err);
	if (st == SC_OK)
		st = sum_24h(c, account, region, name, "Bounce", at, &s->bounces_24h, &ignored, err);
	if (st == SC_OK)
		st = sum_24h(c, account, region, name, "Complaint", at, &s->complaints_24h, &ignored,
			     err);
	s->has_counts = fs;
	return st;
}

static enum sc_status account_counts(struct cache *c, const char *account, const char *region,
				     struct streams *out, struct sc_error *err)
{
	struct ses_send_point *v = NULL;
	size_t n = 0;
	enum sc_status st = cache_get_send_points(c, account, region, out->at - 86400 + 1, out->at,
						  &v, &n, err);

	for (size_t i = 0; st == SC_OK && i < n; i++) {
		out->sends_24h += (double)v[i].delivery_attempts;
		out->bounces_24h += (double)v[i].bounces;
		out->complaints_24h += (double)v[i].complaints;
	}
	out->has_account_counts = st == SC_OK && n > 0;
	free(v);
	return st;
}

enum sc_status streams_load(struct cache *c, const char *account, const char *region, time_t at,
			    struct streams *out, struct sc_error *err)
{
	struct ses_config_set *sets = NULL;
	size_t n = 0;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	if (!at) {
		st = cache_data_now(c, account, region, &at, err);
		if (st != SC_OK)
			return st;
		if (!at)
			at = time(NULL);
	}
	out->at = at;
	st = cache_get_config_sets(c, account, region, &sets, &n, err);
	if (st != SC_OK)
		return st;
	out->v = xcalloc(n + 1, sizeof(*out->v));
	for (size_t i = 0; i < n; i++) {
		out->v[i].set = sets[i]; /* moved */
		out->n++;
		if (st == SC_OK)
			st = load_one(c, account, region, at, &out->v[i], err);
	}
	free(sets);
	if (st == SC_OK)
		st = account_counts(c, account, region, out, err);
	if (st != SC_OK)
		streams_free(out);
	return st;
}

void streams_free(struct streams *s)
{
	for (size_t i = 0; i < s->n; i++)
		ses_config_set_free(&s->v[i].set);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

const struct stream *streams_find(const struct streams *s, const char *name)
{
	for (size_t i = 0; name && i < s->n; i++)
		if (s->v[i].set.name && !strcmp(s->v[i].set.name, name))
			return &s->v[i];
	return NULL;
}

void streams_dest_summary(const struct ses_config_set *x, char *out, size_t size)
{
	struct buf b = {0};

	for (size_t i = 0; i < x->n_dests; i++) {
		const struct ses_event_dest *d = &x->dests[i];
		bool fb = d->events & SES_EVENT_BIT(SES_EVENT_BOUNCE);
		bool fc = d->events & SES_EVENT_BIT(SES_EVENT_COMPLAINT);

		if (!d->enabled)
			continue;
		if (b.len)
			buf_putc(&b, ' ');
		buf_puts(&b, ses_dest_name(d->kind));
		if ((fb || fc) && d->kind != SES_DEST_CLOUDWATCH)
			buf_printf(&b, ":%s%s%s", fb ? "bounce" : "", fb && fc ? "," : "",
				   fc ? "complaint" : "");
	}
	snprintf(out, size, "%s", b.len ? b.data : "-");
	buf_free(&b);
}

static double rate_of(const struct stream *s, int metric)
{
	return metric ? s->complaint_rate : s->bounce_rate;
}

bool streams_no_set_rate(const struct streams *s, int metric, double *rate)
{
	double sends = s->sends_24h, bad = metric ? s->complaints_24h : s->bounces_24h;

	if (!s->has_account_counts)
		return false;
	for (size_t i = 0; i < s->n; i++) {
		const struct stream *x = &s->v[i];

		if (!x->has_counts) {
			if (x->set.sending_enabled)
				return false; /* it may send, and how much is not known */
			continue;
		}
		sends -= x->sends_24h;
		bad -= metric ? x->complaints_24h : x->bounces_24h;
	}
	if (sends < 0.5)
		return false;
	*rate = bad > 0 ? bad / sends : 0;
	return true;
}

static int by_rate_desc(const void *a, const void *b, void *metric)
{
	double x = rate_of(*(const struct stream *const *)a, *(int *)metric);
	double y = rate_of(*(const struct stream *const *)b, *(int *)metric);

	return (x < y) - (x > y);
}

void streams_breakdown(const struct streams *s, int metric, char *out, size_t size)
{
	const struct stream **order = xcalloc(s->n + 1, sizeof(*order));
	struct buf b = {0};
	size_t k = 0;
	double none;

	for (size_t i = 0; i < s->n; i++)
		if (s->v[i].has_rates)
			order[k++] = &s->v[i];
	qsort_r(order, k, sizeof(*order), by_rate_desc, &metric);
	for (size_t i = 0; i < k; i++)
		buf_printf(&b, "%s%s %.*f %%", i ? ", " : "", order[i]->set.name, metric ? 2 : 1,
			   100 * rate_of(order[i], metric));
	if (k && streams_no_set_rate(s, metric, &none))
		buf_printf(&b, ", no set %.*f %%", metric ? 2 : 1, 100 * none);
	snprintf(out, size, "%s", b.len ? b.data : "");
	buf_free(&b);
	free(order);
}

const struct stream *streams_culprit(const struct streams *s, int metric)
{
	double line = health_thresholds[metric ? HEALTH_COMPLAINT_REVIEW : HEALTH_BOUNCE_REVIEW].rate;
	const struct stream *over = NULL;

	for (size_t i = 0; i < s->n; i++) {
		if (!s->v[i].has_rates || rate_of(&s->v[i], metric) < line)
			continue;
		if (over)
			return NULL;
		over = &s->v[i];
	}
	return over;
}

#include "sesctl/core/health.h"

#include <math.h>
#include <stdlib.h>

#include "sesctl/util/buf.h"

const struct health_threshold_row health_thresholds[HEALTH_THRESHOLD_COUNT] = {
#define HEALTH_ROW(id, metric, rate, label) {metric, rate, label},
    HEALTH_THRESHOLDS(HEALTH_ROW)
#undef HEALTH_ROW
};

enum health_level health_level(enum health_metric m, double rate)
{
	double review = m == HEALTH_BOUNCE ? health_thresholds[HEALTH_BOUNCE_REVIEW].rate
	                                   : health_thresholds[HEALTH_COMPLAINT_REVIEW].rate;
	double pause = m == HEALTH_BOUNCE ? health_thresholds[HEALTH_BOUNCE_PAUSE].rate
	                                  : health_thresholds[HEALTH_COMPLAINT_PAUSE].rate;

	if (isnan(rate))
		return HEALTH_OK;
	if (rate >= pause)
		return HEALTH_PAUSE;
	if (rate >= review)
		return HEALTH_REVIEW;
	if (rate >= 0.8 * review)
		return HEALTH_WARN;
	return HEALTH_OK;
}

const char *health_level_word(enum health_level l)
{
	static const char *const words[] = {"ok", "warning", "review", "pause"};

	return (unsigned)l < 4 ? words[l] : "?";
}

void health_days(const struct ses_send_point *v, size_t n, time_t from, time_t to,
                 struct health_day **out, size_t *n_out)
{
	time_t first = from - from % 86400, last = to - to % 86400;
	size_t days = last >= first ? (size_t)((last - first) / 86400) + 1 : 0;
	struct health_day *d = xcalloc(days + 1, sizeof(*d));

	for (size_t i = 0; i < days; i++)
		d[i].day = first + (time_t)i * 86400;
	for (size_t i = 0; i < n; i++) {
		struct health_day *x;

		if (v[i].ts < first || v[i].ts >= last + 86400)
			continue;
		x = &d[(v[i].ts - first) / 86400];
		x->attempts += v[i].delivery_attempts;
		x->bounces += v[i].bounces;
		x->complaints += v[i].complaints;
		x->rejects += v[i].rejects;
	}
	for (size_t i = 0; i < days; i++) {
		d[i].bounce_rate = d[i].attempts ? (double)d[i].bounces / d[i].attempts : NAN;
		d[i].complaint_rate = d[i].attempts ? (double)d[i].complaints / d[i].attempts : NAN;
	}
	*out = d;
	*n_out = days;
}

#ifndef SESCTL_CORE_HEALTH_H
#define SESCTL_CORE_HEALTH_H

/*
 * Reputation thresholds and verdicts. SES puts an account under review when its bounce
 * rate reaches 5 % (and may pause sending at 10 %); for complaints the lines are 0.1 %
 * and 0.5 %. Mailbox providers' spam-rate line (Gmail/Yahoo bulk-sender rules) is 0.3 %.
 * HEALTH_THRESHOLDS feeds the graphs' labelled lines, the CLI's verdicts and the docs.
 */

#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"

/* id, metric, rate (fraction), label */
#define HEALTH_THRESHOLDS(_)                                              \
	_(BOUNCE_REVIEW, HEALTH_BOUNCE, 0.05, "bounce review 5%")          \
	_(BOUNCE_PAUSE, HEALTH_BOUNCE, 0.10, "bounce pause 10%")           \
	_(COMPLAINT_REVIEW, HEALTH_COMPLAINT, 0.001, "complaint review 0.1%") \
	_(SPAM_RATE, HEALTH_COMPLAINT, 0.003, "provider spam rate 0.3%")   \
	_(COMPLAINT_PAUSE, HEALTH_COMPLAINT, 0.005, "complaint pause 0.5%")

enum health_metric { HEALTH_BOUNCE, HEALTH_COMPLAINT };

enum health_threshold {
#define HEALTH_ENUM(id, metric, rate, label) HEALTH_##id,
	HEALTH_THRESHOLDS(HEALTH_ENUM)
#undef HEALTH_ENUM
	HEALTH_THRESHOLD_COUNT
};

struct health_threshold_row {
	enum health_metric metric;
	double rate;
	const char *label;
};
extern const struct health_threshold_row health_thresholds[HEALTH_THRESHOLD_COUNT];

enum health_level { HEALTH_OK, HEALTH_WARN, HEALTH_REVIEW, HEALTH_PAUSE };

/* Verdict for a rate: OK; WARN (complaints above the providers' 0.3 % line, or within
 * 80 % of a review line); REVIEW; PAUSE. */
enum health_level health_level(enum health_metric m, double rate);
const char *health_level_word(enum health_level l); /* "ok" "warning" "review" "pause" */

/* One day (UTC) of send statistics, summed from 15-minute points. */
struct health_day {
	time_t day;                 /* 00:00 UTC */
	long long attempts, bounces, complaints, rejects;
	double bounce_rate, complaint_rate; /* NaN when no attempts */
};

/* Sum points (any order) into days from `from` to `to`; *out is malloc'd. */
void health_days(const struct ses_send_point *v, size_t n, time_t from, time_t to,
		 struct health_day **out, size_t *n_out);

#endif

#ifndef SESCTL_CORE_STREAMS_H
#define SESCTL_CORE_STREAMS_H

/*
 * Streams: the account's configuration sets as an operator reads them in an incident,
 * from the cache only (sync fills it: store/config_sets.h for the sets, per-set metric
 * series under cache_set_metric_key()). Shared by `sesctl config-sets`, `config-set show`,
 * the Streams pane and the Reputation pane's breakdown, so they all say the same numbers.
 *
 * A set's rate comes from its own Reputation.* series (SES publishes it only when the set
 * has reputation metrics enabled): the latest point at or before the time asked for, no
 * older than STREAMS_RATE_MAX_AGE. A set without reputation metrics has no rate — never a
 * 0 % — and says how to get one.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"
#include "sesctl/util/err.h"

#define STREAMS_RATE_MAX_AGE (2 * 86400)

struct stream {
	struct ses_config_set set;  /* owned */
	bool has_rates;             /* a Reputation.* point was found */
	double bounce_rate, complaint_rate; /* fractions */
	time_t rate_ts;
	bool has_counts;            /* Send/Bounce/Complaint series (a CloudWatch destination) */
	double sends_24h, bounces_24h, complaints_24h;
	bool no_bounce_dest;        /* no enabled destination receives BOUNCE */
	bool no_complaint_dest;
};

struct streams {
	struct stream *v;           /* by name */
	size_t n;
	time_t at;
	bool has_account_counts;    /* the account's send statistics cover the 24 h before at */
	double sends_24h, bounces_24h, complaints_24h;
};

/* Every cached set of (account, region) with its figures at `at` (rates) and for the 24 h
 * before it (counts), and the account's counts for the same 24 h. at 0: the data's now
 * (cache_data_now(), else the clock), so a cache read later shows the same picture. Free
 * with streams_free(). An empty cache is SC_OK with n = 0. */
enum sc_status streams_load(struct cache *c, const char *account, const char *region, time_t at,
			    struct streams *out, struct sc_error *err);
void streams_free(struct streams *s);
const struct stream *streams_find(const struct streams *s, const char *name);

/* "SNS:bounce,complaint CW EventBridge" — each enabled destination's kind, with the
 * feedback events it receives for SNS/EventBridge; "-" when none. Disabled ones are
 * left out. */
void streams_dest_summary(const struct ses_config_set *x, char *out, size_t size);

/* What a set without reputation metrics shows instead of a rate (printf: the set's name). */
#define STREAMS_NO_RATES_HINT "reputation metrics off: sesctl config-set set %s --reputation-metrics on"

/* One sentence: which stream explains the account's rate at `at`. For each set with a rate
 * at s->at, "name R %", highest first, then "no set R %" (streams_no_set_rate()).
 * metric: 0 bounce, 1 complaint. Writes "" when no set has a rate. */
void streams_breakdown(const struct streams *s, int metric, char *out, size_t size);
/* The "no set" share of the account's 24 h counts (the account's minus every set's): false
 * when it cannot be known — a set that may send has no counts, or the account has none.
 * metric: 0 bounce, 1 complaint. */
bool streams_no_set_rate(const struct streams *s, int metric, double *rate);

/* The set that explains a spike: the one with the highest rate over the review line of
 * the metric while the others stay under it; NULL when none or several are over. */
const struct stream *streams_culprit(const struct streams *s, int metric);

#endif

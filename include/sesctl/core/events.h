#ifndef SESCTL_CORE_EVENTS_H
#define SESCTL_CORE_EVENTS_H

/*
 * The events tap: an SQS queue that sesctl creates and owns, subscribed to one SNS topic
 * that carries SES feedback, read into the cache (store/feedback.h) and emptied.
 *
 *   tap    CreateQueue "sesctl-tap-<topic name>-<8 hex of the topic ARN's hash>" with a
 *          policy that lets only that topic send (aws:SourceArn), 4 days' retention;
 *          Subscribe (protocol sqs, raw delivery off); record it. A tap that exists is
 *          left as it is (SC_CONFLICT, naming it).
 *   untap  Unsubscribe and DeleteQueue of the recorded tap only — never a queue or
 *          subscription sesctl did not create; forget it. A queue or subscription already
 *          gone is not an error.
 *   drain  For each tap: ReceiveMessage (10 at a time), parse each body (both SES schemas,
 *          ses/events.h), store the rows, and only then DeleteMessageBatch what was stored:
 *          a kill at any point loses nothing (rows are deduplicated on the way in). A body
 *          that cannot be parsed stays in the queue and is counted with its reason.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/events.h"
#include "sesctl/ses/request.h"
#include "sesctl/store/feedback.h"
#include "sesctl/util/err.h"

#define EVENTS_TAP_PREFIX "sesctl-tap-"
#define EVENTS_TAP_RETENTION 345600 /* 4 days, in seconds */

/* The queue name of topic_arn's tap into out (at least 81 bytes). */
void events_tap_queue_name(const char *topic_arn, char *out, size_t size);

/* Create the tap (see above) and record it; *out (may be NULL) gets a copy (free with
 * cache_taps_free(out, 1)). On a failure after the queue was made, the queue is deleted
 * again, so nothing of sesctl's is left behind. */
enum sc_status events_tap(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			  const char *topic_arn, struct cache_tap **out, struct sc_error *err);
/* Remove one recorded tap. */
enum sc_status events_untap(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const struct cache_tap *tap, struct sc_error *err);

struct events_drain_opts {
	int wait_s;                  /* long poll of each receive, 0–20 */
	size_t max_receives;         /* per tap and call; 0: until the queue is empty */
	const volatile sig_atomic_t *cancel;
	/* each batch's rows once stored (a redelivered message's rows come again) */
	void (*on_rows)(void *ud, const struct ses_events *rows);
	void *ud;
};

struct events_drain_report {
	size_t taps;                 /* taps read */
	size_t received;             /* messages received */
	size_t added;                /* new rows stored */
	size_t bad;                  /* messages left in the queue: unreadable */
	char bad_reason[SC_ERR_MSG_MAX];        /* the first one's reason */
	size_t gone;                 /* taps whose queue no longer exists */
	char gone_topic[256];        /* the first one's topic */
};

/* Drain every recorded tap of (account, region). A tap whose queue is gone is reported,
 * not fatal. Errors that stop a tap (network, credentials) end the call with that status
 * after what was read is stored. */
enum sc_status events_drain(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const struct events_drain_opts *o, struct events_drain_report *rep,
			    struct sc_error *err);

/* The most frequent keys among evs, most first — bounce reasons (a bounce's diagnostic
 * code, else its subtype) or, with domains, recipient domains: at most max into out
 * (keys borrowed from evs; the first EVENTS_TOP_KEYS distinct keys are counted). Returns
 * the number written. The Events pane and `sesctl events` show the same top lists. */
#define EVENTS_TOP_KEYS 64
struct events_tally {
	const char *key;
	size_t n;
};
size_t events_top(const struct ses_events *evs, bool domains, struct events_tally *out,
		  size_t max);

#endif

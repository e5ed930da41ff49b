#ifndef SESCTL_STORE_FEEDBACK_H
#define SESCTL_STORE_FEEDBACK_H

/*
 * Cached feedback routing and events (CACHE_KIND_FEEDBACK):
 *   - each identity's own notification settings (v1 GetIdentityNotificationAttributes);
 *   - the SNS topics those settings and the configuration sets' SNS destinations name,
 *     with what the last check found;
 *   - the events taps sesctl created (its own SQS queue subscribed to a topic);
 *   - the events read from the taps, kept beyond the queue's retention.
 * Ownership and errors: as db.h says.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/events.h"
#include "sesctl/ses/feedback.h"
#include "sesctl/store/db.h"

/* ---- notification settings ---- */

/* Upsert n identities' settings (read at `fetched`) and drop the settings of identities
 * no longer cached, in one transaction. The kind is not marked: sync marks it when every
 * identity's settings are current (cache_notif_attrs_stale() finds none). */
enum sc_status cache_put_notif_attrs(struct cache *c, const char *account_id, const char *region,
				     const struct ses_notif_attrs *v, size_t n, time_t fetched,
				     struct sc_error *err);
/* Names of cached identities whose settings were never read or were read before `before`,
 * the stalest first, at most limit (0: all). Free with cache_names_free(). */
enum sc_status cache_notif_attrs_stale(struct cache *c, const char *account_id,
				       const char *region, time_t before, size_t limit,
				       char ***names, size_t *n, struct sc_error *err);
enum sc_status cache_get_notif_attrs(struct cache *c, const char *account_id, const char *region,
				     struct ses_notif_attrs **out, size_t *n,
				     struct sc_error *err);
/* Those of the identities from..to (names compared bytewise, both included; NULL: no
 * bound), sorted; what a first screen of identities needs. */
enum sc_status cache_get_notif_attrs_range(struct cache *c, const char *account_id,
					   const char *region, const char *from, const char *to,
					   struct ses_notif_attrs **out, size_t *n,
					   struct sc_error *err);
void cache_notif_attrs_free(struct ses_notif_attrs *v, size_t n);

/* ---- SNS topics ---- */

enum cache_topic_state {
	CACHE_TOPIC_UNCHECKED = 0,
	CACHE_TOPIC_EXISTS,      /* read; confirmed/pending say who listens */
	CACHE_TOPIC_NOT_FOUND,   /* SNS says NotFound: deleted, or never created */
	CACHE_TOPIC_DENIED,      /* access denied (often: another account's topic) */
	CACHE_TOPIC_ERROR,       /* the check failed otherwise (detail says how) */
};

struct cache_topic {
	char *arn;
	enum cache_topic_state state;
	long confirmed, pending;  /* -1: unknown */
	char *subscribers;        /* "sqs:ops-feedback, email:o…@x (pending)"; NULL: none read */
	char *detail;             /* the error's sentence, NULL when none */
	time_t checked;
};

enum sc_status cache_put_topics_replace(struct cache *c, const char *account_id,
					const char *region, const struct cache_topic *v, size_t n,
					struct sc_error *err);
enum sc_status cache_put_topic(struct cache *c, const char *account_id, const char *region,
			       const struct cache_topic *t, struct sc_error *err);
enum sc_status cache_get_topics(struct cache *c, const char *account_id, const char *region,
				struct cache_topic **out, size_t *n, struct sc_error *err);
void cache_topic_free(struct cache_topic *t);
void cache_topics_free(struct cache_topic *v, size_t n);

/* ---- taps ---- */

struct cache_tap {
	char *topic_arn;
	char *queue_url;
	char *queue_arn;
	char *sub_arn;            /* NULL until the subscription exists */
	time_t created;
	time_t last_read;         /* last receive that reached the queue; 0: never */
};

enum sc_status cache_put_tap(struct cache *c, const char *account_id, const char *region,
			     const struct cache_tap *t, struct sc_error *err);
enum sc_status cache_get_taps(struct cache *c, const char *account_id, const char *region,
			      struct cache_tap **out, size_t *n, struct sc_error *err);
/* SC_OK when it was not there. */
enum sc_status cache_delete_tap(struct cache *c, const char *account_id, const char *region,
				const char *topic_arn, struct sc_error *err);
enum sc_status cache_touch_tap(struct cache *c, const char *account_id, const char *region,
			       const char *topic_arn, time_t when, struct sc_error *err);
void cache_taps_free(struct cache_tap *v, size_t n);

/* ---- events ---- */

/* Insert, ignoring rows already stored (same SNS message and recipient, or same SES
 * message id, type, recipient and time); *added (may be NULL) counts the new rows. */
enum sc_status cache_put_events(struct cache *c, const char *account_id, const char *region,
				const struct ses_event *v, size_t n, size_t *added,
				struct sc_error *err);

struct cache_event_query {
	time_t since;             /* 0: any time */
	time_t until;             /* 0: no end */
	unsigned types;           /* bit mask of 1u << SES_EV_x; 0: all */
	const char *identity;     /* exact identity, NULL: any */
	const char *rdomain;      /* recipient's domain (exact, case-insensitive), NULL: any */
	const char *message_id;   /* SES message id, NULL: any */
	size_t limit;             /* 0: 1000 */
};

/* Newest first. */
enum sc_status cache_get_events(struct cache *c, const char *account_id, const char *region,
				const struct cache_event_query *q, struct ses_events *out,
				struct sc_error *err);
/* Rows matching q (its limit ignored). */
enum sc_status cache_count_events(struct cache *c, const char *account_id, const char *region,
				  const struct cache_event_query *q, size_t *count,
				  struct sc_error *err);

#endif

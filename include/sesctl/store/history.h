#ifndef SESCTL_STORE_HISTORY_H
#define SESCTL_STORE_HISTORY_H

/*
 * The account's history as CloudTrail told it (CACHE_KIND_HISTORY): one row per event,
 * keyed by CloudTrail's event id, so reading an overlapping window again adds nothing and
 * the history outlives CloudTrail's 90 days. The kind's last error holds why it could not
 * be read (a missing cloudtrail:LookupEvents permission), its fetch time the last full read.
 * Ownership and errors: as db.h says; events come back as struct ct_event (ses/history.h),
 * freed with ct_events_free().
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/history.h"
#include "sesctl/store/db.h"

/* Insert, ignoring events already stored; *added (may be NULL) counts the new rows. */
enum sc_status cache_put_history(struct cache *c, const char *account_id, const char *region,
				 const struct ct_event *v, size_t n, size_t *added,
				 struct sc_error *err);

struct cache_history_query {
	time_t since, until;        /* 0: no bound */
	const char *who;            /* substring of who, who_arn or role (any case); NULL: any */
	int op;                     /* enum ct_op, -1: any */
	int resource_kind;          /* enum ct_resource, -1: any */
	const char *resource;       /* exact (any case), NULL: any */
	int sending;                /* 0 pauses, 1 resumes, -1: any */
	bool include_reads;         /* read-only calls too */
	bool failed_too;            /* calls that failed (errorCode) too */
	bool switches_only;         /* pauses and resumes only (sending >= 0) */
	size_t limit;               /* 0: 1000 */
};
/* A query that matches every change that succeeded. */
#define CACHE_HISTORY_ANY {.op = -1, .resource_kind = -1, .sending = -1}

/* Newest first (then by event id, for a stable order). */
enum sc_status cache_get_history(struct cache *c, const char *account_id, const char *region,
				 const struct cache_history_query *q, struct ct_events *out,
				 struct sc_error *err);
/* The window a read cut short left unread ([from, until], both 0 when none). Setting until
 * to 0 forgets it. */
enum sc_status cache_history_gap(struct cache *c, const char *account_id, const char *region,
				 time_t *from, time_t *until, struct sc_error *err);
enum sc_status cache_set_history_gap(struct cache *c, const char *account_id, const char *region,
				     time_t from, time_t until, struct sc_error *err);
/* The newest event time stored (0: none), where the next read starts from. */
enum sc_status cache_history_newest(struct cache *c, const char *account_id, const char *region,
				    time_t *newest, struct sc_error *err);

#endif

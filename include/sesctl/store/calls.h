#ifndef SESCTL_STORE_CALLS_H
#define SESCTL_STORE_CALLS_H

/*
 * The API call log: one row per AWS call (never headers, bodies or signatures), the newest
 * CACHE_CALLS_KEEP kept. Ownership and errors: as db.h says.
 */

#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/store/db.h"

struct cache_call {
	int64_t id;            /* set by cache_get_calls */
	time_t time;           /* 0 → now */
	char *operation;       /* "ListEmailIdentities" */
	char *service;         /* "sesv2" */
	char *region;
	long http_status;      /* 0 when no reply */
	char *status;          /* sc_status_name(): "OK", "THROTTLED" */
	char *error_code;      /* "" or NULL when none */
	char *request_id;
	int64_t latency_ms;
	int retries;
};

/* Strings are borrowed. Keeps the newest CACHE_CALLS_KEEP rows. */
#define CACHE_CALLS_KEEP 5000
enum sc_status cache_log_call(struct cache *c, const struct cache_call *call,
			      struct sc_error *err);
/* Newest first, at most limit (0 → all kept). */
enum sc_status cache_get_calls(struct cache *c, size_t limit, struct cache_call **out, size_t *n,
			       struct sc_error *err);
void cache_calls_free(struct cache_call *v, size_t n);

#endif

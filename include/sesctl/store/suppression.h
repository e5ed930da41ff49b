#ifndef SESCTL_STORE_SUPPRESSION_H
#define SESCTL_STORE_SUPPRESSION_H

/*
 * The cached account-level suppression list (CACHE_KIND_SUPPRESSION). Personal data: the
 * connection runs with secure_delete=ON. Ownership and errors: as db.h says.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

enum sc_status cache_put_suppressed_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_suppressed *v,
					    size_t n, time_t fetched, struct sc_error *err);
/* The list in pages, never all in memory (an account can suppress millions of addresses):
 * each page is written as it arrives, invisible to readers (first: the first page); then
 * _done swaps the pages in for the previous list in one transaction and marks the kind
 * fetched (ok), or drops them and the previous list stays (!ok: an error, a cancel). */
enum sc_status cache_stage_suppressed(struct cache *c, const char *account_id,
				      const char *region, const struct ses_suppressed *v, size_t n,
				      bool first, struct sc_error *err);
enum sc_status cache_stage_suppressed_done(struct cache *c, const char *account_id,
					   const char *region, bool ok, time_t fetched,
					   struct sc_error *err);
enum sc_status cache_put_suppressed(struct cache *c, const char *account_id, const char *region,
				    const struct ses_suppressed *x, struct sc_error *err);
enum sc_status cache_delete_suppressed(struct cache *c, const char *account_id,
				       const char *region, const char *email,
				       struct sc_error *err);
/* Sorted by email. reason (exact, e.g. "BOUNCE") and substring (case-insensitive, in
 * the address) may be NULL or "" for no filter. */
enum sc_status cache_get_suppressed(struct cache *c, const char *account_id, const char *region,
				    const char *reason, const char *substring,
				    struct ses_suppressed **out, size_t *n, struct sc_error *err);
void cache_suppressed_free(struct ses_suppressed *v, size_t n);

#endif

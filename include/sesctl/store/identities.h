#ifndef SESCTL_STORE_IDENTITIES_H
#define SESCTL_STORE_IDENTITIES_H

/*
 * Cached identities (kind CACHE_KIND_IDENTITIES): verification, DKIM, MAIL FROM, policies
 * and tags per (account id, region). Ownership and errors: as db.h says.
 */

#include <stddef.h>
#include <stdbool.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"

enum sc_status cache_put_identity(struct cache *c, const char *account_id, const char *region,
				  const struct ses_identity *x, struct sc_error *err);
/* Replace the whole set for account+region (identities not in v are deleted). */
enum sc_status cache_put_identities_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_identity *v,
					    size_t n, time_t fetched, struct sc_error *err);
/* Sorted by name. Free with ses_identities_free(). */
enum sc_status cache_get_identities(struct cache *c, const char *account_id, const char *region,
				    struct ses_identity **out, size_t *n, struct sc_error *err);
/* The same; brief reads only what a row of every identity shows (name, type, statuses,
 * switches, MAIL FROM, default configuration set, fetched): no DKIM tokens, key details,
 * verification details, policies or tags (those stay NULL/0; has_details is still read).
 * cache_get_identity() reads one identity in full. limit > 0: the first limit by name. */
enum sc_status cache_get_identities_brief(struct cache *c, const char *account_id,
					  const char *region, bool brief, size_t limit,
					  struct ses_identity **out, size_t *n,
					  struct sc_error *err);
/* A walk over account+region's identities by name, one row in memory at a time (a
 * list verb streams 100,000 of them); brief as cache_get_identities_brief(). next() fills *x (the caller frees it with
 * ses_identity_free()) or sets *done at the end; an error ends the walk. The cursor holds
 * a read transaction until closed; close() accepts NULL. */
struct cache_identity_cursor;
enum sc_status cache_identities_open(struct cache *c, const char *account_id, const char *region,
				     bool brief, struct cache_identity_cursor **out,
				     struct sc_error *err);
enum sc_status cache_identities_next(struct cache_identity_cursor *cur, struct ses_identity *x,
				     bool *done, struct sc_error *err);
void cache_identities_close(struct cache_identity_cursor *cur);
/* SC_NOT_FOUND when absent. Free with ses_identity_free(). */
enum sc_status cache_get_identity(struct cache *c, const char *account_id, const char *region,
				  const char *name, struct ses_identity *out, struct sc_error *err);
/* Deleting an absent identity is not an error. */
/* Names of the cached identities whose default configuration set is `set`, by name; *out
 * is malloc'd, each name too (free both). */
enum sc_status cache_identities_using_set(struct cache *c, const char *account_id,
					  const char *region, const char *set, char ***out,
					  size_t *n, struct sc_error *err);
enum sc_status cache_delete_identity(struct cache *c, const char *account_id,
				     const char *region, const char *name, struct sc_error *err);

#endif

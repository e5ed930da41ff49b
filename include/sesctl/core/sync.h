#ifndef SESCTL_CORE_SYNC_H
#define SESCTL_CORE_SYNC_H

/*
 * The refresh engine: read the account's state from SES into the cache, one region at a
 * time, kind by kind (SYNC_KINDS). Incremental where it pays: identities are listed,
 * then details are fetched only for identities that are new, changed, or older than
 * the detail TTL — concurrently on the curl multi handle (bounded), retries and backoff
 * from the aws client. SES v1 receipt calls are paced at 1 request/s, as SES enforces.
 *
 * A kind that fails keeps what the cache already had (nothing arrives half-written: each
 * kind is written in one transaction). An operation the endpoint does not implement
 * (emulators) degrades that kind with a notice naming the operation; the rest
 * completes and the result is SC_PARTIAL.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>

#include "sesctl/core/core.h"
#include "sesctl/util/err.h"

/* id, name (for --kind and messages) */
#define SYNC_KINDS(_)                                \
	_(ACCOUNT, "account")                        \
	_(IDENTITIES, "identities")                  \
	_(CONFIG_SETS, "config-sets")                \
	_(SUPPRESSION, "suppression")                \
	_(RULE_SETS, "rule-sets")                    \
	_(FILTERS, "filters")                        \
	_(SEND_STATS, "send-stats")                  \
	_(METRICS, "metrics")                        \
	_(MAIL_MANAGER, "mail-manager")              \
	_(FEEDBACK, "feedback")                      \
	_(EVENTS, "events")                          \
	_(HISTORY, "history")                        \
	_(TENANTS, "tenants")

enum sync_kind {
#define SYNC_KIND_ENUM(id, name) SYNC_##id,
	SYNC_KINDS(SYNC_KIND_ENUM)
#undef SYNC_KIND_ENUM
	SYNC_KIND_COUNT
};

#define SYNC_ALL ((1u << SYNC_KIND_COUNT) - 1)
/* What a fleet's row is made of (core/fleet.h), read first by `sync --summary-first`. */
#define SYNC_SUMMARY                                                                        \
	(1u << SYNC_ACCOUNT | 1u << SYNC_IDENTITIES | 1u << SYNC_SEND_STATS | 1u << SYNC_METRICS | \
	 1u << SYNC_CONFIG_SETS | 1u << SYNC_TENANTS)

struct sync_kind_report {
	enum sc_status status;    /* SC_OK, or why the kind is missing/stale */
	char message[256];        /* "" when OK */
	size_t count;             /* objects written */
	size_t done, total;       /* progress (details for identities) */
};

struct sync_report {
	char region[64];
	struct sync_kind_report kinds[SYNC_KIND_COUNT];
	size_t details_fetched;   /* GetEmailIdentity calls made */
	double seconds;
};

typedef void (*sync_progress_fn)(void *ud, const struct sync_report *rep, enum sync_kind kind);

struct sync_options {
	unsigned kinds;           /* bit mask of 1u << SYNC_x; 0 → SYNC_ALL */
	int concurrency;          /* detail fetches in flight; 0 → 8 */
	int detail_ttl;           /* seconds; 0 → 3600; < 0 → always refetch */
	bool no_details;          /* identities: the listing only; a new or changed identity
				     is kept without details until a sync that reads them */
	sync_progress_fn progress;
	void *progress_ud;
	const volatile sig_atomic_t *cancel; /* set non-zero to stop at the next step */
};

const char *sync_kind_name(enum sync_kind k);
/* "identities" → SYNC_IDENTITIES; -1 when unknown. */
int sync_kind_from(const char *name);

/* Sync one region. Returns SC_OK, SC_PARTIAL (some kinds failed; see rep), SC_CANCELLED,
 * or the error that stopped everything (credentials, the account id, the cache). */
enum sc_status sync_region(struct core *core, const char *region, const struct sync_options *o,
			   struct sync_report *rep, struct sc_error *err);

/* The one "read it again when it is old" rule: sync the kinds (a 1u << SYNC_x mask) of
 * region when any of them is older than the profile's refresh interval, was never read,
 * or force (--refresh) is given; never with --offline (SC_OK, nothing read). rep is
 * zeroed, then filled by the sync when one runs. *had_data (may be NULL): every kind had
 * been read before (callers show cached rows with a warning then, instead of failing).
 * Returns SC_OK when nothing was needed, else sync_region()'s status. */
enum sc_status sync_fresh(struct core *core, const char *region, unsigned kinds, bool force,
                          struct sync_report *rep, bool *had_data, struct sc_error *err);

#endif

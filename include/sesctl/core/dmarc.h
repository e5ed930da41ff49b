#ifndef SESCTL_CORE_DMARC_H
#define SESCTL_CORE_DMARC_H

/*
 * DMARC aggregate reports, from import to verdict: read files and folders (a maildir is a
 * folder), hand every blob to the parser (dns/dmarc_report.h), store what is new
 * (store/dmarc.h); classify each source against the identities sesctl knows, and say per
 * domain whether p=quarantine/reject is safe.
 *
 * Classes: SES (signed with an Easy DKIM/BYODKIM selector of a known identity, or as
 * amazonses.com; or SPF on amazonses.com or a known custom MAIL FROM), another sender
 * (some DKIM or SPF passes, for a domain that is not SES), unauthenticated (nothing
 * passes: spoofing, or a sender nobody set up).
 *
 * Alignment is relaxed DMARC alignment approximated as in dns/policy.h (one domain within
 * the other), without a public suffix list.
 *
 * The verdict: over the last N days, ready when DMARC passes for ≥ 99.5 % of the messages
 * from authenticated sources (SES and other senders) and no such source fails for more
 * than 0.5 % of its messages; unauthenticated sources do not hold it back (p=reject is
 * what stops them) but are listed. Otherwise every failing source with why, in words.
 *
 * Ownership: out structs caller-owned, freed by their *_free (NULL-safe).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/dns/dmarc_report.h"
#include "sesctl/ses/model.h"
#include "sesctl/store/dmarc.h"
#include "sesctl/util/err.h"

#define DMARC_READY_PASS 0.995
#define DMARC_DEFAULT_DAYS 14

/* ---- import ---- */

struct dmarc_import_stats {
	size_t blobs;             /* files or objects read */
	size_t reports_new;
	size_t reports_dup;       /* already stored (same org + report id) */
	size_t failed;            /* items refused (malformed, over a limit) */
	size_t records;           /* records stored */
	size_t skipped;           /* S3 objects read before (same key and ETag) */
};

/* Told about every item that could not be imported; item and reason borrowed. */
typedef void (*dmarc_problem_fn)(void *ud, const char *item, const char *reason);

/* Import one file, or every regular file under a folder (recursively, sorted, symlinks
 * not followed; dot-files skipped). A file that is not a report is a problem, not an
 * error. SC_OK when the walk finished; SC_NOT_FOUND / SC_IO for a path that cannot be
 * read at all; SC_IO when the cache cannot be written. */
enum sc_status dmarc_import_path(struct cache *c, const char *path,
				 const struct dmarc_limits *lim, time_t now,
				 struct dmarc_import_stats *stats, dmarc_problem_fn problem,
				 void *ud, struct sc_error *err);

/* Import one blob already in memory (an S3 object) named origin. */
enum sc_status dmarc_import_blob(struct cache *c, const char *origin, const void *data,
				 size_t len, const struct dmarc_limits *lim, time_t now,
				 struct dmarc_import_stats *stats, dmarc_problem_fn problem,
				 void *ud, struct sc_error *err);

/* ---- classification ---- */

enum dmarc_class {
	DMARC_CLASS_SES,
	DMARC_CLASS_OTHER,
	DMARC_CLASS_NONE,
};
const char *dmarc_class_name(enum dmarc_class c);   /* "ses" | "other" | "unauthenticated" */

struct dmarc_source_view {
	struct cache_dmarc_source s;     /* owned */
	enum dmarc_class cls;
	char *sender;                    /* "SES (mail.example.com)", "google.com", or NULL */
	char *identity;                  /* the SES identity it signs as, or NULL */
	bool failing;                    /* over 0.5 % of its messages fail DMARC */
	char *why;                       /* why it fails, one or two sentences; NULL if not */
};
void dmarc_source_views_free(struct dmarc_source_view *v, size_t n);

/* Classify one source (pure): ids are the account's identities (may be 0). Fills every
 * field but s, which the caller sets. */
void dmarc_classify(const struct cache_dmarc_source *s, const struct ses_identity *ids,
		    size_t n_ids, const char *region, struct dmarc_source_view *out);

/* ---- verdict ---- */

struct dmarc_verdict {
	char *domain;
	bool has_data;
	bool ready;
	char *headline;                  /* "ready for p=quarantine/reject", "not ready: …" */
	char *next_step;                 /* one sentence, or NULL */
	struct cache_dmarc_counts all;
	uint64_t auth_messages, auth_pass, unauth_messages;
	uint64_t forwarded;              /* failing messages a receiver saw forwarded: left out
					    of auth_messages */
	double pass_rate;                /* auth_pass / auth_messages; -1 when none */
	char *p, *sp;                    /* the newest report's published policy */
	int pct;
	size_t reports, orgs;
	time_t first, last;
	char **problems;                 /* sentences: failing sources first */
	size_t n_problems;
};
void dmarc_verdict_free(struct dmarc_verdict *v);
void dmarc_verdicts_free(struct dmarc_verdict *v, size_t n);

/* The verdict of one domain from its sources (pure). */
void dmarc_verdict_build(const struct cache_dmarc_domain *d, const struct dmarc_source_view *src,
			 size_t n_src, int days, struct dmarc_verdict *out);

/* Sources of domain over the last days, classified against the cached identities of
 * account/region (either may be NULL: then nothing is known to be SES but amazonses.com). */
enum sc_status dmarc_sources(struct cache *c, const char *account, const char *region,
			     const char *domain, int days, time_t now,
			     struct dmarc_source_view **out, size_t *n, struct sc_error *err);

/* Verdicts of every domain with reports over the last days (domain NULL), or of one
 * (SC_NOT_FOUND when it has none: "no DMARC reports for x in the last 14 days"). */
enum sc_status dmarc_verdicts(struct cache *c, const char *account, const char *region,
			      const char *domain, int days, time_t now,
			      struct dmarc_verdict **out, size_t *n, struct sc_error *err);

#endif

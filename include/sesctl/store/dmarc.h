#ifndef SESCTL_STORE_DMARC_H
#define SESCTL_STORE_DMARC_H

/*
 * DMARC aggregate reports in the cache. Reports belong to a domain, not to an account:
 * they are stored once for the whole cache file, keyed by (reporting org, report id), so
 * importing the same report twice (a folder read again, an S3 object copied) stores it
 * once. Each record is kept with its counts, the receiver's aligned verdicts, the raw
 * auth_results (JSON, for the detail) and an auth key — the raw results in one line:
 *
 *     "dkim=example.com/sel1:pass dkim=amazonses.com/abc:pass spf=mfrom/bounce.example.com:pass"
 *
 * which the summaries group by and the core classifies (SES, another sender, none).
 * Records count towards the UTC day their report's date range begins on.
 *
 * The S3 import remembers every object it read (bucket, key, ETag), so a repeated import
 * only fetches what is new; SES names objects by message id, not by time, so "the last
 * key" alone would miss new objects that sort earlier.
 *
 * Ownership and errors: as db.h says; strings heap, freed by the *_free helpers here.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/dns/dmarc_report.h"
#include "sesctl/store/db.h"

/* Store one report and its records in one transaction. *dup is set when (org, report id)
 * was already there (nothing is written then). origin: where it came from (a path, an
 * s3:// URL), kept for the detail. SC_USAGE for a report without org, id or domain. */
enum sc_status cache_put_dmarc_report(struct cache *c, const struct dmarc_report *r,
				      const char *origin, time_t now, bool *dup,
				      struct sc_error *err);

/* The one-line auth key of a record (see above), heap. */
char *cache_dmarc_auth_key(const struct dmarc_agg_record *r);

struct cache_dmarc_counts {
	uint64_t messages;
	uint64_t dmarc_pass;      /* aligned DKIM or aligned SPF passed */
	uint64_t dkim_pass;       /* aligned DKIM */
	uint64_t spf_pass;        /* aligned SPF */
	uint64_t quarantined, rejected;
	uint64_t forwarded;       /* records the receiver said were forwarded (reason
				     forwarded, mailing_list or trusted_forwarder) */
};

struct cache_dmarc_domain {
	char *domain;
	struct cache_dmarc_counts n;
	size_t reports, orgs;
	time_t first, last;       /* earliest begin, latest end of its reports */
	/* the policy of its newest report */
	char *p, *sp;
	int pct;                  /* -1: absent */
};
void cache_dmarc_domains_free(struct cache_dmarc_domain *v, size_t n);
/* Every domain with a report beginning at or after since, sorted by domain. */
enum sc_status cache_get_dmarc_domains(struct cache *c, time_t since,
				       struct cache_dmarc_domain **out, size_t *n,
				       struct sc_error *err);

struct cache_dmarc_day {
	time_t day;               /* 00:00 UTC */
	struct cache_dmarc_counts n;
};
/* One row per day that has records, oldest first. */
enum sc_status cache_get_dmarc_days(struct cache *c, const char *domain, time_t since,
				    struct cache_dmarc_day **out, size_t *n,
				    struct sc_error *err);

/* Per reporting org: how many reports it sent and what it counted. */
struct cache_dmarc_org {
	char *org;
	size_t reports;
	struct cache_dmarc_counts n;
};
void cache_dmarc_orgs_free(struct cache_dmarc_org *v, size_t n);
/* Most messages first. */
enum sc_status cache_get_dmarc_orgs(struct cache *c, const char *domain, time_t since,
				    struct cache_dmarc_org **out, size_t *n, struct sc_error *err);

/* One source: an IP with one way of authenticating one From domain. */
struct cache_dmarc_source {
	char *source_ip;
	char *header_from;
	char *auth_key;
	char *orgs;               /* reporting orgs, ","-joined */
	struct cache_dmarc_counts n;
	time_t last;              /* latest report end */
};
void cache_dmarc_sources_free(struct cache_dmarc_source *v, size_t n);
/* Most messages first. */
enum sc_status cache_get_dmarc_sources(struct cache *c, const char *domain, time_t since,
				       struct cache_dmarc_source **out, size_t *n,
				       struct sc_error *err);

/* One stored record with its report, for the detail of a source. */
struct cache_dmarc_row {
	char *org, *report_id;
	time_t begin, end;
	char *source_ip;
	uint64_t count;
	char *disposition, *dkim, *spf, *reasons;
	char *header_from, *envelope_from, *envelope_to;
	char *auth_results;       /* JSON: {"dkim":[{domain,selector,result,human_result}],
				     "spf":[{domain,scope,result}]} */
	char *origin;
};
void cache_dmarc_rows_free(struct cache_dmarc_row *v, size_t n);
/* Records of domain (and of source_ip when not NULL), newest first, at most limit
 * (0: all). */
enum sc_status cache_get_dmarc_rows(struct cache *c, const char *domain, const char *source_ip,
				    time_t since, size_t limit, struct cache_dmarc_row **out,
				    size_t *n, struct sc_error *err);

/* Reports stored, in all (for the import's summary). */
enum sc_status cache_count_dmarc_reports(struct cache *c, size_t *out, struct sc_error *err);

/* ---- S3 import bookkeeping ---- */
/* *seen: this bucket/key was read before with this ETag. */
enum sc_status cache_dmarc_s3_seen(struct cache *c, const char *bucket, const char *key,
				   const char *etag, bool *seen, struct sc_error *err);
enum sc_status cache_dmarc_s3_mark(struct cache *c, const char *bucket, const char *key,
				   const char *etag, time_t now, struct sc_error *err);

#endif

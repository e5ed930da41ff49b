#ifndef SESCTL_DNS_DMARC_REPORT_H
#define SESCTL_DNS_DMARC_REPORT_H

/*
 * DMARC aggregate reports (RFC 7489 appendix C, and RFC 9990's
 * urn:ietf:params:xml:ns:dmarc-2.0 namespace): from whatever carries them to parsed
 * structs. Pure: no files, no network, no clock. The caller reads the bytes (a file, an
 * S3 object) and hands them over with a name used in messages.
 *
 * What a blob may be, found by its bytes, not its name:
 *   - XML (optionally after a UTF-8 BOM and blanks): one report;
 *   - gzip (1f 8b): one member holding XML (or a zip, once);
 *   - zip (PK\3\4): every regular entry ending .xml / .xml.gz / .gz, in order, via
 *     libarchive;
 *   - an mbox ("From " first line): every message in it, via GMime's mbox scanning;
 *   - else a MIME message (RFC 5322 headers): every part whose type or filename says
 *     XML, gzip or zip (application/gzip, application/x-gzip, application/zip,
 *     application/x-zip-compressed, text/xml, application/xml, application/octet-stream
 *     with such a filename), decoded (base64, quoted-printable) via GMime 3. A message
 *     attached inside a message (message/rfc822: a report forwarded by hand) is not
 *     opened: receivers attach reports directly.
 * Nesting is bounded (message → archive → XML, DMARC_MAX_NESTING levels).
 *
 * Limits (struct dmarc_limits, dmarc_limits_default()): input bytes, bytes one report may
 * decompress to, decompression ratio, archive entries, MIME parts, XML element depth,
 * records per report. A report over a limit is refused with a message that names the
 * limit ("…xml.gz: decompresses past 64 MiB (the limit for one report)"); the blob's other
 * reports still come out. Never a crash, never an allocation past the limits.
 *
 * XML is read with libxml2 locked down as in aws/xml.h: no network, no DTD, no entities;
 * a DOCTYPE is refused. Element names are compared by local name, so the RFC 7489 form
 * (no namespace) and RFC 9990's namespace parse alike. Unknown elements are ignored;
 * missing optional ones are left NULL / -1. Required: report_metadata/org_name,
 * report_id, date_range/begin and end, policy_published/domain, and in each record
 * row/source_ip, row/count, identifiers/header_from (a record without them is dropped
 * and counted in dropped_records, with the first reason in drop_reason).
 *
 * Text from the file is kept as sent (UTF-8, trimmed of surrounding blanks); control
 * bytes are the front-ends' to clean (util/text.h). Domains are lower-cased.
 *
 * Ownership: every string heap, every struct freed by its *_free (NULL-safe, idempotent).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/util/err.h"

#define DMARC_MAX_NESTING 3

struct dmarc_limits {
	size_t max_input;         /* bytes of one blob (default 64 MiB) */
	size_t max_report;        /* bytes one report's XML may decompress to (64 MiB) */
	unsigned max_ratio;       /* decompressed / compressed (default 200) */
	unsigned max_entries;     /* zip entries, mbox messages, MIME parts (default 1000) */
	unsigned max_depth;       /* XML element nesting (default 32) */
	unsigned max_records;     /* records in one report (default 200000) */
};
struct dmarc_limits dmarc_limits_default(void);

struct dmarc_dkim_result {
	char *domain;             /* d=, lower-cased */
	char *selector;           /* may be NULL */
	char *result;             /* none|pass|fail|policy|neutral|temperror|permerror, as sent */
	char *human_result;       /* may be NULL */
};

struct dmarc_spf_result {
	char *domain;
	char *scope;              /* helo|mfrom, may be NULL */
	char *result;             /* none|neutral|pass|fail|softfail|temperror|permerror */
};

struct dmarc_agg_record {
	char *source_ip;          /* as sent (v4 or v6) */
	uint64_t count;
	char *disposition;        /* none|quarantine|reject (RFC 9990 may add more), NULL if absent */
	char *dkim;               /* policy_evaluated: aligned pass|fail, NULL if absent */
	char *spf;
	char *reasons;            /* "forwarded; local_policy: comment" joined, or NULL */
	char *header_from;        /* lower-cased */
	char *envelope_from;      /* may be NULL */
	char *envelope_to;        /* may be NULL */
	struct dmarc_dkim_result *dkim_results;
	size_t n_dkim;
	struct dmarc_spf_result *spf_results;
	size_t n_spf;
};

struct dmarc_policy {
	char *domain;             /* lower-cased */
	char *adkim, *aspf;       /* r|s or NULL */
	char *p, *sp, *np;        /* none|quarantine|reject or NULL */
	char *fo;
	int pct;                  /* 0..100, -1 when absent */
	char *discovery_method;   /* RFC 9990, NULL otherwise */
	bool testing;             /* RFC 9990 testing mode (t=y) */
};

struct dmarc_report {
	char *org_name;
	char *email;              /* may be NULL */
	char *report_id;
	char *version;            /* may be NULL */
	bool rfc9990;             /* the dmarc-2.0 namespace */
	time_t begin, end;        /* date_range, epoch seconds UTC */
	char *errors;             /* report_metadata/error joined with "; ", or NULL */
	struct dmarc_policy policy;
	struct dmarc_agg_record *records;
	size_t n_records;
	size_t dropped_records;
	char *drop_reason;        /* why the first dropped record was dropped, or NULL */
};

void dmarc_report_free(struct dmarc_report *r);

/* Parse one report's XML. SC_OK with *out filled (caller frees), or SC_BAD_REPLY — the
 * status for malformed data from outside, as for a reply — with a one-line reason ("not
 * well-formed XML", "no report_metadata/report_id", "nested deeper than 32 elements",
 * "has a DOCTYPE …"); out is then empty. */
enum sc_status dmarc_report_parse(const char *xml, size_t len, const struct dmarc_limits *lim,
				  struct dmarc_report *out, struct sc_error *err);

/*
 * Called once per report found in a blob, in order. item is where it came from, e.g.
 * "msg.eml › google.com!example.com!1764547200!1764633599.xml.gz" (borrowed, valid during
 * the call). Exactly one of report / item_err is non-NULL: a parsed report, which the
 * callee takes over (it frees it), or why this item was refused. Return SC_OK to go on;
 * any other status stops the walk and dmarc_unpack() returns it.
 */
typedef enum sc_status (*dmarc_report_fn)(void *ud, const char *item, struct dmarc_report *report,
					  const struct sc_error *item_err);

/*
 * Find every report in one blob (see the top of this file) and call fn for each, and for
 * each item that could not be read. name names the blob in messages. Returns SC_OK when
 * the walk finished (even if items failed: they went to fn), the callback's status when it
 * stopped the walk, or SC_BAD_REPLY when the blob as a whole is unreadable ("empty",
 * "larger than 64 MiB …": the message does not repeat name, the caller puts it beside).
 * A blob with nothing that looks like a report goes to fn as an item ("no DMARC report
 * attachment in the message").
 */
enum sc_status dmarc_unpack(const char *name, const void *data, size_t len,
			    const struct dmarc_limits *lim, dmarc_report_fn fn, void *ud,
			    struct sc_error *err);

#endif

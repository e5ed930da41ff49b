#ifndef SESCTL_DNS_EXPORT_H
#define SESCTL_DNS_EXPORT_H

/*
 * Writers for a struct dns_record_set (dns/records.h). Pure: they append to a caller-owned
 * struct buf and never fail; nothing is written anywhere else.
 *
 *   table    aligned text: STATUS NAME TYPE VALUE TTL PURPOSE REGION (+ published/detail
 *            lines after a checked record that is not OK); network text is sanitized
 *   zone     BIND zone fragment: $ORIGIN <domain>., relative owner names, absolute targets
 *            with trailing dots, TXT split into quoted strings of at most 255 bytes;
 *            placeholder records are written commented out. Add SOA/NS to load it alone.
 *   csv      RFC 4180 with a header line (util/text.h csv rules, formula-safe)
 *   json     {"domain", "domain_unicode", "records": [...]} with every field of the record
 *   route53  a ChangeBatch for `aws route53 change-resource-record-sets --change-batch`:
 *            one UPSERT per (name, type) with all its values; placeholders left out
 *
 * DNS_FORMATS feeds the enum, the --format names and the help text.
 */

#include "sesctl/dns/records.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

#include <stdbool.h>
#include <stddef.h>

#define DNS_FORMATS(_)                                              \
	_(TABLE, "table", "aligned text table")                     \
	_(ZONE, "zone", "BIND zone file fragment")                  \
	_(CSV, "csv", "comma-separated values with a header line")  \
	_(JSON, "json", "JSON document")                            \
	_(ROUTE53, "route53", "Route 53 ChangeBatch (UPSERT)")

enum dns_format {
#define DNS_FMT_ENUM(e, name, desc) DNS_FMT_##e,
	DNS_FORMATS(DNS_FMT_ENUM)
#undef DNS_FMT_ENUM
	DNS_FMT_COUNT
};

const char *dns_format_name(enum dns_format fmt); /* "route53" */
const char *dns_format_desc(enum dns_format fmt);
/* SC_USAGE naming the accepted formats when name is unknown. */
enum sc_status dns_format_parse(const char *name, enum dns_format *out, struct sc_error *err);

/* Suggested records (a DMARC record SES does not require) are flagged in every format. The
 * formats a machine applies as they are — the zone fragment and the Route 53 batch — leave
 * them out (the zone keeps them as comments) unless DNS_EXPORT_SUGGESTED is given: a
 * suggested "p=none" for a subdomain would override a stricter policy of its parent. */
#define DNS_EXPORT_SUGGESTED 0x1u

void dns_export(struct buf *out, const struct dns_record_set *set, enum dns_format fmt,
		unsigned flags);
void dns_export_table(struct buf *out, const struct dns_record_set *set);
void dns_export_zone(struct buf *out, const struct dns_record_set *set, unsigned flags);
void dns_export_csv(struct buf *out, const struct dns_record_set *set);
void dns_export_json(struct buf *out, const struct dns_record_set *set);
void dns_export_route53(struct buf *out, const struct dns_record_set *set, unsigned flags);

/* One record as an absolute zone line, for copying a single row:
 * "tok._domainkey.shop.example.\t1800\tIN\tCNAME\ttok.dkim.amazonses.com." (no newline). */
void dns_record_zone_line(struct buf *out, const struct dns_record *r);

/* TXT text as quoted character-strings of at most 255 bytes each, separated by one space:
 * `"abc" "def"`. '"' and '\' are backslash-escaped; other bytes outside printable ASCII as
 * \DDD (decimal, BIND) or, with octal set, \ooo (Route 53). */
void dns_txt_quote(struct buf *out, const char *txt, size_t len, bool octal);

#endif

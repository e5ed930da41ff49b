#ifndef SESCTL_DNS_RECORDS_H
#define SESCTL_DNS_RECORDS_H

/*
 * What a domain must publish for SES, per account and region it is used in. Pure: no I/O.
 *
 * A struct dns_record_set holds the records of ONE domain. dns_records_for_identity() may be
 * called once per (account, region) the domain identity lives in; records merge the way SES
 * expects: one `_amazonses` TXT name collecting every instance's token, three DKIM CNAMEs per
 * instance, one MAIL FROM MX/SPF pair per MAIL FROM name (regional names give one per
 * region), one DMARC record for the domain. A record that several instances share (the same
 * name, type and value) appears once, with the regions and accounts listed comma-separated.
 *
 * Names are A-labels (punycode), lower case, without the trailing dot; display_name is the
 * same name with the domain part in Unicode. Records are kept grouped by kind in the order
 * of DNS_RECORD_KINDS, instances in the order they were added.
 *
 * Ownership: the set owns every string; dns_record_set_free() releases them all. The checker
 * (dns/check.h) writes status/published/resolver/detail into the records it checks.
 */

#include "sesctl/ses/model.h"
#include "sesctl/util/err.h"

#include <stdbool.h>
#include <stddef.h>

#define DNS_DEFAULT_TTL 1800

/* kind, record type, purpose label */
#define DNS_RECORD_KINDS(_)                                   \
	_(VERIFY, "TXT", "Domain verification")               \
	_(DKIM, "CNAME", "DKIM")                              \
	_(BYODKIM, "TXT", "DKIM (BYODKIM)")                   \
	_(MAILFROM_MX, "MX", "MAIL FROM MX")                  \
	_(MAILFROM_SPF, "TXT", "MAIL FROM SPF")               \
	_(INBOUND_MX, "MX", "Inbound MX")                     \
	_(DMARC, "TXT", "DMARC")

enum dns_record_kind {
#define DNS_KIND_ENUM(k, type, purpose) DNS_KIND_##k,
	DNS_RECORD_KINDS(DNS_KIND_ENUM)
#undef DNS_KIND_ENUM
	DNS_KIND_COUNT
};

/* status, label, meaning */
#define DNS_CHECK_STATES(_)                                                            \
	_(UNCHECKED, "-", "not checked yet")                                           \
	_(OK, "OK", "published as expected")                                           \
	_(MISSING, "MISSING", "no such record is published")                           \
	_(WRONG, "WRONG", "a different value is published")                            \
	_(CONFLICT, "CONFLICT", "published records contradict each other")             \
	_(ERROR, "ERROR", "the lookup failed (SERVFAIL, timeout, malformed answer)")

enum dns_check_state {
#define DNS_STATE_ENUM(s, label, meaning) DNS_STATE_##s,
	DNS_CHECK_STATES(DNS_STATE_ENUM)
#undef DNS_STATE_ENUM
	DNS_STATE_COUNT
};

struct dns_record {
	enum dns_record_kind kind;
	char *name;         /* FQDN A-label, no trailing dot */
	char *display_name; /* the same with the domain in Unicode */
	char *type;         /* "CNAME" | "TXT" | "MX" */
	char *value;        /* CNAME target / MX "pref host" without trailing dots; TXT text */
	unsigned ttl;
	char *purpose;      /* "DKIM 1/3", "MAIL FROM MX", ... */
	char *region;       /* "eu-west-1" or "eu-west-1,us-west-2"; NULL for DMARC */
	char *account;      /* likewise; NULL when unknown */
	bool suggestion;    /* not required by SES: a suggested value (DMARC) */
	bool optional;      /* exact, but not needed by this identity: the legacy _amazonses
	                       TXT of a domain that DKIM verifies. Listed and checked, never
	                       required (dns --check), left out of zone/Route 53 exports unless
	                       DNS_EXPORT_SUGGESTED */
	bool placeholder;   /* value has a part the operator must fill in (BYODKIM key) */
	/* filled by the checker */
	enum dns_check_state status;
	char *published;    /* what is published, joined with " | " when several; NULL if none */
	char *resolver;     /* the server that answered, "127.0.0.1:5353" */
	char *detail;       /* one sentence: "NXDOMAIN", "CNAME beside TXT", ... */
	unsigned spf_lookups; /* MAIL FROM SPF: DNS lookups the published record costs with its
	                         includes followed; 0 when not computed */
};

struct dns_record_set {
	char *domain;   /* A-label */
	char *domain_u; /* U-label for display */
	struct dns_record *v;
	size_t n, cap;
	/* informational records beside the domain, filled by the checker (NULL: none seen) */
	char *bimi;    /* default._bimi.<domain> TXT "v=BIMI1; ..." */
	char *mta_sts; /* _mta-sts.<domain> TXT "v=STSv1; ..." */
	char *tlsrpt;  /* _smtp._tls.<domain> TXT "v=TLSRPTv1; ..." */
	char **warnings; /* generation warnings, one sentence each ("MAIL FROM x is shared by
	                    eu-west-1 and us-west-2: ...") */
	size_t n_warnings;
	char *dmarc_at; /* the domain whose _dmarc record applies: the domain itself or, when it
	                   has none, the nearest parent that has one (NULL: none found) */
};

struct dns_gen_opts {
	bool inbound;                 /* add the inbound MX (the domain receives through SES) */
	const char *dmarc_published;  /* the domain's DMARC TXT if known: used instead of a
	                                 suggestion */
	const char *dmarc_rua;        /* suggestion's rua address; default dmarc-reports@domain */
	const char *byodkim_public_key; /* base64 public key for BYODKIM (NULL: placeholder) */
	unsigned ttl;                 /* 0: DNS_DEFAULT_TTL */
};

void dns_record_set_init(struct dns_record_set *set);
void dns_record_set_free(struct dns_record_set *set);

/*
 * Add the records of one domain identity as used in (account, region). account may be NULL;
 * region is required ("eu-west-1"); opts may be NULL. Fails with SC_USAGE when the identity is
 * not a domain, its name or MAIL FROM name is invalid, the MAIL FROM is not below the domain,
 * the region is not a region name, or the set already holds another domain. On failure the
 * set is unchanged.
 */
enum sc_status dns_records_for_identity(struct dns_record_set *set,
					const struct ses_identity *identity, const char *account,
					const char *region, const struct dns_gen_opts *opts,
					struct sc_error *err);

/*
 * Does domain (A-label) receive mail through SES, i.e. should opts.inbound be set? true when
 * an active rule set (has_rules read) has an enabled rule whose recipients cover the domain:
 * "domain", "user@domain", or ".parent" for a subdomain of parent; a rule without recipients
 * covers every verified domain.
 */
bool dns_domain_receives(const struct ses_rule_set *sets, size_t n, const char *domain);

/* How many records have this status (for "7 OK, 2 MISSING" and the CLI's exit code). */
size_t dns_record_set_count(const struct dns_record_set *set, enum dns_check_state st);

/* The DMARC record the set holds, NULL if none. */
struct dns_record *dns_record_set_dmarc(struct dns_record_set *set);

/* Replace a suggested DMARC value with the published record (done by the checker too). */
void dns_record_set_adopt_dmarc(struct dns_record_set *set, const char *published);

const char *dns_kind_type(enum dns_record_kind kind);    /* "CNAME" */
const char *dns_kind_purpose(enum dns_record_kind kind); /* "DKIM" */
const char *dns_state_label(enum dns_check_state st);    /* "MISSING"; "-" when unchecked */
const char *dns_state_name(enum dns_check_state st);     /* "MISSING"; "UNCHECKED" */
const char *dns_state_meaning(enum dns_check_state st);

/* BYODKIM: the base64 SubjectPublicKeyInfo of a PEM private (or public) key, for the p= tag.
 * *out is the caller's (free()). SC_USAGE when the text is not an RSA key. */
enum sc_status dns_byodkim_public_key(const char *pem, size_t len, char **out,
				      struct sc_error *err);

#endif

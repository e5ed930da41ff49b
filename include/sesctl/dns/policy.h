#ifndef SESCTL_DNS_POLICY_H
#define SESCTL_DNS_POLICY_H

/*
 * DMARC and SPF records, parsed, and a verdict per SES identity: is DKIM aligned, is SPF
 * aligned through the custom MAIL FROM, would DMARC pass. Pure: no I/O (the published TXT
 * texts come from the checker or the caller), so every function here can be fuzzed.
 *
 * Parsers take (text, length), need no NUL terminator, and fail with SC_BAD_REPLY and one
 * sentence ("DMARC record has pct=150 (must be 0..100)"); the output is then zeroed.
 * Every *_free() releases the members and zeroes the struct; NULL is allowed.
 *
 * Alignment follows reference/email-auth-facts-from-seeds.md §2.4–2.6 without a public
 * suffix list: "relaxed" accepts a From domain and a signing/MAIL FROM domain when one is
 * within the other, "strict" only when they are equal.
 */

#include "sesctl/dns/records.h"
#include "sesctl/ses/model.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

#include <stdbool.h>
#include <stddef.h>

struct dmarc_record {
	char p[12];        /* "none" | "quarantine" | "reject" */
	char sp[12];       /* "" when absent (subdomains inherit p) */
	int pct;           /* 0..100; 100 when absent */
	char adkim;        /* 'r' | 's' ('r' when absent) */
	char aspf;
	bool testing;      /* t=y */
	char *fo;          /* NULL when absent */
	char **rua;        /* URIs as published ("mailto:a@b") */
	size_t n_rua;
	char **ruf;
	size_t n_ruf;
};

enum sc_status dmarc_parse(const char *txt, size_t len, struct dmarc_record *out,
			   struct sc_error *err);
void dmarc_record_free(struct dmarc_record *r);

struct spf_record {
	char all;          /* qualifier of "all": '+', '-', '~', '?'; 0 when there is none */
	char **includes;   /* include: domains, in order */
	size_t n_includes;
	char *redirect;    /* redirect= domain or NULL */
	unsigned lookups;  /* terms that cost a DNS lookup here (include a mx ptr exists
	                      redirect); nested includes not counted */
};

enum sc_status spf_parse(const char *txt, size_t len, struct spf_record *out,
			 struct sc_error *err);
void spf_record_free(struct spf_record *r);
bool spf_includes(const struct spf_record *r, const char *domain);

enum policy_answer { POLICY_UNKNOWN = 0, POLICY_NO, POLICY_YES };

struct policy_input {
	const struct ses_identity *identity; /* DOMAIN or EMAIL_ADDRESS */
	const struct ses_identity *domain;   /* for an address identity: its domain's identity
	                                        in the same account and region, if verified
	                                        (SES signs with it); may be NULL */
	const char *from_domain;   /* the From domain; NULL: the identity's domain */
	const char *dmarc_txt;     /* published _dmarc TXT, NULL when none */
	const char *dmarc_domain;  /* where dmarc_txt was found; NULL: the From domain */
	const char *spf_txt;       /* published SPF at the MAIL FROM domain; NULL: unknown */
	unsigned spf_lookups;      /* its lookups with includes followed (checker); 0: unknown */
	const char *bimi_txt;      /* default._bimi, _mta-sts, _smtp._tls TXT; NULL: none */
	const char *mta_sts_txt;
	const char *tlsrpt_txt;
	/* A lookup that failed (SERVFAIL, refused, timeout) is unknown, never absent: the
	 * checker's reason when the _dmarc or the MAIL FROM SPF lookup failed, else NULL. */
	const char *dmarc_failed;
	const char *spf_failed;
};

struct policy_verdict {
	enum policy_answer dkim_aligned;
	enum policy_answer spf_aligned;
	enum policy_answer dmarc_pass;
	char *dkim_why;    /* one sentence each */
	char *spf_why;
	char *dmarc_why;
	char **warnings;   /* "p=none only monitors: ..." */
	size_t n_warnings;
	char **notes;      /* informational: BIMI, MTA-STS, TLS-RPT */
	size_t n_notes;
	bool has_dmarc;    /* dmarc holds the parsed record */
	struct dmarc_record dmarc;
	bool has_spf;
	struct spf_record spf;
};

/*
 * Take the published texts from a checked set (dns/check.h): the DMARC record when exactly
 * one is published, the SPF record at the identity's MAIL FROM (when exactly one), BIMI,
 * MTA-STS and TLS-RPT. Other fields of in are left alone; pointers go into set (keep it).
 */
void policy_input_from_set(struct policy_input *in, const struct dns_record_set *set);

/* Always fills *out (caller frees with policy_verdict_free); an unparsable published record
 * becomes a warning, not a failure. */
void policy_evaluate(const struct policy_input *in, struct policy_verdict *out);
void policy_verdict_free(struct policy_verdict *v);
const char *policy_answer_name(enum policy_answer a); /* "yes" | "no" | "unknown" */

/* The verdict as text lines for the CLI and the TUI (plain, no colour). */
void policy_explain(struct buf *out, const struct policy_verdict *v);

#endif

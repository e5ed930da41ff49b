#ifndef SESCTL_DNS_CHECK_H
#define SESCTL_DNS_CHECK_H

/*
 * Live check of a struct dns_record_set (dns/records.h) with c-ares, never blocking.
 *
 * For every record the checker sets status (OK, MISSING, WRONG, CONFLICT, ERROR), published
 * (what the answering server holds, " | "-joined, capped at DNS_PUBLISHED_MAX bytes),
 * resolver ("127.0.0.1:5353", or "ns1.example (192.0.2.1:53)" in authoritative mode) and
 * detail (one sentence: "NXDOMAIN", "CNAME beside TXT data", "two SPF records", "SERVFAIL").
 * CONFLICT: a CNAME beside other data at the same name, two SPF or two DMARC records.
 * A suggested DMARC record is replaced by the published one when exactly one exists; a
 * subdomain without one of its own is OK when its nearest parent publishes one (asked of the
 * resolver; set->dmarc_at names the domain whose record applies). For a published MAIL FROM
 * SPF record the include:/redirect= chain is followed through the resolver (at most 40
 * domains, loops cut at the limit) to fill record->spf_lookups. BIMI, MTA-STS and TLS-RPT
 * records beside the domain are noted in set->bimi, ->mta_sts, ->tlsrpt.
 *
 * Authoritative mode: the zone's NS set is found through the resolver (walking up from the
 * domain), the NS names are resolved, and the records are asked of those servers directly
 * with recursion off (the next server on SERVFAIL/timeout), so a record published a minute
 * ago is not hidden by a resolver's cached NXDOMAIN. When no NS can be found or resolved the
 * resolver is asked instead, and the detail says so.
 *
 * Poll-loop use (single thread, the set must outlive the checker and not change meanwhile):
 *	dns_check_start(&c, set, &opts, &err);
 *	while (!dns_check_done(c)) {
 *		n = dns_check_fds(c, fds, max);  ... add stdin etc ...
 *		poll(fds, n, dns_check_timeout_ms(c));
 *		dns_check_process(c, fds, n);     (also after a timeout, with the same array)
 *	}
 *	dns_check_free(c);
 * A record's status is written into the set as soon as its own answers are in (redraw after
 * each dns_check_process()); all are final when dns_check_done() is true.
 */

#include "sesctl/dns/records.h"
#include "sesctl/util/err.h"

#include <poll.h>
#include <stdbool.h>
#include <stddef.h>

#define DNS_PUBLISHED_MAX 2048

struct dns_check_opts {
	const char *server;   /* "HOST[:PORT]": an IPv4/IPv6 literal ("[::1]:53") or a host
	                         name (resolved to IPv4 first, /etc/hosts then DNS, without
	                         blocking); NULL: the system resolver (/etc/resolv.conf) */
	bool authoritative;   /* ask the zone's own servers (see above) */
	unsigned auth_port;   /* port the authoritative servers listen on; 0: 53 */
	unsigned timeout_ms;  /* per try; 0: 2000 */
	unsigned tries;       /* per server; 0: 2 */
};

struct dns_checker;

/* SC_USAGE for a bad server string, SC_NETWORK when c-ares cannot start. */
enum sc_status dns_check_start(struct dns_checker **out, struct dns_record_set *set,
			       const struct dns_check_opts *opts, struct sc_error *err);
/* Fill up to max pollfds (fd, events) for the sockets c-ares waits on; returns the count. */
size_t dns_check_fds(struct dns_checker *c, struct pollfd *fds, size_t max);
/* Milliseconds until c-ares needs dns_check_process() even without I/O; -1 when done. */
int dns_check_timeout_ms(struct dns_checker *c);
/* Handle ready fds (revents as poll() left them) and expired timeouts. */
void dns_check_process(struct dns_checker *c, const struct pollfd *fds, size_t n);
bool dns_check_done(const struct dns_checker *c);
/* Records with a status so far, out of all records (for "checking 4/9"). */
void dns_check_progress(const struct dns_checker *c, size_t *done, size_t *total);
/* Cancels what is still running (those records stay UNCHECKED). NULL allowed. */
void dns_check_free(struct dns_checker *c);

/* Blocking convenience for the CLI: start, poll until done, free. */
enum sc_status dns_check_run(struct dns_record_set *set, const struct dns_check_opts *opts,
			     struct sc_error *err);

/* ---- the raw answer walker (pure; exposed for tests and fuzzing) ---- */

struct dns_rr {
	char *owner;  /* as in the packet, no trailing dot */
	int type;     /* 1 A, 2 NS, 5 CNAME, 15 MX, 16 TXT, 28 AAAA, ... */
	char *data;   /* A/AAAA: the address; NS/CNAME: target; MX: "pref host"; TXT: the strings
	                 joined; NULL for other types */
};

struct dns_answer {
	int rcode;    /* 0 NOERROR, 2 SERVFAIL, 3 NXDOMAIN, ... */
	bool tc, aa;
	struct dns_rr *rr; /* answer section only */
	size_t n;
};

/* Parse a DNS message. SC_BAD_REPLY with one sentence when it is truncated or malformed
 * (out is then empty). dns_answer_free() releases out. */
enum sc_status dns_answer_parse(const unsigned char *pkt, size_t len, struct dns_answer *out,
				struct sc_error *err);
void dns_answer_free(struct dns_answer *a);

#endif

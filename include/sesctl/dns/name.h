#ifndef SESCTL_DNS_NAME_H
#define SESCTL_DNS_NAME_H

/*
 * Domain names as sesctl publishes and shows them. Pure: no I/O.
 *
 * dns_name_normalize() accepts what an operator types or SES reports (any case, one
 * trailing dot, Unicode or punycode) and yields the A-label form to publish (lower case,
 * no trailing dot) and the U-label form to show. Failures are SC_USAGE with one sentence
 * that names the offending input: empty labels, a name over 253 bytes or a label over 63,
 * characters outside letters/digits/hyphen (underscore only with DNS_NAME_UNDERSCORE), a
 * hyphen at the start or end of a label, code points IDNA2008 disallows, a single label.
 */

#include "sesctl/util/err.h"

#include <stdbool.h>

#define DNS_NAME_MAX  253 /* bytes of the A-label form, without the trailing dot */
#define DNS_LABEL_MAX 63

enum dns_name_flags {
	DNS_NAME_UNDERSCORE = 1 << 0, /* allow '_' in labels (record names such as _dmarc) */
	DNS_NAME_SINGLE = 1 << 1,     /* allow a single-label name */
};

struct dns_name {
	char *alabel; /* "xn--bcher-kva.example": publish this */
	char *ulabel; /* "bücher.example": show this (== alabel for ASCII names) */
};

/* Fills *out (caller frees with dns_name_free) or leaves it zeroed and fails. */
enum sc_status dns_name_normalize(const char *input, unsigned flags, struct dns_name *out,
				  struct sc_error *err);
void dns_name_free(struct dns_name *n);

/* true when name equals zone or is below it; both A-labels, case-insensitive, a trailing
 * dot on either is ignored. */
bool dns_name_within(const char *name, const char *zone);
/* Case-insensitive comparison ignoring one trailing dot on either side. */
bool dns_name_equal(const char *a, const char *b);
/* true when any label of name contains '_' (some DNS providers refuse those names). */
bool dns_name_has_underscore(const char *name);

#endif

#include "sesctl/dns/name.h"

#include "sesctl/util/buf.h"

#include <idn2.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* The input as it may appear in a message: control bytes replaced, length capped. */
static void shown(char *dst, size_t dstlen, const char *src)
{
	size_t i = 0;

	for (; src[i] && i + 4 < dstlen; i++)
		dst[i] = ((unsigned char)src[i] < 0x20 || src[i] == 0x7f) ? '?' : src[i];
	if (src[i] && i + 4 >= dstlen) {
		memcpy(dst + i, "...", 3);
		i += 3;
	}
	dst[i] = '\0';
}

static bool is_ascii(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s >= 0x80)
			return false;
	return true;
}

static bool ldh(char c, unsigned flags)
{
	if ((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-')
		return true;
	return c == '_' && (flags & DNS_NAME_UNDERSCORE);
}

static enum sc_status check_label(const char *label, size_t len, unsigned flags, const char *in,
                                  struct sc_error *err)
{
	if (len == 0)
		return sc_fail(err, SC_USAGE, "domain name '%s' has an empty label", in);
	if (len > DNS_LABEL_MAX)
		return sc_fail(err, SC_USAGE,
		               "domain name '%s' has a label of %zu bytes (at most %d allowed)", in,
		               len, DNS_LABEL_MAX);
	for (size_t i = 0; i < len; i++) {
		if (label[i] == '_' && !(flags & DNS_NAME_UNDERSCORE))
			return sc_fail(
			    err, SC_USAGE,
			    "domain name '%s' contains an underscore, which is not allowed here",
			    in);
		if (!ldh(label[i], flags))
			return sc_fail(
			    err, SC_USAGE,
			    "domain name '%s' contains '%c', which is not allowed in a domain name",
			    in, (unsigned char)label[i] < 0x20 ? '?' : label[i]);
	}
	if (label[0] == '-' || label[len - 1] == '-')
		return sc_fail(err, SC_USAGE,
		               "domain name '%s' has a label that starts or ends with a hyphen",
		               in);
	return SC_OK;
}

static enum sc_status check_ascii(const char *name, unsigned flags, const char *in,
                                  struct sc_error *err)
{
	size_t labels = 0;
	const char *p = name;
	enum sc_status st;

	if (strlen(name) > DNS_NAME_MAX)
		return sc_fail(err, SC_USAGE,
		               "domain name '%s' is %zu bytes long (at most %d allowed)", in,
		               strlen(name), DNS_NAME_MAX);
	for (;;) {
		const char *dot = strchr(p, '.');
		size_t len = dot ? (size_t)(dot - p) : strlen(p);

		st = check_label(p, len, flags, in, err);
		if (st)
			return st;
		labels++;
		if (!dot)
			break;
		p = dot + 1;
	}
	if (labels < 2 && !(flags & DNS_NAME_SINGLE))
		return sc_fail(err, SC_USAGE, "domain name '%s' needs at least two labels", in);
	if (strspn(p, "0123456789") == strlen(p))
		return sc_fail(err, SC_USAGE,
		               "domain name '%s' ends in a numeric label: an IP "
		               "address is not a domain name",
		               in);
	return SC_OK;
}

static bool has_alabel(const char *name)
{
	for (const char *p = name; p; p = strchr(p, '.')) {
		if (*p == '.')
			p++;
		if (strncmp(p, "xn--", 4) == 0)
			return true;
	}
	return false;
}

/* Decode A-labels and re-encode the result: what does not round-trip is not IDNA2008. */
static enum sc_status to_unicode(const char *alabel, const char *in, char **ulabel,
                                 struct sc_error *err)
{
	char *u = NULL, *again = NULL;
	int rc = idn2_to_unicode_8z8z(alabel, &u, 0);

	if (rc == IDN2_OK)
		rc = idn2_to_ascii_8z(u, &again, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);
	if (rc != IDN2_OK || strcmp(again, alabel) != 0) {
		free(u);
		free(again);
		return sc_fail(err, SC_USAGE, "domain name '%s' has an invalid punycode label%s%s",
		               in, rc != IDN2_OK ? ": " : "",
		               rc != IDN2_OK ? idn2_strerror(rc) : "");
	}
	free(again);
	*ulabel = xstrdup(u);
	free(u);
	return SC_OK;
}

enum sc_status dns_name_normalize(const char *input, unsigned flags, struct dns_name *out,
                                  struct sc_error *err)
{
	char in[128];
	char *work, *ascii = NULL;
	size_t len;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	if (!input || !*input)
		return sc_fail(err, SC_USAGE, "the domain name is empty");
	shown(in, sizeof(in), input);
	len = strlen(input);
	work = xstrdup(input);
	if (len > 1 && work[len - 1] == '.')
		work[--len] = '\0';
	if (!is_ascii(work)) {
		int rc = idn2_to_ascii_8z(work, &ascii, IDN2_NONTRANSITIONAL | IDN2_NFC_INPUT);

		free(work);
		if (rc != IDN2_OK)
			return sc_fail(err, SC_USAGE,
			               "domain name '%s' is not a valid internationalised name: %s",
			               in, idn2_strerror(rc));
		work = xstrdup(ascii);
		free(ascii);
	}
	for (char *p = work; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	st = check_ascii(work, flags, in, err);
	if (st == SC_OK && has_alabel(work))
		st = to_unicode(work, in, &out->ulabel, err);
	if (st) {
		free(work);
		free(out->ulabel);
		out->ulabel = NULL;
		return st;
	}
	out->alabel = work;
	if (!out->ulabel)
		out->ulabel = xstrdup(work);
	return SC_OK;
}

void dns_name_free(struct dns_name *n)
{
	if (!n)
		return;
	free(n->alabel);
	free(n->ulabel);
	n->alabel = n->ulabel = NULL;
}

static size_t bare_len(const char *s)
{
	size_t n = strlen(s);

	return (n > 0 && s[n - 1] == '.') ? n - 1 : n;
}

bool dns_name_equal(const char *a, const char *b)
{
	size_t na = bare_len(a), nb = bare_len(b);

	return na == nb && strncasecmp(a, b, na) == 0;
}

bool dns_name_within(const char *name, const char *zone)
{
	size_t nn = bare_len(name), nz = bare_len(zone);

	if (nn == nz)
		return strncasecmp(name, zone, nn) == 0;
	if (nz == 0)
		return true;
	return nn > nz && name[nn - nz - 1] == '.' && strncasecmp(name + nn - nz, zone, nz) == 0;
}

bool dns_name_has_underscore(const char *name)
{
	return strchr(name, '_') != NULL;
}

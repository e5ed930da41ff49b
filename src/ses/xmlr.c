#include "sesctl/ses/xmlr.h"

#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/aws/xml.h"

enum sc_status xr_fail_field(struct sc_error *err, const char *op, const char *field)
{
	return sc_fail(err, SC_BAD_REPLY, "%s: the reply has no usable %s", op, field);
}

enum sc_status xr_double_in(const xmlNode *n, const char *path, bool required, double lo,
			    double hi, double *out, const char *op, struct sc_error *err)
{
	char *t = n ? xml_path_text(n, path) : NULL, *end;
	double v;

	if (!t || !*t) {
		free(t);
		return required ? xr_fail_field(err, op, path) : SC_OK;
	}
	errno = 0;
	v = strtod(t, &end);
	if (*end || end == t) {
		free(t);
		return xr_fail_field(err, op, path);
	}
	free(t);
	if (errno == ERANGE || !isfinite(v) || v < lo || v > hi)
		return sc_fail(err, SC_BAD_REPLY, "%s: %s is out of range", op, path);
	*out = v;
	return SC_OK;
}

enum sc_status xr_int64_in(const xmlNode *n, const char *path, bool required, int64_t lo,
			   int64_t hi, int64_t *out, const char *op, struct sc_error *err)
{
	char *t = n ? xml_path_text(n, path) : NULL, *end;
	long long v;

	if (!t || !*t) {
		free(t);
		return required ? xr_fail_field(err, op, path) : SC_OK;
	}
	errno = 0;
	v = strtoll(t, &end, 10);
	if (*end || end == t) {
		free(t);
		return xr_fail_field(err, op, path);
	}
	free(t);
	if (errno == ERANGE || v < lo || v > hi)
		return sc_fail(err, SC_BAD_REPLY, "%s: %s is out of range", op, path);
	*out = (int64_t)v;
	return SC_OK;
}

/* AWS replies are UTF-8. A declaration naming another encoding is refused before libxml2
 * sees it: its converters report bad input on stderr, which would scribble on the TUI. */
static bool encoding_ok(const char *body, size_t len)
{
	const unsigned char *u = (const unsigned char *)body;
	const char *end, *enc, *name;

	/* UTF-16/32 byte-order marks or NUL bytes up front: not UTF-8 */
	if (len >= 2 && (!u[0] || !u[1] || (u[0] == 0xFE && u[1] == 0xFF) ||
			 (u[0] == 0xFF && u[1] == 0xFE)))
		return false;
	if (len < 5 || memcmp(body, "<?xml", 5) != 0)
		return true;
	end = memchr(body, '>', len < 256 ? len : 256);
	if (!end)
		return false;
	enc = memmem(body, (size_t)(end - body), "encoding", 8);
	if (!enc)
		return true;
	enc += 8;
	while (enc < end && (*enc == ' ' || *enc == '=' || *enc == '"' || *enc == '\''))
		enc++;
	name = enc;
	while (enc < end && *enc != '"' && *enc != '\'' && *enc != ' ' && *enc != '?')
		enc++;
	return ((size_t)(enc - name) == 5 && !strncasecmp(name, "UTF-8", 5)) ||
	       ((size_t)(enc - name) == 8 && !strncasecmp(name, "US-ASCII", 8));
}

/* Encoding, well-formedness and DOCTYPE checks shared by both openers. */
static xmlDoc *open_checked(const char *body, size_t len, const char *op, struct sc_error *err)
{
	xmlDoc *doc;

	if (body && !encoding_ok(body, len)) {
		sc_fail(err, SC_BAD_REPLY, "%s: the reply is not UTF-8 XML", op);
		return NULL;
	}
	doc = xml_parse(body, len, err);
	if (!doc) {
		sc_error_prefix(err, "%s", op);
		return NULL;
	}
	if (doc->intSubset || doc->extSubset) {
		xml_free(doc);
		sc_fail(err, SC_BAD_REPLY, "%s: the reply has a DOCTYPE, which AWS never sends", op);
		return NULL;
	}
	return doc;
}

xmlDoc *xr_open_root(const char *body, size_t len, const char *op, const char *root,
		     struct sc_error *err)
{
	xmlDoc *doc = open_checked(body, len, op, err);

	if (doc && !xml_is(xml_root(doc), root)) {
		sc_fail(err, SC_BAD_REPLY, "%s: the reply is <%.60s>, not <%s>", op,
			xml_name(xml_root(doc)), root);
		xml_free(doc);
		return NULL;
	}
	return doc;
}

xmlDoc *xr_open(const char *body, size_t len, const char *op, bool need_result,
		xmlNode **result, struct sc_error *err)
{
	char name[128];
	xmlDoc *doc;
	xmlNode *root;

	*result = NULL;
	doc = open_checked(body, len, op, err);
	if (!doc)
		return NULL;
	root = xml_root(doc);
	snprintf(name, sizeof(name), "%sResponse", op);
	if (!xml_is(root, name)) {
		sc_fail(err, SC_BAD_REPLY, "%s: the reply is <%.60s>, not <%s>", op, xml_name(root),
			name);
		xml_free(doc);
		return NULL;
	}
	snprintf(name, sizeof(name), "%sResult", op);
	*result = xml_child(root, name);
	if (!*result && need_result) {
		xr_fail_field(err, op, name);
		xml_free(doc);
		return NULL;
	}
	return doc;
}

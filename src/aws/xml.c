#include "sesctl/aws/xml.h"

#include <ctype.h>
#include <errno.h>
#include <limits.h>
#include <libxml/parser.h>
#include <libxml/xmlerror.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/util/buf.h"

/* Never XML_PARSE_NOENT or XML_PARSE_DTDLOAD: no entity expansion, no external fetches. */
#define XML_SAFE_OPTIONS (XML_PARSE_NONET | XML_PARSE_NOERROR | XML_PARSE_NOWARNING)

/* libxml2 reports some problems (encoding errors) on stderr even with NOERROR; on a
 * console that output would land on the screen. Errors reach the user through err. */
static void xml_quiet(void *ctx, const char *msg, ...)
{
	(void)ctx;
	(void)msg;
}

static void xml_quiet_structured(void *ctx, xmlErrorPtr e)
{
	(void)ctx;
	(void)e;
}

xmlDoc *xml_parse(const char *data, size_t len, struct sc_error *err)
{
	xmlDoc *doc;

	xmlSetGenericErrorFunc(NULL, xml_quiet);
	xmlSetStructuredErrorFunc(NULL, xml_quiet_structured);
	if (!data || !len || len > INT_MAX) {
		sc_fail(err, SC_BAD_REPLY, "the reply is empty or too large to be parsed as XML");
		return NULL;
	}
	doc = xmlReadMemory(data, (int)len, "reply.xml", NULL, XML_SAFE_OPTIONS);
	if (!doc || !xmlDocGetRootElement(doc)) {
		xmlFreeDoc(doc);
		sc_fail(err, SC_BAD_REPLY, "the reply is not well-formed XML");
		return NULL;
	}
	/* AWS never sends a DOCTYPE; refusing it rules out entity tricks on later reads. */
	if (xmlGetIntSubset(doc)) {
		xmlFreeDoc(doc);
		sc_fail(err, SC_BAD_REPLY, "the reply has a DOCTYPE, which AWS never sends");
		return NULL;
	}
	return doc;
}

void xml_free(xmlDoc *doc)
{
	if (doc)
		xmlFreeDoc(doc);
}

xmlNode *xml_root(const xmlDoc *doc)
{
	return doc ? xmlDocGetRootElement(doc) : NULL;
}

const char *xml_name(const xmlNode *n)
{
	if (!n || n->type != XML_ELEMENT_NODE || !n->name)
		return "";
	return (const char *)n->name;
}

bool xml_is(const xmlNode *n, const char *name)
{
	return n && n->type == XML_ELEMENT_NODE && strcmp(xml_name(n), name) == 0;
}

xmlNode *xml_next(const xmlNode *parent, const xmlNode *prev, const char *name)
{
	xmlNode *n;

	if (!parent)
		return NULL;
	n = prev ? prev->next : parent->children;
	for (; n; n = n->next)
		if (xml_is(n, name))
			return n;
	return NULL;
}

xmlNode *xml_child(const xmlNode *parent, const char *name)
{
	return xml_next(parent, NULL, name);
}

size_t xml_count(const xmlNode *parent, const char *name)
{
	size_t k = 0;

	for (xmlNode *m = xml_next(parent, NULL, name); m; m = xml_next(parent, m, name))
		k++;
	return k;
}

xmlNode *xml_path(const xmlNode *n, const char *path)
{
	char step[256];
	const char *p = path;

	if (!path)
		return (xmlNode *)n;
	while (n && *p) {
		size_t len = strcspn(p, "/");

		if (len && len < sizeof(step)) {
			memcpy(step, p, len);
			step[len] = '\0';
			n = xml_child(n, step);
		} else if (len) {
			return NULL;
		}
		p += len;
		if (*p == '/')
			p++;
	}
	return (xmlNode *)n;
}

xmlNode *xml_find(const xmlNode *n, const char *name)
{
	if (!n)
		return NULL;
	for (xmlNode *c = n->children; c; c = c->next) {
		xmlNode *hit;

		if (c->type != XML_ELEMENT_NODE)
			continue;
		if (xml_is(c, name))
			return c;
		hit = xml_find(c, name);
		if (hit)
			return hit;
	}
	return NULL;
}

char *xml_text(const xmlNode *n)
{
	xmlChar *raw;
	const char *s, *e;
	char *out;

	if (!n)
		return NULL;
	raw = xmlNodeGetContent(n);
	if (!raw)
		return xstrdup("");
	s = (const char *)raw;
	while (isspace((unsigned char)*s))
		s++;
	e = s + strlen(s);
	while (e > s && isspace((unsigned char)e[-1]))
		e--;
	out = xstrndup(s, (size_t)(e - s));
	secure_zero(raw, strlen((const char *)raw)); /* may be a secret key or token */
	xmlFree(raw);
	return out;
}

char *xml_path_text(const xmlNode *n, const char *path)
{
	return xml_text(xml_path(n, path));
}

bool xml_path_copy(const xmlNode *n, const char *path, char *out, size_t outlen)
{
	char *t = xml_path_text(n, path);
	size_t len;

	if (outlen)
		out[0] = '\0';
	if (!t)
		return false;
	len = strlen(t);
	if (outlen) {
		if (len >= outlen)
			len = outlen - 1;
		memcpy(out, t, len);
		out[len] = '\0';
	}
	free(t);
	return true;
}

bool xml_path_bool(const xmlNode *n, const char *path, bool *out)
{
	char *t = xml_path_text(n, path);
	bool ok = false;

	if (t && (strcasecmp(t, "true") == 0 || strcasecmp(t, "false") == 0)) {
		*out = strcasecmp(t, "true") == 0;
		ok = true;
	}
	free(t);
	return ok;
}

bool xml_path_int64(const xmlNode *n, const char *path, int64_t *out)
{
	char *t = xml_path_text(n, path), *end;
	long long v;
	bool ok = false;

	if (t && *t) {
		errno = 0;
		v = strtoll(t, &end, 10);
		if (!errno && !*end) {
			*out = (int64_t)v;
			ok = true;
		}
	}
	free(t);
	return ok;
}

bool xml_path_double(const xmlNode *n, const char *path, double *out)
{
	char *t = xml_path_text(n, path), *end;
	double v;
	bool ok = false;

	if (t && *t) {
		errno = 0;
		v = strtod(t, &end);
		if (!errno && !*end) {
			*out = v;
			ok = true;
		}
	}
	free(t);
	return ok;
}

bool xml_path_time(const xmlNode *n, const char *path, time_t *out)
{
	char *t = xml_path_text(n, path);
	bool ok = t && xml_parse_iso8601(t, out);

	free(t);
	return ok;
}

/* Read exactly `digits` decimal digits at *p; advances *p. */
static bool read_num(const char **p, int digits, int *out)
{
	int v = 0;

	for (int i = 0; i < digits; i++) {
		if (!isdigit((unsigned char)(*p)[i]))
			return false;
		v = v * 10 + ((*p)[i] - '0');
	}
	*p += digits;
	*out = v;
	return true;
}

static bool expect_char(const char **p, char c)
{
	if (**p != c)
		return false;
	(*p)++;
	return true;
}

/* Zone suffix → offset east of UTC in seconds. */
static bool read_zone(const char *p, long *offset)
{
	int hh, mm;
	int sign;

	*offset = 0;
	if (!*p)
		return true;
	if ((p[0] == 'Z' || p[0] == 'z') && !p[1])
		return true;
	if (*p != '+' && *p != '-')
		return false;
	sign = *p++ == '-' ? -1 : 1;
	if (!read_num(&p, 2, &hh))
		return false;
	if (*p == ':')
		p++;
	if (!read_num(&p, 2, &mm) || *p || hh > 23 || mm > 59)
		return false;
	*offset = sign * (hh * 3600L + mm * 60L);
	return true;
}

bool xml_parse_iso8601(const char *s, time_t *out)
{
	struct tm tm;
	int y, mo, d, h, mi, sec;
	long offset;
	time_t t;
	const char *p = s;

	if (!s)
		return false;
	if (!read_num(&p, 4, &y) || !expect_char(&p, '-') || !read_num(&p, 2, &mo) ||
	    !expect_char(&p, '-') || !read_num(&p, 2, &d))
		return false;
	if (*p != 'T' && *p != 't' && *p != ' ')
		return false;
	p++;
	if (!read_num(&p, 2, &h) || !expect_char(&p, ':') || !read_num(&p, 2, &mi) ||
	    !expect_char(&p, ':') || !read_num(&p, 2, &sec))
		return false;
	if (*p == '.') {
		p++;
		if (!isdigit((unsigned char)*p))
			return false;
		while (isdigit((unsigned char)*p))
			p++;
	}
	if (!read_zone(p, &offset))
		return false;
	if (mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 || mi > 59 || sec > 60)
		return false;
	memset(&tm, 0, sizeof(tm));
	tm.tm_year = y - 1900;
	tm.tm_mon = mo - 1;
	tm.tm_mday = d;
	tm.tm_hour = h;
	tm.tm_min = mi;
	tm.tm_sec = sec;
	t = timegm(&tm);
	/* timegm normalises 31 February into March: refuse dates that moved. */
	if (tm.tm_mday != d || tm.tm_mon != mo - 1)
		return false;
	*out = t - offset;
	return true;
}

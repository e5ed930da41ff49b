/* DMARC aggregate reports: find them in a blob (XML, gzip, zip, mbox, MIME message) and
 * parse them, within limits. */
#include "sesctl/dns/dmarc_report.h"

#include <archive.h>
#include <archive_entry.h>
#include <ctype.h>
#include <gmime/gmime.h>
#include <libxml/tree.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <zlib.h>

#include "sesctl/aws/xml.h"
#include "sesctl/util/buf.h"

#define MIB (1024u * 1024u)
#define ITEM_NAME_MAX 200

struct dmarc_limits dmarc_limits_default(void)
{
	return (struct dmarc_limits){.max_input = 64 * MIB, .max_report = 64 * MIB, .max_ratio = 200,
				     .max_entries = 1000, .max_depth = 32, .max_records = 200000};
}

/* ---- freeing ---- */

static void record_free(struct dmarc_agg_record *x)
{
	free(x->source_ip);
	free(x->disposition);
	free(x->dkim);
	free(x->spf);
	free(x->reasons);
	free(x->header_from);
	free(x->envelope_from);
	free(x->envelope_to);
	for (size_t i = 0; i < x->n_dkim; i++) {
		free(x->dkim_results[i].domain);
		free(x->dkim_results[i].selector);
		free(x->dkim_results[i].result);
		free(x->dkim_results[i].human_result);
	}
	free(x->dkim_results);
	for (size_t i = 0; i < x->n_spf; i++) {
		free(x->spf_results[i].domain);
		free(x->spf_results[i].scope);
		free(x->spf_results[i].result);
	}
	free(x->spf_results);
	memset(x, 0, sizeof(*x));
}

void dmarc_report_free(struct dmarc_report *r)
{
	struct dmarc_policy *p;

	if (!r)
		return;
	p = &r->policy;
	free(r->org_name);
	free(r->email);
	free(r->report_id);
	free(r->version);
	free(r->errors);
	free(p->domain);
	free(p->adkim);
	free(p->aspf);
	free(p->p);
	free(p->sp);
	free(p->np);
	free(p->fo);
	free(p->discovery_method);
	for (size_t i = 0; i < r->n_records; i++)
		record_free(&r->records[i]);
	free(r->records);
	free(r->drop_reason);
	memset(r, 0, sizeof(*r));
}

/* ---- XML ---- */

#define DMARC_NS_2 "urn:ietf:params:xml:ns:dmarc-2.0"

/* Text of the child named name, trimmed; NULL when absent or empty. */
static char *text_of(const xmlNode *n, const char *name)
{
	char *s = xml_path_text(n, name), *b, *e;

	if (!s)
		return NULL;
	for (b = s; *b && isspace((unsigned char)*b); b++)
		;
	for (e = b + strlen(b); e > b && isspace((unsigned char)e[-1]); e--)
		;
	*e = '\0';
	if (!*b) {
		free(s);
		return NULL;
	}
	memmove(s, b, (size_t)(e - b) + 1);
	return s;
}

static char *lower_of(const xmlNode *n, const char *name)
{
	char *s = text_of(n, name);

	for (char *p = s; p && *p; p++)
		*p = (char)tolower((unsigned char)*p);
	return s;
}

/* Digits only, at most max. */
static bool number_of(const xmlNode *n, const char *name, uint64_t max, uint64_t *out)
{
	char *s = text_of(n, name);
	uint64_t v = 0;
	bool ok = s && *s;

	for (const char *p = s; ok && *p; p++) {
		if (!isdigit((unsigned char)*p) || v > (max - (uint64_t)(*p - '0')) / 10)
			ok = false;
		else
			v = v * 10 + (uint64_t)(*p - '0');
	}
	free(s);
	if (ok)
		*out = v;
	return ok;
}

static int depth_of(const xmlNode *n, int limit)
{
	int best = 0;

	if (limit <= 0)
		return 1;
	for (const xmlNode *c = n ? n->children : NULL; c; c = c->next) {
		if (c->type != XML_ELEMENT_NODE)
			continue;
		int d = depth_of(c, limit - 1);

		if (d > best)
			best = d;
		if (best >= limit)
			break;
	}
	return best + 1;
}

static void join(char **dst, const char *sep, const char *s)
{
	struct buf b = {0};

	if (!s || !*s)
		return;
	if (*dst)
		buf_printf(&b, "%s%s", *dst, sep);
	buf_puts(&b, s);
	free(*dst);
	*dst = buf_steal(&b);
}

static void parse_auth(const xmlNode *auth, struct dmarc_agg_record *x)
{
	size_t nd = xml_count(auth, "dkim"), ns = xml_count(auth, "spf");
	const xmlNode *c = NULL;

	x->dkim_results = nd ? calloc(nd, sizeof(*x->dkim_results)) : NULL;
	x->spf_results = ns ? calloc(ns, sizeof(*x->spf_results)) : NULL;
	if ((nd && !x->dkim_results) || (ns && !x->spf_results))
		abort();
	while ((c = xml_next(auth, c, "dkim")) && x->n_dkim < nd) {
		struct dmarc_dkim_result *d = &x->dkim_results[x->n_dkim++];

		d->domain = lower_of(c, "domain");
		d->selector = text_of(c, "selector");
		d->result = lower_of(c, "result");
		d->human_result = text_of(c, "human_result");
	}
	c = NULL;
	while ((c = xml_next(auth, c, "spf")) && x->n_spf < ns) {
		struct dmarc_spf_result *s = &x->spf_results[x->n_spf++];

		s->domain = lower_of(c, "domain");
		s->scope = lower_of(c, "scope");
		s->result = lower_of(c, "result");
	}
}

/* One <record>; NULL on success, else why it was dropped (static text). */
static const char *parse_record(const xmlNode *rec, struct dmarc_agg_record *x)
{
	const xmlNode *row = xml_child(rec, "row"), *pe = xml_child(row, "policy_evaluated");
	const xmlNode *ids = xml_child(rec, "identifiers"), *r = NULL;

	memset(x, 0, sizeof(*x));
	x->source_ip = text_of(row, "source_ip");
	if (!x->source_ip)
		return "a record has no row/source_ip";
	if (!number_of(row, "count", (uint64_t)1 << 53, &x->count))
		return "a record has no usable row/count";
	x->header_from = lower_of(ids, "header_from");
	if (!x->header_from)
		return "a record has no identifiers/header_from";
	x->disposition = lower_of(pe, "disposition");
	x->dkim = lower_of(pe, "dkim");
	x->spf = lower_of(pe, "spf");
	while ((r = xml_next(pe, r, "reason"))) {
		char *type = text_of(r, "type"), *comment = text_of(r, "comment");
		struct buf b = {0};

		buf_puts(&b, type ? type : "other");
		if (comment)
			buf_printf(&b, ": %s", comment);
		join(&x->reasons, "; ", buf_str(&b));
		buf_free(&b);
		free(type);
		free(comment);
	}
	x->envelope_from = lower_of(ids, "envelope_from");
	x->envelope_to = lower_of(ids, "envelope_to");
	parse_auth(xml_child(rec, "auth_results"), x);
	return NULL;
}

static enum sc_status parse_policy(const xmlNode *pp, struct dmarc_policy *p,
				   struct sc_error *err)
{
	uint64_t pct;

	p->domain = lower_of(pp, "domain");
	if (!p->domain)
		return sc_fail(err, SC_BAD_REPLY, "no policy_published/domain");
	p->adkim = lower_of(pp, "adkim");
	p->aspf = lower_of(pp, "aspf");
	p->p = lower_of(pp, "p");
	p->sp = lower_of(pp, "sp");
	p->np = lower_of(pp, "np");
	p->fo = text_of(pp, "fo");
	p->discovery_method = text_of(pp, "discovery_method");
	p->pct = -1;
	if (xml_child(pp, "pct") && number_of(pp, "pct", 100, &pct))
		p->pct = (int)pct;
	{
		char *t = lower_of(pp, "testing");

		p->testing = t && (!strcmp(t, "y") || !strcmp(t, "yes") || !strcmp(t, "true"));
		free(t);
	}
	return SC_OK;
}

static enum sc_status parse_meta(const xmlNode *root, struct dmarc_report *r,
				 struct sc_error *err)
{
	const xmlNode *md = xml_child(root, "report_metadata"), *e = NULL;
	const xmlNode *dr = xml_child(md, "date_range");
	uint64_t begin, end;

	if (!md)
		return sc_fail(err, SC_BAD_REPLY, "no report_metadata");
	r->org_name = text_of(md, "org_name");
	r->email = text_of(md, "email");
	r->report_id = text_of(md, "report_id");
	r->version = text_of(root, "version");
	if (!r->org_name)
		return sc_fail(err, SC_BAD_REPLY, "no report_metadata/org_name");
	if (!r->report_id)
		return sc_fail(err, SC_BAD_REPLY, "no report_metadata/report_id");
	if (!number_of(dr, "begin", (uint64_t)1 << 40, &begin) ||
	    !number_of(dr, "end", (uint64_t)1 << 40, &end))
		return sc_fail(err, SC_BAD_REPLY, "no usable report_metadata/date_range");
	r->begin = (time_t)begin;
	r->end = (time_t)end;
	while ((e = xml_next(md, e, "error"))) {
		char *t = xml_text(e);

		join(&r->errors, "; ", t);
		free(t);
	}
	return SC_OK;
}

enum sc_status dmarc_report_parse(const char *xml, size_t len, const struct dmarc_limits *lim,
				  struct dmarc_report *out, struct sc_error *err)
{
	struct dmarc_limits dl = lim ? *lim : dmarc_limits_default();
	struct sc_error xerr = {0};
	xmlDoc *doc;
	const xmlNode *root, *rec = NULL;
	size_t n, cap;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	if (len > dl.max_report)
		return sc_fail(err, SC_BAD_REPLY, "larger than %zu MiB (the limit for one report)",
			       dl.max_report / MIB);
	doc = xml_parse(xml, len, &xerr);
	if (!doc)
		return sc_fail(err, SC_BAD_REPLY, "%s", strstr(xerr.message, "DOCTYPE")
			       ? "has a DOCTYPE (refused: reports need none, entity tricks start there)"
			       : "not well-formed XML");
	root = xml_root(doc);
	if (!xml_is(root, "feedback")) {
		sc_fail(err, SC_BAD_REPLY, "the root element is <%.40s>, not <feedback>", xml_name(root));
		xml_free(doc);   /* after the message: root's name lives in doc */
		return SC_BAD_REPLY;
	}
	if (depth_of(root, (int)dl.max_depth + 1) > (int)dl.max_depth) {
		xml_free(doc);
		return sc_fail(err, SC_BAD_REPLY, "nested deeper than %u elements", dl.max_depth);
	}
	out->rfc9990 = root->ns && root->ns->href &&
		       !strcmp((const char *)root->ns->href, DMARC_NS_2);
	st = parse_meta(root, out, err);
	if (!st)
		st = parse_policy(xml_child(root, "policy_published"), &out->policy, err);
	n = xml_count(root, "record");
	if (!st && n > dl.max_records)
		st = sc_fail(err, SC_BAD_REPLY, "%zu records (the limit is %u)", n, dl.max_records);
	cap = n;
	if (!st && cap && !(out->records = calloc(cap, sizeof(*out->records))))
		st = sc_fail(err, SC_NOMEM, "out of memory");
	while (!st && (rec = xml_next(root, rec, "record"))) {
		struct dmarc_agg_record *x = &out->records[out->n_records];
		const char *why = parse_record(rec, x);

		if (!why) {
			out->n_records++;
			continue;
		}
		record_free(x);
		if (!out->dropped_records++)
			out->drop_reason = strdup(why);
	}
	xml_free(doc);
	if (st)
		dmarc_report_free(out);
	return st;
}

/* ---- unpacking ---- */

struct walk {
	const struct dmarc_limits *lim;
	dmarc_report_fn fn;
	void *ud;
	enum sc_status stop;     /* the callback's status that ended the walk */
	size_t found;            /* reports and refused items told to fn */
};

static void item_name(struct buf *out, const char *parent, const char *child)
{
	buf_reset(out);
	buf_puts(out, parent);
	if (child) {
		buf_puts(out, " › ");
		buf_append(out, child, strnlen(child, ITEM_NAME_MAX));
	}
}

static void tell_error(struct walk *w, const char *item, const struct sc_error *e)
{
	w->found++;
	if (w->stop == SC_OK)
		w->stop = w->fn(w->ud, item, NULL, e);
}

static void tell_failure(struct walk *w, const char *item, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void tell_failure(struct walk *w, const char *item, const char *fmt, ...)
{
	struct sc_error e = {0};
	va_list ap;

	va_start(ap, fmt);
	sc_vfail(&e, SC_BAD_REPLY, fmt, ap);
	va_end(ap);
	tell_error(w, item, &e);
}

static void deliver_xml(struct walk *w, const char *item, const char *xml, size_t len)
{
	struct dmarc_report *r;
	struct sc_error e = {0};

	if (w->stop != SC_OK)
		return;
	r = calloc(1, sizeof(*r));
	if (!r)
		abort();
	if (dmarc_report_parse(xml, len, w->lim, r, &e) != SC_OK) {
		free(r);
		tell_error(w, item, &e);
		return;
	}
	w->found++;
	w->stop = w->fn(w->ud, item, r, NULL);
}

static bool looks_xml(const unsigned char *p, size_t n)
{
	size_t i = 0;

	if (n >= 3 && p[0] == 0xEF && p[1] == 0xBB && p[2] == 0xBF)
		i = 3;
	while (i < n && isspace(p[i]))
		i++;
	return i < n && p[i] == '<';
}

static bool looks_gzip(const unsigned char *p, size_t n)
{
	return n >= 2 && p[0] == 0x1f && p[1] == 0x8b;
}

static bool looks_zip(const unsigned char *p, size_t n)
{
	return n >= 4 && p[0] == 'P' && p[1] == 'K' && p[2] == 3 && p[3] == 4;
}

static bool looks_mbox(const unsigned char *p, size_t n)
{
	return n >= 5 && !memcmp(p, "From ", 5);
}

/* What one report may decompress to from compressed bytes: the size limit, or less when
 * the ratio limit says so. */
static size_t lim_cap(const struct dmarc_limits *lim, size_t compressed)
{
	size_t cap = lim->max_report;

	if ((double)lim->max_ratio * (double)compressed < (double)cap)
		cap = (size_t)lim->max_ratio * compressed;
	return cap;
}

/* Inflate one gzip member into out, within the limits; NULL or why not. */
static const char *gunzip(const void *in, size_t len, const struct dmarc_limits *lim,
			  struct buf *out, char *why, size_t why_len)
{
	z_stream z = {0};
	unsigned char chunk[65536];
	size_t cap = lim_cap(lim, len);
	int rc;

	if (inflateInit2(&z, 16 + MAX_WBITS) != Z_OK)
		return "gzip: cannot start inflating";
	z.next_in = (Bytef *)(uintptr_t)in;
	z.avail_in = (uInt)(len > UINT32_MAX ? UINT32_MAX : len);
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		rc = inflate(&z, Z_NO_FLUSH);
		if (rc != Z_OK && rc != Z_STREAM_END) {
			inflateEnd(&z);
			return rc == Z_BUF_ERROR ? "gzip: truncated" : "gzip: corrupt data";
		}
		if (out->len + (sizeof(chunk) - z.avail_out) > cap) {
			inflateEnd(&z);
			if (cap < lim->max_report)
				snprintf(why, why_len, "gzip: inflates more than %u times its size (a "
						       "decompression bomb?)", lim->max_ratio);
			else
				snprintf(why, why_len, "gzip: decompresses past %zu MiB (the limit for "
						       "one report)", lim->max_report / MIB);
			return why;
		}
		buf_append(out, chunk, sizeof(chunk) - z.avail_out);
		if (rc == Z_OK && z.avail_in == 0 && z.avail_out != 0) {
			inflateEnd(&z);
			return "gzip: truncated";
		}
	} while (rc != Z_STREAM_END);
	inflateEnd(&z);
	return NULL;
}

static void walk_blob(struct walk *w, const char *item, const unsigned char *p, size_t n,
		      int depth, bool top);

static bool report_entry_name(const char *name)
{
	size_t l = strlen(name);

	return (l > 4 && !strcasecmp(name + l - 4, ".xml")) ||
	       (l > 3 && !strcasecmp(name + l - 3, ".gz"));
}

static void walk_zip(struct walk *w, const char *item, const unsigned char *p, size_t n,
		     int depth)
{
	struct archive *a = archive_read_new();
	struct archive_entry *e;
	struct buf name = {0}, data = {0};
	unsigned entries = 0;
	size_t before = w->found, inflated = 0;
	int rc;

	archive_read_support_format_zip(a);
	if (archive_read_open_memory(a, p, n) != ARCHIVE_OK) {
		tell_failure(w, item, "zip: %s", archive_error_string(a) ? archive_error_string(a)
									   : "unreadable");
		archive_read_free(a);
		return;
	}
	while (w->stop == SC_OK && (rc = archive_read_next_header(a, &e)) == ARCHIVE_OK) {
		const char *en = archive_entry_pathname(e) ? archive_entry_pathname(e) : "?";
		char chunk[65536];
		la_ssize_t got;
		size_t cap = lim_cap(w->lim, n);

		/* the entries together, too: a thousand entries just under the cap are a bomb */
		if (inflated >= cap) {
			tell_failure(w, item, "zip: its entries inflate more than %u times the "
					      "archive; the rest were not read", w->lim->max_ratio);
			break;
		}
		cap -= inflated;

		item_name(&name, item, en);
		if (++entries > w->lim->max_entries) {
			tell_failure(w, item, "zip: more than %u entries; the rest were not read",
				     w->lim->max_entries);
			break;
		}
		if (archive_entry_filetype(e) != AE_IFREG || !report_entry_name(en))
			continue;
		buf_reset(&data);
		while ((got = archive_read_data(a, chunk, sizeof(chunk))) > 0) {
			if (data.len + (size_t)got > cap)
				break;
			buf_append(&data, chunk, (size_t)got);
		}
		inflated += data.len;
		if (got > 0) {
			tell_failure(w, buf_str(&name), cap < w->lim->max_report
				     ? "zip: inflates more than %u times the archive (a decompression bomb?)"
				     : "zip: decompresses past %u MiB (the limit for one report)",
				     cap < w->lim->max_report ? w->lim->max_ratio
							      : (unsigned)(w->lim->max_report / MIB));
			continue;
		}
		if (got < 0) {
			tell_failure(w, buf_str(&name), "zip: %s", archive_error_string(a)
				     ? archive_error_string(a) : "corrupt entry");
			break;
		}
		walk_blob(w, buf_str(&name), (const unsigned char *)data.data, data.len, depth + 1,
			  false);
	}
	if (w->stop == SC_OK && rc != ARCHIVE_EOF && rc != ARCHIVE_OK && entries <= w->lim->max_entries)
		tell_failure(w, item, "zip: %s", archive_error_string(a) ? archive_error_string(a)
									   : "corrupt archive");
	else if (w->stop == SC_OK && w->found == before)
		tell_failure(w, item, "zip: no .xml or .gz entry in the archive");
	archive_read_free(a);
	buf_free(&name);
	buf_free(&data);
}

/* ---- messages (GMime) ---- */

static pthread_once_t gmime_once = PTHREAD_ONCE_INIT;

static void gmime_start(void)
{
	g_mime_init();
}

static bool report_type(GMimeContentType *ct, const char *filename)
{
	static const char *const types[] = {
		"application/gzip", "application/x-gzip", "application/zip",
		"application/x-zip-compressed", "application/x-zip", "text/xml", "application/xml",
		"application/x-gunzip", NULL};
	char *mime = ct ? g_mime_content_type_get_mime_type(ct) : NULL;
	bool yes = false;

	for (size_t i = 0; mime && types[i] && !yes; i++)
		yes = !g_ascii_strcasecmp(mime, types[i]);
	g_free(mime);
	if (!yes && filename) {
		size_t l = strlen(filename);

		yes = (l > 4 && !strcasecmp(filename + l - 4, ".xml")) ||
		      (l > 3 && !strcasecmp(filename + l - 3, ".gz")) ||
		      (l > 4 && !strcasecmp(filename + l - 4, ".zip"));
	}
	return yes;
}

struct mime_walk {
	struct walk *w;
	const char *item;
	int depth;
	unsigned parts;
	bool over;
	size_t max_decoded;
};

static void on_part(GMimeObject *parent, GMimeObject *part, gpointer ud)
{
	struct mime_walk *m = ud;
	GMimeDataWrapper *content;
	GMimeStream *mem;
	GByteArray *bytes;
	const char *fname;
	struct buf name = {0};

	(void)parent;
	if (m->over || m->w->stop != SC_OK)
		return;
	if (++m->parts > m->w->lim->max_entries) {
		m->over = true;
		tell_failure(m->w, m->item, "message: more than %u parts; the rest were not read",
			     m->w->lim->max_entries);
		return;
	}
	if (!GMIME_IS_PART(part))
		return;
	fname = g_mime_part_get_filename(GMIME_PART(part));
	if (!report_type(g_mime_object_get_content_type(part), fname))
		return;
	content = g_mime_part_get_content(GMIME_PART(part));
	if (!content)
		return;
	item_name(&name, m->item, fname ? fname : "attachment");
	mem = g_mime_stream_mem_new();
	if (g_mime_data_wrapper_write_to_stream(content, mem) < 0) {
		tell_failure(m->w, buf_str(&name), "the attachment cannot be decoded");
	} else {
		bytes = g_mime_stream_mem_get_byte_array(GMIME_STREAM_MEM(mem));
		if (bytes->len > m->max_decoded)
			tell_failure(m->w, buf_str(&name), "the attachment is larger than %zu MiB",
				     m->max_decoded / MIB);
		else
			walk_blob(m->w, buf_str(&name), bytes->data, bytes->len, m->depth + 1, false);
	}
	g_object_unref(mem);
	buf_free(&name);
}

static void walk_message(struct walk *w, const char *item, GMimeMessage *msg, int depth,
			 size_t max_decoded)
{
	struct mime_walk m = {w, item, depth, 0, false, max_decoded};
	size_t before = w->found;

	g_mime_message_foreach(msg, on_part, &m);
	if (w->stop == SC_OK && w->found == before)
		tell_failure(w, item, "no DMARC report attachment in the message");
}

static void walk_mime(struct walk *w, const char *item, const unsigned char *p, size_t n,
		      int depth, bool mbox)
{
	GMimeStream *stream;
	GMimeParser *parser;
	struct buf name = {0};
	unsigned count = 0;

	pthread_once(&gmime_once, gmime_start);
	/* GMime copies the bytes (at most max_input) into its own buffer */
	stream = g_mime_stream_mem_new_with_buffer((const char *)p, n);
	parser = g_mime_parser_new_with_stream(stream);
	g_mime_parser_set_format(parser, mbox ? GMIME_FORMAT_MBOX : GMIME_FORMAT_MESSAGE);
	while (w->stop == SC_OK) {
		GMimeMessage *msg = g_mime_parser_construct_message(parser, NULL);

		if (!msg) {
			if (!count)
				tell_failure(w, item, mbox ? "not an mbox of messages"
							   : "not a mail message");
			break;
		}
		count++;
		if (mbox) {
			char num[32];

			snprintf(num, sizeof(num), "message %u", count);
			item_name(&name, item, num);
		} else {
			item_name(&name, item, NULL);
		}
		if (count > w->lim->max_entries) {
			g_object_unref(msg);
			tell_failure(w, item, "mbox: more than %u messages; the rest were not read",
				     w->lim->max_entries);
			break;
		}
		walk_message(w, buf_str(&name), msg, depth, n);
		g_object_unref(msg);
		if (!mbox || g_mime_parser_eos(parser))
			break;
	}
	g_object_unref(parser);
	g_object_unref(stream);
	buf_free(&name);
}

/* ---- the walk ---- */

static void walk_blob(struct walk *w, const char *item, const unsigned char *p, size_t n,
		      int depth, bool top)
{
	if (w->stop != SC_OK)
		return;
	if (depth > DMARC_MAX_NESTING) {
		tell_failure(w, item, "nested more than %d levels deep", DMARC_MAX_NESTING);
		return;
	}
	if (looks_gzip(p, n)) {
		struct buf out = {0};
		char why[160];
		const char *bad = gunzip(p, n, w->lim, &out, why, sizeof(why));

		if (bad)
			tell_failure(w, item, "%s", bad);
		else
			walk_blob(w, item, (const unsigned char *)out.data, out.len, depth + 1, false);
		buf_free(&out);
	} else if (looks_zip(p, n)) {
		walk_zip(w, item, p, n, depth);
	} else if (looks_xml(p, n)) {
		deliver_xml(w, item, (const char *)p, n);
	} else if (top && looks_mbox(p, n)) {
		walk_mime(w, item, p, n, depth, true);
	} else if (top) {
		walk_mime(w, item, p, n, depth, false);
	} else {
		tell_failure(w, item, "neither XML, gzip nor zip");
	}
}

enum sc_status dmarc_unpack(const char *name, const void *data, size_t len,
			    const struct dmarc_limits *lim, dmarc_report_fn fn, void *ud,
			    struct sc_error *err)
{
	struct dmarc_limits dl = lim ? *lim : dmarc_limits_default();
	struct walk w = {&dl, fn, ud, SC_OK, 0};

	if (!len)   /* the caller names the blob beside these messages */
		return sc_fail(err, SC_BAD_REPLY, "empty");
	if (len > dl.max_input)
		return sc_fail(err, SC_BAD_REPLY, "larger than %zu MiB (the limit for one file)",
			       dl.max_input / MIB);
	walk_blob(&w, name, data, len, 0, true);
	return w.stop;
}

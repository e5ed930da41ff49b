#include "sesctl/dns/check.h"

#include "sesctl/dns/name.h"
#include "sesctl/dns/policy.h"
#include "sesctl/util/buf.h"

#include <ares.h>
#include <arpa/inet.h>
#include <errno.h>
#include <netdb.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

enum { RR_A = 1, RR_NS = 2, RR_CNAME = 5, RR_MX = 15, RR_TXT = 16, RR_AAAA = 28, CLASS_IN = 1 };
enum { RCODE_NOERROR = 0, RCODE_NXDOMAIN = 3 };

#define MAX_AUTH    4
#define MAX_SPF     40 /* SPF domains followed through include:/redirect= */
#define SPF_LIMIT   10 /* RFC 7208 4.6.4 */
#define MAX_ANSWERS 512
#define NO_QUERY    SIZE_MAX

/* ---- the raw answer walker ---- */

static unsigned rd16(const unsigned char *p)
{
	return (unsigned)p[0] << 8 | p[1];
}

static enum sc_status read_name(const unsigned char *at, const unsigned char *pkt, size_t len,
                                char **out, size_t *used, struct sc_error *err)
{
	char *s = NULL;
	long enclen = 0;

	if (at >= pkt + len || ares_expand_name(at, pkt, (int)len, &s, &enclen) != ARES_SUCCESS)
		return sc_fail(err, SC_BAD_REPLY, "malformed DNS answer: a bad domain name");
	*out = xstrdup(s);
	ares_free_string(s);
	*used = (size_t)enclen;
	return SC_OK;
}

static char *txt_data(const unsigned char *p, size_t rdlen, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	size_t i = 0;

	while (i < rdlen) {
		size_t n = p[i++];

		if (n > rdlen - i) {
			buf_free(&b);
			sc_fail(err, SC_BAD_REPLY,
			        "malformed DNS answer: a TXT string runs past its record");
			return NULL;
		}
		for (size_t k = 0; k < n; k++)
			buf_putc(&b, p[i + k] ? (char)p[i + k] : '?');
		i += n;
	}
	return buf_steal(&b);
}

static enum sc_status rdata(struct dns_rr *rr, const unsigned char *p, size_t rdlen,
                            const unsigned char *pkt, size_t len, struct sc_error *err)
{
	char ip[INET6_ADDRSTRLEN], *host = NULL;
	size_t used;
	struct buf b = BUF_INIT;

	switch (rr->type) {
	case RR_A:
		if (rdlen != 4)
			return sc_fail(err, SC_BAD_REPLY,
			               "malformed DNS answer: an A record of %zu bytes", rdlen);
		inet_ntop(AF_INET, p, ip, sizeof(ip));
		rr->data = xstrdup(ip);
		return SC_OK;
	case RR_AAAA:
		if (rdlen != 16)
			return sc_fail(err, SC_BAD_REPLY,
			               "malformed DNS answer: an AAAA record of %zu bytes", rdlen);
		inet_ntop(AF_INET6, p, ip, sizeof(ip));
		rr->data = xstrdup(ip);
		return SC_OK;
	case RR_NS:
	case RR_CNAME:
		return read_name(p, pkt, len, &rr->data, &used, err);
	case RR_MX:
		if (rdlen < 3 || read_name(p + 2, pkt, len, &host, &used, err))
			return sc_fail(err, SC_BAD_REPLY, "malformed DNS answer: a bad MX record");
		buf_printf(&b, "%u %s", rd16(p), host);
		free(host);
		rr->data = buf_steal(&b);
		return SC_OK;
	case RR_TXT:
		rr->data = txt_data(p, rdlen, err);
		return rr->data ? SC_OK : SC_BAD_REPLY;
	default:
		return SC_OK;
	}
}

static enum sc_status skip_questions(const unsigned char *pkt, size_t len, size_t *off, unsigned qd,
                                     struct sc_error *err)
{
	for (unsigned i = 0; i < qd; i++) {
		char *name;
		size_t used;

		if (read_name(pkt + *off, pkt, len, &name, &used, err))
			return SC_BAD_REPLY;
		free(name);
		*off += used + 4;
		if (*off > len)
			return sc_fail(err, SC_BAD_REPLY,
			               "malformed DNS answer: truncated question");
	}
	return SC_OK;
}

enum sc_status dns_answer_parse(const unsigned char *pkt, size_t len, struct dns_answer *out,
                                struct sc_error *err)
{
	size_t off = 12;
	unsigned flags, an;

	memset(out, 0, sizeof(*out));
	if (!pkt || len < 12)
		return sc_fail(err, SC_BAD_REPLY,
		               "malformed DNS answer: shorter than a DNS header");
	if (len > 65535)
		return sc_fail(err, SC_BAD_REPLY,
		               "malformed DNS answer: larger than a DNS message");
	flags = rd16(pkt + 2);
	an = rd16(pkt + 6);
	if (an > MAX_ANSWERS)
		return sc_fail(err, SC_BAD_REPLY, "DNS answer with %u records is too large", an);
	if (skip_questions(pkt, len, &off, rd16(pkt + 4), err))
		return SC_BAD_REPLY;
	out->rr = xcalloc(an ? an : 1, sizeof(*out->rr));
	for (unsigned i = 0; i < an; i++) {
		struct dns_rr *rr = &out->rr[out->n];
		size_t used, rdlen;

		if (read_name(pkt + off, pkt, len, &rr->owner, &used, err))
			goto bad;
		out->n++;
		off += used;
		if (off + 10 > len) {
			sc_fail(err, SC_BAD_REPLY, "malformed DNS answer: truncated record");
			goto bad;
		}
		rr->type = (int)rd16(pkt + off);
		rdlen = rd16(pkt + off + 8);
		off += 10;
		if (rdlen > len - off) {
			sc_fail(err, SC_BAD_REPLY,
			        "malformed DNS answer: record data runs past the end");
			goto bad;
		}
		if (rdata(rr, pkt + off, rdlen, pkt, len, err))
			goto bad;
		off += rdlen;
	}
	out->rcode = (int)(flags & 0xf);
	out->tc = flags & 0x200;
	out->aa = flags & 0x400;
	return SC_OK;
bad:
	dns_answer_free(out);
	return SC_BAD_REPLY;
}

void dns_answer_free(struct dns_answer *a)
{
	for (size_t i = 0; i < a->n; i++) {
		free(a->rr[i].owner);
		free(a->rr[i].data);
	}
	free(a->rr);
	memset(a, 0, sizeof(*a));
}

/* ---- the checker ---- */

enum stage { STAGE_SERVER, STAGE_NS, STAGE_ADDR, STAGE_RECORDS, STAGE_SPF, STAGE_DONE };

struct query {
	struct dns_checker *c;
	char *name;
	int type;
	int server; /* -1: the resolver; else an index into auth[] */
	bool pending;
	bool parsed; /* ans holds the answer */
	char *error; /* why there is no answer */
	struct dns_answer ans;
};

struct auth_server {
	char *name;
	char *label; /* "ns1.example (192.0.2.1:53)" */
	ares_channel ch;
};

struct dns_checker {
	struct dns_record_set *set;
	struct dns_check_opts opts;
	ares_channel resolver;
	char *resolver_label;
	struct auth_server auth[MAX_AUTH];
	size_t n_auth;
	char *note;        /* why the authoritative servers were not asked */
	char *server_host; /* --dns-server given as a name: resolved first */
	unsigned server_port;
	char server_ip[INET6_ADDRSTRLEN];
	char *server_error;
	enum stage stage;
	struct query **q;
	size_t nq, first; /* queries of the current stage are q[first..nq) */
	size_t pending;
	char *ns_zone;
	size_t *rec_q, *rec_q2;
	bool *judged;
	size_t n_judged;
	size_t extra_q[3];
	size_t dmarc_parent_q[8]; /* _dmarc of each parent domain, nearest first */
	size_t n_dmarc_parents;
	struct spf_node *spf; /* SPF records reached through include:/redirect= */
	size_t n_spf;
};

struct spf_node {
	char *domain;
	size_t q;    /* its TXT query */
	bool parsed; /* spf holds its record */
	struct spf_record spf;
};

/* Informational records looked up beside the domain: name prefix and version tag. */
static const struct {
	const char *prefix;
	const char *tag;
} extras[3] = {
    {"default._bimi.", "v=BIMI1"},
    {"_mta-sts.", "v=STSv1"},
    {"_smtp._tls.", "v=TLSRPTv1"},
};

static char **extra_slot(struct dns_record_set *set, size_t i)
{
	return i == 0 ? &set->bimi : i == 1 ? &set->mta_sts : &set->tlsrpt;
}

static const char *ares_detail(int status)
{
	switch (status) {
	case ARES_ESERVFAIL:
		return "SERVFAIL";
	case ARES_EREFUSED:
		return "REFUSED";
	case ARES_ETIMEOUT:
		return "timeout";
	case ARES_ECONNREFUSED:
		return "connection refused";
	case ARES_EFORMERR:
		return "FORMERR";
	case ARES_ENOTIMP:
		return "NOTIMP";
	case ARES_EBADRESP:
		return "malformed answer";
	default:
		return ares_strerror(status);
	}
}

static const char *rcode_name(int rcode)
{
	static const char *names[] = {"NOERROR",  "FORMERR", "SERVFAIL",
	                              "NXDOMAIN", "NOTIMP",  "REFUSED"};

	return rcode >= 0 && rcode < 6 ? names[rcode] : "an unknown DNS error code";
}

static void on_answer(void *arg, int status, int timeouts, unsigned char *abuf, int alen)
{
	struct query *q = arg;
	struct sc_error err;

	q->pending = false;
	q->c->pending--;
	if (status == ARES_EDESTRUCTION || status == ARES_ECANCELLED) {
		q->error = xstrdup("cancelled");
		return;
	}
	if (abuf && alen > 0) { /* also SERVFAIL/REFUSED answers (ARES_FLAG_NOCHECKRESP) */
		if (dns_answer_parse(abuf, (size_t)alen, &q->ans, &err) == SC_OK)
			q->parsed = true;
		else
			q->error = xstrdup(err.message);
		return;
	}
	/* c-ares 1.18 reports a query whose every try timed out as ECONNREFUSED */
	q->error =
	    xstrdup(timeouts > 0 && status == ARES_ECONNREFUSED ? "timeout" : ares_detail(status));
}

static ares_channel channel_of(struct dns_checker *c, int server)
{
	return server < 0 ? c->resolver : c->auth[server].ch;
}

static void issue(struct dns_checker *c, struct query *q)
{
	dns_answer_free(&q->ans);
	free(q->error);
	q->error = NULL;
	q->parsed = false;
	q->pending = true;
	c->pending++;
	ares_query(channel_of(c, q->server), q->name, CLASS_IN, q->type, on_answer, q);
}

static size_t add_query(struct dns_checker *c, const char *name, int type, int server)
{
	struct query *q;

	for (size_t i = c->first; i < c->nq; i++)
		if (c->q[i]->type == type && strcmp(c->q[i]->name, name) == 0)
			return i;
	c->q = xrealloc(c->q, (c->nq + 1) * sizeof(*c->q));
	q = xcalloc(1, sizeof(*q));
	q->c = c;
	q->name = xstrdup(name);
	q->type = type;
	q->server = server;
	c->q[c->nq] = q;
	issue(c, q);
	return c->nq++;
}

static int type_code(const char *type)
{
	if (strcmp(type, "CNAME") == 0)
		return RR_CNAME;
	if (strcmp(type, "MX") == 0)
		return RR_MX;
	return RR_TXT;
}

static enum sc_status make_channel(ares_channel *ch, const char *servers, bool norecurse,
                                   const struct dns_check_opts *o, struct sc_error *err)
{
	struct ares_options ao;
	int rc;

	memset(&ao, 0, sizeof(ao));
	ao.flags = ARES_FLAG_NOSEARCH | ARES_FLAG_NOALIASES | ARES_FLAG_NOCHECKRESP |
	           (norecurse ? ARES_FLAG_NORECURSE : 0);
	ao.timeout = (int)(o->timeout_ms ? o->timeout_ms : 2000);
	ao.tries = (int)(o->tries ? o->tries : 2);
	ao.lookups = (char *)"fb";
	rc = ares_init_options(
	    ch, &ao, ARES_OPT_FLAGS | ARES_OPT_TIMEOUTMS | ARES_OPT_TRIES | ARES_OPT_LOOKUPS);
	if (rc != ARES_SUCCESS)
		return sc_fail(err, SC_NETWORK, "cannot start the DNS resolver: %s",
		               ares_strerror(rc));
	if (servers && (rc = ares_set_servers_ports_csv(*ch, servers)) != ARES_SUCCESS) {
		ares_destroy(*ch);
		*ch = NULL;
		return sc_fail(err, SC_USAGE, "cannot use DNS server '%.64s': %s", servers,
		               ares_strerror(rc));
	}
	return SC_OK;
}

struct server_spec {
	char host[DNS_NAME_MAX + 1];
	unsigned port;
	bool v6;
	bool literal; /* host is an IP address; else a name to resolve first */
};

static enum sc_status bad_server(const char *in, struct sc_error *err)
{
	return sc_fail(err, SC_USAGE,
	               "DNS server '%.64s' is not HOST[:PORT] (an IP address or a "
	               "host name; [IPv6]:PORT)",
	               in);
}

/* "HOST[:PORT]", "[IPv6]:PORT" or a bare IPv6 address. */
static enum sc_status parse_server(const char *in, struct server_spec *s, struct sc_error *err)
{
	unsigned char addr[16];
	const char *colon, *h = in;
	struct dns_name name;
	size_t hl;

	memset(s, 0, sizeof(*s));
	s->port = 53;
	if (in[0] == '[') {
		const char *end = strchr(in, ']');

		if (!end || (end[1] && end[1] != ':'))
			return bad_server(in, err);
		hl = (size_t)(end - in - 1);
		colon = end[1] ? end + 1 : NULL;
		h = in + 1;
		s->v6 = true;
	} else {
		colon = strchr(in, ':');
		if (colon && strchr(colon + 1, ':')) {
			colon = NULL;
			s->v6 = true;
		}
		hl = colon ? (size_t)(colon - in) : strlen(in);
	}
	if (hl == 0 || hl >= sizeof(s->host))
		return bad_server(in, err);
	memcpy(s->host, h, hl);
	s->host[hl] = '\0';
	if (colon) {
		char *end;
		unsigned long port = strtoul(colon + 1, &end, 10);

		if (!colon[1] || *end || port == 0 || port > 65535)
			return bad_server(in, err);
		s->port = (unsigned)port;
	}
	s->literal = inet_pton(s->v6 ? AF_INET6 : AF_INET, s->host, addr) == 1;
	if (s->literal)
		return SC_OK;
	if (s->v6 || strspn(s->host, "0123456789.") == hl ||
	    dns_name_normalize(s->host, DNS_NAME_SINGLE, &name, NULL) != SC_OK)
		return bad_server(in, err);
	dns_name_free(&name);
	return SC_OK;
}

static char *server_csv(const char *ip, unsigned port, bool v6)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, v6 ? "[%s]:%u" : "%s:%u", ip, port);
	return buf_steal(&b);
}

static char *system_label(ares_channel ch)
{
	struct ares_addr_port_node *servers = NULL;
	struct buf b = BUF_INIT;
	char ip[INET6_ADDRSTRLEN];

	if (ares_get_servers_ports(ch, &servers) == ARES_SUCCESS && servers) {
		inet_ntop(servers->family, &servers->addr, ip, sizeof(ip));
		buf_printf(&b, "%s:%d (system resolver)", ip,
		           servers->udp_port ? servers->udp_port : 53);
	} else {
		buf_puts(&b, "system resolver");
	}
	ares_free_data(servers);
	return buf_steal(&b);
}

/* ---- evaluation ---- */

static void set_result(struct dns_record *r, enum dns_check_state st, const char *published,
                       const char *detail, const char *resolver)
{
	free(r->published);
	free(r->detail);
	free(r->resolver);
	r->status = st;
	r->published = NULL;
	if (published && *published) {
		size_t n = strlen(published);

		r->published = n > DNS_PUBLISHED_MAX ? xstrndup(published, DNS_PUBLISHED_MAX)
		                                     : xstrdup(published);
	}
	r->detail = detail && *detail ? xstrdup(detail) : NULL;
	r->resolver = resolver ? xstrdup(resolver) : NULL;
}

static bool starts_tag(const char *txt, const char *tag)
{
	size_t n = strlen(tag);

	while (*txt == ' ')
		txt++;
	return strncasecmp(txt, tag, n) == 0 &&
	       (txt[n] == '\0' || txt[n] == ';' || txt[n] == ' ' || txt[n] == '\t');
}

struct gathered {
	const char *cname;      /* CNAME owned by the record's name */
	const char *other_type; /* a non-CNAME type owned by the name */
	struct buf all;         /* every value of the wanted type, " | "-joined */
	const char *vals[64];
	size_t n;
	int rcode;
};

static const char *type_name(int type)
{
	switch (type) {
	case RR_A:
		return "A";
	case RR_AAAA:
		return "AAAA";
	case RR_NS:
		return "NS";
	case RR_CNAME:
		return "CNAME";
	case RR_MX:
		return "MX";
	case RR_TXT:
		return "TXT";
	default:
		return "other";
	}
}

static void gather_one(struct gathered *g, const struct query *q, const char *name, int want,
                       bool keep)
{
	for (size_t i = 0; q && q->parsed && i < q->ans.n; i++) {
		const struct dns_rr *rr = &q->ans.rr[i];

		if (dns_name_equal(rr->owner, name)) {
			if (rr->type == RR_CNAME)
				g->cname = rr->data;
			else if (!g->other_type)
				g->other_type = type_name(rr->type);
		}
		if (!keep || rr->type != want || !rr->data || g->n == 64)
			continue;
		if (want == RR_CNAME && !dns_name_equal(rr->owner, name))
			continue;
		if (g->n)
			buf_puts(&g->all, " | ");
		buf_puts(&g->all, rr->data);
		g->vals[g->n++] = rr->data;
	}
}

static size_t count_tag(const struct gathered *g, const char *tag, const char **first)
{
	size_t n = 0;

	for (size_t i = 0; i < g->n; i++)
		if (starts_tag(g->vals[i], tag) && n++ == 0)
			*first = g->vals[i];
	return n;
}

static bool has_term(const char *txt, const char *term)
{
	size_t n = strlen(term);

	for (const char *p = txt; (p = strcasestr(p, term)) != NULL; p += n)
		if ((p == txt || p[-1] == ' ') && (p[n] == '\0' || p[n] == ' '))
			return true;
	return false;
}

/* The p= value with whitespace removed, into out. */
static void dkim_key(const char *txt, struct buf *out)
{
	const char *p = txt;

	for (; (p = strstr(p, "p=")) != NULL; p += 2)
		if (p == txt || p[-1] == ';' || p[-1] == ' ' || p[-1] == '\t')
			break;
	if (!p)
		return;
	for (p += 2; *p && *p != ';'; p++)
		if (*p != ' ' && *p != '\t')
			buf_putc(out, *p);
}

static void adopt(struct dns_record *r, const char *published)
{
	if (!r->suggestion)
		return;
	free(r->value);
	r->value = xstrdup(published);
	r->suggestion = false;
}

static void judge_txt(struct dns_record *r, struct gathered *g, const char *res, const char *via)
{
	const char *one = NULL;
	struct buf want = BUF_INIT, got = BUF_INIT;
	size_t n;

	switch (r->kind) {
	case DNS_KIND_VERIFY:
		for (size_t i = 0; i < g->n; i++) {
			if (strcmp(g->vals[i], r->value) == 0 ||
			    (strncmp(g->vals[i], "amazonses:", 10) == 0 &&
			     strcmp(g->vals[i] + 10, r->value) == 0)) {
				set_result(r, DNS_STATE_OK, buf_str(&g->all), via, res);
				return;
			}
		}
		set_result(r, DNS_STATE_WRONG, buf_str(&g->all),
		           "this token is not among the values", res);
		return;
	case DNS_KIND_MAILFROM_SPF:
		n = count_tag(g, "v=spf1", &one);
		if (n == 0)
			set_result(r, DNS_STATE_MISSING, buf_str(&g->all), "no v=spf1 record", res);
		else if (n > 1)
			set_result(r, DNS_STATE_CONFLICT, buf_str(&g->all),
			           "two SPF records: receivers treat that as a permanent error",
			           res);
		else if (has_term(one, "include:amazonses.com"))
			set_result(r, DNS_STATE_OK, one, via, res);
		else
			set_result(r, DNS_STATE_WRONG, one,
			           "the SPF record does not include "
			           "amazonses.com",
			           res);
		return;
	case DNS_KIND_DMARC:
		n = count_tag(g, "v=DMARC1", &one);
		if (n == 0)
			set_result(r, DNS_STATE_MISSING, buf_str(&g->all), "no v=DMARC1 record",
			           res);
		else if (n > 1)
			set_result(r, DNS_STATE_CONFLICT, buf_str(&g->all),
			           "two DMARC records: receivers ignore both", res);
		else if (r->suggestion || strcmp(one, r->value) == 0) {
			adopt(r, one);
			set_result(r, DNS_STATE_OK, one, via, res);
		} else
			set_result(r, DNS_STATE_WRONG, one, "a different DMARC record is published",
			           res);
		return;
	default: /* BYODKIM */
		n = count_tag(g, "v=DKIM1", &one);
		if (n == 0) {
			set_result(r, DNS_STATE_MISSING, buf_str(&g->all), "no v=DKIM1 record",
			           res);
			return;
		}
		dkim_key(r->value, &want);
		dkim_key(one, &got);
		if (n > 1)
			set_result(r, DNS_STATE_CONFLICT, buf_str(&g->all), "two DKIM key records",
			           res);
		else if (!got.len)
			set_result(r, DNS_STATE_WRONG, one, "the key is empty (revoked)", res);
		else if (r->placeholder || strcmp(buf_str(&want), buf_str(&got)) == 0)
			set_result(r, DNS_STATE_OK, one, via, res);
		else
			set_result(r, DNS_STATE_WRONG, one, "a different public key is published",
			           res);
		buf_free(&want);
		buf_free(&got);
	}
}

static void judge_mx(struct dns_record *r, struct gathered *g, const char *res, const char *via)
{
	const char *want = strchr(r->value, ' ');

	want = want ? want + 1 : r->value;
	for (size_t i = 0; i < g->n; i++) {
		const char *host = strchr(g->vals[i], ' ');

		if (host && dns_name_equal(host + 1, want)) {
			set_result(r, DNS_STATE_OK, buf_str(&g->all), via, res);
			return;
		}
	}
	set_result(r, DNS_STATE_WRONG, buf_str(&g->all), "no MX points at the SES endpoint", res);
}

static const char *query_resolver(struct dns_checker *c, const struct query *q)
{
	return q->server < 0 ? c->resolver_label : c->auth[q->server].label;
}

static void judge(struct dns_checker *c, struct dns_record *r, const struct query *q,
                  const struct query *q2)
{
	struct gathered g;
	const char *res = query_resolver(c, q);
	int want = type_code(r->type);
	struct buf via = BUF_INIT, tmp = BUF_INIT;

	memset(&g, 0, sizeof(g));
	if (!q->parsed || (q->ans.rcode != RCODE_NOERROR && q->ans.rcode != RCODE_NXDOMAIN)) {
		if (q->parsed)
			buf_puts(&tmp, rcode_name(q->ans.rcode));
		set_result(r, DNS_STATE_ERROR, NULL, q->parsed ? buf_str(&tmp) : q->error, res);
		buf_free(&tmp);
		return;
	}
	g.rcode = q->ans.rcode;
	gather_one(&g, q, r->name, want, true);
	gather_one(&g, q2, r->name, want, false);
	if (g.cname && g.other_type) {
		buf_printf(&tmp, "CNAME %s | %s", g.cname, buf_str(&g.all));
		buf_printf(&via, "a CNAME beside %s data at the same name", g.other_type);
		set_result(r, DNS_STATE_CONFLICT, buf_str(&tmp), buf_str(&via), res);
	} else if (r->kind == DNS_KIND_DKIM) {
		if (g.cname && dns_name_equal(g.cname, r->value))
			set_result(r, DNS_STATE_OK, g.cname, NULL, res);
		else if (g.cname)
			set_result(r, DNS_STATE_WRONG, g.cname, "the CNAME points elsewhere", res);
		else
			set_result(r, DNS_STATE_MISSING, NULL,
			           g.rcode == RCODE_NXDOMAIN ? "NXDOMAIN" : "no CNAME record", res);
	} else if (g.n == 0) {
		if (g.cname)
			buf_printf(&tmp, "CNAME %s", g.cname);
		set_result(r, DNS_STATE_MISSING, buf_str(&tmp),
		           g.rcode == RCODE_NXDOMAIN ? "NXDOMAIN" : "no record of this type", res);
	} else {
		if (g.cname)
			buf_printf(&via, "via CNAME to %s", g.cname);
		if (want == RR_MX)
			judge_mx(r, &g, res, buf_str(&via));
		else
			judge_txt(r, &g, res, buf_str(&via));
	}
	buf_free(&g.all);
	buf_free(&via);
	buf_free(&tmp);
}

/* ---- stages ---- */

static void begin_stage(struct dns_checker *c, enum stage st)
{
	c->stage = st;
	c->first = c->nq;
}

/* A subdomain without a DMARC record of its own is covered by its parent's: ask the
 * resolver for _dmarc of every parent that still has two labels. */
static void add_parent_dmarc(struct dns_checker *c)
{
	const char *d = c->set->domain;

	c->n_dmarc_parents = 0;
	if (!d || !dns_record_set_dmarc(c->set))
		return;
	for (const char *p = strchr(d, '.'); p && strchr(p + 1, '.') && c->n_dmarc_parents < 8;
	     p = strchr(p + 1, '.')) {
		struct buf name = BUF_INIT;

		buf_printf(&name, "_dmarc.%s", p + 1);
		c->dmarc_parent_q[c->n_dmarc_parents++] = add_query(c, buf_str(&name), RR_TXT, -1);
		buf_free(&name);
	}
}

static void start_records(struct dns_checker *c)
{
	struct dns_record_set *set = c->set;
	int server = c->n_auth ? 0 : -1;

	begin_stage(c, STAGE_RECORDS);
	c->rec_q = xcalloc(set->n ? set->n : 1, sizeof(size_t));
	c->rec_q2 = xcalloc(set->n ? set->n : 1, sizeof(size_t));
	c->judged = xcalloc(set->n ? set->n : 1, sizeof(bool));
	for (size_t i = 0; i < set->n; i++) {
		struct dns_record *r = &set->v[i];

		c->rec_q[i] = add_query(c, r->name, type_code(r->type), server);
		c->rec_q2[i] =
		    r->kind == DNS_KIND_DKIM ? add_query(c, r->name, RR_TXT, server) : NO_QUERY;
	}
	add_parent_dmarc(c);
	for (size_t i = 0; i < 3; i++) {
		struct buf name = BUF_INIT;

		c->extra_q[i] = NO_QUERY;
		if (!set->domain)
			continue;
		buf_printf(&name, "%s%s", extras[i].prefix, set->domain);
		c->extra_q[i] = add_query(c, buf_str(&name), RR_TXT, server);
		buf_free(&name);
	}
}

static void fall_back(struct dns_checker *c, const char *why)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s; asked the resolver instead", why);
	free(c->note);
	c->note = buf_steal(&b);
	start_records(c);
}

static void ns_query(struct dns_checker *c, const char *zone)
{
	free(c->ns_zone);
	c->ns_zone = xstrdup(zone);
	begin_stage(c, STAGE_NS);
	add_query(c, zone, RR_NS, -1);
}

static void after_ns(struct dns_checker *c)
{
	const struct query *q = c->q[c->nq - 1];
	const char *dot;
	size_t found = 0;

	if (!q->parsed) {
		fall_back(c, "the zone's name servers could not be looked up");
		return;
	}
	begin_stage(c, STAGE_ADDR);
	for (size_t i = 0; i < q->ans.n && found < MAX_AUTH; i++) {
		const struct dns_rr *rr = &q->ans.rr[i];

		if (rr->type == RR_NS && rr->data && dns_name_equal(rr->owner, q->name)) {
			add_query(c, rr->data, RR_A, -1);
			add_query(c, rr->data, RR_AAAA, -1);
			found++;
		}
	}
	if (found)
		return;
	dot = strchr(c->ns_zone, '.');
	if (dot && strchr(dot + 1, '.')) {
		char *parent = xstrdup(dot + 1);

		ns_query(c, parent);
		free(parent);
		return;
	}
	fall_back(c, "no NS records were found for the zone");
}

static enum sc_status add_auth(struct dns_checker *c, const char *ns, const char *ip)
{
	struct auth_server *a = &c->auth[c->n_auth];
	unsigned port = c->opts.auth_port ? c->opts.auth_port : 53;
	struct buf csv = BUF_INIT, label = BUF_INIT;
	enum sc_status st;

	buf_printf(&csv, strchr(ip, ':') ? "[%s]:%u" : "%s:%u", ip, port);
	st = make_channel(&a->ch, buf_str(&csv), true, &c->opts, NULL);
	if (st == SC_OK) {
		buf_printf(&label, "%s (%s)", ns, buf_str(&csv));
		a->name = xstrdup(ns);
		a->label = buf_steal(&label);
		c->n_auth++;
	}
	buf_free(&csv);
	return st;
}

static void after_addr(struct dns_checker *c)
{
	for (size_t i = c->first; i < c->nq && c->n_auth < MAX_AUTH; i++) {
		const struct query *q = c->q[i];

		for (size_t k = 0; q->parsed && k < q->ans.n && c->n_auth < MAX_AUTH; k++)
			if ((q->ans.rr[k].type == RR_A || q->ans.rr[k].type == RR_AAAA) &&
			    q->ans.rr[k].data)
				add_auth(c, q->name, q->ans.rr[k].data);
	}
	if (!c->n_auth) {
		fall_back(c, "the zone's name servers have no address");
		return;
	}
	start_records(c);
}

static bool failed_answer(const struct query *q)
{
	return !q->parsed || (q->ans.rcode != RCODE_NOERROR && q->ans.rcode != RCODE_NXDOMAIN);
}

/* Authoritative mode: a server that failed is replaced by the next one. */
static bool retry_records(struct dns_checker *c)
{
	bool again = false;

	for (size_t i = c->first; i < c->nq; i++) {
		struct query *q = c->q[i];

		if (q->server >= 0 && (size_t)q->server + 1 < c->n_auth && failed_answer(q)) {
			q->server++;
			issue(c, q);
			again = true;
		}
	}
	return again;
}

static void finish_extras(struct dns_checker *c)
{
	for (size_t i = 0; i < 3; i++) {
		const struct query *q = c->extra_q[i] == NO_QUERY ? NULL : c->q[c->extra_q[i]];
		char **slot = extra_slot(c->set, i);

		free(*slot);
		*slot = NULL;
		for (size_t k = 0; q && q->parsed && k < q->ans.n && !*slot; k++) {
			const struct dns_rr *rr = &q->ans.rr[k];

			if (rr->type == RR_TXT && rr->data && starts_tag(rr->data, extras[i].tag))
				*slot = xstrndup(rr->data, strnlen(rr->data, DNS_PUBLISHED_MAX));
		}
	}
}

/* The DMARC record of the nearest parent that has exactly one, or NULL. */
static const char *parent_dmarc(const struct dns_checker *c, size_t *which)
{
	for (size_t k = 0; k < c->n_dmarc_parents; k++) {
		const struct query *q = c->q[c->dmarc_parent_q[k]];
		const char *one = NULL;
		size_t n = 0;

		for (size_t j = 0; q->parsed && j < q->ans.n; j++) {
			const struct dns_rr *rr = &q->ans.rr[j];

			if (rr->type == RR_TXT && rr->data && starts_tag(rr->data, "v=DMARC1") &&
			    n++ == 0)
				one = rr->data;
		}
		if (n == 1) {
			*which = k;
			return one;
		}
	}
	return NULL;
}

static void judge_dmarc_scope(struct dns_checker *c, struct dns_record *r)
{
	struct dns_record_set *set = c->set;
	const char *inherited, *parent;
	struct buf detail = BUF_INIT;
	size_t k;

	free(set->dmarc_at);
	set->dmarc_at = NULL;
	if (r->status == DNS_STATE_OK || r->status == DNS_STATE_WRONG) {
		set->dmarc_at = xstrdup(set->domain);
		return;
	}
	if (r->status != DNS_STATE_MISSING || !(inherited = parent_dmarc(c, &k)))
		return;
	parent = c->q[c->dmarc_parent_q[k]]->name + strlen("_dmarc.");
	buf_printf(&detail, "no record of its own: %s's DMARC record applies (its sp=, else p=)",
	           parent);
	set_result(r, DNS_STATE_OK, inherited, buf_str(&detail), c->resolver_label);
	set->dmarc_at = xstrdup(parent);
	buf_free(&detail);
}

static void judge_one(struct dns_checker *c, size_t i)
{
	struct dns_record *r = &c->set->v[i];
	const struct query *q2 = c->rec_q2[i] == NO_QUERY ? NULL : c->q[c->rec_q2[i]];

	judge(c, r, c->q[c->rec_q[i]], q2);
	if (r->kind == DNS_KIND_DMARC)
		judge_dmarc_scope(c, r);
	c->judged[i] = true;
	c->n_judged++;
	if (c->note && r->status != DNS_STATE_ERROR) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s%s%s", r->detail ? r->detail : "", r->detail ? "; " : "",
		           c->note);
		free(r->detail);
		r->detail = buf_steal(&b);
	}
}

/* Answered for good: not waiting, and no other authoritative server left to try. */
static bool settled(const struct dns_checker *c, size_t qi)
{
	const struct query *q = qi == NO_QUERY ? NULL : c->q[qi];

	if (!q)
		return true;
	if (q->pending)
		return false;
	return !(q->server >= 0 && (size_t)q->server + 1 < c->n_auth && failed_answer(q));
}

/* Records whose answers are all in get their status now, so a UI can show them early. */
static void judge_ready(struct dns_checker *c)
{
	bool parents = true;

	for (size_t k = 0; k < c->n_dmarc_parents; k++)
		parents = parents && settled(c, c->dmarc_parent_q[k]);
	for (size_t i = 0; c->stage == STAGE_RECORDS && i < c->set->n; i++)
		if (!c->judged[i] && settled(c, c->rec_q[i]) && settled(c, c->rec_q2[i]) &&
		    (parents || c->set->v[i].kind != DNS_KIND_DMARC))
			judge_one(c, i);
}

/* ---- SPF lookup count: follow include:/redirect= through the resolver ---- */

static void spf_want(struct dns_checker *c, const char *domain)
{
	for (size_t i = 0; i < c->n_spf; i++)
		if (dns_name_equal(c->spf[i].domain, domain))
			return;
	if (c->n_spf == MAX_SPF || !*domain || strchr(domain, '%'))
		return; /* macros cannot be expanded without a message */
	c->spf = xrealloc(c->spf, (c->n_spf + 1) * sizeof(*c->spf));
	memset(&c->spf[c->n_spf], 0, sizeof(c->spf[0]));
	c->spf[c->n_spf].domain = xstrdup(domain);
	c->spf[c->n_spf].q = add_query(c, domain, RR_TXT, -1);
	c->n_spf++;
}

static void spf_want_all(struct dns_checker *c, const struct spf_record *s)
{
	for (size_t i = 0; i < s->n_includes; i++)
		spf_want(c, s->includes[i]);
	if (s->redirect)
		spf_want(c, s->redirect);
}

/* The published SPF of a MAIL FROM record, parsed; false when there is none to follow. */
static bool record_spf(const struct dns_record *r, struct spf_record *out)
{
	if (r->kind != DNS_KIND_MAILFROM_SPF || !r->published ||
	    (r->status != DNS_STATE_OK && r->status != DNS_STATE_WRONG))
		return false;
	return spf_parse(r->published, strlen(r->published), out, NULL) == SC_OK;
}

static bool start_spf(struct dns_checker *c)
{
	begin_stage(c, STAGE_SPF);
	for (size_t i = 0; i < c->set->n; i++) {
		struct spf_record s;

		if (record_spf(&c->set->v[i], &s)) {
			spf_want_all(c, &s);
			spf_record_free(&s);
		}
	}
	return c->pending > 0;
}

/* Parse what came back; ask for what those records include. false when nothing new. */
static bool spf_next_round(struct dns_checker *c)
{
	size_t before = c->n_spf;

	begin_stage(c, STAGE_SPF);
	for (size_t i = 0; i < before; i++) {
		struct spf_node *n = &c->spf[i];
		const struct query *q = c->q[n->q];

		for (size_t k = 0; !n->parsed && q->parsed && k < q->ans.n; k++) {
			const char *txt = q->ans.rr[k].data;

			if (q->ans.rr[k].type == RR_TXT && txt &&
			    spf_parse(txt, strlen(txt), &n->spf, NULL) == SC_OK) {
				struct spf_record copy = n->spf; /* spf_want() may move c->spf */

				n->parsed = true;
				spf_want_all(c, &copy);
				n = &c->spf[i];
			}
		}
	}
	return c->n_spf > before;
}

static unsigned spf_count(const struct dns_checker *c, const struct spf_record *s, int depth);

static unsigned spf_count_domain(const struct dns_checker *c, const char *domain, int depth)
{
	for (size_t i = 0; i < c->n_spf; i++)
		if (c->spf[i].parsed && dns_name_equal(c->spf[i].domain, domain))
			return spf_count(c, &c->spf[i].spf, depth + 1);
	return 0;
}

/* Lookups of this record plus those of everything it includes, stopping past the limit. */
static unsigned spf_count(const struct dns_checker *c, const struct spf_record *s, int depth)
{
	unsigned n = s->lookups;

	if (depth > SPF_LIMIT)
		return SPF_LIMIT + 1;
	for (size_t i = 0; i < s->n_includes && n <= SPF_LIMIT; i++)
		n += spf_count_domain(c, s->includes[i], depth);
	if (s->redirect && n <= SPF_LIMIT)
		n += spf_count_domain(c, s->redirect, depth);
	return n;
}

static void finish_spf(struct dns_checker *c)
{
	for (size_t i = 0; i < c->set->n; i++) {
		struct dns_record *r = &c->set->v[i];
		struct spf_record s;
		struct buf b = BUF_INIT;

		if (!record_spf(r, &s))
			continue;
		r->spf_lookups = spf_count(c, &s, 0);
		spf_record_free(&s);
		if (r->spf_lookups <= SPF_LIMIT)
			continue;
		buf_printf(&b,
		           "%s%sthe record needs more than %d DNS lookups with its includes: "
		           "receivers return permerror",
		           r->detail ? r->detail : "", r->detail ? "; " : "", SPF_LIMIT);
		free(r->detail);
		r->detail = buf_steal(&b);
	}
	c->stage = STAGE_DONE;
}

static void finish(struct dns_checker *c)
{
	finish_extras(c);
	for (size_t i = 0; i < c->set->n; i++)
		if (!c->judged[i])
			judge_one(c, i);
	if (!start_spf(c))
		finish_spf(c);
}

static void after_server(struct dns_checker *c);

static void advance(struct dns_checker *c)
{
	while (c->pending == 0 && c->stage != STAGE_DONE) {
		switch (c->stage) {
		case STAGE_SERVER:
			after_server(c);
			break;
		case STAGE_NS:
			after_ns(c);
			break;
		case STAGE_ADDR:
			after_addr(c);
			break;
		case STAGE_RECORDS:
			if (!retry_records(c))
				finish(c);
			break;
		case STAGE_SPF:
			if (!spf_next_round(c))
				finish_spf(c);
			break;
		case STAGE_DONE:
			break;
		}
	}
}

/* ---- public ---- */

static void start_lookups(struct dns_checker *c)
{
	if (c->opts.authoritative && c->set->domain)
		ns_query(c, c->set->domain);
	else
		start_records(c);
}

static void on_host(void *arg, int status, int timeouts, struct hostent *h)
{
	struct dns_checker *c = arg;

	c->pending--;
	if (status == ARES_SUCCESS && h && h->h_addr_list && h->h_addr_list[0])
		inet_ntop(h->h_addrtype, h->h_addr_list[0], c->server_ip, sizeof(c->server_ip));
	else if (status != ARES_EDESTRUCTION)
		c->server_error = xstrdup(
		    timeouts > 0 && status == ARES_ECONNREFUSED ? "timeout" : ares_detail(status));
}

/* The --dns-server name is resolved: use its address, or fail every record. */
static void after_server(struct dns_checker *c)
{
	struct buf b = BUF_INIT;
	char *csv;

	if (!c->server_ip[0]) {
		buf_printf(&b, "cannot resolve DNS server %s: %s", c->server_host,
		           c->server_error ? c->server_error : "no IPv4 address");
		for (size_t i = 0; i < c->set->n; i++)
			set_result(&c->set->v[i], DNS_STATE_ERROR, NULL, buf_str(&b),
			           c->server_host);
		c->n_judged = c->set->n;
		c->stage = STAGE_DONE;
		buf_free(&b);
		return;
	}
	csv = server_csv(c->server_ip, c->server_port, false);
	ares_set_servers_ports_csv(c->resolver, csv);
	buf_printf(&b, "%s (%s)", c->server_host, csv);
	free(c->resolver_label);
	c->resolver_label = buf_steal(&b);
	free(csv);
	start_lookups(c);
}

enum sc_status dns_check_start(struct dns_checker **out, struct dns_record_set *set,
                               const struct dns_check_opts *opts, struct sc_error *err)
{
	struct dns_checker *c;
	struct dns_check_opts none = {0};
	struct server_spec spec = {.literal = true};
	char *csv = NULL;
	enum sc_status st;

	*out = NULL;
	opts = opts ? opts : &none;
	if (opts->server && parse_server(opts->server, &spec, err))
		return SC_USAGE;
	if (ares_library_init(ARES_LIB_INIT_ALL) != ARES_SUCCESS)
		return sc_fail(err, SC_NETWORK, "cannot initialise c-ares");
	if (opts->server && spec.literal)
		csv = server_csv(spec.host, spec.port, spec.v6);
	c = xcalloc(1, sizeof(*c));
	c->set = set;
	c->opts = *opts;
	c->opts.server = NULL;
	st = make_channel(&c->resolver, csv, false, opts, err);
	if (st) {
		free(csv);
		free(c);
		ares_library_cleanup();
		return st;
	}
	c->resolver_label = csv ? csv : system_label(c->resolver);
	for (size_t i = 0; i < set->n; i++)
		set->v[i].status = DNS_STATE_UNCHECKED;
	if (opts->server && !spec.literal) {
		c->server_host = xstrdup(spec.host);
		c->server_port = spec.port;
		c->stage = STAGE_SERVER;
		c->pending++;
		ares_gethostbyname(c->resolver, spec.host, AF_INET, on_host, c);
	} else {
		start_lookups(c);
	}
	advance(c);
	*out = c;
	return SC_OK;
}

/* ares.h's ARES_GETSOCK_* macros shift a signed 1 into the sign bit for socket 15. */
static bool sock_readable(int bits, int i)
{
	return (unsigned)bits & (1u << i);
}

static bool sock_writable(int bits, int i)
{
	return (unsigned)bits & (1u << (i + ARES_GETSOCK_MAXNUM));
}

static size_t channel_fds(ares_channel ch, struct pollfd *fds, size_t n, size_t max)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	int bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);

	for (int i = 0; i < ARES_GETSOCK_MAXNUM && n < max; i++) {
		short ev = 0;

		if (sock_readable(bits, i))
			ev |= POLLIN;
		if (sock_writable(bits, i))
			ev |= POLLOUT;
		if (!ev)
			continue;
		fds[n].fd = socks[i];
		fds[n].events = ev;
		fds[n].revents = 0;
		n++;
	}
	return n;
}

size_t dns_check_fds(struct dns_checker *c, struct pollfd *fds, size_t max)
{
	size_t n;

	if (!c || c->stage == STAGE_DONE)
		return 0;
	n = channel_fds(c->resolver, fds, 0, max);
	for (size_t i = 0; i < c->n_auth; i++)
		n = channel_fds(c->auth[i].ch, fds, n, max);
	return n;
}

int dns_check_timeout_ms(struct dns_checker *c)
{
	long best = -1;
	struct timeval tv, *tvp;

	if (!c || c->stage == STAGE_DONE)
		return -1;
	for (size_t i = 0; i <= c->n_auth; i++) {
		tvp = ares_timeout(i == 0 ? c->resolver : c->auth[i - 1].ch, NULL, &tv);
		if (tvp) {
			long ms = (long)tvp->tv_sec * 1000 + (tvp->tv_usec + 999) / 1000;

			if (best < 0 || ms < best)
				best = ms;
		}
	}
	return best < 0 ? 1000 : (int)best;
}

static void channel_process(ares_channel ch, const struct pollfd *fds, size_t n)
{
	ares_socket_t socks[ARES_GETSOCK_MAXNUM];
	int bits = ares_getsock(ch, socks, ARES_GETSOCK_MAXNUM);

	for (int i = 0; i < ARES_GETSOCK_MAXNUM; i++) {
		if (!sock_readable(bits, i) && !sock_writable(bits, i))
			continue;
		for (size_t k = 0; k < n; k++) {
			if (fds[k].fd != socks[i] || !fds[k].revents)
				continue;
			ares_process_fd(ch,
			                fds[k].revents & (POLLIN | POLLERR | POLLHUP)
			                    ? socks[i]
			                    : ARES_SOCKET_BAD,
			                fds[k].revents & POLLOUT ? socks[i] : ARES_SOCKET_BAD);
		}
	}
	ares_process_fd(ch, ARES_SOCKET_BAD, ARES_SOCKET_BAD); /* timeouts */
}

void dns_check_process(struct dns_checker *c, const struct pollfd *fds, size_t n)
{
	if (!c || c->stage == STAGE_DONE)
		return;
	channel_process(c->resolver, fds, n);
	for (size_t i = 0; i < c->n_auth; i++)
		channel_process(c->auth[i].ch, fds, n);
	judge_ready(c);
	advance(c);
}

void dns_check_progress(const struct dns_checker *c, size_t *done, size_t *total)
{
	*done = c ? c->n_judged : 0;
	*total = c ? c->set->n : 0;
}

bool dns_check_done(const struct dns_checker *c)
{
	return !c || c->stage == STAGE_DONE;
}

void dns_check_free(struct dns_checker *c)
{
	if (!c)
		return;
	ares_destroy(c->resolver);
	for (size_t i = 0; i < c->n_auth; i++) {
		ares_destroy(c->auth[i].ch);
		free(c->auth[i].name);
		free(c->auth[i].label);
	}
	for (size_t i = 0; i < c->nq; i++) {
		dns_answer_free(&c->q[i]->ans);
		free(c->q[i]->name);
		free(c->q[i]->error);
		free(c->q[i]);
	}
	free(c->q);
	free(c->rec_q);
	free(c->rec_q2);
	for (size_t i = 0; i < c->n_spf; i++) {
		free(c->spf[i].domain);
		spf_record_free(&c->spf[i].spf);
	}
	free(c->spf);
	free(c->judged);
	free(c->ns_zone);
	free(c->note);
	free(c->server_host);
	free(c->server_error);
	free(c->resolver_label);
	free(c);
	ares_library_cleanup();
}

enum sc_status dns_check_run(struct dns_record_set *set, const struct dns_check_opts *opts,
                             struct sc_error *err)
{
	struct dns_checker *c;
	struct pollfd fds[ARES_GETSOCK_MAXNUM * (MAX_AUTH + 1)];
	enum sc_status st = dns_check_start(&c, set, opts, err);

	if (st)
		return st;
	while (!dns_check_done(c)) {
		size_t n = dns_check_fds(c, fds, sizeof(fds) / sizeof(fds[0]));

		if (poll(fds, n, dns_check_timeout_ms(c)) < 0 && errno != EINTR) {
			dns_check_free(c);
			return sc_fail(err, SC_NETWORK, "poll failed while checking DNS: %s",
			               strerror(errno));
		}
		dns_check_process(c, fds, n);
	}
	dns_check_free(c);
	return SC_OK;
}

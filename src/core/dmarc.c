/* DMARC aggregate reports: import, classify, and the p=reject verdict. */
#include "sesctl/core/dmarc.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/dns/name.h"
#include "sesctl/store/identities.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"

/* ---- import ---- */

struct import_ctx {
	struct cache *c;
	const char *origin;
	time_t now;
	struct dmarc_import_stats *stats;
	dmarc_problem_fn problem;
	void *ud;
	struct sc_error *err;      /* the cache's failure, which stops the walk */
};

static void tell(const struct import_ctx *x, const char *item, const char *reason)
{
	if (x->problem)
		x->problem(x->ud, item, reason);
}

static enum sc_status on_report(void *ud, const char *item, struct dmarc_report *r,
				const struct sc_error *item_err)
{
	struct import_ctx *x = ud;
	bool dup = false;
	enum sc_status st;

	if (!r) {
		x->stats->failed++;
		tell(x, item, item_err ? item_err->message : "unreadable");
		return SC_OK;
	}
	st = cache_put_dmarc_report(x->c, r, x->origin, x->now, &dup, x->err);
	if (st == SC_USAGE) {      /* a report without what makes it one: the item's problem */
		x->stats->failed++;
		tell(x, item, x->err->message);
		sc_error_clear(x->err);
		st = SC_OK;
	} else if (st == SC_OK && dup) {
		x->stats->reports_dup++;
	} else if (st == SC_OK) {
		x->stats->reports_new++;
		x->stats->records += r->n_records;
	}
	dmarc_report_free(r);
	free(r);
	return st;
}

enum sc_status dmarc_import_blob(struct cache *c, const char *origin, const void *data,
				 size_t len, const struct dmarc_limits *lim, time_t now,
				 struct dmarc_import_stats *stats, dmarc_problem_fn problem,
				 void *ud, struct sc_error *err)
{
	struct import_ctx x = {c, origin, now, stats, problem, ud, err};
	struct sc_error blob_err = {0};
	enum sc_status st;

	stats->blobs++;
	st = dmarc_unpack(origin, data, len, lim, on_report, &x, &blob_err);
	if (st == SC_BAD_REPLY) {  /* the blob as a whole: one problem, the import goes on */
		stats->failed++;
		tell(&x, origin, blob_err.message);
		return SC_OK;
	}
	if (st != SC_OK && err->status == SC_OK)
		*err = blob_err;
	return st;
}

static enum sc_status read_file(const char *path, size_t max, struct buf *out,
				struct sc_error *err)
{
	char chunk[65536];
	ssize_t got;
	int fd = file_open_regular(path);

	if (fd < 0)
		return sc_fail(err, errno == ENOENT ? SC_NOT_FOUND : SC_IO, "%s: %s", path,
			       file_strerror(errno));
	while ((got = read(fd, chunk, sizeof(chunk))) > 0) {
		if (out->len + (size_t)got > max) {
			close(fd);
			return sc_fail(err, SC_BAD_REPLY, "larger than %zu MiB (the limit for one file)",
				       max >> 20);
		}
		buf_append(out, chunk, (size_t)got);
	}
	close(fd);
	if (got < 0)
		return sc_fail(err, SC_IO, "%s: %s", path, strerror(errno));
	return SC_OK;
}

/* A file named on the command line that cannot be read is the command's error; one met
 * in a folder is that file's problem, and the walk goes on. */
static enum sc_status import_file(struct import_ctx *x, const char *path,
				  const struct dmarc_limits *lim, bool in_folder)
{
	struct buf b = {0};
	struct sc_error ferr = {0};
	enum sc_status st = read_file(path, lim->max_input, &b, &ferr);

	if (st == SC_BAD_REPLY || (st != SC_OK && in_folder)) {
		x->stats->failed++;
		tell(x, path, ferr.message);
		buf_free(&b);
		return SC_OK;
	}
	if (st != SC_OK) {
		*x->err = ferr;
		buf_free(&b);
		return st;
	}
	st = dmarc_import_blob(x->c, path, b.data ? b.data : "", b.len, lim, x->now, x->stats,
			       x->problem, x->ud, x->err);
	buf_free(&b);
	return st;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static enum sc_status import_dir(struct import_ctx *x, const char *dir,
				 const struct dmarc_limits *lim, int depth)
{
	DIR *d = opendir(dir);
	struct dirent *e;
	char **names = NULL;
	size_t n = 0, cap = 0;
	enum sc_status st = SC_OK;

	if (!d)
		return sc_fail(x->err, errno == ENOENT ? SC_NOT_FOUND : SC_IO, "%s: %s", dir,
			       strerror(errno));
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			names = xrealloc(names, cap * sizeof(*names));
		}
		names[n++] = xstrdup(e->d_name);
	}
	closedir(d);
	qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n && st == SC_OK; i++) {
		struct stat sb;
		char *path = NULL;

		if (asprintf(&path, "%s/%s", dir, names[i]) < 0)
			abort();
		if (lstat(path, &sb) != 0 || S_ISLNK(sb.st_mode)) {
			free(path);
			continue;
		}
		if (S_ISDIR(sb.st_mode) && depth < 16)
			st = import_dir(x, path, lim, depth + 1);
		else if (S_ISREG(sb.st_mode))
			st = import_file(x, path, lim, true);
		free(path);
	}
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
	return st;
}

enum sc_status dmarc_import_path(struct cache *c, const char *path,
				 const struct dmarc_limits *lim, time_t now,
				 struct dmarc_import_stats *stats, dmarc_problem_fn problem,
				 void *ud, struct sc_error *err)
{
	struct import_ctx x = {c, path, now, stats, problem, ud, err};
	struct stat sb;

	if (stat(path, &sb) != 0)
		return sc_fail(err, errno == ENOENT ? SC_NOT_FOUND : SC_IO, "%s: %s", path,
			       strerror(errno));
	if (S_ISDIR(sb.st_mode))
		return import_dir(&x, path, lim, 0);
	return import_file(&x, path, lim, false);
}

/* ---- classification ---- */

const char *dmarc_class_name(enum dmarc_class c)
{
	switch (c) {
	case DMARC_CLASS_SES:
		return "ses";
	case DMARC_CLASS_OTHER:
		return "other";
	case DMARC_CLASS_NONE:
		break;
	}
	return "unauthenticated";
}

void dmarc_source_views_free(struct dmarc_source_view *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].s.source_ip);
		free(v[i].s.header_from);
		free(v[i].s.auth_key);
		free(v[i].s.orgs);
		free(v[i].sender);
		free(v[i].identity);
		free(v[i].why);
	}
	free(v);
}

/* One raw result of an auth key: "dkim=d/s:r" or "spf=scope/d:r". */
struct auth_item {
	bool dkim;
	char domain[256], selector[128], result[24];
};

static size_t parse_auth_key(const char *key, struct auth_item *v, size_t max)
{
	size_t n = 0;

	while (key && *key && n < max) {
		const char *end = strchr(key, ' '), *eq, *sl, *co;
		size_t len = end ? (size_t)(end - key) : strlen(key);
		struct auth_item *a = &v[n];
		char tok[512];

		snprintf(tok, sizeof(tok), "%.*s", (int)(len < sizeof(tok) ? len : sizeof(tok) - 1), key);
		key = end ? end + 1 : NULL;
		eq = strchr(tok, '=');
		sl = eq ? strchr(eq, '/') : NULL;
		co = sl ? strrchr(sl, ':') : NULL;
		if (!co)
			continue;
		memset(a, 0, sizeof(*a));
		a->dkim = strncmp(tok, "dkim=", 5) == 0;
		/* dkim=domain/selector:result, spf=scope/domain:result */
		if (a->dkim) {
			snprintf(a->domain, sizeof(a->domain), "%.*s", (int)(sl - eq - 1), eq + 1);
			snprintf(a->selector, sizeof(a->selector), "%.*s", (int)(co - sl - 1), sl + 1);
		} else {
			snprintf(a->selector, sizeof(a->selector), "%.*s", (int)(sl - eq - 1), eq + 1);
			snprintf(a->domain, sizeof(a->domain), "%.*s", (int)(co - sl - 1), sl + 1);
		}
		snprintf(a->result, sizeof(a->result), "%s", co + 1);
		n++;
	}
	return n;
}

/* Relaxed alignment as dns/policy.h approximates it: one domain within the other. */
static bool aligned(const char *a, const char *b)
{
	return a && b && *a && *b && (dns_name_within(a, b) || dns_name_within(b, a));
}

static bool is_ses_domain(const char *d)
{
	return dns_name_within(d, "amazonses.com");
}

/* The identity whose Easy DKIM tokens (or BYODKIM selector) hold selector for domain. */
static const struct ses_identity *dkim_identity(const struct ses_identity *ids, size_t n,
						const char *domain, const char *selector)
{
	for (size_t i = 0; i < n; i++) {
		if (!ids[i].name || strcasecmp(ids[i].name, domain) != 0)
			continue;
		for (size_t k = 0; k < ids[i].n_dkim_tokens; k++)
			if (ids[i].dkim_tokens[k] && strcasecmp(ids[i].dkim_tokens[k], selector) == 0)
				return &ids[i];
	}
	return NULL;
}

static const struct ses_identity *mail_from_identity(const struct ses_identity *ids, size_t n,
						     const char *domain)
{
	for (size_t i = 0; i < n; i++)
		if (ids[i].mail_from_domain && strcasecmp(ids[i].mail_from_domain, domain) == 0)
			return &ids[i];
	return NULL;
}

static const struct ses_identity *identity_named(const struct ses_identity *ids, size_t n,
						 const char *name)
{
	for (size_t i = 0; name && i < n; i++)
		if (ids[i].name && strcasecmp(ids[i].name, name) == 0)
			return &ids[i];
	return NULL;
}

static bool passed(const struct auth_item *a)
{
	return strcmp(a->result, "pass") == 0;
}

/* Why an SES source fails DMARC, tied to the identities. */
static void why_ses(struct buf *b, const struct auth_item *v, size_t n, const char *from,
		    const struct cache_dmarc_source *s, const struct ses_identity *ids,
		    size_t n_ids, const char *region)
{
	const struct auth_item *own = NULL, *ses_only = NULL, *failed = NULL, *spf = NULL;
	const struct ses_identity *fid = identity_named(ids, n_ids, from);

	for (size_t i = 0; i < n; i++) {
		if (v[i].dkim && passed(&v[i]) && !is_ses_domain(v[i].domain) && !own)
			own = &v[i];
		else if (v[i].dkim && passed(&v[i]) && is_ses_domain(v[i].domain))
			ses_only = &v[i];
		else if (v[i].dkim && !passed(&v[i]) && !failed)
			failed = &v[i];
		else if (!v[i].dkim && !spf)
			spf = &v[i];
	}
	if (own && aligned(own->domain, from) && s->n.dkim_pass < s->n.messages) {
		buf_printf(b, "SES mail passes DKIM as d=%s, but the receivers found it not aligned "
			      "with From %s: strict alignment (adkim=s) wants d=%s exactly; sign with "
			      "an identity for %s, or publish adkim=r.", own->domain, from, from, from);
	} else if (own && !aligned(own->domain, from)) {
		buf_printf(b, "SES mail passes DKIM but not aligned: Easy DKIM is on %s, the From domain "
			      "is %s", own->domain, from);
		if (!fid)
			buf_printf(b, " (no identity %s in %s: sesctl identity create %s)", from,
				   region ? region : "this region", from);
		buf_puts(b, ".");
	} else if (failed) {
		buf_printf(b, "SES mail fails DKIM at the receiver for d=%s (s=%s): check its CNAMEs "
			      "(sesctl dns %s --check).", failed->domain, failed->selector,
			   failed->domain);
	} else if (ses_only) {
		buf_printf(b, "SES mail is signed only as amazonses.com, which never aligns with %s", from);
		if (fid && !fid->dkim_signing_enabled)
			buf_printf(b, ": DKIM signing is off for identity %s (sesctl identity dkim %s on)",
				   fid->name, fid->name);
		else if (!fid)
			buf_printf(b, ": %s is not a domain identity in %s, so Easy DKIM cannot sign "
				      "for it (sesctl identity create %s)",
				   from, region ? region : "this region", from);
		buf_puts(b, ".");
	}
	if (spf && is_ses_domain(spf->domain))
		buf_printf(b, "%sSPF passes only for %s (SES's default MAIL FROM), which never aligns "
			      "with %s: a custom MAIL FROM under it would (sesctl identity mail-from %s "
			      "bounce.%s).",
			   b->len ? " " : "", spf->domain, from, fid ? fid->name : from, from);
}

static void why_other(struct buf *b, const struct auth_item *v, size_t n, const char *from,
		      const struct cache_dmarc_source *s)
{
	const struct auth_item *dk = NULL, *sp = NULL;

	for (size_t i = 0; i < n; i++) {
		if (v[i].dkim && passed(&v[i]) && !dk)
			dk = &v[i];
		if (!v[i].dkim && passed(&v[i]) && !sp)
			sp = &v[i];
	}
	buf_printf(b, "%s (%s) passes ", dk ? dk->domain : sp ? sp->domain : "?", s->source_ip);
	if (dk)
		buf_printf(b, "DKIM as d=%s", dk->domain);
	if (dk && sp)
		buf_puts(b, " and ");
	if (sp)
		buf_printf(b, "SPF for %s", sp->domain);
	buf_printf(b, ", not aligned with %s: have it sign with DKIM for %s, or stop sending "
		      "From %s through it.", from, from, from);
}

void dmarc_classify(const struct cache_dmarc_source *s, const struct ses_identity *ids,
		    size_t n_ids, const char *region, struct dmarc_source_view *out)
{
	struct auth_item v[16];
	size_t n = parse_auth_key(s->auth_key, v, 16);
	const struct ses_identity *id = NULL;
	const char *from = s->header_from ? s->header_from : "";
	bool ses = false, any_pass = false;
	const char *pass_domain = NULL;
	struct buf b = {0};
	uint64_t fails;

	for (size_t i = 0; i < n; i++) {
		const struct ses_identity *x = NULL;

		if (v[i].dkim)
			x = dkim_identity(ids, n_ids, v[i].domain, v[i].selector);
		else
			x = mail_from_identity(ids, n_ids, v[i].domain);
		if (x && !id)
			id = x;
		if (x || is_ses_domain(v[i].domain))
			ses = true;
		if (passed(&v[i])) {
			any_pass = true;
			if (!pass_domain || (v[i].dkim && !is_ses_domain(v[i].domain)))
				pass_domain = v[i].domain;
		}
	}
	if (ses && !id)    /* signed only as amazonses.com: sent through the From domain's identity */
		id = identity_named(ids, n_ids, from);
	out->cls = ses ? DMARC_CLASS_SES : any_pass ? DMARC_CLASS_OTHER : DMARC_CLASS_NONE;
	out->identity = id ? xstrdup(id->name) : NULL;
	if (ses)
		buf_printf(&b, "SES%s%s%s", id ? " (" : "", id ? id->name : "", id ? ")" : "");
	else if (pass_domain)
		buf_puts(&b, pass_domain);
	out->sender = b.len ? buf_steal(&b) : NULL;
	buf_free(&b);
	/* mail a receiver saw forwarded fails DMARC by nature (the forwarder changes what was
	 * signed, or sends from its own address): it does not count against the source */
	fails = s->n.messages - s->n.dmarc_pass;
	fails = fails > s->n.forwarded ? fails - s->n.forwarded : 0;
	out->failing = s->n.messages && (double)fails > (1.0 - DMARC_READY_PASS) *
							(double)s->n.messages;
	out->why = NULL;
	if (!out->failing) {
		if (s->n.forwarded && s->n.dmarc_pass < s->n.messages)
			out->why = xstrdup("fails only where the receiver saw it forwarded (a mailing "
					   "list or a forwarding rule): not held against the domain");
		return;
	}
	if (out->cls == DMARC_CLASS_SES)
		why_ses(&b, v, n, from, s, ids, n_ids, region);
	else if (out->cls == DMARC_CLASS_OTHER)
		why_other(&b, v, n, from, s);
	else
		buf_puts(&b, "nothing passes, neither DKIM nor SPF: spoofing, or a sender of yours "
			     "nobody set up; p=reject will stop it.");
	if (!b.len)
		buf_printf(&b, "DMARC fails for %s from %s.", from, s->source_ip);
	out->why = buf_steal(&b);
}

/* ---- verdict ---- */

void dmarc_verdict_free(struct dmarc_verdict *v)
{
	if (!v)
		return;
	free(v->domain);
	free(v->headline);
	free(v->next_step);
	free(v->p);
	free(v->sp);
	for (size_t i = 0; i < v->n_problems; i++)
		free(v->problems[i]);
	free(v->problems);
	memset(v, 0, sizeof(*v));
}

void dmarc_verdicts_free(struct dmarc_verdict *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dmarc_verdict_free(&v[i]);
	free(v);
}

static void add_problem(struct dmarc_verdict *v, char *s)
{
	v->problems = xrealloc(v->problems, (v->n_problems + 1) * sizeof(*v->problems));
	v->problems[v->n_problems++] = s;
}

/* Failing sources that fail for the same reason (SES mail from many of its IPs) make one
 * problem: the reason once, with how many sources and messages. */
struct why_agg {
	struct {
		const char *why;         /* borrowed from the source */
		size_t sources;
		uint64_t messages;
	} v[64];
	size_t n;
	size_t more;                 /* reasons past the 64th, not listed */
};

static void add_failing(struct why_agg *a, const struct dmarc_source_view *s)
{
	const char *why = s->why ? s->why : "fails DMARC";
	size_t i;

	for (i = 0; i < a->n && strcmp(a->v[i].why, why) != 0; i++)
		;
	if (i == a->n) {
		if (a->n == sizeof(a->v) / sizeof(a->v[0])) {
			a->more++;
			return;
		}
		a->v[a->n++].why = why;
	}
	a->v[i].sources++;
	a->v[i].messages += s->s.n.messages - s->s.n.dmarc_pass;
}

static char *xprintf(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static char *xprintf(const char *fmt, ...)
{
	struct buf b = {0};
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

static void flush_failing(struct dmarc_verdict *out, const struct why_agg *a)
{
	for (size_t i = 0; i < a->n; i++) {
		if (a->v[i].sources > 1)
			add_problem(out, xprintf("%s (%zu sources, %llu failing messages)", a->v[i].why,
						 a->v[i].sources,
						 (unsigned long long)a->v[i].messages));
		else
			add_problem(out, xprintf("%s", a->v[i].why));
	}
	if (a->more)
		add_problem(out, xprintf("… and %zu more failing sources (sesctl dmarc sources %s)",
					 a->more, out->domain));
}

void dmarc_verdict_build(const struct cache_dmarc_domain *d, const struct dmarc_source_view *src,
			 size_t n_src, int days, struct dmarc_verdict *out)
{
	size_t failing = 0, unauth_sources = 0;
	struct why_agg agg = {0};
	uint64_t fwd;
	bool rejecting;

	memset(out, 0, sizeof(*out));
	out->domain = xstrdup(d->domain);
	out->all = d->n;
	out->p = d->p ? xstrdup(d->p) : NULL;
	out->sp = d->sp ? xstrdup(d->sp) : NULL;
	out->pct = d->pct;
	out->reports = d->reports;
	out->orgs = d->orgs;
	out->first = d->first;
	out->last = d->last;
	out->pass_rate = -1;
	out->has_data = d->n.messages > 0;
	if (!out->has_data) {
		out->headline = xprintf("no messages reported in the last %d days", days);
		out->next_step = xprintf("publish rua= in _dmarc.%s and import the reports "
					 "(sesctl dmarc setup %s --bucket B)", d->domain, d->domain);
		return;
	}
	for (size_t i = 0; i < n_src; i++) {
		const struct dmarc_source_view *s = &src[i];

		if (s->cls == DMARC_CLASS_NONE) {
			out->unauth_messages += s->s.n.messages;
			unauth_sources++;
			continue;
		}
		/* forwarded mail that failed is the forwarder's doing, not the source's */
		fwd = s->s.n.messages - s->s.n.dmarc_pass;
		if (fwd > s->s.n.forwarded)
			fwd = s->s.n.forwarded;
		out->auth_messages += s->s.n.messages - fwd;
		out->forwarded += fwd;
		out->auth_pass += s->s.n.dmarc_pass;
		if (s->failing) {
			failing++;
			add_failing(&agg, s);
		}
	}
	flush_failing(out, &agg);
	if (out->auth_messages)
		out->pass_rate = (double)out->auth_pass / (double)out->auth_messages;
	out->ready = out->auth_messages && failing == 0 && out->pass_rate >= DMARC_READY_PASS;
	if (unauth_sources)
		add_problem(out, xprintf("%llu messages from %zu unauthenticated sources (nothing "
					 "passes): spoofing or a forgotten sender; p=reject will "
					 "stop them, so check none of them is yours (sesctl dmarc "
					 "sources %s)",
					 (unsigned long long)out->unauth_messages, unauth_sources,
					 d->domain));
	rejecting = d->p && strcmp(d->p, "reject") == 0 && (d->pct < 0 || d->pct == 100);
	if (out->ready && rejecting) {
		out->headline = xstrdup("at p=reject, every authenticated source aligned");
	} else if (out->ready) {
		out->headline = xstrdup("ready for p=quarantine/reject");
		out->next_step = xprintf("publish p=quarantine, then p=reject after another %d "
					 "days of clean reports", days);
	} else if (!out->auth_messages) {
		out->headline = xstrdup("not ready: no authenticated source reported");
		out->next_step = xstrdup("nothing of yours passes DKIM or SPF yet: set up Easy "
					 "DKIM for the domain first");
	} else if (!failing) {
		out->headline = xprintf("not ready: %.1f %% pass (%.1f %% needed)",
					out->pass_rate * 100.0, DMARC_READY_PASS * 100.0);
		out->next_step = xstrdup("no one source stands out: look at the sources with the "
					 "most failing messages");
	} else {
		out->headline = xprintf("not ready: %zu source%s fail%s, %.1f %% pass", failing,
					failing == 1 ? "" : "s", failing == 1 ? "s" : "",
					out->pass_rate * 100.0);
		out->next_step = xstrdup("fix the sources below, then wait for clean reports");
	}
}

static enum sc_status known_identities(struct cache *c, const char *account, const char *region,
				       struct ses_identity **ids, size_t *n)
{
	struct sc_error e = {0};

	*ids = NULL;
	*n = 0;
	if (!account || !region)
		return SC_OK;
	if (cache_get_identities(c, account, region, ids, n, &e) != SC_OK) {
		*ids = NULL;
		*n = 0;
	}
	return SC_OK;
}

static time_t since_of(time_t now, int days)
{
	return now - (time_t)days * 86400;
}

static void classify_all(struct cache_dmarc_source *v, size_t n, const struct ses_identity *ids,
			 size_t n_ids, const char *region, struct dmarc_source_view **out)
{
	*out = xcalloc(n ? n : 1, sizeof(**out));
	for (size_t i = 0; i < n; i++) {
		dmarc_classify(&v[i], ids, n_ids, region, &(*out)[i]);
		(*out)[i].s = v[i];
	}
	free(v);
}

enum sc_status dmarc_sources(struct cache *c, const char *account, const char *region,
			     const char *domain, int days, time_t now,
			     struct dmarc_source_view **out, size_t *n, struct sc_error *err)
{
	struct cache_dmarc_source *v = NULL;
	struct ses_identity *ids;
	size_t n_ids;

	*out = NULL;
	*n = 0;
	if (cache_get_dmarc_sources(c, domain, since_of(now, days), &v, n, err) != SC_OK)
		return SC_IO;
	known_identities(c, account, region, &ids, &n_ids);
	classify_all(v, *n, ids, n_ids, region, out);
	ses_identities_free(ids, n_ids);
	return SC_OK;
}

enum sc_status dmarc_verdicts(struct cache *c, const char *account, const char *region,
			      const char *domain, int days, time_t now,
			      struct dmarc_verdict **out, size_t *n, struct sc_error *err)
{
	struct cache_dmarc_domain *d = NULL;
	struct ses_identity *ids;
	size_t nd = 0, n_ids;
	enum sc_status st;

	*out = NULL;
	*n = 0;
	st = cache_get_dmarc_domains(c, since_of(now, days), &d, &nd, err);
	if (st)
		return st;
	known_identities(c, account, region, &ids, &n_ids);
	*out = xcalloc(nd ? nd : 1, sizeof(**out));
	for (size_t i = 0; i < nd && st == SC_OK; i++) {
		struct cache_dmarc_source *sv = NULL;
		struct dmarc_source_view *views;
		size_t ns = 0;

		if (domain && strcasecmp(domain, d[i].domain) != 0)
			continue;
		st = cache_get_dmarc_sources(c, d[i].domain, since_of(now, days), &sv, &ns, err);
		if (st)
			break;
		classify_all(sv, ns, ids, n_ids, region, &views);
		dmarc_verdict_build(&d[i], views, ns, days, &(*out)[(*n)++]);
		dmarc_source_views_free(views, ns);
	}
	ses_identities_free(ids, n_ids);
	cache_dmarc_domains_free(d, nd);
	if (st == SC_OK && domain && !*n)
		st = sc_fail(err, SC_NOT_FOUND, "no DMARC reports for %s in the last %d days", domain,
			     days);
	if (st) {
		dmarc_verdicts_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return st;
}

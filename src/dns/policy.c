#include "sesctl/dns/policy.h"

#include "sesctl/dns/name.h"
#include "sesctl/util/buf.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#define SPF_LOOKUP_LIMIT 10

/* ---- small text helpers over (pointer, length) ---- */

struct span {
	const char *p;
	size_t n;
};

static struct span trim(struct span s)
{
	while (s.n && isspace((unsigned char)s.p[0]))
		s.p++, s.n--;
	while (s.n && isspace((unsigned char)s.p[s.n - 1]))
		s.n--;
	return s;
}

static bool span_is(struct span s, const char *word)
{
	return s.n == strlen(word) && strncasecmp(s.p, word, s.n) == 0;
}

static void list_push(char ***v, size_t *n, struct span s)
{
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = xstrndup(s.p, s.n);
}

static void list_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

/* Next piece of s up to sep (consumed); false at the end. */
static bool next_piece(struct span *s, char sep, struct span *piece)
{
	const char *end;

	if (!s->n)
		return false;
	end = memchr(s->p, sep, s->n);
	piece->p = s->p;
	piece->n = end ? (size_t)(end - s->p) : s->n;
	s->p += piece->n + (end ? 1 : 0);
	s->n -= piece->n + (end ? 1 : 0);
	return true;
}

static bool has_nul(const char *txt, size_t len)
{
	return memchr(txt, '\0', len) != NULL;
}

/* ---- DMARC ---- */

static enum sc_status dmarc_value(struct dmarc_record *r, struct span tag, struct span val,
                                  struct sc_error *err)
{
	if (span_is(tag, "p") || span_is(tag, "sp")) {
		char *dst = span_is(tag, "p") ? r->p : r->sp;

		if (!span_is(val, "none") && !span_is(val, "quarantine") && !span_is(val, "reject"))
			return sc_fail(err, SC_BAD_REPLY,
			               "DMARC record has %.*s=%.*s (must be none, "
			               "quarantine or reject)",
			               (int)tag.n, tag.p, (int)(val.n > 32 ? 32 : val.n), val.p);
		for (size_t i = 0; i < val.n; i++)
			dst[i] = (char)tolower((unsigned char)val.p[i]);
		dst[val.n] = '\0';
	} else if (span_is(tag, "pct")) {
		int pct = 0;

		for (size_t i = 0; i < val.n && pct <= 100; i++) {
			if (!isdigit((unsigned char)val.p[i]))
				pct = 1000;
			else
				pct = pct * 10 + (val.p[i] - '0');
		}
		if (!val.n || pct > 100)
			return sc_fail(err, SC_BAD_REPLY,
			               "DMARC record has pct=%.*s (must be 0..100)",
			               (int)(val.n > 16 ? 16 : val.n), val.p);
		r->pct = pct;
	} else if (span_is(tag, "adkim") || span_is(tag, "aspf")) {
		if (!span_is(val, "r") && !span_is(val, "s"))
			return sc_fail(err, SC_BAD_REPLY,
			               "DMARC record has %.*s=%.*s (must be r or s)", (int)tag.n,
			               tag.p, (int)(val.n > 16 ? 16 : val.n), val.p);
		*(span_is(tag, "adkim") ? &r->adkim : &r->aspf) =
		    (char)tolower((unsigned char)*val.p);
	} else if (span_is(tag, "t")) {
		r->testing = span_is(val, "y");
	} else if (span_is(tag, "fo")) {
		free(r->fo);
		r->fo = xstrndup(val.p, val.n);
	} else if (span_is(tag, "rua") || span_is(tag, "ruf")) {
		struct span uri;
		bool rua = span_is(tag, "rua");

		while (next_piece(&val, ',', &uri))
			if ((uri = trim(uri)).n)
				list_push(rua ? &r->rua : &r->ruf, rua ? &r->n_rua : &r->n_ruf,
				          uri);
	}
	return SC_OK; /* unknown tags are ignored (RFC 7489 6.3) */
}

enum sc_status dmarc_parse(const char *txt, size_t len, struct dmarc_record *out,
                           struct sc_error *err)
{
	struct span s = {txt, len}, piece;
	bool first = true;

	memset(out, 0, sizeof(*out));
	if (!txt || has_nul(txt, len))
		return sc_fail(err, SC_BAD_REPLY, "DMARC record is empty or contains a NUL byte");
	out->pct = 100;
	out->adkim = out->aspf = 'r';
	while (next_piece(&s, ';', &piece)) {
		struct span tag, val;
		const char *eq;

		piece = trim(piece);
		if (!piece.n)
			continue;
		eq = memchr(piece.p, '=', piece.n);
		if (!eq) {
			dmarc_record_free(out);
			return sc_fail(err, SC_BAD_REPLY,
			               "DMARC record has a tag without '=': '%.*s'",
			               (int)(piece.n > 32 ? 32 : piece.n), piece.p);
		}
		tag = trim((struct span){piece.p, (size_t)(eq - piece.p)});
		val = trim((struct span){eq + 1, piece.n - (size_t)(eq - piece.p) - 1});
		if (first && (!span_is(tag, "v") || !span_is(val, "DMARC1"))) {
			dmarc_record_free(out);
			return sc_fail(err, SC_BAD_REPLY,
			               "DMARC record does not start with v=DMARC1");
		}
		if (!first && dmarc_value(out, tag, val, err)) {
			dmarc_record_free(out);
			return SC_BAD_REPLY;
		}
		first = false;
	}
	if (first) {
		dmarc_record_free(out);
		return sc_fail(err, SC_BAD_REPLY, "DMARC record does not start with v=DMARC1");
	}
	if (!out->p[0]) {
		dmarc_record_free(out);
		return sc_fail(err, SC_BAD_REPLY, "DMARC record has no p= policy");
	}
	return SC_OK;
}

void dmarc_record_free(struct dmarc_record *r)
{
	if (!r)
		return;
	free(r->fo);
	list_free(r->rua, r->n_rua);
	list_free(r->ruf, r->n_ruf);
	memset(r, 0, sizeof(*r));
}

/* ---- SPF ---- */

static const char *const spf_lookup_terms[] = {"include", "a", "mx", "ptr", "exists"};
static const char *const spf_plain_terms[] = {"all", "ip4", "ip6"};

static bool term_in(struct span name, const char *const *list, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (span_is(name, list[i]))
			return true;
	return false;
}

static enum sc_status spf_term(struct spf_record *r, struct span t, struct sc_error *err)
{
	char q = '+';
	struct span name = t, arg = {NULL, 0};
	char delim = 0;

	if (strchr("+-~?", t.p[0]))
		q = t.p[0], name.p++, name.n--;
	for (size_t i = 0; i < name.n && !delim; i++) {
		if (name.p[i] == ':' || name.p[i] == '/' || name.p[i] == '=') {
			delim = name.p[i];
			arg.p = name.p + i + 1;
			arg.n = name.n - i - 1;
			name.n = i;
		}
	}
	if (delim == '=') { /* a modifier: redirect= counts, exp= and unknown ones are allowed */
		if (span_is(name, "redirect")) {
			free(r->redirect);
			r->redirect = xstrndup(arg.p, arg.n);
			r->lookups++;
		}
		return SC_OK;
	}
	if (term_in(name, spf_lookup_terms, 5)) {
		r->lookups++;
		if (span_is(name, "include")) {
			if (!arg.n || delim != ':')
				return sc_fail(err, SC_BAD_REPLY, "SPF include: without a domain");
			list_push(&r->includes, &r->n_includes, arg);
		}
		return SC_OK;
	}
	if (!term_in(name, spf_plain_terms, 3))
		return sc_fail(err, SC_BAD_REPLY, "SPF record has an unknown term '%.*s'",
		               (int)(t.n > 32 ? 32 : t.n), t.p);
	if (span_is(name, "all"))
		r->all = q;
	return SC_OK;
}

enum sc_status spf_parse(const char *txt, size_t len, struct spf_record *out, struct sc_error *err)
{
	struct span s = {txt, len}, t;
	bool first = true;

	memset(out, 0, sizeof(*out));
	if (!txt || has_nul(txt, len))
		return sc_fail(err, SC_BAD_REPLY, "SPF record is empty or contains a NUL byte");
	while (next_piece(&s, ' ', &t)) {
		t = trim(t);
		if (!t.n)
			continue;
		if (first) {
			if (!span_is(t, "v=spf1"))
				return sc_fail(err, SC_BAD_REPLY,
				               "SPF record does not start with v=spf1");
			first = false;
			continue;
		}
		if (spf_term(out, t, err)) {
			spf_record_free(out);
			return SC_BAD_REPLY;
		}
	}
	if (first)
		return sc_fail(err, SC_BAD_REPLY, "SPF record does not start with v=spf1");
	return SC_OK;
}

void spf_record_free(struct spf_record *r)
{
	if (!r)
		return;
	list_free(r->includes, r->n_includes);
	free(r->redirect);
	memset(r, 0, sizeof(*r));
}

bool spf_includes(const struct spf_record *r, const char *domain)
{
	for (size_t i = 0; i < r->n_includes; i++)
		if (dns_name_equal(r->includes[i], domain))
			return true;
	return false;
}

/* ---- verdict ---- */

const char *policy_answer_name(enum policy_answer a)
{
	return a == POLICY_YES ? "yes" : a == POLICY_NO ? "no" : "unknown";
}

static void push_fmt(char ***v, size_t *n, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

static void push_fmt(char ***v, size_t *n, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	*v = xrealloc(*v, (*n + 1) * sizeof(char *));
	(*v)[(*n)++] = buf_steal(&b);
}

#define WARN(v, ...) push_fmt(&(v)->warnings, &(v)->n_warnings, __VA_ARGS__)
#define NOTE(v, ...) push_fmt(&(v)->notes, &(v)->n_notes, __VA_ARGS__)

static char *sentence(const char *fmt, ...) __attribute__((format(printf, 1, 2)));

static char *sentence(const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	return buf_steal(&b);
}

static bool aligned(const char *from, const char *other, char mode)
{
	if (mode == 's')
		return dns_name_equal(from, other);
	return dns_name_within(from, other) || dns_name_within(other, from);
}

/* The domain identity that signs and owns the MAIL FROM (NULL for a bare address). */
static const struct ses_identity *signer(const struct policy_input *in)
{
	if (ses_identity_is_domain(in->identity))
		return in->identity;
	return in->domain;
}

static void judge_dkim(const struct policy_input *in, const char *from, struct policy_verdict *v)
{
	const struct ses_identity *d = signer(in);
	char mode = v->has_dmarc ? v->dmarc.adkim : 'r';

	if (!d) {
		v->dkim_aligned = POLICY_NO;
		v->dkim_why =
		    sentence("SES signs mail from an address identity with d=amazonses.com, "
		             "which is not aligned with %s",
		             from);
	} else if (!d->has_details) {
		v->dkim_aligned = POLICY_UNKNOWN;
		v->dkim_why = sentence("the DKIM state of %s has not been read", d->name);
	} else if (!d->dkim_signing_enabled || ses_state_of(d->dkim_status) != SES_STATE_OK) {
		v->dkim_aligned = POLICY_NO;
		v->dkim_why =
		    sentence("DKIM for %s is %s (status %s), so SES signs with "
		             "d=amazonses.com",
		             d->name, d->dkim_signing_enabled ? "not verified" : "disabled",
		             d->dkim_status ? d->dkim_status : "none");
	} else if (!aligned(from, d->name, mode)) {
		v->dkim_aligned = POLICY_NO;
		v->dkim_why =
		    sentence("mail is signed with d=%s, which %s alignment with %s rejects",
		             d->name, mode == 's' ? "strict" : "relaxed", from);
	} else {
		v->dkim_aligned = POLICY_YES;
		v->dkim_why = sentence("mail is signed with d=%s (%s alignment)", d->name,
		                       mode == 's' ? "strict" : "relaxed");
	}
}

static void judge_spf(const struct policy_input *in, const char *from, struct policy_verdict *v)
{
	const struct ses_identity *d = signer(in);
	const char *mf = d ? d->mail_from_domain : NULL;
	char mode = v->has_dmarc ? v->dmarc.aspf : 'r';

	if (!mf || !*mf) {
		v->spf_aligned = POLICY_NO;
		v->spf_why = sentence("no custom MAIL FROM: SES uses a subdomain of amazonses.com, "
		                      "which passes SPF but is not aligned with %s",
		                      from);
		return;
	}
	if (mode == 's')
		WARN(v,
		     "aspf=s (strict SPF alignment) never aligns with the custom MAIL FROM %s; "
		     "use relaxed SPF alignment",
		     mf);
	if (d->has_details && ses_state_of(d->mail_from_status) != SES_STATE_OK) {
		v->spf_aligned = POLICY_NO;
		v->spf_why = sentence("MAIL FROM %s is not verified (status %s), so SES falls back "
		                      "to amazonses.com or rejects the message",
		                      mf, d->mail_from_status ? d->mail_from_status : "none");
	} else if (v->has_spf && !spf_includes(&v->spf, "amazonses.com")) {
		v->spf_aligned = POLICY_NO;
		v->spf_why = sentence("the SPF record of %s does not include amazonses.com", mf);
	} else if (!aligned(from, mf, mode)) {
		v->spf_aligned = POLICY_NO;
		v->spf_why = sentence("MAIL FROM %s is not %s-aligned with %s", mf,
		                      mode == 's' ? "strictly" : "relaxed", from);
	} else {
		v->spf_aligned = d->has_details ? POLICY_YES : POLICY_UNKNOWN;
		v->spf_why = sentence("MAIL FROM %s is %s-aligned with %s", mf,
		                      mode == 's' ? "strictly" : "relaxed", from);
	}
}

static const char *effective_policy(const struct policy_verdict *v, const char *from,
                                    const char *dmarc_domain)
{
	if (v->dmarc.sp[0] && !dns_name_equal(from, dmarc_domain))
		return v->dmarc.sp;
	return v->dmarc.p;
}

/* The facts file's table, first row: an address identity without a DKIM domain. */
static void unauthenticated_note(const struct policy_input *in, struct policy_verdict *v)
{
	if (ses_identity_is_domain(in->identity) || v->dkim_aligned == POLICY_YES)
		return;
	NOTE(v,
	     "mail from %s is not DKIM-authenticated for its domain: receivers judge it by IP "
	     "reputation only (verify the domain for Easy DKIM)",
	     in->identity->name);
}

static void judge_dmarc(const struct policy_input *in, const char *from, const char *dd,
                        struct policy_verdict *v)
{
	const char *p;

	if (!v->has_dmarc && in->dmarc_failed) { /* unknown, never absent: no conclusion */
		v->dmarc_pass = POLICY_UNKNOWN;
		v->dmarc_why = sentence("the DMARC lookup for %s failed (%s): whether it publishes "
		                        "DMARC, and so whether DMARC passes, is unknown",
		                        dd, in->dmarc_failed);
		return;
	}
	if (v->dkim_aligned == POLICY_YES || v->spf_aligned == POLICY_YES)
		v->dmarc_pass = POLICY_YES;
	else if (v->dkim_aligned == POLICY_NO && v->spf_aligned == POLICY_NO)
		v->dmarc_pass = POLICY_NO;
	if (!v->has_dmarc) {
		v->dmarc_why = sentence("%s publishes no DMARC record, so receivers apply no DMARC "
		                        "policy",
		                        dd);
		unauthenticated_note(in, v);
		return;
	}
	p = effective_policy(v, from, dd);
	v->dmarc_why = sentence("DMARC %s (%s=%s)",
	                        v->dmarc_pass == POLICY_YES  ? "passes: at least one aligned pass"
	                        : v->dmarc_pass == POLICY_NO ? "fails: neither DKIM nor SPF aligns"
	                                                     : "result unknown",
	                        p == v->dmarc.p ? "p" : "sp", p);
	if (v->dmarc_pass == POLICY_YES || ses_identity_is_domain(in->identity))
		return;
	if (strcmp(p, "none") == 0)
		unauthenticated_note(in, v);
	else if (strcmp(p, "reject") == 0)
		WARN(v,
		     "%s is an address identity under p=reject: receivers may reject its mail, "
		     "which SES reports as bounces",
		     in->identity->name);
	else if (strcmp(p, "quarantine") == 0)
		WARN(v, "%s is an address identity under p=quarantine: its mail may land in spam",
		     in->identity->name);
}

static void dmarc_warnings(struct policy_verdict *v, const char *dd)
{
	if (strcmp(v->dmarc.p, "none") == 0)
		WARN(v,
		     "p=none only monitors: once the reports show all mail aligned, move %s to "
		     "quarantine or reject",
		     dd);
	if (v->dmarc.pct < 100)
		WARN(v, "pct=%d: the policy applies to only %d%% of failing mail", v->dmarc.pct,
		     v->dmarc.pct);
	if (!v->dmarc.n_rua)
		WARN(v, "no rua= address: nobody receives the aggregate reports");
	if (v->dmarc.testing)
		WARN(v, "t=y: the policy is in testing mode");
}

static void spf_warnings(struct policy_verdict *v, unsigned nested)
{
	if (nested > SPF_LOOKUP_LIMIT && nested > v->spf.lookups)
		WARN(v,
		     "the SPF record needs more than %d DNS lookups with its includes: receivers "
		     "return permerror",
		     SPF_LOOKUP_LIMIT);
	else if (v->spf.lookups > SPF_LOOKUP_LIMIT)
		WARN(v,
		     "the SPF record needs at least %u DNS lookups (limit %d): receivers return "
		     "permerror",
		     v->spf.lookups, SPF_LOOKUP_LIMIT);
	if (v->spf.all == '+')
		WARN(v, "the SPF record ends in +all, which authorises every host on the Internet");
	if (!v->spf.all && !v->spf.redirect)
		WARN(v, "the SPF record has no all mechanism: unlisted hosts get a neutral result");
}

static void extras(const struct policy_input *in, struct policy_verdict *v)
{
	if (in->bimi_txt) {
		NOTE(v, "BIMI record published: %.200s", in->bimi_txt);
		if (!v->has_dmarc || strcmp(v->dmarc.p, "none") == 0 || v->dmarc.pct < 100 ||
		    strcmp(v->dmarc.sp, "none") == 0)
			WARN(v, "BIMI needs p=quarantine or p=reject with pct=100 and no sp=none");
	}
	if (in->mta_sts_txt)
		NOTE(v, "MTA-STS record published: %.200s", in->mta_sts_txt);
	if (in->tlsrpt_txt)
		NOTE(v, "TLS-RPT record published: %.200s", in->tlsrpt_txt);
}

void policy_evaluate(const struct policy_input *in, struct policy_verdict *v)
{
	const char *at, *from, *dd;
	struct sc_error err;

	memset(v, 0, sizeof(*v));
	if (!in || !in->identity || !in->identity->name) {
		v->dmarc_why = sentence("no identity was given");
		return;
	}
	at = strrchr(in->identity->name, '@');
	from = in->from_domain ? in->from_domain : at ? at + 1 : in->identity->name;
	dd = in->dmarc_domain ? in->dmarc_domain : from;
	if (in->dmarc_txt) {
		v->has_dmarc =
		    dmarc_parse(in->dmarc_txt, strlen(in->dmarc_txt), &v->dmarc, &err) == SC_OK;
		if (!v->has_dmarc)
			WARN(v, "the published DMARC record is ignored by receivers: %s",
			     err.message);
	}
	if (in->spf_txt) {
		v->has_spf = spf_parse(in->spf_txt, strlen(in->spf_txt), &v->spf, &err) == SC_OK;
		if (!v->has_spf)
			WARN(v, "the SPF record of the MAIL FROM domain is broken: %s",
			     err.message);
	}
	judge_dkim(in, from, v);
	judge_spf(in, from, v);
	if (in->spf_failed && !v->has_spf && v->spf_aligned == POLICY_YES) {
		free(v->spf_why); /* aligned, but whether its SPF lets SES send is unknown */
		v->spf_aligned = POLICY_UNKNOWN;
		v->spf_why = sentence("the SPF lookup of the MAIL FROM domain failed (%s): whether "
		                      "it includes amazonses.com is unknown",
		                      in->spf_failed);
	}
	judge_dmarc(in, from, dd, v);
	if (v->has_dmarc)
		dmarc_warnings(v, dd);
	if (v->has_spf)
		spf_warnings(v, in->spf_lookups);
	extras(in, v);
}

static const char *checked_text(const struct dns_record *r)
{
	return r->status == DNS_STATE_OK || r->status == DNS_STATE_WRONG ? r->published : NULL;
}

void policy_input_from_set(struct policy_input *in, const struct dns_record_set *set)
{
	const struct ses_identity *d = in->identity ? signer(in) : NULL;
	struct dns_name mf = {NULL, NULL};

	if (d && d->mail_from_domain)
		dns_name_normalize(d->mail_from_domain, 0, &mf, NULL);
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		if (r->kind == DNS_KIND_DMARC && checked_text(r)) {
			in->dmarc_txt = checked_text(r);
			in->dmarc_domain = set->dmarc_at ? set->dmarc_at : set->domain;
		} else if (r->kind == DNS_KIND_DMARC && r->status == DNS_STATE_ERROR) {
			in->dmarc_failed = r->detail ? r->detail : "lookup failed";
		} else if (r->kind == DNS_KIND_MAILFROM_SPF && mf.alabel &&
		           strcmp(r->name, mf.alabel) == 0 && checked_text(r)) {
			in->spf_txt = checked_text(r);
			in->spf_lookups = r->spf_lookups;
		} else if (r->kind == DNS_KIND_MAILFROM_SPF && mf.alabel &&
		           strcmp(r->name, mf.alabel) == 0 && r->status == DNS_STATE_ERROR) {
			in->spf_failed = r->detail ? r->detail : "lookup failed";
		}
	}
	dns_name_free(&mf);
	in->bimi_txt = set->bimi;
	in->mta_sts_txt = set->mta_sts;
	in->tlsrpt_txt = set->tlsrpt;
}

void policy_verdict_free(struct policy_verdict *v)
{
	if (!v)
		return;
	free(v->dkim_why);
	free(v->spf_why);
	free(v->dmarc_why);
	list_free(v->warnings, v->n_warnings);
	list_free(v->notes, v->n_notes);
	dmarc_record_free(&v->dmarc);
	spf_record_free(&v->spf);
	memset(v, 0, sizeof(*v));
}

void policy_explain(struct buf *out, const struct policy_verdict *v)
{
	buf_printf(out, "DKIM aligned:  %s -- %s\n", policy_answer_name(v->dkim_aligned),
	           v->dkim_why ? v->dkim_why : "");
	buf_printf(out, "SPF aligned:   %s -- %s\n", policy_answer_name(v->spf_aligned),
	           v->spf_why ? v->spf_why : "");
	buf_printf(out, "DMARC passes:  %s -- %s\n", policy_answer_name(v->dmarc_pass),
	           v->dmarc_why ? v->dmarc_why : "");
	if (v->has_dmarc) {
		buf_printf(out, "DMARC record:  p=%s sp=%s pct=%d adkim=%c aspf=%c%s", v->dmarc.p,
		           v->dmarc.sp[0] ? v->dmarc.sp : "(as p)", v->dmarc.pct, v->dmarc.adkim,
		           v->dmarc.aspf, v->dmarc.testing ? " t=y" : "");
		if (v->dmarc.fo)
			buf_printf(out, " fo=%s", v->dmarc.fo);
		for (size_t i = 0; i < v->dmarc.n_rua; i++)
			buf_printf(out, " rua=%s", v->dmarc.rua[i]);
		for (size_t i = 0; i < v->dmarc.n_ruf; i++)
			buf_printf(out, " ruf=%s", v->dmarc.ruf[i]);
		buf_putc(out, '\n');
	}
	if (v->has_spf) {
		buf_printf(out, "SPF record:    all=%c lookups=%u", v->spf.all ? v->spf.all : '-',
		           v->spf.lookups);
		for (size_t i = 0; i < v->spf.n_includes; i++)
			buf_printf(out, " include:%s", v->spf.includes[i]);
		buf_putc(out, '\n');
	}
	for (size_t i = 0; i < v->n_warnings; i++)
		buf_printf(out, "warning: %s\n", v->warnings[i]);
	for (size_t i = 0; i < v->n_notes; i++)
		buf_printf(out, "note: %s\n", v->notes[i]);
}

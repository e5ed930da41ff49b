/* The DNS pane: every record the selected domain (or every domain) must publish, merged
 * across the regions the console covers, with a live check, the alignment verdict and
 * copy/export keys. Data comes from the cache; nothing here talks to SES. */
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/dns/check.h"
#include "sesctl/dns/export.h"
#include "sesctl/dns/policy.h"
#include "sesctl/dns/records.h"
#include "sesctl/store/db.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/receipt.h"
#include "sesctl/store/tenants.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/clip.h"
#include "sesctl/tui/pane.h"

enum dns_col { COL_STATUS, COL_NAME, COL_TYPE, COL_VALUE, COL_PURPOSE, COL_REGION, COL_N };

/* Not const: the name column's width follows the screen (draw), the value takes the rest. */
static struct table_col dns_cols[COL_N] = {
	[COL_STATUS] = {"status", 11, 0},
	[COL_NAME] = {"name", 24, TCOL_MIDDLE},
	[COL_TYPE] = {"type", 5, 0},
	[COL_VALUE] = {"value", 16, TCOL_FLEX},
	[COL_PURPOSE] = {"purpose", 12, 0},
	[COL_REGION] = {"region", 9, 0},
};

/* One domain: its records, the identity that produced them (for the verdict). */
struct dns_domain {
	struct dns_record_set set;
	struct ses_identity identity;
	char *verdict;     /* one line: "DKIM aligned yes · SPF ..."; NULL before a check */
	char *explain;     /* policy_explain(); NULL before a check */
};

struct dns_priv {
	struct dns_domain *doms;
	size_t n;
	struct { size_t dom, rec; } *rows; /* list row ref → record */
	size_t n_rows;
	bool all;            /* every domain instead of the followed one */
	char *domain;        /* the domain shown when !all (from %(domain)) */
	bool check_on_load;  /* `r` was pressed: check after the refresh reloads us */
	bool checked;
	time_t checked_at;
	char checked_regions[256]; /* the regions the check was for ("eu-west-1,us-west-2") */
	struct buf findings; /* the VDM line of the shown domain ("" when none) */
	bool findings_high;
	char *detail_name;   /* record whose detail is open: "name\ttype\tvalue" */
	struct dns_check_job {
		struct tui_job hook;  /* registered with the frame while the check runs */
		struct pane *p;
		struct dns_checker **cs;
		size_t n, *off, *cnt;
		enum ui_toast before; /* what the status line said before the check */
		char kept[512];
		bool active;
	} job;
};

static void dom_free(struct dns_domain *d)
{
	dns_record_set_free(&d->set);
	ses_identity_free(&d->identity);
	free(d->verdict);
	free(d->explain);
}

static void doms_free(struct dns_domain *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		dom_free(&v[i]);
	free(v);
}

static struct dns_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct dns_priv));
	return p->priv;
}

static const char *str_or(const char *s, const char *dflt)
{
	return s && *s ? s : dflt;
}

/* ---- building the record sets from the cache ---- */

static struct dns_domain *dom_for(struct dns_priv *pv, const char *name)
{
	/* a domain whose records could not be made has no identity yet (drop_empty ends it) */
	for (size_t i = 0; i < pv->n; i++)
		if (pv->doms[i].identity.name && !strcasecmp(pv->doms[i].identity.name, name))
			return &pv->doms[i];
	pv->doms = xrealloc(pv->doms, (pv->n + 1) * sizeof(*pv->doms));
	memset(&pv->doms[pv->n], 0, sizeof(pv->doms[0]));
	dns_record_set_init(&pv->doms[pv->n].set);
	return &pv->doms[pv->n++];
}

static bool wanted(const struct dns_priv *pv, const struct ses_identity *x)
{
	if (!x->name || !ses_identity_is_domain(x))
		return false;
	return pv->all || (pv->domain && !strcasecmp(pv->domain, x->name));
}

static void add_region(struct dns_priv *pv, struct tui *tui, const char *region)
{
	struct ses_identity *ids = NULL;
	struct ses_rule_set *sets = NULL;
	size_t n = 0, n_sets = 0;

	if (cache_get_identities(tui->cache, tui->account_id, region, &ids, &n, NULL))
		return;
	cache_get_rule_sets(tui->cache, tui->account_id, region, &sets, &n_sets, NULL);
	for (size_t i = 0; i < n; i++) {
		struct dns_gen_opts go = {0};
		struct dns_domain *d;

		if (!wanted(pv, &ids[i]))
			continue;
		d = dom_for(pv, ids[i].name);
		go.inbound = dns_domain_receives(sets, n_sets, ids[i].name);
		if (dns_records_for_identity(&d->set, &ids[i], tui->account_id, region, &go, NULL))
			continue; /* an invalid name or MAIL FROM: nothing to publish for it */
		if (!d->identity.name)
			ses_identity_copy(&d->identity, &ids[i]);
	}
	ses_rule_sets_free(sets, n_sets);
	ses_identities_free(ids, n);
}

static void drop_empty(struct dns_priv *pv)
{
	size_t k = 0;

	for (size_t i = 0; i < pv->n; i++) {
		if (!pv->doms[i].identity.name) {
			dom_free(&pv->doms[i]);
			continue;
		}
		pv->doms[k++] = pv->doms[i];
	}
	pv->n = k;
}

/* ---- check results survive a reload (another pane's verb reloads every pane) ---- */

static struct dns_record *find_record(struct dns_domain *v, size_t n, const struct dns_record *r)
{
	for (size_t i = 0; i < n; i++)
		for (size_t j = 0; j < v[i].set.n; j++) {
			struct dns_record *o = &v[i].set.v[j];

			if (strcmp(o->name, r->name) || strcmp(o->type, r->type))
				continue;
			if (o->kind == DNS_KIND_DMARC || !strcmp(o->value, r->value))
				return o;
		}
	return NULL;
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void keep_results(struct dns_priv *pv, struct dns_domain *old, size_t n_old)
{
	for (size_t i = 0; i < pv->n; i++) {
		struct dns_record_set *set = &pv->doms[i].set;
		struct dns_record *dm = dns_record_set_dmarc(set), *od;

		/* a published DMARC record replaced the suggestion last time: again */
		od = dm ? find_record(old, n_old, dm) : NULL;
		if (od && dm->suggestion && !od->suggestion)
			dns_record_set_adopt_dmarc(set, od->value);
		for (size_t j = 0; j < set->n; j++) {
			struct dns_record *r = &set->v[j], *o = find_record(old, n_old, r);

			if (!o || o->status == DNS_STATE_UNCHECKED)
				continue;
			r->status = o->status;
			r->published = dup_or_null(o->published);
			r->resolver = dup_or_null(o->resolver);
			r->detail = dup_or_null(o->detail);
			r->spf_lookups = o->spf_lookups;
		}
	}
}

/* ---- the verdict ---- */

/* The check found every record of this kind live while SES (as last read) still has not
 * verified it: the verdict's "no" is SES's, and will change once SES looks again. */
static bool live_but_unverified(const struct dns_domain *d, enum dns_record_kind kind)
{
	const char *status = kind == DNS_KIND_DKIM ? d->identity.dkim_status
						   : d->identity.mail_from_status;
	size_t n = 0;

	if (!d->identity.has_details || !status || ses_state_of(status) == SES_STATE_OK)
		return false;
	for (size_t i = 0; i < d->set.n; i++) {
		const struct dns_record *r = &d->set.v[i];
		bool same = r->kind == kind ||
			    (kind == DNS_KIND_MAILFROM_MX && r->kind == DNS_KIND_MAILFROM_SPF);

		if (!same)
			continue;
		if (r->status != DNS_STATE_OK)
			return false;
		n++;
	}
	return n > 0;
}

static const char *answer(enum policy_answer a, bool pending)
{
	return a == POLICY_NO && pending ? "pending" : policy_answer_name(a);
}

static void evaluate(struct dns_domain *d)
{
	struct policy_input in = {.identity = &d->identity};
	struct policy_verdict v;
	struct buf b = BUF_INIT;

	policy_input_from_set(&in, &d->set);
	policy_evaluate(&in, &v);
	free(d->verdict);
	free(d->explain);
	buf_printf(&b, "alignment: DKIM aligned %s, SPF aligned %s, DMARC pass %s",
		   answer(v.dkim_aligned, live_but_unverified(d, DNS_KIND_DKIM)),
		   answer(v.spf_aligned, live_but_unverified(d, DNS_KIND_MAILFROM_MX)),
		   policy_answer_name(v.dmarc_pass));
	if (live_but_unverified(d, DNS_KIND_DKIM) || live_but_unverified(d, DNS_KIND_MAILFROM_MX))
		buf_puts(&b, " (live in DNS, SES not verified yet: r)");
	d->verdict = xstrdup(buf_str(&b));
	buf_reset(&b);
	policy_explain(&b, &v);
	d->explain = xstrdup(buf_str(&b));
	buf_free(&b);
	policy_verdict_free(&v);
}

/* ---- rows ---- */

static enum ses_state state_of(enum dns_check_state st)
{
	switch (st) {
	case DNS_STATE_OK: return SES_STATE_OK;
	case DNS_STATE_MISSING: case DNS_STATE_WRONG: return SES_STATE_FAILED;
	case DNS_STATE_CONFLICT: return SES_STATE_TEMPFAIL;
	case DNS_STATE_ERROR: return SES_STATE_UNKNOWN;
	default: return SES_STATE_NONE;
	}
}

/* An optional record that is not OK is not a problem: it says so instead of MISSING. */
static enum ses_state record_state(const struct dns_record *r)
{
	if (r->optional && r->status != DNS_STATE_OK)
		return SES_STATE_NONE;
	return state_of(r->status);
}

/* Glyph and word: colour is never the only carrier. */
static void status_cell(char *out, size_t outlen, const struct dns_record *r, bool ascii)
{
	const char *word = r->status == DNS_STATE_UNCHECKED ? "unchecked" : dns_state_label(r->status);

	if (r->optional && r->status != DNS_STATE_OK)
		word = "optional";
	snprintf(out, outlen, "%s %s", theme_state_glyph(record_state(r), ascii), word);
}

/* A record's identity across reloads (a DMARC record's value changes when adopted). */
static void record_key(const struct dns_record *r, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s\t%s\t%s", r->name, r->type,
		 r->kind == DNS_KIND_DMARC ? "" : r->value);
}

/* Where a single published value departs from the expected one, so that a difference at the
 * end of a long value shows at 80 columns too: "extra at the end: .shop.example". */
static void difference(struct buf *out, const char *want, const char *got)
{
	size_t lw = strlen(want), lg = strlen(got), pre = 0, suf = 0;

	while (pre < lw && pre < lg && want[pre] == got[pre])
		pre++;
	while (suf < lw - pre && suf < lg - pre && want[lw - 1 - suf] == got[lg - 1 - suf])
		suf++;
	if (pre == lw && pre + suf == lg)
		return; /* equal */
	if (pre + suf == lw)
		buf_printf(out, "extra %s: %.*s", suf ? "inside" : "at the end",
			   (int)(lg - pre - suf), got + pre);
	else if (pre + suf == lg)
		buf_printf(out, "missing %s: %.*s", suf ? "inside" : "at the end",
			   (int)(lw - pre - suf), want + pre);
	else
		buf_printf(out, "at %zu: %.*s expected, %.*s published", pre + 1,
			   (int)(lw - pre - suf), want + pre, (int)(lg - pre - suf), got + pre);
}

static void add_row(struct pane *p, struct tui *tui, size_t dom, size_t rec)
{
	struct dns_priv *pv = p->priv;
	const struct dns_record *r = &pv->doms[dom].set.v[rec];
	char status[48], purpose[96], id[1024];
	struct buf value = BUF_INIT;
	const char *cells[COL_N];
	enum ses_state states[COL_N] = {0};
	struct table_row *row;

	status_cell(status, sizeof(status), r, tui->ui.ascii);
	snprintf(purpose, sizeof(purpose), "%s%s", r->purpose,
		 r->suggestion ? " (suggested)" : r->optional ? " (optional)" : "");
	cells[COL_STATUS] = status;
	cells[COL_NAME] = r->display_name ? r->display_name : r->name;
	cells[COL_TYPE] = r->type;
	/* a wrong record shows what is published instead, as its difference from the expected
	 * value when there is one value (the end of a long value survives a narrow column) */
	if ((r->status == DNS_STATE_WRONG || r->status == DNS_STATE_CONFLICT) && r->published) {
		buf_puts(&value, "published: ");
		if (!strstr(r->published, " | "))
			difference(&value, r->value, r->published);
		if (value.len == strlen("published: "))
			buf_puts(&value, r->published);
	} else {
		buf_puts(&value, r->value);
	}
	cells[COL_VALUE] = buf_str(&value);
	cells[COL_PURPOSE] = purpose;
	cells[COL_REGION] = str_or(r->region, "all");
	states[COL_STATUS] = record_state(r);
	pv->rows = xrealloc(pv->rows, (pv->n_rows + 1) * sizeof(*pv->rows));
	pv->rows[pv->n_rows].dom = dom;
	pv->rows[pv->n_rows].rec = rec;
	row = table_add(&p->list, pv->n_rows, record_state(r), cells, states);
	record_key(r, id, sizeof(id));
	row->id = table_id_of(id);
	pv->n_rows++;
	buf_free(&value);
}

static void refresh_detail(struct pane *p, struct tui *tui);
static void run_check(struct pane *p, struct tui *tui);
static void job_release(struct dns_check_job *j, struct tui *tui);

/* The regions the pane shows, as one key: a check of other regions' records is not this
 * pane's check (after :region the "checked … via" line was another region's). */
static void regions_key(const struct tui *tui, char *out, size_t len)
{
	size_t at = 0;

	out[0] = '\0';
	if (!tui->core->n_regions) {
		snprintf(out, len, "%s", tui_region(tui));
		return;
	}
	for (size_t i = 0; i < tui->core->n_regions && at < len; i++)
		at += (size_t)snprintf(out + at, len - at, "%s%s", i ? "," : "",
				       tui->core->regions[i]);
}

static void add_rows(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;

	free(pv->rows);
	pv->rows = NULL;
	pv->n_rows = 0;
	for (size_t i = 0; i < pv->n; i++) {
		if (pv->checked)
			evaluate(&pv->doms[i]);
		for (size_t j = 0; j < pv->doms[i].set.n; j++)
			add_row(p, tui, i, j);
	}
}

static const char *empty_reason(struct dns_priv *pv, struct tui *tui)
{
	if (!*tui_region(tui))
		return "no region: start with --region REGION or set region in the AWS profile";
	if (!tui->cache || !tui->account_id)
		return "no data for this profile and region yet; press r to read it from SES";
	if (!pv->all && pv->domain)
		return "not a domain identity in the cache; A shows every domain";
	return "no domain identities cached; press r to refresh";
}

/* ---- VDM findings beside the records they concern ---- */

/* The finding types a record answers: DKIM records DKIM, MAIL FROM SPF, DMARC DMARC (and
 * BIMI, which needs DMARC enforcement first). */
static bool finding_concerns(const char *type, enum dns_record_kind kind)
{
	switch (kind) {
	case DNS_KIND_DKIM:
	case DNS_KIND_BYODKIM:
		return !strcasecmp(type, "DKIM");
	case DNS_KIND_MAILFROM_MX:
	case DNS_KIND_MAILFROM_SPF:
		return !strcasecmp(type, "SPF");
	case DNS_KIND_DMARC:
		return !strcasecmp(type, "DMARC") || !strcasecmp(type, "BIMI");
	default:
		return false;
	}
}

static bool dns_finding(const char *type)
{
	return type && (!strcasecmp(type, "DKIM") || !strcasecmp(type, "SPF") ||
			!strcasecmp(type, "DMARC") || !strcasecmp(type, "BIMI"));
}

/* The open DKIM/SPF/DMARC/BIMI findings of one domain identity, from the cache. */
static void domain_findings(struct tui *tui, const char *domain, struct ses_recommendation **v,
			    size_t *n)
{
	struct cache_rec_query q = {.identity = domain, .status = "OPEN"};

	*v = NULL;
	*n = 0;
	if (tui->cache && tui->account_id && domain)
		cache_get_recommendations(tui->cache, tui->account_id, tui_region(tui), &q, v, n,
					  NULL);
}

static void add_findings(struct pane *p, struct tui *tui, const struct dns_domain *d,
			 const struct dns_record *r)
{
	struct ses_recommendation *v;
	size_t n, shown = 0;

	domain_findings(tui, d->set.domain, &v, &n);
	for (size_t i = 0; i < n; i++) {
		char line[700];

		if (!v[i].type || !finding_concerns(v[i].type, r->kind))
			continue;
		snprintf(line, sizeof(line), "%s %s: %s", v[i].impact ? v[i].impact : "?", v[i].type,
			 v[i].description ? v[i].description : "");
		pane_detail_add(p, shown++ ? "" : "VDM finding", line,
				v[i].impact && !strcasecmp(v[i].impact, "HIGH") ? SES_STATE_FAILED
										: SES_STATE_TEMPFAIL);
	}
	ses_recommendations_free(v, n);
}

/* "VDM: open DMARC (HIGH), SPF (LOW) findings — Enter on the record" for the shown domain;
 * empty when there are none. */
static void findings_line(struct tui *tui, struct dns_priv *pv, struct buf *b)
{
	struct ses_recommendation *v;
	size_t n, k = 0;

	buf_reset(b);
	pv->findings_high = false;
	if (pv->n != 1)
		return;
	domain_findings(tui, pv->doms[0].set.domain, &v, &n);
	for (size_t i = 0; i < n; i++) {
		if (!dns_finding(v[i].type))
			continue;
		buf_printf(b, "%s%s (%s)", k++ ? ", " : " VDM: open ", v[i].type,
			   v[i].impact ? v[i].impact : "?");
		pv->findings_high |= v[i].impact && !strcasecmp(v[i].impact, "HIGH");
	}
	if (k)
		buf_printf(b, " finding%s %s Enter on the record it concerns", k == 1 ? "" : "s",
			   tui->ui.ascii ? "-" : "\xe2\x80\x94");
	ses_recommendations_free(v, n);
}

static enum sc_status dns_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct dns_priv *pv = priv_of(p);
	struct dns_domain *old = pv->doms;
	size_t n_old = pv->n;
	const char *followed = tui_var(tui, "domain");

	(void)err;
	if (pv->job.active) { /* its record sets are about to be replaced */
		job_release(&pv->job, tui);
		ui_toast(&tui->ui, UI_TOAST_WARN, "DNS check stopped by a reload; press C to check");
	}
	pv->doms = NULL;
	pv->n = 0;
	pv->n_rows = 0; /* add_rows() refills the index */
	if (followed && (!pv->domain || strcasecmp(followed, pv->domain))) {
		free(pv->domain);
		pv->domain = xstrdup(followed);
	}
	if (!pv->domain)
		pv->all = true;
	p->list.empty = empty_reason(pv, tui);
	if (tui->cache && tui->account_id && *tui_region(tui)) {
		if (tui->core->n_regions)
			for (size_t i = 0; i < tui->core->n_regions; i++)
				add_region(pv, tui, tui->core->regions[i]);
		else
			add_region(pv, tui, tui_region(tui));
	}
	drop_empty(pv);
	{
		char key[sizeof(pv->checked_regions)];

		regions_key(tui, key, sizeof(key));
		if (pv->checked && strcmp(key, pv->checked_regions) != 0)
			pv->checked = false; /* another region's check: forget it */
		else
			keep_results(pv, old, n_old);
	}
	doms_free(old, n_old);
	findings_line(tui, pv, &pv->findings);
	add_rows(p, tui);
	if (pv->check_on_load) { /* the rows show now; the checked ones when it is done */
		pv->check_on_load = false;
		table_update(&p->list);
		run_check(p, tui);
		if (pv->job.active || !tui->script)
			return SC_OK;
		table_clear(&p->list);
		add_rows(p, tui);
	}
	refresh_detail(p, tui);
	return SC_OK;
}

static struct dns_record *selected(struct pane *p, struct dns_domain **dom)
{
	struct dns_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	if (!pv || !r || r->ref >= pv->n_rows)
		return NULL;
	if (dom)
		*dom = &pv->doms[pv->rows[r->ref].dom];
	return &pv->doms[pv->rows[r->ref].dom].set.v[pv->rows[r->ref].rec];
}

/* ---- the check: every domain's checker at once, polled by the frame's wait hook beside
 * stdin (tui_job), so the console keeps answering keys; a script runs it to completion ---- */

#define FDS_PER_CHECKER 64

static const char *check_via(const struct tui *tui)
{
	return str_or(tui->core->opt.dns_server, "the system resolver");
}

static void progress(struct tui *tui, const struct dns_check_job *j)
{
	size_t done = 0, total = 0;

	for (size_t i = 0; i < j->n; i++) {
		size_t d, t;

		dns_check_progress(j->cs[i], &d, &t);
		done += d;
		total += t;
	}
	ui_toast(&tui->ui, UI_TOAST_INFO, "checking %zu/%zu records via %s%s", done, total,
		 check_via(tui), ui_glyph(&tui->ui, UI_GLYPH_ELLIPSIS));
}

static size_t job_fds(void *ud, struct pollfd *fds, size_t max)
{
	struct dns_check_job *j = ud;
	size_t used = 0;

	for (size_t i = 0; i < j->n; i++) {
		size_t room = max - used < FDS_PER_CHECKER ? max - used : FDS_PER_CHECKER;

		j->off[i] = used;
		j->cnt[i] = dns_check_done(j->cs[i]) ? 0 : dns_check_fds(j->cs[i], fds + used, room);
		used += j->cnt[i];
	}
	return used;
}

static int job_timeout(void *ud)
{
	struct dns_check_job *j = ud;
	int timeout = -1;

	for (size_t i = 0; i < j->n; i++) {
		int t = dns_check_done(j->cs[i]) ? -1 : dns_check_timeout_ms(j->cs[i]);

		if (t >= 0 && (timeout < 0 || t < timeout))
			timeout = t;
	}
	return timeout;
}

static void job_release(struct dns_check_job *j, struct tui *tui)
{
	for (size_t i = 0; i < j->n; i++)
		dns_check_free(j->cs[i]);
	free(j->cs);
	free(j->off);
	free(j->cnt);
	j->cs = NULL;
	j->off = j->cnt = NULL;
	j->n = 0;
	j->active = false;
	if (tui && tui->job == &j->hook)
		tui->job = NULL;
}

/* counts has DNS_STATE_COUNT + 1 slots: the last counts optional records that are not OK
 * (they are no problem, so they are not counted as MISSING). */
#define COUNT_OPTIONAL DNS_STATE_COUNT

static void count_record(size_t *counts, const struct dns_record *r)
{
	counts[r->optional && r->status != DNS_STATE_OK ? COUNT_OPTIONAL : (int)r->status]++;
}

/* ", 4 OK, 1 MISSING, 1 optional" (the first separator only when sep) */
static void print_counts(struct buf *b, const size_t *counts, bool sep)
{
	for (int s = DNS_STATE_OK; s <= COUNT_OPTIONAL; s++) {
		if (!counts[s])
			continue;
		buf_printf(b, "%s%zu %s", sep ? ", " : "", counts[s],
			   s == COUNT_OPTIONAL ? "optional" : dns_state_label((enum dns_check_state)s));
		sep = true;
	}
}

static void count_states(struct dns_priv *pv, size_t *counts)
{
	for (size_t i = 0; i < pv->n; i++) {
		struct dns_record *dm = dns_record_set_dmarc(&pv->doms[i].set);

		/* a published DMARC record replaces the suggestion */
		if (dm && dm->suggestion && dm->published &&
		    !strncasecmp(dm->published, "v=DMARC1", 8))
			dns_record_set_adopt_dmarc(&pv->doms[i].set, dm->published);
		for (size_t j = 0; j < pv->doms[i].set.n; j++)
			count_record(counts, &pv->doms[i].set.v[j]);
	}
}

/* All answers are in: statuses into the rows, the summary on the status line. */
static void check_finish(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	struct dns_check_job *j = &pv->job;
	size_t total = 0, counts[COUNT_OPTIONAL + 1] = {0};
	struct buf b = BUF_INIT;
	struct sc_error err;

	job_release(j, tui);
	count_states(pv, counts);
	pv->checked = true;
	pv->checked_at = time(NULL);
	regions_key(tui, pv->checked_regions, sizeof(pv->checked_regions));
	for (int s = DNS_STATE_OK; s <= COUNT_OPTIONAL; s++)
		total += counts[s];
	print_counts(&b, counts, false);
	if (j->before == UI_TOAST_ERROR || j->before == UI_TOAST_WARN)
		ui_toast(&tui->ui, j->before, "%s", j->kept); /* a failed refresh keeps its say */
	else
		ui_toast(&tui->ui, UI_TOAST_INFO, "checked %zu records via %s: %s", total,
			 check_via(tui), buf_str(&b));
	buf_free(&b);
	sc_error_clear(&err);
	pane_load(p, tui, &err); /* the rows with their statuses */
}

static bool job_step(void *ud, struct tui *tui, const struct pollfd *fds, size_t n)
{
	struct dns_check_job *j = ud;
	bool all = true;

	(void)n;
	for (size_t i = 0; i < j->n; i++) {
		dns_check_process(j->cs[i], fds + j->off[i], j->cnt[i]);
		all &= dns_check_done(j->cs[i]);
	}
	if (!all) {
		progress(tui, j);
		return true;
	}
	check_finish(j->p, tui);
	return false;
}

static void run_check(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	struct dns_check_job *j = &pv->job;
	struct dns_check_opts co = {.server = tui->core->opt.dns_server};
	struct sc_error err;
	enum sc_status st = SC_OK;

	if (!pv->n)
		return;
	if (tui->core->opt.offline) { /* offline means no network at all, DNS included */
		ui_toast(&tui->ui, UI_TOAST_WARN,
			 "refused: --offline given; the live check looks the records up in DNS");
		return;
	}
	if (j->active) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "a check is already running");
		return;
	}
	j->before = tui->ui.toast_kind;
	snprintf(j->kept, sizeof(j->kept), "%s", tui->ui.toast);
	j->p = p;
	j->n = pv->n;
	j->cs = xcalloc(pv->n, sizeof(*j->cs));
	j->off = xcalloc(pv->n, sizeof(*j->off));
	j->cnt = xcalloc(pv->n, sizeof(*j->cnt));
	sc_error_clear(&err);
	for (size_t i = 0; i < pv->n && !st; i++)
		st = dns_check_start(&j->cs[i], &pv->doms[i].set, &co, &err);
	if (st) {
		job_release(j, tui);
		ui_toast(&tui->ui, UI_TOAST_ERROR, "DNS check failed: %s", err.message);
		return;
	}
	j->active = true;
	j->hook = (struct tui_job){job_fds, job_timeout, job_step, j};
	progress(tui, j);
	if (!tui->script) {
		tui->job = &j->hook; /* the wait hook drives it from now on */
		return;
	}
	while (j->active) { /* a script runs each command to completion */
		struct pollfd fds[FDS_PER_CHECKER * 8];
		size_t nf = job_fds(j, fds, sizeof(fds) / sizeof(fds[0]));

		if (poll(fds, nf, job_timeout(j)) < 0)
			continue; /* EINTR */
		job_step(j, tui, fds, nf);
	}
}

/* ---- detail ---- */

static void fill_detail(struct pane *p, struct tui *tui, struct dns_domain *d,
			const struct dns_record *r)
{
	struct dns_priv *pv = p->priv;
	struct buf b = BUF_INIT;
	char title[600], ttl[32];

	free(pv->detail_name);
	record_key(r, title, sizeof(title));
	pv->detail_name = xstrdup(title);
	snprintf(title, sizeof(title), "%s %s  Esc back", r->type, r->display_name);
	pane_detail_open(p, title);
	buf_puts(&b, r->status == DNS_STATE_UNCHECKED ? "not checked (C checks)"
						       : dns_state_label(r->status));
	if (r->optional && r->status != DNS_STATE_OK)
		buf_puts(&b, " (optional: not needed)");
	pane_detail_add(p, "status", buf_str(&b), record_state(r));
	buf_reset(&b);
	if (r->status != DNS_STATE_UNCHECKED)
		pane_detail_add(p, "meaning", dns_state_meaning(r->status), SES_STATE_NONE);
	pane_detail_add(p, "name", r->name, SES_STATE_NONE);
	pane_detail_add(p, "type", r->type, SES_STATE_NONE);
	pane_detail_add(p, "expected", r->value, SES_STATE_NONE);
	if (r->status != DNS_STATE_UNCHECKED)
		pane_detail_add(p, "published", str_or(r->published, "(nothing)"),
				r->status == DNS_STATE_OK ? SES_STATE_OK : state_of(r->status));
	if (r->status == DNS_STATE_WRONG && r->published && !strstr(r->published, " | ")) {
		difference(&b, r->value, r->published);
		if (b.len)
			pane_detail_add(p, "difference", buf_str(&b), SES_STATE_FAILED);
		buf_reset(&b);
	}
	if (r->detail)
		pane_detail_add(p, "check detail", r->detail, SES_STATE_NONE);
	if (r->resolver)
		pane_detail_add(p, "answered by", r->resolver, SES_STATE_NONE);
	if (r->spf_lookups)
		snprintf(ttl, sizeof(ttl), "%u of 10", r->spf_lookups);
	if (r->spf_lookups)
		pane_detail_add(p, "SPF lookups", ttl,
				r->spf_lookups > 10 ? SES_STATE_FAILED : SES_STATE_OK);
	snprintf(ttl, sizeof(ttl), "%u", r->ttl);
	pane_detail_add(p, "TTL", ttl, SES_STATE_NONE);
	buf_reset(&b);
	buf_puts(&b, r->suggestion ? "DMARC (suggested: not required by SES)" : r->purpose);
	if (r->optional)
		buf_puts(&b, " (optional: DKIM verifies this domain; not needed, harmless to keep)");
	pane_detail_add(p, "purpose", buf_str(&b), SES_STATE_NONE);
	pane_detail_add(p, "region", str_or(r->region, "all"), SES_STATE_NONE);
	pane_detail_add(p, "account", str_or(r->account, "-"), SES_STATE_NONE);
	buf_reset(&b);
	dns_record_zone_line(&b, r);
	for (size_t i = 0; i < b.len; i++)
		if (b.data[i] == '\t')
			b.data[i] = ' '; /* shown; Y copies it with its tabs */
	pane_detail_add(p, "zone line", buf_str(&b), SES_STATE_NONE);
	for (size_t i = 0; i < d->set.n_warnings; i++)
		pane_detail_add(p, i ? "" : "warnings", d->set.warnings[i], SES_STATE_TEMPFAIL);
	pane_detail_add(p, "alignment", d->explain ? d->explain : "after a check (C)",
			SES_STATE_NONE);
	add_findings(p, tui, d, r);
	buf_free(&b);
}

static void refresh_detail(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	size_t sel = p->detail.sel;

	if (!pane_in_detail(p) || !pv->detail_name)
		return;
	for (size_t i = 0; i < pv->n_rows; i++) {
		struct dns_domain *d = &pv->doms[pv->rows[i].dom];
		const struct dns_record *r = &d->set.v[pv->rows[i].rec];
		char id[1024];

		record_key(r, id, sizeof(id));
		if (!strcmp(id, pv->detail_name)) {
			fill_detail(p, tui, d, r);
			table_select(&p->detail, sel);
			return;
		}
	}
	ui_toast(&tui->ui, UI_TOAST_WARN, "that record is no longer needed");
	pane_detail_close(p);
}

/* ---- copying ---- */

static void copy_out(struct tui *tui, const char *what, const struct buf *b)
{
	struct clip_opts opts = {.tty_fd = tui->ui.tty_fd};
	struct clip_result res;
	struct sc_error err;
	char msg[4400];

	sc_error_clear(&err);
	if (!b->len) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "nothing to copy here");
		return;
	}
	if (!clip_copy(&opts, b->data, b->len, &res, &err)) {
		clip_describe(&res, msg, sizeof(msg));
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s (%s)", msg, what);
		return;
	}
	if (err.status != SC_IO) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "not copied: %s", err.message);
		return;
	}
	/* no clipboard reachable: the plain fallback is a 0600 file */
	if (clip_save(NULL, "dns-copy.txt", b->data, b->len, &res, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "copy failed: %s", err.message);
		return;
	}
	clip_describe(&res, msg, sizeof(msg));
	ui_toast(&tui->ui, UI_TOAST_WARN, "no clipboard reachable; %s (%s)", msg, what);
}

static void copy_record(struct pane *p, struct tui *tui, bool zone_line)
{
	const struct dns_record *r = selected(p, NULL);
	struct buf b = BUF_INIT;

	if (!r) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no record selected");
		return;
	}
	if (zone_line)
		dns_record_zone_line(&b, r);
	else
		buf_puts(&b, r->name);
	copy_out(tui, zone_line ? "zone line" : "name", &b);
	buf_free(&b);
}

static void export_all(struct dns_priv *pv, struct buf *out, enum dns_format fmt)
{
	for (size_t i = 0; i < pv->n; i++) {
		if (i && fmt != DNS_FMT_JSON && fmt != DNS_FMT_ROUTE53)
			buf_putc(out, '\n');
		dns_export(out, &pv->doms[i].set, fmt, 0); /* suggestions commented/left out */
	}
}

static void copy_zone(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	struct buf b = BUF_INIT;

	if (pv->n > 1)
		ui_toast(&tui->ui, UI_TOAST_INFO, "zone of %zu domains", pv->n);
	export_all(pv, &b, DNS_FMT_ZONE);
	copy_out(tui, "zone", &b);
	buf_free(&b);
}

static void export_file(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	struct buf line = BUF_INIT, b = BUF_INIT;
	struct clip_result res;
	struct sc_error err;
	enum dns_format fmt;
	char name[300], msg[4400];

	sc_error_clear(&err);
	if (!pv->n) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no records to export");
		return;
	}
	buf_puts(&line, "zone");
	if (!prompt_read(tui, "export as (table zone csv json route53): ", &line, NULL, NULL,
			 NULL, NULL))
		goto out;
	if (dns_format_parse(buf_str(&line), &fmt, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s", err.message);
		goto out;
	}
	/* several domains in one JSON document or change batch would not parse: one each */
	if (pv->n > 1 && (fmt == DNS_FMT_JSON || fmt == DNS_FMT_ROUTE53)) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "%s exports one domain: select it first (A)",
			 dns_format_name(fmt));
		goto out;
	}
	export_all(pv, &b, fmt);
	snprintf(name, sizeof(name), "%s-dns.%s",
		 pv->n == 1 ? pv->doms[0].set.domain : "all-domains",
		 fmt == DNS_FMT_TABLE     ? "txt"
		 : fmt == DNS_FMT_ROUTE53 ? "route53.json"
					  : dns_format_name(fmt));
	if (clip_save(NULL, name, b.data, b.len, &res, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "export failed: %s", err.message);
		goto out;
	}
	clip_describe(&res, msg, sizeof(msg));
	ui_toast(&tui->ui, UI_TOAST_INFO, "%s (%s)", msg, dns_format_name(fmt));
out:
	buf_free(&line);
	buf_free(&b);
}

/* ---- requests ---- */

static void toggle_all(struct pane *p, struct tui *tui)
{
	struct dns_priv *pv = p->priv;
	struct sc_error err;

	if (pv->all && !pv->domain) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "select a domain in the Identities pane first");
		return;
	}
	pv->all = !pv->all;
	sc_error_clear(&err);
	pane_load(p, tui, &err);
	ui_toast(&tui->ui, UI_TOAST_INFO, "%s", pv->all ? "every domain" : pv->domain);
}

static enum req dns_request(struct pane *p, struct tui *tui, enum req req)
{
	struct dns_priv *pv = priv_of(p);
	struct dns_domain *d;
	struct dns_record *r;

	switch (req) {
	case REQ_ENTER:
		if (pane_in_detail(p))
			return REQ_NONE;
		r = selected(p, &d);
		if (r)
			fill_detail(p, tui, d, r);
		return REQ_NONE;
	case REQ_REFRESH:
		pv->check_on_load = true; /* the refresh reloads this pane: check then */
		return req;
	case REQ_DNS_CHECK:
		run_check(p, tui); /* its end reloads the rows */
		return REQ_NONE;
	case REQ_DNS_ALL:
		toggle_all(p, tui);
		return REQ_NONE;
	case REQ_YANK_RECORD: copy_record(p, tui, true); return REQ_NONE;
	case REQ_YANK_NAME: copy_record(p, tui, false); return REQ_NONE;
	case REQ_YANK_ZONE: copy_zone(p, tui); return REQ_NONE;
	case REQ_EXPORT: export_file(p, tui); return REQ_NONE;
	default: return req;
	}
}

static enum sc_status dns_yank(struct pane *p, struct tui *tui, struct buf *out,
			       struct sc_error *err)
{
	const struct table_row *row;
	const struct dns_record *r;

	(void)tui;
	if (pane_in_detail(p)) {
		row = table_selected(&p->detail);
		if (!row || !*row->cells[1])
			return sc_fail(err, SC_NOT_FOUND, "nothing selected");
		buf_puts(out, row->cells[1]);
		return SC_OK;
	}
	r = selected(p, NULL);
	if (!r)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	buf_puts(out, r->value);
	return SC_OK;
}

/* ---- drawing: a summary line, the table, the verdict ---- */

static void summary(struct dns_priv *pv, struct tui *tui, struct buf *b)
{
	size_t total = 0, counts[COUNT_OPTIONAL + 1] = {0};

	for (size_t i = 0; i < pv->n; i++)
		for (size_t j = 0; j < pv->doms[i].set.n; j++) {
			count_record(counts, &pv->doms[i].set.v[j]);
			total++;
		}
	if (pv->all)
		buf_printf(b, "every domain (%zu)", pv->n);
	else
		buf_printf(b, "%s", pv->n ? pv->doms[0].set.domain_u : str_or(pv->domain, "?"));
	buf_printf(b, ": %zu record%s", total, total == 1 ? "" : "s");
	print_counts(b, counts, true);
	if (pv->checked) {
		char when[16];
		struct tm tm;

		gmtime_r(&pv->checked_at, &tm);
		strftime(when, sizeof(when), "%H:%MZ", &tm);
		buf_printf(b, "; checked %s via %s", when,
			   str_or(tui->core->opt.dns_server, "the system resolver"));
	}
	buf_puts(b, "   C check  A all/one  Y zone line  N name  Z zone  E export");
}

static void fit_columns(void)
{
	int fixed = 0, left;

	dns_cols[COL_PURPOSE].width = COLS >= 120 ? 19 : 12;
	for (int c = 0; c < COL_N; c++)
		if (c != COL_NAME && c != COL_VALUE)
			fixed += dns_cols[c].width + 1;
	left = COLS - fixed - 1;
	dns_cols[COL_NAME].width = left / 2 > 20 ? left / 2 : 20;
	dns_cols[COL_VALUE].width = 10;
}

static int dns_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct dns_priv *pv = priv_of(p);
	const char *followed = tui_var(tui, "domain");
	struct buf b = BUF_INIT;
	struct sc_error err;
	int cursor, foot = 0, vdm = 0;

	/* the Identities pane selected another domain since we loaded: follow it */
	if (!pv->all && followed && (!pv->domain || strcasecmp(followed, pv->domain))) {
		sc_error_clear(&err);
		pane_load(p, tui, &err);
	}
	/* the table starts at the body's top (the frame maps mouse clicks from there), the
	 * summary and the verdict go below it */
	summary(pv, tui, &b);
	if (pv->n == 1 && pv->doms[0].verdict && h > 4)
		foot = 1;
	if (pv->findings.len && h > 4 + foot)
		vdm = 1;
	fit_columns();
	cursor = table_draw(&p->list, &tui->ui, y, 0, h - 1 - foot - vdm, COLS);
	ui_put(&tui->ui, y + h - 1 - foot - vdm, 0, COLS, buf_str(&b), THEME_TITLE_FOCUS);
	if (vdm)
		ui_put(&tui->ui, y + h - 1 - foot, 0, COLS, buf_str(&pv->findings),
		       pv->findings_high ? THEME_STATE_FAILED : THEME_ROW);
	if (foot)
		ui_put(&tui->ui, y + h - 1, 0, COLS, pv->doms[0].verdict, THEME_ROW);
	buf_free(&b);
	return cursor;
}

static void dns_done(struct pane *p)
{
	struct dns_priv *pv = p->priv;

	if (!pv)
		return;
	job_release(&pv->job, NULL); /* at exit: the frame polls no more */
	doms_free(pv->doms, pv->n);
	free(pv->rows);
	free(pv->domain);
	free(pv->detail_name);
	buf_free(&pv->findings);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_dns_ops = {
	.name = "dns",
	.title = "DNS",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH | PANE_FOLLOWS,
	.cache_kind = CACHE_KIND_IDENTITIES,
	.cols = dns_cols,
	.ncols = COL_N,
	.empty = "no domain identities cached; press r to refresh",
	.load = dns_load,
	.draw = dns_draw,
	.request = dns_request,
	.yank = dns_yank,
	.done = dns_done,
};

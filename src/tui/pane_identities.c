/* The Identities pane: every identity of the region from the cache, its detail on Enter,
 * and identity actions through verbs. */
#include <idn2.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/core/feedback.h"
#include "sesctl/store/db.h"
#include "sesctl/store/fleet.h"
#include "sesctl/store/identities.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"

enum id_col {
	COL_NAME,
	COL_TYPE,
	COL_VERIFY,
	COL_DKIM,
	COL_MAILFROM,
	COL_SENDING,
	COL_FEEDBACK,
	COL_AGE,
	COL_N
};

static const struct table_col id_cols[COL_N] = {
	[COL_NAME] = {"name", 21, TCOL_FLEX | TCOL_MIDDLE},
	[COL_TYPE] = {"type", 6, TCOL_DROP},    /* 80 columns: the '@' says it */
	[COL_VERIFY] = {"verification", 12, 0},
	[COL_DKIM] = {"DKIM", 11, 0},
	[COL_MAILFROM] = {"MAIL FROM", 11, 0},
	[COL_SENDING] = {"sending", 8, 0},
	[COL_FEEDBACK] = {"feedback", 9, 0},
	[COL_AGE] = {"age", 5, TCOL_RIGHT | TCOL_KEY | TCOL_DROP},
};

/* The most a first screen reads. */
#define ID_HEAD_ROWS 256

/* The list holds what its rows show (identities read brief, feedback verdicts without
 * words); a row's cells are built when drawn, and the detail reads its identity in full
 * and words its feedback on Enter. */
struct id_priv {
	struct fb_audit audit; /* owns the identities (audit.ids) and their feedback verdicts */
	struct ses_identity *ids;
	size_t n;
	struct tui *tui;       /* for building rows when the table asks */
	char *detail_name;     /* the identity whose detail is open (rebuilt on reload) */
};

static void priv_clear(struct id_priv *pv)
{
	feedback_audit_free(&pv->audit);
	pv->ids = NULL;
	pv->n = 0;
}

/* "xn--bcher-kva.example" → "bücher.example"; an address keeps its local part. The
 * punycode stays when ASCII is wanted or the name does not convert. */
static char *display_name(const char *name, bool ascii)
{
	const char *at = strrchr(name, '@');
	const char *domain = at ? at + 1 : name;
	char *uni = NULL, *out;

	if (ascii || !strcasestr(domain, "xn--") ||
	    idn2_to_unicode_8z8z(domain, &uni, 0) != IDN2_OK || !uni)
		return xstrdup(name);
	out = xmalloc((size_t)(domain - name) + strlen(uni) + 1);
	memcpy(out, name, (size_t)(domain - name));
	strcpy(out + (domain - name), uni);
	idn2_free(uni);
	return out;
}

static const char *type_word(const char *type)
{
	if (!type)
		return "?";
	if (!strcmp(type, "DOMAIN"))
		return "domain";
	if (!strcmp(type, "EMAIL_ADDRESS"))
		return "email";
	if (!strcmp(type, "MANAGED_DOMAIN"))
		return "managed";
	return type;
}

/* "a b" (b NULL: "a") into out, cut to fit: a row's cells are built for every identity,
 * snprintf's parsing was a third of it. */
static void join(char *out, size_t size, const char *a, const char *b)
{
	size_t la = strlen(a), lb = b ? strlen(b) : 0, n = 0;

	if (!size)
		return;
	n = la < size - 1 ? la : size - 1;
	memcpy(out, a, n);
	if (b && n + 1 < size - 1) {
		out[n++] = ' ';
		lb = lb < size - 1 - n ? lb : size - 1 - n;
		memcpy(out + n, b, lb);
		n += lb;
	}
	out[n] = '\0';
}

/* A state cell: glyph and word, so colour is never the only carrier. */
static void state_cell(char *out, size_t outlen, enum ses_state st, const char *ok_word,
		       bool ascii)
{
	const char *word = st == SES_STATE_OK ? ok_word
			   : st == SES_STATE_TEMPFAIL ? "temp fail" /* fits the column */
						      : theme_state_word(st);

	join(out, outlen, theme_state_glyph(st, ascii), word);
}

static void age_cell(char *out, size_t outlen, time_t age)
{
	if (age < 0)
		age = 0;
	if (age < 3600)
		snprintf(out, outlen, "%lldm", (long long)age / 60);
	else if (age < 86400)
		snprintf(out, outlen, "%lldh", (long long)age / 3600);
	else
		snprintf(out, outlen, "%lldd", (long long)age / 86400);
}

static bool is_address(const struct ses_identity *x)
{
	return x->type && !strcmp(x->type, "EMAIL_ADDRESS");
}

/* An address signs with its domain's DKIM: it has no DKIM state of its own. */
static enum ses_state dkim_state(const struct ses_identity *x)
{
	if (is_address(x))
		return SES_STATE_NONE;
	if (!x->dkim_status && !x->dkim_signing_enabled)
		return SES_STATE_NONE;
	if (x->has_details && !x->dkim_signing_enabled)
		return SES_STATE_FAILED;
	return ses_state_of(x->dkim_status);
}

/* MAIL FROM failed with behaviour REJECT_MESSAGE: SES rejects every message sent from
 * the identity until the MX record is back. */
static bool mail_from_rejects(const struct ses_identity *x)
{
	return x->mail_from_domain && ses_state_of(x->mail_from_status) == SES_STATE_FAILED &&
	       x->mail_from_on_mx_failure && !strcmp(x->mail_from_on_mx_failure, "REJECT_MESSAGE");
}

/* ✓ / mailbox / ✗ nowhere / ? unknown; "-" before the audit was ever read. */
static void feedback_cell(char *out, size_t size, enum ses_state *state, const struct id_priv *pv,
			  size_t i, bool ascii)
{
	enum fb_verdict v = pv->audit.v[i].verdict;

	*state = SES_STATE_NONE;
	if (!pv->audit.fetched && !pv->audit.v[i].attrs) {
		join(out, size, "-", NULL);
		return;
	}
	switch (v) {
	case FB_OK:
		*state = SES_STATE_OK;
		join(out, size, theme_state_glyph(SES_STATE_OK, ascii), NULL);
		break;
	case FB_MAILBOX_ONLY:
		*state = SES_STATE_PENDING;
		join(out, size, "mailbox", NULL);
		break;
	case FB_NOWHERE:
		*state = SES_STATE_FAILED;
		join(out, size, theme_state_glyph(SES_STATE_FAILED, ascii), "nowhere");
		break;
	default:
		join(out, size, "?", "unknown");
		break;
	}
}

static void build_row(void *ud, struct table *t, struct table_row *r)
{
	struct pane *p = ud;
	struct id_priv *pv = p->priv;
	struct tui *tui = pv->tui;
	size_t i = r->ref;
	const struct ses_identity *x = &pv->ids[i];
	bool ascii = tui->ui.ascii;
	bool acct_paused = tui->have_account && !tui->account.sending_enabled;
	char verify[48], dkim[48], mailfrom[48], sending[32], feedback[32], age[32], *shown;
	enum ses_state states[COL_N] = {0};
	const char *cells[COL_N];

	states[COL_VERIFY] = ses_state_of(x->verification_status);
	states[COL_DKIM] = dkim_state(x);
	states[COL_MAILFROM] = x->mail_from_domain ? ses_state_of(x->mail_from_status)
						   : SES_STATE_NONE;
	states[COL_SENDING] = x->sending_enabled && !acct_paused ? SES_STATE_OK : SES_STATE_FAILED;
	state_cell(verify, sizeof(verify), states[COL_VERIFY], "verified", ascii);
	if (is_address(x))
		join(dkim, sizeof(dkim), "-", NULL);
	else if (x->has_details && !x->dkim_signing_enabled && x->dkim_status)
		join(dkim, sizeof(dkim), theme_state_glyph(SES_STATE_FAILED, ascii), "off");
	else
		state_cell(dkim, sizeof(dkim), states[COL_DKIM], "ok", ascii);
	if (mail_from_rejects(x)) /* SES refuses all of this identity's mail */
		join(mailfrom, sizeof(mailfrom), theme_state_glyph(SES_STATE_FAILED, ascii),
		     "rejecting");
	else if (x->mail_from_domain)
		state_cell(mailfrom, sizeof(mailfrom), states[COL_MAILFROM], "ok", ascii);
	else
		join(mailfrom, sizeof(mailfrom), "-", "default");
	/* the identity's own switch says "on", but nothing leaves while the account is paused */
	join(sending, sizeof(sending), theme_state_glyph(states[COL_SENDING], ascii),
	     !x->sending_enabled ? "off" : acct_paused ? "paused" : "on");
	feedback_cell(feedback, sizeof(feedback), &states[COL_FEEDBACK], pv, i, ascii);
	age_cell(age, sizeof(age), tui->now - x->fetched);
	shown = display_name(x->name, ascii);
	cells[COL_NAME] = shown;
	cells[COL_TYPE] = type_word(x->type);
	cells[COL_VERIFY] = verify;
	cells[COL_DKIM] = dkim;
	cells[COL_MAILFROM] = mailfrom;
	cells[COL_SENDING] = sending;
	cells[COL_FEEDBACK] = feedback;
	cells[COL_AGE] = age;
	table_fill(t, r, cells, states);
	if (strcmp(x->name, shown)) /* the filter finds the A-label too */
		table_row_search_extra(r, x->name);
	free(shown);
}

static void refresh_detail(struct pane *p, struct tui *tui);

/* How many identities the region has, for a first screen's count: the cell summary's when
 * it was made after the identities were last read (a few bytes), else counted (the
 * index's entries: 2 ms at 10,000). The whole list replaces it before any key. */
static long cached_total(struct tui *tui, const char *region)
{
	struct cache_cell_summary sum = {0};
	long total = 0;

	if (cache_get_cell_summary(tui->cache, tui->account_id, region, &sum, NULL) == SC_OK &&
	    sum.computed >= tui->fetched[CACHE_KIND_IDENTITIES] && sum.identities >= 0)
		total = sum.identities;
	else if (cache_count_identities(tui->cache, tui->account_id, region, &total, NULL, NULL,
					NULL) != SC_OK)
		total = 0;
	cache_cell_summary_free(&sum);
	return total;
}

/* A first screen: twice what the terminal shows, so a page down is there too. */
static size_t head_rows(void)
{
	size_t n = LINES > 0 ? (size_t)LINES * 2 : ID_HEAD_ROWS;

	return n < 64 ? 64 : n > ID_HEAD_ROWS ? ID_HEAD_ROWS : n;
}

static enum sc_status ids_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct id_priv *pv = p->priv;
	const char *region = tui_region(tui);
	enum sc_status st;
	bool head;

	if (!pv)
		pv = p->priv = xcalloc(1, sizeof(*pv));
	priv_clear(pv);
	/* say why the list is empty */
	if (!*region)
		p->list.empty = "no region: start with --region REGION or set region in the AWS profile";
	else if (!tui->cache || !tui->account_id)
		p->list.empty = "no data for this profile and region yet; press r to read it from SES";
	else
		p->list.empty = pane_identities_ops.empty;
	if (!tui->cache || !tui->account_id || !*region)
		return SC_OK;
	/* the first time, unfiltered and unsorted, the first screen first: the loop loads the
	 * rest once it is drawn (p->partial) */
	head = !p->loaded && !p->list.filter[0] && p->list.sort_col < 0;
	st = feedback_load_verdicts(tui->cache, tui->account_id, region, head ? head_rows() : 0,
				    &pv->audit, err);
	if (st)
		return st;
	pv->ids = pv->audit.ids;
	pv->n = pv->audit.n_head;
	if (pv->audit.partial) {
		long total = cached_total(tui, region);

		p->partial = true;
		if (total > (long)pv->n)
			p->list.more = (size_t)total - pv->n;
	}
	pv->tui = tui;
	p->list.build = build_row;
	p->list.build_ud = p;
	for (size_t i = 0; i < pv->n; i++) {
		struct table_row *r;

		if (!pv->ids[i].name)
			pv->ids[i].name = xstrdup("");
		r = table_add_lazy(&p->list, i, ses_state_of(pv->ids[i].verification_status));
		r->key = (int64_t)(tui->now - pv->ids[i].fetched);
		r->id = table_id_of(pv->ids[i].name);
	}
	refresh_detail(p, tui);
	return SC_OK;
}

static const struct ses_identity *selected_identity(struct pane *p)
{
	struct id_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	if (!pv || !r || r->ref >= pv->n)
		return NULL;
	return &pv->ids[r->ref];
}

static void add_time(struct pane *p, const char *attr, time_t t)
{
	char when[32] = "-";
	struct tm tm;

	if (t) {
		gmtime_r(&t, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%SZ", &tm);
	}
	pane_detail_add(p, attr, when, SES_STATE_NONE);
}

static void add_bool(struct pane *p, const char *attr, bool v)
{
	pane_detail_add(p, attr, v ? "yes" : "no", v ? SES_STATE_OK : SES_STATE_FAILED);
}

static void add_status(struct pane *p, const char *attr, const char *status)
{
	pane_detail_add(p, attr, status ? status : "-", ses_state_of(status));
}

static void detail_dkim(struct pane *p, const struct ses_identity *x)
{
	add_bool(p, "DKIM signing", x->dkim_signing_enabled);
	add_status(p, "DKIM status", x->dkim_status);
	pane_detail_add(p, "DKIM origin", x->dkim_origin ? x->dkim_origin : "-", SES_STATE_NONE);
	pane_detail_add(p, "DKIM key length",
			x->dkim_current_key_length ? x->dkim_current_key_length : "-",
			SES_STATE_NONE);
	if (x->dkim_next_key_length)
		pane_detail_add(p, "DKIM next key length", x->dkim_next_key_length, SES_STATE_NONE);
	add_time(p, "DKIM key generated", x->dkim_last_key_generation);
	for (size_t i = 0; i < x->n_dkim_tokens; i++) {
		char rec[512];
		bool easy = !x->dkim_origin || strncmp(x->dkim_origin, "EXTERNAL", 8);

		if (easy && ses_identity_is_domain(x))
			/* two lines: the record name, then its value, so 80 columns show both */
			snprintf(rec, sizeof(rec), "%s._domainkey.%s\n  CNAME %s.dkim.amazonses.com",
				 x->dkim_tokens[i], x->name, x->dkim_tokens[i]);
		else
			snprintf(rec, sizeof(rec), "%s", x->dkim_tokens[i]);
		pane_detail_add(p, i ? "" : (easy ? "DKIM tokens" : "DKIM selector"), rec,
				SES_STATE_NONE);
	}
}

static void detail_rest(struct pane *p, const struct ses_identity *x)
{
	struct buf b = BUF_INIT;

	pane_detail_add(p, "MAIL FROM domain", x->mail_from_domain ? x->mail_from_domain : "(default)",
			SES_STATE_NONE);
	if (x->mail_from_domain) {
		add_status(p, "MAIL FROM status", x->mail_from_status);
		pane_detail_add(p, "on MX failure",
				x->mail_from_on_mx_failure ? x->mail_from_on_mx_failure : "-",
				SES_STATE_NONE);
		if (mail_from_rejects(x))
			pane_detail_add(p, "effect",
					"SES REJECTS every message from this identity: the MAIL FROM "
					"MX record is missing and the behaviour on MX failure is "
					"REJECT_MESSAGE. Publish the MX (DNS pane) or set the behaviour "
					"to USE_DEFAULT_VALUE.",
					SES_STATE_FAILED);
		else if (x->mail_from_status && ses_state_of(x->mail_from_status) == SES_STATE_FAILED)
			pane_detail_add(p, "effect",
					"mail goes out with the default MAIL FROM (amazonses.com): SPF "
					"does not align for DMARC until the MX record is back",
					SES_STATE_TEMPFAIL);
	}
	pane_detail_add(p, "configuration set", x->configuration_set ? x->configuration_set : "-",
			SES_STATE_NONE);
	for (size_t i = 0; i < x->n_policies; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s:\n%s", x->policies[i].name ? x->policies[i].name : "?",
			   x->policies[i].document ? x->policies[i].document : "");
		pane_detail_add(p, i ? "" : "policies", buf_str(&b), SES_STATE_NONE);
	}
	if (!x->n_policies)
		pane_detail_add(p, "policies", "(none)", SES_STATE_NONE);
	for (size_t i = 0; i < x->n_tags; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s = %s", x->tags[i].key ? x->tags[i].key : "",
			   x->tags[i].value ? x->tags[i].value : "");
		pane_detail_add(p, i ? "" : "tags", buf_str(&b), SES_STATE_NONE);
	}
	if (!x->n_tags)
		pane_detail_add(p, "tags", "(none)", SES_STATE_NONE);
	add_time(p, "fetched", x->fetched);
	buf_free(&b);
}

/* The audit's verdict per type, each reason on its own line (worded now: the list
 * holds verdicts only). */
static void detail_feedback(struct pane *p, const struct id_priv *pv, size_t i)
{
	static const char *const attr[SES_NOTIF_COUNT] = {"bounces go", "complaints go",
							  "deliveries go"};
	struct fb_identity worded, *f = &worded;

	if (!pv->audit.fetched && !pv->audit.v[i].attrs) {
		pane_detail_add(p, "feedback", "not audited yet (sesctl feedback, or r)",
				SES_STATE_PENDING);
		return;
	}
	feedback_explain(&pv->audit, i, &worded);
	if (f->settings_from && f->id->name && strcmp(f->settings_from, f->id->name))
		pane_detail_add(p, "feedback settings", f->settings_from, SES_STATE_NONE);
	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		const struct fb_route *r = &f->route[k];
		enum ses_state st = r->verdict == FB_OK ? SES_STATE_OK
				    : r->verdict == FB_NOWHERE ? SES_STATE_FAILED
				    : r->verdict == FB_MAILBOX_ONLY ? SES_STATE_PENDING
								    : SES_STATE_NONE;
		const char *s = r->reason;

		pane_detail_add(p, attr[k], fb_verdict_word(r->verdict), st);
		while (*s) {
			size_t len = strcspn(s, ";");
			char line[FB_REASON_MAX];

			snprintf(line, sizeof(line), "%.*s", (int)len, s);
			pane_detail_add(p, "", line, SES_STATE_NONE);
			s += len;
			while (*s == ';' || *s == ' ')
				s++;
		}
	}
	feedback_identity_clear(&worded);
}

/* The detail reads its identity in full (the list has it brief); the brief copy stands
 * in when the cache cannot give it. */
static void fill_detail(struct pane *p, struct tui *tui, size_t i)
{
	struct id_priv *pv = p->priv;
	struct ses_identity full = {0};
	bool have_full = tui->cache && cache_get_identity(tui->cache, tui->account_id,
							  tui_region(tui), pv->ids[i].name, &full,
							  NULL) == SC_OK;
	const struct ses_identity *x = have_full ? &full : &pv->ids[i];
	char *shown = display_name(x->name, tui->ui.ascii);
	char title[600];

	if (!pv->detail_name || strcmp(pv->detail_name, x->name)) {
		free(pv->detail_name);
		pv->detail_name = xstrdup(x->name);
	}
	if (strcmp(shown, x->name))
		snprintf(title, sizeof(title), "identity %s (%s)  Esc back", shown, x->name);
	else
		snprintf(title, sizeof(title), "identity %s  Esc back", x->name);
	pane_detail_open(p, title);
	pane_detail_add(p, "name", x->name, SES_STATE_NONE);
	if (strcmp(shown, x->name))
		pane_detail_add(p, "name (Unicode)", shown, SES_STATE_NONE);
	pane_detail_add(p, "type", x->type ? x->type : "-", SES_STATE_NONE);
	add_status(p, "verification", x->verification_status);
	if (x->verification_error)
		pane_detail_add(p, "verification error", x->verification_error, SES_STATE_FAILED);
	add_time(p, "verification checked", x->verification_last_checked);
	if (x->verification_token)
		pane_detail_add(p, "verification token", x->verification_token, SES_STATE_NONE);
	add_bool(p, "verified for sending", x->verified_for_sending);
	add_bool(p, "sending enabled", x->sending_enabled);
	add_bool(p, "feedback forwarding", x->feedback_forwarding);
	pane_detail_last_change(p, tui, CT_RES_IDENTITY, x->name);
	if (!x->has_details)
		pane_detail_add(p, "details", "not fetched yet (press r)", SES_STATE_PENDING);
	detail_feedback(p, pv, i);
	detail_dkim(p, x);
	detail_rest(p, x);
	free(shown);
	if (have_full)
		ses_identity_free(&full);
}

static void open_detail(struct pane *p, struct tui *tui)
{
	const struct table_row *r = table_selected(&p->list);

	if (!selected_identity(p)) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no identity selected");
		return;
	}
	fill_detail(p, tui, r->ref);
}

/* After a reload: the open detail shows the fresh object, at the same line. */
static void refresh_detail(struct pane *p, struct tui *tui)
{
	struct id_priv *pv = p->priv;
	char filter[sizeof(p->detail.filter)];
	size_t sel = p->detail.sel;

	if (!pane_in_detail(p) || !pv->detail_name)
		return;
	for (size_t i = 0; i < pv->n; i++)
		if (!strcmp(pv->ids[i].name, pv->detail_name)) {
			snprintf(filter, sizeof(filter), "%s", p->detail.filter);
			fill_detail(p, tui, i);
			table_set_filter(&p->detail, filter);
			table_select(&p->detail, sel);
			return;
		}
	ui_toast(&tui->ui, UI_TOAST_WARN, "identity %s is gone", pv->detail_name);
	pane_detail_close(p);
}

static void run_on_selected(struct tui *tui, struct pane *p, const char *w1, const char *w2)
{
	const struct ses_identity *x = selected_identity(p);
	char *argv[3];

	if (!x) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no identity selected");
		return;
	}
	argv[0] = (char *)w1;
	argv[1] = (char *)w2;
	argv[2] = x->name;
	tui_run_verb(tui, 3, argv);
}

static enum req ids_request(struct pane *p, struct tui *tui, enum req req)
{
	switch (req) {
	case REQ_ENTER:
		if (pane_in_detail(p))
			return REQ_NONE;
		open_detail(p, tui);
		return REQ_NONE;
	case REQ_IDENTITY_CREATE:
		tui_prompt_command(tui, "identity create ");
		return REQ_NONE;
	case REQ_IDENTITY_DELETE:
		run_on_selected(tui, p, "identity", "delete");
		return REQ_NONE;
	default:
		return req;
	}
}

static enum sc_status ids_yank(struct pane *p, struct tui *tui, struct buf *out,
			       struct sc_error *err)
{
	const struct ses_identity *x;
	const struct table_row *r;

	(void)tui;
	if (pane_in_detail(p)) {
		r = table_selected(&p->detail);
		if (!r || !*r->cells[1])
			return sc_fail(err, SC_NOT_FOUND, "nothing selected");
		buf_puts(out, r->cells[1]);
		return SC_OK;
	}
	x = selected_identity(p);
	if (!x)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	buf_puts(out, x->name);
	return SC_OK;
}

static size_t ids_words(struct pane *p, const char *prefix, const char **out, size_t max)
{
	struct id_priv *pv = p->priv;
	size_t n = 0, len = strlen(prefix);

	for (size_t i = 0; pv && i < pv->n && n < max; i++)
		if (!strncmp(pv->ids[i].name, prefix, len))
			out[n++] = pv->ids[i].name;
	return n;
}

/* %(identity) and %(domain) for `:` commands. */
static void ids_select(struct pane *p, struct tui *tui)
{
	const struct ses_identity *x = selected_identity(p);
	const char *at = x ? strrchr(x->name, '@') : NULL;

	tui_set_var(tui, "identity", x ? x->name : NULL);
	tui_set_var(tui, "domain", x ? (at ? at + 1 : x->name) : NULL);
}

static void ids_done(struct pane *p)
{
	if (!p->priv)
		return;
	priv_clear(p->priv);
	free(((struct id_priv *)p->priv)->detail_name);
	free(p->priv);
	p->priv = NULL;
}

const struct pane_ops pane_identities_ops = {
	.name = "identities",
	.title = "Identities",
	.short_title = "Ids",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH,
	.cache_kind = CACHE_KIND_IDENTITIES,
	.cols = id_cols,
	.ncols = COL_N,
	.empty = "no identities cached for this account and region; press r to refresh",
	.load = ids_load,
	.request = ids_request,
	.yank = ids_yank,
	.words = ids_words,
	.select = ids_select,
	.done = ids_done,
};

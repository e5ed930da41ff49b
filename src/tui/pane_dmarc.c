/* The DMARC pane: per domain with aggregate reports, whether p=quarantine/reject is safe
 * (the verdict of core/dmarc.h), its published policy and pass rates, and a chart of the
 * daily share of mail that fails DMARC against the 0.5 % the verdict allows. Enter opens
 * the domain's sources (IP, class, sender, pass rates, why it fails); Enter on a source
 * shows the raw records the receivers sent; Esc goes back a level. */
#include <cjson/cJSON.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sesctl/core/dmarc.h"
#include "sesctl/store/db.h"
#include "sesctl/store/dmarc.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/chart.h"
#include "sesctl/tui/pane.h"

enum dm_mode { MODE_DOMAINS, MODE_SOURCES };

enum dm_col { DC_DOMAIN, DC_VERDICT, DC_POLICY, DC_MSGS, DC_PASS, DC_UNAUTH, DC_N };
static const struct table_col domain_cols[DC_N] = {
	{"domain", 18, TCOL_MIDDLE | TCOL_FIT},
	{"verdict", 24, TCOL_FLEX},
	{"policy", 10, 0},
	{"messages", 9, TCOL_RIGHT},
	{"pass", 7, TCOL_RIGHT},
	{"unauth", 7, TCOL_RIGHT},
};

enum src_col { SC_IP, SC_CLASS, SC_SENDER, SC_MSGS, SC_DMARC, SC_DKIM, SC_SPF, SC_WHY, SC_N };
static const struct table_col source_cols[SC_N] = {
	{"source", 15, TCOL_FIT},
	{"class", 6, 0},
	{"sender", 22, TCOL_MIDDLE | TCOL_FIT},
	{"msgs", 7, TCOL_RIGHT},
	{"DMARC", 6, TCOL_RIGHT},
	{"DKIM", 6, TCOL_RIGHT},
	{"SPF", 6, TCOL_RIGHT},
	{"why", 16, TCOL_FLEX},
};

struct dm_priv {
	enum dm_mode mode;
	int days;
	struct dmarc_verdict *v;
	size_t n;
	char *domain;                   /* MODE_SOURCES: whose sources */
	struct dmarc_source_view *src;
	size_t n_src;
	double *fail;                   /* the selected domain's daily fail share (NaN: none) */
	size_t n_fail;
	char *fail_of;                  /* the domain fail[] is of */
};

static struct dm_priv *priv_of(struct pane *p)
{
	struct dm_priv *pv = p->priv;

	if (!pv) {
		pv = p->priv = xcalloc(1, sizeof(*pv));
		pv->days = DMARC_DEFAULT_DAYS;
	}
	return pv;
}

static void data_free(struct dm_priv *pv)
{
	dmarc_verdicts_free(pv->v, pv->n);
	dmarc_source_views_free(pv->src, pv->n_src);
	free(pv->fail);
	free(pv->fail_of);
	pv->v = NULL;
	pv->src = NULL;
	pv->fail = NULL;
	pv->fail_of = NULL;
	pv->n = pv->n_src = pv->n_fail = 0;
}

static void use_cols(struct pane *p, const struct table_col *cols, size_t n)
{
	if (p->list.cols == cols)
		return;
	p->list.cols = cols;
	p->list.ncols = n;
	p->list.sort_col = -1;
	p->list.sort_desc = false;
}

static void pct(char *out, size_t n, uint64_t part, uint64_t whole)
{
	if (!whole)
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.1f%%", (double)part * 100.0 / (double)whole);
}

static enum ses_state verdict_look(const struct dmarc_verdict *v)
{
	if (!v->has_data)
		return SES_STATE_PENDING;
	return v->ready ? SES_STATE_OK : SES_STATE_FAILED;
}

static void add_domain_row(struct pane *p, struct tui *tui, const struct dmarc_verdict *v,
			   size_t i)
{
	enum ses_state look = verdict_look(v);
	enum ses_state states[DC_N] = {SES_STATE_NONE, look};
	char verdict[256], policy[32], msgs[24], pass[16], unauth[24];
	const char *cells[DC_N];
	struct table_row *r;

	snprintf(verdict, sizeof(verdict), "%s %s", theme_state_glyph(look, tui->ui.ascii),
		 v->headline ? v->headline : "");
	snprintf(policy, sizeof(policy), "p=%s", v->p ? v->p : "?");
	snprintf(msgs, sizeof(msgs), "%llu", (unsigned long long)v->all.messages);
	pct(pass, sizeof(pass), v->auth_pass, v->auth_messages);
	snprintf(unauth, sizeof(unauth), "%llu", (unsigned long long)v->unauth_messages);
	if (v->unauth_messages)
		states[DC_UNAUTH] = SES_STATE_TEMPFAIL;
	cells[DC_DOMAIN] = v->domain;
	cells[DC_VERDICT] = verdict;
	cells[DC_POLICY] = policy;
	cells[DC_MSGS] = msgs;
	cells[DC_PASS] = pass;
	cells[DC_UNAUTH] = unauth;
	r = table_add(&p->list, i, look == SES_STATE_FAILED ? SES_STATE_FAILED : SES_STATE_NONE,
		      cells, states);
	r->id = table_id_of(v->domain);
}

static enum ses_state class_look(const struct dmarc_source_view *s)
{
	if (!s->failing)
		return SES_STATE_OK;
	return s->cls == DMARC_CLASS_NONE ? SES_STATE_TEMPFAIL : SES_STATE_FAILED;
}

static void add_source_row(struct pane *p, const struct dmarc_source_view *s, size_t i)
{
	enum ses_state look = class_look(s);
	enum ses_state states[SC_N] = {SES_STATE_NONE, look};
	char msgs[24], dm[16], dk[16], sp[16];
	const char *cells[SC_N];
	struct table_row *r;

	snprintf(msgs, sizeof(msgs), "%llu", (unsigned long long)s->s.n.messages);
	pct(dm, sizeof(dm), s->s.n.dmarc_pass, s->s.n.messages);
	pct(dk, sizeof(dk), s->s.n.dkim_pass, s->s.n.messages);
	pct(sp, sizeof(sp), s->s.n.spf_pass, s->s.n.messages);
	states[SC_DMARC] = look;
	cells[SC_IP] = s->s.source_ip;
	cells[SC_CLASS] = s->cls == DMARC_CLASS_NONE ? "none" : dmarc_class_name(s->cls);
	cells[SC_SENDER] = s->sender ? s->sender : "-";
	cells[SC_MSGS] = msgs;
	cells[SC_DMARC] = dm;
	cells[SC_DKIM] = dk;
	cells[SC_SPF] = sp;
	cells[SC_WHY] = s->why ? s->why : "";
	r = table_add(&p->list, i, look == SES_STATE_FAILED ? SES_STATE_FAILED : SES_STATE_NONE,
		      cells, states);
	r->id = table_id_of(s->s.source_ip ? s->s.source_ip : "");
	r->id ^= table_id_of(s->s.auth_key ? s->s.auth_key : "");
}

/* Worst first: legitimate sources that fail, then the unauthenticated, then the rest;
 * each by messages. */
static int source_rank(const struct dmarc_source_view *s)
{
	if (s->cls == DMARC_CLASS_NONE)
		return 1;
	return s->failing ? 2 : 0;
}

static int worst_first(const void *a, const void *b)
{
	const struct dmarc_source_view *x = a, *y = b;
	int rx = source_rank(x), ry = source_rank(y);

	if (rx != ry)
		return rx > ry ? -1 : 1;
	if (x->s.n.messages != y->s.n.messages)
		return x->s.n.messages > y->s.n.messages ? -1 : 1;
	return 0;
}

/* The daily share of messages failing DMARC over the window, one slot per day. */
static void load_fail_series(struct dm_priv *pv, struct tui *tui, const char *domain)
{
	struct cache_dmarc_day *d = NULL;
	time_t now = time(NULL), first = now - (time_t)pv->days * 86400;
	size_t nd = 0;

	free(pv->fail);
	free(pv->fail_of);
	pv->fail = NULL;
	pv->n_fail = 0;
	pv->fail_of = xstrdup(domain);
	first -= first % 86400;
	if (cache_get_dmarc_days(tui->cache, domain, first, &d, &nd, NULL) != SC_OK)
		return;
	pv->n_fail = (size_t)pv->days + 1;
	pv->fail = xcalloc(pv->n_fail, sizeof(*pv->fail));
	for (size_t i = 0; i < pv->n_fail; i++)
		pv->fail[i] = NAN;
	for (size_t i = 0; i < nd; i++) {
		long slot = (long)((d[i].day - first) / 86400);

		if (slot >= 0 && (size_t)slot < pv->n_fail && d[i].n.messages)
			pv->fail[slot] = (double)(d[i].n.messages - d[i].n.dmarc_pass) /
					 (double)d[i].n.messages;
	}
	free(d);
}

static enum sc_status dm_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct dm_priv *pv = priv_of(p);
	const char *region = tui_region(tui);
	time_t now = time(NULL);
	enum sc_status st;

	data_free(pv);
	use_cols(p, pv->mode == MODE_DOMAINS ? domain_cols : source_cols,
		 pv->mode == MODE_DOMAINS ? DC_N : SC_N);
	if (!tui->cache)
		return SC_OK;
	if (pv->mode == MODE_SOURCES) {
		st = dmarc_sources(tui->cache, tui->account_id, *region ? region : NULL, pv->domain,
				   pv->days, now, &pv->src, &pv->n_src, err);
		if (st == SC_OK && pv->n_src)
			qsort(pv->src, pv->n_src, sizeof(*pv->src), worst_first);
		for (size_t i = 0; st == SC_OK && i < pv->n_src; i++)
			add_source_row(p, &pv->src[i], i);
		return st;
	}
	st = dmarc_verdicts(tui->cache, tui->account_id, *region ? region : NULL, NULL, pv->days,
			    now, &pv->v, &pv->n, err);
	for (size_t i = 0; st == SC_OK && i < pv->n; i++)
		add_domain_row(p, tui, &pv->v[i], i);
	return st;
}

static const struct dmarc_verdict *selected_domain(const struct pane *p)
{
	const struct dm_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && pv->mode == MODE_DOMAINS && r && r->ref < pv->n ? &pv->v[r->ref] : NULL;
}

static const struct dmarc_source_view *selected_source(const struct pane *p)
{
	const struct dm_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && pv->mode == MODE_SOURCES && r && r->ref < pv->n_src ? &pv->src[r->ref] : NULL;
}

/* The fail-share chart of the selected domain, with the 0.5 % the verdict allows. */
static int draw_chart(struct dm_priv *pv, struct tui *tui, const char *domain, int y, int h)
{
	static const struct graph_threshold th[1] = {{1.0 - DMARC_READY_PASS, "ready"}};
	static const enum theme_element el[1] = {THEME_THRESHOLD_REVIEW};
	struct graph_opts o = {.style = chart_style(tui), .height = h, .percent = true,
			       .thresholds = th, .n_thresholds = 1, .cursor = -1,
			       .width = COLS - CHART_MARGIN};
	struct graph g;
	char title[200];
	double top = 0, *series;
	size_t slots;

	if (!pv->fail_of || strcmp(pv->fail_of, domain) != 0)
		load_fail_series(pv, tui, domain);
	if (!pv->n_fail || o.width < 12 || h < 2)
		return 0;
	snprintf(title, sizeof(title), " %s: share of messages failing DMARC per day, last %d days",
		 domain, pv->days);
	ui_put(&tui->ui, y, 0, COLS, title, THEME_COL_HEADER);
	for (size_t i = 0; i < pv->n_fail; i++)     /* keep the line off the top when all is well */
		top = isnan(pv->fail[i]) || pv->fail[i] < top ? top : pv->fail[i];
	o.y_max = top > 2 * th[0].value ? 0 : 2 * th[0].value;
	graph_render(&g, pv->fail, pv->n_fail, &o); /* measure the label column */
	slots = (size_t)(o.width - g.plot_x) * (size_t)chart_xdots(o.style);
	graph_free(&g);
	/* a day is several columns wide: the chart spans the screen */
	series = xcalloc(slots ? slots : 1, sizeof(*series));
	for (size_t k = 0; k < slots; k++)
		series[k] = pv->fail[k * pv->n_fail / slots];
	graph_render(&g, series, slots, &o);
	free(series);
	chart_strip_plot_labels(&g, o.style == GRAPH_ASCII);
	chart_grid_draw(tui, &g, y + 1, 0, THEME_GRAPH_BOUNCE, el);
	chart_margin_draw(tui, &g, th, el, 1, y + 1, g.width);
	graph_free(&g);
	return h + 1;
}

static int dm_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct dm_priv *pv = priv_of(p);
	char line[600];
	int used = 0;

	if (pv->mode == MODE_SOURCES) {
		size_t failing = 0;

		for (size_t i = 0; i < pv->n_src; i++)
			failing += pv->src[i].failing && pv->src[i].cls != DMARC_CLASS_NONE;
		snprintf(line, sizeof(line), " %s: %zu sources, %zu legitimate failing   Enter raw "
					     "records   Esc domains", pv->domain, pv->n_src, failing);
		ui_put(&tui->ui, y, 0, COLS, line, failing ? THEME_STATE_FAILED : THEME_COL_HEADER);
		return table_draw(&p->list, &tui->ui, y + 1, 0, h - 1, COLS);
	}
	{
		size_t ready = 0;

		for (size_t i = 0; i < pv->n; i++)
			ready += pv->v[i].ready;
		if (!pv->n)
			snprintf(line, sizeof(line), " No DMARC reports in the last %d days: sesctl dmarc "
						     "import FILE|s3://BUCKET/PREFIX/", pv->days);
		else
			snprintf(line, sizeof(line), " %zu domains, %zu ready for p=reject (last %d days)"
						     "   Enter sources", pv->n, ready, pv->days);
		ui_put(&tui->ui, y, 0, COLS, line,
		       pv->n && ready < pv->n ? THEME_STATE_FAILED : THEME_COL_HEADER);
	}
	y++;
	h--;
	if (selected_domain(p) && h >= 14) {
		int ch = h >= 30 ? 8 : h >= 20 ? 6 : 4;

		used = draw_chart(pv, tui, selected_domain(p)->domain, y, ch);
	}
	if (selected_domain(p) && selected_domain(p)->n_problems && h - used >= 8) {
		snprintf(line, sizeof(line), " %s", selected_domain(p)->problems[0]);
		ui_put(&tui->ui, y + used, 0, COLS, line, THEME_STATE_WARN);
		used++;
	}
	return table_draw(&p->list, &tui->ui, y + used, 0, h - used, COLS);
}

static void fmt_day(char *out, size_t n, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d", &tm);
}

/* Word-wrap s to lines of at most width bytes (UTF-8 kept whole: breaks fall on spaces). */
static void wrap(struct buf *out, const char *s, size_t width)
{
	size_t col = 0;

	while (*s) {
		size_t w = strcspn(s, " ");

		if (col && col + 1 + w > width) {
			buf_putc(out, '\n');
			col = 0;
		} else if (col) {
			buf_putc(out, ' ');
			col++;
		}
		buf_append(out, s, w);
		col += w;
		s += w;
		while (*s == ' ')
			s++;
	}
}

static void detail_wrapped(struct pane *p, const char *attr, const char *text, enum ses_state st)
{
	struct buf b = {0};

	wrap(&b, text, COLS > 60 ? (size_t)COLS - 32 : 28); /* the value column */
	pane_detail_add(p, attr, buf_str(&b), st);
	buf_free(&b);
}

/* The auth_results JSON of a record as lines: "dkim d=x s=y pass", "spf mfrom x pass". */
static void auth_lines(struct buf *out, const char *json)
{
	cJSON *o = json ? cJSON_Parse(json) : NULL, *x;

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(o, "dkim"))
		buf_printf(out, "\n  dkim d=%s s=%s %s",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "domain")) ?: "?",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "selector")) ?: "-",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "result")) ?: "?");
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(o, "spf"))
		buf_printf(out, "\n  spf %s %s %s",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "scope")) ?: "mfrom",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "domain")) ?: "?",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "result")) ?: "?");
	cJSON_Delete(o);
}

/* The raw records of one source, newest first. */
static void open_source(struct pane *p, struct tui *tui)
{
	struct dm_priv *pv = priv_of(p);
	const struct dmarc_source_view *s = selected_source(p);
	struct cache_dmarc_row *r = NULL;
	time_t since = time(NULL) - (time_t)pv->days * 86400;
	size_t n = 0;
	char title[300], v[600];

	if (!s) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no source selected");
		return;
	}
	snprintf(title, sizeof(title), "%s sending as %s  Esc back", s->s.source_ip,
		 s->s.header_from ? s->s.header_from : pv->domain);
	pane_detail_open(p, title);
	snprintf(v, sizeof(v), "%s%s%s", dmarc_class_name(s->cls), s->sender ? ": " : "",
		 s->sender ? s->sender : "");
	pane_detail_add(p, "class", v, class_look(s));
	if (s->why)
		detail_wrapped(p, "why", s->why, class_look(s));
	pane_detail_add(p, "raw results", s->s.auth_key ? s->s.auth_key : "", SES_STATE_NONE);
	pane_detail_add(p, "reported by", s->s.orgs ? s->s.orgs : "-", SES_STATE_NONE);
	if (cache_get_dmarc_rows(tui->cache, pv->domain, s->s.source_ip, since, 200, &r, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		char b[16];
		struct buf v2 = {0};

		fmt_day(b, sizeof(b), r[i].begin);
		buf_printf(&v2, "%s %s (%s): %llu msgs, %s, DMARC dkim=%s spf=%s%s%s\n"
				"  From %s, envelope %s",
			   b, r[i].org ? r[i].org : "?", r[i].report_id ? r[i].report_id : "?",
			   (unsigned long long)r[i].count, r[i].disposition ? r[i].disposition : "?",
			   r[i].dkim ? r[i].dkim : "?", r[i].spf ? r[i].spf : "?",
			   r[i].reasons ? ", " : "", r[i].reasons ? r[i].reasons : "",
			   r[i].header_from ? r[i].header_from : "?",
			   r[i].envelope_from ? r[i].envelope_from : "-");
		auth_lines(&v2, r[i].auth_results);
		pane_detail_add(p, i ? "" : "records", buf_str(&v2),
				r[i].dkim && r[i].spf && strcmp(r[i].dkim, "pass") &&
						strcmp(r[i].spf, "pass")
					? SES_STATE_FAILED
					: SES_STATE_NONE);
		buf_free(&v2);
	}
	cache_dmarc_rows_free(r, n);
}

static void switch_mode(struct pane *p, struct tui *tui, enum dm_mode mode, const char *domain)
{
	struct dm_priv *pv = priv_of(p);
	struct sc_error err = {0};

	pv->mode = mode;
	if (domain) {
		free(pv->domain);
		pv->domain = xstrdup(domain);
	}
	table_set_filter(&p->list, "");
	p->list.sel = p->list.top = 0;
	p->list.keep = false;
	pane_detail_close(p);
	pane_load(p, tui, &err);
	if (mode == MODE_DOMAINS && pv->domain) {
		for (size_t i = 0; i < p->list.nview; i++) {
			const struct table_row *r = &p->list.rows[p->list.view[i]];

			if (r->ref < pv->n && !strcmp(pv->v[r->ref].domain, pv->domain)) {
				table_select(&p->list, i);
				return;
			}
		}
	}
	table_select(&p->list, 0);
}

static enum req dm_request(struct pane *p, struct tui *tui, enum req req)
{
	struct dm_priv *pv = priv_of(p);
	const struct dmarc_verdict *v;

	if (pane_in_detail(p))
		return req == REQ_ENTER ? REQ_NONE : req;
	switch (req) {
	case REQ_ENTER:
		if (pv->mode == MODE_SOURCES) {
			open_source(p, tui);
			return REQ_NONE;
		}
		v = selected_domain(p);
		if (!v) {
			ui_toast(&tui->ui, UI_TOAST_INFO, "no domain selected");
			return REQ_NONE;
		}
		switch_mode(p, tui, MODE_SOURCES, v->domain);
		return REQ_NONE;
	case REQ_BACK:
		if (p->list.filter[0] || pv->mode == MODE_DOMAINS)
			return req;
		switch_mode(p, tui, MODE_DOMAINS, NULL);
		return REQ_NONE;
	default:
		return req;
	}
}

static enum sc_status dm_yank(struct pane *p, struct tui *tui, struct buf *out,
			      struct sc_error *err)
{
	const struct dmarc_verdict *v = selected_domain(p);
	const struct dmarc_source_view *s = selected_source(p);

	(void)tui;
	if (v)
		buf_printf(out, "%s", v->domain);
	else if (s)
		buf_printf(out, "%s", s->s.source_ip);
	else
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	return SC_OK;
}

static void dm_select(struct pane *p, struct tui *tui)
{
	const struct dmarc_verdict *v = selected_domain(p);

	if (v)
		tui_set_var(tui, "domain", v->domain);
}

static size_t dm_words(struct pane *p, const char *prefix, const char **out, size_t max)
{
	const struct dm_priv *pv = p->priv;
	size_t n = 0;

	for (size_t i = 0; pv && i < pv->n && n < max; i++)
		if (!strncmp(pv->v[i].domain, prefix, strlen(prefix)))
			out[n++] = pv->v[i].domain;
	return n;
}

static void dm_done(struct pane *p)
{
	struct dm_priv *pv = p->priv;

	if (!pv)
		return;
	data_free(pv);
	free(pv->domain);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_dmarc_ops = {
	.name = "dmarc",
	.title = "DMARC",
	.short_title = "DMARC",
	.flags = PANE_FILTER | PANE_SORT | PANE_ON_DEMAND,
	.cache_kind = -1,
	.cols = domain_cols,
	.ncols = DC_N,
	.empty = "no DMARC reports: sesctl dmarc import FILE|FOLDER|s3://BUCKET/PREFIX/",
	.load = dm_load,
	.draw = dm_draw,
	.request = dm_request,
	.yank = dm_yank,
	.words = dm_words,
	.select = dm_select,
	.done = dm_done,
};

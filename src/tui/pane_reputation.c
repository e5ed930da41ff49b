/* The Reputation pane: account health, bounce and complaint rates against the AWS lines,
 * and the send counts as bars, over a chosen range, with a cursor on the time axis.
 *
 * The list table holds one row per time step of the range (oldest first); its selection
 * is the graph cursor, so moves, the position in the tab bar and the kept selection
 * across reloads come from the table. The body is drawn by rep_draw, never as a table. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/health.h"
#include "sesctl/core/streams.h"
#include "sesctl/store/account.h"
#include "sesctl/store/db.h"
#include "sesctl/store/feedback.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/chart.h"
#include "sesctl/tui/pane.h"
#include "sesctl/util/graph.h"
#include "sesctl/util/text.h"

#define REP_BUCKET 900 /* GetSendStatistics: one point per 15 minutes */
#define REP_DAY 86400

enum rep_range { RANGE_24H, RANGE_7D, RANGE_14D, RANGE_ALL, RANGE_COUNT };

static const struct {
	const char *name;
	time_t span; /* 0: all cached history */
	time_t step;
	const char *per;
} rep_ranges[RANGE_COUNT] = {
	[RANGE_24H] = {"24 h", REP_DAY, REP_BUCKET, "per 15 min"},
	[RANGE_7D] = {"7 d", 7 * REP_DAY, 3600, "per hour"},
	[RANGE_14D] = {"14 d", 14 * REP_DAY, 3600, "per hour"},
	[RANGE_ALL] = {"all", 0, 3600, "per hour"},
};

enum rep_col { RCOL_TIME, RCOL_SENT, RCOL_BOUNCES, RCOL_COMPLAINTS, RCOL_REJECTS, RCOL_N };

static const struct table_col rep_cols[RCOL_N] = {
	[RCOL_TIME] = {"time", 17, 0},
	[RCOL_SENT] = {"attempts", 9, TCOL_RIGHT},
	[RCOL_BOUNCES] = {"bounces", 8, TCOL_RIGHT},
	[RCOL_COMPLAINTS] = {"complaints", 10, TCOL_RIGHT},
	[RCOL_REJECTS] = {"rejects", 8, TCOL_RIGHT},
};

struct rep_step {
	time_t ts;
	long long attempts, bounces, complaints, rejects;
};

struct rep_priv {
	enum rep_range range;
	struct rep_step *steps;
	size_t n;
	double aws_bounce, aws_complaint; /* latest CloudWatch Reputation.*; NaN: none */
	bool loaded_once;
	time_t by_stream_at;              /* the step end by_stream was computed for */
	char by_stream[2][512];           /* the breakdown by configuration set, per metric */
};

/* ---- formatting ---- */

static void fmt_time(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%MZ", &tm);
}

/* 1234567 → "1,234,567" */
static void fmt_count(char *out, size_t outlen, long long v)
{
	char digits[32];
	size_t n, o = 0;

	snprintf(digits, sizeof(digits), "%lld", v < 0 ? -v : v);
	n = strlen(digits);
	if (v < 0 && o + 1 < outlen)
		out[o++] = '-';
	for (size_t i = 0; i < n && o + 2 < outlen; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static void fmt_rate(char *out, size_t outlen, double r)
{
	if (isnan(r))
		snprintf(out, outlen, "-");
	else
		snprintf(out, outlen, "%.2f%%", r * 100.0);
}

static double rate_of(long long part, long long whole)
{
	return whole > 0 ? (double)part / (double)whole : NAN;
}

/* ---- data ---- */

static void priv_clear(struct rep_priv *pv)
{
	free(pv->steps);
	pv->steps = NULL;
	pv->n = 0;
	pv->aws_bounce = pv->aws_complaint = NAN;
	pv->by_stream_at = 0;
}

/* AWS's own rolling rate as of the data's "now" (the newest send-statistics point, like
 * the graphs): a point more than three days older than that is no current rate. Anchored
 * to the data, not the wall clock, so a cache read later shows the same picture (its age
 * is in the header). */
static double latest_metric(struct tui *tui, const char *metric, time_t data_now)
{
	struct ses_metric_point *v = NULL;
	size_t n = 0;
	double out = NAN;

	if (!cache_get_metric_points(tui->cache, tui->account_id, tui_region(tui), metric,
				     data_now - 3 * REP_DAY, data_now + REP_DAY, &v, &n, NULL) &&
	    n)
		out = v[n - 1].value;
	free(v);
	return out;
}

/* Sum the 15-minute points into steps of the range, ending with the newest point's step
 * (the data's own "now", so the picture does not depend on when it is looked at). */
static void build_steps(struct rep_priv *pv, const struct ses_send_point *v, size_t n)
{
	time_t step = rep_ranges[pv->range].step, span = rep_ranges[pv->range].span;
	time_t end, start;

	if (!n)
		return;
	end = v[n - 1].ts - v[n - 1].ts % step + step;
	start = span ? end - span : v[0].ts - v[0].ts % step;
	pv->n = (size_t)((end - start) / step);
	pv->steps = xcalloc(pv->n + 1, sizeof(*pv->steps));
	for (size_t i = 0; i < pv->n; i++)
		pv->steps[i].ts = start + (time_t)i * step;
	for (size_t i = 0; i < n; i++) {
		struct rep_step *s;

		if (v[i].ts < start || v[i].ts >= end)
			continue;
		s = &pv->steps[(v[i].ts - start) / step];
		s->attempts += v[i].delivery_attempts;
		s->bounces += v[i].bounces;
		s->complaints += v[i].complaints;
		s->rejects += v[i].rejects;
	}
}

static void add_rows(struct pane *p, struct rep_priv *pv)
{
	for (size_t i = 0; i < pv->n; i++) {
		const struct rep_step *s = &pv->steps[i];
		char t[32], a[32], b[32], c[32], r[32];
		const char *cells[RCOL_N] = {t, a, b, c, r};

		fmt_time(t, sizeof(t), s->ts);
		fmt_count(a, sizeof(a), s->attempts);
		fmt_count(b, sizeof(b), s->bounces);
		fmt_count(c, sizeof(c), s->complaints);
		fmt_count(r, sizeof(r), s->rejects);
		table_add(&p->list, i, SES_STATE_NONE, cells, NULL)->id = (uint64_t)s->ts;
	}
}

static enum sc_status rep_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct rep_priv *pv = p->priv;
	struct ses_send_point *v = NULL;
	size_t n = 0;
	enum sc_status st;
	time_t data_now;
	bool at_end;

	if (!pv) {
		pv = p->priv = xcalloc(1, sizeof(*pv));
		pv->range = RANGE_7D;
	}
	/* a cursor on the newest step follows the data as it grows (table_clear kept its id) */
	at_end = !pv->loaded_once ||
		 (pv->n && p->list.keep && p->list.keep_id == (uint64_t)pv->steps[pv->n - 1].ts);
	priv_clear(pv);
	if (!tui->cache || !tui->account_id || !*tui_region(tui))
		return SC_OK;
	st = cache_get_send_points(tui->cache, tui->account_id, tui_region(tui), 0,
				   tui->now + REP_DAY, &v, &n, err);
	if (st)
		return st;
	build_steps(pv, v, n);
	data_now = n ? v[n - 1].ts : tui->now;
	free(v);
	pv->aws_bounce = latest_metric(tui, "Reputation.BounceRate", data_now);
	pv->aws_complaint = latest_metric(tui, "Reputation.ComplaintRate", data_now);
	add_rows(p, pv);
	if (at_end && pv->n) {
		/* the cursor starts at the newest step (table_update selects keep_id) */
		pv->loaded_once = true;
		p->list.keep = true;
		p->list.keep_id = (uint64_t)pv->steps[pv->n - 1].ts;
	}
	return SC_OK;
}

/* The step under the cursor, or NULL without data. */
static const struct rep_step *cursor_step(const struct pane *p)
{
	const struct rep_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && r && r->ref < pv->n ? &pv->steps[r->ref] : NULL;
}

static long cursor_index(const struct pane *p)
{
	const struct table_row *r = table_selected(&p->list);

	return r ? (long)r->ref : -1;
}

/* ---- drawing ---- */

/* What a chart plots from a step: a rate (part/whole) or a count (part). */
enum chart_kind { CHART_BOUNCE, CHART_COMPLAINT, CHART_ATTEMPTS, CHART_BOUNCES, CHART_COMPLAINTS,
		  CHART_REJECTS, CHART_N };

struct chart {
	enum chart_kind kind;
	enum graph_style style;
	struct graph_threshold th[4];
	enum theme_element th_el[4];
	size_t n_th;
	enum theme_element data;
};

static void add_threshold(struct chart *c, enum health_threshold t, const char *label,
			  enum theme_element el)
{
	c->th[c->n_th].value = health_thresholds[t].rate;
	c->th[c->n_th].label = label;
	c->th_el[c->n_th++] = el;
}

#define REP_MARGIN CHART_MARGIN

static void step_parts(const struct rep_step *s, enum chart_kind k, long long *part,
		       long long *whole)
{
	*whole = s->attempts;
	switch (k) {
	case CHART_BOUNCE: case CHART_BOUNCES: *part = s->bounces; break;
	case CHART_COMPLAINT: case CHART_COMPLAINTS: *part = s->complaints; break;
	case CHART_REJECTS: *part = s->rejects; break;
	default: *part = s->attempts; break;
	}
}

static bool chart_is_rate(const struct chart *c)
{
	return c->kind == CHART_BOUNCE || c->kind == CHART_COMPLAINT;
}

/* One value per plot slot: slot s covers steps [s*n/slots, (s+1)*n/slots) (at least one
 * step, so fewer steps than slots stretch), summed before dividing: a rate over a slot is
 * the rate of the mail sent in it, and a quiet night hour does not spike. Counts are per
 * step. */
/* The steps [*from, *to) that plot slot sl of slots covers (at least one). */
static void slot_steps(size_t n, size_t slots, size_t sl, size_t *from, size_t *to)
{
	*from = sl * n / slots;
	*to = (sl + 1) * n / slots;
	if (*to <= *from)
		*to = *from + 1;
}

static double *chart_series(const struct chart *c, const struct rep_priv *pv, size_t slots)
{
	double *v = xcalloc(slots + 1, sizeof(*v));

	for (size_t sl = 0; sl < slots; sl++) {
		long long part = 0, whole = 0;
		size_t from, to;

		slot_steps(pv->n, slots, sl, &from, &to);
		for (size_t i = from; i < to && i < pv->n; i++) {
			long long p1, w1;

			step_parts(&pv->steps[i], c->kind, &p1, &w1);
			part += p1;
			whole += w1;
		}
		/* counts per step, so slots of one and of two steps compare */
		v[sl] = chart_is_rate(c) ? rate_of(part, whole)
					 : (double)part / (double)(to - from);
	}
	return v;
}

/* The first slot showing step (-1: none). */
static long slot_of_step(const struct rep_priv *pv, size_t slots, long step)
{
	for (size_t sl = 0; step >= 0 && sl < slots; sl++) {
		size_t from, to;

		slot_steps(pv->n, slots, sl, &from, &to);
		if (from <= (size_t)step && (size_t)step < to)
			return (long)sl;
	}
	return -1;
}

/* Render chart c with its plot area at screen columns plot_x .. plot_x+plot_w-1. */
static void chart_draw(struct tui *tui, const struct chart *c, const struct rep_priv *pv, int y,
		       int h, int plot_x, int plot_w, long cursor, double y_max)
{
	size_t slots = (size_t)plot_w * (size_t)chart_xdots(c->style);
	double *v = chart_series(c, pv, slots);
	struct graph_opts o = {.style = c->style, .height = h, .percent = chart_is_rate(c),
			       .y_max = y_max, .thresholds = c->th, .n_thresholds = c->n_th,
			       .cursor = slot_of_step(pv, slots, cursor)};
	struct graph g;
	int x;

	if (c->style == GRAPH_ASCII && !chart_is_rate(c) && h == 1) {
		/* a one-line ASCII bar chart: the ramp "_.,-=+*#" reads better than a line */
		struct buf line = BUF_INIT;

		graph_sparkline(&line, v, slots, (size_t)plot_w, y_max, true);
		ui_put_raw(&tui->ui, y, 0, plot_x, "", THEME_ROW);
		ui_put_raw(&tui->ui, y, plot_x, plot_w, buf_str(&line), c->data);
		buf_free(&line);
		free(v);
		return;
	}
	/* the label column's width depends on the scale: measure, then size the grid */
	o.width = plot_x + plot_w;
	graph_render(&g, v, slots, &o);
	o.width = g.plot_x + plot_w;
	o.y_max = g.y_max;
	graph_free(&g);
	graph_render(&g, v, slots, &o);
	x = plot_x - g.plot_x;
	if (x > 0)
		ui_put(&tui->ui, y, 0, x, "", THEME_ROW);
	if (c->n_th)
		chart_strip_plot_labels(&g, c->style == GRAPH_ASCII);
	chart_grid_draw(tui, &g, y, x < 0 ? 0 : x, c->data, c->n_th ? c->th_el : NULL);
	if (c->n_th)
		chart_margin_draw(tui, &g, c->th, c->th_el, c->n_th, y, plot_x + plot_w);
	graph_free(&g);
	free(v);
}

static void charts_init(const struct tui *tui, struct chart ch[CHART_N])
{
	memset(ch, 0, CHART_N * sizeof(*ch));
	for (int k = 0; k < CHART_N; k++) {
		ch[k].kind = (enum chart_kind)k;
		ch[k].style = chart_style(tui);
		ch[k].data = THEME_ROW;
	}
	for (int k = CHART_ATTEMPTS; k < CHART_N; k++)
		if (ch[k].style == GRAPH_BRAILLE)
			ch[k].style = GRAPH_BLOCK; /* counts are bars */
	ch[CHART_BOUNCE].data = ch[CHART_BOUNCES].data = THEME_GRAPH_BOUNCE;
	ch[CHART_COMPLAINT].data = ch[CHART_COMPLAINTS].data = THEME_GRAPH_COMPLAINT;
	add_threshold(&ch[CHART_BOUNCE], HEALTH_BOUNCE_REVIEW, "review", THEME_THRESHOLD_REVIEW);
	add_threshold(&ch[CHART_BOUNCE], HEALTH_BOUNCE_PAUSE, "pause", THEME_THRESHOLD_PAUSE);
	add_threshold(&ch[CHART_COMPLAINT], HEALTH_COMPLAINT_REVIEW, "review",
		      THEME_THRESHOLD_REVIEW);
	add_threshold(&ch[CHART_COMPLAINT], HEALTH_SPAM_RATE, "providers", THEME_THRESHOLD_REVIEW);
	add_threshold(&ch[CHART_COMPLAINT], HEALTH_COMPLAINT_PAUSE, "pause", THEME_THRESHOLD_PAUSE);
}

/* The widest label column among the charts shown: every plot starts there, so the time
 * axes line up. */
static int common_plot_x(const struct chart ch[CHART_N], const struct rep_priv *pv,
			 const int heights[CHART_N], double y_max[CHART_N])
{
	const double complaint_top = 2 * health_thresholds[HEALTH_COMPLAINT_PAUSE].rate;
	int px = 0;

	for (int k = 0; k < CHART_N; k++) {
		size_t slots = (size_t)(COLS - REP_MARGIN - 12) * (size_t)chart_xdots(ch[k].style);
		double *v = chart_series(&ch[k], pv, slots);
		struct graph g;
		struct graph_opts o = {.style = ch[k].style, .width = COLS,
				       .height = heights[k] ? heights[k] : 1,
				       .percent = chart_is_rate(&ch[k]), .thresholds = ch[k].th,
				       .n_thresholds = ch[k].n_th, .cursor = -1};
		int at;

		graph_render(&g, v, slots, &o);
		y_max[k] = g.y_max;
		/* a complaint spike over 1 % would squeeze the 0.1 % and 0.3 % lines onto the
		 * baseline: the scale stops at twice the pause line (the cursor shows the value) */
		if (k == CHART_COMPLAINT && y_max[k] > complaint_top) {
			o.y_max = y_max[k] = complaint_top;
			graph_free(&g);
			graph_render(&g, v, slots, &o); /* the labels of that scale */
		}
		at = g.plot_x;
		if (heights[k] && at > px)
			px = at;
		graph_free(&g);
		free(v);
	}
	return px;
}

static enum ses_state enforcement_state(const char *s)
{
	if (!s)
		return SES_STATE_UNKNOWN;
	if (!strcmp(s, "HEALTHY"))
		return SES_STATE_OK;
	if (!strcmp(s, "PROBATION"))
		return SES_STATE_TEMPFAIL;
	if (!strcmp(s, "SHUTDOWN"))
		return SES_STATE_FAILED;
	return SES_STATE_UNKNOWN;
}

/* "✓ HEALTHY  production  quota [██▌       ] 7,878/50,000 in 24 h 16%  max 14/s" */
static void draw_health(struct tui *tui, int y)
{
	const struct ses_account *a = &tui->account;
	struct buf line = BUF_INIT, meter = BUF_INIT;
	enum ses_state st;
	char sent[32], max[32];

	if (!tui->have_account) {
		ui_put(&tui->ui, y, 0, COLS, " account state not cached yet; press r",
		       THEME_STATE_PENDING);
		return;
	}
	st = enforcement_state(a->enforcement_status);
	fmt_count(sent, sizeof(sent), (long long)a->sent_last_24h);
	buf_printf(&line, " %s %s  %s  ", theme_state_glyph(st, tui->ui.ascii),
		   a->enforcement_status ? a->enforcement_status : "?",
		   a->production_access ? "production" : "sandbox");
	if (a->max_24h_send > 0) {
		graph_hbar(&meter, a->sent_last_24h, a->max_24h_send, 10, tui->ui.ascii);
		fmt_count(max, sizeof(max), (long long)a->max_24h_send);
		buf_printf(&line, "quota [%s] %s/%s in 24 h %.0f%%", buf_str(&meter), sent, max,
			   100.0 * a->sent_last_24h / a->max_24h_send);
	} else {
		buf_printf(&line, "%s sent in 24 h (no quota)", sent);
	}
	buf_printf(&line, "  max %g/s", a->max_send_rate);
	ui_put(&tui->ui, y, 0, COLS, buf_str(&line), theme_state_element(st));
	buf_free(&line);
	buf_free(&meter);
}

/* "cursor 2026-11-22 13:00Z  812 sent  0 rejected  h/l move  t range (7 d)" */
static void readout(const struct pane *p, char *out, size_t outlen)
{
	const struct rep_priv *pv = p->priv;
	const struct rep_step *s = cursor_step(p);
	char t[32], a[32], r[32];

	if (!s) {
		snprintf(out, outlen, "no data");
		return;
	}
	fmt_time(t, sizeof(t), s->ts);
	fmt_count(a, sizeof(a), s->attempts);
	fmt_count(r, sizeof(r), s->rejects);
	snprintf(out, outlen, " cursor %s  %s sent  %s rejected   h/l move  t range: %s", t, a, r,
		 rep_ranges[pv->range].name);
}

/* " Bounce rate per hour: 11.45% (93) pause   AWS 24 h: 1.09%" for the cursor's step */
static void draw_title(struct tui *tui, const struct pane *p, int y, enum health_metric m,
		       double aws)
{
	const struct rep_priv *pv = p->priv;
	const struct rep_step *s = cursor_step(p);
	long long part = s ? (m == HEALTH_BOUNCE ? s->bounces : s->complaints) : 0;
	double rate = s ? rate_of(part, s->attempts) : NAN;
	char line[256], r[16], a[16], n[32];

	fmt_rate(r, sizeof(r), rate);
	fmt_rate(a, sizeof(a), aws);
	fmt_count(n, sizeof(n), part);
	snprintf(line, sizeof(line), " %s rate %s: %s (%s) %s   AWS 24 h: %s",
		 m == HEALTH_BOUNCE ? "Bounce" : "Complaint", rep_ranges[pv->range].per, r, n,
		 isnan(rate) ? "" : health_level_word(health_level(m, rate)), a);
	ui_put(&tui->ui, y, 0, COLS, line,
	       !isnan(rate) && health_level(m, rate) >= HEALTH_REVIEW ? THEME_STATE_FAILED
								       : THEME_COL_HEADER);
}

/* The time axis under the charts: the first and the last step's time. */
static void draw_time_axis(struct tui *tui, const struct rep_priv *pv, int y, int plot_x,
			   int plot_w)
{
	char first[32], last[32];
	int lw;

	ui_put(&tui->ui, y, 0, COLS, "", THEME_GRAPH_AXIS);
	fmt_time(first, sizeof(first), pv->steps[0].ts);
	fmt_time(last, sizeof(last), pv->steps[pv->n - 1].ts);
	lw = (int)strlen(last);
	ui_put(&tui->ui, y, plot_x, lw, first, THEME_GRAPH_AXIS);
	if (plot_w >= 2 * lw + 2)
		ui_put(&tui->ui, y, plot_x + plot_w - lw, lw, last, THEME_GRAPH_AXIS);
}

/* Which stream explains the step under the cursor: each configuration set's own 24 h rate
 * at the step's end (core/streams.h), the culprit first. */
static void draw_by_stream(struct pane *p, struct tui *tui, int y)
{
	struct rep_priv *pv = p->priv;
	const struct rep_step *s = cursor_step(p);
	time_t at = s ? s->ts + rep_ranges[pv->range].step : 0;
	char line[1100];

	if (s && at != pv->by_stream_at && tui->cache && tui->account_id) {
		struct streams st;

		pv->by_stream[0][0] = pv->by_stream[1][0] = '\0';
		if (!streams_load(tui->cache, tui->account_id, tui_region(tui), at, &st, NULL)) {
			streams_breakdown(&st, 0, pv->by_stream[0], sizeof(pv->by_stream[0]));
			streams_breakdown(&st, 1, pv->by_stream[1], sizeof(pv->by_stream[1]));
			streams_free(&st);
		}
		pv->by_stream_at = at;
	}
	if (!pv->by_stream[0][0])
		snprintf(line, sizeof(line), " by stream: no configuration set with reputation "
					     "metrics (Streams pane, 9)");
	else
		snprintf(line, sizeof(line), " by stream, 24 h: bounce %s | complaint %s",
			 pv->by_stream[0], pv->by_stream[1]);
	ui_put(&tui->ui, y, 0, COLS, line, THEME_ROW);
}

struct rep_layout {
	int h[CHART_N];
};

/* health, readout, two titles, the time axis, the breakdown by stream; the rest to the
 * charts, bars when room. */
static struct rep_layout layout_for(int h)
{
	struct rep_layout l;
	int bar_h = h >= 38 ? 2 : 1, left = h - 6 - 4 * bar_h;

	memset(&l, 0, sizeof(l));
	if (left < 6) {
		bar_h = 0; /* too small for the bars: the rates matter more */
		left = h - 6;
	}
	l.h[CHART_BOUNCE] = (left + 1) / 2;
	l.h[CHART_COMPLAINT] = left - l.h[CHART_BOUNCE];
	for (int k = CHART_ATTEMPTS; k < CHART_N; k++)
		l.h[k] = bar_h;
	return l;
}

static int rep_draw(struct pane *p, struct tui *tui, int y, int h)
{
	static const char *const bar_names[CHART_N] = {
		[CHART_ATTEMPTS] = " attempts", [CHART_BOUNCES] = " bounces",
		[CHART_COMPLAINTS] = " complaints", [CHART_REJECTS] = " rejects"};
	struct rep_priv *pv = p->priv;
	struct rep_layout l = layout_for(h);
	struct chart ch[CHART_N];
	double y_max[CHART_N];
	char line[512];
	long cur = cursor_index(p);
	int plot_x, plot_w, yy = y;

	draw_health(tui, yy++);
	if (!pv || !pv->n) {
		ui_put(&tui->ui, yy, 0, COLS,
		       " no send statistics cached for this account and region; press r to refresh",
		       THEME_STATE_PENDING);
		return y;
	}
	readout(p, line, sizeof(line));
	ui_put(&tui->ui, yy++, 0, COLS, line, THEME_ROW_SELECTED);
	charts_init(tui, ch);
	plot_x = common_plot_x(ch, pv, l.h, y_max);
	plot_w = COLS - REP_MARGIN - plot_x;
	if (plot_w < 4) {
		ui_put(&tui->ui, yy, 0, COLS, " too narrow for the charts", THEME_STATE_PENDING);
		return y + 1;
	}
	draw_title(tui, p, yy++, HEALTH_BOUNCE, pv->aws_bounce);
	chart_draw(tui, &ch[CHART_BOUNCE], pv, yy, l.h[CHART_BOUNCE], plot_x, plot_w, cur,
		   y_max[CHART_BOUNCE]);
	yy += l.h[CHART_BOUNCE];
	draw_title(tui, p, yy++, HEALTH_COMPLAINT, pv->aws_complaint);
	chart_draw(tui, &ch[CHART_COMPLAINT], pv, yy, l.h[CHART_COMPLAINT], plot_x, plot_w, cur,
		   y_max[CHART_COMPLAINT]);
	yy += l.h[CHART_COMPLAINT];
	draw_time_axis(tui, pv, yy++, plot_x, plot_w);
	draw_by_stream(p, tui, yy++);
	for (int k = CHART_ATTEMPTS; k < CHART_N && l.h[k]; k++) {
		chart_draw(tui, &ch[k], pv, yy, l.h[k], plot_x, plot_w, cur, y_max[k]);
		ui_put(&tui->ui, yy, plot_x + plot_w, REP_MARGIN, bar_names[k], THEME_GRAPH_AXIS);
		yy += l.h[k];
	}
	return y + 1; /* the hardware cursor on the readout */
}

/* ---- requests ---- */

static void add_rate(struct pane *p, const char *attr, enum health_metric m, long long part,
		     long long whole)
{
	double r = rate_of(part, whole);
	char n[32], text[96], pct[16];
	enum health_level lv = isnan(r) ? HEALTH_OK : health_level(m, r);

	fmt_count(n, sizeof(n), part);
	fmt_rate(pct, sizeof(pct), r);
	snprintf(text, sizeof(text), "%s  %s  %s", n, pct, isnan(r) ? "" : health_level_word(lv));
	pane_detail_add(p, attr, text,
			lv >= HEALTH_REVIEW ? SES_STATE_FAILED
			: lv == HEALTH_WARN ? SES_STATE_TEMPFAIL
					    : SES_STATE_OK);
}

/* Enter: every value of the step under the cursor. */
/* Who bounced or complained in the step, when a tap brought the events into the cache. */
#define STEP_EVENTS_SHOWN 50
static void step_events(struct pane *p, struct tui *tui, time_t from, time_t to)
{
	struct cache_event_query q = {.since = from, .until = to - 1, .limit = STEP_EVENTS_SHOWN,
				      .types = (1u << SES_EV_BOUNCE) | (1u << SES_EV_COMPLAINT)};
	struct ses_events evs = {0};
	size_t total = 0;
	char v[600];

	if (!tui->cache || !tui->account_id ||
	    cache_count_events(tui->cache, tui->account_id, tui_region(tui), &q, &total, NULL) ||
	    !total || cache_get_events(tui->cache, tui->account_id, tui_region(tui), &q, &evs, NULL))
		return;
	snprintf(v, sizeof(v), "%zu bounce or complaint event%s from the tap%s", total,
		 total == 1 ? "" : "s", total > evs.n ? " (the newest shown)" : "");
	pane_detail_add(p, "who", v, SES_STATE_NONE);
	for (size_t i = 0; i < evs.n; i++) {
		const struct ses_event *e = &evs.v[i];
		char when[16];
		struct tm tm;

		gmtime_r(&e->time, &tm);
		strftime(when, sizeof(when), "%H:%M:%S", &tm);
		snprintf(v, sizeof(v), "%s %s %s %s %s", when, ses_ev_name(e->type),
			 e->recipient ? e->recipient : "-", e->status ? e->status : "",
			 e->diagnostic ? e->diagnostic : e->subtype ? e->subtype : "");
		pane_detail_add(p, "", v, e->type == SES_EV_BOUNCE ? SES_STATE_FAILED : SES_STATE_TEMPFAIL);
	}
	ses_events_free(&evs);
}

static void open_step(struct pane *p, struct tui *tui)
{
	struct rep_priv *pv = p->priv;
	const struct rep_step *s = cursor_step(p);
	char t[32], title[96], v[32];

	if (!s) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no data");
		return;
	}
	fmt_time(t, sizeof(t), s->ts);
	snprintf(title, sizeof(title), "%s %s  Esc back", rep_ranges[pv->range].per + 4, t);
	pane_detail_open(p, title);
	pane_detail_add(p, "from", t, SES_STATE_NONE);
	fmt_time(t, sizeof(t), s->ts + rep_ranges[pv->range].step);
	pane_detail_add(p, "to", t, SES_STATE_NONE);
	fmt_count(v, sizeof(v), s->attempts);
	pane_detail_add(p, "delivery attempts", v, SES_STATE_NONE);
	add_rate(p, "bounces", HEALTH_BOUNCE, s->bounces, s->attempts);
	add_rate(p, "complaints", HEALTH_COMPLAINT, s->complaints, s->attempts);
	fmt_count(v, sizeof(v), s->rejects);
	pane_detail_add(p, "rejects", v, SES_STATE_NONE);
	fmt_rate(v, sizeof(v), pv->aws_bounce);
	pane_detail_add(p, "AWS bounce rate (24 h, now)", v, SES_STATE_NONE);
	fmt_rate(v, sizeof(v), pv->aws_complaint);
	pane_detail_add(p, "AWS complaint rate (24 h, now)", v, SES_STATE_NONE);
	for (int t2 = 0; t2 < HEALTH_THRESHOLD_COUNT; t2++)
		pane_detail_add(p, t2 ? "" : "lines", health_thresholds[t2].label, SES_STATE_NONE);
	step_events(p, tui, s->ts, s->ts + rep_ranges[pv->range].step);
}

static void move_cursor(struct pane *p, long delta)
{
	long at = (long)p->list.sel + delta;

	if (!p->list.nview)
		return;
	if (at < 0)
		at = 0;
	if (at >= (long)p->list.nview)
		at = (long)p->list.nview - 1;
	table_select(&p->list, (size_t)at);
}

/* Select the step holding time t, else the newest. */
static void select_time(struct pane *p, time_t t)
{
	struct rep_priv *pv = p->priv;

	for (size_t i = 0; i < pv->n && i < p->list.nview; i++)
		if (pv->steps[i].ts <= t && t < pv->steps[i].ts + rep_ranges[pv->range].step) {
			table_select(&p->list, i);
			return;
		}
	move_cursor(p, (long)p->list.nview);
}

static void next_range(struct pane *p, struct tui *tui)
{
	struct rep_priv *pv = p->priv;
	const struct rep_step *s = cursor_step(p);
	time_t at = s ? s->ts : 0;
	struct sc_error err;

	if (!pv)
		return;
	pv->range = (enum rep_range)((pv->range + 1) % RANGE_COUNT);
	sc_error_clear(&err);
	if (pane_load(p, tui, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "reputation: %s", err.message);
	if (pv->n)
		select_time(p, at);
	ui_toast(&tui->ui, UI_TOAST_INFO, "range %s, %s", rep_ranges[pv->range].name,
		 rep_ranges[pv->range].per);
}

static enum req rep_request(struct pane *p, struct tui *tui, enum req req)
{
	struct rep_priv *pv = p->priv;
	long day = pv ? (long)(REP_DAY / rep_ranges[pv->range].step) : 1;

	if (pane_in_detail(p))
		return req; /* the detail is a table: the frame moves, copies and closes it */
	switch (req) {
	case REQ_LEFT: case REQ_MOVE_UP: move_cursor(p, -1); return REQ_NONE;
	case REQ_RIGHT: case REQ_MOVE_DOWN: move_cursor(p, 1); return REQ_NONE;
	case REQ_MOVE_PAGE_UP: move_cursor(p, -day); return REQ_NONE;
	case REQ_MOVE_PAGE_DOWN: move_cursor(p, day); return REQ_NONE;
	case REQ_RANGE: next_range(p, tui); return REQ_NONE;
	case REQ_ENTER:
		if (!pane_in_detail(p))
			open_step(p, tui);
		return REQ_NONE;
	default: return req;
	}
}

/* y copies the values under the cursor (in the detail: the selected value). */
static enum sc_status rep_yank(struct pane *p, struct tui *tui, struct buf *out,
			       struct sc_error *err)
{
	char line[512];

	(void)tui;
	if (pane_in_detail(p)) {
		const struct table_row *r = table_selected(&p->detail);

		if (!r || !*r->cells[1])
			return sc_fail(err, SC_NOT_FOUND, "nothing selected");
		buf_puts(out, r->cells[1]);
		return SC_OK;
	}
	if (!cursor_step(p))
		return sc_fail(err, SC_NOT_FOUND, "no data");
	readout(p, line, sizeof(line));
	buf_puts(out, line);
	return SC_OK;
}

static void rep_done(struct pane *p)
{
	if (!p->priv)
		return;
	priv_clear(p->priv);
	free(p->priv);
	p->priv = NULL;
}

const struct pane_ops pane_reputation_ops = {
	.name = "reputation",
	.title = "Reputation",
	.short_title = "Rep",
	.flags = PANE_REFRESH,
	.cache_kind = CACHE_KIND_SEND_STATS,
	.cols = rep_cols,
	.ncols = RCOL_N,
	.empty = "no send statistics cached; press r to refresh",
	.load = rep_load,
	.draw = rep_draw,
	.request = rep_request,
	.yank = rep_yank,
	.done = rep_done,
};

/* The Streams pane: every configuration set as a sending stream — its sending state, its
 * rates against the lines, reputation metrics, TLS, pool, where its events go, and a mark
 * when no destination receives its bounces or complaints. Enter opens one set: its rate
 * charts with the lines, every setting, its destinations. P pauses or resumes the set.
 *
 * The figures come from core/streams.h (the same numbers as `sesctl config-sets`). */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/core/health.h"
#include "sesctl/core/streams.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/chart.h"
#include "sesctl/tui/pane.h"
#include "sesctl/tui/pausing.h"

enum st_col { SC_SET, SC_SENDING, SC_BOUNCE, SC_COMPLAINT, SC_FEEDBACK, SC_REP, SC_TLS, SC_POOL,
	      SC_DESTS, SC_N };

/* 80 columns leave the destinations a dozen; the feedback mark has its own column so it
 * is never the part cut off */
static const struct table_col cols[SC_N] = {
	{"configuration set", 16, TCOL_MIDDLE | TCOL_FIT},
	{"sending", 9, 0},
	{"bounce", 6, TCOL_RIGHT | TCOL_KEY},
	{"compl", 6, TCOL_RIGHT},
	{"fb", 2, 0},
	{"rep", 3, 0},
	{"TLS", 8, 0},
	{"pool", 8, TCOL_MIDDLE | TCOL_FIT},
	{"destinations", 12, TCOL_FLEX},
};

#define SERIES_HOURS (14 * 24)

struct st_priv {
	struct streams s;
	char bounce_line[512], complaint_line[512];
	/* the open set's rate series, hourly over SERIES_HOURS, NaN where no point */
	double *bounce, *complaint;
	size_t n_series;
};

static struct st_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct st_priv));
	return p->priv;
}

static void series_clear(struct st_priv *pv)
{
	free(pv->bounce);
	free(pv->complaint);
	pv->bounce = pv->complaint = NULL;
	pv->n_series = 0;
}

static void fmt_rate(char *out, size_t n, const struct stream *x, int metric)
{
	if (!x->has_rates)
		snprintf(out, n, "%s", x->set.reputation_metrics_enabled ? "no data" : "off");
	else
		snprintf(out, n, "%.*f%%", metric ? 2 : 1,
			 100 * (metric ? x->complaint_rate : x->bounce_rate));
}

static enum ses_state rate_state(const struct stream *x, int metric)
{
	enum health_level lv;

	if (!x->has_rates)
		return SES_STATE_NONE;
	lv = health_level(metric ? HEALTH_COMPLAINT : HEALTH_BOUNCE,
			  metric ? x->complaint_rate : x->bounce_rate);
	return lv >= HEALTH_REVIEW ? SES_STATE_FAILED
	       : lv == HEALTH_WARN ? SES_STATE_TEMPFAIL
				   : SES_STATE_OK;
}

static void add_row(struct pane *p, struct tui *tui, const struct stream *x, size_t i)
{
	const struct ses_config_set *c = &x->set;
	enum ses_state sending = c->sending_enabled ? SES_STATE_OK : SES_STATE_FAILED;
	enum ses_state states[SC_N] = {SES_STATE_NONE, sending, rate_state(x, 0), rate_state(x, 1)};
	char send[32], b[16], k[16], dests[160], fb[16];
	const char *cells[SC_N];
	struct table_row *r;

	snprintf(send, sizeof(send), "%s %s", theme_state_glyph(sending, tui->ui.ascii),
		 c->sending_enabled ? "on" : "PAUSED");
	fmt_rate(b, sizeof(b), x, 0);
	fmt_rate(k, sizeof(k), x, 1);
	streams_dest_summary(c, dests, sizeof(dests));
	/* a glyph, not only a colour: ✗ when no destination receives bounces or complaints */
	if (!c->dests_known) {
		snprintf(fb, sizeof(fb), "?");
	} else if (x->no_bounce_dest || x->no_complaint_dest) {
		snprintf(fb, sizeof(fb), "%s", theme_state_glyph(SES_STATE_FAILED, tui->ui.ascii));
		states[SC_FEEDBACK] = SES_STATE_FAILED;
	} else {
		snprintf(fb, sizeof(fb), "%s", theme_state_glyph(SES_STATE_OK, tui->ui.ascii));
		states[SC_FEEDBACK] = SES_STATE_OK;
	}
	cells[SC_SET] = c->name;
	cells[SC_SENDING] = send;
	cells[SC_BOUNCE] = b;
	cells[SC_COMPLAINT] = k;
	cells[SC_FEEDBACK] = fb;
	cells[SC_REP] = c->reputation_metrics_enabled ? "on" : "off";
	cells[SC_TLS] = c->tls_policy ? c->tls_policy : "OPTIONAL";
	cells[SC_POOL] = c->sending_pool ? c->sending_pool : "-";
	cells[SC_DESTS] = dests;
	r = table_add(&p->list, i, sending == SES_STATE_FAILED ? SES_STATE_FAILED : SES_STATE_NONE,
		      cells, states);
	r->id = table_id_of(c->name ? c->name : "");
	/* sorting by a rate puts the sick stream first; no rate sorts last */
	r->key = x->has_rates ? (int64_t)llround(1e6 * x->bounce_rate) : -1;
}

static enum sc_status st_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct st_priv *pv = priv_of(p);
	const char *region = tui_region(tui);
	enum sc_status st;

	streams_free(&pv->s);
	pv->bounce_line[0] = pv->complaint_line[0] = '\0';
	if (!tui->cache || !tui->account_id || !*region)
		return SC_OK;
	st = streams_load(tui->cache, tui->account_id, region, 0, &pv->s, err);
	if (st)
		return st;
	for (size_t i = 0; i < pv->s.n; i++)
		add_row(p, tui, &pv->s.v[i], i);
	streams_breakdown(&pv->s, 0, pv->bounce_line, sizeof(pv->bounce_line));
	streams_breakdown(&pv->s, 1, pv->complaint_line, sizeof(pv->complaint_line));
	return SC_OK;
}

static const struct stream *selected(const struct pane *p)
{
	const struct st_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && r && r->ref < pv->s.n ? &pv->s.v[r->ref] : NULL;
}

/* ---- the list ---- */

static int st_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct st_priv *pv = priv_of(p);
	const struct stream *culprit = streams_culprit(&pv->s, 0);
	char line[700];

	if (!culprit)
		culprit = streams_culprit(&pv->s, 1);
	if (culprit && culprit->set.sending_enabled)
		snprintf(line, sizeof(line), " %s is over the review line: P on it pauses only "
					     "that stream",
			 culprit->set.name);
	else if (culprit)
		snprintf(line, sizeof(line), " %s is over the review line, and paused (P resumes it "
					     "once the cause is fixed)",
			 culprit->set.name);
	else
		snprintf(line, sizeof(line), " P pause/resume   Enter details, charts   "
					     "fb \xe2\x9c\x97: bounces/complaints go nowhere");
	ui_put(&tui->ui, y, 0, COLS, line, culprit ? THEME_STATE_FAILED : THEME_COL_HEADER);
	snprintf(line, sizeof(line), " bounce by stream: %s",
		 *pv->bounce_line ? pv->bounce_line : "no set publishes reputation metrics");
	ui_put(&tui->ui, y + 1, 0, COLS, line, THEME_ROW);
	snprintf(line, sizeof(line), " complaint by stream: %s",
		 *pv->complaint_line ? pv->complaint_line : "-");
	ui_put(&tui->ui, y + 2, 0, COLS, line, THEME_ROW);
	return table_draw(&p->list, &tui->ui, y + 3, 0, h - 3, COLS);
}

/* ---- one set ---- */

static void load_series(struct tui *tui, const char *set, const char *metric, double **out,
			time_t end)
{
	char key[CACHE_SET_METRIC_MAX];
	struct ses_metric_point *v = NULL;
	size_t n = 0;
	time_t start = end - SERIES_HOURS * 3600;

	*out = xcalloc(SERIES_HOURS, sizeof(**out));
	for (size_t i = 0; i < SERIES_HOURS; i++)
		(*out)[i] = NAN;
	cache_set_metric_key(key, sizeof(key), set, metric);
	if (cache_get_metric_points(tui->cache, tui->account_id, tui_region(tui), key, start, end,
				    &v, &n, NULL) != SC_OK)
		return;
	for (size_t i = 0; i < n; i++) {
		long slot = (long)((v[i].ts - start) / 3600);

		if (slot >= 0 && slot < SERIES_HOURS)
			(*out)[slot] = v[i].value;
	}
	free(v);
}

static void add_dests(struct pane *p, const struct ses_config_set *c)
{
	if (!c->dests_known) {
		pane_detail_add(p, "event destinations", "not read yet: press r", SES_STATE_PENDING);
		return;
	}
	if (!c->n_dests)
		pane_detail_add(p, "event destinations", "none: its events go nowhere",
				SES_STATE_FAILED);
	for (size_t i = 0; i < c->n_dests; i++) {
		const struct ses_event_dest *d = &c->dests[i];
		char attr[96], value[1024];
		size_t len;

		snprintf(attr, sizeof(attr), "destination %s", d->name ? d->name : "?");
		len = (size_t)snprintf(value, sizeof(value), "%s %s:", d->enabled ? "on" : "OFF",
				       ses_dest_name(d->kind));
		for (int t = 0; t < SES_EVENT_COUNT && len < sizeof(value); t++)
			if (d->events & SES_EVENT_BIT(t))
				len += (size_t)snprintf(value + len, sizeof(value) - len, " %s",
							ses_event_name((enum ses_event_type)t));
		pane_detail_add(p, attr, value, d->enabled ? SES_STATE_OK : SES_STATE_PENDING);
		if (d->kind == SES_DEST_CLOUDWATCH)
			for (size_t k = 0; k < d->n_dims; k++) {
				snprintf(value, sizeof(value), "%s = %s, default %s", d->dims[k].name,
					 d->dims[k].source ? d->dims[k].source : "?",
					 d->dims[k].default_value ? d->dims[k].default_value : "-");
				pane_detail_add(p, "", value, SES_STATE_NONE);
			}
		else
			pane_detail_add(p, "", d->arn ? d->arn : "-", SES_STATE_NONE);
	}
}

static void add_rate_rows(struct pane *p, const struct stream *x)
{
	char v[160];

	if (!x->has_rates && x->set.reputation_metrics_enabled) {
		pane_detail_add(p, "rates", "no reputation data cached yet: press r",
				SES_STATE_PENDING);
		return;
	}
	if (!x->has_rates) { /* never a 0 %: say why there is none, and the command (y copies) */
		pane_detail_add(p, "rates", "none: reputation metrics are off", SES_STATE_PENDING);
		snprintf(v, sizeof(v), "sesctl config-set set %s --reputation-metrics on",
			 x->set.name);
		pane_detail_add(p, "turn them on", v, SES_STATE_NONE);
		return;
	}
	snprintf(v, sizeof(v), "%.2f%%  %s", 100 * x->bounce_rate,
		 health_level_word(health_level(HEALTH_BOUNCE, x->bounce_rate)));
	pane_detail_add(p, "bounce rate", v, rate_state(x, 0));
	snprintf(v, sizeof(v), "%.3f%%  %s", 100 * x->complaint_rate,
		 health_level_word(health_level(HEALTH_COMPLAINT, x->complaint_rate)));
	pane_detail_add(p, "complaint rate", v, rate_state(x, 1));
	if (x->has_counts) {
		snprintf(v, sizeof(v), "%.0f sent, %.0f bounces, %.0f complaints", x->sends_24h,
			 x->bounces_24h, x->complaints_24h);
		pane_detail_add(p, "last 24 h", v, SES_STATE_NONE);
	}
}

static void open_set(struct pane *p, struct tui *tui)
{
	struct st_priv *pv = priv_of(p);
	const struct stream *x = selected(p);
	const struct ses_config_set *c;
	char title[160], v[512];

	if (!x) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no configuration set selected");
		return;
	}
	c = &x->set;
	series_clear(pv);
	load_series(tui, c->name, "Reputation.BounceRate", &pv->bounce, pv->s.at);
	load_series(tui, c->name, "Reputation.ComplaintRate", &pv->complaint, pv->s.at);
	pv->n_series = SERIES_HOURS;
	snprintf(title, sizeof(title), "Configuration set %s  P pause/resume  Esc back", c->name);
	pane_detail_open(p, title);
	pane_detail_add(p, "sending", c->sending_enabled ? "enabled" : "PAUSED",
			c->sending_enabled ? SES_STATE_OK : SES_STATE_FAILED);
	if (!c->sending_enabled)
		pane_detail_paused_by(p, tui, CT_RES_CONFIG_SET, c->name);
	pane_detail_last_change(p, tui, CT_RES_CONFIG_SET, c->name);
	add_rate_rows(p, x);
	if (c->dests_known)
		pane_detail_add(p, "feedback",
				x->no_bounce_dest && x->no_complaint_dest
					? "no destination receives bounces or complaints"
				: x->no_bounce_dest ? "no destination receives bounces"
				: x->no_complaint_dest ? "no destination receives complaints"
						       : "bounces and complaints reach a destination",
				x->no_bounce_dest || x->no_complaint_dest ? SES_STATE_FAILED
									  : SES_STATE_OK);
	add_dests(p, c);
	pane_detail_add(p, "reputation metrics", c->reputation_metrics_enabled ? "on" : "off",
			SES_STATE_NONE);
	snprintf(v, sizeof(v), "%s%s%s", c->tls_policy ? c->tls_policy : "OPTIONAL",
		 c->sending_pool ? ", pool " : "", c->sending_pool ? c->sending_pool : "");
	pane_detail_add(p, "TLS, dedicated pool", v, SES_STATE_NONE);
	if (c->max_delivery_seconds)
		snprintf(v, sizeof(v), "%ld s", c->max_delivery_seconds);
	pane_detail_add(p, "max delivery", c->max_delivery_seconds ? v : "SES default",
			SES_STATE_NONE);
	snprintf(v, sizeof(v), "%s%s%s", c->tracking_domain ? c->tracking_domain : "SES's",
		 c->https_policy ? ", HTTPS " : "", c->https_policy ? c->https_policy : "");
	pane_detail_add(p, "tracking domain", v, SES_STATE_NONE);
	if (c->suppression_set) {
		size_t len = 0;

		v[0] = '\0';
		for (size_t i = 0; i < c->n_suppressed_reasons && len < sizeof(v); i++)
			len += (size_t)snprintf(v + len, sizeof(v) - len, "%s%s", i ? ", " : "",
						c->suppressed_reasons[i]);
		pane_detail_add(p, "suppression", len ? v : "none", SES_STATE_NONE);
	} else {
		pane_detail_add(p, "suppression", "the account's", SES_STATE_NONE);
	}
	if (c->validation_enabled) {
		snprintf(v, sizeof(v), "%s %s", c->validation_enabled,
			 c->validation_threshold ? c->validation_threshold : "");
		pane_detail_add(p, "auto validation", v, SES_STATE_NONE);
	}
	snprintf(v, sizeof(v), "engagement %s, optimized delivery %s",
		 c->vdm_engagement ? c->vdm_engagement : "account's",
		 c->vdm_optimized_delivery ? c->vdm_optimized_delivery : "account's");
	pane_detail_add(p, "VDM", v, SES_STATE_NONE);
	pane_detail_add(p, "archive", c->archive_arn ? c->archive_arn : "-", SES_STATE_NONE);
	for (size_t i = 0; i < c->n_tags; i++) {
		snprintf(v, sizeof(v), "%s=%s", c->tags[i].key, c->tags[i].value ? c->tags[i].value : "");
		pane_detail_add(p, i ? "" : "tags", v, SES_STATE_NONE);
	}
}

/* Title, then the two rate charts (when the set has rates and there is room), then the
 * settings. */
static int st_draw_detail(struct pane *p, struct tui *tui, int y, int h)
{
	struct st_priv *pv = priv_of(p);
	const struct stream *x = selected(p);
	int ch = (h - 3) / 4;

	pane_draw_detail_title(p, tui, y);
	y++;
	h--;
	if (x && x->has_rates && pv->n_series && ch >= 2) {
		if (ch > 8)
			ch = 8;
		ui_put(&tui->ui, y, 0, COLS, " bounce rate, 14 days (hourly)", THEME_COL_HEADER);
		chart_rates_draw(tui, y + 1, ch, pv->bounce, pv->n_series, HEALTH_BOUNCE);
		ui_put(&tui->ui, y + 1 + ch, 0, COLS, " complaint rate, 14 days (hourly)",
		       THEME_COL_HEADER);
		chart_rates_draw(tui, y + 2 + ch, ch, pv->complaint, pv->n_series,
				 HEALTH_COMPLAINT);
		y += 2 * ch + 2;
		h -= 2 * ch + 2;
	}
	return table_draw(&p->detail, &tui->ui, y, 0, h, COLS);
}

static enum req st_request(struct pane *p, struct tui *tui, enum req req)
{
	const struct stream *x;

	switch (req) {
	case REQ_ENTER:
		if (pane_in_detail(p))
			return REQ_NONE;
		open_set(p, tui);
		return REQ_NONE;
	case REQ_PAUSE:
		x = selected(p);
		if (!x) {
			ui_toast(&tui->ui, UI_TOAST_INFO, "no configuration set selected");
			return REQ_NONE;
		}
		pausing_toggle(tui, x->set.name, !x->set.sending_enabled);
		return REQ_NONE;
	default:
		return req;
	}
}

static size_t st_words(struct pane *p, const char *prefix, const char **out, size_t max)
{
	const struct st_priv *pv = p->priv;
	size_t n = 0;

	for (size_t i = 0; pv && i < pv->s.n && n < max; i++)
		if (!strncmp(pv->s.v[i].set.name, prefix, strlen(prefix)))
			out[n++] = pv->s.v[i].set.name;
	return n;
}

static void st_select(struct pane *p, struct tui *tui)
{
	const struct stream *x = selected(p);

	if (x)
		tui_set_var(tui, "config_set", x->set.name);
}

static void st_done(struct pane *p)
{
	struct st_priv *pv = p->priv;

	if (!pv)
		return;
	streams_free(&pv->s);
	series_clear(pv);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_streams_ops = {
	.name = "streams",
	.title = "Streams",
	.short_title = "Strm",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH,
	.cache_kind = CACHE_KIND_CONFIG_SETS,
	.cols = cols,
	.ncols = SC_N,
	.empty = "no configuration sets cached; press r to refresh",
	.load = st_load,
	.draw = st_draw,
	.draw_detail = st_draw_detail,
	.request = st_request,
	.words = st_words,
	.select = st_select,
	.done = st_done,
};

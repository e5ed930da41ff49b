/* The Fleet pane: every (AWS profile, region) cell of the fleet on one screen, worst first —
 * errors, SHUTDOWN, paused, PROBATION, over a line — each with the reason in words. Read
 * from the cells' summaries (a few hundred rows, however many identities are cached).
 * Enter switches the whole console to the cell (as :profile and :region do), Esc or F
 * brings the fleet back, r reads every cell again (sesctl sync --fleet, summaries first),
 * y copies the cell's --profile P --region R. */
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/core/core.h"
#include "sesctl/core/fleet.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"

enum fl_col { FC_CELL, FC_ACCOUNT, FC_HEALTH, FC_SENDING, FC_BOUNCE, FC_COMPLAINT, FC_QUOTA,
	      FC_IDS, FC_AGE, FC_WHY, FC_N };

static const struct table_col cols[FC_N] = {
	{"profile/region", 22, TCOL_MIDDLE | TCOL_FIT},
	{"account", 12, TCOL_DROP},
	{"health", 11, TCOL_KEY},
	{"sending", 7, 0},
	{"bounce", 7, TCOL_RIGHT},
	{"complaint", 9, TCOL_RIGHT},
	{"quota", 5, TCOL_RIGHT | TCOL_DROP},
	{"ids/pend/fail", 13, TCOL_DROP},
	{"age", 5, TCOL_RIGHT},
	{"why", 12, TCOL_FLEX},
};

static enum ses_state look_of(enum fleet_health h)
{
	switch (h) {
	case FLEET_ERROR:
	case FLEET_SHUTDOWN:
	case FLEET_PAUSED:
		return SES_STATE_FAILED;
	case FLEET_PROBATION:
	case FLEET_OVER_LINE:
		return SES_STATE_TEMPFAIL;
	case FLEET_WARNING:
	case FLEET_UNREAD:
		return SES_STATE_PENDING;
	case FLEET_HEALTHY:
		break;
	}
	return SES_STATE_OK;
}

static struct fleet_view *view_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct fleet_view));
	return p->priv;
}

static void pct(char *out, size_t n, double rate, int digits)
{
	if (isnan(rate))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.*f%%", digits, rate * 100);
}

static void add_row(struct pane *p, struct tui *tui, const struct fleet_row *r, size_t i)
{
	const struct cache_cell_summary *s = &r->sum;
	enum ses_state look = look_of(r->health);
	enum ses_state states[FC_N] = {[FC_HEALTH] = look};
	char cell[200], health[48], bounce[16], compl[16], quota[16], ids[48], when[32];
	const char *cells[FC_N];
	struct table_row *row;

	snprintf(cell, sizeof(cell), "%s %s", r->profile, r->region ? r->region : "-");
	snprintf(health, sizeof(health), "%s %s", theme_state_glyph(look, tui->ui.ascii),
		 fleet_health_word(r->health));
	pct(bounce, sizeof(bounce), r->has_sum ? s->bounce_rate : NAN, 2);
	pct(compl, sizeof(compl), r->has_sum ? s->complaint_rate : NAN, 3);
	pct(quota, sizeof(quota), r->has_sum && s->max24 > 0 && s->sent24 >= 0
				      ? s->sent24 / s->max24 : NAN, 0);
	if (r->has_sum && s->identities >= 0)
		snprintf(ids, sizeof(ids), "%ld/%ld/%ld", s->identities, s->pending, s->failed);
	else
		snprintf(ids, sizeof(ids), "-");
	fleet_age_words(when, sizeof(when), r->has_sum ? s->data_time : 0, tui->now);
	if (r->has_sum && s->sending_enabled == 0)
		states[FC_SENDING] = SES_STATE_FAILED;
	if (r->has_sum && !isnan(s->bounce_rate) && s->bounce_rate >= 0.05)
		states[FC_BOUNCE] = SES_STATE_FAILED;
	if (r->has_sum && !isnan(s->complaint_rate) && s->complaint_rate >= 0.001)
		states[FC_COMPLAINT] = SES_STATE_FAILED;
	cells[FC_CELL] = cell;
	cells[FC_ACCOUNT] = r->account_id ? r->account_id : "-";
	cells[FC_HEALTH] = health;
	cells[FC_SENDING] = !r->has_sum || s->sending_enabled < 0 ? "-"
			    : s->sending_enabled ? "on" : "PAUSED";
	cells[FC_BOUNCE] = bounce;
	cells[FC_COMPLAINT] = compl;
	cells[FC_QUOTA] = quota;
	cells[FC_IDS] = ids;
	cells[FC_AGE] = when;
	cells[FC_WHY] = r->why;
	row = table_add(&p->list, i, r->health < FLEET_WARNING ? look : SES_STATE_NONE, cells,
			states);
	row->id = table_id_of(cell);
	row->key = FLEET_HEALTHY - r->health;
}

static enum sc_status fl_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct fleet_view *v = view_of(p);
	time_t oldest = 0;
	enum sc_status st;

	fleet_view_free(v);
	tui->fleet_cells = tui->fleet_trouble = 0;
	if (!tui->fleet_on)
		return SC_OK;
	st = fleet_view_load(tui->core, tui->fleet_name, v, err);
	if (st)
		return st;
	for (size_t i = 0; i < v->n; i++) {
		/* the last attempt: a cell that keeps failing is not read again at every start */
		time_t t = v->rows[i].has_sum ? v->rows[i].sum.data_time : 0;

		if (v->rows[i].error_at > t)
			t = v->rows[i].error_at;

		add_row(p, tui, &v->rows[i], i);
		if (!i || t < oldest)
			oldest = t;
	}
	tui->fleet_cells = v->n;
	tui->fleet_trouble = v->trouble;
	tui->fleet_oldest = oldest;
	return SC_OK;
}

static const struct fleet_row *selected(const struct pane *p)
{
	const struct fleet_view *v = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return v && r && r->ref < v->n ? &v->rows[r->ref] : NULL;
}

static int fl_draw(struct pane *p, struct tui *tui, int y, int h)
{
	const struct fleet_view *v = view_of(p);
	char line[400];

	if (!tui->fleet_on)
		snprintf(line, sizeof(line), " No fleet: add [fleet] with profiles = prod-*, ... to "
					     "the sesctl config (sesctl(1), FLEET)");
	else if (v->trouble)
		snprintf(line, sizeof(line), " %zu of %zu cells in trouble   Enter opens a cell   "
					     "r reads them all   y copies --profile --region",
			 v->trouble, v->n);
	else
		snprintf(line, sizeof(line), " %zu cells, none in trouble   Enter opens a cell   r "
					     "reads them all", v->n);
	ui_put(&tui->ui, y, 0, COLS, line, v->trouble ? THEME_STATE_FAILED : THEME_COL_HEADER);
	return table_draw(&p->list, &tui->ui, y + 1, 0, h - 1, COLS);
}

/* Enter: the whole console moves to the cell; Esc or F comes back. The switch reloads this
 * pane (r is freed then): what is needed after it is copied first. */
static void open_cell(struct tui *tui, const struct fleet_row *r)
{
	char cmd[600], profile[256], region[64], account[32], why[160];
	bool trouble = r->health < FLEET_WARNING;

	if (!r->region) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s has no region: %s", r->profile, r->why);
		return;
	}
	snprintf(profile, sizeof(profile), "%s", r->profile);
	snprintf(region, sizeof(region), "%s", r->region);
	snprintf(account, sizeof(account), "%s", r->account_id ? r->account_id : "account not read");
	snprintf(why, sizeof(why), "%s", r->why);
	if (!tui->core->opt.profile || strcmp(tui->core->profile, profile)) {
		snprintf(cmd, sizeof(cmd), "profile %s", profile);
		tui_command(tui, cmd);
		if (!tui->core->profile || strcmp(tui->core->profile, profile))
			return; /* the switch said why it failed */
	}
	snprintf(cmd, sizeof(cmd), "region %s", region);
	tui_command(tui, cmd);
	tui_focus(tui, PANE_ACCOUNT);
	ui_toast(&tui->ui, trouble ? UI_TOAST_WARN : UI_TOAST_INFO,
		 "%s %s (%s): %s   Esc or F: back to the fleet", profile, region, account, why);
}

static enum req fl_request(struct pane *p, struct tui *tui, enum req req)
{
	const struct fleet_row *r;

	switch (req) {
	case REQ_ENTER:
		r = selected(p);
		if (!r)
			ui_toast(&tui->ui, UI_TOAST_INFO, "no cell selected");
		else
			open_cell(tui, r);
		return REQ_NONE;
	case REQ_FLEET:
		return REQ_NONE; /* already here */
	default:
		return req;
	}
}

static enum sc_status fl_yank(struct pane *p, struct tui *tui, struct buf *out,
			      struct sc_error *err)
{
	const struct fleet_row *r = selected(p);

	(void)tui;
	if (!r || !r->region)
		return sc_fail(err, SC_NOT_FOUND, "no cell selected");
	buf_printf(out, "--profile %s --region %s", r->profile, r->region);
	return SC_OK;
}

static size_t fl_words(struct pane *p, const char *prefix, const char **out, size_t max)
{
	const struct fleet_view *v = p->priv;
	size_t n = 0;

	for (size_t i = 0; v && i < v->n && n < max; i++)
		if (!strncmp(v->rows[i].profile, prefix, strlen(prefix)))
			out[n++] = v->rows[i].profile;
	return n;
}

static void fl_done(struct pane *p)
{
	if (!p->priv)
		return;
	fleet_view_free(p->priv);
	free(p->priv);
	p->priv = NULL;
}

const struct pane_ops pane_fleet_ops = {
	.name = "fleet",
	.title = "Fleet",
	.short_title = "Flt",
	.flags = PANE_FILTER | PANE_SORT | PANE_ON_DEMAND,
	.cache_kind = -1,
	.cols = cols,
	.ncols = FC_N,
	.empty = "no cells: the fleet matches no AWS profile",
	.load = fl_load,
	.draw = fl_draw,
	.request = fl_request,
	.yank = fl_yank,
	.words = fl_words,
	.done = fl_done,
};

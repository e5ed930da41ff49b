/* The Events pane: who bounced, complained or received, newest first, from the events the
 * taps brought into the cache (sesctl events tap). w follows: the taps are read every few
 * seconds in a child (tui_follow) and new rows appear while the operator watches; v
 * cycles the type shown; / filters by recipient, domain, identity or reason; Enter shows
 * one event whole; y copies the recipient (or, in the detail, the selected value). Above
 * the table: the top bounce reasons and recipient domains of the rows shown. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/core/events.h"
#include "sesctl/core/sync.h"
#include "sesctl/ses/events.h"
#include "sesctl/store/db.h"
#include "sesctl/store/feedback.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"
#include "sesctl/tui/refresh.h"

enum ev_col { EC_TIME, EC_TYPE, EC_SUBTYPE, EC_RCPT, EC_STATUS, EC_DIAG, EC_IDENTITY, EC_N };

static const struct table_col cols[EC_N] = {
	{"time", 11, TCOL_KEY},
	{"type", 9, 0},
	{"subtype", 12, TCOL_MIDDLE | TCOL_FIT},
	{"recipient", 20, TCOL_MIDDLE | TCOL_FIT},
	{"status", 6, 0},
	{"diagnostic", 14, TCOL_FLEX},
	{"identity", 12, TCOL_MIDDLE | TCOL_FIT},
};

/* v cycles these: every type, then one at a time */
static const unsigned type_views[] = {0, 1u << SES_EV_BOUNCE, 1u << SES_EV_COMPLAINT,
				      1u << SES_EV_DELIVERY};
static const char *const type_view_names[] = {"all types", "bounces", "complaints",
					      "deliveries"};
#define N_VIEWS (sizeof(type_views) / sizeof(type_views[0]))

#define EVENTS_SHOWN 2000

struct ev_priv {
	struct ses_events evs;
	size_t n_taps;
	size_t view;
	char top_reasons[400], top_domains[400];
};

static struct ev_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct ev_priv));
	return p->priv;
}

static enum ses_state type_state(enum ses_ev_type t)
{
	switch (t) {
	case SES_EV_BOUNCE:
	case SES_EV_COMPLAINT:
	case SES_EV_REJECT:
	case SES_EV_RENDERING_FAILURE:
		return SES_STATE_FAILED;
	case SES_EV_DELIVERY_DELAY:
		return SES_STATE_TEMPFAIL;
	case SES_EV_DELIVERY:
		return SES_STATE_OK;
	default:
		return SES_STATE_NONE;
	}
}

static void add_row(struct pane *p, const struct ses_event *e, size_t i, time_t now)
{
	enum ses_state states[EC_N] = {0};
	char when[32];
	const char *cells[EC_N];
	struct table_row *r;
	struct tm tm;

	when[0] = '-';
	when[1] = '\0';
	if (e->time) {
		gmtime_r(&e->time, &tm);
		/* today's rows show the time, older ones the date too */
		strftime(when, sizeof(when), now - e->time < 86400 ? "%H:%M:%S" : "%m-%d %H:%M", &tm);
	}
	states[EC_TYPE] = type_state(e->type);
	cells[EC_TIME] = when;
	cells[EC_TYPE] = ses_ev_name(e->type);
	cells[EC_SUBTYPE] = e->subtype ? e->subtype : "-";
	cells[EC_RCPT] = e->recipient ? e->recipient : "-";
	cells[EC_STATUS] = e->status ? e->status : "-";
	cells[EC_DIAG] = e->diagnostic ? e->diagnostic : "";
	cells[EC_IDENTITY] = e->identity ? e->identity : "-";
	r = table_add(&p->list, i, states[EC_TYPE], cells, states);
	r->key = (int64_t)e->time;
	r->id = table_id_of(e->sns_message_id ? e->sns_message_id : e->message_id ? e->message_id : "");
	r->id ^= (uint64_t)i * 0x9e3779b97f4a7c15ull; /* one message, many recipients */
	if (e->config_set)
		table_row_search_extra(r, e->config_set);
}

/* "550 5.1.1 user unknown ×12, …" from the rows shown. */
static void top_of(const struct ses_events *evs, bool domains, char *out, size_t size)
{
	struct events_tally top[3];
	size_t n = events_top(evs, domains, top, 3), len = 0;

	out[0] = '\0';
	for (size_t r = 0; r < n && len < size; r++)
		len += (size_t)snprintf(out + len, size - len, "%s%s ×%zu", r ? ", " : "", top[r].key,
					top[r].n);
}

static enum sc_status ev_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct ev_priv *pv = priv_of(p);
	struct cache_event_query q = {.types = type_views[pv->view], .limit = EVENTS_SHOWN};
	struct cache_tap *taps = NULL;
	const char *region = tui_region(tui);
	enum sc_status st;

	ses_events_free(&pv->evs);
	pv->n_taps = 0;
	pv->top_reasons[0] = pv->top_domains[0] = '\0';
	if (!tui->cache || !tui->account_id || !*region)
		return SC_OK;
	st = cache_get_taps(tui->cache, tui->account_id, region, &taps, &pv->n_taps, err);
	cache_taps_free(taps, pv->n_taps);
	if (!st)
		st = cache_get_events(tui->cache, tui->account_id, region, &q, &pv->evs, err);
	if (st)
		return st;
	p->list.empty = pv->n_taps ? "no events yet: w follows the tap, r reads it once"
				   : "no tap: `:events tap --topic ARN` subscribes a queue of sesctl's "
				     "own to a feedback topic (see `sesctl feedback` for the topics)";
	for (size_t i = 0; i < pv->evs.n; i++)
		add_row(p, &pv->evs.v[i], i, tui->now ? tui->now : time(NULL));
	top_of(&pv->evs, false, pv->top_reasons, sizeof(pv->top_reasons));
	top_of(&pv->evs, true, pv->top_domains, sizeof(pv->top_domains));
	return SC_OK;
}

static int ev_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct ev_priv *pv = priv_of(p);
	bool following = tui->follow.kinds && tui->follow.pane == PANE_EVENTS;
	char line[700], last[32] = "";

	if (following && tui->follow.last) {
		struct tm tm;

		gmtime_r(&tui->follow.last, &tm);
		strftime(last, sizeof(last), ", read %H:%M:%S", &tm);
	}
	snprintf(line, sizeof(line), " %s%s  %s, %zu shown  %zu tap%s   w %s   v type",
		 following ? "FOLLOWING" : "not following", last, type_view_names[pv->view],
		 pv->evs.n, pv->n_taps, pv->n_taps == 1 ? "" : "s", following ? "stops" : "follows");
	ui_put(&tui->ui, y, 0, COLS, line, following ? THEME_STATE_OK : THEME_COL_HEADER);
	snprintf(line, sizeof(line), " top bounce reasons: %s", *pv->top_reasons ? pv->top_reasons : "-");
	ui_put(&tui->ui, y + 1, 0, COLS, line, THEME_ROW);
	snprintf(line, sizeof(line), " top recipient domains: %s",
		 *pv->top_domains ? pv->top_domains : "-");
	ui_put(&tui->ui, y + 2, 0, COLS, line, THEME_ROW);
	return table_draw(&p->list, &tui->ui, y + 3, 0, h - 3, COLS);
}

static const struct ses_event *selected(struct pane *p)
{
	const struct ev_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && r && r->ref < pv->evs.n ? &pv->evs.v[r->ref] : NULL;
}

static void add_opt(struct pane *p, const char *attr, const char *v)
{
	if (v && *v)
		pane_detail_add(p, attr, v, SES_STATE_NONE);
}

static void open_event(struct pane *p)
{
	const struct ses_event *e = selected(p);
	char title[300], when[40] = "-";
	struct tm tm;

	if (!e)
		return;
	if (e->time) {
		gmtime_r(&e->time, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S UTC", &tm);
	}
	snprintf(title, sizeof(title), "%s %s  Esc back", ses_ev_name(e->type),
		 e->recipient ? e->recipient : "");
	pane_detail_open(p, title);
	pane_detail_add(p, "type", ses_ev_word(e->type), type_state(e->type));
	add_opt(p, "subtype", e->subtype);
	pane_detail_add(p, "time", when, SES_STATE_NONE);
	add_opt(p, "recipient", e->recipient);
	add_opt(p, "status", e->status);
	add_opt(p, "diagnostic", e->diagnostic);
	add_opt(p, "reporting MTA", e->reporting_mta);
	add_opt(p, "remote MTA IP", e->remote_mta_ip);
	add_opt(p, "source", e->source);
	add_opt(p, "identity", e->identity);
	add_opt(p, "configuration set", e->config_set);
	add_opt(p, "subject", e->subject);
	add_opt(p, "message id", e->message_id);
	add_opt(p, "feedback id", e->feedback_id);
	add_opt(p, "topic", e->topic_arn);
	pane_detail_add(p, "schema", e->published ? "event publishing (configuration set)"
						  : "identity notification",
			SES_STATE_NONE);
}

static enum req ev_request(struct pane *p, struct tui *tui, enum req req)
{
	struct ev_priv *pv = priv_of(p);
	struct sc_error err;

	switch (req) {
	case REQ_ENTER:
		if (!pane_in_detail(p))
			open_event(p);
		return REQ_NONE;
	case REQ_FOLLOW:
		if (tui->follow.kinds) {
			tui_follow(tui, 0, 0);
			ui_toast(&tui->ui, UI_TOAST_INFO, "follow stopped");
		} else if (tui->core->opt.offline) {
			ui_toast(&tui->ui, UI_TOAST_WARN, "--offline: follow needs the network");
		} else {
			tui_follow(tui, PANE_EVENTS, 1u << SYNC_EVENTS);
			ui_toast(&tui->ui, UI_TOAST_INFO, "following the taps every %d s (w stops)",
				 TUI_FOLLOW_PAUSE_S);
		}
		return REQ_NONE;
	case REQ_EVENT_TYPE:
		pv->view = (pv->view + 1) % N_VIEWS;
		sc_error_clear(&err);
		pane_load(p, tui, &err);
		return REQ_NONE;
	default:
		return req;
	}
}

static enum sc_status ev_yank(struct pane *p, struct tui *tui, struct buf *out,
			      struct sc_error *err)
{
	const struct ses_event *e;
	const struct table_row *r;

	(void)tui;
	if (pane_in_detail(p)) {
		r = table_selected(&p->detail);
		if (!r || !*r->cells[1])
			return sc_fail(err, SC_NOT_FOUND, "nothing selected");
		buf_puts(out, r->cells[1]);
		return SC_OK;
	}
	e = selected(p);
	if (!e || !e->recipient)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	buf_puts(out, e->recipient);
	return SC_OK;
}

static void ev_done(struct pane *p)
{
	struct ev_priv *pv = p->priv;

	if (!pv)
		return;
	ses_events_free(&pv->evs);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_events_ops = {
	.name = "events",
	.title = "Events",
	.short_title = "Evt",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH | PANE_ON_DEMAND,
	.cache_kind = CACHE_KIND_EVENTS,
	.cols = cols,
	.ncols = EC_N,
	.empty = "no events cached: sesctl events tap --topic ARN, then w follows",
	.load = ev_load,
	.draw = ev_draw,
	.request = ev_request,
	.yank = ev_yank,
	.done = ev_done,
};

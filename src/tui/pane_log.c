/* The Log pane: the audit trail (every change attempted, allowed or refused, with the exact
 * sesctl command that repeats it; y copies it), the API call log (operation, status,
 * latency, retries, request id) and the team's history (every change to the account from
 * CloudTrail, whoever made it with whatever tool, merged with the local trail; each row
 * says where it comes from). Three sections, h/l switch; Enter opens an entry. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/history.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/calls.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"

#define LOG_AUDIT_MAX 1000
#define LOG_CALLS_MAX 1000
#define LOG_TEAM_MAX 2000

enum log_section { LOG_AUDIT, LOG_CALLS, LOG_TEAM, LOG_SECTION_COUNT };

static const char *const section_titles[LOG_SECTION_COUNT] = {"Audit trail", "API calls",
							      "Team"};

static const struct table_col audit_cols[] = {
	{"time", 17, 0},
	{"user", 8, 0},
	{"result", 9, 0},
	{"command", 30, TCOL_FLEX},
};

static const struct table_col call_cols[] = {
	{"time", 9, 0},
	{"region", 14, 0},
	{"operation", 26, 0},
	{"ms", 6, TCOL_RIGHT | TCOL_KEY},
	{"retry", 5, TCOL_RIGHT},
	{"status", 12, TCOL_FLEX},
	{"request id", 36, 0},
};

static const struct table_col team_cols[] = {
	{"time", 17, 0},
	{"who", 14, TCOL_FIT},
	{"tool", 8, TCOL_DROP},
	{"op", 7, TCOL_DROP},
	{"what", 16, TCOL_FLEX},
	{"reason", 18, TCOL_FIT},
	{"source", 10, 0},
};

struct log_priv {
	enum log_section section;
	struct table calls;          /* p->list is the audit trail */
	struct table team;
	struct history_rows rows;
	struct audit_entry *audit;
	size_t n_audit;
	struct cache_call *call_v;
	size_t n_calls;
};

static void fmt_time(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%MZ", &tm);
}

/* Calls are recent: the time of day is enough in the list (the detail has the date). */
static void fmt_clock(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%H:%M:%SZ", &tm);
}

static struct table *section_table(struct pane *p, struct log_priv *pv)
{
	return pv->section == LOG_CALLS ? &pv->calls : pv->section == LOG_TEAM ? &pv->team : &p->list;
}

static void priv_clear(struct log_priv *pv)
{
	audit_entries_free(pv->audit, pv->n_audit);
	cache_calls_free(pv->call_v, pv->n_calls);
	history_rows_free(&pv->rows);
	pv->audit = NULL;
	pv->call_v = NULL;
	pv->n_audit = pv->n_calls = 0;
}

static struct log_priv *priv_of(struct pane *p)
{
	struct log_priv *pv = p->priv;

	if (pv)
		return pv;
	pv = p->priv = xcalloc(1, sizeof(*pv));
	table_init(&pv->calls, call_cols, sizeof(call_cols) / sizeof(call_cols[0]),
		   p->list.text_flags);
	pv->calls.empty = "no API calls logged yet";
	table_init(&pv->team, team_cols, sizeof(team_cols) / sizeof(team_cols[0]),
		   p->list.text_flags);
	pv->team.empty = "no changes known: r reads the account's CloudTrail history";
	return pv;
}

static enum ses_state result_state(enum audit_result r)
{
	return r == AUDIT_RESULT_OK ? SES_STATE_OK
	       : r == AUDIT_RESULT_STARTED ? SES_STATE_PENDING /* its outcome is the row above */
	       : r == AUDIT_RESULT_REFUSED ? SES_STATE_TEMPFAIL
	       : r == AUDIT_RESULT_CANCELLED ? SES_STATE_NONE /* nothing happened, by choice */
					     : SES_STATE_FAILED;
}

static void load_audit(struct pane *p, struct tui *tui, struct log_priv *pv)
{
	for (size_t i = 0; i < pv->n_audit; i++) {
		const struct audit_entry *e = &pv->audit[i];
		enum ses_state st = result_state(e->result);
		enum ses_state states[4] = {SES_STATE_NONE, SES_STATE_NONE, st};
		char when[32], result[32];
		const char *cells[4] = {when, e->os_user, result, e->command};

		fmt_time(when, sizeof(when), e->time);
		/* glyph and word: colour is never the only carrier */
		snprintf(result, sizeof(result), "%s %s", theme_state_glyph(st, tui->ui.ascii),
			 audit_result_name(e->result));
		table_add(&p->list, i, st, cells, states)->id = (uint64_t)e->id;
	}
}

static void load_calls(struct tui *tui, struct log_priv *pv)
{
	table_clear(&pv->calls);
	for (size_t i = 0; i < pv->n_calls; i++) {
		const struct cache_call *c = &pv->call_v[i];
		bool ok = c->status && !strcmp(c->status, "OK");
		enum ses_state st = ok ? SES_STATE_NONE : SES_STATE_FAILED;
		char when[32], status[64], ms[24], retries[16];
		const char *cells[7] = {when, c->region && *c->region ? c->region : "-",
					c->operation, ms, retries, status,
					c->request_id ? c->request_id : "-"};
		struct table_row *r;

		fmt_clock(when, sizeof(when), c->time);
		if (c->http_status)
			snprintf(status, sizeof(status), "%s%s%ld",
				 ok ? "" : theme_state_glyph(st, tui->ui.ascii), ok ? "" : " ",
				 c->http_status);
		else
			snprintf(status, sizeof(status), "%s %s",
				 theme_state_glyph(st, tui->ui.ascii), c->status ? c->status : "?");
		if (!ok && c->error_code && *c->error_code)
			snprintf(status + strlen(status), sizeof(status) - strlen(status), " %s",
				 c->error_code);
		snprintf(ms, sizeof(ms), "%lld", (long long)c->latency_ms);
		snprintf(retries, sizeof(retries), "%d", c->retries);
		r = table_add(&pv->calls, i, st, cells, NULL);
		r->key = c->latency_ms;
		r->id = (uint64_t)c->id;
	}
	table_update(&pv->calls);
}

static void load_team(struct tui *tui, struct log_priv *pv)
{
	table_clear(&pv->team);
	for (size_t i = 0; i < pv->rows.n; i++) {
		const struct history_row *h = &pv->rows.v[i];
		const struct ct_event *e = &h->ev;
		/* a local change CloudTrail was read after and does not show (yet) */
		bool lagging = h->source == HISTORY_LOCAL && h->ct_read >= e->time;
		enum ses_state st = e->error_code       ? SES_STATE_FAILED
				    : lagging            ? SES_STATE_PENDING
				    : e->op == CT_OP_PAUSE ? SES_STATE_TEMPFAIL
							   : SES_STATE_NONE;
		enum ses_state states[7] = {0};
		char when[32], what[600], source[32];
		const char *who = h->source == HISTORY_LOCAL ? h->local_user : e->who;
		const char *cells[7] = {when, who ? who : "?", ct_tool_name(e->tool),
					ct_op_name(e->op), what, e->reason ? e->reason : "", source};

		fmt_time(when, sizeof(when), e->time);
		/* a failure leads, with its glyph: it is what a reader must not miss */
		snprintf(what, sizeof(what), "%s%s%s%s%s%s",
			 e->error_code ? theme_state_glyph(SES_STATE_FAILED, tui->ui.ascii) : "",
			 e->error_code ? " " : "", e->error_code ? e->error_code : "",
			 e->error_code ? " " : "", e->event_name ? e->event_name : "?",
			 e->resource ? " " : "");
		if (e->resource)
			snprintf(what + strlen(what), sizeof(what) - strlen(what), "%s", e->resource);
		states[4] = e->error_code ? SES_STATE_FAILED : SES_STATE_NONE;
		/* a lagging row says so with a glyph and a word, not a colour alone */
		snprintf(source, sizeof(source), "%s%s%s",
			 lagging ? theme_state_glyph(SES_STATE_PENDING, tui->ui.ascii) : "",
			 lagging ? " " : "", history_source_name(h->source));
		states[6] = lagging ? SES_STATE_PENDING : SES_STATE_NONE;
		table_add(&pv->team, i, st, cells, states);
	}
	table_update(&pv->team);
}

static enum sc_status log_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct log_priv *pv = priv_of(p);
	enum sc_status st;

	priv_clear(pv);
	if (!pane_in_detail(p))
		p->shown = section_table(p, pv);
	if (!tui->cache) {
		load_calls(tui, pv);
		load_team(tui, pv);
		return SC_OK;
	}
	st = tui->audit ? audit_list(tui->audit, NULL, LOG_AUDIT_MAX, &pv->audit, &pv->n_audit, err)
			: SC_OK;
	if (!st)
		st = cache_get_calls(tui->cache, LOG_CALLS_MAX, &pv->call_v, &pv->n_calls, err);
	if (!st && tui->account_id) {
		struct history_query q = {.op = -1, .limit = LOG_TEAM_MAX};

		st = history_merged(tui->cache, tui->audit, tui->account_id, tui_region(tui), &q,
				    &pv->rows, err);
	}
	load_audit(p, tui, pv);
	load_calls(tui, pv);
	load_team(tui, pv);
	return st;
}

/* ---- drawing ---- */

static void draw_sections(struct pane *p, struct tui *tui, struct log_priv *pv, int y)
{
	int x = 0;

	ui_put(&tui->ui, y, 0, COLS, "", THEME_TITLE);
	for (int s = 0; s < LOG_SECTION_COUNT && x < COLS; s++) {
		char tab[96];
		int w;

		/* brackets mark the current section, not only the colour */
		snprintf(tab, sizeof(tab), s == (int)pv->section ? "[%s %zu]" : " %s %zu ",
			 section_titles[s],
			 s == LOG_AUDIT ? p->list.nrows : s == LOG_CALLS ? pv->calls.nrows : pv->team.nrows);
		w = (int)strlen(tab);
		if (w > COLS - x)
			w = COLS - x;
		ui_put(&tui->ui, y, x, w, tab,
		       s == (int)pv->section ? THEME_TITLE_FOCUS : THEME_TITLE);
		x += w + 1;
	}
	if (x < COLS)
		ui_put(&tui->ui, y, x, COLS - x,
		       pv->section == LOG_AUDIT   ? "h/l section  Enter entry  y copy the command"
		       : pv->section == LOG_CALLS ? "h/l section  Enter call  y copy the request id"
						  : "h/l section  Enter change  / who or what",
		       THEME_TITLE);
}

static int log_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct log_priv *pv = priv_of(p);

	draw_sections(p, tui, pv, y);
	return table_draw(p->shown, &tui->ui, y + 1, 0, h - 1, COLS);
}

/* ---- requests ---- */

static void add_time(struct pane *p, const char *attr, time_t t)
{
	char when[32];

	fmt_time(when, sizeof(when), t);
	pane_detail_add(p, attr, when, SES_STATE_NONE);
}

static void open_audit(struct pane *p, const struct audit_entry *e)
{
	char n[32];

	snprintf(n, sizeof(n), "%lld", (long long)e->id);
	pane_detail_open(p, "audit entry  y copies a value  Esc back");
	pane_detail_add(p, "command", e->command, SES_STATE_NONE);
	add_time(p, "time", e->time);
	pane_detail_add(p, "result", audit_result_name(e->result), result_state(e->result));
	pane_detail_add(p, "status", e->status, SES_STATE_NONE);
	pane_detail_add(p, "message", e->message ? e->message : "-", SES_STATE_NONE);
	pane_detail_add(p, "reason", e->reason ? e->reason : "-", SES_STATE_NONE);
	if (e->config_set)
		pane_detail_add(p, "configuration set", e->config_set, SES_STATE_NONE);
	pane_detail_add(p, "user", e->os_user, SES_STATE_NONE);
	pane_detail_add(p, "host", e->host, SES_STATE_NONE);
	pane_detail_add(p, "profile", e->profile, SES_STATE_NONE);
	pane_detail_add(p, "account", e->account_id, SES_STATE_NONE);
	pane_detail_add(p, "region", e->region, SES_STATE_NONE);
	pane_detail_add(p, "request id", e->request_id ? e->request_id : "-", SES_STATE_NONE);
	pane_detail_add(p, "entry", n, SES_STATE_NONE);
}

static void open_call(struct pane *p, const struct cache_call *c)
{
	char http[24], ms[24], retries[16];

	snprintf(http, sizeof(http), "%ld", c->http_status);
	snprintf(ms, sizeof(ms), "%lld ms", (long long)c->latency_ms);
	snprintf(retries, sizeof(retries), "%d", c->retries);
	pane_detail_open(p, "API call  y copies a value  Esc back");
	pane_detail_add(p, "operation", c->operation, SES_STATE_NONE);
	pane_detail_add(p, "service", c->service, SES_STATE_NONE);
	pane_detail_add(p, "region", c->region, SES_STATE_NONE);
	add_time(p, "time", c->time);
	pane_detail_add(p, "status", c->status, SES_STATE_NONE);
	pane_detail_add(p, "HTTP status", c->http_status ? http : "no reply", SES_STATE_NONE);
	pane_detail_add(p, "error code", c->error_code && *c->error_code ? c->error_code : "-",
			SES_STATE_NONE);
	pane_detail_add(p, "latency", ms, SES_STATE_NONE);
	pane_detail_add(p, "retries", retries, SES_STATE_NONE);
	pane_detail_add(p, "request id", c->request_id ? c->request_id : "-", SES_STATE_NONE);
}

static void open_change(struct pane *p, const struct history_row *h)
{
	const struct ct_event *e = &h->ev;
	char words[512];

	history_who_words(h, words, sizeof(words));
	pane_detail_open(p, "change  y copies a value  Esc back");
	pane_detail_add(p, "what", e->event_name, e->error_code ? SES_STATE_FAILED : SES_STATE_NONE);
	pane_detail_add(p, "on", e->resource ? e->resource : ct_resource_name(e->resource_kind),
			SES_STATE_NONE);
	add_time(p, "time", e->time);
	pane_detail_add(p, "who", words, SES_STATE_NONE);
	pane_detail_add(p, "reason", e->reason ? e->reason : "-", SES_STATE_NONE);
	pane_detail_add(p, "source", h->source == HISTORY_LOCAL
					 ? "this machine's audit trail (not yet in CloudTrail)"
				     : h->source == HISTORY_BOTH ? "CloudTrail and this machine's audit trail"
								 : "CloudTrail",
			h->source == HISTORY_LOCAL ? SES_STATE_PENDING : SES_STATE_NONE);
	if (h->local_user)
		pane_detail_add(p, "local user", h->local_user, SES_STATE_NONE);
	if (h->command)
		pane_detail_add(p, "command", h->command, SES_STATE_NONE);
	if (h->source != HISTORY_LOCAL) {
		pane_detail_add(p, "principal", ct_principal_name(e->principal), SES_STATE_NONE);
		pane_detail_add(p, "ARN", e->who_arn ? e->who_arn : "-", SES_STATE_NONE);
		pane_detail_add(p, "tool", ct_tool_name(e->tool), SES_STATE_NONE);
		pane_detail_add(p, "user agent", e->user_agent ? e->user_agent : "-", SES_STATE_NONE);
		pane_detail_add(p, "source IP", e->source_ip ? e->source_ip : "-", SES_STATE_NONE);
		pane_detail_add(p, "parameters", e->request_params ? e->request_params : "-",
				SES_STATE_NONE);
		pane_detail_add(p, "event id", e->event_id ? e->event_id : "-", SES_STATE_NONE);
	}
	if (e->error_code) {
		pane_detail_add(p, "error", e->error_code, SES_STATE_FAILED);
		pane_detail_add(p, "error message", e->error_message ? e->error_message : "-",
				SES_STATE_NONE);
	}
	pane_detail_add(p, "request id", e->request_id ? e->request_id : "-", SES_STATE_NONE);
}

static void open_detail(struct pane *p, struct tui *tui, struct log_priv *pv)
{
	const struct table_row *r = table_selected(p->shown);

	if (!r) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "nothing selected");
		return;
	}
	if (pv->section == LOG_AUDIT && r->ref < pv->n_audit)
		open_audit(p, &pv->audit[r->ref]);
	else if (pv->section == LOG_CALLS && r->ref < pv->n_calls)
		open_call(p, &pv->call_v[r->ref]);
	else if (pv->section == LOG_TEAM && r->ref < pv->rows.n)
		open_change(p, &pv->rows.v[r->ref]);
}

static enum req log_request(struct pane *p, struct tui *tui, enum req req)
{
	struct log_priv *pv = priv_of(p);

	switch (req) {
	case REQ_LEFT: case REQ_RIGHT:
		if (pane_in_detail(p))
			return REQ_NONE;
		pv->section = (enum log_section)((pv->section + (req == REQ_LEFT ? LOG_SECTION_COUNT - 1 : 1)) %
						 LOG_SECTION_COUNT);
		p->shown = section_table(p, pv);
		return REQ_NONE;
	case REQ_ENTER:
		if (!pane_in_detail(p))
			open_detail(p, tui, pv);
		return REQ_NONE;
	case REQ_BACK:
		/* out of the detail, back to the section it came from */
		if (pane_in_detail(p) && !p->detail.filter[0]) {
			pane_detail_close(p);
			p->shown = section_table(p, pv);
			return REQ_NONE;
		}
		return req;
	default: return req;
	}
}

/* y: the audit entry's command (what repeats it), a call's request id, or a detail value. */
static enum sc_status log_yank(struct pane *p, struct tui *tui, struct buf *out,
			       struct sc_error *err)
{
	struct log_priv *pv = priv_of(p);
	const struct table_row *r = table_selected(p->shown);

	(void)tui;
	if (!r)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	if (pane_in_detail(p))
		buf_puts(out, r->cells[1]);
	else if (pv->section == LOG_AUDIT && r->ref < pv->n_audit)
		buf_puts(out, pv->audit[r->ref].command);
	else if (pv->section == LOG_CALLS && r->ref < pv->n_calls && pv->call_v[r->ref].request_id)
		buf_puts(out, pv->call_v[r->ref].request_id);
	else if (pv->section == LOG_TEAM && r->ref < pv->rows.n)
		buf_puts(out, pv->rows.v[r->ref].command ? pv->rows.v[r->ref].command
							 : r->cells[4]);
	if (!out->len)
		return sc_fail(err, SC_NOT_FOUND, "nothing to copy");
	return SC_OK;
}

static void log_done(struct pane *p)
{
	struct log_priv *pv = p->priv;

	if (!pv)
		return;
	priv_clear(pv);
	p->shown = &p->list;
	table_free(&pv->calls);
	table_free(&pv->team);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_log_ops = {
	.name = "log",
	.title = "Log",
	.flags = PANE_FILTER | PANE_SORT,
	.cache_kind = -1,
	.cols = audit_cols,
	.ncols = sizeof(audit_cols) / sizeof(audit_cols[0]),
	.empty = "no changes recorded yet (every change made with sesctl lands here)",
	.load = log_load,
	.draw = log_draw,
	.request = log_request,
	.yank = log_yank,
	.done = log_done,
};

/* The pane registry and what every pane shares: detail view, drawing, generic requests. */
#include "sesctl/tui/pane.h"

#include <stdlib.h>
#include <string.h>

#include "sesctl/core/history.h"
#include "sesctl/tui/tui.h"
#include "sesctl/tui/clip.h"
#include "sesctl/util/text.h"

const struct pane_ops *const pane_registry[PANE_COUNT] = {
#define PANE_REG_ROW(id, prefix) [PANE_##id] = &pane_##prefix##_ops,
	PANE_INFO(PANE_REG_ROW)
#undef PANE_REG_ROW
};

static const struct table_col detail_cols[] = {
	{"attribute", 26, 0},
	{"value", 30, TCOL_FLEX},
};

int pane_find(const char *name)
{
	for (int i = 0; i < PANE_COUNT; i++)
		if (!strcmp(pane_registry[i]->name, name))
			return i;
	return -1;
}

static bool list_match(void *ud, const struct table_row *row, const char *needle)
{
	struct pane *p = ud;

	return p->ops->match(p, row, needle);
}

void pane_init(struct pane *p, const struct pane_ops *ops, unsigned text_flags)
{
	memset(p, 0, sizeof(*p));
	p->ops = ops;
	p->shown = &p->list;
	table_init(&p->list, ops->cols, ops->ncols, text_flags);
	if (ops->empty)
		p->list.empty = ops->empty;
	if (ops->match) {
		p->list.match = list_match;
		p->list.match_ud = p;
	}
}

void pane_done(struct pane *p)
{
	if (p->ops && p->ops->done)
		p->ops->done(p);
	table_free(&p->list);
	table_free(&p->detail);
}

enum sc_status pane_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	enum sc_status st;

	table_clear(&p->list);
	p->partial = false;
	st = p->ops->load(p, tui, err);
	p->loaded = true;
	p->vars_gen = tui->vars_gen;
	table_update(&p->list);
	return st;
}

void pane_detail_open(struct pane *p, const char *title)
{
	table_free(&p->detail);
	table_init(&p->detail, detail_cols, 2, p->list.text_flags);
	p->detail.empty = "no attributes";
	snprintf(p->detail_title, sizeof(p->detail_title), "%s", title ? title : "");
	p->shown = &p->detail;
}

void pane_detail_last_change(struct pane *p, struct tui *tui, enum ct_resource kind,
			     const char *name)
{
	struct history_query q = {.op = -1, .resource = name, .limit = 20};
	struct history_rows rows = {0};
	char when[32], who[512], line[1400];
	const struct history_row *h = NULL;
	struct tm tm;

	if (!tui->cache || !tui->account_id || !name)
		return;
	if (history_merged(tui->cache, tui->audit, tui->account_id, tui_region(tui), &q, &rows,
			   NULL) == SC_OK)
		for (size_t i = 0; i < rows.n && !h; i++)
			if (rows.v[i].ev.resource_kind == kind && !rows.v[i].ev.error_code)
				h = &rows.v[i];
	if (!h) { /* say so only when the account's history was read: else it is not known */
		if (tui->fetched[CACHE_KIND_HISTORY])
			pane_detail_add(p, "last changed",
					"no change on record (CloudTrail keeps 90 days)",
					SES_STATE_NONE);
		history_rows_free(&rows);
		return;
	}
	gmtime_r(&h->ev.time, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%MZ", &tm);
	history_who_words(h, who, sizeof(who));
	snprintf(line, sizeof(line), "%s %s%s%s\nby %s", when,
		 h->ev.event_name ? h->ev.event_name : "?", h->ev.reason ? ": " : "",
		 h->ev.reason ? h->ev.reason : "", who);
	pane_detail_add(p, "last changed", line, SES_STATE_NONE);
	history_rows_free(&rows);
}

void pane_detail_paused_by(struct pane *p, struct tui *tui, enum ct_resource kind,
			   const char *name)
{
	struct history_row h;
	char when[32], who[512], line[1400];
	struct tm tm;

	if (!tui->cache || !tui->account_id)
		return;
	if (history_last_switch(tui->cache, tui->audit, tui->account_id, tui_region(tui), kind,
				name, &h, NULL) != SC_OK) {
		pane_detail_add(p, "paused by", "not on record (not here, not in CloudTrail)",
				SES_STATE_FAILED);
		return;
	}
	gmtime_r(&h.ev.time, &tm);
	strftime(when, sizeof(when), "%Y-%m-%d %H:%MZ", &tm);
	history_who_words(&h, who, sizeof(who));
	snprintf(line, sizeof(line), "%s\n%s: %s", who, when,
		 h.ev.reason && *h.ev.reason ? h.ev.reason : "no reason given");
	pane_detail_add(p, "paused by", line, SES_STATE_FAILED);
	history_row_clear(&h);
}

void pane_detail_add(struct pane *p, const char *attr, const char *value, enum ses_state st)
{
	const char *s = value ? value : "";
	bool first = true;

	do {
		size_t n = strcspn(s, "\n");
		char *line = xstrndup(s, n);
		const char *cells[2] = {first ? attr : "", line};
		enum ses_state states[2] = {SES_STATE_NONE, first ? st : SES_STATE_NONE};

		table_add(&p->detail, p->detail.nrows, st, cells, states);
		free(line);
		s += n + (s[n] == '\n');
		first = false;
	} while (*s);
	table_update(&p->detail);
}

bool pane_in_detail(const struct pane *p)
{
	return p->shown == &p->detail;
}

void pane_detail_close(struct pane *p)
{
	p->shown = &p->list;
}

int pane_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct ui *ui = &tui->ui;

	if (p->ops->draw && !pane_in_detail(p))
		return p->ops->draw(p, tui, y, h);
	if (p->ops->draw_detail && pane_in_detail(p))
		return p->ops->draw_detail(p, tui, y, h);
	if (pane_in_detail(p)) {
		pane_draw_detail_title(p, tui, y);
		y++;
		h--;
	}
	return table_draw(p->shown, ui, y, 0, h, COLS);
}

/* A long name keeps its end in view: elided in the middle. */
void pane_draw_detail_title(struct pane *p, struct tui *tui, int y)
{
	struct ui *ui = &tui->ui;
	struct buf clean = BUF_INIT, title = BUF_INIT;

	text_sanitize(&clean, p->detail_title, strlen(p->detail_title), ui->text_flags);
	text_truncate_middle(&title, buf_str(&clean), clean.len, (size_t)COLS, ui->text_flags);
	ui_put_raw(ui, y, 0, COLS, buf_str(&title), THEME_TITLE_FOCUS);
	buf_free(&clean);
	buf_free(&title);
}

/* No clipboard reachable (no tty, tmux failed): the plain fallback is a 0600 file in the
 * export directory; refusals (secrets, too large) stay refusals. */
static void yank_to_file(struct pane *p, struct tui *tui, const struct buf *b,
			 const struct sc_error *copy_err)
{
	struct clip_result res;
	struct sc_error err;
	char name[64], msg[4200];

	if (copy_err->status != SC_IO) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "not copied: %s", copy_err->message);
		return;
	}
	snprintf(name, sizeof(name), "%s-copy.txt", p->ops->name);
	if (clip_save(NULL, name, b->data, b->len, &res, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "copy failed: %s; %s", copy_err->message,
			 err.message);
		return;
	}
	clip_describe(&res, msg, sizeof(msg));
	ui_toast(&tui->ui, UI_TOAST_WARN, "no clipboard reachable; %s", msg);
}

static void yank(struct pane *p, struct tui *tui)
{
	struct clip_opts opts = {.tty_fd = tui->ui.tty_fd};
	struct clip_result res;
	struct sc_error err;
	struct buf b = BUF_INIT;
	char msg[256];

	sc_error_clear(&err);
	if (!p->ops->yank || p->ops->yank(p, tui, &b, &err)) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "nothing to copy here");
	} else if (clip_copy(&opts, b.data, b.len, &res, &err)) {
		yank_to_file(p, tui, &b, &err);
	} else {
		clip_describe(&res, msg, sizeof(msg));
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s", msg);
	}
	buf_free(&b);
}

static void sort_next(struct pane *p, struct tui *tui)
{
	struct table *t = p->shown;
	int col = t->sort_col + 1;

	if ((size_t)col >= t->ncols)
		col = -1;
	table_sort(t, col, false);
	ui_toast(&tui->ui, UI_TOAST_INFO, "sorted by %s",
		 col < 0 ? "load order" : t->cols[col].title);
}

enum req pane_request(struct pane *p, struct tui *tui, enum req req)
{
	struct table *t = p->shown;

	if (table_move(t, req)) {
		if (p->ops->select)
			p->ops->select(p, tui);
		return REQ_NONE;
	}
	switch (req) {
	case REQ_SORT:
		if (!(p->ops->flags & PANE_SORT) && !pane_in_detail(p))
			return req;
		sort_next(p, tui);
		return REQ_NONE;
	case REQ_SORT_REVERSE:
		table_sort(t, t->sort_col, !t->sort_desc);
		return REQ_NONE;
	case REQ_YANK:
		yank(p, tui);
		return REQ_NONE;
	case REQ_BACK:
		if (t->filter[0]) {
			table_set_filter(t, "");
			return REQ_NONE;
		}
		if (pane_in_detail(p)) {
			pane_detail_close(p);
			return REQ_NONE;
		}
		return req;
	default:
		return req;
	}
}

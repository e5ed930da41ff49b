/* The console's frame: main loop, header, tab bar, status line, commands and scripts. */
#include "sesctl/tui/app.h"

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/tenants.h"
#include "sesctl/store/account.h"
#include "sesctl/store/db.h"
#include "sesctl/store/feedback.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/dmarc.h"
#include "sesctl/store/tenants.h"
#include "sesctl/tui/refresh.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

/* ---- input ---- */

static void script_fail(struct tui *tui, const char *what, const char *line)
{
	ui_toast(&tui->ui, UI_TOAST_ERROR, "%s:%d: %s: %s", tui->script_path,
		 tui->script_lineno, what, line);
}

static void queue_text(struct tui *tui, const char *s)
{
	size_t len = strlen(s);

	tui->n_pending = tui->pending_at = 0;
	while (len && tui->n_pending < (int)(sizeof(tui->pending) / sizeof(tui->pending[0]))) {
		uint32_t cp;
		size_t n = text_utf8_next(s, len, &cp);

		if (cp != TEXT_BAD_CP)
			tui->pending[tui->n_pending++] = (int)cp;
		s += n;
		len -= n;
	}
}

static int script_resize(struct tui *tui, const char *args)
{
	int cols, rows;

	if (sscanf(args, "%d %d", &cols, &rows) != 2 || cols < 1 || rows < 1 || cols > 1000 ||
	    rows > 1000) {
		script_fail(tui, "resize needs COLS ROWS", args);
		return TKEY_REDRAW;
	}
	resizeterm(rows, cols);
	return TKEY_RESIZE;
}

/* One step of the script: a key, TKEY_REDRAW after a command, or TKEY_EOF. */
static int script_step(struct tui *tui)
{
	char line[4096];

	if (tui->pending_at < tui->n_pending)
		return tui->pending[tui->pending_at++];
	while (fgets(line, sizeof(line), tui->script)) {
		tui->script_lineno++;
		line[strcspn(line, "\r\n")] = '\0';
		if (!line[0] || line[0] == '#')
			continue;
		if (line[0] == ':') {
			tui_command(tui, line + 1);
			return TKEY_REDRAW;
		}
		if (!strncmp(line, "key ", 4)) {
			int k = key_from_name(line + 4);

			if (k >= 0)
				return k;
			script_fail(tui, "unknown key", line + 4);
			return TKEY_REDRAW;
		}
		if (!strncmp(line, "keys ", 5)) {
			queue_text(tui, line + 5);
			if (tui->n_pending)
				return tui->pending[tui->pending_at++];
			continue;
		}
		if (!strncmp(line, "resize ", 7))
			return script_resize(tui, line + 7);
		script_fail(tui, "unknown script step", line);
		return TKEY_REDRAW;
	}
	return TKEY_EOF;
}

static int terminal_key(struct tui *tui, int timeout_ms)
{
	for (;;) {
		wint_t ch;
		int r = tui->wait(tui, timeout_ms);

		if (r < 0)
			return TKEY_EOF;
		if (r == 0)
			return TKEY_NONE;
		nodelay(stdscr, TRUE);
		r = get_wch(&ch);
		if (r == KEY_CODE_YES)
			return KEYC_FN((int)ch);
		if (r == OK)
			return (int)ch;
		if (timeout_ms >= 0)
			return TKEY_NONE;
	}
}

static int frame_getkey(struct tui *tui, int timeout_ms)
{
	if (tui->script)
		return script_step(tui);
	return terminal_key(tui, timeout_ms);
}

/* ---- header data ---- */

static void pick_account(struct tui *tui)
{
	struct cache_account_row *rows = NULL;
	size_t n = 0;
	bool found;

	free(tui->account_id);
	tui->account_id = NULL;
	if (tui->core->account_id) {
		tui->account_id = xstrdup(tui->core->account_id);
		return;
	}
	if (!tui->cache || cache_accounts(tui->cache, &rows, &n, NULL))
		return;
	/* this profile's account first: one cache holds a whole fleet's */
	for (size_t i = 0; i < n && !tui->account_id; i++)
		if (!strcmp(rows[i].region, tui_region(tui)) && rows[i].profile &&
		    tui->core->profile && !strcmp(rows[i].profile, tui->core->profile))
			tui->account_id = xstrdup(rows[i].account_id);
	found = tui->account_id != NULL;
	/* else the region's one account (the profile's name changed); with several (a fleet's
	 * cache) none of them is this profile's */
	for (size_t i = 0; i < n && !found; i++) {
		if (strcmp(rows[i].region, tui_region(tui)))
			continue;
		if (tui->account_id && strcmp(tui->account_id, rows[i].account_id)) {
			free(tui->account_id);
			tui->account_id = NULL;
			break;
		}
		if (!tui->account_id)
			tui->account_id = xstrdup(rows[i].account_id);
	}
	cache_accounts_free(rows, n);
}


/* A tap or events in the cache: the Events tab has something to show. */
static bool header_have_events(struct tui *tui, const char *region)
{
	struct cache_tap *taps = NULL;
	size_t n = 0, count = 0;

	if (cache_get_taps(tui->cache, tui->account_id, region, &taps, &n, NULL) == SC_OK)
		cache_taps_free(taps, n);
	if (!n)
		cache_count_events(tui->cache, tui->account_id, region, NULL, &count, NULL);
	return n || count;
}

/* "umbrella (by AWS), hooli": the paused tenants, AWS's first (the causes are the pane's:
 * one long cause would hide the other names on a narrow screen). */
static void paused_tenants_line(struct tui *tui, const char *region)
{
	struct cache_tenant *v = NULL;
	struct buf b = BUF_INIT;
	size_t n = 0;

	if (cache_get_tenants(tui->cache, tui->account_id, region, &v, &n, NULL))
		return;
	for (int pass = 0; pass < 2; pass++)
		for (size_t i = 0; i < n; i++) {
			enum tenant_state s = tenant_state_of(&v[i]);

			if (s != (pass ? TENANT_PAUSED : TENANT_AWS_PAUSED))
				continue;
			buf_printf(&b, "%s%s%s", b.len ? ", " : "", v[i].t.name,
				   s == TENANT_AWS_PAUSED ? " (by AWS)" : "");
		}
	str_copy(tui->tenants_line, sizeof(tui->tenants_line), buf_str(&b));
	buf_free(&b);
	cache_tenants_free(v, n);
}

static void load_header(struct tui *tui)
{
	const char *region = tui_region(tui);

	tui->now = time(NULL);
	pick_account(tui);
	if (tui->have_account)
		ses_account_free(&tui->account);
	if (tui->paused_known)
		history_row_clear(&tui->pause);
	tui->have_account = tui->paused_known = tui->have_events = false;
	tui->tenants = tui->tenants_paused = tui->tenants_aws_paused = 0;
	tui->tenants_line[0] = '\0';
	memset(tui->fetched, 0, sizeof(tui->fetched));
	memset(tui->fetch_failed, 0, sizeof(tui->fetch_failed));
	tui->dmarc_reports = 0;
	if (tui->cache) /* reports are the cache file's, not one account's */
		cache_count_dmarc_reports(tui->cache, &tui->dmarc_reports, NULL);
	if (!tui->cache || !tui->account_id || !*region)
		return;
	tui->have_account = !cache_get_account(tui->cache, tui->account_id, region, &tui->account,
					       NULL);
	tui->have_events = header_have_events(tui, region);
	{
		struct cache_tenant_counts tc;

		if (!cache_count_tenants(tui->cache, tui->account_id, region, &tc, NULL)) {
			tui->tenants = tc.total;
			tui->tenants_paused = tc.paused;
			tui->tenants_aws_paused = tc.aws_paused;
		}
		if (tui->tenants_paused)
			paused_tenants_line(tui, region);
	}
	tui->paused_known = !history_last_pause(tui->cache, tui->audit, tui->account_id, region,
						NULL, &tui->pause, NULL);
	for (int k = 0; k < CACHE_KIND_COUNT; k++) {
		char *last_error = NULL;

		cache_kind_age(tui->cache, tui->account_id, region, (enum cache_kind)k,
			       &tui->fetched[k], &last_error, NULL);
		tui->fetch_failed[k] = last_error != NULL;
		free(last_error);
	}
}

static void frame_reload(struct tui *tui)
{
	load_header(tui);
	for (int i = 0; i < PANE_COUNT; i++) {
		struct sc_error err;

		sc_error_clear(&err);
		if (tui->panes[i].loaded && pane_load(&tui->panes[i], tui, &err))
			ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", tui->panes[i].ops->name,
				 err.message);
	}
}

/* Rows built per look at the keyboard while nothing is typed. */
#define IDLE_ROWS 500

/* The next key; until one comes, the shown table's rows not drawn yet are built, so the
 * first filter keystroke over 100,000 rows finds them ready. */
static int next_key(struct tui *tui)
{
	while (table_build_some(tui->panes[tui->cur].shown, IDLE_ROWS)) {
		int key = tui_getkey(tui, 0);

		if (key != TKEY_NONE)
			return key;
	}
	return tui_getkey(tui, tui->timeout_ms);
}

/* The pane on screen loaded its first screen only: load it whole. */
static bool load_rest(struct tui *tui)
{
	struct pane *p = &tui->panes[tui->cur];
	struct sc_error err;

	if (!p->partial)
		return false;
	sc_error_clear(&err);
	if (pane_load(p, tui, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", p->ops->name, err.message);
	return true;
}

static void frame_focus(struct tui *tui, int i)
{
	struct sc_error err;

	if (i < 0 || i >= PANE_COUNT)
		return;
	if (i != tui->cur && i == PANE_HELP)
		tui->prev = tui->cur;
	if (tui->panes[tui->cur].ops->select) /* what is under the cursor, filtered or not */
		tui->panes[tui->cur].ops->select(&tui->panes[tui->cur], tui);
	tui->cur = i;
	sc_error_clear(&err);
	if ((!tui->panes[i].loaded ||
	     ((tui->panes[i].ops->flags & PANE_FOLLOWS) && tui->panes[i].vars_gen != tui->vars_gen)) &&
	    pane_load(&tui->panes[i], tui, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", tui->panes[i].ops->name, err.message);
}

/* ---- drawing ---- */

static void format_age(char *out, size_t outlen, time_t age)
{
	if (age < 60)
		snprintf(out, outlen, "%lld s", (long long)(age < 0 ? 0 : age));
	else if (age < 3600)
		snprintf(out, outlen, "%lld min", (long long)age / 60);
	else if (age < 86400)
		snprintf(out, outlen, "%lld h", (long long)age / 3600);
	else
		snprintf(out, outlen, "%lld d", (long long)age / 86400);
}

static int data_kind(const struct tui *tui)
{
	int k = tui->panes[tui->cur].ops->cache_kind;

	return k >= 0 && k < CACHE_KIND_COUNT ? k : CACHE_KIND_IDENTITIES;
}

static void data_age_text(const struct tui *tui, char *out, size_t outlen)
{
	int k = data_kind(tui);
	char age[32];

	const char *dots = tui->ui.ascii ? "..." : "\xe2\x80\xa6";

	if (tui->fleet_on && tui->cur == PANE_FLEET) { /* the oldest cell's, tried or read */
		struct buf b = BUF_INIT;

		if (tui->fleet_oldest) {
			format_age(age, sizeof(age), time(NULL) - tui->fleet_oldest);
			buf_printf(&b, "oldest cell %s old", age);
		} else {
			buf_puts(&b, "a cell never read");
		}
		if (tui->refreshing)
			buf_printf(&b, ", reading%s %s", dots, tui->refresh_what);
		else if (!tui->fleet_oldest)
			buf_puts(&b, " - press r");
		str_copy(out, outlen, buf_str(&b));
		buf_free(&b);
		return;
	}
	if (!tui->fetched[k] && tui->refreshing) {
		snprintf(out, outlen, "no data yet, refreshing%s", dots);
		return;
	}
	if (!tui->fetched[k]) {
		snprintf(out, outlen, "no data yet %s press r", tui->ui.ascii ? "-" : "\xe2\x80\x94");
		return;
	}
	format_age(age, sizeof(age), time(NULL) - tui->fetched[k]); /* ticks while idle */
	{
		struct buf b = BUF_INIT;

		buf_printf(&b, "data %s old%s", age,
			   tui->fetch_failed[k] ? " (last refresh failed)" : "");
		if (tui->refreshing)
			buf_printf(&b, ", refreshing%s %s", dots, tui->refresh_what);
		str_copy(out, outlen, buf_str(&b));
		buf_free(&b);
	}
}

static void header_cell(struct tui *tui, struct buf *left)
{
	struct core *core = tui->core;

	buf_printf(left, " %s  %s", core->profile ? core->profile : "?",
		   *tui_region(tui) ? tui_region(tui) : "no region");
	/* every region the run covers (the DNS pane merges them), not only the first */
	if (core->n_regions == 2)
		buf_printf(left, ",%s", core->regions[1]);
	else if (core->n_regions > 2)
		buf_printf(left, " +%zu", core->n_regions - 1);
	buf_printf(left, "  %s", tui->account_id ? tui->account_id : "account ?");
}

static void draw_header(struct tui *tui)
{
	struct core *core = tui->core;
	struct buf left = BUF_INIT;
	char age[96];
	size_t aw;

	/* Unlabelled values keep the line within 80 columns: a profile, a region, an account id */
	if (tui->fleet_on && tui->cur == PANE_FLEET) /* the fleet, not the console's own cell */
		buf_printf(&left, " fleet%s%s  %zu cells", *tui->fleet_name ? " " : "",
			   tui->fleet_name, tui->fleet_cells);
	else
		header_cell(tui, &left);
	if (core->read_only)
		buf_puts(&left, "  [RO]");
	else if (core->protected_) /* changes need the account id typed back */
		buf_puts(&left, "  [PROTECTED]");
	if (core->opt.offline) /* nothing is read or changed: the data's age only grows */
		buf_puts(&left, "  [OFFLINE]");
	if (tui->fleet_on && tui->fleet_trouble) /* cells in trouble, wherever one looks */
		buf_printf(&left, "  FLEET %zu/%zu in trouble", tui->fleet_trouble, tui->fleet_cells);
	if (tui->have_account && !(tui->fleet_on && tui->cur == PANE_FLEET))
		buf_printf(&left, "  %s  %s", tui->account.production_access ? "production" : "sandbox",
			   tui->account.enforcement_status ? tui->account.enforcement_status : "");
	data_age_text(tui, age, sizeof(age));
	aw = text_width(age, strlen(age)) + 1;
	ui_put(&tui->ui, 0, 0, COLS - (int)aw, buf_str(&left), THEME_HEADER);
	ui_put(&tui->ui, 0, COLS - (int)aw, (int)aw, age,
	       tui->fetched[data_kind(tui)] ? THEME_HEADER : THEME_STALE);
	buf_free(&left);
}

static bool sending_paused(const struct tui *tui)
{
	if (tui->have_account)
		return !tui->account.sending_enabled;
	return tui->paused_known;
}

/* One customer paused is an incident too: a line of its own while the account sends, a
 * count at the end of the account's banner when it does not. */
static void draw_tenants_banner(struct tui *tui, int y)
{
	char text[700];

	snprintf(text, sizeof(text), " %zu TENANT%s PAUSED %s %s   :tenants", tui->tenants_paused,
		 tui->tenants_paused == 1 ? "" : "S", ui_glyph(&tui->ui, UI_GLYPH_DASH),
		 tui->tenants_line);
	ui_put(&tui->ui, y, 0, COLS, text, THEME_STATE_FAILED);
}

static void draw_banner(struct tui *tui, int y)
{
	const char *dash = ui_glyph(&tui->ui, UI_GLYPH_DASH);
	char when[32] = "", text[1400], who[256], how[256];
	struct tm tm;

	if (tui->paused_known) { /* who and why first: the how may fall off a narrow screen */
		gmtime_r(&tui->pause.ev.time, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%MZ", &tm);
		history_who_short(&tui->pause, who, sizeof(who));
		history_how_words(&tui->pause, how, sizeof(how));
		snprintf(text, sizeof(text), " SENDING PAUSED %s by %s %s %s%s%s%s", when, who, dash,
			 tui->pause.ev.reason && *tui->pause.ev.reason ? tui->pause.ev.reason
								   : "no reason given",
			 *how ? " (" : "", how, *how ? ")" : "");
	} else {
		snprintf(text, sizeof(text),
			 " SENDING PAUSED %s sending is disabled for this account (not paused from sesctl here)",
			 dash);
	}
	if (tui->tenants_paused) {
		size_t len = strlen(text);

		snprintf(text + len, sizeof(text) - len, "  (%zu tenant%s paused too)",
			 tui->tenants_paused, tui->tenants_paused == 1 ? "" : "s");
	}
	ui_put(&tui->ui, y, 0, COLS, text, THEME_BANNER_PAUSED);
}

/* The incident lines under the header; returns the next free line. None on the Fleet pane:
 * it shows every cell, and the banner of the one the console was in would mislead. */
static int draw_banners(struct tui *tui, int y)
{
	if (tui->fleet_on && tui->cur == PANE_FLEET)
		return y;
	if (sending_paused(tui))
		draw_banner(tui, y++);
	else if (tui->tenants_paused)
		draw_tenants_banner(tui, y++);
	return y;
}

enum tab_fit { TAB_FULL, TAB_SHORT, TAB_TIGHT, TAB_DIGIT };

/* "[4 Log]" for the focused pane, " 1 Identities " for the others; when the titles and the
 * row counter do not fit, the other tabs take their short titles (" 1 Ids "), then the
 * focused one too ("[2 Rep]"), and when even those do not fit, the others their digit
 * (" 1 "). */
static int tab_text(const struct tui *tui, int i, enum tab_fit fit, char *tab, size_t n)
{
	const struct pane_ops *o = pane_registry[i];

	if (i >= 10) { /* past the digits: reached with :name or Tab */
		snprintf(tab, n, i == tui->cur ? "[%s]" : " %s ",
			 fit >= TAB_SHORT && o->short_title ? o->short_title : o->title);
		return (int)strlen(tab);
	}
	if (i == tui->cur) /* brackets mark the focused tab, not only the colour */
		snprintf(tab, n, "[%d %s]", (i + 1) % 10, /* the tenth pane is key 0 */
			 fit >= TAB_TIGHT && o->short_title ? o->short_title : o->title);
	else if (fit == TAB_DIGIT)
		snprintf(tab, n, " %d ", (i + 1) % 10);
	else
		snprintf(tab, n, " %d %s ", (i + 1) % 10,
			 fit >= TAB_SHORT && o->short_title ? o->short_title : o->title);
	return (int)strlen(tab);
}

static int tabs_width(const struct tui *tui, enum tab_fit fit)
{
	char tab[64];
	int w = 0;

	for (int i = 0; i < PANE_COUNT; i++)
		if (tui_pane_shown(tui, i))
			w += tab_text(tui, i, fit, tab, sizeof(tab)) + 1;
	return w;
}

static void draw_tabs(struct tui *tui, int y)
{
	const struct table *t = tui->panes[tui->cur].shown;
	int x = 0, iw;
	enum tab_fit fit = TAB_FULL;
	char info[320], tab[64];

	snprintf(info, sizeof(info), "%s%s%s%zu/%zu ", t->filter[0] ? "filter /" : "", t->filter,
		 t->filter[0] ? "  " : "", t->nview ? t->sel + 1 : 0, t->nview + t->more);
	iw = (int)text_width(info, strlen(info));
	while (fit < TAB_DIGIT && tabs_width(tui, fit) + iw > COLS)
		fit++;
	for (int i = 0; i < PANE_COUNT; i++) {
		int w = tab_text(tui, i, fit, tab, sizeof(tab));

		tui->tab_x[i] = x;
		if (!tui_pane_shown(tui, i))
			continue; /* no width: a click never lands on it */
		if (x + w < COLS)
			ui_put(&tui->ui, y, x, w, tab, i == tui->cur ? THEME_TITLE_FOCUS : THEME_TITLE);
		x += w + 1;
	}
	tui->tab_x[PANE_COUNT] = x;
	if (x < COLS) {
		if (iw > COLS - x)
			iw = COLS - x;
		ui_put(&tui->ui, y, x, COLS - x - iw, "", THEME_TITLE);
		ui_put(&tui->ui, y, COLS - iw, iw, info, THEME_TITLE);
	}
}

static void draw_too_small(struct tui *tui)
{
	char msg[128];

	snprintf(msg, sizeof(msg), "terminal too small (need %dx%d, have %dx%d)", UI_MIN_COLS,
		 UI_MIN_LINES, COLS, LINES);
	ui_put(&tui->ui, LINES / 2 > 0 ? LINES / 2 - 1 : 0, 0, COLS, msg, THEME_TOAST_WARN);
	if (LINES > 1)
		ui_put(&tui->ui, LINES / 2, 0, COLS, "resize the terminal, or q to quit", THEME_STATUS);
}

static void frame_draw(struct tui *tui)
{
	struct pane *p = &tui->panes[tui->cur];
	int y = 1, cursor;

	erase();
	if (ui_too_small()) {
		draw_too_small(tui);
		move(0, 0);
		refresh();
		return;
	}
	draw_header(tui);
	y = draw_banners(tui, y);
	tui->tab_y = y;
	draw_tabs(tui, y++);
	tui->body_y = y;
	tui->body_h = LINES - 1 - y;
	cursor = pane_draw(p, tui, y, tui->body_h);
	ui_draw_status(&tui->ui, pane_in_detail(p)
					 ? "Esc back  / filter  y copy the value  ? help  : command  q quit"
					 : "? help  : command  / filter  Enter detail  Esc back  r refresh  y copy  q quit");
	/* The hardware cursor sits on the selected row: screen readers follow it. */
	move(cursor, 0);
	refresh();
}

static void filter_changed(void *ud, const char *text)
{
	struct tui *tui = ud;

	struct pane *p = &tui->panes[tui->cur];

	table_set_filter(p->shown, text);
	if (p->ops->select) /* the selection is what the filter left under the cursor */
		p->ops->select(p, tui);
}

static void start_filter(struct tui *tui)
{
	struct pane *p = &tui->panes[tui->cur];
	struct buf line = BUF_INIT;

	if (!(p->ops->flags & PANE_FILTER) && !pane_in_detail(p)) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "this pane has no filter");
		return;
	}
	buf_puts(&line, p->shown->filter);
	if (!prompt_read(tui, "/", &line, filter_changed, NULL, tui, &tui->filter_history))
		table_set_filter(p->shown, ""); /* Esc clears */
	buf_free(&line);
}

static void refresh_data(struct tui *tui)
{
	tui_refresh_start(tui, false); /* a child runs sesctl sync; the console stays live */
}

/* ---- dispatch ---- */

/* A pane's request pressed in another pane: say where it works. */
static void elsewhere(struct tui *tui, enum req req, int key)
{
	const struct req_info *ri = req_info(req);
	char name[32];

	if (!ri || ri->scope == REQ_SCOPE_GLOBAL || ri->scope == REQ_SCOPE_TABLE)
		return;
	key_to_name(key, name, sizeof(name));
	ui_toast(&tui->ui, UI_TOAST_INFO, "%s (%s) works in the %s pane", name, ri->name,
		 req_scope_name(ri->scope));
}

/* ? opens Help on the keys of the pane it was pressed in (the rows of its scope). */
static void open_help(struct tui *tui)
{
	const char *scope = pane_registry[tui->cur]->name;
	struct table *t;

	if (tui->cur == PANE_HELP)
		return;
	tui_focus(tui, PANE_HELP);
	t = &tui->panes[PANE_HELP].list;
	for (size_t vi = 0; vi < t->nview; vi++)
		if (!strcmp(t->rows[t->view[vi]].cells[0], scope)) {
			table_select(t, vi);
			return;
		}
}

/* The next pane with a tab, step 1 forward or PANE_COUNT - 1 back. */
static int next_shown(const struct tui *tui, int step)
{
	int i = tui->cur;

	do
		i = (i + step) % PANE_COUNT;
	while (i != tui->cur && !tui_pane_shown(tui, i));
	return i;
}

static void global_request(struct tui *tui, enum req req, int key)
{
	char name[32];

	switch (req) {
	case REQ_HELP: open_help(tui); break;
	case REQ_PROMPT: tui_prompt_command(tui, ""); break;
	case REQ_FILTER: start_filter(tui); break;
	case REQ_BACK:
		if (tui->cur == PANE_HELP)
			tui_focus(tui, tui->prev);
		else if (tui->fleet_on && tui->cur != PANE_FLEET) /* out of a cell: the fleet */
			tui_focus(tui, PANE_FLEET);
		break;
	case REQ_FLEET:
		if (tui->fleet_on)
			tui_focus(tui, PANE_FLEET);
		else
			ui_toast(&tui->ui, UI_TOAST_INFO, "no fleet configured: add a [fleet] section "
				 "(profiles = prod-*, ...) to the sesctl config");
		break;
	case REQ_NEXT_PANE: tui_focus(tui, next_shown(tui, 1)); break;
	case REQ_PREV_PANE: tui_focus(tui, next_shown(tui, PANE_COUNT - 1)); break;
	case REQ_PANE_1: case REQ_PANE_2: case REQ_PANE_3:
	case REQ_PANE_4: case REQ_PANE_5: case REQ_PANE_6:
	case REQ_PANE_7: case REQ_PANE_8: case REQ_PANE_9: case REQ_PANE_10:
		/* a hidden Events tab opens all the same: its empty text says how to tap */
		if ((int)(req - REQ_PANE_1) < PANE_COUNT &&
		    (tui_pane_shown(tui, (int)(req - REQ_PANE_1)) || req - REQ_PANE_1 == PANE_EVENTS))
			tui_focus(tui, (int)(req - REQ_PANE_1));
		else if ((int)(req - REQ_PANE_1) < PANE_COUNT)
			ui_toast(&tui->ui, UI_TOAST_INFO, "%s",
				 pane_registry[req - REQ_PANE_1]->empty);
		break;
	case REQ_REFRESH: refresh_data(tui); break;
	case REQ_REDRAW: clearok(curscr, TRUE); break;
	case REQ_DISMISS: ui_toast_clear(&tui->ui); break;
	case REQ_QUIT: tui->quit = true; break;
	case REQ_NONE:
		key_to_name(key, name, sizeof(name));
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s does nothing here (? lists the keys)", name);
		break;
	default:
		elsewhere(tui, req, key);
		break;
	}
}

static void mouse_event(struct tui *tui)
{
	struct pane *p = &tui->panes[tui->cur];
	MEVENT ev;
	int vi;

	if (getmouse(&ev) != OK)
		return;
	if (ev.bstate & BUTTON4_PRESSED) {
		for (int i = 0; i < 3; i++)
			table_move(p->shown, REQ_MOVE_UP);
		return;
	}
	if (ev.bstate & BUTTON5_PRESSED) {
		for (int i = 0; i < 3; i++)
			table_move(p->shown, REQ_MOVE_DOWN);
		return;
	}
	if (ev.y == tui->tab_y) {
		for (int i = 0; i < PANE_COUNT; i++)
			if (ev.x >= tui->tab_x[i] && ev.x < tui->tab_x[i + 1])
				tui_focus(tui, i);
		return;
	}
	/* where the table really is: panes may draw lines above it (Account, Log) */
	vi = table_hit(p->shown,
		       p->shown->drawn_y >= 0 ? p->shown->drawn_y
					      : tui->body_y + (pane_in_detail(p) ? 1 : 0),
		       ev.y);
	if (vi >= 0)
		table_select(p->shown, (size_t)vi);
}

static void handle_key(struct tui *tui, int key)
{
	struct pane *p = &tui->panes[tui->cur];
	enum req req;

	if (key == TKEY_EOF) {
		tui->quit = true;
		return;
	}
	if (key == TKEY_NONE || key == TKEY_REDRAW || key == TKEY_RESIZE)
		return;
	ui_toast_age(&tui->ui);
	req = keymap_lookup(&tui->keymap, key);
	if (tui_change_running(tui) && (key == 3 || req == REQ_QUIT)) {
		if (key == 3) /* Ctrl-C stops the change, not the console */
			tui_change_cancel(tui);
		else
			ui_toast(&tui->ui, UI_TOAST_WARN, "a change is running: %s (Ctrl-C cancels it)",
				 tui->change_cmd);
		return;
	}
	if (ui_too_small()) {
		if (req == REQ_QUIT)
			tui->quit = true;
		return;
	}
	if (key == TKEY_MOUSE) {
		mouse_event(tui);
		return;
	}
	if (req != REQ_NONE && p->ops->request)
		req = p->ops->request(p, tui, req);
	if (req != REQ_NONE)
		req = pane_request(p, tui, req);
	if (req != REQ_NONE || keymap_lookup(&tui->keymap, key) == REQ_NONE)
		global_request(tui, req, key);
}

/* ---- set-up ---- */

static void apply_key_overrides(struct tui *tui)
{
	const struct settings *s = &tui->core->settings;
	const char **keys = xcalloc(s->n_keys + 1, sizeof(*keys));
	const char **reqs = xcalloc(s->n_keys + 1, sizeof(*reqs));
	char problem[256];

	for (size_t i = 0; i < s->n_keys; i++) {
		keys[i] = s->keys[i].key;
		reqs[i] = s->keys[i].value;
	}
	keymap_apply(&tui->keymap, keys, reqs, s->n_keys, problem, sizeof(problem));
	if (problem[0])
		ui_toast(&tui->ui, UI_TOAST_WARN, "%s", problem);
	free(keys);
	free(reqs);
}

static bool open_script(struct tui *tui)
{
	const char *path = getenv("SESCTL_TEST_SCRIPT");

	if (!path || !*path)
		return true;
	tui->script = fopen(path, "r");
	if (!tui->script) {
		fprintf(stderr, "sesctl: cannot read SESCTL_TEST_SCRIPT %s\n", path);
		return false;
	}
	tui->script_path = xstrdup(path);
	return true;
}

static void tui_free(struct tui *tui)
{
	tui_refresh_stop(tui);
	tui_change_stop(tui);
	tui_output_clear(&tui->output);
	for (int i = 0; i < PANE_COUNT; i++)
		pane_done(&tui->panes[i]);
	ui_end(&tui->ui);
	if (tui->script)
		fclose(tui->script);
	free(tui->script_path);
	free(tui->profile_name); /* core->opt.profile may point here: nothing reads it after */
	free(tui->fleet_name);
	for (int i = 0; i < tui->n_vars; i++)
		free(tui->vars[i].value);
	prompt_history_free(&tui->history);
	prompt_history_free(&tui->filter_history);
	free(tui->account_id);
	if (tui->have_account)
		ses_account_free(&tui->account);
	if (tui->paused_known)
		history_row_clear(&tui->pause);
	free(tui);
}

static const struct tui_frame frame = {
	.getkey = frame_getkey,
	.draw = frame_draw,
	.reload = frame_reload,
	.focus = frame_focus,
};

/* A fleet configured ([fleet], [fleet NAME]) or asked for (--fleet): the Fleet pane leads.
 * The console itself works on one cell at a time, so --fleet stays with the pane (verbs
 * run from the console would be refused under it). */
static void start_fleet(struct tui *tui)
{
	struct core *core = tui->core;
	const char *name = core->opt.fleet;

	if (!name && core->settings.n_fleets)
		name = core->settings.fleets[0].name;
	if (!name)
		return;
	tui->fleet_on = true;
	tui->fleet_name = xstrdup(name);
	core->opt.fleet = NULL;
}

int tui_main(struct core *core)
{
	struct tui *tui = xcalloc(1, sizeof(*tui));
	struct sc_error err, cache_err;
	enum sc_status cache_st;

	sc_error_clear(&err);
	sc_error_clear(&cache_err);
	tui->core = core;
	tui->frame = &frame;
	tui->wait = tui_refresh_wait; /* stdin and the background refresh's pipe */
	tui->timeout_ms = 30000; /* redraw now and then: the data age in the header moves on */
	if (!open_script(tui)) {
		tui_free(tui);
		return sc_status_exit_code(SC_USAGE);
	}
	cache_st = core_cache(core, &tui->cache, &cache_err);
	core_audit(core, &tui->audit, NULL); /* NULL: no history to show, the verbs say why */
	if (ui_init(&tui->ui, core->view.theme, core->opt.no_color, core->opt.ascii, &err)) {
		fprintf(stderr, "sesctl: %s\n", err.message);
		tui_free(tui);
		return sc_status_exit_code(err.status);
	}
	keymap_init_default(&tui->keymap);
	apply_key_overrides(tui);
	for (int i = 0; i < PANE_COUNT; i++)
		pane_init(&tui->panes[i], pane_registry[i], tui->ui.text_flags);
	if (cache_st)
		ui_toast(&tui->ui, UI_TOAST_ERROR, "cache: %s", cache_err.message);
	else if (core->cache_warning)
		ui_toast(&tui->ui, UI_TOAST_WARN, "%s", core->cache_warning);
	load_header(tui);
	start_fleet(tui);
	tui_focus(tui, tui->fleet_on ? PANE_FLEET : PANE_IDENTITIES);
	for (bool first = true; !tui->quit; first = false) {
		tui_draw(tui);
		if (first) /* once the cache is on screen: stale or no data, read SES */
			tui_refresh_auto(tui);
		if (load_rest(tui)) /* a first screen is drawn: now the rest, before any key */
			continue;
		handle_key(tui, next_key(tui));
	}
	tui_free(tui);
	return 0;
}

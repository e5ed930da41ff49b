/* The console's frame: main loop, header, tab bar, status line, commands and scripts. */
#include "sesctl/tui/app.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/store/cache.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

#define MAX_WORDS 64

/* ---- input ---- */

static int wait_stdin(struct tui *tui, int timeout_ms)
{
	struct pollfd pfd = {.fd = STDIN_FILENO, .events = POLLIN};
	int r;

	(void)tui;
	r = poll(&pfd, 1, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 1 : -1;
	if (r > 0 && !(pfd.revents & POLLIN) && (pfd.revents & (POLLHUP | POLLERR | POLLNVAL)))
		return -1;
	return r > 0;
}

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

int tui_getkey(struct tui *tui, int timeout_ms)
{
	if (tui->script)
		return script_step(tui);
	return terminal_key(tui, timeout_ms);
}

/* ---- header data ---- */

const char *tui_region(const struct tui *tui)
{
	return tui->core->region ? tui->core->region : "";
}

static void pick_account(struct tui *tui)
{
	struct cache_account_row *rows = NULL;
	size_t n = 0;

	free(tui->account_id);
	tui->account_id = NULL;
	if (tui->core->account_id) {
		tui->account_id = xstrdup(tui->core->account_id);
		return;
	}
	if (!tui->cache || cache_accounts(tui->cache, &rows, &n, NULL))
		return;
	for (size_t i = 0; i < n && !tui->account_id; i++)
		if (!strcmp(rows[i].region, tui_region(tui)))
			tui->account_id = xstrdup(rows[i].account_id);
	cache_accounts_free(rows, n);
}

static void load_header(struct tui *tui)
{
	const char *region = tui_region(tui);

	tui->now = time(NULL);
	pick_account(tui);
	if (tui->have_account)
		ses_account_free(&tui->account);
	if (tui->paused_known)
		audit_entry_free(&tui->pause);
	tui->have_account = tui->paused_known = false;
	memset(tui->fetched, 0, sizeof(tui->fetched));
	memset(tui->fetch_failed, 0, sizeof(tui->fetch_failed));
	if (!tui->cache || !tui->account_id || !*region)
		return;
	tui->have_account = !cache_get_account(tui->cache, tui->account_id, region, &tui->account,
					       NULL);
	tui->paused_known = !audit_last_pause(tui->cache, tui->account_id, region, NULL,
					      &tui->pause, NULL);
	for (int k = 0; k < CACHE_KIND_COUNT; k++) {
		char *last_error = NULL;

		cache_kind_age(tui->cache, tui->account_id, region, (enum cache_kind)k,
			       &tui->fetched[k], &last_error, NULL);
		tui->fetch_failed[k] = last_error != NULL;
		free(last_error);
	}
}

void tui_reload(struct tui *tui)
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

void tui_focus(struct tui *tui, int i)
{
	struct sc_error err;

	if (i < 0 || i >= PANE_COUNT)
		return;
	if (i != tui->cur && i == PANE_HELP)
		tui->prev = tui->cur;
	tui->cur = i;
	sc_error_clear(&err);
	if (!tui->panes[i].loaded && pane_load(&tui->panes[i], tui, &err))
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

	if (!tui->fetched[k] && tui->refreshing) {
		snprintf(out, outlen, "no data yet, refreshing%s", tui->ui.ascii ? "..." : "\xe2\x80\xa6");
		return;
	}
	if (!tui->fetched[k]) {
		snprintf(out, outlen, "no data yet %s press r", tui->ui.ascii ? "-" : "\xe2\x80\x94");
		return;
	}
	format_age(age, sizeof(age), tui->now - tui->fetched[k]);
	snprintf(out, outlen, "data %s old%s%s", age,
		 tui->fetch_failed[k] ? " (last refresh failed)" : "",
		 tui->refreshing ? (tui->ui.ascii ? ", refreshing..." : ", refreshing\xe2\x80\xa6") : "");
}

static void draw_header(struct tui *tui)
{
	struct core *core = tui->core;
	struct buf left = BUF_INIT;
	char age[96];
	size_t aw;

	/* Unlabelled values keep the line within 80 columns: a profile, a region, an account id */
	buf_printf(&left, " %s  %s  %s", core->profile ? core->profile : "?",
		   *tui_region(tui) ? tui_region(tui) : "no region",
		   tui->account_id ? tui->account_id : "account ?");
	if (core->read_only)
		buf_puts(&left, "  [RO]");
	if (tui->have_account)
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

static void draw_banner(struct tui *tui, int y)
{
	const char *dash = ui_glyph(&tui->ui, UI_GLYPH_DASH);
	char when[32] = "", text[600];
	struct tm tm;

	if (tui->paused_known) {
		gmtime_r(&tui->pause.time, &tm);
		strftime(when, sizeof(when), "%Y-%m-%d %H:%MZ", &tm);
		snprintf(text, sizeof(text), " SENDING PAUSED %s by %s %s %s", when,
			 tui->pause.os_user ? tui->pause.os_user : "?", dash,
			 tui->pause.reason && *tui->pause.reason ? tui->pause.reason : "no reason given");
	} else {
		snprintf(text, sizeof(text),
			 " SENDING PAUSED %s sending is disabled for this account (not paused from sesctl here)",
			 dash);
	}
	ui_put(&tui->ui, y, 0, COLS, text, THEME_BANNER_PAUSED);
}

static void draw_tabs(struct tui *tui, int y)
{
	const struct table *t = tui->panes[tui->cur].shown;
	int x = 0;
	char info[320];

	for (int i = 0; i < PANE_COUNT; i++) {
		char tab[64];
		int w;

		/* brackets mark the focused tab, not only the colour */
		snprintf(tab, sizeof(tab), i == tui->cur ? "[%d %s]" : " %d %s ", i + 1,
			 pane_registry[i]->title);
		w = (int)strlen(tab);
		tui->tab_x[i] = x;
		if (x + w < COLS)
			ui_put(&tui->ui, y, x, w, tab, i == tui->cur ? THEME_TITLE_FOCUS : THEME_TITLE);
		x += w + 1;
	}
	tui->tab_x[PANE_COUNT] = x;
	snprintf(info, sizeof(info), "%s%s%s%zu/%zu ", t->filter[0] ? "filter /" : "", t->filter,
		 t->filter[0] ? "  " : "", t->nview ? t->sel + 1 : 0, t->nview);
	if (x < COLS) {
		int iw = (int)text_width(info, strlen(info));

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

void tui_draw(struct tui *tui)
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
	if (sending_paused(tui))
		draw_banner(tui, y++);
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

/* ---- commands and verbs ---- */

/* Split a command line into words: blanks separate, '…' and "…" quote, \ escapes. Words
 * are written into store (as long as line). Returns the count. */
static int split_words(const char *line, char *store, char **words, int max)
{
	int n = 0;
	char *o = store;

	while (*line && n < max) {
		char quote = 0;

		while (*line == ' ' || *line == '\t')
			line++;
		if (!*line)
			break;
		words[n++] = o;
		for (; *line; line++) {
			if (quote && *line == quote) {
				quote = 0;
			} else if (!quote && (*line == '\'' || *line == '"')) {
				quote = *line;
			} else if (!quote && (*line == ' ' || *line == '\t')) {
				break;
			} else if (*line == '\\' && quote != '\'' && line[1]) {
				*o++ = *++line;
			} else {
				*o++ = *line;
			}
		}
		*o++ = '\0';
	}
	return n;
}

static void result_summary(const struct verb_result *res, char *out, size_t outlen)
{
	char *json;

	out[0] = '\0';
	if (res->text.len) {
		snprintf(out, outlen, "%.*s", (int)strcspn(buf_str(&res->text), "\n"),
			 buf_str(&res->text));
		return;
	}
	if (!res->json)
		return;
	json = cJSON_PrintUnformatted(res->json);
	if (json)
		snprintf(out, outlen, "%s", json);
	free(json);
}

/* The command as the audit trail records it: "sesctl" and the words, shell-quoted, so
 * the status line shows what can be pasted into a shell. */
static void command_text(int argc, char **argv, char *out, size_t outlen)
{
	const char **full = xcalloc((size_t)argc + 2, sizeof(*full));
	char *quoted;

	full[0] = "sesctl";
	for (int i = 0; i < argc; i++)
		full[i + 1] = argv[i];
	quoted = audit_shell_quote(argc + 1, full);
	snprintf(out, outlen, "%s", quoted);
	free(quoted);
	free(full);
}

enum sc_status tui_run_verb(struct tui *tui, int argc, char **argv)
{
	char cmd[512], summary[1024];
	struct verb_result res;
	struct verb_args args;
	struct sc_error err;
	const struct verb *v;
	enum sc_status st;
	int words = 0;

	sc_error_clear(&err);
	command_text(argc, argv, cmd, sizeof(cmd));
	v = verb_find(argc, argv, &words);
	if (!v) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "not available yet: %s", cmd);
		return SC_UNSUPPORTED;
	}
	st = verb_parse_args(v, argc - words, argv + words, &args, &err);
	if (st) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s", err.message);
		return st;
	}
	ui_toast(&tui->ui, UI_TOAST_INFO, "running: %s", cmd);
	tui_draw(tui);
	tui->confirm_cancelled = false;
	st = verb_run(tui->core, v, &args, argc, argv, dialog_verb_confirm, tui, &res, &err);
	if (st == SC_REFUSED && tui->confirm_cancelled) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "cancelled: %s (nothing was changed)", cmd);
	} else if (st) {
		char msg[SC_ERR_MSG_MAX + 256];

		sc_error_format(&err, msg, sizeof(msg));
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", cmd, msg);
	} else {
		result_summary(&res, summary, sizeof(summary));
		ui_toast(&tui->ui, UI_TOAST_INFO, "ok: %s%s%s", cmd, summary[0] ? "  " : "", summary);
	}
	verb_result_free(&res);
	verb_args_free(&args);
	tui_reload(tui);
	return st;
}

static void save_display(struct tui *tui, int argc, char **argv)
{
	struct sc_error err;

	if (argc != 2) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "usage: save-display FILE");
		return;
	}
	if (ui_save_display(argv[1], &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s", err.message);
}

void tui_set_var(struct tui *tui, const char *name, const char *value)
{
	int i;

	for (i = 0; i < tui->n_vars && strcmp(tui->vars[i].name, name); i++)
		;
	if (i == tui->n_vars) {
		if (!value || i == TUI_VARS_MAX)
			return;
		snprintf(tui->vars[i].name, sizeof(tui->vars[i].name), "%s", name);
		tui->vars[i].value = NULL;
		tui->n_vars++;
	}
	free(tui->vars[i].value);
	tui->vars[i].value = value ? xstrdup(value) : NULL;
}

const char *tui_var(const struct tui *tui, const char *name)
{
	for (int i = 0; i < tui->n_vars; i++)
		if (!strcmp(tui->vars[i].name, name))
			return tui->vars[i].value;
	return NULL;
}

/* Replace every %(name) in line by its value as one shell-quoted word. false (with a
 * toast) when a variable is not set. */
static bool expand_vars(struct tui *tui, const char *line, struct buf *out)
{
	const char *p = line;

	while (*p) {
		const char *end, *value;
		char name[32], *quoted;

		if (p[0] != '%' || p[1] != '(' || !(end = strchr(p, ')'))) {
			buf_putc(out, *p++);
			continue;
		}
		snprintf(name, sizeof(name), "%.*s", (int)(end - p - 2), p + 2);
		value = tui_var(tui, name);
		if (!value) {
			ui_toast(&tui->ui, UI_TOAST_ERROR, "%%(%s) is not set here (select a row first)",
				 name);
			return false;
		}
		quoted = audit_shell_quote(1, &value);
		buf_puts(out, quoted);
		free(quoted);
		p = end + 1;
	}
	return true;
}

void tui_command(struct tui *tui, const char *text)
{
	struct pane *p = &tui->panes[tui->cur];
	struct buf expanded = BUF_INIT;
	char *words[MAX_WORDS], *store;
	const char *line;
	int n, pane;

	if (p->ops->select)
		p->ops->select(p, tui);
	if (!expand_vars(tui, text, &expanded)) {
		buf_free(&expanded);
		return;
	}
	line = buf_str(&expanded);
	store = xmalloc(strlen(line) + 1);
	n = split_words(line, store, words, MAX_WORDS);
	buf_free(&expanded);
	if (!n) {
		free(store);
		return;
	}
	pane = pane_find(words[0]);
	if (!strcmp(words[0], "save-display"))
		save_display(tui, n, words);
	else if (!strcmp(words[0], "quit") || !strcmp(words[0], "q"))
		tui->quit = true;
	else if (n == 1 && pane >= 0)
		tui_focus(tui, pane);
	else if (!verb_find(n, words, NULL))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "unknown command '%s' (Tab completes, ? lists verbs)",
			 words[0]);
	else
		tui_run_verb(tui, n, words);
	free(store);
}

/* Prompt completion: verbs, panes and the built-in commands. */
static const char *const builtin_cmds[] = {"quit", "save-display"};

static size_t complete_candidates(const char *prefix, const char **out, size_t max)
{
	size_t n = verb_complete(prefix, out, max), plen = strlen(prefix);

	for (int i = 0; i < PANE_COUNT && n < max; i++)
		if (!strncmp(pane_registry[i]->name, prefix, plen))
			out[n++] = pane_registry[i]->name;
	for (size_t i = 0; i < sizeof(builtin_cmds) / sizeof(builtin_cmds[0]) && n < max; i++)
		if (!strncmp(builtin_cmds[i], prefix, plen))
			out[n++] = builtin_cmds[i];
	return n;
}

static bool complete_command(void *ud, struct buf *text)
{
	struct tui *tui = ud;
	const char *cand[64];
	size_t n = complete_candidates(buf_str(text), cand, 64), common;
	struct buf list = BUF_INIT;

	if (!n) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "no command starts with '%s'", buf_str(text));
		return false;
	}
	common = strlen(cand[0]);
	for (size_t i = 1; i < n; i++) {
		size_t j = 0;

		while (j < common && cand[i][j] == cand[0][j])
			j++;
		common = j;
	}
	if (n == 1) {
		buf_reset(text);
		buf_printf(text, "%s ", cand[0]);
		ui_toast_clear(&tui->ui);
		return true;
	}
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%s", i ? "  " : "", cand[i]);
	ui_toast(&tui->ui, UI_TOAST_INFO, "%s", buf_str(&list));
	buf_free(&list);
	if (common <= text->len)
		return false;
	buf_reset(text);
	buf_append(text, cand[0], common);
	return true;
}

void tui_prompt_command(struct tui *tui, const char *initial)
{
	struct buf line = BUF_INIT;

	buf_puts(&line, initial ? initial : "");
	if (prompt_read(tui, ":", &line, NULL, complete_command, tui, &tui->history)) {
		ui_toast_clear(&tui->ui);
		tui_command(tui, buf_str(&line));
	}
	buf_free(&line);
}

static void filter_changed(void *ud, const char *text)
{
	struct tui *tui = ud;

	table_set_filter(tui->panes[tui->cur].shown, text);
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
	char *argv[] = {"sync", NULL};

	if (verb_find(1, argv, NULL)) {
		tui->refreshing = true; /* the header says so while the verb runs */
		tui_run_verb(tui, 1, argv);
		tui->refreshing = false;
		return;
	}
	tui_reload(tui);
	ui_toast(&tui->ui, UI_TOAST_WARN, "not available yet: sesctl sync (reloaded the cache)");
}

/* ---- dispatch ---- */

static void global_request(struct tui *tui, enum req req, int key)
{
	char name[32];

	switch (req) {
	case REQ_HELP: tui_focus(tui, PANE_HELP); break;
	case REQ_PROMPT: tui_prompt_command(tui, ""); break;
	case REQ_FILTER: start_filter(tui); break;
	case REQ_BACK:
		if (tui->cur == PANE_HELP)
			tui_focus(tui, tui->prev);
		break;
	case REQ_NEXT_PANE: tui_focus(tui, (tui->cur + 1) % PANE_COUNT); break;
	case REQ_PREV_PANE: tui_focus(tui, (tui->cur + PANE_COUNT - 1) % PANE_COUNT); break;
	case REQ_PANE_1: case REQ_PANE_2: case REQ_PANE_3:
	case REQ_PANE_4: case REQ_PANE_5: case REQ_PANE_6:
		if ((int)(req - REQ_PANE_1) < PANE_COUNT)
			tui_focus(tui, (int)(req - REQ_PANE_1));
		break;
	case REQ_REFRESH: refresh_data(tui); break;
	case REQ_REDRAW: clearok(curscr, TRUE); break;
	case REQ_DISMISS: ui_toast_clear(&tui->ui); break;
	case REQ_QUIT: tui->quit = true; break;
	case REQ_NONE:
		key_to_name(key, name, sizeof(name));
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s does nothing here (? lists the keys)", name);
		break;
	default: break;
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
	vi = table_hit(p->shown, tui->body_y + (pane_in_detail(p) ? 1 : 0), ev.y);
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
	for (int i = 0; i < PANE_COUNT; i++)
		pane_done(&tui->panes[i]);
	ui_end(&tui->ui);
	if (tui->script)
		fclose(tui->script);
	free(tui->script_path);
	for (int i = 0; i < tui->n_vars; i++)
		free(tui->vars[i].value);
	prompt_history_free(&tui->history);
	prompt_history_free(&tui->filter_history);
	free(tui->account_id);
	if (tui->have_account)
		ses_account_free(&tui->account);
	if (tui->paused_known)
		audit_entry_free(&tui->pause);
	free(tui);
}

int tui_main(struct core *core)
{
	struct tui *tui = xcalloc(1, sizeof(*tui));
	struct sc_error err, cache_err;
	enum sc_status cache_st;

	sc_error_clear(&err);
	sc_error_clear(&cache_err);
	tui->core = core;
	tui->wait = wait_stdin;
	tui->timeout_ms = -1;
	if (!open_script(tui)) {
		tui_free(tui);
		return sc_status_exit_code(SC_USAGE);
	}
	cache_st = core_cache(core, &tui->cache, &cache_err);
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
	tui_focus(tui, PANE_IDENTITIES);
	while (!tui->quit) {
		tui_draw(tui);
		handle_key(tui, tui_getkey(tui, tui->timeout_ms));
	}
	tui_free(tui);
	return 0;
}

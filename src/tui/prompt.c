/* The `:` and `/` prompts: the line editor on the status line, history, completion, and
 * running what was typed (prompt commands, %(vars), verbs). */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/config.h"
#include "sesctl/aws/endpoint.h"
#include "sesctl/tui/prompt.h"
#include "sesctl/tui/refresh.h"
#include "sesctl/tui/tui.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

static bool is_enter(int key)
{
	return key == '\r' || key == '\n' || key == KEYC_FN(KEY_ENTER);
}

static bool is_cancel(int key)
{
	return key == 27 || key == 3 || key == 7 || key == TKEY_EOF;
}

static bool is_backspace(int key)
{
	return key == KEYC_FN(KEY_BACKSPACE) || key == 127 || key == 8;
}

/* Drop the last UTF-8 character. */
static void drop_last(struct buf *line)
{
	while (line->len && ((unsigned char)line->data[line->len - 1] & 0xc0) == 0x80)
		line->len--;
	if (line->len)
		line->len--;
	if (line->data)
		line->data[line->len] = '\0';
}

static void draw_prompt(struct tui *tui, const char *prefix, const struct buf *line)
{
	struct buf shown = BUF_INIT;
	size_t w;
	int width = COLS - 1;

	/* the status line is the prompt now: a message (completions) goes above it */
	if (tui->ui.toast_kind != UI_TOAST_NONE)
		ui_put(&tui->ui, LINES - 2, 0, COLS, tui->ui.toast, THEME_STATUS);

	/* the prefix may name cached objects (a configuration set, an address) */
	text_sanitize(&shown, prefix, strlen(prefix), tui->ui.text_flags);
	text_sanitize(&shown, buf_str(line), line->len, tui->ui.text_flags);
	w = text_width(buf_str(&shown), shown.len);
	/* Keep the end of a long line visible. */
	if ((int)w > width) {
		const char *s = buf_str(&shown);
		size_t cut = 0;

		while (cut < shown.len && text_width(s + cut, shown.len - cut) > (size_t)width)
			cut++;
		ui_put_raw(&tui->ui, LINES - 1, 0, COLS, s + cut, THEME_PROMPT);
		w = (size_t)width;
	} else {
		ui_put_raw(&tui->ui, LINES - 1, 0, COLS, buf_str(&shown), THEME_PROMPT);
	}
	move(LINES - 1, (int)w);
	refresh();
	buf_free(&shown);
}

void prompt_history_add(struct prompt_history *h, const char *line)
{
	if (!*line || (h->n && !strcmp(h->items[h->n - 1], line)))
		return;
	if (h->n == PROMPT_HISTORY_MAX) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, sizeof(h->items[0]) * (PROMPT_HISTORY_MAX - 1));
		h->n--;
	}
	h->items[h->n++] = xstrdup(line);
}

void prompt_history_free(struct prompt_history *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->items[i]);
	h->n = 0;
}

/* <Up>/<Down>: *at walks 0..n (n is the line being typed). */
static bool history_step(struct prompt_history *h, int *at, int dir, struct buf *line)
{
	int to = *at + dir;

	if (!h || to < 0 || to > h->n)
		return false;
	*at = to;
	buf_reset(line);
	buf_puts(line, to < h->n ? h->items[to] : "");
	return true;
}

bool prompt_read(struct tui *tui, const char *prefix, struct buf *line,
		 prompt_change_fn change, prompt_complete_fn complete, void *ud,
		 struct prompt_history *hist)
{
	int at = hist ? hist->n : 0;

	for (;;) {
		int key;
		bool edited = false;

		tui_draw(tui);
		if (!ui_too_small())
			draw_prompt(tui, prefix, line);
		key = tui_getkey(tui, -1);
		if (key == TKEY_NONE || key == TKEY_REDRAW || key == TKEY_RESIZE)
			continue;
		/* a prompt that cannot be seen takes no keys but its cancel (see dialog.c) */
		if (ui_too_small() && !is_cancel(key))
			continue;
		if (is_enter(key)) {
			if (hist)
				prompt_history_add(hist, buf_str(line));
			return true;
		}
		if (is_cancel(key))
			return false;
		if (key == KEYC_FN(KEY_UP) || key == KEYC_FN(KEY_DOWN)) {
			edited = history_step(hist, &at, key == KEYC_FN(KEY_UP) ? -1 : 1, line);
		} else if (is_backspace(key)) {
			drop_last(line);
			edited = true;
		} else if (key == 21) { /* <C-u> */
			buf_reset(line);
			edited = true;
		} else if (key == '\t' && complete) {
			edited = complete(ud, line);
		} else if (key >= 32 && !KEYC_IS_FN(key) && key != 127) {
			char u[4];

			buf_append(line, u, text_utf8_put(u, (uint32_t)key));
			edited = true;
		}
		if (edited && change)
			change(ud, buf_str(line));
	}
}

#define MAX_WORDS 64

/* ---- commands and verbs ---- */

/* Split a command line into words: blanks separate, '…' and "…" quote, \ escapes. Words
 * are written into store (as long as line). Returns the count; -1 for a quote left open,
 * -2 for more than max words (a command is never run with a part of what was typed). */
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
		if (quote)
			return -1;
	}
	while (*line == ' ' || *line == '\t')
		line++;
	return *line ? -2 : n;
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

static bool show_output(struct tui *tui, const char *cmd, struct verb_result *res);

/* A verb that did not run to the end: declined (nothing was changed) or failed. */
static void toast_failure(struct tui *tui, const char *cmd, enum sc_status st,
			  const struct sc_error *err)
{
	char msg[SC_ERR_MSG_MAX + 256];

	if (st == SC_CANCELLED) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "cancelled: %s (nothing was changed)", cmd);
		return;
	}
	sc_error_format(err, msg, sizeof(msg));
	ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", cmd, msg);
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
	if (v->flags & VF_MUTATES) { /* asked here; run in a child, so the keys stay live */
		if (tui_change_running(tui)) {
			verb_args_free(&args);
			return tui_change_start(tui, argc, argv, cmd); /* says one is running */
		}
		ui_toast(&tui->ui, UI_TOAST_INFO, "asking: %s", cmd); /* the exact command */
		st = verb_check(tui->core, v, &args, argc, argv, dialog_verb_confirm, tui, &err);
		verb_args_free(&args);
		if (st) {
			toast_failure(tui, cmd, st, &err);
			tui_reload(tui); /* the refusal is in the trail */
			return st;
		}
		return tui_change_start(tui, argc, argv, cmd);
	}
	ui_toast(&tui->ui, UI_TOAST_INFO, "running: %s", cmd);
	tui_draw(tui);
	st = verb_run(tui->core, v, &args, argc, argv, dialog_verb_confirm, tui, &res, &err);
	if (st) {
		toast_failure(tui, cmd, st, &err);
	} else if (show_output(tui, cmd, &res)) {
		size_t n = tui->panes[PANE_OUTPUT].list.nrows;

		ui_toast(&tui->ui, UI_TOAST_INFO, "ok: %s  %zu row%s in %d Output (Esc back, / filter, "
			 "y copy)", cmd, n, n == 1 ? "" : "s", PANE_OUTPUT + 1);
	} else {
		result_summary(&res, summary, sizeof(summary));
		ui_toast(&tui->ui, UI_TOAST_INFO, "ok: %s%s%s", cmd, summary[0] ? "  " : "", summary);
	}
	verb_result_free(&res);
	verb_args_free(&args);
	tui_reload(tui);
	return st;
}

void tui_output_clear(struct tui_output *o)
{
	cJSON_Delete(o->json);
	free(o->text);
	for (size_t i = 0; o->columns && o->columns[i]; i++)
		free(o->columns[i]);
	free(o->columns);
	free(o->array_key);
	memset(o, 0, sizeof(*o));
}

/* A read verb's answer goes to the Output pane (taken from res), which gets the focus;
 * false when there is nothing to show as rows. */
static bool show_output(struct tui *tui, const char *cmd, struct verb_result *res)
{
	struct tui_output *o = &tui->output;
	size_t n = 0;

	if (!res->json && !res->text.len)
		return false;
	tui_output_clear(o);
	snprintf(o->cmd, sizeof(o->cmd), "%s", cmd);
	if (res->text_only || !res->json) { /* as the CLI prints it: its text (a zone file) */
		o->text = xstrdup(buf_str(&res->text));
	} else {
		o->json = res->json;
		res->json = NULL;
	}
	while (res->columns && res->columns[n])
		n++;
	if (n) {
		o->columns = xcalloc(n + 1, sizeof(*o->columns));
		for (size_t i = 0; i < n; i++)
			o->columns[i] = xstrdup(res->columns[i]);
	}
	o->array_key = res->array_key ? xstrdup(res->array_key) : NULL;
	tui->panes[PANE_OUTPUT].loaded = false; /* a new answer: load it again */
	tui_focus(tui, PANE_OUTPUT);
	return true;
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
	if ((!value && !tui->vars[i].value) ||
	    (value && tui->vars[i].value && !strcmp(value, tui->vars[i].value)))
		return;
	free(tui->vars[i].value);
	tui->vars[i].value = value ? xstrdup(value) : NULL;
	tui->vars_gen++;
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

/* :theme NAME — live; the themes folder and the compiled-in default (theme.h). */
static void switch_theme(struct tui *tui, int n, char **words)
{
	struct sc_error err;

	sc_error_clear(&err);
	if (n != 2) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "usage: :theme NAME (default, light, high-contrast, mono)");
		return;
	}
	if (ui_theme(&tui->ui, words[1], tui->core->opt.no_color, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "theme: %s", err.message);
	else
		ui_toast(&tui->ui, UI_TOAST_INFO, "theme %s", words[1]);
}

/* :region NAME — look at another region of the same profile (its cached data at once,
 * then a refresh in the background when it is stale). */
static void switch_region(struct tui *tui, int n, char **words)
{
	struct core *core = tui->core;

	if (n != 2 || !aws_region_valid(words[1])) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "usage: :region NAME (e.g. us-west-2)");
		return;
	}
	tui_refresh_stop(tui);
	free(core->region);
	core->region = xstrdup(words[1]);
	if (!core->n_regions) {
		core->regions = xcalloc(1, sizeof(*core->regions));
		core->n_regions = 1;
	} else {
		for (size_t i = 0; i < core->n_regions; i++) /* --region a --region b: one now */
			free(core->regions[i]);
	}
	core->regions[0] = xstrdup(words[1]);
	core->n_regions = 1;
	free(core->account_id); /* the account is learned again for this region */
	core->account_id = NULL;
	tui->refreshing = false;
	tui_reload(tui);
	tui_refresh_auto(tui);
	ui_toast(&tui->ui, UI_TOAST_INFO, "region %s", words[1]);
}

/* :profile [NAME|-] — switch to another AWS profile: its credentials, regions and policy
 * (read-only, protected) take effect at once; '-' goes back to no explicit profile (the
 * environment's keys, AWS_PROFILE, then default, as at a start without --profile);
 * without a name, list the profiles. */
static void switch_profile(struct tui *tui, int n, char **words)
{
	struct core *core = tui->core, fresh;
	struct core_options opt = core->opt;
	struct sc_error err;
	char *name;

	sc_error_clear(&err);
	if (n != 2) {
		char **names = NULL;
		size_t count = 0;
		struct buf b = BUF_INIT;

		aws_profile_names(core->aws, &names, &count);
		for (size_t i = 0; i < count; i++)
			buf_printf(&b, "%s%s", i ? ", " : "", names[i]);
		ui_toast(&tui->ui, UI_TOAST_INFO,
			 "profiles: %s (:profile NAME switches, :profile - goes back to the "
			 "environment's credentials)",
			 count ? buf_str(&b) : "none in the AWS config files");
		aws_profile_names_free(names, count);
		buf_free(&b);
		return;
	}
	name = strcmp(words[1], "-") ? xstrdup(words[1]) : NULL;
	opt.profile = name;
	if (core_init(&fresh, &opt, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "profile %s: %s", name ? name : "-", err.message);
		free(name);
		return;
	}
	tui_refresh_stop(tui);
	tui->refreshing = false;
	core_free(core);
	*core = fresh;
	free(tui->profile_name);
	tui->profile_name = name;
	tui->cache = NULL;
	tui->audit = NULL;
	if (core_cache(core, &tui->cache, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "cache: %s", err.message);
	core_audit(core, &tui->audit, NULL);
	tui_reload(tui);
	tui_refresh_auto(tui);
	ui_toast(&tui->ui, UI_TOAST_INFO, "profile %s%s", name ? name : core->profile,
		 !name ? " (no --profile: the environment's credentials first)"
		 : core->read_only ? " (read-only)"
		 : core->protected_ ? " (protected)"
				    : "");
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
	if (n <= 0) {
		if (n < 0)
			ui_toast(&tui->ui, UI_TOAST_ERROR, "%s; nothing was run",
				 n == -1 ? "a quote is not closed" : "too many words");
		free(store);
		return;
	}
	pane = pane_find(words[0]);
	if (!strcmp(words[0], "save-display"))
		save_display(tui, n, words);
	else if (!strcmp(words[0], "quit") || !strcmp(words[0], "q"))
		tui->quit = true;
	else if (!strcmp(words[0], "theme"))
		switch_theme(tui, n, words);
	else if (!strcmp(words[0], "region"))
		switch_region(tui, n, words);
	else if (!strcmp(words[0], "profile"))
		switch_profile(tui, n, words);
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
static const char *const builtin_cmds[] = {"quit", "save-display", "theme", "region", "profile"};

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

/* Object names the loaded panes offer for a verb's argument (identity names, ...). */
static size_t complete_words(struct tui *tui, const char *prefix, const char **out, size_t max)
{
	size_t n = 0;

	for (int i = 0; i < PANE_COUNT && n < max; i++) {
		struct pane *p = &tui->panes[i];

		if (p->loaded && p->ops->words)
			n += p->ops->words(p, prefix, out + n, max - n);
	}
	return n;
}

/* Does text (up to its last word) start with a whole verb name? */
static bool after_verb(const char *text, size_t base)
{
	char *copy = xstrndup(text, base), *words[MAX_WORDS], *save = NULL;
	int n = 0, used = 0;
	bool ok;

	for (char *w = strtok_r(copy, " ", &save); w && n < MAX_WORDS; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	ok = n && verb_find(n, words, &used) && used <= n;
	free(copy);
	return ok;
}

/* The verb that text (up to base) names, or NULL. */
static const struct verb *verb_of(const char *text, size_t base)
{
	char *copy = xstrndup(text, base), *words[MAX_WORDS], *save = NULL;
	const struct verb *v;
	int n = 0, used = 0;

	for (char *w = strtok_r(copy, " ", &save); w && n < MAX_WORDS; w = strtok_r(NULL, " ", &save))
		words[n++] = w;
	v = n ? verb_find(n, words, &used) : NULL;
	free(copy);
	return v;
}

/* "--name" for each option of v starting with prefix (the verb table's "a= b" list). */
static size_t complete_flags(const struct verb *v, const char *prefix, char (*store)[48],
			     const char **out, size_t max)
{
	const char *s = v->options ? v->options : "";
	size_t n = 0, plen = strlen(prefix);

	while (*s && n < max) {
		size_t len = strcspn(s, " "), name = len;

		if (name && s[name - 1] == '=')
			name--;
		snprintf(store[n], sizeof(store[n]), "--%.*s", (int)name, s);
		if (name && !strncmp(store[n], prefix, plen))
			out[n] = store[n], n++;
		s += len;
		s += strspn(s, " ");
	}
	return n;
}

/* Replace text[base..] by the candidates' common prefix (plus a space when only one). */
static bool complete_from(struct tui *tui, struct buf *text, size_t base, const char **cand,
			  size_t n)
{
	struct buf list = BUF_INIT;
	size_t common;

	if (!n) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "nothing to complete '%s' with", buf_str(text) + base);
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
		text->len = base;
		buf_printf(text, "%s ", cand[0]);
		ui_toast_clear(&tui->ui);
		return true;
	}
	for (size_t i = 0; i < n; i++)
		buf_printf(&list, "%s%s", i ? "  " : "", cand[i]);
	ui_toast(&tui->ui, UI_TOAST_INFO, "%s", buf_str(&list));
	buf_free(&list);
	if (base + common <= text->len)
		return false;
	text->len = base;
	buf_append(text, cand[0], common);
	return true;
}

/* Tab: a verb (or pane, or prompt command) at the start; after a whole verb, an object
 * name from the loaded panes, or one of its options when the word starts with '-'. */
static bool complete_command(void *ud, struct buf *text)
{
	struct tui *tui = ud;
	const char *cand[64], *s = buf_str(text), *sp = strrchr(s, ' ');
	size_t base = sp ? (size_t)(sp - s) + 1 : 0, n;
	char flags[32][48];

	if (base && s[base] == '-' && verb_of(s, base)) {
		n = complete_flags(verb_of(s, base), s + base, flags, cand, 32);
		return complete_from(tui, text, base, cand, n);
	}
	if (base && after_verb(s, base)) {
		n = complete_words(tui, s + base, cand, 64);
		return complete_from(tui, text, base, cand, n);
	}
	n = complete_candidates(s, cand, 64);
	return complete_from(tui, text, 0, cand, n);
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

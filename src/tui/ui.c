/* Curses set-up, glyphs, pens, cells, the status line and the screen dump. */
#include "sesctl/tui/ui.h"

#include <errno.h>
#include <fcntl.h>
#include <langinfo.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <term.h>
#include <unistd.h>
#include <wchar.h>

#include "sesctl/util/libs.h"
#include "sesctl/util/text.h"

static const char *const glyphs[UI_GLYPH_COUNT][2] = {
#define UI_GLYPH_ROW(id, utf8, ascii) {utf8, ascii},
	UI_GLYPHS(UI_GLYPH_ROW)
#undef UI_GLYPH_ROW
};

static bool env_on(const char *name)
{
	const char *v = getenv(name);

	return v && *v && strcmp(v, "0");
}

static bool want_ascii(void)
{
	const char *cs = nl_langinfo(CODESET);

	return env_on("SESCTL_ASCII") || !cs || strcmp(cs, "UTF-8");
}

/* $XDG_STATE_HOME/sesctl (else ~/.local/state/sesctl), created 0700; false when unknown. */
static bool state_dir(char *out, size_t outlen)
{
	const char *xdg = getenv("XDG_STATE_HOME"), *home = getenv("HOME");
	char parent[2048], local[2048];

	if (xdg && xdg[0] == '/') {
		if (snprintf(parent, sizeof(parent), "%s", xdg) >= (int)sizeof(parent))
			return false;
	} else if (home && home[0] == '/') {
		if (snprintf(local, sizeof(local), "%s/.local", home) >= (int)sizeof(local) ||
		    snprintf(parent, sizeof(parent), "%s/state", local) >= (int)sizeof(parent))
			return false;
		mkdir(local, 0700);
	} else {
		return false;
	}
	mkdir(parent, 0700);
	if (snprintf(out, outlen, "%s/sesctl", parent) >= (int)outlen)
		return false;
	return mkdir(out, 0700) == 0 || errno == EEXIST;
}

static void redirect_stderr(struct ui *ui)
{
	char dir[4000];
	int fd = -1;

	ui->saved_stderr = -1;
	if (state_dir(dir, sizeof(dir)) &&
	    snprintf(ui->stderr_log, sizeof(ui->stderr_log), "%s/console.log", dir) <
		    (int)sizeof(ui->stderr_log)) {
		fd = open(ui->stderr_log, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	}
	if (fd < 0) {
		ui->stderr_log[0] = '\0';
		fd = open("/dev/null", O_WRONLY | O_CLOEXEC);
	}
	if (fd < 0)
		return;
	fflush(stderr);
	ui->saved_stderr = dup(STDERR_FILENO);
	if (ui->saved_stderr < 0 || dup2(fd, STDERR_FILENO) < 0) {
		if (ui->saved_stderr >= 0)
			close(ui->saved_stderr);
		ui->saved_stderr = -1;
	}
	close(fd);
}

static void restore_stderr(struct ui *ui)
{
	struct stat st;

	if (ui->saved_stderr < 0)
		return;
	fflush(stderr);
	dup2(ui->saved_stderr, STDERR_FILENO);
	close(ui->saved_stderr);
	ui->saved_stderr = -1;
	if (ui->stderr_log[0] && !stat(ui->stderr_log, &st) && st.st_size > 0)
		fprintf(stderr, "sesctl: messages from the session are in %s\n", ui->stderr_log);
}

/* TERM=dumb (or any terminal without cursor addressing) would draw every line after the
 * last one: a screen that cannot be read is worse than a refusal. */
static bool can_address_cursor(void)
{
	const char *cup = tigetstr("cup");

	return cup && cup != (char *)-1 && *cup;
}

static enum sc_status open_screen(struct ui *ui, struct sc_error *err)
{
	const char *term = getenv("TERM");

	if (!term || !*term)
		term = ui->headless ? "dumb" : NULL;
	if (ui->headless) {
		ui->out = fopen("/dev/null", "w");
		ui->in = fopen("/dev/null", "r");
		if (!ui->out || !ui->in)
			return sc_fail(err, SC_IO, "cannot open /dev/null for the headless display");
		ui->tty_fd = -1;
	} else {
		if (!isatty(STDIN_FILENO) || !isatty(STDOUT_FILENO))
			return sc_fail(err, SC_USAGE,
				       "the console needs a terminal; give a verb instead (sesctl --help)");
		ui->tty_fd = STDOUT_FILENO;
		redirect_stderr(ui);
	}
	ui->screen = newterm(term, ui->headless ? ui->out : stdout, ui->headless ? ui->in : stdin);
	if (!ui->screen)
		return sc_fail(err, SC_IO, "cannot start the terminal '%s'", term ? term : "(unset)");
	set_term(ui->screen);
	if (!ui->headless && !can_address_cursor())
		return sc_fail(err, SC_USAGE,
			       "TERM=%s cannot move the cursor, so the console cannot draw; set TERM "
			       "to your terminal (e.g. xterm-256color), or use the verbs (sesctl --help)",
			       term ? term : "(unset)");
	return SC_OK;
}

static void load_theme(struct ui *ui, const char *theme_name, bool no_color)
{
	struct theme t;
	struct sc_error err;
	struct theme_caps caps;
	int colors = tigetnum("colors");

	if (!theme_name || theme_load(&t, theme_name, &err)) {
		if (theme_name)
			ui_toast(ui, UI_TOAST_WARN, "theme: %s", err.message);
		theme_init_default(&t);
	}
	caps = theme_caps_from(has_colors() ? colors : 0, has_colors() && can_change_color(),
			       getenv("COLORTERM"), getenv("NO_COLOR"), no_color);
	theme_apply(&t, &caps, ui->pen);
}

enum sc_status ui_theme(struct ui *ui, const char *theme_name, bool no_color,
		       struct sc_error *err)
{
	struct theme t;

	if (theme_load(&t, theme_name, err)) /* check first: a bad name keeps the current one */
		return err->status;
	load_theme(ui, theme_name, no_color);
	clearok(curscr, TRUE);
	return SC_OK;
}

/* A library loaded on first use that cannot be loaded ends the process: give the terminal
 * back first, so its one line is seen. */
static struct ui *fatal_ui;

static void ui_fatal(void)
{
	if (fatal_ui)
		ui_end(fatal_ui);
}

enum sc_status ui_init(struct ui *ui, const char *theme_name, bool no_color, bool ascii,
		       struct sc_error *err)
{
	enum sc_status st;

	memset(ui, 0, sizeof(*ui));
	ui->saved_stderr = -1;
	ui->headless = env_on("SESCTL_NO_DISPLAY");
	ui->ascii = ascii || want_ascii();
	ui->text_flags = ui->ascii ? TEXT_ASCII : 0;
	st = open_screen(ui, err);
	if (st) {
		ui_end(ui);
		return st;
	}
	ui->active = true;
	fatal_ui = ui;
	libs_set_fatal_hook(ui_fatal);
	raw();
	noecho();
	nonl();
	keypad(stdscr, TRUE);
	set_escdelay(25);
	if (!ui->headless)
		mousemask(BUTTON1_CLICKED | BUTTON1_PRESSED | BUTTON4_PRESSED | BUTTON5_PRESSED,
			  NULL);
	load_theme(ui, theme_name, no_color);
	return SC_OK;
}

void ui_end(struct ui *ui)
{
	if (fatal_ui == ui) {
		fatal_ui = NULL;
		libs_set_fatal_hook(NULL);
	}
	if (ui->active) {
		endwin();
		ui->active = false;
	}
	if (ui->screen)
		delscreen(ui->screen);
	if (ui->out)
		fclose(ui->out);
	if (ui->in)
		fclose(ui->in);
	restore_stderr(ui);
	ui->screen = NULL;
	ui->out = ui->in = NULL;
	buf_free(&ui->line);
}

const char *ui_glyph(const struct ui *ui, enum ui_glyph g)
{
	return (unsigned)g < UI_GLYPH_COUNT ? glyphs[g][ui->ascii] : "?";
}

attr_t ui_attr(const struct ui *ui, enum theme_element el)
{
	return (unsigned)el < THEME_COUNT ? ui->pen[el] : A_NORMAL;
}

void ui_fit(const struct ui *ui, struct buf *out, const char *s, size_t width)
{
	text_fit(out, s, width, ui->text_flags);
}

static void put_fitted(struct ui *ui, int y, int x, const char *s, enum theme_element el)
{
	attr_t a = ui_attr(ui, el);

	attron(a);
	mvaddstr(y, x, s);
	attroff(a);
}

void ui_put(struct ui *ui, int y, int x, int width, const char *s, enum theme_element el)
{
	if (width <= 0)
		return;
	buf_reset(&ui->line);
	text_fit(&ui->line, s, (size_t)width, ui->text_flags);
	put_fitted(ui, y, x, buf_str(&ui->line), el);
}

void ui_put_raw(struct ui *ui, int y, int x, int width, const char *s, enum theme_element el)
{
	if (width <= 0)
		return;
	buf_reset(&ui->line);
	text_pad(&ui->line, s ? s : "", s ? strlen(s) : 0, (size_t)width, ui->text_flags);
	put_fitted(ui, y, x, buf_str(&ui->line), el);
}

void ui_toast(struct ui *ui, enum ui_toast kind, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(ui->toast, sizeof(ui->toast), fmt, ap);
	va_end(ap);
	ui->toast_kind = kind;
}

void ui_toast_clear(struct ui *ui)
{
	ui->toast[0] = '\0';
	ui->toast_kind = UI_TOAST_NONE;
}

void ui_toast_age(struct ui *ui)
{
	if (ui->toast_kind != UI_TOAST_ERROR)
		ui_toast_clear(ui);
}

void ui_draw_status(struct ui *ui, const char *hint)
{
	static const enum theme_element els[] = {
		[UI_TOAST_NONE] = THEME_STATUS, [UI_TOAST_INFO] = THEME_TOAST_INFO,
		[UI_TOAST_WARN] = THEME_TOAST_WARN, [UI_TOAST_ERROR] = THEME_TOAST_ERROR};
	char line[600];

	if (ui->toast_kind == UI_TOAST_NONE) {
		ui_put(ui, LINES - 1, 0, COLS, hint, THEME_STATUS);
		return;
	}
	/* The word carries the meaning, the colour only repeats it. */
	snprintf(line, sizeof(line), "%s%s",
		 ui->toast_kind == UI_TOAST_ERROR  ? "error: "
		 : ui->toast_kind == UI_TOAST_WARN ? "warning: "
						   : "",
		 ui->toast);
	if (ui->toast_kind == UI_TOAST_ERROR && strlen(line) + 24 < sizeof(line))
		strcat(line, "  (<C-g> dismisses)");
	ui_put(ui, LINES - 1, 0, COLS, line, els[ui->toast_kind]);
}

/* One screen row as UTF-8, trailing spaces trimmed. A wide character fills two cells;
 * its second cell is skipped. */
static void dump_row(struct buf *out, int y)
{
	size_t start = out->len;

	for (int x = 0; x < COLS; x++) {
		wchar_t wch[CCHARW_MAX + 1] = {0};
		attr_t attrs;
		short pair;
		cchar_t cc;
		char u[4];

		if (mvin_wch(y, x, &cc) == ERR)
			break;
		if (getcchar(&cc, wch, &attrs, &pair, NULL) == ERR || !wch[0])
			wch[0] = L' ', wch[1] = 0;
		for (int i = 0; wch[i]; i++)
			buf_append(out, u, text_utf8_put(u, (uint32_t)wch[i]));
		if (wcwidth(wch[0]) == 2)
			x++;
	}
	while (out->len > start && out->data[out->len - 1] == ' ')
		out->len--;
	buf_putc(out, '\n');
}

enum sc_status ui_save_display(const char *path, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	FILE *f;

	for (int y = 0; y < LINES; y++)
		dump_row(&b, y);
	f = fopen(path, "w");
	if (!f) {
		buf_free(&b);
		return sc_fail(err, SC_IO, "cannot write the screen dump to %s", path);
	}
	fwrite(b.data, 1, b.len, f);
	buf_free(&b);
	if (fclose(f))
		return sc_fail(err, SC_IO, "cannot write the screen dump to %s", path);
	return SC_OK;
}

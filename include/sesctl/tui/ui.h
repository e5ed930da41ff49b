#ifndef SESCTL_TUI_UI_H
#define SESCTL_TUI_UI_H

/*
 * The screen: curses set-up and teardown (a real terminal, or newterm() on /dev/null for
 * scripted runs), the glyph set (UTF-8 or ASCII), colour pens from tui/theme.h, putting
 * sanitized text into cells, the status line (toasts), and the screen dump.
 *
 * Every string drawn goes through ui_put()/ui_fit(), which sanitize and fit it to a
 * width with util/text.h, so network text never reaches the terminal raw.
 *
 * ASCII mode (borders, glyphs, ellipsis, sanitizer) is on when SESCTL_ASCII=1 or the
 * locale's codeset is not UTF-8. Colours: the theme named in the settings (default when
 * it cannot be loaded; the reason becomes a warning toast); attributes only under
 * NO_COLOR, --no-color, or a terminal without colour.
 */

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>

#include "sesctl/tui/theme.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

#define UI_MIN_COLS 80
#define UI_MIN_LINES 20

enum ui_toast {
	UI_TOAST_NONE = 0,
	UI_TOAST_INFO,
	UI_TOAST_WARN,
	UI_TOAST_ERROR, /* stays until dismissed (any key shows it gone; <C-g> explicitly) */
};

/* Glyphs with their ASCII stand-ins: id, UTF-8, ASCII. */
#define UI_GLYPHS(_)                                                                          \
	_(VBAR, "\xe2\x94\x82", "|")                                                          \
	_(HBAR, "\xe2\x94\x80", "-")                                                          \
	_(DASH, "\xe2\x80\x94", "-")                                                          \
	_(SORT_UP, "\xe2\x96\xb2", "^")                                                       \
	_(SORT_DOWN, "\xe2\x96\xbc", "v")                                                     \
	_(ELLIPSIS, "\xe2\x80\xa6", "...")                                                  \
	_(TOP_LEFT, "\xe2\x94\x8c", "+")                                                      \
	_(TOP_RIGHT, "\xe2\x94\x90", "+")                                                     \
	_(BOTTOM_LEFT, "\xe2\x94\x94", "+")                                                   \
	_(BOTTOM_RIGHT, "\xe2\x94\x98", "+")

enum ui_glyph {
#define UI_GLYPH_ENUM(id, utf8, ascii) UI_GLYPH_##id,
	UI_GLYPHS(UI_GLYPH_ENUM)
#undef UI_GLYPH_ENUM
	UI_GLYPH_COUNT
};

struct ui {
	bool active;              /* curses is running */
	bool headless;            /* newterm() on /dev/null (SESCTL_NO_DISPLAY=1) */
	bool ascii;
	unsigned text_flags;      /* TEXT_ASCII in ASCII mode, else 0 */
	SCREEN *screen;
	FILE *out, *in;           /* the streams handed to newterm() (ours to close) */
	int tty_fd;               /* for clip.h's OSC 52; -1 when headless */
	int saved_stderr;         /* fd 2 before the session (real terminals), or -1 */
	char stderr_log[4096];    /* where fd 2 goes meanwhile ("" when not redirected) */
	attr_t pen[THEME_COUNT];
	char toast[512];          /* sanitized */
	enum ui_toast toast_kind;
	struct buf line;          /* scratch for ui_put */
};

/* Start curses. On a real terminal, fd 2 goes to $XDG_STATE_HOME/sesctl/console.log
 * (0600, truncated; /dev/null when it cannot be made) until ui_end(), so a verb's progress
 * or a library's complaint cannot scribble over the screen; ui_end() restores it and, when
 * anything was written, says where. no_color: --no-color; ascii: --ascii (SESCTL_ASCII=1 and a non-UTF-8
 * locale also give ASCII). theme_name: settings view (NULL: default). A problem with the
 * theme is left as a warning toast. SC_USAGE without a terminal, SC_IO when curses fails. */
enum sc_status ui_init(struct ui *ui, const char *theme_name, bool no_color, bool ascii,
		       struct sc_error *err);
void ui_end(struct ui *ui);
/* Switch to another theme live (`:theme NAME`); an unknown or broken theme is an error
 * and the current one stays. */
enum sc_status ui_theme(struct ui *ui, const char *theme_name, bool no_color,
			struct sc_error *err);

const char *ui_glyph(const struct ui *ui, enum ui_glyph g);
attr_t ui_attr(const struct ui *ui, enum theme_element el);

/* Sanitize s (NULL = "") and draw it at y,x padded/truncated to exactly width columns. */
void ui_put(struct ui *ui, int y, int x, int width, const char *s, enum theme_element el);
/* Same, without sanitizing: for text the program composed from sanitized parts. */
void ui_put_raw(struct ui *ui, int y, int x, int width, const char *s, enum theme_element el);
/* Sanitize s into out fitted to width (ui's ASCII mode honoured). */
void ui_fit(const struct ui *ui, struct buf *out, const char *s, size_t width);

/* Set the status-line message (printf-style, sanitized when drawn). */
void ui_toast(struct ui *ui, enum ui_toast kind, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ui_toast_clear(struct ui *ui);
/* Forget an info/warn toast (on the next key); error toasts stay until ui_toast_clear. */
void ui_toast_age(struct ui *ui);
/* Draw the status line (the last line) with the toast, or hint when there is none. */
void ui_draw_status(struct ui *ui, const char *hint);

/* Dump the screen as plain UTF-8 text, one line per row, trailing spaces trimmed. */
enum sc_status ui_save_display(const char *path, struct sc_error *err);

/* Below the minimum size only the "terminal too small" screen is drawn. */
static inline bool ui_too_small(void)
{
	return COLS < UI_MIN_COLS || LINES < UI_MIN_LINES;
}

#endif

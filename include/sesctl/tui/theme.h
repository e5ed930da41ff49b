#ifndef SESCTL_TUI_THEME_H
#define SESCTL_TUI_THEME_H

/*
 * Semantic colours. Panes draw with an element (THEME_ROW_SELECTED, THEME_STATE_FAILED,
 * ...), never with a colour; a theme maps elements to colours and attributes.
 *
 * Theme files (tig-like; one command per line; blank lines ignored; a word starting with
 * '#' begins a comment, except as <fg> or <bg> where it is a "#rrggbb" colour):
 *
 *   color   <element> <fg> <bg> [attr...]   the colour for truecolor and 256-colour terminals
 *   color16 <element> <fg> <bg> [attr...]   explicit fallback for 16/8-colour terminals
 *   mono    <element> [attr...]             attributes when there is no colour at all
 *
 * Colours: "#rrggbb", 0-255 (xterm palette), default, black red green yellow blue
 * magenta cyan white, and the bright- forms (bright-red or brightred). color16 accepts
 * only default, names and 0-15. Attributes: bold reverse underline dim standout, or
 * normal (none). A color line resets the element's color16 and mono lines, so put those
 * after it. Elements a theme does not mention keep the default theme's values.
 * Errors name the place: "themes/x.theme:12: unknown element 'rowz'."
 *
 * The default theme is compiled in (theme_default_text(), identical to
 * themes/default.theme, which a unit test checks). Named themes are looked up, first
 * match wins, as <name>.theme in $XDG_CONFIG_HOME/sesctl/themes (else
 * ~/.config/sesctl/themes), SESCTL_DATADIR/themes, then $SESCTL_THEMES_DIR.
 *
 * Resolution is pure (theme_resolve): truecolor when COLORTERM says truecolor/24bit and
 * the terminal has direct colour or can change its palette -> the nearest xterm-256
 * index -> the color16 line, else the nearest of the 16 (or 8) base colours -> attributes
 * only (the mono line, else the color line's attributes) when NO_COLOR is set and not
 * empty, --no-color was given, or the terminal has no colour. theme_apply() is the only
 * curses-facing call.
 */

#include <curses.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sesctl/ses/model.h"
#include "sesctl/util/err.h"

/* ENUM, file name, what it colours */
#define THEME_ELEMENTS(_)                                                                     \
	_(HEADER, header, "header bar: profile, region, account, data age")                  \
	_(HEADER_RO, header_ro, "the [RO] badge and read-only profile name")                 \
	_(BANNER_PAUSED, banner_paused, "the SENDING PAUSED banner")                          \
	_(STATUS, status, "status line")                                                      \
	_(TOAST_INFO, toast_info, "informational toast")                                      \
	_(TOAST_WARN, toast_warn, "warning toast")                                            \
	_(TOAST_ERROR, toast_error, "error toast")                                            \
	_(TITLE, title, "pane title, unfocused")                                              \
	_(TITLE_FOCUS, title_focus, "pane title, focused")                                    \
	_(BORDER, border, "pane borders and separators")                                      \
	_(COL_HEADER, col_header, "column headers of tables")                                 \
	_(ROW, row, "table row")                                                              \
	_(ROW_ALT, row_alt, "alternate table row")                                            \
	_(ROW_SELECTED, row_selected, "selected row")                                         \
	_(ROW_MARKED, row_marked, "rows marked for a bulk action")                            \
	_(STATE_OK, state_ok, "verified, enabled, healthy")                                   \
	_(STATE_PENDING, state_pending, "pending, not started")                               \
	_(STATE_FAILED, state_failed, "failed, disabled, shut down")                          \
	_(STATE_WARN, state_warn, "temporary failure, probation, drift")                      \
	_(STATE_UNKNOWN, state_unknown, "a status this version does not know")                \
	_(STALE, stale, "cached data older than the refresh interval")                        \
	_(THRESHOLD_REVIEW, threshold_review, "graph line: AWS review threshold")             \
	_(THRESHOLD_PAUSE, threshold_pause, "graph line: AWS pause threshold")                \
	_(GRAPH_BOUNCE, graph_bounce, "bounce rate series")                                   \
	_(GRAPH_COMPLAINT, graph_complaint, "complaint rate series")                          \
	_(GRAPH_AXIS, graph_axis, "graph axis and labels")                                    \
	_(GRAPH_CURSOR, graph_cursor, "graph cursor column")                                  \
	_(DIALOG, dialog, "dialog body")                                                      \
	_(DIALOG_BORDER, dialog_border, "dialog frame")                                       \
	_(DIALOG_DANGER, dialog_danger, "destructive dialog title")                           \
	_(PROMPT, prompt, ": command and / filter prompt")                                    \
	_(FILTER_MATCH, filter_match, "text matching the filter")                             \
	_(HELP_KEY, help_key, "keys in the help screen")                                      \
	_(HELP_DESC, help_desc, "descriptions in the help screen")                            \
	_(LOG_ERROR, log_error, "failed calls in the log pane")                               \
	_(LOG_WRITE, log_write, "mutating calls in the log pane")                             \
	_(DIFF_ADD, diff_add, "added lines in a snapshot diff")                               \
	_(DIFF_DEL, diff_del, "removed lines in a snapshot diff")

enum theme_element {
#define THEME_ELEMENT_ENUM(id, name, desc) THEME_##id,
	THEME_ELEMENTS(THEME_ELEMENT_ENUM)
#undef THEME_ELEMENT_ENUM
	THEME_COUNT
};

#define THEME_ATTRS(_)                                                                        \
	_(BOLD, bold, 1u << 0)                                                                \
	_(REVERSE, reverse, 1u << 1)                                                          \
	_(UNDERLINE, underline, 1u << 2)                                                      \
	_(DIM, dim, 1u << 3)                                                                  \
	_(STANDOUT, standout, 1u << 4)

enum theme_attr {
#define THEME_ATTR_ENUM(id, name, bit) THEME_ATTR_##id = bit,
	THEME_ATTRS(THEME_ATTR_ENUM)
#undef THEME_ATTR_ENUM
};

enum theme_color_kind {
	THEME_COLOR_DEFAULT, /* the terminal's own foreground/background */
	THEME_COLOR_INDEX,   /* palette index 0-255 */
	THEME_COLOR_RGB,     /* 0xrrggbb */
};

struct theme_color {
	enum theme_color_kind kind;
	uint32_t value;
};

struct theme_style {
	struct theme_color fg, bg;
	unsigned attrs;
	bool has16;
	struct theme_color fg16, bg16;
	unsigned attrs16;
	bool has_mono;
	unsigned mono_attrs;
};

struct theme {
	char name[64];
	struct theme_style el[THEME_COUNT];
};

/* What the terminal can do, decided once at start-up. */
struct theme_caps {
	int colors;     /* COLORS: 0 or less for none, 8, 16, 256, 16777216 */
	bool truecolor; /* use "#rrggbb" as is */
	bool no_color;  /* attributes only */
};

/* A resolved element: colours are -1 (terminal default), 0-255 (palette), or
 * THEME_PEN_RGB | 0xrrggbb (truecolor only). attrs are enum theme_attr bits. */
#define THEME_PEN_RGB 0x1000000
struct theme_pen {
	int fg, bg;
	unsigned attrs;
};

const char *theme_element_name(enum theme_element e);
const char *theme_element_desc(enum theme_element e);
/* -1 when unknown. */
int theme_element_from(const char *name);

/* The compiled-in default theme text (the contents of themes/default.theme). */
const char *theme_default_text(void);
/* Fill t with the default theme. Never fails. */
void theme_init_default(struct theme *t);

/* Apply theme commands from text on top of t. origin names the text in errors ("path").
 * On error t may be partly changed; SC_CONFIG with "origin:line: ..." */
enum sc_status theme_parse(struct theme *t, const char *text, size_t len, const char *origin,
			   struct sc_error *err);
/* The default theme, then the file at path on top. SC_IO when unreadable. */
enum sc_status theme_load_file(struct theme *t, const char *path, struct sc_error *err);
/* The theme called name ("default" is the compiled-in one; a name with '/' is a path).
 * SC_NOT_FOUND lists where it looked; SC_USAGE for a malformed name. */
enum sc_status theme_load(struct theme *t, const char *name, struct sc_error *err);
/* Where theme_load() would read name from, or SC_NOT_FOUND. */
enum sc_status theme_find(const char *name, char *path, size_t pathlen, struct sc_error *err);

/* Pure decision from COLORS, can_change_color(), $COLORTERM, $NO_COLOR, --no-color. */
struct theme_caps theme_caps_from(int colors, bool can_change, const char *colorterm,
				  const char *no_color_env, bool no_color_flag);
/* Pure: every element's pen for these capabilities. */
void theme_resolve(const struct theme *t, const struct theme_caps *caps,
		   struct theme_pen out[THEME_COUNT]);

/* xterm palette helpers: the RGB of index 0-255; the nearest index in 16-255 (cube and
 * grey ramp, which users rarely redefine); the nearest of the first n (8 or 16). */
uint32_t theme_palette_rgb(int index);
int theme_nearest_256(uint32_t rgb);
int theme_nearest_base(uint32_t rgb, int n);

/* Curses: init the colour pairs (1..THEME_COUNT) and fill out[] with the attr_t to use
 * for each element. Call after initscr()/newterm(). Never fails: a pair the terminal
 * refuses falls back to attributes only. */
void theme_apply(const struct theme *t, const struct theme_caps *caps,
		 attr_t out[THEME_COUNT]);

/* Colour is never the only carrier of meaning: a one-column glyph ("✓", ascii "+") and a
 * word ("ok") for each state, and the element to colour it with. */
const char *theme_state_glyph(enum ses_state s, bool ascii);
const char *theme_state_word(enum ses_state s);
enum theme_element theme_state_element(enum ses_state s);

#endif

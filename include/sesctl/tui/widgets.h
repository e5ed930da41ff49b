#ifndef SESCTL_TUI_WIDGETS_H
#define SESCTL_TUI_WIDGETS_H

/*
 * Widgets every pane uses: the table (columns, rows of sanitized cells with a state per
 * row and per cell, filter, sort, scroll, selection), the line editor behind the `:`
 * prompt and the `/` filter, and the confirmation dialogs (the verb_confirm_fn the TUI
 * hands to verb_run()).
 *
 * Table ownership: table_add() copies and sanitizes the cells; table_clear()/table_free()
 * release them. Column descriptions (struct table_col) are borrowed and must outlive the
 * table (they are static in the panes). A row's ref is the pane's own index of the object
 * behind it, so a pane can find its model struct from the selected row.
 *
 * Lazy rows (table_add_lazy): a row holds its ref, id, state and key, and no cells until
 * the table first needs them (drawn, searched by the filter, sorted on a text column,
 * measured for a TCOL_FIT column); it then calls t->build, which fills them with
 * table_fill(). A list of 100,000 identities costs the rows on screen, not every row.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sesctl/ses/model.h"
#include "sesctl/tui/keys.h"
#include "sesctl/tui/ui.h"
#include "sesctl/util/buf.h"

struct tui;
struct table;

enum tcol_flag {
	TCOL_FLEX = 1 << 0,  /* takes the columns left over (at least width) */
	TCOL_RIGHT = 1 << 1, /* right-aligned */
	TCOL_KEY = 1 << 2,   /* sorts by the row's key, not its text */
	TCOL_MIDDLE = 1 << 3, /* a name: shortened in the middle, so its end stays visible */
	TCOL_FIT = 1 << 4,    /* grows to its widest cell while the flex column keeps its width */
	TCOL_DROP = 1 << 5,   /* left out when the declared widths do not fit, right-most first */
};

#define TABLE_MAX_COLS 32 /* columns past it are not shown */

struct table_col {
	const char *title;
	int width;
	unsigned flags;
};

struct table_row {
	char **cells;             /* ncols sanitized strings; NULL while a lazy row is unbuilt */
	enum ses_state *cell_state; /* ncols states (SES_STATE_NONE: plain) */
	enum ses_state state;     /* the row's overall state */
	int64_t key;              /* sort key for TCOL_KEY columns */
	size_t ref;               /* the pane's index of the object */
	uint64_t id;              /* stable across reloads (the selection follows it); = ref
				   * unless the pane sets it, e.g. table_id_of(name) */
	char *search;             /* the cells lower-cased and joined, built at the first
				   * filter (table.c owns it) */
	char *search_extra;       /* more text the filter finds (an IDN's A-label); owned */
};

/* A pane's own filter test; NULL → substring over every cell (case-insensitive). */
typedef bool (*table_match_fn)(void *ud, const struct table_row *row, const char *needle);
/* Fills a lazy row's cells: must call table_fill(t, row, ...) (cells may be NULL: empty). */
typedef void (*table_build_fn)(void *ud, struct table *t, struct table_row *row);

struct table {
	const struct table_col *cols;
	size_t ncols;
	struct table_row *rows;   /* every row, in load order */
	size_t nrows, cap;
	size_t more;              /* rows still to come (a first screen): counted, not held */
	size_t *view;             /* indices into rows after filter and sort */
	size_t nview;
	size_t sel;               /* index into view */
	size_t top;               /* first visible index into view */
	int sort_col;             /* -1: load order */
	bool sort_desc;
	char filter[256];         /* as typed; "!x" inverts */
	unsigned text_flags;      /* TEXT_ASCII in ASCII mode */
	table_match_fn match;
	void *match_ud;
	table_build_fn build;     /* for lazy rows; set before table_add_lazy() */
	void *build_ud;
	size_t build_next;        /* rows before it are built (table_build_some) */
	const char *empty;        /* what to show with no rows (borrowed) */
	int height;               /* rows visible at the last draw (for paging) */
	int drawn_y;              /* where table_draw last put the header (-1: not drawn);
				   * the frame maps mouse clicks from it */
	uint64_t keep_id;         /* selected row's id remembered by table_clear() */
	bool keep;
};

void table_init(struct table *t, const struct table_col *cols, size_t ncols, unsigned text_flags);
/* Drop every row; the filter, the sort and the selected row's id are kept, so the
 * table_update() after refilling selects the same object again. */
void table_clear(struct table *t);
void table_free(struct table *t);
/* Add a row; cells[0..ncols) may be NULL (""). states may be NULL. */
struct table_row *table_add(struct table *t, size_t ref, enum ses_state state,
			    const char *const *cells, const enum ses_state *states);
/* A row without cells; t->build fills them when they are first needed. */
struct table_row *table_add_lazy(struct table *t, size_t ref, enum ses_state state);
/* Copies and sanitizes a lazy row's cells (and their states; NULL: none). */
void table_fill(struct table *t, struct table_row *r, const char *const *cells,
		const enum ses_state *states);
/* The row with its cells built. */
struct table_row *table_built(const struct table *t, const struct table_row *r);
/* Builds up to n lazy rows not built yet (idle work); false once every row is built. */
bool table_build_some(struct table *t, size_t n);
/* A stable row id from a name (FNV-1a). */
uint64_t table_id_of(const char *name);
/* Recompute the view (filter, then sort), keeping the selected row's id if still there. */
void table_update(struct table *t);
void table_set_filter(struct table *t, const char *filter);
/* Sort by column col (-1: load order). */
void table_sort(struct table *t, int col, bool desc);
/* Move the selection for a REQ_MOVE_* request; false when req is not a move. */
bool table_move(struct table *t, enum req req);
void table_select(struct table *t, size_t view_index);
/* The selected row, or NULL when the view is empty. */
const struct table_row *table_selected(const struct table *t);
/* Does row match the filter text (without the leading '!')? */
/* Text the filter should also find in this row though no cell shows it (copied). */
void table_row_search_extra(struct table_row *r, const char *text);
bool table_row_matches(const struct table *t, const struct table_row *row, const char *needle);
/* Draw the column header at y and rows below it in h lines (header included) and w
 * columns. Returns the screen line of the selected row (for the hardware cursor), or y. */
int table_draw(struct table *t, struct ui *ui, int y, int x, int h, int w);
/* Map a screen line inside the table to a view index; -1 outside the rows. */
int table_hit(const struct table *t, int y0, int line);

/* ---- line editor (status line) ---- */

/* Called after every edit (live filtering); may be NULL. */
typedef void (*prompt_change_fn)(void *ud, const char *text);
/* Tab: complete text in place (return true when changed); may be NULL. */
typedef bool (*prompt_complete_fn)(void *ud, struct buf *text);

#define PROMPT_HISTORY_MAX 64

/* Lines entered before, oldest first; owned strings (prompt_history_free). */
struct prompt_history {
	char *items[PROMPT_HISTORY_MAX];
	int n;
};

void prompt_history_add(struct prompt_history *h, const char *line);
void prompt_history_free(struct prompt_history *h);

/* Edit a line on the status line after prefix (":" or "/"), starting from line's contents.
 * <Up>/<Down> walk hist (may be NULL), <C-u> clears, <Tab> calls complete. Enter → true
 * (a non-empty line is added to hist); Esc, <C-c>, <C-g> or the end of a script → false. */
bool prompt_read(struct tui *tui, const char *prefix, struct buf *line,
		 prompt_change_fn change, prompt_complete_fn complete, void *ud,
		 struct prompt_history *hist);

/* ---- dialogs ---- */

/* A centred dialog. expect NULL: yes/no (y or Enter on Yes); else the user must type expect
 * exactly and press Enter. danger colours the title as destructive. true to go ahead,
 * false when the user said no (Esc, n, or another text). */
bool dialog_confirm(struct tui *tui, const char *title, const char *question,
		    const char *expect, bool danger);
/* verb_confirm_fn for verb_run(): ud is the struct tui. */
enum verb_confirm dialog_verb_confirm(void *ud, const char *question, const char *expect);

#endif

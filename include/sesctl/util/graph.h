#ifndef SESCTL_UTIL_GRAPH_H
#define SESCTL_UTIL_GRAPH_H

/*
 * Time series drawn into a grid of character cells, with no curses: the reputation pane
 * copies the cells to the screen and colours them by role; the CLI prints rows as text.
 *
 * Layout of a graph of width W and height H (every row is a plot row): y labels
 * right-aligned, the axis column, then the plot area (columns plot_x .. W-1). Braille,
 * 36x5, bounce rate with a two-point gap and a spike, review and pause lines:
 *
 *    10%┤┄┄┄┄┄┄┄┄┄┄┄┄⣄┄┄┄┄┄┄┄ pause 10%
 *   7.5%┤            ⡿⡀
 *     5%┤┄┄┄┄┄┄┄┄┄┄┄┄⡇⡇┄┄┄┄┄┄ review 5%
 *   2.5%┤ ⣀⡠⠤⢄⣀      ⡇⣇⣀⠤⠤⣀⡀
 *     0%┤⠉      ⠒⠤⠤⠤⠒⠁⠁    ⠈⠑
 *
 * Styles: GRAPH_BRAILLE, a line with 2x4 dots per cell (2 points per column);
 * GRAPH_BLOCK, bars with eighth blocks ▁▂▃▄▅▆▇█ (1 point per column; a zero is the lowest
 * block so it stays distinct from a gap; use it for counts); GRAPH_ASCII, '*' for a point
 * and '.' joining it to the previous one, '-' every other column for thresholds, '|' and
 * '+' for the axis (only ASCII bytes in the grid).
 *
 * Series: NaN or infinite values are gaps (nothing drawn, lines not joined across them);
 * negative values count as 0. When there are more points than the plot holds, each slot
 * shows the maximum of its bucket (spikes survive); otherwise point i sits at slot i from
 * the left. Scale: 0 at the bottom; the top is opts.y_max when > 0, else the larger of the
 * data maximum and the highest threshold rounded up to 1, 2, 2.5 or 5 x 10^k. A value v
 * falls in row H-1 - L/d with L = round(v / top * (H*d - 1)), d = dots per row (braille
 * 4, block 8, ASCII 1); thresholds use the same rule so a point above a line is drawn
 * above it.
 *
 * Values are ratios when opts.percent is set (0.05 is shown "5%"), counts otherwise
 * ("1.2k"). Nothing here fails; a grid too small for a plot area has only labels.
 * Ownership: graph_render() allocates g->cells; graph_free() releases them.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/util/buf.h"

#define GRAPH_MAX_THRESHOLDS 8

enum graph_style {
	GRAPH_BRAILLE,
	GRAPH_BLOCK,
	GRAPH_ASCII,
};

/* What a cell shows, for colouring (theme elements graph_axis, threshold_*, ...). */
enum graph_role {
	GRAPH_ROLE_EMPTY,
	GRAPH_ROLE_LABEL,     /* y-axis label text */
	GRAPH_ROLE_AXIS,
	GRAPH_ROLE_DATA,
	GRAPH_ROLE_THRESHOLD, /* a threshold line or its label; tag = threshold index */
	GRAPH_ROLE_CURSOR,    /* the cursor column where it has no data */
};

struct graph_cell {
	char s[8];           /* one character, UTF-8, NUL-terminated; " " when empty */
	unsigned char role;  /* enum graph_role */
	unsigned char tag;   /* threshold index for GRAPH_ROLE_THRESHOLD */
};

struct graph_threshold {
	double value;        /* same unit as the series */
	const char *label;   /* "review": drawn as "review 5%" at the line's end; may be NULL */
};

struct graph_opts {
	enum graph_style style;
	int width, height;   /* whole grid in cells, labels included */
	bool percent;
	double y_max;        /* > 0: fixed top of the scale */
	const struct graph_threshold *thresholds; /* up to GRAPH_MAX_THRESHOLDS */
	size_t n_thresholds;
	long cursor;         /* index into the series; < 0: no cursor */
};

struct graph {
	int width, height;
	struct graph_cell *cells;  /* row-major, height * width */
	int plot_x;                /* first column of the plot area */
	int plot_width;            /* columns in the plot area (may be 0) */
	double y_max;              /* top of the scale used */
	int threshold_row[GRAPH_MAX_THRESHOLDS]; /* row of each threshold; -1 off the scale */
	int cursor_col;            /* grid column of the cursor; -1 none or out of view */
	double cursor_value;       /* the exact value at the cursor; NaN for a gap */
	char cursor_text[32];      /* "7.25%", "1,234" style, or "no data" */
};

void graph_render(struct graph *g, const double *v, size_t n, const struct graph_opts *opts);
void graph_free(struct graph *g);

/* Cell at (row, col); NULL outside the grid. */
const struct graph_cell *graph_at(const struct graph *g, int row, int col);
/* Append row's cells as one line of text (no newline). */
void graph_row_text(const struct graph *g, int row, struct buf *out);

/* Short label for a value: "5%", "0.1%", "12.5%" (percent) or "950", "1.2k", "3.4M". */
void graph_format_value(char *out, size_t outlen, double v, bool percent);

/* One-line sparkline for the CLI: at most width characters (buckets keep the maximum),
 * ▁▂▃▄▅▆▇█ or with ascii "_.,-=+*#"; a gap is a space. y_max <= 0: the data maximum. */
void graph_sparkline(struct buf *out, const double *v, size_t n, size_t width, double y_max,
		     bool ascii);

/* Horizontal meter of exactly width cells for value/max (clamped to 0..1): full blocks
 * and an eighth-block edge then spaces, or '#' then '-' with ascii. */
void graph_hbar(struct buf *out, double value, double max, size_t width, bool ascii);

#endif

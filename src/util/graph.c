#include "sesctl/util/graph.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* Eighth blocks, lowest first: U+2581 .. U+2588. */
static const char *const vblocks[8] = {
	"\xe2\x96\x81", "\xe2\x96\x82", "\xe2\x96\x83", "\xe2\x96\x84",
	"\xe2\x96\x85", "\xe2\x96\x86", "\xe2\x96\x87", "\xe2\x96\x88",
};
/* Left eighths 1/8 .. 7/8: U+258F .. U+2589. */
static const char *const hblocks[7] = {
	"\xe2\x96\x8f", "\xe2\x96\x8e", "\xe2\x96\x8d", "\xe2\x96\x8c",
	"\xe2\x96\x8b", "\xe2\x96\x8a", "\xe2\x96\x89",
};
static const char ascii_ramp[] = "_.,-=+*#";

#define DASH_UTF8    "\xe2\x94\x84" /* ┄ */
#define AXIS_UTF8    "\xe2\x94\x82" /* │ */
#define TICK_UTF8    "\xe2\x94\xa4" /* ┤ */
#define CURSOR_UTF8  "\xe2\x94\x8a" /* ┊ */

static bool is_gap(double v)
{
	return isnan(v) || isinf(v);
}

/* ---- value labels ---- */

static void strip_zeros(char *s)
{
	char *dot = strchr(s, '.');
	char *end;

	if (!dot)
		return;
	end = s + strlen(s) - 1;
	while (end > dot && *end == '0')
		*end-- = '\0';
	if (end == dot)
		*end = '\0';
}

static void format_precise(char *out, size_t outlen, double v, bool percent, int decimals)
{
	char num[48];

	if (percent)
		v *= 100;
	snprintf(num, sizeof(num), "%.*f", decimals, v);
	strip_zeros(num);
	snprintf(out, outlen, "%s%s", num, percent ? "%" : "");
}

void graph_format_value(char *out, size_t outlen, double v, bool percent)
{
	if (is_gap(v)) {
		snprintf(out, outlen, "-");
		return;
	}
	if (percent || fabs(v) < 1000) {
		format_precise(out, outlen, v, percent, 2);
		return;
	}
	if (fabs(v) < 1e6)
		format_precise(out, outlen, v / 1e3, false, 1);
	else
		format_precise(out, outlen, v / 1e6, false, 1);
	strncat(out, fabs(v) < 1e6 ? "k" : "M", outlen - strlen(out) - 1);
}

/* ---- scale ---- */

static double nice_ceil(double x)
{
	static const double steps[] = {1, 2, 2.5, 5, 10};
	double mag;

	if (!(x > 0))
		return 0;
	mag = pow(10, floor(log10(x)));
	for (size_t i = 0; i < sizeof(steps) / sizeof(steps[0]); i++)
		if (steps[i] * mag >= x * (1 - 1e-12))
			return steps[i] * mag;
	return 10 * mag;
}

static double series_max(const double *v, size_t n)
{
	double m = 0;

	for (size_t i = 0; i < n; i++)
		if (!is_gap(v[i]) && v[i] > m)
			m = v[i];
	return m;
}

static double pick_top(const double *v, size_t n, const struct graph_opts *o)
{
	double m;

	if (o->y_max > 0)
		return o->y_max;
	m = series_max(v, n);
	for (size_t i = 0; i < o->n_thresholds && i < GRAPH_MAX_THRESHOLDS; i++)
		if (!is_gap(o->thresholds[i].value) && o->thresholds[i].value > m)
			m = o->thresholds[i].value;
	m = nice_ceil(m);
	if (m > 0)
		return m;
	return o->percent ? 0.01 : 1;
}

/* ---- the render state ---- */

struct render {
	struct graph *g;
	const struct graph_opts *o;
	int dpr;       /* dots per row */
	int xdots;     /* points per column */
	int slots;     /* points the plot holds */
	double *slot_v; /* slots values, NaN for gaps */
};

static int style_dpr(enum graph_style s)
{
	return s == GRAPH_BRAILLE ? 4 : s == GRAPH_BLOCK ? 8 : 1;
}

/* Sub-row level of v, 0 (bottom dot of the bottom row) .. H*dpr - 1. */
static int level_of(const struct render *r, double v)
{
	int total = r->g->height * r->dpr;
	double l;

	if (v < 0)
		v = 0;
	l = floor(v / r->g->y_max * (total - 1) + 0.5);
	if (l > total - 1)
		l = total - 1;
	return (int)l;
}

static int row_of_level(const struct render *r, int level)
{
	return r->g->height - 1 - level / r->dpr;
}

static struct graph_cell *cell(struct graph *g, int row, int col)
{
	return &g->cells[(size_t)row * (size_t)g->width + (size_t)col];
}

static void put(struct graph *g, int row, int col, const char *s, enum graph_role role,
		int tag)
{
	struct graph_cell *c;

	if (row < 0 || row >= g->height || col < 0 || col >= g->width)
		return;
	c = cell(g, row, col);
	snprintf(c->s, sizeof(c->s), "%s", s);
	c->role = (unsigned char)role;
	c->tag = (unsigned char)tag;
}

static void put_text(struct graph *g, int row, int col, const char *s, enum graph_role role,
		     int tag)
{
	char ch[2] = {0, 0};

	for (; *s; s++, col++) {
		ch[0] = *s;
		put(g, row, col, ch, role, tag);
	}
}

/* ---- y axis ---- */

/* Top, bottom, and the quarter marks that fall exactly on a row (so labels stay round). */
static bool row_has_label(int row, int h)
{
	if (row == 0 || row == h - 1)
		return true;
	return h >= 5 && (h - 1 - row) * 4 % (h - 1) == 0;
}

static double row_value(const struct graph *g, int row)
{
	return g->height > 1 ? g->y_max * (g->height - 1 - row) / (g->height - 1) : g->y_max;
}

static int label_width(const struct graph *g, bool percent)
{
	int w = 0;
	char s[32];

	for (int row = 0; row < g->height; row++) {
		if (!row_has_label(row, g->height))
			continue;
		graph_format_value(s, sizeof(s), row_value(g, row), percent);
		if ((int)strlen(s) > w)
			w = (int)strlen(s);
	}
	return w;
}

static void draw_axis(struct render *r)
{
	struct graph *g = r->g;
	bool ascii = r->o->style == GRAPH_ASCII;
	int lw = g->plot_x - 1;
	char s[32];

	for (int row = 0; row < g->height; row++) {
		bool labelled = row_has_label(row, g->height);

		if (labelled) {
			graph_format_value(s, sizeof(s), row_value(g, row), r->o->percent);
			put_text(g, row, lw - (int)strlen(s), s, GRAPH_ROLE_LABEL, 0);
		}
		put(g, row, lw, ascii ? (labelled ? "+" : "|") : (labelled ? TICK_UTF8 : AXIS_UTF8),
		    GRAPH_ROLE_AXIS, 0);
	}
}

/* ---- series to slots ---- */

static double bucket_max(const double *v, size_t from, size_t to)
{
	double m = NAN;

	for (size_t i = from; i < to; i++)
		if (!is_gap(v[i]) && (isnan(m) || v[i] > m))
			m = v[i];
	return m;
}

static long slot_of(const struct render *r, size_t n, size_t i)
{
	if (n <= (size_t)r->slots)
		return (long)i;
	/* the s with s*n/slots <= i < (s+1)*n/slots, as fill_slots() buckets */
	return (long)(((i + 1) * (size_t)r->slots - 1) / n);
}

static void fill_slots(struct render *r, const double *v, size_t n)
{
	for (int s = 0; s < r->slots; s++) {
		size_t from, to;

		if (n <= (size_t)r->slots) {
			r->slot_v[s] = (size_t)s < n ? v[s] : NAN;
			continue;
		}
		from = (size_t)s * n / (size_t)r->slots;
		to = (size_t)(s + 1) * n / (size_t)r->slots;
		r->slot_v[s] = bucket_max(v, from, to);
	}
}

/* ---- thresholds ---- */

static bool run_free(struct graph *g, int row, int col, int len)
{
	for (int i = 0; i < len; i++)
		if (col + i < g->plot_x || col + i >= g->width ||
		    cell(g, row, col + i)->role == GRAPH_ROLE_DATA)
			return false;
	return true;
}

static void draw_threshold_lines(struct render *r)
{
	struct graph *g = r->g;

	for (size_t t = 0; t < r->o->n_thresholds && t < GRAPH_MAX_THRESHOLDS; t++) {
		double v = r->o->thresholds[t].value;
		int row;

		if (is_gap(v) || v < 0 || v > g->y_max)
			continue;
		row = row_of_level(r, level_of(r, v));
		g->threshold_row[t] = row;
		for (int c = g->plot_x; c < g->width; c++) {
			if (r->o->style != GRAPH_ASCII)
				put(g, row, c, DASH_UTF8, GRAPH_ROLE_THRESHOLD, (int)t);
			else if ((c - g->plot_x) % 2 == 0)
				put(g, row, c, "-", GRAPH_ROLE_THRESHOLD, (int)t);
		}
	}
}

/* After the data: " review 5%" at the right end of the line, else the left end, where no
 * data would be hidden; left out when neither end is free. */
static void draw_threshold_labels(struct render *r)
{
	struct graph *g = r->g;
	char text[64], val[32];

	for (size_t t = 0; t < r->o->n_thresholds && t < GRAPH_MAX_THRESHOLDS; t++) {
		const struct graph_threshold *th = &r->o->thresholds[t];
		int row = g->threshold_row[t], len, col;

		if (row < 0)
			continue;
		graph_format_value(val, sizeof(val), th->value, r->o->percent);
		snprintf(text, sizeof(text), " %s%s%s ", th->label ? th->label : "",
			 th->label ? " " : "", val);
		len = (int)strlen(text);
		col = g->width - len;
		if (!run_free(g, row, col, len))
			col = g->plot_x;
		if (run_free(g, row, col, len))
			put_text(g, row, col, text, GRAPH_ROLE_THRESHOLD, (int)t);
	}
}

/* ---- data ---- */

static void draw_braille(struct render *r)
{
	struct graph *g = r->g;
	size_t cells = (size_t)g->plot_width * (size_t)g->height;
	unsigned char *bits = xcalloc(cells ? cells : 1, 1);
	static const unsigned char dot[2][4] = {{0x01, 0x02, 0x04, 0x40}, {0x08, 0x10, 0x20, 0x80}};
	int prev = -1;

	for (int s = 0; s < r->slots; s++) {
		int level, lo, hi;

		if (is_gap(r->slot_v[s])) {
			prev = -1;
			continue;
		}
		level = level_of(r, r->slot_v[s]);
		lo = prev < 0 ? level : (prev < level ? prev + 1 : level);
		hi = prev < 0 ? level : (prev > level ? prev - 1 : level);
		for (int l = lo; l <= hi; l++) {
			int row = row_of_level(r, l), sub = r->dpr - 1 - l % r->dpr;

			bits[(size_t)row * (size_t)g->plot_width + (size_t)(s / 2)] |= dot[s % 2][sub];
		}
		prev = level;
	}
	for (int row = 0; row < g->height; row++)
		for (int c = 0; c < g->plot_width; c++) {
			unsigned b = bits[(size_t)row * (size_t)g->plot_width + (size_t)c];
			char s[4] = {(char)0xe2, (char)(0xa0 | (b >> 6)), (char)(0x80 | (b & 0x3f)), 0};

			if (b)
				put(g, row, g->plot_x + c, s, GRAPH_ROLE_DATA, 0);
		}
	free(bits);
}

static void draw_block(struct render *r)
{
	struct graph *g = r->g;

	for (int s = 0; s < r->slots; s++) {
		int level, top;

		if (is_gap(r->slot_v[s]))
			continue;
		level = level_of(r, r->slot_v[s]);
		top = row_of_level(r, level);
		for (int row = g->height - 1; row > top; row--)
			put(g, row, g->plot_x + s, vblocks[7], GRAPH_ROLE_DATA, 0);
		put(g, top, g->plot_x + s, vblocks[level % 8], GRAPH_ROLE_DATA, 0);
	}
}

static void draw_ascii(struct render *r)
{
	struct graph *g = r->g;
	int prev = -1;

	for (int s = 0; s < r->slots; s++) {
		int row;

		if (is_gap(r->slot_v[s])) {
			prev = -1;
			continue;
		}
		row = row_of_level(r, level_of(r, r->slot_v[s]));
		if (prev >= 0)
			for (int k = (prev < row ? prev : row) + 1; k < (prev < row ? row : prev); k++)
				put(g, k, g->plot_x + s, ".", GRAPH_ROLE_DATA, 0);
		put(g, row, g->plot_x + s, "*", GRAPH_ROLE_DATA, 0);
		prev = row;
	}
}

/* ---- cursor ---- */

static void draw_cursor(struct render *r, const double *v, size_t n)
{
	struct graph *g = r->g;
	long c = r->o->cursor;
	long slot;

	if (c < 0 || (size_t)c >= n || g->plot_width <= 0)
		return;
	g->cursor_value = v[c];
	if (is_gap(v[c]))
		snprintf(g->cursor_text, sizeof(g->cursor_text), "no data");
	else
		format_precise(g->cursor_text, sizeof(g->cursor_text), v[c], r->o->percent, 3);
	slot = slot_of(r, n, (size_t)c);
	if (slot >= r->slots)
		return;
	g->cursor_col = g->plot_x + (int)(slot / r->xdots);
	for (int row = 0; row < g->height; row++) {
		struct graph_cell *cl = cell(g, row, g->cursor_col);

		if (cl->role == GRAPH_ROLE_EMPTY)
			put(g, row, g->cursor_col, r->o->style == GRAPH_ASCII ? ":" : CURSOR_UTF8,
			    GRAPH_ROLE_CURSOR, 0);
	}
}

static void init_grid(struct graph *g, const struct graph_opts *o)
{
	memset(g, 0, sizeof(*g));
	g->width = o->width > 0 ? o->width : 0;
	g->height = o->height > 0 ? o->height : 0;
	g->cells = xcalloc((size_t)g->width * (size_t)g->height + 1, sizeof(*g->cells));
	for (size_t i = 0; i < (size_t)g->width * (size_t)g->height; i++)
		strcpy(g->cells[i].s, " ");
	for (int t = 0; t < GRAPH_MAX_THRESHOLDS; t++)
		g->threshold_row[t] = -1;
	g->cursor_col = -1;
	g->cursor_value = NAN;
}

void graph_render(struct graph *g, const double *v, size_t n, const struct graph_opts *o)
{
	struct render r = {g, o, style_dpr(o->style), o->style == GRAPH_BRAILLE ? 2 : 1, 0, NULL};

	init_grid(g, o);
	if (g->height == 0 || g->width == 0)
		return;
	g->y_max = pick_top(v, n, o);
	g->plot_x = label_width(g, o->percent) + 1;
	if (g->plot_x > g->width)
		g->plot_x = g->width;
	g->plot_width = g->width - g->plot_x;
	draw_axis(&r);
	if (g->plot_width <= 0)
		return;
	r.slots = g->plot_width * r.xdots;
	r.slot_v = xcalloc((size_t)r.slots, sizeof(double));
	fill_slots(&r, v, n);
	draw_threshold_lines(&r);
	if (o->style == GRAPH_BRAILLE)
		draw_braille(&r);
	else if (o->style == GRAPH_BLOCK)
		draw_block(&r);
	else
		draw_ascii(&r);
	draw_threshold_labels(&r);
	draw_cursor(&r, v, n);
	free(r.slot_v);
}

void graph_free(struct graph *g)
{
	free(g->cells);
	g->cells = NULL;
}

const struct graph_cell *graph_at(const struct graph *g, int row, int col)
{
	if (!g->cells || row < 0 || row >= g->height || col < 0 || col >= g->width)
		return NULL;
	return &g->cells[(size_t)row * (size_t)g->width + (size_t)col];
}

void graph_row_text(const struct graph *g, int row, struct buf *out)
{
	for (int c = 0; c < g->width; c++) {
		const struct graph_cell *cl = graph_at(g, row, c);

		if (cl)
			buf_puts(out, cl->s);
	}
}

/* ---- one-line forms ---- */

void graph_sparkline(struct buf *out, const double *v, size_t n, size_t width, double y_max,
		     bool ascii)
{
	size_t cols = n < width ? n : width;

	if (y_max <= 0)
		y_max = series_max(v, n);
	for (size_t c = 0; c < cols; c++) {
		double x = bucket_max(v, c * n / cols, (c + 1) * n / cols);
		int k;

		if (is_gap(x)) {
			buf_putc(out, ' ');
			continue;
		}
		k = y_max > 0 ? (int)floor((x < 0 ? 0 : x) / y_max * 7 + 0.5) : 0;
		k = k > 7 ? 7 : k;
		if (ascii)
			buf_putc(out, ascii_ramp[k]);
		else
			buf_puts(out, vblocks[k]);
	}
}

void graph_hbar(struct buf *out, double value, double max, size_t width, bool ascii)
{
	double f = max > 0 && !is_gap(value) ? value / max : 0;
	size_t eighths, full, c = 0;

	f = f < 0 ? 0 : f > 1 ? 1 : f;
	eighths = (size_t)floor(f * (double)width * 8 + 0.5);
	full = eighths / 8;
	for (; c < full; c++)
		buf_puts(out, ascii ? "#" : vblocks[7]);
	if (c < width && eighths % 8) {
		if (ascii)
			buf_putc(out, eighths % 8 >= 4 ? '#' : '-');
		else
			buf_puts(out, hblocks[eighths % 8 - 1]);
		c++;
	}
	for (; c < width; c++)
		buf_putc(out, ascii ? '-' : ' ');
}

/* Charts on the screen: a util/graph grid copied to curses with the theme's colours, and
 * the threshold labels in the right margin. Shared by the Reputation and Streams panes. */
#include "sesctl/tui/chart.h"

#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/tui/app.h"
#include "sesctl/util/buf.h"

enum graph_style chart_style(const struct tui *tui)
{
	const char *term = getenv("TERM");

	if (tui->ui.ascii)
		return GRAPH_ASCII;
	/* the Linux console's fonts have no braille */
	if (term && !strncmp(term, "linux", 5))
		return GRAPH_BLOCK;
	return GRAPH_BRAILLE;
}

static enum theme_element cell_element(const struct graph_cell *c, enum theme_element data,
				       const enum theme_element *th)
{
	switch (c->role) {
	case GRAPH_ROLE_DATA: return data;
	case GRAPH_ROLE_THRESHOLD: return th ? th[c->tag] : THEME_GRAPH_AXIS;
	case GRAPH_ROLE_CURSOR: return THEME_GRAPH_CURSOR;
	case GRAPH_ROLE_EMPTY: return THEME_ROW;
	default: return THEME_GRAPH_AXIS;
	}
}

/* Copy the grid to the screen at y,x, one run of cells of the same colour at a time. */
void chart_grid_draw(struct tui *tui, const struct graph *g, int y, int x,
		      enum theme_element data, const enum theme_element *th)
{
	struct buf run = BUF_INIT;

	for (int row = 0; row < g->height; row++) {
		int col = 0;

		while (col < g->width) {
			enum theme_element el = cell_element(graph_at(g, row, col), data, th);
			int start = col;

			buf_reset(&run);
			while (col < g->width &&
			       cell_element(graph_at(g, row, col), data, th) == el) {
				buf_puts(&run, graph_at(g, row, col)->s);
				col++;
			}
			ui_put_raw(&tui->ui, y + row, x + start, col - start, buf_str(&run), el);
		}
	}
	buf_free(&run);
}

int chart_xdots(enum graph_style st)
{
	return st == GRAPH_BRAILLE ? 2 : 1;
}

/* Threshold labels live in the right margin: take them out of the plot (graph_render puts
 * them at a line's end when the data leaves room) and put the line back. */
void chart_strip_plot_labels(struct graph *g, bool ascii)
{
	for (int row = 0; row < g->height; row++)
		for (int col = g->plot_x; col < g->width; col++) {
			struct graph_cell *cl = &g->cells[row * g->width + col];

			if (cl->role != GRAPH_ROLE_THRESHOLD)
				continue;
			if (!ascii)
				snprintf(cl->s, sizeof(cl->s), "\xe2\x94\x84"); /* ┄ */
			else
				snprintf(cl->s, sizeof(cl->s), "%s",
					 (col - g->plot_x) % 2 ? " " : "-");
		}
}

void chart_margin_draw(struct tui *tui, const struct graph *g, const struct graph_threshold *th,
		       const enum theme_element *th_el, size_t n_th, int y, int x)
{
	for (int row = 0; row < g->height; row++)
		ui_put(&tui->ui, y + row, x, COLS - x, "", THEME_ROW);
	for (size_t t = 0; t < n_th; t++) {
		char text[96], val[16];
		int row = g->threshold_row[t];
		size_t last = t;

		if (row < 0)
			continue;
		for (size_t u = 0; u < t; u++)
			if (g->threshold_row[u] == row)
				row = -1; /* drawn with the first line on this row */
		if (row < 0)
			continue;
		graph_format_value(val, sizeof(val), th[t].value, true);
		snprintf(text, sizeof(text), " %s %s", th[t].label, val);
		/* lines sharing a row (a short chart) share the label: "review 0.1%,0.3%" */
		for (size_t u = t + 1; u < n_th; u++)
			if (g->threshold_row[u] == row) {
				graph_format_value(val, sizeof(val), th[u].value, true);
				size_t len = strlen(text);

				snprintf(text + len, sizeof(text) - len, ",%s", val);
				last = u;
			}
		ui_put(&tui->ui, y + row, x, COLS - x, text, th_el[last]);
	}
}

void chart_thresholds(enum health_metric m, struct graph_threshold *th, enum theme_element *el,
		      size_t *n)
{
	static const struct {
		enum health_metric m;
		enum health_threshold t;
		const char *label;
		enum theme_element el;
	} lines[] = {
		{HEALTH_BOUNCE, HEALTH_BOUNCE_REVIEW, "review", THEME_THRESHOLD_REVIEW},
		{HEALTH_BOUNCE, HEALTH_BOUNCE_PAUSE, "pause", THEME_THRESHOLD_PAUSE},
		{HEALTH_COMPLAINT, HEALTH_COMPLAINT_REVIEW, "review", THEME_THRESHOLD_REVIEW},
		{HEALTH_COMPLAINT, HEALTH_SPAM_RATE, "providers", THEME_THRESHOLD_REVIEW},
		{HEALTH_COMPLAINT, HEALTH_COMPLAINT_PAUSE, "pause", THEME_THRESHOLD_PAUSE},
	};

	*n = 0;
	for (size_t i = 0; i < sizeof(lines) / sizeof(lines[0]); i++) {
		if (lines[i].m != m)
			continue;
		th[*n].value = health_thresholds[lines[i].t].rate;
		th[*n].label = lines[i].label;
		el[(*n)++] = lines[i].el;
	}
}

void chart_rates_draw(struct tui *tui, int y, int h, const double *v, size_t n,
		      enum health_metric m)
{
	struct graph_threshold th[4];
	enum theme_element el[4];
	size_t n_th, slots;
	struct graph_opts o = {.style = chart_style(tui), .height = h, .percent = true,
			       .cursor = -1};
	struct graph g;
	int plot_w;

	chart_thresholds(m, th, el, &n_th);
	o.thresholds = th;
	o.n_thresholds = n_th;
	if (m == HEALTH_COMPLAINT) /* keep the 0.1 % and 0.3 % lines off the baseline */
		o.y_max = 2 * health_thresholds[HEALTH_COMPLAINT_PAUSE].rate;
	o.width = COLS - CHART_MARGIN;
	if (o.width < 12 || h < 1)
		return;
	graph_render(&g, v, n, &o); /* measure the label column */
	plot_w = o.width - g.plot_x;
	graph_free(&g);
	slots = (size_t)plot_w * (size_t)chart_xdots(o.style);
	double *series = xcalloc(slots + 1, sizeof(*series));
	for (size_t s = 0; s < slots; s++) { /* each slot: the highest point it covers */
		size_t from = s * n / slots, to = (s + 1) * n / slots;
		double best = NAN;

		if (to <= from)
			to = from + 1;
		for (size_t i = from; i < to && i < n; i++)
			if (!isnan(v[i]) && (isnan(best) || v[i] > best))
				best = v[i];
		series[s] = best;
	}
	if (o.y_max > 0) {
		for (size_t s = 0; s < slots; s++)
			if (series[s] > o.y_max)
				o.y_max = 0; /* a spike over the cap: show it whole */
	}
	graph_render(&g, series, slots, &o);
	chart_strip_plot_labels(&g, o.style == GRAPH_ASCII);
	chart_grid_draw(tui, &g, y, 0, m == HEALTH_BOUNCE ? THEME_GRAPH_BOUNCE : THEME_GRAPH_COMPLAINT,
			el);
	chart_margin_draw(tui, &g, th, el, n_th, y, g.width);
	graph_free(&g);
	free(series);
}

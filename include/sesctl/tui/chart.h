#ifndef SESCTL_TUI_CHART_H
#define SESCTL_TUI_CHART_H

/*
 * Charts on the screen (util/graph.h renders the grid, this copies it to curses with the
 * theme's colours). The Reputation pane builds its charts from these parts; the Streams
 * pane draws a set's rate series with chart_rates_draw().
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/core/health.h"
#include "sesctl/tui/theme.h"
#include "sesctl/util/graph.h"

struct tui;

#define CHART_MARGIN 15 /* right of the plots: the threshold labels ("providers 0.3%") */

/* Braille, or blocks on the Linux console (no braille in its fonts), or ASCII. */
enum graph_style chart_style(const struct tui *tui);
/* Points per cell column: 2 for braille, else 1. */
int chart_xdots(enum graph_style st);
/* Copy the grid to the screen at y,x: data cells in `data`, threshold cells in th[tag]
 * (NULL: the axis colour). */
void chart_grid_draw(struct tui *tui, const struct graph *g, int y, int x,
		     enum theme_element data, const enum theme_element *th);
/* Replace threshold labels inside the plot by the line (they go to the margin). */
void chart_strip_plot_labels(struct graph *g, bool ascii);
/* The labels of the threshold lines, in the margin at column x; lines sharing a row share
 * a label. */
void chart_margin_draw(struct tui *tui, const struct graph *g, const struct graph_threshold *th,
		       const enum theme_element *th_el, size_t n_th, int y, int x);
/* The health lines of a metric (review, providers, pause) with labels and colours; th and
 * el hold at least 4. */
void chart_thresholds(enum health_metric m, struct graph_threshold *th, enum theme_element *el,
		      size_t *n);
/* A rate series (fractions; NaN gaps) across the screen's width at y..y+h-1 with the
 * metric's lines; each column shows the highest point it covers. */
void chart_rates_draw(struct tui *tui, int y, int h, const double *v, size_t n,
		      enum health_metric m);

#endif

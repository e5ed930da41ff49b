#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/util/graph.h"

static const struct graph_threshold bounce[] = {{0.05, "review"}, {0.10, "pause"}};

static char *row_text(const struct graph *g, int row)
{
	struct buf b = BUF_INIT;

	graph_row_text(g, row, &b);
	return buf_steal(&b);
}

static void assert_row(const struct graph *g, int row, const char *want)
{
	char *got = row_text(g, row);

	assert_string_equal(got, want);
	free(got);
}

static int count_role(const struct graph *g, int row, enum graph_role role)
{
	int n = 0;

	for (int c = 0; c < g->width; c++)
		n += graph_at(g, row, c)->role == role;
	return n;
}

static int count_col_data(const struct graph *g, int col)
{
	int n = 0;

	for (int r = 0; r < g->height; r++)
		n += graph_at(g, r, col)->role == GRAPH_ROLE_DATA;
	return n;
}

/* ASCII 10 rows, scale 0..10%: level(v) = round(v / 0.1 * 9), row = 9 - level. */
static void test_ascii_exact_grid(void **state)
{
	const double v[] = {0.0, 0.02, 0.10, NAN, 0.04};
	struct graph_opts o = {GRAPH_ASCII, 30, 10, true, 0.10, bounce, 2, 2};
	struct graph g;

	(void)state;
	graph_render(&g, v, 5, &o);
	assert_int_equal(g.plot_x, 4); /* "10%" + axis */
	assert_int_equal(g.threshold_row[0], 4); /* round(4.5) = 5 -> row 4 */
	assert_int_equal(g.threshold_row[1], 0);
	assert_row(&g, 0, "10%+- * - - - - - - pause 10% ");
	assert_row(&g, 4, "   |- . - - - - - - review 5% ");
	assert_row(&g, 5, "   |  . *                     ");
	assert_row(&g, 7, "   | *:                       ");
	assert_row(&g, 9, " 0%+* :                       ");
	/* the spike reaches the top row, joined by '.' to the 2% point (row 7) */
	assert_string_equal(graph_at(&g, 0, 6)->s, "*");
	for (int row = 1; row < 7; row++)
		assert_string_equal(graph_at(&g, row, 6)->s, ".");
	/* a gap is a gap: column 7 (NaN) has no data, and the 4% point is not joined */
	for (int row = 0; row < 10; row++)
		assert_int_not_equal(graph_at(&g, row, 7)->role, GRAPH_ROLE_DATA);
	assert_int_equal(count_col_data(&g, 8), 1);
	/* below the cursor's data the column is marked */
	assert_int_equal(graph_at(&g, 8, 6)->role, GRAPH_ROLE_CURSOR);
	/* roles: label text, axis, threshold tag */
	assert_int_equal(graph_at(&g, 0, 0)->role, GRAPH_ROLE_LABEL);
	assert_int_equal(graph_at(&g, 0, 3)->role, GRAPH_ROLE_AXIS);
	assert_int_equal(graph_at(&g, 4, 8)->role, GRAPH_ROLE_THRESHOLD);
	assert_int_equal(graph_at(&g, 4, 8)->tag, 0);
	assert_int_equal(graph_at(&g, 4, 7)->role, GRAPH_ROLE_EMPTY); /* dashed: every other column */
	assert_int_equal(graph_at(&g, 0, 8)->tag, 1);
	/* cursor on the spike: exact value and its column */
	assert_int_equal(g.cursor_col, 6);
	assert_string_equal(g.cursor_text, "10%");
	assert_true(fabs(g.cursor_value - 0.10) < 1e-12);
	graph_free(&g);
}

static void test_ascii_only_ascii(void **state)
{
	double v[200];
	struct graph_opts o = {GRAPH_ASCII, 40, 12, true, 0, bounce, 2, 150};
	struct graph g;

	(void)state;
	for (int i = 0; i < 200; i++)
		v[i] = i % 17 == 0 ? NAN : 0.001 * (i % 60);
	graph_render(&g, v, 200, &o);
	for (int row = 0; row < g.height; row++) {
		char *s = row_text(&g, row);

		assert_int_equal(strlen(s), 40);
		for (const char *p = s; *p; p++)
			assert_true(*p >= 0x20 && *p < 0x7f);
		free(s);
	}
	assert_true(g.cursor_col >= g.plot_x && g.cursor_col < g.width);
	graph_free(&g);
}

static void test_threshold_rows_follow_scale(void **state)
{
	const struct graph_threshold complaint[] = {
		{0.001, "review"}, {0.003, "spam"}, {0.005, "pause"}};
	const double v[] = {0.0002, 0.0004};
	struct graph_opts o = {GRAPH_BRAILLE, 40, 10, true, 0, complaint, 3, -1};
	struct graph g;

	(void)state;
	graph_render(&g, v, 2, &o);
	/* automatic top: max(data, thresholds) = 0.5% exactly */
	assert_true(fabs(g.y_max - 0.005) < 1e-12);
	/* braille: 40 dot rows; level = round(v / top * 39), row = 9 - level / 4 */
	assert_int_equal(g.threshold_row[2], 0);  /* 39 -> row 0 */
	assert_int_equal(g.threshold_row[1], 4);  /* round(23.4) = 23 -> row 4 */
	assert_int_equal(g.threshold_row[0], 7);  /* round(7.8) = 8 -> 9 - 2 */
	graph_free(&g);

	/* a fixed smaller top puts higher thresholds off the scale */
	o.y_max = 0.002;
	graph_render(&g, v, 2, &o);
	assert_int_equal(g.threshold_row[1], -1);
	assert_int_equal(g.threshold_row[2], -1);
	assert_true(g.threshold_row[0] >= 0);
	graph_free(&g);
}

static void test_braille_spike_and_dashes(void **state)
{
	double v[40];
	struct graph_opts o = {GRAPH_BRAILLE, 30, 6, true, 0, bounce, 2, 21};
	struct graph g;
	char *s;

	(void)state;
	for (int i = 0; i < 40; i++)
		v[i] = 0.01;
	v[21] = 0.10;
	graph_render(&g, v, 40, &o);
	assert_true(fabs(g.y_max - 0.10) < 1e-12);
	/* point 21 is the right dot column of plot cell 10; top dot row 0 -> bit 0x08 */
	assert_int_equal(graph_at(&g, 0, g.plot_x + 10)->role, GRAPH_ROLE_DATA);
	assert_true(((unsigned char)graph_at(&g, 0, g.plot_x + 10)->s[2] & 0x08) != 0);
	assert_int_equal(g.cursor_col, g.plot_x + 10);
	/* in the top row only the spike and the line back down from it */
	assert_int_equal(count_role(&g, 0, GRAPH_ROLE_DATA), 2);
	assert_int_equal(graph_at(&g, 0, g.plot_x + 11)->role, GRAPH_ROLE_DATA);
	/* the flat 1% line sits in the bottom row: level round(0.1 * 23) = 2 */
	assert_int_equal(count_role(&g, 5, GRAPH_ROLE_DATA), 20);
	/* the review line is dashed with ┄ where there is no data */
	s = row_text(&g, g.threshold_row[0]);
	assert_non_null(strstr(s, "\xe2\x94\x84\xe2\x94\x84"));
	assert_non_null(strstr(s, "review 5%"));
	free(s);
	graph_free(&g);
}

static void test_block_bars_and_gaps(void **state)
{
	const double v[] = {0, 8, NAN, 16, 3};
	struct graph_opts o = {GRAPH_BLOCK, 10, 2, false, 16, NULL, 0, 3};
	struct graph g;

	(void)state;
	graph_render(&g, v, 5, &o);
	/* 16 eighths: level = round(v / 16 * 15) */
	assert_int_equal(g.plot_x, 3); /* "16" + axis */
	assert_row(&g, 0, "16\xe2\x94\xa4 \xe2\x96\x81 \xe2\x96\x88   ");
	/* levels round(v / 16 * 15): 0 -> 0 (lowest block, not a gap), 8 -> 8 (row 0 gets
	 * one eighth), 3 -> 3 (a half block) */
	assert_row(&g, 1, " 0\xe2\x94\xa4\xe2\x96\x81\xe2\x96\x88 \xe2\x96\x88\xe2\x96\x84  ");
	assert_string_equal(g.cursor_text, "16");
	graph_free(&g);
}

static void test_degenerate_series(void **state)
{
	const double zeros[] = {0, 0, 0};
	const double nans[] = {NAN, NAN};
	const double one[] = {0.07};
	const double neg[] = {-1, INFINITY, -INFINITY};
	const struct {
		const double *v;
		size_t n;
	} cases[] = {{NULL, 0}, {zeros, 3}, {nans, 2}, {one, 1}, {neg, 3}};
	const int sizes[][2] = {{0, 0}, {1, 1}, {3, 2}, {5, 1}, {80, 20}, {2, 30}};

	(void)state;
	for (int st = 0; st < 3; st++)
		for (size_t c = 0; c < sizeof(cases) / sizeof(cases[0]); c++)
			for (size_t s = 0; s < sizeof(sizes) / sizeof(sizes[0]); s++) {
				struct graph_opts o = {(enum graph_style)st, sizes[s][0], sizes[s][1],
						       true, 0, bounce, 2, 0};
				struct graph g;
				struct buf b = BUF_INIT;

				graph_render(&g, cases[c].v, cases[c].n, &o);
				for (int row = 0; row < g.height; row++)
					graph_row_text(&g, row, &b);
				assert_true(g.y_max >= 0);
				graph_free(&g);
				buf_free(&b);
			}
}

static void test_all_zero_scale(void **state)
{
	const double zeros[] = {0, 0, 0, 0};
	struct graph_opts o = {GRAPH_ASCII, 12, 3, true, 0, NULL, 0, -1};
	struct graph g;

	(void)state;
	graph_render(&g, zeros, 4, &o);
	assert_true(fabs(g.y_max - 0.01) < 1e-12);
	assert_row(&g, 2, "0%+****     ");
	assert_int_equal(g.cursor_col, -1);
	graph_free(&g);
}

static void test_format_value(void **state)
{
	char s[32];

	(void)state;
	graph_format_value(s, sizeof(s), 0.05, true);
	assert_string_equal(s, "5%");
	graph_format_value(s, sizeof(s), 0.001, true);
	assert_string_equal(s, "0.1%");
	graph_format_value(s, sizeof(s), 0.125, true);
	assert_string_equal(s, "12.5%");
	graph_format_value(s, sizeof(s), 950, false);
	assert_string_equal(s, "950");
	graph_format_value(s, sizeof(s), 1234, false);
	assert_string_equal(s, "1.2k");
	graph_format_value(s, sizeof(s), 3400000, false);
	assert_string_equal(s, "3.4M");
	graph_format_value(s, sizeof(s), NAN, false);
	assert_string_equal(s, "-");
}

static void test_sparkline_and_hbar(void **state)
{
	const double v[] = {0, 1, 2, 3, 4, 5, 6, 7, NAN, 7};
	struct buf b = BUF_INIT;

	(void)state;
	graph_sparkline(&b, v, 10, 20, 0, false);
	assert_string_equal(buf_str(&b), "\xe2\x96\x81\xe2\x96\x82\xe2\x96\x83\xe2\x96\x84"
					 "\xe2\x96\x85\xe2\x96\x86\xe2\x96\x87\xe2\x96\x88 "
					 "\xe2\x96\x88");
	buf_reset(&b);
	graph_sparkline(&b, v, 10, 20, 0, true);
	assert_string_equal(buf_str(&b), "_.,-=+*# #");
	buf_reset(&b);
	graph_sparkline(&b, v, 10, 5, 0, true); /* buckets keep the maximum */
	assert_string_equal(buf_str(&b), ".-+##");
	buf_reset(&b);
	graph_sparkline(&b, NULL, 0, 5, 0, true);
	assert_string_equal(buf_str(&b), "");
	buf_reset(&b);
	graph_hbar(&b, 0.5, 1, 4, true);
	assert_string_equal(buf_str(&b), "##--");
	buf_reset(&b);
	graph_hbar(&b, 0.3125, 1, 4, false); /* 10 eighths: one full, a quarter */
	assert_string_equal(buf_str(&b), "\xe2\x96\x88\xe2\x96\x8e  ");
	buf_reset(&b);
	graph_hbar(&b, 5, 1, 3, true);
	assert_string_equal(buf_str(&b), "###");
	buf_reset(&b);
	graph_hbar(&b, NAN, 0, 3, true);
	assert_string_equal(buf_str(&b), "---");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_ascii_exact_grid),
		cmocka_unit_test(test_ascii_only_ascii),
		cmocka_unit_test(test_threshold_rows_follow_scale),
		cmocka_unit_test(test_braille_spike_and_dashes),
		cmocka_unit_test(test_block_bars_and_gaps),
		cmocka_unit_test(test_degenerate_series),
		cmocka_unit_test(test_all_zero_scale),
		cmocka_unit_test(test_format_value),
		cmocka_unit_test(test_sparkline_and_hbar),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

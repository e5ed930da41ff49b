/* Pure parts of the console: key names, the keymap from REQ_INFO and [keys], the table
 * widget's filter, sort, selection and sanitizing. No curses screen is started. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/tui/keys.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

static void test_key_names_round_trip(void **state)
{
	static const char *const names[] = {"j", "?", "G", "<Enter>", "<Esc>", "<Tab>", "<S-Tab>",
					    "<Space>", "<Up>", "<PgDn>", "<Home>", "<C-r>", "<F1>",
					    "<F12>", "\xc3\xa9"};
	char out[32];

	(void)state;
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		int k = key_from_name(names[i]);

		assert_true(k >= 0);
		key_to_name(k, out, sizeof(out));
		assert_string_equal(out, names[i]);
	}
}

static void test_key_spellings(void **state)
{
	(void)state;
	assert_int_equal(key_from_name("ctrl-r"), 18);
	assert_int_equal(key_from_name("C-r"), 18);
	assert_int_equal(key_from_name("^R"), 18);
	assert_int_equal(key_from_name("enter"), '\r');
	assert_int_equal(key_from_name("shift-tab"), key_from_name("<S-Tab>"));
	assert_int_equal(key_from_name("pgdown"), key_from_name("<PgDn>"));
	assert_int_equal(key_from_name(""), -1);
	assert_int_equal(key_from_name("<NoSuchKey>"), -1);
	assert_int_equal(key_from_name("F13"), -1);
	assert_int_equal(key_from_name("ctrl-"), -1);
}

static void test_default_keymap_comes_from_req_info(void **state)
{
	struct keymap km;
	char keys[128];

	(void)state;
	keymap_init_default(&km);
	assert_int_equal(keymap_lookup(&km, 'q'), REQ_QUIT);
	assert_int_equal(keymap_lookup(&km, 3), REQ_QUIT);
	assert_int_equal(keymap_lookup(&km, ':'), REQ_PROMPT);
	assert_int_equal(keymap_lookup(&km, '/'), REQ_FILTER);
	assert_int_equal(keymap_lookup(&km, '\n'), REQ_ENTER);
	assert_int_equal(keymap_lookup(&km, '`'), REQ_NONE); /* a key nothing uses */
	/* every request with default keys is reachable by each of them */
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
		const struct req_info *ri = req_info((enum req)r);
		char copy[128], *save = NULL;

		snprintf(copy, sizeof(copy), "%s", ri->keys);
		for (char *w = strtok_r(copy, " ", &save); w; w = strtok_r(NULL, " ", &save))
			assert_int_equal(keymap_lookup(&km, key_from_name(w)), r);
		assert_int_equal(req_from_name(ri->name), r);
	}
	keymap_keys_of(&km, REQ_MOVE_DOWN, keys, sizeof(keys));
	assert_string_equal(keys, "j, <Down>");
}

static void test_overrides(void **state)
{
	const char *keys[] = {"x", "ctrl-r", "q", "bogus-key", "y"};
	const char *reqs[] = {"help", "refresh", "none", "quit", "no-such-request"};
	struct keymap km;
	char problem[128];

	(void)state;
	keymap_init_default(&km);
	assert_int_equal(keymap_apply(&km, keys, reqs, 5, problem, sizeof(problem)), 3);
	assert_int_equal(keymap_lookup(&km, 'x'), REQ_HELP);
	assert_int_equal(keymap_lookup(&km, 18), REQ_REFRESH);
	assert_int_equal(keymap_lookup(&km, 'q'), REQ_NONE); /* unbound with "none" */
	assert_int_equal(keymap_lookup(&km, 'y'), REQ_YANK); /* bad override left it alone */
	assert_non_null(strstr(problem, "bogus-key"));
}

static void test_print_keys_lists_every_request(void **state)
{
	char *text = NULL;
	size_t len = 0;
	FILE *f = open_memstream(&text, &len);

	(void)state;
	tui_print_keys(f, 7);
	fclose(f);
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) /* every request but pane 8 and 9 */
		if (req_pane_index((enum req)r) < 7)
			assert_non_null(strstr(text, req_info((enum req)r)->name));
	assert_null(strstr(text, "pane-8"));
	assert_non_null(strstr(text, "q, <C-c>"));
	free(text);
}

static const struct table_col cols[] = {
	{"name", 10, TCOL_FLEX},
	{"state", 8, 0},
	{"age", 4, TCOL_KEY | TCOL_RIGHT},
};

static void add(struct table *t, size_t ref, const char *name, const char *st, int64_t age)
{
	const char *cells[3] = {name, st, "x"};

	table_add(t, ref, SES_STATE_NONE, cells, NULL)->key = age;
}

static void fill(struct table *t)
{
	table_init(t, cols, 3, 0);
	add(t, 0, "beta.example", "ok", 30);
	add(t, 1, "alpha.example", "failed", 10);
	add(t, 2, "gamma.example", "ok", 20);
	add(t, 3, "Brand.example", "pending", 40);
	table_update(t);
}

static const char *name_at(const struct table *t, size_t i)
{
	return t->rows[t->view[i]].cells[0];
}

static void test_filter_and_invert(void **state)
{
	struct table t;

	(void)state;
	fill(&t);
	assert_int_equal(t.nview, 4);
	table_set_filter(&t, "BRAND");
	assert_int_equal(t.nview, 1);
	assert_string_equal(name_at(&t, 0), "Brand.example");
	table_set_filter(&t, "ok"); /* any cell */
	assert_int_equal(t.nview, 2);
	table_set_filter(&t, "!ok");
	assert_int_equal(t.nview, 2);
	assert_string_equal(name_at(&t, 0), "alpha.example");
	table_set_filter(&t, "!");
	assert_int_equal(t.nview, 4);
	table_set_filter(&t, "zzz");
	assert_int_equal(t.nview, 0);
	assert_null(table_selected(&t));
	table_free(&t);
}

static void test_sort_text_key_and_reverse(void **state)
{
	struct table t;

	(void)state;
	fill(&t);
	table_sort(&t, 0, false);
	assert_string_equal(name_at(&t, 0), "alpha.example");
	assert_string_equal(name_at(&t, 1), "beta.example");
	assert_string_equal(name_at(&t, 2), "Brand.example"); /* case-insensitive */
	table_sort(&t, 2, false);
	assert_string_equal(name_at(&t, 0), "alpha.example"); /* by key 10 */
	assert_string_equal(name_at(&t, 3), "Brand.example"); /* key 40 */
	table_sort(&t, 2, true);
	assert_string_equal(name_at(&t, 0), "Brand.example");
	table_sort(&t, -1, false);
	assert_string_equal(name_at(&t, 0), "beta.example"); /* load order */
	table_free(&t);
}

static void test_selection_follows_the_row(void **state)
{
	struct table t;

	(void)state;
	fill(&t);
	t.height = 2;
	assert_true(table_move(&t, REQ_MOVE_LAST));
	assert_int_equal(table_selected(&t)->ref, 3);
	table_sort(&t, 0, false); /* Brand moves to index 2; the selection goes with it */
	assert_int_equal(table_selected(&t)->ref, 3);
	assert_int_equal(t.sel, 2);
	assert_true(table_move(&t, REQ_MOVE_FIRST));
	assert_true(table_move(&t, REQ_MOVE_UP));
	assert_int_equal(t.sel, 0);
	assert_true(table_move(&t, REQ_MOVE_PAGE_DOWN));
	assert_int_equal(t.sel, 1);
	assert_true(table_move(&t, REQ_MOVE_PAGE_DOWN));
	assert_true(table_move(&t, REQ_MOVE_PAGE_DOWN));
	assert_int_equal(t.sel, 3);
	assert_false(table_move(&t, REQ_QUIT));
	assert_true(table_move(&t, REQ_MOVE_UP));
	assert_int_equal(table_selected(&t)->ref, 3);
	/* reload: rows come back in a new order, the selected ref is kept */
	table_clear(&t);
	add(&t, 3, "Brand.example", "pending", 40);
	add(&t, 1, "alpha.example", "failed", 10);
	add(&t, 5, "delta.example", "ok", 1);
	add(&t, 7, "epsilon.example", "ok", 2); /* sits where the old selection's row was */
	table_update(&t);
	assert_int_equal(table_selected(&t)->ref, 3);
	assert_int_equal(t.sel, 1); /* still sorted by name: alpha, Brand, delta, epsilon */
	table_free(&t);
}

static void test_cells_are_sanitized(void **state)
{
	struct table t;
	const char *cells[3] = {"evil\x1b[2J\x07", NULL, "\xe2\x80\xae" "rtl"};

	(void)state;
	table_init(&t, cols, 3, 0);
	table_add(&t, 0, SES_STATE_OK, cells, NULL);
	assert_string_equal(t.rows[0].cells[0], "evil\\e[2J\\x07");
	assert_string_equal(t.rows[0].cells[1], "");
	assert_string_equal(t.rows[0].cells[2], "\\u202ertl");
	table_free(&t);
	table_init(&t, cols, 3, TEXT_ASCII);
	cells[0] = "b\xc3\xbc" "cher";
	table_add(&t, 0, SES_STATE_OK, cells, NULL);
	assert_string_equal(t.rows[0].cells[0], "b\\u00fccher");
	table_free(&t);
}

/* Lazy rows: cells exist only once the table needs them, built by the pane's callback
 * and sanitized like table_add's. */
static const char *const lazy_names[] = {"c.example", "a.example", "evil\x1b]52;c;x\x07",
					 "b.example"};
static int lazy_builds;

static void lazy_build(void *ud, struct table *t, struct table_row *r)
{
	const char *cells[3] = {lazy_names[r->ref], "ok", "1"};

	(void)ud;
	lazy_builds++;
	table_fill(t, r, cells, NULL);
}

static void test_lazy_rows(void **state)
{
	struct table t;

	(void)state;
	lazy_builds = 0;
	table_init(&t, cols, 3, 0);
	t.build = lazy_build;
	for (size_t i = 0; i < 4; i++)
		table_add_lazy(&t, i, SES_STATE_OK)->key = (int64_t)i;
	table_update(&t);
	assert_int_equal(t.nview, 4);
	assert_int_equal(lazy_builds, 0); /* load order, no filter: nothing built */
	table_sort(&t, 2, true);          /* a key column needs no cells */
	assert_int_equal(lazy_builds, 0);
	assert_null(t.rows[0].cells);
	assert_string_equal(table_built(&t, &t.rows[2])->cells[0], "evil\\e]52;c;x\\x07");
	assert_int_equal(lazy_builds, 1);
	table_built(&t, &t.rows[2]); /* built once */
	assert_int_equal(lazy_builds, 1);
	table_sort(&t, 0, false); /* a text column: every row */
	assert_int_equal(lazy_builds, 4);
	assert_string_equal(name_at(&t, 0), "a.example");
	table_set_filter(&t, "b.ex");
	assert_int_equal(t.nview, 1);
	assert_int_equal(table_selected(&t)->ref, 3);
	table_free(&t);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_key_names_round_trip),
		cmocka_unit_test(test_key_spellings),
		cmocka_unit_test(test_default_keymap_comes_from_req_info),
		cmocka_unit_test(test_overrides),
		cmocka_unit_test(test_print_keys_lists_every_request),
		cmocka_unit_test(test_filter_and_invert),
		cmocka_unit_test(test_sort_text_key_and_reverse),
		cmocka_unit_test(test_selection_follows_the_row),
		cmocka_unit_test(test_cells_are_sanitized),
		cmocka_unit_test(test_lazy_rows),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

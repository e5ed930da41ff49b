#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/tui/theme.h"
#include "sesctl/util/buf.h"

static char tmpdir[64];

static const char *root(void)
{
	const char *r = getenv("SESCTL_ROOT");

	return r && *r ? r : ".";
}

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char tmp[4096];
	size_t n;
	FILE *f = fopen(path, "rb");

	if (!f)
		fail_msg("cannot open %s", path);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_append(&b, tmp, n);
	fclose(f);
	return buf_steal(&b);
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	assert_non_null(f);
	fputs(text, f);
	fclose(f);
}

static int setup(void **state)
{
	char path[256];

	(void)state;
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/sesctl-theme-XXXXXX");
	if (!mkdtemp(tmpdir))
		return -1;
	snprintf(path, sizeof(path), "%s/xdg", tmpdir);
	mkdir(path, 0700);
	setenv("XDG_CONFIG_HOME", path, 1);
	snprintf(path, sizeof(path), "%s/themes", root());
	setenv("SESCTL_THEMES_DIR", path, 1);
	return 0;
}

static int teardown(void **state)
{
	char cmd[128];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", tmpdir);
	return system(cmd) == 0 ? 0 : -1;
}

/* ---- the compiled-in default ---- */

static void test_default_file_matches_embedded(void **state)
{
	char path[512];
	char *file;

	(void)state;
	snprintf(path, sizeof(path), "%s/themes/default.theme", root());
	file = slurp(path);
	if (strcmp(file, theme_default_text()) != 0)
		fail_msg("themes/default.theme and the string in src/tui/theme.c differ: copy the "
			 "file into default_theme[] (one \"line\\n\" per line)");
	free(file);
}

static void test_default_names_every_element(void **state)
{
	char *text = xstrdup(theme_default_text());
	bool seen[THEME_COUNT] = {false};
	char *save = NULL;

	(void)state;
	for (char *line = strtok_r(text, "\n", &save); line; line = strtok_r(NULL, "\n", &save)) {
		char cmd[16], name[64];
		int e;

		if (sscanf(line, "%15s %63s", cmd, name) != 2 || strcmp(cmd, "color") != 0)
			continue;
		e = theme_element_from(name);
		assert_true(e >= 0);
		seen[e] = true;
	}
	for (int i = 0; i < THEME_COUNT; i++)
		if (!seen[i])
			fail_msg("default.theme has no color line for %s", theme_element_name(i));
	free(text);
	assert_int_equal(theme_element_from("row_selected"), THEME_ROW_SELECTED);
	assert_int_equal(theme_element_from("nope"), -1);
	assert_string_equal(theme_element_name(THEME_BANNER_PAUSED), "banner_paused");
}

static void test_shipped_themes_load(void **state)
{
	const char *names[] = {"default", "light", "high-contrast", "mono"};
	struct theme_caps c256 = {256, false, false};
	struct theme_pen pens[THEME_COUNT];
	struct sc_error err;
	struct theme t;

	(void)state;
	for (size_t i = 0; i < 4; i++) {
		sc_error_clear(&err);
		if (theme_load(&t, names[i], &err) != SC_OK)
			fail_msg("%s: %s", names[i], err.message);
		assert_string_equal(t.name, names[i]);
	}
	/* mono: no colour even on a 256-colour terminal; selection still visible */
	theme_resolve(&t, &c256, pens);
	for (int i = 0; i < THEME_COUNT; i++) {
		assert_int_equal(pens[i].fg, -1);
		assert_int_equal(pens[i].bg, -1);
	}
	assert_true(pens[THEME_ROW_SELECTED].attrs & THEME_ATTR_REVERSE);
}

/* ---- parsing and errors ---- */

static enum sc_status parse(struct theme *t, const char *text, struct sc_error *err)
{
	theme_init_default(t);
	sc_error_clear(err);
	return theme_parse(t, text, strlen(text), "x.theme", err);
}

static void test_parse_forms(void **state)
{
	struct sc_error err;
	struct theme t;
	const struct theme_style *st = &t.el[THEME_ROW];

	(void)state;
	assert_int_equal(parse(&t, "# c\n\n  color row #Ff8000 default bold underline # orange\n"
				   "color16 row bright-red 4 reverse\nmono row normal\n",
			       &err),
			 SC_OK);
	assert_int_equal(st->fg.kind, THEME_COLOR_RGB);
	assert_int_equal(st->fg.value, 0xff8000);
	assert_int_equal(st->bg.kind, THEME_COLOR_DEFAULT);
	assert_int_equal(st->attrs, THEME_ATTR_BOLD | THEME_ATTR_UNDERLINE);
	assert_true(st->has16);
	assert_int_equal(st->fg16.value, 9);
	assert_int_equal(st->bg16.value, 4);
	assert_int_equal(st->attrs16, THEME_ATTR_REVERSE);
	assert_true(st->has_mono);
	assert_int_equal(st->mono_attrs, 0);

	/* a later color line drops the fallbacks inherited from before it */
	assert_int_equal(parse(&t, "color header 255 brightblue\n", &err), SC_OK);
	assert_false(t.el[THEME_HEADER].has16);
	assert_false(t.el[THEME_HEADER].has_mono);
	assert_int_equal(t.el[THEME_HEADER].fg.value, 255);
	assert_int_equal(t.el[THEME_HEADER].bg.value, 12);
	/* untouched elements keep the default */
	assert_true(t.el[THEME_ROW_SELECTED].has_mono);
	/* CRLF line ends are fine */
	assert_int_equal(parse(&t, "color row red default\r\nmono row bold\r\n", &err), SC_OK);
}

static void test_parse_errors(void **state)
{
	static const struct {
		const char *text, *msg;
	} cases[] = {
		{"color row red default\n\ncolor rowz red default\n",
		 "x.theme:3: unknown element 'rowz'."},
		{"colour row red default\n",
		 "x.theme:1: unknown command 'colour' (use color, color16 or mono)."},
		{"color row #12345 default\n",
		 "x.theme:1: bad colour '#12345' (expected #rrggbb, 0-255, a colour name or default)."},
		{"color row 256 default\n",
		 "x.theme:1: bad colour '256' (expected #rrggbb, 0-255, a colour name or default)."},
		{"color row red pink\n",
		 "x.theme:1: bad colour 'pink' (expected #rrggbb, 0-255, a colour name or default)."},
		{"color16 row #ff0000 default\n",
		 "x.theme:1: bad colour '#ff0000' (expected a 16-colour name, 0-15 or default)."},
		{"color16 row 200 default\n",
		 "x.theme:1: bad colour '200' (expected a 16-colour name, 0-15 or default)."},
		{"color row red default blink\n",
		 "x.theme:1: unknown attribute 'blink' (use bold, reverse, underline, dim, standout "
		 "or normal)."},
		{"mono row shiny\n",
		 "x.theme:1: unknown attribute 'shiny' (use bold, reverse, underline, dim, standout "
		 "or normal)."},
		{"color row red\n", "x.theme:1: 'color' needs <element> <fg> <bg> [attr...]."},
		{"mono\n", "x.theme:1: 'mono' needs an element name."},
		{"color row red # default\n",
		 "x.theme:1: bad colour '#' (expected #rrggbb, 0-255, a colour name or default)."},
		{"color row # red default\n",
		 "x.theme:1: bad colour '#' (expected #rrggbb, 0-255, a colour name or default)."},
		{"color \x1b[2Jrow red default\n", "x.theme:1: unknown element '\\e[2Jrow'."},
		{"color row a b c d e f g h i j k l m n o p q\n",
		 "x.theme:1: too many words on the line."},
	};
	struct sc_error err;
	struct theme t;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(parse(&t, cases[i].text, &err), SC_CONFIG);
		assert_string_equal(err.message, cases[i].msg);
	}
	theme_init_default(&t);
	assert_int_equal(theme_parse(&t, "color row red default\n\0x", 24, "n.theme", &err),
			 SC_CONFIG);
	assert_string_equal(err.message, "n.theme:2: NUL byte in the file.");
}

static void test_load_paths_and_errors(void **state)
{
	char dir[256], path[512], found[512], msg[1024];
	struct sc_error err;
	struct theme t;

	(void)state;
	/* XDG wins over SESCTL_THEMES_DIR */
	snprintf(dir, sizeof(dir), "%s/xdg/sesctl/themes", tmpdir);
	snprintf(path, sizeof(path), "%s/xdg/sesctl", tmpdir);
	mkdir(path, 0700);
	mkdir(dir, 0700);
	snprintf(path, sizeof(path), "%s/light.theme", dir);
	write_file(path, "color row 123 default\n");
	assert_int_equal(theme_load(&t, "light", &err), SC_OK);
	assert_int_equal(t.el[THEME_ROW].fg.value, 123);
	assert_int_equal(theme_find("light", found, sizeof(found), &err), SC_OK);
	assert_string_equal(found, path);
	unlink(path);

	/* a broken user theme names its file and line */
	snprintf(path, sizeof(path), "%s/xdg/sesctl/themes/broken.theme", tmpdir);
	write_file(path, "# ok\ncolor row red default\ncolor row red default sparkly\n");
	assert_int_equal(theme_load(&t, "broken", &err), SC_CONFIG);
	snprintf(msg, sizeof(msg), "%s:3: unknown attribute 'sparkly'", path);
	assert_non_null(strstr(err.message, msg));
	/* by path */
	assert_int_equal(theme_load(&t, path, &err), SC_CONFIG);

	assert_int_equal(theme_load(&t, "nosuch", &err), SC_NOT_FOUND);
	assert_non_null(strstr(err.message, "theme 'nosuch' not found (looked in "));
	assert_non_null(strstr(err.message, "/xdg/sesctl/themes, "));
	assert_int_equal(theme_load(&t, "../nonexistent-dir/x", &err), SC_IO); /* a path */
	assert_int_equal(theme_load(&t, ".hidden", &err), SC_USAGE);
	assert_int_equal(theme_load(&t, "a b", &err), SC_USAGE);
	assert_int_equal(theme_load(&t, "/nonexistent/x.theme", &err), SC_IO);
	assert_non_null(strstr(err.message, "cannot open theme /nonexistent/x.theme"));
}

/* ---- resolution ---- */

static void test_caps(void **state)
{
	struct theme_caps c;

	(void)state;
	c = theme_caps_from(256, false, "truecolor", NULL, false);
	assert_false(c.truecolor);
	assert_false(c.no_color);
	c = theme_caps_from(256, true, "truecolor", NULL, false);
	assert_true(c.truecolor);
	c = theme_caps_from(0x1000000, false, "24bit", NULL, false);
	assert_true(c.truecolor);
	c = theme_caps_from(0x1000000, false, NULL, NULL, false);
	assert_false(c.truecolor);
	c = theme_caps_from(256, true, "truecolor", "", false); /* empty NO_COLOR: ignored */
	assert_false(c.no_color);
	c = theme_caps_from(256, true, "truecolor", "1", false);
	assert_true(c.no_color);
	assert_false(c.truecolor);
	c = theme_caps_from(256, false, NULL, NULL, true);
	assert_true(c.no_color);
	c = theme_caps_from(-1, false, NULL, NULL, false);
	assert_true(c.no_color);
}

static void test_palette(void **state)
{
	(void)state;
	/* every cube and grey entry maps back to itself */
	for (int i = 16; i < 256; i++)
		assert_int_equal(theme_nearest_256(theme_palette_rgb(i)), i);
	assert_int_equal(theme_nearest_256(0x005f87), 24);
	assert_int_equal(theme_nearest_256(0x808080), 244);
	assert_int_equal(theme_nearest_256(0x7f0000), 88);
	assert_int_equal(theme_nearest_base(0xff0000, 16), 9);
	assert_int_equal(theme_nearest_base(0xc00000, 16), 1);
	assert_int_equal(theme_nearest_base(0xff0000, 8), 1);
	assert_int_equal(theme_nearest_base(0xfafafa, 16), 15);
	assert_int_equal(theme_palette_rgb(231), 0xffffff);
	assert_int_equal(theme_palette_rgb(232), 0x080808);
}

static void test_resolve_levels(void **state)
{
	struct theme_caps tc = {0x1000000, true, false}, c256 = {256, false, false};
	struct theme_caps c16 = {16, false, false}, c8 = {8, false, false};
	struct theme_caps none = {256, false, true};
	struct theme_pen p[THEME_COUNT];
	struct sc_error err;
	struct theme t;

	(void)state;
	/* row: hex with no color16 line; header: hex with color16 and mono lines */
	assert_int_equal(parse(&t, "color row #d70000 #1c1c1c bold\n"
				   "color state_ok bright-green default\n",
			       &err),
			 SC_OK);

	theme_resolve(&t, &tc, p);
	assert_int_equal(p[THEME_ROW].fg, THEME_PEN_RGB | 0xd70000);
	assert_int_equal(p[THEME_ROW].bg, THEME_PEN_RGB | 0x1c1c1c);
	assert_int_equal(p[THEME_HEADER].fg, THEME_PEN_RGB | 0xe4e4e4);
	assert_int_equal(p[THEME_STATE_OK].fg, 10);

	theme_resolve(&t, &c256, p);
	assert_int_equal(p[THEME_ROW].fg, 160);
	assert_int_equal(p[THEME_ROW].bg, 234);
	assert_int_equal(p[THEME_ROW].attrs, THEME_ATTR_BOLD);
	assert_int_equal(p[THEME_HEADER].fg, 254);
	assert_int_equal(p[THEME_HEADER].bg, 24);

	theme_resolve(&t, &c16, p);
	assert_int_equal(p[THEME_HEADER].fg, 7);   /* explicit color16 white */
	assert_int_equal(p[THEME_HEADER].bg, 4);   /* blue */
	assert_int_equal(p[THEME_ROW].fg, 1);      /* nearest of 16 to #d70000 */
	assert_int_equal(p[THEME_ROW].bg, 0);
	assert_int_equal(p[THEME_STATE_OK].fg, 10);
	assert_int_equal(p[THEME_STATUS].fg, -1);

	theme_resolve(&t, &c8, p);
	assert_int_equal(p[THEME_STATE_OK].fg, 2);  /* bright-green folds to green */
	assert_int_equal(p[THEME_TOAST_ERROR].fg, 1);

	theme_resolve(&t, &none, p);
	for (int i = 0; i < THEME_COUNT; i++)
		assert_true(p[i].fg == -1 && p[i].bg == -1);
	assert_int_equal(p[THEME_HEADER].attrs, THEME_ATTR_REVERSE | THEME_ATTR_BOLD);
	assert_int_equal(p[THEME_ROW].attrs, THEME_ATTR_BOLD); /* no mono line: color attrs */
	assert_int_equal(p[THEME_ROW_SELECTED].attrs, THEME_ATTR_REVERSE | THEME_ATTR_BOLD);
}

static void test_states(void **state)
{
	(void)state;
	assert_string_equal(theme_state_glyph(SES_STATE_OK, false), "\xe2\x9c\x93");
	assert_string_equal(theme_state_glyph(SES_STATE_OK, true), "+");
	assert_string_equal(theme_state_glyph(SES_STATE_FAILED, true), "x");
	assert_string_equal(theme_state_word(SES_STATE_TEMPFAIL), "temp-failure");
	assert_string_equal(theme_state_word((enum ses_state)99), "unknown");
	assert_int_equal(theme_state_element(SES_STATE_FAILED), THEME_STATE_FAILED);
	assert_int_equal(theme_state_element(SES_STATE_PENDING), THEME_STATE_PENDING);
	for (int s = SES_STATE_NONE; s <= SES_STATE_UNKNOWN; s++) {
		assert_int_equal(strlen(theme_state_glyph(s, true)), 1);
		assert_true(strlen(theme_state_word(s)) > 0);
	}
}

/* theme_apply against a real (headless) curses screen, tig's newterm-on-/dev/null way. */
static void test_apply_curses(void **state)
{
	struct theme_caps c256 = {256, false, false}, none = {256, false, true};
	attr_t attrs[THEME_COUNT];
	FILE *out = fopen("/dev/null", "w"), *in = fopen("/dev/null", "r");
	struct theme t;
	SCREEN *scr;
	short fg, bg;

	(void)state;
	assert_non_null(out);
	assert_non_null(in);
	scr = newterm("xterm-256color", out, in);
	if (!scr) {
		printf("SKIP test_apply_curses: no xterm-256color terminfo entry\n");
		fclose(out), fclose(in);
		skip();
	}
	theme_init_default(&t);
	theme_apply(&t, &c256, attrs);
	assert_true(attrs[THEME_HEADER] & A_BOLD);
	assert_int_equal(PAIR_NUMBER(attrs[THEME_HEADER]), THEME_HEADER + 1);
	assert_int_equal(pair_content((short)(THEME_HEADER + 1), &fg, &bg), OK);
	assert_int_equal(fg, 254);
	assert_int_equal(bg, 24);
	assert_int_equal(PAIR_NUMBER(attrs[THEME_ROW]), 0); /* default/default: no pair */
	/* truecolor on a terminal that can redefine colours: #e4e4e4 gets its own slot */
	if (can_change_color()) {
		struct theme_caps tc = {256, true, false};
		int efg, ebg, r, g, b;

		theme_apply(&t, &tc, attrs);
		assert_int_equal(extended_pair_content(THEME_HEADER + 1, &efg, &ebg), OK);
		assert_true(efg >= 16 && efg <= 255);
		assert_int_equal(extended_color_content(efg, &r, &g, &b), OK);
		assert_int_equal(r, 0xe4 * 1000 / 255);
		assert_int_equal(g, r);
		assert_int_equal(b, r);
	} else {
		printf("SKIP test_apply_curses truecolor part: terminfo cannot change colours\n");
	}
	theme_apply(&t, &none, attrs);
	assert_int_equal(PAIR_NUMBER(attrs[THEME_HEADER]), 0);
	assert_true(attrs[THEME_ROW_SELECTED] & A_REVERSE);
	endwin();
	delscreen(scr);
	fclose(out), fclose(in);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_file_matches_embedded),
		cmocka_unit_test(test_default_names_every_element),
		cmocka_unit_test(test_shipped_themes_load),
		cmocka_unit_test(test_parse_forms),
		cmocka_unit_test(test_parse_errors),
		cmocka_unit_test(test_load_paths_and_errors),
		cmocka_unit_test(test_caps),
		cmocka_unit_test(test_palette),
		cmocka_unit_test(test_resolve_levels),
		cmocka_unit_test(test_states),
		cmocka_unit_test(test_apply_curses),
	};

	return cmocka_run_group_tests(tests, setup, teardown);
}

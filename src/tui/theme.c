#include "sesctl/tui/theme.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"
#include "sesctl/util/text.h"

#ifndef SESCTL_DATADIR
#define SESCTL_DATADIR "/usr/local/share/sesctl"
#endif

#define THEME_FILE_MAX (256 * 1024)

/* Keep identical to themes/default.theme (test_theme compares them byte for byte). */
static const char default_theme[] =
/* BEGIN default.theme */
	"# sesctl default theme (compiled into sesctl; this file is the same text).\n"
	"# color   <element> <fg> <bg> [attr...]   truecolor/256-colour terminals\n"
	"# color16 <element> <fg> <bg> [attr...]   16/8-colour terminals\n"
	"# mono    <element> [attr...]             no colour (NO_COLOR, --no-color)\n"
	"# Backgrounds are mostly \"default\" so the terminal's own background shows through.\n"
	"\n"
	"color   header           #e4e4e4 #005f87 bold\n"
	"color16 header           white   blue    bold\n"
	"mono    header           reverse bold\n"
	"color   header_ro        #ffd75f #005f87 bold\n"
	"color16 header_ro        bright-yellow blue bold\n"
	"mono    header_ro        reverse bold underline\n"
	"color   banner_paused    #ffffff #d70000 bold\n"
	"color16 banner_paused    bright-white red bold\n"
	"mono    banner_paused    reverse bold\n"
	"color   status           default default\n"
	"color   toast_info       #87d7ff default\n"
	"color16 toast_info       cyan    default\n"
	"color   toast_warn       #ffd75f default bold\n"
	"color16 toast_warn       yellow  default bold\n"
	"color   toast_error      #ff5f5f default bold\n"
	"color16 toast_error      bright-red default bold\n"
	"mono    toast_error      bold underline\n"
	"color   title            #a8a8a8 default\n"
	"color16 title            white   default\n"
	"color   title_focus      #ffffff default bold\n"
	"color16 title_focus      bright-white default bold\n"
	"mono    title_focus      bold underline\n"
	"color   border           #585858 default\n"
	"color16 border           bright-black default\n"
	"color   col_header       #87afd7 default bold underline\n"
	"color16 col_header       cyan    default bold underline\n"
	"color   row              default default\n"
	"color   row_alt          default #1c1c1c\n"
	"color16 row_alt          default default\n"
	"color   row_selected     #ffffff #005f87 bold\n"
	"color16 row_selected     bright-white blue bold\n"
	"mono    row_selected     reverse bold\n"
	"color   row_marked       #ffd75f default bold\n"
	"color16 row_marked       yellow  default bold\n"
	"mono    row_marked       bold underline\n"
	"color   state_ok         #5fd75f default\n"
	"color16 state_ok         green   default\n"
	"color   state_pending    #ffd75f default\n"
	"color16 state_pending    yellow  default\n"
	"color   state_failed     #ff5f5f default bold\n"
	"color16 state_failed     bright-red default bold\n"
	"mono    state_failed     bold\n"
	"color   state_warn       #ffaf00 default\n"
	"color16 state_warn       yellow  default\n"
	"color   state_unknown    #af87ff default\n"
	"color16 state_unknown    magenta default\n"
	"color   stale            #808080 default dim\n"
	"color16 stale            bright-black default\n"
	"mono    stale            dim\n"
	"color   threshold_review #ffaf00 default\n"
	"color16 threshold_review yellow  default\n"
	"color   threshold_pause  #ff5f5f default bold\n"
	"color16 threshold_pause  bright-red default bold\n"
	"mono    threshold_pause  bold\n"
	"color   graph_bounce     #5fafff default\n"
	"color16 graph_bounce     bright-blue default\n"
	"color   graph_complaint  #d787ff default\n"
	"color16 graph_complaint  bright-magenta default\n"
	"color   graph_axis       #808080 default\n"
	"color16 graph_axis       bright-black default\n"
	"color   graph_cursor     #ffffff default bold\n"
	"color16 graph_cursor     bright-white default bold\n"
	"mono    graph_cursor     bold\n"
	"color   dialog           #e4e4e4 #303030\n"
	"color16 dialog           white   black\n"
	"color   dialog_border    #87afd7 #303030 bold\n"
	"color16 dialog_border    cyan    black   bold\n"
	"color   dialog_danger    #ffffff #d70000 bold\n"
	"color16 dialog_danger    bright-white red bold\n"
	"mono    dialog_danger    reverse bold\n"
	"color   prompt           #ffffff default bold\n"
	"color16 prompt           bright-white default bold\n"
	"color   filter_match     #000000 #ffd75f\n"
	"color16 filter_match     black   yellow\n"
	"mono    filter_match     underline\n"
	"color   help_key         #87d7ff default bold\n"
	"color16 help_key         cyan    default bold\n"
	"mono    help_key         bold\n"
	"color   help_desc        default default\n"
	"color   log_error        #ff5f5f default\n"
	"color16 log_error        bright-red default\n"
	"mono    log_error        bold\n"
	"color   log_write        #ffd75f default\n"
	"color16 log_write        yellow  default\n"
	"color   diff_add         #5fd75f default\n"
	"color16 diff_add         green   default\n"
	"mono    diff_add         bold\n"
	"color   diff_del         #ff5f5f default\n"
	"color16 diff_del         red     default\n"
	"mono    diff_del         dim\n"
/* END default.theme */
	;

const char *theme_default_text(void)
{
	return default_theme;
}

/* ---- names ---- */

static const char *const element_names[] = {
#define THEME_ELEMENT_NAME(id, name, desc) #name,
	THEME_ELEMENTS(THEME_ELEMENT_NAME)
#undef THEME_ELEMENT_NAME
};

static const char *const element_descs[] = {
#define THEME_ELEMENT_DESC(id, name, desc) desc,
	THEME_ELEMENTS(THEME_ELEMENT_DESC)
#undef THEME_ELEMENT_DESC
};

static const struct {
	const char *name;
	unsigned bit;
} attr_names[] = {
#define THEME_ATTR_NAME(id, name, bit) {#name, bit},
	THEME_ATTRS(THEME_ATTR_NAME)
#undef THEME_ATTR_NAME
};

const char *theme_element_name(enum theme_element e)
{
	return (unsigned)e < THEME_COUNT ? element_names[e] : "?";
}

const char *theme_element_desc(enum theme_element e)
{
	return (unsigned)e < THEME_COUNT ? element_descs[e] : "?";
}

int theme_element_from(const char *name)
{
	for (int i = 0; i < THEME_COUNT; i++)
		if (strcmp(element_names[i], name) == 0)
			return i;
	return -1;
}

/* ---- palette ---- */

static const uint32_t base16[16] = {
	0x000000, 0xcd0000, 0x00cd00, 0xcdcd00, 0x0000ee, 0xcd00cd, 0x00cdcd, 0xe5e5e5,
	0x7f7f7f, 0xff0000, 0x00ff00, 0xffff00, 0x5c5cff, 0xff00ff, 0x00ffff, 0xffffff,
};
static const int cube_levels[6] = {0, 95, 135, 175, 215, 255};

uint32_t theme_palette_rgb(int index)
{
	if (index < 0 || index > 255)
		return 0;
	if (index < 16)
		return base16[index];
	if (index >= 232) {
		uint32_t g = (uint32_t)(8 + 10 * (index - 232));

		return g << 16 | g << 8 | g;
	}
	index -= 16;
	return (uint32_t)cube_levels[index / 36] << 16 | (uint32_t)cube_levels[index / 6 % 6] << 8 |
	       (uint32_t)cube_levels[index % 6];
}

static long dist2(uint32_t a, uint32_t b)
{
	long dr = (long)(a >> 16 & 255) - (long)(b >> 16 & 255);
	long dg = (long)(a >> 8 & 255) - (long)(b >> 8 & 255);
	long db = (long)(a & 255) - (long)(b & 255);

	return dr * dr + dg * dg + db * db;
}

static int nearest_cube_level(int v)
{
	int best = 0;

	for (int i = 1; i < 6; i++)
		if (abs(cube_levels[i] - v) < abs(cube_levels[best] - v))
			best = i;
	return best;
}

int theme_nearest_256(uint32_t rgb)
{
	int r = (int)(rgb >> 16 & 255), g = (int)(rgb >> 8 & 255), b = (int)(rgb & 255);
	int cube = 16 + 36 * nearest_cube_level(r) + 6 * nearest_cube_level(g) +
		   nearest_cube_level(b);
	int avg = (r + g + b) / 3;
	int grey = avg < 8 ? 232 : avg > 238 ? 255 : 232 + (avg - 8 + 5) / 10;

	if (grey > 255)
		grey = 255;
	return dist2(theme_palette_rgb(grey), rgb) < dist2(theme_palette_rgb(cube), rgb) ? grey
											  : cube;
}

int theme_nearest_base(uint32_t rgb, int n)
{
	int best = 0;

	if (n > 16)
		n = 16;
	for (int i = 1; i < n; i++)
		if (dist2(base16[i], rgb) < dist2(base16[best], rgb))
			best = i;
	return best;
}

/* ---- parsing ---- */

static const char *const color_names[8] = {
	"black", "red", "green", "yellow", "blue", "magenta", "cyan", "white",
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

static bool is_hex_color(const char *s)
{
	if (s[0] != '#' || strlen(s) != 7)
		return false;
	for (int i = 1; i < 7; i++)
		if (hexval(s[i]) < 0)
			return false;
	return true;
}

static bool parse_named(const char *s, struct theme_color *c)
{
	const char *base = s;
	int bright = 0;

	if (strncmp(s, "bright-", 7) == 0)
		base = s + 7, bright = 8;
	else if (strncmp(s, "bright", 6) == 0)
		base = s + 6, bright = 8;
	for (int i = 0; i < 8; i++)
		if (strcmp(base, color_names[i]) == 0) {
			c->kind = THEME_COLOR_INDEX;
			c->value = (uint32_t)(i + bright);
			return true;
		}
	return false;
}

static bool parse_number(const char *s, struct theme_color *c)
{
	char *end;
	long v;

	if (*s < '0' || *s > '9')
		return false;
	errno = 0;
	v = strtol(s, &end, 10);
	if (*end || errno || v > 255)
		return false;
	c->kind = THEME_COLOR_INDEX;
	c->value = (uint32_t)v;
	return true;
}

static bool parse_color(const char *s, struct theme_color *c, bool only16)
{
	if (strcmp(s, "default") == 0) {
		c->kind = THEME_COLOR_DEFAULT;
		c->value = 0;
		return true;
	}
	if (parse_named(s, c))
		return true;
	if (parse_number(s, c))
		return !only16 || c->value < 16;
	if (only16 || !is_hex_color(s))
		return false;
	c->kind = THEME_COLOR_RGB;
	c->value = (uint32_t)strtoul(s + 1, NULL, 16);
	return true;
}

static bool parse_attr(const char *s, unsigned *attrs)
{
	if (strcmp(s, "normal") == 0)
		return true;
	for (size_t i = 0; i < sizeof(attr_names) / sizeof(attr_names[0]); i++)
		if (strcmp(s, attr_names[i].name) == 0) {
			*attrs |= attr_names[i].bit;
			return true;
		}
	return false;
}

#define MAX_WORDS 16

struct line_ctx {
	const char *origin;
	int lineno;
	struct sc_error *err;
};

static enum sc_status line_fail(const struct line_ctx *lc, const char *fmt, const char *word)
{
	struct buf clean = BUF_INIT, shown = BUF_INIT;
	char msg[256];

	/* the offending word is echoed: keep escapes out of the terminal and the length sane */
	text_sanitize(&clean, word, strlen(word), TEXT_ASCII);
	text_truncate(&shown, buf_str(&clean), clean.len, 40, TEXT_ASCII);
	snprintf(msg, sizeof(msg), fmt, buf_str(&shown));
	buf_free(&clean);
	buf_free(&shown);
	return sc_fail(lc->err, SC_CONFIG, "%s:%d: %s", lc->origin, lc->lineno, msg);
}

/* Split line (modified in place) into words; a word starting with '#' starts a comment
 * except where a colour is expected (words 2 and 3 of color/color16), where it must be
 * #rrggbb. Returns the count, or -1 if too many. */
static int split_words(char *line, char **w)
{
	char *save = NULL;
	int n = 0;

	for (char *p = strtok_r(line, " \t\r", &save); p; p = strtok_r(NULL, " \t\r", &save)) {
		bool color_pos = n >= 2 && n <= 3 &&
				 (strcmp(w[0], "color") == 0 || strcmp(w[0], "color16") == 0);

		if (p[0] == '#' && !color_pos)
			break;
		if (n == MAX_WORDS)
			return -1;
		w[n++] = p;
	}
	return n;
}

static enum sc_status parse_attrs(const struct line_ctx *lc, char **w, int n, unsigned *out)
{
	*out = 0;
	for (int i = 0; i < n; i++)
		if (!parse_attr(w[i], out))
			return line_fail(lc, "unknown attribute '%s' (use bold, reverse, underline, "
					     "dim, standout or normal).", w[i]);
	return SC_OK;
}

static enum sc_status parse_colors(const struct line_ctx *lc, char **w, bool only16,
				   struct theme_color *fg, struct theme_color *bg)
{
	const char *what = only16 ? "a 16-colour name, 0-15 or default"
				  : "#rrggbb, 0-255, a colour name or default";
	char fmt[128];

	snprintf(fmt, sizeof(fmt), "bad colour '%%s' (expected %s).", what);
	if (!parse_color(w[0], fg, only16))
		return line_fail(lc, fmt, w[0]);
	if (!parse_color(w[1], bg, only16))
		return line_fail(lc, fmt, w[1]);
	return SC_OK;
}

static enum sc_status parse_line(struct theme *t, char **w, int n, const struct line_ctx *lc)
{
	bool is16 = strcmp(w[0], "color16") == 0;
	struct theme_style *st;
	struct theme_color fg, bg;
	unsigned attrs;
	enum sc_status s;
	int e;

	if (strcmp(w[0], "color") != 0 && !is16 && strcmp(w[0], "mono") != 0)
		return line_fail(lc, "unknown command '%s' (use color, color16 or mono).", w[0]);
	if (n < 2)
		return line_fail(lc, "'%s' needs an element name.", w[0]);
	e = theme_element_from(w[1]);
	if (e < 0)
		return line_fail(lc, "unknown element '%s'.", w[1]);
	st = &t->el[e];
	if (strcmp(w[0], "mono") == 0) {
		if ((s = parse_attrs(lc, w + 2, n - 2, &attrs)) != SC_OK)
			return s;
		st->has_mono = true;
		st->mono_attrs = attrs;
		return SC_OK;
	}
	if (n < 4)
		return line_fail(lc, "'%s' needs <element> <fg> <bg> [attr...].", w[0]);
	if ((s = parse_colors(lc, w + 2, is16, &fg, &bg)) != SC_OK ||
	    (s = parse_attrs(lc, w + 4, n - 4, &attrs)) != SC_OK)
		return s;
	if (is16) {
		st->has16 = true, st->fg16 = fg, st->bg16 = bg, st->attrs16 = attrs;
		return SC_OK;
	}
	st->fg = fg, st->bg = bg, st->attrs = attrs;
	st->has16 = false, st->has_mono = false;
	return SC_OK;
}

enum sc_status theme_parse(struct theme *t, const char *text, size_t len, const char *origin,
			   struct sc_error *err)
{
	struct line_ctx lc = {origin ? origin : "theme", 0, err};
	size_t off = 0;

	while (off < len) {
		const char *nl = memchr(text + off, '\n', len - off);
		size_t ll = nl ? (size_t)(nl - (text + off)) : len - off;
		char *line = xstrndup(text + off, ll), *w[MAX_WORDS];
		enum sc_status s = SC_OK;
		int n;

		lc.lineno++;
		if (memchr(text + off, '\0', ll))
			s = line_fail(&lc, "%sNUL byte in the file.", "");
		else if ((n = split_words(line, w)) < 0)
			s = line_fail(&lc, "%stoo many words on the line.", "");
		else if (n > 0)
			s = parse_line(t, w, n, &lc);
		free(line);
		if (s != SC_OK)
			return s;
		off += ll + 1;
	}
	return SC_OK;
}

void theme_init_default(struct theme *t)
{
	memset(t, 0, sizeof(*t));
	snprintf(t->name, sizeof(t->name), "default");
	/* The embedded text is checked by test_theme; a failure here is a build mistake. */
	if (theme_parse(t, default_theme, strlen(default_theme), "(built-in default)", NULL) !=
	    SC_OK)
		abort();
}

/* ---- files ---- */

static enum sc_status read_file(const char *path, struct buf *out, struct sc_error *err)
{
	char tmp[4096];
	size_t n;
	int fd = file_open_regular(path);
	FILE *f = fd >= 0 ? fdopen(fd, "rb") : NULL;

	if (!f && fd >= 0)
		close(fd);
	if (!f)
		return sc_fail(err, SC_IO, "cannot open theme %s: %s.", path, file_strerror(errno));
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		buf_append(out, tmp, n);
		if (out->len > THEME_FILE_MAX) {
			fclose(f);
			return sc_fail(err, SC_CONFIG, "%s: theme file larger than %d bytes.", path,
				       THEME_FILE_MAX);
		}
	}
	if (ferror(f)) {
		fclose(f);
		return sc_fail(err, SC_IO, "cannot read theme %s: %s.", path, strerror(errno));
	}
	fclose(f);
	return SC_OK;
}

static void name_from_path(struct theme *t, const char *path)
{
	const char *base = strrchr(path, '/');
	size_t len;

	base = base ? base + 1 : path;
	len = strcspn(base, ".");
	if (len >= sizeof(t->name))
		len = sizeof(t->name) - 1;
	memcpy(t->name, base, len);
	t->name[len] = '\0';
}

enum sc_status theme_load_file(struct theme *t, const char *path, struct sc_error *err)
{
	struct buf text = BUF_INIT;
	enum sc_status s;

	theme_init_default(t);
	s = read_file(path, &text, err);
	if (s == SC_OK)
		s = theme_parse(t, buf_str(&text), text.len, path, err);
	buf_free(&text);
	if (s == SC_OK)
		name_from_path(t, path);
	return s;
}

static bool valid_theme_name(const char *name)
{
	size_t n = strlen(name);

	if (n == 0 || n > 48 || name[0] == '.' || name[0] == '-')
		return false;
	for (const char *p = name; *p; p++)
		if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z') ||
		      (*p >= '0' && *p <= '9') || *p == '-' || *p == '_' || *p == '.'))
			return false;
	return true;
}

/* The search directories, in order; empty strings for unset ones. The last is themes/
 * beside the binary, so a build in a checkout finds the repository's themes. */
static void theme_dirs(char dirs[4][4096])
{
	char exe[4096];
	ssize_t n = readlink("/proc/self/exe", exe, sizeof(exe) - 1);
	char *slash;

	const char *xdg = getenv("XDG_CONFIG_HOME");
	const char *home = getenv("HOME");
	const char *env = getenv("SESCTL_THEMES_DIR");

	dirs[0][0] = dirs[2][0] = dirs[3][0] = '\0';
	if (xdg && xdg[0] == '/')
		snprintf(dirs[0], 4096, "%s/sesctl/themes", xdg);
	else if (home && *home)
		snprintf(dirs[0], 4096, "%s/.config/sesctl/themes", home);
	snprintf(dirs[1], 4096, "%s/themes", SESCTL_DATADIR);
	if (env && *env)
		snprintf(dirs[2], 4096, "%s", env);
	if (n > 0) {
		exe[n] = '\0';
		slash = strrchr(exe, '/');
		if (slash && (size_t)(slash - exe) + sizeof("/themes") < sizeof(dirs[3])) {
			memcpy(dirs[3], exe, (size_t)(slash - exe));
			memcpy(dirs[3] + (slash - exe), "/themes", sizeof("/themes"));
		}
	}
}

enum sc_status theme_find(const char *name, char *path, size_t pathlen, struct sc_error *err)
{
	char dirs[4][4096];
	struct buf looked = BUF_INIT;

	if (!valid_theme_name(name))
		return sc_fail(err, SC_USAGE,
			       "bad theme name '%s' (letters, digits, '-', '_' and '.' only).", name);
	theme_dirs(dirs);
	for (int i = 0; i < 4; i++) {
		int n;

		if (!dirs[i][0])
			continue;
		n = snprintf(path, pathlen, "%s/%s.theme", dirs[i], name);
		if (n > 0 && (size_t)n < pathlen && access(path, R_OK) == 0) {
			buf_free(&looked);
			return SC_OK;
		}
		buf_printf(&looked, "%s%s", looked.len ? ", " : "", dirs[i]);
	}
	sc_fail(err, SC_NOT_FOUND, "theme '%s' not found (looked in %s).", name, buf_str(&looked));
	buf_free(&looked);
	return SC_NOT_FOUND;
}

enum sc_status theme_load(struct theme *t, const char *name, struct sc_error *err)
{
	char path[4200];
	enum sc_status s;

	if (!name || strcmp(name, "default") == 0) {
		theme_init_default(t);
		return SC_OK;
	}
	if (strchr(name, '/'))
		return theme_load_file(t, name, err);
	s = theme_find(name, path, sizeof(path), err);
	if (s != SC_OK)
		return s;
	return theme_load_file(t, path, err);
}

/* ---- capabilities and resolution ---- */

struct theme_caps theme_caps_from(int colors, bool can_change, const char *colorterm,
				  const char *no_color_env, bool no_color_flag)
{
	struct theme_caps c = {colors, false, false};
	bool ct = colorterm && (strcmp(colorterm, "truecolor") == 0 ||
				strcmp(colorterm, "24bit") == 0);

	c.no_color = no_color_flag || (no_color_env && *no_color_env) || colors < 8;
	c.truecolor = !c.no_color && ct && (colors >= 0x1000000 || (can_change && colors >= 256));
	return c;
}

static int pen_256(const struct theme_color *c)
{
	if (c->kind == THEME_COLOR_DEFAULT)
		return -1;
	if (c->kind == THEME_COLOR_INDEX)
		return (int)c->value;
	return theme_nearest_256(c->value);
}

static int pen_base(const struct theme_color *c, int n)
{
	if (c->kind == THEME_COLOR_DEFAULT)
		return -1;
	if (c->kind == THEME_COLOR_INDEX && (int)c->value < n)
		return (int)c->value;
	if (c->kind == THEME_COLOR_INDEX && c->value < 16)
		return (int)c->value - 8; /* bright on an 8-colour terminal */
	return theme_nearest_base(c->kind == THEME_COLOR_RGB ? c->value
							      : theme_palette_rgb((int)c->value),
				  n);
}

static struct theme_pen resolve_one(const struct theme_style *st, const struct theme_caps *caps)
{
	struct theme_pen p = {-1, -1, st->attrs};
	int n = caps->colors >= 16 ? 16 : 8;

	if (caps->no_color) {
		p.attrs = st->has_mono ? st->mono_attrs : st->attrs;
		return p;
	}
	if (caps->truecolor || caps->colors >= 256) {
		p.fg = pen_256(&st->fg);
		p.bg = pen_256(&st->bg);
		if (caps->truecolor && st->fg.kind == THEME_COLOR_RGB)
			p.fg = THEME_PEN_RGB | (int)st->fg.value;
		if (caps->truecolor && st->bg.kind == THEME_COLOR_RGB)
			p.bg = THEME_PEN_RGB | (int)st->bg.value;
		return p;
	}
	if (st->has16) {
		p.fg = pen_base(&st->fg16, n);
		p.bg = pen_base(&st->bg16, n);
		p.attrs = st->attrs16;
		return p;
	}
	p.fg = pen_base(&st->fg, n);
	p.bg = pen_base(&st->bg, n);
	return p;
}

void theme_resolve(const struct theme *t, const struct theme_caps *caps,
		   struct theme_pen out[THEME_COUNT])
{
	for (int i = 0; i < THEME_COUNT; i++)
		out[i] = resolve_one(&t->el[i], caps);
}

/* ---- curses ---- */

static attr_t curses_attrs(unsigned a)
{
	attr_t r = A_NORMAL;

	r |= (a & THEME_ATTR_BOLD) ? A_BOLD : 0;
	r |= (a & THEME_ATTR_REVERSE) ? A_REVERSE : 0;
	r |= (a & THEME_ATTR_UNDERLINE) ? A_UNDERLINE : 0;
	r |= (a & THEME_ATTR_DIM) ? A_DIM : 0;
	r |= (a & THEME_ATTR_STANDOUT) ? A_STANDOUT : 0;
	return r;
}

struct rgb_slots {
	uint32_t rgb[64];
	int slot[64];
	int n;
	int next; /* next palette slot to redefine, counting down */
};

/* A colour number for a pen value: palette index, direct RGB, or a redefined slot. */
static int curses_color(int pen, struct rgb_slots *rs)
{
	uint32_t rgb;
	int r, g, b;

	if (pen < THEME_PEN_RGB)
		return pen;
	rgb = (uint32_t)pen & 0xffffff;
	if (COLORS >= 0x1000000)
		return (int)rgb;
	for (int i = 0; i < rs->n; i++)
		if (rs->rgb[i] == rgb)
			return rs->slot[i];
	if (rs->n == 64 || rs->next < 16 || !can_change_color())
		return theme_nearest_256(rgb);
	r = (int)(rgb >> 16) * 1000 / 255, g = (int)(rgb >> 8 & 255) * 1000 / 255;
	b = (int)(rgb & 255) * 1000 / 255;
	if (init_extended_color(rs->next, r, g, b) != OK)
		return theme_nearest_256(rgb);
	rs->rgb[rs->n] = rgb;
	rs->slot[rs->n++] = rs->next;
	return rs->next--;
}

void theme_apply(const struct theme *t, const struct theme_caps *caps,
		 attr_t out[THEME_COUNT])
{
	struct theme_pen pens[THEME_COUNT];
	struct rgb_slots rs = {.n = 0, .next = 255};
	bool color = !caps->no_color && has_colors();

	theme_resolve(t, caps, pens);
	if (color) {
		start_color();
		use_default_colors();
		if (COLORS > 256)
			rs.next = COLORS - 1 < 0x7fff ? COLORS - 1 : 0x7fff;
	}
	for (int i = 0; i < THEME_COUNT; i++) {
		int fg, bg;

		out[i] = curses_attrs(pens[i].attrs);
		if (!color || (pens[i].fg < 0 && pens[i].bg < 0))
			continue;
		fg = curses_color(pens[i].fg, &rs);
		bg = curses_color(pens[i].bg, &rs);
		if (init_extended_pair(i + 1, fg, bg) == OK)
			out[i] |= COLOR_PAIR(i + 1);
	}
}

/* ---- states ---- */

static const struct {
	const char *glyph, *ascii, *word;
	enum theme_element el;
} states[] = {
	[SES_STATE_NONE] = {"-", "-", "-", THEME_STATE_UNKNOWN},
	[SES_STATE_OK] = {"\xe2\x9c\x93", "+", "ok", THEME_STATE_OK},
	[SES_STATE_PENDING] = {"\xe2\x80\xa6", ".", "pending", THEME_STATE_PENDING},
	[SES_STATE_FAILED] = {"\xe2\x9c\x97", "x", "failed", THEME_STATE_FAILED},
	[SES_STATE_TEMPFAIL] = {"!", "!", "temp-failure", THEME_STATE_WARN},
	[SES_STATE_UNKNOWN] = {"?", "?", "unknown", THEME_STATE_UNKNOWN},
};

static unsigned state_index(enum ses_state s)
{
	return (unsigned)s < sizeof(states) / sizeof(states[0]) ? (unsigned)s
								   : (unsigned)SES_STATE_UNKNOWN;
}

const char *theme_state_glyph(enum ses_state s, bool ascii)
{
	return ascii ? states[state_index(s)].ascii : states[state_index(s)].glyph;
}

const char *theme_state_word(enum ses_state s)
{
	return states[state_index(s)].word;
}

enum theme_element theme_state_element(enum ses_state s)
{
	return states[state_index(s)].el;
}

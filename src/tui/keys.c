/* Key names, the request table and the keymap. */
#include "sesctl/tui/keys.h"

#include <ctype.h>
#include <curses.h>
#include <stdio.h>
#include <string.h>
#include <strings.h>

#include "sesctl/util/text.h"

const struct req_info req_info_table[] = {
#define REQ_ROW(id, name, keys, scope, desc) {REQ_##id, name, keys, REQ_SCOPE_##scope, desc},
	REQ_INFO(REQ_ROW)
#undef REQ_ROW
};

static const char *const scope_names[] = {
#define REQ_SCOPE_NAME(id, name) name,
	REQ_SCOPES(REQ_SCOPE_NAME)
#undef REQ_SCOPE_NAME
};

const struct req_info *req_info(enum req req)
{
	if (req <= REQ_NONE || req >= REQ_COUNT)
		return NULL;
	return &req_info_table[req - 1];
}

enum req req_from_name(const char *name)
{
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++)
		if (!strcasecmp(req_info_table[r - 1].name, name))
			return (enum req)r;
	return REQ_NONE;
}

const char *req_scope_name(enum req_scope s)
{
	return (unsigned)s < REQ_SCOPE_COUNT ? scope_names[s] : "?";
}

/* Named keys: canonical name, other spellings (lower-case, no brackets), code. */
static const struct {
	const char *name;
	const char *alias;
	int key;
} named_keys[] = {
	{"<Enter>", "enter return ret cr", '\r'},
	{"<Esc>", "esc escape", 27},
	{"<Tab>", "tab", '\t'},
	{"<S-Tab>", "s-tab shift-tab backtab", KEYC_FN(KEY_BTAB)},
	{"<Space>", "space spc", ' '},
	{"<Backspace>", "backspace bs", KEYC_FN(KEY_BACKSPACE)},
	{"<Del>", "del delete", KEYC_FN(KEY_DC)},
	{"<Up>", "up", KEYC_FN(KEY_UP)},
	{"<Down>", "down", KEYC_FN(KEY_DOWN)},
	{"<Left>", "left", KEYC_FN(KEY_LEFT)},
	{"<Right>", "right", KEYC_FN(KEY_RIGHT)},
	{"<PgUp>", "pgup pageup page-up ppage", KEYC_FN(KEY_PPAGE)},
	{"<PgDn>", "pgdn pagedown page-down npage pgdown", KEYC_FN(KEY_NPAGE)},
	{"<Home>", "home", KEYC_FN(KEY_HOME)},
	{"<End>", "end", KEYC_FN(KEY_END)},
};

static bool word_in(const char *list, const char *w, size_t wlen)
{
	while (*list) {
		size_t n = strcspn(list, " ");

		if (n == wlen && !strncasecmp(list, w, n))
			return true;
		list += n;
		while (*list == ' ')
			list++;
	}
	return false;
}

static int parse_ctrl(const char *s, size_t len)
{
	static const char *const prefixes[] = {"c-", "ctrl-", "ctrl+", "^"};

	for (size_t i = 0; i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		size_t pl = strlen(prefixes[i]);

		if (len == pl + 1 && !strncasecmp(s, prefixes[i], pl) && isalpha((unsigned char)s[pl]))
			return tolower((unsigned char)s[pl]) - 'a' + 1;
	}
	return -1;
}

static int parse_fn(const char *s, size_t len)
{
	int n = 0;

	if (len < 2 || len > 3 || (s[0] != 'f' && s[0] != 'F'))
		return -1;
	for (size_t i = 1; i < len; i++) {
		if (!isdigit((unsigned char)s[i]))
			return -1;
		n = n * 10 + (s[i] - '0');
	}
	return n >= 1 && n <= 12 ? KEYC_FN(KEY_F(n)) : -1;
}

int key_from_name(const char *name)
{
	size_t len = strlen(name);
	uint32_t cp;
	int k;

	if (!len)
		return -1;
	if (text_utf8_next(name, len, &cp) == len && cp != TEXT_BAD_CP)
		return (int)cp;
	if (len > 2 && name[0] == '<' && name[len - 1] == '>') {
		name++;
		len -= 2;
	}
	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (word_in(named_keys[i].alias, name, len))
			return named_keys[i].key;
	k = parse_ctrl(name, len);
	return k >= 0 ? k : parse_fn(name, len);
}

void key_to_name(int key, char *out, size_t outlen)
{
	char u[5] = {0};

	for (size_t i = 0; i < sizeof(named_keys) / sizeof(named_keys[0]); i++)
		if (named_keys[i].key == key) {
			snprintf(out, outlen, "%s", named_keys[i].name);
			return;
		}
	if (key == '\n') {
		snprintf(out, outlen, "<Enter>");
	} else if (key >= 1 && key <= 26) {
		snprintf(out, outlen, "<C-%c>", 'a' + key - 1);
	} else if (KEYC_IS_FN(key) && key >= KEYC_FN(KEY_F(1)) && key <= KEYC_FN(KEY_F(12))) {
		snprintf(out, outlen, "<F%d>", key - KEYC_FN(KEY_F0));
	} else if (KEYC_IS_FN(key)) {
		snprintf(out, outlen, "<key-%d>", key - KEYC_FN_BASE);
	} else if (key > 32 && key < 0x110000) {
		text_utf8_put(u, (uint32_t)key);
		snprintf(out, outlen, "%s", u);
	} else {
		snprintf(out, outlen, "<0x%x>", (unsigned)key);
	}
}

bool keymap_bind(struct keymap *km, int key, enum req req)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->bind[i].key == key) {
			km->bind[i].req = req;
			return true;
		}
	if (km->n >= KEYMAP_MAX)
		return false;
	km->bind[km->n].key = key;
	km->bind[km->n].req = req;
	km->n++;
	return true;
}

void keymap_init_default(struct keymap *km)
{
	memset(km, 0, sizeof(*km));
	for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
		const char *p = req_info_table[r - 1].keys;

		while (*p) {
			char name[32];
			size_t n = strcspn(p, " ");

			snprintf(name, sizeof(name), "%.*s", (int)n, p);
			keymap_bind(km, key_from_name(name), (enum req)r);
			p += n;
			while (*p == ' ')
				p++;
		}
	}
	keymap_bind(km, '\n', REQ_ENTER);
	keymap_bind(km, KEYC_FN(KEY_ENTER), REQ_ENTER);
}

size_t keymap_apply(struct keymap *km, const char *const *keys, const char *const *reqs,
		    size_t n, char *problem, size_t problem_len)
{
	size_t applied = 0;

	if (problem && problem_len)
		problem[0] = '\0';
	for (size_t i = 0; i < n; i++) {
		int key = key_from_name(keys[i]);
		enum req req = req_from_name(reqs[i]);
		bool none = !strcasecmp(reqs[i], "none");

		if (key < 0 || (req == REQ_NONE && !none)) {
			if (problem && problem_len && !problem[0])
				snprintf(problem, problem_len, "[keys] %s = %s: unknown %s", keys[i],
					 reqs[i], key < 0 ? "key name" : "request name");
			continue;
		}
		applied += keymap_bind(km, key, req);
	}
	return applied;
}

enum req keymap_lookup(const struct keymap *km, int key)
{
	for (size_t i = 0; i < km->n; i++)
		if (km->bind[i].key == key)
			return km->bind[i].req;
	return REQ_NONE;
}

void keymap_keys_of(const struct keymap *km, enum req req, char *out, size_t outlen)
{
	size_t len = 0;

	if (outlen)
		out[0] = '\0';
	for (size_t i = 0; i < km->n && len < outlen; i++) {
		char name[32];

		if (km->bind[i].req != req || km->bind[i].key == '\n' ||
		    km->bind[i].key == KEYC_FN(KEY_ENTER))
			continue;
		key_to_name(km->bind[i].key, name, sizeof(name));
		len += (size_t)snprintf(out + len, outlen - len, "%s%s", len ? ", " : "", name);
	}
}

int req_pane_index(enum req req)
{
	return req >= REQ_PANE_1 && req <= REQ_PANE_10 ? (int)(req - REQ_PANE_1) : -1;
}

void tui_print_keys(FILE *f, int n_panes)
{
	struct keymap km;

	keymap_init_default(&km);
	for (int s = 0; s < REQ_SCOPE_COUNT; s++) {
		fprintf(f, "%s:\n", scope_names[s]);
		for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
			const struct req_info *ri = &req_info_table[r - 1];
			char keys[128];

			if ((int)ri->scope != s || req_pane_index(ri->req) >= n_panes)
				continue;
			keymap_keys_of(&km, ri->req, keys, sizeof(keys));
			fprintf(f, "  %-22s %-16s %s\n", keys, ri->name, ri->desc);
		}
	}
}

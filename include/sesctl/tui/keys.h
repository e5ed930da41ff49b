#ifndef SESCTL_TUI_KEYS_H
#define SESCTL_TUI_KEYS_H

/*
 * Keys become requests. REQ_INFO(_) lists every request once: id, name (what the [keys]
 * section of the config and the help pane use), default keys (space-separated key names),
 * scope (where it applies, for the help pane and the man page) and a description. It
 * feeds enum req, the default keymap, the help pane and tui_print_keys().
 *
 * Key names (key_from_name/key_to_name): a single character ("j", "?", "G", "é"), or one of
 * <Enter> <Esc> <Tab> <S-Tab> <Space> <Backspace> <Del> <Up> <Down> <Left> <Right>
 * <PgUp> <PgDn> <Home> <End> <F1>..<F12> <C-x> (control + letter). Config files may drop
 * the brackets and use other spellings: "enter", "ctrl-r", "C-r", "shift-tab", "pgdn".
 *
 * Key codes are ints: a Unicode code point for a character (control keys are their C0
 * code, Esc is 27), KEYC_FN(k) for a curses function key k (KEY_UP, KEY_RESIZE, ...).
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

/* Scopes, in help order. */
#define REQ_SCOPES(_)                                                                         \
	_(GLOBAL, "global")                                                                   \
	_(TABLE, "tables")                                                                    \
	_(IDENTITIES, "identities")                                                           \
	_(REPUTATION, "reputation")                                                           \
	_(ACCOUNT, "account")                                                                 \
	_(DNS, "dns")                                                                         \
	_(RULES, "rules")                                                                     \
	_(EVENTS, "events")

enum req_scope {
#define REQ_SCOPE_ENUM(id, name) REQ_SCOPE_##id,
	REQ_SCOPES(REQ_SCOPE_ENUM)
#undef REQ_SCOPE_ENUM
	REQ_SCOPE_COUNT
};

/* id, name, default keys, scope, description */
#define REQ_INFO(_)                                                                           \
	_(HELP, "help", "? <F1>", GLOBAL, "show this help (keys, requests, verbs)")          \
	_(PROMPT, "prompt", ":", GLOBAL, "command prompt: any sesctl verb, Tab completes")   \
	_(FILTER, "filter", "/", GLOBAL, "filter rows by substring; a leading ! inverts")    \
	_(BACK, "back", "<Esc>", GLOBAL, "back: close the detail, clear the filter")         \
	_(NEXT_PANE, "next-pane", "<Tab>", GLOBAL, "next pane")                               \
	_(PREV_PANE, "prev-pane", "<S-Tab>", GLOBAL, "previous pane")                         \
	_(PANE_1, "pane-1", "1", GLOBAL, "go to pane 1")                                      \
	_(PANE_2, "pane-2", "2", GLOBAL, "go to pane 2")                                      \
	_(PANE_3, "pane-3", "3", GLOBAL, "go to pane 3")                                      \
	_(PANE_4, "pane-4", "4", GLOBAL, "go to pane 4")                                      \
	_(PANE_5, "pane-5", "5", GLOBAL, "go to pane 5")                                      \
	_(PANE_6, "pane-6", "6", GLOBAL, "go to pane 6")                                      \
	_(PANE_7, "pane-7", "7", GLOBAL, "go to pane 7")                                      \
	_(PANE_8, "pane-8", "8", GLOBAL, "go to pane 8")                                      \
	_(PANE_9, "pane-9", "9", GLOBAL, "go to pane 9")                                      \
	_(PANE_10, "pane-10", "0", GLOBAL, "go to pane 10")                                   \
	_(REFRESH, "refresh", "r", GLOBAL, "refresh from SES (sesctl sync), then reload")     \
	_(REDRAW, "redraw", "<C-l>", GLOBAL, "redraw the screen")                             \
	_(DISMISS, "dismiss", "<C-g>", GLOBAL, "dismiss the message on the status line")      \
	_(QUIT, "quit", "q <C-c>", GLOBAL, "quit")                                            \
	_(FLEET, "fleet", "F", GLOBAL, "back to the Fleet pane (a fleet configured; else in Rules: the IP filters)") \
	_(MOVE_UP, "move-up", "k <Up>", TABLE, "select the previous row")                     \
	_(MOVE_DOWN, "move-down", "j <Down>", TABLE, "select the next row")                   \
	_(MOVE_PAGE_UP, "move-page-up", "<PgUp> <C-b>", TABLE, "one page up")                 \
	_(MOVE_PAGE_DOWN, "move-page-down", "<PgDn> <C-f> <Space>", TABLE, "one page down")  \
	_(MOVE_FIRST, "move-first", "g <Home>", TABLE, "first row")                           \
	_(MOVE_LAST, "move-last", "G <End>", TABLE, "last row")                               \
	_(ENTER, "enter", "<Enter>", TABLE, "open the detail of the selected row")           \
	_(SORT, "sort", "s", TABLE, "sort by the next column")                                \
	_(SORT_REVERSE, "sort-reverse", "S", TABLE, "reverse the sort order")                 \
	_(YANK, "yank", "y", TABLE, "copy the selected name or value to the clipboard")      \
	_(IDENTITY_CREATE, "identity-create", "c", IDENTITIES,                                \
	  "create an identity (prompt: identity create NAME)")                                \
	_(IDENTITY_DELETE, "identity-delete", "D", IDENTITIES,                                \
	  "delete the selected identity (type its name to confirm)")                         \
	_(LEFT, "left", "h <Left>", TABLE, "graph cursor back in time; previous section")      \
	_(RIGHT, "right", "l <Right>", TABLE, "graph cursor forward in time; next section")     \
	_(RANGE, "range", "t", REPUTATION, "time range: 24 h, 7 d, 14 d, all cached history")  \
	_(PAUSE, "pause", "P", ACCOUNT, "pause sending: the account, the selected configuration set (Streams) or tenant (Tenants); resume when paused") \
	_(REASON_FILTER, "reason-filter", "f", ACCOUNT, "suppression list: all, bounces, complaints") \
	_(DNS_CHECK, "dns-check", "C", DNS,                                                   \
	  "check every record live (the --dns-server or the system resolver)")                \
	_(DNS_ALL, "dns-all", "A", DNS,                                                       \
	  "every domain, or the one selected in Identities")                                  \
	_(YANK_RECORD, "yank-record", "Y", DNS,                                               \
	  "copy the selected record as a zone line")                                          \
	_(YANK_NAME, "yank-name", "N", DNS,                                                   \
	  "copy the selected record's name")                                                  \
	_(YANK_ZONE, "yank-zone", "Z", DNS,                                                   \
	  "copy every record shown as a zone fragment")                                       \
	_(EXPORT, "export", "E", DNS,                                                         \
	  "save the records to a file: table zone csv json route53")                          \
	_(RULE_SET_ACTIVATE, "rule-set-activate", "a", RULES,                                 \
	  "make the selected rule set the active one (confirm)")                              \
	_(RULE_MOVE_UP, "rule-move-up", "K", RULES,                                           \
	  "move the selected rule up one place (confirm)")                                    \
	_(RULE_MOVE_DOWN, "rule-move-down", "J", RULES,                                       \
	  "move the selected rule down one place (confirm)")                                  \
	_(RULE_TOGGLE, "rule-toggle", "e", RULES,                                             \
	  "enable or disable the selected rule")                                              \
	_(RULE_TRACE, "rule-trace", "T", RULES,                                               \
	  "trace an address: which rules apply, where it stops")                              \
	_(RULE_FILTERS, "rule-filters", "I", RULES,                                           \
	  "receipt IP filters (c creates, D deletes; F too without a fleet)")                 \
	_(RULE_MAIL_MANAGER, "rule-mail-manager", "M", RULES,                                 \
	  "Mail Manager resources (read-only)")                                               \
	_(FOLLOW, "follow", "w", EVENTS,                                                      \
	  "follow: read the taps every few seconds, new events appear as they come")          \
	_(EVENT_TYPE, "event-type", "v", EVENTS,                                              \
	  "show all events, bounces, complaints, deliveries")

enum req {
	REQ_NONE = 0,
#define REQ_ENUM(id, name, keys, scope, desc) REQ_##id,
	REQ_INFO(REQ_ENUM)
#undef REQ_ENUM
	REQ_COUNT
};

struct req_info {
	enum req req;
	const char *name;
	const char *keys;         /* default key names, space-separated */
	enum req_scope scope;
	const char *desc;
};

/* REQ_COUNT - 1 rows, in REQ_INFO order (index req - 1). */
extern const struct req_info req_info_table[];

const struct req_info *req_info(enum req req); /* NULL for REQ_NONE or out of range */
enum req req_from_name(const char *name);      /* REQ_NONE when unknown */
const char *req_scope_name(enum req_scope s);

#define KEYC_FN_BASE 0x110000
#define KEYC_FN(k)   (KEYC_FN_BASE + (k))
#define KEYC_IS_FN(c) ((c) >= KEYC_FN_BASE)

/* A key name as above → key code; -1 when not a key. */
int key_from_name(const char *name);
/* Canonical name of a key code ("j", "<C-r>", "<PgDn>", "<Enter>"). */
void key_to_name(int key, char *out, size_t outlen);

#define KEYMAP_MAX 128

struct keymap {
	struct {
		int key;
		enum req req;
	} bind[KEYMAP_MAX];
	size_t n;
};

/* The defaults from REQ_INFO. */
void keymap_init_default(struct keymap *km);
/* Bind key to req, replacing the key's old binding. false when the map is full. */
bool keymap_bind(struct keymap *km, int key, enum req req);
/* Apply "key = request" overrides (the [keys] section). A bad key or request name is
 * skipped; the first problem is described in problem (may be NULL) as one sentence.
 * Returns the number of overrides applied. */
size_t keymap_apply(struct keymap *km, const char *const *keys, const char *const *reqs,
		    size_t n, char *problem, size_t problem_len);
enum req keymap_lookup(const struct keymap *km, int key);
/* The keys bound to req, as names joined by ", " ("" when none). */
void keymap_keys_of(const struct keymap *km, enum req req, char *out, size_t outlen);

/* For REQ_PANE_1..REQ_PANE_9 the pane's index (0..8); -1 for any other request. */
int req_pane_index(enum req req);

/* The key reference (default keymap) for the man page and README: one line per request,
 * grouped by scope; the pane digits only for the n_panes panes that exist. */
void tui_print_keys(FILE *f, int n_panes);

#endif

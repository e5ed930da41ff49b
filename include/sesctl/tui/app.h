#ifndef SESCTL_TUI_APP_H
#define SESCTL_TUI_APP_H

/*
 * The console: main loop, header, tab bar, status line, the `:` command prompt, and the
 * script facility used by the tests (tig's TIG_SCRIPT).
 *
 * tui_main(core) is what main.c calls when no verb is given. The core is borrowed (the
 * caller made it with core_init() and frees it after). No network before the first frame:
 * the panes draw what the cache holds, with its age in the header.
 *
 * Environment:
 *   SESCTL_NO_DISPLAY=1   curses on /dev/null (size from LINES/COLUMNS): no tty needed
 *   SESCTL_TEST_SCRIPT=F  read input from F instead of the keyboard, one step a line:
 *                           key <name>        one key (keys.h names: j, <Enter>, <C-c>)
 *                           keys <text>       each character of text as a key
 *                           :<command>        run a prompt command (as if typed after `:`)
 *                           resize COLS ROWS  resize the screen (headless) and redraw
 *                           # comment, blank lines ignored
 *                         the console exits when the script ends
 *   SESCTL_ASCII=1        ASCII borders and glyphs (also under a non-UTF-8 locale)
 *
 * Prompt commands besides verbs: `save-display FILE` (the screen as plain text), `quit`,
 * a pane name (`identities`, `help`). Verbs may use %(name) variables (tui_command).
 *
 * Main loop: draw, then tui->wait() ("wait for input or timeout", the hook through which
 * the refresh engine will multiplex its own fds), read a key, map it to a request, offer
 * it to the focused pane, then handle it globally.
 */

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "sesctl/core/core.h"
#include "sesctl/core/verbs.h"
#include "sesctl/ses/model.h"
#include "sesctl/store/audit.h"
#include "sesctl/tui/keys.h"
#include "sesctl/tui/pane.h"
#include "sesctl/tui/ui.h"
#include "sesctl/tui/widgets.h"

/* Pseudo keys from tui_getkey(). */
#define TKEY_NONE   (-1)           /* timeout: nothing to read */
#define TKEY_EOF    (-2)           /* the script ended (or stdin closed) */
#define TKEY_REDRAW (-3)           /* a script command ran: redraw, then read again */
#define TKEY_RESIZE KEYC_FN(KEY_RESIZE)
#define TKEY_MOUSE  KEYC_FN(KEY_MOUSE)

struct tui;

#define TUI_VARS_MAX 8

/* Wait up to timeout_ms (-1: forever) for input on stdin. Returns 1 when input is ready,
 * 0 on timeout, -1 on error (EINTR counts as ready so KEY_RESIZE is read). */
typedef int (*tui_wait_fn)(struct tui *tui, int timeout_ms);

struct bgsync;
struct pollfd;

/* A pane's background job (the DNS check): its sockets are polled beside stdin by the wait
 * hook, so the console keeps answering keys. step() handles what poll reported and returns
 * false when the job is over (then the frame forgets it). */
struct tui_job {
	size_t (*fds)(void *ud, struct pollfd *fds, size_t max);
	int (*timeout_ms)(void *ud);        /* -1: none */
	bool (*step)(void *ud, struct tui *tui, const struct pollfd *fds, size_t n);
	void *ud;
};

struct tui {
	struct core *core;        /* borrowed */
	struct cache *cache;      /* core's; NULL when it could not be opened */
	struct ui ui;
	struct keymap keymap;
	struct pane panes[PANE_COUNT];
	int cur;                  /* focused pane */
	int prev;                 /* where `back` from the help pane returns */
	bool quit;
	bool confirm_cancelled;   /* the last confirmation dialog was cancelled */
	bool refreshing;          /* a refresh (sesctl sync) is running: the header says so */
	struct bgsync *bg;        /* the background refresh (tui/refresh.h), or NULL */
	struct tui_job *job;      /* a pane's background job, or NULL */
	time_t refresh_started;
	time_t last_refresh;      /* when the last refresh ended (or the console started) */
	char refresh_what[64];    /* "identities 120/2000": the refresh's progress */
	tui_wait_fn wait;         /* default: poll(2) on stdin */
	void *wait_ud;            /* for whoever replaces wait */
	int timeout_ms;           /* passed to wait() (-1 forever); the loop redraws on timeout */

	/* %(name) values for `:` commands, set by the focused pane's select op */
	struct {
		char name[32];
		char *value;
	} vars[TUI_VARS_MAX];
	int n_vars;

	struct prompt_history history;        /* `:` lines */
	struct prompt_history filter_history; /* `/` lines */

	/* SESCTL_TEST_SCRIPT */
	FILE *script;
	char *script_path;
	char *profile_name;       /* owned: the profile chosen with :profile (core->opt borrows it) */
	int script_lineno;
	int pending[256];         /* keys queued from a `keys` line */
	int n_pending, pending_at;

	/* what the header shows (reloaded with the panes) */
	char *account_id;         /* core's, else the cache's last account for the region */
	bool have_account;
	struct ses_account account;
	bool paused_known;
	struct audit_entry pause;
	time_t now;               /* time of the last reload */
	time_t fetched[CACHE_KIND_COUNT]; /* last full fetch per kind (0: never) */
	bool fetch_failed[CACHE_KIND_COUNT];

	/* layout of the last frame (mouse) */
	int tab_y, body_y, body_h;
	int tab_x[PANE_COUNT + 1];
};

/* Run the console until quit. Returns the process exit code. */
int tui_main(struct core *core);

/* Next key (or TKEY_*), from the script or the terminal. Blocks until one is there unless
 * timeout_ms >= 0. Used by the main loop, the prompt and dialogs. */
int tui_getkey(struct tui *tui, int timeout_ms);

/* Redraw everything (the main frame; dialogs and prompts draw on top of it). */
void tui_draw(struct tui *tui);

/* Run a command line as typed after `:` (a prompt command or a verb). %(name) is replaced
 * by the variable the focused pane set for its selected row (tig's %(commit)), quoted as
 * one word: `:identity show %(identity)`. An unset variable refuses the command. */
void tui_command(struct tui *tui, const char *line);

/* Set (value NULL: unset) a %(name) variable; a pane's select op calls this. */
void tui_set_var(struct tui *tui, const char *name, const char *value);
/* Its value, or NULL. */
const char *tui_var(const struct tui *tui, const char *name);

/* Run a verb given as words (argv after "sesctl"), with the dialog confirm hook, report
 * the result on the status line and reload the panes. A verb that this build does not
 * have yet gives "not available yet: sesctl <words>". Returns its status. */
enum sc_status tui_run_verb(struct tui *tui, int argc, char **argv);

/* Open the `:` prompt with initial text (may be NULL) and run what is entered. */
void tui_prompt_command(struct tui *tui, const char *initial);

/* Reload every loaded pane and the header data from the cache. */
void tui_reload(struct tui *tui);

/* Switch focus to pane i (loading it on first show). */
void tui_focus(struct tui *tui, int i);

/* Region the console shows ("" when none is configured). */
const char *tui_region(const struct tui *tui);

#endif

#ifndef SESCTL_TUI_TUI_H
#define SESCTL_TUI_TUI_H

/*
 * The console's state (struct tui) and the frame's four services, shared by every module
 * of src/tui: the loop (app.c) makes it, the prompt, dialogs, panes and the background
 * refresh work on it.
 *
 * The services — read a key, draw the frame, reload from the cache, focus a pane — are
 * the loop's (app.c), which sits above all of those modules. They reach them through
 * hooks that tui_main() sets (tui->frame), so includes keep pointing down: nothing below
 * the loop includes app.h. tui_getkey(), tui_draw(), tui_reload() and tui_focus() are the
 * calls; the hooks are not called directly.
 *
 * No .c owns this header: it holds types and the inline calls through the hooks only.
 */

#include <stdbool.h>
#include <stdio.h>
#include <time.h>

#include "sesctl/core/core.h"
#include "sesctl/core/history.h"
#include "sesctl/core/verbs.h"
#include "sesctl/ses/model.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/db.h"
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

/* The frame's services, implemented by the loop (app.c). */
struct tui_frame {
	int (*getkey)(struct tui *tui, int timeout_ms);
	void (*draw)(struct tui *tui);
	void (*reload)(struct tui *tui);
	void (*focus)(struct tui *tui, int i);
};

/* The last read verb run from `:`, for the Output pane (owned by the tui). */
struct tui_output {
	char cmd[512];            /* "sesctl suppression list --since 1d" */
	struct cJSON *json;       /* the verb's result, or NULL */
	char *text;               /* its pre-rendered text when it has no JSON, or NULL */
	char **columns;           /* the verb's columns (NULL-terminated), or NULL */
	char *array_key;          /* where the rows are when json is an object, or NULL */
};

struct tui {
	struct core *core;        /* borrowed */
	struct cache *cache;      /* core's; NULL when it could not be opened */
	struct audit_trail *audit; /* core's; NULL when it could not be opened */
	struct ui ui;
	struct keymap keymap;
	struct pane panes[PANE_COUNT];
	int cur;                  /* focused pane */
	int prev;                 /* where `back` from the help pane returns */
	bool quit;
	bool refreshing;          /* a refresh (sesctl sync) is running: the header says so */
	struct bgsync *bg;        /* the background refresh (tui/refresh.h), or NULL */
	struct bgverb *change;    /* a change running in a child (tui/refresh.h), or NULL */
	struct tui_output output; /* what the Output pane shows */
	char change_cmd[512];     /* its command, as the status line shows it */
	time_t change_started;
	struct tui_job *job;      /* a pane's background job, or NULL */
	struct {                  /* follow mode (tui/refresh.h tui_follow) */
		struct bgsync *bg;    /* the running `sesctl sync --kind K`, or NULL */
		unsigned kinds;       /* 0: off */
		int pane;             /* reloaded after each run */
		time_t next;          /* when the next run starts */
		time_t last;          /* when the last run ended */
		bool failed;          /* the last run failed (message on the status line) */
	} follow;
	time_t refresh_started;
	time_t last_refresh;      /* when the last refresh ended (or the console started) */
	char refresh_what[64];    /* "identities 120/2000": the refresh's progress */
	const struct tui_frame *frame; /* the loop's services (app.c); see above */
	tui_wait_fn wait;         /* default: poll(2) on stdin */
	void *wait_ud;            /* for whoever replaces wait */
	int timeout_ms;           /* passed to wait() (-1 forever); the loop redraws on timeout */

	/* %(name) values for `:` commands, set by the focused pane's select op */
	struct {
		char name[32];
		char *value;
	} vars[TUI_VARS_MAX];
	int n_vars;
	unsigned vars_gen;        /* bumped when a value changes (PANE_FOLLOWS panes reload) */

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
	struct history_row pause; /* who paused, from CloudTrail and the local trail */
	bool have_events;         /* a tap, or events, are cached: the Events tab is shown */
	size_t tenants;           /* tenants cached: the Tenants tab is shown */
	size_t dmarc_reports;     /* DMARC reports cached: the DMARC tab is shown */
	size_t tenants_paused;    /* of them paused (the header counts them) */
	size_t tenants_aws_paused; /* of those, paused by AWS */
	char tenants_line[512];   /* the paused ones, AWS's first: "umbrella (by AWS), hooli" */
	bool fleet_on;            /* a fleet is configured (or --fleet): the Fleet pane leads */
	char *fleet_name;         /* which ("" for [fleet]); owned */
	size_t fleet_cells, fleet_trouble; /* the Fleet pane's last load (the header counts) */
	time_t fleet_oldest;      /* its oldest cell's data (0: a cell never read) */
	time_t now;               /* time of the last reload */
	time_t fetched[CACHE_KIND_COUNT]; /* last full fetch per kind (0: never) */
	bool fetch_failed[CACHE_KIND_COUNT];

	/* layout of the last frame (mouse) */
	int tab_y, body_y, body_h;
	int tab_x[PANE_COUNT + 1];
};

/* Next key (or TKEY_*), from the script or the terminal. Blocks until one is there unless
 * timeout_ms >= 0. Used by the main loop, the prompt and dialogs. */
static inline int tui_getkey(struct tui *tui, int timeout_ms)
{
	return tui->frame->getkey(tui, timeout_ms);
}

/* Redraw everything (the main frame; dialogs and prompts draw on top of it). */
static inline void tui_draw(struct tui *tui)
{
	tui->frame->draw(tui);
}

/* Reload every loaded pane and the header data from the cache. */
static inline void tui_reload(struct tui *tui)
{
	tui->frame->reload(tui);
}

/* Switch focus to pane i (loading it on first show). */
static inline void tui_focus(struct tui *tui, int i)
{
	tui->frame->focus(tui, i);
}

/* Whether pane i has a tab now (a PANE_ON_DEMAND pane: once it has something to show —
 * Output: a verb's answer; Events: a tap or events in the cache; Tenants: tenants in the
 * cache; DMARC: reports in the cache; Fleet: a fleet configured — or when focused). */
static inline bool tui_pane_shown(const struct tui *tui, int i)
{
	if (!(pane_registry[i]->flags & PANE_ON_DEMAND) || i == tui->cur)
		return true;
	if (i == PANE_TENANTS)
		return tui->tenants > 0;
	if (i == PANE_DMARC)
		return tui->dmarc_reports > 0;
	if (i == PANE_FLEET)
		return tui->fleet_on;
	return i == PANE_EVENTS ? tui->have_events : tui->output.cmd[0] != '\0';
}

/* Region the console shows ("" when none is configured). */
static inline const char *tui_region(const struct tui *tui)
{
	return tui->core->region ? tui->core->region : "";
}

#endif

#ifndef SESCTL_TUI_REFRESH_H
#define SESCTL_TUI_REFRESH_H

/*
 * Background refresh for the console: `sesctl sync` runs as a child (core/bgsync.h) while
 * the console keeps answering keys. tui_refresh_wait() is the console's wait hook: it polls
 * stdin and the child's progress pipe together, updates the header's "refreshing" state,
 * reloads the panes when the child is done and says how it went on the status line.
 *
 * On a terminal the console refreshes on its own at start when the cached data is older
 * than the profile's refresh interval, and again each interval; `refresh = 0` in the
 * config turns both off (r still refreshes). A
 * script (SESCTL_TEST_SCRIPT) drives the console explicitly: there `r` waits for the
 * refresh to finish before the next script line, so screen dumps are deterministic.
 */

#include <stdbool.h>

struct tui;

/* Start a refresh unless one runs; quiet: no toast when it starts. */
void tui_refresh_start(struct tui *tui, bool quiet);
/* The wait hook (see tui.h tui_wait_fn). */
int tui_refresh_wait(struct tui *tui, int timeout_ms);
/* Called once after the first frame: refresh now if the cache is stale. */
void tui_refresh_auto(struct tui *tui);
/* Stop a running refresh (at exit). */
void tui_refresh_stop(struct tui *tui);

/* Follow mode: while on, `sesctl sync --kind ...` (a 1u << SYNC_x mask) runs as a child
 * again and again, TUI_FOLLOW_PAUSE_S apart, and pane is reloaded after each run (quietly:
 * no toast unless a run fails). The keys never wait on it. It waits while a full refresh
 * runs. kinds 0 turns it off (and stops a run in flight). */
#define TUI_FOLLOW_PAUSE_S 2
void tui_follow(struct tui *tui, int pane, unsigned kinds);

/* A change (a mutating verb the console has confirmed) runs as a child the same way
 * (core/bgsync.h bgverb): the keys stay live, the status line shows it running with its
 * time, Ctrl-C cancels it (tui_change_cancel), and when it ends its result is on the status
 * line and the panes reload. One at a time. In a script the next line waits for it. */
enum sc_status tui_change_start(struct tui *tui, int argc, char **words, const char *cmd);
bool tui_change_running(const struct tui *tui);
void tui_change_cancel(struct tui *tui);
/* At exit: a change still running gets SIGINT and a moment to end and audit. */
void tui_change_stop(struct tui *tui);

#endif

#ifndef SESCTL_CORE_BGSYNC_H
#define SESCTL_CORE_BGSYNC_H

/*
 * A refresh that never blocks the console: `sesctl sync` runs as a child process (the same
 * binary, re-executed with the same global flags), writes into the shared cache (sqlite
 * WAL: readers are not blocked), and reports progress on a pipe. The console polls
 * bgsync_fd() beside stdin, calls bgsync_read() when it is readable, and reloads its panes
 * when the run is over. A child that crashes or is killed leaves the cache consistent
 * (each kind is one transaction) and is reported as a failed refresh.
 *
 * Progress lines on the pipe: "kind <name> <done> <total> <STATUS>\n"; the child's exit
 * code is the sync's (0 ok, 9 partial, ...).
 */

#include <stdbool.h>
#include <sys/types.h>

#include "sesctl/core/core.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

struct bgsync;

struct bgsync_state {
	char kind[32];            /* the kind last reported */
	unsigned long done, total;
	bool finished;
	int exit_code;            /* when finished: 0 ok, 9 partial, ... */
	char message[256];        /* when finished and not ok: a sentence for the status line */
};

/* Start `sesctl sync [--kind K]...` for core's profile, regions, endpoint, cache, config
 * and --fleet (a fleet's refresh). kinds: a SYNC_ALL-style mask (0: all). */
enum sc_status bgsync_start(const struct core *core, unsigned kinds, struct bgsync **out,
			    struct sc_error *err);
/* One profile of a fleet sync (core/fleet.h): `sesctl --profile P --region R... sync
 * --summary-first [--no-details] [--kind K]... EXTRA...` with core's endpoint, cache and
 * config (not its profile, regions or --fleet); extra: more sync options (--force,
 * --concurrency N), NULL-terminated, may be NULL. Its state's message is the child's error
 * sentence. */
enum sc_status bgsync_start_cell(const struct core *core, const char *profile,
				 char *const *regions, size_t n_regions, unsigned kinds,
				 bool no_details, const char *const *extra, struct bgsync **out,
				 struct sc_error *err);
/* The pipe to poll for POLLIN (also readable at EOF). */
int bgsync_fd(const struct bgsync *b);
/* Consume what is readable without blocking; updates and returns the state. */
const struct bgsync_state *bgsync_read(struct bgsync *b);
/* Stop the child (SIGTERM, then reap) if it still runs, and free. NULL allowed. */
void bgsync_free(struct bgsync *b);

/*
 * A change started from the console, run the same way so the keys stay live: the console
 * asks (verb_check(): policy, dialogs, refusals audited) and then runs `sesctl <globals>
 * --json --yes [--confirm=ACCOUNT] WORDS...` as a child in its own process group, which
 * writes the started and outcome records itself. bgverb_cancel() sends it SIGINT: its calls
 * in flight are cancelled at once and the outcome is audited (exit 15). The console polls
 * bgverb_fds() and calls bgverb_read() until finished.
 */
#define BGVERB_OUTPUT_MAX (1u << 20) /* of stdout and of stderr each; more is dropped */

struct bgverb;

struct bgverb_state {
	bool finished;
	bool cancelling;  /* bgverb_cancel() was called */
	int exit_code;    /* when finished */
	struct buf out;   /* its stdout (the --json result) */
	struct buf err;   /* its stderr ("sesctl: <sentence>") */
};

enum sc_status bgverb_start(const struct core *core, int argc, char **words,
			    struct bgverb **out, struct sc_error *err);
/* The descriptors still open (0, 1 or 2 of them), to poll for POLLIN. */
size_t bgverb_fds(const struct bgverb *b, int fds[2]);
const struct bgverb_state *bgverb_read(struct bgverb *b);
void bgverb_cancel(struct bgverb *b);
/* A child still running gets SIGINT and 5 s to end (then SIGKILL). NULL allowed. */
void bgverb_free(struct bgverb *b);

#endif

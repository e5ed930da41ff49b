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
#include "sesctl/util/err.h"

struct bgsync;

struct bgsync_state {
	char kind[32];            /* the kind last reported */
	unsigned long done, total;
	bool finished;
	int exit_code;            /* when finished: 0 ok, 9 partial, ... */
	char message[256];        /* when finished and not ok: a sentence for the status line */
};

/* Start `sesctl sync [--kind K]...` for core's profile, regions, endpoint, cache and
 * config. kinds: a SYNC_ALL-style mask (0: all). */
enum sc_status bgsync_start(const struct core *core, unsigned kinds, struct bgsync **out,
			    struct sc_error *err);
/* The pipe to poll for POLLIN (also readable at EOF). */
int bgsync_fd(const struct bgsync *b);
/* Consume what is readable without blocking; updates and returns the state. */
const struct bgsync_state *bgsync_read(struct bgsync *b);
/* Stop the child (SIGTERM, then reap) if it still runs, and free. NULL allowed. */
void bgsync_free(struct bgsync *b);

#endif

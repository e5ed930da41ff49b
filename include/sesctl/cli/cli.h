#ifndef SESCTL_CLI_CLI_H
#define SESCTL_CLI_CLI_H

/*
 * The headless front-end: global flags, verb dispatch through verb_run(), rendering
 * through cli/out.h, errors on stderr as one sentence, exit codes from sc_status.
 */

#include <stdbool.h>
#include <stdio.h>

#include "sesctl/core/core.h"

/* Parse global flags anywhere in argv (they may also follow the verb). Words that are
 * not global flags are gathered in rest[] (a caller-provided array of argc entries).
 * Returns SC_OK or SC_USAGE. Flags a verb declares itself (e.g. `dns --format zone`)
 * are left to the verb. */
enum sc_status cli_parse_globals(int argc, char **argv, struct core_options *opt,
				 const char **regions_buf, char **rest, int *n_rest,
				 struct sc_error *err);

/* Run "sesctl <argv...>" as a CLI command; returns the process exit code. */
int cli_main(int argc, char **argv);

/* Usage text: global flags and the verb table. */
void cli_usage(FILE *f);

#endif

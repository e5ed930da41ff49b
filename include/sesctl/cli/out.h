#ifndef SESCTL_CLI_OUT_H
#define SESCTL_CLI_OUT_H

/*
 * Output sinks for the CLI (ncdu's idea: one result, several renderers).
 *  - JSON: the verb's cJSON document, printed as is (stable field names, UTF-8,
 *    control characters escaped by cJSON).
 *  - text: result->text when the verb pre-rendered it; otherwise an array of objects
 *    becomes an aligned table (columns from result->columns, widths measured in
 *    terminal cells), an object becomes "key: value" lines. Every string is sanitized
 *    (util/text.h) so nothing from the network can drive the terminal.
 *  - CSV: RFC 4180 rows of the same table, formula-safe.
 */

#include <stdio.h>

#include "sesctl/core/core.h"
#include "sesctl/core/verbs.h"
#include "sesctl/util/err.h"

/* A result with a row source (res->rows) is walked as it is written: nothing but one row
 * is held (the text table walks it twice, for the widths). A cache error mid-walk returns
 * its status with err filled (what was written stays written); a refused write ends the
 * walk, and main.c's check of stdout reports it as for any output. */
enum sc_status out_result(FILE *f, const struct core_options *opt, const struct verb_result *res,
			  struct sc_error *err);

/* One row of a verb that streams (events --follow), as it arrives, flushed: a JSON line
 * (--json), a CSV record of the row's values (--csv), else `line`, sanitized. */
void out_row(FILE *f, const struct core_options *opt, const struct cJSON *row, const char *line);

/* "sesctl: <sentence> (Code, request id X)" on f, sanitized. */
void out_error(FILE *f, const struct core_options *opt, const struct sc_error *err);

#endif

#ifndef SESCTL_CORE_VERBS_H
#define SESCTL_CORE_VERBS_H

/*
 * The one table of actions. Every read and every mutation a user can do, from the CLI or
 * the TUI, is a row of VERB_TABLE. The table feeds: the CLI dispatcher and its usage
 * text, `:` completion in the TUI, the man page's verb list (tests check they agree),
 * and verb_run(), which enforces the row's flags in one place:
 *
 *   VF_MUTATES      refused in read-only mode (--read-only, SESCTL_READ_ONLY=1, or
 *                   read_only = true for the profile), audited whether allowed or not;
 *   VF_CONFIRM      needs --yes (or an interactive yes from the front-end's confirm hook);
 *   VF_CONFIRM_TYPED needs the object's name (or the account id) typed back, or --yes
 *                   with --confirm=THAT; the hook says what to type;
 *   VF_NEEDS_FRESH  the verb re-reads the object from the service before changing it;
 *   VF_ONLINE       needs the network and credentials: refused with --offline;
 *   VF_FLEET        understands --fleet (sync, fleet, find); --fleet with any other verb
 *                   is refused before anything runs, a mutation with the sentence that a
 *                   change is always one account and one region.
 * A protected profile (protected = true) additionally needs the account id (or the
 * profile's alias) typed back, or --confirm=ACCOUNT, for every VF_MUTATES verb.
 *
 * A verb's result is a cJSON document (the --json output, verbatim) plus hints for the
 * text and CSV renderers (cli/out.h); the TUI reads the cache instead and uses verbs
 * only to act. Each verb run from the TUI builds the same argv a user would type, so the
 * log pane can show the exact command.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

struct core;
struct cJSON;

enum verb_flag {
	VF_MUTATES = 1 << 0,
	VF_CONFIRM = 1 << 1,
	VF_CONFIRM_TYPED = 1 << 2,
	VF_NEEDS_FRESH = 1 << 3,
	VF_ONLINE = 1 << 4,
	VF_HIDDEN = 1 << 5, /* not listed in usage (aliases) */
	VF_FLEET = 1 << 6,  /* takes --fleet[=NAME]: runs over the fleet's cells; every other
			       verb is refused under --fleet (a change is one account and one
			       region) */
};

/* Parsed arguments of one verb invocation. Options are "--name value" or "--name=value";
 * a flag option has value "". Repeated options keep every value in order. */
struct verb_opt {
	const char *name;
	const char *value;
};

struct verb_args {
	int argc;                 /* positionals after the verb words */
	char **argv;
	struct verb_opt *opts;
	size_t n_opts;
};

/* What a verb hands back. The verb fills json (owned; freed by verb_result_free) and
 * may set the hints. */
/* A verb's rows read one at a time from the cache, so a list of 100,000 identities is
 * never held whole (given only when core_options.stream asks). open() (re)starts the walk
 * at the first row: a front-end that measures column widths walks twice. columns_only:
 * the caller reads only verb_result.columns (and, for a "display_x" column, "x"), so a
 * row may hold just those. next() returns the next row, owned by the caller
 * (cJSON_Delete), or NULL at the end (SC_OK) or on an error (its status, err filled).
 * verb_result_free() calls free(ud). */
struct verb_rows {
	void *ud;
	enum sc_status (*open)(void *ud, bool columns_only, struct sc_error *err);
	struct cJSON *(*next)(void *ud, enum sc_status *st, struct sc_error *err);
	void (*free)(void *ud);
};

struct verb_result {
	struct cJSON *json;
	struct verb_rows *rows;     /* instead of json: an array of objects read on demand */
	const char *const *columns; /* for arrays of objects: keys shown as columns, NULL-term */
	const char *array_key;      /* when json is an object, the member holding the rows */
	struct buf text;            /* pre-rendered human text (zone files, sparklines...) */
	bool text_only;             /* text is the whole human output */
	char request_id[96];        /* AWS request id of the mutation, for the audit */
	char *audit_reason;         /* --reason, for the audit record */
	int audit_action;           /* enum audit_action (store/audit.h): pause, resume */
	char *audit_config_set;     /* pause/resume of one configuration set */
	struct buf warning;         /* printed on stderr (CLI) or as a toast (TUI) */
};

/* The confirm hook: the CLI answers from --yes/--confirm or a tty prompt; the TUI opens a
 * dialog. expect is NULL for yes/no, or the text the user must type. NO_ONE_TO_ASK (no
 * terminal) makes the verb refused (exit 8, "add --yes"); CANCELLED (the person said no,
 * typed something else, or pressed Esc/Ctrl-D) makes it cancelled (exit 15). */
enum verb_confirm {
	VERB_CONFIRM_NO_ONE_TO_ASK = 0,
	VERB_CONFIRM_YES,
	VERB_CONFIRM_CANCELLED,
};
typedef enum verb_confirm (*verb_confirm_fn)(void *ud, const char *question, const char *expect);
/* Whether typed answers a typed confirmation: expect holds the accepted answers separated
 * by '\n' (a protected profile's account id, then its alias). */
bool verb_confirm_matches(const char *expect, const char *typed);

typedef enum sc_status (*verb_fn)(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err);

struct verb {
	const char *name;         /* "identity create" */
	const char *usage;        /* "NAME [--key-length 1024|2048]" */
	unsigned flags;
	int min_args, max_args;   /* positional count bounds (-1: no max) */
	const char *options;      /* accepted, space-separated: "key-length= generate-key" */
	const char *summary;
	verb_fn run;
	/* For VF_CONFIRM_TYPED: which positional is the name to type (-1: the account id). */
	int confirm_arg;
};

/* NULL-terminated table, in help order. */
extern const struct verb verb_table[];

/* Longest match of argv words against verb names ("identity", "create", ...). Returns
 * the verb and sets *consumed to the number of words used, or NULL. */
const struct verb *verb_find(int argc, char *const *argv, int *consumed);

/* Parse the words after the verb name. Options not in verb->options, and global
 * options (handled by the front-end before), are SC_USAGE with a sentence. args points
 * into argv (no copies); free with verb_args_free. */
enum sc_status verb_parse_args(const struct verb *v, int argc, char **argv,
			       struct verb_args *args, struct sc_error *err);
void verb_args_free(struct verb_args *args);
const char *verb_opt(const struct verb_args *args, const char *name); /* last value or NULL */
bool verb_flag(const struct verb_args *args, const char *name);

/* Check the row's flags, confirm, run, audit. cmd_argv is the whole command as typed
 * after "sesctl" (global flags included): it is recorded in the audit trail, redacted.
 * confirm may be NULL (then only --yes / --confirm satisfy confirmations). */
enum sc_status verb_run(struct core *core, const struct verb *v, const struct verb_args *args,
			int cmd_argc, char **cmd_argv, verb_confirm_fn confirm, void *confirm_ud,
			struct verb_result *res, struct sc_error *err);

/* verb_run()'s checks alone, for a front-end that runs the change elsewhere (the console
 * runs it in a child `sesctl ... --yes`, see bgsync.h, so its keys stay live): the flags,
 * read-only, --offline, the protected profile's typed account id and the confirmation.
 * A refusal or a declined confirmation of a mutating verb is audited here, as verb_run()
 * would; on SC_OK nothing is written (the child writes the started and outcome records). */
enum sc_status verb_check(struct core *core, const struct verb *v, const struct verb_args *args,
			  int cmd_argc, char **cmd_argv, verb_confirm_fn confirm, void *confirm_ud,
			  struct sc_error *err);
void verb_result_free(struct verb_result *res);
/* Append a warning sentence (one line each). */
void verb_result_warn(struct verb_result *res, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* Names of all verbs that start with prefix (for completion); returns count written. */
size_t verb_complete(const char *prefix, const char **out, size_t max);

#endif

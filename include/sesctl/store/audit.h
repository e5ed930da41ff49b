#ifndef SESCTL_STORE_AUDIT_H
#define SESCTL_STORE_AUDIT_H

/*
 * The audit trail: one record per mutation attempt (started, then ok, refused, failed or
 * cancelled). It is state, not cache: it lives in its own file,
 * $XDG_STATE_HOME/sesctl/audit.jsonl (~/.local/state when the variable is unset, empty
 * or relative), so deleting, rebuilding or downgrading the cache never takes it away.
 * The verb layer writes it; `sesctl audit`, the Log pane and the SENDING PAUSED banner
 * read it.
 *
 * The file: one JSON object per line, appended with one write(2) under flock(2) and made
 * durable with fsync(2) before audit_record() returns; nothing ever rewrites it. A write
 * that fails half way is cut back off, so a full disk leaves no half line behind. A
 * damaged line (a crash of an older writer, a hand edit) is skipped and counted
 * (audit_damage()), and so is a torn last line: the rest stays readable. The directory is
 * 0700 and the file 0600, both the user's own; a symlink is refused.
 *
 * Each record stores the argv both as a JSON array and as a shell-quoted command line that
 * can be pasted back into a shell. Secrets never reach the file: audit_record() runs the
 * argv through audit_redact_argv() itself (callers may do it earlier too; it is
 * idempotent), and callers must not put secrets in message or reason.
 *
 * Older sesctl versions kept the trail in the cache (table `audit`); audit_cache_rows()
 * reads those rows so the caller can hand them to audit_import() once, when the file does
 * not exist yet.
 *
 * Ownership: struct audit_trail is opaque; audit_close() frees it. Input strings are
 * borrowed. Returned entries and strings are heap-allocated; free them with the *_free
 * functions here or free(). Errors: SC_IO (the file, the directory, the cache), SC_USAGE
 * (missing verb), SC_NOT_FOUND (audit_last_pause: not paused). A struct audit_trail
 * belongs to one thread; other processes may append to the same file at the same time.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/store/db.h"
#include "sesctl/util/err.h"

enum audit_result {
	AUDIT_RESULT_OK,
	AUDIT_RESULT_REFUSED, /* read-only profile, missing confirmation, stale data, ... */
	AUDIT_RESULT_FAILED,  /* the API call or a check failed */
	AUDIT_RESULT_STARTED, /* written before the call: a process killed mid-change still
	                         leaves a trace (the outcome row follows when it finishes) */
	AUDIT_RESULT_CANCELLED, /* the person asked declined the confirmation (exit 15) */
};

/* What the mutation does to sending; drives audit_last_pause(). */
enum audit_action {
	AUDIT_ACTION_OTHER = 0,
	AUDIT_ACTION_PAUSE,
	AUDIT_ACTION_RESUME,
};

struct audit_record {
	time_t time;              /* 0 → now */
	const char *os_user;      /* NULL → the effective user's login name */
	const char *host;         /* NULL → gethostname() */
	const char *profile;
	const char *region;
	const char *account_id;
	int argc;
	const char *const *argv;  /* the full command, argv[0] included */
	const char *verb;         /* "sending pause" (required) */
	enum audit_result result;
	enum sc_status status;    /* stored by name: "OK", "REFUSED", "THROTTLED" ... */
	const char *message;      /* one sentence, may be NULL */
	const char *request_id;   /* AWS request id, may be NULL */
	int64_t duration_ms;
	const char *reason;       /* --reason of pause/resume, may be NULL */
	enum audit_action action;
	const char *config_set;   /* pause/resume of one configuration set; NULL: the account */
};

struct audit_entry {
	int64_t id;               /* the record's line in the file: increases with every record */
	time_t time;
	char *os_user;
	char *host;
	char *profile;
	char *region;
	char *account_id;
	char *argv_json;          /* ["sesctl","sending","pause","--reason","INC-4711 ..."] */
	char *command;            /* sesctl sending pause --reason 'INC-4711 bounce spike' */
	char *verb;
	enum audit_result result;
	char *status;             /* status name */
	char *message;
	char *request_id;
	int64_t duration_ms;
	char *reason;
	enum audit_action action;
	char *config_set;
};

struct audit_trail;

/* The default path ($XDG_STATE_HOME/sesctl/audit.jsonl). Caller frees. */
enum sc_status audit_default_path(char **out, struct sc_error *err);

/* Open the trail at path_or_null (NULL: the default path). Nothing is created until the
 * first record or import; the directory is created (0700) then. */
enum sc_status audit_open(const char *path_or_null, struct audit_trail **out,
			  struct sc_error *err);
void audit_close(struct audit_trail *t); /* NULL allowed */
const char *audit_path(const struct audit_trail *t);
/* Whether the file exists (false also when it cannot be inspected). */
bool audit_exists(const struct audit_trail *t);

/* Append one record and fsync it. On SC_IO nothing of it stays in the file. */
enum sc_status audit_record(struct audit_trail *t, const struct audit_record *r,
			    struct sc_error *err);

/* Append entries (oldest first: the rows of an older cache) as they are, creating the
 * file. When they cannot be written they are still read back by this handle (and the
 * error is returned), so a read-only disk does not hide the history. */
enum sc_status audit_import(struct audit_trail *t, const struct audit_entry *v, size_t n,
			    struct sc_error *err);

/* The audit rows an older sesctl kept in the cache, oldest first (none: *n = 0). */
enum sc_status audit_cache_rows(struct cache *c, struct audit_entry **out, size_t *n,
				struct sc_error *err);

/* Newest first; verb NULL or "" → all verbs; limit 0 → no limit. */
enum sc_status audit_list(struct audit_trail *t, const char *verb, size_t limit,
			  struct audit_entry **out, size_t *n, struct sc_error *err);

/* After a read: how many lines were skipped as damaged (a torn last line included), and
 * the line number of the first one (1-based; 0 when none). */
size_t audit_damage(const struct audit_trail *t, int64_t *first_line);

/* The latest successful pause of sending for account+region (config_set NULL: the account
 * itself; else that configuration set) that no successful resume followed: who, when and
 * why, for the red banner. SC_NOT_FOUND when sending is not paused by the log's account. */
enum sc_status audit_last_pause(struct audit_trail *t, const char *account_id, const char *region,
				const char *config_set, struct audit_entry *out,
				struct sc_error *err);

void audit_entry_free(struct audit_entry *e); /* members only; leaves it zeroed */
void audit_entries_free(struct audit_entry *v, size_t n);

const char *audit_result_name(enum audit_result r); /* "ok" | "refused" | "failed" | "started" */

/* argv as one line a POSIX shell turns back into the same words: plain words stay bare,
 * others are single-quoted ('it'\''s'); an empty word becomes ''. Caller frees. */
char *audit_shell_quote(int argc, const char *const *argv);

/* argv as a JSON array of strings. Caller frees. */
char *audit_argv_json(int argc, const char *const *argv);

/* True for option names whose value is a secret: anything containing "secret",
 * "private-key", "password", "passwd", "token" or "access-key" (case-insensitive),
 * e.g. --secret-access-key, --private-key-file, --smtp-password, --session-token. */
bool audit_flag_is_secret(const char *arg);

/* A copy of argv (argc entries plus a NULL) in which the value of every secret option —
 * "--secret X" or "--secret=X" — reads "<redacted>". Words after "--" are kept as they
 * are. Free with audit_argv_free(). */
char **audit_redact_argv(int argc, const char *const *argv);
void audit_argv_free(char **argv);

#define AUDIT_REDACTED "<redacted>"

#endif

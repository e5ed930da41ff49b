#ifndef SESCTL_UTIL_ERR_H
#define SESCTL_UTIL_ERR_H

/*
 * The one error type of sesctl: an enum sc_status plus a message.
 *
 * Every fallible function in the core returns enum sc_status and, when it fails, fills a
 * caller-owned struct sc_error (which may be NULL when the caller does not care). The
 * message is one sentence meant for an operator; it never contains secrets.
 *
 * SC_STATUS_INFO(_) lists every status once: name, CLI exit code, short description.
 * It feeds the enum, the exit-code table in the man page and `sesctl help exit-codes`.
 */

#include <stdarg.h>
#include <stddef.h>

#define SC_STATUS_INFO(_)                                                                 \
	_(OK,          0,  "success")                                                     \
	_(ERR,         1,  "general error (an AWS service error not listed below)")       \
	_(USAGE,       2,  "bad command line or bad argument")                            \
	_(CONFIG,      3,  "malformed configuration or credentials file")                 \
	_(AUTH,        4,  "no usable credentials, expired credentials, or access denied") \
	_(NOT_FOUND,   5,  "the named object does not exist")                             \
	_(THROTTLED,   6,  "throttled by the service after all retries")                  \
	_(NETWORK,     7,  "endpoint unreachable, timed out, or TLS failure")             \
	_(REFUSED,     8,  "refused: read-only mode or missing confirmation")             \
	_(PARTIAL,     9,  "partly done: some operations failed or are unsupported")      \
	_(BAD_REPLY,   10, "the endpoint sent a malformed or unexpected reply")            \
	_(UNSUPPORTED, 11, "the endpoint does not implement this operation")              \
	_(NOMEM,       12, "out of memory")                                               \
	_(IO,          13, "file or database error; writing the output or the audit trail failed") \
	_(CONFLICT,    14, "conflict: the object already exists or changed meanwhile")     \
	_(CANCELLED,   15, "cancelled: a confirmation was declined, or Ctrl-C")           \
	_(DNS_NOT_OK,  16, "dns --check: a required record is missing, wrong, or could not be checked")

enum sc_status {
#define SC_STATUS_ENUM(name, code, desc) SC_##name,
	SC_STATUS_INFO(SC_STATUS_ENUM)
#undef SC_STATUS_ENUM
	SC_STATUS_COUNT
};

#define SC_ERR_MSG_MAX 512

struct sc_error {
	enum sc_status status;
	long http_status;             /* 0 when no HTTP reply was involved */
	char code[96];                /* AWS error code, e.g. "NotFoundException"; "" if none */
	char request_id[96];          /* AWS request id; "" if none */
	char message[SC_ERR_MSG_MAX]; /* one sentence for the operator */
};

/* Reset to SC_OK with empty strings. NULL is allowed. */
void sc_error_clear(struct sc_error *err);

/* Set status and a printf-style message; returns status so callers can `return sc_fail(...)`.
 * err may be NULL. The message is truncated to fit. */
enum sc_status sc_fail(struct sc_error *err, enum sc_status status, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
enum sc_status sc_vfail(struct sc_error *err, enum sc_status status, const char *fmt, va_list ap);

/* Prefix the existing message with "context: " (e.g. the file name or operation). */
void sc_error_prefix(struct sc_error *err, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* "NOT_FOUND", the process exit code for a status, its one-line description. */
const char *sc_status_name(enum sc_status status);
int sc_status_exit_code(enum sc_status status);
const char *sc_status_desc(enum sc_status status);

/* Format "message (AWS code X, request id Y)" into out; always NUL-terminates. */
void sc_error_format(const struct sc_error *err, char *out, size_t outlen);

#endif

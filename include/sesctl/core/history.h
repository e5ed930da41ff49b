#ifndef SESCTL_CORE_HISTORY_H
#define SESCTL_CORE_HISTORY_H

/*
 * The team's memory: who changed what in the account, when, with which tool and why — read
 * from CloudTrail (every change anyone made, with any tool, from any machine) and merged
 * with the local audit trail (this user's changes, known at once, with the exact command).
 *
 *   read    LookupEvents with ReadOnly = false (CloudTrail takes one lookup attribute:
 *           filtering on the SES event source instead would page through every read
 *           sesctl's own syncs make), keeping the events whose source is SES. It starts
 *           HISTORY_OVERLAP_S before the newest event cached (CloudTrail delivers events
 *           minutes after the call, not in order; rows are keyed by event id, so a second
 *           look adds nothing twice), or HISTORY_WINDOW_S back the first time; pages of 50,
 *           at most 2 calls a second (CloudTrail's limit per account and region), at most
 *           max_pages. A read cut short by max_pages records the window it left unread
 *           (store/history.h, the gap); the next reads fill it, newest first, after
 *           reading what is new. The cache keeps what it read past CloudTrail's 90 days.
 *   merge   A local record and a CloudTrail event are the same change when they share the
 *           request id (or, for a record without one, a sesctl event of the same operation
 *           within HISTORY_MATCH_S): one row, source BOTH. A local change CloudTrail does
 *           not show yet is a LOCAL row ("not yet in CloudTrail").
 *
 * Errors: no cloudtrail:LookupEvents permission → SC_AUTH with one sentence naming it
 * (HISTORY_DENIED_HINT); the rest as the layers below say.
 */

#include <signal.h>
#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/history.h"
#include "sesctl/ses/request.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/history.h"
#include "sesctl/util/err.h"

#define HISTORY_OVERLAP_S (30 * 60)
#define HISTORY_WINDOW_S (90 * 86400)
#define HISTORY_PAGES_MAX 200      /* 10,000 changes a read; about 100 s at CloudTrail's pace */
#define HISTORY_PACE_MS 500
#define HISTORY_MATCH_S 600
#define HISTORY_DENIED_HINT                                                                  \
	"the account's history needs cloudtrail:LookupEvents, which these credentials lack; " \
	"everything else works (the local audit trail still answers)"

struct history_read_opts {
	size_t max_pages;                    /* 0: HISTORY_PAGES_MAX */
	time_t now;                          /* 0: time(NULL) */
	const volatile sig_atomic_t *cancel; /* set: stop before the next page */
};

struct history_read_report {
	size_t pages, seen, added, damaged;
	bool capped;                         /* stopped at max_pages: older events unread */
	time_t from;                         /* where the read started */
};

enum sc_status history_read(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const char *region, const struct history_read_opts *o,
			    struct history_read_report *rep, struct sc_error *err);

enum history_source {
	HISTORY_CLOUDTRAIL,
	HISTORY_LOCAL,     /* the local trail only: not (yet) in CloudTrail */
	HISTORY_BOTH,
};
const char *history_source_name(enum history_source s); /* "cloudtrail" "local" "both" */

/* One row of the merged history. For a LOCAL row, ev is made from the audit record: time,
 * event_name = the verb ("sending pause"), who = the OS user, tool sesctl, reason, op,
 * resource, error_code = the status name of a failure. */
struct history_row {
	struct ct_event ev;
	enum history_source source;
	char *local_user;          /* "jdoe@bastion-1" of the local record; NULL when none */
	char *command;             /* the local record's command; NULL when none */
	time_t ct_read;            /* LOCAL: when CloudTrail was last read in full (0: never),
				      so its silence about the change means something or not */
};
struct history_rows {
	struct history_row *v;
	size_t n, cap;
};
void history_row_clear(struct history_row *r);
void history_rows_free(struct history_rows *rows);

struct history_query {
	time_t since;              /* 0: any time */
	const char *who;           /* substring of the principal, role or OS user; NULL: any */
	int op;                    /* enum ct_op, -1: any */
	const char *resource;      /* exact name (identity, set, "SET/RULE", tenant); NULL: any */
	bool switches_only;        /* pauses and resumes only (the banner's question) */
	size_t limit;              /* 0: 1000 */
};

/* Newest first. t may be NULL (CloudTrail only); the local records of other accounts and
 * regions, and refused or cancelled attempts (they changed nothing), are left out. */
enum sc_status history_merged(struct cache *c, struct audit_trail *t, const char *account_id,
			      const char *region, const struct history_query *q,
			      struct history_rows *out, struct sc_error *err);

/* The pause behind paused sending of the account (config_set NULL) or of one configuration
 * set: the newest pause that no later resume followed, from either source (a pause and a
 * resume in the same second: the pause — ask only while sending is off). SC_NOT_FOUND
 * when neither knows one (AWS itself may have paused it). t may be NULL. */
enum sc_status history_last_pause(struct cache *c, struct audit_trail *t, const char *account_id,
				  const char *region, const char *config_set,
				  struct history_row *out, struct sc_error *err);

/* The same for any resource with a sending switch: the account (name NULL), a
 * configuration set or a tenant (CT_RES_TENANT: its pause, resume or reinstatement). */
enum sc_status history_last_switch(struct cache *c, struct audit_trail *t, const char *account_id,
				   const char *region, enum ct_resource kind, const char *name,
				   struct history_row *out, struct sc_error *err);

/* The newest successful change of one resource in CloudTrail; SC_NOT_FOUND when none. */
enum sc_status history_last_change(struct cache *c, const char *account_id, const char *region,
				   enum ct_resource kind, const char *name, struct ct_event *out,
				   struct sc_error *err);

/* "alice (role OpsRole) with sesctl", "maria@example.com in the AWS console", "jdoe with
 * sesctl (not yet in CloudTrail)" — who and how, in words, into out. A LOCAL row names the OS
 * user; "(not yet in CloudTrail)" when CloudTrail was read after the change and within
 * HISTORY_LAG_S of it, "(not in CloudTrail)" when read later than that, nothing when it was
 * not read since (then its silence says nothing). */
#define HISTORY_LAG_S 3600
/* The two halves, for lines where the reason must come before the how: the name alone
 * ("alice", "maria@example.com", "jdoe") and the how ("with sesctl", "in the AWS console",
 * "with sesctl, not yet in CloudTrail"). */
void history_who_short(const struct history_row *r, char *out, size_t outlen);
void history_how_words(const struct history_row *r, char *out, size_t outlen);
void history_who_words(const struct history_row *r, char *out, size_t outlen);

#endif

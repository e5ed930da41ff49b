#ifndef SESCTL_CORE_FEEDBACK_H
#define SESCTL_CORE_FEEDBACK_H

/*
 * The feedback routing audit: for each identity and each feedback type, where SES sends
 * it and whether anyone reads it. Computed from the cache only (sync's "feedback" kind
 * fills it: store/feedback.h), so `sesctl feedback`, the Identities pane and the Account
 * pane say the same thing.
 *
 * The rules (../doc/architecture.md, "Feedback routing"):
 *   - An address that is not verified on its own inherits the settings of its nearest
 *     verified parent domain identity; a verified address uses its own.
 *   - Paths that deliver feedback to someone: an SNS topic that exists with at least one
 *     confirmed subscription (the identity's topic, or an enabled SNS destination of the
 *     identity's default configuration set receiving the type); an enabled Firehose,
 *     EventBridge or Pinpoint destination (exported; its consumer is not visible). A
 *     CloudWatch destination carries counts, not who bounced: noted, not a path.
 *   - Verdict (bounce and complaint): OK — a live path; UNKNOWN — no live path, but one
 *     that could not be checked (another account's topic, access denied, a topic or set
 *     not read yet); MAILBOX-ONLY — only forwarding to the Return-Path mailbox; NOWHERE —
 *     nothing reads it (topics deleted or without confirmed subscribers, forwarding off,
 *     no destination). Delivery: OK, UNKNOWN or OFF (not published: a choice, not a fault).
 *   - An identity's verdict is the worse of bounce and complaint, in the order NOWHERE,
 *     UNKNOWN, MAILBOX-ONLY, OK.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/feedback.h"
#include "sesctl/ses/model.h"
#include "sesctl/store/feedback.h"
#include "sesctl/util/err.h"

/* id, word (CLI, JSON), glyph for tables, rank (higher is worse) */
#define FB_VERDICTS(_)                                  \
	_(OK, "OK", "✓", 0)                             \
	_(MAILBOX_ONLY, "MAILBOX-ONLY", "mailbox", 1)   \
	_(UNKNOWN, "UNKNOWN", "?", 2)                   \
	_(NOWHERE, "NOWHERE", "✗ nowhere", 3)           \
	_(OFF, "OFF", "-", -1)

enum fb_verdict {
#define FB_VERDICT_ENUM(id, word, glyph, rank) FB_##id,
	FB_VERDICTS(FB_VERDICT_ENUM)
#undef FB_VERDICT_ENUM
	FB_VERDICT_COUNT
};

const char *fb_verdict_word(enum fb_verdict v);
const char *fb_verdict_glyph(enum fb_verdict v);

#define FB_REASON_MAX 600           /* a reason's bytes, its terminator included */

struct fb_route {
	enum fb_verdict verdict;
	char *reason;  /* owned; sentences, "; "-joined: every path and why it counts.
			  NULL in a verdicts-only audit */
};

struct fb_identity {
	const struct ses_identity *id;    /* borrowed from the audit's identities */
	const char *settings_from;        /* the identity whose settings apply (itself, or
					     the parent domain it inherits from) */
	const struct ses_notif_attrs *attrs; /* those settings; NULL when not read */
	struct fb_route route[SES_NOTIF_COUNT];
	enum fb_verdict verdict;          /* worse of bounce and complaint */
	char *mailbox;                    /* owned; where forwarded feedback goes, NULL when
					     off or in a verdicts-only audit */
};

struct fb_audit {
	struct ses_identity *ids;         /* owned (cache copies) */
	size_t n_ids;
	struct ses_notif_attrs *attrs;    /* owned */
	size_t n_attrs;
	struct cache_topic *topics;       /* owned */
	size_t n_topics;
	struct ses_config_set *sets;      /* owned */
	size_t n_sets;
	struct fb_identity *v;            /* one per identity, in the identities' order */
	size_t n;
	size_t counts[FB_VERDICT_COUNT];  /* identities per verdict */
	time_t fetched;                   /* when the feedback kind was read; 0: never */
	bool worded;                      /* v[] carries reasons and mailboxes */
	size_t n_head;                    /* ids[0..n_head) are the identities asked for; a
					     first screen appends the parent domains they
					     inherit settings from */
	bool partial;                     /* a first screen: more identities follow */
	char account_id[16];
};

/* Load everything from the cache and compute. An account never audited is SC_OK with
 * fetched 0 (every verdict UNKNOWN: "not read yet"). Free with feedback_audit_free(). */
enum sc_status feedback_load(struct cache *c, const char *account_id, const char *region,
			     struct fb_audit *out, struct sc_error *err);
/* The same with verdicts only: no reasons, and the identities read without what the
 * audit does not need (DKIM tokens, policies, tags, verification details): what a list
 * of every identity needs. feedback_explain() words one identity on demand. limit > 0:
 * only the first limit identities by name (a first screen; partial says whether more
 * exist), with what their verdicts need and nothing more. counts[] cover ids[]. */
enum sc_status feedback_load_verdicts(struct cache *c, const char *account_id, const char *region,
				      size_t limit, struct fb_audit *out, struct sc_error *err);
/* Identity i (an index into a->ids) worded into out, as a worded audit would have it;
 * out's reasons and mailbox are owned by the caller: feedback_identity_clear(). */
void feedback_explain(const struct fb_audit *a, size_t i, struct fb_identity *out);
void feedback_identity_clear(struct fb_identity *f);
/* Compute the verdicts for what out already holds (ids, attrs, topics, sets, account_id):
 * the pure part, exposed for tests; worded as out->worded says. */
void feedback_compute(struct fb_audit *out);
void feedback_audit_free(struct fb_audit *a);
const struct fb_identity *feedback_find(const struct fb_audit *a, const char *identity);

/* The identity whose notification settings apply to name: itself when it is a domain or
 * a verified address (or when no parent domain identity is verified), else the nearest
 * verified parent domain among ids. Borrowed from ids. */
const struct ses_identity *feedback_settings_owner(const struct ses_identity *ids, size_t n,
						   const struct ses_identity *id);

/* The topic ARNs the audit needs checked: every topic in attrs and every enabled SNS
 * destination of sets, deduplicated, in first-seen order. Heap array of borrowed
 * strings (free the array only). */
const char **feedback_topics_needed(const struct ses_notif_attrs *attrs, size_t n_attrs,
				    const struct ses_config_set *sets, size_t n_sets,
				    size_t *n);

#endif

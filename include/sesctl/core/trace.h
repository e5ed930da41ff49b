#ifndef SESCTL_CORE_TRACE_H
#define SESCTL_CORE_TRACE_H

/*
 * "Where does mail to this address go?" — evaluate a receipt rule set for one recipient
 * the way SES does: rules in order; a rule applies when it is enabled and its recipient
 * list is empty (every verified domain), names the address, names its domain, or names a
 * parent domain with a leading dot (".example.com" matches a.example.com); the actions of
 * each applying rule run in order; a Stop action ends processing of the set. Pure: the
 * TUI's rules pane and `sesctl receipt trace` share it.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/util/buf.h"

struct trace_step {
	const struct ses_rule *rule; /* borrowed from the set */
	size_t position;             /* 1-based */
	bool applies;
	const char *why;             /* static text: "recipient help.shop.example", "disabled" */
	char matched[256];           /* the recipient entry that matched, if any */
	bool stops;                  /* a Stop action in this rule ends processing */
};

struct trace_result {
	struct trace_step *steps;    /* one per rule, in order, up to and incl. the stop */
	size_t n;
	bool stopped;                /* processing ended at a Stop action */
	size_t applied;              /* rules whose actions ran */
};

/* Evaluate set for address (case-insensitive). Free with trace_free. */
void trace_rule_set(const struct ses_rule_set *set, const char *address, struct trace_result *out);
void trace_free(struct trace_result *r);

/* One line describing an action: "S3 bucket inbound-mail/raw/ (KMS)", "Bounce 550 5.1.1
 * \"nope\"", "Stop". Appends to out. */
void trace_action_summary(struct buf *out, const struct ses_action *a);

#endif

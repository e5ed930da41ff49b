#ifndef SESCTL_SES_SESV1_H
#define SESCTL_SES_SESV1_H

/*
 * SES v1 (Query API, Version 2010-12-01, XML replies): receipt rule sets, rules and IP
 * filters, sending statistics and quota, the account-wide sending switch, legacy
 * verification tokens, declared in the family headers (ses/receipt_rules.h, ses/account.h,
 * ses/identities.h). Same three layers as ses/sesv2.h: sesv1_build_* (pure, SC_USAGE
 * for bad input), sesv1_parse_* (pure, SC_BAD_REPLY), sesv1_<op> (build → call → parse).
 *
 * Requests are form bodies serialised as botocore does (struct members dotted, lists as
 * Name.member.N from 1, every action as Rule.Actions.member.N.<Kind>Action.<Field>, an
 * empty action list as "Rule.Actions=", booleans true/false), in the model's member order.
 * Rule and rule-set names are checked: ASCII letters, digits, '_' and '-', starting and
 * ending with a letter or digit, under 64 characters.
 *
 * Every parser requires the root <{Op}Response> (and refuses a DOCTYPE, see ses/xmlr.h).
 * Ownership as in sesv2.h: out structs are caller-owned and freed with model.h *_free;
 * appending parsers grow (v, n) with realloc.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* For operations with no output: the root must be <{op}Response>. */
enum sc_status sesv1_parse_empty(const char *op, const char *body, size_t len,
				 struct sc_error *err);

#endif

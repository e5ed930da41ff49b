#ifndef SESCTL_SES_SESV1_H
#define SESCTL_SES_SESV1_H

/*
 * SES v1 (Query API, Version 2010-12-01, XML replies): receipt rule sets, rules and IP
 * filters, sending statistics and quota, the account-wide sending switch, legacy
 * verification tokens. Same three layers as ses/sesv2.h: sesv1_build_* (pure, SC_USAGE
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

/* Legacy verification (GetIdentityVerificationAttributes). */
struct sesv1_verification {
	char *identity;
	char *status;     /* Pending | Success | Failed | TemporaryFailure | NotStarted (raw) */
	char *token;      /* the _amazonses TXT value; NULL when absent */
};
void sesv1_verifications_free(struct sesv1_verification *v, size_t n);
void sesv1_receipt_filters_free(struct ses_receipt_filter *v, size_t n);

/* Set one action field by its wire names ("S3Action", "BucketName") to a copy of value
 * (NULL clears it). The first call on a zeroed action sets its kind; a field of another
 * kind, or an unknown element or field, is SC_USAGE. For rule editors and CLI flags. */
enum sc_status sesv1_action_set(struct ses_action *a, const char *element, const char *field,
				const char *value, struct sc_error *err);
/* Wire field names of an action kind in serialisation order, NULL-terminated in names
 * (room for max entries including the NULL); returns the count. required[i] (may be NULL)
 * says whether the field is required. */
size_t sesv1_action_fields(enum ses_action_kind kind, const char **names, bool *required,
			   size_t max);

/* true when name is a valid rule or rule-set name (see above). */
bool sesv1_name_ok(const char *name);

/* ---- builders ---- */

void sesv1_build_list_receipt_rule_sets(struct ses_request *r, const char *next_token);
enum sc_status sesv1_build_describe_receipt_rule_set(struct ses_request *r, const char *set,
						     struct sc_error *err);
void sesv1_build_describe_active_receipt_rule_set(struct ses_request *r);
enum sc_status sesv1_build_create_receipt_rule_set(struct ses_request *r, const char *set,
						   struct sc_error *err);
enum sc_status sesv1_build_delete_receipt_rule_set(struct ses_request *r, const char *set,
						   struct sc_error *err);
enum sc_status sesv1_build_clone_receipt_rule_set(struct ses_request *r, const char *set,
						  const char *original, struct sc_error *err);
/* set NULL or "" deactivates every rule set (receiving stops). */
enum sc_status sesv1_build_set_active_receipt_rule_set(struct ses_request *r, const char *set,
						       struct sc_error *err);
/* after NULL or "": the rule goes first. Every action must have its required fields. */
enum sc_status sesv1_build_create_receipt_rule(struct ses_request *r, const char *set,
					       const struct ses_rule *rule, const char *after,
					       struct sc_error *err);
enum sc_status sesv1_build_update_receipt_rule(struct ses_request *r, const char *set,
					       const struct ses_rule *rule, struct sc_error *err);
enum sc_status sesv1_build_delete_receipt_rule(struct ses_request *r, const char *set,
					       const char *rule_name, struct sc_error *err);
enum sc_status sesv1_build_set_receipt_rule_position(struct ses_request *r, const char *set,
						     const char *rule_name, const char *after,
						     struct sc_error *err);
/* names: every rule of the set, in the new order. */
enum sc_status sesv1_build_reorder_receipt_rule_set(struct ses_request *r, const char *set,
						    const char *const *names, size_t n,
						    struct sc_error *err);
void sesv1_build_list_receipt_filters(struct ses_request *r);
/* policy "Block" | "Allow"; cidr a single address or a CIDR range. */
enum sc_status sesv1_build_create_receipt_filter(struct ses_request *r,
						 const struct ses_receipt_filter *f,
						 struct sc_error *err);
enum sc_status sesv1_build_delete_receipt_filter(struct ses_request *r, const char *name,
						 struct sc_error *err);
void sesv1_build_get_send_statistics(struct ses_request *r);
void sesv1_build_get_send_quota(struct ses_request *r);
void sesv1_build_get_account_sending_enabled(struct ses_request *r);
void sesv1_build_update_account_sending_enabled(struct ses_request *r, bool enabled);
/* 1..100 identities */
enum sc_status sesv1_build_get_identity_verification_attributes(struct ses_request *r,
								const char *const *ids, size_t n,
								struct sc_error *err);

/* ---- parsers ---- */

/* For operations with no output: the root must be <{op}Response>. */
enum sc_status sesv1_parse_empty(const char *op, const char *body, size_t len,
				 struct sc_error *err);
/* Appends. Required: ListReceiptRuleSetsResult, each member's Name. */
enum sc_status sesv1_parse_list_receipt_rule_sets(const char *body, size_t len,
						  struct ses_rule_set **v, size_t *n,
						  char **next_token, struct sc_error *err);
/* Replaces *out (has_rules = true). Required: Result, Metadata.Name, each rule's Name,
 * each action's required fields (S3 BucketName; SNS TopicArn; Lambda FunctionArn; Bounce
 * SmtpReplyCode, Message, Sender; Workmail OrganizationArn; AddHeader HeaderName,
 * HeaderValue; Connect InstanceARN, IAMRoleARN; Stop Scope). An action element this
 * version does not know is kept as SES_ACTION_UNKNOWN. */
enum sc_status sesv1_parse_describe_receipt_rule_set(const char *body, size_t len,
						     struct ses_rule_set *out,
						     struct sc_error *err);
/* As above; an empty Result means no active set: *found = false, *out zeroed. Sets
 * out->active. */
enum sc_status sesv1_parse_describe_active_receipt_rule_set(const char *body, size_t len,
							    struct ses_rule_set *out, bool *found,
							    struct sc_error *err);
/* Required: Filters; each Name, IpFilter.Policy, IpFilter.Cidr. */
enum sc_status sesv1_parse_list_receipt_filters(const char *body, size_t len,
						struct ses_receipt_filter **v, size_t *n,
						struct sc_error *err);
/* Sorted by time. Required: SendDataPoints; each Timestamp. Missing counters are 0. */
enum sc_status sesv1_parse_get_send_statistics(const char *body, size_t len,
					       struct ses_send_point **v, size_t *n,
					       struct sc_error *err);
/* Sets only max_24h_send, max_send_rate, sent_last_24h (all three required). */
enum sc_status sesv1_parse_get_send_quota(const char *body, size_t len, struct ses_account *out,
					  struct sc_error *err);
/* Required: Enabled. */
enum sc_status sesv1_parse_get_account_sending_enabled(const char *body, size_t len,
						       bool *enabled, struct sc_error *err);
/* Required: VerificationAttributes; each entry's key and VerificationStatus. */
enum sc_status sesv1_parse_get_identity_verification_attributes(const char *body, size_t len,
								struct sesv1_verification **v,
								size_t *n, struct sc_error *err);

/* ---- calls ---- */

/* All pages; active flags are not set (ListReceiptRuleSets does not say). */
enum sc_status sesv1_list_receipt_rule_sets(const struct ses_ctx *ctx, struct ses_rule_set **v,
					    size_t *n, struct sc_error *err);
enum sc_status sesv1_describe_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					       struct ses_rule_set *out, struct sc_error *err);
enum sc_status sesv1_describe_active_receipt_rule_set(const struct ses_ctx *ctx,
						      struct ses_rule_set *out, bool *found,
						      struct sc_error *err);
enum sc_status sesv1_create_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					     struct sc_error *err);
enum sc_status sesv1_delete_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					     struct sc_error *err);
enum sc_status sesv1_clone_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					    const char *original, struct sc_error *err);
enum sc_status sesv1_set_active_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
						 struct sc_error *err);
enum sc_status sesv1_create_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const struct ses_rule *rule, const char *after,
					 struct sc_error *err);
enum sc_status sesv1_update_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const struct ses_rule *rule, struct sc_error *err);
enum sc_status sesv1_delete_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const char *rule_name, struct sc_error *err);
enum sc_status sesv1_set_receipt_rule_position(const struct ses_ctx *ctx, const char *set,
					       const char *rule_name, const char *after,
					       struct sc_error *err);
enum sc_status sesv1_reorder_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					      const char *const *names, size_t n,
					      struct sc_error *err);
enum sc_status sesv1_list_receipt_filters(const struct ses_ctx *ctx,
					  struct ses_receipt_filter **v, size_t *n,
					  struct sc_error *err);
enum sc_status sesv1_create_receipt_filter(const struct ses_ctx *ctx,
					   const struct ses_receipt_filter *f,
					   struct sc_error *err);
enum sc_status sesv1_delete_receipt_filter(const struct ses_ctx *ctx, const char *name,
					   struct sc_error *err);
enum sc_status sesv1_get_send_statistics(const struct ses_ctx *ctx, struct ses_send_point **v,
					 size_t *n, struct sc_error *err);
enum sc_status sesv1_get_send_quota(const struct ses_ctx *ctx, struct ses_account *out,
				    struct sc_error *err);
enum sc_status sesv1_get_account_sending_enabled(const struct ses_ctx *ctx, bool *enabled,
						 struct sc_error *err);
enum sc_status sesv1_update_account_sending_enabled(const struct ses_ctx *ctx, bool enabled,
						    struct sc_error *err);
enum sc_status sesv1_get_identity_verification_attributes(const struct ses_ctx *ctx,
							  const char *const *ids, size_t n,
							  struct sesv1_verification **v,
							  size_t *nv, struct sc_error *err);

#endif

#ifndef SESCTL_SES_RECEIPT_RULES_H
#define SESCTL_SES_RECEIPT_RULES_H

/*
 * SES receipt rule sets, rules and IP filters (SES v1 only).
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

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

#endif

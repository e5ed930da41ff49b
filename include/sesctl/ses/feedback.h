#ifndef SESCTL_SES_FEEDBACK_H
#define SESCTL_SES_FEEDBACK_H

/*
 * Feedback routing: where an identity's bounces, complaints and deliveries go.
 *
 *   SES v1 (Query, 2010-12-01): GetIdentityNotificationAttributes (1–100 identities a call,
 *     SES allows 1 call a second), SetIdentityNotificationTopic, SetIdentityHeadersIn-
 *     NotificationsEnabled, SetIdentityFeedbackForwardingEnabled. There is no v2 call for
 *     the topics.
 *   SNS (Query, 2010-03-31, XML replies): GetTopicAttributes, ListSubscriptionsByTopic
 *     (paginated, 100 a page), Subscribe, Unsubscribe — the audit's topic checks and the
 *     events tap's subscription.
 *
 * Same three layers as ses/sesv2.h: *_build_* pure (SC_USAGE for bad input, the request
 * always initialised), *_parse_* pure (SC_BAD_REPLY naming the operation), and the
 * wrappers (build → ses_send → parse). Forms are serialised as botocore does (checked
 * against botocore in tests/unit). Parsers require the root <{Op}Response> and refuse a
 * DOCTYPE (ses/xmlr.h).
 *
 * Ownership: every out struct is caller-owned and freed with its *_free (NULL-safe, leaves
 * the struct zeroed); strings are heap copies.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* id, wire name (NotificationType), short name */
#define SES_NOTIF_KINDS(_)                        \
	_(BOUNCE, "Bounce", "bounce")             \
	_(COMPLAINT, "Complaint", "complaint")    \
	_(DELIVERY, "Delivery", "delivery")

enum ses_notif_kind {
#define SES_NOTIF_ENUM(id, wire, name) SES_NOTIF_##id,
	SES_NOTIF_KINDS(SES_NOTIF_ENUM)
#undef SES_NOTIF_ENUM
	SES_NOTIF_COUNT
};

const char *ses_notif_wire(enum ses_notif_kind k);  /* "Bounce"; "?" out of range */
const char *ses_notif_name(enum ses_notif_kind k);  /* "bounce" */
/* "bounce" / "Bounce" (any case) → kind; false when unknown. */
bool ses_notif_from(const char *s, enum ses_notif_kind *out);

/* One identity's own settings as GetIdentityNotificationAttributes returns them (no
 * inheritance applied: that is core/feedback's business). */
struct ses_notif_attrs {
	char *identity;
	char *topic[SES_NOTIF_COUNT];     /* topic ARN, NULL when none */
	bool headers[SES_NOTIF_COUNT];    /* HeadersIn<Kind>NotificationsEnabled */
	bool forwarding;                  /* ForwardingEnabled */
};
void ses_notif_attrs_free(struct ses_notif_attrs *a);

#define SESV1_NOTIF_BATCH 100

/* ids: 1..SESV1_NOTIF_BATCH identity names (or ARNs), as Identities.member.N. */
enum sc_status sesv1_build_get_notification_attrs(struct ses_request *r, const char *const *ids,
						  size_t n, struct sc_error *err);
/* Appends one entry per <entry> of the NotificationAttributes map to (*v, *n). */
enum sc_status sesv1_parse_notification_attrs(const char *body, size_t len,
					      struct ses_notif_attrs **v, size_t *n,
					      struct sc_error *err);
enum sc_status sesv1_get_notification_attrs(const struct ses_ctx *ctx, const char *const *ids,
					    size_t nids, struct ses_notif_attrs **v, size_t *n,
					    struct sc_error *err);

/* topic NULL clears it (SnsTopic left out, as botocore does). A topic must look like an
 * SNS topic ARN (arn:PARTITION:sns:REGION:ACCOUNT12:NAME) else SC_USAGE. */
enum sc_status sesv1_build_set_notification_topic(struct ses_request *r, const char *identity,
						  enum ses_notif_kind k, const char *topic,
						  struct sc_error *err);
enum sc_status sesv1_set_notification_topic(const struct ses_ctx *ctx, const char *identity,
					    enum ses_notif_kind k, const char *topic,
					    struct sc_error *err);
enum sc_status sesv1_build_set_headers_in_notifications(struct ses_request *r,
							const char *identity,
							enum ses_notif_kind k, bool enabled,
							struct sc_error *err);
enum sc_status sesv1_set_headers_in_notifications(const struct ses_ctx *ctx,
						  const char *identity, enum ses_notif_kind k,
						  bool enabled, struct sc_error *err);
enum sc_status sesv1_build_set_feedback_forwarding(struct ses_request *r, const char *identity,
						   bool enabled, struct sc_error *err);
enum sc_status sesv1_set_feedback_forwarding(const struct ses_ctx *ctx, const char *identity,
					     bool enabled, struct sc_error *err);

/* true when arn is arn:<partition>:sns:<region>:<12 digits>:<name> with a name of 1–256
 * letters, digits, '-' and '_' (optionally ".fifo"). */
bool sns_topic_arn_valid(const char *arn);
/* The 12-digit account of a topic (or any) ARN into out (13 bytes); false when absent. */
bool sns_arn_account(const char *arn, char out[13]);

/* GetTopicAttributes, the parts the audit reads. The counts are SNS's decimal strings
 * parsed; -1 when the attribute was absent. */
struct sns_topic_attrs {
	char *owner;                 /* Owner (account id) */
	long confirmed;              /* SubscriptionsConfirmed */
	long pending;                /* SubscriptionsPending */
	long deleted;                /* SubscriptionsDeleted */
	char *policy;                /* Policy (JSON text) or NULL */
};
void sns_topic_attrs_free(struct sns_topic_attrs *a);

enum sc_status sns_build_get_topic_attributes(struct ses_request *r, const char *topic_arn,
					      struct sc_error *err);
enum sc_status sns_parse_topic_attributes(const char *body, size_t len,
					  struct sns_topic_attrs *out, struct sc_error *err);
/* SC_NOT_FOUND for SNS's NotFound (a deleted topic), SC_AUTH for AuthorizationError /
 * AccessDenied, as aws/client.h maps codes. */
enum sc_status sns_get_topic_attributes(const struct ses_ctx *ctx, const char *topic_arn,
					struct sns_topic_attrs *out, struct sc_error *err);

struct sns_subscription {
	char *arn;                   /* "PendingConfirmation" kept as NULL with pending set */
	bool pending;                /* SubscriptionArn was PendingConfirmation (or "pending
					confirmation", as some endpoints spell it) */
	char *protocol;              /* "sqs", "email", "https" … */
	char *endpoint;              /* queue ARN, address, URL */
	char *owner;
};
struct sns_subscriptions {
	struct sns_subscription *v;
	size_t n, cap;
};
void sns_subscriptions_free(struct sns_subscriptions *s);

/* next_token NULL for the first page. */
enum sc_status sns_build_list_subscriptions_by_topic(struct ses_request *r, const char *topic_arn,
						     const char *next_token, struct sc_error *err);
/* Appends the page's members to out; *next_token gets a heap copy of NextToken or NULL. */
enum sc_status sns_parse_list_subscriptions_by_topic(const char *body, size_t len,
						     struct sns_subscriptions *out,
						     char **next_token, struct sc_error *err);
/* Every page (guarded by ses_pager). */
enum sc_status sns_list_subscriptions_by_topic(const struct ses_ctx *ctx, const char *topic_arn,
					       struct sns_subscriptions *out,
					       struct sc_error *err);

/* Subscribe with ReturnSubscriptionArn=true; raw adds Attributes RawMessageDelivery. The
 * parsed SubscriptionArn is returned in *sub_arn (heap). */
enum sc_status sns_build_subscribe(struct ses_request *r, const char *topic_arn,
				   const char *protocol, const char *endpoint, bool raw,
				   struct sc_error *err);
enum sc_status sns_parse_subscribe(const char *body, size_t len, char **sub_arn,
				   struct sc_error *err);
enum sc_status sns_subscribe(const struct ses_ctx *ctx, const char *topic_arn,
			     const char *protocol, const char *endpoint, bool raw, char **sub_arn,
			     struct sc_error *err);
enum sc_status sns_build_unsubscribe(struct ses_request *r, const char *sub_arn,
				     struct sc_error *err);
enum sc_status sns_unsubscribe(const struct ses_ctx *ctx, const char *sub_arn,
			       struct sc_error *err);

#endif

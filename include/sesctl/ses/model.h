#ifndef SESCTL_SES_MODEL_H
#define SESCTL_SES_MODEL_H

/*
 * Plain structs for what SES holds. No I/O, no curses, no JSON: the ses/ modules fill
 * them from replies, store/ saves and loads them, dns/ and the front-ends read
 * them. Strings are heap-allocated and owned by the struct that holds them; NULL means
 * "absent". Each *_free() releases the members (not the struct itself, which is usually
 * embedded in an array) and leaves the struct zeroed.
 *
 * Enumerations that the service sends as strings are kept as the string the service
 * sent ("SUCCESS", "PENDING", or an unknown future value shown raw); model_* helpers
 * classify them where the code needs to branch.
 *
 * Timestamps are time_t, UTC, 0 when absent. "fetched" is when sesctl read the object.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

/* Whole non-negative counts SES reports: 0 .. 2^53 (exact in a double; a day's sum of such
 * counts cannot overflow int64); quotas and rates: 0 .. 1e15. */
#define SES_COUNT_MAX 9007199254740992.0
#define SES_QUOTA_MAX 1e15

/* ---- identities (SESv2 ListEmailIdentities + GetEmailIdentity) ---- */

struct ses_tag {
	char *key;
	char *value;
};

struct ses_policy {
	char *name;
	char *document; /* JSON text */
};

struct ses_identity {
	char *name;                 /* as SES reports it (punycode for IDN domains) */
	char *type;                 /* EMAIL_ADDRESS | DOMAIN | MANAGED_DOMAIN */
	char *verification_status;  /* PENDING | SUCCESS | FAILED | TEMPORARY_FAILURE | NOT_STARTED */
	bool sending_enabled;
	bool verified_for_sending;
	bool feedback_forwarding;
	bool has_details;           /* GetEmailIdentity was read (below are meaningful) */
	/* DKIM */
	bool dkim_signing_enabled;
	char *dkim_status;
	char *dkim_origin;          /* AWS_SES | EXTERNAL | AWS_SES_<REGION> */
	char *dkim_current_key_length; /* RSA_1024_BIT | RSA_2048_BIT */
	char *dkim_next_key_length;
	time_t dkim_last_key_generation;
	char **dkim_tokens;         /* Easy DKIM tokens (or the BYODKIM selector, one entry) */
	size_t n_dkim_tokens;
	/* MAIL FROM */
	char *mail_from_domain;
	char *mail_from_status;     /* PENDING | SUCCESS | FAILED | TEMPORARY_FAILURE */
	char *mail_from_on_mx_failure; /* USE_DEFAULT_VALUE | REJECT_MESSAGE */
	char *configuration_set;
	char *verification_token;   /* legacy _amazonses TXT token (v1), if known */
	char *verification_error;   /* VerificationInfo.ErrorType: HOST_NOT_FOUND, ... */
	time_t verification_last_checked; /* VerificationInfo.LastCheckedTimestamp */
	struct ses_policy *policies;
	size_t n_policies;
	struct ses_tag *tags;
	size_t n_tags;
	time_t fetched;
};

/* ---- account (SESv2 GetAccount, v1 GetSendQuota) ---- */

struct ses_account {
	char *account_id;
	char *region;
	bool sending_enabled;
	bool production_access;     /* false: sandbox */
	bool dedicated_ip_auto_warmup;
	char *enforcement_status;   /* HEALTHY | PROBATION | SHUTDOWN | ... */
	double max_24h_send;        /* -1: unlimited */
	double max_send_rate;
	double sent_last_24h;
	char **suppressed_reasons;  /* account-level suppression: BOUNCE, COMPLAINT */
	size_t n_suppressed_reasons;
	char *mail_type;            /* Details */
	char *website_url;
	char *contact_language;
	char *use_case_description;
	char *review_status;        /* Details.ReviewDetails.Status */
	char *review_case_id;
	bool vdm_enabled;
	time_t fetched;
};

/* ---- configuration sets ---- */

/* SESv2 event types, in the model's order: X(ID, wire name, short name). */
#define SES_EVENT_TYPES(X)                                                                 \
	X(SEND, "SEND", "send")                                                            \
	X(REJECT, "REJECT", "reject")                                                      \
	X(BOUNCE, "BOUNCE", "bounce")                                                      \
	X(COMPLAINT, "COMPLAINT", "complaint")                                             \
	X(DELIVERY, "DELIVERY", "delivery")                                                \
	X(OPEN, "OPEN", "open")                                                            \
	X(CLICK, "CLICK", "click")                                                         \
	X(RENDERING_FAILURE, "RENDERING_FAILURE", "rendering-failure")                     \
	X(DELIVERY_DELAY, "DELIVERY_DELAY", "delivery-delay")                              \
	X(SUBSCRIPTION, "SUBSCRIPTION", "subscription")

enum ses_event_type {
#define SES_EVENT_ENUM(id, wire, name) SES_EVENT_##id,
	SES_EVENT_TYPES(SES_EVENT_ENUM)
#undef SES_EVENT_ENUM
	SES_EVENT_COUNT
};
#define SES_EVENT_BIT(t) (1u << (t))

/* The one destination of an event destination: X(ID, wire member, short name). */
#define SES_DEST_KINDS(X)                                                                  \
	X(SNS, "SnsDestination", "SNS")                                                    \
	X(CLOUDWATCH, "CloudWatchDestination", "CW")                                       \
	X(FIREHOSE, "KinesisFirehoseDestination", "Firehose")                              \
	X(EVENTBRIDGE, "EventBridgeDestination", "EventBridge")                            \
	X(PINPOINT, "PinpointDestination", "Pinpoint")

enum ses_dest_kind {
	SES_DEST_NONE = 0, /* none, or one this version does not know */
#define SES_DEST_ENUM(id, member, name) SES_DEST_##id,
	SES_DEST_KINDS(SES_DEST_ENUM)
#undef SES_DEST_ENUM
	SES_DEST_COUNT
};

struct ses_cw_dimension {
	char *name;          /* e.g. ses:configuration-set */
	char *source;        /* MESSAGE_TAG | EMAIL_HEADER | LINK_TAG */
	char *default_value;
};

struct ses_event_dest {
	char *name;
	bool enabled;
	unsigned events;     /* SES_EVENT_BIT()s */
	char **unknown_events; /* event types this version does not know, kept verbatim */
	size_t n_unknown_events;
	enum ses_dest_kind kind;
	char *arn;           /* topic, delivery stream, event bus or application ARN */
	char *role_arn;      /* Firehose only */
	struct ses_cw_dimension *dims; /* CloudWatch only */
	size_t n_dims;
};

struct ses_config_set {
	char *name;
	bool sending_enabled;
	bool reputation_metrics_enabled;
	char *tls_policy;           /* REQUIRE | OPTIONAL */
	char *sending_pool;
	long max_delivery_seconds;  /* 0: SES's default */
	char **suppressed_reasons;
	size_t n_suppressed_reasons;
	bool suppression_set;       /* SuppressionOptions present (absent: the account's list) */
	char *validation_enabled;   /* SuppressionOptions.ValidationOptions: ENABLED | DISABLED */
	char *validation_threshold; /* MEDIUM | HIGH | MANAGED */
	char *tracking_domain;      /* TrackingOptions.CustomRedirectDomain */
	char *https_policy;         /* REQUIRE | REQUIRE_OPEN_ONLY | OPTIONAL */
	char *vdm_engagement;       /* VdmOptions: ENABLED | DISABLED, NULL: the account's */
	char *vdm_optimized_delivery;
	char *archive_arn;
	struct ses_tag *tags;
	size_t n_tags;
	time_t last_fresh_start;
	struct ses_event_dest *dests;
	size_t n_dests;
	bool dests_known;           /* the event destinations were read */
	time_t fetched;
};

/* ---- suppression list ---- */

struct ses_suppressed {
	char *email;
	char *reason;               /* BOUNCE | COMPLAINT */
	time_t last_update;
	char *message_id;           /* Attributes, when read with Get */
	char *feedback_id;
};

/* ---- receipt rules (v1) ---- */

enum ses_action_kind {
	SES_ACTION_UNKNOWN = 0,
	SES_ACTION_S3,
	SES_ACTION_SNS,
	SES_ACTION_LAMBDA,
	SES_ACTION_BOUNCE,
	SES_ACTION_STOP,
	SES_ACTION_ADD_HEADER,
	SES_ACTION_WORKMAIL,
	SES_ACTION_CONNECT,
};

struct ses_action {
	enum ses_action_kind kind;
	char *topic_arn;            /* optional SNS notification of any action */
	/* S3 */
	char *bucket;
	char *prefix;
	char *kms_key_arn;
	char *iam_role_arn;         /* S3 (newer) and Connect */
	/* SNS */
	char *encoding;             /* UTF-8 | Base64 */
	/* Lambda */
	char *function_arn;
	char *invocation_type;      /* Event | RequestResponse */
	/* Bounce */
	char *smtp_reply_code;
	char *status_code;
	char *message;
	char *sender;
	/* Stop */
	char *scope;                /* RuleSet */
	/* AddHeader */
	char *header_name;
	char *header_value;
	/* WorkMail */
	char *organization_arn;
	/* Connect */
	char *instance_arn;
};

struct ses_rule {
	char *name;
	bool enabled;
	char *tls_policy;           /* Require | Optional */
	bool scan_enabled;
	char **recipients;
	size_t n_recipients;
	struct ses_action *actions;
	size_t n_actions;
};

struct ses_rule_set {
	char *name;
	time_t created;
	bool active;
	bool has_rules;             /* rules were read (Describe*) */
	struct ses_rule *rules;     /* in evaluation order */
	size_t n_rules;
	time_t fetched;
};

struct ses_receipt_filter {
	char *name;
	char *policy;               /* Block | Allow */
	char *cidr;
};

/* ---- statistics and metrics ---- */

struct ses_send_point {           /* v1 GetSendStatistics, one 15-minute bucket */
	time_t ts;
	int64_t delivery_attempts;
	int64_t bounces;
	int64_t complaints;
	int64_t rejects;
};

struct ses_metric_point {         /* CloudWatch Reputation.* or VDM */
	time_t ts;
	double value;
};

/* ---- Mail Manager (read-only lists) ---- */

struct ses_mm_item {
	char *kind;                 /* "rule-set" | "traffic-policy" | "ingress-point" | "archive" */
	char *id;
	char *name;
	char *status;               /* ingress point Status, archive state, traffic policy default */
	char *detail;               /* ingress point ARecord, ingress Type, ... */
	time_t modified;
};

/* ---- caller identity (STS) ---- */

struct ses_caller {
	char *account;
	char *arn;
	char *user_id;
};

void ses_identity_free(struct ses_identity *x);
void ses_account_free(struct ses_account *x);
void ses_config_set_free(struct ses_config_set *x);
void ses_event_dest_free(struct ses_event_dest *x);
void ses_config_set_copy(struct ses_config_set *dst, const struct ses_config_set *src);
void ses_event_dest_copy(struct ses_event_dest *dst, const struct ses_event_dest *src);
void ses_suppressed_free(struct ses_suppressed *x);
void ses_action_free(struct ses_action *x);
void ses_rule_free(struct ses_rule *x);
void ses_rule_set_free(struct ses_rule_set *x);
void ses_receipt_filter_free(struct ses_receipt_filter *x);
void ses_mm_item_free(struct ses_mm_item *x);
void ses_caller_free(struct ses_caller *x);

/* Deep copies (dst is overwritten, not freed first). */
void ses_identity_copy(struct ses_identity *dst, const struct ses_identity *src);
void ses_rule_copy(struct ses_rule *dst, const struct ses_rule *src);

/* Free arrays of n elements, then the array. */
void ses_identities_free(struct ses_identity *v, size_t n);
void ses_rule_sets_free(struct ses_rule_set *v, size_t n);

/* Classification of status strings. */
enum ses_state {
	SES_STATE_NONE = 0,   /* absent / not applicable */
	SES_STATE_OK,         /* SUCCESS */
	SES_STATE_PENDING,    /* PENDING, NOT_STARTED */
	SES_STATE_FAILED,     /* FAILED */
	SES_STATE_TEMPFAIL,   /* TEMPORARY_FAILURE */
	SES_STATE_UNKNOWN,    /* a value this version does not know */
};
/* Accepts the SESv2 spellings (SUCCESS, NOT_STARTED, ...) and the v1 ones (Success,
 * NotStarted, TemporaryFailure, ...). */
enum ses_state ses_state_of(const char *status);

bool ses_identity_is_domain(const struct ses_identity *x);
const char *ses_action_kind_name(enum ses_action_kind k);      /* "S3", "SNS", ... */
enum ses_action_kind ses_action_kind_from(const char *element); /* "S3Action" → S3 */
/* Event types: the wire name ("DELIVERY_DELAY"), the short name ("delivery-delay"), and
 * either spelling (any case) back to the type, -1 when unknown. */
const char *ses_event_wire(enum ses_event_type t);
const char *ses_event_name(enum ses_event_type t);
int ses_event_from(const char *s);
/* Destination kinds: the JSON member ("SnsDestination") and the short name ("SNS"). */
const char *ses_dest_member(enum ses_dest_kind k);
const char *ses_dest_name(enum ses_dest_kind k);
/* Whether an enabled event destination of the set receives events of type t. */
bool ses_config_set_receives(const struct ses_config_set *x, enum ses_event_type t);

#endif

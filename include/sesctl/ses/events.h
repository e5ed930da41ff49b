#ifndef SESCTL_SES_EVENTS_H
#define SESCTL_SES_EVENTS_H

/*
 * SES feedback events: the notification parser (both SES schemas) and the SQS client the
 * events tap reads its queue with.
 *
 * Parser. ses_events_parse() takes one SQS message body (or one file) and accepts:
 *   - an SNS envelope ({"Type":"Notification","MessageId","TopicArn","Message",…}) whose
 *     Message is a JSON *string* holding the SES record (decoded twice) or a JSON object;
 *   - the SES record itself (raw message delivery, or a file);
 *   - identity notifications ("notificationType": Bounce|Complaint|Delivery) and event
 *     publishing ("eventType": Bounce, Complaint, Delivery, Send, Reject, Open, Click,
 *     Rendering Failure, DeliveryDelay, Subscription);
 *   - a record whose type word is not one of those (moto's canned "Bounce, Complaint, or
 *     Delivery.") typed by which object it carries (bounce / complaint / delivery / …).
 * Unknown fields are ignored, missing optional ones are left NULL. One record gives one
 * row per recipient (bouncedRecipients, complainedRecipients, delivery.recipients,
 * deliveryDelay.delayedRecipients; else mail.destination; else one row with no
 * recipient). A body that is not JSON, not an object, or has no SES record → SC_BAD_REPLY
 * with a one-line reason; nothing is appended then. At most SES_EVENTS_MAX_ROWS rows from
 * one body (the rest are dropped, *truncated set).
 *
 * Text from the wire is kept as sent (UTF-8, control bytes included): front-ends clean it
 * for display (util/text.h).
 *
 * SQS (JSON 1.0, X-Amz-Target AmazonSQS.<Op>, bodies as botocore sends them): CreateQueue,
 * GetQueueAttributes (QueueArn), DeleteQueue, ReceiveMessage, DeleteMessageBatch. Errors:
 * QueueDoesNotExist / AWS.SimpleQueueService.NonExistentQueue → SC_NOT_FOUND.
 *
 * Ownership: out structs caller-owned, freed with their *_free (NULL-safe); strings heap.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* id, short name (CLI --type, cache), SES's word (notificationType / eventType) */
#define SES_EV_TYPES(_)                                               \
	_(BOUNCE, "bounce", "Bounce")                                 \
	_(COMPLAINT, "complaint", "Complaint")                        \
	_(DELIVERY, "delivery", "Delivery")                           \
	_(SEND, "send", "Send")                                       \
	_(REJECT, "reject", "Reject")                                 \
	_(OPEN, "open", "Open")                                       \
	_(CLICK, "click", "Click")                                    \
	_(RENDERING_FAILURE, "rendering-failure", "Rendering Failure") \
	_(DELIVERY_DELAY, "delivery-delay", "DeliveryDelay")          \
	_(SUBSCRIPTION, "subscription", "Subscription")

enum ses_ev_type {
#define SES_EV_ENUM(id, name, word) SES_EV_##id,
	SES_EV_TYPES(SES_EV_ENUM)
#undef SES_EV_ENUM
	SES_EV_COUNT
};

const char *ses_ev_name(enum ses_ev_type t);   /* "bounce"; "?" out of range */
const char *ses_ev_word(enum ses_ev_type t);   /* "Bounce" */
/* Short name or SES's word, any case ("rendering-failure", "Rendering Failure",
 * "deliverydelay") → type; false when unknown. */
bool ses_ev_from(const char *s, enum ses_ev_type *out);

#define SES_EVENTS_MAX_ROWS 1000

/* One row: one recipient of one record. */
struct ses_event {
	enum ses_ev_type type;
	bool published;          /* event publishing (eventType) rather than an identity
				    notification (notificationType) */
	time_t time;             /* the event's own timestamp (bounce.timestamp …), else
				    mail.timestamp; 0 when neither parses */
	time_t mail_time;        /* mail.timestamp, 0 when absent */
	char *subtype;           /* "Permanent/General", "Transient/MailboxFull"; complaint:
				    complaintFeedbackType or complaintSubType; delay:
				    delayType; reject: reason; click: link; failure:
				    errorMessage; else NULL */
	char *recipient;
	char *status;            /* "5.1.1" (bounce/delay recipient status) */
	char *diagnostic;        /* diagnosticCode; delivery: smtpResponse */
	char *reporting_mta;
	char *remote_mta_ip;
	char *source;            /* mail.source */
	char *identity;          /* the identity from mail.sourceArn (".../identity/NAME"),
				    else the domain of mail.source; NULL when neither */
	char *config_set;        /* mail.tags["ses:configuration-set"][0] */
	char *message_id;        /* mail.messageId (SES's id) */
	char *subject;           /* mail.commonHeaders.subject */
	char *feedback_id;       /* bounce/complaint feedbackId */
	char *topic_arn;         /* envelope TopicArn */
	char *sns_message_id;    /* envelope MessageId */
};
struct ses_events {
	struct ses_event *v;
	size_t n, cap;
};
void ses_event_clear(struct ses_event *e);
void ses_events_free(struct ses_events *evs);

enum sc_status ses_events_parse(const char *body, size_t len, struct ses_events *out,
				bool *truncated, struct sc_error *err);

/* ---- SQS ---- */

/* attrs: NULL-terminated key, value pairs ("Policy", json, "MessageRetentionPeriod",
 * "345600", NULL) written as the Attributes map. The name: 1–80 of [A-Za-z0-9_-]. */
enum sc_status sqs_build_create_queue(struct ses_request *r, const char *name,
				      const char *const *attrs, struct sc_error *err);
enum sc_status sqs_parse_create_queue(const char *body, size_t len, char **queue_url,
				      struct sc_error *err);
enum sc_status sqs_create_queue(const struct ses_ctx *ctx, const char *name,
				const char *const *attrs, char **queue_url, struct sc_error *err);
/* GetQueueAttributes with AttributeNames ["QueueArn"]. */
enum sc_status sqs_build_get_queue_arn(struct ses_request *r, const char *queue_url,
				       struct sc_error *err);
enum sc_status sqs_parse_get_queue_arn(const char *body, size_t len, char **queue_arn,
				       struct sc_error *err);
enum sc_status sqs_get_queue_arn(const struct ses_ctx *ctx, const char *queue_url,
				 char **queue_arn, struct sc_error *err);
enum sc_status sqs_build_delete_queue(struct ses_request *r, const char *queue_url,
				      struct sc_error *err);
enum sc_status sqs_delete_queue(const struct ses_ctx *ctx, const char *queue_url,
				struct sc_error *err);

struct sqs_message {
	char *id;                /* MessageId */
	char *receipt_handle;
	char *body;
};
struct sqs_messages {
	struct sqs_message *v;
	size_t n, cap;
};
void sqs_messages_free(struct sqs_messages *m);

/* max 1–10, wait_s 0–20 (long polling), visibility_s 0 → the queue's default. */
enum sc_status sqs_build_receive(struct ses_request *r, const char *queue_url, int max,
				 int wait_s, int visibility_s, struct sc_error *err);
/* Appends; an empty or absent Messages list is a valid empty reply. */
enum sc_status sqs_parse_receive(const char *body, size_t len, struct sqs_messages *out,
				 struct sc_error *err);
/* The HTTP timeout is raised to cover wait_s. */
enum sc_status sqs_receive(const struct ses_ctx *ctx, const char *queue_url, int max,
			   int wait_s, int visibility_s, struct sqs_messages *out,
			   struct sc_error *err);
/* handles: 1–10 receipt handles; entry ids "0".."9". */
enum sc_status sqs_build_delete_batch(struct ses_request *r, const char *queue_url,
				      const char *const *handles, size_t n, struct sc_error *err);
/* *failed gets the number of entries SQS reports as Failed (SC_OK still). */
enum sc_status sqs_parse_delete_batch(const char *body, size_t len, size_t *failed,
				      struct sc_error *err);
enum sc_status sqs_delete_batch(const struct ses_ctx *ctx, const char *queue_url,
				const char *const *handles, size_t n, size_t *failed,
				struct sc_error *err);

#endif

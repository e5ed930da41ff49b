#ifndef SESCTL_SES_SESV2_H
#define SESCTL_SES_SESV2_H

/*
 * SESv2 (REST-JSON, /v2/email/...) operations in three layers (see ses/request.h):
 *
 *   sesv2_build_<op>(req, inputs..., err)   pure; SC_USAGE for a missing/empty input
 *   sesv2_parse_<op>(body, len, out..., err) pure; SC_BAD_REPLY for a body that is not a
 *                                           JSON object or misses a required field
 *   sesv2_<op>(ctx, inputs..., out..., err) build → ses_call → parse
 *
 * Ownership: parsers fill caller-owned model structs whose members are heap strings
 * (free with the model *_free functions); on failure *out is left freed/zeroed. Parsers
 * that append to an array (v, n) grow it with realloc: start with v = NULL, n = 0, and free
 * with the matching *_free on each element, then free(v). *next_token is replaced (the
 * old value freed) and is NULL on the last page.
 *
 * Parsing is tolerant: JSON null = absent, unknown fields ignored, unknown enum values
 * kept raw, timestamps as epoch numbers or ISO strings. Required fields are listed per
 * parser below; everything else is optional.
 *
 * Secrets: the BYODKIM private key is written only into the request body, which is marked
 * secret and wiped by ses_request_free(); it never appears in errors or logs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* DKIM signing attributes for CreateEmailIdentity and PutEmailIdentityDkimSigningAttributes:
 * BYODKIM = selector + private_key (base64 DER RSA key); Easy DKIM = next_key_length
 * ("RSA_1024_BIT" | "RSA_2048_BIT") alone. All NULL = no DkimSigningAttributes. */
struct sesv2_dkim_signing {
	const char *selector;
	const char *private_key;
	const char *next_key_length;
};

struct sesv2_account_details {
	const char *mail_type;            /* MARKETING | TRANSACTIONAL (required) */
	const char *website_url;          /* required */
	const char *use_case_description; /* optional in newer models */
	const char *contact_language;     /* EN | JA, optional */
	const char *const *additional_contacts;
	size_t n_additional_contacts;     /* 0..4 */
	int production_access;            /* -1 = leave out, 0 = false, 1 = true */
};

struct sesv2_suppression_filter {
	bool bounce;                      /* Reason=BOUNCE */
	bool complaint;                   /* Reason=COMPLAINT; neither = both */
	time_t start, end;                /* 0 = leave out */
	const char *next_token;
	int page_size;                    /* 0 = leave out */
};

struct sesv2_metric_query {
	const char *id;                   /* 1-255 chars, unique in the batch */
	const char *metric;               /* SEND | COMPLAINT | PERMANENT_BOUNCE | ... */
	const char *dimension;            /* EMAIL_IDENTITY | CONFIGURATION_SET | ISP, or NULL */
	const char *dimension_value;
	time_t start, end;
};

struct sesv2_metric_result {
	char *id;
	struct ses_metric_point *points;  /* sorted by time */
	size_t n_points;
	char *error_code;                 /* set when this query failed (Errors[]) */
	char *error_message;
};
void sesv2_metric_results_free(struct sesv2_metric_result *v, size_t n);

struct sesv2_simple_email {
	const char *from;                 /* required */
	const char *to;                   /* required, one address */
	const char *subject;              /* required */
	const char *text;                 /* required, text/plain body */
	const char *config_set;           /* optional */
};

void sesv2_policies_free(struct ses_policy *v, size_t n);
void sesv2_suppressed_list_free(struct ses_suppressed *v, size_t n);
void sesv2_strv_free(char **v, size_t n);

/* ---- builders ---- */

enum sc_status sesv2_build_list_email_identities(struct ses_request *r, const char *next_token,
						 int page_size, struct sc_error *err);
enum sc_status sesv2_build_get_email_identity(struct ses_request *r, const char *identity,
					      struct sc_error *err);
enum sc_status sesv2_build_create_email_identity(struct ses_request *r, const char *identity,
						 const struct sesv2_dkim_signing *dkim,
						 const char *config_set, struct sc_error *err);
enum sc_status sesv2_build_delete_email_identity(struct ses_request *r, const char *identity,
						 struct sc_error *err);
enum sc_status sesv2_build_put_dkim_attributes(struct ses_request *r, const char *identity,
					       bool signing_enabled, struct sc_error *err);
/* origin "AWS_SES" (Easy DKIM) or "EXTERNAL" (BYODKIM); dkim may be NULL for AWS_SES. */
enum sc_status sesv2_build_put_dkim_signing_attributes(struct ses_request *r, const char *identity,
						       const char *origin,
						       const struct sesv2_dkim_signing *dkim,
						       struct sc_error *err);
/* mail_from_domain NULL disables the custom MAIL FROM; behavior may be NULL. */
enum sc_status sesv2_build_put_mail_from_attributes(struct ses_request *r, const char *identity,
						    const char *mail_from_domain,
						    const char *behavior_on_mx_failure,
						    struct sc_error *err);
enum sc_status sesv2_build_put_feedback_attributes(struct ses_request *r, const char *identity,
						   bool forwarding_enabled, struct sc_error *err);
/* create (POST) and update (PUT) share a shape. */
enum sc_status sesv2_build_create_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, const char *policy_json,
					 struct sc_error *err);
enum sc_status sesv2_build_update_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, const char *policy_json,
					 struct sc_error *err);
enum sc_status sesv2_build_get_policies(struct ses_request *r, const char *identity,
					struct sc_error *err);
enum sc_status sesv2_build_delete_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, struct sc_error *err);
void sesv2_build_get_account(struct ses_request *r);
void sesv2_build_put_account_sending(struct ses_request *r, bool enabled);
enum sc_status sesv2_build_put_account_details(struct ses_request *r,
					       const struct sesv2_account_details *d,
					       struct sc_error *err);
void sesv2_build_list_suppressed(struct ses_request *r, const struct sesv2_suppression_filter *f);
enum sc_status sesv2_build_get_suppressed(struct ses_request *r, const char *email,
					  struct sc_error *err);
/* reason BOUNCE | COMPLAINT */
enum sc_status sesv2_build_put_suppressed(struct ses_request *r, const char *email,
					  const char *reason, struct sc_error *err);
enum sc_status sesv2_build_delete_suppressed(struct ses_request *r, const char *email,
					     struct sc_error *err);
void sesv2_build_list_config_sets(struct ses_request *r, const char *next_token, int page_size);
enum sc_status sesv2_build_get_config_set(struct ses_request *r, const char *name,
					  struct sc_error *err);
enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err);
/* 1..10 queries */
enum sc_status sesv2_build_batch_get_metric_data(struct ses_request *r,
						 const struct sesv2_metric_query *q, size_t n,
						 struct sc_error *err);
enum sc_status sesv2_build_send_email(struct ses_request *r, const struct sesv2_simple_email *m,
				      struct sc_error *err);

/* ---- parsers ---- */

/* Appends. Required: EmailIdentities (array), each item's IdentityName. */
enum sc_status sesv2_parse_list_email_identities(const char *body, size_t len,
						 struct ses_identity **v, size_t *n,
						 char **next_token, struct sc_error *err);
/* Fills out except out->name (the caller's input; kept as it is), replacing what out held:
 * out must be zero-initialised or a valid identity. Sets has_details; sending_enabled
 * mirrors VerifiedForSendingStatus (this reply has no SendingEnabled).
 * Required: IdentityType; in MailFromAttributes (when present) MailFromDomain,
 * MailFromDomainStatus, BehaviorOnMxFailure. */
enum sc_status sesv2_parse_get_email_identity(const char *body, size_t len,
					      struct ses_identity *out, struct sc_error *err);
/* Fills out->type, verified_for_sending and the DKIM fields. Required: IdentityType. */
enum sc_status sesv2_parse_create_email_identity(const char *body, size_t len,
						 struct ses_identity *out, struct sc_error *err);
/* Sets out->dkim_status and out->dkim_tokens. Required: DkimStatus. */
enum sc_status sesv2_parse_put_dkim_signing_attributes(const char *body, size_t len,
						       struct ses_identity *out,
						       struct sc_error *err);
/* Required: Policies (object of name → JSON text). */
enum sc_status sesv2_parse_get_policies(const char *body, size_t len, struct ses_policy **v,
					size_t *n, struct sc_error *err);
/* Required: SendingEnabled, SendQuota.Max24HourSend, SendQuota.MaxSendRate,
 * SendQuota.SentLast24Hours. ProductionAccessEnabled absent = sandbox. */
enum sc_status sesv2_parse_get_account(const char *body, size_t len, struct ses_account *out,
				       struct sc_error *err);
/* Appends. Required: SuppressedDestinationSummaries (array), each EmailAddress, Reason. */
enum sc_status sesv2_parse_list_suppressed(const char *body, size_t len, struct ses_suppressed **v,
					   size_t *n, char **next_token, struct sc_error *err);
/* Required: SuppressedDestination.EmailAddress, .Reason. */
enum sc_status sesv2_parse_get_suppressed(const char *body, size_t len, struct ses_suppressed *out,
					  struct sc_error *err);
/* Appends names. Required: ConfigurationSets (array of strings). */
enum sc_status sesv2_parse_list_config_sets(const char *body, size_t len, char ***v, size_t *n,
					    char **next_token, struct sc_error *err);
/* Required: ConfigurationSetName. SendingEnabled absent = true (the service default). */
enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err);
/* One result per Results[] and Errors[] item. Required: Results (array), each Id;
 * Timestamps and Values of equal length. */
enum sc_status sesv2_parse_batch_get_metric_data(const char *body, size_t len,
						 struct sesv2_metric_result **v, size_t *n,
						 struct sc_error *err);
/* Required: MessageId. */
enum sc_status sesv2_parse_send_email(const char *body, size_t len, char **message_id,
				      struct sc_error *err);

/* ---- calls ---- */

/* All pages, PageSize 1000. When the first page is refused as unsupported (moto's HTML
 * 500 for any PageSize), it is asked again without PageSize (the service default). */
enum sc_status sesv2_list_email_identities(const struct ses_ctx *ctx, struct ses_identity **v,
					   size_t *n, struct sc_error *err);
/* out is filled and out->name set to identity (which may be out->name itself);
 * out->fetched = now. */
enum sc_status sesv2_get_email_identity(const struct ses_ctx *ctx, const char *identity,
					struct ses_identity *out, struct sc_error *err);
/* out may be NULL. */
enum sc_status sesv2_create_email_identity(const struct ses_ctx *ctx, const char *identity,
					   const struct sesv2_dkim_signing *dkim,
					   const char *config_set, struct ses_identity *out,
					   struct sc_error *err);
enum sc_status sesv2_delete_email_identity(const struct ses_ctx *ctx, const char *identity,
					   struct sc_error *err);
enum sc_status sesv2_put_dkim_attributes(const struct ses_ctx *ctx, const char *identity,
					 bool signing_enabled, struct sc_error *err);
/* out (dkim_status, dkim_tokens) may be NULL. */
enum sc_status sesv2_put_dkim_signing_attributes(const struct ses_ctx *ctx, const char *identity,
						 const char *origin,
						 const struct sesv2_dkim_signing *dkim,
						 struct ses_identity *out, struct sc_error *err);
enum sc_status sesv2_put_mail_from_attributes(const struct ses_ctx *ctx, const char *identity,
					      const char *mail_from_domain,
					      const char *behavior_on_mx_failure,
					      struct sc_error *err);
enum sc_status sesv2_put_feedback_attributes(const struct ses_ctx *ctx, const char *identity,
					     bool forwarding_enabled, struct sc_error *err);
enum sc_status sesv2_create_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err);
enum sc_status sesv2_update_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err);
enum sc_status sesv2_get_policies(const struct ses_ctx *ctx, const char *identity,
				  struct ses_policy **v, size_t *n, struct sc_error *err);
enum sc_status sesv2_delete_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, struct sc_error *err);
/* out->region = ctx->region, out->fetched = now. */
enum sc_status sesv2_get_account(const struct ses_ctx *ctx, struct ses_account *out,
				 struct sc_error *err);
enum sc_status sesv2_put_account_sending(const struct ses_ctx *ctx, bool enabled,
					 struct sc_error *err);
enum sc_status sesv2_put_account_details(const struct ses_ctx *ctx,
					 const struct sesv2_account_details *d,
					 struct sc_error *err);
/* One page (f->next_token / *next_token drive paging). */
enum sc_status sesv2_list_suppressed(const struct ses_ctx *ctx,
				     const struct sesv2_suppression_filter *f,
				     struct ses_suppressed **v, size_t *n, char **next_token,
				     struct sc_error *err);
enum sc_status sesv2_get_suppressed(const struct ses_ctx *ctx, const char *email,
				    struct ses_suppressed *out, struct sc_error *err);
enum sc_status sesv2_put_suppressed(const struct ses_ctx *ctx, const char *email,
				    const char *reason, struct sc_error *err);
enum sc_status sesv2_delete_suppressed(const struct ses_ctx *ctx, const char *email,
				       struct sc_error *err);
/* All pages. */
enum sc_status sesv2_list_config_sets(const struct ses_ctx *ctx, char ***v, size_t *n,
				      struct sc_error *err);
enum sc_status sesv2_get_config_set(const struct ses_ctx *ctx, const char *name,
				    struct ses_config_set *out, struct sc_error *err);
enum sc_status sesv2_put_config_set_sending(const struct ses_ctx *ctx, const char *name,
					    bool enabled, struct sc_error *err);
enum sc_status sesv2_batch_get_metric_data(const struct ses_ctx *ctx,
					   const struct sesv2_metric_query *q, size_t nq,
					   struct sesv2_metric_result **v, size_t *n,
					   struct sc_error *err);
/* Never retried (a retry could send twice). */
enum sc_status sesv2_send_email(const struct ses_ctx *ctx, const struct sesv2_simple_email *m,
				char **message_id, struct sc_error *err);

#endif

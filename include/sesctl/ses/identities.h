#ifndef SESCTL_SES_IDENTITIES_H
#define SESCTL_SES_IDENTITIES_H

/*
 * SES identities (domains and addresses): create, read, delete, DKIM, MAIL FROM, feedback forwarding, sending authorisation policies, legacy verification tokens.
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>

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
void sesv2_policies_free(struct ses_policy *v, size_t n);
void sesv2_strv_free(char **v, size_t n);
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
/* Legacy verification (GetIdentityVerificationAttributes). */
struct sesv1_verification {
	char *identity;
	char *status;     /* Pending | Success | Failed | TemporaryFailure | NotStarted (raw) */
	char *token;      /* the _amazonses TXT value; NULL when absent */
};
void sesv1_verifications_free(struct sesv1_verification *v, size_t n);
/* 1..100 identities */
enum sc_status sesv1_build_get_identity_verification_attributes(struct ses_request *r,
								const char *const *ids, size_t n,
								struct sc_error *err);
/* Required: VerificationAttributes; each entry's key and VerificationStatus. */
enum sc_status sesv1_parse_get_identity_verification_attributes(const char *body, size_t len,
								struct sesv1_verification **v,
								size_t *n, struct sc_error *err);
enum sc_status sesv1_get_identity_verification_attributes(const struct ses_ctx *ctx,
							  const char *const *ids, size_t n,
							  struct sesv1_verification **v,
							  size_t *nv, struct sc_error *err);

#endif

#ifndef SESCTL_SES_ACCOUNT_H
#define SESCTL_SES_ACCOUNT_H

/*
 * SES the account: details, sending switch, quota and send statistics.
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

struct sesv2_account_details {
	const char *mail_type;            /* MARKETING | TRANSACTIONAL (required) */
	const char *website_url;          /* required */
	const char *use_case_description; /* optional in newer models */
	const char *contact_language;     /* EN | JA, optional */
	const char *const *additional_contacts;
	size_t n_additional_contacts;     /* 0..4 */
	int production_access;            /* -1 = leave out, 0 = false, 1 = true */
};
void sesv2_build_get_account(struct ses_request *r);
void sesv2_build_put_account_sending(struct ses_request *r, bool enabled);
enum sc_status sesv2_build_put_account_details(struct ses_request *r,
					       const struct sesv2_account_details *d,
					       struct sc_error *err);
/* Required: SendingEnabled, SendQuota.Max24HourSend, SendQuota.MaxSendRate,
 * SendQuota.SentLast24Hours. ProductionAccessEnabled absent = sandbox. */
enum sc_status sesv2_parse_get_account(const char *body, size_t len, struct ses_account *out,
				       struct sc_error *err);
/* out->region = ctx->region, out->fetched = now. */
enum sc_status sesv2_get_account(const struct ses_ctx *ctx, struct ses_account *out,
				 struct sc_error *err);
enum sc_status sesv2_put_account_sending(const struct ses_ctx *ctx, bool enabled,
					 struct sc_error *err);
enum sc_status sesv2_put_account_details(const struct ses_ctx *ctx,
					 const struct sesv2_account_details *d,
					 struct sc_error *err);
void sesv1_build_get_send_statistics(struct ses_request *r);
void sesv1_build_get_send_quota(struct ses_request *r);
void sesv1_build_get_account_sending_enabled(struct ses_request *r);
void sesv1_build_update_account_sending_enabled(struct ses_request *r, bool enabled);
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
enum sc_status sesv1_get_send_statistics(const struct ses_ctx *ctx, struct ses_send_point **v,
					 size_t *n, struct sc_error *err);
enum sc_status sesv1_get_send_quota(const struct ses_ctx *ctx, struct ses_account *out,
				    struct sc_error *err);
enum sc_status sesv1_get_account_sending_enabled(const struct ses_ctx *ctx, bool *enabled,
						 struct sc_error *err);
enum sc_status sesv1_update_account_sending_enabled(const struct ses_ctx *ctx, bool enabled,
						    struct sc_error *err);

#endif

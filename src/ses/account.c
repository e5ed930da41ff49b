/* The account: sending attributes, quota, production access (SESv2); send statistics, quota and the account sending switch (v1). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v1_impl.h"
#include "v2_impl.h"

void sesv2_build_get_account(struct ses_request *r)
{
	ses_request_init(r, SES_SVC_SESV2, "GetAccount", "GET");
	sesv2_path_with(r, "account", NULL, NULL);
}

void sesv2_build_put_account_sending(struct ses_request *r, bool enabled)
{
	ses_request_init(r, SES_SVC_SESV2, "PutAccountSendingAttributes", "PUT");
	sesv2_path_with(r, "account", NULL, "/sending");
	sesv2_json_bool_body(r, "SendingEnabled", enabled);
}

enum sc_status sesv2_build_put_account_details(struct ses_request *r,
					       const struct sesv2_account_details *d,
					       struct sc_error *err)
{
	const char *op = "PutAccountDetails";
	enum sc_status st = sesv2_need(err, op, "mail type", d ? d->mail_type : NULL);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = sesv2_need(err, op, "website URL", d->website_url);
	if (st == SC_OK && d->n_additional_contacts > 4)
		st = sc_fail(err, SC_USAGE, "%s: at most 4 additional contacts are allowed", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, "account", NULL, "/details");
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "MailType", d->mail_type);
	ses_json_kv(&r->body, "WebsiteURL", d->website_url);
	ses_json_kv(&r->body, "ContactLanguage", d->contact_language);
	ses_json_kv(&r->body, "UseCaseDescription", d->use_case_description);
	if (d->n_additional_contacts) {
		ses_json_key(&r->body, "AdditionalContactEmailAddresses");
		ses_json_open(&r->body, '[');
		for (size_t i = 0; i < d->n_additional_contacts; i++)
			ses_json_str(&r->body, d->additional_contacts[i]);
		ses_json_close(&r->body, ']');
	}
	if (d->production_access >= 0) {
		ses_json_key(&r->body, "ProductionAccessEnabled");
		ses_json_bool(&r->body, d->production_access > 0);
	}
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_parse_get_account(const char *body, size_t len, struct ses_account *out,
				       struct sc_error *err)
{
	struct jr r = {"GetAccount", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *quota, *details, *review, *vdm;
	char *vdm_enabled;

	ses_account_free(out);
	if (!root)
		return r.st;
	jr_bool(&r, root, "SendingEnabled", JR_REQUIRED, &out->sending_enabled);
	jr_bool(&r, root, "ProductionAccessEnabled", JR_OPTIONAL, &out->production_access);
	jr_bool(&r, root, "DedicatedIpAutoWarmupEnabled", JR_OPTIONAL,
		&out->dedicated_ip_auto_warmup);
	out->enforcement_status = jr_str(&r, root, "EnforcementStatus", JR_OPTIONAL);
	quota = jr_obj(&r, root, "SendQuota", JR_REQUIRED);
	r.scope = "SendQuota";
	/* -1 is SES's "unlimited" Max24HourSend */
	jr_double_in(&r, quota, "Max24HourSend", JR_REQUIRED, -1, SES_QUOTA_MAX, &out->max_24h_send);
	jr_double_in(&r, quota, "MaxSendRate", JR_REQUIRED, 0, SES_QUOTA_MAX, &out->max_send_rate);
	jr_double_in(&r, quota, "SentLast24Hours", JR_REQUIRED, 0, SES_QUOTA_MAX,
		     &out->sent_last_24h);
	r.scope = NULL;
	out->suppressed_reasons = jr_strv(&r, jr_obj(&r, root, "SuppressionAttributes",
						     JR_OPTIONAL),
					  "SuppressedReasons", JR_OPTIONAL,
					  &out->n_suppressed_reasons);
	details = jr_obj(&r, root, "Details", JR_OPTIONAL);
	out->mail_type = jr_str(&r, details, "MailType", JR_OPTIONAL);
	out->website_url = jr_str(&r, details, "WebsiteURL", JR_OPTIONAL);
	out->contact_language = jr_str(&r, details, "ContactLanguage", JR_OPTIONAL);
	out->use_case_description = jr_str(&r, details, "UseCaseDescription", JR_OPTIONAL);
	review = jr_obj(&r, details, "ReviewDetails", JR_OPTIONAL);
	out->review_status = jr_str(&r, review, "Status", JR_OPTIONAL);
	out->review_case_id = jr_str(&r, review, "CaseId", JR_OPTIONAL);
	vdm = jr_obj(&r, root, "VdmAttributes", JR_OPTIONAL);
	vdm_enabled = jr_str(&r, vdm, "VdmEnabled", JR_OPTIONAL);
	out->vdm_enabled = vdm_enabled && !strcmp(vdm_enabled, "ENABLED");
	free(vdm_enabled);
	if (r.st != SC_OK)
		ses_account_free(out);
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_get_account(const struct ses_ctx *ctx, struct ses_account *out,
				 struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv2_build_get_account(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_account(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	if (st == SC_OK) {
		out->region = ctx->region ? xstrdup(ctx->region) : NULL;
		out->fetched = time(NULL);
	}
	return st;
}

enum sc_status sesv2_put_account_sending(const struct ses_ctx *ctx, bool enabled,
					 struct sc_error *err)
{
	struct ses_request r;

	sesv2_build_put_account_sending(&r, enabled);
	return sesv2_send_only(ctx, &r, SC_OK, err);
}

enum sc_status sesv2_put_account_details(const struct ses_ctx *ctx,
					 const struct sesv2_account_details *d,
					 struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_account_details(&r, d, err), err);
}

void sesv1_build_get_send_statistics(struct ses_request *r)
{
	sesv1_query(r, "GetSendStatistics");
}

void sesv1_build_get_send_quota(struct ses_request *r)
{
	sesv1_query(r, "GetSendQuota");
}

void sesv1_build_get_account_sending_enabled(struct ses_request *r)
{
	sesv1_query(r, "GetAccountSendingEnabled");
}

void sesv1_build_update_account_sending_enabled(struct ses_request *r, bool enabled)
{
	sesv1_query(r, "UpdateAccountSendingEnabled");
	ses_param_add(&r->body, "Enabled", enabled ? "true" : "false");
}

static int send_point_cmp(const void *a, const void *b)
{
	const struct ses_send_point *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

/* A send-statistics counter: absent is 0; negative, fractional or beyond 2^53 is a bad
 * reply (9223372036854775807 attempts overflowed the day's sum and showed as -9.2e18). */
static enum sc_status counter(const xmlNode *m, const char *name, int64_t *out, const char *op,
			      struct sc_error *err)
{
	return xr_int64_in(m, name, false, 0, (int64_t)SES_COUNT_MAX, out, op, err);
}

enum sc_status sesv1_parse_get_send_statistics(const char *body, size_t len,
					       struct ses_send_point **v, size_t *n,
					       struct sc_error *err)
{
	const char *op = "GetSendStatistics";
	xmlNode *result, *list;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	enum sc_status st;

	*v = NULL;
	*n = 0;
	if (!doc)
		return SC_BAD_REPLY;
	list = xml_child(result, "SendDataPoints");
	if (!list) {
		xml_free(doc);
		return xr_fail_field(err, op, "SendDataPoints");
	}
	*v = xcalloc(xml_count(list, "member") + 1, sizeof(**v));
	for (xmlNode *m = xml_next(list, NULL, "member"); m; m = xml_next(list, m, "member")) {
		struct ses_send_point *p = &(*v)[*n];

		if (!xml_path_time(m, "Timestamp", &p->ts)) {
			free(*v);
			*v = NULL;
			*n = 0;
			xml_free(doc);
			return xr_fail_field(err, op, "SendDataPoints.member.Timestamp");
		}
		st = counter(m, "DeliveryAttempts", &p->delivery_attempts, op, err);
		if (!st)
			st = counter(m, "Bounces", &p->bounces, op, err);
		if (!st)
			st = counter(m, "Complaints", &p->complaints, op, err);
		if (!st)
			st = counter(m, "Rejects", &p->rejects, op, err);
		if (st) {
			free(*v);
			*v = NULL;
			*n = 0;
			xml_free(doc);
			return st;
		}
		(*n)++;
	}
	xml_free(doc);
	qsort(*v, *n, sizeof(**v), send_point_cmp);
	return SC_OK;
}

enum sc_status sesv1_parse_get_send_quota(const char *body, size_t len, struct ses_account *out,
					  struct sc_error *err)
{
	const char *op = "GetSendQuota";
	xmlNode *result;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	double max24 = 0, rate = 0, sent = 0;
	enum sc_status st;

	if (!doc)
		return SC_BAD_REPLY;
	st = xr_double_in(result, "Max24HourSend", true, -1, SES_QUOTA_MAX, &max24, op, err);
	if (!st)
		st = xr_double_in(result, "MaxSendRate", true, 0, SES_QUOTA_MAX, &rate, op, err);
	if (!st)
		st = xr_double_in(result, "SentLast24Hours", true, 0, SES_QUOTA_MAX, &sent, op,
				  err);
	xml_free(doc);
	if (st)
		return st;
	out->max_24h_send = max24;
	out->max_send_rate = rate;
	out->sent_last_24h = sent;
	return SC_OK;
}

enum sc_status sesv1_parse_get_account_sending_enabled(const char *body, size_t len,
						       bool *enabled, struct sc_error *err)
{
	const char *op = "GetAccountSendingEnabled";
	xmlNode *result;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	bool ok;

	if (!doc)
		return SC_BAD_REPLY;
	ok = xml_path_bool(result, "Enabled", enabled);
	xml_free(doc);
	return ok ? SC_OK : xr_fail_field(err, op, "Enabled");
}

enum sc_status sesv1_get_send_statistics(const struct ses_ctx *ctx, struct ses_send_point **v,
					 size_t *n, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	*v = NULL;
	*n = 0;
	sesv1_build_get_send_statistics(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_get_send_statistics(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv1_get_send_quota(const struct ses_ctx *ctx, struct ses_account *out,
				    struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv1_build_get_send_quota(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_get_send_quota(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv1_get_account_sending_enabled(const struct ses_ctx *ctx, bool *enabled,
						 struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv1_build_get_account_sending_enabled(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_get_account_sending_enabled(reply.body.data, reply.body.len, enabled,
						     err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv1_update_account_sending_enabled(const struct ses_ctx *ctx, bool enabled,
						    struct sc_error *err)
{
	struct ses_request r;

	sesv1_build_update_account_sending_enabled(&r, enabled);
	return sesv1_send_empty(ctx, &r, SC_OK, err);
}

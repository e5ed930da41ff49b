#include "sesctl/ses/sesv2.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

#define JSON_TYPE "application/json"

/* ---- small shared pieces ---- */

static enum sc_status need(struct sc_error *err, const char *op, const char *what, const char *v)
{
	if (!v || !*v)
		return sc_fail(err, SC_USAGE, "%s: the %s is empty", op, what);
	return SC_OK;
}

/* /v2/email/<collection>/<segment><suffix> */
static void path_with(struct ses_request *r, const char *collection, const char *segment,
		      const char *suffix)
{
	buf_puts(&r->path, "/v2/email/");
	buf_puts(&r->path, collection);
	if (segment) {
		buf_putc(&r->path, '/');
		aws_path_append(&r->path, segment);
	}
	if (suffix)
		buf_puts(&r->path, suffix);
}

static enum sc_status identity_request(struct ses_request *r, const char *op, const char *method,
				       const char *identity, const char *suffix,
				       struct sc_error *err)
{
	enum sc_status st = need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	path_with(r, "identities", identity, suffix);
	return SC_OK;
}

static void json_begin(struct ses_request *r)
{
	r->content_type = JSON_TYPE;
	ses_json_open(&r->body, '{');
}

static void json_bool_body(struct ses_request *r, const char *key, bool v)
{
	json_begin(r);
	ses_json_key(&r->body, key);
	ses_json_bool(&r->body, v);
	ses_json_close(&r->body, '}');
}

static void set_token(char **next_token, char *tok)
{
	if (!next_token) {
		free(tok);
		return;
	}
	free(*next_token);
	*next_token = tok;
}

void sesv2_strv_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

void sesv2_policies_free(struct ses_policy *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].name);
		free(v[i].document);
	}
	free(v);
}

void sesv2_suppressed_list_free(struct ses_suppressed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_suppressed_free(&v[i]);
	free(v);
}

void sesv2_metric_results_free(struct sesv2_metric_result *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].id);
		free(v[i].points);
		free(v[i].error_code);
		free(v[i].error_message);
	}
	free(v);
}

/* ---- builders ---- */

enum sc_status sesv2_build_list_email_identities(struct ses_request *r, const char *next_token,
						 int page_size, struct sc_error *err)
{
	char n[16];

	memset(r, 0, sizeof(*r));
	if (page_size < 0 || page_size > 1000)
		return sc_fail(err, SC_USAGE, "ListEmailIdentities: the page size must be 0 to 1000");
	ses_request_init(r, SES_SVC_SESV2, "ListEmailIdentities", "GET");
	path_with(r, "identities", NULL, NULL);
	if (next_token && *next_token)
		ses_param_add(&r->query, "NextToken", next_token);
	if (page_size) {
		snprintf(n, sizeof(n), "%d", page_size);
		ses_param_add(&r->query, "PageSize", n);
	}
	return SC_OK;
}

enum sc_status sesv2_build_get_email_identity(struct ses_request *r, const char *identity,
					      struct sc_error *err)
{
	return identity_request(r, "GetEmailIdentity", "GET", identity, NULL, err);
}

static void dkim_signing_json(struct buf *b, const struct sesv2_dkim_signing *d)
{
	ses_json_open(b, '{');
	ses_json_kv(b, "DomainSigningSelector", d->selector);
	ses_json_kv(b, "DomainSigningPrivateKey", d->private_key);
	ses_json_kv(b, "NextSigningKeyLength", d->next_key_length);
	ses_json_close(b, '}');
}

static bool dkim_is_set(const struct sesv2_dkim_signing *d)
{
	return d && (d->selector || d->private_key || d->next_key_length);
}

static enum sc_status check_dkim(const char *op, const struct sesv2_dkim_signing *d,
				 struct sc_error *err)
{
	if (!dkim_is_set(d))
		return SC_OK;
	if (!d->selector != !d->private_key)
		return sc_fail(err, SC_USAGE,
			       "%s: BYODKIM needs both a selector and a private key", op);
	if (d->selector && (!*d->selector || strlen(d->selector) > 63))
		return sc_fail(err, SC_USAGE, "%s: the DKIM selector must be 1 to 63 characters",
			       op);
	if (d->private_key && (!*d->private_key || strlen(d->private_key) > 20480))
		return sc_fail(err, SC_USAGE,
			       "%s: the DKIM private key must be 1 to 20480 base64 characters", op);
	return SC_OK;
}

static size_t len_or0(const char *s)
{
	return s ? strlen(s) : 0;
}

/* Room for the whole body up front (JSON escaping grows text at most 6x), so a realloc
 * never leaves a copy of the private key behind in freed memory. */
static void reserve_secret(struct ses_request *r, const struct sesv2_dkim_signing *d,
			   const char *identity, const char *extra)
{
	if (d && d->private_key) {
		r->secret = true;
		buf_reserve(&r->body, 6 * (len_or0(d->private_key) + len_or0(d->selector) +
					   len_or0(d->next_key_length) + len_or0(identity) +
					   len_or0(extra)) +
					      256);
	}
}

enum sc_status sesv2_build_create_email_identity(struct ses_request *r, const char *identity,
						 const struct sesv2_dkim_signing *dkim,
						 const char *config_set, struct sc_error *err)
{
	const char *op = "CreateEmailIdentity";
	enum sc_status st = need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_dkim(op, dkim, err);
	if (st != SC_OK)
		return st;
	if (dkim_is_set(dkim) && strchr(identity, '@'))
		return sc_fail(err, SC_USAGE, "%s: DKIM signing attributes apply to domains only",
			       op);
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	path_with(r, "identities", NULL, NULL);
	reserve_secret(r, dkim, identity, config_set);
	json_begin(r);
	ses_json_kv(&r->body, "EmailIdentity", identity);
	if (dkim_is_set(dkim)) {
		ses_json_key(&r->body, "DkimSigningAttributes");
		dkim_signing_json(&r->body, dkim);
	}
	ses_json_kv(&r->body, "ConfigurationSetName", config_set);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_delete_email_identity(struct ses_request *r, const char *identity,
						 struct sc_error *err)
{
	return identity_request(r, "DeleteEmailIdentity", "DELETE", identity, NULL, err);
}

enum sc_status sesv2_build_put_dkim_attributes(struct ses_request *r, const char *identity,
					       bool signing_enabled, struct sc_error *err)
{
	enum sc_status st = identity_request(r, "PutEmailIdentityDkimAttributes", "PUT", identity,
					     "/dkim", err);

	if (st == SC_OK)
		json_bool_body(r, "SigningEnabled", signing_enabled);
	return st;
}

enum sc_status sesv2_build_put_dkim_signing_attributes(struct ses_request *r, const char *identity,
						       const char *origin,
						       const struct sesv2_dkim_signing *dkim,
						       struct sc_error *err)
{
	const char *op = "PutEmailIdentityDkimSigningAttributes";
	enum sc_status st = need(err, op, "signing origin", origin);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_dkim(op, dkim, err);
	if (st == SC_OK && !strcmp(origin, "EXTERNAL") && !(dkim && dkim->private_key))
		st = sc_fail(err, SC_USAGE, "%s: BYODKIM needs a selector and a private key", op);
	if (st == SC_OK)
		st = identity_request(r, op, "PUT", identity, "/dkim/signing", err);
	if (st != SC_OK)
		return st;
	reserve_secret(r, dkim, origin, NULL);
	json_begin(r);
	ses_json_kv(&r->body, "SigningAttributesOrigin", origin);
	if (dkim_is_set(dkim)) {
		ses_json_key(&r->body, "SigningAttributes");
		dkim_signing_json(&r->body, dkim);
	}
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_put_mail_from_attributes(struct ses_request *r, const char *identity,
						    const char *mail_from_domain,
						    const char *behavior_on_mx_failure,
						    struct sc_error *err)
{
	enum sc_status st = identity_request(r, "PutEmailIdentityMailFromAttributes", "PUT",
					     identity, "/mail-from", err);

	if (st != SC_OK)
		return st;
	json_begin(r);
	if (mail_from_domain && *mail_from_domain)
		ses_json_kv(&r->body, "MailFromDomain", mail_from_domain);
	ses_json_kv(&r->body, "BehaviorOnMxFailure", behavior_on_mx_failure);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_put_feedback_attributes(struct ses_request *r, const char *identity,
						   bool forwarding_enabled, struct sc_error *err)
{
	enum sc_status st = identity_request(r, "PutEmailIdentityFeedbackAttributes", "PUT",
					     identity, "/feedback", err);

	if (st == SC_OK)
		json_bool_body(r, "EmailForwardingEnabled", forwarding_enabled);
	return st;
}

static bool policy_name_ok(const char *s)
{
	size_t n = strlen(s);

	if (!n || n > 64)
		return false;
	return strspn(s, "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789-_") == n;
}

static enum sc_status policy_request(struct ses_request *r, const char *op, const char *method,
				     const char *identity, const char *name, const char *json,
				     struct sc_error *err)
{
	enum sc_status st = need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!name || !policy_name_ok(name)))
		st = sc_fail(err, SC_USAGE,
			     "%s: a policy name is 1 to 64 letters, digits, '-' or '_'", op);
	if (st == SC_OK && json)
		st = need(err, op, "policy document", json);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	path_with(r, "identities", identity, "/policies/");
	aws_path_append(&r->path, name);
	if (json) {
		json_begin(r);
		ses_json_kv(&r->body, "Policy", json);
		ses_json_close(&r->body, '}');
	}
	return SC_OK;
}

enum sc_status sesv2_build_create_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, const char *policy_json,
					 struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!policy_json)
		return sc_fail(err, SC_USAGE, "CreateEmailIdentityPolicy: the policy is empty");
	return policy_request(r, "CreateEmailIdentityPolicy", "POST", identity, policy_name,
			      policy_json, err);
}

enum sc_status sesv2_build_update_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, const char *policy_json,
					 struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!policy_json)
		return sc_fail(err, SC_USAGE, "UpdateEmailIdentityPolicy: the policy is empty");
	return policy_request(r, "UpdateEmailIdentityPolicy", "PUT", identity, policy_name,
			      policy_json, err);
}

enum sc_status sesv2_build_get_policies(struct ses_request *r, const char *identity,
					struct sc_error *err)
{
	return identity_request(r, "GetEmailIdentityPolicies", "GET", identity, "/policies", err);
}

enum sc_status sesv2_build_delete_policy(struct ses_request *r, const char *identity,
					 const char *policy_name, struct sc_error *err)
{
	return policy_request(r, "DeleteEmailIdentityPolicy", "DELETE", identity, policy_name,
			      NULL, err);
}

void sesv2_build_get_account(struct ses_request *r)
{
	ses_request_init(r, SES_SVC_SESV2, "GetAccount", "GET");
	path_with(r, "account", NULL, NULL);
}

void sesv2_build_put_account_sending(struct ses_request *r, bool enabled)
{
	ses_request_init(r, SES_SVC_SESV2, "PutAccountSendingAttributes", "PUT");
	path_with(r, "account", NULL, "/sending");
	json_bool_body(r, "SendingEnabled", enabled);
}

enum sc_status sesv2_build_put_account_details(struct ses_request *r,
					       const struct sesv2_account_details *d,
					       struct sc_error *err)
{
	const char *op = "PutAccountDetails";
	enum sc_status st = need(err, op, "mail type", d ? d->mail_type : NULL);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = need(err, op, "website URL", d->website_url);
	if (st == SC_OK && d->n_additional_contacts > 4)
		st = sc_fail(err, SC_USAGE, "%s: at most 4 additional contacts are allowed", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	path_with(r, "account", NULL, "/details");
	json_begin(r);
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

void sesv2_build_list_suppressed(struct ses_request *r, const struct sesv2_suppression_filter *f)
{
	char tmp[32];

	ses_request_init(r, SES_SVC_SESV2, "ListSuppressedDestinations", "GET");
	path_with(r, "suppression/addresses", NULL, NULL);
	if (!f)
		return;
	if (f->bounce)
		ses_param_add(&r->query, "Reason", "BOUNCE");
	if (f->complaint)
		ses_param_add(&r->query, "Reason", "COMPLAINT");
	if (f->start) {
		ses_iso8601(f->start, tmp, sizeof(tmp));
		ses_param_add(&r->query, "StartDate", tmp);
	}
	if (f->end) {
		ses_iso8601(f->end, tmp, sizeof(tmp));
		ses_param_add(&r->query, "EndDate", tmp);
	}
	if (f->next_token && *f->next_token)
		ses_param_add(&r->query, "NextToken", f->next_token);
	if (f->page_size > 0) {
		snprintf(tmp, sizeof(tmp), "%d", f->page_size);
		ses_param_add(&r->query, "PageSize", tmp);
	}
}

static enum sc_status suppressed_request(struct ses_request *r, const char *op, const char *method,
					 const char *email, struct sc_error *err)
{
	enum sc_status st = need(err, op, "email address", email);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	path_with(r, "suppression/addresses", email, NULL);
	return SC_OK;
}

enum sc_status sesv2_build_get_suppressed(struct ses_request *r, const char *email,
					  struct sc_error *err)
{
	return suppressed_request(r, "GetSuppressedDestination", "GET", email, err);
}

enum sc_status sesv2_build_put_suppressed(struct ses_request *r, const char *email,
					  const char *reason, struct sc_error *err)
{
	const char *op = "PutSuppressedDestination";
	enum sc_status st = need(err, op, "email address", email);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!reason || (strcmp(reason, "BOUNCE") && strcmp(reason, "COMPLAINT"))))
		st = sc_fail(err, SC_USAGE, "%s: the reason must be BOUNCE or COMPLAINT", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "PUT");
	path_with(r, "suppression/addresses", NULL, NULL);
	json_begin(r);
	ses_json_kv(&r->body, "EmailAddress", email);
	ses_json_kv(&r->body, "Reason", reason);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_delete_suppressed(struct ses_request *r, const char *email,
					     struct sc_error *err)
{
	return suppressed_request(r, "DeleteSuppressedDestination", "DELETE", email, err);
}

void sesv2_build_list_config_sets(struct ses_request *r, const char *next_token, int page_size)
{
	char n[16];

	ses_request_init(r, SES_SVC_SESV2, "ListConfigurationSets", "GET");
	path_with(r, "configuration-sets", NULL, NULL);
	if (next_token && *next_token)
		ses_param_add(&r->query, "NextToken", next_token);
	if (page_size > 0) {
		snprintf(n, sizeof(n), "%d", page_size);
		ses_param_add(&r->query, "PageSize", n);
	}
}

enum sc_status sesv2_build_get_config_set(struct ses_request *r, const char *name,
					  struct sc_error *err)
{
	enum sc_status st = need(err, "GetConfigurationSet", "configuration set name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "GetConfigurationSet", "GET");
	path_with(r, "configuration-sets", name, NULL);
	return SC_OK;
}

enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err)
{
	const char *op = "PutConfigurationSetSendingOptions";
	enum sc_status st = need(err, op, "configuration set name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "PUT");
	path_with(r, "configuration-sets", name, "/sending");
	json_bool_body(r, "SendingEnabled", enabled);
	return SC_OK;
}

static enum sc_status check_metric_query(const struct sesv2_metric_query *q, size_t i,
					 struct sc_error *err)
{
	const char *op = "BatchGetMetricData";

	if (!q->id || !*q->id || strlen(q->id) > 255)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs an id of 1 to 255 characters",
			       op, i + 1);
	if (!q->metric || !*q->metric)
		return sc_fail(err, SC_USAGE, "%s: query %zu has no metric", op, i + 1);
	if (!q->start || !q->end || q->end < q->start)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs a start before its end", op,
			       i + 1);
	if (!q->dimension != !q->dimension_value)
		return sc_fail(err, SC_USAGE, "%s: query %zu needs a dimension and its value",
			       op, i + 1);
	return SC_OK;
}

enum sc_status sesv2_build_batch_get_metric_data(struct ses_request *r,
						 const struct sesv2_metric_query *q, size_t n,
						 struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!q || !n || n > 10)
		return sc_fail(err, SC_USAGE, "BatchGetMetricData: give 1 to 10 queries");
	for (size_t i = 0; i < n; i++) {
		enum sc_status st = check_metric_query(&q[i], i, err);

		if (st != SC_OK)
			return st;
	}
	ses_request_init(r, SES_SVC_SESV2, "BatchGetMetricData", "POST");
	buf_puts(&r->path, "/v2/email/metrics/batch");
	json_begin(r);
	ses_json_key(&r->body, "Queries");
	ses_json_open(&r->body, '[');
	for (size_t i = 0; i < n; i++) {
		ses_json_open(&r->body, '{');
		ses_json_kv(&r->body, "Id", q[i].id);
		ses_json_kv(&r->body, "Namespace", "VDM");
		ses_json_kv(&r->body, "Metric", q[i].metric);
		if (q[i].dimension) {
			ses_json_key(&r->body, "Dimensions");
			ses_json_open(&r->body, '{');
			ses_json_kv(&r->body, q[i].dimension, q[i].dimension_value);
			ses_json_close(&r->body, '}');
		}
		ses_json_key(&r->body, "StartDate");
		ses_json_num(&r->body, (double)q[i].start);
		ses_json_key(&r->body, "EndDate");
		ses_json_num(&r->body, (double)q[i].end);
		ses_json_close(&r->body, '}');
	}
	ses_json_close(&r->body, ']');
	ses_json_close(&r->body, '}');
	return SC_OK;
}

static void json_text(struct buf *b, const char *key, const char *data)
{
	ses_json_key(b, key);
	ses_json_open(b, '{');
	ses_json_kv(b, "Data", data);
	ses_json_kv(b, "Charset", "UTF-8");
	ses_json_close(b, '}');
}

enum sc_status sesv2_build_send_email(struct ses_request *r, const struct sesv2_simple_email *m,
				      struct sc_error *err)
{
	const char *op = "SendEmail";
	enum sc_status st = need(err, op, "sender address", m ? m->from : NULL);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = need(err, op, "recipient address", m->to);
	if (st == SC_OK)
		st = need(err, op, "subject", m->subject);
	if (st == SC_OK && !m->text)
		st = sc_fail(err, SC_USAGE, "%s: the message has no body text", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	r->no_retry = true;
	buf_puts(&r->path, "/v2/email/outbound-emails");
	json_begin(r);
	ses_json_kv(&r->body, "FromEmailAddress", m->from);
	ses_json_key(&r->body, "Destination");
	ses_json_open(&r->body, '{');
	ses_json_key(&r->body, "ToAddresses");
	ses_json_open(&r->body, '[');
	ses_json_str(&r->body, m->to);
	ses_json_close(&r->body, ']');
	ses_json_close(&r->body, '}');
	ses_json_key(&r->body, "Content");
	ses_json_open(&r->body, '{');
	ses_json_key(&r->body, "Simple");
	ses_json_open(&r->body, '{');
	json_text(&r->body, "Subject", m->subject);
	ses_json_key(&r->body, "Body");
	ses_json_open(&r->body, '{');
	json_text(&r->body, "Text", m->text);
	ses_json_close(&r->body, '}');
	ses_json_close(&r->body, '}');
	ses_json_close(&r->body, '}');
	ses_json_kv(&r->body, "ConfigurationSetName", m->config_set);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* ---- parsers ---- */

static enum sc_status finish(struct jr *r, cJSON *root)
{
	cJSON_Delete(root);
	return r->st;
}

enum sc_status sesv2_parse_list_email_identities(const char *body, size_t len,
						 struct ses_identity **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	struct jr r = {"ListEmailIdentities", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "EmailIdentities", JR_REQUIRED), *it;
	size_t base = *n;

	if (r.st != SC_OK)
		return finish(&r, root);
	*v = xrealloc(*v, (base + (size_t)cJSON_GetArraySize(arr) + 1) * sizeof(**v));
	r.scope = "EmailIdentities[]";
	cJSON_ArrayForEach(it, arr) {
		struct ses_identity *x = &(*v)[*n];

		memset(x, 0, sizeof(*x));
		x->name = jr_str(&r, it, "IdentityName", JR_REQUIRED);
		if (r.st != SC_OK)
			break;
		x->type = jr_str(&r, it, "IdentityType", JR_OPTIONAL);
		x->verification_status = jr_str(&r, it, "VerificationStatus", JR_OPTIONAL);
		jr_bool(&r, it, "SendingEnabled", JR_OPTIONAL, &x->sending_enabled);
		(*n)++;
	}
	if (r.st != SC_OK) {
		while (*n > base)
			ses_identity_free(&(*v)[--(*n)]);
		return finish(&r, root);
	}
	r.scope = NULL;
	set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return finish(&r, root);
}

static void parse_dkim(struct jr *r, const cJSON *d, struct ses_identity *out)
{
	if (!d)
		return;
	r->scope = "DkimAttributes";
	jr_bool(r, d, "SigningEnabled", JR_OPTIONAL, &out->dkim_signing_enabled);
	out->dkim_status = jr_str(r, d, "Status", JR_OPTIONAL);
	out->dkim_tokens = jr_strv(r, d, "Tokens", JR_OPTIONAL, &out->n_dkim_tokens);
	out->dkim_origin = jr_str(r, d, "SigningAttributesOrigin", JR_OPTIONAL);
	out->dkim_next_key_length = jr_str(r, d, "NextSigningKeyLength", JR_OPTIONAL);
	out->dkim_current_key_length = jr_str(r, d, "CurrentSigningKeyLength", JR_OPTIONAL);
	jr_time(r, d, "LastKeyGenerationTimestamp", JR_OPTIONAL, &out->dkim_last_key_generation);
	r->scope = NULL;
}

static void parse_mail_from(struct jr *r, const cJSON *m, struct ses_identity *out)
{
	if (!m)
		return;
	r->scope = "MailFromAttributes";
	out->mail_from_domain = jr_str(r, m, "MailFromDomain", JR_REQUIRED);
	out->mail_from_status = jr_str(r, m, "MailFromDomainStatus", JR_REQUIRED);
	out->mail_from_on_mx_failure = jr_str(r, m, "BehaviorOnMxFailure", JR_REQUIRED);
	r->scope = NULL;
}

static struct ses_policy *parse_policy_map(const cJSON *map, size_t *n)
{
	struct ses_policy *v;
	const cJSON *it;
	size_t k = 0;

	*n = 0;
	if (!map || !cJSON_GetArraySize(map))
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(map), sizeof(*v));
	cJSON_ArrayForEach(it, map) {
		if (!cJSON_IsString(it) || !it->string)
			continue;
		v[k].name = xstrdup(it->string);
		v[k].document = xstrdup(it->valuestring);
		k++;
	}
	*n = k;
	if (!k) {
		free(v);
		return NULL;
	}
	return v;
}

static struct ses_tag *parse_tags(struct jr *r, const cJSON *obj, size_t *n)
{
	const cJSON *arr = jr_arr(r, obj, "Tags", JR_OPTIONAL), *it;
	struct ses_tag *v;
	size_t k = 0;

	*n = 0;
	if (!arr || !cJSON_GetArraySize(arr))
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(*v));
	cJSON_ArrayForEach(it, arr) {
		const cJSON *key = jr_get(it, "Key"), *val = jr_get(it, "Value");

		if (!cJSON_IsString(key))
			continue;
		v[k].key = xstrdup(key->valuestring);
		v[k].value = xstrdup(cJSON_IsString(val) ? val->valuestring : "");
		k++;
	}
	*n = k;
	if (!k) {
		free(v);
		return NULL;
	}
	return v;
}

/* Keep out->name, free and zero the rest. */
static void identity_reset(struct ses_identity *out)
{
	char *name = out->name;

	out->name = NULL;
	ses_identity_free(out);
	out->name = name;
}

enum sc_status sesv2_parse_get_email_identity(const char *body, size_t len,
					      struct ses_identity *out, struct sc_error *err)
{
	struct jr r = {"GetEmailIdentity", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *info;

	identity_reset(out);
	if (!root)
		return r.st;
	out->type = jr_str(&r, root, "IdentityType", JR_REQUIRED);
	jr_bool(&r, root, "FeedbackForwardingStatus", JR_OPTIONAL, &out->feedback_forwarding);
	jr_bool(&r, root, "VerifiedForSendingStatus", JR_OPTIONAL, &out->verified_for_sending);
	out->verification_status = jr_str(&r, root, "VerificationStatus", JR_OPTIONAL);
	parse_dkim(&r, jr_obj(&r, root, "DkimAttributes", JR_OPTIONAL), out);
	parse_mail_from(&r, jr_obj(&r, root, "MailFromAttributes", JR_OPTIONAL), out);
	out->policies = parse_policy_map(jr_obj(&r, root, "Policies", JR_OPTIONAL),
					 &out->n_policies);
	out->tags = parse_tags(&r, root, &out->n_tags);
	out->configuration_set = jr_str(&r, root, "ConfigurationSetName", JR_OPTIONAL);
	info = jr_obj(&r, root, "VerificationInfo", JR_OPTIONAL);
	out->verification_error = jr_str(&r, info, "ErrorType", JR_OPTIONAL);
	jr_time(&r, info, "LastCheckedTimestamp", JR_OPTIONAL, &out->verification_last_checked);
	/* SendingEnabled is not in this reply; a verified identity can send. */
	out->sending_enabled = out->verified_for_sending;
	out->has_details = true;
	if (r.st != SC_OK)
		identity_reset(out);
	return finish(&r, root);
}

enum sc_status sesv2_parse_create_email_identity(const char *body, size_t len,
						 struct ses_identity *out, struct sc_error *err)
{
	struct jr r = {"CreateEmailIdentity", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	identity_reset(out);
	if (!root)
		return r.st;
	out->type = jr_str(&r, root, "IdentityType", JR_REQUIRED);
	jr_bool(&r, root, "VerifiedForSendingStatus", JR_OPTIONAL, &out->verified_for_sending);
	parse_dkim(&r, jr_obj(&r, root, "DkimAttributes", JR_OPTIONAL), out);
	if (r.st != SC_OK)
		identity_reset(out);
	return finish(&r, root);
}

enum sc_status sesv2_parse_put_dkim_signing_attributes(const char *body, size_t len,
						       struct ses_identity *out,
						       struct sc_error *err)
{
	struct jr r = {"PutEmailIdentityDkimSigningAttributes", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	char *status;

	if (!root)
		return r.st;
	status = jr_str(&r, root, "DkimStatus", JR_REQUIRED);
	if (r.st != SC_OK)
		return finish(&r, root);
	free(out->dkim_status);
	out->dkim_status = status;
	sesv2_strv_free(out->dkim_tokens, out->n_dkim_tokens);
	out->dkim_tokens = jr_strv(&r, root, "DkimTokens", JR_OPTIONAL, &out->n_dkim_tokens);
	return finish(&r, root);
}

enum sc_status sesv2_parse_get_policies(const char *body, size_t len, struct ses_policy **v,
					size_t *n, struct sc_error *err)
{
	struct jr r = {"GetEmailIdentityPolicies", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *map = jr_obj(&r, root, "Policies", JR_REQUIRED);

	*v = NULL;
	*n = 0;
	if (r.st == SC_OK)
		*v = parse_policy_map(map, n);
	return finish(&r, root);
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
	jr_double(&r, quota, "Max24HourSend", JR_REQUIRED, &out->max_24h_send);
	jr_double(&r, quota, "MaxSendRate", JR_REQUIRED, &out->max_send_rate);
	jr_double(&r, quota, "SentLast24Hours", JR_REQUIRED, &out->sent_last_24h);
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
	return finish(&r, root);
}

static void parse_suppressed(struct jr *r, const cJSON *it, struct ses_suppressed *x)
{
	x->email = jr_str(r, it, "EmailAddress", JR_REQUIRED);
	x->reason = jr_str(r, it, "Reason", JR_REQUIRED);
	jr_time(r, it, "LastUpdateTime", JR_OPTIONAL, &x->last_update);
}

enum sc_status sesv2_parse_list_suppressed(const char *body, size_t len, struct ses_suppressed **v,
					   size_t *n, char **next_token, struct sc_error *err)
{
	struct jr r = {"ListSuppressedDestinations", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "SuppressedDestinationSummaries", JR_REQUIRED), *it;
	size_t base = *n;

	if (r.st != SC_OK)
		return finish(&r, root);
	*v = xrealloc(*v, (base + (size_t)cJSON_GetArraySize(arr) + 1) * sizeof(**v));
	r.scope = "SuppressedDestinationSummaries[]";
	cJSON_ArrayForEach(it, arr) {
		struct ses_suppressed *x = &(*v)[(*n)++];

		memset(x, 0, sizeof(*x));
		parse_suppressed(&r, it, x);
		if (r.st != SC_OK)
			break;
	}
	if (r.st != SC_OK) {
		while (*n > base)
			ses_suppressed_free(&(*v)[--(*n)]);
		return finish(&r, root);
	}
	r.scope = NULL;
	set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return finish(&r, root);
}

enum sc_status sesv2_parse_get_suppressed(const char *body, size_t len, struct ses_suppressed *out,
					  struct sc_error *err)
{
	struct jr r = {"GetSuppressedDestination", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *d = jr_obj(&r, root, "SuppressedDestination", JR_REQUIRED), *attrs;

	ses_suppressed_free(out);
	if (r.st != SC_OK)
		return finish(&r, root);
	r.scope = "SuppressedDestination";
	parse_suppressed(&r, d, out);
	attrs = jr_obj(&r, d, "Attributes", JR_OPTIONAL);
	out->message_id = jr_str(&r, attrs, "MessageId", JR_OPTIONAL);
	out->feedback_id = jr_str(&r, attrs, "FeedbackId", JR_OPTIONAL);
	if (r.st != SC_OK)
		ses_suppressed_free(out);
	return finish(&r, root);
}

enum sc_status sesv2_parse_list_config_sets(const char *body, size_t len, char ***v, size_t *n,
					    char **next_token, struct sc_error *err)
{
	struct jr r = {"ListConfigurationSets", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "ConfigurationSets", JR_REQUIRED), *it;

	if (r.st != SC_OK)
		return finish(&r, root);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it)) {
			jr_fail_field(&r, "ConfigurationSets[]");
			return finish(&r, root);
		}
	}
	*v = xrealloc(*v, (*n + (size_t)cJSON_GetArraySize(arr) + 1) * sizeof(**v));
	cJSON_ArrayForEach(it, arr)
		(*v)[(*n)++] = xstrdup(it->valuestring);
	set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return finish(&r, root);
}

/* moto answers {"SendingEnabled": {"SendingEnabled": true}} or {"SendingEnabled": {}}. */
static void parse_config_sending(const cJSON *opts, bool *out)
{
	const cJSON *v = jr_get(opts, "SendingEnabled");

	*out = true;
	if (cJSON_IsObject(v))
		v = jr_get(v, "SendingEnabled");
	if (cJSON_IsBool(v))
		*out = cJSON_IsTrue(v);
}

enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err)
{
	struct jr r = {"GetConfigurationSet", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *delivery, *rep;

	ses_config_set_free(out);
	if (!root)
		return r.st;
	out->name = jr_str(&r, root, "ConfigurationSetName", JR_REQUIRED);
	delivery = jr_obj(&r, root, "DeliveryOptions", JR_OPTIONAL);
	out->tls_policy = jr_str(&r, delivery, "TlsPolicy", JR_OPTIONAL);
	out->sending_pool = jr_str(&r, delivery, "SendingPoolName", JR_OPTIONAL);
	rep = jr_obj(&r, root, "ReputationOptions", JR_OPTIONAL);
	jr_bool(&r, rep, "ReputationMetricsEnabled", JR_OPTIONAL,
		&out->reputation_metrics_enabled);
	jr_time(&r, rep, "LastFreshStart", JR_OPTIONAL, &out->last_fresh_start);
	parse_config_sending(jr_obj(&r, root, "SendingOptions", JR_OPTIONAL),
			     &out->sending_enabled);
	out->suppressed_reasons = jr_strv(&r, jr_obj(&r, root, "SuppressionOptions", JR_OPTIONAL),
					  "SuppressedReasons", JR_OPTIONAL,
					  &out->n_suppressed_reasons);
	if (r.st != SC_OK)
		ses_config_set_free(out);
	return finish(&r, root);
}

static int point_cmp(const void *a, const void *b)
{
	const struct ses_metric_point *x = a, *y = b;

	return (x->ts > y->ts) - (x->ts < y->ts);
}

static void parse_metric_result(struct jr *r, const cJSON *it, struct sesv2_metric_result *x)
{
	const cJSON *ts, *vals, *t, *v;
	size_t k = 0;

	x->id = jr_str(r, it, "Id", JR_REQUIRED);
	ts = jr_arr(r, it, "Timestamps", JR_OPTIONAL);
	vals = jr_arr(r, it, "Values", JR_OPTIONAL);
	if (r->st != SC_OK)
		return;
	if (cJSON_GetArraySize(ts) != cJSON_GetArraySize(vals)) {
		jr_fail_field(r, "Values (not as many as Timestamps)");
		return;
	}
	if (!cJSON_GetArraySize(ts))
		return;
	x->points = xcalloc((size_t)cJSON_GetArraySize(ts), sizeof(*x->points));
	for (t = ts->child, v = vals->child; t && v; t = t->next, v = v->next, k++) {
		if (!jr_time_of(t, &x->points[k].ts) || !cJSON_IsNumber(v)) {
			jr_fail_field(r, "Timestamps/Values");
			return;
		}
		x->points[k].value = v->valuedouble;
	}
	x->n_points = k;
	qsort(x->points, k, sizeof(*x->points), point_cmp);
}

enum sc_status sesv2_parse_batch_get_metric_data(const char *body, size_t len,
						 struct sesv2_metric_result **v, size_t *n,
						 struct sc_error *err)
{
	struct jr r = {"BatchGetMetricData", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *res = jr_arr(&r, root, "Results", JR_REQUIRED);
	const cJSON *errs = jr_arr(&r, root, "Errors", JR_OPTIONAL), *it;
	size_t cap;

	*v = NULL;
	*n = 0;
	if (r.st != SC_OK)
		return finish(&r, root);
	cap = (size_t)cJSON_GetArraySize(res) + (size_t)cJSON_GetArraySize(errs) + 1;
	*v = xcalloc(cap, sizeof(**v));
	r.scope = "Results[]";
	cJSON_ArrayForEach(it, res) {
		parse_metric_result(&r, it, &(*v)[(*n)++]);
		if (r.st != SC_OK)
			break;
	}
	r.scope = "Errors[]";
	cJSON_ArrayForEach(it, errs) {
		struct sesv2_metric_result *x = &(*v)[(*n)++];

		if (r.st != SC_OK)
			break;
		x->id = jr_str(&r, it, "Id", JR_REQUIRED);
		x->error_code = jr_str(&r, it, "Code", JR_OPTIONAL);
		x->error_message = jr_str(&r, it, "Message", JR_OPTIONAL);
		if (!x->error_code)
			x->error_code = xstrdup("UNKNOWN");
	}
	if (r.st != SC_OK) {
		sesv2_metric_results_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return finish(&r, root);
}

enum sc_status sesv2_parse_send_email(const char *body, size_t len, char **message_id,
				      struct sc_error *err)
{
	struct jr r = {"SendEmail", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	*message_id = jr_str(&r, root, "MessageId", JR_REQUIRED);
	return finish(&r, root);
}

/* ---- calls ---- */

/* identity may be out->name itself: copy before freeing. */
static void set_name(struct ses_identity *out, const char *identity)
{
	char *name = xstrdup(identity);

	free(out->name);
	out->name = name;
}

/* Send r (freed here) and keep the 2xx reply for the parser. */
/* For operations whose reply carries nothing sesctl reads. */
static enum sc_status send_only(const struct ses_ctx *ctx, struct ses_request *r,
				enum sc_status built, struct sc_error *err)
{
	struct aws_reply reply;
	enum sc_status st;

	if (built != SC_OK)
		return built;
	st = ses_send(ctx, r, &reply, err);
	aws_reply_free(&reply);
	return st;
}

#define MAX_PAGES 100000

enum sc_status sesv2_list_email_identities(const struct ses_ctx *ctx, struct ses_identity **v,
					   size_t *n, struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	enum sc_status st = SC_OK;
	time_t now = time(NULL);
	int page_size = 1000;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < MAX_PAGES; page++) {
		struct ses_request r;
		struct aws_reply reply;

		st = sesv2_build_list_email_identities(&r, token, page_size, err);
		if (st == SC_OK)
			st = ses_send(ctx, &r, &reply, err);
		/* moto answers any PageSize with an HTML 500 (SC_UNSUPPORTED): once, go on
		 * with the service's default page size */
		if (st == SC_UNSUPPORTED && page == 0 && page_size) {
			page_size = 0;
			page--;
			st = SC_OK;
			sc_error_clear(err);
			continue;
		}
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = sesv2_parse_list_email_identities(reply.body.data, reply.body.len, v, n,
						       &token, err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_same_token("ListEmailIdentities", prev, token, err);
		if (!token)
			break;
	}
	free(prev);
	free(token);
	if (st != SC_OK) {
		ses_identities_free(*v, *n);
		*v = NULL;
		*n = 0;
		return st;
	}
	for (size_t i = 0; i < *n; i++)
		(*v)[i].fetched = now;
	return SC_OK;
}

enum sc_status sesv2_get_email_identity(const struct ses_ctx *ctx, const char *identity,
					struct ses_identity *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_get_email_identity(&r, identity, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	set_name(out, identity);
	st = sesv2_parse_get_email_identity(reply.body.data, reply.body.len, out, err);
	out->fetched = time(NULL);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_create_email_identity(const struct ses_ctx *ctx, const char *identity,
					   const struct sesv2_dkim_signing *dkim,
					   const char *config_set, struct ses_identity *out,
					   struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_create_email_identity(&r, identity, dkim, config_set, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	if (out) {
		st = sesv2_parse_create_email_identity(reply.body.data, reply.body.len, out, err);
		set_name(out, identity);
	}
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_delete_email_identity(const struct ses_ctx *ctx, const char *identity,
					   struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_delete_email_identity(&r, identity, err), err);
}

enum sc_status sesv2_put_dkim_attributes(const struct ses_ctx *ctx, const char *identity,
					 bool signing_enabled, struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_put_dkim_attributes(&r, identity, signing_enabled,
								  err), err);
}

enum sc_status sesv2_put_dkim_signing_attributes(const struct ses_ctx *ctx, const char *identity,
						 const char *origin,
						 const struct sesv2_dkim_signing *dkim,
						 struct ses_identity *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_put_dkim_signing_attributes(&r, identity, origin, dkim,
								     err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	if (out)
		st = sesv2_parse_put_dkim_signing_attributes(reply.body.data, reply.body.len, out,
							     err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_put_mail_from_attributes(const struct ses_ctx *ctx, const char *identity,
					      const char *mail_from_domain,
					      const char *behavior_on_mx_failure,
					      struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r,
			 sesv2_build_put_mail_from_attributes(&r, identity, mail_from_domain,
							      behavior_on_mx_failure, err),
			 err);
}

enum sc_status sesv2_put_feedback_attributes(const struct ses_ctx *ctx, const char *identity,
					     bool forwarding_enabled, struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r,
			 sesv2_build_put_feedback_attributes(&r, identity, forwarding_enabled, err),
			 err);
}

enum sc_status sesv2_create_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r,
			 sesv2_build_create_policy(&r, identity, policy_name, policy_json, err),
			 err);
}

enum sc_status sesv2_update_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r,
			 sesv2_build_update_policy(&r, identity, policy_name, policy_json, err),
			 err);
}

enum sc_status sesv2_get_policies(const struct ses_ctx *ctx, const char *identity,
				  struct ses_policy **v, size_t *n, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_get_policies(&r, identity, err);

	*v = NULL;
	*n = 0;
	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_policies(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_delete_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_delete_policy(&r, identity, policy_name, err), err);
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
	return send_only(ctx, &r, SC_OK, err);
}

enum sc_status sesv2_put_account_details(const struct ses_ctx *ctx,
					 const struct sesv2_account_details *d,
					 struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_put_account_details(&r, d, err), err);
}

enum sc_status sesv2_list_suppressed(const struct ses_ctx *ctx,
				     const struct sesv2_suppression_filter *f,
				     struct ses_suppressed **v, size_t *n, char **next_token,
				     struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sesv2_build_list_suppressed(&r, f);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_list_suppressed(reply.body.data, reply.body.len, v, n, next_token, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_get_suppressed(const struct ses_ctx *ctx, const char *email,
				    struct ses_suppressed *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_get_suppressed(&r, email, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_suppressed(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_put_suppressed(const struct ses_ctx *ctx, const char *email,
				    const char *reason, struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_put_suppressed(&r, email, reason, err), err);
}

enum sc_status sesv2_delete_suppressed(const struct ses_ctx *ctx, const char *email,
				       struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_delete_suppressed(&r, email, err), err);
}

enum sc_status sesv2_list_config_sets(const struct ses_ctx *ctx, char ***v, size_t *n,
				      struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < MAX_PAGES; page++) {
		struct ses_request r;
		struct aws_reply reply;

		sesv2_build_list_config_sets(&r, token, 0);
		st = ses_send(ctx, &r, &reply, err);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = sesv2_parse_list_config_sets(reply.body.data, reply.body.len, v, n, &token,
						  err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_same_token("ListConfigurationSets", prev, token, err);
		if (!token)
			break;
	}
	free(prev);
	free(token);
	if (st != SC_OK) {
		sesv2_strv_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}

enum sc_status sesv2_get_config_set(const struct ses_ctx *ctx, const char *name,
				    struct ses_config_set *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_get_config_set(&r, name, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_config_set(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	if (st == SC_OK)
		out->fetched = time(NULL);
	return st;
}

enum sc_status sesv2_put_config_set_sending(const struct ses_ctx *ctx, const char *name,
					    bool enabled, struct sc_error *err)
{
	struct ses_request r;

	return send_only(ctx, &r, sesv2_build_put_config_set_sending(&r, name, enabled, err),
			 err);
}

enum sc_status sesv2_batch_get_metric_data(const struct ses_ctx *ctx,
					   const struct sesv2_metric_query *q, size_t nq,
					   struct sesv2_metric_result **v, size_t *n,
					   struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_batch_get_metric_data(&r, q, nq, err);

	*v = NULL;
	*n = 0;
	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_batch_get_metric_data(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_send_email(const struct ses_ctx *ctx, const struct sesv2_simple_email *m,
				char **message_id, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_send_email(&r, m, err);

	*message_id = NULL;
	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_send_email(reply.body.data, reply.body.len, message_id, err);
	aws_reply_free(&reply);
	return st;
}

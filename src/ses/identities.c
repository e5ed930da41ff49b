/* Identities: list, read, create and delete email and domain identities, their DKIM, MAIL FROM, feedback and policies (SESv2), and the legacy verification tokens (v1). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v1_impl.h"
#include "v2_impl.h"

static enum sc_status identity_request(struct ses_request *r, const char *op, const char *method,
				       const char *identity, const char *suffix,
				       struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	sesv2_path_with(r, "identities", identity, suffix);
	return SC_OK;
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

enum sc_status sesv2_build_list_email_identities(struct ses_request *r, const char *next_token,
						 int page_size, struct sc_error *err)
{
	char n[16];

	memset(r, 0, sizeof(*r));
	if (page_size < 0 || page_size > 1000)
		return sc_fail(err, SC_USAGE, "ListEmailIdentities: the page size must be 0 to 1000");
	ses_request_init(r, SES_SVC_SESV2, "ListEmailIdentities", "GET");
	sesv2_path_with(r, "identities", NULL, NULL);
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
	enum sc_status st = sesv2_need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_dkim(op, dkim, err);
	if (st != SC_OK)
		return st;
	if (dkim_is_set(dkim) && strchr(identity, '@'))
		return sc_fail(err, SC_USAGE, "%s: DKIM signing attributes apply to domains only",
			       op);
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	sesv2_path_with(r, "identities", NULL, NULL);
	reserve_secret(r, dkim, identity, config_set);
	sesv2_json_begin(r);
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
		sesv2_json_bool_body(r, "SigningEnabled", signing_enabled);
	return st;
}

enum sc_status sesv2_build_put_dkim_signing_attributes(struct ses_request *r, const char *identity,
						       const char *origin,
						       const struct sesv2_dkim_signing *dkim,
						       struct sc_error *err)
{
	const char *op = "PutEmailIdentityDkimSigningAttributes";
	enum sc_status st = sesv2_need(err, op, "signing origin", origin);

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
	sesv2_json_begin(r);
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
	sesv2_json_begin(r);
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
		sesv2_json_bool_body(r, "EmailForwardingEnabled", forwarding_enabled);
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
	enum sc_status st = sesv2_need(err, op, "identity name", identity);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!name || !policy_name_ok(name)))
		st = sc_fail(err, SC_USAGE,
			     "%s: a policy name is 1 to 64 letters, digits, '-' or '_'", op);
	if (st == SC_OK && json)
		st = sesv2_need(err, op, "policy document", json);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	sesv2_path_with(r, "identities", identity, "/policies/");
	aws_path_append(&r->path, name);
	if (json) {
		sesv2_json_begin(r);
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

enum sc_status sesv2_parse_list_email_identities(const char *body, size_t len,
						 struct ses_identity **v, size_t *n,
						 char **next_token, struct sc_error *err)
{
	struct jr r = {"ListEmailIdentities", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "EmailIdentities", JR_REQUIRED), *it;
	size_t base = *n;

	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
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
		return sesv2_finish(&r, root);
	}
	r.scope = NULL;
	sesv2_set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return sesv2_finish(&r, root);
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
	out->tags = sesv2_parse_tags(&r, root, &out->n_tags);
	out->configuration_set = jr_str(&r, root, "ConfigurationSetName", JR_OPTIONAL);
	info = jr_obj(&r, root, "VerificationInfo", JR_OPTIONAL);
	out->verification_error = jr_str(&r, info, "ErrorType", JR_OPTIONAL);
	jr_time(&r, info, "LastCheckedTimestamp", JR_OPTIONAL, &out->verification_last_checked);
	/* SendingEnabled is not in this reply; a verified identity can send. */
	out->sending_enabled = out->verified_for_sending;
	out->has_details = true;
	if (r.st != SC_OK)
		identity_reset(out);
	return sesv2_finish(&r, root);
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
	return sesv2_finish(&r, root);
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
		return sesv2_finish(&r, root);
	free(out->dkim_status);
	out->dkim_status = status;
	sesv2_strv_free(out->dkim_tokens, out->n_dkim_tokens);
	out->dkim_tokens = jr_strv(&r, root, "DkimTokens", JR_OPTIONAL, &out->n_dkim_tokens);
	return sesv2_finish(&r, root);
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
	return sesv2_finish(&r, root);
}

/* identity may be out->name itself: copy before freeing. */
static void set_name(struct ses_identity *out, const char *identity)
{
	char *name = xstrdup(identity);

	free(out->name);
	out->name = name;
}

enum sc_status sesv2_list_email_identities(const struct ses_ctx *ctx, struct ses_identity **v,
					   size_t *n, struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = "ListEmailIdentities"};
	enum sc_status st = SC_OK;
	time_t now = time(NULL);
	int page_size = 1000;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < SESV2_MAX_PAGES; page++) {
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
			st = ses_pager_next(&pager, token, *n, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
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

	return sesv2_send_only(ctx, &r, sesv2_build_delete_email_identity(&r, identity, err), err);
}

enum sc_status sesv2_put_dkim_attributes(const struct ses_ctx *ctx, const char *identity,
					 bool signing_enabled, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_dkim_attributes(&r, identity, signing_enabled,
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

	return sesv2_send_only(ctx, &r,
			 sesv2_build_put_mail_from_attributes(&r, identity, mail_from_domain,
							      behavior_on_mx_failure, err),
			 err);
}

enum sc_status sesv2_put_feedback_attributes(const struct ses_ctx *ctx, const char *identity,
					     bool forwarding_enabled, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			 sesv2_build_put_feedback_attributes(&r, identity, forwarding_enabled, err),
			 err);
}

enum sc_status sesv2_create_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
			 sesv2_build_create_policy(&r, identity, policy_name, policy_json, err),
			 err);
}

enum sc_status sesv2_update_policy(const struct ses_ctx *ctx, const char *identity,
				   const char *policy_name, const char *policy_json,
				   struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r,
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

	return sesv2_send_only(ctx, &r, sesv2_build_delete_policy(&r, identity, policy_name, err), err);
}

void sesv1_verifications_free(struct sesv1_verification *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].identity);
		free(v[i].status);
		free(v[i].token);
	}
	free(v);
}

enum sc_status sesv1_build_get_identity_verification_attributes(struct ses_request *r,
								const char *const *ids, size_t n,
								struct sc_error *err)
{
	const char *op = "GetIdentityVerificationAttributes";

	memset(r, 0, sizeof(*r));
	if (!ids || !n || n > 100)
		return sc_fail(err, SC_USAGE, "%s: give 1 to 100 identities", op);
	for (size_t i = 0; i < n; i++)
		if (!ids[i] || !*ids[i])
			return sc_fail(err, SC_USAGE, "%s: identity %zu is empty", op, i + 1);
	sesv1_query(r, op);
	for (size_t i = 0; i < n; i++)
		ses_param_addf(&r->body, ids[i], "Identities.member.%zu", i + 1);
	return SC_OK;
}

enum sc_status sesv1_parse_get_identity_verification_attributes(const char *body, size_t len,
								struct sesv1_verification **v,
								size_t *n, struct sc_error *err)
{
	const char *op = "GetIdentityVerificationAttributes";
	xmlNode *result, *map;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	if (!doc)
		return SC_BAD_REPLY;
	map = xml_child(result, "VerificationAttributes");
	if (!map) {
		xml_free(doc);
		return xr_fail_field(err, op, "VerificationAttributes");
	}
	*v = xcalloc(xml_count(map, "entry") + 1, sizeof(**v));
	for (xmlNode *e = xml_next(map, NULL, "entry"); e && st == SC_OK;
	     e = xml_next(map, e, "entry")) {
		struct sesv1_verification *x = &(*v)[(*n)++];

		x->identity = xml_path_text(e, "key");
		x->status = xml_path_text(e, "value/VerificationStatus");
		x->token = xml_path_text(e, "value/VerificationToken");
		if (!x->identity || !*x->identity || !x->status)
			st = xr_fail_field(err, op, "VerificationAttributes.entry (key, VerificationStatus)");
	}
	xml_free(doc);
	if (st != SC_OK) {
		sesv1_verifications_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}

enum sc_status sesv1_get_identity_verification_attributes(const struct ses_ctx *ctx,
							  const char *const *ids, size_t n,
							  struct sesv1_verification **v,
							  size_t *nv, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv1_build_get_identity_verification_attributes(&r, ids, n, err);

	*v = NULL;
	*nv = 0;
	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_get_identity_verification_attributes(reply.body.data, reply.body.len, v,
							      nv, err);
	aws_reply_free(&reply);
	return st;
}

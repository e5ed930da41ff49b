/* The account-level suppression list (SESv2). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

void sesv2_suppressed_list_free(struct ses_suppressed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_suppressed_free(&v[i]);
	free(v);
}

void sesv2_build_list_suppressed(struct ses_request *r, const struct sesv2_suppression_filter *f)
{
	char tmp[32];

	ses_request_init(r, SES_SVC_SESV2, "ListSuppressedDestinations", "GET");
	sesv2_path_with(r, "suppression/addresses", NULL, NULL);
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
	enum sc_status st = sesv2_need(err, op, "email address", email);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, method);
	sesv2_path_with(r, "suppression/addresses", email, NULL);
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
	enum sc_status st = sesv2_need(err, op, "email address", email);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!reason || (strcmp(reason, "BOUNCE") && strcmp(reason, "COMPLAINT"))))
		st = sc_fail(err, SC_USAGE, "%s: the reason must be BOUNCE or COMPLAINT", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "PUT");
	sesv2_path_with(r, "suppression/addresses", NULL, NULL);
	sesv2_json_begin(r);
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
		return sesv2_finish(&r, root);
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
		return sesv2_finish(&r, root);
	}
	r.scope = NULL;
	sesv2_set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_parse_get_suppressed(const char *body, size_t len, struct ses_suppressed *out,
					  struct sc_error *err)
{
	struct jr r = {"GetSuppressedDestination", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *d = jr_obj(&r, root, "SuppressedDestination", JR_REQUIRED), *attrs;

	ses_suppressed_free(out);
	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	r.scope = "SuppressedDestination";
	parse_suppressed(&r, d, out);
	attrs = jr_obj(&r, d, "Attributes", JR_OPTIONAL);
	out->message_id = jr_str(&r, attrs, "MessageId", JR_OPTIONAL);
	out->feedback_id = jr_str(&r, attrs, "FeedbackId", JR_OPTIONAL);
	if (r.st != SC_OK)
		ses_suppressed_free(out);
	return sesv2_finish(&r, root);
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

	return sesv2_send_only(ctx, &r, sesv2_build_put_suppressed(&r, email, reason, err), err);
}

enum sc_status sesv2_delete_suppressed(const struct ses_ctx *ctx, const char *email,
				       struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_delete_suppressed(&r, email, err), err);
}

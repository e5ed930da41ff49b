#include "sesctl/ses/sts.h"

#include <stdbool.h>
#include <stdlib.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/xmlr.h"

#define OP "GetCallerIdentity"

/* An AWS account id is 12 ASCII digits; it is shown in prompts and typed to confirm. */
static bool account_id_ok(const char *s)
{
	size_t n = 0;

	for (; s[n]; n++)
		if (s[n] < '0' || s[n] > '9')
			return false;
	return n == 12;
}

void sts_build_get_caller_identity(struct ses_request *r)
{
	ses_request_init_query(r, SES_SVC_STS, OP, "2011-06-15");
}

enum sc_status sts_parse_get_caller_identity(const char *body, size_t len,
					     struct ses_caller *out, struct sc_error *err)
{
	xmlNode *result;
	xmlDoc *doc;

	ses_caller_free(out);
	doc = xr_open(body, len, OP, true, &result, err);
	if (!doc)
		return SC_BAD_REPLY;
	out->account = xml_path_text(result, "Account");
	out->arn = xml_path_text(result, "Arn");
	out->user_id = xml_path_text(result, "UserId");
	xml_free(doc);
	if (!out->account || !*out->account || !out->arn || !*out->arn) {
		ses_caller_free(out);
		return xr_fail_field(err, OP, "Account or Arn");
	}
	if (!account_id_ok(out->account)) {
		ses_caller_free(out);
		return sc_fail(err, SC_BAD_REPLY,
			       "%s: the account id is not 12 digits: a bad reply from the endpoint", OP);
	}
	return SC_OK;
}

enum sc_status sts_get_caller_identity(const struct ses_ctx *ctx, struct ses_caller *out,
				       struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	sts_build_get_caller_identity(&r);
	st = ses_call(ctx, &r, &reply, err);
	ses_request_free(&r);
	if (st != SC_OK)
		return st;
	st = sts_parse_get_caller_identity(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

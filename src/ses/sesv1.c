/* SES v1 Query/XML plumbing shared by the family files (v1_impl.h). */
#include "v1_impl.h"

#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

void sesv1_query(struct ses_request *r, const char *action)
{
	ses_request_init_query(r, SES_SVC_SES, action, SESV1_VERSION);
}

enum sc_status sesv1_parse_empty(const char *op, const char *body, size_t len,
				 struct sc_error *err)
{
	xmlNode *result;
	xmlDoc *doc = xr_open(body, len, op, false, &result, err);

	if (!doc)
		return SC_BAD_REPLY;
	xml_free(doc);
	return SC_OK;
}

/* Operations without output: the reply must still be the right XML document. */
enum sc_status sesv1_send_empty(const struct ses_ctx *ctx, struct ses_request *r,
				 enum sc_status built, struct sc_error *err)
{
	struct aws_reply reply;
	const char *op = r->operation;
	enum sc_status st;

	if (built != SC_OK)
		return built;
	st = ses_send(ctx, r, &reply, err);
	if (st == SC_OK)
		st = sesv1_parse_empty(op, reply.body.data, reply.body.len, err);
	aws_reply_free(&reply);
	return st;
}

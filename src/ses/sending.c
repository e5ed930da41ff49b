/* Sending mail: SendEmail (SESv2). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

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
	enum sc_status st = sesv2_need(err, op, "sender address", m ? m->from : NULL);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = sesv2_need(err, op, "recipient address", m->to);
	if (st == SC_OK)
		st = sesv2_need(err, op, "subject", m->subject);
	if (st == SC_OK && !m->text)
		st = sc_fail(err, SC_USAGE, "%s: the message has no body text", op);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "POST");
	r->no_retry = true;
	buf_puts(&r->path, "/v2/email/outbound-emails");
	sesv2_json_begin(r);
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

enum sc_status sesv2_parse_send_email(const char *body, size_t len, char **message_id,
				      struct sc_error *err)
{
	struct jr r = {"SendEmail", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	*message_id = jr_str(&r, root, "MessageId", JR_REQUIRED);
	return sesv2_finish(&r, root);
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

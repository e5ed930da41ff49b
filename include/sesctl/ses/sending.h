#ifndef SESCTL_SES_SENDING_H
#define SESCTL_SES_SENDING_H

/*
 * SES sending a test message (SendEmail).
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

struct sesv2_simple_email {
	const char *from;                 /* required */
	const char *to;                   /* required, one address */
	const char *subject;              /* required */
	const char *text;                 /* required, text/plain body */
	const char *config_set;           /* optional */
};
enum sc_status sesv2_build_send_email(struct ses_request *r, const struct sesv2_simple_email *m,
				      struct sc_error *err);
/* Required: MessageId. */
enum sc_status sesv2_parse_send_email(const char *body, size_t len, char **message_id,
				      struct sc_error *err);
/* Never retried (a retry could send twice). */
enum sc_status sesv2_send_email(const struct ses_ctx *ctx, const struct sesv2_simple_email *m,
				char **message_id, struct sc_error *err);

#endif

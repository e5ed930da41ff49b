#ifndef SESCTL_SES_V1_IMPL_H
#define SESCTL_SES_V1_IMPL_H

/*
 * Private to src/ses/: the SES v1 Query/XML plumbing (sesv1.c) that every family file with
 * v1 operations uses: the Action/Version form and the send-and-expect-empty call. The
 * operations themselves are declared in sesctl/ses/sesv1.h.
 */

#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

#define SESV1_VERSION "2010-12-01"

void sesv1_query(struct ses_request *r, const char *action);
enum sc_status sesv1_parse_empty(const char *op, const char *body, size_t len,
				 struct sc_error *err);
enum sc_status sesv1_send_empty(const struct ses_ctx *ctx, struct ses_request *r,
				 enum sc_status built, struct sc_error *err);

#endif

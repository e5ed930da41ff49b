#ifndef SESCTL_SES_STS_H
#define SESCTL_SES_STS_H

/*
 * STS GetCallerIdentity (Query protocol, Version 2011-06-15): which account and principal
 * the credentials belong to (shown in the header, written to the audit log).
 * Layers as in ses/sesv2.h. out is caller-owned; ses_caller_free().
 */

#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

void sts_build_get_caller_identity(struct ses_request *r);
/* Replaces *out. Required: GetCallerIdentityResult, Account, Arn; UserId optional. */
enum sc_status sts_parse_get_caller_identity(const char *body, size_t len,
					     struct ses_caller *out, struct sc_error *err);
enum sc_status sts_get_caller_identity(const struct ses_ctx *ctx, struct ses_caller *out,
				       struct sc_error *err);

#endif

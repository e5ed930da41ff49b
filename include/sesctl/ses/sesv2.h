#ifndef SESCTL_SES_SESV2_H
#define SESCTL_SES_SESV2_H

/*
 * SESv2 (REST-JSON, /v2/email/...) operations in three layers (see ses/request.h). The
 * operations are declared by family, each header holding both protocols' calls:
 * ses/identities.h, ses/account.h, ses/config_sets.h, ses/suppression.h,
 * ses/receipt_rules.h (v1 only), ses/vdm.h, ses/sending.h, ses/tenants.h (v2 only). This
 * header keeps the rules they share:
 *
 *   sesv2_build_<op>(req, inputs..., err)   pure; SC_USAGE for a missing/empty input
 *   sesv2_parse_<op>(body, len, out..., err) pure; SC_BAD_REPLY for a body that is not a
 *                                           JSON object or misses a required field
 *   sesv2_<op>(ctx, inputs..., out..., err) build → ses_call → parse
 *
 * Ownership: parsers fill caller-owned model structs whose members are heap strings
 * (free with the model *_free functions); on failure *out is left freed/zeroed. Parsers
 * that append to an array (v, n) grow it with realloc: start with v = NULL, n = 0, and free
 * with the matching *_free on each element, then free(v). *next_token is replaced (the
 * old value freed) and is NULL on the last page.
 *
 * Parsing is tolerant: JSON null = absent, unknown fields ignored, unknown enum values
 * kept raw, timestamps as epoch numbers or ISO strings. Required fields are listed per
 * parser below; everything else is optional.
 *
 * Secrets: the BYODKIM private key is written only into the request body, which is marked
 * secret and wiped by ses_request_free(); it never appears in errors or logs.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

#endif

#ifndef SESCTL_SES_V2_IMPL_H
#define SESCTL_SES_V2_IMPL_H

/*
 * Private to src/ses/: the SESv2 REST-JSON plumbing (sesv2.c) that every family file with
 * v2 operations uses: required-input checks, /v2/email/<collection>/<segment> paths, JSON
 * request bodies, NextToken handling, the parse finish and the send-and-check call. The
 * operations themselves are declared in sesctl/ses/sesv2.h.
 */

#include <cjson/cJSON.h>
#include <stdbool.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

#define SESV2_JSON_TYPE "application/json"
#define SESV2_MAX_PAGES 100000

enum sc_status sesv2_need(struct sc_error *err, const char *op, const char *what, const char *v);
void sesv2_path_with(struct ses_request *r, const char *collection, const char *segment,
		      const char *suffix);
void sesv2_json_begin(struct ses_request *r);
void sesv2_json_bool_body(struct ses_request *r, const char *key, bool v);
void sesv2_set_token(char **next_token, char *tok);
enum sc_status sesv2_finish(struct jr *r, cJSON *root);
enum sc_status sesv2_send_only(const struct ses_ctx *ctx, struct ses_request *r,
				enum sc_status built, struct sc_error *err);

/* The optional "Tags" array of obj ([{Key, Value}]); NULL/0 when absent or empty. */
struct ses_tag *sesv2_parse_tags(struct jr *r, const cJSON *obj, size_t *n);

#endif

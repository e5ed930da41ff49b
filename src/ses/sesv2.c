/* SESv2 REST-JSON plumbing shared by the family files (v2_impl.h). */
#include "v2_impl.h"

#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

enum sc_status sesv2_need(struct sc_error *err, const char *op, const char *what, const char *v)
{
	if (!v || !*v)
		return sc_fail(err, SC_USAGE, "%s: the %s is empty", op, what);
	return SC_OK;
}

/* /v2/email/<collection>/<segment><suffix> */
void sesv2_path_with(struct ses_request *r, const char *collection, const char *segment,
		      const char *suffix)
{
	buf_puts(&r->path, "/v2/email/");
	buf_puts(&r->path, collection);
	if (segment) {
		buf_putc(&r->path, '/');
		aws_path_append(&r->path, segment);
	}
	if (suffix)
		buf_puts(&r->path, suffix);
}

void sesv2_json_begin(struct ses_request *r)
{
	r->content_type = SESV2_JSON_TYPE;
	ses_json_open(&r->body, '{');
}

void sesv2_json_bool_body(struct ses_request *r, const char *key, bool v)
{
	sesv2_json_begin(r);
	ses_json_key(&r->body, key);
	ses_json_bool(&r->body, v);
	ses_json_close(&r->body, '}');
}

void sesv2_set_token(char **next_token, char *tok)
{
	if (!next_token) {
		free(tok);
		return;
	}
	free(*next_token);
	*next_token = tok;
}

enum sc_status sesv2_finish(struct jr *r, cJSON *root)
{
	cJSON_Delete(root);
	return r->st;
}

/* Send r (freed here) and keep the 2xx reply for the parser. */
/* For operations whose reply carries nothing sesctl reads. */
enum sc_status sesv2_send_only(const struct ses_ctx *ctx, struct ses_request *r,
				enum sc_status built, struct sc_error *err)
{
	struct aws_reply reply;
	enum sc_status st;

	if (built != SC_OK)
		return built;
	st = ses_send(ctx, r, &reply, err);
	aws_reply_free(&reply);
	return st;
}

struct ses_tag *sesv2_parse_tags(struct jr *r, const cJSON *obj, size_t *n)
{
	const cJSON *arr = jr_arr(r, obj, "Tags", JR_OPTIONAL), *it;
	struct ses_tag *v;
	size_t k = 0;

	*n = 0;
	if (!arr || !cJSON_GetArraySize(arr))
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(*v));
	cJSON_ArrayForEach(it, arr) {
		const cJSON *key = jr_get(it, "Key"), *val = jr_get(it, "Value");

		if (!cJSON_IsString(key))
			continue;
		v[k].key = xstrdup(key->valuestring);
		v[k].value = xstrdup(cJSON_IsString(val) ? val->valuestring : "");
		k++;
	}
	*n = k;
	if (!k) {
		free(v);
		return NULL;
	}
	return v;
}

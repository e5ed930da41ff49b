/* Configuration sets (SESv2). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v2_impl.h"

void sesv2_build_list_config_sets(struct ses_request *r, const char *next_token, int page_size)
{
	char n[16];

	ses_request_init(r, SES_SVC_SESV2, "ListConfigurationSets", "GET");
	sesv2_path_with(r, "configuration-sets", NULL, NULL);
	if (next_token && *next_token)
		ses_param_add(&r->query, "NextToken", next_token);
	if (page_size > 0) {
		snprintf(n, sizeof(n), "%d", page_size);
		ses_param_add(&r->query, "PageSize", n);
	}
}

enum sc_status sesv2_build_get_config_set(struct ses_request *r, const char *name,
					  struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, "GetConfigurationSet", "configuration set name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "GetConfigurationSet", "GET");
	sesv2_path_with(r, "configuration-sets", name, NULL);
	return SC_OK;
}

enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err)
{
	const char *op = "PutConfigurationSetSendingOptions";
	enum sc_status st = sesv2_need(err, op, "configuration set name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "PUT");
	sesv2_path_with(r, "configuration-sets", name, "/sending");
	sesv2_json_bool_body(r, "SendingEnabled", enabled);
	return SC_OK;
}

enum sc_status sesv2_parse_list_config_sets(const char *body, size_t len, char ***v, size_t *n,
					    char **next_token, struct sc_error *err)
{
	struct jr r = {"ListConfigurationSets", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "ConfigurationSets", JR_REQUIRED), *it;

	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	cJSON_ArrayForEach(it, arr) {
		if (!cJSON_IsString(it)) {
			jr_fail_field(&r, "ConfigurationSets[]");
			return sesv2_finish(&r, root);
		}
	}
	*v = xrealloc(*v, (*n + (size_t)cJSON_GetArraySize(arr) + 1) * sizeof(**v));
	cJSON_ArrayForEach(it, arr)
		(*v)[(*n)++] = xstrdup(it->valuestring);
	sesv2_set_token(next_token, jr_str(&r, root, "NextToken", JR_OPTIONAL));
	return sesv2_finish(&r, root);
}

/* moto answers {"SendingEnabled": {"SendingEnabled": true}} or {"SendingEnabled": {}}. */
static void parse_config_sending(const cJSON *opts, bool *out)
{
	const cJSON *v = jr_get(opts, "SendingEnabled");

	*out = true;
	if (cJSON_IsObject(v))
		v = jr_get(v, "SendingEnabled");
	if (cJSON_IsBool(v))
		*out = cJSON_IsTrue(v);
}

enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err)
{
	struct jr r = {"GetConfigurationSet", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *delivery, *rep;

	ses_config_set_free(out);
	if (!root)
		return r.st;
	out->name = jr_str(&r, root, "ConfigurationSetName", JR_REQUIRED);
	delivery = jr_obj(&r, root, "DeliveryOptions", JR_OPTIONAL);
	out->tls_policy = jr_str(&r, delivery, "TlsPolicy", JR_OPTIONAL);
	out->sending_pool = jr_str(&r, delivery, "SendingPoolName", JR_OPTIONAL);
	rep = jr_obj(&r, root, "ReputationOptions", JR_OPTIONAL);
	jr_bool(&r, rep, "ReputationMetricsEnabled", JR_OPTIONAL,
		&out->reputation_metrics_enabled);
	jr_time(&r, rep, "LastFreshStart", JR_OPTIONAL, &out->last_fresh_start);
	parse_config_sending(jr_obj(&r, root, "SendingOptions", JR_OPTIONAL),
			     &out->sending_enabled);
	out->suppressed_reasons = jr_strv(&r, jr_obj(&r, root, "SuppressionOptions", JR_OPTIONAL),
					  "SuppressedReasons", JR_OPTIONAL,
					  &out->n_suppressed_reasons);
	if (r.st != SC_OK)
		ses_config_set_free(out);
	return sesv2_finish(&r, root);
}

enum sc_status sesv2_list_config_sets(const struct ses_ctx *ctx, char ***v, size_t *n,
				      struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = "ListConfigurationSets"};
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < SESV2_MAX_PAGES; page++) {
		struct ses_request r;
		struct aws_reply reply;

		sesv2_build_list_config_sets(&r, token, 0);
		st = ses_send(ctx, &r, &reply, err);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = sesv2_parse_list_config_sets(reply.body.data, reply.body.len, v, n, &token,
						  err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, *n, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
	free(token);
	if (st != SC_OK) {
		sesv2_strv_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}

enum sc_status sesv2_get_config_set(const struct ses_ctx *ctx, const char *name,
				    struct ses_config_set *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_build_get_config_set(&r, name, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_get_config_set(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	if (st == SC_OK)
		out->fetched = time(NULL);
	return st;
}

enum sc_status sesv2_put_config_set_sending(const struct ses_ctx *ctx, const char *name,
					    bool enabled, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_config_set_sending(&r, name, enabled, err),
			 err);
}

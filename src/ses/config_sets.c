/* Configuration sets (SESv2). */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/aws/client.h"
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

static void parse_delivery(struct jr *r, const cJSON *root, struct ses_config_set *out)
{
	const cJSON *o = jr_obj(r, root, "DeliveryOptions", JR_OPTIONAL);
	double max = 0;

	out->tls_policy = jr_str(r, o, "TlsPolicy", JR_OPTIONAL);
	out->sending_pool = jr_str(r, o, "SendingPoolName", JR_OPTIONAL);
	if (jr_double_in(r, o, "MaxDeliverySeconds", JR_OPTIONAL, 0, 1e9, &max))
		out->max_delivery_seconds = (long)max;
}

static void parse_suppression(struct jr *r, const cJSON *root, struct ses_config_set *out)
{
	const cJSON *o = jr_obj(r, root, "SuppressionOptions", JR_OPTIONAL), *ct;

	out->suppression_set = o != NULL;
	out->suppressed_reasons = jr_strv(r, o, "SuppressedReasons", JR_OPTIONAL,
					  &out->n_suppressed_reasons);
	ct = jr_obj(r, jr_obj(r, o, "ValidationOptions", JR_OPTIONAL), "ConditionThreshold",
		    JR_OPTIONAL);
	out->validation_enabled = jr_str(r, ct, "ConditionThresholdEnabled", JR_OPTIONAL);
	out->validation_threshold =
		jr_str(r, jr_obj(r, ct, "OverallConfidenceThreshold", JR_OPTIONAL),
		       "ConfidenceVerdictThreshold", JR_OPTIONAL);
}

static void parse_options(struct jr *r, const cJSON *root, struct ses_config_set *out)
{
	const cJSON *rep = jr_obj(r, root, "ReputationOptions", JR_OPTIONAL);
	const cJSON *tr = jr_obj(r, root, "TrackingOptions", JR_OPTIONAL);
	const cJSON *vdm = jr_obj(r, root, "VdmOptions", JR_OPTIONAL);

	parse_delivery(r, root, out);
	jr_bool(r, rep, "ReputationMetricsEnabled", JR_OPTIONAL, &out->reputation_metrics_enabled);
	jr_time(r, rep, "LastFreshStart", JR_OPTIONAL, &out->last_fresh_start);
	parse_config_sending(jr_obj(r, root, "SendingOptions", JR_OPTIONAL), &out->sending_enabled);
	parse_suppression(r, root, out);
	out->tracking_domain = jr_str(r, tr, "CustomRedirectDomain", JR_OPTIONAL);
	out->https_policy = jr_str(r, tr, "HttpsPolicy", JR_OPTIONAL);
	out->vdm_engagement = jr_str(r, jr_obj(r, vdm, "DashboardOptions", JR_OPTIONAL),
				     "EngagementMetrics", JR_OPTIONAL);
	out->vdm_optimized_delivery = jr_str(r, jr_obj(r, vdm, "GuardianOptions", JR_OPTIONAL),
					     "OptimizedSharedDelivery", JR_OPTIONAL);
	out->archive_arn = jr_str(r, jr_obj(r, root, "ArchivingOptions", JR_OPTIONAL),
				  "ArchiveArn", JR_OPTIONAL);
	out->tags = sesv2_parse_tags(r, root, &out->n_tags);
}

enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err)
{
	struct jr r = {"GetConfigurationSet", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);

	ses_config_set_free(out);
	if (!root)
		return r.st;
	out->name = jr_str(&r, root, "ConfigurationSetName", JR_REQUIRED);
	parse_options(&r, root, out);
	if (r.st != SC_OK)
		ses_config_set_free(out);
	return sesv2_finish(&r, root);
}

/* ---- event destinations: parse ---- */

static void parse_events(const cJSON *arr, struct ses_event_dest *d)
{
	const cJSON *it;

	cJSON_ArrayForEach(it, arr) {
		int t = cJSON_IsString(it) ? ses_event_from(it->valuestring) : -2;

		if (t >= 0)
			d->events |= SES_EVENT_BIT(t);
		else if (t == -1) {
			d->unknown_events = xrealloc(d->unknown_events,
						     (d->n_unknown_events + 1) * sizeof(char *));
			d->unknown_events[d->n_unknown_events++] = xstrdup(it->valuestring);
		}
	}
}

static void parse_dims(struct jr *r, const cJSON *cw, struct ses_event_dest *d)
{
	const cJSON *arr = jr_arr(r, cw, "DimensionConfigurations", JR_OPTIONAL), *it;

	if (!arr || !cJSON_GetArraySize(arr))
		return;
	d->dims = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(*d->dims));
	cJSON_ArrayForEach(it, arr) {
		struct ses_cw_dimension *x = &d->dims[d->n_dims];

		x->name = jr_str(r, it, "DimensionName", JR_REQUIRED);
		x->source = jr_str(r, it, "DimensionValueSource", JR_OPTIONAL);
		x->default_value = jr_str(r, it, "DefaultDimensionValue", JR_OPTIONAL);
		d->n_dims++;
	}
}

static void parse_dest_target(struct jr *r, const cJSON *o, struct ses_event_dest *d)
{
	const cJSON *x;

	for (int k = 1; k < SES_DEST_COUNT; k++) {
		x = jr_get(o, ses_dest_member((enum ses_dest_kind)k));
		if (!cJSON_IsObject(x))
			continue;
		d->kind = (enum ses_dest_kind)k;
		if (k == SES_DEST_SNS)
			d->arn = jr_str(r, x, "TopicArn", JR_OPTIONAL);
		else if (k == SES_DEST_FIREHOSE) {
			d->arn = jr_str(r, x, "DeliveryStreamArn", JR_OPTIONAL);
			d->role_arn = jr_str(r, x, "IamRoleArn", JR_OPTIONAL);
		} else if (k == SES_DEST_EVENTBRIDGE)
			d->arn = jr_str(r, x, "EventBusArn", JR_OPTIONAL);
		else if (k == SES_DEST_PINPOINT)
			d->arn = jr_str(r, x, "ApplicationArn", JR_OPTIONAL);
		else
			parse_dims(r, x, d);
		return;
	}
}

enum sc_status sesv2_parse_event_dests(const char *body, size_t len, struct ses_event_dest **v,
				       size_t *n, struct sc_error *err)
{
	struct jr r = {"GetConfigurationSetEventDestinations", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *arr = jr_arr(&r, root, "EventDestinations", JR_REQUIRED), *it;

	*v = NULL;
	*n = 0;
	if (r.st != SC_OK)
		return sesv2_finish(&r, root);
	if (cJSON_GetArraySize(arr))
		*v = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(**v));
	cJSON_ArrayForEach(it, arr) {
		struct ses_event_dest *d = &(*v)[*n];

		(*n)++;
		d->name = jr_str(&r, it, "Name", JR_REQUIRED);
		jr_bool(&r, it, "Enabled", JR_OPTIONAL, &d->enabled);
		parse_events(jr_arr(&r, it, "MatchingEventTypes", JR_OPTIONAL), d);
		parse_dest_target(&r, it, d);
		if (r.st != SC_OK)
			break;
	}
	if (r.st != SC_OK) {
		for (size_t i = 0; i < *n; i++)
			ses_event_dest_free(&(*v)[i]);
		free(*v);
		*v = NULL;
		*n = 0;
	}
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

/* ---- checks before any request ---- */

static bool name_chars(const char *s, size_t max, const char *extra)
{
	size_t n = 0;

	for (; s && s[n]; n++)
		if (!isalnum((unsigned char)s[n]) && s[n] != '_' && s[n] != '-' &&
		    !(extra && strchr(extra, s[n])))
			return false;
	return n >= 1 && n <= max;
}

enum sc_status ses_config_set_name_check(const char *name, struct sc_error *err)
{
	if (name_chars(name, 64, NULL))
		return SC_OK;
	return sc_fail(err, SC_USAGE,
		       "'%s' is not a configuration set name: 1 to 64 letters, digits, '_' or '-'",
		       name ? name : "");
}

/* arn:PARTITION:SERVICE:REGION:ACCOUNT:RESOURCE with RESOURCE starting with prefix. */
static bool arn_shape(const char *arn, const char *service, bool regional, const char *prefix)
{
	char part[6][160];
	const char *p = arn;
	int k = 0;

	if (!arn || strlen(arn) > 2048 || strncmp(arn, "arn:aws", 7))
		return false;
	for (; k < 5; k++) {
		const char *c = strchr(p, ':');
		size_t len = c ? (size_t)(c - p) : 0;

		if (!c || len >= sizeof(part[k]))
			return false;
		memcpy(part[k], p, len);
		part[k][len] = '\0';
		p = c + 1;
	}
	if (strcmp(part[2], service) || (regional != (part[3][0] != '\0')))
		return false;
	if (strlen(part[4]) != 12 || strspn(part[4], "0123456789") != 12)
		return false;
	return !strncmp(p, prefix, strlen(prefix)) && p[strlen(prefix)] != '\0' &&
	       !strpbrk(p, " \t\r\n");
}

static const struct {
	enum ses_dest_kind kind;
	const char *service, *prefix, *example;
} dest_arns[] = {
	{SES_DEST_SNS, "sns", "", "arn:aws:sns:REGION:ACCOUNT:TOPIC"},
	{SES_DEST_FIREHOSE, "firehose", "deliverystream/",
	 "arn:aws:firehose:REGION:ACCOUNT:deliverystream/NAME"},
	{SES_DEST_EVENTBRIDGE, "events", "event-bus/",
	 "arn:aws:events:REGION:ACCOUNT:event-bus/default"},
	{SES_DEST_PINPOINT, "mobiletargeting", "apps/",
	 "arn:aws:mobiletargeting:REGION:ACCOUNT:apps/APP_ID"},
};

static enum sc_status check_dims(const struct ses_event_dest *d, struct sc_error *err)
{
	if (!d->n_dims)
		return sc_fail(err, SC_USAGE, "a CloudWatch destination needs at least one dimension "
					      "(NAME=SOURCE:DEFAULT, e.g. "
					      "ses:configuration-set=message-tag:none)");
	if (d->n_dims > 10)
		return sc_fail(err, SC_USAGE, "a CloudWatch destination has at most 10 dimensions, "
					      "not %zu", d->n_dims);
	for (size_t i = 0; i < d->n_dims; i++) {
		const struct ses_cw_dimension *x = &d->dims[i];

		if (!name_chars(x->name, 256, ":"))
			return sc_fail(err, SC_USAGE,
				       "dimension name '%s': 1 to 256 letters, digits, '_', '-' "
				       "(or an auto-tag such as ses:configuration-set)",
				       x->name ? x->name : "");
		if (!x->source || (strcmp(x->source, "MESSAGE_TAG") &&
				   strcmp(x->source, "EMAIL_HEADER") && strcmp(x->source, "LINK_TAG")))
			return sc_fail(err, SC_USAGE,
				       "dimension %s: the value source is message-tag, email-header or "
				       "link-tag", x->name);
		if (!name_chars(x->default_value, 256, ".@"))
			return sc_fail(err, SC_USAGE,
				       "dimension %s: the default value is 1 to 256 letters, digits, "
				       "'_', '-', '.' or '@'", x->name);
	}
	return SC_OK;
}

static enum sc_status check_target(const struct ses_event_dest *d, struct sc_error *err)
{
	if (d->kind == SES_DEST_CLOUDWATCH)
		return check_dims(d, err);
	for (size_t i = 0; i < sizeof(dest_arns) / sizeof(dest_arns[0]); i++) {
		if (dest_arns[i].kind != d->kind)
			continue;
		if (!arn_shape(d->arn, dest_arns[i].service, true, dest_arns[i].prefix))
			return sc_fail(err, SC_USAGE, "'%s' is not an ARN for %s (%s)",
				       d->arn ? d->arn : "", ses_dest_name(d->kind),
				       dest_arns[i].example);
	}
	if (d->kind == SES_DEST_EVENTBRIDGE && strcmp(strrchr(d->arn, '/'), "/default"))
		return sc_fail(err, SC_USAGE, "SES publishes only to the default event bus "
					      "(…:event-bus/default), not %s", d->arn);
	if (d->kind == SES_DEST_FIREHOSE && !arn_shape(d->role_arn, "iam", false, "role/"))
		return sc_fail(err, SC_USAGE, "a Firehose destination needs --role, the IAM role "
					      "SES assumes (arn:aws:iam::ACCOUNT:role/NAME), not '%s'",
			       d->role_arn ? d->role_arn : "");
	return SC_OK;
}

enum sc_status ses_event_dest_check(const struct ses_event_dest *d, struct sc_error *err)
{
	if (!name_chars(d->name, 64, NULL))
		return sc_fail(err, SC_USAGE, "'%s' is not an event destination name: 1 to 64 "
					      "letters, digits, '_' or '-'", d->name ? d->name : "");
	if (d->kind == SES_DEST_NONE)
		return sc_fail(err, SC_USAGE, "say where the events go: exactly one of --sns, "
					      "--cloudwatch, --firehose, --eventbridge, --pinpoint");
	if (!d->events || d->n_unknown_events)
		return sc_fail(err, SC_USAGE, "say which events go there: --events with one or more "
					      "of send, reject, bounce, complaint, delivery, open, click, "
					      "rendering-failure, delivery-delay, subscription");
	return check_target(d, err);
}

/* ---- builders ---- */

static void json_strv(struct buf *b, const char *key, char *const *v, size_t n)
{
	ses_json_key(b, key);
	ses_json_open(b, '[');
	for (size_t i = 0; i < n; i++)
		ses_json_str(b, v[i]);
	ses_json_close(b, ']');
}

static void emit_delivery(struct buf *b, const struct ses_config_set *cs)
{
	ses_json_kv(b, "TlsPolicy", cs->tls_policy);
	ses_json_kv(b, "SendingPoolName", cs->sending_pool);
	if (cs->max_delivery_seconds > 0) {
		ses_json_key(b, "MaxDeliverySeconds");
		ses_json_num(b, (double)cs->max_delivery_seconds);
	}
}

static void emit_reputation(struct buf *b, const struct ses_config_set *cs)
{
	ses_json_key(b, "ReputationMetricsEnabled");
	ses_json_bool(b, cs->reputation_metrics_enabled);
}

static void emit_sending(struct buf *b, const struct ses_config_set *cs)
{
	ses_json_key(b, "SendingEnabled");
	ses_json_bool(b, cs->sending_enabled);
}

static void emit_suppression(struct buf *b, const struct ses_config_set *cs)
{
	json_strv(b, "SuppressedReasons", cs->suppressed_reasons, cs->n_suppressed_reasons);
	if (!cs->validation_enabled)
		return;
	ses_json_key(b, "ValidationOptions");
	ses_json_open(b, '{');
	ses_json_key(b, "ConditionThreshold");
	ses_json_open(b, '{');
	ses_json_kv(b, "ConditionThresholdEnabled", cs->validation_enabled);
	if (cs->validation_threshold) {
		ses_json_key(b, "OverallConfidenceThreshold");
		ses_json_open(b, '{');
		ses_json_kv(b, "ConfidenceVerdictThreshold", cs->validation_threshold);
		ses_json_close(b, '}');
	}
	ses_json_close(b, '}');
	ses_json_close(b, '}');
}

static void emit_tracking(struct buf *b, const struct ses_config_set *cs)
{
	ses_json_kv(b, "CustomRedirectDomain", cs->tracking_domain);
	ses_json_kv(b, "HttpsPolicy", cs->https_policy);
}

static void emit_one(struct buf *b, const char *outer, const char *key, const char *v)
{
	if (!v)
		return;
	ses_json_key(b, outer);
	ses_json_open(b, '{');
	ses_json_kv(b, key, v);
	ses_json_close(b, '}');
}

static void emit_vdm(struct buf *b, const struct ses_config_set *cs)
{
	emit_one(b, "DashboardOptions", "EngagementMetrics", cs->vdm_engagement);
	emit_one(b, "GuardianOptions", "OptimizedSharedDelivery", cs->vdm_optimized_delivery);
}

static void emit_archiving(struct buf *b, const struct ses_config_set *cs)
{
	ses_json_kv(b, "ArchiveArn", cs->archive_arn);
}

static bool has_delivery(const struct ses_config_set *cs)
{
	return cs->tls_policy || cs->sending_pool || cs->max_delivery_seconds > 0;
}

static bool has_suppression(const struct ses_config_set *cs)
{
	return cs->suppression_set;
}

static bool has_tracking(const struct ses_config_set *cs)
{
	return cs->tracking_domain != NULL;
}

static bool has_vdm(const struct ses_config_set *cs)
{
	return cs->vdm_engagement || cs->vdm_optimized_delivery;
}

static bool has_archive(const struct ses_config_set *cs)
{
	return cs->archive_arn != NULL;
}

static bool has_always(const struct ses_config_set *cs)
{
	(void)cs;
	return true;
}

static const struct {
	const char *op, *suffix, *member; /* member: the block in Create (and in the VDM put) */
	void (*emit)(struct buf *b, const struct ses_config_set *cs);
	bool (*present)(const struct ses_config_set *cs);
} blocks[SES_CS_BLOCKS] = {
	[SES_CS_DELIVERY] = {"PutConfigurationSetDeliveryOptions", "/delivery-options",
			     "DeliveryOptions", emit_delivery, has_delivery},
	[SES_CS_REPUTATION] = {"PutConfigurationSetReputationOptions", "/reputation-options",
			       "ReputationOptions", emit_reputation, has_always},
	[SES_CS_SENDING] = {"PutConfigurationSetSendingOptions", "/sending", "SendingOptions",
			    emit_sending, has_always},
	[SES_CS_SUPPRESSION] = {"PutConfigurationSetSuppressionOptions", "/suppression-options",
				"SuppressionOptions", emit_suppression, has_suppression},
	[SES_CS_TRACKING] = {"PutConfigurationSetTrackingOptions", "/tracking-options",
			     "TrackingOptions", emit_tracking, has_tracking},
	[SES_CS_VDM] = {"PutConfigurationSetVdmOptions", "/vdm-options", "VdmOptions", emit_vdm,
			has_vdm},
	[SES_CS_ARCHIVING] = {"PutConfigurationSetArchivingOptions", "/archiving-options",
			      "ArchivingOptions", emit_archiving, has_archive},
};

const char *ses_cs_block_op(enum ses_cs_block b)
{
	return (unsigned)b < SES_CS_BLOCKS ? blocks[b].op : "";
}

static void emit_tags(struct buf *b, const struct ses_tag *v, size_t n)
{
	ses_json_key(b, "Tags");
	ses_json_open(b, '[');
	for (size_t i = 0; i < n; i++) {
		ses_json_open(b, '{');
		ses_json_kv(b, "Key", v[i].key);
		ses_json_kv(b, "Value", v[i].value ? v[i].value : "");
		ses_json_close(b, '}');
	}
	ses_json_close(b, ']');
}

enum sc_status sesv2_build_create_config_set(struct ses_request *r,
					     const struct ses_config_set *cs, struct sc_error *err)
{
	enum sc_status st = ses_config_set_name_check(cs->name, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "CreateConfigurationSet", "POST");
	sesv2_path_with(r, "configuration-sets", NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "ConfigurationSetName", cs->name);
	for (int k = 0; k < SES_CS_BLOCKS; k++) {
		if (!blocks[k].present(cs))
			continue;
		ses_json_key(&r->body, blocks[k].member);
		ses_json_open(&r->body, '{');
		blocks[k].emit(&r->body, cs);
		ses_json_close(&r->body, '}');
	}
	if (cs->n_tags)
		emit_tags(&r->body, cs->tags, cs->n_tags);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_delete_config_set(struct ses_request *r, const char *name,
					     struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, "DeleteConfigurationSet", "configuration set name", name);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "DeleteConfigurationSet", "DELETE");
	sesv2_path_with(r, "configuration-sets", name, NULL);
	return SC_OK;
}

enum sc_status sesv2_build_put_config_set_block(struct ses_request *r,
						const struct ses_config_set *cs,
						enum ses_cs_block block, struct sc_error *err)
{
	enum sc_status st;

	memset(r, 0, sizeof(*r));
	if ((unsigned)block >= SES_CS_BLOCKS)
		return sc_fail(err, SC_USAGE, "no such configuration set option block");
	st = sesv2_need(err, blocks[block].op, "configuration set name", cs->name);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, blocks[block].op, "PUT");
	sesv2_path_with(r, "configuration-sets", cs->name, blocks[block].suffix);
	sesv2_json_begin(r);
	if (block == SES_CS_VDM) {
		ses_json_key(&r->body, "VdmOptions");
		ses_json_open(&r->body, '{');
	}
	blocks[block].emit(&r->body, cs);
	if (block == SES_CS_VDM)
		ses_json_close(&r->body, '}');
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err)
{
	struct ses_config_set cs = {.name = (char *)name, .sending_enabled = enabled};

	return sesv2_build_put_config_set_block(r, &cs, SES_CS_SENDING, err);
}

/* /v2/email/configuration-sets/SET/event-destinations[/DEST] */
static void dests_path(struct ses_request *r, const char *set, const char *dest)
{
	sesv2_path_with(r, "configuration-sets", set, "/event-destinations");
	if (dest) {
		buf_putc(&r->path, '/');
		aws_path_append(&r->path, dest);
	}
}

static void emit_dest_target(struct buf *b, const struct ses_event_dest *d)
{
	ses_json_key(b, ses_dest_member(d->kind));
	ses_json_open(b, '{');
	switch (d->kind) {
	case SES_DEST_SNS:
		ses_json_kv(b, "TopicArn", d->arn);
		break;
	case SES_DEST_FIREHOSE:
		ses_json_kv(b, "IamRoleArn", d->role_arn);
		ses_json_kv(b, "DeliveryStreamArn", d->arn);
		break;
	case SES_DEST_EVENTBRIDGE:
		ses_json_kv(b, "EventBusArn", d->arn);
		break;
	case SES_DEST_PINPOINT:
		ses_json_kv(b, "ApplicationArn", d->arn);
		break;
	default:
		ses_json_key(b, "DimensionConfigurations");
		ses_json_open(b, '[');
		for (size_t i = 0; i < d->n_dims; i++) {
			ses_json_open(b, '{');
			ses_json_kv(b, "DimensionName", d->dims[i].name);
			ses_json_kv(b, "DimensionValueSource", d->dims[i].source);
			ses_json_kv(b, "DefaultDimensionValue", d->dims[i].default_value);
			ses_json_close(b, '}');
		}
		ses_json_close(b, ']');
	}
	ses_json_close(b, '}');
}

static void emit_dest(struct buf *b, const struct ses_event_dest *d)
{
	ses_json_key(b, "EventDestination");
	ses_json_open(b, '{');
	ses_json_key(b, "Enabled");
	ses_json_bool(b, d->enabled);
	ses_json_key(b, "MatchingEventTypes");
	ses_json_open(b, '[');
	for (int t = 0; t < SES_EVENT_COUNT; t++)
		if (d->events & SES_EVENT_BIT(t))
			ses_json_str(b, ses_event_wire((enum ses_event_type)t));
	ses_json_close(b, ']');
	emit_dest_target(b, d);
	ses_json_close(b, '}');
}

void sesv2_build_get_event_dests(struct ses_request *r, const char *set)
{
	ses_request_init(r, SES_SVC_SESV2, "GetConfigurationSetEventDestinations", "GET");
	dests_path(r, set, NULL);
}

enum sc_status sesv2_build_put_event_dest(struct ses_request *r, const char *set,
					  const struct ses_event_dest *d, bool create,
					  struct sc_error *err)
{
	const char *op = create ? "CreateConfigurationSetEventDestination"
				: "UpdateConfigurationSetEventDestination";
	enum sc_status st = sesv2_need(err, op, "configuration set name", set);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = ses_event_dest_check(d, err);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, create ? "POST" : "PUT");
	dests_path(r, set, create ? NULL : d->name);
	sesv2_json_begin(r);
	if (create)
		ses_json_kv(&r->body, "EventDestinationName", d->name);
	emit_dest(&r->body, d);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_delete_event_dest(struct ses_request *r, const char *set,
					     const char *dest, struct sc_error *err)
{
	const char *op = "DeleteConfigurationSetEventDestination";
	enum sc_status st = sesv2_need(err, op, "configuration set name", set);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = sesv2_need(err, op, "event destination name", dest);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "DELETE");
	dests_path(r, set, dest);
	return SC_OK;
}

enum sc_status sesv2_build_put_identity_config_set(struct ses_request *r, const char *identity,
						   const char *set, struct sc_error *err)
{
	const char *op = "PutEmailIdentityConfigurationSetAttributes";
	enum sc_status st = sesv2_need(err, op, "identity", identity);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && set)
		st = ses_config_set_name_check(set, err);
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, op, "PUT");
	sesv2_path_with(r, "identities", identity, "/configuration-set");
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "ConfigurationSetName", set);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* ---- calls ---- */

enum sc_status sesv2_create_config_set(const struct ses_ctx *ctx, const struct ses_config_set *cs,
				       struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_create_config_set(&r, cs, err), err);
}

enum sc_status sesv2_delete_config_set(const struct ses_ctx *ctx, const char *name,
				       struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_delete_config_set(&r, name, err), err);
}

enum sc_status sesv2_put_config_set_block(const struct ses_ctx *ctx,
					  const struct ses_config_set *cs, enum ses_cs_block block,
					  struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_config_set_block(&r, cs, block, err), err);
}

enum sc_status sesv2_get_event_dests(const struct ses_ctx *ctx, const char *set,
				     struct ses_event_dest **v, size_t *n, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv2_need(err, "GetConfigurationSetEventDestinations",
				       "configuration set name", set);

	*v = NULL;
	*n = 0;
	if (st != SC_OK)
		return st;
	sesv2_build_get_event_dests(&r, set);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv2_parse_event_dests(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv2_put_event_dest(const struct ses_ctx *ctx, const char *set,
				    const struct ses_event_dest *d, bool create, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_event_dest(&r, set, d, create, err), err);
}

enum sc_status sesv2_delete_event_dest(const struct ses_ctx *ctx, const char *set,
				       const char *dest, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_delete_event_dest(&r, set, dest, err), err);
}

enum sc_status sesv2_put_identity_config_set(const struct ses_ctx *ctx, const char *identity,
					     const char *set, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_put_identity_config_set(&r, identity, set, err),
			       err);
}

enum sc_status sesv2_get_config_set_full(const struct ses_ctx *ctx, const char *name,
					 struct ses_config_set *out, struct sc_error *err)
{
	enum sc_status st = sesv2_get_config_set(ctx, name, out, err);

	if (st == SC_OK)
		st = sesv2_get_event_dests(ctx, name, &out->dests, &out->n_dests, err);
	if (st == SC_OK)
		out->dests_known = true;
	else
		ses_config_set_free(out);
	return st;
}

/* ---- tags (any SESv2 resource; sesctl tags configuration sets) ---- */

static const char *partition_of(const char *region)
{
	if (!strncmp(region, "cn-", 3))
		return "aws-cn";
	if (!strncmp(region, "us-gov-", 7))
		return "aws-us-gov";
	if (!strncmp(region, "us-isob-", 8))
		return "aws-iso-b";
	if (!strncmp(region, "us-iso-", 7))
		return "aws-iso";
	return "aws";
}

void ses_config_set_arn(char *out, size_t size, const char *region, const char *account,
			const char *name)
{
	snprintf(out, size, "arn:%s:ses:%s:%s:configuration-set/%s", partition_of(region), region,
		 account, name);
}

enum sc_status ses_tag_check(const char *key, const char *value, struct sc_error *err)
{
	size_t k = key ? strlen(key) : 0;

	if (k < 1 || k > 128)
		return sc_fail(err, SC_USAGE, "a tag key has 1 to 128 characters");
	if (!strncasecmp(key, "aws:", 4))
		return sc_fail(err, SC_USAGE, "tag keys starting with aws: are AWS's own");
	if (value && strlen(value) > 256)
		return sc_fail(err, SC_USAGE, "tag %s: a value has at most 256 characters", key);
	return SC_OK;
}

enum sc_status sesv2_build_tag_resource(struct ses_request *r, const char *arn,
					const struct ses_tag *tags, size_t n, struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, "TagResource", "resource ARN", arn);

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = ses_tag_check(tags[i].key, tags[i].value, err);
	if (st == SC_OK && !n)
		st = sc_fail(err, SC_USAGE, "TagResource: no tags");
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "TagResource", "POST");
	sesv2_path_with(r, "tags", NULL, NULL);
	sesv2_json_begin(r);
	ses_json_kv(&r->body, "ResourceArn", arn);
	emit_tags(&r->body, tags, n);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sesv2_build_untag_resource(struct ses_request *r, const char *arn,
					  char *const *keys, size_t n, struct sc_error *err)
{
	enum sc_status st = sesv2_need(err, "UntagResource", "resource ARN", arn);

	memset(r, 0, sizeof(*r));
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = ses_tag_check(keys[i], NULL, err);
	if (st == SC_OK && !n)
		st = sc_fail(err, SC_USAGE, "UntagResource: no tag keys");
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_SESV2, "UntagResource", "DELETE");
	sesv2_path_with(r, "tags", NULL, NULL);
	ses_param_add(&r->query, "ResourceArn", arn);
	for (size_t i = 0; i < n; i++)
		ses_param_add(&r->query, "TagKeys", keys[i]);
	return SC_OK;
}

enum sc_status sesv2_tag_resource(const struct ses_ctx *ctx, const char *arn,
				  const struct ses_tag *tags, size_t n, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_tag_resource(&r, arn, tags, n, err), err);
}

enum sc_status sesv2_untag_resource(const struct ses_ctx *ctx, const char *arn,
				    char *const *keys, size_t n, struct sc_error *err)
{
	struct ses_request r;

	return sesv2_send_only(ctx, &r, sesv2_build_untag_resource(&r, arn, keys, n, err), err);
}

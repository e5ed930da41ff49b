/* Feedback routing: SES v1 identity notification attributes and the SNS calls the audit and
 * the events tap need (Query API, XML replies). */
#include "sesctl/ses/feedback.h"

#include <ctype.h>
#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v1_impl.h"

#define SNS_VERSION "2010-03-31"

static const struct {
	const char *wire, *name;
} notif_kinds[SES_NOTIF_COUNT] = {
#define SES_NOTIF_ROW(id, wire, name) {wire, name},
	SES_NOTIF_KINDS(SES_NOTIF_ROW)
#undef SES_NOTIF_ROW
};

const char *ses_notif_wire(enum ses_notif_kind k)
{
	return (unsigned)k < SES_NOTIF_COUNT ? notif_kinds[k].wire : "?";
}

const char *ses_notif_name(enum ses_notif_kind k)
{
	return (unsigned)k < SES_NOTIF_COUNT ? notif_kinds[k].name : "?";
}

bool ses_notif_from(const char *s, enum ses_notif_kind *out)
{
	for (int k = 0; s && k < SES_NOTIF_COUNT; k++) {
		if (!strcasecmp(s, notif_kinds[k].wire)) {
			*out = (enum ses_notif_kind)k;
			return true;
		}
	}
	return false;
}

void ses_notif_attrs_free(struct ses_notif_attrs *a)
{
	if (!a)
		return;
	free(a->identity);
	for (int k = 0; k < SES_NOTIF_COUNT; k++)
		free(a->topic[k]);
	memset(a, 0, sizeof(*a));
}

/* ---- ARNs ---- */

static bool all_of(const char *s, size_t n, const char *extra)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)s[i]) && !strchr(extra, s[i]))
			return false;
	return true;
}

bool sns_arn_account(const char *arn, char out[13])
{
	const char *p = arn;

	out[0] = '\0';
	if (!arn || strncmp(arn, "arn:", 4))
		return false;
	for (int field = 0; field < 4; field++) {
		p = strchr(p, ':');
		if (!p)
			return false;
		p++;
	}
	for (int i = 0; i < 12; i++)
		if (!isdigit((unsigned char)p[i]))
			return false;
	if (p[12] != ':' && p[12] != '\0')
		return false;
	memcpy(out, p, 12);
	out[12] = '\0';
	return true;
}

bool sns_topic_arn_valid(const char *arn)
{
	const char *part, *region, *acct, *name;
	char account[13];
	size_t n;

	if (!arn || strncmp(arn, "arn:", 4) || !sns_arn_account(arn, account))
		return false;
	part = arn + 4;
	region = strchr(part, ':');
	if (region == part || !all_of(part, (size_t)(region - part), "-"))
		return false;
	if (strncmp(region, ":sns:", 5))
		return false;
	region += 5;
	acct = strchr(region, ':');
	if (acct == region || !all_of(region, (size_t)(acct - region), "-") || acct[13] != ':')
		return false;
	name = acct + 1 + 12 + 1;
	n = strlen(name);
	if (n > 5 && !strcmp(name + n - 5, ".fifo"))
		n -= 5;
	return n >= 1 && strlen(name) <= 256 && all_of(name, n, "-_");
}

/* ---- SES v1: identity notification attributes ---- */

static enum sc_status check_identity(const char *op, const char *identity, struct sc_error *err)
{
	if (identity && *identity)
		return SC_OK;
	return sc_fail(err, SC_USAGE, "%s: no identity was given", op);
}

static enum sc_status check_kind(const char *op, enum ses_notif_kind k, struct sc_error *err)
{
	if ((unsigned)k < SES_NOTIF_COUNT)
		return SC_OK;
	return sc_fail(err, SC_USAGE,
		       "%s: the notification type must be Bounce, Complaint or Delivery", op);
}

static enum sc_status check_topic(const char *op, const char *topic, struct sc_error *err)
{
	if (sns_topic_arn_valid(topic))
		return SC_OK;
	return sc_fail(err, SC_USAGE,
		       "%s: \"%.200s\" is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
		       op, topic ? topic : "");
}

enum sc_status sesv1_build_get_notification_attrs(struct ses_request *r, const char *const *ids,
						  size_t n, struct sc_error *err)
{
	const char *op = "GetIdentityNotificationAttributes";

	memset(r, 0, sizeof(*r));
	if (!ids || !n || n > SESV1_NOTIF_BATCH)
		return sc_fail(err, SC_USAGE, "%s: give 1 to %d identities a call (%zu given)", op,
			       SESV1_NOTIF_BATCH, ids ? n : 0);
	for (size_t i = 0; i < n; i++)
		if (!ids[i] || !*ids[i])
			return sc_fail(err, SC_USAGE, "%s: identity %zu is empty", op, i + 1);
	sesv1_query(r, op);
	for (size_t i = 0; i < n; i++)
		ses_param_addf(&r->body, ids[i], "Identities.member.%zu", i + 1);
	return SC_OK;
}

/* An empty element (<ComplaintTopic/>) is no topic. */
static char *text_or_null(const xmlNode *n, const char *path)
{
	char *t = xml_path_text(n, path);

	if (t && !*t) {
		free(t);
		return NULL;
	}
	return t;
}

static enum sc_status parse_notif_entry(const char *op, const xmlNode *entry,
					struct ses_notif_attrs *a, struct sc_error *err)
{
	const xmlNode *value = xml_child(entry, "value");
	char path[64];

	a->identity = text_or_null(entry, "key");
	if (!a->identity)
		return xr_fail_field(err, op, "NotificationAttributes.entry.key");
	if (!value)
		return xr_fail_field(err, op, "NotificationAttributes.entry.value");
	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		snprintf(path, sizeof(path), "%sTopic", notif_kinds[k].wire);
		a->topic[k] = text_or_null(value, path);
		snprintf(path, sizeof(path), "HeadersIn%sNotificationsEnabled",
			 notif_kinds[k].wire);
		xml_path_bool(value, path, &a->headers[k]);
	}
	xml_path_bool(value, "ForwardingEnabled", &a->forwarding);
	return SC_OK;
}

enum sc_status sesv1_parse_notification_attrs(const char *body, size_t len,
					      struct ses_notif_attrs **v, size_t *n,
					      struct sc_error *err)
{
	const char *op = "GetIdentityNotificationAttributes";
	xmlNode *result, *map;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	enum sc_status st = SC_OK;
	size_t base = *n;

	if (!doc)
		return SC_BAD_REPLY;
	map = xml_child(result, "NotificationAttributes");
	if (!map) {
		xml_free(doc);
		return xr_fail_field(err, op, "NotificationAttributes");
	}
	*v = xrealloc(*v, (base + xml_count(map, "entry") + 1) * sizeof(**v));
	for (xmlNode *e = xml_next(map, NULL, "entry"); e && st == SC_OK;
	     e = xml_next(map, e, "entry")) {
		struct ses_notif_attrs *a = &(*v)[(*n)++];

		memset(a, 0, sizeof(*a));
		st = parse_notif_entry(op, e, a, err);
	}
	if (st != SC_OK)
		while (*n > base)
			ses_notif_attrs_free(&(*v)[--(*n)]);
	xml_free(doc);
	return st;
}

enum sc_status sesv1_get_notification_attrs(const struct ses_ctx *ctx, const char *const *ids,
					    size_t nids, struct ses_notif_attrs **v, size_t *n,
					    struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv1_build_get_notification_attrs(&r, ids, nids, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_notification_attrs(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv1_build_set_notification_topic(struct ses_request *r, const char *identity,
						  enum ses_notif_kind k, const char *topic,
						  struct sc_error *err)
{
	const char *op = "SetIdentityNotificationTopic";
	enum sc_status st = check_identity(op, identity, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_kind(op, k, err);
	if (st == SC_OK && topic)
		st = check_topic(op, topic, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "Identity", identity);
	ses_param_add(&r->body, "NotificationType", notif_kinds[k].wire);
	if (topic)
		ses_param_add(&r->body, "SnsTopic", topic);
	return SC_OK;
}

enum sc_status sesv1_set_notification_topic(const struct ses_ctx *ctx, const char *identity,
					    enum ses_notif_kind k, const char *topic,
					    struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sesv1_build_set_notification_topic(&r, identity, k, topic, err);

	if (st != SC_OK)
		ses_request_free(&r);
	return sesv1_send_empty(ctx, &r, st, err);
}

enum sc_status sesv1_build_set_headers_in_notifications(struct ses_request *r,
							const char *identity,
							enum ses_notif_kind k, bool enabled,
							struct sc_error *err)
{
	const char *op = "SetIdentityHeadersInNotificationsEnabled";
	enum sc_status st = check_identity(op, identity, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_kind(op, k, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "Identity", identity);
	ses_param_add(&r->body, "NotificationType", notif_kinds[k].wire);
	ses_param_add(&r->body, "Enabled", enabled ? "true" : "false");
	return SC_OK;
}

enum sc_status sesv1_set_headers_in_notifications(const struct ses_ctx *ctx,
						  const char *identity, enum ses_notif_kind k,
						  bool enabled, struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sesv1_build_set_headers_in_notifications(&r, identity, k, enabled, err);

	if (st != SC_OK)
		ses_request_free(&r);
	return sesv1_send_empty(ctx, &r, st, err);
}

enum sc_status sesv1_build_set_feedback_forwarding(struct ses_request *r, const char *identity,
						   bool enabled, struct sc_error *err)
{
	const char *op = "SetIdentityFeedbackForwardingEnabled";
	enum sc_status st = check_identity(op, identity, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "Identity", identity);
	ses_param_add(&r->body, "ForwardingEnabled", enabled ? "true" : "false");
	return SC_OK;
}

enum sc_status sesv1_set_feedback_forwarding(const struct ses_ctx *ctx, const char *identity,
					     bool enabled, struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sesv1_build_set_feedback_forwarding(&r, identity, enabled, err);

	if (st != SC_OK)
		ses_request_free(&r);
	return sesv1_send_empty(ctx, &r, st, err);
}

/* ---- SNS ---- */

static void sns_query(struct ses_request *r, const char *action)
{
	ses_request_init_query(r, SES_SVC_SNS, action, SNS_VERSION);
}

void sns_topic_attrs_free(struct sns_topic_attrs *a)
{
	if (!a)
		return;
	free(a->owner);
	free(a->policy);
	memset(a, 0, sizeof(*a));
}

static void subscription_clear(struct sns_subscription *s)
{
	free(s->arn);
	free(s->protocol);
	free(s->endpoint);
	free(s->owner);
	memset(s, 0, sizeof(*s));
}

void sns_subscriptions_free(struct sns_subscriptions *s)
{
	if (!s)
		return;
	for (size_t i = 0; i < s->n; i++)
		subscription_clear(&s->v[i]);
	free(s->v);
	memset(s, 0, sizeof(*s));
}

enum sc_status sns_build_get_topic_attributes(struct ses_request *r, const char *topic_arn,
					      struct sc_error *err)
{
	const char *op = "GetTopicAttributes";
	enum sc_status st = check_topic(op, topic_arn, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sns_query(r, op);
	ses_param_add(&r->body, "TopicArn", topic_arn);
	return SC_OK;
}

static enum sc_status parse_count(const char *op, const char *key, const char *text, long *out,
				  struct sc_error *err)
{
	char *end;
	long v;

	errno = 0;
	v = strtol(text, &end, 10);
	if (end == text || *end || errno == ERANGE || v < 0)
		return sc_fail(err, SC_BAD_REPLY, "%s: the reply's %s is not a count", op, key);
	*out = v;
	return SC_OK;
}

static enum sc_status topic_attr(const char *op, const char *key, char *value,
				 struct sns_topic_attrs *out, struct sc_error *err)
{
	static const struct {
		const char *key;
		size_t offset;
	} counts[] = {
		{"SubscriptionsConfirmed", offsetof(struct sns_topic_attrs, confirmed)},
		{"SubscriptionsPending", offsetof(struct sns_topic_attrs, pending)},
		{"SubscriptionsDeleted", offsetof(struct sns_topic_attrs, deleted)},
	};
	char **slot = !strcmp(key, "Owner")    ? &out->owner
		      : !strcmp(key, "Policy") ? &out->policy
					       : NULL;

	if (slot) {
		free(*slot);
		*slot = value;
		return SC_OK;
	}
	for (size_t i = 0; i < sizeof(counts) / sizeof(counts[0]); i++) {
		long *count = (long *)(void *)((char *)out + counts[i].offset);
		enum sc_status st;

		if (strcmp(key, counts[i].key))
			continue;
		st = parse_count(op, key, value, count, err);
		free(value);
		return st;
	}
	free(value);
	return SC_OK;
}

enum sc_status sns_parse_topic_attributes(const char *body, size_t len,
					  struct sns_topic_attrs *out, struct sc_error *err)
{
	const char *op = "GetTopicAttributes";
	xmlNode *result, *map;
	xmlDoc *doc;
	enum sc_status st = SC_OK;

	sns_topic_attrs_free(out);
	out->confirmed = out->pending = out->deleted = -1;
	doc = xr_open(body, len, op, true, &result, err);
	if (!doc)
		return SC_BAD_REPLY;
	map = xml_child(result, "Attributes");
	for (xmlNode *e = xml_next(map, NULL, "entry"); e && st == SC_OK;
	     e = xml_next(map, e, "entry")) {
		char *key = xml_path_text(e, "key"), *value = xml_path_text(e, "value");

		if (key && *key && value) {
			st = topic_attr(op, key, value, out, err); /* takes value */
		} else {
			st = xr_fail_field(err, op, "Attributes.entry (key, value)");
			free(value);
		}
		free(key);
	}
	xml_free(doc);
	if (st != SC_OK) {
		sns_topic_attrs_free(out);
		out->confirmed = out->pending = out->deleted = -1;
	}
	return st;
}

enum sc_status sns_get_topic_attributes(const struct ses_ctx *ctx, const char *topic_arn,
					struct sns_topic_attrs *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sns_build_get_topic_attributes(&r, topic_arn, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sns_parse_topic_attributes(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sns_build_list_subscriptions_by_topic(struct ses_request *r, const char *topic_arn,
						     const char *next_token, struct sc_error *err)
{
	const char *op = "ListSubscriptionsByTopic";
	enum sc_status st = check_topic(op, topic_arn, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sns_query(r, op);
	ses_param_add(&r->body, "TopicArn", topic_arn);
	if (next_token && *next_token)
		ses_param_add(&r->body, "NextToken", next_token);
	return SC_OK;
}

static bool is_pending(const char *arn)
{
	return !strcasecmp(arn, "PendingConfirmation") || !strcasecmp(arn, "pending confirmation");
}

static void subscription_push(struct sns_subscriptions *out, const xmlNode *m, char *arn)
{
	struct sns_subscription *s;

	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : 16;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	s = &out->v[out->n++];
	memset(s, 0, sizeof(*s));
	s->pending = is_pending(arn);
	if (s->pending)
		free(arn);
	else
		s->arn = arn;
	s->protocol = text_or_null(m, "Protocol");
	s->endpoint = text_or_null(m, "Endpoint");
	s->owner = text_or_null(m, "Owner");
}

enum sc_status sns_parse_list_subscriptions_by_topic(const char *body, size_t len,
						     struct sns_subscriptions *out,
						     char **next_token, struct sc_error *err)
{
	const char *op = "ListSubscriptionsByTopic";
	xmlNode *result, *list;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	size_t base = out->n;

	if (next_token) {
		free(*next_token);
		*next_token = NULL;
	}
	if (!doc)
		return SC_BAD_REPLY;
	list = xml_child(result, "Subscriptions");
	for (xmlNode *m = xml_next(list, NULL, "member"); m; m = xml_next(list, m, "member")) {
		char *arn = text_or_null(m, "SubscriptionArn");

		if (!arn) {
			while (out->n > base)
				subscription_clear(&out->v[--out->n]);
			xml_free(doc);
			return xr_fail_field(err, op, "Subscriptions.member.SubscriptionArn");
		}
		subscription_push(out, m, arn);
	}
	if (next_token)
		*next_token = text_or_null(result, "NextToken");
	xml_free(doc);
	return SC_OK;
}

enum sc_status sns_list_subscriptions_by_topic(const struct ses_ctx *ctx, const char *topic_arn,
					       struct sns_subscriptions *out,
					       struct sc_error *err)
{
	struct ses_pager pager = {.op = "ListSubscriptionsByTopic"};
	char *token = NULL;
	enum sc_status st = SC_OK;
	size_t base = out->n;

	while (st == SC_OK) {
		struct ses_request r;
		struct aws_reply reply;

		st = sns_build_list_subscriptions_by_topic(&r, topic_arn, token, err);
		if (st != SC_OK) {
			ses_request_free(&r);
			break;
		}
		st = ses_send(ctx, &r, &reply, err);
		if (st != SC_OK)
			break;
		st = sns_parse_list_subscriptions_by_topic(reply.body.data, reply.body.len, out,
							   &token, err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, out->n, err);
		if (!token)
			break;
	}
	ses_pager_free(&pager);
	free(token);
	while (st != SC_OK && out->n > base) /* none of this listing, what the caller had stays */
		subscription_clear(&out->v[--out->n]);
	return st;
}

enum sc_status sns_build_subscribe(struct ses_request *r, const char *topic_arn,
				   const char *protocol, const char *endpoint, bool raw,
				   struct sc_error *err)
{
	const char *op = "Subscribe";
	enum sc_status st = check_topic(op, topic_arn, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!protocol || !*protocol))
		st = sc_fail(err, SC_USAGE, "%s: no protocol was given (sqs, email, https …)",
			     op);
	if (st == SC_OK && (!endpoint || !*endpoint))
		st = sc_fail(err, SC_USAGE, "%s: no endpoint was given", op);
	if (st != SC_OK)
		return st;
	sns_query(r, op);
	ses_param_add(&r->body, "TopicArn", topic_arn);
	ses_param_add(&r->body, "Protocol", protocol);
	ses_param_add(&r->body, "Endpoint", endpoint);
	if (raw) {
		ses_param_add(&r->body, "Attributes.entry.1.key", "RawMessageDelivery");
		ses_param_add(&r->body, "Attributes.entry.1.value", "true");
	}
	ses_param_add(&r->body, "ReturnSubscriptionArn", "true");
	return SC_OK;
}

enum sc_status sns_parse_subscribe(const char *body, size_t len, char **sub_arn,
				   struct sc_error *err)
{
	const char *op = "Subscribe";
	xmlNode *result;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);

	*sub_arn = NULL;
	if (!doc)
		return SC_BAD_REPLY;
	*sub_arn = text_or_null(result, "SubscriptionArn");
	xml_free(doc);
	return *sub_arn ? SC_OK : xr_fail_field(err, op, "SubscriptionArn");
}

enum sc_status sns_subscribe(const struct ses_ctx *ctx, const char *topic_arn,
			     const char *protocol, const char *endpoint, bool raw, char **sub_arn,
			     struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sns_build_subscribe(&r, topic_arn, protocol, endpoint, raw, err);

	*sub_arn = NULL;
	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sns_parse_subscribe(reply.body.data, reply.body.len, sub_arn, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sns_build_unsubscribe(struct ses_request *r, const char *sub_arn,
				     struct sc_error *err)
{
	const char *op = "Unsubscribe";
	char account[13];

	memset(r, 0, sizeof(*r));
	if (!sub_arn || is_pending(sub_arn) || strncmp(sub_arn, "arn:", 4) ||
	    !sns_arn_account(sub_arn, account))
		return sc_fail(err, SC_USAGE, "%s: \"%.200s\" is not a subscription ARN", op,
			       sub_arn ? sub_arn : "");
	sns_query(r, op);
	ses_param_add(&r->body, "SubscriptionArn", sub_arn);
	return SC_OK;
}

enum sc_status sns_unsubscribe(const struct ses_ctx *ctx, const char *sub_arn,
			       struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sns_build_unsubscribe(&r, sub_arn, err);

	if (st != SC_OK)
		ses_request_free(&r);
	return sesv1_send_empty(ctx, &r, st, err);
}

/* SES feedback events: the notification parser (identity notifications and event
 * publishing, with or without the SNS envelope) and the SQS client of the events tap. */
#include "sesctl/ses/events.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

#define EVENTS_BODY_MAX (256 * 1024) /* SQS's largest message */

static const struct {
	const char *name, *word;
} ev_types[SES_EV_COUNT] = {
#define SES_EV_ROW(id, name, word) {name, word},
	SES_EV_TYPES(SES_EV_ROW)
#undef SES_EV_ROW
};

/* The record's object for each type. */
static const char *const ev_objects[SES_EV_COUNT] = {
	[SES_EV_BOUNCE] = "bounce",
	[SES_EV_COMPLAINT] = "complaint",
	[SES_EV_DELIVERY] = "delivery",
	[SES_EV_SEND] = "send",
	[SES_EV_REJECT] = "reject",
	[SES_EV_OPEN] = "open",
	[SES_EV_CLICK] = "click",
	[SES_EV_RENDERING_FAILURE] = "failure",
	[SES_EV_DELIVERY_DELAY] = "deliveryDelay",
	[SES_EV_SUBSCRIPTION] = "subscription",
};

const char *ses_ev_name(enum ses_ev_type t)
{
	return (unsigned)t < SES_EV_COUNT ? ev_types[t].name : "?";
}

const char *ses_ev_word(enum ses_ev_type t)
{
	return (unsigned)t < SES_EV_COUNT ? ev_types[t].word : "?";
}

/* Letters and digits only, lower case: "Rendering Failure" == "rendering-failure". */
static bool same_word(const char *a, const char *b)
{
	for (;;) {
		while (*a && !isalnum((unsigned char)*a))
			a++;
		while (*b && !isalnum((unsigned char)*b))
			b++;
		if (!*a || !*b)
			return !*a && !*b;
		if (tolower((unsigned char)*a++) != tolower((unsigned char)*b++))
			return false;
	}
}

bool ses_ev_from(const char *s, enum ses_ev_type *out)
{
	if (!s || !*s)
		return false;
	for (int t = 0; t < SES_EV_COUNT; t++) {
		if (same_word(s, ev_types[t].name) || same_word(s, ev_types[t].word)) {
			*out = (enum ses_ev_type)t;
			return true;
		}
	}
	return false;
}

void ses_event_clear(struct ses_event *e)
{
	if (!e)
		return;
	free(e->subtype);
	free(e->recipient);
	free(e->status);
	free(e->diagnostic);
	free(e->reporting_mta);
	free(e->remote_mta_ip);
	free(e->source);
	free(e->identity);
	free(e->config_set);
	free(e->message_id);
	free(e->subject);
	free(e->feedback_id);
	free(e->topic_arn);
	free(e->sns_message_id);
	memset(e, 0, sizeof(*e));
}

void ses_events_free(struct ses_events *evs)
{
	if (!evs)
		return;
	for (size_t i = 0; i < evs->n; i++)
		ses_event_clear(&evs->v[i]);
	free(evs->v);
	memset(evs, 0, sizeof(*evs));
}

/* ---- reading the record ---- */

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *v = jr_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *dup_at(const cJSON *obj, const char *key)
{
	const char *s = str_at(obj, key);

	return s ? xstrdup(s) : NULL;
}

static time_t time_at(const cJSON *obj, const char *key)
{
	const char *s = str_at(obj, key);
	time_t t;

	return s && xml_parse_iso8601(s, &t) ? t : 0;
}

/* What every row of one record shares, borrowed from the cJSON tree. */
struct record {
	enum ses_ev_type type;
	bool published;
	const cJSON *mail, *obj; /* obj: bounce / complaint / ... or NULL */
	const char *topic_arn, *sns_message_id;
};

/* The type from eventType / notificationType, else from the object the record carries. */
static bool record_type(const cJSON *rec, struct record *r)
{
	const char *word = str_at(rec, "eventType");

	r->published = word != NULL;
	if (!word)
		word = str_at(rec, "notificationType");
	if (word && ses_ev_from(word, &r->type)) {
		r->obj = jr_get(rec, ev_objects[r->type]);
		if (!cJSON_IsObject(r->obj))
			r->obj = NULL;
		return true;
	}
	for (int t = 0; t < SES_EV_COUNT; t++) {
		const cJSON *o = jr_get(rec, ev_objects[t]);

		if (cJSON_IsObject(o)) {
			r->type = (enum ses_ev_type)t;
			r->obj = o;
			return true;
		}
	}
	return false;
}

static char *identity_of(const cJSON *mail)
{
	const char *arn = str_at(mail, "sourceArn"), *src = str_at(mail, "source"), *p;

	if (arn) {
		p = strstr(arn, ":identity/");
		if (!p)
			p = strstr(arn, "/identity/");
		if (p && p[10])
			return xstrdup(p + 10);
	}
	p = src ? strrchr(src, '@') : NULL;
	if (p && p[1])
		return xstrndup(p + 1, strcspn(p + 1, ">"));
	return NULL;
}

static char *config_set_of(const cJSON *mail)
{
	const cJSON *v = jr_get(jr_get(mail, "tags"), "ses:configuration-set");

	if (cJSON_IsArray(v))
		v = cJSON_GetArrayItem(v, 0);
	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static char *subtype_of(const struct record *r)
{
	const char *a, *b;
	struct buf out = BUF_INIT;

	switch (r->type) {
	case SES_EV_BOUNCE:
		a = str_at(r->obj, "bounceType");
		b = str_at(r->obj, "bounceSubType");
		if (!a && !b)
			return NULL;
		buf_printf(&out, "%s%s%s", a ? a : "", a && b ? "/" : "", b ? b : "");
		return buf_steal(&out);
	case SES_EV_COMPLAINT:
		a = str_at(r->obj, "complaintFeedbackType");
		return dup_at(r->obj, a ? "complaintFeedbackType" : "complaintSubType");
	case SES_EV_DELIVERY_DELAY:
		return dup_at(r->obj, "delayType");
	case SES_EV_REJECT:
		return dup_at(r->obj, "reason");
	case SES_EV_CLICK:
		return dup_at(r->obj, "link");
	case SES_EV_RENDERING_FAILURE:
		return dup_at(r->obj, "errorMessage");
	default:
		return NULL;
	}
}

/* The fields every row of the record has. */
static void fill_common(const struct record *r, struct ses_event *e)
{
	e->type = r->type;
	e->published = r->published;
	e->mail_time = time_at(r->mail, "timestamp");
	e->time = time_at(r->obj, "timestamp");
	if (!e->time)
		e->time = e->mail_time;
	e->subtype = subtype_of(r);
	e->source = dup_at(r->mail, "source");
	e->identity = identity_of(r->mail);
	e->config_set = config_set_of(r->mail);
	e->message_id = dup_at(r->mail, "messageId");
	e->subject = dup_at(jr_get(r->mail, "commonHeaders"), "subject");
	e->feedback_id = dup_at(r->obj, "feedbackId");
	e->reporting_mta = dup_at(r->obj, "reportingMTA");
	e->remote_mta_ip = dup_at(r->obj, "remoteMtaIp");
	if (r->type == SES_EV_DELIVERY)
		e->diagnostic = dup_at(r->obj, "smtpResponse");
	e->topic_arn = r->topic_arn ? xstrdup(r->topic_arn) : NULL;
	e->sns_message_id = r->sns_message_id ? xstrdup(r->sns_message_id) : NULL;
}

struct rows {
	struct ses_events *out;
	size_t added;
	bool truncated;
};

/* Appends one row; NULL (and truncated set) once the body's row budget is spent. */
static struct ses_event *add_row(struct rows *rows, const struct record *r)
{
	struct ses_events *o = rows->out;
	struct ses_event *e;

	if (rows->added >= SES_EVENTS_MAX_ROWS) {
		rows->truncated = true;
		return NULL;
	}
	if (o->n == o->cap) {
		o->cap = o->cap ? o->cap * 2 : 8;
		o->v = xrealloc(o->v, o->cap * sizeof(*o->v));
	}
	e = &o->v[o->n++];
	memset(e, 0, sizeof(*e));
	fill_common(r, e);
	rows->added++;
	return e;
}

/* The recipient list of the record's type: key in obj, objects with emailAddress (or plain
 * strings, as delivery.recipients and mail.destination are). */
static const cJSON *recipient_list(const struct record *r)
{
	static const char *const keys[SES_EV_COUNT] = {
		[SES_EV_BOUNCE] = "bouncedRecipients",
		[SES_EV_COMPLAINT] = "complainedRecipients",
		[SES_EV_DELIVERY] = "recipients",
		[SES_EV_DELIVERY_DELAY] = "delayedRecipients",
	};
	const cJSON *list = keys[r->type] ? jr_get(r->obj, keys[r->type]) : NULL;

	if (cJSON_GetArraySize(list) > 0 && cJSON_IsArray(list))
		return list;
	list = jr_get(r->mail, "destination");
	return cJSON_IsArray(list) && cJSON_GetArraySize(list) > 0 ? list : NULL;
}

static void add_recipient(struct rows *rows, const struct record *r, const cJSON *it)
{
	struct ses_event *e;

	if (!cJSON_IsString(it) && !cJSON_IsObject(it))
		return;
	e = add_row(rows, r);
	if (!e)
		return;
	if (cJSON_IsString(it)) {
		e->recipient = xstrdup(it->valuestring);
		return;
	}
	e->recipient = dup_at(it, "emailAddress");
	e->status = dup_at(it, "status");
	if (str_at(it, "diagnosticCode")) {
		free(e->diagnostic);
		e->diagnostic = dup_at(it, "diagnosticCode");
	}
}

static void add_rows(struct rows *rows, const struct record *r)
{
	const cJSON *list = recipient_list(r), *it;
	size_t before = rows->added;

	cJSON_ArrayForEach(it, list) {
		add_recipient(rows, r, it);
		if (rows->truncated)
			return;
	}
	if (rows->added == before)
		add_row(rows, r);
}

/* The SES record inside body: the object itself, or an SNS envelope's Message (a JSON
 * string decoded once more, or an object). *inner is a second tree to free. */
static const cJSON *find_record(const cJSON *root, cJSON **inner, struct record *r)
{
	const cJSON *msg = jr_get(root, "Message");

	*inner = NULL;
	if (jr_get(root, "mail") || jr_get(root, "eventType") || jr_get(root, "notificationType") ||
	    !msg)
		return root;
	r->topic_arn = str_at(root, "TopicArn");
	r->sns_message_id = str_at(root, "MessageId");
	if (cJSON_IsObject(msg))
		return msg;
	if (!cJSON_IsString(msg))
		return NULL;
	*inner = cJSON_Parse(msg->valuestring);
	return cJSON_IsObject(*inner) ? *inner : NULL;
}

enum sc_status ses_events_parse(const char *body, size_t len, struct ses_events *out,
				bool *truncated, struct sc_error *err)
{
	struct record r = {0};
	struct rows rows = {out, 0, false};
	const cJSON *rec;
	cJSON *root, *inner;

	if (truncated)
		*truncated = false;
	if (!body || !len)
		return sc_fail(err, SC_BAD_REPLY, "SES event: the message is empty");
	if (len > EVENTS_BODY_MAX)
		return sc_fail(err, SC_BAD_REPLY, "SES event: the message is over %d KiB",
			       EVENTS_BODY_MAX / 1024);
	root = cJSON_ParseWithLength(body, len);
	if (!cJSON_IsObject(root)) {
		cJSON_Delete(root);
		return sc_fail(err, SC_BAD_REPLY, "SES event: the message is not a JSON object");
	}
	rec = find_record(root, &inner, &r);
	if (!rec || !record_type(rec, &r)) {
		cJSON_Delete(inner);
		cJSON_Delete(root);
		return sc_fail(err, SC_BAD_REPLY,
			       "SES event: the message holds no SES notification or event record");
	}
	r.mail = jr_get(rec, "mail");
	if (!cJSON_IsObject(r.mail))
		r.mail = NULL;
	add_rows(&rows, &r);
	if (truncated)
		*truncated = rows.truncated;
	cJSON_Delete(inner);
	cJSON_Delete(root);
	return SC_OK;
}

/* ---- SQS (JSON 1.0) ---- */

#define SQS_INIT(r, op) sqs_init((r), op, "AmazonSQS." op)

static void sqs_init(struct ses_request *r, const char *op, const char *target)
{
	ses_request_init(r, SES_SVC_SQS, op, "POST");
	buf_putc(&r->path, '/');
	r->content_type = "application/x-amz-json-1.0";
	r->target = target;
	ses_json_open(&r->body, '{');
}

static enum sc_status check_url(const char *op, const char *url, struct sc_error *err)
{
	if (url && *url)
		return SC_OK;
	return sc_fail(err, SC_USAGE, "%s: no queue URL was given", op);
}

static bool queue_name_ok(const char *name)
{
	size_t n = name ? strlen(name) : 0;

	if (!n || n > 80)
		return false;
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

void sqs_messages_free(struct sqs_messages *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		free(m->v[i].id);
		free(m->v[i].receipt_handle);
		free(m->v[i].body);
	}
	free(m->v);
	memset(m, 0, sizeof(*m));
}

enum sc_status sqs_build_create_queue(struct ses_request *r, const char *name,
				      const char *const *attrs, struct sc_error *err)
{
	const char *op = "CreateQueue";

	memset(r, 0, sizeof(*r));
	if (!queue_name_ok(name))
		return sc_fail(err, SC_USAGE,
			       "%s: a queue name is 1 to 80 ASCII letters, digits, '_' or '-'", op);
	for (size_t i = 0; attrs && attrs[i]; i += 2)
		if (!*attrs[i] || !attrs[i + 1])
			return sc_fail(err, SC_USAGE, "%s: attribute %zu has no name or no value",
				       op, i / 2 + 1);
	SQS_INIT(r, "CreateQueue");
	ses_json_kv(&r->body, "QueueName", name);
	if (attrs && attrs[0]) {
		ses_json_key(&r->body, "Attributes");
		ses_json_open(&r->body, '{');
		for (size_t i = 0; attrs[i]; i += 2)
			ses_json_kv(&r->body, attrs[i], attrs[i + 1]);
		ses_json_close(&r->body, '}');
	}
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* One required string member of a JSON reply into *out. */
static enum sc_status parse_one(const char *op, const char *body, size_t len, const char *obj,
				const char *key, char **out, struct sc_error *err)
{
	struct jr r = {op, obj, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *from = obj ? jr_obj(&r, root, obj, JR_REQUIRED) : root;

	*out = jr_str(&r, from, key, JR_REQUIRED);
	if (*out && !**out) {
		free(*out);
		*out = NULL;
		jr_fail_field(&r, key);
	}
	cJSON_Delete(root);
	return r.st;
}

enum sc_status sqs_parse_create_queue(const char *body, size_t len, char **queue_url,
				      struct sc_error *err)
{
	return parse_one("CreateQueue", body, len, NULL, "QueueUrl", queue_url, err);
}

/* build → send → parse for the calls that return one string. */
static enum sc_status sqs_call(const struct ses_ctx *ctx, struct ses_request *r,
			       enum sc_status built,
			       enum sc_status (*parse)(const char *, size_t, char **,
						       struct sc_error *),
			       char **out, struct sc_error *err)
{
	struct aws_reply reply;
	enum sc_status st = built;

	*out = NULL;
	if (st != SC_OK) {
		ses_request_free(r);
		return st;
	}
	st = ses_send(ctx, r, &reply, err);
	if (st != SC_OK)
		return st;
	st = parse(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sqs_create_queue(const struct ses_ctx *ctx, const char *name,
				const char *const *attrs, char **queue_url, struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sqs_build_create_queue(&r, name, attrs, err);

	return sqs_call(ctx, &r, st, sqs_parse_create_queue, queue_url, err);
}

enum sc_status sqs_build_get_queue_arn(struct ses_request *r, const char *queue_url,
				       struct sc_error *err)
{
	enum sc_status st = check_url("GetQueueAttributes", queue_url, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	SQS_INIT(r, "GetQueueAttributes");
	ses_json_kv(&r->body, "QueueUrl", queue_url);
	ses_json_key(&r->body, "AttributeNames");
	ses_json_open(&r->body, '[');
	ses_json_str(&r->body, "QueueArn");
	ses_json_close(&r->body, ']');
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sqs_parse_get_queue_arn(const char *body, size_t len, char **queue_arn,
				       struct sc_error *err)
{
	return parse_one("GetQueueAttributes", body, len, "Attributes", "QueueArn", queue_arn,
			 err);
}

enum sc_status sqs_get_queue_arn(const struct ses_ctx *ctx, const char *queue_url,
				 char **queue_arn, struct sc_error *err)
{
	struct ses_request r;
	enum sc_status st = sqs_build_get_queue_arn(&r, queue_url, err);

	return sqs_call(ctx, &r, st, sqs_parse_get_queue_arn, queue_arn, err);
}

enum sc_status sqs_build_delete_queue(struct ses_request *r, const char *queue_url,
				      struct sc_error *err)
{
	enum sc_status st = check_url("DeleteQueue", queue_url, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	SQS_INIT(r, "DeleteQueue");
	ses_json_kv(&r->body, "QueueUrl", queue_url);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* Operations without output: an empty body or a JSON object. */
static enum sc_status sqs_send_empty(const struct ses_ctx *ctx, struct ses_request *r,
				     enum sc_status built, struct sc_error *err)
{
	struct jr jr = {r->operation, NULL, err, SC_OK};
	struct aws_reply reply;
	enum sc_status st = built;
	cJSON *root;

	if (st != SC_OK) {
		ses_request_free(r);
		return st;
	}
	st = ses_send(ctx, r, &reply, err);
	if (st != SC_OK)
		return st;
	root = jr_parse_empty_ok(&jr, reply.body.data, reply.body.len);
	cJSON_Delete(root);
	aws_reply_free(&reply);
	return jr.st;
}

enum sc_status sqs_delete_queue(const struct ses_ctx *ctx, const char *queue_url,
				struct sc_error *err)
{
	struct ses_request r;

	return sqs_send_empty(ctx, &r, sqs_build_delete_queue(&r, queue_url, err), err);
}

enum sc_status sqs_build_receive(struct ses_request *r, const char *queue_url, int max,
				 int wait_s, int visibility_s, struct sc_error *err)
{
	const char *op = "ReceiveMessage";
	enum sc_status st = check_url(op, queue_url, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (max < 1 || max > 10))
		st = sc_fail(err, SC_USAGE, "%s: take 1 to 10 messages at a time (%d asked)", op,
			     max);
	if (st == SC_OK && (wait_s < 0 || wait_s > 20))
		st = sc_fail(err, SC_USAGE, "%s: the wait must be 0 to 20 seconds (%d asked)", op,
			     wait_s);
	if (st == SC_OK && (visibility_s < 0 || visibility_s > 43200))
		st = sc_fail(err, SC_USAGE,
			     "%s: the visibility timeout must be 0 to 43200 seconds (%d asked)", op,
			     visibility_s);
	if (st != SC_OK)
		return st;
	SQS_INIT(r, "ReceiveMessage");
	ses_json_kv(&r->body, "QueueUrl", queue_url);
	ses_json_key(&r->body, "MaxNumberOfMessages");
	ses_json_num(&r->body, max);
	ses_json_key(&r->body, "WaitTimeSeconds");
	ses_json_num(&r->body, wait_s);
	if (visibility_s) {
		ses_json_key(&r->body, "VisibilityTimeout");
		ses_json_num(&r->body, visibility_s);
	}
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sqs_parse_receive(const char *body, size_t len, struct sqs_messages *out,
				 struct sc_error *err)
{
	struct jr r = {"ReceiveMessage", NULL, err, SC_OK};
	cJSON *root = jr_parse_empty_ok(&r, body, len);
	const cJSON *list = jr_arr(&r, root, "Messages", JR_OPTIONAL), *it;
	size_t base = out->n;

	r.scope = "Messages";
	cJSON_ArrayForEach(it, list) {
		struct sqs_message m = {0};

		m.receipt_handle = jr_str(&r, it, "ReceiptHandle", JR_REQUIRED);
		m.body = jr_str(&r, it, "Body", JR_REQUIRED);
		m.id = jr_str(&r, it, "MessageId", JR_OPTIONAL);
		if (r.st != SC_OK) {
			free(m.receipt_handle);
			free(m.body);
			free(m.id);
			break;
		}
		if (out->n == out->cap) {
			out->cap = out->cap ? out->cap * 2 : 10;
			out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
		}
		out->v[out->n++] = m;
	}
	while (r.st != SC_OK && out->n > base) {
		struct sqs_message *m = &out->v[--out->n];

		free(m->id);
		free(m->receipt_handle);
		free(m->body);
	}
	cJSON_Delete(root);
	return r.st;
}

enum sc_status sqs_receive(const struct ses_ctx *ctx, const char *queue_url, int max,
			   int wait_s, int visibility_s, struct sqs_messages *out,
			   struct sc_error *err)
{
	struct ses_ctx longer = *ctx;
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sqs_build_receive(&r, queue_url, max, wait_s, visibility_s, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	/* a long poll holds the reply back for up to wait_s: the HTTP timeout must outlast it */
	if (longer.timeout_ms < (wait_s + 10) * 1000L)
		longer.timeout_ms = (wait_s + 10) * 1000L;
	st = ses_send(&longer, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sqs_parse_receive(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sqs_build_delete_batch(struct ses_request *r, const char *queue_url,
				      const char *const *handles, size_t n, struct sc_error *err)
{
	const char *op = "DeleteMessageBatch";
	enum sc_status st = check_url(op, queue_url, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!handles || !n || n > 10))
		st = sc_fail(err, SC_USAGE, "%s: give 1 to 10 receipt handles (%zu given)", op,
			     handles ? n : 0);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		if (!handles[i] || !*handles[i])
			st = sc_fail(err, SC_USAGE, "%s: receipt handle %zu is empty", op, i + 1);
	if (st != SC_OK)
		return st;
	SQS_INIT(r, "DeleteMessageBatch");
	ses_json_kv(&r->body, "QueueUrl", queue_url);
	ses_json_key(&r->body, "Entries");
	ses_json_open(&r->body, '[');
	for (size_t i = 0; i < n; i++) {
		char id[24];

		snprintf(id, sizeof(id), "%zu", i);
		ses_json_open(&r->body, '{');
		ses_json_kv(&r->body, "Id", id);
		ses_json_kv(&r->body, "ReceiptHandle", handles[i]);
		ses_json_close(&r->body, '}');
	}
	ses_json_close(&r->body, ']');
	ses_json_close(&r->body, '}');
	return SC_OK;
}

enum sc_status sqs_parse_delete_batch(const char *body, size_t len, size_t *failed,
				      struct sc_error *err)
{
	struct jr r = {"DeleteMessageBatch", NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *list = jr_arr(&r, root, "Failed", JR_OPTIONAL);

	*failed = r.st == SC_OK ? (size_t)cJSON_GetArraySize(list) : 0;
	cJSON_Delete(root);
	return r.st;
}

enum sc_status sqs_delete_batch(const struct ses_ctx *ctx, const char *queue_url,
				const char *const *handles, size_t n, size_t *failed,
				struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sqs_build_delete_batch(&r, queue_url, handles, n, err);

	*failed = 0;
	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sqs_parse_delete_batch(reply.body.data, reply.body.len, failed, err);
	aws_reply_free(&reply);
	return st;
}

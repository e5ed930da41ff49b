/* Feedback routing (ses/feedback.h) and the events tap (ses/events.h): every builder against
 * botocore 1.43.11 byte for byte (tests/unit/feedback_botocore.py), input checks, the XML
 * and JSON reply parsers on realistic and broken replies, and the SES notification parser
 * on the SES documentation's records (tests/fixtures/events/), raw and in an SNS envelope. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpfixture.h"
#include "sesctl/aws/client.h"
#include "sesctl/aws/http.h"
#include "sesctl/ses/events.h"
#include "sesctl/ses/feedback.h"

#include "sesfixture.h"

#define TOPIC "arn:aws:sns:eu-west-1:123456789012:ses-feedback"

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static int int_of(const cJSON *o, const char *key, int dflt)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? v->valueint : dflt;
}

static bool true_of(const cJSON *o, const char *key)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, key));
}

static enum ses_notif_kind kind_of(const cJSON *in)
{
	enum ses_notif_kind k = SES_NOTIF_COUNT;

	assert_true(ses_notif_from(str_of(in, "NotificationType"), &k));
	return k;
}

/* NULL-terminated strings of a JSON array (borrowed). */
static size_t strings_of(const cJSON *arr, const char **out, size_t max)
{
	const cJSON *it;
	size_t n = 0;

	cJSON_ArrayForEach(it, arr)
		if (n < max)
			out[n++] = cJSON_IsString(it) ? it->valuestring : NULL;
	if (n < max)
		out[n] = NULL;
	return n;
}

static enum sc_status build_case(const char *op, const cJSON *in, struct ses_request *r,
				 struct sc_error *err)
{
	const char *v[32];
	size_t n;

	if (!strcmp(op, "GetIdentityNotificationAttributes")) {
		n = strings_of(cJSON_GetObjectItemCaseSensitive(in, "Identities"), v, 32);
		return sesv1_build_get_notification_attrs(r, v, n, err);
	}
	if (!strcmp(op, "SetIdentityNotificationTopic"))
		return sesv1_build_set_notification_topic(r, str_of(in, "Identity"), kind_of(in),
							  str_of(in, "SnsTopic"), err);
	if (!strcmp(op, "SetIdentityHeadersInNotificationsEnabled"))
		return sesv1_build_set_headers_in_notifications(r, str_of(in, "Identity"),
								kind_of(in), true_of(in, "Enabled"),
								err);
	if (!strcmp(op, "SetIdentityFeedbackForwardingEnabled"))
		return sesv1_build_set_feedback_forwarding(r, str_of(in, "Identity"),
							   true_of(in, "ForwardingEnabled"), err);
	if (!strcmp(op, "GetTopicAttributes"))
		return sns_build_get_topic_attributes(r, str_of(in, "TopicArn"), err);
	if (!strcmp(op, "ListSubscriptionsByTopic"))
		return sns_build_list_subscriptions_by_topic(r, str_of(in, "TopicArn"),
							     str_of(in, "NextToken"), err);
	if (!strcmp(op, "Subscribe"))
		return sns_build_subscribe(r, str_of(in, "TopicArn"), str_of(in, "Protocol"),
					   str_of(in, "Endpoint"),
					   cJSON_GetObjectItemCaseSensitive(in, "Attributes") != NULL,
					   err);
	if (!strcmp(op, "Unsubscribe"))
		return sns_build_unsubscribe(r, str_of(in, "SubscriptionArn"), err);
	if (!strcmp(op, "CreateQueue")) {
		const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(in, "Attributes"), *it;

		n = 0;
		cJSON_ArrayForEach(it, attrs) {
			v[n++] = it->string;
			v[n++] = it->valuestring;
		}
		v[n] = NULL;
		return sqs_build_create_queue(r, str_of(in, "QueueName"), n ? v : NULL, err);
	}
	if (!strcmp(op, "GetQueueAttributes"))
		return sqs_build_get_queue_arn(r, str_of(in, "QueueUrl"), err);
	if (!strcmp(op, "DeleteQueue"))
		return sqs_build_delete_queue(r, str_of(in, "QueueUrl"), err);
	if (!strcmp(op, "ReceiveMessage"))
		return sqs_build_receive(r, str_of(in, "QueueUrl"),
					 int_of(in, "MaxNumberOfMessages", -1),
					 int_of(in, "WaitTimeSeconds", -1),
					 int_of(in, "VisibilityTimeout", 0), err);
	if (!strcmp(op, "DeleteMessageBatch")) {
		const cJSON *it;

		n = 0;
		cJSON_ArrayForEach(it, cJSON_GetObjectItemCaseSensitive(in, "Entries")) {
			assert_int_equal(atoi(str_of(it, "Id")), (int)n);
			v[n++] = str_of(it, "ReceiptHandle");
		}
		return sqs_build_delete_batch(r, str_of(in, "QueueUrl"), v, n, err);
	}
	fail_msg("no builder for %s", op);
	return SC_ERR;
}

static void test_builders_match_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0, sqs = 0;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/feedback_botocore.py",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".");
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *j = cJSON_Parse(line);
		const char *op = str_of(j, "op"), *target = str_of(j, "target");
		struct ses_request r;
		struct sc_error err;

		assert_non_null(j);
		cases++;
		if (build_case(op, cJSON_GetObjectItemCaseSensitive(j, "in"), &r, &err) != SC_OK)
			fail_msg("case %zu (%s): %s", cases, op, err.message);
		if (strcmp(buf_str(&r.body), str_of(j, "body")))
			fail_msg("case %zu (%s) differs:\n sesctl   %s\n botocore %s", cases, op,
				 buf_str(&r.body), str_of(j, "body"));
		assert_string_equal(r.operation, op);
		assert_string_equal(r.method, "POST");
		assert_string_equal(buf_str(&r.path), "/");
		if (target) {
			sqs++;
			assert_int_equal(r.service, SES_SVC_SQS);
			assert_string_equal(r.target, target);
			assert_string_equal(r.content_type, "application/x-amz-json-1.0");
		} else {
			assert_null(r.target);
			assert_true(r.service == SES_SVC_SES || r.service == SES_SVC_SNS);
			assert_int_equal(r.service, strstr(buf_str(&r.body), "Version=2010-03-31")
							    ? SES_SVC_SNS
							    : SES_SVC_SES);
		}
		ses_request_free(&r);
		cJSON_Delete(j);
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(cases, 23);
	assert_int_equal(sqs, 8);
}

#define USAGE(call)                                                                   \
	do {                                                                          \
		struct ses_request r_;                                                \
		struct sc_error e_;                                                   \
		sc_error_clear(&e_);                                                  \
		memset(&r_, 0xAB, sizeof(r_));                                        \
		assert_int_equal(call, SC_USAGE);                                     \
		assert_true(e_.message[0] != '\0');                                   \
		ses_request_free(&r_); /* initialised even on failure */              \
	} while (0)
#define R (&r_)
#define E (&e_)

static void test_input_checks(void **state)
{
	const char *ids[SESV1_NOTIF_BATCH + 1], *handles[11];
	const char *bad_attrs[] = {"Policy", NULL, NULL};
	const char *empty_key[] = {"", "x", NULL};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i <= SESV1_NOTIF_BATCH; i++)
		ids[i] = "example.com";
	for (size_t i = 0; i < 11; i++)
		handles[i] = "h";
	USAGE(sesv1_build_get_notification_attrs(R, ids, 0, E));
	USAGE(sesv1_build_get_notification_attrs(R, NULL, 1, E));
	USAGE(sesv1_build_get_notification_attrs(R, ids, SESV1_NOTIF_BATCH + 1, E));
	assert_int_equal(sesv1_build_get_notification_attrs(&r, ids, SESV1_NOTIF_BATCH, &err),
			 SC_OK);
	assert_non_null(strstr(buf_str(&r.body), "Identities.member.100=example.com"));
	ses_request_free(&r);
	ids[3] = "";
	USAGE(sesv1_build_get_notification_attrs(R, ids, 5, E));
	USAGE(sesv1_build_set_notification_topic(R, "x.example", SES_NOTIF_BOUNCE,
						 "arn:aws:sqs:eu-west-1:123456789012:q", E));
	USAGE(sesv1_build_set_notification_topic(R, "x.example", SES_NOTIF_BOUNCE, "", E));
	USAGE(sesv1_build_set_notification_topic(R, "", SES_NOTIF_BOUNCE, TOPIC, E));
	USAGE(sesv1_build_set_notification_topic(R, "x.example", SES_NOTIF_COUNT, TOPIC, E));
	USAGE(sesv1_build_set_headers_in_notifications(R, NULL, SES_NOTIF_DELIVERY, true, E));
	USAGE(sesv1_build_set_headers_in_notifications(R, "x", (enum ses_notif_kind)-1, true, E));
	USAGE(sesv1_build_set_feedback_forwarding(R, "", true, E));
	USAGE(sns_build_get_topic_attributes(R, "arn:aws:sns:eu-west-1:12345678901:t", E));
	USAGE(sns_build_get_topic_attributes(R, NULL, E));
	USAGE(sns_build_list_subscriptions_by_topic(R, "topic", NULL, E));
	USAGE(sns_build_subscribe(R, "nope", "sqs", "arn:aws:sqs:eu-west-1:123456789012:q", true,
				  E));
	USAGE(sns_build_subscribe(R, TOPIC, "", "arn:aws:sqs:eu-west-1:123456789012:q", true, E));
	USAGE(sns_build_subscribe(R, TOPIC, "sqs", NULL, false, E));
	USAGE(sns_build_unsubscribe(R, "PendingConfirmation", E));
	USAGE(sns_build_unsubscribe(R, "", E));
	USAGE(sqs_build_create_queue(R, "", NULL, E));
	USAGE(sqs_build_create_queue(R, "bad name", NULL, E));
	USAGE(sqs_build_create_queue(R, "q.fifo", NULL, E));
	USAGE(sqs_build_create_queue(R, "é", NULL, E));
	USAGE(sqs_build_create_queue(R, "q", bad_attrs, E));
	USAGE(sqs_build_create_queue(R, "q", empty_key, E));
	{
		char name[82];

		memset(name, 'a', 81);
		name[81] = '\0';
		USAGE(sqs_build_create_queue(R, name, NULL, E));
		name[80] = '\0';
		assert_int_equal(sqs_build_create_queue(&r, name, NULL, &err), SC_OK);
		ses_request_free(&r);
	}
	USAGE(sqs_build_get_queue_arn(R, "", E));
	USAGE(sqs_build_delete_queue(R, NULL, E));
	USAGE(sqs_build_receive(R, "u", 0, 1, 0, E));
	USAGE(sqs_build_receive(R, "u", 11, 1, 0, E));
	USAGE(sqs_build_receive(R, "u", 1, -1, 0, E));
	USAGE(sqs_build_receive(R, "u", 1, 21, 0, E));
	USAGE(sqs_build_receive(R, "u", 1, 1, -1, E));
	USAGE(sqs_build_receive(R, "u", 1, 1, 43201, E));
	USAGE(sqs_build_delete_batch(R, "u", handles, 0, E));
	USAGE(sqs_build_delete_batch(R, "u", handles, 11, E));
	handles[2] = "";
	USAGE(sqs_build_delete_batch(R, "u", handles, 3, E));
	assert_int_equal(sqs_build_receive(&r, "u", 10, 20, 0, &err), SC_OK);
	assert_string_equal(buf_str(&r.body),
			    "{\"QueueUrl\":\"u\",\"MaxNumberOfMessages\":10,\"WaitTimeSeconds\":20}");
	ses_request_free(&r);
	sns_build_get_topic_attributes(&r, "x", &err);
	assert_string_equal(err.message, "GetTopicAttributes: \"x\" is not an SNS topic ARN "
					 "(arn:aws:sns:REGION:ACCOUNT:NAME)");
	ses_request_free(&r);
}

static void test_names_and_arns(void **state)
{
	enum ses_notif_kind k;
	enum ses_ev_type t;
	char acct[13];

	(void)state;
	assert_string_equal(ses_notif_wire(SES_NOTIF_COMPLAINT), "Complaint");
	assert_string_equal(ses_notif_name(SES_NOTIF_DELIVERY), "delivery");
	assert_string_equal(ses_notif_wire(SES_NOTIF_COUNT), "?");
	assert_string_equal(ses_notif_name((enum ses_notif_kind)-1), "?");
	assert_true(ses_notif_from("BOUNCE", &k) && k == SES_NOTIF_BOUNCE);
	assert_true(ses_notif_from("delivery", &k) && k == SES_NOTIF_DELIVERY);
	assert_false(ses_notif_from("Send", &k));
	assert_false(ses_notif_from(NULL, &k));

	assert_string_equal(ses_ev_name(SES_EV_RENDERING_FAILURE), "rendering-failure");
	assert_string_equal(ses_ev_word(SES_EV_DELIVERY_DELAY), "DeliveryDelay");
	assert_string_equal(ses_ev_word(SES_EV_COUNT), "?");
	assert_true(ses_ev_from("Rendering Failure", &t) && t == SES_EV_RENDERING_FAILURE);
	assert_true(ses_ev_from("rendering-failure", &t) && t == SES_EV_RENDERING_FAILURE);
	assert_true(ses_ev_from("deliverydelay", &t) && t == SES_EV_DELIVERY_DELAY);
	assert_true(ses_ev_from("delivery-delay", &t) && t == SES_EV_DELIVERY_DELAY);
	assert_true(ses_ev_from("CLICK", &t) && t == SES_EV_CLICK);
	assert_true(ses_ev_from("Delivery", &t) && t == SES_EV_DELIVERY);
	assert_false(ses_ev_from("Bounce, Complaint, or Delivery.", &t));
	assert_false(ses_ev_from("deliver", &t));
	assert_false(ses_ev_from("", &t));
	assert_false(ses_ev_from("--", &t));

	assert_true(sns_topic_arn_valid(TOPIC));
	assert_true(sns_topic_arn_valid("arn:aws-us-gov:sns:us-gov-west-1:123456789012:a_b-c.fifo"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:123456789012:"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:123456789012:.fifo"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:123456789012:a.b"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:123456789012:a:b"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:123456789012"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu-west-1:1234567890123:t"));
	assert_false(sns_topic_arn_valid("arn:aws:sqs:eu-west-1:123456789012:t"));
	assert_false(sns_topic_arn_valid("arn::sns:eu-west-1:123456789012:t"));
	assert_false(sns_topic_arn_valid("arn:aws:sns::123456789012:t"));
	assert_false(sns_topic_arn_valid("arn:aws:sns:eu west:123456789012:t"));
	assert_false(sns_topic_arn_valid("ARN:aws:sns:eu-west-1:123456789012:t"));
	assert_false(sns_topic_arn_valid(NULL));
	{
		char name[300];

		snprintf(name, sizeof(name), "arn:aws:sns:eu-west-1:123456789012:%0256d", 0);
		assert_true(sns_topic_arn_valid(name));
		snprintf(name, sizeof(name), "arn:aws:sns:eu-west-1:123456789012:%0257d", 0);
		assert_false(sns_topic_arn_valid(name));
	}
	assert_true(sns_arn_account(TOPIC ":sub-id", acct));
	assert_string_equal(acct, "123456789012");
	assert_true(sns_arn_account("arn:aws:sqs:eu-west-1:210987654321", acct));
	assert_string_equal(acct, "210987654321");
	assert_false(sns_arn_account("arn:aws:s3:::bucket", acct));
	assert_string_equal(acct, "");
	assert_false(sns_arn_account("arn:aws:sns:eu-west-1:12345678901x:t", acct));
	assert_false(sns_arn_account("123456789012", acct));
	assert_false(sns_arn_account(NULL, acct));
}

/* ---- XML parsers ---- */

#define NOTIF_HEAD                                                                          \
	"<GetIdentityNotificationAttributesResponse "                                      \
	"xmlns=\"http://ses.amazonaws.com/doc/2010-12-01/\"><GetIdentityNotificationAttributesResult>" \
	"<NotificationAttributes>"
#define NOTIF_TAIL                                                                          \
	"</NotificationAttributes></GetIdentityNotificationAttributesResult><ResponseMetadata>" \
	"<RequestId>r</RequestId></ResponseMetadata></GetIdentityNotificationAttributesResponse>"

static enum sc_status notif_parse(const char *xml, struct ses_notif_attrs **v, size_t *n,
				  struct sc_error *err)
{
	return sesv1_parse_notification_attrs(xml, strlen(xml), v, n, err);
}

static void test_parse_notification_attrs(void **state)
{
	const char *ok =
		NOTIF_HEAD "<entry><key>shop.example</key><value>"
		"<BounceTopic>" TOPIC "</BounceTopic><ComplaintTopic/>"
		"<DeliveryTopic>arn:aws:sns:eu-west-1:123456789012:deliveries</DeliveryTopic>"
		"<ForwardingEnabled>false</ForwardingEnabled>"
		"<HeadersInBounceNotificationsEnabled>true</HeadersInBounceNotificationsEnabled>"
		"<HeadersInComplaintNotificationsEnabled>false</HeadersInComplaintNotificationsEnabled>"
		"<HeadersInDeliveryNotificationsEnabled>TRUE</HeadersInDeliveryNotificationsEnabled>"
		"<Unknown>x</Unknown></value></entry>"
		"<entry><key>ops@shop.example</key><value><ForwardingEnabled>true</ForwardingEnabled>"
		"</value></entry>" NOTIF_TAIL;
	struct ses_notif_attrs *v = NULL;
	struct sc_error err;
	size_t n = 0;

	(void)state;
	assert_int_equal(notif_parse(ok, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].identity, "shop.example");
	assert_string_equal(v[0].topic[SES_NOTIF_BOUNCE], TOPIC);
	assert_null(v[0].topic[SES_NOTIF_COMPLAINT]);
	assert_string_equal(v[0].topic[SES_NOTIF_DELIVERY], "arn:aws:sns:eu-west-1:123456789012:deliveries");
	assert_false(v[0].forwarding);
	assert_true(v[0].headers[SES_NOTIF_BOUNCE]);
	assert_false(v[0].headers[SES_NOTIF_COMPLAINT]);
	assert_true(v[0].headers[SES_NOTIF_DELIVERY]);
	assert_string_equal(v[1].identity, "ops@shop.example");
	assert_true(v[1].forwarding);
	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		assert_null(v[1].topic[k]);
		assert_false(v[1].headers[k]);
	}
	/* appends; a bad entry leaves what was there */
	assert_int_equal(notif_parse(NOTIF_HEAD "<entry><key>a.example</key><value/></entry>"
				     "<entry><value/></entry>" NOTIF_TAIL, &v, &n, &err),
			 SC_BAD_REPLY);
	assert_int_equal(n, 2);
	assert_string_equal(err.message, "GetIdentityNotificationAttributes: the reply has no "
					 "usable NotificationAttributes.entry.key");
	assert_int_equal(notif_parse(NOTIF_HEAD "<entry><key>a.example</key></entry>" NOTIF_TAIL,
				     &v, &n, &err), SC_BAD_REPLY);
	assert_int_equal(notif_parse(NOTIF_HEAD NOTIF_TAIL, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(notif_parse("<GetIdentityVerificationAttributesResponse>"
				     "<GetIdentityNotificationAttributesResult/>"
				     "</GetIdentityVerificationAttributesResponse>", &v, &n, &err),
			 SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "not <GetIdentityNotificationAttributesResponse>"));
	assert_int_equal(notif_parse("<!DOCTYPE x [<!ENTITY a \"b\">]>" NOTIF_HEAD NOTIF_TAIL, &v,
				     &n, &err), SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "DOCTYPE"));
	assert_int_equal(notif_parse("<GetIdentityNotificationAttributesResponse>"
				     "<GetIdentityNotificationAttributesResult/>"
				     "</GetIdentityNotificationAttributesResponse>", &v, &n, &err),
			 SC_BAD_REPLY);
	assert_int_equal(notif_parse("not xml", &v, &n, &err), SC_BAD_REPLY);
	assert_int_equal(n, 2);
	for (size_t i = 0; i < n; i++)
		ses_notif_attrs_free(&v[i]);
	free(v);
	ses_notif_attrs_free(NULL);
}

#define SNS_NS " xmlns=\"http://sns.amazonaws.com/doc/2010-03-31/\""
#define TOPIC_ATTRS(entries)                                                                 \
	"<GetTopicAttributesResponse" SNS_NS "><GetTopicAttributesResult><Attributes>" entries \
	"</Attributes></GetTopicAttributesResult><ResponseMetadata><RequestId>r</RequestId>"  \
	"</ResponseMetadata></GetTopicAttributesResponse>"
#define ENTRY(k, v) "<entry><key>" k "</key><value>" v "</value></entry>"

static enum sc_status topic_parse(const char *xml, struct sns_topic_attrs *a,
				  struct sc_error *err)
{
	return sns_parse_topic_attributes(xml, strlen(xml), a, err);
}

static void test_parse_topic_attributes(void **state)
{
	struct sns_topic_attrs a = {0};
	struct sc_error err;

	(void)state;
	assert_int_equal(topic_parse(TOPIC_ATTRS(
		ENTRY("Policy", "{&quot;Version&quot;:&quot;2008-10-17&quot;}")
		ENTRY("Owner", "123456789012") ENTRY("SubscriptionsPending", "2")
		ENTRY("TopicArn", TOPIC) ENTRY("EffectiveDeliveryPolicy", "{}")
		ENTRY("SubscriptionsConfirmed", "17") ENTRY("DisplayName", "")
		ENTRY("SubscriptionsDeleted", "0")), &a, &err), SC_OK);
	assert_string_equal(a.owner, "123456789012");
	assert_string_equal(a.policy, "{\"Version\":\"2008-10-17\"}");
	assert_int_equal(a.confirmed, 17);
	assert_int_equal(a.pending, 2);
	assert_int_equal(a.deleted, 0);
	/* absent counts are -1; the struct is reset first */
	assert_int_equal(topic_parse(TOPIC_ATTRS(ENTRY("Owner", "210987654321")), &a, &err), SC_OK);
	assert_string_equal(a.owner, "210987654321");
	assert_null(a.policy);
	assert_int_equal(a.confirmed, -1);
	assert_int_equal(a.pending, -1);
	assert_int_equal(a.deleted, -1);
	assert_int_equal(topic_parse(TOPIC_ATTRS(ENTRY("SubscriptionsConfirmed", "many")), &a, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message,
			    "GetTopicAttributes: the reply's SubscriptionsConfirmed is not a count");
	assert_null(a.owner);
	assert_int_equal(topic_parse(TOPIC_ATTRS(ENTRY("SubscriptionsPending", "-3")), &a, &err),
			 SC_BAD_REPLY);
	assert_int_equal(topic_parse(TOPIC_ATTRS(ENTRY("SubscriptionsPending",
						       "99999999999999999999999")), &a, &err),
			 SC_BAD_REPLY);
	assert_int_equal(topic_parse(TOPIC_ATTRS("<entry><value>1</value></entry>"), &a, &err),
			 SC_BAD_REPLY);
	assert_int_equal(topic_parse("<GetTopicAttributesResponse" SNS_NS "/>", &a, &err),
			 SC_BAD_REPLY);
	assert_int_equal(topic_parse("<ListTopicsResponse" SNS_NS "><GetTopicAttributesResult/>"
				     "</ListTopicsResponse>", &a, &err), SC_BAD_REPLY);
	assert_int_equal(topic_parse("<!DOCTYPE GetTopicAttributesResponse>" TOPIC_ATTRS(""), &a,
				     &err), SC_BAD_REPLY);
	assert_int_equal(a.confirmed, -1);
	sns_topic_attrs_free(&a);
	sns_topic_attrs_free(NULL);
}

#define SUBS(members, tail)                                                                 \
	"<ListSubscriptionsByTopicResponse" SNS_NS "><ListSubscriptionsByTopicResult>"     \
	"<Subscriptions>" members "</Subscriptions>" tail "</ListSubscriptionsByTopicResult>" \
	"</ListSubscriptionsByTopicResponse>"
#define SUB(arn, proto, endpoint)                                                   \
	"<member><TopicArn>" TOPIC "</TopicArn><Protocol>" proto "</Protocol>"     \
	"<SubscriptionArn>" arn "</SubscriptionArn><Owner>123456789012</Owner>"    \
	"<Endpoint>" endpoint "</Endpoint></member>"

static void test_parse_subscriptions(void **state)
{
	const char *p1 = SUBS(SUB(TOPIC ":11111111-2222", "sqs",
				  "arn:aws:sqs:eu-west-1:123456789012:tap")
			      SUB("PendingConfirmation", "email", "ops@shop.example"),
			      "<NextToken>tok+/=1</NextToken>");
	const char *p2 = SUBS(SUB("pending confirmation", "https", "https://hook.example/x?a=1&amp;b=2"),
			      "<NextToken/>");
	struct sns_subscriptions s = {0};
	struct sc_error err;
	char *tok = NULL;

	(void)state;
	assert_int_equal(sns_parse_list_subscriptions_by_topic(p1, strlen(p1), &s, &tok, &err),
			 SC_OK);
	assert_string_equal(tok, "tok+/=1");
	assert_int_equal(s.n, 2);
	assert_string_equal(s.v[0].arn, TOPIC ":11111111-2222");
	assert_false(s.v[0].pending);
	assert_string_equal(s.v[0].protocol, "sqs");
	assert_string_equal(s.v[0].endpoint, "arn:aws:sqs:eu-west-1:123456789012:tap");
	assert_string_equal(s.v[0].owner, "123456789012");
	assert_null(s.v[1].arn);
	assert_true(s.v[1].pending);
	assert_string_equal(s.v[1].protocol, "email");
	assert_int_equal(sns_parse_list_subscriptions_by_topic(p2, strlen(p2), &s, &tok, &err),
			 SC_OK);
	assert_null(tok);
	assert_int_equal(s.n, 3);
	assert_true(s.v[2].pending);
	assert_null(s.v[2].arn);
	assert_string_equal(s.v[2].endpoint, "https://hook.example/x?a=1&b=2");
	/* a member without SubscriptionArn: bad, and this page's members are dropped */
	{
		const char *bad = SUBS(SUB(TOPIC ":x", "sqs", "e") "<member><Protocol>sqs</Protocol>"
				       "</member>", "");

		tok = xstrdup("stale");
		assert_int_equal(sns_parse_list_subscriptions_by_topic(bad, strlen(bad), &s, &tok,
								       &err), SC_BAD_REPLY);
		assert_int_equal(s.n, 3);
		assert_null(tok);
		assert_string_equal(err.message, "ListSubscriptionsByTopic: the reply has no usable "
						 "Subscriptions.member.SubscriptionArn");
	}
	{
		const char *empty = SUBS("", "");

		assert_int_equal(sns_parse_list_subscriptions_by_topic(empty, strlen(empty), &s,
								       NULL, &err), SC_OK);
		assert_int_equal(s.n, 3);
	}
	assert_int_equal(sns_parse_list_subscriptions_by_topic("<ListTopicsResponse/>", 21, &s,
							       &tok, &err), SC_BAD_REPLY);
	sns_subscriptions_free(&s);
	assert_null(s.v);
	assert_int_equal(s.n, 0);
	sns_subscriptions_free(NULL);
}

static void test_parse_subscribe(void **state)
{
	const char *ok = "<SubscribeResponse" SNS_NS "><SubscribeResult><SubscriptionArn>" TOPIC
			 ":abc</SubscriptionArn></SubscribeResult></SubscribeResponse>";
	const char *pending = "<SubscribeResponse" SNS_NS "><SubscribeResult><SubscriptionArn>"
			      "pending confirmation</SubscriptionArn></SubscribeResult>"
			      "</SubscribeResponse>";
	const char *none = "<SubscribeResponse" SNS_NS "><SubscribeResult/></SubscribeResponse>";
	struct sc_error err;
	char *arn = NULL;

	(void)state;
	assert_int_equal(sns_parse_subscribe(ok, strlen(ok), &arn, &err), SC_OK);
	assert_string_equal(arn, TOPIC ":abc");
	free(arn);
	assert_int_equal(sns_parse_subscribe(pending, strlen(pending), &arn, &err), SC_OK);
	assert_string_equal(arn, "pending confirmation");
	free(arn);
	assert_int_equal(sns_parse_subscribe(none, strlen(none), &arn, &err), SC_BAD_REPLY);
	assert_null(arn);
	assert_string_equal(err.message, "Subscribe: the reply has no usable SubscriptionArn");
	assert_int_equal(sns_parse_subscribe("<UnsubscribeResponse/>", 22, &arn, &err),
			 SC_BAD_REPLY);
	assert_null(arn);
}

/* ---- SQS parsers ---- */

static void test_parse_sqs(void **state)
{
	struct sqs_messages m = {0};
	struct sc_error err;
	size_t failed = 99;
	char *s = NULL;
	const char *recv = "{\"Messages\":[{\"MessageId\":\"m1\",\"ReceiptHandle\":\"h1\","
			   "\"MD5OfBody\":\"x\",\"Body\":\"{\\\"a\\\":1}\"},{\"ReceiptHandle\":\"h2\","
			   "\"Body\":\"two\"}]}";
	const char *bad = "{\"Messages\":[{\"MessageId\":\"m3\",\"ReceiptHandle\":\"h3\","
			  "\"Body\":\"3\"},{\"MessageId\":\"m4\",\"Body\":\"no handle\"}]}";

	(void)state;
#define P(fn, txt, ...) fn(txt, strlen(txt), __VA_ARGS__)
	assert_int_equal(P(sqs_parse_create_queue, "{\"QueueUrl\":\"http://h/1/q\"}", &s, &err), SC_OK);
	assert_string_equal(s, "http://h/1/q");
	free(s);
	assert_int_equal(P(sqs_parse_create_queue, "{\"QueueUrl\":\"\"}", &s, &err), SC_BAD_REPLY);
	assert_null(s);
	assert_int_equal(P(sqs_parse_create_queue, "{}", &s, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "CreateQueue: the reply has no usable QueueUrl");
	assert_int_equal(P(sqs_parse_create_queue, "[]", &s, &err), SC_BAD_REPLY);
	assert_int_equal(P(sqs_parse_get_queue_arn,
			   "{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:123456789012:q\"}}",
			   &s, &err), SC_OK);
	assert_string_equal(s, "arn:aws:sqs:eu-west-1:123456789012:q");
	free(s);
	assert_int_equal(P(sqs_parse_get_queue_arn, "{\"Attributes\":{}}", &s, &err), SC_BAD_REPLY);
	assert_string_equal(err.message,
			    "GetQueueAttributes: the reply has no usable Attributes.QueueArn");
	assert_int_equal(P(sqs_parse_get_queue_arn, "{\"QueueArn\":\"a\"}", &s, &err), SC_BAD_REPLY);

	assert_int_equal(P(sqs_parse_receive, recv, &m, &err), SC_OK);
	assert_int_equal(m.n, 2);
	assert_string_equal(m.v[0].id, "m1");
	assert_string_equal(m.v[0].receipt_handle, "h1");
	assert_string_equal(m.v[0].body, "{\"a\":1}");
	assert_null(m.v[1].id);
	assert_string_equal(m.v[1].body, "two");
	assert_int_equal(P(sqs_parse_receive, "{}", &m, &err), SC_OK);
	assert_int_equal(P(sqs_parse_receive, "{\"Messages\":[]}", &m, &err), SC_OK);
	assert_int_equal(P(sqs_parse_receive, "", &m, &err), SC_OK);
	assert_int_equal(m.n, 2);
	assert_int_equal(P(sqs_parse_receive, bad, &m, &err), SC_BAD_REPLY);
	assert_int_equal(m.n, 2);
	assert_string_equal(err.message, "ReceiveMessage: the reply has no usable "
					 "Messages.ReceiptHandle");
	assert_int_equal(P(sqs_parse_receive, "<xml/>", &m, &err), SC_BAD_REPLY);
	sqs_messages_free(&m);
	assert_null(m.v);
	sqs_messages_free(NULL);

	assert_int_equal(P(sqs_parse_delete_batch, "{\"Successful\":[{\"Id\":\"0\"}],\"Failed\":[]}",
			   &failed, &err), SC_OK);
	assert_int_equal(failed, 0);
	assert_int_equal(P(sqs_parse_delete_batch,
			   "{\"Successful\":[],\"Failed\":[{\"Id\":\"0\",\"SenderFault\":true,"
			   "\"Code\":\"ReceiptHandleIsInvalid\"},{\"Id\":\"1\"}]}", &failed, &err),
			 SC_OK);
	assert_int_equal(failed, 2);
	assert_int_equal(P(sqs_parse_delete_batch, "nope", &failed, &err), SC_BAD_REPLY);
	assert_int_equal(failed, 0);
#undef P
}

/* ---- the SES notification parser ---- */

static struct ses_events parse_ok(const char *body, size_t len)
{
	struct ses_events evs = {0};
	struct sc_error err;
	bool trunc = true;

	if (ses_events_parse(body, len, &evs, &trunc, &err) != SC_OK)
		fail_msg("ses_events_parse: %s", err.message);
	assert_false(trunc);
	return evs;
}

/* The record at rel, raw and then wrapped in an SNS envelope with Message as a string. */
static void parse_both(const char *rel, struct ses_events *raw, struct ses_events *wrapped)
{
	struct fx f = fx_load(rel);
	cJSON *env = cJSON_CreateObject();
	char *text;

	*raw = parse_ok(f.data, f.len);
	cJSON_AddStringToObject(env, "Type", "Notification");
	cJSON_AddStringToObject(env, "MessageId", "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
	cJSON_AddStringToObject(env, "TopicArn", TOPIC);
	cJSON_AddStringToObject(env, "Message", f.data);
	cJSON_AddStringToObject(env, "Timestamp", "2016-01-27T14:59:38.237Z");
	cJSON_AddStringToObject(env, "SignatureVersion", "1");
	text = cJSON_PrintUnformatted(env);
	*wrapped = parse_ok(text, strlen(text));
	assert_int_equal(wrapped->n, raw->n);
	for (size_t i = 0; i < raw->n; i++) {
		assert_null(raw->v[i].topic_arn);
		assert_null(raw->v[i].sns_message_id);
		assert_string_equal(wrapped->v[i].topic_arn, TOPIC);
		assert_string_equal(wrapped->v[i].sns_message_id,
				    "22b80b92-fdea-4c2c-8f9d-bdfb0c7bf324");
		assert_int_equal(wrapped->v[i].type, raw->v[i].type);
		assert_int_equal(wrapped->v[i].time, raw->v[i].time);
		assert_string_equal(wrapped->v[i].message_id, raw->v[i].message_id);
	}
	free(text);
	cJSON_Delete(env);
	fx_free(&f);
}

/* One record's rows, checked raw and in the envelope. */
struct want {
	const char *file;
	enum ses_ev_type type;
	bool published;
	size_t rows;
	time_t time, mail_time;
	const char *subtype, *recipient, *status, *diagnostic, *reporting_mta, *remote_mta_ip;
	const char *identity, *config_set, *subject, *feedback_id, *source;
};

#define T2016 1453906778 /* 2016-01-27T14:59:38Z */

static void check_str(const char *what, const char *file, const char *want, const char *got)
{
	if (!want && !got)
		return;
	if (!want || !got || strcmp(want, got))
		fail_msg("%s: %s is \"%s\", want \"%s\"", file, what, got ? got : "(null)",
			 want ? want : "(null)");
}

static void check_want(const struct want *w)
{
	struct ses_events raw, wrapped;
	const struct ses_event *e;

	parse_both(w->file, &raw, &wrapped);
	if (raw.n != w->rows)
		fail_msg("%s: %zu rows, want %zu", w->file, raw.n, w->rows);
	e = &raw.v[0];
	assert_int_equal(e->type, w->type);
	assert_int_equal(e->published, w->published);
	assert_int_equal(e->time, w->time);
	assert_int_equal(e->mail_time, w->mail_time);
	check_str("subtype", w->file, w->subtype, e->subtype);
	check_str("recipient", w->file, w->recipient, e->recipient);
	check_str("status", w->file, w->status, e->status);
	check_str("diagnostic", w->file, w->diagnostic, e->diagnostic);
	check_str("reporting_mta", w->file, w->reporting_mta, e->reporting_mta);
	check_str("remote_mta_ip", w->file, w->remote_mta_ip, e->remote_mta_ip);
	check_str("identity", w->file, w->identity, e->identity);
	check_str("config_set", w->file, w->config_set, e->config_set);
	check_str("subject", w->file, w->subject, e->subject);
	check_str("feedback_id", w->file, w->feedback_id, e->feedback_id);
	check_str("source", w->file, w->source, e->source);
	assert_non_null(e->message_id);
	ses_events_free(&raw);
	ses_events_free(&wrapped);
}

static void test_events_identity_notifications(void **state)
{
	static const struct want wants[] = {
		{"events/notif_bounce_dsn.json", SES_EV_BOUNCE, false, 1, T2016, T2016,
		 "Permanent/General", "jane@example.com", "5.1.1",
		 "smtp; 550 5.1.1 <jane@example.com>... User", "dns; email.example.com", "127.0.2.0",
		 "example.com", NULL, "Hello",
		 "00000138111222aa-33322211-cccc-cccc-cccc-ddddaaaa068a-000000", "john@example.com"},
		{"events/notif_bounce_nodsn.json", SES_EV_BOUNCE, false, 2, T2016, T2016,
		 "Permanent/General", "jane@example.com", NULL, NULL, NULL, "127.0.2.0",
		 "example.com", NULL, NULL,
		 "00000137860315fd-869464a4-8680-4114-98d3-716fe35851f9-000000", "john@example.com"},
		{"events/notif_complaint_report.json", SES_EV_COMPLAINT, false, 1, T2016, T2016,
		 "abuse", "richard@example.com", NULL, NULL, NULL, NULL, "example.com", NULL, "Hello",
		 "000001378603177f-18c07c78-fa81-4a58-9dd1-fedc3cb8f49a-000000", "john@example.com"},
		{"events/notif_complaint_noreport.json", SES_EV_COMPLAINT, false, 1, T2016, T2016,
		 NULL, "richard@example.com", NULL, NULL, NULL, NULL, "example.com", NULL, NULL,
		 "0000013786031775-fea503bc-7497-49e1-881b-a0379bb037d3-000000", "john@example.com"},
		{"events/notif_delivery.json", SES_EV_DELIVERY, false, 1, T2016, T2016, NULL,
		 "jane@example.com", NULL, "250 ok:  Message 64111812 accepted",
		 "a8-70.smtp-out.amazonses.com", "127.0.2.0", "example.com", NULL, "Hello", NULL,
		 "john@example.com"},
	};
	struct ses_events raw, wrapped;

	(void)state;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		check_want(&wants[i]);
	parse_both("events/notif_bounce_nodsn.json", &raw, &wrapped);
	assert_string_equal(raw.v[1].recipient, "richard@example.com");
	assert_string_equal(raw.v[1].subtype, "Permanent/General");
	assert_string_equal(wrapped.v[1].recipient, "richard@example.com");
	ses_events_free(&raw);
	ses_events_free(&wrapped);
}

#define SUBJ "Message sent from Amazon SES"
#define SRC "Sender Name <sender@example.com>"
#define ID "sender@example.com"

static void test_events_publishing(void **state)
{
	static const struct want wants[] = {
		{"events/ev_bounce.json", SES_EV_BOUNCE, true, 1, 1501893662, 1501893602,
		 "Permanent/General", "recipient@example.com", "5.1.1",
		 "smtp; 550 5.1.1 user unknown", "dsn; mta.example.com", NULL, ID, "ConfigSet", SUBJ,
		 "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000", SRC},
		{"events/ev_complaint.json", SES_EV_COMPLAINT, true, 1, 1501893662, 1501893602,
		 "abuse", "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet", SUBJ,
		 "01000157c44f053b-61b59c11-9236-11e6-8f96-7be8aexample-000000", SRC},
		{"events/ev_delivery.json", SES_EV_DELIVERY, true, 1, 1476919264, 1476919252, NULL,
		 "recipient@example.com", NULL, "250 2.6.0 Message received", "mta.example.com",
		 NULL, ID, "ConfigSet", SUBJ, NULL, SRC},
		{"events/ev_send.json", SES_EV_SEND, true, 1, 1476421336, 1476421336, NULL,
		 "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet", SUBJ, NULL, SRC},
		{"events/ev_reject.json", SES_EV_REJECT, true, 1, 1476466695, 1476466695,
		 "Bad content", "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet",
		 SUBJ, NULL, SRC},
		{"events/ev_open.json", SES_EV_OPEN, true, 1, 1502316019, 1502315989, NULL,
		 "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet", SUBJ, NULL, SRC},
		{"events/ev_click.json", SES_EV_CLICK, true, 1, 1502322685, 1502322605,
		 "http://docs.aws.amazon.com/ses/latest/DeveloperGuide/send-email-smtp.html",
		 "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet", SUBJ, NULL, SRC},
		{"events/ev_rendering_failure.json", SES_EV_RENDERING_FAILURE, true, 1, 1516646586,
		 1516646586, "Attribute 'attributeName' is not present in the rendering data.",
		 "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet", NULL, NULL,
		 "sender@example.com"},
		{"events/ev_delivery_delay.json", SES_EV_DELIVERY_DELAY, true, 1, 1592267140,
		 1592266540, "TransientCommunicationFailure", "recipient@example.com", "4.4.1",
		 "smtp; 421 4.4.0 Unable to lookup DNS for example.com", NULL, NULL, ID,
		 "ConfigSet", SUBJ, NULL, SRC},
		{"events/ev_subscription.json", SES_EV_SUBSCRIPTION, true, 1, 1641949217,
		 1641949214, NULL, "recipient@example.com", NULL, NULL, NULL, NULL, ID, "ConfigSet",
		 SUBJ, NULL, SRC},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(wants) / sizeof(wants[0]); i++)
		check_want(&wants[i]);
}

static void test_events_moto_canned(void **state)
{
	struct fx f = fx_load("events/moto_canned_envelope.json");
	struct ses_events evs = parse_ok(f.data, f.len);

	(void)state;
	assert_int_equal(evs.n, 2);
	assert_int_equal(evs.v[0].type, SES_EV_BOUNCE);
	assert_false(evs.v[0].published);
	assert_string_equal(evs.v[0].recipient, "recipient1@example.com");
	assert_string_equal(evs.v[0].status, "5.0.0");
	assert_string_equal(evs.v[0].diagnostic, "smtp; 550 user unknown");
	assert_string_equal(evs.v[0].subtype, "Permanent/General");
	assert_string_equal(evs.v[0].identity, "example.com");
	assert_string_equal(evs.v[0].topic_arn, "arn:aws:sns:eu-west-1:123456789012:ses-feedback");
	assert_string_equal(evs.v[0].sns_message_id, "8f0e1a6e-4c3b-4b5e-9d55-1f0f1c5e2b11");
	assert_string_equal(evs.v[0].reporting_mta, "example.com");
	assert_int_equal(evs.v[0].time, 1337957978); /* 2012-05-25T14:59:38.605Z */
	assert_int_equal(evs.v[0].mail_time, 0);     /* "2018-10-08T14:05:45 +0000" */
	assert_string_equal(evs.v[1].recipient, "recipient2@example.com");
	assert_string_equal(evs.v[1].status, "4.0.0");
	assert_null(evs.v[1].diagnostic);
	ses_events_free(&evs);
	fx_free(&f);
}

static void test_events_hostile(void **state)
{
	struct fx f = fx_load("events/hostile_multi.json");
	struct ses_events evs = parse_ok(f.data, f.len);
	const time_t t = 1796374800; /* 2026-12-04T09:00:00Z */

	(void)state;
	assert_int_equal(evs.n, 4);
	assert_int_equal(evs.v[0].type, SES_EV_BOUNCE);
	assert_true(evs.v[0].published);
	assert_string_equal(evs.v[0].subtype, "Transient/MailboxFull\x1b[31m");
	assert_string_equal(evs.v[0].recipient, "a\x1b[2Jb@example.com");
	assert_string_equal(evs.v[0].diagnostic, "smtp; 552 full"); /* cut at the NUL */
	assert_string_equal(evs.v[0].feedback_id, "fb");
	assert_string_equal(evs.v[0].message_id, "m\aid");
	assert_int_equal(evs.v[0].time, t);
	assert_int_equal(evs.v[0].mail_time, t);
	assert_string_equal(evs.v[0].identity, "shop.example");
	assert_string_equal(evs.v[0].source, "\"Ops \xe2\x80\xae\" <ops@shop.example>");
	assert_null(evs.v[0].subject);
	assert_string_equal(evs.v[0].config_set, "not-a-list");
	assert_string_equal(evs.v[1].recipient, "second@example.com");
	assert_null(evs.v[1].status);
	assert_string_equal(evs.v[2].recipient, "third@example.com");
	assert_null(evs.v[3].recipient);
	assert_string_equal(evs.v[3].status, "5.0.0");
	ses_events_free(&evs);
	fx_free(&f);
}

static enum sc_status parse_str(const char *s, struct ses_events *evs, struct sc_error *err)
{
	return ses_events_parse(s, strlen(s), evs, NULL, err);
}

static void test_events_bad_and_bounds(void **state)
{
	static const char *const bad[] = {
		"", "   ", "not json", "[1,2]", "\"str\"", "{}", "{\"Type\":\"Notification\"}",
		("{\"Type\":\"SubscriptionConfirmation\",\"Message\":\"You have chosen to subscribe "
		 "to the topic\",\"SubscribeURL\":\"https://x\"}"),
		"{\"Type\":\"Notification\",\"Message\":\"[1]\"}",
		"{\"Type\":\"Notification\",\"Message\":42}",
		"{\"Type\":\"Notification\",\"Message\":\"{\\\"mail\\\":{}}\"}",
		"{\"notificationType\":\"Bounce, Complaint, or Delivery.\",\"mail\":{}}",
		"{\"eventType\":\"Teleport\",\"mail\":{}}",
		"{\"mail\":{},\"bounce\":[]}",
	};
	struct ses_events evs = {0};
	struct sc_error err;
	struct buf big = BUF_INIT;
	bool trunc = true;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_str(bad[i], &evs, &err) != SC_BAD_REPLY)
			fail_msg("accepted: %s", bad[i]);
		assert_int_equal(evs.n, 0);
		assert_non_null(strstr(err.message, "SES event: "));
	}
	assert_int_equal(ses_events_parse(NULL, 0, &evs, &trunc, &err), SC_BAD_REPLY);
	assert_false(trunc);
	parse_str("{}", &evs, &err);
	assert_string_equal(err.message,
			    "SES event: the message holds no SES notification or event record");
	/* typed by word alone: one row, no recipient */
	assert_int_equal(parse_str("{\"eventType\":\"Send\"}", &evs, &err), SC_OK);
	assert_int_equal(evs.n, 1);
	assert_int_equal(evs.v[0].type, SES_EV_SEND);
	assert_null(evs.v[0].recipient);
	assert_null(evs.v[0].message_id);
	assert_int_equal(evs.v[0].time, 0);
	/* appends */
	assert_int_equal(parse_str("{\"notificationType\":\"Delivery\",\"mail\":{\"destination\":"
				   "[\"a@x\",\"b@x\"]},\"delivery\":{}}", &evs, &err), SC_OK);
	assert_int_equal(evs.n, 3);
	assert_string_equal(evs.v[2].recipient, "b@x");
	/* the sourceArn's identity wins over the source's domain */
	assert_int_equal(parse_str("{\"eventType\":\"Open\",\"mail\":{\"source\":\"a@b.example\","
				   "\"sourceArn\":\"arn:aws:ses:eu-west-1:1:identity/c.example\"},"
				   "\"open\":{}}", &evs, &err), SC_OK);
	assert_string_equal(evs.v[3].identity, "c.example");
	ses_events_free(&evs);

	/* over SQS's 256 KiB → refused whole */
	buf_puts(&big, "{\"eventType\":\"Send\",\"pad\":\"");
	while (big.len < 256 * 1024)
		buf_puts(&big, "xxxxxxxxxxxxxxxx");
	buf_puts(&big, "\"}");
	assert_int_equal(ses_events_parse(big.data, big.len, &evs, &trunc, &err), SC_BAD_REPLY);
	assert_int_equal(evs.n, 0);
	assert_string_equal(err.message, "SES event: the message is over 256 KiB");

	/* more recipients than SES_EVENTS_MAX_ROWS → truncated */
	buf_reset(&big);
	buf_puts(&big, "{\"notificationType\":\"Bounce\",\"bounce\":{\"bouncedRecipients\":[");
	for (int i = 0; i < SES_EVENTS_MAX_ROWS + 5; i++)
		buf_printf(&big, "%s{\"emailAddress\":\"r%d@x\"}", i ? "," : "", i);
	buf_puts(&big, "]}}");
	assert_int_equal(ses_events_parse(big.data, big.len, &evs, &trunc, &err), SC_OK);
	assert_true(trunc);
	assert_int_equal(evs.n, SES_EVENTS_MAX_ROWS);
	assert_string_equal(evs.v[SES_EVENTS_MAX_ROWS - 1].recipient, "r999@x");
	ses_events_free(&evs);
	buf_free(&big);
	ses_event_clear(NULL);
	ses_events_free(NULL);
}

/* ---- the wrappers against the scripted loopback server (tests/unit/httpfixture.py) ---- */

struct env {
	struct fixture fx;
	struct http_client *http;
	struct aws_client *client;
	struct ses_ctx ctx;
};

static enum sc_status creds(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	(void)ud;
	(void)err;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "secret";
	out->session_token = NULL;
	return SC_OK;
}

/* Every request to "/" takes the next of bodies[] (status 200 or delayed by delay_s). */
static void env_start(struct env *e, const char *const *bodies, const double *delay_s)
{
	struct aws_client_options opt = {0};
	cJSON *script = cJSON_CreateObject(), *steps = cJSON_CreateArray();
	char *text;

	for (size_t i = 0; bodies[i]; i++) {
		cJSON *step = cJSON_CreateObject();

		cJSON_AddNumberToObject(step, "status", 200);
		cJSON_AddStringToObject(step, "body", bodies[i]);
		if (delay_s && delay_s[i] > 0)
			cJSON_AddNumberToObject(step, "delay", delay_s[i]);
		cJSON_AddItemToArray(steps, step);
	}
	cJSON_AddItemToObject(cJSON_AddObjectToObject(script, "routes"), "/", steps);
	text = cJSON_PrintUnformatted(script);
	memset(e, 0, sizeof(*e));
	fixture_start(&e->fx, text);
	free(text);
	cJSON_Delete(script);
	e->http = http_client_new(NULL);
	opt.http = e->http;
	opt.creds = creds;
	opt.max_attempts = 1;
	e->client = aws_client_new(&opt);
	assert_non_null(e->client);
	e->ctx.client = e->client;
	e->ctx.region = "eu-west-1";
	e->ctx.endpoint_sns = e->ctx.endpoint_sqs = e->fx.url;
}

static void env_stop(struct env *e)
{
	aws_client_free(e->client);
	http_client_free(e->http);
	fixture_stop(&e->fx);
}

static const char *req_header(const cJSON *reqs, int i, const char *name)
{
	return cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, i), "headers"),
				   name)->valuestring;
}

static const char *req_body(const cJSON *reqs, int i)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, i), "body")->valuestring;
}

static void test_subscription_pages(void **state)
{
	const char *const pages[] = {
		SUBS(SUB(TOPIC ":1", "sqs", "q1"), "<NextToken>n/2</NextToken>"),
		SUBS(SUB("PendingConfirmation", "email", "a@b"), "<NextToken>n/3</NextToken>"),
		SUBS(SUB(TOPIC ":3", "sqs", "q3"), ""),
		/* a second listing whose endpoint hands back the first token again */
		SUBS(SUB(TOPIC ":4", "sqs", "q4"), "<NextToken>loop</NextToken>"),
		NULL,
	};
	struct sns_subscriptions s = {0};
	struct sc_error err;
	struct env e;
	cJSON *reqs;

	(void)state;
	env_start(&e, pages, NULL);
	assert_int_equal(sns_list_subscriptions_by_topic(&e.ctx, TOPIC, &s, &err), SC_OK);
	assert_int_equal(s.n, 3);
	assert_true(s.v[1].pending);
	assert_string_equal(s.v[2].arn, TOPIC ":3");
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 3);
	assert_null(strstr(req_body(reqs, 0), "NextToken"));
	assert_non_null(strstr(req_body(reqs, 1), "&NextToken=n%2F2"));
	assert_non_null(strstr(req_body(reqs, 2), "&NextToken=n%2F3"));
	assert_non_null(strstr(req_header(reqs, 0, "authorization"), "/eu-west-1/sns/aws4_request"));
	assert_non_null(strstr(req_header(reqs, 0, "content-type"), "application/x-www-form-urlencoded"));
	cJSON_Delete(reqs);
	/* the last step repeats: "loop" comes back → refused, the caller's three rows stay */
	assert_int_equal(sns_list_subscriptions_by_topic(&e.ctx, TOPIC, &s, &err), SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "ListSubscriptionsByTopic: the endpoint repeated a page "
					    "token"));
	assert_int_equal(s.n, 3);
	sns_subscriptions_free(&s);
	env_stop(&e);
}

/* A long poll outlasts the context's HTTP timeout: sqs_receive raises it, other calls do not. */
static void test_receive_long_poll(void **state)
{
	const char *const bodies[] = {
		"{\"Messages\":[{\"MessageId\":\"m\",\"ReceiptHandle\":\"h\",\"Body\":\"{}\"}]}",
		"{\"Attributes\":{\"QueueArn\":\"arn:aws:sqs:eu-west-1:123456789012:q\"}}",
		NULL,
	};
	const double delay[] = {2.0, 2.0};
	struct sqs_messages m = {0};
	struct sc_error err;
	char *arn = NULL;
	struct env e;
	cJSON *reqs;

	(void)state;
	env_start(&e, bodies, delay);
	e.ctx.timeout_ms = 1000;
	assert_int_equal(sqs_receive(&e.ctx, "http://q/1/q", 1, 2, 0, &m, &err), SC_OK);
	assert_int_equal(m.n, 1);
	assert_string_equal(m.v[0].receipt_handle, "h");
	sqs_messages_free(&m);
	assert_int_equal(e.ctx.timeout_ms, 1000); /* the caller's ctx is left alone */
	assert_int_equal(sqs_get_queue_arn(&e.ctx, "http://q/1/q", &arn, &err), SC_NETWORK);
	assert_null(arn);
	reqs = fixture_requests(&e.fx);
	assert_string_equal(req_header(reqs, 0, "x-amz-target"), "AmazonSQS.ReceiveMessage");
	assert_string_equal(req_header(reqs, 0, "content-type"), "application/x-amz-json-1.0");
	assert_non_null(strstr(req_header(reqs, 0, "authorization"), "/eu-west-1/sqs/aws4_request"));
	assert_string_equal(req_body(reqs, 0), "{\"QueueUrl\":\"http://q/1/q\","
					       "\"MaxNumberOfMessages\":1,\"WaitTimeSeconds\":2}");
	cJSON_Delete(reqs);
	env_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builders_match_botocore),
		cmocka_unit_test(test_input_checks),
		cmocka_unit_test(test_names_and_arns),
		cmocka_unit_test(test_parse_notification_attrs),
		cmocka_unit_test(test_parse_topic_attributes),
		cmocka_unit_test(test_parse_subscriptions),
		cmocka_unit_test(test_parse_subscribe),
		cmocka_unit_test(test_parse_sqs),
		cmocka_unit_test(test_events_identity_notifications),
		cmocka_unit_test(test_events_publishing),
		cmocka_unit_test(test_events_moto_canned),
		cmocka_unit_test(test_events_hostile),
		cmocka_unit_test(test_events_bad_and_bounds),
		cmocka_unit_test(test_subscription_pages),
		cmocka_unit_test(test_receive_long_poll),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Request builders: exact wire paths, queries and bodies. Query-protocol bodies are compared
 * byte for byte with what botocore serialises for the same input
 * (tests/fixtures/gen/serialize_query.py). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/metrics.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/vdm.h"
#include "sesctl/ses/sts.h"
#include "sesfixture.h"

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

static void assert_body_is_fixture(const struct ses_request *r, const char *file)
{
	struct fx f = fx_load(file);

	assert_string_equal(buf_str(&r->body), f.data);
	fx_free(&f);
}

/* ---- SESv2 ---- */

static void test_identity_paths(void **state)
{
	static const struct {
		const char *identity;
		const char *path;
	} cases[] = {
		{"example.com", "/v2/email/identities/example.com"},
		{"ops+alerts@example.com", "/v2/email/identities/ops%2Balerts%40example.com"},
		{"b\xc3\xbc" "cher.example", "/v2/email/identities/b%C3%BCcher.example"},
		{"xn--bcher-kva.example", "/v2/email/identities/xn--bcher-kva.example"},
		{"a b/c?d#e%f", "/v2/email/identities/a%20b%2Fc%3Fd%23e%25f"},
	};
	struct ses_request r;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		assert_int_equal(sesv2_build_get_email_identity(&r, cases[i].identity, NULL), SC_OK);
		assert_string_equal(r.method, "GET");
		assert_string_equal(r.operation, "GetEmailIdentity");
		assert_int_equal(r.service, SES_SVC_SESV2);
		assert_string_equal(buf_str(&r.path), cases[i].path);
		assert_int_equal(r.body.len, 0);
		assert_null(r.content_type);
		ses_request_free(&r);
	}
}

static void test_identity_subpaths(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_build_put_dkim_attributes(&r, "ops@example.com", true, NULL), SC_OK);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/ops%40example.com/dkim");
	assert_string_equal(buf_str(&r.body), "{\"SigningEnabled\":true}");
	assert_string_equal(r.content_type, "application/json");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_dkim_signing_attributes(&r, "example.com", "AWS_SES", NULL,
								 NULL),
			 SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/example.com/dkim/signing");
	assert_string_equal(buf_str(&r.body), "{\"SigningAttributesOrigin\":\"AWS_SES\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_mail_from_attributes(&r, "example.com", "bounce.example.com",
							      "REJECT_MESSAGE", NULL),
			 SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/example.com/mail-from");
	assert_string_equal(buf_str(&r.body), "{\"MailFromDomain\":\"bounce.example.com\","
					      "\"BehaviorOnMxFailure\":\"REJECT_MESSAGE\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_mail_from_attributes(&r, "example.com", NULL, NULL, NULL),
			 SC_OK);
	assert_string_equal(buf_str(&r.body), "{}"); /* no domain: custom MAIL FROM off */
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_feedback_attributes(&r, "a@b.example", false, NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/a%40b.example/feedback");
	assert_string_equal(buf_str(&r.body), "{\"EmailForwardingEnabled\":false}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_delete_email_identity(&r, "", &err), SC_USAGE);
	assert_string_equal(err.message, "DeleteEmailIdentity: the identity name is empty");
	assert_int_equal(sesv2_build_get_email_identity(&r, NULL, &err), SC_USAGE);
}

static void test_list_identities_query(void **state)
{
	struct ses_request r;

	(void)state;
	assert_int_equal(sesv2_build_list_email_identities(&r, NULL, 1000, NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/identities");
	assert_string_equal(buf_str(&r.query), "PageSize=1000");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_list_email_identities(&r, "a+b/c=", 0, NULL), SC_OK);
	assert_string_equal(buf_str(&r.query), "NextToken=a%2Bb%2Fc%3D");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_list_email_identities(&r, NULL, 1001, NULL), SC_USAGE);
}

static void test_create_identity_bodies(void **state)
{
	const struct sesv2_dkim_signing easy = {NULL, NULL, "RSA_2048_BIT"};
	const struct sesv2_dkim_signing byo = {"sel2026", "MIIEvQIBADANBgkqhkiG9w0BAQEFAASC", NULL};
	const struct sesv2_dkim_signing half = {"sel2026", NULL, NULL};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_build_create_email_identity(&r, "example.com", &easy, NULL, NULL), SC_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path), "/v2/email/identities");
	assert_string_equal(buf_str(&r.body),
			    "{\"EmailIdentity\":\"example.com\",\"DkimSigningAttributes\":"
			    "{\"NextSigningKeyLength\":\"RSA_2048_BIT\"}}");
	assert_false(r.secret);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_create_email_identity(&r, "example.com", &byo, "cs1", NULL), SC_OK);
	assert_string_equal(buf_str(&r.body),
			    "{\"EmailIdentity\":\"example.com\",\"DkimSigningAttributes\":"
			    "{\"DomainSigningSelector\":\"sel2026\",\"DomainSigningPrivateKey\":"
			    "\"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\"},\"ConfigurationSetName\":\"cs1\"}");
	assert_true(r.secret); /* wiped by ses_request_free */
	ses_request_free(&r);
	assert_null(r.body.data);
	assert_int_equal(sesv2_build_create_email_identity(&r, "ops@example.com", NULL, NULL, NULL),
			 SC_OK);
	assert_string_equal(buf_str(&r.body), "{\"EmailIdentity\":\"ops@example.com\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_create_email_identity(&r, "example.com", &half, NULL, &err),
			 SC_USAGE);
	assert_contains(err.message, "both a selector and a private key");
	assert_int_equal(sesv2_build_create_email_identity(&r, "ops@example.com", &byo, NULL, &err),
			 SC_USAGE);
	assert_contains(err.message, "domains only");
	assert_null(strstr(err.message, byo.private_key));
	assert_int_equal(sesv2_build_put_dkim_signing_attributes(&r, "example.com", "EXTERNAL", NULL,
								 &err),
			 SC_USAGE);
	assert_int_equal(sesv2_build_put_dkim_signing_attributes(&r, "example.com", "EXTERNAL", &byo,
								 NULL),
			 SC_OK);
	assert_true(r.secret);
	assert_string_equal(buf_str(&r.body),
			    "{\"SigningAttributesOrigin\":\"EXTERNAL\",\"SigningAttributes\":"
			    "{\"DomainSigningSelector\":\"sel2026\",\"DomainSigningPrivateKey\":"
			    "\"MIIEvQIBADANBgkqhkiG9w0BAQEFAASC\"}}");
	ses_request_free(&r);
}

static void test_policy_requests(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_build_create_policy(&r, "ops@example.com", "allow-app_1",
						   "{\"Version\":\"2012-10-17\"}", NULL),
			 SC_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path),
			    "/v2/email/identities/ops%40example.com/policies/allow-app_1");
	assert_string_equal(buf_str(&r.body), "{\"Policy\":\"{\\\"Version\\\":\\\"2012-10-17\\\"}\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_update_policy(&r, "example.com", "p", "{}", NULL), SC_OK);
	assert_string_equal(r.method, "PUT");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_delete_policy(&r, "example.com", "p", NULL), SC_OK);
	assert_string_equal(r.method, "DELETE");
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/example.com/policies/p");
	assert_int_equal(r.body.len, 0);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_get_policies(&r, "example.com", NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/identities/example.com/policies");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_create_policy(&r, "example.com", "bad name", "{}", &err), SC_USAGE);
	assert_int_equal(sesv2_build_create_policy(&r, "example.com", "p", NULL, &err), SC_USAGE);
}

static void test_account_requests(void **state)
{
	const char *contacts[] = {"a@example.com", "b@example.com"};
	struct sesv2_account_details d = {"TRANSACTIONAL", "https://example.com", "Resets \"now\"",
					  "EN", contacts, 2, 1};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	sesv2_build_get_account(&r);
	assert_string_equal(buf_str(&r.path), "/v2/email/account");
	ses_request_free(&r);
	sesv2_build_put_account_sending(&r, false);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(buf_str(&r.path), "/v2/email/account/sending");
	assert_string_equal(buf_str(&r.body), "{\"SendingEnabled\":false}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_account_details(&r, &d, NULL), SC_OK);
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path), "/v2/email/account/details");
	assert_string_equal(buf_str(&r.body),
			    "{\"MailType\":\"TRANSACTIONAL\",\"WebsiteURL\":\"https://example.com\","
			    "\"ContactLanguage\":\"EN\",\"UseCaseDescription\":\"Resets \\\"now\\\"\","
			    "\"AdditionalContactEmailAddresses\":[\"a@example.com\",\"b@example.com\"],"
			    "\"ProductionAccessEnabled\":true}");
	ses_request_free(&r);
	d.website_url = NULL;
	assert_int_equal(sesv2_build_put_account_details(&r, &d, &err), SC_USAGE);
	assert_contains(err.message, "website URL");
}

static void test_suppression_requests(void **state)
{
	struct sesv2_suppression_filter f = {true, true, 1793491200, 1793577600, "t/1", 100};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	sesv2_build_list_suppressed(&r, &f);
	assert_string_equal(buf_str(&r.path), "/v2/email/suppression/addresses");
	assert_string_equal(buf_str(&r.query),
			    "Reason=BOUNCE&Reason=COMPLAINT&StartDate=2026-11-01T00%3A00%3A00Z"
			    "&EndDate=2026-11-02T00%3A00%3A00Z&NextToken=t%2F1&PageSize=100");
	ses_request_free(&r);
	sesv2_build_list_suppressed(&r, NULL);
	assert_int_equal(r.query.len, 0);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_get_suppressed(&r, "x+y@example.net", NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/suppression/addresses/x%2By%40example.net");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_suppressed(&r, "x@example.net", "COMPLAINT", NULL), SC_OK);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(buf_str(&r.path), "/v2/email/suppression/addresses");
	assert_string_equal(buf_str(&r.body),
			    "{\"EmailAddress\":\"x@example.net\",\"Reason\":\"COMPLAINT\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_suppressed(&r, "x@example.net", "SPAM", &err), SC_USAGE);
	assert_int_equal(sesv2_build_delete_suppressed(&r, "x@example.net", NULL), SC_OK);
	assert_string_equal(r.method, "DELETE");
	ses_request_free(&r);
}

static void test_config_set_requests(void **state)
{
	struct ses_request r;

	(void)state;
	sesv2_build_list_config_sets(&r, NULL, 0);
	assert_string_equal(buf_str(&r.path), "/v2/email/configuration-sets");
	assert_int_equal(r.query.len, 0);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_get_config_set(&r, "marketing", NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/configuration-sets/marketing");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_put_config_set_sending(&r, "marketing", true, NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/configuration-sets/marketing/sending");
	assert_string_equal(buf_str(&r.body), "{\"SendingEnabled\":true}");
	ses_request_free(&r);
}

static void test_metric_and_send_requests(void **state)
{
	const struct sesv2_metric_query q[] = {
		{"send", "SEND", NULL, NULL, 1793491200, 1794096000},
		{"c1", "COMPLAINT", "EMAIL_IDENTITY", "example.com", 1793491200, 1794096000},
	};
	const struct sesv2_simple_email m = {"ops@example.com", "success@simulator.amazonses.com",
					     "sesctl \"test\"", "line1\nline2", NULL};
	struct ses_request r;
	struct sc_error err;
	cJSON *j;

	(void)state;
	assert_int_equal(sesv2_build_batch_get_metric_data(&r, q, 2, NULL), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/metrics/batch");
	assert_string_equal(buf_str(&r.body),
			    "{\"Queries\":[{\"Id\":\"send\",\"Namespace\":\"VDM\",\"Metric\":\"SEND\","
			    "\"StartDate\":1793491200,\"EndDate\":1794096000},{\"Id\":\"c1\","
			    "\"Namespace\":\"VDM\",\"Metric\":\"COMPLAINT\",\"Dimensions\":"
			    "{\"EMAIL_IDENTITY\":\"example.com\"},\"StartDate\":1793491200,"
			    "\"EndDate\":1794096000}]}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_batch_get_metric_data(&r, q, 0, &err), SC_USAGE);
	assert_int_equal(sesv2_build_send_email(&r, &m, NULL), SC_OK);
	assert_true(r.no_retry);
	assert_string_equal(buf_str(&r.path), "/v2/email/outbound-emails");
	j = cJSON_Parse(buf_str(&r.body));
	assert_non_null(j);
	assert_string_equal(cJSON_GetObjectItem(j, "FromEmailAddress")->valuestring, "ops@example.com");
	assert_string_equal(cJSON_GetArrayItem(cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Destination"),
								   "ToAddresses"), 0)->valuestring,
			    "success@simulator.amazonses.com");
	{
		cJSON *simple = cJSON_GetObjectItem(cJSON_GetObjectItem(j, "Content"), "Simple");
		cJSON *subj = cJSON_GetObjectItem(simple, "Subject");
		cJSON *text = cJSON_GetObjectItem(cJSON_GetObjectItem(simple, "Body"), "Text");

		assert_string_equal(cJSON_GetObjectItem(subj, "Data")->valuestring, "sesctl \"test\"");
		assert_string_equal(cJSON_GetObjectItem(text, "Data")->valuestring, "line1\nline2");
		assert_string_equal(cJSON_GetObjectItem(text, "Charset")->valuestring, "UTF-8");
	}
	cJSON_Delete(j);
	ses_request_free(&r);
}

/* ---- SES v1 ---- */

static struct ses_action act(enum ses_action_kind k)
{
	struct ses_action a;

	memset(&a, 0, sizeof(a));
	a.kind = k;
	return a;
}

/* The same input as ALL_ACTIONS in gen/serialize_query.py. */
static void test_create_rule_every_action(void **state)
{
	struct ses_action a[8];
	char *recipients[] = {"ops+in@example.com", "xn--bcher-kva.example"};
	struct ses_rule rule = {0};
	struct ses_request r;

	(void)state;
	a[0] = act(SES_ACTION_S3);
	a[0].topic_arn = "arn:aws:sns:eu-west-1:123456789012:mail";
	a[0].bucket = "inbound-mail";
	a[0].prefix = "raw/2026 q4/";
	a[0].kms_key_arn = "arn:aws:kms:eu-west-1:123456789012:key/k-1";
	a[0].iam_role_arn = "arn:aws:iam::123456789012:role/ses-s3";
	a[1] = act(SES_ACTION_SNS);
	a[1].topic_arn = "arn:aws:sns:eu-west-1:123456789012:raw";
	a[1].encoding = "Base64";
	a[2] = act(SES_ACTION_LAMBDA);
	a[2].topic_arn = "arn:aws:sns:eu-west-1:123456789012:l";
	a[2].function_arn = "arn:aws:lambda:eu-west-1:123456789012:function:triage";
	a[2].invocation_type = "RequestResponse";
	a[3] = act(SES_ACTION_BOUNCE);
	a[3].topic_arn = "arn:aws:sns:eu-west-1:123456789012:b";
	a[3].smtp_reply_code = "550";
	a[3].status_code = "5.1.1";
	a[3].message = "Mailbox does not exist; try ops@example.com";
	a[3].sender = "mailer-daemon@example.com";
	a[4] = act(SES_ACTION_WORKMAIL);
	a[4].topic_arn = "arn:aws:sns:eu-west-1:123456789012:w";
	a[4].organization_arn = "arn:aws:workmail:eu-west-1:123456789012:organization/m-1";
	a[5] = act(SES_ACTION_ADD_HEADER);
	a[5].header_name = "X-Sesctl-Rule";
	a[5].header_value = "a=b&c=d \xc3\xa9";
	a[6] = act(SES_ACTION_CONNECT);
	a[6].instance_arn = "arn:aws:connect:eu-west-1:123456789012:instance/i-1";
	a[6].iam_role_arn = "arn:aws:iam::123456789012:role/ses-connect";
	a[7] = act(SES_ACTION_STOP);
	a[7].scope = "RuleSet";
	a[7].topic_arn = "arn:aws:sns:eu-west-1:123456789012:s";
	rule.name = "every-action";
	rule.enabled = true;
	rule.tls_policy = "Require";
	rule.recipients = recipients;
	rule.n_recipients = 2;
	rule.actions = a;
	rule.n_actions = 8;
	rule.scan_enabled = true;
	assert_int_equal(sesv1_build_create_receipt_rule(&r, "main", &rule, "r0", NULL), SC_OK);
	assert_int_equal(r.service, SES_SVC_SES);
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path), "/");
	assert_string_equal(r.content_type, "application/x-www-form-urlencoded; charset=utf-8");
	assert_body_is_fixture(&r, "sesv1/create_receipt_rule_all_actions.form");
	ses_request_free(&r);
}

static void test_update_rule_no_actions(void **state)
{
	struct ses_rule rule = {0};
	struct ses_request r;

	(void)state;
	rule.name = "quiet";
	rule.tls_policy = "Optional";
	assert_int_equal(sesv1_build_update_receipt_rule(&r, "main", &rule, NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/update_receipt_rule_no_actions.form");
	ses_request_free(&r);
}

static void test_v1_small_requests(void **state)
{
	const char *order[] = {"c", "a", "b"};
	const struct ses_receipt_filter f = {"block-net", "Block", "10.0.0.0/8"};
	struct ses_request r;

	(void)state;
	assert_int_equal(sesv1_build_reorder_receipt_rule_set(&r, "main", order, 3, NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/reorder_receipt_rule_set.form");
	ses_request_free(&r);
	assert_int_equal(sesv1_build_set_active_receipt_rule_set(&r, "", NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/set_active_receipt_rule_set_none.form");
	ses_request_free(&r);
	assert_int_equal(sesv1_build_set_active_receipt_rule_set(&r, NULL, NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/set_active_receipt_rule_set_none.form");
	ses_request_free(&r);
	assert_int_equal(sesv1_build_create_receipt_filter(&r, &f, NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/create_receipt_filter.form");
	ses_request_free(&r);
	assert_int_equal(sesv1_build_set_receipt_rule_position(&r, "main", "r2", "r1", NULL), SC_OK);
	assert_body_is_fixture(&r, "sesv1/set_receipt_rule_position.form");
	ses_request_free(&r);
	assert_int_equal(sesv1_build_clone_receipt_rule_set(&r, "copy", "main", NULL), SC_OK);
	assert_string_equal(buf_str(&r.body), "Action=CloneReceiptRuleSet&Version=2010-12-01"
					      "&RuleSetName=copy&OriginalRuleSetName=main");
	ses_request_free(&r);
	sesv1_build_update_account_sending_enabled(&r, false);
	assert_string_equal(buf_str(&r.body),
			    "Action=UpdateAccountSendingEnabled&Version=2010-12-01&Enabled=false");
	ses_request_free(&r);
	sesv1_build_list_receipt_rule_sets(&r, "tok/2");
	assert_string_equal(buf_str(&r.body),
			    "Action=ListReceiptRuleSets&Version=2010-12-01&NextToken=tok%2F2");
	ses_request_free(&r);
}

/* A failed build still leaves a request that ses_request_free() accepts. */
static void test_failed_build_is_freeable(void **state)
{
	struct ses_request r;
	const struct sesv2_simple_email m = {NULL, NULL, NULL, NULL, NULL};
	const struct ses_receipt_filter f = {"bad name", NULL, NULL};

	(void)state;
#define GARBAGE_THEN(call)                                                    \
	do {                                                                  \
		memset(&r, 0xAB, sizeof(r));                                  \
		assert_int_equal((call), SC_USAGE);                           \
		ses_request_free(&r);                                         \
	} while (0)
	GARBAGE_THEN(sesv2_build_get_email_identity(&r, "", NULL));
	GARBAGE_THEN(sesv2_build_put_dkim_attributes(&r, NULL, true, NULL));
	GARBAGE_THEN(sesv2_build_put_mail_from_attributes(&r, "", NULL, NULL, NULL));
	GARBAGE_THEN(sesv2_build_create_policy(&r, "x.example", "p", NULL, NULL));
	GARBAGE_THEN(sesv2_build_delete_policy(&r, "x.example", "bad name", NULL));
	GARBAGE_THEN(sesv2_build_list_email_identities(&r, NULL, -1, NULL));
	GARBAGE_THEN(sesv2_build_send_email(&r, &m, NULL));
	GARBAGE_THEN(sesv2_build_batch_get_metric_data(&r, NULL, 0, NULL));
	GARBAGE_THEN(sesv2_build_get_suppressed(&r, "", NULL));
	GARBAGE_THEN(sesv2_build_get_config_set(&r, "", NULL));
	GARBAGE_THEN(sesv1_build_describe_receipt_rule_set(&r, "", NULL));
	GARBAGE_THEN(sesv1_build_create_receipt_rule(&r, "main", NULL, NULL, NULL));
	GARBAGE_THEN(sesv1_build_create_receipt_filter(&r, &f, NULL));
	GARBAGE_THEN(sesv1_build_get_identity_verification_attributes(&r, NULL, 0, NULL));
	GARBAGE_THEN(metrics_build_get_reputation(&r, 5, 1, NULL, NULL));
	GARBAGE_THEN(mm_build_list(&r, MM_LIST_ARCHIVES, NULL, 99, NULL));
	/* NULL inputs are usage errors, not crashes */
	GARBAGE_THEN(sesv2_build_put_account_details(&r, NULL, NULL));
	GARBAGE_THEN(sesv2_build_send_email(&r, NULL, NULL));
	GARBAGE_THEN(sesv2_build_batch_get_metric_data(&r, NULL, 3, NULL));
	GARBAGE_THEN(sesv1_build_create_receipt_filter(&r, NULL, NULL));
	GARBAGE_THEN(sesv1_build_reorder_receipt_rule_set(&r, "main", NULL, 2, NULL));
	GARBAGE_THEN(sesv1_build_get_identity_verification_attributes(&r, NULL, 2, NULL));
#undef GARBAGE_THEN
}

static void test_v1_validation(void **state)
{
	struct ses_action s3 = act(SES_ACTION_S3);
	struct ses_action unknown = act(SES_ACTION_UNKNOWN);
	struct ses_rule rule = {0};
	struct ses_request r;
	struct sc_error err;
	char long_name[70];

	(void)state;
	memset(long_name, 'a', 64);
	long_name[64] = '\0';
	assert_true(sesv1_name_ok("main_set-2"));
	assert_true(sesv1_name_ok("a"));
	assert_false(sesv1_name_ok("-main"));
	assert_false(sesv1_name_ok("main-"));
	assert_false(sesv1_name_ok("has space"));
	assert_false(sesv1_name_ok("dot.ted"));
	assert_false(sesv1_name_ok(""));
	assert_false(sesv1_name_ok(NULL));
	assert_false(sesv1_name_ok(long_name));
	long_name[63] = '\0';
	assert_true(sesv1_name_ok(long_name));
	assert_int_equal(sesv1_build_create_receipt_rule_set(&r, "bad name", &err), SC_USAGE);
	assert_contains(err.message, "CreateReceiptRuleSet: the rule set name");
	rule.name = "r";
	rule.actions = &s3;
	rule.n_actions = 1;
	assert_int_equal(sesv1_build_create_receipt_rule(&r, "main", &rule, NULL, &err), SC_USAGE);
	assert_string_equal(err.message, "CreateReceiptRule: action 1 (S3Action) needs BucketName");
	rule.actions = &unknown;
	assert_int_equal(sesv1_build_update_receipt_rule(&r, "main", &rule, &err), SC_USAGE);
	assert_contains(err.message, "no known type");
	assert_int_equal(sesv1_build_create_receipt_rule(&r, "main", NULL, NULL, &err), SC_USAGE);
	assert_int_equal(sesv1_build_reorder_receipt_rule_set(&r, "main", NULL, 0, &err), SC_USAGE);
}

/* ---- CloudWatch, STS, Mail Manager ---- */

static void test_other_services(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(metrics_build_get_reputation(&r, 1795172400, 1795190400, NULL, NULL), SC_OK);
	assert_int_equal(r.service, SES_SVC_MONITORING);
	assert_body_is_fixture(&r, "cloudwatch/get_metric_data.form");
	ses_request_free(&r);
	assert_int_equal(metrics_build_get_reputation(&r, 100, 100, NULL, &err), SC_USAGE);
	sts_build_get_caller_identity(&r);
	assert_int_equal(r.service, SES_SVC_STS);
	assert_string_equal(buf_str(&r.body), "Action=GetCallerIdentity&Version=2011-06-15");
	ses_request_free(&r);
	assert_int_equal(mm_build_list(&r, MM_LIST_INGRESS_POINTS, NULL, 50, NULL), SC_OK);
	assert_string_equal(r.target, "MailManagerSvc.ListIngressPoints");
	assert_string_equal(r.content_type, "application/x-amz-json-1.0");
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path), "/");
	assert_string_equal(buf_str(&r.body), "{\"PageSize\":50}");
	ses_request_free(&r);
	assert_int_equal(mm_build_list(&r, MM_LIST_ARCHIVES, "n\"x", 0, NULL), SC_OK);
	assert_string_equal(r.target, "MailManagerSvc.ListArchives");
	assert_string_equal(buf_str(&r.body), "{\"NextToken\":\"n\\\"x\"}");
	ses_request_free(&r);
	assert_int_equal(mm_build_list(&r, MM_LIST_RULE_SETS, NULL, 51, &err), SC_USAGE);
}

static void test_request_to_call(void **state)
{
	struct ses_ctx ctx = {0};
	struct ses_request r;
	struct aws_call call;
	struct aws_reply reply;
	struct buf scratch = BUF_INIT;
	struct sc_error err;

	(void)state;
	ctx.region = "eu-west-1";
	ctx.endpoint_ses = "http://127.0.0.1:5055";
	assert_int_equal(sesv2_build_get_email_identity(&r, "a@b.example", NULL), SC_OK);
	ses_request_to_call(&ctx, &r, &call, &scratch);
	assert_string_equal(call.endpoint, "https://email.eu-west-1.amazonaws.com");
	assert_string_equal(call.service_id, "sesv2");
	assert_string_equal(call.signing_name, "ses");
	assert_string_equal(call.path, "/v2/email/identities/a%40b.example");
	assert_null(call.query);
	assert_null(call.body);
	assert_string_equal(call.operation, "GetEmailIdentity");
	/* no client: a clear usage error, no network */
	assert_int_equal(ses_call(&ctx, &r, &reply, &err), SC_USAGE);
	assert_contains(err.message, "GetEmailIdentity");
	ses_request_free(&r);
	sesv1_build_get_send_quota(&r);
	ses_request_to_call(&ctx, &r, &call, &scratch);
	assert_string_equal(call.endpoint, "http://127.0.0.1:5055");
	assert_string_equal(call.service_id, "ses");
	assert_int_equal(call.body_len, strlen("Action=GetSendQuota&Version=2010-12-01"));
	ses_request_free(&r);
	assert_int_equal(mm_build_list(&r, MM_LIST_RULE_SETS, NULL, 0, NULL), SC_OK);
	ses_request_to_call(&ctx, &r, &call, &scratch);
	assert_string_equal(call.endpoint, "https://mail-manager.eu-west-1.amazonaws.com");
	assert_string_equal(call.signing_name, "ses");
	assert_string_equal(call.target, "MailManagerSvc.ListRuleSets");
	ses_request_free(&r);
	metrics_build_get_reputation(&r, 1, 2, NULL, NULL);
	ses_request_to_call(&ctx, &r, &call, &scratch);
	assert_string_equal(call.endpoint, "https://monitoring.eu-west-1.amazonaws.com");
	assert_string_equal(call.signing_name, "monitoring");
	ses_request_free(&r);
	sts_build_get_caller_identity(&r);
	ses_request_to_call(&ctx, &r, &call, &scratch);
	assert_string_equal(call.endpoint, "https://sts.eu-west-1.amazonaws.com");
	assert_string_equal(call.signing_name, "sts");
	ses_request_free(&r);
	buf_free(&scratch);
}

static void test_wire_helpers(void **state)
{
	struct buf b = BUF_INIT;
	char ts[32];
	time_t t = 0;
	cJSON *v;

	(void)state;
	ses_json_open(&b, '{');
	ses_json_kv(&b, "k", "q\"b\\\n\t\x01\xc3\xa9");
	ses_json_kv(&b, "absent", NULL);
	ses_json_key(&b, "arr");
	ses_json_open(&b, '[');
	ses_json_num(&b, 3600);
	ses_json_bool(&b, false);
	ses_json_open(&b, '{');
	ses_json_close(&b, '}');
	ses_json_close(&b, ']');
	ses_json_close(&b, '}');
	assert_string_equal(buf_str(&b),
			    "{\"k\":\"q\\\"b\\\\\\n\\t\\u0001\xc3\xa9\",\"arr\":[3600,false,{}]}");
	buf_reset(&b);
	ses_pct_append(&b, "aZ09-._~ /+=&%\xc3\xa9");
	assert_string_equal(buf_str(&b), "aZ09-._~%20%2F%2B%3D%26%25%C3%A9");
	buf_reset(&b);
	ses_param_add(&b, "A.b", "x y");
	ses_param_add(&b, "Empty", NULL);
	ses_param_addf(&b, NULL, "Skipped.%d", 1);
	ses_param_addf(&b, "v", "List.member.%d", 2);
	assert_string_equal(buf_str(&b), "A.b=x%20y&Empty=&List.member.2=v");
	buf_free(&b);
	ses_iso8601(1795165200, ts, sizeof(ts));
	assert_string_equal(ts, "2026-11-20T09:00:00Z");
	v = cJSON_CreateNumber(1795165200.999);
	assert_true(jr_time_of(v, &t));
	assert_int_equal(t, 1795165200);
	cJSON_Delete(v);
	v = cJSON_CreateNumber(-5);
	assert_false(jr_time_of(v, &t));
	cJSON_Delete(v);
	v = cJSON_CreateNumber(1e300);
	assert_false(jr_time_of(v, &t));
	cJSON_Delete(v);
	v = cJSON_CreateString("2026-02-31T00:00:00Z");
	assert_false(jr_time_of(v, &t));
	cJSON_Delete(v);
	v = cJSON_CreateTrue();
	assert_false(jr_time_of(v, &t));
	cJSON_Delete(v);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_identity_paths),
		cmocka_unit_test(test_identity_subpaths),
		cmocka_unit_test(test_list_identities_query),
		cmocka_unit_test(test_create_identity_bodies),
		cmocka_unit_test(test_policy_requests),
		cmocka_unit_test(test_account_requests),
		cmocka_unit_test(test_suppression_requests),
		cmocka_unit_test(test_config_set_requests),
		cmocka_unit_test(test_metric_and_send_requests),
		cmocka_unit_test(test_create_rule_every_action),
		cmocka_unit_test(test_update_rule_no_actions),
		cmocka_unit_test(test_v1_small_requests),
		cmocka_unit_test(test_failed_build_is_freeable),
		cmocka_unit_test(test_v1_validation),
		cmocka_unit_test(test_other_services),
		cmocka_unit_test(test_request_to_call),
		cmocka_unit_test(test_wire_helpers),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

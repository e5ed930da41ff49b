/* SESv2 and Mail Manager reply parsers against recorded (moto) and hand-written fixtures. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/vdm.h"
#include "sesfixture.h"

#define LIT(s) s, strlen(s)

static void assert_contains(const char *hay, const char *needle)
{
	if (!strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay, needle);
}

/* ---- identities ---- */

static void test_list_identities_moto(void **state)
{
	struct fx f = fx_load("sesv2/list_email_identities.json");
	struct ses_identity *v = NULL;
	size_t n = 0;
	char *tok = xstrdup("stale");
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_email_identities(f.data, f.len, &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_null(tok); /* "NextToken": null is absent, and the old token was freed */
	assert_string_equal(v[0].name, "example.com");
	assert_string_equal(v[0].type, "DOMAIN");
	assert_string_equal(v[1].name, "ops+alerts@example.org");
	assert_string_equal(v[1].type, "EMAIL_ADDRESS");
	assert_true(v[1].sending_enabled);
	assert_string_equal(v[2].name, "xn--bcher-kva.example");
	assert_string_equal(v[2].verification_status, "SUCCESS");
	assert_false(v[2].has_details);
	ses_identities_free(v, n);
	fx_free(&f);
}

static void test_list_identities_pages_append(void **state)
{
	struct fx p1 = fx_load("sesv2/list_email_identities_page1.json");
	struct fx p2 = fx_load("sesv2/list_email_identities_page2.json");
	struct ses_identity *v = NULL;
	size_t n = 0;
	char *tok = NULL;

	(void)state;
	assert_int_equal(sesv2_parse_list_email_identities(p1.data, p1.len, &v, &n, &tok, NULL), SC_OK);
	assert_string_equal(tok, "cGFnZTI=");
	assert_int_equal(n, 2);
	assert_false(v[1].sending_enabled);
	assert_int_equal(ses_state_of(v[1].verification_status), SES_STATE_PENDING);
	assert_int_equal(sesv2_parse_list_email_identities(p2.data, p2.len, &v, &n, &tok, NULL), SC_OK);
	assert_null(tok);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].name, "a.example");
	assert_string_equal(v[2].name, "c.example");
	assert_string_equal(v[2].type, "MANAGED_DOMAIN");
	assert_int_equal(ses_state_of(v[2].verification_status), SES_STATE_TEMPFAIL);
	ses_identities_free(v, n);
	fx_free(&p1);
	fx_free(&p2);
}

static void test_list_identities_bad(void **state)
{
	static const char *files[] = {
		"sesv2/bad_truncated.json", "sesv2/bad_html.html",
		"sesv2/bad_list_identities_name_number.json",
		"sesv2/bad_list_identities_not_array.json", "sesv2/bad_array_root.json",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(files) / sizeof(files[0]); i++) {
		struct fx f = fx_load(files[i]);
		struct ses_identity *v = NULL;
		size_t n = 0;
		char *tok = NULL;
		struct sc_error err;

		sc_error_clear(&err);
		assert_int_equal(sesv2_parse_list_email_identities(f.data, f.len, &v, &n, &tok, &err),
				 SC_BAD_REPLY);
		assert_int_equal(err.status, SC_BAD_REPLY);
		assert_contains(err.message, "ListEmailIdentities");
		assert_int_equal(n, 0); /* nothing half-filled is left behind */
		assert_null(tok);
		free(v);
		fx_free(&f);
	}
}

static void test_list_identities_bad_names_field(void **state)
{
	struct fx f = fx_load("sesv2/bad_list_identities_name_number.json");
	struct ses_identity *v = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_email_identities(f.data, f.len, &v, &n, NULL, &err),
			 SC_BAD_REPLY);
	assert_contains(err.message, "EmailIdentities[].IdentityName");
	free(v);
	fx_free(&f);
}

static void test_get_identity_aws(void **state)
{
	struct fx f = fx_load("sesv2/get_email_identity_aws.json");
	struct ses_identity id = {0};
	struct sc_error err;

	(void)state;
	id.name = xstrdup("example.com");
	assert_int_equal(sesv2_parse_get_email_identity(f.data, f.len, &id, &err), SC_OK);
	assert_string_equal(id.name, "example.com"); /* kept: the reply does not carry it */
	assert_true(id.has_details);
	assert_string_equal(id.type, "DOMAIN");
	assert_true(id.feedback_forwarding);
	assert_true(id.verified_for_sending);
	assert_true(id.dkim_signing_enabled);
	assert_string_equal(id.dkim_status, "SUCCESS");
	assert_string_equal(id.dkim_origin, "AWS_SES");
	assert_string_equal(id.dkim_current_key_length, "RSA_2048_BIT");
	assert_int_equal(id.dkim_last_key_generation, 1762162800); /* fraction dropped */
	assert_int_equal(id.n_dkim_tokens, 3);
	assert_string_equal(id.dkim_tokens[2], "wrqplteh7oodxnad7hsl4mixg2uavzneazxv5sxi2");
	assert_string_equal(id.mail_from_domain, "bounce.example.com");
	assert_string_equal(id.mail_from_status, "PENDING");
	assert_string_equal(id.mail_from_on_mx_failure, "USE_DEFAULT_VALUE");
	assert_int_equal(id.n_policies, 2);
	assert_string_equal(id.policies[0].name, "allow-app");
	assert_string_equal(id.policies[0].document, "{\"Version\":\"2012-10-17\"}");
	assert_int_equal(id.n_tags, 2);
	assert_string_equal(id.tags[1].key, "env");
	assert_string_equal(id.tags[1].value, "prod");
	assert_string_equal(id.configuration_set, "marketing");
	assert_string_equal(id.verification_error, "DNS_SERVER_ERROR");
	/* "2026-11-20T10:00:00.5+01:00" */
	assert_int_equal(id.verification_last_checked, 1795165200);
	ses_identity_free(&id);
	fx_free(&f);
}

static void test_get_identity_moto(void **state)
{
	struct fx f = fx_load("sesv2/get_email_identity_domain.json");
	struct fx e = fx_load("sesv2/get_email_identity_email.json");
	struct ses_identity id = {0};

	(void)state;
	assert_int_equal(sesv2_parse_get_email_identity(f.data, f.len, &id, NULL), SC_OK);
	assert_string_equal(id.type, "DOMAIN");
	assert_false(id.verified_for_sending);
	assert_null(id.configuration_set); /* JSON null */
	assert_int_equal(id.n_tags, 0);
	assert_string_equal(id.dkim_next_key_length, "RSA_2048_BIT");
	/* moto sends an ISO string where AWS sends a number: "2026-11-24T08:13:35.577Z" */
	assert_int_equal(id.dkim_last_key_generation, 1795508015);
	assert_int_equal(id.n_policies, 1);
	assert_null(id.mail_from_domain);
	/* the same struct can be reused: the second parse replaces everything */
	assert_int_equal(sesv2_parse_get_email_identity(e.data, e.len, &id, NULL), SC_OK);
	assert_string_equal(id.type, "EMAIL_ADDRESS");
	assert_string_equal(id.dkim_status, "NOT_STARTED");
	assert_int_equal(id.dkim_last_key_generation, 0);
	assert_int_equal(id.n_policies, 0);
	ses_identity_free(&id);
	fx_free(&f);
	fx_free(&e);
}

static void test_get_identity_byodkim_unknown_enum(void **state)
{
	struct fx f = fx_load("sesv2/get_email_identity_byodkim.json");
	struct ses_identity id = {0};

	(void)state;
	assert_int_equal(sesv2_parse_get_email_identity(f.data, f.len, &id, NULL), SC_OK);
	assert_string_equal(id.dkim_origin, "EXTERNAL");
	assert_int_equal(id.n_dkim_tokens, 1);
	assert_string_equal(id.dkim_tokens[0], "sel2026");
	assert_null(id.dkim_current_key_length);
	assert_string_equal(id.verification_status, "QUANTUM_PENDING");
	assert_int_equal(ses_state_of(id.verification_status), SES_STATE_UNKNOWN);
	ses_identity_free(&id);
	fx_free(&f);
}

static void expect_bad(const char *file, enum sc_status (*parse)(const char *, size_t, void *,
								  struct sc_error *),
		       void *out, const char *needle)
{
	struct fx f = fx_load(file);
	struct sc_error err;

	sc_error_clear(&err);
	assert_int_equal(parse(f.data, f.len, out, &err), SC_BAD_REPLY);
	assert_int_equal(err.status, SC_BAD_REPLY);
	assert_contains(err.message, needle);
	fx_free(&f);
}

static enum sc_status parse_identity(const char *b, size_t l, void *o, struct sc_error *e)
{
	return sesv2_parse_get_email_identity(b, l, o, e);
}

static void test_get_identity_bad(void **state)
{
	struct ses_identity id = {0};

	(void)state;
	expect_bad("sesv2/bad_get_email_identity_no_type.json", parse_identity, &id,
		   "GetEmailIdentity: the reply has no usable IdentityType");
	assert_null(id.dkim_status); /* nothing half-filled */
	expect_bad("sesv2/bad_get_email_identity_type_number.json", parse_identity, &id,
		   "IdentityType");
	expect_bad("sesv2/bad_mail_from_incomplete.json", parse_identity, &id,
		   "MailFromAttributes.MailFromDomainStatus");
	assert_null(id.mail_from_domain);
	expect_bad("sesv2/bad_truncated.json", parse_identity, &id, "not a JSON object");
	expect_bad("sesv2/bad_html.html", parse_identity, &id, "not a JSON object");
	expect_bad("sesv2/bad_array_root.json", parse_identity, &id, "not a JSON object");
	assert_int_equal(sesv2_parse_get_email_identity("", 0, &id, NULL), SC_BAD_REPLY);
	assert_int_equal(sesv2_parse_get_email_identity(NULL, 0, &id, NULL), SC_BAD_REPLY);
	ses_identity_free(&id);
}

static void test_create_identity_and_dkim_signing(void **state)
{
	struct fx c = fx_load("sesv2/create_email_identity_easy_dkim.json");
	struct fx d = fx_load("sesv2/put_dkim_signing_attributes.json");
	struct ses_identity id = {0};
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_create_email_identity(c.data, c.len, &id, NULL), SC_OK);
	assert_string_equal(id.type, "DOMAIN");
	assert_string_equal(id.dkim_next_key_length, "RSA_2048_BIT");
	assert_int_equal(sesv2_parse_put_dkim_signing_attributes(d.data, d.len, &id, NULL), SC_OK);
	assert_string_equal(id.dkim_status, "PENDING");
	assert_int_equal(id.n_dkim_tokens, 3);
	assert_string_equal(id.dkim_tokens[0], "t1");
	assert_string_equal(id.type, "DOMAIN"); /* untouched */
	assert_int_equal(sesv2_parse_put_dkim_signing_attributes(LIT("{}"), &id, &err), SC_BAD_REPLY);
	assert_contains(err.message, "PutEmailIdentityDkimSigningAttributes");
	assert_contains(err.message, "DkimStatus");
	assert_string_equal(id.dkim_status, "PENDING"); /* a failed parse changes nothing */
	ses_identity_free(&id);
	fx_free(&c);
	fx_free(&d);
}

static void test_policies(void **state)
{
	struct fx f = fx_load("sesv2/get_email_identity_policies.json");
	struct ses_policy *v = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_get_policies(f.data, f.len, &v, &n, NULL), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].name, "allow-app");
	assert_string_equal(v[0].document, "{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	sesv2_policies_free(v, n);
	assert_int_equal(sesv2_parse_get_policies(LIT("{\"Policies\":[]}"), &v, &n, &err),
			 SC_BAD_REPLY);
	assert_contains(err.message, "Policies");
	fx_free(&f);
}

/* ---- account ---- */

static void test_account(void **state)
{
	struct fx f = fx_load("sesv2/get_account.json");
	struct fx s = fx_load("sesv2/get_account_sandbox.json");
	struct ses_account a = {0};

	(void)state;
	assert_int_equal(sesv2_parse_get_account(f.data, f.len, &a, NULL), SC_OK);
	assert_false(a.sending_enabled);
	assert_true(a.production_access);
	assert_true(a.dedicated_ip_auto_warmup);
	assert_string_equal(a.enforcement_status, "PROBATION");
	assert_true(a.max_24h_send == 50000.0);
	assert_true(a.max_send_rate == 14.0);
	assert_true(a.sent_last_24h == 1234.0);
	assert_int_equal(a.n_suppressed_reasons, 2);
	assert_string_equal(a.suppressed_reasons[1], "COMPLAINT");
	assert_string_equal(a.mail_type, "TRANSACTIONAL");
	assert_string_equal(a.website_url, "https://example.com");
	assert_string_equal(a.review_status, "GRANTED");
	assert_string_equal(a.review_case_id, "170000000001");
	assert_true(a.vdm_enabled);
	assert_int_equal(sesv2_parse_get_account(s.data, s.len, &a, NULL), SC_OK);
	assert_false(a.production_access); /* absent: sandbox */
	assert_true(a.sending_enabled);
	assert_true(a.max_24h_send == 200.0);
	assert_null(a.mail_type);
	assert_false(a.vdm_enabled);
	/* out of range: a bad reply, never a quota of 0 (issue 19) */
	{
		static const char *const q[] = {"1e400", "-5", "2e15"};
		char body[512];
		struct sc_error err;

		for (size_t i = 0; i < 3; i++) {
			snprintf(body, sizeof(body),
				 "{\"SendingEnabled\": true, \"SendQuota\": {\"Max24HourSend\": %s, "
				 "\"MaxSendRate\": 1, \"SentLast24Hours\": 0}}",
				 q[i]);
			assert_int_equal(sesv2_parse_get_account(body, strlen(body), &a, &err),
					 SC_BAD_REPLY);
			assert_non_null(strstr(err.message, "SendQuota.Max24HourSend is out of range"));
		}
		snprintf(body, sizeof(body),
			 "{\"SendingEnabled\": true, \"SendQuota\": {\"Max24HourSend\": -1, "
			 "\"MaxSendRate\": 1, \"SentLast24Hours\": 0}}");
		assert_int_equal(sesv2_parse_get_account(body, strlen(body), &a, &err), SC_OK);
		assert_true(a.max_24h_send == -1.0); /* SES's "unlimited" */
	}
	ses_account_free(&a);
	fx_free(&f);
	fx_free(&s);
}

static enum sc_status parse_account(const char *b, size_t l, void *o, struct sc_error *e)
{
	return sesv2_parse_get_account(b, l, o, e);
}

static void test_account_bad(void **state)
{
	struct ses_account a = {0};

	(void)state;
	expect_bad("sesv2/bad_account_no_quota.json", parse_account, &a, "GetAccount: the reply has no usable SendQuota");
	assert_null(a.enforcement_status);
	expect_bad("sesv2/bad_account_quota_string.json", parse_account, &a,
		   "SendQuota.Max24HourSend");
	expect_bad("sesv2/bad_html.html", parse_account, &a, "GetAccount");
	ses_account_free(&a);
}

/* ---- configuration sets, suppression, metrics, send ---- */

static void test_config_sets(void **state)
{
	struct fx l = fx_load("sesv2/list_configuration_sets.json");
	struct fx g = fx_load("sesv2/get_configuration_set.json");
	struct fx b = fx_load("sesv2/get_configuration_set_bare.json");
	struct ses_config_set cs = {0};
	char **names = NULL, *tok = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(sesv2_parse_list_config_sets(l.data, l.len, &names, &n, &tok, NULL), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(names[0], "marketing");
	assert_string_equal(names[1], "bare");
	assert_null(tok);
	sesv2_strv_free(names, n);
	assert_int_equal(sesv2_parse_get_config_set(g.data, g.len, &cs, NULL), SC_OK);
	assert_string_equal(cs.name, "marketing");
	assert_string_equal(cs.tls_policy, "REQUIRE");
	assert_string_equal(cs.sending_pool, "pool-a");
	assert_true(cs.reputation_metrics_enabled);
	assert_true(cs.sending_enabled); /* moto nests it: {"SendingEnabled": {"SendingEnabled": true}} */
	assert_int_equal(cs.n_suppressed_reasons, 2);
	assert_int_equal(sesv2_parse_get_config_set(b.data, b.len, &cs, NULL), SC_OK);
	assert_string_equal(cs.name, "bare");
	assert_true(cs.sending_enabled); /* {"SendingEnabled": {}}: the service default */
	assert_null(cs.tls_policy);
	assert_int_equal(cs.n_suppressed_reasons, 0);
	assert_int_equal(sesv2_parse_get_config_set(LIT("{\"SendingOptions\":{\"SendingEnabled\":false},"
						     "\"ConfigurationSetName\":\"x\"}"),
						     &cs, NULL),
			 SC_OK);
	assert_false(cs.sending_enabled);
	assert_int_equal(sesv2_parse_get_config_set(LIT("{\"TrackingOptions\":{}}"), &cs, NULL),
			 SC_BAD_REPLY);
	assert_null(cs.name);
	ses_config_set_free(&cs);
	fx_free(&l);
	fx_free(&g);
	fx_free(&b);
}

/* Every option block, and the destinations of each kind; what this version does not know
 * is kept (event types) or marked (a destination kind), never a failure. */
static void test_config_set_full_and_destinations(void **state)
{
	struct fx g = fx_load("sesv2/get_configuration_set_full.json");
	struct fx d = fx_load("sesv2/get_configuration_set_event_destinations.json");
	struct ses_config_set cs = {0};
	struct ses_event_dest *v = NULL;
	size_t n = 0;

	(void)state;
	assert_int_equal(sesv2_parse_get_config_set(g.data, g.len, &cs, NULL), SC_OK);
	assert_string_equal(cs.tracking_domain, "click.shop.example");
	assert_string_equal(cs.https_policy, "REQUIRE_OPEN_ONLY");
	assert_int_equal(cs.max_delivery_seconds, 3600);
	assert_int_equal(cs.last_fresh_start, 1793491200);
	assert_true(cs.suppression_set);
	assert_int_equal(cs.n_suppressed_reasons, 0); /* present and empty: nothing suppressed */
	assert_string_equal(cs.validation_enabled, "ENABLED");
	assert_string_equal(cs.validation_threshold, "MANAGED");
	assert_string_equal(cs.vdm_engagement, "DISABLED");
	assert_string_equal(cs.vdm_optimized_delivery, "ENABLED");
	assert_non_null(strstr(cs.archive_arn, "mailmanager-archive/a-"));
	assert_int_equal(cs.n_tags, 1);
	assert_string_equal(cs.tags[0].value, "web");
	ses_config_set_free(&cs);

	assert_int_equal(sesv2_parse_event_dests(d.data, d.len, &v, &n, NULL), SC_OK);
	assert_int_equal(n, 5);
	assert_int_equal(v[0].kind, SES_DEST_SNS);
	assert_int_equal(v[0].events, SES_EVENT_BIT(SES_EVENT_BOUNCE) | SES_EVENT_BIT(SES_EVENT_COMPLAINT));
	assert_string_equal(v[0].arn, "arn:aws:sns:eu-west-1:123456789012:ses-bounces");
	assert_int_equal(v[1].kind, SES_DEST_CLOUDWATCH);
	assert_int_equal(v[1].n_dims, 1);
	assert_string_equal(v[1].dims[0].name, "ses:configuration-set");
	assert_int_equal(v[1].n_unknown_events, 1);
	assert_string_equal(v[1].unknown_events[0], "FUTURE_EVENT");
	assert_int_equal(v[2].kind, SES_DEST_FIREHOSE);
	assert_false(v[2].enabled);
	assert_string_equal(v[2].role_arn, "arn:aws:iam::123456789012:role/ses-firehose");
	assert_int_equal(v[3].kind, SES_DEST_EVENTBRIDGE);
	assert_false(v[3].enabled); /* absent: the model's default */
	assert_int_equal(v[4].kind, SES_DEST_NONE);
	for (size_t i = 0; i < n; i++)
		ses_event_dest_free(&v[i]);
	free(v);

	assert_int_equal(sesv2_parse_event_dests(LIT("{\"EventDestinations\":[{\"Enabled\":true}]}"),
						 &v, &n, NULL),
			 SC_BAD_REPLY); /* a destination without a name */
	assert_null(v);
	assert_int_equal(sesv2_parse_event_dests(LIT("{}"), &v, &n, NULL), SC_BAD_REPLY);
	fx_free(&g);
	fx_free(&d);
}

/* Input checks made before any request, with a sentence that says what is wrong. */
static void test_event_dest_checks(void **state)
{
	struct ses_cw_dimension dim = {"ses:configuration-set", "MESSAGE_TAG", "none"};
	struct ses_event_dest d = {.name = "fb", .enabled = true,
				   .events = SES_EVENT_BIT(SES_EVENT_BOUNCE), .kind = SES_DEST_SNS,
				   .arn = "arn:aws:sns:eu-west-1:123456789012:topic"};
	struct sc_error err;

	(void)state;
	assert_int_equal(ses_event_dest_check(&d, &err), SC_OK);
	d.arn = "arn:aws:sqs:eu-west-1:123456789012:queue";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "not an ARN for SNS"));
	d.arn = "arn:aws:sns:eu-west-1:12345:topic"; /* not 12 digits */
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	d.kind = SES_DEST_EVENTBRIDGE;
	d.arn = "arn:aws:events:eu-west-1:123456789012:event-bus/custom";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "default event bus"));
	d.kind = SES_DEST_FIREHOSE;
	d.arn = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/s";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE); /* no role */
	d.role_arn = "arn:aws:iam::123456789012:role/r";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_OK);
	d.kind = SES_DEST_CLOUDWATCH;
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE); /* no dimension */
	d.dims = &dim;
	d.n_dims = 1;
	assert_int_equal(ses_event_dest_check(&d, &err), SC_OK);
	dim.name = "bad name";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	dim.name = "campaign";
	dim.source = "COOKIE";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	dim.source = "LINK_TAG";
	d.events = 0;
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	d.events = SES_EVENT_BIT(SES_EVENT_SEND);
	d.kind = SES_DEST_NONE;
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "exactly one"));
	d.kind = SES_DEST_CLOUDWATCH;
	d.name = "has space";
	assert_int_equal(ses_event_dest_check(&d, &err), SC_USAGE);
	assert_int_equal(ses_config_set_name_check("ok_Name-1", &err), SC_OK);
	assert_int_equal(ses_config_set_name_check("", &err), SC_USAGE);
	assert_int_equal(ses_config_set_name_check("a.b", &err), SC_USAGE);
	assert_int_equal(ses_event_from("delivery-delay"), SES_EVENT_DELIVERY_DELAY);
	assert_int_equal(ses_event_from("RENDERING_FAILURE"), SES_EVENT_RENDERING_FAILURE);
	assert_int_equal(ses_event_from("nope"), -1);
}

static void test_suppressed(void **state)
{
	struct fx l = fx_load("sesv2/list_suppressed.json");
	struct fx g = fx_load("sesv2/get_suppressed.json");
	struct ses_suppressed *v = NULL, one = {0};
	size_t n = 0;
	char *tok = NULL;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_suppressed(l.data, l.len, &v, &n, &tok, NULL), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(tok, "next-1");
	assert_string_equal(v[0].email, "gone@example.net");
	assert_string_equal(v[0].reason, "BOUNCE");
	assert_int_equal(v[0].last_update, 1763600000);
	assert_int_equal(v[1].last_update, 1793491200); /* ISO string form */
	sesv2_suppressed_list_free(v, n);
	free(tok);
	assert_int_equal(sesv2_parse_get_suppressed(g.data, g.len, &one, NULL), SC_OK);
	assert_string_equal(one.email, "gone@example.net");
	assert_string_equal(one.message_id, "0100018c-abc");
	assert_string_equal(one.feedback_id, "0100018c-fb");
	assert_int_equal(sesv2_parse_get_suppressed(LIT("{\"SuppressedDestination\":{\"Reason\":\"BOUNCE\"}}"), &one, &err),
			 SC_BAD_REPLY);
	assert_contains(err.message, "SuppressedDestination.EmailAddress");
	assert_null(one.reason);
	ses_suppressed_free(&one);
	fx_free(&l);
	fx_free(&g);
}

static void test_batch_metrics(void **state)
{
	struct fx f = fx_load("sesv2/batch_get_metric_data.json");
	struct fx bad = fx_load("sesv2/bad_metric_lengths.json");
	struct sesv2_metric_result *v = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_batch_get_metric_data(f.data, f.len, &v, &n, NULL), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].id, "send");
	assert_int_equal(v[0].n_points, 3);
	assert_int_equal(v[0].points[0].ts, 1763596800); /* sorted by time */
	assert_true(v[0].points[0].value == 100);
	assert_int_equal(v[0].points[2].ts, 1763769600);
	assert_true(v[0].points[2].value == 90);
	assert_null(v[0].error_code);
	assert_int_equal(v[1].n_points, 0);
	assert_string_equal(v[2].id, "click");
	assert_string_equal(v[2].error_code, "ACCESS_DENIED");
	assert_string_equal(v[2].error_message, "VDM is not enabled");
	sesv2_metric_results_free(v, n);
	assert_int_equal(sesv2_parse_batch_get_metric_data(bad.data, bad.len, &v, &n, &err),
			 SC_BAD_REPLY);
	assert_contains(err.message, "BatchGetMetricData");
	assert_null(v);
	assert_int_equal(n, 0);
	fx_free(&f);
	fx_free(&bad);
}

static void test_send_email(void **state)
{
	struct fx f = fx_load("sesv2/send_email.json");
	struct fx bad = fx_load("sesv2/bad_send_email_no_id.json");
	char *id = NULL;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_send_email(f.data, f.len, &id, NULL), SC_OK);
	/* moto makes a new random id each time the fixture is recorded */
	assert_int_equal(strlen(id), 60);
	assert_non_null(strstr(f.data, id));
	free(id);
	assert_int_equal(sesv2_parse_send_email(bad.data, bad.len, &id, &err), SC_BAD_REPLY);
	assert_null(id);
	assert_string_equal(err.message, "SendEmail: the reply has no usable MessageId");
	fx_free(&f);
	fx_free(&bad);
}

/* ---- Mail Manager ---- */

static void test_mail_manager(void **state)
{
	struct fx rs = fx_load("mailmanager/list_rule_sets.json");
	struct fx tp = fx_load("mailmanager/list_traffic_policies.json");
	struct fx ip = fx_load("mailmanager/list_ingress_points.json");
	struct fx ar = fx_load("mailmanager/list_archives.json");
	struct ses_mm_item *v = NULL;
	size_t n = 0;
	char *tok = NULL;

	(void)state;
	assert_int_equal(mm_parse_list(MM_LIST_RULE_SETS, rs.data, rs.len, &v, &n, &tok, NULL), SC_OK);
	assert_string_equal(tok, "mm-next");
	assert_int_equal(n, 2);
	assert_string_equal(v[0].kind, "rule-set");
	assert_string_equal(v[0].id, "rs-0123456789abcdef");
	assert_string_equal(v[0].name, "inbound-main");
	assert_int_equal(v[0].modified, 1763600000);
	assert_int_equal(mm_parse_list(MM_LIST_TRAFFIC_POLICIES, tp.data, tp.len, &v, &n, &tok, NULL),
			 SC_OK);
	assert_null(tok);
	assert_string_equal(v[2].kind, "traffic-policy");
	assert_string_equal(v[2].status, "DENY");
	assert_int_equal(mm_parse_list(MM_LIST_INGRESS_POINTS, ip.data, ip.len, &v, &n, &tok, NULL),
			 SC_OK);
	assert_string_equal(v[3].detail, "OPEN abc123.mail-manager-smtp.amazonaws.com");
	assert_string_equal(v[3].status, "ACTIVE");
	assert_string_equal(v[4].detail, "AUTH");
	assert_int_equal(mm_parse_list(MM_LIST_ARCHIVES, ar.data, ar.len, &v, &n, &tok, NULL), SC_OK);
	assert_int_equal(n, 7);
	assert_string_equal(v[5].status, "ACTIVE");
	assert_null(v[6].name);
	assert_string_equal(v[6].status, "PENDING_DELETION");
	mm_items_free(v, n);
	fx_free(&rs);
	fx_free(&tp);
	fx_free(&ip);
	fx_free(&ar);
}

static void test_mail_manager_bad(void **state)
{
	struct fx f = fx_load("mailmanager/bad_missing_id.json");
	struct fx wrong = fx_load("mailmanager/list_archives.json");
	struct ses_mm_item *v = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(mm_parse_list(MM_LIST_RULE_SETS, f.data, f.len, &v, &n, NULL, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListRuleSets: the reply has no usable RuleSets.RuleSetId");
	assert_int_equal(n, 0);
	/* an Archives reply read as ListRuleSets lacks the RuleSets array */
	assert_int_equal(mm_parse_list(MM_LIST_RULE_SETS, wrong.data, wrong.len, &v, &n, NULL, &err),
			 SC_BAD_REPLY);
	assert_contains(err.message, "RuleSets");
	free(v);
	fx_free(&f);
	fx_free(&wrong);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_list_identities_moto),
		cmocka_unit_test(test_list_identities_pages_append),
		cmocka_unit_test(test_list_identities_bad),
		cmocka_unit_test(test_list_identities_bad_names_field),
		cmocka_unit_test(test_get_identity_aws),
		cmocka_unit_test(test_get_identity_moto),
		cmocka_unit_test(test_get_identity_byodkim_unknown_enum),
		cmocka_unit_test(test_get_identity_bad),
		cmocka_unit_test(test_create_identity_and_dkim_signing),
		cmocka_unit_test(test_policies),
		cmocka_unit_test(test_account),
		cmocka_unit_test(test_account_bad),
		cmocka_unit_test(test_config_sets),
		cmocka_unit_test(test_config_set_full_and_destinations),
		cmocka_unit_test(test_event_dest_checks),
		cmocka_unit_test(test_suppressed),
		cmocka_unit_test(test_batch_metrics),
		cmocka_unit_test(test_send_email),
		cmocka_unit_test(test_mail_manager),
		cmocka_unit_test(test_mail_manager_bad),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The tenants client's parsers and its refusals: every field of each reply shape, JSON
 * null as absent, unknown enums kept raw, a missing required field a bad reply that appends
 * nothing, pages chained by NextToken, recommendations without a type left out, the
 * builders' refusals (SES's filter pairs, status words, empty names), and the policy ARN in
 * the tenant's own partition and region. The request bytes themselves are cross-checked
 * with botocore in test_ses_rest.c, the signature of the %2F path in test_sigv4_botocore.c. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/tenants.h"

#define ARN "arn:aws:ses:eu-west-1:123456789012:tenant/acme/tn-1"

static void test_get_and_create(void **state)
{
	const char *get = "{\"Tenant\":{\"TenantName\":\"acme\",\"TenantId\":\"tn-1\",\"TenantArn\":\"" ARN
			  "\",\"CreatedTimestamp\":1796378400.5,\"SendingStatus\":\"DISABLED\","
			  "\"Tags\":[{\"Key\":\"plan\",\"Value\":\"gold\"}],\"Future\":1}}";
	struct ses_tenant t = {0};
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_get_tenant(get, strlen(get), &t, &err), SC_OK);
	assert_string_equal(t.name, "acme");
	assert_string_equal(t.arn, ARN);
	assert_int_equal(t.created, 1796378400);
	assert_string_equal(t.sending_status, "DISABLED");
	assert_int_equal(t.n_tags, 1);
	assert_string_equal(t.tags[0].value, "gold");
	ses_tenant_free(&t);
	/* CreateTenant answers at the top level */
	assert_int_equal(sesv2_parse_create_tenant("{\"TenantName\":\"b\",\"Tags\":null}", 31, &t,
						   &err), SC_OK);
	assert_string_equal(t.name, "b");
	assert_null(t.arn);
	ses_tenant_free(&t);
	assert_int_equal(sesv2_parse_get_tenant("{\"Tenant\":{\"TenantId\":\"x\"}}", 27, &t, &err),
			 SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "TenantName"));
	assert_null(t.name);
	assert_int_equal(sesv2_parse_get_tenant("[]", 2, &t, &err), SC_BAD_REPLY);
}

static void test_lists_append_and_page(void **state)
{
	const char *p1 = "{\"Tenants\":[{\"TenantName\":\"a\"},{\"TenantName\":\"b\"}],\"NextToken\":\"t/2\"}";
	const char *p2 = "{\"Tenants\":[{\"TenantName\":\"c\"}],\"NextToken\":null}";
	const char *bad = "{\"Tenants\":[{\"TenantName\":\"d\"},{\"TenantArn\":\"x\"}]}";
	struct ses_tenant *v = NULL;
	char *tok = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_tenants(p1, strlen(p1), &v, &n, &tok, &err), SC_OK);
	assert_string_equal(tok, "t/2");
	assert_int_equal(sesv2_parse_list_tenants(p2, strlen(p2), &v, &n, &tok, &err), SC_OK);
	assert_null(tok);
	assert_int_equal(n, 3);
	assert_string_equal(v[2].name, "c");
	/* a bad page appends nothing: the good item before the bad one is taken back */
	assert_int_equal(sesv2_parse_list_tenants(bad, strlen(bad), &v, &n, &tok, &err), SC_BAD_REPLY);
	assert_int_equal(n, 3);
	ses_tenants_free(v, n);
}

static void test_entity_and_resources(void **state)
{
	const char *e = "{\"ReputationEntity\":{\"ReputationEntityReference\":\"" ARN "\","
			"\"ReputationEntityType\":\"RESOURCE\",\"ReputationManagementPolicy\":"
			"\"arn:aws:ses:eu-west-1:aws:reputation-policy/strict\","
			"\"CustomerManagedStatus\":{\"Status\":\"REINSTATED\"},"
			"\"AwsSesManagedStatus\":{\"Status\":\"DISABLED\",\"Cause\":\"bounces\","
			"\"LastUpdatedTimestamp\":\"2026-12-01T10:00:00Z\"},"
			"\"SendingStatusAggregate\":\"DISABLED\",\"ReputationImpact\":\"SEVERE\"}}";
	const char *r = "{\"TenantResources\":[{\"ResourceType\":\"EMAIL_TEMPLATE\",\"ResourceArn\":"
			"\"arn:aws:ses:eu-west-1:1:template/w\"}]}";
	const char *rt = "{\"ResourceTenants\":[{\"TenantName\":\"acme\",\"AssociatedTimestamp\":5}]}";
	struct ses_reputation_entity x = {0};
	struct ses_tenant_resource *res = NULL;
	struct ses_resource_tenant *ts = NULL;
	size_t n = 0, m = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_get_reputation_entity(e, strlen(e), &x, &err), SC_OK);
	assert_string_equal(x.reference, ARN);
	assert_string_equal(x.customer.status, "REINSTATED");
	assert_null(x.customer.cause);
	assert_string_equal(x.aws.cause, "bounces");
	assert_int_equal(x.aws.updated, 1796119200);
	assert_string_equal(x.impact, "SEVERE"); /* unknown enum: kept raw */
	assert_string_equal(ses_policy_word(x.policy), "strict");
	ses_reputation_entity_free(&x);
	assert_int_equal(sesv2_parse_get_reputation_entity("{\"ReputationEntity\":{}}", 22, &x, &err),
			 SC_BAD_REPLY);
	assert_int_equal(sesv2_parse_list_tenant_resources(r, strlen(r), &res, &n, NULL, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(res[0].type, "EMAIL_TEMPLATE");
	ses_tenant_resources_free(res, n);
	assert_int_equal(sesv2_parse_list_resource_tenants(rt, strlen(rt), &ts, &m, NULL, &err), SC_OK);
	assert_int_equal(ts[0].associated, 5);
	ses_resource_tenants_free(ts, m);
}

static void test_recommendations(void **state)
{
	const char *b = "{\"Recommendations\":[{\"ResourceArn\":\"" ARN "\",\"Type\":\"BOUNCE\","
			"\"Status\":\"OPEN\",\"Impact\":\"HIGH\",\"Description\":\"d\"},"
			"{\"ResourceArn\":\"x\"},{\"Type\":\"DKIM\",\"Status\":\"FIXED\"}]}";
	struct ses_recommendation *v = NULL;
	size_t n = 0;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_recommendations(b, strlen(b), &v, &n, NULL, &err), SC_OK);
	assert_int_equal(n, 2); /* the one without a type names no finding */
	assert_string_equal(v[0].type, "BOUNCE");
	assert_string_equal(v[1].type, "DKIM");
	assert_null(v[1].resource_arn);
	ses_recommendations_free(v, n);
}

static void test_builder_refusals(void **state)
{
	struct sesv2_recommendation_filter f = {.type = "DKIM", .impact = "HIGH"};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_build_list_recommendations(&r, &f, &err), SC_USAGE);
	f = (struct sesv2_recommendation_filter){.status = "OPEN", .resource_arn = ARN};
	assert_int_equal(sesv2_build_list_recommendations(&r, &f, &err), SC_USAGE);
	f = (struct sesv2_recommendation_filter){.status = "OPEN", .impact = "HIGH", .page_size = 101};
	assert_int_equal(sesv2_build_list_recommendations(&r, &f, &err), SC_USAGE);
	f.page_size = 100;
	assert_int_equal(sesv2_build_list_recommendations(&r, &f, &err), SC_OK);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_update_reputation_entity_customer_managed_status(
				 &r, "RESOURCE", ARN, "PAUSED", &err), SC_USAGE);
	assert_int_equal(sesv2_build_get_tenant(&r, "", &err), SC_USAGE);
	assert_int_equal(sesv2_build_get_reputation_entity(&r, "RESOURCE", NULL, &err), SC_USAGE);
	assert_int_equal(sesv2_build_get_reputation_entity(&r, "RESOURCE", ARN, &err), SC_OK);
	assert_string_equal(buf_str(&r.path), "/v2/email/reputation/entities/RESOURCE/arn%3Aaws%3Ases%3A"
					      "eu-west-1%3A123456789012%3Atenant%2Facme%2Ftn-1");
	ses_request_free(&r);
}

static void test_policy_arn(void **state)
{
	char out[160];

	(void)state;
	ses_policy_arn(out, sizeof(out), ARN, "us-east-1", "none");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/none");
	ses_policy_arn(out, sizeof(out), "arn:aws-cn:ses:cn-north-1:1:tenant/a/b", NULL, "strict");
	assert_string_equal(out, "arn:aws-cn:ses:cn-north-1:aws:reputation-policy/strict");
	ses_policy_arn(out, sizeof(out), NULL, "eu-west-1", "standard");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/standard");
	assert_null(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/lenient"));
	assert_null(ses_policy_word("standard"));
	assert_null(ses_policy_word(NULL));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_get_and_create),
		cmocka_unit_test(test_lists_append_and_page),
		cmocka_unit_test(test_entity_and_resources),
		cmocka_unit_test(test_recommendations),
		cmocka_unit_test(test_builder_refusals),
		cmocka_unit_test(test_policy_arn),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

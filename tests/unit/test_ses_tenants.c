/* SES tenants, reputation entities and recommendations (ses/tenants.h): every builder against
 * botocore 1.43.11's REST-JSON serialiser byte for byte (tests/unit/tenants_botocore.py:
 * fixed cases, then seeded random ones), the builders' refusals, the policy ARN helpers,
 * every parser (full shapes, null and missing optional fields, unknown enums, missing
 * required fields, pages, garbage), and the call wrappers on the loopback server. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "sesctl/ses/tenants.h"

#define LIT(s) s, strlen(s)
#define RANDOM_CASES 1300 /* 100 of each of the 13 operations */

#define TENANT_ARN "arn:aws:ses:eu-west-1:123456789012:tenant/acme-prod/tn-3f2a9c0d1e4b5a6978"
#define TENANT_ARN_WIRE                                                                   \
	"arn%3Aaws%3Ases%3Aeu-west-1%3A123456789012%3Atenant%2Facme-prod%2Ftn-3f2a9c0d1e4b5a6978"
#define ENTITY_PATH "/v2/email/reputation/entities/RESOURCE/" TENANT_ARN_WIRE

/* 2026-01-01T00:00:00Z */
#define T_2026 1767225600

static void assert_contains(const char *hay, const char *needle)
{
	if (!hay || !strstr(hay, needle))
		fail_msg("\"%s\" does not contain \"%s\"", hay ? hay : "(null)", needle);
}

/* ---- builders against botocore ---- */

static const char *s_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *o_of(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static int i_of(const cJSON *o, const char *key)
{
	const cJSON *v = o_of(o, key);

	return cJSON_IsNumber(v) ? v->valueint : 0;
}

static enum sc_status build_entity(const char *op, const cJSON *in, struct ses_request *r,
				   struct sc_error *err)
{
	const char *type = s_of(in, "ReputationEntityType");
	const char *ref = s_of(in, "ReputationEntityReference");

	if (!strcmp(op, "GetReputationEntity"))
		return sesv2_build_get_reputation_entity(r, type, ref, err);
	if (!strcmp(op, "UpdateReputationEntityPolicy"))
		return sesv2_build_update_reputation_entity_policy(
			r, type, ref, s_of(in, "ReputationEntityPolicy"), err);
	return sesv2_build_update_reputation_entity_customer_managed_status(
		r, type, ref, s_of(in, "SendingStatus"), err);
}

static enum sc_status build_recommendations(const cJSON *in, struct ses_request *r,
					    struct sc_error *err)
{
	const cJSON *f = o_of(in, "Filter");
	struct sesv2_recommendation_filter rf = {0};

	rf.type = s_of(f, "TYPE");
	rf.impact = s_of(f, "IMPACT");
	rf.status = s_of(f, "STATUS");
	rf.resource_arn = s_of(f, "RESOURCE_ARN");
	rf.next_token = s_of(in, "NextToken");
	rf.page_size = i_of(in, "PageSize");
	return sesv2_build_list_recommendations(r, &rf, err);
}

static enum sc_status build(const char *op, const cJSON *in, struct ses_request *r,
			    struct sc_error *err)
{
	const char *name = s_of(in, "TenantName"), *arn = s_of(in, "ResourceArn");
	const char *tok = s_of(in, "NextToken");
	const cJSON *f = o_of(in, "Filter");

	if (!strcmp(op, "CreateTenant"))
		return sesv2_build_create_tenant(r, name, err);
	if (!strcmp(op, "GetTenant"))
		return sesv2_build_get_tenant(r, name, err);
	if (!strcmp(op, "DeleteTenant"))
		return sesv2_build_delete_tenant(r, name, err);
	if (!strcmp(op, "ListTenants")) {
		sesv2_build_list_tenants(r, tok, i_of(in, "PageSize"));
		return SC_OK;
	}
	if (!strcmp(op, "CreateTenantResourceAssociation"))
		return sesv2_build_create_tenant_resource_association(r, name, arn, err);
	if (!strcmp(op, "DeleteTenantResourceAssociation"))
		return sesv2_build_delete_tenant_resource_association(r, name, arn, err);
	if (!strcmp(op, "ListTenantResources"))
		return sesv2_build_list_tenant_resources(r, name, s_of(f, "RESOURCE_TYPE"), tok, err);
	if (!strcmp(op, "ListResourceTenants"))
		return sesv2_build_list_resource_tenants(r, arn, tok, err);
	if (!strcmp(op, "ListReputationEntities")) {
		sesv2_build_list_reputation_entities(r, f && f->child ? f->child->string : NULL,
						     f && f->child ? f->child->valuestring : NULL,
						     tok);
		return SC_OK;
	}
	if (strstr(op, "ReputationEntity"))
		return build_entity(op, in, r, err);
	if (!strcmp(op, "ListRecommendations"))
		return build_recommendations(in, r, err);
	return sc_fail(err, SC_USAGE, "no builder for %s", op);
}

static void check_case(size_t k, const cJSON *c)
{
	const char *op = s_of(c, "op"), *want_body = s_of(c, "body"), *ct = s_of(c, "content_type");
	struct ses_request r;
	struct sc_error err;

	if (build(op, o_of(c, "in"), &r, &err) != SC_OK)
		fail_msg("case %zu (%s): %s", k, op, err.message);
	assert_string_equal(r.operation, op);
	if (strcmp(r.method, s_of(c, "method")) || strcmp(buf_str(&r.path), s_of(c, "path")) ||
	    strcmp(buf_str(&r.query), s_of(c, "query")))
		fail_msg("case %zu (%s): %s %s?%s, botocore %s %s?%s", k, op, r.method,
			 buf_str(&r.path), buf_str(&r.query), s_of(c, "method"), s_of(c, "path"),
			 s_of(c, "query"));
	if (strcmp(buf_str(&r.body), want_body))
		fail_msg("case %zu (%s) body:\n sesctl   %s\n botocore %s", k, op, buf_str(&r.body),
			 want_body);
	if (ct)
		assert_string_equal(r.content_type, ct);
	else
		assert_null(r.content_type);
	assert_int_equal(r.service, SES_SVC_SESV2);
	ses_request_free(&r);
}

static void test_builders_match_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0, labels = 0, ops = 0;
	char seen[16][64];
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/tenants_botocore.py 4343 %d",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".",
		 RANDOM_CASES);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *c = cJSON_Parse(line);
		const char *op, *path;
		size_t i;

		assert_non_null(c);
		check_case(++cases, c);
		op = s_of(c, "op");
		path = s_of(c, "path");
		labels += strstr(path, "%3A") && strstr(path, "%2F");
		for (i = 0; i < ops && strcmp(seen[i], op); i++)
			;
		if (i == ops && ops < 16)
			snprintf(seen[ops++], sizeof(seen[0]), "%s", op);
		cJSON_Delete(c);
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_true(cases > RANDOM_CASES); /* the fixed cases come first */
	assert_int_equal(ops, 13);         /* every operation of the header */
	assert_true(labels > 100);         /* tenant ARNs in the entity label */
}

/* The fixed wire facts, stated once here so a botocore upgrade cannot move them silently. */
static void test_entity_path_wire_form(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_build_get_reputation_entity(&r, "RESOURCE", TENANT_ARN, &err), SC_OK);
	assert_string_equal(r.method, "GET");
	assert_string_equal(buf_str(&r.path), ENTITY_PATH);
	assert_int_equal(r.body.len, 0);
	assert_null(r.content_type);
	ses_request_free(&r);
	assert_int_equal(sesv2_build_update_reputation_entity_customer_managed_status(
				 &r, "RESOURCE", TENANT_ARN, "REINSTATED", &err),
			 SC_OK);
	assert_string_equal(r.method, "PUT");
	assert_string_equal(buf_str(&r.path), ENTITY_PATH "/customer-managed-status");
	assert_string_equal(buf_str(&r.body), "{\"SendingStatus\":\"REINSTATED\"}");
	ses_request_free(&r);
	sesv2_build_list_tenants(&r, NULL, 0);
	assert_string_equal(r.method, "POST");
	assert_string_equal(buf_str(&r.path), "/v2/email/tenants/list");
	assert_string_equal(buf_str(&r.body), "{}"); /* botocore sends {} too */
	assert_int_equal(r.query.len, 0);
	ses_request_free(&r);
}

/* ---- builders: what they refuse ---- */

/* A refused build leaves an empty request (ses_request_free() safe) and an SC_USAGE error
 * naming the operation. */
static void assert_refused(enum sc_status st, struct ses_request *r, const struct sc_error *err,
			   const char *op, const char *text)
{
	assert_int_equal(st, SC_USAGE);
	assert_int_equal(err->status, SC_USAGE);
	assert_contains(err->message, op);
	assert_contains(err->message, text);
	assert_int_equal(r->path.len, 0);
	assert_int_equal(r->body.len, 0);
	ses_request_free(r);
}

static void test_builders_refuse_missing_inputs(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	assert_refused(sesv2_build_create_tenant(&r, NULL, &err), &r, &err, "CreateTenant",
		       "tenant name is empty");
	assert_refused(sesv2_build_get_tenant(&r, "", &err), &r, &err, "GetTenant", "tenant name");
	assert_refused(sesv2_build_delete_tenant(&r, NULL, &err), &r, &err, "DeleteTenant",
		       "tenant name");
	assert_refused(sesv2_build_create_tenant_resource_association(&r, "t", "", &err), &r, &err,
		       "CreateTenantResourceAssociation", "resource ARN is empty");
	assert_refused(sesv2_build_delete_tenant_resource_association(&r, NULL, "arn:x", &err), &r,
		       &err, "DeleteTenantResourceAssociation", "tenant name");
	assert_refused(sesv2_build_list_tenant_resources(&r, "", NULL, NULL, &err), &r, &err,
		       "ListTenantResources", "tenant name");
	assert_refused(sesv2_build_list_tenant_resources(&r, "t", "", NULL, &err), &r, &err,
		       "ListTenantResources", "resource type is empty");
	assert_refused(sesv2_build_list_resource_tenants(&r, NULL, "tok", &err), &r, &err,
		       "ListResourceTenants", "resource ARN");
	assert_refused(sesv2_build_get_reputation_entity(&r, "RESOURCE", "", &err), &r, &err,
		       "GetReputationEntity", "reputation entity reference is empty");
	assert_refused(sesv2_build_get_reputation_entity(&r, NULL, TENANT_ARN, &err), &r, &err,
		       "GetReputationEntity", "reputation entity type is empty");
	assert_refused(sesv2_build_update_reputation_entity_policy(&r, "RESOURCE", TENANT_ARN, "",
								   &err),
		       &r, &err, "UpdateReputationEntityPolicy", "policy ARN is empty");
	assert_refused(sesv2_build_update_reputation_entity_policy(&r, "RESOURCE", NULL,
								   "arn:p/standard", &err),
		       &r, &err, "UpdateReputationEntityPolicy", "reference");
}

static void test_builder_refuses_unknown_sending_status(void **state)
{
	const char *bad[] = {NULL, "", "enabled", "PAUSED", "ENABLED ", "DISABLE"};
	const char *good[] = {"ENABLED", "DISABLED", "REINSTATED"};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		assert_refused(sesv2_build_update_reputation_entity_customer_managed_status(
				       &r, "RESOURCE", TENANT_ARN, bad[i], &err),
			       &r, &err, "UpdateReputationEntityCustomerManagedStatus",
			       "ENABLED, DISABLED or REINSTATED");
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++) {
		assert_int_equal(sesv2_build_update_reputation_entity_customer_managed_status(
					 &r, "RESOURCE", TENANT_ARN, good[i], &err),
				 SC_OK);
		assert_contains(buf_str(&r.body), good[i]);
		ses_request_free(&r);
	}
}

static void test_recommendation_filter_rules(void **state)
{
	static const struct {
		struct sesv2_recommendation_filter f;
		bool ok;
		const char *body;
	} cases[] = {
		{{0}, true, "{}"},
		{{.type = "DKIM"}, true, "{\"Filter\":{\"TYPE\":\"DKIM\"}}"},
		{{.impact = "HIGH"}, true, "{\"Filter\":{\"IMPACT\":\"HIGH\"}}"},
		{{.status = "OPEN"}, true, "{\"Filter\":{\"STATUS\":\"OPEN\"}}"},
		{{.resource_arn = "arn:r"}, true, "{\"Filter\":{\"RESOURCE_ARN\":\"arn:r\"}}"},
		{{.status = "OPEN", .impact = "LOW"}, true,
		 "{\"Filter\":{\"IMPACT\":\"LOW\",\"STATUS\":\"OPEN\"}}"},
		{{.status = "FIXED", .type = "SPF"}, true,
		 "{\"Filter\":{\"TYPE\":\"SPF\",\"STATUS\":\"FIXED\"}}"},
		{{.page_size = 1}, true, "{\"PageSize\":1}"},
		{{.page_size = 100, .next_token = "n"}, true, "{\"NextToken\":\"n\",\"PageSize\":100}"},
		{{.next_token = ""}, true, "{}"}, /* an empty token is no token */
		{{.type = "DKIM", .impact = "HIGH"}, false, NULL},
		{{.type = "DKIM", .resource_arn = "arn:r"}, false, NULL},
		{{.impact = "HIGH", .resource_arn = "arn:r"}, false, NULL},
		{{.status = "OPEN", .resource_arn = "arn:r"}, false, NULL},
		{{.status = "OPEN", .impact = "HIGH", .type = "DKIM"}, false, NULL},
		{{.type = "a", .impact = "b", .status = "c", .resource_arn = "d"}, false, NULL},
		{{.page_size = 101}, false, NULL},
		{{.page_size = -1}, false, NULL},
		{{.status = ""}, false, NULL},
		{{.resource_arn = ""}, false, NULL},
	};
	struct ses_request r;
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		enum sc_status st = sesv2_build_list_recommendations(&r, &cases[i].f, &err);

		if (!cases[i].ok) {
			if (st != SC_USAGE)
				fail_msg("case %zu: accepted, body %s", i, buf_str(&r.body));
			assert_refused(st, &r, &err, "ListRecommendations", "");
			continue;
		}
		if (st != SC_OK)
			fail_msg("case %zu: %s", i, err.message);
		assert_string_equal(buf_str(&r.body), cases[i].body);
		ses_request_free(&r);
	}
	assert_int_equal(sesv2_build_list_recommendations(&r, NULL, &err), SC_OK);
	assert_string_equal(buf_str(&r.body), "{}");
	assert_string_equal(buf_str(&r.path), "/v2/email/vdm/recommendations");
	ses_request_free(&r);
}

static void test_list_builders_leave_out_what_is_not_given(void **state)
{
	struct ses_request r;
	struct sc_error err;

	(void)state;
	sesv2_build_list_tenants(&r, "", -5);
	assert_string_equal(buf_str(&r.body), "{}");
	ses_request_free(&r);
	sesv2_build_list_reputation_entities(&r, NULL, "x", "");
	assert_string_equal(buf_str(&r.body), "{}");
	ses_request_free(&r);
	sesv2_build_list_reputation_entities(&r, "SENDING_STATUS", NULL, "t");
	assert_string_equal(buf_str(&r.body), "{\"NextToken\":\"t\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_list_tenant_resources(&r, "t", NULL, "", &err), SC_OK);
	assert_string_equal(buf_str(&r.body), "{\"TenantName\":\"t\"}");
	ses_request_free(&r);
	assert_int_equal(sesv2_build_list_resource_tenants(&r, "arn:r", NULL, &err), SC_OK);
	assert_string_equal(buf_str(&r.body), "{\"ResourceArn\":\"arn:r\"}");
	ses_request_free(&r);
}

/* ---- reputation policies ---- */

static void test_policy_arn(void **state)
{
	char out[128];
	int n;

	(void)state;
	n = ses_policy_arn(out, sizeof(out), TENANT_ARN, "us-east-1", "standard");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/standard");
	assert_int_equal(n, (int)strlen(out));
	ses_policy_arn(out, sizeof(out), "arn:aws-cn:ses:cn-north-1:123456789012:tenant/x/tn-1",
		       "eu-west-1", "strict");
	assert_string_equal(out, "arn:aws-cn:ses:cn-north-1:aws:reputation-policy/strict");
	ses_policy_arn(out, sizeof(out),
		       "arn:aws-us-gov:ses:us-gov-west-1:123456789012:tenant/x/tn-1", NULL, "none");
	assert_string_equal(out, "arn:aws-us-gov:ses:us-gov-west-1:aws:reputation-policy/none");
	/* no usable tenant ARN: "aws" and the region given */
	ses_policy_arn(out, sizeof(out), NULL, "ap-south-1", "standard");
	assert_string_equal(out, "arn:aws:ses:ap-south-1:aws:reputation-policy/standard");
	ses_policy_arn(out, sizeof(out), "tn-123", "eu-west-1", "strict");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/strict");
	ses_policy_arn(out, sizeof(out), "arn:aws:ses:eu-west-2", "eu-west-1", "strict");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/strict");
	/* an ARN with an empty region field keeps its partition, takes the region given */
	ses_policy_arn(out, sizeof(out), "arn:aws-cn:ses::123456789012:tenant/x", "cn-northwest-1",
		       "none");
	assert_string_equal(out, "arn:aws-cn:ses:cn-northwest-1:aws:reputation-policy/none");
	/* fields that are no partition or region are not copied into the ARN */
	ses_policy_arn(out, sizeof(out), "arn:A/B:ses:eu west:1:tenant/x", "eu-west-1", "none");
	assert_string_equal(out, "arn:aws:ses:eu-west-1:aws:reputation-policy/none");
}

static void test_policy_arn_refusals_and_truncation(void **state)
{
	char out[24];

	(void)state;
	memset(out, 'x', sizeof(out));
	assert_int_equal(ses_policy_arn(out, sizeof(out), TENANT_ARN, "eu-west-1", "lenient"), -1);
	assert_string_equal(out, "");
	assert_int_equal(ses_policy_arn(out, sizeof(out), TENANT_ARN, "eu-west-1", NULL), -1);
	assert_int_equal(ses_policy_arn(out, sizeof(out), TENANT_ARN, "eu-west-1", "STANDARD"), -1);
	assert_int_equal(ses_policy_arn(out, sizeof(out), NULL, NULL, "standard"), -1);
	assert_int_equal(ses_policy_arn(out, sizeof(out), "garbage", "", "standard"), -1);
	/* snprintf's contract: the length it needed, the output cut and terminated */
	assert_int_equal(ses_policy_arn(out, sizeof(out), TENANT_ARN, NULL, "standard"),
			 (int)strlen("arn:aws:ses:eu-west-1:aws:reputation-policy/standard"));
	assert_int_equal(strlen(out), sizeof(out) - 1);
	assert_int_equal(ses_policy_arn(NULL, 0, TENANT_ARN, NULL, "none"),
			 (int)strlen("arn:aws:ses:eu-west-1:aws:reputation-policy/none"));
}

static void test_policy_word(void **state)
{
	(void)state;
	assert_string_equal(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/standard"),
			    "standard");
	assert_string_equal(ses_policy_word("arn:aws-cn:ses:cn-north-1:aws:reputation-policy/strict"),
			    "strict");
	assert_string_equal(ses_policy_word("arn:aws:ses:us-east-1:aws:reputation-policy/none"),
			    "none");
	assert_string_equal(ses_policy_word("anything/standard"), "standard");
	assert_null(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/standardx"));
	assert_null(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/"));
	assert_null(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/Strict"));
	assert_null(ses_policy_word("standard"));
	assert_null(ses_policy_word(""));
	assert_null(ses_policy_word(NULL));
}

/* ---- parsers ---- */

static const char CREATE_FULL[] =
	"{\"TenantName\":\"acme-prod\",\"TenantId\":\"tn-3f2a9c0d1e4b5a6978\","
	"\"TenantArn\":\"" TENANT_ARN "\",\"CreatedTimestamp\":1767225600.75,"
	"\"Tags\":[{\"Key\":\"team\",\"Value\":\"mail\"},{\"Key\":\"env\",\"Value\":\"prod\"}],"
	"\"SendingStatus\":\"ENABLED\",\"SomethingNew\":{\"x\":1}}";

static void test_parse_create_tenant(void **state)
{
	struct ses_tenant t = {0};
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_create_tenant(LIT(CREATE_FULL), &t, &err), SC_OK);
	assert_string_equal(t.name, "acme-prod");
	assert_string_equal(t.id, "tn-3f2a9c0d1e4b5a6978");
	assert_string_equal(t.arn, TENANT_ARN);
	assert_int_equal(t.created, T_2026); /* the fraction dropped */
	assert_string_equal(t.sending_status, "ENABLED");
	assert_int_equal(t.n_tags, 2);
	assert_string_equal(t.tags[1].key, "env");
	assert_string_equal(t.tags[1].value, "prod");
	/* parsing again into a filled struct frees what it held */
	assert_int_equal(sesv2_parse_create_tenant(LIT("{\"TenantName\":\"b\"}"), &t, &err), SC_OK);
	assert_string_equal(t.name, "b");
	assert_null(t.id);
	assert_null(t.arn);
	assert_null(t.sending_status);
	assert_null(t.tags);
	assert_int_equal(t.n_tags, 0);
	assert_int_equal(t.created, 0);
	ses_tenant_free(&t);
}

static void test_parse_create_tenant_missing_name(void **state)
{
	struct ses_tenant t = {0};
	struct sc_error err;

	(void)state;
	t.name = xstrdup("stale");
	assert_int_equal(sesv2_parse_create_tenant(LIT("{\"TenantId\":\"tn-1\",\"TenantArn\":\"a\"}"),
						   &t, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "CreateTenant: the reply has no usable TenantName");
	assert_null(t.name);
	assert_null(t.id);
	assert_int_equal(sesv2_parse_create_tenant(LIT("{\"TenantName\":null,\"TenantId\":\"x\"}"), &t,
						   &err),
			 SC_BAD_REPLY);
	assert_int_equal(sesv2_parse_create_tenant(LIT("{\"TenantName\":7}"), &t, &err),
			 SC_BAD_REPLY);
	assert_null(t.name);
}

static void test_parse_get_tenant(void **state)
{
	static const char body[] =
		"{\"Tenant\":{\"TenantName\":\"acme\",\"TenantId\":\"tn-1\",\"TenantArn\":null,"
		"\"CreatedTimestamp\":\"2026-01-01T00:00:00Z\",\"Tags\":null,"
		"\"SendingStatus\":\"PAUSED_BY_SES\"},\"ResponseMetadata\":{}}";
	struct ses_tenant t = {0};
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_get_tenant(LIT(body), &t, &err), SC_OK);
	assert_string_equal(t.name, "acme");
	assert_string_equal(t.id, "tn-1");
	assert_null(t.arn);
	assert_int_equal(t.created, T_2026);
	assert_null(t.tags);
	assert_string_equal(t.sending_status, "PAUSED_BY_SES"); /* unknown enum: kept raw */
	ses_tenant_free(&t);
	/* optional fields of the wrong type are absent */
	assert_int_equal(sesv2_parse_get_tenant(LIT("{\"Tenant\":{\"TenantName\":\"a\",\"TenantId\":5,"
						    "\"CreatedTimestamp\":\"yesterday\","
						    "\"Tags\":\"none\",\"SendingStatus\":[]}}"),
						&t, &err),
			 SC_OK);
	assert_null(t.id);
	assert_int_equal(t.created, 0);
	assert_null(t.tags);
	assert_null(t.sending_status);
	ses_tenant_free(&t);
}

static void test_parse_get_tenant_bad(void **state)
{
	static const char *const bad[] = {
		"{}",
		"{\"Tenant\":null}",
		"{\"Tenant\":[]}",
		"{\"Tenant\":\"acme\"}",
		"{\"TenantName\":\"acme\"}", /* the CreateTenant shape is not a GetTenant reply */
		"{\"Tenant\":{\"TenantId\":\"tn-1\"}}",
	};
	struct ses_tenant t = {0};
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		t.id = xstrdup("stale");
		assert_int_equal(sesv2_parse_get_tenant(LIT(bad[i]), &t, &err), SC_BAD_REPLY);
		assert_null(t.id);
		assert_null(t.name);
	}
	assert_string_equal(err.message, "GetTenant: the reply has no usable Tenant.TenantName");
	assert_int_equal(sesv2_parse_get_tenant(LIT("{\"Tenant\":5}"), &t, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "GetTenant: the reply has no usable Tenant");
}

static void test_parse_list_tenants_pages(void **state)
{
	static const char p1[] =
		"{\"Tenants\":[{\"TenantName\":\"a\",\"TenantId\":\"tn-a\",\"TenantArn\":\"arn:a\","
		"\"CreatedTimestamp\":1767225600,\"SendingStatus\":\"ENABLED\","
		"\"Tags\":[{\"Key\":\"k\",\"Value\":\"v\"}]},"
		"{\"TenantName\":\"b\"}],\"NextToken\":\"page/2+\"}";
	static const char p2[] = "{\"Tenants\":[{\"TenantName\":\"c\",\"TenantId\":null}],"
				 "\"NextToken\":null}";
	struct ses_tenant *v = NULL;
	size_t n = 0;
	char *tok = xstrdup("old");
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_tenants(LIT(p1), &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(tok, "page/2+");
	assert_string_equal(v[0].arn, "arn:a");
	assert_int_equal(v[0].created, T_2026);
	/* TenantInfo has no status or tags: a list never fills them */
	assert_null(v[0].sending_status);
	assert_null(v[0].tags);
	assert_null(v[1].id);
	assert_int_equal(sesv2_parse_list_tenants(LIT(p2), &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_null(tok);
	assert_string_equal(v[2].name, "c");
	assert_null(v[2].id);
	/* a page whose tenant has no name adds nothing, and keeps what was there */
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[{\"TenantName\":\"d\"},"
						      "{\"TenantId\":\"tn-e\"}],\"NextToken\":\"x\"}"),
						  &v, &n, &tok, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListTenants: the reply has no usable Tenants[].TenantName");
	assert_int_equal(n, 3);
	assert_string_equal(v[2].name, "c");
	ses_tenants_free(v, n);
	free(tok);
}

static void test_parse_list_tenants_tokens(void **state)
{
	struct ses_tenant *v = NULL;
	size_t n = 0;
	char *tok = xstrdup("old");
	struct sc_error err;

	(void)state;
	/* an empty page with an empty token: the last page */
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[],\"NextToken\":\"\"}"), &v, &n,
						  &tok, &err),
			 SC_OK);
	assert_int_equal(n, 0);
	assert_null(tok);
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[],\"NextToken\":\"t\"}"), &v, &n,
						  &tok, &err),
			 SC_OK);
	assert_string_equal(tok, "t");
	/* no token at all: the last page; a token of another type: none */
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[]}"), &v, &n, &tok, &err), SC_OK);
	assert_null(tok);
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[],\"NextToken\":5}"), &v, &n,
						  &tok, &err),
			 SC_OK);
	assert_null(tok);
	/* next_token may be NULL when the caller does not page */
	assert_int_equal(sesv2_parse_list_tenants(LIT("{\"Tenants\":[{\"TenantName\":\"a\"}],"
						      "\"NextToken\":\"t\"}"),
						  &v, &n, NULL, &err),
			 SC_OK);
	assert_int_equal(n, 1);
	ses_tenants_free(v, n);
}

static void test_parse_list_tenant_resources(void **state)
{
	static const char body[] =
		"{\"TenantResources\":[{\"ResourceType\":\"EMAIL_IDENTITY\","
		"\"ResourceArn\":\"arn:aws:ses:eu-west-1:123456789012:identity/shop.example\"},"
		"{\"ResourceType\":\"CONTACT_LIST\",\"ResourceArn\":\"arn:c\"},"
		"{\"ResourceType\":null,\"ResourceArn\":\"arn:d\"}],\"NextToken\":\"n\"}";
	struct ses_tenant_resource *v = NULL;
	size_t n = 0;
	char *tok = NULL;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_tenant_resources(LIT(body), &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].type, "EMAIL_IDENTITY");
	assert_string_equal(v[0].arn, "arn:aws:ses:eu-west-1:123456789012:identity/shop.example");
	assert_string_equal(v[1].type, "CONTACT_LIST"); /* unknown type: kept raw */
	assert_null(v[2].type);
	assert_string_equal(tok, "n");
	assert_int_equal(sesv2_parse_list_tenant_resources(
				 LIT("{\"TenantResources\":[{\"ResourceArn\":\"arn:e\"},"
				     "{\"ResourceType\":\"EMAIL_TEMPLATE\"}]}"),
				 &v, &n, &tok, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListTenantResources: the reply has no usable "
					 "TenantResources[].ResourceArn");
	assert_int_equal(n, 3);
	assert_string_equal(tok, "n");
	assert_int_equal(sesv2_parse_list_tenant_resources(LIT("{\"Resources\":[]}"), &v, &n, &tok,
							   &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListTenantResources: the reply has no usable TenantResources");
	ses_tenant_resources_free(v, n);
	free(tok);
}

static void test_parse_list_resource_tenants(void **state)
{
	static const char body[] =
		"{\"ResourceTenants\":[{\"TenantName\":\"acme\",\"TenantId\":\"tn-1\","
		"\"ResourceArn\":\"arn:r\",\"AssociatedTimestamp\":\"2026-01-01T00:00:00.000Z\"},"
		"{\"TenantName\":\"b\",\"AssociatedTimestamp\":-5}]}";
	struct ses_resource_tenant *v = NULL;
	size_t n = 0;
	char *tok = xstrdup("old");
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_resource_tenants(LIT(body), &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_null(tok);
	assert_string_equal(v[0].tenant_name, "acme");
	assert_string_equal(v[0].tenant_id, "tn-1");
	assert_string_equal(v[0].resource_arn, "arn:r");
	assert_int_equal(v[0].associated, T_2026);
	assert_int_equal(v[1].associated, 0); /* a negative time is no time */
	assert_null(v[1].resource_arn);
	assert_int_equal(sesv2_parse_list_resource_tenants(
				 LIT("{\"ResourceTenants\":[{\"TenantId\":\"tn-1\"}]}"), &v, &n,
				 &tok, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListResourceTenants: the reply has no usable "
					 "ResourceTenants[].TenantName");
	assert_int_equal(n, 2);
	ses_resource_tenants_free(v, n);
}

static const char ENTITY_FULL[] =
	"{\"ReputationEntityReference\":\"" TENANT_ARN "\",\"ReputationEntityType\":\"RESOURCE\","
	"\"ReputationManagementPolicy\":\"arn:aws:ses:eu-west-1:aws:reputation-policy/standard\","
	"\"CustomerManagedStatus\":{\"Status\":\"DISABLED\",\"Cause\":\"paused by ops (INC-7)\","
	"\"LastUpdatedTimestamp\":1767225600},"
	"\"AwsSesManagedStatus\":{\"Status\":\"ENABLED\",\"Cause\":null,"
	"\"LastUpdatedTimestamp\":\"2026-01-01T00:00:00Z\"},"
	"\"SendingStatusAggregate\":\"DISABLED\",\"ReputationImpact\":\"HIGH\"}";

static void test_parse_get_reputation_entity(void **state)
{
	char body[2048];
	struct ses_reputation_entity e = {0};
	struct sc_error err;

	(void)state;
	snprintf(body, sizeof(body), "{\"ReputationEntity\":%s}", ENTITY_FULL);
	assert_int_equal(sesv2_parse_get_reputation_entity(body, strlen(body), &e, &err), SC_OK);
	assert_string_equal(e.reference, TENANT_ARN);
	assert_string_equal(e.type, "RESOURCE");
	assert_string_equal(e.policy, "arn:aws:ses:eu-west-1:aws:reputation-policy/standard");
	assert_string_equal(ses_policy_word(e.policy), "standard");
	assert_string_equal(e.customer.status, "DISABLED");
	assert_string_equal(e.customer.cause, "paused by ops (INC-7)");
	assert_int_equal(e.customer.updated, T_2026);
	assert_string_equal(e.aws.status, "ENABLED");
	assert_null(e.aws.cause);
	assert_int_equal(e.aws.updated, T_2026);
	assert_string_equal(e.aggregate, "DISABLED");
	assert_string_equal(e.impact, "HIGH");
	/* the bare entity: only the reference; absent and null records are empty */
	assert_int_equal(sesv2_parse_get_reputation_entity(
				 LIT("{\"ReputationEntity\":{\"ReputationEntityReference\":\"r\","
				     "\"CustomerManagedStatus\":null,\"AwsSesManagedStatus\":7,"
				     "\"ReputationEntityType\":\"TENANT\"}}"),
				 &e, &err),
			 SC_OK);
	assert_string_equal(e.reference, "r");
	assert_string_equal(e.type, "TENANT"); /* unknown enum: kept raw */
	assert_null(e.policy);
	assert_null(e.customer.status);
	assert_null(e.aws.status);
	assert_int_equal(e.aws.updated, 0);
	assert_null(e.aggregate);
	assert_null(e.impact);
	ses_reputation_entity_free(&e);
}

static void test_parse_get_reputation_entity_bad(void **state)
{
	struct ses_reputation_entity e = {0};
	struct sc_error err;

	(void)state;
	e.policy = xstrdup("stale");
	assert_int_equal(sesv2_parse_get_reputation_entity(LIT(ENTITY_FULL), &e, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "GetReputationEntity: the reply has no usable ReputationEntity");
	assert_null(e.policy);
	assert_int_equal(sesv2_parse_get_reputation_entity(
				 LIT("{\"ReputationEntity\":{\"ReputationEntityType\":\"RESOURCE\","
				     "\"ReputationImpact\":\"LOW\"}}"),
				 &e, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "GetReputationEntity: the reply has no usable "
					 "ReputationEntity.ReputationEntityReference");
	assert_null(e.type);
	assert_null(e.impact);
}

static void test_parse_list_reputation_entities(void **state)
{
	char body[4096];
	struct ses_reputation_entity *v = NULL;
	size_t n = 0;
	char *tok = NULL;
	struct sc_error err;

	(void)state;
	snprintf(body, sizeof(body),
		 "{\"ReputationEntities\":[%s,{\"ReputationEntityReference\":\"arn:b\","
		 "\"SendingStatusAggregate\":\"SUSPENDED\"}],\"NextToken\":\"e2\"}",
		 ENTITY_FULL);
	assert_int_equal(sesv2_parse_list_reputation_entities(body, strlen(body), &v, &n, &tok, &err),
			 SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(tok, "e2");
	assert_string_equal(v[0].customer.cause, "paused by ops (INC-7)");
	assert_string_equal(v[0].aws.status, "ENABLED");
	assert_string_equal(v[1].reference, "arn:b");
	assert_string_equal(v[1].aggregate, "SUSPENDED");
	assert_null(v[1].customer.status);
	assert_int_equal(sesv2_parse_list_reputation_entities(
				 LIT("{\"ReputationEntities\":[{\"ReputationEntityReference\":\"c\"},"
				     "{\"ReputationEntityType\":\"RESOURCE\"}]}"),
				 &v, &n, &tok, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "ListReputationEntities: the reply has no usable "
					 "ReputationEntities[].ReputationEntityReference");
	assert_int_equal(n, 2);
	assert_int_equal(sesv2_parse_list_reputation_entities(
				 LIT("{\"ReputationEntities\":{\"ReputationEntityReference\":\"c\"}}"),
				 &v, &n, &tok, &err),
			 SC_BAD_REPLY);
	assert_int_equal(n, 2);
	ses_reputation_entities_free(v, n);
	free(tok);
}

static void test_parse_list_recommendations(void **state)
{
	static const char body[] =
		"{\"Recommendations\":["
		"{\"ResourceArn\":\"" TENANT_ARN "\",\"Type\":\"DKIM\",\"Description\":\"DKIM is not "
		"set up\",\"Status\":\"OPEN\",\"CreatedTimestamp\":1767225600,"
		"\"LastUpdatedTimestamp\":\"2026-01-01T00:00:00Z\",\"Impact\":\"HIGH\"},"
		"{\"ResourceArn\":\"arn:x\",\"Description\":\"no type\"},"
		"{\"Type\":7,\"Status\":\"OPEN\"},"
		"{\"Type\":null},"
		"\"DKIM\",null,[],"
		"{\"Type\":\"ARC\",\"Status\":\"SNOOZED\",\"Impact\":\"MEDIUM\",\"Extra\":true}],"
		"\"NextToken\":\"r2\"}";
	struct ses_recommendation *v = NULL;
	size_t n = 0;
	char *tok = NULL;
	struct sc_error err;

	(void)state;
	assert_int_equal(sesv2_parse_list_recommendations(LIT(body), &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 2); /* the items without a Type are skipped */
	assert_string_equal(tok, "r2");
	assert_string_equal(v[0].resource_arn, TENANT_ARN);
	assert_string_equal(v[0].type, "DKIM");
	assert_string_equal(v[0].description, "DKIM is not set up");
	assert_string_equal(v[0].status, "OPEN");
	assert_string_equal(v[0].impact, "HIGH");
	assert_int_equal(v[0].created, T_2026);
	assert_int_equal(v[0].updated, T_2026);
	assert_string_equal(v[1].type, "ARC"); /* unknown enums: kept raw */
	assert_string_equal(v[1].status, "SNOOZED");
	assert_string_equal(v[1].impact, "MEDIUM");
	assert_null(v[1].resource_arn);
	assert_int_equal(v[1].created, 0);
	assert_int_equal(sesv2_parse_list_recommendations(LIT("{\"Recommendations\":[]}"), &v, &n,
							  &tok, &err),
			 SC_OK);
	assert_int_equal(n, 2);
	assert_null(tok);
	assert_int_equal(sesv2_parse_list_recommendations(LIT("{\"Recommendation\":[]}"), &v, &n,
							  &tok, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message,
			    "ListRecommendations: the reply has no usable Recommendations");
	ses_recommendations_free(v, n);
}

/* Every parser on bodies that are no reply at all: SC_BAD_REPLY, nothing kept, no leak. */
static void test_parsers_on_garbage(void **state)
{
	static const char *const garbage[] = {
		"", " ", "null", "[]", "[{\"TenantName\":\"a\"}]", "\"text\"", "42", "true", "{",
		"{\"Tenants\":[{\"TenantName\":\"a\"}", "<html><body>502 Bad Gateway</body></html>",
		"{\"a\":1}{\"b\":2}",
	};

	(void)state;
	for (size_t i = 0; i < sizeof(garbage) / sizeof(garbage[0]); i++) {
		const char *b = garbage[i];
		size_t len = strlen(b);
		struct ses_tenant t = {0}, *tv = NULL;
		struct ses_tenant_resource *trv = NULL;
		struct ses_resource_tenant *rtv = NULL;
		struct ses_reputation_entity e = {0}, *ev = NULL;
		struct ses_recommendation *rv = NULL;
		size_t n = 0;
		char *tok = NULL;
		struct sc_error err;

		assert_int_equal(sesv2_parse_create_tenant(b, len, &t, &err), SC_BAD_REPLY);
		assert_null(t.name);
		assert_int_equal(sesv2_parse_get_tenant(b, len, &t, &err), SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_list_tenants(b, len, &tv, &n, &tok, &err), SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_list_tenant_resources(b, len, &trv, &n, &tok, &err),
				 SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_list_resource_tenants(b, len, &rtv, &n, &tok, &err),
				 SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_list_reputation_entities(b, len, &ev, &n, &tok, &err),
				 SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_get_reputation_entity(b, len, &e, &err), SC_BAD_REPLY);
		assert_null(e.reference);
		assert_int_equal(sesv2_parse_list_recommendations(b, len, &rv, &n, &tok, &err),
				 SC_BAD_REPLY);
		assert_int_equal(err.status, SC_BAD_REPLY);
		assert_int_equal(n, 0);
		assert_null(tok);
		ses_tenants_free(tv, 0);
		ses_tenant_resources_free(trv, 0);
		ses_resource_tenants_free(rtv, 0);
		ses_reputation_entities_free(ev, 0);
		ses_recommendations_free(rv, 0);
	}
	/* a NULL body and a length shorter than the text */
	{
		struct ses_tenant t = {0};

		assert_int_equal(sesv2_parse_create_tenant(NULL, 0, &t, NULL), SC_BAD_REPLY);
		assert_int_equal(sesv2_parse_create_tenant("{\"TenantName\":\"a\"}", 5, &t, NULL),
				 SC_BAD_REPLY);
	}
}

/* ---- the call wrappers on the loopback server ---- */

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

/* routes: path, status, body, ... NULL */
static void env_start(struct env *e, ...)
{
	struct aws_client_options opt = {0};
	cJSON *script = cJSON_CreateObject(), *routes = cJSON_AddObjectToObject(script, "routes");
	const char *path;
	char *text;
	va_list ap;

	va_start(ap, e);
	while ((path = va_arg(ap, const char *))) {
		cJSON *steps = cJSON_GetObjectItemCaseSensitive(routes, path), *step;

		if (!steps)
			steps = cJSON_AddArrayToObject(routes, path);
		step = cJSON_CreateObject();
		cJSON_AddNumberToObject(step, "status", va_arg(ap, int));
		cJSON_AddStringToObject(step, "body", va_arg(ap, const char *));
		cJSON_AddItemToArray(steps, step);
	}
	va_end(ap);
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
	e->ctx.endpoint_sesv2 = e->fx.url;
}

static void env_stop(struct env *e)
{
	aws_client_free(e->client);
	http_client_free(e->http);
	fixture_stop(&e->fx);
}

static const char *req_field(const cJSON *reqs, int i, const char *key)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, i), key)->valuestring;
}

static void test_call_reputation_entity(void **state)
{
	char body[2048];
	struct env e;
	struct ses_reputation_entity ent = {0};
	struct sc_error err;
	cJSON *reqs;

	(void)state;
	snprintf(body, sizeof(body), "{\"ReputationEntity\":%s}", ENTITY_FULL);
	env_start(&e, ENTITY_PATH, 200, body, ENTITY_PATH "/policy", 200, "{}",
		  ENTITY_PATH "/customer-managed-status", 200, "", (const char *)NULL);
	assert_int_equal(sesv2_get_reputation_entity(&e.ctx, "RESOURCE", TENANT_ARN, &ent, &err),
			 SC_OK);
	assert_string_equal(ent.reference, TENANT_ARN);
	assert_string_equal(ent.customer.status, "DISABLED");
	assert_int_equal(sesv2_update_reputation_entity_policy(
				 &e.ctx, "RESOURCE", TENANT_ARN,
				 "arn:aws:ses:eu-west-1:aws:reputation-policy/strict", &err),
			 SC_OK);
	assert_int_equal(sesv2_update_reputation_entity_customer_managed_status(
				 &e.ctx, "RESOURCE", TENANT_ARN, "ENABLED", &err),
			 SC_OK);
	/* refused before anything is sent */
	assert_int_equal(sesv2_update_reputation_entity_customer_managed_status(
				 &e.ctx, "RESOURCE", TENANT_ARN, "enabled", &err),
			 SC_USAGE);
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 3);
	/* the ARN went out as botocore sends it, not re-encoded or decoded on the way */
	assert_string_equal(req_field(reqs, 0, "method"), "GET");
	assert_string_equal(req_field(reqs, 0, "path"), ENTITY_PATH);
	assert_string_equal(req_field(reqs, 1, "method"), "PUT");
	assert_string_equal(req_field(reqs, 1, "path"), ENTITY_PATH "/policy");
	assert_string_equal(req_field(reqs, 1, "body"),
			    "{\"ReputationEntityPolicy\":\"arn:aws:ses:eu-west-1:aws:"
			    "reputation-policy/strict\"}");
	assert_string_equal(req_field(reqs, 2, "path"), ENTITY_PATH "/customer-managed-status");
	assert_string_equal(req_field(reqs, 2, "body"), "{\"SendingStatus\":\"ENABLED\"}");
	cJSON_Delete(reqs);
	ses_reputation_entity_free(&ent);
	env_stop(&e);
}

static void test_call_tenants(void **state)
{
	struct env e;
	struct ses_tenant t = {0}, *v = NULL;
	size_t n = 0;
	char *tok = NULL;
	struct sc_error err;
	cJSON *reqs;

	(void)state;
	env_start(&e, "/v2/email/tenants", 200, CREATE_FULL, "/v2/email/tenants/list", 200,
		  "{\"Tenants\":[{\"TenantName\":\"a\"}],\"NextToken\":\"p2\"}",
		  "/v2/email/tenants/list", 200, "{\"Tenants\":[{\"TenantName\":\"b\"}]}",
		  "/v2/email/tenants/get", 404,
		  "{\"__type\":\"NotFoundException\",\"message\":\"Tenant nope does not exist\"}",
		  "/v2/email/tenants/delete", 200, "{}", "/v2/email/tenants/resources", 200, "{}",
		  (const char *)NULL);
	assert_int_equal(sesv2_create_tenant(&e.ctx, "acme-prod", &t, &err), SC_OK);
	assert_string_equal(t.arn, TENANT_ARN);
	assert_int_equal(sesv2_list_tenants(&e.ctx, NULL, &v, &n, &tok, &err), SC_OK);
	assert_string_equal(tok, "p2");
	assert_int_equal(sesv2_list_tenants(&e.ctx, tok, &v, &n, &tok, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_null(tok);
	assert_int_equal(sesv2_get_tenant(&e.ctx, "nope", &t, &err), SC_NOT_FOUND);
	assert_contains(err.message, "Tenant nope does not exist");
	assert_int_equal(sesv2_delete_tenant(&e.ctx, "acme-prod", &err), SC_OK);
	assert_int_equal(sesv2_create_tenant_resource_association(
				 &e.ctx, "acme-prod", "arn:aws:ses:eu-west-1:1:identity/a", &err),
			 SC_OK);
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 6);
	for (int i = 0; i < 6; i++)
		assert_string_equal(req_field(reqs, i, "method"), "POST");
	assert_string_equal(req_field(reqs, 0, "body"), "{\"TenantName\":\"acme-prod\"}");
	assert_string_equal(req_field(reqs, 1, "body"), "{}");
	assert_string_equal(req_field(reqs, 2, "body"), "{\"NextToken\":\"p2\"}");
	assert_string_equal(req_field(reqs, 3, "path"), "/v2/email/tenants/get");
	assert_string_equal(req_field(reqs, 5, "body"),
			    "{\"TenantName\":\"acme-prod\",\"ResourceArn\":\"arn:aws:ses:"
			    "eu-west-1:1:identity/a\"}");
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, 0),
								    "headers"),
						"content-type")
				    ->valuestring,
			    "application/json");
	cJSON_Delete(reqs);
	ses_tenant_free(&t);
	ses_tenants_free(v, n);
	env_stop(&e);
}

static void test_call_lists(void **state)
{
	struct env e;
	struct ses_tenant_resource *trv = NULL;
	struct ses_resource_tenant *rtv = NULL;
	struct ses_reputation_entity *ev = NULL;
	struct ses_recommendation *rv = NULL;
	struct sesv2_recommendation_filter f = {.status = "OPEN", .impact = "HIGH", .page_size = 100};
	size_t ntr = 0, nrt = 0, ne = 0, nr = 0;
	char *tok = NULL;
	struct sc_error err;
	cJSON *reqs;

	(void)state;
	env_start(&e, "/v2/email/tenants/resources/list", 200,
		  "{\"TenantResources\":[{\"ResourceType\":\"EMAIL_IDENTITY\",\"ResourceArn\":\"a\"}]}",
		  "/v2/email/resources/tenants/list", 200,
		  "{\"ResourceTenants\":[{\"TenantName\":\"acme\"}]}", "/v2/email/reputation/entities",
		  200, "{\"ReputationEntities\":[{\"ReputationEntityReference\":\"r\"}]}",
		  "/v2/email/vdm/recommendations", 200,
		  "{\"Recommendations\":[{\"Type\":\"SPF\"},{}],\"NextToken\":\"more\"}",
		  (const char *)NULL);
	assert_int_equal(sesv2_list_tenant_resources(&e.ctx, "acme", "t1", &trv, &ntr, &tok, &err),
			 SC_OK);
	assert_int_equal(ntr, 1);
	assert_int_equal(sesv2_list_resource_tenants(&e.ctx, "a", NULL, &rtv, &nrt, &tok, &err),
			 SC_OK);
	assert_string_equal(rtv[0].tenant_name, "acme");
	assert_int_equal(sesv2_list_reputation_entities(&e.ctx, "SENDING_STATUS", "DISABLED", NULL,
							&ev, &ne, &tok, &err),
			 SC_OK);
	assert_string_equal(ev[0].reference, "r");
	assert_int_equal(sesv2_list_recommendations(&e.ctx, &f, &rv, &nr, &tok, &err), SC_OK);
	assert_int_equal(nr, 1);
	assert_string_equal(tok, "more");
	f.type = "DKIM"; /* three keys: refused before anything is sent */
	assert_int_equal(sesv2_list_recommendations(&e.ctx, &f, &rv, &nr, &tok, &err), SC_USAGE);
	assert_int_equal(sesv2_list_tenant_resources(&e.ctx, "", NULL, &trv, &ntr, &tok, &err),
			 SC_USAGE);
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 4);
	assert_string_equal(req_field(reqs, 0, "body"), "{\"TenantName\":\"acme\",\"NextToken\":\"t1\"}");
	assert_string_equal(req_field(reqs, 1, "body"), "{\"ResourceArn\":\"a\"}");
	assert_string_equal(req_field(reqs, 2, "body"),
			    "{\"Filter\":{\"SENDING_STATUS\":\"DISABLED\"}}");
	assert_string_equal(req_field(reqs, 3, "body"),
			    "{\"Filter\":{\"IMPACT\":\"HIGH\",\"STATUS\":\"OPEN\"},\"PageSize\":100}");
	cJSON_Delete(reqs);
	ses_tenant_resources_free(trv, ntr);
	ses_resource_tenants_free(rtv, nrt);
	ses_reputation_entities_free(ev, ne);
	ses_recommendations_free(rv, nr);
	free(tok);
	env_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builders_match_botocore),
		cmocka_unit_test(test_entity_path_wire_form),
		cmocka_unit_test(test_builders_refuse_missing_inputs),
		cmocka_unit_test(test_builder_refuses_unknown_sending_status),
		cmocka_unit_test(test_recommendation_filter_rules),
		cmocka_unit_test(test_list_builders_leave_out_what_is_not_given),
		cmocka_unit_test(test_policy_arn),
		cmocka_unit_test(test_policy_arn_refusals_and_truncation),
		cmocka_unit_test(test_policy_word),
		cmocka_unit_test(test_parse_create_tenant),
		cmocka_unit_test(test_parse_create_tenant_missing_name),
		cmocka_unit_test(test_parse_get_tenant),
		cmocka_unit_test(test_parse_get_tenant_bad),
		cmocka_unit_test(test_parse_list_tenants_pages),
		cmocka_unit_test(test_parse_list_tenants_tokens),
		cmocka_unit_test(test_parse_list_tenant_resources),
		cmocka_unit_test(test_parse_list_resource_tenants),
		cmocka_unit_test(test_parse_get_reputation_entity),
		cmocka_unit_test(test_parse_get_reputation_entity_bad),
		cmocka_unit_test(test_parse_list_reputation_entities),
		cmocka_unit_test(test_parse_list_recommendations),
		cmocka_unit_test(test_parsers_on_garbage),
		cmocka_unit_test(test_call_reputation_entity),
		cmocka_unit_test(test_call_tenants),
		cmocka_unit_test(test_call_lists),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The account's history (ses/history.h): the LookupEvents builder against botocore 1.43.11
 * byte for byte (tests/unit/history_botocore.py) and its input checks; the CloudTrailEvent
 * parser on every principal shape, every tool's agent, the sending switches of SES v1 and
 * v2 (account, set, tenant), the resource each call names, failed calls and hostile text;
 * the LookupEvents reply parser (outer fields, damaged inner documents, bad replies, the
 * page token) and the blocking call on the wire. */
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
#include "sesctl/ses/history.h"
#include "sesctl/util/text.h"

#define ACCT "123456789012"
#define ROLE_ARN "arn:aws:sts::" ACCT ":assumed-role/OpsRole/alice"
#define SESCTL_UA                                                                          \
	"sesctl/0.1.0 ua/2.1 os/linux#6.1 lang/c md/curl#7.88.1 (reason: INC-4711 bounce spike)"
#define CLI1_UA "aws-cli/1.29.0 Python/3.11.2 Linux/6.1.0 botocore/1.31.0"
#define CLI2_UA                                                                            \
	"aws-cli/2.15.0 Python/3.11.6 Linux/6.1 exe/x86_64.debian.12 prompt/off "          \
	"command/sesv2.put-account-sending-attributes"
#define BOTO3_UA                                                                           \
	"Boto3/1.34.0 md/Botocore#1.34.0 ua/2.0 os/linux#6.1.0 md/arch#x86_64 "            \
	"lang/python#3.11.2 md/pyimpl#CPython cfg/retry-mode#legacy Botocore/1.34.0"

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static time_t num_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsNumber(v) ? (time_t)v->valuedouble : 0;
}

/* Test documents are written with ' for " to stay readable. */
static char *dq(const char *s)
{
	char *out = strdup(s);

	for (char *p = out; *p; p++)
		if (*p == '\'')
			*p = '"';
	return out;
}

/* A CloudTrailEvent for SES: identity (JSON or NULL), agent, name, requestParameters (JSON or
 * NULL) and any extra members (",'k':v" or ""). */
static char *event_doc(const char *identity, const char *ua, const char *name,
		       const char *params, const char *extra)
{
	struct buf b = BUF_INIT;
	char *raw, *out;

	buf_printf(&b, "{'eventVersion':'1.09',");
	if (identity)
		buf_printf(&b, "'userIdentity':%s,", identity);
	buf_printf(&b, "'eventTime':'2026-12-04T10:00:00Z','eventSource':'ses.amazonaws.com',"
		       "'eventName':'%s','awsRegion':'eu-west-1','sourceIPAddress':'203.0.113.7',",
		   name);
	raw = dq(buf_str(&b));
	buf_reset(&b);
	buf_puts(&b, raw);
	free(raw);
	/* the agent as is: it may hold quotes of its own */
	if (ua) {
		buf_puts(&b, "\"userAgent\":");
		text_json_string(&b, ua, strlen(ua));
		buf_putc(&b, ',');
	}
	raw = dq(params ? params : "null");
	buf_printf(&b, "\"requestParameters\":%s,\"responseElements\":null,"
		       "\"eventID\":\"3f1c7e0a-0000-4000-8000-000000000001\",\"readOnly\":false,"
		       "\"eventType\":\"AwsApiCall\",\"recipientAccountId\":\"" ACCT "\"",
		   raw);
	free(raw);
	raw = dq(extra ? extra : "");
	buf_printf(&b, "%s}", raw);
	free(raw);
	out = buf_steal(&b);
	return out;
}

static void parse_doc(const char *doc, struct ct_event *e)
{
	struct sc_error err;

	memset(e, 0, sizeof(*e));
	if (ct_event_parse(doc, strlen(doc), e, &err) != SC_OK)
		fail_msg("ct_event_parse: %s\n%s", err.message, doc);
}

/* Parse the SES event made of identity, agent, name and params into e. */
static void parse_event(const char *identity, const char *ua, const char *name,
			const char *params, struct ct_event *e)
{
	char *doc = event_doc(identity, ua, name, params, "");

	parse_doc(doc, e);
	free(doc);
}

#define assert_str_or_null(a, b)                           \
	do {                                               \
		if (b)                                     \
			assert_string_equal((a), (b));     \
		else                                       \
			assert_null(a);                    \
	} while (0)

/* ---- the builder ---- */

static enum sc_status build_case(const cJSON *in, struct ses_request *r, struct sc_error *err)
{
	const cJSON *attrs = cJSON_GetObjectItemCaseSensitive(in, "LookupAttributes");
	const cJSON *attr = cJSON_GetArrayItem(attrs, 0);
	struct ct_lookup q = {0};

	q.attr_key = str_of(attr, "AttributeKey");
	q.attr_value = str_of(attr, "AttributeValue");
	q.start = num_of(in, "StartTime");
	q.end = num_of(in, "EndTime");
	q.max_results = (int)num_of(in, "MaxResults");
	q.next_token = str_of(in, "NextToken");
	return ct_build_lookup(r, &q, err);
}

static void test_builder_matches_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/history_botocore.py",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".");
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *j = cJSON_Parse(line);
		struct ses_request r;
		struct sc_error err;

		assert_non_null(j);
		cases++;
		if (build_case(cJSON_GetObjectItemCaseSensitive(j, "in"), &r, &err) != SC_OK)
			fail_msg("case %zu: %s", cases, err.message);
		if (strcmp(buf_str(&r.body), str_of(j, "body")))
			fail_msg("case %zu differs:\n sesctl   %s\n botocore %s", cases,
				 buf_str(&r.body), str_of(j, "body"));
		assert_string_equal(r.operation, "LookupEvents");
		assert_string_equal(r.method, "POST");
		assert_string_equal(buf_str(&r.path), "/");
		assert_string_equal(buf_str(&r.query), "");
		assert_int_equal(r.service, SES_SVC_CLOUDTRAIL);
		assert_string_equal(r.target, str_of(j, "target"));
		assert_string_equal(r.content_type, str_of(j, "content_type"));
		ses_request_free(&r);
		cJSON_Delete(j);
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(cases, 7);
}

static enum sc_status build(const struct ct_lookup *q, char *body, size_t len)
{
	struct ses_request r;
	struct sc_error err;
	enum sc_status st;

	sc_error_clear(&err);
	memset(&r, 0xAB, sizeof(r));
	st = ct_build_lookup(&r, q, &err);
	if (st != SC_OK)
		assert_true(err.message[0] != '\0');
	snprintf(body, len, "%s", buf_str(&r.body));
	ses_request_free(&r); /* initialised even on failure */
	return st;
}

static void test_builder_checks(void **state)
{
	char body[4096], *big = malloc(SES_TOKEN_MAX + 2), *long_value = malloc(2002);
	struct ct_lookup q = {0};

	(void)state;
	/* 0 → what botocore sends for MaxResults=50; an empty token is no token */
	q.next_token = "";
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	assert_string_equal(body, "{\"MaxResults\":50}");
	assert_int_equal(build(NULL, body, sizeof(body)), SC_USAGE);
	q = (struct ct_lookup){.attr_key = "EventSource", .attr_value = CT_SES_SOURCE};
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	q.attr_key = "eventsource"; /* CloudTrail's names, exactly */
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.attr_key = "EventCategory";
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.attr_key = NULL; /* a value without its attribute */
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.attr_key = "Username";
	q.attr_value = "";
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.attr_value = NULL;
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	memset(long_value, 'x', 2001);
	long_value[2001] = '\0';
	q.attr_value = long_value;
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	long_value[2000] = '\0';
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	q = (struct ct_lookup){.start = 200, .end = 100};
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.end = 200; /* one second is a window */
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	assert_string_equal(body, "{\"StartTime\":200,\"EndTime\":200,\"MaxResults\":50}");
	q = (struct ct_lookup){.start = -5};
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q = (struct ct_lookup){.max_results = 51};
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.max_results = -1;
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	q.max_results = 1;
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	assert_string_equal(body, "{\"MaxResults\":1}");
	memset(big, 'T', SES_TOKEN_MAX + 1);
	big[SES_TOKEN_MAX + 1] = '\0';
	q.next_token = big;
	assert_int_equal(build(&q, body, sizeof(body)), SC_USAGE);
	big[SES_TOKEN_MAX] = '\0';
	assert_int_equal(build(&q, body, sizeof(body)), SC_OK);
	free(big);
	free(long_value);
}

/* ---- names ---- */

static void test_names(void **state)
{
	enum ct_op op;
	enum ct_tool tool;

	(void)state;
	assert_string_equal(ct_tool_name(CT_TOOL_CLI), "aws-cli");
	assert_string_equal(ct_tool_name(CT_TOOL_COUNT), "?");
	assert_string_equal(ct_principal_name(CT_PRINCIPAL_IDENTITY_CENTER), "sso");
	assert_string_equal(ct_principal_name((enum ct_principal)-1), "?");
	assert_string_equal(ct_op_name(CT_OP_RESUME), "resume");
	assert_string_equal(ct_resource_name(CT_RES_CONFIG_SET), "config-set");
	assert_string_equal(ct_resource_name(CT_RES_COUNT), "?");
	assert_true(ct_op_from("PAUSE", &op));
	assert_int_equal(op, CT_OP_PAUSE);
	assert_false(ct_op_from("paused", &op));
	assert_false(ct_op_from(NULL, &op));
	assert_true(ct_tool_from("AWS-CLI", &tool));
	assert_int_equal(tool, CT_TOOL_CLI);
	assert_true(ct_tool_from("sesctl", &tool));
	assert_int_equal(tool, CT_TOOL_SESCTL);
	assert_false(ct_tool_from("", &tool));
}

/* ---- principals ---- */

static void test_principals(void **state)
{
	static const struct {
		const char *identity;
		enum ct_principal principal;
		const char *who, *role, *arn, *account;
	} cases[] = {
		{"{'type':'IAMUser','principalId':'AIDAEXAMPLE','arn':'arn:aws:iam::" ACCT
		 ":user/bob','accountId':'" ACCT "','accessKeyId':'AKIAEXAMPLE','userName':'bob'}",
		 CT_PRINCIPAL_IAM_USER, "bob", NULL, "arn:aws:iam::" ACCT ":user/bob", ACCT},
		{"{'type':'AssumedRole','principalId':'AROAEXAMPLE:alice','arn':'" ROLE_ARN
		 "','accountId':'" ACCT "','sessionContext':{'sessionIssuer':{'type':'Role',"
		 "'principalId':'AROAEXAMPLE','arn':'arn:aws:iam::" ACCT ":role/OpsRole',"
		 "'accountId':'" ACCT "','userName':'OpsRole'},'attributes':{'creationDate':"
		 "'2026-12-04T09:55:00Z','mfaAuthenticated':'true'}}}",
		 CT_PRINCIPAL_ASSUMED_ROLE, "alice", "OpsRole", ROLE_ARN, ACCT},
		/* no session issuer: the role from the ARN */
		{"{'type':'AssumedRole','arn':'arn:aws:sts::" ACCT ":assumed-role/Deploy/ci-42'}",
		 CT_PRINCIPAL_ASSUMED_ROLE, "ci-42", "Deploy", "arn:aws:sts::" ACCT
		 ":assumed-role/Deploy/ci-42", NULL},
		/* a session name a tool made up (Terraform, botocore) names no one: the role */
		{"{'type':'AssumedRole','arn':'arn:aws:sts::" ACCT
		 ":assumed-role/tf-deploy/1733300000000000000'}",
		 CT_PRINCIPAL_ASSUMED_ROLE, "tf-deploy", "tf-deploy", "arn:aws:sts::" ACCT
		 ":assumed-role/tf-deploy/1733300000000000000", NULL},
		{"{'type':'AssumedRole','arn':'arn:aws:sts::" ACCT
		 ":assumed-role/ci/botocore-session-1733300000'}",
		 CT_PRINCIPAL_ASSUMED_ROLE, "ci", "ci", "arn:aws:sts::" ACCT
		 ":assumed-role/ci/botocore-session-1733300000", NULL},
		{"{'type':'Root','principalId':'" ACCT "','arn':'arn:aws:iam::" ACCT ":root',"
		 "'accountId':'" ACCT "'}",
		 CT_PRINCIPAL_ROOT, "root", NULL, "arn:aws:iam::" ACCT ":root", ACCT},
		{"{'type':'AWSService','invokedBy':'ses.amazonaws.com'}", CT_PRINCIPAL_SERVICE,
		 "ses.amazonaws.com", NULL, NULL, NULL},
		{"{'type':'FederatedUser','principalId':'" ACCT ":carol','arn':'arn:aws:sts::" ACCT
		 ":federated-user/carol','accountId':'" ACCT "','sessionContext':{'sessionIssuer':"
		 "{'type':'IAMUser','userName':'broker'}}}",
		 CT_PRINCIPAL_FEDERATED, "carol", NULL, "arn:aws:sts::" ACCT ":federated-user/carol",
		 ACCT},
		{"{'type':'IdentityCenterUser','accountId':'" ACCT "','userName':'dave@corp.example',"
		 "'onBehalfOf':{'userId':'906744f8-1234','identityStoreArn':'arn:aws:identitystore::"
		 ACCT ":identitystore/d-1'}}",
		 CT_PRINCIPAL_IDENTITY_CENTER, "dave@corp.example", NULL, NULL, ACCT},
		{"{'type':'IdentityCenterUser','principalId':'d-906744f8:eve'}",
		 CT_PRINCIPAL_IDENTITY_CENTER, "eve", NULL, NULL, NULL},
		{"{'type':'AWSAccount','principalId':'AIDAOTHER','accountId':'210987654321'}",
		 CT_PRINCIPAL_ACCOUNT, "210987654321", NULL, NULL, "210987654321"},
		{"{'type':'SAMLUser','principalId':'x','userName':'frank'}", CT_PRINCIPAL_UNKNOWN,
		 "frank", NULL, NULL, NULL},
		{"'not an object'", CT_PRINCIPAL_UNKNOWN, NULL, NULL, NULL, NULL},
		{NULL, CT_PRINCIPAL_UNKNOWN, NULL, NULL, NULL, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ct_event e;

		parse_event(cases[i].identity, CLI2_UA, "GetAccount", NULL, &e);
		if (e.principal != cases[i].principal)
			fail_msg("case %zu: principal %s", i, ct_principal_name(e.principal));
		assert_str_or_null(e.who, cases[i].who);
		assert_str_or_null(e.role, cases[i].role);
		assert_str_or_null(e.who_arn, cases[i].arn);
		/* recipientAccountId first */
		assert_string_equal(e.account_id, ACCT);
		ct_event_clear(&e);
	}
}

static void test_account_from_identity(void **state)
{
	const char *doc = "{\"eventID\":\"e\",\"eventName\":\"GetAccount\",\"userIdentity\":"
			  "{\"type\":\"IAMUser\",\"accountId\":\"" ACCT "\",\"userName\":\"u\"}}";
	struct ct_event e;

	(void)state;
	parse_doc(doc, &e);
	assert_string_equal(e.account_id, ACCT);
	assert_null(e.region);
	assert_null(e.user_agent);
	assert_int_equal(e.tool, CT_TOOL_OTHER);
	assert_null(e.tool_version);
	assert_int_equal(e.time, 0);
	ct_event_clear(&e);
}

/* ---- tools ---- */

static void test_tools(void **state)
{
	static const struct {
		const char *ua;
		enum ct_principal principal;
		enum ct_tool tool;
		const char *version, *reason;
	} cases[] = {
		{SESCTL_UA, CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_SESCTL, "sesctl/0.1.0",
		 "INC-4711 bounce spike"},
		{"sesctl/0.1.0 ua/2.1 os/linux#6.1 lang/c md/curl#7.88.1", CT_PRINCIPAL_IAM_USER,
		 CT_TOOL_SESCTL, "sesctl/0.1.0", NULL},
		{"sesctl/0.2.0 (reason: x) trailing", CT_PRINCIPAL_IAM_USER, CT_TOOL_SESCTL,
		 "sesctl/0.2.0", NULL},
		{"sesctl/0.2.0 lang/c (reason:   spaced out  )  ", CT_PRINCIPAL_IAM_USER,
		 CT_TOOL_SESCTL, "sesctl/0.2.0", "spaced out"},
		{"sesctl/0.2.0 (reason: )", CT_PRINCIPAL_IAM_USER, CT_TOOL_SESCTL, "sesctl/0.2.0",
		 NULL},
		/* CloudTrail cut the agent inside the comment */
		{"sesctl/0.2.0 (reason: rollback of cam", CT_PRINCIPAL_IAM_USER, CT_TOOL_SESCTL,
		 "sesctl/0.2.0", "rollback of cam"},
		{CLI1_UA, CT_PRINCIPAL_IAM_USER, CT_TOOL_CLI, "aws-cli/1.29.0", NULL},
		{CLI2_UA, CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_CLI, "aws-cli/2.15.0", NULL},
		/* a reason is sesctl's only */
		{"aws-cli/2.15.0 (reason: x)", CT_PRINCIPAL_IAM_USER, CT_TOOL_CLI, "aws-cli/2.15.0",
		 NULL},
		{BOTO3_UA, CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_SDK, "Boto3/1.34.0", NULL},
		{"Botocore/1.34.0 ua/2.0 os/linux#6.1.0", CT_PRINCIPAL_IAM_USER, CT_TOOL_SDK,
		 "Botocore/1.34.0", NULL},
		{"aws-sdk-go-v2/1.24.0 os/linux lang/go#1.21.5 api/sesv2#1.25.5",
		 CT_PRINCIPAL_IAM_USER, CT_TOOL_SDK, "aws-sdk-go-v2/1.24.0", NULL},
		{"AWS-SDK-JAVA/2.21.0 Linux/6.1", CT_PRINCIPAL_IAM_USER, CT_TOOL_SDK,
		 "AWS-SDK-JAVA/2.21.0", NULL},
		{"aws-sdk-nodejs/2.1500.0 linux/v18.19.0", CT_PRINCIPAL_IAM_USER, CT_TOOL_SDK,
		 "aws-sdk-nodejs/2.1500.0", NULL},
		{"mailer/3.2 Boto3/1.34.0 Botocore/1.34.0", CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_SDK,
		 "mailer/3.2", NULL},
		{"APN/1.0 HashiCorp/1.0 Terraform/1.6.6 (+https://www.terraform.io) "
		 "terraform-provider-aws/5.31.0 aws-sdk-go-v2/1.24.0 os/linux",
		 CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_OTHER, "APN/1.0", NULL},
		{"console.amazonaws.com", CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_CONSOLE, NULL, NULL},
		{"signin.amazonaws.com", CT_PRINCIPAL_ROOT, CT_TOOL_CONSOLE, NULL, NULL},
		{"eu-west-1.console.aws.amazon.com", CT_PRINCIPAL_IAM_USER, CT_TOOL_CONSOLE, NULL,
		 NULL},
		{"Coral/Netty4 console.ses.amazonaws.com", CT_PRINCIPAL_IAM_USER, CT_TOOL_CONSOLE,
		 NULL, NULL},
		{"AWS Internal", CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_CONSOLE, NULL, NULL},
		{"AWS Internal", CT_PRINCIPAL_SERVICE, CT_TOOL_AWS, NULL, NULL},
		{"Mozilla/5.0 (X11; Linux x86_64) Firefox/120.0", CT_PRINCIPAL_IAM_USER,
		 CT_TOOL_CONSOLE, NULL, NULL},
		{"ses.amazonaws.com", CT_PRINCIPAL_UNKNOWN, CT_TOOL_AWS, NULL, NULL},
		{"lambda.amazonaws.com", CT_PRINCIPAL_ASSUMED_ROLE, CT_TOOL_AWS, NULL, NULL},
		{BOTO3_UA, CT_PRINCIPAL_SERVICE, CT_TOOL_AWS, NULL, NULL},
		{"", CT_PRINCIPAL_IAM_USER, CT_TOOL_OTHER, NULL, NULL},
		{"   ", CT_PRINCIPAL_IAM_USER, CT_TOOL_OTHER, NULL, NULL},
		{NULL, CT_PRINCIPAL_IAM_USER, CT_TOOL_OTHER, NULL, NULL},
		{NULL, CT_PRINCIPAL_SERVICE, CT_TOOL_AWS, NULL, NULL},
		{"curl/8.4.0", CT_PRINCIPAL_IAM_USER, CT_TOOL_OTHER, "curl/8.4.0", NULL},
		{"evil.amazonaws.com.example.net", CT_PRINCIPAL_IAM_USER, CT_TOOL_OTHER,
		 "evil.amazonaws.com.example.net", NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char *version = (char *)"junk", *reason = (char *)"junk";
		enum ct_tool t = ct_tool_of(cases[i].ua, cases[i].principal, &version, &reason);

		if (t != cases[i].tool)
			fail_msg("case %zu (%s): %s", i, cases[i].ua ? cases[i].ua : "NULL",
				 ct_tool_name(t));
		assert_str_or_null(version, cases[i].version);
		assert_str_or_null(reason, cases[i].reason);
		free(version);
		free(reason);
		/* the out pointers may be NULL */
		assert_int_equal(ct_tool_of(cases[i].ua, cases[i].principal, NULL, NULL),
				 cases[i].tool);
	}
}

static void test_tool_in_event(void **state)
{
	struct ct_event e;

	(void)state;
	parse_event("{'type':'AssumedRole','arn':'" ROLE_ARN "'}", SESCTL_UA,
		    "PutAccountSendingAttributes", "{'sendingEnabled':false}", &e);
	assert_int_equal(e.tool, CT_TOOL_SESCTL);
	assert_string_equal(e.tool_version, "sesctl/0.1.0");
	assert_string_equal(e.reason, "INC-4711 bounce spike");
	assert_string_equal(e.user_agent, SESCTL_UA);
	assert_string_equal(e.source_ip, "203.0.113.7");
	assert_string_equal(e.region, "eu-west-1");
	assert_string_equal(e.event_source, CT_SES_SOURCE);
	assert_string_equal(e.event_id, "3f1c7e0a-0000-4000-8000-000000000001");
	assert_int_equal(e.time, 1796378400); /* 2026-12-04T10:00:00Z */
	assert_false(e.read_only);
	assert_false(e.damaged);
	ct_event_clear(&e);
	/* the console's own agent under a service principal is AWS itself */
	parse_event("{'type':'AWSService','invokedBy':'ses.amazonaws.com'}", "AWS Internal",
		    "PutAccountSendingAttributes", "{'sendingEnabled':false}", &e);
	assert_int_equal(e.tool, CT_TOOL_AWS);
	assert_null(e.tool_version);
	assert_null(e.reason);
	ct_event_clear(&e);
}

/* ---- what the call is about ---- */

static void test_sending_switches(void **state)
{
	static const struct {
		const char *name, *params;
		int sending;
		enum ct_resource kind;
		const char *resource;
	} cases[] = {
		{"PutAccountSendingAttributes", "{'sendingEnabled':false}", 0, CT_RES_ACCOUNT, NULL},
		{"PutAccountSendingAttributes", "{'SendingEnabled':true}", 1, CT_RES_ACCOUNT, NULL},
		{"UpdateAccountSendingEnabled", "{'enabled':false}", 0, CT_RES_ACCOUNT, NULL},
		{"UpdateAccountSendingEnabled", "{'enabled':'true'}", 1, CT_RES_ACCOUNT, NULL},
		{"PutConfigurationSetSendingOptions",
		 "{'configurationSetName':'marketing','sendingEnabled':false}", 0,
		 CT_RES_CONFIG_SET, "marketing"},
		{"UpdateConfigurationSetSendingEnabled",
		 "{'ConfigurationSetName':'tx','Enabled':true}", 1, CT_RES_CONFIG_SET, "tx"},
		{"UpdateReputationEntityCustomerManagedStatus",
		 "{'reputationEntityType':'RESOURCE','reputationEntityReference':'arn:aws:ses:"
		 "eu-west-1:" ACCT ":tenant/acme/t-1','sendingStatus':'DISABLED'}",
		 0, CT_RES_TENANT, "acme"},
		{"UpdateReputationEntityCustomerManagedStatus",
		 "{'reputationEntityReference':'acme','sendingStatus':'ENABLED'}", 1, CT_RES_TENANT,
		 "acme"},
		{"UpdateReputationEntityCustomerManagedStatus",
		 "{'reputationEntityReference':'acme','sendingStatus':'REINSTATED'}", 1,
		 CT_RES_TENANT, "acme"},
		/* a switch whose flag is missing or odd is a change, not a pause */
		{"UpdateReputationEntityCustomerManagedStatus",
		 "{'reputationEntityReference':'acme','sendingStatus':'PROBATION'}", -1,
		 CT_RES_TENANT, "acme"},
		{"PutAccountSendingAttributes", "{}", -1, CT_RES_ACCOUNT, NULL},
		{"PutAccountSendingAttributes", NULL, -1, CT_RES_ACCOUNT, NULL},
		{"PutConfigurationSetSendingOptions", "{'configurationSetName':'m',"
		 "'sendingEnabled':'maybe'}", -1, CT_RES_CONFIG_SET, "m"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ct_event e;
		enum ct_op want = cases[i].sending < 0 ? CT_OP_CHANGE
				  : cases[i].sending   ? CT_OP_RESUME
						       : CT_OP_PAUSE;

		parse_event("{'type':'Root'}", CLI2_UA, cases[i].name, cases[i].params, &e);
		if (e.sending != cases[i].sending || e.op != want)
			fail_msg("case %zu (%s): sending %d op %s", i, cases[i].name, e.sending,
				 ct_op_name(e.op));
		assert_int_equal(e.resource_kind, cases[i].kind);
		assert_str_or_null(e.resource, cases[i].resource);
		ct_event_clear(&e);
	}
}

static void test_resources(void **state)
{
	static const struct {
		const char *name, *params;
		enum ct_op op;
		enum ct_resource kind;
		const char *resource;
	} cases[] = {
		{"CreateEmailIdentity", "{'emailIdentity':'shop.example','tags':[]}", CT_OP_CREATE,
		 CT_RES_IDENTITY, "shop.example"},
		{"DeleteEmailIdentity", "{'EmailIdentity':'old.example'}", CT_OP_DELETE,
		 CT_RES_IDENTITY, "old.example"},
		{"PutEmailIdentityDkimAttributes", "{'emailIdentity':'shop.example',"
		 "'signingEnabled':false}", CT_OP_CHANGE, CT_RES_IDENTITY, "shop.example"},
		{"PutEmailIdentityConfigurationSetAttributes", "{'emailIdentity':'shop.example',"
		 "'configurationSetName':'tx'}", CT_OP_CHANGE, CT_RES_IDENTITY, "shop.example"},
		{"SetIdentityNotificationTopic", "{'identity':'ops@shop.example',"
		 "'notificationType':'Bounce'}", CT_OP_CHANGE, CT_RES_IDENTITY, "ops@shop.example"},
		{"VerifyDomainIdentity", "{'domain':'new.example'}", CT_OP_CHANGE, CT_RES_IDENTITY,
		 "new.example"},
		{"VerifyEmailIdentity", "{'emailAddress':'me@new.example'}", CT_OP_CHANGE,
		 CT_RES_IDENTITY, "me@new.example"},
		{"GetEmailIdentity", "{'emailIdentity':'shop.example'}", CT_OP_READ,
		 CT_RES_IDENTITY, "shop.example"},
		{"PutSuppressedDestination", "{'emailAddress':'bounced@x.example','reason':"
		 "'BOUNCE'}", CT_OP_CHANGE, CT_RES_SUPPRESSION, "bounced@x.example"},
		{"DeleteSuppressedDestination", "{'emailAddress':'bounced@x.example'}",
		 CT_OP_DELETE, CT_RES_SUPPRESSION, "bounced@x.example"},
		{"CreateConfigurationSet", "{'configurationSetName':'marketing'}", CT_OP_CREATE,
		 CT_RES_CONFIG_SET, "marketing"},
		{"CreateConfigurationSetEventDestination", "{'configurationSetName':'marketing',"
		 "'eventDestinationName':'to-sns','eventDestination':{'enabled':true}}",
		 CT_OP_CREATE, CT_RES_CONFIG_SET, "marketing"},
		{"PutConfigurationSetReputationOptions", "{'CONFIGURATIONSETNAME':'tx'}",
		 CT_OP_CHANGE, CT_RES_CONFIG_SET, "tx"},
		{"CreateReceiptRuleSet", "{'ruleSetName':'inbound'}", CT_OP_CREATE,
		 CT_RES_RULE_SET, "inbound"},
		{"SetActiveReceiptRuleSet", "{'ruleSetName':'inbound'}", CT_OP_CHANGE,
		 CT_RES_RULE_SET, "inbound"},
		{"DeleteReceiptRule", "{'ruleSetName':'inbound','ruleName':'to-s3'}", CT_OP_DELETE,
		 CT_RES_RULE, "inbound/to-s3"},
		{"CreateReceiptRule", "{'ruleSetName':'inbound','rule':{'name':'bounce-all',"
		 "'enabled':true}}", CT_OP_CREATE, CT_RES_RULE, "inbound/bounce-all"},
		{"CreateTenant", "{'tenantName':'acme'}", CT_OP_CREATE, CT_RES_TENANT, "acme"},
		{"CreateTenantResourceAssociation", "{'tenantName':'acme','resourceArn':'arn:x'}",
		 CT_OP_CREATE, CT_RES_TENANT, "acme"},
		{"PutAccountSuppressionAttributes", "{'suppressedReasons':['BOUNCE']}",
		 CT_OP_CHANGE, CT_RES_ACCOUNT, NULL},
		{"PutAccountDetails", "{'mailType':'TRANSACTIONAL','websiteURL':'https://x'}",
		 CT_OP_CHANGE, CT_RES_ACCOUNT, NULL},
		{"GetAccount", NULL, CT_OP_READ, CT_RES_ACCOUNT, NULL},
		{"GetSendQuota", NULL, CT_OP_READ, CT_RES_ACCOUNT, NULL},
		{"ListEmailIdentities", "{'pageSize':100}", CT_OP_READ, CT_RES_OTHER, NULL},
		{"DescribeActiveReceiptRuleSet", "{}", CT_OP_READ, CT_RES_OTHER, NULL},
		{"SendCustomVerificationEmail", "{'emailAddress':'x@y.example',"
		 "'templateName':'t'}", CT_OP_CHANGE, CT_RES_IDENTITY, "x@y.example"},
		{"TagResource", "{'resourceArn':'arn:aws:ses:eu-west-1:" ACCT
		 ":identity/x','tags':[]}", CT_OP_CHANGE, CT_RES_OTHER, NULL},
		/* a name of the wrong type names nothing */
		{"DeleteEmailIdentity", "{'emailIdentity':42}", CT_OP_DELETE, CT_RES_OTHER, NULL},
		{"DeleteEmailIdentity", "[1,2]", CT_OP_DELETE, CT_RES_OTHER, NULL},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct ct_event e;

		parse_event("{'type':'IAMUser','userName':'bob'}", CLI2_UA, cases[i].name,
			    cases[i].params, &e);
		if (e.op != cases[i].op || e.resource_kind != cases[i].kind)
			fail_msg("case %zu (%s): op %s resource %s", i, cases[i].name,
				 ct_op_name(e.op), ct_resource_name(e.resource_kind));
		assert_str_or_null(e.resource, cases[i].resource);
		assert_int_equal(e.sending, -1);
		ct_event_clear(&e);
	}
}

static void test_read_only_and_params(void **state)
{
	struct ct_event e;
	char *doc;

	(void)state;
	/* readOnly as a string, and a name that says nothing */
	doc = dq("{'eventID':'x','eventName':'BatchGetMetricData','readOnly':'true',"
		 "'requestParameters':{'queries':[]}}");
	parse_doc(doc, &e);
	free(doc);
	assert_true(e.read_only);
	assert_int_equal(e.op, CT_OP_READ);
	assert_string_equal(e.request_params, "{\"queries\":[]}");
	assert_false(e.params_truncated);
	ct_event_clear(&e);
	/* compact JSON whatever the spacing sent */
	doc = dq("{'eventID':'x','eventName':'PutConfigurationSetSendingOptions','readOnly':"
		 "false,'requestParameters':{ 'configurationSetName' : 'a\\u00e9',\n"
		 "'sendingEnabled' : true }}");
	parse_doc(doc, &e);
	free(doc);
	assert_string_equal(e.request_params,
			    "{\"configurationSetName\":\"a\xc3\xa9\",\"sendingEnabled\":true}");
	assert_string_equal(e.resource, "a\xc3\xa9");
	assert_int_equal(e.op, CT_OP_RESUME);
	ct_event_clear(&e);
}

static void test_params_bound(void **state)
{
	struct buf b = BUF_INIT;
	struct ct_event e;

	(void)state;
	buf_puts(&b, "{\"eventID\":\"x\",\"eventName\":\"CreateEmailTemplate\","
		     "\"requestParameters\":{\"templateName\":\"t\",\"templateContent\":{\"html\":\"");
	for (int i = 0; i < CT_PARAMS_MAX; i++)
		buf_putc(&b, 'h');
	buf_puts(&b, "\"}}}");
	parse_doc(buf_str(&b), &e);
	assert_null(e.request_params);
	assert_true(e.params_truncated);
	assert_int_equal(e.op, CT_OP_CREATE); /* derived all the same */
	ct_event_clear(&e);
	buf_free(&b);
}

static void test_error_code(void **state)
{
	struct ct_event e;
	char *doc = event_doc("{'type':'IAMUser','userName':'bob'}", CLI2_UA,
			      "PutAccountSendingAttributes", "{'sendingEnabled':false}",
			      ",'errorCode':'AccessDenied','errorMessage':'User: arn:aws:iam::"
			      ACCT ":user/bob is not authorized to perform: "
			      "ses:PutAccountSendingAttributes'");

	(void)state;
	parse_doc(doc, &e);
	free(doc);
	assert_string_equal(e.error_code, "AccessDenied");
	assert_non_null(strstr(e.error_message, "is not authorized"));
	assert_int_equal(e.op, CT_OP_PAUSE); /* the attempt, which failed */
	ct_event_clear(&e);
	parse_event("{'type':'IAMUser','userName':'bob'}", CLI2_UA, "GetAccount", NULL, &e);
	assert_null(e.error_code);
	assert_null(e.error_message);
	ct_event_clear(&e);
}

/* A reason with ESC, a newline and 10 KB of text: kept as text, bounded, valid UTF-8. */
static void test_hostile_reason(void **state)
{
	struct buf ua = BUF_INIT;
	cJSON *doc = cJSON_CreateObject();
	struct ct_event e;
	char *json;

	(void)state;
	buf_puts(&ua, "sesctl/0.1.0 ua/2.1 (reason: \x1b]52;c;ZXZpbA==\x07\x1b[2J line\nbreak ");
	while (ua.len < 10 * 1024)
		buf_puts(&ua, "\xc3\xa9\xe4\xb8\xad"); /* 2- and 3-byte sequences */
	buf_puts(&ua, ")");
	cJSON_AddStringToObject(doc, "eventID", "e1");
	cJSON_AddStringToObject(doc, "eventName", "UpdateAccountSendingEnabled");
	cJSON_AddStringToObject(doc, "userAgent", ua.data);
	cJSON_AddStringToObject(doc, "errorMessage", ua.data);
	json = cJSON_PrintUnformatted(doc);
	parse_doc(json, &e);
	assert_int_equal(e.tool, CT_TOOL_SESCTL);
	assert_non_null(e.reason);
	assert_true(strlen(e.reason) <= CT_TEXT_MAX);
	assert_true(strlen(e.reason) > CT_TEXT_MAX - 4);
	assert_true(text_utf8_valid(e.reason, strlen(e.reason)));
	assert_memory_equal(e.reason, "\x1b]52;c;ZXZpbA==\x07\x1b[2J line\nbreak ", 29);
	assert_true(strlen(e.user_agent) <= CT_TEXT_MAX);
	assert_true(text_utf8_valid(e.user_agent, strlen(e.user_agent)));
	assert_memory_equal(e.user_agent, ua.data, strlen(e.user_agent));
	assert_true(strlen(e.error_message) <= CT_TEXT_MAX);
	assert_true(text_utf8_valid(e.error_message, strlen(e.error_message)));
	assert_string_equal(e.tool_version, "sesctl/0.1.0");
	ct_event_clear(&e);
	free(json);
	cJSON_Delete(doc);
	buf_free(&ua);
}

static void test_event_parse_bad(void **state)
{
	const char *bad[] = {"", "not json", "[1,2]", "\"str\"", "{\"eventID\":", "null"};
	struct ct_event e = {0};
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		sc_error_clear(&err);
		assert_int_equal(ct_event_parse(bad[i], strlen(bad[i]), &e, &err), SC_BAD_REPLY);
		assert_true(err.message[0] != '\0');
		assert_null(e.event_id);
	}
	assert_int_equal(ct_event_parse(NULL, 0, &e, NULL), SC_BAD_REPLY);
	/* the out struct is cleared first */
	parse_event(NULL, CLI2_UA, "GetAccount", NULL, &e);
	assert_int_equal(ct_event_parse("{}", 2, &e, &err), SC_OK);
	assert_null(e.event_id);
	assert_null(e.user_agent);
	assert_int_equal(e.sending, -1);
	ct_event_clear(&e);
	ct_event_clear(NULL);
	ct_events_free(NULL);
}

/* ---- LookupEvents replies ---- */

/* {"Events":[...], "NextToken"} from outer events; inner (may be NULL) as the
 * CloudTrailEvent string. */
static cJSON *outer_event(const char *id, const char *name, const char *user, const char *inner)
{
	cJSON *ev = cJSON_CreateObject();

	if (id)
		cJSON_AddStringToObject(ev, "EventId", id);
	if (name)
		cJSON_AddStringToObject(ev, "EventName", name);
	cJSON_AddStringToObject(ev, "ReadOnly", "false");
	cJSON_AddStringToObject(ev, "AccessKeyId", "ASIAEXAMPLE");
	cJSON_AddNumberToObject(ev, "EventTime", 1796378400.25);
	cJSON_AddStringToObject(ev, "EventSource", CT_SES_SOURCE);
	if (user)
		cJSON_AddStringToObject(ev, "Username", user);
	cJSON_AddItemToObject(ev, "Resources", cJSON_CreateArray());
	if (inner)
		cJSON_AddStringToObject(ev, "CloudTrailEvent", inner);
	return ev;
}

static char *page(cJSON *events, const char *token)
{
	cJSON *root = cJSON_CreateObject();
	char *out;

	cJSON_AddItemToObject(root, "Events", events);
	if (token)
		cJSON_AddStringToObject(root, "NextToken", token);
	out = cJSON_PrintUnformatted(root);
	cJSON_Delete(root);
	return out;
}

static enum sc_status parse_page(const char *body, struct ct_events *out, struct sc_error *err)
{
	sc_error_clear(err);
	return ct_parse_lookup(body, strlen(body), out, err);
}

static void test_lookup_page(void **state)
{
	char *inner = event_doc("{'type':'AssumedRole','arn':'" ROLE_ARN "','sessionContext':"
				"{'sessionIssuer':{'userName':'OpsRole'}}}",
				SESCTL_UA, "PutAccountSendingAttributes",
				"{'sendingEnabled':false}", "");
	/* an inner document that names neither the event nor its time */
	char *sparse = dq("{'userIdentity':{'type':'IAMUser','userName':'bob'},'userAgent':"
			  "'" CLI1_UA "','requestParameters':{'configurationSetName':'tx',"
			  "'enabled':true}}");
	cJSON *list = cJSON_CreateArray();
	struct ct_events evs = {0};
	struct sc_error err;
	char *body;

	(void)state;
	cJSON_AddItemToArray(list, outer_event("outer-id-ignored", "X", "alice", inner));
	cJSON_AddItemToArray(list, outer_event("e-2", "UpdateConfigurationSetSendingEnabled",
					       "bob", sparse));
	cJSON_AddItemToArray(list, outer_event("e-3", "PutAccountSendingAttributes", "carol",
					       "{\"eventID\":\"e-3\", truncated"));
	cJSON_AddItemToArray(list, outer_event("e-4", "DeleteEmailIdentity", NULL, NULL));
	body = page(list, "tok/1+=");
	assert_int_equal(parse_page(body, &evs, &err), SC_OK);
	free(body);
	assert_int_equal(evs.n, 4);
	assert_int_equal(evs.damaged, 2);
	assert_string_equal(evs.next_token, "tok/1+=");
	/* the inner document wins */
	assert_string_equal(evs.v[0].event_id, "3f1c7e0a-0000-4000-8000-000000000001");
	assert_string_equal(evs.v[0].event_name, "PutAccountSendingAttributes");
	assert_string_equal(evs.v[0].who, "alice");
	assert_string_equal(evs.v[0].role, "OpsRole");
	assert_string_equal(evs.v[0].reason, "INC-4711 bounce spike");
	assert_int_equal(evs.v[0].op, CT_OP_PAUSE);
	assert_int_equal(evs.v[0].time, 1796378400);
	assert_false(evs.v[0].damaged);
	/* the outer fields fill what the inner lacks, and the derivation uses them */
	assert_string_equal(evs.v[1].event_id, "e-2");
	assert_string_equal(evs.v[1].event_name, "UpdateConfigurationSetSendingEnabled");
	assert_string_equal(evs.v[1].event_source, CT_SES_SOURCE);
	assert_int_equal(evs.v[1].time, 1796378400); /* 1796378400.25 */
	assert_int_equal(evs.v[1].tool, CT_TOOL_CLI);
	assert_string_equal(evs.v[1].tool_version, "aws-cli/1.29.0");
	assert_int_equal(evs.v[1].op, CT_OP_RESUME);
	assert_int_equal(evs.v[1].sending, 1);
	assert_string_equal(evs.v[1].resource, "tx");
	assert_false(evs.v[1].damaged);
	/* damaged: the outer fields only */
	assert_true(evs.v[2].damaged);
	assert_string_equal(evs.v[2].event_id, "e-3");
	assert_string_equal(evs.v[2].who, "carol");
	assert_int_equal(evs.v[2].principal, CT_PRINCIPAL_UNKNOWN);
	assert_int_equal(evs.v[2].tool, CT_TOOL_OTHER);
	assert_int_equal(evs.v[2].resource_kind, CT_RES_ACCOUNT);
	assert_int_equal(evs.v[2].op, CT_OP_CHANGE); /* which way is unknown */
	assert_int_equal(evs.v[2].sending, -1);
	assert_null(evs.v[2].request_params);
	assert_true(evs.v[3].damaged);
	assert_null(evs.v[3].who);
	assert_int_equal(evs.v[3].op, CT_OP_DELETE);
	/* the next page appends, and its lack of a token ends the listing */
	list = cJSON_CreateArray();
	cJSON_AddItemToArray(list, outer_event("e-5", "GetAccount", "dave", NULL));
	body = page(list, NULL);
	assert_int_equal(parse_page(body, &evs, &err), SC_OK);
	free(body);
	assert_int_equal(evs.n, 5);
	assert_int_equal(evs.damaged, 3);
	assert_null(evs.next_token);
	assert_int_equal(evs.v[4].op, CT_OP_READ);
	/* an empty page and an empty token */
	assert_int_equal(parse_page("{\"Events\":[],\"NextToken\":\"\"}", &evs, &err), SC_OK);
	assert_int_equal(evs.n, 5);
	assert_null(evs.next_token);
	ct_events_free(&evs);
	free(inner);
	free(sparse);
}

static void test_lookup_bad_replies(void **state)
{
	const char *bad[] = {
		"",
		"not json",
		"[]",
		"{}",
		"{\"Events\":{}}",
		"{\"Events\":\"x\"}",
		"{\"Events\":[1]}",
		"{\"Events\":[{\"EventId\":\"a\"},null]}",
		"{\"Events\":[{\"EventId\":\"a\"},{\"EventName\":\"GetAccount\"}]}",
		"{\"Events\":[{\"EventId\":5}]}",
		"{\"Events\":[{\"EventId\":\"\"}]}",
		"{\"Events\":[{\"CloudTrailEvent\":\"{\\\"eventName\\\":\\\"X\\\"}\"}]}",
	};
	struct ct_events evs = {0};
	struct sc_error err;
	cJSON *list;
	char *body, *tok;

	(void)state;
	assert_int_equal(parse_page("{\"Events\":[{\"EventId\":\"keep\"}],\"NextToken\":\"t1\"}",
				    &evs, &err),
			 SC_OK);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		if (parse_page(bad[i], &evs, &err) != SC_BAD_REPLY)
			fail_msg("case %zu (%s) was taken", i, bad[i]);
		assert_true(err.message[0] != '\0');
		/* nothing appended, the token and the count left alone */
		assert_int_equal(evs.n, 1);
		assert_int_equal(evs.damaged, 1);
		assert_string_equal(evs.next_token, "t1");
	}
	/* only the inner document's id: taken */
	assert_int_equal(parse_page("{\"Events\":[{\"CloudTrailEvent\":\"{\\\"eventID\\\":"
				    "\\\"in\\\"}\"}]}",
				    &evs, &err),
			 SC_OK);
	assert_string_equal(evs.v[1].event_id, "in");
	ct_events_free(&evs);
	/* 1000 events is the most one page may hold */
	list = cJSON_CreateArray();
	for (int i = 0; i < 1000; i++)
		cJSON_AddItemToArray(list, outer_event("e", "GetAccount", NULL, NULL));
	body = page(list, NULL);
	assert_int_equal(parse_page(body, &evs, &err), SC_OK);
	assert_int_equal(evs.n, 1000);
	ct_events_free(&evs);
	free(body);
	list = cJSON_CreateArray();
	for (int i = 0; i < 1001; i++)
		cJSON_AddItemToArray(list, outer_event("e", "GetAccount", NULL, NULL));
	body = page(list, NULL);
	assert_int_equal(parse_page(body, &evs, &err), SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "1001"));
	assert_int_equal(evs.n, 0);
	free(body);
	/* a token the next request could not carry */
	tok = malloc(SES_TOKEN_MAX + 2);
	memset(tok, 'T', SES_TOKEN_MAX + 1);
	tok[SES_TOKEN_MAX + 1] = '\0';
	body = page(cJSON_CreateArray(), tok);
	assert_int_equal(parse_page(body, &evs, &err), SC_BAD_REPLY);
	assert_null(evs.next_token);
	free(body);
	free(tok);
	ct_events_free(&evs);
}

/* ---- on the wire ---- */

static enum sc_status creds(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	(void)ud;
	(void)err;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "secret";
	out->session_token = NULL;
	return SC_OK;
}

static const char *req_field(const cJSON *reqs, int i, const char *name)
{
	const cJSON *r = cJSON_GetArrayItem(reqs, i), *h = cJSON_GetObjectItem(r, "headers");

	return name ? cJSON_GetObjectItem(h, name)->valuestring
		    : cJSON_GetObjectItem(r, "body")->valuestring;
}

static void test_lookup_wire(void **state)
{
	struct aws_client_options opt = {0};
	struct ct_lookup q = {.attr_key = "EventSource", .attr_value = CT_SES_SOURCE,
			      .max_results = 2, .next_token = "p/2"};
	struct ct_events evs = {0};
	struct http_client *http;
	struct aws_client *client;
	struct ses_ctx ctx = {0};
	struct fixture fx;
	struct sc_error err;
	cJSON *reqs;

	(void)state;
	fixture_start(&fx, "{\"routes\":{\"/\":[{\"status\":200,\"body\":"
			   "\"{\\\"Events\\\":[{\\\"EventId\\\":\\\"w1\\\",\\\"Username\\\":"
			   "\\\"bob\\\"}],\\\"NextToken\\\":\\\"p/3\\\"}\"},"
			   "{\"status\":200,\"body\":\"{\\\"Events\\\":7}\"}]}}");
	http = http_client_new(NULL);
	opt.http = http;
	opt.creds = creds;
	opt.max_attempts = 1;
	client = aws_client_new(&opt);
	assert_non_null(client);
	ctx.client = client;
	ctx.region = "eu-west-1";
	ctx.endpoint_cloudtrail = fx.url;
	assert_int_equal(ct_lookup(&ctx, &q, &evs, &err), SC_OK);
	assert_int_equal(evs.n, 1);
	assert_string_equal(evs.v[0].who, "bob");
	assert_string_equal(evs.next_token, "p/3");
	q.next_token = evs.next_token;
	assert_int_equal(ct_lookup(&ctx, &q, &evs, &err), SC_BAD_REPLY);
	assert_string_equal(evs.next_token, "p/3");
	q.max_results = 99; /* refused before anything is sent */
	assert_int_equal(ct_lookup(&ctx, &q, &evs, &err), SC_USAGE);
	reqs = fixture_requests(&fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	assert_string_equal(req_field(reqs, 0, "x-amz-target"),
			    "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents");
	assert_string_equal(req_field(reqs, 0, "content-type"), "application/x-amz-json-1.1");
	assert_non_null(strstr(req_field(reqs, 0, "authorization"),
			       "/eu-west-1/cloudtrail/aws4_request"));
	assert_string_equal(req_field(reqs, 0, NULL),
			    "{\"LookupAttributes\":[{\"AttributeKey\":\"EventSource\","
			    "\"AttributeValue\":\"ses.amazonaws.com\"}],\"MaxResults\":2,"
			    "\"NextToken\":\"p/2\"}");
	assert_non_null(strstr(req_field(reqs, 1, NULL), "\"NextToken\":\"p/3\""));
	cJSON_Delete(reqs);
	ct_events_free(&evs);
	aws_client_free(client);
	http_client_free(http);
	fixture_stop(&fx);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_builder_matches_botocore),
		cmocka_unit_test(test_builder_checks),
		cmocka_unit_test(test_names),
		cmocka_unit_test(test_principals),
		cmocka_unit_test(test_account_from_identity),
		cmocka_unit_test(test_tools),
		cmocka_unit_test(test_tool_in_event),
		cmocka_unit_test(test_sending_switches),
		cmocka_unit_test(test_resources),
		cmocka_unit_test(test_read_only_and_params),
		cmocka_unit_test(test_params_bound),
		cmocka_unit_test(test_error_code),
		cmocka_unit_test(test_hostile_reason),
		cmocka_unit_test(test_event_parse_bad),
		cmocka_unit_test(test_lookup_page),
		cmocka_unit_test(test_lookup_bad_replies),
		cmocka_unit_test(test_lookup_wire),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

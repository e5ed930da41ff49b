/* The call wrappers' own behaviour, against the scripted loopback server
 * (tests/unit/httpfixture.py): paging and its guards, moto's PageSize quirk, 2xx bodies
 * that are not what the operation returns, headers of JSON 1.0 calls. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include "httpfixture.h"
#include "sesctl/aws/client.h"
#include "sesctl/aws/http.h"
#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"

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

static void env_start(struct env *e, const char *script)
{
	struct aws_client_options opt = {0};

	memset(e, 0, sizeof(*e));
	fixture_start(&e->fx, script);
	e->http = http_client_new(NULL);
	opt.http = e->http;
	opt.creds = creds;
	opt.max_attempts = 1;
	e->client = aws_client_new(&opt);
	assert_non_null(e->client);
	e->ctx.client = e->client;
	e->ctx.region = "eu-west-1";
	e->ctx.endpoint_sesv2 = e->ctx.endpoint_ses = e->ctx.endpoint_mailmanager = e->fx.url;
}

static void env_stop(struct env *e)
{
	aws_client_free(e->client);
	http_client_free(e->http);
	fixture_stop(&e->fx);
}

static const char *req_path(const cJSON *reqs, int i)
{
	return cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, i), "path")->valuestring;
}

static void test_moto_page_size_fallback(void **state)
{
	static const char script[] =
		"{\"routes\": {\"/v2/email/identities\": ["
		"{\"status\": 500, \"headers\": {\"Content-Type\": \"text/html\"},"
		" \"body\": \"<!doctype html><title>500 Internal Server Error</title>\"},"
		"{\"status\": 200, \"body\": \"{\\\"EmailIdentities\\\": [{\\\"IdentityName\\\": \\\"a.example\\\"},"
		" {\\\"IdentityName\\\": \\\"b@a.example\\\"}], \\\"NextToken\\\": \\\"t/2\\\"}\"},"
		"{\"status\": 200, \"body\": \"{\\\"EmailIdentities\\\": [{\\\"IdentityName\\\": \\\"c.example\\\"}],"
		" \\\"NextToken\\\": null}\"}]}}";
	struct env e;
	struct ses_identity *v = NULL;
	size_t n = 0;
	struct sc_error err;
	cJSON *reqs;

	(void)state;
	env_start(&e, script);
	sc_error_clear(&err);
	assert_int_equal(sesv2_list_email_identities(&e.ctx, &v, &n, &err), SC_OK);
	assert_int_equal(err.status, SC_OK); /* the refused first try left no error behind */
	assert_int_equal(n, 3);
	assert_string_equal(v[2].name, "c.example");
	assert_true(v[0].fetched > 0);
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 3);
	assert_string_equal(req_path(reqs, 0), "/v2/email/identities?PageSize=1000");
	assert_string_equal(req_path(reqs, 1), "/v2/email/identities");
	assert_string_equal(req_path(reqs, 2), "/v2/email/identities?NextToken=t%2F2");
	cJSON_Delete(reqs);
	ses_identities_free(v, n);
	env_stop(&e);
}

static void test_repeated_token_stops(void **state)
{
	static const char script[] =
		"{\"routes\": {\"/v2/email/configuration-sets\": [{\"status\": 200, \"body\":"
		" \"{\\\"ConfigurationSets\\\": [\\\"a\\\"], \\\"NextToken\\\": \\\"same\\\"}\"}]}}";
	struct env e;
	char **names = NULL;
	size_t n = 7;
	struct sc_error err;

	(void)state;
	env_start(&e, script);
	assert_int_equal(sesv2_list_config_sets(&e.ctx, &names, &n, &err), SC_BAD_REPLY);
	assert_string_equal(err.message,
			    "ListConfigurationSets: the endpoint repeated a page token (page 2 gave "
			    "the token of page 1): a bad reply, the listing is incomplete");
	assert_null(names);
	assert_int_equal(n, 0);
	assert_int_equal(fixture_count(&e.fx), 2);
	env_stop(&e);
}

static void test_wrong_2xx_bodies(void **state)
{
	static const char script[] =
		"{\"routes\": {"
		"\"/v2/email/account\": [{\"status\": 200, \"headers\": {\"Content-Type\": \"text/html\"},"
		" \"body\": \"<html><body>Welcome to nginx!</body></html>\"}],"
		"\"/\": [{\"status\": 200, \"body\": \"{}\"}]}}";
	struct env e;
	struct ses_account a = {0};
	struct sc_error err;

	(void)state;
	env_start(&e, script);
	assert_int_equal(sesv2_get_account(&e.ctx, &a, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "GetAccount: the reply is not a JSON object");
	assert_null(a.region);
	/* a v1 call whose output is empty still needs its <{Op}Response> document */
	assert_int_equal(sesv1_create_receipt_rule_set(&e.ctx, "main", &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "CreateReceiptRuleSet: the reply is not well-formed XML");
	env_stop(&e);
}

static void test_mail_manager_headers_and_pages(void **state)
{
	static const char script[] =
		"{\"routes\": {\"/\": ["
		"{\"status\": 200, \"body\": \"{\\\"Archives\\\": [{\\\"ArchiveId\\\": \\\"a-1\\\"}],"
		" \\\"NextToken\\\": \\\"n2\\\"}\"},"
		"{\"status\": 200, \"body\": \"{\\\"Archives\\\": [{\\\"ArchiveId\\\": \\\"a-2\\\"}]}\"}]}}";
	struct env e;
	struct ses_mm_item *v = NULL;
	size_t n = 0;
	struct sc_error err;
	cJSON *reqs, *h, *body;

	(void)state;
	env_start(&e, script);
	assert_int_equal(mm_list(&e.ctx, MM_LIST_ARCHIVES, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[1].id, "a-2");
	reqs = fixture_requests(&e.fx);
	assert_int_equal(cJSON_GetArraySize(reqs), 2);
	h = cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, 1), "headers");
	assert_string_equal(cJSON_GetObjectItem(h, "x-amz-target")->valuestring,
			    "MailManagerSvc.ListArchives");
	assert_string_equal(cJSON_GetObjectItem(h, "content-type")->valuestring,
			    "application/x-amz-json-1.0");
	assert_non_null(strstr(cJSON_GetObjectItem(h, "authorization")->valuestring,
			       "/eu-west-1/ses/aws4_request"));
	body = cJSON_Parse(cJSON_GetObjectItem(cJSON_GetArrayItem(reqs, 1), "body")->valuestring);
	assert_string_equal(cJSON_GetObjectItem(body, "NextToken")->valuestring, "n2");
	assert_int_equal(cJSON_GetObjectItem(body, "PageSize")->valueint, 50);
	cJSON_Delete(body);
	cJSON_Delete(reqs);
	mm_items_free(v, n);
	env_stop(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_moto_page_size_fallback),
		cmocka_unit_test(test_repeated_token_stops),
		cmocka_unit_test(test_wrong_2xx_bodies),
		cmocka_unit_test(test_mail_manager_headers_and_pages),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

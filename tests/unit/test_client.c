#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "httpfixture.h"
#include "sesctl/aws/client.h"
#include "sesctl/aws/sigv4.h"

#define AKID "AKIDEXAMPLE"
#define SECRET "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY"
#define TOKEN "session-token-EXAMPLE"
#define FIXED_TIME 1440938160 /* 20150830T123600Z */

struct env {
	struct fixture f;
	struct http_client *http;
	struct aws_client *aws;
	int creds_calls;
	const char *token;
	int fail_creds;
	int logs;
	struct aws_call_record last; /* strings not valid after the hook returns */
	char last_code[96];
	char last_rid[96];
};

/* Retry waits are scaled down so the suite does not sleep through real backoffs. */
static double backoff_scale = 0.01;

static time_t fixed_clock(void)
{
	return FIXED_TIME;
}

static enum sc_status creds_fn(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	struct env *e = ud;

	e->creds_calls++;
	if (e->fail_creds)
		return sc_fail(err, SC_AUTH, "no credentials found");
	out->access_key = AKID;
	out->secret_key = SECRET;
	out->session_token = e->token;
	return SC_OK;
}

static void log_fn(void *ud, const struct aws_call_record *rec)
{
	struct env *e = ud;

	e->logs++;
	e->last = *rec;
	snprintf(e->last_code, sizeof(e->last_code), "%s", rec->error_code);
	snprintf(e->last_rid, sizeof(e->last_rid), "%s", rec->request_id);
}

static void env_open(struct env *e, const char *script, int max_attempts, size_t max_bytes)
{
	struct http_options ho = {.max_response_bytes = max_bytes};
	struct aws_client_options ao = {0};

	memset(e, 0, sizeof(*e));
	if (script)
		fixture_start(&e->f, script);
	e->http = http_client_new(&ho);
	ao.http = e->http;
	ao.creds = creds_fn;
	ao.creds_ud = e;
	ao.log = log_fn;
	ao.log_ud = e;
	ao.max_attempts = max_attempts;
	ao.retry_seed = 7;
	ao.clock = fixed_clock;
	ao.backoff_scale = backoff_scale;
	e->aws = aws_client_new(&ao);
}

static void env_close(struct env *e)
{
	aws_client_free(e->aws);
	http_client_free(e->http);
	if (e->f.pid)
		fixture_stop(&e->f);
}

static struct aws_call mk_call(const char *endpoint, const char *op, const char *method,
			       const char *path)
{
	struct aws_call c = {0};

	c.operation = op;
	c.service_id = "sesv2";
	c.signing_name = "ses";
	c.region = "us-east-1";
	c.endpoint = endpoint;
	c.method = method;
	c.path = path;
	return c;
}

static enum sc_status run(struct env *e, const struct aws_call *call, struct aws_reply *r,
			  struct sc_error *err)
{
	sc_error_clear(err);
	return aws_call(e->aws, call, r, err);
}

static const char *hdr(const cJSON *req, const char *name)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(req, "headers"), name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

/* Re-sign what the server received and compare: proves the signature covers exactly the
 * host (with port), path, query, headers and body that went on the wire. */
static void assert_signature_matches(const cJSON *req, const char *token)
{
	const char *auth = hdr(req, "authorization"), *sh, *path, *q;
	const char *body = cJSON_GetObjectItem(req, "body")->valuestring;
	char names[512], *save = NULL, *tok, pathbuf[512];
	struct sigv4_header h[8];
	struct sigv4_input in = {0};
	struct sigv4_result res;
	size_t n = 0;

	assert_non_null(auth);
	sh = strstr(auth, "SignedHeaders=");
	assert_non_null(sh);
	snprintf(names, sizeof(names), "%.*s", (int)strcspn(sh + 14, ","), sh + 14);
	for (tok = strtok_r(names, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		assert_non_null(hdr(req, tok));
		h[n++] = (struct sigv4_header){tok, hdr(req, tok)};
	}
	path = cJSON_GetObjectItem(req, "path")->valuestring;
	snprintf(pathbuf, sizeof(pathbuf), "%.*s", (int)strcspn(path, "?"), path);
	q = strchr(path, '?');
	in.method = cJSON_GetObjectItem(req, "method")->valuestring;
	in.path = pathbuf;
	in.query = q ? q + 1 : NULL;
	in.headers = h;
	in.n_headers = n;
	in.body = body;
	in.body_len = strlen(body);
	in.access_key = AKID;
	in.secret_key = SECRET;
	in.region = "us-east-1";
	in.service = "ses";
	in.when = FIXED_TIME;
	assert_int_equal(sigv4_sign(&in, &res), 0);
	assert_string_equal(buf_str(&res.authorization), auth);
	sigv4_result_free(&res);
	if (token)
		assert_string_equal(hdr(req, "x-amz-security-token"), token);
	else
		assert_null(hdr(req, "x-amz-security-token"));
}

static cJSON *last_request(const struct env *e)
{
	cJSON *log = fixture_requests(&e->f);
	int n = cJSON_GetArraySize(log);
	cJSON *req = cJSON_DetachItemFromArray(log, n - 1);

	cJSON_Delete(log);
	return req;
}

static void test_signed_requests(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	char endpoint[128], host[64];
	cJSON *req;

	(void)state;
	env_open(&e, "{}", 3, 0);
	e.token = TOKEN;
	snprintf(endpoint, sizeof(endpoint), "%s/prefix/", e.f.url);
	snprintf(host, sizeof(host), "127.0.0.1:%d", e.f.port);

	call = mk_call(endpoint, "GetEmailIdentity", "GET", "/v2/email/identities/a%40b.example");
	call.query = "PageSize=5&NextToken=a%2Bb";
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	assert_int_equal(r.http_status, 200);
	assert_int_equal(r.attempts, 1);
	req = last_request(&e);
	assert_string_equal(cJSON_GetObjectItem(req, "path")->valuestring,
			    "/prefix/v2/email/identities/a%40b.example?PageSize=5&NextToken=a%2Bb");
	assert_string_equal(hdr(req, "host"), host);
	assert_string_equal(hdr(req, "x-amz-date"), "20150830T123600Z");
	assert_null(hdr(req, "content-type"));
	assert_null(hdr(req, "expect"));
	{
		const char *want = "AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/20150830/us-east-1/ses/"
				   "aws4_request, SignedHeaders=host;x-amz-date;x-amz-security-token, "
				   "Signature=";

		assert_true(strncmp(hdr(req, "authorization"), want, strlen(want)) == 0);
	}
	assert_int_equal(strlen(strstr(hdr(req, "authorization"), "Signature=") + 10), 64);
	assert_signature_matches(req, TOKEN);
	cJSON_Delete(req);
	aws_reply_free(&r);

	e.token = NULL;
	call = mk_call(e.f.url, "ListRuleSets", "POST", "/");
	call.content_type = "application/x-amz-json-1.0";
	call.target = "MailManagerSvc.ListRuleSets";
	call.body = "{\"PageSize\":5}";
	call.body_len = strlen(call.body);
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	req = last_request(&e);
	assert_string_equal(cJSON_GetObjectItem(req, "body")->valuestring, "{\"PageSize\":5}");
	assert_string_equal(hdr(req, "content-type"), "application/x-amz-json-1.0");
	assert_string_equal(hdr(req, "x-amz-target"), "MailManagerSvc.ListRuleSets");
	assert_non_null(strstr(hdr(req, "authorization"),
			       "SignedHeaders=content-type;host;x-amz-date;x-amz-target,"));
	assert_signature_matches(req, NULL);
	cJSON_Delete(req);
	aws_reply_free(&r);

	call = mk_call(e.f.url, "PutEmailIdentityDkimAttributes", "PUT",
		       "/v2/email/identities/example.com/dkim");
	call.content_type = "application/json";
	call.body = "{\"SigningEnabled\":true}";
	call.body_len = strlen(call.body);
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	req = last_request(&e);
	assert_string_equal(cJSON_GetObjectItem(req, "method")->valuestring, "PUT");
	assert_signature_matches(req, NULL);
	cJSON_Delete(req);
	aws_reply_free(&r);

	call = mk_call(e.f.url, "DeleteEmailIdentity", "DELETE", "/v2/email/identities/x.example");
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	req = last_request(&e);
	assert_string_equal(cJSON_GetObjectItem(req, "method")->valuestring, "DELETE");
	assert_null(hdr(req, "content-type"));
	assert_signature_matches(req, NULL);
	cJSON_Delete(req);
	aws_reply_free(&r);
	assert_int_equal(e.logs, 4);
	env_close(&e);
}

#define JSON_429 "{\"status\": 429, \"headers\": {\"x-amzn-ErrorType\": \"TooManyRequestsException\"}, " \
		 "\"body\": \"{\\\"message\\\": \\\"slow down\\\"}\"}"
#define XML_THROTTLE "{\"status\": 400, \"headers\": {\"Content-Type\": \"text/xml\"}, \"body\": " \
		     "\"<ErrorResponse><Error><Type>Sender</Type><Code>Throttling</Code>" \
		     "<Message>Rate exceeded</Message></Error><RequestId>rq-x</RequestId>" \
		     "</ErrorResponse>\"}"

static void test_retries_then_success(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	struct aws_client_stats st;

	(void)state;
	/* "drop before" comes first: on a reused connection curl itself would replay the
	 * request once, hiding the drop from the retry layer. */
	env_open(&e, "{\"routes\": {\"/t\": [{\"drop\": \"before\"}, " JSON_429 ", {\"status\": 503, "
		     "\"body\": \"\"}, " XML_THROTTLE ", {\"drop\": \"mid\", \"body\": \"0123456789\"},"
		     " {\"body\": \"{\\\"ok\\\": true}\"}]}}",
		 6, 0);
	call = mk_call(e.f.url, "ListEmailIdentities", "GET", "/t");
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	assert_int_equal(r.attempts, 6);
	assert_string_equal(buf_str(&r.body), "{\"ok\": true}");
	assert_int_equal(fixture_count(&e.f), 6);
	assert_int_equal(e.creds_calls, 6); /* signed afresh for every attempt */
	aws_client_stats(e.aws, &st);
	assert_int_equal(st.calls, 1);
	assert_int_equal(st.attempts, 6);
	assert_int_equal(st.retries, 5);
	assert_int_equal(st.throttled, 2);
	/* the drop, the 503 and the cut body cost 5 each, the two throttles nothing (the
	 * backoff answers them); success after retries gives back the last cost (5) */
	assert_int_equal(st.retry_tokens, 490);
	assert_int_equal(e.logs, 1);
	assert_int_equal(e.last.retries, 5);
	assert_int_equal(e.last.status, SC_OK);
	aws_reply_free(&r);
	env_close(&e);
}

/* S3 calls: signed with S3's rules (the wire path as the canonical URI), with
 * x-amz-content-sha256 and Content-MD5 sent and signed; a bare HEAD 404 is not-found, not
 * "unsupported"; SlowDown is retried. */
static void assert_s3_signature(const cJSON *req)
{
	const char *auth = hdr(req, "authorization"), *sh, *path, *q;
	const char *body = cJSON_GetObjectItem(req, "body")->valuestring;
	char names[512], *save = NULL, *tok, pathbuf[512], sha[65];
	struct sigv4_header h[8];
	struct sigv4_input in = {0};
	struct sigv4_result res;
	size_t n = 0;

	assert_non_null(auth);
	assert_non_null(strstr(auth, "/us-east-1/s3/aws4_request"));
	sh = strstr(auth, "SignedHeaders=");
	assert_non_null(sh);
	snprintf(names, sizeof(names), "%.*s", (int)strcspn(sh + 14, ","), sh + 14);
	assert_non_null(strstr(names, "x-amz-content-sha256"));
	for (tok = strtok_r(names, ";", &save); tok; tok = strtok_r(NULL, ";", &save)) {
		assert_non_null(hdr(req, tok));
		h[n++] = (struct sigv4_header){tok, hdr(req, tok)};
	}
	sigv4_sha256_hex(body, strlen(body), sha);
	assert_string_equal(hdr(req, "x-amz-content-sha256"), sha);
	path = cJSON_GetObjectItem(req, "path")->valuestring;
	snprintf(pathbuf, sizeof(pathbuf), "%.*s", (int)strcspn(path, "?"), path);
	q = strchr(path, '?');
	in.method = cJSON_GetObjectItem(req, "method")->valuestring;
	in.path = pathbuf;
	in.query = q ? q + 1 : NULL;
	in.headers = h;
	in.n_headers = n;
	in.body = body;
	in.body_len = strlen(body);
	in.payload_hash = sha;
	in.access_key = AKID;
	in.secret_key = SECRET;
	in.region = "us-east-1";
	in.service = "s3";
	in.when = FIXED_TIME;
	in.s3 = true;
	assert_int_equal(sigv4_sign(&in, &res), 0);
	assert_string_equal(buf_str(&res.authorization), auth);
	sigv4_result_free(&res);
}

static void test_s3_calls(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	cJSON *req;

	(void)state;
	env_open(&e, "{\"routes\": {\"/b/a%20b//c\": [{\"body\": \"obj\"}],"
		     " \"/b\": [{\"status\": 200}],"
		     " \"/gone\": [{\"status\": 404}],"
		     " \"/shy\": [{\"status\": 403}],"
		     " \"/slow\": [{\"status\": 503, \"body\": \"<Error><Code>SlowDown</Code><Message>"
		     "Please reduce your request rate.</Message></Error>\"}, {\"body\": \"ok\"}]}}",
		 3, 0);
	call = mk_call(e.f.url, "GetObject", "GET", "/b/a%20b//c");
	call.service_id = call.signing_name = "s3";
	call.s3 = true;
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	assert_string_equal(buf_str(&r.body), "obj");
	aws_reply_free(&r);
	req = last_request(&e);
	assert_string_equal(cJSON_GetObjectItem(req, "path")->valuestring, "/b/a%20b//c");
	assert_s3_signature(req);
	cJSON_Delete(req);

	call = mk_call(e.f.url, "PutBucketPolicy", "PUT", "/b");
	call.service_id = call.signing_name = "s3";
	call.s3 = true;
	call.query = "policy";
	call.body = "{\"Version\":\"2012-10-17\"}";
	call.body_len = strlen(call.body);
	call.content_md5 = "1B2M2Y8AsgTpgAmY7PhCfg==";
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	aws_reply_free(&r);
	req = last_request(&e);
	assert_string_equal(hdr(req, "content-md5"), "1B2M2Y8AsgTpgAmY7PhCfg==");
	assert_non_null(strstr(hdr(req, "authorization"), "content-md5;"));
	assert_s3_signature(req);
	cJSON_Delete(req);

	call = mk_call(e.f.url, "HeadBucket", "HEAD", "/gone");
	call.s3 = true;
	assert_int_equal(run(&e, &call, &r, &err), SC_NOT_FOUND);
	aws_reply_free(&r);
	call.path = "/shy";
	assert_int_equal(run(&e, &call, &r, &err), SC_AUTH);
	assert_int_equal(err.http_status, 403);
	aws_reply_free(&r);

	call = mk_call(e.f.url, "ListObjectsV2", "GET", "/slow");
	call.s3 = true;
	assert_int_equal(run(&e, &call, &r, &err), SC_OK);
	assert_int_equal(r.attempts, 2);
	assert_string_equal(buf_str(&r.body), "ok");
	aws_reply_free(&r);
	env_close(&e);
}

static void test_retry_limits(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	struct aws_client_stats st;

	(void)state;
	env_open(&e, "{\"routes\": {\"/429\": [" JSON_429 "], \"/throttle\": [" XML_THROTTLE "],"
		     "\"/limit\": [{\"status\": 400, \"headers\": {\"x-amzn-ErrorType\": "
		     "\"LimitExceededException\"}, \"body\": \"{\\\"message\\\": \\\"too many identities\\\"}\"}],"
		     "\"/valid\": [{\"status\": 400, \"body\": \"<ErrorResponse><Error><Code>ValidationError"
		     "</Code><Message>bad name</Message></Error><RequestId>rq-v</RequestId></ErrorResponse>\"}],"
		     "\"/503\": [{\"status\": 503, \"body\": \"{}\"}]}}",
		 3, 0);
	call = mk_call(e.f.url, "ListEmailIdentities", "GET", "/429");
	assert_int_equal(run(&e, &call, &r, &err), SC_THROTTLED);
	assert_int_equal(r.attempts, 3);
	assert_string_equal(err.code, "TooManyRequestsException");
	assert_string_equal(err.message, "ListEmailIdentities: slow down");
	assert_int_equal(err.http_status, 429);
	aws_reply_free(&r);

	call = mk_call(e.f.url, "ListReceiptRuleSets", "POST", "/throttle");
	assert_int_equal(run(&e, &call, &r, &err), SC_THROTTLED);
	assert_int_equal(r.attempts, 3);
	assert_string_equal(err.request_id, "rq-x");
	aws_reply_free(&r);
	assert_int_equal(fixture_count(&e.f), 6);

	call = mk_call(e.f.url, "CreateEmailIdentity", "POST", "/limit");
	assert_int_equal(run(&e, &call, &r, &err), SC_ERR);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(err.code, "LimitExceededException");
	aws_reply_free(&r);

	call = mk_call(e.f.url, "CreateReceiptRule", "POST", "/valid");
	assert_int_equal(run(&e, &call, &r, &err), SC_ERR);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(err.code, "ValidationError");
	assert_string_equal(err.message, "CreateReceiptRule: bad name");
	assert_string_equal(err.request_id, "rq-v");
	aws_reply_free(&r);

	call = mk_call(e.f.url, "GetAccount", "GET", "/503");
	call.no_retry = true;
	assert_int_equal(run(&e, &call, &r, &err), SC_ERR);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(err.message, "GetAccount: the service answered HTTP 503");
	aws_reply_free(&r);
	assert_int_equal(fixture_count(&e.f), 9);

	aws_client_stats(e.aws, &st);
	assert_int_equal(st.retry_tokens, 500); /* 4 retries, all on throttling: free */
	assert_int_equal(st.failures, 5);
	env_close(&e);
}

static void test_retry_budget_runs_out(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	struct aws_client_stats st;

	(void)state;
	backoff_scale = 0.0001; /* 100 retries with waits up to 20 s each, unscaled */
	env_open(&e, "{\"default\": {\"status\": 503, \"body\": \"{}\"}}", 1000, 0);
	backoff_scale = 0.01;
	call = mk_call(e.f.url, "GetAccount", "GET", "/");
	assert_int_equal(run(&e, &call, &r, &err), SC_ERR);
	/* 500 tokens at 5 a retry: 100 retries, then the budget stops it */
	assert_int_equal(r.attempts, 101);
	aws_client_stats(e.aws, &st);
	assert_int_equal(st.retry_tokens, 0);
	aws_reply_free(&r);
	env_close(&e);
}

/* A timed-out attempt is retried but costs 10 tokens instead of 5. */
static void test_timeout_retry_cost(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	struct aws_client_stats st;

	(void)state;
	env_open(&e, "{\"default\": {\"delay\": 0.5, \"body\": \"late\"}}", 2, 0);
	call = mk_call(e.f.url, "GetAccount", "GET", "/slow");
	call.timeout_ms = 100;
	assert_int_equal(run(&e, &call, &r, &err), SC_NETWORK);
	assert_int_equal(r.attempts, 2);
	assert_non_null(strstr(err.message, "GetAccount: timed out talking to 127.0.0.1:"));
	aws_client_stats(e.aws, &st);
	assert_int_equal(st.retry_tokens, 490);
	aws_reply_free(&r);
	env_close(&e);
}

static void test_error_mapping(void **state)
{
	static const struct {
		const char *path, *step;
		enum sc_status want;
		const char *code, *msg;
	} cases[] = {
		{"/nf", "{\"status\": 404, \"headers\": {\"x-amzn-ErrorType\": \"NotFoundException:http://x/\","
			" \"x-amzn-RequestId\": \"rid-1\"}, \"body\": \"{\\\"__type\\\": \\\"NotFoundException\\\", "
			"\\\"message\\\": \\\"nope.example\\\"}\"}",
		 SC_NOT_FOUND, "NotFoundException", "Op: nope.example"},
		{"/v1nf", "{\"status\": 400, \"body\": \"<ErrorResponse xmlns='http://ses.amazonaws.com/doc/2010-12-01/'>"
			  "<Error><Type>Sender</Type><Code>RuleSetDoesNotExist</Code><Message>Rule set does not "
			  "exist: missing</Message></Error><RequestId>rid-2</RequestId></ErrorResponse>\"}",
		 SC_NOT_FOUND, "RuleSetDoesNotExist", "Op: Rule set does not exist: missing"},
		{"/html", "{\"status\": 404, \"headers\": {\"Content-Type\": \"text/html\"}, \"body\": "
			  "\"<!DOCTYPE html><html><body><h1>Not Found</h1></body></html>\"}",
		 SC_UNSUPPORTED, "", "the endpoint does not implement Op (HTTP 404, non-AWS reply)"},
		{"/html500", "{\"status\": 500, \"body\": \"Internal Server Error\"}",
		 SC_UNSUPPORTED, "", "the endpoint does not implement Op (HTTP 500, non-AWS reply)"},
		{"/sig", "{\"status\": 403, \"body\": \"<ErrorResponse><Error><Type>Sender</Type><Code>"
			 "SignatureDoesNotMatch</Code><Message>The request signature we calculated does not "
			 "match</Message></Error><RequestId>rid-3</RequestId></ErrorResponse>\"}",
		 SC_AUTH, "SignatureDoesNotMatch", "Op: The request signature we calculated does not match"},
		{"/403", "{\"status\": 403, \"body\": \"{\\\"Message\\\": \\\"denied\\\"}\"}",
		 SC_AUTH, "", "Op: denied"},
		{"/conflict", "{\"status\": 400, \"body\": \"{\\\"__type\\\": \\\"com.amazonaws.sesv2#AlreadyExistsException\\\","
			      " \\\"message\\\": \\\"exists\\\"}\"}",
		 SC_CONFLICT, "AlreadyExistsException", "Op: exists"},
		{"/cm", "{\"status\": 409, \"body\": \"{\\\"code\\\": \\\"ConflictException\\\"}\"}",
		 SC_CONFLICT, "ConflictException", "Op: the service answered HTTP 409 ConflictException"},
		{"/other", "{\"status\": 400, \"body\": \"{\\\"Code\\\": \\\"BadRequestException\\\", \\\"message\\\": \\\"bad\\\"}\"}",
		 SC_ERR, "BadRequestException", "Op: bad"},
		{"/expired", "{\"status\": 400, \"headers\": {\"x-amzn-ErrorType\": \"ExpiredTokenException\"}, \"body\": \"\"}",
		 SC_AUTH, "ExpiredTokenException", "Op: the service answered HTTP 400 ExpiredTokenException"},
		/* SNS and SQS (query-compatible) codes, at 400 so the status alone cannot decide */
		{"/snsnf", "{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type><Code>"
			   "NotFound</Code><Message>Topic does not exist</Message></Error></ErrorResponse>\"}",
		 SC_NOT_FOUND, "NotFound", "Op: Topic does not exist"},
		{"/snsauth", "{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type><Code>"
			     "AuthorizationError</Code><Message>not allowed</Message></Error></ErrorResponse>\"}",
		 SC_AUTH, "AuthorizationError", "Op: not allowed"},
		/* S3: REST-XML <Error> at the root */
		{"/s3nb", "{\"status\": 404, \"body\": \"<?xml version='1.0' encoding='UTF-8'?>\\n<Error><Code>"
			  "NoSuchBucket</Code><Message>The specified bucket does not exist</Message>"
			  "<BucketName>b</BucketName><RequestId>R1</RequestId></Error>\"}",
		 SC_NOT_FOUND, "NoSuchBucket", "Op: The specified bucket does not exist"},
		{"/s3nbp", "{\"status\": 404, \"body\": \"<Error><Code>NoSuchBucketPolicy</Code><Message>"
			   "The bucket policy does not exist</Message></Error>\"}",
		 SC_NOT_FOUND, "NoSuchBucketPolicy", "Op: The bucket policy does not exist"},
		{"/s3ad", "{\"status\": 403, \"body\": \"<Error><Code>AccessDenied</Code><Message>Access "
			  "Denied</Message></Error>\"}",
		 SC_AUTH, "AccessDenied", "Op: Access Denied"},
		{"/s3key", "{\"status\": 403, \"body\": \"<Error><Code>InvalidAccessKeyId</Code><Message>"
			   "no such key id</Message></Error>\"}",
		 SC_AUTH, "InvalidAccessKeyId", "Op: no such key id"},
		{"/sqsnf", "{\"status\": 400, \"body\": \"<ErrorResponse><Error><Type>Sender</Type><Code>"
			   "AWS.SimpleQueueService.NonExistentQueue</Code><Message>no queue</Message></Error>"
			   "</ErrorResponse>\"}",
		 SC_NOT_FOUND, "AWS.SimpleQueueService.NonExistentQueue", "Op: no queue"},
	};
	struct buf script = BUF_INIT;
	struct env e;
	struct aws_reply r;
	struct sc_error err;

	(void)state;
	buf_puts(&script, "{\"routes\": {");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++)
		buf_printf(&script, "%s\"%s\": [%s]", i ? "," : "", cases[i].path, cases[i].step);
	buf_puts(&script, "}}");
	env_open(&e, buf_str(&script), 3, 0);
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct aws_call call = mk_call(e.f.url, "Op", "GET", cases[i].path);

		assert_int_equal(run(&e, &call, &r, &err), cases[i].want);
		assert_int_equal(err.status, cases[i].want);
		assert_string_equal(err.code, cases[i].code);
		assert_string_equal(err.message, cases[i].msg);
		assert_int_equal(r.attempts, 1);
		assert_null(strstr(err.message, SECRET));
		assert_string_equal(e.last_code, cases[i].code);
		aws_reply_free(&r);
	}
	assert_int_equal(fixture_count(&e.f), (int)(sizeof(cases) / sizeof(cases[0])));
	assert_string_equal(e.last_rid, "");
	env_close(&e);
	buf_free(&script);
}

static void test_transport_errors(void **state)
{
	struct env e;
	struct aws_reply r;
	struct sc_error err;
	struct aws_call call;
	char url[128];
	int dead = fixture_dead_port();

	(void)state;
	env_open(&e, "{\"routes\": {\"/big\": [{\"body_size\": 5000}]}}", 3, 1000);
	call = mk_call("http://example.com", "ListEmailIdentities", "GET", "/v2/email/identities");
	assert_int_equal(run(&e, &call, &r, &err), SC_NETWORK);
	assert_int_equal(r.attempts, 1);
	assert_string_equal(err.message, "ListEmailIdentities: refusing plain http:// to example.com: "
					 "only loopback endpoints may skip TLS");
	aws_reply_free(&r);

	snprintf(url, sizeof(url), "http://127.0.0.1:%d", dead);
	call = mk_call(url, "ListEmailIdentities", "GET", "/");
	assert_int_equal(run(&e, &call, &r, &err), SC_NETWORK);
	assert_int_equal(r.attempts, 3);
	assert_int_equal(r.http_status, 0);
	aws_reply_free(&r);

	snprintf(url, sizeof(url), "https://127.0.0.1:%d", e.f.port);
	call = mk_call(url, "ListEmailIdentities", "GET", "/");
	assert_int_equal(run(&e, &call, &r, &err), SC_NETWORK);
	assert_int_equal(r.attempts, 1);
	assert_non_null(strstr(err.message, "TLS connection to 127.0.0.1:"));
	aws_reply_free(&r);

	call = mk_call(e.f.url, "GetAccount", "GET", "/big");
	assert_int_equal(run(&e, &call, &r, &err), SC_BAD_REPLY);
	assert_int_equal(r.attempts, 1);
	aws_reply_free(&r);

	call = mk_call("not a url", "GetAccount", "GET", "/");
	assert_int_equal(run(&e, &call, &r, &err), SC_CONFIG);
	assert_string_equal(err.message, "GetAccount: the endpoint URL \"not a url\" is not valid");
	aws_reply_free(&r);

	e.fail_creds = 1;
	call = mk_call(e.f.url, "GetAccount", "GET", "/");
	assert_int_equal(run(&e, &call, &r, &err), SC_AUTH);
	assert_string_equal(err.message, "GetAccount: no credentials found");
	aws_reply_free(&r);
	/* only /big: the TLS hello is not HTTP, so the fixture never logs it */
	assert_int_equal(fixture_count(&e.f), 1);
	assert_int_equal(e.logs, 6);
	env_close(&e);
}

struct async_rec {
	int calls;
	enum sc_status st;
	int attempts;
	char body[64];
	char msg[SC_ERR_MSG_MAX];
};

static void on_done(void *ud, enum sc_status st, struct aws_reply *reply,
		    const struct sc_error *err)
{
	struct async_rec *a = ud;

	a->calls++;
	a->st = st;
	a->attempts = reply->attempts;
	snprintf(a->body, sizeof(a->body), "%s", buf_str(&reply->body));
	snprintf(a->msg, sizeof(a->msg), "%s", err->message);
}

static void test_async(void **state)
{
	struct env e;
	struct async_rec a[6];
	char paths[4][16];
	struct aws_call call;

	(void)state;
	memset(a, 0, sizeof(a));
	env_open(&e, "{\"routes\": {"
		     "\"/a0\": [" JSON_429 ", {\"delay\": 0.1, \"body\": \"a0\"}],"
		     "\"/a1\": [{\"drop\": \"before\"}, {\"status\": 503, \"body\": \"\"}, {\"body\": \"a1\"}],"
		     "\"/a2\": [{\"delay\": 0.1, \"body\": \"a2\"}],"
		     "\"/a3\": [" XML_THROTTLE "]}}",
		 3, 0);
	for (int i = 0; i < 4; i++) {
		snprintf(paths[i], sizeof(paths[i]), "/a%d", i);
		call = mk_call(e.f.url, "ListEmailIdentities", "GET", paths[i]);
		assert_int_equal(aws_call_async(e.aws, &call, on_done, &a[i]), 0);
	}
	call = mk_call("http://192.0.2.1", "GetAccount", "GET", "/");
	assert_int_equal(aws_call_async(e.aws, &call, on_done, &a[4]), 0);
	assert_int_equal(e.creds_calls, 0); /* nothing happens inside aws_call_async */
	assert_int_equal(a[4].calls, 0);
	while (http_run(e.http, 1000, NULL, 0) > 0)
		;
	for (int i = 0; i < 3; i++) {
		char want[8];

		snprintf(want, sizeof(want), "a%d", i);
		assert_int_equal(a[i].calls, 1);
		assert_int_equal(a[i].st, SC_OK);
		assert_string_equal(a[i].body, want);
	}
	assert_int_equal(a[0].attempts, 2);
	assert_int_equal(a[1].attempts, 3);
	assert_int_equal(a[2].attempts, 1);
	assert_int_equal(a[3].calls, 1);
	assert_int_equal(a[3].st, SC_THROTTLED);
	assert_int_equal(a[3].attempts, 3);
	assert_string_equal(a[3].msg, "ListEmailIdentities: Rate exceeded");
	assert_int_equal(a[4].st, SC_NETWORK);
	assert_int_equal(a[4].attempts, 1);
	assert_int_equal(fixture_count(&e.f), 9);
	assert_int_equal(e.logs, 5);

	/* Credentials failing: reported through http_run, not inline. */
	e.fail_creds = 1;
	call = mk_call(e.f.url, "GetAccount", "GET", "/");
	assert_int_equal(aws_call_async(e.aws, &call, on_done, &a[5]), 0);
	assert_int_equal(a[5].calls, 0);
	while (http_run(e.http, 1000, NULL, 0) > 0)
		;
	assert_int_equal(a[5].calls, 1);
	assert_int_equal(a[5].st, SC_AUTH);

	/* A retry waiting on its timer is cancelled by http_cancel_all. */
	e.fail_creds = 0;
	memset(&a[3], 0, sizeof(a[3]));
	call = mk_call(e.f.url, "ListEmailIdentities", "GET", "/a3");
	assert_int_equal(aws_call_async(e.aws, &call, on_done, &a[3]), 0);
	while (a[3].calls == 0 && fixture_count(&e.f) < 10)
		http_run(e.http, 100, NULL, 0);
	http_cancel_all(e.http);
	assert_int_equal(a[3].calls, 1);
	assert_int_equal(a[3].st, SC_CANCELLED);
	assert_int_equal(http_pending(e.http), 0);
	env_close(&e);
}

static void test_parse_error_body(void **state)
{
	struct sc_error err;

	(void)state;
	sc_error_clear(&err);
	{
		const char *j = "{\"__type\": \"a.b#NotFoundException\", \"message\": \"m\"}";

		assert_true(aws_parse_error_body(j, strlen(j), NULL, &err));
	}
	assert_string_equal(err.code, "NotFoundException");
	assert_string_equal(err.message, "m");
	sc_error_clear(&err);
	assert_true(aws_parse_error_body("", 0, "ThrottlingException:http://internal", &err));
	assert_string_equal(err.code, "ThrottlingException");
	sc_error_clear(&err);
	{
		const char *x = " <Error><Code>NoSuchThing</Code><Message>x</Message>"
				"<RequestId>r9</RequestId></Error>";

		assert_true(aws_parse_error_body(x, strlen(x), NULL, &err));
	}
	assert_string_equal(err.code, "NoSuchThing");
	assert_string_equal(err.request_id, "r9");
	sc_error_clear(&err);
	assert_false(aws_parse_error_body("<html><body>oops</body></html>", 30, NULL, &err));
	assert_false(aws_parse_error_body("{\"unrelated\": 1}", 16, NULL, &err));
	assert_false(aws_parse_error_body("{trunc", 6, NULL, &err));
	assert_false(aws_parse_error_body("plain text", 10, NULL, &err));
	assert_false(aws_parse_error_body(NULL, 0, NULL, &err));
	sc_error_clear(&err);
	{ /* SignatureDoesNotMatch echoes the canonical request with the session token */
		const char *x = "<ErrorResponse><Error><Code>SignatureDoesNotMatch</Code><Message>The "
				"signature does not match.\n\nThe Canonical String for this request "
				"should have been\n'POST\n/\n\nx-amz-security-token:TOKEN-MARKER\n'"
				"</Message></Error></ErrorResponse>";

		assert_true(aws_parse_error_body(x, strlen(x), NULL, &err));
	}
	assert_string_equal(err.message, "The signature does not match.");
	assert_null(strstr(err.message, "TOKEN-MARKER"));
}

static void test_path_append(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	buf_puts(&b, "/v2/email/identities/");
	aws_path_append(&b, "user+tag@example.com");
	buf_putc(&b, '/');
	aws_path_append(&b, "a/b c~");
	assert_string_equal(buf_str(&b), "/v2/email/identities/user%2Btag%40example.com/a%2Fb%20c~");
	buf_free(&b);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_signed_requests),
		cmocka_unit_test(test_retries_then_success),
		cmocka_unit_test(test_retry_limits),
		cmocka_unit_test(test_retry_budget_runs_out),
		cmocka_unit_test(test_timeout_retry_cost),
		cmocka_unit_test(test_error_mapping),
		cmocka_unit_test(test_s3_calls),
		cmocka_unit_test(test_transport_errors),
		cmocka_unit_test(test_async),
		cmocka_unit_test(test_parse_error_body),
		cmocka_unit_test(test_path_append),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

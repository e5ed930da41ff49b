#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "httpfixture.h"
#include "sesctl/aws/http.h"

static const char *hdr(cJSON *req, const char *name)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(cJSON_GetObjectItem(req, "headers"), name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const char *field(cJSON *req, const char *name)
{
	cJSON *v = cJSON_GetObjectItemCaseSensitive(req, name);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum sc_status do_req(struct http_client *c, const char *method, const char *url,
			     const char *body, struct http_response *r, struct sc_error *err)
{
	const char *hdrs[] = {"X-Test: one", "Content-Type: text/plain", NULL};
	struct http_request req = {.method = method, .url = url, .headers = hdrs,
				   .body = body, .body_len = body ? strlen(body) : 0};

	sc_error_clear(err);
	return http_perform(c, &req, r, err);
}

static void test_methods_and_headers(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct http_response r;
	struct sc_error err;
	char url[128], *big = xmalloc(1200001);
	const char *methods[] = {"GET", "PUT", "POST", "DELETE"};
	cJSON *log, *req;

	(void)state;
	fixture_start(&f, "{\"default\": {\"echo\": true, \"headers\": "
			  "{\"x-amzn-RequestId\": \" req-42 \", \"Content-Type\": \"application/json\"}}}");
	snprintf(url, sizeof(url), "%s/v2/email/identities/a%%40b.example?x=1", f.url);
	/* Over 1 MiB: curl 7.88 would add "Expect: 100-continue" to a body this large. */
	memset(big, 'b', 1200000);
	big[1200000] = '\0';
	for (int i = 0; i < 4; i++) {
		const char *body = i == 1 ? "{\"k\":1}" : i == 2 ? big : NULL;

		assert_int_equal(do_req(c, methods[i], url, body, &r, &err), SC_OK);
		assert_int_equal(r.status, 200);
		assert_int_equal(r.failure, HTTP_FAIL_NONE);
		assert_string_equal(r.request_id, "req-42");
		assert_string_equal(r.content_type, "application/json");
		req = cJSON_Parse(buf_str(&r.body));
		assert_non_null(req);
		assert_string_equal(field(req, "method"), methods[i]);
		assert_string_equal(field(req, "path"), "/v2/email/identities/a%40b.example?x=1");
		assert_string_equal(field(req, "body"), body ? body : "");
		assert_true(!strncmp(hdr(req, "user-agent"), "sesctl/" SESCTL_VERSION " ua/2.1 os/",
				     strlen("sesctl/" SESCTL_VERSION " ua/2.1 os/")));
		assert_non_null(strstr(hdr(req, "user-agent"), " lang/c md/curl#"));
		assert_null(strchr(hdr(req, "user-agent"), '('));
		assert_string_equal(hdr(req, "x-test"), "one");
		assert_null(hdr(req, "expect"));
		cJSON_Delete(req);
		http_response_free(&r);
	}
	/* One connection for all four: the pool is reused between blocking calls. */
	log = fixture_requests(&f);
	assert_int_equal(cJSON_GetArraySize(log), 4);
	for (int i = 1; i < 4; i++)
		assert_int_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(log, i), "peer")->valueint,
				 cJSON_GetObjectItem(cJSON_GetArrayItem(log, 0), "peer")->valueint);
	cJSON_Delete(log);
	free(big);
	http_client_free(c);
	fixture_stop(&f);
}

static void test_error_reply_is_ok_with_status(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct http_response r;
	struct sc_error err;

	(void)state;
	fixture_start(&f, "{\"default\": {\"status\": 404, \"body\": \"{}\", \"headers\": "
			  "{\"x-amz-request-id\": \"abc\", \"x-amzn-ErrorType\": "
			  "\"NotFoundException:http://internal\"}}}");
	assert_int_equal(do_req(c, "GET", f.url, NULL, &r, &err), SC_OK);
	assert_int_equal(r.status, 404);
	assert_string_equal(r.request_id, "abc");
	assert_string_equal(r.error_type, "NotFoundException:http://internal");
	assert_string_equal(buf_str(&r.body), "{}");
	http_response_free(&r);
	http_client_free(c);
	fixture_stop(&f);
}

static void test_url_policy(void **state)
{
	struct http_client *c = http_client_new(NULL);
	struct http_response r;
	struct sc_error err;

	(void)state;
	assert_true(http_url_allowed("http://127.0.0.1:4566/", NULL));
	assert_true(http_url_allowed("http://127.9.8.7/x", NULL));
	assert_true(http_url_allowed("http://localhost:1/", NULL));
	assert_true(http_url_allowed("http://[::1]:80/", NULL));
	assert_true(http_url_allowed("https://email.eu-west-1.amazonaws.com", NULL));
	assert_false(http_url_allowed("http://127.0.0.1.example.com/", NULL));
	assert_false(http_url_allowed("http://10.0.0.1/", NULL));
	assert_false(http_url_allowed("http://169.254.169.254/latest", NULL));
	assert_true(http_url_allowed_metadata("http://169.254.169.254/latest", NULL));
	assert_true(http_url_allowed_metadata("http://[fd00:ec2::23]/v1", NULL));
	assert_true(http_url_allowed_metadata("http://169.254.170.2/v2/credentials/x", NULL));
	assert_false(http_url_allowed_metadata("http://169.254.169.253/latest", NULL));
	assert_false(http_url_allowed_metadata("http://example.com/", NULL));
	assert_false(http_url_allowed("ftp://127.0.0.1/", NULL));
	assert_false(http_url_allowed("not a url", NULL));
	sc_error_clear(&err);
	assert_false(http_url_allowed(NULL, &err));
	assert_int_equal(err.status, SC_NETWORK);

	assert_int_equal(do_req(c, "GET", "http://example.com/", NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_POLICY);
	assert_int_equal(r.status, 0);
	assert_string_equal(err.message, "refusing plain http:// to example.com: only loopback "
					 "endpoints may skip TLS");
	http_response_free(&r);
	http_client_free(c);
}

static void test_transport_failures(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct http_response r;
	struct sc_error err;
	char url[128], want[128];
	int dead = fixture_dead_port();

	(void)state;
	snprintf(url, sizeof(url), "http://127.0.0.1:%d/", dead);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_CONNECT);
	snprintf(want, sizeof(want), "cannot reach 127.0.0.1:%d", dead);
	assert_non_null(strstr(err.message, want));
	http_response_free(&r);

	fixture_start(&f, "{\"routes\": {\"/mid\": [{\"body_size\": 4000, \"drop\": \"mid\"}],"
			  "\"/short\": [{\"body\": \"abc\", \"declared_length\": 50}],"
			  "\"/none\": [{\"drop\": \"before\"}],"
			  "\"/slow\": [{\"delay\": 1.0, \"body\": \"late\"}]}}");
	snprintf(url, sizeof(url), "https://127.0.0.1:%d/", f.port);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_TLS);
	snprintf(want, sizeof(want), "TLS connection to 127.0.0.1:%d failed", f.port);
	assert_non_null(strstr(err.message, want));
	http_response_free(&r);

	snprintf(url, sizeof(url), "%s/mid", f.url);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_BAD_REPLY);
	assert_int_equal(r.failure, HTTP_FAIL_TRUNCATED);
	assert_non_null(strstr(err.message, "was cut short"));
	http_response_free(&r);

	snprintf(url, sizeof(url), "%s/short", f.url);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_BAD_REPLY);
	assert_int_equal(r.failure, HTTP_FAIL_TRUNCATED);
	http_response_free(&r);

	snprintf(url, sizeof(url), "%s/none", f.url);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_CONNECT);
	assert_int_equal(r.status, 0);
	http_response_free(&r);

	snprintf(url, sizeof(url), "%s/slow", f.url);
	{
		struct http_request req = {.method = "GET", .url = url, .timeout_ms = 200};

		sc_error_clear(&err);
		assert_int_equal(http_perform(c, &req, &r, &err), SC_NETWORK);
		assert_int_equal(r.failure, HTTP_FAIL_TIMEOUT);
		assert_non_null(strstr(err.message, "timed out talking to 127.0.0.1"));
		http_response_free(&r);
	}
	http_client_free(c);
	fixture_stop(&f);
}

static void test_oversize(void **state)
{
	struct fixture f;
	struct http_options opt = {.max_response_bytes = 1000};
	struct http_client *c = http_client_new(&opt);
	struct http_response r;
	struct sc_error err;
	char url[128];

	(void)state;
	fixture_start(&f, "{\"routes\": {\"/big\": [{\"body_size\": 5000}],"
			  "\"/stream\": [{\"body_size\": 200000, \"no_length\": true}],"
			  "\"/fits\": [{\"body_size\": 1000}]}}");
	const char *paths[] = {"/big", "/stream"};
	for (int i = 0; i < 2; i++) {
		snprintf(url, sizeof(url), "%s%s", f.url, paths[i]);
		assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_BAD_REPLY);
		assert_int_equal(r.failure, HTTP_FAIL_OVERSIZE);
		assert_non_null(strstr(err.message, "larger than the 1000-byte limit"));
		http_response_free(&r);
	}
	snprintf(url, sizeof(url), "%s/fits", f.url);
	assert_int_equal(do_req(c, "GET", url, NULL, &r, &err), SC_OK);
	assert_int_equal(r.body.len, 1000);
	http_response_free(&r);
	http_client_free(c);
	fixture_stop(&f);
}

/* A request's own cap (GetObject under a byte limit) bounds 2xx bodies only: the service's
 * error reply still arrives whole, so NoSuchKey is not mistaken for an oversize object. */
static void test_per_request_cap(void **state)
{
	struct fixture f;
	struct http_options opt = {.max_response_bytes = 100000};
	struct http_client *c = http_client_new(&opt);
	struct http_response r;
	struct sc_error err;
	struct http_request req = {.method = "GET"};
	char url[128];

	(void)state;
	fixture_start(&f, "{\"routes\": {\"/obj\": [{\"body_size\": 5000}],"
			  "\"/small\": [{\"body_size\": 100}],"
			  "\"/missing\": [{\"status\": 404, \"body_size\": 3000}],"
			  "\"/huge-error\": [{\"status\": 404, \"body_size\": 200000}]}}");
	req.url = url;
	req.max_response_bytes = 1000;
	snprintf(url, sizeof(url), "%s/obj", f.url);
	assert_int_equal(http_perform(c, &req, &r, &err), SC_BAD_REPLY);
	assert_int_equal(r.failure, HTTP_FAIL_OVERSIZE);
	assert_non_null(strstr(err.message, "larger than the 1000-byte limit"));
	http_response_free(&r);
	snprintf(url, sizeof(url), "%s/small", f.url);
	assert_int_equal(http_perform(c, &req, &r, &err), SC_OK);
	assert_int_equal(r.body.len, 100);
	http_response_free(&r);
	snprintf(url, sizeof(url), "%s/missing", f.url);
	assert_int_equal(http_perform(c, &req, &r, &err), SC_OK);
	assert_int_equal(r.status, 404);
	assert_int_equal(r.body.len, 3000);
	http_response_free(&r);
	/* the client's own cap still holds for error replies */
	snprintf(url, sizeof(url), "%s/huge-error", f.url);
	assert_int_equal(http_perform(c, &req, &r, &err), SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "larger than the 100000-byte limit"));
	http_response_free(&r);
	/* a cap above the client's changes nothing */
	req.max_response_bytes = 1 << 30;
	snprintf(url, sizeof(url), "%s/obj", f.url);
	assert_int_equal(http_perform(c, &req, &r, &err), SC_OK);
	assert_int_equal(r.body.len, 5000);
	http_response_free(&r);
	http_client_free(c);
	fixture_stop(&f);
}

struct done_rec {
	int calls;
	enum sc_status st;
	long status;
	char body[256];
	char msg[SC_ERR_MSG_MAX];
};

static void on_done(void *ud, enum sc_status st, struct http_response *resp,
		    const struct sc_error *err)
{
	struct done_rec *d = ud;

	d->calls++;
	d->st = st;
	d->status = resp->status;
	snprintf(d->body, sizeof(d->body), "%s", buf_str(&resp->body));
	snprintf(d->msg, sizeof(d->msg), "%s", err ? err->message : "");
}

static void test_async_concurrent(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct done_rec d[5];
	char urls[5][128];
	int rounds = 0;

	(void)state;
	memset(d, 0, sizeof(d));
	fixture_start(&f, "{\"default\": {\"delay\": 0.2, \"body\": \"slow-ok\"}}");
	for (int i = 0; i < 4; i++) {
		struct http_request req = {.method = "POST", .url = urls[i], .body = "x",
					   .body_len = 1};

		snprintf(urls[i], sizeof(urls[i]), "%s/r%d", f.url, i);
		assert_int_equal(http_submit(c, &req, on_done, &d[i]), 0);
	}
	{
		struct http_request bad = {.method = "GET", .url = "http://192.0.2.1/"};

		assert_int_equal(http_submit(c, &bad, on_done, &d[4]), -1);
		assert_int_equal(d[4].calls, 0); /* delivered from http_run, not from submit */
	}
	assert_int_equal(http_pending(c), 5);
	while (http_run(c, 1000, NULL, 0) > 0)
		rounds++;
	for (int i = 0; i < 4; i++) {
		assert_int_equal(d[i].calls, 1);
		assert_int_equal(d[i].st, SC_OK);
		assert_int_equal(d[i].status, 200);
		assert_string_equal(d[i].body, "slow-ok");
	}
	assert_int_equal(d[4].calls, 1);
	assert_int_equal(d[4].st, SC_NETWORK);
	assert_non_null(strstr(d[4].msg, "only loopback"));
	/* Four requests each delayed 0.2 s and all sent before any answer: they overlapped
	 * on separate connections, so the server saw four distinct peers. */
	{
		cJSON *log = fixture_requests(&f);
		int peers[4];

		assert_int_equal(cJSON_GetArraySize(log), 4);
		for (int i = 0; i < 4; i++) {
			peers[i] = cJSON_GetObjectItem(cJSON_GetArrayItem(log, i), "peer")->valueint;
			for (int j = 0; j < i; j++)
				assert_int_not_equal(peers[i], peers[j]);
		}
		cJSON_Delete(log);
	}
	(void)rounds;
	http_client_free(c);
	fixture_stop(&f);
}

static int timer_order[4];
static int timer_n;

static void on_timer(void *ud, int cancelled)
{
	timer_order[timer_n++] = cancelled ? -(int)(intptr_t)ud : (int)(intptr_t)ud;
}

static void test_timers_extra_fd_cancel(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct http_waitfd w;
	struct done_rec d;
	int p[2];
	char url[128];

	(void)state;
	timer_n = 0;
	http_timer_add(c, 40, on_timer, (void *)(intptr_t)2);
	http_timer_add(c, 5, on_timer, (void *)(intptr_t)1);
	while (http_run(c, 1000, NULL, 0) > 0)
		;
	assert_int_equal(timer_n, 2);
	assert_int_equal(timer_order[0], 1);
	assert_int_equal(timer_order[1], 2);

	/* A far timer must not keep http_run from returning when an extra fd is ready. */
	assert_int_equal(pipe(p), 0);
	http_timer_add(c, 3600 * 1000L, on_timer, (void *)(intptr_t)3);
	assert_int_equal(write(p[1], "k", 1), 1);
	w.fd = p[0];
	w.events = POLLIN;
	w.revents = 0;
	assert_int_equal(http_run(c, 3600 * 1000, &w, 1), 1);
	assert_true(w.revents & POLLIN);
	assert_int_equal(timer_n, 2);

	/* Cancel: the in-flight transfer reports SC_CANCELLED, the timer fires cancelled. */
	memset(&d, 0, sizeof(d));
	fixture_start(&f, "{\"default\": {\"delay\": 5}}");
	snprintf(url, sizeof(url), "%s/never", f.url);
	{
		struct http_request req = {.method = "GET", .url = url};

		assert_int_equal(http_submit(c, &req, on_done, &d), 0);
	}
	http_run(c, 0, NULL, 0);
	http_cancel_all(c);
	assert_int_equal(d.calls, 1);
	assert_int_equal(d.st, SC_CANCELLED);
	assert_int_equal(timer_n, 3);
	assert_int_equal(timer_order[2], -3);
	assert_int_equal(http_pending(c), 0);
	close(p[0]);
	close(p[1]);
	http_client_free(c);
	fixture_stop(&f);
}

/* Loopback traffic never goes through a proxy from the environment. */
static void test_loopback_bypasses_proxy(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	struct http_response r;
	struct sc_error err;
	char proxy[64];

	(void)state;
	fixture_start(&f, "{}");
	snprintf(proxy, sizeof(proxy), "http://127.0.0.1:%d", fixture_dead_port());
	setenv("http_proxy", proxy, 1);
	setenv("HTTPS_PROXY", proxy, 1);
	unsetenv("no_proxy");
	unsetenv("NO_PROXY");
	assert_int_equal(do_req(c, "GET", f.url, NULL, &r, &err), SC_OK);
	assert_int_equal(r.status, 200);
	http_response_free(&r);
	unsetenv("http_proxy");
	unsetenv("HTTPS_PROXY");
	http_client_free(c);
	fixture_stop(&f);
}

/* Self-signed certificate for san ("IP:127.0.0.1" or "DNS:other.test") into dir. */
static void make_cert(const char *dir, const char *name, const char *san)
{
	char cmd[1024];

	snprintf(cmd, sizeof(cmd),
		 "openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes "
		 "-keyout %s/%s.key -out %s/%s.pem -days 2 -subj /CN=sesctl-test "
		 "-addext subjectAltName=%s >/dev/null 2>&1",
		 dir, name, dir, name, san);
	assert_int_equal(system(cmd), 0);
}

/* TLS verification is always on: an unknown CA fails, the right CA bundle succeeds, and
 * a trusted certificate for another name still fails. */
static void test_tls_verification(void **state)
{
	char dir[] = "/tmp/sesctl-tls-XXXXXX", cert[128], key[128], url[128];
	struct fixture f, g;
	struct http_client *plain = http_client_new(NULL), *trusting, *wrong_name;
	struct http_options ho = {0};
	struct http_response r;
	struct sc_error err;

	(void)state;
	assert_non_null(mkdtemp(dir));
	make_cert(dir, "good", "IP:127.0.0.1");
	make_cert(dir, "other", "DNS:other.test");
	snprintf(cert, sizeof(cert), "%s/good.pem", dir);
	snprintf(key, sizeof(key), "%s/good.key", dir);
	fixture_start_tls(&f, "{}", cert, key);
	ho.ca_bundle = cert;
	trusting = http_client_new(&ho);
	snprintf(url, sizeof(url), "%s/tls", f.url);

	assert_int_equal(do_req(plain, "GET", url, NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_TLS);
	http_response_free(&r);
	assert_int_equal(do_req(trusting, "GET", url, NULL, &r, &err), SC_OK);
	assert_int_equal(r.status, 200);
	assert_non_null(strstr(buf_str(&r.body), "\"path\": \"/tls\""));
	http_response_free(&r);

	snprintf(cert, sizeof(cert), "%s/other.pem", dir);
	snprintf(key, sizeof(key), "%s/other.key", dir);
	fixture_start_tls(&g, "{}", cert, key);
	ho.ca_bundle = cert;
	wrong_name = http_client_new(&ho);
	assert_int_equal(do_req(wrong_name, "GET", g.url, NULL, &r, &err), SC_NETWORK);
	assert_int_equal(r.failure, HTTP_FAIL_TLS);
	http_response_free(&r);
	assert_int_equal(fixture_count(&g), 0);

	http_client_free(plain);
	http_client_free(trusting);
	http_client_free(wrong_name);
	fixture_stop(&f);
	fixture_stop(&g);
	snprintf(url, sizeof(url), "rm -rf %s", dir);
	assert_int_equal(system(url), 0);
}

/* More extra fds than http_run keeps on its stack: only the ready one reports. */
static void test_many_extra_fds(void **state)
{
	struct http_client *c = http_client_new(NULL);
	struct http_waitfd w[10];
	int p[10][2];

	(void)state;
	for (int i = 0; i < 10; i++) {
		assert_int_equal(pipe(p[i]), 0);
		w[i].fd = p[i][0];
		w[i].events = POLLIN;
		w[i].revents = 0;
	}
	assert_int_equal(write(p[9][1], "k", 1), 1);
	assert_int_equal(http_run(c, 3600 * 1000, w, 10), 0);
	for (int i = 0; i < 9; i++)
		assert_int_equal(w[i].revents, 0);
	assert_true(w[9].revents & POLLIN);
	for (int i = 0; i < 10; i++) {
		close(p[i][0]);
		close(p[i][1]);
	}
	http_client_free(c);
}

static const char *sent_agent(struct http_client *c, const char *url, char *out, size_t n)
{
	struct http_response r;
	struct sc_error err;
	cJSON *req;

	assert_int_equal(do_req(c, "POST", url, "x", &r, &err), SC_OK);
	req = cJSON_Parse(buf_str(&r.body));
	assert_non_null(req);
	snprintf(out, n, "%s", hdr(req, "user-agent"));
	cJSON_Delete(req);
	http_response_free(&r);
	return out;
}

/* The reason rides on the wire as a comment after the SDK-style agent, and stops. */
static void test_reason_in_user_agent(void **state)
{
	struct fixture f;
	struct http_client *c = http_client_new(NULL);
	char url[128], base[256], got[1024];

	(void)state;
	fixture_start(&f, "{\"default\": {\"echo\": true}}");
	snprintf(url, sizeof(url), "%s/", f.url);
	http_user_agent_base(base, sizeof(base));
	assert_string_equal(sent_agent(c, url, got, sizeof(got)), base);
	http_set_reason(c, "INC-4711 bounce\x1b[31m spike\r\nX-Injected: 1", NULL);
	sent_agent(c, url, got, sizeof(got));
	assert_true(!strncmp(got, base, strlen(base)));
	assert_string_equal(got + strlen(base), " (reason: INC-4711 bounce[31m spike X-Injected: 1)");
	assert_string_equal(http_user_agent(c), got);
	http_set_reason(c, NULL, NULL);
	assert_string_equal(sent_agent(c, url, got, sizeof(got)), base);
	http_client_free(c);
	fixture_stop(&f);
}

static void test_reason_clean(void **state)
{
	const char *secrets[] = {"s3cr3t-session-token-value", NULL};
	char out[HTTP_UA_REASON_MAX + 1], *big = xmalloc(10241);

	(void)state;
	http_ua_reason_clean("  a (b) \\c\td  ", NULL, out, sizeof(out));
	assert_string_equal(out, "a [b] /c d");
	http_ua_reason_clean("caf\xc3\xa9 \x07\x7f ok", NULL, out, sizeof(out));
	assert_string_equal(out, "caf ok");
	http_ua_reason_clean("key AKIAIOSFODNN7EXAMPLE and ASIAXXXXXXXXXXXXXXXX!", NULL, out,
			     sizeof(out));
	assert_string_equal(out, "key [redacted] and [redacted]!");
	http_ua_reason_clean("s wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY end", NULL, out, sizeof(out));
	assert_string_equal(out, "s [redacted] end");
	http_ua_reason_clean("tok s3cr3t-session-token-value.", secrets, out, sizeof(out));
	assert_string_equal(out, "tok [redacted].");
	/* a word is not a key: AKIA inside a longer word, a long word without digits */
	http_ua_reason_clean("XAKIAIOSFODNN7EXAMPLE Pneumonoultramicroscopicsilicovolcanoconiosis",
			     NULL, out, sizeof(out));
	assert_string_equal(out, "XAKIAIOSFODNN7EXAMPLE Pneumonoultramicroscopicsilicovolcanoconiosis");
	for (int i = 0; i < 10240; i++)
		big[i] = i % 7 == 6 ? ' ' : (char)('a' + i % 26);
	big[10240] = '\0';
	assert_true(http_ua_reason_clean(big, NULL, out, sizeof(out)) <= HTTP_UA_REASON_MAX);
	assert_string_equal(out + strlen(out) - 3, "...");
	assert_true(strlen(out) > HTTP_UA_REASON_MAX / 2);
	http_ua_reason_clean("\x1b\x1b\n", NULL, out, sizeof(out));
	assert_string_equal(out, "");
	http_ua_reason_clean(NULL, NULL, out, sizeof(out));
	assert_string_equal(out, "");
	free(big);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_methods_and_headers),
		cmocka_unit_test(test_reason_in_user_agent),
		cmocka_unit_test(test_reason_clean),
		cmocka_unit_test(test_error_reply_is_ok_with_status),
		cmocka_unit_test(test_url_policy),
		cmocka_unit_test(test_transport_failures),
		cmocka_unit_test(test_oversize),
		cmocka_unit_test(test_per_request_cap),
		cmocka_unit_test(test_async_concurrent),
		cmocka_unit_test(test_timers_extra_fd_cancel),
		cmocka_unit_test(test_many_extra_fds),
		cmocka_unit_test(test_tls_verification),
		cmocka_unit_test(test_loopback_bypasses_proxy),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

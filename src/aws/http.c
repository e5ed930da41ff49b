#include "sesctl/aws/http.h"

#include <arpa/inet.h>
#include <ctype.h>
#include <curl/curl.h>
#include <stdio.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/utsname.h>
#include <time.h>

#include "sesctl/util/text.h"

#ifndef SESCTL_VERSION
#define SESCTL_VERSION "0"
#endif

struct http_xfer {
	struct http_client *c;
	CURL *easy;
	struct curl_slist *hdrs;
	struct http_response resp;
	size_t max_bytes;     /* the cap that applies (reported on failure) */
	size_t client_max;    /* the client's cap: every reply */
	size_t ok_max;        /* the request's cap: 2xx bodies only; 0 = none */
	char host[300];
	char errbuf[CURL_ERROR_SIZE];
	enum sc_status early; /* refused at submit: delivered by the next http_run */
	struct sc_error early_err;
	http_done_fn done;
	void *ud;
	struct http_xfer *next;
};

struct http_timer {
	uint64_t due_ms;
	http_timer_fn fn;
	void *ud;
	struct http_timer *next;
};

struct http_client {
	CURLM *multi;
	CURL *sync; /* reused by http_perform, keeps its connections */
	struct http_options opt;
	char *ca_bundle;
	char *user_agent;          /* what requests send: base, then the reason comment */
	char *user_agent_base;
	struct http_xfer *xfers;   /* in the multi */
	struct http_xfer *refused; /* waiting for delivery */
	struct http_timer *timers;
	const volatile sig_atomic_t *abort; /* Ctrl-C: cancel everything */
};

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

static void copy_str(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

struct http_client *http_client_new(const struct http_options *opt)
{
	struct http_client *c = xcalloc(1, sizeof(*c));
	char ua[256];

	curl_global_init(CURL_GLOBAL_DEFAULT);
	if (opt)
		c->opt = *opt;
	if (!c->opt.connect_timeout_ms)
		c->opt.connect_timeout_ms = 5000;
	if (!c->opt.timeout_ms)
		c->opt.timeout_ms = 30000;
	if (!c->opt.max_response_bytes)
		c->opt.max_response_bytes = (size_t)64 << 20;
	if (!c->opt.max_host_connections)
		c->opt.max_host_connections = 8;
	c->ca_bundle = c->opt.ca_bundle ? xstrdup(c->opt.ca_bundle) : NULL;
	http_user_agent_base(ua, sizeof(ua));
	c->user_agent_base = xstrdup(c->opt.user_agent ? c->opt.user_agent : ua);
	c->user_agent = xstrdup(c->user_agent_base);
	c->multi = curl_multi_init();
	c->sync = curl_easy_init();
	if (!c->multi || !c->sync) {
		http_client_free(c);
		return NULL;
	}
	curl_multi_setopt(c->multi, CURLMOPT_MAX_HOST_CONNECTIONS, c->opt.max_host_connections);
	curl_multi_setopt(c->multi, CURLMOPT_PIPELINING, (long)CURLPIPE_MULTIPLEX);
	return c;
}

void http_client_free(struct http_client *c)
{
	if (!c)
		return;
	http_cancel_all(c);
	if (c->sync)
		curl_easy_cleanup(c->sync);
	if (c->multi)
		curl_multi_cleanup(c->multi);
	free(c->ca_bundle);
	free(c->user_agent);
	free(c->user_agent_base);
	free(c);
	curl_global_cleanup();
}

void http_response_free(struct http_response *resp)
{
	if (!resp)
		return;
	buf_free(&resp->body);
	memset(resp, 0, sizeof(*resp));
}

/* ---- URL policy ---------------------------------------------------------------------- */

static int host_is_loopback(const char *host)
{
	struct in_addr a4;
	struct in6_addr a6;
	char h[64];
	size_t n = strlen(host);

	if (strcasecmp(host, "localhost") == 0)
		return 1;
	if (inet_pton(AF_INET, host, &a4) == 1)
		return (ntohl(a4.s_addr) >> 24) == 127;
	if (n >= 2 && host[0] == '[' && host[n - 1] == ']' && n - 2 < sizeof(h)) {
		copy_str(h, sizeof(h), host + 1, n - 2);
		return inet_pton(AF_INET6, h, &a6) == 1 && IN6_IS_ADDR_LOOPBACK(&a6);
	}
	return 0;
}

/* The instance/container metadata services: link-local, never routed off the host. */
static int host_is_metadata(const char *host)
{
	static const char *const hosts[] = {"169.254.169.254", "169.254.170.2", "169.254.170.23",
					    "[fd00:ec2::254]", "[fd00:ec2::23]"};

	for (size_t i = 0; i < sizeof(hosts) / sizeof(hosts[0]); i++)
		if (strcasecmp(host, hosts[i]) == 0)
			return 1;
	return 0;
}

/* Fills host ("name" or "name:port") for messages; returns 0 when allowed. */
static int url_check(const char *url, int metadata_ok, char *host, size_t hostlen,
		     struct sc_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *name = NULL, *port = NULL;
	int rc = -1;

	copy_str(host, hostlen, "the endpoint", strlen("the endpoint"));
	if (!u || !url || curl_url_set(u, CURLUPART_URL, url, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &name, 0) != CURLUE_OK) {
		sc_fail(err, SC_NETWORK, "the URL \"%.200s\" is not a valid absolute URL",
		        url ? url : "");
		goto out;
	}
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK)
		snprintf(host, hostlen, "%s:%s", name, port);
	else
		copy_str(host, hostlen, name, strlen(name));
	if (strcmp(scheme, "https") == 0 ||
	    (strcmp(scheme, "http") == 0 &&
	     (host_is_loopback(name) || (metadata_ok && host_is_metadata(name)))))
		rc = 0;
	else if (strcmp(scheme, "http") == 0)
		sc_fail(err, SC_NETWORK,
		        "refusing plain http:// to %s: only loopback endpoints may skip TLS", host);
	else
		sc_fail(err, SC_NETWORK, "the URL scheme \"%s\" is not supported (use https://)",
		        scheme);
out:
	curl_free(scheme);
	curl_free(name);
	curl_free(port);
	curl_url_cleanup(u);
	return rc;
}

int http_url_allowed(const char *url, struct sc_error *err)
{
	char host[300];

	return url_check(url, 0, host, sizeof(host), err) == 0;
}

int http_url_allowed_metadata(const char *url, struct sc_error *err)
{
	char host[300];

	return url_check(url, 1, host, sizeof(host), err) == 0;
}

/* ---- one transfer ---------------------------------------------------------------------- */

static size_t on_body(char *data, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;
	long code = 0;

	/* a request's own cap is for the payload it asked for; an error reply (an S3
	 * <Error> of a few hundred bytes under a tiny GetObject cap) must still arrive */
	x->max_bytes = x->client_max;
	if (x->ok_max && x->ok_max < x->client_max &&
	    curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &code) == CURLE_OK &&
	    code >= 200 && code < 300)
		x->max_bytes = x->ok_max;
	if (x->resp.body.len + n > x->max_bytes) {
		x->resp.failure = HTTP_FAIL_OVERSIZE;
		return 0;
	}
	buf_append(&x->resp.body, data, n);
	return n;
}

static void capture(char *dst, size_t dstlen, const char *v, size_t n)
{
	while (n && (*v == ' ' || *v == '\t')) {
		v++;
		n--;
	}
	while (n && (v[n - 1] == ' ' || v[n - 1] == '\t' || v[n - 1] == '\r' || v[n - 1] == '\n'))
		n--;
	copy_str(dst, dstlen, v, n);
	text_token_clean(dst); /* shown by -v, stored in the call log: never an escape */
}

static size_t on_header(char *line, size_t size, size_t nmemb, void *ud)
{
	struct http_xfer *x = ud;
	size_t n = size * nmemb;
	const char *colon = memchr(line, ':', n);
	size_t name_len = colon ? (size_t)(colon - line) : 0;
	const char *v = colon ? colon + 1 : NULL;
	size_t vlen = colon ? n - name_len - 1 : 0;
	struct http_response *r = &x->resp;

	if (n >= 5 && strncmp(line, "HTTP/", 5) == 0) {
		/* A new response (after 1xx or a retry inside curl): forget earlier headers. */
		r->request_id[0] = r->error_type[0] = r->content_type[0] = '\0';
		return n;
	}
	if (!colon)
		return n;
	if ((name_len == 16 && strncasecmp(line, "x-amzn-RequestId", 16) == 0) ||
	    (name_len == 16 && strncasecmp(line, "x-amz-request-id", 16) == 0))
		capture(r->request_id, sizeof(r->request_id), v, vlen);
	else if (name_len == 16 && strncasecmp(line, "x-amzn-ErrorType", 16) == 0)
		capture(r->error_type, sizeof(r->error_type), v, vlen);
	else if (name_len == 12 && strncasecmp(line, "content-type", 12) == 0)
		capture(r->content_type, sizeof(r->content_type), v, vlen);
	return n;
}

static void setup_method(CURL *e, const struct http_request *req)
{
	const char *m = req->method ? req->method : "GET";

	if (strcmp(m, "GET") == 0 && !req->body_len) {
		curl_easy_setopt(e, CURLOPT_HTTPGET, 1L);
		return;
	}
	if (strcmp(m, "HEAD") == 0) {
		curl_easy_setopt(e, CURLOPT_NOBODY, 1L);
		return;
	}
	if (strcmp(m, "POST") != 0)
		curl_easy_setopt(e, CURLOPT_CUSTOMREQUEST, m);
	if (req->body_len || strcmp(m, "DELETE") != 0) {
		curl_easy_setopt(e, CURLOPT_POSTFIELDSIZE_LARGE, (curl_off_t)req->body_len);
		curl_easy_setopt(e, CURLOPT_COPYPOSTFIELDS, req->body_len ? req->body : "");
	}
}

/* curl asks at least once a second, and as bytes move: Ctrl-C ends a slow call at once */
static int on_progress(void *ud, curl_off_t dltotal, curl_off_t dlnow, curl_off_t ultotal,
		       curl_off_t ulnow)
{
	const struct http_client *c = ud;

	(void)dltotal, (void)dlnow, (void)ultotal, (void)ulnow;
	return c->abort && *c->abort;
}

static void setup_easy(struct http_client *c, struct http_xfer *x, const struct http_request *req)
{
	CURL *e = x->easy;
	long connect_ms =
	    req->connect_timeout_ms ? req->connect_timeout_ms : c->opt.connect_timeout_ms;
	long total_ms = req->timeout_ms ? req->timeout_ms : c->opt.timeout_ms;

	for (const char *const *h = req->headers; h && *h; h++)
		x->hdrs = curl_slist_append(x->hdrs, *h);
	x->hdrs = curl_slist_append(x->hdrs, "Expect:");
	x->max_bytes = x->client_max = c->opt.max_response_bytes;
	x->ok_max = req->max_response_bytes;
	curl_easy_setopt(e, CURLOPT_URL, req->url);
	curl_easy_setopt(e, CURLOPT_PROTOCOLS_STR, "http,https");
	curl_easy_setopt(e, CURLOPT_FOLLOWLOCATION, 0L);
	curl_easy_setopt(e, CURLOPT_NOPROXY, "localhost,127.0.0.0/8,::1");
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYPEER, 1L);
	curl_easy_setopt(e, CURLOPT_SSL_VERIFYHOST, 2L);
	if (c->ca_bundle)
		curl_easy_setopt(e, CURLOPT_CAINFO, c->ca_bundle);
	curl_easy_setopt(e, CURLOPT_HTTP_VERSION, (long)CURL_HTTP_VERSION_2TLS);
	curl_easy_setopt(e, CURLOPT_NOPROGRESS, 0L);
	curl_easy_setopt(e, CURLOPT_XFERINFOFUNCTION, on_progress);
	curl_easy_setopt(e, CURLOPT_XFERINFODATA, c);
	curl_easy_setopt(e, CURLOPT_CONNECTTIMEOUT_MS, connect_ms);
	curl_easy_setopt(e, CURLOPT_TIMEOUT_MS, total_ms);
	curl_easy_setopt(e, CURLOPT_NOSIGNAL, 1L);
	curl_easy_setopt(e, CURLOPT_TCP_KEEPALIVE, 1L);
	curl_easy_setopt(e, CURLOPT_USERAGENT, c->user_agent);
	curl_easy_setopt(e, CURLOPT_HTTPHEADER, x->hdrs);
	curl_easy_setopt(e, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)x->max_bytes);
	curl_easy_setopt(e, CURLOPT_WRITEFUNCTION, on_body);
	curl_easy_setopt(e, CURLOPT_WRITEDATA, x);
	curl_easy_setopt(e, CURLOPT_HEADERFUNCTION, on_header);
	curl_easy_setopt(e, CURLOPT_HEADERDATA, x);
	curl_easy_setopt(e, CURLOPT_ERRORBUFFER, x->errbuf);
	curl_easy_setopt(e, CURLOPT_PRIVATE, x);
	setup_method(e, req);
}

static enum http_failure classify(CURLcode rc)
{
	switch (rc) {
	case CURLE_ABORTED_BY_CALLBACK:
		return HTTP_FAIL_CANCELLED;
	case CURLE_COULDNT_RESOLVE_HOST:
	case CURLE_COULDNT_RESOLVE_PROXY:
	case CURLE_COULDNT_CONNECT:
	case CURLE_GOT_NOTHING:
	case CURLE_SEND_ERROR:
	case CURLE_RECV_ERROR:
	case CURLE_HTTP2:
	case CURLE_HTTP2_STREAM:
		return HTTP_FAIL_CONNECT;
	case CURLE_OPERATION_TIMEDOUT:
		return HTTP_FAIL_TIMEOUT;
	case CURLE_SSL_CONNECT_ERROR:
	case CURLE_PEER_FAILED_VERIFICATION:
	case CURLE_SSL_CERTPROBLEM:
	case CURLE_SSL_CIPHER:
	case CURLE_SSL_CACERT_BADFILE:
	case CURLE_SSL_ISSUER_ERROR:
	case CURLE_SSL_PINNEDPUBKEYNOTMATCH:
	case CURLE_SSL_INVALIDCERTSTATUS:
	case CURLE_SSL_ENGINE_NOTFOUND:
	case CURLE_SSL_ENGINE_SETFAILED:
	case CURLE_SSL_ENGINE_INITFAILED:
	case CURLE_SSL_CRL_BADFILE:
	case CURLE_SSL_SHUTDOWN_FAILED:
	case CURLE_USE_SSL_FAILED:
		return HTTP_FAIL_TLS;
	case CURLE_PARTIAL_FILE:
		return HTTP_FAIL_TRUNCATED;
	case CURLE_FILESIZE_EXCEEDED:
		return HTTP_FAIL_OVERSIZE;
	default:
		return HTTP_FAIL_OTHER;
	}
}

/* Turn the curl result into status + sentence; fills x->resp. */
static enum sc_status finish(struct http_xfer *x, CURLcode rc, struct sc_error *err)
{
	struct http_response *r = &x->resp;
	const char *why = x->errbuf[0] ? x->errbuf : curl_easy_strerror(rc);

	curl_easy_getinfo(x->easy, CURLINFO_RESPONSE_CODE, &r->status);
	curl_easy_getinfo(x->easy, CURLINFO_TOTAL_TIME, &r->seconds);
	if (rc == CURLE_OK) {
		r->failure = HTTP_FAIL_NONE;
		return SC_OK;
	}
	if (r->failure != HTTP_FAIL_OVERSIZE)
		r->failure = classify(rc);
	switch (r->failure) {
	case HTTP_FAIL_OVERSIZE:
		return sc_fail(err, SC_BAD_REPLY,
		               "the reply from %s is larger than the %zu-byte limit", x->host,
		               x->max_bytes);
	case HTTP_FAIL_TRUNCATED:
		return sc_fail(err, SC_BAD_REPLY, "the reply from %s was cut short (%s)", x->host,
		               why);
	case HTTP_FAIL_TIMEOUT:
		return sc_fail(err, SC_NETWORK, "timed out talking to %s (%s)", x->host, why);
	case HTTP_FAIL_CANCELLED:
		return sc_fail(err, SC_CANCELLED, "the request to %s was cancelled (interrupted)",
			       x->host);
	case HTTP_FAIL_TLS:
		return sc_fail(err, SC_NETWORK, "TLS connection to %s failed (%s)", x->host, why);
	case HTTP_FAIL_CONNECT:
		return sc_fail(err, SC_NETWORK, "cannot reach %s (%s)", x->host, why);
	default:
		return sc_fail(err, SC_NETWORK, "request to %s failed (%s)", x->host, why);
	}
}

static struct http_xfer *xfer_new(struct http_client *c, CURL *easy)
{
	struct http_xfer *x = xcalloc(1, sizeof(*x));

	x->c = c;
	x->easy = easy;
	return x;
}

static void xfer_free(struct http_xfer *x)
{
	curl_slist_free_all(x->hdrs);
	http_response_free(&x->resp);
	free(x);
}

enum sc_status http_perform(struct http_client *c, const struct http_request *req,
                            struct http_response *resp, struct sc_error *err)
{
	struct http_xfer *x = xfer_new(c, c->sync);
	enum sc_status st;

	memset(resp, 0, sizeof(*resp));
	if (url_check(req->url, req->metadata_ok, x->host, sizeof(x->host), err) != 0) {
		resp->failure = HTTP_FAIL_POLICY;
		xfer_free(x);
		return err ? err->status : SC_NETWORK;
	}
	curl_easy_reset(c->sync);
	setup_easy(c, x, req);
	st = finish(x, curl_easy_perform(c->sync), err);
	*resp = x->resp;
	memset(&x->resp, 0, sizeof(x->resp));
	curl_easy_setopt(c->sync, CURLOPT_HTTPHEADER, NULL);
	xfer_free(x);
	return st;
}

/* ---- asynchronous ---------------------------------------------------------------------- */

int http_submit(struct http_client *c, const struct http_request *req, http_done_fn done, void *ud)
{
	struct http_xfer *x = xfer_new(c, NULL);

	x->done = done;
	x->ud = ud;
	sc_error_clear(&x->early_err);
	if (url_check(req->url, req->metadata_ok, x->host, sizeof(x->host), &x->early_err) != 0) {
		x->early = x->early_err.status;
		x->resp.failure = HTTP_FAIL_POLICY;
		x->next = c->refused;
		c->refused = x;
		return -1;
	}
	x->easy = curl_easy_init();
	if (!x->easy) {
		x->early =
		    sc_fail(&x->early_err, SC_NOMEM, "cannot start a transfer to %s", x->host);
		x->next = c->refused;
		c->refused = x;
		return -1;
	}
	setup_easy(c, x, req);
	curl_multi_add_handle(c->multi, x->easy);
	x->next = c->xfers;
	c->xfers = x;
	return 0;
}

static void unlink_xfer(struct http_client *c, struct http_xfer *x)
{
	for (struct http_xfer **p = &c->xfers; *p; p = &(*p)->next) {
		if (*p == x) {
			*p = x->next;
			break;
		}
	}
	curl_multi_remove_handle(c->multi, x->easy);
	curl_easy_cleanup(x->easy);
	x->easy = NULL;
}

static void complete(struct http_client *c, struct http_xfer *x, CURLcode rc)
{
	struct sc_error err;
	enum sc_status st;

	sc_error_clear(&err);
	st = finish(x, rc, &err);
	unlink_xfer(c, x);
	x->done(x->ud, st, &x->resp, &err);
	xfer_free(x);
}

/* Deliver finished transfers; returns how many. */
static int drain_messages(struct http_client *c)
{
	CURLMsg *m;
	int left, n = 0;

	while ((m = curl_multi_info_read(c->multi, &left))) {
		struct http_xfer *x = NULL;

		if (m->msg != CURLMSG_DONE)
			continue;
		curl_easy_getinfo(m->easy_handle, CURLINFO_PRIVATE, (char **)&x);
		if (x) {
			complete(c, x, m->data.result);
			n++;
		}
	}
	return n;
}

static void deliver_refused(struct http_client *c)
{
	while (c->refused) {
		struct http_xfer *x = c->refused;

		c->refused = x->next;
		x->done(x->ud, x->early, &x->resp, &x->early_err);
		xfer_free(x);
	}
}

void http_timer_add(struct http_client *c, long delay_ms, http_timer_fn fn, void *ud)
{
	struct http_timer *t = xcalloc(1, sizeof(*t)), **p = &c->timers;

	t->due_ms = now_ms() + (uint64_t)(delay_ms > 0 ? delay_ms : 0);
	t->fn = fn;
	t->ud = ud;
	while (*p && (*p)->due_ms <= t->due_ms)
		p = &(*p)->next;
	t->next = *p;
	*p = t;
}

static void fire_timers(struct http_client *c)
{
	uint64_t now = now_ms();

	while (c->timers && c->timers->due_ms <= now) {
		struct http_timer *t = c->timers;

		c->timers = t->next;
		t->fn(t->ud, 0);
		free(t);
	}
}

int http_pending(const struct http_client *c)
{
	int n = 0;

	for (const struct http_xfer *x = c->xfers; x; x = x->next)
		n++;
	for (const struct http_xfer *x = c->refused; x; x = x->next)
		n++;
	for (const struct http_timer *t = c->timers; t; t = t->next)
		n++;
	return n;
}

static int wait_budget(const struct http_client *c, int timeout_ms)
{
	uint64_t now;

	if (timeout_ms < 0 || c->refused)
		return 0;
	if (!c->timers)
		return timeout_ms;
	now = now_ms();
	if (c->timers->due_ms <= now)
		return 0;
	if (c->timers->due_ms - now < (uint64_t)timeout_ms)
		return (int)(c->timers->due_ms - now);
	return timeout_ms;
}

void http_set_abort(struct http_client *c, const volatile sig_atomic_t *flag)
{
	c->abort = flag;
}

bool http_aborting(const struct http_client *c)
{
	return c && c->abort && *c->abort;
}

static bool aborted(struct http_client *c)
{
	if (!c->abort || !*c->abort || (!c->xfers && !c->timers && !c->refused))
		return false;
	http_cancel_all(c);
	return true;
}

int http_run(struct http_client *c, int timeout_ms, struct http_waitfd *extra, unsigned n_extra)
{
	struct curl_waitfd stack[8], *fds;
	int running = 0, wait;

	if (aborted(c))
		return http_pending(c);
	fds = n_extra > 8 ? xcalloc(n_extra, sizeof(*fds)) : stack;

	for (unsigned i = 0; i < n_extra; i++) {
		fds[i].fd = extra[i].fd;
		fds[i].events =
		    extra[i].events & (CURL_WAIT_POLLIN | CURL_WAIT_POLLPRI | CURL_WAIT_POLLOUT);
		fds[i].revents = 0;
	}
	curl_multi_perform(c->multi, &running);
	/* Something already delivered: return promptly instead of waiting. */
	wait = drain_messages(c) ? 0 : wait_budget(c, timeout_ms);
	curl_multi_poll(c->multi, fds, n_extra, wait, NULL);
	for (unsigned i = 0; i < n_extra; i++)
		extra[i].revents = fds[i].revents;
	if (fds != stack)
		free(fds);
	if (aborted(c)) /* the poll woke on the signal (EINTR) */
		return http_pending(c);
	curl_multi_perform(c->multi, &running);
	drain_messages(c);
	deliver_refused(c);
	fire_timers(c);
	return http_pending(c);
}

void http_cancel_all(struct http_client *c)
{
	struct sc_error err;

	while (c->xfers) {
		struct http_xfer *x = c->xfers;

		sc_error_clear(&err);
		sc_fail(&err, SC_CANCELLED, "the request to %s was cancelled", x->host);
		unlink_xfer(c, x);
		x->done(x->ud, SC_CANCELLED, &x->resp, &err);
		xfer_free(x);
	}
	deliver_refused(c);
	while (c->timers) {
		struct http_timer *t = c->timers;

		c->timers = t->next;
		t->fn(t->ud, 1);
		free(t);
	}
}

/* ---- User-Agent ---- */

/* A token of the SDK convention keeps ALPHA DIGIT and !$%&'*+-.^_`|~; anything else → '-' */
static void ua_token(char *out, size_t outlen, const char *s)
{
	size_t n = 0;

	for (; s && *s && n + 1 < outlen; s++)
		out[n++] = isalnum((unsigned char)*s) || strchr("!$%&'*+-.^_`|~", *s) ? *s : '-';
	out[n] = '\0';
}

void http_user_agent_base(char *out, size_t outlen)
{
	struct utsname u;
	char sys[64] = "unknown", rel[96] = "", curl[32] = "";
	const curl_version_info_data *cv = curl_version_info(CURLVERSION_NOW);

	if (uname(&u) == 0) {
		ua_token(sys, sizeof(sys), u.sysname);
		for (char *p = sys; *p; p++)
			*p = (char)tolower((unsigned char)*p);
		ua_token(rel, sizeof(rel), u.release);
	}
	ua_token(curl, sizeof(curl), cv && cv->version ? cv->version : "");
	snprintf(out, outlen, "sesctl/%s ua/2.1 os/%s%s%s lang/c md/curl#%s", SESCTL_VERSION, sys,
		 *rel ? "#" : "", rel, *curl ? curl : "unknown");
}

/* Length of an access-key-id shape at s (AKIA…, ASIA…: four capitals then 16 of A-Z0-9,
 * standing alone), else 0. */
static size_t key_id_at(const char *s, const char *start)
{
	size_t n = 0;

	if (s > start && isalnum((unsigned char)s[-1]))
		return 0;
	if (strncmp(s, "AKIA", 4) && strncmp(s, "ASIA", 4))
		return 0;
	for (n = 4; n < 20; n++)
		if (!isupper((unsigned char)s[n]) && !isdigit((unsigned char)s[n]))
			return 0;
	return isalnum((unsigned char)s[n]) ? 0 : n;
}

/* Length of a secret-key shape at s: a run of 40 or more of [A-Za-z0-9/+=] with a digit,
 * a lower- and an upper-case letter (a word of the reason never looks like that). */
static size_t secret_at(const char *s, const char *start)
{
	size_t n = 0;
	bool lo = false, up = false, dig = false;

	if (s > start && (isalnum((unsigned char)s[-1]) || strchr("/+=", s[-1])))
		return 0;
	for (; s[n] && (isalnum((unsigned char)s[n]) || strchr("/+=", s[n])); n++) {
		lo |= islower((unsigned char)s[n]) != 0;
		up |= isupper((unsigned char)s[n]) != 0;
		dig |= isdigit((unsigned char)s[n]) != 0;
	}
	return n >= 40 && lo && up && dig ? n : 0;
}

static size_t given_secret_at(const char *s, const char *const *secrets)
{
	for (size_t i = 0; secrets && secrets[i]; i++) {
		size_t n = strlen(secrets[i]);

		if (n >= 8 && !strncmp(s, secrets[i], n))
			return n;
	}
	return 0;
}

/* Step 1: printable ASCII, whitespace as ' ', no comment delimiters. */
static char *ua_printable(const char *reason)
{
	size_t len = strlen(reason), n = 0;
	char *t = xmalloc(len + 1);

	for (const unsigned char *p = (const unsigned char *)reason; *p; p++) {
		unsigned char ch = *p;

		if (ch == '\t' || ch == '\n' || ch == '\r' || ch == '\v' || ch == '\f')
			ch = ' ';
		if (ch < 0x20 || ch > 0x7e)
			continue;
		t[n++] = ch == '(' ? '[' : ch == ')' ? ']' : ch == '\\' ? '/' : (char)ch;
	}
	t[n] = '\0';
	return t;
}

size_t http_ua_reason_clean(const char *reason, const char *const *secrets, char *out,
			    size_t outlen)
{
	size_t cap = outlen - 1 < HTTP_UA_REASON_MAX ? outlen - 1 : HTTP_UA_REASON_MAX;
	struct buf b = BUF_INIT;
	char *t;

	if (!outlen)
		return 0;
	out[0] = '\0';
	if (!reason)
		return 0;
	t = ua_printable(reason);
	for (const char *p = t; *p;) {
		size_t skip = given_secret_at(p, secrets);

		if (!skip)
			skip = key_id_at(p, t);
		if (!skip)
			skip = secret_at(p, t);
		if (skip) {
			buf_puts(&b, "[redacted]");
			p += skip;
		} else if (*p == ' ' && (!b.len || b.data[b.len - 1] == ' ')) {
			p++; /* leading or repeated space */
		} else {
			buf_putc(&b, *p++);
		}
		if (b.len > cap)
			break;
	}
	free(t);
	while (b.len && b.data[b.len - 1] == ' ')
		b.len--;
	if (b.len > cap) { /* cut on a word where one is near, and say so */
		size_t keep = cap - 3;

		while (keep > cap / 2 && b.data[keep] != ' ')
			keep--;
		if (b.data[keep] != ' ')
			keep = cap - 3;
		while (keep && b.data[keep - 1] == ' ')
			keep--;
		memcpy(out, b.data, keep);
		memcpy(out + keep, "...", 4);
		buf_free(&b);
		return keep + 3;
	}
	if (b.len)
		memcpy(out, b.data, b.len);
	out[b.len] = '\0';
	buf_free(&b);
	return strlen(out);
}

void http_set_reason(struct http_client *c, const char *reason, const char *const *secrets)
{
	char clean[HTTP_UA_REASON_MAX + 1];
	struct buf ua = BUF_INIT;

	if (!c)
		return;
	http_ua_reason_clean(reason, secrets, clean, sizeof(clean));
	buf_puts(&ua, c->user_agent_base);
	if (*clean)
		buf_printf(&ua, " %s%s)", HTTP_UA_REASON_OPEN, clean);
	free(c->user_agent);
	c->user_agent = buf_steal(&ua);
	buf_free(&ua);
}

const char *http_user_agent(const struct http_client *c)
{
	return c ? c->user_agent : NULL;
}

#include "sesctl/aws/client.h"

#include <cjson/cJSON.h>
#include <curl/curl.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/aws/sigv4.h"
#include "sesctl/aws/xml.h"
#include "sesctl/util/text.h"

#define RETRY_TOKENS       500
#define RETRY_COST         5
#define RETRY_COST_TIMEOUT 10
#define RETRY_COST_THROTTLE 0
#define BACKOFF_CAP_S      20.0

struct aws_client {
	struct aws_client_options opt;
	int tokens;
	unsigned seed;
	struct aws_client_stats stats;
};

/* One call in progress: owned copies of the call's strings, retry bookkeeping, result. */
struct call_state {
	struct aws_client *c;
	char *operation, *service_id, *signing_name, *region, *method, *query, *content_type,
	    *target, *body, *content_md5;
	size_t body_len, max_reply_bytes;
	long timeout_ms;
	bool no_retry, s3;
	char *url, *wire_path, *host;
	int attempts, last_cost;
	bool throttled;           /* the last error reply was a throttling one */
	double started;
	enum sc_status st;
	struct sc_error err;
	struct aws_reply reply;
	aws_done_fn done;
	void *ud;
};

/* Headers of one attempt; the lines carry the signature and token, so they are wiped. */
struct prepared {
	char *lines[12];
	const char *hdrs[13];
	int n;
};

static double mono_now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static char *dup_opt(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void copy_trunc(char *dst, size_t dstlen, const char *s, size_t n)
{
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, s, n);
	dst[n] = '\0';
}

struct aws_client *aws_client_new(const struct aws_client_options *opt)
{
	struct aws_client *c = xcalloc(1, sizeof(*c));

	c->opt = *opt;
	if (c->opt.max_attempts <= 0)
		c->opt.max_attempts = 3;
	if (c->opt.backoff_scale <= 0)
		c->opt.backoff_scale = 1.0;
	c->seed =
	    opt->retry_seed ? opt->retry_seed : (unsigned)time(NULL) ^ ((unsigned)getpid() << 16);
	c->tokens = RETRY_TOKENS;
	return c;
}

void aws_client_free(struct aws_client *c)
{
	free(c);
}

void aws_client_stats(const struct aws_client *c, struct aws_client_stats *out)
{
	*out = c->stats;
	out->retry_tokens = c->tokens;
}

void aws_reply_free(struct aws_reply *r)
{
	if (!r)
		return;
	buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

void aws_path_append(struct buf *out, const char *segment)
{
	sigv4_uri_encode(out, segment, strlen(segment), 0);
}

/* ---- error bodies ---------------------------------------------------------------------- */

static void set_code(struct sc_error *err, const char *code, size_t n)
{
	const char *hash = memchr(code, '#', n);

	/* keep what follows the last '#' ("aws.protocoltests#NotFound" → "NotFound") */
	while (hash) {
		n -= (size_t)(hash + 1 - code);
		code = hash + 1;
		hash = memchr(code, '#', n);
	}
	copy_trunc(err->code, sizeof(err->code), code, n);
}

static const char *json_str(const cJSON *o, const char *a, const char *b)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, a);

	if (!cJSON_IsString(v) && b)
		v = cJSON_GetObjectItemCaseSensitive(o, b);
	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static bool parse_json_error(const char *body, size_t len, struct sc_error *err)
{
	cJSON *o = cJSON_ParseWithLength(body, len);
	const char *code, *msg;
	bool ok = false;

	if (!cJSON_IsObject(o)) {
		cJSON_Delete(o);
		return false;
	}
	code = json_str(o, "__type", "code");
	if (!code)
		code = json_str(o, "Code", NULL);
	msg = json_str(o, "message", "Message");
	if (code && !err->code[0])
		set_code(err, code, strlen(code));
	if (msg)
		copy_trunc(err->message, sizeof(err->message), msg, strlen(msg));
	ok = err->code[0] || msg;
	cJSON_Delete(o);
	return ok;
}

static bool parse_xml_error(const char *body, size_t len, struct sc_error *err)
{
	xmlDoc *doc = xml_parse(body, len, NULL);
	xmlNode *root = xml_root(doc), *e;
	char code[96];
	bool ok;

	if (!doc)
		return false;
	e = xml_is(root, "Error") ? root : xml_child(root, "Error");
	if (!e)
		e = xml_find(root, "Error");
	if (xml_path_copy(e, "Code", code, sizeof(code)) && code[0] && !err->code[0])
		set_code(err, code, strlen(code));
	xml_path_copy(e, "Message", err->message, sizeof(err->message));
	e = xml_is(root, "RequestId") ? root : xml_find(root, "RequestId");
	if (e && !err->request_id[0]) {
		xml_path_copy(e, NULL, err->request_id, sizeof(err->request_id));
		text_token_clean(err->request_id);
	}
	ok = err->code[0] || err->message[0];
	xml_free(doc);
	return ok;
}

/* SignatureDoesNotMatch messages echo the canonical request AWS computed, and with it the
 * x-amz-security-token header: cut that part off so that the token never reaches the
 * terminal, the cache or a log. */
static void drop_signing_echo(char *msg)
{
	static const char *const marks[] = {"The Canonical String for this request",
	                                    "The String-to-Sign should have been", NULL};
	size_t n;

	for (const char *const *m = marks; *m; m++) {
		char *p = strstr(msg, *m);

		if (p)
			*p = '\0';
	}
	n = strlen(msg);
	while (n && (msg[n - 1] == ' ' || msg[n - 1] == '\n' || msg[n - 1] == '\r' ||
	             msg[n - 1] == '\t'))
		msg[--n] = '\0';
}

static bool parse_error_body(const char *body, size_t len, const char *error_type_header,
                             struct sc_error *err)
{
	size_t skip = 0;

	err->code[0] = err->message[0] = '\0';
	if (error_type_header && *error_type_header)
		set_code(err, error_type_header, strcspn(error_type_header, ":"));
	while (
	    body && skip < len &&
	    (body[skip] == ' ' || body[skip] == '\t' || body[skip] == '\r' || body[skip] == '\n'))
		skip++;
	if (!body || skip == len)
		return err->code[0] != '\0';
	if (body[skip] == '{')
		return parse_json_error(body + skip, len - skip, err) || err->code[0];
	if (body[skip] == '<')
		return parse_xml_error(body + skip, len - skip, err) || err->code[0];
	return err->code[0] != '\0';
}

bool aws_parse_error_body(const char *body, size_t len, const char *error_type_header,
                          struct sc_error *err)
{
	bool ok = parse_error_body(body, len, error_type_header, err);

	drop_signing_echo(err->message);
	return ok;
}

/* ---- classification -------------------------------------------------------------------- */

static bool in_list(const char *code, const char *const *list)
{
	for (; *list; list++)
		if (strcmp(code, *list) == 0)
			return true;
	return false;
}

static bool starts(const char *s, const char *prefix)
{
	return strncmp(s, prefix, strlen(prefix)) == 0;
}

static bool ends(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool is_throttle(const char *code)
{
	static const char *const list[] = {"Throttling",
	                                   "ThrottlingException",
	                                   "ThrottledException",
	                                   "RequestThrottledException",
	                                   "TooManyRequestsException",
	                                   "ProvisionedThroughputExceededException",
	                                   "TransactionInProgressException",
	                                   "RequestLimitExceeded",
	                                   "BandwidthLimitExceeded",
	                                   "RequestThrottled",
	                                   "SlowDown",
	                                   "PriorRequestNotComplete",
	                                   "EC2ThrottledException",
	                                   NULL};

	return in_list(code, list);
}

static bool is_transient(const char *code, long status)
{
	static const char *const list[] = {"RequestTimeout", "RequestTimeoutException",
	                                   "PriorRequestNotComplete", "IDPCommunicationError",
	                                   NULL};

	return in_list(code, list) || status == 500 || status == 502 || status == 503 ||
	       status == 504;
}

static enum sc_status map_error(const char *code, long status)
{
	static const char *const auth[] = {"SignatureDoesNotMatch",
	                                   "InvalidClientTokenId",
	                                   "UnrecognizedClientException",
	                                   "IncompleteSignature",
	                                   "MissingAuthenticationToken",
	                                   "InvalidSignatureException",
	                                   "AuthorizationError",
	                                   "InvalidAccessKeyId",
	                                   NULL};

	/* SNS says NotFound for a deleted topic; SQS's query-compatible code for a missing
	 * queue is AWS.SimpleQueueService.NonExistentQueue */
	if (ends(code, "NotFoundException") || ends(code, "DoesNotExist") ||
	    strcmp(code, "NotFound") == 0 || starts(code, "NoSuch") ||
	    strcmp(code, "AWS.SimpleQueueService.NonExistentQueue") == 0)
		return SC_NOT_FOUND;
	if (in_list(code, auth) || starts(code, "ExpiredToken") || starts(code, "AccessDenied") ||
	    strcmp(code, "RequestExpired") == 0)
		return SC_AUTH;
	if (is_throttle(code) || status == 429)
		return SC_THROTTLED;
	if (starts(code, "AlreadyExists") || starts(code, "ConcurrentModification") ||
	    strcmp(code, "ConflictException") == 0)
		return SC_CONFLICT;
	if (status == 403)
		return SC_AUTH;
	if (status == 404)
		return SC_NOT_FOUND;
	return SC_ERR;
}

/* ---- one attempt ----------------------------------------------------------------------- */

static void prepared_free(struct prepared *p)
{
	for (int i = 0; i < p->n; i++)
		free_secret(p->lines[i]);
	p->n = 0;
}

static void add_line(struct prepared *p, const char *name, const char *value)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "%s: %s", name, value);
	p->lines[p->n] = buf_steal(&b);
	p->hdrs[p->n] = p->lines[p->n];
	p->n++;
	p->hdrs[p->n] = NULL;
}

static enum sc_status sign(struct call_state *s, struct prepared *p, struct sc_error *err)
{
	struct aws_client *c = s->c;
	struct aws_signing_creds cr = {0};
	struct sigv4_header h[7];
	char sha[65];
	struct sigv4_result res;
	struct sigv4_input in = {0};
	char date[17];
	size_t n = 0;
	enum sc_status st;

	st = c->opt.creds ? c->opt.creds(c->opt.creds_ud, &cr, err)
	                  : sc_fail(err, SC_AUTH, "no credentials provider is set");
	if (st != SC_OK)
		return st;
	in.when = c->opt.clock ? c->opt.clock() : time(NULL);
	sigv4_amz_date(in.when, date);
	h[n++] = (struct sigv4_header){"host", s->host};
	h[n++] = (struct sigv4_header){"x-amz-date", date};
	if (cr.session_token && *cr.session_token)
		h[n++] = (struct sigv4_header){"x-amz-security-token", cr.session_token};
	if (s->content_type)
		h[n++] = (struct sigv4_header){"content-type", s->content_type};
	if (s->target)
		h[n++] = (struct sigv4_header){"x-amz-target", s->target};
	if (s->s3) {
		sigv4_sha256_hex(s->body, s->body_len, sha);
		h[n++] = (struct sigv4_header){"x-amz-content-sha256", sha};
		in.payload_hash = sha;
		in.s3 = true;
	}
	if (s->content_md5)
		h[n++] = (struct sigv4_header){"content-md5", s->content_md5};
	in.method = s->method;
	in.path = s->wire_path;
	in.query = s->query;
	in.headers = h;
	in.n_headers = n;
	in.body = s->body;
	in.body_len = s->body_len;
	in.access_key = cr.access_key;
	in.secret_key = cr.secret_key;
	in.region = s->region;
	in.service = s->signing_name;
	memset(&res, 0, sizeof(res));
	if (!cr.access_key || !cr.secret_key || sigv4_sign(&in, &res) != 0) {
		sigv4_result_free(&res);
		return sc_fail(err, SC_AUTH, "cannot sign the request: credentials are incomplete");
	}
	for (size_t i = 0; i < n; i++)
		add_line(p, h[i].name, h[i].value);
	if (!s->content_type)
		add_line(p, "Content-Type", ""); /* stop curl adding a form type */
	add_line(p, "Authorization", buf_str(&res.authorization));
	sigv4_result_free(&res);
	return SC_OK;
}

static void fill_request(const struct call_state *s, const struct prepared *p,
                         struct http_request *req)
{
	memset(req, 0, sizeof(*req));
	req->method = s->method;
	req->url = s->url;
	req->headers = p->hdrs;
	req->body = s->body;
	req->body_len = s->body_len;
	req->timeout_ms = s->timeout_ms;
	req->max_response_bytes = s->max_reply_bytes;
}

/* Move the reply of an attempt into the call state and reset the error. */
static void take_reply(struct call_state *s, struct http_response *resp)
{
	buf_free(&s->reply.body);
	s->reply.body = resp->body;
	memset(&resp->body, 0, sizeof(resp->body));
	s->reply.http_status = resp->status;
	copy_trunc(s->reply.request_id, sizeof(s->reply.request_id), resp->request_id,
	           strlen(resp->request_id));
	sc_error_clear(&s->err);
	s->err.http_status = resp->status;
	copy_trunc(s->err.request_id, sizeof(s->err.request_id), resp->request_id,
	           strlen(resp->request_id));
}

/* A non-2xx reply: sets s->st and s->err; returns whether the policy allows a retry. */
static bool judge_error_reply(struct call_state *s, const struct http_response *resp)
{
	long code = resp->status;
	bool structured, throttled;

	structured =
	    aws_parse_error_body(s->reply.body.data, s->reply.body.len, resp->error_type, &s->err);
	/* Emulators answer routes they lack with HTML: not worth a retry. A HEAD reply has
	 * no body to judge by (S3's HeadBucket/HeadObject answer a bare 404). */
	if (!structured && strcmp(s->method, "HEAD") != 0 && (code == 404 || code == 405 || code == 500 || code == 501)) {
		s->st = sc_fail(&s->err, SC_UNSUPPORTED,
		                "the endpoint does not implement %s (HTTP %ld, non-AWS reply)",
		                s->operation, code);
		return false;
	}
	throttled = is_throttle(s->err.code) || code == 429;
	s->throttled = throttled;
	if (throttled)
		s->c->stats.throttled++;
	s->st = map_error(s->err.code, code);
	if (s->err.message[0])
		sc_error_prefix(&s->err, "%s", s->operation);
	else
		sc_fail(&s->err, s->st, "%s: the service answered HTTP %ld%s%s", s->operation, code,
		        s->err.code[0] ? " " : "", s->err.code);
	s->err.status = s->st;
	return strcmp(s->err.code, "LimitExceededException") != 0 &&
	       (throttled || is_transient(s->err.code, code));
}

/* Full jitter: rand[0,1) * min(2^(n-1), 20) s for the n-th retry, scaled for tests. */
static double backoff(struct aws_client *c, int retry)
{
	double cap = (double)(1 << (retry - 1 < 5 ? retry - 1 : 5));

	if (cap > BACKOFF_CAP_S)
		cap = BACKOFF_CAP_S;
	return (double)rand_r(&c->seed) / ((double)RAND_MAX + 1.0) * cap * c->opt.backoff_scale;
}

/* After an attempt: 1 = retry after *delay_s, 0 = finished (s->st, s->err, s->reply set). */
static int judge(struct call_state *s, enum sc_status st, struct http_response *resp,
                 const struct sc_error *herr, double *delay_s)
{
	struct aws_client *c = s->c;
	bool retryable;
	int cost = RETRY_COST;

	take_reply(s, resp);
	if (st == SC_OK && resp->status >= 200 && resp->status < 300) {
		s->st = SC_OK;
		c->tokens += s->attempts == 1 ? 1 : s->last_cost;
		if (c->tokens > RETRY_TOKENS)
			c->tokens = RETRY_TOKENS;
		return 0;
	}
	if (st == SC_OK) {
		retryable = judge_error_reply(s, resp);
		/* Throttling is the service asking us to slow down, which the backoff does; the
		 * budget is for failing services (5xx, drops, timeouts). Charging throttles too
		 * emptied it during long syncs of big accounts under sustained throttling. */
		if (s->throttled)
			cost = RETRY_COST_THROTTLE;
	} else {
		s->st =
		    sc_fail(&s->err, st, "%s: %s", s->operation, herr ? herr->message : "failed");
		retryable = resp->failure == HTTP_FAIL_CONNECT ||
		            resp->failure == HTTP_FAIL_TIMEOUT ||
		            resp->failure == HTTP_FAIL_TRUNCATED;
		if (resp->failure == HTTP_FAIL_TIMEOUT)
			cost = RETRY_COST_TIMEOUT;
	}
	if (!retryable || s->no_retry || s->attempts >= c->opt.max_attempts || c->tokens < cost)
		return 0;
	c->tokens -= cost;
	s->last_cost = cost;
	*delay_s = backoff(c, s->attempts);
	return 1;
}

/* ---- call state ------------------------------------------------------------------------- */

/* Split the endpoint into host header, wire path (prefix + path) and the full URL. */
static enum sc_status locate(struct call_state *s, const char *endpoint, const char *path,
                             struct sc_error *err)
{
	CURLU *u = curl_url();
	char *scheme = NULL, *host = NULL, *port = NULL, *prefix = NULL;
	struct buf b = BUF_INIT;
	size_t plen;
	enum sc_status st = SC_OK;

	if (!u || !endpoint || curl_url_set(u, CURLUPART_URL, endpoint, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_SCHEME, &scheme, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_HOST, &host, 0) != CURLUE_OK ||
	    curl_url_get(u, CURLUPART_PATH, &prefix, 0) != CURLUE_OK) {
		st = sc_fail(err, SC_CONFIG, "%s: the endpoint URL \"%.200s\" is not valid",
		             s->operation, endpoint ? endpoint : "");
		goto out;
	}
	buf_puts(&b, host);
	if (curl_url_get(u, CURLUPART_PORT, &port, 0) == CURLUE_OK &&
	    !(strcmp(scheme, "http") == 0 && strcmp(port, "80") == 0) &&
	    !(strcmp(scheme, "https") == 0 && strcmp(port, "443") == 0))
		buf_printf(&b, ":%s", port);
	s->host = buf_steal(&b);
	plen = strlen(prefix);
	while (plen && prefix[plen - 1] == '/')
		plen--;
	buf_append(&b, prefix, plen);
	buf_puts(&b, path && *path ? path : "/");
	s->wire_path = buf_steal(&b);
	buf_printf(&b, "%s://%s%s", scheme, s->host, s->wire_path);
	if (s->query && *s->query)
		buf_printf(&b, "?%s", s->query);
	s->url = buf_steal(&b);
out:
	curl_free(scheme);
	curl_free(host);
	curl_free(port);
	curl_free(prefix);
	curl_url_cleanup(u);
	return st;
}

static struct call_state *state_new(struct aws_client *c, const struct aws_call *call)
{
	struct call_state *s = xcalloc(1, sizeof(*s));

	s->c = c;
	s->operation = xstrdup(call->operation ? call->operation : "request");
	s->service_id = xstrdup(call->service_id ? call->service_id : "");
	s->signing_name = xstrdup(call->signing_name ? call->signing_name : "");
	s->region = xstrdup(call->region ? call->region : "");
	s->method = xstrdup(call->method ? call->method : "GET");
	s->query = dup_opt(call->query);
	s->content_type = dup_opt(call->content_type);
	s->target = dup_opt(call->target);
	s->content_md5 = dup_opt(call->content_md5);
	s->s3 = call->s3;
	s->max_reply_bytes = call->max_reply_bytes;
	s->body_len = call->body ? call->body_len : 0;
	s->body = s->body_len ? xstrndup(call->body, s->body_len) : NULL;
	s->timeout_ms = call->timeout_ms;
	s->no_retry = call->no_retry;
	s->started = mono_now();
	sc_error_clear(&s->err);
	return s;
}

static void state_free(struct call_state *s)
{
	free(s->operation);
	free(s->service_id);
	free(s->signing_name);
	free(s->region);
	free(s->method);
	free(s->query);
	free(s->content_type);
	free(s->target);
	free(s->content_md5);
	free(s->body);
	free(s->url);
	free(s->wire_path);
	free(s->host);
	aws_reply_free(&s->reply);
	free(s);
}

/* Book-keeping shared by both paths once the call is over. */
static void conclude(struct call_state *s)
{
	struct aws_client *c = s->c;
	struct aws_call_record rec;

	s->reply.attempts = s->attempts;
	s->reply.seconds = mono_now() - s->started;
	if (s->st != SC_OK)
		s->err.status = s->st;
	c->stats.calls++;
	c->stats.attempts += (unsigned long)s->attempts;
	c->stats.retries += (unsigned long)(s->attempts > 1 ? s->attempts - 1 : 0);
	if (s->st != SC_OK)
		c->stats.failures++;
	if (!c->opt.log)
		return;
	rec.operation = s->operation;
	rec.service = s->service_id;
	rec.region = s->region;
	rec.http_status = s->reply.http_status;
	rec.status = s->st;
	rec.error_code = s->st == SC_OK ? "" : s->err.code;
	rec.request_id = s->reply.request_id[0] ? s->reply.request_id : s->err.request_id;
	rec.seconds = s->reply.seconds;
	rec.retries = s->attempts > 1 ? s->attempts - 1 : 0;
	c->opt.log(c->opt.log_ud, &rec);
}

static void sleep_s(double s)
{
	struct timespec ts = {(time_t)s, (long)((s - (double)(time_t)s) * 1e9)};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static void hand_over(struct call_state *s, struct aws_reply *reply, struct sc_error *err)
{
	*reply = s->reply;
	memset(&s->reply, 0, sizeof(s->reply));
	if (err)
		*err = s->err;
}

/* Attempts until success, a final error or the retry policy says stop. */
static void run_sync(struct call_state *s)
{
	for (;;) {
		struct prepared p = {0};
		struct http_request req;
		struct http_response resp;
		struct sc_error herr;
		enum sc_status st;
		double delay = 0;

		s->attempts++;
		s->st = sign(s, &p, &s->err);
		if (s->st != SC_OK) {
			sc_error_prefix(&s->err, "%s", s->operation);
			return;
		}
		fill_request(s, &p, &req);
		sc_error_clear(&herr);
		st = http_perform(s->c->opt.http, &req, &resp, &herr);
		prepared_free(&p);
		if (!judge(s, st, &resp, &herr, &delay)) {
			http_response_free(&resp);
			return;
		}
		http_response_free(&resp);
		sleep_s(delay);
		if (http_aborting(s->c->opt.http)) {
			s->st = sc_fail(&s->err, SC_CANCELLED, "%s: interrupted", s->operation);
			return;
		}
	}
}

enum sc_status aws_call(struct aws_client *c, const struct aws_call *call, struct aws_reply *reply,
                        struct sc_error *err)
{
	struct call_state *s = state_new(c, call);
	enum sc_status st;

	memset(reply, 0, sizeof(*reply));
	s->st = locate(s, call->endpoint, call->path, &s->err);
	if (s->st == SC_OK)
		run_sync(s);
	conclude(s);
	st = s->st;
	hand_over(s, reply, err);
	state_free(s);
	return st;
}

/* ---- asynchronous ---------------------------------------------------------------------- */

static void async_finish(struct call_state *s)
{
	struct aws_reply reply;
	struct sc_error err;

	conclude(s);
	hand_over(s, &reply, &err);
	s->done(s->ud, s->st, &reply, &err);
	aws_reply_free(&reply);
	state_free(s);
}

static void async_attempt(struct call_state *s);

static void on_timer(void *ud, int cancelled)
{
	struct call_state *s = ud;

	if (cancelled) {
		s->st = sc_fail(&s->err, SC_CANCELLED, "%s: cancelled", s->operation);
		async_finish(s);
		return;
	}
	if (s->st != SC_OK && s->attempts == 0) {
		async_finish(s); /* bad endpoint, reported from http_run as promised */
		return;
	}
	async_attempt(s);
}

static void on_http_done(void *ud, enum sc_status st, struct http_response *resp,
                         const struct sc_error *herr)
{
	struct call_state *s = ud;
	double delay = 0;

	if (!judge(s, st, resp, herr, &delay)) {
		async_finish(s);
		return;
	}
	http_timer_add(s->c->opt.http, (long)(delay * 1000.0), on_timer, s);
}

static void async_attempt(struct call_state *s)
{
	struct prepared p = {0};
	struct http_request req;

	s->attempts++;
	s->st = sign(s, &p, &s->err);
	if (s->st != SC_OK) {
		sc_error_prefix(&s->err, "%s", s->operation);
		async_finish(s);
		return;
	}
	fill_request(s, &p, &req);
	http_submit(s->c->opt.http, &req, on_http_done, s);
	prepared_free(&p);
}

int aws_call_async(struct aws_client *c, const struct aws_call *call, aws_done_fn done, void *ud)
{
	struct call_state *s;

	if (!c || !call || !done)
		return -1;
	s = state_new(c, call);
	s->done = done;
	s->ud = ud;
	s->st = locate(s, call->endpoint, call->path, &s->err);
	/* Every attempt starts from a timer, so credentials and signing (and any failure)
	 * happen inside http_run, never inside this call. */
	http_timer_add(c->opt.http, 0, on_timer, s);
	return 0;
}

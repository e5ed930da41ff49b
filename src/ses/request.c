#include "sesctl/ses/request.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

static const struct {
	const char *id;
	const char *signing;
	const char *host;
} services[SES_SVC_COUNT] = {
#define SES_SVC_ROW(id, name, signing, host) {name, signing, host},
	SES_SERVICE_INFO(SES_SVC_ROW)
#undef SES_SVC_ROW
};

void ses_request_init(struct ses_request *r, enum ses_service svc, const char *operation,
		      const char *method)
{
	memset(r, 0, sizeof(*r));
	r->service = svc;
	r->operation = operation;
	r->method = method;
}

void ses_request_init_query(struct ses_request *r, enum ses_service svc, const char *action,
			    const char *version)
{
	ses_request_init(r, svc, action, "POST");
	buf_putc(&r->path, '/');
	r->content_type = "application/x-www-form-urlencoded; charset=utf-8";
	ses_param_add(&r->body, "Action", action);
	ses_param_add(&r->body, "Version", version);
}

void ses_request_free(struct ses_request *r)
{
	buf_free(&r->path);
	buf_free(&r->query);
	if (r->secret)
		buf_wipe(&r->body);
	else
		buf_free(&r->body);
	memset(r, 0, sizeof(*r));
}

static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

void ses_pct_append(struct buf *out, const char *s)
{
	static const char hex[] = "0123456789ABCDEF";

	buf_reserve(out, strlen(s));
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (is_unreserved(*p)) {
			buf_putc(out, (char)*p);
			continue;
		}
		buf_putc(out, '%');
		buf_putc(out, hex[*p >> 4]);
		buf_putc(out, hex[*p & 15]);
	}
}

void ses_param_add(struct buf *out, const char *key, const char *value)
{
	if (out->len)
		buf_putc(out, '&');
	ses_pct_append(out, key);
	buf_putc(out, '=');
	if (value)
		ses_pct_append(out, value);
}

void ses_param_addf(struct buf *out, const char *value, const char *key_fmt, ...)
{
	struct buf key = BUF_INIT;
	va_list ap;

	if (!value)
		return;
	va_start(ap, key_fmt);
	buf_vprintf(&key, key_fmt, ap);
	va_end(ap);
	ses_param_add(out, buf_str(&key), value);
	buf_free(&key);
}

void ses_iso8601(time_t t, char *out, size_t outlen)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%dT%H:%M:%SZ", &tm);
}

const char *ses_service_id(enum ses_service svc)
{
	return svc < SES_SVC_COUNT ? services[svc].id : "unknown";
}

const char *ses_signing_name(enum ses_service svc)
{
	return svc < SES_SVC_COUNT ? services[svc].signing : "unknown";
}

static const char *ctx_endpoint(const struct ses_ctx *ctx, enum ses_service svc)
{
	switch (svc) {
	case SES_SVC_SESV2:
		return ctx->endpoint_sesv2;
	case SES_SVC_SES:
		return ctx->endpoint_ses;
	case SES_SVC_MONITORING:
		return ctx->endpoint_monitoring;
	case SES_SVC_MAILMANAGER:
		return ctx->endpoint_mailmanager;
	case SES_SVC_STS:
		return ctx->endpoint_sts;
	case SES_SVC_SNS:
		return ctx->endpoint_sns;
	case SES_SVC_SQS:
		return ctx->endpoint_sqs;
	case SES_SVC_CLOUDTRAIL:
		return ctx->endpoint_cloudtrail;
	case SES_SVC_S3:
		return ctx->endpoint_s3;
	case SES_SVC_COUNT:
		break;
	}
	return NULL;
}

const char *ses_endpoint(const struct ses_ctx *ctx, enum ses_service svc, struct buf *scratch)
{
	const char *e = ctx_endpoint(ctx, svc);

	if (e && *e)
		return e;
	buf_reset(scratch);
	buf_printf(scratch, "https://%s.%s.amazonaws.com",
		   svc < SES_SVC_COUNT ? services[svc].host : "email",
		   ctx->region ? ctx->region : "us-east-1");
	return buf_str(scratch);
}

void ses_request_to_call(const struct ses_ctx *ctx, const struct ses_request *req,
			 struct aws_call *call, struct buf *scratch)
{
	memset(call, 0, sizeof(*call));
	call->operation = req->operation;
	call->service_id = ses_service_id(req->service);
	call->signing_name = ses_signing_name(req->service);
	call->region = ctx->region;
	call->endpoint = ses_endpoint(ctx, req->service, scratch);
	call->method = req->method;
	call->path = req->path.len ? buf_str(&req->path) : "/";
	call->query = req->query.len ? buf_str(&req->query) : NULL;
	call->content_type = req->content_type;
	call->target = req->target;
	call->body = req->body.len ? req->body.data : NULL;
	call->body_len = req->body.len;
	call->timeout_ms = ctx->timeout_ms;
	call->no_retry = req->no_retry;
	call->s3 = req->service == SES_SVC_S3;
	call->content_md5 = req->content_md5[0] ? req->content_md5 : NULL;
	call->max_reply_bytes = req->max_reply_bytes;
}

static enum sc_status check_ctx(const struct ses_ctx *ctx, const struct ses_request *req,
				struct sc_error *err)
{
	if (!ctx || !ctx->client)
		return sc_fail(err, SC_USAGE, "%s: no AWS client was set up", req->operation);
	if (!ctx->region || !*ctx->region)
		return sc_fail(err, SC_USAGE, "%s: no region is set", req->operation);
	return SC_OK;
}

enum sc_status ses_call(const struct ses_ctx *ctx, const struct ses_request *req,
			struct aws_reply *reply, struct sc_error *err)
{
	struct aws_call call;
	struct buf scratch = BUF_INIT;
	enum sc_status st;

	memset(reply, 0, sizeof(*reply));
	st = check_ctx(ctx, req, err);
	if (st != SC_OK)
		return st;
	ses_request_to_call(ctx, req, &call, &scratch);
	st = aws_call(ctx->client, &call, reply, err);
	buf_free(&scratch);
	if (st != SC_OK)
		aws_reply_free(reply); /* an error body may have been kept: err has what matters */
	return st;
}

int ses_call_async(const struct ses_ctx *ctx, const struct ses_request *req, aws_done_fn done,
		   void *ud)
{
	struct aws_call call;
	struct buf scratch = BUF_INIT;
	int rc;

	if (check_ctx(ctx, req, NULL) != SC_OK)
		return -1;
	ses_request_to_call(ctx, req, &call, &scratch);
	rc = aws_call_async(ctx->client, &call, done, ud);
	buf_free(&scratch);
	return rc;
}

static void json_sep(struct buf *b)
{
	char c = b->len ? b->data[b->len - 1] : '\0';

	if (c && c != '{' && c != '[' && c != ':')
		buf_putc(b, ',');
}

void ses_json_open(struct buf *b, char bracket)
{
	json_sep(b);
	buf_putc(b, bracket);
}

void ses_json_close(struct buf *b, char bracket)
{
	buf_putc(b, bracket);
}

static void json_quote(struct buf *b, const char *s)
{
	buf_putc(b, '"');
	for (const unsigned char *p = (const unsigned char *)s; *p; p++) {
		if (*p == '"' || *p == '\\') {
			buf_putc(b, '\\');
			buf_putc(b, (char)*p);
		} else if (*p == '\n') {
			buf_puts(b, "\\n");
		} else if (*p == '\r') {
			buf_puts(b, "\\r");
		} else if (*p == '\t') {
			buf_puts(b, "\\t");
		} else if (*p < 0x20) {
			buf_printf(b, "\\u%04x", *p);
		} else {
			buf_putc(b, (char)*p);
		}
	}
	buf_putc(b, '"');
}

void ses_json_key(struct buf *b, const char *key)
{
	json_sep(b);
	json_quote(b, key);
	buf_putc(b, ':');
}

void ses_json_str(struct buf *b, const char *s)
{
	json_sep(b);
	json_quote(b, s);
}

void ses_json_bool(struct buf *b, bool v)
{
	json_sep(b);
	buf_puts(b, v ? "true" : "false");
}

void ses_json_num(struct buf *b, double v)
{
	json_sep(b);
	buf_printf(b, "%.17g", v);
}

void ses_json_kv(struct buf *b, const char *key, const char *value)
{
	if (!value)
		return;
	ses_json_key(b, key);
	ses_json_str(b, value);
}

struct async_job {
	ses_parse_fn parse;
	void *out;
	ses_done_fn done;
	void *ud;
};

static void async_finished(void *ud, enum sc_status st, struct aws_reply *reply,
			   const struct sc_error *err)
{
	struct async_job *job = ud;
	struct sc_error perr;

	if (st == SC_OK && job->parse) {
		sc_error_clear(&perr);
		st = job->parse(reply->body.data, reply->body.len, job->out, &perr);
		err = &perr;
	}
	job->done(job->ud, st, err);
	free(job);
}

int ses_call_async_parse(const struct ses_ctx *ctx, const struct ses_request *req,
			 ses_parse_fn parse, void *out, ses_done_fn done, void *ud)
{
	struct async_job *job;
	int rc;

	if (!done)
		return -1;
	job = xcalloc(1, sizeof(*job));
	job->parse = parse;
	job->out = out;
	job->done = done;
	job->ud = ud;
	rc = ses_call_async(ctx, req, async_finished, job);
	if (rc != 0)
		free(job);
	return rc;
}

enum sc_status ses_send(const struct ses_ctx *ctx, struct ses_request *req,
			struct aws_reply *reply, struct sc_error *err)
{
	enum sc_status st = ses_call(ctx, req, reply, err);

	ses_request_free(req);
	return st;
}

static uint64_t token_hash(const char *s)
{
	uint64_t h = 1469598103934665603ULL;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

enum sc_status ses_pager_next(struct ses_pager *p, const char *token, size_t held,
			      struct sc_error *err)
{
	uint64_t h;

	p->pages++;
	if (!token)
		return SC_OK;
	if (strlen(token) > SES_TOKEN_MAX)
		return sc_fail(err, SC_BAD_REPLY,
			       "%s: the endpoint sent a page token of more than %d bytes: a bad "
			       "reply, the listing is incomplete",
			       p->op, SES_TOKEN_MAX);
	if (held > SES_HELD_ITEMS_MAX)
		return sc_fail(err, SC_BAD_REPLY,
			       "%s: more than %d items and the endpoint does not end its listing "
			       "(SES allows 10,000 identities or configuration sets per region): a "
			       "bad reply, the listing is incomplete",
			       p->op, SES_HELD_ITEMS_MAX);
	h = token_hash(token);
	for (size_t i = 0; i < p->n; i++)
		if (p->hashes[i] == h)
			return sc_fail(err, SC_BAD_REPLY,
				       "%s: the endpoint repeated a page token (page %zu gave the "
				       "token of page %zu): a bad reply, the listing is incomplete",
				       p->op, p->pages, i + 1);
	if (p->pages >= SES_PAGES_MAX)
		return sc_fail(err, SC_BAD_REPLY,
			       "%s: more than %d pages: the endpoint does not end its listing",
			       p->op, SES_PAGES_MAX);
	if (p->n == p->cap) {
		p->cap = p->cap ? p->cap * 2 : 16;
		p->hashes = xrealloc(p->hashes, p->cap * sizeof(*p->hashes));
	}
	p->hashes[p->n++] = h;
	return SC_OK;
}

void ses_pager_free(struct ses_pager *p)
{
	free(p->hashes);
	memset(p, 0, sizeof(*p));
}

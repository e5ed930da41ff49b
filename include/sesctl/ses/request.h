#ifndef SESCTL_SES_REQUEST_H
#define SESCTL_SES_REQUEST_H

/*
 * What every SES-side operation shares: the context (client, region, endpoints), one
 * built request (method, wire path, query, body) and the step that turns it into a
 * struct aws_call. The ses/ modules are split in two layers:
 *
 *   builders  sesv2_build_*, sesv1_build_* ...: pure, fill a struct ses_request;
 *   parsers   sesv2_parse_* ...: pure, reply body → model structs;
 *   wrappers  sesv2_* ...: build → ses_call() → parse.
 *
 * The sync engine can take a builder and a parser and put ses_call_async() between them.
 *
 * Every builder initialises the request first, also when it then fails on bad input, so
 * ses_request_free() is always safe after a build call.
 *
 * Ownership: struct ses_request owns its three buffers; ses_request_free() releases them
 * (wiping the body first when `secret` is set: BYODKIM private keys). The string fields
 * (operation, method, content_type, target) point to static text.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/aws/client.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

/* id, service_id (log/endpoint name), signing name, host prefix of the default endpoint */
#define SES_SERVICE_INFO(_)                                      \
	_(SESV2, "sesv2", "ses", "email")                        \
	_(SES, "ses", "ses", "email")                            \
	_(MONITORING, "monitoring", "monitoring", "monitoring")  \
	_(MAILMANAGER, "mailmanager", "ses", "mail-manager")     \
	_(STS, "sts", "sts", "sts")                              \
	_(SNS, "sns", "sns", "sns")                              \
	_(SQS, "sqs", "sqs", "sqs")                              \
	_(CLOUDTRAIL, "cloudtrail", "cloudtrail", "cloudtrail")  \
	_(S3, "s3", "s3", "s3")

enum ses_service {
#define SES_SVC_ENUM(id, name, signing, host) SES_SVC_##id,
	SES_SERVICE_INFO(SES_SVC_ENUM)
#undef SES_SVC_ENUM
	SES_SVC_COUNT
};

/* Borrowed pointers; the caller keeps them alive during calls. An endpoint left NULL
 * means https://<host prefix>.<region>.amazonaws.com. */
struct ses_ctx {
	struct aws_client *client;
	const char *region;
	const char *endpoint_sesv2;
	const char *endpoint_ses;
	const char *endpoint_monitoring;
	const char *endpoint_mailmanager;
	const char *endpoint_sts;
	const char *endpoint_sns;
	const char *endpoint_sqs;
	const char *endpoint_cloudtrail;
	const char *endpoint_s3;     /* path-style: <endpoint>/<bucket>/<key> (ses/s3.h) */
	long timeout_ms;             /* 0 → the http client's default */
};

struct ses_request {
	enum ses_service service;
	const char *operation;       /* "GetEmailIdentity" */
	const char *method;          /* "GET" ... */
	struct buf path;             /* wire path, percent-encoded, starts with '/' */
	struct buf query;            /* encoded query without '?', may be empty */
	struct buf body;             /* may be empty */
	const char *content_type;    /* NULL when there is no body */
	const char *target;          /* X-Amz-Target or NULL */
	bool no_retry;
	bool secret;                 /* the body holds a secret: wiped, never logged */
	char content_md5[32];        /* Content-MD5 (base64) to send and sign, or "" */
	size_t max_reply_bytes;      /* 0 → the http client's cap (aws_call.max_reply_bytes) */
};

/* Zero r, then set service, operation and method; path, query, body start empty. */
void ses_request_init(struct ses_request *r, enum ses_service svc, const char *operation,
		      const char *method);
void ses_request_free(struct ses_request *r);
/* A Query-protocol request (SES v1, CloudWatch, STS): POST /, form content type, body
 * "Action=<action>&Version=<version>"; add parameters with ses_param_add(&r->body, ...). */
void ses_request_init_query(struct ses_request *r, enum ses_service svc, const char *action,
			    const char *version);

/* Percent-encode s as botocore does for query strings and form bodies (everything but
 * A-Z a-z 0-9 - . _ ~, UTF-8 bytes as %XX) and append it. */
void ses_pct_append(struct buf *out, const char *s);
/* Append "&key=value" (no '&' when out is empty), both percent-encoded. A NULL value
 * appends "key=" (what botocore sends for an empty list). */
void ses_param_add(struct buf *out, const char *key, const char *value);
/* printf-style key ("Rule.Actions.member.%zu.S3Action.BucketName"); skipped when value
 * is NULL. */
void ses_param_addf(struct buf *out, const char *value, const char *key_fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* Minimal JSON writer for request bodies (hand-built so a secret is written once, into
 * a buffer that ses_request_free() wipes, and never copied into a cJSON tree). Commas
 * are inserted from the last byte written: call them in document order. */
void ses_json_open(struct buf *b, char bracket);           /* '{' or '[' */
void ses_json_close(struct buf *b, char bracket);          /* '}' or ']' */
void ses_json_key(struct buf *b, const char *key);
void ses_json_str(struct buf *b, const char *s);            /* quoted, escaped */
void ses_json_bool(struct buf *b, bool v);
void ses_json_num(struct buf *b, double v);                 /* %.17g; integers exact */
/* "key":"value", skipped when value is NULL. */
void ses_json_kv(struct buf *b, const char *key, const char *value);

/* ISO-8601 "2026-01-02T03:04:05Z" of t into out (at least 21 bytes). */
void ses_iso8601(time_t t, char *out, size_t outlen);

/* Service table lookups. */
const char *ses_service_id(enum ses_service svc);
const char *ses_signing_name(enum ses_service svc);
/* The ctx endpoint for svc, or the default URL written into scratch. */
const char *ses_endpoint(const struct ses_ctx *ctx, enum ses_service svc, struct buf *scratch);

/* Fill call from ctx and req; call borrows from req and scratch (keep both alive). An S3
 * request (SES_SVC_S3) is signed with S3's rules (aws_call.s3). */
void ses_request_to_call(const struct ses_ctx *ctx, const struct ses_request *req,
			 struct aws_call *call, struct buf *scratch);

/* Blocking call. SC_OK only for a 2xx reply, which is left in reply (aws_reply_free()).
 * On failure reply is already freed (empty). Errors as in aws/client.h; SC_USAGE when ctx
 * has no client or region. */
enum sc_status ses_call(const struct ses_ctx *ctx, const struct ses_request *req,
			struct aws_reply *reply, struct sc_error *err);
/* ses_call(), then ses_request_free(req) whatever happened (the wrappers' usual step). */
enum sc_status ses_send(const struct ses_ctx *ctx, struct ses_request *req,
			struct aws_reply *reply, struct sc_error *err);
/* Paging guard for every paginated listing. An endpoint that hands back any token it gave
 * before (not only the last one) would loop forever; one that hands out fresh tokens
 * forever would eat the machine. ses_pager_next() is called with each reply's token and
 * the number of items the caller now holds in memory: NULL → SC_OK (the last page); a
 * token seen earlier → SC_BAD_REPLY "<op>: the endpoint repeated a page token (page N)";
 * a token over SES_TOKEN_MAX bytes, more than SES_PAGES_MAX pages or more than
 * SES_HELD_ITEMS_MAX items held → SC_BAD_REPLY; else SC_OK and the token is remembered
 * (as a 64-bit hash: 8 bytes a page). A listing that streams its pages to the cache passes
 * the page's count, and is bounded by the pages and the deadline instead. Zero-initialise
 * with the operation's name; free with ses_pager_free(). */
#define SES_PAGES_MAX 20000      /* 20 million items at 1,000 a page */
#define SES_TOKEN_MAX 16384      /* SES's tokens are a few hundred bytes */
#define SES_HELD_ITEMS_MAX 200000 /* 20 x SES's 10,000 identities (or sets) per region */
struct ses_pager {
	const char *op;      /* borrowed */
	size_t pages;        /* replies seen */
	uint64_t *hashes;    /* of the tokens seen, in order */
	size_t n, cap;
};
enum sc_status ses_pager_next(struct ses_pager *p, const char *token, size_t held,
			      struct sc_error *err);
void ses_pager_free(struct ses_pager *p);

/* Asynchronous: aws_call_async() copies the call, so req may be freed on return.
 * Returns what aws_call_async returns (0 on success), -1 on a bad ctx. */
int ses_call_async(const struct ses_ctx *ctx, const struct ses_request *req, aws_done_fn done,
		   void *ud);

/* Call + parse without blocking, for the sync engine. parse (may be NULL) runs on a 2xx
 * body inside http_run(); then done() is called once with the final status (err valid only
 * during the call). A typed parser is adapted with a three-line wrapper, e.g.
 *   static enum sc_status parse_id(const char *b, size_t n, void *out, struct sc_error *e)
 *   { return sesv2_parse_get_email_identity(b, n, out, e); }
 * out must stay alive until done() runs. Returns 0 when the call was queued (then done()
 * will run), non-zero otherwise (done() will not run). */
typedef enum sc_status (*ses_parse_fn)(const char *body, size_t len, void *out,
				       struct sc_error *err);
typedef void (*ses_done_fn)(void *ud, enum sc_status st, const struct sc_error *err);
int ses_call_async_parse(const struct ses_ctx *ctx, const struct ses_request *req,
			 ses_parse_fn parse, void *out, ses_done_fn done, void *ud);

#endif

#ifndef SESCTL_AWS_CLIENT_H
#define SESCTL_AWS_CLIENT_H

/*
 * One signed AWS API call: build the URL from an endpoint and a wire path, sign it
 * (aws/sigv4.h) with credentials from the caller's provider, send it (aws/http.h), retry
 * as the SDKs' "standard" mode does, and turn an error reply into struct sc_error.
 *
 * Retries: max_attempts in total (default 3); delay = rand[0,1) * min(2^(n-1), 20) s;
 * a retry budget of 500 tokens per client (5 per retry, 10 after a timeout, none after
 * a throttling reply — the backoff answers those — and +1 back per
 * first-try success); retried: HTTP 429/500/502/503/504, throttling codes (Throttling,
 * ThrottlingException, TooManyRequestsException, RequestLimitExceeded, SlowDown,
 * RequestTimeout...), transport errors. Never retried: LimitExceededException (an SES
 * quota), other 4xx.
 *
 * Error mapping (status ← what arrived): SC_NOT_FOUND ← NotFoundException, *DoesNotExist,
 * 404 with a JSON/XML error; SC_AUTH ← SignatureDoesNotMatch, InvalidClientTokenId,
 * UnrecognizedClientException, ExpiredToken*, AccessDenied*, 403; SC_THROTTLED ← a
 * throttling code after the last attempt; SC_CONFLICT ← AlreadyExists*,
 * ConcurrentModification*, ConflictException; SC_UNSUPPORTED ← 404/405/500/501 whose body
 * is neither JSON nor XML (emulators answer unimplemented routes with HTML); SC_BAD_REPLY
 * ← a 2xx the caller cannot parse (set by the caller) or a truncated body; SC_ERR ← any
 * other service error. err->code, err->request_id and err->http_status are filled.
 * The message is "<Operation>: <service message>".
 * S3: NoSuch* (NoSuchBucket, NoSuchKey, NoSuchBucketPolicy) → SC_NOT_FOUND; InvalidAccessKeyId
 * → SC_AUTH; SlowDown is a throttling code. A HEAD reply has no body: its 404 is SC_NOT_FOUND
 * and its 403 SC_AUTH, never SC_UNSUPPORTED.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/aws/http.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

/* Credentials as the signer needs them. The strings are owned by the provider and stay
 * valid until its next call. */
struct aws_signing_creds {
	const char *access_key;
	const char *secret_key;
	const char *session_token; /* NULL for long-term keys */
};

/* Called before each attempt; returns SC_OK or fills err (SC_AUTH, SC_CONFIG...). */
typedef enum sc_status (*aws_creds_fn)(void *ud, struct aws_signing_creds *out,
				       struct sc_error *err);

/* Called after each call completes (not each attempt): for the API log. Never given
 * secrets, headers or bodies. */
struct aws_call_record {
	const char *operation;   /* "ListEmailIdentities" */
	const char *service;     /* "sesv2" | "ses" | "monitoring" | "sts" | "mailmanager" | "sns" | "sqs" | "cloudtrail" | "s3" */
	const char *region;
	long http_status;        /* last attempt's; 0 if none arrived */
	enum sc_status status;
	const char *error_code;  /* "" if none */
	const char *request_id;  /* "" if none */
	double seconds;          /* all attempts and waits */
	int retries;             /* attempts - 1 */
};
typedef void (*aws_log_fn)(void *ud, const struct aws_call_record *rec);

struct aws_client_options {
	struct http_client *http;   /* borrowed */
	aws_creds_fn creds;
	void *creds_ud;
	aws_log_fn log;             /* may be NULL */
	void *log_ud;
	int max_attempts;           /* 0 → 3 */
	unsigned retry_seed;        /* 0 → from time and pid */
	time_t (*clock)(void);      /* NULL → time(); used for the signing time */
	double backoff_scale;       /* multiplies every retry wait; 0 → 1.0 (tests use ~0.01) */
};

struct aws_client;

struct aws_client *aws_client_new(const struct aws_client_options *opt);
/* Async calls point at the client: free it only once none is pending (http_run until
 * http_pending() is 0, or http_cancel_all() first). */
void aws_client_free(struct aws_client *c);

struct aws_call {
	const char *operation;     /* for errors and the log */
	const char *service_id;    /* endpoint/log name: "sesv2", "ses", "monitoring", "sts", "s3" ... */
	const char *signing_name;  /* "ses", "sts", "monitoring" */
	const char *region;
	const char *endpoint;      /* "https://email.eu-west-1.amazonaws.com" or with a path prefix */
	const char *method;        /* "GET" ... */
	const char *path;          /* wire path, percent-encoded, starting with '/' */
	const char *query;         /* encoded query without '?', or NULL */
	const char *content_type;  /* NULL when there is no body */
	const char *target;        /* X-Amz-Target, or NULL */
	const char *body;
	size_t body_len;
	long timeout_ms;           /* 0 → http client default */
	bool no_retry;             /* e.g. for non-idempotent test sends */
	/* S3: sign with S3's rules (the wire path is the canonical URI, no second encoding,
	 * no normalisation) and send and sign x-amz-content-sha256: <hex SHA-256 of body>. */
	bool s3;
	const char *content_md5;   /* Content-MD5 (base64), sent and signed; or NULL */
	size_t max_reply_bytes;    /* 0 → the http client's cap; else the smaller: a bigger
	                            * reply fails with SC_BAD_REPLY and is not retried */
};

struct aws_reply {
	long http_status;
	struct buf body;           /* owned; aws_reply_free() */
	char request_id[96];
	int attempts;
	double seconds;
};

/* Blocking call with retries. SC_OK only for a 2xx reply. */
enum sc_status aws_call(struct aws_client *c, const struct aws_call *call,
			struct aws_reply *reply, struct sc_error *err);

/* Asynchronous call on the http client's multi handle, with the same retry policy (the
 * backoff waits are timers inside http_run, never sleeps). done() is called once from
 * http_run(); reply is valid only during the call. The call struct and its strings are
 * copied. */
typedef void (*aws_done_fn)(void *ud, enum sc_status st, struct aws_reply *reply,
			    const struct sc_error *err);
int aws_call_async(struct aws_client *c, const struct aws_call *call, aws_done_fn done,
		   void *ud);

void aws_reply_free(struct aws_reply *r);

/* Percent-encode one path segment (everything but unreserved) and append it to out. */
void aws_path_append(struct buf *out, const char *segment);

/* Parse an error body (JSON or XML) into err (code, message, request id); returns true
 * when the body was a recognisable AWS error. Exposed for tests and fuzzing. */
bool aws_parse_error_body(const char *body, size_t len, const char *error_type_header,
			  struct sc_error *err);

/* Counters since the client was made (for sync reports and benchmarks). */
struct aws_client_stats {
	unsigned long calls, attempts, retries, throttled, failures;
	int retry_tokens;
};
void aws_client_stats(const struct aws_client *c, struct aws_client_stats *out);

#endif

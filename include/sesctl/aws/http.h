#ifndef SESCTL_AWS_HTTP_H
#define SESCTL_AWS_HTTP_H

/*
 * HTTP transport on the libcurl multi interface. Knows nothing of AWS: no signing, no
 * retries (those live in aws/client.h). One struct http_client owns one CURLM and its
 * connection pool; it is single-threaded.
 *
 * Policy enforced here, for every request: TLS peer and host verification always on
 * (CA bundle from http_options.ca_bundle when set); plain http:// only to loopback
 * (127.0.0.0/8, ::1, localhost) — anything else fails with SC_NETWORK and a sentence
 * saying so, before any connection; redirects never followed; replies larger than
 * max_response_bytes abort with SC_BAD_REPLY; connect and total timeouts.
 *
 * Two ways to run a request:
 *  - http_perform(): blocking, for start-up work (credential providers, CLI verbs);
 *  - http_submit() + http_run(): asynchronous, completions delivered by callback from
 *    inside http_run(), which also waits on the caller's extra fds (stdin, c-ares).
 */

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

struct http_client;

struct http_options {
	long connect_timeout_ms;   /* 0 → 5000 */
	long timeout_ms;           /* whole request; 0 → 30000 */
	const char *ca_bundle;     /* PEM file, or NULL for the system store */
	size_t max_response_bytes; /* 0 → 64 MiB */
	long max_host_connections; /* 0 → 8 */
	const char *user_agent;    /* NULL → http_user_agent_base() */
};

struct http_request {
	const char *method;          /* "GET" "POST" "PUT" "DELETE" */
	const char *url;             /* absolute; path already percent-encoded */
	const char *const *headers;  /* NULL-terminated "Name: value" lines, may be NULL */
	const void *body;            /* sent byte for byte; may be NULL */
	size_t body_len;
	long timeout_ms;             /* 0 → client default */
	long connect_timeout_ms;     /* 0 → client default */
	size_t max_response_bytes;   /* cap on a 2xx body (the smaller of this and the
	                              * client's); 0 → none; error replies get the client's */
	/* Credential providers only: also allow plain http:// to the fixed link-local
	 * metadata addresses (IMDS 169.254.169.254 / [fd00:ec2::254], ECS/EKS agents
	 * 169.254.170.2, 169.254.170.23, [fd00:ec2::23]), as the AWS SDKs do. */
	bool metadata_ok;
};

/* What went wrong below HTTP (additive, for the retry policy in aws/client.c). */
enum http_failure {
	HTTP_FAIL_NONE,      /* a reply arrived */
	HTTP_FAIL_POLICY,    /* refused before connecting: URL or scheme not allowed */
	HTTP_FAIL_CONNECT,   /* DNS, refused, reset, closed without a reply */
	HTTP_FAIL_TIMEOUT,   /* connect or total timeout */
	HTTP_FAIL_TLS,       /* handshake or certificate failure */
	HTTP_FAIL_TRUNCATED, /* connection dropped mid-body (SC_BAD_REPLY) */
	HTTP_FAIL_OVERSIZE,  /* reply over max_response_bytes (SC_BAD_REPLY) */
	HTTP_FAIL_CANCELLED, /* the abort flag was set mid-transfer (SC_CANCELLED) */
	HTTP_FAIL_OTHER
};

struct http_response {
	long status;              /* HTTP status; 0 when no reply arrived */
	enum http_failure failure; /* HTTP_FAIL_NONE when the call returned SC_OK */
	struct buf body;          /* owned; http_response_free() releases */
	char request_id[96];      /* x-amzn-RequestId or x-amz-request-id, if any */
	char error_type[128];     /* x-amzn-ErrorType, if any */
	char content_type[128];
	double seconds;           /* wall time of the transfer */
};

struct http_client *http_client_new(const struct http_options *opt);
/* Cancels whatever is still pending first (done() and timers fire as cancelled). */
void http_client_free(struct http_client *c);

/* Returns SC_OK when any HTTP reply arrived (whatever its status: the caller judges
 * 4xx/5xx). Transport failures: SC_NETWORK (refused, DNS, timeout, TLS, policy) with a
 * sentence naming the host, or SC_BAD_REPLY (oversize, truncated). resp is filled in
 * both cases and must be freed with http_response_free. */
enum sc_status http_perform(struct http_client *c, const struct http_request *req,
			    struct http_response *resp, struct sc_error *err);

void http_response_free(struct http_response *resp);

/* Asynchronous use. done() is called exactly once from inside http_run() (or from
 * http_cancel_all()) with the same meaning as http_perform's result; resp is valid only
 * during the call (copy or buf_steal what you keep). The request and its strings are
 * copied at submit time. Returns 0, or -1 if the request was refused up front (bad URL,
 * policy) — then done() is still called, from the next http_run(). */
typedef void (*http_done_fn)(void *ud, enum sc_status st, struct http_response *resp,
			     const struct sc_error *err);
int http_submit(struct http_client *c, const struct http_request *req, http_done_fn done,
		void *ud);

/* Extra descriptors to wait on besides the transfers (poll(2) semantics for events;
 * revents filled on return). */
struct http_waitfd {
	int fd;
	short events;
	short revents;
};

/* Drive transfers: wait up to timeout_ms (negative counts as 0) for activity on
 * transfers, extra fds or the next timer, perform, deliver completions, fire due timers.
 * Returns http_pending() afterwards. */
int http_run(struct http_client *c, int timeout_ms, struct http_waitfd *extra, unsigned n_extra);

/* Number of transfers in flight, plus armed timers (so `while (http_run(...) > 0)` also
 * waits out retry backoffs). */
int http_pending(const struct http_client *c);

/* One-shot timer (additive): fn(ud, false) is called from inside http_run() once delay_ms
 * have passed (monotonic clock); http_run() wakes up for it. http_cancel_all() calls
 * fn(ud, true) instead. aws/client.c uses it for retry backoff in the async path. */
typedef void (*http_timer_fn)(void *ud, int cancelled);
void http_timer_add(struct http_client *c, long delay_ms, http_timer_fn fn, void *ud);

/* Abort every transfer; each done() gets SC_CANCELLED. Pending timers fire with
 * cancelled = 1. */
void http_cancel_all(struct http_client *c);
/* A flag a signal handler sets (Ctrl-C): http_run() then cancels every transfer at once
 * (each finishes with SC_CANCELLED) instead of waiting for slow replies. NULL: none. */
void http_set_abort(struct http_client *c, const volatile sig_atomic_t *flag);
/* Whether that flag is set (a caller about to sleep before a retry stops instead). */
bool http_aborting(const struct http_client *c);

/*
 * The User-Agent, in the AWS SDKs' convention, so CloudTrail's userAgent names the tool:
 *   sesctl/0.1.0 ua/2.1 os/linux#6.1.0-18-amd64 lang/c md/curl#7.88.1
 * and, while a change made with --reason runs, that reason as a trailing comment:
 *   … md/curl#7.88.1 (reason: INC-4711 bounce spike)
 * so anyone reading the account's CloudTrail, with any tool, sees why. The comment is
 * built by http_ua_reason_clean(): printable ASCII only (tabs and line breaks become
 * spaces, every other byte outside 0x20–0x7e is dropped, so no escape sequence or header
 * line can be forged), parentheses become brackets and backslashes slashes (the comment
 * cannot be closed early), runs of spaces collapse, anything shaped like an AWS access key
 * id or a secret key, and each string of secrets, becomes "[redacted]", and the result is
 * cut to HTTP_UA_REASON_MAX bytes ("..." marks a cut). Empty after cleaning → no comment.
 */
#define HTTP_UA_REASON_OPEN "(reason: "
#define HTTP_UA_REASON_MAX 200
/* "sesctl/<version> ua/2.1 os/<sysname>#<release> lang/c md/curl#<version>" into out. */
void http_user_agent_base(char *out, size_t outlen);
/* Clean reason into out (at least HTTP_UA_REASON_MAX + 1 bytes); secrets: NULL-terminated
 * strings never to be sent (the credentials in use), may be NULL. Returns strlen(out). */
size_t http_ua_reason_clean(const char *reason, const char *const *secrets, char *out,
			    size_t outlen);
/* Carry reason (cleaned as above) on every request from now on; NULL or "" stops it. */
void http_set_reason(struct http_client *c, const char *reason, const char *const *secrets);
/* The User-Agent the next request sends (borrowed, valid until the next set). */
const char *http_user_agent(const struct http_client *c);

/* True when url is http:// to a loopback host, or https://. Fills err otherwise. */
int http_url_allowed(const char *url, struct sc_error *err);
/* The same, also allowing the metadata addresses of http_request.metadata_ok. */
int http_url_allowed_metadata(const char *url, struct sc_error *err);

#endif

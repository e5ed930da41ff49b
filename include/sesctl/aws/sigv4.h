#ifndef SESCTL_AWS_SIGV4_H
#define SESCTL_AWS_SIGV4_H

/*
 * AWS Signature Version 4, header form (AWS4-HMAC-SHA256), on OpenSSL. Pure: no I/O,
 * no clock (the caller passes the time), no allocation visible to the caller beyond
 * struct sigv4_result, which sigv4_result_free() releases.
 *
 * Path: the signer URI-encodes the path it is given once more (non-S3 rule), after
 * normalising it (remove "." and ".." segments, collapse "//"). Production passes the
 * wire path, already encoded (".../identities/user%40example.com" is signed as
 * ".../user%2540example.com"); the AWS test suite passes its raw paths.
 *
 * S3 (in->s3): the path is the canonical URI as given — the wire path, encoded once by the
 * caller, not encoded again and not normalised ("//" and "." segments stay), as botocore's
 * S3SigV4Auth does; "" is "/". The caller also sends and signs x-amz-content-sha256 (the
 * hex SHA-256 of the body, or UNSIGNED-PAYLOAD) and passes the same value as payload_hash.
 *
 * Query: the raw query string from the URL (without '?'), or NULL/"". Each key and value
 * is percent-decoded, then re-encoded (RFC 3986 unreserved kept, space as %20), pairs
 * sorted by key then value, "key=" emitted for empty values.
 *
 * Headers: exactly the headers to sign, as the caller will send them (host — with the
 * port when not default — and x-amz-date must be among them; x-amz-security-token too
 * when a session token is used). Names are lower-cased, values trimmed with inner runs
 * of spaces folded, repeated names joined with ',' in the order given, sorted by name.
 *
 * Payload: body/body_len hashed with SHA-256, unless payload_hash (64 lower hex) is set.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/util/buf.h"

struct sigv4_header {
	const char *name;
	const char *value;
};

struct sigv4_input {
	const char *method;       /* "GET", "POST", ... */
	const char *path;         /* see above; "" is treated as "/" */
	const char *query;        /* raw query string, may be NULL */
	const struct sigv4_header *headers;
	size_t n_headers;
	const void *body;         /* may be NULL when body_len is 0 */
	size_t body_len;
	const char *payload_hash; /* optional precomputed hex SHA-256 */
	const char *access_key;
	const char *secret_key;   /* never copied into the result */
	const char *region;       /* "us-east-1" */
	const char *service;      /* "ses", "sts", "monitoring" */
	time_t when;              /* signing time, UTC */
	bool s3;                  /* S3's rules for the canonical URI, see above */
};

struct sigv4_result {
	struct buf canonical_request;
	struct buf string_to_sign;
	struct buf authorization;  /* the full Authorization header value */
	char signature[65];        /* lower hex */
	char amz_date[17];         /* "20150830T123600Z" */
	char signed_headers[512];  /* "host;x-amz-date" */
};

/* Format t as "YYYYMMDDTHHMMSSZ" into out[17] ("" when the year is outside 0..9999). */
void sigv4_amz_date(time_t t, char out[17]);

/* Sign. Returns 0, or -1 when the input is unusable (missing field, header list too
 * long); the result is then empty. The caller frees res with sigv4_result_free.
 * Also -1 when: host is missing or empty, x-amz-date is missing, repeated or differs
 * from sigv4_amz_date(when), a header name is not an HTTP token (RFC 9110), access
 * key/region/service are empty or hold '/' or blanks, payload_hash is not 64 lower hex
 * (S3 also takes "UNSIGNED-PAYLOAD"), an S3 path does not start with '/' or holds a byte
 * that is not printable ASCII.
 * res is overwritten on entry (free a previous result first). */
int sigv4_sign(const struct sigv4_input *in, struct sigv4_result *res);
void sigv4_result_free(struct sigv4_result *res);

/* sigv4_sign keeps the last signing key it derived (valid for one date/region/service) in
 * a per-thread cache, matched by a SHA-256 fingerprint of the secret. Wipe the calling
 * thread's cache, e.g. when credentials are dropped or at exit. */
void sigv4_cache_wipe(void);

/* Derive the signing key HMAC(HMAC(HMAC(HMAC("AWS4"+secret, date8), region), service),
 * "aws4_request") into out[32]; date8 is "YYYYMMDD". Returns 0, or -1 on unusable input.
 * out is key material: the caller wipes it (secure_zero) when done. */
int sigv4_signing_key(const char *secret_key, const char *date8, const char *region,
		      const char *service, unsigned char out[32]);

/* Percent-encode for a URL path segment or query component: everything but
 * A-Z a-z 0-9 - . _ ~ becomes %XX (upper hex). keep_slash leaves '/' alone. */
void sigv4_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash);

/* Lower-hex SHA-256 of data into out[65]. */
void sigv4_sha256_hex(const void *data, size_t len, char out[65]);

#endif

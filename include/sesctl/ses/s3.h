#ifndef SESCTL_SES_S3_H
#define SESCTL_SES_S3_H

/*
 * Amazon S3, the little sesctl needs of it: list a prefix, fetch objects of bounded size
 * (DMARC aggregate reports that an SES receipt rule's S3 action drops there), and read,
 * check and write the bucket policy that lets SES put them there.
 *
 * Protocol: REST-XML, signed with S3's SigV4 rules (aws_call.s3: the wire path is the
 * canonical URI, no second encoding, no normalisation; x-amz-content-sha256 signed).
 *
 * Addressing: path-style everywhere, "<endpoint>/<bucket>/<key>", where the endpoint is
 * ctx->endpoint_s3 or https://s3.<region>.amazonaws.com. Virtual-hosted style
 * (<bucket>.s3.<region>.amazonaws.com) would need a per-request host, which the endpoint
 * layer does not have; path-style works on every endpoint, on emulators and on buckets
 * whose names hold dots (which break virtual-hosted TLS anyway). A bucket in another
 * region answers PermanentRedirect (SC_ERR): ask s3_get_bucket_location() first.
 *
 * Keys go on the wire percent-encoded per segment with '/' kept (botocore's {Key+}):
 * "a b/c+d" → "/bucket/a%20b/c%2Bd"; "//" and "." segments stay as they are.
 *
 * Layers, as in ses/request.h: builders (s3_build_*) fill a struct ses_request and are
 * pure; parsers (s3_parse_*) turn a reply body into structs and are pure; wrappers (s3_*)
 * build, call and parse. Every builder initialises the request first, also when it then
 * fails on bad input (SC_USAGE), so ses_request_free() is always safe.
 *
 * Errors: S3 answers <Error><Code>…</Code><Message>…</Message></Error>; aws/client.c maps
 * NoSuchBucket / NoSuchKey / NoSuchBucketPolicy → SC_NOT_FOUND, AccessDenied and
 * InvalidAccessKeyId → SC_AUTH, SlowDown → retried, then SC_THROTTLED. A reply that
 * cannot be parsed is SC_BAD_REPLY "<Op>: …". Parsers refuse DOCTYPEs (entity bombs) and
 * non-UTF-8 declarations (ses/xmlr.h).
 *
 * Ownership: every struct filled here owns its strings; free with the matching *_free().
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/ses/request.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

#define S3_BUCKET_MIN 3
#define S3_BUCKET_MAX 63
#define S3_KEY_MAX    1024 /* bytes of UTF-8, S3's limit */
#define S3_LIST_MAX   1000 /* max-keys S3 honours */
/* A listing bigger than this many keys is refused (a DMARC prefix holds a few per day). */
#define S3_LIST_HELD_MAX 200000

/* ---- names ------------------------------------------------------------------------- */

/* NULL when name is a valid bucket name for new buckets (3–63 bytes of a-z 0-9 . -,
 * starting and ending with a letter or digit, no "..", not shaped like an IPv4 address,
 * no "xn--" prefix, no "-s3alias"/"--ol-s3" suffix), else why not (static text). */
const char *s3_bucket_name_problem(const char *name);

struct s3_uri {
	char bucket[S3_BUCKET_MAX + 1];
	char prefix[S3_KEY_MAX + 1]; /* may be "" (the whole bucket) */
};

/* "s3://bucket", "s3://bucket/", "s3://bucket/prefix/" → bucket + prefix (everything
 * after the first '/' after the bucket, verbatim). SC_USAGE with a sentence naming the
 * problem: not s3://, bad bucket name (and why), prefix longer than S3_KEY_MAX, a control
 * byte or invalid UTF-8 in the prefix. out is zeroed first. */
enum sc_status s3_parse_uri(const char *uri, struct s3_uri *out, struct sc_error *err);

/* Append "/<bucket>" and, when key is non-NULL, "/<key encoded per segment>" to out. */
void s3_path_append(struct buf *out, const char *bucket, const char *key);

/* ---- builders ----------------------------------------------------------------------- */

struct s3_list_opts {
	const char *prefix;             /* NULL or "" → none */
	const char *continuation_token; /* NULL → none */
	const char *start_after;        /* NULL → none */
	int max_keys;                   /* 0 → S3's default (1000); else 1..1000 */
};

/* GET /<bucket>?list-type=2[&max-keys][&prefix][&continuation-token][&start-after],
 * parameters in botocore's order. */
enum sc_status s3_build_list_objects_v2(struct ses_request *r, const char *bucket,
                                        const struct s3_list_opts *o, struct sc_error *err);
/* GET /<bucket>/<key>; r->max_reply_bytes = max_bytes (0 → the http client's cap). Keys
 * are 1..S3_KEY_MAX bytes. */
enum sc_status s3_build_get_object(struct ses_request *r, const char *bucket, const char *key,
                                   size_t max_bytes, struct sc_error *err);
enum sc_status s3_build_head_bucket(struct ses_request *r, const char *bucket,
                                    struct sc_error *err);
enum sc_status s3_build_get_bucket_location(struct ses_request *r, const char *bucket,
                                            struct sc_error *err);
enum sc_status s3_build_get_bucket_policy(struct ses_request *r, const char *bucket,
                                          struct sc_error *err);
/* PUT /<bucket>?policy with the JSON body and Content-MD5 (the model marks the operation
 * requestChecksumRequired). The policy must be a JSON object (else SC_USAGE). */
enum sc_status s3_build_put_bucket_policy(struct ses_request *r, const char *bucket,
                                          const char *policy_json, struct sc_error *err);

/* ---- parsers ------------------------------------------------------------------------ */

struct s3_object {
	char *key;
	int64_t size;         /* bytes; -1 when the reply had none */
	char etag[72];        /* without the quotes; "" when none */
	time_t last_modified; /* 0 when none */
};

struct s3_list_page {
	struct s3_object *items;
	size_t n;
	bool truncated;   /* IsTruncated */
	char *next_token; /* NextContinuationToken, or NULL on the last page */
};

/* <ListBucketResult>. SC_BAD_REPLY on: not XML, a DOCTYPE, another root, a <Contents>
 * without a usable <Key> (empty, over S3_KEY_MAX, control bytes), a negative or
 * non-numeric <Size>, an unparseable <LastModified>, IsTruncated true without a token,
 * more than S3_LIST_MAX entries. out is zeroed first; freed on failure. */
enum sc_status s3_parse_list_objects_v2(const char *body, size_t len, struct s3_list_page *out,
                                        struct sc_error *err);
void s3_list_page_free(struct s3_list_page *p);

/* <LocationConstraint>: empty → "us-east-1", "EU" → "eu-west-1", else the region (which
 * must look like one). */
enum sc_status s3_parse_bucket_location(const char *body, size_t len, char *region,
                                        size_t region_len, struct sc_error *err);

/* ---- wrappers ----------------------------------------------------------------------- */

/* One page. */
enum sc_status s3_list_objects_v2(const struct ses_ctx *ctx, const char *bucket,
                                  const struct s3_list_opts *o, struct s3_list_page *out,
                                  struct sc_error *err);

struct s3_object_list {
	struct s3_object *items;
	size_t n, cap;
};
/* Every object under prefix (NULL → the whole bucket), page by page (page_size 0 →
 * 1000), through a struct ses_pager (repeated tokens, runaway listings → SC_BAD_REPLY);
 * more than max_items objects (0 → S3_LIST_HELD_MAX) → SC_REFUSED. out is zeroed first
 * and freed on failure. */
enum sc_status s3_list_all(const struct ses_ctx *ctx, const char *bucket, const char *prefix,
                           int page_size, size_t max_items, struct s3_object_list *out,
                           struct sc_error *err);
void s3_object_list_free(struct s3_object_list *l);

/* The object's bytes into out (reset first; owned by the caller, buf_free()). listed_size
 * is the size a listing gave (-1 when unknown): over max_bytes → SC_REFUSED before any
 * request. The reply body is capped at max_bytes too: a bigger one fails SC_BAD_REPLY
 * ("larger than the N-byte limit") without being buffered. max_bytes must be > 0. */
enum sc_status s3_get_object(const struct ses_ctx *ctx, const char *bucket, const char *key,
                             int64_t listed_size, size_t max_bytes, struct buf *out,
                             struct sc_error *err);

/* SC_OK when the bucket exists and these credentials may use it; SC_NOT_FOUND (404) with
 * "HeadBucket: bucket X does not exist"; SC_AUTH (403) "… exists but access is denied". */
enum sc_status s3_head_bucket(const struct ses_ctx *ctx, const char *bucket, struct sc_error *err);
enum sc_status s3_get_bucket_location(const struct ses_ctx *ctx, const char *bucket, char *region,
                                      size_t region_len, struct sc_error *err);
/* *policy_json: malloc'd policy text (caller frees), NULL on failure. No policy →
 * SC_NOT_FOUND "GetBucketPolicy: bucket X has no bucket policy". */
enum sc_status s3_get_bucket_policy(const struct ses_ctx *ctx, const char *bucket,
                                    char **policy_json, struct sc_error *err);
enum sc_status s3_put_bucket_policy(const struct ses_ctx *ctx, const char *bucket,
                                    const char *policy_json, struct sc_error *err);

/* ---- the bucket policy that lets SES write ------------------------------------------ */

/* What an SES receipt rule's S3 action needs: ses.amazonaws.com may s3:PutObject under
 * arn:aws:s3:::<bucket>/<prefix>*, for this account's rule only. All strings borrowed. */
struct s3_ses_grant {
	const char *bucket;
	const char *prefix;     /* NULL or "" → the whole bucket */
	const char *account_id; /* 12 digits */
	const char *region;
	const char *rule_set;
	const char *rule;
};

/* The statement's Sid: "sesctl-dmarc-<rule>" with every byte outside [A-Za-z0-9] mapped
 * to '-' (IAM Sids are alphanumeric-ish; distinct rule names may collide, which only
 * means one statement for both). Written into out (at least 160 bytes). */
void s3_policy_sid(const struct s3_ses_grant *g, char *out, size_t outlen);

/* The statement as compact JSON (malloc'd, caller frees), or NULL with SC_USAGE for a
 * bad grant (bucket name, account id not 12 digits, empty region/rule set/rule). */
char *s3_policy_ses_statement(const struct s3_ses_grant *g, struct sc_error *err);

/* existing (NULL or "" → a new policy {"Version":"2012-10-17","Statement":[]}) with the
 * statement added, replacing any statement with the same Sid; all other statements and
 * keys are kept. A Statement that is a single object is turned into an array. *out is
 * malloc'd JSON (caller frees). SC_USAGE when existing is not a JSON object or its
 * Statement is neither an object nor an array. */
enum sc_status s3_policy_merge(const char *existing, const struct s3_ses_grant *g, char **out,
                               struct sc_error *err);

/* Whether policy already lets SES put under the grant's prefix: some statement with
 * Effect Allow, Principal {"Service": "ses.amazonaws.com" (or a list holding it)}, Action
 * s3:PutObject (or s3:*, "*", or a list holding one of them), a Resource (string or list)
 * that covers arn:aws:s3:::<bucket>/<prefix>* (equal, or a trailing-'*' pattern whose
 * stem is a prefix of it), and conditions that, if present, name this account
 * (AWS:SourceAccount) and an ArnLike/ArnEquals/StringEquals/StringLike AWS:SourceArn
 * matching this rule (exactly or as a '*' pattern). A Deny for the same principal and
 * action makes it false. *grants false and SC_OK when not; SC_USAGE for text that is not
 * a policy. */
enum sc_status s3_policy_grants(const char *policy, const struct s3_ses_grant *g, bool *grants,
                                struct sc_error *err);

#endif

/* Amazon S3: path-style REST-XML requests for the DMARC report import, and the bucket
 * policy that lets SES's receipt-rule S3 action write there. */
#include "sesctl/ses/s3.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/aws/sigv4.h"
#include "sesctl/aws/xml.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/text.h"

/* ---- names ------------------------------------------------------------------------- */

static bool is_lower_digit(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9');
}

static bool looks_like_ipv4(const char *s)
{
	int dots = 0, digits = 0;

	for (; *s; s++) {
		if (*s == '.') {
			if (!digits)
				return false;
			dots++;
			digits = 0;
		} else if (*s >= '0' && *s <= '9') {
			digits++;
		} else {
			return false;
		}
	}
	return dots == 3 && digits;
}

static bool ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);

	return n >= m && strcmp(s + n - m, suffix) == 0;
}

const char *s3_bucket_name_problem(const char *name)
{
	size_t n;

	if (!name || !*name)
		return "the bucket name is empty";
	n = strlen(name);
	if (n < S3_BUCKET_MIN || n > S3_BUCKET_MAX)
		return "a bucket name is 3 to 63 characters long";
	for (size_t i = 0; i < n; i++)
		if (!is_lower_digit(name[i]) && name[i] != '.' && name[i] != '-')
			return "a bucket name holds only lower-case letters, digits, dots and "
			       "hyphens";
	if (!is_lower_digit(name[0]) || !is_lower_digit(name[n - 1]))
		return "a bucket name starts and ends with a letter or digit";
	if (strstr(name, ".."))
		return "a bucket name has no two adjacent dots";
	if (looks_like_ipv4(name))
		return "a bucket name is not shaped like an IP address";
	if (strncmp(name, "xn--", 4) == 0 || strncmp(name, "sthree-", 7) == 0)
		return "a bucket name does not start with \"xn--\" or \"sthree-\"";
	if (ends_with(name, "-s3alias") || ends_with(name, "--ol-s3"))
		return "a bucket name does not end with \"-s3alias\" or \"--ol-s3\"";
	return NULL;
}

/* Printable UTF-8 without C0/DEL control bytes. */
static bool key_text_ok(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)s[i] < 0x20 || s[i] == 0x7f)
			return false;
	return text_utf8_valid(s, n);
}

enum sc_status s3_parse_uri(const char *uri, struct s3_uri *out, struct sc_error *err)
{
	const char *b, *slash, *why;
	size_t bn;

	memset(out, 0, sizeof(*out));
	if (!uri || strncmp(uri, "s3://", 5) != 0)
		return sc_fail(err, SC_USAGE, "\"%.80s\" is not an S3 URI (s3://bucket/prefix/)",
		               uri ? uri : "");
	b = uri + 5;
	slash = strchr(b, '/');
	bn = slash ? (size_t)(slash - b) : strlen(b);
	if (bn == 0)
		return sc_fail(err, SC_USAGE, "\"%.80s\" names no bucket (s3://bucket/prefix/)",
		               uri);
	if (bn > S3_BUCKET_MAX)
		return sc_fail(err, SC_USAGE,
		               "bucket \"%.64s...\": a bucket name is 3 to 63 "
		               "characters long",
		               b);
	memcpy(out->bucket, b, bn);
	out->bucket[bn] = '\0';
	why = s3_bucket_name_problem(out->bucket);
	if (why) {
		char shown[S3_BUCKET_MAX + 1];

		str_copy(shown, sizeof(shown), out->bucket);
		memset(out, 0, sizeof(*out));
		return sc_fail(err, SC_USAGE, "bucket \"%s\" in %s: %s", text_token_clean(shown),
		               "the S3 URI", why);
	}
	if (slash) {
		const char *p = slash + 1;
		size_t pn = strlen(p);

		if (pn > S3_KEY_MAX) {
			memset(out, 0, sizeof(*out));
			return sc_fail(err, SC_USAGE,
			               "the prefix in the S3 URI is longer than %d bytes",
			               S3_KEY_MAX);
		}
		if (!key_text_ok(p, pn)) {
			memset(out, 0, sizeof(*out));
			return sc_fail(err, SC_USAGE,
			               "the prefix in the S3 URI holds a control "
			               "character or invalid UTF-8");
		}
		memcpy(out->prefix, p, pn + 1);
	}
	return SC_OK;
}

void s3_path_append(struct buf *out, const char *bucket, const char *key)
{
	buf_putc(out, '/');
	ses_pct_append(out, bucket);
	if (key) {
		buf_putc(out, '/');
		sigv4_uri_encode(out, key, strlen(key), 1);
	}
}

/* ---- builders ----------------------------------------------------------------------- */

/* What may go on the wire: the new-bucket rules, or a legacy name (us-east-1 once took
 * upper case and underscores, up to 255 bytes). */
static enum sc_status check_bucket(const char *op, const char *bucket, struct sc_error *err)
{
	size_t n = bucket ? strlen(bucket) : 0;

	if (n < S3_BUCKET_MIN || n > 255)
		return sc_fail(err, SC_USAGE, "%s: a bucket name is 3 to 63 characters long", op);
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)bucket[i]) && !strchr(".-_", bucket[i]))
			return sc_fail(err, SC_USAGE,
			               "%s: a bucket name holds only letters, digits, dots and "
			               "hyphens",
			               op);
	return SC_OK;
}

static enum sc_status init_bucket(struct ses_request *r, const char *op, const char *method,
                                  const char *bucket, const char *subresource, struct sc_error *err)
{
	enum sc_status st;

	ses_request_init(r, SES_SVC_S3, op, method);
	st = check_bucket(op, bucket, err);
	if (st != SC_OK)
		return st;
	s3_path_append(&r->path, bucket, NULL);
	if (subresource)
		buf_puts(&r->query, subresource);
	return SC_OK;
}

enum sc_status s3_build_list_objects_v2(struct ses_request *r, const char *bucket,
                                        const struct s3_list_opts *o, struct sc_error *err)
{
	static const char op[] = "ListObjectsV2";
	enum sc_status st = init_bucket(r, op, "GET", bucket, "list-type=2", err);
	char num[16];

	if (st != SC_OK || !o)
		return st;
	if (o->max_keys < 0 || o->max_keys > S3_LIST_MAX)
		return sc_fail(err, SC_USAGE, "%s: max-keys is 1 to %d", op, S3_LIST_MAX);
	if (o->prefix && strlen(o->prefix) > S3_KEY_MAX)
		return sc_fail(err, SC_USAGE, "%s: the prefix is longer than %d bytes", op,
		               S3_KEY_MAX);
	if (o->max_keys) {
		snprintf(num, sizeof(num), "%d", o->max_keys);
		ses_param_add(&r->query, "max-keys", num);
	}
	if (o->prefix && *o->prefix)
		ses_param_add(&r->query, "prefix", o->prefix);
	if (o->continuation_token)
		ses_param_add(&r->query, "continuation-token", o->continuation_token);
	if (o->start_after)
		ses_param_add(&r->query, "start-after", o->start_after);
	return SC_OK;
}

enum sc_status s3_build_get_object(struct ses_request *r, const char *bucket, const char *key,
                                   size_t max_bytes, struct sc_error *err)
{
	static const char op[] = "GetObject";
	enum sc_status st;

	ses_request_init(r, SES_SVC_S3, op, "GET");
	st = check_bucket(op, bucket, err);
	if (st != SC_OK)
		return st;
	if (!key || !*key || strlen(key) > S3_KEY_MAX)
		return sc_fail(err, SC_USAGE, "%s: an object key is 1 to %d bytes", op, S3_KEY_MAX);
	s3_path_append(&r->path, bucket, key);
	r->max_reply_bytes = max_bytes;
	return SC_OK;
}

enum sc_status s3_build_head_bucket(struct ses_request *r, const char *bucket, struct sc_error *err)
{
	return init_bucket(r, "HeadBucket", "HEAD", bucket, NULL, err);
}

enum sc_status s3_build_get_bucket_location(struct ses_request *r, const char *bucket,
                                            struct sc_error *err)
{
	return init_bucket(r, "GetBucketLocation", "GET", bucket, "location", err);
}

enum sc_status s3_build_get_bucket_policy(struct ses_request *r, const char *bucket,
                                          struct sc_error *err)
{
	return init_bucket(r, "GetBucketPolicy", "GET", bucket, "policy", err);
}

/* base64(MD5(data)) into out[25]. */
static void content_md5(const void *data, size_t len, char out[32])
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	out[0] = '\0';
	if (EVP_Digest(data, len, md, &n, EVP_md5(), NULL) && n == 16)
		EVP_EncodeBlock((unsigned char *)out, md, 16);
}

enum sc_status s3_build_put_bucket_policy(struct ses_request *r, const char *bucket,
                                          const char *policy_json, struct sc_error *err)
{
	static const char op[] = "PutBucketPolicy";
	enum sc_status st = init_bucket(r, op, "PUT", bucket, "policy", err);
	cJSON *j;

	if (st != SC_OK)
		return st;
	j = policy_json ? cJSON_Parse(policy_json) : NULL;
	if (!cJSON_IsObject(j)) {
		cJSON_Delete(j);
		return sc_fail(err, SC_USAGE, "%s: the policy is not a JSON object", op);
	}
	cJSON_Delete(j);
	buf_puts(&r->body, policy_json);
	content_md5(r->body.data, r->body.len, r->content_md5);
	return SC_OK;
}

/* ---- parsers ------------------------------------------------------------------------ */

void s3_list_page_free(struct s3_list_page *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n; i++)
		free(p->items[i].key);
	free(p->items);
	free(p->next_token);
	memset(p, 0, sizeof(*p));
}

static enum sc_status parse_entry(const xmlNode *c, struct s3_object *o, const char *op,
                                  struct sc_error *err)
{
	char *key = xml_path_text(c, "Key"), *t;
	enum sc_status st;
	size_t n;

	o->size = -1;
	if (!key || !*key || (n = strlen(key)) > S3_KEY_MAX || !key_text_ok(key, n)) {
		free(key);
		return xr_fail_field(err, op, "Contents/Key");
	}
	o->key = key;
	st = xr_int64_in(c, "Size", false, 0, INT64_MAX, &o->size, op, err);
	if (st != SC_OK)
		return st;
	t = xml_path_text(c, "LastModified");
	if (t && *t && !xml_parse_iso8601(t, &o->last_modified)) {
		free(t);
		return xr_fail_field(err, op, "Contents/LastModified");
	}
	free(t);
	t = xml_path_text(c, "ETag");
	if (t) {
		const char *e = t;
		size_t en = strlen(e);

		if (en >= 2 && e[0] == '"' && e[en - 1] == '"') {
			e++;
			en -= 2;
		}
		if (en >= sizeof(o->etag) || !key_text_ok(e, en)) {
			free(t);
			return xr_fail_field(err, op, "Contents/ETag");
		}
		memcpy(o->etag, e, en);
		o->etag[en] = '\0';
		free(t);
	}
	return SC_OK;
}

enum sc_status s3_parse_list_objects_v2(const char *body, size_t len, struct s3_list_page *out,
                                        struct sc_error *err)
{
	static const char op[] = "ListObjectsV2";
	xmlDoc *doc;
	xmlNode *root, *c = NULL;
	enum sc_status st = SC_OK;
	size_t count;
	char *tok;

	memset(out, 0, sizeof(*out));
	doc = xr_open_root(body, len, op, "ListBucketResult", err);
	if (!doc)
		return SC_BAD_REPLY;
	root = xml_root(doc);
	count = xml_count(root, "Contents");
	if (count > S3_LIST_MAX) {
		xml_free(doc);
		return sc_fail(err, SC_BAD_REPLY,
		               "%s: the reply holds %zu objects, more than "
		               "the %d a page may",
		               op, count, S3_LIST_MAX);
	}
	out->items = count ? xcalloc(count, sizeof(*out->items)) : NULL;
	while (st == SC_OK && (c = xml_next(root, c, "Contents")) != NULL)
		st = parse_entry(c, &out->items[out->n++], op, err);
	if (st == SC_OK && !xml_path_bool(root, "IsTruncated", &out->truncated))
		out->truncated = false;
	tok = st == SC_OK ? xml_path_text(root, "NextContinuationToken") : NULL;
	if (tok && *tok) {
		if (strlen(tok) > SES_TOKEN_MAX || !key_text_ok(tok, strlen(tok)))
			st = xr_fail_field(err, op, "NextContinuationToken");
		out->next_token = tok;
	} else {
		free(tok);
	}
	if (st == SC_OK && out->truncated && !out->next_token)
		st = sc_fail(err, SC_BAD_REPLY,
		             "%s: the reply is truncated but has no "
		             "NextContinuationToken",
		             op);
	if (st == SC_OK && !out->truncated && out->next_token) {
		free(out->next_token); /* a last page: a stray token would only loop */
		out->next_token = NULL;
	}
	xml_free(doc);
	if (st != SC_OK)
		s3_list_page_free(out);
	return st;
}

enum sc_status s3_parse_bucket_location(const char *body, size_t len, char *region,
                                        size_t region_len, struct sc_error *err)
{
	static const char op[] = "GetBucketLocation";
	xmlDoc *doc = xr_open_root(body, len, op, "LocationConstraint", err);
	char *t;
	bool ok = true;

	if (!doc)
		return SC_BAD_REPLY;
	t = xml_path_text(xml_root(doc), NULL);
	xml_free(doc);
	if (!t || !*t)
		str_copy(region, region_len, "us-east-1");
	else if (strcmp(t, "EU") == 0)
		str_copy(region, region_len, "eu-west-1");
	else if ((ok = strlen(t) < region_len && strlen(t) <= 40))
		for (const char *p = t; *p && ok; p++)
			ok = (*p >= 'a' && *p <= 'z') || (*p >= '0' && *p <= '9') || *p == '-';
	if (ok && t && *t && strcmp(t, "EU") != 0)
		str_copy(region, region_len, t);
	free(t);
	if (!ok)
		return xr_fail_field(err, op, "LocationConstraint");
	return SC_OK;
}

/* ---- wrappers ----------------------------------------------------------------------- */

enum sc_status s3_list_objects_v2(const struct ses_ctx *ctx, const char *bucket,
                                  const struct s3_list_opts *o, struct s3_list_page *out,
                                  struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	st = s3_build_list_objects_v2(&r, bucket, o, err);
	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = s3_parse_list_objects_v2(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

void s3_object_list_free(struct s3_object_list *l)
{
	if (!l)
		return;
	for (size_t i = 0; i < l->n; i++)
		free(l->items[i].key);
	free(l->items);
	memset(l, 0, sizeof(*l));
}

/* Move the page's entries to the end of l. */
static void take_page(struct s3_object_list *l, struct s3_list_page *p)
{
	if (!p->n)
		return;
	if (l->n + p->n > l->cap) {
		l->cap = (l->n + p->n) * 2;
		l->items = xrealloc(l->items, l->cap * sizeof(*l->items));
	}
	memcpy(l->items + l->n, p->items, p->n * sizeof(*p->items));
	l->n += p->n;
	p->n = 0;
}

enum sc_status s3_list_all(const struct ses_ctx *ctx, const char *bucket, const char *prefix,
                           int page_size, size_t max_items, struct s3_object_list *out,
                           struct sc_error *err)
{
	struct ses_pager pager = {.op = "ListObjectsV2"};
	struct s3_list_opts o = {.prefix = prefix, .max_keys = page_size};
	char *token = NULL;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	if (!max_items)
		max_items = S3_LIST_HELD_MAX;
	for (;;) {
		struct s3_list_page page;

		o.continuation_token = token;
		st = s3_list_objects_v2(ctx, bucket, &o, &page, err);
		if (st != SC_OK)
			break;
		if (out->n + page.n > max_items) {
			s3_list_page_free(&page);
			st = sc_fail(err, SC_REFUSED,
			             "ListObjectsV2: more than %zu objects under "
			             "s3://%s/%s; narrow the prefix",
			             max_items, bucket, prefix ? prefix : "");
			break;
		}
		take_page(out, &page);
		free(token);
		token = page.next_token;
		page.next_token = NULL;
		s3_list_page_free(&page);
		st = ses_pager_next(&pager, token, out->n, err);
		if (st != SC_OK || !token)
			break;
	}
	free(token);
	ses_pager_free(&pager);
	if (st != SC_OK)
		s3_object_list_free(out);
	return st;
}

enum sc_status s3_get_object(const struct ses_ctx *ctx, const char *bucket, const char *key,
                             int64_t listed_size, size_t max_bytes, struct buf *out,
                             struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	buf_reset(out);
	if (!max_bytes)
		return sc_fail(err, SC_USAGE, "GetObject: no size cap was given");
	if (listed_size >= 0 && (uint64_t)listed_size > (uint64_t)max_bytes)
		return sc_fail(err, SC_REFUSED,
		               "GetObject: %s is %lld bytes, over the %zu-byte "
		               "cap; not fetched",
		               key ? key : "", (long long)listed_size, max_bytes);
	st = s3_build_get_object(&r, bucket, key, max_bytes, err);
	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	if (reply.body.len > max_bytes) { /* the http layer caps it already; belt and braces */
		aws_reply_free(&reply);
		return sc_fail(err, SC_BAD_REPLY,
		               "GetObject: the object is larger than the "
		               "%zu-byte cap",
		               max_bytes);
	}
	buf_free(out);
	*out = reply.body;
	memset(&reply.body, 0, sizeof(reply.body));
	aws_reply_free(&reply);
	if (!out->data)
		buf_reset(out);
	return SC_OK;
}

enum sc_status s3_head_bucket(const struct ses_ctx *ctx, const char *bucket, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = s3_build_head_bucket(&r, bucket, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	aws_reply_free(&reply);
	if (st == SC_NOT_FOUND && err)
		sc_fail(err, st, "HeadBucket: bucket %s does not exist", bucket);
	else if (st == SC_AUTH && err && err->http_status == 403)
		sc_fail(err, st, "HeadBucket: bucket %s exists but access to it is denied", bucket);
	return st;
}

enum sc_status s3_get_bucket_location(const struct ses_ctx *ctx, const char *bucket, char *region,
                                      size_t region_len, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = s3_build_get_bucket_location(&r, bucket, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = s3_parse_bucket_location(reply.body.data, reply.body.len, region, region_len, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status s3_get_bucket_policy(const struct ses_ctx *ctx, const char *bucket,
                                    char **policy_json, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = s3_build_get_bucket_policy(&r, bucket, err);

	*policy_json = NULL;
	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st == SC_NOT_FOUND && err && strcmp(err->code, "NoSuchBucketPolicy") == 0)
		sc_fail(err, st, "GetBucketPolicy: bucket %s has no bucket policy", bucket);
	if (st != SC_OK)
		return st;
	if (!reply.body.len || !text_utf8_valid(reply.body.data, reply.body.len) ||
	    memchr(reply.body.data, '\0', reply.body.len)) {
		aws_reply_free(&reply);
		return sc_fail(err, SC_BAD_REPLY,
		               "GetBucketPolicy: the policy is empty or not "
		               "UTF-8 text");
	}
	*policy_json = buf_steal(&reply.body);
	aws_reply_free(&reply);
	return SC_OK;
}

enum sc_status s3_put_bucket_policy(const struct ses_ctx *ctx, const char *bucket,
                                    const char *policy_json, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = s3_build_put_bucket_policy(&r, bucket, policy_json, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	aws_reply_free(&reply);
	return st;
}

/* ---- the bucket policy that lets SES write ------------------------------------------ */

void s3_policy_sid(const struct s3_ses_grant *g, char *out, size_t outlen)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, "sesctl-dmarc-");
	for (const char *p = g->rule ? g->rule : ""; *p && b.len < 140; p++)
		buf_putc(&b, isalnum((unsigned char)*p) ? *p : '-');
	str_copy(out, outlen, buf_str(&b));
	buf_free(&b);
}

static bool account_ok(const char *a)
{
	if (!a || strlen(a) != 12)
		return false;
	for (; *a; a++)
		if (*a < '0' || *a > '9')
			return false;
	return true;
}

static enum sc_status grant_ok(const struct s3_ses_grant *g, struct sc_error *err)
{
	const char *why = g ? s3_bucket_name_problem(g->bucket) : "no grant";

	if (why)
		return sc_fail(err, SC_USAGE, "bucket policy: %s", why);
	if (!account_ok(g->account_id))
		return sc_fail(err, SC_USAGE, "bucket policy: an account id is 12 digits");
	if (!g->region || !*g->region || !g->rule_set || !*g->rule_set || !g->rule || !*g->rule)
		return sc_fail(err, SC_USAGE,
		               "bucket policy: region, rule set and rule are needed");
	if (g->prefix && strlen(g->prefix) > S3_KEY_MAX)
		return sc_fail(err, SC_USAGE, "bucket policy: the prefix is longer than %d bytes",
		               S3_KEY_MAX);
	return SC_OK;
}

/* "arn:aws:s3:::<bucket>/<prefix>" (without the '*'). */
static void resource_stem(const struct s3_ses_grant *g, struct buf *b)
{
	buf_printf(b, "arn:aws:s3:::%s/%s", g->bucket, g->prefix ? g->prefix : "");
}

static void rule_arn(const struct s3_ses_grant *g, struct buf *b)
{
	buf_printf(b, "arn:aws:ses:%s:%s:receipt-rule-set/%s:receipt-rule/%s", g->region,
	           g->account_id, g->rule_set, g->rule);
}

static cJSON *statement(const struct s3_ses_grant *g)
{
	cJSON *s = cJSON_CreateObject(), *o, *c;
	struct buf b = BUF_INIT;
	char sid[160];

	s3_policy_sid(g, sid, sizeof(sid));
	cJSON_AddStringToObject(s, "Sid", sid);
	cJSON_AddStringToObject(s, "Effect", "Allow");
	o = cJSON_AddObjectToObject(s, "Principal");
	cJSON_AddStringToObject(o, "Service", "ses.amazonaws.com");
	cJSON_AddStringToObject(s, "Action", "s3:PutObject");
	resource_stem(g, &b);
	buf_putc(&b, '*');
	cJSON_AddStringToObject(s, "Resource", buf_str(&b));
	c = cJSON_AddObjectToObject(s, "Condition");
	o = cJSON_AddObjectToObject(c, "StringEquals");
	cJSON_AddStringToObject(o, "AWS:SourceAccount", g->account_id);
	o = cJSON_AddObjectToObject(c, "ArnLike");
	buf_reset(&b);
	rule_arn(g, &b);
	cJSON_AddStringToObject(o, "AWS:SourceArn", buf_str(&b));
	buf_free(&b);
	return s;
}

char *s3_policy_ses_statement(const struct s3_ses_grant *g, struct sc_error *err)
{
	cJSON *s;
	char *out;

	if (grant_ok(g, err) != SC_OK)
		return NULL;
	s = statement(g);
	out = cJSON_PrintUnformatted(s);
	cJSON_Delete(s);
	return out;
}

static cJSON *parse_policy(const char *text, struct sc_error *err)
{
	cJSON *p = cJSON_Parse(text);

	if (!cJSON_IsObject(p)) {
		cJSON_Delete(p);
		sc_fail(err, SC_USAGE, "bucket policy: the existing policy is not a JSON object");
		return NULL;
	}
	return p;
}

enum sc_status s3_policy_merge(const char *existing, const struct s3_ses_grant *g, char **out,
                               struct sc_error *err)
{
	cJSON *p, *st, *arr;
	char sid[160];

	*out = NULL;
	if (grant_ok(g, err) != SC_OK)
		return SC_USAGE;
	if (existing && *existing) {
		p = parse_policy(existing, err);
		if (!p)
			return SC_USAGE;
	} else {
		p = cJSON_CreateObject();
		cJSON_AddStringToObject(p, "Version", "2012-10-17");
	}
	st = cJSON_GetObjectItemCaseSensitive(p, "Statement");
	if (!st) {
		arr = cJSON_AddArrayToObject(p, "Statement");
	} else if (cJSON_IsObject(st)) {
		arr = cJSON_CreateArray();
		cJSON_AddItemToArray(arr, cJSON_DetachItemViaPointer(p, st));
		cJSON_AddItemToObject(p, "Statement", arr);
	} else if (cJSON_IsArray(st)) {
		arr = st;
	} else {
		cJSON_Delete(p);
		return sc_fail(err, SC_USAGE,
		               "bucket policy: Statement is neither an object nor "
		               "a list");
	}
	s3_policy_sid(g, sid, sizeof(sid));
	for (cJSON *s = arr->child, *next; s; s = next) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(s, "Sid");

		next = s->next;
		if (cJSON_IsString(v) && strcmp(v->valuestring, sid) == 0)
			cJSON_Delete(cJSON_DetachItemViaPointer(arr, s));
	}
	cJSON_AddItemToArray(arr, statement(g));
	*out = cJSON_PrintUnformatted(p);
	cJSON_Delete(p);
	return SC_OK;
}

/* IAM wildcard match: '*' any run, '?' one byte; ci for action names. */
static bool glob(const char *pat, const char *s, bool ci)
{
	const char *star = NULL, *back = NULL;

	while (*s) {
		if (*pat == '*') {
			star = pat++;
			back = s;
		} else if (*pat == '?' ||
		           (ci ? tolower((unsigned char)*pat) == tolower((unsigned char)*s)
		               : *pat == *s)) {
			pat++;
			s++;
		} else if (star) {
			pat = star + 1;
			s = ++back;
		} else {
			return false;
		}
	}
	while (*pat == '*')
		pat++;
	return !*pat;
}

/* Any string in v (a string or a list of strings) for which pred holds. */
static bool any_str(const cJSON *v, bool (*pred)(const char *s, const void *ud), const void *ud)
{
	const cJSON *e;

	if (cJSON_IsString(v))
		return pred(v->valuestring, ud);
	cJSON_ArrayForEach(e, v) if (cJSON_IsString(e) && pred(e->valuestring, ud)) return true;
	return false;
}

static bool is_ses(const char *s, const void *ud)
{
	(void)ud;
	return strcmp(s, "ses.amazonaws.com") == 0;
}

static bool principal_matches(const cJSON *p)
{
	const cJSON *svc;

	if (cJSON_IsString(p))
		return strcmp(p->valuestring, "*") == 0;
	svc = cJSON_GetObjectItemCaseSensitive(p, "Service");
	return svc && any_str(svc, is_ses, NULL);
}

static bool action_covers(const char *pat, const void *ud)
{
	(void)ud;
	return glob(pat, "s3:PutObject", true);
}

/* The resource pattern covers every key under the stem. */
static bool resource_covers(const char *pat, const void *stem)
{
	size_t n = strlen(pat);

	if (n && pat[n - 1] == '*' && !memchr(pat, '*', n - 1) && !memchr(pat, '?', n - 1))
		return strncmp(pat, stem, n - 1) == 0;
	return false;
}

/* The resource pattern touches some key under the stem (for Deny). */
static bool resource_touches(const char *pat, const void *stem)
{
	struct buf b = BUF_INIT;
	bool r;

	buf_printf(&b, "%sx", (const char *)stem);
	r = resource_covers(pat, stem) || glob(pat, buf_str(&b), false) ||
	    glob(pat, (const char *)stem, false);
	buf_free(&b);
	return r;
}

enum cond { COND_NO, COND_YES, COND_UNKNOWN };

struct cond_facts {
	const char *account, *arn;
	bool like; /* the operator takes wildcards */
};

static bool eq_or_like(const char *v, const void *ud)
{
	const struct cond_facts *f = ud;

	return f->like ? glob(v, f->arn, false) : strcmp(v, f->arn) == 0;
}

/* Whether a request from SES for this rule satisfies the statement's conditions. */
static enum cond conditions(const cJSON *c, const struct s3_ses_grant *g)
{
	struct buf arn = BUF_INIT;
	enum cond r = COND_YES;
	const cJSON *op, *kv;

	if (!c)
		return COND_YES;
	if (!cJSON_IsObject(c))
		return COND_UNKNOWN;
	rule_arn(g, &arn);
	cJSON_ArrayForEach(op, c)
	{
		const char *o = op->string;
		bool str = strcmp(o, "StringEquals") == 0 || strcmp(o, "StringLike") == 0;
		bool arnop = strcmp(o, "ArnLike") == 0 || strcmp(o, "ArnEquals") == 0;

		cJSON_ArrayForEach(kv, op)
		{
			struct cond_facts f = {.like = strcmp(o, "StringLike") == 0 ||
			                               strcmp(o, "ArnLike") == 0};
			const char *k = kv->string;

			if ((str || arnop) && strcasecmp(k, "aws:SourceArn") == 0) {
				f.arn = buf_str(&arn);
			} else if (str && (strcasecmp(k, "aws:SourceAccount") == 0 ||
			                   strcasecmp(k, "aws:Referer") == 0)) {
				f.arn = g->account_id;
			} else {
				r = COND_UNKNOWN; /* a key or operator this check cannot judge */
				continue;
			}
			if (!any_str(kv, eq_or_like, &f)) {
				buf_free(&arn);
				return COND_NO;
			}
		}
	}
	buf_free(&arn);
	return r;
}

enum sc_status s3_policy_grants(const char *policy, const struct s3_ses_grant *g, bool *grants,
                                struct sc_error *err)
{
	cJSON *p, *st, *s;
	struct buf stem = BUF_INIT;
	bool allow = false, deny = false;

	*grants = false;
	if (grant_ok(g, err) != SC_OK)
		return SC_USAGE;
	p = parse_policy(policy ? policy : "", err);
	if (!p)
		return SC_USAGE;
	st = cJSON_GetObjectItemCaseSensitive(p, "Statement");
	if (!cJSON_IsArray(st) && !cJSON_IsObject(st)) {
		cJSON_Delete(p);
		return sc_fail(err, SC_USAGE, "bucket policy: the policy has no Statement list");
	}
	resource_stem(g, &stem);
	for (s = cJSON_IsObject(st) ? st : st->child; s; s = cJSON_IsObject(st) ? NULL : s->next) {
		const cJSON *eff = cJSON_GetObjectItemCaseSensitive(s, "Effect");
		const cJSON *pr = cJSON_GetObjectItemCaseSensitive(s, "Principal");
		const cJSON *ac = cJSON_GetObjectItemCaseSensitive(s, "Action");
		const cJSON *rs = cJSON_GetObjectItemCaseSensitive(s, "Resource");
		bool negated = cJSON_GetObjectItemCaseSensitive(s, "NotPrincipal") ||
		               cJSON_GetObjectItemCaseSensitive(s, "NotAction") ||
		               cJSON_GetObjectItemCaseSensitive(s, "NotResource");
		enum cond c = conditions(cJSON_GetObjectItemCaseSensitive(s, "Condition"), g);

		if (!cJSON_IsString(eff))
			continue;
		if (strcmp(eff->valuestring, "Deny") == 0) {
			/* conservative: a Deny that might apply counts */
			if (negated ||
			    (principal_matches(pr) && any_str(ac, action_covers, NULL) &&
			     any_str(rs, resource_touches, buf_str(&stem)) && c != COND_NO))
				deny = true;
		} else if (strcmp(eff->valuestring, "Allow") == 0 && !negated &&
		           principal_matches(pr) && any_str(ac, action_covers, NULL) &&
		           any_str(rs, resource_covers, buf_str(&stem)) && c == COND_YES) {
			allow = true;
		}
	}
	buf_free(&stem);
	cJSON_Delete(p);
	*grants = allow && !deny;
	return SC_OK;
}

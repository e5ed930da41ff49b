#include "sesctl/aws/sigv4.h"

#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>
#include <openssl/evp.h>

/*
 * SigV4 on libcrypto. HMAC-SHA256 is built on one fetched EVP_MD and one reused
 * EVP_MD_CTX per signature: OpenSSL 3's one-shot HMAC()/SHA256() fetch the algorithm on
 * every call, which would dominate the few microseconds a signature should cost.
 */

#define SHA_LEN   32
#define SHA_BLOCK 64

static const char hex_upper[] = "0123456789ABCDEF";
static const char hex_lower[] = "0123456789abcdef";

/* RFC 3986 unreserved: A-Z a-z 0-9 - . _ ~ */
static int is_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') ||
	       c == '-' || c == '.' || c == '_' || c == '~';
}

static int is_space(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void to_hex(const unsigned char *in, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hex_lower[in[i] >> 4];
		out[2 * i + 1] = hex_lower[in[i] & 15];
	}
	out[2 * n] = '\0';
}

/* ---- hashing ---- */

struct sha {
	EVP_MD *md;
	EVP_MD_CTX *ctx;
};

static int sha_open(struct sha *s)
{
	s->md = EVP_MD_fetch(NULL, "SHA256", NULL);
	s->ctx = EVP_MD_CTX_new();
	if (s->md && s->ctx)
		return 0;
	EVP_MD_CTX_free(s->ctx);
	EVP_MD_free(s->md);
	s->md = NULL;
	s->ctx = NULL;
	return -1;
}

static void sha_close(struct sha *s)
{
	EVP_MD_CTX_free(s->ctx);
	EVP_MD_free(s->md);
}

/* out = SHA-256(a || b); b may be empty. */
static int sha_two(struct sha *s, const void *a, size_t alen, const void *b, size_t blen,
		   unsigned char out[SHA_LEN])
{
	unsigned int n = 0;

	if (!EVP_DigestInit_ex2(s->ctx, s->md, NULL) || !EVP_DigestUpdate(s->ctx, a, alen))
		return -1;
	if (blen && !EVP_DigestUpdate(s->ctx, b, blen))
		return -1;
	if (!EVP_DigestFinal_ex(s->ctx, out, &n) || n != SHA_LEN)
		return -1;
	return 0;
}

static int hmac(struct sha *s, const void *key, size_t klen, const void *msg, size_t mlen,
		unsigned char out[SHA_LEN])
{
	unsigned char k[SHA_BLOCK] = {0}, pad[SHA_BLOCK], inner[SHA_LEN];
	int rc = -1;

	if (klen > SHA_BLOCK) {
		if (sha_two(s, key, klen, NULL, 0, k) < 0)
			goto out;
	} else {
		memcpy(k, key, klen);
	}
	for (int i = 0; i < SHA_BLOCK; i++)
		pad[i] = k[i] ^ 0x36;
	if (sha_two(s, pad, SHA_BLOCK, msg, mlen, inner) < 0)
		goto out;
	for (int i = 0; i < SHA_BLOCK; i++)
		pad[i] = k[i] ^ 0x5c;
	rc = sha_two(s, pad, SHA_BLOCK, inner, SHA_LEN, out);
out:
	secure_zero(k, sizeof(k));
	secure_zero(pad, sizeof(pad));
	secure_zero(inner, sizeof(inner));
	return rc;
}

static int derive_key(struct sha *s, const char *secret, const char *date8, const char *region,
		      const char *service, unsigned char out[SHA_LEN])
{
	size_t slen = strlen(secret);
	unsigned char *k0 = xmalloc(slen + 4);
	unsigned char a[SHA_LEN], b[SHA_LEN];
	int rc = -1;

	memcpy(k0, "AWS4", 4);
	memcpy(k0 + 4, secret, slen);
	if (hmac(s, k0, slen + 4, date8, strlen(date8), a) == 0 &&
	    hmac(s, a, SHA_LEN, region, strlen(region), b) == 0 &&
	    hmac(s, b, SHA_LEN, service, strlen(service), a) == 0 &&
	    hmac(s, a, SHA_LEN, "aws4_request", 12, out) == 0)
		rc = 0;
	secure_zero(k0, slen + 4);
	free(k0);
	secure_zero(a, sizeof(a));
	secure_zero(b, sizeof(b));
	return rc;
}

/* ---- public helpers ---- */

static char *put_digits(char *p, int v, int width)
{
	for (int i = width - 1; i >= 0; i--, v /= 10)
		p[i] = (char)('0' + v % 10);
	return p + width;
}

void sigv4_amz_date(time_t t, char out[17])
{
	struct tm tm;
	char *p = out;

	out[0] = '\0';
	if (!gmtime_r(&t, &tm) || tm.tm_year < -1900 || tm.tm_year > 9999 - 1900)
		return;
	p = put_digits(p, tm.tm_year + 1900, 4);
	p = put_digits(p, tm.tm_mon + 1, 2);
	p = put_digits(p, tm.tm_mday, 2);
	*p++ = 'T';
	p = put_digits(p, tm.tm_hour, 2);
	p = put_digits(p, tm.tm_min, 2);
	p = put_digits(p, tm.tm_sec, 2);
	*p++ = 'Z';
	*p = '\0';
}

void sigv4_uri_encode(struct buf *out, const char *s, size_t len, int keep_slash)
{
	char *p;

	buf_reserve(out, 3 * len);
	p = out->data + out->len;
	for (size_t i = 0; i < len; i++) {
		unsigned char c = (unsigned char)s[i];

		if (is_unreserved(c) || (keep_slash && c == '/')) {
			*p++ = (char)c;
			continue;
		}
		*p++ = '%';
		*p++ = hex_upper[c >> 4];
		*p++ = hex_upper[c & 15];
	}
	out->len = (size_t)(p - out->data);
	out->data[out->len] = '\0';
}

void sigv4_sha256_hex(const void *data, size_t len, char out[65])
{
	unsigned char md[SHA_LEN];
	unsigned int n = 0;

	if (!EVP_Digest(data ? data : "", len, md, &n, EVP_sha256(), NULL) || n != SHA_LEN) {
		out[0] = '\0';
		return;
	}
	to_hex(md, SHA_LEN, out);
}

/* A credential-scope part: non-empty, printable, no '/' or spaces. */
static int scope_part_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++)
		if ((unsigned char)*s <= ' ' || *s == 0x7f || *s == '/')
			return 0;
	return 1;
}

static int date8_ok(const char *d)
{
	if (!d || strlen(d) != 8)
		return 0;
	for (int i = 0; i < 8; i++)
		if (d[i] < '0' || d[i] > '9')
			return 0;
	return 1;
}

int sigv4_signing_key(const char *secret_key, const char *date8, const char *region,
		      const char *service, unsigned char out[32])
{
	struct sha s;
	int rc;

	if (!secret_key || !*secret_key || !date8_ok(date8) || !scope_part_ok(region) ||
	    !scope_part_ok(service))
		return -1;
	if (sha_open(&s) < 0)
		return -1;
	rc = derive_key(&s, secret_key, date8, region, service, out);
	sha_close(&s);
	return rc;
}

/* ---- canonical URI ---- */

struct seg {
	const char *p;
	size_t n;
};

/* Remove "." and ".." segments and empty ones (collapsing "//"), keep a trailing '/'
 * when anything is left (the rule botocore and the AWS suite follow), then encode. */
static void canon_path(struct buf *out, const char *path)
{
	size_t len = strlen(path), nseg = 0, cap = 1;
	struct seg *segs;
	const char *p = path, *end = path + len;

	for (size_t i = 0; i < len; i++)
		cap += path[i] == '/';
	segs = xmalloc(cap * sizeof(*segs));
	while (p < end) {
		const char *q = memchr(p, '/', (size_t)(end - p));
		size_t n = q ? (size_t)(q - p) : (size_t)(end - p);

		if (n == 2 && p[0] == '.' && p[1] == '.') {
			if (nseg)
				nseg--;
		} else if (n && !(n == 1 && p[0] == '.')) {
			segs[nseg].p = p;
			segs[nseg++].n = n;
		}
		p += n + 1;
	}
	buf_putc(out, '/');
	for (size_t i = 0; i < nseg; i++) {
		if (i)
			buf_putc(out, '/');
		sigv4_uri_encode(out, segs[i].p, segs[i].n, 0);
	}
	if (nseg && len && path[len - 1] == '/')
		buf_putc(out, '/');
	free(segs);
}

/* S3: the wire path is the canonical URI, byte for byte. */
static void canon_path_s3(struct buf *out, const char *path)
{
	buf_puts(out, *path ? path : "/");
}

static int s3_path_ok(const char *path)
{
	if (*path && *path != '/')
		return 0;
	for (; *path; path++)
		if ((unsigned char)*path <= ' ' || (unsigned char)*path >= 0x7f)
			return 0;
	return 1;
}

/* ---- canonical query ---- */

struct qparam {
	char *key; /* both encoded, one allocation: key\0value\0 */
	char *value;
};

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	return -1;
}

/* Percent-decode s[0..n) into tmp (a malformed '%' stays literal), then encode into out. */
static void reencode(struct buf *out, struct buf *tmp, const char *s, size_t n)
{
	buf_reset(tmp);
	buf_reserve(tmp, n);
	for (size_t i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && i + 2 < n && (hi = hexval(s[i + 1])) >= 0 &&
		    (lo = hexval(s[i + 2])) >= 0) {
			tmp->data[tmp->len++] = (char)(hi << 4 | lo);
			i += 2;
			continue;
		}
		tmp->data[tmp->len++] = s[i];
	}
	tmp->data[tmp->len] = '\0';
	sigv4_uri_encode(out, tmp->data, tmp->len, 0);
}

static int qparam_cmp(const void *a, const void *b)
{
	const struct qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : strcmp(x->value, y->value);
}

static void canon_query(struct buf *out, const char *query)
{
	size_t len, cap = 1, n = 0;
	struct qparam *ps;
	struct buf tmp = BUF_INIT, enc = BUF_INIT;
	const char *p, *end;

	if (!query || !*query)
		return;
	len = strlen(query);
	for (size_t i = 0; i < len; i++)
		cap += query[i] == '&';
	ps = xmalloc(cap * sizeof(*ps));
	for (p = query, end = query + len; p < end;) {
		const char *amp = memchr(p, '&', (size_t)(end - p));
		size_t plen = amp ? (size_t)(amp - p) : (size_t)(end - p);
		const char *eq = memchr(p, '=', plen);
		size_t klen = eq ? (size_t)(eq - p) : plen, vpos;

		if (plen) {
			buf_reset(&enc);
			reencode(&enc, &tmp, p, klen);
			vpos = enc.len + 1;
			buf_putc(&enc, '\0');
			if (eq)
				reencode(&enc, &tmp, eq + 1, plen - klen - 1);
			ps[n].key = xmalloc(enc.len + 1);
			memcpy(ps[n].key, enc.data, enc.len + 1);
			ps[n].value = ps[n].key + vpos;
			n++;
		}
		p += plen + 1;
	}
	qsort(ps, n, sizeof(*ps), qparam_cmp);
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, '&');
		buf_puts(out, ps[i].key);
		buf_putc(out, '=');
		buf_puts(out, ps[i].value);
		free(ps[i].key);
	}
	free(ps);
	buf_free(&tmp);
	buf_free(&enc);
}

/* ---- canonical headers ---- */

struct chdr {
	char *name;    /* lower-case, owned */
	char *value;   /* canonical value, owned */
	size_t order;  /* position in the input, for a stable sort */
};

/* An HTTP field name (RFC 9110 token); anything else could not be sent, and ';' would
 * corrupt SignedHeaders. */
static int header_name_ok(const char *s)
{
	if (!s || !*s)
		return 0;
	for (; *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (!(c >= 'A' && c <= 'Z') && !(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9') &&
		    !strchr("!#$%&'*+-.^_`|~", c))
			return 0;
	}
	return 1;
}

static char *lower_dup(const char *s)
{
	char *d = xstrdup(s);

	for (char *p = d; *p; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p - 'A' + 'a');
	return d;
}

/* Trim each line of v and fold runs of blanks to one space; join the non-empty lines of a
 * folded (multi-line) value with ','. */
static char *canon_value(const char *v)
{
	struct buf b = BUF_INIT;
	int line_has = 0, pending_space = 0;

	buf_reserve(&b, strlen(v));
	for (; *v; v++) {
		if (*v == '\n') {
			pending_space = 0;
			if (line_has)
				buf_putc(&b, ',');
			line_has = 0;
			continue;
		}
		if (is_space(*v)) {
			pending_space = line_has;
			continue;
		}
		if (pending_space)
			buf_putc(&b, ' ');
		pending_space = 0;
		line_has = 1;
		buf_putc(&b, *v);
	}
	if (!line_has && b.len && b.data[b.len - 1] == ',')
		b.len--;
	b.data[b.len] = '\0'; /* buf_reserve above made room even for "" */
	return buf_steal(&b);
}

static int chdr_cmp(const void *a, const void *b)
{
	const struct chdr *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c)
		return c;
	return x->order < y->order ? -1 : x->order > y->order;
}

static void chdrs_free(struct chdr *h, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(h[i].name);
		free(h[i].value);
	}
	free(h);
}

/* Appends "name:value\n" lines to out and fills signed_headers. Returns -1 when a name is
 * malformed, signed_headers overflows, or host / x-amz-date (matching amz_date) is missing. */
static int canon_headers(struct buf *out, const struct sigv4_input *in, char *signed_headers,
			 size_t sh_size, const char *amz_date)
{
	struct chdr *h;
	size_t n = in->n_headers, shlen = 0;
	int have_host = 0, have_date = 0, rc = -1;

	if (n == 0 || !in->headers)
		return -1;
	h = xcalloc(n, sizeof(*h));
	for (size_t i = 0; i < n; i++) {
		if (!header_name_ok(in->headers[i].name) || !in->headers[i].value)
			goto out;
		h[i].name = lower_dup(in->headers[i].name);
		h[i].value = canon_value(in->headers[i].value);
		h[i].order = i;
	}
	qsort(h, n, sizeof(*h), chdr_cmp);
	for (size_t i = 0; i < n; i++) {
		int repeat = i && strcmp(h[i].name, h[i - 1].name) == 0;
		int last = i + 1 == n || strcmp(h[i].name, h[i + 1].name) != 0;
		size_t nl = strlen(h[i].name);

		if (repeat) {
			buf_putc(out, ',');
		} else {
			if (shlen + (shlen ? 1 : 0) + nl + 1 > sh_size)
				goto out;
			if (shlen)
				signed_headers[shlen++] = ';';
			memcpy(signed_headers + shlen, h[i].name, nl + 1);
			shlen += nl;
			buf_append(out, h[i].name, nl);
			buf_putc(out, ':');
			have_host |= strcmp(h[i].name, "host") == 0 && *h[i].value;
		}
		buf_puts(out, h[i].value);
		if (strcmp(h[i].name, "x-amz-date") == 0)
			have_date = !repeat && last && strcmp(h[i].value, amz_date) == 0;
		if (last)
			buf_putc(out, '\n');
	}
	rc = have_host && have_date ? 0 : -1;
out:
	chdrs_free(h, n);
	return rc;
}

/* ---- signing-key cache ---- */

/* The last derived key of this thread: valid for one day, region and service, and deriving
 * it costs 4 of the 5 HMACs of a signature. It is matched by a SHA-256 fingerprint of the
 * secret, never the secret itself, and cleared by sigv4_cache_wipe(). */
struct key_cache {
	int valid;
	unsigned char fp[SHA_LEN];
	char date8[9], region[32], service[32];
	unsigned char key[SHA_LEN];
};

static _Thread_local struct key_cache key_cache;

void sigv4_cache_wipe(void)
{
	secure_zero(&key_cache, sizeof(key_cache));
}

static int signing_key(struct sha *s, const struct sigv4_input *in, const char *date8,
		       unsigned char key[SHA_LEN])
{
	static const char domain[] = "sesctl-sigv4-key-cache";
	struct key_cache *c = &key_cache;
	unsigned char fp[SHA_LEN];

	if (strlen(in->region) >= sizeof(c->region) || strlen(in->service) >= sizeof(c->service))
		return derive_key(s, in->secret_key, date8, in->region, in->service, key);
	if (sha_two(s, domain, sizeof(domain), in->secret_key, strlen(in->secret_key), fp) < 0)
		return -1;
	if (c->valid && CRYPTO_memcmp(c->fp, fp, SHA_LEN) == 0 && strcmp(c->date8, date8) == 0 &&
	    strcmp(c->region, in->region) == 0 && strcmp(c->service, in->service) == 0) {
		memcpy(key, c->key, SHA_LEN);
		return 0;
	}
	sigv4_cache_wipe();
	if (derive_key(s, in->secret_key, date8, in->region, in->service, key) < 0)
		return -1;
	memcpy(c->fp, fp, SHA_LEN);
	strcpy(c->date8, date8);
	strcpy(c->region, in->region);
	strcpy(c->service, in->service);
	memcpy(c->key, key, SHA_LEN);
	c->valid = 1;
	return 0;
}

/* ---- signing ---- */

static int payload_hash_ok(const char *h)
{
	if (strlen(h) != 64)
		return 0;
	for (int i = 0; i < 64; i++)
		if (!((h[i] >= '0' && h[i] <= '9') || (h[i] >= 'a' && h[i] <= 'f')))
			return 0;
	return 1;
}

static int input_ok(const struct sigv4_input *in)
{
	if (!in || !in->method || !*in->method || !in->path || !in->secret_key ||
	    !*in->secret_key)
		return 0;
	for (const char *m = in->method; *m; m++)
		if ((unsigned char)*m <= ' ' || *m == 0x7f)
			return 0;
	if (!scope_part_ok(in->access_key) || !scope_part_ok(in->region) ||
	    !scope_part_ok(in->service))
		return 0;
	if (in->body_len && !in->body)
		return 0;
	if (in->s3 && !s3_path_ok(in->path))
		return 0;
	if (in->s3 && in->payload_hash && strcmp(in->payload_hash, "UNSIGNED-PAYLOAD") == 0)
		return 1;
	return !in->payload_hash || payload_hash_ok(in->payload_hash);
}

static void put_hash_hex(struct buf *b, const unsigned char md[SHA_LEN])
{
	buf_reserve(b, 2 * SHA_LEN);
	to_hex(md, SHA_LEN, b->data + b->len);
	b->len += 2 * SHA_LEN;
}

static int build_canonical(struct sha *s, const struct sigv4_input *in, struct sigv4_result *res)
{
	struct buf *cr = &res->canonical_request;
	unsigned char md[SHA_LEN];

	buf_reserve(cr, 512);
	buf_puts(cr, in->method);
	buf_putc(cr, '\n');
	if (in->s3)
		canon_path_s3(cr, in->path);
	else
		canon_path(cr, in->path);
	buf_putc(cr, '\n');
	canon_query(cr, in->query);
	buf_putc(cr, '\n');
	if (canon_headers(cr, in, res->signed_headers, sizeof(res->signed_headers),
			  res->amz_date) < 0)
		return -1;
	buf_putc(cr, '\n');
	buf_puts(cr, res->signed_headers);
	buf_putc(cr, '\n');
	if (in->payload_hash) {
		buf_puts(cr, in->payload_hash);
		return 0;
	}
	if (sha_two(s, in->body_len ? in->body : "", in->body_len, NULL, 0, md) < 0)
		return -1;
	put_hash_hex(cr, md);
	return 0;
}

/* "<date8>/<region>/<service>/aws4_request" */
static void put_scope(struct buf *b, const char *date8, const struct sigv4_input *in)
{
	buf_append(b, date8, 8);
	buf_putc(b, '/');
	buf_puts(b, in->region);
	buf_putc(b, '/');
	buf_puts(b, in->service);
	buf_puts(b, "/aws4_request");
}

static int finish(struct sha *s, const struct sigv4_input *in, struct sigv4_result *res)
{
	struct buf *sts = &res->string_to_sign, *au = &res->authorization;
	unsigned char md[SHA_LEN], key[SHA_LEN];
	char date8[9];
	int rc = -1;

	memcpy(date8, res->amz_date, 8);
	date8[8] = '\0';
	if (sha_two(s, res->canonical_request.data, res->canonical_request.len, NULL, 0, md) < 0)
		return -1;
	buf_reserve(sts, 160);
	buf_puts(sts, "AWS4-HMAC-SHA256\n");
	buf_puts(sts, res->amz_date);
	buf_putc(sts, '\n');
	put_scope(sts, date8, in);
	buf_putc(sts, '\n');
	put_hash_hex(sts, md);
	if (signing_key(s, in, date8, key) < 0 ||
	    hmac(s, key, SHA_LEN, sts->data, sts->len, md) < 0)
		goto out;
	to_hex(md, SHA_LEN, res->signature);
	buf_reserve(au, 200 + strlen(res->signed_headers));
	buf_puts(au, "AWS4-HMAC-SHA256 Credential=");
	buf_puts(au, in->access_key);
	buf_putc(au, '/');
	put_scope(au, date8, in);
	buf_puts(au, ", SignedHeaders=");
	buf_puts(au, res->signed_headers);
	buf_puts(au, ", Signature=");
	buf_puts(au, res->signature);
	rc = 0;
out:
	secure_zero(key, sizeof(key));
	return rc;
}

int sigv4_sign(const struct sigv4_input *in, struct sigv4_result *res)
{
	struct sha s;
	int rc = -1;

	memset(res, 0, sizeof(*res));
	if (!input_ok(in))
		return -1;
	sigv4_amz_date(in->when, res->amz_date);
	if (!res->amz_date[0] || sha_open(&s) < 0)
		return -1;
	if (build_canonical(&s, in, res) == 0)
		rc = finish(&s, in, res);
	sha_close(&s);
	if (rc < 0)
		sigv4_result_free(res);
	return rc;
}

void sigv4_result_free(struct sigv4_result *res)
{
	if (!res)
		return;
	buf_wipe(&res->canonical_request); /* holds the session token */
	buf_free(&res->string_to_sign);
	buf_free(&res->authorization);
	memset(res, 0, sizeof(*res));
}

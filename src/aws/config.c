#include "sesctl/aws/config.h"

#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <stdint.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"

#define INI_MAX_BYTES (1024 * 1024)

/* ---- small helpers ---- */

static bool is_blank(char c)
{
	return c == ' ' || c == '\t' || c == '\r';
}

static void trim_span(const char **s, const char **e)
{
	while (*s < *e && is_blank(**s))
		(*s)++;
	while (*e > *s && is_blank((*e)[-1]))
		(*e)--;
}

bool aws_config_true(const char *v)
{
	return v && strcasecmp(v, "true") == 0;
}

char *aws_expand_home(const char *path)
{
	const char *home = getenv("HOME");
	struct buf b = BUF_INIT;

	if (!path)
		return NULL;
	if (path[0] == '~' && (path[1] == '/' || path[1] == '\0') && home && *home) {
		buf_puts(&b, home);
		buf_puts(&b, path + 1);
		return buf_steal(&b);
	}
	return xstrdup(path);
}

/* ---- ini structure ---- */

static void prop_free(struct aws_ini_prop *p)
{
	for (size_t i = 0; i < p->n_sub; i++)
		prop_free(&p->sub[i]);
	free(p->sub);
	free(p->key);
	free_secret(p->value);
}

void aws_ini_free(struct aws_ini *ini)
{
	if (!ini)
		return;
	for (size_t i = 0; i < ini->n_sections; i++) {
		struct aws_ini_section *s = &ini->sections[i];

		for (size_t j = 0; j < s->n_props; j++)
			prop_free(&s->props[j]);
		free(s->props);
		free(s->name);
	}
	free(ini->sections);
	free(ini->path);
	memset(ini, 0, sizeof(*ini));
}

static struct aws_ini_section *find_section(struct aws_ini *ini, enum aws_ini_kind kind,
                                            const char *name)
{
	for (size_t i = 0; i < ini->n_sections; i++)
		if (ini->sections[i].kind == kind && strcmp(ini->sections[i].name, name) == 0)
			return &ini->sections[i];
	return NULL;
}

/* ---- open-addressing indexes for the parser: a 1 MB file with 120,000 sections took 31 s
 * when every header was compared with every earlier one ---- */

struct ini_index {
	size_t *slot; /* 0: empty, else 1 + the entry's position */
	size_t cap;   /* a power of two, at most half full */
};

static uint64_t str_hash(const char *s, uint64_t h)
{
	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	return h;
}

static uint64_t section_hash(enum aws_ini_kind kind, const char *name)
{
	return str_hash(name, 1469598103934665603ULL ^ (uint64_t)kind);
}

/* The slot of the entry for which same(pos) holds, or the empty slot where it would go. */
static size_t *index_slot(const struct ini_index *ix, uint64_t h,
			  bool (*same)(const void *ctx, size_t pos), const void *ctx)
{
	size_t mask = ix->cap - 1;

	for (size_t i = (size_t)h & mask;; i = (i + 1) & mask)
		if (!ix->slot[i] || same(ctx, ix->slot[i] - 1))
			return &ix->slot[i];
}

/* Make room for one more of n entries; hash(ctx, pos) gives an entry's hash. */
static void index_reserve(struct ini_index *ix, size_t n, uint64_t (*hash)(const void *, size_t),
			  const void *ctx)
{
	size_t cap = ix->cap ? ix->cap : 64;

	while ((n + 1) * 2 > cap)
		cap *= 2;
	if (cap == ix->cap)
		return;
	free(ix->slot);
	ix->slot = xcalloc(cap, sizeof(*ix->slot));
	ix->cap = cap;
	for (size_t pos = 0; pos < n; pos++) {
		size_t mask = cap - 1, i = (size_t)hash(ctx, pos) & mask;

		while (ix->slot[i])
			i = (i + 1) & mask;
		ix->slot[i] = pos + 1;
	}
}

struct section_key {
	const struct aws_ini *ini;
	enum aws_ini_kind kind;
	const char *name;
};

static bool section_same(const void *ctx, size_t pos)
{
	const struct section_key *k = ctx;

	return k->ini->sections[pos].kind == k->kind && !strcmp(k->ini->sections[pos].name, k->name);
}

static uint64_t section_hash_at(const void *ctx, size_t pos)
{
	const struct section_key *k = ctx;

	return section_hash(k->ini->sections[pos].kind, k->ini->sections[pos].name);
}

/* Grow an array of n elements to hold n + 1, doubling (n is its count: powers of two are
 * where it is full). */
static void *grow(void *v, size_t n, size_t size)
{
	if (n == 0 || (n & (n - 1)) == 0)
		v = xrealloc(v, (n ? n * 2 : 4) * size);
	return v;
}

static struct aws_ini_section *add_section(struct aws_ini *ini, struct ini_index *ix,
                                           enum aws_ini_kind kind, const char *name, int line)
{
	struct section_key key = {ini, kind, name};
	struct aws_ini_section *s;
	size_t *slot;

	index_reserve(ix, ini->n_sections, section_hash_at, &key);
	slot = index_slot(ix, section_hash(kind, name), section_same, &key);
	if (*slot)
		return &ini->sections[*slot - 1];
	ini->sections = grow(ini->sections, ini->n_sections, sizeof(*s));
	*slot = ini->n_sections + 1;
	s = &ini->sections[ini->n_sections++];
	memset(s, 0, sizeof(*s));
	s->kind = kind;
	s->name = xstrdup(name);
	s->line = line;
	return s;
}

/* Set key in a property array (replacing an earlier value); returns the property. */
static struct aws_ini_prop *set_prop(struct aws_ini_prop **arr, size_t *n, const char *key,
                                     size_t key_len, const char *val, size_t val_len, int line)
{
	struct aws_ini_prop *p = NULL;

	for (size_t i = 0; i < *n; i++) {
		if (strlen((*arr)[i].key) == key_len && memcmp((*arr)[i].key, key, key_len) == 0) {
			p = &(*arr)[i];
			break;
		}
	}
	if (p) {
		prop_free(p);
	} else {
		*arr = xrealloc(*arr, (*n + 1) * sizeof(**arr));
		p = &(*arr)[(*n)++];
	}
	memset(p, 0, sizeof(*p));
	p->key = xstrndup(key, key_len);
	p->value = xstrndup(val, val_len);
	p->line = line;
	return p;
}

/* ---- parsing ---- */

struct ini_parser {
	struct aws_ini *ini;
	const char *path;
	bool is_config;
	int line;
	struct aws_ini_section *section; /* NULL before the first header */
	struct aws_ini_prop *last;       /* the last top-level property of the section */
	int header_line;                 /* line of the current section header */
	char **headers;                  /* header texts seen, to refuse repeats */
	int *header_lines;
	size_t n_headers;
	struct ini_index header_ix;      /* over headers */
	struct ini_index section_ix;     /* over ini->sections */
	struct sc_error *err;
};

struct header_key {
	const struct ini_parser *p;
	const char *hdr;
};

static bool header_same(const void *ctx, size_t pos)
{
	const struct header_key *k = ctx;

	return !strcmp(k->p->headers[pos], k->hdr);
}

static uint64_t header_hash_at(const void *ctx, size_t pos)
{
	const struct header_key *k = ctx;

	return str_hash(k->p->headers[pos], 1469598103934665603ULL);
}

/* Remember a header's text; its earlier line when the text was seen before, else 0. */
static int header_seen(struct ini_parser *p, const char *hdr)
{
	struct header_key key = {p, hdr};
	size_t *slot;

	index_reserve(&p->header_ix, p->n_headers, header_hash_at, &key);
	slot = index_slot(&p->header_ix, str_hash(hdr, 1469598103934665603ULL), header_same, &key);
	if (*slot)
		return p->header_lines[*slot - 1];
	p->headers = grow(p->headers, p->n_headers, sizeof(*p->headers));
	p->header_lines = grow(p->header_lines, p->n_headers, sizeof(int));
	p->headers[p->n_headers] = xstrdup(hdr);
	p->header_lines[p->n_headers++] = p->line;
	*slot = p->n_headers;
	return 0;
}

static enum sc_status parse_fail(struct ini_parser *p, const char *what)
{
	return sc_fail(p->err, SC_CONFIG, "%s:%d: %s", p->path, p->line, what);
}

/* "profile x" → PROFILE/x, "default" → PROFILE/default, and so on. */
/* Drop one pair of quotes around a name, as botocore's shlex split of the header does
 * ("[profile \"my team\"]" is profile my team). */
static char *unquote(char *s)
{
	size_t n = strlen(s);

	if (n >= 2 && (s[0] == '"' || s[0] == '\'') && s[n - 1] == s[0]) {
		s[n - 1] = '\0';
		return s + 1;
	}
	return s;
}

static enum aws_ini_kind classify(char *hdr, bool is_config, const char **name)
{
	static const struct {
		const char *prefix;
		enum aws_ini_kind kind;
	} kinds[] = {
	    {"profile", AWS_INI_PROFILE},
	    {"sso-session", AWS_INI_SSO_SESSION},
	    {"services", AWS_INI_SERVICES},
	};

	*name = hdr;
	if (!is_config)
		return AWS_INI_PLAIN;
	if (strcmp(hdr, "default") == 0)
		return AWS_INI_PROFILE;
	for (size_t i = 0; i < sizeof(kinds) / sizeof(kinds[0]); i++) {
		size_t n = strlen(kinds[i].prefix);

		if (strncmp(hdr, kinds[i].prefix, n) == 0 && is_blank(hdr[n])) {
			char *s = hdr + n;

			while (is_blank(*s))
				s++;
			*name = unquote(s);
			return kinds[i].kind;
		}
	}
	return strchr(hdr, ' ') ? AWS_INI_OTHER : AWS_INI_PLAIN;
}

static enum sc_status parse_header(struct ini_parser *p, const char *s, const char *e)
{
	const char *close = memchr(s, ']', (size_t)(e - s));
	const char *after, *hs, *he, *name;
	char *hdr;
	enum aws_ini_kind kind;
	int first;

	if (!close)
		return parse_fail(p, "section header without a closing ']'");
	after = close + 1;
	while (after < e && is_blank(*after))
		after++;
	if (after < e && *after != '#' && *after != ';')
		return parse_fail(p, "unexpected text after the section header");
	hs = s + 1;
	he = close;
	trim_span(&hs, &he);
	if (hs == he)
		return parse_fail(p, "empty section name");
	hdr = xstrndup(hs, (size_t)(he - hs));
	kind = classify(hdr, p->is_config, &name);
	if (!*name) {
		free(hdr);
		return parse_fail(p, "section header without a name");
	}
	first = header_seen(p, hdr);
	if (first) {
		/* configparser, and so the AWS CLI, refuses the whole file */
		sc_fail(p->err, SC_CONFIG,
		        "%s:%d: section [%.100s] appears again (first at line %d)", p->path,
		        p->line, hdr, first);
		free(hdr);
		return SC_CONFIG;
	}
	p->section = add_section(p->ini, &p->section_ix, kind, name, p->line);
	p->header_line = p->line;
	p->last = NULL;
	free(hdr);
	return SC_OK;
}

/* Split "key = value" at the first = or :, giving trimmed key and value spans. */
static bool split_prop(const char *s, const char *e, const char **ks, const char **ke,
                       const char **vs, const char **ve)
{
	const char *d = s;

	while (d < e && *d != '=' && *d != ':')
		d++;
	if (d == e)
		return false;
	*ks = s;
	*ke = d;
	*vs = d + 1;
	*ve = e;
	trim_span(ks, ke);
	trim_span(vs, ve);
	return *ks < *ke;
}

static enum sc_status parse_indented(struct ini_parser *p, const char *s, const char *e)
{
	const char *ks, *ke, *vs, *ve;
	struct buf b = BUF_INIT;

	if (!p->last)
		return parse_fail(p, "indented line without a property above it");
	if (p->last->value[0] != '\0') {
		buf_puts(&b, p->last->value);
		buf_putc(&b, '\n');
		buf_append(&b, s, (size_t)(e - s));
		free_secret(p->last->value);
		p->last->value = buf_steal(&b);
		return SC_OK;
	}
	if (!split_prop(s, e, &ks, &ke, &vs, &ve))
		return parse_fail(p, "expected an indented 'key = value' under the property above");
	set_prop(&p->last->sub, &p->last->n_sub, ks, (size_t)(ke - ks), vs, (size_t)(ve - vs),
	         p->line);
	return SC_OK;
}

static const struct aws_ini_prop *find_prop(const struct aws_ini_section *sec, const char *key,
                                            size_t len)
{
	for (size_t i = 0; i < sec->n_props; i++)
		if (strlen(sec->props[i].key) == len && memcmp(sec->props[i].key, key, len) == 0)
			return &sec->props[i];
	return NULL;
}

static enum sc_status parse_line(struct ini_parser *p, const char *s, const char *e)
{
	const char *ts = s, *te = e, *ks, *ke, *vs, *ve;
	const struct aws_ini_prop *dup;

	trim_span(&ts, &te);
	if (ts == te || *ts == '#' || *ts == ';')
		return SC_OK;
	if (is_blank(*s) && p->section)
		return parse_indented(p, ts, te);
	if (*ts == '[')
		return parse_header(p, ts, te);
	if (!p->section)
		return parse_fail(p, "a property before any [section] header");
	if (!split_prop(ts, te, &ks, &ke, &vs, &ve))
		return parse_fail(p, "expected 'key = value', a [section] header or a comment");
	if ((dup = find_prop(p->section, ks, (size_t)(ke - ks))) && dup->line > p->header_line) {
		/* the key itself is not quoted: a mistyped line could start with a secret */
		sc_fail(p->err, SC_CONFIG,
		        "%s:%d: a key repeats one of line %d in the same section", p->path, p->line,
		        dup->line);
		return SC_CONFIG;
	}
	p->last = set_prop(&p->section->props, &p->section->n_props, ks, (size_t)(ke - ks), vs,
	                   (size_t)(ve - vs), p->line);
	return SC_OK;
}

enum sc_status aws_ini_parse(const char *text, size_t len, const char *path, bool is_config,
                             struct aws_ini *out, struct sc_error *err)
{
	struct ini_parser p = {
	    .ini = out, .path = path ? path : "", .is_config = is_config, .err = err};
	const char *s = text, *end = text + len;
	enum sc_status rc = SC_OK;

	memset(out, 0, sizeof(*out));
	out->path = xstrdup(p.path);
	out->is_config = is_config;
	if (len >= 3 && memcmp(s, "\xEF\xBB\xBF", 3) == 0)
		s += 3;
	if (memchr(text, '\0', len))
		rc = sc_fail(err, SC_CONFIG, "%s: the file contains NUL bytes", p.path);
	while (rc == SC_OK && s < end) {
		const char *nl = memchr(s, '\n', (size_t)(end - s));

		p.line++;
		rc = parse_line(&p, s, nl ? nl : end);
		s = nl ? nl + 1 : end;
	}
	for (size_t i = 0; i < p.n_headers; i++)
		free(p.headers[i]);
	free(p.headers);
	free(p.header_lines);
	free(p.header_ix.slot);
	free(p.section_ix.slot);
	if (rc != SC_OK)
		aws_ini_free(out);
	return rc;
}

enum sc_status aws_ini_load(const char *path, bool is_config, struct aws_ini *out,
                            struct sc_error *err)
{
	struct buf b = BUF_INIT;
	struct stat st;
	char chunk[4096];
	ssize_t n;
	enum sc_status rc;
	int fd;

	memset(out, 0, sizeof(*out));
	fd = file_open_regular(path); /* a FIFO would block open(2) forever */
	if (fd < 0 && errno == ENOENT) {
		out->path = xstrdup(path);
		out->is_config = is_config;
		return SC_OK;
	}
	if (fd < 0)
		return sc_fail(err, SC_CONFIG, "%s: cannot read: %s", path, file_strerror(errno));
	if (fstat(fd, &st) != 0 || st.st_size > INI_MAX_BYTES) { /* regular or /dev/null */
		close(fd);
		return sc_fail(err, SC_CONFIG, "%s: not a regular file of at most 1 MiB", path);
	}
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && b.len <= INI_MAX_BYTES)
		buf_append(&b, chunk, (size_t)n);
	secure_zero(chunk, sizeof(chunk));
	close(fd);
	if (n < 0 || b.len > INI_MAX_BYTES) {
		buf_wipe(&b);
		return sc_fail(err, SC_CONFIG, "%s: cannot read the whole file", path);
	}
	rc = aws_ini_parse(b.data ? b.data : "", b.len, path, is_config, out, err);
	buf_wipe(&b);
	if (rc == SC_OK)
		out->exists = true;
	return rc;
}

const struct aws_ini_section *aws_ini_section(const struct aws_ini *ini, enum aws_ini_kind kind,
                                              const char *name)
{
	if (!ini || !name)
		return NULL;
	return find_section((struct aws_ini *)ini, kind, name);
}

const struct aws_ini_section *aws_ini_profile(const struct aws_ini *ini, const char *name)
{
	if (!ini || !name)
		return NULL;
	return aws_ini_section(ini, ini->is_config ? AWS_INI_PROFILE : AWS_INI_PLAIN, name);
}

const struct aws_ini_prop *aws_ini_prop(const struct aws_ini_section *s, const char *key)
{
	if (!s || !key)
		return NULL;
	for (size_t i = 0; i < s->n_props; i++)
		if (strcmp(s->props[i].key, key) == 0)
			return &s->props[i];
	return NULL;
}

const char *aws_ini_get(const struct aws_ini_section *s, const char *key)
{
	const struct aws_ini_prop *p = aws_ini_prop(s, key);

	return p ? p->value : NULL;
}

const char *aws_ini_get_sub(const struct aws_ini_section *s, const char *parent, const char *sub)
{
	const struct aws_ini_prop *p = aws_ini_prop(s, parent);

	if (!p || !sub)
		return NULL;
	for (size_t i = 0; i < p->n_sub; i++)
		if (strcmp(p->sub[i].key, sub) == 0)
			return p->sub[i].value;
	return NULL;
}

/* ---- the profile context ---- */

/* An environment variable, with "" treated as unset (as the SDKs do). */
static const char *env_get(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static char *default_path(const char *env, const char *rel)
{
	const char *v = env_get(env);
	char buf[64];

	if (v)
		return aws_expand_home(v);
	snprintf(buf, sizeof(buf), "~/.aws/%s", rel);
	return aws_expand_home(buf);
}

const char *aws_profile_get(const struct aws_profile_ctx *ctx, const char *profile, const char *key,
                            const char **from)
{
	const char *v = aws_ini_get(aws_ini_profile(&ctx->credentials, profile), key);

	if (v) {
		if (from)
			*from = "credentials file";
		return v;
	}
	v = aws_ini_get(aws_ini_profile(&ctx->config, profile), key);
	if (v && from)
		*from = "config file";
	return v;
}

bool aws_profile_exists(const struct aws_profile_ctx *ctx, const char *profile)
{
	return aws_ini_profile(&ctx->credentials, profile) ||
	       aws_ini_profile(&ctx->config, profile);
}

static void set_source(char *dst, size_t len, const char *fmt, const char *a)
{
	snprintf(dst, len, fmt, a);
}

static enum sc_status pick_profile(const struct aws_options *opt, struct aws_profile_ctx *ctx,
                                   struct sc_error *err)
{
	const char *name = NULL;

	if (opt && opt->profile && *opt->profile) {
		name = opt->profile;
		ctx->profile_explicit = true;
		set_source(ctx->profile_source, sizeof(ctx->profile_source), "%s", "--profile");
	} else if ((name = env_get("AWS_DEFAULT_PROFILE")) != NULL) {
		/* botocore checks the legacy name first */
		set_source(ctx->profile_source, sizeof(ctx->profile_source), "%s",
		           "AWS_DEFAULT_PROFILE");
	} else if ((name = env_get("AWS_PROFILE")) != NULL) {
		set_source(ctx->profile_source, sizeof(ctx->profile_source), "%s", "AWS_PROFILE");
	}
	if (!name) {
		ctx->profile = xstrdup("default");
		set_source(ctx->profile_source, sizeof(ctx->profile_source), "%s", "default");
		return SC_OK;
	}
	ctx->profile = xstrdup(name);
	if (aws_profile_exists(ctx, name))
		return SC_OK;
	return sc_fail(err, SC_CONFIG, "profile %s (from %s) is not in %s or %s", name,
	               ctx->profile_source, ctx->config_path, ctx->credentials_path);
}

static void pick_region(const struct aws_options *opt, struct aws_profile_ctx *ctx)
{
	static const char *const envs[] = {"AWS_REGION", "AWS_DEFAULT_REGION"};
	const char *v, *from;

	if (opt && opt->region && *opt->region) {
		ctx->region = xstrdup(opt->region);
		set_source(ctx->region_source, sizeof(ctx->region_source), "%s", "--region");
		return;
	}
	for (size_t i = 0; i < 2; i++) {
		if ((v = env_get(envs[i])) != NULL) {
			ctx->region = xstrdup(v);
			set_source(ctx->region_source, sizeof(ctx->region_source), "%s", envs[i]);
			return;
		}
	}
	v = aws_profile_get(ctx, ctx->profile, "region", &from);
	if (v && *v) {
		ctx->region = xstrdup(v);
		snprintf(ctx->region_source, sizeof(ctx->region_source), "profile %s (%s)",
		         ctx->profile, from);
	}
}

/* A setting from env or the profile; *src describes where it came from. */
static const char *env_or_profile(const struct aws_profile_ctx *ctx, const char *env,
                                  const char *key, char *src, size_t srclen)
{
	const char *v = env_get(env), *from;

	if (v) {
		snprintf(src, srclen, "%s", env);
		return v;
	}
	v = aws_profile_get(ctx, ctx->profile, key, &from);
	if (v && *v) {
		snprintf(src, srclen, "%s in profile %s (%s)", key, ctx->profile, from);
		return v;
	}
	return NULL;
}

static enum sc_status pick_max_attempts(struct aws_profile_ctx *ctx, struct sc_error *err)
{
	const char *v = env_or_profile(ctx, "AWS_MAX_ATTEMPTS", "max_attempts",
	                               ctx->max_attempts_source, sizeof(ctx->max_attempts_source));
	char *end;
	long n;

	ctx->max_attempts = 3;
	if (!v) {
		set_source(ctx->max_attempts_source, sizeof(ctx->max_attempts_source), "%s",
		           "default");
		return SC_OK;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 1 || n > 100)
		return sc_fail(err, SC_CONFIG,
		               "max_attempts from %s must be a whole number from 1 to 100",
		               ctx->max_attempts_source);
	ctx->max_attempts = (int)n;
	return SC_OK;
}

static enum sc_status pick_retry_mode(struct aws_profile_ctx *ctx, struct sc_error *err)
{
	const char *v = env_or_profile(ctx, "AWS_RETRY_MODE", "retry_mode", ctx->retry_mode_source,
	                               sizeof(ctx->retry_mode_source));

	if (!v) {
		strcpy(ctx->retry_mode, "standard");
		set_source(ctx->retry_mode_source, sizeof(ctx->retry_mode_source), "%s", "default");
		return SC_OK;
	}
	if (strcmp(v, "standard") && strcmp(v, "legacy") && strcmp(v, "adaptive"))
		return sc_fail(err, SC_CONFIG,
		               "retry_mode from %s must be standard, legacy or adaptive",
		               ctx->retry_mode_source);
	snprintf(ctx->retry_mode, sizeof(ctx->retry_mode), "%s", v);
	return SC_OK;
}

static enum sc_status pick_ca_bundle(struct aws_profile_ctx *ctx, struct sc_error *err)
{
	const char *v = env_or_profile(ctx, "AWS_CA_BUNDLE", "ca_bundle", ctx->ca_bundle_source,
	                               sizeof(ctx->ca_bundle_source));

	if (!v) {
		ctx->ca_bundle_source[0] = '\0';
		return SC_OK;
	}
	ctx->ca_bundle = aws_expand_home(v);
	if (access(ctx->ca_bundle, R_OK) != 0)
		return sc_fail(err, SC_CONFIG, "ca_bundle %s (from %s) is not readable: %s",
		               ctx->ca_bundle, ctx->ca_bundle_source, strerror(errno));
	return SC_OK;
}

enum sc_status aws_profile_ctx_load(const struct aws_options *opt, struct aws_profile_ctx *ctx,
                                    struct sc_error *err)
{
	enum sc_status rc;

	memset(ctx, 0, sizeof(*ctx));
	ctx->config_path = default_path("AWS_CONFIG_FILE", "config");
	ctx->credentials_path = default_path("AWS_SHARED_CREDENTIALS_FILE", "credentials");
	if (opt && opt->endpoint_url && *opt->endpoint_url)
		ctx->endpoint_url = xstrdup(opt->endpoint_url);
	rc = aws_ini_load(ctx->config_path, true, &ctx->config, err);
	if (rc == SC_OK)
		rc = aws_ini_load(ctx->credentials_path, false, &ctx->credentials, err);
	if (rc == SC_OK)
		rc = pick_profile(opt, ctx, err);
	if (rc == SC_OK) {
		pick_region(opt, ctx);
		rc = pick_max_attempts(ctx, err);
	}
	if (rc == SC_OK)
		rc = pick_retry_mode(ctx, err);
	if (rc == SC_OK)
		rc = pick_ca_bundle(ctx, err);
	if (rc != SC_OK)
		aws_profile_ctx_free(ctx);
	return rc;
}

void aws_profile_ctx_free(struct aws_profile_ctx *ctx)
{
	if (!ctx)
		return;
	aws_ini_free(&ctx->config);
	aws_ini_free(&ctx->credentials);
	free(ctx->profile);
	free(ctx->region);
	free(ctx->endpoint_url);
	free(ctx->ca_bundle);
	free(ctx->config_path);
	free(ctx->credentials_path);
	memset(ctx, 0, sizeof(*ctx));
}

enum sc_status aws_profile_region(const struct aws_profile_ctx *ctx, const char **region,
                                  struct sc_error *err)
{
	*region = ctx->region;
	if (ctx->region)
		return SC_OK;
	return sc_fail(err, SC_CONFIG,
	               "no region: set --region, AWS_REGION or region in profile %s", ctx->profile);
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void add_names(const struct aws_ini *ini, enum aws_ini_kind kind, char ***names, size_t *n)
{
	for (size_t i = 0; i < ini->n_sections; i++) {
		if (ini->sections[i].kind != kind)
			continue;
		*names = xrealloc(*names, (*n + 1) * sizeof(**names));
		(*names)[(*n)++] = xstrdup(ini->sections[i].name);
	}
}

void aws_profile_names(const struct aws_profile_ctx *ctx, char ***names, size_t *n)
{
	size_t j = 0;

	*names = NULL;
	*n = 0;
	add_names(&ctx->config, AWS_INI_PROFILE, names, n);
	add_names(&ctx->credentials, AWS_INI_PLAIN, names, n);
	if (!*n)
		return;
	qsort(*names, *n, sizeof(**names), cmp_str);
	for (size_t i = 1; i < *n; i++) {
		if (strcmp((*names)[i], (*names)[j]) == 0)
			free((*names)[i]);
		else
			(*names)[++j] = (*names)[i];
	}
	*n = j + 1;
}

void aws_profile_names_free(char **names, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(names[i]);
	free(names);
}

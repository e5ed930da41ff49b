#include "sesctl/dns/records.h"

#include "sesctl/dns/name.h"
#include "sesctl/util/buf.h"

#include <openssl/evp.h>
#include <stdarg.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

static const struct {
	const char *type;
	const char *purpose;
} kind_rows[] = {
#define DNS_KIND_ROW(k, type, purpose) {type, purpose},
    DNS_RECORD_KINDS(DNS_KIND_ROW)
#undef DNS_KIND_ROW
};

static const struct {
	const char *name;
	const char *label;
	const char *meaning;
} state_rows[] = {
#define DNS_STATE_ROW(s, label, meaning) {#s, label, meaning},
    DNS_CHECK_STATES(DNS_STATE_ROW)
#undef DNS_STATE_ROW
};

const char *dns_kind_type(enum dns_record_kind kind)
{
	return kind < DNS_KIND_COUNT ? kind_rows[kind].type : "?";
}

const char *dns_kind_purpose(enum dns_record_kind kind)
{
	return kind < DNS_KIND_COUNT ? kind_rows[kind].purpose : "?";
}

const char *dns_state_label(enum dns_check_state st)
{
	return st < DNS_STATE_COUNT ? state_rows[st].label : "?";
}

const char *dns_state_name(enum dns_check_state st)
{
	return st < DNS_STATE_COUNT ? state_rows[st].name : "?";
}

const char *dns_state_meaning(enum dns_check_state st)
{
	return st < DNS_STATE_COUNT ? state_rows[st].meaning : "?";
}

void dns_record_set_init(struct dns_record_set *set)
{
	memset(set, 0, sizeof(*set));
}

static void record_free(struct dns_record *r)
{
	free(r->name);
	free(r->display_name);
	free(r->type);
	free(r->value);
	free(r->purpose);
	free(r->region);
	free(r->account);
	free(r->published);
	free(r->resolver);
	free(r->detail);
	memset(r, 0, sizeof(*r));
}

void dns_record_set_free(struct dns_record_set *set)
{
	if (!set)
		return;
	for (size_t i = 0; i < set->n; i++)
		record_free(&set->v[i]);
	free(set->v);
	free(set->domain);
	free(set->domain_u);
	free(set->bimi);
	free(set->mta_sts);
	free(set->tlsrpt);
	free(set->dmarc_at);
	for (size_t i = 0; i < set->n_warnings; i++)
		free(set->warnings[i]);
	free(set->warnings);
	memset(set, 0, sizeof(*set));
}

/* "a,b" + "c" → "a,b,c"; nothing when already listed. */
static void list_add(char **list, const char *item)
{
	struct buf b = BUF_INIT;
	size_t n;

	if (!item || !*item)
		return;
	if (!*list) {
		*list = xstrdup(item);
		return;
	}
	n = strlen(item);
	for (const char *p = *list; p; p = strchr(p, ',')) {
		if (*p == ',')
			p++;
		if (strncmp(p, item, n) == 0 && (p[n] == ',' || p[n] == '\0'))
			return;
	}
	buf_printf(&b, "%s,%s", *list, item);
	free(*list);
	*list = buf_steal(&b);
}

static bool same_value(const struct dns_record *r, enum dns_record_kind kind, const char *value)
{
	if (strcmp(kind_rows[kind].type, "TXT") == 0)
		return strcmp(r->value, value) == 0;
	return strcasecmp(r->value, value) == 0;
}

static char *display_of(const struct dns_record_set *set, const char *name)
{
	size_t nn = strlen(name), nd = strlen(set->domain);
	struct buf b = BUF_INIT;

	if (nn < nd || strcmp(name + nn - nd, set->domain) != 0)
		return xstrdup(name);
	buf_append(&b, name, nn - nd);
	buf_puts(&b, set->domain_u);
	return buf_steal(&b);
}

struct rec_spec {
	enum dns_record_kind kind;
	const char *name;
	const char *value;
	const char *purpose;
	bool suggestion;
	bool placeholder;
	bool optional;
};

static void add_record(struct dns_record_set *set, const struct rec_spec *s, const char *account,
                       const char *region, unsigned ttl)
{
	struct dns_record *r;
	size_t at = set->n;

	for (size_t i = 0; i < set->n; i++) {
		r = &set->v[i];
		if (r->kind == s->kind && strcmp(r->name, s->name) == 0 &&
		    same_value(r, s->kind, s->value)) {
			list_add(&r->region, region);
			list_add(&r->account, account);
			r->optional = r->optional && s->optional; /* needed by one: needed */
			return;
		}
	}
	while (at > 0 && set->v[at - 1].kind > s->kind)
		at--;
	if (set->n == set->cap) {
		set->cap = set->cap ? set->cap * 2 : 16;
		set->v = xrealloc(set->v, set->cap * sizeof(*set->v));
	}
	memmove(&set->v[at + 1], &set->v[at], (set->n - at) * sizeof(*set->v));
	set->n++;
	r = &set->v[at];
	memset(r, 0, sizeof(*r));
	r->kind = s->kind;
	r->name = xstrdup(s->name);
	r->display_name = display_of(set, s->name);
	r->type = xstrdup(kind_rows[s->kind].type);
	r->value = xstrdup(s->value);
	r->ttl = ttl;
	r->purpose = xstrdup(s->purpose ? s->purpose : kind_rows[s->kind].purpose);
	r->region = region ? xstrdup(region) : NULL;
	r->account = account && *account ? xstrdup(account) : NULL;
	r->suggestion = s->suggestion;
	r->placeholder = s->placeholder;
	r->optional = s->optional;
}

static bool region_ok(const char *r)
{
	size_t n = r ? strlen(r) : 0;

	if (n < 4 || n > 32 || r[0] < 'a' || r[0] > 'z' || r[n - 1] < '0' || r[n - 1] > '9')
		return false;
	for (size_t i = 0; i < n; i++)
		if (!((r[i] >= 'a' && r[i] <= 'z') || (r[i] >= '0' && r[i] <= '9') || r[i] == '-'))
			return false;
	return strchr(r, '-') != NULL;
}

static bool printable(const char *s)
{
	for (; *s; s++)
		if ((unsigned char)*s < 0x20 || *s == 0x7f)
			return false;
	return true;
}

/* One planned identity, validated before anything is added to the set. */
struct plan {
	struct dns_name domain;
	struct dns_name mail_from;
	char **dkim_names; /* n_dkim FQDNs */
	size_t n_dkim;
	bool byodkim;
	char *dmarc_name;
	char *verify_name;
};

static void plan_free(struct plan *p)
{
	dns_name_free(&p->domain);
	dns_name_free(&p->mail_from);
	for (size_t i = 0; i < p->n_dkim; i++)
		free(p->dkim_names[i]);
	free(p->dkim_names);
	free(p->dmarc_name);
	free(p->verify_name);
}

static enum sc_status plan_dkim(struct plan *p, const struct ses_identity *id, struct sc_error *err)
{
	p->byodkim = id->dkim_origin && strcmp(id->dkim_origin, "EXTERNAL") == 0;
	p->dkim_names = xcalloc(id->n_dkim_tokens ? id->n_dkim_tokens : 1, sizeof(char *));
	for (size_t i = 0; i < id->n_dkim_tokens && (!p->byodkim || i < 1); i++) {
		struct buf b = BUF_INIT;
		struct dns_name n;
		enum sc_status st;

		buf_printf(&b, "%s._domainkey.%s", id->dkim_tokens[i] ? id->dkim_tokens[i] : "",
		           p->domain.alabel);
		st = dns_name_normalize(buf_str(&b), DNS_NAME_UNDERSCORE, &n, err);
		buf_free(&b);
		if (st) {
			sc_error_prefix(err, "DKIM %s '%.64s'", p->byodkim ? "selector" : "token",
			                id->dkim_tokens[i] ? id->dkim_tokens[i] : "");
			return st;
		}
		p->dkim_names[p->n_dkim++] = xstrdup(n.alabel);
		dns_name_free(&n);
	}
	return SC_OK;
}

static enum sc_status plan_identity(struct plan *p, const struct dns_record_set *set,
                                    const struct ses_identity *id, const char *region,
                                    struct sc_error *err)
{
	enum sc_status st;
	struct buf b = BUF_INIT;

	memset(p, 0, sizeof(*p));
	if (!id || !id->name)
		return sc_fail(err, SC_USAGE, "the identity has no name");
	if (!ses_identity_is_domain(id))
		return sc_fail(err, SC_USAGE,
		               "'%.128s' is not a domain identity: an email address "
		               "identity has no DNS records of its own",
		               id->name);
	if (!region_ok(region))
		return sc_fail(err, SC_USAGE, "'%.64s' is not an AWS region name",
		               region ? region : "");
	st = dns_name_normalize(id->name, 0, &p->domain, err);
	if (st)
		return st;
	if (set->domain && strcmp(set->domain, p->domain.alabel) != 0)
		return sc_fail(err, SC_USAGE, "this record set is for %s, not %s", set->domain,
		               p->domain.alabel);
	if (id->mail_from_domain && *id->mail_from_domain) {
		st = dns_name_normalize(id->mail_from_domain, 0, &p->mail_from, err);
		if (st)
			return st;
		if (!dns_name_within(p->mail_from.alabel, p->domain.alabel) ||
		    strcmp(p->mail_from.alabel, p->domain.alabel) == 0)
			return sc_fail(err, SC_USAGE,
			               "MAIL FROM domain %s is not a subdomain of %s",
			               p->mail_from.alabel, p->domain.alabel);
	}
	if (id->verification_token && !printable(id->verification_token))
		return sc_fail(err, SC_USAGE,
		               "the verification token of %s contains control "
		               "characters",
		               p->domain.alabel);
	st = plan_dkim(p, id, err);
	if (st)
		return st;
	buf_printf(&b, "_dmarc.%s", p->domain.alabel);
	p->dmarc_name = buf_steal(&b);
	buf_printf(&b, "_amazonses.%s", p->domain.alabel);
	p->verify_name = buf_steal(&b);
	if (strlen(p->dmarc_name) > DNS_NAME_MAX || strlen(p->verify_name) > DNS_NAME_MAX)
		return sc_fail(err, SC_USAGE,
		               "domain name %s is too long to hold _amazonses and "
		               "_dmarc records",
		               p->domain.alabel);
	return SC_OK;
}

static void add_dkim(struct dns_record_set *set, const struct plan *p,
                     const struct ses_identity *id, const struct dns_gen_opts *o, const char *acct,
                     const char *region, unsigned ttl)
{
	struct buf value = BUF_INIT, purpose = BUF_INIT;

	for (size_t i = 0; i < p->n_dkim; i++) {
		struct rec_spec s = {.name = p->dkim_names[i]};

		buf_reset(&value);
		buf_reset(&purpose);
		if (p->byodkim) {
			bool have = o && o->byodkim_public_key && *o->byodkim_public_key;

			s.kind = DNS_KIND_BYODKIM;
			buf_printf(&value, "v=DKIM1; k=rsa; p=%s",
			           have ? o->byodkim_public_key : "<public key>");
			s.placeholder = !have;
		} else {
			s.kind = DNS_KIND_DKIM;
			buf_printf(&value, "%s.dkim.amazonses.com", id->dkim_tokens[i]);
			for (char *c = value.data; *c; c++)
				if (*c >= 'A' && *c <= 'Z')
					*c = (char)(*c - 'A' + 'a');
			buf_printf(&purpose, "DKIM %zu/%zu", i + 1, p->n_dkim);
			s.purpose = buf_str(&purpose);
		}
		s.value = buf_str(&value);
		add_record(set, &s, acct, region, ttl);
	}
	buf_free(&value);
	buf_free(&purpose);
}

static void warn(struct dns_record_set *set, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static void warn(struct dns_record_set *set, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	for (size_t i = 0; i < set->n_warnings; i++) {
		if (strcmp(set->warnings[i], buf_str(&b)) == 0) {
			buf_free(&b);
			return;
		}
	}
	set->warnings = xrealloc(set->warnings, (set->n_warnings + 1) * sizeof(char *));
	set->warnings[set->n_warnings++] = buf_steal(&b);
}

/* One MAIL FROM name used in two regions gets both MX targets: bounces may return to the
 * wrong region (reference: use a MAIL FROM per region). */
static void warn_shared_mail_from(struct dns_record_set *set, const char *name, const char *region)
{
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		if (r->kind == DNS_KIND_MAILFROM_MX && strcmp(r->name, name) == 0 && r->region &&
		    strcmp(r->region, region) != 0 && !strstr(r->region, region))
			warn(
			    set,
			    "MAIL FROM %s is used in %s and %s: asynchronous bounces may return to "
			    "the wrong region; use one MAIL FROM per region (bounce-%s.%s)",
			    name, r->region, region, region, set->domain);
	}
}

static void add_mail_from(struct dns_record_set *set, const struct plan *p, const char *acct,
                          const char *region, unsigned ttl)
{
	struct buf value = BUF_INIT;
	struct rec_spec mx = {.kind = DNS_KIND_MAILFROM_MX, .name = p->mail_from.alabel};
	struct rec_spec spf = {.kind = DNS_KIND_MAILFROM_SPF,
	                       .name = p->mail_from.alabel,
	                       .value = "v=spf1 include:amazonses.com ~all"};

	if (!p->mail_from.alabel)
		return;
	warn_shared_mail_from(set, p->mail_from.alabel, region);
	buf_printf(&value, "10 feedback-smtp.%s.amazonses.com", region);
	mx.value = buf_str(&value);
	add_record(set, &mx, acct, region, ttl);
	add_record(set, &spf, acct, region, ttl);
	buf_free(&value);
}

static void add_dmarc(struct dns_record_set *set, const struct plan *p,
                      const struct dns_gen_opts *o, unsigned ttl)
{
	struct buf value = BUF_INIT;
	struct rec_spec s = {.kind = DNS_KIND_DMARC, .name = p->dmarc_name, .suggestion = true};
	const char *published = o ? o->dmarc_published : NULL;
	const char *rua = o ? o->dmarc_rua : NULL;

	if (dns_record_set_dmarc(set)) {
		if (published)
			dns_record_set_adopt_dmarc(set, published);
		return;
	}
	if (published && *published) {
		s.value = published;
		s.suggestion = false;
	} else {
		buf_puts(&value, "v=DMARC1; p=none; rua=");
		if (rua && *rua)
			buf_printf(&value, "%s%s", strncmp(rua, "mailto:", 7) ? "mailto:" : "",
			           rua);
		else
			buf_printf(&value, "mailto:dmarc-reports@%s", p->domain.alabel);
		s.value = buf_str(&value);
	}
	add_record(set, &s, NULL, NULL, ttl);
	buf_free(&value);
}

enum sc_status dns_records_for_identity(struct dns_record_set *set,
                                        const struct ses_identity *identity, const char *account,
                                        const char *region, const struct dns_gen_opts *opts,
                                        struct sc_error *err)
{
	struct plan p;
	unsigned ttl = opts && opts->ttl ? opts->ttl : DNS_DEFAULT_TTL;
	enum sc_status st = plan_identity(&p, set, identity, region, err);

	if (st) {
		plan_free(&p);
		return st;
	}
	if (!set->domain) {
		set->domain = xstrdup(p.domain.alabel);
		set->domain_u = xstrdup(p.domain.ulabel);
	}
	if (identity->verification_token && *identity->verification_token) {
		/* SES verifies a domain with DKIM records through them; the legacy token then
		 * changes nothing (AWS: "not required when Easy DKIM is set up") */
		struct rec_spec s = {.kind = DNS_KIND_VERIFY,
		                     .name = p.verify_name,
		                     .value = identity->verification_token,
		                     .optional = p.n_dkim > 0};
		add_record(set, &s, account, region, ttl);
	}
	add_dkim(set, &p, identity, opts, account, region, ttl);
	if (p.byodkim && !(opts && opts->byodkim_public_key && *opts->byodkim_public_key))
		warn(set,
		     "the BYODKIM public key of %s is not known: fill in the p= value of the "
		     "selector record before publishing it",
		     p.domain.alabel);
	add_mail_from(set, &p, account, region, ttl);
	if (opts && opts->inbound) {
		struct buf v = BUF_INIT;
		struct rec_spec s = {.kind = DNS_KIND_INBOUND_MX, .name = p.domain.alabel};

		buf_printf(&v, "10 inbound-smtp.%s.amazonaws.com", region);
		s.value = buf_str(&v);
		add_record(set, &s, account, region, ttl);
		buf_free(&v);
	}
	add_dmarc(set, &p, opts, ttl);
	plan_free(&p);
	return SC_OK;
}

static bool recipient_covers(const char *rcpt, const char *domain)
{
	const char *at = strrchr(rcpt, '@');

	if (at)
		return dns_name_equal(at + 1, domain);
	if (rcpt[0] == '.')
		return dns_name_within(domain, rcpt + 1) && !dns_name_equal(domain, rcpt + 1);
	return dns_name_equal(rcpt, domain);
}

bool dns_domain_receives(const struct ses_rule_set *sets, size_t n, const char *domain)
{
	for (size_t s = 0; s < n; s++) {
		if (!sets[s].active)
			continue;
		for (size_t r = 0; r < sets[s].n_rules; r++) {
			const struct ses_rule *rule = &sets[s].rules[r];

			if (!rule->enabled)
				continue;
			if (rule->n_recipients == 0)
				return true;
			for (size_t k = 0; k < rule->n_recipients; k++)
				if (rule->recipients[k] &&
				    recipient_covers(rule->recipients[k], domain))
					return true;
		}
	}
	return false;
}

size_t dns_record_set_count(const struct dns_record_set *set, enum dns_check_state st)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += set->v[i].status == st;
	return n;
}

struct dns_record *dns_record_set_dmarc(struct dns_record_set *set)
{
	for (size_t i = 0; i < set->n; i++)
		if (set->v[i].kind == DNS_KIND_DMARC)
			return &set->v[i];
	return NULL;
}

void dns_record_set_adopt_dmarc(struct dns_record_set *set, const char *published)
{
	struct dns_record *r = dns_record_set_dmarc(set);

	if (!r || !r->suggestion || !published || !*published)
		return;
	free(r->value);
	r->value = xstrdup(published);
	r->suggestion = false;
}

enum sc_status dns_byodkim_public_key(const char *pem, size_t len, char **out, struct sc_error *err)
{
	BIO *bio;
	EVP_PKEY *key;
	unsigned char *der = NULL;
	int n;
	char *b64;

	*out = NULL;
	if (!pem || !len || len > 65536)
		return sc_fail(err, SC_USAGE, "the BYODKIM key is empty or too large");
	bio = BIO_new_mem_buf(pem, (int)len);
	key = bio ? PEM_read_bio_PrivateKey(bio, NULL, NULL, NULL) : NULL;
	if (!key && bio) {
		(void)BIO_reset(bio);
		key = PEM_read_bio_PUBKEY(bio, NULL, NULL, NULL);
	}
	BIO_free(bio);
	if (!key || EVP_PKEY_get_base_id(key) != EVP_PKEY_RSA) {
		EVP_PKEY_free(key);
		return sc_fail(err, SC_USAGE, "the BYODKIM key is not a PEM RSA key");
	}
	n = i2d_PUBKEY(key, &der);
	EVP_PKEY_free(key);
	if (n <= 0)
		return sc_fail(err, SC_USAGE, "the BYODKIM public key could not be encoded");
	b64 = xmalloc(((size_t)n + 2) / 3 * 4 + 1);
	EVP_EncodeBlock((unsigned char *)b64, der, n);
	OPENSSL_free(der);
	*out = b64;
	return SC_OK;
}

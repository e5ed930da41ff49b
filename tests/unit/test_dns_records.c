/* DNS record generation, name normalisation and the pure exporters. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/export.h"
#include "sesctl/dns/name.h"
#include "sesctl/dns/records.h"
#include "sesctl/util/buf.h"

static char *tokens_a[] = {"tokaaa1", "tokaaa2", "tokaaa3"};
static char *tokens_b[] = {"tokbbb1", "tokbbb2", "tokbbb3"};

static struct ses_identity domain_identity(const char *name, char **tokens, const char *mail_from,
                                           const char *token)
{
	struct ses_identity id;

	memset(&id, 0, sizeof(id));
	id.name = (char *)name;
	id.type = "DOMAIN";
	id.dkim_tokens = tokens;
	id.n_dkim_tokens = tokens ? 3 : 0;
	id.mail_from_domain = (char *)mail_from;
	id.verification_token = (char *)token;
	return id;
}

static size_t count(const struct dns_record_set *set, enum dns_record_kind kind)
{
	size_t n = 0;

	for (size_t i = 0; i < set->n; i++)
		n += set->v[i].kind == kind;
	return n;
}

static const struct dns_record *find(const struct dns_record_set *set, const char *name,
                                     const char *value)
{
	for (size_t i = 0; i < set->n; i++)
		if (strcmp(set->v[i].name, name) == 0 &&
		    (!value || !strcmp(set->v[i].value, value)))
			return &set->v[i];
	return NULL;
}

static void test_easy_dkim_single(void **state)
{
	struct dns_record_set set;
	struct ses_identity id = domain_identity("Receipts.Shop.Example.", tokens_a,
	                                         "bounce.receipts.shop.example", NULL);
	struct sc_error err;
	const struct dns_record *r;

	(void)state;
	dns_record_set_init(&set);
	assert_int_equal(
	    dns_records_for_identity(&set, &id, "111111111111", "eu-west-1", NULL, &err), SC_OK);
	assert_string_equal(set.domain, "receipts.shop.example");
	assert_int_equal(count(&set, DNS_KIND_DKIM), 3);
	r = find(&set, "tokaaa2._domainkey.receipts.shop.example", NULL);
	assert_non_null(r);
	assert_string_equal(r->type, "CNAME");
	assert_string_equal(r->value, "tokaaa2.dkim.amazonses.com");
	assert_string_equal(r->purpose, "DKIM 2/3");
	assert_string_equal(r->region, "eu-west-1");
	assert_string_equal(r->account, "111111111111");
	r = find(&set, "bounce.receipts.shop.example", "10 feedback-smtp.eu-west-1.amazonses.com");
	assert_non_null(r);
	assert_string_equal(r->type, "MX");
	r = find(&set, "bounce.receipts.shop.example", "v=spf1 include:amazonses.com ~all");
	assert_non_null(r);
	assert_string_equal(r->type, "TXT");
	r = find(&set, "_dmarc.receipts.shop.example", NULL);
	assert_non_null(r);
	assert_true(r->suggestion);
	assert_string_equal(r->value,
	                    "v=DMARC1; p=none; rua=mailto:dmarc-reports@receipts.shop.example");
	assert_null(find(&set, "_amazonses.receipts.shop.example", NULL));
	assert_null(find(&set, "receipts.shop.example", NULL)); /* no inbound unless asked */
	assert_int_equal(set.n, 6);
	dns_record_set_free(&set);
}

/* Scenario 3: one domain in eu-west-1 and us-west-2. */
static void test_multi_region_merge(void **state)
{
	struct dns_record_set set;
	struct ses_identity a =
	    domain_identity("shop.example", tokens_a, "bounce-eu-west-1.shop.example", "TOKEN-A");
	struct ses_identity b =
	    domain_identity("shop.example", tokens_b, "bounce-us-west-2.shop.example", "TOKEN-B");
	struct dns_gen_opts opts = {.dmarc_rua = "reports@shop.example"};
	struct sc_error err;
	const struct dns_record *r;

	(void)state;
	dns_record_set_init(&set);
	assert_int_equal(
	    dns_records_for_identity(&set, &a, "111111111111", "eu-west-1", &opts, &err), SC_OK);
	assert_int_equal(
	    dns_records_for_identity(&set, &b, "111111111111", "us-west-2", &opts, &err), SC_OK);
	assert_int_equal(count(&set, DNS_KIND_VERIFY), 2);
	assert_non_null(find(&set, "_amazonses.shop.example", "TOKEN-A"));
	assert_non_null(find(&set, "_amazonses.shop.example", "TOKEN-B"));
	assert_int_equal(count(&set, DNS_KIND_DKIM), 6);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_MX), 2);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_SPF), 2);
	assert_int_equal(set.n_warnings, 0);
	assert_non_null(find(&set, "bounce-us-west-2.shop.example",
	                     "10 feedback-smtp.us-west-2.amazonses.com"));
	assert_int_equal(count(&set, DNS_KIND_DMARC), 1);
	r = find(&set, "_dmarc.shop.example", NULL);
	assert_string_equal(r->value, "v=DMARC1; p=none; rua=mailto:reports@shop.example");
	/* kinds stay grouped: both verification values first, then six CNAMEs */
	assert_int_equal(set.v[0].kind, DNS_KIND_VERIFY);
	assert_int_equal(set.v[1].kind, DNS_KIND_VERIFY);
	assert_int_equal(set.v[7].kind, DNS_KIND_DKIM);
	assert_int_equal(set.v[set.n - 1].kind, DNS_KIND_DMARC);
	assert_int_equal(set.n, 2 + 6 + 2 + 2 + 1);
	dns_record_set_free(&set);
}

/* Same region, two accounts, a shared MAIL FROM name: one MX/SPF pair listing both. */
static void test_two_accounts_same_region(void **state)
{
	struct dns_record_set set;
	struct ses_identity a =
	    domain_identity("shop.example", tokens_a, "mail.shop.example", "T1");
	struct ses_identity b =
	    domain_identity("shop.example", tokens_b, "mail.shop.example", "T2");
	struct dns_gen_opts opts = {.inbound = true};
	struct sc_error err;
	const struct dns_record *r;

	(void)state;
	dns_record_set_init(&set);
	assert_int_equal(
	    dns_records_for_identity(&set, &a, "111111111111", "us-east-1", &opts, &err), SC_OK);
	assert_int_equal(
	    dns_records_for_identity(&set, &b, "222222222222", "us-east-1", &opts, &err), SC_OK);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_MX), 1);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_SPF), 1);
	assert_int_equal(count(&set, DNS_KIND_INBOUND_MX), 1);
	r = find(&set, "mail.shop.example", "10 feedback-smtp.us-east-1.amazonses.com");
	assert_string_equal(r->account, "111111111111,222222222222");
	assert_string_equal(r->region, "us-east-1");
	r = find(&set, "shop.example", NULL);
	assert_string_equal(r->value, "10 inbound-smtp.us-east-1.amazonaws.com");
	assert_int_equal(count(&set, DNS_KIND_DKIM), 6);
	dns_record_set_free(&set);
}

/* One MAIL FROM name in two regions: both MX targets, one SPF, and a warning. */
static void test_shared_mail_from_warns(void **state)
{
	struct dns_record_set set;
	struct ses_identity a =
	    domain_identity("shop.example", tokens_a, "mail.shop.example", NULL);
	struct ses_identity b =
	    domain_identity("shop.example", tokens_b, "mail.shop.example", NULL);
	struct sc_error err;
	struct buf out = BUF_INIT;

	(void)state;
	dns_record_set_init(&set);
	assert_int_equal(dns_records_for_identity(&set, &a, NULL, "eu-west-1", NULL, &err), SC_OK);
	assert_int_equal(dns_records_for_identity(&set, &b, NULL, "us-west-2", NULL, &err), SC_OK);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_MX), 2);
	assert_int_equal(count(&set, DNS_KIND_MAILFROM_SPF), 1);
	assert_string_equal(
	    find(&set, "mail.shop.example", "v=spf1 include:amazonses.com ~all")->region,
	    "eu-west-1,us-west-2");
	assert_int_equal(set.n_warnings, 1);
	assert_string_equal(set.warnings[0],
	                    "MAIL FROM mail.shop.example is used in eu-west-1 and us-west-2: "
	                    "asynchronous bounces may return to the wrong region; use one MAIL "
	                    "FROM per region (bounce-us-west-2.shop.example)");
	dns_export_table(&out, &set);
	assert_non_null(strstr(buf_str(&out), "\nwarning: MAIL FROM mail.shop.example is used"));
	buf_reset(&out);
	dns_export_zone(&out, &set, 0);
	assert_non_null(strstr(buf_str(&out), "\n; warning: MAIL FROM mail.shop.example is used"));
	buf_reset(&out);
	dns_export_json(&out, &set);
	assert_non_null(strstr(buf_str(&out), "\"warnings\":\t[\"MAIL FROM mail.shop.example"));
	buf_free(&out);
	dns_record_set_free(&set);
}

static void test_byodkim_and_published_dmarc(void **state)
{
	char *selector[] = {"sel2024"};
	struct ses_identity id = domain_identity("shop.example", selector, NULL, NULL);
	struct dns_gen_opts opts = {.byodkim_public_key = "MIIBIjANBgkq",
	                            .dmarc_published = "v=DMARC1; p=reject"};
	struct dns_record_set set;
	struct sc_error err;
	const struct dns_record *r;

	(void)state;
	id.dkim_origin = "EXTERNAL";
	id.n_dkim_tokens = 1;
	dns_record_set_init(&set);
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu-west-1", &opts, &err),
	                 SC_OK);
	r = find(&set, "sel2024._domainkey.shop.example", NULL);
	assert_non_null(r);
	assert_int_equal(r->kind, DNS_KIND_BYODKIM);
	assert_string_equal(r->type, "TXT");
	assert_string_equal(r->value, "v=DKIM1; k=rsa; p=MIIBIjANBgkq");
	assert_false(r->placeholder);
	assert_null(r->account);
	r = dns_record_set_dmarc(&set);
	assert_false(r->suggestion);
	assert_string_equal(r->value, "v=DMARC1; p=reject");
	dns_record_set_free(&set);

	opts.byodkim_public_key = NULL;
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu-west-1", &opts, &err),
	                 SC_OK);
	assert_true(find(&set, "sel2024._domainkey.shop.example", NULL)->placeholder);
	assert_int_equal(set.n_warnings, 1);
	assert_non_null(strstr(set.warnings[0], "BYODKIM public key of shop.example is not known"));
	dns_record_set_free(&set);
}

static void test_byodkim_key_from_pem(void **state)
{
	/* a throwaway 1024-bit test key, generated for this test only */
	static const char pem[] =
	    "-----BEGIN PUBLIC KEY-----\n"
	    "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCyxLxmeyEV0Q+7NOx6W4PoQOfn\n"
	    "BdTKLnJadEFWXCBa3HowYSPDKibPZ+98rrXDhB93Vj/yubaslZpAxx/mWQkQwW7a\n"
	    "JlMvO+YgqT2gCGJaLejiWzRYVN/N620wC9DbXUmWDHypfXIxBnXzRGV1BAakxRVi\n"
	    "KIV+ftOGtNiMMKo4PwIDAQAB\n"
	    "-----END PUBLIC KEY-----\n";
	char *b64 = NULL;
	struct sc_error err;

	(void)state;
	assert_int_equal(dns_byodkim_public_key(pem, strlen(pem), &b64, &err), SC_OK);
	assert_string_equal(b64, "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQCyxLxmeyEV0Q+7NOx6W4PoQOfn"
	                         "BdTKLnJadEFWXCBa3HowYSPDKibPZ+98rrXDhB93Vj/yubaslZpAxx/mWQkQwW7a"
	                         "JlMvO+YgqT2gCGJaLejiWzRYVN/N620wC9DbXUmWDHypfXIxBnXzRGV1BAakxRVi"
	                         "KIV+ftOGtNiMMKo4PwIDAQAB");
	free(b64);
	assert_int_equal(dns_byodkim_public_key("not a key", 9, &b64, &err), SC_USAGE);
	assert_null(b64);
	assert_string_equal(err.message, "the BYODKIM key is not a PEM RSA key");
}

static void test_idn(void **state)
{
	struct dns_name n;
	struct sc_error err;
	struct dns_record_set set;
	struct ses_identity id = domain_identity("B\xc3\xbc"
	                                         "cher.example",
	                                         tokens_a,
	                                         "bounce.b\xc3\xbc"
	                                         "cher.example",
	                                         NULL);

	(void)state;
	assert_int_equal(dns_name_normalize("b\xc3\xbc"
	                                    "cher.example",
	                                    0, &n, &err),
	                 SC_OK);
	assert_string_equal(n.alabel, "xn--bcher-kva.example");
	assert_string_equal(n.ulabel, "b\xc3\xbc"
	                              "cher.example");
	dns_name_free(&n);
	assert_int_equal(dns_name_normalize("XN--BCHER-KVA.example.", 0, &n, &err), SC_OK);
	assert_string_equal(n.alabel, "xn--bcher-kva.example");
	assert_string_equal(n.ulabel, "b\xc3\xbc"
	                              "cher.example");
	dns_name_free(&n);

	dns_record_set_init(&set);
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu-west-1", NULL, &err), SC_OK);
	assert_string_equal(set.domain, "xn--bcher-kva.example");
	assert_string_equal(set.domain_u, "b\xc3\xbc"
	                                  "cher.example");
	assert_non_null(find(&set, "tokaaa1._domainkey.xn--bcher-kva.example", NULL));
	assert_string_equal(find(&set, "bounce.xn--bcher-kva.example", NULL)->display_name,
	                    "bounce.b\xc3\xbc"
	                    "cher.example");
	dns_record_set_free(&set);
}

struct bad_name {
	const char *input;
	unsigned flags;
	const char *message;
};

static void test_bad_names(void **state)
{
	char long_label[80], long_name[300];
	const struct bad_name cases[] = {
	    {"", 0, "the domain name is empty"},
	    {"example..com", 0, "domain name 'example..com' has an empty label"},
	    {"example.com..", 0, "domain name 'example.com..' has an empty label"},
	    {".example.com", 0, "domain name '.example.com' has an empty label"},
	    {"localhost", 0, "domain name 'localhost' needs at least two labels"},
	    {"_dmarc.example.com", 0,
	     "domain name '_dmarc.example.com' contains an underscore, which is not allowed here"},
	    {"exa mple.com", 0,
	     "domain name 'exa mple.com' contains ' ', which is not allowed in a domain name"},
	    {"-bad.example", 0,
	     "domain name '-bad.example' has a label that starts or ends with a hyphen"},
	    {"xn--zz.example", 0, NULL},
	    {"a\xe2\x98\x83"
	     "b\xe2\x80\x8d.example",
	     0, NULL}, /* ZWJ is DISALLOWED */
	    {"bad\x01name.example", 0, NULL},
	    {"192.0.2.1", 0,
	     "domain name '192.0.2.1' ends in a numeric label: an IP address is not a domain name"},
	    {long_label, 0, NULL},
	    {long_name, 0, NULL},
	};
	struct dns_name n;
	struct sc_error err;

	(void)state;
	memset(long_label, 'a', 64);
	strcpy(long_label + 64, ".example");
	for (size_t i = 0; i < 50; i++)
		memcpy(long_name + i * 5, "abcd.", 5);
	strcpy(long_name + 250, "test");
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		sc_error_clear(&err);
		assert_int_equal(dns_name_normalize(cases[i].input, cases[i].flags, &n, &err),
		                 SC_USAGE);
		assert_null(n.alabel);
		assert_true(strlen(err.message) > 10);
		if (cases[i].message)
			assert_string_equal(err.message, cases[i].message);
	}
	assert_non_null(strstr(err.message, "is 254 bytes long (at most 253 allowed)"));
	assert_int_equal(dns_name_normalize(long_label, 0, &n, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "a label of 64 bytes"));
	assert_int_equal(dns_name_normalize("_dmarc.Example.COM", DNS_NAME_UNDERSCORE, &n, &err),
	                 SC_OK);
	assert_string_equal(n.alabel, "_dmarc.example.com");
	dns_name_free(&n);
	assert_true(dns_name_within("a.b.example", "B.Example."));
	assert_false(dns_name_within("ab.example", "b.example"));
	assert_true(dns_name_equal("X.example.", "x.EXAMPLE"));
}

static void test_bad_identities(void **state)
{
	struct dns_record_set set;
	struct sc_error err;
	struct ses_identity id =
	    domain_identity("shop.example", tokens_a, "bounce.other.example", NULL);
	struct ses_identity mail = domain_identity("alice@shop.example", NULL, NULL, NULL);
	struct ses_identity other = domain_identity("other.example", tokens_b, NULL, NULL);
	char *bad_tokens[] = {"ok1", "bad token", "ok3"};
	struct ses_identity badtok = domain_identity("shop.example", bad_tokens, NULL, NULL);

	(void)state;
	dns_record_set_init(&set);
	mail.type = "EMAIL_ADDRESS";
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu-west-1", NULL, &err),
	                 SC_USAGE);
	assert_string_equal(
	    err.message,
	    "MAIL FROM domain bounce.other.example is not a subdomain of shop.example");
	assert_int_equal(set.n, 0);
	assert_int_equal(dns_records_for_identity(&set, &mail, NULL, "eu-west-1", NULL, &err),
	                 SC_USAGE);
	id.mail_from_domain = NULL;
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu west 1", NULL, &err),
	                 SC_USAGE);
	assert_string_equal(err.message, "'eu west 1' is not an AWS region name");
	assert_int_equal(dns_records_for_identity(&set, &id, NULL, "eu-west-1", NULL, &err), SC_OK);
	assert_int_equal(dns_records_for_identity(&set, &other, NULL, "eu-west-1", NULL, &err),
	                 SC_USAGE);
	assert_string_equal(err.message, "this record set is for shop.example, not other.example");
	assert_int_equal(dns_records_for_identity(&set, &badtok, NULL, "eu-west-1", NULL, &err),
	                 SC_USAGE);
	assert_non_null(strstr(err.message, "DKIM token 'bad token'"));
	assert_int_equal(set.n, 4);
	dns_record_set_free(&set);
}

static void test_domain_receives(void **state)
{
	char *help[] = {"support@help.shop.example"};
	char *sub[] = {".shop.example"};
	char *other[] = {"other.example"};
	struct ses_rule rules[] = {
	    {.name = "off", .enabled = false, .n_recipients = 0},
	    {.name = "help", .enabled = true, .recipients = help, .n_recipients = 1},
	    {.name = "subs", .enabled = true, .recipients = sub, .n_recipients = 1},
	    {.name = "other", .enabled = true, .recipients = other, .n_recipients = 1},
	};
	struct ses_rule_set sets[] = {
	    {.name = "active", .active = true, .has_rules = true, .rules = rules, .n_rules = 4},
	};

	(void)state;
	assert_true(dns_domain_receives(sets, 1, "help.shop.example"));
	assert_true(dns_domain_receives(sets, 1, "deep.x.shop.example")); /* .shop.example */
	assert_false(dns_domain_receives(sets, 1, "shop.example"));       /* not itself */
	assert_true(dns_domain_receives(sets, 1, "OTHER.example."));
	assert_false(dns_domain_receives(sets, 1, "unrelated.example"));
	rules[0].enabled = true; /* no recipients: every verified domain */
	assert_true(dns_domain_receives(sets, 1, "unrelated.example"));
	sets[0].active = false;
	assert_false(dns_domain_receives(sets, 1, "help.shop.example"));
}

static void test_txt_split(void **state)
{
	char txt[600];
	struct buf b = BUF_INIT;
	const char *p;

	(void)state;
	memset(txt, 'k', sizeof(txt));
	txt[0] = '"';
	dns_txt_quote(&b, txt, 255 + 255 + 90, false);
	/* three strings: 255, 255, 90 raw bytes; the quote inside is escaped */
	assert_int_equal(b.len, (1 + 2 + 254 + 1) + 1 + (1 + 255 + 1) + 1 + (1 + 90 + 1));
	assert_memory_equal(b.data, "\"\\\"kk", 5);
	p = strstr(b.data, "\" \"");
	assert_non_null(p);
	assert_int_equal(p - b.data, 1 + 1 + 255);
	buf_reset(&b);
	dns_txt_quote(&b, "a\\b\x01", 4, false);
	assert_string_equal(buf_str(&b), "\"a\\\\b\\001\"");
	buf_reset(&b);
	dns_txt_quote(&b, "\xff", 1, true);
	assert_string_equal(buf_str(&b), "\"\\377\"");
	buf_reset(&b);
	dns_txt_quote(&b, "", 0, false);
	assert_string_equal(buf_str(&b), "\"\"");
	buf_free(&b);
}

static void test_formats(void **state)
{
	struct dns_record_set set;
	struct ses_identity id =
	    domain_identity("shop.example", tokens_a, "bounce.shop.example", "TOK=");
	struct sc_error err;
	struct buf b = BUF_INIT;
	enum dns_format f;

	(void)state;
	assert_int_equal(dns_format_parse("route53", &f, &err), SC_OK);
	assert_int_equal(f, DNS_FMT_ROUTE53);
	assert_int_equal(dns_format_parse("yaml", &f, &err), SC_USAGE);
	assert_string_equal(
	    err.message, "unknown DNS format 'yaml' (use one of: table, zone, csv, json, route53)");
	dns_record_set_init(&set);
	assert_int_equal(dns_records_for_identity(&set, &id, "1", "eu-west-1", NULL, &err), SC_OK);
	dns_export_zone(&b, &set, 0);
	assert_non_null(strstr(buf_str(&b), "$ORIGIN shop.example.\n"));
	assert_non_null(strstr(
	    buf_str(&b), "\ntokaaa1._domainkey\t1800\tIN\tCNAME\ttokaaa1.dkim.amazonses.com.\n"));
	assert_non_null(strstr(
	    buf_str(&b), "\nbounce\t1800\tIN\tMX\t10 feedback-smtp.eu-west-1.amazonses.com.\n"));
	/* the identity has DKIM tokens: the legacy TXT is optional, commented out */
	assert_non_null(strstr(buf_str(&b), "\n; _amazonses\t1800\tIN\tTXT\t\"TOK=\"\n"));
	assert_non_null(strstr(buf_str(&b), "; Domain verification [eu-west-1] -- optional"));
	buf_reset(&b);
	dns_export_csv(&b, &set);
	assert_non_null(strstr(buf_str(&b), "name,type,value,ttl,status,"));
	assert_non_null(strstr(buf_str(&b),
	                       "\r\n_dmarc.shop.example,TXT,"
	                       "v=DMARC1; p=none; rua=mailto:dmarc-reports@shop.example"
	                       ",1800,UNCHECKED,DMARC,,,yes,,,no\r\n"));
	buf_reset(&b);
	set.v[1].status = DNS_STATE_WRONG;
	set.v[1].published = xstrdup("evil\x1b[2J.example");
	dns_export_table(&b, &set);
	assert_non_null(strstr(buf_str(&b), "STATUS  NAME"));
	assert_non_null(strstr(buf_str(&b), "    published: evil\\e[2J.example"));
	assert_null(strchr(buf_str(&b), '\x1b'));
	buf_reset(&b);
	set.bimi = xstrdup("v=BIMI1; l=https://shop.example/l.svg");
	dns_export_json(&b, &set);
	assert_non_null(strstr(buf_str(&b), "\"status\":\t\"WRONG\""));
	assert_non_null(
	    strstr(buf_str(&b), "\"bimi\":\t\"v=BIMI1; l=https://shop.example/l.svg\""));
	assert_non_null(strstr(buf_str(&b), "\"tlsrpt\":\tnull"));
	buf_reset(&b);
	dns_export_table(&b, &set);
	assert_non_null(strstr(buf_str(&b), "\nnote: BIMI record published: v=BIMI1;"));
	buf_reset(&b);
	dns_record_zone_line(&b, &set.v[1]);
	assert_string_equal(buf_str(&b), "tokaaa1._domainkey.shop.example.\t1800\tIN\tCNAME\t"
	                                 "tokaaa1.dkim.amazonses.com.");
	buf_free(&b);
	dns_record_set_free(&set);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_easy_dkim_single),
	    cmocka_unit_test(test_multi_region_merge),
	    cmocka_unit_test(test_two_accounts_same_region),
	    cmocka_unit_test(test_shared_mail_from_warns),
	    cmocka_unit_test(test_byodkim_and_published_dmarc),
	    cmocka_unit_test(test_byodkim_key_from_pem),
	    cmocka_unit_test(test_idn),
	    cmocka_unit_test(test_bad_names),
	    cmocka_unit_test(test_bad_identities),
	    cmocka_unit_test(test_domain_receives),
	    cmocka_unit_test(test_txt_split),
	    cmocka_unit_test(test_formats),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* Exports checked by real consumers: the BIND zone fragment by named-checkzone (bind9-utils).
 * `test_dns_export --write DIR` writes the Route 53 batches and JSON exports that
 * tests/dns/test_route53.py applies to moto's Route 53 with the AWS CLI. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/dns/export.h"
#include "sesctl/dns/records.h"

static const char byod_key[] =
    "MIIBIjANBgkqhkiG9w0BAQEFAAOCAQ8AMIIBCgKCAQEAqNEovFL24PxAHuFSKwhpHozBpz7V6YNSOrBXisjGrHkW"
    "mi+ryV9P1+eVWjfUyWYgPKswC/WdB2CgFwJPHh/OEqbAefIyh/I/FQ0T+PdFqWIA6HT7bD74qYF5U5LTduc4nrV"
    "7xuolS0yqSKtedXVSs+Vhkailx3xbv/8j308C9QU2iP/37RUU8isT8d/L0m4eHMJGvSbHoh3eeclbz/E0Oe6LfZL"
    "uvGJdD2s30wrNbIBjItllhu9yZSGfhtHoVe5USmroMdw8KHaAgsy7gB/TvDywmDPJui12/0QLITRGgEfXiDb2xnYu"
    "eZ57fp/eia2rs97YlySAZeCioGXzcG91mwIDAQAB";

static void add(struct dns_record_set *set, const char *domain, char **tokens, size_t n,
                const char *origin, const char *mail_from, const char *token, const char *account,
                const char *region, const struct dns_gen_opts *opts)
{
	struct ses_identity id;
	struct sc_error err;

	memset(&id, 0, sizeof(id));
	id.name = (char *)domain;
	id.type = "DOMAIN";
	id.dkim_tokens = tokens;
	id.n_dkim_tokens = n;
	id.dkim_origin = (char *)origin;
	id.mail_from_domain = (char *)mail_from;
	id.verification_token = (char *)token;
	if (dns_records_for_identity(set, &id, account, region, opts, &err) != SC_OK)
		fail_msg("%s", err.message);
}

/* Scenario 3: shop.example in eu-west-1 and us-west-2, receiving in eu-west-1. */
static void scenario3(struct dns_record_set *set)
{
	static char *eu[] = {"mwmzhwhcebfh5kvwv7zahdatahimucqi", "dmlozjwrdbrjfwothoh26x6izvyts7qx",
	                     "le5fy6pintdkbxg6gdoetgbrdvyp664v"};
	static char *us[] = {"4ajlmzuu4nsjrz4qvqdd8rxq8x2ahrjh", "abcde12345sjrz4qvqdd8rxq8x2ahr12",
	                     "zz5fy6pintdkbxg6gdoetgbrdvyp664v"};
	struct dns_gen_opts inbound = {.inbound = true, .dmarc_rua = "dmarc@shop.example"};
	struct dns_gen_opts plain = {.dmarc_rua = "dmarc@shop.example"};

	dns_record_set_init(set);
	add(set, "shop.example", eu, 3, NULL, "bounce-eu-west-1.shop.example",
	    "4AjLMzUu4nSjrz4QVqDD8rXq8X2AHr+JhGSl4foiMmU=", "111111111111", "eu-west-1", &inbound);
	add(set, "shop.example", us, 3, NULL, "bounce-us-west-2.shop.example",
	    "abcde12345Sjrz4QVqDD8rXq8X2AHr+JhGSl4foiMmU=", "111111111111", "us-west-2", &plain);
}

/* An IDN domain with BYODKIM: the key record is longer than one 255-byte string. */
static void idn_byodkim(struct dns_record_set *set)
{
	static char *selector[] = {"sel2024"};
	struct dns_gen_opts opts = {.byodkim_public_key = byod_key,
	                            .dmarc_published = "v=DMARC1; p=quarantine; pct=100; "
	                                               "rua=mailto:d@xn--bcher-kva.example"};

	dns_record_set_init(set);
	add(set,
	    "b\xc3\xbc"
	    "cher.example",
	    selector, 1, "EXTERNAL",
	    "mail.b\xc3\xbc"
	    "cher.example",
	    NULL, "222222222222", "ap-southeast-2", &opts);
}

static char *write_temp(const char *text)
{
	char *path = strdup("/tmp/sesctl-zone-XXXXXX");
	int fd = mkstemp(path);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, text, strlen(text)), (ssize_t)strlen(text));
	close(fd);
	return path;
}

static char *slurp(const char *path)
{
	FILE *f = fopen(path, "r");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t n;

	assert_non_null(f);
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		buf_append(&b, chunk, n);
	fclose(f);
	return buf_steal(&b);
}

/* Runs of blanks to one space, so lines compare as "a.example. 1800 IN CNAME b." */
static char *squeeze(char *s)
{
	char *w = s;

	for (const char *r = s; *r; r++) {
		bool blank = *r == ' ' || *r == '\t';

		if (blank && w > s && w[-1] == ' ')
			continue;
		*w++ = blank ? ' ' : *r;
	}
	*w = '\0';
	return s;
}

/* named-checkzone on SOA + NS + fragment; returns its exit status, *dump the canonical zone. */
static int checkzone(const char *origin, const char *fragment, char **dump)
{
	struct buf zone = BUF_INIT, cmd = BUF_INIT;
	char *path, out[] = "/tmp/sesctl-dump-XXXXXX";
	int rc, fd = mkstemp(out);

	assert_true(fd >= 0);
	close(fd);
	buf_printf(&zone,
	           "$TTL 300\n@ IN SOA ns1.%s. hostmaster.%s. 1 3600 600 86400 300\n"
	           "@ IN NS ns1.%s.\nns1 IN A 192.0.2.1\n%s",
	           origin, origin, origin, fragment);
	path = write_temp(buf_str(&zone));
	buf_printf(&cmd,
	           "env -u LD_PRELOAD -u FAKETIME named-checkzone -q -k fail -m fail -n fail -i full -D -s full -o %s %s %s", out,
	           origin, path);
	rc = system(buf_str(&cmd));
	*dump = squeeze(slurp(out));
	unlink(path);
	unlink(out);
	free(path);
	buf_free(&zone);
	buf_free(&cmd);
	return WIFEXITED(rc) ? WEXITSTATUS(rc) : -1;
}

static size_t count_lines(const char *dump, const char *needle)
{
	size_t n = 0;

	for (const char *p = dump; (p = strstr(p, needle)) != NULL; p++)
		n++;
	return n;
}

static void test_zone_scenario3(void **state)
{
	struct dns_record_set set;
	struct buf frag = BUF_INIT;
	char *dump;

	(void)state;
	if (system("command -v named-checkzone >/dev/null 2>&1") != 0)
		skip();
	scenario3(&set);
	dns_export_zone(&frag, &set, 0);
	assert_int_equal(checkzone("shop.example", buf_str(&frag), &dump), 0);
	assert_int_equal(count_lines(dump, " CNAME "), 6);
	assert_int_equal(count_lines(dump, "._domainkey.shop.example."), 6);
	/* DKIM verifies the domain: the legacy TXT values are optional, a comment unless asked
	 * for (issue 20) */
	assert_int_equal(count_lines(dump, "_amazonses.shop.example. 1800 IN TXT "), 0);
	assert_int_equal(count_lines(buf_str(&frag), "optional: DKIM verifies this domain"), 2);
	assert_int_equal(count_lines(dump, " MX 10 feedback-smtp."), 2);
	assert_non_null(strstr(dump, "bounce-us-west-2.shop.example. 1800 IN MX 10 "
	                             "feedback-smtp.us-west-2.amazonses.com."));
	assert_non_null(strstr(dump, "shop.example. 1800 IN MX 10 "
	                             "inbound-smtp.eu-west-1.amazonaws.com."));
	assert_int_equal(count_lines(dump, "\"v=spf1 include:amazonses.com ~all\""), 2);
	/* the suggested DMARC record stays a comment unless asked for */
	assert_int_equal(count_lines(dump, "_dmarc.shop.example."), 0);
	assert_non_null(strstr(buf_str(&frag), "suggested, not required by SES: review, then uncomment"));
	free(dump);
	buf_reset(&frag);
	dns_export_zone(&frag, &set, DNS_EXPORT_SUGGESTED);
	assert_int_equal(checkzone("shop.example", buf_str(&frag), &dump), 0);
	assert_int_equal(count_lines(dump, "_dmarc.shop.example."), 1);
	assert_int_equal(count_lines(dump, "_amazonses.shop.example. 1800 IN TXT "), 2);
	free(dump);
	buf_free(&frag);
	dns_record_set_free(&set);
}

static void test_zone_idn_long_txt(void **state)
{
	struct dns_record_set set;
	struct buf frag = BUF_INIT, want = BUF_INIT;
	char *dump;

	(void)state;
	if (system("command -v named-checkzone >/dev/null 2>&1") != 0)
		skip();
	idn_byodkim(&set);
	dns_export_zone(&frag, &set, 0);
	assert_non_null(strstr(buf_str(&frag), "$ORIGIN xn--bcher-kva.example.\n"));
	assert_int_equal(checkzone("xn--bcher-kva.example", buf_str(&frag), &dump), 0);
	/* BIND reads back the key as two strings: 255 bytes, then the rest */
	buf_printf(&want,
	           "sel2024._domainkey.xn--bcher-kva.example. 1800 IN TXT "
	           "\"%.255s\" \"%s\"",
	           set.v[0].value, set.v[0].value + 255);
	assert_true(strlen(set.v[0].value) > 255);
	assert_non_null(strstr(dump, buf_str(&want)));
	assert_non_null(strstr(dump, "mail.xn--bcher-kva.example. 1800 IN MX 10 "
	                             "feedback-smtp.ap-southeast-2.amazonses.com."));
	free(dump);
	buf_free(&want);
	buf_free(&frag);
	dns_record_set_free(&set);
}

/* The harness can fail: BIND refuses a CNAME beside other data. */
static void test_zone_harness_rejects_conflict(void **state)
{
	char *dump;

	(void)state;
	if (system("command -v named-checkzone >/dev/null 2>&1") != 0)
		skip();
	assert_int_not_equal(
	    checkzone("shop.example", "x IN CNAME y.example.\nx IN TXT \"also\"\n", &dump), 0);
	free(dump);
}

/* A placeholder BYODKIM record is written commented out, so the fragment still loads. */
static void test_zone_placeholder(void **state)
{
	static char *selector[] = {"s1"};
	struct dns_record_set set;
	struct buf frag = BUF_INIT;
	char *dump;

	(void)state;
	if (system("command -v named-checkzone >/dev/null 2>&1") != 0)
		skip();
	dns_record_set_init(&set);
	add(&set, "shop.example", selector, 1, "EXTERNAL", NULL, NULL, NULL, "eu-west-1", NULL);
	dns_export_zone(&frag, &set, 0);
	assert_non_null(strstr(buf_str(&frag), "\n; s1._domainkey\t1800\tIN\tTXT\t"));
	assert_int_equal(checkzone("shop.example", buf_str(&frag), &dump), 0);
	assert_null(strstr(dump, "s1._domainkey"));
	free(dump);
	buf_free(&frag);
	dns_record_set_free(&set);
}

static int write_outputs(const char *dir)
{
	struct {
		const char *name;
		void (*make)(struct dns_record_set *);
	} sets[] = {{"shop", scenario3}, {"idn", idn_byodkim}};

	for (size_t i = 0; i < 2; i++) {
		struct dns_record_set set;

		sets[i].make(&set);
		for (int f = DNS_FMT_JSON; f <= DNS_FMT_ROUTE53; f++) {
			struct buf b = BUF_INIT, path = BUF_INIT;
			FILE *out;

			dns_export(&b, &set, (enum dns_format)f, 0);
			buf_printf(&path, "%s/%s.%s.json", dir, sets[i].name,
			           dns_format_name((enum dns_format)f));
			out = fopen(buf_str(&path), "w");
			if (!out || fwrite(b.data, 1, b.len, out) != b.len || fclose(out) != 0) {
				perror(buf_str(&path));
				return 1;
			}
			buf_free(&b);
			buf_free(&path);
		}
		if (i == 0) { /* and the batch with the suggested DMARC record asked for */
			struct buf b = BUF_INIT, path = BUF_INIT;
			FILE *out;

			dns_export_route53(&b, &set, DNS_EXPORT_SUGGESTED);
			buf_printf(&path, "%s/shop.route53-suggested.json", dir);
			out = fopen(buf_str(&path), "w");
			if (!out || fwrite(b.data, 1, b.len, out) != b.len || fclose(out) != 0) {
				perror(buf_str(&path));
				return 1;
			}
			buf_free(&b);
			buf_free(&path);
		}
		dns_record_set_free(&set);
	}
	return 0;
}

int main(int argc, char **argv)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_zone_scenario3),
	    cmocka_unit_test(test_zone_idn_long_txt),
	    cmocka_unit_test(test_zone_harness_rejects_conflict),
	    cmocka_unit_test(test_zone_placeholder),
	};

	if (argc == 3 && strcmp(argv[1], "--write") == 0)
		return write_outputs(argv[2]);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

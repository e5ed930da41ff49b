/* DMARC and SPF parsing and the per-identity alignment verdict. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/policy.h"

#define S(lit) lit, sizeof(lit) - 1

static void test_dmarc_parse(void **state)
{
	struct dmarc_record d;
	struct sc_error err;

	(void)state;
	assert_int_equal(dmarc_parse(S("v=DMARC1; p=Quarantine; sp=reject; pct=25; "
	                               "rua=mailto:a@x.example, mailto:b@x.example; "
	                               "ruf=mailto:f@x.example; adkim=s; aspf=r; t=y; fo=1:d; "
	                               "future=ignored"),
	                             &d, &err),
	                 SC_OK);
	assert_string_equal(d.p, "quarantine");
	assert_string_equal(d.sp, "reject");
	assert_int_equal(d.pct, 25);
	assert_int_equal(d.n_rua, 2);
	assert_string_equal(d.rua[1], "mailto:b@x.example");
	assert_int_equal(d.n_ruf, 1);
	assert_int_equal(d.adkim, 's');
	assert_int_equal(d.aspf, 'r');
	assert_true(d.testing);
	assert_string_equal(d.fo, "1:d");
	dmarc_record_free(&d);

	/* defaults; no terminator needed: the length bounds the text */
	assert_int_equal(dmarc_parse("v=DMARC1;p=none;pct=7", 15, &d, &err), SC_OK);
	assert_string_equal(d.p, "none");
	assert_int_equal(d.pct, 100);
	assert_int_equal(d.adkim, 'r');
	assert_int_equal(d.n_rua, 0);
	dmarc_record_free(&d);
}

static void test_dmarc_errors(void **state)
{
	static const struct {
		const char *txt;
		const char *msg;
	} bad[] = {
	    {"", "DMARC record does not start with v=DMARC1"},
	    {"p=reject; v=DMARC1", "DMARC record does not start with v=DMARC1"},
	    {"v=spf1 -all", "DMARC record does not start with v=DMARC1"},
	    {"v=DMARC1; rua=mailto:a@b.example", "DMARC record has no p= policy"},
	    {"v=DMARC1; p=block", "DMARC record has p=block (must be none, quarantine or reject)"},
	    {"v=DMARC1; p=none; pct=150", "DMARC record has pct=150 (must be 0..100)"},
	    {"v=DMARC1; p=none; pct=-1", "DMARC record has pct=-1 (must be 0..100)"},
	    {"v=DMARC1; p=none; pct=", "DMARC record has pct= (must be 0..100)"},
	    {"v=DMARC1; p=none; aspf=x", "DMARC record has aspf=x (must be r or s)"},
	    {"v=DMARC1; p=none; garbage", "DMARC record has a tag without '=': 'garbage'"},
	};
	struct dmarc_record d;
	struct sc_error err;

	(void)state;
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		assert_int_equal(dmarc_parse(bad[i].txt, strlen(bad[i].txt), &d, &err),
		                 SC_BAD_REPLY);
		assert_string_equal(err.message, bad[i].msg);
		assert_null(d.rua);
	}
	assert_int_equal(dmarc_parse("v=DMARC1\0p=none", 15, &d, &err), SC_BAD_REPLY);
}

static void test_spf_parse(void **state)
{
	struct spf_record s;
	struct sc_error err;

	(void)state;
	assert_int_equal(spf_parse(S("v=spf1 include:amazonses.com ~all"), &s, &err), SC_OK);
	assert_int_equal(s.all, '~');
	assert_int_equal(s.n_includes, 1);
	assert_true(spf_includes(&s, "AmazonSES.com."));
	assert_int_equal(s.lookups, 1);
	spf_record_free(&s);

	assert_int_equal(spf_parse(S("v=spf1 ip4:192.0.2.0/24 a mx:mx.example/24 ptr "
	                             "exists:%{i}.x.example include:a.example include:b.example "
	                             "include:c.example include:d.example include:e.example "
	                             "include:f.example -all exp=explain.example"),
	                           &s, &err),
	                 SC_OK);
	assert_int_equal(s.lookups, 10); /* a mx ptr exists + 6 includes */
	assert_int_equal(s.all, '-');
	assert_int_equal(s.n_includes, 6);
	spf_record_free(&s);

	assert_int_equal(spf_parse(S("v=spf1 redirect=_spf.example"), &s, &err), SC_OK);
	assert_string_equal(s.redirect, "_spf.example");
	assert_int_equal(s.all, 0);
	spf_record_free(&s);

	assert_int_equal(spf_parse(S("v=spf1 include: -all"), &s, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "SPF include: without a domain");
	assert_int_equal(spf_parse(S("v=spf1 include:a.example bogus:x -all"), &s, &err),
	                 SC_BAD_REPLY);
	assert_string_equal(err.message, "SPF record has an unknown term 'bogus:x'");
	assert_null(s.includes);
	assert_int_equal(spf_parse(S("v=spf10 -all"), &s, &err), SC_BAD_REPLY);
	assert_int_equal(spf_parse(S("  "), &s, &err), SC_BAD_REPLY);
}

static struct ses_identity domain_id(const char *name, const char *mail_from)
{
	struct ses_identity id;

	memset(&id, 0, sizeof(id));
	id.name = (char *)name;
	id.type = "DOMAIN";
	id.has_details = true;
	id.dkim_signing_enabled = true;
	id.dkim_status = "SUCCESS";
	id.mail_from_domain = (char *)mail_from;
	id.mail_from_status = mail_from ? "SUCCESS" : NULL;
	return id;
}

static bool has_line(char **v, size_t n, const char *part)
{
	for (size_t i = 0; i < n; i++)
		if (strstr(v[i], part))
			return true;
	return false;
}

static void test_verdict_domain(void **state)
{
	struct ses_identity id = domain_id("shop.example", "bounce.shop.example");
	struct policy_input in = {.identity = &id,
	                          .dmarc_txt = "v=DMARC1; p=reject; rua=mailto:d@shop.example",
	                          .spf_txt = "v=spf1 include:amazonses.com ~all"};
	struct policy_verdict v;
	struct buf b = BUF_INIT;

	(void)state;
	policy_evaluate(&in, &v);
	assert_int_equal(v.dkim_aligned, POLICY_YES);
	assert_int_equal(v.spf_aligned, POLICY_YES);
	assert_int_equal(v.dmarc_pass, POLICY_YES);
	assert_int_equal(v.n_warnings, 0);
	policy_explain(&b, &v);
	assert_non_null(strstr(buf_str(&b), "DKIM aligned:  yes -- mail is signed with "
	                                    "d=shop.example (relaxed alignment)\n"));
	assert_non_null(strstr(buf_str(&b), "DMARC record:  p=reject sp=(as p) pct=100"));
	buf_free(&b);
	policy_verdict_free(&v);

	/* strict SPF alignment with a custom MAIL FROM: never aligned, warned */
	in.dmarc_txt = "v=DMARC1; p=none; aspf=s; pct=50";
	policy_evaluate(&in, &v);
	assert_int_equal(v.spf_aligned, POLICY_NO);
	assert_int_equal(v.dkim_aligned, POLICY_YES);
	assert_int_equal(v.dmarc_pass, POLICY_YES);
	assert_true(has_line(v.warnings, v.n_warnings, "aspf=s (strict SPF alignment)"));
	assert_true(has_line(v.warnings, v.n_warnings, "p=none only monitors"));
	assert_true(has_line(v.warnings, v.n_warnings, "pct=50"));
	assert_true(has_line(v.warnings, v.n_warnings, "no rua="));
	policy_verdict_free(&v);

	/* DKIM not verified, no MAIL FROM: DMARC fails */
	id.dkim_status = "PENDING";
	id.mail_from_domain = NULL;
	in.dmarc_txt = NULL;
	in.spf_txt = NULL;
	policy_evaluate(&in, &v);
	assert_int_equal(v.dkim_aligned, POLICY_NO);
	assert_int_equal(v.spf_aligned, POLICY_NO);
	assert_int_equal(v.dmarc_pass, POLICY_NO);
	assert_non_null(strstr(v.dmarc_why, "publishes no DMARC record"));
	policy_verdict_free(&v);

	/* SPF of the MAIL FROM does not authorise SES; too many lookups */
	id.dkim_status = "SUCCESS";
	id.mail_from_domain = "bounce.shop.example";
	in.spf_txt = "v=spf1 a mx ptr a:1.example a:2.example a:3.example a:4.example a:5.example "
	             "a:6.example a:7.example a:8.example +all";
	policy_evaluate(&in, &v);
	assert_int_equal(v.spf_aligned, POLICY_NO);
	assert_true(has_line(v.warnings, v.n_warnings, "at least 11 DNS lookups (limit 10)"));
	assert_true(has_line(v.warnings, v.n_warnings, "+all"));
	policy_verdict_free(&v);
}

static void test_verdict_address(void **state)
{
	struct ses_identity addr;
	struct ses_identity dom = domain_id("shop.example", NULL);
	struct policy_input in = {.identity = &addr,
	                          .dmarc_txt = "v=DMARC1; p=reject; rua=mailto:d@shop.example"};
	struct policy_verdict v;

	(void)state;
	memset(&addr, 0, sizeof(addr));
	addr.name = "alice@shop.example";
	addr.type = "EMAIL_ADDRESS";
	policy_evaluate(&in, &v);
	assert_int_equal(v.dkim_aligned, POLICY_NO);
	assert_int_equal(v.spf_aligned, POLICY_NO);
	assert_int_equal(v.dmarc_pass, POLICY_NO);
	assert_true(has_line(v.warnings, v.n_warnings,
	                     "alice@shop.example is an address identity under p=reject"));
	policy_verdict_free(&v);

	/* no DMARC record: nothing rejects it, but it is not authenticated either */
	in.dmarc_txt = NULL;
	policy_evaluate(&in, &v);
	assert_int_equal(v.n_warnings, 0);
	assert_true(has_line(v.notes, v.n_notes, "judge it by IP reputation only"));
	policy_verdict_free(&v);
	in.dmarc_txt = "v=DMARC1; p=reject; rua=mailto:d@shop.example";

	/* the same address with its domain verified for Easy DKIM passes */
	in.domain = &dom;
	policy_evaluate(&in, &v);
	assert_int_equal(v.dkim_aligned, POLICY_YES);
	assert_int_equal(v.dmarc_pass, POLICY_YES);
	assert_int_equal(v.n_warnings, 0);
	policy_verdict_free(&v);

	/* subdomain From under the organisational record: sp applies */
	in.domain = NULL;
	in.from_domain = "news.shop.example";
	in.dmarc_domain = "shop.example";
	in.dmarc_txt = "v=DMARC1; p=none; sp=quarantine; rua=mailto:d@shop.example";
	policy_evaluate(&in, &v);
	assert_non_null(strstr(v.dmarc_why, "(sp=quarantine)"));
	assert_true(has_line(v.warnings, v.n_warnings, "under p=quarantine"));
	policy_verdict_free(&v);
}

static void test_verdict_extras_and_garbage(void **state)
{
	struct ses_identity id = domain_id("shop.example", "bounce.shop.example");
	struct policy_input in = {.identity = &id,
	                          .dmarc_txt = "v=DMARC1; p=none; rua=mailto:d@shop.example",
	                          .bimi_txt = "v=BIMI1; l=https://shop.example/logo.svg",
	                          .mta_sts_txt = "v=STSv1; id=2024",
	                          .tlsrpt_txt = "v=TLSRPTv1; rua=mailto:tls@shop.example"};
	struct policy_verdict v;

	(void)state;
	policy_evaluate(&in, &v);
	assert_int_equal(v.n_notes, 3);
	assert_true(has_line(v.notes, v.n_notes, "BIMI record published"));
	assert_true(has_line(v.notes, v.n_notes, "MTA-STS"));
	assert_true(has_line(v.notes, v.n_notes, "TLS-RPT"));
	assert_true(has_line(v.warnings, v.n_warnings, "BIMI needs p=quarantine or p=reject"));
	policy_verdict_free(&v);

	in.dmarc_txt = "v=DMARC1; p=maybe";
	in.spf_txt = "not spf";
	policy_evaluate(&in, &v);
	assert_false(v.has_dmarc);
	assert_true(has_line(v.warnings, v.n_warnings,
	                     "DMARC record is ignored by receivers: "
	                     "DMARC record has p=maybe"));
	assert_true(has_line(v.warnings, v.n_warnings,
	                     "SPF record of the MAIL FROM domain is "
	                     "broken"));
	policy_verdict_free(&v);
}

/* Random and mutated input never crashes the parsers (a seed for the fuzz targets). */
static void test_parsers_survive_noise(void **state)
{
	static const char seeds[][64] = {"v=DMARC1; p=reject; rua=mailto:a@b", "v=spf1 a:x/24 -all",
	                                 "v=DMARC1;;;=;p=;", "v=spf1 redirect= include:"};
	char buf[64];
	unsigned rnd = 12345;

	(void)state;
	for (int i = 0; i < 20000; i++) {
		struct dmarc_record d;
		struct spf_record s;
		size_t len = strlen(seeds[i % 4]);

		memcpy(buf, seeds[i % 4], len);
		for (int k = 0; k < 3; k++) {
			rnd = rnd * 1103515245u + 12345u;
			buf[(rnd >> 8) % len] = (char)(rnd >> 16);
		}
		if (dmarc_parse(buf, len, &d, NULL) == SC_OK)
			dmarc_record_free(&d);
		if (spf_parse(buf, len, &s, NULL) == SC_OK)
			spf_record_free(&s);
	}
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_dmarc_parse),
	    cmocka_unit_test(test_dmarc_errors),
	    cmocka_unit_test(test_spf_parse),
	    cmocka_unit_test(test_verdict_domain),
	    cmocka_unit_test(test_verdict_address),
	    cmocka_unit_test(test_verdict_extras_and_garbage),
	    cmocka_unit_test(test_parsers_survive_noise),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

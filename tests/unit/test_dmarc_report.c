/* dns/dmarc_report on the committed corpus (tests/fixtures/dmarc/corpus, written by gen.py):
 * each receiver's shape parsed to the exact fields, RFC 9990's namespace, the minimal
 * report's NULLs, item names through messages, archives and an mbox; and the limits —
 * depth, records, entries, ratio, size —, a callback that stops the walk, and one bad
 * attachment that does not take the good one with it. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "sesctl/dns/dmarc_report.h"
#include "sesctl/util/buf.h"
#include "sesfixture.h"

struct got {
	struct dmarc_report *r[16];
	char item[16][256];
	char err[16][600];
	size_t n;
	size_t stop_at;     /* 0: never */
};

static enum sc_status collect(void *ud, const char *item, struct dmarc_report *r,
			      const struct sc_error *e)
{
	struct got *g = ud;

	assert_true(g->n < 16);
	assert_true((r != NULL) != (e != NULL));
	snprintf(g->item[g->n], sizeof(g->item[0]), "%s", item);
	g->r[g->n] = r;
	if (e)
		snprintf(g->err[g->n], sizeof(g->err[0]), "%s", e->message);
	g->n++;
	return g->stop_at && g->n >= g->stop_at ? SC_CANCELLED : SC_OK;
}

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++) {
		dmarc_report_free(g->r[i]);
		free(g->r[i]);
	}
	memset(g, 0, sizeof(*g));
}

static enum sc_status unpack_fixture(const char *rel, const struct dmarc_limits *lim,
				     struct got *g)
{
	struct fx f = fx_load(rel);
	struct sc_error err = {0};
	enum sc_status st = dmarc_unpack(rel, f.data, f.len, lim, collect, g, &err);

	free(f.data);
	return st;
}

#define SEL "x5ewx3ctiy2wrrcnbt5rwz3rmz6tjzkd"

static void t_outlook_gzip_ipv6_several_records(void **state)
{
	struct got g = {0};
	const struct dmarc_report *r;

	(void)state;
	assert_int_equal(unpack_fixture("dmarc/corpus/outlook.eml", NULL, &g), SC_OK);
	assert_int_equal(g.n, 1);
	r = g.r[0];
	assert_non_null(r);
	assert_string_equal(g.item[0], "dmarc/corpus/outlook.eml \xe2\x80\xba "
					"enterprise.protection.outlook.com!example.com!1764460800!1764547199.xml.gz");
	assert_string_equal(r->org_name, "Enterprise Outlook");
	assert_string_equal(r->email, "dmarcreport@microsoft.com");
	assert_string_equal(r->report_id, "9b9e1f6a0c8d4f0e8a0b9c7d6e5f4a3b");
	assert_int_equal(r->begin, 1764460800);
	assert_int_equal(r->end, 1764547199);
	assert_false(r->rfc9990);
	assert_string_equal(r->policy.domain, "example.com");
	assert_string_equal(r->policy.p, "none");
	assert_string_equal(r->policy.fo, "0");
	assert_int_equal(r->policy.pct, 100);
	assert_int_equal(r->n_records, 3);
	assert_string_equal(r->records[0].source_ip, "2a01:111:f400:7e1b::200");
	assert_int_equal(r->records[0].count, 40);
	assert_string_equal(r->records[0].dkim, "pass");
	assert_int_equal(r->records[0].n_dkim, 1);
	assert_string_equal(r->records[0].dkim_results[0].selector, SEL);
	assert_int_equal(r->records[0].n_spf, 0);
	assert_string_equal(r->records[1].spf_results[0].result, "softfail");
	assert_string_equal(r->records[1].spf_results[0].scope, "mfrom");
	assert_int_equal(r->records[2].count, 310);
	got_free(&g);
}

static void t_google_zip_and_yahoo_reasons(void **state)
{
	struct got g = {0};

	(void)state;
	assert_int_equal(unpack_fixture("dmarc/corpus/google.eml", NULL, &g), SC_OK);
	assert_int_equal(g.n, 1);
	assert_non_null(g.r[0]);
	assert_string_equal(g.r[0]->org_name, "google.com");
	assert_string_equal(g.r[0]->policy.sp, "none");
	assert_int_equal(g.r[0]->n_records, 2);
	assert_string_equal(g.r[0]->records[0].envelope_from, "eu-west-1.amazonses.com");
	assert_non_null(strstr(g.item[0], ".zip \xe2\x80\xba google.com!example.com!"));
	got_free(&g);
	assert_int_equal(unpack_fixture("dmarc/corpus/yahoo.eml", NULL, &g), SC_OK);
	assert_string_equal(g.r[0]->policy.p, "quarantine");
	assert_int_equal(g.r[0]->policy.pct, 50);
	assert_string_equal(g.r[0]->records[1].reasons, "forwarded: mailing list; local_policy");
	assert_string_equal(g.r[0]->records[1].dkim, "fail");
	got_free(&g);
}

static void t_minimal_and_rfc9990(void **state)
{
	struct got g = {0};
	const struct dmarc_report *r;

	(void)state;
	assert_int_equal(unpack_fixture("dmarc/corpus/minimal.xml", NULL, &g), SC_OK);
	r = g.r[0];
	assert_string_equal(g.item[0], "dmarc/corpus/minimal.xml");
	assert_string_equal(r->policy.domain, "example.com"); /* sent as Example.COM */
	assert_null(r->policy.adkim);
	assert_null(r->policy.sp);
	assert_int_equal(r->policy.pct, -1);
	assert_null(r->email);
	assert_null(r->version);
	assert_null(r->records[0].envelope_from);
	assert_int_equal(r->records[0].n_dkim, 0);
	got_free(&g);
	assert_int_equal(unpack_fixture("dmarc/corpus/rfc9990.xml.gz", NULL, &g), SC_OK);
	r = g.r[0];
	assert_true(r->rfc9990);
	assert_string_equal(r->policy.np, "reject");
	assert_string_equal(r->policy.discovery_method, "treewalk");
	assert_false(r->policy.testing);
	assert_int_equal(r->n_records, 1);    /* the unknown <extension> is ignored */
	got_free(&g);
}

static void t_mbox_and_two_attachments_one_bad(void **state)
{
	struct got g = {0};

	(void)state;
	assert_int_equal(unpack_fixture("dmarc/corpus/two.mbox", NULL, &g), SC_OK);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.r[0]->report_id, "mbox-1");
	assert_string_equal(g.r[1]->report_id, "mbox-2");
	assert_non_null(strstr(g.item[1], "message 2"));
	got_free(&g);
	assert_int_equal(unpack_fixture("dmarc/corpus/hostile/badbase64.eml", NULL, &g), SC_OK);
	assert_int_equal(g.n, 1);
	assert_null(g.r[0]);
	assert_string_equal(g.err[0], "neither XML, gzip nor zip");
	got_free(&g);
}

static void t_hostile_refused_with_reasons(void **state)
{
	static const struct {
		const char *file, *reason;
	} cases[] = {
		{"dmarc/corpus/hostile/doctype.xml", "has a DOCTYPE"},
		{"dmarc/corpus/hostile/deep.xml", "not well-formed XML"},
		{"dmarc/corpus/hostile/truncated.xml.gz", "gzip: truncated"},
		{"dmarc/corpus/hostile/noreport.eml", "no DMARC report attachment in the message"},
		{"dmarc/corpus/hostile/noid.xml", "no report_metadata/report_id"},
		{"dmarc/corpus/hostile/notreport.zip", "zip: no .xml or .gz entry in the archive"},
	};

	(void)state;
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		struct got g = {0};

		assert_int_equal(unpack_fixture(cases[i].file, NULL, &g), SC_OK);
		assert_int_equal(g.n, 1);
		assert_null(g.r[0]);
		assert_non_null(strstr(g.err[0], cases[i].reason));
		got_free(&g);
	}
}

static struct buf gz(const char *data, size_t len)
{
	struct buf out = {0};
	z_stream z = {0};
	unsigned char chunk[65536];

	assert_int_equal(deflateInit2(&z, 9, Z_DEFLATED, 16 + MAX_WBITS, 9, Z_DEFAULT_STRATEGY), Z_OK);
	z.next_in = (Bytef *)(uintptr_t)data;
	z.avail_in = (uInt)len;
	do {
		z.next_out = chunk;
		z.avail_out = sizeof(chunk);
		deflate(&z, Z_FINISH);
		buf_append(&out, chunk, sizeof(chunk) - z.avail_out);
	} while (z.avail_out == 0);
	deflateEnd(&z);
	return out;
}

static void t_limits(void **state)
{
	struct dmarc_limits lim = dmarc_limits_default();
	struct dmarc_report r;
	struct sc_error err;
	struct buf deep = {0}, zeros = {0}, bomb;
	struct got g = {0};

	(void)state;
	/* depth */
	buf_puts(&deep, "<feedback>");
	for (int i = 0; i < 40; i++)
		buf_puts(&deep, "<a>");
	for (int i = 0; i < 40; i++)
		buf_puts(&deep, "</a>");
	buf_puts(&deep, "</feedback>");
	assert_int_equal(dmarc_report_parse(deep.data, deep.len, &lim, &r, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "nested deeper than 32 elements");
	/* a gzip bomb: 64 MiB of zeros, about 64 KiB compressed */
	buf_reserve(&zeros, 64u << 20);
	memset(zeros.data, 0, 64u << 20);
	zeros.len = 64u << 20;
	bomb = gz(zeros.data, zeros.len);
	buf_free(&zeros);
	assert_int_equal(dmarc_unpack("bomb.gz", bomb.data, bomb.len, &lim, collect, &g, &err), SC_OK);
	assert_int_equal(g.n, 1);
	assert_non_null(strstr(g.err[0], "inflates more than 200 times its size"));
	got_free(&g);
	/* the same bomb under a ratio it would pass, but over a small size cap */
	lim.max_ratio = 100000;
	lim.max_report = 1 << 20;
	assert_int_equal(dmarc_unpack("bomb.gz", bomb.data, bomb.len, &lim, collect, &g, &err), SC_OK);
	assert_non_null(strstr(g.err[0], "decompresses past 1 MiB"));
	got_free(&g);
	/* the blob itself over max_input */
	lim.max_input = 1024;
	assert_int_equal(dmarc_unpack("big", bomb.data, bomb.len, &lim, collect, &g, &err),
			 SC_BAD_REPLY);
	assert_string_equal(err.message, "larger than 0 MiB (the limit for one file)");
	assert_int_equal(dmarc_unpack("empty", "", 0, &lim, collect, &g, &err), SC_BAD_REPLY);
	buf_free(&bomb);
	buf_free(&deep);
}

static void t_records_limit_and_stop(void **state)
{
	struct dmarc_limits lim = dmarc_limits_default();
	struct got g = {0};
	struct fx f = fx_load("dmarc/corpus/outlook.eml");
	struct sc_error err;

	(void)state;
	lim.max_records = 2;
	assert_int_equal(dmarc_unpack("o", f.data, f.len, &lim, collect, &g, &err), SC_OK);
	assert_null(g.r[0]);
	assert_string_equal(g.err[0], "3 records (the limit is 2)");
	got_free(&g);
	free(f.data);
	/* the callback stops the walk: its status comes back, nothing more is delivered */
	f = fx_load("dmarc/corpus/two.mbox");
	g.stop_at = 1;
	assert_int_equal(dmarc_unpack("m", f.data, f.len, NULL, collect, &g, &err), SC_CANCELLED);
	assert_int_equal(g.n, 1);
	got_free(&g);
	/* entries: a message's parts (multipart, text, attachment) over a limit of two */
	lim = dmarc_limits_default();
	lim.max_entries = 2;
	assert_int_equal(dmarc_unpack("m", f.data, f.len, &lim, collect, &g, &err), SC_OK);
	assert_null(g.r[0]);
	assert_non_null(strstr(g.err[0], "message: more than 2 parts; the rest were not read"));
	got_free(&g);
	free(f.data);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_outlook_gzip_ipv6_several_records),
		cmocka_unit_test(t_google_zip_and_yahoo_reasons),
		cmocka_unit_test(t_minimal_and_rfc9990),
		cmocka_unit_test(t_mbox_and_two_attachments_one_bad),
		cmocka_unit_test(t_hostile_refused_with_reasons),
		cmocka_unit_test(t_limits),
		cmocka_unit_test(t_records_limit_and_stop),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* store/dmarc and core/dmarc over a real sqlite cache: reports stored once per (org, id),
 * summed per domain, day and source; raw results kept as JSON; S3 objects remembered by
 * key and ETag; sources classified against identities (SES by selector, amazonses.com or
 * MAIL FROM; another sender; unauthenticated) with the reason in words; and the verdict:
 * ready at 99.5 % of authenticated mail, unauthenticated mail listed but not holding it
 * back. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/dmarc.h"
#include "sesctl/store/db.h"
#include "sesctl/store/dmarc.h"
#include "sesctl/util/buf.h"

#define DAY0 1795478400 /* 2026-11-24 00:00 UTC */
#define NOW (DAY0 + 10 * 86400)

struct fx {
	char dir[64], path[128];
	struct cache *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-dmarc-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cache.sqlite3", f->dir);
	assert_int_equal(cache_open(f->path, &f->c, NULL, &err), SC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[200];

	cache_close(f->c);
	for (const char *sfx = ""; sfx; sfx = !*sfx ? "-wal" : !strcmp(sfx, "-wal") ? "-shm"
					   : !strcmp(sfx, "-shm") ? ".lock"
					   : !strcmp(sfx, ".lock") ? ".users" : NULL) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

/* ---- building reports by hand (the parser has its own tests) ---- */

static char *dup_or_null(const char *s)
{
	return s ? strdup(s) : NULL;
}

/* auth: "d/s:r d/s:r|scope/d:r" */
static void record(struct dmarc_report *r, const char *ip, uint64_t count, const char *dkim,
		   const char *spf, const char *from, const char *dkim_raw, const char *spf_raw)
{
	struct dmarc_agg_record *x;

	r->records = realloc(r->records, (r->n_records + 1) * sizeof(*r->records));
	x = &r->records[r->n_records++];
	memset(x, 0, sizeof(*x));
	x->source_ip = strdup(ip);
	x->count = count;
	x->disposition = strdup("none");
	x->dkim = strdup(dkim);
	x->spf = strdup(spf);
	x->header_from = strdup(from);
	if (dkim_raw) {
		char d[128], s[64], res[16];

		assert_int_equal(sscanf(dkim_raw, "%127[^/]/%63[^:]:%15s", d, s, res), 3);
		x->dkim_results = calloc(1, sizeof(*x->dkim_results));
		x->dkim_results[0].domain = strdup(d);
		x->dkim_results[0].selector = strdup(s);
		x->dkim_results[0].result = strdup(res);
		x->n_dkim = 1;
	}
	if (spf_raw) {
		char d[128], res[16];

		assert_int_equal(sscanf(spf_raw, "%127[^:]:%15s", d, res), 2);
		x->spf_results = calloc(1, sizeof(*x->spf_results));
		x->spf_results[0].domain = strdup(d);
		x->spf_results[0].scope = strdup("mfrom");
		x->spf_results[0].result = strdup(res);
		x->n_spf = 1;
	}
}

static void report(struct dmarc_report *r, const char *org, const char *id, const char *domain,
		   int day, const char *p)
{
	memset(r, 0, sizeof(*r));
	r->org_name = strdup(org);
	r->report_id = strdup(id);
	r->begin = DAY0 + day * 86400;
	r->end = r->begin + 86399;
	r->policy.domain = strdup(domain);
	r->policy.p = dup_or_null(p);
	r->policy.pct = -1;
}

#define SEL "abcdefghijklmnopqrstuvwxyz012345"

static void put(struct fx *f, struct dmarc_report *r, bool expect_dup)
{
	struct sc_error err;
	bool dup = !expect_dup;

	assert_int_equal(cache_put_dmarc_report(f->c, r, "test", NOW, &dup, &err), SC_OK);
	assert_int_equal(dup, expect_dup);
	dmarc_report_free(r);
}

static void seed(struct fx *f)
{
	struct dmarc_report r;

	/* day 1: google sees SES mail aligned, and a spoofer */
	report(&r, "google.com", "g-1", "example.com", 1, "none");
	record(&r, "54.240.1.1", 1000, "pass", "fail", "example.com", "example.com/" SEL ":pass",
	       "eu-west-1.amazonses.com:pass");
	record(&r, "203.0.113.9", 40, "fail", "fail", "example.com", NULL, "example.com:fail");
	put(f, &r, false);
	/* the same report again: stored once */
	report(&r, "google.com", "g-1", "example.com", 1, "none");
	record(&r, "54.240.1.1", 1000, "pass", "fail", "example.com", "example.com/" SEL ":pass",
	       NULL);
	put(f, &r, true);
	/* day 2: yahoo, SES again and a newsletter service signing as itself */
	report(&r, "Yahoo", "y-7", "example.com", 2, "quarantine");
	record(&r, "54.240.1.2", 500, "pass", "pass", "example.com", "example.com/" SEL ":pass",
	       "bounce.example.com:pass");
	record(&r, "198.51.100.7", 20, "fail", "fail", "example.com", "mailer.example.net/s1:pass",
	       "mailer.example.net:pass");
	put(f, &r, false);
	/* another domain, outside a 3-day window */
	report(&r, "google.com", "g-old", "old.example", -20, "reject");
	record(&r, "54.240.1.3", 5, "pass", "pass", "old.example", "old.example/" SEL ":pass", NULL);
	put(f, &r, false);
}

static void t_store_and_sum(void **state)
{
	struct fx *f = *state;
	struct cache_dmarc_domain *d;
	struct cache_dmarc_day *days;
	struct cache_dmarc_source *s;
	struct cache_dmarc_row *rows;
	struct sc_error err;
	size_t n, nd, ns, nr, total;

	seed(f);
	assert_int_equal(cache_count_dmarc_reports(f->c, &total, &err), SC_OK);
	assert_int_equal(total, 3);
	assert_int_equal(cache_get_dmarc_domains(f->c, NOW - 14 * 86400, &d, &n, &err), SC_OK);
	assert_int_equal(n, 1); /* old.example is older than 14 days */
	assert_string_equal(d[0].domain, "example.com");
	assert_int_equal(d[0].n.messages, 1560);
	assert_int_equal(d[0].n.dmarc_pass, 1500);
	assert_int_equal(d[0].n.dkim_pass, 1500);
	assert_int_equal(d[0].n.spf_pass, 500);
	assert_int_equal(d[0].reports, 2);
	assert_int_equal(d[0].orgs, 2);
	assert_string_equal(d[0].p, "quarantine"); /* the newest report's */
	cache_dmarc_domains_free(d, n);
	assert_int_equal(cache_get_dmarc_domains(f->c, NOW - 40 * 86400, &d, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	cache_dmarc_domains_free(d, n);

	assert_int_equal(cache_get_dmarc_days(f->c, "example.com", NOW - 14 * 86400, &days, &nd,
					      &err), SC_OK);
	assert_int_equal(nd, 2);
	assert_int_equal(days[0].day, DAY0 + 86400);
	assert_int_equal(days[0].n.messages, 1040);
	assert_int_equal(days[1].n.messages, 520);
	free(days);

	assert_int_equal(cache_get_dmarc_sources(f->c, "example.com", NOW - 14 * 86400, &s, &ns,
						 &err), SC_OK);
	assert_int_equal(ns, 4);
	assert_string_equal(s[0].source_ip, "54.240.1.1"); /* most messages first */
	assert_int_equal(s[0].n.messages, 1000);
	assert_string_equal(s[0].orgs, "google.com");
	assert_string_equal(s[0].auth_key, "dkim=example.com/" SEL ":pass spf=mfrom/eu-west-1.amazonses.com:pass");
	cache_dmarc_sources_free(s, ns);

	assert_int_equal(cache_get_dmarc_rows(f->c, "example.com", "198.51.100.7", NOW - 14 * 86400,
					      0, &rows, &nr, &err), SC_OK);
	assert_int_equal(nr, 1);
	assert_string_equal(rows[0].org, "Yahoo");
	assert_non_null(strstr(rows[0].auth_results, "\"domain\":\"mailer.example.net\""));
	cache_dmarc_rows_free(rows, nr);
}

static void t_s3_seen(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	bool seen = true;

	assert_int_equal(cache_dmarc_s3_seen(f->c, "b", "k1", "e1", &seen, &err), SC_OK);
	assert_false(seen);
	assert_int_equal(cache_dmarc_s3_mark(f->c, "b", "k1", "e1", NOW, &err), SC_OK);
	assert_int_equal(cache_dmarc_s3_seen(f->c, "b", "k1", "e1", &seen, &err), SC_OK);
	assert_true(seen);
	/* the object was replaced: a new ETag is new */
	assert_int_equal(cache_dmarc_s3_seen(f->c, "b", "k1", "e2", &seen, &err), SC_OK);
	assert_false(seen);
	assert_int_equal(cache_dmarc_s3_seen(f->c, "other", "k1", "e1", &seen, &err), SC_OK);
	assert_false(seen);
}

static void t_missing_fields_refused(void **state)
{
	struct fx *f = *state;
	struct dmarc_report r;
	struct sc_error err;
	bool dup;

	report(&r, "org", "", "example.com", 1, "none");
	assert_int_equal(cache_put_dmarc_report(f->c, &r, "x", NOW, &dup, &err), SC_USAGE);
	dmarc_report_free(&r);
}

/* ---- classification ---- */

static struct ses_identity ident(const char *name, bool dkim_on, const char *mail_from)
{
	static char *tokens[] = {SEL, "second0000000000000000000000000a"};
	struct ses_identity x = {0};

	x.name = (char *)name;
	x.type = (char *)"DOMAIN";
	x.dkim_signing_enabled = dkim_on;
	x.dkim_tokens = tokens;
	x.n_dkim_tokens = 2;
	x.mail_from_domain = (char *)mail_from;
	return x;
}

static void classify(const char *key, const char *from, uint64_t msgs, uint64_t pass,
		     const struct ses_identity *ids, size_t n, struct dmarc_source_view *out)
{
	struct cache_dmarc_source s = {0};

	s.source_ip = (char *)"54.240.9.9";
	s.header_from = (char *)from;
	s.auth_key = (char *)key;
	s.n.messages = msgs;
	s.n.dmarc_pass = pass;
	memset(out, 0, sizeof(*out));
	dmarc_classify(&s, ids, n, "eu-west-1", out);
}

static void view_clear(struct dmarc_source_view *v)
{
	free(v->sender);
	free(v->identity);
	free(v->why);
}

static void t_classify(void **state)
{
	struct ses_identity ids[2] = {ident("mail.example.com", true, NULL),
				      ident("shop.example", false, "bounce.shop.example")};
	struct dmarc_source_view v;

	(void)state;
	/* Easy DKIM on a subdomain, From the parent: SES, passes (relaxed), nothing to say */
	classify("dkim=mail.example.com/" SEL ":pass", "mail.example.com", 100, 100, ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_SES);
	assert_string_equal(v.identity, "mail.example.com");
	assert_string_equal(v.sender, "SES (mail.example.com)");
	assert_false(v.failing);
	assert_null(v.why);
	view_clear(&v);

	/* signed by mail.sub.example.com's key, From a sibling: not aligned, said in words */
	classify("dkim=mail.example.com/" SEL ":pass spf=mfrom/eu-west-1.amazonses.com:pass",
		 "billing.example.org", 100, 0, ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_SES);
	assert_true(v.failing);
	assert_non_null(strstr(v.why, "SES mail passes DKIM but not aligned: Easy DKIM is on "
				      "mail.example.com, the From domain is billing.example.org"));
	assert_non_null(strstr(v.why, "sesctl identity create billing.example.org"));
	assert_non_null(strstr(v.why, "SPF passes only for eu-west-1.amazonses.com"));
	view_clear(&v);

	/* signed only as amazonses.com, the identity has DKIM off */
	classify("dkim=amazonses.com/224i4yxa5dv7c2xz3womw6peuasteono:pass", "shop.example", 50, 0,
		 ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_SES);
	assert_non_null(strstr(v.why, "DKIM signing is off for identity shop.example"));
	view_clear(&v);

	/* the custom MAIL FROM makes it SES even without DKIM */
	classify("spf=mfrom/bounce.shop.example:pass", "shop.example", 10, 10, ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_SES);
	assert_string_equal(v.identity, "shop.example");
	view_clear(&v);

	/* a selector nobody in the account has: not SES */
	classify("dkim=example.net/s1:pass", "example.com", 10, 0, ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_OTHER);
	assert_string_equal(v.sender, "example.net");
	assert_non_null(strstr(v.why, "passes DKIM as d=example.net, not aligned with example.com"));
	view_clear(&v);

	/* nothing passes */
	classify("dkim=example.com/x:fail spf=mfrom/example.com:softfail", "example.com", 10, 0,
		 ids, 2, &v);
	assert_int_equal(v.cls, DMARC_CLASS_NONE);
	assert_null(v.sender);
	assert_non_null(strstr(v.why, "nothing passes"));
	view_clear(&v);

	/* 0.4 % failing is not failing; 0.6 % is */
	classify("dkim=mail.example.com/" SEL ":pass", "mail.example.com", 1000, 996, ids, 2, &v);
	assert_false(v.failing);
	view_clear(&v);
	classify("dkim=mail.example.com/" SEL ":pass", "mail.example.com", 1000, 994, ids, 2, &v);
	assert_true(v.failing);
	view_clear(&v);

	/* a hostile key does not overflow anything */
	{
		char key[4096];

		memset(key, 'a', sizeof(key) - 1);
		key[sizeof(key) - 1] = '\0';
		memcpy(key, "dkim=", 5);
		classify(key, "example.com", 1, 0, ids, 2, &v);
		assert_int_equal(v.cls, DMARC_CLASS_NONE);
		view_clear(&v);
	}
}

/* ---- verdict ---- */

static void t_verdicts(void **state)
{
	struct fx *f = *state;
	struct dmarc_verdict *v;
	struct dmarc_source_view *src;
	struct sc_error err;
	size_t n, ns;

	seed(f);
	/* the newsletter service fails: not ready; the spoofer is listed, not blamed */
	assert_int_equal(dmarc_verdicts(f->c, NULL, NULL, NULL, 14, NOW, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_false(v[0].ready);
	assert_int_equal(v[0].auth_messages, 1520);
	assert_int_equal(v[0].unauth_messages, 40);
	assert_string_equal(v[0].headline, "not ready: 1 source fails, 98.7 % pass");
	assert_int_equal(v[0].n_problems, 2);
	assert_non_null(strstr(v[0].problems[0], "mailer.example.net (198.51.100.7)"));
	assert_non_null(strstr(v[0].problems[1], "40 messages from 1 unauthenticated sources"));
	dmarc_verdicts_free(v, n);

	/* over 3 days only day 2 counts... still the newsletter */
	assert_int_equal(dmarc_sources(f->c, NULL, NULL, "example.com", 14, NOW, &src, &ns, &err),
			 SC_OK);
	assert_int_equal(ns, 4);
	assert_int_equal(src[0].cls, DMARC_CLASS_SES); /* amazonses.com SPF makes it SES */
	dmarc_source_views_free(src, ns);

	assert_int_equal(dmarc_verdicts(f->c, NULL, NULL, "nowhere.example", 14, NOW, &v, &n, &err),
			 SC_NOT_FOUND);
	assert_non_null(strstr(err.message, "no DMARC reports for nowhere.example in the last 14 days"));
	assert_int_equal(n, 0);
}

static void t_verdict_ready(void **state)
{
	struct cache_dmarc_domain d = {0};
	struct dmarc_source_view src[2];
	struct dmarc_verdict v;

	(void)state;
	memset(src, 0, sizeof(src));
	d.domain = (char *)"example.com";
	d.p = (char *)"none";
	d.pct = -1;
	d.n.messages = 2100;
	src[0].cls = DMARC_CLASS_SES;
	src[0].s.n.messages = 2000;
	src[0].s.n.dmarc_pass = 1995;
	src[1].cls = DMARC_CLASS_NONE;
	src[1].s.n.messages = 100;
	src[1].failing = true;
	dmarc_verdict_build(&d, src, 2, 14, &v);
	assert_true(v.ready);
	assert_string_equal(v.headline, "ready for p=quarantine/reject");
	assert_non_null(strstr(v.next_step, "publish p=quarantine"));
	assert_int_equal(v.n_problems, 1); /* the unauthenticated ones, listed */
	dmarc_verdict_free(&v);

	d.p = (char *)"reject";
	dmarc_verdict_build(&d, src, 2, 14, &v);
	assert_string_equal(v.headline, "at p=reject, every authenticated source aligned");
	dmarc_verdict_free(&v);

	src[0].s.n.dmarc_pass = 1980; /* 99.0 % */
	dmarc_verdict_build(&d, src, 2, 14, &v);
	assert_false(v.ready);
	dmarc_verdict_free(&v);

	d.n.messages = 0;
	dmarc_verdict_build(&d, NULL, 0, 14, &v);
	assert_false(v.has_data);
	assert_string_equal(v.headline, "no messages reported in the last 14 days");
	dmarc_verdict_free(&v);
}

/* A receiver's "forwarded" mail that fails is the forwarder's doing: not held against the
 * source, left out of the pass rate, and said so. */
static void t_forwarded(void **state)
{
	struct fx *f = *state;
	struct dmarc_report r;
	struct dmarc_verdict *v;
	struct dmarc_source_view *src;
	struct sc_error err;
	size_t n, ns;

	report(&r, "Yahoo", "fw-1", "example.com", 1, "none");
	record(&r, "54.240.1.1", 1000, "pass", "pass", "example.com", "example.com/" SEL ":pass",
	       "eu-west-1.amazonses.com:pass");
	record(&r, "192.0.2.25", 40, "fail", "fail", "example.com", "example.com/" SEL ":fail",
	       "lists.example.org:pass");
	r.records[1].reasons = strdup("forwarded: mailing list");
	put(f, &r, false);
	assert_int_equal(dmarc_sources(f->c, NULL, NULL, "example.com", 14, NOW, &src, &ns, &err), SC_OK);
	assert_int_equal(ns, 2);
	assert_int_equal(src[1].s.n.forwarded, 40);
	assert_false(src[1].failing);
	assert_non_null(strstr(src[1].why, "forwarded"));
	dmarc_source_views_free(src, ns);
	assert_int_equal(dmarc_verdicts(f->c, NULL, NULL, NULL, 14, NOW, &v, &n, &err), SC_OK);
	assert_true(v[0].ready);
	assert_int_equal(v[0].auth_messages, 1000);
	assert_int_equal(v[0].forwarded, 40);
	dmarc_verdicts_free(v, n);
}

/* Counts a hostile receiver may send (2^53 each, the parser's limit) do not break the sums. */
static void t_huge_counts(void **state)
{
	struct fx *f = *state;
	struct dmarc_report r;
	struct dmarc_verdict *v;
	struct sc_error err;
	size_t n;

	for (int k = 0; k < 3; k++) {
		char id[16];

		snprintf(id, sizeof(id), "huge-%d", k);
		report(&r, "evil.example", id, "example.com", 1, "none");
		for (int i = 0; i < 600; i++)
			record(&r, "192.0.2.66", (uint64_t)1 << 53, "fail", "fail", "example.com", NULL, NULL);
		put(f, &r, false);
	}
	assert_int_equal(dmarc_verdicts(f->c, NULL, NULL, NULL, 14, NOW, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_true(v[0].all.messages > (uint64_t)1 << 62);
	assert_false(v[0].ready);
	dmarc_verdicts_free(v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_store_and_sum, setup, teardown),
		cmocka_unit_test_setup_teardown(t_s3_seen, setup, teardown),
		cmocka_unit_test_setup_teardown(t_missing_fields_refused, setup, teardown),
		cmocka_unit_test(t_classify),
		cmocka_unit_test_setup_teardown(t_verdicts, setup, teardown),
		cmocka_unit_test(t_verdict_ready),
		cmocka_unit_test_setup_teardown(t_forwarded, setup, teardown),
		cmocka_unit_test_setup_teardown(t_huge_counts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* The live checker against a real DNS server on 127.0.0.1 (tests/dns/dnsserver.py), and the
 * raw answer walker on hand-made packets. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/dns/check.h"
#include "sesctl/dns/policy.h"
#include "sesctl/dns/records.h"
#include "sesctl/util/buf.h"

struct server {
	pid_t pid;
	int in; /* its stdin: closing it stops the server */
	unsigned port;
};

/* Start dnsserver.py on a zone text. false (the test skips) only when Debian's
 * python3-dnslib is not installed; any other failure to start fails the test. */
static bool server_start(struct server *s, const char *zone_text)
{
	static int have_dnslib = -1;
	const char *root = getenv("SESCTL_ROOT") ? getenv("SESCTL_ROOT") : ".";
	char zone[] = "/tmp/sesctl-zone-XXXXXX", script[512], line[64];
	int in[2], out[2], fd = mkstemp(zone);
	FILE *f;

	if (have_dnslib < 0)
		have_dnslib = system("/usr/bin/python3 -c 'import dnslib' 2>/dev/null") == 0;
	if (!have_dnslib) {
		close(fd);
		unlink(zone);
		return false;
	}
	assert_true(fd >= 0);
	assert_int_equal(write(fd, zone_text, strlen(zone_text)), (ssize_t)strlen(zone_text));
	close(fd);
	snprintf(script, sizeof(script), "%s/tests/dns/dnsserver.py", root);
	assert_int_equal(pipe2(in, O_CLOEXEC), 0); /* other servers must not hold our pipes */
	assert_int_equal(pipe2(out, O_CLOEXEC), 0);
	s->pid = fork();
	assert_true(s->pid >= 0);
	if (s->pid == 0) {
		dup2(in[0], 0);
		dup2(out[1], 1);
		close(in[1]);
		close(out[0]);
		execl("/usr/bin/python3", "python3", script, "--zone", zone, "--port", "0",
		      (char *)NULL);
		_exit(127);
	}
	close(in[0]);
	close(out[1]);
	s->in = in[1];
	f = fdopen(out[0], "r");
	s->port = 0;
	if (fgets(line, sizeof(line), f))
		sscanf(line, "PORT %u", &s->port);
	fclose(f);
	unlink(zone);
	if (!s->port) {
		close(s->in);
		waitpid(s->pid, NULL, 0);
		fail_msg("%s did not start", script);
	}
	return true;
}

static void server_stop(struct server *s)
{
	close(s->in);
	waitpid(s->pid, NULL, 0);
}

static char *server_addr(const struct server *s)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "127.0.0.1:%u", s->port);
	return buf_steal(&b);
}

static void build(struct dns_record_set *set, const char *domain, char **tokens, size_t n,
                  const char *mail_from, const char *token)
{
	struct ses_identity id;
	struct sc_error err;

	memset(&id, 0, sizeof(id));
	id.name = (char *)domain;
	id.type = "DOMAIN";
	id.dkim_tokens = tokens;
	id.n_dkim_tokens = n;
	id.mail_from_domain = (char *)mail_from;
	id.verification_token = (char *)token;
	dns_record_set_init(set);
	assert_int_equal(dns_records_for_identity(set, &id, NULL, "eu-west-1", NULL, &err), SC_OK);
}

static const struct dns_record *rec(const struct dns_record_set *set, const char *name,
                                    const char *type)
{
	for (size_t i = 0; i < set->n; i++)
		if (!strcmp(set->v[i].name, name) && !strcmp(set->v[i].type, type))
			return &set->v[i];
	fail_msg("no %s record at %s", type, name);
	return NULL;
}

#define assert_state(set, name, type, st)                                                          \
	assert_string_equal(dns_state_name(rec(set, name, type)->status), dns_state_name(st))

static const char zone_text[] =
    "$ORIGIN test.\n"
    "$TTL 300\n"
    /* shop.test: correct, missing, wrong */
    "tok1._domainkey.shop IN CNAME tok1.dkim.amazonses.com.\n"
    "tok3._domainkey.shop IN CNAME tok3.dkim.amazonses.com.shop.test.\n"
    "_amazonses.shop IN TXT \"OTHER-INSTANCE\"\n"
    "_amazonses.shop IN TXT \"TOKEN-A\"\n"
    "bounce.shop IN MX 10 feedback-smtp.eu-west-1.amazonses.com.\n"
    "bounce.shop IN TXT \"v=spf1 include:amazonses.com \" \"~all\"\n"
    "default._bimi.shop IN TXT \"v=BIMI1; l=https://shop.test/logo.svg\"\n"
    "_mta-sts.shop IN TXT \"v=STSv1; id=20240101\"\n"
    /* conflict.test: CNAME beside TXT, two SPF, two DMARC */
    "c1._domainkey.conflict IN CNAME c1.dkim.amazonses.com.\n"
    "c1._domainkey.conflict IN TXT \"stale\"\n"
    "c2._domainkey.conflict IN CNAME c2.dkim.amazonses.com.\n"
    "mail.conflict IN MX 10 mx.elsewhere.test.\n"
    "mail.conflict IN TXT \"v=spf1 include:amazonses.com ~all\"\n"
    "mail.conflict IN TXT \"v=spf1 mx -all\"\n"
    "_dmarc.conflict IN TXT \"v=DMARC1; p=none\"\n"
    "_dmarc.conflict IN TXT \"v=DMARC1; p=reject\"\n"
    "_amazonses.conflict IN TXT \"NOT-OURS\"\n"
    /* odd.test: failures */
    "huge.odd IN MX 10 feedback-smtp.eu-west-1.amazonses.com.\n"
    "huge.odd IN TXT \"v=spf1 include:amazonses.com ~all\"\n"
    "garbage._domainkey.odd IN CNAME garbage.dkim.amazonses.com.\n"
    "_dmarc.odd IN TXT \"v=DMARC1; p=quarantine; rua=mailto:d@odd.test\"\n"
    /* spf.test: 2 + 5 + 4 lookups through includes, and an include loop */
    "mail.spf IN MX 10 feedback-smtp.eu-west-1.amazonses.com.\n"
    "mail.spf IN TXT \"v=spf1 include:a.spf.test include:amazonses.com ~all\"\n"
    "a.spf IN TXT \"v=spf1 include:b.spf.test a mx ptr exists:x.spf.test -all\"\n"
    "b.spf IN TXT \"v=spf1 a:1.spf.test a:2.spf.test a:3.spf.test a:4.spf.test -all\"\n"
    "loop.spf IN TXT \"v=spf1 include:loop.spf.test -all\"\n"
    "mail2.spf IN TXT \"v=spf1 include:loop.spf.test include:amazonses.com -all\"\n"
    /* org.test: a subdomain inherits the parent's DMARC record */
    "_dmarc.org IN TXT \"v=DMARC1; p=reject; sp=quarantine; rua=mailto:d@org.test\"\n";

/* The checked set feeds the verdict: published DMARC and the MAIL FROM's SPF. */
static void explain_odd(const struct dns_record_set *odd)
{
	struct ses_identity id;
	struct policy_input in;
	struct policy_verdict v;

	memset(&id, 0, sizeof(id));
	id.name = "odd.test";
	id.type = "DOMAIN";
	id.has_details = true;
	id.dkim_signing_enabled = true;
	id.dkim_status = "PENDING";
	id.mail_from_domain = "huge.odd.test";
	id.mail_from_status = "SUCCESS";
	memset(&in, 0, sizeof(in));
	in.identity = &id;
	policy_input_from_set(&in, odd);
	assert_string_equal(in.dmarc_txt, "v=DMARC1; p=quarantine; rua=mailto:d@odd.test");
	assert_string_equal(in.spf_txt, "v=spf1 include:amazonses.com ~all");
	policy_evaluate(&in, &v);
	assert_int_equal(v.dkim_aligned, POLICY_NO);
	assert_int_equal(v.spf_aligned, POLICY_YES);
	assert_int_equal(v.dmarc_pass, POLICY_YES);
	assert_string_equal(v.dmarc.p, "quarantine");
	policy_verdict_free(&v);
}

static void test_check_statuses(void **state)
{
	struct server srv;
	struct dns_record_set shop, conflict, odd;
	char *tok_shop[] = {"tok1", "tok2", "tok3"};
	char *tok_conflict[] = {"c1", "c2", "c3"};
	char *tok_odd[] = {"servfail", "garbage", "silent"};
	struct dns_check_opts opts = {.timeout_ms = 300, .tries = 1};
	struct sc_error err;
	const struct dns_record *r;
	char *addr;

	(void)state;
	if (!server_start(&srv, zone_text))
		skip();
	addr = server_addr(&srv);
	opts.server = addr;

	build(&shop, "shop.test", tok_shop, 3, "bounce.shop.test", "TOKEN-A");
	assert_int_equal(dns_check_run(&shop, &opts, &err), SC_OK);
	assert_state(&shop, "tok1._domainkey.shop.test", "CNAME", DNS_STATE_OK);
	r = rec(&shop, "tok2._domainkey.shop.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_MISSING);
	assert_string_equal(r->detail, "NXDOMAIN");
	assert_string_equal(r->resolver, addr);
	r = rec(&shop, "tok3._domainkey.shop.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_WRONG);
	assert_string_equal(r->published, "tok3.dkim.amazonses.com.shop.test");
	r = rec(&shop, "_amazonses.shop.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_OK);
	assert_non_null(strstr(r->published, "OTHER-INSTANCE"));
	assert_state(&shop, "bounce.shop.test", "MX", DNS_STATE_OK);
	r = rec(&shop, "bounce.shop.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_OK); /* two strings joined */
	assert_string_equal(r->published, "v=spf1 include:amazonses.com ~all");
	r = rec(&shop, "_dmarc.shop.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_MISSING);
	assert_true(r->suggestion);
	assert_int_equal(dns_record_set_count(&shop, DNS_STATE_OK), 4);
	assert_int_equal(dns_record_set_count(&shop, DNS_STATE_MISSING), 2);
	assert_int_equal(dns_record_set_count(&shop, DNS_STATE_WRONG), 1);
	assert_string_equal(shop.bimi, "v=BIMI1; l=https://shop.test/logo.svg");
	assert_string_equal(shop.mta_sts, "v=STSv1; id=20240101");
	assert_null(shop.tlsrpt);
	dns_record_set_free(&shop);

	build(&conflict, "conflict.test", tok_conflict, 3, "mail.conflict.test", "MINE");
	assert_int_equal(dns_check_run(&conflict, &opts, &err), SC_OK);
	r = rec(&conflict, "c1._domainkey.conflict.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_CONFLICT);
	assert_string_equal(r->detail, "a CNAME beside TXT data at the same name");
	assert_state(&conflict, "c2._domainkey.conflict.test", "CNAME", DNS_STATE_OK);
	assert_state(&conflict, "c3._domainkey.conflict.test", "CNAME", DNS_STATE_MISSING);
	r = rec(&conflict, "mail.conflict.test", "MX");
	assert_int_equal(r->status, DNS_STATE_WRONG);
	assert_string_equal(r->published, "10 mx.elsewhere.test");
	r = rec(&conflict, "mail.conflict.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_CONFLICT);
	assert_non_null(strstr(r->detail, "two SPF records"));
	assert_state(&conflict, "_dmarc.conflict.test", "TXT", DNS_STATE_CONFLICT);
	r = rec(&conflict, "_amazonses.conflict.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_WRONG);
	assert_string_equal(r->published, "NOT-OURS");
	dns_record_set_free(&conflict);

	build(&odd, "odd.test", tok_odd, 3, "huge.odd.test", NULL);
	assert_int_equal(dns_check_run(&odd, &opts, &err), SC_OK);
	r = rec(&odd, "servfail._domainkey.odd.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_ERROR);
	assert_string_equal(r->detail, "SERVFAIL");
	assert_string_equal(r->resolver, addr);
	r = rec(&odd, "garbage._domainkey.odd.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_ERROR);
	assert_non_null(strstr(r->detail, "malformed"));
	r = rec(&odd, "silent._domainkey.odd.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_ERROR);
	assert_string_equal(r->detail, "timeout");
	assert_state(&odd, "huge.odd.test", "MX", DNS_STATE_OK);
	r = rec(&odd, "huge.odd.test", "TXT"); /* 5 KB answer: TC over UDP, then TCP */
	assert_int_equal(r->status, DNS_STATE_OK);
	r = rec(&odd, "_dmarc.odd.test", "TXT"); /* the published record replaces the suggestion */
	assert_int_equal(r->status, DNS_STATE_OK);
	assert_false(r->suggestion);
	assert_string_equal(r->value, "v=DMARC1; p=quarantine; rua=mailto:d@odd.test");
	explain_odd(&odd);
	dns_record_set_free(&odd);

	free(addr);
	server_stop(&srv);
}

/* The poll-loop API: a fast answer is shown while a slow one is still outstanding. */
static void test_poll_loop_progress(void **state)
{
	struct server srv;
	struct dns_record_set set;
	char *tokens[] = {"tok1", "silent"};
	struct dns_check_opts opts = {.timeout_ms = 1500, .tries = 1};
	struct dns_checker *c;
	struct sc_error err;
	struct pollfd fds[32];
	bool seen_partial = false;
	size_t done, total;
	char *addr;

	(void)state;
	if (!server_start(&srv, zone_text))
		skip();
	addr = server_addr(&srv);
	opts.server = addr;
	build(&set, "shop.test", tokens, 2, NULL, NULL);
	assert_int_equal(dns_check_start(&c, &set, &opts, &err), SC_OK);
	while (!dns_check_done(c)) {
		size_t n = dns_check_fds(c, fds, 32);

		assert_true(n > 0);
		assert_true(dns_check_timeout_ms(c) >= 0);
		poll(fds, n, dns_check_timeout_ms(c));
		dns_check_process(c, fds, n);
		dns_check_progress(c, &done, &total);
		if (!dns_check_done(c) && done > 0 && done < total) {
			assert_state(&set, "tok1._domainkey.shop.test", "CNAME", DNS_STATE_OK);
			assert_state(&set, "silent._domainkey.shop.test", "CNAME",
			             DNS_STATE_UNCHECKED);
			seen_partial = true;
		}
	}
	assert_true(seen_partial);
	assert_int_equal(dns_check_timeout_ms(c), -1);
	assert_int_equal(dns_check_fds(c, fds, 32), 0);
	dns_check_progress(c, &done, &total);
	assert_int_equal(done, total);
	assert_state(&set, "silent._domainkey.shop.test", "CNAME", DNS_STATE_ERROR);
	dns_check_free(c);
	dns_record_set_free(&set);
	free(addr);
	server_stop(&srv);
}

/* --dns-server by name, resolved through /etc/hosts only (never the network). */
static void test_server_by_name(void **state)
{
	struct server srv;
	struct dns_record_set set;
	char *tokens[] = {"tok1"};
	struct dns_check_opts opts = {.timeout_ms = 1000};
	struct sc_error err;
	char name[64], want[64], line[256];
	bool in_hosts = false;
	FILE *hosts = fopen("/etc/hosts", "r");

	(void)state;
	while (hosts && fgets(line, sizeof(line), hosts))
		in_hosts |= strncmp(line, "127.0.0.1", 9) == 0 && strstr(line, " localhost");
	if (hosts)
		fclose(hosts);
	if (!in_hosts || !server_start(&srv, zone_text))
		skip();
	snprintf(name, sizeof(name), "localhost:%u", srv.port);
	snprintf(want, sizeof(want), "localhost (127.0.0.1:%u)", srv.port);
	opts.server = name;
	build(&set, "shop.test", tokens, 1, NULL, NULL);
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	assert_state(&set, "tok1._domainkey.shop.test", "CNAME", DNS_STATE_OK);
	assert_string_equal(rec(&set, "tok1._domainkey.shop.test", "CNAME")->resolver, want);
	dns_record_set_free(&set);
	server_stop(&srv);
}

/* news.org.test has no _dmarc of its own: org.test's record applies, and its sp= decides. */
static void test_inherited_dmarc(void **state)
{
	struct server srv;
	struct dns_record_set set;
	struct dns_check_opts opts = {.timeout_ms = 1000};
	struct ses_identity alice;
	struct policy_input in;
	struct policy_verdict v;
	struct sc_error err;
	const struct dns_record *r;
	char *addr;

	(void)state;
	if (!server_start(&srv, zone_text))
		skip();
	addr = server_addr(&srv);
	opts.server = addr;
	build(&set, "news.org.test", NULL, 0, NULL, NULL);
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	r = rec(&set, "_dmarc.news.org.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_OK);
	assert_non_null(strstr(r->detail, "org.test's DMARC record applies"));
	assert_string_equal(set.dmarc_at, "org.test");

	memset(&alice, 0, sizeof(alice));
	alice.name = "alice@news.org.test";
	alice.type = "EMAIL_ADDRESS";
	memset(&in, 0, sizeof(in));
	in.identity = &alice;
	policy_input_from_set(&in, &set);
	assert_string_equal(in.dmarc_domain, "org.test");
	policy_evaluate(&in, &v);
	assert_int_equal(v.dmarc_pass, POLICY_NO);
	assert_non_null(strstr(v.dmarc_why, "(sp=quarantine)"));
	policy_verdict_free(&v);
	dns_record_set_free(&set);
	free(addr);
	server_stop(&srv);
}

/* include: chains are followed through the resolver to count SPF's DNS lookups. */
static void test_spf_lookups(void **state)
{
	struct server srv;
	struct dns_record_set set;
	struct dns_check_opts opts = {.timeout_ms = 1000};
	struct ses_identity id;
	struct policy_input in;
	struct policy_verdict v;
	struct sc_error err;
	const struct dns_record *r;
	char *addr;

	(void)state;
	if (!server_start(&srv, zone_text))
		skip();
	addr = server_addr(&srv);
	opts.server = addr;
	build(&set, "spf.test", NULL, 0, "mail.spf.test", NULL);
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	r = rec(&set, "mail.spf.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_OK);
	assert_int_equal(r->spf_lookups, 11);
	assert_non_null(strstr(r->detail, "more than 10 DNS lookups"));

	memset(&id, 0, sizeof(id));
	id.name = "spf.test";
	id.type = "DOMAIN";
	id.mail_from_domain = "mail.spf.test";
	memset(&in, 0, sizeof(in));
	in.identity = &id;
	policy_input_from_set(&in, &set);
	assert_int_equal(in.spf_lookups, 11);
	policy_evaluate(&in, &v);
	assert_true(v.n_warnings > 0);
	assert_non_null(strstr(v.warnings[0], "more than 10 DNS lookups with its includes"));
	policy_verdict_free(&v);
	dns_record_set_free(&set);

	/* an include loop ends at the limit instead of spinning */
	build(&set, "spf.test", NULL, 0, "mail2.spf.test", NULL);
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	r = rec(&set, "mail2.spf.test", "TXT");
	assert_int_equal(r->status, DNS_STATE_OK);
	assert_true(r->spf_lookups > 10);
	dns_record_set_free(&set);
	free(addr);
	server_stop(&srv);
}

/* A resolver with a stale view; the zone's own server has the new record. */
static const char stale_zone[] = "$ORIGIN auth.test.\n$TTL 300\n"
                                 "@ IN NS ns1.auth.test.\n"
                                 "ns1 IN A 127.0.0.1\n";
static const char fresh_zone[] = "$ORIGIN auth.test.\n$TTL 300\n"
                                 "@ IN NS ns1.auth.test.\n"
                                 "ns1 IN A 127.0.0.1\n"
                                 "k1._domainkey.sub IN CNAME k1.dkim.amazonses.com.\n";

static void test_authoritative(void **state)
{
	struct server stale, fresh;
	struct dns_record_set set;
	char *tokens[] = {"k1"};
	struct dns_check_opts opts = {.timeout_ms = 1000};
	struct sc_error err;
	const struct dns_record *r;
	char *addr, want[64];

	(void)state;
	if (!server_start(&stale, stale_zone))
		skip();
	assert_true(server_start(&fresh, fresh_zone));
	addr = server_addr(&stale);
	opts.server = addr;
	build(&set, "sub.auth.test", tokens, 1, NULL, NULL);

	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	assert_state(&set, "k1._domainkey.sub.auth.test", "CNAME", DNS_STATE_MISSING);

	opts.authoritative = true;
	opts.auth_port = fresh.port;
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	r = rec(&set, "k1._domainkey.sub.auth.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_OK);
	snprintf(want, sizeof(want), "ns1.auth.test (127.0.0.1:%u)", fresh.port);
	assert_string_equal(r->resolver, want);

	/* no NS to be found: falls back to the resolver and says so */
	server_stop(&fresh);
	dns_record_set_free(&set);
	build(&set, "other.test", tokens, 1, NULL, NULL);
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK);
	r = rec(&set, "k1._domainkey.other.test", "CNAME");
	assert_int_equal(r->status, DNS_STATE_MISSING);
	assert_non_null(strstr(r->detail, "asked the resolver instead"));
	assert_string_equal(r->resolver, addr);
	dns_record_set_free(&set);
	free(addr);
	server_stop(&stale);
}

static void test_bad_server(void **state)
{
	struct dns_record_set set;
	struct dns_check_opts opts = {0};
	struct sc_error err;
	const char *bad[] = {
	    "127.0.0.1:0", "127.0.0.1:99999", "127.0.0.1:",      "[::1", "", "1.2.3.4.5",
	    "bad host:53", "-x.example",      "[dns.example]:53"};

	(void)state;
	dns_record_set_init(&set);
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts.server = bad[i];
		assert_int_equal(dns_check_run(&set, &opts, &err), SC_USAGE);
		assert_non_null(strstr(err.message, "is not HOST[:PORT]"));
	}
	opts.server = "[::1]:5353";
	assert_int_equal(dns_check_run(&set, &opts, &err), SC_OK); /* empty set: nothing to ask */
}

/* ---- the walker ---- */

static size_t put_name(unsigned char *p, const char *name)
{
	size_t n = 0;

	while (*name) {
		const char *dot = strchr(name, '.');
		size_t len = dot ? (size_t)(dot - name) : strlen(name);

		p[n++] = (unsigned char)len;
		memcpy(p + n, name, len);
		n += len;
		name += len + (dot ? 1 : 0);
	}
	p[n++] = 0;
	return n;
}

static void test_walker(void **state)
{
	unsigned char pkt[512];
	struct dns_answer a;
	struct sc_error err;
	size_t n = 12, rd;

	(void)state;
	memset(pkt, 0, sizeof(pkt));
	pkt[2] = 0x84; /* QR AA */
	pkt[5] = 1;    /* qdcount */
	pkt[7] = 2;    /* ancount */
	n += put_name(pkt + n, "x.test");
	pkt[n + 1] = 16, pkt[n + 3] = 1, n += 4;
	/* answer 1: TXT with two strings, owner compressed to the question name */
	pkt[n++] = 0xc0, pkt[n++] = 12;
	pkt[n + 1] = 16, pkt[n + 3] = 1, n += 8;
	pkt[n++] = 0, pkt[n++] = 8;
	memcpy(pkt + n, "\3abc\3def", 8), n += 8;
	/* answer 2: MX 10 mx.x.test (compressed suffix) */
	pkt[n++] = 0xc0, pkt[n++] = 12;
	pkt[n + 1] = 15, pkt[n + 3] = 1, n += 8;
	rd = n;
	n += 2;
	pkt[n++] = 0, pkt[n++] = 10;
	pkt[n++] = 2, pkt[n++] = 'm', pkt[n++] = 'x', pkt[n++] = 0xc0, pkt[n++] = 12;
	pkt[rd + 1] = (unsigned char)(n - rd - 2);
	assert_int_equal(dns_answer_parse(pkt, n, &a, &err), SC_OK);
	assert_int_equal(a.n, 2);
	assert_true(a.aa);
	assert_string_equal(a.rr[0].owner, "x.test");
	assert_string_equal(a.rr[0].data, "abcdef");
	assert_string_equal(a.rr[1].data, "10 mx.x.test");
	dns_answer_free(&a);

	/* every truncation is an error, never a crash */
	for (size_t cut = 0; cut < n; cut++) {
		assert_int_equal(dns_answer_parse(pkt, cut, &a, &err), SC_BAD_REPLY);
		assert_int_equal(a.n, 0);
	}
	/* a TXT string longer than its record */
	pkt[12 + 8 + 4 + 2 + 10] = 9;
	assert_int_equal(dns_answer_parse(pkt, n, &a, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "malformed DNS answer: a TXT string runs past its record");
	/* a compression loop */
	pkt[12 + 8 + 4 + 2 + 10] = 3;
	pkt[12 + 8 + 4 + 1] = 12 + 8 + 4; /* the owner points at itself */
	assert_int_equal(dns_answer_parse(pkt, n, &a, &err), SC_BAD_REPLY);
	/* AAAA (authoritative servers may only have IPv6 addresses) */
	memset(pkt, 0, sizeof(pkt));
	pkt[7] = 1;
	n = 12;
	n += put_name(pkt + n, "ns.test");
	pkt[n + 1] = 28, pkt[n + 3] = 1, n += 8;
	pkt[n++] = 0, pkt[n++] = 16;
	pkt[n + 15] = 1, n += 16; /* ::1 */
	assert_int_equal(dns_answer_parse(pkt, n, &a, &err), SC_OK);
	assert_int_equal(a.rr[0].type, 28);
	assert_string_equal(a.rr[0].data, "::1");
	dns_answer_free(&a);
	pkt[n - 17] = 15; /* rdlength 15: not an address */
	assert_int_equal(dns_answer_parse(pkt, n - 1, &a, &err), SC_BAD_REPLY);
	assert_string_equal(err.message, "malformed DNS answer: an AAAA record of 15 bytes");
	/* absurd counts */
	pkt[6] = 0xff;
	assert_int_equal(dns_answer_parse(pkt, n, &a, &err), SC_BAD_REPLY);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test(test_walker),         cmocka_unit_test(test_bad_server),
	    cmocka_unit_test(test_check_statuses), cmocka_unit_test(test_poll_loop_progress),
	    cmocka_unit_test(test_server_by_name), cmocka_unit_test(test_inherited_dmarc),
	    cmocka_unit_test(test_spf_lookups),    cmocka_unit_test(test_authoritative),
	};

	signal(SIGPIPE, SIG_IGN);
	return cmocka_run_group_tests(tests, NULL, NULL);
}

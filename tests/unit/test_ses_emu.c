/* End to end: every ses/ wrapper through the real aws/client (SigV4, http) against the
 * project emulator (tests/emulator/sesemu.py, moto + extensions, signatures verified),
 * started once on 127.0.0.1 with the demo seed. Reads check the seed's known content;
 * writes are read back through the same API. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <openssl/evp.h>
#include <openssl/rsa.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/aws/client.h"
#include "sesctl/aws/http.h"
#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/metrics.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/feedback.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/vdm.h"
#include "sesctl/ses/sts.h"

struct emu {
	pid_t pid;
	char url[128];
	struct http_client *http;
	struct aws_client *client;
	struct ses_ctx ctx;
};

static enum sc_status test_creds(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	(void)ud;
	(void)err;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	out->session_token = NULL;
	return SC_OK;
}

static int emu_setup(void **state)
{
	static struct emu e;
	const char *root = getenv("SESCTL_ROOT");
	const char *prefix = "sesemu listening on ";
	struct aws_client_options opt = {0};
	char prog[512], line[128];
	int pfd[2];
	FILE *in;

	memset(&e, 0, sizeof(e));
	snprintf(prog, sizeof(prog), "%s/tests/emulator/sesemu.py", root && *root ? root : ".");
	if (pipe(pfd) != 0)
		return -1;
	e.pid = fork();
	if (e.pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		if (!freopen("/dev/null", "w", stderr))
			_exit(126);
		execlp("python3", "python3", prog, "--port", "0", "--seed", "demo", "--region",
		       "eu-west-1", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	if (!in || !fgets(line, sizeof(line), in) || strncmp(line, prefix, strlen(prefix))) {
		fprintf(stderr, "sesemu did not start (%s)\n", prog);
		return -1;
	}
	fclose(in);
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(e.url, sizeof(e.url), "%s", line + strlen(prefix));
	e.http = http_client_new(NULL);
	opt.http = e.http;
	opt.creds = test_creds;
	opt.max_attempts = 1;
	e.client = aws_client_new(&opt);
	e.ctx.client = e.client;
	e.ctx.region = "eu-west-1";
	e.ctx.endpoint_sesv2 = e.ctx.endpoint_ses = e.ctx.endpoint_monitoring = e.url;
	e.ctx.endpoint_mailmanager = e.ctx.endpoint_sts = e.url;
	*state = &e;
	return e.client ? 0 : -1;
}

static int emu_teardown(void **state)
{
	struct emu *e = *state;

	aws_client_free(e->client);
	http_client_free(e->http);
	if (e->pid > 0) {
		kill(e->pid, SIGTERM);
		waitpid(e->pid, NULL, 0);
	}
	return 0;
}

static const struct ses_ctx *ctx_of(void **state)
{
	return &((struct emu *)*state)->ctx;
}

#define OK(call)                                                                      \
	do {                                                                          \
		struct sc_error e_;                                                   \
		enum sc_status st_;                                                   \
		sc_error_clear(&e_);                                                  \
		st_ = (call);                                                         \
		if (st_ != SC_OK)                                                     \
			fail_msg("%s -> %s: %s", #call, sc_status_name(st_), e_.message); \
	} while (0)

/* The wrappers take err as their last argument; OK() passes its own. */
#define E (&e_)

static void test_whoami_and_account(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	struct ses_caller c = {0};
	struct ses_account a = {0};

	OK(sts_get_caller_identity(ctx, &c, E));
	assert_string_equal(c.account, "123456789012");
	OK(sesv2_get_account(ctx, &a, E));
	assert_true(a.production_access);
	assert_true(a.sending_enabled);
	assert_true(a.max_24h_send == 50000);
	assert_string_equal(a.review_status, "GRANTED");
	assert_string_equal(a.region, "eu-west-1");
	assert_true(a.vdm_enabled);
	OK(sesv1_get_send_quota(ctx, &a, E));
	assert_true(a.max_send_rate == 14);
	ses_account_free(&a);
	ses_caller_free(&c);
}

static void test_identities(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	struct ses_identity *v = NULL, id = {0};
	size_t n = 0, found = 0;

	OK(sesv2_list_email_identities(ctx, &v, &n, E));
	assert_int_equal(n, 40);
	for (size_t i = 0; i < n; i++)
		found += !strcmp(v[i].name, "xn--bcher-kva.example") ||
			 !strcmp(v[i].name, "ops@shop.example");
	assert_int_equal(found, 2);
	ses_identities_free(v, n);
	OK(sesv2_get_email_identity(ctx, "secure.example", &id, E));
	assert_string_equal(id.dkim_origin, "EXTERNAL");
	assert_int_equal(id.n_dkim_tokens, 1);
	assert_string_equal(id.dkim_tokens[0], "sel2024");
	OK(sesv2_get_email_identity(ctx, "shop.example", &id, E));
	assert_string_equal(id.name, "shop.example");
	assert_int_equal(id.n_dkim_tokens, 3);
	assert_string_equal(id.mail_from_domain, "bounce.shop.example");
	assert_int_equal(ses_state_of(id.mail_from_status), SES_STATE_OK);
	/* the caller may pass the struct's own name */
	OK(sesv2_get_email_identity(ctx, id.name, &id, E));
	assert_string_equal(id.name, "shop.example");
	OK(sesv2_get_email_identity(ctx, "ops@shop.example", &id, E));
	assert_string_equal(id.type, "EMAIL_ADDRESS");
	ses_identity_free(&id);
}

static char *make_dkim_key(void)
{
	EVP_PKEY *k = EVP_RSA_gen(1024);
	unsigned char *der = NULL;
	char *b64;
	int len;

	assert_non_null(k);
	len = i2d_PrivateKey(k, &der);
	assert_true(len > 0);
	b64 = xcalloc(1, (size_t)len * 2 + 4);
	EVP_EncodeBlock((unsigned char *)b64, der, len);
	OPENSSL_clear_free(der, (size_t)len);
	EVP_PKEY_free(k);
	return b64;
}

static void test_identity_lifecycle(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	const struct sesv2_dkim_signing easy = {NULL, NULL, "RSA_1024_BIT"};
	struct sesv2_dkim_signing byo = {"sel2026", NULL, NULL};
	struct ses_identity id = {0};
	struct ses_policy *pol = NULL;
	size_t n = 0;
	struct sc_error err;

	OK(sesv2_create_email_identity(ctx, "new-dom.example", &easy, NULL, &id, E));
	assert_string_equal(id.type, "DOMAIN");
	OK(sesv2_put_mail_from_attributes(ctx, "new-dom.example", "mf.new-dom.example",
					  "REJECT_MESSAGE", E));
	OK(sesv2_put_dkim_attributes(ctx, "new-dom.example", false, E));
	/* SES turns forwarding off only once both feedback topics are set */
	OK(sesv1_set_notification_topic(ctx, "new-dom.example", SES_NOTIF_BOUNCE,
					"arn:aws:sns:eu-west-1:123456789012:ses-feedback", E));
	OK(sesv1_set_notification_topic(ctx, "new-dom.example", SES_NOTIF_COMPLAINT,
					"arn:aws:sns:eu-west-1:123456789012:ses-feedback", E));
	OK(sesv2_put_feedback_attributes(ctx, "new-dom.example", false, E));
	OK(sesv2_get_email_identity(ctx, "new-dom.example", &id, E));
	assert_string_equal(id.mail_from_domain, "mf.new-dom.example");
	assert_string_equal(id.mail_from_on_mx_failure, "REJECT_MESSAGE");
	assert_false(id.dkim_signing_enabled);
	assert_false(id.feedback_forwarding);
	byo.private_key = make_dkim_key();
	OK(sesv2_put_dkim_signing_attributes(ctx, "new-dom.example", "EXTERNAL", &byo, &id, E));
	free_secret((char *)byo.private_key);
	OK(sesv2_get_email_identity(ctx, "new-dom.example", &id, E));
	assert_string_equal(id.dkim_origin, "EXTERNAL");
	OK(sesv2_create_policy(ctx, "new-dom.example", "p1", "{\"Version\":\"2012-10-17\",\"Statement\":[]}", E));
	OK(sesv2_update_policy(ctx, "new-dom.example", "p1", "{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\",\"Principal\":\"*\",\"Action\":\"ses:SendEmail\",\"Resource\":\"*\"}]}", E));
	OK(sesv2_get_policies(ctx, "new-dom.example", &pol, &n, E));
	assert_int_equal(n, 1);
	assert_non_null(strstr(pol[0].document, "Deny"));
	sesv2_policies_free(pol, n);
	OK(sesv2_delete_policy(ctx, "new-dom.example", "p1", E));
	OK(sesv2_delete_email_identity(ctx, "new-dom.example", E));
	assert_int_equal(sesv2_get_email_identity(ctx, "new-dom.example", &id, &err), SC_NOT_FOUND);
	assert_int_equal(sesv2_create_email_identity(ctx, "shop.example", NULL, NULL, NULL, &err),
			 SC_CONFLICT);
	ses_identity_free(&id);
}

static void test_pause_resume(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	struct ses_account a = {0};
	struct ses_config_set cs = {0};
	bool on = true;

	OK(sesv2_put_account_sending(ctx, false, E));
	OK(sesv1_get_account_sending_enabled(ctx, &on, E));
	assert_false(on);
	OK(sesv1_update_account_sending_enabled(ctx, true, E));
	OK(sesv2_get_account(ctx, &a, E));
	assert_true(a.sending_enabled);
	OK(sesv2_put_config_set_sending(ctx, "marketing", true, E));
	OK(sesv2_get_config_set(ctx, "marketing", &cs, E));
	assert_true(cs.sending_enabled);
	OK(sesv2_put_config_set_sending(ctx, "marketing", false, E));
	OK(sesv2_get_config_set(ctx, "marketing", &cs, E));
	assert_false(cs.sending_enabled);
	ses_config_set_free(&cs);
	ses_account_free(&a);
}

static void test_config_sets_and_suppression(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	struct sesv2_suppression_filter f = {0};
	struct ses_suppressed *v = NULL, one = {0};
	char **names = NULL, *tok = NULL;
	size_t n = 0;
	struct sc_error err;

	OK(sesv2_list_config_sets(ctx, &names, &n, E));
	assert_int_equal(n, 4);
	sesv2_strv_free(names, n);
	{ /* a set in full, over the wire: options and destinations */
		struct ses_config_set cs = {0};
		struct metrics_set_query q[] = {{"marketing", true, true}, {"legacy-newsletter", true, false}};
		struct metrics_set *got = NULL;
		time_t end = time(NULL);

		OK(sesv2_get_config_set_full(ctx, "marketing", &cs, E));
		assert_true(cs.dests_known);
		assert_int_equal(cs.n_dests, 3); /* EventBridge, CloudWatch, the feedback SNS */
		assert_string_equal(cs.sending_pool, "marketing-pool");
		assert_string_equal(cs.tracking_domain, "click.marketing.example");
		assert_true(ses_config_set_receives(&cs, SES_EVENT_BOUNCE));
		ses_config_set_free(&cs);
		/* each set's own series; a set that publishes none has none */
		OK(metrics_get_sets(ctx, q, 2, end - 14 * 86400, end, &got, E));
		assert_true(got[0].n_points[METRICS_SET_BOUNCE_RATE] > 24);
		assert_true(got[0].n_points[METRICS_SET_SEND] > 24);
		assert_int_equal(got[1].n_points[METRICS_SET_SEND], 0);
		metrics_sets_free(got, 2);
	}
	f.bounce = true;
	f.page_size = 50;
	n = 0;
	OK(sesv2_list_suppressed(ctx, &f, &v, &n, &tok, E));
	assert_int_equal(n, 50);
	assert_non_null(tok);
	for (size_t i = 0; i < n; i++)
		assert_string_equal(v[i].reason, "BOUNCE");
	sesv2_suppressed_list_free(v, n);
	free(tok);
	OK(sesv2_put_suppressed(ctx, "x+test@example.net", "COMPLAINT", E));
	OK(sesv2_get_suppressed(ctx, "x+test@example.net", &one, E));
	assert_string_equal(one.reason, "COMPLAINT");
	OK(sesv2_delete_suppressed(ctx, "x+test@example.net", E));
	assert_int_equal(sesv2_get_suppressed(ctx, "x+test@example.net", &one, &err), SC_NOT_FOUND);
	ses_suppressed_free(&one);
}

static struct ses_action header_action(const char *name)
{
	struct ses_action a;

	memset(&a, 0, sizeof(a));
	a.kind = SES_ACTION_ADD_HEADER;
	a.header_name = (char *)name;
	a.header_value = "1";
	return a;
}

static void test_receipt_rules(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	struct ses_action acts[2] = {header_action("X-A"), {0}};
	char *recips[] = {"in@example.com"};
	struct ses_rule rule = {0};
	struct ses_rule_set *sets = NULL, rs = {0};
	const char *order[] = {"r2", "r1", "r3"};
	size_t n = 0;
	bool found = false;

	OK(sesv1_list_receipt_rule_sets(ctx, &sets, &n, E));
	assert_int_equal(n, 2);
	ses_rule_sets_free(sets, n);
	OK(sesv1_describe_active_receipt_rule_set(ctx, &rs, &found, E));
	assert_true(found);
	assert_string_equal(rs.name, "inbound-main");
	assert_int_equal(rs.n_rules, 5);
	assert_int_equal(rs.rules[0].actions[0].kind, SES_ACTION_BOUNCE);
	assert_int_equal(rs.rules[3].actions[0].kind, SES_ACTION_WORKMAIL);
	OK(sesv1_create_receipt_rule_set(ctx, "t1", E));
	acts[1].kind = SES_ACTION_STOP;
	acts[1].scope = "RuleSet";
	rule.name = "r1";
	rule.enabled = true;
	rule.tls_policy = "Require";
	rule.recipients = recips;
	rule.n_recipients = 1;
	rule.actions = acts;
	rule.n_actions = 2;
	OK(sesv1_create_receipt_rule(ctx, "t1", &rule, NULL, E));
	rule.name = "r2";
	rule.n_actions = 0;
	OK(sesv1_create_receipt_rule(ctx, "t1", &rule, "r1", E));
	rule.name = "r3";
	OK(sesv1_create_receipt_rule(ctx, "t1", &rule, NULL, E)); /* first */
	OK(sesv1_reorder_receipt_rule_set(ctx, "t1", order, 3, E));
	OK(sesv1_set_receipt_rule_position(ctx, "t1", "r3", NULL, E));
	rule.enabled = false;
	OK(sesv1_update_receipt_rule(ctx, "t1", &rule, E));
	OK(sesv1_describe_receipt_rule_set(ctx, "t1", &rs, E));
	assert_int_equal(rs.n_rules, 3);
	assert_string_equal(rs.rules[0].name, "r3");
	assert_false(rs.rules[0].enabled);
	assert_string_equal(rs.rules[1].name, "r2");
	assert_string_equal(rs.rules[2].name, "r1");
	assert_int_equal(rs.rules[2].n_actions, 2);
	assert_string_equal(rs.rules[2].actions[0].header_name, "X-A");
	OK(sesv1_delete_receipt_rule(ctx, "t1", "r2", E));
	OK(sesv1_clone_receipt_rule_set(ctx, "t2", "t1", E));
	OK(sesv1_describe_receipt_rule_set(ctx, "t2", &rs, E));
	assert_int_equal(rs.n_rules, 2);
	OK(sesv1_set_active_receipt_rule_set(ctx, "", E));
	OK(sesv1_describe_active_receipt_rule_set(ctx, &rs, &found, E));
	assert_false(found);
	OK(sesv1_set_active_receipt_rule_set(ctx, "inbound-main", E));
	OK(sesv1_delete_receipt_rule_set(ctx, "t2", E));
	OK(sesv1_delete_receipt_rule_set(ctx, "t1", E));
	ses_rule_set_free(&rs);
}

static void test_filters_stats_tokens(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	const struct ses_receipt_filter nf = {"t-block", "Block", "10.1.0.0/16"};
	struct ses_receipt_filter *v = NULL;
	struct ses_send_point *pts = NULL;
	struct sesv1_verification *ver = NULL;
	const char *ids[] = {"shop.example"};
	size_t n = 0;

	OK(sesv1_create_receipt_filter(ctx, &nf, E));
	OK(sesv1_list_receipt_filters(ctx, &v, &n, E));
	assert_int_equal(n, 4);
	sesv1_receipt_filters_free(v, n);
	OK(sesv1_delete_receipt_filter(ctx, "t-block", E));
	OK(sesv1_get_send_statistics(ctx, &pts, &n, E));
	assert_true(n > 100);
	for (size_t i = 1; i < n; i++)
		assert_true(pts[i - 1].ts <= pts[i].ts);
	free(pts);
	OK(sesv1_get_identity_verification_attributes(ctx, ids, 1, &ver, &n, E));
	assert_int_equal(n, 1);
	assert_string_equal(ver[0].identity, "shop.example");
	assert_non_null(ver[0].token);
	sesv1_verifications_free(ver, n);
}

static void test_metrics_mail_manager_send(void **state)
{
	const struct ses_ctx *ctx = ctx_of(state);
	time_t now = time(NULL);
	struct ses_metric_point *b = NULL, *c = NULL;
	size_t nb = 0, nc = 0, n = 0;
	const struct sesv2_metric_query q = {"send", "SEND", NULL, NULL, now - 7 * 86400, now};
	struct sesv2_metric_result *r = NULL;
	const struct sesv2_simple_email m = {"ops@shop.example", "success@simulator.amazonses.com",
					     "sesctl test", "hello", NULL};
	char *id = NULL;

	OK(metrics_get_reputation(ctx, now - 2 * 86400, now, &b, &nb, &c, &nc, E));
	assert_true(nb > 0);
	assert_true(nc > 0);
	for (size_t i = 1; i < nb; i++)
		assert_true(b[i - 1].ts < b[i].ts);
	free(b);
	free(c);
	OK(sesv2_batch_get_metric_data(ctx, &q, 1, &r, &n, E));
	assert_int_equal(n, 1);
	assert_string_equal(r[0].id, "send");
	assert_null(r[0].error_code);
	assert_true(r[0].n_points > 0);
	sesv2_metric_results_free(r, n);
	for (int l = 0; l < MM_LIST_COUNT; l++) {
		struct ses_mm_item *v = NULL;

		OK(mm_list(ctx, (enum mm_list)l, &v, &n, E));
		assert_true(n > 0);
		mm_items_free(v, n);
	}
	OK(sesv2_send_email(ctx, &m, &id, E));
	assert_true(strlen(id) > 0);
	free(id);
}

struct async_result {
	int calls;
	enum sc_status st;
};

static enum sc_status parse_identity(const char *b, size_t n, void *out, struct sc_error *e)
{
	return sesv2_parse_get_email_identity(b, n, out, e);
}

static void async_done(void *ud, enum sc_status st, const struct sc_error *err)
{
	struct async_result *r = ud;

	(void)err;
	r->calls++;
	r->st = st;
}

/* The sync engine's path: build, queue, drive http_run, parse in the callback. */
static void test_async(void **state)
{
	struct emu *e = *state;
	struct ses_identity ids[2];
	struct async_result res[2] = {{0, SC_ERR}, {0, SC_OK}};
	const char *names[2] = {"shop.example", "nope.example"};

	memset(ids, 0, sizeof(ids));
	for (int i = 0; i < 2; i++) {
		struct ses_request r;

		assert_int_equal(sesv2_build_get_email_identity(&r, names[i], NULL), SC_OK);
		assert_int_equal(ses_call_async_parse(&e->ctx, &r, parse_identity, &ids[i], async_done,
						      &res[i]),
				 0);
		ses_request_free(&r);
	}
	while (http_run(e->http, 1000, NULL, 0) > 0)
		;
	assert_int_equal(res[0].calls, 1);
	assert_int_equal(res[0].st, SC_OK);
	assert_int_equal(ids[0].n_dkim_tokens, 3);
	assert_int_equal(res[1].calls, 1);
	assert_int_equal(res[1].st, SC_NOT_FOUND);
	ses_identity_free(&ids[0]);
	ses_identity_free(&ids[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_whoami_and_account),
		cmocka_unit_test(test_identities),
		cmocka_unit_test(test_identity_lifecycle),
		cmocka_unit_test(test_pause_resume),
		cmocka_unit_test(test_config_sets_and_suppression),
		cmocka_unit_test(test_receipt_rules),
		cmocka_unit_test(test_filters_stats_tokens),
		cmocka_unit_test(test_metrics_mail_manager_send),
		cmocka_unit_test(test_async),
	};

	return cmocka_run_group_tests(tests, emu_setup, emu_teardown);
}

/* core/feedback: the routing verdicts from a real sqlite cache — every case the audit
 * names (live topic, pending subscription, deleted topic, no subscribers, another account's
 * topic, forwarding only, nowhere, a default set's SNS/Firehose/CloudWatch/disabled
 * destinations, a set not read, inheritance from the domain) — and store/feedback's
 * events (deduplication, filters, newest first) and taps. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/feedback.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/store/feedback.h"
#include "sesctl/store/identities.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define ARN(name) "arn:aws:sns:eu-west-1:123456789012:" name
#define T0 1795478400

struct fx {
	char dir[64], path[128];
	struct cache *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-feedback-XXXXXX");
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

struct id_spec {
	const char *name, *status, *set;
};

static void put_ids(struct cache *c, const struct id_spec *v, size_t n)
{
	struct ses_identity *ids = calloc(n, sizeof(*ids));
	struct sc_error err;

	for (size_t i = 0; i < n; i++) {
		ids[i].name = (char *)v[i].name;
		ids[i].type = strchr(v[i].name, '@') ? "EMAIL_ADDRESS" : "DOMAIN";
		ids[i].verification_status = (char *)v[i].status;
		ids[i].configuration_set = (char *)v[i].set;
	}
	assert_int_equal(cache_put_identities_replace(c, ACCT, REGION, ids, n, T0, &err), SC_OK);
	free(ids);
}

static void put_attrs(struct cache *c, const char *id, const char *bounce, const char *complaint,
		      bool forwarding)
{
	struct ses_notif_attrs a = {.identity = (char *)id, .forwarding = forwarding};
	struct sc_error err;

	a.topic[SES_NOTIF_BOUNCE] = (char *)bounce;
	a.topic[SES_NOTIF_COMPLAINT] = (char *)complaint;
	assert_int_equal(cache_put_notif_attrs(c, ACCT, REGION, &a, 1, T0, &err), SC_OK);
}

static void put_topics(struct cache *c)
{
	struct cache_topic t[] = {
	    {.arn = ARN("live"), .state = CACHE_TOPIC_EXISTS, .confirmed = 1, .pending = 0,
	     .subscribers = "sqs:ops"},
	    {.arn = ARN("pending"), .state = CACHE_TOPIC_EXISTS, .confirmed = 0, .pending = 1},
	    {.arn = ARN("empty"), .state = CACHE_TOPIC_EXISTS, .confirmed = 0, .pending = 0},
	    {.arn = ARN("gone"), .state = CACHE_TOPIC_NOT_FOUND, .confirmed = -1, .pending = -1},
	    {.arn = "arn:aws:sns:eu-west-1:210987654321:partner", .state = CACHE_TOPIC_DENIED,
	     .confirmed = -1, .pending = -1, .detail = "not authorized"},
	};
	struct sc_error err;

	assert_int_equal(cache_put_topics_replace(c, ACCT, REGION, t, sizeof(t) / sizeof(t[0]), &err),
			 SC_OK);
}

static void put_set(struct cache *c, const char *name, enum ses_dest_kind kind, const char *arn,
		    bool enabled)
{
	struct ses_event_dest d = {.name = "d1", .enabled = enabled, .kind = kind, .arn = (char *)arn,
				   .events = SES_EVENT_BIT(SES_EVENT_BOUNCE) |
					     SES_EVENT_BIT(SES_EVENT_COMPLAINT)};
	struct ses_config_set cs = {.name = (char *)name, .sending_enabled = true,
				    .dests_known = true, .dests = &d, .n_dests = 1};
	struct sc_error err;

	assert_int_equal(cache_put_config_set(c, ACCT, REGION, &cs, &err), SC_OK);
}

static const struct fb_identity *audit_of(struct fx *f, struct fb_audit *a, const char *name)
{
	struct sc_error err;
	const struct fb_identity *x;

	feedback_audit_free(a);
	assert_int_equal(feedback_load(f->c, ACCT, REGION, a, &err), SC_OK);
	x = feedback_find(a, name);
	assert_non_null(x);
	return x;
}

static void test_verdicts(void **state)
{
	struct fx *f = *state;
	struct fb_audit a = {0};
	const struct fb_identity *x;
	static const struct id_spec ids[] = {
	    {"cross.example", "SUCCESS", NULL},  {"deleted.example", "SUCCESS", NULL},
	    {"empty.example", "SUCCESS", NULL},  {"fwd.example", "SUCCESS", NULL},
	    {"live.example", "SUCCESS", NULL},   {"new.example", "SUCCESS", NULL},
	    {"pend.example", "SUCCESS", NULL},
	};

	put_ids(f->c, ids, sizeof(ids) / sizeof(ids[0]));
	put_topics(f->c);
	put_attrs(f->c, "live.example", ARN("live"), ARN("live"), false);
	put_attrs(f->c, "pend.example", ARN("pending"), ARN("pending"), false);
	put_attrs(f->c, "deleted.example", ARN("gone"), ARN("live"), false);
	put_attrs(f->c, "empty.example", ARN("empty"), ARN("empty"), true);
	put_attrs(f->c, "fwd.example", NULL, NULL, true);
	put_attrs(f->c, "cross.example", "arn:aws:sns:eu-west-1:210987654321:partner",
		  "arn:aws:sns:eu-west-1:210987654321:partner", false);

	x = audit_of(f, &a, "live.example");
	assert_int_equal(x->verdict, FB_OK);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "1 confirmed subscriber"));
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "sqs:ops"));
	assert_int_equal(x->route[SES_NOTIF_DELIVERY].verdict, FB_OFF);

	x = audit_of(f, &a, "pend.example");
	assert_int_equal(x->verdict, FB_NOWHERE);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "pending confirmation"));
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "forwarding off"));

	x = audit_of(f, &a, "deleted.example");
	assert_int_equal(x->route[SES_NOTIF_BOUNCE].verdict, FB_NOWHERE);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "no longer exists"));
	assert_int_equal(x->route[SES_NOTIF_COMPLAINT].verdict, FB_OK);
	assert_int_equal(x->verdict, FB_NOWHERE); /* the worse of the two */

	x = audit_of(f, &a, "empty.example"); /* dead topic, but forwarding on */
	assert_int_equal(x->verdict, FB_MAILBOX_ONLY);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "has no subscribers"));
	assert_non_null(strstr(x->mailbox, "@empty.example"));

	x = audit_of(f, &a, "fwd.example");
	assert_int_equal(x->verdict, FB_MAILBOX_ONLY);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "no bounce topic"));

	x = audit_of(f, &a, "cross.example");
	assert_int_equal(x->verdict, FB_UNKNOWN);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "account 210987654321"));

	x = audit_of(f, &a, "new.example"); /* settings never read */
	assert_int_equal(x->verdict, FB_UNKNOWN);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "not read yet"));

	assert_int_equal(a.counts[FB_OK], 1);
	assert_int_equal(a.counts[FB_NOWHERE], 2);
	assert_int_equal(a.counts[FB_MAILBOX_ONLY], 2);
	assert_int_equal(a.counts[FB_UNKNOWN], 2);
	feedback_audit_free(&a);
}

static void test_default_set_paths(void **state)
{
	struct fx *f = *state;
	struct fb_audit a = {0};
	const struct fb_identity *x;
	static const struct id_spec ids[] = {
	    {"cw.example", "SUCCESS", "counts"},   {"fh.example", "SUCCESS", "firehose"},
	    {"off.example", "SUCCESS", "off"},     {"sns.example", "SUCCESS", "sns"},
	    {"unread.example", "SUCCESS", "ghost"},
	};

	put_ids(f->c, ids, sizeof(ids) / sizeof(ids[0]));
	put_topics(f->c);
	put_set(f->c, "sns", SES_DEST_SNS, ARN("live"), true);
	put_set(f->c, "firehose", SES_DEST_FIREHOSE,
		"arn:aws:firehose:eu-west-1:123456789012:deliverystream/x", true);
	put_set(f->c, "counts", SES_DEST_CLOUDWATCH, NULL, true);
	put_set(f->c, "off", SES_DEST_SNS, ARN("live"), false);
	for (size_t i = 0; i < sizeof(ids) / sizeof(ids[0]); i++)
		put_attrs(f->c, ids[i].name, NULL, NULL, false);

	x = audit_of(f, &a, "sns.example");
	assert_int_equal(x->verdict, FB_OK);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "set sns → topic live"));
	x = audit_of(f, &a, "fh.example");
	assert_int_equal(x->verdict, FB_OK);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "consumer is not visible"));
	x = audit_of(f, &a, "cw.example");
	assert_int_equal(x->verdict, FB_NOWHERE);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "numbers, not who"));
	x = audit_of(f, &a, "off.example");
	assert_int_equal(x->verdict, FB_NOWHERE);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "is disabled"));
	x = audit_of(f, &a, "unread.example");
	assert_int_equal(x->verdict, FB_UNKNOWN);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "ghost not read yet"));
	feedback_audit_free(&a);
}

static void test_inheritance(void **state)
{
	struct fx *f = *state;
	struct fb_audit a = {0};
	const struct fb_identity *x;
	static const struct id_spec ids[] = {
	    {"new@shop.example", "PENDING", NULL},
	    {"ops@shop.example", "SUCCESS", NULL},
	    {"shop.example", "SUCCESS", NULL},
	    {"x@sub.shop.example", "PENDING", NULL},
	};

	put_ids(f->c, ids, sizeof(ids) / sizeof(ids[0]));
	put_topics(f->c);
	put_attrs(f->c, "shop.example", ARN("live"), ARN("live"), true);
	put_attrs(f->c, "ops@shop.example", NULL, NULL, true);
	put_attrs(f->c, "new@shop.example", NULL, NULL, true);

	x = audit_of(f, &a, "new@shop.example"); /* not verified: the domain's settings */
	assert_string_equal(x->settings_from, "shop.example");
	assert_int_equal(x->verdict, FB_OK);
	assert_non_null(strstr(x->route[SES_NOTIF_BOUNCE].reason, "inherits shop.example"));
	x = audit_of(f, &a, "ops@shop.example"); /* verified on its own: its own */
	assert_string_equal(x->settings_from, "ops@shop.example");
	assert_int_equal(x->verdict, FB_MAILBOX_ONLY);
	assert_string_equal(x->mailbox, "ops@shop.example");
	x = audit_of(f, &a, "x@sub.shop.example"); /* the nearest verified parent */
	assert_string_equal(x->settings_from, "shop.example");
	feedback_audit_free(&a);
}

/* The Identities pane's audit: verdicts without words, the first screen alone (with the
 * parent domain it inherits from, though that sorts after it), and the words of one
 * identity on demand, all equal to the worded audit's. */
static void test_verdicts_only_and_head(void **state)
{
	struct fx *f = *state;
	struct fb_audit full = {0}, terse = {0}, head = {0};
	struct fb_identity one;
	struct sc_error err;
	static const struct id_spec ids[] = {
	    {"a@zz.example", "PENDING", NULL}, {"b.example", "SUCCESS", NULL},
	    {"c.example", "SUCCESS", NULL},    {"zz.example", "SUCCESS", NULL},
	};

	put_ids(f->c, ids, sizeof(ids) / sizeof(ids[0]));
	put_topics(f->c);
	put_attrs(f->c, "zz.example", ARN("live"), ARN("live"), false);
	put_attrs(f->c, "b.example", ARN("gone"), NULL, true);
	assert_int_equal(feedback_load(f->c, ACCT, REGION, &full, &err), SC_OK);
	assert_int_equal(feedback_load_verdicts(f->c, ACCT, REGION, 0, &terse, &err), SC_OK);
	assert_false(terse.partial);
	assert_int_equal(terse.n_head, 4);
	for (size_t i = 0; i < 4; i++) {
		assert_int_equal(terse.v[i].verdict, full.v[i].verdict);
		assert_null(terse.v[i].route[SES_NOTIF_BOUNCE].reason);
		feedback_explain(&terse, i, &one);
		for (int k = 0; k < SES_NOTIF_COUNT; k++)
			assert_string_equal(one.route[k].reason, full.v[i].route[k].reason);
		if (full.v[i].mailbox)
			assert_string_equal(one.mailbox, full.v[i].mailbox);
		else
			assert_null(one.mailbox);
		feedback_identity_clear(&one);
	}
	assert_memory_equal(terse.counts, full.counts, sizeof(full.counts));

	assert_int_equal(feedback_load_verdicts(f->c, ACCT, REGION, 2, &head, &err), SC_OK);
	assert_true(head.partial);
	assert_int_equal(head.n_head, 2);
	assert_int_equal(head.n_ids, 3); /* + zz.example, which a@zz.example inherits from */
	assert_string_equal(head.ids[2].name, "zz.example");
	assert_string_equal(head.v[0].settings_from, "zz.example");
	assert_int_equal(head.v[0].verdict, FB_OK);
	assert_int_equal(head.v[0].verdict, full.v[0].verdict);
	assert_int_equal(head.v[1].verdict, full.v[1].verdict);
	assert_int_equal(head.n_attrs, 2); /* b.example's (in range) and zz.example's */
	feedback_audit_free(&head);
	assert_int_equal(feedback_load_verdicts(f->c, ACCT, REGION, 4, &head, &err), SC_OK);
	assert_false(head.partial); /* all of them: nothing follows */
	feedback_audit_free(&head);
	feedback_audit_free(&terse);
	feedback_audit_free(&full);
}

static void test_stale_and_prune(void **state)
{
	struct fx *f = *state;
	static const struct id_spec ids[] = {{"a.example", "SUCCESS", NULL},
					     {"b.example", "SUCCESS", NULL}};
	static const struct id_spec fewer[] = {{"b.example", "SUCCESS", NULL}};
	struct ses_notif_attrs *v = NULL;
	char **names = NULL;
	size_t n = 0;
	struct sc_error err;

	put_ids(f->c, ids, 2);
	assert_int_equal(cache_notif_attrs_stale(f->c, ACCT, REGION, T0, 0, &names, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	cache_names_free(names, n);
	put_attrs(f->c, "a.example", NULL, NULL, true); /* read at T0 */
	assert_int_equal(cache_notif_attrs_stale(f->c, ACCT, REGION, T0, 0, &names, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(names[0], "b.example");
	cache_names_free(names, n);
	assert_int_equal(cache_notif_attrs_stale(f->c, ACCT, REGION, T0 + 1, 1, &names, &n, &err),
			 SC_OK);
	assert_int_equal(n, 1); /* limit; the never-read one first */
	assert_string_equal(names[0], "b.example");
	cache_names_free(names, n);
	put_ids(f->c, fewer, 1);
	put_attrs(f->c, "b.example", NULL, NULL, true); /* the write prunes a.example's */
	assert_int_equal(cache_get_notif_attrs(f->c, ACCT, REGION, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].identity, "b.example");
	cache_notif_attrs_free(v, n);
}

static void test_events_store(void **state)
{
	struct fx *f = *state;
	struct ses_event ev[3] = {
	    {.type = SES_EV_BOUNCE, .time = T0 + 10, .recipient = "a@Gmail.example",
	     .status = "5.1.1", .identity = "shop.example", .sns_message_id = "m1",
	     .subtype = "Permanent/General"},
	    {.type = SES_EV_BOUNCE, .time = T0 + 10, .recipient = "b@corp.example",
	     .identity = "shop.example", .sns_message_id = "m1"},
	    {.type = SES_EV_DELIVERY, .time = T0 + 20, .recipient = "c@gmail.example",
	     .identity = "other.example", .message_id = "x1"},
	};
	struct cache_event_query q = {0};
	struct ses_events out = {0};
	size_t added = 0, count = 0;
	struct sc_error err;

	assert_int_equal(cache_put_events(f->c, ACCT, REGION, ev, 3, &added, &err), SC_OK);
	assert_int_equal(added, 3);
	assert_int_equal(cache_put_events(f->c, ACCT, REGION, ev, 3, &added, &err), SC_OK);
	assert_int_equal(added, 0); /* a redelivered message adds nothing */
	assert_int_equal(cache_get_events(f->c, ACCT, REGION, &q, &out, &err), SC_OK);
	assert_int_equal(out.n, 3);
	assert_int_equal(out.v[0].type, SES_EV_DELIVERY); /* newest first */
	ses_events_free(&out);
	q.types = 1u << SES_EV_BOUNCE;
	q.rdomain = "GMAIL.example";
	assert_int_equal(cache_get_events(f->c, ACCT, REGION, &q, &out, &err), SC_OK);
	assert_int_equal(out.n, 1);
	assert_string_equal(out.v[0].recipient, "a@Gmail.example");
	assert_string_equal(out.v[0].status, "5.1.1");
	assert_string_equal(out.v[0].subtype, "Permanent/General");
	ses_events_free(&out);
	memset(&q, 0, sizeof(q));
	q.identity = "shop.example";
	assert_int_equal(cache_count_events(f->c, ACCT, REGION, &q, &count, &err), SC_OK);
	assert_int_equal(count, 2);
	q.identity = NULL;
	q.since = T0 + 15;
	assert_int_equal(cache_count_events(f->c, ACCT, REGION, &q, &count, &err), SC_OK);
	assert_int_equal(count, 1);
}

static void test_taps(void **state)
{
	struct fx *f = *state;
	struct cache_tap t = {.topic_arn = ARN("live"), .queue_url = "http://q/123/sesctl-tap-live",
			      .queue_arn = "arn:aws:sqs:eu-west-1:123456789012:sesctl-tap-live",
			      .sub_arn = ARN("live") ":abc", .created = T0};
	struct cache_tap *v = NULL;
	size_t n = 0;
	struct sc_error err;

	assert_int_equal(cache_put_tap(f->c, ACCT, REGION, &t, &err), SC_OK);
	assert_int_equal(cache_touch_tap(f->c, ACCT, REGION, t.topic_arn, T0 + 5, &err), SC_OK);
	assert_int_equal(cache_get_taps(f->c, ACCT, REGION, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].queue_url, t.queue_url);
	assert_int_equal(v[0].last_read, T0 + 5);
	cache_taps_free(v, n);
	assert_int_equal(cache_delete_tap(f->c, ACCT, REGION, t.topic_arn, &err), SC_OK);
	assert_int_equal(cache_get_taps(f->c, ACCT, REGION, &v, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	cache_taps_free(v, n);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
	    cmocka_unit_test_setup_teardown(test_verdicts, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_default_set_paths, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_inheritance, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_verdicts_only_and_head, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_stale_and_prune, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_events_store, setup, teardown),
	    cmocka_unit_test_setup_teardown(test_taps, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

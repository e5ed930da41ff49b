/* core/streams: each configuration set's rate, counts and feedback verdict from a real
 * sqlite cache; the breakdown sentence, the culprit, and when a "no set" share may be
 * given (only when every set that may send has counts). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/streams.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define T0 1795478400 /* 2026-11-24 00:00Z */

struct fx {
	char dir[64], path[128];
	struct cache *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-streams-XXXXXX");
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

static void put_set(struct cache *c, const char *name, bool sending, bool rep,
		    struct ses_event_dest *d, size_t nd)
{
	struct ses_config_set cs = {.name = (char *)name, .sending_enabled = sending,
				    .reputation_metrics_enabled = rep, .dests = d, .n_dests = nd,
				    .dests_known = true, .fetched = T0};
	struct sc_error err;

	assert_int_equal(cache_put_config_set(c, ACCT, REGION, &cs, &err), SC_OK);
}

static void put_series(struct cache *c, const char *set, const char *metric, time_t ts,
		       double v)
{
	char key[CACHE_SET_METRIC_MAX];
	struct ses_metric_point p = {ts, v};
	struct sc_error err;

	cache_set_metric_key(key, sizeof(key), set, metric);
	assert_int_equal(cache_put_metric_points(c, ACCT, REGION, key, &p, 1, T0, &err), SC_OK);
}

/* marketing: over the pause line, SNS for bounces and complaints, counts;
 * transactional: low, CloudWatch only (counts); legacy: paused, reputation metrics off. */
static void seed(struct cache *c, bool transactional_counts)
{
	struct ses_event_dest sns = {.name = "fb", .enabled = true, .kind = SES_DEST_SNS,
				     .events = SES_EVENT_BIT(SES_EVENT_BOUNCE) |
					       SES_EVENT_BIT(SES_EVENT_COMPLAINT),
				     .arn = "arn:aws:sns:eu-west-1:123456789012:t"};
	struct ses_event_dest off = sns;
	struct ses_send_point acct[] = {{T0 - 3600, 1000, 60, 1, 0}, {T0 - 90000, 5000, 5, 0, 0}};
	struct sc_error err;

	off.enabled = false;
	put_set(c, "marketing", true, true, &sns, 1);
	put_set(c, "transactional", true, true, &off, 1);
	put_set(c, "legacy", false, false, NULL, 0);
	put_series(c, "marketing", "Reputation.BounceRate", T0 - 3600, 0.241);
	put_series(c, "marketing", "Reputation.BounceRate", T0 - 7200, 0.2);
	put_series(c, "marketing", "Reputation.ComplaintRate", T0 - 3600, 0.002);
	put_series(c, "transactional", "Reputation.BounceRate", T0 - 3600, 0.004);
	put_series(c, "transactional", "Reputation.ComplaintRate", T0 - 3600, 0.0001);
	put_series(c, "marketing", "Send", T0 - 3600, 400);
	put_series(c, "marketing", "Bounce", T0 - 3600, 50);
	if (transactional_counts) {
		put_series(c, "transactional", "Send", T0 - 3600, 500);
		put_series(c, "transactional", "Bounce", T0 - 3600, 2);
	}
	/* the second account point is older than 24 h: not counted */
	assert_int_equal(cache_put_send_points(c, ACCT, REGION, acct, 2, T0, &err), SC_OK);
}

static void test_rates_counts_verdicts(void **state)
{
	struct fx *f = *state;
	struct streams s;
	struct sc_error err;
	const struct stream *m, *t, *l;
	char line[512];
	double none;

	seed(f->c, true);
	assert_int_equal(streams_load(f->c, ACCT, REGION, 0, &s, &err), SC_OK);
	assert_int_equal(s.at, T0 - 3600); /* the data's now: the newest point */
	assert_int_equal(s.n, 3);
	m = streams_find(&s, "marketing");
	t = streams_find(&s, "transactional");
	l = streams_find(&s, "legacy");
	assert_true(m && t && l);
	assert_true(m->has_rates);
	assert_true(m->bounce_rate == 0.241); /* the newest point, not the older 0.2 */
	assert_true(m->has_counts);
	assert_true(m->sends_24h == 400 && m->bounces_24h == 50);
	assert_false(m->no_bounce_dest || m->no_complaint_dest);
	assert_true(t->no_bounce_dest && t->no_complaint_dest); /* its only destination is off */
	assert_false(l->has_rates);                               /* no rate, never 0 % */
	assert_true(s.has_account_counts);
	assert_true(s.sends_24h == 1000 && s.bounces_24h == 60);
	/* no set: 1000 - 400 - 500 = 100 sends, 60 - 50 - 2 = 8 bounces */
	assert_true(streams_no_set_rate(&s, 0, &none));
	assert_true(none > 0.0799 && none < 0.0801);
	streams_breakdown(&s, 0, line, sizeof(line));
	assert_string_equal(line, "marketing 24.1 %, transactional 0.4 %, no set 8.0 %");
	streams_breakdown(&s, 1, line, sizeof(line));
	assert_string_equal(line, "marketing 0.20 %, transactional 0.01 %, no set 1.00 %");
	assert_ptr_equal(streams_culprit(&s, 0), m);
	assert_ptr_equal(streams_culprit(&s, 1), m); /* 0.2 % is over the 0.1 % review line */
	streams_dest_summary(&m->set, line, sizeof(line));
	assert_string_equal(line, "SNS:bounce,complaint");
	streams_dest_summary(&t->set, line, sizeof(line));
	assert_string_equal(line, "-"); /* disabled ones are left out */
	streams_free(&s);

	/* an older time: the rate there, and nothing older than two days */
	assert_int_equal(streams_load(f->c, ACCT, REGION, T0 - 7200, &s, &err), SC_OK);
	assert_true(streams_find(&s, "marketing")->bounce_rate == 0.2);
	assert_false(streams_find(&s, "transactional")->has_rates);
	streams_free(&s);
	assert_int_equal(streams_load(f->c, ACCT, REGION, T0 + 3 * 86400, &s, &err), SC_OK);
	assert_false(streams_find(&s, "marketing")->has_rates);
	streams_breakdown(&s, 0, line, sizeof(line));
	assert_string_equal(line, "");
	assert_null(streams_culprit(&s, 0));
	streams_free(&s);
}

/* A set that sends without counts: what is outside the sets is not known. */
static void test_no_set_unknown(void **state)
{
	struct fx *f = *state;
	struct streams s;
	struct sc_error err;
	char line[512];
	double none;

	seed(f->c, false);
	assert_int_equal(streams_load(f->c, ACCT, REGION, 0, &s, &err), SC_OK);
	assert_false(streams_no_set_rate(&s, 0, &none));
	streams_breakdown(&s, 0, line, sizeof(line));
	assert_string_equal(line, "marketing 24.1 %, transactional 0.4 %");
	streams_free(&s);
}

static void test_empty_cache(void **state)
{
	struct fx *f = *state;
	struct streams s;
	struct sc_error err;

	assert_int_equal(streams_load(f->c, ACCT, REGION, 0, &s, &err), SC_OK);
	assert_int_equal(s.n, 0);
	assert_false(s.has_account_counts);
	assert_null(streams_culprit(&s, 0));
	streams_free(&s);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_rates_counts_verdicts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_no_set_unknown, setup, teardown),
		cmocka_unit_test_setup_teardown(test_empty_cache, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

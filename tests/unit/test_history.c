/* core/history over a real sqlite cache and a real audit trail file: a local record joined to
 * its CloudTrail event by request id (and, without one, by time and operation), a local change
 * CloudTrail does not show yet, refused attempts and other accounts left out, the pause behind
 * paused sending (the newest switch decides; a set apart from the account), filters applied
 * after the join, "last changed" by kind, and who-words for every tool. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/history.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/db.h"
#include "sesctl/store/history.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define T0 1795478400

struct fx {
	char dir[64], path[128], trail[128];
	struct cache *c;
	struct audit_trail *t;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-history-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cache.sqlite3", f->dir);
	snprintf(f->trail, sizeof(f->trail), "%s/audit.jsonl", f->dir);
	assert_int_equal(cache_open(f->path, &f->c, NULL, &err), SC_OK);
	assert_int_equal(audit_open(f->trail, &f->t, &err), SC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[200];

	cache_close(f->c);
	audit_close(f->t);
	for (const char *sfx = ""; sfx; sfx = !*sfx ? "-wal" : !strcmp(sfx, "-wal") ? "-shm"
					   : !strcmp(sfx, "-shm") ? ".lock"
					   : !strcmp(sfx, ".lock") ? ".users" : NULL) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx);
		unlink(p);
	}
	unlink(f->trail);
	rmdir(f->dir);
	free(f);
	return 0;
}

/* One CloudTrail event as the parser would give it. */
struct ev_spec {
	const char *id;
	time_t t;
	const char *name, *who, *role;
	enum ct_tool tool;
	enum ct_op op;
	enum ct_resource kind;
	const char *resource, *reason, *request_id, *error;
	int sending;
};

static void put_events(struct cache *c, const struct ev_spec *v, size_t n)
{
	struct ct_event *evs = calloc(n, sizeof(*evs));
	struct sc_error err;
	size_t added = 0;

	for (size_t i = 0; i < n; i++) {
		evs[i].event_id = (char *)v[i].id;
		evs[i].time = v[i].t;
		evs[i].event_name = (char *)v[i].name;
		evs[i].event_source = CT_SES_SOURCE;
		evs[i].principal = v[i].role ? CT_PRINCIPAL_ASSUMED_ROLE : CT_PRINCIPAL_IAM_USER;
		evs[i].who = (char *)v[i].who;
		evs[i].role = (char *)v[i].role;
		evs[i].tool = v[i].tool;
		evs[i].tool_version = v[i].tool == CT_TOOL_CLI ? "aws-cli/2.15.0" : NULL;
		evs[i].op = v[i].op;
		evs[i].resource_kind = v[i].kind;
		evs[i].resource = (char *)v[i].resource;
		evs[i].reason = (char *)v[i].reason;
		evs[i].request_id = (char *)v[i].request_id;
		evs[i].error_code = (char *)v[i].error;
		evs[i].sending = v[i].sending;
	}
	assert_int_equal(cache_put_history(c, ACCT, REGION, evs, n, &added, &err), SC_OK);
	assert_int_equal(added, n);
	/* a second look at the same window adds nothing */
	assert_int_equal(cache_put_history(c, ACCT, REGION, evs, n, &added, &err), SC_OK);
	assert_int_equal(added, 0);
	free(evs);
}

static void record(struct fx *f, time_t t, const char *user, const char *verb, const char *arg,
		   enum audit_result result, enum audit_action action, const char *reason,
		   const char *request_id, const char *account)
{
	const char *argv[8];
	int argc = 0;
	char words[64];
	struct audit_record r = {0};
	struct sc_error err;

	snprintf(words, sizeof(words), "%s", verb);
	argv[argc++] = "sesctl";
	for (char *w = strtok(words, " "); w; w = strtok(NULL, " "))
		argv[argc++] = w;
	if (arg)
		argv[argc++] = arg;
	if (reason) {
		argv[argc++] = "--reason";
		argv[argc++] = reason;
	}
	r.time = t;
	r.os_user = user;
	r.host = "bastion-1";
	r.profile = "default";
	r.region = REGION;
	r.account_id = account ? account : ACCT;
	r.argc = argc;
	r.argv = argv;
	r.verb = verb;
	r.result = result;
	r.status = result == AUDIT_RESULT_OK ? SC_OK : SC_REFUSED;
	r.request_id = request_id;
	r.reason = reason;
	r.action = action;
	if (audit_record(f->t, &r, &err) != SC_OK)
		fail_msg("audit_record: %s", err.message);
}

/* A local record whose command has global flags before the verb's words. */
static void test_local_resource_after_global_flags(void **state)
{
	struct fx *f = *state;
	const char *argv[] = {"sesctl", "--region", REGION, "--yes", "receipt", "rule", "delete",
			      "inbound", "to-s3", "--reason", "old rule"};
	const char *tap[] = {"sesctl", "--cache", "/tmp/c", "events", "tap", "--topic", "arn:x"};
	struct audit_record r = {.time = T0, .os_user = "jdoe", .host = "h", .region = REGION,
				 .account_id = ACCT, .argc = 11, .argv = argv,
				 .verb = "receipt rule delete", .result = AUDIT_RESULT_OK};
	struct history_rows rows = {0};
	struct history_query q = {.op = -1};
	struct sc_error err;

	assert_int_equal(audit_record(f->t, &r, &err), SC_OK);
	r.time = T0 + 1;
	r.argc = 7;
	r.argv = tap;
	r.verb = "events tap";
	assert_int_equal(audit_record(f->t, &r, &err), SC_OK);
	assert_int_equal(cache_mark_fetched(f->c, ACCT, REGION, CACHE_KIND_HISTORY, T0 + 60, &err),
			 SC_OK);
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 2);
	assert_string_equal(rows.v[1].ev.resource, "inbound/to-s3");
	assert_int_equal(rows.v[1].ev.resource_kind, CT_RES_RULE);
	assert_int_equal(rows.v[1].ev.op, CT_OP_DELETE);
	assert_int_equal(rows.v[1].ct_read, T0 + 60);
	/* the tap is SQS and SNS, not SES: CloudTrail's silence about it claims nothing */
	assert_null(rows.v[0].ev.resource);
	assert_int_equal(rows.v[0].ev.op, CT_OP_CREATE);
	assert_int_equal(rows.v[0].ct_read, 0);
	history_rows_free(&rows);
}

static const struct history_row *find(const struct history_rows *rows, const char *name,
				      const char *resource)
{
	for (size_t i = 0; i < rows->n; i++)
		if (!strcmp(rows->v[i].ev.event_name, name) &&
		    (!resource || (rows->v[i].ev.resource && !strcmp(rows->v[i].ev.resource, resource))))
			return &rows->v[i];
	return NULL;
}

static void test_merge_by_request_id_and_time(void **state)
{
	struct fx *f = *state;
	static const struct ev_spec evs[] = {
		{"e1", T0 + 100, "PutAccountSendingAttributes", "alice", "OpsRole", CT_TOOL_SESCTL,
		 CT_OP_PAUSE, CT_RES_ACCOUNT, NULL, "INC-1 spike", "rid-1", NULL, 0},
		{"e2", T0 + 200, "CreateEmailIdentity", "alice", "OpsRole", CT_TOOL_SESCTL,
		 CT_OP_CREATE, CT_RES_IDENTITY, "new.example", NULL, NULL, NULL, -1},
		{"e3", T0 + 300, "DeleteEmailIdentity", "jens", NULL, CT_TOOL_CLI, CT_OP_DELETE,
		 CT_RES_IDENTITY, "old.example", NULL, "rid-3", NULL, -1},
	};
	struct history_rows rows = {0};
	struct history_query q = {.op = -1};
	struct sc_error err;
	const struct history_row *r;

	put_events(f->c, evs, 3);
	/* joined by request id, 90 s apart */
	record(f, T0 + 10, "jdoe", "sending pause", NULL, AUDIT_RESULT_OK, AUDIT_ACTION_PAUSE,
	       "INC-1 spike, full text", "rid-1", NULL);
	/* no request id: joined by operation and time */
	record(f, T0 + 190, "jdoe", "identity create", "new.example", AUDIT_RESULT_OK,
	       AUDIT_ACTION_OTHER, NULL, NULL, NULL);
	/* not in CloudTrail yet */
	record(f, T0 + 400, "jdoe", "receipt rule delete", "inbound", AUDIT_RESULT_OK,
	       AUDIT_ACTION_OTHER, NULL, "rid-9", NULL);
	/* left out: refused (nothing reached AWS), another account */
	record(f, T0 + 410, "bob", "identity delete", "x.example", AUDIT_RESULT_REFUSED,
	       AUDIT_ACTION_OTHER, NULL, NULL, NULL);
	record(f, T0 + 420, "bob", "identity delete", "y.example", AUDIT_RESULT_OK,
	       AUDIT_ACTION_OTHER, NULL, "rid-8", "210987654321");
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 4);
	assert_string_equal(rows.v[0].ev.event_name, "receipt rule delete"); /* newest first */
	assert_int_equal(rows.v[0].source, HISTORY_LOCAL);
	assert_int_equal(rows.v[0].ev.op, CT_OP_DELETE);
	assert_int_equal(rows.v[0].ev.resource_kind, CT_RES_RULE);
	r = find(&rows, "PutAccountSendingAttributes", NULL);
	assert_non_null(r);
	assert_int_equal(r->source, HISTORY_BOTH);
	assert_string_equal(r->local_user, "jdoe@bastion-1");
	assert_string_equal(r->ev.reason, "INC-1 spike"); /* CloudTrail's (as carried) */
	assert_non_null(strstr(r->command, "sesctl sending pause"));
	r = find(&rows, "CreateEmailIdentity", "new.example");
	assert_non_null(r);
	assert_int_equal(r->source, HISTORY_BOTH);
	r = find(&rows, "DeleteEmailIdentity", "old.example");
	assert_int_equal(r->source, HISTORY_CLOUDTRAIL);
	assert_null(r->local_user);
	history_rows_free(&rows);

	/* filters apply after the join: the local user finds the joined row too */
	q.who = "JDOE";
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 3);
	history_rows_free(&rows);
	q.who = "alice";
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 2);
	assert_int_equal(rows.v[0].source, HISTORY_BOTH);
	history_rows_free(&rows);
	q.who = NULL;
	q.op = CT_OP_DELETE;
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 2);
	history_rows_free(&rows);
	q.op = -1;
	q.resource = "OLD.example";
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 1);
	history_rows_free(&rows);
	q.resource = NULL;
	q.limit = 2;
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 2);
	history_rows_free(&rows);
	q.limit = 0;
	q.since = T0 + 250;
	assert_int_equal(history_merged(f->c, f->t, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 2);
	history_rows_free(&rows);
	/* CloudTrail alone (no trail) */
	q.since = 0;
	assert_int_equal(history_merged(f->c, NULL, ACCT, REGION, &q, &rows, &err), SC_OK);
	assert_int_equal(rows.n, 3);
	for (size_t i = 0; i < rows.n; i++)
		assert_int_equal(rows.v[i].source, HISTORY_CLOUDTRAIL);
	history_rows_free(&rows);
}

static void test_last_pause(void **state)
{
	struct fx *f = *state;
	static const struct ev_spec console_pause[] = {
		{"p1", T0, "PutAccountSendingAttributes", "maria@example.com", "Admin", CT_TOOL_CONSOLE,
		 CT_OP_PAUSE, CT_RES_ACCOUNT, NULL, NULL, NULL, NULL, 0},
		{"p2", T0 + 50, "PutConfigurationSetSendingOptions", "maria@example.com", "Admin",
		 CT_TOOL_CONSOLE, CT_OP_PAUSE, CT_RES_CONFIG_SET, "marketing", NULL, NULL, NULL, 0},
		/* a failed resume changes nothing */
		{"p3", T0 + 60, "PutAccountSendingAttributes", "bob", NULL, CT_TOOL_SDK, CT_OP_RESUME,
		 CT_RES_ACCOUNT, NULL, NULL, NULL, "AccessDenied", 1},
	};
	static const struct ev_spec resume[] = {
		{"p4", T0 + 100, "UpdateAccountSendingEnabled", "jens", NULL, CT_TOOL_CLI, CT_OP_RESUME,
		 CT_RES_ACCOUNT, NULL, NULL, NULL, NULL, 1},
	};
	struct history_row h;
	struct sc_error err;
	char words[512];

	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_NOT_FOUND);
	put_events(f->c, console_pause, 3);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_OK);
	assert_string_equal(h.ev.event_id, "p1");
	history_who_words(&h, words, sizeof(words));
	assert_string_equal(words, "maria@example.com (role Admin) in the AWS console");
	history_row_clear(&h);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, "marketing", &h, &err), SC_OK);
	assert_string_equal(h.ev.event_id, "p2");
	history_row_clear(&h);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, "other", &h, &err),
			 SC_NOT_FOUND);
	/* resumed with the AWS CLI: the account is not paused by anyone known; the set still is */
	put_events(f->c, resume, 1);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_NOT_FOUND);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, "marketing", &h, &err), SC_OK);
	history_row_clear(&h);
	/* then paused here, not yet in CloudTrail: the local record answers */
	record(f, T0 + 200, "jdoe", "sending pause", NULL, AUDIT_RESULT_OK, AUDIT_ACTION_PAUSE,
	       "INC-2 loop", "rid-20", NULL);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_OK);
	assert_int_equal(h.source, HISTORY_LOCAL);
	assert_string_equal(h.ev.reason, "INC-2 loop");
	history_who_words(&h, words, sizeof(words));
	assert_string_equal(words, "jdoe with sesctl"); /* CloudTrail not read since: no claim */
	history_row_clear(&h);
	/* read a minute later: not there yet; read two hours later: not there */
	assert_int_equal(cache_mark_fetched(f->c, ACCT, REGION, CACHE_KIND_HISTORY, T0 + 260, &err),
			 SC_OK);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_OK);
	history_who_words(&h, words, sizeof(words));
	assert_string_equal(words, "jdoe with sesctl (not yet in CloudTrail)");
	history_row_clear(&h);
	assert_int_equal(cache_mark_fetched(f->c, ACCT, REGION, CACHE_KIND_HISTORY, T0 + 7400, &err),
			 SC_OK);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_OK);
	history_who_words(&h, words, sizeof(words));
	assert_string_equal(words, "jdoe with sesctl (not in CloudTrail)");
	history_row_clear(&h);
	/* a resume and a pause in the same second (whole seconds in CloudTrail; the resume sorts
	 * first by id): asked while paused, the pause is the answer */
	static const struct ev_spec same_second[] = {
		{"s-z", T0 + 9000, "PutAccountSendingAttributes", "jens", NULL, CT_TOOL_CLI,
		 CT_OP_RESUME, CT_RES_ACCOUNT, NULL, NULL, NULL, NULL, 1},
		{"s-a", T0 + 9000, "PutAccountSendingAttributes", "jens", NULL, CT_TOOL_CLI,
		 CT_OP_PAUSE, CT_RES_ACCOUNT, NULL, NULL, NULL, NULL, 0},
	};
	put_events(f->c, same_second, 2);
	assert_int_equal(history_last_pause(f->c, f->t, ACCT, REGION, NULL, &h, &err), SC_OK);
	assert_string_equal(h.ev.event_id, "s-a");
	history_row_clear(&h);
}

static void test_last_change_and_words(void **state)
{
	struct fx *f = *state;
	static const struct ev_spec evs[] = {
		{"c1", T0, "PutEmailIdentityDkimAttributes", "jens", NULL, CT_TOOL_CLI, CT_OP_CHANGE,
		 CT_RES_IDENTITY, "shop.example", NULL, NULL, NULL, -1},
		{"c2", T0 + 10, "PutConfigurationSetSendingOptions", "svc", NULL, CT_TOOL_AWS,
		 CT_OP_CHANGE, CT_RES_CONFIG_SET, "shop.example", NULL, NULL, NULL, -1},
		{"c3", T0 + 20, "PutEmailIdentityMailFromAttributes", "deploy", NULL, CT_TOOL_SDK,
		 CT_OP_CHANGE, CT_RES_IDENTITY, "shop.example", NULL, NULL, "BadRequestException", -1},
	};
	struct ct_event e;
	struct history_row r = {0};
	struct sc_error err;
	char words[512];

	put_events(f->c, evs, 3);
	/* the newest *successful* change of that kind: not the set of the same name, not c3 */
	assert_int_equal(history_last_change(f->c, ACCT, REGION, CT_RES_IDENTITY, "shop.example", &e,
					     &err), SC_OK);
	assert_string_equal(e.event_id, "c1");
	r.ev = e;
	history_who_words(&r, words, sizeof(words));
	assert_string_equal(words, "jens with the AWS CLI 2.15.0");
	ct_event_clear(&r.ev);
	assert_int_equal(history_last_change(f->c, ACCT, REGION, CT_RES_RULE, "shop.example", &e,
					     &err), SC_NOT_FOUND);
	r.ev.who = "ses.amazonaws.com";
	r.ev.tool = CT_TOOL_AWS;
	history_who_words(&r, words, sizeof(words));
	assert_string_equal(words, "ses.amazonaws.com, AWS itself");
	r.ev.who = NULL;
	r.ev.tool = CT_TOOL_OTHER;
	r.ev.tool_version = "APN/1.0";
	history_who_words(&r, words, sizeof(words));
	assert_string_equal(words, "someone with APN/1.0");
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_merge_by_request_id_and_time, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_pause, setup, teardown),
		cmocka_unit_test_setup_teardown(test_local_resource_after_global_flags, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_change_and_words, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

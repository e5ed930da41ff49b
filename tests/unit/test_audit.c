#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <cJSON.h>
#include <ftw.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/store/audit.h"
#include "sesctl/store/db.h"
#include "sesctl/util/buf.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define ARGC(a) ((int)(sizeof(a) / sizeof((a)[0])))

struct fx {
	char dir[64];
	char path[128];
	char trail[160];
	struct cache *c;
	struct audit_trail *t;
};

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static int setup(void **state)
{
	struct fx *f = xcalloc(1, sizeof(*f));
	struct sc_error err;

	strcpy(f->dir, "/tmp/sesctl-audit-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/c.sqlite3", f->dir);
	if (cache_open(f->path, &f->c, NULL, &err) != SC_OK)
		return -1;
	snprintf(f->trail, sizeof(f->trail), "%s/state/sesctl/audit.jsonl", f->dir);
	if (audit_open(f->trail, &f->t, &err) != SC_OK)
		return -1;
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	cache_close(f->c);
	audit_close(f->t);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

/* ---------------------------------------------------------------- quoting through /bin/sh */

/* Run sh -c 'printf "%s\0" <quoted>' and return its output (NUL-separated words). */
static size_t sh_words(const char *quoted, char *out, size_t cap)
{
	struct buf script = BUF_INIT;
	int fds[2];
	pid_t pid;
	size_t len = 0;
	ssize_t got;
	int status;

	buf_printf(&script, "printf '%%s\\0' %s", quoted);
	assert_int_equal(pipe(fds), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		dup2(fds[1], 1);
		close(fds[0]);
		close(fds[1]);
		execl("/bin/sh", "sh", "-c", script.data, (char *)NULL);
		_exit(127);
	}
	close(fds[1]);
	while ((got = read(fds[0], out + len, cap - len)) > 0)
		len += (size_t)got;
	close(fds[0]);
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	buf_free(&script);
	return len;
}

static void assert_round_trip(int argc, const char *const *argv)
{
	char *q = audit_shell_quote(argc, argv);
	char out[4096];
	size_t len = sh_words(q, out, sizeof(out));
	size_t pos = 0;

	for (int i = 0; i < argc; i++) {
		assert_true(pos < len);
		assert_string_equal(out + pos, argv[i]);
		pos += strlen(argv[i]) + 1;
	}
	assert_int_equal(pos, len);
	free(q);
}

static void test_shell_quote_example(void **state)
{
	const char *argv[] = {"sesctl", "sending", "pause", "--reason", "INC-4711 bounce spike"};
	char *q;

	(void)state;
	q = audit_shell_quote(ARGC(argv), argv);
	assert_string_equal(q, "sesctl sending pause --reason 'INC-4711 bounce spike'");
	free(q);
	q = audit_shell_quote(0, argv);
	assert_string_equal(q, "");
	free(q);
}

static void test_shell_quote_round_trips(void **state)
{
	const char *a1[] = {"sesctl", "it's", "\"double\"", "$HOME", "`id`", "$(id)", "a\\b"};
	const char *a2[] = {"x", "", "*", "?", "~", "~root", "#hash", "a;b", "a&b", "a|b", "<>"};
	const char *a3[] = {"line\nbreak", "tab\there", "'", "''", "'a'b'", "--flag=v a l",
			    "r\xc3\xa9sum\xc3\xa9", "-n", "!bang", "{a,b}", "[ab]", "%s"};
	const char *a4[] = {"plain", "user@example.com", "a=b", "1.2.3.4/32", "x:y,z+w_v%"};

	(void)state;
	assert_round_trip(ARGC(a1), a1);
	assert_round_trip(ARGC(a2), a2);
	assert_round_trip(ARGC(a3), a3);
	assert_round_trip(ARGC(a4), a4);
	/* safe words stay bare */
	char *q = audit_shell_quote(ARGC(a4), a4);
	assert_string_equal(q, "plain user@example.com a=b 1.2.3.4/32 x:y,z+w_v%");
	free(q);
}

static void test_argv_json(void **state)
{
	const char *argv[] = {"sesctl", "say \"hi\"", "back\\slash", "nl\n", ""};
	char *s = audit_argv_json(ARGC(argv), argv);
	cJSON *a = cJSON_Parse(s);

	(void)state;
	assert_true(cJSON_IsArray(a));
	assert_int_equal(cJSON_GetArraySize(a), ARGC(argv));
	for (int i = 0; i < ARGC(argv); i++)
		assert_string_equal(cJSON_GetArrayItem(a, i)->valuestring, argv[i]);
	cJSON_Delete(a);
	free(s);
}

static void test_redact(void **state)
{
	const char *argv[] = {"sesctl",       "identity",        "dkim",
			      "--private-key-file", "/k.pem",        "--secret-access-key=AKIAxx/yy",
			      "--reason",     "rotate token",    "--SMTP-PASSWORD",
			      "hunter2",      "--",              "--secret", "kept"};
	const char *want[] = {"sesctl",   "identity",   "dkim",
			      "--private-key-file", "<redacted>", "--secret-access-key=<redacted>",
			      "--reason", "rotate token", "--SMTP-PASSWORD",
			      "<redacted>", "--",        "--secret", "kept"};
	char **r, **again;

	(void)state;
	r = audit_redact_argv(ARGC(argv), argv);
	for (int i = 0; i < ARGC(argv); i++)
		assert_string_equal(r[i], want[i]);
	assert_null(r[ARGC(argv)]);
	again = audit_redact_argv(ARGC(argv), (const char *const *)r);
	for (int i = 0; i < ARGC(argv); i++)
		assert_string_equal(again[i], want[i]);
	audit_argv_free(again);
	audit_argv_free(r);

	const char *tail[] = {"sesctl", "--session-token"};
	r = audit_redact_argv(2, tail);
	assert_string_equal(r[1], "--session-token");
	assert_null(r[2]);
	audit_argv_free(r);
	assert_true(audit_flag_is_secret("--aws-secret-access-key"));
	assert_true(audit_flag_is_secret("-password=x"));
	assert_false(audit_flag_is_secret("--reason"));
	assert_false(audit_flag_is_secret("secret")); /* a word, not an option */
	assert_false(audit_flag_is_secret("--"));
}

/* ---------------------------------------------------------------- records */

static void record(struct fx *f, const char *verb, enum audit_action action,
		   enum audit_result result, const char *config_set, const char *region,
		   const char *reason, time_t t)
{
	const char *argv[] = {"sesctl", "sending", "pause", "--reason", reason ? reason : ""};
	struct audit_record r = {0};
	struct sc_error err;

	r.time = t;
	r.os_user = "alice";
	r.host = "laptop";
	r.profile = "prod-admin";
	r.region = region;
	r.account_id = ACCT;
	r.argc = ARGC(argv);
	r.argv = argv;
	r.verb = verb;
	r.result = result;
	r.status = result == AUDIT_RESULT_OK ? SC_OK : SC_REFUSED;
	r.reason = reason;
	r.action = action;
	r.config_set = config_set;
	if (audit_record(f->t, &r, &err) != SC_OK)
		fail_msg("audit_record: %s", err.message);
}

static bool file_contains(const char *path, const char *needle)
{
	FILE *fp = fopen(path, "rb");
	struct buf b = BUF_INIT;
	char chunk[4096];
	size_t got;
	bool found;

	if (!fp)
		return false;
	while ((got = fread(chunk, 1, sizeof(chunk), fp)) > 0)
		buf_append(&b, chunk, got);
	fclose(fp);
	found = b.len && memmem(b.data, b.len, needle, strlen(needle)) != NULL;
	buf_free(&b);
	return found;
}

static void test_record_and_list(void **state)
{
	struct fx *f = *state;
	const char *argv[] = {"sesctl", "--profile", "prod", "identity", "import-dkim",
			      "--private-key=TOPSECRETKEYMATERIAL", "--reason", "it's time"};
	struct audit_record r = {0};
	struct audit_entry *v;
	size_t n;
	struct sc_error err;
	char wal[160];

	r.region = REGION;
	r.account_id = ACCT;
	r.profile = "prod";
	r.argc = ARGC(argv);
	r.argv = argv;
	r.verb = "identity import-dkim";
	r.result = AUDIT_RESULT_FAILED;
	r.status = SC_THROTTLED;
	r.message = "throttled after 3 attempts";
	r.request_id = "req-42";
	r.duration_ms = 1234;
	assert_int_equal(audit_record(f->t, &r, &err), SC_OK);
	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "x", 100);

	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].verb, "sending pause");
	assert_true(v[0].id > v[1].id);
	struct audit_entry *e = &v[1];
	assert_true(e->time > 1700000000); /* 0 → now */
	struct passwd *pw = getpwuid(geteuid());
	assert_string_equal(e->os_user, pw->pw_name);
	assert_non_null(e->host);
	assert_true(*e->host);
	assert_string_equal(e->profile, "prod");
	assert_string_equal(e->region, REGION);
	assert_string_equal(e->account_id, ACCT);
	assert_string_equal(e->verb, "identity import-dkim");
	assert_int_equal(e->result, AUDIT_RESULT_FAILED);
	assert_string_equal(e->status, "THROTTLED");
	assert_string_equal(e->message, "throttled after 3 attempts");
	assert_string_equal(e->request_id, "req-42");
	assert_int_equal(e->duration_ms, 1234);
	assert_null(e->reason);
	assert_int_equal(e->action, AUDIT_ACTION_OTHER);
	assert_null(e->config_set);
	assert_string_equal(e->command, "sesctl --profile prod identity import-dkim"
					" '--private-key=<redacted>' --reason 'it'\\''s time'");
	assert_string_equal(e->argv_json,
			    "[\"sesctl\",\"--profile\",\"prod\",\"identity\",\"import-dkim\","
			    "\"--private-key=<redacted>\",\"--reason\",\"it's time\"]");
	audit_entries_free(v, n);

	assert_int_equal(audit_list(f->t, "sending pause", 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].reason, "x");
	assert_string_equal(v[0].os_user, "alice");
	assert_string_equal(v[0].host, "laptop");
	assert_int_equal(v[0].time, 100);
	audit_entries_free(v, n);
	assert_int_equal(audit_list(f->t, NULL, 1, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	audit_entries_free(v, n);

	/* the secret is nowhere in the files; the trail is not in the cache */
	snprintf(wal, sizeof(wal), "%s-wal", f->path);
	assert_false(file_contains(f->trail, "TOPSECRETKEYMATERIAL"));
	assert_true(file_contains(f->trail, "import-dkim"));
	assert_false(file_contains(f->path, "import-dkim") || file_contains(wal, "import-dkim"));

	r.verb = "";
	assert_int_equal(audit_record(f->t, &r, &err), SC_USAGE);
}

static size_t file_size(const char *path)
{
	struct stat st;

	return stat(path, &st) == 0 ? (size_t)st.st_size : 0;
}

static void append_raw(const char *path, const char *text)
{
	FILE *fp = fopen(path, "ab");

	assert_non_null(fp);
	fputs(text, fp);
	fclose(fp);
}

static void test_file_is_private_state(void **state)
{
	struct fx *f = *state;
	struct stat st;
	char dir[160];

	assert_false(audit_exists(f->t));
	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "x", 1);
	assert_true(audit_exists(f->t));
	assert_int_equal(stat(f->trail, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	snprintf(dir, sizeof(dir), "%s/state/sesctl", f->dir);
	assert_int_equal(stat(dir, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);
	/* one line per record, nothing else */
	assert_true(file_contains(f->trail, "\"verb\":\"sending pause\""));
	record(f, "sending resume", AUDIT_ACTION_RESUME, AUDIT_RESULT_OK, NULL, REGION, "y", 2);
	FILE *fp = fopen(f->trail, "rb");
	int c, lines = 0;
	while ((c = fgetc(fp)) != EOF)
		lines += c == '\n';
	fclose(fp);
	assert_int_equal(lines, 2);
}

static void test_symlink_refused(void **state)
{
	struct fx *f = *state;
	char target[160];
	struct audit_record r = {0};
	const char *argv[] = {"sesctl", "sending", "pause"};
	struct sc_error err;

	record(f, "x", AUDIT_ACTION_OTHER, AUDIT_RESULT_OK, NULL, REGION, NULL, 1);
	snprintf(target, sizeof(target), "%s/elsewhere", f->dir);
	assert_int_equal(rename(f->trail, target), 0);
	assert_int_equal(symlink(target, f->trail), 0);
	r.argc = ARGC(argv);
	r.argv = argv;
	r.verb = "sending pause";
	assert_int_equal(audit_record(f->t, &r, &err), SC_IO);
	assert_non_null(strstr(err.message, "symbolic link"));
	struct audit_entry *v;
	size_t n;
	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_IO);
}

/* A damaged line in the middle and a torn last line are skipped and counted; the rest
 * stays readable, and a record appended after the torn line is read whole. */
static void test_damage_is_skipped_and_counted(void **state)
{
	struct fx *f = *state;
	struct audit_entry *v;
	size_t n;
	int64_t line;
	struct sc_error err;

	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "a", 1);
	append_raw(f->trail, "{\"verb\": this is not json}\n");
	record(f, "sending resume", AUDIT_ACTION_RESUME, AUDIT_RESULT_OK, NULL, REGION, "b", 2);
	append_raw(f->trail, "{\"time\":3,\"verb\":\"sending pa"); /* killed mid-write */
	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].reason, "b");
	assert_string_equal(v[1].reason, "a");
	assert_int_equal(v[1].id, 1);
	assert_int_equal(v[0].id, 3);
	audit_entries_free(v, n);
	assert_int_equal(audit_damage(f->t, &line), 2);
	assert_int_equal(line, 2);

	/* another writer goes on after the torn line: its record is whole */
	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "c", 4);
	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].reason, "c");
	audit_entries_free(v, n);
	assert_int_equal(audit_damage(f->t, NULL), 2); /* the torn line is now a damaged one */
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, v = xcalloc(1, sizeof(*v)),
					  &err),
			 SC_OK);
	assert_string_equal(v->reason, "c");
	audit_entry_free(v);
	free(v);
}

/* Records another process appends are seen by a reader that keeps its handle; a file
 * replaced under it is read from the start. */
static void test_reader_follows_the_file(void **state)
{
	struct fx *f = *state;
	struct audit_trail *other;
	struct audit_entry *v;
	size_t n;
	struct sc_error err;

	assert_int_equal(audit_open(f->trail, &other, &err), SC_OK);
	record(f, "a", AUDIT_ACTION_OTHER, AUDIT_RESULT_OK, NULL, REGION, NULL, 1);
	assert_int_equal(audit_list(other, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	audit_entries_free(v, n);
	record(f, "b", AUDIT_ACTION_OTHER, AUDIT_RESULT_OK, NULL, REGION, NULL, 2);
	assert_int_equal(audit_list(other, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	audit_entries_free(v, n);
	assert_int_equal(unlink(f->trail), 0);
	record(f, "c", AUDIT_ACTION_OTHER, AUDIT_RESULT_OK, NULL, REGION, NULL, 3);
	assert_int_equal(audit_list(other, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].verb, "c");
	audit_entries_free(v, n);
	audit_close(other);
}

/* A write that cannot complete (here: the file size limit, as a full disk would) leaves
 * the file exactly as it was: no half line for the next record to be glued to. */
static void test_failed_write_leaves_nothing(void **state)
{
	struct fx *f = *state;
	size_t before;
	pid_t pid;
	int status;

	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "a", 1);
	before = file_size(f->trail);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) {
		struct rlimit lim = {before + 20, before + 20};
		struct audit_record r = {0};
		const char *argv[] = {"sesctl", "sending", "resume", "--reason", "long enough"};
		struct sc_error err;

		signal(SIGXFSZ, SIG_IGN);
		setrlimit(RLIMIT_FSIZE, &lim);
		r.argc = ARGC(argv);
		r.argv = argv;
		r.verb = "sending resume";
		_exit(audit_record(f->t, &r, &err) == SC_IO && strstr(err.message, "audit trail")
			      ? 0
			      : 1);
	}
	assert_int_equal(waitpid(pid, &status, 0), pid);
	assert_true(WIFEXITED(status));
	assert_int_equal(WEXITSTATUS(status), 0);
	assert_int_equal(file_size(f->trail), before);
	record(f, "sending resume", AUDIT_ACTION_RESUME, AUDIT_RESULT_OK, NULL, REGION, "b", 2);
	struct audit_entry *v;
	size_t n;
	struct sc_error err;
	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	audit_entries_free(v, n);
	assert_int_equal(audit_damage(f->t, NULL), 0);
}

/* The rows an older sesctl kept in the cache move into the file as they were. */
static void test_import_from_an_older_cache(void **state)
{
	struct fx *f = *state;
	sqlite3 *db = cache_db(f->c);
	struct audit_entry *old, *v, e;
	size_t n_old, n;
	struct sc_error err;

	assert_int_equal(sqlite3_exec(db,
				      "INSERT INTO audit(time, os_user, host, profile, region,"
				      " account_id, argv_json, command, verb, result, status,"
				      " duration_ms, reason, action) VALUES (50, 'bob', 'bastion',"
				      " 'prod', 'eu-west-1', '" ACCT "', '[\"sesctl\",\"sending\","
				      "\"pause\"]', 'sesctl sending pause', 'sending pause', 'ok',"
				      " 'OK', 12, 'INC-1', 1)",
				      NULL, NULL, NULL),
			 SQLITE_OK);
	assert_int_equal(audit_cache_rows(f->c, &old, &n_old, &err), SC_OK);
	assert_int_equal(n_old, 1);
	assert_int_equal(audit_import(f->t, old, n_old, &err), SC_OK);
	audit_entries_free(old, n_old);
	assert_int_equal(audit_list(f->t, NULL, 0, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(v[0].os_user, "bob");
	assert_string_equal(v[0].argv_json, "[\"sesctl\",\"sending\",\"pause\"]");
	assert_string_equal(v[0].command, "sesctl sending pause");
	assert_int_equal(v[0].duration_ms, 12);
	audit_entries_free(v, n);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_OK);
	assert_string_equal(e.reason, "INC-1");
	audit_entry_free(&e);
}

static void test_last_pause(void **state)
{
	struct fx *f = *state;
	struct audit_entry e;
	struct sc_error err;

	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_NOT_FOUND);
	/* a refused pause does not pause */
	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_REFUSED, NULL, REGION, "no", 10);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_NOT_FOUND);

	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION,
	       "INC-4711 bounce spike", 20);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_OK);
	assert_string_equal(e.os_user, "alice");
	assert_int_equal(e.time, 20);
	assert_string_equal(e.reason, "INC-4711 bounce spike");
	audit_entry_free(&e);
	/* other region, other config set: not paused */
	assert_int_equal(audit_last_pause(f->t, ACCT, "us-east-1", NULL, &e, &err), SC_NOT_FOUND);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, "marketing", &e, &err),
			 SC_NOT_FOUND);
	/* unrelated mutations and a failed resume change nothing */
	record(f, "identity create", AUDIT_ACTION_OTHER, AUDIT_RESULT_OK, NULL, REGION, NULL, 25);
	record(f, "sending resume", AUDIT_ACTION_RESUME, AUDIT_RESULT_FAILED, NULL, REGION, "r", 30);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_OK);
	assert_int_equal(e.time, 20);
	audit_entry_free(&e);
	/* a configuration set pause is separate from the account's */
	record(f, "config-set pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, "marketing", REGION,
	       "cs", 35);
	record(f, "sending resume", AUDIT_ACTION_RESUME, AUDIT_RESULT_OK, NULL, REGION, "fixed", 40);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_NOT_FOUND);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, "marketing", &e, &err), SC_OK);
	assert_string_equal(e.reason, "cs");
	assert_string_equal(e.config_set, "marketing");
	audit_entry_free(&e);
	/* pause again after resume: paused, the newest pause wins */
	record(f, "sending pause", AUDIT_ACTION_PAUSE, AUDIT_RESULT_OK, NULL, REGION, "again", 50);
	assert_int_equal(audit_last_pause(f->t, ACCT, REGION, NULL, &e, &err), SC_OK);
	assert_string_equal(e.reason, "again");
	audit_entry_free(&e);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_shell_quote_example),
		cmocka_unit_test(test_shell_quote_round_trips),
		cmocka_unit_test(test_argv_json),
		cmocka_unit_test(test_redact),
		cmocka_unit_test_setup_teardown(test_record_and_list, setup, teardown),
		cmocka_unit_test_setup_teardown(test_file_is_private_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlink_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_damage_is_skipped_and_counted, setup, teardown),
		cmocka_unit_test_setup_teardown(test_reader_follows_the_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_failed_write_leaves_nothing, setup, teardown),
		cmocka_unit_test_setup_teardown(test_import_from_an_older_cache, setup, teardown),
		cmocka_unit_test_setup_teardown(test_last_pause, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

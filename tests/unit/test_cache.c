#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <ftw.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/store/account.h"
#include "sesctl/store/calls.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/mail_manager.h"
#include "sesctl/store/receipt.h"
#include "sesctl/store/suppression.h"
#include "sesctl/util/buf.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"

/* ---------------------------------------------------------------- fixture */

struct fx {
	char dir[64];
	char path[128];
	struct cache *c;
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

	strcpy(f->dir, "/tmp/sesctl-cache-XXXXXX");
	if (!mkdtemp(f->dir))
		return -1;
	snprintf(f->path, sizeof(f->path), "%s/c.sqlite3", f->dir);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;

	cache_close(f->c);
	nftw(f->dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
	free(f);
	return 0;
}

static struct cache *open_ok(struct fx *f)
{
	struct sc_error err;
	char *warning = NULL;

	sc_error_clear(&err);
	if (cache_open(f->path, &f->c, &warning, &err) != SC_OK)
		fail_msg("cache_open: %s", err.message);
	assert_null(warning);
	return f->c;
}

static void reopen(struct fx *f)
{
	cache_close(f->c);
	f->c = NULL;
	open_ok(f);
}

static mode_t mode_of(const char *p)
{
	struct stat st;

	assert_int_equal(lstat(p, &st), 0);
	return st.st_mode & 07777;
}

static int64_t raw_int(const char *path, const char *sql)
{
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	sqlite3_close(db);
	return v;
}

static void raw_exec(const char *path, const char *sql)
{
	sqlite3 *db;
	char *msg = NULL;

	assert_int_equal(sqlite3_open_v2(path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE,
					 NULL),
			 SQLITE_OK);
	if (sqlite3_exec(db, sql, NULL, NULL, &msg) != SQLITE_OK)
		fail_msg("sql: %s", msg);
	sqlite3_close(db);
}

static void write_file(const char *path, const void *data, size_t len)
{
	int fd = open(path, O_WRONLY | O_CREAT | O_TRUNC, 0600);

	assert_true(fd >= 0);
	assert_int_equal(write(fd, data, len), (ssize_t)len);
	close(fd);
}

/* Count files in dir whose name starts with prefix. */
static int count_prefixed(const char *dir, const char *prefix)
{
	char cmd[256];
	FILE *p;
	int n = 0;
	char line[256];

	snprintf(cmd, sizeof(cmd), "ls -1 '%s'", dir);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (fgets(line, sizeof(line), p))
		n += strncmp(line, prefix, strlen(prefix)) == 0;
	pclose(p);
	return n;
}

static void unlink_prefixed(const char *dir, const char *prefix)
{
	char path[512];
	struct dirent *e;
	DIR *d = opendir(dir);

	assert_non_null(d);
	while ((e = readdir(d)) != NULL)
		if (!strncmp(e->d_name, prefix, strlen(prefix))) {
			snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
			unlink(path);
		}
	closedir(d);
}

/* ---------------------------------------------------------------- sample data */

static char *dup_opt(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static void make_identity(struct ses_identity *x, const char *name, int variant)
{
	memset(x, 0, sizeof(*x));
	x->name = xstrdup(name);
	x->type = xstrdup(strchr(name, '@') ? "EMAIL_ADDRESS" : "DOMAIN");
	x->verification_status = xstrdup(variant ? "PENDING" : "SUCCESS");
	x->sending_enabled = true;
	x->verified_for_sending = variant == 0;
	x->feedback_forwarding = variant == 1;
	x->has_details = true;
	x->dkim_signing_enabled = true;
	x->dkim_status = xstrdup("SUCCESS");
	x->dkim_origin = xstrdup("AWS_SES");
	x->dkim_current_key_length = xstrdup("RSA_2048_BIT");
	x->dkim_next_key_length = dup_opt(variant ? NULL : "RSA_1024_BIT");
	x->dkim_last_key_generation = 1700000000 + variant;
	x->n_dkim_tokens = 3;
	x->dkim_tokens = xcalloc(3, sizeof(char *));
	for (int i = 0; i < 3; i++) {
		char tok[32];
		snprintf(tok, sizeof(tok), "tok%d-%d", i, variant);
		x->dkim_tokens[i] = xstrdup(tok);
	}
	x->mail_from_domain = xstrdup("bounce.shop.example");
	x->mail_from_status = xstrdup("PENDING");
	x->mail_from_on_mx_failure = xstrdup("USE_DEFAULT_VALUE");
	x->configuration_set = dup_opt(variant ? "cs-1" : NULL);
	x->verification_token = xstrdup("vtok\"with quote");
	x->verification_error = dup_opt(variant ? "HOST_NOT_FOUND" : NULL);
	x->verification_last_checked = 1700000500 + variant;
	x->n_policies = 1;
	x->policies = xcalloc(1, sizeof(*x->policies));
	x->policies[0].name = xstrdup("allow-app");
	x->policies[0].document = xstrdup("{\"Version\":\"2012-10-17\",\"Statement\":[]}");
	x->n_tags = 2;
	x->tags = xcalloc(2, sizeof(*x->tags));
	x->tags[0].key = xstrdup("team");
	x->tags[0].value = xstrdup("payments");
	x->tags[1].key = xstrdup("empty");
	x->tags[1].value = xstrdup("");
	x->fetched = 1760000000;
}

static void assert_str_eq_opt(const char *a, const char *b)
{
	if (!a || !b)
		assert_ptr_equal(a, b);
	else
		assert_string_equal(a, b);
}

static void assert_identity_equal(const struct ses_identity *a, const struct ses_identity *b)
{
	assert_str_eq_opt(a->name, b->name);
	assert_str_eq_opt(a->type, b->type);
	assert_str_eq_opt(a->verification_status, b->verification_status);
	assert_int_equal(a->sending_enabled, b->sending_enabled);
	assert_int_equal(a->verified_for_sending, b->verified_for_sending);
	assert_int_equal(a->feedback_forwarding, b->feedback_forwarding);
	assert_int_equal(a->has_details, b->has_details);
	assert_int_equal(a->dkim_signing_enabled, b->dkim_signing_enabled);
	assert_str_eq_opt(a->dkim_status, b->dkim_status);
	assert_str_eq_opt(a->dkim_origin, b->dkim_origin);
	assert_str_eq_opt(a->dkim_current_key_length, b->dkim_current_key_length);
	assert_str_eq_opt(a->dkim_next_key_length, b->dkim_next_key_length);
	assert_int_equal(a->dkim_last_key_generation, b->dkim_last_key_generation);
	assert_int_equal(a->n_dkim_tokens, b->n_dkim_tokens);
	for (size_t i = 0; i < a->n_dkim_tokens; i++)
		assert_string_equal(a->dkim_tokens[i], b->dkim_tokens[i]);
	assert_str_eq_opt(a->mail_from_domain, b->mail_from_domain);
	assert_str_eq_opt(a->mail_from_status, b->mail_from_status);
	assert_str_eq_opt(a->mail_from_on_mx_failure, b->mail_from_on_mx_failure);
	assert_str_eq_opt(a->configuration_set, b->configuration_set);
	assert_str_eq_opt(a->verification_token, b->verification_token);
	assert_str_eq_opt(a->verification_error, b->verification_error);
	assert_int_equal(a->verification_last_checked, b->verification_last_checked);
	assert_int_equal(a->n_policies, b->n_policies);
	for (size_t i = 0; i < a->n_policies; i++) {
		assert_str_eq_opt(a->policies[i].name, b->policies[i].name);
		assert_str_eq_opt(a->policies[i].document, b->policies[i].document);
	}
	assert_int_equal(a->n_tags, b->n_tags);
	for (size_t i = 0; i < a->n_tags; i++) {
		assert_str_eq_opt(a->tags[i].key, b->tags[i].key);
		assert_str_eq_opt(a->tags[i].value, b->tags[i].value);
	}
	assert_int_equal(a->fetched, b->fetched);
}

/* ---------------------------------------------------------------- model drift */

/* When a model struct grows, store/identities.c (and its family file) must learn the new field (and the round trip
 * below must check it); then update the size here. LP64 sizes. */
static void test_model_sizes_known(void **state)
{
	(void)state;
	if (sizeof(void *) != 8)
		skip();
	assert_int_equal(sizeof(struct ses_identity), 184);
	assert_int_equal(sizeof(struct ses_account), 136);
	assert_int_equal(sizeof(struct ses_config_set), 176);
	assert_int_equal(sizeof(struct ses_event_dest), 72);
	assert_int_equal(sizeof(struct ses_action), 144);
	assert_int_equal(sizeof(struct ses_rule), 64);
	assert_int_equal(sizeof(struct ses_rule_set), 48);
	assert_int_equal(sizeof(struct ses_suppressed), 40);
	assert_int_equal(sizeof(struct ses_receipt_filter), 24);
	assert_int_equal(sizeof(struct ses_mm_item), 48);
	assert_int_equal(sizeof(struct ses_send_point), 40);
}

/* ---------------------------------------------------------------- files and modes */

static const char *conn_text(struct cache *c, const char *sql)
{
	static char out[64];
	sqlite3_stmt *st;

	assert_int_equal(sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL), SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	snprintf(out, sizeof(out), "%s", (const char *)sqlite3_column_text(st, 0));
	sqlite3_finalize(st);
	return out;
}

static void test_default_path_modes(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	char xdg[128], dir[160], p[200];
	struct ses_identity x;
	mode_t old = umask(022);

	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_int_equal(cache_open(NULL, &f->c, NULL, &err), SC_OK);
	snprintf(dir, sizeof(dir), "%s/sesctl", xdg);
	snprintf(p, sizeof(p), "%s/cache.sqlite3", dir);
	assert_string_equal(cache_path(f->c), p);
	assert_int_equal(mode_of(dir), 0700);
	assert_int_equal(mode_of(p), 0600);
	assert_string_equal(conn_text(f->c, "PRAGMA journal_mode"), "wal");
	assert_string_equal(conn_text(f->c, "PRAGMA synchronous"), "1"); /* NORMAL */
	assert_string_equal(conn_text(f->c, "PRAGMA foreign_keys"), "1");
	assert_string_equal(conn_text(f->c, "PRAGMA busy_timeout"), "5000");
	make_identity(&x, "a.example", 0);
	assert_int_equal(cache_put_identity(f->c, ACCT, REGION, &x, &err), SC_OK);
	ses_identity_free(&x);
	snprintf(p, sizeof(p), "%s/cache.sqlite3-wal", dir);
	assert_int_equal(mode_of(p), 0600);
	snprintf(p, sizeof(p), "%s/cache.sqlite3-shm", dir);
	assert_int_equal(mode_of(p), 0600);
	umask(old);

	snprintf(p, sizeof(p), "%s/cache.sqlite3", dir);
	assert_int_equal(raw_int(p, "PRAGMA application_id"), CACHE_APPLICATION_ID);
	assert_int_equal(raw_int(p, "PRAGMA user_version"), cache_schema_version());
	assert_int_equal(raw_int(p, "SELECT count(*) FROM identities"), 1);
	unsetenv("XDG_CACHE_HOME");
}

static void test_relative_xdg_ignored(void **state)
{
	struct fx *f = *state;
	char home[128], want[200];
	char *path = NULL;
	const char *old_home = getenv("HOME");
	char *saved = old_home ? xstrdup(old_home) : NULL;

	snprintf(home, sizeof(home), "%s/home", f->dir);
	setenv("HOME", home, 1);
	setenv("XDG_CACHE_HOME", "relative/cache", 1);
	assert_int_equal(cache_default_path(&path, NULL), SC_OK);
	snprintf(want, sizeof(want), "%s/.cache/sesctl/cache.sqlite3", home);
	assert_string_equal(path, want);
	free(path);
	setenv("XDG_CACHE_HOME", "/abs/xdg", 1);
	assert_int_equal(cache_default_path(&path, NULL), SC_OK);
	assert_string_equal(path, "/abs/xdg/sesctl/cache.sqlite3");
	free(path);
	unsetenv("XDG_CACHE_HOME");
	if (saved)
		setenv("HOME", saved, 1);
	free(saved);
}

static void test_symlinked_dir_refused(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	char xdg[128], real[128], link[160];

	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	snprintf(real, sizeof(real), "%s/elsewhere", f->dir);
	snprintf(link, sizeof(link), "%s/sesctl", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(real, 0700), 0);
	assert_int_equal(symlink(real, link), 0);
	setenv("XDG_CACHE_HOME", xdg, 1);
	sc_error_clear(&err);
	assert_int_equal(cache_open(NULL, &f->c, NULL, &err), SC_IO);
	assert_null(f->c);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(count_prefixed(real, "cache"), 0);
	unsetenv("XDG_CACHE_HOME");
}

static void test_foreign_owner_refused(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	char xdg[128], dir[160];

	if (geteuid() != 0)
		skip(); /* only root can hand a directory to someone else */
	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	snprintf(dir, sizeof(dir), "%s/sesctl", xdg);
	assert_int_equal(mkdir(xdg, 0700), 0);
	assert_int_equal(mkdir(dir, 0700), 0);
	assert_int_equal(chown(dir, 65534, 65534), 0);
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_int_equal(cache_open(NULL, &f->c, NULL, &err), SC_IO);
	assert_non_null(strstr(err.message, "another user"));
	unsetenv("XDG_CACHE_HOME");
}

static void test_loose_modes_tightened(void **state)
{
	struct fx *f = *state;
	char xdg[128], dir[160], p[200];

	snprintf(xdg, sizeof(xdg), "%s/xdg", f->dir);
	snprintf(dir, sizeof(dir), "%s/sesctl", xdg);
	snprintf(p, sizeof(p), "%s/cache.sqlite3", dir);
	assert_int_equal(mkdir(xdg, 0755), 0);
	assert_int_equal(mkdir(dir, 0755), 0);
	assert_int_equal(chmod(dir, 0755), 0);
	write_file(p, "", 0);
	assert_int_equal(chmod(p, 0644), 0);
	setenv("XDG_CACHE_HOME", xdg, 1);
	assert_int_equal(cache_open(NULL, &f->c, NULL, NULL), SC_OK);
	assert_int_equal(mode_of(dir), 0700);
	assert_int_equal(mode_of(p), 0600);
	unsetenv("XDG_CACHE_HOME");
}

static void test_symlinked_file_refused(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	char target[128];

	snprintf(target, sizeof(target), "%s/target", f->dir);
	write_file(target, "", 0);
	assert_int_equal(symlink(target, f->path), 0);
	assert_int_equal(cache_open(f->path, &f->c, NULL, &err), SC_IO);
	assert_non_null(strstr(err.message, "symbolic link"));
	assert_int_equal(mode_of(target) & 0777, 0600);
}

static void test_explicit_dir_created(void **state)
{
	struct fx *f = *state;
	char p[160], d[128];

	snprintf(d, sizeof(d), "%s/sub", f->dir);
	snprintf(p, sizeof(p), "%s/c.db", d);
	assert_int_equal(cache_open(p, &f->c, NULL, NULL), SC_OK);
	assert_int_equal(mode_of(d), 0700);
	assert_int_equal(mode_of(p), 0600);
}

/* ---------------------------------------------------------------- round trips */

static void test_identities_round_trip(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_identity in[3], *out = NULL, one;
	size_t n = 0;
	struct sc_error err;

	make_identity(&in[0], "b.example", 0);
	make_identity(&in[1], "a@c.example", 1);
	make_identity(&in[2], "a.example", 2);
	assert_int_equal(cache_put_identities_replace(c, ACCT, REGION, in, 3, 1760000100, &err),
			 SC_OK);
	reopen(f);
	c = f->c;
	assert_int_equal(cache_get_identities(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_identity_equal(&out[0], &in[2]); /* sorted by name */
	assert_identity_equal(&out[1], &in[1]);
	assert_identity_equal(&out[2], &in[0]);
	ses_identities_free(out, n);

	/* other account and region see nothing */
	assert_int_equal(cache_get_identities(c, "999999999999", REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cache_get_identities(c, ACCT, "us-east-1", &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cache_put_identities_replace(c, ACCT, "us-east-1", in, 1, 5, &err), SC_OK);

	/* replace: a@c.example vanished */
	assert_int_equal(cache_put_identities_replace(c, ACCT, REGION, in, 1, 1760000200, &err),
			 SC_OK);
	assert_int_equal(cache_get_identities(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "b.example");
	ses_identities_free(out, n);
	assert_int_equal(cache_get_identity(c, ACCT, REGION, "a@c.example", &one, &err),
			 SC_NOT_FOUND);
	assert_int_equal(cache_get_identities(c, ACCT, "us-east-1", &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	ses_identities_free(out, n);

	/* single put updates, get one, delete */
	in[1].verification_status[0] = 'X';
	assert_int_equal(cache_put_identity(c, ACCT, REGION, &in[1], &err), SC_OK);
	assert_int_equal(cache_get_identity(c, ACCT, REGION, "a@c.example", &one, &err), SC_OK);
	assert_identity_equal(&one, &in[1]);
	ses_identity_free(&one);
	assert_int_equal(cache_delete_identity(c, ACCT, REGION, "a@c.example", &err), SC_OK);
	assert_int_equal(cache_get_identity(c, ACCT, REGION, "a@c.example", &one, &err),
			 SC_NOT_FOUND);
	assert_int_equal(cache_delete_identity(c, ACCT, REGION, "a@c.example", &err), SC_OK);

	/* a bare identity (list data only) comes back bare */
	struct ses_identity bare = {.name = "bare@x.example"};
	assert_int_equal(cache_put_identity(c, ACCT, REGION, &bare, &err), SC_OK);
	assert_int_equal(cache_get_identity(c, ACCT, REGION, "bare@x.example", &one, &err), SC_OK);
	assert_identity_equal(&one, &bare);
	assert_null(one.dkim_tokens);
	assert_null(one.policies);
	ses_identity_free(&one);

	/* bad input: clear errors, no crash */
	assert_int_equal(cache_get_identities(c, NULL, REGION, &out, &n, &err), SC_USAGE);
	free(in[0].name);
	in[0].name = NULL;
	assert_int_equal(cache_put_identity(c, ACCT, REGION, &in[0], &err), SC_USAGE);
	assert_int_equal(cache_put_identity(c, ACCT, REGION, NULL, &err), SC_USAGE);
	assert_int_equal(cache_put_identities_replace(c, ACCT, REGION, NULL, 2, 0, &err), SC_USAGE);
	assert_int_equal(cache_put_identities_replace(c, ACCT, "", in, 1, 0, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "region"));
	for (int i = 0; i < 3; i++)
		ses_identity_free(&in[i]);
}

static void make_rule_set(struct ses_rule_set *rs, const char *name, bool active)
{
	memset(rs, 0, sizeof(*rs));
	rs->name = xstrdup(name);
	rs->created = 1600000000;
	rs->active = active;
	rs->has_rules = true;
	rs->fetched = 1760000000;
	rs->n_rules = 2;
	rs->rules = xcalloc(2, sizeof(*rs->rules));
	rs->rules[0].name = xstrdup("spam-drop");
	rs->rules[0].enabled = true;
	rs->rules[0].tls_policy = xstrdup("Optional");
	rs->rules[0].n_recipients = 1;
	rs->rules[0].recipients = xcalloc(1, sizeof(char *));
	rs->rules[0].recipients[0] = xstrdup("help.shop.example");
	rs->rules[0].n_actions = 2;
	rs->rules[0].actions = xcalloc(2, sizeof(struct ses_action));
	rs->rules[0].actions[0].kind = SES_ACTION_BOUNCE;
	rs->rules[0].actions[0].smtp_reply_code = xstrdup("550");
	rs->rules[0].actions[0].status_code = xstrdup("5.1.1");
	rs->rules[0].actions[0].message = xstrdup("no such user");
	rs->rules[0].actions[0].sender = xstrdup("mailer@shop.example");
	rs->rules[0].actions[0].topic_arn = xstrdup("arn:aws:sns:eu-west-1:1:t");
	rs->rules[0].actions[1].kind = SES_ACTION_STOP;
	rs->rules[0].actions[1].scope = xstrdup("RuleSet");
	rs->rules[1].name = xstrdup("support-to-s3");
	rs->rules[1].scan_enabled = true;
	rs->rules[1].n_actions = 1;
	rs->rules[1].actions = xcalloc(1, sizeof(struct ses_action));
	rs->rules[1].actions[0].kind = SES_ACTION_S3;
	rs->rules[1].actions[0].bucket = xstrdup("mail-in");
	rs->rules[1].actions[0].prefix = xstrdup("support/");
	rs->rules[1].actions[0].kms_key_arn = xstrdup("arn:aws:kms:k");
	rs->rules[1].actions[0].iam_role_arn = xstrdup("arn:aws:iam::1:role/r");
}

static void test_rule_sets_round_trip(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_rule_set in[2], *out = NULL;
	size_t n = 0;
	struct sc_error err;

	make_rule_set(&in[0], "main", true);
	make_rule_set(&in[1], "backup", false);
	assert_int_equal(cache_put_rule_sets_replace(c, ACCT, REGION, in, 2, 77, &err), SC_OK);
	assert_int_equal(cache_get_rule_sets(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(out[0].name, "backup");
	assert_false(out[0].active);
	assert_string_equal(out[1].name, "main");
	assert_true(out[1].active);
	assert_true(out[1].has_rules);
	assert_int_equal(out[1].created, 1600000000);
	assert_int_equal(out[1].fetched, 1760000000);
	assert_int_equal(out[1].n_rules, 2);
	const struct ses_rule *r0 = &out[1].rules[0], *r1 = &out[1].rules[1];
	assert_string_equal(r0->name, "spam-drop");
	assert_true(r0->enabled);
	assert_false(r0->scan_enabled);
	assert_string_equal(r0->tls_policy, "Optional");
	assert_int_equal(r0->n_recipients, 1);
	assert_string_equal(r0->recipients[0], "help.shop.example");
	assert_int_equal(r0->n_actions, 2);
	assert_int_equal(r0->actions[0].kind, SES_ACTION_BOUNCE);
	assert_string_equal(r0->actions[0].smtp_reply_code, "550");
	assert_string_equal(r0->actions[0].status_code, "5.1.1");
	assert_string_equal(r0->actions[0].message, "no such user");
	assert_string_equal(r0->actions[0].sender, "mailer@shop.example");
	assert_string_equal(r0->actions[0].topic_arn, "arn:aws:sns:eu-west-1:1:t");
	assert_null(r0->actions[0].bucket);
	assert_int_equal(r0->actions[1].kind, SES_ACTION_STOP);
	assert_string_equal(r0->actions[1].scope, "RuleSet");
	assert_string_equal(r1->name, "support-to-s3");
	assert_false(r1->enabled);
	assert_true(r1->scan_enabled);
	assert_null(r1->tls_policy);
	assert_int_equal(r1->n_recipients, 0);
	assert_int_equal(r1->actions[0].kind, SES_ACTION_S3);
	assert_string_equal(r1->actions[0].bucket, "mail-in");
	assert_string_equal(r1->actions[0].prefix, "support/");
	assert_string_equal(r1->actions[0].kms_key_arn, "arn:aws:kms:k");
	assert_string_equal(r1->actions[0].iam_role_arn, "arn:aws:iam::1:role/r");
	ses_rule_sets_free(out, n);

	/* replace with one set: the other and its rules are gone (cascade) */
	assert_int_equal(cache_put_rule_sets_replace(c, ACCT, REGION, in, 1, 78, &err), SC_OK);
	assert_int_equal(cache_get_rule_sets(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "main");
	ses_rule_sets_free(out, n);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM receipt_rules"), 2);
	assert_int_equal(cache_get_rule_sets(c, ACCT, "us-west-2", &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	for (int i = 0; i < 2; i++)
		ses_rule_set_free(&in[i]);
}

/* The suppression list in pages: invisible until done, swapped in at once; a failed listing
 * leaves the previous list; rows a killed process staged are cleared by the next listing. */
static void test_suppression_staged(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_suppressed old[1] = {{"old@x.example", "BOUNCE", 1, NULL, NULL}};
	struct ses_suppressed p1[2] = {{"a@x.example", "BOUNCE", 2, NULL, NULL},
				       {"b@x.example", "COMPLAINT", 3, NULL, NULL}};
	struct ses_suppressed p2[1] = {{"c@x.example", "BOUNCE", 4, NULL, NULL}};
	struct ses_suppressed *out;
	time_t fetched;
	size_t n;
	struct sc_error err;

	assert_int_equal(cache_put_suppressed_replace(c, ACCT, REGION, old, 1, 9, &err), SC_OK);
	/* a process that was killed mid-listing (pid 0x7ffffffe is never alive) */
	raw_exec(f->path, "INSERT INTO suppressed(account_id, region, email) VALUES ('" ACCT
			  "', '" REGION "#staging-2147483646', 'ghost@x.example')");
	assert_int_equal(cache_stage_suppressed(c, ACCT, REGION, p1, 2, true, &err), SC_OK);
	assert_int_equal(cache_stage_suppressed(c, ACCT, REGION, p2, 1, false, &err), SC_OK);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM suppressed WHERE email ="
					  " 'ghost@x.example'"),
			 0);
	/* readers still see the previous list */
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	cache_suppressed_free(out, n);
	assert_int_equal(cache_stage_suppressed_done(c, ACCT, REGION, true, 50, &err), SC_OK);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].email, "a@x.example");
	assert_string_equal(out[2].email, "c@x.example");
	cache_suppressed_free(out, n);
	assert_int_equal(cache_kind_age(c, ACCT, REGION, CACHE_KIND_SUPPRESSION, &fetched, NULL,
					&err),
			 SC_OK);
	assert_int_equal(fetched, 50);
	/* a listing that fails half way: its pages go, the list stays */
	assert_int_equal(cache_stage_suppressed(c, ACCT, REGION, p2, 1, true, &err), SC_OK);
	assert_int_equal(cache_stage_suppressed_done(c, ACCT, REGION, false, 0, &err), SC_OK);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	cache_suppressed_free(out, n);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM suppressed"), 3);
}

static void test_filters_and_config_sets(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_receipt_filter fin[2] = {
		{"block-bad", "Block", "10.0.0.0/8"},
		{"allow-office", "Allow", "192.0.2.1"},
	};
	struct ses_receipt_filter *fout;
	struct ses_config_set cin[2], *cout;
	char *reasons[] = {"BOUNCE", "COMPLAINT"};
	size_t n;
	struct sc_error err;

	assert_int_equal(cache_put_filters_replace(c, ACCT, REGION, fin, 2, 1, &err), SC_OK);
	assert_int_equal(cache_get_filters(c, ACCT, REGION, &fout, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(fout[0].name, "allow-office");
	assert_string_equal(fout[0].policy, "Allow");
	assert_string_equal(fout[0].cidr, "192.0.2.1");
	assert_string_equal(fout[1].cidr, "10.0.0.0/8");
	cache_filters_free(fout, n);
	assert_int_equal(cache_put_filters_replace(c, ACCT, REGION, fin, 1, 2, &err), SC_OK);
	assert_int_equal(cache_get_filters(c, ACCT, REGION, &fout, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	cache_filters_free(fout, n);
	assert_int_equal(cache_get_filters(c, ACCT, "us-east-1", &fout, &n, &err), SC_OK);
	assert_int_equal(n, 0);

	memset(cin, 0, sizeof(cin));
	cin[0].name = "transactional";
	cin[0].sending_enabled = true;
	cin[0].reputation_metrics_enabled = true;
	cin[0].tls_policy = "REQUIRE";
	cin[0].sending_pool = "pool-1";
	cin[0].suppressed_reasons = reasons;
	cin[0].n_suppressed_reasons = 2;
	cin[0].last_fresh_start = 1700000001;
	cin[0].fetched = 1760000000;
	cin[1].name = "marketing";
	assert_int_equal(cache_put_config_sets_replace(c, ACCT, REGION, cin, 2, 3, &err), SC_OK);
	assert_int_equal(cache_get_config_sets(c, ACCT, REGION, &cout, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(cout[0].name, "marketing");
	assert_false(cout[0].sending_enabled);
	assert_null(cout[0].tls_policy);
	assert_int_equal(cout[0].n_suppressed_reasons, 0);
	assert_string_equal(cout[1].name, "transactional");
	assert_true(cout[1].sending_enabled);
	assert_true(cout[1].reputation_metrics_enabled);
	assert_string_equal(cout[1].tls_policy, "REQUIRE");
	assert_string_equal(cout[1].sending_pool, "pool-1");
	assert_int_equal(cout[1].n_suppressed_reasons, 2);
	assert_string_equal(cout[1].suppressed_reasons[1], "COMPLAINT");
	assert_int_equal(cout[1].last_fresh_start, 1700000001);
	assert_int_equal(cout[1].fetched, 1760000000);
	cache_config_sets_free(cout, n);
	cin[1].sending_enabled = true;
	assert_int_equal(cache_put_config_set(c, ACCT, REGION, &cin[1], &err), SC_OK);
	assert_int_equal(cache_put_config_sets_replace(c, ACCT, REGION, &cin[1], 1, 4, &err),
			 SC_OK);
	assert_int_equal(cache_get_config_sets(c, ACCT, REGION, &cout, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_true(cout[0].sending_enabled);
	cache_config_sets_free(cout, n);
}

/* Every field of a configuration set and its destinations survives the cache. */
static void test_config_set_round_trip(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct sc_error err;
	char *reasons[] = {"BOUNCE"}, *unknown[] = {"FUTURE_EVENT"};
	struct ses_cw_dimension dims[] = {{"ses:configuration-set", "MESSAGE_TAG", "none"},
					  {"campaign", "EMAIL_HEADER", "x@y.example"}};
	struct ses_event_dest dests[] = {
		{.name = "sns", .enabled = true,
		 .events = SES_EVENT_BIT(SES_EVENT_BOUNCE) | SES_EVENT_BIT(SES_EVENT_COMPLAINT),
		 .kind = SES_DEST_SNS, .arn = "arn:aws:sns:eu-west-1:123456789012:t"},
		{.name = "cw", .enabled = false, .events = SES_EVENT_BIT(SES_EVENT_SUBSCRIPTION),
		 .unknown_events = unknown, .n_unknown_events = 1, .kind = SES_DEST_CLOUDWATCH,
		 .dims = dims, .n_dims = 2},
		{.name = "fh", .enabled = true, .events = SES_EVENT_BIT(SES_EVENT_SEND),
		 .kind = SES_DEST_FIREHOSE, .arn = "arn:aws:firehose:eu-west-1:123456789012:deliverystream/s",
		 .role_arn = "arn:aws:iam::123456789012:role/r"},
	};
	struct ses_tag tags[] = {{"team", "mail"}, {"empty", ""}};
	struct ses_config_set in = {
		.name = "marketing", .sending_enabled = false, .reputation_metrics_enabled = true,
		.tls_policy = "REQUIRE", .sending_pool = "pool-1", .max_delivery_seconds = 3600,
		.suppressed_reasons = reasons, .n_suppressed_reasons = 1, .suppression_set = true,
		.validation_enabled = "ENABLED", .validation_threshold = "HIGH",
		.tracking_domain = "click.example.com", .https_policy = "REQUIRE_OPEN_ONLY",
		.vdm_engagement = "ENABLED", .vdm_optimized_delivery = "DISABLED",
		.archive_arn = "arn:aws:ses:eu-west-1:123456789012:mailmanager-archive/a-abc",
		.tags = tags, .n_tags = 2, .last_fresh_start = 1700000000, .dests = dests,
		.n_dests = 3, .dests_known = true, .fetched = 5};
	struct ses_config_set *out;
	size_t n;

	assert_int_equal(cache_put_config_set(c, ACCT, REGION, &in, &err), SC_OK);
	assert_int_equal(cache_get_config_sets(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out->name, "marketing");
	assert_false(out->sending_enabled);
	assert_true(out->reputation_metrics_enabled);
	assert_string_equal(out->tls_policy, "REQUIRE");
	assert_string_equal(out->sending_pool, "pool-1");
	assert_int_equal(out->max_delivery_seconds, 3600);
	assert_int_equal(out->n_suppressed_reasons, 1);
	assert_true(out->suppression_set);
	assert_string_equal(out->validation_enabled, "ENABLED");
	assert_string_equal(out->validation_threshold, "HIGH");
	assert_string_equal(out->tracking_domain, "click.example.com");
	assert_string_equal(out->https_policy, "REQUIRE_OPEN_ONLY");
	assert_string_equal(out->vdm_engagement, "ENABLED");
	assert_string_equal(out->vdm_optimized_delivery, "DISABLED");
	assert_string_equal(out->archive_arn, in.archive_arn);
	assert_int_equal(out->n_tags, 2);
	assert_string_equal(out->tags[1].key, "empty");
	assert_string_equal(out->tags[1].value, "");
	assert_int_equal(out->last_fresh_start, 1700000000);
	assert_true(out->dests_known);
	assert_int_equal(out->n_dests, 3);
	for (size_t i = 0; i < 3; i++) {
		assert_string_equal(out->dests[i].name, dests[i].name);
		assert_int_equal(out->dests[i].enabled, dests[i].enabled);
		assert_int_equal(out->dests[i].events, dests[i].events);
		assert_int_equal(out->dests[i].kind, dests[i].kind);
		assert_str_eq_opt(out->dests[i].arn, dests[i].arn);
		assert_str_eq_opt(out->dests[i].role_arn, dests[i].role_arn);
	}
	assert_string_equal(out->dests[1].unknown_events[0], "FUTURE_EVENT");
	assert_int_equal(out->dests[1].n_dims, 2);
	assert_string_equal(out->dests[1].dims[1].default_value, "x@y.example");
	assert_true(ses_config_set_receives(out, SES_EVENT_BOUNCE));
	assert_false(ses_config_set_receives(out, SES_EVENT_SUBSCRIPTION)); /* disabled */
	cache_config_sets_free(out, n);
	assert_int_equal(cache_delete_config_set(c, ACCT, REGION, "marketing", &err), SC_OK);
	assert_int_equal(cache_get_config_sets(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	cache_config_sets_free(out, n);
}

static void test_suppression(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_suppressed in[3] = {
		{"Bob@Example.com", "BOUNCE", 1700000000, "m-1", "f-1"},
		{"alice@example.org", "COMPLAINT", 1700000001, NULL, NULL},
		{"carol@example.com", "BOUNCE", 1700000002, NULL, NULL},
	};
	struct ses_suppressed *out, one = {"dave@x.example", "BOUNCE", 5, NULL, NULL};
	size_t n;
	struct sc_error err;

	sqlite3_stmt *q;

	/* suppressed addresses are personal data: deleted pages are overwritten */
	assert_int_equal(sqlite3_prepare_v2(cache_db(c), "PRAGMA secure_delete", -1, &q, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(q), SQLITE_ROW);
	assert_int_equal(sqlite3_column_int(q, 0), 1);
	sqlite3_finalize(q);
	assert_int_equal(cache_put_suppressed_replace(c, ACCT, REGION, in, 3, 9, &err), SC_OK);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].email, "Bob@Example.com");
	assert_string_equal(out[0].reason, "BOUNCE");
	assert_int_equal(out[0].last_update, 1700000000);
	assert_string_equal(out[0].message_id, "m-1");
	assert_string_equal(out[0].feedback_id, "f-1");
	assert_null(out[1].message_id);
	cache_suppressed_free(out, n);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, "BOUNCE", "", &out, &n, &err),
			 SC_OK);
	assert_int_equal(n, 2);
	cache_suppressed_free(out, n);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, "BOUNCE", "EXAMPLE.COM", &out, &n,
					      &err),
			 SC_OK);
	assert_int_equal(n, 2);
	cache_suppressed_free(out, n);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, "ali", &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].email, "alice@example.org");
	cache_suppressed_free(out, n);
	/* a LIKE wildcard is a plain character here */
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, "%", &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);

	assert_int_equal(cache_put_suppressed(c, ACCT, REGION, &one, &err), SC_OK);
	assert_int_equal(cache_delete_suppressed(c, ACCT, REGION, "alice@example.org", &err), SC_OK);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(out[2].email, "dave@x.example");
	cache_suppressed_free(out, n);
	assert_int_equal(cache_put_suppressed_replace(c, ACCT, REGION, in, 1, 10, &err), SC_OK);
	assert_int_equal(cache_get_suppressed(c, ACCT, REGION, NULL, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	cache_suppressed_free(out, n);
	assert_int_equal(cache_get_suppressed(c, ACCT, "us-east-1", NULL, NULL, &out, &n, &err),
			 SC_OK);
	assert_int_equal(n, 0);
}

static void test_account_state(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	char *reasons[] = {"BOUNCE"};
	struct ses_account in = {0}, out;
	struct sc_error err;
	time_t age;

	in.account_id = "ignored";
	in.sending_enabled = false;
	in.production_access = true;
	in.dedicated_ip_auto_warmup = true;
	in.enforcement_status = "PROBATION";
	in.max_24h_send = -1;
	in.max_send_rate = 14.5;
	in.sent_last_24h = 1234;
	in.suppressed_reasons = reasons;
	in.n_suppressed_reasons = 1;
	in.mail_type = "TRANSACTIONAL";
	in.website_url = "https://shop.example";
	in.contact_language = "EN";
	in.use_case_description = "receipts \u00e9t\u00e9";
	in.review_status = "GRANTED";
	in.review_case_id = "case-1";
	in.vdm_enabled = true;
	in.fetched = 1760000000;
	assert_int_equal(cache_get_account(c, ACCT, REGION, &out, &err), SC_NOT_FOUND);
	assert_int_equal(cache_put_account(c, ACCT, REGION, &in, &err), SC_OK);
	assert_int_equal(cache_get_account(c, ACCT, REGION, &out, &err), SC_OK);
	assert_string_equal(out.account_id, ACCT);
	assert_string_equal(out.region, REGION);
	assert_false(out.sending_enabled);
	assert_true(out.production_access);
	assert_true(out.dedicated_ip_auto_warmup);
	assert_string_equal(out.enforcement_status, "PROBATION");
	assert_true(out.max_24h_send == -1);
	assert_true(out.max_send_rate == 14.5);
	assert_true(out.sent_last_24h == 1234);
	assert_int_equal(out.n_suppressed_reasons, 1);
	assert_string_equal(out.suppressed_reasons[0], "BOUNCE");
	assert_string_equal(out.mail_type, "TRANSACTIONAL");
	assert_string_equal(out.website_url, "https://shop.example");
	assert_string_equal(out.contact_language, "EN");
	assert_string_equal(out.use_case_description, "receipts \u00e9t\u00e9");
	assert_string_equal(out.review_status, "GRANTED");
	assert_string_equal(out.review_case_id, "case-1");
	assert_true(out.vdm_enabled);
	assert_int_equal(out.fetched, 1760000000);
	ses_account_free(&out);
	assert_int_equal(cache_get_account(c, ACCT, "us-east-1", &out, &err), SC_NOT_FOUND);
	assert_non_null(strstr(err.message, "not in the cache"));
	assert_int_equal(cache_kind_age(c, ACCT, REGION, CACHE_KIND_ACCOUNT, &age, NULL, &err),
			 SC_OK);
	assert_int_equal(age, 1760000000);
}

static void test_points_keep_history(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_send_point p1[3] = {
		{1000, 10, 1, 0, 0}, {1900, 20, 2, 1, 0}, {2800, 30, 3, 0, 1}};
	struct ses_send_point p2[2] = {{2800, 31, 4, 0, 1}, {3700, 40, 0, 0, 0}};
	struct ses_send_point *out;
	struct ses_metric_point m[3] = {{1000, 0.01}, {2000, 0.02}, {3000, 0.051}}, *mo;
	size_t n;
	struct sc_error err;

	assert_int_equal(cache_put_send_points(c, ACCT, REGION, p1, 3, 1, &err), SC_OK);
	/* a later fetch only covers the last two weeks: older points stay, overlaps update */
	assert_int_equal(cache_put_send_points(c, ACCT, REGION, p2, 2, 2, &err), SC_OK);
	assert_int_equal(cache_get_send_points(c, ACCT, REGION, 0, 10000, &out, &n, &err), SC_OK);
	assert_int_equal(n, 4);
	assert_int_equal(out[0].ts, 1000);
	assert_int_equal(out[0].delivery_attempts, 10);
	assert_int_equal(out[1].complaints, 1);
	assert_int_equal(out[2].ts, 2800);
	assert_int_equal(out[2].delivery_attempts, 31);
	assert_int_equal(out[2].bounces, 4);
	assert_int_equal(out[2].rejects, 1);
	assert_int_equal(out[3].ts, 3700);
	free(out);
	assert_int_equal(cache_get_send_points(c, ACCT, REGION, 1900, 2800, &out, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	free(out);
	assert_int_equal(cache_get_send_points(c, ACCT, "us-east-1", 0, 10000, &out, &n, &err),
			 SC_OK);
	assert_int_equal(n, 0);

	assert_int_equal(cache_put_metric_points(c, ACCT, REGION, "Reputation.BounceRate", m, 3, 5,
						 &err),
			 SC_OK);
	assert_int_equal(cache_put_metric_points(c, ACCT, REGION, "Reputation.ComplaintRate", m, 1,
						 5, &err),
			 SC_OK);
	m[2].value = 0.06;
	assert_int_equal(cache_put_metric_points(c, ACCT, REGION, "Reputation.BounceRate", &m[2], 1,
						 6, &err),
			 SC_OK);
	assert_int_equal(cache_get_metric_points(c, ACCT, REGION, "Reputation.BounceRate", 0, 5000,
						 &mo, &n, &err),
			 SC_OK);
	assert_int_equal(n, 3);
	assert_true(mo[0].value == 0.01);
	assert_int_equal(mo[2].ts, 3000);
	assert_true(mo[2].value == 0.06);
	free(mo);
	assert_int_equal(cache_get_metric_points(c, ACCT, REGION, "Reputation.ComplaintRate", 0,
						 5000, &mo, &n, &err),
			 SC_OK);
	assert_int_equal(n, 1);
	free(mo);
	assert_int_equal(cache_put_metric_points(c, ACCT, REGION, "", m, 1, 5, &err), SC_USAGE);
}

static void test_mm_items(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_mm_item in[3] = {
		{"rule-set", "rs-1", "inbound", NULL, NULL, 100},
		{"ingress-point", "ip-1", "edge", "ACTIVE", "abc.mail-manager.example", 200},
		{"ingress-point", "ip-2", "backup", "PROVISIONING", NULL, 300},
	};
	struct ses_mm_item *out;
	size_t n;
	struct sc_error err;

	assert_int_equal(cache_put_mm_items_replace(c, ACCT, REGION, NULL, in, 3, 1, &err), SC_OK);
	assert_int_equal(cache_get_mm_items(c, ACCT, REGION, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(out[0].kind, "ingress-point");
	assert_string_equal(out[0].name, "backup");
	assert_string_equal(out[1].status, "ACTIVE");
	assert_string_equal(out[1].detail, "abc.mail-manager.example");
	assert_int_equal(out[1].modified, 200);
	assert_string_equal(out[2].kind, "rule-set");
	assert_null(out[2].status);
	cache_mm_items_free(out, n);
	/* replacing one kind leaves the others */
	assert_int_equal(cache_put_mm_items_replace(c, ACCT, REGION, "ingress-point", &in[1], 1, 2,
						    &err),
			 SC_OK);
	assert_int_equal(cache_get_mm_items(c, ACCT, REGION, NULL, &out, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	cache_mm_items_free(out, n);
	assert_int_equal(cache_get_mm_items(c, ACCT, REGION, "rule-set", &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	cache_mm_items_free(out, n);
	assert_int_equal(cache_put_mm_items_replace(c, ACCT, REGION, "rule-set", &in[1], 1, 2, &err),
			 SC_USAGE);
}

static void test_sync_accounts_and_calls(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct cache_account_row *rows;
	struct cache_call call = {0}, *calls;
	size_t n;
	time_t age;
	char *last = NULL;
	struct sc_error err;

	assert_int_equal(cache_kind_age(c, ACCT, REGION, CACHE_KIND_IDENTITIES, &age, &last, &err),
			 SC_OK);
	assert_int_equal(age, 0);
	assert_null(last);
	assert_int_equal(cache_put_identities_replace(c, ACCT, REGION, NULL, 0, 4242, &err), SC_OK);
	assert_int_equal(cache_mark_error(c, ACCT, REGION, CACHE_KIND_IDENTITIES, "throttled", &err),
			 SC_OK);
	assert_int_equal(cache_kind_age(c, ACCT, REGION, CACHE_KIND_IDENTITIES, &age, &last, &err),
			 SC_OK);
	assert_int_equal(age, 4242);
	assert_string_equal(last, "throttled");
	free(last);
	assert_int_equal(cache_mark_fetched(c, ACCT, REGION, CACHE_KIND_IDENTITIES, 5000, &err),
			 SC_OK);
	assert_int_equal(cache_kind_age(c, ACCT, REGION, CACHE_KIND_IDENTITIES, &age, &last, &err),
			 SC_OK);
	assert_int_equal(age, 5000);
	assert_null(last);
	assert_int_equal(cache_kind_age(c, ACCT, "us-east-1", CACHE_KIND_IDENTITIES, &age, NULL,
					&err),
			 SC_OK);
	assert_int_equal(age, 0);

	assert_int_equal(cache_note_account(c, ACCT, REGION, "prod", 100, &err), SC_OK);
	assert_int_equal(cache_note_account(c, "210987654321", "us-east-1", "dev", 200, &err), SC_OK);
	assert_int_equal(cache_note_account(c, ACCT, REGION, "prod-admin", 300, &err), SC_OK);
	assert_int_equal(cache_accounts(c, &rows, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(rows[0].account_id, ACCT);
	assert_string_equal(rows[0].profile, "prod-admin");
	assert_int_equal(rows[0].last_used, 300);
	assert_string_equal(rows[1].region, "us-east-1");
	cache_accounts_free(rows, n);

	call.operation = "ListEmailIdentities";
	call.service = "sesv2";
	call.region = REGION;
	call.http_status = 200;
	call.status = "OK";
	call.request_id = "req-1";
	call.latency_ms = 87;
	call.time = 1000;
	assert_int_equal(cache_log_call(c, &call, &err), SC_OK);
	call.operation = "GetAccount";
	call.http_status = 429;
	call.status = "THROTTLED";
	call.error_code = "TooManyRequestsException";
	call.retries = 2;
	call.time = 0;
	assert_int_equal(cache_log_call(c, &call, &err), SC_OK);
	assert_int_equal(cache_get_calls(c, 10, &calls, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(calls[0].operation, "GetAccount");
	assert_int_equal(calls[0].http_status, 429);
	assert_string_equal(calls[0].status, "THROTTLED");
	assert_string_equal(calls[0].error_code, "TooManyRequestsException");
	assert_int_equal(calls[0].retries, 2);
	assert_true(calls[0].time > 1000);
	assert_string_equal(calls[1].operation, "ListEmailIdentities");
	assert_string_equal(calls[1].service, "sesv2");
	assert_string_equal(calls[1].region, REGION);
	assert_null(calls[1].error_code);
	assert_string_equal(calls[1].request_id, "req-1");
	assert_int_equal(calls[1].latency_ms, 87);
	assert_int_equal(calls[1].time, 1000);
	cache_calls_free(calls, n);
	assert_int_equal(cache_get_calls(c, 1, &calls, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	cache_calls_free(calls, n);
}

static void test_call_log_trimmed(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct cache_call call = {.operation = "GetAccount", .status = "OK", .time = 1};
	struct cache_call *calls;
	size_t n;

	assert_int_equal(cache_begin(c, NULL), SC_OK);
	for (int i = 0; i < CACHE_CALLS_KEEP + 300; i++)
		assert_int_equal(cache_log_call(c, &call, NULL), SC_OK);
	assert_int_equal(cache_commit(c, NULL), SC_OK);
	assert_int_equal(cache_get_calls(c, 0, &calls, &n, NULL), SC_OK);
	assert_true(n <= CACHE_CALLS_KEEP + 100);
	assert_true(n >= CACHE_CALLS_KEEP);
	cache_calls_free(calls, n);
}

static void test_batches(void **state)
{
	struct fx *f = *state;
	struct cache *c = open_ok(f);
	struct ses_identity x;
	struct ses_identity *out;
	size_t n;
	struct sc_error err;

	make_identity(&x, "rolled.example", 0);
	assert_int_equal(cache_begin(c, &err), SC_OK);
	assert_true(cache_in_batch(c));
	assert_int_equal(cache_begin(c, &err), SC_USAGE);
	assert_int_equal(cache_put_identity(c, ACCT, REGION, &x, &err), SC_OK);
	cache_rollback(c);
	assert_false(cache_in_batch(c));
	assert_int_equal(cache_get_identities(c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 0);
	assert_int_equal(cache_commit(c, &err), SC_USAGE);

	assert_int_equal(cache_begin(c, &err), SC_OK);
	assert_int_equal(cache_put_identity(c, ACCT, REGION, &x, &err), SC_OK);
	assert_int_equal(cache_note_account(c, ACCT, REGION, "p", 1, &err), SC_OK);
	/* not visible to another connection before commit */
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM identities"), 0);
	assert_int_equal(cache_commit(c, &err), SC_OK);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM identities"), 1);
	ses_identity_free(&x);
}

/* ---------------------------------------------------------------- migrations and damage */

static void test_open_empty_file(void **state)
{
	struct fx *f = *state;

	write_file(f->path, "", 0);
	open_ok(f);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), cache_schema_version());
	assert_int_equal(count_prefixed(f->dir, "c.sqlite3.corrupt"), 0);
}

static void test_migrate_from_v1(void **state)
{
	struct fx *f = *state;
	struct buf sql = BUF_INIT;
	struct ses_identity *out;
	struct cache_call call = {.operation = "GetAccount", .status = "OK"};
	size_t n;

	assert_true(cache_schema_version() >= 2);
	assert_null(cache_migration_sql(0));
	assert_null(cache_migration_sql(cache_schema_version() + 1));
	buf_printf(&sql, "%s PRAGMA application_id=%d; PRAGMA user_version=1;"
			 "INSERT INTO identities(account_id, region, name, type, fetched)"
			 " VALUES ('%s', '%s', 'old.example', 'DOMAIN', 7);",
		   cache_migration_sql(1), CACHE_APPLICATION_ID, ACCT, REGION);
	write_file(f->path, "", 0);
	raw_exec(f->path, sql.data);
	buf_free(&sql);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), 1);
	open_ok(f);
	assert_int_equal(raw_int(f->path, "PRAGMA user_version"), cache_schema_version());
	assert_int_equal(cache_get_identities(f->c, ACCT, REGION, &out, &n, NULL), SC_OK);
	assert_int_equal(n, 1);
	assert_string_equal(out[0].name, "old.example");
	assert_string_equal(out[0].type, "DOMAIN");
	assert_int_equal(out[0].fetched, 7);
	ses_identities_free(out, n);
	assert_int_equal(cache_log_call(f->c, &call, NULL), SC_OK);
	assert_int_equal(count_prefixed(f->dir, "c.sqlite3.corrupt"), 0);
}

/* Open a damaged file: it must be moved aside with a warning and a working cache built. */
static void expect_rebuilt(struct fx *f, const char *why)
{
	struct sc_error err;
	char *warning = NULL;
	struct ses_identity x, *out;
	size_t n;

	sc_error_clear(&err);
	if (cache_open(f->path, &f->c, &warning, &err) != SC_OK)
		fail_msg("cache_open: %s", err.message);
	assert_non_null(warning);
	assert_non_null(strstr(warning, ".corrupt-"));
	assert_non_null(strstr(warning, why));
	free(warning);
	assert_int_equal(count_prefixed(f->dir, "c.sqlite3.corrupt-"), 1);
	make_identity(&x, "fresh.example", 0);
	assert_int_equal(cache_put_identity(f->c, ACCT, REGION, &x, &err), SC_OK);
	ses_identity_free(&x);
	assert_int_equal(cache_get_identities(f->c, ACCT, REGION, &out, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	ses_identities_free(out, n);
	reopen(f); /* and the rebuilt file opens cleanly */
}

static void test_random_bytes_rebuilt(void **state)
{
	struct fx *f = *state;
	unsigned char junk[8192];
	unsigned seed = 42;

	for (size_t i = 0; i < sizeof(junk); i++)
		junk[i] = (unsigned char)rand_r(&seed);
	write_file(f->path, junk, sizeof(junk));
	expect_rebuilt(f, "not a database");
}

static void fill_some(struct fx *f, int count)
{
	struct ses_identity *v = xcalloc((size_t)count, sizeof(*v));
	char name[32];

	open_ok(f);
	for (int i = 0; i < count; i++) {
		snprintf(name, sizeof(name), "d%04d.example", i);
		make_identity(&v[i], name, i % 3);
	}
	assert_int_equal(cache_put_identities_replace(f->c, ACCT, REGION, v, (size_t)count, 1, NULL),
			 SC_OK);
	ses_identities_free(v, (size_t)count);
	cache_close(f->c); /* last connection: checkpoints the WAL into the file */
	f->c = NULL;
}

static void test_truncated_db_rebuilt(void **state)
{
	struct fx *f = *state;
	struct stat st;

	fill_some(f, 400);
	assert_int_equal(stat(f->path, &st), 0);
	assert_true(st.st_size > 64 * 1024);
	assert_int_equal(truncate(f->path, st.st_size / 2), 0);
	expect_rebuilt(f, "unusable");
}

/* Garbage over a page in the middle of the file, its size kept: only the integrity check
 * sees it. keep_time: the file's modification time put back as it was. */
static void damage_a_page(const char *path, bool keep_time)
{
	struct stat st;
	unsigned char junk[4096];
	int fd = open(path, O_WRONLY);

	assert_true(fd >= 0);
	assert_int_equal(fstat(fd, &st), 0);
	memset(junk, 0x5a, sizeof(junk));
	assert_int_equal(pwrite(fd, junk, sizeof(junk), (st.st_size / 2 / 4096) * 4096),
			 (ssize_t)sizeof(junk));
	if (keep_time) {
		struct timespec t[2] = {st.st_atim, st.st_mtim};

		assert_int_equal(futimens(fd, t), 0);
	}
	close(fd);
}

/* The integrity check reads the whole file (0.5 s at 900,000 identities), so an open runs
 * it only when the file may not be as sesctl left it. Left cleanly and unchanged: no
 * check (a page damaged behind the file's back with its time put back goes unseen at
 * open). Changed since the clean close: checked, rebuilt. A process that had it open was
 * killed: checked, rebuilt. */
static void test_check_only_when_the_file_may_be_damaged(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	char *warning = NULL;
	int status, p[2];
	pid_t pid;
	char c;

	fill_some(f, 400);
	damage_a_page(f->path, true);
	assert_int_equal(cache_open(f->path, &f->c, &warning, &err), SC_OK);
	assert_null(warning); /* as left, to all appearances: not checked */
	cache_close(f->c);
	f->c = NULL;

	damage_a_page(f->path, false); /* changed since: checked */
	expect_rebuilt(f, "integrity check failed");
	cache_close(f->c);
	f->c = NULL;
	unlink_prefixed(f->dir, "c.sqlite3.corrupt-");

	fill_some(f, 400);
	assert_int_equal(pipe(p), 0);
	pid = fork();
	assert_true(pid >= 0);
	if (pid == 0) { /* opens, and is killed before it closes */
		struct cache *mine = NULL;

		if (cache_open(f->path, &mine, NULL, &err) != SC_OK || write(p[1], "x", 1) != 1)
			_exit(1);
		pause();
		_exit(0);
	}
	assert_int_equal(read(p[0], &c, 1), 1);
	kill(pid, SIGKILL);
	waitpid(pid, &status, 0);
	close(p[0]);
	close(p[1]);
	damage_a_page(f->path, true); /* even with its time put back */
	expect_rebuilt(f, "integrity check failed");
}

static void test_newer_version_rebuilt(void **state)
{
	struct fx *f = *state;
	char sql[64];

	fill_some(f, 2);
	snprintf(sql, sizeof(sql), "PRAGMA user_version=%d", cache_schema_version() + 1);
	raw_exec(f->path, sql);
	expect_rebuilt(f, "newer sesctl");
}

static void test_foreign_db_rebuilt(void **state)
{
	struct fx *f = *state;

	raw_exec(f->path, "CREATE TABLE notes(x); INSERT INTO notes VALUES (1);");
	expect_rebuilt(f, "not a sesctl cache");
}

/* ---------------------------------------------------------------- two processes */

/* Two processes meet the same damaged file: one moves it aside, both end up on the one
 * rebuilt file. */
static void test_two_processes_one_rebuild(void **state)
{
	struct fx *f = *state;
	pid_t pid[2];
	int status;

	char junk[200];

	memset(junk, 'x', sizeof(junk));
	write_file(f->path, junk, sizeof(junk));
	for (int w = 0; w < 2; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0) {
			struct cache *c = NULL;
			struct cache_call call = {.operation = "GetAccount", .status = "OK"};
			int rc = cache_open(f->path, &c, NULL, NULL) != SC_OK ||
				 cache_log_call(c, &call, NULL) != SC_OK;
			cache_close(c);
			_exit(rc);
		}
	}
	for (int w = 0; w < 2; w++) {
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status) && WEXITSTATUS(status) == 0);
	}
	assert_int_equal(count_prefixed(f->dir, "c.sqlite3.corrupt-"), 1);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM api_calls"), 2);
}

static int writer(const char *path, int who, int rounds)
{
	struct cache *c = NULL;
	struct sc_error err;
	struct ses_send_point p = {0};
	struct ses_identity x, *out;
	size_t n;
	char name[32];
	char *warning = NULL;

	if (cache_open(path, &c, &warning, &err) != SC_OK) {
		fprintf(stderr, "writer %d: %s\n", who, err.message);
		return 1;
	}
	if (warning) { /* a file being created by the other writer is not damaged */
		fprintf(stderr, "writer %d: %s\n", who, warning);
		free(warning);
		cache_close(c);
		return 1;
	}
	for (int i = 0; i < rounds; i++) {
		p.ts = (time_t)(who * 100000 + i);
		p.delivery_attempts = i;
		snprintf(name, sizeof(name), "w%d-%d.example", who, i);
		make_identity(&x, name, i % 3);
		if (cache_begin(c, &err) != SC_OK ||
		    cache_put_send_points(c, ACCT, REGION, &p, 1, 1, &err) != SC_OK ||
		    cache_put_identity(c, ACCT, REGION, &x, &err) != SC_OK ||
		    cache_commit(c, &err) != SC_OK ||
		    cache_get_identities(c, ACCT, REGION, &out, &n, &err) != SC_OK) {
			fprintf(stderr, "writer %d round %d: %s\n", who, i, err.message);
			ses_identity_free(&x);
			cache_close(c);
			return 1;
		}
		ses_identities_free(out, n);
		ses_identity_free(&x);
	}
	cache_close(c);
	return 0;
}

static void test_two_processes(void **state)
{
	struct fx *f = *state;
	enum { ROUNDS = 150, PROCS = 2 };
	pid_t pid[PROCS];
	int status;

	/* both start on a file that does not exist yet: creation and migration race too */
	for (int w = 0; w < PROCS; w++) {
		pid[w] = fork();
		assert_true(pid[w] >= 0);
		if (pid[w] == 0)
			_exit(writer(f->path, w + 1, ROUNDS));
	}
	for (int w = 0; w < PROCS; w++) {
		assert_int_equal(waitpid(pid[w], &status, 0), pid[w]);
		assert_true(WIFEXITED(status));
		assert_int_equal(WEXITSTATUS(status), 0);
	}
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM send_points"), PROCS * ROUNDS);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM identities"), PROCS * ROUNDS);
	assert_int_equal(raw_int(f->path, "SELECT count(*) FROM pragma_integrity_check"
					  " WHERE integrity_check = 'ok'"),
			 1);
	assert_int_equal(count_prefixed(f->dir, "c.sqlite3.corrupt"), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_model_sizes_known),
		cmocka_unit_test_setup_teardown(test_default_path_modes, setup, teardown),
		cmocka_unit_test_setup_teardown(test_relative_xdg_ignored, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_dir_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_owner_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_loose_modes_tightened, setup, teardown),
		cmocka_unit_test_setup_teardown(test_symlinked_file_refused, setup, teardown),
		cmocka_unit_test_setup_teardown(test_explicit_dir_created, setup, teardown),
		cmocka_unit_test_setup_teardown(test_identities_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_rule_sets_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_filters_and_config_sets, setup, teardown),
		cmocka_unit_test_setup_teardown(test_config_set_round_trip, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppression, setup, teardown),
		cmocka_unit_test_setup_teardown(test_suppression_staged, setup, teardown),
		cmocka_unit_test_setup_teardown(test_account_state, setup, teardown),
		cmocka_unit_test_setup_teardown(test_points_keep_history, setup, teardown),
		cmocka_unit_test_setup_teardown(test_mm_items, setup, teardown),
		cmocka_unit_test_setup_teardown(test_sync_accounts_and_calls, setup, teardown),
		cmocka_unit_test_setup_teardown(test_call_log_trimmed, setup, teardown),
		cmocka_unit_test_setup_teardown(test_batches, setup, teardown),
		cmocka_unit_test_setup_teardown(test_open_empty_file, setup, teardown),
		cmocka_unit_test_setup_teardown(test_migrate_from_v1, setup, teardown),
		cmocka_unit_test_setup_teardown(test_random_bytes_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_truncated_db_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_check_only_when_the_file_may_be_damaged, setup,
						teardown),
		cmocka_unit_test_setup_teardown(test_newer_version_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_foreign_db_rebuilt, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_processes_one_rebuild, setup, teardown),
		cmocka_unit_test_setup_teardown(test_two_processes, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/*
 * Crash safety of the cache: a child writes batches in a loop and is killed with SIGKILL
 * at varied moments (fixed seed). After each kill the file must open without being moved
 * aside, pass PRAGMA integrity_check, hold every batch the child reported as committed,
 * and hold each batch wholly or not at all.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>

#include <errno.h>
#include <ftw.h>
#include <signal.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/store/account.h"
#include "sesctl/store/db.h"
#include "sesctl/store/identities.h"
#include "sesctl/util/buf.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define POINTS 40     /* metric points per batch */
#define IDENTITIES 25 /* identities per batch (replacing the previous set) */
#define ROUNDS 20

static int rm_one(const char *p, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(p);
}

static void write_all(int fd, const void *p, size_t n)
{
	while (n) {
		ssize_t w = write(fd, p, n);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0)
			_exit(3);
		p = (const char *)p + w;
		n -= (size_t)w;
	}
}

/* One batch: a send point at ts = id, metric "b-<id>" with POINTS points, and the whole
 * identity set replaced by generation id. */
static enum sc_status write_batch(struct cache *c, int32_t id, struct sc_error *err)
{
	struct ses_metric_point pts[POINTS];
	struct ses_identity ids[IDENTITIES];
	struct ses_send_point sp = {.ts = id, .delivery_attempts = id};
	char metric[32], names[IDENTITIES][32];
	enum sc_status st;

	snprintf(metric, sizeof(metric), "b-%d", (int)id);
	for (int i = 0; i < POINTS; i++) {
		pts[i].ts = i;
		pts[i].value = id;
	}
	memset(ids, 0, sizeof(ids));
	for (int i = 0; i < IDENTITIES; i++) {
		snprintf(names[i], sizeof(names[i]), "g%d-%d.example", (int)id, i);
		ids[i].name = names[i];
		ids[i].type = "DOMAIN";
		ids[i].fetched = id;
	}
	st = cache_begin(c, err);
	if (st == SC_OK)
		st = cache_put_send_points(c, ACCT, REGION, &sp, 1, id, err);
	if (st == SC_OK)
		st = cache_put_metric_points(c, ACCT, REGION, metric, pts, POINTS, id, err);
	if (st == SC_OK)
		st = cache_put_identities_replace(c, ACCT, REGION, ids, IDENTITIES, id, err);
	if (st == SC_OK)
		return cache_commit(c, err);
	cache_rollback(c);
	return st;
}

/* Runs until killed; reports each committed batch id on fd. */
static void child(const char *path, int round, int fd)
{
	struct cache *c = NULL;
	struct sc_error err;

	if (cache_open(path, &c, NULL, &err) != SC_OK) {
		fprintf(stderr, "child: %s\n", err.message);
		_exit(2);
	}
	for (int32_t i = 0;; i++) {
		int32_t id = round * 100000 + i;
		if (write_batch(c, id, &err) != SC_OK) {
			fprintf(stderr, "child batch %d: %s\n", (int)id, err.message);
			_exit(2);
		}
		write_all(fd, &id, sizeof(id));
	}
}

static int64_t one_int(sqlite3 *db, const char *sql, int64_t bind)
{
	sqlite3_stmt *st;
	int64_t v = -1;

	assert_int_equal(sqlite3_prepare_v2(db, sql, -1, &st, NULL), SQLITE_OK);
	if (bind >= 0)
		sqlite3_bind_int64(st, 1, bind);
	if (sqlite3_step(st) == SQLITE_ROW)
		v = sqlite3_column_int64(st, 0);
	sqlite3_finalize(st);
	return v;
}

static void check_file(const char *path, const int32_t *committed, size_t n_committed)
{
	struct cache *c = NULL;
	struct sc_error err;
	char *warning = NULL;
	sqlite3 *db;
	sqlite3_stmt *st;
	int64_t batches, gen;

	if (cache_open(path, &c, &warning, &err) != SC_OK)
		fail_msg("reopen after kill: %s", err.message);
	if (warning)
		fail_msg("the file was moved aside after a kill: %s", warning);
	db = cache_db(c);
	assert_int_equal(sqlite3_prepare_v2(db, "PRAGMA integrity_check", -1, &st, NULL),
			 SQLITE_OK);
	assert_int_equal(sqlite3_step(st), SQLITE_ROW);
	assert_string_equal((const char *)sqlite3_column_text(st, 0), "ok");
	sqlite3_finalize(st);

	/* every metric batch is whole and has its send point, and vice versa */
	assert_int_equal(one_int(db, "SELECT count(*) FROM (SELECT metric FROM metric_points"
				     " GROUP BY metric HAVING count(*) != 40)", -1),
			 0);
	batches = one_int(db, "SELECT count(DISTINCT metric) FROM metric_points", -1);
	assert_int_equal(one_int(db, "SELECT count(*) FROM send_points", -1), batches);
	assert_int_equal(one_int(db, "SELECT count(*) FROM send_points WHERE"
				     " 'b-' || ts NOT IN (SELECT DISTINCT metric FROM metric_points)",
				 -1),
			 0);
	/* the identity set is exactly one generation: the newest batch */
	if (batches > 0) {
		gen = one_int(db, "SELECT max(ts) FROM send_points", -1);
		assert_int_equal(one_int(db, "SELECT count(*) FROM identities", -1), IDENTITIES);
		assert_int_equal(one_int(db, "SELECT count(*) FROM identities WHERE fetched = ?",
					 gen),
				 IDENTITIES);
	}
	/* nothing the child saw committed is lost */
	for (size_t i = 0; i < n_committed; i++)
		assert_int_equal(one_int(db, "SELECT count(*) FROM send_points WHERE ts = ?",
					 committed[i]),
				 1);
	cache_close(c);
}

static void test_kill_during_batches(void **state)
{
	char dir[] = "/tmp/sesctl-crash-XXXXXX";
	char path[64];
	unsigned seed = 4711;
	struct buf got = BUF_INIT;
	size_t total = 0;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(path, sizeof(path), "%s/c.sqlite3", dir);
	for (int round = 1; round <= ROUNDS; round++) {
		int fds[2], status;
		int32_t first;
		char chunk[4096];
		ssize_t r;
		pid_t pid;

		assert_int_equal(pipe(fds), 0);
		pid = fork();
		assert_true(pid >= 0);
		if (pid == 0) {
			close(fds[0]);
			child(path, round, fds[1]);
		}
		close(fds[1]);
		/* odd rounds may kill while the child is still opening (even creating) the
		 * file; even rounds wait for its first commit */
		if (round % 2 == 0)
			assert_int_equal(read(fds[0], &first, sizeof(first)), sizeof(first));
		usleep((useconds_t)(rand_r(&seed) % 30000));
		assert_int_equal(kill(pid, SIGKILL), 0);
		assert_int_equal(waitpid(pid, &status, 0), pid);
		assert_true(WIFSIGNALED(status)); /* it never stopped on an error */
		buf_reset(&got);
		if (round % 2 == 0)
			buf_append(&got, &first, sizeof(first));
		while ((r = read(fds[0], chunk, sizeof(chunk))) > 0)
			buf_append(&got, chunk, (size_t)r);
		close(fds[0]);
		total += got.len / sizeof(int32_t);
		check_file(path, (const int32_t *)(const void *)got.data, got.len / sizeof(int32_t));
	}
	assert_true(total > 0); /* the kills did land during writing */
	buf_free(&got);
	nftw(dir, rm_one, 16, FTW_DEPTH | FTW_PHYS);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_kill_during_batches),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

#include "sesctl/store/cache.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#ifdef __linux__
#include <sys/vfs.h>
#endif
#include <unistd.h>

#include "sesctl/util/buf.h"

#define BUSY_TIMEOUT_MS 5000

struct cache {
	sqlite3 *db;
	char *path;
	bool batch;
};

/* ================================================================ paths and files */

static bool is_absolute(const char *s)
{
	return s && s[0] == '/';
}

static enum sc_status home_dir(const char **out, struct sc_error *err)
{
	const char *home = getenv("HOME");
	struct passwd *pw;

	if (is_absolute(home)) {
		*out = home;
		return SC_OK;
	}
	pw = getpwuid(getuid());
	if (!pw || !is_absolute(pw->pw_dir))
		return sc_fail(err, SC_IO, "cannot find the home directory for the cache");
	*out = pw->pw_dir;
	return SC_OK;
}

/* $XDG_CACHE_HOME, or ~/.cache; relative values are ignored as the XDG spec says. */
static enum sc_status cache_base(char **out, struct sc_error *err)
{
	const char *xdg = getenv("XDG_CACHE_HOME");
	const char *home = NULL;
	struct buf b = BUF_INIT;

	if (is_absolute(xdg)) {
		*out = xstrdup(xdg);
		return SC_OK;
	}
	if (home_dir(&home, err) != SC_OK)
		return err ? err->status : SC_IO;
	buf_printf(&b, "%s/.cache", home);
	*out = buf_steal(&b);
	return SC_OK;
}

enum sc_status cache_default_path(char **out, struct sc_error *err)
{
	char *base = NULL;
	struct buf b = BUF_INIT;
	enum sc_status st = cache_base(&base, err);

	*out = NULL;
	if (st != SC_OK)
		return st;
	buf_printf(&b, "%s/sesctl/cache.sqlite3", base);
	free(base);
	*out = buf_steal(&b);
	return SC_OK;
}

/* mkdir -p for the XDG base; components we create get 0700. */
static enum sc_status make_parents(const char *dir, struct sc_error *err)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			sc_fail(err, SC_IO, "cannot create directory %s: %s", p, strerror(errno));
			free(p);
			return SC_IO;
		}
		*s = saved;
		if (!saved)
			break;
	}
	free(p);
	return SC_OK;
}

/* Create dir 0700 if missing; refuse a symlink, a non-directory or a foreign owner;
 * tighten a group/world-accessible mode. */
static enum sc_status secure_dir(const char *dir, struct sc_error *err)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sc_fail(err, SC_IO, "cannot create directory %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) != 0)
		return sc_fail(err, SC_IO, "cannot inspect %s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return sc_fail(err, SC_IO, "%s is a symbolic link; refusing to keep the cache there",
			       dir);
	if (!S_ISDIR(st.st_mode))
		return sc_fail(err, SC_IO, "%s is not a directory", dir);
	if (st.st_uid != geteuid())
		return sc_fail(err, SC_IO, "%s belongs to another user (uid %ld); refusing to use it",
			       dir, (long)st.st_uid);
	if (!(st.st_mode & 077))
		return SC_OK;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0700) != 0) {
		sc_fail(err, SC_IO, "cannot make %s private: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return SC_IO;
	}
	close(fd);
	return SC_OK;
}

static char *dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/* For an explicit path: create its last directory 0700 when missing, leave existing ones. */
static enum sc_status prepare_explicit_dir(const char *path, struct sc_error *err)
{
	char *dir = dir_of(path);
	struct stat st;
	enum sc_status rc = SC_OK;

	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			rc = secure_dir(dir, err);
		else
			rc = sc_fail(err, SC_IO, "cannot inspect %s: %s", dir, strerror(errno));
	}
	free(dir);
	return rc;
}

/* An existing file (db, -wal or -shm): a regular file of ours, made 0600. Works by path
 * on purpose: opening and closing a descriptor on a file sqlite has open would drop the
 * process's POSIX locks on it (and let another process reset the shared memory). */
static enum sc_status check_existing(const char *path, bool must_exist, struct sc_error *err)
{
	struct stat st;

	if (lstat(path, &st) != 0) {
		if (errno == ENOENT && !must_exist)
			return SC_OK;
		return sc_fail(err, SC_IO, "cannot inspect %s: %s", path, strerror(errno));
	}
	if (S_ISLNK(st.st_mode))
		return sc_fail(err, SC_IO, "%s is a symbolic link; refusing to open it", path);
	if (!S_ISREG(st.st_mode) || st.st_uid != geteuid())
		return sc_fail(err, SC_IO, "%s is not a regular file of yours; refusing to open it",
			       path);
	if ((st.st_mode & 0777) != 0600 && chmod(path, 0600) != 0)
		return sc_fail(err, SC_IO, "cannot make %s private: %s", path, strerror(errno));
	return SC_OK;
}

static enum sc_status check_sidecars(const char *path, struct sc_error *err)
{
	static const char *const suffix[] = {"-wal", "-shm", "-journal"};
	struct buf b = BUF_INIT;
	enum sc_status rc = SC_OK;

	for (size_t i = 0; i < 3 && rc == SC_OK; i++) {
		buf_reset(&b);
		buf_printf(&b, "%s%s", path, suffix[i]);
		rc = check_existing(b.data, false, err);
	}
	buf_free(&b);
	return rc;
}

/* Pre-create the file 0600 so sqlite never creates it under a loose umask. */
static enum sc_status prepare_file(const char *path, struct sc_error *err)
{
	int fd = open(path, O_RDWR | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);

	if (fd >= 0) {
		if (fchmod(fd, 0600) != 0) {
			close(fd);
			return sc_fail(err, SC_IO, "cannot set the mode of %s: %s", path,
				       strerror(errno));
		}
		close(fd);
		return check_sidecars(path, err);
	}
	if (errno != EEXIST && errno != ELOOP)
		return sc_fail(err, SC_IO, "cannot create %s: %s", path, strerror(errno));
	if (check_existing(path, true, err) != SC_OK)
		return SC_IO;
	return check_sidecars(path, err);
}

static void utc_stamp(char *out, size_t len)
{
	time_t now = time(NULL);
	struct tm tm;

	gmtime_r(&now, &tm);
	strftime(out, len, "%Y%m%dT%H%M%SZ", &tm);
}

/* Rename path (and its -wal/-shm) to path.corrupt-<stamp>[-n]; returns the new name. */
static char *move_aside(const char *path, struct sc_error *err)
{
	static const char *const side[] = {"-wal", "-shm", "-journal"};
	char stamp[32];
	struct buf to = BUF_INIT, a = BUF_INIT, b = BUF_INIT;
	struct stat st;

	utc_stamp(stamp, sizeof(stamp));
	buf_printf(&to, "%s.corrupt-%s", path, stamp);
	for (int n = 2; lstat(to.data, &st) == 0 && n < 1000; n++) {
		buf_reset(&to);
		buf_printf(&to, "%s.corrupt-%s-%d", path, stamp, n);
	}
	if (rename(path, to.data) != 0) {
		sc_fail(err, SC_IO, "cannot move the damaged cache %s aside: %s", path,
			strerror(errno));
		buf_free(&to);
		return NULL;
	}
	for (size_t i = 0; i < 3; i++) {
		buf_reset(&a);
		buf_reset(&b);
		buf_printf(&a, "%s%s", path, side[i]);
		buf_printf(&b, "%s%s", to.data, side[i]);
		if (rename(a.data, b.data) != 0 && errno != ENOENT)
			unlink(a.data); /* a stale -wal must never meet the fresh file */
	}
	buf_free(&a);
	buf_free(&b);
	return buf_steal(&to);
}

/* ================================================================ sqlite plumbing */

enum sc_status cache_db_fail(struct cache *c, struct sc_error *err, const char *what)
{
	return sc_fail(err, SC_IO, "cache %s: %s", what, sqlite3_errmsg(c->db));
}

struct sqlite3 *cache_db(struct cache *c)
{
	return c->db;
}

const char *cache_path(const struct cache *c)
{
	return c->path;
}

static enum sc_status exec_sql(struct cache *c, const char *sql, const char *what,
			       struct sc_error *err)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, what);
	return SC_OK;
}

/* Bind values by a type string: s = const char * (NULL → NULL), I = int64_t, i = int,
 * d = double. */
static int bind_values(sqlite3_stmt *st, const char *types, va_list ap)
{
	int rc = SQLITE_OK;

	for (int i = 1; *types && rc == SQLITE_OK; types++, i++) {
		switch (*types) {
		case 's': {
			const char *s = va_arg(ap, const char *);
			rc = s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC)
			       : sqlite3_bind_null(st, i);
			break;
		}
		case 'I':
			rc = sqlite3_bind_int64(st, i, va_arg(ap, int64_t));
			break;
		case 'i':
			rc = sqlite3_bind_int(st, i, va_arg(ap, int));
			break;
		case 'd':
			rc = sqlite3_bind_double(st, i, va_arg(ap, double));
			break;
		default:
			return SQLITE_MISUSE;
		}
	}
	return rc;
}

/* Prepare and bind; the caller steps and finalizes. */
static enum sc_status db_query(struct cache *c, sqlite3_stmt **out, const char *what,
			       struct sc_error *err, const char *sql, const char *types, ...)
{
	va_list ap;
	int rc;

	*out = NULL;
	if (sqlite3_prepare_v2(c->db, sql, -1, out, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, what);
	va_start(ap, types);
	rc = bind_values(*out, types, ap);
	va_end(ap);
	if (rc != SQLITE_OK) {
		cache_db_fail(c, err, what);
		sqlite3_finalize(*out);
		*out = NULL;
		return SC_IO;
	}
	return SC_OK;
}

/* Prepare, bind, step to the end, finalize. */
static enum sc_status db_run(struct cache *c, const char *what, struct sc_error *err,
			     const char *sql, const char *types, ...)
{
	sqlite3_stmt *st = NULL;
	va_list ap;
	int rc;

	if (sqlite3_prepare_v2(c->db, sql, -1, &st, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, what);
	va_start(ap, types);
	rc = bind_values(st, types, ap);
	va_end(ap);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		rc = SQLITE_OK;
	if (rc != SQLITE_DONE) {
		cache_db_fail(c, err, what);
		sqlite3_finalize(st);
		return SC_IO;
	}
	sqlite3_finalize(st);
	return SC_OK;
}

/* Finish a row loop: SQLITE_DONE is success. */
static enum sc_status query_end(struct cache *c, sqlite3_stmt *st, int rc, const char *what,
				struct sc_error *err)
{
	enum sc_status s = SC_OK;

	if (rc != SQLITE_DONE)
		s = cache_db_fail(c, err, what);
	sqlite3_finalize(st);
	return s;
}

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

static time_t col_time(sqlite3_stmt *st, int i)
{
	return (time_t)sqlite3_column_int64(st, i);
}

/* Grow a result array by one zeroed element; returns it. */
static void *grow(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * size);
	}
	memset((char *)*v + *n * size, 0, size);
	return (char *)*v + (*n)++ * size;
}

static enum sc_status check_key(const char *account_id, const char *region,
				struct sc_error *err)
{
	if (!account_id || !*account_id || !region || !*region)
		return sc_fail(err, SC_USAGE, "cache access needs an account id and a region");
	return SC_OK;
}

static enum sc_status check_items(const void *v, size_t n, struct sc_error *err)
{
	if (n && !v)
		return sc_fail(err, SC_USAGE, "no items were given to cache");
	return SC_OK;
}

static enum sc_status check_one(const void *x, struct sc_error *err)
{
	return check_items(x, 1, err);
}

/* ================================================================ transactions */

bool cache_in_batch(const struct cache *c)
{
	return c->batch;
}

enum sc_status cache_begin(struct cache *c, struct sc_error *err)
{
	if (c->batch)
		return sc_fail(err, SC_USAGE, "a cache batch is already open");
	if (exec_sql(c, "BEGIN IMMEDIATE", "begin", err) != SC_OK)
		return SC_IO;
	c->batch = true;
	return SC_OK;
}

enum sc_status cache_commit(struct cache *c, struct sc_error *err)
{
	if (!c->batch)
		return sc_fail(err, SC_USAGE, "no cache batch is open");
	c->batch = false;
	if (exec_sql(c, "COMMIT", "commit", err) != SC_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return SC_IO;
	}
	return SC_OK;
}

void cache_rollback(struct cache *c)
{
	if (!c || !c->batch)
		return;
	c->batch = false;
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
}

enum sc_status cache_write_begin(struct cache *c, bool *own, struct sc_error *err)
{
	*own = false;
	if (c->batch)
		return SC_OK;
	if (exec_sql(c, "BEGIN IMMEDIATE", "begin", err) != SC_OK)
		return SC_IO;
	*own = true;
	return SC_OK;
}

enum sc_status cache_write_end(struct cache *c, bool own, enum sc_status st,
			       struct sc_error *err)
{
	if (!own)
		return st;
	if (st != SC_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return st;
	}
	if (exec_sql(c, "COMMIT", "commit", err) != SC_OK) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return SC_IO;
	}
	return SC_OK;
}

/* ================================================================ opening */

enum verdict {
	VERDICT_OK,
	VERDICT_DAMAGED, /* not sqlite, corrupt, not ours, or newer: move aside and rebuild */
	VERDICT_FAILED,  /* an error to report as is */
};

static bool sqlite_damage(int rc)
{
	rc &= 0xff;
	return rc == SQLITE_CORRUPT || rc == SQLITE_NOTADB || rc == SQLITE_FORMAT;
}

/* Run a single-value pragma/query; *damaged when sqlite says the file is not a database. */
static int query_int(struct cache *c, const char *sql, int64_t *out)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, sql, -1, &st, NULL);

	if (rc == SQLITE_OK) {
		rc = sqlite3_step(st);
		if (rc == SQLITE_ROW) {
			*out = sqlite3_column_int64(st, 0);
			rc = SQLITE_OK;
		}
	}
	sqlite3_finalize(st);
	return rc;
}

static enum verdict damaged(char *why, size_t len, const char *fmt, const char *detail)
{
	snprintf(why, len, fmt, detail);
	return VERDICT_DAMAGED;
}

static enum verdict run_quick_check(struct cache *c, char *why, size_t len,
				    struct sc_error *err)
{
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(c->db, "PRAGMA quick_check(1)", -1, &st, NULL);
	enum verdict v = VERDICT_OK;

	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		const char *res = (const char *)sqlite3_column_text(st, 0);
		if (!res || strcmp(res, "ok") != 0)
			v = damaged(why, len, "the integrity check failed: %s", res ? res : "?");
	} else if (sqlite_damage(rc)) {
		v = damaged(why, len, "%s", sqlite3_errmsg(c->db));
	} else {
		cache_db_fail(c, err, "integrity check");
		v = VERDICT_FAILED;
	}
	sqlite3_finalize(st);
	return v;
}

/* Is this an empty file, a sesctl cache we can use, or something to move aside? */
static enum verdict probe(struct cache *c, char *why, size_t len, struct sc_error *err)
{
	int64_t app = 0, ver = 0, objects = 0;
	int rc;

	/* one read transaction: the three values come from the same snapshot */
	rc = sqlite3_exec(c->db, "BEGIN", NULL, NULL, NULL);
	if (rc == SQLITE_OK)
		rc = query_int(c, "PRAGMA application_id", &app);
	if (rc == SQLITE_OK)
		rc = query_int(c, "PRAGMA user_version", &ver);
	if (rc == SQLITE_OK)
		rc = query_int(c, "SELECT count(*) FROM sqlite_master", &objects);
	if (sqlite_damage(rc)) {
		damaged(why, len, "%s", sqlite3_errmsg(c->db));
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return VERDICT_DAMAGED;
	}
	if (rc != SQLITE_OK) {
		cache_db_fail(c, err, "open");
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return VERDICT_FAILED;
	}
	sqlite3_exec(c->db, "COMMIT", NULL, NULL, NULL);
	if (app == 0 && ver == 0 && objects == 0)
		return VERDICT_OK; /* new, empty */
	if (app != CACHE_APPLICATION_ID)
		return damaged(why, len, "%s", "it is not a sesctl cache");
	if (ver > cache_schema_version()) {
		snprintf(why, len, "it was written by a newer sesctl (schema %lld, this one knows %d)",
			 (long long)ver, cache_schema_version());
		return VERDICT_DAMAGED;
	}
	return run_quick_check(c, why, len, err);
}

/* WAL needs shared memory that network filesystems do not provide. */
static bool on_network_fs(const char *path)
{
#ifdef __linux__
	struct statfs sf;

	if (statfs(path, &sf) != 0)
		return false;
	switch ((unsigned long)sf.f_type) {
	case 0x6969UL:     /* NFS */
	case 0x517BUL:     /* SMB */
	case 0xFF534D42UL: /* CIFS */
	case 0xFE534D42UL: /* SMB2 */
		return true;
	}
#else
	(void)path;
#endif
	return false;
}

static enum sc_status set_pragmas(struct cache *c, struct sc_error *err)
{
	const char *mode = on_network_fs(c->path) ? "PRAGMA journal_mode=DELETE"
						  : "PRAGMA journal_mode=WAL";
	int64_t ignored;
	int rc;

	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	/* WAL persists in the file; switching needs a moment alone with it. */
	for (int i = 0; i < 50; i++) {
		rc = query_int(c, mode, &ignored);
		if (rc != SQLITE_BUSY && rc != SQLITE_LOCKED)
			break;
		sqlite3_sleep(100);
	}
	if (rc != SQLITE_OK)
		return cache_db_fail(c, err, "journal mode");
	return exec_sql(c,
			"PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON;"
			"PRAGMA secure_delete=ON;",
			"pragmas", err);
}

static enum sc_status apply_migrations(struct cache *c, int from, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	enum sc_status st = SC_OK;

	for (int v = from + 1; v <= cache_schema_version() && st == SC_OK; v++) {
		if (sqlite3_exec(c->db, cache_migration_sql(v), NULL, NULL, NULL) != SQLITE_OK) {
			buf_printf(&b, "migration %d", v);
			st = cache_db_fail(c, err, b.data);
		}
	}
	if (st == SC_OK) {
		buf_reset(&b);
		buf_printf(&b, "PRAGMA application_id=%d; PRAGMA user_version=%d;",
			   CACHE_APPLICATION_ID, cache_schema_version());
		st = exec_sql(c, b.data, "schema version", err);
	}
	buf_free(&b);
	return st;
}

/* Under BEGIN IMMEDIATE, so two processes opening a new file migrate it once. */
static enum verdict migrate(struct cache *c, char *why, size_t len, struct sc_error *err)
{
	int64_t ver = 0;
	int rc;
	enum sc_status st;

	if (sqlite3_exec(c->db, "BEGIN IMMEDIATE", NULL, NULL, NULL) != SQLITE_OK) {
		if (sqlite_damage(sqlite3_errcode(c->db)))
			return damaged(why, len, "%s", sqlite3_errmsg(c->db));
		cache_db_fail(c, err, "begin");
		return VERDICT_FAILED;
	}
	rc = query_int(c, "PRAGMA user_version", &ver);
	if (rc == SQLITE_OK && ver > cache_schema_version()) {
		sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
		return damaged(why, len, "%s", "it was written by a newer sesctl");
	}
	st = rc == SQLITE_OK ? SC_OK : cache_db_fail(c, err, "schema version");
	if (st == SC_OK && ver < cache_schema_version())
		st = apply_migrations(c, (int)ver, err);
	if (st == SC_OK)
		st = exec_sql(c, "COMMIT", "commit", err);
	if (st == SC_OK)
		return VERDICT_OK;
	rc = sqlite3_errcode(c->db);
	sqlite3_exec(c->db, "ROLLBACK", NULL, NULL, NULL);
	if (sqlite_damage(rc))
		return damaged(why, len, "%s", sqlite3_errmsg(c->db));
	return VERDICT_FAILED;
}

static enum verdict open_once(struct cache *c, char *why, size_t len, struct sc_error *err)
{
	int flags = SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOFOLLOW;
	enum verdict v;

	if (prepare_file(c->path, err) != SC_OK)
		return VERDICT_FAILED;
	if (sqlite3_open_v2(c->path, &c->db, flags, NULL) != SQLITE_OK) {
		sc_fail(err, SC_IO, "cannot open the cache %s: %s", c->path,
			c->db ? sqlite3_errmsg(c->db) : "out of memory");
		return VERDICT_FAILED;
	}
	sqlite3_extended_result_codes(c->db, 0);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	v = probe(c, why, len, err);
	if (v != VERDICT_OK)
		return v;
	if (set_pragmas(c, err) != SC_OK)
		return sqlite_damage(sqlite3_errcode(c->db))
			       ? damaged(why, len, "%s", sqlite3_errmsg(c->db))
			       : VERDICT_FAILED;
	v = migrate(c, why, len, err);
	if (v == VERDICT_OK)
		return check_sidecars(c->path, err) == SC_OK ? VERDICT_OK : VERDICT_FAILED;
	return v;
}

static void close_db(struct cache *c)
{
	sqlite3_close_v2(c->db);
	c->db = NULL;
}

static enum sc_status resolve_path(const char *path_or_null, char **out, struct sc_error *err)
{
	char *base = NULL;
	struct buf b = BUF_INIT;
	enum sc_status st;

	if (path_or_null) {
		if (!*path_or_null)
			return sc_fail(err, SC_USAGE, "the cache path is empty");
		*out = xstrdup(path_or_null);
		return prepare_explicit_dir(path_or_null, err);
	}
	if (cache_base(&base, err) != SC_OK)
		return SC_IO;
	st = make_parents(base, err);
	buf_printf(&b, "%s/sesctl", base);
	free(base);
	if (st == SC_OK)
		st = secure_dir(b.data, err);
	buf_puts(&b, "/cache.sqlite3");
	*out = buf_steal(&b);
	return st;
}

static char *make_warning(const char *path, const char *why, const char *moved)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "The cache %s was unusable (%s); it was moved to %s and will be rebuilt.",
		   path, why, moved);
	return buf_steal(&b);
}

/* Opening (probe, migrate, move aside) is serialised between processes with flock on
 * <path>.lock, so two sesctl starting at once never both rebuild, or move aside a file the
 * other has just created. Returns the locked fd or -1. */
static int lock_opening(const char *path, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	int fd;

	buf_printf(&b, "%s.lock", path);
	fd = open(b.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0)
		sc_fail(err, SC_IO, "cannot create the lock file %s: %s", b.data, strerror(errno));
	while (fd >= 0 && flock(fd, LOCK_EX) != 0) {
		if (errno == EINTR)
			continue;
		sc_fail(err, SC_IO, "cannot lock %s: %s", b.data, strerror(errno));
		close(fd);
		fd = -1;
	}
	buf_free(&b);
	return fd;
}

static enum verdict open_or_rebuild(struct cache *c, char **warning, struct sc_error *err)
{
	char why[256] = "";
	char *moved;
	enum verdict v = open_once(c, why, sizeof(why), err);

	if (v != VERDICT_DAMAGED)
		return v;
	close_db(c);
	moved = move_aside(c->path, err);
	if (!moved)
		return VERDICT_FAILED;
	if (warning)
		*warning = make_warning(c->path, why, moved);
	free(moved);
	v = open_once(c, why, sizeof(why), err);
	if (v == VERDICT_DAMAGED) {
		sc_fail(err, SC_IO, "the rebuilt cache %s is unusable: %s", c->path, why);
		v = VERDICT_FAILED;
	}
	return v;
}

enum sc_status cache_open(const char *path_or_null, struct cache **out, char **warning,
			  struct sc_error *err)
{
	struct cache *c = xcalloc(1, sizeof(*c));
	enum sc_status st;
	enum verdict v;
	int lock;

	*out = NULL;
	if (warning)
		*warning = NULL;
	st = resolve_path(path_or_null, &c->path, err);
	if (st != SC_OK) {
		cache_close(c);
		return st;
	}
	lock = lock_opening(c->path, err);
	if (lock < 0) {
		cache_close(c);
		return SC_IO;
	}
	v = open_or_rebuild(c, warning, err);
	close(lock);
	if (v != VERDICT_OK) {
		cache_close(c);
		if (warning) {
			free(*warning);
			*warning = NULL;
		}
		return SC_IO;
	}
	*out = c;
	return SC_OK;
}

void cache_close(struct cache *c)
{
	if (!c)
		return;
	cache_rollback(c);
	if (c->db)
		sqlite3_close_v2(c->db);
	free(c->path);
	free(c);
}

/* ================================================================ JSON helpers */

static void js_put_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

static void js_put_num(cJSON *o, const char *k, double v)
{
	cJSON_AddNumberToObject(o, k, v);
}

static void js_put_bool(cJSON *o, const char *k, bool v)
{
	cJSON_AddBoolToObject(o, k, v);
}

static void js_put_strv(cJSON *o, const char *k, char *const *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, k);

	for (size_t i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, v[i] ? cJSON_CreateString(v[i]) : cJSON_CreateNull());
}

static char *js_get_str(const cJSON *o, const char *k)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(x) ? xstrdup(x->valuestring) : NULL;
}

static double js_get_num(const cJSON *o, const char *k, double dflt)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(x) ? x->valuedouble : dflt;
}

static bool js_get_bool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

static char **js_get_strv(const cJSON *o, const char *k, size_t *n)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, k);
	const cJSON *it;
	char **v;
	size_t i = 0;

	*n = 0;
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) <= 0)
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*v));
	cJSON_ArrayForEach(it, a)
		v[i++] = cJSON_IsString(it) ? xstrdup(it->valuestring) : NULL;
	*n = i;
	return v;
}

/* Serialise and free o; aborts like xmalloc when out of memory. */
static char *js_finish(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	if (!s) {
		fputs("sesctl: out of memory\n", stderr);
		abort();
	}
	return s;
}

static cJSON *js_new(void)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		fputs("sesctl: out of memory\n", stderr);
		abort();
	}
	return o;
}

static enum sc_status js_parse(sqlite3_stmt *st, int col, cJSON **out, const char *what,
			       struct sc_error *err)
{
	const char *text = (const char *)sqlite3_column_text(st, col);

	*out = text ? cJSON_Parse(text) : NULL;
	if (!cJSON_IsObject(*out)) {
		cJSON_Delete(*out);
		*out = NULL;
		return sc_fail(err, SC_IO, "a cached %s is unreadable; refresh to rebuild it", what);
	}
	return SC_OK;
}

/* ================================================================ accounts and sync */

enum sc_status cache_note_account(struct cache *c, const char *account_id, const char *region,
				  const char *profile, time_t when, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "note account", err,
		    "INSERT INTO accounts(account_id, region, profile, last_used) VALUES (?,?,?,?)"
		    " ON CONFLICT(account_id, region) DO UPDATE SET"
		    " profile = excluded.profile, last_used = excluded.last_used",
		    "sssI", account_id, region, profile, (int64_t)when);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_accounts(struct cache *c, struct cache_account_row **out, size_t *n,
			      struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_query(c, &st, "accounts", err,
		     "SELECT account_id, region, profile, last_used FROM accounts"
		     " ORDER BY last_used DESC, account_id, region",
		     "") != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_account_row *r = grow((void **)out, n, &cap, sizeof(**out));
		r->account_id = col_str(st, 0);
		r->region = col_str(st, 1);
		r->profile = col_str(st, 2);
		r->last_used = col_time(st, 3);
	}
	if (query_end(c, st, rc, "accounts", err) != SC_OK) {
		cache_accounts_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_accounts_free(struct cache_account_row *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].account_id);
		free(v[i].region);
		free(v[i].profile);
	}
	free(v);
}

static const char *const kind_names[CACHE_KIND_COUNT] = {
	[CACHE_KIND_IDENTITIES] = "identities",     [CACHE_KIND_RULE_SETS] = "rule-sets",
	[CACHE_KIND_FILTERS] = "receipt-filters",   [CACHE_KIND_SUPPRESSION] = "suppression",
	[CACHE_KIND_CONFIG_SETS] = "config-sets",   [CACHE_KIND_ACCOUNT] = "account",
	[CACHE_KIND_SEND_STATS] = "send-statistics", [CACHE_KIND_METRICS] = "metrics",
	[CACHE_KIND_MAIL_MANAGER] = "mail-manager",
};

const char *cache_kind_name(enum cache_kind k)
{
	if ((unsigned)k >= CACHE_KIND_COUNT)
		return "unknown";
	return kind_names[k];
}

/* Inside a write transaction. */
static enum sc_status mark_fetched(struct cache *c, const char *account_id, const char *region,
				   enum cache_kind k, time_t fetched, struct sc_error *err)
{
	return db_run(c, "sync state", err,
		      "INSERT INTO sync_state(account_id, region, kind, fetched) VALUES (?,?,?,?)"
		      " ON CONFLICT(account_id, region, kind) DO UPDATE SET"
		      " fetched = excluded.fetched, last_error = NULL, error_time = 0",
		      "sssI", account_id, region, cache_kind_name(k), (int64_t)fetched);
}

enum sc_status cache_mark_fetched(struct cache *c, const char *account_id, const char *region,
				  enum cache_kind k, time_t fetched, struct sc_error *err)
{
	bool own;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, mark_fetched(c, account_id, region, k, fetched, err), err);
}

enum sc_status cache_mark_error(struct cache *c, const char *account_id, const char *region,
				enum cache_kind k, const char *message, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "sync state", err,
		    "INSERT INTO sync_state(account_id, region, kind, last_error, error_time)"
		    " VALUES (?,?,?,?,?) ON CONFLICT(account_id, region, kind) DO UPDATE SET"
		    " last_error = excluded.last_error, error_time = excluded.error_time",
		    "ssssI", account_id, region, cache_kind_name(k), message ? message : "error",
		    (int64_t)time(NULL));
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_kind_age(struct cache *c, const char *account_id, const char *region,
			      enum cache_kind k, time_t *fetched, char **last_error,
			      struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;

	*fetched = 0;
	if (last_error)
		*last_error = NULL;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "sync state", err,
		     "SELECT fetched, last_error FROM sync_state"
		     " WHERE account_id = ? AND region = ? AND kind = ?",
		     "sss", account_id, region, cache_kind_name(k)) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*fetched = col_time(st, 0);
		if (last_error)
			*last_error = col_str(st, 1);
		rc = SQLITE_DONE;
	}
	return query_end(c, st, rc, "sync state", err);
}

/* ================================================================ identities */

/* Scalar fields are columns (a list of 10,000 loads without parsing JSON); policies and
 * tags, rarely present, ride in one JSON column. */
enum col_type { COL_STR, COL_BOOL, COL_TIME };

struct col {
	const char *name;
	enum col_type type;
	size_t off;
};

#define ID_COL(f, t) {#f, t, offsetof(struct ses_identity, f)}
static const struct col identity_cols[] = {
	ID_COL(type, COL_STR),
	ID_COL(verification_status, COL_STR),
	ID_COL(sending_enabled, COL_BOOL),
	ID_COL(verified_for_sending, COL_BOOL),
	ID_COL(feedback_forwarding, COL_BOOL),
	ID_COL(has_details, COL_BOOL),
	ID_COL(dkim_signing_enabled, COL_BOOL),
	ID_COL(dkim_status, COL_STR),
	ID_COL(dkim_origin, COL_STR),
	ID_COL(dkim_current_key_length, COL_STR),
	ID_COL(dkim_next_key_length, COL_STR),
	ID_COL(dkim_last_key_generation, COL_TIME),
	ID_COL(mail_from_domain, COL_STR),
	ID_COL(mail_from_status, COL_STR),
	ID_COL(mail_from_on_mx_failure, COL_STR),
	ID_COL(configuration_set, COL_STR),
	ID_COL(verification_token, COL_STR),
	ID_COL(verification_error, COL_STR),
	ID_COL(verification_last_checked, COL_TIME),
	ID_COL(fetched, COL_TIME),
};
#undef ID_COL
#define N_IDENTITY_COLS (sizeof(identity_cols) / sizeof(identity_cols[0]))

static void identity_col_list(struct buf *b)
{
	for (size_t i = 0; i < N_IDENTITY_COLS; i++)
		buf_printf(b, ", %s", identity_cols[i].name);
	buf_puts(b, ", dkim_tokens, extra");
}

static int bind_col(sqlite3_stmt *st, int i, const struct col *col, const void *obj)
{
	const char *p = (const char *)obj + col->off;

	switch (col->type) {
	case COL_STR: {
		const char *s = *(char *const *)(const void *)p;
		return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
	}
	case COL_BOOL:
		return sqlite3_bind_int(st, i, *(const bool *)(const void *)p);
	case COL_TIME:
		return sqlite3_bind_int64(st, i, (int64_t) * (const time_t *)(const void *)p);
	}
	return SQLITE_MISUSE;
}

static void read_col(sqlite3_stmt *st, int i, const struct col *col, void *obj)
{
	char *p = (char *)obj + col->off;

	switch (col->type) {
	case COL_STR:
		*(char **)(void *)p = col_str(st, i);
		break;
	case COL_BOOL:
		*(bool *)(void *)p = sqlite3_column_int(st, i) != 0;
		break;
	case COL_TIME:
		*(time_t *)(void *)p = col_time(st, i);
		break;
	}
}

static char *join_tokens(char *const *v, size_t n)
{
	struct buf b = BUF_INIT;

	if (!n)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(&b, '\n');
		buf_puts(&b, v[i] ? v[i] : "");
	}
	return buf_steal(&b);
}

static char **split_tokens(const char *s, size_t *n)
{
	size_t count = 1, i = 0;
	char **v;

	*n = 0;
	if (!s)
		return NULL;
	for (const char *p = s; *p; p++)
		count += *p == '\n';
	v = xcalloc(count, sizeof(*v));
	for (const char *nl; (nl = strchr(s, '\n')); s = nl + 1)
		v[i++] = xstrndup(s, (size_t)(nl - s));
	v[i++] = xstrdup(s);
	*n = i;
	return v;
}

static char *identity_extra(const struct ses_identity *x)
{
	cJSON *o, *a;

	if (!x->n_policies && !x->n_tags)
		return NULL;
	o = js_new();
	a = cJSON_AddArrayToObject(o, "policies");
	for (size_t i = 0; a && i < x->n_policies; i++) {
		cJSON *p = cJSON_CreateObject();
		js_put_str(p, "name", x->policies[i].name);
		js_put_str(p, "document", x->policies[i].document);
		cJSON_AddItemToArray(a, p);
	}
	a = cJSON_AddArrayToObject(o, "tags");
	for (size_t i = 0; a && i < x->n_tags; i++) {
		cJSON *t = cJSON_CreateObject();
		js_put_str(t, "key", x->tags[i].key);
		js_put_str(t, "value", x->tags[i].value);
		cJSON_AddItemToArray(a, t);
	}
	return js_finish(o);
}

static void identity_extra_from(struct ses_identity *x, const cJSON *o)
{
	const cJSON *a, *it;
	size_t i;

	a = cJSON_GetObjectItemCaseSensitive(o, "policies");
	if (cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0) {
		x->policies = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*x->policies));
		i = 0;
		cJSON_ArrayForEach(it, a) {
			x->policies[i].name = js_get_str(it, "name");
			x->policies[i++].document = js_get_str(it, "document");
		}
		x->n_policies = i;
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "tags");
	if (cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0) {
		x->tags = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*x->tags));
		i = 0;
		cJSON_ArrayForEach(it, a) {
			x->tags[i].key = js_get_str(it, "key");
			x->tags[i++].value = js_get_str(it, "value");
		}
		x->n_tags = i;
	}
}

static enum sc_status prepare_identity_insert(struct cache *c, sqlite3_stmt **st,
					      struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	enum sc_status s;

	buf_puts(&sql, "INSERT OR REPLACE INTO identities(account_id, region, name");
	identity_col_list(&sql);
	buf_puts(&sql, ") VALUES (?, ?, ?");
	for (size_t i = 0; i < N_IDENTITY_COLS + 2; i++)
		buf_puts(&sql, ", ?");
	buf_putc(&sql, ')');
	s = db_query(c, st, "store identity", err, sql.data, "");
	buf_free(&sql);
	return s;
}

/* Bind and run the prepared insert for one identity. */
static enum sc_status insert_identity(struct cache *c, sqlite3_stmt *st, const char *account_id,
				      const char *region, const struct ses_identity *x,
				      struct sc_error *err)
{
	char *tokens, *extra;
	int rc, i = 1;

	if (!x->name || !*x->name)
		return sc_fail(err, SC_USAGE, "an identity without a name cannot be cached");
	tokens = join_tokens(x->dkim_tokens, x->n_dkim_tokens);
	extra = identity_extra(x);
	sqlite3_reset(st);
	rc = sqlite3_bind_text(st, i++, account_id, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, i++, region, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_text(st, i++, x->name, -1, SQLITE_STATIC);
	for (size_t k = 0; rc == SQLITE_OK && k < N_IDENTITY_COLS; k++)
		rc = bind_col(st, i++, &identity_cols[k], x);
	if (rc == SQLITE_OK)
		rc = tokens ? sqlite3_bind_text(st, i++, tokens, -1, SQLITE_STATIC)
			    : sqlite3_bind_null(st, i++);
	if (rc == SQLITE_OK)
		rc = extra ? sqlite3_bind_text(st, i++, extra, -1, SQLITE_STATIC)
			   : sqlite3_bind_null(st, i++);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(tokens);
	free(extra);
	return rc == SQLITE_DONE ? SC_OK : cache_db_fail(c, err, "store identity");
}

enum sc_status cache_put_identity(struct cache *c, const char *account_id, const char *region,
				  const struct ses_identity *x, struct sc_error *err)
{
	sqlite3_stmt *st = NULL;
	enum sc_status s;
	bool own;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	s = prepare_identity_insert(c, &st, err);
	if (s == SC_OK)
		s = insert_identity(c, st, account_id, region, x, err);
	sqlite3_finalize(st);
	return cache_write_end(c, own, s, err);
}

static enum sc_status delete_scope(struct cache *c, const char *table, const char *account_id,
				   const char *region, struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	enum sc_status st;

	buf_printf(&sql, "DELETE FROM %s WHERE account_id = ? AND region = ?", table);
	st = db_run(c, table, err, sql.data, "ss", account_id, region);
	buf_free(&sql);
	return st;
}

enum sc_status cache_put_identities_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_identity *v,
					    size_t n, time_t fetched, struct sc_error *err)
{
	sqlite3_stmt *st = NULL;
	enum sc_status s;
	bool own;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	s = delete_scope(c, "identities", account_id, region, err);
	if (s == SC_OK)
		s = prepare_identity_insert(c, &st, err);
	for (size_t i = 0; s == SC_OK && i < n; i++)
		s = insert_identity(c, st, account_id, region, &v[i], err);
	sqlite3_finalize(st);
	if (s == SC_OK)
		s = mark_fetched(c, account_id, region, CACHE_KIND_IDENTITIES, fetched, err);
	return cache_write_end(c, own, s, err);
}

/* Row: name, the identity columns, dkim_tokens, extra. */
static enum sc_status identity_from_row(sqlite3_stmt *st, struct ses_identity *x,
					struct sc_error *err)
{
	int i = 1;
	cJSON *o;

	x->name = col_str(st, 0);
	for (size_t k = 0; k < N_IDENTITY_COLS; k++)
		read_col(st, i++, &identity_cols[k], x);
	x->dkim_tokens = split_tokens((const char *)sqlite3_column_text(st, i++), &x->n_dkim_tokens);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return SC_OK;
	if (js_parse(st, i, &o, "identity", err) != SC_OK)
		return SC_IO;
	identity_extra_from(x, o);
	cJSON_Delete(o);
	return SC_OK;
}

static enum sc_status query_identities(struct cache *c, sqlite3_stmt **st, const char *account_id,
				       const char *region, const char *name, struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	enum sc_status s;

	buf_puts(&sql, "SELECT name");
	identity_col_list(&sql);
	buf_puts(&sql, " FROM identities WHERE account_id = ?1 AND region = ?2"
		       " AND (?3 IS NULL OR name = ?3) ORDER BY name");
	s = db_query(c, st, "identities", err, sql.data, "sss", account_id, region, name);
	buf_free(&sql);
	return s;
}

enum sc_status cache_get_identities(struct cache *c, const char *account_id, const char *region,
				    struct ses_identity **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (query_identities(c, &st, account_id, region, NULL, err) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		s = identity_from_row(st, grow((void **)out, n, &cap, sizeof(**out)), err);
	if (s == SC_OK)
		s = query_end(c, st, rc, "identities", err);
	else
		sqlite3_finalize(st);
	if (s != SC_OK) {
		ses_identities_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

enum sc_status cache_get_identity(struct cache *c, const char *account_id, const char *region,
				  const char *name, struct ses_identity *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;
	enum sc_status s;

	memset(out, 0, sizeof(*out));
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (query_identities(c, &st, account_id, region, name ? name : "", err) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return sc_fail(err, SC_NOT_FOUND, "identity %s is not in the cache", name);
	}
	if (rc != SQLITE_ROW)
		return query_end(c, st, rc, "identity", err);
	s = identity_from_row(st, out, err);
	sqlite3_finalize(st);
	if (s != SC_OK)
		ses_identity_free(out);
	return s;
}

enum sc_status cache_delete_identity(struct cache *c, const char *account_id,
				     const char *region, const char *name, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "delete identity", err,
		    "DELETE FROM identities WHERE account_id = ? AND region = ? AND name = ?",
		    "sss", account_id, region, name ? name : "");
	return cache_write_end(c, own, st, err);
}

/* ================================================================ receipt rule sets */

static const struct {
	const char *key;
	size_t off;
} action_fields[] = {
#define ACTION_FIELD(f) {#f, offsetof(struct ses_action, f)}
	ACTION_FIELD(topic_arn),       ACTION_FIELD(bucket),          ACTION_FIELD(prefix),
	ACTION_FIELD(kms_key_arn),     ACTION_FIELD(iam_role_arn),    ACTION_FIELD(encoding),
	ACTION_FIELD(function_arn),    ACTION_FIELD(invocation_type), ACTION_FIELD(smtp_reply_code),
	ACTION_FIELD(status_code),     ACTION_FIELD(message),         ACTION_FIELD(sender),
	ACTION_FIELD(scope),           ACTION_FIELD(header_name),     ACTION_FIELD(header_value),
	ACTION_FIELD(organization_arn), ACTION_FIELD(instance_arn),
#undef ACTION_FIELD
};
#define N_ACTION_FIELDS (sizeof(action_fields) / sizeof(action_fields[0]))

static char **action_slot(struct ses_action *a, size_t i)
{
	return (char **)((char *)a + action_fields[i].off);
}

static enum ses_action_kind action_kind_named(const char *name)
{
	for (int k = SES_ACTION_S3; name && k <= SES_ACTION_CONNECT; k++)
		if (!strcmp(ses_action_kind_name((enum ses_action_kind)k), name))
			return (enum ses_action_kind)k;
	return SES_ACTION_UNKNOWN;
}

/* Recipients and actions of one rule. */
static char *rule_json(const struct ses_rule *r)
{
	cJSON *o = js_new();
	cJSON *a;

	js_put_strv(o, "recipients", r->recipients, r->n_recipients);
	a = cJSON_AddArrayToObject(o, "actions");
	for (size_t i = 0; a && i < r->n_actions; i++) {
		struct ses_action *act = &r->actions[i];
		cJSON *j = cJSON_CreateObject();
		js_put_str(j, "kind", ses_action_kind_name(act->kind));
		for (size_t f = 0; f < N_ACTION_FIELDS; f++)
			js_put_str(j, action_fields[f].key, *action_slot(act, f));
		cJSON_AddItemToArray(a, j);
	}
	return js_finish(o);
}

static void rule_from_json(struct ses_rule *r, const cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "actions");
	const cJSON *it;
	size_t i = 0;

	r->recipients = js_get_strv(o, "recipients", &r->n_recipients);
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) <= 0)
		return;
	r->actions = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*r->actions));
	cJSON_ArrayForEach(it, a) {
		struct ses_action *act = &r->actions[i++];
		char *kind = js_get_str(it, "kind");
		act->kind = action_kind_named(kind);
		free(kind);
		for (size_t f = 0; f < N_ACTION_FIELDS; f++)
			*action_slot(act, f) = js_get_str(it, action_fields[f].key);
	}
	r->n_actions = i;
}

static enum sc_status insert_rule_set(struct cache *c, const char *account_id,
				      const char *region, const struct ses_rule_set *rs,
				      struct sc_error *err)
{
	enum sc_status st;

	if (!rs->name || !*rs->name)
		return sc_fail(err, SC_USAGE, "a rule set without a name cannot be cached");
	st = db_run(c, "store rule set", err,
		    "INSERT INTO rule_sets(account_id, region, name, created, active, has_rules,"
		    " fetched) VALUES (?,?,?,?,?,?,?)",
		    "sssIiiI", account_id, region, rs->name, (int64_t)rs->created, (int)rs->active,
		    (int)rs->has_rules, (int64_t)rs->fetched);
	for (size_t i = 0; st == SC_OK && i < rs->n_rules; i++) {
		const struct ses_rule *r = &rs->rules[i];
		char *data = rule_json(r);
		st = db_run(c, "store receipt rule", err,
			    "INSERT INTO receipt_rules(account_id, region, rule_set, position, name,"
			    " enabled, tls_policy, scan_enabled, data) VALUES (?,?,?,?,?,?,?,?,?)",
			    "sssisisis", account_id, region, rs->name, (int)i, r->name,
			    (int)r->enabled, r->tls_policy, (int)r->scan_enabled, data);
		free(data);
	}
	return st;
}

enum sc_status cache_put_rule_sets_replace(struct cache *c, const char *account_id,
					   const char *region, const struct ses_rule_set *v,
					   size_t n, time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	/* receipt_rules go with their set (ON DELETE CASCADE) */
	st = delete_scope(c, "rule_sets", account_id, region, err);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = insert_rule_set(c, account_id, region, &v[i], err);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_RULE_SETS, fetched, err);
	return cache_write_end(c, own, st, err);
}

static enum sc_status load_rules(struct cache *c, const char *account_id, const char *region,
				 struct ses_rule_set *rs, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;
	cJSON *o;

	if (db_query(c, &st, "receipt rules", err,
		     "SELECT name, enabled, tls_policy, scan_enabled, data FROM receipt_rules"
		     " WHERE account_id = ? AND region = ? AND rule_set = ? ORDER BY position",
		     "sss", account_id, region, rs->name) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_rule *r = grow((void **)&rs->rules, &rs->n_rules, &cap, sizeof(*r));
		r->name = col_str(st, 0);
		r->enabled = sqlite3_column_int(st, 1) != 0;
		r->tls_policy = col_str(st, 2);
		r->scan_enabled = sqlite3_column_int(st, 3) != 0;
		s = js_parse(st, 4, &o, "receipt rule", err);
		if (s == SC_OK)
			rule_from_json(r, o);
		cJSON_Delete(o);
	}
	if (s != SC_OK) {
		sqlite3_finalize(st);
		return s;
	}
	return query_end(c, st, rc, "receipt rules", err);
}

enum sc_status cache_get_rule_sets(struct cache *c, const char *account_id, const char *region,
				   struct ses_rule_set **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "rule sets", err,
		     "SELECT name, created, active, has_rules, fetched FROM rule_sets"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_rule_set *rs = grow((void **)out, n, &cap, sizeof(**out));
		rs->name = col_str(st, 0);
		rs->created = col_time(st, 1);
		rs->active = sqlite3_column_int(st, 2) != 0;
		rs->has_rules = sqlite3_column_int(st, 3) != 0;
		rs->fetched = col_time(st, 4);
	}
	s = query_end(c, st, rc, "rule sets", err);
	for (size_t i = 0; s == SC_OK && i < *n; i++)
		s = load_rules(c, account_id, region, &(*out)[i], err);
	if (s != SC_OK) {
		ses_rule_sets_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

/* ================================================================ receipt filters */

enum sc_status cache_put_filters_replace(struct cache *c, const char *account_id,
					 const char *region, const struct ses_receipt_filter *v,
					 size_t n, time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = delete_scope(c, "receipt_filters", account_id, region, err);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = db_run(c, "store receipt filter", err,
			    "INSERT OR REPLACE INTO receipt_filters(account_id, region, name, policy,"
			    " cidr) VALUES (?,?,?,?,?)",
			    "sssss", account_id, region, v[i].name ? v[i].name : "", v[i].policy,
			    v[i].cidr);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_FILTERS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_filters(struct cache *c, const char *account_id, const char *region,
				 struct ses_receipt_filter **out, size_t *n,
				 struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "receipt filters", err,
		     "SELECT name, policy, cidr FROM receipt_filters"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_receipt_filter *f = grow((void **)out, n, &cap, sizeof(**out));
		f->name = col_str(st, 0);
		f->policy = col_str(st, 1);
		f->cidr = col_str(st, 2);
	}
	if (query_end(c, st, rc, "receipt filters", err) != SC_OK) {
		cache_filters_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_filters_free(struct ses_receipt_filter *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_receipt_filter_free(&v[i]);
	free(v);
}

/* ================================================================ suppression list */

static enum sc_status insert_suppressed(struct cache *c, const char *account_id,
					const char *region, const struct ses_suppressed *x,
					struct sc_error *err)
{
	if (!x->email || !*x->email)
		return sc_fail(err, SC_USAGE, "a suppression entry without an address cannot be cached");
	return db_run(c, "store suppression entry", err,
		      "INSERT OR REPLACE INTO suppressed(account_id, region, email, reason,"
		      " last_update, message_id, feedback_id) VALUES (?,?,?,?,?,?,?)",
		      "ssssIss", account_id, region, x->email, x->reason, (int64_t)x->last_update,
		      x->message_id, x->feedback_id);
}

enum sc_status cache_put_suppressed_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_suppressed *v,
					    size_t n, time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = delete_scope(c, "suppressed", account_id, region, err);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = insert_suppressed(c, account_id, region, &v[i], err);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_SUPPRESSION, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_put_suppressed(struct cache *c, const char *account_id, const char *region,
				    const struct ses_suppressed *x, struct sc_error *err)
{
	bool own;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, insert_suppressed(c, account_id, region, x, err), err);
}

enum sc_status cache_delete_suppressed(struct cache *c, const char *account_id,
				       const char *region, const char *email,
				       struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "delete suppression entry", err,
		    "DELETE FROM suppressed WHERE account_id = ? AND region = ? AND email = ?",
		    "sss", account_id, region, email ? email : "");
	return cache_write_end(c, own, st, err);
}

static const char *empty_to_null(const char *s)
{
	return s && *s ? s : NULL;
}

enum sc_status cache_get_suppressed(struct cache *c, const char *account_id, const char *region,
				    const char *reason, const char *substring,
				    struct ses_suppressed **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "suppression list", err,
		     "SELECT email, reason, last_update, message_id, feedback_id FROM suppressed"
		     " WHERE account_id = ?1 AND region = ?2"
		     " AND (?3 IS NULL OR reason = ?3)"
		     " AND (?4 IS NULL OR instr(lower(email), lower(?4)) > 0)"
		     " ORDER BY email",
		     "ssss", account_id, region, empty_to_null(reason),
		     empty_to_null(substring)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_suppressed *x = grow((void **)out, n, &cap, sizeof(**out));
		x->email = col_str(st, 0);
		x->reason = col_str(st, 1);
		x->last_update = col_time(st, 2);
		x->message_id = col_str(st, 3);
		x->feedback_id = col_str(st, 4);
	}
	if (query_end(c, st, rc, "suppression list", err) != SC_OK) {
		cache_suppressed_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_suppressed_free(struct ses_suppressed *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_suppressed_free(&v[i]);
	free(v);
}

/* ================================================================ configuration sets */

static char *config_set_json(const struct ses_config_set *x)
{
	cJSON *o = js_new();

	js_put_bool(o, "sending_enabled", x->sending_enabled);
	js_put_bool(o, "reputation_metrics_enabled", x->reputation_metrics_enabled);
	js_put_str(o, "tls_policy", x->tls_policy);
	js_put_str(o, "sending_pool", x->sending_pool);
	js_put_strv(o, "suppressed_reasons", x->suppressed_reasons, x->n_suppressed_reasons);
	js_put_num(o, "last_fresh_start", (double)x->last_fresh_start);
	return js_finish(o);
}

static void config_set_from_json(struct ses_config_set *x, const cJSON *o)
{
	x->sending_enabled = js_get_bool(o, "sending_enabled");
	x->reputation_metrics_enabled = js_get_bool(o, "reputation_metrics_enabled");
	x->tls_policy = js_get_str(o, "tls_policy");
	x->sending_pool = js_get_str(o, "sending_pool");
	x->suppressed_reasons = js_get_strv(o, "suppressed_reasons", &x->n_suppressed_reasons);
	x->last_fresh_start = (time_t)js_get_num(o, "last_fresh_start", 0);
}

static enum sc_status insert_config_set(struct cache *c, const char *account_id,
					const char *region, const struct ses_config_set *x,
					struct sc_error *err)
{
	char *data;
	enum sc_status st;

	if (!x->name || !*x->name)
		return sc_fail(err, SC_USAGE, "a configuration set without a name cannot be cached");
	data = config_set_json(x);
	st = db_run(c, "store configuration set", err,
		    "INSERT OR REPLACE INTO config_sets(account_id, region, name, fetched, data)"
		    " VALUES (?,?,?,?,?)",
		    "sssIs", account_id, region, x->name, (int64_t)x->fetched, data);
	free(data);
	return st;
}

enum sc_status cache_put_config_sets_replace(struct cache *c, const char *account_id,
					     const char *region, const struct ses_config_set *v,
					     size_t n, time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = delete_scope(c, "config_sets", account_id, region, err);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = insert_config_set(c, account_id, region, &v[i], err);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_CONFIG_SETS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_put_config_set(struct cache *c, const char *account_id, const char *region,
				    const struct ses_config_set *x, struct sc_error *err)
{
	bool own;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, insert_config_set(c, account_id, region, x, err), err);
}

enum sc_status cache_get_config_sets(struct cache *c, const char *account_id,
				     const char *region, struct ses_config_set **out, size_t *n,
				     struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;
	cJSON *o;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "configuration sets", err,
		     "SELECT name, fetched, data FROM config_sets"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_config_set *x = grow((void **)out, n, &cap, sizeof(**out));
		x->name = col_str(st, 0);
		x->fetched = col_time(st, 1);
		s = js_parse(st, 2, &o, "configuration set", err);
		if (s == SC_OK)
			config_set_from_json(x, o);
		cJSON_Delete(o);
	}
	if (s == SC_OK)
		s = query_end(c, st, rc, "configuration sets", err);
	else
		sqlite3_finalize(st);
	if (s != SC_OK) {
		cache_config_sets_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

void cache_config_sets_free(struct ses_config_set *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_config_set_free(&v[i]);
	free(v);
}

/* ================================================================ account state */

static char *account_json(const struct ses_account *x)
{
	cJSON *o = js_new();

	js_put_bool(o, "sending_enabled", x->sending_enabled);
	js_put_bool(o, "production_access", x->production_access);
	js_put_bool(o, "dedicated_ip_auto_warmup", x->dedicated_ip_auto_warmup);
	js_put_str(o, "enforcement_status", x->enforcement_status);
	js_put_num(o, "max_24h_send", x->max_24h_send);
	js_put_num(o, "max_send_rate", x->max_send_rate);
	js_put_num(o, "sent_last_24h", x->sent_last_24h);
	js_put_strv(o, "suppressed_reasons", x->suppressed_reasons, x->n_suppressed_reasons);
	js_put_str(o, "mail_type", x->mail_type);
	js_put_str(o, "website_url", x->website_url);
	js_put_str(o, "contact_language", x->contact_language);
	js_put_str(o, "use_case_description", x->use_case_description);
	js_put_str(o, "review_status", x->review_status);
	js_put_str(o, "review_case_id", x->review_case_id);
	js_put_bool(o, "vdm_enabled", x->vdm_enabled);
	return js_finish(o);
}

static void account_from_json(struct ses_account *x, const cJSON *o)
{
	x->sending_enabled = js_get_bool(o, "sending_enabled");
	x->production_access = js_get_bool(o, "production_access");
	x->dedicated_ip_auto_warmup = js_get_bool(o, "dedicated_ip_auto_warmup");
	x->enforcement_status = js_get_str(o, "enforcement_status");
	x->max_24h_send = js_get_num(o, "max_24h_send", 0);
	x->max_send_rate = js_get_num(o, "max_send_rate", 0);
	x->sent_last_24h = js_get_num(o, "sent_last_24h", 0);
	x->suppressed_reasons = js_get_strv(o, "suppressed_reasons", &x->n_suppressed_reasons);
	x->mail_type = js_get_str(o, "mail_type");
	x->website_url = js_get_str(o, "website_url");
	x->contact_language = js_get_str(o, "contact_language");
	x->use_case_description = js_get_str(o, "use_case_description");
	x->review_status = js_get_str(o, "review_status");
	x->review_case_id = js_get_str(o, "review_case_id");
	x->vdm_enabled = js_get_bool(o, "vdm_enabled");
}

enum sc_status cache_put_account(struct cache *c, const char *account_id, const char *region,
				 const struct ses_account *x, struct sc_error *err)
{
	bool own;
	char *data;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	data = account_json(x);
	st = db_run(c, "store account", err,
		    "INSERT OR REPLACE INTO account_state(account_id, region, fetched, data)"
		    " VALUES (?,?,?,?)",
		    "ssIs", account_id, region, (int64_t)x->fetched, data);
	free(data);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_ACCOUNT, x->fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_account(struct cache *c, const char *account_id, const char *region,
				 struct ses_account *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;
	enum sc_status s;
	cJSON *o;

	memset(out, 0, sizeof(*out));
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "account", err,
		     "SELECT fetched, data FROM account_state WHERE account_id = ? AND region = ?",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return sc_fail(err, SC_NOT_FOUND, "account %s in %s is not in the cache", account_id,
			       region);
	}
	if (rc != SQLITE_ROW)
		return query_end(c, st, rc, "account", err);
	s = js_parse(st, 1, &o, "account", err);
	if (s == SC_OK) {
		account_from_json(out, o);
		out->fetched = col_time(st, 0);
		out->account_id = xstrdup(account_id);
		out->region = xstrdup(region);
	}
	cJSON_Delete(o);
	sqlite3_finalize(st);
	return s;
}

/* ================================================================ statistics and metrics */

enum sc_status cache_put_send_points(struct cache *c, const char *account_id,
				     const char *region, const struct ses_send_point *v, size_t n,
				     time_t fetched, struct sc_error *err)
{
	bool own;
	enum sc_status st = SC_OK;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = db_run(c, "store send statistics", err,
			    "INSERT OR REPLACE INTO send_points(account_id, region, ts,"
			    " delivery_attempts, bounces, complaints, rejects) VALUES (?,?,?,?,?,?,?)",
			    "ssIIIII", account_id, region, (int64_t)v[i].ts, v[i].delivery_attempts,
			    v[i].bounces, v[i].complaints, v[i].rejects);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_SEND_STATS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_send_points(struct cache *c, const char *account_id,
				     const char *region, time_t from, time_t to,
				     struct ses_send_point **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "send statistics", err,
		     "SELECT ts, delivery_attempts, bounces, complaints, rejects FROM send_points"
		     " WHERE account_id = ? AND region = ? AND ts >= ? AND ts <= ? ORDER BY ts",
		     "ssII", account_id, region, (int64_t)from, (int64_t)to) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_send_point *p = grow((void **)out, n, &cap, sizeof(**out));
		p->ts = col_time(st, 0);
		p->delivery_attempts = sqlite3_column_int64(st, 1);
		p->bounces = sqlite3_column_int64(st, 2);
		p->complaints = sqlite3_column_int64(st, 3);
		p->rejects = sqlite3_column_int64(st, 4);
	}
	if (query_end(c, st, rc, "send statistics", err) != SC_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_put_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric,
				       const struct ses_metric_point *v, size_t n, time_t fetched,
				       struct sc_error *err)
{
	bool own;
	enum sc_status st = SC_OK;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (!metric || !*metric)
		return sc_fail(err, SC_USAGE, "metric points need a metric name");
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = db_run(c, "store metric points", err,
			    "INSERT OR REPLACE INTO metric_points(account_id, region, metric, ts, value)"
			    " VALUES (?,?,?,?,?)",
			    "sssId", account_id, region, metric, (int64_t)v[i].ts, v[i].value);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_METRICS, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_metric_points(struct cache *c, const char *account_id,
				       const char *region, const char *metric, time_t from,
				       time_t to, struct ses_metric_point **out, size_t *n,
				       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "metric points", err,
		     "SELECT ts, value FROM metric_points WHERE account_id = ? AND region = ?"
		     " AND metric = ? AND ts >= ? AND ts <= ? ORDER BY ts",
		     "sssII", account_id, region, metric ? metric : "", (int64_t)from,
		     (int64_t)to) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_metric_point *p = grow((void **)out, n, &cap, sizeof(**out));
		p->ts = col_time(st, 0);
		p->value = sqlite3_column_double(st, 1);
	}
	if (query_end(c, st, rc, "metric points", err) != SC_OK) {
		free(*out);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

/* ================================================================ Mail Manager */

enum sc_status cache_put_mm_items_replace(struct cache *c, const char *account_id,
					  const char *region, const char *kind,
					  const struct ses_mm_item *v, size_t n, time_t fetched,
					  struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	for (size_t i = 0; i < n; i++)
		if (!v[i].kind || !v[i].id || (kind && strcmp(kind, v[i].kind)))
			return sc_fail(err, SC_USAGE, "Mail Manager item %zu has no id or the wrong kind",
				       i);
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "Mail Manager items", err,
		    "DELETE FROM mm_items WHERE account_id = ? AND region = ? AND (?3 IS NULL OR"
		    " kind = ?3)",
		    "sss", account_id, region, kind);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = db_run(c, "store Mail Manager item", err,
			    "INSERT OR REPLACE INTO mm_items(account_id, region, kind, id, name, status,"
			    " detail, modified, fetched) VALUES (?,?,?,?,?,?,?,?,?)",
			    "sssssssII", account_id, region, v[i].kind, v[i].id, v[i].name,
			    v[i].status, v[i].detail, (int64_t)v[i].modified, (int64_t)fetched);
	if (st == SC_OK)
		st = mark_fetched(c, account_id, region, CACHE_KIND_MAIL_MANAGER, fetched, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_mm_items(struct cache *c, const char *account_id, const char *region,
				  const char *kind, struct ses_mm_item **out, size_t *n,
				  struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (db_query(c, &st, "Mail Manager items", err,
		     "SELECT kind, id, name, status, detail, modified FROM mm_items"
		     " WHERE account_id = ?1 AND region = ?2 AND (?3 IS NULL OR kind = ?3)"
		     " ORDER BY kind, name, id",
		     "sss", account_id, region, empty_to_null(kind)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_mm_item *x = grow((void **)out, n, &cap, sizeof(**out));
		x->kind = col_str(st, 0);
		x->id = col_str(st, 1);
		x->name = col_str(st, 2);
		x->status = col_str(st, 3);
		x->detail = col_str(st, 4);
		x->modified = col_time(st, 5);
	}
	if (query_end(c, st, rc, "Mail Manager items", err) != SC_OK) {
		cache_mm_items_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_mm_items_free(struct ses_mm_item *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_mm_item_free(&v[i]);
	free(v);
}

/* ================================================================ API call log */

enum sc_status cache_log_call(struct cache *c, const struct cache_call *call,
			      struct sc_error *err)
{
	bool own;
	enum sc_status st;
	time_t t;

	if (check_one(call, err) != SC_OK)
		return SC_USAGE;
	t = call->time ? call->time : time(NULL);
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = db_run(c, "log API call", err,
		    "INSERT INTO api_calls(time, operation, service, region, http_status, status,"
		    " error_code, request_id, latency_ms, retries) VALUES (?,?,?,?,?,?,?,?,?,?)",
		    "IsssIsssIi", (int64_t)t, call->operation, call->service, call->region,
		    (int64_t)call->http_status, call->status, empty_to_null(call->error_code),
		    empty_to_null(call->request_id), call->latency_ms, call->retries);
	if (st == SC_OK && sqlite3_last_insert_rowid(c->db) % 100 == 0)
		st = db_run(c, "trim API log", err, "DELETE FROM api_calls WHERE id <= ?", "I",
			    (int64_t)(sqlite3_last_insert_rowid(c->db) - CACHE_CALLS_KEEP));
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_get_calls(struct cache *c, size_t limit, struct cache_call **out, size_t *n,
			       struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (db_query(c, &st, "API log", err,
		     "SELECT id, time, operation, service, region, http_status, status, error_code,"
		     " request_id, latency_ms, retries FROM api_calls ORDER BY id DESC LIMIT ?",
		     "I", limit ? (int64_t)limit : (int64_t)-1) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_call *x = grow((void **)out, n, &cap, sizeof(**out));
		x->id = sqlite3_column_int64(st, 0);
		x->time = col_time(st, 1);
		x->operation = col_str(st, 2);
		x->service = col_str(st, 3);
		x->region = col_str(st, 4);
		x->http_status = (long)sqlite3_column_int64(st, 5);
		x->status = col_str(st, 6);
		x->error_code = col_str(st, 7);
		x->request_id = col_str(st, 8);
		x->latency_ms = sqlite3_column_int64(st, 9);
		x->retries = sqlite3_column_int(st, 10);
	}
	if (query_end(c, st, rc, "API log", err) != SC_OK) {
		cache_calls_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_calls_free(struct cache_call *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].operation);
		free(v[i].service);
		free(v[i].region);
		free(v[i].status);
		free(v[i].error_code);
		free(v[i].request_id);
	}
	free(v);
}

/* The cache database: paths and file security, opening, repair, migration, transactions,
 * the "fetched" bookkeeping, and the helpers every family file uses (db_impl.h). */
#include "sesctl/store/db.h"

#include <cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stddef.h>
#include <pwd.h>
#include <signal.h>
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
#include "sesctl/util/file.h"
#include "db_impl.h"

#define BUSY_TIMEOUT_MS 5000
#define CACHE_LOCK_TIMEOUT_S 10.0

struct cache {
	sqlite3 *db;
	char *path;
	bool batch;
	bool read_only; /* on a read-only filesystem: opened as it is */
	bool check;     /* run the integrity check at open: the last user did not close cleanly */
	bool entered;   /* this process is in <path>.users (cache_close takes it out) */
};

/* ================================================================ paths and files */

enum sc_status cache_default_path(char **out, struct sc_error *err)
{
	char *base = NULL;
	struct buf b = BUF_INIT;
	enum sc_status st = file_xdg_base("XDG_CACHE_HOME", ".cache", &base, err);

	*out = NULL;
	if (st != SC_OK)
		return st;
	buf_printf(&b, "%s/sesctl/cache.sqlite3", base);
	free(base);
	*out = buf_steal(&b);
	return SC_OK;
}

/* For an explicit path: create its last directory 0700 when missing, leave existing ones. */
static enum sc_status prepare_explicit_dir(const char *path, struct sc_error *err)
{
	char *dir = file_dir_of(path);
	struct stat st;
	enum sc_status rc = SC_OK;

	if (stat(dir, &st) != 0) {
		if (errno == ENOENT)
			rc = file_private_dir(dir, err);
		else
			rc = sc_fail(err, SC_IO, "cannot inspect %s: %s", dir, strerror(errno));
	}
	free(dir);
	return rc;
}

/* An existing file (db, -wal or -shm): a regular file of ours, made private (group and
 * other bits taken away; what the owner restricted stays restricted: a cache made
 * read-only is refused with a clear error, never made writable again). Works by path
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
	if ((st.st_mode & 077) && chmod(path, st.st_mode & 0700) != 0)
		return sc_fail(err, SC_IO, "cannot make %s private: %s", path, strerror(errno));
	if ((st.st_mode & 0600) != 0600)
		return sc_fail(err, SC_IO,
			       "%s is not readable and writable by you (mode %04o); sesctl leaves "
			       "your choice alone: chmod u+rw it, or use another --cache",
			       path, (unsigned)(st.st_mode & 0777));
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

enum sc_status store_exec(struct cache *c, const char *sql, const char *what,
			       struct sc_error *err)
{
	if (sqlite3_exec(c->db, sql, NULL, NULL, NULL) != SQLITE_OK)
		return cache_db_fail(c, err, what);
	return SC_OK;
}

/* Bind values by a type string: s = const char * (NULL → NULL), I = int64_t, i = int,
 * d = double; "" binds nothing (the caller binds a statement it keeps). A type string that
 * does not count the statement's parameters is refused before any argument is read (a
 * miscount would read the wrong varargs). */
static int bind_values(sqlite3_stmt *st, const char *types, va_list ap)
{
	int rc = SQLITE_OK;

	if (*types && (int)strlen(types) != sqlite3_bind_parameter_count(st))
		return SQLITE_MISUSE;

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
enum sc_status store_query(struct cache *c, sqlite3_stmt **out, const char *what,
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
enum sc_status store_run(struct cache *c, const char *what, struct sc_error *err,
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
enum sc_status store_query_end(struct cache *c, sqlite3_stmt *st, int rc, const char *what,
				struct sc_error *err)
{
	enum sc_status s = SC_OK;

	if (rc != SQLITE_DONE)
		s = cache_db_fail(c, err, what);
	sqlite3_finalize(st);
	return s;
}

char *store_col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

time_t store_col_time(sqlite3_stmt *st, int i)
{
	return (time_t)sqlite3_column_int64(st, i);
}

/* Grow a result array by one zeroed element; returns it. */
void *store_grow(void **v, size_t *n, size_t *cap, size_t size)
{
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * size);
	}
	memset((char *)*v + *n * size, 0, size);
	return (char *)*v + (*n)++ * size;
}

enum sc_status store_check_key(const char *account_id, const char *region,
				struct sc_error *err)
{
	if (!account_id || !*account_id || !region || !*region)
		return sc_fail(err, SC_USAGE, "cache access needs an account id and a region");
	return SC_OK;
}

enum sc_status store_check_items(const void *v, size_t n, struct sc_error *err)
{
	if (n && !v)
		return sc_fail(err, SC_USAGE, "no items were given to cache");
	return SC_OK;
}

enum sc_status store_check_one(const void *x, struct sc_error *err)
{
	return store_check_items(x, 1, err);
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
	if (store_exec(c, "BEGIN IMMEDIATE", "begin", err) != SC_OK)
		return SC_IO;
	c->batch = true;
	return SC_OK;
}

enum sc_status cache_commit(struct cache *c, struct sc_error *err)
{
	if (!c->batch)
		return sc_fail(err, SC_USAGE, "no cache batch is open");
	c->batch = false;
	if (store_exec(c, "COMMIT", "commit", err) != SC_OK) {
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
	if (store_exec(c, "BEGIN IMMEDIATE", "begin", err) != SC_OK)
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
	if (store_exec(c, "COMMIT", "commit", err) != SC_OK) {
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

/* The check that costs nothing (every open): a file shorter than its header says was cut
 * (a copy, a full disk). Only when no write-ahead log holds pages the file does not. */
static enum verdict size_check(struct cache *c, char *why, size_t len)
{
	int64_t pages = 0, size = 0;
	struct buf wal = BUF_INIT;
	struct stat st, ws;
	bool wal_pages;

	buf_printf(&wal, "%s-wal", c->path);
	wal_pages = stat(wal.data, &ws) == 0 && ws.st_size > 0;
	buf_free(&wal);
	if (wal_pages || stat(c->path, &st) != 0 || query_int(c, "PRAGMA page_count", &pages) ||
	    query_int(c, "PRAGMA page_size", &size))
		return VERDICT_OK;
	if ((int64_t)st.st_size < pages * size)
		return damaged(why, len, "%s", "the file is shorter than its header says: cut off");
	return VERDICT_OK;
}

/* ---- who has the cache open: the integrity check runs only after an unclean close ---- */

/* A process's start time (clock ticks since boot, /proc/PID/stat field 22): with the pid,
 * a name for the process that a reused pid does not share. 0 when unknown. */
static unsigned long long process_start(long pid)
{
	char path[64], buf[1024], *p;
	unsigned long long start = 0;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%ld/stat", pid);
	f = fopen(path, "re");
	if (!f)
		return 0;
	if (fgets(buf, sizeof(buf), f) && (p = strrchr(buf, ')')) != NULL)
		sscanf(p + 2, "%*c %*d %*d %*d %*d %*d %*u %*u %*u %*u %*u %*u %*u %*d %*d %*d %*d "
			      "%*d %*d %llu", &start);
	fclose(f);
	return start;
}

/* The file as the last user left it: size and modification time. */
static bool file_stamp(const char *path, char *out, size_t len)
{
	struct stat st;

	if (stat(path, &st) != 0)
		return false;
	snprintf(out, len, "%lld %lld %ld", (long long)st.st_size, (long long)st.st_mtim.tv_sec,
		 (long)st.st_mtim.tv_nsec);
	return true;
}

/* <path>.users, read and rewritten under the opening lock: one "PID START" line per process
 * that has the cache open, and "clean SIZE MTIME" from the last one to close it cleanly
 * while no one else had it open. The integrity check (which reads the whole file) is due
 * when the file may not be as sesctl left it: a user gone without closing, a file changed
 * since the clean close with no user to change it (a copy, a full disk, a hand), or a
 * file with content no registry has seen. Returns whether it is due (enter) or false. */
static bool users_update(const char *path, bool enter)
{
	struct buf name = BUF_INIT, keep = BUF_INIT;
	long me = (long)getpid(), pid;
	unsigned long long start, my_start = process_start(me);
	bool dead = false, others = false, existed;
	char line[160], clean[96] = "", now[96] = "";
	struct stat st;
	FILE *f;
	int fd;

	buf_printf(&name, "%s.users", path);
	f = fopen(name.data, "re");
	existed = f != NULL;
	while (f && fgets(line, sizeof(line), f)) {
		if (!strncmp(line, "clean ", 6)) {
			snprintf(clean, sizeof(clean), "%.*s", (int)strcspn(line + 6, "\n"), line + 6);
			continue;
		}
		if (sscanf(line, "%ld %llu", &pid, &start) != 2)
			continue;
		if (pid == me && start == my_start)
			continue; /* ours: rewritten below when entering */
		if (process_start(pid) != start || !start) {
			dead = true;
			continue;
		}
		others = true;
		buf_printf(&keep, "%ld %llu\n", pid, start);
	}
	if (f)
		fclose(f);
	file_stamp(path, now, sizeof(now));
	if (enter) {
		buf_printf(&keep, "%ld %llu\n", me, my_start);
		/* changed since the clean close, while no one had it open */
		if (!others && *clean && strcmp(clean, now))
			dead = true;
		if (!others && !*clean && existed && stat(path, &st) == 0 && st.st_size > 0)
			dead = true;
		if (*clean && others)
			buf_printf(&keep, "clean %s\n", clean); /* still theirs to renew */
	} else if (!others && !dead && *now) {
		buf_printf(&keep, "clean %s\n", now); /* the last one out, cleanly */
	}
	fd = open(name.data, O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd >= 0) {
		if (write(fd, keep.data ? keep.data : "", keep.len) < 0)
			dead = true; /* a registry we cannot keep: check, to be safe */
		close(fd);
	}
	/* no registry yet, but a cache with content: written by a sesctl before it */
	if (enter && !existed && stat(path, &st) == 0 && st.st_size > 0)
		dead = true;
	buf_free(&name);
	buf_free(&keep);
	return dead;
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
	if (c->check)
		return run_quick_check(c, why, len, err);
	return size_check(c, why, len);
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
	return store_exec(c,
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
		st = store_exec(c, b.data, "schema version", err);
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
		st = store_exec(c, "COMMIT", "commit", err);
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
	if (file_xdg_base("XDG_CACHE_HOME", ".cache", &base, err) != SC_OK)
		return SC_IO;
	st = file_make_parents(base, err);
	buf_printf(&b, "%s/sesctl", base);
	free(base);
	if (st == SC_OK)
		st = file_private_dir(b.data, err);
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

static char *make_read_only_warning(const char *path)
{
	struct buf b = BUF_INIT;

	buf_printf(&b, "The cache %s is on a read-only filesystem: showing it as it is; "
		       "nothing new can be kept.", path);
	return buf_steal(&b);
}

/* How long to wait for another process's opening lock: SESCTL_CACHE_LOCK_TIMEOUT seconds,
 * default CACHE_LOCK_TIMEOUT_S. Opening takes milliseconds; a holder past that is stuck. */
static double lock_timeout_s(void)
{
	const char *e = getenv("SESCTL_CACHE_LOCK_TIMEOUT");
	char *end;
	double s = e && *e ? strtod(e, &end) : 0;

	return e && *e && !*end && s >= 0 && s <= 3600 ? s : CACHE_LOCK_TIMEOUT_S;
}

/* Who holds the lock, as its holder wrote it: "pid 1234 on bastion-1", or "". */
static void lock_holder(int fd, char *out, size_t len)
{
	char text[128];
	ssize_t n = pread(fd, text, sizeof(text) - 1, 0);
	long pid;

	out[0] = '\0';
	if (n <= 0)
		return;
	text[n] = '\0';
	text[strcspn(text, "\n")] = '\0';
	pid = strtol(text, NULL, 10);
	snprintf(out, len, " by pid %.100s%s", text,
		 pid > 0 && kill((pid_t)pid, 0) != 0 && errno == ESRCH ? " (no longer running)" : "");
}

/* Opening (probe, migrate, move aside) is serialised between processes with flock on
 * <path>.lock, so two sesctl starting at once never both rebuild, or move aside a file the
 * other has just created. The holder writes its pid and host into the file, so a waiter
 * that gives up can say who holds it. Returns the locked fd or -1. */
static int lock_opening(const char *path, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	double waited = 0, limit = lock_timeout_s();
	char holder[160], host[64] = "";
	int fd;

	buf_printf(&b, "%s.lock", path);
	fd = open(b.data, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600);
	if (fd < 0) {
		int e = errno;
		sc_fail(err, SC_IO, "cannot create the lock file %s: %s", b.data, strerror(e));
		errno = e;
	}
	while (fd >= 0 && flock(fd, LOCK_EX | LOCK_NB) != 0) {
		if (errno == EINTR)
			continue;
		if (errno == EWOULDBLOCK && waited < limit) {
			usleep(50 * 1000);
			waited += 0.05;
			continue;
		}
		if (errno == EWOULDBLOCK) {
			lock_holder(fd, holder, sizeof(holder));
			sc_fail(err, SC_IO,
				"the cache %s is being opened by another sesctl%s; gave up after %.0f s "
				"(SESCTL_CACHE_LOCK_TIMEOUT sets the wait)",
				path, holder, limit);
		} else {
			sc_fail(err, SC_IO, "cannot lock %s: %s", b.data, strerror(errno));
		}
		close(fd);
		fd = -1;
	}
	if (fd >= 0) {
		gethostname(host, sizeof(host) - 1);
		if (ftruncate(fd, 0) == 0)
			dprintf(fd, "%ld on %s\n", (long)getpid(), host);
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

/* The cache on a read-only filesystem (a snapshot mounted for a post-mortem, a locked-down
 * bastion): opened read-only as it is, never repaired or migrated, so --offline reads
 * still work. Writes then fail with SC_IO naming the read-only file. */
static enum sc_status open_read_only(struct cache *c, struct sc_error *err)
{
	struct stat st;
	int64_t app = 0, ver = 0;

	if (lstat(c->path, &st) != 0 || S_ISLNK(st.st_mode) || !S_ISREG(st.st_mode) ||
	    st.st_uid != geteuid())
		return sc_fail(err, SC_IO,
			       "the cache %s is on a read-only filesystem and there is no usable "
			       "cache file there to read",
			       c->path);
	/* with its -shm there, a WAL cache reads as it is; without, sqlite cannot make one
	 * on a read-only disk and the file is read as immutable (the main file alone) */
	for (int immutable = 0; immutable < 2; immutable++) {
		struct buf uri = BUF_INIT;
		int rc;

		close_db(c);
		buf_puts(&uri, "file:");
		for (const char *p = c->path; *p; p++) /* the URI's reserved characters */
			if (strchr("?#%", *p))
				buf_printf(&uri, "%%%02X", (unsigned char)*p);
			else
				buf_putc(&uri, *p);
		buf_puts(&uri, immutable ? "?immutable=1" : "?mode=ro");
		rc = sqlite3_open_v2(uri.data, &c->db,
				     SQLITE_OPEN_READONLY | SQLITE_OPEN_NOFOLLOW | SQLITE_OPEN_URI,
				     NULL);
		buf_free(&uri);
		if (rc == SQLITE_OK && query_int(c, "PRAGMA application_id", &app) == SQLITE_OK)
			break;
	}
	if (!c->db) {
		close_db(c);
		return sc_fail(err, SC_IO, "cannot open the cache %s read-only: out of memory",
			       c->path);
	}
	sqlite3_extended_result_codes(c->db, 0);
	sqlite3_busy_timeout(c->db, BUSY_TIMEOUT_MS);
	if (query_int(c, "PRAGMA application_id", &app) != SQLITE_OK ||
	    query_int(c, "PRAGMA user_version", &ver) != SQLITE_OK ||
	    app != CACHE_APPLICATION_ID || ver != cache_schema_version()) {
		sc_fail(err, SC_IO,
			"the cache %s is on a read-only filesystem and cannot be used as it is (%s)",
			c->path,
			app != CACHE_APPLICATION_ID ? "not a sesctl cache, or damaged"
						    : "written by another sesctl version");
		close_db(c);
		return SC_IO;
	}
	c->read_only = true;
	return SC_OK;
}

bool cache_read_only(const struct cache *c)
{
	return c->read_only;
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
	if (lock < 0 && errno == EROFS) {
		st = open_read_only(c, err);
		if (st == SC_OK && warning)
			*warning = make_read_only_warning(c->path);
		if (st == SC_OK)
			*out = c;
		else
			cache_close(c);
		return st;
	}
	if (lock < 0) {
		cache_close(c);
		return SC_IO;
	}
	c->check = users_update(c->path, true);
	c->entered = true;
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
	int lock;

	if (!c)
		return;
	cache_rollback(c);
	if (c->db)
		sqlite3_close_v2(c->db);
	if (c->entered && (lock = lock_opening(c->path, NULL)) >= 0) { /* a clean close */
		users_update(c->path, false);
		close(lock);
	}
	free(c->path);
	free(c);
}

/* ================================================================ JSON helpers */

void store_json_put_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
}

void store_json_put_num(cJSON *o, const char *k, double v)
{
	cJSON_AddNumberToObject(o, k, v);
}

void store_json_put_bool(cJSON *o, const char *k, bool v)
{
	cJSON_AddBoolToObject(o, k, v);
}

void store_json_put_strv(cJSON *o, const char *k, char *const *v, size_t n)
{
	cJSON *a = cJSON_AddArrayToObject(o, k);

	for (size_t i = 0; a && i < n; i++)
		cJSON_AddItemToArray(a, v[i] ? cJSON_CreateString(v[i]) : cJSON_CreateNull());
}

char *store_json_get_str(const cJSON *o, const char *k)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(x) ? xstrdup(x->valuestring) : NULL;
}

double store_json_get_num(const cJSON *o, const char *k, double dflt)
{
	const cJSON *x = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsNumber(x) ? x->valuedouble : dflt;
}

bool store_json_get_bool(const cJSON *o, const char *k)
{
	return cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(o, k));
}

char **store_json_get_strv(const cJSON *o, const char *k, size_t *n)
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
char *store_json_finish(cJSON *o)
{
	char *s = o ? cJSON_PrintUnformatted(o) : NULL;

	cJSON_Delete(o);
	if (!s) {
		fputs("sesctl: out of memory\n", stderr);
		abort();
	}
	return s;
}

cJSON *store_json_new(void)
{
	cJSON *o = cJSON_CreateObject();

	if (!o) {
		fputs("sesctl: out of memory\n", stderr);
		abort();
	}
	return o;
}

enum sc_status store_json_parse(sqlite3_stmt *st, int col, cJSON **out, const char *what,
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

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "note account", err,
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
	if (store_query(c, &st, "accounts", err,
		     "SELECT account_id, region, profile, last_used FROM accounts"
		     " ORDER BY last_used DESC, account_id, region",
		     "") != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_account_row *r = store_grow((void **)out, n, &cap, sizeof(**out));
		r->account_id = store_col_str(st, 0);
		r->region = store_col_str(st, 1);
		r->profile = store_col_str(st, 2);
		r->last_used = store_col_time(st, 3);
	}
	if (store_query_end(c, st, rc, "accounts", err) != SC_OK) {
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
	[CACHE_KIND_FEEDBACK] = "feedback",
	[CACHE_KIND_EVENTS] = "events",
	[CACHE_KIND_HISTORY] = "history",
	[CACHE_KIND_TENANTS] = "tenants",
	[CACHE_KIND_RECOMMENDATIONS] = "recommendations",
};

void cache_names_free(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

const char *cache_kind_name(enum cache_kind k)
{
	if ((unsigned)k >= CACHE_KIND_COUNT)
		return "unknown";
	return kind_names[k];
}

/* Inside a write transaction. */
enum sc_status store_mark_fetched(struct cache *c, const char *account_id, const char *region,
				   enum cache_kind k, time_t fetched, struct sc_error *err)
{
	return store_run(c, "sync state", err,
		      "INSERT INTO sync_state(account_id, region, kind, fetched) VALUES (?,?,?,?)"
		      " ON CONFLICT(account_id, region, kind) DO UPDATE SET"
		      " fetched = excluded.fetched, last_error = NULL, error_time = 0",
		      "sssI", account_id, region, cache_kind_name(k), (int64_t)fetched);
}

enum sc_status cache_mark_fetched(struct cache *c, const char *account_id, const char *region,
				  enum cache_kind k, time_t fetched, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, store_mark_fetched(c, account_id, region, k, fetched, err), err);
}

enum sc_status cache_mark_error(struct cache *c, const char *account_id, const char *region,
				enum cache_kind k, const char *message, struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "sync state", err,
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
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "sync state", err,
		     "SELECT fetched, last_error FROM sync_state"
		     " WHERE account_id = ? AND region = ? AND kind = ?",
		     "sss", account_id, region, cache_kind_name(k)) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*fetched = store_col_time(st, 0);
		if (last_error)
			*last_error = store_col_str(st, 1);
		rc = SQLITE_DONE;
	}
	return store_query_end(c, st, rc, "sync state", err);
}

enum sc_status store_delete_scope(struct cache *c, const char *table, const char *account_id,
				   const char *region, struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	enum sc_status st;

	buf_printf(&sql, "DELETE FROM %s WHERE account_id = ? AND region = ?", table);
	st = store_run(c, table, err, sql.data, "ss", account_id, region);
	buf_free(&sql);
	return st;
}

const char *store_empty_to_null(const char *s)
{
	return s && *s ? s : NULL;
}

enum sc_status store_replace(struct cache *c, const char *account_id, const char *region,
			     const struct store_replace *r, time_t fetched, struct sc_error *err)
{
	const char *item = r->items;
	enum sc_status st;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_items(r->items, r->n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	if (r->delete_sql)
		st = store_run(c, r->table, err, r->delete_sql, "sss", account_id, region, r->scope);
	else
		st = store_delete_scope(c, r->table, account_id, region, err);
	for (size_t i = 0; st == SC_OK && i < r->n; i++)
		st = r->insert(c, r->ud, account_id, region, item + i * r->size, err);
	if (st == SC_OK)
		st = store_mark_fetched(c, account_id, region, r->kind, fetched, err);
	return cache_write_end(c, own, st, err);
}

/* ================================================================ staged replaces */

static void staging_key(char *out, size_t len, const char *region, long pid)
{
	snprintf(out, len, "%s#staging-%ld", region, pid);
}

/* Rows staged by processes that are gone (killed mid-listing) are dropped. */
static enum sc_status clear_dead_stagings(struct cache *c, const char *table,
					  const char *account_id, const char *region,
					  struct sc_error *err)
{
	struct buf sql = BUF_INIT, glob = BUF_INIT;
	sqlite3_stmt *st = NULL;
	char **dead = NULL;
	size_t n = 0;
	enum sc_status rc = SC_OK;

	buf_printf(&sql, "SELECT DISTINCT region FROM %s WHERE account_id = ?1 AND region GLOB ?2",
		   table);
	buf_printf(&glob, "%s#staging-*", region);
	if (sqlite3_prepare_v2(c->db, sql.data, -1, &st, NULL) != SQLITE_OK ||
	    sqlite3_bind_text(st, 1, account_id, -1, SQLITE_STATIC) != SQLITE_OK ||
	    sqlite3_bind_text(st, 2, glob.data, -1, SQLITE_STATIC) != SQLITE_OK)
		rc = cache_db_fail(c, err, "staged rows");
	while (rc == SC_OK && sqlite3_step(st) == SQLITE_ROW) {
		const char *key = (const char *)sqlite3_column_text(st, 0);
		long pid = key ? strtol(key + glob.len - 1, NULL, 10) : 0;

		if (pid > 0 && (kill((pid_t)pid, 0) == 0 || errno != ESRCH) && pid != (long)getpid())
			continue; /* a live sesctl is listing too */
		dead = xrealloc(dead, (n + 1) * sizeof(*dead));
		dead[n++] = xstrdup(key);
	}
	sqlite3_finalize(st);
	for (size_t i = 0; i < n; i++) {
		if (rc == SC_OK)
			rc = store_delete_scope(c, table, account_id, dead[i], err);
		free(dead[i]);
	}
	free(dead);
	buf_free(&sql);
	buf_free(&glob);
	return rc;
}

enum sc_status store_stage_page(struct cache *c, const char *account_id, const char *region,
				const struct store_replace *r, bool first, struct sc_error *err)
{
	const char *item = r->items;
	char key[128];
	enum sc_status st;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_items(r->items, r->n, err) != SC_OK)
		return SC_USAGE;
	staging_key(key, sizeof(key), region, (long)getpid());
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = first ? clear_dead_stagings(c, r->table, account_id, region, err) : SC_OK;
	for (size_t i = 0; st == SC_OK && i < r->n; i++)
		st = r->insert(c, r->ud, account_id, key, item + i * r->size, err);
	return cache_write_end(c, own, st, err);
}

enum sc_status store_stage_done(struct cache *c, const char *account_id, const char *region,
				const struct store_replace *r, bool ok, time_t fetched,
				struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	char key[128];
	enum sc_status st;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	staging_key(key, sizeof(key), region, (long)getpid());
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	if (ok) {
		st = store_delete_scope(c, r->table, account_id, region, err);
		buf_printf(&sql, "UPDATE %s SET region = ? WHERE account_id = ? AND region = ?",
			   r->table);
		if (st == SC_OK)
			st = store_run(c, r->table, err, sql.data, "sss", region, account_id, key);
		if (st == SC_OK)
			st = store_mark_fetched(c, account_id, region, r->kind, fetched, err);
	} else {
		st = store_delete_scope(c, r->table, account_id, key, err);
	}
	buf_free(&sql);
	return cache_write_end(c, own, st, err);
}

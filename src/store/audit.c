#include "sesctl/store/audit.h"

#include <cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/file.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"

/* ---------------------------------------------------------------- argv helpers */

const char *audit_result_name(enum audit_result r)
{
	switch (r) {
	case AUDIT_RESULT_OK:
		return "ok";
	case AUDIT_RESULT_REFUSED:
		return "refused";
	case AUDIT_RESULT_FAILED:
		return "failed";
	case AUDIT_RESULT_STARTED:
		return "started";
	case AUDIT_RESULT_CANCELLED:
		return "cancelled";
	}
	return "failed";
}

static enum audit_result result_from(const char *s)
{
	if (s && !strcmp(s, "ok"))
		return AUDIT_RESULT_OK;
	if (s && !strcmp(s, "refused"))
		return AUDIT_RESULT_REFUSED;
	if (s && !strcmp(s, "started"))
		return AUDIT_RESULT_STARTED;
	if (s && !strcmp(s, "cancelled"))
		return AUDIT_RESULT_CANCELLED;
	return AUDIT_RESULT_FAILED;
}

static bool shell_safe(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("@%+=:,./_-", *s))
			return false;
	return true;
}

static void quote_word(struct buf *b, const char *s)
{
	if (shell_safe(s)) {
		buf_puts(b, s);
		return;
	}
	buf_putc(b, '\'');
	for (; *s; s++) {
		if (*s == '\'')
			buf_puts(b, "'\\''");
		else
			buf_putc(b, *s);
	}
	buf_putc(b, '\'');
}

char *audit_shell_quote(int argc, const char *const *argv)
{
	struct buf b = BUF_INIT;

	for (int i = 0; i < argc; i++) {
		if (i)
			buf_putc(&b, ' ');
		quote_word(&b, argv[i] ? argv[i] : "");
	}
	return buf_steal(&b);
}

static void oom(void)
{
	fputs("sesctl: out of memory\n", stderr);
	abort();
}

char *audit_argv_json(int argc, const char *const *argv)
{
	cJSON *a = cJSON_CreateArray();
	char *s;

	if (!a)
		oom();
	for (int i = 0; i < argc; i++) {
		cJSON *w = cJSON_CreateString(argv[i] ? argv[i] : "");
		if (!w)
			oom();
		cJSON_AddItemToArray(a, w);
	}
	s = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	if (!s)
		oom();
	return s;
}

bool audit_flag_is_secret(const char *arg)
{
	static const char *const words[] = {"secret", "private-key", "private_key", "password",
					    "passwd", "token", "access-key"};
	char name[128];
	size_t n = 0;

	if (!arg || arg[0] != '-' || !strcmp(arg, "--"))
		return false;
	while (*arg == '-')
		arg++;
	for (; *arg && *arg != '=' && n + 1 < sizeof(name); arg++)
		name[n++] = (char)tolower((unsigned char)*arg);
	name[n] = '\0';
	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++)
		if (strstr(name, words[i]))
			return true;
	return false;
}

static char *redacted_inline(const char *arg)
{
	const char *eq = strchr(arg, '=');
	struct buf b = BUF_INIT;

	buf_append(&b, arg, (size_t)(eq - arg) + 1);
	buf_puts(&b, AUDIT_REDACTED);
	return buf_steal(&b);
}

char **audit_redact_argv(int argc, const char *const *argv)
{
	char **out = xcalloc((size_t)(argc > 0 ? argc : 0) + 1, sizeof(*out));
	bool options = true, hide_next = false;

	for (int i = 0; i < argc; i++) {
		const char *a = argv[i] ? argv[i] : "";

		if (hide_next) {
			out[i] = xstrdup(AUDIT_REDACTED);
			hide_next = false;
			continue;
		}
		if (options && !strcmp(a, "--"))
			options = false;
		if (options && audit_flag_is_secret(a)) {
			if (strchr(a, '='))
				out[i] = redacted_inline(a);
			else
				hide_next = true;
		}
		if (!out[i])
			out[i] = xstrdup(a);
	}
	return out;
}

void audit_argv_free(char **argv)
{
	if (!argv)
		return;
	for (char **p = argv; *p; p++)
		free(*p);
	free(argv);
}

/* ---------------------------------------------------------------- who and where */

static char *os_user(void)
{
	struct passwd *pw = getpwuid(geteuid());
	const char *env = getenv("USER");
	struct buf b = BUF_INIT;

	if (pw && pw->pw_name && *pw->pw_name)
		return xstrdup(pw->pw_name);
	if (env && *env)
		return xstrdup(env);
	buf_printf(&b, "uid %ld", (long)geteuid());
	return buf_steal(&b);
}

static char *host_name(void)
{
	char h[256];

	if (gethostname(h, sizeof(h)) != 0)
		return xstrdup("unknown");
	h[sizeof(h) - 1] = '\0';
	return xstrdup(h);
}

/* ---------------------------------------------------------------- records as JSON */

static const char *action_name(enum audit_action a)
{
	return a == AUDIT_ACTION_PAUSE ? "pause" : a == AUDIT_ACTION_RESUME ? "resume" : NULL;
}

static enum audit_action action_from(const char *s)
{
	if (s && !strcmp(s, "pause"))
		return AUDIT_ACTION_PAUSE;
	if (s && !strcmp(s, "resume"))
		return AUDIT_ACTION_RESUME;
	return AUDIT_ACTION_OTHER;
}

static void add_str(cJSON *o, const char *key, const char *v)
{
	if (v && !cJSON_AddStringToObject(o, key, v))
		oom();
}

/* One line, newline included. Field names are the file format: never rename them. */
static char *line_of(const struct audit_entry *e, const char *argv_json)
{
	cJSON *o = cJSON_CreateObject(), *argv = argv_json ? cJSON_Parse(argv_json) : NULL;
	char *text;
	struct buf b = BUF_INIT;

	if (!o)
		oom();
	cJSON_AddNumberToObject(o, "time", (double)e->time);
	add_str(o, "user", e->os_user);
	add_str(o, "host", e->host);
	add_str(o, "profile", e->profile);
	add_str(o, "region", e->region);
	add_str(o, "account_id", e->account_id);
	if (argv && cJSON_IsArray(argv))
		cJSON_AddItemToObject(o, "argv", argv);
	else
		cJSON_Delete(argv);
	add_str(o, "command", e->command);
	add_str(o, "verb", e->verb);
	add_str(o, "result", audit_result_name(e->result));
	add_str(o, "status", e->status);
	add_str(o, "message", e->message);
	add_str(o, "request_id", e->request_id);
	cJSON_AddNumberToObject(o, "duration_ms", (double)e->duration_ms);
	add_str(o, "reason", e->reason);
	add_str(o, "action", action_name(e->action));
	add_str(o, "config_set", e->config_set);
	text = cJSON_PrintUnformatted(o);
	cJSON_Delete(o);
	if (!text)
		oom();
	buf_puts(&b, text);
	buf_putc(&b, '\n');
	cJSON_free(text);
	return buf_steal(&b);
}

static char *json_str(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? xstrdup(v->valuestring) : NULL;
}

static int64_t json_int(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	if (!cJSON_IsNumber(v) || !(v->valuedouble > -9.0e15 && v->valuedouble < 9.0e15))
		return 0;
	return (int64_t)v->valuedouble;
}

/* A line back into an entry; false for anything that is not a record (damage). */
static bool entry_from_line(const char *line, size_t len, struct audit_entry *e)
{
	cJSON *o = cJSON_ParseWithLength(line, len);
	const cJSON *argv;
	char *s;

	memset(e, 0, sizeof(*e));
	if (!cJSON_IsObject(o) || !cJSON_IsString(cJSON_GetObjectItemCaseSensitive(o, "verb"))) {
		cJSON_Delete(o);
		return false;
	}
	e->time = (time_t)json_int(o, "time");
	e->os_user = json_str(o, "user");
	e->host = json_str(o, "host");
	e->profile = json_str(o, "profile");
	e->region = json_str(o, "region");
	e->account_id = json_str(o, "account_id");
	argv = cJSON_GetObjectItemCaseSensitive(o, "argv");
	e->argv_json = cJSON_IsArray(argv) ? cJSON_PrintUnformatted(argv) : NULL;
	if (e->argv_json) { /* cJSON's allocator is malloc: keep it, free() works */
		s = xstrdup(e->argv_json);
		cJSON_free(e->argv_json);
		e->argv_json = s;
	}
	e->command = json_str(o, "command");
	e->verb = json_str(o, "verb");
	s = json_str(o, "result");
	e->result = result_from(s);
	free(s);
	e->status = json_str(o, "status");
	e->message = json_str(o, "message");
	e->request_id = json_str(o, "request_id");
	e->duration_ms = json_int(o, "duration_ms");
	e->reason = json_str(o, "reason");
	s = json_str(o, "action");
	e->action = action_from(s);
	free(s);
	e->config_set = json_str(o, "config_set");
	cJSON_Delete(o);
	return true;
}

static void entry_copy(struct audit_entry *to, const struct audit_entry *from)
{
	*to = *from;
#define DUP(f) to->f = from->f ? xstrdup(from->f) : NULL
	DUP(os_user);
	DUP(host);
	DUP(profile);
	DUP(region);
	DUP(account_id);
	DUP(argv_json);
	DUP(command);
	DUP(verb);
	DUP(status);
	DUP(message);
	DUP(request_id);
	DUP(reason);
	DUP(config_set);
#undef DUP
}

/* ---------------------------------------------------------------- the file */

struct audit_trail {
	char *path;
	struct audit_entry *v; /* records read so far, oldest first */
	size_t n, cap;
	off_t read_to;         /* bytes of complete lines read */
	int64_t lines;         /* complete lines read */
	dev_t dev;
	ino_t ino;
	size_t damaged;        /* damaged complete lines */
	int64_t first_damaged;
	bool torn_tail;        /* the file ends in a line without its newline */
	struct audit_entry *pending; /* imported rows that could not be written */
	size_t n_pending;
};

enum sc_status audit_default_path(char **out, struct sc_error *err)
{
	char *base = NULL;
	struct buf b = BUF_INIT;
	enum sc_status st = file_xdg_base("XDG_STATE_HOME", ".local/state", &base, err);

	*out = NULL;
	if (st != SC_OK)
		return st;
	buf_printf(&b, "%s/sesctl/audit.jsonl", base);
	free(base);
	*out = buf_steal(&b);
	return SC_OK;
}

enum sc_status audit_open(const char *path_or_null, struct audit_trail **out,
			  struct sc_error *err)
{
	struct audit_trail *t;
	char *path = NULL;

	*out = NULL;
	if (path_or_null && !*path_or_null)
		return sc_fail(err, SC_USAGE, "the audit trail's path is empty");
	if (path_or_null)
		path = xstrdup(path_or_null);
	else if (audit_default_path(&path, err) != SC_OK)
		return SC_IO;
	t = xcalloc(1, sizeof(*t));
	t->path = path;
	*out = t;
	return SC_OK;
}

static void forget_read(struct audit_trail *t)
{
	audit_entries_free(t->v, t->n);
	t->v = NULL;
	t->n = t->cap = 0;
	t->read_to = 0;
	t->lines = 0;
	t->damaged = 0;
	t->first_damaged = 0;
	t->torn_tail = false;
}

void audit_close(struct audit_trail *t)
{
	if (!t)
		return;
	forget_read(t);
	audit_entries_free(t->pending, t->n_pending);
	free(t->path);
	free(t);
}

const char *audit_path(const struct audit_trail *t)
{
	return t->path;
}

bool audit_exists(const struct audit_trail *t)
{
	struct stat st;

	return lstat(t->path, &st) == 0;
}

size_t audit_damage(const struct audit_trail *t, int64_t *first_line)
{
	if (first_line)
		*first_line = t->damaged ? t->first_damaged : t->torn_tail ? t->lines + 1 : 0;
	return t->damaged + (t->torn_tail ? 1 : 0);
}

/* The directory (made 0700 and checked) for a first write. */
static enum sc_status prepare_dir(const struct audit_trail *t, struct sc_error *err)
{
	char *dir = file_dir_of(t->path), *parent = file_dir_of(dir);
	enum sc_status st = file_make_parents(parent, err);

	if (st == SC_OK)
		st = file_private_dir(dir, err);
	free(parent);
	free(dir);
	return st;
}

static enum sc_status check_file(const struct audit_trail *t, int fd, struct stat *st,
				 struct sc_error *err)
{
	if (fstat(fd, st) != 0)
		return sc_fail(err, SC_IO, "cannot inspect the audit trail %s: %s", t->path,
			       strerror(errno));
	if (!S_ISREG(st->st_mode) || st->st_uid != geteuid())
		return sc_fail(err, SC_IO, "the audit trail %s is not a regular file of yours",
			       t->path);
	return SC_OK;
}

static enum sc_status open_for_append(const struct audit_trail *t, int *fd_out,
				      struct sc_error *err)
{
	int fd;
	struct stat st;

	*fd_out = -1;
	if (!audit_exists(t) && prepare_dir(t, err) != SC_OK)
		return SC_IO;
	fd = open(t->path, O_RDWR | O_APPEND | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC,
		  0600);
	if (fd < 0)
		return sc_fail(err, SC_IO, "cannot open the audit trail %s: %s", t->path,
			       errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (check_file(t, fd, &st, err) != SC_OK) {
		close(fd);
		return SC_IO;
	}
	if ((st.st_mode & 077) && fchmod(fd, st.st_mode & 0700) != 0) {
		sc_fail(err, SC_IO, "cannot make the audit trail %s private: %s", t->path,
			strerror(errno));
		close(fd);
		return SC_IO;
	}
	*fd_out = fd;
	return SC_OK;
}

/* flock with patience: other writers hold it for one write and one fsync. */
static bool lock_file(int fd)
{
	for (int i = 0; i < 1000; i++) {
		if (flock(fd, LOCK_EX | LOCK_NB) == 0)
			return true;
		if (errno != EWOULDBLOCK && errno != EINTR)
			return false;
		usleep(10000);
	}
	return false;
}

static enum sc_status sync_dir(const struct audit_trail *t)
{
	char *dir = file_dir_of(t->path);
	int fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);

	free(dir);
	if (fd < 0)
		return SC_IO;
	fsync(fd);
	close(fd);
	return SC_OK;
}

/* Append text (whole lines) durably, or leave the file as it was. */
static enum sc_status append_text(struct audit_trail *t, const char *text, size_t len,
				  struct sc_error *err)
{
	struct stat st;
	char last = '\n';
	size_t done = 0;
	ssize_t w;
	int fd, e = 0;
	enum sc_status rc = open_for_append(t, &fd, err);

	if (rc)
		return rc;
	if (!lock_file(fd)) {
		close(fd);
		return sc_fail(err, SC_IO, "cannot lock the audit trail %s: %s", t->path,
			       strerror(errno));
	}
	if (fstat(fd, &st) != 0) {
		e = errno;
		goto out;
	}
	/* a torn line left by a crash stays on its own line: the new record starts fresh */
	if (st.st_size > 0 && pread(fd, &last, 1, st.st_size - 1) == 1 && last != '\n' &&
	    write(fd, "\n", 1) != 1) {
		e = errno ? errno : ENOSPC;
		goto out;
	}
	while (done < len) {
		w = write(fd, text + done, len - done);
		if (w < 0 && errno == EINTR)
			continue;
		if (w <= 0) {
			e = w < 0 ? errno : ENOSPC;
			goto out;
		}
		done += (size_t)w;
	}
	if (fsync(fd) != 0)
		e = errno;
out:
	if (e && ftruncate(fd, st.st_size) == 0)
		fsync(fd);
	close(fd); /* drops the lock */
	if (e)
		return sc_fail(err, SC_IO, "cannot write the audit trail %s: %s", t->path,
			       strerror(e));
	if (st.st_size == 0)
		sync_dir(t);
	return SC_OK;
}

enum sc_status audit_record(struct audit_trail *t, const struct audit_record *r,
			    struct sc_error *err)
{
	char **argv;
	struct audit_entry e = {0};
	char *line;
	enum sc_status st;

	if (!r->verb || !*r->verb)
		return sc_fail(err, SC_USAGE, "an audit record needs a verb");
	argv = audit_redact_argv(r->argc, r->argv);
	e.time = r->time ? r->time : time(NULL);
	e.os_user = r->os_user ? xstrdup(r->os_user) : os_user();
	e.host = r->host ? xstrdup(r->host) : host_name();
	e.profile = (char *)r->profile;
	e.region = (char *)r->region;
	e.account_id = (char *)r->account_id;
	e.command = audit_shell_quote(r->argc, (const char *const *)argv);
	e.verb = (char *)r->verb;
	e.result = r->result;
	e.status = (char *)sc_status_name(r->status);
	e.message = (char *)r->message;
	e.request_id = (char *)r->request_id;
	e.duration_ms = r->duration_ms;
	e.reason = (char *)r->reason;
	e.action = r->action;
	e.config_set = (char *)r->config_set;
	char *json = audit_argv_json(r->argc, (const char *const *)argv);
	line = line_of(&e, json);
	st = append_text(t, line, strlen(line), err);
	free(json);
	free(line);
	free(e.os_user);
	free(e.host);
	free(e.command);
	audit_argv_free(argv);
	return st;
}

enum sc_status audit_import(struct audit_trail *t, const struct audit_entry *v, size_t n,
			    struct sc_error *err)
{
	struct buf b = BUF_INIT;
	enum sc_status st;

	if (!n)
		return SC_OK;
	for (size_t i = 0; i < n; i++) {
		char *line = line_of(&v[i], v[i].argv_json);

		buf_puts(&b, line);
		free(line);
	}
	st = append_text(t, b.data, b.len, err);
	buf_free(&b);
	if (st == SC_OK)
		return SC_OK;
	audit_entries_free(t->pending, t->n_pending);
	t->pending = xcalloc(n, sizeof(*t->pending));
	for (size_t i = 0; i < n; i++)
		entry_copy(&t->pending[i], &v[i]);
	t->n_pending = n;
	return st;
}

static void push_entry(struct audit_trail *t, struct audit_entry *e)
{
	if (t->n == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->v = xrealloc(t->v, t->cap * sizeof(*t->v));
	}
	t->v[t->n++] = *e;
}

/* Parse the complete lines of data; returns the bytes consumed. */
static size_t parse_lines(struct audit_trail *t, const char *data, size_t len)
{
	size_t at = 0;

	while (at < len) {
		const char *nl = memchr(data + at, '\n', len - at);
		struct audit_entry e;

		if (!nl)
			break;
		size_t n = (size_t)(nl - (data + at));
		t->lines++;
		if (n == 0) { /* a blank line (the separator after a torn one) */
		} else if (entry_from_line(data + at, n, &e)) {
			e.id = t->lines;
			push_entry(t, &e);
		} else if (!t->damaged++) {
			t->first_damaged = t->lines;
		}
		at += n + 1;
	}
	return at;
}

/* Read what was appended since the last read (all of it when the file was replaced). */
static enum sc_status refresh(struct audit_trail *t, struct sc_error *err)
{
	struct stat st;
	struct buf b = BUF_INIT;
	char chunk[65536];
	ssize_t got;
	size_t used;
	int fd = open(t->path, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC);

	if (fd < 0 && errno == ENOENT) {
		forget_read(t);
		return SC_OK;
	}
	if (fd < 0)
		return sc_fail(err, SC_IO, "cannot read the audit trail %s: %s", t->path,
			       errno == ELOOP ? "it is a symbolic link" : strerror(errno));
	if (check_file(t, fd, &st, err) != SC_OK) {
		close(fd);
		return SC_IO;
	}
	if (st.st_dev != t->dev || st.st_ino != t->ino || st.st_size < t->read_to)
		forget_read(t);
	t->dev = st.st_dev;
	t->ino = st.st_ino;
	while ((got = pread(fd, chunk, sizeof(chunk), t->read_to + (off_t)b.len)) > 0)
		buf_append(&b, chunk, (size_t)got);
	close(fd);
	if (got < 0) {
		buf_free(&b);
		return sc_fail(err, SC_IO, "cannot read the audit trail %s: %s", t->path,
			       strerror(errno));
	}
	used = parse_lines(t, b.data ? b.data : "", b.len);
	t->read_to += (off_t)used;
	t->torn_tail = used < b.len;
	buf_free(&b);
	return SC_OK;
}

/* Every record, oldest first: the pending import, then the file. */
static void each_record(const struct audit_trail *t, size_t i, const struct audit_entry **e)
{
	*e = i < t->n_pending ? &t->pending[i] : &t->v[i - t->n_pending];
}

enum sc_status audit_list(struct audit_trail *t, const char *verb, size_t limit,
			  struct audit_entry **out, size_t *n, struct sc_error *err)
{
	size_t total, cap = 0;

	*out = NULL;
	*n = 0;
	if (refresh(t, err) != SC_OK)
		return SC_IO;
	total = t->n_pending + t->n;
	for (size_t i = total; i-- > 0 && (!limit || *n < limit);) {
		const struct audit_entry *e;

		each_record(t, i, &e);
		if (verb && *verb && (!e->verb || strcmp(e->verb, verb)))
			continue;
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		entry_copy(&(*out)[(*n)++], e);
	}
	return SC_OK;
}

static bool same_opt(const char *a, const char *b)
{
	if (!a || !*a)
		return !b || !*b;
	return b && !strcmp(a, b);
}

enum sc_status audit_last_pause(struct audit_trail *t, const char *account_id, const char *region,
				const char *config_set, struct audit_entry *out,
				struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	if (!account_id || !region)
		return sc_fail(err, SC_USAGE, "the pause state needs an account id and a region");
	if (refresh(t, err) != SC_OK)
		return SC_IO;
	for (size_t i = t->n_pending + t->n; i-- > 0;) {
		const struct audit_entry *e;

		each_record(t, i, &e);
		if (e->action == AUDIT_ACTION_OTHER || e->result != AUDIT_RESULT_OK ||
		    !same_opt(account_id, e->account_id) || !same_opt(region, e->region) ||
		    !same_opt(config_set, e->config_set))
			continue;
		if (e->action != AUDIT_ACTION_PAUSE)
			break;
		entry_copy(out, e);
		return SC_OK;
	}
	return sc_fail(err, SC_NOT_FOUND, "no pause of sending is recorded for %s in %s",
		       account_id, region);
}

/* ---------------------------------------------------------------- older caches */

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

static void entry_from_row(sqlite3_stmt *st, struct audit_entry *e)
{
	char *result;

	memset(e, 0, sizeof(*e));
	e->id = sqlite3_column_int64(st, 0);
	e->time = (time_t)sqlite3_column_int64(st, 1);
	e->os_user = col_str(st, 2);
	e->host = col_str(st, 3);
	e->profile = col_str(st, 4);
	e->region = col_str(st, 5);
	e->account_id = col_str(st, 6);
	e->argv_json = col_str(st, 7);
	e->command = col_str(st, 8);
	e->verb = col_str(st, 9);
	result = col_str(st, 10);
	e->result = result_from(result);
	free(result);
	e->status = col_str(st, 11);
	e->message = col_str(st, 12);
	e->request_id = col_str(st, 13);
	e->duration_ms = sqlite3_column_int64(st, 14);
	e->reason = col_str(st, 15);
	e->action = (enum audit_action)sqlite3_column_int(st, 16);
	e->config_set = col_str(st, 17);
}

enum sc_status audit_cache_rows(struct cache *c, struct audit_entry **out, size_t *n,
				struct sc_error *err)
{
	static const char sql[] =
		"SELECT id, time, os_user, host, profile, region, account_id, argv_json, command,"
		" verb, result, status, message, request_id, duration_ms, reason, action,"
		" config_set FROM audit WHERE verb IS NOT NULL ORDER BY id";
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL);
	while (rc == SQLITE_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		if (*n == cap) {
			cap = cap ? cap * 2 : 16;
			*out = xrealloc(*out, cap * sizeof(**out));
		}
		entry_from_row(st, &(*out)[(*n)++]);
		rc = SQLITE_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE) {
		audit_entries_free(*out, *n);
		*out = NULL;
		*n = 0;
		return cache_db_fail(c, err, "audit rows");
	}
	return SC_OK;
}

void audit_entry_free(struct audit_entry *e)
{
	free(e->os_user);
	free(e->host);
	free(e->profile);
	free(e->region);
	free(e->account_id);
	free(e->argv_json);
	free(e->command);
	free(e->verb);
	free(e->status);
	free(e->message);
	free(e->request_id);
	free(e->reason);
	free(e->config_set);
	memset(e, 0, sizeof(*e));
}

void audit_entries_free(struct audit_entry *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		audit_entry_free(&v[i]);
	free(v);
}

#include "sesctl/store/audit.h"

#include <cJSON.h>
#include <ctype.h>
#include <pwd.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/util/buf.h"

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

/* ---------------------------------------------------------------- sqlite helpers */

static int bind_opt(sqlite3_stmt *st, int i, const char *s)
{
	return s ? sqlite3_bind_text(st, i, s, -1, SQLITE_STATIC) : sqlite3_bind_null(st, i);
}

static char *col_str(sqlite3_stmt *st, int i)
{
	const unsigned char *s = sqlite3_column_text(st, i);

	return s ? xstrdup((const char *)s) : NULL;
}

static enum sc_status insert_row(struct cache *c, const struct audit_record *r,
				 const char *user, const char *host, const char *json,
				 const char *command, struct sc_error *err)
{
	static const char sql[] =
		"INSERT INTO audit(time, os_user, host, profile, region, account_id, argv_json,"
		" command, verb, result, status, message, request_id, duration_ms, reason, action,"
		" config_set) VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)";
	sqlite3 *db = cache_db(c);
	sqlite3_stmt *st = NULL;
	int rc = sqlite3_prepare_v2(db, sql, -1, &st, NULL);
	int i = 1;

	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, i++, (int64_t)(r->time ? r->time : time(NULL)));
	const char *texts[] = {user, host, r->profile, r->region, r->account_id, json, command,
			       r->verb, audit_result_name(r->result), sc_status_name(r->status),
			       r->message, r->request_id};
	for (size_t k = 0; rc == SQLITE_OK && k < sizeof(texts) / sizeof(texts[0]); k++)
		rc = bind_opt(st, i++, texts[k]);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, i++, r->duration_ms);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, i++, r->reason);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int(st, i++, (int)r->action);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, i++, r->config_set);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_finalize(st);
	if (rc != SQLITE_DONE)
		return cache_db_fail(c, err, "audit record");
	return SC_OK;
}

enum sc_status audit_record(struct cache *c, const struct audit_record *r, struct sc_error *err)
{
	char **argv = audit_redact_argv(r->argc, r->argv);
	char *json = audit_argv_json(r->argc, (const char *const *)argv);
	char *command = audit_shell_quote(r->argc, (const char *const *)argv);
	char *user = r->os_user ? xstrdup(r->os_user) : os_user();
	char *host = r->host ? xstrdup(r->host) : host_name();
	enum sc_status st;
	bool own;

	if (!r->verb || !*r->verb)
		st = sc_fail(err, SC_USAGE, "an audit record needs a verb");
	else
		st = cache_write_begin(c, &own, err);
	if (st == SC_OK)
		st = cache_write_end(c, own, insert_row(c, r, user, host, json, command, err), err);
	audit_argv_free(argv);
	free(json);
	free(command);
	free(user);
	free(host);
	return st;
}

#define ENTRY_COLUMNS                                                                     \
	"id, time, os_user, host, profile, region, account_id, argv_json, command, verb,"  \
	" result, status, message, request_id, duration_ms, reason, action, config_set"

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

enum sc_status audit_list(struct cache *c, const char *verb, size_t limit,
			  struct audit_entry **out, size_t *n, struct sc_error *err)
{
	static const char sql[] = "SELECT " ENTRY_COLUMNS " FROM audit"
				  " WHERE ?1 IS NULL OR verb = ?1 ORDER BY id DESC LIMIT ?2";
	sqlite3_stmt *st = NULL;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	rc = sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, 1, verb && *verb ? verb : NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_bind_int64(st, 2, limit ? (int64_t)limit : -1);
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
		return cache_db_fail(c, err, "audit log");
	}
	return SC_OK;
}

enum sc_status audit_last_pause(struct cache *c, const char *account_id, const char *region,
				const char *config_set, struct audit_entry *out,
				struct sc_error *err)
{
	static const char sql[] =
		"SELECT " ENTRY_COLUMNS " FROM audit WHERE account_id = ?1 AND region = ?2"
		" AND action IN (1, 2) AND result = 'ok'"
		" AND ((?3 IS NULL AND config_set IS NULL) OR config_set = ?3)"
		" ORDER BY id DESC LIMIT 1";
	sqlite3_stmt *st = NULL;
	int rc;

	memset(out, 0, sizeof(*out));
	if (!account_id || !region)
		return sc_fail(err, SC_USAGE, "the pause state needs an account id and a region");
	rc = sqlite3_prepare_v2(cache_db(c), sql, -1, &st, NULL);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, 1, account_id);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, 2, region);
	if (rc == SQLITE_OK)
		rc = bind_opt(st, 3, config_set && *config_set ? config_set : NULL);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	if (rc == SQLITE_ROW && sqlite3_column_int(st, 16) == AUDIT_ACTION_PAUSE) {
		entry_from_row(st, out);
		sqlite3_finalize(st);
		return SC_OK;
	}
	sqlite3_finalize(st);
	if (rc != SQLITE_ROW && rc != SQLITE_DONE)
		return cache_db_fail(c, err, "audit log");
	return sc_fail(err, SC_NOT_FOUND, "no pause of sending is recorded for %s in %s",
		       account_id, region);
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

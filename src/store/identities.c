/* The identities of an account and region: the list, each one's details, deletes. */
#include "sesctl/store/identities.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

/* Scalar fields are columns (a list of 10,000 loads without parsing JSON); policies and
 * tags, rarely present, ride in one JSON column. */
enum col_type { COL_STR, COL_BOOL, COL_TIME };

struct col {
	const char *name;
	enum col_type type;
	size_t off;
	bool brief; /* read by a brief list too: what a row of every identity shows */
};

#define ID_COL(f, t) {#f, t, offsetof(struct ses_identity, f), false}
#define ID_BRIEF(f, t) {#f, t, offsetof(struct ses_identity, f), true}
static const struct col identity_cols[] = {
	ID_BRIEF(type, COL_STR),
	ID_BRIEF(verification_status, COL_STR),
	ID_BRIEF(sending_enabled, COL_BOOL),
	ID_COL(verified_for_sending, COL_BOOL),
	ID_BRIEF(feedback_forwarding, COL_BOOL),
	ID_BRIEF(has_details, COL_BOOL),
	ID_BRIEF(dkim_signing_enabled, COL_BOOL),
	ID_BRIEF(dkim_status, COL_STR),
	ID_COL(dkim_origin, COL_STR),
	ID_COL(dkim_current_key_length, COL_STR),
	ID_COL(dkim_next_key_length, COL_STR),
	ID_COL(dkim_last_key_generation, COL_TIME),
	ID_BRIEF(mail_from_domain, COL_STR),
	ID_BRIEF(mail_from_status, COL_STR),
	ID_BRIEF(mail_from_on_mx_failure, COL_STR),
	ID_BRIEF(configuration_set, COL_STR),
	ID_COL(verification_token, COL_STR),
	ID_COL(verification_error, COL_STR),
	ID_COL(verification_last_checked, COL_TIME),
	ID_BRIEF(fetched, COL_TIME),
};
#undef ID_COL
#undef ID_BRIEF
#define N_IDENTITY_COLS (sizeof(identity_cols) / sizeof(identity_cols[0]))

static void identity_col_list(struct buf *b, bool brief)
{
	for (size_t i = 0; i < N_IDENTITY_COLS; i++)
		if (!brief || identity_cols[i].brief)
			buf_printf(b, ", %s", identity_cols[i].name);
	if (!brief)
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
		*(char **)(void *)p = store_col_str(st, i);
		break;
	case COL_BOOL:
		*(bool *)(void *)p = sqlite3_column_int(st, i) != 0;
		break;
	case COL_TIME:
		*(time_t *)(void *)p = store_col_time(st, i);
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
	o = store_json_new();
	a = cJSON_AddArrayToObject(o, "policies");
	for (size_t i = 0; a && i < x->n_policies; i++) {
		cJSON *p = cJSON_CreateObject();
		store_json_put_str(p, "name", x->policies[i].name);
		store_json_put_str(p, "document", x->policies[i].document);
		cJSON_AddItemToArray(a, p);
	}
	a = cJSON_AddArrayToObject(o, "tags");
	for (size_t i = 0; a && i < x->n_tags; i++) {
		cJSON *t = cJSON_CreateObject();
		store_json_put_str(t, "key", x->tags[i].key);
		store_json_put_str(t, "value", x->tags[i].value);
		cJSON_AddItemToArray(a, t);
	}
	return store_json_finish(o);
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
			x->policies[i].name = store_json_get_str(it, "name");
			x->policies[i++].document = store_json_get_str(it, "document");
		}
		x->n_policies = i;
	}
	a = cJSON_GetObjectItemCaseSensitive(o, "tags");
	if (cJSON_IsArray(a) && cJSON_GetArraySize(a) > 0) {
		x->tags = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*x->tags));
		i = 0;
		cJSON_ArrayForEach(it, a) {
			x->tags[i].key = store_json_get_str(it, "key");
			x->tags[i++].value = store_json_get_str(it, "value");
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
	identity_col_list(&sql, false);
	buf_puts(&sql, ", rname) VALUES (?, ?, ?");
	for (size_t i = 0; i < N_IDENTITY_COLS + 3; i++)
		buf_puts(&sql, ", ?");
	buf_putc(&sql, ')');
	s = store_query(c, st, "store identity", err, sql.data, "");
	buf_free(&sql);
	return s;
}

/* Bind and run the prepared insert for one identity. */
static enum sc_status insert_identity(struct cache *c, sqlite3_stmt *st, const char *account_id,
				      const char *region, const struct ses_identity *x,
				      struct sc_error *err)
{
	char *tokens, *extra, *rname;
	int rc, i = 1;

	if (!x->name || !*x->name)
		return sc_fail(err, SC_USAGE, "an identity without a name cannot be cached");
	tokens = join_tokens(x->dkim_tokens, x->n_dkim_tokens);
	rname = store_reverse_name(x->name);
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
	if (rc == SQLITE_OK) /* find's index (store/fleet.h) */
		rc = sqlite3_bind_text(st, i++, rname, -1, SQLITE_STATIC);
	if (rc == SQLITE_OK)
		rc = sqlite3_step(st);
	sqlite3_reset(st);
	sqlite3_clear_bindings(st);
	free(tokens);
	free(extra);
	free(rname);
	return rc == SQLITE_DONE ? SC_OK : cache_db_fail(c, err, "store identity");
}

enum sc_status cache_put_identity(struct cache *c, const char *account_id, const char *region,
				  const struct ses_identity *x, struct sc_error *err)
{
	sqlite3_stmt *st = NULL;
	enum sc_status s;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_check_one(x, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	s = prepare_identity_insert(c, &st, err);
	if (s == SC_OK)
		s = insert_identity(c, st, account_id, region, x, err);
	sqlite3_finalize(st);
	return cache_write_end(c, own, s, err);
}


struct identity_batch {
	sqlite3_stmt *st; /* prepared at the first row */
};

static enum sc_status identity_row(struct cache *c, void *ud, const char *account_id,
				   const char *region, const void *item, struct sc_error *err)
{
	struct identity_batch *b = ud;

	if (!b->st && prepare_identity_insert(c, &b->st, err) != SC_OK)
		return SC_IO;
	return insert_identity(c, b->st, account_id, region, item, err);
}

enum sc_status cache_put_identities_replace(struct cache *c, const char *account_id,
					    const char *region, const struct ses_identity *v,
					    size_t n, time_t fetched, struct sc_error *err)
{
	struct identity_batch b = {NULL};
	struct store_replace r = {.table = "identities", .kind = CACHE_KIND_IDENTITIES,
				  .items = v, .n = n, .size = sizeof(*v),
				  .insert = identity_row, .ud = &b};
	enum sc_status st = store_replace(c, account_id, region, &r, fetched, err);

	sqlite3_finalize(b.st);
	return st;
}

/* Row: name, the identity columns, dkim_tokens, extra; brief: name and the brief columns. */
static enum sc_status identity_from_row(sqlite3_stmt *st, struct ses_identity *x, bool brief,
					struct sc_error *err)
{
	int i = 1;
	cJSON *o;

	x->name = store_col_str(st, 0);
	for (size_t k = 0; k < N_IDENTITY_COLS; k++)
		if (!brief || identity_cols[k].brief)
			read_col(st, i++, &identity_cols[k], x);
	if (brief)
		return SC_OK;
	x->dkim_tokens = split_tokens((const char *)sqlite3_column_text(st, i++), &x->n_dkim_tokens);
	if (sqlite3_column_type(st, i) == SQLITE_NULL)
		return SC_OK;
	if (store_json_parse(st, i, &o, "identity", err) != SC_OK)
		return SC_IO;
	identity_extra_from(x, o);
	cJSON_Delete(o);
	return SC_OK;
}

static enum sc_status query_identities(struct cache *c, sqlite3_stmt **st, const char *account_id,
				       const char *region, const char *name, bool brief,
				       size_t limit, struct sc_error *err)
{
	struct buf sql = BUF_INIT;
	enum sc_status s;

	buf_puts(&sql, "SELECT name");
	identity_col_list(&sql, brief);
	buf_puts(&sql, " FROM identities WHERE account_id = ?1 AND region = ?2"
		       " AND (?3 IS NULL OR name = ?3) ORDER BY name");
	if (limit)
		buf_printf(&sql, " LIMIT %zu", limit);
	s = store_query(c, st, "identities", err, sql.data, "sss", account_id, region, name);
	buf_free(&sql);
	return s;
}

enum sc_status cache_get_identities(struct cache *c, const char *account_id, const char *region,
				    struct ses_identity **out, size_t *n, struct sc_error *err)
{
	return cache_get_identities_brief(c, account_id, region, false, 0, out, n, err);
}

enum sc_status cache_get_identities_brief(struct cache *c, const char *account_id,
					  const char *region, bool brief, size_t limit,
					  struct ses_identity **out, size_t *n,
					  struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (query_identities(c, &st, account_id, region, NULL, brief, limit, err) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW)
		s = identity_from_row(st, store_grow((void **)out, n, &cap, sizeof(**out)), brief,
				      err);
	if (s == SC_OK)
		s = store_query_end(c, st, rc, "identities", err);
	else
		sqlite3_finalize(st);
	if (s != SC_OK) {
		ses_identities_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

struct cache_identity_cursor {
	struct cache *c;
	sqlite3_stmt *st;
	bool brief;
};

enum sc_status cache_identities_open(struct cache *c, const char *account_id, const char *region,
				     bool brief, struct cache_identity_cursor **out,
				     struct sc_error *err)
{
	sqlite3_stmt *st;

	*out = NULL;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (query_identities(c, &st, account_id, region, NULL, brief, 0, err) != SC_OK)
		return SC_IO;
	*out = xcalloc(1, sizeof(**out));
	(*out)->c = c;
	(*out)->st = st;
	(*out)->brief = brief;
	return SC_OK;
}

enum sc_status cache_identities_next(struct cache_identity_cursor *cur, struct ses_identity *x,
				     bool *done, struct sc_error *err)
{
	enum sc_status st;
	int rc;

	memset(x, 0, sizeof(*x));
	*done = false;
	if (!cur->st) {
		*done = true;
		return SC_OK;
	}
	rc = sqlite3_step(cur->st);
	if (rc == SQLITE_ROW) {
		if (identity_from_row(cur->st, x, cur->brief, err) == SC_OK)
			return SC_OK;
		ses_identity_free(x);
		memset(x, 0, sizeof(*x));
		sqlite3_finalize(cur->st);
		cur->st = NULL;
		return SC_IO;
	}
	*done = true;
	st = store_query_end(cur->c, cur->st, rc, "identities", err);
	cur->st = NULL;
	return st;
}

void cache_identities_close(struct cache_identity_cursor *cur)
{
	if (!cur)
		return;
	if (cur->st)
		sqlite3_finalize(cur->st);
	free(cur);
}

enum sc_status cache_get_identity(struct cache *c, const char *account_id, const char *region,
				  const char *name, struct ses_identity *out, struct sc_error *err)
{
	sqlite3_stmt *st;
	int rc;
	enum sc_status s;

	memset(out, 0, sizeof(*out));
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (query_identities(c, &st, account_id, region, name ? name : "", false, 0, err) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_DONE) {
		sqlite3_finalize(st);
		return sc_fail(err, SC_NOT_FOUND, "identity %s is not in the cache", name);
	}
	if (rc != SQLITE_ROW)
		return store_query_end(c, st, rc, "identity", err);
	s = identity_from_row(st, out, false, err);
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

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_run(c, "delete identity", err,
		    "DELETE FROM identities WHERE account_id = ? AND region = ? AND name = ?",
		    "sss", account_id, region, name ? name : "");
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_identities_using_set(struct cache *c, const char *account_id,
					  const char *region, const char *set, char ***out,
					  size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "identities", err,
			"SELECT name FROM identities WHERE account_id = ?1 AND region = ?2"
			" AND configuration_set = ?3 ORDER BY name",
			"sss", account_id, region, set) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW)
		*(char **)store_grow((void **)out, n, &cap, sizeof(char *)) = store_col_str(st, 0);
	s = store_query_end(c, st, rc, "identities", err);
	if (s != SC_OK) {
		for (size_t i = 0; i < *n; i++)
			free((*out)[i]);
		free(*out);
		*out = NULL;
		*n = 0;
	}
	return s;
}

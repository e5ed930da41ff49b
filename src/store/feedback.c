/* Feedback routing (notification settings, SNS topics), events taps and events. */
#include "sesctl/store/feedback.h"

#include <ctype.h>
#include <cJSON.h>
#include <sqlite3.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

/* ---- notification settings ---- */

static char *attrs_json(const struct ses_notif_attrs *a)
{
	cJSON *o = store_json_new();

	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_topic", ses_notif_name((enum ses_notif_kind)k));
		store_json_put_str(o, key, a->topic[k]);
		snprintf(key, sizeof(key), "%s_headers", ses_notif_name((enum ses_notif_kind)k));
		store_json_put_bool(o, key, a->headers[k]);
	}
	store_json_put_bool(o, "forwarding", a->forwarding);
	return store_json_finish(o);
}

static void attrs_from_json(struct ses_notif_attrs *a, const cJSON *o)
{
	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		char key[32];

		snprintf(key, sizeof(key), "%s_topic", ses_notif_name((enum ses_notif_kind)k));
		a->topic[k] = store_json_get_str(o, key);
		snprintf(key, sizeof(key), "%s_headers", ses_notif_name((enum ses_notif_kind)k));
		a->headers[k] = store_json_get_bool(o, key);
	}
	a->forwarding = store_json_get_bool(o, "forwarding");
}

static enum sc_status insert_attrs(struct cache *c, const char *account_id, const char *region,
				   const struct ses_notif_attrs *a, time_t fetched,
				   struct sc_error *err)
{
	char *data;
	enum sc_status st;

	if (!a->identity || !*a->identity)
		return sc_fail(err, SC_USAGE, "notification settings without an identity cannot be cached");
	data = attrs_json(a);
	st = store_run(c, "store notification settings", err,
		       "INSERT OR REPLACE INTO notif_attrs(account_id, region, identity, fetched, data)"
		       " VALUES (?,?,?,?,?)",
		       "sssIs", account_id, region, a->identity, (int64_t)fetched, data);
	free(data);
	return st;
}

enum sc_status cache_put_notif_attrs(struct cache *c, const char *account_id, const char *region,
				     const struct ses_notif_attrs *v, size_t n, time_t fetched,
				     struct sc_error *err)
{
	enum sc_status st = SC_OK;
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK || store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; i < n && !st; i++)
		st = insert_attrs(c, account_id, region, &v[i], fetched, err);
	if (!st)
		st = store_run(c, "prune notification settings", err,
			       "DELETE FROM notif_attrs WHERE account_id = ?1 AND region = ?2"
			       " AND NOT EXISTS (SELECT 1 FROM identities i WHERE i.account_id = ?1"
			       " AND i.region = ?2 AND i.name = notif_attrs.identity)",
			       "ss", account_id, region);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_notif_attrs_stale(struct cache *c, const char *account_id,
				       const char *region, time_t before, size_t limit,
				       char ***names, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*names = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "notification settings", err,
			"SELECT i.name FROM identities i LEFT JOIN notif_attrs a"
			" ON a.account_id = i.account_id AND a.region = i.region AND a.identity = i.name"
			" WHERE i.account_id = ?1 AND i.region = ?2 AND coalesce(a.fetched, 0) < ?3"
			" ORDER BY coalesce(a.fetched, 0), i.name LIMIT ?4",
			"ssII", account_id, region, (int64_t)before,
			(int64_t)(limit ? limit : (size_t)INT64_MAX)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		char **slot = store_grow((void **)names, n, &cap, sizeof(**names));

		*slot = store_col_str(st, 0);
	}
	if (store_query_end(c, st, rc, "notification settings", err) != SC_OK) {
		cache_names_free(*names, *n);
		*names = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_get_notif_attrs(struct cache *c, const char *account_id, const char *region,
				     struct ses_notif_attrs **out, size_t *n,
				     struct sc_error *err)
{
	return cache_get_notif_attrs_range(c, account_id, region, NULL, NULL, out, n, err);
}

enum sc_status cache_get_notif_attrs_range(struct cache *c, const char *account_id,
					   const char *region, const char *from, const char *to,
					   struct ses_notif_attrs **out, size_t *n,
					   struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;
	cJSON *o;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "notification settings", err,
			"SELECT identity, data FROM notif_attrs WHERE account_id = ?1 AND region = ?2"
			" AND (?3 IS NULL OR identity >= ?3) AND (?4 IS NULL OR identity <= ?4)"
			" ORDER BY identity",
			"ssss", account_id, region, from, to) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_notif_attrs *a = store_grow((void **)out, n, &cap, sizeof(**out));

		a->identity = store_col_str(st, 0);
		s = store_json_parse(st, 1, &o, "notification settings", err);
		if (s == SC_OK)
			attrs_from_json(a, o);
		cJSON_Delete(o);
	}
	if (s == SC_OK)
		s = store_query_end(c, st, rc, "notification settings", err);
	else
		sqlite3_finalize(st);
	if (s != SC_OK) {
		cache_notif_attrs_free(*out, *n);
		*out = NULL;
		*n = 0;
	}
	return s;
}

void cache_notif_attrs_free(struct ses_notif_attrs *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_notif_attrs_free(&v[i]);
	free(v);
}

/* ---- SNS topics ---- */

static enum sc_status insert_topic(struct cache *c, const char *account_id, const char *region,
				   const struct cache_topic *t, struct sc_error *err)
{
	if (!t->arn || !*t->arn)
		return sc_fail(err, SC_USAGE, "a topic without an ARN cannot be cached");
	return store_run(c, "store topic", err,
			 "INSERT OR REPLACE INTO sns_topics(account_id, region, arn, state, confirmed,"
			 " pending, subscribers, detail, checked) VALUES (?,?,?,?,?,?,?,?,?)",
			 "sssiIIssI", account_id, region, t->arn, (int)t->state,
			 (int64_t)t->confirmed, (int64_t)t->pending, t->subscribers, t->detail,
			 (int64_t)t->checked);
}

static enum sc_status topic_row(struct cache *c, void *ud, const char *account_id,
				const char *region, const void *item, struct sc_error *err)
{
	(void)ud;
	return insert_topic(c, account_id, region, item, err);
}

enum sc_status cache_put_topics_replace(struct cache *c, const char *account_id,
					const char *region, const struct cache_topic *v, size_t n,
					struct sc_error *err)
{
	bool own;
	enum sc_status st;

	if (store_check_key(account_id, region, err) != SC_OK || store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	st = store_delete_scope(c, "sns_topics", account_id, region, err);
	for (size_t i = 0; i < n && !st; i++)
		st = topic_row(c, NULL, account_id, region, &v[i], err);
	return cache_write_end(c, own, st, err);
}

enum sc_status cache_put_topic(struct cache *c, const char *account_id, const char *region,
			       const struct cache_topic *t, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK || store_check_one(t, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own, insert_topic(c, account_id, region, t, err), err);
}

enum sc_status cache_get_topics(struct cache *c, const char *account_id, const char *region,
				struct cache_topic **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "topics", err,
			"SELECT arn, state, confirmed, pending, subscribers, detail, checked"
			" FROM sns_topics WHERE account_id = ? AND region = ? ORDER BY arn",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_topic *t = store_grow((void **)out, n, &cap, sizeof(**out));
		int state = sqlite3_column_int(st, 1);

		t->arn = store_col_str(st, 0);
		t->state = state >= 0 && state <= CACHE_TOPIC_ERROR ? (enum cache_topic_state)state
								    : CACHE_TOPIC_ERROR;
		t->confirmed = (long)sqlite3_column_int64(st, 2);
		t->pending = (long)sqlite3_column_int64(st, 3);
		t->subscribers = store_col_str(st, 4);
		t->detail = store_col_str(st, 5);
		t->checked = store_col_time(st, 6);
	}
	if (store_query_end(c, st, rc, "topics", err) != SC_OK) {
		cache_topics_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

void cache_topic_free(struct cache_topic *t)
{
	if (!t)
		return;
	free(t->arn);
	free(t->subscribers);
	free(t->detail);
	memset(t, 0, sizeof(*t));
}

void cache_topics_free(struct cache_topic *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		cache_topic_free(&v[i]);
	free(v);
}

/* ---- taps ---- */

enum sc_status cache_put_tap(struct cache *c, const char *account_id, const char *region,
			     const struct cache_tap *t, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK || store_check_one(t, err) != SC_OK)
		return SC_USAGE;
	if (!t->topic_arn || !t->queue_url)
		return sc_fail(err, SC_USAGE, "a tap needs its topic and its queue");
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(
	    c, own,
	    store_run(c, "store tap", err,
		      "INSERT OR REPLACE INTO taps(account_id, region, topic_arn, queue_url, queue_arn,"
		      " sub_arn, created, last_read) VALUES (?,?,?,?,?,?,?,?)",
		      "ssssssII", account_id, region, t->topic_arn, t->queue_url, t->queue_arn,
		      t->sub_arn, (int64_t)t->created, (int64_t)t->last_read),
	    err);
}

enum sc_status cache_get_taps(struct cache *c, const char *account_id, const char *region,
			      struct cache_tap **out, size_t *n, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;

	*out = NULL;
	*n = 0;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "taps", err,
			"SELECT topic_arn, queue_url, queue_arn, sub_arn, created, last_read FROM taps"
			" WHERE account_id = ? AND region = ? ORDER BY topic_arn",
			"ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct cache_tap *t = store_grow((void **)out, n, &cap, sizeof(**out));

		t->topic_arn = store_col_str(st, 0);
		t->queue_url = store_col_str(st, 1);
		t->queue_arn = store_col_str(st, 2);
		t->sub_arn = store_col_str(st, 3);
		t->created = store_col_time(st, 4);
		t->last_read = store_col_time(st, 5);
	}
	if (store_query_end(c, st, rc, "taps", err) != SC_OK) {
		cache_taps_free(*out, *n);
		*out = NULL;
		*n = 0;
		return SC_IO;
	}
	return SC_OK;
}

enum sc_status cache_delete_tap(struct cache *c, const char *account_id, const char *region,
				const char *topic_arn, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own,
			       store_run(c, "delete tap", err,
					 "DELETE FROM taps WHERE account_id = ? AND region = ?"
					 " AND topic_arn = ?",
					 "sss", account_id, region, topic_arn),
			       err);
}

enum sc_status cache_touch_tap(struct cache *c, const char *account_id, const char *region,
			       const char *topic_arn, time_t when, struct sc_error *err)
{
	bool own;

	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	return cache_write_end(c, own,
			       store_run(c, "update tap", err,
					 "UPDATE taps SET last_read = ? WHERE account_id = ?"
					 " AND region = ? AND topic_arn = ?",
					 "Isss", (int64_t)when, account_id, region, topic_arn),
			       err);
}

void cache_taps_free(struct cache_tap *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].topic_arn);
		free(v[i].queue_url);
		free(v[i].queue_arn);
		free(v[i].sub_arn);
	}
	free(v);
}

/* ---- events ---- */

/* The recipient's domain, lower-cased, into out. */
static void recipient_domain(const char *rcpt, char *out, size_t size)
{
	const char *at = rcpt ? strrchr(rcpt, '@') : NULL;
	size_t i = 0;

	out[0] = '\0';
	if (!at)
		return;
	for (at++; *at && i + 1 < size; at++)
		out[i++] = (char)tolower((unsigned char)*at);
	out[i] = '\0';
}

static void event_key(const struct ses_event *e, struct buf *k)
{
	buf_reset(k);
	if (e->sns_message_id && *e->sns_message_id)
		buf_printf(k, "sns:%s", e->sns_message_id);
	else
		buf_printf(k, "ses:%s|%lld", e->message_id ? e->message_id : "",
			   (long long)e->time);
	buf_printf(k, "|%s|%s", ses_ev_name(e->type), e->recipient ? e->recipient : "");
}

static enum sc_status insert_event(struct cache *c, const char *account_id, const char *region,
				   const struct ses_event *e, struct buf *key, size_t *added,
				   struct sc_error *err)
{
	char dom[256];
	enum sc_status st;

	event_key(e, key);
	recipient_domain(e->recipient, dom, sizeof(dom));
	st = store_run(c, "store event", err,
		       "INSERT OR IGNORE INTO events(account_id, region, ukey, time, type, published,"
		       " subtype, recipient, rdomain, status, diagnostic, reporting_mta, remote_mta_ip,"
		       " source, identity, config_set, message_id, subject, feedback_id, topic_arn,"
		       " sns_message_id, mail_time)"
		       " VALUES (?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?,?)",
		       "sssIiisssssssssssssssI", account_id, region, buf_str(key), (int64_t)e->time,
		       (int)e->type, (int)e->published, e->subtype, e->recipient,
		       dom[0] ? dom : NULL, e->status, e->diagnostic, e->reporting_mta,
		       e->remote_mta_ip, e->source, e->identity, e->config_set, e->message_id,
		       e->subject, e->feedback_id, e->topic_arn, e->sns_message_id,
		       (int64_t)e->mail_time);
	if (st == SC_OK && added)
		*added += (size_t)sqlite3_changes(cache_db(c));
	return st;
}

enum sc_status cache_put_events(struct cache *c, const char *account_id, const char *region,
				const struct ses_event *v, size_t n, size_t *added,
				struct sc_error *err)
{
	struct buf key = {0};
	enum sc_status st = SC_OK;
	bool own;

	if (added)
		*added = 0;
	if (store_check_key(account_id, region, err) != SC_OK || store_check_items(v, n, err) != SC_OK)
		return SC_USAGE;
	if (!n)
		return SC_OK;
	if (cache_write_begin(c, &own, err) != SC_OK)
		return SC_IO;
	for (size_t i = 0; i < n && !st; i++)
		st = insert_event(c, account_id, region, &v[i], &key, added, err);
	buf_free(&key);
	return cache_write_end(c, own, st, err);
}

/* Every filter is always bound (?3..?8) so one statement serves every query. */
#define EVENT_WHERE                                                                         \
	" WHERE account_id = ?1 AND region = ?2 AND (?3 = 0 OR time >= ?3)"                 \
	" AND (?4 = 0 OR time <= ?4) AND (?5 = 0 OR ((1 << type) & ?5) != 0)"               \
	" AND (?6 IS NULL OR identity = ?6) AND (?7 IS NULL OR rdomain = lower(?7))"        \
	" AND (?8 IS NULL OR message_id = ?8)"

static void event_from_row(sqlite3_stmt *st, struct ses_event *e)
{
	int type = sqlite3_column_int(st, 1);

	e->time = store_col_time(st, 0);
	e->type = type >= 0 && type < SES_EV_COUNT ? (enum ses_ev_type)type : SES_EV_BOUNCE;
	e->published = sqlite3_column_int(st, 2) != 0;
	e->subtype = store_col_str(st, 3);
	e->recipient = store_col_str(st, 4);
	e->status = store_col_str(st, 5);
	e->diagnostic = store_col_str(st, 6);
	e->reporting_mta = store_col_str(st, 7);
	e->remote_mta_ip = store_col_str(st, 8);
	e->source = store_col_str(st, 9);
	e->identity = store_col_str(st, 10);
	e->config_set = store_col_str(st, 11);
	e->message_id = store_col_str(st, 12);
	e->subject = store_col_str(st, 13);
	e->feedback_id = store_col_str(st, 14);
	e->topic_arn = store_col_str(st, 15);
	e->sns_message_id = store_col_str(st, 16);
	e->mail_time = store_col_time(st, 17);
}

enum sc_status cache_get_events(struct cache *c, const char *account_id, const char *region,
				const struct cache_event_query *q, struct ses_events *out,
				struct sc_error *err)
{
	static const struct cache_event_query all = {0};
	sqlite3_stmt *st;
	int rc;

	if (!q)
		q = &all;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "events", err,
			"SELECT time, type, published, subtype, recipient, status, diagnostic,"
			" reporting_mta, remote_mta_ip, source, identity, config_set, message_id,"
			" subject, feedback_id, topic_arn, sns_message_id, mail_time FROM events"
			EVENT_WHERE " ORDER BY time DESC, id DESC LIMIT ?9",
			"ssIIIsssI", account_id, region, (int64_t)q->since, (int64_t)q->until,
			(int64_t)q->types, q->identity, q->rdomain, q->message_id,
			(int64_t)(q->limit ? q->limit : 1000)) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_event *e = store_grow((void **)&out->v, &out->n, &out->cap, sizeof(*e));

		event_from_row(st, e);
	}
	return store_query_end(c, st, rc, "events", err);
}

enum sc_status cache_count_events(struct cache *c, const char *account_id, const char *region,
				  const struct cache_event_query *q, size_t *count,
				  struct sc_error *err)
{
	static const struct cache_event_query all = {0};
	sqlite3_stmt *st;
	int rc;

	*count = 0;
	if (!q)
		q = &all;
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "events", err, "SELECT count(*) FROM events" EVENT_WHERE,
			"ssIIIsss", account_id, region, (int64_t)q->since, (int64_t)q->until,
			(int64_t)q->types, q->identity, q->rdomain, q->message_id) != SC_OK)
		return SC_IO;
	rc = sqlite3_step(st);
	if (rc == SQLITE_ROW) {
		*count = (size_t)sqlite3_column_int64(st, 0);
		rc = sqlite3_step(st);
	}
	return store_query_end(c, st, rc, "events", err);
}

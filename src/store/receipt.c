/* Receipt rule sets with their rules (in order), and the receipt IP filters. */
#include "sesctl/store/receipt.h"

#include <cJSON.h>
#include <sqlite3.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>

#include "db_impl.h"
#include "sesctl/util/buf.h"

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
	cJSON *o = store_json_new();
	cJSON *a;

	store_json_put_strv(o, "recipients", r->recipients, r->n_recipients);
	a = cJSON_AddArrayToObject(o, "actions");
	for (size_t i = 0; a && i < r->n_actions; i++) {
		struct ses_action *act = &r->actions[i];
		cJSON *j = cJSON_CreateObject();
		store_json_put_str(j, "kind", ses_action_kind_name(act->kind));
		for (size_t f = 0; f < N_ACTION_FIELDS; f++)
			store_json_put_str(j, action_fields[f].key, *action_slot(act, f));
		cJSON_AddItemToArray(a, j);
	}
	return store_json_finish(o);
}

static void rule_from_json(struct ses_rule *r, const cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItemCaseSensitive(o, "actions");
	const cJSON *it;
	size_t i = 0;

	r->recipients = store_json_get_strv(o, "recipients", &r->n_recipients);
	if (!cJSON_IsArray(a) || cJSON_GetArraySize(a) <= 0)
		return;
	r->actions = xcalloc((size_t)cJSON_GetArraySize(a), sizeof(*r->actions));
	cJSON_ArrayForEach(it, a) {
		struct ses_action *act = &r->actions[i++];
		char *kind = store_json_get_str(it, "kind");
		act->kind = action_kind_named(kind);
		free(kind);
		for (size_t f = 0; f < N_ACTION_FIELDS; f++)
			*action_slot(act, f) = store_json_get_str(it, action_fields[f].key);
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
	st = store_run(c, "store rule set", err,
		    "INSERT INTO rule_sets(account_id, region, name, created, active, has_rules,"
		    " fetched) VALUES (?,?,?,?,?,?,?)",
		    "sssIiiI", account_id, region, rs->name, (int64_t)rs->created, (int)rs->active,
		    (int)rs->has_rules, (int64_t)rs->fetched);
	for (size_t i = 0; st == SC_OK && i < rs->n_rules; i++) {
		const struct ses_rule *r = &rs->rules[i];
		char *data = rule_json(r);
		st = store_run(c, "store receipt rule", err,
			    "INSERT INTO receipt_rules(account_id, region, rule_set, position, name,"
			    " enabled, tls_policy, scan_enabled, data) VALUES (?,?,?,?,?,?,?,?,?)",
			    "sssisisis", account_id, region, rs->name, (int)i, r->name,
			    (int)r->enabled, r->tls_policy, (int)r->scan_enabled, data);
		free(data);
	}
	return st;
}

static enum sc_status rule_set_row(struct cache *c, void *ud, const char *account_id,
				   const char *region, const void *item, struct sc_error *err)
{
	(void)ud;
	return insert_rule_set(c, account_id, region, item, err);
}

enum sc_status cache_put_rule_sets_replace(struct cache *c, const char *account_id,
					   const char *region, const struct ses_rule_set *v,
					   size_t n, time_t fetched, struct sc_error *err)
{
	/* receipt_rules go with their set (ON DELETE CASCADE) */
	struct store_replace r = {.table = "rule_sets", .kind = CACHE_KIND_RULE_SETS, .items = v,
				  .n = n, .size = sizeof(*v), .insert = rule_set_row};

	return store_replace(c, account_id, region, &r, fetched, err);
}

static enum sc_status load_rules(struct cache *c, const char *account_id, const char *region,
				 struct ses_rule_set *rs, struct sc_error *err)
{
	sqlite3_stmt *st;
	size_t cap = 0;
	int rc;
	enum sc_status s = SC_OK;
	cJSON *o;

	if (store_query(c, &st, "receipt rules", err,
		     "SELECT name, enabled, tls_policy, scan_enabled, data FROM receipt_rules"
		     " WHERE account_id = ? AND region = ? AND rule_set = ? ORDER BY position",
		     "sss", account_id, region, rs->name) != SC_OK)
		return SC_IO;
	while (s == SC_OK && (rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_rule *r = store_grow((void **)&rs->rules, &rs->n_rules, &cap, sizeof(*r));
		r->name = store_col_str(st, 0);
		r->enabled = sqlite3_column_int(st, 1) != 0;
		r->tls_policy = store_col_str(st, 2);
		r->scan_enabled = sqlite3_column_int(st, 3) != 0;
		s = store_json_parse(st, 4, &o, "receipt rule", err);
		if (s == SC_OK)
			rule_from_json(r, o);
		cJSON_Delete(o);
	}
	if (s != SC_OK) {
		sqlite3_finalize(st);
		return s;
	}
	return store_query_end(c, st, rc, "receipt rules", err);
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
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "rule sets", err,
		     "SELECT name, created, active, has_rules, fetched FROM rule_sets"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_rule_set *rs = store_grow((void **)out, n, &cap, sizeof(**out));
		rs->name = store_col_str(st, 0);
		rs->created = store_col_time(st, 1);
		rs->active = sqlite3_column_int(st, 2) != 0;
		rs->has_rules = sqlite3_column_int(st, 3) != 0;
		rs->fetched = store_col_time(st, 4);
	}
	s = store_query_end(c, st, rc, "rule sets", err);
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

static enum sc_status filter_row(struct cache *c, void *ud, const char *account_id,
				 const char *region, const void *item, struct sc_error *err)
{
	const struct ses_receipt_filter *f = item;

	(void)ud;
	return store_run(c, "store receipt filter", err,
			 "INSERT OR REPLACE INTO receipt_filters(account_id, region, name, policy,"
			 " cidr) VALUES (?,?,?,?,?)",
			 "sssss", account_id, region, f->name ? f->name : "", f->policy, f->cidr);
}

enum sc_status cache_put_filters_replace(struct cache *c, const char *account_id,
					 const char *region, const struct ses_receipt_filter *v,
					 size_t n, time_t fetched, struct sc_error *err)
{
	struct store_replace r = {.table = "receipt_filters", .kind = CACHE_KIND_FILTERS,
				  .items = v, .n = n, .size = sizeof(*v), .insert = filter_row};

	return store_replace(c, account_id, region, &r, fetched, err);
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
	if (store_check_key(account_id, region, err) != SC_OK)
		return SC_USAGE;
	if (store_query(c, &st, "receipt filters", err,
		     "SELECT name, policy, cidr FROM receipt_filters"
		     " WHERE account_id = ? AND region = ? ORDER BY name",
		     "ss", account_id, region) != SC_OK)
		return SC_IO;
	while ((rc = sqlite3_step(st)) == SQLITE_ROW) {
		struct ses_receipt_filter *f = store_grow((void **)out, n, &cap, sizeof(**out));
		f->name = store_col_str(st, 0);
		f->policy = store_col_str(st, 1);
		f->cidr = store_col_str(st, 2);
	}
	if (store_query_end(c, st, rc, "receipt filters", err) != SC_OK) {
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

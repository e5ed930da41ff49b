#include "sesctl/core/history.h"

#include <cJSON.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sesctl/util/buf.h"

/* ---- read ---- */

static bool wait_pace(const volatile sig_atomic_t *cancel)
{
	struct timespec step = {0, 50 * 1000 * 1000};

	for (int i = 0; i < HISTORY_PACE_MS / 50; i++) {
		if (cancel && *cancel)
			return false;
		nanosleep(&step, NULL);
	}
	return !(cancel && *cancel);
}

static bool is_denied(const struct sc_error *err)
{
	return !strncmp(err->code, "AccessDenied", 12) || !strncmp(err->code, "NotAuthorized", 13) ||
	       !strcmp(err->code, "UnauthorizedOperation") || err->http_status == 403;
}

/* Keep SES's events of the page (ReadOnly=false covers every service). */
static enum sc_status store_page(struct cache *c, const char *account_id, const char *region,
				 struct ct_events *page, struct history_read_report *rep,
				 struct sc_error *err)
{
	size_t keep = 0, added = 0;
	enum sc_status st;

	for (size_t i = 0; i < page->n; i++) {
		if (page->v[i].event_source && strcmp(page->v[i].event_source, CT_SES_SOURCE)) {
			ct_event_clear(&page->v[i]);
			continue;
		}
		page->v[keep++] = page->v[i];
	}
	page->n = keep;
	st = cache_put_history(c, account_id, region, page->v, page->n, &added, err);
	rep->added += added;
	return st;
}

/* One window [from, until] (until 0: up to now), newest first, at most *budget pages (each
 * spends one). *oldest: the oldest event time seen; *complete: the window's last page came. */
static enum sc_status read_window(const struct ses_ctx *ctx, struct cache *c,
				  const char *account_id, const char *region, time_t from,
				  time_t until, const struct history_read_opts *o, size_t *budget,
				  struct history_read_report *rep, time_t *oldest, bool *complete,
				  struct sc_error *err)
{
	struct ses_pager pager = {.op = "LookupEvents"};
	char *token = NULL;
	enum sc_status st = SC_OK;

	*complete = false;
	*oldest = until;
	while (*budget) {
		struct ct_lookup q = {.attr_key = "ReadOnly", .attr_value = "false", .start = from,
				      .end = until, .max_results = CT_PAGE_MAX, .next_token = token};
		struct ct_events page = {0};

		if (rep->pages && !wait_pace(o->cancel)) {
			st = sc_fail(err, SC_CANCELLED, "history: interrupted after %zu pages; what "
				     "was read is cached", rep->pages);
			break;
		}
		st = ct_lookup(ctx, &q, &page, err);
		if (st == SC_AUTH && is_denied(err)) {
			char code[sizeof(err->code)];

			snprintf(code, sizeof(code), "%s", err->code);
			sc_fail(err, SC_AUTH, "%s", HISTORY_DENIED_HINT);
			snprintf(err->code, sizeof(err->code), "%s", code);
		}
		if (!st) {
			(*budget)--;
			rep->pages++;
			rep->seen += page.n;
			rep->damaged += page.damaged;
			for (size_t i = 0; i < page.n; i++)
				if (page.v[i].time && (!*oldest || page.v[i].time < *oldest))
					*oldest = page.v[i].time;
			st = store_page(c, account_id, region, &page, rep, err);
		}
		if (!st)
			st = ses_pager_next(&pager, page.next_token, 0, err);
		free(token);
		token = !st && page.next_token ? xstrdup(page.next_token) : NULL;
		ct_events_free(&page);
		if (st)
			break;
		if (!token) {
			*complete = true;
			break;
		}
	}
	free(token);
	ses_pager_free(&pager);
	return st;
}

enum sc_status history_read(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const char *region, const struct history_read_opts *o,
			    struct history_read_report *rep, struct sc_error *err)
{
	static const struct history_read_opts none = {0};
	time_t now, newest = 0, gap_from, gap_until, oldest, floor;
	size_t budget;
	bool complete;
	enum sc_status st;

	if (!o)
		o = &none;
	memset(rep, 0, sizeof(*rep));
	now = o->now ? o->now : time(NULL);
	floor = now - HISTORY_WINDOW_S; /* CloudTrail keeps no more */
	budget = o->max_pages ? o->max_pages : HISTORY_PAGES_MAX;
	st = cache_history_newest(c, account_id, region, &newest, err);
	if (!st)
		st = cache_history_gap(c, account_id, region, &gap_from, &gap_until, err);
	if (st)
		return st;
	rep->from = newest ? newest - HISTORY_OVERLAP_S : floor;
	if (rep->from < floor)
		rep->from = floor;
	/* the newest first: what changed since the last read */
	st = read_window(ctx, c, account_id, region, rep->from, 0, o, &budget, rep, &oldest,
			 &complete, err);
	if (st)
		return st;
	if (!complete) { /* cut short: the rest of this window joins what was left before */
		rep->capped = true;
		if (!oldest)
			oldest = now;
		if (!gap_until || rep->from < gap_from)
			gap_from = rep->from;
		if (oldest > gap_until)
			gap_until = oldest;
		return cache_set_history_gap(c, account_id, region, gap_from, gap_until, err);
	}
	if (!gap_until)
		return SC_OK;
	if (gap_until < floor) /* aged out of CloudTrail: nothing left to read there */
		return cache_set_history_gap(c, account_id, region, 0, 0, err);
	if (gap_from < floor)
		gap_from = floor;
	/* then what an earlier read left unread, newest first, with the pages left */
	st = read_window(ctx, c, account_id, region, gap_from, gap_until, o, &budget, rep, &oldest,
			 &complete, err);
	if (st)
		return st;
	rep->capped = !complete;
	return cache_set_history_gap(c, account_id, region, gap_from, complete ? 0 : oldest, err);
}

/* ---- merge ---- */

const char *history_source_name(enum history_source s)
{
	switch (s) {
	case HISTORY_CLOUDTRAIL:
		return "cloudtrail";
	case HISTORY_LOCAL:
		return "local";
	case HISTORY_BOTH:
		return "both";
	}
	return "?";
}

void history_row_clear(struct history_row *r)
{
	if (!r)
		return;
	ct_event_clear(&r->ev);
	free(r->local_user);
	free(r->command);
	memset(r, 0, sizeof(*r));
}

void history_rows_free(struct history_rows *rows)
{
	if (!rows)
		return;
	for (size_t i = 0; i < rows->n; i++)
		history_row_clear(&rows->v[i]);
	free(rows->v);
	memset(rows, 0, sizeof(*rows));
}

static struct history_row *rows_add(struct history_rows *rows)
{
	if (rows->n == rows->cap) {
		rows->cap = rows->cap ? rows->cap * 2 : 32;
		rows->v = xrealloc(rows->v, rows->cap * sizeof(*rows->v));
	}
	memset(&rows->v[rows->n], 0, sizeof(rows->v[0]));
	return &rows->v[rows->n++];
}

static char *dup_or_null(const char *s)
{
	return s && *s ? xstrdup(s) : NULL;
}

static bool verb_is(const char *verb, const char *suffix)
{
	size_t n = strlen(verb), m = strlen(suffix);

	return n >= m && !strcmp(verb + n - m, suffix);
}

static enum ct_op op_of_verb(const struct audit_entry *e)
{
	const char *v = e->verb ? e->verb : "";

	if (e->action == AUDIT_ACTION_PAUSE)
		return CT_OP_PAUSE;
	if (e->action == AUDIT_ACTION_RESUME)
		return CT_OP_RESUME;
	if (!strcmp(v, "tenant pause"))
		return CT_OP_PAUSE;
	if (!strcmp(v, "tenant resume") || !strcmp(v, "tenant reinstate"))
		return CT_OP_RESUME;
	if (verb_is(v, " delete") || verb_is(v, " remove") || !strcmp(v, "events untap"))
		return CT_OP_DELETE;
	if (verb_is(v, " create") || verb_is(v, " add") || verb_is(v, " clone") ||
	    !strcmp(v, "events tap"))
		return CT_OP_CREATE;
	return CT_OP_CHANGE;
}

/* Where the verb's words end in argv (global flags may come before them), or -1. */
static int after_verb(const cJSON *argv, const char *verb)
{
	int n = cJSON_GetArraySize(argv);

	for (int i = 1; i < n; i++) {
		const char *v = verb;
		int j = i;

		while (*v && j < n) {
			const cJSON *a = cJSON_GetArrayItem(argv, j);
			size_t len = strcspn(v, " ");

			if (!cJSON_IsString(a) || strlen(a->valuestring) != len ||
			    strncmp(a->valuestring, v, len))
				break;
			v += len + (v[len] == ' ');
			j++;
		}
		if (!*v)
			return j;
	}
	return -1;
}

/* The resource a local command names: the first word after the verb's words that is not
 * an option (or an option's value); "SET/RULE" for rules; the set of a set pause. */
static void local_resource(const struct audit_entry *e, struct ct_event *ev)
{
	cJSON *argv = e->argv_json ? cJSON_Parse(e->argv_json) : NULL;
	const char *v = e->verb ? e->verb : "";
	const char *pos[2] = {0};
	int n = cJSON_GetArraySize(argv), i, np = 0;

	ev->resource_kind = !strncmp(v, "identity", 8)       ? CT_RES_IDENTITY
			    : !strncmp(v, "config-set", 10)   ? CT_RES_CONFIG_SET
			    : !strncmp(v, "receipt rule ", 13) ? CT_RES_RULE
			    : !strncmp(v, "receipt", 7)       ? CT_RES_RULE_SET
			    : !strncmp(v, "suppression", 11)  ? CT_RES_SUPPRESSION
			    : !strncmp(v, "tenant ", 7)       ? CT_RES_TENANT
			    : !strncmp(v, "sending", 7) || !strncmp(v, "account", 7) ? CT_RES_ACCOUNT
										 : CT_RES_OTHER;
	if (e->config_set && *e->config_set) {
		ev->resource_kind = CT_RES_CONFIG_SET;
		ev->resource = xstrdup(e->config_set);
		cJSON_Delete(argv);
		return;
	}
	/* argv: "sesctl", global flags, the verb's words, then positionals and options */
	i = after_verb(argv, v);
	for (; i >= 0 && i < n && np < 2; i++) {
		const cJSON *a = cJSON_GetArrayItem(argv, i);

		if (!cJSON_IsString(a))
			continue;
		if (!strncmp(a->valuestring, "--", 2)) {
			i += !strchr(a->valuestring, '=') && i + 1 < n &&
			     strncmp(cJSON_GetArrayItem(argv, i + 1)->valuestring, "--", 2) &&
			     strcmp(a->valuestring, "--yes") && strcmp(a->valuestring, "--json");
			continue;
		}
		pos[np++] = a->valuestring;
	}
	if (ev->resource_kind == CT_RES_RULE && pos[0] && pos[1]) {
		struct buf b = BUF_INIT;

		buf_printf(&b, "%s/%s", pos[0], pos[1]);
		ev->resource = buf_steal(&b);
		buf_free(&b);
	} else if (ev->resource_kind != CT_RES_ACCOUNT && pos[0]) {
		ev->resource = xstrdup(pos[0]);
	}
	cJSON_Delete(argv);
}

static void row_from_local(struct history_row *r, const struct audit_entry *e)
{
	struct buf b = BUF_INIT;

	r->source = HISTORY_LOCAL;
	r->ev.time = e->time;
	r->ev.event_name = xstrdup(e->verb ? e->verb : "?");
	r->ev.who = dup_or_null(e->os_user);
	r->ev.tool = CT_TOOL_SESCTL;
	r->ev.reason = dup_or_null(e->reason);
	r->ev.op = op_of_verb(e);
	r->ev.sending = r->ev.op == CT_OP_PAUSE ? 0 : r->ev.op == CT_OP_RESUME ? 1 : -1;
	r->ev.request_id = dup_or_null(e->request_id);
	r->ev.region = dup_or_null(e->region);
	r->ev.account_id = dup_or_null(e->account_id);
	if (e->result == AUDIT_RESULT_FAILED) {
		r->ev.error_code = xstrdup(e->status && *e->status ? e->status : "FAILED");
		r->ev.error_message = dup_or_null(e->message);
	}
	local_resource(e, &r->ev);
	buf_printf(&b, "%s@%s", e->os_user ? e->os_user : "?", e->host ? e->host : "?");
	r->local_user = buf_steal(&b);
	buf_free(&b);
	r->command = dup_or_null(e->command);
}

/* Whether a CloudTrail event and a local record name the same thing: the same kind, and
 * for the switches of one set or tenant the same name. Without it an account pause matched
 * a configuration set's pause made by sesctl minutes before (same op, same tool) and the
 * account's own pause vanished from the merged history. */
static bool same_resource(const struct ct_event *c, const struct audit_entry *e)
{
	struct ct_event l = {0};
	bool same;

	local_resource(e, &l);
	same = c->resource_kind == l.resource_kind;
	if (same && (l.resource_kind == CT_RES_CONFIG_SET || l.resource_kind == CT_RES_TENANT))
		same = c->resource && l.resource && !strcasecmp(c->resource, l.resource);
	free(l.resource);
	return same;
}

/* Which CloudTrail event (index) is this local record, or -1. */
static long match_local(const struct ct_events *ct, const bool *taken, const struct audit_entry *e)
{
	enum ct_op op;

	for (size_t i = 0; e->request_id && *e->request_id && i < ct->n; i++)
		if (!taken[i] && ct->v[i].request_id && !strcmp(ct->v[i].request_id, e->request_id))
			return (long)i;
	op = op_of_verb(e);
	for (size_t i = 0; i < ct->n; i++) {
		const struct ct_event *c = &ct->v[i];
		time_t d = c->time > e->time ? c->time - e->time : e->time - c->time;

		if (!taken[i] && c->tool == CT_TOOL_SESCTL && c->op == op && d <= HISTORY_MATCH_S &&
		    (!e->request_id || !*e->request_id || !c->request_id) && same_resource(c, e))
			return (long)i;
	}
	return -1;
}

/* Whether the verb's change is an SES call (the history keeps SES's events only): the tap's
 * SQS queue and SNS subscription are not, so CloudTrail's silence about them says nothing. */
static bool calls_ses(const char *verb)
{
	return verb && strcmp(verb, "events tap") && strcmp(verb, "events untap");
}

static bool local_counts(const struct audit_entry *e, const char *account_id, const char *region)
{
	if (e->result != AUDIT_RESULT_OK && e->result != AUDIT_RESULT_FAILED)
		return false; /* refused, cancelled or only started: nothing reached AWS (or we do
				 not know it did) */
	if (!e->account_id || strcmp(e->account_id, account_id))
		return false;
	return e->region && !strcmp(e->region, region);
}

static bool row_wanted(const struct history_row *r, const struct history_query *q)
{
	if (q->since && r->ev.time < q->since)
		return false;
	if (q->op >= 0 && (int)r->ev.op != q->op)
		return false;
	if (q->switches_only && r->ev.sending < 0)
		return false;
	if (q->resource && (!r->ev.resource || strcasecmp(r->ev.resource, q->resource)))
		return false;
	if (q->who && !(r->ev.who && strcasestr(r->ev.who, q->who)) &&
	    !(r->ev.who_arn && strcasestr(r->ev.who_arn, q->who)) &&
	    !(r->ev.role && strcasestr(r->ev.role, q->who)) &&
	    !(r->local_user && strcasestr(r->local_user, q->who)))
		return false;
	return true;
}

static int by_time_desc(const void *a, const void *b)
{
	const struct history_row *x = a, *y = b;

	return x->ev.time < y->ev.time ? 1 : x->ev.time > y->ev.time ? -1 : 0;
}

/* CloudTrail's side as rows, then each local record joined to its event or added. The
 * filters apply after the join: a local record must find its event even when only one of
 * the two names the person asked for. */
enum sc_status history_merged(struct cache *c, struct audit_trail *t, const char *account_id,
			      const char *region, const struct history_query *q,
			      struct history_rows *out, struct sc_error *err)
{
	static const struct history_query all = {.op = -1};
	struct cache_history_query cq = CACHE_HISTORY_ANY;
	struct history_rows rows = {0};
	struct ct_events ct = {0};
	struct audit_entry *local = NULL;
	size_t n_local = 0, limit;
	time_t ct_read = 0;
	bool *taken;
	enum sc_status st;

	if (!q)
		q = &all;
	limit = q->limit ? q->limit : 1000;
	cq.since = q->since;
	cq.resource = q->resource; /* indexed; a local record names the same resource */
	cq.switches_only = q->switches_only;
	cq.failed_too = true;
	cq.limit = 50000;
	st = cache_get_history(c, account_id, region, &cq, &ct, err);
	if (!st && t)
		st = audit_list(t, NULL, 0, &local, &n_local, err);
	if (st) {
		ct_events_free(&ct);
		return st;
	}
	cache_kind_age(c, account_id, region, CACHE_KIND_HISTORY, &ct_read, NULL, NULL);
	taken = xcalloc(ct.n + 1, sizeof(*taken));
	for (size_t i = 0; i < ct.n; i++) {
		struct history_row *r = rows_add(&rows);

		r->ev = ct.v[i]; /* the strings move to rows; ct.v only indexes them for matching */
		r->source = HISTORY_CLOUDTRAIL;
	}
	for (size_t i = 0; i < n_local; i++) {
		const struct audit_entry *e = &local[i];
		long m;

		if (!local_counts(e, account_id, region) || (q->since && e->time < q->since))
			continue;
		m = match_local(&ct, taken, e);
		if (m >= 0) {
			struct history_row *r = &rows.v[m];
			struct buf b = BUF_INIT;

			taken[m] = true;
			r->source = HISTORY_BOTH;
			buf_printf(&b, "%s@%s", e->os_user ? e->os_user : "?", e->host ? e->host : "?");
			r->local_user = buf_steal(&b);
			buf_free(&b);
			r->command = dup_or_null(e->command);
			if (!r->ev.reason && e->reason && *e->reason)
				r->ev.reason = xstrdup(e->reason);
			continue;
		}
		row_from_local(rows_add(&rows), e);
		rows.v[rows.n - 1].ct_read = calls_ses(e->verb) ? ct_read : 0;
	}
	free(ct.v);
	free(taken);
	audit_entries_free(local, n_local);
	if (rows.n) /* qsort with no array is undefined */
		qsort(rows.v, rows.n, sizeof(*rows.v), by_time_desc);
	for (size_t i = 0; i < rows.n; i++) {
		if (out->n < limit && row_wanted(&rows.v[i], q))
			*rows_add(out) = rows.v[i];
		else
			history_row_clear(&rows.v[i]);
	}
	free(rows.v);
	return SC_OK;
}

static bool row_is_switch_of(const struct history_row *r, enum ct_resource kind,
			     const char *name)
{
	if (r->ev.sending < 0 || r->ev.error_code || r->ev.resource_kind != kind)
		return false;
	if (kind == CT_RES_ACCOUNT)
		return true;
	return r->ev.resource && name && !strcasecmp(r->ev.resource, name);
}

enum sc_status history_last_switch(struct cache *c, struct audit_trail *t, const char *account_id,
				   const char *region, enum ct_resource kind, const char *name,
				   struct history_row *out, struct sc_error *err)
{
	struct history_rows rows = {0};
	struct history_query q = {.op = -1, .resource = kind == CT_RES_ACCOUNT ? NULL : name,
				  .switches_only = true, .limit = 5000};
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	st = history_merged(c, t, account_id, region, &q, &rows, err);
	if (st && t && (kind == CT_RES_ACCOUNT || kind == CT_RES_CONFIG_SET)) {
		/* the cache could not be read (busy, damaged): the local trail answers */
		struct audit_entry e = {0};

		history_rows_free(&rows);
		st = audit_last_pause(t, account_id, region, kind == CT_RES_ACCOUNT ? NULL : name,
				      &e, err);
		if (!st)
			row_from_local(out, &e);
		audit_entry_free(&e);
		return st;
	}
	if (st)
		return st;
	/* The newest switch decides. CloudTrail's times are whole seconds: a resume and a pause
	 * in the same second cannot be ordered, and callers ask only while sending is off, so
	 * a pause among the newest second's switches is the one. */
	st = SC_NOT_FOUND;
	for (size_t i = 0, newest = SIZE_MAX; i < rows.n; i++) {
		if (!row_is_switch_of(&rows.v[i], kind, name))
			continue;
		if (newest == SIZE_MAX)
			newest = i;
		if (rows.v[i].ev.time != rows.v[newest].ev.time)
			break;
		if (rows.v[i].ev.sending == 0) {
			*out = rows.v[i];
			memset(&rows.v[i], 0, sizeof(rows.v[i]));
			st = SC_OK;
			break;
		}
	}
	history_rows_free(&rows);
	if (st == SC_NOT_FOUND)
		sc_fail(err, SC_NOT_FOUND, "no pause of %s%s is on record",
			kind == CT_RES_ACCOUNT ? "the account" : ct_resource_name(kind),
			kind == CT_RES_ACCOUNT ? "" : name ? name : "");
	return st;
}

enum sc_status history_last_pause(struct cache *c, struct audit_trail *t, const char *account_id,
				  const char *region, const char *config_set,
				  struct history_row *out, struct sc_error *err)
{
	return history_last_switch(c, t, account_id, region,
				   config_set ? CT_RES_CONFIG_SET : CT_RES_ACCOUNT, config_set, out,
				   err);
}

enum sc_status history_last_change(struct cache *c, const char *account_id, const char *region,
				   enum ct_resource kind, const char *name, struct ct_event *out,
				   struct sc_error *err)
{
	struct cache_history_query q = CACHE_HISTORY_ANY;
	struct ct_events evs = {0};
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	q.resource_kind = (int)kind;
	q.resource = name;
	q.limit = 1;
	st = cache_get_history(c, account_id, region, &q, &evs, err);
	if (st)
		return st;
	if (!evs.n) {
		ct_events_free(&evs);
		return sc_fail(err, SC_NOT_FOUND, "no change of %s is in the account's history",
			       name ? name : "it");
	}
	*out = evs.v[0];
	memset(&evs.v[0], 0, sizeof(evs.v[0]));
	ct_events_free(&evs);
	return SC_OK;
}

void history_who_short(const struct history_row *r, char *out, size_t outlen)
{
	snprintf(out, outlen, "%s", r->ev.who && *r->ev.who ? r->ev.who : "someone");
}

/* The tool in words; "" when nothing names one. */
static void tool_words(const struct ct_event *e, struct buf *b)
{
	const char *ver = e->tool_version;

	switch (e->tool) {
	case CT_TOOL_CONSOLE:
		buf_puts(b, "in the AWS console");
		break;
	case CT_TOOL_AWS:
		buf_puts(b, "AWS itself");
		break;
	case CT_TOOL_SESCTL:
		buf_puts(b, "with sesctl");
		break;
	case CT_TOOL_CLI:
		buf_printf(b, "with the AWS CLI%s%s", ver ? " " : "",
			   ver && strchr(ver, '/') ? strchr(ver, '/') + 1 : ver ? ver : "");
		break;
	case CT_TOOL_SDK:
		buf_printf(b, "with an SDK%s%s", ver ? " " : "", ver ? ver : "");
		break;
	case CT_TOOL_OTHER:
		if (ver)
			buf_printf(b, "with %s", ver);
		break;
	case CT_TOOL_COUNT:
		break;
	}
}

/* "not yet in CloudTrail" / "not in CloudTrail" / "" (see the header). */
static const char *lag_words(const struct history_row *r)
{
	if (r->source != HISTORY_LOCAL || r->ct_read < r->ev.time)
		return "";
	return r->ct_read - r->ev.time < HISTORY_LAG_S ? "not yet in CloudTrail" : "not in CloudTrail";
}

void history_how_words(const struct history_row *r, char *out, size_t outlen)
{
	struct buf b = BUF_INIT;
	const char *lag = lag_words(r);

	tool_words(&r->ev, &b);
	if (*lag)
		buf_printf(&b, "%s%s", b.len ? ", " : "", lag);
	snprintf(out, outlen, "%s", buf_str(&b));
	buf_free(&b);
}

void history_who_words(const struct history_row *r, char *out, size_t outlen)
{
	const struct ct_event *e = &r->ev;
	struct buf b = BUF_INIT, tool = BUF_INIT;
	const char *lag = lag_words(r);

	buf_puts(&b, e->who && *e->who ? e->who : "someone");
	if (e->principal == CT_PRINCIPAL_ASSUMED_ROLE && e->role && r->source != HISTORY_LOCAL)
		buf_printf(&b, " (role %s)", e->role);
	tool_words(e, &tool);
	if (tool.len)
		buf_printf(&b, "%s%s", e->tool == CT_TOOL_AWS ? ", " : " ", buf_str(&tool));
	buf_free(&tool);
	if (*lag)
		buf_printf(&b, " (%s)", lag);
	snprintf(out, outlen, "%s", buf_str(&b));
	buf_free(&b);
}

/* sync, identities list, identity show, account: reading the account into the cache and
 * out of it. */
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "json_model.h"
#include "sesctl/core/fleet.h"
#include "sesctl/core/history.h"
#include "sesctl/core/sync.h"
#include "sesctl/ses/identities.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/account.h"
#include "sesctl/store/db.h"
#include "sesctl/store/identities.h"
#include "verbs_impl.h"

/* ---- sync ---- */

/* Ctrl-C during a sync stops it at the next step; what already arrived stays cached. */
static volatile sig_atomic_t sync_interrupted;

static void on_sigint(int sig)
{
	(void)sig;
	sync_interrupted = 1;
}

struct progress_state {
	bool tty;
	bool quiet;
	int fd; /* --progress-fd (the console's background refresh), or -1 */
};

static void draw_progress(void *ud, const struct sync_report *rep, enum sync_kind kind)
{
	const struct progress_state *ps = ud;
	const struct sync_kind_report *k = &rep->kinds[kind];

	if (ps->fd >= 0)
		dprintf(ps->fd, "kind %s %zu %zu %s\n", sync_kind_name(kind), k->done, k->total,
		        sc_status_name(k->status));
	if (ps->quiet || !ps->tty)
		return;
	if (kind == SYNC_IDENTITIES && k->total) {
		int width = 30, fill = (int)(width * k->done / k->total);

		fprintf(stderr, "\r%s identities [%.*s%*s] %zu/%zu", rep->region, fill,
		        "##############################", width - fill, "", k->done, k->total);
	} else {
		fprintf(stderr, "\r\033[K%s %s%s", rep->region, sync_kind_name(kind),
		        k->status ? " (failed)" : "");
	}
	fflush(stderr);
}

static cJSON *report_json(const struct sync_report *rep)
{
	cJSON *o = cJSON_CreateObject(), *kinds = cJSON_AddObjectToObject(o, "kinds");

	cJSON_AddStringToObject(o, "region", rep->region);
	cJSON_AddNumberToObject(o, "seconds", rep->seconds);
	cJSON_AddNumberToObject(o, "details_fetched", (double)rep->details_fetched);
	for (int k = 0; k < SYNC_KIND_COUNT; k++) {
		cJSON *e = cJSON_AddObjectToObject(kinds, sync_kind_name(k));

		cJSON_AddStringToObject(e, "status", sc_status_name(rep->kinds[k].status));
		cJSON_AddNumberToObject(e, "count", (double)rep->kinds[k].count);
		if (rep->kinds[k].message[0])
			cJSON_AddStringToObject(e, "message", rep->kinds[k].message);
	}
	return o;
}

static void report_text(struct buf *b, const struct sync_report *rep, unsigned kinds)
{
	buf_printf(b, "%s: synced in %.1f s (%zu identity details fetched)\n", rep->region,
	           rep->seconds, rep->details_fetched);
	for (int k = 0; k < SYNC_KIND_COUNT; k++) {
		if (!(kinds & (1u << k)))
			continue;
		if (rep->kinds[k].status == SC_OK && rep->kinds[k].message[0])
			buf_printf(b, "  %-13s ok      %zu (%s)\n", sync_kind_name(k),
			           rep->kinds[k].count, rep->kinds[k].message);
		else if (rep->kinds[k].status == SC_OK)
			buf_printf(b, "  %-13s ok      %zu\n", sync_kind_name(k),
			           rep->kinds[k].count);
		else
			buf_printf(b, "  %-13s %-7s %s\n", sync_kind_name(k),
			           rep->kinds[k].status == SC_UNSUPPORTED ? "n/a" : "FAILED",
			           rep->kinds[k].message);
	}
}

static enum sc_status parse_kinds(const struct verb_args *args, unsigned *kinds,
                                  struct sc_error *err)
{
	*kinds = 0;
	for (size_t i = 0; i < args->n_opts; i++) {
		int k;

		if (strncmp(args->opts[i].name, "kind", 4))
			continue;
		k = sync_kind_from(args->opts[i].value);
		if (k < 0)
			return sc_fail(
			    err, SC_USAGE,
			    "unknown --kind '%s' (account, identities, config-sets, suppression, "
			    "rule-sets, filters, send-stats, metrics, mail-manager, feedback, events)",
			    args->opts[i].value);
		*kinds |= 1u << k;
	}
	if (!*kinds)
		*kinds = SYNC_ALL;
	return SC_OK;
}

/* One region, then its fleet summary (or the error the fleet shows for it); the account's
 * lock is held while it is read. */
static enum sc_status sync_one(struct core *core, const char *region, const struct sync_options *o,
			       struct sync_report *rep, struct sc_error *err)
{
	enum sc_status st = core_learn_account(core, err);
	struct cache *c;
	int lock;

	if (st) {
		memset(rep, 0, sizeof(*rep));
		fleet_note_error(core, region, err->message);
		return st;
	}
	lock = core_cache(core, &c, NULL) == SC_OK
		   ? fleet_lock_account(cache_path(c), core->account_id, region, core->opt.interrupt)
		   : -1;
	st = sync_region(core, region, o, rep, err);
	fleet_unlock(lock);
	if (st && st != SC_PARTIAL)
		fleet_note_error(core, region, err->message);
	else
		fleet_summarize(core, core->account_id, region, NULL);
	return st;
}

static enum sc_status sync_regions(struct core *core, const struct sync_options *o,
				   const struct progress_state *ps, struct verb_result *res,
				   enum sc_status *worst, struct sc_error *err)
{
	cJSON *arr = res->json;

	for (size_t i = 0; i < core->n_regions; i++) {
		struct sync_report rep;
		struct sc_error e;
		enum sc_status st;

		sc_error_clear(&e);
		st = sync_one(core, core->regions[i], o, &rep, &e);
		if (ps->tty && !ps->quiet)
			fprintf(stderr, "\r\033[K");
		if (st && st != SC_PARTIAL) {
			*err = e;
			return st;
		}
		if (st == SC_PARTIAL) {
			*worst = SC_PARTIAL;
			*err = e;
		}
		cJSON_AddItemToArray(arr, report_json(&rep));
		report_text(&res->text, &rep, o->kinds);
	}
	return SC_OK;
}

/* --summary-first (one profile of a fleet sync): what a fleet row shows, for every region,
 * then the rest. A region whose first read failed is not read again. */
static enum sc_status sync_phases(struct core *core, const struct sync_options *o,
				  const struct progress_state *ps, struct verb_result *res,
				  enum sc_status *worst, struct sc_error *err)
{
	struct sync_options first = *o, rest = *o;
	bool *failed = xcalloc(core->n_regions + 1, sizeof(*failed));
	enum sc_status st = SC_OK;
	size_t n_failed = 0;

	first.kinds = o->kinds & SYNC_SUMMARY;
	first.no_details = true;
	rest.kinds = o->kinds & ~(SYNC_SUMMARY & ~(1u << SYNC_IDENTITIES));
	if (o->no_details)
		rest.kinds &= ~(1u << SYNC_IDENTITIES);
	for (int phase = 0; phase < 2; phase++) {
		const struct sync_options *po = phase ? &rest : &first;

		for (size_t i = 0; po->kinds && i < core->n_regions; i++) {
			struct sync_report rep;
			struct sc_error e;

			if (failed[i])
				continue;
			sc_error_clear(&e);
			st = sync_one(core, core->regions[i], po, &rep, &e);
			if (ps->fd >= 0)
				dprintf(ps->fd, "cell %s %s %s\n", core->regions[i],
					phase ? "details" : "summary", sc_status_name(st));
			if (st == SC_CANCELLED) {
				*err = e;
				free(failed);
				return st;
			}
			if (st) {
				*worst = SC_PARTIAL;
				*err = e;
				failed[i] = st != SC_PARTIAL;
				n_failed += failed[i];
			}
			if (phase || !rest.kinds) {
				cJSON_AddItemToArray(res->json, report_json(&rep));
				report_text(&res->text, &rep, o->kinds);
			}
		}
	}
	free(failed);
	/* nothing read at all (expired credentials): the error is the exit code */
	return n_failed == core->n_regions ? err->status : SC_OK;
}

enum sc_status verb_sync(struct core *core, const struct verb_args *args, struct verb_result *res,
                         struct sc_error *err)
{
	struct progress_state ps = {isatty(STDERR_FILENO), core->opt.quiet, -1};
	const char *pfd = verb_opt(args, "progress-fd");
	void (*old_int)(int);
	struct sync_options o = {0};
	const char *conc = verb_opt(args, "concurrency");
	enum sc_status st, worst = SC_OK;
	cJSON *arr;

	st = parse_kinds(args, &o.kinds, err);
	if (st)
		return st;
	if (conc && (atoi(conc) < 1 || atoi(conc) > 64))
		return sc_fail(err, SC_USAGE, "--concurrency must be 1 to 64");
	o.concurrency = conc ? atoi(conc) : 8;
	if (pfd)
		ps.fd = atoi(pfd);
	o.detail_ttl = verb_flag(args, "force") ? -1 : 0;
	o.progress = draw_progress;
	o.progress_ud = &ps;
	/* the front-end's Ctrl-C flag also cancels the calls in flight (aws/http.h); without
	 * one (the console running a verb in-process), this verb's own handler stops it at
	 * the next step */
	o.cancel = core->opt.interrupt ? core->opt.interrupt : &sync_interrupted;
	if (fleet_selected(core)) /* each cell has its own profile and regions */
		return verb_sync_fleet(core, args, o.kinds, res, err);
	if (!core->n_regions)
		return core_region(core, &(const char *){NULL}, err);
	arr = cJSON_CreateArray();
	res->json = arr;
	sync_interrupted = 0;
	old_int = core->opt.interrupt ? SIG_ERR : signal(SIGINT, on_sigint);
	o.no_details = verb_flag(args, "no-details");
	if (verb_flag(args, "summary-first"))
		st = sync_phases(core, &o, &ps, res, &worst, err);
	else
		st = sync_regions(core, &o, &ps, res, &worst, err);
	if (old_int != SIG_ERR)
		signal(SIGINT, old_int);
	if (st)
		return st;
	res->text_only = true;
	return worst;
}

/* ---- identities list / identity show ---- */

/* Refresh the identities of region when the cache is older than the refresh interval
 * (never when offline). A failed refresh is an error when it was asked for (--refresh);
 * otherwise the cached rows are shown and res->warning says why they may be stale. */
static enum sc_status ensure_identities(struct core *core, const char *region, bool force,
                                        struct verb_result *res, struct sc_error *err)
{
	struct sync_kind_report *k = NULL;
	struct sync_report rep;
	bool had_data;
	enum sc_status st;

	st = sync_fresh(core, region, 1u << SYNC_IDENTITIES, force, &rep, &had_data, err);
	if (st != SC_PARTIAL)
		return st;
	k = &rep.kinds[SYNC_IDENTITIES];
	if (force || !had_data)
		return sc_fail(err, k->status, "%s", k->message);
	verb_result_warn(res, "could not refresh %s (%s); showing the cached identities", region,
	                 k->message);
	return SC_OK;
}

static const char *const identity_columns[] = {
    "display_name",    "type", "region", "verification_status", "dkim_status", "mail_from_status",
    "sending_enabled", "age",  NULL,
};

struct sort_item {
	cJSON *row;
	const char *key;    /* the row's value of the sort key ("" when absent) */
	size_t pos;         /* where it was: equal keys keep their order */
};

static int cmp_items(const void *a, const void *b)
{
	const struct sort_item *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c ? c : (x->pos > y->pos) - (x->pos < y->pos);
}

/* A stable sort by one string member: qsort over the rows, O(n log n) (it was an insertion
 * sort with a detach by index: quadratic twice over in the rows, issue 21's scale). */
static void sort_rows(cJSON *arr, const char *key)
{
	size_t n = (size_t)cJSON_GetArraySize(arr), i = 0;
	struct sort_item *v = xcalloc(n + 1, sizeof(*v));
	cJSON *row;

	cJSON_ArrayForEach(row, arr) {  /* one walk: detaching by index walks the list each time */
		const char *k = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(row, key));

		v[i] = (struct sort_item){row, k ? k : "", i};
		i++;
	}
	qsort(v, n, sizeof(*v), cmp_items);
	arr->child = NULL;
	for (i = 0; i < n; i++) {
		v[i].row->next = v[i].row->prev = NULL;
		cJSON_AddItemToArray(arr, v[i].row);   /* O(1): cJSON keeps the tail in child->prev */
	}
	free(v);
}

/* ---- the list, streamed: one identity in memory at a time ---- */

struct id_stream {
	struct cache *c;
	const char *type, *status;     /* the filters (borrowed from the args) */
	char **regions, **accounts;    /* owned copies */
	size_t n, at;                  /* regions, and the one being walked */
	struct cache_identity_cursor *cur;
	bool brief;                    /* the front-end reads identity_columns only */
	time_t now;
};

static void id_stream_free(void *ud)
{
	struct id_stream *s = ud;

	cache_identities_close(s->cur);
	for (size_t i = 0; i < s->n; i++) {
		free(s->regions[i]);
		free(s->accounts[i]);
	}
	free(s->regions);
	free(s->accounts);
	free(s);
}

static enum sc_status id_stream_open(void *ud, bool columns_only, struct sc_error *err)
{
	struct id_stream *s = ud;

	cache_identities_close(s->cur);
	s->cur = NULL;
	s->at = 0;
	s->brief = columns_only;
	return s->n ? cache_identities_open(s->c, s->accounts[0], s->regions[0], s->brief, &s->cur,
					    err)
		    : SC_OK;
}

/* --type domain|email|all and --status STATUS */
static bool keep_filtered(const struct id_stream *s, const struct ses_identity *x)
{
	if (s->type && strcasecmp(s->type, "all")) {
		bool domain = ses_identity_is_domain(x);

		if (!strcasecmp(s->type, "domain") ? !domain : !strcasecmp(s->type, "email") ? domain : 1)
			return false;
	}
	return !s->status || (x->verification_status && !strcasecmp(s->status, x->verification_status));
}

static cJSON *id_stream_next(void *ud, enum sc_status *st, struct sc_error *err)
{
	struct id_stream *s = ud;
	struct ses_identity x;
	bool done;

	*st = SC_OK;
	while (s->cur) {
		*st = cache_identities_next(s->cur, &x, &done, err);
		if (*st)
			return NULL;
		if (!done) {
			cJSON *row = !keep_filtered(s, &x) ? NULL
				     : s->brief ? jm_identity_brief(&x, s->regions[s->at], s->now)
						: jm_identity(&x, s->regions[s->at], s->now);

			ses_identity_free(&x);
			if (row)
				return row;
			continue;
		}
		cache_identities_close(s->cur); /* this region is done: the next one */
		s->cur = NULL;
		if (++s->at < s->n)
			*st = cache_identities_open(s->c, s->accounts[s->at], s->regions[s->at],
						    s->brief, &s->cur, err);
		if (*st)
			return NULL;
	}
	return NULL;
}

enum sc_status verb_identities_list(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	const char *sort = verb_opt(args, "sort");
	bool sorted = sort && strcmp(sort, "name");
	struct id_stream *s;
	time_t now = time(NULL);
	enum sc_status st;
	cJSON *arr;

	if (sort && strcmp(sort, "name") && strcmp(sort, "status") && strcmp(sort, "type"))
		return sc_fail(err, SC_USAGE, "--sort must be name, status or type");
	if (!core->n_regions)
		return core_region(core, &(const char *){NULL}, err);
	res->columns = identity_columns;
	/* every region is refreshed and its account known before the first row is written */
	s = xcalloc(1, sizeof(*s));
	s->type = verb_opt(args, "type");
	s->status = verb_opt(args, "status");
	s->now = now;
	s->regions = xcalloc(core->n_regions, sizeof(*s->regions));
	s->accounts = xcalloc(core->n_regions, sizeof(*s->accounts));
	for (size_t r = 0; r < core->n_regions; r++) {
		const char *account;

		st = ensure_identities(core, core->regions[r], verb_flag(args, "refresh"), res, err);
		if (!st)
			st = core_cache_account(core, core->regions[r], &account, err);
		if (!st)
			st = core_cache(core, &s->c, err);
		if (st) {
			id_stream_free(s);
			return st;
		}
		s->regions[s->n] = xstrdup(core->regions[r]);
		s->accounts[s->n++] = xstrdup(account);
	}
	if (core->opt.stream && !sorted) { /* the front-end walks the cache itself */
		res->rows = xcalloc(1, sizeof(*res->rows));
		*res->rows = (struct verb_rows){s, id_stream_open, id_stream_next, id_stream_free};
		return SC_OK;
	}
	/* the whole array: for a front-end that keeps it, or to sort it */
	arr = cJSON_CreateArray();
	st = id_stream_open(s, false, err);
	for (cJSON *row; !st && (row = id_stream_next(s, &st, err));)
		cJSON_AddItemToArray(arr, row);
	id_stream_free(s);
	if (st) {
		cJSON_Delete(arr);
		return st;
	}
	res->json = arr;
	if (sorted)
		sort_rows(arr, !strcmp(sort, "status") ? "verification_status" : "type");
	return SC_OK;
}

static const char *const show_columns[] = {NULL};

enum sc_status verb_identity_show(struct core *core, const struct verb_args *args,
                                  struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0], *region, *account;
	struct ses_identity x = {0};
	struct core_ses ses;
	struct cache *c;
	enum sc_status st;

	st = core_region(core, &region, err);
	if (!st)
		st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (st)
		return st;
	if (core->opt.offline) {
		st = cache_get_identity(c, account, region, name, &x, err);
	} else {
		st = core_ses_ctx(core, region, &ses, err);
		if (!st)
			st = sesv2_get_email_identity(&ses.ctx, name, &x, err);
		if (!st) {
			struct ses_identity old = {0};

			if (cache_get_identity(c, account, region, name, &old, NULL) == SC_OK &&
			    old.verification_token && !x.verification_token)
				x.verification_token = xstrdup(old.verification_token);
			ses_identity_free(&old);
			cache_put_identity(c, account, region, &x, NULL);
		} else if (st == SC_NOT_FOUND) {
			cache_delete_identity(c, account, region, name, NULL);
		}
	}
	if (st) {
		ses_identity_free(&x);
		return st;
	}
	res->json = jm_identity(&x, region, time(NULL));
	res->columns = show_columns;
	ses_identity_free(&x);
	verb_add_last_change(core, &(struct verb_where){region, account, c}, res->json,
	                     CT_RES_IDENTITY, name, false);
	verb_add_tenants(&(struct verb_where){region, account, c}, res->json, "identity/", name);
	return SC_OK;
}

/* ---- account ---- */

/* The pause behind paused sending, from the merged history: who, when, with which tool
 * and why, whichever machine it was made from. The older keys (at, by, reason, command)
 * keep their meaning. */
static void add_pause(struct core *core, struct cache *c, const char *account,
                      const char *region, cJSON *o_json)
{
	struct audit_trail *trail = NULL;
	struct history_row row;
	cJSON *p;

	if (core_audit(core, &trail, NULL) != SC_OK)
		trail = NULL;
	if (history_last_pause(c, trail, account, region, NULL, &row, NULL) != SC_OK)
		return;
	p = verb_history_row_json(&row);
	jm_time(p, "at", row.ev.time);
	jm_str(p, "by", row.ev.who);
	cJSON_AddItemToObject(o_json, "paused", p);
	history_row_clear(&row);
}

enum sc_status verb_account(struct core *core, const struct verb_args *args,
                            struct verb_result *res, struct sc_error *err)
{
	struct sync_options o = {.kinds = 1u << SYNC_ACCOUNT | 1u << SYNC_HISTORY};
	struct ses_account a = {0};
	struct sync_report rep;
	const char *region, *account;
	struct cache *c;
	enum sc_status st;
	cJSON *o_json;

	(void)args;
	st = core_region(core, &region, err);
	if (!st && !core->opt.offline) {
		st = sync_region(core, region, &o, &rep, err);
		/* the history is a help, not a need: the account's own state decides */
		if (st == SC_PARTIAL && rep.kinds[SYNC_ACCOUNT].status == SC_OK) {
			verb_result_warn(res, "history: %s", rep.kinds[SYNC_HISTORY].message);
			st = SC_OK;
		} else if (st == SC_PARTIAL) {
			st = sc_fail(err, rep.kinds[SYNC_ACCOUNT].status, "%s",
			             rep.kinds[SYNC_ACCOUNT].message);
		} else if (!st && rep.kinds[SYNC_HISTORY].message[0]) {
			verb_result_warn(res, "history: %s", rep.kinds[SYNC_HISTORY].message);
		}
	}
	if (!st)
		st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		st = cache_get_account(c, account, region, &a, err);
	if (st)
		return st;
	o_json = jm_account(&a);
	if (!a.sending_enabled)
		add_pause(core, c, account, region, o_json);
	ses_account_free(&a);
	res->json = o_json;
	return SC_OK;
}

#include "sesctl/core/sync.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/aws/creds.h"
#include "sesctl/aws/http.h"
#include "sesctl/core/events.h"
#include "sesctl/core/history.h"
#include "sesctl/core/tenants.h"
#include "sesctl/core/feedback.h"
#include "sesctl/ses/mailmanager.h"
#include "sesctl/ses/metrics.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/feedback.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/store/feedback.h"
#include "sesctl/store/identities.h"
#include "sesctl/store/mail_manager.h"
#include "sesctl/store/receipt.h"
#include "sesctl/store/suppression.h"

static const char *const kind_names[] = {
#define SYNC_KIND_NAME(id, name) name,
    SYNC_KINDS(SYNC_KIND_NAME)
#undef SYNC_KIND_NAME
};

const char *sync_kind_name(enum sync_kind k)
{
	return (unsigned)k < SYNC_KIND_COUNT ? kind_names[k] : "?";
}

int sync_kind_from(const char *name)
{
	for (int k = 0; k < SYNC_KIND_COUNT; k++)
		if (!strcmp(kind_names[k], name))
			return k;
	return -1;
}

/* The SES v1 operations sync paces (one call per second each). */
enum v1_op {
	V1_LIST_RULE_SETS,
	V1_DESCRIBE_ACTIVE,
	V1_DESCRIBE_RULE_SET,
	V1_LIST_FILTERS,
	V1_NOTIF_ATTRS,
	V1_OPS
};

/* Everything one region's sync needs. */
struct run {
	struct core *core;
	struct cache *cache;
	struct core_ses ses;
	const char *account;
	const char *region;
	const struct sync_options *o;
	struct sync_report *rep;
	double last_v1[V1_OPS]; /* monotonic seconds of the last call, per v1 operation */
};

static double mono(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec + ts.tv_nsec / 1e9;
}

/* SES v1 receipt-rule and filter calls: at most one per second for each operation (SES's
 * limit is per action, as the emulator's --real-rate-limits buckets are). */
static void pace_v1(struct run *r, enum v1_op op)
{
	double wait = r->last_v1[op] + 1.0 - mono();

	if (r->last_v1[op] > 0 && wait > 0) {
		struct timespec ts = {(time_t)wait, (long)((wait - (time_t)wait) * 1e9)};

		nanosleep(&ts, NULL);
	}
	r->last_v1[op] = mono();
}

static bool cancelled(const struct run *r)
{
	return r->o->cancel && *r->o->cancel;
}

static void progress(struct run *r, enum sync_kind k)
{
	if (r->o->progress)
		r->o->progress(r->o->progress_ud, r->rep, k);
}

/* ---- identities ---- */

struct detail_job {
	struct run *run;
	struct ses_identity *id; /* the slot to fill */
	enum sc_status st;
	char message[200];
	bool done;
};

struct detail_queue {
	struct detail_job *jobs;
	size_t n, next, in_flight, finished;
	size_t ok;              /* details actually read */
	struct detail_job *auth; /* the first job refused for its credentials, or NULL */
};

static void detail_done(void *ud, enum sc_status st, struct aws_reply *reply,
                        const struct sc_error *err)
{
	struct detail_job *j = ud;
	struct ses_identity fresh = {0};
	struct sc_error perr;

	j->done = true;
	j->st = st;
	if (st) {
		str_copy(j->message, sizeof(j->message), err ? err->message : "failed");
		return;
	}
	j->st =
	    sesv2_parse_get_email_identity(buf_str(&reply->body), reply->body.len, &fresh, &perr);
	if (j->st) {
		str_copy(j->message, sizeof(j->message), perr.message);
		ses_identity_free(&fresh);
		return;
	}
	free(fresh.name);
	fresh.name = xstrdup(j->id->name);
	fresh.fetched = time(NULL);
	if (!fresh.verification_token && j->id->verification_token)
		fresh.verification_token = xstrdup(j->id->verification_token);
	ses_identity_free(j->id);
	*j->id = fresh;
}

static int detail_submit(struct detail_queue *q)
{
	struct detail_job *j = &q->jobs[q->next++];
	struct ses_request req;
	struct sc_error err;
	int rc;

	if (sesv2_build_get_email_identity(&req, j->id->name, &err)) {
		j->done = true;
		j->st = err.status;
		str_copy(j->message, sizeof(j->message), err.message);
		ses_request_free(&req);
		return -1;
	}
	rc = ses_call_async(&j->run->ses.ctx, &req, detail_done, j);
	ses_request_free(&req);
	if (rc) {
		j->done = true;
		j->st = SC_ERR;
		snprintf(j->message, sizeof(j->message), "could not start GetEmailIdentity");
		return -1;
	}
	q->in_flight++;
	return 0;
}

/* Fetch the details of every job, at most `limit` at a time. */
static void detail_fetch_all(struct run *r, struct detail_queue *q, int limit)
{
	struct sync_kind_report *k = &r->rep->kinds[SYNC_IDENTITIES];

	/* expired or refused credentials fail every call alike: stop at the first one */
	while (q->finished < q->n && !cancelled(r) && !q->auth) {
		while (q->next < q->n && q->in_flight < (size_t)limit)
			if (detail_submit(q))
				q->finished++;
		http_run(r->core->http, 200, NULL, 0);
		for (size_t i = 0; i < q->next; i++) {
			struct detail_job *j = &q->jobs[i];

			if (j->done && j->run) {
				j->run = NULL; /* counted */
				q->in_flight--;
				q->finished++;
				k->done++;
				q->ok += j->st == SC_OK;
				if (j->st == SC_AUTH && !q->auth)
					q->auth = j;
			}
		}
		progress(r, SYNC_IDENTITIES);
	}
	if (cancelled(r) || q->auth)
		http_cancel_all(r->core->http);
}

static const struct ses_identity *find_cached(const struct ses_identity *v, size_t n,
                                              const char *name)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].name, name))
			return &v[i];
	return NULL;
}

static bool same_str(const char *a, const char *b)
{
	return (!a && !b) || (a && b && !strcmp(a, b));
}

/* Does the listed identity need its details (re)read? If not, take them from the cache. */
static bool needs_detail(struct run *r, struct ses_identity *listed, const struct ses_identity *old,
                         time_t now)
{
	int ttl = r->o->detail_ttl ? r->o->detail_ttl : 3600;
	bool keep;

	if (r->o->no_details) { /* the listing's state, the cached details while they last */
		if (!old)
			return false;
		keep = same_str(listed->verification_status, old->verification_status) &&
		       listed->sending_enabled == old->sending_enabled;
		if (keep) {
			ses_identity_free(listed);
			ses_identity_copy(listed, old);
		}
		return false;
	}
	if (!old || !old->has_details || ttl < 0)
		return true;
	keep = same_str(listed->verification_status, old->verification_status) &&
	       same_str(listed->type, old->type) &&
	       listed->sending_enabled == old->sending_enabled && now - old->fetched < ttl;
	if (!keep)
		return true;
	ses_identity_free(listed);
	ses_identity_copy(listed, old);
	return false;
}

/* The legacy _amazonses tokens of domains (v1, 100 per call); best effort. An answer is
 * matched within its own batch (it was matched against every identity: quadratic, minutes
 * of CPU at 100,000 identities). */
static void fetch_tokens(struct run *r, struct ses_identity *v, size_t n)
{
	const char *names[100];
	size_t at[100], batch = 0;

	for (size_t i = 0; i <= n; i++) {
		if (i < n && ses_identity_is_domain(&v[i]) && !v[i].verification_token) {
			at[batch] = i;
			names[batch++] = v[i].name;
		}
		if (batch && (batch == 100 || i == n)) {
			struct sesv1_verification *ver = NULL;
			size_t nv = 0;

			if (sesv1_get_identity_verification_attributes(&r->ses.ctx, names, batch,
			                                               &ver, &nv, NULL) != SC_OK)
				return;
			for (size_t a = 0; a < nv; a++)
				for (size_t b = 0; b < batch; b++) {
					struct ses_identity *x = &v[at[b]];

					if (ver[a].token && !strcmp(x->name, ver[a].identity) &&
					    !x->verification_token)
						x->verification_token = xstrdup(ver[a].token);
				}
			sesv1_verifications_free(ver, nv);
			batch = 0;
		}
	}
}

static enum sc_status sync_identities(struct run *r, struct sc_error *err)
{
	struct sync_kind_report *k = &r->rep->kinds[SYNC_IDENTITIES];
	struct ses_identity *listed = NULL, *cached = NULL;
	size_t n = 0, n_cached = 0;
	struct detail_queue q = {0};
	time_t now = time(NULL);
	enum sc_status st;

	st = sesv2_list_email_identities(&r->ses.ctx, &listed, &n, err);
	if (st)
		return st;
	cache_get_identities(r->cache, r->account, r->region, &cached, &n_cached, NULL);
	q.jobs = xcalloc(n + 1, sizeof(*q.jobs));
	for (size_t i = 0; i < n; i++)
		if (needs_detail(r, &listed[i], find_cached(cached, n_cached, listed[i].name),
		                 now)) {
			q.jobs[q.n].run = r;
			q.jobs[q.n++].id = &listed[i];
		}
	ses_identities_free(cached, n_cached);
	k->total = q.n;
	progress(r, SYNC_IDENTITIES);
	detail_fetch_all(r, &q, r->o->concurrency > 0 ? r->o->concurrency : 8);
	r->rep->details_fetched += q.ok; /* what was read, not what was asked for */
	if (q.auth) {
		st = sc_fail(err, SC_AUTH,
			     "the credentials stopped working during the sync (%s); nothing more was "
			     "asked; the cache keeps what it had",
			     q.auth->message);
		free(q.jobs);
		ses_identities_free(listed, n);
		return st;
	}
	for (size_t i = 0; i < q.n; i++)
		if (q.jobs[i].st && !k->message[0]) {
			k->status = q.jobs[i].st == SC_UNSUPPORTED ? SC_UNSUPPORTED : SC_PARTIAL;
			snprintf(k->message, sizeof(k->message), "%s: %s", q.jobs[i].id->name,
			         q.jobs[i].message);
		}
	free(q.jobs);
	if (cancelled(r)) {
		ses_identities_free(listed, n);
		return sc_fail(err, SC_CANCELLED, "sync cancelled");
	}
	fetch_tokens(r, listed, n);
	st = cache_put_identities_replace(r->cache, r->account, r->region, listed, n, time(NULL),
	                                  err);
	k->count = n;
	ses_identities_free(listed, n);
	return st;
}

/* ---- the other kinds: read, then replace in one transaction ---- */

static enum sc_status sync_account(struct run *r, struct sc_error *err)
{
	struct ses_account a = {0};
	enum sc_status st = sesv2_get_account(&r->ses.ctx, &a, err);

	if (st)
		return st;
	free(a.account_id);
	a.account_id = xstrdup(r->account);
	free(a.region);
	a.region = xstrdup(r->region);
	a.fetched = time(NULL);
	st = cache_put_account(r->cache, r->account, r->region, &a, err);
	r->rep->kinds[SYNC_ACCOUNT].count = 1;
	ses_account_free(&a);
	return st;
}

/* ---- reads made side by side (the configuration sets: two a set) ---- */

struct read_job {
	struct ses_request req; /* built before the run; freed once submitted */
	ses_parse_fn parse;
	void *out;
	bool started, done, counted;
	enum sc_status st;
	char message[256];
};

static void read_done(void *ud, enum sc_status st, const struct sc_error *err)
{
	struct read_job *j = ud;

	j->done = true;
	j->st = st;
	if (st)
		str_copy(j->message, sizeof(j->message), err ? err->message : "failed");
}

static void read_submit(struct run *r, struct read_job *j, size_t *in_flight)
{
	j->started = true;
	if (ses_call_async_parse(&r->ses.ctx, &j->req, j->parse, j->out, read_done, j)) {
		j->done = j->counted = true;
		j->st = SC_ERR;
		snprintf(j->message, sizeof(j->message), "could not start %s", j->req.operation);
	} else {
		(*in_flight)++;
	}
	ses_request_free(&j->req);
}

/* Every job, at most limit in flight; expired or refused credentials fail every call
 * alike, so the first SC_AUTH stops the rest (as a cancel does). */
static void reads_run(struct run *r, struct read_job *v, size_t n, int limit)
{
	size_t next = 0, in_flight = 0, finished = 0;
	bool auth = false;

	while (finished < n && !cancelled(r) && !auth) {
		while (next < n && in_flight < (size_t)limit)
			read_submit(r, &v[next++], &in_flight);
		if (in_flight)
			http_run(r->core->http, 200, NULL, 0);
		finished = 0;
		for (size_t i = 0; i < next; i++) {
			struct read_job *j = &v[i];

			if (j->done && !j->counted) {
				j->counted = true;
				in_flight--;
				auth |= j->st == SC_AUTH;
			}
			finished += j->counted;
		}
	}
	if (cancelled(r) || auth)
		http_cancel_all(r->core->http);
	for (size_t i = next; i < n; i++)
		ses_request_free(&v[i].req);
}

struct dest_list {
	struct ses_event_dest *v;
	size_t n;
};

static enum sc_status parse_set(const char *b, size_t n, void *out, struct sc_error *e)
{
	return sesv2_parse_get_config_set(b, n, out, e);
}

static enum sc_status parse_dests(const char *b, size_t n, void *out, struct sc_error *e)
{
	struct dest_list *d = out;

	return sesv2_parse_event_dests(b, n, &d->v, &d->n, e);
}

/* The first failure of the jobs, as the kind's error; a set deleted since it was listed
 * (NOT_FOUND) is no failure. */
static enum sc_status reads_status(struct run *r, const struct read_job *v, size_t n,
                                   struct sc_error *err)
{
	if (cancelled(r))
		return sc_fail(err, SC_CANCELLED, "interrupted");
	for (size_t i = 0; i < n; i++)
		if (v[i].st == SC_AUTH)
			return sc_fail(err, SC_AUTH, "%s", v[i].message);
	for (size_t i = 0; i < n; i++)
		if (v[i].st && v[i].st != SC_NOT_FOUND)
			return sc_fail(err, v[i].st, "%s", v[i].message);
	return SC_OK;
}

static enum sc_status sync_config_sets(struct run *r, struct sc_error *err)
{
	struct ses_config_set *sets;
	struct dest_list *dests;
	struct read_job *jobs;
	char **names = NULL;
	size_t n = 0, k = 0;
	enum sc_status st = sesv2_list_config_sets(&r->ses.ctx, &names, &n, err);

	if (st)
		return st;
	sets = xcalloc(n + 1, sizeof(*sets));
	dests = xcalloc(n + 1, sizeof(*dests));
	jobs = xcalloc(2 * n + 1, sizeof(*jobs));
	for (size_t i = 0; i < n && !st; i++) {
		st = sesv2_build_get_config_set(&jobs[2 * i].req, names[i], err);
		jobs[2 * i].parse = parse_set;
		jobs[2 * i].out = &sets[i];
		sesv2_build_get_event_dests(&jobs[2 * i + 1].req, names[i]);
		jobs[2 * i + 1].parse = parse_dests;
		jobs[2 * i + 1].out = &dests[i];
	}
	if (!st) {
		reads_run(r, jobs, 2 * n, r->o->concurrency > 0 ? r->o->concurrency : 8);
		st = reads_status(r, jobs, 2 * n, err);
	} else {
		for (size_t i = 0; i < 2 * n; i++)
			ses_request_free(&jobs[i].req);
	}
	for (size_t i = 0; i < n; i++) {
		bool gone = jobs[2 * i].st == SC_NOT_FOUND || jobs[2 * i + 1].st == SC_NOT_FOUND;

		if (!st && !gone) { /* keep it, destinations and all */
			struct ses_config_set *x = &sets[k++];

			if (x != &sets[i]) {
				*x = sets[i];
				memset(&sets[i], 0, sizeof(sets[i]));
			}
			x->dests = dests[i].v;
			x->n_dests = dests[i].n;
			x->dests_known = true;
			x->fetched = time(NULL);
			dests[i].v = NULL;
			dests[i].n = 0;
		}
		for (size_t d = 0; d < dests[i].n; d++)
			ses_event_dest_free(&dests[i].v[d]);
		free(dests[i].v);
	}
	if (!st)
		st = cache_put_config_sets_replace(r->cache, r->account, r->region, sets, k,
		                                   time(NULL), err);
	r->rep->kinds[SYNC_CONFIG_SETS].count = k;
	cache_config_sets_free(sets, n);
	free(dests);
	free(jobs);
	sesv2_strv_free(names, n);
	return st;
}

/* The pages go to disk, so memory is not the bound; this is (about 600 MB of cache). */
#define SYNC_SUPPRESSED_MAX 5000000

static enum sc_status sync_suppression(struct run *r, struct sc_error *err)
{
	struct sesv2_suppression_filter f = {0};
	struct ses_pager pager = {.op = "ListSuppressedDestinations"};
	struct ses_suppressed *v = NULL;
	char *next = NULL, *prev = NULL;
	size_t n = 0, total = 0;
	struct sc_error derr;
	enum sc_status st;

	/* page by page into the cache: memory stays at one page however long the list */
	do {
		free(prev);
		prev = next; /* the request's token stays alive until the reply is read */
		next = NULL;
		f.next_token = prev;
		st = sesv2_list_suppressed(&r->ses.ctx, &f, &v, &n, &next, err);
		if (!st)
			st = ses_pager_next(&pager, next, n, err);
		if (!st && total + n > SYNC_SUPPRESSED_MAX)
			st = sc_fail(err, SC_BAD_REPLY,
			             "ListSuppressedDestinations: more than %d addresses and the "
			             "endpoint does not end its listing: a bad reply; the cache keeps "
			             "the previous list",
			             SYNC_SUPPRESSED_MAX);
		if (!st)
			st = cache_stage_suppressed(r->cache, r->account, r->region, v, n,
			                            pager.pages == 1, err);
		total += n;
		sesv2_suppressed_list_free(v, n);
		v = NULL;
		n = 0;
	} while (!st && next && !cancelled(r));
	free(prev);
	free(next);
	ses_pager_free(&pager);
	if (!st && cancelled(r))
		st = sc_fail(err, SC_CANCELLED, "sync cancelled");
	if (!st)
		st = cache_stage_suppressed_done(r->cache, r->account, r->region, true, time(NULL),
		                                 err);
	else
		cache_stage_suppressed_done(r->cache, r->account, r->region, false, 0, &derr);
	r->rep->kinds[SYNC_SUPPRESSION].count = st ? 0 : total;
	return st;
}

static enum sc_status sync_rule_sets(struct run *r, struct sc_error *err)
{
	struct ses_rule_set *sets = NULL, active = {0};
	bool found = false;
	size_t n = 0;
	enum sc_status st;

	pace_v1(r, V1_LIST_RULE_SETS);
	st = sesv1_list_receipt_rule_sets(&r->ses.ctx, &sets, &n, err);
	if (!st) {
		pace_v1(r, V1_DESCRIBE_ACTIVE);
		st = sesv1_describe_active_receipt_rule_set(&r->ses.ctx, &active, &found, err);
	}
	for (size_t i = 0; i < n && !st && !cancelled(r); i++) {
		struct ses_rule_set full = {0};

		pace_v1(r, V1_DESCRIBE_RULE_SET);
		st = sesv1_describe_receipt_rule_set(&r->ses.ctx, sets[i].name, &full, err);
		if (st)
			break;
		full.created = full.created ? full.created : sets[i].created;
		full.active = found && active.name && !strcmp(active.name, sets[i].name);
		full.fetched = time(NULL);
		ses_rule_set_free(&sets[i]);
		sets[i] = full;
	}
	if (!st && cancelled(r))
		st = sc_fail(err, SC_CANCELLED, "sync cancelled");
	if (!st)
		st = cache_put_rule_sets_replace(r->cache, r->account, r->region, sets, n,
		                                 time(NULL), err);
	r->rep->kinds[SYNC_RULE_SETS].count = n;
	ses_rule_set_free(&active);
	ses_rule_sets_free(sets, n);
	return st;
}

static enum sc_status sync_filters(struct run *r, struct sc_error *err)
{
	struct ses_receipt_filter *v = NULL;
	size_t n = 0;
	enum sc_status st;

	pace_v1(r, V1_LIST_FILTERS);
	st = sesv1_list_receipt_filters(&r->ses.ctx, &v, &n, err);
	if (st)
		return st;
	st = cache_put_filters_replace(r->cache, r->account, r->region, v, n, time(NULL), err);
	r->rep->kinds[SYNC_FILTERS].count = n;
	sesv1_receipt_filters_free(v, n);
	return st;
}

static enum sc_status sync_send_stats(struct run *r, struct sc_error *err)
{
	struct ses_send_point *v = NULL;
	size_t n = 0;
	enum sc_status st = sesv1_get_send_statistics(&r->ses.ctx, &v, &n, err);

	if (st)
		return st;
	st = cache_put_send_points(r->cache, r->account, r->region, v, n, time(NULL), err);
	r->rep->kinds[SYNC_SEND_STATS].count = n;
	free(v);
	return st;
}

/* Whether SES publishes the set's Send/Bounce/Complaint counts: an enabled CloudWatch
 * destination with the ses:configuration-set dimension that receives SEND. */
static bool set_publishes_counts(const struct ses_config_set *x)
{
	for (size_t i = 0; i < x->n_dests; i++) {
		const struct ses_event_dest *d = &x->dests[i];

		if (!d->enabled || d->kind != SES_DEST_CLOUDWATCH ||
		    !(d->events & SES_EVENT_BIT(SES_EVENT_SEND)))
			continue;
		for (size_t j = 0; j < d->n_dims; j++)
			if (d->dims[j].name && !strcmp(d->dims[j].name, "ses:configuration-set"))
				return true;
	}
	return false;
}

/* Each cached set's series, for the sets that publish them; history is kept like the
 * account's. */
static enum sc_status sync_set_metrics(struct run *r, time_t start, time_t end, size_t *count,
                                       struct sc_error *err)
{
	struct ses_config_set *sets = NULL;
	struct metrics_set_query *q;
	struct metrics_set *got = NULL;
	size_t n = 0, nq = 0;
	char key[CACHE_SET_METRIC_MAX];
	enum sc_status st = cache_get_config_sets(r->cache, r->account, r->region, &sets, &n, err);

	if (st)
		return st;
	q = xcalloc(n + 1, sizeof(*q));
	for (size_t i = 0; i < n; i++) {
		struct metrics_set_query x = {sets[i].name, sets[i].reputation_metrics_enabled,
		                              set_publishes_counts(&sets[i])};

		if (x.rates || x.counts)
			q[nq++] = x;
	}
	if (nq)
		st = metrics_get_sets(&r->ses.ctx, q, nq, start, end, &got, err);
	for (size_t i = 0; i < nq && !st; i++) {
		for (int s = 0; s < METRICS_SET_SERIES && !st; s++) {
			if (!got[i].n_points[s])
				continue;
			cache_set_metric_key(key, sizeof(key), q[i].name,
			                     metrics_set_metric((enum metrics_set_series)s));
			st = cache_put_metric_points(r->cache, r->account, r->region, key,
			                             got[i].points[s], got[i].n_points[s], end, err);
			*count += got[i].n_points[s];
		}
	}
	metrics_sets_free(got, nq);
	free(q);
	cache_config_sets_free(sets, n);
	return st;
}

static enum sc_status sync_metrics(struct run *r, struct sc_error *err)
{
	struct ses_metric_point *b = NULL, *c = NULL;
	size_t nb = 0, nc = 0, n_sets = 0;
	time_t end = time(NULL);
	enum sc_status st;

	st = metrics_get_reputation(&r->ses.ctx, end - 14 * 86400, end, &b, &nb, &c, &nc, err);
	if (st)
		return st;
	st = cache_put_metric_points(r->cache, r->account, r->region, "Reputation.BounceRate", b,
	                             nb, end, err);
	if (!st)
		st = cache_put_metric_points(r->cache, r->account, r->region,
		                             "Reputation.ComplaintRate", c, nc, end, err);
	if (!st)
		st = sync_set_metrics(r, end - 14 * 86400, end, &n_sets, err);
	r->rep->kinds[SYNC_METRICS].count = nb + nc + n_sets;
	free(b);
	free(c);
	return st;
}

static enum sc_status sync_mail_manager(struct run *r, struct sc_error *err)
{
	struct ses_mm_item *all = NULL;
	size_t n_all = 0;
	enum sc_status st = SC_OK;

	for (int w = 0; w < MM_LIST_COUNT && !st; w++) {
		struct ses_mm_item *v = NULL;
		size_t n = 0;

		st = mm_list(&r->ses.ctx, (enum mm_list)w, &v, &n, err);
		if (st)
			break;
		all = xrealloc(all, (n_all + n + 1) * sizeof(*all));
		memcpy(all + n_all, v, n * sizeof(*v));
		n_all += n;
		free(v);
	}
	if (!st)
		st = cache_put_mm_items_replace(r->cache, r->account, r->region, NULL, all, n_all,
		                                time(NULL), err);
	r->rep->kinds[SYNC_MAIL_MANAGER].count = n_all;
	cache_mm_items_free(all, n_all);
	return st;
}

/* ---- feedback routing ---- */

/* A sync of several kinds reads at most this many batches of notification settings (100
 * identities a call, SES allows 1 call/s), the stalest first, so a large account does not
 * hold the rest up; the feedback kind alone (`sync --kind feedback`, `sesctl feedback`)
 * reads them all. */
#define FEEDBACK_SYNC_BATCHES 5

/* "sqs:ops-feedback, email:ops@x (pending)": who listens, for the audit's reasons. */
static char *subscribers_summary(const struct sns_subscriptions *s)
{
	struct buf b = {0};

	for (size_t i = 0; i < s->n && b.len < 200; i++) {
		const char *ep = s->v[i].endpoint ? s->v[i].endpoint : "?";
		const char *tail = strrchr(ep, ':');

		if (s->v[i].protocol && !strcmp(s->v[i].protocol, "sqs") && tail)
			ep = tail + 1;
		buf_printf(&b, "%s%s:%s%s", b.len ? ", " : "",
		           s->v[i].protocol ? s->v[i].protocol : "?", ep,
		           s->v[i].pending ? " (pending)" : "");
	}
	if (b.len >= 200)
		buf_printf(&b, ", …");
	return b.len ? buf_steal(&b) : (buf_free(&b), NULL);
}

static void check_topic(struct run *r, const char *arn, struct cache_topic *t)
{
	struct sns_topic_attrs at = {0};
	struct sns_subscriptions subs = {0};
	struct sc_error e;
	enum sc_status st;

	memset(t, 0, sizeof(*t));
	t->arn = xstrdup(arn);
	t->confirmed = t->pending = -1;
	t->checked = time(NULL);
	sc_error_clear(&e);
	st = sns_get_topic_attributes(&r->ses.ctx, arn, &at, &e);
	if (st == SC_NOT_FOUND) {
		t->state = CACHE_TOPIC_NOT_FOUND;
		return;
	}
	if (st) {
		t->state = st == SC_AUTH ? CACHE_TOPIC_DENIED : CACHE_TOPIC_ERROR;
		t->detail = xstrdup(e.message);
		return;
	}
	t->state = CACHE_TOPIC_EXISTS;
	t->confirmed = at.confirmed;
	t->pending = at.pending;
	sns_topic_attrs_free(&at);
	/* the listing names the subscribers, and counts them where an endpoint's attributes
	 * do not (SNS's counts lag by minutes) */
	if (sns_list_subscriptions_by_topic(&r->ses.ctx, arn, &subs, &e) == SC_OK) {
		long confirmed = 0, pending = 0;

		for (size_t i = 0; i < subs.n; i++)
			subs.v[i].pending ? pending++ : confirmed++;
		if (confirmed > t->confirmed)
			t->confirmed = confirmed;
		if (pending > t->pending)
			t->pending = pending;
		t->subscribers = subscribers_summary(&subs);
	}
	sns_subscriptions_free(&subs);
}

static enum sc_status sync_topics(struct run *r, struct sc_error *err)
{
	struct ses_notif_attrs *attrs = NULL;
	struct ses_config_set *sets = NULL;
	struct cache_topic *topics;
	size_t na = 0, ns = 0, nt = 0;
	const char **need = NULL;
	enum sc_status st = cache_get_notif_attrs(r->cache, r->account, r->region, &attrs, &na, err);

	if (!st)
		st = cache_get_config_sets(r->cache, r->account, r->region, &sets, &ns, err);
	if (!st)
		need = feedback_topics_needed(attrs, na, sets, ns, &nt);
	topics = xcalloc(nt + 1, sizeof(*topics));
	for (size_t i = 0; i < nt && !st; i++) {
		if (cancelled(r))
			st = sc_fail(err, SC_CANCELLED, "feedback: interrupted");
		else
			check_topic(r, need[i], &topics[i]);
	}
	if (!st)
		st = cache_put_topics_replace(r->cache, r->account, r->region, topics, nt, err);
	cache_topics_free(topics, nt);
	free(need);
	cache_notif_attrs_free(attrs, na);
	cache_config_sets_free(sets, ns);
	return st;
}

static enum sc_status sync_feedback(struct run *r, struct sc_error *err)
{
	struct sync_kind_report *k = &r->rep->kinds[SYNC_FEEDBACK];
	/* alone (`sync --kind feedback`, a verb that needs the audit): every identity */
	size_t batches = r->o->kinds == 1u << SYNC_FEEDBACK ? 0 : FEEDBACK_SYNC_BATCHES, n = 0;
	time_t started = time(NULL), ttl = r->o->detail_ttl > 0 ? r->o->detail_ttl : 3600;
	char **names = NULL;
	enum sc_status st;

	/* detail_ttl < 0: read every identity again */
	st = cache_notif_attrs_stale(r->cache, r->account, r->region,
	                             r->o->detail_ttl < 0 ? started + 1 : started - ttl,
	                             batches * SESV1_NOTIF_BATCH, &names, &n, err);
	k->total = n;
	for (size_t i = 0; i < n && !st; i += SESV1_NOTIF_BATCH) {
		struct ses_notif_attrs *v = NULL;
		size_t nv = 0, take = n - i < SESV1_NOTIF_BATCH ? n - i : SESV1_NOTIF_BATCH;

		if (cancelled(r)) {
			st = sc_fail(err, SC_CANCELLED, "feedback: interrupted");
			break;
		}
		pace_v1(r, V1_NOTIF_ATTRS);
		st = sesv1_get_notification_attrs(&r->ses.ctx, (const char *const *)names + i, take,
		                                  &v, &nv, err);
		if (!st)
			st = cache_put_notif_attrs(r->cache, r->account, r->region, v, nv, time(NULL), err);
		cache_notif_attrs_free(v, nv);
		k->done = i + take;
		k->count += nv;
		progress(r, SYNC_FEEDBACK);
	}
	cache_names_free(names, n);
	if (!st)
		st = sync_topics(r, err);
	if (st)
		return st;
	/* every identity current: the kind is fetched (a capped run may leave some for later) */
	st = cache_notif_attrs_stale(r->cache, r->account, r->region,
	                             r->o->detail_ttl < 0 ? started : started - ttl, 1, &names, &n, err);
	cache_names_free(names, n);
	if (!st && !n)
		st = cache_mark_fetched(r->cache, r->account, r->region, CACHE_KIND_FEEDBACK, started,
		                        err);
	return st;
}

static enum sc_status sync_events(struct run *r, struct sc_error *err)
{
	struct events_drain_opts o = {.wait_s = 0, .max_receives = 50, .cancel = r->o->cancel};
	struct events_drain_report rep;
	enum sc_status st = events_drain(&r->ses.ctx, r->cache, r->account, &o, &rep, err);

	r->rep->kinds[SYNC_EVENTS].count = rep.added;
	if (!st && rep.gone)
		st = sc_fail(err, SC_NOT_FOUND,
		             "events: the tap queue on %s is gone; sesctl events untap --topic %s, "
		             "then tap again",
		             rep.gone_topic, rep.gone_topic);
	if (!st)
		st = cache_mark_fetched(r->cache, r->account, r->region, CACHE_KIND_EVENTS,
		                        time(NULL), err);
	return st;
}

/* The account's CloudTrail history. Missing permission is a notice, not a failure: the
 * kind's last error holds the sentence for the panes, and the rest of the sync counts as
 * done. With other kinds a run reads at most 20 pages (10 s at CloudTrail's pace); alone
 * (`sync --kind history`, `sesctl history --refresh`) up to HISTORY_PAGES_MAX. */
static enum sc_status sync_history(struct run *r, struct sc_error *err)
{
	struct sync_kind_report *k = &r->rep->kinds[SYNC_HISTORY];
	bool alone = r->o->kinds == (1u << SYNC_HISTORY);
	struct history_read_opts o = {.max_pages = alone ? 0 : 20, .cancel = r->o->cancel};
	struct history_read_report rep;
	enum sc_status st = history_read(&r->ses.ctx, r->cache, r->account, r->region, &o, &rep,
	                                 err);

	k->count = rep.added;
	k->done = k->total = rep.pages;
	if (st == SC_AUTH && !strcmp(err->message, HISTORY_DENIED_HINT)) {
		str_copy(k->message, sizeof(k->message), err->message);
		cache_mark_error(r->cache, r->account, r->region, CACHE_KIND_HISTORY, err->message,
		                 NULL);
		sc_error_clear(err);
		return SC_OK;
	}
	if (st)
		return st;
	if (rep.capped)
		snprintf(k->message, sizeof(k->message),
		         "read %zu pages of changes; the next syncs read the older ones "
		         "(`sesctl history --refresh` reads up to 200 pages)",
		         rep.pages);
	return cache_mark_fetched(r->cache, r->account, r->region, CACHE_KIND_HISTORY, time(NULL),
	                          err);
}

/* Tenants with their reputation entities and resources, then the VDM recommendations;
 * recommendations that cannot be read (VDM off, no permission) are a notice. */
static enum sc_status sync_tenants(struct run *r, struct sc_error *err)
{
	struct sync_kind_report *k = &r->rep->kinds[SYNC_TENANTS];
	struct tenants_read_report rep;
	enum sc_status st = tenants_read(&r->ses.ctx, r->cache, r->account, r->region, &rep, err);

	k->count = k->done = k->total = rep.tenants;
	if (!st && rep.notice[0])
		str_copy(k->message, sizeof(k->message), rep.notice);
	if (!st && rep.notice[0]) /* a notice for the pane, not a failed sync */
		cache_mark_error(r->cache, r->account, r->region,
		                 rep.skipped ? CACHE_KIND_TENANTS : CACHE_KIND_RECOMMENDATIONS,
		                 rep.notice, NULL);
	return st;
}

typedef enum sc_status (*kind_fn)(struct run *, struct sc_error *);

static const struct {
	enum sync_kind kind;
	enum cache_kind cache_kind;
	kind_fn fn;
} kind_table[] = {
    {SYNC_ACCOUNT, CACHE_KIND_ACCOUNT, sync_account},
    {SYNC_IDENTITIES, CACHE_KIND_IDENTITIES, sync_identities},
    {SYNC_CONFIG_SETS, CACHE_KIND_CONFIG_SETS, sync_config_sets},
    {SYNC_TENANTS, CACHE_KIND_TENANTS, sync_tenants},
    {SYNC_SUPPRESSION, CACHE_KIND_SUPPRESSION, sync_suppression},
    {SYNC_RULE_SETS, CACHE_KIND_RULE_SETS, sync_rule_sets},
    {SYNC_FILTERS, CACHE_KIND_FILTERS, sync_filters},
    {SYNC_SEND_STATS, CACHE_KIND_SEND_STATS, sync_send_stats},
    {SYNC_METRICS, CACHE_KIND_METRICS, sync_metrics},
    {SYNC_MAIL_MANAGER, CACHE_KIND_MAIL_MANAGER, sync_mail_manager},
    {SYNC_FEEDBACK, CACHE_KIND_FEEDBACK, sync_feedback},
    {SYNC_EVENTS, CACHE_KIND_EVENTS, sync_events},
    {SYNC_HISTORY, CACHE_KIND_HISTORY, sync_history},
};

static void run_kind(struct run *r, size_t i)
{
	struct sync_kind_report *k = &r->rep->kinds[kind_table[i].kind];
	struct sc_error err;
	enum sc_status st;

	sc_error_clear(&err);
	st = kind_table[i].fn(r, &err);
	if (st == SC_OK) {
		progress(r, kind_table[i].kind);
		return;
	}
	k->status = st;
	str_copy(k->message, sizeof(k->message), err.message);
	cache_mark_error(r->cache, r->account, r->region, kind_table[i].cache_kind, err.message,
	                 NULL);
	progress(r, kind_table[i].kind);
}

enum sc_status sync_region(struct core *core, const char *region, const struct sync_options *o,
                           struct sync_report *rep, struct sc_error *err)
{
	unsigned kinds = o->kinds ? o->kinds : SYNC_ALL;
	struct run r = {0};
	double start = mono();
	enum sc_status st;
	bool partial = false;

	memset(rep, 0, sizeof(*rep));
	snprintf(rep->region, sizeof(rep->region), "%s", region);
	st = core_learn_account(core, err);
	if (!st)
		st = core_ses_ctx(core, region, &r.ses, err);
	if (!st)
		st = core_cache(core, &r.cache, err);
	if (st)
		return st;
	r.core = core;
	r.account = core->account_id;
	r.region = region;
	r.o = o;
	r.rep = rep;
	for (size_t i = 0; i < sizeof(kind_table) / sizeof(kind_table[0]); i++) {
		if (!(kinds & (1u << kind_table[i].kind)))
			continue;
		if (cancelled(&r)) {
			sc_error_clear(err);
			return sc_fail(err, SC_CANCELLED,
				       "sync of %s interrupted before %s: the kinds read before are "
				       "cached",
				       region, sync_kind_name(kind_table[i].kind));
		}
		run_kind(&r, i);
		if (rep->kinds[kind_table[i].kind].status == SC_CANCELLED) {
			sc_error_clear(err);
			return sc_fail(err, SC_CANCELLED,
				       "sync of %s interrupted: the kinds read before are cached, "
				       "%s was not",
				       region, sync_kind_name(kind_table[i].kind));
		}
		if (rep->kinds[kind_table[i].kind].status == SC_AUTH) {
			/* the next call asks the credential chain again instead of reusing them */
			if (core->creds)
				aws_creds_provider_invalidate(core->creds);
			sc_error_clear(err);
			sc_fail(err, SC_AUTH, "%s", rep->kinds[kind_table[i].kind].message);
			return SC_AUTH;
		}
		partial |= rep->kinds[kind_table[i].kind].status != SC_OK;
	}
	rep->seconds = mono() - start;
	if (partial) { /* a summary of several calls: no one call's request id belongs to it */
		sc_error_clear(err);
		return sc_fail(err, SC_PARTIAL, "sync of %s partly done: some kinds failed",
		               region);
	}
	return SC_OK;
}

/* The oldest "fetched" time of the kinds (0 when one was never fetched). */
static time_t oldest_fetch(struct cache *c, const char *account, const char *region,
                           unsigned kinds)
{
	time_t oldest = -1;

	for (size_t i = 0; i < sizeof(kind_table) / sizeof(kind_table[0]); i++) {
		time_t fetched = 0;

		if (!(kinds & (1u << kind_table[i].kind)))
			continue;
		cache_kind_age(c, account, region, kind_table[i].cache_kind, &fetched, NULL, NULL);
		if (oldest < 0 || fetched < oldest)
			oldest = fetched;
	}
	return oldest < 0 ? 0 : oldest;
}

enum sc_status sync_fresh(struct core *core, const char *region, unsigned kinds, bool force,
                          struct sync_report *rep, bool *had_data, struct sc_error *err)
{
	struct sync_options o = {.kinds = kinds};
	const char *account;
	struct cache *c;
	time_t fetched;
	enum sc_status st;

	memset(rep, 0, sizeof(*rep));
	if (had_data)
		*had_data = true;
	if (core->opt.offline)
		return SC_OK;
	st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (st)
		return st;
	fetched = oldest_fetch(c, account, region, kinds);
	if (had_data)
		*had_data = fetched != 0;
	if (!force && fetched && time(NULL) - fetched < core->view.refresh)
		return SC_OK;
	return sync_region(core, region, &o, rep, err);
}

/* The fleet: sync --fleet, fleet, find. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <math.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "json_model.h"
#include "sesctl/aws/endpoint.h"
#include "sesctl/core/bgsync.h"
#include "sesctl/core/fleet.h"
#include "sesctl/store/fleet.h"
#include "verbs_impl.h"

#define FLEET_PARALLEL 8

/* ---- sync --fleet ---- */

/* One profile's cells, read by one child (credentials resolved once for all its regions). */
struct fleet_job {
	char *profile;
	char **regions;
	size_t n_regions;
	struct bgsync *child;
	double started, seconds;
	time_t started_at;        /* wall clock, to compare with the cells' times */
	int exit_code;
	char message[256];
	bool done;
};

static double now_s(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static struct fleet_job *job_of(struct fleet_job **v, size_t *n, const char *profile)
{
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i].profile, profile))
			return &(*v)[i];
	*v = xrealloc(*v, (*n + 1) * sizeof(**v));
	memset(&(*v)[*n], 0, sizeof(**v));
	(*v)[*n].profile = xstrdup(profile);
	return &(*v)[(*n)++];
}

static void jobs_free(struct fleet_job *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		bgsync_free(v[i].child);
		free(v[i].profile);
		for (size_t r = 0; r < v[i].n_regions; r++)
			free(v[i].regions[r]);
		free(v[i].regions);
	}
	free(v);
}

static int parallel_of(const struct verb_args *args, struct sc_error *err)
{
	const char *p = verb_opt(args, "parallel");
	int n = p ? atoi(p) : FLEET_PARALLEL;

	if (n < 1 || n > 64) {
		sc_fail(err, SC_USAGE, "--parallel takes 1 to 64 (profiles read at once), not '%s'",
			p);
		return -1;
	}
	return n;
}

/* Whether the child said how the read of region went (a read, or an error) since it
 * started: it does once it reads (sync_one), not when it could not start at all (no
 * credentials, its profile's config, a crash). */
static bool said(const struct cache_cell *v, size_t n, const struct fleet_job *j,
		 const char *region)
{
	for (size_t i = 0; i < n; i++)
		if (!strcmp(v[i].profile, j->profile) && !strcmp(v[i].region, region))
			return v[i].read_at >= j->started_at || v[i].error_at >= j->started_at;
	return false;
}

/* A child is done: its time and exit; the cells it did not speak for get its sentence. */
static void job_finished(struct core *core, struct fleet_job *j, const struct bgsync_state *s)
{
	struct cache_cell *cells = NULL;
	size_t n = 0;
	struct cache *c;

	j->done = true;
	j->seconds = now_s() - j->started;
	j->exit_code = s->exit_code;
	str_copy(j->message, sizeof(j->message), s->message);
	if (s->exit_code == 0 || core_cache(core, &c, NULL) != SC_OK ||
	    cache_get_cells(c, &cells, &n, NULL) != SC_OK)
		return;
	for (size_t r = 0; r < j->n_regions; r++)
		if (!said(cells, n, j, j->regions[r]))
			cache_put_cell(c, j->profile, j->regions[r], NULL,
				       *j->message ? j->message : "the read ended without a word",
				       time(NULL), NULL);
	cache_cells_free(cells, n);
}

static void show_progress(const struct core *core, int pfd, size_t done, size_t total,
			  const struct fleet_job *j)
{
	if (pfd >= 0)
		dprintf(pfd, "kind cells %zu %zu OK\n", done, total);
	if (core->opt.quiet || !isatty(STDERR_FILENO) || !j)
		return;
	fprintf(stderr, "\r\033[K[%zu/%zu] %s: %s (%.1f s)%s", done, total, j->profile,
		j->exit_code == 0 ? "ok" : j->exit_code == 9 ? "partly" : "failed", j->seconds,
		done == total ? "\n" : "");
	fflush(stderr);
}

/* Start children while there is room; wait for any to report; reap the finished. */
/* How the children read: the kinds, details or not, and sync's own options passed on. */
struct fleet_how {
	unsigned kinds;
	bool no_details;
	const char *extra[4];     /* --force, --concurrency N; NULL-terminated */
	int parallel;
	int pfd;                  /* --progress-fd, or -1 */
};

static enum sc_status run_jobs(struct core *core, struct fleet_job *jobs, size_t n,
			       const struct fleet_how *how)
{
	size_t next = 0, running = 0, done = 0;

	while (done < n) {
		struct pollfd pf[64];
		size_t idx[64], np = 0;

		if (core->opt.interrupt && *core->opt.interrupt)
			return SC_CANCELLED; /* jobs_free() stops the children */
		while (next < n && running < (size_t)how->parallel) {
			struct fleet_job *j = &jobs[next++];
			struct sc_error e;

			j->started = now_s();
			j->started_at = time(NULL);
			if (bgsync_start_cell(core, j->profile, j->regions, j->n_regions, how->kinds,
					      how->no_details, how->extra, &j->child, &e)) {
				struct bgsync_state s = {.finished = true, .exit_code = 127};

				str_copy(s.message, sizeof(s.message), e.message);
				job_finished(core, j, &s);
				show_progress(core, how->pfd, ++done, n, j);
				continue;
			}
			running++;
		}
		for (size_t i = 0; i < next && np < 64; i++)
			if (jobs[i].child && !jobs[i].done) {
				pf[np].fd = bgsync_fd(jobs[i].child);
				pf[np].events = POLLIN;
				idx[np++] = i;
			}
		if (np)
			poll(pf, np, 250);
		for (size_t k = 0; k < np; k++) {
			struct fleet_job *j = &jobs[idx[k]];
			const struct bgsync_state *s;

			if (!(pf[k].revents & (POLLIN | POLLHUP | POLLERR)))
				continue;
			s = bgsync_read(j->child);
			if (!s->finished)
				continue;
			job_finished(core, j, s);
			running--;
			show_progress(core, how->pfd, ++done, n, j);
		}
	}
	return SC_OK;
}

static cJSON *cell_result(const struct fleet_row *r, const struct fleet_job *j)
{
	cJSON *o = cJSON_CreateObject();
	bool failed = r->health == FLEET_ERROR;

	jm_str(o, "profile", r->profile);
	jm_str(o, "region", r->region);
	jm_str(o, "account_id", r->account_id);
	cJSON_AddStringToObject(o, "status", failed ? "failed" : "ok");
	cJSON_AddNumberToObject(o, "seconds", j ? round(j->seconds * 100) / 100 : 0);
	jm_str(o, "error", failed ? r->why : NULL);
	return o;
}

static const char *const sync_columns[] = {"profile", "region", "account_id", "status",
					   "seconds", "error", NULL};

/* The cells as the children left them in the cache. */
static enum sc_status fleet_outcome(struct core *core, struct fleet_job *jobs, size_t n_jobs,
				    struct verb_result *res, struct sc_error *err)
{
	struct fleet_view v;
	size_t failed = 0;
	enum sc_status st = fleet_view_load(core, NULL, &v, err);

	if (st)
		return st;
	fleet_view_sort(&v, FLEET_SORT_HEALTH);
	res->json = cJSON_CreateArray();
	res->columns = sync_columns;
	for (size_t i = 0; i < v.n; i++) {
		struct fleet_job *j = NULL;

		for (size_t k = 0; k < n_jobs && !j; k++)
			if (!strcmp(jobs[k].profile, v.rows[i].profile))
				j = &jobs[k];
		failed += v.rows[i].health == FLEET_ERROR;
		cJSON_AddItemToArray(res->json, cell_result(&v.rows[i], j));
	}
	if (failed)
		st = sc_fail(err, SC_PARTIAL, "%zu of %zu cells could not be read (their rows say why; "
				"sesctl fleet shows what the cache has)", failed, v.n);
	fleet_view_free(&v);
	return st;
}

/* One job per profile with its cells' regions; discover: the profiles of regions = active
 * whose account's regions are not known yet, with every SES region. */
static void plan(const struct fleet_view *v, bool discover, struct fleet_job **jobs, size_t *n)
{
	for (size_t i = 0; i < v->n; i++) {
		const struct fleet_row *r = &v->rows[i];
		struct fleet_job *j;

		if (!r->region || (discover && !r->discover))
			continue; /* a row without a region says so itself */
		j = job_of(jobs, n, r->profile);
		if (discover) {
			if (!j->n_regions)
				for (size_t k = 0; aws_ses_regions[k]; k++) {
					j->regions = xrealloc(j->regions, (k + 1) * sizeof(*j->regions));
					j->regions[k] = xstrdup(aws_ses_regions[k]);
					j->n_regions = k + 1;
				}
			continue;
		}
		j->regions = xrealloc(j->regions, (j->n_regions + 1) * sizeof(*j->regions));
		j->regions[j->n_regions++] = xstrdup(r->region);
	}
}

/* regions = active: each unknown profile's account is looked for in every SES region once
 * (its account and its identity listing), and remembered (the cell "active"). */
static enum sc_status discover(struct core *core, const struct fleet_how *read_how,
			       struct sc_error *err)
{
	struct fleet_how how = {.kinds = 1u << SYNC_ACCOUNT | 1u << SYNC_IDENTITIES,
				.no_details = true,
				.parallel = read_how->parallel,
				.pfd = read_how->pfd};
	struct fleet_job *jobs = NULL;
	struct fleet_view v;
	struct cache *c;
	size_t n = 0;
	enum sc_status st = fleet_view_load(core, NULL, &v, err);

	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		plan(&v, true, &jobs, &n);
	fleet_view_free(&v);
	if (st || !n)
		return st;
	st = run_jobs(core, jobs, n, &how);
	for (size_t i = 0; !st && i < n; i++)
		if (jobs[i].exit_code == 0 || jobs[i].exit_code == 9)
			cache_put_cell(c, jobs[i].profile, FLEET_ACTIVE_MARK, NULL, NULL, time(NULL),
				       NULL);
	jobs_free(jobs, n);
	return st;
}

/* sync's options that the children take as they are */
static void pass_on(const struct verb_args *args, struct fleet_how *how)
{
	const char *conc = verb_opt(args, "concurrency");
	size_t n = 0;

	if (verb_flag(args, "force"))
		how->extra[n++] = "--force";
	if (conc) {
		how->extra[n++] = "--concurrency";
		how->extra[n++] = conc;
	}
	how->extra[n] = NULL;
}

static enum sc_status fleet_read(struct core *core, const struct verb_args *args, unsigned kinds,
				 bool no_details, struct verb_result *res, struct sc_error *err)
{
	struct fleet_how how = {.kinds = kinds, .no_details = no_details};
	struct fleet_job *jobs = NULL;
	struct fleet_view v;
	const char *pfd = verb_opt(args, "progress-fd");
	size_t n_jobs = 0;
	enum sc_status st;

	how.parallel = parallel_of(args, err);
	how.pfd = pfd ? atoi(pfd) : -1;
	pass_on(args, &how);
	if (how.parallel < 0)
		return SC_USAGE;
	if (core->opt.offline)
		return sc_fail(err, SC_REFUSED, "refused: --offline given; a fleet's read needs the "
				"network");
	st = discover(core, &how, err);
	if (!st)
		st = fleet_view_load(core, NULL, &v, err);
	if (st == SC_CANCELLED)
		return sc_fail(err, SC_CANCELLED, "the fleet's read was interrupted");
	if (st)
		return st;
	plan(&v, false, &jobs, &n_jobs);
	fleet_view_free(&v);
	st = run_jobs(core, jobs, n_jobs, &how);
	if (st == SC_CANCELLED)
		sc_fail(err, SC_CANCELLED, "the fleet's read was interrupted: the cells read before "
				"are cached");
	else
		st = fleet_outcome(core, jobs, n_jobs, res, err);
	jobs_free(jobs, n_jobs);
	return st;
}

enum sc_status verb_sync_fleet(struct core *core, const struct verb_args *args, unsigned kinds,
			       struct verb_result *res, struct sc_error *err)
{
	return fleet_read(core, args, kinds, verb_flag(args, "no-details"), res, err);
}

/* ---- fleet ---- */

static const char *const fleet_columns[] = {
	"profile",  "region", "account_id", "health",     "enforcement", "sending",
	"quota_pct", "bounce", "complaint",  "identities", "pending",     "failed",
	"age",      "why",    NULL};
/* CSV: the numbers themselves, for a spreadsheet */
static const char *const fleet_csv_columns[] = {
	"profile",        "region",        "account_id",     "health",     "enforcement",
	"sending_enabled", "production",    "max_24h_send",   "sent_last_24h", "quota_used",
	"bounce_rate",    "complaint_rate", "config_sets",   "paused_config_sets", "tenants",
	"paused_tenants", "identities",    "pending",        "failed",     "feedback_nowhere",
	"paused_by",      "paused_at",     "paused_reason",  "data_time",  "error",
	NULL};

static void num_or_null(cJSON *o, const char *k, double v, bool known)
{
	if (known)
		cJSON_AddNumberToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

static void pct_text(cJSON *o, const char *k, double rate, int digits)
{
	char b[32];

	if (isnan(rate)) {
		cJSON_AddStringToObject(o, k, "-");
		return;
	}
	snprintf(b, sizeof(b), "%.*f%%", digits, rate * 100);
	cJSON_AddStringToObject(o, k, b);
}

static cJSON *row_json(const struct fleet_row *r, time_t now, bool text)
{
	const struct cache_cell_summary *s = &r->sum;
	bool k = r->has_sum;
	double used = k && s->max24 > 0 && s->sent24 >= 0 ? s->sent24 / s->max24 : NAN;
	cJSON *o = cJSON_CreateObject();
	char age[32];

	jm_str(o, "profile", r->profile);
	jm_str(o, "region", r->region);
	jm_str(o, "account_id", r->account_id);
	jm_str(o, "alias", r->alias);
	jm_str(o, "credential_source", r->cred_source);
	cJSON_AddStringToObject(o, "health", fleet_health_word(r->health));
	jm_str(o, "why", r->why);
	jm_str(o, "enforcement", k ? s->enforcement : NULL);
	if (text) {
		cJSON_AddStringToObject(o, "sending", !k || s->sending_enabled < 0 ? "-"
						      : s->sending_enabled ? "on" : "PAUSED");
		pct_text(o, "quota_pct", used, 0);
		pct_text(o, "bounce", k ? s->bounce_rate : NAN, 2);
		pct_text(o, "complaint", k ? s->complaint_rate : NAN, 3);
		fleet_age_words(age, sizeof(age), k ? s->data_time : 0, now);
		cJSON_AddStringToObject(o, "age", age);
	}
	if (k && s->sending_enabled >= 0)
		cJSON_AddBoolToObject(o, "sending_enabled", s->sending_enabled);
	else
		cJSON_AddNullToObject(o, "sending_enabled");
	jm_str(o, "paused_by", k ? s->paused_by : NULL);
	jm_time(o, "paused_at", k ? s->paused_at : 0);
	jm_str(o, "paused_reason", k ? s->paused_reason : NULL);
	if (k && s->production >= 0)
		cJSON_AddBoolToObject(o, "production", s->production);
	else
		cJSON_AddNullToObject(o, "production");
	num_or_null(o, "max_24h_send", s->max24, k && s->max24 >= 0);
	num_or_null(o, "sent_last_24h", s->sent24, k && s->sent24 >= 0);
	if (!text)
		num_or_null(o, "quota_used", isnan(used) ? 0 : round(used * 10000) / 10000,
			    !isnan(used));
	num_or_null(o, "bounce_rate", s->bounce_rate, k && !isnan(s->bounce_rate));
	num_or_null(o, "complaint_rate", s->complaint_rate, k && !isnan(s->complaint_rate));
	num_or_null(o, "config_sets", (double)s->config_sets, k && s->config_sets >= 0);
	num_or_null(o, "paused_config_sets", (double)s->paused_config_sets,
		    k && s->paused_config_sets >= 0);
	num_or_null(o, "tenants", (double)s->tenants, k && s->tenants >= 0);
	num_or_null(o, "paused_tenants", (double)s->paused_tenants, k && s->paused_tenants >= 0);
	num_or_null(o, "identities", (double)s->identities, k && s->identities >= 0);
	num_or_null(o, "pending", (double)s->pending, k && s->pending >= 0);
	num_or_null(o, "failed", (double)s->failed, k && s->failed >= 0);
	num_or_null(o, "feedback_nowhere", (double)s->feedback_nowhere,
		    k && s->feedback_nowhere >= 0);
	jm_time(o, "data_time", k ? s->data_time : 0);
	jm_time(o, "read_at", r->read_at);
	jm_str(o, "error", r->health == FLEET_ERROR ? r->why : NULL);
	jm_time(o, "error_at", r->health == FLEET_ERROR ? r->error_at : 0);
	return o;
}

enum sc_status verb_fleet(struct core *core, const struct verb_args *args,
			  struct verb_result *res, struct sc_error *err)
{
	const char *sort = verb_opt(args, "sort");
	int by = sort ? fleet_sort_from(sort) : FLEET_SORT_HEALTH;
	struct verb_result rd = {0};
	struct fleet_view v;
	time_t now = time(NULL);
	enum sc_status st;
	cJSON *arr;

	if (by < 0)
		return sc_fail(err, SC_USAGE, "--sort takes health, bounce, complaint or age, not '%s'",
			       sort);
	if (verb_flag(args, "refresh")) {
		st = fleet_read(core, args, SYNC_SUMMARY | 1u << SYNC_HISTORY, true, &rd, err);
		if (st && st != SC_PARTIAL) {
			verb_result_free(&rd);
			return st;
		}
		if (st)
			verb_result_warn(res, "%s", err->message);
		verb_result_free(&rd);
		sc_error_clear(err);
	}
	st = fleet_view_load(core, NULL, &v, err);
	if (st)
		return st;
	fleet_view_sort(&v, (enum fleet_sort)by);
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < v.n; i++)
		cJSON_AddItemToArray(arr, row_json(&v.rows[i], now,
						   core->opt.format == CORE_FMT_TEXT));
	if (core->opt.format == CORE_FMT_JSON) {
		res->json = cJSON_CreateObject();
		jm_str(res->json, "fleet", v.name);
		cJSON_AddNumberToObject(res->json, "cells", (double)v.n);
		cJSON_AddNumberToObject(res->json, "trouble", (double)v.trouble);
		cJSON_AddItemToObject(res->json, "rows", arr);
	} else {
		res->json = arr;
		res->columns = core->opt.format == CORE_FMT_CSV ? fleet_csv_columns : fleet_columns;
	}
	fleet_view_free(&v);
	return SC_OK;
}

/* ---- find ---- */

static const char *const find_columns[] = {"name",    "profile", "region", "account_id",
					   "status", "sending", "age", NULL};

/* Profiles that reached account in region (from the fleet's cells), comma-separated. */
static char *profiles_of(const struct cache_cell *cells, size_t n, const char *account,
			 const char *region)
{
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < n; i++)
		if (cells[i].account_id && !strcmp(cells[i].account_id, account) &&
		    !strcmp(cells[i].region, region))
			buf_printf(&b, "%s%s", b.len ? "," : "", cells[i].profile);
	return b.len ? buf_steal(&b) : (buf_free(&b), NULL);
}

static enum sc_status find_refresh(struct core *core, const struct verb_args *args,
				   struct verb_result *res, struct sc_error *err)
{
	struct verb_result rd = {0};
	enum sc_status st = fleet_read(core, args, 1u << SYNC_ACCOUNT | 1u << SYNC_IDENTITIES,
				       true, &rd, err);

	verb_result_free(&rd);
	if (st == SC_PARTIAL) {
		verb_result_warn(res, "%s", err->message);
		sc_error_clear(err);
		return SC_OK;
	}
	return st;
}

enum sc_status verb_find_identity(struct core *core, const struct verb_args *args,
			 struct verb_result *res, struct sc_error *err)
{
	struct cache_found *found = NULL;
	struct cache_cell *cells = NULL;
	size_t n = 0, n_cells = 0;
	time_t now = time(NULL);
	struct cache *c;
	char *name = xstrdup(args->argv[0]);
	enum sc_status st = SC_OK;

	for (char *p = strchr(name, '@') ? strchr(name, '@') : name; *p; p++)
		*p = (char)tolower((unsigned char)*p); /* domains are caseless; local parts not */
	if (verb_flag(args, "refresh"))
		st = find_refresh(core, args, res, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		st = cache_find_identities(c, name, !verb_flag(args, "exact"), 0, &found, &n, err);
	if (!st)
		st = cache_get_cells(c, &cells, &n_cells, err);
	if (st) {
		free(name);
		cache_found_free(found, n);
		return st;
	}
	res->json = cJSON_CreateArray();
	res->columns = find_columns;
	for (size_t i = 0; i < n; i++) {
		cJSON *o = cJSON_CreateObject();
		char *profiles = profiles_of(cells, n_cells, found[i].account_id, found[i].region);
		char age[32];

		jm_str(o, "name", found[i].name);
		jm_str(o, "profile", profiles);
		jm_str(o, "region", found[i].region);
		jm_str(o, "account_id", found[i].account_id);
		jm_str(o, "type", found[i].type);
		jm_str(o, "status", found[i].verification_status);
		if (core->opt.format == CORE_FMT_JSON) {
			cJSON_AddBoolToObject(o, "sending_enabled", found[i].sending_enabled);
			jm_time(o, "fetched", found[i].fetched);
		} else {
			cJSON_AddStringToObject(o, "sending", found[i].sending_enabled ? "on" : "off");
			fleet_age_words(age, sizeof(age), found[i].fetched, now);
			cJSON_AddStringToObject(o, "age", age);
		}
		cJSON_AddItemToArray(res->json, o);
		free(profiles);
	}
	if (!n)
		verb_result_warn(res, "no cached identity is %s or under it; sesctl find %s --refresh "
				      "reads the fleet's identities first", name, name);
	cache_found_free(found, n);
	cache_cells_free(cells, n_cells);
	free(name);
	return SC_OK;
}

/* DMARC aggregate reports: import (files, folders, s3://), the verdict per domain, its
 * sources, and the setup of the SES receiving path that collects them. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/core/dmarc.h"
#include "sesctl/ses/s3.h"
#include "sesctl/util/buf.h"
#include "verbs_impl.h"

static const char *const domain_columns[] = {"domain", "verdict", "policy", "messages",
					     "pass_rate", "dkim_aligned", "spf_aligned",
					     "unauthenticated", "reports", NULL};
static const char *const source_columns[] = {"source_ip", "class", "sender", "header_from",
					     "messages", "dmarc_pass", "dkim_aligned",
					     "spf_aligned", "disposition", "orgs", "why", NULL};
static const char *const row_columns[] = {"org", "report_id", "begin", "count", "disposition",
					  "dkim", "spf", "header_from", "envelope_from", "auth",
					  NULL};

static enum sc_status days_opt(const struct verb_args *args, int *days, struct sc_error *err)
{
	const char *s = verb_opt(args, "days");
	char *end;
	long v;

	*days = DMARC_DEFAULT_DAYS;
	if (!s)
		return SC_OK;
	v = strtol(s, &end, 10);
	if (*s < '0' || *s > '9' || *end || v < 1 || v > 3660)
		return sc_fail(err, SC_USAGE, "--days must be a whole number of days, 1 to 3660");
	*days = (int)v;
	return SC_OK;
}

/* The cache, and the account and region when the cache knows them (the classification's
 * identities). The DMARC verbs read only what is stored: no account is not an error, and
 * nothing asks STS or waits on a credential chain. */
static enum sc_status open_local(struct core *core, struct verb_where *w, struct sc_error *err)
{
	struct sc_error ignored = {0};
	enum sc_status st;

	memset(w, 0, sizeof(*w));
	st = core_cache(core, &w->cache, err);
	if (st)
		return st;
	if (core_region(core, &w->region, &ignored) != SC_OK)
		w->region = NULL;
	if (w->region && core_known_account(core, w->region, &w->account, &ignored) != SC_OK)
		w->account = NULL;
	return SC_OK;
}

static double rate(uint64_t part, uint64_t whole)
{
	return whole ? (double)part / (double)whole : -1;
}

static void put_rate(cJSON *o, const char *key, uint64_t part, uint64_t whole)
{
	if (whole)
		cJSON_AddNumberToObject(o, key, (double)(int64_t)(rate(part, whole) * 10000.0 + 0.5) / 10000.0);
	else
		cJSON_AddNullToObject(o, key);
}

static void policy_text(char *out, size_t n, const char *p, const char *sp, int pct)
{
	int k = snprintf(out, n, "p=%s", p ? p : "?");

	if (sp && k > 0 && (size_t)k < n)
		k += snprintf(out + k, n - (size_t)k, " sp=%s", sp);
	if (pct >= 0 && pct != 100 && k > 0 && (size_t)k < n)
		snprintf(out + k, n - (size_t)k, " pct=%d", pct);
}

static cJSON *verdict_json(const struct dmarc_verdict *v)
{
	cJSON *o = cJSON_CreateObject(), *pr;
	char pol[64];

	jm_str(o, "domain", v->domain);
	cJSON_AddBoolToObject(o, "ready", v->ready);
	jm_str(o, "verdict", v->headline);
	jm_str(o, "next_step", v->next_step);
	policy_text(pol, sizeof(pol), v->p, v->sp, v->pct);
	jm_str(o, "policy", pol);
	cJSON_AddNumberToObject(o, "messages", (double)v->all.messages);
	if (v->pass_rate >= 0)
		cJSON_AddNumberToObject(o, "pass_rate",
					(double)(int64_t)(v->pass_rate * 10000.0 + 0.5) / 10000.0);
	else
		cJSON_AddNullToObject(o, "pass_rate");
	put_rate(o, "dmarc_pass_all", v->all.dmarc_pass, v->all.messages);
	put_rate(o, "dkim_aligned", v->all.dkim_pass, v->all.messages);
	put_rate(o, "spf_aligned", v->all.spf_pass, v->all.messages);
	cJSON_AddNumberToObject(o, "authenticated", (double)v->auth_messages);
	cJSON_AddNumberToObject(o, "unauthenticated", (double)v->unauth_messages);
	cJSON_AddNumberToObject(o, "quarantined", (double)v->all.quarantined);
	cJSON_AddNumberToObject(o, "rejected", (double)v->all.rejected);
	cJSON_AddNumberToObject(o, "reports", (double)v->reports);
	cJSON_AddNumberToObject(o, "orgs", (double)v->orgs);
	jm_time(o, "first", v->first);
	jm_time(o, "last", v->last);
	pr = cJSON_AddArrayToObject(o, "problems");
	for (size_t i = 0; i < v->n_problems; i++)
		cJSON_AddItemToArray(pr, cJSON_CreateString(v->problems[i]));
	return o;
}

static void pct_text(struct buf *b, const char *label, uint64_t part, uint64_t whole)
{
	if (whole)
		buf_printf(b, "%-16s %.1f %%\n", label, rate(part, whole) * 100.0);
	else
		buf_printf(b, "%-16s -\n", label);
}

static void verdict_text(struct buf *b, const struct dmarc_verdict *v, int days,
			 const struct cache_dmarc_day *d, size_t nd)
{
	char pol[64];

	policy_text(pol, sizeof(pol), v->p, v->sp, v->pct);
	buf_printf(b, "domain           %s\n", v->domain);
	buf_printf(b, "verdict          %s\n", v->headline);
	if (v->next_step)
		buf_printf(b, "next             %s\n", v->next_step);
	buf_printf(b, "policy           %s (as the newest report saw it)\n", pol);
	buf_printf(b, "messages         %llu in %zu reports from %zu orgs, last %d days\n",
		   (unsigned long long)v->all.messages, v->reports, v->orgs, days);
	pct_text(b, "DMARC pass", v->auth_pass, v->auth_messages);
	buf_puts(b, "                 (of the authenticated sources' messages)\n");
	pct_text(b, "DKIM aligned", v->all.dkim_pass, v->all.messages);
	pct_text(b, "SPF aligned", v->all.spf_pass, v->all.messages);
	buf_printf(b, "unauthenticated  %llu messages\n", (unsigned long long)v->unauth_messages);
	if (nd) {
		buf_puts(b, "\nday          messages  DMARC pass\n");
		for (size_t i = 0; i < nd; i++) {
			char day[16];
			struct tm tm;

			gmtime_r(&d[i].day, &tm);
			strftime(day, sizeof(day), "%Y-%m-%d", &tm);
			buf_printf(b, "%s %10llu  ", day, (unsigned long long)d[i].n.messages);
			if (d[i].n.messages)
				buf_printf(b, "%5.1f %%\n", rate(d[i].n.dmarc_pass, d[i].n.messages) * 100.0);
			else
				buf_puts(b, "    -\n");
		}
	}
	if (v->n_problems) {
		buf_puts(b, "\nwhat fails\n");
		for (size_t i = 0; i < v->n_problems; i++)
			buf_printf(b, "  - %s\n", v->problems[i]);
	}
}

/* Who reported: per org, its reports, messages and DMARC pass. */
static void add_orgs(struct cache *c, cJSON *o, struct buf *text, const char *domain,
		     time_t since)
{
	struct cache_dmarc_org *v = NULL;
	cJSON *arr = cJSON_AddArrayToObject(o, "orgs_list");
	size_t n = 0;

	if (cache_get_dmarc_orgs(c, domain, since, &v, &n, NULL) != SC_OK || !n)
		return;
	buf_puts(text, "\nreported by                     reports    messages  DMARC pass\n");
	for (size_t i = 0; i < n; i++) {
		cJSON *x = cJSON_CreateObject();

		jm_str(x, "org", v[i].org);
		cJSON_AddNumberToObject(x, "reports", (double)v[i].reports);
		cJSON_AddNumberToObject(x, "messages", (double)v[i].n.messages);
		put_rate(x, "dmarc_pass", v[i].n.dmarc_pass, v[i].n.messages);
		cJSON_AddItemToArray(arr, x);
		buf_printf(text, "  %-28.28s %8zu %11llu  ", v[i].org, v[i].reports,
			   (unsigned long long)v[i].n.messages);
		if (v[i].n.messages)
			buf_printf(text, "%5.1f %%\n", rate(v[i].n.dmarc_pass, v[i].n.messages) * 100.0);
		else
			buf_puts(text, "    -\n");
	}
	cache_dmarc_orgs_free(v, n);
}

enum sc_status verb_dmarc(struct core *core, const struct verb_args *args,
			  struct verb_result *res, struct sc_error *err)
{
	const char *domain = args->argc ? args->argv[0] : NULL;
	struct dmarc_verdict *v = NULL;
	struct verb_where w;
	time_t now = time(NULL);
	size_t n = 0;
	int days;
	enum sc_status st = days_opt(args, &days, err);

	if (!st)
		st = open_local(core, &w, err);
	if (!st)
		st = dmarc_verdicts(w.cache, w.account, w.region, domain, days, now, &v, &n, err);
	if (st)
		return st;
	if (domain) {
		struct cache_dmarc_day *d = NULL;
		size_t nd = 0;
		cJSON *o = verdict_json(&v[0]), *arr = cJSON_AddArrayToObject(o, "days");

		if (cache_get_dmarc_days(w.cache, v[0].domain, now - (time_t)days * 86400, &d, &nd,
					 NULL) == SC_OK)
			for (size_t i = 0; i < nd; i++) {
				cJSON *x = cJSON_CreateObject();

				jm_time(x, "day", d[i].day);
				cJSON_AddNumberToObject(x, "messages", (double)d[i].n.messages);
				put_rate(x, "dmarc_pass", d[i].n.dmarc_pass, d[i].n.messages);
				cJSON_AddItemToArray(arr, x);
			}
		verdict_text(&res->text, &v[0], days, d, nd);
		add_orgs(w.cache, o, &res->text, v[0].domain, now - (time_t)days * 86400);
		res->text_only = true;
		res->array_key = "days";          /* --csv: the day-by-day table */
		free(d);
		res->json = o;
	} else {
		cJSON *arr = cJSON_CreateArray();

		for (size_t i = 0; i < n; i++)
			cJSON_AddItemToArray(arr, verdict_json(&v[i]));
		if (!n)
			verb_result_warn(res, "no DMARC reports in the last %d days: import them with "
					      "sesctl dmarc import FILE|FOLDER|s3://BUCKET/PREFIX/, or "
					      "collect them with sesctl dmarc setup DOMAIN --bucket B",
					 days);
		res->json = arr;
		res->columns = domain_columns;
	}
	dmarc_verdicts_free(v, n);
	return SC_OK;
}

static cJSON *source_json(const struct dmarc_source_view *s)
{
	cJSON *o = cJSON_CreateObject();
	char disp[96];

	jm_str(o, "source_ip", s->s.source_ip);
	jm_str(o, "class", dmarc_class_name(s->cls));
	jm_str(o, "sender", s->sender);
	jm_str(o, "identity", s->identity);
	jm_str(o, "header_from", s->s.header_from);
	cJSON_AddNumberToObject(o, "messages", (double)s->s.n.messages);
	put_rate(o, "dmarc_pass", s->s.n.dmarc_pass, s->s.n.messages);
	put_rate(o, "dkim_aligned", s->s.n.dkim_pass, s->s.n.messages);
	put_rate(o, "spf_aligned", s->s.n.spf_pass, s->s.n.messages);
	snprintf(disp, sizeof(disp), "none %llu, quarantine %llu, reject %llu",
		 (unsigned long long)(s->s.n.messages - s->s.n.quarantined - s->s.n.rejected),
		 (unsigned long long)s->s.n.quarantined, (unsigned long long)s->s.n.rejected);
	jm_str(o, "disposition", disp);
	jm_str(o, "auth", s->s.auth_key);
	jm_str(o, "orgs", s->s.orgs);
	jm_time(o, "last", s->s.last);
	cJSON_AddBoolToObject(o, "failing", s->failing);
	jm_str(o, "why", s->why);
	return o;
}

static cJSON *row_json(const struct cache_dmarc_row *r)
{
	cJSON *o = cJSON_CreateObject(), *auth;

	jm_str(o, "org", r->org);
	jm_str(o, "report_id", r->report_id);
	jm_time(o, "begin", r->begin);
	jm_time(o, "end", r->end);
	jm_str(o, "source_ip", r->source_ip);
	cJSON_AddNumberToObject(o, "count", (double)r->count);
	jm_str(o, "disposition", r->disposition);
	jm_str(o, "dkim", r->dkim);
	jm_str(o, "spf", r->spf);
	jm_str(o, "reasons", r->reasons);
	jm_str(o, "header_from", r->header_from);
	jm_str(o, "envelope_from", r->envelope_from);
	jm_str(o, "envelope_to", r->envelope_to);
	auth = r->auth_results ? cJSON_Parse(r->auth_results) : NULL;
	if (auth)
		cJSON_AddItemToObject(o, "auth_results", auth);
	else
		cJSON_AddNullToObject(o, "auth_results");
	jm_str(o, "origin", r->origin);
	return o;
}

/* The text form of one raw record's auth results, for the table's "auth" column. */
static void add_auth_text(cJSON *o)
{
	const cJSON *a = cJSON_GetObjectItem(o, "auth_results"), *x;
	struct buf b = {0};

	cJSON_ArrayForEach(x, cJSON_GetObjectItem(a, "dkim"))
		buf_printf(&b, "%sdkim d=%s s=%s %s", b.len ? ", " : "",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "domain")) ?: "?",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "selector")) ?: "-",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "result")) ?: "?");
	cJSON_ArrayForEach(x, cJSON_GetObjectItem(a, "spf"))
		buf_printf(&b, "%sspf %s %s", b.len ? ", " : "",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "domain")) ?: "?",
			   cJSON_GetStringValue(cJSON_GetObjectItem(x, "result")) ?: "?");
	jm_str(o, "auth", b.len ? buf_str(&b) : "");
	buf_free(&b);
}

enum sc_status verb_dmarc_sources(struct core *core, const struct verb_args *args,
				  struct verb_result *res, struct sc_error *err)
{
	const char *domain = args->argv[0], *ip = verb_opt(args, "ip");
	struct verb_where w;
	time_t now = time(NULL);
	size_t n = 0;
	int days;
	cJSON *arr;
	enum sc_status st = days_opt(args, &days, err);

	if (!st)
		st = open_local(core, &w, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	if (ip) {
		struct cache_dmarc_row *r = NULL;

		st = cache_get_dmarc_rows(w.cache, domain, ip, now - (time_t)days * 86400, 1000, &r,
					  &n, err);
		for (size_t i = 0; !st && i < n; i++) {
			cJSON *o = row_json(&r[i]);

			add_auth_text(o);
			cJSON_AddItemToArray(arr, o);
		}
		cache_dmarc_rows_free(r, n);
		res->columns = row_columns;
	} else {
		struct dmarc_source_view *v = NULL;

		st = dmarc_sources(w.cache, w.account, w.region, domain, days, now, &v, &n, err);
		for (size_t i = 0; !st && i < n; i++)
			cJSON_AddItemToArray(arr, source_json(&v[i]));
		dmarc_source_views_free(v, n);
		res->columns = source_columns;
	}
	if (st) {
		cJSON_Delete(arr);
		return st;
	}
	if (!n)
		verb_result_warn(res, "no DMARC records for %s%s%s in the last %d days", domain,
				 ip ? " from " : "", ip ? ip : "", days);
	res->json = arr;
	return SC_OK;
}

/* ---- import ---- */

struct problems {
	cJSON *arr;
	struct verb_result *res;
};

static void on_problem(void *ud, const char *item, const char *reason)
{
	struct problems *p = ud;
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "item", item);
	jm_str(o, "reason", reason);
	cJSON_AddItemToArray(p->arr, o);
	if (cJSON_GetArraySize(p->arr) <= 20)
		verb_result_warn(p->res, "%s: %s", item, reason);
}

static bool is_s3(const char *s)
{
	return strncmp(s, "s3://", 5) == 0;
}

enum sc_status verb_dmarc_import(struct core *core, const struct verb_args *args,
				 struct verb_result *res, struct sc_error *err)
{
	struct dmarc_limits lim = dmarc_limits_default();
	struct dmarc_import_stats stats = {0};
	struct problems pr = {cJSON_CreateArray(), res};
	struct verb_where w;
	time_t now = time(NULL);
	enum sc_status st = SC_OK;
	cJSON *o;

	for (int i = 0; !st && i < args->argc; i++) {   /* every URI checked before a request */
		struct s3_uri u;

		if (is_s3(args->argv[i]))
			st = s3_parse_uri(args->argv[i], &u, err);
	}
	if (!st)
		st = open_local(core, &w, err);
	for (int i = 0; !st && i < args->argc; i++) {
		if (is_s3(args->argv[i]))
			st = verb_dmarc_import_s3(core, args->argv[i], &lim, now, &stats, on_problem,
						  &pr, err);
		else
			st = dmarc_import_path(w.cache, args->argv[i], &lim, now, &stats, on_problem,
					       &pr, err);
	}
	if (st) {
		cJSON_Delete(pr.arr);
		return st;
	}
	if (cJSON_GetArraySize(pr.arr) > 20)
		verb_result_warn(res, "… and %d more problems (see --json)",
				 cJSON_GetArraySize(pr.arr) - 20);
	o = cJSON_CreateObject();
	cJSON_AddNumberToObject(o, "read", (double)stats.blobs);
	cJSON_AddNumberToObject(o, "skipped", (double)stats.skipped);
	cJSON_AddNumberToObject(o, "reports_new", (double)stats.reports_new);
	cJSON_AddNumberToObject(o, "reports_known", (double)stats.reports_dup);
	cJSON_AddNumberToObject(o, "records", (double)stats.records);
	cJSON_AddNumberToObject(o, "refused", (double)stats.failed);
	cJSON_AddItemToObject(o, "problems", pr.arr);
	buf_printf(&res->text, "read %zu %s: %zu new report%s (%zu records), %zu already stored, "
			       "%zu refused\n",
		   stats.blobs, stats.blobs == 1 ? "file" : "files",
		   stats.reports_new, stats.reports_new == 1 ? "" : "s",
		   stats.records, stats.reports_dup, stats.failed);
	if (stats.skipped)
		buf_printf(&res->text, "skipped %zu S3 objects read before\n", stats.skipped);
	if (stats.reports_new)
		buf_puts(&res->text, "next: sesctl dmarc\n");
	res->text_only = true;
	res->array_key = "problems";          /* --csv: what was refused, and why */
	res->json = o;
	return SC_OK;
}

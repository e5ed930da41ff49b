/* stats: send statistics by day and reputation rates against the enforcement lines. */
#include <cjson/cJSON.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/core/health.h"
#include "sesctl/core/sync.h"
#include "sesctl/store/account.h"
#include "sesctl/util/graph.h"
#include "verbs_impl.h"

static const char *const day_columns[] = {"date",           "attempts", "bounces",
                                          "complaints",     "rejects",  "bounce_rate",
                                          "complaint_rate", "verdict",  NULL};

static void pct(char *out, size_t n, double rate)
{
	if (isnan(rate))
		snprintf(out, n, "-");
	else
		snprintf(out, n, "%.2f%%", rate * 100.0);
}

static cJSON *day_json(const struct health_day *d)
{
	enum health_level b = health_level(HEALTH_BOUNCE, d->bounce_rate);
	enum health_level c = health_level(HEALTH_COMPLAINT, d->complaint_rate);
	cJSON *o = cJSON_CreateObject();
	char date[16], r[32];
	struct tm tm;

	gmtime_r(&d->day, &tm);
	strftime(date, sizeof(date), "%Y-%m-%d", &tm);
	cJSON_AddStringToObject(o, "date", date);
	cJSON_AddNumberToObject(o, "attempts", (double)d->attempts);
	cJSON_AddNumberToObject(o, "bounces", (double)d->bounces);
	cJSON_AddNumberToObject(o, "complaints", (double)d->complaints);
	cJSON_AddNumberToObject(o, "rejects", (double)d->rejects);
	pct(r, sizeof(r), d->bounce_rate);
	cJSON_AddStringToObject(o, "bounce_rate", r);
	pct(r, sizeof(r), d->complaint_rate);
	cJSON_AddStringToObject(o, "complaint_rate", r);
	cJSON_AddStringToObject(o, "bounce_level", health_level_word(b));
	cJSON_AddStringToObject(o, "complaint_level", health_level_word(c));
	cJSON_AddStringToObject(o, "verdict", health_level_word(b > c ? b : c));
	return o;
}

static bool ascii_terminal(const struct core *core)
{
	const char *cs = nl_langinfo(CODESET);

	return core->opt.ascii || !cs || strcmp(cs, "UTF-8");
}

static void spark_line(struct buf *text, const char *name, const double *v, size_t n,
                       enum health_metric m, bool ascii)
{
	double max = 0;
	char a[32];

	for (size_t i = 0; i < n; i++)
		if (!isnan(v[i]) && v[i] > max)
			max = v[i];
	buf_printf(text, "%-10s ", name);
	graph_sparkline(text, v, n, 56, 0, ascii);
	pct(a, sizeof(a), max);
	buf_printf(text, "  max %s (%s)\n", a, health_level_word(health_level(m, max)));
}

enum sc_status verb_stats(struct core *core, const struct verb_args *args, struct verb_result *res,
                          struct sc_error *err)
{
	const char *days_opt = verb_opt(args, "days"), *region, *account;
	long days = days_opt ? strtol(days_opt, NULL, 10) : 14;
	struct ses_send_point *pts = NULL;
	struct health_day *d = NULL;
	struct cache *c;
	size_t n = 0, nd = 0;
	time_t now = time(NULL);
	double *br, *cr;
	enum sc_status st;
	cJSON *o, *arr, *th;

	if (days < 1 || days > 3650)
		return sc_fail(err, SC_USAGE, "--days must be 1 to 3650");
	st = core_region(core, &region, err);
	if (!st)
		st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st) {
		struct sync_report rep;

		st = sync_fresh(core, region, 1u << SYNC_SEND_STATS | 1u << SYNC_METRICS,
		                verb_flag(args, "refresh"), &rep, NULL, err);
		if (st == SC_PARTIAL && !rep.kinds[SYNC_SEND_STATS].status)
			st = SC_OK; /* CloudWatch metrics are optional here */
	}
	if (!st)
		st = cache_get_send_points(c, account, region, now - days * 86400, now, &pts, &n,
		                           err);
	if (st)
		return st;
	health_days(pts, n, now - (days - 1) * 86400, now, &d, &nd);
	free(pts);
	o = cJSON_CreateObject();
	jm_str(o, "region", region);
	jm_str(o, "account", account);
	cJSON_AddNumberToObject(o, "days", (double)days);
	th = cJSON_AddObjectToObject(o, "thresholds");
	for (int i = 0; i < HEALTH_THRESHOLD_COUNT; i++)
		cJSON_AddNumberToObject(th, health_thresholds[i].label, health_thresholds[i].rate);
	arr = cJSON_AddArrayToObject(o, "per_day");
	br = xcalloc(nd + 1, sizeof(*br));
	cr = xcalloc(nd + 1, sizeof(*cr));
	for (size_t i = 0; i < nd; i++) {
		cJSON_AddItemToArray(arr, day_json(&d[i]));
		br[i] = d[i].bounce_rate;
		cr[i] = d[i].complaint_rate;
	}
	spark_line(&res->text, "bounce", br, nd, HEALTH_BOUNCE, ascii_terminal(core));
	spark_line(&res->text, "complaint", cr, nd, HEALTH_COMPLAINT, ascii_terminal(core));
	buf_puts(&res->text, "(SES review: bounce 5%, complaint 0.1%; pause: 10%, 0.5%)\n");
	free(br);
	free(cr);
	free(d);
	res->json = o;
	res->array_key = "per_day";
	res->columns = day_columns;
	return SC_OK;
}

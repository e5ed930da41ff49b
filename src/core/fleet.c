/* A fleet's cells: AWS profiles matched by a [fleet] section's globs, times its regions. */
#include "sesctl/core/fleet.h"

#include <errno.h>
#include <fcntl.h>
#include <fnmatch.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sesctl/aws/config.h"
#include "sesctl/core/core.h"
#include "sesctl/core/feedback.h"
#include "sesctl/core/health.h"
#include "sesctl/core/history.h"
#include "sesctl/core/tenants.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/store/tenants.h"
#include "sesctl/util/buf.h"

void fleet_free(struct fleet *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->n; i++) {
		free(f->cells[i].profile);
		free(f->cells[i].region);
	}
	free(f->cells);
	memset(f, 0, sizeof(*f));
}

static bool has_cell(const struct fleet *f, const char *profile, const char *region)
{
	for (size_t i = 0; i < f->n; i++)
		if (!strcmp(f->cells[i].profile, profile) &&
		    !strcmp(f->cells[i].region ? f->cells[i].region : "", region ? region : ""))
			return true;
	return false;
}

static void add_cell(struct fleet *f, const char *profile, const char *region)
{
	if (has_cell(f, profile, region))
		return;
	f->cells = xrealloc(f->cells, (f->n + 1) * sizeof(*f->cells));
	f->cells[f->n].profile = xstrdup(profile);
	f->cells[f->n].region = region ? xstrdup(region) : NULL;
	f->cells[f->n].discover = false;
	f->n++;
}

/* One profile, with the fleet's regions or its own. */
static void add_profile(struct fleet *f, const struct settings_fleet *sf, const char *profile,
			fleet_region_fn region_of, void *ud)
{
	if (sf && sf->n_regions && !sf->active) {
		for (size_t r = 0; r < sf->n_regions; r++)
			add_cell(f, profile, sf->regions[r]);
		return;
	}
	add_cell(f, profile, region_of ? region_of(ud, profile) : NULL);
}

enum sc_status fleet_cells(const struct settings *s, const char *name, char *const *names,
			   size_t n, fleet_region_fn region_of, void *ud, struct fleet *out,
			   struct sc_error *err)
{
	const struct settings_fleet *sf = settings_fleet(s, name ? name : "");

	memset(out, 0, sizeof(*out));
	if (!sf && name && *name)
		return sc_fail(err, SC_NOT_FOUND, "no [fleet %s] section in %s", name,
			       s && s->path ? s->path : "the sesctl config");
	if (!sf || !sf->n_profiles) {   /* no section, or no globs: every profile */
		for (size_t i = 0; i < n; i++)
			add_profile(out, sf, names[i], region_of, ud);
	} else {
		for (size_t g = 0; g < sf->n_profiles; g++)
			for (size_t i = 0; i < n; i++)
				if (!fnmatch(sf->profiles[g], names[i], 0))
					add_profile(out, sf, names[i], region_of, ud);
	}
	out->active = sf && sf->active;
	if (!out->n) {
		struct buf b = {0};

		for (size_t g = 0; sf && g < sf->n_profiles; g++)
			buf_printf(&b, "%s%s", g ? ", " : "", sf->profiles[g]);
		if (!sf)
			sc_fail(err, SC_USAGE, "no AWS profile to make a fleet of (~/.aws/config)");
		else
			sc_fail(err, SC_USAGE, "[fleet%s%s] matches no AWS profile%s%s",
				*sf->name ? " " : "", sf->name, b.len ? ": " : "",
				b.len ? buf_str(&b) : "");
		buf_free(&b);
		return SC_USAGE;
	}
	return SC_OK;
}

/* ---- the fleet's screen, from the cache ---- */


static const char *const health_words[] = {
	[FLEET_ERROR] = "error",         [FLEET_SHUTDOWN] = "shutdown",
	[FLEET_PAUSED] = "paused",       [FLEET_PROBATION] = "probation",
	[FLEET_OVER_LINE] = "over-line", [FLEET_WARNING] = "warning",
	[FLEET_UNREAD] = "unread",       [FLEET_HEALTHY] = "healthy",
};

const char *fleet_health_word(enum fleet_health h)
{
	return (unsigned)h <= FLEET_HEALTHY ? health_words[h] : "?";
}

int fleet_sort_from(const char *word)
{
	static const char *const words[] = {"health", "bounce", "complaint", "age"};

	for (int i = 0; word && i < 4; i++)
		if (!strcmp(word, words[i]))
			return i;
	return -1;
}

void fleet_age_words(char *out, size_t n, time_t t, time_t now)
{
	long s = t ? (long)(now - t) : -1;

	if (s < 0)
		snprintf(out, n, "%s", t ? "0s" : "never");
	else if (s < 120)
		snprintf(out, n, "%lds", s);
	else if (s < 7200)
		snprintf(out, n, "%ldm", s / 60);
	else if (s < 172800)
		snprintf(out, n, "%ldh", s / 3600);
	else
		snprintf(out, n, "%ldd", s / 86400);
}

bool fleet_selected(const struct core *core)
{
	return core->opt.fleet != NULL;
}

/* How the AWS config says a profile gets its credentials (never a secret). */
static char *cred_source(const struct aws_profile_ctx *ctx, const char *profile)
{
	const char *role = aws_profile_get(ctx, profile, "role_arn", NULL);
	const char *src = aws_profile_get(ctx, profile, "source_profile", NULL);
	struct buf b = BUF_INIT;

	if (role && src)
		buf_printf(&b, "role via %s", src);
	else if (role)
		buf_puts(&b, "role");
	else if (aws_profile_get(ctx, profile, "sso_session", NULL) ||
		 aws_profile_get(ctx, profile, "sso_start_url", NULL))
		buf_puts(&b, "sso");
	else if (aws_profile_get(ctx, profile, "credential_process", NULL))
		buf_puts(&b, "process");
	else if (aws_profile_get(ctx, profile, "aws_session_token", NULL))
		buf_puts(&b, "session keys");
	else if (aws_profile_get(ctx, profile, "aws_access_key_id", NULL))
		buf_puts(&b, "keys");
	else
		buf_puts(&b, "default chain");
	return buf_steal(&b);
}

static const char *profile_region(void *ud, const char *profile)
{
	return aws_profile_get(ud, profile, "region", NULL);
}

static void why(struct fleet_row *r, enum fleet_health h, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static void why(struct fleet_row *r, enum fleet_health h, const char *fmt, ...)
{
	va_list ap;

	r->health = h;
	va_start(ap, fmt);
	vsnprintf(r->why, sizeof(r->why), fmt, ap);
	va_end(ap);
}

static bool over(double rate, double line)
{
	return !isnan(rate) && rate >= line;
}

static void judge_rates(struct fleet_row *r)
{
	const struct cache_cell_summary *s = &r->sum;

	if (over(s->bounce_rate, health_thresholds[HEALTH_BOUNCE_REVIEW].rate))
		why(r, FLEET_OVER_LINE, "bounce %.2f %% (review line 5 %%)", s->bounce_rate * 100);
	else if (over(s->complaint_rate, health_thresholds[HEALTH_COMPLAINT_REVIEW].rate))
		why(r, FLEET_OVER_LINE, "complaints %.3f %% (review line 0.1 %%)",
		    s->complaint_rate * 100);
	else if ((!isnan(s->bounce_rate) &&
		  health_level(HEALTH_BOUNCE, s->bounce_rate) != HEALTH_OK) ||
		 (!isnan(s->complaint_rate) &&
		  health_level(HEALTH_COMPLAINT, s->complaint_rate) != HEALTH_OK))
		why(r, FLEET_WARNING, "near a line: bounce %.2f %%, complaints %.3f %%",
		    s->bounce_rate * 100, s->complaint_rate * 100);
	else if (s->paused_config_sets > 0 || s->paused_tenants > 0)
		why(r, FLEET_WARNING, "%ld configuration set%s and %ld tenant%s paused",
		    s->paused_config_sets, s->paused_config_sets == 1 ? "" : "s",
		    s->paused_tenants > 0 ? s->paused_tenants : 0,
		    s->paused_tenants == 1 ? "" : "s");
	else if (s->feedback_nowhere > 0)
		why(r, FLEET_WARNING, "%ld identit%s whose bounces go nowhere", s->feedback_nowhere,
		    s->feedback_nowhere == 1 ? "y" : "ies");
	else
		why(r, FLEET_HEALTHY, "healthy");
}

static void judge(struct fleet_row *r)
{
	const struct cache_cell_summary *s = &r->sum;

	if (!r->region)
		why(r, FLEET_ERROR, "no region: set region in the profile or regions in [fleet]");
	else if (r->error && r->error_at >= r->read_at)
		why(r, FLEET_ERROR, "%s", r->error);
	else if (!r->has_sum)
		why(r, FLEET_UNREAD, "never read: sesctl sync --fleet");
	else if (r->discover)
		why(r, FLEET_UNREAD, "regions = active: not looked for yet (sesctl sync --fleet)");
	else if (s->enforcement && !strcmp(s->enforcement, "SHUTDOWN"))
		why(r, FLEET_SHUTDOWN, "SHUTDOWN: AWS stopped the account's sending");
	else if (s->sending_enabled == 0)
		why(r, FLEET_PAUSED, "sending paused%s%s%s%s", s->paused_by ? " by " : "",
		    s->paused_by ? s->paused_by : "", s->paused_reason ? ": " : "",
		    s->paused_reason ? s->paused_reason : "");
	else if (s->enforcement && !strcmp(s->enforcement, "PROBATION"))
		why(r, FLEET_PROBATION, "PROBATION: under review by AWS");
	else
		judge_rates(r);
}

static const struct cache_cell *find_cell(const struct cache_cell *v, size_t n,
					  const char *profile, const char *region)
{
	for (size_t i = 0; region && i < n; i++)
		if (!strcmp(v[i].profile, profile) && !strcmp(v[i].region, region))
			return &v[i];
	return NULL;
}

static void fill_row(struct core *core, struct cache *c, const struct cache_cell *cells,
		     size_t n_cells, const struct fleet_cell *fc, struct fleet_row *r)
{
	const struct cache_cell *known = find_cell(cells, n_cells, fc->profile, fc->region);
	struct settings_view view;

	r->profile = xstrdup(fc->profile);
	r->region = fc->region ? xstrdup(fc->region) : NULL;
	r->discover = fc->discover;
	r->cred_source = cred_source(core->aws, fc->profile);
	settings_view(&core->settings, fc->profile, &view);
	r->alias = view.alias ? xstrdup(view.alias) : NULL;
	r->sum.bounce_rate = r->sum.complaint_rate = NAN;
	if (known) {
		r->account_id = known->account_id ? xstrdup(known->account_id) : NULL;
		r->read_at = known->read_at;
		r->error = known->error ? xstrdup(known->error) : NULL;
		r->error_at = known->error_at;
	}
	if (r->account_id && r->region &&
	    cache_get_cell_summary(c, r->account_id, r->region, &r->sum, NULL) == SC_OK)
		r->has_sum = true;
	else
		r->sum.bounce_rate = r->sum.complaint_rate = NAN;
	judge(r);
}

/* regions = active: each profile's cells are the regions where its account has identities
 * (as the summaries say); a profile whose account's are not known yet keeps its own region,
 * marked to be looked for. */
static void expand_active(struct cache *c, const struct cache_cell *cells, size_t n_cells,
			  struct fleet *f)
{
	struct fleet out = {.active = true};

	for (size_t i = 0; i < f->n; i++) {
		const char *account = NULL;
		char **regions = NULL;
		size_t n = 0, before = out.n;
		bool looked = false;

		for (size_t k = 0; k < n_cells; k++) {
			if (strcmp(cells[k].profile, f->cells[i].profile))
				continue;
			if (!account && cells[k].account_id)
				account = cells[k].account_id;
			looked |= !strcmp(cells[k].region, FLEET_ACTIVE_MARK) && cells[k].read_at;
		}
		if (account)
			cache_active_regions(c, account, &regions, &n, NULL);
		for (size_t r = 0; r < n; r++)
			add_cell(&out, f->cells[i].profile, regions[r]);
		if (!n)
			add_cell(&out, f->cells[i].profile, f->cells[i].region);
		if (!n && !looked && out.n > before)
			out.cells[out.n - 1].discover = true;
		cache_names_free(regions, n);
	}
	fleet_free(f);
	*f = out;
}

enum sc_status fleet_view_load(struct core *core, const char *name, struct fleet_view *out,
			       struct sc_error *err)
{
	struct cache_cell *cells = NULL;
	struct fleet f;
	struct cache *c;
	char **names = NULL;
	size_t n_names = 0, n_cells = 0;
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	if (!name)
		name = core->opt.fleet;
	aws_profile_names(core->aws, &names, &n_names);
	st = fleet_cells(&core->settings, name, names, n_names, profile_region, core->aws, &f,
			 err);
	aws_profile_names_free(names, n_names);
	if (st)
		return st;
	st = core_cache(core, &c, err);
	if (!st)
		st = cache_get_cells(c, &cells, &n_cells, err);
	if (st) {
		fleet_free(&f);
		return st;
	}
	if (f.active)
		expand_active(c, cells, n_cells, &f);
	out->name = xstrdup(name ? name : "");
	out->rows = xcalloc(f.n + 1, sizeof(*out->rows));
	for (size_t i = 0; i < f.n; i++) {
		fill_row(core, c, cells, n_cells, &f.cells[i], &out->rows[out->n]);
		out->trouble += out->rows[out->n++].health < FLEET_WARNING;
	}
	cache_cells_free(cells, n_cells);
	fleet_free(&f);
	fleet_view_sort(out, FLEET_SORT_HEALTH);
	return SC_OK;
}

static int cmp_rate(double a, double b)
{
	if (isnan(a) || isnan(b))
		return isnan(a) - isnan(b); /* unknown last */
	return a < b ? 1 : a > b ? -1 : 0;
}

static int cmp_names(const struct fleet_row *a, const struct fleet_row *b)
{
	int d = strcmp(a->profile, b->profile);

	return d ? d : strcmp(a->region ? a->region : "", b->region ? b->region : "");
}

static int cmp_health(const void *x, const void *y)
{
	const struct fleet_row *a = x, *b = y;
	int d = (int)a->health - (int)b->health;

	if (!d)
		d = cmp_rate(a->sum.bounce_rate, b->sum.bounce_rate);
	return d ? d : cmp_names(a, b);
}

static int cmp_bounce(const void *x, const void *y)
{
	int d = cmp_rate(((const struct fleet_row *)x)->sum.bounce_rate,
			 ((const struct fleet_row *)y)->sum.bounce_rate);

	return d ? d : cmp_health(x, y);
}

static int cmp_complaint(const void *x, const void *y)
{
	int d = cmp_rate(((const struct fleet_row *)x)->sum.complaint_rate,
			 ((const struct fleet_row *)y)->sum.complaint_rate);

	return d ? d : cmp_health(x, y);
}

static int cmp_age(const void *x, const void *y)
{
	const struct fleet_row *a = x, *b = y;
	time_t ta = a->has_sum ? a->sum.data_time : 0, tb = b->has_sum ? b->sum.data_time : 0;

	return ta != tb ? (ta < tb ? -1 : 1) : cmp_health(x, y); /* oldest first */
}

void fleet_view_sort(struct fleet_view *v, enum fleet_sort by)
{
	int (*const cmp[])(const void *, const void *) = {cmp_health, cmp_bounce, cmp_complaint,
							  cmp_age};

	if (v->n > 1 && (unsigned)by < 4)
		qsort(v->rows, v->n, sizeof(*v->rows), cmp[by]);
}

void fleet_view_free(struct fleet_view *v)
{
	if (!v)
		return;
	for (size_t i = 0; i < v->n; i++) {
		struct fleet_row *r = &v->rows[i];

		free(r->profile);
		free(r->region);
		free(r->account_id);
		free(r->alias);
		free(r->cred_source);
		free(r->error);
		cache_cell_summary_free(&r->sum);
	}
	free(v->rows);
	free(v->name);
	memset(v, 0, sizeof(*v));
}

/* ---- summaries, written after each sync of a region ---- */

/* SES's own trailing rate: the newest point of the last two days. */
static double newest_rate(struct cache *c, const char *account, const char *region,
			  const char *metric, time_t now)
{
	struct ses_metric_point *v = NULL;
	size_t n = 0;
	double rate = NAN;
	time_t ts = 0;

	if (cache_get_metric_points(c, account, region, metric, now - 2 * 86400, now + 3600, &v,
				    &n, NULL) != SC_OK)
		return NAN;
	for (size_t i = 0; i < n; i++)
		if (v[i].ts >= ts) {
			ts = v[i].ts;
			rate = v[i].value;
		}
	free(v);
	return rate;
}

static void sum_account(struct core *core, struct cache *c, struct cache_cell_summary *s)
{
	struct ses_account a = {0};
	struct audit_trail *trail = NULL;
	struct history_row row;
	char who[128];

	if (cache_get_account(c, s->account_id, s->region, &a, NULL) != SC_OK)
		return;
	s->enforcement = a.enforcement_status ? xstrdup(a.enforcement_status) : NULL;
	s->sending_enabled = a.sending_enabled;
	s->production = a.production_access;
	s->max24 = a.max_24h_send;
	s->sent24 = a.sent_last_24h;
	s->data_time = a.fetched;
	ses_account_free(&a);
	if (s->sending_enabled)
		return;
	if (core_audit(core, &trail, NULL) != SC_OK)
		trail = NULL;
	if (history_last_switch(c, trail, s->account_id, s->region, CT_RES_ACCOUNT, NULL, &row,
				NULL) != SC_OK)
		return;
	if (row.ev.sending != 0) {
		history_row_clear(&row);
		return;
	}
	history_who_short(&row, who, sizeof(who));
	s->paused_by = xstrdup(who);
	s->paused_at = row.ev.time;
	s->paused_reason = row.ev.reason ? xstrdup(row.ev.reason) : NULL;
	history_row_clear(&row);
}

static void sum_streams(struct cache *c, struct cache_cell_summary *s)
{
	struct ses_config_set *sets = NULL;
	struct cache_tenant *t = NULL;
	size_t n = 0;

	if (cache_get_config_sets(c, s->account_id, s->region, &sets, &n, NULL) == SC_OK) {
		s->config_sets = (long)n;
		s->paused_config_sets = 0;
		for (size_t i = 0; i < n; i++)
			s->paused_config_sets += !sets[i].sending_enabled;
		cache_config_sets_free(sets, n);
	}
	n = 0;
	if (cache_get_tenants(c, s->account_id, s->region, &t, &n, NULL) == SC_OK) {
		s->tenants = (long)n;
		s->paused_tenants = 0;
		for (size_t i = 0; i < n; i++)
			s->paused_tenants += tenant_state_of(&t[i]) == TENANT_PAUSED ||
					     tenant_state_of(&t[i]) == TENANT_AWS_PAUSED;
		cache_tenants_free(t, n);
	}
}

static void sum_feedback(struct cache *c, struct cache_cell_summary *s)
{
	struct fb_audit a;

	if (feedback_load_verdicts(c, s->account_id, s->region, 0, &a, NULL) != SC_OK)
		return;
	s->feedback_nowhere = a.fetched ? (long)a.counts[FB_NOWHERE] : -1;
	feedback_audit_free(&a);
}

enum sc_status fleet_summarize(struct core *core, const char *account_id, const char *region,
			       struct sc_error *err)
{
	struct cache_cell_summary s = {0};
	time_t now = time(NULL);
	struct cache *c;
	enum sc_status st = core_cache(core, &c, err);

	if (st)
		return st;
	s.account_id = xstrdup(account_id);
	s.region = xstrdup(region);
	s.computed = now;
	s.sending_enabled = s.production = -1;
	s.max24 = s.sent24 = -1;
	s.config_sets = s.paused_config_sets = s.tenants = s.paused_tenants = -1;
	s.feedback_nowhere = -1;
	sum_account(core, c, &s);
	s.bounce_rate = newest_rate(c, account_id, region, "Reputation.BounceRate", now);
	s.complaint_rate = newest_rate(c, account_id, region, "Reputation.ComplaintRate", now);
	sum_streams(c, &s);
	sum_feedback(c, &s);
	st = cache_count_identities(c, account_id, region, &s.identities, &s.pending, &s.failed,
				    err);
	if (!st)
		st = cache_put_cell_summary(c, &s, err);
	if (!st)
		st = cache_put_cell(c, core->profile, region, account_id, NULL, now, err);
	if (!st) /* the console's :region finds this profile's account there too */
		st = cache_note_account(c, account_id, region, core->profile, now, err);
	cache_cell_summary_free(&s);
	return st;
}

void fleet_note_error(struct core *core, const char *region, const char *message)
{
	struct cache *c;

	if (core_cache(core, &c, NULL) == SC_OK)
		cache_put_cell(c, core->profile, region, core->account_id, message, time(NULL),
			       NULL);
}

/* ---- one reader per account and region ---- */

int fleet_lock_account(const char *cache_file, const char *account_id, const char *region,
		       const volatile sig_atomic_t *interrupt)
{
	struct flock fl = {.l_type = F_WRLCK, .l_whence = SEEK_SET, .l_len = 1};
	unsigned long h = 5381;
	struct buf path = BUF_INIT;
	int fd;

	for (const char *p = account_id; *p; p++)
		h = h * 33 + (unsigned char)*p;
	for (const char *p = region; *p; p++)
		h = h * 33 + (unsigned char)*p;
	buf_printf(&path, "%s.locks", cache_file);
	fd = open(buf_str(&path), O_RDWR | O_CREAT | O_CLOEXEC | O_NOFOLLOW, 0600);
	buf_free(&path);
	if (fd < 0)
		return -1;
	fl.l_start = (off_t)(h % 65521);
	while (fcntl(fd, F_SETLKW, &fl) < 0) {
		if (errno != EINTR || (interrupt && *interrupt)) {
			close(fd);
			return -1;
		}
	}
	return fd;
}

void fleet_unlock(int fd)
{
	if (fd >= 0)
		close(fd); /* closing drops the process's locks on the file */
}

/* The Tenants pane: one row per customer (SES tenant) — whether it sends, and when it does
 * not, whose pause it is (AWS's reputation policy, or an operator's) with the cause; its
 * reputation impact, policy, resources and open findings. AWS-paused rows lead and stand
 * out. Enter opens a tenant: both status records with causes, who paused it, its resources,
 * findings and status changes. P pauses or resumes the selected tenant (reason, typed
 * confirmation, audit) through the same verbs as `sesctl tenant pause|resume`. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "sesctl/core/tenants.h"
#include "sesctl/store/db.h"
#include "sesctl/store/tenants.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"
#include "sesctl/tui/pausing.h"

enum tn_col { TC_NAME, TC_STATE, TC_IMPACT, TC_POLICY, TC_RES, TC_FINDINGS, TC_CAUSE, TC_N };

static const struct table_col cols[TC_N] = {
	{"tenant", 14, TCOL_MIDDLE | TCOL_FIT},
	{"sending", 15, TCOL_KEY},
	{"impact", 6, 0},
	{"policy", 8, 0},
	{"ids/sets/tpl", 12, 0},
	{"open", 4, TCOL_RIGHT},
	{"cause", 12, TCOL_FLEX},
};

struct tn_priv {
	struct cache_tenant *v;
	size_t n;
};

static struct tn_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct tn_priv));
	return p->priv;
}

static void priv_clear(struct tn_priv *pv)
{
	cache_tenants_free(pv->v, pv->n);
	pv->v = NULL;
	pv->n = 0;
}

static enum ses_state state_look(enum tenant_state s)
{
	switch (s) {
	case TENANT_AWS_PAUSED:
	case TENANT_PAUSED:
		return SES_STATE_FAILED;
	case TENANT_REINSTATED:
		return SES_STATE_TEMPFAIL;
	case TENANT_SENDING:
		break;
	}
	return SES_STATE_OK;
}

/* Worst first: AWS-paused, paused, reinstated, HIGH impact, then by name. */
static int64_t sort_key(const struct cache_tenant *t)
{
	switch (tenant_state_of(t)) {
	case TENANT_AWS_PAUSED:
		return 4;
	case TENANT_PAUSED:
		return 3;
	case TENANT_REINSTATED:
		return 2;
	case TENANT_SENDING:
		break;
	}
	return t->rep.impact && !strcasecmp(t->rep.impact, "HIGH");
}

static int worst_first(const void *a, const void *b)
{
	const struct cache_tenant *x = a, *y = b;
	int64_t kx = sort_key(x), ky = sort_key(y);

	if (kx != ky)
		return kx > ky ? -1 : 1;
	return strcmp(x->t.name ? x->t.name : "", y->t.name ? y->t.name : "");
}

/* SES keeps no cause for a customer pause: the reason it was paused with, and by whom,
 * from the account's history and the local audit trail; NULL when none is on record. */
static const char *paused_reason(struct tui *tui, const char *name, char *out, size_t n)
{
	struct history_row h;
	char who[256];

	if (history_last_switch(tui->cache, tui->audit, tui->account_id, tui_region(tui),
				CT_RES_TENANT, name, &h, NULL) != SC_OK)
		return NULL;
	history_who_short(&h, who, sizeof(who));
	snprintf(out, n, "%s (%s)", h.ev.reason && *h.ev.reason ? h.ev.reason : "no reason given",
		 who);
	history_row_clear(&h);
	return out;
}

static void add_row(struct pane *p, struct tui *tui, const struct cache_tenant *t, size_t i)
{
	enum tenant_state s = tenant_state_of(t);
	enum ses_state look = state_look(s);
	enum ses_state states[TC_N] = {SES_STATE_NONE, look};
	char state[48], res[32], open[16], why[400];
	const char *cells[TC_N], *cause = tenant_state_cause(t);
	struct table_row *r;

	snprintf(state, sizeof(state), "%s %s", theme_state_glyph(look, tui->ui.ascii),
		 s == TENANT_SENDING ? "on" : s == TENANT_AWS_PAUSED ? "PAUSED by AWS"
					  : s == TENANT_PAUSED ? "PAUSED" : "reinstated");
	snprintf(res, sizeof(res), "%zu/%zu/%zu", tenant_resource_count(t, "EMAIL_IDENTITY"),
		 tenant_resource_count(t, "CONFIGURATION_SET"), tenant_resource_count(t, "EMAIL_TEMPLATE"));
	snprintf(open, sizeof(open), "%zu", t->open_findings);
	if (s == TENANT_PAUSED && !cause)
		cause = paused_reason(tui, t->t.name, why, sizeof(why));
	if (t->rep.impact && !strcasecmp(t->rep.impact, "HIGH"))
		states[TC_IMPACT] = SES_STATE_FAILED;
	if (t->high_finding)
		states[TC_FINDINGS] = SES_STATE_FAILED;
	else if (t->open_findings)
		states[TC_FINDINGS] = SES_STATE_TEMPFAIL;
	cells[TC_NAME] = t->t.name;
	cells[TC_STATE] = state;
	cells[TC_IMPACT] = t->rep.impact ? t->rep.impact : "-";
	cells[TC_POLICY] = ses_policy_word(t->rep.policy) ? ses_policy_word(t->rep.policy) : "-";
	cells[TC_RES] = res;
	cells[TC_FINDINGS] = open;
	cells[TC_CAUSE] = cause ? cause : "";
	r = table_add(&p->list, i, look == SES_STATE_FAILED ? SES_STATE_FAILED : SES_STATE_NONE,
		      cells, states);
	r->id = table_id_of(t->t.name ? t->t.name : "");
	r->key = sort_key(t);
}

static enum sc_status tn_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct tn_priv *pv = priv_of(p);
	const char *region = tui_region(tui);
	enum sc_status st;

	priv_clear(pv);
	if (!tui->cache || !tui->account_id || !*region)
		return SC_OK;
	st = cache_get_tenants(tui->cache, tui->account_id, region, &pv->v, &pv->n, err);
	if (st)
		return st;
	if (pv->n)
		qsort(pv->v, pv->n, sizeof(*pv->v), worst_first);
	for (size_t i = 0; i < pv->n; i++)
		add_row(p, tui, &pv->v[i], i);
	return SC_OK;
}

static const struct cache_tenant *selected(const struct pane *p)
{
	const struct tn_priv *pv = p->priv;
	const struct table_row *r = table_selected(&p->list);

	return pv && r && r->ref < pv->n ? &pv->v[r->ref] : NULL;
}

static int tn_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct tn_priv *pv = priv_of(p);
	size_t paused = 0, aws = 0;
	char line[512];

	for (size_t i = 0; i < pv->n; i++) {
		enum tenant_state s = tenant_state_of(&pv->v[i]);

		paused += s == TENANT_PAUSED || s == TENANT_AWS_PAUSED;
		aws += s == TENANT_AWS_PAUSED;
	}
	if (!pv->n)
		snprintf(line, sizeof(line), " A tenant groups one customer's identities, sets and "
					     "templates, so one customer can be paused alone");
	else if (paused)
		snprintf(line, sizeof(line), " %zu of %zu tenants paused (%zu by AWS)   P pause/resume"
					     "   Enter details", paused, pv->n, aws);
	else
		snprintf(line, sizeof(line), " %zu tenants, all sending   P pause/resume   Enter "
					     "details", pv->n);
	ui_put(&tui->ui, y, 0, COLS, line, paused ? THEME_STATE_FAILED : THEME_COL_HEADER);
	return table_draw(&p->list, &tui->ui, y + 1, 0, h - 1, COLS);
}

/* ---- one tenant ---- */

static void fmt_time(char *out, size_t n, time_t t)
{
	struct tm tm;

	if (!t) {
		snprintf(out, n, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, n, "%Y-%m-%d %H:%MZ", &tm);
}

static void add_record(struct pane *p, const char *attr, const struct ses_status_record *r)
{
	char v[800], when[32];
	bool off = r->status && !strcasecmp(r->status, "DISABLED");

	fmt_time(when, sizeof(when), r->updated);
	snprintf(v, sizeof(v), "%s%s%s\nsince %s", r->status ? r->status : "not set",
		 r->cause ? ": " : "", r->cause ? r->cause : "", when);
	pane_detail_add(p, attr, v,
			off ? SES_STATE_FAILED
			: r->status && !strcasecmp(r->status, "REINSTATED") ? SES_STATE_TEMPFAIL
									     : SES_STATE_NONE);
}

static void add_findings(struct pane *p, struct tui *tui, const struct cache_tenant *t)
{
	struct cache_rec_query q = {.resource_arn = t->t.arn};
	struct ses_recommendation *v = NULL;
	size_t n = 0;

	if (!t->t.arn || cache_get_recommendations(tui->cache, tui->account_id, tui_region(tui), &q,
						   &v, &n, NULL))
		return;
	if (!n)
		pane_detail_add(p, "findings", "none on record", SES_STATE_OK);
	for (size_t i = 0; i < n; i++) {
		char v2[800];
		bool open = v[i].status && !strcasecmp(v[i].status, "OPEN");

		snprintf(v2, sizeof(v2), "%s %s %s: %s", v[i].status ? v[i].status : "?",
			 v[i].impact ? v[i].impact : "?", v[i].type ? v[i].type : "?",
			 v[i].description ? v[i].description : "");
		pane_detail_add(p, i ? "" : "findings", v2,
				!open ? SES_STATE_NONE
				: v[i].impact && !strcasecmp(v[i].impact, "HIGH") ? SES_STATE_FAILED
										  : SES_STATE_TEMPFAIL);
	}
	ses_recommendations_free(v, n);
}

static void add_changes(struct pane *p, struct tui *tui, const struct cache_tenant *t)
{
	struct cache_tenant_change *v = NULL;
	size_t n = 0;

	if (cache_get_tenant_changes(tui->cache, tui->account_id, tui_region(tui), t->t.name, 20,
				     &v, &n, NULL))
		return;
	for (size_t i = 0; i < n; i++) {
		char when[32], line[800];

		fmt_time(when, sizeof(when), v[i].time);
		snprintf(line, sizeof(line), "%s %s %s%s%s", when,
			 !strcmp(v[i].which, "aws") ? "AWS" : "customer", v[i].status,
			 v[i].cause ? ": " : "", v[i].cause ? v[i].cause : "");
		pane_detail_add(p, i ? "" : "status changes", line, SES_STATE_NONE);
	}
	cache_tenant_changes_free(v, n);
}

static void open_tenant(struct pane *p, struct tui *tui)
{
	const struct cache_tenant *t = selected(p);
	enum tenant_state s;
	char title[200], v[512];

	if (!t) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no tenant selected");
		return;
	}
	s = tenant_state_of(t);
	snprintf(title, sizeof(title), "Tenant %s  P pause/resume  Esc back", t->t.name);
	pane_detail_open(p, title);
	snprintf(v, sizeof(v), "%s%s%s", tenant_state_word(s), tenant_state_cause(t) ? ": " : "",
		 tenant_state_cause(t) ? tenant_state_cause(t) : "");
	pane_detail_add(p, "sending", v, state_look(s));
	if (s == TENANT_AWS_PAUSED)
		pane_detail_add(p, "", "AWS paused it: only fixing the findings (or AWS support) "
				       "lifts that", SES_STATE_FAILED);
	add_record(p, "customer-managed", &t->rep.customer);
	add_record(p, "AWS-managed", &t->rep.aws);
	if (s == TENANT_PAUSED)
		pane_detail_paused_by(p, tui, CT_RES_TENANT, t->t.name);
	pane_detail_last_change(p, tui, CT_RES_TENANT, t->t.name);
	pane_detail_add(p, "reputation impact", t->rep.impact ? t->rep.impact : "none",
			t->rep.impact && !strcasecmp(t->rep.impact, "HIGH") ? SES_STATE_FAILED
									    : SES_STATE_NONE);
	snprintf(v, sizeof(v), "%s", ses_policy_word(t->rep.policy) ? ses_policy_word(t->rep.policy)
				     : t->rep.policy ? t->rep.policy : "-");
	pane_detail_add(p, "reputation policy", v, SES_STATE_NONE);
	add_findings(p, tui, t);
	if (!t->n_res)
		pane_detail_add(p, "resources", "none: attach with :tenant attach NAME RESOURCE",
				SES_STATE_PENDING);
	for (size_t i = 0; i < t->n_res; i++) {
		snprintf(v, sizeof(v), "%-10s %s", tenant_resource_word(t->res[i].type),
			 tenant_resource_name(t->res[i].arn));
		pane_detail_add(p, i ? "" : "resources", v, SES_STATE_NONE);
	}
	add_changes(p, tui, t);
	pane_detail_add(p, "ARN", t->t.arn ? t->t.arn : "-", SES_STATE_NONE);
	fmt_time(v, sizeof(v), t->t.created);
	pane_detail_add(p, "created", v, SES_STATE_NONE);
}

static enum req tn_request(struct pane *p, struct tui *tui, enum req req)
{
	const struct cache_tenant *t;

	switch (req) {
	case REQ_ENTER:
		if (!pane_in_detail(p))
			open_tenant(p, tui);
		return REQ_NONE;
	case REQ_PAUSE:
		t = selected(p);
		if (!t) {
			ui_toast(&tui->ui, UI_TOAST_INFO, "no tenant selected");
			return REQ_NONE;
		}
		pausing_tenant(tui, t->t.name, tenant_state_of(t) == TENANT_PAUSED,
			       tenant_state_of(t) == TENANT_AWS_PAUSED ? tenant_state_cause(t) : NULL,
			       tenant_state_of(t) == TENANT_AWS_PAUSED);
		return REQ_NONE;
	default:
		return req;
	}
}

static size_t tn_words(struct pane *p, const char *prefix, const char **out, size_t max)
{
	const struct tn_priv *pv = p->priv;
	size_t n = 0;

	for (size_t i = 0; pv && i < pv->n && n < max; i++)
		if (!strncmp(pv->v[i].t.name, prefix, strlen(prefix)))
			out[n++] = pv->v[i].t.name;
	return n;
}

static void tn_select(struct pane *p, struct tui *tui)
{
	const struct cache_tenant *t = selected(p);

	if (t)
		tui_set_var(tui, "tenant", t->t.name);
}

static void tn_done(struct pane *p)
{
	struct tn_priv *pv = p->priv;

	if (!pv)
		return;
	priv_clear(pv);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_tenants_ops = {
	.name = "tenants",
	.title = "Tenants",
	.short_title = "Ten",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH | PANE_ON_DEMAND,
	.cache_kind = CACHE_KIND_TENANTS,
	.cols = cols,
	.ncols = TC_N,
	.empty = "no tenants cached: create one with :tenant create NAME (r refreshes)",
	.load = tn_load,
	.draw = tn_draw,
	.request = tn_request,
	.words = tn_words,
	.select = tn_select,
	.done = tn_done,
};

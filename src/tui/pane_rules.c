/* The Receipt rules pane: rule sets (the active one marked), a set's rules in evaluation
 * order, IP filters, Mail Manager (read-only), and a trace of where mail to an address
 * goes. Reads the cache; every change is a verb. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/core/trace.h"
#include "sesctl/store/db.h"
#include "sesctl/store/mail_manager.h"
#include "sesctl/store/receipt.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"

enum rules_mode { MODE_SETS, MODE_RULES, MODE_FILTERS, MODE_MM };

enum set_col { SC_ACTIVE, SC_NAME, SC_RULES, SC_CREATED, SC_N };
enum rule_col { RC_POS, RC_NAME, RC_ENABLED, RC_RECIPIENTS, RC_TLS, RC_SCAN, RC_ACTIONS, RC_N };
enum filter_col { FC_NAME, FC_POLICY, FC_CIDR, FC_N };
enum mm_col { MC_KIND, MC_NAME, MC_STATUS, MC_DETAIL, MC_N };

static const struct table_col set_cols[SC_N] = {
	[SC_ACTIVE] = {"state", 10, 0},
	[SC_NAME] = {"rule set", 24, TCOL_FLEX | TCOL_MIDDLE},
	[SC_RULES] = {"rules", 5, TCOL_RIGHT | TCOL_KEY},
	[SC_CREATED] = {"created", 17, 0},
};

static const struct table_col rule_cols[RC_N] = {
	[RC_POS] = {"#", 3, TCOL_RIGHT | TCOL_KEY},
	[RC_NAME] = {"rule", 16, TCOL_MIDDLE},
	[RC_ENABLED] = {"state", 6, 0},
	[RC_RECIPIENTS] = {"recipients", 18, 0},
	[RC_TLS] = {"TLS", 8, 0},
	[RC_SCAN] = {"scan", 4, 0},
	[RC_ACTIONS] = {"actions", 18, TCOL_FLEX},
};

static const struct table_col filter_cols[FC_N] = {
	[FC_NAME] = {"filter", 24, TCOL_FLEX},
	[FC_POLICY] = {"policy", 8, 0},
	[FC_CIDR] = {"CIDR", 20, 0},
};

static const struct table_col mm_cols[MC_N] = {
	[MC_KIND] = {"kind", 15, 0},
	[MC_NAME] = {"name", 24, TCOL_MIDDLE},
	[MC_STATUS] = {"status", 16, 0},
	[MC_DETAIL] = {"detail", 20, TCOL_FLEX},
};

struct rules_priv {
	enum rules_mode mode;
	struct ses_rule_set *sets;
	size_t n_sets;
	struct ses_receipt_filter *filters;
	size_t n_filters;
	struct ses_mm_item *mm;
	size_t n_mm;
	char *set_name;      /* the set whose rules are shown (MODE_RULES) */
	char *trace_addr;    /* the open detail is this trace (rebuilt on reload) */
	char *detail_rule;   /* the open detail is this rule of set_name */
	bool placed;         /* opened on the active set's rules, or the user chose a view */
};

static void data_free(struct rules_priv *pv)
{
	ses_rule_sets_free(pv->sets, pv->n_sets);
	cache_filters_free(pv->filters, pv->n_filters);
	cache_mm_items_free(pv->mm, pv->n_mm);
	pv->sets = NULL;
	pv->filters = NULL;
	pv->mm = NULL;
	pv->n_sets = pv->n_filters = pv->n_mm = 0;
}

static struct rules_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct rules_priv));
	return p->priv;
}

static void set_str(char **dst, const char *s)
{
	free(*dst);
	*dst = s ? xstrdup(s) : NULL;
}

static const struct ses_rule_set *find_set(const struct rules_priv *pv, const char *name)
{
	for (size_t i = 0; name && i < pv->n_sets; i++)
		if (!strcmp(pv->sets[i].name, name))
			return &pv->sets[i];
	return NULL;
}

static const struct ses_rule_set *active_set(const struct rules_priv *pv)
{
	for (size_t i = 0; i < pv->n_sets; i++)
		if (pv->sets[i].active)
			return &pv->sets[i];
	return NULL;
}

static void actions_line(struct buf *b, const struct ses_rule *r, const char *sep)
{
	for (size_t i = 0; i < r->n_actions; i++) {
		if (i)
			buf_puts(b, sep);
		trace_action_summary(b, &r->actions[i]);
	}
	if (!r->n_actions)
		buf_puts(b, "(no actions)");
}

static void recipients_line(struct buf *b, const struct ses_rule *r)
{
	for (size_t i = 0; i < r->n_recipients; i++)
		buf_printf(b, "%s%s", i ? ", " : "", r->recipients[i]);
	if (!r->n_recipients)
		buf_puts(b, "(every verified domain)");
}

/* ---- rows per mode ---- */

static void load_sets(struct pane *p, struct tui *tui, struct rules_priv *pv)
{
	for (size_t i = 0; i < pv->n_sets; i++) {
		const struct ses_rule_set *s = &pv->sets[i];
		enum ses_state st = s->active ? SES_STATE_OK : SES_STATE_NONE;
		char state[32], rules[24] = "?", created[32] = "-";
		const char *cells[SC_N];
		struct table_row *row;
		struct tm tm;

		snprintf(state, sizeof(state), "%s %s", theme_state_glyph(st, tui->ui.ascii),
			 s->active ? "active" : "inactive");
		if (s->has_rules)
			snprintf(rules, sizeof(rules), "%zu", s->n_rules);
		if (s->created && gmtime_r(&s->created, &tm))
			strftime(created, sizeof(created), "%Y-%m-%d %H:%MZ", &tm);
		cells[SC_ACTIVE] = state;
		cells[SC_NAME] = s->name;
		cells[SC_RULES] = rules;
		cells[SC_CREATED] = created;
		row = table_add(&p->list, i, st, cells, NULL);
		row->key = (int64_t)s->n_rules;
		row->id = table_id_of(s->name);
	}
}

static void load_rules(struct pane *p, struct tui *tui, const struct ses_rule_set *s)
{
	struct buf rcpt = BUF_INIT, acts = BUF_INIT;

	for (size_t i = 0; i < s->n_rules; i++) {
		const struct ses_rule *r = &s->rules[i];
		enum ses_state st = r->enabled ? SES_STATE_OK : SES_STATE_FAILED;
		enum ses_state states[RC_N] = {[RC_ENABLED] = st};
		char pos[24], state[32];
		const char *cells[RC_N];
		struct table_row *row;

		buf_reset(&rcpt);
		buf_reset(&acts);
		recipients_line(&rcpt, r);
		actions_line(&acts, r, tui->ui.ascii ? " -> " : " \xe2\x86\x92 ");
		snprintf(pos, sizeof(pos), "%zu", i + 1);
		snprintf(state, sizeof(state), "%s %s", theme_state_glyph(st, tui->ui.ascii),
			 r->enabled ? "on" : "off");
		cells[RC_POS] = pos;
		cells[RC_NAME] = r->name;
		cells[RC_ENABLED] = state;
		cells[RC_RECIPIENTS] = buf_str(&rcpt);
		cells[RC_TLS] = r->tls_policy ? r->tls_policy : "Optional";
		cells[RC_SCAN] = r->scan_enabled ? "yes" : "no";
		cells[RC_ACTIONS] = buf_str(&acts);
		row = table_add(&p->list, i, st, cells, states);
		row->key = (int64_t)i;
		row->id = table_id_of(r->name);
	}
	buf_free(&rcpt);
	buf_free(&acts);
}

static void load_filters(struct pane *p, struct rules_priv *pv)
{
	for (size_t i = 0; i < pv->n_filters; i++) {
		const struct ses_receipt_filter *f = &pv->filters[i];
		const char *cells[FC_N] = {f->name, f->policy, f->cidr};
		bool block = f->policy && !strcasecmp(f->policy, "Block");

		table_add(&p->list, i, block ? SES_STATE_FAILED : SES_STATE_OK, cells, NULL)->id =
			table_id_of(f->name ? f->name : "");
	}
}

static void load_mm(struct pane *p, struct rules_priv *pv)
{
	for (size_t i = 0; i < pv->n_mm; i++) {
		const struct ses_mm_item *m = &pv->mm[i];
		const char *cells[MC_N] = {m->kind, m->name ? m->name : m->id, m->status,
					   m->detail};

		table_add(&p->list, i, SES_STATE_NONE, cells, NULL)->id =
			table_id_of(m->id ? m->id : "");
	}
}

static void use_cols(struct pane *p, const struct table_col *cols, size_t n)
{
	if (p->list.cols == cols)
		return;
	p->list.cols = cols;
	p->list.ncols = n;
	p->list.sort_col = -1; /* the other mode's column does not exist here */
	p->list.sort_desc = false;
}

static void fetch(struct rules_priv *pv, struct tui *tui)
{
	const char *region = tui_region(tui);

	data_free(pv);
	if (!tui->cache || !tui->account_id || !*region)
		return;
	cache_get_rule_sets(tui->cache, tui->account_id, region, &pv->sets, &pv->n_sets, NULL);
	cache_get_filters(tui->cache, tui->account_id, region, &pv->filters, &pv->n_filters, NULL);
	cache_get_mm_items(tui->cache, tui->account_id, region, NULL, &pv->mm, &pv->n_mm, NULL);
}

static void refresh_detail(struct pane *p, struct tui *tui);

static enum sc_status rules_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct rules_priv *pv = priv_of(p);
	const struct ses_rule_set *s;

	(void)err;
	fetch(pv, tui);
	/* the pane opens on what an operator looks for: the active set's rules (Esc: the sets) */
	if (!pv->placed && pv->mode == MODE_SETS && (s = active_set(pv))) {
		set_str(&pv->set_name, s->name);
		pv->mode = MODE_RULES;
		pv->placed = true;
	}
	p->list.empty = pane_rules_ops.empty;
	if (!*tui_region(tui))
		p->list.empty = "no region: start with --region REGION or set one in the profile";
	else if (!tui->cache || !tui->account_id)
		p->list.empty = "no data for this profile and region yet; press r to read it";
	switch (pv->mode) {
	case MODE_SETS:
		use_cols(p, set_cols, SC_N);
		load_sets(p, tui, pv);
		break;
	case MODE_RULES:
		use_cols(p, rule_cols, RC_N);
		s = find_set(pv, pv->set_name);
		p->list.empty = s ? "this rule set has no rules"
				  : "this rule set is gone (Esc: the sets)";
		if (s)
			load_rules(p, tui, s);
		break;
	case MODE_FILTERS:
		use_cols(p, filter_cols, FC_N);
		p->list.empty = "no receipt IP filters cached (c creates one)";
		load_filters(p, pv);
		break;
	case MODE_MM:
		use_cols(p, mm_cols, MC_N);
		p->list.empty = "no Mail Manager resources cached";
		load_mm(p, pv);
		break;
	}
	refresh_detail(p, tui);
	return SC_OK;
}

static void switch_mode(struct pane *p, struct tui *tui, enum rules_mode mode)
{
	struct rules_priv *pv = p->priv;
	struct sc_error err;

	pv->mode = mode;
	pv->placed = true;
	table_set_filter(&p->list, "");
	p->list.sel = p->list.top = 0;
	p->list.keep = false;
	pane_detail_close(p);
	sc_error_clear(&err);
	pane_load(p, tui, &err);
	table_select(&p->list, 0);
}

/* ---- selection ---- */

static const struct ses_rule_set *viewed_set(struct pane *p)
{
	struct rules_priv *pv = p->priv;

	return pv->mode == MODE_RULES ? find_set(pv, pv->set_name) : NULL;
}

static size_t selected_ref(struct pane *p, size_t n, bool *ok)
{
	const struct table_row *r = table_selected(&p->list);

	*ok = r && r->ref < n;
	return r ? r->ref : 0;
}

static const struct ses_rule_set *selected_set(struct pane *p)
{
	struct rules_priv *pv = p->priv;
	bool ok;
	size_t i;

	if (pv->mode == MODE_RULES)
		return viewed_set(p);
	if (pv->mode != MODE_SETS)
		return NULL;
	i = selected_ref(p, pv->n_sets, &ok);
	return ok ? &pv->sets[i] : NULL;
}

static const struct ses_rule *selected_rule(struct pane *p, size_t *pos)
{
	const struct ses_rule_set *s = viewed_set(p);
	bool ok;
	size_t i;

	if (!s)
		return NULL;
	i = selected_ref(p, s->n_rules, &ok);
	if (pos)
		*pos = i;
	return ok ? &s->rules[i] : NULL;
}

/* ---- detail: one rule, or a trace ---- */

static void fill_rule_detail(struct pane *p, struct tui *tui, const struct ses_rule_set *s,
			     size_t i)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule *r = &s->rules[i];
	struct buf b = BUF_INIT;
	char title[600], pos[64];

	set_str(&pv->detail_rule, r->name);
	set_str(&pv->trace_addr, NULL);
	snprintf(title, sizeof(title), "rule %s in %s  Esc back", r->name, s->name);
	pane_detail_open(p, title);
	pane_detail_add(p, "rule", r->name, SES_STATE_NONE);
	snprintf(pos, sizeof(pos), "%zu of %zu in %s%s", i + 1, s->n_rules, s->name,
		 s->active ? " (active)" : "");
	pane_detail_add(p, "position", pos, SES_STATE_NONE);
	pane_detail_add(p, "enabled", r->enabled ? "yes" : "no",
			r->enabled ? SES_STATE_OK : SES_STATE_FAILED);
	recipients_line(&b, r);
	pane_detail_add(p, "recipients", buf_str(&b), SES_STATE_NONE);
	pane_detail_add(p, "TLS policy", r->tls_policy ? r->tls_policy : "Optional",
			SES_STATE_NONE);
	pane_detail_add(p, "spam/virus scan", r->scan_enabled ? "yes" : "no", SES_STATE_NONE);
	for (size_t a = 0; a < r->n_actions; a++) {
		buf_reset(&b);
		trace_action_summary(&b, &r->actions[a]);
		snprintf(pos, sizeof(pos), "action %zu", a + 1);
		pane_detail_add(p, pos, buf_str(&b), SES_STATE_NONE);
	}
	if (!r->n_actions)
		pane_detail_add(p, "actions", "(none)", SES_STATE_NONE);
	buf_reset(&b);
	buf_printf(&b, "%s/%s", s->name, r->name);
	pane_detail_last_change(p, tui, CT_RES_RULE, buf_str(&b));
	buf_free(&b);
}

static void add_trace_step(struct pane *p, const struct trace_step *st, struct buf *b,
			   bool ascii)
{
	const char *arrow = ascii ? "->" : "\xe2\x86\x92";
	char attr[300];

	buf_reset(b);
	snprintf(attr, sizeof(attr), "%zu %s", st->position, st->rule->name);
	if (!st->applies) {
		buf_printf(b, "- skipped: %s", st->why ? st->why : "no recipient matches");
		pane_detail_add(p, attr, buf_str(b), SES_STATE_NONE);
		return;
	}
	buf_printf(b, "%s applies: %s%s%s", theme_state_glyph(SES_STATE_OK, ascii),
		   st->why ? st->why : "matches", st->matched[0] ? " " : "", st->matched);
	for (size_t a = 0; a < st->rule->n_actions; a++) {
		buf_printf(b, "\n  %s ", arrow);
		trace_action_summary(b, &st->rule->actions[a]);
	}
	if (st->stops)
		buf_puts(b, "\n  processing ends here (Stop)");
	pane_detail_add(p, attr, buf_str(b), st->stops ? SES_STATE_TEMPFAIL : SES_STATE_OK);
}

static bool fill_trace(struct pane *p, const struct ses_rule_set *s, const char *addr,
		       bool ascii)
{
	struct rules_priv *pv = p->priv;
	struct trace_result tr;
	struct buf b = BUF_INIT;
	char title[600];

	if (!s->has_rules)
		return false;
	trace_rule_set(s, addr, &tr);
	set_str(&pv->trace_addr, addr);
	set_str(&pv->detail_rule, NULL);
	snprintf(title, sizeof(title), "trace %s through %s%s  Esc back", addr, s->name,
		 s->active ? " (active)" : " (not active)");
	pane_detail_open(p, title);
	for (size_t i = 0; i < tr.n; i++)
		add_trace_step(p, &tr.steps[i], &b, ascii);
	buf_reset(&b);
	if (tr.stopped)
		buf_printf(&b, "stopped at rule %zu (%s); %zu rule%s applied",
			   tr.steps[tr.n - 1].position, tr.steps[tr.n - 1].rule->name, tr.applied,
			   tr.applied == 1 ? "" : "s");
	else if (tr.applied)
		buf_printf(&b, "end of the set; %zu rule%s applied", tr.applied,
			   tr.applied == 1 ? "" : "s");
	else
		buf_puts(&b, "no rule applies: SES rejects the mail (no matching rule)");
	pane_detail_add(p, "result", buf_str(&b), tr.applied ? SES_STATE_OK : SES_STATE_FAILED);
	trace_free(&tr);
	buf_free(&b);
	return true;
}

static const struct ses_rule_set *trace_target(struct pane *p)
{
	const struct ses_rule_set *s = viewed_set(p);

	return s ? s : active_set(p->priv);
}

static void start_trace(struct pane *p, struct tui *tui)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule_set *s = trace_target(p);
	struct buf line = BUF_INIT;

	if (!s) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "no active receipt rule set cached to trace");
		return;
	}
	buf_puts(&line, pv->trace_addr ? pv->trace_addr : "");
	if (prompt_read(tui, "trace address: ", &line, NULL, NULL, NULL, NULL) && line.len &&
	    !fill_trace(p, s, buf_str(&line), tui->ui.ascii))
		ui_toast(&tui->ui, UI_TOAST_WARN, "the rules of %s are not cached yet (r)",
			 s->name);
	buf_free(&line);
}

static void refresh_detail(struct pane *p, struct tui *tui)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule_set *s = viewed_set(p);
	size_t sel = p->detail.sel;
	char *addr;

	if (!pane_in_detail(p))
		return;
	if (pv->trace_addr && trace_target(p)) {
		addr = xstrdup(pv->trace_addr);
		fill_trace(p, trace_target(p), addr, tui->ui.ascii);
		free(addr);
		table_select(&p->detail, sel);
		return;
	}
	for (size_t i = 0; s && pv->detail_rule && i < s->n_rules; i++)
		if (!strcmp(s->rules[i].name, pv->detail_rule)) {
			fill_rule_detail(p, tui, s, i);
			table_select(&p->detail, sel);
			return;
		}
	ui_toast(&tui->ui, UI_TOAST_WARN, "that rule is gone");
	pane_detail_close(p);
}

/* ---- actions (verbs) ---- */

static void run(struct tui *tui, char **argv, int argc)
{
	tui_run_verb(tui, argc, argv);
}

static void activate(struct pane *p, struct tui *tui)
{
	const struct ses_rule_set *s = selected_set(p);
	char *argv[] = {"receipt", "activate", NULL};

	if (!s) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no rule set selected");
		return;
	}
	if (s->active) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s is already the active rule set", s->name);
		return;
	}
	argv[2] = s->name;
	run(tui, argv, 3);
}

/* Up: after the rule two above (or first); down: after the rule below. */
static void move_rule(struct pane *p, struct tui *tui, bool up)
{
	const struct ses_rule_set *s = viewed_set(p);
	size_t i = 0;
	const struct ses_rule *r = selected_rule(p, &i);
	char *argv[7] = {"receipt", "rule", "move", NULL, NULL, "--after", NULL};

	if (!r) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "open a rule set (Enter), select a rule to move");
		return;
	}
	if ((up && i == 0) || (!up && i + 1 >= s->n_rules)) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "%s is already %s", r->name,
			 up ? "first" : "last");
		return;
	}
	argv[3] = s->name;
	argv[4] = r->name;
	if (up && i == 1) {
		argv[5] = "--first";
		run(tui, argv, 6);
		return;
	}
	argv[6] = up ? s->rules[i - 2].name : s->rules[i + 1].name;
	run(tui, argv, 7);
}

static void toggle_rule(struct pane *p, struct tui *tui)
{
	const struct ses_rule_set *s = viewed_set(p);
	const struct ses_rule *r = selected_rule(p, NULL);
	char *argv[5] = {"receipt", "rule", NULL, NULL, NULL};

	if (!r) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "open a rule set (Enter) and select a rule");
		return;
	}
	argv[2] = r->enabled ? "disable" : "enable";
	argv[3] = s->name;
	argv[4] = r->name;
	run(tui, argv, 5);
}

static void delete_selected(struct pane *p, struct tui *tui)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule_set *s = selected_set(p);
	const struct ses_rule *r = selected_rule(p, NULL);
	bool ok;
	size_t i;

	if (pv->mode == MODE_RULES && r) {
		run(tui, (char *[]){"receipt", "rule", "delete", s->name, r->name}, 5);
	} else if (pv->mode == MODE_SETS && s) {
		run(tui, (char *[]){"receipt", "delete", s->name}, 3);
	} else if (pv->mode == MODE_FILTERS) {
		i = selected_ref(p, pv->n_filters, &ok);
		if (ok)
			run(tui, (char *[]){"receipt", "filter", "delete", pv->filters[i].name}, 4);
	} else {
		ui_toast(&tui->ui, UI_TOAST_INFO, "nothing to delete here");
	}
}

static void create(struct pane *p, struct tui *tui)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule_set *s = selected_set(p);
	char line[400];

	if (pv->mode == MODE_FILTERS) {
		tui_prompt_command(tui, "receipt filter create --policy block ");
		return;
	}
	if (!s) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "select the rule set to copy");
		return;
	}
	/* a clone: the new name goes at the end */
	snprintf(line, sizeof(line), "receipt clone --from %s ", s->name);
	tui_prompt_command(tui, line);
}

static void enter(struct pane *p, struct tui *tui)
{
	struct rules_priv *pv = p->priv;
	const struct ses_rule_set *s;
	size_t i = 0;

	switch (pv->mode) {
	case MODE_SETS:
		s = selected_set(p);
		if (!s)
			return;
		set_str(&pv->set_name, s->name);
		switch_mode(p, tui, MODE_RULES);
		return;
	case MODE_RULES:
		if (selected_rule(p, &i))
			fill_rule_detail(p, tui, viewed_set(p), i);
		return;
	default:
		return;
	}
}

static enum req rules_request(struct pane *p, struct tui *tui, enum req req)
{
	struct rules_priv *pv = priv_of(p);

	if (pane_in_detail(p) && req != REQ_RULE_TRACE)
		return req == REQ_ENTER ? REQ_NONE : req;
	switch (req) {
	case REQ_ENTER: enter(p, tui); return REQ_NONE;
	case REQ_BACK:
		if (p->list.filter[0] || pv->mode == MODE_SETS)
			return req;
		switch_mode(p, tui, MODE_SETS);
		return REQ_NONE;
	case REQ_RULE_SET_ACTIVATE: activate(p, tui); return REQ_NONE;
	case REQ_RULE_MOVE_UP: move_rule(p, tui, true); return REQ_NONE;
	case REQ_RULE_MOVE_DOWN: move_rule(p, tui, false); return REQ_NONE;
	case REQ_RULE_TOGGLE: toggle_rule(p, tui); return REQ_NONE;
	case REQ_RULE_TRACE: start_trace(p, tui); return REQ_NONE;
	case REQ_FLEET: /* F without a fleet: the filters, as before fleets */
		if (tui->fleet_on)
			return req;
		/* fall through */
	case REQ_RULE_FILTERS:
		switch_mode(p, tui, pv->mode == MODE_FILTERS ? MODE_SETS : MODE_FILTERS);
		return REQ_NONE;
	case REQ_RULE_MAIL_MANAGER:
		switch_mode(p, tui, pv->mode == MODE_MM ? MODE_SETS : MODE_MM);
		return REQ_NONE;
	case REQ_IDENTITY_DELETE: delete_selected(p, tui); return REQ_NONE;
	case REQ_IDENTITY_CREATE: create(p, tui); return REQ_NONE;
	default: return req;
	}
}

static enum sc_status rules_yank(struct pane *p, struct tui *tui, struct buf *out,
				 struct sc_error *err)
{
	const struct rules_priv *pv = p->priv;
	const struct table_row *r = table_selected(p->shown);
	size_t col = 0;

	(void)tui;
	if (!r)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	if (pane_in_detail(p))
		col = 1; /* the value */
	else if (pv->mode == MODE_RULES)
		col = RC_NAME;
	else if (pv->mode == MODE_SETS)
		col = SC_NAME;
	else if (pv->mode == MODE_MM)
		col = MC_NAME;
	buf_puts(out, r->cells[col]);
	return SC_OK;
}

/* ---- drawing: the table, then a line saying what is shown and the keys ---- */

static void title(struct rules_priv *pv, bool fleet, struct buf *b)
{
	const struct ses_rule_set *s = find_set(pv, pv->set_name), *a = active_set(pv);

	switch (pv->mode) {
	case MODE_SETS:
		buf_printf(b, "receipt rule sets (active: %s)   Enter rules  a activate  c clone  "
			      "D delete  T trace  %s filters  M Mail Manager",
			   a ? a->name : "none", fleet ? "I" : "F"); /* F: the fleet, when one */
		break;
	case MODE_RULES:
		buf_printf(b, "rules of %s%s, in evaluation order   Esc sets  J/K move  e on/off  "
			      "D delete  T trace  a activate",
			   pv->set_name, s && s->active ? " (active)" : "");
		break;
	case MODE_FILTERS:
		buf_puts(b, "receipt IP filters   c create  D delete  F back to the rule sets");
		break;
	case MODE_MM:
		buf_puts(b, "Mail Manager (read-only): rule sets, traffic policies, "
			    "ingress points, archives   M back");
		break;
	}
}

static int rules_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct buf b = BUF_INIT;
	int cursor;

	/* the table starts at the body's top (the frame maps mouse clicks from there) */
	cursor = table_draw(&p->list, &tui->ui, y, 0, h - 1, COLS);
	title(priv_of(p), tui->fleet_on, &b);
	ui_put(&tui->ui, y + h - 1, 0, COLS, buf_str(&b), THEME_TITLE_FOCUS);
	buf_free(&b);
	return cursor;
}

static void rules_done(struct pane *p)
{
	struct rules_priv *pv = p->priv;

	if (!pv)
		return;
	data_free(pv);
	free(pv->set_name);
	free(pv->trace_addr);
	free(pv->detail_rule);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_rules_ops = {
	.name = "rules",
	.title = "Rules",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH,
	.cache_kind = CACHE_KIND_RULE_SETS,
	.cols = set_cols,
	.ncols = SC_N,
	.empty = "no receipt rule sets cached for this account and region; press r to refresh",
	.load = rules_load,
	.draw = rules_draw,
	.request = rules_request,
	.yank = rules_yank,
	.done = rules_done,
};

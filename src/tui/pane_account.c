/* The Account pane (incident response): sending status with pause/resume, the suppression
 * list, configuration sets with their sending state, and an incident checklist.
 *
 * Three sections, each its own table; p->shown points at the current one, so the frame's
 * moves, filter, sort and copy work on it. Every action is a verb run with
 * tui_run_verb(): the verb confirms, audits, and the pane reloads from the cache. */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/streams.h"
#include "sesctl/core/feedback.h"
#include "sesctl/store/audit.h"
#include "sesctl/store/account.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/db.h"
#include "sesctl/store/suppression.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"
#include "sesctl/tui/pausing.h"
#include "sesctl/util/graph.h"
#include "sesctl/util/text.h"

enum acct_section { SEC_SUPPRESSION, SEC_CONFIG_SETS, SEC_CHECKLIST, SEC_COUNT };

static const char *const section_titles[SEC_COUNT] = {"Suppression list", "Configuration sets",
						      "Incident checklist"};

static const struct table_col supp_cols[] = {
	{"address", 30, TCOL_FLEX | TCOL_MIDDLE},
	{"reason", 10, 0},
	{"since", 17, 0},
};

static const struct table_col cs_cols[] = {
	{"configuration set", 20, TCOL_FLEX | TCOL_MIDDLE},
	{"sending", 10, 0},
	{"reputation", 10, 0},
	{"TLS", 8, 0},
	{"pool", 12, 0},
};

static const struct table_col check_cols[] = {
	{"#", 3, TCOL_RIGHT},
	{"step", 40, TCOL_FLEX},
	{"sesctl", 35, 0},
};

/* The seeds' bounce-spike and compromised-credentials workflows, in order: what to do, the
 * sesctl command that does it, and what Enter puts in the : prompt — or, where sesctl has
 * no verb yet (prompt NULL), the AWS CLI commands to run instead: Enter shows them. */
static const struct {
	const char *step;
	const char *command;
	const char *prompt;
	const char *aws; /* no verb: what to run instead (ACCOUNT, REGION filled in) */
} checklist[] = {
	{"Spot the spike: Reputation pane, rates against the lines", "sesctl stats --days 2",
	 "stats --days 2", NULL},
	{"Pause sending: P here (or P on one configuration set)",
	 "sesctl sending pause --reason TEXT", "sending pause --reason ", NULL},
	{"Find the cause: feedback/SNS name the IAM user and source IP;"
	 " a burst in the suppression list",
	 "sesctl suppression list --since 1d", "suppression list --since 1d", NULL},
	{"Rotate or delete the SMTP credentials (delete the IAM user, make new ones)",
	 "smtp-credentials rotate", NULL,
	 "# the SMTP user: the IAM user whose access key the leaked SMTP password came from\n"
	 "aws iam list-access-keys --user-name SMTP_USER\n"
	 "aws iam update-access-key --user-name SMTP_USER --access-key-id OLD_KEY_ID --status Inactive\n"
	 "aws iam create-access-key --user-name SMTP_USER\n"
	 "# derive the SMTP password for REGION from the new secret (SES docs, \"Obtaining SMTP credentials\"),\n"
	 "# put it in the senders, then:\n"
	 "aws iam delete-access-key --user-name SMTP_USER --access-key-id OLD_KEY_ID"},
	{"Restrict sending by source IP (IAM policy, aws:SourceIp)", "smtp-credentials restrict-ip",
	 NULL,
	 "aws iam put-user-policy --user-name SMTP_USER --policy-name ses-send-from-known-ips "
	 "--policy-document '{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Deny\","
	 "\"Action\":[\"ses:SendRawEmail\",\"ses:SendEmail\"],"
	 "\"Resource\":\"arn:aws:ses:REGION:ACCOUNT:identity/*\","
	 "\"Condition\":{\"NotIpAddress\":{\"aws:SourceIp\":[\"203.0.113.0/24\"]}}}]}'\n"
	 "# replace 203.0.113.0/24 with the senders' addresses; SMTP_USER as above"},
	{"Clean the lists; unsuppress only addresses known to be valid",
	 "sesctl suppression remove ADDRESS", "suppression remove ", NULL},
	{"Resume once the cause is fixed: P here (asks for a reason)",
	 "sesctl sending resume --reason TEXT", "sending resume --reason ", NULL},
	{"Keep watching the rates", "sesctl stats --days 1", "stats --days 1", NULL},
};

#define CHECKLIST_N (sizeof(checklist) / sizeof(checklist[0]))

static const char *const reason_filters[] = {NULL, "BOUNCE", "COMPLAINT"};

struct acct_priv {
	enum acct_section section;
	int reason;                 /* index into reason_filters */
	struct table cs, check;     /* p->list is the suppression list */
	struct ses_suppressed *supp;
	size_t n_supp;
	struct ses_config_set *sets;
	size_t n_sets;
	/* the first step when one configuration set explains the spike (ref CHECKLIST_N) */
	char sick_set[80], sick_step[256], sick_command[256], sick_prompt[256];
	size_t fb_nowhere;          /* identities whose feedback reaches no one (audit read) */
	bool fb_known;
	char history_note[160];     /* why the account's CloudTrail history is not read, or "" */
};

static void fmt_time(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	if (!t) {
		snprintf(out, outlen, "-");
		return;
	}
	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%MZ", &tm);
}

/* 1234567 → "1,234,567" */
static void fmt_count(char *out, size_t outlen, double v)
{
	char digits[32];
	size_t n, o = 0;

	snprintf(digits, sizeof(digits), "%.0f", v < 0 ? 0 : v);
	n = strlen(digits);
	for (size_t i = 0; i < n && o + 2 < outlen; i++) {
		if (i && (n - i) % 3 == 0)
			out[o++] = ',';
		out[o++] = digits[i];
	}
	out[o] = '\0';
}

static struct table *section_table(struct pane *p, struct acct_priv *pv, enum acct_section s)
{
	return s == SEC_CONFIG_SETS ? &pv->cs : s == SEC_CHECKLIST ? &pv->check : &p->list;
}

static void priv_clear(struct acct_priv *pv)
{
	cache_suppressed_free(pv->supp, pv->n_supp);
	cache_config_sets_free(pv->sets, pv->n_sets);
	pv->supp = NULL;
	pv->sets = NULL;
	pv->n_supp = pv->n_sets = 0;
	pv->sick_set[0] = '\0';
}

static struct acct_priv *priv_of(struct pane *p)
{
	struct acct_priv *pv = p->priv;

	if (pv)
		return pv;
	pv = p->priv = xcalloc(1, sizeof(*pv));
	table_init(&pv->cs, cs_cols, sizeof(cs_cols) / sizeof(cs_cols[0]), p->list.text_flags);
	table_init(&pv->check, check_cols, sizeof(check_cols) / sizeof(check_cols[0]),
		   p->list.text_flags);
	pv->cs.empty = "no configuration sets cached; press r to refresh";
	table_sort(&p->list, 2, true); /* newest first: an incident's burst is on top */
	return pv;
}

static bool account_paused(const struct tui *tui)
{
	return tui->have_account ? !tui->account.sending_enabled : tui->paused_known;
}

static void load_suppression(struct pane *p, struct acct_priv *pv)
{
	for (size_t i = 0; i < pv->n_supp; i++) {
		const struct ses_suppressed *x = &pv->supp[i];
		char since[32];
		const char *cells[3] = {x->email, x->reason, since};

		fmt_time(since, sizeof(since), x->last_update);
		table_add(&p->list, i, x->reason && !strcmp(x->reason, "COMPLAINT")
					       ? SES_STATE_TEMPFAIL
					       : SES_STATE_NONE,
			  cells, NULL)
			->id = table_id_of(x->email ? x->email : "");
	}
}

static void load_config_sets(struct tui *tui, struct acct_priv *pv)
{
	table_clear(&pv->cs);
	for (size_t i = 0; i < pv->n_sets; i++) {
		const struct ses_config_set *x = &pv->sets[i];
		enum ses_state st = x->sending_enabled ? SES_STATE_OK : SES_STATE_FAILED;
		enum ses_state states[5] = {SES_STATE_NONE, st};
		char sending[32];
		const char *cells[5] = {x->name, sending,
					x->reputation_metrics_enabled ? "on" : "off",
					x->tls_policy ? x->tls_policy : "-",
					x->sending_pool ? x->sending_pool : "-"};

		snprintf(sending, sizeof(sending), "%s %s", theme_state_glyph(st, tui->ui.ascii),
			 x->sending_enabled ? "on" : "PAUSED");
		table_add(&pv->cs, i, st, cells, states)->id = table_id_of(x->name ? x->name : "");
	}
	table_update(&pv->cs);
}

static bool any_set_paused(const struct acct_priv *pv)
{
	for (size_t i = 0; i < pv->n_sets; i++)
		if (!pv->sets[i].sending_enabled)
			return true;
	return false;
}

/* One set over the review line while the others are not: pausing only it is step 1. */
static void find_sick_set(struct tui *tui, struct acct_priv *pv)
{
	struct streams s;
	const struct stream *x;
	int metric = 0;

	pv->sick_set[0] = '\0';
	if (streams_load(tui->cache, tui->account_id, tui_region(tui), 0, &s, NULL))
		return;
	x = streams_culprit(&s, 0);
	if (!x && (x = streams_culprit(&s, 1)))
		metric = 1;
	if (x && x->set.sending_enabled && strlen(x->set.name) < sizeof(pv->sick_set)) {
		snprintf(pv->sick_set, sizeof(pv->sick_set), "%s", x->set.name);
		snprintf(pv->sick_step, sizeof(pv->sick_step),
			 "Pause only the sick stream: %s (%s %.*f%%, the others under the line)",
			 x->set.name, metric ? "complaints" : "bounces", metric ? 2 : 1,
			 100 * (metric ? x->complaint_rate : x->bounce_rate));
		snprintf(pv->sick_command, sizeof(pv->sick_command),
			 "sesctl sending pause --config-set %s --reason TEXT", x->set.name);
		snprintf(pv->sick_prompt, sizeof(pv->sick_prompt),
			 "sending pause --config-set %s --reason ", x->set.name);
	}
	streams_free(&s);
}

static void load_checklist(struct tui *tui, struct acct_priv *pv)
{
	size_t first = 0;

	table_clear(&pv->check);
	if (pv->sick_set[0]) {
		const char *cells[3] = {"1", pv->sick_step, pv->sick_command};

		table_add(&pv->check, CHECKLIST_N, SES_STATE_FAILED, cells, NULL);
		first = 1;
	}
	for (size_t i = 0; i < CHECKLIST_N; i++) {
		char num[16];
		const char *cells[3] = {num, checklist[i].step,
					checklist[i].prompt ? checklist[i].command
							    : "aws iam ... (Enter shows it)"};
		/* the pause step reads done while the account or a set is paused: a glyph, since
		 * colour never carries meaning alone */
		bool done = i == 1 && (account_paused(tui) || any_set_paused(pv));

		snprintf(num, sizeof(num), "%zu%s", i + 1 + first,
			 done ? theme_state_glyph(SES_STATE_OK, tui->ui.ascii) : "");
		table_add(&pv->check, i, done ? SES_STATE_OK : SES_STATE_NONE, cells, NULL);
	}
	table_update(&pv->check);
}

/* The feedback audit's NOWHERE count for the health line, once the audit was read. */
static void load_feedback(struct tui *tui, struct acct_priv *pv)
{
	struct fb_audit a;
	time_t fetched = 0;

	pv->fb_known = false;
	pv->fb_nowhere = 0;
	cache_kind_age(tui->cache, tui->account_id, tui_region(tui), CACHE_KIND_FEEDBACK, &fetched,
		       NULL, NULL);
	if (!fetched || feedback_load_verdicts(tui->cache, tui->account_id, tui_region(tui), 0, &a, NULL))
		return;
	pv->fb_known = true;
	pv->fb_nowhere = a.counts[FB_NOWHERE];
	feedback_audit_free(&a);
}

/* One line when CloudTrail cannot be read: a missing permission names it. */
static void load_history_note(struct tui *tui, struct acct_priv *pv)
{
	char *last_error = NULL;
	time_t fetched = 0;

	pv->history_note[0] = '\0';
	cache_kind_age(tui->cache, tui->account_id, tui_region(tui), CACHE_KIND_HISTORY, &fetched,
		       &last_error, NULL);
	if (last_error && strstr(last_error, "cloudtrail:LookupEvents"))
		snprintf(pv->history_note, sizeof(pv->history_note),
			 "who-changed-what needs cloudtrail:LookupEvents");
	else if (last_error)
		snprintf(pv->history_note, sizeof(pv->history_note), "history not read: %s",
			 last_error);
	free(last_error);
}

static enum sc_status acct_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct acct_priv *pv = priv_of(p);
	const char *region = tui_region(tui);
	enum sc_status st;

	priv_clear(pv);
	if (p->shown != &p->detail)
		p->shown = section_table(p, pv, pv->section);
	if (!tui->cache || !tui->account_id || !*region) {
		table_clear(&pv->cs);
		table_update(&pv->cs);
		load_checklist(tui, pv);
		return SC_OK;
	}
	st = cache_get_suppressed(tui->cache, tui->account_id, region, reason_filters[pv->reason],
				  NULL, &pv->supp, &pv->n_supp, err);
	if (!st)
		st = cache_get_config_sets(tui->cache, tui->account_id, region, &pv->sets,
					   &pv->n_sets, err);
	load_feedback(tui, pv);
	load_history_note(tui, pv);
	load_suppression(p, pv);
	load_config_sets(tui, pv);
	find_sick_set(tui, pv);
	load_checklist(tui, pv);
	return st;
}

/* ---- drawing ---- */

static void draw_sending(struct tui *tui, int y)
{
	char line[1400], when[32];
	const char *acct = tui->account_id ? tui->account_id : "?";

	if (!tui->have_account && !tui->paused_known) { /* never read: unknown, not "enabled" */
		snprintf(line, sizeof(line), " ? sending state unknown for account %s in %s "
			 "(not read yet; r refreshes)", acct, tui_region(tui));
		ui_put(&tui->ui, y, 0, COLS, line, THEME_STALE);
		return;
	}
	if (!account_paused(tui)) {
		snprintf(line, sizeof(line), " %s sending enabled for account %s in %s",
			 theme_state_glyph(SES_STATE_OK, tui->ui.ascii), acct, tui_region(tui));
		ui_put(&tui->ui, y, 0, COLS, line, tui->have_account ? THEME_STATE_OK : THEME_ROW);
		return;
	}
	if (tui->paused_known) {
		char who[256], how[256];

		fmt_time(when, sizeof(when), tui->pause.ev.time);
		history_who_short(&tui->pause, who, sizeof(who));
		history_how_words(&tui->pause, how, sizeof(how));
		snprintf(line, sizeof(line), " %s SENDING PAUSED for %s since %s by %s: %s%s%s%s",
			 theme_state_glyph(SES_STATE_FAILED, tui->ui.ascii), acct, when, who,
			 tui->pause.ev.reason ? tui->pause.ev.reason : "no reason given",
			 *how ? " (" : "", how, *how ? ")" : "");
	} else {
		snprintf(line, sizeof(line), " %s SENDING PAUSED for %s (not by sesctl here)",
			 theme_state_glyph(SES_STATE_FAILED, tui->ui.ascii), acct);
	}
	ui_put(&tui->ui, y, 0, COLS, line, THEME_STATE_FAILED);
}

static void draw_quota(struct tui *tui, const struct acct_priv *pv, int y)
{
	const struct ses_account *a = &tui->account;
	struct buf line = BUF_INIT, meter = BUF_INIT;
	char sent[32], max[32];

	if (!tui->have_account) {
		ui_put(&tui->ui, y, 0, COLS, " account state not cached yet; press r", THEME_ROW);
		return;
	}
	fmt_count(sent, sizeof(sent), a->sent_last_24h);
	fmt_count(max, sizeof(max), a->max_24h_send);
	buf_printf(&line, " %s  %s  ", a->production_access ? "production" : "sandbox",
		   a->enforcement_status ? a->enforcement_status : "?");
	if (pv->fb_known && pv->fb_nowhere)
		buf_printf(&line, "%s %zu feedback nowhere  ",
			   theme_state_glyph(SES_STATE_FAILED, tui->ui.ascii), pv->fb_nowhere);
	if (a->max_24h_send > 0) {
		graph_hbar(&meter, a->sent_last_24h, a->max_24h_send, 10, tui->ui.ascii);
		buf_printf(&line, "quota [%s] %s/%s in 24 h", buf_str(&meter), sent, max);
	} else {
		buf_printf(&line, "%s sent in 24 h (no quota)", sent);
	}
	buf_printf(&line, "  max %g/s", a->max_send_rate);
	ui_put(&tui->ui, y, 0, COLS, buf_str(&line), THEME_ROW);
	buf_free(&line);
	buf_free(&meter);
}

static void draw_hint(struct tui *tui, const struct acct_priv *pv, int y)
{
	char line[512];
	const char *what = pv->section == SEC_CONFIG_SETS ? "the selected set" : "the account";
	bool resume = account_paused(tui) && pv->section != SEC_CONFIG_SETS;
	int n;

	n = snprintf(line, sizeof(line), " P %s %s   h/l section%s",
		     resume ? "resume" : "pause/resume", what,
		     pv->section == SEC_SUPPRESSION ? "   f reason   c add   D remove"
		     : pv->section == SEC_CHECKLIST ? "   Enter: the step's command"
						    : "   Enter detail");
	ui_put(&tui->ui, y, 0, COLS, line, THEME_COL_HEADER);
	if (pv->history_note[0] && n + 4 < COLS) { /* after the keys: they stay readable */
		snprintf(line, sizeof(line), "! %s", pv->history_note);
		ui_put(&tui->ui, y, n + 3, COLS - n - 3, line, THEME_STALE);
	}
}

static void draw_sections(struct pane *p, struct tui *tui, struct acct_priv *pv, int y)
{
	int x = 0;

	ui_put(&tui->ui, y, 0, COLS, "", THEME_TITLE);
	for (int s = 0; s < SEC_COUNT && x < COLS; s++) {
		char tab[96], count[48] = "";
		int w;

		if (s == SEC_SUPPRESSION && pv->reason)
			snprintf(count, sizeof(count), " %zu %s", p->list.nrows,
				 reason_filters[pv->reason]);
		else if (s == SEC_SUPPRESSION)
			snprintf(count, sizeof(count), " %zu", p->list.nrows);
		else if (s == SEC_CONFIG_SETS)
			snprintf(count, sizeof(count), " %zu", pv->cs.nrows);
		/* brackets mark the current section, not only the colour */
		snprintf(tab, sizeof(tab), s == (int)pv->section ? "[%s%s]" : " %s%s ",
			 section_titles[s], count);
		w = (int)strlen(tab);
		if (w > COLS - x)
			w = COLS - x;
		ui_put(&tui->ui, y, x, w, tab,
		       s == (int)pv->section ? THEME_TITLE_FOCUS : THEME_TITLE);
		x += w + 1;
	}
}

static int acct_draw(struct pane *p, struct tui *tui, int y, int h)
{
	struct acct_priv *pv = priv_of(p);

	draw_sending(tui, y);
	draw_quota(tui, pv, y + 1);
	draw_hint(tui, pv, y + 2);
	draw_sections(p, tui, pv, y + 3);
	return table_draw(p->shown, &tui->ui, y + 4, 0, h - 4, COLS);
}

/* ---- actions ---- */

static const struct ses_config_set *selected_set(struct pane *p, struct acct_priv *pv)
{
	const struct table_row *r = table_selected(&pv->cs);

	(void)p;
	return r && r->ref < pv->n_sets ? &pv->sets[r->ref] : NULL;
}

static const struct ses_suppressed *selected_supp(struct pane *p, struct acct_priv *pv)
{
	const struct table_row *r = table_selected(&p->list);

	return r && r->ref < pv->n_supp ? &pv->supp[r->ref] : NULL;
}

static void pause_or_resume(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	const struct ses_config_set *cs = NULL;

	if (pv->section == SEC_CONFIG_SETS) {
		cs = selected_set(p, pv);
		if (!cs) {
			ui_toast(&tui->ui, UI_TOAST_INFO, "no configuration set selected");
			return;
		}
	}
	pausing_toggle(tui, cs ? cs->name : NULL, cs ? !cs->sending_enabled : account_paused(tui));
}

static void switch_section(struct pane *p, struct tui *tui, struct acct_priv *pv, int dir)
{
	if (pane_in_detail(p))
		return;
	pv->section = (enum acct_section)((pv->section + SEC_COUNT + dir) % SEC_COUNT);
	p->shown = section_table(p, pv, pv->section);
	ui_toast_clear(&tui->ui);
}

static void next_reason(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	struct sc_error err;

	pv->reason = (pv->reason + 1) % (int)(sizeof(reason_filters) / sizeof(reason_filters[0]));
	sc_error_clear(&err);
	if (pane_load(p, tui, &err))
		ui_toast(&tui->ui, UI_TOAST_ERROR, "account: %s", err.message);
	ui_toast(&tui->ui, UI_TOAST_INFO, "suppression list: %s",
		 pv->reason ? reason_filters[pv->reason] : "all reasons");
}

static void remove_selected(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	const struct ses_suppressed *x = selected_supp(p, pv);
	char *argv[3], *email;

	if (!x || !x->email) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "no address selected");
		return;
	}
	email = xstrdup(x->email);
	argv[0] = "suppression";
	argv[1] = "remove";
	argv[2] = email;
	tui_run_verb(tui, 3, argv);
	free(email);
}

/* s with every ACCOUNT and REGION replaced by this console's values. Caller frees. */
static char *fill_in(const char *s, const char *account, const char *region)
{
	struct buf b = BUF_INIT;

	while (*s) {
		if (!strncmp(s, "ACCOUNT", 7)) {
			buf_puts(&b, account);
			s += 7;
		} else if (!strncmp(s, "REGION", 6)) {
			buf_puts(&b, region);
			s += 6;
		} else {
			buf_putc(&b, *s++);
		}
	}
	return buf_steal(&b);
}

/* A step with no verb: the AWS CLI commands to run instead, one per row, ready to copy. */
static void step_detail(struct pane *p, struct tui *tui, size_t i)
{
	char *cmds = fill_in(checklist[i].aws, tui->account_id ? tui->account_id : "ACCOUNT_ID",
			     *tui_region(tui) ? tui_region(tui) : "REGION");
	char title[160];
	const char *line = cmds;
	bool first = true;

	snprintf(title, sizeof(title), "step %zu: not in sesctl yet; run these (y copies a line)",
		 i + 1);
	pane_detail_open(p, title);
	pane_detail_add(p, "step", checklist[i].step, SES_STATE_NONE);
	while (*line) {
		size_t n = strcspn(line, "\n");
		char *one = xstrndup(line, n);

		pane_detail_add(p, first ? "aws cli" : "", one, SES_STATE_NONE);
		free(one);
		first = false;
		line += n + (line[n] == '\n');
	}
	free(cmds);
}

static void run_step(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	const struct table_row *r = table_selected(&pv->check);

	if (r && r->ref == CHECKLIST_N && pv->sick_set[0])
		tui_prompt_command(tui, pv->sick_prompt);
	if (!r || r->ref >= CHECKLIST_N)
		return;
	if (checklist[r->ref].prompt)
		tui_prompt_command(tui, checklist[r->ref].prompt);
	else
		step_detail(p, tui, r->ref);
}

static void supp_detail(struct pane *p, struct acct_priv *pv)
{
	const struct ses_suppressed *x = selected_supp(p, pv);
	char since[32], cmd[512];

	if (!x)
		return;
	fmt_time(since, sizeof(since), x->last_update);
	snprintf(cmd, sizeof(cmd), "sesctl suppression remove %s", x->email ? x->email : "");
	pane_detail_open(p, x->email);
	pane_detail_add(p, "address", x->email, SES_STATE_NONE);
	pane_detail_add(p, "reason", x->reason, x->reason && !strcmp(x->reason, "COMPLAINT")
							  ? SES_STATE_TEMPFAIL
							  : SES_STATE_NONE);
	pane_detail_add(p, "suppressed since", since, SES_STATE_NONE);
	pane_detail_add(p, "effect", "SES drops mail to this address (counted as a suppression "
				     "bounce); remove it only when the address is known to be valid",
			SES_STATE_NONE);
	pane_detail_add(p, "remove (D)", cmd, SES_STATE_NONE);
}

static void set_detail(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	const struct ses_config_set *x = selected_set(p, pv);
	char cmd[512];

	if (!x)
		return;
	pane_detail_open(p, x->name);
	pane_detail_add(p, "configuration set", x->name, SES_STATE_NONE);
	pane_detail_add(p, "sending", x->sending_enabled ? "enabled" : "PAUSED",
			x->sending_enabled ? SES_STATE_OK : SES_STATE_FAILED);
	if (!x->sending_enabled)
		pane_detail_paused_by(p, tui, CT_RES_CONFIG_SET, x->name);
	pane_detail_last_change(p, tui, CT_RES_CONFIG_SET, x->name);
	pane_detail_add(p, "reputation metrics", x->reputation_metrics_enabled ? "on" : "off",
			SES_STATE_NONE);
	pane_detail_add(p, "TLS policy", x->tls_policy ? x->tls_policy : "-", SES_STATE_NONE);
	pane_detail_add(p, "sending pool", x->sending_pool ? x->sending_pool : "-",
			SES_STATE_NONE);
	snprintf(cmd, sizeof(cmd), "sesctl sending %s --reason TEXT --config-set %s",
		 x->sending_enabled ? "pause" : "resume", x->name ? x->name : "");
	pane_detail_add(p, x->sending_enabled ? "pause (P)" : "resume (P)", cmd, SES_STATE_NONE);
}

static void open_detail(struct pane *p, struct tui *tui, struct acct_priv *pv)
{
	if (pane_in_detail(p))
		return;
	if (pv->section == SEC_CHECKLIST)
		run_step(p, tui, pv);
	else if (pv->section == SEC_CONFIG_SETS)
		set_detail(p, tui, pv);
	else
		supp_detail(p, pv);
}

static enum req acct_request(struct pane *p, struct tui *tui, enum req req)
{
	struct acct_priv *pv = priv_of(p);

	switch (req) {
	case REQ_LEFT: switch_section(p, tui, pv, -1); return REQ_NONE;
	case REQ_RIGHT: switch_section(p, tui, pv, 1); return REQ_NONE;
	case REQ_PAUSE: pause_or_resume(p, tui, pv); return REQ_NONE;
	case REQ_REASON_FILTER:
		if (pv->section == SEC_SUPPRESSION)
			next_reason(p, tui, pv);
		return REQ_NONE;
	case REQ_IDENTITY_CREATE: /* c: add (the frame's "create" key) */
		if (pv->section == SEC_SUPPRESSION)
			tui_prompt_command(tui, "suppression add ");
		return REQ_NONE;
	case REQ_IDENTITY_DELETE: /* D: remove */
		if (pv->section == SEC_SUPPRESSION)
			remove_selected(p, tui, pv);
		return REQ_NONE;
	case REQ_ENTER: open_detail(p, tui, pv); return REQ_NONE;
	case REQ_BACK:
		if (!pane_in_detail(p))
			return req;
		pane_detail_close(p); /* back to the section's table, not the suppression list */
		p->shown = section_table(p, pv, pv->section);
		return REQ_NONE;
	default: return req;
	}
}

static enum sc_status acct_yank(struct pane *p, struct tui *tui, struct buf *out,
				struct sc_error *err)
{
	struct acct_priv *pv = priv_of(p);
	const struct table_row *r = table_selected(p->shown);

	(void)tui;
	if (!r)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	if (pane_in_detail(p)) { /* the value: a command line to paste */
		buf_puts(out, r->cells[1]);
		return SC_OK;
	}
	if (pv->section == SEC_CHECKLIST) {
		if (r->ref < CHECKLIST_N && !checklist[r->ref].prompt)
			return sc_fail(err, SC_NOT_FOUND, "no command for this step");
		buf_puts(out, r->cells[2]);
		return SC_OK;
	}
	buf_puts(out, r->cells[0]);
	return SC_OK;
}

static void acct_done(struct pane *p)
{
	struct acct_priv *pv = p->priv;

	if (!pv)
		return;
	priv_clear(pv);
	p->shown = &p->list;
	table_free(&pv->cs);
	table_free(&pv->check);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_account_ops = {
	.name = "account",
	.title = "Account",
	.short_title = "Acct",
	.flags = PANE_FILTER | PANE_SORT | PANE_REFRESH,
	.cache_kind = CACHE_KIND_ACCOUNT,
	.cols = supp_cols,
	.ncols = sizeof(supp_cols) / sizeof(supp_cols[0]),
	.empty = "the suppression list is empty (or not cached yet; press r)",
	.load = acct_load,
	.draw = acct_draw,
	.request = acct_request,
	.yank = acct_yank,
	.done = acct_done,
};

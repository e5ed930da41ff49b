/* Pausing and resuming sending (the account, or one configuration set) from any pane: the
 * reminder of the last pause before a resume, the reason prompt, then the verb. */
#include "sesctl/tui/pausing.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/store/audit.h"
#include "sesctl/tui/app.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/text.h"

static void fmt_time(char *out, size_t outlen, time_t t)
{
	struct tm tm;

	gmtime_r(&t, &tm);
	strftime(out, outlen, "%Y-%m-%d %H:%MZ", &tm);
}

/* Before a resume: what was paused, when, by whom and why. false when the user says no. */
static bool resume_reminder(struct tui *tui, const char *cset)
{
	struct history_row e;
	char q[1400], when[32], what[300], who[512];
	bool found, go;

	if (cset)
		snprintf(what, sizeof(what), "configuration set %s", cset);
	else
		snprintf(what, sizeof(what), "account %s in %s", tui->account_id, tui_region(tui));
	found = !history_last_pause(tui->cache, tui->audit, tui->account_id, tui_region(tui), cset,
				    &e, NULL);
	if (found) {
		fmt_time(when, sizeof(when), e.ev.time);
		history_who_words(&e, who, sizeof(who));
		snprintf(q, sizeof(q), "Sending for %s was paused %s by %s: %s. Resume it?", what,
			 when, who, e.ev.reason && *e.ev.reason ? e.ev.reason : "no reason given");
		history_row_clear(&e);
	} else {
		snprintf(q, sizeof(q),
			 "Sending for %s is off, but no pause is on record (not here, not in the "
			 "account's CloudTrail history: AWS may have paused it). Try to resume it?",
			 what);
	}
	go = dialog_confirm(tui, "Resume sending", q, NULL, false);
	if (!go)
		ui_toast(&tui->ui, UI_TOAST_INFO, "resume cancelled (nothing was changed)");
	return go;
}

static void run_sending(struct tui *tui, bool resume, const char *reason, const char *cset)
{
	char *argv[6];
	int argc = 0;

	argv[argc++] = "sending";
	argv[argc++] = resume ? "resume" : "pause";
	if (reason) {
		argv[argc++] = "--reason";
		argv[argc++] = (char *)reason;
	}
	if (cset) {
		argv[argc++] = "--config-set";
		argv[argc++] = (char *)cset;
	}
	tui_run_verb(tui, argc, argv);
}

void pausing_toggle(struct tui *tui, const char *set, bool paused)
{
	struct buf reason = BUF_INIT;
	char prefix[512], *cset, *safe;

	cset = set ? xstrdup(set) : NULL; /* a reload frees the cached set */
	/* read-only or offline: the verb refuses (and audits the attempt) before a reason is
	 * asked — nobody types a reason for a change that cannot happen */
	if (tui->core->read_only || tui->core->opt.offline) {
		run_sending(tui, paused, NULL, cset);
		free(cset);
		return;
	}
	if (paused && !resume_reminder(tui, cset)) {
		free(cset);
		return;
	}
	if (paused)
		snprintf(prefix, sizeof(prefix), "Reason for resuming: ");
	else if (cset)
		snprintf(prefix, sizeof(prefix), "Pause sending for configuration set %s? Reason: ",
			 cset);
	else
		snprintf(prefix, sizeof(prefix), "Pause sending for account %s in %s? Reason: ",
			 tui->account_id ? tui->account_id : "?", tui_region(tui));
	/* the prompt draws its prefix as is: the set's name and the id come from the cache */
	safe = text_sanitize_dup(prefix, tui->ui.text_flags);
	if (!prompt_read(tui, safe, &reason, NULL, NULL, NULL, NULL))
		ui_toast(&tui->ui, UI_TOAST_INFO, "cancelled (nothing was changed)");
	else if (!reason.len)
		ui_toast(&tui->ui, UI_TOAST_WARN,
			 "a reason is required: it goes into the audit trail");
	else
		run_sending(tui, paused, buf_str(&reason), cset);
	buf_free(&reason);
	free(safe);
	free(cset);
}


/* ---- tenants ---- */

static bool tenant_reminder(struct tui *tui, const char *tenant)
{
	struct history_row e;
	char q[1400], when[32], who[512];
	bool go;

	if (!history_last_switch(tui->cache, tui->audit, tui->account_id, tui_region(tui),
				 CT_RES_TENANT, tenant, &e, NULL)) {
		fmt_time(when, sizeof(when), e.ev.time);
		history_who_words(&e, who, sizeof(who));
		snprintf(q, sizeof(q), "Tenant %s was paused %s by %s: %s. Resume it?", tenant, when,
			 who, e.ev.reason && *e.ev.reason ? e.ev.reason : "no reason given");
		history_row_clear(&e);
	} else {
		snprintf(q, sizeof(q), "Tenant %s is paused, but no pause of it is on record (not "
			 "here, not in CloudTrail). Resume it?", tenant);
	}
	go = dialog_confirm(tui, "Resume tenant", q, NULL, false);
	if (!go)
		ui_toast(&tui->ui, UI_TOAST_INFO, "resume cancelled (nothing was changed)");
	return go;
}

static void run_tenant(struct tui *tui, bool resume, const char *reason, const char *tenant)
{
	char *argv[5];
	int argc = 0;

	argv[argc++] = "tenant";
	argv[argc++] = resume ? "resume" : "pause";
	argv[argc++] = (char *)tenant;
	if (reason) {
		argv[argc++] = "--reason";
		argv[argc++] = (char *)reason;
	}
	tui_run_verb(tui, argc, argv);
}

void pausing_tenant(struct tui *tui, const char *tenant, bool paused, const char *aws_cause,
		    bool aws_paused)
{
	struct buf reason = BUF_INIT;
	char prefix[512], *name = xstrdup(tenant), *safe;

	if (tui->core->read_only || tui->core->opt.offline) {
		run_tenant(tui, paused, NULL, name);
		free(name);
		return;
	}
	if (aws_paused && !dialog_confirm(tui, "Paused by AWS", aws_cause && *aws_cause
			? "AWS paused this tenant under its reputation policy; only fixing the "
			  "findings (or AWS support) lifts that. Pause it from your side too, so it "
			  "stays paused after AWS lifts theirs?"
			: "AWS paused this tenant under its reputation policy; only fixing the "
			  "findings (or AWS support) lifts that. Pause it from your side too?",
			NULL, false)) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "nothing was changed");
		free(name);
		return;
	}
	if (paused && !tenant_reminder(tui, name)) {
		free(name);
		return;
	}
	if (paused)
		snprintf(prefix, sizeof(prefix), "Resume tenant %s? Reason: ", name);
	else
		snprintf(prefix, sizeof(prefix), "Pause sending for tenant %s? Reason: ", name);
	safe = text_sanitize_dup(prefix, tui->ui.text_flags);
	if (!prompt_read(tui, safe, &reason, NULL, NULL, NULL, NULL))
		ui_toast(&tui->ui, UI_TOAST_INFO, "cancelled (nothing was changed)");
	else if (!reason.len)
		ui_toast(&tui->ui, UI_TOAST_WARN, "a reason is required: it goes into the audit trail");
	else
		run_tenant(tui, paused, buf_str(&reason), name);
	buf_free(&reason);
	free(safe);
	free(name);
}

#include "sesctl/tui/refresh.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sesctl/core/bgsync.h"
#include "sesctl/core/core.h"
#include "sesctl/store/db.h"
#include "sesctl/store/identities.h"
#include "sesctl/tui/tui.h"
#include "sesctl/tui/ui.h"

static void finish(struct tui *tui, const struct bgsync_state *s)
{
	double secs = difftime(time(NULL), tui->refresh_started);

	tui->refreshing = false;
	tui->last_refresh = time(NULL);
	tui_reload(tui);
	if (s->exit_code == 0)
		ui_toast(&tui->ui, UI_TOAST_INFO, "refreshed in %.0f s", secs);
	else if (s->exit_code == 9)
		ui_toast(&tui->ui, UI_TOAST_WARN, "refreshed in part: %s", s->message);
	else
		ui_toast(&tui->ui, UI_TOAST_ERROR, "refresh failed: %s", s->message);
	bgsync_free(tui->bg);
	tui->bg = NULL;
}

static void pump(struct tui *tui)
{
	const struct bgsync_state *s = bgsync_read(tui->bg);
	char was[sizeof(tui->refresh_what)];

	snprintf(was, sizeof(was), "%s", tui->refresh_what);
	if (s->kind[0] && s->total)
		snprintf(tui->refresh_what, sizeof(tui->refresh_what), "%s %lu/%lu", s->kind,
			 s->done, s->total);
	else if (s->kind[0])
		snprintf(tui->refresh_what, sizeof(tui->refresh_what), "%s", s->kind);
	if (!s->finished && !strcmp(s->kind, "cells") && strcmp(was, tui->refresh_what))
		tui_reload(tui); /* a fleet's read: each profile's rows as they arrive */
	if (s->finished)
		finish(tui, s);
}

/* r in the Fleet pane reads every cell (`sesctl --fleet sync`: summaries first) instead of
 * the console's own cell. SC_OK with tui->bg NULL: not the Fleet pane. */
static enum sc_status fleet_refresh(struct tui *tui, struct sc_error *err)
{
	struct core fleet;

	if (!tui->fleet_on || tui->cur != PANE_FLEET)
		return SC_OK;
	fleet = *tui->core; /* a copy read by bgsync_start only: nothing in it is freed */
	fleet.opt.fleet = tui->fleet_name;
	return bgsync_start(&fleet, 0, &tui->bg, err);
}

void tui_refresh_start(struct tui *tui, bool quiet)
{
	struct sc_error err;

	if (tui->bg) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "a refresh is already running");
		return;
	}
	sc_error_clear(&err);
	if (fleet_refresh(tui, &err) || (!tui->bg && bgsync_start(tui->core, 0, &tui->bg, &err))) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s", err.message);
		return;
	}
	tui->refreshing = true;
	tui->refresh_started = time(NULL);
	tui->refresh_what[0] = '\0';
	if (!quiet)
		ui_toast(&tui->ui, UI_TOAST_INFO, "refreshing from SES in the background");
	while (tui->script && tui->bg) { /* a script runs each command to completion */
		struct pollfd pfd = {.fd = bgsync_fd(tui->bg), .events = POLLIN};

		poll(&pfd, 1, 1000);
		pump(tui);
	}
}

#define JOB_FDS 256

/* ---- follow mode ---- */

void tui_follow(struct tui *tui, int pane, unsigned kinds)
{
	if (!kinds) {
		bgsync_free(tui->follow.bg);
		memset(&tui->follow, 0, sizeof(tui->follow));
		return;
	}
	tui->follow.kinds = kinds;
	tui->follow.pane = pane;
	tui->follow.next = time(NULL); /* the first run at once */
}

static void follow_finish(struct tui *tui, const struct bgsync_state *s)
{
	struct sc_error err;
	struct pane *p = &tui->panes[tui->follow.pane];

	tui->follow.last = time(NULL);
	tui->follow.next = tui->follow.last + TUI_FOLLOW_PAUSE_S;
	if (s->exit_code != 0 && !tui->follow.failed)
		ui_toast(&tui->ui, UI_TOAST_ERROR, "follow: %s", s->message);
	tui->follow.failed = s->exit_code != 0;
	bgsync_free(tui->follow.bg);
	tui->follow.bg = NULL;
	sc_error_clear(&err);
	if (p->loaded)
		pane_load(p, tui, &err);
}

static void follow_pump(struct tui *tui)
{
	const struct bgsync_state *s = bgsync_read(tui->follow.bg);

	if (s->finished)
		follow_finish(tui, s);
}

/* Start the next run when it is due; the ms until then (-1: nothing to wait for). */
static int follow_tick(struct tui *tui)
{
	struct sc_error err;
	time_t now = time(NULL);

	if (!tui->follow.kinds || tui->follow.bg)
		return tui->follow.bg ? 1000 : -1;
	if (tui->bg || now < tui->follow.next)
		return 1000;
	sc_error_clear(&err);
	if (bgsync_start(tui->core, tui->follow.kinds, &tui->follow.bg, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "follow stopped: %s", err.message);
		tui->follow.kinds = 0;
		return -1;
	}
	return 1000;
}

/* ---- a change running in a child ---- */

/* The last "sesctl: ..." line of the child's stderr, or "". */
static void child_sentence(const struct buf *err, char *out, size_t len)
{
	const char *s = buf_str(err), *last = NULL;

	out[0] = '\0';
	for (const char *p = s; p && *p; p = strchr(p, '\n') ? strchr(p, '\n') + 1 : NULL)
		if (!strncmp(p, "sesctl: ", 8))
			last = p + 8;
	if (last)
		snprintf(out, len, "%.*s", (int)strcspn(last, "\n"), last);
}

static void change_finish(struct tui *tui, const struct bgverb_state *s)
{
	char msg[600], summary[300] = "";
	double secs = difftime(time(NULL), tui->change_started);
	cJSON *j = cJSON_ParseWithLength(buf_str(&s->out), s->out.len);
	char *flat = j ? cJSON_PrintUnformatted(j) : NULL;

	if (flat)
		snprintf(summary, sizeof(summary), "  %s", flat);
	cJSON_free(flat);
	cJSON_Delete(j);
	child_sentence(&s->err, msg, sizeof(msg));
	if (s->exit_code == 0 && !strncmp(msg, "warning: ", 9)) /* done, with a but */
		ui_toast(&tui->ui, UI_TOAST_WARN, "ok: %s, but %s", tui->change_cmd, msg + 9);
	else if (s->exit_code == 0)
		ui_toast(&tui->ui, UI_TOAST_INFO, "ok: %s (%.0f s)%s", tui->change_cmd, secs, summary);
	else if (s->exit_code == 15 && strstr(msg, "may have reached SES"))
		ui_toast(&tui->ui, UI_TOAST_WARN,
			 "cancelled after %.0f s (may have reached SES; r reads it back): %s", secs,
			 tui->change_cmd);
	else if (s->exit_code == 15)
		ui_toast(&tui->ui, UI_TOAST_WARN, "cancelled after %.0f s: %s: %s", secs,
			 tui->change_cmd, msg[0] ? msg : "stopped");
	else
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", tui->change_cmd,
			 msg[0] ? msg : "the change ended without saying why");
	bgverb_free(tui->change);
	tui->change = NULL;
	tui_reload(tui);
}

static void change_pump(struct tui *tui)
{
	const struct bgverb_state *s = bgverb_read(tui->change);

	if (s->finished)
		change_finish(tui, s);
}

/* The status line while it runs: what, how long, how to stop it. */
static void change_progress(struct tui *tui)
{
	double secs = difftime(time(NULL), tui->change_started);

	if (bgverb_read(tui->change)->cancelling)
		ui_toast(&tui->ui, UI_TOAST_WARN, "cancelling: %s (%.0f s)", tui->change_cmd, secs);
	else
		ui_toast(&tui->ui, UI_TOAST_INFO, "running: %s (%.0f s; Ctrl-C cancels)",
			 tui->change_cmd, secs);
}

enum sc_status tui_change_start(struct tui *tui, int argc, char **words, const char *cmd)
{
	struct sc_error err;

	sc_error_clear(&err);
	if (tui->change) {
		ui_toast(&tui->ui, UI_TOAST_WARN, "a change is still running: %s (Ctrl-C cancels it)",
			 tui->change_cmd);
		return SC_REFUSED;
	}
	if (bgverb_start(tui->core, argc, words, &tui->change, &err)) {
		ui_toast(&tui->ui, UI_TOAST_ERROR, "%s: %s", cmd, err.message);
		return err.status;
	}
	snprintf(tui->change_cmd, sizeof(tui->change_cmd), "%s", cmd);
	tui->change_started = time(NULL);
	change_progress(tui);
	while (tui->script && tui->change) { /* a script runs each command to completion */
		int fds[2];
		struct pollfd pfd[2];
		size_t n = bgverb_fds(tui->change, fds);

		for (size_t i = 0; i < n; i++)
			pfd[i] = (struct pollfd){.fd = fds[i], .events = POLLIN};
		poll(pfd, n, 1000);
		change_pump(tui);
	}
	return SC_OK;
}

bool tui_change_running(const struct tui *tui)
{
	return tui->change != NULL;
}

void tui_change_cancel(struct tui *tui)
{
	if (!tui->change)
		return;
	bgverb_cancel(tui->change);
	change_progress(tui);
}

void tui_change_stop(struct tui *tui)
{
	bgverb_free(tui->change);
	tui->change = NULL;
}

int tui_refresh_wait(struct tui *tui, int timeout_ms)
{
	struct pollfd pfd[5 + JOB_FDS] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = -1},
					  {.fd = -1}, {.fd = -1}, {.fd = -1}};
	int interval = tui->core->view.refresh, r, cfd[2], ft = follow_tick(tui);
	size_t njob = 0, nchange = 0;

	if (tui->follow.bg) {
		pfd[4].fd = bgsync_fd(tui->follow.bg);
		pfd[4].events = POLLIN;
	}
	if (ft >= 0 && (timeout_ms < 0 || timeout_ms > ft))
		timeout_ms = ft;

	if (tui->bg) {
		pfd[1].fd = bgsync_fd(tui->bg);
		pfd[1].events = POLLIN;
		if (timeout_ms < 0 || timeout_ms > 1000)
			timeout_ms = 1000; /* the header's progress moves on */
	}
	if (tui->change) {
		nchange = bgverb_fds(tui->change, cfd);
		for (size_t i = 0; i < nchange; i++)
			pfd[2 + i] = (struct pollfd){.fd = cfd[i], .events = POLLIN};
		if (timeout_ms < 0 || timeout_ms > 1000)
			timeout_ms = 1000; /* the status line's clock moves on */
	}
	if (tui->job) {
		int t = tui->job->timeout_ms(tui->job->ud);

		njob = tui->job->fds(tui->job->ud, pfd + 5, JOB_FDS);
		if (t >= 0 && (timeout_ms < 0 || t < timeout_ms))
			timeout_ms = t;
	}
	(void)nchange;
	r = poll(pfd, 5 + njob, timeout_ms); /* poll skips the -1 slots */
	if (r < 0)
		return errno == EINTR ? 1 : -1;
	if (tui->bg && pfd[1].revents)
		pump(tui);
	if (tui->change && (pfd[2].revents || pfd[3].revents))
		change_pump(tui);
	else if (tui->change)
		change_progress(tui);
	if (tui->follow.bg && pfd[4].revents)
		follow_pump(tui);
	if (tui->job && !tui->job->step(tui->job->ud, tui, pfd + 5, njob))
		tui->job = NULL; /* over (also after a timeout: the job's clock moved on) */
	if (!tui->bg && !tui->script && interval > 0 && tui->last_refresh &&
	    time(NULL) - tui->last_refresh >= interval)
		tui_refresh_start(tui, true);
	if (pfd[0].revents & POLLIN)
		return 1;
	if (pfd[0].revents & (POLLHUP | POLLERR | POLLNVAL))
		return -1;
	return 0;
}

void tui_refresh_auto(struct tui *tui)
{
	time_t fetched = 0;
	const char *region = tui->core->region;

	tui->last_refresh = time(NULL);
	if (tui->script || tui->core->opt.offline || !tui->cache ||
	    tui->core->view.refresh == 0) /* refresh = 0: only when asked (r) */
		return;
	if (tui->fleet_on && tui->cur == PANE_FLEET) { /* the fleet when a cell is old */
		if (!tui->fleet_oldest || time(NULL) - tui->fleet_oldest >= tui->core->view.refresh)
			tui_refresh_start(tui, true);
		return;
	}
	if (!region)
		return;
	if (tui->account_id)
		cache_kind_age(tui->cache, tui->account_id, region, CACHE_KIND_IDENTITIES, &fetched,
			       NULL, NULL);
	if (!fetched || time(NULL) - fetched >= tui->core->view.refresh)
		tui_refresh_start(tui, true);
}

void tui_refresh_stop(struct tui *tui)
{
	tui_follow(tui, 0, 0);
	bgsync_free(tui->bg);
	tui->bg = NULL;
}

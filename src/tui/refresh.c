#include "sesctl/tui/refresh.h"

#include <errno.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "sesctl/core/bgsync.h"
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

	if (s->kind[0] && s->total)
		snprintf(tui->refresh_what, sizeof(tui->refresh_what), "%s %lu/%lu", s->kind,
			 s->done, s->total);
	else if (s->kind[0])
		snprintf(tui->refresh_what, sizeof(tui->refresh_what), "%s", s->kind);
	if (s->finished)
		finish(tui, s);
}

void tui_refresh_start(struct tui *tui, bool quiet)
{
	struct sc_error err;

	if (tui->bg) {
		ui_toast(&tui->ui, UI_TOAST_INFO, "a refresh is already running");
		return;
	}
	sc_error_clear(&err);
	if (bgsync_start(tui->core, 0, &tui->bg, &err)) {
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

int tui_refresh_wait(struct tui *tui, int timeout_ms)
{
	struct pollfd pfd[2 + JOB_FDS] = {{.fd = STDIN_FILENO, .events = POLLIN}, {.fd = -1}};
	int interval = tui->core->view.refresh, r;
	size_t njob = 0;

	if (tui->bg) {
		pfd[1].fd = bgsync_fd(tui->bg);
		pfd[1].events = POLLIN;
		if (timeout_ms < 0 || timeout_ms > 1000)
			timeout_ms = 1000; /* the header's progress moves on */
	}
	if (tui->job) {
		int t = tui->job->timeout_ms(tui->job->ud);

		njob = tui->job->fds(tui->job->ud, pfd + 2, JOB_FDS);
		if (t >= 0 && (timeout_ms < 0 || t < timeout_ms))
			timeout_ms = t;
	}
	r = poll(pfd, 2 + njob, timeout_ms);
	if (r < 0)
		return errno == EINTR ? 1 : -1;
	if (tui->bg && pfd[1].revents)
		pump(tui);
	if (tui->job && !tui->job->step(tui->job->ud, tui, pfd + 2, njob))
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
	if (tui->script || tui->core->opt.offline || !region || !tui->cache ||
	    tui->core->view.refresh == 0) /* refresh = 0: only when asked (r) */
		return;
	if (tui->account_id)
		cache_kind_age(tui->cache, tui->account_id, region, CACHE_KIND_IDENTITIES, &fetched,
			       NULL, NULL);
	if (!fetched || time(NULL) - fetched >= tui->core->view.refresh)
		tui_refresh_start(tui, true);
}

void tui_refresh_stop(struct tui *tui)
{
	bgsync_free(tui->bg);
	tui->bg = NULL;
}

#include "sesctl/core/bgsync.h"

#include <cjson/cJSON.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/core/sync.h"
#include "sesctl/util/buf.h"

struct bgsync {
	pid_t pid;
	int fd;
	struct buf pending; /* a partial line */
	struct bgsync_state state;
};

#define MAX_ARGS 160 /* a fleet's cell: every SES region and every kind */

static void add(char **argv, int *n, const char *s)
{
	if (*n < MAX_ARGS - 1)
		argv[(*n)++] = (char *)s;
}

/* "sesctl" and the global flags that make a child see what core sees, for profile and
 * regions (core's own, or a fleet cell's). */
static void add_cell_globals(const struct core *core, const char *profile, char *const *regions,
			     size_t n_regions, char **argv, int *np)
{
	int n = 0;

	add(argv, &n, "sesctl");
	if (profile) {
		add(argv, &n, "--profile");
		add(argv, &n, profile);
	}
	for (size_t i = 0; i < n_regions; i++) {
		add(argv, &n, "--region");
		add(argv, &n, regions[i]);
	}
	if (core->opt.endpoint_url) {
		add(argv, &n, "--endpoint-url");
		add(argv, &n, core->opt.endpoint_url);
	}
	if (core->opt.cache_path) {
		add(argv, &n, "--cache");
		add(argv, &n, core->opt.cache_path);
	}
	if (core->opt.config_path) {
		add(argv, &n, "--config");
		add(argv, &n, core->opt.config_path);
	}
	*np = n;
}

static void add_globals(const struct core *core, char **argv, int *np)
{
	add_cell_globals(core, core->opt.profile, core->regions, core->n_regions, argv, np);
}

/* --fleet or --fleet=NAME as the console was given it (buf: room for the word). */
static void add_fleet(const struct core *core, char **argv, int *n, char *buf, size_t len)
{
	if (!core->opt.fleet)
		return;
	snprintf(buf, len, "--fleet%s%s", *core->opt.fleet ? "=" : "", core->opt.fleet);
	add(argv, n, buf);
}

static void add_kinds(unsigned kinds, char **argv, int *n)
{
	for (int k = 0; k < SYNC_KIND_COUNT; k++)
		if (kinds & (1u << k)) {
			add(argv, n, "--kind");
			add(argv, n, sync_kind_name(k));
		}
}

static void build_argv(const struct core *core, unsigned kinds, char *fdbuf, char *fleet,
		       size_t fleet_len, char **argv)
{
	int n;

	add_globals(core, argv, &n);
	add_fleet(core, argv, &n, fleet, fleet_len);
	add(argv, &n, "sync");
	add(argv, &n, "--quiet");
	add(argv, &n, "--progress-fd");
	add(argv, &n, fdbuf);
	add_kinds(kinds, argv, &n);
	argv[n] = NULL;
}

static void child(int wfd, char **argv)
{
	int null = open("/dev/null", O_RDWR);

	if (null >= 0) {
		dup2(null, STDIN_FILENO);
		dup2(null, STDOUT_FILENO);
	}
	dup2(wfd, STDERR_FILENO); /* its one-sentence error reaches the status line */
	if (null > STDERR_FILENO)
		close(null); /* wfd stays: it is also the --progress-fd */
	/* its own process group: a credential_process it runs never takes the terminal's
	 * foreground from the console (creds.c hands it over only from the foreground group) */
	setpgid(0, 0);
	execv("/proc/self/exe", argv);
	_exit(127);
}

/* Fork and exec argv (whose --progress-fd is p[1]). */
static enum sc_status start_argv(int p[2], char **argv, struct bgsync **out, struct sc_error *err)
{
	struct bgsync *b;
	pid_t pid = fork();

	if (pid < 0) {
		close(p[0]);
		close(p[1]);
		return sc_fail(err, SC_IO, "cannot start a refresh: %s", strerror(errno));
	}
	if (pid == 0) {
		close(p[0]);
		child(p[1], argv);
	}
	close(p[1]);
	fcntl(p[0], F_SETFL, O_NONBLOCK);
	fcntl(p[0], F_SETFD, FD_CLOEXEC);
	b = xcalloc(1, sizeof(*b));
	b->pid = pid;
	b->fd = p[0];
	*out = b;
	return SC_OK;
}

enum sc_status bgsync_start(const struct core *core, unsigned kinds, struct bgsync **out,
                            struct sc_error *err)
{
	char *argv[MAX_ARGS], fdbuf[16], fleet[160];
	int p[2];

	if (core->opt.offline)
		return sc_fail(err, SC_REFUSED, "refused: --offline given; no refresh");
	if (pipe(p))
		return sc_fail(err, SC_IO, "cannot start a refresh: %s", strerror(errno));
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[1]);
	build_argv(core, kinds, fdbuf, fleet, sizeof(fleet), argv);
	return start_argv(p, argv, out, err);
}

enum sc_status bgsync_start_cell(const struct core *core, const char *profile,
				 char *const *regions, size_t n_regions, unsigned kinds,
				 bool no_details, const char *const *extra, struct bgsync **out,
				 struct sc_error *err)
{
	char *argv[MAX_ARGS], fdbuf[16];
	int p[2], n;

	if (pipe(p))
		return sc_fail(err, SC_IO, "cannot start the read of %s: %s", profile,
			       strerror(errno));
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[1]);
	add_cell_globals(core, profile, regions, n_regions, argv, &n);
	add(argv, &n, "sync");
	add(argv, &n, "--quiet");
	add(argv, &n, "--summary-first");
	if (no_details)
		add(argv, &n, "--no-details");
	add(argv, &n, "--progress-fd");
	add(argv, &n, fdbuf);
	add_kinds(kinds, argv, &n);
	for (size_t i = 0; extra && extra[i]; i++)
		add(argv, &n, extra[i]);
	argv[n] = NULL;
	return start_argv(p, argv, out, err);
}

int bgsync_fd(const struct bgsync *b)
{
	return b->fd;
}

static void take_line(struct bgsync *b, char *line)
{
	char kind[32], status[32];
	unsigned long done, total;

	if (sscanf(line, "kind %31s %lu %lu %31s", kind, &done, &total, status) == 4) {
		str_copy(b->state.kind, sizeof(b->state.kind), kind);
		b->state.done = done;
		b->state.total = total;
	} else if (!strncmp(line, "sesctl: ", 8)) {
		str_copy(b->state.message, sizeof(b->state.message), line + 8);
	}
}

static void reap(struct bgsync *b)
{
	int status = 0;

	if (b->pid > 0 && waitpid(b->pid, &status, 0) == b->pid)
		b->state.exit_code =
		    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	if (b->state.exit_code && !b->state.message[0])
		snprintf(b->state.message, sizeof(b->state.message), "refresh failed (exit %d)",
		         b->state.exit_code);
	b->pid = -1;
	b->state.finished = true;
}

const struct bgsync_state *bgsync_read(struct bgsync *b)
{
	char chunk[1024];
	ssize_t n;

	while ((n = read(b->fd, chunk, sizeof(chunk))) > 0)
		buf_append(&b->pending, chunk, (size_t)n);
	for (char *nl; b->pending.len && (nl = memchr(b->pending.data, '\n', b->pending.len));) {
		size_t len = (size_t)(nl - b->pending.data) + 1;

		*nl = '\0';
		take_line(b, b->pending.data);
		memmove(b->pending.data, b->pending.data + len, b->pending.len - len);
		b->pending.len -= len;
		b->pending.data[b->pending.len] = '\0';
	}
	if (n == 0 && !b->state.finished)
		reap(b); /* EOF: the child is done */
	return &b->state;
}

void bgsync_free(struct bgsync *b)
{
	if (!b)
		return;
	if (b->pid > 0) {
		/* SIGTERM: the child cancels its calls and ends (what arrived is kept); one busy
		 * elsewhere (a credential helper) gets 2 s, then SIGKILL: the console never waits */
		kill(b->pid, SIGTERM);
		for (int i = 0; i < 40 && waitpid(b->pid, NULL, WNOHANG) == 0; i++)
			usleep(50 * 1000);
		if (waitpid(b->pid, NULL, WNOHANG) == 0) {
			kill(b->pid, SIGKILL);
			waitpid(b->pid, NULL, 0);
		}
	}
	close(b->fd);
	buf_free(&b->pending);
	free(b);
}

/* ================================================================ a change in a child */

struct bgverb {
	pid_t pid;
	int out, err; /* the child's stdout (its --json result) and stderr; -1 at EOF */
	struct bgverb_state state;
};

/* The words as a JSON array: SESCTL_AUDIT_COMMAND for the child (see cli.c). */
static char *recorded_words(int argc, char **words)
{
	cJSON *a = cJSON_CreateArray();
	char *text;

	for (int i = 0; i < argc; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(words[i]));
	text = cJSON_PrintUnformatted(a);
	cJSON_Delete(a);
	return text;
}

enum sc_status bgverb_start(const struct core *core, int argc, char **words,
			    struct bgverb **out, struct sc_error *err)
{
	char *argv[MAX_ARGS], confirm[160], *recorded;
	struct bgverb *b;
	int po[2], pe[2], n;
	pid_t pid;

	add_globals(core, argv, &n);
	add(argv, &n, "--json");
	add(argv, &n, "--yes");
	if (core->protected_ && core->account_id) { /* typed in the console's dialog */
		snprintf(confirm, sizeof(confirm), "--confirm=%s", core->account_id);
		add(argv, &n, confirm);
	}
	if (n + argc >= MAX_ARGS)
		return sc_fail(err, SC_USAGE, "too many words for one command");
	for (int i = 0; i < argc; i++)
		add(argv, &n, words[i]);
	argv[n] = NULL;
	recorded = recorded_words(argc, words);
	if (pipe(po)) {
		free(recorded);
		return sc_fail(err, SC_IO, "cannot start the change: %s", strerror(errno));
	}
	if (pipe(pe)) {
		close(po[0]);
		close(po[1]);
		free(recorded);
		return sc_fail(err, SC_IO, "cannot start the change: %s", strerror(errno));
	}
	pid = fork();
	if (pid < 0) {
		close(po[0]), close(po[1]), close(pe[0]), close(pe[1]);
		free(recorded);
		return sc_fail(err, SC_IO, "cannot start the change: %s", strerror(errno));
	}
	if (pid == 0) {
		int null = open("/dev/null", O_RDWR);

		setenv("SESCTL_AUDIT_COMMAND", recorded, 1); /* what the operator asked for */
		if (null >= 0)
			dup2(null, STDIN_FILENO); /* no one to ask: the console asked already */
		dup2(po[1], STDOUT_FILENO);
		dup2(pe[1], STDERR_FILENO);
		for (int i = 0; i < 2; i++) { /* only 1 and 2 stay: a helper it starts holds no pipe */
			close(po[i]);
			close(pe[i]);
		}
		if (null > STDERR_FILENO)
			close(null);
		/* its own process group: the terminal stays the console's (see child() above) */
		setpgid(0, 0);
		execv("/proc/self/exe", argv);
		_exit(127);
	}
	free(recorded);
	close(po[1]);
	close(pe[1]);
	b = xcalloc(1, sizeof(*b));
	b->pid = pid;
	b->out = po[0];
	b->err = pe[0];
	for (int i = 0; i < 2; i++) {
		int fd = i ? b->err : b->out;

		fcntl(fd, F_SETFL, O_NONBLOCK);
		fcntl(fd, F_SETFD, FD_CLOEXEC);
	}
	*out = b;
	return SC_OK;
}

size_t bgverb_fds(const struct bgverb *b, int fds[2])
{
	size_t n = 0;

	if (b->out >= 0)
		fds[n++] = b->out;
	if (b->err >= 0)
		fds[n++] = b->err;
	return n;
}

/* Read what is there; close the descriptor at EOF. */
static void drain(int *fd, struct buf *into)
{
	char chunk[4096];
	ssize_t n;

	while (*fd >= 0 && (n = read(*fd, chunk, sizeof(chunk))) != 0) {
		if (n < 0) {
			if (errno == EINTR)
				continue;
			return; /* EAGAIN: later */
		}
		if (into->len < BGVERB_OUTPUT_MAX)
			buf_append(into, chunk, (size_t)n);
	}
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

const struct bgverb_state *bgverb_read(struct bgverb *b)
{
	int status = 0;

	drain(&b->out, &b->state.out);
	drain(&b->err, &b->state.err);
	if (b->out < 0 && b->err < 0 && !b->state.finished) {
		if (waitpid(b->pid, &status, 0) == b->pid)
			b->state.exit_code =
			    WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
		b->pid = -1;
		b->state.finished = true;
	}
	return &b->state;
}

void bgverb_cancel(struct bgverb *b)
{
	if (b->pid > 0 && !b->state.cancelling) {
		kill(b->pid, SIGINT); /* as Ctrl-C: calls cancelled, the outcome audited */
		b->state.cancelling = true;
	}
}

void bgverb_free(struct bgverb *b)
{
	if (!b)
		return;
	if (b->pid > 0) { /* the console is going: the change gets 5 s to end and audit */
		kill(b->pid, SIGINT);
		for (int i = 0; i < 100 && waitpid(b->pid, NULL, WNOHANG) == 0; i++)
			usleep(50 * 1000);
		if (waitpid(b->pid, NULL, WNOHANG) == 0) {
			kill(b->pid, SIGKILL);
			waitpid(b->pid, NULL, 0);
		}
	}
	if (b->out >= 0)
		close(b->out);
	if (b->err >= 0)
		close(b->err);
	buf_free(&b->state.out);
	buf_free(&b->state.err);
	free(b);
}

#include "sesctl/core/bgsync.h"

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

#define MAX_ARGS 64

static void add(char **argv, int *n, const char *s)
{
	if (*n < MAX_ARGS - 1)
		argv[(*n)++] = (char *)s;
}

static void build_argv(const struct core *core, unsigned kinds, char *fdbuf, char **argv)
{
	int n = 0;

	add(argv, &n, "sesctl");
	if (core->opt.profile) {
		add(argv, &n, "--profile");
		add(argv, &n, core->opt.profile);
	}
	for (size_t i = 0; i < core->n_regions; i++) {
		add(argv, &n, "--region");
		add(argv, &n, core->regions[i]);
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
	add(argv, &n, "sync");
	add(argv, &n, "--quiet");
	add(argv, &n, "--progress-fd");
	add(argv, &n, fdbuf);
	for (int k = 0; k < SYNC_KIND_COUNT; k++)
		if (kinds & (1u << k)) {
			add(argv, &n, "--kind");
			add(argv, &n, sync_kind_name(k));
		}
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
	execv("/proc/self/exe", argv);
	_exit(127);
}

enum sc_status bgsync_start(const struct core *core, unsigned kinds, struct bgsync **out,
                            struct sc_error *err)
{
	char *argv[MAX_ARGS], fdbuf[16];
	struct bgsync *b;
	int p[2];
	pid_t pid;

	if (core->opt.offline)
		return sc_fail(err, SC_REFUSED, "refused: --offline given; no refresh");
	if (pipe(p))
		return sc_fail(err, SC_IO, "cannot start a refresh: %s", strerror(errno));
	snprintf(fdbuf, sizeof(fdbuf), "%d", p[1]);
	build_argv(core, kinds, fdbuf, argv);
	pid = fork();
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

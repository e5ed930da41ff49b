#include "sesctl/tui/clip.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <unistd.h>

static const char *const method_names[] = {
#define CLIP_METHOD_NAME(name, words) words,
	CLIP_METHODS(CLIP_METHOD_NAME)
#undef CLIP_METHOD_NAME
};

const char *clip_method_name(enum clip_method m)
{
	if ((size_t)m >= sizeof(method_names) / sizeof(method_names[0]))
		return "?";
	return method_names[m];
}

void clip_base64(struct buf *out, const void *data, size_t len)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const unsigned char *p = data;
	char q[4];

	if (len > 0)
		buf_reserve(out, (len + 2) / 3 * 4);
	for (; len >= 3; p += 3, len -= 3) {
		q[0] = tab[p[0] >> 2];
		q[1] = tab[((p[0] & 3) << 4) | (p[1] >> 4)];
		q[2] = tab[((p[1] & 15) << 2) | (p[2] >> 6)];
		q[3] = tab[p[2] & 63];
		buf_append(out, q, 4);
	}
	if (len == 0)
		return;
	q[0] = tab[p[0] >> 2];
	q[1] = tab[((p[0] & 3) << 4) | (len > 1 ? p[1] >> 4 : 0)];
	q[2] = len > 1 ? tab[(p[1] & 15) << 2] : '=';
	q[3] = '=';
	buf_append(out, q, 4);
}

void clip_osc52(struct buf *out, const void *data, size_t len, bool bel)
{
	buf_puts(out, "\x1b]52;c;");
	clip_base64(out, data, len);
	buf_puts(out, bel ? "\a" : "\x1b\\");
}

void clip_osc52_tmux(struct buf *out, const void *data, size_t len, bool bel)
{
	buf_puts(out, "\x1bPtmux;\x1b\x1b]52;c;");
	clip_base64(out, data, len);
	buf_puts(out, bel ? "\a" : "\x1b\x1b\\");
	buf_puts(out, "\x1b\\");
}

void clip_osc52_screen(struct buf *out, const void *data, size_t len)
{
	struct buf seq = BUF_INIT;

	clip_osc52(&seq, data, len, true);
	for (size_t off = 0; off < seq.len; off += CLIP_SCREEN_CHUNK) {
		size_t n = seq.len - off < CLIP_SCREEN_CHUNK ? seq.len - off : CLIP_SCREEN_CHUNK;

		buf_puts(out, "\x1bP");
		buf_append(out, seq.data + off, n);
		buf_puts(out, "\x1b\\");
	}
	buf_free(&seq);
}

static bool is_set(const char *v)
{
	return v && *v;
}

enum clip_env clip_env_from(const char *tmux, const char *sty)
{
	if (is_set(tmux))
		return CLIP_ENV_TMUX;
	/* $STY, not TERM: a local tmux with default-terminal screen-256color gives the remote
	 * side TERM=screen-256color, and screen's DCS pieces are lost in tmux */
	if (is_set(sty))
		return CLIP_ENV_SCREEN;
	return CLIP_ENV_PLAIN;
}

enum clip_env clip_env_detect(void)
{
	return clip_env_from(getenv("TMUX"), getenv("STY"));
}

static bool write_all(int fd, const char *p, size_t len)
{
	while (len > 0) {
		ssize_t n = write(fd, p, len);

		if (n < 0 && errno == EINTR)
			continue;
		if (n < 0 && (errno == EAGAIN || errno == EWOULDBLOCK)) {
			struct pollfd pfd = {fd, POLLOUT, 0};

			if (poll(&pfd, 1, -1) < 0 && errno != EINTR)
				return false;
			continue;
		}
		if (n <= 0)
			return false;
		p += n, len -= (size_t)n;
	}
	return true;
}

static void exec_child(const char *tmux, int in_fd)
{
	char *argv[] = {(char *)tmux, "load-buffer", "-w", "-", NULL};
	int null_fd = open("/dev/null", O_WRONLY);

	if (dup2(in_fd, 0) < 0 || null_fd < 0 || dup2(null_fd, 1) < 0 || dup2(null_fd, 2) < 0)
		_exit(127);
	execvp(tmux, argv);
	_exit(127);
}

static enum sc_status child_status(int status, const char *tmux, bool wrote,
				   struct sc_error *err)
{
	if (WIFSIGNALED(status))
		return sc_fail(err, SC_IO, "%s load-buffer was killed by signal %d.", tmux,
			       WTERMSIG(status));
	if (WEXITSTATUS(status) == 127)
		return sc_fail(err, SC_IO, "could not run %s (is it installed and on PATH?).", tmux);
	if (WEXITSTATUS(status) != 0)
		return sc_fail(err, SC_IO, "%s load-buffer exited with status %d.", tmux,
			       WEXITSTATUS(status));
	if (!wrote)
		return sc_fail(err, SC_IO, "%s load-buffer did not read all the data.", tmux);
	return SC_OK;
}

enum sc_status clip_tmux_load(const char *tmux, const void *data, size_t len,
			      struct sc_error *err)
{
	struct sigaction ign = {0}, old;
	int fds[2], status = 0;
	bool wrote;
	pid_t pid;

	if (!tmux)
		tmux = "tmux";
	if (pipe2(fds, O_CLOEXEC) < 0)
		return sc_fail(err, SC_IO, "cannot create a pipe for tmux: %s.", strerror(errno));
	pid = fork();
	if (pid < 0) {
		close(fds[0]), close(fds[1]);
		return sc_fail(err, SC_IO, "cannot start %s: %s.", tmux, strerror(errno));
	}
	if (pid == 0)
		exec_child(tmux, fds[0]);
	close(fds[0]);
	/* A child that dies early must give EPIPE here, not kill us with SIGPIPE. */
	ign.sa_handler = SIG_IGN;
	sigaction(SIGPIPE, &ign, &old);
	wrote = write_all(fds[1], data, len);
	close(fds[1]);
	sigaction(SIGPIPE, &old, NULL);
	while (waitpid(pid, &status, 0) < 0)
		if (errno != EINTR)
			return sc_fail(err, SC_IO, "cannot wait for %s: %s.", tmux, strerror(errno));
	return child_status(status, tmux, wrote, err);
}

static enum sc_status emit(int fd, const struct buf *seq, struct sc_error *err)
{
	if (fd < 0)
		return sc_fail(err, SC_IO, "no terminal to send the clipboard sequence to.");
	if (!write_all(fd, seq->data, seq->len))
		return sc_fail(err, SC_IO, "cannot write to the terminal: %s.", strerror(errno));
	return SC_OK;
}

static enum sc_status copy_tmux(const struct clip_opts *o, const void *data, size_t len,
				enum clip_method *method, struct sc_error *err)
{
	struct buf seq = BUF_INIT;
	struct sc_error tmux_err;
	enum sc_status st;

	st = clip_tmux_load(o->tmux, data, len, &tmux_err);
	clip_osc52(&seq, data, len, o->bel);
	if (st == SC_OK) { /* -w: tmux passes it on to the outer terminal's clipboard itself */
		*method = CLIP_TMUX;
		buf_free(&seq);
		return SC_OK;
	}
	if (o->tty_fd < 0) {
		buf_free(&seq);
		if (err)
			*err = tmux_err;
		return st;
	}
	clip_osc52_tmux(&seq, data, len, o->bel);
	*method = CLIP_OSC52_TMUX;
	st = emit(o->tty_fd, &seq, err);
	buf_free(&seq);
	return st;
}

static enum sc_status check_copy(const struct clip_opts *o, size_t len, struct sc_error *err)
{
	size_t cap = o->max_bytes ? o->max_bytes : CLIP_MAX_DEFAULT;

	if (o->secret)
		return sc_fail(err, SC_REFUSED,
			       "refusing to copy a secret to the clipboard (clipboard managers "
			       "keep history).");
	if (len > cap)
		return sc_fail(err, SC_REFUSED,
			       "refusing to copy %zu bytes: the clipboard limit is %zu bytes, save "
			       "to a file instead.",
			       len, cap);
	return SC_OK;
}

enum sc_status clip_copy(const struct clip_opts *opts, const void *data, size_t len,
			 struct clip_result *res, struct sc_error *err)
{
	enum clip_method method = CLIP_OSC52;
	struct buf seq = BUF_INIT;
	enum sc_status st = check_copy(opts, len, err);

	if (st != SC_OK)
		return st;
	switch (clip_env_detect()) {
	case CLIP_ENV_TMUX:
		st = copy_tmux(opts, data, len, &method, err);
		break;
	case CLIP_ENV_SCREEN:
		method = CLIP_OSC52_SCREEN;
		clip_osc52_screen(&seq, data, len);
		st = emit(opts->tty_fd, &seq, err);
		break;
	case CLIP_ENV_PLAIN:
		clip_osc52(&seq, data, len, opts->bel);
		st = emit(opts->tty_fd, &seq, err);
		break;
	}
	buf_free(&seq);
	if (st == SC_OK && res) {
		memset(res, 0, sizeof(*res));
		res->method = method;
		res->bytes = len;
		res->ssh = is_set(getenv("SSH_TTY"));
	}
	return st;
}

bool clip_export_dir(char *out, size_t outlen)
{
	const char *state = getenv("XDG_STATE_HOME");
	const char *home = getenv("HOME");
	int n;

	if (is_set(state) && state[0] == '/')
		n = snprintf(out, outlen, "%s/sesctl/exports", state);
	else if (is_set(home))
		n = snprintf(out, outlen, "%s/.local/state/sesctl/exports", home);
	else
		return false;
	return n > 0 && (size_t)n < outlen;
}

/* mkdir -p with mode 0700 for the parts it creates. */
static bool make_dirs(const char *path)
{
	char tmp[4096];
	size_t len = strlen(path);

	if (len >= sizeof(tmp))
		return false;
	memcpy(tmp, path, len + 1);
	for (char *p = tmp + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		if (mkdir(tmp, 0700) < 0 && errno != EEXIST)
			return false;
		*p = '/';
	}
	return mkdir(tmp, 0700) == 0 || errno == EEXIST;
}

static bool valid_name(const char *name)
{
	return name && *name && !strchr(name, '/') && strcmp(name, ".") != 0 &&
	       strcmp(name, "..") != 0;
}

/* Create dir/name (or dir/name.N) exclusively; returns the fd, path in res->path. */
static int open_new(const char *dir, const char *name, struct clip_result *res)
{
	for (int i = 0; i < 100; i++) {
		int fd, n;

		if (i == 0)
			n = snprintf(res->path, sizeof(res->path), "%s/%s", dir, name);
		else
			n = snprintf(res->path, sizeof(res->path), "%s/%s.%d", dir, name, i);
		if (n < 0 || (size_t)n >= sizeof(res->path)) {
			errno = ENAMETOOLONG;
			return -1;
		}
		fd = open(res->path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, 0600);
		if (fd >= 0 || errno != EEXIST)
			return fd;
	}
	errno = EEXIST;
	return -1;
}

enum sc_status clip_save(const char *dir, const char *name, const void *data, size_t len,
			 struct clip_result *res, struct sc_error *err)
{
	char def[4096];
	struct clip_result local;
	int fd, e;
	bool ok;

	if (!res)
		res = &local;
	memset(res, 0, sizeof(*res));
	if (!valid_name(name))
		return sc_fail(err, SC_USAGE, "'%s' is not a plain file name.", name ? name : "");
	if (!dir && !clip_export_dir(def, sizeof(def)))
		return sc_fail(err, SC_IO, "no export directory: set XDG_STATE_HOME or HOME.");
	if (!dir)
		dir = def;
	if (!make_dirs(dir))
		return sc_fail(err, SC_IO, "cannot create %s: %s.", dir, strerror(errno));
	fd = open_new(dir, name, res);
	if (fd < 0)
		return sc_fail(err, SC_IO, "cannot create %s: %s.", res->path, strerror(errno));
	ok = fchmod(fd, 0600) == 0 && write_all(fd, data, len);
	e = errno;
	if (close(fd) < 0 && ok)
		ok = false, e = errno;
	if (!ok) {
		unlink(res->path);
		return sc_fail(err, SC_IO, "cannot write %s: %s.", res->path, strerror(e));
	}
	res->method = CLIP_FILE;
	res->bytes = len;
	return SC_OK;
}

void clip_describe(const struct clip_result *res, char *out, size_t outlen)
{
	switch (res->method) {
	case CLIP_FILE:
		snprintf(out, outlen, "saved %zu bytes to %s", res->bytes, res->path);
		break;
	case CLIP_TMUX:
		snprintf(out, outlen, "copied %zu bytes via tmux buffer", res->bytes);
		break;
	case CLIP_NONE:
		snprintf(out, outlen, "nothing copied");
		break;
	default:
		snprintf(out, outlen, "sent %zu bytes to your terminal's clipboard via %s%s",
			 res->bytes, clip_method_name(res->method), res->ssh ? " over SSH" : "");
		break;
	}
}

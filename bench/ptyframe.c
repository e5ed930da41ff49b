/* ptyframe: exec a console on a new pty and time its first frame.
 *
 *   ptyframe ROWS COLS MARKER -- ARGV...
 *
 * Starts ARGV on a pseudo-terminal of ROWS x COLS (forkpty), reads what it writes until
 * MARKER has appeared, and prints one JSON line: the seconds from just before the fork to
 * that moment, and VmRSS/VmHWM (KiB) of the process read then. It then types ":quit" and
 * Enter, and waits for the process. A small C parent, so the time is the console's, not
 * the harness's (a Python pty.fork() of the benchmark itself costs ~16 ms here).
 * Exit status: 0 when the marker appeared, 1 when not (within 120 s), 2 on usage errors. */
#define _GNU_SOURCE
#include <errno.h>
#include <poll.h>
#include <pty.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

static long status_kib(pid_t pid, const char *key)
{
	char path[64], line[256];
	long v = -1;
	FILE *f;

	snprintf(path, sizeof(path), "/proc/%d/status", (int)pid);
	f = fopen(path, "r");
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (!strncmp(line, key, strlen(key)) && line[strlen(key)] == ':')
			v = strtol(line + strlen(key) + 1, NULL, 10);
	fclose(f);
	return v;
}

int main(int argc, char **argv)
{
	struct winsize ws = {0};
	static char seen[1 << 20];
	size_t len = 0;
	double t0, when = -1;
	long rss = -1, hwm = -1;
	int fd, status = 0;
	pid_t pid;

	if (argc < 6 || strcmp(argv[4], "--")) {
		fprintf(stderr, "usage: ptyframe ROWS COLS MARKER -- ARGV...\n");
		return 2;
	}
	ws.ws_row = (unsigned short)atoi(argv[1]);
	ws.ws_col = (unsigned short)atoi(argv[2]);
	t0 = now();
	pid = forkpty(&fd, NULL, NULL, &ws);
	if (pid < 0) {
		perror("forkpty");
		return 2;
	}
	if (pid == 0) {
		execvp(argv[5], argv + 5);
		_exit(127);
	}
	while (now() - t0 < 120) {
		struct pollfd p = {fd, POLLIN, 0};
		ssize_t n;

		if (poll(&p, 1, 500) <= 0)
			continue;
		n = read(fd, seen + len, sizeof(seen) - 1 - len);
		if (n <= 0)
			break;
		len += (size_t)n;
		seen[len] = '\0';
		if (memmem(seen, len, argv[3], strlen(argv[3]))) {
			when = now() - t0;
			rss = status_kib(pid, "VmRSS");
			hwm = status_kib(pid, "VmHWM");
			break;
		}
		if (len + 1 >= sizeof(seen))
			len = 0;
	}
	if (when >= 0 && write(fd, ":quit\r", 6) < 0)
		kill(pid, SIGTERM);
	if (when < 0)
		kill(pid, SIGTERM);
	for (;;) { /* drain until the child closes the pty */
		char buf[4096];
		struct pollfd p = {fd, POLLIN, 0};

		if (poll(&p, 1, 5000) <= 0 || read(fd, buf, sizeof(buf)) <= 0)
			break;
	}
	waitpid(pid, &status, 0);
	close(fd);
	printf("{\"wall\": %.6f, \"rss_kib\": %ld, \"hwm_kib\": %ld, \"exit\": %d}\n", when, rss, hwm,
	       WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status));
	return when >= 0 ? 0 : 1;
}

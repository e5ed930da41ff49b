/* runstat: run a command and write its wall time, CPU time and peak RSS as one JSON line
 * to OUT. The child is forked from this small process,
 * so its ru_maxrss is its own, not inflated by a large parent's pages (a child forked from
 * Python inherits the interpreter's RSS, which ru_maxrss keeps across exec).
 *
 *   bench/runstat OUT CMD [ARGS...]     → {"wall": s, "user": s, "sys": s, "rss_kib": n, "rc": n}
 *
 * Built by bench/run.sh; not part of `make check`. */

#define _GNU_SOURCE
#include <stdio.h>
#include <sys/resource.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

int main(int argc, char **argv)
{
	struct timespec t0, t1;
	struct rusage ru;
	int status, rc;
	pid_t pid;
	FILE *out;

	if (argc < 3) {
		fprintf(stderr, "usage: runstat OUT CMD [ARGS...]\n");
		return 2;
	}
	clock_gettime(CLOCK_MONOTONIC, &t0);
	pid = fork();
	if (pid < 0)
		return 125;
	if (pid == 0) {
		execvp(argv[2], argv + 2);
		_exit(127);
	}
	if (wait4(pid, &status, 0, &ru) < 0)
		return 125;
	clock_gettime(CLOCK_MONOTONIC, &t1);
	out = fopen(argv[1], "w");
	if (!out)
		return 125;
	rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	fprintf(out, "{\"wall\": %.6f, \"user\": %.6f, \"sys\": %.6f, \"rss_kib\": %ld, \"rc\": %d}\n",
		(double)(t1.tv_sec - t0.tv_sec) + (double)(t1.tv_nsec - t0.tv_nsec) / 1e9,
		(double)ru.ru_utime.tv_sec + (double)ru.ru_utime.tv_usec / 1e6,
		(double)ru.ru_stime.tv_sec + (double)ru.ru_stime.tv_usec / 1e6, ru.ru_maxrss, rc);
	fclose(out);
	return rc;
}

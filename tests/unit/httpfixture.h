/*
 * Test-only helper shared by test_http.c and test_client.c: starts
 * tests/unit/httpfixture.py (a scripted HTTP server on 127.0.0.1, port 0) as a child
 * process and reads its request log. Header-only so it is not linked into every test.
 */
#ifndef SESCTL_TESTS_HTTPFIXTURE_H
#define SESCTL_TESTS_HTTPFIXTURE_H

#include <cjson/cJSON.h>
#include <arpa/inet.h>
#include <netinet/in.h>
#include <signal.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/util/buf.h"

struct fixture {
	pid_t pid;
	int port;
	char url[64];
	char script[64];
	char log[64];
};

#define FIXTURE_UNUSED __attribute__((unused))

/* Start the server with the given JSON script; with cert and key (PEM files) it speaks
 * HTTPS. Aborts the test on failure. */
static FIXTURE_UNUSED void fixture_start_tls(struct fixture *f, const char *script_json,
					     const char *cert, const char *key)
{
	const char *root = getenv("SESCTL_ROOT");
	char prog[512], line[32];
	int pfd[2], fd;
	FILE *in;

	memset(f, 0, sizeof(*f));
	snprintf(prog, sizeof(prog), "%s/tests/unit/httpfixture.py", root ? root : ".");
	strcpy(f->script, "/tmp/sesctl-fx-script-XXXXXX");
	strcpy(f->log, "/tmp/sesctl-fx-log-XXXXXX");
	fd = mkstemp(f->script);
	if (fd < 0 || write(fd, script_json, strlen(script_json)) != (ssize_t)strlen(script_json))
		abort();
	close(fd);
	fd = mkstemp(f->log);
	if (fd < 0)
		abort();
	close(fd);
	if (pipe(pfd) != 0)
		abort();
	f->pid = fork();
	if (f->pid == 0) {
		/* Die with the test, even when a failed assertion skips fixture_stop(). */
		prctl(PR_SET_PDEATHSIG, SIGKILL);
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		execlp("python3", "python3", prog, f->script, f->log, cert, key, (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	if (!in || !fgets(line, sizeof(line), in)) {
		fprintf(stderr, "httpfixture did not start (%s)\n", prog);
		abort();
	}
	fclose(in);
	f->port = atoi(line);
	snprintf(f->url, sizeof(f->url), "%s://127.0.0.1:%d", cert ? "https" : "http", f->port);
}

static FIXTURE_UNUSED void fixture_start(struct fixture *f, const char *script_json)
{
	fixture_start_tls(f, script_json, NULL, NULL);
}

static FIXTURE_UNUSED void fixture_stop(struct fixture *f)
{
	if (f->pid > 0) {
		kill(f->pid, SIGTERM);
		waitpid(f->pid, NULL, 0);
	}
	unlink(f->script);
	unlink(f->log);
	f->pid = 0;
}

/* Requests the server saw so far, as a cJSON array (caller cJSON_Delete()s). */
static FIXTURE_UNUSED cJSON *fixture_requests(const struct fixture *f)
{
	cJSON *arr = cJSON_CreateArray();
	FILE *in = fopen(f->log, "r");
	struct buf line = BUF_INIT;
	int ch;

	if (!in)
		return arr;
	while ((ch = fgetc(in)) != EOF) {
		if (ch != '\n') {
			buf_putc(&line, (char)ch);
			continue;
		}
		cJSON_AddItemToArray(arr, cJSON_Parse(buf_str(&line)));
		buf_reset(&line);
	}
	fclose(in);
	buf_free(&line);
	return arr;
}

static FIXTURE_UNUSED int fixture_count(const struct fixture *f)
{
	cJSON *arr = fixture_requests(f);
	int n = cJSON_GetArraySize(arr);

	cJSON_Delete(arr);
	return n;
}

/* A loopback port with nothing listening (bound, never listened on, then closed). */
static FIXTURE_UNUSED int fixture_dead_port(void)
{
	struct sockaddr_in a;
	socklen_t len = sizeof(a);
	int s = socket(AF_INET, SOCK_STREAM, 0);

	memset(&a, 0, sizeof(a));
	a.sin_family = AF_INET;
	a.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
	if (s < 0 || bind(s, (struct sockaddr *)&a, sizeof(a)) != 0 ||
	    getsockname(s, (struct sockaddr *)&a, &len) != 0)
		abort();
	close(s);
	return ntohs(a.sin_port);
}

#endif

#include "sesctl/aws/creds.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <fcntl.h>
#include <openssl/evp.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include "sesctl/aws/endpoint.h"
#include "sesctl/aws/sigv4.h"
#include "sesctl/aws/xml.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/file.h"

extern char **environ;

#define MAX_CHAIN_DEPTH 16
#define PROCESS_MAX_OUT (1024 * 1024)
#define PROCESS_MAX_ERR 400
#define PROCESS_TIMEOUT_SECS 30
#define SMALL_FILE_MAX  (64 * 1024)
#define STS_VERSION     "2011-06-15"
#define IMDS_DEFAULT_V4 "http://169.254.169.254"
#define IMDS_DEFAULT_V6 "http://[fd00:ec2::254]"
#define ECS_HOST        "http://169.254.170.2"

/* One run of the chain. */
struct chain {
	const struct aws_profile_ctx *ctx;
	struct http_client *http; /* borrowed or own_http */
	struct http_client *own_http;
	time_t now;
	bool *imds_negative; /* the provider's memory of "not on EC2", or NULL */
	struct buf tried;    /* for the "no credentials" sentence */
	const char *visited[MAX_CHAIN_DEPTH];
	size_t n_visited;
	unsigned seed; /* backoff jitter */
};

/* ---- small helpers ---- */

void aws_credentials_free(struct aws_credentials *c)
{
	if (!c)
		return;
	free_secret(c->access_key);
	free_secret(c->secret_key);
	free_secret(c->session_token);
	memset(c, 0, sizeof(*c));
}

static const char *env_get(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

static void fmt_time(time_t t, char out[32])
{
	struct tm tm;

	if (!gmtime_r(&t, &tm) || !strftime(out, 32, "%Y-%m-%dT%H:%M:%SZ", &tm))
		snprintf(out, 32, "%lld", (long long)t);
}

static void creds_set(struct aws_credentials *out, const char *ak, const char *sk, const char *tok,
                      time_t exp)
{
	aws_credentials_free(out);
	out->access_key = xstrdup(ak);
	out->secret_key = xstrdup(sk);
	out->session_token = tok && *tok ? xstrdup(tok) : NULL;
	out->expiration = exp;
}

static void set_source(struct aws_credentials *out, const char *fmt, const char *a, const char *b)
{
	snprintf(out->source, sizeof(out->source), fmt, a, b);
}

static enum sc_status check_expiry(const struct chain *ch, struct aws_credentials *out,
                                   struct sc_error *err)
{
	char when[32];

	if (out->expiration == 0 || out->expiration > ch->now)
		return SC_OK;
	fmt_time(out->expiration, when);
	sc_fail(err, SC_AUTH, "credentials from %s expired at %s", out->source, when);
	aws_credentials_free(out);
	return SC_AUTH;
}

static void tried(struct chain *ch, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
static void tried(struct chain *ch, const char *fmt, ...)
{
	va_list ap;

	if (ch->tried.len)
		buf_puts(&ch->tried, "; ");
	va_start(ap, fmt);
	buf_vprintf(&ch->tried, fmt, ap);
	va_end(ap);
}

/* Printable single-line copy of untrusted text (stderr, service messages) for errors. */
static void clean_text(char *dst, size_t len, const char *src, size_t n)
{
	size_t j = 0;

	while (n > 0 && isspace((unsigned char)src[n - 1]))
		n--;
	while (n > 0 && isspace((unsigned char)*src)) {
		src++;
		n--;
	}
	for (size_t i = 0; i < n && j + 1 < len; i++) {
		unsigned char c = (unsigned char)src[i];

		dst[j++] = (c == '\n' || c == '\t') ? ' ' : (c < 0x20 || c == 0x7f) ? '?' : (char)c;
	}
	dst[j] = '\0';
}

/* Read a small file into b (wiped by the caller: it may hold a token). */
static int read_small_file(const char *path, struct buf *b)
{
	char chunk[4096];
	ssize_t n;
	int fd = file_open_regular(path);

	if (fd < 0)
		return -1;
	while ((n = read(fd, chunk, sizeof(chunk))) > 0 && b->len <= SMALL_FILE_MAX)
		buf_append(b, chunk, (size_t)n);
	secure_zero(chunk, sizeof(chunk));
	close(fd);
	if (n < 0 || b->len > SMALL_FILE_MAX) {
		errno = n < 0 ? errno : EFBIG;
		return -1;
	}
	return 0;
}

static void trim_buf(struct buf *b)
{
	size_t s = 0;

	while (b->len && isspace((unsigned char)b->data[b->len - 1]))
		b->data[--b->len] = '\0';
	while (s < b->len && isspace((unsigned char)b->data[s]))
		s++;
	if (s) {
		memmove(b->data, b->data + s, b->len - s + 1);
		b->len -= s;
	}
}

/* Zero every string in a cJSON tree (cJSON frees without wiping). */
static void json_wipe(cJSON *j)
{
	for (; j; j = j->next) {
		if (j->valuestring)
			secure_zero(j->valuestring, strlen(j->valuestring));
		json_wipe(j->child);
	}
}

static void json_free(cJSON *j)
{
	if (!j)
		return;
	json_wipe(j->child);
	cJSON_Delete(j);
}

static const char *json_str(const cJSON *obj, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(obj, key);

	return cJSON_IsString(v) && v->valuestring[0] ? v->valuestring : NULL;
}

/* ISO-8601, also the legacy "...UTC" suffix of old SSO cache files. */
static bool parse_time(const char *s, time_t *out)
{
	char tmp[64];
	size_t n;

	if (!s)
		return false;
	n = strlen(s);
	if (n > 3 && n < sizeof(tmp) && strcmp(s + n - 3, "UTC") == 0) {
		memcpy(tmp, s, n - 3);
		strcpy(tmp + n - 3, "Z");
		return xml_parse_iso8601(tmp, out);
	}
	return xml_parse_iso8601(s, out);
}

static struct http_client *chain_http(struct chain *ch)
{
	struct http_options o = {0};

	if (ch->http)
		return ch->http;
	o.ca_bundle = ch->ctx->ca_bundle;
	ch->own_http = http_client_new(&o);
	ch->http = ch->own_http;
	return ch->http;
}

/* ---- environment and static keys ---- */

static enum sc_status env_creds(struct chain *ch, struct aws_credentials *out, struct sc_error *err)
{
	const char *ak = env_get("AWS_ACCESS_KEY_ID"), *sk = env_get("AWS_SECRET_ACCESS_KEY");
	const char *tok = env_get("AWS_SESSION_TOKEN"), *exp = env_get("AWS_CREDENTIAL_EXPIRATION");
	time_t when = 0;

	if (!tok)
		tok = env_get("AWS_SECURITY_TOKEN");
	if (!ak && !sk)
		return SC_NOT_FOUND;
	if (!ak || !sk)
		return sc_fail(err, SC_AUTH, "%s is set but %s is not",
		               ak ? "AWS_ACCESS_KEY_ID" : "AWS_SECRET_ACCESS_KEY",
		               ak ? "AWS_SECRET_ACCESS_KEY" : "AWS_ACCESS_KEY_ID");
	if (exp && !parse_time(exp, &when))
		return sc_fail(err, SC_CONFIG, "AWS_CREDENTIAL_EXPIRATION is not an ISO 8601 time");
	creds_set(out, ak, sk, tok, when);
	set_source(out, "%s%s", "env", "");
	return check_expiry(ch, out, err);
}

/* Keys of profile `name` in one file; where is "credentials file" or "config file". */
static enum sc_status static_creds(struct chain *ch, const struct aws_ini *ini, const char *name,
                                   const char *where, struct aws_credentials *out,
                                   struct sc_error *err)
{
	const struct aws_ini_section *s = aws_ini_profile(ini, name);
	const char *ak = aws_ini_get(s, "aws_access_key_id");
	const char *sk = aws_ini_get(s, "aws_secret_access_key");

	(void)ch;
	if ((!ak || !*ak) && (!sk || !*sk))
		return SC_NOT_FOUND;
	if (!ak || !*ak || !sk || !*sk)
		return sc_fail(err, SC_AUTH, "profile %s in %s has %s but no %s", name, ini->path,
		               ak && *ak ? "aws_access_key_id" : "aws_secret_access_key",
		               ak && *ak ? "aws_secret_access_key" : "aws_access_key_id");
	creds_set(out, ak, sk, aws_ini_get(s, "aws_session_token"), 0);
	snprintf(out->source, sizeof(out->source), "profile %s (%s)", name, where);
	return SC_OK;
}

/* Keys from either file, credentials file first. */
static enum sc_status any_static_creds(struct chain *ch, const char *name,
                                       struct aws_credentials *out, struct sc_error *err)
{
	enum sc_status rc =
	    static_creds(ch, &ch->ctx->credentials, name, "credentials file", out, err);

	if (rc != SC_NOT_FOUND)
		return rc;
	return static_creds(ch, &ch->ctx->config, name, "config file", out, err);
}

/* Fill out from a JSON object with the given member names (container, IMDS, process). */
static enum sc_status json_creds(const cJSON *j, const char *k_ak, const char *k_sk,
                                 const char *k_tok, const char *k_exp, const char *what,
                                 struct aws_credentials *out, struct sc_error *err)
{
	const char *ak = json_str(j, k_ak), *sk = json_str(j, k_sk);
	const cJSON *exp = cJSON_GetObjectItemCaseSensitive(j, k_exp);
	time_t when = 0;

	if (!ak || !sk)
		return sc_fail(err, SC_AUTH, "%s returned no %s", what, ak ? k_sk : k_ak);
	if (exp && !cJSON_IsNull(exp) &&
	    !(cJSON_IsString(exp) && parse_time(exp->valuestring, &when)))
		return sc_fail(err, SC_AUTH, "%s returned an %s that is not an ISO 8601 time", what,
		               k_exp);
	creds_set(out, ak, sk, json_str(j, k_tok), when);
	return SC_OK;
}

/* ---- credential_process ---- */

static void argv_push(char ***argv, size_t *n, struct buf *w)
{
	*argv = xrealloc(*argv, (*n + 2) * sizeof(**argv));
	(*argv)[(*n)++] = buf_steal(w);
	(*argv)[*n] = NULL;
}

void aws_argv_free(char **argv)
{
	for (size_t i = 0; argv && argv[i]; i++)
		free(argv[i]);
	free(argv);
}

/* One character inside double quotes: backslash escapes only $ ` " \ and newline. */
static const char *split_dquote(const char *s, struct buf *w)
{
	for (; *s && *s != '"'; s++) {
		if (*s == '\\' && s[1] && strchr("$`\"\\\n", s[1])) {
			s++;
			if (*s == '\n')
				continue;
		}
		buf_putc(w, *s);
	}
	return *s ? s : NULL;
}

char **aws_split_command(const char *cmd, const char *what, struct sc_error *err)
{
	struct buf w = BUF_INIT;
	char **argv = NULL;
	size_t n = 0;
	bool in_word = false;

	for (const char *s = cmd ? cmd : ""; *s; s++) {
		if (isspace((unsigned char)*s)) {
			if (in_word)
				argv_push(&argv, &n, &w);
			in_word = false;
			continue;
		}
		in_word = true;
		if (*s == '\'') {
			const char *e = strchr(s + 1, '\'');

			if (!e)
				goto unterminated;
			buf_append(&w, s + 1, (size_t)(e - s - 1));
			s = e;
		} else if (*s == '"') {
			if (!(s = split_dquote(s + 1, &w)))
				goto unterminated;
		} else if (*s == '\\' && s[1]) {
			buf_putc(&w, *++s);
		} else {
			buf_putc(&w, *s);
		}
	}
	if (in_word)
		argv_push(&argv, &n, &w);
	buf_free(&w);
	if (n == 0) {
		sc_fail(err, SC_CONFIG, "%s is empty", what);
		return NULL;
	}
	return argv;
unterminated:
	buf_free(&w);
	aws_argv_free(argv);
	sc_fail(err, SC_CONFIG, "%s has an unterminated quote", what);
	return NULL;
}

static double mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

/* credential_process gets PROCESS_TIMEOUT_SECS (SESCTL_CREDENTIAL_PROCESS_TIMEOUT
 * overrides, in seconds) to print its answer and end. */
static double process_timeout_ms(void)
{
	const char *e = getenv("SESCTL_CREDENTIAL_PROCESS_TIMEOUT");
	char *end;
	double s = e && *e ? strtod(e, &end) : 0;

	return e && *e && !*end && s > 0 && s <= 3600 ? s * 1000.0 : PROCESS_TIMEOUT_SECS * 1000.0;
}

/* Read both pipes until EOF, the helper's exit, or the deadline; stdout kept up to
 * PROCESS_MAX_OUT, stderr's head kept. Once the helper itself has exited, what its
 * children still hold open is not waited for (they are killed with its process group).
 * Returns 0, or ETIMEDOUT when the deadline passed first. *status is set when the
 * helper was reaped here (*reaped). */
static int drain_pipes(pid_t pid, int fd_out, int fd_err, struct buf *out, struct buf *errb,
		       int *status, bool *reaped)
{
	struct pollfd p[2] = {{fd_out, POLLIN, 0}, {fd_err, POLLIN, 0}};
	double deadline = mono_ms() + process_timeout_ms();
	char chunk[4096];
	int rc = 0;

	*reaped = false;
	while (p[0].fd >= 0 || p[1].fd >= 0) {
		int left = (int)(deadline - mono_ms()), slice;

		if (left <= 0) {
			rc = ETIMEDOUT;
			break;
		}
		if (!*reaped && waitpid(pid, status, WNOHANG) == pid)
			*reaped = true; /* now read what is already there, then stop */
		slice = *reaped ? 0 : left < 100 ? left : 100;
		int got = poll(p, 2, slice);

		if (got < 0) {
			if (errno == EINTR)
				continue;
			break;
		}
		if (got == 0 && *reaped)
			break;
		for (int i = 0; i < 2; i++) {
			ssize_t n;

			if (p[i].fd < 0 || !p[i].revents)
				continue;
			n = read(p[i].fd, chunk, sizeof(chunk));
			if (n <= 0) {
				close(p[i].fd);
				p[i].fd = -1;
				continue;
			}
			if (i == 0 && out->len <= PROCESS_MAX_OUT)
				buf_append(out, chunk, (size_t)n);
			if (i == 1 && errb->len < PROCESS_MAX_ERR)
				buf_append(errb, chunk, (size_t)n);
		}
	}
	for (int i = 0; i < 2; i++)
		if (p[i].fd >= 0)
			close(p[i].fd);
	secure_zero(chunk, sizeof(chunk));
	return rc;
}

/* 0 when prog can be executed (directly, or found on PATH), else an errno value; checked
 * up front because a posix_spawnp without vfork reports a failed exec only as status 127. */
static int program_usable(const char *prog)
{
	const char *path = getenv("PATH"), *s, *e;
	struct buf b = BUF_INIT;
	int found = ENOENT;

	if (strchr(prog, '/'))
		return access(prog, X_OK) == 0 ? 0 : errno;
	for (s = path ? path : "/usr/bin:/bin"; found && s; s = *e ? e + 1 : NULL) {
		e = s + strcspn(s, ":");
		buf_reset(&b);
		if (e == s)
			buf_printf(&b, "./%s", prog);
		else
			buf_printf(&b, "%.*s/%s", (int)(e - s), s, prog);
		if (access(buf_str(&b), X_OK) == 0)
			found = 0;
	}
	buf_free(&b);
	return found;
}

/* Default signal handling and an empty mask in the child, whatever the TUI set up. */
static void spawn_attr_init(posix_spawnattr_t *at)
{
	static const int sigs[] = {SIGPIPE, SIGINT,  SIGQUIT, SIGTERM, SIGHUP,
	                           SIGCHLD, SIGTSTP, SIGTTIN, SIGTTOU, SIGWINCH};
	sigset_t def, none;

	sigemptyset(&def);
	sigemptyset(&none);
	for (size_t i = 0; i < sizeof(sigs) / sizeof(sigs[0]); i++)
		sigaddset(&def, sigs[i]);
	posix_spawnattr_init(at);
	posix_spawnattr_setsigdefault(at, &def);
	posix_spawnattr_setsigmask(at, &none);
	/* its own process group: a timeout kills the helper and whatever it started */
	posix_spawnattr_setpgroup(at, 0);
	posix_spawnattr_setflags(at,
				 POSIX_SPAWN_SETSIGDEF | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETPGROUP);
}

/* The helper runs in its own process group (so that a timeout can kill it and everything
 * it started). A helper that prompts on the terminal (an MFA code) must still be able to
 * read it: when sesctl is the terminal's foreground group, the helper's group becomes the
 * foreground while it runs, as a shell does for a job. Returns the terminal's fd (give it
 * back with tty_take_back) or -1. */
static int tty_hand_over(pid_t pgid)
{
	int fd = open("/dev/tty", O_RDWR | O_NOCTTY | O_CLOEXEC);
	sigset_t block, old;

	if (fd < 0)
		return -1;
	if (tcgetpgrp(fd) != getpgrp()) {
		close(fd);
		return -1;
	}
	sigemptyset(&block);
	sigaddset(&block, SIGTTOU);
	sigprocmask(SIG_BLOCK, &block, &old);
	if (tcsetpgrp(fd, pgid) != 0) {
		close(fd);
		fd = -1;
	}
	sigprocmask(SIG_SETMASK, &old, NULL);
	return fd;
}

static void tty_take_back(int fd)
{
	sigset_t block, old;

	if (fd < 0)
		return;
	sigemptyset(&block);
	sigaddset(&block, SIGTTOU);
	sigprocmask(SIG_BLOCK, &block, &old);
	tcsetpgrp(fd, getpgrp());
	sigprocmask(SIG_SETMASK, &old, NULL);
	close(fd);
}

static int spawn_capture(char **argv, struct buf *out, struct buf *errb, int *status)
{
	posix_spawn_file_actions_t fa;
	posix_spawnattr_t at;
	int po[2], pe[2], rc, tty;
	bool reaped = false;
	pid_t pid;

	if ((rc = program_usable(argv[0])) != 0)
		return rc;
	if (pipe2(po, O_CLOEXEC) != 0)
		return errno;
	if (pipe2(pe, O_CLOEXEC) != 0) {
		rc = errno;
		close(po[0]);
		close(po[1]);
		return rc;
	}
	posix_spawn_file_actions_init(&fa);
	posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
	posix_spawn_file_actions_adddup2(&fa, po[1], 1);
	posix_spawn_file_actions_adddup2(&fa, pe[1], 2);
#if defined(__GLIBC__) && __GLIBC_PREREQ(2, 34)
	/* no inherited sockets or database handles */
	posix_spawn_file_actions_addclosefrom_np(&fa, 3);
#endif
	spawn_attr_init(&at);
	rc = posix_spawnp(&pid, argv[0], &fa, &at, argv, environ);
	posix_spawnattr_destroy(&at);
	posix_spawn_file_actions_destroy(&fa);
	close(po[1]);
	close(pe[1]);
	if (rc != 0) {
		close(po[0]);
		close(pe[0]);
		return rc;
	}
	tty = tty_hand_over(pid);
	rc = drain_pipes(pid, po[0], pe[0], out, errb, status, &reaped);
	tty_take_back(tty);
	kill(-pid, SIGKILL); /* the group: children left holding its pipes, or all on timeout */
	while (!reaped && waitpid(pid, status, 0) < 0 && errno == EINTR)
		;
	return rc;
}

static enum sc_status process_result(const char *what, int status, struct buf *out,
                                     struct buf *errb, struct aws_credentials *cr,
                                     struct sc_error *err)
{
	char msg[PROCESS_MAX_ERR + 1];
	const cJSON *ver;
	cJSON *j;
	enum sc_status rc;

	if (WIFSIGNALED(status))
		return sc_fail(err, SC_AUTH, "%s was killed by signal %d", what, WTERMSIG(status));
	if (!WIFEXITED(status) || WEXITSTATUS(status) != 0) {
		clean_text(msg, sizeof(msg), buf_str(errb), errb->len);
		return sc_fail(err, SC_AUTH, "%s exited with status %d%s%s", what,
		               WEXITSTATUS(status),
		               msg[0] ? ": " : " and printed nothing on stderr", msg);
	}
	if (out->len > PROCESS_MAX_OUT)
		return sc_fail(err, SC_AUTH, "%s printed more than 1 MiB", what);
	j = cJSON_ParseWithLength(buf_str(out), out->len);
	if (!cJSON_IsObject(j)) {
		json_free(j);
		return sc_fail(err, SC_AUTH, "%s printed something that is not a JSON object",
		               what);
	}
	ver = cJSON_GetObjectItemCaseSensitive(j, "Version");
	if (!cJSON_IsNumber(ver) || ver->valuedouble != 1) {
		const char *got = cJSON_IsNumber(ver) ? "another version" : "none";

		json_free(j);
		return sc_fail(err, SC_AUTH, "%s must print \"Version\": 1 (got %s)", what, got);
	}
	rc = json_creds(j, "AccessKeyId", "SecretAccessKey", "SessionToken", "Expiration", what, cr,
	                err);
	json_free(j);
	return rc;
}

static enum sc_status process_creds(struct chain *ch, const char *name, const char *cmd,
                                    struct aws_credentials *out, struct sc_error *err)
{
	struct buf o = BUF_INIT, e = BUF_INIT;
	char what[200];
	char **argv;
	int status = 0, rc;
	enum sc_status st;

	snprintf(what, sizeof(what), "credential_process of profile %s", name);
	if (!(argv = aws_split_command(cmd, what, err)))
		return SC_CONFIG;
	rc = spawn_capture(argv, &o, &e, &status);
	if (rc == ETIMEDOUT) {
		st = sc_fail(err, SC_AUTH,
			     "%s: %s did not answer within %.0f s (it and its children were stopped; "
			     "SESCTL_CREDENTIAL_PROCESS_TIMEOUT sets the limit)",
			     what, argv[0], process_timeout_ms() / 1000.0);
	} else if (rc != 0) {
		st = sc_fail(err, SC_AUTH, "%s: cannot run %s: %s", what, argv[0], strerror(rc));
	} else {
		st = process_result(what, status, &o, &e, out, err);
		if (st == SC_OK) {
			set_source(out, "profile %s (credential_process)", name, NULL);
			st = check_expiry(ch, out, err);
		}
	}
	aws_argv_free(argv);
	buf_wipe(&o);
	buf_wipe(&e);
	return st;
}

/* ---- STS (Query API, XML replies) ---- */

static void reply_free(struct http_response *r)
{
	buf_wipe(&r->body);
	http_response_free(r);
}

static void form_add(struct buf *b, const char *key, const char *value)
{
	if (b->len)
		buf_putc(b, '&');
	buf_puts(b, key);
	buf_putc(b, '=');
	sigv4_uri_encode(b, value, strlen(value), 0);
}

/* "host[:port]" of an absolute URL. */
static void url_host(const char *url, char *out, size_t len)
{
	const char *s = strstr(url, "://");
	size_t n;

	s = s ? s + 3 : url;
	n = strcspn(s, "/?#");
	snprintf(out, len, "%.*s", (int)n, s);
}

/* Zero the text of an XML reply before it is freed. */
static void xml_wipe(xmlDoc *doc, xmlNode *n)
{
	for (; n; n = n->next) {
		if (n->content && !(doc->dict && xmlDictOwns(doc->dict, n->content)))
			secure_zero(n->content, strlen((const char *)n->content));
		xml_wipe(doc, n->children);
	}
}

static void xml_free_wiped(xmlDoc *doc)
{
	if (doc)
		xml_wipe(doc, doc->children);
	xml_free(doc);
}

static enum sc_status sts_error(const char *what, const struct http_response *r,
                                struct sc_error *err)
{
	struct sc_error ignore;
	xmlDoc *doc = xml_parse(buf_str(&r->body), r->body.len, &ignore);
	xmlNode *root = xml_root(doc);
	char code[96] = "", msg[300] = "", raw[300] = "";
	enum sc_status st = r->status >= 400 && r->status < 500 ? SC_AUTH : SC_ERR;

	xml_path_copy(root, "Error/Code", code, sizeof(code));
	xml_path_copy(root, "Error/Message", raw, sizeof(raw));
	/* SignatureDoesNotMatch echoes the canonical request, session token included */
	if (strstr(raw, "The Canonical String"))
		*strstr(raw, "The Canonical String") = '\0';
	clean_text(msg, sizeof(msg), raw, strlen(raw));
	xml_free_wiped(doc);
	if (!code[0])
		st = sc_fail(err, st, "%s failed with HTTP %ld", what, r->status);
	else
		st = sc_fail(err, st, "%s failed: %s%s%s", what, code, msg[0] ? ": " : "", msg);
	if (err) {
		err->http_status = r->status;
		snprintf(err->code, sizeof(err->code), "%s", code);
		snprintf(err->request_id, sizeof(err->request_id), "%s", r->request_id);
	}
	return st;
}

static enum sc_status sts_parse(const char *action, const char *what, const struct http_response *r,
                                struct aws_credentials *out, struct sc_error *err)
{
	char path[96];
	xmlDoc *doc = xml_parse(buf_str(&r->body), r->body.len, err);
	xmlNode *c;
	char *ak, *sk, *tok;
	time_t exp = 0;
	enum sc_status st = SC_OK;

	if (!doc)
		return sc_fail(err, SC_BAD_REPLY, "%s: the reply is not well-formed XML", what);
	snprintf(path, sizeof(path), "%sResult/Credentials", action);
	c = xml_path(xml_root(doc), path);
	ak = xml_path_text(c, "AccessKeyId");
	sk = xml_path_text(c, "SecretAccessKey");
	tok = xml_path_text(c, "SessionToken");
	if (!ak || !*ak || !sk || !*sk || !xml_path_time(c, "Expiration", &exp))
		st = sc_fail(err, SC_BAD_REPLY, "%s: the reply lacks %sResult/Credentials", what,
		             action);
	else
		creds_set(out, ak, sk, tok, exp);
	free_secret(ak);
	free_secret(sk);
	free_secret(tok);
	xml_free_wiped(doc);
	return st;
}

#define STS_CTYPE "application/x-www-form-urlencoded; charset=utf-8"

/* Headers of one STS request; every line is wiped afterwards (a token may be among them). */
struct sts_headers {
	struct buf line[5];
	const char *list[6];
	size_t n;
};

static void sts_header(struct sts_headers *h, const char *name, const char *value)
{
	buf_printf(&h->line[h->n], "%s: %s", name, value);
	h->list[h->n] = buf_str(&h->line[h->n]);
	h->n++;
}

static void sts_headers_wipe(struct sts_headers *h)
{
	for (size_t i = 0; i < h->n; i++)
		buf_wipe(&h->line[i]);
}

/* Sign a POST of form to url with creds (region/service sts); adds the headers to h. */
static int sts_sign(const struct chain *ch, const char *url, const char *region,
                    const struct buf *form, const struct aws_credentials *creds,
                    struct sts_headers *h)
{
	const char *rest = strstr(url, "://");
	struct sigv4_header sh[4];
	struct sigv4_result sig;
	char host[300], date[17];
	size_t n = 3;
	int rc;

	url_host(url, host, sizeof(host));
	rest = rest ? rest + 3 + strlen(host) : url;
	sigv4_amz_date(ch->now, date);
	sh[0] = (struct sigv4_header){"host", host};
	sh[1] = (struct sigv4_header){"x-amz-date", date};
	sh[2] = (struct sigv4_header){"content-type", STS_CTYPE};
	if (creds->session_token)
		sh[n++] = (struct sigv4_header){"x-amz-security-token", creds->session_token};
	struct sigv4_input in = {
	    .method = "POST",
	    .path = rest,
	    .headers = sh,
	    .n_headers = n,
	    .body = form->data,
	    .body_len = form->len,
	    .access_key = creds->access_key,
	    .secret_key = creds->secret_key,
	    .region = region,
	    .service = "sts",
	    .when = ch->now,
	};
	memset(&sig, 0, sizeof(sig));
	rc = sigv4_sign(&in, &sig);
	if (rc == 0) {
		sts_header(h, "Host", host);
		sts_header(h, "X-Amz-Date", date);
		sts_header(h, "Authorization", buf_str(&sig.authorization));
		if (creds->session_token)
			sts_header(h, "X-Amz-Security-Token", creds->session_token);
	}
	/* the canonical request holds the session token; sigv4_result_free does not wipe */
	buf_wipe(&sig.canonical_request);
	sigv4_result_free(&sig);
	return rc;
}

/* Worth another try: no reply, a 5xx or 429, or a throttling code (as the SDKs retry). */
static bool sts_retryable(enum sc_status st, const struct http_response *r,
                          const struct sc_error *e)
{
	if (st == SC_NETWORK || r->status == 429 || r->status >= 500)
		return true;
	return st != SC_OK &&
	       (strstr(e->code, "Throttl") || !strcmp(e->code, "RequestLimitExceeded") ||
	        !strcmp(e->code, "IDPCommunicationError"));
}

/* Full jitter over 100 ms doubling per attempt, at most 2 s: STS calls happen at start-up. */
static void sts_backoff(struct chain *ch, int attempt)
{
	long cap_ms = 100L << (attempt > 5 ? 5 : attempt - 1);
	long ms = (long)(rand_r(&ch->seed) % (unsigned)(cap_ms > 2000 ? 2000 : cap_ms));
	struct timespec ts = {ms / 1000, (ms % 1000) * 1000000L};

	while (nanosleep(&ts, &ts) != 0 && errno == EINTR)
		;
}

static enum sc_status sts_send(struct chain *ch, const struct http_request *req, const char *action,
                               const char *what, struct http_response *resp,
                               struct aws_credentials *out, struct sc_error *err)
{
	enum sc_status st = http_perform(ch->http, req, resp, err);

	if (st != SC_OK)
		sc_error_prefix(err, "%s", what);
	else if (resp->status / 100 != 2)
		st = sts_error(what, resp, err);
	else
		st = sts_parse(action, what, resp, out, err);
	return st;
}

/* POST one STS action, with retries; signed with sign when it is not NULL. Fills out
 * (no source). */
static enum sc_status sts_call(struct chain *ch, const char *action, const struct buf *form,
                               const struct aws_credentials *sign, const char *what,
                               struct aws_credentials *out, struct sc_error *err)
{
	const char *region = ch->ctx->region ? ch->ctx->region : "us-east-1";
	int max = ch->ctx->max_attempts > 0 ? ch->ctx->max_attempts : 3;
	struct sts_headers h;
	struct aws_endpoint ep;
	struct http_response resp;
	struct sc_error why;
	char url[600];
	enum sc_status st;
	bool again;

	st = aws_endpoint_resolve_configured(ch->ctx, "sts", region, &ep, err);
	if (st != SC_OK)
		return st;
	snprintf(url, sizeof(url), "%s/", ep.url);
	memset(&h, 0, sizeof(h));
	sts_header(&h, "Content-Type", STS_CTYPE);
	if (sign && sts_sign(ch, url, region, form, sign, &h) != 0)
		st = sc_fail(err, SC_AUTH, "%s: the request could not be signed", what);
	else if (!chain_http(ch))
		st = sc_fail(err, SC_NETWORK, "%s: cannot set up the HTTP client", what);
	if (st != SC_OK) {
		sts_headers_wipe(&h);
		return st;
	}
	struct http_request req = {
	    .method = "POST",
	    .url = url,
	    .headers = h.list,
	    .body = form->data,
	    .body_len = form->len,
	};
	for (int attempt = 1;; attempt++) {
		memset(&resp, 0, sizeof(resp));
		sc_error_clear(&why);
		st = sts_send(ch, &req, action, what, &resp, out, &why);
		again = st != SC_OK && attempt < max && sts_retryable(st, &resp, &why);
		reply_free(&resp);
		if (!again)
			break;
		sts_backoff(ch, attempt);
	}
	if (st != SC_OK && err)
		*err = why;
	sts_headers_wipe(&h);
	return st;
}

static void session_name(const struct chain *ch, const char *configured, char *out, size_t len)
{
	if (configured && *configured)
		snprintf(out, len, "%s", configured);
	else
		snprintf(out, len, "sesctl-%lld", (long long)ch->now);
}

/* duration_seconds of a profile: NULL → 0 (the STS default). */
static enum sc_status duration_of(const char *name, const char *v, long *out, struct sc_error *err)
{
	char *end;

	*out = 0;
	if (!v || !*v)
		return SC_OK;
	errno = 0;
	*out = strtol(v, &end, 10);
	if (errno || *end || *out < 900 || *out > 43200)
		return sc_fail(err, SC_CONFIG,
		               "duration_seconds in profile %s must be a number from 900 to 43200",
		               name);
	return SC_OK;
}

static enum sc_status web_identity(struct chain *ch, const char *name, const char *token_file,
                                   const char *role_arn, const char *sess, const char *dur,
                                   struct aws_credentials *out, struct sc_error *err)
{
	struct buf tok = BUF_INIT, form = BUF_INIT;
	char sname[128], what[300], secs[24];
	long d;
	enum sc_status st = duration_of(name, dur, &d, err);

	if (st != SC_OK)
		return st;
	snprintf(what, sizeof(what), "AssumeRoleWithWebIdentity for %s", role_arn);
	if (read_small_file(token_file, &tok) != 0)
		st = sc_fail(err, SC_AUTH, "%s: cannot read the token file %s: %s", what,
		             token_file, file_strerror(errno));
	else if (trim_buf(&tok), tok.len == 0)
		st = sc_fail(err, SC_AUTH, "%s: the token file %s is empty", what, token_file);
	if (st != SC_OK) {
		buf_wipe(&tok);
		return st;
	}
	session_name(ch, sess, sname, sizeof(sname));
	form_add(&form, "Action", "AssumeRoleWithWebIdentity");
	form_add(&form, "Version", STS_VERSION);
	form_add(&form, "RoleArn", role_arn);
	form_add(&form, "RoleSessionName", sname);
	form_add(&form, "WebIdentityToken", buf_str(&tok));
	if (d) {
		snprintf(secs, sizeof(secs), "%ld", d);
		form_add(&form, "DurationSeconds", secs);
	}
	st = sts_call(ch, "AssumeRoleWithWebIdentity", &form, NULL, what, out, err);
	buf_wipe(&tok);
	buf_wipe(&form);
	if (st == SC_OK)
		set_source(out, "profile %s (web identity %s)", name, role_arn);
	return st;
}

/* ---- one GET/PUT returning JSON or text (SSO, container, IMDS) ---- */

struct simple_get {
	const char *method;
	const char *url;
	const char *header1; /* "Name: value" or NULL */
	long timeout_ms;     /* 0 → client default */
};

static enum sc_status simple_call(struct chain *ch, const struct simple_get *g,
                                  struct http_response *resp, struct sc_error *err)
{
	const char *hdrs[2] = {g->header1, NULL};
	struct http_request req = {
	    .method = g->method,
	    .url = g->url,
	    .headers = hdrs,
	    .timeout_ms = g->timeout_ms,
	    .connect_timeout_ms = g->timeout_ms,
	    .metadata_ok = true, /* IMDS and the container agents are plain http by design */
	};

	memset(resp, 0, sizeof(*resp));
	if (!chain_http(ch))
		return sc_fail(err, SC_NETWORK, "cannot set up the HTTP client");
	return http_perform(ch->http, &req, resp, err);
}

/* ---- SSO ---- */

struct sso_cfg {
	const char *session; /* sso-session name, or NULL for the legacy form */
	const char *start_url;
	const char *region;
	const char *account;
	const char *role;
};

static enum sc_status sso_config(const struct chain *ch, const char *name, struct sso_cfg *c,
                                 struct sc_error *err)
{
	const struct aws_profile_ctx *ctx = ch->ctx;
	const struct aws_ini_section *s;

	memset(c, 0, sizeof(*c));
	c->session = aws_profile_get(ctx, name, "sso_session", NULL);
	if (c->session && *c->session) {
		s = aws_ini_section(&ctx->config, AWS_INI_SSO_SESSION, c->session);
		if (!s)
			return sc_fail(
			    err, SC_CONFIG,
			    "profile %s names sso_session %s, but %s has no [sso-session %s]", name,
			    c->session, ctx->config_path, c->session);
		c->start_url = aws_ini_get(s, "sso_start_url");
		c->region = aws_ini_get(s, "sso_region");
	} else {
		c->session = NULL;
		c->start_url = aws_profile_get(ctx, name, "sso_start_url", NULL);
		c->region = aws_profile_get(ctx, name, "sso_region", NULL);
		if (!c->start_url || !*c->start_url)
			return SC_NOT_FOUND;
	}
	c->account = aws_profile_get(ctx, name, "sso_account_id", NULL);
	c->role = aws_profile_get(ctx, name, "sso_role_name", NULL);
	if (!c->start_url || !*c->start_url || !c->region || !*c->region)
		return sc_fail(err, SC_CONFIG,
		               "SSO for profile %s needs sso_start_url and sso_region", name);
	if (!c->account || !*c->account || !c->role || !*c->role)
		return sc_fail(err, SC_CONFIG,
		               "SSO for profile %s needs sso_account_id and sso_role_name", name);
	return SC_OK;
}

static void sso_cache_path(const struct sso_cfg *c, char *out, size_t len)
{
	const char *key = c->session ? c->session : c->start_url;
	const char *home = getenv("HOME");
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int mdlen = 0;
	char hex[2 * EVP_MAX_MD_SIZE + 1];

	EVP_Digest(key, strlen(key), md, &mdlen, EVP_sha1(), NULL);
	for (unsigned int i = 0; i < mdlen; i++)
		snprintf(hex + 2 * i, 3, "%02x", md[i]);
	hex[2 * mdlen] = '\0';
	snprintf(out, len, "%s/.aws/sso/cache/%s.json", home ? home : "", hex);
}

/* The cached access token as "x-amz-sso_bearer_token: ..." in hdr (wiped by the caller). */
static enum sc_status sso_token(const struct chain *ch, const char *name, const struct sso_cfg *c,
                                struct buf *hdr, struct sc_error *err)
{
	struct buf file = BUF_INIT;
	char path[600], when[32];
	const char *tok;
	time_t exp = 0;
	cJSON *j = NULL;
	enum sc_status st = SC_OK;

	sso_cache_path(c, path, sizeof(path));
	if (read_small_file(path, &file) != 0)
		st = sc_fail(err, SC_AUTH,
		             "no SSO token for profile %s in %s: run aws sso login --profile %s",
		             name, path, name);
	else if (!(j = cJSON_ParseWithLength(buf_str(&file), file.len)) ||
	         !(tok = json_str(j, "accessToken")) || strpbrk(tok, "\r\n") ||
	         !parse_time(json_str(j, "expiresAt"), &exp))
		st = sc_fail(err, SC_AUTH,
		             "the SSO token cache %s is unreadable: run aws sso login --profile %s",
		             path, name);
	else if (exp <= ch->now + 60) {
		fmt_time(exp, when);
		st = sc_fail(
		    err, SC_AUTH,
		    "the SSO token for profile %s expired at %s: run aws sso login --profile %s",
		    name, when, name);
	} else {
		buf_printf(hdr, "x-amz-sso_bearer_token: %s", tok);
	}
	json_free(j);
	buf_wipe(&file);
	return st;
}

static enum sc_status sso_reply(const char *name, const struct http_response *r,
                                struct aws_credentials *out, struct sc_error *err)
{
	cJSON *j, *rc;
	const cJSON *exp;
	char what[160];
	enum sc_status st;

	snprintf(what, sizeof(what), "the SSO portal for profile %s", name);
	if (r->status == 401 || r->status == 403)
		return sc_fail(
		    err, SC_AUTH,
		    "%s refused the cached token (HTTP %ld): run aws sso login --profile %s", what,
		    r->status, name);
	if (r->status / 100 != 2)
		return sc_fail(err, SC_AUTH, "%s answered HTTP %ld", what, r->status);
	j = cJSON_ParseWithLength(buf_str(&r->body), r->body.len);
	rc = cJSON_GetObjectItemCaseSensitive(j, "roleCredentials");
	exp = cJSON_GetObjectItemCaseSensitive(rc, "expiration");
	if (!cJSON_IsObject(rc) || !cJSON_IsNumber(exp)) {
		json_free(j);
		return sc_fail(err, SC_BAD_REPLY, "%s sent a reply without roleCredentials", what);
	}
	/* epoch milliseconds; anything outside 1970..year 33658 would overflow time_t's
	 * conversion (undefined behaviour), so it is a bad reply */
	if (!(exp->valuedouble >= 0 && exp->valuedouble < 1e15)) {
		json_free(j);
		return sc_fail(err, SC_BAD_REPLY, "%s sent an expiration out of range", what);
	}
	/* the expiration is in epoch milliseconds, not ISO 8601 */
	st = json_creds(rc, "accessKeyId", "secretAccessKey", "sessionToken", "", what, out, err);
	if (st == SC_OK)
		out->expiration = (time_t)(exp->valuedouble / 1000);
	json_free(j);
	return st;
}

static enum sc_status sso_creds(struct chain *ch, const char *name, struct aws_credentials *out,
                                struct sc_error *err)
{
	struct sso_cfg c;
	struct aws_endpoint ep;
	struct buf hdr = BUF_INIT, url = BUF_INIT;
	struct http_response resp;
	enum sc_status st = sso_config(ch, name, &c, err);

	if (st != SC_OK)
		return st;
	st = sso_token(ch, name, &c, &hdr, err);
	if (st == SC_OK)
		st = aws_endpoint_resolve_configured(ch->ctx, "sso", c.region, &ep, err);
	if (st == SC_OK) {
		buf_printf(&url, "%s/federation/credentials?account_id=", ep.url);
		sigv4_uri_encode(&url, c.account, strlen(c.account), 0);
		buf_puts(&url, "&role_name=");
		sigv4_uri_encode(&url, c.role, strlen(c.role), 0);
		struct simple_get g = {"GET", buf_str(&url), buf_str(&hdr), 0};
		st = simple_call(ch, &g, &resp, err);
		if (st == SC_OK)
			st = sso_reply(name, &resp, out, err);
		else
			sc_error_prefix(err, "SSO for profile %s", name);
		reply_free(&resp);
	}
	if (st == SC_OK)
		set_source(out, "profile %s (sso %s)", name, c.role);
	buf_wipe(&hdr);
	buf_free(&url);
	return st;
}

/* ---- container (ECS / EKS) ---- */

char *aws_container_url(void)
{
	const char *rel = env_get("AWS_CONTAINER_CREDENTIALS_RELATIVE_URI");
	const char *full = env_get("AWS_CONTAINER_CREDENTIALS_FULL_URI");
	struct buf b = BUF_INIT;

	if (rel) {
		buf_puts(&b, ECS_HOST);
		if (rel[0] != '/')
			buf_putc(&b, '/');
		buf_puts(&b, rel);
		return buf_steal(&b);
	}
	return full ? xstrdup(full) : NULL;
}

/* botocore's rule for the full URI: https anywhere; http only to loopback or the agent. */
static bool container_url_ok(const char *url)
{
	static const char *const agents[] = {"169.254.170.2", "169.254.170.23", "[fd00:ec2::23]"};
	char host[300], *colon;
	struct sc_error ignore;

	if (strncmp(url, "https://", 8) == 0)
		return true;
	if (strncmp(url, "http://", 7) != 0)
		return false;
	if (http_url_allowed_metadata(url, &ignore))
		return true;
	url_host(url, host, sizeof(host));
	colon = strrchr(host, ':');
	if (colon && !strchr(colon, ']'))
		*colon = '\0';
	for (size_t i = 0; i < sizeof(agents) / sizeof(agents[0]); i++)
		if (strcmp(host, agents[i]) == 0)
			return true;
	return false;
}

/* "Authorization: <token>" from ..._TOKEN_FILE or ..._TOKEN, or nothing. */
static enum sc_status container_auth(struct buf *hdr, struct sc_error *err)
{
	const char *file = env_get("AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE");
	const char *tok = env_get("AWS_CONTAINER_AUTHORIZATION_TOKEN");
	struct buf b = BUF_INIT;

	if (file) {
		if (read_small_file(file, &b) != 0) {
			buf_wipe(&b);
			return sc_fail(err, SC_AUTH,
			               "cannot read AWS_CONTAINER_AUTHORIZATION_TOKEN_FILE %s: %s",
			               file, file_strerror(errno));
		}
		trim_buf(&b);
		tok = buf_str(&b);
	}
	if (tok && strpbrk(tok, "\r\n")) {
		buf_wipe(&b);
		return sc_fail(err, SC_CONFIG,
		               "the container authorization token contains a line break");
	}
	if (tok && *tok)
		buf_printf(hdr, "Authorization: %s", tok);
	buf_wipe(&b);
	return SC_OK;
}

static enum sc_status container_creds(struct chain *ch, struct aws_credentials *out,
                                      struct sc_error *err)
{
	char *url = aws_container_url();
	struct buf hdr = BUF_INIT;
	struct http_response resp;
	cJSON *j;
	enum sc_status st;

	if (!url)
		return SC_NOT_FOUND;
	if (!container_url_ok(url)) {
		free(url);
		return sc_fail(err, SC_CONFIG,
		               "AWS_CONTAINER_CREDENTIALS_FULL_URI must be https://, or http:// to "
		               "loopback or the ECS/EKS agent address");
	}
	st = container_auth(&hdr, err);
	if (st == SC_OK) {
		struct simple_get g = {"GET", url, hdr.len ? buf_str(&hdr) : NULL, 2000};
		st = simple_call(ch, &g, &resp, err);
		if (st != SC_OK)
			sc_error_prefix(err, "container credentials");
		else if (resp.status / 100 != 2)
			st = sc_fail(err, SC_AUTH,
			             "the container credentials endpoint answered HTTP %ld",
			             resp.status);
		else {
			j = cJSON_ParseWithLength(buf_str(&resp.body), resp.body.len);
			st = json_creds(j, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
			                "the container credentials endpoint", out, err);
			json_free(j);
		}
		reply_free(&resp);
	}
	if (st == SC_OK) {
		set_source(out, "%s%s", "container", "");
		st = check_expiry(ch, out, err);
	}
	buf_wipe(&hdr);
	free(url);
	return st;
}

/* ---- IMDSv2 ---- */

struct imds {
	char base[300];
	long timeout_ms;
	struct buf token_hdr; /* "X-aws-ec2-metadata-token: ..." or empty (v1) */
};

static void imds_setup(const struct chain *ch, struct imds *m)
{
	const char *ep = env_get("AWS_EC2_METADATA_SERVICE_ENDPOINT");
	const char *mode = env_get("AWS_EC2_METADATA_SERVICE_ENDPOINT_MODE");
	const char *t = env_get("AWS_METADATA_SERVICE_TIMEOUT");
	size_t n;

	if (!ep)
		ep = aws_profile_get(ch->ctx, ch->ctx->profile, "ec2_metadata_service_endpoint",
		                     NULL);
	if (!mode)
		mode = aws_profile_get(ch->ctx, ch->ctx->profile,
		                       "ec2_metadata_service_endpoint_mode", NULL);
	if (!ep || !*ep)
		ep = mode && strcasecmp(mode, "IPv6") == 0 ? IMDS_DEFAULT_V6 : IMDS_DEFAULT_V4;
	snprintf(m->base, sizeof(m->base), "%s", ep);
	n = strlen(m->base);
	while (n > 0 && m->base[n - 1] == '/')
		m->base[--n] = '\0';
	m->timeout_ms = t && atol(t) > 0 ? atol(t) * 1000 : 1000;
	buf_reset(&m->token_hdr);
}

/* One IMDS request; returns the HTTP status, or 0 when nothing answered. */
static long imds_req(struct chain *ch, struct imds *m, const char *method, const char *path,
                     const char *hdr, struct buf *body)
{
	struct http_response resp;
	struct sc_error ignore;
	char url[600];
	long status;

	snprintf(url, sizeof(url), "%s%s", m->base, path);
	struct simple_get g = {method, url, hdr, m->timeout_ms};
	if (simple_call(ch, &g, &resp, &ignore) != SC_OK) {
		reply_free(&resp);
		return 0;
	}
	status = resp.status;
	if (body) {
		buf_wipe(body);
		buf_append(body, buf_str(&resp.body), resp.body.len);
	}
	reply_free(&resp);
	return status;
}

/* PUT for a token; falls back to v1 (no token) on 403/404/405 unless v1 is disabled.
 * Returns false when IMDS is not there. */
static bool imds_token(struct chain *ch, struct imds *m)
{
	struct buf tok = BUF_INIT;
	long st = imds_req(ch, m, "PUT", "/latest/api/token",
	                   "X-aws-ec2-metadata-token-ttl-seconds: 21600", &tok);

	if (st == 200 && tok.len && !strpbrk(buf_str(&tok), "\r\n")) {
		buf_printf(&m->token_hdr, "X-aws-ec2-metadata-token: %s", buf_str(&tok));
		buf_wipe(&tok);
		return true;
	}
	buf_wipe(&tok);
	return (st == 403 || st == 404 || st == 405) &&
	       !aws_config_true(env_get("AWS_EC2_METADATA_V1_DISABLED"));
}

static bool role_name_ok(const char *s)
{
	if (!*s)
		return false;
	for (; *s; s++)
		if (!isalnum((unsigned char)*s) && !strchr("+=,.@_-", *s))
			return false;
	return true;
}

static enum sc_status imds_fetch(struct chain *ch, struct imds *m, struct aws_credentials *out,
                                 struct sc_error *err)
{
	const char *hdr = m->token_hdr.len ? buf_str(&m->token_hdr) : NULL;
	const char *prefix = "/latest/meta-data/iam/security-credentials/";
	struct buf body = BUF_INIT;
	char path[300], role[200];
	long st = imds_req(ch, m, "GET", prefix, hdr, &body);
	cJSON *j;
	const char *code;
	enum sc_status rc;

	snprintf(role, sizeof(role), "%.*s", (int)strcspn(buf_str(&body), "\r\n"), buf_str(&body));
	buf_free(&body);
	if (st != 200 || !role_name_ok(role)) {
		tried(ch, "EC2 instance metadata (no instance role at %s)", m->base);
		return SC_NOT_FOUND;
	}
	snprintf(path, sizeof(path), "%s%s", prefix, role);
	st = imds_req(ch, m, "GET", path, hdr, &body);
	j = st == 200 ? cJSON_ParseWithLength(buf_str(&body), body.len) : NULL;
	code = json_str(j, "Code");
	if (!j || (code && strcmp(code, "Success") != 0))
		rc = sc_fail(err, SC_AUTH,
		             "EC2 instance metadata gave no usable credentials for role %s", role);
	else
		rc = json_creds(j, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
		                "EC2 instance metadata", out, err);
	json_free(j);
	buf_wipe(&body);
	if (rc == SC_OK) {
		set_source(out, "imds (role %s)", role, NULL);
		rc = check_expiry(ch, out, err);
	}
	return rc;
}

static enum sc_status imds_creds(struct chain *ch, struct aws_credentials *out,
                                 struct sc_error *err)
{
	struct imds m = {.token_hdr = BUF_INIT};
	struct sc_error why;
	enum sc_status rc;

	if (aws_config_true(env_get("AWS_EC2_METADATA_DISABLED"))) {
		tried(ch, "EC2 instance metadata (disabled by AWS_EC2_METADATA_DISABLED)");
		return SC_NOT_FOUND;
	}
	imds_setup(ch, &m);
	if (ch->imds_negative && *ch->imds_negative) {
		tried(ch, "EC2 instance metadata (no answer earlier from %s)", m.base);
		return SC_NOT_FOUND;
	}
	if (!http_url_allowed_metadata(m.base, &why)) {
		tried(ch, "EC2 instance metadata (not tried: %s is plain http to neither loopback "
			  "nor the metadata address)",
		      m.base);
		return SC_NOT_FOUND;
	}
	if (!imds_token(ch, &m)) {
		if (ch->imds_negative)
			*ch->imds_negative = true;
		tried(ch, "EC2 instance metadata (no answer from %s)", m.base);
		buf_wipe(&m.token_hdr);
		return SC_NOT_FOUND;
	}
	rc = imds_fetch(ch, &m, out, err);
	buf_wipe(&m.token_hdr);
	return rc;
}

/* ---- profiles: assume-role, web identity, SSO, keys, credential_process ---- */

static enum sc_status profile_creds(struct chain *ch, const char *name, bool top,
                                    struct aws_credentials *out, struct sc_error *err);

static enum sc_status cycle_error(const struct chain *ch, const char *again, struct sc_error *err)
{
	struct buf b = BUF_INIT;
	enum sc_status st;

	for (size_t i = 0; i < ch->n_visited; i++)
		buf_printf(&b, "%s -> ", ch->visited[i]);
	buf_puts(&b, again);
	st = sc_fail(err, SC_CONFIG, "the source_profile chain loops: %s", buf_str(&b));
	buf_free(&b);
	return st;
}

static enum sc_status from_source_profile(struct chain *ch, const char *name, const char *sp,
                                          struct aws_credentials *src, struct sc_error *err)
{
	enum sc_status st;

	if (strcmp(sp, name) == 0) {
		st = any_static_creds(ch, name, src, err);
		if (st == SC_NOT_FOUND)
			return sc_fail(err, SC_CONFIG,
			               "profile %s is its own source_profile but has no keys",
			               name);
		return st;
	}
	for (size_t i = 0; i < ch->n_visited; i++)
		if (strcmp(ch->visited[i], sp) == 0)
			return cycle_error(ch, sp, err);
	if (ch->n_visited >= MAX_CHAIN_DEPTH)
		return sc_fail(err, SC_CONFIG, "the source_profile chain of profile %s is too long",
		               name);
	if (!aws_profile_exists(ch->ctx, sp))
		return sc_fail(err, SC_CONFIG, "source_profile %s of profile %s does not exist", sp,
		               name);
	st = profile_creds(ch, sp, false, src, err);
	if (st == SC_NOT_FOUND)
		return sc_fail(err, SC_AUTH, "source_profile %s of profile %s has no credentials",
		               sp, name);
	return st;
}

static enum sc_status from_credential_source(struct chain *ch, const char *name, const char *cs,
                                             struct aws_credentials *src, struct sc_error *err)
{
	enum sc_status st;

	if (strcmp(cs, "Environment") == 0)
		st = env_creds(ch, src, err);
	else if (strcmp(cs, "Ec2InstanceMetadata") == 0)
		st = imds_creds(ch, src, err);
	else if (strcmp(cs, "EcsContainer") == 0)
		st = container_creds(ch, src, err);
	else
		return sc_fail(err, SC_CONFIG,
		               "credential_source in profile %s must be Environment, "
		               "Ec2InstanceMetadata or EcsContainer",
		               name);
	if (st == SC_NOT_FOUND)
		return sc_fail(err, SC_AUTH,
		               "credential_source %s of profile %s found no credentials", cs, name);
	return st;
}

static enum sc_status role_source(struct chain *ch, const char *name, struct aws_credentials *src,
                                  struct sc_error *err)
{
	const char *sp = aws_profile_get(ch->ctx, name, "source_profile", NULL);
	const char *cs = aws_profile_get(ch->ctx, name, "credential_source", NULL);

	if (sp && *sp && cs && *cs)
		return sc_fail(err, SC_CONFIG,
		               "profile %s sets both source_profile and credential_source", name);
	if (sp && *sp)
		return from_source_profile(ch, name, sp, src, err);
	if (cs && *cs)
		return from_credential_source(ch, name, cs, src, err);
	return sc_fail(err, SC_CONFIG,
	               "profile %s has role_arn but neither source_profile nor credential_source",
	               name);
}

static enum sc_status assume_role(struct chain *ch, const char *name, const char *role_arn,
                                  struct aws_credentials *out, struct sc_error *err)
{
	const struct aws_profile_ctx *ctx = ch->ctx;
	const char *ext = aws_profile_get(ctx, name, "external_id", NULL);
	struct aws_credentials src = {0};
	struct buf form = BUF_INIT;
	char sname[128], what[300], secs[24];
	long d;
	enum sc_status st;

	if (aws_profile_get(ctx, name, "mfa_serial", NULL))
		return sc_fail(err, SC_AUTH,
		               "profile %s needs an MFA code (mfa_serial), which sesctl cannot ask "
		               "for; use credential_process instead",
		               name);
	st = duration_of(name, aws_profile_get(ctx, name, "duration_seconds", NULL), &d, err);
	if (st != SC_OK)
		return st;
	ch->visited[ch->n_visited++] = name;
	st = role_source(ch, name, &src, err);
	ch->n_visited--;
	if (st != SC_OK)
		return st;
	snprintf(what, sizeof(what), "AssumeRole for %s", role_arn);
	session_name(ch, aws_profile_get(ctx, name, "role_session_name", NULL), sname,
	             sizeof(sname));
	form_add(&form, "Action", "AssumeRole");
	form_add(&form, "Version", STS_VERSION);
	form_add(&form, "RoleArn", role_arn);
	form_add(&form, "RoleSessionName", sname);
	if (ext && *ext)
		form_add(&form, "ExternalId", ext);
	if (d) {
		snprintf(secs, sizeof(secs), "%ld", d);
		form_add(&form, "DurationSeconds", secs);
	}
	st = sts_call(ch, "AssumeRole", &form, &src, what, out, err);
	aws_credentials_free(&src);
	buf_free(&form);
	if (st == SC_OK)
		set_source(out, "profile %s (assume-role %s)", name, role_arn);
	return st;
}

static enum sc_status profile_creds(struct chain *ch, const char *name, bool top,
                                    struct aws_credentials *out, struct sc_error *err)
{
	const struct aws_profile_ctx *ctx = ch->ctx;
	const char *role_arn = aws_profile_get(ctx, name, "role_arn", NULL);
	const char *wit = aws_profile_get(ctx, name, "web_identity_token_file", NULL);
	const char *tf = top ? env_get("AWS_WEB_IDENTITY_TOKEN_FILE") : NULL;
	const char *ra = top ? env_get("AWS_ROLE_ARN") : NULL;
	const char *sess = top ? env_get("AWS_ROLE_SESSION_NAME") : NULL;
	const char *cp;
	enum sc_status st;

	if (role_arn && *role_arn && !(wit && *wit))
		return assume_role(ch, name, role_arn, out, err);
	tf = tf ? tf : wit;
	ra = ra ? ra : role_arn;
	if (tf && *tf && ra && *ra)
		return web_identity(ch, name, tf, ra,
		                    sess ? sess
		                         : aws_profile_get(ctx, name, "role_session_name", NULL),
		                    aws_profile_get(ctx, name, "duration_seconds", NULL), out, err);
	st = sso_creds(ch, name, out, err);
	if (st != SC_NOT_FOUND)
		return st;
	st = static_creds(ch, &ctx->credentials, name, "credentials file", out, err);
	if (st != SC_NOT_FOUND)
		return st;
	cp = aws_profile_get(ctx, name, "credential_process", NULL);
	if (cp && *cp)
		return process_creds(ch, name, cp, out, err);
	return static_creds(ch, &ctx->config, name, "config file", out, err);
}

/* ---- the chain ---- */

static enum sc_status run_chain(struct chain *ch, struct aws_credentials *out, struct sc_error *err)
{
	const struct aws_profile_ctx *ctx = ch->ctx;
	enum sc_status st;

	if (ctx->profile_explicit) {
		tried(ch, "environment variables (skipped: --profile was given)");
	} else {
		if ((st = env_creds(ch, out, err)) != SC_NOT_FOUND)
			return st;
		tried(ch, "environment variables (not set)");
	}
	if ((st = profile_creds(ch, ctx->profile, true, out, err)) != SC_NOT_FOUND)
		return st;
	tried(ch, "profile %s (no keys, role, SSO or credential_process in %s or %s)", ctx->profile,
	      ctx->config_path, ctx->credentials_path);
	if ((st = container_creds(ch, out, err)) != SC_NOT_FOUND)
		return st;
	tried(ch, "container credentials (not configured)");
	if ((st = imds_creds(ch, out, err)) != SC_NOT_FOUND)
		return st;
	return sc_fail(err, SC_AUTH, "no AWS credentials found; tried %s", buf_str(&ch->tried));
}

static enum sc_status chain_resolve(const struct aws_profile_ctx *ctx, struct http_client *http,
                                    time_t now, bool *imds_negative, struct aws_credentials *out,
                                    struct sc_error *err)
{
	struct chain ch;
	struct aws_credentials got = {0};
	enum sc_status st;

	memset(&ch, 0, sizeof(ch));
	ch.ctx = ctx;
	ch.http = http;
	ch.now = now;
	ch.imds_negative = imds_negative;
	ch.seed = (unsigned)now ^ ((unsigned)getpid() << 16);
	st = run_chain(&ch, &got, err);
	if (st == SC_OK) {
		aws_credentials_free(out);
		*out = got;
	} else {
		aws_credentials_free(&got);
	}
	buf_free(&ch.tried);
	http_client_free(ch.own_http);
	return st;
}

enum sc_status aws_creds_resolve(const struct aws_profile_ctx *ctx, struct http_client *http,
                                 time_t now, struct aws_credentials *out, struct sc_error *err)
{
	memset(out, 0, sizeof(*out));
	return chain_resolve(ctx, http, now, NULL, out, err);
}

/* ---- the caching provider ---- */

struct aws_creds_provider {
	const struct aws_profile_ctx *ctx;
	struct http_client *http;
	struct http_client *own_http;
	time_t (*clock)(void);
	struct aws_credentials cur;
	bool have;
	bool imds_negative;
	time_t refreshed;   /* when cur was last resolved (0: never) */
};

static time_t default_clock(void)
{
	return time(NULL);
}

struct aws_creds_provider *aws_creds_provider_new(const struct aws_creds_options *opt)
{
	struct aws_creds_provider *p = xcalloc(1, sizeof(*p));
	struct http_options ho = {0};

	p->ctx = opt->ctx;
	p->clock = opt->clock ? opt->clock : default_clock;
	p->http = opt->http;
	if (!p->http) {
		ho.ca_bundle = opt->ctx->ca_bundle;
		p->own_http = http_client_new(&ho);
		p->http = p->own_http;
	}
	return p;
}

void aws_creds_provider_free(struct aws_creds_provider *p)
{
	if (!p)
		return;
	aws_credentials_free(&p->cur);
	http_client_free(p->own_http);
	free(p);
}

void aws_creds_provider_invalidate(struct aws_creds_provider *p)
{
	aws_credentials_free(&p->cur);
	p->have = false;
}

const char *aws_creds_provider_source(const struct aws_creds_provider *p)
{
	return p->have ? p->cur.source : "";
}

enum sc_status aws_creds_provider_get(struct aws_creds_provider *p,
                                      const struct aws_credentials **out, struct sc_error *err)
{
	time_t now = p->clock();
	struct sc_error why;
	enum sc_status st;

	*out = NULL;
	if (p->have &&
	    (p->cur.expiration == 0 || p->cur.expiration - now > AWS_CREDS_ADVISORY_SECS)) {
		*out = &p->cur;
		return SC_OK;
	}
	/* A source that only hands out short-lived credentials (a credential_process printing
	 * 5-minute keys) would otherwise run before every request: 61 runs for one sync. Asked
	 * within the last minute and still valid for a while: good enough. */
	if (p->have && now - p->refreshed < AWS_CREDS_RETRY_SECS &&
	    p->cur.expiration - now > AWS_CREDS_LAST_SECS) {
		*out = &p->cur;
		return SC_OK;
	}
	sc_error_clear(&why);
	st = chain_resolve(p->ctx, p->http, now, &p->imds_negative, &p->cur, &why);
	p->refreshed = now;
	if (st == SC_OK) {
		p->have = true;
	} else if (!p->have || p->cur.expiration - now <= AWS_CREDS_MANDATORY_SECS) {
		/* an advisory refresh may fail; a mandatory one may not */
		aws_creds_provider_invalidate(p);
		if (err)
			*err = why;
		return st;
	}
	*out = &p->cur;
	return SC_OK;
}

enum sc_status aws_creds_provider_fn(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	const struct aws_credentials *c;
	enum sc_status st = aws_creds_provider_get(ud, &c, err);

	memset(out, 0, sizeof(*out));
	if (st != SC_OK)
		return st;
	out->access_key = c->access_key;
	out->secret_key = c->secret_key;
	out->session_token = c->session_token;
	return SC_OK;
}

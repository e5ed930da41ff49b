#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/tui/clip.h"

/* ---- helpers ---- */

static int b64val(char c)
{
	const char *tab = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	const char *p = strchr(tab, c);

	return c && p ? (int)(p - tab) : -1;
}

/* Independent decoder: the framing tests decode what clip_base64 wrote. */
static void b64decode(struct buf *out, const char *s, size_t len)
{
	assert_int_equal(len % 4, 0);
	for (size_t i = 0; i < len; i += 4) {
		int v[4];
		char o[3];
		size_t n = 3;

		for (int k = 0; k < 4; k++)
			v[k] = s[i + k] == '=' ? 0 : b64val(s[i + k]);
		for (int k = 0; k < 4; k++)
			assert_true(v[k] >= 0);
		if (s[i + 3] == '=')
			n = s[i + 2] == '=' ? 1 : 2;
		o[0] = (char)((v[0] << 2) | (v[1] >> 4));
		o[1] = (char)(((v[1] & 15) << 4) | (v[2] >> 2));
		o[2] = (char)(((v[2] & 3) << 6) | v[3]);
		buf_append(out, o, n);
	}
}

static void fill(char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (char)(i * 7 + 3);
}

static void clear_env(void)
{
	unsetenv("TMUX");
	unsetenv("STY");
	unsetenv("SSH_TTY");
	setenv("TERM", "xterm-256color", 1);
}

/* Read everything currently in a non-blocking pipe. */
static void drain(int fd, struct buf *out)
{
	char tmp[4096];
	ssize_t n;

	while ((n = read(fd, tmp, sizeof(tmp))) > 0)
		buf_append(out, tmp, (size_t)n);
}

static void make_pipe(int fds[2])
{
	assert_int_equal(pipe(fds), 0);
	fcntl(fds[0], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETFL, O_NONBLOCK);
	fcntl(fds[1], F_SETPIPE_SZ, 1 << 20);
}

/* ---- framings ---- */

static void test_base64_vectors(void **state)
{
	const char *in[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	const char *want[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	struct buf b = BUF_INIT;

	(void)state;
	for (size_t i = 0; i < 7; i++) {
		buf_reset(&b);
		clip_base64(&b, in[i], strlen(in[i]));
		assert_string_equal(buf_str(&b), want[i]);
	}
	buf_free(&b);
}

static void test_osc52_exact(void **state)
{
	struct buf b = BUF_INIT, dec = BUF_INIT;
	char data[300];

	(void)state;
	clip_osc52(&b, "hello", 5, false);
	assert_string_equal(buf_str(&b), "\x1b]52;c;aGVsbG8=\x1b\\");
	buf_reset(&b);
	clip_osc52(&b, "hello", 5, true);
	assert_string_equal(buf_str(&b), "\x1b]52;c;aGVsbG8=\a");
	buf_reset(&b);
	clip_osc52_tmux(&b, "hello", 5, false);
	assert_string_equal(buf_str(&b), "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\x1b\x1b\\\x1b\\");
	buf_reset(&b);
	clip_osc52_tmux(&b, "hello", 5, true);
	assert_string_equal(buf_str(&b), "\x1bPtmux;\x1b\x1b]52;c;aGVsbG8=\a\x1b\\");

	/* binary data (NUL, ESC, high bytes) round-trips through the payload */
	fill(data, sizeof(data));
	buf_reset(&b);
	clip_osc52(&b, data, sizeof(data), false);
	assert_memory_equal(b.data, "\x1b]52;c;", 7);
	assert_memory_equal(b.data + b.len - 2, "\x1b\\", 2);
	b64decode(&dec, b.data + 7, b.len - 9);
	assert_int_equal(dec.len, sizeof(data));
	assert_memory_equal(dec.data, data, sizeof(data));
	/* the payload itself has no ESC, BEL or control byte to end the sequence early */
	for (size_t i = 7; i < b.len - 2; i++)
		assert_true(b.data[i] > 0x20 && b.data[i] < 0x7f);
	buf_free(&b);
	buf_free(&dec);
}

/* Split a screen-framed string into its DCS pieces; checks each and returns the count. */
static size_t screen_pieces(const struct buf *b, struct buf *joined)
{
	size_t off = 0, count = 0;

	while (off < b->len) {
		const char *end;
		size_t n;

		assert_memory_equal(b->data + off, "\x1bP", 2);
		off += 2;
		end = memmem(b->data + off, b->len - off, "\x1b\\", 2);
		assert_non_null(end);
		n = (size_t)(end - (b->data + off));
		assert_true(n >= 1 && n <= CLIP_SCREEN_CHUNK);
		buf_append(joined, b->data + off, n);
		off += n + 2;
		count++;
	}
	return count;
}

static void test_screen_chunks(void **state)
{
	/* the inner sequence is 8 + base64 bytes: 570 raw -> 760 -> 768, one full chunk */
	const size_t sizes[] = {0, 1, 570, 571, 573, 1146, 1149, 5000};
	const size_t chunks[] = {1, 1, 1, 2, 2, 2, 3, 9};
	static char data[5000];

	(void)state;
	fill(data, sizeof(data));
	for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++) {
		struct buf b = BUF_INIT, joined = BUF_INIT, plain = BUF_INIT;

		clip_osc52_screen(&b, data, sizes[i]);
		assert_int_equal(screen_pieces(&b, &joined), chunks[i]);
		clip_osc52(&plain, data, sizes[i], true);
		assert_int_equal(joined.len, plain.len);
		assert_memory_equal(joined.data, plain.data, plain.len);
		buf_free(&b);
		buf_free(&joined);
		buf_free(&plain);
	}
}

static void test_env_strategy(void **state)
{
	(void)state;
	assert_int_equal(clip_env_from(NULL, NULL), CLIP_ENV_PLAIN);
	assert_int_equal(clip_env_from("", ""), CLIP_ENV_PLAIN);
	assert_int_equal(clip_env_from("/tmp/tmux-1/default,1,0", NULL), CLIP_ENV_TMUX);
	assert_int_equal(clip_env_from("/tmp/t,1,0", "123.pts-0.host"), CLIP_ENV_TMUX);
	assert_int_equal(clip_env_from(NULL, "123.pts-0.host"), CLIP_ENV_SCREEN);
	/* TERM=screen-256color over SSH from a tmux: neither variable is set, plain OSC 52 */
	assert_string_equal(clip_method_name(CLIP_TMUX), "tmux buffer");
}

/* ---- clip_copy ---- */

static void test_copy_plain_and_screen(void **state)
{
	struct clip_opts o = {0};
	struct clip_result r;
	struct buf got = BUF_INIT, want = BUF_INIT;
	char msg[256];
	int fds[2];

	(void)state;
	clear_env();
	setenv("SSH_TTY", "/dev/pts/3", 1);
	make_pipe(fds);
	o.tty_fd = fds[1];
	assert_int_equal(clip_copy(&o, "v=DKIM1; p=MIIB", 15, &r, NULL), SC_OK);
	drain(fds[0], &got);
	clip_osc52(&want, "v=DKIM1; p=MIIB", 15, false);
	assert_int_equal(got.len, want.len);
	assert_memory_equal(got.data, want.data, want.len);
	assert_int_equal(r.method, CLIP_OSC52);
	assert_int_equal(r.bytes, 15);
	clip_describe(&r, msg, sizeof(msg));
	assert_string_equal(msg, "sent 15 bytes to your terminal's clipboard via OSC 52 over SSH");

	/* over SSH from a local tmux whose default-terminal is screen-256color: no $STY, so
	 * the plain form (screen's DCS pieces would be lost in tmux) */
	setenv("TERM", "screen-256color", 1);
	buf_reset(&got), buf_reset(&want);
	assert_int_equal(clip_copy(&o, "abc", 3, &r, NULL), SC_OK);
	drain(fds[0], &got);
	clip_osc52(&want, "abc", 3, false);
	assert_string_equal(buf_str(&got), buf_str(&want));
	assert_int_equal(r.method, CLIP_OSC52);

	setenv("STY", "42.pts-1.host", 1);
	buf_reset(&got), buf_reset(&want);
	assert_int_equal(clip_copy(&o, "abc", 3, &r, NULL), SC_OK);
	drain(fds[0], &got);
	clip_osc52_screen(&want, "abc", 3);
	assert_string_equal(buf_str(&got), buf_str(&want));
	assert_int_equal(r.method, CLIP_OSC52_SCREEN);
	close(fds[0]), close(fds[1]);
	buf_free(&got), buf_free(&want);
	clear_env();
}

static void test_copy_refusals(void **state)
{
	static char big[CLIP_MAX_DEFAULT + 1];
	struct clip_opts o = {0};
	struct sc_error err;
	struct buf got = BUF_INIT;
	int fds[2];

	(void)state;
	clear_env();
	make_pipe(fds);
	o.tty_fd = fds[1];
	o.secret = true;
	assert_int_equal(clip_copy(&o, "AKIA-secret", 11, NULL, &err), SC_REFUSED);
	assert_non_null(strstr(err.message, "secret"));
	o.secret = false;
	assert_int_equal(clip_copy(&o, big, sizeof(big), NULL, &err), SC_REFUSED);
	assert_string_equal(err.message, "refusing to copy 74995 bytes: the clipboard limit is "
					 "74994 bytes, save to a file instead.");
	o.max_bytes = 10;
	assert_int_equal(clip_copy(&o, big, 11, NULL, &err), SC_REFUSED);
	drain(fds[0], &got);
	assert_int_equal(got.len, 0); /* nothing at all reached the terminal */
	assert_int_equal(clip_copy(&o, big, 10, NULL, &err), SC_OK);
	o.max_bytes = 0;
	assert_int_equal(clip_copy(&o, big, CLIP_MAX_DEFAULT, NULL, &err), SC_OK);
	drain(fds[0], &got);
	assert_true(got.len > CLIP_MAX_DEFAULT);
	close(fds[0]), close(fds[1]);
	buf_free(&got);
}

static void test_copy_tmux_missing_falls_back(void **state)
{
	struct clip_opts o = {0};
	struct clip_result r;
	struct sc_error err;
	struct buf got = BUF_INIT, want = BUF_INIT;
	int fds[2];

	(void)state;
	clear_env();
	setenv("TMUX", "/nonexistent/sock,1,0", 1);
	make_pipe(fds);
	o.tty_fd = fds[1];
	o.tmux = "/nonexistent/bin/tmux";
	assert_int_equal(clip_copy(&o, "xyz", 3, &r, &err), SC_OK);
	assert_int_equal(r.method, CLIP_OSC52_TMUX);
	drain(fds[0], &got);
	clip_osc52(&want, "xyz", 3, false);
	clip_osc52_tmux(&want, "xyz", 3, false);
	assert_string_equal(buf_str(&got), buf_str(&want));
	o.tty_fd = -1;
	assert_int_equal(clip_copy(&o, "xyz", 3, &r, &err), SC_IO);
	assert_non_null(strstr(err.message, "could not run /nonexistent/bin/tmux"));
	/* a tmux that runs but fails: exit status is reported */
	assert_int_equal(clip_tmux_load("/bin/false", "x", 1, &err), SC_IO);
	assert_string_equal(err.message, "/bin/false load-buffer exited with status 1.");
	close(fds[0]), close(fds[1]);
	buf_free(&got), buf_free(&want);
	clear_env();
}

static bool have_tmux(void)
{
	return system("tmux -V >/dev/null 2>&1") == 0;
}

static void test_copy_real_tmux(void **state)
{
	char sock[128], cmd[512], path[512] = "";
	char data[2000];
	struct clip_opts o = {0};
	struct clip_result r;
	struct buf got = BUF_INIT;
	FILE *p;
	size_t n;
	int fds[2];

	(void)state;
	if (!have_tmux()) {
		printf("SKIP test_copy_real_tmux: tmux is not installed\n");
		skip();
	}
	clear_env();
	snprintf(sock, sizeof(sock), "sesctl-test-%ld", (long)getpid());
	snprintf(cmd, sizeof(cmd), "tmux -L %s -f /dev/null new-session -d", sock);
	assert_int_equal(system(cmd), 0);
	snprintf(cmd, sizeof(cmd), "tmux -L %s display -p '#{socket_path}'", sock);
	p = popen(cmd, "r");
	assert_non_null(p);
	if (!fgets(path, sizeof(path), p))
		path[0] = '\0';
	pclose(p);
	path[strcspn(path, "\n")] = '\0';
	assert_true(path[0] == '/');
	snprintf(cmd, sizeof(cmd), "%s,0,0", path);
	setenv("TMUX", cmd, 1);

	/* text with a quote, a newline and UTF-8, as a DNS value might have */
	n = (size_t)snprintf(data, sizeof(data), "\"v=spf1 include:amazonses.com ~all\"\n\xc3\xa9");
	make_pipe(fds);
	o.tty_fd = fds[1];
	assert_int_equal(clip_copy(&o, data, n, &r, NULL), SC_OK);
	assert_int_equal(r.method, CLIP_TMUX);
	assert_int_equal(r.bytes, n);

	snprintf(cmd, sizeof(cmd), "tmux -L %s show-buffer", sock);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (!feof(p)) {
		char tmp[256];
		size_t k = fread(tmp, 1, sizeof(tmp), p);

		buf_append(&got, tmp, k);
	}
	pclose(p);
	snprintf(cmd, sizeof(cmd), "tmux -L %s kill-server", sock);
	assert_int_equal(system(cmd), 0);
	unlink(path); /* tmux leaves its socket file behind */
	assert_int_equal(got.len, n);
	assert_memory_equal(got.data, data, n);
	/* nothing went to the tty: tmux (with -w) passes it on, and a second OSC 52 would
	 * leave a second, identical paste buffer under set-clipboard on */
	buf_reset(&got);
	drain(fds[0], &got);
	assert_int_equal(got.len, 0);
	close(fds[0]), close(fds[1]);
	buf_free(&got);
	clear_env();
}

/* ---- save to file ---- */

static char *slurp(const char *path)
{
	struct buf b = BUF_INIT;
	char tmp[256];
	size_t n;
	FILE *f = fopen(path, "rb");

	assert_non_null(f);
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0)
		buf_append(&b, tmp, n);
	fclose(f);
	return buf_steal(&b);
}

static void test_save(void **state)
{
	char dir[] = "/tmp/sesctl-clip-XXXXXX";
	char path[600], first[4096], msg[4200];
	struct clip_result r;
	struct sc_error err;
	struct stat st;
	char *s;

	(void)state;
	assert_non_null(mkdtemp(dir));
	umask(022);
	assert_int_equal(clip_save(dir, "records.txt", "one", 3, &r, &err), SC_OK);
	snprintf(path, sizeof(path), "%s/records.txt", dir);
	assert_string_equal(r.path, path);
	assert_int_equal(r.method, CLIP_FILE);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0600);
	strcpy(first, r.path);
	clip_describe(&r, msg, sizeof(msg));
	assert_non_null(strstr(msg, "saved 3 bytes to /tmp/sesctl-clip-"));

	/* O_EXCL: a second save never overwrites */
	assert_int_equal(clip_save(dir, "records.txt", "two", 3, &r, &err), SC_OK);
	snprintf(path, sizeof(path), "%s/records.txt.1", dir);
	assert_string_equal(r.path, path);
	s = slurp(first);
	assert_string_equal(s, "one");
	free(s);

	/* O_NOFOLLOW/O_EXCL: a planted symlink is neither followed nor replaced */
	snprintf(path, sizeof(path), "%s/victim", dir);
	close(open(path, O_WRONLY | O_CREAT, 0644));
	snprintf(path, sizeof(path), "%s/link.txt", dir);
	assert_int_equal(symlink("victim", path), 0);
	assert_int_equal(clip_save(dir, "link.txt", "evil", 4, &r, &err), SC_OK);
	snprintf(path, sizeof(path), "%s/link.txt.1", dir);
	assert_string_equal(r.path, path);
	snprintf(path, sizeof(path), "%s/victim", dir);
	s = slurp(path);
	assert_string_equal(s, "");
	free(s);

	assert_int_equal(clip_save(dir, "../x", "a", 1, &r, &err), SC_USAGE);
	assert_string_equal(err.message, "'../x' is not a plain file name.");
	assert_int_equal(clip_save(dir, "", "a", 1, &r, &err), SC_USAGE);
	assert_int_equal(clip_save(dir, "..", "a", 1, &r, &err), SC_USAGE);
	assert_int_equal(clip_save("/proc/nonexistent/dir", "x", "a", 1, &r, &err), SC_IO);
	assert_non_null(strstr(err.message, "cannot create /proc/nonexistent"));

	/* default directory under XDG_STATE_HOME, created 0700 */
	setenv("XDG_STATE_HOME", dir, 1);
	assert_int_equal(clip_save(NULL, "dflt.csv", "x", 1, &r, &err), SC_OK);
	snprintf(path, sizeof(path), "%s/sesctl/exports/dflt.csv", dir);
	assert_string_equal(r.path, path);
	snprintf(path, sizeof(path), "%s/sesctl/exports", dir);
	assert_int_equal(stat(path, &st), 0);
	assert_int_equal(st.st_mode & 0777, 0700);

	snprintf(msg, sizeof(msg), "rm -rf '%s'", dir);
	assert_int_equal(system(msg), 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_base64_vectors),
		cmocka_unit_test(test_osc52_exact),
		cmocka_unit_test(test_screen_chunks),
		cmocka_unit_test(test_env_strategy),
		cmocka_unit_test(test_copy_plain_and_screen),
		cmocka_unit_test(test_copy_refusals),
		cmocka_unit_test(test_copy_tmux_missing_falls_back),
		cmocka_unit_test(test_copy_real_tmux),
		cmocka_unit_test(test_save),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

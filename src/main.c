/* sesctl: argv → a CLI verb, or the console. */
#include <errno.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sesctl/cli/cli.h"
#include "sesctl/tui/keys.h"
#include "sesctl/tui/pane.h"
#include "sesctl/util/err.h"

/* A write error on stdout must not end in exit 0: `sesctl snapshot > before.json` on a full
 * disk left a truncated file and said nothing. Every byte goes through stdio, so one check
 * of the stream's error flag, the last flush and the close covers every write. */
static int close_stdout(int code)
{
	int e;

	errno = 0;
	if (fflush(stdout) != 0 || ferror(stdout))
		e = errno; /* 0: an earlier write failed, its errno is gone */
	else if (fclose(stdout) != 0)
		e = errno;
	else
		return code;
	fprintf(stderr, "sesctl: writing the output failed%s%s\n", e ? ": " : "",
		e ? strerror(e) : " (the output is incomplete)");
	return code ? code : sc_status_exit_code(SC_IO);
}

static int run(int argc, char **argv)
{
	setlocale(LC_ALL, "");
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("sesctl %s\n", SESCTL_VERSION);
		return 0;
	}
	if (argc > 2 && !strcmp(argv[1], "help") && !strcmp(argv[2], "keys")) {
		tui_print_keys(stdout, PANE_COUNT); /* the console's key reference, from REQ_INFO */
		return 0;
	}
	if (argc > 1 &&
	    (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") || !strcmp(argv[1], "help"))) {
		cli_usage(stdout);
		return 0;
	}
	return cli_main(argc - 1, argv + 1);
}

int main(int argc, char **argv)
{
	return close_stdout(run(argc, argv));
}

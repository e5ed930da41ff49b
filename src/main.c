/* sesctl: argv → a CLI verb, or the console. */
#include <locale.h>
#include <stdio.h>
#include <string.h>

#include "sesctl/cli/cli.h"
#include "sesctl/tui/keys.h"
#include "sesctl/tui/pane.h"
#include "sesctl/util/err.h"

int main(int argc, char **argv)
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

/* sesctl: argv → a CLI verb, or the console. */
#include <stdio.h>
#include <string.h>

#include "sesctl/util/err.h"

static void usage(FILE *f)
{
	fprintf(f, "usage: sesctl [global flags] [<verb> [args]]\n"
		   "       sesctl --version | --help\n");
}

int main(int argc, char **argv)
{
	if (argc > 1 && !strcmp(argv[1], "--version")) {
		printf("sesctl %s\n", SESCTL_VERSION);
		return 0;
	}
	if (argc > 1 && (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h"))) {
		usage(stdout);
		return 0;
	}
	usage(stderr);
	return sc_status_exit_code(SC_USAGE);
}

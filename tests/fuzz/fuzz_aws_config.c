/* libFuzzer target: the AWS shared config/credentials parser and the credential_process
 * command splitter on arbitrary bytes. The parser must return SC_OK or SC_CONFIG with a
 * "fuzz:LINE: " message, never crash or leak; the splitter returns an argv or SC_CONFIG.
 * Build: make fuzz-build (see the fuzz recipe in the Makefile). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/config.h"
#include "sesctl/aws/creds.h"
#include "sesctl/util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void walk(const struct aws_ini *ini)
{
	for (size_t i = 0; i < ini->n_sections; i++) {
		const struct aws_ini_section *s = &ini->sections[i];

		for (size_t j = 0; j < s->n_props; j++)
			if (!s->props[j].key[0] || !s->props[j].value)
				abort();
		if (aws_ini_section(ini, s->kind, s->name) != s)
			abort();
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct aws_ini ini;
	struct sc_error err;
	char *text;
	char **argv;

	for (int config = 0; config < 2; config++) {
		enum sc_status st =
		    aws_ini_parse((const char *)data, size, "fuzz", config, &ini, &err);

		if (st == SC_OK)
			walk(&ini);
		else if (st != SC_CONFIG || strncmp(err.message, "fuzz:", 5) != 0 || ini.n_sections)
			abort();
		aws_ini_free(&ini);
	}
	text = xstrndup((const char *)data, size);
	argv = aws_split_command(text, "cmd", &err);
	if (!argv && err.status != SC_CONFIG)
		abort();
	aws_argv_free(argv);
	free(text);
	return 0;
}

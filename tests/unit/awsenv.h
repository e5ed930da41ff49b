/*
 * Test-only helper for test_config.c, test_endpoint.c and test_creds.c: a temporary HOME
 * with AWS_CONFIG_FILE / AWS_SHARED_CREDENTIALS_FILE inside it and every AWS_* variable
 * unset, so each test starts from a clean environment. Header-only so it is linked only
 * into the tests that include it.
 */
#ifndef SESCTL_TESTS_AWSENV_H
#define SESCTL_TESTS_AWSENV_H

#include <ftw.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

extern char **environ;

struct awsenv {
	char home[64];
	char config[128];
	char credentials[128];
};

#define AWSENV_UNUSED __attribute__((unused))

static AWSENV_UNUSED void awsenv_clear_aws_vars(void)
{
	char name[256];

	for (;;) {
		char **e = environ;
		int found = 0;

		for (; e && *e; e++) {
			const char *eq = strchr(*e, '=');
			size_t n = eq ? (size_t)(eq - *e) : strlen(*e);

			if (strncmp(*e, "AWS_", 4) != 0 || n >= sizeof(name))
				continue;
			memcpy(name, *e, n);
			name[n] = '\0';
			unsetenv(name);
			found = 1;
			break;
		}
		if (!found)
			return;
	}
}

static AWSENV_UNUSED void awsenv_setup(struct awsenv *a)
{
	awsenv_clear_aws_vars();
	strcpy(a->home, "/tmp/sesctl-aws-XXXXXX");
	if (!mkdtemp(a->home))
		abort();
	snprintf(a->config, sizeof(a->config), "%s/config", a->home);
	snprintf(a->credentials, sizeof(a->credentials), "%s/credentials", a->home);
	setenv("HOME", a->home, 1);
	setenv("AWS_CONFIG_FILE", a->config, 1);
	setenv("AWS_SHARED_CREDENTIALS_FILE", a->credentials, 1);
}

static AWSENV_UNUSED int awsenv_rm(const char *path, const struct stat *st, int flag,
                                   struct FTW *ftw)
{
	(void)st;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static AWSENV_UNUSED void awsenv_teardown(struct awsenv *a)
{
	nftw(a->home, awsenv_rm, 16, FTW_DEPTH | FTW_PHYS);
	awsenv_clear_aws_vars();
}

/* Write text to path (mode 0600); aborts on failure. */
static AWSENV_UNUSED void awsenv_write(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");

	if (!f || fputs(text, f) < 0 || fclose(f) != 0)
		abort();
	chmod(path, 0600);
}

/* Write an executable script into HOME; path receives its full name. */
static AWSENV_UNUSED void awsenv_script(const struct awsenv *a, const char *name, const char *text,
                                        char *path, size_t len)
{
	snprintf(path, len, "%s/%s", a->home, name);
	awsenv_write(path, text);
	chmod(path, 0700);
}

#endif

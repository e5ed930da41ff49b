/* [fleet] sections (core/settings) and the cells they make (core/fleet): globs over the
 * AWS profiles in glob order, the fleet's regions or each profile's own, no cell twice,
 * every profile when there is no section, and the errors that name what is wrong; and the
 * per-account reader's lock across processes. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/core/fleet.h"
#include "sesctl/core/settings.h"

static char *profiles[] = {"default", "prod-eu", "prod-us", "staging", "cust-acme", "cust-globex",
			   "sandbox"};
#define NP (sizeof(profiles) / sizeof(profiles[0]))

static const char *own_region(void *ud, const char *profile)
{
	(void)ud;
	if (!strcmp(profile, "prod-us"))
		return "us-east-1";
	if (!strcmp(profile, "sandbox"))
		return NULL;
	return "eu-west-1";
}

static void parse(const char *text, struct settings *s)
{
	struct sc_error err;

	assert_int_equal(settings_parse(text, strlen(text), "cfg", s, &err), SC_OK);
}

static void t_sections(void **state)
{
	struct settings s;
	const struct settings_fleet *f;
	struct sc_error err;

	(void)state;
	parse("[fleet]\nprofiles = prod-*, staging\nregions = eu-west-1, us-east-1\n"
	      "[fleet emea]\nprofiles = *-eu\nregions = active\n[global]\ntheme = light\n", &s);
	assert_int_equal(s.n_fleets, 2);
	f = settings_fleet(&s, NULL);
	assert_non_null(f);
	assert_int_equal(f->n_profiles, 2);
	assert_string_equal(f->profiles[1], "staging");
	assert_int_equal(f->n_regions, 2);
	assert_false(f->active);
	f = settings_fleet(&s, "emea");
	assert_true(f->active);
	assert_int_equal(f->n_regions, 0);
	assert_null(settings_fleet(&s, "apac"));
	settings_free(&s);
	assert_int_equal(settings_parse("[fleet]\nprofile = x\n", 21, "f.conf", &s, &err), SC_CONFIG);
	assert_non_null(strstr(err.message, "f.conf:2: unknown fleet setting 'profile'"));
}

static void t_cells(void **state)
{
	struct settings s;
	struct fleet f;
	struct sc_error err;

	(void)state;
	parse("[fleet]\nprofiles = prod-*, staging, prod-eu\nregions = eu-west-1, us-east-1\n", &s);
	assert_int_equal(fleet_cells(&s, NULL, profiles, NP, own_region, NULL, &f, &err), SC_OK);
	assert_int_equal(f.n, 6);            /* prod-eu twice in the globs: once in the fleet */
	assert_string_equal(f.cells[0].profile, "prod-eu");
	assert_string_equal(f.cells[0].region, "eu-west-1");
	assert_string_equal(f.cells[1].region, "us-east-1");
	assert_string_equal(f.cells[2].profile, "prod-us");
	assert_string_equal(f.cells[4].profile, "staging");
	assert_false(f.active);
	fleet_free(&f);
	settings_free(&s);

	/* no regions: each profile's own (none is NULL) */
	parse("[fleet cust]\nprofiles = cust-*, sandbox\n", &s);
	assert_int_equal(fleet_cells(&s, "cust", profiles, NP, own_region, NULL, &f, &err), SC_OK);
	assert_int_equal(f.n, 3);
	assert_string_equal(f.cells[1].profile, "cust-globex");
	assert_string_equal(f.cells[1].region, "eu-west-1");
	assert_null(f.cells[2].region);
	fleet_free(&f);
	assert_int_equal(fleet_cells(&s, "apac", profiles, NP, own_region, NULL, &f, &err),
			 SC_NOT_FOUND);
	assert_non_null(strstr(err.message, "no [fleet apac] section"));
	settings_free(&s);

	/* no section: every profile with its region */
	parse("[global]\ntheme = light\n", &s);
	assert_int_equal(fleet_cells(&s, NULL, profiles, NP, own_region, NULL, &f, &err), SC_OK);
	assert_int_equal(f.n, NP);
	assert_string_equal(f.cells[2].region, "us-east-1");
	fleet_free(&f);
	assert_int_equal(fleet_cells(&s, NULL, NULL, 0, own_region, NULL, &f, &err), SC_USAGE);
	settings_free(&s);

	/* globs that match nothing */
	parse("[fleet]\nprofiles = nothing-*\n", &s);
	assert_int_equal(fleet_cells(&s, "", profiles, NP, own_region, NULL, &f, &err), SC_USAGE);
	assert_string_equal(err.message, "[fleet] matches no AWS profile: nothing-*");
	assert_int_equal(f.n, 0);
	settings_free(&s);
}

/* The reader's lock: a second process waits for the same account and region until the
 * first lets go, and does not wait for another. No clock: a wait that should not happen
 * would hang the test, a wait that should happen is seen by the order of events. */
static pid_t locker(const char *file, const char *account, const char *region, int out)
{
	pid_t pid = fork();

	assert_true(pid >= 0);
	if (pid == 0) {
		int fd = fleet_lock_account(file, account, region, NULL);

		_exit(fd >= 0 && write(out, "x", 1) == 1 ? 0 : 1);
	}
	return pid;
}

static void t_lock(void **state)
{
	char dir[] = "/tmp/sesctl-lock-XXXXXX", file[64], locks[80], c;
	struct pollfd pfd;
	int p[2], fd, status;
	pid_t same, other;

	(void)state;
	assert_non_null(mkdtemp(dir));
	snprintf(file, sizeof(file), "%s/cache.sqlite3", dir);
	snprintf(locks, sizeof(locks), "%s.locks", file);
	assert_int_equal(pipe(p), 0);
	fd = fleet_lock_account(file, "200000000001", "eu-west-1", NULL);
	assert_true(fd >= 0);
	other = locker(file, "200000000002", "eu-west-1", p[1]);
	assert_int_equal(read(p[0], &c, 1), 1); /* another account: not held up */
	waitpid(other, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	same = locker(file, "200000000001", "eu-west-1", p[1]);
	usleep(100 * 1000);
	pfd.fd = p[0];
	pfd.events = POLLIN;
	assert_int_equal(poll(&pfd, 1, 0), 0); /* still waiting for us */
	fleet_unlock(fd);
	assert_int_equal(read(p[0], &c, 1), 1); /* and in once we let go */
	waitpid(same, &status, 0);
	assert_int_equal(WEXITSTATUS(status), 0);
	close(p[0]);
	close(p[1]);
	unlink(locks);
	rmdir(dir);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(t_sections),
		cmocka_unit_test(t_cells),
		cmocka_unit_test(t_lock),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

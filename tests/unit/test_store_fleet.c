/* store/fleet over a real sqlite cache: a cell summary round-trips with its unknowns
 * (-1, NAN) kept unknown; a cell's error is kept until a read works and the account it
 * reached stays known through a failure; find by exact name and by everything under a
 * domain, across accounts and regions, by labels and not characters ("us.example" is no
 * parent of "prod-us.example"), bounded by max; rows an older sesctl cached without a
 * reversed name are indexed on find's first call; identity counts per status. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <math.h>
#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/ses/model.h"
#include "sesctl/store/db.h"
#include "sesctl/store/fleet.h"
#include "sesctl/store/identities.h"

struct fx {
	char dir[64], path[128];
	struct cache *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-fleet-XXXXXX");
	assert_non_null(mkdtemp(f->dir));
	snprintf(f->path, sizeof(f->path), "%s/cache.sqlite3", f->dir);
	assert_int_equal(cache_open(f->path, &f->c, NULL, &err), SC_OK);
	*state = f;
	return 0;
}

static int teardown(void **state)
{
	struct fx *f = *state;
	char p[200];

	cache_close(f->c);
	for (const char *sfx = ""; sfx; sfx = !*sfx ? "-wal" : !strcmp(sfx, "-wal") ? "-shm"
					   : !strcmp(sfx, "-shm") ? ".lock"
					   : !strcmp(sfx, ".lock") ? ".users" : NULL) {
		snprintf(p, sizeof(p), "%s%s", f->path, sfx);
		unlink(p);
	}
	rmdir(f->dir);
	free(f);
	return 0;
}

static void t_summary(void **state)
{
	struct fx *f = *state;
	struct cache_cell_summary s = {0}, got;
	struct sc_error err;

	s.account_id = "200000000001";
	s.region = "eu-west-1";
	s.computed = 1795478400;
	s.data_time = 1795478300;
	s.enforcement = "PROBATION";
	s.sending_enabled = 0;
	s.production = -1;
	s.max24 = 50000;
	s.sent24 = -1;
	s.bounce_rate = 0.0625;
	s.complaint_rate = NAN;
	s.config_sets = 4;
	s.paused_config_sets = 1;
	s.tenants = s.paused_tenants = -1;
	s.identities = 10000;
	s.pending = 3;
	s.failed = 2;
	s.feedback_nowhere = -1;
	s.paused_by = "alice";
	s.paused_at = 1795478000;
	s.paused_reason = "INC-1 \"bounces\"";
	assert_int_equal(cache_get_cell_summary(f->c, "200000000001", "eu-west-1", &got, &err),
			 SC_NOT_FOUND);
	assert_int_equal(cache_put_cell_summary(f->c, &s, &err), SC_OK);
	assert_int_equal(cache_get_cell_summary(f->c, "200000000001", "eu-west-1", &got, &err),
			 SC_OK);
	assert_int_equal(got.computed, s.computed);
	assert_int_equal(got.data_time, s.data_time);
	assert_string_equal(got.enforcement, "PROBATION");
	assert_int_equal(got.sending_enabled, 0);
	assert_int_equal(got.production, -1);
	assert_true(got.max24 == 50000 && got.sent24 == -1);
	assert_true(got.bounce_rate == 0.0625);
	assert_true(isnan(got.complaint_rate));
	assert_int_equal(got.paused_config_sets, 1);
	assert_int_equal(got.tenants, -1);
	assert_int_equal(got.identities, 10000);
	assert_int_equal(got.feedback_nowhere, -1);
	assert_string_equal(got.paused_reason, "INC-1 \"bounces\"");
	assert_string_equal(got.account_id, "200000000001");
	cache_cell_summary_free(&got);
	s.region = NULL;
	assert_int_equal(cache_put_cell_summary(f->c, &s, &err), SC_USAGE);
}

static void t_cells(void **state)
{
	struct fx *f = *state;
	struct cache_cell *v = NULL;
	struct sc_error err;
	size_t n = 0;

	assert_int_equal(cache_put_cell(f->c, "prod", "eu-west-1", "200000000001", NULL, 100, &err),
			 SC_OK);
	/* a failure before the account was learned keeps the one known */
	assert_int_equal(cache_put_cell(f->c, "prod", "eu-west-1", NULL, "ExpiredToken", 200, &err),
			 SC_OK);
	assert_int_equal(cache_put_cell(f->c, "cust", "us-east-1", NULL, "AccessDenied", 300, &err),
			 SC_OK);
	assert_int_equal(cache_get_cells(f->c, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].profile, "cust");
	assert_null(v[0].account_id);
	assert_string_equal(v[1].account_id, "200000000001");
	assert_int_equal(v[1].read_at, 100);
	assert_string_equal(v[1].error, "ExpiredToken");
	assert_int_equal(v[1].error_at, 200);
	cache_cells_free(v, n);
	assert_int_equal(cache_put_cell(f->c, "prod", "eu-west-1", NULL, NULL, 400, &err), SC_OK);
	assert_int_equal(cache_get_cells(f->c, &v, &n, &err), SC_OK);
	assert_null(v[1].error);
	assert_int_equal(v[1].read_at, 400);
	assert_string_equal(v[1].account_id, "200000000001");
	cache_cells_free(v, n);
	assert_int_equal(cache_put_cell(f->c, "", "eu-west-1", NULL, NULL, 1, &err), SC_USAGE);
}

static void put(struct cache *c, const char *account, const char *region, const char *name,
		const char *status)
{
	struct ses_identity x = {0};
	struct sc_error err;

	x.name = (char *)name;
	x.type = (char *)(strchr(name, '@') ? "EMAIL_ADDRESS" : "DOMAIN");
	x.verification_status = (char *)status;
	assert_int_equal(cache_put_identity(c, account, region, &x, &err), SC_OK);
}

static void seed(struct cache *c)
{
	put(c, "200000000001", "eu-west-1", "prod-us.example", "SUCCESS");
	put(c, "200000000001", "us-east-1", "prod-us.example", "SUCCESS");
	put(c, "200000000001", "eu-west-1", "mail.prod-us.example", "PENDING");
	put(c, "200000000002", "eu-west-1", "ops@prod-us.example", "SUCCESS");
	put(c, "200000000002", "eu-west-1", "a@b.prod-us.example", "FAILED");
	put(c, "200000000002", "eu-west-1", "us.example", "SUCCESS");
	put(c, "200000000002", "eu-west-1", "prod-us.example.org", "SUCCESS");
}

static char *names(const struct cache_found *v, size_t n)
{
	static char out[1024];

	out[0] = '\0';
	for (size_t i = 0; i < n; i++)
		snprintf(out + strlen(out), sizeof(out) - strlen(out), "%s%s/%s/%s", i ? " " : "",
			 v[i].name, v[i].account_id + 10, v[i].region);
	return out;
}

static void t_find(void **state)
{
	struct fx *f = *state;
	struct cache_found *v = NULL;
	struct sc_error err;
	size_t n = 0;

	seed(f->c);
	assert_int_equal(cache_find_identities(f->c, "prod-us.example", false, 0, &v, &n, &err),
			 SC_OK);
	assert_string_equal(names(v, n), "prod-us.example/01/eu-west-1 prod-us.example/01/us-east-1");
	cache_found_free(v, n);
	assert_int_equal(cache_find_identities(f->c, "prod-us.example", true, 0, &v, &n, &err),
			 SC_OK);
	assert_string_equal(names(v, n),
			    "a@b.prod-us.example/02/eu-west-1 mail.prod-us.example/01/eu-west-1 "
			    "ops@prod-us.example/02/eu-west-1 prod-us.example/01/eu-west-1 "
			    "prod-us.example/01/us-east-1");
	assert_string_equal(v[0].verification_status, "FAILED");
	cache_found_free(v, n);
	/* labels, not characters: us.example is no parent of prod-us.example */
	assert_int_equal(cache_find_identities(f->c, "us.example", true, 0, &v, &n, &err), SC_OK);
	assert_string_equal(names(v, n), "us.example/02/eu-west-1");
	cache_found_free(v, n);
	assert_int_equal(cache_find_identities(f->c, "ops@prod-us.example", true, 0, &v, &n, &err),
			 SC_OK);
	assert_int_equal(n, 1);
	cache_found_free(v, n);
	assert_int_equal(cache_find_identities(f->c, "prod-us.example", true, 2, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	cache_found_free(v, n);
	assert_int_equal(cache_find_identities(f->c, "", true, 0, &v, &n, &err), SC_USAGE);
}

/* A cache an older sesctl wrote has no reversed names: the first find gives them. */
static void t_find_indexes_old_rows(void **state)
{
	struct fx *f = *state;
	struct cache_found *v = NULL;
	struct sc_error err;
	sqlite3 *db;
	size_t n = 0;

	seed(f->c);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	assert_int_equal(sqlite3_exec(db, "UPDATE identities SET rname = NULL", NULL, NULL, NULL),
			 SQLITE_OK);
	sqlite3_close(db);
	assert_int_equal(cache_find_identities(f->c, "prod-us.example", true, 0, &v, &n, &err),
			 SC_OK);
	assert_int_equal(n, 5);
	cache_found_free(v, n);
	assert_int_equal(sqlite3_open(f->path, &db), SQLITE_OK);
	{
		sqlite3_stmt *st;

		assert_int_equal(sqlite3_prepare_v2(db, "SELECT count(*) FROM identities WHERE rname "
							"IS NULL", -1, &st, NULL), SQLITE_OK);
		assert_int_equal(sqlite3_step(st), SQLITE_ROW);
		assert_int_equal(sqlite3_column_int(st, 0), 0);
		sqlite3_finalize(st);
	}
	sqlite3_close(db);
}

static void t_counts(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	long total, pending, failed;

	seed(f->c);
	assert_int_equal(cache_count_identities(f->c, "200000000002", "eu-west-1", &total, &pending,
						&failed, &err), SC_OK);
	assert_int_equal(total, 4);
	assert_int_equal(pending, 0);
	assert_int_equal(failed, 1);
	assert_int_equal(cache_count_identities(f->c, "200000000009", "eu-west-1", &total, &pending,
						&failed, &err), SC_OK);
	assert_int_equal(total, 0);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(t_summary, setup, teardown),
		cmocka_unit_test_setup_teardown(t_cells, setup, teardown),
		cmocka_unit_test_setup_teardown(t_find, setup, teardown),
		cmocka_unit_test_setup_teardown(t_find_indexes_old_rows, setup, teardown),
		cmocka_unit_test_setup_teardown(t_counts, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

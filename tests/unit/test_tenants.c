/* store/tenants and core/tenants over a real sqlite cache: a listing replaced with its
 * resources and read back (sorted, with open findings counted), a status log that logs
 * changes once and outlives the listing, the header's counts, recommendations filtered by
 * tenant, identity and status, the tenants of a resource, the words for each state (an AWS
 * pause wins over any customer status), and RESOURCE names turned into ARNs. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/tenants.h"
#include "sesctl/store/db.h"
#include "sesctl/store/tenants.h"
#include "sesctl/util/buf.h"

#define ACCT "123456789012"
#define REGION "eu-west-1"
#define ARN(n) "arn:aws:ses:eu-west-1:" ACCT ":tenant/" n "/t-" n
#define ID_ARN(n) "arn:aws:ses:eu-west-1:" ACCT ":identity/" n
#define T0 1795478400

struct fx {
	char dir[64], path[128];
	struct cache *c;
};

static int setup(void **state)
{
	struct fx *f = calloc(1, sizeof(*f));
	struct sc_error err;

	snprintf(f->dir, sizeof(f->dir), "/tmp/sesctl-tenants-XXXXXX");
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

/* A tenant as a read would hand it over (strings borrowed: only the store copies them). */
static struct cache_tenant tenant(const char *name, const char *arn, const char *cust,
				  const char *cust_cause, const char *aws, const char *aws_cause,
				  time_t updated)
{
	struct cache_tenant t = {0};

	t.t.name = (char *)name;
	t.t.arn = (char *)arn;
	t.t.id = (char *)"id";
	t.rep.reference = (char *)arn;
	t.rep.type = (char *)"RESOURCE";
	t.rep.policy = (char *)"arn:aws:ses:eu-west-1:aws:reputation-policy/standard";
	t.rep.customer.status = (char *)cust;
	t.rep.customer.cause = (char *)cust_cause;
	t.rep.customer.updated = updated;
	t.rep.aws.status = (char *)aws;
	t.rep.aws.cause = (char *)aws_cause;
	t.rep.aws.updated = updated;
	t.fetched = T0;
	return t;
}

static void test_replace_read_back_and_counts(void **state)
{
	struct fx *f = *state;
	struct ses_tenant_resource res[] = {
		{(char *)"EMAIL_IDENTITY", (char *)ID_ARN("acme.example")},
		{(char *)"CONFIGURATION_SET", (char *)"arn:aws:ses:eu-west-1:" ACCT
						     ":configuration-set/acme-tx"},
	};
	struct cache_tenant in[3] = {
		tenant("umbrella", ARN("umbrella"), "ENABLED", NULL, "DISABLED", "bounce finding",
		       T0 - 60),
		tenant("acme", ARN("acme"), "ENABLED", NULL, "ENABLED", NULL, T0 - 60),
		tenant("hooli", ARN("hooli"), "DISABLED", "INC-1", "ENABLED", NULL, T0 - 30),
	};
	struct ses_recommendation recs[] = {
		{(char *)ARN("umbrella"), (char *)"BOUNCE", (char *)"bounces", (char *)"OPEN",
		 (char *)"HIGH", T0, T0},
		{(char *)ARN("umbrella"), (char *)"COMPLAINT", (char *)"c", (char *)"FIXED",
		 (char *)"LOW", T0, T0},
		{(char *)ID_ARN("acme.example"), (char *)"DMARC", (char *)"no dmarc", (char *)"OPEN",
		 (char *)"LOW", T0, T0},
	};
	struct cache_tenant *v = NULL, one = {0};
	struct cache_tenant_counts counts;
	struct sc_error err;
	char **names = NULL;
	size_t n = 0, nn = 0;

	in[1].res = res;
	in[1].n_res = 2;
	assert_int_equal(cache_put_recommendations_replace(f->c, ACCT, REGION, recs, 3, T0, &err),
			 SC_OK);
	assert_int_equal(cache_put_tenants_replace(f->c, ACCT, REGION, in, 3, T0, &err), SC_OK);
	assert_int_equal(cache_get_tenants(f->c, ACCT, REGION, &v, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].t.name, "acme"); /* sorted by name */
	assert_int_equal(v[0].n_res, 2);
	assert_string_equal(v[0].res[1].arn, ID_ARN("acme.example")); /* by type, then ARN */
	assert_string_equal(v[2].t.name, "umbrella");
	assert_int_equal(v[2].open_findings, 1); /* the FIXED one is not open */
	assert_true(v[2].high_finding);
	assert_int_equal(v[0].open_findings, 0); /* an identity's finding is not the tenant's */
	assert_int_equal(tenant_state_of(&v[2]), TENANT_AWS_PAUSED);
	assert_string_equal(tenant_state_cause(&v[2]), "bounce finding");
	assert_int_equal(tenant_state_of(&v[1]), TENANT_PAUSED);
	assert_string_equal(tenant_state_word(tenant_state_of(&v[1])), "paused");
	assert_int_equal(tenant_state_of(&v[0]), TENANT_SENDING);
	cache_tenants_free(v, n);

	assert_int_equal(cache_count_tenants(f->c, ACCT, REGION, &counts, &err), SC_OK);
	assert_int_equal(counts.total, 3);
	assert_int_equal(counts.paused, 2);
	assert_int_equal(counts.aws_paused, 1);

	assert_int_equal(cache_get_tenant(f->c, ACCT, REGION, "ACME", &one, &err), SC_OK);
	assert_string_equal(one.t.name, "acme");
	assert_int_equal(one.n_res, 2);
	cache_tenant_free(&one);
	assert_int_equal(cache_get_tenant(f->c, ACCT, REGION, "nobody", &one, &err), SC_NOT_FOUND);

	assert_int_equal(cache_resource_tenants(f->c, ACCT, REGION, ID_ARN("acme.example"), &names,
						&nn, &err), SC_OK);
	assert_int_equal(nn, 1);
	assert_string_equal(names[0], "acme");
	cache_names_free(names, nn);

	/* a listing without acme drops it and its resources */
	assert_int_equal(cache_put_tenants_replace(f->c, ACCT, REGION, &in[0], 1, T0 + 10, &err),
			 SC_OK);
	assert_int_equal(cache_resource_tenants(f->c, ACCT, REGION, ID_ARN("acme.example"), &names,
						&nn, &err), SC_OK);
	assert_int_equal(nn, 0);
	cache_names_free(names, nn);
}

static void test_status_log(void **state)
{
	struct fx *f = *state;
	struct cache_tenant t = tenant("hooli", ARN("hooli"), "ENABLED", NULL, "ENABLED", NULL,
				       T0);
	struct cache_tenant_change *v = NULL;
	struct sc_error err;
	size_t n = 0;

	/* a first sighting of a plain ENABLED logs nothing */
	assert_int_equal(cache_put_tenant(f->c, ACCT, REGION, &t, &err), SC_OK);
	assert_int_equal(cache_get_tenant_changes(f->c, ACCT, REGION, "hooli", 0, &v, &n, &err),
			 SC_OK);
	assert_int_equal(n, 0);
	cache_tenant_changes_free(v, n);
	/* paused, read twice: one line */
	t.rep.customer.status = (char *)"DISABLED";
	t.rep.customer.cause = (char *)"INC-7";
	t.rep.customer.updated = T0 + 100;
	assert_int_equal(cache_put_tenant(f->c, ACCT, REGION, &t, &err), SC_OK);
	assert_int_equal(cache_put_tenant(f->c, ACCT, REGION, &t, &err), SC_OK);
	/* resumed */
	t.rep.customer.status = (char *)"ENABLED";
	t.rep.customer.cause = NULL;
	t.rep.customer.updated = T0 + 200;
	assert_int_equal(cache_put_tenant(f->c, ACCT, REGION, &t, &err), SC_OK);
	/* the tenant is deleted: its log stays */
	assert_int_equal(cache_delete_tenant(f->c, ACCT, REGION, "hooli", &err), SC_OK);
	assert_int_equal(cache_get_tenant_changes(f->c, ACCT, REGION, "hooli", 0, &v, &n, &err),
			 SC_OK);
	assert_int_equal(n, 2);
	assert_int_equal(v[0].time, T0 + 200); /* newest first */
	assert_string_equal(v[0].status, "ENABLED");
	assert_string_equal(v[0].which, "customer");
	assert_string_equal(v[1].status, "DISABLED");
	assert_string_equal(v[1].cause, "INC-7");
	cache_tenant_changes_free(v, n);
}

static void test_recommendation_queries(void **state)
{
	struct fx *f = *state;
	struct ses_recommendation recs[] = {
		{(char *)ID_ARN("shop.example"), (char *)"DKIM", (char *)"DKIM1", (char *)"FIXED",
		 (char *)"HIGH", T0, T0 + 1},
		{(char *)ID_ARN("shop.example"), (char *)"DMARC", (char *)"none", (char *)"OPEN",
		 (char *)"LOW", T0, T0},
		{(char *)ID_ARN("myshop.example"), (char *)"SPF", (char *)"spf", (char *)"OPEN",
		 (char *)"HIGH", T0, T0},
		{(char *)ARN("acme"), (char *)"BOUNCE", (char *)"b", (char *)"OPEN", (char *)"HIGH",
		 T0, T0 + 5},
	};
	struct cache_rec_query q = {.identity = "shop.example"};
	struct ses_recommendation *v = NULL;
	struct sc_error err;
	size_t n = 0;

	assert_int_equal(cache_put_recommendations_replace(f->c, ACCT, REGION, recs, 4, T0, &err),
			 SC_OK);
	/* the identity's, exactly: not myshop.example; open first */
	assert_int_equal(cache_get_recommendations(f->c, ACCT, REGION, &q, &v, &n, &err), SC_OK);
	assert_int_equal(n, 2);
	assert_string_equal(v[0].type, "DMARC");
	assert_string_equal(v[1].type, "DKIM");
	ses_recommendations_free(v, n);
	/* any case for status; open HIGH first */
	q = (struct cache_rec_query){.status = "open"};
	assert_int_equal(cache_get_recommendations(f->c, ACCT, REGION, &q, &v, &n, &err), SC_OK);
	assert_int_equal(n, 3);
	assert_string_equal(v[0].type, "BOUNCE"); /* HIGH, newest */
	assert_string_equal(v[1].type, "SPF");
	assert_string_equal(v[2].type, "DMARC");
	ses_recommendations_free(v, n);
	q = (struct cache_rec_query){.resource_arn = ARN("acme"), .type = "bounce"};
	assert_int_equal(cache_get_recommendations(f->c, ACCT, REGION, &q, &v, &n, &err), SC_OK);
	assert_int_equal(n, 1);
	ses_recommendations_free(v, n);
}

static void test_states_and_words(void **state)
{
	struct cache_tenant t = tenant("x", ARN("x"), "REINSTATED", "override", "DISABLED",
				       "HIGH bounce", T0);

	(void)state;
	/* AWS's pause wins over a reinstatement */
	assert_int_equal(tenant_state_of(&t), TENANT_AWS_PAUSED);
	assert_string_equal(tenant_state_word(TENANT_AWS_PAUSED), "paused by AWS");
	t.rep.aws.status = (char *)"ENABLED";
	assert_int_equal(tenant_state_of(&t), TENANT_REINSTATED);
	assert_string_equal(tenant_state_cause(&t), "override");
	t.rep.customer.status = (char *)"ENABLED";
	assert_int_equal(tenant_state_of(&t), TENANT_SENDING);
	assert_null(tenant_state_cause(&t));
	/* no entity read: the tenant's own SendingStatus */
	memset(&t.rep, 0, sizeof(t.rep));
	t.t.sending_status = (char *)"DISABLED";
	assert_int_equal(tenant_state_of(&t), TENANT_PAUSED);
	assert_string_equal(tenant_resource_word("CONFIGURATION_SET"), "config-set");
	assert_string_equal(tenant_resource_name(ID_ARN("a@b.example")), "a@b.example");
	{
		char name[8] = "";

		assert_true(tenant_name_of_arn(ARN("acme"), name, sizeof(name)));
		assert_string_equal(name, "acme");
		assert_true(tenant_name_of_arn(ARN("umbrella-co"), name, sizeof(name)));
		assert_string_equal(name, "umbrell"); /* cut to the buffer */
		assert_false(tenant_name_of_arn(ID_ARN("acme"), name, sizeof(name)));
	}
	assert_string_equal(ses_policy_word("arn:aws:ses:eu-west-1:aws:reputation-policy/strict"),
			    "strict");
}

static void test_resource_names(void **state)
{
	struct fx *f = *state;
	struct sc_error err;
	const char *type;
	char *arn, prefix[128];

	tenant_arn_prefix(prefix, sizeof(prefix), ACCT, "cn-north-1");
	assert_string_equal(prefix, "arn:aws-cn:ses:cn-north-1:" ACCT);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION, "shop.example", &arn, &type, &err),
			 SC_OK);
	assert_string_equal(arn, ID_ARN("shop.example"));
	assert_string_equal(type, "EMAIL_IDENTITY");
	free(arn);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION, "welcome", &arn, &type, &err),
			 SC_OK);
	assert_string_equal(arn, "arn:aws:ses:eu-west-1:" ACCT ":template/welcome");
	free(arn);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION, "config-set:tx", &arn, &type,
					     &err), SC_OK);
	assert_string_equal(arn, "arn:aws:ses:eu-west-1:" ACCT ":configuration-set/tx");
	assert_string_equal(type, "CONFIGURATION_SET");
	free(arn);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION,
					     "arn:aws:ses:eu-west-1:" ACCT ":template/w", &arn,
					     &type, &err), SC_OK);
	assert_string_equal(type, "EMAIL_TEMPLATE");
	free(arn);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION, "arn:aws:sns:eu-west-1:1:t", &arn,
					     &type, &err), SC_USAGE);
	assert_null(arn);
	assert_int_equal(tenant_resource_arn(f->c, ACCT, REGION, "identity:", &arn, &type, &err),
			 SC_USAGE);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test_setup_teardown(test_replace_read_back_and_counts, setup, teardown),
		cmocka_unit_test_setup_teardown(test_status_log, setup, teardown),
		cmocka_unit_test_setup_teardown(test_recommendation_queries, setup, teardown),
		cmocka_unit_test(test_states_and_words),
		cmocka_unit_test_setup_teardown(test_resource_names, setup, teardown),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

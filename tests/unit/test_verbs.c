/* The verb table's policy, enforced in one place: read-only refuses every mutation (and
 * audits the refusal), --offline refuses every online verb, arguments are checked. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/core/core.h"
#include "sesctl/core/verbs.h"
#include "sesctl/store/audit.h"

static char dir[] = "/tmp/sesctl-verbs-XXXXXX";
static char cache_file[256];
static char audit_file[256];

static void core_for_test(struct core *core, bool read_only, bool offline)
{
	memset(core, 0, sizeof(*core));
	core->opt.cache_path = cache_file;
	core->opt.audit_path = audit_file;
	core->opt.offline = offline;
	core->read_only = read_only;
	snprintf(core->read_only_why, sizeof(core->read_only_why), "read-only profile 'oncall'");
	core->profile = strdup("oncall");
	core->region = strdup("eu-west-1");
}

/* Fill positional args so argument parsing is not what refuses. */
static void args_for(const struct verb *v, struct verb_args *a, char **storage)
{
	memset(a, 0, sizeof(*a));
	a->argv = storage;
	for (int i = 0; i < v->min_args; i++)
		a->argv[a->argc++] = "x.example";
}

static void test_read_only_refuses_every_mutation(void **state)
{
	size_t mutating = 0, refused_audited = 0;
	struct audit_entry *entries = NULL;
	struct core core;
	size_t n = 0;

	(void)state;
	core_for_test(&core, true, false);
	for (const struct verb *v = verb_table; v->name; v++) {
		char *storage[8], *cmd[] = {"verb"};
		struct verb_result res;
		struct verb_args a;
		struct sc_error err;

		if (!(v->flags & VF_MUTATES))
			continue;
		mutating++;
		args_for(v, &a, storage);
		sc_error_clear(&err);
		assert_int_equal(verb_run(&core, v, &a, 1, cmd, NULL, NULL, &res, &err), SC_REFUSED);
		if (!strstr(err.message, "read-only profile 'oncall'"))
			fail_msg("%s: refusal does not say why: %s", v->name, err.message);
		verb_result_free(&res);
	}
	assert_true(mutating >= 5);
	struct audit_trail *trail;
	assert_int_equal(core_audit(&core, &trail, NULL), SC_OK);
	assert_int_equal(audit_list(trail, NULL, 0, &entries, &n, NULL), SC_OK);
	for (size_t i = 0; i < n; i++)
		refused_audited += entries[i].result == AUDIT_RESULT_REFUSED;
	assert_int_equal(refused_audited, mutating);
	audit_entries_free(entries, n);
	core_free(&core);
}

static void test_offline_refuses_online_verbs(void **state)
{
	struct core core;
	size_t online = 0;

	(void)state;
	core_for_test(&core, false, true);
	for (const struct verb *v = verb_table; v->name; v++) {
		char *storage[8], *cmd[] = {"verb"};
		struct verb_result res;
		struct verb_args a;
		struct sc_error err;

		if (!(v->flags & VF_ONLINE))
			continue;
		online++;
		args_for(v, &a, storage);
		assert_int_equal(verb_run(&core, v, &a, 1, cmd, NULL, NULL, &res, &err), SC_REFUSED);
		assert_non_null(strstr(err.message, "--offline"));
		verb_result_free(&res);
	}
	assert_true(online >= 3);
	core_free(&core);
}

static void test_find_and_parse(void **state)
{
	char *argv[] = {"identity", "create", "a.example", "--key-length", "1024", "--selector=s1"};
	char *bad[] = {"identity", "create", "a.example", "--nope"};
	struct verb_args a;
	struct sc_error err;
	const struct verb *v;
	int used = 0;

	(void)state;
	v = verb_find(6, argv, &used);
	assert_non_null(v);
	assert_string_equal(v->name, "identity create");
	assert_int_equal(used, 2);
	assert_int_equal(verb_parse_args(v, 4, argv + 2, &a, &err), SC_OK);
	assert_int_equal(a.argc, 1);
	assert_string_equal(verb_opt(&a, "key-length"), "1024");
	assert_string_equal(verb_opt(&a, "selector"), "s1");
	assert_false(verb_flag(&a, "generate-key"));
	verb_args_free(&a);
	assert_int_equal(verb_parse_args(v, 2, bad + 2, &a, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "--nope"));
	assert_int_equal(verb_parse_args(v, 0, bad + 2, &a, &err), SC_USAGE);
	assert_null(verb_find(1, (char *[]){"identityx"}, NULL));
}

static void test_every_verb_is_in_the_man_page(void **state)
{
	char path[512], line[1024], *text = NULL;
	size_t len = 0;
	FILE *f;

	(void)state;
	snprintf(path, sizeof(path), "%s/doc/sesctl.1",
		 getenv("SESCTL_ROOT") ? getenv("SESCTL_ROOT") : ".");
	f = fopen(path, "r");
	assert_non_null(f);
	while (fgets(line, sizeof(line), f)) {
		text = realloc(text, len + strlen(line) + 1);
		strcpy(text + len, line);
		len += strlen(line);
	}
	fclose(f);
	for (const struct verb *v = verb_table; v->name; v++) {
		char want[128];

		snprintf(want, sizeof(want), "\n.B %s\n", v->name);
		if (!strstr(text, want))
			fail_msg("doc/sesctl.1 lacks a '.B %s' entry under VERBS", v->name);
	}
	free(text);
}

static int setup(void **state)
{
	(void)state;
	if (!mkdtemp(dir))
		return -1;
	snprintf(cache_file, sizeof(cache_file), "%s/cache.sqlite3", dir);
	snprintf(audit_file, sizeof(audit_file), "%s/state/audit.jsonl", dir);
	return 0;
}

static int teardown(void **state)
{
	char cmd[300];

	(void)state;
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	return system(cmd) == 0 ? 0 : -1;
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_read_only_refuses_every_mutation),
		cmocka_unit_test(test_offline_refuses_online_verbs),
		cmocka_unit_test(test_find_and_parse),
		cmocka_unit_test(test_every_verb_is_in_the_man_page),
	};
	return cmocka_run_group_tests(tests, setup, teardown);
}

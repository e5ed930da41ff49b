/* SES v1 form serialisation cross-checked with botocore on random rules: every action
 * type, random field subsets, values full of reserved and non-ASCII characters.
 * tests/unit/ses_forms_botocore.py (the image's python3, botocore 1.43.11) prints each
 * case and botocore's body; sesctl must produce the same bytes. Seeded: reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/receipt_rules.h"

#define CASES 300

static const char *str_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static void rule_from_json(const cJSON *j, struct ses_rule *rule)
{
	const cJSON *recips = cJSON_GetObjectItemCaseSensitive(j, "Recipients");
	const cJSON *acts = cJSON_GetObjectItemCaseSensitive(j, "Actions"), *it, *el, *f;
	struct sc_error err;

	memset(rule, 0, sizeof(*rule));
	rule->name = xstrdup(str_of(j, "Name"));
	rule->enabled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "Enabled"));
	rule->scan_enabled = cJSON_IsTrue(cJSON_GetObjectItemCaseSensitive(j, "ScanEnabled"));
	if (str_of(j, "TlsPolicy"))
		rule->tls_policy = xstrdup(str_of(j, "TlsPolicy"));
	if (cJSON_GetArraySize(recips)) {
		rule->recipients = xcalloc((size_t)cJSON_GetArraySize(recips), sizeof(char *));
		cJSON_ArrayForEach(it, recips)
			rule->recipients[rule->n_recipients++] = xstrdup(it->valuestring);
	}
	if (!cJSON_GetArraySize(acts))
		return;
	rule->actions = xcalloc((size_t)cJSON_GetArraySize(acts), sizeof(*rule->actions));
	cJSON_ArrayForEach(it, acts) {
		struct ses_action *a = &rule->actions[rule->n_actions++];

		el = it->child; /* {"S3Action": {...}} */
		cJSON_ArrayForEach(f, el)
			if (sesv1_action_set(a, el->string, f->string, f->valuestring, &err) != SC_OK)
				fail_msg("%s", err.message);
	}
}

static void test_random_rules_match_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/ses_forms_botocore.py 20261124 %d",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".", CASES);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *j = cJSON_Parse(line);
		struct ses_rule rule;
		struct ses_request r;
		struct sc_error err;
		const char *after;

		assert_non_null(j);
		rule_from_json(cJSON_GetObjectItemCaseSensitive(j, "rule"), &rule);
		after = str_of(j, "after");
		if (sesv1_build_create_receipt_rule(&r, str_of(j, "set"), &rule, after, &err) != SC_OK)
			fail_msg("case %zu: %s", cases + 1, err.message);
		if (strcmp(buf_str(&r.body), str_of(j, "body")))
			fail_msg("case %zu differs:\n sesctl   %s\n botocore %s", cases + 1,
				 buf_str(&r.body), str_of(j, "body"));
		ses_request_free(&r);
		ses_rule_free(&rule);
		cJSON_Delete(j);
		cases++;
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(cases, CASES);
}

static void test_action_set(void **state)
{
	struct ses_action a = {0};
	struct sc_error err;
	const char *names[8];
	bool req[8];

	(void)state;
	assert_int_equal(sesv1_action_set(&a, "S3Action", "BucketName", "b", &err), SC_OK);
	assert_int_equal(a.kind, SES_ACTION_S3);
	assert_string_equal(a.bucket, "b");
	assert_int_equal(sesv1_action_set(&a, "S3Action", "BucketName", "c", &err), SC_OK);
	assert_string_equal(a.bucket, "c");
	assert_int_equal(sesv1_action_set(&a, "SNSAction", "TopicArn", "t", &err), SC_USAGE);
	assert_string_equal(err.message, "one action cannot be both S3Action and SNSAction");
	assert_int_equal(sesv1_action_set(&a, "S3Action", "Bucket", "x", &err), SC_USAGE);
	assert_string_equal(err.message, "S3Action has no field \"Bucket\"");
	assert_int_equal(sesv1_action_set(&a, "TeleportAction", "X", "x", &err), SC_USAGE);
	assert_int_equal(sesv1_action_set(&a, "S3Action", "KmsKeyArn", NULL, &err), SC_OK);
	assert_null(a.kms_key_arn);
	ses_action_free(&a);
	assert_int_equal(sesv1_action_fields(SES_ACTION_BOUNCE, names, req, 8), 5);
	assert_string_equal(names[1], "SmtpReplyCode");
	assert_true(req[1]);
	assert_false(req[0]);
	assert_null(names[5]);
	assert_int_equal(sesv1_action_fields(SES_ACTION_CONNECT, names, NULL, 2), 1);
	assert_null(names[1]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_action_set),
		cmocka_unit_test(test_random_rules_match_botocore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SESv2 request builders cross-checked with botocore's REST-JSON serialiser on random
 * inputs (reserved and non-ASCII characters in every label and string): the same method,
 * the same wire path and query byte for byte, an equal JSON body.
 * tests/unit/ses_rest_botocore.py prints each case; seeded, so reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/account.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/ses/vdm.h"

#define CASES 400

static const char *s_of(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static const cJSON *o_of(const cJSON *o, const char *key)
{
	return cJSON_GetObjectItemCaseSensitive(o, key);
}

static time_t t_of(const cJSON *o, const char *key)
{
	const cJSON *v = o_of(o, key);

	return cJSON_IsNumber(v) ? (time_t)v->valuedouble : 0;
}

static void dkim_of(const cJSON *d, struct sesv2_dkim_signing *out)
{
	memset(out, 0, sizeof(*out));
	out->selector = s_of(d, "DomainSigningSelector");
	out->private_key = s_of(d, "DomainSigningPrivateKey");
	out->next_key_length = s_of(d, "NextSigningKeyLength");
}

static enum sc_status build_batch(struct ses_request *r, const cJSON *in, struct sc_error *err)
{
	struct sesv2_metric_query q[10];
	const cJSON *it;
	size_t n = 0;

	memset(q, 0, sizeof(q));
	cJSON_ArrayForEach(it, o_of(in, "Queries")) {
		const cJSON *dims = o_of(it, "Dimensions");

		q[n].id = s_of(it, "Id");
		q[n].metric = s_of(it, "Metric");
		if (dims && dims->child) {
			q[n].dimension = dims->child->string;
			q[n].dimension_value = dims->child->valuestring;
		}
		q[n].start = t_of(it, "StartDate");
		q[n].end = t_of(it, "EndDate");
		n++;
	}
	return sesv2_build_batch_get_metric_data(r, q, n, err);
}

static enum sc_status build_details(struct ses_request *r, const cJSON *in, struct sc_error *err)
{
	const char *contacts[4];
	struct sesv2_account_details d = {0};
	const cJSON *it, *pa = o_of(in, "ProductionAccessEnabled");

	d.mail_type = s_of(in, "MailType");
	d.website_url = s_of(in, "WebsiteURL");
	d.contact_language = s_of(in, "ContactLanguage");
	d.use_case_description = s_of(in, "UseCaseDescription");
	cJSON_ArrayForEach(it, o_of(in, "AdditionalContactEmailAddresses"))
		contacts[d.n_additional_contacts++] = it->valuestring;
	d.additional_contacts = contacts;
	d.production_access = pa ? cJSON_IsTrue(pa) : -1;
	return sesv2_build_put_account_details(r, &d, err);
}

static enum sc_status build_list_suppressed(struct ses_request *r, const cJSON *in)
{
	struct sesv2_suppression_filter f = {0};
	const cJSON *it;
	const cJSON *ps = o_of(in, "PageSize");

	cJSON_ArrayForEach(it, o_of(in, "Reasons")) {
		f.bounce |= !strcmp(it->valuestring, "BOUNCE");
		f.complaint |= !strcmp(it->valuestring, "COMPLAINT");
	}
	f.start = t_of(in, "StartDate");
	f.end = t_of(in, "EndDate");
	f.next_token = s_of(in, "NextToken");
	f.page_size = ps ? (int)ps->valuedouble : 0;
	sesv2_build_list_suppressed(r, &f);
	return SC_OK;
}

static enum sc_status build_send(struct ses_request *r, const cJSON *in, struct sc_error *err)
{
	const cJSON *simple = o_of(o_of(in, "Content"), "Simple");
	struct sesv2_simple_email m = {0};

	m.from = s_of(in, "FromEmailAddress");
	m.to = cJSON_GetArrayItem(o_of(o_of(in, "Destination"), "ToAddresses"), 0)->valuestring;
	m.subject = s_of(o_of(simple, "Subject"), "Data");
	m.text = s_of(o_of(o_of(simple, "Body"), "Text"), "Data");
	m.config_set = s_of(in, "ConfigurationSetName");
	return sesv2_build_send_email(r, &m, err);
}

static enum sc_status build(const char *op, const cJSON *in, struct ses_request *r,
			    struct sc_error *err)
{
	struct sesv2_dkim_signing d;

	if (!strcmp(op, "GetEmailIdentity"))
		return sesv2_build_get_email_identity(r, s_of(in, "EmailIdentity"), err);
	if (!strcmp(op, "CreateEmailIdentity")) {
		dkim_of(o_of(in, "DkimSigningAttributes"), &d);
		return sesv2_build_create_email_identity(r, s_of(in, "EmailIdentity"), &d,
							 s_of(in, "ConfigurationSetName"), err);
	}
	if (!strcmp(op, "CreateEmailIdentityPolicy"))
		return sesv2_build_create_policy(r, s_of(in, "EmailIdentity"), s_of(in, "PolicyName"),
						 s_of(in, "Policy"), err);
	if (!strcmp(op, "PutEmailIdentityDkimSigningAttributes")) {
		dkim_of(o_of(in, "SigningAttributes"), &d);
		return sesv2_build_put_dkim_signing_attributes(r, s_of(in, "EmailIdentity"),
							       s_of(in, "SigningAttributesOrigin"),
							       &d, err);
	}
	if (!strcmp(op, "PutEmailIdentityMailFromAttributes"))
		return sesv2_build_put_mail_from_attributes(r, s_of(in, "EmailIdentity"),
							    s_of(in, "MailFromDomain"),
							    s_of(in, "BehaviorOnMxFailure"), err);
	if (!strcmp(op, "DeleteSuppressedDestination"))
		return sesv2_build_delete_suppressed(r, s_of(in, "EmailAddress"), err);
	if (!strcmp(op, "ListSuppressedDestinations"))
		return build_list_suppressed(r, in);
	if (!strcmp(op, "PutAccountDetails"))
		return build_details(r, in, err);
	if (!strcmp(op, "BatchGetMetricData"))
		return build_batch(r, in, err);
	if (!strcmp(op, "SendEmail"))
		return build_send(r, in, err);
	if (!strcmp(op, "PutConfigurationSetSendingOptions"))
		return sesv2_build_put_config_set_sending(r, s_of(in, "ConfigurationSetName"),
							  cJSON_IsTrue(o_of(in, "SendingEnabled")), err);
	return sc_fail(err, SC_USAGE, "no builder for %s", op);
}

static void check_case(size_t k, const cJSON *c)
{
	const char *op = s_of(c, "op"), *want_body = s_of(c, "body");
	struct ses_request r;
	struct sc_error err;

	if (build(op, o_of(c, "in"), &r, &err) != SC_OK)
		fail_msg("case %zu (%s): %s", k, op, err.message);
	if (strcmp(r.method, s_of(c, "method")) || strcmp(buf_str(&r.path), s_of(c, "path")) ||
	    strcmp(buf_str(&r.query), s_of(c, "query")))
		fail_msg("case %zu (%s): %s %s?%s, botocore %s %s?%s", k, op, r.method,
			 buf_str(&r.path), buf_str(&r.query), s_of(c, "method"), s_of(c, "path"),
			 s_of(c, "query"));
	if (!*want_body) {
		assert_int_equal(r.body.len, 0);
	} else {
		cJSON *mine = cJSON_Parse(buf_str(&r.body)), *theirs = cJSON_Parse(want_body);

		if (!mine || !cJSON_Compare(mine, theirs, 1))
			fail_msg("case %zu (%s) body:\n sesctl   %s\n botocore %s", k, op,
				 buf_str(&r.body), want_body);
		assert_string_equal(r.content_type, "application/json");
		cJSON_Delete(mine);
		cJSON_Delete(theirs);
	}
	ses_request_free(&r);
}

static void test_random_requests_match_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/ses_rest_botocore.py 4242 %d",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".", CASES);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *c = cJSON_Parse(line);

		assert_non_null(c);
		check_case(++cases, c);
		cJSON_Delete(c);
	}
	free(line);
	assert_int_equal(pclose(p), 0);
	assert_int_equal(cases, CASES);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_random_requests_match_botocore),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

/* SESv2 request builders cross-checked with botocore's REST-JSON serialiser on random
 * inputs (reserved and non-ASCII characters in every label and string): the same method,
 * the same wire path and query byte for byte, an equal JSON body.
 * tests/unit/ses_rest_botocore.py prints each case; seeded, so reproducible. */
#include <setjmp.h>
#include <stdarg.h>
#include <stdbool.h>
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
#include "sesctl/ses/tenants.h"
#include "sesctl/ses/vdm.h"

#define CASES 800

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

/* ---- configuration sets: the JSON input as sesctl's model (strings borrowed) ---- */

static char *sv(const cJSON *o, const char *key)
{
	return (char *)s_of(o, key);
}

static char *nested(const cJSON *o, const char *outer, const char *key)
{
	return sv(o_of(o, outer), key);
}

/* Fill cs from the members a Create or Put carries (blocks at top level when flat). */
static void cs_of(const cJSON *in, bool flat, struct ses_config_set *cs, char **reasons,
		  struct ses_tag *tags)
{
	const cJSON *del = flat ? in : o_of(in, "DeliveryOptions");
	const cJSON *sup = flat ? in : o_of(in, "SuppressionOptions");
	const cJSON *tr = flat ? in : o_of(in, "TrackingOptions");
	const cJSON *vdm = flat ? o_of(in, "VdmOptions") : o_of(in, "VdmOptions");
	const cJSON *ct = o_of(o_of(sup, "ValidationOptions"), "ConditionThreshold"), *it;
	const cJSON *max = o_of(del, "MaxDeliverySeconds");
	size_t k = 0;

	memset(cs, 0, sizeof(*cs));
	cs->name = sv(in, "ConfigurationSetName");
	cs->tls_policy = sv(del, "TlsPolicy");
	cs->sending_pool = sv(del, "SendingPoolName");
	cs->max_delivery_seconds = cJSON_IsNumber(max) ? (long)max->valuedouble : 0;
	cs->reputation_metrics_enabled =
		cJSON_IsTrue(o_of(flat ? in : o_of(in, "ReputationOptions"), "ReputationMetricsEnabled"));
	cs->sending_enabled = cJSON_IsTrue(o_of(o_of(in, "SendingOptions"), "SendingEnabled"));
	cs->suppression_set = o_of(sup, "SuppressedReasons") != NULL;
	cJSON_ArrayForEach(it, o_of(sup, "SuppressedReasons"))
		reasons[k++] = it->valuestring;
	cs->suppressed_reasons = reasons;
	cs->n_suppressed_reasons = k;
	cs->validation_enabled = sv(ct, "ConditionThresholdEnabled");
	cs->validation_threshold = nested(ct, "OverallConfidenceThreshold", "ConfidenceVerdictThreshold");
	cs->tracking_domain = sv(tr, "CustomRedirectDomain");
	cs->https_policy = sv(tr, "HttpsPolicy");
	cs->vdm_engagement = nested(vdm, "DashboardOptions", "EngagementMetrics");
	cs->vdm_optimized_delivery = nested(vdm, "GuardianOptions", "OptimizedSharedDelivery");
	cs->archive_arn = flat ? sv(in, "ArchiveArn") : nested(in, "ArchivingOptions", "ArchiveArn");
	k = 0;
	cJSON_ArrayForEach(it, o_of(in, "Tags")) {
		tags[k].key = sv(it, "Key");
		tags[k++].value = sv(it, "Value");
	}
	cs->tags = k ? tags : NULL;
	cs->n_tags = k;
}

static void dest_of(const cJSON *in, struct ses_event_dest *d, struct ses_cw_dimension *dims)
{
	const cJSON *e = o_of(in, "EventDestination"), *it;

	memset(d, 0, sizeof(*d));
	d->name = sv(in, "EventDestinationName");
	d->enabled = cJSON_IsTrue(o_of(e, "Enabled"));
	cJSON_ArrayForEach(it, o_of(e, "MatchingEventTypes"))
		d->events |= SES_EVENT_BIT(ses_event_from(it->valuestring));
	for (int k = 1; k < SES_DEST_COUNT; k++)
		if (o_of(e, ses_dest_member((enum ses_dest_kind)k)))
			d->kind = (enum ses_dest_kind)k;
	d->arn = d->kind == SES_DEST_SNS	   ? nested(e, "SnsDestination", "TopicArn")
		 : d->kind == SES_DEST_FIREHOSE	   ? nested(e, "KinesisFirehoseDestination", "DeliveryStreamArn")
		 : d->kind == SES_DEST_EVENTBRIDGE ? nested(e, "EventBridgeDestination", "EventBusArn")
		 : d->kind == SES_DEST_PINPOINT	   ? nested(e, "PinpointDestination", "ApplicationArn")
						   : NULL;
	d->role_arn = nested(e, "KinesisFirehoseDestination", "IamRoleArn");
	cJSON_ArrayForEach(it, o_of(o_of(e, "CloudWatchDestination"), "DimensionConfigurations")) {
		dims[d->n_dims].name = sv(it, "DimensionName");
		dims[d->n_dims].source = sv(it, "DimensionValueSource");
		dims[d->n_dims++].default_value = sv(it, "DefaultDimensionValue");
	}
	d->dims = d->n_dims ? dims : NULL;
}

static enum sc_status build_cs(const char *op, const cJSON *in, struct ses_request *r,
			       struct sc_error *err)
{
	static const struct {
		const char *op;
		enum ses_cs_block block;
	} puts[] = {
		{"PutConfigurationSetDeliveryOptions", SES_CS_DELIVERY},
		{"PutConfigurationSetReputationOptions", SES_CS_REPUTATION},
		{"PutConfigurationSetSuppressionOptions", SES_CS_SUPPRESSION},
		{"PutConfigurationSetTrackingOptions", SES_CS_TRACKING},
		{"PutConfigurationSetVdmOptions", SES_CS_VDM},
		{"PutConfigurationSetArchivingOptions", SES_CS_ARCHIVING},
	};
	struct ses_config_set cs;
	struct ses_event_dest d;
	struct ses_cw_dimension dims[10];
	char *reasons[2];
	struct ses_tag tags[4];

	if (!strcmp(op, "TagResource") || !strcmp(op, "UntagResource")) {
		const cJSON *it;
		char *keys[4];
		size_t k = 0;

		cJSON_ArrayForEach(it, o_of(in, "Tags")) {
			tags[k].key = sv(it, "Key");
			tags[k++].value = sv(it, "Value");
		}
		if (k)
			return sesv2_build_tag_resource(r, s_of(in, "ResourceArn"), tags, k, err);
		cJSON_ArrayForEach(it, o_of(in, "TagKeys"))
			keys[k++] = it->valuestring;
		return sesv2_build_untag_resource(r, s_of(in, "ResourceArn"), keys, k, err);
	}
	if (!strcmp(op, "CreateConfigurationSet")) {
		cs_of(in, false, &cs, reasons, tags);
		return sesv2_build_create_config_set(r, &cs, err);
	}
	for (size_t i = 0; i < sizeof(puts) / sizeof(puts[0]); i++)
		if (!strcmp(op, puts[i].op)) {
			cs_of(in, true, &cs, reasons, tags);
			return sesv2_build_put_config_set_block(r, &cs, puts[i].block, err);
		}
	if (!strcmp(op, "DeleteConfigurationSet"))
		return sesv2_build_delete_config_set(r, s_of(in, "ConfigurationSetName"), err);
	if (!strcmp(op, "DeleteConfigurationSetEventDestination"))
		return sesv2_build_delete_event_dest(r, s_of(in, "ConfigurationSetName"),
						     s_of(in, "EventDestinationName"), err);
	if (!strcmp(op, "PutEmailIdentityConfigurationSetAttributes"))
		return sesv2_build_put_identity_config_set(r, s_of(in, "EmailIdentity"),
							   s_of(in, "ConfigurationSetName"), err);
	dest_of(in, &d, dims);
	return sesv2_build_put_event_dest(r, s_of(in, "ConfigurationSetName"), &d,
					  !strcmp(op, "CreateConfigurationSetEventDestination"), err);
}

/* The only Filter member of a tenant list, or NULL. */
static const char *filter_of(const cJSON *in, const char *key)
{
	const cJSON *f = o_of(in, "Filter");

	return f ? s_of(f, key) : NULL;
}

static const char *first_filter_key(const cJSON *in)
{
	const cJSON *f = o_of(in, "Filter");

	return f && f->child ? f->child->string : NULL;
}

static enum sc_status build_tenant(const char *op, const cJSON *in, struct ses_request *r,
				   struct sc_error *err)
{
	const char *key;

	if (!strcmp(op, "CreateTenant"))
		return sesv2_build_create_tenant(r, s_of(in, "TenantName"), err);
	if (!strcmp(op, "GetTenant"))
		return sesv2_build_get_tenant(r, s_of(in, "TenantName"), err);
	if (!strcmp(op, "DeleteTenant"))
		return sesv2_build_delete_tenant(r, s_of(in, "TenantName"), err);
	if (!strcmp(op, "ListTenants")) {
		sesv2_build_list_tenants(r, s_of(in, "NextToken"),
					 o_of(in, "PageSize") ? o_of(in, "PageSize")->valueint : 0);
		return SC_OK;
	}
	if (!strcmp(op, "CreateTenantResourceAssociation"))
		return sesv2_build_create_tenant_resource_association(
			r, s_of(in, "TenantName"), s_of(in, "ResourceArn"), err);
	if (!strcmp(op, "DeleteTenantResourceAssociation"))
		return sesv2_build_delete_tenant_resource_association(
			r, s_of(in, "TenantName"), s_of(in, "ResourceArn"), err);
	if (!strcmp(op, "ListTenantResources"))
		return sesv2_build_list_tenant_resources(r, s_of(in, "TenantName"),
							 filter_of(in, "RESOURCE_TYPE"),
							 s_of(in, "NextToken"), err);
	if (!strcmp(op, "ListResourceTenants"))
		return sesv2_build_list_resource_tenants(r, s_of(in, "ResourceArn"),
							 s_of(in, "NextToken"), err);
	if (!strcmp(op, "ListReputationEntities")) {
		key = first_filter_key(in);
		sesv2_build_list_reputation_entities(r, key, key ? filter_of(in, key) : NULL,
						     s_of(in, "NextToken"));
		return SC_OK;
	}
	if (!strcmp(op, "ListRecommendations")) {
		struct sesv2_recommendation_filter f = {
			.type = filter_of(in, "TYPE"), .impact = filter_of(in, "IMPACT"),
			.status = filter_of(in, "STATUS"), .resource_arn = filter_of(in, "RESOURCE_ARN"),
			.next_token = s_of(in, "NextToken"),
			.page_size = o_of(in, "PageSize") ? o_of(in, "PageSize")->valueint : 0,
		};

		return sesv2_build_list_recommendations(r, &f, err);
	}
	if (!strcmp(op, "GetReputationEntity"))
		return sesv2_build_get_reputation_entity(r, s_of(in, "ReputationEntityType"),
							 s_of(in, "ReputationEntityReference"), err);
	if (!strcmp(op, "UpdateReputationEntityPolicy"))
		return sesv2_build_update_reputation_entity_policy(
			r, s_of(in, "ReputationEntityType"), s_of(in, "ReputationEntityReference"),
			s_of(in, "ReputationEntityPolicy"), err);
	return sesv2_build_update_reputation_entity_customer_managed_status(
		r, s_of(in, "ReputationEntityType"), s_of(in, "ReputationEntityReference"),
		s_of(in, "SendingStatus"), err);
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
	if (strstr(op, "Tenant") || strstr(op, "ReputationEntit") ||
	    !strcmp(op, "ListRecommendations"))
		return build_tenant(op, in, r, err);
	if (strstr(op, "ConfigurationSet") || strstr(op, "agResource"))
		return build_cs(op, in, r, err);
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

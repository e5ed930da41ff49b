/* Verbs about who and where: whoami. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/config.h"
#include "sesctl/aws/creds.h"
#include "sesctl/aws/endpoint.h"
#include "sesctl/ses/sts.h"
#include "sesctl/store/db.h"
#include "verbs_impl.h"

static void add_str(cJSON *o, const char *k, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, k, v);
	else
		cJSON_AddNullToObject(o, k);
}

enum sc_status verb_whoami(struct core *core, const struct verb_args *args, struct verb_result *res,
                           struct sc_error *err)
{
	struct aws_endpoint ep;
	enum sc_status st;
	cJSON *o;

	(void)args;
	st = core_learn_account(core, err);
	if (st)
		return st;
	st = aws_endpoint_resolve(core->aws, "sesv2", core->region, &ep, err);
	if (st)
		return st;
	o = cJSON_CreateObject();
	add_str(o, "profile", core->profile);
	add_str(o, "profile_source", core->aws->profile_source);
	add_str(o, "region", core->region);
	add_str(o, "region_source", core->opt.n_regions ? "--region" : core->aws->region_source);
	add_str(o, "endpoint", ep.url);
	add_str(o, "endpoint_source", ep.source);
	add_str(o, "credentials", aws_creds_provider_source(core->creds));
	add_str(o, "account", core->account_id);
	add_str(o, "arn", core->caller_arn);
	cJSON_AddBoolToObject(o, "read_only", core->read_only);
	if (core->read_only)
		add_str(o, "read_only_reason", core->read_only_why);
	cJSON_AddBoolToObject(o, "protected", core->protected_);
	res->json = o;
	return SC_OK;
}

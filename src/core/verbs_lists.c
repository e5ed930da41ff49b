/* Suppression list, configuration sets, test sends. */
#include <cjson/cJSON.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/core/sync.h"
#include "sesctl/ses/sending.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/store/suppression.h"
#include "verbs_impl.h"

/* ---- suppression ---- */

static const char *const supp_columns[] = {"email", "reason", "last_update", NULL};

static cJSON *supp_json(const struct ses_suppressed *s)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "email", s->email);
	jm_str(o, "reason", s->reason);
	jm_time(o, "last_update", s->last_update);
	if (s->message_id)
		jm_str(o, "message_id", s->message_id);
	if (s->feedback_id)
		jm_str(o, "feedback_id", s->feedback_id);
	return o;
}

enum sc_status verb_suppression_list(struct core *core, const struct verb_args *args,
                                     struct verb_result *res, struct sc_error *err)
{
	const char *reason = verb_opt(args, "reason"), *since = verb_opt(args, "since");
	struct ses_suppressed *v = NULL;
	struct verb_where w;
	size_t n = 0;
	char up[16] = "";
	time_t cutoff = 0;
	enum sc_status st;
	cJSON *arr;

	for (size_t i = 0; reason && reason[i] && i < sizeof(up) - 1; i++)
		up[i] = (char)(reason[i] >= 'a' && reason[i] <= 'z' ? reason[i] - 32 : reason[i]);
	if (reason && strcmp(up, "BOUNCE") && strcmp(up, "COMPLAINT"))
		return sc_fail(err, SC_USAGE, "--reason must be bounce or complaint");
	if (since) {
		time_t span;

		if (verb_span(since, &span))
			return sc_fail(err, SC_USAGE, "--since takes a span like 2h or 7d");
		cutoff = time(NULL) - span;
	}
	st = verb_where_open(core, &w, err);
	if (!st)
		st = verb_ensure_kind(core, &w, SYNC_SUPPRESSION,
		                 verb_flag(args, "refresh"), err);
	if (!st)
		st = cache_get_suppressed(w.cache, w.account, w.region, reason ? up : NULL,
		                          verb_opt(args, "contains"), &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++)
		if (!cutoff || v[i].last_update >= cutoff)
			cJSON_AddItemToArray(arr, supp_json(&v[i]));
	cache_suppressed_free(v, n);
	res->json = arr;
	res->columns = supp_columns;
	return SC_OK;
}

enum sc_status verb_suppression_add(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	const char *reason = verb_opt(args, "reason");
	struct ses_suppressed s = {0};
	struct core_ses ses;
	struct verb_where w;
	enum sc_status st;

	if (!reason || (strcasecmp(reason, "bounce") && strcasecmp(reason, "complaint")))
		return sc_fail(err, SC_USAGE, "--reason bounce|complaint is required");
	st = verb_where_open(core, &w, err);
	if (!st)
		st = core_ses_ctx(core, w.region, &ses, err);
	if (!st)
		st = sesv2_put_suppressed(&ses.ctx, args->argv[0],
		                          !strcasecmp(reason, "bounce") ? "BOUNCE" : "COMPLAINT",
		                          err);
	if (!st)
		st = sesv2_get_suppressed(&ses.ctx, args->argv[0], &s, err);
	if (st)
		return st;
	cache_put_suppressed(w.cache, w.account, w.region, &s, NULL);
	res->json = supp_json(&s);
	ses_suppressed_free(&s);
	return SC_OK;
}

enum sc_status verb_suppression_remove(struct core *core, const struct verb_args *args,
                                       struct verb_result *res, struct sc_error *err)
{
	struct core_ses ses;
	struct verb_where w;
	enum sc_status st = verb_where_open(core, &w, err);

	if (!st)
		st = core_ses_ctx(core, w.region, &ses, err);
	if (!st)
		st = sesv2_delete_suppressed(&ses.ctx, args->argv[0], err);
	if (st)
		return st;
	cache_delete_suppressed(w.cache, w.account, w.region, args->argv[0], NULL);
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "removed", args->argv[0]);
	return SC_OK;
}

/* ---- send-test: to the mailbox simulator only ---- */

static const char *const scenarios[][2] = {
    {"success", "success@simulator.amazonses.com"},
    {"bounce", "bounce@simulator.amazonses.com"},
    {"complaint", "complaint@simulator.amazonses.com"},
    {"ooto", "ooto@simulator.amazonses.com"},
    {"suppressionlist", "suppressionlist@simulator.amazonses.com"},
};

enum sc_status verb_send_test(struct core *core, const struct verb_args *args,
                              struct verb_result *res, struct sc_error *err)
{
	const char *from = args->argv[0], *sc = verb_opt(args, "scenario"), *to = NULL;
	struct sesv2_simple_email m = {0};
	struct core_ses ses;
	const char *region;
	char *message_id = NULL;
	enum sc_status st;

	for (size_t i = 0; i < sizeof(scenarios) / sizeof(scenarios[0]); i++)
		if (!strcmp(sc ? sc : "success", scenarios[i][0]))
			to = scenarios[i][1];
	if (!to)
		return sc_fail(
		    err, SC_USAGE,
		    "--scenario must be success, bounce, complaint, ooto or suppressionlist");
	m.from = from;
	m.to = to;
	m.subject = "sesctl test message";
	m.text = "Sent by sesctl send-test to the SES mailbox simulator.";
	m.config_set = verb_opt(args, "config-set");
	st = core_region(core, &region, err);
	if (!st)
		st = core_ses_ctx(core, region, &ses, err);
	if (!st)
		st = sesv2_send_email(&ses.ctx, &m, &message_id, err);
	if (st)
		return st;
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "message_id", message_id ? message_id : "");
	cJSON_AddStringToObject(res->json, "from", from);
	cJSON_AddStringToObject(res->json, "to", to);
	free(message_id);
	return SC_OK;
}

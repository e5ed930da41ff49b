/* The rest of the CLI surface: receipt rule sets and rules by hand (create, update,
 * show, deactivate), sending-authorization policies, suppression show, re-sending an
 * address's verification mail. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "json_model.h"
#include "sesctl/core/sync.h"
#include "sesctl/ses/account.h"
#include "sesctl/ses/identities.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/suppression.h"
#include "sesctl/store/receipt.h"
#include "verbs_impl.h"

/* ---- rule sets ---- */

enum sc_status verb_receipt_create(struct core *core, const struct verb_args *args,
                                   struct verb_result *res, struct sc_error *err)
{
	struct verb_target l;
	enum sc_status st;

	if (!sesv1_name_ok(args->argv[0]))
		return sc_fail(
		    err, SC_USAGE,
		    "'%s' is not a valid rule set name (letters, digits, _ and -; under 64)",
		    args->argv[0]);
	st = verb_target_open(core, &l, err);
	if (!st)
		st = sesv1_create_receipt_rule_set(&l.ses.ctx, args->argv[0], err);
	return st ? st : verb_rules_changed(core, l.region, args->argv[0], res, err);
}

enum sc_status verb_receipt_deactivate(struct core *core, const struct verb_args *args,
                                       struct verb_result *res, struct sc_error *err)
{
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	(void)args;
	if (!st)
		st = sesv1_set_active_receipt_rule_set(&l.ses.ctx, NULL, err);
	return st ? st : verb_rules_changed(core, l.region, NULL, res, err);
}

/* ---- rules ---- */

/* --s3 BUCKET[/PREFIX]  --sns TOPIC  --lambda ARN  --bounce "CODE STATUS MESSAGE" (with
 * --bounce-sender)  --stop  --add-header NAME:VALUE  --workmail ORG  and, for any field of
 * any action, --action Element.Field=Value. Actions run in the order given. */
static void add_action(struct ses_rule *r)
{
	r->actions = xrealloc(r->actions, (r->n_actions + 1) * sizeof(*r->actions));
	memset(&r->actions[r->n_actions], 0, sizeof(*r->actions));
	r->n_actions++;
}

static struct ses_action *last_action(struct ses_rule *r)
{
	return r->n_actions ? &r->actions[r->n_actions - 1] : NULL;
}

static enum sc_status set_field(struct ses_rule *r, const char *element, const char *field,
                                const char *value, bool new_action, struct sc_error *err)
{
	if (new_action || !last_action(r) || last_action(r)->kind != ses_action_kind_from(element))
		add_action(r);
	return sesv1_action_set(last_action(r), element, field, value, err);
}

static enum sc_status opt_s3(struct ses_rule *r, const char *v, struct sc_error *err)
{
	const char *slash = strchr(v, '/');
	char *bucket = slash ? xstrndup(v, (size_t)(slash - v)) : xstrdup(v);
	enum sc_status st = set_field(r, "S3Action", "BucketName", bucket, true, err);

	if (!st && slash && slash[1])
		st = set_field(r, "S3Action", "ObjectKeyPrefix", slash + 1, false, err);
	free(bucket);
	return st;
}

static enum sc_status opt_bounce(struct ses_rule *r, const char *v, struct sc_error *err)
{
	char code[8] = "", status[16] = "";
	int used = 0;
	enum sc_status st;

	if (sscanf(v, "%7s %15s %n", code, status, &used) < 2 || !v[used])
		return sc_fail(
		    err, SC_USAGE,
		    "--bounce takes \"CODE STATUS MESSAGE\", e.g. \"550 5.1.1 no such user\"");
	st = set_field(r, "BounceAction", "SmtpReplyCode", code, true, err);
	if (!st)
		st = set_field(r, "BounceAction", "StatusCode", status, false, err);
	if (!st)
		st = set_field(r, "BounceAction", "Message", v + used, false, err);
	return st;
}

static enum sc_status opt_generic(struct ses_rule *r, const char *v, struct sc_error *err)
{
	const char *dot = strchr(v, '.'), *eq = strchr(v, '=');
	char element[64], field[64];
	bool fresh;

	if (!dot || !eq || eq < dot || (size_t)(dot - v) >= sizeof(element) ||
	    (size_t)(eq - dot - 1) >= sizeof(field))
		return sc_fail(err, SC_USAGE,
		               "--action takes Element.Field=Value, e.g. "
		               "LambdaAction.InvocationType=RequestResponse");
	memcpy(element, v, (size_t)(dot - v));
	element[dot - v] = '\0';
	memcpy(field, dot + 1, (size_t)(eq - dot - 1));
	field[eq - dot - 1] = '\0';
	fresh = !last_action(r) || last_action(r)->kind != ses_action_kind_from(element);
	return set_field(r, element, field, eq + 1, fresh, err);
}

static enum sc_status rule_from_args(const struct verb_args *args, struct ses_rule *r,
                                     bool replace_recipients, bool replace_actions,
                                     struct sc_error *err)
{
	enum sc_status st = SC_OK;
	bool had_rcpt = false, had_action = false;

	for (size_t i = 0; i < args->n_opts && !st; i++) {
		const char *name = args->opts[i].name, *v = args->opts[i].value;
		size_t len = strcspn(name, "=");

#define IS(s) (len == strlen(s) && !strncmp(name, s, len))
		bool action = IS("s3") || IS("sns") || IS("lambda") || IS("bounce") || IS("stop") ||
		              IS("add-header") || IS("workmail") || IS("action");

		if (action && replace_actions && !had_action) {
			for (size_t a = 0; a < r->n_actions; a++)
				ses_action_free(&r->actions[a]);
			r->n_actions = 0;
		}
		had_action |= action;
		if (IS("recipient")) {
			if (replace_recipients && !had_rcpt) {
				for (size_t k = 0; k < r->n_recipients; k++)
					free(r->recipients[k]);
				r->n_recipients = 0;
			}
			had_rcpt = true;
			r->recipients =
			    xrealloc(r->recipients, (r->n_recipients + 1) * sizeof(char *));
			r->recipients[r->n_recipients++] = xstrdup(v);
		} else if (IS("tls")) {
			if (strcasecmp(v, "require") && strcasecmp(v, "optional"))
				st = sc_fail(err, SC_USAGE, "--tls must be require or optional");
			free(r->tls_policy);
			r->tls_policy = xstrdup(!strcasecmp(v, "require") ? "Require" : "Optional");
		} else if (IS("scan")) {
			r->scan_enabled = true;
		} else if (IS("no-scan")) {
			r->scan_enabled = false;
		} else if (IS("disabled")) {
			r->enabled = false;
		} else if (IS("s3")) {
			st = opt_s3(r, v, err);
		} else if (IS("sns")) {
			st = set_field(r, "SNSAction", "TopicArn", v, true, err);
		} else if (IS("lambda")) {
			st = set_field(r, "LambdaAction", "FunctionArn", v, true, err);
		} else if (IS("bounce")) {
			st = opt_bounce(r, v, err);
		} else if (IS("bounce-sender")) {
			st =
			    last_action(r) && last_action(r)->kind == SES_ACTION_BOUNCE
			        ? sesv1_action_set(last_action(r), "BounceAction", "Sender", v, err)
			        : sc_fail(err, SC_USAGE, "--bounce-sender follows --bounce");
		} else if (IS("stop")) {
			st = set_field(r, "StopAction", "Scope", "RuleSet", true, err);
		} else if (IS("add-header")) {
			const char *colon = strchr(v, ':');
			char *hname = colon ? xstrndup(v, (size_t)(colon - v)) : NULL;

			st = colon ? set_field(r, "AddHeaderAction", "HeaderName", hname, true, err)
			           : sc_fail(err, SC_USAGE, "--add-header takes NAME:VALUE");
			if (!st)
				st = set_field(r, "AddHeaderAction", "HeaderValue", colon + 1,
				               false, err);
			free(hname);
		} else if (IS("workmail")) {
			st = set_field(r, "WorkmailAction", "OrganizationArn", v, true, err);
		} else if (IS("action")) {
			st = opt_generic(r, v, err);
		}
#undef IS
	}
	return st;
}

enum sc_status verb_receipt_rule_create(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	struct ses_rule r = {0};
	struct verb_target l;
	enum sc_status st;

	if (!sesv1_name_ok(args->argv[1]))
		return sc_fail(err, SC_USAGE, "'%s' is not a valid rule name", args->argv[1]);
	r.name = xstrdup(args->argv[1]);
	r.enabled = true;
	st = rule_from_args(args, &r, false, false, err);
	if (!st && !r.n_actions)
		st = sc_fail(err, SC_USAGE,
		             "a rule needs at least one action (--s3, --sns, --lambda, "
		             "--bounce, --stop, --add-header, --workmail or --action)");
	if (!st)
		st = verb_target_open(core, &l, err);
	if (!st)
		st = sesv1_create_receipt_rule(&l.ses.ctx, args->argv[0], &r,
		                               verb_opt(args, "after"), err);
	ses_rule_free(&r);
	return st ? st : verb_rules_changed(core, l.region, args->argv[0], res, err);
}

enum sc_status verb_receipt_rule_update(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	struct ses_rule_set set = {0};
	struct ses_rule *r = NULL;
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = sesv1_describe_receipt_rule_set(&l.ses.ctx, args->argv[0], &set, err);
	for (size_t i = 0; !st && i < set.n_rules; i++)
		if (!strcmp(set.rules[i].name, args->argv[1]))
			r = &set.rules[i];
	if (!st && !r)
		st = sc_fail(err, SC_NOT_FOUND, "no rule %s in receipt rule set %s", args->argv[1],
		             args->argv[0]);
	if (!st) {
		if (verb_flag(args, "enabled"))
			r->enabled = true;
		st = rule_from_args(args, r, true, true, err); /* given lists replace the old */
	}
	if (!st)
		st = sesv1_update_receipt_rule(&l.ses.ctx, args->argv[0], r, err);
	ses_rule_set_free(&set);
	return st ? st : verb_rules_changed(core, l.region, args->argv[0], res, err);
}

enum sc_status verb_receipt_rule_show(struct core *core, const struct verb_args *args,
                                      struct verb_result *res, struct sc_error *err)
{
	struct ses_rule_set *sets = NULL;
	const char *region, *account;
	struct cache *c;
	size_t n = 0;
	enum sc_status st = core_region(core, &region, err);

	if (!st)
		st = core_cache_account(core, region, &account, err);
	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		st = cache_get_rule_sets(c, account, region, &sets, &n, err);
	if (st)
		return st;
	for (size_t s = 0; s < n && !res->json; s++)
		for (size_t i = 0; strcmp(sets[s].name, args->argv[0]) == 0 && i < sets[s].n_rules;
		     i++)
			if (!strcmp(sets[s].rules[i].name, args->argv[1]))
				res->json = jm_rule(&sets[s].rules[i], i + 1);
	ses_rule_sets_free(sets, n);
	if (!res->json)
		return sc_fail(err, SC_NOT_FOUND,
		               "no rule %s in receipt rule set %s (cached; run sync)",
		               args->argv[1], args->argv[0]);
	return SC_OK;
}

/* ---- sending-authorization policies ---- */

static const char *const policy_columns[] = {"name", "policy", NULL};

enum sc_status verb_identity_policies(struct core *core, const struct verb_args *args,
                                      struct verb_result *res, struct sc_error *err)
{
	struct ses_policy *v = NULL;
	struct verb_target l;
	size_t n = 0;
	enum sc_status st = verb_target_open(core, &l, err);
	cJSON *arr;

	if (!st)
		st = sesv2_get_policies(&l.ses.ctx, args->argv[0], &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n; i++) {
		if (args->argc > 1 && strcmp(v[i].name, args->argv[1]))
			continue;
		cJSON *o = cJSON_CreateObject();

		jm_str(o, "name", v[i].name);
		jm_str(o, "policy", v[i].document);
		cJSON_AddItemToArray(arr, o);
	}
	sesv2_policies_free(v, n);
	if (args->argc > 1 && !cJSON_GetArraySize(arr)) {
		cJSON_Delete(arr);
		return sc_fail(err, SC_NOT_FOUND, "%s has no policy named %s", args->argv[0],
		               args->argv[1]);
	}
	res->json = arr;
	res->columns = policy_columns;
	return SC_OK;
}

enum sc_status verb_identity_policy_put(struct core *core, const struct verb_args *args,
                                        struct verb_result *res, struct sc_error *err)
{
	const char *doc = verb_opt(args, "document");
	struct ses_policy *v = NULL;
	struct verb_target l;
	size_t n = 0;
	bool exists = false;
	cJSON *parsed;
	enum sc_status st;

	if (!doc)
		return sc_fail(err, SC_USAGE, "--document JSON is required");
	parsed = cJSON_Parse(doc);
	if (!parsed)
		return sc_fail(err, SC_USAGE, "--document is not valid JSON");
	cJSON_Delete(parsed);
	st = verb_target_open(core, &l, err);
	if (!st)
		st = sesv2_get_policies(&l.ses.ctx, args->argv[0], &v, &n, err);
	for (size_t i = 0; !st && i < n; i++)
		exists |= !strcmp(v[i].name, args->argv[1]);
	sesv2_policies_free(v, n);
	if (!st)
		st = exists
		         ? sesv2_update_policy(&l.ses.ctx, args->argv[0], args->argv[1], doc, err)
		         : sesv2_create_policy(&l.ses.ctx, args->argv[0], args->argv[1], doc, err);
	return st ? st : verb_identity_policies(core, args, res, err);
}

enum sc_status verb_identity_policy_delete(struct core *core, const struct verb_args *args,
                                           struct verb_result *res, struct sc_error *err)
{
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = sesv2_delete_policy(&l.ses.ctx, args->argv[0], args->argv[1], err);
	if (st)
		return st;
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "deleted_policy", args->argv[1]);
	return SC_OK;
}

/* ---- suppression show, identity verify ---- */

enum sc_status verb_suppression_show(struct core *core, const struct verb_args *args,
                                     struct verb_result *res, struct sc_error *err)
{
	struct ses_suppressed s = {0};
	struct verb_target l;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = sesv2_get_suppressed(&l.ses.ctx, args->argv[0], &s, err);
	if (st)
		return st;
	res->json = cJSON_CreateObject();
	jm_str(res->json, "email", s.email);
	jm_str(res->json, "reason", s.reason);
	jm_time(res->json, "last_update", s.last_update);
	jm_str(res->json, "message_id", s.message_id);
	jm_str(res->json, "feedback_id", s.feedback_id);
	ses_suppressed_free(&s);
	return SC_OK;
}

/* Re-send the verification mail of an address (SES v1 VerifyEmailIdentity does that). */
enum sc_status verb_identity_verify(struct core *core, const struct verb_args *args,
                                    struct verb_result *res, struct sc_error *err)
{
	struct ses_request req;
	struct aws_reply reply = {0};
	struct verb_target l;
	enum sc_status st;

	if (!strchr(args->argv[0], '@'))
		return sc_fail(err, SC_USAGE,
		               "a domain is verified by its DNS records: see sesctl dns %s --check",
		               args->argv[0]);
	st = verb_target_open(core, &l, err);
	if (st)
		return st;
	ses_request_init_query(&req, SES_SVC_SES, "VerifyEmailIdentity", "2010-12-01");
	ses_param_add(&req.body, "EmailAddress", args->argv[0]);
	st = ses_call(&l.ses.ctx, &req, &reply, err);
	ses_request_free(&req);
	aws_reply_free(&reply);
	if (st)
		return st;
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "verification_sent_to", args->argv[0]);
	return SC_OK;
}

/* ---- production access ---- */

/* account request-production: the PutAccountDetails request that asks AWS to move the
 * account out of the sandbox (AWS reviews it; the review status shows in `account`). */
enum sc_status verb_account_request_production(struct core *core, const struct verb_args *args,
					       struct verb_result *res, struct sc_error *err)
{
	const char *type = verb_opt(args, "mail-type"), *url = verb_opt(args, "website");
	const char *lang = verb_opt(args, "contact-language");
	const char *contacts[4];
	struct sesv2_account_details d = {0};
	struct verb_target t;
	size_t n = 0;
	enum sc_status st;

	if (!type || (strcasecmp(type, "transactional") && strcasecmp(type, "marketing")))
		return sc_fail(err, SC_USAGE, "--mail-type transactional|marketing is required");
	if (!url || strncmp(url, "http", 4))
		return sc_fail(err, SC_USAGE, "--website URL (http:// or https://) is required");
	if (lang && strcasecmp(lang, "en") && strcasecmp(lang, "ja"))
		return sc_fail(err, SC_USAGE, "--contact-language must be en or ja");
	for (size_t i = 0; i < args->n_opts; i++)
		if (!strncmp(args->opts[i].name, "contact=", 8) || !strcmp(args->opts[i].name, "contact")) {
			if (n == 4)
				return sc_fail(err, SC_USAGE, "at most four --contact addresses");
			contacts[n++] = args->opts[i].value;
		}
	d.mail_type = !strcasecmp(type, "marketing") ? "MARKETING" : "TRANSACTIONAL";
	d.website_url = url;
	d.use_case_description = verb_opt(args, "use-case");
	d.contact_language = lang ? (!strcasecmp(lang, "ja") ? "JA" : "EN") : NULL;
	d.additional_contacts = contacts;
	d.n_additional_contacts = n;
	d.production_access = 1;
	st = verb_target_open(core, &t, err);
	if (!st)
		st = sesv2_put_account_details(&t.ses.ctx, &d, err);
	if (st)
		return st;
	res->json = cJSON_CreateObject();
	cJSON_AddStringToObject(res->json, "requested", "production access");
	cJSON_AddStringToObject(res->json, "region", t.region);
	cJSON_AddStringToObject(res->json, "next", "AWS reviews the request; `sesctl account` shows "
						   "review_status");
	return SC_OK;
}

/* Receipt rules: rule sets, rules and their actions, the active set, and the receipt IP filters (SES v1). */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/ses/jsonr.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/xmlr.h"
#include "sesctl/util/buf.h"

#include "v1_impl.h"

/*
 * Every action field once: kind, wire element, field, struct member, required.
 * Rows of one kind are in the botocore model's member order, which is the order
 * botocore serialises them (tests compare byte for byte).
 */
#define ACTION_FIELDS(_)                                                          \
	_(S3, "S3Action", "TopicArn", topic_arn, false)                           \
	_(S3, "S3Action", "BucketName", bucket, true)                             \
	_(S3, "S3Action", "ObjectKeyPrefix", prefix, false)                       \
	_(S3, "S3Action", "KmsKeyArn", kms_key_arn, false)                        \
	_(S3, "S3Action", "IamRoleArn", iam_role_arn, false)                      \
	_(SNS, "SNSAction", "TopicArn", topic_arn, true)                          \
	_(SNS, "SNSAction", "Encoding", encoding, false)                          \
	_(LAMBDA, "LambdaAction", "TopicArn", topic_arn, false)                   \
	_(LAMBDA, "LambdaAction", "FunctionArn", function_arn, true)              \
	_(LAMBDA, "LambdaAction", "InvocationType", invocation_type, false)       \
	_(BOUNCE, "BounceAction", "TopicArn", topic_arn, false)                   \
	_(BOUNCE, "BounceAction", "SmtpReplyCode", smtp_reply_code, true)         \
	_(BOUNCE, "BounceAction", "StatusCode", status_code, false)               \
	_(BOUNCE, "BounceAction", "Message", message, true)                       \
	_(BOUNCE, "BounceAction", "Sender", sender, true)                         \
	_(WORKMAIL, "WorkmailAction", "TopicArn", topic_arn, false)               \
	_(WORKMAIL, "WorkmailAction", "OrganizationArn", organization_arn, true)  \
	_(ADD_HEADER, "AddHeaderAction", "HeaderName", header_name, true)         \
	_(ADD_HEADER, "AddHeaderAction", "HeaderValue", header_value, true)       \
	_(CONNECT, "ConnectAction", "InstanceARN", instance_arn, true)            \
	_(CONNECT, "ConnectAction", "IAMRoleARN", iam_role_arn, true)             \
	_(STOP, "StopAction", "Scope", scope, true)                               \
	_(STOP, "StopAction", "TopicArn", topic_arn, false)

static const struct action_field {
	enum ses_action_kind kind;
	const char *element;
	const char *field;
	size_t offset;
	bool required;
} action_fields[] = {
#define ACTION_ROW(k, el, f, member, req) {SES_ACTION_##k, el, f, offsetof(struct ses_action, member), req},
	ACTION_FIELDS(ACTION_ROW)
#undef ACTION_ROW
};

#define N_ACTION_FIELDS (sizeof(action_fields) / sizeof(action_fields[0]))

static char **field_slot(struct ses_action *a, const struct action_field *f)
{
	return (char **)(void *)((char *)a + f->offset);
}

static const char *field_value(const struct ses_action *a, const struct action_field *f)
{
	return *(char *const *)(const void *)((const char *)a + f->offset);
}

static const char *action_element(enum ses_action_kind kind)
{
	for (size_t i = 0; i < N_ACTION_FIELDS; i++)
		if (action_fields[i].kind == kind)
			return action_fields[i].element;
	return NULL;
}

enum sc_status sesv1_action_set(struct ses_action *a, const char *element, const char *field,
				const char *value, struct sc_error *err)
{
	enum ses_action_kind kind = element ? ses_action_kind_from(element) : SES_ACTION_UNKNOWN;

	if (kind == SES_ACTION_UNKNOWN || !action_element(kind))
		return sc_fail(err, SC_USAGE, "unknown receipt action type \"%s\"",
			       element ? element : "");
	if (a->kind != SES_ACTION_UNKNOWN && a->kind != kind)
		return sc_fail(err, SC_USAGE, "one action cannot be both %s and %s",
			       action_element(a->kind), action_element(kind));
	for (size_t k = 0; k < N_ACTION_FIELDS; k++) {
		const struct action_field *f = &action_fields[k];
		char **slot;

		if (f->kind != kind || !field || strcmp(f->field, field))
			continue;
		slot = field_slot(a, f);
		free(*slot);
		*slot = value ? xstrdup(value) : NULL;
		a->kind = kind;
		return SC_OK;
	}
	return sc_fail(err, SC_USAGE, "%s has no field \"%s\"", action_element(kind),
		       field ? field : "");
}

size_t sesv1_action_fields(enum ses_action_kind kind, const char **names, bool *required,
			   size_t max)
{
	size_t n = 0;

	for (size_t k = 0; k < N_ACTION_FIELDS && n + 1 < max; k++) {
		if (action_fields[k].kind != kind)
			continue;
		if (required)
			required[n] = action_fields[k].required;
		names[n++] = action_fields[k].field;
	}
	if (max)
		names[n] = NULL;
	return n;
}

void sesv1_receipt_filters_free(struct ses_receipt_filter *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_receipt_filter_free(&v[i]);
	free(v);
}

static bool is_alnum(char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

bool sesv1_name_ok(const char *name)
{
	size_t n;

	if (!name)
		return false;
	n = strlen(name);
	if (!n || n >= 64 || !is_alnum(name[0]) || !is_alnum(name[n - 1]))
		return false;
	for (size_t i = 0; i < n; i++)
		if (!is_alnum(name[i]) && name[i] != '_' && name[i] != '-')
			return false;
	return true;
}

static enum sc_status check_name(const char *op, const char *what, const char *name,
				 struct sc_error *err)
{
	if (sesv1_name_ok(name))
		return SC_OK;
	return sc_fail(err, SC_USAGE,
		       "%s: the %s name must be 1 to 63 ASCII letters, digits, '_' or '-', "
		       "starting and ending with a letter or digit",
		       op, what);
}

void sesv1_build_list_receipt_rule_sets(struct ses_request *r, const char *next_token)
{
	sesv1_query(r, "ListReceiptRuleSets");
	if (next_token && *next_token)
		ses_param_add(&r->body, "NextToken", next_token);
}

static enum sc_status set_only(struct ses_request *r, const char *op, const char *set,
			       struct sc_error *err)
{
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	return SC_OK;
}

enum sc_status sesv1_build_describe_receipt_rule_set(struct ses_request *r, const char *set,
						     struct sc_error *err)
{
	return set_only(r, "DescribeReceiptRuleSet", set, err);
}

void sesv1_build_describe_active_receipt_rule_set(struct ses_request *r)
{
	sesv1_query(r, "DescribeActiveReceiptRuleSet");
}

enum sc_status sesv1_build_create_receipt_rule_set(struct ses_request *r, const char *set,
						   struct sc_error *err)
{
	return set_only(r, "CreateReceiptRuleSet", set, err);
}

enum sc_status sesv1_build_delete_receipt_rule_set(struct ses_request *r, const char *set,
						   struct sc_error *err)
{
	return set_only(r, "DeleteReceiptRuleSet", set, err);
}

enum sc_status sesv1_build_clone_receipt_rule_set(struct ses_request *r, const char *set,
						  const char *original, struct sc_error *err)
{
	const char *op = "CloneReceiptRuleSet";
	enum sc_status st = check_name(op, "new rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_name(op, "original rule set", original, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	ses_param_add(&r->body, "OriginalRuleSetName", original);
	return SC_OK;
}

enum sc_status sesv1_build_set_active_receipt_rule_set(struct ses_request *r, const char *set,
						       struct sc_error *err)
{
	memset(r, 0, sizeof(*r));
	if (!set || !*set) {
		sesv1_query(r, "SetActiveReceiptRuleSet");
		return SC_OK;
	}
	return set_only(r, "SetActiveReceiptRuleSet", set, err);
}

static enum sc_status check_action(const char *op, const struct ses_action *a, size_t i,
				   struct sc_error *err)
{
	if (!action_element(a->kind))
		return sc_fail(err, SC_USAGE, "%s: action %zu has no known type", op, i + 1);
	for (size_t k = 0; k < N_ACTION_FIELDS; k++) {
		const struct action_field *f = &action_fields[k];
		const char *v;

		if (f->kind != a->kind || !f->required)
			continue;
		v = field_value(a, f);
		if (!v || !*v)
			return sc_fail(err, SC_USAGE, "%s: action %zu (%s) needs %s", op, i + 1,
				       f->element, f->field);
	}
	return SC_OK;
}

static enum sc_status check_rule(const char *op, const struct ses_rule *rule,
				 struct sc_error *err)
{
	enum sc_status st;

	if (!rule)
		return sc_fail(err, SC_USAGE, "%s: no rule was given", op);
	st = check_name(op, "rule", rule->name, err);
	for (size_t i = 0; st == SC_OK && i < rule->n_recipients; i++)
		if (!rule->recipients[i] || !*rule->recipients[i])
			st = sc_fail(err, SC_USAGE, "%s: recipient %zu is empty", op, i + 1);
	for (size_t i = 0; st == SC_OK && i < rule->n_actions; i++)
		st = check_action(op, &rule->actions[i], i, err);
	return st;
}

static void put_action(struct buf *b, const struct ses_action *a, size_t n)
{
	for (size_t k = 0; k < N_ACTION_FIELDS; k++) {
		const struct action_field *f = &action_fields[k];

		if (f->kind == a->kind)
			ses_param_addf(b, field_value(a, f), "Rule.Actions.member.%zu.%s.%s", n,
				       f->element, f->field);
	}
}

/* Rule members in model order: Name, Enabled, TlsPolicy, Recipients, Actions, ScanEnabled. */
static void put_rule(struct buf *b, const struct ses_rule *rule)
{
	ses_param_add(b, "Rule.Name", rule->name);
	ses_param_add(b, "Rule.Enabled", rule->enabled ? "true" : "false");
	if (rule->tls_policy && *rule->tls_policy)
		ses_param_add(b, "Rule.TlsPolicy", rule->tls_policy);
	for (size_t i = 0; i < rule->n_recipients; i++)
		ses_param_addf(b, rule->recipients[i], "Rule.Recipients.member.%zu", i + 1);
	if (!rule->n_actions)
		ses_param_add(b, "Rule.Actions", NULL);
	for (size_t i = 0; i < rule->n_actions; i++)
		put_action(b, &rule->actions[i], i + 1);
	ses_param_add(b, "Rule.ScanEnabled", rule->scan_enabled ? "true" : "false");
}

enum sc_status sesv1_build_create_receipt_rule(struct ses_request *r, const char *set,
					       const struct ses_rule *rule, const char *after,
					       struct sc_error *err)
{
	const char *op = "CreateReceiptRule";
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_rule(op, rule, err);
	if (st == SC_OK && after && *after)
		st = check_name(op, "preceding rule", after, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	if (after && *after)
		ses_param_add(&r->body, "After", after);
	put_rule(&r->body, rule);
	return SC_OK;
}

enum sc_status sesv1_build_update_receipt_rule(struct ses_request *r, const char *set,
					       const struct ses_rule *rule, struct sc_error *err)
{
	const char *op = "UpdateReceiptRule";
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_rule(op, rule, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	put_rule(&r->body, rule);
	return SC_OK;
}

enum sc_status sesv1_build_delete_receipt_rule(struct ses_request *r, const char *set,
					       const char *rule_name, struct sc_error *err)
{
	const char *op = "DeleteReceiptRule";
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_name(op, "rule", rule_name, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	ses_param_add(&r->body, "RuleName", rule_name);
	return SC_OK;
}

enum sc_status sesv1_build_set_receipt_rule_position(struct ses_request *r, const char *set,
						     const char *rule_name, const char *after,
						     struct sc_error *err)
{
	const char *op = "SetReceiptRulePosition";
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK)
		st = check_name(op, "rule", rule_name, err);
	if (st == SC_OK && after && *after)
		st = check_name(op, "preceding rule", after, err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	ses_param_add(&r->body, "RuleName", rule_name);
	if (after && *after)
		ses_param_add(&r->body, "After", after);
	return SC_OK;
}

enum sc_status sesv1_build_reorder_receipt_rule_set(struct ses_request *r, const char *set,
						    const char *const *names, size_t n,
						    struct sc_error *err)
{
	const char *op = "ReorderReceiptRuleSet";
	enum sc_status st = check_name(op, "rule set", set, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!names || !n))
		st = sc_fail(err, SC_USAGE, "%s: the new order names no rules", op);
	for (size_t i = 0; st == SC_OK && i < n; i++)
		st = check_name(op, "rule", names[i], err);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "RuleSetName", set);
	for (size_t i = 0; i < n; i++)
		ses_param_addf(&r->body, names[i], "RuleNames.member.%zu", i + 1);
	return SC_OK;
}

void sesv1_build_list_receipt_filters(struct ses_request *r)
{
	sesv1_query(r, "ListReceiptFilters");
}

enum sc_status sesv1_build_create_receipt_filter(struct ses_request *r,
						 const struct ses_receipt_filter *f,
						 struct sc_error *err)
{
	const char *op = "CreateReceiptFilter";
	enum sc_status st = check_name(op, "filter", f ? f->name : NULL, err);

	memset(r, 0, sizeof(*r));
	if (st == SC_OK && (!f->policy || (strcmp(f->policy, "Block") && strcmp(f->policy, "Allow"))))
		st = sc_fail(err, SC_USAGE, "%s: the filter policy must be Block or Allow", op);
	if (st == SC_OK && (!f->cidr || !*f->cidr))
		st = sc_fail(err, SC_USAGE, "%s: the filter needs an IP address or CIDR range", op);
	if (st != SC_OK)
		return st;
	sesv1_query(r, op);
	ses_param_add(&r->body, "Filter.Name", f->name);
	ses_param_add(&r->body, "Filter.IpFilter.Policy", f->policy);
	ses_param_add(&r->body, "Filter.IpFilter.Cidr", f->cidr);
	return SC_OK;
}

enum sc_status sesv1_build_delete_receipt_filter(struct ses_request *r, const char *name,
						 struct sc_error *err)
{
	enum sc_status st = check_name("DeleteReceiptFilter", "filter", name, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	sesv1_query(r, "DeleteReceiptFilter");
	ses_param_add(&r->body, "FilterName", name);
	return SC_OK;
}

enum sc_status sesv1_parse_list_receipt_rule_sets(const char *body, size_t len,
						  struct ses_rule_set **v, size_t *n,
						  char **next_token, struct sc_error *err)
{
	const char *op = "ListReceiptRuleSets";
	xmlNode *result, *sets, *m;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	size_t base = *n;

	if (!doc)
		return SC_BAD_REPLY;
	sets = xml_child(result, "RuleSets");
	*v = xrealloc(*v, (base + xml_count(sets, "member") + 1) * sizeof(**v));
	for (m = xml_next(sets, NULL, "member"); m; m = xml_next(sets, m, "member")) {
		struct ses_rule_set *x = &(*v)[*n];

		memset(x, 0, sizeof(*x));
		x->name = xml_path_text(m, "Name");
		if (!x->name || !*x->name) {
			free(x->name);
			while (*n > base)
				ses_rule_set_free(&(*v)[--(*n)]);
			xml_free(doc);
			return xr_fail_field(err, op, "RuleSets.member.Name");
		}
		xml_path_time(m, "CreatedTimestamp", &x->created);
		(*n)++;
	}
	if (next_token) {
		free(*next_token);
		*next_token = xml_path_text(result, "NextToken");
		if (*next_token && !**next_token) {
			free(*next_token);
			*next_token = NULL;
		}
	}
	xml_free(doc);
	return SC_OK;
}

static enum sc_status parse_action(const char *op, xmlNode *member, struct ses_action *a,
				   struct sc_error *err)
{
	xmlNode *el = NULL;

	for (xmlNode *c = member->children; c && !el; c = c->next)
		if (c->type == XML_ELEMENT_NODE)
			el = c;
	if (!el)
		return xr_fail_field(err, op, "Rules.member.Actions.member (an empty action)");
	a->kind = ses_action_kind_from(xml_name(el));
	for (size_t k = 0; k < N_ACTION_FIELDS; k++) {
		const struct action_field *f = &action_fields[k];
		char **slot;

		if (f->kind != a->kind)
			continue;
		slot = field_slot(a, f);
		if (!*slot)
			*slot = xml_path_text(el, f->field);
		if (f->required && (!*slot || !**slot))
			return sc_fail(err, SC_BAD_REPLY, "%s: the reply has no usable %s.%s", op,
				       f->element, f->field);
	}
	if (a->kind == SES_ACTION_UNKNOWN)
		a->topic_arn = xml_path_text(el, "TopicArn");
	return SC_OK;
}

static char **text_list(xmlNode *list, size_t *n)
{
	char **v;

	*n = xml_count(list, "member");
	if (!*n)
		return NULL;
	v = xcalloc(*n, sizeof(*v));
	*n = 0;
	for (xmlNode *m = xml_next(list, NULL, "member"); m; m = xml_next(list, m, "member"))
		v[(*n)++] = xml_text(m);
	return v;
}

static enum sc_status parse_rule(const char *op, xmlNode *m, struct ses_rule *rule,
				 struct sc_error *err)
{
	xmlNode *actions = xml_child(m, "Actions");
	enum sc_status st = SC_OK;

	rule->name = xml_path_text(m, "Name");
	if (!rule->name || !*rule->name)
		return xr_fail_field(err, op, "Rules.member.Name");
	xml_path_bool(m, "Enabled", &rule->enabled);
	xml_path_bool(m, "ScanEnabled", &rule->scan_enabled);
	rule->tls_policy = xml_path_text(m, "TlsPolicy");
	rule->recipients = text_list(xml_child(m, "Recipients"), &rule->n_recipients);
	rule->n_actions = 0;
	if (xml_count(actions, "member"))
		rule->actions = xcalloc(xml_count(actions, "member"), sizeof(*rule->actions));
	for (xmlNode *a = xml_next(actions, NULL, "member"); a && st == SC_OK;
	     a = xml_next(actions, a, "member"))
		st = parse_action(op, a, &rule->actions[rule->n_actions++], err);
	return st;
}

/* Metadata + Rules of a Describe*ReceiptRuleSet result into out. */
static enum sc_status parse_rule_set(const char *op, xmlNode *result, struct ses_rule_set *out,
				     struct sc_error *err)
{
	xmlNode *rules = xml_child(result, "Rules");
	enum sc_status st = SC_OK;

	out->name = xml_path_text(result, "Metadata/Name");
	if (!out->name || !*out->name)
		return xr_fail_field(err, op, "Metadata.Name");
	xml_path_time(result, "Metadata/CreatedTimestamp", &out->created);
	out->has_rules = true;
	if (xml_count(rules, "member"))
		out->rules = xcalloc(xml_count(rules, "member"), sizeof(*out->rules));
	for (xmlNode *m = xml_next(rules, NULL, "member"); m && st == SC_OK;
	     m = xml_next(rules, m, "member"))
		st = parse_rule(op, m, &out->rules[out->n_rules++], err);
	return st;
}

enum sc_status sesv1_parse_describe_receipt_rule_set(const char *body, size_t len,
						     struct ses_rule_set *out,
						     struct sc_error *err)
{
	const char *op = "DescribeReceiptRuleSet";
	xmlNode *result;
	xmlDoc *doc;
	enum sc_status st;

	ses_rule_set_free(out);
	doc = xr_open(body, len, op, true, &result, err);
	if (!doc)
		return SC_BAD_REPLY;
	st = parse_rule_set(op, result, out, err);
	xml_free(doc);
	if (st != SC_OK)
		ses_rule_set_free(out);
	return st;
}

enum sc_status sesv1_parse_describe_active_receipt_rule_set(const char *body, size_t len,
							    struct ses_rule_set *out, bool *found,
							    struct sc_error *err)
{
	const char *op = "DescribeActiveReceiptRuleSet";
	xmlNode *result;
	xmlDoc *doc;
	enum sc_status st = SC_OK;

	ses_rule_set_free(out);
	*found = false;
	doc = xr_open(body, len, op, false, &result, err);
	if (!doc)
		return SC_BAD_REPLY;
	if (xml_child(result, "Metadata")) {
		st = parse_rule_set(op, result, out, err);
		*found = st == SC_OK;
		out->active = *found;
	}
	xml_free(doc);
	if (st != SC_OK)
		ses_rule_set_free(out);
	return st;
}

enum sc_status sesv1_parse_list_receipt_filters(const char *body, size_t len,
						struct ses_receipt_filter **v, size_t *n,
						struct sc_error *err)
{
	const char *op = "ListReceiptFilters";
	xmlNode *result, *list;
	xmlDoc *doc = xr_open(body, len, op, true, &result, err);
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	if (!doc)
		return SC_BAD_REPLY;
	list = xml_child(result, "Filters");
	if (!list) {
		xml_free(doc);
		return xr_fail_field(err, op, "Filters");
	}
	*v = xcalloc(xml_count(list, "member") + 1, sizeof(**v));
	for (xmlNode *m = xml_next(list, NULL, "member"); m && st == SC_OK;
	     m = xml_next(list, m, "member")) {
		struct ses_receipt_filter *f = &(*v)[(*n)++];

		f->name = xml_path_text(m, "Name");
		f->policy = xml_path_text(m, "IpFilter/Policy");
		f->cidr = xml_path_text(m, "IpFilter/Cidr");
		if (!f->name || !f->policy || !f->cidr || !*f->name || !*f->cidr)
			st = xr_fail_field(err, op, "Filters.member (Name, IpFilter.Policy, IpFilter.Cidr)");
	}
	xml_free(doc);
	if (st != SC_OK) {
		sesv1_receipt_filters_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}

enum sc_status sesv1_list_receipt_rule_sets(const struct ses_ctx *ctx, struct ses_rule_set **v,
					    size_t *n, struct sc_error *err)
{
	char *token = NULL, *prev = NULL;
	struct ses_pager pager = {.op = "ListReceiptRuleSets"};
	enum sc_status st = SC_OK;

	*v = NULL;
	*n = 0;
	for (int page = 0; st == SC_OK && page < 10000; page++) {
		struct ses_request r;
		struct aws_reply reply;

		sesv1_build_list_receipt_rule_sets(&r, token);
		st = ses_send(ctx, &r, &reply, err);
		if (st != SC_OK)
			break;
		free(prev);
		prev = token;
		token = NULL;
		st = sesv1_parse_list_receipt_rule_sets(reply.body.data, reply.body.len, v, n,
							&token, err);
		aws_reply_free(&reply);
		if (st == SC_OK)
			st = ses_pager_next(&pager, token, *n, err);
		if (!token)
			break;
	}
	free(prev);
	ses_pager_free(&pager);
	free(token);
	if (st != SC_OK) {
		ses_rule_sets_free(*v, *n);
		*v = NULL;
		*n = 0;
	}
	return st;
}

enum sc_status sesv1_describe_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					       struct ses_rule_set *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = sesv1_build_describe_receipt_rule_set(&r, set, err);

	if (st == SC_OK)
		st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_describe_receipt_rule_set(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	if (st == SC_OK)
		out->fetched = time(NULL);
	return st;
}

enum sc_status sesv1_describe_active_receipt_rule_set(const struct ses_ctx *ctx,
						      struct ses_rule_set *out, bool *found,
						      struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	*found = false;
	sesv1_build_describe_active_receipt_rule_set(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_describe_active_receipt_rule_set(reply.body.data, reply.body.len, out,
							  found, err);
	aws_reply_free(&reply);
	if (st == SC_OK && *found)
		out->fetched = time(NULL);
	return st;
}

enum sc_status sesv1_create_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					     struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_create_receipt_rule_set(&r, set, err), err);
}

enum sc_status sesv1_delete_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					     struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_delete_receipt_rule_set(&r, set, err), err);
}

enum sc_status sesv1_clone_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					    const char *original, struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_clone_receipt_rule_set(&r, set, original, err),
			  err);
}

enum sc_status sesv1_set_active_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
						 struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_set_active_receipt_rule_set(&r, set, err), err);
}

enum sc_status sesv1_create_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const struct ses_rule *rule, const char *after,
					 struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_create_receipt_rule(&r, set, rule, after, err),
			  err);
}

enum sc_status sesv1_update_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const struct ses_rule *rule, struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_update_receipt_rule(&r, set, rule, err), err);
}

enum sc_status sesv1_delete_receipt_rule(const struct ses_ctx *ctx, const char *set,
					 const char *rule_name, struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_delete_receipt_rule(&r, set, rule_name, err),
			  err);
}

enum sc_status sesv1_set_receipt_rule_position(const struct ses_ctx *ctx, const char *set,
					       const char *rule_name, const char *after,
					       struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r,
			  sesv1_build_set_receipt_rule_position(&r, set, rule_name, after, err),
			  err);
}

enum sc_status sesv1_reorder_receipt_rule_set(const struct ses_ctx *ctx, const char *set,
					      const char *const *names, size_t n,
					      struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_reorder_receipt_rule_set(&r, set, names, n, err),
			  err);
}

enum sc_status sesv1_list_receipt_filters(const struct ses_ctx *ctx,
					  struct ses_receipt_filter **v, size_t *n,
					  struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	*v = NULL;
	*n = 0;
	sesv1_build_list_receipt_filters(&r);
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = sesv1_parse_list_receipt_filters(reply.body.data, reply.body.len, v, n, err);
	aws_reply_free(&reply);
	return st;
}

enum sc_status sesv1_create_receipt_filter(const struct ses_ctx *ctx,
					   const struct ses_receipt_filter *f,
					   struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_create_receipt_filter(&r, f, err), err);
}

enum sc_status sesv1_delete_receipt_filter(const struct ses_ctx *ctx, const char *name,
					   struct sc_error *err)
{
	struct ses_request r;

	return sesv1_send_empty(ctx, &r, sesv1_build_delete_receipt_filter(&r, name, err), err);
}

#include "sesctl/ses/model.h"

#include <stdlib.h>
#include <string.h>

#include "sesctl/util/buf.h"

static void free_strv(char **v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(v[i]);
	free(v);
}

static char *dup_or_null(const char *s)
{
	return s ? xstrdup(s) : NULL;
}

static char **dup_strv(char *const *v, size_t n)
{
	char **out;

	if (!n)
		return NULL;
	out = xcalloc(n, sizeof(*out));
	for (size_t i = 0; i < n; i++)
		out[i] = dup_or_null(v[i]);
	return out;
}

void ses_identity_free(struct ses_identity *x)
{
	free(x->name);
	free(x->type);
	free(x->verification_status);
	free(x->dkim_status);
	free(x->dkim_origin);
	free(x->dkim_current_key_length);
	free(x->dkim_next_key_length);
	free_strv(x->dkim_tokens, x->n_dkim_tokens);
	free(x->mail_from_domain);
	free(x->mail_from_status);
	free(x->mail_from_on_mx_failure);
	free(x->configuration_set);
	free(x->verification_token);
	free(x->verification_error);
	for (size_t i = 0; i < x->n_policies; i++) {
		free(x->policies[i].name);
		free(x->policies[i].document);
	}
	free(x->policies);
	for (size_t i = 0; i < x->n_tags; i++) {
		free(x->tags[i].key);
		free(x->tags[i].value);
	}
	free(x->tags);
	memset(x, 0, sizeof(*x));
}

void ses_identity_copy(struct ses_identity *dst, const struct ses_identity *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->type = dup_or_null(src->type);
	dst->verification_status = dup_or_null(src->verification_status);
	dst->dkim_status = dup_or_null(src->dkim_status);
	dst->dkim_origin = dup_or_null(src->dkim_origin);
	dst->dkim_current_key_length = dup_or_null(src->dkim_current_key_length);
	dst->dkim_next_key_length = dup_or_null(src->dkim_next_key_length);
	dst->dkim_tokens = dup_strv(src->dkim_tokens, src->n_dkim_tokens);
	dst->mail_from_domain = dup_or_null(src->mail_from_domain);
	dst->mail_from_status = dup_or_null(src->mail_from_status);
	dst->mail_from_on_mx_failure = dup_or_null(src->mail_from_on_mx_failure);
	dst->configuration_set = dup_or_null(src->configuration_set);
	dst->verification_token = dup_or_null(src->verification_token);
	dst->verification_error = dup_or_null(src->verification_error);
	dst->policies = src->n_policies ? xcalloc(src->n_policies, sizeof(*dst->policies)) : NULL;
	for (size_t i = 0; i < src->n_policies; i++) {
		dst->policies[i].name = dup_or_null(src->policies[i].name);
		dst->policies[i].document = dup_or_null(src->policies[i].document);
	}
	dst->tags = src->n_tags ? xcalloc(src->n_tags, sizeof(*dst->tags)) : NULL;
	for (size_t i = 0; i < src->n_tags; i++) {
		dst->tags[i].key = dup_or_null(src->tags[i].key);
		dst->tags[i].value = dup_or_null(src->tags[i].value);
	}
}

void ses_identities_free(struct ses_identity *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_identity_free(&v[i]);
	free(v);
}

void ses_account_free(struct ses_account *x)
{
	free(x->account_id);
	free(x->region);
	free(x->enforcement_status);
	free_strv(x->suppressed_reasons, x->n_suppressed_reasons);
	free(x->mail_type);
	free(x->website_url);
	free(x->contact_language);
	free(x->use_case_description);
	free(x->review_status);
	free(x->review_case_id);
	memset(x, 0, sizeof(*x));
}

void ses_config_set_free(struct ses_config_set *x)
{
	free(x->name);
	free(x->tls_policy);
	free(x->sending_pool);
	free_strv(x->suppressed_reasons, x->n_suppressed_reasons);
	memset(x, 0, sizeof(*x));
}

void ses_suppressed_free(struct ses_suppressed *x)
{
	free(x->email);
	free(x->reason);
	free(x->message_id);
	free(x->feedback_id);
	memset(x, 0, sizeof(*x));
}

#define ACTION_STRINGS(_)                                                                  \
	_(topic_arn) _(bucket) _(prefix) _(kms_key_arn) _(iam_role_arn) _(encoding)       \
	_(function_arn) _(invocation_type) _(smtp_reply_code) _(status_code) _(message)    \
	_(sender) _(scope) _(header_name) _(header_value) _(organization_arn) _(instance_arn)

void ses_action_free(struct ses_action *x)
{
#define FREE_FIELD(f) free(x->f);
	ACTION_STRINGS(FREE_FIELD)
#undef FREE_FIELD
	memset(x, 0, sizeof(*x));
}

static void action_copy(struct ses_action *dst, const struct ses_action *src)
{
	dst->kind = src->kind;
#define COPY_FIELD(f) dst->f = dup_or_null(src->f);
	ACTION_STRINGS(COPY_FIELD)
#undef COPY_FIELD
}

void ses_rule_free(struct ses_rule *x)
{
	free(x->name);
	free(x->tls_policy);
	free_strv(x->recipients, x->n_recipients);
	for (size_t i = 0; i < x->n_actions; i++)
		ses_action_free(&x->actions[i]);
	free(x->actions);
	memset(x, 0, sizeof(*x));
}

void ses_rule_copy(struct ses_rule *dst, const struct ses_rule *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->tls_policy = dup_or_null(src->tls_policy);
	dst->recipients = dup_strv(src->recipients, src->n_recipients);
	dst->actions = src->n_actions ? xcalloc(src->n_actions, sizeof(*dst->actions)) : NULL;
	for (size_t i = 0; i < src->n_actions; i++)
		action_copy(&dst->actions[i], &src->actions[i]);
}

void ses_rule_set_free(struct ses_rule_set *x)
{
	free(x->name);
	for (size_t i = 0; i < x->n_rules; i++)
		ses_rule_free(&x->rules[i]);
	free(x->rules);
	memset(x, 0, sizeof(*x));
}

void ses_rule_sets_free(struct ses_rule_set *v, size_t n)
{
	for (size_t i = 0; i < n; i++)
		ses_rule_set_free(&v[i]);
	free(v);
}

void ses_receipt_filter_free(struct ses_receipt_filter *x)
{
	free(x->name);
	free(x->policy);
	free(x->cidr);
	memset(x, 0, sizeof(*x));
}

void ses_mm_item_free(struct ses_mm_item *x)
{
	free(x->kind);
	free(x->id);
	free(x->name);
	free(x->status);
	free(x->detail);
	memset(x, 0, sizeof(*x));
}

void ses_caller_free(struct ses_caller *x)
{
	free(x->account);
	free(x->arn);
	free(x->user_id);
	memset(x, 0, sizeof(*x));
}

enum ses_state ses_state_of(const char *s)
{
	if (!s || !*s)
		return SES_STATE_NONE;
	/* SESv2 spells them SUCCESS, NOT_STARTED...; SES v1 Success, NotStarted... */
	if (!strcmp(s, "SUCCESS") || !strcmp(s, "Success"))
		return SES_STATE_OK;
	if (!strcmp(s, "PENDING") || !strcmp(s, "NOT_STARTED") || !strcmp(s, "Pending") ||
	    !strcmp(s, "NotStarted"))
		return SES_STATE_PENDING;
	if (!strcmp(s, "FAILED") || !strcmp(s, "Failed"))
		return SES_STATE_FAILED;
	if (!strcmp(s, "TEMPORARY_FAILURE") || !strcmp(s, "TemporaryFailure"))
		return SES_STATE_TEMPFAIL;
	return SES_STATE_UNKNOWN;
}

bool ses_identity_is_domain(const struct ses_identity *x)
{
	if (x->type)
		return strcmp(x->type, "EMAIL_ADDRESS") != 0;
	return x->name && !strchr(x->name, '@');
}

static const struct {
	enum ses_action_kind kind;
	const char *name;
	const char *element;
} action_kinds[] = {
	{SES_ACTION_S3, "S3", "S3Action"},
	{SES_ACTION_SNS, "SNS", "SNSAction"},
	{SES_ACTION_LAMBDA, "Lambda", "LambdaAction"},
	{SES_ACTION_BOUNCE, "Bounce", "BounceAction"},
	{SES_ACTION_STOP, "Stop", "StopAction"},
	{SES_ACTION_ADD_HEADER, "AddHeader", "AddHeaderAction"},
	{SES_ACTION_WORKMAIL, "WorkMail", "WorkmailAction"},
	{SES_ACTION_CONNECT, "Connect", "ConnectAction"},
};

const char *ses_action_kind_name(enum ses_action_kind k)
{
	for (size_t i = 0; i < sizeof(action_kinds) / sizeof(action_kinds[0]); i++)
		if (action_kinds[i].kind == k)
			return action_kinds[i].name;
	return "Unknown";
}

enum ses_action_kind ses_action_kind_from(const char *element)
{
	for (size_t i = 0; i < sizeof(action_kinds) / sizeof(action_kinds[0]); i++)
		if (!strcmp(action_kinds[i].element, element) || !strcmp(action_kinds[i].name, element))
			return action_kinds[i].kind;
	return SES_ACTION_UNKNOWN;
}

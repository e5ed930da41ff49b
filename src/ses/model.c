#include "sesctl/ses/model.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

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

static void free_tags(struct ses_tag *v, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		free(v[i].key);
		free(v[i].value);
	}
	free(v);
}

void ses_event_dest_free(struct ses_event_dest *x)
{
	free(x->name);
	free_strv(x->unknown_events, x->n_unknown_events);
	free(x->arn);
	free(x->role_arn);
	for (size_t i = 0; i < x->n_dims; i++) {
		free(x->dims[i].name);
		free(x->dims[i].source);
		free(x->dims[i].default_value);
	}
	free(x->dims);
	memset(x, 0, sizeof(*x));
}

void ses_config_set_free(struct ses_config_set *x)
{
	free(x->name);
	free(x->tls_policy);
	free(x->sending_pool);
	free_strv(x->suppressed_reasons, x->n_suppressed_reasons);
	free(x->validation_enabled);
	free(x->validation_threshold);
	free(x->tracking_domain);
	free(x->https_policy);
	free(x->vdm_engagement);
	free(x->vdm_optimized_delivery);
	free(x->archive_arn);
	free_tags(x->tags, x->n_tags);
	for (size_t i = 0; i < x->n_dests; i++)
		ses_event_dest_free(&x->dests[i]);
	free(x->dests);
	memset(x, 0, sizeof(*x));
}

void ses_event_dest_copy(struct ses_event_dest *dst, const struct ses_event_dest *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->unknown_events = dup_strv(src->unknown_events, src->n_unknown_events);
	dst->arn = dup_or_null(src->arn);
	dst->role_arn = dup_or_null(src->role_arn);
	dst->dims = src->n_dims ? xcalloc(src->n_dims, sizeof(*dst->dims)) : NULL;
	for (size_t i = 0; i < src->n_dims; i++) {
		dst->dims[i].name = dup_or_null(src->dims[i].name);
		dst->dims[i].source = dup_or_null(src->dims[i].source);
		dst->dims[i].default_value = dup_or_null(src->dims[i].default_value);
	}
}

void ses_config_set_copy(struct ses_config_set *dst, const struct ses_config_set *src)
{
	*dst = *src;
	dst->name = dup_or_null(src->name);
	dst->tls_policy = dup_or_null(src->tls_policy);
	dst->sending_pool = dup_or_null(src->sending_pool);
	dst->suppressed_reasons = dup_strv(src->suppressed_reasons, src->n_suppressed_reasons);
	dst->validation_enabled = dup_or_null(src->validation_enabled);
	dst->validation_threshold = dup_or_null(src->validation_threshold);
	dst->tracking_domain = dup_or_null(src->tracking_domain);
	dst->https_policy = dup_or_null(src->https_policy);
	dst->vdm_engagement = dup_or_null(src->vdm_engagement);
	dst->vdm_optimized_delivery = dup_or_null(src->vdm_optimized_delivery);
	dst->archive_arn = dup_or_null(src->archive_arn);
	dst->tags = src->n_tags ? xcalloc(src->n_tags, sizeof(*dst->tags)) : NULL;
	for (size_t i = 0; i < src->n_tags; i++) {
		dst->tags[i].key = dup_or_null(src->tags[i].key);
		dst->tags[i].value = dup_or_null(src->tags[i].value);
	}
	dst->dests = src->n_dests ? xcalloc(src->n_dests, sizeof(*dst->dests)) : NULL;
	for (size_t i = 0; i < src->n_dests; i++)
		ses_event_dest_copy(&dst->dests[i], &src->dests[i]);
}

static const char *const event_wire[] = {
#define EV_WIRE(id, wire, name) wire,
	SES_EVENT_TYPES(EV_WIRE)
#undef EV_WIRE
};
static const char *const event_short[] = {
#define EV_SHORT(id, wire, name) name,
	SES_EVENT_TYPES(EV_SHORT)
#undef EV_SHORT
};
static const char *const dest_member[] = {
	"",
#define DEST_MEMBER(id, member, name) member,
	SES_DEST_KINDS(DEST_MEMBER)
#undef DEST_MEMBER
};
static const char *const dest_short[] = {
	"?",
#define DEST_SHORT(id, member, name) name,
	SES_DEST_KINDS(DEST_SHORT)
#undef DEST_SHORT
};

const char *ses_event_wire(enum ses_event_type t)
{
	return (unsigned)t < SES_EVENT_COUNT ? event_wire[t] : "";
}

const char *ses_event_name(enum ses_event_type t)
{
	return (unsigned)t < SES_EVENT_COUNT ? event_short[t] : "";
}

int ses_event_from(const char *s)
{
	for (int t = 0; s && t < SES_EVENT_COUNT; t++)
		if (!strcasecmp(s, event_wire[t]) || !strcasecmp(s, event_short[t]))
			return t;
	return -1;
}

const char *ses_dest_member(enum ses_dest_kind k)
{
	return (unsigned)k < SES_DEST_COUNT ? dest_member[k] : "";
}

const char *ses_dest_name(enum ses_dest_kind k)
{
	return (unsigned)k < SES_DEST_COUNT ? dest_short[k] : "?";
}

bool ses_config_set_receives(const struct ses_config_set *x, enum ses_event_type t)
{
	for (size_t i = 0; i < x->n_dests; i++)
		if (x->dests[i].enabled && (x->dests[i].events & SES_EVENT_BIT(t)))
			return true;
	return false;
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

#include "sesctl/core/trace.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

/* Does recipient entry e cover address (local@domain)? Sets *why. */
static bool entry_matches(const char *e, const char *address, const char *domain, const char **why)
{
	size_t le, ld;

	if (!strcasecmp(e, address)) {
		*why = "address";
		return true;
	}
	if (!strcasecmp(e, domain)) {
		*why = "domain";
		return true;
	}
	if (e[0] != '.')
		return false;
	le = strlen(e);
	ld = strlen(domain);
	if (ld > le && !strcasecmp(domain + ld - le, e)) {
		*why = "parent domain";
		return true;
	}
	return false;
}

static bool has_stop(const struct ses_rule *r)
{
	for (size_t i = 0; i < r->n_actions; i++)
		if (r->actions[i].kind == SES_ACTION_STOP)
			return true;
	return false;
}

void trace_rule_set(const struct ses_rule_set *set, const char *address, struct trace_result *out)
{
	const char *at = strrchr(address, '@'), *domain = at ? at + 1 : address;

	memset(out, 0, sizeof(*out));
	out->steps = calloc(set->n_rules + 1, sizeof(*out->steps));
	if (!out->steps)
		return;
	for (size_t i = 0; i < set->n_rules && !out->stopped; i++) {
		const struct ses_rule *r = &set->rules[i];
		struct trace_step *s = &out->steps[out->n++];

		s->rule = r;
		s->position = i + 1;
		if (!r->enabled) {
			s->why = "disabled";
			continue;
		}
		if (!r->n_recipients) {
			s->applies = true;
			s->why = "no recipient list: every verified domain";
		}
		for (size_t k = 0; k < r->n_recipients && !s->applies; k++)
			if (entry_matches(r->recipients[k], address, domain, &s->why)) {
				s->applies = true;
				snprintf(s->matched, sizeof(s->matched), "%s", r->recipients[k]);
			}
		if (!s->applies) {
			s->why = "no recipient entry matches";
			continue;
		}
		out->applied++;
		s->stops = has_stop(r);
		out->stopped = s->stops;
	}
}

void trace_free(struct trace_result *r)
{
	free(r->steps);
	memset(r, 0, sizeof(*r));
}

static const char *or_dash(const char *s)
{
	return s && *s ? s : "-";
}

void trace_action_summary(struct buf *out, const struct ses_action *a)
{
	switch (a->kind) {
	case SES_ACTION_S3:
		buf_printf(out, "S3 %s/%s%s", or_dash(a->bucket), a->prefix ? a->prefix : "",
		           a->kms_key_arn ? " (KMS)" : "");
		break;
	case SES_ACTION_SNS:
		buf_printf(out, "SNS %s%s", or_dash(a->topic_arn),
		           a->encoding && strcmp(a->encoding, "UTF-8") ? " (Base64)" : "");
		return;
	case SES_ACTION_LAMBDA:
		buf_printf(out, "Lambda %s (%s)", or_dash(a->function_arn),
		           a->invocation_type ? a->invocation_type : "Event");
		break;
	case SES_ACTION_BOUNCE:
		buf_printf(out, "Bounce %s %s \"%s\" from %s", or_dash(a->smtp_reply_code),
		           a->status_code ? a->status_code : "", or_dash(a->message),
		           or_dash(a->sender));
		break;
	case SES_ACTION_STOP:
		buf_puts(out, "Stop");
		break;
	case SES_ACTION_ADD_HEADER:
		buf_printf(out, "AddHeader %s: %s", or_dash(a->header_name),
		           or_dash(a->header_value));
		break;
	case SES_ACTION_WORKMAIL:
		buf_printf(out, "WorkMail %s", or_dash(a->organization_arn));
		break;
	case SES_ACTION_CONNECT:
		buf_printf(out, "Connect %s", or_dash(a->instance_arn));
		break;
	default:
		buf_puts(out, "unknown action");
		break;
	}
	if (a->topic_arn)
		buf_printf(out, " +notify %s", a->topic_arn);
}

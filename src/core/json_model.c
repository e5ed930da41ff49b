#include "json_model.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/core/trace.h"
#include "sesctl/dns/name.h"
#include "sesctl/util/buf.h"

void jm_str(cJSON *o, const char *key, const char *v)
{
	if (v)
		cJSON_AddStringToObject(o, key, v);
	else
		cJSON_AddNullToObject(o, key);
}

void jm_time(cJSON *o, const char *key, time_t t)
{
	char buf[32];
	struct tm tm;

	if (!t || !gmtime_r(&t, &tm)) {
		cJSON_AddNullToObject(o, key);
		return;
	}
	strftime(buf, sizeof(buf), "%Y-%m-%dT%H:%M:%SZ", &tm);
	cJSON_AddStringToObject(o, key, buf);
}

void jm_age(char *out, size_t n, time_t then, time_t now)
{
	long d = (long)(now - then);

	if (!then)
		snprintf(out, n, "never");
	else if (d < 0)
		snprintf(out, n, "0s");
	else if (d < 120)
		snprintf(out, n, "%lds", d);
	else if (d < 7200)
		snprintf(out, n, "%ldm", d / 60);
	else if (d < 172800)
		snprintf(out, n, "%ldh", d / 3600);
	else
		snprintf(out, n, "%ldd", d / 86400);
}

static cJSON *strv(char *const *v, size_t n)
{
	cJSON *a = cJSON_CreateArray();

	for (size_t i = 0; i < n; i++)
		cJSON_AddItemToArray(a, cJSON_CreateString(v[i] ? v[i] : ""));
	return a;
}

char *jm_display_name(const char *name)
{
	const char *at = name ? strrchr(name, '@') : NULL;
	struct dns_name dn = {0};
	struct buf b = BUF_INIT;

	if (!name)
		return xstrdup("");
	if (dns_name_normalize(at ? at + 1 : name, DNS_NAME_UNDERSCORE, &dn, NULL) != SC_OK)
		return xstrdup(name);
	if (at)
		buf_append(&b, name, (size_t)(at - name) + 1);
	buf_puts(&b, dn.ulabel);
	dns_name_free(&dn);
	return buf_steal(&b);
}

/* What every identity object starts with. */
static cJSON *identity_head(const struct ses_identity *x, const char *region)
{
	cJSON *o = cJSON_CreateObject();
	char *display = jm_display_name(x->name);

	jm_str(o, "name", x->name);
	jm_str(o, "display_name", display);
	free(display);
	jm_str(o, "type", x->type);
	jm_str(o, "region", region);
	jm_str(o, "verification_status", x->verification_status);
	return o;
}

cJSON *jm_identity_brief(const struct ses_identity *x, const char *region, time_t now)
{
	cJSON *o = identity_head(x, region);
	char age[32];

	jm_str(o, "dkim_status", x->dkim_status);
	jm_str(o, "mail_from_status", x->mail_from_status);
	cJSON_AddBoolToObject(o, "sending_enabled", x->sending_enabled);
	jm_age(age, sizeof(age), x->fetched, now);
	jm_str(o, "age", age);
	return o;
}

cJSON *jm_identity(const struct ses_identity *x, const char *region, time_t now)
{
	cJSON *o = identity_head(x, region), *p;
	char age[32];

	cJSON_AddBoolToObject(o, "sending_enabled", x->sending_enabled);
	cJSON_AddBoolToObject(o, "verified_for_sending", x->verified_for_sending);
	jm_str(o, "dkim_status", x->dkim_status);
	cJSON_AddBoolToObject(o, "dkim_signing_enabled", x->dkim_signing_enabled);
	jm_str(o, "dkim_origin", x->dkim_origin);
	jm_str(o, "dkim_current_key_length", x->dkim_current_key_length);
	jm_str(o, "dkim_next_key_length", x->dkim_next_key_length);
	jm_time(o, "dkim_last_key_generation", x->dkim_last_key_generation);
	cJSON_AddItemToObject(o, "dkim_tokens", strv(x->dkim_tokens, x->n_dkim_tokens));
	jm_str(o, "mail_from_domain", x->mail_from_domain);
	jm_str(o, "mail_from_status", x->mail_from_status);
	jm_str(o, "mail_from_on_mx_failure", x->mail_from_on_mx_failure);
	cJSON_AddBoolToObject(o, "feedback_forwarding", x->feedback_forwarding);
	jm_str(o, "configuration_set", x->configuration_set);
	jm_str(o, "verification_token", x->verification_token);
	p = cJSON_AddObjectToObject(o, "policies");
	for (size_t i = 0; i < x->n_policies; i++)
		jm_str(p, x->policies[i].name, x->policies[i].document);
	p = cJSON_AddObjectToObject(o, "tags");
	for (size_t i = 0; i < x->n_tags; i++)
		jm_str(p, x->tags[i].key, x->tags[i].value);
	cJSON_AddBoolToObject(o, "has_details", x->has_details);
	jm_time(o, "fetched", x->fetched);
	jm_age(age, sizeof(age), x->fetched, now);
	jm_str(o, "age", age);
	return o;
}

cJSON *jm_account(const struct ses_account *a)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "account", a->account_id);
	jm_str(o, "region", a->region);
	cJSON_AddBoolToObject(o, "sending_enabled", a->sending_enabled);
	cJSON_AddBoolToObject(o, "production_access", a->production_access);
	jm_str(o, "enforcement_status", a->enforcement_status);
	cJSON_AddNumberToObject(o, "max_24h_send", a->max_24h_send);
	cJSON_AddNumberToObject(o, "max_send_rate", a->max_send_rate);
	cJSON_AddNumberToObject(o, "sent_last_24h", a->sent_last_24h);
	cJSON_AddItemToObject(o, "suppressed_reasons",
	                      strv(a->suppressed_reasons, a->n_suppressed_reasons));
	jm_str(o, "mail_type", a->mail_type);
	jm_str(o, "website_url", a->website_url);
	jm_str(o, "review_status", a->review_status);
	cJSON_AddBoolToObject(o, "vdm_enabled", a->vdm_enabled);
	jm_time(o, "fetched", a->fetched);
	return o;
}

static cJSON *actions_json(const struct ses_rule *r)
{
	cJSON *a = cJSON_CreateArray();
	struct buf b = BUF_INIT;

	for (size_t i = 0; i < r->n_actions; i++) {
		buf_reset(&b);
		trace_action_summary(&b, &r->actions[i]);
		cJSON_AddItemToArray(a, cJSON_CreateString(buf_str(&b)));
	}
	buf_free(&b);
	return a;
}

cJSON *jm_rule(const struct ses_rule *r, size_t pos)
{
	cJSON *o = cJSON_CreateObject();

	cJSON_AddNumberToObject(o, "position", (double)pos);
	jm_str(o, "name", r->name);
	cJSON_AddBoolToObject(o, "enabled", r->enabled);
	cJSON_AddItemToObject(o, "recipients", strv(r->recipients, r->n_recipients));
	jm_str(o, "tls_policy", r->tls_policy ? r->tls_policy : "Optional");
	cJSON_AddBoolToObject(o, "scan_enabled", r->scan_enabled);
	cJSON_AddItemToObject(o, "actions", actions_json(r));
	return o;
}

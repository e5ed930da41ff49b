/* The account's history: CloudTrail LookupEvents (JSON 1.1) and the CloudTrailEvent parser
 * that says who changed what in SES, with which tool, and why. */
#include "sesctl/ses/history.h"

#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/ses/jsonr.h"
#include "sesctl/util/buf.h"

#define CT_OP "LookupEvents"
#define CT_TARGET "com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents"
#define CT_EVENTS_MAX 1000    /* events taken from one page (CloudTrail sends at most 50) */
#define CT_ATTR_VALUE_MAX 2000 /* LookupAttribute.AttributeValue */

static const char *const tool_names[CT_TOOL_COUNT] = {
#define CT_TOOL_ROW(id, name) name,
	CT_TOOLS(CT_TOOL_ROW)
#undef CT_TOOL_ROW
};

static const struct {
	const char *name, *type;
} principals[CT_PRINCIPAL_COUNT] = {
#define CT_PRINCIPAL_ROW(id, name, type) {name, type},
	CT_PRINCIPALS(CT_PRINCIPAL_ROW)
#undef CT_PRINCIPAL_ROW
};

static const char *const op_names[CT_OP_COUNT] = {
#define CT_OP_ROW(id, name) name,
	CT_OPS(CT_OP_ROW)
#undef CT_OP_ROW
};

static const char *const resource_names[CT_RES_COUNT] = {
#define CT_RES_ROW(id, name) name,
	CT_RESOURCES(CT_RES_ROW)
#undef CT_RES_ROW
};

const char *ct_tool_name(enum ct_tool t)
{
	return (unsigned)t < CT_TOOL_COUNT ? tool_names[t] : "?";
}

const char *ct_principal_name(enum ct_principal p)
{
	return (unsigned)p < CT_PRINCIPAL_COUNT ? principals[p].name : "?";
}

const char *ct_op_name(enum ct_op o)
{
	return (unsigned)o < CT_OP_COUNT ? op_names[o] : "?";
}

const char *ct_resource_name(enum ct_resource r)
{
	return (unsigned)r < CT_RES_COUNT ? resource_names[r] : "?";
}

/* Index of s in names[n], any case; -1 when absent. */
static int name_index(const char *s, const char *const *names, int n)
{
	for (int i = 0; s && i < n; i++)
		if (!strcasecmp(s, names[i]))
			return i;
	return -1;
}

bool ct_op_from(const char *s, enum ct_op *out)
{
	int i = name_index(s, op_names, CT_OP_COUNT);

	if (i < 0)
		return false;
	*out = (enum ct_op)i;
	return true;
}

bool ct_tool_from(const char *s, enum ct_tool *out)
{
	int i = name_index(s, tool_names, CT_TOOL_COUNT);

	if (i < 0)
		return false;
	*out = (enum ct_tool)i;
	return true;
}

void ct_event_clear(struct ct_event *e)
{
	if (!e)
		return;
	free(e->event_id);
	free(e->event_name);
	free(e->event_source);
	free(e->region);
	free(e->account_id);
	free(e->who);
	free(e->who_arn);
	free(e->role);
	free(e->source_ip);
	free(e->user_agent);
	free(e->tool_version);
	free(e->reason);
	free(e->resource);
	free(e->request_params);
	free(e->request_id);
	free(e->error_code);
	free(e->error_message);
	memset(e, 0, sizeof(*e));
}

void ct_events_free(struct ct_events *evs)
{
	if (!evs)
		return;
	for (size_t i = 0; i < evs->n; i++)
		ct_event_clear(&evs->v[i]);
	free(evs->v);
	free(evs->next_token);
	memset(evs, 0, sizeof(*evs));
}

/* ---- bounded text ---- */

/* The first n bytes of s, at most CT_TEXT_MAX of them (cut at a UTF-8 boundary); NULL for
 * NULL or empty text. */
static char *text_dup(const char *s, size_t n)
{
	char *out;

	if (!s || !n)
		return NULL;
	if (n <= CT_TEXT_MAX)
		return xstrndup(s, n);
	out = xmalloc(CT_TEXT_MAX + 1);
	str_copy(out, CT_TEXT_MAX + 1, s); /* drops a sequence the limit cuts through */
	return out;
}

static char *text_of(const char *s)
{
	return s ? text_dup(s, strnlen(s, CT_TEXT_MAX + 1)) : NULL;
}

static const char *str_at(const cJSON *obj, const char *key)
{
	const cJSON *v = jr_get(obj, key);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static char *text_at(const cJSON *obj, const char *key)
{
	return text_of(str_at(obj, key));
}

/* A member of requestParameters, its key matched without regard to case. */
static const cJSON *param(const cJSON *params, const char *key)
{
	const cJSON *v;

	if (!cJSON_IsObject(params))
		return NULL;
	v = cJSON_GetObjectItem(params, key);
	return cJSON_IsNull(v) ? NULL : v;
}

static const char *param_str(const cJSON *params, const char *key)
{
	const cJSON *v = param(params, key);

	return cJSON_IsString(v) && *v->valuestring ? v->valuestring : NULL;
}

/* A boolean sent as true/false or "true"/"false": 1, 0, or -1 when neither. */
static int bool_of(const cJSON *v)
{
	if (cJSON_IsBool(v))
		return cJSON_IsTrue(v);
	if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "true"))
		return 1;
	if (cJSON_IsString(v) && !strcasecmp(v->valuestring, "false"))
		return 0;
	return -1;
}

static bool prefix_ci(const char *s, const char *prefix)
{
	return s && !strncasecmp(s, prefix, strlen(prefix));
}

static bool prefix(const char *s, const char *p)
{
	return s && !strncmp(s, p, strlen(p));
}

static bool suffix_ci(const char *s, size_t n, const char *suffix)
{
	size_t k = strlen(suffix);

	return n >= k && !strncasecmp(s + n - k, suffix, k);
}

/* s[0..n) is word, any case. */
static bool same_ci(const char *s, size_t n, const char *word)
{
	return n == strlen(word) && !strncasecmp(s, word, n);
}

/* ---- the tool ---- */

/* sesctl's agent ends with a comment "(reason: TEXT)"; TEXT has no parentheses. A comment
 * CloudTrail cut off before its ')' still gives what it kept. */
static char *reason_of(const char *ua)
{
	const char *open = strrchr(ua, '('), *text, *end;

	if (!open || strncasecmp(open, "(reason:", 8))
		return NULL;
	text = open + 8;
	while (*text == ' ')
		text++;
	end = strchr(text, ')');
	if (end) {
		for (const char *p = end + 1; *p; p++)
			if (!isspace((unsigned char)*p))
				return NULL; /* not the trailing comment */
	} else {
		end = text + strlen(text);
	}
	while (end > text && end[-1] == ' ')
		end--;
	return text_dup(text, (size_t)(end - text));
}

/* The agent is a bare host name ("ses.amazonaws.com", "lambda.amazonaws.com"): AWS itself
 * made the call. */
static bool aws_host(const char *ua, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (!isalnum((unsigned char)ua[i]) && ua[i] != '.' && ua[i] != '-')
			return false;
	return suffix_ci(ua, n, ".amazonaws.com");
}

/* The console's own agents (the console signs its calls with these). A browser's agent
 * ("Mozilla/5.0 …") is the console too: no other AWS client runs in a browser. */
static bool console_agent(const char *ua, size_t n, enum ct_principal principal)
{
	if (same_ci(ua, n, "console.amazonaws.com") || same_ci(ua, n, "signin.amazonaws.com"))
		return true;
	if (suffix_ci(ua, n, ".console.aws.amazon.com") ||
	    strcasestr(ua, "console.ses.amazonaws.com"))
		return true;
	if (same_ci(ua, n, "AWS Internal"))
		return principal != CT_PRINCIPAL_SERVICE;
	return prefix_ci(ua, "Mozilla/");
}

/* Infrastructure as code names itself first ("APN/1.0 HashiCorp/1.0 Terraform/1.6.0 …
 * aws-sdk-go-v2/…", "aws-cdk/…", "Pulumi"): it is another tool even though an SDK made the
 * call, so that "sdk" stays what a script or program of the team's own sent. */
static bool iac_agent(const char *ua)
{
	return prefix_ci(ua, "APN/") || prefix_ci(ua, "aws-cdk") || strcasestr(ua, "Terraform") ||
	       strcasestr(ua, "HashiCorp") || strcasestr(ua, "Pulumi");
}

/* An AWS SDK's own agent: "Boto3/1.34.0 …", "Botocore/…", "aws-sdk-go/…", "aws-sdk-java/…",
 * "AWS-SDK-…", "aws-sdk-rust", "aws-sdk-cpp", "aws-sdk-nodejs"; or an unnamed program whose
 * agent carries one after its own token ("myapp/2.0 Boto3/1.34.0"). */
static bool sdk_agent(const char *ua)
{
	return prefix_ci(ua, "Boto3/") || prefix_ci(ua, "Botocore/") || prefix_ci(ua, "aws-sdk") ||
	       strcasestr(ua, " Boto3/") || strcasestr(ua, " Botocore/") ||
	       strcasestr(ua, " aws-sdk-");
}

enum ct_tool ct_tool_of(const char *user_agent, enum ct_principal principal, char **version,
			char **reason)
{
	const char *ua = user_agent ? user_agent : "";
	enum ct_tool tool = CT_TOOL_OTHER;
	size_t n;

	if (version)
		*version = NULL;
	if (reason)
		*reason = NULL;
	while (isspace((unsigned char)*ua))
		ua++;
	n = strlen(ua);
	while (n && isspace((unsigned char)ua[n - 1]))
		n--;
	if (principal == CT_PRINCIPAL_SERVICE)
		return CT_TOOL_AWS;
	if (prefix_ci(ua, "sesctl/"))
		tool = CT_TOOL_SESCTL;
	else if (prefix_ci(ua, "aws-cli/"))
		tool = CT_TOOL_CLI;
	else if (n && console_agent(ua, n, principal))
		return CT_TOOL_CONSOLE;
	else if (n && aws_host(ua, n))
		return CT_TOOL_AWS;
	else if (iac_agent(ua))
		tool = CT_TOOL_OTHER;
	else if (sdk_agent(ua))
		tool = CT_TOOL_SDK;
	if (version)
		*version = text_dup(ua, strcspn(ua, " \t\r\n"));
	if (reason && tool == CT_TOOL_SESCTL)
		*reason = reason_of(ua);
	return tool;
}

/* ---- the principal ---- */

static enum ct_principal principal_of(const char *type)
{
	for (int p = 0; type && p < CT_PRINCIPAL_UNKNOWN; p++)
		if (!strcmp(type, principals[p].type))
			return (enum ct_principal)p;
	return CT_PRINCIPAL_UNKNOWN;
}

/* What follows the last '/' or ':' of s ("…:assumed-role/OpsRole/alice" → "alice"). */
static char *last_part(const char *s)
{
	const char *slash, *colon, *p;

	if (!s)
		return NULL;
	slash = strrchr(s, '/');
	colon = strrchr(s, ':');
	p = slash > colon ? slash : colon;
	return text_of(p ? p + 1 : s);
}

/* The role of "arn:aws:sts::123456789012:assumed-role/ROLE/SESSION". */
static char *role_of_arn(const char *arn)
{
	const char *p = arn ? strstr(arn, ":assumed-role/") : NULL, *end;

	if (!p)
		return NULL;
	p += strlen(":assumed-role/");
	end = strchr(p, '/');
	return end ? text_dup(p, (size_t)(end - p)) : NULL;
}

/* The short name of each principal (history.h). */
static char *who_of(const cJSON *id, enum ct_principal p)
{
	const char *arn = str_at(id, "arn"), *name = str_at(id, "userName");

	switch (p) {
	case CT_PRINCIPAL_ROOT:
		return xstrdup("root");
	case CT_PRINCIPAL_SERVICE:
		return text_at(id, "invokedBy");
	case CT_PRINCIPAL_ASSUMED_ROLE:
	case CT_PRINCIPAL_FEDERATED:
		return last_part(arn ? arn : str_at(id, "principalId"));
	case CT_PRINCIPAL_IDENTITY_CENTER:
		if (name)
			return text_of(name);
		if (str_at(id, "principalId"))
			return last_part(str_at(id, "principalId"));
		return text_at(jr_get(id, "onBehalfOf"), "userId");
	case CT_PRINCIPAL_ACCOUNT:
		/* another account acted: its id is the name there is */
		if (str_at(id, "accountId"))
			return text_at(id, "accountId");
		return text_at(id, "principalId");
	case CT_PRINCIPAL_IAM_USER:
	default:
		return name ? text_of(name) : last_part(arn);
	}
}

/* A session name a tool made up (Terraform's nanosecond timestamp, botocore's
 * "botocore-session-1733300000"): only digits once a known prefix is off. */
static bool generated_session(const char *who)
{
	static const char *const prefixes[] = {"botocore-session-", "aws-go-sdk-", "aws-sdk-js-",
					       "aws-sdk-java-", ""};
	size_t n;

	for (size_t i = 0; who && i < sizeof(prefixes) / sizeof(prefixes[0]); i++) {
		n = strlen(prefixes[i]);
		if (strncmp(who, prefixes[i], n) || !who[n])
			continue;
		for (const char *p = who + n;; p++) {
			if (!*p)
				return true;
			if (*p < '0' || *p > '9')
				break;
		}
	}
	return false;
}

static void read_identity(const cJSON *id, struct ct_event *e)
{
	const cJSON *issuer = jr_get(jr_get(id, "sessionContext"), "sessionIssuer");

	e->principal = principal_of(str_at(id, "type"));
	if (!cJSON_IsObject(id))
		return;
	e->who = who_of(id, e->principal);
	e->who_arn = text_at(id, "arn");
	if (e->principal == CT_PRINCIPAL_ASSUMED_ROLE) {
		e->role = text_at(issuer, "userName");
		if (!e->role)
			e->role = role_of_arn(str_at(id, "arn"));
		if (e->role && generated_session(e->who)) { /* a tool's timestamp names no one */
			free(e->who);
			e->who = xstrdup(e->role);
		}
	}
	if (!e->account_id)
		e->account_id = text_at(id, "accountId");
}

/* ---- what the call is about ---- */

/* The sending switches: the event, its flag, what it switches and the key naming that. */
static const struct {
	const char *event, *flag;
	enum ct_resource kind;
	const char *name_key;
} switches[] = {
	{"PutAccountSendingAttributes", "sendingEnabled", CT_RES_ACCOUNT, NULL},
	{"UpdateAccountSendingEnabled", "enabled", CT_RES_ACCOUNT, NULL},
	{"PutConfigurationSetSendingOptions", "sendingEnabled", CT_RES_CONFIG_SET,
	 "configurationSetName"},
	{"UpdateConfigurationSetSendingEnabled", "enabled", CT_RES_CONFIG_SET,
	 "configurationSetName"},
};

#define CT_REPUTATION_STATUS "UpdateReputationEntityCustomerManagedStatus"

static void set_resource(struct ct_event *e, enum ct_resource kind, const char *name)
{
	e->resource_kind = kind;
	free(e->resource);
	e->resource = text_of(name);
}

/* A reputation entity's reference is the tenant's ARN (…:tenant/NAME/ID): the tenant is
 * named by NAME, as the tenant calls name it. */
static void set_tenant_from_arn(struct ct_event *e, const char *arn)
{
	const char *p = arn ? strstr(arn, ":tenant/") : NULL;
	char name[128];
	size_t n;

	if (!p) {
		set_resource(e, CT_RES_TENANT, arn);
		return;
	}
	p += strlen(":tenant/");
	n = strcspn(p, "/");
	if (n >= sizeof(name))
		n = sizeof(name) - 1;
	memcpy(name, p, n);
	name[n] = 0;
	set_resource(e, CT_RES_TENANT, name);
}

/* A sending switch sets sending, resource_kind and resource; false for any other call. */
static bool sending_switch(struct ct_event *e, const cJSON *params)
{
	const char *status;

	for (size_t i = 0; i < sizeof(switches) / sizeof(switches[0]); i++) {
		if (strcmp(e->event_name, switches[i].event))
			continue;
		set_resource(e, switches[i].kind,
			     switches[i].name_key ? param_str(params, switches[i].name_key) : NULL);
		e->sending = bool_of(param(params, switches[i].flag));
		return true;
	}
	if (strcmp(e->event_name, CT_REPUTATION_STATUS))
		return false;
	set_tenant_from_arn(e, param_str(params, "reputationEntityReference"));
	status = param_str(params, "sendingStatus");
	if (status && (!strcasecmp(status, "ENABLED") || !strcasecmp(status, "REINSTATED")))
		e->sending = 1;
	else if (status && !strcasecmp(status, "DISABLED"))
		e->sending = 0;
	return true;
}

static bool account_call(const char *name)
{
	return prefix(name, "PutAccount") || prefix(name, "GetAccount") ||
	       prefix(name, "UpdateAccount") || !strcmp(name, "GetSendQuota") ||
	       !strcmp(name, "GetSendStatistics");
}

/* A receipt rule is named "SET/RULE" (v1 CreateReceiptRule sends the rule as rule.name). */
static void rule_resource(struct ct_event *e, const char *set, const cJSON *params)
{
	const char *rule = param_str(params, "ruleName");
	struct buf b = BUF_INIT;

	if (!rule)
		rule = param_str(param(params, "rule"), "name");
	if (!rule) {
		set_resource(e, CT_RES_RULE_SET, set);
		return;
	}
	buf_printf(&b, "%s/%s", set, rule);
	set_resource(e, CT_RES_RULE, buf_str(&b));
	buf_free(&b);
}

/* The identity a call names: v2 emailIdentity, v1 identity, domain or emailAddress. */
static const char *identity_param(const cJSON *params)
{
	static const char *const keys[] = {"emailIdentity", "identity", "domain", "emailAddress"};

	for (size_t i = 0; i < sizeof(keys) / sizeof(keys[0]); i++)
		if (param_str(params, keys[i]))
			return param_str(params, keys[i]);
	return NULL;
}

/* The resource from the event name and requestParameters; an identity wins over the set it
 * is tied to (PutEmailIdentityConfigurationSetAttributes is about the identity). */
static void resource_of(struct ct_event *e, const cJSON *params)
{
	const char *v;

	if (account_call(e->event_name)) {
		set_resource(e, CT_RES_ACCOUNT, NULL);
	} else if (strstr(e->event_name, "SuppressedDestination")) {
		set_resource(e, CT_RES_SUPPRESSION, param_str(params, "emailAddress"));
	} else if ((v = param_str(params, "ruleSetName"))) {
		rule_resource(e, v, params);
	} else if ((v = identity_param(params))) {
		set_resource(e, CT_RES_IDENTITY, v);
	} else if ((v = param_str(params, "tenantName"))) {
		set_resource(e, CT_RES_TENANT, v);
	} else if ((v = param_str(params, "configurationSetName"))) {
		set_resource(e, CT_RES_CONFIG_SET, v);
	} else {
		set_resource(e, CT_RES_OTHER, NULL);
	}
}

static enum ct_op op_of(const struct ct_event *e)
{
	const char *name = e->event_name;

	if (e->sending >= 0)
		return e->sending ? CT_OP_RESUME : CT_OP_PAUSE;
	if (prefix(name, "Create"))
		return CT_OP_CREATE;
	if (prefix(name, "Delete"))
		return CT_OP_DELETE;
	if (e->read_only || prefix(name, "Get") || prefix(name, "List") || prefix(name, "Describe"))
		return CT_OP_READ;
	return CT_OP_CHANGE;
}

/* op, sending and the resource, from the name, readOnly and requestParameters (NULL for an
 * event known by its outer fields only). */
static void derive(struct ct_event *e, const cJSON *params)
{
	e->sending = -1;
	if (!e->event_name) {
		set_resource(e, CT_RES_OTHER, NULL);
		e->op = e->read_only ? CT_OP_READ : CT_OP_CHANGE;
		return;
	}
	if (!sending_switch(e, params))
		resource_of(e, params);
	e->op = op_of(e);
}

/* ---- the CloudTrailEvent document ---- */

static void read_params(const cJSON *params, struct ct_event *e)
{
	char *json;

	if (!params)
		return;
	json = cJSON_PrintUnformatted(params);
	if (!json)
		return;
	if (strlen(json) > CT_PARAMS_MAX) {
		e->params_truncated = true;
		free(json);
		return;
	}
	e->request_params = json;
}

/* Reads doc into e (zeroed by the caller); *has_read_only tells whether readOnly was there. */
static void read_event(const cJSON *doc, struct ct_event *e, bool *has_read_only)
{
	int ro = bool_of(jr_get(doc, "readOnly"));

	e->event_id = text_at(doc, "eventID");
	e->event_name = text_at(doc, "eventName");
	e->event_source = text_at(doc, "eventSource");
	if (!jr_time_of(jr_get(doc, "eventTime"), &e->time))
		e->time = 0;
	*has_read_only = ro >= 0;
	e->read_only = ro == 1;
	e->region = text_at(doc, "awsRegion");
	e->account_id = text_at(doc, "recipientAccountId");
	read_identity(jr_get(doc, "userIdentity"), e);
	e->source_ip = text_at(doc, "sourceIPAddress");
	e->user_agent = text_at(doc, "userAgent");
	e->tool = ct_tool_of(str_at(doc, "userAgent"), e->principal, &e->tool_version, &e->reason);
	read_params(jr_get(doc, "requestParameters"), e);
	e->request_id = text_at(doc, "requestID");
	e->error_code = text_at(doc, "errorCode");
	e->error_message = text_at(doc, "errorMessage");
}

static cJSON *parse_doc(const char *json, size_t len)
{
	cJSON *doc = json && len ? cJSON_ParseWithLength(json, len) : NULL;

	if (cJSON_IsObject(doc))
		return doc;
	cJSON_Delete(doc);
	return NULL;
}

enum sc_status ct_event_parse(const char *json, size_t len, struct ct_event *out,
			      struct sc_error *err)
{
	cJSON *doc = parse_doc(json, len);
	bool has_ro;

	ct_event_clear(out);
	out->sending = -1;
	if (!doc)
		return sc_fail(err, SC_BAD_REPLY,
			       "CloudTrailEvent: the event is not a JSON object");
	read_event(doc, out, &has_ro);
	derive(out, jr_get(doc, "requestParameters"));
	cJSON_Delete(doc);
	return SC_OK;
}

/* ---- LookupEvents ---- */

static const char *const attr_keys[] = {"EventId",      "EventName",    "ReadOnly",
					"Username",     "ResourceType", "ResourceName",
					"EventSource",  "AccessKeyId"};

static bool attr_key_ok(const char *key)
{
	for (size_t i = 0; i < sizeof(attr_keys) / sizeof(attr_keys[0]); i++)
		if (!strcmp(key, attr_keys[i]))
			return true;
	return false;
}

static enum sc_status check_lookup(const struct ct_lookup *q, struct sc_error *err)
{
	size_t n;

	if (!q)
		return sc_fail(err, SC_USAGE, "%s: no query was given", CT_OP);
	if (q->attr_key && !attr_key_ok(q->attr_key))
		return sc_fail(err, SC_USAGE,
			       "%s: \"%.64s\" is not a lookup attribute (EventId, EventName, "
			       "ReadOnly, Username, ResourceType, ResourceName, EventSource, "
			       "AccessKeyId)",
			       CT_OP, q->attr_key);
	if (!q->attr_key && q->attr_value)
		return sc_fail(err, SC_USAGE, "%s: a lookup value was given without its attribute",
			       CT_OP);
	n = q->attr_value ? strlen(q->attr_value) : 0;
	if (q->attr_key && (n < 1 || n > CT_ATTR_VALUE_MAX))
		return sc_fail(err, SC_USAGE,
			       "%s: the %s to look up must be 1 to %d bytes (%zu given)", CT_OP,
			       q->attr_key, CT_ATTR_VALUE_MAX, n);
	if (q->start < 0 || q->end < 0)
		return sc_fail(err, SC_USAGE, "%s: a time before 1970 was given", CT_OP);
	if (q->start && q->end && q->start > q->end)
		return sc_fail(err, SC_USAGE, "%s: the start time is after the end time", CT_OP);
	if (q->max_results < 0 || q->max_results > CT_PAGE_MAX)
		return sc_fail(err, SC_USAGE, "%s: a page holds 1 to %d events (%d asked)", CT_OP,
			       CT_PAGE_MAX, q->max_results);
	if (q->next_token && strlen(q->next_token) > SES_TOKEN_MAX)
		return sc_fail(err, SC_USAGE, "%s: the page token is over %d bytes", CT_OP,
			       SES_TOKEN_MAX);
	return SC_OK;
}

/* The members in the order of the model's input shape, which is the order the AWS CLI
 * builds its parameters in (botocore writes them in the caller's order). */
enum sc_status ct_build_lookup(struct ses_request *r, const struct ct_lookup *q,
			       struct sc_error *err)
{
	enum sc_status st = check_lookup(q, err);

	memset(r, 0, sizeof(*r));
	if (st != SC_OK)
		return st;
	ses_request_init(r, SES_SVC_CLOUDTRAIL, CT_OP, "POST");
	buf_putc(&r->path, '/');
	r->content_type = "application/x-amz-json-1.1";
	r->target = CT_TARGET;
	ses_json_open(&r->body, '{');
	if (q->attr_key) {
		ses_json_key(&r->body, "LookupAttributes");
		ses_json_open(&r->body, '[');
		ses_json_open(&r->body, '{');
		ses_json_kv(&r->body, "AttributeKey", q->attr_key);
		ses_json_kv(&r->body, "AttributeValue", q->attr_value);
		ses_json_close(&r->body, '}');
		ses_json_close(&r->body, ']');
	}
	if (q->start) {
		ses_json_key(&r->body, "StartTime");
		ses_json_num(&r->body, (double)q->start);
	}
	if (q->end) {
		ses_json_key(&r->body, "EndTime");
		ses_json_num(&r->body, (double)q->end);
	}
	ses_json_key(&r->body, "MaxResults");
	ses_json_num(&r->body, q->max_results ? q->max_results : CT_PAGE_MAX);
	ses_json_kv(&r->body, "NextToken", q->next_token && *q->next_token ? q->next_token : NULL);
	ses_json_close(&r->body, '}');
	return SC_OK;
}

/* The outer fields fill what the document lacked. */
static void merge_outer(const cJSON *ev, struct ct_event *e, bool has_read_only)
{
	int ro = bool_of(jr_get(ev, "ReadOnly"));
	time_t t;

	if (!e->event_id)
		e->event_id = text_at(ev, "EventId");
	if (!e->event_name)
		e->event_name = text_at(ev, "EventName");
	if (!e->event_source)
		e->event_source = text_at(ev, "EventSource");
	if (!e->time && jr_time_of(jr_get(ev, "EventTime"), &t))
		e->time = t;
	if (!has_read_only && ro >= 0)
		e->read_only = ro == 1;
	if (!e->who)
		e->who = text_at(ev, "Username");
}

/* One element of Events into e (zeroed); false when it cannot be an event. */
static bool read_outer(const cJSON *ev, struct ct_event *e)
{
	const cJSON *inner = jr_get(ev, "CloudTrailEvent");
	cJSON *doc = NULL;
	bool has_ro = false;

	if (!cJSON_IsObject(ev))
		return false;
	if (cJSON_IsString(inner))
		doc = parse_doc(inner->valuestring, strlen(inner->valuestring));
	e->sending = -1;
	if (doc) {
		read_event(doc, e, &has_ro);
	} else {
		e->damaged = true;
		e->principal = CT_PRINCIPAL_UNKNOWN;
		e->tool = CT_TOOL_OTHER;
	}
	merge_outer(ev, e, has_ro);
	derive(e, jr_get(doc, "requestParameters"));
	cJSON_Delete(doc);
	return e->event_id != NULL;
}

static struct ct_event *add_event(struct ct_events *out)
{
	if (out->n == out->cap) {
		out->cap = out->cap ? out->cap * 2 : CT_PAGE_MAX;
		out->v = xrealloc(out->v, out->cap * sizeof(*out->v));
	}
	memset(&out->v[out->n], 0, sizeof(out->v[0]));
	return &out->v[out->n++];
}

static enum sc_status read_events(struct jr *r, const cJSON *list, struct ct_events *out,
				  size_t *damaged)
{
	const cJSON *it;
	size_t i = 0;

	if (cJSON_GetArraySize(list) > CT_EVENTS_MAX)
		return sc_fail(r->err, SC_BAD_REPLY, "%s: the page holds %d events (at most %d)",
			       r->op, cJSON_GetArraySize(list), CT_EVENTS_MAX);
	cJSON_ArrayForEach(it, list) {
		struct ct_event *e = add_event(out);

		i++;
		if (!read_outer(it, e))
			return sc_fail(r->err, SC_BAD_REPLY,
				       "%s: event %zu of the page is not an event with an id",
				       r->op, i);
		*damaged += e->damaged;
	}
	return SC_OK;
}

enum sc_status ct_parse_lookup(const char *body, size_t len, struct ct_events *out,
			       struct sc_error *err)
{
	struct jr r = {CT_OP, NULL, err, SC_OK};
	cJSON *root = jr_parse(&r, body, len);
	const cJSON *list = jr_arr(&r, root, "Events", JR_REQUIRED);
	char *token = jr_str(&r, root, "NextToken", JR_OPTIONAL);
	size_t base = out->n, damaged = 0;
	enum sc_status st = r.st;

	if (st == SC_OK && token && strlen(token) > SES_TOKEN_MAX)
		st = sc_fail(err, SC_BAD_REPLY, "%s: the page token is over %d bytes", CT_OP,
			     SES_TOKEN_MAX);
	if (st == SC_OK)
		st = read_events(&r, list, out, &damaged);
	cJSON_Delete(root);
	if (st != SC_OK) {
		while (out->n > base)
			ct_event_clear(&out->v[--out->n]);
		free(token);
		return st;
	}
	free(out->next_token);
	out->next_token = token && *token ? token : NULL;
	if (!out->next_token)
		free(token);
	out->damaged += damaged;
	return SC_OK;
}

enum sc_status ct_lookup(const struct ses_ctx *ctx, const struct ct_lookup *q,
			 struct ct_events *out, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st = ct_build_lookup(&r, q, err);

	if (st != SC_OK) {
		ses_request_free(&r);
		return st;
	}
	st = ses_send(ctx, &r, &reply, err);
	if (st != SC_OK)
		return st;
	st = ct_parse_lookup(reply.body.data, reply.body.len, out, err);
	aws_reply_free(&reply);
	return st;
}

#ifndef SESCTL_SES_HISTORY_H
#define SESCTL_SES_HISTORY_H

/*
 * The account's history: CloudTrail LookupEvents and the CloudTrailEvent parser.
 *
 * LookupEvents (JSON 1.1, POST /, X-Amz-Target
 * com.amazonaws.cloudtrail.v20131101.CloudTrail_20131101.LookupEvents, body as botocore
 * sends it: LookupAttributes [{AttributeKey, AttributeValue}] (CloudTrail takes at most
 * one), StartTime / EndTime as epoch seconds (integers), MaxResults, NextToken). A reply is
 * {"Events":[{EventId, EventName, ReadOnly ("true"|"false"), AccessKeyId, EventTime (epoch
 * seconds, may be fractional), EventSource, Username, Resources, CloudTrailEvent (a JSON
 * *string*)}], "NextToken"}.
 *
 * The parser reads the CloudTrailEvent document (eventVersion 1.0x), keeps what an operator
 * asks ("who, when, from where, with which tool, why, on what, did it fail") and derives:
 *   - the principal's kind and a short name: an IAM user's userName; an assumed role's
 *     session name (the last part of "arn:…:assumed-role/ROLE/SESSION"), with the role;
 *     "root"; an AWS service's invokedBy; a federated user's name; an Identity Center
 *     user's userName or the principalId's last part;
 *   - the tool, from userAgent (ct_tool_of): sesctl — with the reason it carried, see
 *     aws/http.h —, the AWS console, the AWS CLI, an SDK, AWS itself, or something else;
 *   - what the call is about (resource kind and name) from requestParameters;
 *   - for a sending switch (PutAccountSendingAttributes / UpdateAccountSendingEnabled,
 *     PutConfigurationSetSendingOptions / UpdateConfigurationSetSendingEnabled, a tenant's
 *     or reputation entity's status), whether it paused or resumed.
 * Keys of requestParameters are matched without regard to case (CloudTrail writes the v2
 * API's names in camelCase, "sendingEnabled"; v1 "enabled").
 *
 * Text from the wire is kept as sent, bounded (CT_TEXT_MAX each; requestParameters as
 * compact JSON up to CT_PARAMS_MAX, else NULL and params_truncated): front-ends clean it
 * for display (util/text.h).
 *
 * Ownership: out structs are caller-owned, freed with their *_free (NULL-safe); strings
 * heap. Errors: SC_BAD_REPLY with a one-line reason; SC_USAGE for bad builder input.
 */

#include <stdbool.h>
#include <stddef.h>
#include <time.h>

#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

#define CT_TEXT_MAX 1024
#define CT_PARAMS_MAX 8192
#define CT_PAGE_MAX 50          /* CloudTrail's MaxResults ceiling */
#define CT_SES_SOURCE "ses.amazonaws.com"

/* id, name (CLI, cache, JSON) */
#define CT_TOOLS(_)                 \
	_(SESCTL, "sesctl")         \
	_(CONSOLE, "console")       \
	_(CLI, "aws-cli")           \
	_(SDK, "sdk")               \
	_(AWS, "aws")               \
	_(OTHER, "other")

enum ct_tool {
#define CT_TOOL_ENUM(id, name) CT_TOOL_##id,
	CT_TOOLS(CT_TOOL_ENUM)
#undef CT_TOOL_ENUM
	CT_TOOL_COUNT
};

/* id, name (cache, JSON), CloudTrail's userIdentity.type */
#define CT_PRINCIPALS(_)                                      \
	_(IAM_USER, "user", "IAMUser")                        \
	_(ASSUMED_ROLE, "role", "AssumedRole")                \
	_(ROOT, "root", "Root")                               \
	_(SERVICE, "service", "AWSService")                   \
	_(FEDERATED, "federated", "FederatedUser")            \
	_(IDENTITY_CENTER, "sso", "IdentityCenterUser")       \
	_(ACCOUNT, "account", "AWSAccount")                   \
	_(UNKNOWN, "unknown", "")

enum ct_principal {
#define CT_PRINCIPAL_ENUM(id, name, type) CT_PRINCIPAL_##id,
	CT_PRINCIPALS(CT_PRINCIPAL_ENUM)
#undef CT_PRINCIPAL_ENUM
	CT_PRINCIPAL_COUNT
};

/* id, name (cache, JSON, `history --op`) */
#define CT_OPS(_)                 \
	_(PAUSE, "pause")         \
	_(RESUME, "resume")       \
	_(CREATE, "create")       \
	_(DELETE, "delete")       \
	_(CHANGE, "change")       \
	_(READ, "read")

enum ct_op {
#define CT_OP_ENUM(id, name) CT_OP_##id,
	CT_OPS(CT_OP_ENUM)
#undef CT_OP_ENUM
	CT_OP_COUNT
};

/* id, name (cache, JSON, `history --resource kind:`) */
#define CT_RESOURCES(_)                     \
	_(ACCOUNT, "account")               \
	_(IDENTITY, "identity")             \
	_(CONFIG_SET, "config-set")         \
	_(RULE_SET, "rule-set")             \
	_(RULE, "rule")                     \
	_(TENANT, "tenant")                 \
	_(SUPPRESSION, "suppression")       \
	_(OTHER, "other")

enum ct_resource {
#define CT_RES_ENUM(id, name) CT_RES_##id,
	CT_RESOURCES(CT_RES_ENUM)
#undef CT_RES_ENUM
	CT_RES_COUNT
};

const char *ct_tool_name(enum ct_tool t);           /* "?" out of range */
const char *ct_principal_name(enum ct_principal p);
const char *ct_op_name(enum ct_op o);
const char *ct_resource_name(enum ct_resource r);
bool ct_op_from(const char *s, enum ct_op *out);     /* by name, any case */
bool ct_tool_from(const char *s, enum ct_tool *out);

struct ct_event {
	char *event_id;          /* EventId / eventID */
	char *event_name;        /* "PutAccountSendingAttributes" */
	char *event_source;      /* "ses.amazonaws.com" */
	time_t time;             /* eventTime, seconds */
	bool read_only;
	char *region;            /* awsRegion */
	char *account_id;        /* recipientAccountId, else userIdentity.accountId */
	enum ct_principal principal;
	char *who;               /* the short name above; NULL when nothing names anyone */
	char *who_arn;           /* userIdentity.arn */
	char *role;              /* assumed role: the role's name, else NULL */
	char *source_ip;         /* sourceIPAddress */
	char *user_agent;        /* userAgent, as sent */
	enum ct_tool tool;
	char *tool_version;      /* "sesctl/0.1.0", "aws-cli/2.15.0", "Boto3/1.34.0" … (the
				    agent's first product token), NULL for console / aws */
	char *reason;            /* the reason a sesctl agent carried, NULL otherwise */
	enum ct_op op;
	enum ct_resource resource_kind;
	char *resource;          /* identity, set, "SET/RULE", tenant, address …; NULL for
				    the account or when nothing names one */
	int sending;             /* a sending switch: 0 paused, 1 resumed; -1 otherwise */
	char *request_params;    /* requestParameters as compact JSON, NULL when absent */
	bool params_truncated;
	char *request_id;        /* requestID: matches the local audit's request id */
	char *error_code;        /* errorCode, NULL when the call succeeded */
	char *error_message;
	bool damaged;            /* CloudTrailEvent did not parse: only the outer fields */
};

struct ct_events {
	struct ct_event *v;
	size_t n, cap;
	char *next_token;        /* the last page's NextToken, NULL on the last page */
	size_t damaged;          /* events kept from their outer fields alone */
};

void ct_event_clear(struct ct_event *e);
void ct_events_free(struct ct_events *evs);

/* The tool from a userAgent (and, for "AWS Internal" or a service principal, the
 * principal); *version (may be NULL) gets the first product token and *reason (may be
 * NULL) a sesctl agent's reason, both heap or NULL. */
enum ct_tool ct_tool_of(const char *user_agent, enum ct_principal principal, char **version,
			char **reason);

/* One CloudTrailEvent document (the inner JSON) into *out (cleared first). */
enum sc_status ct_event_parse(const char *json, size_t len, struct ct_event *out,
			      struct sc_error *err);

struct ct_lookup {
	const char *attr_key;    /* "EventSource", "EventName", "Username", "ResourceName" …;
				    NULL → no LookupAttributes */
	const char *attr_value;
	time_t start, end;       /* 0 → omitted */
	int max_results;         /* 1–50; 0 → 50 */
	const char *next_token;  /* NULL on the first page */
};

enum sc_status ct_build_lookup(struct ses_request *r, const struct ct_lookup *q,
			       struct sc_error *err);
/* Appends the page's events to out and replaces out->next_token. An event that is not an
 * object, or has neither an EventId nor an eventID, is a bad reply; one whose
 * CloudTrailEvent does not parse is kept (damaged) and counted. */
enum sc_status ct_parse_lookup(const char *body, size_t len, struct ct_events *out,
			       struct sc_error *err);
enum sc_status ct_lookup(const struct ses_ctx *ctx, const struct ct_lookup *q,
			 struct ct_events *out, struct sc_error *err);

#endif

#ifndef SESCTL_SES_MAILMANAGER_H
#define SESCTL_SES_MAILMANAGER_H

/*
 * Mail Manager read-only lists (JSON 1.0: POST /, X-Amz-Target MailManagerSvc.<Op>,
 * Content-Type application/x-amz-json-1.0, endpoint mail-manager.<region>) into
 * struct ses_mm_item. Layers as in ses/sesv2.h.
 *
 * Item mapping (MM_LIST_INFO): id and name from <Kind>Id / <Kind>Name; status from
 * RuleSets (none), TrafficPolicies DefaultAction, IngressPoints Status, Archives
 * ArchiveState; detail = IngressPoints "Type ARecord"; modified from
 * LastModificationDate / LastUpdatedTimestamp.
 */

#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

/* id, operation, reply array, kind string, id field, name field, status field, time field */
#define MM_LIST_INFO(_)                                                                       \
	_(RULE_SETS, "ListRuleSets", "RuleSets", "rule-set", "RuleSetId", "RuleSetName", NULL,  \
	  "LastModificationDate")                                                             \
	_(TRAFFIC_POLICIES, "ListTrafficPolicies", "TrafficPolicies", "traffic-policy",        \
	  "TrafficPolicyId", "TrafficPolicyName", "DefaultAction", NULL)                       \
	_(INGRESS_POINTS, "ListIngressPoints", "IngressPoints", "ingress-point",               \
	  "IngressPointId", "IngressPointName", "Status", NULL)                                \
	_(ARCHIVES, "ListArchives", "Archives", "archive", "ArchiveId", "ArchiveName",         \
	  "ArchiveState", "LastUpdatedTimestamp")

enum mm_list {
#define MM_ENUM(id, op, arr, kind, idf, namef, statusf, timef) MM_LIST_##id,
	MM_LIST_INFO(MM_ENUM)
#undef MM_ENUM
	MM_LIST_COUNT
};

void mm_items_free(struct ses_mm_item *v, size_t n);

/* page_size 0 = leave out, else 1..50. */
enum sc_status mm_build_list(struct ses_request *r, enum mm_list which, const char *next_token,
			     int page_size, struct sc_error *err);
/* Appends. Required: the reply array (RuleSets, ...), each item's id field. */
enum sc_status mm_parse_list(enum mm_list which, const char *body, size_t len,
			     struct ses_mm_item **v, size_t *n, char **next_token,
			     struct sc_error *err);
/* All pages (PageSize 50). */
enum sc_status mm_list(const struct ses_ctx *ctx, enum mm_list which, struct ses_mm_item **v,
		       size_t *n, struct sc_error *err);

#endif

/* Private to src/core: the run functions behind the verb table. */
#ifndef SESCTL_CORE_VERBS_IMPL_H
#define SESCTL_CORE_VERBS_IMPL_H

#include "sesctl/core/core.h"
#include "sesctl/core/sync.h"
#include "sesctl/core/verbs.h"

/*
 * VERB_TABLE(_): id, name, usage, flags, min args, max args, options, confirm_arg, summary.
 * Options are a space-separated list: "name=" takes a value, "name" is a flag.
 */
/* Options of receipt rule create/update (see verbs_more.c). */
#define RULE_OPTS                                                                              \
	"recipient= tls= scan no-scan disabled s3= sns= lambda= bounce= bounce-sender= stop "  \
	"add-header= workmail= action="

/* Options of config-set create/set and of the event destinations (verbs_config_sets.c). */
#define CS_OPTS                                                                                \
	"tls= pool= max-delivery= reputation-metrics= suppress= auto-validation= "               \
	"tracking-domain= https= vdm-engagement= vdm-optimized-delivery= archive= tag= untag="
#define DEST_OPTS "sns= cloudwatch= firehose= role= eventbridge= pinpoint= events= enabled disabled"

#define VERB_TABLE(_)                                                                          \
	_(whoami, "whoami", "", VF_ONLINE, 0, 0, "", -1,                                       \
	  "Show profile, region, endpoint, credential source, account id and ARN")            \
	_(sync, "sync", "[--kind KIND]... [--force] [--concurrency N] [--fleet[=NAME] [--parallel N]] [--summary-first] [--no-details]", \
	  VF_ONLINE | VF_FLEET, 0, 0,                                                          \
	  "kind= force concurrency= progress-fd= summary-first no-details parallel=", -1,      \
	  "Read the account's state from SES into the local cache (--fleet: every cell)")     \
	_(fleet, "fleet", "[--refresh] [--sort health|bounce|complaint|age] [--parallel N]",   \
	  VF_FLEET, 0, 0, "refresh sort= parallel=", -1,                                        \
	  "Every account and region of the fleet, worst first, from the cache")               \
	_(find_identity, "find", "NAME [--refresh] [--exact]", VF_FLEET, 1, 1, "refresh exact", -1,     \
	  "Which accounts and regions hold an identity, or any identity under a domain")      \
	_(identities_list, "identities list",                                                  \
	  "[--type email|domain] [--status STATUS] [--sort name|status|type] [--refresh]", 0,   \
	  0, 0, "type= status= sort= refresh", -1,                                               \
	  "List identities with verification, DKIM, MAIL FROM and sending state")             \
	_(identity_show, "identity show", "NAME", 0, 1, 1, "", -1,                             \
	  "Show every attribute of one identity (read live unless --offline)")                 \
	_(account, "account", "", 0, 0, 0, "", -1,                                              \
	  "Sending status, quota, sandbox/production, enforcement status, who paused and why") \
	_(dns, "dns", "DOMAIN [--format table|zone|csv|json|route53] [--check] [--authoritative] [--inbound] [--include-suggested]", \
	  0, 1, 1, "format= check authoritative inbound include-suggested", -1,                  \
	  "The DNS records a domain identity needs, exported, and checked live with --check") \
	_(identity_create, "identity create",                                                  \
	  "NAME [--key-length 1024|2048] [--selector SEL (--private-key FILE | --generate-key --write-key FILE)] [--config-set NAME]", \
	  VF_MUTATES | VF_ONLINE, 1, 1, "key-length= selector= private-key= generate-key write-key= config-set=", -1, \
	  "Create an email or domain identity (Easy DKIM, or BYODKIM with your own key)")     \
	_(identity_delete, "identity delete", "NAME", VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, \
	  1, 1, "", 0, "Delete an identity (type its name to confirm, or --yes)")               \
	_(sending_pause, "sending pause", "--reason TEXT [--config-set NAME]",                 \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 0, 0, "reason= config-set=", -1, \
	  "Pause sending for the account (or one configuration set) in the region")           \
	_(sending_resume, "sending resume", "--reason TEXT [--config-set NAME]",               \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 0, 0, "reason= config-set=", -1, \
	  "Resume sending for the account (or one configuration set) in the region")          \
	_(tenants, "tenants", "[--status enabled|disabled|reinstated] [--impact high|low] [--refresh]", \
	  0, 0, 0, "status= impact= refresh", -1,                                               \
	  "Tenants (one per customer): sending state and who paused it, impact, policy, resources") \
	_(tenant_show, "tenant show", "NAME [--refresh]", 0, 1, 1, "refresh", -1,              \
	  "One tenant: both status records with causes, resources, findings, status changes")  \
	_(tenant_create, "tenant create", "NAME", VF_MUTATES | VF_ONLINE, 1, 1, "", -1,          \
	  "Create a tenant (1-64 letters, digits, _ or -)")                                    \
	_(tenant_delete, "tenant delete", "NAME",                                              \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "", 0,             \
	  "Delete a tenant (its resources stay; type its name to confirm, or --yes)")         \
	_(tenant_attach, "tenant attach", "NAME RESOURCE", VF_MUTATES | VF_ONLINE, 2, 2, "", -1, \
	  "Attach an identity, configuration set or template (name or ARN) to a tenant")      \
	_(tenant_detach, "tenant detach", "NAME RESOURCE", VF_MUTATES | VF_CONFIRM | VF_ONLINE, \
	  2, 2, "", -1, "Detach a resource from a tenant")                                     \
	_(tenant_pause, "tenant pause", "NAME --reason TEXT",                                   \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "reason=", 0,      \
	  "Pause one tenant's sending (customer-managed DISABLED); the others go on")          \
	_(tenant_resume, "tenant resume", "NAME --reason TEXT",                                 \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "reason=", 0,      \
	  "Resume a tenant you paused (customer-managed ENABLED)")                            \
	_(tenant_reinstate, "tenant reinstate", "NAME --reason TEXT",                           \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "reason=", 0,      \
	  "Let a tenant send despite its findings (REINSTATED; not over an AWS pause)")       \
	_(tenant_policy, "tenant policy", "NAME none|standard|strict",                         \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1,                  \
	  "Set a tenant's reputation policy: when AWS pauses it on findings")                  \
	_(recommendations, "recommendations",                                                  \
	  "[--tenant NAME] [--type T] [--status open|fixed] [--impact high|low] [--refresh]",  \
	  0, 0, 0, "tenant= type= status= impact= refresh", -1,                                 \
	  "VDM findings (DKIM, DMARC, SPF, BIMI, bounce, complaint …), for the account or a tenant") \
	_(dmarc, "dmarc", "[DOMAIN] [--days N]", 0, 0, 1, "days=", -1,                          \
	  "DMARC aggregate reports: per domain, is p=quarantine/reject safe, and if not, why") \
	_(dmarc_sources, "dmarc sources", "DOMAIN [--days N] [--ip IP]", 0, 1, 1, "days= ip=", -1, \
	  "Who sends as DOMAIN: per source IP, its class (SES, other, none) and pass rates")   \
	_(dmarc_import, "dmarc import", "SOURCE... (FILE, FOLDER, maildir, mbox or s3://BUCKET/PREFIX/)", \
	  0, 1, 100000, "", -1,                                                                  \
	  "Read DMARC aggregate reports (xml, gz, zip, mail) into the cache; only new ones")  \
	_(dmarc_setup, "dmarc setup", "DOMAIN --bucket BUCKET [--prefix P] [--rua ADDRESS] [--rule-set SET]", \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "bucket= prefix= rua= rule-set=", -1, \
	  "Check, then create, what collects reports: receipt rule to S3, bucket policy, DNS") \
	_(receipt_sets, "receipt sets", "", 0, 0, 0, "", -1,                                    \
	  "List receipt rule sets; the active one is marked")                                 \
	_(receipt_show, "receipt show", "[SET]", 0, 0, 1, "", -1,                               \
	  "The rules of a set (default: the active one) in evaluation order")                 \
	_(receipt_trace, "receipt trace", "ADDRESS [--rule-set SET]", 0, 1, 1, "rule-set=", -1, \
	  "Which rules apply to mail for ADDRESS, in order, and where processing stops")     \
	_(receipt_activate, "receipt activate", "SET", VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, \
	  1, 1, "", -1, "Make SET the active receipt rule set")                                \
	_(receipt_rule_move, "receipt rule move", "SET RULE (--after OTHER | --first)",          \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "after= first", -1,       \
	  "Move a rule within its set (order decides what happens to mail)")                  \
	_(suppression_list, "suppression list",                                               \
	  "[--reason bounce|complaint] [--contains TEXT] [--since 7d] [--refresh]", 0, 0, 0,   \
	  "reason= contains= since= refresh", -1, "The account-level suppression list")        \
	_(suppression_add, "suppression add", "ADDRESS --reason bounce|complaint",              \
	  VF_MUTATES | VF_ONLINE, 1, 1, "reason=", -1, "Add an address to the suppression list") \
	_(suppression_remove, "suppression remove", "ADDRESS", VF_MUTATES | VF_CONFIRM | VF_ONLINE, \
	  1, 1, "", -1, "Remove an address from the suppression list")                         \
	_(config_sets, "config-sets", "[NAME] [--refresh]", 0, 0, 1, "refresh", -1,            \
	  "Configuration sets (streams): sending state, 24 h rates, TLS, pool, destinations")  \
	_(config_set_show, "config-set show", "NAME [--refresh]", 0, 1, 1, "refresh", -1,       \
	  "One configuration set: every setting, its event destinations, its rates")         \
	_(config_set_create, "config-set create", "NAME [options as set]",                     \
	  VF_MUTATES | VF_ONLINE, 1, 1, CS_OPTS, -1, "Create a configuration set")                \
	_(config_set_delete, "config-set delete", "NAME",                                      \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "", 0,               \
	  "Delete a configuration set (type its name to confirm, or --yes)")                  \
	_(config_set_set, "config-set set",                                                    \
	  "NAME [--tls require|optional] [--pool P|none] [--max-delivery SECONDS|default] [--reputation-metrics on|off] [--suppress bounce,complaint|none] [--auto-validation off|medium|high|managed] [--tracking-domain D|none] [--https require|require-open-only|optional] [--vdm-engagement on|off|account] [--vdm-optimized-delivery on|off|account] [--archive ARN|none] [--tag KEY=VALUE]... [--untag KEY]...", \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, CS_OPTS, -1,                            \
	  "Change a configuration set's settings (only the options given change)")          \
	_(config_set_dest_add, "config-set destination add",                                   \
	  "SET DEST (--sns ARN | --cloudwatch DIM=SOURCE:DEFAULT... | --firehose ARN --role ARN | --eventbridge ARN | --pinpoint ARN) --events bounce,complaint,... [--disabled]", \
	  VF_MUTATES | VF_ONLINE, 2, 2, DEST_OPTS, -1,                                           \
	  "Add an event destination to a configuration set")                                 \
	_(config_set_dest_update, "config-set destination update",                             \
	  "SET DEST [target option] [--events LIST] [--enabled|--disabled]",                     \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, DEST_OPTS, -1,                          \
	  "Change an event destination: the options given replace the old ones")            \
	_(config_set_dest_enable, "config-set destination enable", "SET DEST",                 \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1, "Enable an event destination")  \
	_(config_set_dest_disable, "config-set destination disable", "SET DEST",               \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1,                    \
	  "Disable an event destination (its events go nowhere else unless another receives them)") \
	_(config_set_dest_delete, "config-set destination delete", "SET DEST",                 \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1,                    \
	  "Delete an event destination")                                                      \
	_(identity_config_set, "identity config-set", "NAME (SET | --clear)",                  \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 1, 2, "clear", -1,                            \
	  "Set or clear the identity's default configuration set")                           \
	_(send_test, "send-test", "FROM [--scenario success|bounce|complaint|ooto|suppressionlist] [--config-set NAME]", \
	  VF_MUTATES | VF_ONLINE, 1, 1, "scenario= config-set=", -1,                             \
	  "Send a test message from FROM to the SES mailbox simulator")                        \
	_(stats, "stats", "[--days N] [--refresh]", 0, 0, 0, "days= refresh", -1,              \
	  "Send statistics per day, bounce and complaint rates against the enforcement lines") \
	_(identity_dkim, "identity dkim", "NAME on|off [--key-length 1024|2048]",              \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "key-length=", -1,                      \
	  "Turn DKIM signing on or off for a domain; set the next Easy DKIM key length")      \
	_(identity_mail_from, "identity mail-from",                                            \
	  "NAME (DOMAIN [--on-mx-failure use-default|reject] | --clear)",                      \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 1, 2, "on-mx-failure= clear", -1,            \
	  "Set or clear the custom MAIL FROM domain")                                          \
	_(identity_feedback, "identity feedback", "NAME on|off",                               \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1,                                 \
	  "Turn email feedback forwarding (bounces and complaints by email) on or off")       \
	_(receipt_rule_enable, "receipt rule enable", "SET RULE",                              \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1, "Enable a receipt rule")        \
	_(receipt_rule_disable, "receipt rule disable", "SET RULE",                            \
	  VF_MUTATES | VF_CONFIRM | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", -1,                    \
	  "Disable a receipt rule")                                                            \
	_(receipt_rule_delete, "receipt rule delete", "SET RULE",                              \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "", 1,               \
	  "Delete a receipt rule (type its name to confirm, or --yes)")                         \
	_(receipt_clone, "receipt clone", "NEW --from SET", VF_MUTATES | VF_ONLINE, 1, 1,         \
	  "from=", -1, "Copy a receipt rule set under a new name")                             \
	_(receipt_delete, "receipt delete", "SET",                                             \
	  VF_MUTATES | VF_CONFIRM_TYPED | VF_NEEDS_FRESH | VF_ONLINE, 1, 1, "", 0,               \
	  "Delete an inactive receipt rule set (type its name to confirm, or --yes)")           \
	_(receipt_filters, "receipt filters", "[--refresh]", 0, 0, 0, "refresh", -1,            \
	  "Receipt IP filters (block/allow by address or CIDR)")                              \
	_(receipt_filter_create, "receipt filter create", "NAME CIDR --policy block|allow",    \
	  VF_MUTATES | VF_ONLINE, 2, 2, "policy=", -1, "Create a receipt IP filter")             \
	_(receipt_filter_delete, "receipt filter delete", "NAME",                             \
	  VF_MUTATES | VF_CONFIRM | VF_ONLINE, 1, 1, "", -1, "Delete a receipt IP filter")      \
	_(regions, "regions", "", VF_ONLINE, 0, 0, "", -1,                                      \
	  "Regions where SES identities exist (all SES regions, or the --region list)")       \
	_(snapshot, "snapshot", "", 0, 0, 0, "", -1,                                            \
	  "The whole state of the account (per region) as one JSON document")                 \
	_(diff, "diff", "SNAPSHOT [SNAPSHOT2]", 0, 1, 2, "", -1,                               \
	  "What changed between two snapshots, or between a snapshot and now")                \
	_(identity_verify, "identity verify", "ADDRESS", VF_MUTATES | VF_ONLINE, 1, 1, "", -1,    \
	  "Send the verification mail of an address identity again")                          \
	_(identity_policies, "identity policies", "NAME [POLICY]", VF_ONLINE, 1, 2, "", -1,      \
	  "Sending-authorization policies of an identity (all, or one)")                       \
	_(identity_policy_put, "identity policy put", "NAME POLICY --document JSON",           \
	  VF_MUTATES | VF_ONLINE, 2, 2, "document=", -1,                                        \
	  "Create or replace a sending-authorization policy")                                  \
	_(identity_policy_delete, "identity policy delete", "NAME POLICY",                    \
	  VF_MUTATES | VF_CONFIRM | VF_ONLINE, 2, 2, "", -1, "Delete a sending-authorization policy") \
	_(receipt_create, "receipt create", "SET", VF_MUTATES | VF_ONLINE, 1, 1, "", -1,         \
	  "Create an empty receipt rule set")                                                   \
	_(receipt_deactivate, "receipt deactivate", "", VF_MUTATES | VF_CONFIRM_TYPED | VF_ONLINE, \
	  0, 0, "", -1, "Make no rule set active: SES stops receiving mail (type the account id)") \
	_(receipt_rule_show, "receipt rule show", "SET RULE", 0, 2, 2, "", -1,                   \
	  "One rule with its recipients and actions (cached)")                                  \
	_(receipt_rule_create, "receipt rule create",                                          \
	  "SET RULE [--after RULE] [--recipient R]... [--tls require|optional] [--scan] [--disabled] ACTIONS...", \
	  VF_MUTATES | VF_ONLINE, 2, 2, "after= " RULE_OPTS, -1,                                 \
	  "Create a rule; actions: --s3 B[/P] --sns T --lambda F --bounce \"550 5.1.1 msg\" --stop --add-header N:V --workmail O --action E.F=V") \
	_(receipt_rule_update, "receipt rule update", "SET RULE [--enabled] [options as create]", \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 2, 2, "enabled " RULE_OPTS, -1,               \
	  "Change a rule: given recipients or actions replace the old ones")                   \
	_(account_request_production, "account request-production",                          \
	  "--mail-type transactional|marketing --website URL [--use-case TEXT] [--contact-language en|ja] [--contact EMAIL]...", \
	  VF_MUTATES | VF_CONFIRM | VF_ONLINE, 0, 0, "mail-type= website= use-case= contact-language= contact=", -1, \
	  "Ask AWS for production access (out of the sandbox): PutAccountDetails")          \
	_(suppression_show, "suppression show", "ADDRESS", VF_ONLINE, 1, 1, "", -1,              \
	  "Why and since when an address is suppressed")                                       \
	_(feedback, "feedback", "[IDENTITY] [--verdict ok|mailbox-only|unknown|nowhere] [--refresh]", \
	  0, 0, 1, "verdict= refresh", -1,                                                     \
	  "Where each identity's bounces and complaints go, and whether anyone reads them")    \
	_(identity_notifications, "identity notifications",                                    \
	  "NAME [--bounce-topic ARN|none] [--complaint-topic ARN|none] [--delivery-topic ARN|none] [--headers on|off]", \
	  VF_MUTATES | VF_NEEDS_FRESH | VF_ONLINE, 1, 1,                                        \
	  "bounce-topic= complaint-topic= delivery-topic= headers=", -1,                        \
	  "Set or clear an identity's SNS topics for bounces, complaints and deliveries")      \
	_(events_tap, "events tap", "--topic ARN", VF_MUTATES | VF_CONFIRM | VF_ONLINE, 0, 0,    \
	  "topic=", -1, "Subscribe a queue of sesctl's own to a feedback topic, to read who bounced") \
	_(events_untap, "events untap", "[--topic ARN]", VF_MUTATES | VF_CONFIRM | VF_ONLINE, 0, 0, \
	  "topic=", -1, "Remove sesctl's tap queue and its subscription (all taps, or one)")   \
	_(events, "events",                                                                    \
	  "[--follow] [--type bounce|complaint|delivery|...] [--identity NAME] [--domain D] [--since 1h] [--limit N]", \
	  0, 0, 0, "follow type= identity= domain= since= limit=", -1,                          \
	  "Bounces, complaints and deliveries read from the taps: who, when, why")             \
	_(log, "log", "[--limit N]", 0, 0, 0, "limit=", -1,                                     \
	  "Recent API calls: operation, status, latency, retries, request id")                \
	_(audit, "audit", "[--verb VERB] [--limit N]", 0, 0, 0, "verb= limit=", -1,             \
	  "The audit trail of changes (allowed and refused), each with its exact command")    \
	_(history, "history",                                                                  \
	  "[--since 7d] [--who TEXT] [--op pause|resume|create|delete|change] [--resource NAME] [--limit N] [--refresh]", \
	  0, 0, 0, "since= who= op= resource= limit= refresh", -1,                              \
	  "Who changed what in the account, when, with which tool and why (CloudTrail + the local audit)")

#define VERB_DECL(id, name, usage, flags, mn, mx, opts, carg, summary)                         \
	enum sc_status verb_##id(struct core *core, const struct verb_args *args,               \
				 struct verb_result *res, struct sc_error *err);
VERB_TABLE(VERB_DECL)
#undef VERB_DECL

/* sync --fleet: each profile's cells read by a child `sesctl --profile P --region R...
 * sync --summary-first`, at most --parallel (8) at once (verbs_fleet.c). */
enum sc_status verb_sync_fleet(struct core *core, const struct verb_args *args, unsigned kinds,
			       struct verb_result *res, struct sc_error *err);

/* What a verb that changes the account needs: the region, the account id (learned from
 * STS), the endpoints and the cache. verbs_common.c */
struct verb_target {
	const char *region;
	const char *account;
	struct core_ses ses;
	struct cache *cache;
};
enum sc_status verb_target_open(struct core *core, struct verb_target *t, struct sc_error *err);

/* What a verb that reads the cache needs. verbs_common.c */
struct verb_where {
	const char *region;
	const char *account;
	struct cache *cache;
};
enum sc_status verb_where_open(struct core *core, struct verb_where *w, struct sc_error *err);
/* Refresh one kind when stale (never offline); a kind that failed is the error. */
enum sc_status verb_ensure_kind(struct core *core, const struct verb_where *w,
				enum sync_kind sk, bool force, struct sc_error *err);
/* "30m", "2h", "7d" → seconds; SC_USAGE (no message) for anything else. verbs_common.c */
enum sc_status verb_span(const char *s, time_t *seconds);
/* --since SPAN → now - span (left alone when absent); --limit 1–100000 (left alone when
 * absent). SC_USAGE with the sentence otherwise. verbs_common.c */
enum sc_status verb_since(const struct verb_args *args, time_t *since, struct sc_error *err);
enum sc_status verb_limit(const struct verb_args *args, size_t *limit, struct sc_error *err);
/* identity feedback NAME off: SES refuses it unless both topics are set; say so before
 * calling (reads the identity's settings). verbs_feedback.c */
enum sc_status verb_feedback_forwarding_check(const struct verb_target *l, const char *name,
					      bool on, struct sc_error *err);
/* One row of the merged history as JSON (history and account's "paused"). verbs_history.c */
struct history_row;
struct cJSON *verb_history_row_json(const struct history_row *r);
/* o["last_change"]: the newest successful change of the resource in the merged history
 * (kind: enum ct_resource), null when none is known; o["paused_by"] too when the resource
 * is paused (a configuration set or a tenant: the pause behind it). verbs_history.c */
void verb_add_last_change(struct core *core, const struct verb_where *w, struct cJSON *o,
			  int kind, const char *name, bool paused);
/* o["tenants"]: the cached tenants an identity (kind "identity/") or a configuration set
 * ("configuration-set/") belongs to; nothing when none. verbs_tenants.c */
void verb_add_tenants(const struct verb_where *w, struct cJSON *o, const char *kind,
		      const char *name);
/* After a change to receipt rules: read the rule sets again (paced) and show set_name, or
 * {"receiving": false} when set_name is NULL (no active set any more). verbs_receipt.c */
enum sc_status verb_rules_changed(struct core *core, const char *region, const char *set_name,
				  struct verb_result *res, struct sc_error *err);

/* dmarc import of one s3://BUCKET/PREFIX/: list, skip objects read before, import the rest.
 * verbs_dmarc_s3.c */
struct dmarc_limits;
struct dmarc_import_stats;
enum sc_status verb_dmarc_import_s3(struct core *core, const char *url,
				    const struct dmarc_limits *lim, time_t now,
				    struct dmarc_import_stats *stats,
				    void (*problem)(void *ud, const char *item, const char *reason),
				    void *ud, struct sc_error *err);

#endif

/*
 * Numbered cache migrations. Migration n takes a file from user_version n-1 to n; they run
 * in order inside one BEGIN IMMEDIATE transaction (db.c). Never edit a shipped entry:
 * append a new one. Every state row is keyed by (account_id, region).
 */
#include "sesctl/store/db.h"

#include <stddef.h>

static const char *const migrations[] = {
	/* 1: SES state, history and sync metadata */
	"CREATE TABLE accounts("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, profile TEXT,"
	"  last_used INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region));"
	"CREATE TABLE sync_state("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL,"
	"  fetched INTEGER NOT NULL DEFAULT 0, last_error TEXT, error_time INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, kind));"
	"CREATE TABLE identities("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	"  type TEXT, verification_status TEXT,"
	"  sending_enabled INTEGER NOT NULL DEFAULT 0,"
	"  verified_for_sending INTEGER NOT NULL DEFAULT 0,"
	"  feedback_forwarding INTEGER NOT NULL DEFAULT 0,"
	"  has_details INTEGER NOT NULL DEFAULT 0,"
	"  dkim_signing_enabled INTEGER NOT NULL DEFAULT 0,"
	"  dkim_status TEXT, dkim_origin TEXT, dkim_current_key_length TEXT,"
	"  dkim_next_key_length TEXT, dkim_last_key_generation INTEGER NOT NULL DEFAULT 0,"
	"  dkim_tokens TEXT," /* newline-separated DNS labels; NULL: none */
	"  mail_from_domain TEXT, mail_from_status TEXT, mail_from_on_mx_failure TEXT,"
	"  configuration_set TEXT, verification_token TEXT, verification_error TEXT,"
	"  verification_last_checked INTEGER NOT NULL DEFAULT 0,"
	"  fetched INTEGER NOT NULL DEFAULT 0,"
	"  extra TEXT," /* JSON {policies, tags}; NULL when both are empty */
	"  PRIMARY KEY (account_id, region, name));"
	"CREATE INDEX identities_status ON identities(account_id, region, verification_status);"
	"CREATE TABLE rule_sets("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	"  created INTEGER NOT NULL DEFAULT 0, active INTEGER NOT NULL DEFAULT 0,"
	"  has_rules INTEGER NOT NULL DEFAULT 0, fetched INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, name));"
	"CREATE TABLE receipt_rules("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, rule_set TEXT NOT NULL,"
	"  position INTEGER NOT NULL, name TEXT, enabled INTEGER NOT NULL DEFAULT 0,"
	"  tls_policy TEXT, scan_enabled INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, region, rule_set, position),"
	"  FOREIGN KEY (account_id, region, rule_set)"
	"    REFERENCES rule_sets(account_id, region, name) ON DELETE CASCADE);"
	"CREATE TABLE receipt_filters("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	"  policy TEXT, cidr TEXT,"
	"  PRIMARY KEY (account_id, region, name));"
	"CREATE TABLE suppressed("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, email TEXT NOT NULL,"
	"  reason TEXT, last_update INTEGER NOT NULL DEFAULT 0, message_id TEXT, feedback_id TEXT,"
	"  PRIMARY KEY (account_id, region, email));"
	"CREATE INDEX suppressed_reason ON suppressed(account_id, region, reason);"
	"CREATE TABLE config_sets("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL,"
	"  fetched INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, region, name));"
	"CREATE TABLE account_state("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL,"
	"  fetched INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, region));"
	"CREATE TABLE send_points("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, ts INTEGER NOT NULL,"
	"  delivery_attempts INTEGER NOT NULL, bounces INTEGER NOT NULL,"
	"  complaints INTEGER NOT NULL, rejects INTEGER NOT NULL,"
	"  PRIMARY KEY (account_id, region, ts)) WITHOUT ROWID;"
	"CREATE TABLE metric_points("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, metric TEXT NOT NULL,"
	"  ts INTEGER NOT NULL, value REAL NOT NULL,"
	"  PRIMARY KEY (account_id, region, metric, ts)) WITHOUT ROWID;"
	"CREATE TABLE mm_items("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, kind TEXT NOT NULL, id TEXT NOT NULL,"
	"  name TEXT, status TEXT, detail TEXT, modified INTEGER NOT NULL DEFAULT 0,"
	"  fetched INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, kind, id));",

	/* 2: the API call log and the append-only audit log of mutation attempts */
	"CREATE TABLE api_calls("
	"  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, operation TEXT, service TEXT,"
	"  region TEXT, http_status INTEGER NOT NULL DEFAULT 0, status TEXT, error_code TEXT,"
	"  request_id TEXT, latency_ms INTEGER NOT NULL DEFAULT 0,"
	"  retries INTEGER NOT NULL DEFAULT 0);"
	"CREATE TABLE audit("
	"  id INTEGER PRIMARY KEY, time INTEGER NOT NULL, os_user TEXT, host TEXT,"
	"  profile TEXT, region TEXT, account_id TEXT, argv_json TEXT NOT NULL,"
	"  command TEXT NOT NULL, verb TEXT NOT NULL, result TEXT NOT NULL, status TEXT,"
	"  message TEXT, request_id TEXT, duration_ms INTEGER NOT NULL DEFAULT 0,"
	"  reason TEXT, action INTEGER NOT NULL DEFAULT 0, config_set TEXT);"
	"CREATE INDEX audit_verb ON audit(verb, id);"
	"CREATE INDEX audit_pause ON audit(account_id, region, action, id) WHERE action != 0;"
	"CREATE TRIGGER audit_no_update BEFORE UPDATE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;"
	"CREATE TRIGGER audit_no_delete BEFORE DELETE ON audit"
	"  BEGIN SELECT RAISE(ABORT, 'the audit log is append-only'); END;",

	/* 3: feedback routing (each identity's own notification settings, the SNS topics they
	 * name), the events taps sesctl owns, and the events read from them */
	"CREATE TABLE notif_attrs("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, identity TEXT NOT NULL,"
	"  fetched INTEGER NOT NULL DEFAULT 0, data TEXT NOT NULL,"
	"  PRIMARY KEY (account_id, region, identity));"
	"CREATE TABLE sns_topics("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, arn TEXT NOT NULL,"
	"  state INTEGER NOT NULL DEFAULT 0, confirmed INTEGER NOT NULL DEFAULT -1,"
	"  pending INTEGER NOT NULL DEFAULT -1, subscribers TEXT, detail TEXT,"
	"  checked INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, arn));"
	"CREATE TABLE taps("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, topic_arn TEXT NOT NULL,"
	"  queue_url TEXT NOT NULL, queue_arn TEXT, sub_arn TEXT,"
	"  created INTEGER NOT NULL DEFAULT 0, last_read INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, topic_arn));"
	"CREATE TABLE events("
	"  id INTEGER PRIMARY KEY, account_id TEXT NOT NULL, region TEXT NOT NULL,"
	"  ukey TEXT NOT NULL, time INTEGER NOT NULL DEFAULT 0, type INTEGER NOT NULL,"
	"  published INTEGER NOT NULL DEFAULT 0, subtype TEXT, recipient TEXT, rdomain TEXT,"
	"  status TEXT, diagnostic TEXT, reporting_mta TEXT, remote_mta_ip TEXT, source TEXT,"
	"  identity TEXT, config_set TEXT, message_id TEXT, subject TEXT, feedback_id TEXT,"
	"  topic_arn TEXT, sns_message_id TEXT, mail_time INTEGER NOT NULL DEFAULT 0,"
	"  UNIQUE (account_id, region, ukey));"
	"CREATE INDEX events_time ON events(account_id, region, time);",

	/* 4: the account's history as CloudTrail told it (kept past CloudTrail's 90 days);
	 * the enums of ses/history.h are stored by name, so their order may change */
	"CREATE TABLE history("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, event_id TEXT NOT NULL,"
	"  time INTEGER NOT NULL, name TEXT NOT NULL, source TEXT,"
	"  read_only INTEGER NOT NULL DEFAULT 0, principal TEXT, who TEXT, who_arn TEXT,"
	"  role TEXT, source_ip TEXT, user_agent TEXT, tool TEXT, tool_version TEXT,"
	"  reason TEXT, op TEXT NOT NULL, resource_kind TEXT NOT NULL, resource TEXT,"
	"  sending INTEGER NOT NULL DEFAULT -1, params TEXT, error_code TEXT,"
	"  error_message TEXT, damaged INTEGER NOT NULL DEFAULT 0, event_region TEXT,"
	"  PRIMARY KEY (account_id, region, event_id));"
	"CREATE INDEX history_time ON history(account_id, region, time);"
	"CREATE INDEX history_resource ON history(account_id, region, resource_kind, resource, time);"
	/* a read cut short leaves older events unread: the window the next reads fill first */
	"CREATE TABLE history_gap("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, from_time INTEGER NOT NULL,"
	"  until_time INTEGER NOT NULL, PRIMARY KEY (account_id, region));",

	/* 5: tenants with their reputation entity and resources, the log of their status
	 * changes (kept when a tenant leaves the listing), and the VDM recommendations */
	"CREATE TABLE tenants("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, name TEXT NOT NULL, id TEXT, arn TEXT,"
	"  created INTEGER NOT NULL DEFAULT 0, sending_status TEXT, tags TEXT,"
	"  rep_reference TEXT, rep_type TEXT, policy TEXT, cust_status TEXT, cust_cause TEXT,"
	"  cust_updated INTEGER NOT NULL DEFAULT 0, aws_status TEXT, aws_cause TEXT,"
	"  aws_updated INTEGER NOT NULL DEFAULT 0, aggregate TEXT, impact TEXT,"
	"  fetched INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, name));"
	"CREATE TABLE tenant_resources("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, tenant TEXT NOT NULL,"
	"  type TEXT, arn TEXT NOT NULL, PRIMARY KEY (account_id, region, tenant, arn));"
	"CREATE INDEX tenant_resources_arn ON tenant_resources(account_id, region, arn);"
	"CREATE TRIGGER tenants_drop AFTER DELETE ON tenants BEGIN"
	"  DELETE FROM tenant_resources WHERE account_id = old.account_id"
	"    AND region = old.region AND tenant = old.name; END;"
	"CREATE TABLE tenant_status_log("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, tenant TEXT NOT NULL,"
	"  time INTEGER NOT NULL, which TEXT NOT NULL, status TEXT NOT NULL, cause TEXT,"
	"  UNIQUE (account_id, region, tenant, which, status, time));"
	"CREATE TABLE recommendations("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, resource_arn TEXT NOT NULL,"
	"  type TEXT NOT NULL, description TEXT NOT NULL DEFAULT '', status TEXT, impact TEXT,"
	"  created INTEGER NOT NULL DEFAULT 0, updated INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (account_id, region, resource_arn, type, description));",

	/* 6: DMARC aggregate reports (for the whole file, not per account: a report is about
	 * a domain), their records, and the S3 objects an import has read */
	"CREATE TABLE dmarc_reports("
	"  id INTEGER PRIMARY KEY, org TEXT NOT NULL, report_id TEXT NOT NULL, email TEXT,"
	"  domain TEXT NOT NULL, begin_time INTEGER NOT NULL, end_time INTEGER NOT NULL,"
	"  version TEXT, rfc9990 INTEGER NOT NULL DEFAULT 0, adkim TEXT, aspf TEXT, p TEXT,"
	"  sp TEXT, np TEXT, pct INTEGER NOT NULL DEFAULT -1, fo TEXT, errors TEXT,"
	"  records INTEGER NOT NULL DEFAULT 0, dropped INTEGER NOT NULL DEFAULT 0, origin TEXT,"
	"  imported INTEGER NOT NULL DEFAULT 0, UNIQUE (org, report_id));"
	"CREATE INDEX dmarc_reports_domain ON dmarc_reports(domain, begin_time);"
	"CREATE TABLE dmarc_records("
	"  report INTEGER NOT NULL, domain TEXT NOT NULL, day INTEGER NOT NULL,"
	"  source_ip TEXT NOT NULL, count INTEGER NOT NULL, disposition TEXT, dkim TEXT,"
	"  spf TEXT, dmarc_pass INTEGER NOT NULL, dkim_pass INTEGER NOT NULL,"
	"  spf_pass INTEGER NOT NULL, reasons TEXT, header_from TEXT, envelope_from TEXT,"
	"  envelope_to TEXT, auth_key TEXT NOT NULL, auth_results TEXT NOT NULL);"
	"CREATE INDEX dmarc_records_domain ON dmarc_records(domain, day);"
	"CREATE INDEX dmarc_records_report ON dmarc_records(report);"
	"CREATE TRIGGER dmarc_reports_drop AFTER DELETE ON dmarc_reports BEGIN"
	"  DELETE FROM dmarc_records WHERE report = old.id; END;"
	"CREATE TABLE dmarc_s3_objects("
	"  bucket TEXT NOT NULL, key TEXT NOT NULL, etag TEXT NOT NULL DEFAULT '',"
	"  read_time INTEGER NOT NULL DEFAULT 0, PRIMARY KEY (bucket, key));",

	/* 7: the fleet (store/fleet.h): a summary per (account, region), the account and the
	 * last error per (profile, region), and identities' reversed names for find (rows of
	 * older files get theirs on find's first call) */
	"CREATE TABLE cell_summaries("
	"  account_id TEXT NOT NULL, region TEXT NOT NULL, computed INTEGER NOT NULL DEFAULT 0,"
	"  data TEXT NOT NULL, PRIMARY KEY (account_id, region));"
	"CREATE TABLE fleet_cells("
	"  profile TEXT NOT NULL, region TEXT NOT NULL, account_id TEXT,"
	"  read_at INTEGER NOT NULL DEFAULT 0, error TEXT, error_at INTEGER NOT NULL DEFAULT 0,"
	"  PRIMARY KEY (profile, region));"
	"ALTER TABLE identities ADD COLUMN rname TEXT;"
	"CREATE INDEX identities_rname ON identities(rname);",
};

int cache_schema_version(void)
{
	return (int)(sizeof(migrations) / sizeof(migrations[0]));
}

const char *cache_migration_sql(int version)
{
	if (version < 1 || version > cache_schema_version())
		return NULL;
	return migrations[version - 1];
}

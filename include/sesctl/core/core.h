#ifndef SESCTL_CORE_CORE_H
#define SESCTL_CORE_CORE_H

/*
 * struct core: the one object both front-ends get. It owns the settings, the AWS
 * profile context, the credential provider, the HTTP and AWS clients and the cache, and
 * knows the effective policy (read-only, protected, offline).
 *
 * Life cycle: core_init() reads only local things (flags, environment, config files,
 * cache) — no network — so the first frame can be drawn at once. core_online() resolves
 * credentials and makes the clients on first use; verbs flagged VF_ONLINE call it.
 * core_free() wipes secrets.
 */

#include <stdbool.h>
#include <signal.h>
#include <stddef.h>

#include "sesctl/core/settings.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

struct aws_profile_ctx;
struct aws_creds_provider;
struct http_client;
struct aws_client;
struct cache;
struct audit_trail;

enum core_format {
	CORE_FMT_TEXT = 0,
	CORE_FMT_JSON,
	CORE_FMT_CSV,
};

/* Global flags, as the CLI parsed them (the TUI passes the same). Strings borrowed. */
struct cJSON;

struct core_options {
	const char *profile;      /* --profile (explicit) or NULL */
	const char *const *regions; /* --region, repeatable; "all" allowed */
	size_t n_regions;
	const char *endpoint_url; /* --endpoint-url */
	const char *cache_path;   /* --cache or SESCTL_CACHE */
	const char *audit_path;   /* SESCTL_AUDIT: the audit trail file (state, not cache) */
	const char *config_path;  /* --config or SESCTL_CONFIG */
	const char *fleet;        /* --fleet ("") or --fleet=NAME; NULL: not given */
	bool read_only;           /* --read-only */
	bool offline;             /* --offline */
	bool yes;                 /* --yes */
	const char *confirm;      /* --confirm=ACCOUNT */
	bool no_color;
	bool ascii;               /* --ascii (also SESCTL_ASCII=1) */
	bool quiet;
	int verbose;
	enum core_format format;
	bool stream;              /* the front-end prints rows as they come: a list verb may
				     hand back a row source (verb_result.rows) instead of a
				     whole array (the CLI does; the console does not) */
	const char *dns_server;   /* --dns-server HOST[:PORT] */
	unsigned deadline_s;      /* --deadline / SESCTL_DEADLINE: the CLI's SIGALRM (0: none) */
	bool deadline_set;
	/* set by the front-end's SIGINT handler (NULL: none): transfers in flight are
	 * cancelled at once and the verb ends with SC_CANCELLED */
	const volatile sig_atomic_t *interrupt;
	/* a verb that streams (events --follow) hands each new row here as it arrives: the
	 * JSON object and its one-line text form (NULL: the verb cannot stream) */
	void (*emit)(void *ud, const struct cJSON *row, const char *line);
	void *emit_ud;
};

struct core {
	struct core_options opt;
	struct settings settings;
	struct settings_view view;
	char *profile;            /* effective profile name */
	char *region;             /* effective region (first of the list) */
	char **regions;           /* regions this run covers */
	size_t n_regions;
	bool read_only;
	char read_only_why[160];  /* "read-only profile 'prod-oncall'" */
	bool protected_;
	char *account_id;         /* from STS, or the cache when offline; NULL if unknown */
	char *caller_arn;
	struct aws_profile_ctx *aws;
	struct aws_creds_provider *creds;
	struct http_client *http;
	struct aws_client *client;
	struct cache *cache;
	struct audit_trail *audit;
	char *cache_warning;      /* a message to show once (e.g. corrupt cache rebuilt) */
	bool online_ready;
};

/* A ses_ctx for one region with its endpoints resolved (the strings live in here). */
struct core_ses {
	struct ses_ctx ctx;
	char region[64];
	char sesv2[512], ses[512], monitoring[512], mailmanager[512], sts[512];
	char sns[512], sqs[512], cloudtrail[512], s3[512];
};

enum sc_status core_init(struct core *core, const struct core_options *opt, struct sc_error *err);
/* Resolve credentials, make the clients, learn the account id (STS GetCallerIdentity).
 * Refused with SC_REFUSED when --offline. Idempotent. */
enum sc_status core_online(struct core *core, struct sc_error *err);
/* The effective region, or SC_CONFIG "no region: ...". */
enum sc_status core_region(struct core *core, const char **region, struct sc_error *err);
/* Resolve one service's endpoint for region into out. */
enum sc_status core_endpoint(struct core *core, const char *service_id, const char *region,
			     char *out, size_t outlen, struct sc_error *err);
/* core_online() + endpoints for region. */
enum sc_status core_ses_ctx(struct core *core, const char *region, struct core_ses *out,
			    struct sc_error *err);
/* Open the cache on first use. */
enum sc_status core_cache(struct core *core, struct cache **out, struct sc_error *err);
/* Open the audit trail on first use. When its file does not exist yet, the rows an older
 * sesctl kept in the cache are moved into it (once: the file's existence says so). */
enum sc_status core_audit(struct core *core, struct audit_trail **out, struct sc_error *err);
/* STS GetCallerIdentity once (online): sets core->account_id and caller_arn and notes the
 * account for this profile and region in the cache. SC_OK at once when the id is known. */
enum sc_status core_learn_account(struct core *core, struct sc_error *err);
/* The account id keying the cache rows of region: the one already known (STS), else the
 * last one this profile used in the region, else (online) the one STS names. Offline with
 * nothing cached: SC_NOT_FOUND naming `sesctl sync`. *account points into core. */
enum sc_status core_cache_account(struct core *core, const char *region, const char **account,
				  struct sc_error *err);
/* The same without asking STS: the account already known (this run, or the cache's last
 * for this profile and region); SC_NOT_FOUND otherwise. For verbs that only read the
 * cache and must not wait on a credential chain (dmarc). */
enum sc_status core_known_account(struct core *core, const char *region, const char **account,
				  struct sc_error *err);
void core_free(struct core *core);

#endif

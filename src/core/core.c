#include "sesctl/core/core.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/resource.h>
#include <time.h>

#include "sesctl/aws/client.h"
#include "sesctl/aws/config.h"
#include "sesctl/aws/creds.h"
#include "sesctl/aws/endpoint.h"
#include "sesctl/aws/http.h"
#include "sesctl/aws/sigv4.h"
#include "sesctl/store/audit.h"
#include "sesctl/ses/sts.h"
#include "sesctl/store/calls.h"
#include "sesctl/store/db.h"
#include "sesctl/util/buf.h"

/* Secrets live in this process while it runs: no core dumps of them. */
static void no_core_dumps(void)
{
	struct rlimit rl = {0, 0};

	setrlimit(RLIMIT_CORE, &rl);
}

static void set_read_only(struct core *core)
{
	const char *env = getenv("SESCTL_READ_ONLY");

	if (core->opt.read_only) {
		snprintf(core->read_only_why, sizeof(core->read_only_why),
		         "read-only (--read-only)");
	} else if (env && *env && strcmp(env, "0")) {
		snprintf(core->read_only_why, sizeof(core->read_only_why),
		         "read-only (SESCTL_READ_ONLY=%s)", env);
	} else if (core->view.read_only) {
		snprintf(core->read_only_why, sizeof(core->read_only_why), "read-only profile '%s'",
		         core->profile);
	} else {
		return;
	}
	core->read_only = true;
}

static void add_region(struct core *core, const char *r)
{
	for (size_t i = 0; i < core->n_regions; i++)
		if (!strcmp(core->regions[i], r))
			return;
	core->regions = xrealloc(core->regions, (core->n_regions + 1) * sizeof(*core->regions));
	core->regions[core->n_regions++] = xstrdup(r);
}

static enum sc_status pick_regions(struct core *core, struct sc_error *err)
{
	const char *r = NULL;

	for (size_t i = 0; i < core->opt.n_regions; i++) {
		if (strcmp(core->opt.regions[i], "all")) {
			if (!aws_region_valid(core->opt.regions[i]))
				return sc_fail(err, SC_USAGE, "'%s' is not a region name",
				               core->opt.regions[i]);
			add_region(core, core->opt.regions[i]);
			continue;
		}
		if (!core->view.n_regions)
			return sc_fail(
			    err, SC_USAGE,
			    "--region all needs 'regions = ...' under [profile %s] in %s",
			    core->profile, core->settings.path);
		for (size_t j = 0; j < core->view.n_regions; j++)
			add_region(core, core->view.regions[j]);
	}
	if (!core->n_regions && aws_profile_region(core->aws, &r, NULL) == SC_OK && r)
		add_region(core, r);
	if (core->n_regions)
		core->region = xstrdup(core->regions[0]);
	return SC_OK;
}

static enum sc_status init_steps(struct core *core, const struct core_options *opt,
                                 struct sc_error *err)
{
	struct aws_options ao = {0};
	enum sc_status st;

	st = settings_load(opt->config_path, &core->settings, err);
	if (st)
		return st;
	ao.profile = opt->profile;
	for (size_t i = 0; i < opt->n_regions; i++)
		if (strcmp(opt->regions[i], "all")) {
			ao.region = opt->regions[i];
			break;
		}
	ao.endpoint_url = opt->endpoint_url;
	core->aws = xcalloc(1, sizeof(*core->aws));
	st = aws_profile_ctx_load(&ao, core->aws, err);
	if (st)
		return st;
	core->profile = xstrdup(core->aws->profile);
	settings_view(&core->settings, core->profile, &core->view);
	core->protected_ = core->view.protected_;
	set_read_only(core);
	return pick_regions(core, err);
}

enum sc_status core_init(struct core *core, const struct core_options *opt, struct sc_error *err)
{
	enum sc_status st;

	memset(core, 0, sizeof(*core));
	core->opt = *opt;
	no_core_dumps();
	if (!core->opt.cache_path)
		core->opt.cache_path = getenv("SESCTL_CACHE");
	if (!core->opt.audit_path)
		core->opt.audit_path = getenv("SESCTL_AUDIT");
	if (!core->opt.dns_server)
		core->opt.dns_server = getenv("SESCTL_DNS_SERVER");
	st = init_steps(core, &core->opt, err);
	if (st)
		core_free(core); /* a failed init leaves nothing to free */
	return st;
}

enum sc_status core_region(struct core *core, const char **region, struct sc_error *err)
{
	if (core->region) {
		*region = core->region;
		return SC_OK;
	}
	return aws_profile_region(core->aws, region, err);
}

enum sc_status core_cache(struct core *core, struct cache **out, struct sc_error *err)
{
	enum sc_status st;

	if (!core->cache) {
		st = cache_open(core->opt.cache_path, &core->cache, &core->cache_warning, err);
		if (st)
			return st;
	}
	*out = core->cache;
	return SC_OK;
}

enum sc_status core_audit(struct core *core, struct audit_trail **out, struct sc_error *err)
{
	struct audit_entry *old = NULL;
	struct cache *c;
	size_t n = 0;

	if (!core->audit) {
		if (audit_open(core->opt.audit_path, &core->audit, err))
			return SC_IO;
		if (!audit_exists(core->audit) && core_cache(core, &c, NULL) == SC_OK &&
		    audit_cache_rows(c, &old, &n, NULL) == SC_OK)
			audit_import(core->audit, old, n, NULL); /* on failure: read from memory */
		audit_entries_free(old, n);
	}
	*out = core->audit;
	return SC_OK;
}

/* The API call log: every call, never a header or a body. */
static void log_call(void *ud, const struct aws_call_record *rec)
{
	struct core *core = ud;
	struct cache_call call = {0};
	struct cache *c;

	if (core->opt.verbose) /* -v: each call as it completes; never a header or body */
		fprintf(stderr,
		        "sesctl: %s %s %s: HTTP %ld %s, %.0f ms, %d retries, request id %s\n",
		        rec->region, rec->service, rec->operation, rec->http_status,
		        sc_status_name(rec->status), rec->seconds * 1000.0, rec->retries,
		        rec->request_id && *rec->request_id ? rec->request_id : "-");
	if (core_cache(core, &c, NULL))
		return;
	call.operation = (char *)rec->operation;
	call.service = (char *)rec->service;
	call.region = (char *)rec->region;
	call.http_status = rec->http_status;
	call.status = (char *)sc_status_name(rec->status);
	call.error_code = (char *)rec->error_code;
	call.request_id = (char *)rec->request_id;
	call.latency_ms = (int64_t)(rec->seconds * 1000.0);
	call.retries = rec->retries;
	cache_log_call(c, &call, NULL);
}

enum sc_status core_endpoint(struct core *core, const char *service_id, const char *region,
                             char *out, size_t outlen, struct sc_error *err)
{
	struct aws_endpoint ep;
	enum sc_status st = aws_endpoint_resolve(core->aws, service_id, region, &ep, err);

	if (st)
		return st;
	snprintf(out, outlen, "%s", ep.url);
	return SC_OK;
}

enum sc_status core_ses_ctx(struct core *core, const char *region, struct core_ses *out,
                            struct sc_error *err)
{
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	st = core_online(core, err);
	if (st)
		return st;
	snprintf(out->region, sizeof(out->region), "%s", region);
	st = core_endpoint(core, "sesv2", region, out->sesv2, sizeof(out->sesv2), err);
	if (!st)
		st = core_endpoint(core, "ses", region, out->ses, sizeof(out->ses), err);
	if (!st)
		st = core_endpoint(core, "monitoring", region, out->monitoring,
		                   sizeof(out->monitoring), err);
	if (!st)
		st = core_endpoint(core, "mailmanager", region, out->mailmanager,
		                   sizeof(out->mailmanager), err);
	if (!st)
		st = core_endpoint(core, "sts", region, out->sts, sizeof(out->sts), err);
	if (!st)
		st = core_endpoint(core, "sns", region, out->sns, sizeof(out->sns), err);
	if (!st)
		st = core_endpoint(core, "sqs", region, out->sqs, sizeof(out->sqs), err);
	if (!st)
		st = core_endpoint(core, "cloudtrail", region, out->cloudtrail,
		                   sizeof(out->cloudtrail), err);
	if (!st)
		st = core_endpoint(core, "s3", region, out->s3, sizeof(out->s3), err);
	if (st)
		return st;
	out->ctx.client = core->client;
	out->ctx.region = out->region;
	out->ctx.endpoint_sesv2 = out->sesv2;
	out->ctx.endpoint_ses = out->ses;
	out->ctx.endpoint_monitoring = out->monitoring;
	out->ctx.endpoint_mailmanager = out->mailmanager;
	out->ctx.endpoint_sts = out->sts;
	out->ctx.endpoint_sns = out->sns;
	out->ctx.endpoint_sqs = out->sqs;
	out->ctx.endpoint_cloudtrail = out->cloudtrail;
	out->ctx.endpoint_s3 = out->s3;
	return SC_OK;
}

enum sc_status core_online(struct core *core, struct sc_error *err)
{
	struct http_options ho = {0};
	struct aws_creds_options co = {0};
	struct aws_client_options ao = {0};
	const struct aws_credentials *creds;
	const char *region;
	enum sc_status st;

	if (core->online_ready)
		return SC_OK;
	if (core->opt.offline)
		return sc_fail(err, SC_REFUSED, "refused: --offline given; this needs the network");
	st = core_region(core, &region, err);
	if (st)
		return st;
	ho.ca_bundle = core->aws->ca_bundle;
	if (!core->http) { /* a failed attempt (no credentials yet) may be retried later */
		core->http = http_client_new(&ho);
		http_set_abort(core->http, core->opt.interrupt);
	}
	co.ctx = core->aws;
	co.http = core->http;
	if (!core->creds)
		core->creds = aws_creds_provider_new(&co);
	st = aws_creds_provider_get(core->creds, &creds, err);
	if (st)
		return st;
	ao.http = core->http;
	ao.creds = aws_creds_provider_fn;
	ao.creds_ud = core->creds;
	ao.log = log_call;
	ao.log_ud = core;
	ao.max_attempts = core->aws->max_attempts;
	core->client = aws_client_new(&ao);
	core->online_ready = true;
	return SC_OK;
}

enum sc_status core_learn_account(struct core *core, struct sc_error *err)
{
	struct ses_caller caller = {0};
	struct core_ses ses;
	struct cache *c;
	enum sc_status st;

	if (core->account_id)
		return SC_OK;
	st = core_ses_ctx(core, core->region, &ses, err);
	if (st)
		return st;
	st = sts_get_caller_identity(&ses.ctx, &caller, err);
	if (st)
		return st;
	core->account_id = caller.account ? xstrdup(caller.account) : NULL;
	core->caller_arn = caller.arn ? xstrdup(caller.arn) : NULL;
	ses_caller_free(&caller);
	if (core->account_id && core_cache(core, &c, NULL) == SC_OK)
		cache_note_account(c, core->account_id, core->region, core->profile, time(NULL),
		                   NULL);
	return SC_OK;
}

/* The account the cache rows of this run belong to: the one STS names when online, else
 * the last one this profile used in the region. */
static enum sc_status cached_account(struct core *core, const char *region, bool learn,
				     const char **account, struct sc_error *err)
{
	struct cache_account_row *rows = NULL;
	struct cache *c;
	size_t n = 0;
	enum sc_status st;

	if (core->account_id) {
		*account = core->account_id;
		return SC_OK;
	}
	st = core_cache(core, &c, err);
	if (st)
		return st;
	st = cache_accounts(c, &rows, &n, err);
	for (size_t i = 0; !st && i < n; i++)
		if (!strcmp(rows[i].region, region) && rows[i].profile &&
		    !strcmp(rows[i].profile, core->profile)) {
			core->account_id = xstrdup(rows[i].account_id);
			break;
		}
	cache_accounts_free(rows, n);
	if (st)
		return st;
	if (!core->account_id && (core->opt.offline || !learn))
		return sc_fail(
		    err, SC_NOT_FOUND,
		    "no cached data for profile '%s' in %s; run 'sesctl sync' while online",
		    core->profile, region);
	if (!core->account_id) {
		st = core_learn_account(core, err);
		if (st)
			return st;
	}
	*account = core->account_id;
	return SC_OK;
}

enum sc_status core_cache_account(struct core *core, const char *region, const char **account,
                                  struct sc_error *err)
{
	return cached_account(core, region, true, account, err);
}

enum sc_status core_known_account(struct core *core, const char *region, const char **account,
                                  struct sc_error *err)
{
	return cached_account(core, region, false, account, err);
}

void core_free(struct core *core)
{
	aws_client_free(core->client);
	aws_creds_provider_free(core->creds);
	http_client_free(core->http);
	sigv4_cache_wipe();
	if (core->aws)
		aws_profile_ctx_free(core->aws);
	free(core->aws);
	cache_close(core->cache);
	audit_close(core->audit);
	settings_free(&core->settings);
	for (size_t i = 0; i < core->n_regions; i++)
		free(core->regions[i]);
	free(core->regions);
	free(core->region);
	free(core->profile);
	free(core->account_id);
	free(core->caller_arn);
	free(core->cache_warning);
	memset(core, 0, sizeof(*core));
}

#include "sesctl/aws/endpoint.h"

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/http.h"

struct service_info {
	const char *id;   /* client.h service id */
	const char *env;  /* AWS_ENDPOINT_URL_<env> */
	const char *key;  /* key in a [services x] section */
	const char *host; /* regional host prefix */
	const char *fips; /* host prefix with AWS_USE_FIPS_ENDPOINT, or NULL when there is none */
};

static const struct service_info services[] = {
    {"sesv2", "SESV2", "sesv2", "email", "email-fips"},
    {"ses", "SES", "ses", "email", "email-fips"},
    {"sts", "STS", "sts", "sts", "sts-fips"},
    {"monitoring", "CLOUDWATCH", "cloudwatch", "monitoring", "monitoring-fips"},
    {"mailmanager", "MAILMANAGER", "mailmanager", "mail-manager", "mail-manager-fips"},
    {"sns", "SNS", "sns", "sns", "sns-fips"},
    {"sqs", "SQS", "sqs", "sqs", "sqs-fips"},
    {"cloudtrail", "CLOUDTRAIL", "cloudtrail", "cloudtrail", "cloudtrail-fips"},
    {"s3", "S3", "s3", "s3", "s3-fips"},
    {"sso", "SSO", "sso", "portal.sso", NULL},
};

static const struct service_info *find_service(const char *id)
{
	for (size_t i = 0; id && i < sizeof(services) / sizeof(services[0]); i++)
		if (strcmp(services[i].id, id) == 0)
			return &services[i];
	return NULL;
}

const char *const aws_ses_regions[] = {
    "us-east-1",      "us-east-2",      "us-west-1",      "us-west-2",      "ca-central-1",
    "sa-east-1",      "eu-west-1",      "eu-west-2",      "eu-west-3",      "eu-central-1",
    "eu-central-2",   "eu-north-1",     "eu-south-1",     "ap-south-1",     "ap-northeast-1",
    "ap-northeast-2", "ap-northeast-3", "ap-southeast-1", "ap-southeast-2", "ap-southeast-3",
    "me-south-1",     "me-central-1",   "il-central-1",   "af-south-1",     NULL,
};

bool aws_region_valid(const char *region)
{
	size_t n;

	if (!region || !islower((unsigned char)region[0]))
		return false;
	for (n = 0; region[n]; n++)
		if (!islower((unsigned char)region[n]) && !isdigit((unsigned char)region[n]) &&
		    region[n] != '-')
			return false;
	return n <= 40;
}

static const char *env_get(const char *name)
{
	const char *v = getenv(name);

	return v && *v ? v : NULL;
}

/* Copy url into out after checking it; the message names the source on failure. */
static enum sc_status accept_url(const char *url, const char *source, struct aws_endpoint *out,
                                 struct sc_error *err)
{
	struct sc_error why;
	size_t n = strlen(url);

	if (strncmp(url, "https://", 8) != 0 && strncmp(url, "http://", 7) != 0)
		return sc_fail(err, SC_CONFIG,
		               "endpoint from %s must start with https:// (or http:// to loopback)",
		               source);
	if (n >= sizeof(out->url))
		return sc_fail(err, SC_CONFIG, "endpoint from %s is too long", source);
	sc_error_clear(&why);
	if (!http_url_allowed(url, &why))
		return sc_fail(err, why.status == SC_OK ? SC_NETWORK : why.status,
		               "endpoint from %s: %s", source, why.message);
	while (n > 0 && url[n - 1] == '/')
		n--;
	memcpy(out->url, url, n);
	out->url[n] = '\0';
	snprintf(out->source, sizeof(out->source), "%s", source);
	return SC_OK;
}

/* Steps 4 and 5: the profile's services section, then its endpoint_url. */
static const char *from_profile(const struct aws_profile_ctx *ctx, const struct service_info *si,
                                char *src, size_t srclen)
{
	const char *svc_name = aws_ini_get(aws_ini_profile(&ctx->config, ctx->profile), "services");
	const struct aws_ini_section *svc;
	const char *v, *from;

	if (svc_name && *svc_name) {
		svc = aws_ini_section(&ctx->config, AWS_INI_SERVICES, svc_name);
		v = aws_ini_get_sub(svc, si->key, "endpoint_url");
		if (v && *v) {
			snprintf(src, srclen, "services %s (key %s) in profile %s", svc_name,
			         si->key, ctx->profile);
			return v;
		}
	}
	v = aws_profile_get(ctx, ctx->profile, "endpoint_url", &from);
	if (v && *v) {
		snprintf(src, srclen, "endpoint_url in profile %s (%s)", ctx->profile, from);
		return v;
	}
	return NULL;
}

/* AWS_USE_FIPS_ENDPOINT, else use_fips_endpoint in the profile. */
static bool use_fips(const struct aws_profile_ctx *ctx)
{
	const char *v = env_get("AWS_USE_FIPS_ENDPOINT");

	if (v)
		return aws_config_true(v);
	return aws_config_true(aws_profile_get(ctx, ctx->profile, "use_fips_endpoint", NULL));
}

static bool ignore_configured(const struct aws_profile_ctx *ctx)
{
	const char *v = env_get("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");

	if (v)
		return aws_config_true(v);
	return aws_config_true(
	    aws_profile_get(ctx, ctx->profile, "ignore_configured_endpoint_urls", NULL));
}

static enum sc_status resolve(const struct aws_profile_ctx *ctx, const char *service_id,
                              const char *region, bool use_option, struct aws_endpoint *out,
                              struct sc_error *err)
{
	const struct service_info *si = find_service(service_id);
	char env[64], src[160], url[256];
	const char *v;
	bool fips;

	memset(out, 0, sizeof(*out));
	if (!si)
		return sc_fail(err, SC_USAGE, "unknown service id \"%s\"",
		               service_id ? service_id : "");
	if (use_option && ctx->endpoint_url)
		return accept_url(ctx->endpoint_url, "--endpoint-url", out, err);
	if (!ignore_configured(ctx)) {
		snprintf(env, sizeof(env), "AWS_ENDPOINT_URL_%s", si->env);
		if ((v = env_get(env)) != NULL)
			return accept_url(v, env, out, err);
		if ((v = env_get("AWS_ENDPOINT_URL")) != NULL)
			return accept_url(v, "AWS_ENDPOINT_URL", out, err);
		if ((v = from_profile(ctx, si, src, sizeof(src))) != NULL)
			return accept_url(v, src, out, err);
	}
	if (!region)
		return sc_fail(err, SC_CONFIG,
		               "no region: set --region, AWS_REGION or region in profile %s",
		               ctx->profile);
	if (!aws_region_valid(region))
		return sc_fail(err, SC_CONFIG, "\"%.60s\" is not a valid region name", region);
	fips = use_fips(ctx) && si->fips;
	snprintf(url, sizeof(url), "https://%s.%s.amazonaws.com%s", fips ? si->fips : si->host,
	         region, strncmp(region, "cn-", 3) == 0 ? ".cn" : "");
	return accept_url(url, fips ? "regional default (FIPS)" : "regional default", out, err);
}

enum sc_status aws_endpoint_resolve(const struct aws_profile_ctx *ctx, const char *service_id,
                                    const char *region, struct aws_endpoint *out,
                                    struct sc_error *err)
{
	return resolve(ctx, service_id, region, true, out, err);
}

enum sc_status aws_endpoint_resolve_configured(const struct aws_profile_ctx *ctx,
                                               const char *service_id, const char *region,
                                               struct aws_endpoint *out, struct sc_error *err)
{
	return resolve(ctx, service_id, region, false, out, err);
}

#ifndef SESCTL_AWS_ENDPOINT_H
#define SESCTL_AWS_ENDPOINT_H

/*
 * Endpoint resolution for one service, as botocore's configured-endpoint provider does it:
 *   1. --endpoint-url (aws_profile_ctx.endpoint_url);
 *   2. AWS_ENDPOINT_URL_<SERVICE> (SESV2, SES, STS, CLOUDWATCH, MAILMANAGER, SSO);
 *   3. AWS_ENDPOINT_URL;
 *   4. the service's key in the profile's services section
 *      ("[profile p] services = s" + "[services s] sesv2 = \n  endpoint_url = ...");
 *   5. endpoint_url in the profile;
 *   6. the regional default: email.<r>.amazonaws.com (sesv2, ses), sts.<r>...,
 *      monitoring.<r>..., mail-manager.<r>..., sns.<r>..., sqs.<r>..., portal.sso.<r>...
 *      (.amazonaws.com.cn for
 *      cn-* regions); with AWS_USE_FIPS_ENDPOINT=true (or use_fips_endpoint = true in the
 *      profile) the -fips hosts: email-fips, sts-fips, monitoring-fips, mail-manager-fips,
 *      sns-fips, sqs-fips.
 * AWS_IGNORE_CONFIGURED_ENDPOINT_URLS=true (or ignore_configured_endpoint_urls = true in
 * the profile) skips 2–5. A URL must be https://, or http:// to a loopback host; a
 * trailing '/' is dropped; a path prefix is kept.
 *
 * Service ids are the names aws/client.h uses: "sesv2", "ses", "sts", "monitoring",
 * "mailmanager", "sns", "sqs" (feedback routing and the events tap), and "sso" (the SSO
 * portal, used by the credential chain).
 */

#include "sesctl/aws/config.h"
#include "sesctl/util/err.h"

struct aws_endpoint {
	char url[512];    /* "https://email.eu-west-1.amazonaws.com", no trailing '/' */
	char source[160]; /* "--endpoint-url", "AWS_ENDPOINT_URL_SESV2", "services local in
	                     profile dev (config file)", "regional default" ... */
};

/* Resolve the endpoint of service_id for region (the regional default needs a region;
 * region may be NULL otherwise). Errors: SC_USAGE for an unknown service id; SC_CONFIG
 * for no region, a malformed region, or a URL that is not http(s); SC_NETWORK for plain
 * http:// to a host that is not loopback. The message names the source. */
enum sc_status aws_endpoint_resolve(const struct aws_profile_ctx *ctx, const char *service_id,
                                    const char *region, struct aws_endpoint *out,
                                    struct sc_error *err);

/* The same without step 1: the credential chain's STS and SSO calls use this, because
 * --endpoint-url names the endpoint of the command's service only (as in the AWS CLI,
 * whose credential resolver never sees it). */
enum sc_status aws_endpoint_resolve_configured(const struct aws_profile_ctx *ctx,
                                               const char *service_id, const char *region,
                                               struct aws_endpoint *out, struct sc_error *err);

/* True for a plausible region name: 1–40 of [a-z0-9-], starting with a letter. */
bool aws_region_valid(const char *region);

/* The regions where SES (v2 and the classic API) is offered, NULL-terminated: what
 * `sesctl regions` scans and where a fleet's `regions = active` looks. */
extern const char *const aws_ses_regions[];

#endif

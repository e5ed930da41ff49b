#ifndef SESCTL_AWS_CREDS_H
#define SESCTL_AWS_CREDS_H

/*
 * The AWS credential chain (CLI v2 order) and a caching provider.
 *
 * Chain, first source that is configured wins:
 *   1. env: AWS_ACCESS_KEY_ID + AWS_SECRET_ACCESS_KEY (+ AWS_SESSION_TOKEN or the legacy
 *      AWS_SECURITY_TOKEN, AWS_CREDENTIAL_EXPIRATION) — skipped when --profile was given
 *      (AWS_PROFILE does not skip it);
 *   2. the profile:
 *      a. role_arn + source_profile | credential_source (Environment, Ec2InstanceMetadata,
 *         EcsContainer): STS AssumeRole, signed with the source credentials; roles chain,
 *         a cycle is an error; external_id, role_session_name, duration_seconds honoured;
 *         mfa_serial is refused (sesctl cannot prompt);
 *      b. web identity: AWS_WEB_IDENTITY_TOKEN_FILE + AWS_ROLE_ARN (+ AWS_ROLE_SESSION_NAME)
 *         or web_identity_token_file + role_arn in the profile: unsigned
 *         AssumeRoleWithWebIdentity;
 *      c. SSO: sso_session (+ [sso-session]) or legacy sso_start_url/sso_region, with
 *         sso_account_id + sso_role_name: the token cached by `aws sso login` in
 *         ~/.aws/sso/cache/<sha1>.json, traded at the portal (endpoint "sso", so
 *         AWS_ENDPOINT_URL_SSO overrides it); never refreshes the token itself;
 *      d. keys in the credentials file;
 *      e. credential_process (split like a shell, run without one, stdin /dev/null,
 *         stdout never logged, stderr shown on failure);
 *      f. keys in the config file;
 *   3. container: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI (http://169.254.170.2...) or
 *      _FULL_URI, with AWS_CONTAINER_AUTHORIZATION_TOKEN(_FILE);
 *   4. IMDSv2 unless AWS_EC2_METADATA_DISABLED=true: endpoint from
 *      AWS_EC2_METADATA_SERVICE_ENDPOINT / ec2_metadata_service_endpoint (or the IPv6
 *      address with ..._ENDPOINT_MODE=IPv6), timeout AWS_METADATA_SERVICE_TIMEOUT (1 s).
 *      No answer counts as "not on EC2" (remembered by the provider).
 *
 * STS and SSO calls go to aws_endpoint_resolve_configured(ctx, "sts"|"sso", region): so
 * AWS_ENDPOINT_URL_STS / AWS_ENDPOINT_URL_SSO (or AWS_ENDPOINT_URL, or a services section)
 * redirect them, --endpoint-url does not. STS uses the context's region or us-east-1 and is
 * retried (max_attempts) on no reply, 5xx, 429 and throttling codes.
 * The provider blocks while it resolves (a credential_process, STS, at most ~1 s per IMDS
 * probe); it is single-threaded like the rest of the aws layer.
 *
 * Errors: SC_AUTH for missing, partial or expired credentials, a failing source (its
 * reason in the message) and "no credentials" (the message lists what was tried);
 * SC_CONFIG for contradictory profile settings (a role with two sources, a cycle, a bad
 * duration_seconds); SC_NETWORK / SC_BAD_REPLY from STS, SSO or container endpoints.
 * Messages never contain secrets or response bodies of credential endpoints.
 */

#include <stdbool.h>
#include <time.h>

#include "sesctl/aws/client.h"
#include "sesctl/aws/config.h"
#include "sesctl/aws/http.h"
#include "sesctl/util/err.h"

/* One set of credentials. All strings are owned; aws_credentials_free() wipes them. */
struct aws_credentials {
	char *access_key;
	char *secret_key;
	char *session_token; /* NULL for long-term keys */
	time_t expiration;   /* 0: never expires */
	char source[256];    /* "env", "profile prod (credentials file)", "imds" ... */
};

void aws_credentials_free(struct aws_credentials *c);

/* Refresh thresholds: botocore's advisory (try to refresh, keep the old ones on failure)
 * and mandatory (must refresh) windows before expiry. */
#define AWS_CREDS_ADVISORY_SECS  (15 * 60)
#define AWS_CREDS_MANDATORY_SECS (10 * 60)
/* Inside those windows, a source asked less than AWS_CREDS_RETRY_SECS ago is not asked
 * again while its credentials have more than AWS_CREDS_LAST_SECS left. */
#define AWS_CREDS_RETRY_SECS     60
#define AWS_CREDS_LAST_SECS      30

struct aws_creds_options {
	const struct aws_profile_ctx *ctx; /* borrowed; must outlive the provider */
	struct http_client *http;          /* borrowed; NULL → the provider makes its own */
	time_t (*clock)(void);             /* NULL → time() */
};

struct aws_creds_provider;

/* Never NULL. Resolves nothing until the first get. */
struct aws_creds_provider *aws_creds_provider_new(const struct aws_creds_options *opt);
/* Wipes the cached credentials. NULL allowed. */
void aws_creds_provider_free(struct aws_creds_provider *p);

/* Cached credentials, resolved or refreshed when needed. *out is borrowed until the next
 * call on p. */
enum sc_status aws_creds_provider_get(struct aws_creds_provider *p,
                                      const struct aws_credentials **out, struct sc_error *err);

/* Matches aws_creds_fn (client.h); ud is the struct aws_creds_provider *. */
enum sc_status aws_creds_provider_fn(void *ud, struct aws_signing_creds *out, struct sc_error *err);

/* Drop the cache so the next get resolves the chain again (after an ExpiredToken). */
void aws_creds_provider_invalidate(struct aws_creds_provider *p);

/* Source of the cached credentials ("" before the first successful get). */
const char *aws_creds_provider_source(const struct aws_creds_provider *p);

/* Run the chain once, without caching. http may be NULL (a client is made as needed). */
enum sc_status aws_creds_resolve(const struct aws_profile_ctx *ctx, struct http_client *http,
                                 time_t now, struct aws_credentials *out, struct sc_error *err);

/* Split a command line as POSIX sh would split words (quotes, backslashes), without
 * expansions. Returns a NULL-terminated malloc'd argv (free with aws_argv_free) or NULL
 * with SC_CONFIG for an unterminated quote or an empty command. what names the setting in
 * the message. Exposed for tests. */
char **aws_split_command(const char *cmd, const char *what, struct sc_error *err);
void aws_argv_free(char **argv);

/* The container credentials URL from the environment, or NULL when neither variable is
 * set; malloc'd. Exposed for tests (the relative form points at 169.254.170.2). */
char *aws_container_url(void);

#endif

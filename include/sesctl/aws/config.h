#ifndef SESCTL_AWS_CONFIG_H
#define SESCTL_AWS_CONFIG_H

/*
 * The AWS shared config and credentials files, and the profile context resolved once at
 * start-up from the command line (--profile, --region, --endpoint-url), the environment
 * and those two files.
 *
 * File syntax (what botocore's configparser accepts, minus interpolation):
 *   - comments: lines whose first non-blank character is '#' or ';'; no inline comments
 *     in values (a secret or a command line may contain them), but "[x] # note" is fine;
 *   - sections: "[default]", "[profile NAME]", "[sso-session NAME]", "[services NAME]"
 *     in the config file; "[NAME]" in the credentials file;
 *   - properties: "key = value" (or "key: value"), split at the first '=' or ':';
 *   - nested keys: a property with an empty value followed by indented "key = value"
 *     lines (as in a services section); an indented line after a property with a value
 *     continues that value (joined with '\n');
 *   - a section header repeated with the same text, or a key repeated within one section,
 *     is an error (configparser refuses such files, so the AWS CLI does too); two
 *     spellings of one profile ("[profile x]", "[profile  x]", "[profile \"x\"]") merge,
 *     later values winning.
 * tests/unit/test_config_botocore.c checks these rules against botocore.
 * A malformed line gives SC_CONFIG "FILE:LINE: what is wrong"; the message never quotes
 * the line itself (it could hold a secret). A missing file is an empty file.
 *
 * Ownership: struct aws_ini and struct aws_profile_ctx are the caller's and are released
 * with aws_ini_free() / aws_profile_ctx_free(), which wipe every value (secrets live
 * there). Strings returned by lookups are borrowed from the ini/context.
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/util/err.h"

struct aws_ini_prop {
	char *key;
	char *value;              /* "" when the property only carries nested keys */
	struct aws_ini_prop *sub; /* nested "  key = value" lines */
	size_t n_sub;
	int line;
};

enum aws_ini_kind {
	AWS_INI_PLAIN,       /* "[NAME]": a credentials-file profile, ignored in config */
	AWS_INI_PROFILE,     /* "[default]" or "[profile NAME]" in the config file */
	AWS_INI_SSO_SESSION, /* "[sso-session NAME]" */
	AWS_INI_SERVICES,    /* "[services NAME]" */
	AWS_INI_OTHER        /* "[anything else NAME]": kept, never looked up */
};

struct aws_ini_section {
	enum aws_ini_kind kind;
	char *name;
	struct aws_ini_prop *props;
	size_t n_props;
	int line;
};

struct aws_ini {
	char *path;     /* as given; "" for parsed text without a file */
	bool exists;    /* false when the file was missing */
	bool is_config; /* parsed with the config-file section rules */
	struct aws_ini_section *sections;
	size_t n_sections;
};

/* Parse text (len bytes; NUL bytes are an error). is_config selects the config-file
 * section rules. path is used in messages. On failure *out is empty and err is filled. */
enum sc_status aws_ini_parse(const char *text, size_t len, const char *path, bool is_config,
                             struct aws_ini *out, struct sc_error *err);
/* Read and parse a file. Missing → SC_OK with an empty ini (exists = false). Unreadable,
 * a directory, or over 1 MiB → SC_CONFIG naming the file. */
enum sc_status aws_ini_load(const char *path, bool is_config, struct aws_ini *out,
                            struct sc_error *err);
void aws_ini_free(struct aws_ini *ini);

/* Section lookup. NULL when absent. */
const struct aws_ini_section *aws_ini_section(const struct aws_ini *ini, enum aws_ini_kind kind,
                                              const char *name);
/* A profile section: in a config ini "[default]"/"[profile default]" or "[profile NAME]";
 * in a credentials ini "[NAME]". */
const struct aws_ini_section *aws_ini_profile(const struct aws_ini *ini, const char *name);
const struct aws_ini_prop *aws_ini_prop(const struct aws_ini_section *s, const char *key);
/* Value of key in s, or NULL when s is NULL or the key is absent. */
const char *aws_ini_get(const struct aws_ini_section *s, const char *key);
/* Value of a nested key "parent.sub", or NULL. */
const char *aws_ini_get_sub(const struct aws_ini_section *s, const char *parent, const char *sub);

/* What the user asked for on the command line; NULL fields mean "not given". */
struct aws_options {
	const char *profile;      /* --profile */
	const char *region;       /* --region */
	const char *endpoint_url; /* --endpoint-url */
};

/* The profile context: everything below is owned by the struct. *_source strings name
 * where a value came from ("--profile", "AWS_PROFILE", "profile prod (config file)",
 * "default"), for `sesctl config show`, the status bar and error messages. */
struct aws_profile_ctx {
	char *profile;         /* never NULL; "default" when nothing chose one */
	bool profile_explicit; /* given with --profile (env keys are then skipped) */
	char profile_source[64];
	char *region; /* NULL when no source gives one */
	char region_source[160];
	char *endpoint_url; /* --endpoint-url, or NULL */
	int max_attempts;   /* AWS_MAX_ATTEMPTS / max_attempts; 3 by default */
	char max_attempts_source[160];
	char *ca_bundle; /* AWS_CA_BUNDLE / ca_bundle, or NULL (system store) */
	char ca_bundle_source[160];
	char retry_mode[16]; /* "standard" (default), "legacy" or "adaptive" */
	char retry_mode_source[160];
	char *config_path;      /* AWS_CONFIG_FILE or ~/.aws/config */
	char *credentials_path; /* AWS_SHARED_CREDENTIALS_FILE or ~/.aws/credentials */
	struct aws_ini config;
	struct aws_ini credentials;
};

/* Resolve the context from opt (may be NULL), the environment and the files.
 * Profile: --profile, AWS_DEFAULT_PROFILE (botocore reads the legacy name first),
 * AWS_PROFILE, "default". Region: --region, AWS_REGION, AWS_DEFAULT_REGION, the profile
 * (AWS_REGION is what CLI v2 and the newer SDKs read; botocore only reads the second).
 * Errors (SC_CONFIG): a malformed file (FILE:LINE), a profile named by --profile or
 * AWS_PROFILE that is in neither file, a bad max_attempts / retry_mode, an unreadable
 * ca_bundle. A missing region is not an error here: see aws_profile_region(). */
enum sc_status aws_profile_ctx_load(const struct aws_options *opt, struct aws_profile_ctx *ctx,
                                    struct sc_error *err);
void aws_profile_ctx_free(struct aws_profile_ctx *ctx);

/* The region, or SC_CONFIG "no region: set --region, AWS_REGION or region in profile X". */
enum sc_status aws_profile_region(const struct aws_profile_ctx *ctx, const char **region,
                                  struct sc_error *err);

/* A profile setting, credentials file first then config file (botocore merges them the
 * same way). *from (may be NULL) is set to "credentials file" or "config file". */
const char *aws_profile_get(const struct aws_profile_ctx *ctx, const char *profile, const char *key,
                            const char **from);
/* True when the profile has a section in either file. */
bool aws_profile_exists(const struct aws_profile_ctx *ctx, const char *profile);

/* Every profile name in either file, sorted and without repeats (for a profile switcher).
 * *names is a malloc'd array of malloc'd strings; free with aws_profile_names_free(). */
void aws_profile_names(const struct aws_profile_ctx *ctx, char ***names, size_t *n);
void aws_profile_names_free(char **names, size_t n);

/* Expand a leading "~/" with $HOME; malloc'd. */
char *aws_expand_home(const char *path);

/* True for "true"/"TRUE"/"True" (what the SDKs accept for boolean settings). */
bool aws_config_true(const char *v);

#endif

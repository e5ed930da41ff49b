#ifndef SESCTL_SES_CONFIG_SETS_H
#define SESCTL_SES_CONFIG_SETS_H

/*
 * SES configuration sets: list, read, the per-set sending switch.
 *
 * Calls of both protocols for this family; the three layers (build, parse, call),
 * ownership and tolerance rules are in ses/sesv2.h (REST-JSON) and ses/sesv1.h (Query/XML).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/ses/model.h"
#include "sesctl/ses/request.h"
#include "sesctl/util/err.h"

void sesv2_build_list_config_sets(struct ses_request *r, const char *next_token, int page_size);
enum sc_status sesv2_build_get_config_set(struct ses_request *r, const char *name,
					  struct sc_error *err);
enum sc_status sesv2_build_put_config_set_sending(struct ses_request *r, const char *name,
						 bool enabled, struct sc_error *err);
/* Appends names. Required: ConfigurationSets (array of strings). */
enum sc_status sesv2_parse_list_config_sets(const char *body, size_t len, char ***v, size_t *n,
					    char **next_token, struct sc_error *err);
/* Required: ConfigurationSetName. SendingEnabled absent = true (the service default). */
enum sc_status sesv2_parse_get_config_set(const char *body, size_t len, struct ses_config_set *out,
					  struct sc_error *err);
/* All pages. */
enum sc_status sesv2_list_config_sets(const struct ses_ctx *ctx, char ***v, size_t *n,
				      struct sc_error *err);
enum sc_status sesv2_get_config_set(const struct ses_ctx *ctx, const char *name,
				    struct ses_config_set *out, struct sc_error *err);
enum sc_status sesv2_put_config_set_sending(const struct ses_ctx *ctx, const char *name,
					    bool enabled, struct sc_error *err);

#endif

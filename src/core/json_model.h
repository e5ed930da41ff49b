/* Private to src/core: model structs → the JSON documents verbs print (stable names). */
#ifndef SESCTL_CORE_JSON_MODEL_H
#define SESCTL_CORE_JSON_MODEL_H

#include <cjson/cJSON.h>
#include <time.h>

#include "sesctl/ses/model.h"

void jm_str(cJSON *o, const char *key, const char *v);        /* null when v is NULL */
void jm_time(cJSON *o, const char *key, time_t t);            /* ISO 8601 UTC, null when 0 */
/* "12s", "5m", "3h", "2d"; "never" for 0. */
void jm_age(char *out, size_t n, time_t then, time_t now);
/* The Unicode form of an identity (IDN domains, and the domain of an address); malloc'd. */
char *jm_display_name(const char *name);
cJSON *jm_identity(const struct ses_identity *x, const char *region, time_t now);
/* The members a table of identities shows (verbs_sync.c's identity_columns, and "name"),
 * with jm_identity()'s values: a row of a streamed table costs a fifth of the whole. */
cJSON *jm_identity_brief(const struct ses_identity *x, const char *region, time_t now);
/* A receipt rule at 1-based position pos, actions summarised one line each. */
cJSON *jm_rule(const struct ses_rule *r, size_t pos);
cJSON *jm_account(const struct ses_account *a);

#endif

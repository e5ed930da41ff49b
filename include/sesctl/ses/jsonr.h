#ifndef SESCTL_SES_JSONR_H
#define SESCTL_SES_JSONR_H

/*
 * Reading JSON replies (SESv2, Mail Manager) into model structs, tolerant where AWS and
 * emulators differ and strict where it matters:
 *   - JSON null and a missing key are the same: absent;
 *   - unknown keys are ignored; enum strings are copied raw;
 *   - timestamps are epoch numbers (fractions dropped) or ISO-8601 strings;
 *   - a required field that is absent or of the wrong type fails with SC_BAD_REPLY
 *     "<Operation>: the reply has no usable <Scope.Field>";
 *   - an optional field of the wrong type is treated as absent (moto sends objects where
 *     the model has booleans).
 *
 * struct jr carries the operation name and the first error: every read after a failure
 * is a no-op, so a parser reads all fields and checks jr.st once at the end.
 * Strings returned are malloc'd (the caller frees); cJSON nodes are borrowed.
 */

#include <cjson/cJSON.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/util/err.h"

struct jr {
	const char *op;        /* operation, for messages */
	const char *scope;     /* object being read ("DkimAttributes"), or NULL at top level */
	struct sc_error *err;
	enum sc_status st;
};

enum jr_need { JR_OPTIONAL = 0, JR_REQUIRED = 1 };

/* Parse body as a JSON object. NULL with SC_BAD_REPLY ("<op>: the reply is not a JSON
 * object") for anything else, including an empty body. Free with cJSON_Delete(). */
cJSON *jr_parse(struct jr *r, const char *body, size_t len);
/* Like jr_parse but an empty or whitespace-only body is an empty object (Put* replies). */
cJSON *jr_parse_empty_ok(struct jr *r, const char *body, size_t len);

/* Record a failure for field `key` in the current scope (first one wins); returns r->st. */
enum sc_status jr_fail_field(struct jr *r, const char *key);

/* The member `key`, NULL when absent or JSON null. */
const cJSON *jr_get(const cJSON *obj, const char *key);

const cJSON *jr_obj(struct jr *r, const cJSON *obj, const char *key, enum jr_need need);
const cJSON *jr_arr(struct jr *r, const cJSON *obj, const char *key, enum jr_need need);
char *jr_str(struct jr *r, const cJSON *obj, const char *key, enum jr_need need);
/* These return true and set *out when the field is present and usable. */
bool jr_bool(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, bool *out);
bool jr_double(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, double *out);
/* jr_double for counts, quotas and rates: a value outside [lo, hi] (or inf/nan, as
 * 1e400 parses) is a bad reply even when the field is optional ("<op>: <key> is out of
 * range"). */
bool jr_double_in(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, double lo,
		  double hi, double *out);
bool jr_time(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, time_t *out);
/* A JSON number or ISO-8601 string as a time; false for anything else. */
bool jr_time_of(const cJSON *v, time_t *out);
/* Array of strings → malloc'd vector; non-string items are skipped. */
char **jr_strv(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, size_t *n);

#endif

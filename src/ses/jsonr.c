#include "sesctl/ses/jsonr.h"

#include <ctype.h>
#include <limits.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/aws/xml.h"
#include "sesctl/util/buf.h"

static cJSON *parse_object(struct jr *r, const char *body, size_t len)
{
	cJSON *root;

	if (!body || !len) {
		sc_fail(r->err, SC_BAD_REPLY, "%s: the reply is empty, not a JSON object", r->op);
		r->st = SC_BAD_REPLY;
		return NULL;
	}
	root = cJSON_ParseWithLength(body, len);
	if (!root || !cJSON_IsObject(root)) {
		cJSON_Delete(root);
		sc_fail(r->err, SC_BAD_REPLY, "%s: the reply is not a JSON object", r->op);
		r->st = SC_BAD_REPLY;
		return NULL;
	}
	return root;
}

cJSON *jr_parse(struct jr *r, const char *body, size_t len)
{
	r->st = SC_OK;
	return parse_object(r, body, len);
}

cJSON *jr_parse_empty_ok(struct jr *r, const char *body, size_t len)
{
	size_t i = 0;

	r->st = SC_OK;
	while (body && i < len && isspace((unsigned char)body[i]))
		i++;
	if (!body || i == len)
		return cJSON_CreateObject();
	return parse_object(r, body, len);
}

enum sc_status jr_fail_field(struct jr *r, const char *key)
{
	if (r->st != SC_OK)
		return r->st;
	r->st = SC_BAD_REPLY;
	sc_fail(r->err, SC_BAD_REPLY, "%s: the reply has no usable %s%s%s", r->op,
		r->scope ? r->scope : "", r->scope ? "." : "", key);
	return r->st;
}

const cJSON *jr_get(const cJSON *obj, const char *key)
{
	const cJSON *v;

	if (!obj || !cJSON_IsObject(obj))
		return NULL;
	v = cJSON_GetObjectItemCaseSensitive(obj, key);
	return cJSON_IsNull(v) ? NULL : v;
}

/* Common shape of every typed read: absent/wrong → error only when required. */
static const cJSON *field(struct jr *r, const cJSON *obj, const char *key, enum jr_need need,
			  cJSON_bool (*ok)(const cJSON *))
{
	const cJSON *v;

	if (r->st != SC_OK)
		return NULL;
	v = jr_get(obj, key);
	if (v && ok(v))
		return v;
	if (need == JR_REQUIRED)
		jr_fail_field(r, key);
	return NULL;
}

const cJSON *jr_obj(struct jr *r, const cJSON *obj, const char *key, enum jr_need need)
{
	return field(r, obj, key, need, cJSON_IsObject);
}

const cJSON *jr_arr(struct jr *r, const cJSON *obj, const char *key, enum jr_need need)
{
	return field(r, obj, key, need, cJSON_IsArray);
}

char *jr_str(struct jr *r, const cJSON *obj, const char *key, enum jr_need need)
{
	const cJSON *v = field(r, obj, key, need, cJSON_IsString);

	return v ? xstrdup(v->valuestring) : NULL;
}

bool jr_bool(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, bool *out)
{
	const cJSON *v = field(r, obj, key, need, cJSON_IsBool);

	if (!v)
		return false;
	*out = cJSON_IsTrue(v);
	return true;
}

bool jr_double(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, double *out)
{
	const cJSON *v = field(r, obj, key, need, cJSON_IsNumber);

	if (!v)
		return false;
	*out = v->valuedouble;
	return true;
}

bool jr_double_in(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, double lo,
		  double hi, double *out)
{
	double v;

	if (!jr_double(r, obj, key, need, &v))
		return false;
	if (!isfinite(v) || v < lo || v > hi) {
		if (r->st == SC_OK) {
			r->st = SC_BAD_REPLY;
			sc_fail(r->err, SC_BAD_REPLY, "%s: %s%s%s is out of range (%g)", r->op,
				r->scope ? r->scope : "", r->scope ? "." : "", key, v);
		}
		return false;
	}
	*out = v;
	return true;
}

bool jr_time_of(const cJSON *v, time_t *out)
{
	if (cJSON_IsNumber(v)) {
		double d = v->valuedouble;

		if (!isfinite(d) || d < 0 || d > 253402300799.0) /* up to year 9999 */
			return false;
		*out = (time_t)floor(d);
		return true;
	}
	if (cJSON_IsString(v))
		return xml_parse_iso8601(v->valuestring, out);
	return false;
}

static cJSON_bool is_time(const cJSON *v)
{
	time_t t;

	return jr_time_of(v, &t);
}

bool jr_time(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, time_t *out)
{
	const cJSON *v = field(r, obj, key, need, is_time);

	return v && jr_time_of(v, out);
}

char **jr_strv(struct jr *r, const cJSON *obj, const char *key, enum jr_need need, size_t *n)
{
	const cJSON *arr = jr_arr(r, obj, key, need), *it;
	char **v;
	size_t k = 0;

	*n = 0;
	if (!arr || !cJSON_GetArraySize(arr))
		return NULL;
	v = xcalloc((size_t)cJSON_GetArraySize(arr), sizeof(*v));
	cJSON_ArrayForEach(it, arr)
		if (cJSON_IsString(it))
			v[k++] = xstrdup(it->valuestring);
	if (!k) {
		free(v);
		return NULL;
	}
	*n = k;
	return v;
}

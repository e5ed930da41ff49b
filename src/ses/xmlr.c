#include "sesctl/ses/xmlr.h"

#include <stdio.h>

#include "sesctl/aws/xml.h"

enum sc_status xr_fail_field(struct sc_error *err, const char *op, const char *field)
{
	return sc_fail(err, SC_BAD_REPLY, "%s: the reply has no usable %s", op, field);
}

xmlDoc *xr_open(const char *body, size_t len, const char *op, bool need_result,
		xmlNode **result, struct sc_error *err)
{
	char name[128];
	xmlDoc *doc = xml_parse(body, len, err);
	xmlNode *root;

	*result = NULL;
	if (!doc) {
		sc_error_prefix(err, "%s", op);
		return NULL;
	}
	if (doc->intSubset || doc->extSubset) {
		xml_free(doc);
		sc_fail(err, SC_BAD_REPLY, "%s: the reply has a DOCTYPE, which AWS never sends", op);
		return NULL;
	}
	root = xml_root(doc);
	snprintf(name, sizeof(name), "%sResponse", op);
	if (!xml_is(root, name)) {
		sc_fail(err, SC_BAD_REPLY, "%s: the reply is <%.60s>, not <%s>", op, xml_name(root),
			name);
		xml_free(doc);
		return NULL;
	}
	snprintf(name, sizeof(name), "%sResult", op);
	*result = xml_child(root, name);
	if (!*result && need_result) {
		xr_fail_field(err, op, name);
		xml_free(doc);
		return NULL;
	}
	return doc;
}

/* libFuzzer target: the tenants client's parsers on arbitrary bytes. The first byte picks
 * the parser (GetTenant, CreateTenant, ListTenants, ListTenantResources, ListResourceTenants,
 * ListReputationEntities, GetReputationEntity, ListRecommendations); the rest is the body.
 * Each must return SC_OK or SC_BAD_REPLY, never crash or leak, leave a list as it was when
 * it fails, and keep the fields it promises: a tenant always has a name, a resource an ARN,
 * an entity a reference, a recommendation a type.
 * Build: make fuzz-build. Seeds: replies of every shape, written by tests/fuzz/seeds.py. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/tenants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void ok_or_bad(enum sc_status st)
{
	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
}

static void one_tenant(const char *b, size_t n, int create)
{
	struct ses_tenant t = {0};
	enum sc_status st = create ? sesv2_parse_create_tenant(b, n, &t, NULL)
				   : sesv2_parse_get_tenant(b, n, &t, NULL);

	ok_or_bad(st);
	if ((st == SC_OK) != (t.name != NULL))
		abort();
	ses_tenant_free(&t);
}

static void lists(const char *b, size_t n, int which)
{
	char *tok = NULL;
	size_t k = 1;
	enum sc_status st;

	switch (which) {
	case 2: {
		struct ses_tenant *v = calloc(1, sizeof(*v));

		st = sesv2_parse_list_tenants(b, n, &v, &k, &tok, NULL);
		for (size_t i = 1; i < k; i++)
			if (!v[i].name)
				abort();
		ses_tenants_free(v, k);
		break;
	}
	case 3: {
		struct ses_tenant_resource *v = calloc(1, sizeof(*v));

		st = sesv2_parse_list_tenant_resources(b, n, &v, &k, &tok, NULL);
		for (size_t i = 1; i < k; i++)
			if (!v[i].arn)
				abort();
		ses_tenant_resources_free(v, k);
		break;
	}
	case 4: {
		struct ses_resource_tenant *v = calloc(1, sizeof(*v));

		st = sesv2_parse_list_resource_tenants(b, n, &v, &k, &tok, NULL);
		for (size_t i = 1; i < k; i++)
			if (!v[i].tenant_name)
				abort();
		ses_resource_tenants_free(v, k);
		break;
	}
	case 5: {
		struct ses_reputation_entity *v = calloc(1, sizeof(*v));

		st = sesv2_parse_list_reputation_entities(b, n, &v, &k, &tok, NULL);
		for (size_t i = 1; i < k; i++)
			if (!v[i].reference)
				abort();
		ses_reputation_entities_free(v, k);
		break;
	}
	default: {
		struct ses_recommendation *v = calloc(1, sizeof(*v));

		st = sesv2_parse_list_recommendations(b, n, &v, &k, &tok, NULL);
		for (size_t i = 1; i < k; i++)
			if (!v[i].type)
				abort();
		ses_recommendations_free(v, k);
		break;
	}
	}
	ok_or_bad(st);
	if (st != SC_OK && (k != 1 || tok)) /* a failed page appends nothing */
		abort();
	free(tok);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct ses_reputation_entity e = {0};
	const char *b;
	int which;

	if (!size)
		return 0;
	which = data[0] % 8;
	b = (const char *)data + 1;
	size--;
	if (which < 2) {
		one_tenant(b, size, which);
	} else if (which == 6) {
		enum sc_status st = sesv2_parse_get_reputation_entity(b, size, &e, NULL);

		ok_or_bad(st);
		if ((st == SC_OK) != (e.reference != NULL))
			abort();
		ses_reputation_entity_free(&e);
	} else {
		lists(b, size, which == 7 ? 7 : which);
	}
	return 0;
}

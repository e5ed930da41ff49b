/* libFuzzer target: the tenants family (ses/tenants.h) on arbitrary bytes. The first byte
 * picks what runs on the rest: the eight reply parsers (0-7), the policy ARN helpers (8),
 * the builders with the rest as every string input (9). A parser must return SC_OK or
 * SC_BAD_REPLY, never crash or leak; a page that fails appends nothing and keeps the token;
 * a page that parses holds every required field and no empty token; a single object that
 * fails is left zeroed. A builder must put the input into its path escaped (nothing but
 * unreserved bytes, '%' escapes and '/' separators) and into its body as JSON that reads
 * back to the same string.
 * Build: make fuzz-build. Seeds: replies of every shape, written by tests/fuzz/seeds.py. */
#include <cjson/cJSON.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/tenants.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum sc_status st)
{
	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
}

static void is_zero(const void *p, size_t n)
{
	const unsigned char *b = p;

	for (size_t i = 0; i < n; i++)
		if (b[i])
			abort();
}

/* After a second page on top of the first: a failure appended nothing and kept the token;
 * a success left a token that is NULL or not empty. */
static void check_page(enum sc_status st, size_t before, size_t n, const char *tok_before,
		       const char *tok)
{
	check(st);
	if (st != SC_OK && (n != before || tok != tok_before))
		abort();
	if (tok && !*tok)
		abort();
}

static void fuzz_tenant(unsigned which, const char *b, size_t len)
{
	struct ses_tenant t = {0};
	enum sc_status st = which ? sesv2_parse_get_tenant(b, len, &t, NULL)
				  : sesv2_parse_create_tenant(b, len, &t, NULL);

	check(st);
	if (st != SC_OK)
		is_zero(&t, sizeof(t));
	else if (!t.name || (t.n_tags && !t.tags) || (!t.n_tags && t.tags))
		abort();
	for (size_t i = 0; i < t.n_tags; i++)
		if (!t.tags[i].key || !t.tags[i].value)
			abort();
	ses_tenant_free(&t);
}

static void fuzz_list_tenants(const char *b, size_t len)
{
	struct ses_tenant *v = NULL;
	size_t n = 0, before;
	char *tok = NULL, *tok_before;
	enum sc_status st = sesv2_parse_list_tenants(b, len, &v, &n, &tok, NULL);

	check(st);
	before = n;
	tok_before = tok;
	st = sesv2_parse_list_tenants(b, len, &v, &n, &tok, NULL);
	check_page(st, before, n, tok_before, tok);
	for (size_t i = 0; i < n; i++)
		if (!v[i].name || v[i].sending_status || v[i].tags)
			abort();
	ses_tenants_free(v, n);
	free(tok);
}

static void fuzz_tenant_resources(const char *b, size_t len)
{
	struct ses_tenant_resource *v = NULL;
	size_t n = 0, before;
	char *tok = NULL, *tok_before;
	enum sc_status st = sesv2_parse_list_tenant_resources(b, len, &v, &n, &tok, NULL);

	check(st);
	before = n;
	tok_before = tok;
	st = sesv2_parse_list_tenant_resources(b, len, &v, &n, &tok, NULL);
	check_page(st, before, n, tok_before, tok);
	for (size_t i = 0; i < n; i++)
		if (!v[i].arn)
			abort();
	ses_tenant_resources_free(v, n);
	free(tok);
}

static void fuzz_resource_tenants(const char *b, size_t len)
{
	struct ses_resource_tenant *v = NULL;
	size_t n = 0, before;
	char *tok = NULL, *tok_before;
	enum sc_status st = sesv2_parse_list_resource_tenants(b, len, &v, &n, &tok, NULL);

	check(st);
	before = n;
	tok_before = tok;
	st = sesv2_parse_list_resource_tenants(b, len, &v, &n, &tok, NULL);
	check_page(st, before, n, tok_before, tok);
	for (size_t i = 0; i < n; i++)
		if (!v[i].tenant_name)
			abort();
	ses_resource_tenants_free(v, n);
	free(tok);
}

static void fuzz_entities(const char *b, size_t len)
{
	struct ses_reputation_entity *v = NULL, e = {0};
	size_t n = 0, before;
	char *tok = NULL, *tok_before;
	enum sc_status st = sesv2_parse_list_reputation_entities(b, len, &v, &n, &tok, NULL);

	check(st);
	before = n;
	tok_before = tok;
	st = sesv2_parse_list_reputation_entities(b, len, &v, &n, &tok, NULL);
	check_page(st, before, n, tok_before, tok);
	for (size_t i = 0; i < n; i++)
		if (!v[i].reference)
			abort();
	ses_reputation_entities_free(v, n);
	free(tok);
	st = sesv2_parse_get_reputation_entity(b, len, &e, NULL);
	check(st);
	if (st != SC_OK)
		is_zero(&e, sizeof(e));
	else if (!e.reference)
		abort();
	ses_reputation_entity_free(&e);
}

static void fuzz_recommendations(const char *b, size_t len)
{
	struct ses_recommendation *v = NULL;
	size_t n = 0, before;
	char *tok = NULL, *tok_before;
	enum sc_status st = sesv2_parse_list_recommendations(b, len, &v, &n, &tok, NULL);

	check(st);
	before = n;
	tok_before = tok;
	st = sesv2_parse_list_recommendations(b, len, &v, &n, &tok, NULL);
	check_page(st, before, n, tok_before, tok);
	for (size_t i = 0; i < n; i++)
		if (!v[i].type)
			abort();
	ses_recommendations_free(v, n);
	free(tok);
}

/* s: the input as a string (NUL-terminated copy). */
static void fuzz_policy(const char *s)
{
	static const char *const words[] = {"none", "standard", "strict", "lenient"};
	char out[96];

	for (size_t i = 0; i < sizeof(words) / sizeof(words[0]); i++) {
		int n = ses_policy_arn(out, sizeof(out), s, "eu-west-1", words[i]);

		if (n < 0 ? i != 3 || *out : i == 3)
			abort();
		if (n >= 0 && strncmp(out, "arn:", 4))
			abort();
		if (n >= 0 && (size_t)n < sizeof(out) &&
		    (!ses_policy_word(out) || strcmp(ses_policy_word(out), words[i])))
			abort();
		n = ses_policy_arn(out, sizeof(out), s, NULL, words[i]);
		if (n >= 0 && strlen(out) != ((size_t)n < sizeof(out) ? (size_t)n : sizeof(out) - 1))
			abort();
	}
	if (ses_policy_word(s) && !strrchr(s, '/'))
		abort();
}

static void path_escaped(const struct ses_request *r)
{
	for (const char *p = buf_str(&r->path); *p; p++)
		if (!strchr("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~%/", *p))
			abort();
}

/* The body's member key (one level down when inner is set) reads back as want. */
static void body_holds(const struct ses_request *r, const char *key, const char *inner,
		       const char *want)
{
	cJSON *root = cJSON_ParseWithLength(r->body.data, r->body.len);
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(root, key);

	if (inner)
		v = cJSON_GetObjectItemCaseSensitive(v, inner);
	if (!cJSON_IsString(v) || strcmp(v->valuestring, want))
		abort();
	cJSON_Delete(root);
}

static void fuzz_builders(const char *s)
{
	struct ses_request r;
	struct sesv2_recommendation_filter f = {.resource_arn = s, .next_token = s};
	enum sc_status st;

	st = sesv2_build_get_reputation_entity(&r, "RESOURCE", s, NULL);
	if (st == SC_OK)
		path_escaped(&r);
	ses_request_free(&r);
	st = sesv2_build_update_reputation_entity_policy(&r, "RESOURCE", s, s, NULL);
	if (st == SC_OK) {
		path_escaped(&r);
		body_holds(&r, "ReputationEntityPolicy", NULL, s);
	}
	ses_request_free(&r);
	st = sesv2_build_list_tenant_resources(&r, s, s, s, NULL);
	if (st == SC_OK) {
		body_holds(&r, "TenantName", NULL, s);
		body_holds(&r, "Filter", "RESOURCE_TYPE", s);
		body_holds(&r, "NextToken", NULL, s);
	}
	ses_request_free(&r);
	st = sesv2_build_list_recommendations(&r, &f, NULL);
	if (st == SC_OK)
		body_holds(&r, "Filter", "RESOURCE_ARN", s);
	ses_request_free(&r);
	sesv2_build_list_reputation_entities(&r, "ENTITY_REFERENCE_PREFIX", s, s);
	body_holds(&r, "Filter", "ENTITY_REFERENCE_PREFIX", s);
	ses_request_free(&r);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;
	size_t len;
	char *s;

	if (!size)
		return 0;
	len = size - 1;
	switch (data[0] % 10) {
	case 0:
	case 1:
		fuzz_tenant(data[0] % 10, body, len);
		return 0;
	case 2:
		fuzz_list_tenants(body, len);
		return 0;
	case 3:
		fuzz_tenant_resources(body, len);
		return 0;
	case 4:
		fuzz_resource_tenants(body, len);
		return 0;
	case 5:
	case 6:
		fuzz_entities(body, len);
		return 0;
	case 7:
		fuzz_recommendations(body, len);
		return 0;
	default:
		break;
	}
	s = malloc(len + 1);
	if (!s)
		return 0;
	memcpy(s, body, len);
	s[len] = '\0';
	if (data[0] % 10 == 8)
		fuzz_policy(s);
	else
		fuzz_builders(s);
	free(s);
	return 0;
}

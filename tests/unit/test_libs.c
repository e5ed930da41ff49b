/* util/libs: libraries open on first use, one at a time, and the forwarders pass every
 * argument type through — curl's variadic setopt/getinfo (long, string, function pointer,
 * curl_off_t), libxml2's xmlFree variable, libcrypto's digests. */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <curl/curl.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <openssl/evp.h>
#include <stdio.h>
#include <string.h>

#include "sesctl/util/libs.h"

static size_t sink(char *p, size_t size, size_t n, void *ud)
{
	(void)p;
	(void)ud;
	return size * n;
}

static void test_curl_opens_alone_and_forwards_every_type(void **state)
{
	curl_version_info_data *v;
	char *url = NULL;
	CURL *h;

	(void)state;
	assert_false(libs_loaded(LIBS_CURL));
	v = curl_version_info(CURLVERSION_NOW);
	assert_non_null(v);
	assert_non_null(v->version);
	assert_true(libs_loaded(LIBS_CURL));
	assert_false(libs_loaded(LIBS_GMIME));
	assert_false(libs_loaded(LIBS_ARCHIVE));
	h = curl_easy_init();
	assert_non_null(h);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_URL, "http://127.0.0.1:9/x?y=1"), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_TIMEOUT, 7L), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_WRITEFUNCTION, sink), CURLE_OK);
	assert_int_equal(curl_easy_setopt(h, CURLOPT_MAXFILESIZE_LARGE, (curl_off_t)1 << 40),
			 CURLE_OK);
	assert_int_equal(curl_easy_getinfo(h, CURLINFO_EFFECTIVE_URL, &url), CURLE_OK);
	assert_string_equal(url, "http://127.0.0.1:9/x?y=1");
	/* an unknown option is curl's own error, not a crash */
	assert_int_not_equal(curl_easy_setopt(h, (CURLoption)9999, 1L), CURLE_OK);
	curl_easy_cleanup(h);
}

static void test_xml_free_is_forwarded(void **state)
{
	static const char doc[] = "<a><b>hello</b></a>";
	xmlDocPtr d;
	xmlChar *s;

	(void)state;
	d = xmlReadMemory(doc, (int)sizeof(doc) - 1, NULL, NULL, XML_PARSE_NONET);
	assert_non_null(d);
	assert_true(libs_loaded(LIBS_XML));
	s = xmlNodeGetContent(xmlDocGetRootElement(d));
	assert_string_equal((const char *)s, "hello");
	xmlFree(s); /* the variable libs.c defines, calling libxml2's */
	xmlFreeDoc(d);
}

static void test_crypto_digest(void **state)
{
	unsigned char md[EVP_MAX_MD_SIZE];
	unsigned int n = 0;

	(void)state;
	assert_int_equal(EVP_Digest("abc", 3, md, &n, EVP_sha256(), NULL), 1);
	assert_int_equal(n, 32);
	assert_int_equal(md[0], 0xba); /* SHA-256("abc") = ba7816bf... */
	assert_int_equal(md[1], 0x78);
	assert_true(libs_loaded(LIBS_CRYPTO));
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_curl_opens_alone_and_forwards_every_type),
		cmocka_unit_test(test_xml_free_is_forwarded),
		cmocka_unit_test(test_crypto_digest),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}

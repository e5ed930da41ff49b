#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/aws/xml.h"
#include "sesctl/util/buf.h"

static const char sts_reply[] =
	"<AssumeRoleResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\">\n"
	"  <AssumeRoleResult>\n"
	"    <Credentials>\n"
	"      <AccessKeyId> ASIAEXAMPLE </AccessKeyId>\n"
	"      <SecretAccessKey>secret/key+x</SecretAccessKey>\n"
	"      <SessionToken>tok&amp;en</SessionToken>\n"
	"      <Expiration>2026-01-02T03:04:05Z</Expiration>\n"
	"    </Credentials>\n"
	"  </AssumeRoleResult>\n"
	"  <ResponseMetadata><RequestId>req-1</RequestId></ResponseMetadata>\n"
	"</AssumeRoleResponse>\n";

static xmlDoc *parse(const char *s)
{
	struct sc_error err;
	xmlDoc *doc;

	sc_error_clear(&err);
	doc = xml_parse(s, strlen(s), &err);
	assert_non_null(doc);
	assert_int_equal(err.status, SC_OK);
	return doc;
}

static void test_paths_and_text(void **state)
{
	xmlDoc *doc = parse(sts_reply);
	xmlNode *root = xml_root(doc), *cred;
	char *t;
	char id[8];
	time_t exp = 0;

	(void)state;
	assert_true(xml_is(root, "AssumeRoleResponse"));
	cred = xml_path(root, "AssumeRoleResult/Credentials");
	assert_non_null(cred);
	assert_string_equal(xml_name(cred), "Credentials");
	t = xml_path_text(cred, "AccessKeyId");
	assert_string_equal(t, "ASIAEXAMPLE");
	free(t);
	t = xml_path_text(cred, "SessionToken");
	assert_string_equal(t, "tok&en");
	free(t);
	assert_null(xml_path_text(cred, "Nope"));
	assert_null(xml_path(root, "AssumeRoleResult/Nope/AccessKeyId"));
	assert_ptr_equal(xml_path(root, ""), root);
	assert_true(xml_path_time(cred, "Expiration", &exp));
	assert_int_equal(exp, 1767323045);
	assert_true(xml_path_copy(xml_find(root, "ResponseMetadata"), "RequestId", id, sizeof(id)));
	assert_string_equal(id, "req-1");
	assert_true(xml_path_copy(cred, "SecretAccessKey", id, 4));
	assert_string_equal(id, "sec");
	assert_false(xml_path_copy(cred, "Missing", id, sizeof(id)));
	assert_string_equal(id, "");
	assert_non_null(xml_find(root, "SessionToken"));
	assert_null(xml_find(root, "AssumeRoleResponse"));
	assert_null(xml_path(NULL, "A"));
	assert_null(xml_text(NULL));
	xml_free(doc);
}

static void test_members_and_types(void **state)
{
	xmlDoc *doc = parse("<R xmlns='urn:x'><L><member><N>a</N></member>text<!-- c -->"
			    "<member><N>b</N></member><other/><member><N>c</N></member></L>"
			    "<B> TRUE </B><F>false</F><X>yes</X><I>-42</I><J>12a</J><D>2.5e3</D>"
			    "<E></E></R>");
	xmlNode *root = xml_root(doc), *list = xml_child(root, "L");
	const char *want[] = {"a", "b", "c"};
	size_t k = 0;
	bool b = false;
	int64_t i = 7;
	double d = 0;
	char *t;

	(void)state;
	for (xmlNode *m = xml_next(list, NULL, "member"); m; m = xml_next(list, m, "member")) {
		t = xml_path_text(m, "N");
		assert_true(k < 3);
		assert_string_equal(t, want[k++]);
		free(t);
	}
	assert_int_equal(k, 3);
	assert_int_equal(xml_count(list, "member"), 3);
	assert_int_equal(xml_count(root, "member"), 0);
	assert_true(xml_path_bool(root, "B", &b));
	assert_true(b);
	assert_true(xml_path_bool(root, "F", &b));
	assert_false(b);
	assert_false(xml_path_bool(root, "X", &b));
	assert_true(xml_path_int64(root, "I", &i));
	assert_int_equal(i, -42);
	assert_false(xml_path_int64(root, "J", &i));
	assert_false(xml_path_int64(root, "E", &i));
	assert_int_equal(i, -42);
	assert_true(xml_path_double(root, "D", &d));
	assert_true(d == 2500.0);
	t = xml_path_text(root, "E");
	assert_string_equal(t, "");
	free(t);
	xml_free(doc);
}

static void test_iso8601(void **state)
{
	time_t t = 0;

	(void)state;
	assert_true(xml_parse_iso8601("1970-01-01T00:00:00Z", &t));
	assert_int_equal(t, 0);
	assert_true(xml_parse_iso8601("2026-01-02T03:04:05.123456Z", &t));
	assert_int_equal(t, 1767323045);
	assert_true(xml_parse_iso8601("2026-01-02T05:04:05+02:00", &t));
	assert_int_equal(t, 1767323045);
	assert_true(xml_parse_iso8601("2026-01-02T01:04:05-0200", &t));
	assert_int_equal(t, 1767323045);
	assert_true(xml_parse_iso8601("2026-01-02T03:04:05", &t));
	assert_int_equal(t, 1767323045);
	assert_true(xml_parse_iso8601("2024-02-29T00:00:00Z", &t));
	assert_false(xml_parse_iso8601("2023-02-29T00:00:00Z", &t));
	assert_false(xml_parse_iso8601("2026-13-02T03:04:05Z", &t));
	assert_false(xml_parse_iso8601("2026-01-02T03:04:05.Z", &t));
	assert_false(xml_parse_iso8601("2026-01-02T03:04:05ZZ", &t));
	assert_false(xml_parse_iso8601("2026-01-02", &t));
	assert_false(xml_parse_iso8601("", &t));
	assert_false(xml_parse_iso8601(NULL, &t));
}

static void test_bad_input(void **state)
{
	struct sc_error err;

	(void)state;
	sc_error_clear(&err);
	assert_null(xml_parse("<a><b></a>", 10, &err));
	assert_int_equal(err.status, SC_BAD_REPLY);
	assert_string_equal(err.message, "the reply is not well-formed XML");
	sc_error_clear(&err);
	assert_null(xml_parse("", 0, &err));
	assert_int_equal(err.status, SC_BAD_REPLY);
	assert_null(xml_parse("{\"json\":1}", 10, NULL));
	assert_null(xml_parse("<html><body>x", 13, NULL));
}

/* No DOCTYPE is accepted, so entities are never expanded nor external files read. */
static void test_no_entity_expansion(void **state)
{
	char path[] = "/tmp/sesctl-xml-XXXXXX";
	int fd = mkstemp(path);
	struct buf doc_text = BUF_INIT;
	struct sc_error err;

	(void)state;
	assert_true(fd >= 0);
	assert_int_equal(write(fd, "LEAKED", 6), 6);
	close(fd);
	buf_printf(&doc_text,
		   "<!DOCTYPE r [<!ENTITY x SYSTEM \"file://%s\"><!ENTITY y \"yy\">]>"
		   "<r><a>&x;</a><b>&y;&y;</b></r>",
		   path);
	sc_error_clear(&err);
	assert_null(xml_parse(doc_text.data, doc_text.len, &err));
	assert_int_equal(err.status, SC_BAD_REPLY);
	assert_string_equal(err.message, "the reply has a DOCTYPE, which AWS never sends");
	unlink(path);
	buf_free(&doc_text);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_paths_and_text),
		cmocka_unit_test(test_members_and_types),
		cmocka_unit_test(test_iso8601),
		cmocka_unit_test(test_bad_input),
		cmocka_unit_test(test_no_entity_expansion),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}

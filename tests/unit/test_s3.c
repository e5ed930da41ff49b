/*
 * ses/s3.c: s3:// URIs and bucket names; the builders against botocore's REST-XML
 * serialiser (tests/unit/s3_rest_botocore.py, seeded); the parsers on good, truncated,
 * malformed and hostile XML; the SES bucket-policy statement, merge and check; then over
 * the wire against the project emulator (tests/emulator/sesemu.py → moto, S3 signatures
 * verified with S3's rules): a bucket of 1,500 report keys listed in pages of 1,000,
 * objects fetched under a cap, the policy round trip and the not-found cases.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "sesctl/aws/client.h"
#include "sesctl/aws/http.h"
#include "sesctl/ses/s3.h"

#define CASES 400

/* ---- names and URIs ---------------------------------------------------------------- */

static void test_bucket_names(void **state)
{
	static const char *const good[] = {"abc", "my-bucket", "dmarc.reports.example.com",
					   "a1b2c3", "123bucket",
					   "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};
	static const char *const bad[] = {"", "ab", "Upper", "under_score", "-start", "end-",
					  "dot..dot", "192.168.1.1", "xn--bucket", "x-s3alias",
					  "x--ol-s3", "spa ce", "sl/ash", ".dot",
					  "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"};

	(void)state;
	for (size_t i = 0; i < sizeof(good) / sizeof(good[0]); i++)
		if (s3_bucket_name_problem(good[i]))
			fail_msg("%s refused: %s", good[i], s3_bucket_name_problem(good[i]));
	for (size_t i = 0; i < sizeof(bad) / sizeof(bad[0]); i++)
		if (!s3_bucket_name_problem(bad[i]))
			fail_msg("\"%s\" accepted", bad[i]);
	assert_null(s3_bucket_name_problem("1.2.3.bucket"));
}

static void test_parse_uri(void **state)
{
	struct s3_uri u;
	struct sc_error err;
	struct buf big = BUF_INIT;

	(void)state;
	assert_int_equal(s3_parse_uri("s3://dmarc-bucket/rua/2026/", &u, &err), SC_OK);
	assert_string_equal(u.bucket, "dmarc-bucket");
	assert_string_equal(u.prefix, "rua/2026/");
	assert_int_equal(s3_parse_uri("s3://dmarc-bucket", &u, &err), SC_OK);
	assert_string_equal(u.prefix, "");
	assert_int_equal(s3_parse_uri("s3://dmarc-bucket/", &u, &err), SC_OK);
	assert_string_equal(u.prefix, "");
	assert_int_equal(s3_parse_uri("s3://b.example.com/a b//+\xc3\xa9/", &u, &err), SC_OK);
	assert_string_equal(u.prefix, "a b//+\xc3\xa9/");

	assert_int_equal(s3_parse_uri("https://bucket/x", &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "is not an S3 URI"));
	assert_string_equal(u.bucket, "");
	assert_int_equal(s3_parse_uri(NULL, &u, &err), SC_USAGE);
	assert_int_equal(s3_parse_uri("s3://", &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "names no bucket"));
	assert_int_equal(s3_parse_uri("s3:///prefix", &u, &err), SC_USAGE);
	assert_int_equal(s3_parse_uri("s3://My_Bucket/x", &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "lower-case letters"));
	assert_string_equal(u.bucket, "");
	assert_int_equal(s3_parse_uri("s3://ab/x", &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "3 to 63"));
	assert_int_equal(s3_parse_uri("s3://bucket\x1b[2J/x", &u, &err), SC_USAGE);
	assert_null(strchr(err.message, '\x1b'));
	assert_int_equal(s3_parse_uri("s3://bucket/a\nb", &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "control character"));
	assert_int_equal(s3_parse_uri("s3://bucket/\xff\xfe", &u, &err), SC_USAGE);
	buf_puts(&big, "s3://bucket/");
	for (int i = 0; i < S3_KEY_MAX + 1; i++)
		buf_putc(&big, 'k');
	assert_int_equal(s3_parse_uri(buf_str(&big), &u, &err), SC_USAGE);
	assert_non_null(strstr(err.message, "longer than"));
	buf_free(&big);
}

/* ---- builders against botocore ------------------------------------------------------ */

static const char *s_of(const cJSON *o, const char *k)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, k);

	return cJSON_IsString(v) ? v->valuestring : NULL;
}

static enum sc_status build(const char *op, const cJSON *in, struct ses_request *r,
			    struct sc_error *err)
{
	const char *b = s_of(in, "Bucket");

	if (!strcmp(op, "ListObjectsV2")) {
		const cJSON *mk = cJSON_GetObjectItemCaseSensitive(in, "MaxKeys");
		struct s3_list_opts o = {
			.prefix = s_of(in, "Prefix"),
			.continuation_token = s_of(in, "ContinuationToken"),
			.start_after = s_of(in, "StartAfter"),
			.max_keys = cJSON_IsNumber(mk) ? mk->valueint : 0,
		};
		return s3_build_list_objects_v2(r, b, &o, err);
	}
	if (!strcmp(op, "GetObject"))
		return s3_build_get_object(r, b, s_of(in, "Key"), 4096, err);
	if (!strcmp(op, "PutBucketPolicy"))
		return s3_build_put_bucket_policy(r, b, s_of(in, "Policy"), err);
	if (!strcmp(op, "GetBucketPolicy"))
		return s3_build_get_bucket_policy(r, b, err);
	if (!strcmp(op, "HeadBucket"))
		return s3_build_head_bucket(r, b, err);
	if (!strcmp(op, "GetBucketLocation"))
		return s3_build_get_bucket_location(r, b, err);
	fail_msg("unknown op %s", op);
	return SC_ERR;
}

static void check_case(size_t k, const cJSON *c)
{
	const char *op = s_of(c, "op");
	struct ses_request r;
	struct sc_error err;

	if (build(op, cJSON_GetObjectItemCaseSensitive(c, "in"), &r, &err) != SC_OK)
		fail_msg("case %zu (%s): %s", k, op, err.message);
	assert_int_equal(r.service, SES_SVC_S3);
	if (strcmp(r.method, s_of(c, "method")) || strcmp(buf_str(&r.path), s_of(c, "path")) ||
	    strcmp(buf_str(&r.query), s_of(c, "query")))
		fail_msg("case %zu (%s): %s %s?%s, botocore %s %s?%s", k, op, r.method,
			 buf_str(&r.path), buf_str(&r.query), s_of(c, "method"), s_of(c, "path"),
			 s_of(c, "query"));
	assert_string_equal(buf_str(&r.body), s_of(c, "body"));
	assert_string_equal(r.content_md5, s_of(c, "md5"));
	if (!strcmp(op, "GetObject"))
		assert_int_equal(r.max_reply_bytes, 4096);
	ses_request_free(&r);
}

static void test_builders_match_botocore(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	char cmd[1024], *line = NULL;
	size_t cap = 0, cases = 0;
	int status;
	FILE *p;

	(void)state;
	snprintf(cmd, sizeof(cmd), "%s %s/tests/unit/s3_rest_botocore.py 4242 %d",
		 getenv("PYTHON") ? getenv("PYTHON") : "python3", root && *root ? root : ".", CASES);
	p = popen(cmd, "r");
	assert_non_null(p);
	while (getline(&line, &cap, p) > 0) {
		cJSON *c;

		if (!strncmp(line, "SKIP", 4)) {
			print_message("%s", line);
			continue;
		}
		c = cJSON_Parse(line);
		assert_non_null(c);
		check_case(++cases, c);
		cJSON_Delete(c);
	}
	free(line);
	status = pclose(p);
	if (WIFEXITED(status) && (WEXITSTATUS(status) == 77 || WEXITSTATUS(status) == 127)) {
		print_message("SKIP: python3 with botocore is not available\n");
		skip();
	}
	assert_int_equal(status, 0);
	assert_int_equal(cases, CASES);
}

static void test_builders_refuse(void **state)
{
	struct ses_request r;
	struct sc_error err;
	struct s3_list_opts o = {.max_keys = 1001};
	struct buf key = BUF_INIT;

	(void)state;
	assert_int_equal(s3_build_list_objects_v2(&r, "bucket", &o, &err), SC_USAGE);
	ses_request_free(&r);
	assert_int_equal(s3_build_get_object(&r, "bucket", "", 10, &err), SC_USAGE);
	ses_request_free(&r);
	for (int i = 0; i <= S3_KEY_MAX; i++)
		buf_putc(&key, 'k');
	assert_int_equal(s3_build_get_object(&r, "bucket", buf_str(&key), 10, &err), SC_USAGE);
	ses_request_free(&r);
	buf_free(&key);
	assert_int_equal(s3_build_get_object(&r, "bu/cket", "k", 10, &err), SC_USAGE);
	ses_request_free(&r);
	assert_int_equal(s3_build_head_bucket(&r, "b", &err), SC_USAGE);
	ses_request_free(&r);
	assert_int_equal(s3_build_put_bucket_policy(&r, "bucket", "not json", &err), SC_USAGE);
	ses_request_free(&r);
	assert_int_equal(s3_build_put_bucket_policy(&r, "bucket", "[1]", &err), SC_USAGE);
	ses_request_free(&r);
	/* legacy names still go on the wire */
	assert_int_equal(s3_build_head_bucket(&r, "Legacy_Bucket", &err), SC_OK);
	assert_string_equal(buf_str(&r.path), "/Legacy_Bucket");
	assert_string_equal(r.method, "HEAD");
	ses_request_free(&r);
	/* known vector: base64(md5("{}")) */
	assert_int_equal(s3_build_put_bucket_policy(&r, "bucket", "{}", &err), SC_OK);
	assert_string_equal(r.content_md5, "mZFLkyvTelC5g8XnyQrpOw==");
	ses_request_free(&r);
}

/* ---- parsers ------------------------------------------------------------------------- */

#define LBR_HEAD "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n" \
	"<ListBucketResult xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\">"

static enum sc_status parse(const char *xml, struct s3_list_page *p, struct sc_error *err)
{
	return s3_parse_list_objects_v2(xml, strlen(xml), p, err);
}

static void test_parse_list(void **state)
{
	static const char page1[] = LBR_HEAD
		"<Name>b</Name><Prefix>rua/</Prefix><KeyCount>2</KeyCount><MaxKeys>2</MaxKeys>"
		"<IsTruncated>true</IsTruncated>"
		"<Contents><Key>rua/a b+c.xml.gz</Key><LastModified>2026-12-01T10:20:30.000Z"
		"</LastModified><ETag>&quot;9b2cf535f27731c974343645a3985328&quot;</ETag>"
		"<Size>1234</Size><StorageClass>STANDARD</StorageClass></Contents>"
		"<Contents><Key>rua/caf\xc3\xa9.zip</Key><LastModified>2026-12-02T00:00:00Z"
		"</LastModified><ETag>\"d41d8cd98f00b204e9800998ecf8427e-2\"</ETag><Size>0</Size>"
		"</Contents>"
		"<NextContinuationToken>1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=</NextContinuationToken>"
		"</ListBucketResult>";
	static const char last[] = LBR_HEAD "<IsTruncated>false</IsTruncated><KeyCount>0</KeyCount>"
				   "</ListBucketResult>";
	struct s3_list_page p;
	struct sc_error err;

	(void)state;
	assert_int_equal(parse(page1, &p, &err), SC_OK);
	assert_int_equal(p.n, 2);
	assert_true(p.truncated);
	assert_string_equal(p.next_token, "1ueGcxLPRx1Tr/XYExHnhbYLgveDs2J/wm36Hy4vbOwM=");
	assert_string_equal(p.items[0].key, "rua/a b+c.xml.gz");
	assert_int_equal(p.items[0].size, 1234);
	assert_string_equal(p.items[0].etag, "9b2cf535f27731c974343645a3985328");
	assert_int_equal(p.items[0].last_modified, 1796120430);
	assert_string_equal(p.items[1].key, "rua/caf\xc3\xa9.zip");
	assert_string_equal(p.items[1].etag, "d41d8cd98f00b204e9800998ecf8427e-2");
	assert_int_equal(p.items[1].size, 0);
	s3_list_page_free(&p);
	assert_int_equal(parse(last, &p, &err), SC_OK);
	assert_int_equal(p.n, 0);
	assert_false(p.truncated);
	assert_null(p.next_token);
	s3_list_page_free(&p);
}

static void expect_bad(const char *xml, const char *why)
{
	struct s3_list_page p;
	struct sc_error err;

	sc_error_clear(&err);
	if (parse(xml, &p, &err) != SC_BAD_REPLY)
		fail_msg("accepted: %.200s", xml);
	if (why && !strstr(err.message, why))
		fail_msg("message \"%s\" lacks \"%s\"", err.message, why);
	assert_int_equal(strncmp(err.message, "ListObjectsV2: ", 15), 0);
	assert_null(p.items);
	assert_int_equal(p.n, 0);
}

static void test_parse_list_hostile(void **state)
{
	struct buf b = BUF_INIT;

	(void)state;
	expect_bad(LBR_HEAD "<IsTruncated>true</IsTruncated></ListBucketResult>",
		   "NextContinuationToken");
	expect_bad(LBR_HEAD "<Contents><Key>a", "not well-formed");
	expect_bad("", NULL);
	expect_bad("{\"json\":1}", NULL);
	expect_bad("<Error><Code>x</Code></Error>", "not <ListBucketResult>");
	expect_bad("<?xml version=\"1.0\"?><!DOCTYPE lolz [<!ENTITY lol \"lol\">"
		   "<!ENTITY lol2 \"&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;\">"
		   "<!ENTITY lol3 \"&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;\">]>"
		   "<ListBucketResult><Contents><Key>&lol3;</Key></Contents></ListBucketResult>",
		   NULL);
	expect_bad("<?xml version=\"1.0\"?><!DOCTYPE x [<!ENTITY e SYSTEM \"file:///etc/passwd\">]>"
		   "<ListBucketResult><Contents><Key>&e;</Key></Contents></ListBucketResult>", NULL);
	expect_bad("<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><ListBucketResult/>", "UTF-8");
	expect_bad(LBR_HEAD "<Contents><Size>1</Size></Contents></ListBucketResult>",
		   "Contents/Key");
	expect_bad(LBR_HEAD "<Contents><Key></Key></Contents></ListBucketResult>", "Contents/Key");
	expect_bad(LBR_HEAD "<Contents><Key>a&#x7f;b</Key></Contents></ListBucketResult>",
		   "Contents/Key");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><Size>-1</Size></Contents></ListBucketResult>",
		   "Size");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><Size>12x</Size></Contents></ListBucketResult>",
		   "Size");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><Size>99999999999999999999</Size></Contents>"
		   "</ListBucketResult>", "Size");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><LastModified>2026-02-30T00:00:00Z"
		   "</LastModified></Contents></ListBucketResult>", "LastModified");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><LastModified>yesterday</LastModified>"
		   "</Contents></ListBucketResult>", "LastModified");
	expect_bad(LBR_HEAD "<Contents><Key>k</Key><LastModified>2026-13-01T00:00:00Z"
		   "</LastModified></Contents></ListBucketResult>", "LastModified");
	/* a key over S3's 1,024 bytes */
	buf_puts(&b, LBR_HEAD "<Contents><Key>");
	for (int i = 0; i < 100000; i++)
		buf_putc(&b, 'k');
	buf_puts(&b, "</Key></Contents></ListBucketResult>");
	expect_bad(buf_str(&b), "Contents/Key");
	/* more entries than a page may hold */
	buf_reset(&b);
	buf_puts(&b, LBR_HEAD);
	for (int i = 0; i <= S3_LIST_MAX; i++)
		buf_printf(&b, "<Contents><Key>k%d</Key></Contents>", i);
	buf_puts(&b, "</ListBucketResult>");
	expect_bad(buf_str(&b), "more than");
	buf_free(&b);
}

static void test_parse_location(void **state)
{
	char region[32];
	struct sc_error err;
	static const char *const ok[][2] = {
		{"<LocationConstraint xmlns=\"http://s3.amazonaws.com/doc/2006-03-01/\"/>",
		 "us-east-1"},
		{"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<LocationConstraint xmlns=\"http://s3."
		 "amazonaws.com/doc/2006-03-01/\">eu-west-2</LocationConstraint>", "eu-west-2"},
		{"<LocationConstraint>EU</LocationConstraint>", "eu-west-1"},
	};

	(void)state;
	for (size_t i = 0; i < 3; i++) {
		assert_int_equal(s3_parse_bucket_location(ok[i][0], strlen(ok[i][0]), region,
							  sizeof(region), &err), SC_OK);
		assert_string_equal(region, ok[i][1]);
	}
	assert_int_equal(s3_parse_bucket_location("<LocationConstraint>eu west\x1b</LocationConstraint>",
						  50, region, sizeof(region), &err),
			 SC_BAD_REPLY);
	assert_int_equal(s3_parse_bucket_location("<Other/>", 8, region, sizeof(region), &err),
			 SC_BAD_REPLY);
}

static void test_error_bodies(void **state)
{
	static const char body[] = "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<Error><Code>"
				   "NoSuchBucket</Code><Message>The specified bucket does not exist"
				   "</Message><BucketName>nope</BucketName><RequestId>4442587FB7D0A2F9"
				   "</RequestId><HostId>abc=</HostId></Error>";
	struct sc_error err;

	(void)state;
	sc_error_clear(&err);
	assert_true(aws_parse_error_body(body, strlen(body), NULL, &err));
	assert_string_equal(err.code, "NoSuchBucket");
	assert_string_equal(err.message, "The specified bucket does not exist");
	assert_string_equal(err.request_id, "4442587FB7D0A2F9");
}

/* ---- the bucket policy -------------------------------------------------------------- */

static const struct s3_ses_grant grant = {
	.bucket = "dmarc-bucket",
	.prefix = "rua/",
	.account_id = "123456789012",
	.region = "eu-west-1",
	.rule_set = "default-rule-set",
	.rule = "dmarc to s3",
};

#define STATEMENT                                                                            \
	"{\"Sid\":\"sesctl-dmarc-dmarc-to-s3\",\"Effect\":\"Allow\",\"Principal\":{\"Service\":"   \
	"\"ses.amazonaws.com\"},\"Action\":\"s3:PutObject\",\"Resource\":\"arn:aws:s3:::dmarc-"    \
	"bucket/rua/*\",\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":\"123456789012\"}," \
	"\"ArnLike\":{\"AWS:SourceArn\":\"arn:aws:ses:eu-west-1:123456789012:receipt-rule-set/"    \
	"default-rule-set:receipt-rule/dmarc to s3\"}}}"

static bool grants(const char *policy)
{
	struct sc_error err;
	bool g = true;

	if (s3_policy_grants(policy, &grant, &g, &err) != SC_OK)
		fail_msg("%s", err.message);
	return g;
}

static void test_policy_statement_and_merge(void **state)
{
	struct s3_ses_grant bad = grant;
	struct sc_error err;
	char *s, *m, *m2;
	cJSON *j, *st;

	(void)state;
	s = s3_policy_ses_statement(&grant, &err);
	assert_non_null(s);
	assert_string_equal(s, STATEMENT);
	free(s);
	bad.account_id = "12345";
	assert_null(s3_policy_ses_statement(&bad, &err));
	assert_int_equal(err.status, SC_USAGE);
	bad = grant;
	bad.bucket = "Bad_Bucket";
	assert_null(s3_policy_ses_statement(&bad, &err));

	assert_int_equal(s3_policy_merge(NULL, &grant, &m, &err), SC_OK);
	assert_string_equal(m, "{\"Version\":\"2012-10-17\",\"Statement\":[" STATEMENT "]}");
	/* merging again replaces, never duplicates */
	assert_int_equal(s3_policy_merge(m, &grant, &m2, &err), SC_OK);
	assert_string_equal(m2, m);
	free(m2);
	free(m);

	/* other statements and keys are kept; a lone statement object becomes a list */
	assert_int_equal(s3_policy_merge("{\"Version\":\"2012-10-17\",\"Id\":\"p1\",\"Statement\":"
					 "{\"Sid\":\"other\",\"Effect\":\"Deny\",\"Principal\":\"*\","
					 "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::"
					 "dmarc-bucket/*\"}}", &grant, &m, &err), SC_OK);
	j = cJSON_Parse(m);
	st = cJSON_GetObjectItem(j, "Statement");
	assert_int_equal(cJSON_GetArraySize(st), 2);
	assert_string_equal(cJSON_GetObjectItem(cJSON_GetArrayItem(st, 0), "Sid")->valuestring,
			    "other");
	assert_string_equal(cJSON_GetObjectItem(j, "Id")->valuestring, "p1");
	cJSON_Delete(j);
	assert_true(grants(m));
	free(m);

	/* an old statement with the same Sid is replaced */
	assert_int_equal(s3_policy_merge("{\"Statement\":[{\"Sid\":\"sesctl-dmarc-dmarc-to-s3\","
					 "\"Effect\":\"Allow\",\"Resource\":\"old\"},{\"Sid\":\"x\"}]}",
					 &grant, &m, &err), SC_OK);
	assert_null(strstr(m, "\"old\""));
	assert_non_null(strstr(m, "{\"Sid\":\"x\"}"));
	free(m);

	assert_int_equal(s3_policy_merge("not json", &grant, &m, &err), SC_USAGE);
	assert_null(m);
	assert_int_equal(s3_policy_merge("{\"Statement\":\"x\"}", &grant, &m, &err), SC_USAGE);
	assert_int_equal(s3_policy_merge("[]", &grant, &m, &err), SC_USAGE);
}

#define ALLOW(principal, action, resource, cond)                                          \
	"{\"Version\":\"2012-10-17\",\"Statement\":[{\"Effect\":\"Allow\",\"Principal\":"      \
	principal ",\"Action\":" action ",\"Resource\":" resource cond "}]}"
#define SES "{\"Service\":\"ses.amazonaws.com\"}"

static void test_policy_grants(void **state)
{
	bool g;
	struct sc_error err;

	(void)state;
	assert_true(grants("{\"Statement\":[" STATEMENT "]}"));
	assert_true(grants("{\"Statement\":" STATEMENT "}"));
	assert_true(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"", "")));
	assert_true(grants(ALLOW("{\"Service\":[\"sns.amazonaws.com\",\"ses.amazonaws.com\"]}",
				 "[\"s3:GetObject\",\"s3:put*\"]",
				 "[\"arn:aws:s3:::other/*\",\"arn:aws:s3:::dmarc-bucket/rua/*\"]",
				 "")));
	assert_true(grants(ALLOW(SES, "\"s3:*\"", "\"arn:aws:s3:::dmarc-bucket/*\"",
				 ",\"Condition\":{\"StringEquals\":{\"aws:Referer\":"
				 "\"123456789012\"}}")));
	assert_true(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"",
				 ",\"Condition\":{\"ArnLike\":{\"aws:SourceArn\":\"arn:aws:ses:"
				 "*:123456789012:receipt-rule-set/*\"}}")));
	/* not enough */
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/rua/x/*\"",
				  "")));
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/rua\"",
				  "")));
	assert_false(grants(ALLOW(SES, "\"s3:GetObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"", "")));
	assert_false(grants(ALLOW("{\"Service\":\"sns.amazonaws.com\"}", "\"s3:PutObject\"",
				  "\"arn:aws:s3:::dmarc-bucket/*\"", "")));
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::other-bucket/*\"", "")));
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"",
				  ",\"Condition\":{\"StringEquals\":{\"AWS:SourceAccount\":"
				  "\"999999999999\"}}")));
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"",
				  ",\"Condition\":{\"ArnLike\":{\"AWS:SourceArn\":\"arn:aws:ses:"
				  "eu-west-1:123456789012:receipt-rule-set/other:*\"}}")));
	assert_false(grants(ALLOW(SES, "\"s3:PutObject\"", "\"arn:aws:s3:::dmarc-bucket/*\"",
				  ",\"Condition\":{\"IpAddress\":{\"aws:SourceIp\":\"10.0.0.0/8\"}}")));
	/* a Deny wins */
	assert_false(grants("{\"Statement\":[" STATEMENT ",{\"Effect\":\"Deny\",\"Principal\":\"*\","
			    "\"Action\":\"s3:*\",\"Resource\":\"arn:aws:s3:::dmarc-bucket/rua/x*\"}]}"));
	assert_true(grants("{\"Statement\":[" STATEMENT ",{\"Effect\":\"Deny\",\"Principal\":\"*\","
			   "\"Action\":\"s3:DeleteObject\",\"Resource\":\"arn:aws:s3:::dmarc-bucket/*\"}]}"));
	/* not a policy */
	assert_int_equal(s3_policy_grants("nope", &grant, &g, &err), SC_USAGE);
	assert_int_equal(s3_policy_grants("{\"Version\":\"2012-10-17\"}", &grant, &g, &err),
			 SC_USAGE);
	assert_false(g);
}

/* ---- over the wire ------------------------------------------------------------------ */

struct emu {
	pid_t pid;
	char url[128];
	struct http_client *http;
	struct aws_client *client;
	struct ses_ctx ctx;
};

static struct emu emu;

static enum sc_status test_creds(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	(void)ud;
	(void)err;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY";
	out->session_token = NULL;
	return SC_OK;
}

#define BUCKET   "sesctl-dmarc-reports"
#define N_KEYS   1500

#define OK(call)                                                                       \
	do {                                                                           \
		struct sc_error e_;                                                    \
		enum sc_status st_;                                                    \
		sc_error_clear(&e_);                                                   \
		st_ = (call);                                                          \
		if (st_ != SC_OK)                                                      \
			fail_msg("%s -> %s: %s", #call, sc_status_name(st_), e_.message); \
	} while (0)
#define E (&e_)

/* A raw S3 PUT through the same client (sesctl has no write of its own for these). */
static enum sc_status s3_put(const char *path, const char *body, struct sc_error *err)
{
	struct ses_request r;
	struct aws_reply reply;
	enum sc_status st;

	ses_request_init(&r, SES_SVC_S3, "PutObject", "PUT");
	buf_puts(&r.path, path);
	if (body)
		buf_puts(&r.body, body);
	st = ses_send(&emu.ctx, &r, &reply, err);
	aws_reply_free(&reply);
	return st;
}

static int emu_setup(void **state)
{
	const char *root = getenv("SESCTL_ROOT");
	const char *prefix = "sesemu listening on ";
	struct aws_client_options opt = {0};
	struct sc_error err;
	char prog[512], line[128], key[64], body[64];
	int pfd[2];
	FILE *in;

	(void)state;
	memset(&emu, 0, sizeof(emu));
	snprintf(prog, sizeof(prog), "%s/tests/emulator/sesemu.py", root && *root ? root : ".");
	if (pipe(pfd) != 0)
		return -1;
	emu.pid = fork();
	if (emu.pid == 0) {
		dup2(pfd[1], 1);
		close(pfd[0]);
		close(pfd[1]);
		if (!freopen("/dev/null", "w", stderr))
			_exit(126);
		execlp("python3", "python3", prog, "--port", "0", "--seed", "empty", "--region",
		       "eu-west-1", (char *)NULL);
		_exit(127);
	}
	close(pfd[1]);
	in = fdopen(pfd[0], "r");
	if (!in || !fgets(line, sizeof(line), in) || strncmp(line, prefix, strlen(prefix))) {
		fprintf(stderr, "sesemu did not start (%s)\n", prog);
		return -1;
	}
	fclose(in);
	line[strcspn(line, "\r\n")] = '\0';
	snprintf(emu.url, sizeof(emu.url), "%s", line + strlen(prefix));
	emu.http = http_client_new(NULL);
	opt.http = emu.http;
	opt.creds = test_creds;
	opt.max_attempts = 1;
	emu.client = aws_client_new(&opt);
	emu.ctx.client = emu.client;
	emu.ctx.region = "eu-west-1";
	emu.ctx.endpoint_s3 = emu.url;

	if (s3_put("/" BUCKET, "<CreateBucketConfiguration xmlns=\"http://s3.amazonaws.com/doc/"
		   "2006-03-01/\"><LocationConstraint>eu-west-1</LocationConstraint>"
		   "</CreateBucketConfiguration>", &err) != SC_OK) {
		fprintf(stderr, "CreateBucket: %s\n", err.message);
		return -1;
	}
	for (int i = 0; i < N_KEYS; i++) {
		snprintf(key, sizeof(key), "/" BUCKET "/rua/2026/report-%04d.xml", i);
		snprintf(body, sizeof(body), "<feedback>%d</feedback>", i);
		if (s3_put(key, body, &err) != SC_OK) {
			fprintf(stderr, "PutObject %s: %s\n", key, err.message);
			return -1;
		}
	}
	return 0;
}

static int emu_teardown(void **state)
{
	(void)state;
	aws_client_free(emu.client);
	http_client_free(emu.http);
	if (emu.pid > 0) {
		kill(emu.pid, SIGTERM);
		waitpid(emu.pid, NULL, 0);
	}
	return 0;
}

static void test_emu_list_paginates(void **state)
{
	struct s3_object_list l;
	struct s3_list_page page;
	struct s3_list_opts o = {.prefix = "rua/2026/", .max_keys = 1000};
	struct sc_error err;
	char want[64];

	(void)state;
	OK(s3_list_objects_v2(&emu.ctx, BUCKET, &o, &page, E));
	assert_int_equal(page.n, 1000);
	assert_true(page.truncated);
	assert_non_null(page.next_token);
	s3_list_page_free(&page);

	OK(s3_list_all(&emu.ctx, BUCKET, "rua/2026/", 1000, 0, &l, E));
	assert_int_equal(l.n, N_KEYS);
	for (size_t i = 0; i < l.n; i++) {
		snprintf(want, sizeof(want), "rua/2026/report-%04zu.xml", i);
		assert_string_equal(l.items[i].key, want);
		assert_true(l.items[i].size > 0);
		assert_true(l.items[i].last_modified > 1700000000);
		assert_int_equal(strlen(l.items[i].etag), 32);
	}
	s3_object_list_free(&l);

	assert_int_equal(s3_list_all(&emu.ctx, BUCKET, "rua/", 1000, 1200, &l, &err), SC_REFUSED);
	assert_non_null(strstr(err.message, "more than 1200"));
	assert_int_equal(l.n, 0);
	OK(s3_list_all(&emu.ctx, BUCKET, "nothing-here/", 0, 0, &l, E));
	assert_int_equal(l.n, 0);
	s3_object_list_free(&l);
}

static void test_emu_get_with_cap(void **state)
{
	static const char *const odd[] = {"dmarc/with space.xml", "dmarc/plus+sign.xml",
					  "dmarc/caf\xc3\xa9/\xe4\xb8\xad.xml", "dmarc/tilde~.xml",
					  "dmarc//double.xml", "dmarc/pct%41.xml"};
	struct buf out = BUF_INIT, path = BUF_INIT;
	struct s3_object_list l;
	struct sc_error err;

	(void)state;
	OK(s3_get_object(&emu.ctx, BUCKET, "rua/2026/report-0042.xml", -1, 1024, &out, E));
	assert_string_equal(buf_str(&out), "<feedback>42</feedback>");
	/* the listing says it is too big: refused before asking */
	assert_int_equal(s3_get_object(&emu.ctx, BUCKET, "rua/2026/report-0042.xml", 5000, 1024,
				       &out, &err), SC_REFUSED);
	assert_non_null(strstr(err.message, "over the 1024-byte cap"));
	assert_int_equal(out.len, 0);
	/* no listing, the reply itself is over the cap */
	assert_int_equal(s3_get_object(&emu.ctx, BUCKET, "rua/2026/report-0042.xml", -1, 10,
				       &out, &err), SC_BAD_REPLY);
	assert_non_null(strstr(err.message, "10-byte limit"));
	assert_int_equal(out.len, 0);

	for (size_t i = 0; i < sizeof(odd) / sizeof(odd[0]); i++) {
		buf_reset(&path);
		s3_path_append(&path, BUCKET, odd[i]);
		OK(s3_put(buf_str(&path), odd[i], E));
	}
	OK(s3_list_all(&emu.ctx, BUCKET, "dmarc/", 2, 0, &l, E));
	assert_int_equal(l.n, sizeof(odd) / sizeof(odd[0]));
	for (size_t i = 0; i < l.n; i++) {
		OK(s3_get_object(&emu.ctx, BUCKET, l.items[i].key, l.items[i].size, 4096, &out, E));
		assert_string_equal(buf_str(&out), l.items[i].key);
	}
	s3_object_list_free(&l);
	buf_free(&path);
	buf_free(&out);
}

static void test_emu_policy_round_trip(void **state)
{
	struct sc_error err;
	char *policy = NULL, *merged = NULL, *back = NULL;
	bool g = true;

	(void)state;
	assert_int_equal(s3_get_bucket_policy(&emu.ctx, BUCKET, &policy, &err), SC_NOT_FOUND);
	assert_string_equal(err.code, "NoSuchBucketPolicy");
	assert_non_null(strstr(err.message, "has no bucket policy"));
	assert_null(policy);

	OK(s3_policy_merge(NULL, &(struct s3_ses_grant){.bucket = BUCKET, .prefix = "rua/",
							  .account_id = "123456789012",
							  .region = "eu-west-1",
							  .rule_set = "rs", .rule = "dmarc"},
			   &merged, E));
	OK(s3_put_bucket_policy(&emu.ctx, BUCKET, merged, E));
	OK(s3_get_bucket_policy(&emu.ctx, BUCKET, &back, E));
	{
		cJSON *a = cJSON_Parse(merged), *b = cJSON_Parse(back);

		assert_true(cJSON_Compare(a, b, 1));
		cJSON_Delete(a);
		cJSON_Delete(b);
	}
	OK(s3_policy_grants(back, &(struct s3_ses_grant){.bucket = BUCKET, .prefix = "rua/2026/",
							   .account_id = "123456789012",
							   .region = "eu-west-1",
							   .rule_set = "rs", .rule = "dmarc"},
			    &g, E));
	assert_true(g);
	free(merged);
	free(back);
}

static void test_emu_bucket_checks(void **state)
{
	struct sc_error err;
	char region[32];
	struct s3_list_page page;
	struct buf out = BUF_INIT;

	(void)state;
	OK(s3_head_bucket(&emu.ctx, BUCKET, E));
	assert_int_equal(s3_head_bucket(&emu.ctx, "no-such-bucket-here", &err), SC_NOT_FOUND);
	assert_non_null(strstr(err.message, "does not exist"));
	OK(s3_get_bucket_location(&emu.ctx, BUCKET, region, sizeof(region), E));
	assert_string_equal(region, "eu-west-1");

	assert_int_equal(s3_list_objects_v2(&emu.ctx, "no-such-bucket-here", NULL, &page, &err),
			 SC_NOT_FOUND);
	assert_string_equal(err.code, "NoSuchBucket");
	assert_non_null(strstr(err.message, "ListObjectsV2: "));
	assert_int_equal(s3_get_object(&emu.ctx, BUCKET, "absent.xml", -1, 100, &out, &err),
			 SC_NOT_FOUND);
	assert_string_equal(err.code, "NoSuchKey");
	assert_int_equal(s3_get_bucket_policy(&emu.ctx, "no-such-bucket-here", &(char *){NULL},
					      &err), SC_NOT_FOUND);
	assert_string_equal(err.code, "NoSuchBucket");
	buf_free(&out);
}

/* A wrong key is refused by the emulator's S3 signature check, as AWS would. */
static enum sc_status bad_creds(void *ud, struct aws_signing_creds *out, struct sc_error *err)
{
	(void)ud;
	(void)err;
	out->access_key = "AKIDEXAMPLE";
	out->secret_key = "not-the-secret";
	out->session_token = NULL;
	return SC_OK;
}

static void test_emu_wrong_secret_refused(void **state)
{
	struct aws_client_options opt = {.http = emu.http, .creds = bad_creds, .max_attempts = 1};
	struct ses_ctx ctx = emu.ctx;
	struct sc_error err;

	(void)state;
	ctx.client = aws_client_new(&opt);
	assert_int_equal(s3_head_bucket(&ctx, BUCKET, &err), SC_AUTH);
	assert_int_equal(s3_get_bucket_location(&ctx, BUCKET, (char[32]){0}, 32, &err), SC_AUTH);
	assert_string_equal(err.code, "SignatureDoesNotMatch");
	aws_client_free(ctx.client);
}

int main(void)
{
	const struct CMUnitTest unit[] = {
		cmocka_unit_test(test_bucket_names),
		cmocka_unit_test(test_parse_uri),
		cmocka_unit_test(test_builders_match_botocore),
		cmocka_unit_test(test_builders_refuse),
		cmocka_unit_test(test_parse_list),
		cmocka_unit_test(test_parse_list_hostile),
		cmocka_unit_test(test_parse_location),
		cmocka_unit_test(test_error_bodies),
		cmocka_unit_test(test_policy_statement_and_merge),
		cmocka_unit_test(test_policy_grants),
	};
	const struct CMUnitTest wire[] = {
		cmocka_unit_test(test_emu_list_paginates),
		cmocka_unit_test(test_emu_get_with_cap),
		cmocka_unit_test(test_emu_policy_round_trip),
		cmocka_unit_test(test_emu_bucket_checks),
		cmocka_unit_test(test_emu_wrong_secret_refused),
	};
	int failed = cmocka_run_group_tests_name("s3", unit, NULL, NULL);

	return failed + cmocka_run_group_tests_name("s3_emulator", wire, emu_setup, emu_teardown);
}

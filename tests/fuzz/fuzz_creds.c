/* libFuzzer target: what the credential chain reads from outside — credential_process
 * stdout (and its stderr in the failure message), STS AssumeRole* XML replies and error
 * bodies, the SSO portal's JSON reply, the container/IMDS JSON document. These parsers are
 * static in src/aws/creds.c, so the file is included here (the archive's creds.o is then
 * never pulled in). The first byte picks the parser and the HTTP status; a parser must
 * return SC_OK, SC_AUTH or SC_BAD_REPLY (SC_ERR for an STS 5xx), never crash or leak, fill
 * both keys on SC_OK, and never put a control byte into the error message.
 * Build: make fuzz (or see the fuzz recipe in the Makefile).
 * Seeds: build/fuzz/seeds/fuzz_creds (made by tests/fuzz/seeds.py). */
#include "../../src/aws/creds.c"

#include <stdint.h>

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_msg(const struct sc_error *err)
{
	if (!memchr(err->message, '\0', sizeof(err->message)))
		abort();
	for (const char *p = err->message; *p; p++)
		if ((unsigned char)*p < 0x20 || *p == 0x7f)
			abort();
}

static void check_creds(enum sc_status st, struct aws_credentials *c)
{
	if (st == SC_OK && (!c->access_key || !c->access_key[0] || !c->secret_key ||
	                    !c->secret_key[0]))
		abort();
	aws_credentials_free(c);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const long statuses[] = {200, 200, 400, 403, 500, 503, 401, 302};
	struct aws_credentials c;
	struct http_response r;
	struct buf out = BUF_INIT, errb = BUF_INIT;
	struct sc_error err;
	enum sc_status st;
	unsigned sel;

	if (!size)
		return 0;
	sel = data[0];
	data++;
	size--;
	memset(&c, 0, sizeof(c));
	memset(&r, 0, sizeof(r));
	sc_error_clear(&err);
	switch (sel & 7) {
	case 0: /* credential_process: exit 0, stdout = the input */
	case 1: /* credential_process: exit 1, stderr = the input */
		if ((sel & 7) == 0) {
			buf_append(&out, (const char *)data, size);
			st = process_result("credential_process", 0, &out, &errb, &c, &err);
		} else {
			buf_append(&errb, (const char *)data, size);
			st = process_result("credential_process", 1 << 8, &out, &errb, &c, &err);
		}
		if (st != SC_OK && st != SC_AUTH)
			abort();
		check_creds(st, &c);
		break;
	case 2: { /* container / IMDS JSON document */
		cJSON *j = cJSON_ParseWithLength((const char *)data, size);

		st = json_creds(j, "AccessKeyId", "SecretAccessKey", "Token", "Expiration",
		                "container", &c, &err);
		if (st != SC_OK && st != SC_AUTH)
			abort();
		check_creds(st, &c);
		json_free(j);
		break;
	}
	case 3: /* STS AssumeRole / AssumeRoleWithWebIdentity reply */
	case 4:
		buf_append(&r.body, (const char *)data, size);
		r.status = 200;
		st = sts_parse((sel & 7) == 3 ? "AssumeRole" : "AssumeRoleWithWebIdentity", "STS",
		               &r, &c, &err);
		if (st != SC_OK && st != SC_BAD_REPLY)
			abort();
		check_creds(st, &c);
		break;
	case 5: /* STS error body */
		buf_append(&r.body, (const char *)data, size);
		r.status = statuses[(sel >> 3) & 7] < 400 ? 400 : statuses[(sel >> 3) & 7];
		st = sts_error("STS AssumeRole", &r, &err);
		if (st != SC_AUTH && st != SC_ERR)
			abort();
		break;
	default: /* SSO GetRoleCredentials reply */
		buf_append(&r.body, (const char *)data, size);
		r.status = statuses[(sel >> 3) & 7];
		st = sso_reply("fuzz", &r, &c, &err);
		if (st != SC_OK && st != SC_AUTH && st != SC_BAD_REPLY)
			abort();
		check_creds(st, &c);
		break;
	}
	if (st != SC_OK)
		check_msg(&err);
	buf_wipe(&r.body);
	buf_wipe(&out);
	buf_wipe(&errb);
	return 0;
}

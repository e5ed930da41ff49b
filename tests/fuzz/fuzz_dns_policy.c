/* libFuzzer target: dmarc_parse() and spf_parse() on arbitrary TXT data, then
 * policy_evaluate() and policy_explain() with that text published as the domain's DMARC
 * and MAIL FROM SPF record. Parsers return SC_OK or SC_BAD_REPLY (then the record is zeroed);
 * the verdict always has its three sentences.
 * Build: make fuzz. Seeds: build/fuzz/seeds/fuzz_dns_policy (tests/fuzz/seeds.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/policy.h"
#include "sesctl/util/buf.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const unsigned char zero[sizeof(struct dmarc_record) > sizeof(struct spf_record)
                                    ? sizeof(struct dmarc_record)
                                    : sizeof(struct spf_record)];

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *txt = (const char *)data;
	struct dmarc_record d;
	struct spf_record s;
	struct sc_error err;
	enum sc_status st;

	st = dmarc_parse(txt, size, &d, &err);
	if (st == SC_OK) {
		if (d.pct < 0 || d.pct > 100 || !memchr(d.p, '\0', sizeof(d.p)) ||
		    (d.n_rua && !d.rua) || (d.n_ruf && !d.ruf))
			abort();
	} else if (st != SC_BAD_REPLY || memcmp(&d, zero, sizeof(d)) != 0) {
		abort();
	}
	dmarc_record_free(&d);

	st = spf_parse(txt, size, &s, &err);
	if (st == SC_OK) {
		for (size_t i = 0; i < s.n_includes; i++)
			spf_includes(&s, s.includes[i]);
	} else if (st != SC_BAD_REPLY || memcmp(&s, zero, sizeof(s)) != 0) {
		abort();
	}
	spf_record_free(&s);

	if (size < 4096) {
		char *t = malloc(size + 1);
		struct ses_identity id;
		struct policy_input in;
		struct policy_verdict v;
		struct buf out = BUF_INIT;

		memcpy(t, data, size);
		t[size] = '\0';
		memset(&id, 0, sizeof(id));
		memset(&in, 0, sizeof(in));
		id.name = (char *)"example.com";
		id.type = (char *)"DOMAIN";
		id.verification_status = (char *)"SUCCESS";
		id.dkim_signing_enabled = true;
		id.dkim_status = (char *)"SUCCESS";
		id.mail_from_domain = (char *)"bounce.example.com";
		in.identity = &id;
		in.dmarc_txt = t;
		in.spf_txt = t;
		in.bimi_txt = (size & 1) ? t : NULL;
		policy_evaluate(&in, &v);
		if (!v.dkim_why || !v.spf_why || !v.dmarc_why)
			abort();
		policy_explain(&out, &v);
		policy_verdict_free(&v);
		buf_free(&out);
		free(t);
	}
	return 0;
}

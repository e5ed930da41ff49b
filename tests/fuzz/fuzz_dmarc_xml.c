/* libFuzzer target: one DMARC aggregate report's XML (dns/dmarc_report.h). The parse must
 * return SC_OK or SC_BAD_REPLY, never crash or leak; a failure leaves the report zeroed; a
 * success holds every required field (org, id, domain; each record's IP and From) and no
 * more records than the limit; the lower-cased fields hold no upper-case ASCII.
 * Build: make fuzz-build. Seeds: the corpus of tests/fixtures/dmarc (tests/fuzz/seeds.py). */
#include <ctype.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/dmarc_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void lower(const char *s)
{
	for (; s && *s; s++)
		if (isupper((unsigned char)*s))
			abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarc_limits lim = dmarc_limits_default();
	struct dmarc_report r, zero;
	struct sc_error err;
	enum sc_status st;

	lim.max_report = 1 << 20;
	lim.max_records = 64;
	memset(&zero, 0, sizeof(zero));
	st = dmarc_report_parse((const char *)data, size, &lim, &r, &err);
	if (st != SC_OK) {
		if (st != SC_BAD_REPLY || memcmp(&r, &zero, sizeof(r)) != 0 || !err.message[0])
			abort();
		return 0;
	}
	if (!r.org_name || !r.report_id || !r.policy.domain || r.n_records > lim.max_records)
		abort();
	lower(r.policy.domain);
	for (size_t i = 0; i < r.n_records; i++) {
		if (!r.records[i].source_ip || !r.records[i].header_from)
			abort();
		lower(r.records[i].header_from);
		for (size_t k = 0; k < r.records[i].n_dkim; k++)
			lower(r.records[i].dkim_results[k].domain);
	}
	dmarc_report_free(&r);
	dmarc_report_free(&r); /* idempotent */
	return 0;
}

/* libFuzzer target: dns_answer_parse() (the raw DNS message walker behind dns --check) on
 * arbitrary packets: compression loops, pointers past the end, short headers, huge counts.
 * It returns SC_OK with well-formed records or SC_BAD_REPLY with an empty answer.
 * Build: make fuzz. Seeds: build/fuzz/seeds/fuzz_dns_answer (tests/fuzz/seeds.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/check.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dns_answer a;
	struct sc_error err;
	enum sc_status st = dns_answer_parse(data, size, &a, &err);

	if (st == SC_OK) {
		for (size_t i = 0; i < a.n; i++) {
			if (!a.rr[i].owner)
				abort();
			if (a.rr[i].data)
				(void)strlen(a.rr[i].data);
		}
	} else if (st != SC_BAD_REPLY || a.n || a.rr) {
		abort();
	}
	dns_answer_free(&a);
	return 0;
}

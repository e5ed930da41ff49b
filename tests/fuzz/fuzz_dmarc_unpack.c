/* libFuzzer target: a blob that may carry DMARC reports (dns/dmarc_report.h): XML, gzip,
 * zip, an mbox or a MIME message, nested. With small limits (256 KiB a blob and a report,
 * a ratio of 50, 16 entries) the walk must never crash, leak or allocate past them; each
 * item reaches the callback once, with exactly one of a report or an error with a message;
 * the walk returns SC_OK or SC_BAD_REPLY, and a callback that says stop is obeyed at once.
 * Build: make fuzz-build. Seeds: tests/fixtures/dmarc's corpus (tests/fuzz/seeds.py). */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/dns/dmarc_report.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

struct seen {
	size_t items;
	size_t stop_after;      /* 0: never stop */
};

static enum sc_status on_item(void *ud, const char *item, struct dmarc_report *r,
			      const struct sc_error *e)
{
	struct seen *s = ud;

	if (!item || !*item || (!r) == (!e) || (e && !e->message[0]))
		abort();
	if (r) {
		dmarc_report_free(r);
		free(r);
	}
	if (++s->items > 4096)
		abort();
	return s->stop_after && s->items >= s->stop_after ? SC_CANCELLED : SC_OK;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct dmarc_limits lim = dmarc_limits_default();
	struct seen s = {0, size && (data[0] & 1) ? 1 : 0};
	struct sc_error err;
	enum sc_status st;

	lim.max_input = lim.max_report = 256 << 10;
	lim.max_ratio = 50;
	lim.max_entries = 16;
	lim.max_records = 64;
	st = dmarc_unpack("fuzz", data, size, &lim, on_item, &s, &err);
	if (st == SC_CANCELLED) {
		if (!s.stop_after || s.items != s.stop_after)
			abort();
	} else if (st != SC_OK && st != SC_BAD_REPLY) {
		abort();
	}
	return 0;
}

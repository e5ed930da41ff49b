/* libFuzzer target: the history's parsers on arbitrary bytes. The first byte picks the
 * parser (even: ct_parse_lookup on a LookupEvents reply, odd: ct_event_parse on one
 * CloudTrailEvent document); the rest is the body. Each must return SC_OK or SC_BAD_REPLY,
 * never crash or leak, append nothing when it fails, and keep every string within its
 * bound.
 * Build: make fuzz-build. Seeds: LookupEvents pages and CloudTrailEvent documents of every
 * principal shape, written by tests/fuzz/seeds.py. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/ses/history.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void bounded(const char *s)
{
	if (s && strlen(s) > CT_TEXT_MAX)
		abort();
}

static void check_event(const struct ct_event *e)
{
	const char *const texts[] = {e->event_id,  e->event_name,   e->event_source, e->region,
				     e->account_id, e->who,         e->who_arn,      e->role,
				     e->source_ip,  e->user_agent,  e->tool_version, e->reason,
				     e->resource,   e->error_code,  e->error_message};

	for (size_t i = 0; i < sizeof(texts) / sizeof(texts[0]); i++)
		bounded(texts[i]);
	if (e->request_params && strlen(e->request_params) > CT_PARAMS_MAX)
		abort();
	if (e->request_params && e->params_truncated)
		abort();
	if ((unsigned)e->tool >= CT_TOOL_COUNT || (unsigned)e->principal >= CT_PRINCIPAL_COUNT ||
	    (unsigned)e->op >= CT_OP_COUNT || (unsigned)e->resource_kind >= CT_RES_COUNT)
		abort();
	if (e->sending < -1 || e->sending > 1)
		abort();
	if (e->reason && e->tool != CT_TOOL_SESCTL)
		abort();
}

static void fuzz_lookup(const char *b, size_t n)
{
	struct ct_events evs = {0};
	enum sc_status st = ct_parse_lookup(b, n, &evs, NULL);
	size_t damaged = 0;

	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
	if (st != SC_OK && (evs.n || evs.next_token || evs.damaged))
		abort();
	for (size_t i = 0; i < evs.n; i++) {
		check_event(&evs.v[i]);
		if (!evs.v[i].event_id)
			abort();
		damaged += evs.v[i].damaged;
	}
	if (evs.n > 1000 || damaged != evs.damaged)
		abort();
	if (evs.next_token && !*evs.next_token)
		abort();
	ct_events_free(&evs);
}

static void fuzz_event(const char *b, size_t n)
{
	struct ct_event e = {0};
	enum sc_status st = ct_event_parse(b, n, &e, NULL);

	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
	if (st != SC_OK && e.event_id)
		abort();
	check_event(&e);
	ct_event_clear(&e);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;

	if (!size)
		return 0;
	if (data[0] % 2)
		fuzz_event(body, size - 1);
	else
		fuzz_lookup(body, size - 1);
	return 0;
}

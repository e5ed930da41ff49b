/* libFuzzer target: the events tap's parsers on arbitrary bytes. The first byte picks the
 * parser (0: ses_events_parse, 1: the SQS JSON replies, 2: the SNS and SES v1 XML replies);
 * the rest is the body. Each must return SC_OK or SC_BAD_REPLY, never crash or leak, and
 * append nothing when it fails.
 * Build: make fuzz-build. Seeds: tests/fixtures/events/ and small SNS/SQS replies, written by
 * tests/fuzz/seeds.py. */
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include "sesctl/ses/events.h"
#include "sesctl/ses/feedback.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check(enum sc_status st)
{
	if (st != SC_OK && st != SC_BAD_REPLY)
		abort();
}

static void fuzz_events(const char *b, size_t n)
{
	struct ses_events evs = {0};
	bool trunc;
	enum sc_status st = ses_events_parse(b, n, &evs, &trunc, NULL);

	check(st);
	if ((st != SC_OK && evs.n) || (st == SC_OK && !evs.n) || evs.n > SES_EVENTS_MAX_ROWS)
		abort();
	ses_events_free(&evs);
}

static void fuzz_sqs(const char *b, size_t n)
{
	struct sqs_messages m = {0};
	char *s = NULL;
	size_t failed;

	check(sqs_parse_create_queue(b, n, &s, NULL));
	free(s);
	check(sqs_parse_get_queue_arn(b, n, &s, NULL));
	free(s);
	if (sqs_parse_receive(b, n, &m, NULL) != SC_OK && m.n)
		abort();
	sqs_messages_free(&m);
	check(sqs_parse_delete_batch(b, n, &failed, NULL));
}

static void fuzz_xml(const char *b, size_t n)
{
	struct ses_notif_attrs *v = NULL;
	struct sns_topic_attrs ta = {0};
	struct sns_subscriptions subs = {0};
	char *tok = NULL, *arn = NULL;
	size_t k = 0;

	check(sesv1_parse_notification_attrs(b, n, &v, &k, NULL));
	for (size_t i = 0; i < k; i++)
		ses_notif_attrs_free(&v[i]);
	free(v);
	check(sns_parse_topic_attributes(b, n, &ta, NULL));
	sns_topic_attrs_free(&ta);
	check(sns_parse_list_subscriptions_by_topic(b, n, &subs, &tok, NULL));
	sns_subscriptions_free(&subs);
	free(tok);
	check(sns_parse_subscribe(b, n, &arn, NULL));
	free(arn);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	const char *body = (const char *)data + 1;

	if (!size)
		return 0;
	switch (data[0] % 3) {
	case 0:
		fuzz_events(body, size - 1);
		break;
	case 1:
		fuzz_sqs(body, size - 1);
		break;
	default:
		fuzz_xml(body, size - 1);
	}
	return 0;
}

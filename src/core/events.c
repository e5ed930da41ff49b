/* The events tap: create, remove, drain (core/events.h). */
#include "sesctl/core/events.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/ses/events.h"
#include "sesctl/ses/feedback.h"
#include "sesctl/util/buf.h"

static uint32_t fnv1a(const char *s)
{
	uint32_t h = 2166136261u;

	for (; *s; s++)
		h = (h ^ (unsigned char)*s) * 16777619u;
	return h;
}

void events_tap_queue_name(const char *topic_arn, char *out, size_t size)
{
	const char *name = strrchr(topic_arn, ':');
	char clean[61];
	size_t n = 0;

	for (name = name ? name + 1 : topic_arn; *name && n + 1 < sizeof(clean); name++) {
		char ch = *name;

		if ((ch >= 'a' && ch <= 'z') || (ch >= 'A' && ch <= 'Z') || (ch >= '0' && ch <= '9') ||
		    ch == '-' || ch == '_')
			clean[n++] = ch;
	}
	clean[n] = '\0';
	snprintf(out, size, EVENTS_TAP_PREFIX "%s%s%08x", clean, n ? "-" : "", fnv1a(topic_arn));
}

/* "aws" from arn:aws:sns:…; "aws" when the ARN has no partition. */
static void arn_partition(const char *arn, char *out, size_t size)
{
	const char *p = strncmp(arn, "arn:", 4) == 0 ? arn + 4 : NULL;
	const char *end = p ? strchr(p, ':') : NULL;

	if (!end || end == p || (size_t)(end - p) >= size)
		snprintf(out, size, "aws");
	else
		snprintf(out, size, "%.*s", (int)(end - p), p);
}

static char *tap_policy(const char *queue_arn, const char *topic_arn)
{
	struct buf b = {0};

	ses_json_open(&b, '{');
	ses_json_kv(&b, "Version", "2012-10-17");
	ses_json_key(&b, "Statement");
	ses_json_open(&b, '[');
	ses_json_open(&b, '{');
	ses_json_kv(&b, "Sid", "sesctl-tap");
	ses_json_kv(&b, "Effect", "Allow");
	ses_json_key(&b, "Principal");
	ses_json_open(&b, '{');
	ses_json_kv(&b, "Service", "sns.amazonaws.com");
	ses_json_close(&b, '}');
	ses_json_kv(&b, "Action", "sqs:SendMessage");
	ses_json_kv(&b, "Resource", queue_arn);
	ses_json_key(&b, "Condition");
	ses_json_open(&b, '{');
	ses_json_key(&b, "ArnEquals");
	ses_json_open(&b, '{');
	ses_json_kv(&b, "aws:SourceArn", topic_arn);
	ses_json_close(&b, '}');
	ses_json_close(&b, '}');
	ses_json_close(&b, '}');
	ses_json_close(&b, ']');
	ses_json_close(&b, '}');
	return buf_steal(&b);
}

static struct cache_tap *tap_find(struct cache *c, const char *account_id, const char *region,
				  const char *topic_arn, struct cache_tap **all, size_t *n,
				  struct sc_error *err)
{
	if (cache_get_taps(c, account_id, region, all, n, err))
		return NULL;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*all)[i].topic_arn, topic_arn))
			return &(*all)[i];
	return NULL;
}

enum sc_status events_tap(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			  const char *topic_arn, struct cache_tap **out, struct sc_error *err)
{
	struct cache_tap *all = NULL, *old, tap = {0};
	char name[96], part[32], guess[400], *policy;
	size_t n = 0;
	enum sc_status st;
	struct sc_error ignore;

	if (out)
		*out = NULL;
	if (!sns_topic_arn_valid(topic_arn))
		return sc_fail(err, SC_USAGE, "'%s' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
			       topic_arn);
	old = tap_find(c, account_id, ctx->region, topic_arn, &all, &n, err);
	if (old) {
		st = sc_fail(err, SC_CONFLICT, "a tap on %s exists already (queue %s)", topic_arn,
			     old->queue_url);
		cache_taps_free(all, n);
		return st;
	}
	cache_taps_free(all, n);
	events_tap_queue_name(topic_arn, name, sizeof(name));
	arn_partition(topic_arn, part, sizeof(part));
	snprintf(guess, sizeof(guess), "arn:%s:sqs:%s:%s:%s", part, ctx->region, account_id, name);
	policy = tap_policy(guess, topic_arn);
	{
		char retention[16];
		const char *attrs[] = {"Policy", policy, "MessageRetentionPeriod", retention, NULL};

		snprintf(retention, sizeof(retention), "%d", EVENTS_TAP_RETENTION);
		st = sqs_create_queue(ctx, name, attrs, &tap.queue_url, err);
	}
	free(policy);
	if (st)
		return st;
	st = sqs_get_queue_arn(ctx, tap.queue_url, &tap.queue_arn, err);
	if (!st)
		st = sns_subscribe(ctx, topic_arn, "sqs", tap.queue_arn, false, &tap.sub_arn, err);
	tap.topic_arn = (char *)topic_arn;
	tap.created = time(NULL);
	if (!st)
		st = cache_put_tap(c, account_id, ctx->region, &tap, err);
	if (st) {
		if (tap.sub_arn)
			sns_unsubscribe(ctx, tap.sub_arn, &ignore);
		sqs_delete_queue(ctx, tap.queue_url, &ignore);
	} else if (out) {
		*out = xcalloc(1, sizeof(**out));
		**out = tap;
		(*out)->topic_arn = xstrdup(topic_arn);
		return SC_OK;
	}
	free(tap.queue_url);
	free(tap.queue_arn);
	free(tap.sub_arn);
	return st;
}

enum sc_status events_untap(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const struct cache_tap *tap, struct sc_error *err)
{
	enum sc_status st = SC_OK;

	if (tap->sub_arn && *tap->sub_arn) {
		st = sns_unsubscribe(ctx, tap->sub_arn, err);
		if (st == SC_NOT_FOUND)
			st = SC_OK;
	}
	if (!st && strncmp(strrchr(tap->queue_url, '/') ? strrchr(tap->queue_url, '/') + 1 : "",
			   EVENTS_TAP_PREFIX, strlen(EVENTS_TAP_PREFIX)))
		return sc_fail(err, SC_REFUSED,
			       "the recorded queue %s is not one sesctl names; it is left alone",
			       tap->queue_url);
	if (!st) {
		st = sqs_delete_queue(ctx, tap->queue_url, err);
		if (st == SC_NOT_FOUND)
			st = SC_OK;
	}
	if (!st)
		st = cache_delete_tap(c, account_id, ctx->region, tap->topic_arn, err);
	return st;
}

/* Parse one batch; rows into evs, the handles of what parsed into ok. */
static void parse_batch(const struct sqs_messages *m, struct ses_events *evs, const char **ok,
			size_t *n_ok, struct events_drain_report *rep)
{
	*n_ok = 0;
	for (size_t i = 0; i < m->n; i++) {
		struct sc_error why;
		bool truncated = false;

		sc_error_clear(&why);
		if (ses_events_parse(m->v[i].body ? m->v[i].body : "",
				     m->v[i].body ? strlen(m->v[i].body) : 0, evs, &truncated, &why)) {
			if (!rep->bad++)
				str_copy(rep->bad_reason, sizeof(rep->bad_reason), why.message);
			continue;
		}
		ok[(*n_ok)++] = m->v[i].receipt_handle;
	}
}

static enum sc_status drain_tap(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
				const struct cache_tap *tap, const struct events_drain_opts *o,
				struct events_drain_report *rep, struct sc_error *err)
{
	enum sc_status st = SC_OK;

	for (size_t round = 0; !o->max_receives || round < o->max_receives; round++) {
		struct sqs_messages m = {0};
		struct ses_events evs = {0};
		const char *ok[10];
		size_t n_ok = 0, added = 0, failed = 0;

		if (o->cancel && *o->cancel)
			return SC_CANCELLED;
		st = sqs_receive(ctx, tap->queue_url, 10, o->wait_s, 60, &m, err);
		if (!st) {
			rep->received += m.n;
			parse_batch(&m, &evs, ok, &n_ok, rep);
			st = cache_put_events(c, account_id, ctx->region, evs.v, evs.n, &added, err);
			rep->added += added;
			if (!st && evs.n && o->on_rows)
				o->on_rows(o->ud, &evs);
		}
		if (!st && n_ok)
			st = sqs_delete_batch(ctx, tap->queue_url, ok, n_ok, &failed, err);
		if (!st)
			cache_touch_tap(c, account_id, ctx->region, tap->topic_arn, time(NULL), NULL);
		ses_events_free(&evs);
		if (st || m.n == 0 || n_ok == 0) {
			sqs_messages_free(&m);
			break;
		}
		sqs_messages_free(&m);
	}
	return st;
}

enum sc_status events_drain(const struct ses_ctx *ctx, struct cache *c, const char *account_id,
			    const struct events_drain_opts *o, struct events_drain_report *rep,
			    struct sc_error *err)
{
	struct cache_tap *taps = NULL;
	size_t n = 0;
	enum sc_status st;

	memset(rep, 0, sizeof(*rep));
	st = cache_get_taps(c, account_id, ctx->region, &taps, &n, err);
	for (size_t i = 0; i < n && !st; i++) {
		rep->taps++;
		st = drain_tap(ctx, c, account_id, &taps[i], o, rep, err);
		if (st == SC_NOT_FOUND) {
			if (!rep->gone++)
				str_copy(rep->gone_topic, sizeof(rep->gone_topic), taps[i].topic_arn);
			sc_error_clear(err);
			st = SC_OK;
		}
	}
	cache_taps_free(taps, n);
	return st;
}

size_t events_top(const struct ses_events *evs, bool domains, struct events_tally *out,
		  size_t max)
{
	struct events_tally top[EVENTS_TOP_KEYS];
	size_t nt = 0, r;

	for (size_t i = 0; i < evs->n; i++) {
		const struct ses_event *e = &evs->v[i];
		const char *at = e->recipient ? strrchr(e->recipient, '@') : NULL;
		const char *k = domains ? (at ? at + 1 : NULL)
				: e->type == SES_EV_BOUNCE ? (e->diagnostic ? e->diagnostic : e->subtype)
							   : NULL;
		size_t j;

		if (!k)
			continue;
		for (j = 0; j < nt && strcmp(top[j].key, k); j++)
			;
		if (j == nt && nt < EVENTS_TOP_KEYS)
			top[nt++] = (struct events_tally){k, 0};
		if (j < nt)
			top[j].n++;
	}
	for (r = 0; r < max && nt; r++) {
		size_t best = 0;

		for (size_t j = 1; j < nt; j++)
			if (top[j].n > top[best].n)
				best = j;
		out[r] = top[best];
		top[best] = top[--nt];
	}
	return r;
}

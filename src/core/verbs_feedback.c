/* Feedback: the routing audit, an identity's notification settings, and the events tap.
 * The verdicts come from core/feedback.c; the tap from core/events.c. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/core/events.h"
#include "sesctl/core/feedback.h"
#include "sesctl/ses/events.h"
#include "sesctl/ses/feedback.h"
#include "sesctl/ses/identities.h"
#include "sesctl/store/feedback.h"
#include "sesctl/store/identities.h"
#include "verbs_impl.h"

/* ---- the audit ---- */

static const char *const audit_columns[] = {"identity", "verdict", "bounce", "complaint",
					    "delivery", "why", NULL};

/* The reason worth a line: the worst of bounce and complaint. */
static const struct fb_route *worst_route(const struct fb_identity *f)
{
	return f->route[SES_NOTIF_COMPLAINT].verdict == f->verdict &&
		       f->route[SES_NOTIF_BOUNCE].verdict != f->verdict
		   ? &f->route[SES_NOTIF_COMPLAINT]
		   : &f->route[SES_NOTIF_BOUNCE];
}

static cJSON *audit_row(const struct fb_identity *f, bool full)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "identity", f->id->name);
	jm_str(o, "verdict", fb_verdict_word(f->verdict));
	for (int k = 0; k < SES_NOTIF_COUNT; k++)
		jm_str(o, ses_notif_name((enum ses_notif_kind)k), fb_verdict_word(f->route[k].verdict));
	jm_str(o, "why", worst_route(f)->reason);
	if (!full)
		return o;
	jm_str(o, "settings_from", f->settings_from);
	jm_str(o, "configuration_set", f->id->configuration_set);
	cJSON_AddBoolToObject(o, "forwarding", f->attrs && f->attrs->forwarding);
	jm_str(o, "mailbox", f->mailbox);
	for (int k = 0; k < SES_NOTIF_COUNT; k++) {
		char key[40];
		cJSON *r = cJSON_CreateObject();

		jm_str(r, "verdict", fb_verdict_word(f->route[k].verdict));
		jm_str(r, "reason", f->route[k].reason);
		jm_str(r, "topic", f->attrs ? f->attrs->topic[k] : NULL);
		cJSON_AddBoolToObject(r, "headers", f->attrs && f->attrs->headers[k]);
		snprintf(key, sizeof(key), "%s_route", ses_notif_name((enum ses_notif_kind)k));
		cJSON_AddItemToObject(o, key, r);
	}
	return o;
}

static enum sc_status ensure_audit(struct core *core, const struct verb_where *w, bool force,
				   struct sc_error *err)
{
	enum sc_status st = verb_ensure_kind(core, w, SYNC_IDENTITIES, force, err);

	if (!st)
		st = verb_ensure_kind(core, w, SYNC_CONFIG_SETS, force, err);
	if (!st && !force)
		st = verb_ensure_kind(core, w, SYNC_FEEDBACK, false, err);
	if (!st && force && !core->opt.offline) {
		/* --refresh: every identity's settings again, not only the stale ones */
		struct sync_options o = {.kinds = 1u << SYNC_FEEDBACK, .detail_ttl = -1,
					 .cancel = core->opt.interrupt};
		struct sync_report rep;

		st = sync_region(core, w->region, &o, &rep, err);
		if (st == SC_PARTIAL)
			st = sc_fail(err, rep.kinds[SYNC_FEEDBACK].status, "%s",
				     rep.kinds[SYNC_FEEDBACK].message);
	}
	return st;
}

/* feedback [IDENTITY] [--verdict V] [--refresh] */
enum sc_status verb_feedback(struct core *core, const struct verb_args *args,
			     struct verb_result *res, struct sc_error *err)
{
	const char *only = verb_opt(args, "verdict");
	struct fb_audit a;
	struct verb_where w;
	cJSON *o, *arr, *counts;
	enum sc_status st;

	if (only) {
		bool known = false;

		for (int v = 0; v < FB_VERDICT_COUNT; v++)
			known |= !strcasecmp(only, fb_verdict_word((enum fb_verdict)v));
		if (!known)
			return sc_fail(err, SC_USAGE,
				       "--verdict must be ok, mailbox-only, unknown or nowhere");
	}
	st = verb_where_open(core, &w, err);
	if (!st)
		st = ensure_audit(core, &w, verb_flag(args, "refresh"), err);
	if (!st)
		st = feedback_load(w.cache, w.account, w.region, &a, err);
	if (st)
		return st;
	if (args->argc) {
		const struct fb_identity *f = feedback_find(&a, args->argv[0]);

		if (!f) {
			st = sc_fail(err, SC_NOT_FOUND, "no identity named %s in %s", args->argv[0],
				     w.region);
		} else {
			res->json = audit_row(f, true);
			jm_time(res->json, "read", a.fetched);
		}
		feedback_audit_free(&a);
		return st;
	}
	o = cJSON_CreateObject();
	jm_str(o, "region", w.region);
	jm_time(o, "read", a.fetched);
	counts = cJSON_AddObjectToObject(o, "counts");
	for (int v = 0; v < FB_VERDICT_COUNT; v++)
		if (v != FB_OFF)
			cJSON_AddNumberToObject(counts, fb_verdict_word((enum fb_verdict)v),
						(double)a.counts[v]);
	arr = cJSON_AddArrayToObject(o, "identities");
	for (size_t i = 0; i < a.n; i++)
		if (!only || !strcasecmp(only, fb_verdict_word(a.v[i].verdict)))
			cJSON_AddItemToArray(arr, audit_row(&a.v[i], core->opt.format == CORE_FMT_JSON));
	if (a.counts[FB_NOWHERE])
		verb_result_warn(res, "%zu identit%s send feedback nowhere: bounces and complaints "
				 "reach no one", a.counts[FB_NOWHERE],
				 a.counts[FB_NOWHERE] == 1 ? "y" : "ies");
	feedback_audit_free(&a);
	res->json = o;
	res->array_key = "identities";
	res->columns = audit_columns;
	return SC_OK;
}

/* ---- identity notifications ---- */

/* SES allows each of these v1 calls once a second. */
static void pace(time_t *last)
{
	if (*last && time(NULL) - *last < 1) {
		struct timespec ts = {1, 0};

		nanosleep(&ts, NULL);
	}
	*last = time(NULL);
}

static enum sc_status read_attrs(const struct verb_target *l, const char *name,
				 struct ses_notif_attrs *out, struct sc_error *err)
{
	struct ses_notif_attrs *v = NULL;
	size_t n = 0;
	const char *ids[1] = {name};
	enum sc_status st = sesv1_get_notification_attrs(&l->ses.ctx, ids, 1, &v, &n, err);

	memset(out, 0, sizeof(*out));
	for (size_t i = 0; !st && i < n; i++)
		if (v[i].identity && !strcmp(v[i].identity, name)) {
			*out = v[i];
			memset(&v[i], 0, sizeof(v[i]));
		}
	cache_notif_attrs_free(v, n);
	if (!st && !out->identity)
		st = sc_fail(err, SC_NOT_FOUND, "SES has no notification settings for %s", name);
	return st;
}

/* Read the identity, its settings and its topics again, and show its audit row (the sets
 * it may name are read when the cache has none or old ones). */
static enum sc_status show_after_change(struct core *core, struct verb_target *l,
					const char *name, struct verb_result *res,
					struct sc_error *err)
{
	struct verb_where w = {l->region, l->account, l->cache};
	struct ses_identity x = {0};
	struct ses_notif_attrs a;
	struct fb_audit audit;
	const struct fb_identity *f;
	enum sc_status st = sesv2_get_email_identity(&l->ses.ctx, name, &x, err);

	if (!st)
		st = cache_put_identity(l->cache, l->account, l->region, &x, err);
	ses_identity_free(&x);
	if (!st)
		st = verb_ensure_kind(core, &w, SYNC_CONFIG_SETS, false, err);
	if (!st)
		st = read_attrs(l, name, &a, err);
	if (st)
		return st;

	if (!st)
		st = cache_put_notif_attrs(l->cache, l->account, l->region, &a, 1, time(NULL), err);
	for (int k = 0; !st && k < SES_NOTIF_COUNT; k++) {
		struct sns_topic_attrs t = {0};
		struct cache_topic ct = {.arn = a.topic[k], .confirmed = -1, .pending = -1,
					 .checked = time(NULL)};
		struct sc_error e;
		enum sc_status ts;

		if (!a.topic[k])
			continue;
		sc_error_clear(&e);
		ts = sns_get_topic_attributes(&l->ses.ctx, a.topic[k], &t, &e);
		ct.state = !ts ? CACHE_TOPIC_EXISTS
			   : ts == SC_NOT_FOUND ? CACHE_TOPIC_NOT_FOUND
			   : ts == SC_AUTH ? CACHE_TOPIC_DENIED
					   : CACHE_TOPIC_ERROR;
		ct.confirmed = ts ? -1 : t.confirmed;
		ct.pending = ts ? -1 : t.pending;
		ct.detail = ts && ts != SC_NOT_FOUND ? e.message : NULL;
		cache_put_topic(l->cache, l->account, l->region, &ct, NULL);
		sns_topic_attrs_free(&t);
		if (ts == SC_NOT_FOUND || (!ts && ct.confirmed == 0))
			verb_result_warn(res, "topic %s %s: %s feedback sent there reaches no one",
					 a.topic[k], ts ? "does not exist" : "has no confirmed subscribers",
					 ses_notif_name((enum ses_notif_kind)k));
	}
	ses_notif_attrs_free(&a);
	if (!st)
		st = feedback_load(l->cache, l->account, l->region, &audit, err);
	if (st)
		return st;
	f = feedback_find(&audit, name);
	res->json = f ? audit_row(f, true) : cJSON_CreateObject();
	feedback_audit_free(&audit);
	return SC_OK;
}

/* "ARN" → the ARN, "none" → NULL (clear); *given says whether the option was there. */
static enum sc_status topic_opt(const struct verb_args *args, const char *opt, const char **out,
				bool *given, struct sc_error *err)
{
	const char *v = verb_opt(args, opt);

	*given = v != NULL;
	*out = NULL;
	if (!v || !strcmp(v, "none"))
		return SC_OK;
	if (!sns_topic_arn_valid(v))
		return sc_fail(err, SC_USAGE,
			       "--%s takes an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME) or none, "
			       "not '%s'", opt, v);
	*out = v;
	return SC_OK;
}

/* identity notifications NAME [--bounce-topic ARN|none] [--complaint-topic ARN|none]
 * [--delivery-topic ARN|none] [--headers on|off] */
enum sc_status verb_identity_notifications(struct core *core, const struct verb_args *args,
					   struct verb_result *res, struct sc_error *err)
{
	static const char *const opts[SES_NOTIF_COUNT] = {"bounce-topic", "complaint-topic",
							  "delivery-topic"};
	const char *name = args->argv[0], *topic[SES_NOTIF_COUNT], *headers = verb_opt(args, "headers");
	bool given[SES_NOTIF_COUNT], any = headers != NULL;
	struct ses_notif_attrs now = {0};
	struct verb_target l;
	time_t last_topic = 0, last_headers = 0;
	enum sc_status st = SC_OK;

	for (int k = 0; k < SES_NOTIF_COUNT && !st; k++) {
		st = topic_opt(args, opts[k], &topic[k], &given[k], err);
		any |= given[k];
	}
	if (st)
		return st;
	if (!any)
		return sc_fail(err, SC_USAGE, "give --bounce-topic, --complaint-topic, --delivery-topic "
			       "or --headers; `sesctl feedback %s` shows the current settings", name);
	if (headers && strcmp(headers, "on") && strcmp(headers, "off"))
		return sc_fail(err, SC_USAGE, "--headers must be on or off");
	st = verb_target_open(core, &l, err);
	if (!st)
		st = read_attrs(&l, name, &now, err);
	for (int k = 0; !st && k < SES_NOTIF_COUNT; k++) {
		bool after = given[k] ? topic[k] != NULL : now.topic[k] != NULL;

		if (k != SES_NOTIF_DELIVERY && !after && !now.forwarding) {
			sc_error_clear(err); /* the read's request id is not this refusal's */
			st = sc_fail(err, SC_USAGE,
				     "%s has email forwarding off, so SES needs both a bounce and a "
				     "complaint topic: turn forwarding on first (sesctl identity "
				     "feedback %s on)", name, name);
		}
	}
	for (int k = 0; !st && k < SES_NOTIF_COUNT; k++) {
		if (!given[k])
			continue;
		pace(&last_topic);
		st = sesv1_set_notification_topic(&l.ses.ctx, name, (enum ses_notif_kind)k, topic[k], err);
		if (!st) {
			free(now.topic[k]);
			now.topic[k] = topic[k] ? xstrdup(topic[k]) : NULL;
		}
	}
	for (int k = 0; !st && headers && k < SES_NOTIF_COUNT; k++) {
		if (!now.topic[k])
			continue; /* SES takes headers only where a topic is set */
		pace(&last_headers);
		st = sesv1_set_headers_in_notifications(&l.ses.ctx, name, (enum ses_notif_kind)k,
							!strcmp(headers, "on"), err);
	}
	if (!st && headers && !now.topic[0] && !now.topic[1] && !now.topic[2])
		verb_result_warn(res, "--headers changes nothing: %s has no notification topic", name);
	ses_notif_attrs_free(&now);
	return st ? st : show_after_change(core, &l, name, res, err);
}

/* identity feedback NAME on|off: SES refuses "off" unless both topics are set, so say so
 * before calling. */
enum sc_status verb_feedback_forwarding_check(const struct verb_target *l, const char *name,
					      bool on, struct sc_error *err)
{
	struct ses_notif_attrs a;
	enum sc_status st;

	if (on)
		return SC_OK;
	st = read_attrs(l, name, &a, err);
	if (st)
		return st;
	if (!a.topic[SES_NOTIF_BOUNCE] || !a.topic[SES_NOTIF_COMPLAINT]) {
		sc_error_clear(err); /* the read's request id is not this refusal's */
		st = sc_fail(err, SC_USAGE,
			     "SES turns email forwarding off only when %s has both a bounce and a "
			     "complaint topic (it has %s); set them first: sesctl identity "
			     "notifications %s --bounce-topic ARN --complaint-topic ARN",
			     name,
			     a.topic[SES_NOTIF_BOUNCE]	  ? "no complaint topic"
			     : a.topic[SES_NOTIF_COMPLAINT] ? "no bounce topic"
							    : "neither",
			     name);
	}
	ses_notif_attrs_free(&a);
	return st;
}

/* ---- the events tap ---- */

static cJSON *tap_json(const struct cache_tap *t)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "topic", t->topic_arn);
	jm_str(o, "queue", t->queue_url);
	jm_str(o, "subscription", t->sub_arn);
	jm_time(o, "created", t->created);
	jm_time(o, "last_read", t->last_read);
	return o;
}

static const char *const tap_columns[] = {"topic", "queue", "created", "last_read", NULL};

/* events tap --topic ARN */
enum sc_status verb_events_tap(struct core *core, const struct verb_args *args,
			       struct verb_result *res, struct sc_error *err)
{
	const char *topic = verb_opt(args, "topic");
	struct cache_tap *t = NULL;
	struct verb_target l;
	enum sc_status st;

	if (!topic)
		return sc_fail(err, SC_USAGE, "give the topic to tap: --topic ARN");
	if (!sns_topic_arn_valid(topic))
		return sc_fail(err, SC_USAGE, "'%s' is not an SNS topic ARN (arn:aws:sns:REGION:ACCOUNT:NAME)",
			       topic);
	st = verb_target_open(core, &l, err);
	if (!st)
		st = events_tap(&l.ses.ctx, l.cache, l.account, topic, &t, err);
	if (st)
		return st;
	res->json = tap_json(t);
	cache_taps_free(t, 1);
	return SC_OK;
}

/* events untap [--topic ARN] */
enum sc_status verb_events_untap(struct core *core, const struct verb_args *args,
				 struct verb_result *res, struct sc_error *err)
{
	const char *topic = verb_opt(args, "topic");
	struct cache_tap *v = NULL;
	struct verb_target l;
	size_t n = 0, removed = 0;
	cJSON *arr;
	enum sc_status st = verb_target_open(core, &l, err);

	if (!st)
		st = cache_get_taps(l.cache, l.account, l.region, &v, &n, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < n && !st; i++) {
		if (topic && strcmp(topic, v[i].topic_arn))
			continue;
		st = events_untap(&l.ses.ctx, l.cache, l.account, &v[i], err);
		if (!st) {
			cJSON_AddItemToArray(arr, tap_json(&v[i]));
			removed++;
		}
	}
	cache_taps_free(v, n);
	if (!st && !removed) {
		sc_error_clear(err); /* no call was made for this answer */
		if (topic)
			st = sc_fail(err, SC_NOT_FOUND, "no tap on %s in %s", topic, l.region);
		else
			st = sc_fail(err, SC_NOT_FOUND, "no tap in %s", l.region);
	}
	if (st) {
		cJSON_Delete(arr);
		return st;
	}
	res->json = arr;
	res->columns = tap_columns;
	return SC_OK;
}

static const char *const event_columns[] = {"time", "type", "subtype", "recipient", "status",
					    "diagnostic", "identity", "config_set", NULL};

static cJSON *event_json(const struct ses_event *e)
{
	cJSON *o = cJSON_CreateObject();

	jm_time(o, "time", e->time);
	jm_str(o, "type", ses_ev_name(e->type));
	jm_str(o, "subtype", e->subtype);
	jm_str(o, "recipient", e->recipient);
	jm_str(o, "status", e->status);
	jm_str(o, "diagnostic", e->diagnostic);
	jm_str(o, "reporting_mta", e->reporting_mta);
	jm_str(o, "source", e->source);
	jm_str(o, "identity", e->identity);
	jm_str(o, "config_set", e->config_set);
	jm_str(o, "message_id", e->message_id);
	jm_str(o, "subject", e->subject);
	return o;
}

static void event_line(const struct ses_event *e, struct buf *out)
{
	char when[32] = "-";

	if (e->time)
		strftime(when, sizeof(when), "%Y-%m-%d %H:%M:%S", gmtime(&e->time));
	buf_reset(out);
	buf_printf(out, "%s  %-9s %-28s %-32s %-6s %s", when, ses_ev_name(e->type),
		   e->subtype ? e->subtype : "-", e->recipient ? e->recipient : "-",
		   e->status ? e->status : "-", e->diagnostic ? e->diagnostic : "");
}

/* The query --type/--identity/--domain/--since describe. */
static enum sc_status event_query(const struct verb_args *args, struct cache_event_query *q,
				  struct sc_error *err)
{
	const char *types = verb_opt(args, "type");

	memset(q, 0, sizeof(*q));
	q->identity = verb_opt(args, "identity");
	q->rdomain = verb_opt(args, "domain");
	for (const char *p = types; p && *p;) {
		char word[40];
		size_t len = strcspn(p, ",");
		enum ses_ev_type t;

		snprintf(word, sizeof(word), "%.*s", (int)(len < sizeof(word) ? len : sizeof(word) - 1), p);
		if (!ses_ev_from(word, &t))
			return sc_fail(err, SC_USAGE, "--type takes bounce, complaint, delivery, send, "
				       "reject, open, click, rendering-failure, delivery-delay or "
				       "subscription, not '%s'", word);
		q->types |= 1u << t;
		p += len + (p[len] == ',');
	}
	if (verb_since(args, &q->since, err))
		return SC_USAGE;
	return verb_limit(args, &q->limit, err);
}

static bool event_matches(const struct ses_event *e, const struct cache_event_query *q)
{
	const char *at = e->recipient ? strrchr(e->recipient, '@') : NULL;

	if (q->types && !(q->types & (1u << e->type)))
		return false;
	if (q->identity && (!e->identity || strcmp(q->identity, e->identity)))
		return false;
	return !q->rdomain || (at && !strcasecmp(at + 1, q->rdomain));
}

struct follow_ctx {
	struct core *core;
	const struct cache_event_query *q;
	struct buf line;
};

static void follow_rows(void *ud, const struct ses_events *rows)
{
	struct follow_ctx *f = ud;

	for (size_t i = 0; i < rows->n; i++) {
		cJSON *row;

		if (!event_matches(&rows->v[i], f->q) || !f->core->opt.emit)
			continue;
		row = event_json(&rows->v[i]);
		event_line(&rows->v[i], &f->line);
		f->core->opt.emit(f->core->opt.emit_ud, row, buf_str(&f->line));
		cJSON_Delete(row);
	}
}

/* Follow: long-poll the taps and hand each new row to the front-end until Ctrl-C. */
static enum sc_status follow(struct core *core, const struct verb_target *l,
			     const struct cache_event_query *q, struct sc_error *err)
{
	struct follow_ctx f = {core, q, BUF_INIT};
	struct events_drain_opts o = {.wait_s = 20, .max_receives = 1, .cancel = core->opt.interrupt,
				      .on_rows = follow_rows, .ud = &f};
	struct cache_tap *taps = NULL;
	size_t n = 0;
	enum sc_status st = cache_get_taps(l->cache, l->account, l->region, &taps, &n, err);

	cache_taps_free(taps, n);
	if (!st && !n) {
		sc_error_clear(err);
		st = sc_fail(err, SC_NOT_FOUND, "no tap in %s to follow: sesctl events tap --topic ARN",
			     l->region);
	}
	while (!st && !(core->opt.interrupt && *core->opt.interrupt)) {
		struct events_drain_report rep;

		st = events_drain(&l->ses.ctx, l->cache, l->account, &o, &rep, err);
		if (!st && rep.gone == rep.taps)
			st = sc_fail(err, SC_NOT_FOUND, "the tap queue on %s is gone: sesctl events "
				     "untap --topic %s, then tap again", rep.gone_topic, rep.gone_topic);
	}
	buf_free(&f.line);
	if (st == SC_CANCELLED || (core->opt.interrupt && *core->opt.interrupt))
		return SC_OK; /* Ctrl-C is how a follow is meant to end */
	return st;
}

static void count_top(cJSON *o, const char *key, const struct ses_events *evs, bool domains)
{
	struct events_tally top[5];
	size_t n = events_top(evs, domains, top, 5);
	cJSON *arr = cJSON_AddArrayToObject(o, key);

	for (size_t r = 0; r < n; r++) {
		cJSON *x = cJSON_CreateObject();

		jm_str(x, domains ? "domain" : "reason", top[r].key);
		cJSON_AddNumberToObject(x, "count", (double)top[r].n);
		cJSON_AddItemToArray(arr, x);
	}
}

/* events [--follow] [--type T,…] [--identity NAME] [--domain D] [--since 1h] [--limit N] */
enum sc_status verb_events(struct core *core, const struct verb_args *args,
			   struct verb_result *res, struct sc_error *err)
{
	struct cache_event_query q;
	struct ses_events evs = {0};
	struct verb_where w;
	struct verb_target l;
	struct events_drain_report rep = {0};
	bool online = !core->opt.offline;
	cJSON *o, *arr;
	enum sc_status st = event_query(args, &q, err);

	if (!st && verb_flag(args, "follow")) {
		if (!online)
			return sc_fail(err, SC_REFUSED, "refused: --follow reads the taps; drop --offline");
		st = verb_target_open(core, &l, err);
		return st ? st : follow(core, &l, &q, err);
	}
	if (!st && online) {
		struct events_drain_opts o_ = {.wait_s = 0, .cancel = core->opt.interrupt};

		st = verb_target_open(core, &l, err);
		if (!st)
			st = events_drain(&l.ses.ctx, l.cache, l.account, &o_, &rep, err);
	}
	if (!st)
		st = verb_where_open(core, &w, err);
	if (!st)
		st = cache_get_events(w.cache, w.account, w.region, &q, &evs, err);
	if (st)
		return st;
	if (rep.bad)
		verb_result_warn(res, "%zu message%s in the tap could not be read and stay in the "
				 "queue: %s", rep.bad, rep.bad == 1 ? "" : "s", rep.bad_reason);
	if (rep.gone)
		verb_result_warn(res, "the tap queue on %s is gone: sesctl events untap --topic %s, "
				 "then tap again", rep.gone_topic, rep.gone_topic);
	o = cJSON_CreateObject();
	jm_str(o, "region", w.region);
	cJSON_AddNumberToObject(o, "new", (double)rep.added);
	count_top(o, "top_bounce_reasons", &evs, false);
	count_top(o, "top_recipient_domains", &evs, true);
	arr = cJSON_AddArrayToObject(o, "events");
	for (size_t i = 0; i < evs.n; i++)
		cJSON_AddItemToArray(arr, event_json(&evs.v[i]));
	ses_events_free(&evs);
	res->json = o;
	res->array_key = "events";
	res->columns = event_columns;
	return SC_OK;
}

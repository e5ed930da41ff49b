/* The feedback routing audit (core/feedback.h has the rules). */
#include "sesctl/core/feedback.h"

#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/store/config_sets.h"
#include "sesctl/store/identities.h"
#include "sesctl/util/buf.h"

static const struct {
	const char *word, *glyph;
	int rank;
} verdicts[] = {
#define FB_VERDICT_ROW(id, word, glyph, rank) {word, glyph, rank},
    FB_VERDICTS(FB_VERDICT_ROW)
#undef FB_VERDICT_ROW
};

const char *fb_verdict_word(enum fb_verdict v)
{
	return v < FB_VERDICT_COUNT ? verdicts[v].word : "?";
}

const char *fb_verdict_glyph(enum fb_verdict v)
{
	return v < FB_VERDICT_COUNT ? verdicts[v].glyph : "?";
}

/* What one path found. */
enum path { PATH_NONE, PATH_LIVE, PATH_DEAD, PATH_UNKNOWN };

struct route_work {
	struct buf *words; /* the reason being written; NULL: verdicts only */
	bool live, unknown, dead;
};

static void say(struct route_work *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Sentences are "; "-joined and capped at FB_REASON_MAX - 1 bytes, as they always were. */
static void say(struct route_work *w, const char *fmt, ...)
{
	char line[FB_REASON_MAX];
	size_t room;
	va_list ap;

	if (!w->words || w->words->len + 3 >= FB_REASON_MAX)
		return;
	if (w->words->len)
		buf_puts(w->words, "; ");
	va_start(ap, fmt);
	vsnprintf(line, sizeof(line), fmt, ap);
	va_end(ap);
	room = FB_REASON_MAX - 1 - w->words->len;
	buf_append(w->words, line, strlen(line) < room ? strlen(line) : room);
}

static void found(struct route_work *w, enum path p)
{
	w->live |= p == PATH_LIVE;
	w->unknown |= p == PATH_UNKNOWN;
	w->dead |= p == PATH_DEAD;
}

static int topic_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct cache_topic *)elem)->arn);
}

static const struct cache_topic *topic_find(const struct fb_audit *a, const char *arn)
{
	if (!a->n_topics || !arn)
		return NULL;
	return bsearch(arn, a->topics, a->n_topics, sizeof(*a->topics), topic_cmp);
}

/* "name" or "name (account 210987654321)" when the topic is another account's. */
static void topic_label(const struct fb_audit *a, const char *arn, char *out, size_t size)
{
	const char *name = strrchr(arn, ':');
	char acct[13];

	name = name ? name + 1 : arn;
	if (sns_arn_account(arn, acct) && a->account_id[0] && strcmp(acct, a->account_id))
		snprintf(out, size, "%s (account %s)", name, acct);
	else
		snprintf(out, size, "%s", name);
}

static enum path topic_path(struct route_work *w, const struct fb_audit *a, const char *arn,
			    const char *via)
{
	const struct cache_topic *t = topic_find(a, arn);
	char label[200] = "";

	if (w->words) /* only words need the label */
		topic_label(a, arn, label, sizeof(label));
	if (!t || t->state == CACHE_TOPIC_UNCHECKED) {
		say(w, "%stopic %s not checked yet", via, label);
		return PATH_UNKNOWN;
	}
	switch (t->state) {
	case CACHE_TOPIC_NOT_FOUND:
		say(w, "%stopic %s no longer exists (deleted)", via, label);
		return PATH_DEAD;
	case CACHE_TOPIC_DENIED:
		say(w, "%stopic %s: access denied, its subscribers cannot be seen", via, label);
		return PATH_UNKNOWN;
	case CACHE_TOPIC_ERROR:
		say(w, "%stopic %s could not be checked: %s", via, label,
		    t->detail ? t->detail : "no reason given");
		return PATH_UNKNOWN;
	default:
		break;
	}
	if (t->confirmed > 0) {
		say(w, "%stopic %s, %ld confirmed subscriber%s%s%s%s", via, label, t->confirmed,
		    t->confirmed == 1 ? "" : "s", t->subscribers ? " (" : "",
		    t->subscribers ? t->subscribers : "", t->subscribers ? ")" : "");
		return PATH_LIVE;
	}
	if (t->confirmed < 0) {
		say(w, "%stopic %s: its subscriptions could not be counted", via, label);
		return PATH_UNKNOWN;
	}
	if (t->pending > 0)
		say(w, "%stopic %s: %ld subscription%s pending confirmation, none confirmed", via,
		    label, t->pending, t->pending == 1 ? "" : "s");
	else
		say(w, "%stopic %s has no subscribers", via, label);
	return PATH_DEAD;
}

static const struct ses_config_set *set_find(const struct fb_audit *a, const char *name)
{
	for (size_t i = 0; name && i < a->n_sets; i++)
		if (a->sets[i].name && !strcmp(a->sets[i].name, name))
			return &a->sets[i];
	return NULL;
}

static enum ses_event_type kind_event(enum ses_notif_kind k)
{
	return k == SES_NOTIF_BOUNCE ? SES_EVENT_BOUNCE
	       : k == SES_NOTIF_COMPLAINT ? SES_EVENT_COMPLAINT
					  : SES_EVENT_DELIVERY;
}

static void set_paths(struct route_work *w, const struct fb_audit *a, const char *set_name,
		      enum ses_notif_kind k)
{
	const struct ses_config_set *x = set_find(a, set_name);
	const char *what = ses_notif_name(k);
	char via[200] = "";
	bool any = false;

	if (!x || !x->dests_known) {
		say(w, "default configuration set %s not read yet", set_name);
		found(w, PATH_UNKNOWN);
		return;
	}
	if (w->words)
		snprintf(via, sizeof(via), "set %s → ", set_name);
	for (size_t i = 0; i < x->n_dests; i++) {
		const struct ses_event_dest *d = &x->dests[i];

		if (!(d->events & SES_EVENT_BIT(kind_event(k))))
			continue;
		any = true;
		if (!d->enabled) {
			say(w, "set %s: destination %s is disabled", set_name, d->name);
			continue;
		}
		switch (d->kind) {
		case SES_DEST_SNS:
			found(w, topic_path(w, a, d->arn, via));
			break;
		case SES_DEST_CLOUDWATCH:
			say(w, "set %s counts %ss in CloudWatch (numbers, not who)", set_name, what);
			break;
		case SES_DEST_FIREHOSE:
		case SES_DEST_EVENTBRIDGE:
		case SES_DEST_PINPOINT:
			say(w, "set %s exports %ss to %s (its consumer is not visible)", set_name,
			    what, ses_dest_name(d->kind));
			found(w, PATH_LIVE);
			break;
		default:
			say(w, "set %s: destination %s of an unknown kind", set_name, d->name);
			found(w, PATH_UNKNOWN);
			break;
		}
	}
	if (!any)
		say(w, "default set %s publishes no %s events", set_name, what);
}

static char *mailbox_of(const struct ses_identity *owner, const struct ses_identity *id)
{
	struct buf b = BUF_INIT;

	if (id->name && strchr(id->name, '@'))
		buf_puts(&b, id->name);
	else
		buf_printf(&b, "the Return-Path of each message (an address @%s)",
			   owner->name ? owner->name : "?");
	return buf_steal(&b);
}

static void route_verdict(const struct fb_audit *a, struct fb_identity *f,
			  const struct ses_identity *owner, enum ses_notif_kind k,
			  struct route_work *w)
{
	struct fb_route *r = &f->route[k];
	const struct ses_notif_attrs *at = f->attrs;
	bool forwarding;

	if (owner != f->id)
		say(w, "inherits %s's settings (the address is not verified on its own)", owner->name);
	if (!at) {
		say(w, "notification settings not read yet");
		r->verdict = FB_UNKNOWN;
		return;
	}
	if (at->topic[k])
		found(w, topic_path(w, a, at->topic[k], ""));
	if (owner->configuration_set && *owner->configuration_set)
		set_paths(w, a, owner->configuration_set, k);
	forwarding = k != SES_NOTIF_DELIVERY && at->forwarding;
	if (w->live)
		r->verdict = FB_OK;
	else if (w->unknown)
		r->verdict = FB_UNKNOWN;
	else if (forwarding)
		r->verdict = FB_MAILBOX_ONLY;
	else
		r->verdict = k == SES_NOTIF_DELIVERY ? FB_OFF : FB_NOWHERE;
	if (forwarding)
		say(w, "forwarded by email to %s", f->mailbox ? f->mailbox : "?");
	else if (k != SES_NOTIF_DELIVERY)
		say(w, "email forwarding off");
	if (!at->topic[k] && !(owner->configuration_set && *owner->configuration_set) &&
	    k != SES_NOTIF_DELIVERY)
		say(w, "no %s topic and no default configuration set", ses_notif_name(k));
}

/* The verdict of one feedback type; its reason too when worded. */
static void route_one(const struct fb_audit *a, struct fb_identity *f, const struct ses_identity *owner,
		      enum ses_notif_kind k, bool worded)
{
	struct fb_route *r = &f->route[k];
	struct buf words = BUF_INIT;
	struct route_work w = {worded ? &words : NULL, false, false, false};

	route_verdict(a, f, owner, k, &w);
	if (!worded) {
		r->reason = NULL;
		return;
	}
	if (k == SES_NOTIF_DELIVERY && r->verdict == FB_OFF) {
		buf_reset(&words);
		buf_puts(&words, "not published");
	}
	r->reason = buf_steal(&words);
}

static int attrs_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ses_notif_attrs *)elem)->identity);
}

static int id_cmp(const void *key, const void *elem)
{
	return strcmp(key, ((const struct ses_identity *)elem)->name);
}

const struct ses_identity *feedback_settings_owner(const struct ses_identity *ids, size_t n,
						   const struct ses_identity *id)
{
	const char *at = id->name ? strchr(id->name, '@') : NULL;

	if (!at || (id->verification_status && !strcmp(id->verification_status, "SUCCESS")))
		return id;
	for (const char *dom = at + 1; dom && *dom; dom = strchr(dom, '.') ? strchr(dom, '.') + 1 : NULL) {
		const struct ses_identity *d = bsearch(dom, ids, n, sizeof(*ids), id_cmp);

		if (d && d->verification_status && !strcmp(d->verification_status, "SUCCESS"))
			return d;
	}
	return id;
}

static enum fb_verdict worse(enum fb_verdict a, enum fb_verdict b)
{
	return verdicts[b].rank > verdicts[a].rank ? b : a;
}

/* Identity i's verdicts into f (reasons and mailbox too when worded). */
static void compute_one(const struct fb_audit *a, size_t i, struct fb_identity *f, bool worded)
{
	const struct ses_identity *owner = feedback_settings_owner(a->ids, a->n_ids, &a->ids[i]);

	f->id = &a->ids[i];
	f->settings_from = owner->name;
	f->attrs = a->n_attrs && owner->name
			   ? bsearch(owner->name, a->attrs, a->n_attrs, sizeof(*a->attrs), attrs_cmp)
			   : NULL;
	f->mailbox = worded && f->attrs && f->attrs->forwarding ? mailbox_of(owner, f->id) : NULL;
	for (int k = 0; k < SES_NOTIF_COUNT; k++)
		route_one(a, f, owner, (enum ses_notif_kind)k, worded);
	f->verdict = worse(f->route[SES_NOTIF_BOUNCE].verdict, f->route[SES_NOTIF_COMPLAINT].verdict);
}

void feedback_identity_clear(struct fb_identity *f)
{
	for (int k = 0; k < SES_NOTIF_COUNT; k++)
		free(f->route[k].reason);
	free(f->mailbox);
	memset(f, 0, sizeof(*f));
}

static void verdicts_free(struct fb_audit *a)
{
	for (size_t i = 0; a->v && a->worded && i < a->n; i++)
		feedback_identity_clear(&a->v[i]);
	free(a->v);
	a->v = NULL;
	a->n = 0;
}

void feedback_compute(struct fb_audit *a)
{
	verdicts_free(a);
	a->v = xcalloc(a->n_ids + 1, sizeof(*a->v));
	a->n = a->n_ids;
	memset(a->counts, 0, sizeof(a->counts));
	for (size_t i = 0; i < a->n_ids; i++) {
		compute_one(a, i, &a->v[i], a->worded);
		a->counts[a->v[i].verdict]++;
	}
}

void feedback_explain(const struct fb_audit *a, size_t i, struct fb_identity *out)
{
	memset(out, 0, sizeof(*out));
	if (i < a->n_ids)
		compute_one(a, i, out, true);
}

static int topic_sort(const void *x, const void *y)
{
	return strcmp(((const struct cache_topic *)x)->arn, ((const struct cache_topic *)y)->arn);
}

static int id_sort(const void *x, const void *y)
{
	return strcmp(((const struct ses_identity *)x)->name, ((const struct ses_identity *)y)->name);
}

static int attrs_sort(const void *x, const void *y)
{
	return strcmp(((const struct ses_notif_attrs *)x)->identity,
		      ((const struct ses_notif_attrs *)y)->identity);
}

/* A first screen's audit also needs the parent domains its addresses may inherit from
 * that sort after it: appended, so ids stays sorted. */
static enum sc_status head_parents(struct cache *c, const char *account_id, const char *region,
				   struct fb_audit *a, struct sc_error *err)
{
	const char *last = a->ids[a->n_head - 1].name;

	for (size_t i = 0; i < a->n_head; i++) {
		const char *at = a->ids[i].name ? strchr(a->ids[i].name, '@') : NULL;

		if (!at || (a->ids[i].verification_status &&
			    !strcmp(a->ids[i].verification_status, "SUCCESS")))
			continue;
		for (const char *dom = at + 1; dom && *dom;
		     dom = strchr(dom, '.') ? strchr(dom, '.') + 1 : NULL) {
			struct ses_identity x = {0};
			enum sc_status st;
			bool have = false;

			for (size_t j = a->n_head; j < a->n_ids && !have; j++)
				have = !strcmp(a->ids[j].name, dom);
			if (have || strcmp(dom, last) <= 0)
				continue;
			st = cache_get_identity(c, account_id, region, dom, &x, err);
			if (st == SC_NOT_FOUND)
				continue;
			if (st)
				return st;
			a->ids = xrealloc(a->ids, (a->n_ids + 1) * sizeof(*a->ids));
			a->ids[a->n_ids++] = x;
		}
	}
	if (a->n_ids > a->n_head)
		qsort(a->ids + a->n_head, a->n_ids - a->n_head, sizeof(*a->ids), id_sort);
	return SC_OK;
}

/* The notification settings of a first screen: its name range, and each parent's. */
static enum sc_status head_attrs(struct cache *c, const char *account_id, const char *region,
				 struct fb_audit *a, struct sc_error *err)
{
	enum sc_status st = cache_get_notif_attrs_range(c, account_id, region, a->ids[0].name,
							a->ids[a->n_head - 1].name, &a->attrs,
							&a->n_attrs, err);

	for (size_t j = a->n_head; !st && j < a->n_ids; j++) {
		struct ses_notif_attrs *more = NULL;
		size_t n = 0;

		st = cache_get_notif_attrs_range(c, account_id, region, a->ids[j].name,
						 a->ids[j].name, &more, &n, err);
		if (st || !n)
			continue;
		a->attrs = xrealloc(a->attrs, (a->n_attrs + n) * sizeof(*a->attrs));
		memcpy(a->attrs + a->n_attrs, more, n * sizeof(*more));
		a->n_attrs += n;
		free(more); /* its strings moved */
	}
	return st;
}

static enum sc_status load(struct cache *c, const char *account_id, const char *region,
			   bool worded, size_t limit, struct fb_audit *out, struct sc_error *err)
{
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	out->worded = worded;
	snprintf(out->account_id, sizeof(out->account_id), "%s", account_id ? account_id : "");
	/* one more than asked says whether more follow */
	st = cache_get_identities_brief(c, account_id, region, !worded, limit ? limit + 1 : 0,
					&out->ids, &out->n_ids, err);
	out->partial = !st && limit && out->n_ids > limit;
	if (out->partial)
		ses_identity_free(&out->ids[--out->n_ids]);
	out->n_head = out->n_ids;
	if (!st && out->partial)
		st = head_parents(c, account_id, region, out, err);
	if (!st && out->partial)
		st = head_attrs(c, account_id, region, out, err);
	else if (!st)
		st = cache_get_notif_attrs(c, account_id, region, &out->attrs, &out->n_attrs, err);
	if (!st)
		st = cache_get_topics(c, account_id, region, &out->topics, &out->n_topics, err);
	if (!st)
		st = cache_get_config_sets(c, account_id, region, &out->sets, &out->n_sets, err);
	if (!st)
		st = cache_kind_age(c, account_id, region, CACHE_KIND_FEEDBACK, &out->fetched, NULL, err);
	if (st) {
		feedback_audit_free(out);
		return st;
	}
	/* sqlite's ORDER BY is memcmp order; sort again so bsearch never depends on it */
	if (out->n_topics)
		qsort(out->topics, out->n_topics, sizeof(*out->topics), topic_sort);
	if (out->n_attrs)
		qsort(out->attrs, out->n_attrs, sizeof(*out->attrs), attrs_sort);
	feedback_compute(out);
	return SC_OK;
}

enum sc_status feedback_load(struct cache *c, const char *account_id, const char *region,
			     struct fb_audit *out, struct sc_error *err)
{
	return load(c, account_id, region, true, 0, out, err);
}

enum sc_status feedback_load_verdicts(struct cache *c, const char *account_id, const char *region,
				      size_t limit, struct fb_audit *out, struct sc_error *err)
{
	return load(c, account_id, region, false, limit, out, err);
}

void feedback_audit_free(struct fb_audit *a)
{
	if (!a)
		return;
	ses_identities_free(a->ids, a->n_ids);
	cache_notif_attrs_free(a->attrs, a->n_attrs);
	cache_topics_free(a->topics, a->n_topics);
	cache_config_sets_free(a->sets, a->n_sets);
	verdicts_free(a);
	memset(a, 0, sizeof(*a));
}

const struct fb_identity *feedback_find(const struct fb_audit *a, const char *identity)
{
	const struct ses_identity *id;

	if (!a->n_ids || !identity)
		return NULL;
	id = bsearch(identity, a->ids, a->n_ids, sizeof(*a->ids), id_cmp);
	return id ? &a->v[id - a->ids] : NULL;
}

static void add_unique(const char ***v, size_t *n, size_t *cap, const char *s)
{
	if (!s || !*s)
		return;
	for (size_t i = 0; i < *n; i++)
		if (!strcmp((*v)[i], s))
			return;
	if (*n == *cap) {
		*cap = *cap ? *cap * 2 : 16;
		*v = xrealloc(*v, *cap * sizeof(**v));
	}
	(*v)[(*n)++] = s;
}

const char **feedback_topics_needed(const struct ses_notif_attrs *attrs, size_t n_attrs,
				    const struct ses_config_set *sets, size_t n_sets, size_t *n)
{
	const char **v = NULL;
	size_t cap = 0;

	*n = 0;
	for (size_t i = 0; i < n_attrs; i++)
		for (int k = 0; k < SES_NOTIF_COUNT; k++)
			add_unique(&v, n, &cap, attrs[i].topic[k]);
	for (size_t i = 0; i < n_sets; i++)
		for (size_t j = 0; j < sets[i].n_dests; j++)
			if (sets[i].dests[j].kind == SES_DEST_SNS && sets[i].dests[j].enabled)
				add_unique(&v, n, &cap, sets[i].dests[j].arn);
	return v;
}

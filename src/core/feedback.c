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
	struct fb_route *out;
	bool live, unknown, dead;
};

static void say(struct route_work *w, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

static void say(struct route_work *w, const char *fmt, ...)
{
	size_t len = strlen(w->out->reason);
	va_list ap;

	if (len + 3 >= sizeof(w->out->reason))
		return;
	if (len) {
		memcpy(w->out->reason + len, "; ", 3);
		len += 2;
	}
	va_start(ap, fmt);
	vsnprintf(w->out->reason + len, sizeof(w->out->reason) - len, fmt, ap);
	va_end(ap);
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
	char label[200];

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
	char via[200];
	bool any = false;

	if (!x || !x->dests_known) {
		say(w, "default configuration set %s not read yet", set_name);
		found(w, PATH_UNKNOWN);
		return;
	}
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

static void mailbox_of(const struct ses_identity *owner, const struct ses_identity *id, char *out,
		       size_t size)
{
	if (id->name && strchr(id->name, '@'))
		snprintf(out, size, "%s", id->name);
	else
		snprintf(out, size, "the Return-Path of each message (an address @%s)",
			 owner->name ? owner->name : "?");
}

static void route_one(const struct fb_audit *a, struct fb_identity *f, const struct ses_identity *owner,
		      enum ses_notif_kind k)
{
	struct fb_route *r = &f->route[k];
	struct route_work w = {r, false, false, false};
	const struct ses_notif_attrs *at = f->attrs;
	bool forwarding;

	r->reason[0] = '\0';
	if (owner != f->id)
		say(&w, "inherits %s's settings (the address is not verified on its own)", owner->name);
	if (!at) {
		say(&w, "notification settings not read yet");
		r->verdict = FB_UNKNOWN;
		return;
	}
	if (at->topic[k])
		found(&w, topic_path(&w, a, at->topic[k], ""));
	if (owner->configuration_set && *owner->configuration_set)
		set_paths(&w, a, owner->configuration_set, k);
	forwarding = k != SES_NOTIF_DELIVERY && at->forwarding;
	if (w.live)
		r->verdict = FB_OK;
	else if (w.unknown)
		r->verdict = FB_UNKNOWN;
	else if (forwarding)
		r->verdict = FB_MAILBOX_ONLY;
	else
		r->verdict = k == SES_NOTIF_DELIVERY ? FB_OFF : FB_NOWHERE;
	if (forwarding)
		say(&w, "forwarded by email to %s", f->mailbox);
	else if (k != SES_NOTIF_DELIVERY)
		say(&w, "email forwarding off");
	if (!at->topic[k] && !(owner->configuration_set && *owner->configuration_set) &&
	    k != SES_NOTIF_DELIVERY)
		say(&w, "no %s topic and no default configuration set", ses_notif_name(k));
	if (k == SES_NOTIF_DELIVERY && r->verdict == FB_OFF)
		snprintf(r->reason, sizeof(r->reason), "not published");
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

void feedback_compute(struct fb_audit *a)
{
	free(a->v);
	a->v = xcalloc(a->n_ids + 1, sizeof(*a->v));
	a->n = a->n_ids;
	memset(a->counts, 0, sizeof(a->counts));
	for (size_t i = 0; i < a->n_ids; i++) {
		struct fb_identity *f = &a->v[i];
		const struct ses_identity *owner = feedback_settings_owner(a->ids, a->n_ids, &a->ids[i]);

		f->id = &a->ids[i];
		f->settings_from = owner->name;
		f->attrs = a->n_attrs && owner->name
				   ? bsearch(owner->name, a->attrs, a->n_attrs, sizeof(*a->attrs), attrs_cmp)
				   : NULL;
		if (f->attrs && f->attrs->forwarding)
			mailbox_of(owner, f->id, f->mailbox, sizeof(f->mailbox));
		for (int k = 0; k < SES_NOTIF_COUNT; k++)
			route_one(a, f, owner, (enum ses_notif_kind)k);
		f->verdict = worse(f->route[SES_NOTIF_BOUNCE].verdict,
				   f->route[SES_NOTIF_COMPLAINT].verdict);
		a->counts[f->verdict]++;
	}
}

static int topic_sort(const void *x, const void *y)
{
	return strcmp(((const struct cache_topic *)x)->arn, ((const struct cache_topic *)y)->arn);
}

static int attrs_sort(const void *x, const void *y)
{
	return strcmp(((const struct ses_notif_attrs *)x)->identity,
		      ((const struct ses_notif_attrs *)y)->identity);
}

enum sc_status feedback_load(struct cache *c, const char *account_id, const char *region,
			     struct fb_audit *out, struct sc_error *err)
{
	enum sc_status st;

	memset(out, 0, sizeof(*out));
	snprintf(out->account_id, sizeof(out->account_id), "%s", account_id ? account_id : "");
	st = cache_get_identities(c, account_id, region, &out->ids, &out->n_ids, err);
	if (!st)
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

void feedback_audit_free(struct fb_audit *a)
{
	if (!a)
		return;
	ses_identities_free(a->ids, a->n_ids);
	cache_notif_attrs_free(a->attrs, a->n_attrs);
	cache_topics_free(a->topics, a->n_topics);
	cache_config_sets_free(a->sets, a->n_sets);
	free(a->v);
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

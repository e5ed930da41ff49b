/* Configuration sets: the list with per-stream rates, one set in full, create/delete, every
 * option block, event destinations. Changes read the set back from SES and cache it. */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/ses/history.h"
#include "sesctl/core/streams.h"
#include "sesctl/dns/name.h"
#include "sesctl/ses/config_sets.h"
#include "sesctl/store/config_sets.h"
#include "sesctl/store/identities.h"
#include "sesctl/util/buf.h"
#include "verbs_impl.h"

/* ---- the set as JSON ---- */

static void rate_json(cJSON *o, const char *key, const char *text_key, bool known, double v,
		      int digits)
{
	char t[32];

	if (!known) {
		cJSON_AddNullToObject(o, key);
		jm_str(o, text_key, NULL);
		return;
	}
	cJSON_AddNumberToObject(o, key, v);
	snprintf(t, sizeof(t), "%.*f %%", digits, 100 * v);
	jm_str(o, text_key, t);
}

static cJSON *dest_json(const struct ses_event_dest *d)
{
	cJSON *o = cJSON_CreateObject(), *ev = cJSON_AddArrayToObject(o, "events");

	jm_str(o, "name", d->name);
	cJSON_AddBoolToObject(o, "enabled", d->enabled);
	jm_str(o, "kind", ses_dest_name(d->kind));
	for (int t = 0; t < SES_EVENT_COUNT; t++)
		if (d->events & SES_EVENT_BIT(t))
			cJSON_AddItemToArray(ev, cJSON_CreateString(ses_event_name((enum ses_event_type)t)));
	for (size_t i = 0; i < d->n_unknown_events; i++)
		cJSON_AddItemToArray(ev, cJSON_CreateString(d->unknown_events[i]));
	if (d->kind == SES_DEST_CLOUDWATCH) {
		struct buf b = BUF_INIT;

		for (size_t i = 0; i < d->n_dims; i++)
			buf_printf(&b, "%s%s=%s:%s", i ? " " : "", d->dims[i].name,
				   d->dims[i].source ? d->dims[i].source : "?",
				   d->dims[i].default_value ? d->dims[i].default_value : "");
		jm_str(o, "target", buf_str(&b));
		buf_free(&b);
	} else {
		jm_str(o, "target", d->arn);
	}
	if (d->role_arn)
		jm_str(o, "role", d->role_arn);
	return o;
}

static const char *feedback_word(const struct stream *s)
{
	if (s->no_bounce_dest && s->no_complaint_dest)
		return "no bounce or complaint destination";
	if (s->no_bounce_dest)
		return "no bounce destination";
	if (s->no_complaint_dest)
		return "no complaint destination";
	return "ok";
}

/* The row of `config-sets` and the head of `config-set show`. */
static cJSON *stream_json(const struct stream *s, bool full)
{
	const struct ses_config_set *c = &s->set;
	cJSON *o = cJSON_CreateObject();
	char dests[256];

	jm_str(o, "name", c->name);
	cJSON_AddBoolToObject(o, "sending_enabled", c->sending_enabled);
	jm_str(o, "sending", c->sending_enabled ? "enabled" : "PAUSED");
	rate_json(o, "bounce_rate", "bounce", s->has_rates, s->bounce_rate, 1);
	rate_json(o, "complaint_rate", "complaint", s->has_rates, s->complaint_rate, 2);
	jm_time(o, "rate_at", s->has_rates ? s->rate_ts : 0);
	cJSON_AddBoolToObject(o, "reputation_metrics", c->reputation_metrics_enabled);
	if (!c->reputation_metrics_enabled) {
		char note[160];

		snprintf(note, sizeof(note), STREAMS_NO_RATES_HINT, c->name);
		jm_str(o, "rates_note", note);
	}
	jm_str(o, "tls_policy", c->tls_policy ? c->tls_policy : "OPTIONAL");
	jm_str(o, "sending_pool", c->sending_pool);
	streams_dest_summary(c, dests, sizeof(dests));
	jm_str(o, "destinations", c->n_dests ? dests : NULL);
	cJSON_AddNumberToObject(o, "destination_count", (double)c->n_dests);
	jm_str(o, "feedback", c->dests_known ? feedback_word(s) : "unknown");
	if (s->has_counts) {
		cJSON_AddNumberToObject(o, "sends_24h", s->sends_24h);
		cJSON_AddNumberToObject(o, "bounces_24h", s->bounces_24h);
		cJSON_AddNumberToObject(o, "complaints_24h", s->complaints_24h);
	}
	if (!full) {
		jm_time(o, "fetched", c->fetched);
		return o;
	}
	if (c->max_delivery_seconds)
		cJSON_AddNumberToObject(o, "max_delivery_seconds", (double)c->max_delivery_seconds);
	else
		cJSON_AddNullToObject(o, "max_delivery_seconds");
	jm_time(o, "last_fresh_start", c->last_fresh_start);
	jm_str(o, "tracking_domain", c->tracking_domain);
	jm_str(o, "https_policy", c->https_policy);
	if (c->suppression_set) {
		cJSON *r = cJSON_AddArrayToObject(o, "suppressed_reasons");

		for (size_t i = 0; i < c->n_suppressed_reasons; i++)
			cJSON_AddItemToArray(r, cJSON_CreateString(c->suppressed_reasons[i]));
	} else {
		jm_str(o, "suppressed_reasons", "the account's");
	}
	jm_str(o, "auto_validation", c->validation_enabled);
	jm_str(o, "auto_validation_threshold", c->validation_threshold);
	jm_str(o, "vdm_engagement_metrics", c->vdm_engagement ? c->vdm_engagement : "the account's");
	jm_str(o, "vdm_optimized_delivery",
	       c->vdm_optimized_delivery ? c->vdm_optimized_delivery : "the account's");
	jm_str(o, "archive_arn", c->archive_arn);
	if (c->n_tags) {
		cJSON *t = cJSON_AddObjectToObject(o, "tags");

		for (size_t i = 0; i < c->n_tags; i++)
			cJSON_AddStringToObject(t, c->tags[i].key, c->tags[i].value ? c->tags[i].value : "");
	}
	jm_time(o, "fetched", c->fetched);
	cJSON *arr = cJSON_AddArrayToObject(o, "event_destinations");
	for (size_t i = 0; i < c->n_dests; i++)
		cJSON_AddItemToArray(arr, dest_json(&c->dests[i]));
	return o;
}

static const char *const list_columns[] = {"name", "sending", "bounce", "complaint",
					   "reputation_metrics", "tls_policy", "sending_pool",
					   "destinations", "feedback", NULL};
static const char *const dest_columns[] = {"name", "enabled", "kind", "events", "target", NULL};

/* The sets and their rates, read again when stale (metrics after the sets: they are read
 * per set). */
static enum sc_status ensure_streams(struct core *core, const struct verb_where *w, bool force,
				     struct sc_error *err)
{
	enum sc_status st = verb_ensure_kind(core, w, SYNC_CONFIG_SETS, force, err);

	if (!st)
		st = verb_ensure_kind(core, w, SYNC_METRICS, force, err);
	return st;
}

static enum sc_status load_streams(struct core *core, const struct verb_where *w, bool force,
				   struct streams *out, struct sc_error *err)
{
	enum sc_status st = ensure_streams(core, w, force, err);

	if (!st)
		st = streams_load(w->cache, w->account, w->region, 0, out, err);
	return st;
}

enum sc_status verb_config_sets(struct core *core, const struct verb_args *args,
				struct verb_result *res, struct sc_error *err)
{
	struct streams s = {0};
	struct verb_where w;
	enum sc_status st = verb_where_open(core, &w, err);
	cJSON *arr;

	if (!st)
		st = load_streams(core, &w, verb_flag(args, "refresh"), &s, err);
	if (st)
		return st;
	arr = cJSON_CreateArray();
	for (size_t i = 0; i < s.n; i++)
		if (!args->argc || !strcmp(s.v[i].set.name, args->argv[0]))
			cJSON_AddItemToArray(arr, stream_json(&s.v[i], false));
	streams_free(&s);
	if (args->argc && !cJSON_GetArraySize(arr)) {
		cJSON_Delete(arr);
		return sc_fail(err, SC_NOT_FOUND, "no configuration set named %s in %s",
			       args->argv[0], w.region);
	}
	res->json = arr;
	res->columns = list_columns;
	return SC_OK;
}

/* Names of the cached identities whose default set is `set`; null when identities were
 * never read into this cache (unknown, not "none"). */
static cJSON *identities_using(struct cache *c, const char *account, const char *region,
			       const char *set)
{
	char **v = NULL;
	size_t n = 0;
	time_t fetched = 0;
	cJSON *arr;

	cache_kind_age(c, account, region, CACHE_KIND_IDENTITIES, &fetched, NULL, NULL);
	if (!fetched)
		return cJSON_CreateNull();
	arr = cJSON_CreateArray();
	if (cache_identities_using_set(c, account, region, set, &v, &n, NULL) != SC_OK)
		return arr;
	for (size_t i = 0; i < n; i++) {
		cJSON_AddItemToArray(arr, cJSON_CreateString(v[i]));
		free(v[i]);
	}
	free(v);
	return arr;
}

static enum sc_status show_set(const struct verb_where *w, const char *name,
			       struct verb_result *res, struct sc_error *err)
{
	struct streams s = {0};
	const struct stream *x;
	enum sc_status st = streams_load(w->cache, w->account, w->region, 0, &s, err);

	if (st)
		return st;
	x = streams_find(&s, name);
	if (!x) {
		streams_free(&s);
		return sc_fail(err, SC_NOT_FOUND, "no configuration set named %s in %s", name,
			       w->region);
	}
	res->json = stream_json(x, true);
	cJSON_AddItemToObject(res->json, "default_for",
			      identities_using(w->cache, w->account, w->region, name));
	res->array_key = "event_destinations";
	res->columns = dest_columns;
	streams_free(&s);
	return SC_OK;
}

/* Read one set in full from SES into the cache (the read-back after a change). */
static enum sc_status reread_set(struct verb_target *t, const char *name, struct verb_result *res,
				 struct sc_error *err)
{
	struct ses_config_set cs = {0};
	struct sc_error cerr;
	struct verb_where w = {t->region, t->account, t->cache};
	enum sc_status st = sesv2_get_config_set_full(&t->ses.ctx, name, &cs, err);

	if (st)
		return st;
	cs.fetched = time(NULL);
	sc_error_clear(&cerr);
	if (cache_put_config_set(t->cache, t->account, t->region, &cs, &cerr) != SC_OK) {
		verb_result_warn(res, "the change was made, but the cache could not keep it: %s",
				 cerr.message);
		res->json = stream_json(&(struct stream){.set = cs}, true);
		res->array_key = "event_destinations";
		res->columns = dest_columns;
		ses_config_set_free(&cs);
		return SC_OK;
	}
	ses_config_set_free(&cs);
	return show_set(&w, name, res, err);
}

enum sc_status verb_config_set_show(struct core *core, const struct verb_args *args,
				    struct verb_result *res, struct sc_error *err)
{
	struct verb_where w;
	enum sc_status st = verb_where_open(core, &w, err);
	cJSON *paused;

	if (!st) /* default_for comes from the identities as cached: no identity sync for it */
		st = ensure_streams(core, &w, verb_flag(args, "refresh"), err);
	if (!st)
		st = show_set(&w, args->argv[0], res, err);
	if (st)
		return st;
	paused = cJSON_GetObjectItemCaseSensitive(res->json, "sending_enabled");
	verb_add_last_change(core, &w, res->json, CT_RES_CONFIG_SET, args->argv[0],
			     cJSON_IsFalse(paused));
	verb_add_tenants(&w, res->json, "configuration-set/", args->argv[0]);
	return SC_OK;
}

/* ---- options of create and set ---- */

static enum sc_status on_off_opt(const char *opt, const char *v, bool *out, struct sc_error *err)
{
	if (!strcmp(v, "on"))
		*out = true;
	else if (!strcmp(v, "off"))
		*out = false;
	else
		return sc_fail(err, SC_USAGE, "--%s must be on or off, not '%s'", opt, v);
	return SC_OK;
}

static void set_str(char **field, const char *v)
{
	free(*field);
	*field = v ? xstrdup(v) : NULL;
}

/* on|off|account → ENABLED|DISABLED|NULL (the account's setting) */
static enum sc_status vdm_opt(const char *opt, const char *v, char **field, struct sc_error *err)
{
	if (!strcmp(v, "account")) {
		set_str(field, NULL);
		return SC_OK;
	}
	bool on;
	enum sc_status st = on_off_opt(opt, v, &on, err);

	if (st)
		return sc_fail(err, SC_USAGE, "--%s must be on, off or account, not '%s'", opt, v);
	set_str(field, on ? "ENABLED" : "DISABLED");
	return SC_OK;
}

static enum sc_status opt_tls(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	if (strcasecmp(v, "require") && strcasecmp(v, "optional"))
		return sc_fail(err, SC_USAGE, "--tls must be require or optional, not '%s'", v);
	set_str(&cs->tls_policy, !strcasecmp(v, "require") ? "REQUIRE" : "OPTIONAL");
	return SC_OK;
}

static enum sc_status opt_pool(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	if (!strcmp(v, "none")) {
		set_str(&cs->sending_pool, NULL);
		return SC_OK;
	}
	for (const char *p = v; *p; p++)
		if (!isalnum((unsigned char)*p) && *p != '-' && *p != '_')
			return sc_fail(err, SC_USAGE, "'%s' is not a dedicated pool name", v);
	if (!*v || strlen(v) > 64)
		return sc_fail(err, SC_USAGE, "a dedicated pool name has 1 to 64 characters");
	set_str(&cs->sending_pool, v);
	return SC_OK;
}

static enum sc_status opt_max_delivery(struct ses_config_set *cs, const char *v,
				       struct sc_error *err)
{
	char *end;
	long n;

	if (!strcmp(v, "default")) {
		cs->max_delivery_seconds = 0;
		return SC_OK;
	}
	errno = 0;
	n = strtol(v, &end, 10);
	if (errno || end == v || *end || n < 300 || n > 50400)
		return sc_fail(err, SC_USAGE,
			       "--max-delivery is seconds from 300 to 50400 (5 minutes to 14 hours) "
			       "or default, not '%s'", v);
	cs->max_delivery_seconds = n;
	return SC_OK;
}

static enum sc_status opt_reputation(struct ses_config_set *cs, const char *v,
				     struct sc_error *err)
{
	return on_off_opt("reputation-metrics", v, &cs->reputation_metrics_enabled, err);
}

static enum sc_status opt_suppress(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	bool bounce = false, complaint = false;
	char *copy = xstrdup(v), *save = NULL;

	for (char *w = strtok_r(copy, ",", &save); w; w = strtok_r(NULL, ",", &save)) {
		if (!strcasecmp(w, "bounce"))
			bounce = true;
		else if (!strcasecmp(w, "complaint"))
			complaint = true;
		else if (strcasecmp(w, "none")) {
			free(copy);
			return sc_fail(err, SC_USAGE, "--suppress takes bounce, complaint, "
						      "bounce,complaint or none, not '%s'", v);
		}
	}
	free(copy);
	for (size_t i = 0; i < cs->n_suppressed_reasons; i++)
		free(cs->suppressed_reasons[i]);
	free(cs->suppressed_reasons);
	cs->suppressed_reasons = xcalloc(3, sizeof(char *));
	cs->n_suppressed_reasons = 0;
	if (bounce)
		cs->suppressed_reasons[cs->n_suppressed_reasons++] = xstrdup("BOUNCE");
	if (complaint)
		cs->suppressed_reasons[cs->n_suppressed_reasons++] = xstrdup("COMPLAINT");
	cs->suppression_set = true;
	return SC_OK;
}

static enum sc_status opt_validation(struct ses_config_set *cs, const char *v,
				     struct sc_error *err)
{
	static const char *const levels[] = {"medium", "high", "managed"};

	if (!strcmp(v, "off")) {
		set_str(&cs->validation_enabled, "DISABLED");
		set_str(&cs->validation_threshold, NULL);
		return SC_OK;
	}
	for (size_t i = 0; i < 3; i++) {
		if (strcasecmp(v, levels[i]))
			continue;
		char up[16];

		for (size_t k = 0; k <= strlen(levels[i]); k++)
			up[k] = (char)toupper((unsigned char)levels[i][k]);
		set_str(&cs->validation_enabled, "ENABLED");
		set_str(&cs->validation_threshold, up);
		cs->suppression_set = true;
		return SC_OK;
	}
	return sc_fail(err, SC_USAGE, "--auto-validation must be off, medium, high or managed, "
				      "not '%s'", v);
}

static enum sc_status opt_tracking(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	struct dns_name n = {0};
	enum sc_status st;

	if (!strcmp(v, "none")) {
		set_str(&cs->tracking_domain, NULL);
		set_str(&cs->https_policy, NULL);
		return SC_OK;
	}
	st = dns_name_normalize(v, 0, &n, err);
	if (st)
		return st;
	set_str(&cs->tracking_domain, n.alabel);
	dns_name_free(&n);
	return SC_OK;
}

static enum sc_status opt_https(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	if (!strcasecmp(v, "require"))
		set_str(&cs->https_policy, "REQUIRE");
	else if (!strcasecmp(v, "require-open-only"))
		set_str(&cs->https_policy, "REQUIRE_OPEN_ONLY");
	else if (!strcasecmp(v, "optional"))
		set_str(&cs->https_policy, "OPTIONAL");
	else
		return sc_fail(err, SC_USAGE, "--https must be require, require-open-only or "
					      "optional, not '%s'", v);
	return SC_OK;
}

static enum sc_status opt_engagement(struct ses_config_set *cs, const char *v,
				     struct sc_error *err)
{
	return vdm_opt("vdm-engagement", v, &cs->vdm_engagement, err);
}

static enum sc_status opt_optimized(struct ses_config_set *cs, const char *v,
				    struct sc_error *err)
{
	return vdm_opt("vdm-optimized-delivery", v, &cs->vdm_optimized_delivery, err);
}

/* arn:aws:ses:REGION:ACCOUNT:mailmanager-archive/a-[a-z0-9]{24,62} */
static enum sc_status opt_archive(struct ses_config_set *cs, const char *v, struct sc_error *err)
{
	const char *p = strstr(v, ":mailmanager-archive/a-");
	size_t n = p ? strlen(p + 23) : 0;

	if (!strcmp(v, "none")) {
		set_str(&cs->archive_arn, NULL);
		return SC_OK;
	}
	if (strncmp(v, "arn:aws", 7) || !strstr(v, ":ses:") || !p || n < 24 || n > 62 ||
	    strspn(p + 23, "abcdefghijklmnopqrstuvwxyz0123456789") != n)
		return sc_fail(err, SC_USAGE, "--archive takes a Mail Manager archive ARN "
					      "(arn:aws:ses:REGION:ACCOUNT:mailmanager-archive/a-…) "
					      "or none, not '%s'", v);
	set_str(&cs->archive_arn, v);
	return SC_OK;
}

static const struct {
	const char *opt;
	enum ses_cs_block block;
	enum sc_status (*apply)(struct ses_config_set *cs, const char *v, struct sc_error *err);
} set_opts[] = {
	{"tls", SES_CS_DELIVERY, opt_tls},
	{"pool", SES_CS_DELIVERY, opt_pool},
	{"max-delivery", SES_CS_DELIVERY, opt_max_delivery},
	{"reputation-metrics", SES_CS_REPUTATION, opt_reputation},
	{"suppress", SES_CS_SUPPRESSION, opt_suppress},
	{"auto-validation", SES_CS_SUPPRESSION, opt_validation},
	{"tracking-domain", SES_CS_TRACKING, opt_tracking},
	{"https", SES_CS_TRACKING, opt_https},
	{"vdm-engagement", SES_CS_VDM, opt_engagement},
	{"vdm-optimized-delivery", SES_CS_VDM, opt_optimized},
	{"archive", SES_CS_ARCHIVING, opt_archive},
};

/* Apply the given options to cs; *blocks gets the bit of each block touched. */
static enum sc_status apply_options(const struct verb_args *args, struct ses_config_set *cs,
				    unsigned *blocks, bool whole, struct sc_error *err)
{
	*blocks = 0;
	for (size_t i = 0; i < sizeof(set_opts) / sizeof(set_opts[0]); i++) {
		const char *v = verb_opt(args, set_opts[i].opt);
		enum sc_status st;

		if (!v)
			continue;
		st = set_opts[i].apply(cs, v, err);
		if (st)
			return st;
		*blocks |= 1u << set_opts[i].block;
	}
	if (whole && cs->https_policy && !cs->tracking_domain)
		return sc_fail(err, SC_USAGE, "--https applies to a custom tracking domain: give "
					      "--tracking-domain too");
	return SC_OK;
}

/* --tag KEY=VALUE and --untag KEY, every one given, checked before any request. */
struct tag_change {
	struct ses_tag *tags;
	size_t n_tags;
	char **keys;
	size_t n_keys;
};

static void tag_change_free(struct tag_change *t)
{
	for (size_t i = 0; i < t->n_tags; i++) {
		free(t->tags[i].key);
		free(t->tags[i].value);
	}
	free(t->tags);
	free(t->keys); /* borrowed strings */
	memset(t, 0, sizeof(*t));
}

static enum sc_status tag_options(const struct verb_args *args, struct tag_change *t,
				  struct sc_error *err)
{
	enum sc_status st = SC_OK;

	memset(t, 0, sizeof(*t));
	for (size_t i = 0; i < args->n_opts && !st; i++) {
		const char *v = args->opts[i].value, *eq;

		if (!strcmp(args->opts[i].name, "untag")) {
			t->keys = xrealloc(t->keys, (t->n_keys + 1) * sizeof(char *));
			t->keys[t->n_keys++] = (char *)v;
			st = ses_tag_check(v, NULL, err);
			continue;
		}
		if (strcmp(args->opts[i].name, "tag"))
			continue;
		eq = strchr(v, '=');
		if (!eq) {
			st = sc_fail(err, SC_USAGE, "--tag takes KEY=VALUE, not '%s'", v);
			break;
		}
		t->tags = xrealloc(t->tags, (t->n_tags + 1) * sizeof(*t->tags));
		t->tags[t->n_tags].key = xstrndup(v, (size_t)(eq - v));
		t->tags[t->n_tags++].value = xstrdup(eq + 1);
		st = ses_tag_check(t->tags[t->n_tags - 1].key, eq + 1, err);
	}
	if (st)
		tag_change_free(t);
	return st;
}

enum sc_status verb_config_set_create(struct core *core, const struct verb_args *args,
				      struct verb_result *res, struct sc_error *err)
{
	struct ses_config_set cs = {.sending_enabled = true};
	struct tag_change tc = {0};
	struct verb_target t;
	unsigned blocks;
	enum sc_status st = ses_config_set_name_check(args->argv[0], err);

	cs.name = xstrdup(args->argv[0]);
	if (!st)
		st = apply_options(args, &cs, &blocks, true, err);
	if (!st)
		st = tag_options(args, &tc, err);
	if (!st && tc.n_keys)
		st = sc_fail(err, SC_USAGE, "--untag applies to config-set set; a new set has no tags");
	if (!st) { /* the tags go with the create: borrowed until cs is freed below */
		cs.tags = tc.tags;
		cs.n_tags = tc.n_tags;
	}
	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st)
		st = sesv2_create_config_set(&t.ses.ctx, &cs, err);
	cs.tags = NULL;
	cs.n_tags = 0;
	ses_config_set_free(&cs);
	tag_change_free(&tc);
	return st ? st : reread_set(&t, args->argv[0], res, err);
}

enum sc_status verb_config_set_set(struct core *core, const struct verb_args *args,
				   struct verb_result *res, struct sc_error *err)
{
	struct ses_config_set cs = {0};
	struct tag_change tc = {0};
	struct verb_target t;
	unsigned blocks = 0;
	char arn[256];
	/* the values first, on a scratch copy: a bad one is refused before any request */
	enum sc_status st = apply_options(args, &cs, &blocks, false, err);

	ses_config_set_free(&cs);
	if (!st)
		st = tag_options(args, &tc, err);
	if (!st && !blocks && !tc.n_tags && !tc.n_keys)
		st = sc_fail(err, SC_USAGE, "say what to change: --tls, --pool, --max-delivery, "
					    "--reputation-metrics, --suppress, --auto-validation, "
					    "--tracking-domain, --https, --vdm-engagement, "
					    "--vdm-optimized-delivery, --archive, --tag or --untag");
	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st)
		st = sesv2_get_config_set(&t.ses.ctx, args->argv[0], &cs, err);
	if (!st) {
		sc_error_clear(err); /* what follows is about the input, not that call */
		st = apply_options(args, &cs, &blocks, true, err);
	}
	for (int b = 0; !st && b < SES_CS_BLOCKS; b++)
		if (blocks & (1u << b))
			st = sesv2_put_config_set_block(&t.ses.ctx, &cs, (enum ses_cs_block)b, err);
	if (!st && (tc.n_keys || tc.n_tags))
		ses_config_set_arn(arn, sizeof(arn), t.region, t.account, args->argv[0]);
	if (!st && tc.n_keys)
		st = sesv2_untag_resource(&t.ses.ctx, arn, tc.keys, tc.n_keys, err);
	if (!st && tc.n_tags)
		st = sesv2_tag_resource(&t.ses.ctx, arn, tc.tags, tc.n_tags, err);
	ses_config_set_free(&cs);
	tag_change_free(&tc);
	return st ? st : reread_set(&t, args->argv[0], res, err);
}

enum sc_status verb_config_set_delete(struct core *core, const struct verb_args *args,
				      struct verb_result *res, struct sc_error *err)
{
	const char *name = args->argv[0];
	struct ses_config_set cs = {0};
	struct verb_target t;
	cJSON *users;
	enum sc_status st = verb_target_open(core, &t, err);

	if (!st)
		st = sesv2_get_config_set(&t.ses.ctx, name, &cs, err); /* fresh: it must exist */
	ses_config_set_free(&cs);
	if (!st)
		st = sesv2_delete_config_set(&t.ses.ctx, name, err);
	if (st)
		return st;
	if (cache_delete_config_set(t.cache, t.account, t.region, name, NULL) != SC_OK)
		verb_result_warn(res, "the cache still lists %s until the next sync", name);
	users = identities_using(t.cache, t.account, t.region, name);
	if (cJSON_IsArray(users) && cJSON_GetArraySize(users))
		verb_result_warn(res, "%d identities named %s as their default configuration set "
				      "(sesctl config-set show lists them before a delete; "
				      "sesctl identity config-set NAME SET changes one)",
				 cJSON_GetArraySize(users), name);
	res->json = cJSON_CreateObject();
	jm_str(res->json, "deleted", name);
	jm_str(res->json, "region", t.region);
	cJSON_AddItemToObject(res->json, "default_for", users);
	return SC_OK;
}

/* ---- event destinations ---- */

static const char *const kind_opts[SES_DEST_COUNT] = {
	[SES_DEST_SNS] = "sns", [SES_DEST_CLOUDWATCH] = "cloudwatch",
	[SES_DEST_FIREHOSE] = "firehose", [SES_DEST_EVENTBRIDGE] = "eventbridge",
	[SES_DEST_PINPOINT] = "pinpoint",
};

static enum sc_status parse_events(const char *v, struct ses_event_dest *d, struct sc_error *err)
{
	char *copy = xstrdup(v), *save = NULL;
	enum sc_status st = SC_OK;

	d->events = 0;
	for (char *w = strtok_r(copy, ",", &save); w && !st; w = strtok_r(NULL, ",", &save)) {
		int t = ses_event_from(w);

		if (t < 0 && !strcasecmp(w, "all"))
			d->events = (1u << SES_EVENT_COUNT) - 1;
		else if (t < 0)
			st = sc_fail(err, SC_USAGE, "unknown event type '%s': send, reject, bounce, "
						    "complaint, delivery, open, click, "
						    "rendering-failure, delivery-delay, subscription "
						    "(or all)", w);
		else
			d->events |= SES_EVENT_BIT(t);
	}
	free(copy);
	if (!st && !d->events)
		st = sc_fail(err, SC_USAGE, "--events needs at least one event type");
	return st;
}

/* NAME=SOURCE:DEFAULT, SOURCE message-tag|email-header|link-tag */
static enum sc_status parse_dim(const char *v, struct ses_cw_dimension *x, struct sc_error *err)
{
	static const char *const sources[][2] = {{"message-tag", "MESSAGE_TAG"},
						 {"email-header", "EMAIL_HEADER"},
						 {"link-tag", "LINK_TAG"}};
	const char *eq = strchr(v, '='), *colon = eq ? strchr(eq + 1, ':') : NULL;

	if (!eq || !colon)
		return sc_fail(err, SC_USAGE, "--cloudwatch takes NAME=SOURCE:DEFAULT (e.g. "
					      "ses:configuration-set=message-tag:none), not '%s'", v);
	x->name = xstrndup(v, (size_t)(eq - v));
	x->default_value = xstrdup(colon + 1);
	for (size_t i = 0; i < 3; i++)
		if (strlen(sources[i][0]) == (size_t)(colon - eq - 1) &&
		    (!strncasecmp(eq + 1, sources[i][0], strlen(sources[i][0])) ||
		     !strncasecmp(eq + 1, sources[i][1], strlen(sources[i][1]))))
			x->source = xstrdup(sources[i][1]);
	if (!x->source)
		return sc_fail(err, SC_USAGE, "dimension %s: the source is message-tag, email-header "
					      "or link-tag", x->name);
	return SC_OK;
}

static void clear_target(struct ses_event_dest *d)
{
	free(d->arn);
	free(d->role_arn);
	for (size_t i = 0; i < d->n_dims; i++) {
		free(d->dims[i].name);
		free(d->dims[i].source);
		free(d->dims[i].default_value);
	}
	free(d->dims);
	d->arn = d->role_arn = NULL;
	d->dims = NULL;
	d->n_dims = 0;
	d->kind = SES_DEST_NONE;
}

/* The target options: exactly one kind (or none, for an update that keeps it). */
static enum sc_status parse_target(const struct verb_args *args, struct ses_event_dest *d,
				   struct sc_error *err)
{
	int given = 0, kind = 0;

	for (int k = 1; k < SES_DEST_COUNT; k++)
		if (verb_opt(args, kind_opts[k])) {
			given++;
			kind = k;
		}
	if (given > 1)
		return sc_fail(err, SC_USAGE, "an event destination sends to exactly one place: give "
					      "one of --sns, --cloudwatch, --firehose, --eventbridge, "
					      "--pinpoint");
	if (verb_opt(args, "role") && kind != SES_DEST_FIREHOSE &&
	    !(given == 0 && d->kind == SES_DEST_FIREHOSE))
		return sc_fail(err, SC_USAGE, "--role goes with --firehose");
	if (!given) {
		if (verb_opt(args, "role"))
			set_str(&d->role_arn, verb_opt(args, "role"));
		return SC_OK;
	}
	clear_target(d);
	d->kind = (enum ses_dest_kind)kind;
	if (kind != SES_DEST_CLOUDWATCH) {
		d->arn = xstrdup(verb_opt(args, kind_opts[kind]));
		d->role_arn = verb_opt(args, "role") ? xstrdup(verb_opt(args, "role")) : NULL;
		return SC_OK;
	}
	for (size_t i = 0; i < args->n_opts; i++) {
		enum sc_status st;

		if (strcmp(args->opts[i].name, "cloudwatch"))
			continue;
		d->dims = xrealloc(d->dims, (d->n_dims + 1) * sizeof(*d->dims));
		memset(&d->dims[d->n_dims], 0, sizeof(*d->dims));
		st = parse_dim(args->opts[i].value, &d->dims[d->n_dims++], err);
		if (st)
			return st;
	}
	return SC_OK;
}

static enum sc_status fresh_dests(struct verb_target *t, const char *set, struct ses_config_set *cs,
				  struct sc_error *err)
{
	memset(cs, 0, sizeof(*cs));
	return sesv2_get_config_set_full(&t->ses.ctx, set, cs, err);
}

static struct ses_event_dest *dest_in(struct ses_config_set *cs, const char *name)
{
	for (size_t i = 0; i < cs->n_dests; i++)
		if (cs->dests[i].name && !strcmp(cs->dests[i].name, name))
			return &cs->dests[i];
	return NULL;
}

/* The set read fresh with its destinations, and the destination named; SC_NOT_FOUND with a
 * sentence when the set has none of that name (cs is then freed). */
static enum sc_status fresh_dest(struct verb_target *t, const char *set, const char *name,
				 struct ses_config_set *cs, struct ses_event_dest **d,
				 struct sc_error *err)
{
	enum sc_status st = fresh_dests(t, set, cs, err);

	if (st)
		return st;
	*d = dest_in(cs, name);
	if (*d)
		return SC_OK;
	ses_config_set_free(cs);
	return sc_fail(err, SC_NOT_FOUND, "configuration set %s has no event destination named %s",
		       set, name);
}

static enum sc_status enabled_opts(const struct verb_args *args, struct ses_event_dest *d,
				   struct sc_error *err)
{
	if (verb_flag(args, "enabled") && verb_flag(args, "disabled"))
		return sc_fail(err, SC_USAGE, "--enabled or --disabled, not both");
	if (verb_flag(args, "enabled"))
		d->enabled = true;
	if (verb_flag(args, "disabled"))
		d->enabled = false;
	return SC_OK;
}

/* A destination that no longer receives feedback the set had nowhere else. */
static void warn_feedback_lost(struct verb_result *res, const struct ses_config_set *before,
			       const char *set, const char *dest_name, const struct ses_event_dest *after)
{
	static const enum ses_event_type fb[] = {SES_EVENT_BOUNCE, SES_EVENT_COMPLAINT};

	for (size_t k = 0; k < 2; k++) {
		bool elsewhere = false, here = false;

		for (size_t i = 0; i < before->n_dests; i++) {
			const struct ses_event_dest *d = &before->dests[i];
			bool gets = d->enabled && (d->events & SES_EVENT_BIT(fb[k]));

			if (!strcmp(d->name, dest_name))
				here = gets;
			else
				elsewhere |= gets;
		}
		if (here && !elsewhere && !(after && after->enabled &&
					    (after->events & SES_EVENT_BIT(fb[k]))))
			verb_result_warn(res, "configuration set %s no longer sends %s events "
					      "anywhere", set, ses_event_name(fb[k]));
	}
}

static enum sc_status dest_change(struct core *core, const struct verb_args *args,
				  struct verb_result *res, bool create, struct sc_error *err)
{
	const char *set = args->argv[0], *name = args->argv[1], *events = verb_opt(args, "events");
	struct ses_config_set cs = {0};
	struct ses_event_dest nd = {0}, *d = &nd;
	struct verb_target t;
	enum sc_status st = ses_config_set_name_check(set, err);

	if (!st && create && !events)
		st = sc_fail(err, SC_USAGE, "say which events go there: --events bounce,complaint,…");
	if (!st && !create && !events && !verb_opt(args, "role") && !verb_flag(args, "enabled") &&
	    !verb_flag(args, "disabled")) {
		int k = 1;

		while (k < SES_DEST_COUNT && !verb_opt(args, kind_opts[k]))
			k++;
		if (k == SES_DEST_COUNT)
			st = sc_fail(err, SC_USAGE, "say what to change: a target (--sns, "
						    "--cloudwatch, …), --events, --enabled or "
						    "--disabled");
	}
	if (create) {
		nd.name = xstrdup(name);
		nd.enabled = true;
	}
	/* check the input before any request */
	if (!st)
		st = parse_target(args, &nd, err);
	if (!st && events)
		st = parse_events(events, &nd, err);
	if (!st)
		st = enabled_opts(args, &nd, err);
	if (!st && create)
		st = ses_event_dest_check(&nd, err);
	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st && create)
		st = fresh_dests(&t, set, &cs, err);
	else if (!st)
		st = fresh_dest(&t, set, name, &cs, &d, err);
	if (!st && create && dest_in(&cs, name))
		st = sc_fail(err, SC_CONFLICT, "configuration set %s already has an event destination "
					       "named %s (use destination update)", set, name);
	if (!st && !create) {
		struct ses_event_dest merged;

		ses_event_dest_copy(&merged, d);
		if (nd.kind != SES_DEST_NONE) {
			clear_target(&merged);
			merged.kind = nd.kind;
			merged.arn = nd.arn;
			merged.role_arn = nd.role_arn;
			merged.dims = nd.dims;
			merged.n_dims = nd.n_dims;
			nd.arn = nd.role_arn = NULL;
			nd.dims = NULL;
			nd.n_dims = 0;
		} else if (nd.role_arn) {
			set_str(&merged.role_arn, nd.role_arn);
		}
		if (events)
			merged.events = nd.events;
		if (verb_flag(args, "enabled") || verb_flag(args, "disabled"))
			merged.enabled = nd.enabled;
		ses_event_dest_free(&nd);
		nd = merged;
		d = &nd;
		st = ses_event_dest_check(d, err);
	}
	if (!st) {
		warn_feedback_lost(res, &cs, set, name, d);
		st = sesv2_put_event_dest(&t.ses.ctx, set, d, create, err);
	}
	ses_event_dest_free(&nd);
	ses_config_set_free(&cs);
	return st ? st : reread_set(&t, set, res, err);
}

enum sc_status verb_config_set_dest_add(struct core *core, const struct verb_args *args,
					struct verb_result *res, struct sc_error *err)
{
	return dest_change(core, args, res, true, err);
}

enum sc_status verb_config_set_dest_update(struct core *core, const struct verb_args *args,
					   struct verb_result *res, struct sc_error *err)
{
	return dest_change(core, args, res, false, err);
}

static enum sc_status dest_switch(struct core *core, const struct verb_args *args,
				  struct verb_result *res, bool enable, struct sc_error *err)
{
	const char *set = args->argv[0], *name = args->argv[1];
	struct ses_config_set cs;
	struct ses_event_dest *d;
	struct verb_target t;
	enum sc_status st = verb_target_open(core, &t, err);

	if (!st)
		st = fresh_dest(&t, set, name, &cs, &d, err);
	if (st)
		return st;
	if (d->enabled != enable) {
		struct ses_event_dest after;

		ses_event_dest_copy(&after, d);
		after.enabled = enable;
		warn_feedback_lost(res, &cs, set, name, &after);
		st = sesv2_put_event_dest(&t.ses.ctx, set, &after, false, err);
		ses_event_dest_free(&after);
	}
	ses_config_set_free(&cs);
	return st ? st : reread_set(&t, set, res, err);
}

enum sc_status verb_config_set_dest_enable(struct core *core, const struct verb_args *args,
					   struct verb_result *res, struct sc_error *err)
{
	return dest_switch(core, args, res, true, err);
}

enum sc_status verb_config_set_dest_disable(struct core *core, const struct verb_args *args,
					    struct verb_result *res, struct sc_error *err)
{
	return dest_switch(core, args, res, false, err);
}

enum sc_status verb_config_set_dest_delete(struct core *core, const struct verb_args *args,
					   struct verb_result *res, struct sc_error *err)
{
	const char *set = args->argv[0], *name = args->argv[1];
	struct ses_config_set cs;
	struct ses_event_dest *d;
	struct verb_target t;
	enum sc_status st = verb_target_open(core, &t, err);

	if (!st)
		st = fresh_dest(&t, set, name, &cs, &d, err);
	if (st)
		return st;
	warn_feedback_lost(res, &cs, set, name, NULL);
	st = sesv2_delete_event_dest(&t.ses.ctx, set, name, err);
	ses_config_set_free(&cs);
	return st ? st : reread_set(&t, set, res, err);
}

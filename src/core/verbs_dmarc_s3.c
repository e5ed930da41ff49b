/* DMARC reports through S3: import a prefix where an SES receipt rule stores raw messages,
 * and set that path up (receipt rule, bucket policy, the DNS records to publish). */
#include <cjson/cJSON.h>
#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <time.h>

#include "json_model.h"
#include "sesctl/core/dmarc.h"
#include "sesctl/core/trace.h"
#include "sesctl/dns/name.h"
#include "sesctl/ses/receipt_rules.h"
#include "sesctl/ses/s3.h"
#include "sesctl/aws/http.h"
#include "sesctl/store/dmarc.h"
#include "sesctl/util/buf.h"
#include "verbs_impl.h"

/* SES drops this object when a rule with an S3 action is created; it is no report. */
#define SES_SETUP_OBJECT "AMAZON_SES_SETUP_NOTIFICATION"

/* The S3 context for the bucket's own region (a bucket elsewhere answers a redirect). */
static enum sc_status bucket_ctx(struct core *core, const char *bucket, struct core_ses *cs,
				 struct sc_error *err)
{
	const char *region;
	char where[64];
	struct sc_error e = {0};
	enum sc_status st = core_region(core, &region, err);

	if (!st)
		st = core_ses_ctx(core, region, cs, err);
	if (st)
		return st;
	if (s3_get_bucket_location(&cs->ctx, bucket, where, sizeof(where), &e) == SC_OK &&
	    strcmp(where, region) != 0)
		return core_ses_ctx(core, where, cs, err);
	if (e.status == SC_NOT_FOUND)
		return sc_fail(err, SC_NOT_FOUND, "bucket %s does not exist (or is not visible to "
				   "these credentials)", bucket);
	return SC_OK;
}

static bool ends_with(const char *s, const char *tail)
{
	size_t ls = strlen(s), lt = strlen(tail);

	return ls >= lt && strcmp(s + ls - lt, tail) == 0;
}

/* ---- import: the objects fetched side by side ---- */

#define S3_FETCH_PARALLEL 8

struct fetch {
	const struct s3_object *o;
	struct buf body;
	bool started, done;
	enum sc_status st;
	struct sc_error err;
};

static enum sc_status keep_body(const char *body, size_t len, void *out, struct sc_error *err)
{
	(void)err;
	buf_append(out, body, len);
	return SC_OK;
}

static void fetched(void *ud, enum sc_status st, const struct sc_error *err)
{
	struct fetch *f = ud;

	f->done = true;
	f->st = st;
	if (st && err)
		f->err = *err;
}

struct s3_import {
	struct core *core;
	struct cache *c;
	const struct core_ses *cs;
	const struct s3_uri *u;
	const struct dmarc_limits *lim;
	time_t now;
	struct dmarc_import_stats *stats;
	void (*problem)(void *ud, const char *item, const char *reason);
	void *ud;
};

static enum sc_status start_fetch(const struct s3_import *m, struct fetch *f)
{
	struct ses_request req;
	struct sc_error e = {0};

	f->started = true;
	if (s3_build_get_object(&req, m->u->bucket, f->o->key, m->lim->max_input, &e) != SC_OK ||
	    ses_call_async_parse(&m->cs->ctx, &req, keep_body, &f->body, fetched, f)) {
		f->done = true;
		f->st = e.status ? e.status : SC_ERR;
		f->err = e;
		if (!e.message[0])
			sc_fail(&f->err, SC_ERR, "GetObject %s: could not start the request", f->o->key);
	}
	ses_request_free(&req);
	return SC_OK;
}

/* One fetched object: imported, or its problem told; then remembered as read. A failure
 * of the cache or of the connection (not of the object) ends the import. */
static enum sc_status finish_fetch(const struct s3_import *m, struct fetch *f,
				   struct sc_error *err)
{
	char origin[1200];
	enum sc_status st = SC_OK;

	snprintf(origin, sizeof(origin), "s3://%s/%s", m->u->bucket, f->o->key);
	switch (f->st) {
	case SC_OK:
		st = dmarc_import_blob(m->c, origin, f->body.data ? f->body.data : "", f->body.len,
				       m->lim, m->now, m->stats, m->problem, m->ud, err);
		break;
	case SC_BAD_REPLY:   /* over the byte cap, or a reply that is not the object */
	case SC_NOT_FOUND:   /* deleted since the listing */
		m->stats->failed++;
		if (m->problem)
			m->problem(m->ud, origin, f->err.message);
		break;
	default:
		*err = f->err;
		st = f->st;
		break;
	}
	buf_free(&f->body);
	if (!st)
		st = cache_dmarc_s3_mark(m->c, m->u->bucket, f->o->key, f->o->etag, m->now, err);
	return st;
}

/* The objects not read before, at most S3_FETCH_PARALLEL in flight and no more bytes in
 * flight than one blob may have (the listing's sizes), imported in listing order. */
static enum sc_status fetch_all(const struct s3_import *m, struct fetch *v, size_t n,
				struct sc_error *err)
{
	size_t next = 0, done = 0, in_flight = 0;
	int64_t bytes = 0;
	enum sc_status st = SC_OK;

	while (done < n && !st) {
		while (next < n && in_flight < S3_FETCH_PARALLEL &&
		       (!in_flight || bytes + v[next].o->size <= (int64_t)m->lim->max_input)) {
			bytes += v[next].o->size > 0 ? v[next].o->size : 0;
			start_fetch(m, &v[next++]);
			in_flight++;
		}
		if (!v[done].done)
			http_run(m->core->http, 200, NULL, 0);
		while (done < next && v[done].done && !st) {
			bytes -= v[done].o->size > 0 ? v[done].o->size : 0;
			in_flight--;
			st = finish_fetch(m, &v[done++], err);
		}
	}
	if (st)
		http_cancel_all(m->core->http);
	for (size_t i = 0; i < n; i++)
		buf_free(&v[i].body);
	return st;
}

enum sc_status verb_dmarc_import_s3(struct core *core, const char *url,
				    const struct dmarc_limits *lim, time_t now,
				    struct dmarc_import_stats *stats,
				    void (*problem)(void *ud, const char *item, const char *reason),
				    void *ud, struct sc_error *err)
{
	struct s3_uri u;
	struct core_ses cs;
	struct cache *c;
	struct s3_object_list l = {0};
	struct fetch *v = NULL;
	size_t n = 0;
	enum sc_status st = s3_parse_uri(url, &u, err);

	if (!st)
		st = core_cache(core, &c, err);
	if (!st)
		st = bucket_ctx(core, u.bucket, &cs, err);
	if (!st)
		st = s3_list_all(&cs.ctx, u.bucket, u.prefix, 0, 0, &l, err);
	if (!st)
		v = xcalloc(l.n ? l.n : 1, sizeof(*v));
	for (size_t i = 0; !st && i < l.n; i++) {
		const struct s3_object *o = &l.items[i];
		bool seen = false;

		if (ends_with(o->key, "/") || ends_with(o->key, SES_SETUP_OBJECT))
			continue;
		st = cache_dmarc_s3_seen(c, u.bucket, o->key, o->etag, &seen, err);
		if (!st && seen)
			stats->skipped++;
		else if (!st && o->size > (int64_t)lim->max_input) {
			char origin[1200];
			char why[160];

			snprintf(origin, sizeof(origin), "s3://%s/%s", u.bucket, o->key);
			snprintf(why, sizeof(why), "larger than %zu MiB (the limit for one file)",
				 lim->max_input >> 20);
			stats->failed++;
			if (problem)
				problem(ud, origin, why);
		} else if (!st) {
			v[n++].o = o;
		}
	}
	if (!st && n) {
		struct s3_import m = {core, c, &cs, &u, lim, now, stats, problem, ud};

		st = fetch_all(&m, v, n, err);
	}
	free(v);
	s3_object_list_free(&l);
	return st;
}

/* ---- setup ---- */

struct setup {
	const char *domain;
	char rua[320];           /* the address */
	const char *rua_domain;  /* inside rua */
	const char *bucket;
	char prefix[256];
	char rule[128];
	const char *set;         /* the rule set the rule goes in */
	bool external;           /* rua in another organisation's domain */
};

static bool valid_domain(const char *d)
{
	size_t n = strlen(d);

	if (n < 3 || n > 253 || !strchr(d, '.') || d[0] == '.' || d[n - 1] == '.')
		return false;
	for (const char *p = d; *p; p++)
		if (!(isalnum((unsigned char)*p) || *p == '-' || *p == '.'))
			return false;
	return !strstr(d, "..");
}

static enum sc_status setup_args(const struct verb_args *args, struct setup *s,
				 struct sc_error *err)
{
	const char *rua = verb_opt(args, "rua"), *prefix = verb_opt(args, "prefix");
	const char *at, *why;

	memset(s, 0, sizeof(*s));
	s->domain = args->argv[0];
	s->bucket = verb_opt(args, "bucket");
	if (!valid_domain(s->domain))
		return sc_fail(err, SC_USAGE, "'%s' is not a domain name", s->domain);
	if (!s->bucket)
		return sc_fail(err, SC_USAGE, "dmarc setup needs --bucket BUCKET: the S3 bucket the "
				   "reports go to");
	if ((why = s3_bucket_name_problem(s->bucket)))
		return sc_fail(err, SC_USAGE, "--bucket %s: %s", s->bucket, why);
	if (rua)
		snprintf(s->rua, sizeof(s->rua), "%s", rua);
	else
		snprintf(s->rua, sizeof(s->rua), "dmarc@reports.%s", s->domain);
	at = strchr(s->rua, '@');
	if (!at || at == s->rua || strchr(at + 1, '@') || !valid_domain(at + 1) ||
	    strlen(s->rua) >= sizeof(s->rua) - 1)
		return sc_fail(err, SC_USAGE, "--rua %s is not an email address", s->rua);
	s->rua_domain = at + 1;
	/* relaxed, as everywhere in sesctl: one domain within the other */
	s->external = !dns_name_within(s->rua_domain, s->domain) &&
		      !dns_name_within(s->domain, s->rua_domain);
	snprintf(s->prefix, sizeof(s->prefix), "%s", prefix ? prefix : "dmarc/");
	if (s->prefix[0] == '/' || strlen(s->prefix) >= sizeof(s->prefix) - 1)
		return sc_fail(err, SC_USAGE, "--prefix must be a relative key prefix such as dmarc/");
	snprintf(s->rule, sizeof(s->rule), "dmarc-%s", s->domain);
	for (char *p = s->rule; *p; p++)
		if (*p == '.')
			*p = '-';
	return SC_OK;
}

/* The rule of set that already stores rua's mail in bucket/prefix (NULL when none), and
 * in *stops the rule before it that stops processing for rua, if any. */
static const struct ses_rule *find_rule(const struct ses_rule_set *set, const struct setup *s,
					const struct ses_rule **stops)
{
	struct trace_result t;
	const struct ses_rule *found = NULL;

	*stops = NULL;
	trace_rule_set(set, s->rua, &t);
	for (size_t i = 0; i < t.n && !found; i++) {
		const struct trace_step *st = &t.steps[i];

		for (size_t k = 0; st->applies && k < st->rule->n_actions; k++) {
			const struct ses_action *a = &st->rule->actions[k];

			if (a->kind == SES_ACTION_S3 && a->bucket && !strcmp(a->bucket, s->bucket) &&
			    !strcmp(a->prefix ? a->prefix : "", s->prefix))
				found = st->rule;
		}
		if (!found && st->stops && st->applies)
			*stops = st->rule;
	}
	trace_free(&t);
	return found;
}

static void add_step(cJSON *steps, struct buf *text, const char *what, const char *state,
		     const char *detail)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "step", what);
	jm_str(o, "state", state);
	jm_str(o, "detail", detail);
	cJSON_AddItemToArray(steps, o);
	buf_printf(text, "  %-22s %-9s %s\n", what, state, detail ? detail : "");
}

static void add_dns(cJSON *dns, struct buf *text, const char *name, const char *type,
		    const char *value)
{
	cJSON *o = cJSON_CreateObject();

	jm_str(o, "name", name);
	jm_str(o, "type", type);
	jm_str(o, "value", value);
	cJSON_AddItemToArray(dns, o);
	buf_printf(text, "  %-40s %-4s %s\n", name, type, value);
}

/* The bucket policy statement: in place, or merged in and written. */
static enum sc_status setup_policy(const struct core_ses *cs, const struct s3_ses_grant *g,
				   cJSON *steps, struct buf *text, struct sc_error *err)
{
	char *policy = NULL, *merged = NULL;
	bool grants = false;
	enum sc_status st = s3_get_bucket_policy(&cs->ctx, g->bucket, &policy, err);

	if (st == SC_NOT_FOUND) {
		sc_error_clear(err);
		st = SC_OK;
	}
	if (!st && policy)
		st = s3_policy_grants(policy, g, &grants, err);
	if (!st && grants) {
		add_step(steps, text, "bucket policy", "in place", "SES may put objects there");
	} else if (!st) {
		st = s3_policy_merge(policy, g, &merged, err);
		if (!st)
			st = s3_put_bucket_policy(&cs->ctx, g->bucket, merged, err);
		if (!st)
			add_step(steps, text, "bucket policy", "added",
				 "ses.amazonaws.com may s3:PutObject, for this account's rule only");
	}
	free(policy);
	free(merged);
	return st;
}

static enum sc_status setup_rule(const struct core_ses *cs, const struct setup *s,
				 const struct ses_rule_set *set, cJSON *steps, struct buf *text,
				 struct sc_error *err)
{
	const struct ses_rule *stops, *have = find_rule(set, s, &stops);
	struct ses_action a = {.kind = SES_ACTION_S3};
	struct ses_rule r = {0};
	char *recipients[1] = {(char *)s->rua};
	char line[600];
	enum sc_status st;

	if (have) {
		snprintf(line, sizeof(line), "rule %s of %s stores %s in s3://%s/%s", have->name,
			 set->name, s->rua, s->bucket, s->prefix);
		add_step(steps, text, "receipt rule", "in place", line);
		return SC_OK;
	}
	a.bucket = (char *)s->bucket;
	a.prefix = (char *)s->prefix;
	r.name = (char *)s->rule;
	r.enabled = true;
	r.tls_policy = (char *)"Optional";
	r.scan_enabled = true;
	r.recipients = recipients;
	r.n_recipients = 1;
	r.actions = &a;
	r.n_actions = 1;
	/* after the last rule: the operator's own rules keep their order */
	st = sesv1_create_receipt_rule(&cs->ctx, set->name, &r,
				       set->n_rules ? set->rules[set->n_rules - 1].name : NULL, err);
	if (st)
		return st;
	snprintf(line, sizeof(line), "rule %s at the end of %s: %s → s3://%s/%s", s->rule,
		 set->name, s->rua, s->bucket, s->prefix);
	add_step(steps, text, "receipt rule", "created", line);
	if (stops) {
		snprintf(line, sizeof(line), "rule %s of %s stops processing for %s before it: "
					     "move the new rule up (sesctl receipt rule move %s %s "
					     "--first)", stops->name, set->name, s->rua, set->name,
			 s->rule);
		add_step(steps, text, "rule order", "WARNING", line);
	}
	return SC_OK;
}

static enum sc_status active_set(const struct core_ses *cs, const char *want,
				 struct ses_rule_set *set, struct sc_error *err)
{
	bool found = true;
	enum sc_status st;

	if (want)
		return sesv1_describe_receipt_rule_set(&cs->ctx, want, set, err);
	st = sesv1_describe_active_receipt_rule_set(&cs->ctx, set, &found, err);
	if (!st && !found)
		return sc_fail(err, SC_NOT_FOUND, "no receipt rule set is active in %s, so SES "
				   "receives no mail there: activate one first (sesctl receipt create "
				   "SET; sesctl receipt activate SET), or name one with --rule-set",
				   cs->region);
	return st;
}

enum sc_status verb_dmarc_setup(struct core *core, const struct verb_args *args,
				struct verb_result *res, struct sc_error *err)
{
	struct setup s;
	struct verb_target t;
	struct core_ses bs;
	struct ses_rule_set set = {0};
	struct s3_ses_grant g;
	cJSON *o, *steps, *dns;
	char name[600], value[700];
	enum sc_status st = setup_args(args, &s, err);

	if (!st)
		st = verb_target_open(core, &t, err);
	if (!st)
		st = bucket_ctx(core, s.bucket, &bs, err);
	if (!st)
		st = s3_head_bucket(&bs.ctx, s.bucket, err);
	if (!st)
		st = active_set(&t.ses, verb_opt(args, "rule-set"), &set, err);
	if (st) {
		ses_rule_set_free(&set);
		return st;
	}
	o = cJSON_CreateObject();
	jm_str(o, "domain", s.domain);
	jm_str(o, "rua", s.rua);
	jm_str(o, "bucket", s.bucket);
	jm_str(o, "prefix", s.prefix);
	jm_str(o, "rule_set", set.name);
	jm_str(o, "rule", s.rule);
	steps = cJSON_AddArrayToObject(o, "steps");
	buf_printf(&res->text, "DMARC reports for %s → %s → s3://%s/%s (%s)\n\n", s.domain, s.rua,
		   s.bucket, s.prefix, t.region);
	g = (struct s3_ses_grant){s.bucket, s.prefix, t.account, t.region, set.name, s.rule};
	st = setup_policy(&bs, &g, steps, &res->text, err);
	if (!st)
		st = setup_rule(&t.ses, &s, &set, steps, &res->text, err);
	ses_rule_set_free(&set);
	if (st) {
		cJSON_Delete(o);
		return st;
	}
	dns = cJSON_AddArrayToObject(o, "dns");
	buf_puts(&res->text, "\npublish in DNS (keep the p= you have; rua= is what to add)\n");
	snprintf(value, sizeof(value), "10 inbound-smtp.%s.amazonaws.com", t.region);
	add_dns(dns, &res->text, s.rua_domain, "MX", value);
	snprintf(name, sizeof(name), "_dmarc.%s", s.domain);
	snprintf(value, sizeof(value), "\"v=DMARC1; p=none; rua=mailto:%s\"", s.rua);
	add_dns(dns, &res->text, name, "TXT", value);
	if (s.external) {
		snprintf(name, sizeof(name), "%s._report._dmarc.%s", s.domain, s.rua_domain);
		add_dns(dns, &res->text, name, "TXT", "\"v=DMARC1\"");
	}
	buf_printf(&res->text, "\nthen, daily: sesctl dmarc import s3://%s/%s\n", s.bucket, s.prefix);
	res->text_only = true;
	res->array_key = "steps";             /* --csv: what was in place, what was done */
	res->json = o;
	{       /* the cached rules follow the change; a failed read only leaves them older */
		struct sync_options so = {.kinds = 1u << SYNC_RULE_SETS};
		struct sync_report rep;
		struct sc_error ignored = {0};

		sync_region(core, t.region, &so, &rep, &ignored);
	}
	return SC_OK;
}

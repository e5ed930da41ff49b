/* verb_run(): the one place where read-only, offline, protected profiles and
 * confirmations are enforced, and where every mutation attempt is audited. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sesctl/aws/config.h"
#include "sesctl/aws/creds.h"
#include "sesctl/aws/http.h"
#include "sesctl/core/core.h"
#include "sesctl/core/fleet.h"
#include "sesctl/core/verbs.h"
#include "sesctl/store/audit.h"
#include "sesctl/util/buf.h"
#include "verbs_impl.h"

static double now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000.0 + ts.tv_nsec / 1e6;
}

static bool has_flag(int argc, char **argv, const char *flag)
{
	size_t n = strlen(flag);

	for (int i = 0; i < argc; i++)
		if (!strncmp(argv[i], flag, n) && (argv[i][n] == '\0' || argv[i][n] == '='))
			return true;
	return false;
}

/* The command as typed, plus the region and profile it ran with when the words do not say
 * them (the console's :region and :profile, AWS_REGION, AWS_PROFILE): the audit's command
 * must redo exactly this change. Returns a NULL-terminated vector of borrowed strings. */
static const char **full_command(const struct core *core, int argc, char **argv, int *n)
{
	const char **full = xcalloc((size_t)argc + 6, sizeof(*full));
	const char *psrc = core->aws ? core->aws->profile_source : "default";

	*n = 0;
	full[(*n)++] = "sesctl";
	for (int i = 0; i < argc; i++)
		full[(*n)++] = argv[i];
	if (core->region && *core->region && !has_flag(argc, argv, "--region")) {
		full[(*n)++] = "--region";
		full[(*n)++] = core->region;
	}
	if (core->profile && strcmp(psrc, "default") != 0 && !has_flag(argc, argv, "--profile")) {
		full[(*n)++] = "--profile";
		full[(*n)++] = core->profile;
	}
	return full;
}

/* Write the audit record of a mutation attempt. The started row carries no request id and
 * no message: nothing of the calls made before it (STS) belongs to the change. */
static enum sc_status audit_attempt(struct core *core, const struct verb *v, int argc,
                                    char **argv, enum sc_status st, const struct sc_error *err,
                                    const struct verb_result *res, double ms, bool started,
                                    struct sc_error *werr)
{
	const char **full;
	struct audit_record r = {0};
	char **redacted;
	struct audit_trail *c;
	enum sc_status wst;
	int n;

	wst = core_audit(core, &c, werr);
	if (wst)
		return wst;
	full = full_command(core, argc, argv, &n);
	redacted = audit_redact_argv(n, full);
	r.profile = core->profile;
	r.region = core->region;
	r.account_id = core->account_id;
	r.argc = n;
	r.argv = (const char *const *)redacted;
	r.verb = v->name;
	r.status = st;
	if (started)
		r.result = AUDIT_RESULT_STARTED;
	else if (st == SC_OK)
		r.result = AUDIT_RESULT_OK;
	else if (st == SC_CANCELLED)
		r.result = AUDIT_RESULT_CANCELLED;
	else
		r.result = st == SC_REFUSED ? AUDIT_RESULT_REFUSED : AUDIT_RESULT_FAILED;
	r.message = st && !started ? err->message : NULL;
	r.request_id = started                     ? NULL
	               : res && res->request_id[0] ? res->request_id
	               : err && err->request_id[0] ? err->request_id
	                                           : NULL;
	r.duration_ms = (int64_t)ms;
	r.reason = res ? res->audit_reason : NULL;
	r.action = res ? (enum audit_action)res->audit_action : AUDIT_ACTION_OTHER;
	r.config_set = res ? res->audit_config_set : NULL;
	wst = audit_record(c, &r, werr);
	audit_argv_free(redacted);
	free(full);
	return wst;
}

/* The reason rides in the User-Agent of the change's requests (aws/http.h), so CloudTrail
 * keeps it for anyone who looks; the credentials in use are never part of it. */
static void carry_reason(struct core *core, const char *reason)
{
	const struct aws_credentials *c = NULL;
	const char *secrets[4] = {0};
	struct sc_error ignored;
	size_t n = 0;

	if (!core->http)
		return;
	if (reason && core->creds && aws_creds_provider_get(core->creds, &c, &ignored) == SC_OK) {
		secrets[n++] = c->access_key;
		secrets[n++] = c->secret_key;
		if (c->session_token)
			secrets[n++] = c->session_token;
	}
	http_set_reason(core->http, reason, secrets);
}

/* A refusal is a fresh error: nothing of an earlier successful call (request id) sticks. */
static enum sc_status refuse(struct sc_error *err, const char *fmt, ...)
    __attribute__((format(printf, 2, 3)));

static enum sc_status refuse(struct sc_error *err, const char *fmt, ...)
{
	va_list ap;

	sc_error_clear(err);
	va_start(ap, fmt);
	sc_vfail(err, SC_REFUSED, fmt, ap);
	va_end(ap);
	return SC_REFUSED;
}

static enum sc_status cancelled(struct sc_error *err, const struct verb *v)
{
	sc_error_clear(err);
	return sc_fail(err, SC_CANCELLED, "cancelled: '%s' was not confirmed; nothing was changed",
		       v->name);
}

static bool typed_ok(const struct core *core, const char *typed)
{
	if (!typed || !*typed)
		return false;
	if (core->account_id && !strcmp(typed, core->account_id))
		return true;
	return core->view.alias && !strcmp(typed, core->view.alias);
}

bool verb_confirm_matches(const char *expect, const char *typed)
{
	size_t n = strlen(typed);

	for (const char *s = expect; s && *s;) {
		size_t len = strcspn(s, "\n");

		if (len == n && n && !strncmp(s, typed, n))
			return true;
		s += len;
		s += *s == '\n';
	}
	return false;
}

/* *asked: the person typed the account id here (a second yes/no would ask it again). */
static enum sc_status check_protected(struct core *core, const struct verb *v,
                                      verb_confirm_fn confirm, void *ud, bool *asked,
                                      struct sc_error *err)
{
	char q[256], expect[160];

	*asked = false;
	if (!core->protected_ || !(v->flags & VF_MUTATES))
		return SC_OK;
	if (typed_ok(core, core->opt.confirm))
		return SC_OK;
	if (core->opt.confirm)
		return refuse(
		    err, "--confirm=%s does not match the account id of protected profile '%s'",
		    core->opt.confirm, core->profile);
	snprintf(q, sizeof(q), "Profile '%s' is protected. Type the account id %s%s%s%s to %s:",
		 core->profile, core->account_id ? core->account_id : "?",
		 core->view.alias ? " (or its alias " : "", core->view.alias ? core->view.alias : "",
		 core->view.alias ? ")" : "", v->name);
	snprintf(expect, sizeof(expect), "%s%s%s", core->account_id ? core->account_id : "",
		 core->view.alias ? "\n" : "", core->view.alias ? core->view.alias : "");
	switch (confirm && core->account_id ? confirm(ud, q, expect) : VERB_CONFIRM_NO_ONE_TO_ASK) {
	case VERB_CONFIRM_YES:
		*asked = true;
		return SC_OK;
	case VERB_CONFIRM_CANCELLED:
		return cancelled(err, v);
	case VERB_CONFIRM_NO_ONE_TO_ASK:
		break;
	}
	return refuse(err, "refused: profile '%s' is protected; add --confirm=%s to %s",
	              core->profile, core->account_id ? core->account_id : "ACCOUNT_ID", v->name);
}

/* The object and the effect, for the verbs whose words do not say it ("Run 'sesctl
 * receipt rule move inbound-main'?" said neither which rule nor where to). */
static bool confirm_effect(const struct verb *v, const struct verb_args *args,
			   const char *where, char *q, size_t n)
{
	const char *a0 = args->argc > 0 ? args->argv[0] : "?";
	const char *a1 = args->argc > 1 ? args->argv[1] : "?";
	const char *after = verb_opt(args, "after");

	if (!strcmp(v->name, "receipt rule move")) {
		if (after)
			snprintf(q, n, "Move rule %s of %s to just after %s (%s)? Mail is matched in "
				 "the new order at once.", a1, a0, after, where);
		else
			snprintf(q, n, "Move rule %s to the top of %s (%s)? Mail is matched in the new "
				 "order at once.", a1, a0, where);
	} else if (!strcmp(v->name, "receipt activate")) {
		snprintf(q, n, "Make %s the active receipt rule set (%s)? Incoming mail follows its "
			 "rules from now on.", a0, where);
	} else if (!strcmp(v->name, "receipt deactivate")) {
		snprintf(q, n, "Deactivate every receipt rule set (%s)? Incoming mail is no longer "
			 "processed.", where);
	} else if (!strcmp(v->name, "receipt rule delete")) {
		snprintf(q, n, "Delete rule %s from %s (%s)? Mail it handled falls through to the "
			 "next rule.", a1, a0, where);
	} else if (!strcmp(v->name, "receipt rule disable")) {
		snprintf(q, n, "Disable rule %s of %s (%s)? Mail it handled falls through to the "
			 "next rule.", a1, a0, where);
	} else if (!strcmp(v->name, "receipt delete")) {
		snprintf(q, n, "Delete receipt rule set %s and all its rules (%s)?", a0, where);
	} else if (!strcmp(v->name, "receipt filter delete")) {
		snprintf(q, n, "Delete receipt IP filter %s (%s)?", a0, where);
	} else if (!strcmp(v->name, "suppression remove")) {
		snprintf(q, n, "Remove %s from the suppression list (%s)? SES will send to it again.",
			 a0, where);
	} else if (!strcmp(v->name, "tenant pause")) {
		snprintf(q, n, "Pause sending for tenant %s (%s)? Its identities, configuration sets "
			 "and templates stop sending; other tenants go on.", a0, where);
	} else if (!strcmp(v->name, "tenant resume")) {
		snprintf(q, n, "Resume sending for tenant %s (%s)?", a0, where);
	} else if (!strcmp(v->name, "tenant reinstate")) {
		snprintf(q, n, "Reinstate tenant %s (%s)? It sends despite its open findings.", a0,
			 where);
	} else if (!strcmp(v->name, "tenant delete")) {
		snprintf(q, n, "Delete tenant %s (%s)? Its resources stay, no longer grouped; sends "
			 "that name the tenant fail.", a0, where);
	} else if (!strcmp(v->name, "tenant detach")) {
		snprintf(q, n, "Detach %s from tenant %s (%s)? Sends for the tenant that use it fail.",
			 a1, a0, where);
	} else if (!strcmp(v->name, "tenant policy")) {
		snprintf(q, n, "Set tenant %s's reputation policy to %s (%s)?", a0, a1, where);
	} else if (!strcmp(v->name, "dmarc setup")) {
		snprintf(q, n, "Collect %s's DMARC reports in s3://%s/ (%s)? Adds a receipt rule to "
			 "the active rule set and a bucket policy statement where they are missing.",
			 a0, verb_opt(args, "bucket") ? verb_opt(args, "bucket") : "?", where);
	} else if (!strcmp(v->name, "identity policy delete")) {
		snprintf(q, n, "Delete sending-authorization policy %s of %s (%s)? Senders it "
			 "allowed lose that right.", a1, a0, where);
	} else {
		return false;
	}
	return true;
}

/* The question a confirmation asks, in the words of SCENARIOS.md: what, on which
 * account and region. */
static void confirm_question(const struct core *core, const struct verb *v,
                             const struct verb_args *args, char *q, size_t n)
{
	const char *cset = verb_opt(args, "config-set");
	const char *what = args->argc ? args->argv[0] : "";
	bool pause = !strcmp(v->name, "sending pause");
	char where[160];

	if (core->account_id)
		snprintf(where, sizeof(where), "account %s in %s", core->account_id,
		         core->region ? core->region : "?");
	else
		snprintf(where, sizeof(where), "%s", core->region ? core->region : "this region");
	if (pause || !strcmp(v->name, "sending resume")) {
		if (cset)
			snprintf(q, n, "%s sending for configuration set %s of %s?",
			         pause ? "Pause" : "Resume", cset, where);
		else
			snprintf(q, n, "%s sending for %s?", pause ? "Pause" : "Resume", where);
	} else if (!strcmp(v->name, "identity delete")) {
		snprintf(q, n, "Delete identity %s (%s)? Its DKIM keys and settings go with it.",
			 what, where);
	} else if (!confirm_effect(v, args, where, q, n)) {
		snprintf(q, n, "Run 'sesctl %s%s%s' (%s)?", v->name, *what ? " " : "", what, where);
	}
}

static enum sc_status check_confirm(struct core *core, const struct verb *v,
                                    const struct verb_args *args, verb_confirm_fn confirm, void *ud,
                                    struct sc_error *err)
{
	const char *expect = NULL;
	char q[512], full[640];

	if (!(v->flags & (VF_CONFIRM | VF_CONFIRM_TYPED)) || core->opt.yes)
		return SC_OK;
	if (v->flags & VF_CONFIRM_TYPED)
		expect = v->confirm_arg >= 0 && v->confirm_arg < args->argc
		             ? args->argv[v->confirm_arg]
		             : core->account_id;
	confirm_question(core, v, args, q, sizeof(q));
	if (expect)
		snprintf(full, sizeof(full), "%s Type %s to confirm:", q, expect);
	else
		snprintf(full, sizeof(full), "%s", q);
	switch (confirm ? confirm(ud, full, expect) : VERB_CONFIRM_NO_ONE_TO_ASK) {
	case VERB_CONFIRM_YES:
		return SC_OK;
	case VERB_CONFIRM_CANCELLED:
		return cancelled(err, v);
	case VERB_CONFIRM_NO_ONE_TO_ASK:
		break;
	}
	return refuse(err, "refused: 'sesctl %s' needs confirmation; add --yes to run it", v->name);
}

static enum sc_status check_policy(struct core *core, const struct verb *v,
                                   const struct verb_args *args, verb_confirm_fn confirm, void *ud,
                                   struct sc_error *err)
{
	enum sc_status st;
	bool asked;

	if (core->opt.fleet && !(v->flags & VF_FLEET))
		return refuse(err,
			      (v->flags & VF_MUTATES)
				  ? "refused: '%s' under --fleet; a change is made in one account and "
				    "one region: sesctl --profile P --region R %s (sesctl fleet lists "
				    "the cells)"
				  : "'%s' does not take --fleet; sesctl fleet, find and sync do "
				    "(one cell: sesctl --profile P --region R %s)",
			      v->name, v->name);
	if ((v->flags & VF_MUTATES) && core->read_only)
		return refuse(err, "refused: %s; '%s' changes the account", core->read_only_why,
		              v->name);
	if ((v->flags & VF_ONLINE) && core->opt.offline)
		return refuse(err, "refused: --offline given; '%s' needs the network", v->name);
	if ((v->flags & VF_ONLINE) && !core->opt.fleet) { /* a fleet's cells go online in children */
		st = core_online(core, err);
		if (!st && ((core->protected_ && (v->flags & VF_MUTATES)) ||
		            ((v->flags & VF_CONFIRM_TYPED) && v->confirm_arg < 0)))
			st = core_learn_account(core, err); /* the id to type back */
		if (st)
			return st;
	}
	st = check_protected(core, v, confirm, ud, &asked, err);
	if (st)
		return st;
	/* the account id was just typed: asking yes/no, or for the id again, asks nothing new
	 * (a name to type back, as for identity delete, still is asked) */
	if (asked && !((v->flags & VF_CONFIRM_TYPED) && v->confirm_arg >= 0))
		return SC_OK;
	return check_confirm(core, v, args, confirm, ud, err);
}

enum sc_status verb_check(struct core *core, const struct verb *v, const struct verb_args *args,
                          int cmd_argc, char **cmd_argv, verb_confirm_fn confirm, void *confirm_ud,
                          struct sc_error *err)
{
	struct sc_error werr;
	enum sc_status st = check_policy(core, v, args, confirm, confirm_ud, err);

	if (st && (v->flags & VF_MUTATES) &&
	    audit_attempt(core, v, cmd_argc, cmd_argv, st, err, NULL, 0, false, &werr)) {
		size_t n = strlen(err->message);
		snprintf(err->message + n, sizeof(err->message) - n,
			 "; this could not be written to the audit trail either: %s", werr.message);
	}
	return st;
}

static enum sc_status run_audited(struct core *core, const struct verb *v,
				  const struct verb_args *args, int cmd_argc, char **cmd_argv,
				  verb_confirm_fn confirm, void *confirm_ud, struct verb_result *res,
				  struct sc_error *err)
{
	bool mutates = v->flags & VF_MUTATES;
	struct sc_error werr;
	enum sc_status st;
	double start;

	memset(res, 0, sizeof(*res));
	st = check_policy(core, v, args, confirm, confirm_ud, err);
	start = now_ms(); /* the change's own time: not the time spent reading a dialog */
	if (st == SC_OK && mutates &&
	    audit_attempt(core, v, cmd_argc, cmd_argv, SC_OK, err, NULL, 0, true, &werr)) {
		/* write-ahead: no trace, no change (a kill -9 mid-change must still leave a row) */
		sc_error_clear(err);
		return sc_fail(err, SC_IO,
			       "refused: the audit trail could not be written (%s); nothing was "
			       "changed",
			       werr.message);
	}
	if (st == SC_OK) {
		carry_reason(core, mutates ? verb_opt(args, "reason") : NULL);
		st = v->run(core, args, res, err);
		carry_reason(core, NULL);
		if (mutates && !res->audit_reason && verb_opt(args, "reason") &&
		    *verb_opt(args, "reason"))
			res->audit_reason = xstrdup(verb_opt(args, "reason"));
		if (st == SC_CANCELLED && mutates) { /* a request cut off in flight may have landed */
			size_t n = strlen(err->message);
			snprintf(err->message + n, sizeof(err->message) - n,
				 "; the request may have reached SES before it was cancelled: read "
				 "the state back before repeating it");
		}
	}
	if (!mutates)
		return st;
	if (audit_attempt(core, v, cmd_argc, cmd_argv, st, err, res, now_ms() - start, false,
			  &werr) == SC_OK)
		return st;
	/* once more (a busy lock, a moment of full disk), then loudly */
	if (audit_attempt(core, v, cmd_argc, cmd_argv, st, err, res, now_ms() - start, false,
			  &werr) == SC_OK)
		return st;
	if (st == SC_OK) { /* done, but the trail does not say so: never a quiet exit 0 */
		sc_error_clear(err);
		return sc_fail(err, SC_IO,
			       "'%s' was done, but its outcome could not be written to the audit "
			       "trail (it shows the change as started only): %s",
			       v->name, werr.message);
	}
	size_t n = strlen(err->message);
	snprintf(err->message + n, sizeof(err->message) - n,
		 "; its outcome could not be written to the audit trail either: %s", werr.message);
	return st;
}

enum sc_status verb_run(struct core *core, const struct verb *v, const struct verb_args *args,
                        int cmd_argc, char **cmd_argv, verb_confirm_fn confirm, void *confirm_ud,
                        struct verb_result *res, struct sc_error *err)
{
	enum sc_status st = run_audited(core, v, args, cmd_argc, cmd_argv, confirm, confirm_ud, res,
					err);

	/* after the audit's outcome: the fleet's row says the change, and who made it, at once */
	if (st == SC_OK && (v->flags & VF_MUTATES) && core->account_id && core->region)
		fleet_summarize(core, core->account_id, core->region, NULL);
	return st;
}

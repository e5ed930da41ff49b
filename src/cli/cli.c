#include "sesctl/cli/cli.h"

#include <cjson/cJSON.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "sesctl/cli/out.h"
#include "sesctl/tui/app.h"
#include "sesctl/core/verbs.h"
#include "sesctl/util/buf.h"

/* GLOBAL_FLAGS(_): id, long name, short letter (0: none), takes value, metavar, help.
 * Feeds parsing, `sesctl --help` and the man page test. */
#define GLOBAL_FLAGS(_)                                                                        \
	_(PROFILE, "profile", 0, 1, "NAME", "AWS profile (an explicit profile skips AWS_* key variables)") \
	_(REGION, "region", 0, 1, "REGION", "region; repeat it, or 'all' for the profile's regions") \
	_(ENDPOINT, "endpoint-url", 0, 1, "URL", "send every call to this endpoint (http only to loopback)") \
	_(FLEET, "fleet", 0, 2, "[=NAME]", "every cell of [fleet] (or [fleet NAME]): sync, fleet, find") \
	_(READ_ONLY, "read-only", 0, 0, "", "refuse every verb that changes the account")            \
	_(OFFLINE, "offline", 0, 0, "", "cache only, no network; shows the data's age")               \
	_(JSON, "json", 0, 0, "", "JSON output (stable field names)")                                 \
	_(CSV, "csv", 0, 0, "", "CSV output")                                                         \
	_(FORMAT, "format", 0, 1, "text|json|csv", "output format")                                   \
	_(YES, "yes", 'y', 0, "", "answer yes to confirmations (scripts)")                           \
	_(CONFIRM, "confirm", 0, 1, "ACCOUNT", "the account id (or alias) a protected profile asks for") \
	_(NO_COLOR, "no-color", 0, 0, "", "no colour (NO_COLOR is honoured too)")                     \
	_(ASCII, "ascii", 0, 0, "", "ASCII only: no line drawing, braille or other UTF-8 glyphs")   \
	_(QUIET, "quiet", 'q', 0, "", "print only errors and requested data")                        \
	_(VERBOSE, "verbose", 'v', 0, "", "more detail on stderr (repeatable)")                      \
	_(CACHE, "cache", 0, 1, "FILE", "cache database (default $XDG_CACHE_HOME/sesctl/cache.sqlite3)") \
	_(CONFIG, "config", 0, 1, "FILE", "sesctl config file (default $XDG_CONFIG_HOME/sesctl/config)") \
	_(DNS_SERVER, "dns-server", 0, 1, "HOST[:PORT]", "resolver for DNS checks")                 \
	_(DEADLINE, "deadline", 0, 1, "SECONDS", "stop a verb after this long (default 900; 0: never)")

enum gflag {
#define GF_ENUM(id, name, sh, val, meta, help) GF_##id,
	GLOBAL_FLAGS(GF_ENUM)
#undef GF_ENUM
	GF_COUNT
};

struct gflag_row {
	const char *name;
	char shortopt;
	int takes_value;
	const char *meta;
	const char *help;
};

static const struct gflag_row gflags[] = {
#define GF_ROW(id, name, sh, val, meta, help) {name, sh, val, meta, help},
	GLOBAL_FLAGS(GF_ROW)
#undef GF_ROW
};

#define MAX_REGIONS 32

/* Which global flag is argv word a, if any; sets *inline_value for --x=v. */
static int gflag_of(const char *a, const char **inline_value)
{
	*inline_value = NULL;
	if (a[0] == '-' && a[1] && a[1] != '-' && !a[2]) {
		for (int i = 0; i < GF_COUNT; i++)
			if (gflags[i].shortopt == a[1])
				return i;
		return -1;
	}
	if (strncmp(a, "--", 2))
		return -1;
	for (int i = 0; i < GF_COUNT; i++) {
		size_t n = strlen(gflags[i].name);

		if (!strncmp(a + 2, gflags[i].name, n) && (a[2 + n] == '\0' || a[2 + n] == '=')) {
			if (a[2 + n] == '=')
				*inline_value = a + 3 + n;
			return i;
		}
	}
	return -1;
}

/* Does the verb named by rest[0..] declare this option itself? */
static bool verb_owns(char **rest, int n_rest, const char *a)
{
	const struct verb *v = n_rest ? verb_find(n_rest, rest, NULL) : NULL;
	const char *p;
	size_t len;

	if (!v || !v->options || strncmp(a, "--", 2))
		return false;
	a += 2;
	len = strcspn(a, "=");
	for (p = v->options; *p;) {
		size_t n = strcspn(p, " ");
		size_t base = n && p[n - 1] == '=' ? n - 1 : n;

		if (base == len && !strncmp(p, a, len))
			return true;
		p += n;
		while (*p == ' ')
			p++;
	}
	return false;
}

/* Whole seconds, 0 (no deadline) to a day. */
static enum sc_status parse_deadline(struct core_options *opt, const char *what, const char *val,
				     struct sc_error *err)
{
	char *end;
	long s = val && *val ? strtol(val, &end, 10) : -1;

	if (!val || !*val || *end || s < 0 || s > 86400)
		return sc_fail(err, SC_USAGE, "%s takes whole seconds from 0 (no deadline) to 86400, "
				"not '%s'", what, val ? val : "");
	opt->deadline_s = (unsigned)s;
	opt->deadline_set = true;
	return SC_OK;
}

static enum sc_status set_gflag(struct core_options *opt, int id, const char *val,
				const char **regions_buf, struct sc_error *err)
{
	switch (id) {
	case GF_PROFILE: opt->profile = val; break;
	case GF_REGION:
		if (opt->n_regions >= MAX_REGIONS)
			return sc_fail(err, SC_USAGE, "too many --region flags (at most %d)", MAX_REGIONS);
		regions_buf[opt->n_regions++] = val;
		opt->regions = regions_buf;
		break;
	case GF_ENDPOINT: opt->endpoint_url = val; break;
	case GF_FLEET: opt->fleet = val; break;
	case GF_READ_ONLY: opt->read_only = true; break;
	case GF_OFFLINE: opt->offline = true; break;
	case GF_JSON: opt->format = CORE_FMT_JSON; break;
	case GF_CSV: opt->format = CORE_FMT_CSV; break;
	case GF_FORMAT:
		if (!strcmp(val, "json"))
			opt->format = CORE_FMT_JSON;
		else if (!strcmp(val, "csv"))
			opt->format = CORE_FMT_CSV;
		else if (!strcmp(val, "text") || !strcmp(val, "table"))
			opt->format = CORE_FMT_TEXT;
		else
			return sc_fail(err, SC_USAGE, "--format must be text, json or csv, not '%s'", val);
		break;
	case GF_YES: opt->yes = true; break;
	case GF_CONFIRM: opt->confirm = val; break;
	case GF_NO_COLOR: opt->no_color = true; break;
	case GF_ASCII: opt->ascii = true; break;
	case GF_QUIET: opt->quiet = true; break;
	case GF_VERBOSE: opt->verbose++; break;
	case GF_CACHE: opt->cache_path = val; break;
	case GF_CONFIG: opt->config_path = val; break;
	case GF_DNS_SERVER: opt->dns_server = val; break;
	case GF_DEADLINE: return parse_deadline(opt, "--deadline", val, err);
	default: break;
	}
	return SC_OK;
}

enum sc_status cli_parse_globals(int argc, char **argv, struct core_options *opt,
				 const char **regions_buf, char **rest, int *n_rest,
				 struct sc_error *err)
{
	*n_rest = 0;
	for (int i = 0; i < argc; i++) {
		const char *val;
		int id = gflag_of(argv[i], &val);
		enum sc_status st;

		if (!strcmp(argv[i], "--")) {
			while (i < argc)
				rest[(*n_rest)++] = argv[i++];
			break;
		}
		if (id < 0 || verb_owns(rest, *n_rest, argv[i])) {
			if (argv[i][0] == '-' && argv[i][1] && argv[i][1] != '-' && id < 0 && !*n_rest)
				return sc_fail(err, SC_USAGE, "unknown flag '%s' (see sesctl --help)", argv[i]);
			rest[(*n_rest)++] = argv[i];
			continue;
		}
		if (gflags[id].takes_value == 2) { /* an optional value, only as --x=v */
			val = val ? val : "";
		} else if (gflags[id].takes_value && !val) {
			if (i + 1 >= argc)
				return sc_fail(err, SC_USAGE, "--%s needs a value (%s)", gflags[id].name,
					       gflags[id].meta);
			val = argv[++i];
		} else if (!gflags[id].takes_value && val) {
			return sc_fail(err, SC_USAGE, "--%s takes no value", gflags[id].name);
		}
		st = set_gflag(opt, id, val ? val : "", regions_buf, err);
		if (st)
			return st;
	}
	return SC_OK;
}

void cli_usage(FILE *f)
{
	fprintf(f, "usage: sesctl [flags] [<verb> [args]]   (no verb: the console)\n\nverbs:\n");
	for (const struct verb *v = verb_table; v->name; v++)
		if (!(v->flags & VF_HIDDEN))
			fprintf(f, "  %-22s %s\n", v->name, v->summary);
	fprintf(f, "\nflags:\n");
	for (int i = 0; i < GF_COUNT; i++) {
		char left[64];

		snprintf(left, sizeof(left), "%s%c%s--%s%s%s", gflags[i].shortopt ? "-" : "",
			 gflags[i].shortopt ? gflags[i].shortopt : ' ', gflags[i].shortopt ? "," : " ",
			 gflags[i].name, gflags[i].takes_value == 1 ? " " : "", gflags[i].meta);
		fprintf(f, "  %-30s %s\n", left, gflags[i].help);
	}
	fprintf(f, "\nEvery verb that changes the account also takes --reason TEXT: the audit trail\n"
		   "keeps it, and it rides in the User-Agent into the account's CloudTrail.\n");
	fprintf(f, "\nexit codes:\n");
	for (int s = 0; s < SC_STATUS_COUNT; s++)
		fprintf(f, "  %3d  %s\n", sc_status_exit_code(s), sc_status_desc(s));
	fprintf(f, "\nSee sesctl(1) for every verb's options.\n");
}

/* Ask on the terminal; only when stdin and stderr are terminals. */
static enum verb_confirm tty_confirm(void *ud, const char *question, const char *expect)
{
	char line[512];
	bool yes, got;
	unsigned left;

	(void)ud;
	if (!isatty(STDIN_FILENO) || !isatty(STDERR_FILENO))
		return VERB_CONFIRM_NO_ONE_TO_ASK;
	fprintf(stderr, "%s %s", question, expect ? "" : "[y/N] ");
	fflush(stderr);
	left = alarm(0); /* the deadline is for the work, not for the person reading */
	got = fgets(line, sizeof(line), stdin) != NULL;
	if (left)
		alarm(left);
	if (!got)
		return VERB_CONFIRM_CANCELLED;
	line[strcspn(line, "\r\n")] = '\0';
	if (expect)
		yes = verb_confirm_matches(expect, line);
	else
		yes = !strcasecmp(line, "y") || !strcasecmp(line, "yes");
	return yes ? VERB_CONFIRM_YES : VERB_CONFIRM_CANCELLED;
}

/* Ctrl-C while a verb runs: the first one cancels the calls in flight and the verb ends
 * with exit 15 (what arrived is kept); a second one ends sesctl at once. The deadline
 * (SIGALRM) stops the same way, and the end says it was the deadline. */
#define INTERRUPTED_BY_DEADLINE 2
#define DEADLINE_DEFAULT_S 900
static volatile sig_atomic_t interrupted;

static void on_deadline(int sig)
{
	(void)sig;
	if (!interrupted)
		interrupted = INTERRUPTED_BY_DEADLINE;
}

static void on_interrupt(int sig)
{
	if (interrupted) {
		signal(sig, SIG_DFL);
		raise(sig);
		return;
	}
	interrupted = 1;
}

static void catch_interrupt(void)
{
	struct sigaction sa;

	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_interrupt; /* no SA_RESTART: a blocked read or poll returns */
	sigemptyset(&sa.sa_mask);
	sigaction(SIGINT, &sa, NULL);
	sigaction(SIGTERM, &sa, NULL);
	sa.sa_handler = on_deadline;
	sigaction(SIGALRM, &sa, NULL);
}

static void cli_emit(void *ud, const struct cJSON *row, const char *line)
{
	out_row(stdout, ud, row, line);
}

/* A verb the deadline stopped: exit 7 (timed out), saying so before what was done. */
static void blame_deadline(const struct core_options *opt, enum sc_status *st,
			   struct sc_error *err)
{
	char was[SC_ERR_MSG_MAX];

	if (interrupted != INTERRUPTED_BY_DEADLINE || *st == SC_OK)
		return;
	snprintf(was, sizeof(was), "%s", err->message);
	if (*st == SC_CANCELLED)
		*st = err->status = SC_NETWORK;
	snprintf(err->message, sizeof(err->message),
		 "stopped at the deadline (%u s; --deadline or SESCTL_DEADLINE sets it): %.400s",
		 opt->deadline_s, was);
}

/* A change the console confirmed runs as `sesctl ... --json --yes WORDS` (bgsync.h); the
 * trail records what the operator asked the console for: SESCTL_AUDIT_COMMAND, a JSON
 * array of the words after "sesctl". Read once and unset, so nothing the verb starts sees it.
 * NULL when unset or not an array of strings. Free with free() (one block). */
static char **audit_command(int *argc_out)
{
	const char *text = getenv("SESCTL_AUDIT_COMMAND");
	cJSON *a = text ? cJSON_Parse(text) : NULL, *w;
	size_t n = 0, bytes = 0;
	char **v = NULL, *p;

	unsetenv("SESCTL_AUDIT_COMMAND"); /* parsed above; nothing started later sees it */
	if (!cJSON_IsArray(a)) {
		cJSON_Delete(a);
		return NULL;
	}
	cJSON_ArrayForEach(w, a)
	{
		if (!cJSON_IsString(w)) {
			cJSON_Delete(a);
			return NULL;
		}
		n++;
		bytes += strlen(w->valuestring) + 1;
	}
	if (n && n < 256) {
		v = xcalloc(1, (n + 1) * sizeof(*v) + bytes);
		p = (char *)(v + n + 1);
		n = 0;
		cJSON_ArrayForEach(w, a)
		{
			v[n++] = strcpy(p, w->valuestring);
			p += strlen(p) + 1;
		}
		*argc_out = (int)n;
	}
	cJSON_Delete(a);
	return v;
}

static int fail(const struct core_options *opt, const struct sc_error *err)
{
	out_error(stderr, opt, err);
	return sc_status_exit_code(err->status);
}

int cli_main(int argc, char **argv)
{
	const char *regions_buf[MAX_REGIONS];
	struct core_options opt = {0};
	struct verb_result res;
	struct verb_args args;
	struct sc_error err;
	struct core core;
	const struct verb *v;
	enum sc_status st;
	char **rest = xcalloc((size_t)argc + 1, sizeof(*rest)), **recorded;
	int n_rest = 0, words = 0, code, recorded_argc = 0;

	sc_error_clear(&err);
	if (cli_parse_globals(argc, argv, &opt, regions_buf, rest, &n_rest, &err)) {
		free(rest);
		return fail(&opt, &err);
	}
	if (opt.ascii)
		setenv("SESCTL_ASCII", "1", 1);
	if (n_rest == 0) { /* no verb: the console */
		if (core_init(&core, &opt, &err)) {
			free(rest);
			return fail(&opt, &err);
		}
		code = tui_main(&core);
		core_free(&core);
		free(rest);
		return code;
	}
	v = verb_find(n_rest, rest, &words);
	if (!v) {
		sc_fail(&err, SC_USAGE, "unknown verb '%s' (see sesctl --help)", n_rest ? rest[0] : "");
		free(rest);
		return fail(&opt, &err);
	}
	if (verb_parse_args(v, n_rest - words, rest + words, &args, &err)) {
		free(rest);
		return fail(&opt, &err);
	}
	opt.interrupt = &interrupted;
	opt.emit = cli_emit;
	opt.emit_ud = &opt;
	if (!opt.deadline_set && getenv("SESCTL_DEADLINE") &&
	    parse_deadline(&opt, "SESCTL_DEADLINE", getenv("SESCTL_DEADLINE"), &err)) {
		verb_args_free(&args);
		free(rest);
		return fail(&opt, &err);
	}
	if (!opt.deadline_set && !verb_flag(&args, "follow")) /* a follow runs until Ctrl-C */
		opt.deadline_s = DEADLINE_DEFAULT_S;
	catch_interrupt();
	alarm(opt.deadline_s);
	opt.stream = true; /* out_result() walks a verb's row source itself */
	if (core_init(&core, &opt, &err)) {
		verb_args_free(&args);
		free(rest);
		return fail(&opt, &err);
	}
	recorded = audit_command(&recorded_argc);
	st = verb_run(&core, v, &args, recorded ? recorded_argc : argc, recorded ? recorded : argv,
		      tty_confirm, NULL, &res, &err);
	free(recorded);
	alarm(0);
	blame_deadline(&opt, &st, &err);
	/* after the run: the cache opens lazily, so a rebuilt one is known only now */
	if (core.cache_warning && !opt.quiet)
		fprintf(stderr, "sesctl: %s\n", core.cache_warning);
	switch (st) {
	case SC_OK: /* a streamed list reads the cache as it writes: that can still fail */
		code = out_result(stdout, &opt, &res, &err) ? fail(&opt, &err) : 0;
		break;
	case SC_PARTIAL: /* what did arrive is printed; the sentence says what did not */
	case SC_DNS_NOT_OK: { /* the records with their statuses, then the gate's sentence */
		struct sc_error out_err;

		sc_error_clear(&out_err);
		if (out_result(stdout, &opt, &res, &out_err))
			fail(&opt, &out_err);
		code = fail(&opt, &err);
		break;
	}
	default:
		code = fail(&opt, &err);
		break;
	}
	verb_result_free(&res);
	verb_args_free(&args);
	core_free(&core);
	free(rest);
	return code;
}

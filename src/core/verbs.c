#include "sesctl/core/verbs.h"

#include <stdlib.h>
#include <string.h>

#include "verbs_impl.h"

const struct verb verb_table[] = {
#define VERB_ROW(id, name, usage, flags, mn, mx, opts, carg, summary)                              \
	{name, usage, flags, mn, mx, opts, summary, verb_##id, carg},
    VERB_TABLE(VERB_ROW)
#undef VERB_ROW
        {0},
};

/* Number of words in a verb name ("identity create" → 2). */
static int name_words(const char *name)
{
	int n = 1;

	for (; *name; name++)
		n += *name == ' ';
	return n;
}

static bool words_match(const char *name, int argc, char *const *argv, int words)
{
	const char *p = name;

	if (argc < words)
		return false;
	for (int i = 0; i < words; i++) {
		size_t len = strcspn(p, " ");

		if (strlen(argv[i]) != len || strncmp(argv[i], p, len))
			return false;
		p += len + (p[len] == ' ');
	}
	return true;
}

const struct verb *verb_find(int argc, char *const *argv, int *consumed)
{
	const struct verb *best = NULL;
	int best_words = 0;

	for (const struct verb *v = verb_table; v->name; v++) {
		int w = name_words(v->name);

		if (w > best_words && words_match(v->name, argc, argv, w)) {
			best = v;
			best_words = w;
		}
	}
	if (consumed)
		*consumed = best_words;
	return best;
}

/* Is "name" among the verb's options? Sets *takes_value. */
static bool option_known(const struct verb *v, const char *name, size_t len, bool *takes_value)
{
	const char *p = v->options;

	while (p && *p) {
		size_t n = strcspn(p, " ");
		bool val = n && p[n - 1] == '=';
		size_t base = val ? n - 1 : n;

		if (base == len && !strncmp(p, name, len)) {
			*takes_value = val;
			return true;
		}
		p += n;
		while (*p == ' ')
			p++;
	}
	/* every change may say why: the audit keeps it and the User-Agent carries it into
	 * the account's CloudTrail (verb_run) */
	if ((v->flags & VF_MUTATES) && len == 6 && !strncmp(name, "reason", 6)) {
		*takes_value = true;
		return true;
	}
	return false;
}

enum sc_status verb_parse_args(const struct verb *v, int argc, char **argv, struct verb_args *args,
                               struct sc_error *err)
{
	memset(args, 0, sizeof(*args));
	args->argv = xcalloc((size_t)argc + 1, sizeof(*args->argv));
	args->opts = xcalloc((size_t)argc + 1, sizeof(*args->opts));
	for (int i = 0; i < argc; i++) {
		const char *a = argv[i], *eq;
		bool takes_value = false;
		size_t len;

		if (!strcmp(a, "--")) {
			while (++i < argc)
				args->argv[args->argc++] = argv[i];
			break;
		}
		if (strncmp(a, "--", 2) || !a[2]) {
			args->argv[args->argc++] = argv[i];
			continue;
		}
		a += 2;
		eq = strchr(a, '=');
		len = eq ? (size_t)(eq - a) : strlen(a);
		if (!option_known(v, a, len, &takes_value)) {
			verb_args_free(args);
			return sc_fail(err, SC_USAGE,
			               "'sesctl %s' does not take --%.*s (usage: sesctl %s %s)",
			               v->name, (int)len, a, v->name, v->usage);
		}
		args->opts[args->n_opts].name = argv[i] + 2;
		if (takes_value && eq) {
			args->opts[args->n_opts].value = eq + 1;
		} else if (takes_value) {
			if (i + 1 >= argc) {
				verb_args_free(args);
				return sc_fail(err, SC_USAGE, "--%.*s needs a value", (int)len, a);
			}
			args->opts[args->n_opts].value = argv[++i];
		} else if (eq) {
			verb_args_free(args);
			return sc_fail(err, SC_USAGE, "--%.*s takes no value", (int)len, a);
		} else {
			args->opts[args->n_opts].value = "";
		}
		args->n_opts++;
	}
	if (args->argc < v->min_args || (v->max_args >= 0 && args->argc > v->max_args)) {
		verb_args_free(args);
		return sc_fail(err, SC_USAGE, "usage: sesctl %s %s", v->name, v->usage);
	}
	return SC_OK;
}

size_t verb_complete(const char *prefix, const char **out, size_t max)
{
	size_t n = 0, len = strlen(prefix);

	for (const struct verb *v = verb_table; v->name && n < max; v++)
		if (!(v->flags & VF_HIDDEN) && !strncmp(v->name, prefix, len))
			out[n++] = v->name;
	return n;
}

/* Private to src/core: the run functions behind the verb table. */
#ifndef SESCTL_CORE_VERBS_IMPL_H
#define SESCTL_CORE_VERBS_IMPL_H

#include "sesctl/core/core.h"
#include "sesctl/core/verbs.h"

/*
 * VERB_TABLE(_): id, name, usage, flags, min args, max args, options, confirm_arg, summary.
 * Options are a space-separated list: "name=" takes a value, "name" is a flag.
 */
#define VERB_TABLE(_)                                                                          \
	_(whoami, "whoami", "", VF_ONLINE, 0, 0, "", -1,                                       \
	  "Show profile, region, endpoint, credential source, account id and ARN")

#define VERB_DECL(id, name, usage, flags, mn, mx, opts, carg, summary)                         \
	enum sc_status verb_##id(struct core *core, const struct verb_args *args,               \
				 struct verb_result *res, struct sc_error *err);
VERB_TABLE(VERB_DECL)
#undef VERB_DECL

/* Write the audit record of a mutation attempt (core.c). */
void core_audit(struct core *core, const struct verb *v, int argc, char **argv,
		enum sc_status st, const struct sc_error *err, const struct verb_result *res,
		double ms);

#endif

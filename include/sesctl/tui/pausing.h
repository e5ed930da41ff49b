#ifndef SESCTL_TUI_PAUSING_H
#define SESCTL_TUI_PAUSING_H

/*
 * P in the Account and Streams panes: pause or resume sending for the account (set NULL) or
 * one configuration set. A resume first recalls the last pause on record (when, who, why)
 * and asks; both ask for a reason, then run `sending pause|resume --reason R
 * [--config-set SET]` through tui_run_verb() (typed confirmation, audit). Read-only or
 * offline: the verb is run without asking, so it refuses and audits the attempt. `paused` is
 * the state shown to the operator; set is copied before anything reloads.
 */

#include <stdbool.h>

struct tui;

void pausing_toggle(struct tui *tui, const char *set, bool paused);

/* P in the Tenants pane: pause the tenant, or resume it when paused (the reminder of who
 * paused it first). aws_paused: AWS paused it (aws_cause says why) — nothing sesctl can
 * lift: say so instead of asking; a pause is still offered (it outlasts AWS's). */
void pausing_tenant(struct tui *tui, const char *tenant, bool paused, const char *aws_cause,
		    bool aws_paused);

#endif

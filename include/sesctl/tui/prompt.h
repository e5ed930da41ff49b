#ifndef SESCTL_TUI_PROMPT_H
#define SESCTL_TUI_PROMPT_H

/*
 * The `:` command line and running verbs from the console: what a key, a pane or a script
 * line asks to run goes through here (confirm dialogs, audit, status line, reload). The
 * line editor itself (prompt_read) is a widget (widgets.h).
 */

#include "sesctl/tui/tui.h"
#include "sesctl/util/err.h"

/* Run a command line as typed after `:` (a prompt command or a verb). %(name) is replaced
 * by the variable the focused pane set for its selected row (tig's %(commit)), quoted as
 * one word: `:identity show %(identity)`. An unset variable refuses the command. */
void tui_command(struct tui *tui, const char *line);

/* Set (value NULL: unset) a %(name) variable; a pane's select op calls this. */
void tui_set_var(struct tui *tui, const char *name, const char *value);
/* Its value, or NULL. */
const char *tui_var(const struct tui *tui, const char *name);

/* Run a verb given as words (argv after "sesctl"), with the dialog confirm hook, report
 * the result on the status line and reload the panes. A verb that this build does not
 * have yet gives "not available yet: sesctl <words>". Returns its status. */
enum sc_status tui_run_verb(struct tui *tui, int argc, char **argv);

/* Forget the Output pane's answer (at exit, before a new one). */
void tui_output_clear(struct tui_output *o);

/* Open the `:` prompt with initial text (may be NULL) and run what is entered. */
void tui_prompt_command(struct tui *tui, const char *initial);

#endif

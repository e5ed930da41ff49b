#ifndef SESCTL_TUI_APP_H
#define SESCTL_TUI_APP_H

/*
 * The console: main loop, header, tab bar, status line, the `:` command prompt, and the
 * script facility used by the tests (tig's TIG_SCRIPT).
 *
 * tui_main(core) is what main.c calls when no verb is given. The core is borrowed (the
 * caller made it with core_init() and frees it after). No network before the first frame:
 * the panes draw what the cache holds, with its age in the header.
 *
 * Environment:
 *   SESCTL_NO_DISPLAY=1   curses on /dev/null (size from LINES/COLUMNS): no tty needed
 *   SESCTL_TEST_SCRIPT=F  read input from F instead of the keyboard, one step a line:
 *                           key <name>        one key (keys.h names: j, <Enter>, <C-c>)
 *                           keys <text>       each character of text as a key
 *                           :<command>        run a prompt command (as if typed after `:`)
 *                           resize COLS ROWS  resize the screen (headless) and redraw
 *                           # comment, blank lines ignored
 *                         the console exits when the script ends
 *   SESCTL_ASCII=1        ASCII borders and glyphs (also under a non-UTF-8 locale)
 *
 * Prompt commands besides verbs: `save-display FILE` (the screen as plain text), `quit`,
 * a pane name (`identities`, `help`). Verbs may use %(name) variables (tui_command).
 *
 * The console's state and the frame's services (tui_getkey, tui_draw, tui_reload,
 * tui_focus) are in tui.h, the `:` commands and tui_run_verb in prompt.h; this header
 * includes both, so a pane includes only this one. Modules the loop itself calls (prompt,
 * dialogs, pane.c, refresh) include tui.h instead: app.c is above them.
 *
 * Main loop: draw, then tui->wait() ("wait for input or timeout", the hook through which
 * the refresh engine will multiplex its own fds), read a key, map it to a request, offer
 * it to the focused pane, then handle it globally.
 */

#include "sesctl/core/core.h"
#include "sesctl/tui/prompt.h"
#include "sesctl/tui/tui.h"

/* Run the console until quit. Returns the process exit code. */
int tui_main(struct core *core);

#endif

/* The help pane: every request with its current keys (REQ_INFO + [keys] overrides), then
 * every verb the `:` prompt accepts (the verb table). */
#include <stdio.h>
#include <string.h>

#include "sesctl/core/verbs.h"
#include "sesctl/tui/app.h"
#include "sesctl/tui/pane.h"

static const struct table_col help_cols[] = {
	{"scope", 10, 0},
	{"keys", 22, 0},
	{"request", 14, 0},
	{"description", 20, TCOL_FLEX},
};

/* What the `:` prompt takes besides verbs. */
static const char *const prompt_rows[][3] = {
	{":identities, :help", "pane", "go to that pane"},
	{":save-display FILE", "save-display", "write the screen to FILE as plain text"},
	{":theme NAME", "theme", "switch theme live: default, light, high-contrast, mono"},
	{":region NAME", "region", "look at another region (cached data, then a refresh)"},
	{":profile [NAME]", "profile", "list the AWS profiles, or switch to one"},
	{":quit", "quit", "quit"},
	{"%(identity)", "variable", "the selected identity, in a : command"},
	{"%(domain)", "variable", "the selected identity's domain, in a : command"},
};

static enum sc_status help_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	size_t ref = 0;

	(void)err;
	for (int s = 0; s < REQ_SCOPE_COUNT; s++)
		for (int r = REQ_NONE + 1; r < REQ_COUNT; r++) {
			const struct req_info *ri = req_info((enum req)r);
			int pane = req_pane_index(ri->req);
			char keys[128], desc[96];
			const char *cells[4];

			if ((int)ri->scope != s || pane >= PANE_COUNT)
				continue; /* digits only for the panes there are */
			keymap_keys_of(&tui->keymap, ri->req, keys, sizeof(keys));
			if (pane >= 0)
				snprintf(desc, sizeof(desc), "go to the %s pane",
					 pane_registry[pane]->title);
			cells[0] = req_scope_name(ri->scope);
			cells[1] = keys[0] ? keys : "(unbound)";
			cells[2] = ri->name;
			cells[3] = pane >= 0 ? desc : ri->desc;
			table_add(&p->list, ref++, SES_STATE_NONE, cells, NULL);
		}
	for (size_t i = 0; i < sizeof(prompt_rows) / sizeof(prompt_rows[0]); i++) {
		const char *cells[4] = {"prompt", prompt_rows[i][0], prompt_rows[i][1],
					prompt_rows[i][2]};

		table_add(&p->list, ref++, SES_STATE_NONE, cells, NULL);
	}
	for (const struct verb *v = verb_table; v->name; v++) {
		char cmd[128];
		const char *cells[4];

		if (v->flags & VF_HIDDEN)
			continue;
		snprintf(cmd, sizeof(cmd), ":%s", v->name);
		cells[0] = "verb";
		cells[1] = cmd;
		cells[2] = v->flags & VF_MUTATES ? "changes" : "reads";
		cells[3] = v->summary;
		table_add(&p->list, ref++, SES_STATE_NONE, cells, NULL);
	}
	return SC_OK;
}

static enum sc_status help_yank(struct pane *p, struct tui *tui, struct buf *out,
				struct sc_error *err)
{
	const struct table_row *r = table_selected(p->shown);

	(void)tui;
	if (!r)
		return sc_fail(err, SC_NOT_FOUND, "nothing selected");
	/* a verb row copies the verb (without the ':'), a request row its name */
	buf_puts(out, strcmp(r->cells[0], "verb") ? r->cells[2] : r->cells[1] + 1);
	return SC_OK;
}

/* Enter on a verb row opens the prompt with the verb typed in. */
static enum req help_request(struct pane *p, struct tui *tui, enum req req)
{
	const struct table_row *r = table_selected(p->shown);
	char line[160];

	if (req != REQ_ENTER || !r || strcmp(r->cells[0], "verb"))
		return req;
	snprintf(line, sizeof(line), "%s ", r->cells[1] + 1);
	tui_prompt_command(tui, line);
	return REQ_NONE;
}

const struct pane_ops pane_help_ops = {
	.name = "help",
	.title = "Help",
	.flags = PANE_FILTER,
	.cache_kind = -1,
	.cols = help_cols,
	.ncols = sizeof(help_cols) / sizeof(help_cols[0]),
	.empty = "no help",
	.load = help_load,
	.request = help_request,
	.yank = help_yank,
};

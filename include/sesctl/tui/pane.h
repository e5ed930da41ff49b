#ifndef SESCTL_TUI_PANE_H
#define SESCTL_TUI_PANE_H

/*
 * The pane interface (tig's view_ops). A pane is one file in src/tui/ that defines a
 * `const struct pane_ops pane_<name>_ops` and one row in PANE_INFO below; the tab bar,
 * the digit keys and the `:<name>` command come from that table.
 *
 * Panes read the cache (store/db.h and its family headers: store/identities.h, ...) and
 * act only through verbs (core/verbs.h, via tui_run_verb()); they never call ses_*,
 * http_* or aws_*.
 *
 * Every pane has a list table and a detail table (pane.c draws, moves, filters and sorts
 * whichever is shown). Call order: load() when the pane is first shown and after every
 * refresh or verb that may have changed the cache; request() for every request while the
 * pane is focused (return REQ_NONE when handled, else the request for the frame's global
 * handling); done() once at exit. All ops but load are optional.
 *
 * A new pane, in full (src/tui/pane_rules.c), plus `_(RULES, rules)` in PANE_INFO:
 *
 *	static const struct table_col cols[] = {{"rule", 20, TCOL_FLEX}, {"enabled", 8, 0}};
 *
 *	static enum sc_status rules_load(struct pane *p, struct tui *tui, struct sc_error *err)
 *	{
 *		... cache_get_rule_sets(tui->cache, tui->account_id, tui_region(tui), ...) ...
 *		const char *cells[] = {rule->name, rule->enabled ? "on" : "off"};
 *		table_add(&p->list, i, SES_STATE_NONE, cells, NULL)->id = table_id_of(rule->name);
 *	}
 *
 *	const struct pane_ops pane_rules_ops = {
 *		.name = "rules", .title = "Rules", .flags = PANE_FILTER | PANE_SORT,
 *		.cache_kind = CACHE_KIND_RULE_SETS, .cols = cols, .ncols = 2,
 *		.empty = "no receipt rules cached", .load = rules_load,
 *	};
 *
 * Actions: request() builds the argv a user would type and calls tui_run_verb() (which
 * confirms through dialogs, audits, reports on the status line and reloads); a verb the
 * table does not have yet gives "not available yet: sesctl <words>". New keys are rows
 * in REQ_INFO with the pane's scope (keys.h). select() sets %(name) variables for `:`
 * commands with tui_set_var().
 */

#include <stdbool.h>

#include "sesctl/ses/history.h"
#include "sesctl/tui/keys.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

struct pane;
struct tui;

enum pane_flag {
	PANE_FILTER = 1 << 0,  /* `/` filters its rows */
	PANE_SORT = 1 << 1,    /* `s` sorts */
	PANE_REFRESH = 1 << 2, /* shows SES data: the header shows its data age */
	PANE_FOLLOWS = 1 << 3, /* shows what another pane selected (%(domain)): focusing it
	                          loads it again when a selection changed meanwhile */
	PANE_ON_DEMAND = 1 << 4, /* a tab only once it has something to show (tui_pane_shown) */
};

struct pane_ops {
	const char *name;         /* "identities": `:identities`, scope in the help */
	const char *title;        /* "Identities": the tab bar */
	const char *short_title;  /* "Ids": the tab bar when the titles do not fit (NULL: title) */
	unsigned flags;
	int cache_kind;           /* enum cache_kind whose age the header shows; -1: none */
	const struct table_col *cols; /* the list's columns */
	size_t ncols;
	const char *empty;        /* the list's text when it has no rows */
	/* Add rows to p->list (emptied before) from the cache; tui->cache may be NULL. */
	enum sc_status (*load)(struct pane *p, struct tui *tui, struct sc_error *err);
	/* Draw the body in lines y..y+h-1 instead of the table (graphs); returns the line for
	 * the hardware cursor. NULL: the shown table is drawn. */
	int (*draw)(struct pane *p, struct tui *tui, int y, int h);
	/* The same for the detail view (its title, graphs, then table_draw of p->detail in the
	 * rest); NULL: the title and the detail table. */
	int (*draw_detail)(struct pane *p, struct tui *tui, int y, int h);
	/* Handle a request; REQ_NONE when handled. */
	enum req (*request)(struct pane *p, struct tui *tui, enum req req);
	/* Filter test for a list row; NULL → substring over the cells. */
	bool (*match)(struct pane *p, const struct table_row *row, const char *needle);
	/* Text to copy for the selected row (list or detail); SC_NOT_FOUND when nothing. */
	enum sc_status (*yank)(struct pane *p, struct tui *tui, struct buf *out,
			       struct sc_error *err);
	/* Names starting with prefix that a verb's argument may take (Tab completion after a
	 * verb in the `:` prompt); pointers stay valid until the next load. */
	size_t (*words)(struct pane *p, const char *prefix, const char **out, size_t max);
	/* The selection changed. */
	void (*select)(struct pane *p, struct tui *tui);
	/* Free private state. */
	void (*done)(struct pane *p);
};

struct pane {
	const struct pane_ops *ops;
	struct table list;
	struct table detail;
	struct table *shown;      /* &list or &detail */
	char detail_title[256];   /* sanitized when drawn */
	bool loaded;
	bool partial;             /* loaded a first screen only: the loop loads the rest once it
				   * is drawn (a pane's load sets it; pane_load clears it) */
	unsigned vars_gen;        /* tui->vars_gen when it was last loaded */
	void *priv;               /* the pane's own state (its ops free it in done) */
};

/* ENUM, file prefix (pane_<prefix>_ops) */
#define PANE_INFO(_)                                                                          \
	_(IDENTITIES, identities)                                                             \
	_(REPUTATION, reputation)                                                             \
	_(ACCOUNT, account)                                                                   \
	_(LOG, log)                                                                           \
	_(DNS, dns)                                                                           \
	_(RULES, rules)                                                                       \
	_(HELP, help)                                                                         \
	_(OUTPUT, output)                                                                     \
	_(STREAMS, streams)                                                                   \
	_(EVENTS, events)                                                                     \
	_(TENANTS, tenants)                                                                   \
	_(DMARC, dmarc)                                                                       \
	_(FLEET, fleet)

enum pane_id {
#define PANE_ID_ENUM(id, prefix) PANE_##id,
	PANE_INFO(PANE_ID_ENUM)
#undef PANE_ID_ENUM
	PANE_COUNT
};

#define PANE_OPS_DECL(id, prefix) extern const struct pane_ops pane_##prefix##_ops;
PANE_INFO(PANE_OPS_DECL)
#undef PANE_OPS_DECL

/* The registry, in PANE_INFO order. */
extern const struct pane_ops *const pane_registry[PANE_COUNT];

/* -1 when no pane has that name. */
int pane_find(const char *name);

/* text_flags: the ui's (TEXT_ASCII in ASCII mode). */
void pane_init(struct pane *p, const struct pane_ops *ops, unsigned text_flags);
void pane_done(struct pane *p);
/* Empty the list, ops->load, then refresh the view (filter, sort, selection kept). */
enum sc_status pane_load(struct pane *p, struct tui *tui, struct sc_error *err);

/* Detail view: start (clears the detail table, shows it), then add attribute/value rows;
 * a multi-line value becomes one row per line. */
void pane_detail_open(struct pane *p, const char *title);
void pane_detail_add(struct pane *p, const char *attr, const char *value, enum ses_state st);
/* A "last changed" line: the newest change of the resource in the merged history (who, when,
 * with which tool, what and why), or that the history does not know one. */
void pane_detail_last_change(struct pane *p, struct tui *tui, enum ct_resource kind,
			     const char *name);
/* A "paused by" line for a paused configuration set or tenant (kind CT_RES_CONFIG_SET,
 * CT_RES_TENANT): who, when, with which tool, why. */
void pane_detail_paused_by(struct pane *p, struct tui *tui, enum ct_resource kind,
			   const char *name);
bool pane_in_detail(const struct pane *p);
void pane_detail_close(struct pane *p);

/* The detail view's title line at y (for a draw_detail op). */
void pane_draw_detail_title(struct pane *p, struct tui *tui, int y);
/* Draw the pane's body in lines y..y+h-1; returns the screen line for the hardware cursor. */
int pane_draw(struct pane *p, struct tui *tui, int y, int h);

/* The generic part of request handling (moves, sort, filter clear, back from the detail,
 * yank). REQ_NONE when handled. */
enum req pane_request(struct pane *p, struct tui *tui, enum req req);

#endif

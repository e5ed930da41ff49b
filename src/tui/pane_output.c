/* The Output pane: what a read verb run from `:` answered, as a table that scrolls,
 * filters, sorts and copies (`:suppression list --since 1d`, `:identities list`, `:log`).
 * Rows are the result's objects, columns the verb's own (its --csv columns) or the first
 * object's keys; Enter shows one row whole; y copies the selected cell of the first column
 * (in the detail: the value). A text result (a zone file) is one row per line. The tab is
 * shown once there is output. */
#include <cjson/cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/tui/pane.h"
#include "sesctl/tui/tui.h"
#include "sesctl/util/buf.h"
#include "sesctl/util/text.h"

#define OUTPUT_COLS_MAX 12
#define OUTPUT_COL_WIDTH_MAX 48

static const struct table_col text_cols[] = {{"output", 20, TCOL_FLEX}};

struct output_priv {
	struct table_col cols[OUTPUT_COLS_MAX];
	char *titles[OUTPUT_COLS_MAX];
	size_t ncols;
	const cJSON *rows; /* the array shown (inside tui->output.json) */
};

static struct output_priv *priv_of(struct pane *p)
{
	if (!p->priv)
		p->priv = xcalloc(1, sizeof(struct output_priv));
	return p->priv;
}

static void forget_cols(struct output_priv *pv)
{
	for (size_t i = 0; i < pv->ncols; i++)
		free(pv->titles[i]);
	pv->ncols = 0;
}

/* A value as a cell: strings as they are, numbers without a needless ".0", the rest as
 * compact JSON. Caller frees. */
static char *cell_text(const cJSON *v)
{
	char num[64], *s;

	if (!v || cJSON_IsNull(v))
		return xstrdup("-");
	if (cJSON_IsString(v))
		return xstrdup(v->valuestring);
	if (cJSON_IsBool(v))
		return xstrdup(cJSON_IsTrue(v) ? "true" : "false");
	if (cJSON_IsNumber(v)) {
		snprintf(num, sizeof(num), "%.15g", v->valuedouble);
		return xstrdup(num);
	}
	s = cJSON_PrintUnformatted(v);
	return s ? s : xstrdup("?");
}

static void add_col(struct output_priv *pv, const char *title)
{
	if (pv->ncols == OUTPUT_COLS_MAX)
		return;
	pv->titles[pv->ncols] = xstrdup(title);
	pv->cols[pv->ncols] = (struct table_col){pv->titles[pv->ncols], (int)strlen(title), 0};
	pv->ncols++;
}

/* The verb's columns, else the first object's keys. */
static void pick_cols(struct output_priv *pv, const struct tui_output *o)
{
	const cJSON *first = cJSON_GetArrayItem(pv->rows, 0), *k;

	for (size_t i = 0; o->columns && o->columns[i]; i++)
		add_col(pv, o->columns[i]);
	if (pv->ncols)
		return;
	if (cJSON_IsObject(first))
		cJSON_ArrayForEach(k, first) add_col(pv, k->string);
	else
		add_col(pv, "value");
}

static void load_objects(struct pane *p, struct output_priv *pv)
{
	size_t ref = 0;
	const cJSON *row;

	cJSON_ArrayForEach(row, pv->rows)
	{
		char *cells[OUTPUT_COLS_MAX];

		for (size_t c = 0; c < pv->ncols; c++) {
			const cJSON *v = cJSON_IsObject(row)
					     ? cJSON_GetObjectItemCaseSensitive(row, pv->titles[c])
					     : row;
			cells[c] = cell_text(v);
			int w = (int)text_width(cells[c], strlen(cells[c]));
			if (w > pv->cols[c].width)
				pv->cols[c].width = w < OUTPUT_COL_WIDTH_MAX ? w : OUTPUT_COL_WIDTH_MAX;
		}
		table_add(&p->list, ref++, SES_STATE_NONE, (const char *const *)cells, NULL);
		for (size_t c = 0; c < pv->ncols; c++)
			free(cells[c]);
	}
}

static void load_text(struct pane *p, const char *text)
{
	size_t ref = 0;

	while (text && *text) {
		size_t n = strcspn(text, "\n");
		struct buf line = BUF_INIT;
		const char *cells[1];

		for (size_t i = 0; i < n; i++) /* a zone file's tabs, to the next stop of 8 */
			if (text[i] == '\t')
				do
					buf_putc(&line, ' ');
				while (line.len % 8);
			else
				buf_putc(&line, text[i]);
		cells[0] = buf_str(&line);
		table_add(&p->list, ref++, SES_STATE_NONE, cells, NULL);
		buf_free(&line);
		text += n + (text[n] == '\n');
	}
}

static void load_members(struct pane *p, const cJSON *obj)
{
	size_t ref = 0;
	const cJSON *m;

	cJSON_ArrayForEach(m, obj)
	{
		char *v = cell_text(m);
		const char *cells[2] = {m->string, v};
		int w = (int)strlen(m->string);

		if (w > p->list.cols[0].width && w <= OUTPUT_COL_WIDTH_MAX)
			((struct table_col *)p->list.cols)[0].width = w; /* ours: pv->cols */
		table_add(&p->list, ref++, SES_STATE_NONE, cells, NULL);
		free(v);
	}
}

static enum sc_status output_load(struct pane *p, struct tui *tui, struct sc_error *err)
{
	struct output_priv *pv = priv_of(p);
	const struct tui_output *o = &tui->output;
	const cJSON *j = o->json;

	(void)err;
	forget_cols(pv); /* the list is empty here: its columns may change */
	pv->rows = NULL;
	if (o->array_key && cJSON_IsObject(j))
		j = cJSON_GetObjectItemCaseSensitive(j, o->array_key);
	if (cJSON_IsObject(j)) { /* one object: its members as rows */
		add_col(pv, "attribute");
		add_col(pv, "value");
	} else if (cJSON_IsArray(j)) {
		pv->rows = j;
		pick_cols(pv, o);
	}
	if (pv->ncols) {
		pv->cols[pv->ncols - 1].flags |= TCOL_FLEX;
		p->list.cols = pv->cols; /* before the rows: each row has ncols cells */
		p->list.ncols = pv->ncols;
	} else {
		p->list.cols = text_cols;
		p->list.ncols = 1;
	}
	if (p->list.sort_col >= (int)p->list.ncols)
		p->list.sort_col = -1; /* another verb, other columns */
	if (cJSON_IsObject(j))
		load_members(p, j);
	else if (pv->rows)
		load_objects(p, pv);
	else
		load_text(p, o->text);
	return SC_OK;
}

/* Enter: the row's object, every member. */
static void open_row(struct pane *p, struct tui *tui, struct output_priv *pv)
{
	const struct table_row *r = table_selected(&p->list);
	const cJSON *row = r && pv->rows ? cJSON_GetArrayItem(pv->rows, (int)r->ref) : NULL, *m;

	if (!cJSON_IsObject(row))
		return;
	pane_detail_open(p, tui->output.cmd);
	cJSON_ArrayForEach(m, row)
	{
		char *v = cell_text(m);

		pane_detail_add(p, m->string, v, SES_STATE_NONE);
		free(v);
	}
}

static enum req output_request(struct pane *p, struct tui *tui, enum req req)
{
	if (req == REQ_ENTER && !pane_in_detail(p)) {
		open_row(p, tui, priv_of(p));
		return REQ_NONE;
	}
	return req;
}

static void output_done(struct pane *p)
{
	struct output_priv *pv = p->priv;

	if (!pv)
		return;
	table_free(&p->list); /* the rows go while their columns are still there */
	forget_cols(pv);
	free(pv);
	p->priv = NULL;
}

const struct pane_ops pane_output_ops = {
	.name = "output",
	.title = "Output",
	.short_title = "Out",
	.flags = PANE_FILTER | PANE_SORT | PANE_ON_DEMAND,
	.cache_kind = -1,
	.cols = text_cols,
	.ncols = 1,
	.empty = "no output yet: a read verb run from : shows its answer here "
		 "(:suppression list --since 1d)",
	.load = output_load,
	.request = output_request,
	.done = output_done,
};

/* The table widget: rows of sanitized cells, filter, sort, scroll and selection. */
#include "sesctl/tui/widgets.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "sesctl/util/text.h"

void table_init(struct table *t, const struct table_col *cols, size_t ncols, unsigned text_flags)
{
	memset(t, 0, sizeof(*t));
	t->cols = cols;
	t->ncols = ncols < TABLE_MAX_COLS ? ncols : TABLE_MAX_COLS;
	t->sort_col = -1;
	t->drawn_y = -1;
	t->text_flags = text_flags;
	t->empty = "nothing to show";
}

/* A row's cells are one block: the pointers, then the strings they point into. */
static void row_free(struct table_row *r)
{
	free(r->cells);
	free(r->cell_state);
	free(r->search);
	free(r->search_extra);
}

void table_clear(struct table *t)
{
	const struct table_row *sel = table_selected(t);

	if (sel) {
		t->keep_id = sel->id;
		t->keep = true;
	}
	t->nview = 0;
	t->more = 0;
	t->build_next = 0;
	for (size_t i = 0; i < t->nrows; i++)
		row_free(&t->rows[i]);
	t->nrows = 0;
}

void table_free(struct table *t)
{
	table_clear(t);
	free(t->rows);
	free(t->view);
	t->rows = NULL;
	t->view = NULL;
	t->cap = t->nview = 0;
}

struct table_row *table_add_lazy(struct table *t, size_t ref, enum ses_state state)
{
	struct table_row *r;

	if (t->nrows == t->cap) {
		t->cap = t->cap ? t->cap * 2 : 64;
		t->rows = xrealloc(t->rows, t->cap * sizeof(*t->rows));
	}
	r = &t->rows[t->nrows++];
	memset(r, 0, sizeof(*r));
	r->ref = ref;
	r->id = ref;
	r->state = state;
	return r;
}

void table_fill(struct table *t, struct table_row *r, const char *const *cells,
		const enum ses_state *states)
{
	size_t at[TABLE_MAX_COLS], head = t->ncols * sizeof(char *);
	struct buf text = BUF_INIT;

	row_free(r);
	r->search = r->search_extra = NULL;
	r->cell_state = xcalloc(t->ncols, sizeof(*r->cell_state));
	for (size_t c = 0; c < t->ncols; c++) {
		at[c] = text.len;
		if (cells && cells[c])
			text_sanitize(&text, cells[c], strlen(cells[c]), t->text_flags);
		buf_putc(&text, '\0');
		r->cell_state[c] = states ? states[c] : SES_STATE_NONE;
	}
	r->cells = xmalloc(head + text.len);
	memcpy((char *)r->cells + head, text.data, text.len);
	for (size_t c = 0; c < t->ncols; c++)
		r->cells[c] = (char *)r->cells + head + at[c];
	buf_free(&text);
}

struct table_row *table_add(struct table *t, size_t ref, enum ses_state state,
			    const char *const *cells, const enum ses_state *states)
{
	struct table_row *r = table_add_lazy(t, ref, state);

	table_fill(t, r, cells, states);
	return r;
}

/* A lazy row the pane failed to fill still gets empty cells: nothing reads NULL. */
struct table_row *table_built(const struct table *t, const struct table_row *r)
{
	struct table_row *w = (struct table_row *)r; /* building is a cache fill, not a change */

	if (!w->cells && t->build)
		t->build(t->build_ud, (struct table *)t, w);
	if (!w->cells)
		table_fill((struct table *)t, w, NULL, NULL);
	return w;
}

bool table_build_some(struct table *t, size_t n)
{
	for (; t->build_next < t->nrows && n; t->build_next++)
		if (!t->rows[t->build_next].cells) {
			table_built(t, &t->rows[t->build_next]);
			n--;
		}
	return t->build_next < t->nrows;
}

uint64_t table_id_of(const char *name)
{
	uint64_t h = 0xcbf29ce484222325ull;

	for (const unsigned char *p = (const unsigned char *)(name ? name : ""); *p; p++)
		h = (h ^ *p) * 0x100000001b3ull;
	return h;
}

/* ASCII case folding is enough: cells are sanitized UTF-8, and folding only A-Z keeps
 * multi-byte sequences intact. */
static void fold(char *s)
{
	for (; *s; s++)
		if (*s >= 'A' && *s <= 'Z')
			*s = (char)(*s - 'A' + 'a');
}

/* The row's cells, folded and joined by a separator no needle contains, built once: a
 * keystroke of the filter is then one strstr per row instead of a strcasestr per cell. */
static const char *row_search(const struct table *t, struct table_row *row)
{
	struct buf b = BUF_INIT;

	if (row->search)
		return row->search;
	table_built(t, row);
	for (size_t c = 0; c < t->ncols; c++) {
		buf_puts(&b, row->cells[c]);
		buf_putc(&b, '\x1f');
	}
	if (row->search_extra)
		buf_puts(&b, row->search_extra);
	row->search = buf_steal(&b);
	fold(row->search);
	return row->search;
}

static bool row_matches_folded(const struct table *t, const struct table_row *row,
			       const char *needle, const char *folded)
{
	if (!*needle)
		return true;
	if (t->match)
		return t->match(t->match_ud, row, needle);
	return strstr(row_search(t, (struct table_row *)row), folded) != NULL;
}

void table_row_search_extra(struct table_row *r, const char *text)
{
	free(r->search_extra);
	r->search_extra = text ? xstrdup(text) : NULL;
	free(r->search); /* rebuilt with it at the next filter */
	r->search = NULL;
}

bool table_row_matches(const struct table *t, const struct table_row *row, const char *needle)
{
	char *folded = xstrdup(needle);
	bool hit;

	fold(folded);
	hit = !strchr(folded, '\x1f') && row_matches_folded(t, row, needle, folded);
	free(folded);
	return hit;
}

/* qsort has no context argument in C11: the table being sorted. */
static const struct table *sorting;

static int cmp_rows(const void *a, const void *b)
{
	const struct table_row *ra = &sorting->rows[*(const size_t *)a];
	const struct table_row *rb = &sorting->rows[*(const size_t *)b];
	int c = sorting->sort_col, r;

	if (sorting->cols[c].flags & TCOL_KEY)
		r = (ra->key > rb->key) - (ra->key < rb->key);
	else /* table_update built the rows it sorts */
		r = strcasecmp(ra->cells[c], rb->cells[c]);
	if (!r) /* stable: load order breaks ties */
		return (*(const size_t *)a > *(const size_t *)b) -
		       (*(const size_t *)a < *(const size_t *)b);
	return sorting->sort_desc ? -r : r;
}

void table_update(struct table *t)
{
	const struct table_row *old = table_selected(t);
	bool have_old = t->keep || old;
	uint64_t old_id = t->keep ? t->keep_id : old ? old->id : 0;
	const char *needle = t->filter[0] == '!' ? t->filter + 1 : t->filter;
	bool invert = t->filter[0] == '!';
	char *folded;

	t->view = xrealloc(t->view, (t->nrows + 1) * sizeof(*t->view));
	t->nview = 0;
	folded = xstrdup(needle);
	fold(folded);
	for (size_t i = 0; i < t->nrows; i++)
		if (row_matches_folded(t, &t->rows[i], needle, folded) != (invert && *needle))
			t->view[t->nview++] = i;
	free(folded);
	if (t->sort_col >= 0 && (size_t)t->sort_col < t->ncols && t->nview > 1) {
		if (!(t->cols[t->sort_col].flags & TCOL_KEY))
			for (size_t i = 0; i < t->nview; i++)
				table_built(t, &t->rows[t->view[i]]);
		sorting = t;
		qsort(t->view, t->nview, sizeof(*t->view), cmp_rows);
		sorting = NULL;
	}
	t->sel = 0;
	t->keep = false;
	for (size_t i = 0; have_old && i < t->nview; i++)
		if (t->rows[t->view[i]].id == old_id) {
			t->sel = i;
			break;
		}
	if (t->top > t->sel)
		t->top = t->sel;
}

void table_set_filter(struct table *t, const char *filter)
{
	snprintf(t->filter, sizeof(t->filter), "%s", filter ? filter : "");
	table_update(t);
}

void table_sort(struct table *t, int col, bool desc)
{
	t->sort_col = col >= 0 && (size_t)col < t->ncols ? col : -1;
	t->sort_desc = desc;
	table_update(t);
}

void table_select(struct table *t, size_t view_index)
{
	if (!t->nview)
		return;
	t->sel = view_index < t->nview ? view_index : t->nview - 1;
}

bool table_move(struct table *t, enum req req)
{
	size_t page = t->height > 2 ? (size_t)t->height - 1 : 1;

	switch (req) {
	case REQ_MOVE_UP: table_select(t, t->sel ? t->sel - 1 : 0); break;
	case REQ_MOVE_DOWN: table_select(t, t->sel + 1); break;
	case REQ_MOVE_PAGE_UP: table_select(t, t->sel > page ? t->sel - page : 0); break;
	case REQ_MOVE_PAGE_DOWN: table_select(t, t->sel + page); break;
	case REQ_MOVE_FIRST: table_select(t, 0); break;
	case REQ_MOVE_LAST: table_select(t, t->nview ? t->nview - 1 : 0); break;
	default: return false;
	}
	return true;
}

const struct table_row *table_selected(const struct table *t)
{
	if (!t->nview || t->sel >= t->nview || t->view[t->sel] >= t->nrows)
		return NULL;
	return &t->rows[t->view[t->sel]];
}

/* The widest cell of column c among the rows (the header included). */
static int widest(const struct table *t, size_t c)
{
	int best = (int)text_width(t->cols[c].title, strlen(t->cols[c].title));

	for (size_t r = 0; r < t->nrows; r++) {
		const char *s = table_built(t, &t->rows[r])->cells[c];
		int sw = s ? (int)text_width(s, strlen(s)) : 0;

		if (sw > best)
			best = sw;
	}
	return best;
}

/* Widths for w columns: fixed ones as declared (TCOL_DROP ones 0 while they do not fit),
 * TCOL_FIT ones grown to their widest cell while room is left, the flex column takes the
 * rest. A 0 width column is not drawn. */
static void col_widths(const struct table *t, int w, int *out)
{
	int used = 0, flex = -1;

	for (size_t c = 0; c < t->ncols; c++) {
		out[c] = t->cols[c].width;
		used += out[c] + (c ? 1 : 0);
		if ((t->cols[c].flags & TCOL_FLEX) && flex < 0)
			flex = (int)c;
	}
	for (size_t c = t->ncols; c-- > 0 && used > w;) {
		if (!(t->cols[c].flags & TCOL_DROP))
			continue;
		used -= out[c] + 1;
		out[c] = 0;
	}
	for (size_t c = 0; c < t->ncols && used < w; c++) {
		int grow;

		if (!(t->cols[c].flags & TCOL_FIT))
			continue;
		grow = widest(t, c) - out[c];
		if (grow > w - used)
			grow = w - used;
		if (grow > 0) {
			out[c] += grow;
			used += grow;
		}
	}
	if (flex >= 0 && used < w)
		out[flex] += w - used;
}

static void draw_header(struct table *t, struct ui *ui, int y, int x, const int *widths)
{
	for (size_t c = 0; c < t->ncols; c++) {
		char title[96];

		if (!widths[c])
			continue;
		snprintf(title, sizeof(title), "%s%s", t->cols[c].title,
			 (int)c == t->sort_col
				 ? ui_glyph(ui, t->sort_desc ? UI_GLYPH_SORT_DOWN : UI_GLYPH_SORT_UP)
				 : "");
		ui_put_raw(ui, y, x, widths[c], title, THEME_COL_HEADER);
		x += widths[c];
		if (c + 1 < t->ncols)
			ui_put_raw(ui, y, x++, 1, " ", THEME_COL_HEADER);
	}
}

static void draw_row(struct table *t, struct ui *ui, const struct table_row *r, int y, int x,
		     const int *widths, bool selected)
{
	enum theme_element base = selected ? THEME_ROW_SELECTED : THEME_ROW;
	struct buf mid = BUF_INIT;

	for (size_t c = 0; c < t->ncols; c++) {
		enum theme_element el = base;
		const char *s = r->cells[c];
		char pad[600];

		if (!widths[c])
			continue;
		if (!selected && r->cell_state[c] != SES_STATE_NONE)
			el = theme_state_element(r->cell_state[c]);
		if (t->cols[c].flags & TCOL_RIGHT) {
			int sw = (int)text_width(s, strlen(s));

			snprintf(pad, sizeof(pad), "%*s%s", sw < widths[c] ? widths[c] - sw : 0, "",
				 s);
			s = pad;
		} else if ((t->cols[c].flags & TCOL_MIDDLE) && widths[c] > 0) {
			buf_reset(&mid);
			text_truncate_middle(&mid, s, strlen(s), (size_t)widths[c], t->text_flags);
			s = buf_str(&mid);
		}
		ui_put_raw(ui, y, x, widths[c], s, el);
		x += widths[c];
		if (c + 1 < t->ncols)
			ui_put_raw(ui, y, x++, 1, " ", base);
	}
	buf_free(&mid);
}

int table_draw(struct table *t, struct ui *ui, int y, int x, int h, int w)
{
	int widths[TABLE_MAX_COLS];
	int rows = h - 1, cursor = y;

	if (h < 2)
		return y;
	col_widths(t, w, widths);
	draw_header(t, ui, y, x, widths);
	t->height = rows;
	t->drawn_y = y;
	if (!t->nview) {
		ui_put(ui, y + 1, x, w, t->nrows ? "no row matches the filter" : t->empty,
		       THEME_ROW);
		return y + 1;
	}
	if (t->sel < t->top)
		t->top = t->sel;
	if (t->sel >= t->top + (size_t)rows)
		t->top = t->sel - (size_t)rows + 1;
	for (int i = 0; i < rows && t->top + (size_t)i < t->nview; i++) {
		size_t vi = t->top + (size_t)i;

		draw_row(t, ui, table_built(t, &t->rows[t->view[vi]]), y + 1 + i, x, widths,
			 vi == t->sel);
		if (vi == t->sel)
			cursor = y + 1 + i;
	}
	return cursor;
}

int table_hit(const struct table *t, int y0, int line)
{
	long vi = (long)t->top + (line - (y0 + 1));

	if (line <= y0 || vi < 0 || (size_t)vi >= t->nview)
		return -1;
	return (int)vi;
}

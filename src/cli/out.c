#include "sesctl/cli/out.h"

#include <cjson/cJSON.h>
#include <langinfo.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/text.h"

#define MAX_COLS 32
#define MAX_CELL 72

static unsigned text_flags(void)
{
	const char *cs = nl_langinfo(CODESET);

	return cs && !strcmp(cs, "UTF-8") ? 0 : TEXT_ASCII;
}

/* ---- JSON: our own printer so every string goes through text_json_string ---- */

static void json_indent(struct buf *b, int depth)
{
	buf_putc(b, '\n');
	for (int i = 0; i < depth; i++)
		buf_puts(b, "  ");
}

static void json_number(struct buf *b, double d)
{
	if (!isfinite(d))
		buf_puts(b, "null");
	else if (fabs(d) < 9e15 && d == (double)(long long)d) /* cast only in range */
		buf_printf(b, "%lld", (long long)d);
	else {
		char tmp[40];

		snprintf(tmp, sizeof(tmp), "%.15g", d); /* shortest that reads back the same */
		if (strtod(tmp, NULL) != d)
			snprintf(tmp, sizeof(tmp), "%.17g", d);
		buf_puts(b, tmp);
	}
}

static void json_write(struct buf *b, const cJSON *j, int depth)
{
	const cJSON *c;

	if (cJSON_IsString(j)) {
		text_json_string(b, j->valuestring, strlen(j->valuestring));
	} else if (cJSON_IsNumber(j)) {
		json_number(b, j->valuedouble);
	} else if (cJSON_IsBool(j)) {
		buf_puts(b, cJSON_IsTrue(j) ? "true" : "false");
	} else if (cJSON_IsArray(j) || cJSON_IsObject(j)) {
		bool obj = cJSON_IsObject(j);

		buf_putc(b, obj ? '{' : '[');
		for (c = j->child; c; c = c->next) {
			json_indent(b, depth + 1);
			if (obj) {
				text_json_string(b, c->string, strlen(c->string));
				buf_puts(b, ": ");
			}
			json_write(b, c, depth + 1);
			if (c->next)
				buf_putc(b, ',');
		}
		if (j->child)
			json_indent(b, depth);
		buf_putc(b, obj ? '}' : ']');
	} else {
		buf_puts(b, "null");
	}
}

/* ---- cell text for tables and key/value lines ---- */

static void cell_text(struct buf *b, const cJSON *v)
{
	if (!v || cJSON_IsNull(v)) {
		buf_puts(b, "-");
	} else if (cJSON_IsString(v)) {
		buf_puts(b, v->valuestring);
	} else if (cJSON_IsBool(v)) {
		buf_puts(b, cJSON_IsTrue(v) ? "yes" : "no");
	} else if (cJSON_IsNumber(v)) {
		json_number(b, v->valuedouble);
	} else if (cJSON_IsArray(v)) {
		for (const cJSON *c = v->child; c; c = c->next) {
			cell_text(b, c);
			if (c->next)
				buf_puts(b, ",");
		}
		if (!v->child)
			buf_puts(b, "-");
	} else {
		char *s = cJSON_PrintUnformatted(v);

		buf_puts(b, s ? s : "");
		free(s);
	}
}

static size_t column_keys(const struct verb_result *res, const cJSON *rows, const char **keys)
{
	size_t n = 0;

	if (res->columns) {
		while (res->columns[n] && n < MAX_COLS) {
			keys[n] = res->columns[n];
			n++;
		}
		return n;
	}
	if (rows && rows->child && cJSON_IsObject(rows->child))
		for (const cJSON *c = rows->child->child; c && n < MAX_COLS; c = c->next)
			keys[n++] = c->string;
	return n;
}

/* CSV keeps machine names: a "display_x" column is written as "x" (the A-label form). */
static const char *csv_key(const char *key)
{
	return strncmp(key, "display_", 8) ? key : key + 8;
}

static void header_name(struct buf *b, const char *key)
{
	key = csv_key(key); /* "display_name" is headed NAME */
	for (const char *p = key; *p; p++) {
		if (p != key && p[-1] >= 'a' && p[-1] <= 'z' && *p >= 'A' && *p <= 'Z')
			buf_putc(b, ' ');
		buf_putc(b, (char)(*p >= 'a' && *p <= 'z' ? *p - 32 : *p));
	}
}

/* The aligned table, in three steps a streamed list can take row by row: widths start
 * at the headers, each row widens them (up to MAX_CELL), then the header line and one
 * line per row. */
static void table_widths_start(const char *const *keys, size_t n, size_t *width)
{
	struct buf cell = BUF_INIT;

	for (size_t k = 0; k < n; k++) {
		buf_reset(&cell);
		header_name(&cell, keys[k]);
		width[k] = text_width(cell.data, cell.len);
	}
	buf_free(&cell);
}

/* Buffers a table reuses from row to row. */
struct scratch {
	struct buf cell, clean, line;
};

static void scratch_free(struct scratch *sc)
{
	buf_free(&sc->cell);
	buf_free(&sc->clean);
	buf_free(&sc->line);
}

static void table_widths_row(const char *const *keys, size_t n, const cJSON *r, size_t *width,
			     unsigned tf, struct scratch *sc)
{
	for (size_t k = 0; k < n; k++) {
		size_t w;

		buf_reset(&sc->cell);
		buf_reset(&sc->clean);
		cell_text(&sc->cell, cJSON_GetObjectItemCaseSensitive(r, keys[k]));
		text_sanitize(&sc->clean, buf_str(&sc->cell), sc->cell.len, tf);
		w = text_width(buf_str(&sc->clean), sc->clean.len);
		if (w > width[k])
			width[k] = w < MAX_CELL ? w : MAX_CELL;
	}
}

static void table_header(struct buf *out, const char *const *keys, size_t n, const size_t *width,
			 unsigned tf)
{
	struct buf cell = BUF_INIT, line = BUF_INIT;

	for (size_t k = 0; k < n; k++) {
		buf_reset(&cell);
		header_name(&cell, keys[k]);
		if (k + 1 < n)
			text_pad(&line, cell.data, cell.len, width[k] + 2, tf);
		else
			buf_append(&line, cell.data, cell.len);
	}
	buf_printf(out, "%s\n", buf_str(&line));
	buf_free(&cell);
	buf_free(&line);
}

static void table_line(struct buf *out, const char *const *keys, size_t n, const cJSON *r,
		       const size_t *width, unsigned tf, struct scratch *sc)
{
	struct buf *line = &sc->line;

	buf_reset(line);
	for (size_t k = 0; k < n; k++) {
		buf_reset(&sc->cell);
		cell_text(&sc->cell, cJSON_GetObjectItemCaseSensitive(r, keys[k]));
		if (k + 1 < n) {
			text_fit(line, buf_str(&sc->cell), width[k], tf);
			buf_puts(line, "  ");
		} else {
			text_sanitize(line, buf_str(&sc->cell), sc->cell.len, tf);
		}
	}
	while (line->len && line->data[line->len - 1] == ' ')
		line->data[--line->len] = '\0';
	buf_append(out, buf_str(line), line->len);
	buf_putc(out, '\n');
}

static void render_table(struct buf *out, const struct verb_result *res, const cJSON *rows,
                         unsigned tf)
{
	const char *keys[MAX_COLS];
	size_t n = column_keys(res, rows, keys), width[MAX_COLS] = {0};
	struct scratch sc = {BUF_INIT, BUF_INIT, BUF_INIT};

	table_widths_start(keys, n, width);
	for (const cJSON *r = rows->child; r; r = r->next)
		table_widths_row(keys, n, r, width, tf, &sc);
	table_header(out, keys, n, width, tf);
	for (const cJSON *r = rows->child; r; r = r->next)
		table_line(out, keys, n, r, width, tf, &sc);
	scratch_free(&sc);
}

static void render_kv(struct buf *out, const cJSON *obj, const char *prefix, const char *skip,
                      unsigned tf)
{
	struct buf cell = BUF_INIT, key = BUF_INIT;

	for (const cJSON *c = obj->child; c; c = c->next) {
		if (skip && !strcmp(c->string, skip))
			continue;
		buf_reset(&key);
		buf_printf(&key, "%s%s", prefix, c->string);
		if (cJSON_IsObject(c)) {
			buf_putc(&key, '.');
			render_kv(out, c, buf_str(&key), NULL, tf);
			continue;
		}
		buf_reset(&cell);
		cell_text(&cell, c);
		text_sanitize(out, buf_str(&key), key.len, tf);
		buf_puts(out, ": ");
		text_sanitize(out, buf_str(&cell), cell.len, tf);
		buf_putc(out, '\n');
	}
	buf_free(&cell);
	buf_free(&key);
}

static void csv_header(struct buf *out, const char *const *keys, size_t n)
{
	for (size_t k = 0; k < n; k++) {
		text_csv_field(out, csv_key(keys[k]), strlen(csv_key(keys[k])));
		buf_puts(out, k + 1 < n ? "," : "\r\n");
	}
}

static void csv_row(struct buf *out, const char *const *keys, size_t n, const cJSON *r)
{
	struct buf cell = BUF_INIT, clean = BUF_INIT;

	for (size_t k = 0; k < n; k++) {
		const cJSON *v = cJSON_GetObjectItemCaseSensitive(r, csv_key(keys[k]));

		buf_reset(&cell);
		buf_reset(&clean);
		if (v && !cJSON_IsNull(v))
			cell_text(&cell, v);
		/* CSV lands on terminals too: escapes, C1 and bidi controls made inert */
		text_sanitize(&clean, buf_str(&cell), cell.len, TEXT_MULTILINE);
		text_csv_field(out, buf_str(&clean), clean.len);
		buf_puts(out, k + 1 < n ? "," : "\r\n");
	}
	buf_free(&cell);
	buf_free(&clean);
}

static void render_csv(struct buf *out, const struct verb_result *res, const cJSON *rows)
{
	const char *keys[MAX_COLS];
	size_t n = column_keys(res, rows, keys);

	csv_header(out, keys, n);
	for (const cJSON *r = rows->child; r; r = r->next)
		csv_row(out, keys, n, r);
}

static const cJSON *rows_of(const struct verb_result *res)
{
	if (cJSON_IsArray(res->json))
		return res->json;
	if (res->array_key)
		return cJSON_GetObjectItemCaseSensitive(res->json, res->array_key);
	return NULL;
}

void out_row(FILE *f, const struct core_options *opt, const struct cJSON *row, const char *line)
{
	struct buf out = BUF_INIT;
	const cJSON *it;

	if (opt->format == CORE_FMT_JSON) {
		char *s = cJSON_PrintUnformatted(row);

		buf_printf(&out, "%s\n", s ? s : "{}");
		free(s);
	} else if (opt->format == CORE_FMT_CSV) {
		cJSON_ArrayForEach(it, row) {
			const char *v = cJSON_IsString(it) ? it->valuestring : "";

			if (it != row->child)
				buf_putc(&out, ',');
			text_csv_field(&out, v, strlen(v));
		}
		buf_puts(&out, "\r\n");
	} else {
		text_sanitize(&out, line, strlen(line), text_flags());
		buf_putc(&out, '\n');
	}
	fwrite(buf_str(&out), 1, out.len, f);
	fflush(f);
	buf_free(&out);
}

/* Written out every this many bytes while rows stream. */
#define OUT_CHUNK 65536

static bool flush_some(FILE *f, struct buf *out, bool all)
{
	if (!all && out->len < OUT_CHUNK)
		return true;
	if (out->len && fwrite(buf_str(out), 1, out->len, f) != out->len)
		return false;
	buf_reset(out);
	return true;
}

/* One pass over a row source: each row to fn, freed after. */
typedef bool (*row_fn)(void *ud, const cJSON *row);

static enum sc_status each_row(const struct verb_rows *rows, bool columns_only, row_fn fn,
			       void *ud, struct sc_error *err)
{
	enum sc_status st = rows->open(rows->ud, columns_only, err);
	cJSON *row;

	while (!st && (row = rows->next(rows->ud, &st, err))) {
		bool ok = fn(ud, row);

		cJSON_Delete(row);
		if (!ok) /* stdout refused a write: stop; main.c's close_stdout() reports it */
			return SC_OK;
	}
	return st;
}

struct stream {
	FILE *f;
	struct buf out;
	const char *keys[MAX_COLS];
	size_t n, width[MAX_COLS];
	unsigned tf;
	size_t rows;
	struct scratch sc;
};

static bool stream_json(void *ud, const cJSON *row)
{
	struct stream *s = ud;

	buf_puts(&s->out, s->rows++ ? ",\n  " : "\n  ");
	json_write(&s->out, row, 1);
	return flush_some(s->f, &s->out, false);
}

static bool stream_csv(void *ud, const cJSON *row)
{
	struct stream *s = ud;

	csv_row(&s->out, s->keys, s->n, row);
	return flush_some(s->f, &s->out, false);
}

static bool stream_measure(void *ud, const cJSON *row)
{
	struct stream *s = ud;

	table_widths_row(s->keys, s->n, row, s->width, s->tf, &s->sc);
	return true;
}

static bool stream_line(void *ud, const cJSON *row)
{
	struct stream *s = ud;

	table_line(&s->out, s->keys, s->n, row, s->width, s->tf, &s->sc);
	return flush_some(s->f, &s->out, false);
}

/* The same bytes as the whole array would print: JSON as json_write() lays an array out,
 * CSV, or the aligned table — whose widths need a first pass over the rows, so the text
 * form reads them twice rather than hold them. */
static enum sc_status out_rows(FILE *f, const struct core_options *opt,
			       const struct verb_result *res, struct sc_error *err)
{
	struct stream s = {.f = f, .out = BUF_INIT, .tf = text_flags()};
	enum sc_status st;

	s.n = column_keys(res, NULL, s.keys);
	if (opt->format == CORE_FMT_JSON) {
		buf_putc(&s.out, '[');
		st = each_row(res->rows, false, stream_json, &s, err);
		if (!st)
			buf_puts(&s.out, s.rows ? "\n]\n" : "]\n");
	} else if (opt->format == CORE_FMT_CSV) {
		csv_header(&s.out, s.keys, s.n);
		st = each_row(res->rows, res->columns != NULL, stream_csv, &s, err);
	} else {
		table_widths_start(s.keys, s.n, s.width);
		st = each_row(res->rows, res->columns != NULL, stream_measure, &s, err);
		if (!st)
			table_header(&s.out, s.keys, s.n, s.width, s.tf);
		if (!st)
			st = each_row(res->rows, res->columns != NULL, stream_line, &s, err);
	}
	if (!st)
		flush_some(f, &s.out, true); /* a failed write is main.c's close_stdout()'s to say */
	buf_free(&s.out);
	scratch_free(&s.sc);
	return st;
}

static void out_warning(const struct core_options *opt, const struct verb_result *res)
{
	struct buf w = BUF_INIT;

	if (!res->warning.len || opt->quiet)
		return;
	text_sanitize(&w, buf_str(&res->warning), res->warning.len, text_flags() | TEXT_MULTILINE);
	fprintf(stderr, "sesctl: warning: %s", buf_str(&w));
	buf_free(&w);
}

enum sc_status out_result(FILE *f, const struct core_options *opt, const struct verb_result *res,
			  struct sc_error *err)
{
	struct buf out = BUF_INIT;
	const cJSON *rows = rows_of(res);
	unsigned tf = text_flags();
	enum sc_status st = SC_OK;

	if (res->rows) {
		st = out_rows(f, opt, res, err);
		if (!st)
			out_warning(opt, res);
		return st;
	}
	if (opt->format == CORE_FMT_JSON && res->json) {
		json_write(&out, res->json, 0);
		buf_putc(&out, '\n');
	} else if (opt->format == CORE_FMT_CSV && rows) {
		render_csv(&out, res, rows);
	} else if (res->text_only || !res->json) {
		text_sanitize(&out, buf_str(&res->text), res->text.len, tf | TEXT_MULTILINE);
	} else {
		if (cJSON_IsObject(res->json))
			render_kv(&out, res->json, "", res->array_key, tf);
		if (rows && cJSON_IsObject(res->json) && !opt->quiet)
			buf_putc(&out, '\n');
		if (rows)
			render_table(&out, res, rows, tf);
		if (res->text.len)
			text_sanitize(&out, buf_str(&res->text), res->text.len,
			              tf | TEXT_MULTILINE);
	}
	fwrite(buf_str(&out), 1, out.len, f);
	buf_free(&out);
	out_warning(opt, res);
	return st;
}

void out_error(FILE *f, const struct core_options *opt, const struct sc_error *err)
{
	char msg[SC_ERR_MSG_MAX + 256];
	struct buf clean = BUF_INIT;

	(void)opt;
	sc_error_format(err, msg, sizeof(msg));
	text_sanitize(&clean, msg, strlen(msg), text_flags());
	fprintf(f, "sesctl: %s\n", buf_str(&clean));
	buf_free(&clean);
}

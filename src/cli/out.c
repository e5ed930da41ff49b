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
	else if (d == (double)(long long)d && fabs(d) < 9e15)
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
	if (rows->child && cJSON_IsObject(rows->child))
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

static void render_table(struct buf *out, const struct verb_result *res, const cJSON *rows,
                         unsigned tf)
{
	const char *keys[MAX_COLS];
	size_t n = column_keys(res, rows, keys), width[MAX_COLS] = {0};
	struct buf cell = BUF_INIT, clean = BUF_INIT, line = BUF_INIT;

	for (size_t k = 0; k < n; k++) {
		buf_reset(&cell);
		header_name(&cell, keys[k]);
		width[k] = text_width(cell.data, cell.len);
	}
	for (const cJSON *r = rows->child; r; r = r->next)
		for (size_t k = 0; k < n; k++) {
			size_t w;

			buf_reset(&cell);
			buf_reset(&clean);
			cell_text(&cell, cJSON_GetObjectItemCaseSensitive(r, keys[k]));
			text_sanitize(&clean, buf_str(&cell), cell.len, tf);
			w = text_width(buf_str(&clean), clean.len);
			if (w > width[k])
				width[k] = w < MAX_CELL ? w : MAX_CELL;
		}
	for (size_t k = 0; k < n; k++) {
		buf_reset(&cell);
		header_name(&cell, keys[k]);
		if (k + 1 < n)
			text_pad(&line, cell.data, cell.len, width[k] + 2, tf);
		else
			buf_append(&line, cell.data, cell.len);
	}
	buf_printf(out, "%s\n", buf_str(&line));
	for (const cJSON *r = rows->child; r; r = r->next) {
		buf_reset(&line);
		for (size_t k = 0; k < n; k++) {
			buf_reset(&cell);
			cell_text(&cell, cJSON_GetObjectItemCaseSensitive(r, keys[k]));
			if (k + 1 < n) {
				text_fit(&line, buf_str(&cell), width[k], tf);
				buf_puts(&line, "  ");
			} else {
				text_sanitize(&line, buf_str(&cell), cell.len, tf);
			}
		}
		while (line.len && line.data[line.len - 1] == ' ')
			line.data[--line.len] = '\0';
		buf_printf(out, "%s\n", buf_str(&line));
	}
	buf_free(&cell);
	buf_free(&clean);
	buf_free(&line);
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

static void render_csv(struct buf *out, const struct verb_result *res, const cJSON *rows)
{
	const char *keys[MAX_COLS];
	size_t n = column_keys(res, rows, keys);
	struct buf cell = BUF_INIT, clean = BUF_INIT;

	for (size_t k = 0; k < n; k++) {
		text_csv_field(out, csv_key(keys[k]), strlen(csv_key(keys[k])));
		buf_puts(out, k + 1 < n ? "," : "\r\n");
	}
	for (const cJSON *r = rows->child; r; r = r->next)
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

void out_result(FILE *f, const struct core_options *opt, const struct verb_result *res)
{
	struct buf out = BUF_INIT;
	const cJSON *rows = rows_of(res);
	unsigned tf = text_flags();

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
	if (res->warning.len && !opt->quiet) {
		struct buf w = BUF_INIT;

		text_sanitize(&w, buf_str(&res->warning), res->warning.len, tf | TEXT_MULTILINE);
		fprintf(stderr, "sesctl: warning: %s", buf_str(&w));
		buf_free(&w);
	}
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

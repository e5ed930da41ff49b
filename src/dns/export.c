#include "sesctl/dns/export.h"

#include "sesctl/dns/name.h"
#include "sesctl/util/text.h"

#include <cJSON.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define TXT_CHUNK 255

static const struct {
	const char *name;
	const char *desc;
} fmt_rows[] = {
#define DNS_FMT_ROW(e, name, desc) {name, desc},
    DNS_FORMATS(DNS_FMT_ROW)
#undef DNS_FMT_ROW
};

const char *dns_format_name(enum dns_format fmt)
{
	return fmt < DNS_FMT_COUNT ? fmt_rows[fmt].name : "?";
}

const char *dns_format_desc(enum dns_format fmt)
{
	return fmt < DNS_FMT_COUNT ? fmt_rows[fmt].desc : "?";
}

enum sc_status dns_format_parse(const char *name, enum dns_format *out, struct sc_error *err)
{
	struct buf names = BUF_INIT;
	enum sc_status st;

	for (int f = 0; f < DNS_FMT_COUNT; f++) {
		if (name && strcmp(name, fmt_rows[f].name) == 0) {
			*out = (enum dns_format)f;
			return SC_OK;
		}
	}
	for (int f = 0; f < DNS_FMT_COUNT; f++)
		buf_printf(&names, "%s%s", f ? ", " : "", fmt_rows[f].name);
	st = sc_fail(err, SC_USAGE, "unknown DNS format '%.32s' (use one of: %s)", name ? name : "",
	             buf_str(&names));
	buf_free(&names);
	return st;
}

void dns_txt_quote(struct buf *out, const char *txt, size_t len, bool octal)
{
	size_t i = 0;

	do {
		size_t end = len - i > TXT_CHUNK ? i + TXT_CHUNK : len;

		if (i)
			buf_putc(out, ' ');
		buf_putc(out, '"');
		for (; i < end; i++) {
			unsigned char c = (unsigned char)txt[i];

			if (c == '"' || c == '\\')
				buf_printf(out, "\\%c", c);
			else if (c < 0x20 || c >= 0x7f)
				buf_printf(out, octal ? "\\%03o" : "\\%03u", c);
			else
				buf_putc(out, (char)c);
		}
		buf_putc(out, '"');
	} while (i < len);
}

static void zone_rdata(struct buf *out, const struct dns_record *r);

/* ---- table ---- */

static size_t cell_width(const char *s)
{
	char *clean = text_sanitize_dup(s, 0);
	size_t w = text_width(clean, strlen(clean));

	free(clean);
	return w;
}

static void table_line(struct buf *out, const char *cells[], const size_t widths[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_puts(out, "  ");
		if (widths[i])
			text_fit(out, cells[i], widths[i], 0);
		else
			text_sanitize(out, cells[i], strlen(cells[i]), 0);
	}
	while (out->len && out->data[out->len - 1] == ' ')
		out->data[--out->len] = '\0';
	buf_putc(out, '\n');
}

static void table_note(struct buf *out, const char *what, const char *txt)
{
	if (!txt)
		return;
	buf_printf(out, "note: %s record published: ", what);
	text_sanitize(out, txt, strlen(txt), 0);
	buf_putc(out, '\n');
}

enum { COL_STATUS, COL_NAME, COL_TYPE, COL_TTL, COL_PURPOSE, COL_REGION, COL_VALUE, N_COLS };

static void row_cells(const struct dns_record *r, const char *cells[N_COLS], char ttl[16],
                      char purpose[128])
{
	snprintf(ttl, 16, "%u", r->ttl);
	snprintf(purpose, 128, "%s%s%s%s", r->purpose, r->suggestion ? " (suggested)" : "",
	         r->optional ? " (optional)" : "", r->placeholder ? " (fill in)" : "");
	cells[COL_STATUS] = r->optional && r->status != DNS_STATE_OK && r->status != DNS_STATE_UNCHECKED
				    ? "optional"
				    : dns_state_label(r->status);
	cells[COL_NAME] = r->display_name;
	cells[COL_TYPE] = r->type;
	cells[COL_TTL] = ttl;
	cells[COL_PURPOSE] = purpose;
	cells[COL_REGION] = r->region ? r->region : "-";
	cells[COL_VALUE] = r->value;
}

void dns_export_table(struct buf *out, const struct dns_record_set *set)
{
	const char *head[N_COLS] = {"STATUS", "NAME", "TYPE", "TTL", "PURPOSE", "REGION", "VALUE"};
	size_t widths[N_COLS] = {0};
	const char *cells[N_COLS];
	char ttl[16], purpose[128];

	for (size_t c = 0; c + 1 < N_COLS; c++)
		widths[c] = strlen(head[c]);
	for (size_t i = 0; i < set->n; i++) {
		row_cells(&set->v[i], cells, ttl, purpose);
		for (size_t c = 0; c + 1 < N_COLS; c++) {
			size_t w = cell_width(cells[c]);

			if (w > widths[c])
				widths[c] = w;
		}
	}
	if (set->domain && strcmp(set->domain, set->domain_u) != 0)
		buf_printf(out, "# %s (published as %s)\n", set->domain_u, set->domain);
	table_line(out, head, widths, N_COLS);
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		row_cells(r, cells, ttl, purpose);
		table_line(out, cells, widths, N_COLS);
		if (r->status == DNS_STATE_UNCHECKED || (r->status == DNS_STATE_OK && !r->detail))
			continue;
		buf_puts(out, "    published: ");
		text_sanitize(out, r->published ? r->published : "(nothing)",
		              strlen(r->published ? r->published : "(nothing)"), 0);
		if (r->detail) {
			buf_puts(out, " -- ");
			text_sanitize(out, r->detail, strlen(r->detail), 0);
		}
		if (r->resolver)
			buf_printf(out, " (asked %s)", r->resolver);
		buf_putc(out, '\n');
	}
	for (size_t i = 0; i < set->n_warnings; i++) {
		buf_puts(out, "warning: ");
		text_sanitize(out, set->warnings[i], strlen(set->warnings[i]), 0);
		buf_putc(out, '\n');
	}
	table_note(out, "BIMI", set->bimi);
	table_note(out, "MTA-STS", set->mta_sts);
	table_note(out, "TLS-RPT", set->tlsrpt);
}

void dns_record_zone_line(struct buf *out, const struct dns_record *r)
{
	buf_printf(out, "%s.\t%u\tIN\t%s\t", r->name, r->ttl, r->type);
	zone_rdata(out, r);
}

/* ---- zone ---- */

static void zone_owner(struct buf *out, const char *name, const char *origin)
{
	size_t nn = strlen(name), no = strlen(origin);

	if (strcmp(name, origin) == 0)
		buf_putc(out, '@');
	else if (dns_name_within(name, origin))
		buf_append(out, name, nn - no - 1);
	else
		buf_printf(out, "%s.", name);
}

static void zone_rdata(struct buf *out, const struct dns_record *r)
{
	if (r->kind == DNS_KIND_DKIM || strcmp(r->type, "CNAME") == 0 || strcmp(r->type, "MX") == 0)
		buf_printf(out, "%s.", r->value);
	else
		dns_txt_quote(out, r->value, strlen(r->value), false);
}

/* Left out of what a machine applies as it is (zone, Route 53) unless asked for. */
static bool held_back(const struct dns_record *r, unsigned flags)
{
	return (r->suggestion || r->optional) && !(flags & DNS_EXPORT_SUGGESTED);
}

void dns_export_zone(struct buf *out, const struct dns_record_set *set, unsigned flags)
{
	const char *origin = set->domain ? set->domain : "";

	buf_printf(out, "; Amazon SES records for %s", set->domain_u ? set->domain_u : origin);
	if (set->domain && strcmp(set->domain, set->domain_u) != 0)
		buf_printf(out, " (%s)", set->domain);
	buf_printf(out, "\n$ORIGIN %s.\n", origin);
	for (size_t i = 0; i < set->n_warnings; i++)
		buf_printf(out, "; warning: %s\n", set->warnings[i]);
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];
		const char *lead = r->placeholder || held_back(r, flags) ? "; " : "";

		buf_printf(out, "; %s", r->purpose);
		if (r->region)
			buf_printf(out, " [%s]", r->region);
		if (held_back(r, flags) && r->optional)
			buf_puts(out, " -- optional: DKIM verifies this domain; uncomment to keep the "
			              "legacy record");
		else if (held_back(r, flags))
			buf_puts(out, " -- suggested, not required by SES: review, then uncomment");
		else if (r->suggestion)
			buf_puts(out, " -- suggested, review before publishing");
		if (r->placeholder)
			buf_puts(out, " -- replace the placeholder, then uncomment");
		buf_printf(out, "\n%s", lead);
		zone_owner(out, r->name, origin);
		buf_printf(out, "\t%u\tIN\t%s\t", r->ttl, r->type);
		zone_rdata(out, r);
		buf_putc(out, '\n');
	}
}

/* ---- csv ---- */

static void csv_row(struct buf *out, const char *cells[], size_t n)
{
	for (size_t i = 0; i < n; i++) {
		if (i)
			buf_putc(out, ',');
		text_csv_field(out, cells[i] ? cells[i] : "", strlen(cells[i] ? cells[i] : ""));
	}
	buf_puts(out, "\r\n");
}

void dns_export_csv(struct buf *out, const struct dns_record_set *set)
{
	static const char *head[] = {"name",       "type",      "value",   "ttl",
	                             "status",     "purpose",   "region",  "account",
	                             "suggestion", "published", "resolver", "optional"};
	char ttl[16];

	csv_row(out, head, sizeof(head) / sizeof(head[0]));
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];
		const char *cells[] = {r->name,
		                       r->type,
		                       r->value,
		                       ttl,
		                       dns_state_name(r->status),
		                       r->purpose,
		                       r->region,
		                       r->account,
		                       r->suggestion ? "yes" : "no",
		                       r->published,
		                       r->resolver,
		                       r->optional ? "yes" : "no"};

		snprintf(ttl, sizeof(ttl), "%u", r->ttl);
		csv_row(out, cells, sizeof(cells) / sizeof(cells[0]));
	}
}

/* ---- json ---- */

static void json_str(cJSON *obj, const char *key, const char *val)
{
	if (val)
		cJSON_AddStringToObject(obj, key, val);
	else
		cJSON_AddNullToObject(obj, key);
}

static void json_print(struct buf *out, cJSON *root)
{
	char *text = cJSON_Print(root);

	if (!text) {
		fprintf(stderr, "sesctl: out of memory\n");
		abort();
	}
	buf_puts(out, text);
	buf_putc(out, '\n');
	cJSON_free(text);
	cJSON_Delete(root);
}

void dns_export_json(struct buf *out, const struct dns_record_set *set)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *arr, *warnings;

	json_str(root, "domain", set->domain);
	json_str(root, "domain_unicode", set->domain_u);
	json_str(root, "bimi", set->bimi);
	json_str(root, "mta_sts", set->mta_sts);
	json_str(root, "tlsrpt", set->tlsrpt);
	warnings = cJSON_AddArrayToObject(root, "warnings");
	for (size_t i = 0; i < set->n_warnings; i++)
		cJSON_AddItemToArray(warnings, cJSON_CreateString(set->warnings[i]));
	arr = cJSON_AddArrayToObject(root, "records");
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];
		cJSON *o = cJSON_CreateObject();

		json_str(o, "name", r->name);
		json_str(o, "display_name", r->display_name);
		json_str(o, "type", r->type);
		json_str(o, "value", r->value);
		cJSON_AddNumberToObject(o, "ttl", r->ttl);
		json_str(o, "purpose", r->purpose);
		json_str(o, "region", r->region);
		json_str(o, "account", r->account);
		cJSON_AddBoolToObject(o, "suggestion", r->suggestion);
		cJSON_AddBoolToObject(o, "optional", r->optional);
		cJSON_AddBoolToObject(o, "placeholder", r->placeholder);
		json_str(o, "status", dns_state_name(r->status));
		json_str(o, "published", r->published);
		json_str(o, "resolver", r->resolver);
		json_str(o, "detail", r->detail);
		cJSON_AddItemToArray(arr, o);
	}
	json_print(out, root);
}

/* ---- route 53 ---- */

static void r53_value(struct buf *v, const struct dns_record *r)
{
	buf_reset(v);
	if (strcmp(r->type, "TXT") == 0)
		dns_txt_quote(v, r->value, strlen(r->value), true);
	else
		buf_printf(v, "%s.", r->value);
}

static cJSON *r53_change(const struct dns_record_set *set, size_t first, bool done[],
			 unsigned flags)
{
	const struct dns_record *r = &set->v[first];
	cJSON *change = cJSON_CreateObject();
	cJSON *rrset = cJSON_CreateObject();
	cJSON *values = cJSON_CreateArray();
	struct buf name = BUF_INIT, v = BUF_INIT;

	cJSON_AddStringToObject(change, "Action", "UPSERT");
	buf_printf(&name, "%s.", r->name);
	cJSON_AddStringToObject(rrset, "Name", buf_str(&name));
	cJSON_AddStringToObject(rrset, "Type", r->type);
	cJSON_AddNumberToObject(rrset, "TTL", r->ttl);
	for (size_t j = first; j < set->n; j++) {
		const struct dns_record *o = &set->v[j];
		cJSON *rr;

		if (done[j] || o->placeholder || held_back(o, flags) || strcmp(o->name, r->name) != 0 ||
		    strcmp(o->type, r->type) != 0)
			continue;
		done[j] = true;
		r53_value(&v, o);
		rr = cJSON_CreateObject();
		cJSON_AddStringToObject(rr, "Value", buf_str(&v));
		cJSON_AddItemToArray(values, rr);
	}
	cJSON_AddItemToObject(rrset, "ResourceRecords", values);
	cJSON_AddItemToObject(change, "ResourceRecordSet", rrset);
	buf_free(&name);
	buf_free(&v);
	return change;
}

void dns_export_route53(struct buf *out, const struct dns_record_set *set, unsigned flags)
{
	cJSON *root = cJSON_CreateObject();
	cJSON *changes;
	bool *done = xcalloc(set->n ? set->n : 1, sizeof(bool));
	struct buf comment = BUF_INIT;
	size_t skipped = 0, held[2] = {0}, included[2] = {0}; /* [0] suggested, [1] optional */

	buf_printf(&comment, "Amazon SES records for %s", set->domain ? set->domain : "");
	for (size_t i = 0; i < set->n; i++) {
		const struct dns_record *r = &set->v[i];

		skipped += r->placeholder;
		if (r->placeholder || !(r->suggestion || r->optional))
			continue;
		if (held_back(r, flags))
			held[r->optional]++;
		else
			included[r->optional]++;
	}
	if (skipped)
		buf_printf(&comment, " (%zu record(s) with a placeholder left out)", skipped);
	/* Route 53 has no per-record note: the batch's comment says it */
	if (held[0])
		buf_printf(&comment, " (%zu suggested record(s) left out; --include-suggested adds them)",
			   held[0]);
	if (held[1])
		buf_printf(&comment,
			   " (%zu optional record(s) left out: DKIM verifies the domain; "
			   "--include-suggested adds them)",
			   held[1]);
	if (included[0])
		buf_printf(&comment, " (includes %zu suggested record(s): review them)", included[0]);
	if (included[1])
		buf_printf(&comment, " (includes %zu optional record(s))", included[1]);
	cJSON_AddStringToObject(root, "Comment", buf_str(&comment));
	changes = cJSON_AddArrayToObject(root, "Changes");
	for (size_t i = 0; i < set->n; i++)
		if (!done[i] && !set->v[i].placeholder && !held_back(&set->v[i], flags))
			cJSON_AddItemToArray(changes, r53_change(set, i, done, flags));
	free(done);
	buf_free(&comment);
	json_print(out, root);
}

void dns_export(struct buf *out, const struct dns_record_set *set, enum dns_format fmt,
		unsigned flags)
{
	switch (fmt) {
	case DNS_FMT_TABLE:
		dns_export_table(out, set);
		break;
	case DNS_FMT_ZONE:
		dns_export_zone(out, set, flags);
		break;
	case DNS_FMT_CSV:
		dns_export_csv(out, set);
		break;
	case DNS_FMT_JSON:
		dns_export_json(out, set);
		break;
	case DNS_FMT_ROUTE53:
	case DNS_FMT_COUNT:
		dns_export_route53(out, set, flags);
		break;
	}
}

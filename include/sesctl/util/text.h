#ifndef SESCTL_UTIL_TEXT_H
#define SESCTL_UTIL_TEXT_H

/*
 * Text on its way to a terminal, a JSON document or a CSV file. Pure functions, no locale:
 * UTF-8 is decoded here and display widths come from our own table (East Asian Wide and
 * Fullwidth, emoji presentation, zero-width combining marks and format characters, copied
 * once from glibc 2.36 / Unicode 15 so we agree with what ncursesw draws), so results are
 * the same under LANG=C and LANG=C.UTF-8.
 *
 * All functions append to a caller-owned struct buf (see buf.h); they never fail.
 *
 * Sanitizing convention (text_sanitize), applied to anything that came from the network
 * before it is drawn. Each hostile unit is replaced by a visible, inert escape:
 *   ESC (0x1b)                               -> "\e"   (so "\e[2J", "\e]52;c;..." are inert)
 *   other C0 controls 0x00-0x1f, DEL 0x7f    -> "\xHH" (lowercase hex: NUL "\x00", BEL "\x07",
 *                                               LF "\x0a"; TEXT_MULTILINE keeps LF and TAB)
 *   C1 controls U+0080-U+009F (as UTF-8)     -> "\u0085"
 *   bidi controls U+061C U+200E U+200F U+202A-U+202E U+2066-U+2069, separators U+2028
 *   U+2029, invisible characters that can make different names look alike or hide text:
 *   U+00AD U+180E U+200B U+2060-U+2064 U+FEFF U+FFF9-U+FFFB, tags U+E0000-U+E007F
 *                                            -> "\u202e", "\U000e0041" etc.
 *   (ZWJ/ZWNJ U+200C U+200D stay: scripts and emoji sequences need them)
 *   invalid UTF-8 (stray 0x80-0xbf bytes such as a raw C1 CSI 0x9b, bytes 0xc0 0xc1 0xf5-0xff,
 *   truncated sequences, overlong forms, UTF-16 surrogates, > U+10FFFF)
 *                                            -> U+FFFD "\xef\xbf\xbd", one per bad byte
 *                                               ('?' under TEXT_ASCII)
 *   under TEXT_ASCII any other non-ASCII     -> "\u00e9", "\U0001f600"
 * A backslash in the input is kept as is: the result is for display, it is not reversible.
 */

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sesctl/util/buf.h"

enum text_flags {
	TEXT_ASCII = 1 << 0,     /* output only printable ASCII; ellipsis "~" instead of "…" */
	TEXT_MULTILINE = 1 << 1, /* keep LF and TAB (documents: views, zone files) */
};

/* What text_utf8_next() stores for a byte that does not start a valid sequence. */
#define TEXT_BAD_CP 0xffffffffu

/* Decode one code point from s[0..len). Returns the bytes consumed (1..4; 0 only when
 * len == 0). Invalid input consumes one byte and stores TEXT_BAD_CP. Rejects overlong
 * forms, surrogates and values above U+10FFFF. */
size_t text_utf8_next(const char *s, size_t len, uint32_t *cp);
/* Encode cp (must be <= U+10FFFF) into out; returns 1..4. */
size_t text_utf8_put(char out[4], uint32_t cp);
/* true when s[0..len) is valid UTF-8. */
bool text_utf8_valid(const char *s, size_t len);

/* Columns a code point takes on a terminal: 0 (combining, zero-width, format), 1, or
 * 2 (wide/fullwidth, emoji); -1 for C0/C1 controls and DEL (never in sanitized text). */
int text_cp_width(uint32_t cp);
/* Display width of UTF-8 text. Invalid bytes count 1 each (they will show as U+FFFD),
 * controls count 0: pass sanitized text for meaningful results. */
size_t text_width(const char *s, size_t len);

/* Append s[0..len), sanitized as described above. */
void text_sanitize(struct buf *out, const char *s, size_t len, unsigned flags);
/* Same for a C string, into a new string the caller frees. NULL gives "". */
char *text_sanitize_dup(const char *s, unsigned flags);
/* In place, for short protocol tokens (request ids, error types, content types): every byte
 * outside printable ASCII (0x20..0x7e) becomes '?'. Returns s. */
char *text_token_clean(char *s);

/* Append the longest prefix of the (already sanitized) UTF-8 text s[0..len) that fits in
 * max_width columns. When s is wider than max_width the prefix gets max_width - 1 columns
 * and an ellipsis ("…", or "~" with TEXT_ASCII) follows; a wide character that would
 * straddle the limit is left out whole, so the result may be one column short. Code points
 * are never split; zero-width marks stay with their base character. Returns the columns
 * appended. */
size_t text_truncate(struct buf *out, const char *s, size_t len, size_t max_width,
		     unsigned flags);
/* Like text_truncate(), but the ellipsis goes in the middle: a third of the columns for
 * the start, the rest for the end — for names whose end is what a reader looks for
 * ("tok1aaaaaaaa…aaaa._domainkey.shop.example"). Below 5 columns it cuts at the end. */
size_t text_truncate_middle(struct buf *out, const char *s, size_t len, size_t max_width,
			    unsigned flags);
/* text_truncate() then spaces up to exactly width columns. Returns width. */
size_t text_pad(struct buf *out, const char *s, size_t len, size_t width, unsigned flags);
/* The one call for a table cell: sanitize the C string s (NULL = ""), then text_pad(). */
size_t text_fit(struct buf *out, const char *s, size_t width, unsigned flags);

/* JSON string literal, with the quotes: '"' and '\' escaped, control characters
 * (0x00-0x1f, 0x7f, C1 U+0080-U+009F), U+2028/U+2029 and the bidi embeddings, overrides and
 * isolates (U+202A-U+202E, U+2066-U+2069) as \u00XX / \u202e, so that JSON shown on a
 * terminal is inert and parses back to the same string; other valid UTF-8 kept as UTF-8,
 * each invalid byte as \ufffd. */
void text_json_string(struct buf *out, const char *s, size_t len);

/*
 * One CSV field per RFC 4180: quoted with '"' (inner quotes doubled) when it contains
 * ',', '"', CR, LF or starts or ends with a space. Spreadsheet formula-injection defence
 * (OWASP): a field whose first character is '=', '+', '-', '@', TAB or CR gets a leading
 * apostrophe ("'=cmd|..." shows as text in Excel/LibreOffice/Sheets), unless the whole
 * field is a plain decimal number such as "-5" or "+0.25". Invalid UTF-8 bytes become
 * U+FFFD. No separator or line end is written.
 */
void text_csv_field(struct buf *out, const char *s, size_t len);

#endif

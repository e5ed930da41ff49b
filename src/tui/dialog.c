/* Confirmation dialogs: yes/no, and typed confirmation (the name or the account id). */
#include <string.h>

#include "sesctl/tui/tui.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

#define DIALOG_MAX_LINES 8

/* Word-wrap sanitized text into at most max lines of width columns each. */
static int wrap(const char *s, int width, struct buf *lines, int max)
{
	int n = 0;

	while (*s && n < max) {
		size_t len = strlen(s), cut = 0, last_space = 0, i = 0;

		while (i < len) {
			uint32_t cp;
			size_t step = text_utf8_next(s + i, len - i, &cp);

			if (text_width(s, i + step) > (size_t)width)
				break;
			i += step;
			if (cp == ' ')
				last_space = i;
		}
		cut = i < len && last_space ? last_space : i;
		if (!cut)
			cut = len;
		buf_reset(&lines[n]);
		buf_append(&lines[n], s, cut);
		n++;
		s += cut;
		while (*s == ' ')
			s++;
	}
	return n;
}

struct dialog_state {
	const char *title;
	const char *question;
	const char *expect;
	bool danger;
	struct buf typed;
	const char *note;
};

static void draw_frame(struct tui *tui, int y, int x, int w, int h)
{
	struct ui *ui = &tui->ui;
	struct buf line = BUF_INIT;

	buf_puts(&line, ui_glyph(ui, UI_GLYPH_TOP_LEFT));
	for (int i = 0; i < w - 2; i++)
		buf_puts(&line, ui_glyph(ui, UI_GLYPH_HBAR));
	buf_puts(&line, ui_glyph(ui, UI_GLYPH_TOP_RIGHT));
	ui_put_raw(ui, y, x, w, buf_str(&line), THEME_DIALOG_BORDER);
	buf_reset(&line);
	buf_puts(&line, ui_glyph(ui, UI_GLYPH_BOTTOM_LEFT));
	for (int i = 0; i < w - 2; i++)
		buf_puts(&line, ui_glyph(ui, UI_GLYPH_HBAR));
	buf_puts(&line, ui_glyph(ui, UI_GLYPH_BOTTOM_RIGHT));
	ui_put_raw(ui, y + h - 1, x, w, buf_str(&line), THEME_DIALOG_BORDER);
	for (int i = 1; i < h - 1; i++) {
		ui_put_raw(ui, y + i, x, 1, ui_glyph(ui, UI_GLYPH_VBAR), THEME_DIALOG_BORDER);
		ui_put_raw(ui, y + i, x + 1, w - 2, "", THEME_DIALOG);
		ui_put_raw(ui, y + i, x + w - 1, 1, ui_glyph(ui, UI_GLYPH_VBAR), THEME_DIALOG_BORDER);
	}
	buf_free(&line);
}

static void draw_dialog(struct tui *tui, struct dialog_state *d)
{
	struct buf lines[DIALOG_MAX_LINES] = {BUF_INIT};
	struct buf q = BUF_INIT, field = BUF_INIT;
	int w = COLS - 4 < 72 ? COLS - 4 : 72, nq, h, y, x, cy, cx;

	text_sanitize(&q, d->question, strlen(d->question), tui->ui.text_flags);
	nq = wrap(buf_str(&q), w - 4, lines, DIALOG_MAX_LINES);
	h = nq + (d->expect ? 7 : 6);
	y = (LINES - h) / 2;
	x = (COLS - w) / 2;
	draw_frame(tui, y, x, w, h);
	/* "DANGER" in words too: the colour only repeats it */
	ui_put(&tui->ui, y + 1, x + 2, w - 4, d->title,
	       d->danger ? THEME_DIALOG_DANGER : THEME_DIALOG);
	for (int i = 0; i < nq; i++)
		ui_put_raw(&tui->ui, y + 3 + i, x + 2, w - 4, buf_str(&lines[i]), THEME_DIALOG);
	cy = y + 3 + nq + 1;
	cx = x + 2;
	if (d->expect) {
		struct buf clean = BUF_INIT;

		/* a long name being typed keeps its end in view: the middle is elided */
		text_sanitize(&clean, buf_str(&d->typed), d->typed.len, tui->ui.text_flags);
		buf_puts(&field, "> ");
		text_truncate_middle(&field, buf_str(&clean), clean.len, (size_t)(w - 7),
				     tui->ui.text_flags);
		buf_free(&clean);
		ui_put_raw(&tui->ui, cy, x + 2, w - 4, buf_str(&field), THEME_PROMPT);
		cx = x + 2 + (int)text_width(buf_str(&field), field.len);
		ui_put(&tui->ui, cy + 1, x + 2, w - 4,
		       d->note ? d->note : "Enter confirms, Esc cancels", THEME_DIALOG);
	} else {
		ui_put(&tui->ui, cy, x + 2, w - 4, "y: yes    n / Esc: no", THEME_DIALOG);
	}
	move(cy, cx < COLS ? cx : COLS - 1);
	refresh();
	for (int i = 0; i < DIALOG_MAX_LINES; i++)
		buf_free(&lines[i]);
	buf_free(&q);
	buf_free(&field);
}

static bool dialog_cancel_key(int key)
{
	return key == 27 || key == 3 || key == 7 || key == TKEY_EOF;
}

static int dialog_key(struct tui *tui, struct dialog_state *d)
{
	for (;;) {
		int key;

		tui_draw(tui);
		if (!ui_too_small())
			draw_dialog(tui, d);
		key = tui_getkey(tui, -1);
		if (key == TKEY_NONE || key == TKEY_REDRAW || key == TKEY_RESIZE)
			continue;
		/* A dialog that cannot be seen must not act: while the terminal is too small only
		 * cancelling gets through; everything else is dropped, never replayed later. */
		if (ui_too_small() && !dialog_cancel_key(key))
			continue;
		return key;
	}
}

static bool typed_loop(struct tui *tui, struct dialog_state *d)
{
	for (;;) {
		int key = dialog_key(tui, d);

		if (dialog_cancel_key(key))
			return false;
		if (key == '\r' || key == '\n' || key == KEYC_FN(KEY_ENTER)) {
			if (verb_confirm_matches(d->expect, buf_str(&d->typed)))
				return true;
			d->note = "that does not match; type it exactly, or Esc to cancel";
		} else if (key == KEYC_FN(KEY_BACKSPACE) || key == 127 || key == 8) {
			while (d->typed.len &&
			       ((unsigned char)d->typed.data[d->typed.len - 1] & 0xc0) == 0x80)
				d->typed.len--;
			if (d->typed.len)
				d->typed.data[--d->typed.len] = '\0';
		} else if (key >= 32 && !KEYC_IS_FN(key)) {
			char u[4];

			buf_append(&d->typed, u, text_utf8_put(u, (uint32_t)key));
		}
	}
}

static bool yes_no_loop(struct tui *tui, struct dialog_state *d)
{
	for (;;) {
		int key = dialog_key(tui, d);

		if (key == 'y' || key == 'Y')
			return true;
		if (key == 'n' || key == 'N' || key == 'q' || dialog_cancel_key(key))
			return false;
	}
}

bool dialog_confirm(struct tui *tui, const char *title, const char *question,
		    const char *expect, bool danger)
{
	struct dialog_state d = {title, question ? question : "", expect, danger, BUF_INIT, NULL};
	bool ok;

	ok = expect ? typed_loop(tui, &d) : yes_no_loop(tui, &d);
	buf_free(&d.typed);
	return ok;
}

enum verb_confirm dialog_verb_confirm(void *ud, const char *question, const char *expect)
{
	return dialog_confirm(ud, expect ? "Confirm (DANGER: this changes the account)" : "Confirm",
			      question, expect, expect != NULL)
		   ? VERB_CONFIRM_YES
		   : VERB_CONFIRM_CANCELLED;
}

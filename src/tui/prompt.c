/* The line editor on the status line, behind `:` and `/`. */
#include <string.h>

#include "sesctl/tui/app.h"
#include "sesctl/tui/widgets.h"
#include "sesctl/util/text.h"

static bool is_enter(int key)
{
	return key == '\r' || key == '\n' || key == KEYC_FN(KEY_ENTER);
}

static bool is_cancel(int key)
{
	return key == 27 || key == 3 || key == 7 || key == TKEY_EOF;
}

static bool is_backspace(int key)
{
	return key == KEYC_FN(KEY_BACKSPACE) || key == 127 || key == 8;
}

/* Drop the last UTF-8 character. */
static void drop_last(struct buf *line)
{
	while (line->len && ((unsigned char)line->data[line->len - 1] & 0xc0) == 0x80)
		line->len--;
	if (line->len)
		line->len--;
	if (line->data)
		line->data[line->len] = '\0';
}

static void draw_prompt(struct tui *tui, const char *prefix, const struct buf *line)
{
	struct buf shown = BUF_INIT;
	size_t w;
	int width = COLS - 1;

	buf_puts(&shown, prefix);
	text_sanitize(&shown, buf_str(line), line->len, tui->ui.text_flags);
	w = text_width(buf_str(&shown), shown.len);
	/* Keep the end of a long line visible. */
	if ((int)w > width) {
		const char *s = buf_str(&shown);
		size_t cut = 0;

		while (cut < shown.len && text_width(s + cut, shown.len - cut) > (size_t)width)
			cut++;
		ui_put_raw(&tui->ui, LINES - 1, 0, COLS, s + cut, THEME_PROMPT);
		w = (size_t)width;
	} else {
		ui_put_raw(&tui->ui, LINES - 1, 0, COLS, buf_str(&shown), THEME_PROMPT);
	}
	move(LINES - 1, (int)w);
	refresh();
	buf_free(&shown);
}

bool prompt_read(struct tui *tui, const char *prefix, struct buf *line,
		 prompt_change_fn change, prompt_complete_fn complete, void *ud)
{
	for (;;) {
		int key;
		bool edited = false;

		tui_draw(tui);
		draw_prompt(tui, prefix, line);
		key = tui_getkey(tui, -1);
		if (key == TKEY_NONE || key == TKEY_REDRAW || key == TKEY_RESIZE)
			continue;
		if (is_enter(key))
			return true;
		if (is_cancel(key))
			return false;
		if (is_backspace(key)) {
			drop_last(line);
			edited = true;
		} else if (key == 21) { /* <C-u> */
			buf_reset(line);
			edited = true;
		} else if (key == '\t' && complete) {
			edited = complete(ud, line);
		} else if (key >= 32 && !KEYC_IS_FN(key) && key != 127) {
			char u[4];

			buf_append(line, u, text_utf8_put(u, (uint32_t)key));
			edited = true;
		}
		if (edited && change)
			change(ud, buf_str(line));
	}
}

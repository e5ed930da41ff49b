/* The line editor on the status line, behind `:` and `/`. */
#include <stdlib.h>
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

void prompt_history_add(struct prompt_history *h, const char *line)
{
	if (!*line || (h->n && !strcmp(h->items[h->n - 1], line)))
		return;
	if (h->n == PROMPT_HISTORY_MAX) {
		free(h->items[0]);
		memmove(h->items, h->items + 1, sizeof(h->items[0]) * (PROMPT_HISTORY_MAX - 1));
		h->n--;
	}
	h->items[h->n++] = xstrdup(line);
}

void prompt_history_free(struct prompt_history *h)
{
	for (int i = 0; i < h->n; i++)
		free(h->items[i]);
	h->n = 0;
}

/* <Up>/<Down>: *at walks 0..n (n is the line being typed). */
static bool history_step(struct prompt_history *h, int *at, int dir, struct buf *line)
{
	int to = *at + dir;

	if (!h || to < 0 || to > h->n)
		return false;
	*at = to;
	buf_reset(line);
	buf_puts(line, to < h->n ? h->items[to] : "");
	return true;
}

bool prompt_read(struct tui *tui, const char *prefix, struct buf *line,
		 prompt_change_fn change, prompt_complete_fn complete, void *ud,
		 struct prompt_history *hist)
{
	int at = hist ? hist->n : 0;

	for (;;) {
		int key;
		bool edited = false;

		tui_draw(tui);
		if (!ui_too_small())
			draw_prompt(tui, prefix, line);
		key = tui_getkey(tui, -1);
		if (key == TKEY_NONE || key == TKEY_REDRAW || key == TKEY_RESIZE)
			continue;
		if (is_enter(key)) {
			if (hist)
				prompt_history_add(hist, buf_str(line));
			return true;
		}
		if (is_cancel(key))
			return false;
		if (key == KEYC_FN(KEY_UP) || key == KEYC_FN(KEY_DOWN)) {
			edited = history_step(hist, &at, key == KEYC_FN(KEY_UP) ? -1 : 1, line);
		} else if (is_backspace(key)) {
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

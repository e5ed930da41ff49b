#ifndef SESCTL_TUI_CLIP_H
#define SESCTL_TUI_CLIP_H

/*
 * Copying to the user's clipboard from a terminal program that may run over SSH, inside
 * tmux or GNU screen, with no X11 and no xclip. No curses here: the TUI passes its tty fd.
 *
 * The framings (pure, exact bytes; <b64> is standard base64 with padding, no line breaks):
 *   plain   ESC ] 52 ; c ; <b64> ST             ST is ESC \ (default) or BEL with bel=true
 *   tmux    ESC P tmux ; ESC ESC ] 52 ; c ; <b64> ESC ESC \ ESC \
 *           (passthrough: every ESC inside is doubled; shown only with allow-passthrough on)
 *   screen  ESC ] 52 ; c ; <b64> BEL cut into pieces of at most CLIP_SCREEN_CHUNK bytes,
 *           each wrapped as ESC P <piece> ESC \ (screen limits a string sequence to 768
 *           bytes; the OSC ends with BEL because an ST inside would close the DCS)
 *
 * Strategy (clip_copy): inside tmux ($TMUX set) run `tmux load-buffer -w -` as a child
 * process with the data on stdin (no shell; exit status checked; tmux 3.2+ then sends
 * OSC 52 to the outer terminal itself, so nothing else is written: one copy, one paste
 * buffer); if tmux fails, fall back to the plain and the passthrough forms. Inside screen
 * ($STY set) write the chunked form; otherwise (a terminal, maybe over SSH, whatever its
 * TERM) the plain form. OSC 52 cannot be acknowledged: the
 * toast should say "sent to your terminal's clipboard" for those methods.
 *
 * Refusals (nothing is copied, SC_REFUSED, one-sentence message): data flagged secret
 * (clipboard managers keep history), and data larger than the cap (CLIP_MAX_DEFAULT raw
 * bytes, so the base64 fits the 100,000-byte limit of hterm and friends).
 */

#include <stdbool.h>
#include <stddef.h>

#include "sesctl/util/buf.h"
#include "sesctl/util/err.h"

#define CLIP_MAX_DEFAULT  74994
#define CLIP_SCREEN_CHUNK 768

/* method, toast wording */
#define CLIP_METHODS(_)                                                                       \
	_(NONE, "nothing")                                                                    \
	_(OSC52, "OSC 52")                                                                    \
	_(OSC52_SCREEN, "OSC 52 (screen)")                                                    \
	_(OSC52_TMUX, "OSC 52 (tmux passthrough)")                                            \
	_(TMUX, "tmux buffer")                                                                \
	_(FILE, "file")

enum clip_method {
#define CLIP_METHOD_ENUM(name, words) CLIP_##name,
	CLIP_METHODS(CLIP_METHOD_ENUM)
#undef CLIP_METHOD_ENUM
};

enum clip_env {
	CLIP_ENV_PLAIN,  /* a terminal, maybe over SSH */
	CLIP_ENV_TMUX,
	CLIP_ENV_SCREEN,
};

struct clip_opts {
	int tty_fd;          /* where escape sequences go; < 0: none are written */
	size_t max_bytes;    /* 0: CLIP_MAX_DEFAULT */
	bool bel;            /* terminate OSC 52 with BEL instead of ESC \ */
	bool secret;         /* the data is a secret: refuse */
	const char *tmux;    /* tmux program; NULL: "tmux" found on PATH */
};

struct clip_result {
	enum clip_method method; /* how it went out */
	size_t bytes;            /* raw bytes copied or saved */
	bool ssh;                /* $SSH_TTY was set (the clipboard is the remote user's) */
	char path[4096];         /* clip_save(): the file written */
};

/* Framings, appended to out. */
void clip_base64(struct buf *out, const void *data, size_t len);
void clip_osc52(struct buf *out, const void *data, size_t len, bool bel);
void clip_osc52_tmux(struct buf *out, const void *data, size_t len, bool bel);
/* Always BEL-terminated inside: an ST would close screen's DCS early. */
void clip_osc52_screen(struct buf *out, const void *data, size_t len);

/* Pure strategy from the environment values (NULL or "" = unset): TMUX wins over STY.
 * TERM says nothing: over SSH from a tmux whose default-terminal is screen-256color the
 * remote TERM is screen-256color, yet the sequence reaches tmux, not GNU screen. */
enum clip_env clip_env_from(const char *tmux, const char *sty);
/* The same, reading getenv(). */
enum clip_env clip_env_detect(void);

const char *clip_method_name(enum clip_method m);

/* Copy data[0..len) by the strategy above. Fills res (may be NULL) on success. Errors:
 * SC_REFUSED (secret, too large), SC_IO (could not write to the tty, or tmux failed and
 * there was no tty fd to fall back to). */
enum sc_status clip_copy(const struct clip_opts *opts, const void *data, size_t len,
			 struct clip_result *res, struct sc_error *err);

/* Run `<tmux> load-buffer -w -` with data on stdin; its stdout/stderr go to /dev/null.
 * SC_IO when it cannot be started or exits non-zero. */
enum sc_status clip_tmux_load(const char *tmux, const void *data, size_t len,
			      struct sc_error *err);

/* Default export directory: $XDG_STATE_HOME/sesctl/exports, else
 * $HOME/.local/state/sesctl/exports. Returns false when neither variable is set. */
bool clip_export_dir(char *out, size_t outlen);

/* Save data to dir/name (dir NULL = clip_export_dir(), created 0700 as needed), mode
 * 0600, opened O_CREAT|O_EXCL|O_NOFOLLOW so an existing file or symlink is never
 * followed or overwritten: when dir/name exists, dir/name.1, .2, ... .99 are tried.
 * name must be a plain file name (no '/', not "." or ".."). res->path gets the path.
 * Errors: SC_USAGE (bad name), SC_IO (with the path and strerror). */
enum sc_status clip_save(const char *dir, const char *name, const void *data, size_t len,
			 struct clip_result *res, struct sc_error *err);

/* "copied 78 bytes via tmux buffer", "sent 78 bytes to your terminal's clipboard via
 * OSC 52", "saved 78 bytes to /path". */
void clip_describe(const struct clip_result *res, char *out, size_t outlen);

#endif

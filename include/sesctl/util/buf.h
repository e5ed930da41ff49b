#ifndef SESCTL_UTIL_BUF_H
#define SESCTL_UTIL_BUF_H

/*
 * Growable byte buffers, always NUL-terminated (data[len] == '\0' once anything was
 * appended), so text can be used as a C string. Allocation failure aborts the process
 * with a message: sesctl treats out-of-memory as fatal, as htop and tig do.
 *
 * Ownership: the struct is the caller's (stack or embedded); buf_free() releases data.
 * A zero-initialised struct buf is a valid empty buffer.
 */

#include <stdarg.h>
#include <stddef.h>

struct buf {
	char *data;
	size_t len;
	size_t cap;
};

#define BUF_INIT {NULL, 0, 0}

void buf_reserve(struct buf *b, size_t extra);
void buf_append(struct buf *b, const void *data, size_t len);
void buf_puts(struct buf *b, const char *s);
void buf_putc(struct buf *b, char c);
void buf_printf(struct buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
void buf_vprintf(struct buf *b, const char *fmt, va_list ap);
/* Empty the buffer but keep its memory. */
void buf_reset(struct buf *b);
/* Overwrite the contents with zeros (for secrets), then free. */
void buf_wipe(struct buf *b);
void buf_free(struct buf *b);
/* Hand the string over to the caller (free() it); the buffer becomes empty. Never NULL. */
char *buf_steal(struct buf *b);
/* The contents as a C string; "" for an empty buffer. */
const char *buf_str(const struct buf *b);

/* Allocation helpers that abort on failure. */
void *xmalloc(size_t n);
void *xcalloc(size_t n, size_t size);
void *xrealloc(void *p, size_t n);
char *xstrdup(const char *s);
char *xstrndup(const char *s, size_t n);
/* Copy src into dst[size], truncating at a UTF-8 boundary; always NUL-terminates. */
void str_copy(char *dst, size_t size, const char *src);
/* Zero n bytes in a way the compiler will not optimise away. */
void secure_zero(void *p, size_t n);
/* secure_zero(s, strlen(s)) then free(s); NULL allowed. */
void free_secret(char *s);

#endif

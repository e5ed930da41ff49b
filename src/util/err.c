#include "sesctl/util/err.h"

#include "sesctl/util/buf.h"

#include <stdio.h>
#include <string.h>

struct status_row {
	const char *name;
	int exit_code;
	const char *desc;
};

static const struct status_row status_rows[] = {
#define SC_STATUS_ROW(name, code, desc) {#name, code, desc},
    SC_STATUS_INFO(SC_STATUS_ROW)
#undef SC_STATUS_ROW
};

static void copy_trunc(char *dst, size_t dstlen, const char *src)
{
	size_t n = strlen(src);

	if (!dstlen)
		return;
	if (n >= dstlen)
		n = dstlen - 1;
	memcpy(dst, src, n);
	dst[n] = '\0';
}

void sc_error_clear(struct sc_error *err)
{
	if (!err)
		return;
	memset(err, 0, sizeof(*err));
	err->status = SC_OK;
}

enum sc_status sc_vfail(struct sc_error *err, enum sc_status status, const char *fmt, va_list ap)
{
	if (!err)
		return status;
	err->status = status;
	vsnprintf(err->message, sizeof(err->message), fmt, ap);
	return status;
}

enum sc_status sc_fail(struct sc_error *err, enum sc_status status, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	sc_vfail(err, status, fmt, ap);
	va_end(ap);
	return status;
}

void sc_error_prefix(struct sc_error *err, const char *fmt, ...)
{
	struct buf b = BUF_INIT;
	va_list ap;

	if (!err)
		return;
	va_start(ap, fmt);
	buf_vprintf(&b, fmt, ap);
	va_end(ap);
	buf_printf(&b, ": %s", err->message);
	copy_trunc(err->message, sizeof(err->message), buf_str(&b));
	buf_free(&b);
}

static const struct status_row *row_of(enum sc_status status)
{
	if ((unsigned)status >= SC_STATUS_COUNT)
		return &status_rows[SC_ERR];
	return &status_rows[status];
}

const char *sc_status_name(enum sc_status status)
{
	return row_of(status)->name;
}

int sc_status_exit_code(enum sc_status status)
{
	return row_of(status)->exit_code;
}

const char *sc_status_desc(enum sc_status status)
{
	return row_of(status)->desc;
}

void sc_error_format(const struct sc_error *err, char *out, size_t outlen)
{
	struct buf b = BUF_INIT;

	buf_puts(&b, err->message[0] ? err->message : sc_status_desc(err->status));
	if (err->code[0] && err->request_id[0])
		buf_printf(&b, " (%s, request id %s)", err->code, err->request_id);
	else if (err->code[0])
		buf_printf(&b, " (%s)", err->code);
	else if (err->request_id[0])
		buf_printf(&b, " (request id %s)", err->request_id);
	copy_trunc(out, outlen, buf_str(&b));
	buf_free(&b);
}

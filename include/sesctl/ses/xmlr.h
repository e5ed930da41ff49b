#ifndef SESCTL_SES_XMLR_H
#define SESCTL_SES_XMLR_H

/*
 * Opening a Query-protocol XML reply (SES v1, CloudWatch, STS) the strict way:
 *   - the body must be well-formed XML (aws/xml.h: no network, no entity expansion) in
 *     UTF-8: an XML declaration naming another encoding is refused before parsing;
 *   - a document with a DOCTYPE is refused outright: AWS never sends one, and entity
 *     tricks (billion laughs, external entities) start there;
 *   - the root must be <{Op}Response>; *result gets <{Op}Result> (NULL when absent,
 *     an error when need_result is set).
 * Failures are SC_BAD_REPLY with "<Op>: ..." messages. The document is the caller's
 * (xml_free()); result is borrowed from it.
 */

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "sesctl/util/err.h"

xmlDoc *xr_open(const char *body, size_t len, const char *op, bool need_result,
		xmlNode **result, struct sc_error *err);

/* The same checks for a REST-XML reply (S3): the root must be <root>
 * ("<op>: the reply is <X>, not <root>"). */
xmlDoc *xr_open_root(const char *body, size_t len, const char *op, const char *root,
		     struct sc_error *err);

/* Failure for a missing/unusable field: "<op>: the reply has no usable <field>". */
enum sc_status xr_fail_field(struct sc_error *err, const char *op, const char *field);

/* A number at path within [lo, hi]: SC_OK with *out set; SC_OK with *out untouched when the
 * element is absent and !required; else SC_BAD_REPLY "<op>: <path> is out of range" or
 * "... has no usable <path>" (text that is not a number, 1e400, -5 for a count). */
enum sc_status xr_double_in(const xmlNode *n, const char *path, bool required, double lo,
			    double hi, double *out, const char *op, struct sc_error *err);
enum sc_status xr_int64_in(const xmlNode *n, const char *path, bool required, int64_t lo,
			   int64_t hi, int64_t *out, const char *op, struct sc_error *err);

#endif

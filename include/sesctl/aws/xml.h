#ifndef SESCTL_AWS_XML_H
#define SESCTL_AWS_XML_H

/*
 * Small libxml2 helpers for AWS Query/XML replies (SES v1, STS, CloudWatch errors).
 *
 * Parsing is locked down: no network, no DTD loading, no entity substitution, no error
 * output on stderr. Lookups compare local names only, so they ignore namespaces
 * (<AssumeRoleResponse xmlns="https://sts.amazonaws.com/doc/2011-06-15/"> matches
 * "AssumeRoleResponse").
 *
 * Paths are "A/B/C": A is an element child of the node given, B a child of A, and so on;
 * the first match at each step is taken. Every function accepts a NULL node (and then
 * finds nothing), so lookups can be chained without checks.
 *
 * Ownership: xml_parse() returns a document the caller frees with xml_free(); nodes are
 * borrowed from it. Strings returned by xml_text()/xml_path_text() are malloc'd and freed
 * with free() by the caller.
 */

#include <libxml/tree.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>

#include "sesctl/util/err.h"

/* Parse len bytes. Returns the document, or NULL with SC_BAD_REPLY in err ("the reply is
 * not well-formed XML"; "the reply has a DOCTYPE, which AWS never sends"). */
xmlDoc *xml_parse(const char *data, size_t len, struct sc_error *err);
void xml_free(xmlDoc *doc);

/* The root element, or NULL. */
xmlNode *xml_root(const xmlDoc *doc);

/* Local name of an element ("" for NULL). */
const char *xml_name(const xmlNode *n);
/* True when n is an element with local name `name`. */
bool xml_is(const xmlNode *n, const char *name);

/* First element child named `name`. */
xmlNode *xml_child(const xmlNode *parent, const char *name);
/* Follow "A/B/C" from n's children; NULL or "" returns n itself. */
xmlNode *xml_path(const xmlNode *n, const char *path);
/* First descendant element (depth first, n itself excluded) named `name`. */
xmlNode *xml_find(const xmlNode *n, const char *name);
/* Next element sibling after prev with the same local name as `name`; pass prev = NULL
 * to get the first such child of parent. Typical list walk:
 *   for (xmlNode *m = xml_next(list, NULL, "member"); m; m = xml_next(list, m, "member")) */
xmlNode *xml_next(const xmlNode *parent, const xmlNode *prev, const char *name);
/* Number of element children named `name`. */
size_t xml_count(const xmlNode *parent, const char *name);

/* All text inside n, leading/trailing whitespace trimmed, malloc'd; NULL when n is NULL.
 * An empty element gives "". */
char *xml_text(const xmlNode *n);
/* xml_text(xml_path(n, path)). */
char *xml_path_text(const xmlNode *n, const char *path);
/* Copy the trimmed text at path into out (truncated to fit, always NUL-terminated);
 * returns false (and out = "") when the element is missing. */
bool xml_path_copy(const xmlNode *n, const char *path, char *out, size_t outlen);

/* Typed reads of the text at path. Each returns true and sets *out when the element
 * exists and its whole text parses; otherwise returns false and leaves *out alone.
 * bool: "true"/"false" (any case). int64: decimal, optional sign. double: strtod.
 * time: ISO-8601, see xml_parse_iso8601. */
bool xml_path_bool(const xmlNode *n, const char *path, bool *out);
bool xml_path_int64(const xmlNode *n, const char *path, int64_t *out);
bool xml_path_double(const xmlNode *n, const char *path, double *out);
bool xml_path_time(const xmlNode *n, const char *path, time_t *out);

/* "2026-01-02T03:04:05Z", with optional fractional seconds (".123") and a zone of "Z",
 * "+hh:mm", "-hhmm" or none (taken as UTC) → seconds since the epoch, UTC. Fractions are
 * dropped. Returns false for anything else. Usable outside XML (JSON expirations). */
bool xml_parse_iso8601(const char *s, time_t *out);

#endif

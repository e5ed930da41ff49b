/* Libraries loaded on first use (util/libs.h says why): each function sesctl calls is
 * defined here with its header's prototype and forwards through a table dlsym() fills. */
#define CURL_DISABLE_TYPECHECK /* curl_easy_setopt is defined here, not a checking macro */
#include "sesctl/util/libs.h"

#include <archive.h>
#include <archive_entry.h>
#include <curl/curl.h>
#include <dlfcn.h>
#include <gmime/gmime.h>
#include <libxml/parser.h>
#include <libxml/tree.h>
#include <libxml/xmlerror.h>
#include <openssl/bio.h>
#include <openssl/crypto.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <pthread.h>
#include <stdarg.h>
#include <stdatomic.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

/* The sonames, found by the Makefile from the development links; these are Debian 12's. */
#ifndef LIBS_SONAME_CURL
#define LIBS_SONAME_CURL "libcurl.so.4"
#endif
#ifndef LIBS_SONAME_CRYPTO
#define LIBS_SONAME_CRYPTO "libcrypto.so.3"
#endif
#ifndef LIBS_SONAME_XML
#define LIBS_SONAME_XML "libxml2.so.2"
#endif
#ifndef LIBS_SONAME_GLIB
#define LIBS_SONAME_GLIB "libglib-2.0.so.0"
#endif
#ifndef LIBS_SONAME_GOBJECT
#define LIBS_SONAME_GOBJECT "libgobject-2.0.so.0"
#endif
#ifndef LIBS_SONAME_GMIME
#define LIBS_SONAME_GMIME "libgmime-3.0.so.0"
#endif
#ifndef LIBS_SONAME_ARCHIVE
#define LIBS_SONAME_ARCHIVE "libarchive.so.13"
#endif

/* ---- the functions, one row each: library, return type, name, parameters, arguments.
 * Variadic ones are written out below the tables. ---- */

#define CURL_FUNCS(F, V)                                                                      \
	F(CURL, CURL *, curl_easy_init, (void), ())                                           \
	V(CURL, curl_easy_cleanup, (CURL * h), (h))                                           \
	F(CURL, CURLcode, curl_easy_perform, (CURL * h), (h))                                 \
	V(CURL, curl_easy_reset, (CURL * h), (h))                                             \
	F(CURL, const char *, curl_easy_strerror, (CURLcode c), (c))                          \
	V(CURL, curl_free, (void *p), (p))                                                    \
	V(CURL, curl_global_cleanup, (void), ())                                              \
	F(CURL, CURLcode, curl_global_init, (long flags), (flags))                            \
	F(CURL, CURLMcode, curl_multi_add_handle, (CURLM * m, CURL *h), (m, h))               \
	F(CURL, CURLMcode, curl_multi_cleanup, (CURLM * m), (m))                              \
	F(CURL, CURLMsg *, curl_multi_info_read, (CURLM * m, int *left), (m, left))           \
	F(CURL, CURLM *, curl_multi_init, (void), ())                                         \
	F(CURL, CURLMcode, curl_multi_perform, (CURLM * m, int *running), (m, running))       \
	F(CURL, CURLMcode, curl_multi_poll,                                                   \
	  (CURLM * m, struct curl_waitfd extra[], unsigned int n, int ms, int *ret),          \
	  (m, extra, n, ms, ret))                                                             \
	F(CURL, CURLMcode, curl_multi_remove_handle, (CURLM * m, CURL *h), (m, h))            \
	F(CURL, struct curl_slist *, curl_slist_append, (struct curl_slist * l, const char *s), \
	  (l, s))                                                                             \
	V(CURL, curl_slist_free_all, (struct curl_slist * l), (l))                            \
	F(CURL, CURLU *, curl_url, (void), ())                                                \
	V(CURL, curl_url_cleanup, (CURLU * u), (u))                                           \
	F(CURL, CURLUcode, curl_url_get, (CURLU * u, CURLUPart w, char **p, unsigned int f),  \
	  (u, w, p, f))                                                                       \
	F(CURL, CURLUcode, curl_url_set,                                                      \
	  (CURLU * u, CURLUPart w, const char *p, unsigned int f), (u, w, p, f))              \
	F(CURL, curl_version_info_data *, curl_version_info, (CURLversion v), (v))

#define CURL_VARIADIC(_)                                                                      \
	_(CURL, CURLcode, curl_easy_setopt, (CURL *, CURLoption, ...))                        \
	_(CURL, CURLcode, curl_easy_getinfo, (CURL *, CURLINFO, ...))                         \
	_(CURL, CURLMcode, curl_multi_setopt, (CURLM *, CURLMoption, ...))

#define CRYPTO_FUNCS(F, V)                                                                    \
	F(CRYPTO, long, BIO_ctrl, (BIO * b, int cmd, long l, void *p), (b, cmd, l, p))        \
	F(CRYPTO, int, BIO_free, (BIO * b), (b))                                              \
	F(CRYPTO, BIO *, BIO_new, (const BIO_METHOD *t), (t))                                 \
	F(CRYPTO, BIO *, BIO_new_mem_buf, (const void *buf, int len), (buf, len))             \
	F(CRYPTO, const BIO_METHOD *, BIO_s_mem, (void), ())                                  \
	V(CRYPTO, CRYPTO_clear_free, (void *p, size_t n, const char *file, int line),         \
	  (p, n, file, line))                                                                 \
	V(CRYPTO, CRYPTO_free, (void *p, const char *file, int line), (p, file, line))        \
	F(CRYPTO, int, CRYPTO_memcmp, (const void *a, const void *b, size_t n), (a, b, n))    \
	F(CRYPTO, int, EVP_Digest,                                                            \
	  (const void *d, size_t n, unsigned char *md, unsigned int *s, const EVP_MD *t,      \
	   ENGINE *e),                                                                        \
	  (d, n, md, s, t, e))                                                                \
	F(CRYPTO, int, EVP_DigestFinal_ex, (EVP_MD_CTX * c, unsigned char *md, unsigned int *s), \
	  (c, md, s))                                                                         \
	F(CRYPTO, int, EVP_DigestInit_ex2, (EVP_MD_CTX * c, const EVP_MD *t, const OSSL_PARAM p[]), \
	  (c, t, p))                                                                          \
	F(CRYPTO, int, EVP_DigestUpdate, (EVP_MD_CTX * c, const void *d, size_t n), (c, d, n)) \
	F(CRYPTO, int, EVP_EncodeBlock, (unsigned char *t, const unsigned char *f, int n),    \
	  (t, f, n))                                                                          \
	V(CRYPTO, EVP_MD_CTX_free, (EVP_MD_CTX * c), (c))                                     \
	F(CRYPTO, EVP_MD_CTX *, EVP_MD_CTX_new, (void), ())                                   \
	F(CRYPTO, EVP_MD *, EVP_MD_fetch, (OSSL_LIB_CTX * x, const char *a, const char *p),   \
	  (x, a, p))                                                                          \
	V(CRYPTO, EVP_MD_free, (EVP_MD * m), (m))                                             \
	V(CRYPTO, EVP_PKEY_free, (EVP_PKEY * k), (k))                                         \
	F(CRYPTO, int, EVP_PKEY_get_base_id, (const EVP_PKEY *k), (k))                        \
	F(CRYPTO, const EVP_MD *, EVP_md5, (void), ())                                        \
	F(CRYPTO, const EVP_MD *, EVP_sha1, (void), ())                                       \
	F(CRYPTO, const EVP_MD *, EVP_sha256, (void), ())                                     \
	F(CRYPTO, EVP_PKEY *, PEM_read_bio_PUBKEY,                                            \
	  (BIO * b, EVP_PKEY **x, pem_password_cb *cb, void *u), (b, x, cb, u))               \
	F(CRYPTO, EVP_PKEY *, PEM_read_bio_PrivateKey,                                        \
	  (BIO * b, EVP_PKEY **x, pem_password_cb *cb, void *u), (b, x, cb, u))               \
	F(CRYPTO, int, PEM_write_bio_PrivateKey_traditional,                                  \
	  (BIO * b, const EVP_PKEY *x, const EVP_CIPHER *enc, const unsigned char *k, int kl,  \
	   pem_password_cb *cb, void *u),                                                     \
	  (b, x, enc, k, kl, cb, u))                                                          \
	F(CRYPTO, int, i2d_PrivateKey, (const EVP_PKEY *k, unsigned char **pp), (k, pp))     \
	F(CRYPTO, int, i2d_PUBKEY, (const EVP_PKEY *k, unsigned char **pp), (k, pp))

#define CRYPTO_VARIADIC(_) \
	_(CRYPTO, EVP_PKEY *, EVP_PKEY_Q_keygen, (OSSL_LIB_CTX *, const char *, const char *, ...))

#define XML_FUNCS(F, V)                                                                       \
	F(XML, int, xmlDictOwns, (xmlDictPtr d, const xmlChar *s), (d, s))                    \
	F(XML, xmlNodePtr, xmlDocGetRootElement, (const xmlDoc *d), (d))                      \
	V(XML, xmlFreeDoc, (xmlDocPtr d), (d))                                                \
	F(XML, xmlDtdPtr, xmlGetIntSubset, (const xmlDoc *d), (d))                            \
	F(XML, xmlChar *, xmlNodeGetContent, (const xmlNode *n), (n))                         \
	F(XML, xmlDocPtr, xmlReadMemory,                                                      \
	  (const char *b, int n, const char *url, const char *enc, int opts),                 \
	  (b, n, url, enc, opts))                                                             \
	V(XML, xmlSetGenericErrorFunc, (void *ctx, xmlGenericErrorFunc h), (ctx, h))          \
	V(XML, xmlSetStructuredErrorFunc, (void *ctx, xmlStructuredErrorFunc h), (ctx, h))

#define GLIB_FUNCS(F, V)                                                                      \
	F(GLIB, gint, g_ascii_strcasecmp, (const gchar *a, const gchar *b), (a, b))           \
	V(GLIB, g_free, (gpointer p), (p))                                                    \
	V(GOBJECT, g_object_unref, (gpointer o), (o))                                         \
	F(GOBJECT, GTypeInstance *, g_type_check_instance_cast, (GTypeInstance * i, GType t), \
	  (i, t))                                                                             \
	F(GOBJECT, gboolean, g_type_check_instance_is_a, (GTypeInstance * i, GType t), (i, t))

#define GMIME_FUNCS(F, V)                                                                     \
	F(GMIME, char *, g_mime_content_type_get_mime_type, (GMimeContentType * c), (c))      \
	F(GMIME, ssize_t, g_mime_data_wrapper_write_to_stream,                                \
	  (GMimeDataWrapper * w, GMimeStream *s), (w, s))                                     \
	V(GMIME, g_mime_init, (void), ())                                                     \
	V(GMIME, g_mime_message_foreach,                                                      \
	  (GMimeMessage * m, GMimeObjectForeachFunc f, gpointer ud), (m, f, ud))              \
	F(GMIME, GMimeContentType *, g_mime_object_get_content_type, (GMimeObject * o), (o))  \
	F(GMIME, GMimeMessage *, g_mime_parser_construct_message,                             \
	  (GMimeParser * p, GMimeParserOptions *o), (p, o))                                   \
	F(GMIME, gboolean, g_mime_parser_eos, (GMimeParser * p), (p))                         \
	F(GMIME, GMimeParser *, g_mime_parser_new_with_stream, (GMimeStream * s), (s))        \
	V(GMIME, g_mime_parser_set_format, (GMimeParser * p, GMimeFormat f), (p, f))          \
	F(GMIME, GMimeDataWrapper *, g_mime_part_get_content, (GMimePart * p), (p))           \
	F(GMIME, const char *, g_mime_part_get_filename, (GMimePart * p), (p))                \
	F(GMIME, GType, g_mime_part_get_type, (void), ())                                     \
	F(GMIME, GByteArray *, g_mime_stream_mem_get_byte_array, (GMimeStreamMem * m), (m))   \
	F(GMIME, GType, g_mime_stream_mem_get_type, (void), ())                               \
	F(GMIME, GMimeStream *, g_mime_stream_mem_new, (void), ())                            \
	F(GMIME, GMimeStream *, g_mime_stream_mem_new_with_buffer, (const char *b, size_t n), \
	  (b, n))

#define ARCHIVE_FUNCS(F, V)                                                                   \
	F(ARCHIVE, mode_t, archive_entry_filetype, (struct archive_entry * e), (e))           \
	F(ARCHIVE, const char *, archive_entry_pathname, (struct archive_entry * e), (e))     \
	F(ARCHIVE, const char *, archive_error_string, (struct archive * a), (a))             \
	F(ARCHIVE, la_ssize_t, archive_read_data, (struct archive * a, void *b, size_t n),    \
	  (a, b, n))                                                                          \
	F(ARCHIVE, int, archive_read_free, (struct archive * a), (a))                         \
	F(ARCHIVE, struct archive *, archive_read_new, (void), ())                            \
	F(ARCHIVE, int, archive_read_next_header, (struct archive * a, struct archive_entry **e), \
	  (a, e))                                                                             \
	F(ARCHIVE, int, archive_read_open_memory, (struct archive * a, const void *b, size_t n), \
	  (a, b, n))                                                                          \
	F(ARCHIVE, int, archive_read_support_format_zip, (struct archive * a), (a))

#define ALL_FUNCS(F, V)      \
	CURL_FUNCS(F, V)     \
	CRYPTO_FUNCS(F, V)   \
	XML_FUNCS(F, V)      \
	GLIB_FUNCS(F, V)     \
	GMIME_FUNCS(F, V)    \
	ARCHIVE_FUNCS(F, V)

#define ALL_VARIADIC(_) \
	CURL_VARIADIC(_) \
	CRYPTO_VARIADIC(_)

/* ---- the table and the loading ---- */

struct fns {
#define FN_PTR(lib, ret, name, params, args) ret(*name) params;
#define VOID_PTR(lib, name, params, args) void(*name) params;
#define VAR_PTR(lib, ret, name, params) ret(*name) params;
	ALL_FUNCS(FN_PTR, VOID_PTR)
	ALL_VARIADIC(VAR_PTR)
#undef FN_PTR
#undef VOID_PTR
#undef VAR_PTR
	xmlFreeFunc *xml_free; /* libxml2's xmlFree is a variable */
};

static const struct {
	const char *name, *soname;
} libs[LIBS_COUNT] = {
#define LIBS_ROW(id, name, soname) [LIBS_##id] = {name, soname},
	LIBS_LIST(LIBS_ROW)
#undef LIBS_ROW
};

static struct fns fns;
static void *handles[LIBS_COUNT];
static pthread_once_t once[LIBS_COUNT] = {
#define LIBS_ONCE(id, name, soname) [LIBS_##id] = PTHREAD_ONCE_INIT,
	LIBS_LIST(LIBS_ONCE)
#undef LIBS_ONCE
};

static void (*_Atomic fatal_hook)(void);

void libs_set_fatal_hook(void (*hook)(void))
{
	atomic_store(&fatal_hook, hook);
}

static _Noreturn void broken(enum libs_id id, const char *what)
{
	void (*hook)(void) = atomic_exchange(&fatal_hook, NULL);

	if (hook)
		hook();
	fprintf(stderr, "sesctl: cannot load %s (%s): %s\n", libs[id].name, libs[id].soname, what);
	exit(1);
}

static void *sym(enum libs_id id, const char *name)
{
	void *p = dlsym(handles[id], name);

	if (!p) {
		char what[300];

		snprintf(what, sizeof(what), "it has no %s", name);
		broken(id, what);
	}
	return p;
}

/* One loader per library: opens it, then resolves its rows of the tables. GObject and
 * GLib come with GMime, so GMime's loader opens them too. */
static void open_lib(enum libs_id id)
{
	const char *err;

	handles[id] = dlopen(libs[id].soname, RTLD_NOW | RTLD_LOCAL);
	if (!handles[id]) {
		err = dlerror();
		broken(id, err ? err : "dlopen failed");
	}
}

#define LOAD_ROW(lib, ret, name, params, args) \
	if (LIBS_##lib == id)                  \
		*(void **)&fns.name = sym(id, #name);
#define LOAD_VOID(lib, name, params, args) \
	if (LIBS_##lib == id)              \
		*(void **)&fns.name = sym(id, #name);
#define LOAD_VAR(lib, ret, name, params) \
	if (LIBS_##lib == id)            \
		*(void **)&fns.name = sym(id, #name);

static void resolve(enum libs_id id)
{
	open_lib(id);
	ALL_FUNCS(LOAD_ROW, LOAD_VOID)
	ALL_VARIADIC(LOAD_VAR)
	if (id == LIBS_XML)
		fns.xml_free = sym(id, "xmlFree");
}

#define LIBS_INIT(x)                                \
	static void init_##x(void)                  \
	{                                           \
		resolve(LIBS_##x);                  \
	}
LIBS_INIT(CURL)
LIBS_INIT(CRYPTO)
LIBS_INIT(XML)
LIBS_INIT(GLIB)
LIBS_INIT(GOBJECT)
LIBS_INIT(GMIME)
LIBS_INIT(ARCHIVE)

static void (*const init[LIBS_COUNT])(void) = {
#define LIBS_INIT_ROW(id, name, soname) [LIBS_##id] = init_##id,
	LIBS_LIST(LIBS_INIT_ROW)
#undef LIBS_INIT_ROW
};

static const struct fns *lib(enum libs_id id)
{
	pthread_once(&once[id], init[id]);
	return &fns;
}

bool libs_loaded(enum libs_id id)
{
	return id < LIBS_COUNT && handles[id] != NULL;
}

/* ---- the definitions ---- */

#define DEFINE_FN(lib_, ret, name, params, args) \
	ret name params                          \
	{                                        \
		return lib(LIBS_##lib_)->name args; \
	}
#define DEFINE_VOID(lib_, name, params, args) \
	void name params                      \
	{                                     \
		lib(LIBS_##lib_)->name args;  \
	}
ALL_FUNCS(DEFINE_FN, DEFINE_VOID)

/* libxml2 declares xmlFree a variable holding its free function: ours forwards. */
static void xml_free(void *p)
{
	(*lib(LIBS_XML)->xml_free)(p);
}
xmlFreeFunc xmlFree = xml_free;

/* An option's type is its number's range (curl.h: CURLOPTTYPE_*): the argument is a long,
 * an object or function pointer, or a curl_off_t, as curl itself reads it. */
#define CURL_FORWARD(call, opt, ap)                                        \
	((opt) < CURLOPTTYPE_OBJECTPOINT   ? call(va_arg(ap, long))            \
	 : (opt) < CURLOPTTYPE_FUNCTIONPOINT ? call(va_arg(ap, void *))        \
	 : (opt) < CURLOPTTYPE_OFF_T         ? call(va_arg(ap, void (*)(void))) \
	 : (opt) < CURLOPTTYPE_BLOB          ? call(va_arg(ap, curl_off_t))    \
					     : call(va_arg(ap, void *)))

CURLcode curl_easy_setopt(CURL *h, CURLoption opt, ...)
{
	const struct fns *f = lib(LIBS_CURL);
	CURLcode rc;
	va_list ap;

	va_start(ap, opt);
#define EASY(v) f->curl_easy_setopt(h, opt, v)
	rc = CURL_FORWARD(EASY, opt, ap);
#undef EASY
	va_end(ap);
	return rc;
}

CURLMcode curl_multi_setopt(CURLM *m, CURLMoption opt, ...)
{
	const struct fns *f = lib(LIBS_CURL);
	CURLMcode rc;
	va_list ap;

	va_start(ap, opt);
#define MULTI(v) f->curl_multi_setopt(m, opt, v)
	rc = CURL_FORWARD(MULTI, opt, ap);
#undef MULTI
	va_end(ap);
	return rc;
}

/* Every CURLINFO takes a pointer to where the answer goes. */
CURLcode curl_easy_getinfo(CURL *h, CURLINFO info, ...)
{
	const struct fns *f = lib(LIBS_CURL);
	CURLcode rc;
	va_list ap;

	va_start(ap, info);
	rc = f->curl_easy_getinfo(h, info, va_arg(ap, void *));
	va_end(ap);
	return rc;
}

/* The key type says what follows (openssl's EVP_PKEY_Q_keygen(3)): RSA a size_t of bits,
 * EC and SM2 a curve name, the others nothing. */
EVP_PKEY *EVP_PKEY_Q_keygen(OSSL_LIB_CTX *ctx, const char *propq, const char *type, ...)
{
	const struct fns *f = lib(LIBS_CRYPTO);
	EVP_PKEY *k;
	va_list ap;

	va_start(ap, type);
	if (type && !strcmp(type, "RSA"))
		k = f->EVP_PKEY_Q_keygen(ctx, propq, type, va_arg(ap, size_t));
	else if (type && (!strcmp(type, "EC") || !strcmp(type, "SM2")))
		k = f->EVP_PKEY_Q_keygen(ctx, propq, type, va_arg(ap, char *));
	else
		k = f->EVP_PKEY_Q_keygen(ctx, propq, type);
	va_end(ap);
	return k;
}

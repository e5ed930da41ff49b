#ifndef SESCTL_UTIL_LIBS_H
#define SESCTL_UTIL_LIBS_H

/*
 * Libraries loaded on first use. Starting a process that links libcurl, libcrypto,
 * libxml2, GMime and libarchive costs more than reading 900,000 cached identities: those
 * five bring some 50 shared objects, and the dynamic loader spent 96 % of `sesctl
 * --version` relocating them. Cache-only work (the console's first frame, `find`,
 * `fleet`, `identities list` from a fresh cache) needs none of them.
 *
 * So the binary does not link them. util/libs.c defines every function of theirs that
 * sesctl calls, with the prototype of the library's own header (the compiler checks it),
 * and each definition calls the real one through a table filled by dlopen()/dlsym() the
 * first time anything of that library is called (pthread_once: threads may race to it).
 * Code elsewhere calls curl_easy_init() etc. as usual and does not know.
 *
 * A library that cannot be loaded, or lacks a function, is a broken installation (`make
 * deps` installs them): the process prints "sesctl: cannot load LIB: REASON" and exits 1.
 */

#include <stdbool.h>

/* X-macro: id, what it is called in messages, soname (overridable at build time). */
#define LIBS_LIST(_)                                     \
	_(CURL, "libcurl", LIBS_SONAME_CURL)             \
	_(CRYPTO, "libcrypto", LIBS_SONAME_CRYPTO)       \
	_(XML, "libxml2", LIBS_SONAME_XML)               \
	_(GLIB, "GLib", LIBS_SONAME_GLIB)                \
	_(GOBJECT, "GObject", LIBS_SONAME_GOBJECT)       \
	_(GMIME, "GMime", LIBS_SONAME_GMIME)             \
	_(ARCHIVE, "libarchive", LIBS_SONAME_ARCHIVE)

enum libs_id {
#define LIBS_ENUM(id, name, soname) LIBS_##id,
	LIBS_LIST(LIBS_ENUM)
#undef LIBS_ENUM
	LIBS_COUNT
};

/* Whether the library has been opened by this process. */
bool libs_loaded(enum libs_id id);

/* Called (once, from whichever thread) before a library that cannot be loaded ends the
 * process: the console ends curses there, so the line is seen and the terminal is not
 * left raw. NULL removes it. */
void libs_set_fatal_hook(void (*hook)(void));

#endif

#ifndef SESCTL_UTIL_FILE_H
#define SESCTL_UTIL_FILE_H

/*
 * Opening files a user names (AWS config and credentials, SSO token caches, sesctl's
 * settings and themes, snapshot and key files) without blocking: open(2) on a FIFO waits
 * for a writer forever, so the file is opened O_NONBLOCK, checked with fstat(2), and
 * anything but a regular file is refused before a byte is read.
 */

/* Returns a blocking, close-on-exec read-only descriptor the caller closes, or -1 with
 * errno set: ENOENT etc. from open(2), EINVAL for a FIFO, device, socket or directory.
 * /dev/null is allowed (it reads as empty: the usual "no such file" stand-in). */
int file_open_regular(const char *path);

/* strerror(e), except EINVAL reads "not a regular file (a FIFO, device or directory)". */
const char *file_strerror(int e);

/* ---- sesctl's own directories (the cache, the audit trail) ---- */

#include "sesctl/util/err.h"

/* The XDG base directory named by env_var ("XDG_CACHE_HOME", "XDG_STATE_HOME"), or
 * $HOME/home_rel (".cache", ".local/state") when the variable is unset, empty or relative
 * (as the XDG spec says). *out is malloc'd; SC_IO when there is no home directory. */
enum sc_status file_xdg_base(const char *env_var, const char *home_rel, char **out,
			     struct sc_error *err);

/* mkdir -p; the components created get mode 0700. */
enum sc_status file_make_parents(const char *dir, struct sc_error *err);

/* Create dir 0700 when missing; refuse a symlink, a non-directory or a foreign owner;
 * take group/other bits away from an existing one. */
enum sc_status file_private_dir(const char *dir, struct sc_error *err);

/* The directory part of path ("." when none). Caller frees. */
char *file_dir_of(const char *path);

#endif

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

#endif

#include "sesctl/util/file.h"

#include <errno.h>
#include <fcntl.h>
#include <pwd.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sesctl/util/buf.h"

/* AWS_CONFIG_FILE=/dev/null is the usual way to say "no config file": it reads as empty */
static int is_dev_null(const struct stat *st)
{
	struct stat null;

	return S_ISCHR(st->st_mode) && stat("/dev/null", &null) == 0 && S_ISCHR(null.st_mode) &&
	       st->st_rdev == null.st_rdev;
}

int file_open_regular(const char *path)
{
	struct stat st;
	int fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC), flags;

	if (fd < 0)
		return -1;
	if (fstat(fd, &st) != 0 || !(S_ISREG(st.st_mode) || is_dev_null(&st))) {
		close(fd);
		errno = EINVAL;
		return -1;
	}
	flags = fcntl(fd, F_GETFL);
	if (flags >= 0)
		fcntl(fd, F_SETFL, flags & ~O_NONBLOCK);
	return fd;
}

const char *file_strerror(int e)
{
	return e == EINVAL ? "not a regular file (a FIFO, device or directory)" : strerror(e);
}

/* ---------------------------------------------------------------- own directories */

static bool is_absolute(const char *s)
{
	return s && s[0] == '/';
}

enum sc_status file_xdg_base(const char *env_var, const char *home_rel, char **out,
			     struct sc_error *err)
{
	const char *xdg = getenv(env_var), *home = getenv("HOME");
	struct passwd *pw;
	struct buf b = BUF_INIT;

	*out = NULL;
	if (is_absolute(xdg)) {
		*out = xstrdup(xdg);
		return SC_OK;
	}
	if (!is_absolute(home)) {
		pw = getpwuid(getuid());
		if (!pw || !is_absolute(pw->pw_dir))
			return sc_fail(err, SC_IO, "cannot find the home directory (for %s)",
				       env_var);
		home = pw->pw_dir;
	}
	buf_printf(&b, "%s/%s", home, home_rel);
	*out = buf_steal(&b);
	return SC_OK;
}

enum sc_status file_make_parents(const char *dir, struct sc_error *err)
{
	char *p = xstrdup(dir);

	for (char *s = p + 1;; s++) {
		if (*s != '/' && *s != '\0')
			continue;
		char saved = *s;
		*s = '\0';
		if (mkdir(p, 0700) != 0 && errno != EEXIST) {
			sc_fail(err, SC_IO, "cannot create directory %s: %s", p, strerror(errno));
			free(p);
			return SC_IO;
		}
		*s = saved;
		if (!saved)
			break;
	}
	free(p);
	return SC_OK;
}

enum sc_status file_private_dir(const char *dir, struct sc_error *err)
{
	struct stat st;
	int fd;

	if (mkdir(dir, 0700) != 0 && errno != EEXIST)
		return sc_fail(err, SC_IO, "cannot create directory %s: %s", dir, strerror(errno));
	if (lstat(dir, &st) != 0)
		return sc_fail(err, SC_IO, "cannot inspect %s: %s", dir, strerror(errno));
	if (S_ISLNK(st.st_mode))
		return sc_fail(err, SC_IO, "%s is a symbolic link; refusing to keep files there",
			       dir);
	if (!S_ISDIR(st.st_mode))
		return sc_fail(err, SC_IO, "%s is not a directory", dir);
	if (st.st_uid != geteuid())
		return sc_fail(err, SC_IO, "%s belongs to another user (uid %ld); refusing to use it",
			       dir, (long)st.st_uid);
	if (!(st.st_mode & 077))
		return SC_OK;
	fd = open(dir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC);
	if (fd < 0 || fchmod(fd, 0700) != 0) {
		sc_fail(err, SC_IO, "cannot make %s private: %s", dir, strerror(errno));
		if (fd >= 0)
			close(fd);
		return SC_IO;
	}
	close(fd);
	return SC_OK;
}

char *file_dir_of(const char *path)
{
	const char *slash = strrchr(path, '/');

	if (!slash)
		return xstrdup(".");
	if (slash == path)
		return xstrdup("/");
	return xstrndup(path, (size_t)(slash - path));
}

/*
 * files.c - whole-file reads that never block on a FIFO or a device, and
 * atomic replacement (temp file, fsync, rename), so that in.tftpd
 * re-reading its rules or a client halfway through a loader sees the old
 * file or the new one, never a mix.  Also: would in.tftpd serve a loader.
 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"

#define READ_MAX    (64u << 20)     /* no loader or rules file is larger */

static int
read_fd(int fd, char **data, size_t *len)
{
    char    *buf = NULL, *p;
    size_t   n = 0, cap = 0;
    ssize_t  got;

    for (;;) {
        if (cap - n < 4096) {
            if (cap > READ_MAX) {
                free(buf);
                return -EFBIG;
            }
            cap = cap != 0 ? cap * 2 : 65536;
            p = realloc(buf, cap + 1);
            if (p == NULL) {
                free(buf);
                return -ENOMEM;
            }
            buf = p;
        }
        got = read(fd, buf + n, cap - n);
        if (got < 0 && errno == EINTR) {
            continue;
        }
        if (got < 0) {
            free(buf);
            return -errno;
        }
        if (got == 0) {
            break;
        }
        n += (size_t) got;
    }
    buf[n] = '\0';
    *data = buf;
    *len = n;
    return 0;
}

int
fs_read_file(const char *path, char **data, size_t *len)
{
    struct stat st;
    int         fd, rc;

    /* O_NONBLOCK: opening a FIFO for reading would wait for a writer */
    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) != 0) {
        rc = -errno;
    } else if (!S_ISREG(st.st_mode)) {
        rc = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
    } else {
        rc = read_fd(fd, data, len);
    }
    close(fd);
    return rc;
}

const char *
fs_strerror(int rc)
{
    return rc == -EINVAL ? "not a regular file" : strerror(-rc);
}

static int
write_all(int fd, const char *data, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(fd, data, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        data += n;
        len -= (size_t) n;
    }
    return 0;
}

/* "<dir>/.<base>.XXXXXX" for path; -ENAMETOOLONG if it does not fit. */
static int
temp_name(const char *path, char *out, size_t size)
{
    const char *slash = strrchr(path, '/');
    int         n;

    if (slash == NULL) {
        n = snprintf(out, size, ".%s.XXXXXX", path);
    } else {
        n = snprintf(out, size, "%.*s/.%s.XXXXXX", (int) (slash - path),
                     path, slash + 1);
    }
    return n < 0 || (size_t) n >= size ? -ENAMETOOLONG : 0;
}

/* fsync the directory holding path, so the rename survives a crash. */
static void
sync_parent(const char *path)
{
    char        dir[PATH_MAX];
    const char *slash = strrchr(path, '/');
    int         fd;

    if (slash == NULL) {
        snprintf(dir, sizeof(dir), ".");
    } else if (slash == path) {
        snprintf(dir, sizeof(dir), "/");
    } else {
        snprintf(dir, sizeof(dir), "%.*s", (int) (slash - path), path);
    }
    fd = open(dir, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
    if (fd >= 0) {
        (void) fsync(fd);
        close(fd);
    }
}

int
fs_write_atomic(const char *path, const char *data, size_t len,
    mode_t mode)
{
    char tmp[PATH_MAX];
    int  fd, rc;

    rc = temp_name(path, tmp, sizeof(tmp));
    if (rc != 0) {
        return rc;
    }
    fd = mkstemp(tmp);
    if (fd < 0) {
        return -errno;
    }
    rc = write_all(fd, data, len);
    if (rc == 0 && fchmod(fd, mode) != 0) {
        rc = -errno;
    }
    if (rc == 0 && fsync(fd) != 0) {
        rc = -errno;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    if (rc == 0 && rename(tmp, path) != 0) {
        rc = -errno;
    }
    if (rc != 0) {
        unlink(tmp);
        return rc;
    }
    sync_parent(path);
    return 0;
}

/* Does dst already hold exactly these bytes with this mode? */
static int
same_file(const char *dst, const char *data, size_t len, mode_t mode)
{
    struct stat st;
    char       *old;
    size_t      oldlen;
    int         same;

    if (stat(dst, &st) != 0 || !S_ISREG(st.st_mode)
        || (st.st_mode & 07777) != mode || (size_t) st.st_size != len)
    {
        return 0;
    }
    if (fs_read_file(dst, &old, &oldlen) != 0) {
        return 0;
    }
    same = oldlen == len && memcmp(old, data, len) == 0;
    free(old);
    return same;
}

int
fs_copy_atomic(const char *src, const char *dst, mode_t mode, int *changed)
{
    char   *data;
    size_t  len;
    int     rc;

    *changed = 0;
    rc = fs_read_file(src, &data, &len);
    if (rc != 0) {
        return rc;
    }
    if (!same_file(dst, data, len, mode)) {
        rc = fs_write_atomic(dst, data, len, mode);
        *changed = rc == 0;
    }
    free(data);
    return rc;
}

int
fs_make_parents(const char *root, const char *rel)
{
    char        path[PATH_MAX];
    const char *p;
    int         n;

    for (p = strchr(rel, '/'); p != NULL; p = strchr(p + 1, '/')) {
        n = snprintf(path, sizeof(path), "%s/%.*s", root, (int) (p - rel),
                     rel);
        if (n < 0 || (size_t) n >= sizeof(path)) {
            return -ENAMETOOLONG;
        }
        if (mkdir(path, 0755) != 0 && errno != EEXIST) {
            return -errno;
        }
    }
    return 0;
}

int
loader_servable(const char *root, const char *name, char *why, size_t size)
{
    char        path[PATH_MAX];
    struct stat st;
    int         n;

    n = snprintf(path, sizeof(path), "%s/%s", root, name);
    if (n < 0 || (size_t) n >= sizeof(path)) {
        snprintf(why, size, "%s/%s: name too long", root, name);
        return -ENOENT;
    }
    if (stat(path, &st) != 0) {
        snprintf(why, size, "%s: %s", path, strerror(errno));
        return -ENOENT;
    }
    if (!S_ISREG(st.st_mode)) {
        snprintf(why, size, "%s is not a regular file", path);
        return -EACCES;
    }
    /* in.tftpd serves only world-readable files */
    if ((st.st_mode & S_IROTH) == 0) {
        snprintf(why, size, "%s is not world-readable (chmod o+r)", path);
        return -EACCES;
    }
    snprintf(why, size, "%s", path);
    return 0;
}

/*
 * config_read.c - the bytes the parser reads: a file, a block at a time,
 * or a text already in memory.
 *
 * Only regular files are read, and opened without blocking: a FIFO put
 * where alpxe.conf should be would hang the caller in open() (nginx's
 * master, Kea's main thread), /dev/zero would never end.  A file is read a
 * block at a time, its checksum taken as the blocks come: the parser
 * copies what it keeps, so 1M hosts' 100 MB are never held whole.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "config_parse.h"

/* A sane upper bound for a configuration file (1M hosts ≈ 100 MB). */
#define CONFIG_MAX_BYTES    (256u * 1024 * 1024)

/* Open path for reading: 0 with *fd and its *size, or -errno (*why says
 * more when it is not a regular file; -EFBIG with *size when it is larger
 * than max). */
static int
open_regular(const char *path, size_t max, int *fd, size_t *size,
    const char **why)
{
    struct stat st;
    int         rc;

    *why = NULL;
    *fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (*fd < 0) {
        return -errno;
    }
    if (fstat(*fd, &st) != 0) {
        rc = -errno;
    } else if (!S_ISREG(st.st_mode)) {
        *why = S_ISDIR(st.st_mode) ? "is a directory" : "not a regular file";
        rc = -EINVAL;
    } else if ((unsigned long long) st.st_size > max) {
        *size = (size_t) st.st_size;
        rc = -EFBIG;
    } else {
        *size = (size_t) st.st_size;
        return 0;
    }
    close(*fd);
    *fd = -1;
    return rc;
}

/* read(), again after a signal. */
static ssize_t
read_some(int fd, char *buf, size_t len)
{
    ssize_t n;

    do {
        n = read(fd, buf, len);
    } while (n < 0 && errno == EINTR);
    return n;
}

int
cfg_read_file(const char *path, size_t max, char **text, size_t *len,
    const char **why)
{
    char    *buf;
    size_t   size = 0, got = 0;
    ssize_t  n;
    int      fd, rc;

    rc = open_regular(path, max != 0 ? max : CONFIG_MAX_BYTES, &fd, &size,
                      why);
    if (rc != 0) {
        *len = size;
        return rc;
    }
    buf = malloc(size + 1);
    if (buf == NULL) {
        close(fd);
        return -ENOMEM;
    }
    /* A file that grows while it is read is read to its size at fstat:
     * an editor writing it will be read again at the next reload. */
    while (got < size) {
        n = read_some(fd, buf + got, size - got);
        if (n < 0) {
            rc = -errno;
            free(buf);
            close(fd);
            return rc;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
    }
    close(fd);
    buf[got] = '\0';
    *text = buf;
    *len = got;
    return 0;
}

/* write() it all, again after a signal or a short write. */
int
cfg_write_all(int fd, const char *buf, size_t len)
{
    ssize_t n;

    while (len > 0) {
        n = write(fd, buf, len);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        buf += n;
        len -= (size_t) n;
    }
    return 0;
}

int
cfg_copy_file(const char *path, int out, char sha[CFG_SHA256_HEX],
    const char **why)
{
    parse_source src;
    ssize_t      n;
    int          rc;

    rc = parse_source_open(&src, path, why);
    while (rc == 0 && src.unread > 0) {
        n = read_some(src.fd, src.block,
                      src.unread < PARSE_BLOCK ? src.unread : PARSE_BLOCK);
        if (n <= 0) {
            rc = n < 0 ? -errno : 0;
            break;
        }
        cfg_sha256_update(src.sha, src.block, (size_t) n);
        src.unread -= (size_t) n;
        rc = cfg_write_all(out, src.block, (size_t) n);
    }
    parse_source_close(&src, sha);
    return rc;
}

int
parse_source_open(parse_source *src, const char *path, const char **why)
{
    int rc;

    memset(src, 0, sizeof(*src));
    rc = open_regular(path, CONFIG_MAX_BYTES, &src->fd, &src->unread, why);
    if (rc != 0) {
        return rc;
    }
    src->block = malloc(PARSE_BLOCK);
    src->sha = cfg_sha256_begin();
    if (src->block == NULL || src->sha == NULL) {
        parse_source_close(src, NULL);
        return -ENOMEM;
    }
    return 0;
}

int
parse_fill(parse_state *ps)
{
    parse_source *src = ps->src;
    size_t        rest, room;
    ssize_t       n;

    if (src == NULL || src->unread == 0) {
        return 0;
    }
    rest = (size_t) (ps->end - ps->pos);
    room = PARSE_BLOCK - rest;
    if (room == 0) {
        return 0;
    }
    memmove(src->block, ps->pos, rest);
    ps->pos = src->block;
    ps->end = src->block + rest;
    /* As for cfg_read_file(): read to the size at fstat, no further. */
    n = read_some(src->fd, src->block + rest,
                  room < src->unread ? room : src->unread);
    if (n <= 0) {
        /* shorter than fstat said: cut while it was read; the next
         * reload reads it whole */
        src->rc = n < 0 ? -errno : 0;
        src->unread = 0;
        return 0;
    }
    cfg_sha256_update(src->sha, src->block + rest, (size_t) n);
    src->unread -= (size_t) n;
    ps->end += n;
    return 1;
}

void
parse_source_close(parse_source *src, char sha[CFG_SHA256_HEX])
{
    if (src->sha != NULL) {
        if (sha != NULL) {
            cfg_sha256_end(src->sha, sha);
        } else {
            char unused[CFG_SHA256_HEX];

            cfg_sha256_end(src->sha, unused);
        }
        src->sha = NULL;
    }
    free(src->block);
    src->block = NULL;
    if (src->fd >= 0) {
        close(src->fd);
    }
    src->fd = -1;
}

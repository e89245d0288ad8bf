/*
 * kept.c - the last good version of alpxe.conf, for the servers that must
 * keep answering whatever happens to the file.
 *
 * A server loads through alpxe_config_load_kept().  When the file loads,
 * its exact bytes are kept in a second file (atomically, and only when
 * they changed); when it does not - broken, deleted, unreadable, half
 * written by an editor - the kept bytes are loaded instead, and the
 * server goes on giving the answers it gave before.  Across a restart or a
 * reboot as well, since the copy is a file.
 *
 * The copy is the file's bytes after one header line,
 *     # alpxe last good copy: loaded=1795000000 sha256=<64 hex> of <path>
 * so that its line numbers are the file's.  The checksum is checked when
 * the copy is read back: a copy cut short by a crash is refused, never
 * served.  Only regular files are read, never waiting on a FIFO.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "config_internal.h"

#define KEPT_MAGIC          "# alpxe last good copy: loaded="
#define KEPT_HEADER_MAX     (sizeof(KEPT_MAGIC) + 4096)
#define KEPT_PATH_MAX       4096

static void
report(alpxe_diag_fn diag, void *ctx, alpxe_severity sev, const char *file,
    const char *fmt, const char *a, const char *b)
{
    char msg[1024];

    if (diag == NULL) {
        return;
    }
    snprintf(msg, sizeof(msg), fmt, file, sev == ALPXE_ERROR ? "error"
                                                             : "warning",
             a, b);
    diag(ctx, sev, file, 0, msg);
}

/*
 * The copy at `keep`: its text after the header, the time and checksum the
 * header gives.  0, -ENOENT (no copy yet), -EINVAL (*why says what is
 * wrong with it), or another -errno.
 */
static int
read_kept(const char *keep, char **buf, const char **text, size_t *len,
    long long *loaded, char sha[65], const char **why)
{
    const char *p, *nl, *s;
    char        got[65];
    size_t      n;
    int         rc;

    rc = cfg_read_file(keep, 0, buf, &n, why);
    if (rc != 0) {
        return rc;
    }
    *why = "not an alpxe last good copy";
    p = *buf;
    nl = memchr(p, '\n', n < KEPT_HEADER_MAX ? n : KEPT_HEADER_MAX);
    if (nl == NULL || strncmp(p, KEPT_MAGIC, sizeof(KEPT_MAGIC) - 1) != 0) {
        goto err;
    }
    p += sizeof(KEPT_MAGIC) - 1;
    for (*loaded = 0; p < nl && *p >= '0' && *p <= '9'; p++) {
        *loaded = *loaded * 10 + (*p - '0');
        if (*loaded > 1000000000000LL) {
            goto err;
        }
    }
    s = " sha256=";
    if ((size_t) (nl - p) < strlen(s) + 64 || strncmp(p, s, strlen(s)) != 0) {
        goto err;
    }
    p += strlen(s);
    memcpy(sha, p, 64);
    sha[64] = '\0';
    *text = nl + 1;
    *len = n - (size_t) (nl + 1 - *buf);
    cfg_sha256_hex(*text, *len, got);
    if (strcmp(got, sha) != 0) {
        *why = "its checksum does not match (cut short?)";
        goto err;
    }
    return 0;

err:
    free(*buf);
    *buf = NULL;
    return -EINVAL;
}

/*
 * Keep the file at path as the copy at keep, atomically, when its bytes
 * are still those that loaded (checksum sha): copied a block at a time
 * once the configuration is loaded, never held whole.  0, -EAGAIN when
 * the file changed meanwhile (the next load keeps it), or -errno.
 */
static int
kept_copy(const char *keep, const char *path, const char *sha)
{
    char        tmp[KEPT_PATH_MAX], header[KEPT_HEADER_MAX];
    char        got[CFG_SHA256_HEX];
    const char *why;
    int         fd, hlen, rc;

    if ((size_t) snprintf(tmp, sizeof(tmp), "%s.tmp", keep) >= sizeof(tmp)) {
        return -ENAMETOOLONG;
    }
    hlen = snprintf(header, sizeof(header), KEPT_MAGIC "%lld sha256=%s of "
                    "%.2048s\n", (long long) time(NULL), sha, path);
    /* Debian's AppArmor profile for kea-dhcp4 lets it write the lease
     * file's siblings only: "<keep>.tmp" is one when <keep> is. */
    fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC | O_NOFOLLOW,
              0600);
    if (fd < 0) {
        return -errno;
    }
    rc = cfg_write_all(fd, header, (size_t) hlen);
    if (rc == 0) {
        rc = cfg_copy_file(path, fd, got, &why);
    }
    if (rc == 0 && strcmp(got, sha) != 0) {
        rc = -EAGAIN;
    }
    if (rc == 0 && fsync(fd) != 0) {
        rc = -errno;
    }
    if (close(fd) != 0 && rc == 0) {
        rc = -errno;
    }
    if (rc == 0 && rename(tmp, keep) != 0) {
        rc = -errno;
    }
    if (rc != 0) {
        unlink(tmp);
    }
    return rc;
}

/* Is the copy at `keep` already these bytes?  (Reads only its header.) */
static int
kept_is(const char *keep, const char *sha)
{
    char  line[KEPT_HEADER_MAX], want[80];
    FILE *f;
    int   same = 0, fd;

    fd = open(keep, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return 0;
    }
    f = fdopen(fd, "r");
    if (f == NULL) {
        close(fd);
        return 0;
    }
    snprintf(want, sizeof(want), " sha256=%s ", sha);
    if (fgets(line, sizeof(line), f) != NULL
        && strncmp(line, KEPT_MAGIC, sizeof(KEPT_MAGIC) - 1) == 0
        && strstr(line, want) != NULL)
    {
        same = 1;
    }
    fclose(f);
    return same;
}

int
alpxe_config_load_kept(const char *path, const char *keep, unsigned flags,
    alpxe_diag_fn diag, void *ctx, alpxe_config **out, alpxe_load_result *r)
{
    alpxe_config *cfg = NULL;
    const char   *why = NULL, *text;
    char         *buf = NULL, name[4200], sha[CFG_SHA256_HEX];
    size_t        len = 0;
    long long     loaded = 0;
    uint64_t      start = cfg_now_us();
    int           rc;

    memset(r, 0, sizeof(*r));

    /* the file; once it loads, exactly its bytes are kept */
    rc = alpxe_config_load(path, flags & ~ALPXE_LOAD_KEEP_RO, diag, ctx, &cfg);
    r->file_rc = rc;
    if (rc == 0) {
        if (keep != NULL && !(flags & ALPXE_LOAD_KEEP_RO)
            && !kept_is(keep, cfg->sha256))
        {
            r->keep_rc = kept_copy(keep, path, cfg->sha256);
        }
        *out = cfg;
        return 0;
    }
    if (keep == NULL || rc == -ENOMEM) {
        return rc;
    }

    /* the last good copy, under the file's own name */
    r->keep_rc = read_kept(keep, &buf, &text, &len, &loaded, sha, &why);
    if (r->keep_rc != 0) {
        if (r->keep_rc != -ENOENT) {
            report(diag, ctx, ALPXE_ERROR, keep, "%s: %s: the last good "
                   "copy cannot be used: %s%s", why != NULL ? why
                   : strerror(-r->keep_rc), "");
        }
        return rc;
    }
    snprintf(name, sizeof(name), "%s (last good copy %s)", path, keep);
    r->keep_rc = alpxe_config_load_mem(name, text, len,
                                       flags & ~ALPXE_LOAD_KEEP_RO, diag, ctx,
                                       &cfg);
    free(buf);
    if (r->keep_rc != 0) {
        return rc;
    }
    /* it is the file as it was: its name, its time, its checksum */
    cfg->path = arena_strndup(&cfg->mem, path, strlen(path));
    if (cfg->path == NULL) {
        alpxe_config_free(cfg);
        return -ENOMEM;
    }
    cfg->loaded_at = loaded;
    cfg->load_us = cfg_now_us() - start;
    cfg->fallback = 1;
    r->fallback = 1;
    *out = cfg;
    return 0;
}

/*
 * bootlog_read.c - the three servers' logs, as files or from the journal,
 * read whole (alpxe log, status) or followed (alpxe watch).
 *
 * Each source is in time order by itself, so reading whole is a merge:
 * the next event fed is the earliest of the three sources' next ones, and
 * nothing is kept but one event per source.  A time given to the second
 * (syslog, nginx's $time_local) sorts at the end of its second, after the
 * DHCP answer of the same second that led to it.  A file's rotated copy
 * (FILE.1) is read before it.  The journal is read through journalctl,
 * run with fixed arguments (no shell).
 */

#define _GNU_SOURCE             /* pipe2 */

#include <errno.h>
#include <fcntl.h>
#include <limits.h>
#include <poll.h>
#include <signal.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "bootlog.h"

extern char **environ;

/* Debian's units: Kea logs to stdout under systemd, in.tftpd to syslog. */
static const char *const journal_args[BLOG_SRC_COUNT][3] = {
    [BLOG_SRC_KEA]   = { "-u", "kea-dhcp4-server.service", NULL },
    [BLOG_SRC_TFTPD] = { "-t", "in.tftpd", NULL },
    [BLOG_SRC_NGINX] = { NULL, NULL, NULL },
};

static const char *const source_names[BLOG_SRC_COUNT] = {
    "kea", "tftpd", "nginx"
};

#define READ_CHUNK  65536

typedef struct {
    blog_source  src;
    const char  *path;          /* file, or "journal" */
    int          journal;
    int          fd;            /* -1: none (yet) */
    pid_t        pid;           /* journalctl */
    int          rotated;       /* reading PATH.1 now */
    int          eof;
    dev_t        dev;           /* followed file's identity */
    ino_t        ino;
    off_t        offset;
    char        *buf;           /* READ_CHUNK + a partial line */
    size_t       len;
    size_t       start;
    int          skipping;      /* in a line longer than BLOG_LINE_MAX */
    blog_event   ev;            /* the next event (merge) */
    int          have_ev;
} reader;

void
blog_paths_from(const alpxe_config *cfg, const blog_paths *opt,
    blog_paths *out)
{
    static const char *const dflt[BLOG_SRC_COUNT] = {
        ALPXE_LOG_JOURNAL, ALPXE_LOG_JOURNAL, "/var/log/nginx/access.log"
    };
    int i;

    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        out->path[i] = opt != NULL && opt->path[i] != NULL ? opt->path[i]
                       : cfg != NULL
                       ? alpxe_config_log_path(cfg, (alpxe_log_source) i)
                       : dflt[i];
    }
}

static int
open_file(reader *r, const char *path)
{
    struct stat st;
    int         fd;

    fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
    }
    r->fd = fd;
    r->dev = st.st_dev;
    r->ino = st.st_ino;
    r->offset = 0;
    return 0;
}

static int
open_journal(reader *r, int follow)
{
    const char *argv[12];
    int         pipefd[2], n = 0, rc, devnull;
    posix_spawn_file_actions_t fa;

    argv[n++] = "journalctl";
    argv[n++] = "-q";
    argv[n++] = "--no-pager";
    argv[n++] = "-o";
    argv[n++] = "short-iso-precise";
    argv[n++] = journal_args[r->src][0];
    argv[n++] = journal_args[r->src][1];
    if (follow) {
        argv[n++] = "-f";
        argv[n++] = "-n";
        argv[n++] = "10000";
    }
    argv[n] = NULL;
    if (pipe2(pipefd, O_CLOEXEC) != 0) {
        return -errno;
    }
    devnull = open("/dev/null", O_WRONLY | O_CLOEXEC);
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_adddup2(&fa, pipefd[1], STDOUT_FILENO);
    if (devnull >= 0) {
        posix_spawn_file_actions_adddup2(&fa, devnull, STDERR_FILENO);
    }
    rc = posix_spawnp(&r->pid, "journalctl", &fa, NULL, (char **) argv,
                      environ);
    posix_spawn_file_actions_destroy(&fa);
    close(pipefd[1]);
    if (devnull >= 0) {
        close(devnull);
    }
    if (rc != 0) {
        close(pipefd[0]);
        r->pid = 0;
        return -rc;
    }
    r->fd = pipefd[0];
    if (follow) {
        (void) fcntl(r->fd, F_SETFL, fcntl(r->fd, F_GETFL) | O_NONBLOCK);
    }
    return 0;
}

static void
reader_close(reader *r)
{
    int status;

    if (r->fd >= 0) {
        close(r->fd);
        r->fd = -1;
    }
    if (r->pid > 0) {
        kill(r->pid, SIGTERM);
        (void) waitpid(r->pid, &status, 0);
        r->pid = 0;
    }
}

/* Open a source; whole: its rotated copy first.  0 or -errno, and the
 * reason printed. */
static int
reader_open(reader *r, blog_source src, const char *path, int follow)
{
    char rotated[PATH_MAX];
    int  rc;

    memset(r, 0, sizeof(*r));
    r->src = src;
    r->path = path;
    r->fd = -1;
    r->buf = malloc(READ_CHUNK + BLOG_LINE_MAX);
    if (r->buf == NULL) {
        return -ENOMEM;
    }
    r->journal = strcmp(path, ALPXE_LOG_JOURNAL) == 0;
    if (r->journal) {
        rc = journal_args[src][0] == NULL ? -EINVAL : open_journal(r, follow);
    } else {
        rc = -ENOENT;
        if (!follow && (size_t) snprintf(rotated, sizeof(rotated), "%s.1",
                                          path) < sizeof(rotated)
            && open_file(r, rotated) == 0)
        {
            r->rotated = 1;
            rc = 0;
        }
        if (rc != 0) {
            rc = open_file(r, path);
        }
    }
    return rc;
}

/*
 * The next whole line of r into *line and *len (NUL-terminated, no newline):
 * 1; 0 when no whole line is there now (end of the source, or of what a
 * followed one has so far); -errno.
 */
static int
reader_line(reader *r, char **line, size_t *len)
{
    char   *nl;
    ssize_t n;

    for (;;) {
        nl = memchr(r->buf + r->start, '\n', r->len - r->start);
        if (nl != NULL) {
            *line = r->buf + r->start;
            *len = (size_t) (nl - *line);
            *nl = '\0';
            r->start = (size_t) (nl - r->buf) + 1;
            if (r->skipping) {
                r->skipping = 0;
                continue;
            }
            return 1;
        }
        /* keep the partial line at the front */
        memmove(r->buf, r->buf + r->start, r->len - r->start);
        r->len -= r->start;
        r->start = 0;
        if (r->len >= BLOG_LINE_MAX && r->skipping) {
            r->len = 0;         /* more of the line being skipped */
        } else if (r->len >= BLOG_LINE_MAX) {
            /* a line too long: its start is read, the rest skipped */
            *line = r->buf;
            *len = BLOG_LINE_MAX - 1;
            r->buf[BLOG_LINE_MAX - 1] = '\0';
            r->len = 0;
            r->skipping = 1;
            return 1;
        }
        if (r->fd < 0) {
            return 0;
        }
        n = read(r->fd, r->buf + r->len, READ_CHUNK);
        if (n > 0) {
            r->len += (size_t) n;
            r->offset += n;
            continue;
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0 && errno != EAGAIN) {
            return -errno;
        }
        return 0;
    }
}

/* Whole reading: the next event of r (its rotated copy, then itself). */
static int
reader_next(reader *r, long long now_ms)
{
    char  *line;
    size_t len;
    int    rc;

    r->have_ev = 0;
    while (!r->eof) {
        rc = reader_line(r, &line, &len);
        if (rc < 0) {
            return rc;
        }
        if (rc == 0) {
            if (r->len > 0 && !r->skipping) {
                /* a last line without its newline */
                r->buf[r->len] = '\0';
                line = r->buf;
                len = r->len;
                r->len = 0;
                if (blog_parse(r->src, line, len, now_ms, &r->ev)) {
                    r->have_ev = 1;
                    return 0;
                }
            }
            r->len = 0;
            r->start = 0;
            r->skipping = 0;
            if (r->rotated) {
                reader_close(r);
                r->rotated = 0;
                if (open_file(r, r->path) == 0) {
                    continue;
                }
            }
            r->eof = 1;
            break;
        }
        if (blog_parse(r->src, line, len, now_ms, &r->ev)) {
            r->have_ev = 1;
            return 0;
        }
    }
    return 0;
}

static long long
sort_key(const blog_event *ev)
{
    return ev->ms + (ev->whole_s ? 999 : 0);
}

static void
describe(blog_sources *src, int i, const char *path, int rc)
{
    src->readable[i] = rc == 0;
    snprintf(src->name[i], sizeof(src->name[i]), "%s", path);
    if (rc != 0) {
        fprintf(stderr, "alpxe: %s log %s: %s (set [log] %s, or --%s-log)\n",
                source_names[i], path, rc == -EINVAL && strcmp(path,
                ALPXE_LOG_JOURNAL) == 0 ? "nginx writes no journal"
                : strerror(-rc), source_names[i], source_names[i]);
    }
}

int
blog_read_all(const blog_paths *paths, blog_tracker *t, blog_sources *src)
{
    reader    r[BLOG_SRC_COUNT];
    long long now = blog_now_ms(), k, best_k;
    int       i, best, rc = 0, orc;

    memset(src, 0, sizeof(*src));
    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        orc = reader_open(&r[i], (blog_source) i, paths->path[i], 0);
        if (orc == -ENOMEM) {
            rc = -ENOMEM;
        }
        describe(src, i, paths->path[i], orc);
        if (orc != 0) {
            r[i].eof = 1;
        } else if (reader_next(&r[i], now) != 0) {
            r[i].eof = 1;
        }
    }
    while (rc == 0) {
        best = -1;
        best_k = 0;
        for (i = 0; i < BLOG_SRC_COUNT; i++) {
            if (!r[i].have_ev) {
                continue;
            }
            k = sort_key(&r[i].ev);
            if (best < 0 || k < best_k) {
                best = i;
                best_k = k;
            }
        }
        if (best < 0) {
            break;
        }
        rc = blog_tracker_feed(t, &r[best].ev, NULL);
        if (rc == 0 && reader_next(&r[best], now) != 0) {
            r[best].have_ev = 0;
        }
    }
    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        reader_close(&r[i]);
        free(r[i].buf);
    }
    if (rc == 0) {
        rc = blog_tracker_settle(t, 0, NULL);
    }
    return rc;
}

/* ----------------------------------------------------------- following */

struct blog_follow {
    reader       r[BLOG_SRC_COUNT];
    int          open[BLOG_SRC_COUNT];
    blog_event  *evs;
    size_t       n;
    size_t       cap;
};

blog_follow *
blog_follow_open(const blog_paths *paths, blog_sources *src)
{
    blog_follow *f = calloc(1, sizeof(*f));
    int          i, rc;

    if (f == NULL) {
        return NULL;
    }
    memset(src, 0, sizeof(*src));
    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        rc = reader_open(&f->r[i], (blog_source) i, paths->path[i], 1);
        describe(src, i, paths->path[i], rc);
        f->open[i] = rc == 0;
        if (rc != 0 && f->r[i].buf == NULL) {
            blog_follow_close(f);
            return NULL;
        }
    }
    return f;
}

/* A followed file that was rotated or truncated is read again from its
 * start, under its name. */
static void
reopen_if_replaced(reader *r)
{
    struct stat st;

    if (r->journal || stat(r->path, &st) != 0) {
        return;
    }
    if (r->fd >= 0 && st.st_dev == r->dev && st.st_ino == r->ino
        && st.st_size >= r->offset)
    {
        return;
    }
    if (r->fd >= 0 && st.st_dev == r->dev && st.st_ino == r->ino) {
        /* truncated in place */
        (void) lseek(r->fd, 0, SEEK_SET);
        r->offset = 0;
        r->len = r->start = 0;
        return;
    }
    reader_close(r);
    r->len = r->start = 0;
    (void) open_file(r, r->path);
}

int
blog_follow_poll(blog_follow *f, int timeout_ms,
    void (*cb)(void *ctx, const blog_event *ev), void *ctx)
{
    struct pollfd pfd[BLOG_SRC_COUNT];
    long long     now = blog_now_ms();
    char         *line;
    size_t        len, budget, first[BLOG_SRC_COUNT], next[BLOG_SRC_COUNT];
    size_t        last[BLOG_SRC_COUNT];
    int           s, np = 0, rc;
    void         *grown;

    /* pipes are waited for; files are looked at again after the timeout */
    for (s = 0; s < BLOG_SRC_COUNT; s++) {
        if (f->open[s] && f->r[s].journal && f->r[s].fd >= 0) {
            pfd[np].fd = f->r[s].fd;
            pfd[np].events = POLLIN;
            np++;
        }
    }
    if (timeout_ms > 0) {
        (void) poll(pfd, (nfds_t) np, timeout_ms);
    }
    f->n = 0;
    for (s = 0; s < BLOG_SRC_COUNT; s++) {
        first[s] = f->n;
        if (!f->open[s]) {
            continue;
        }
        reopen_if_replaced(&f->r[s]);
        /* at most a few MB a source a round: a huge backlog is read over
         * several rounds, in order */
        for (budget = 4 * 1024 * 1024; budget > 0;) {
            rc = reader_line(&f->r[s], &line, &len);
            if (rc <= 0) {
                break;
            }
            budget = len + 1 < budget ? budget - len - 1 : 0;
            if (f->n == f->cap) {
                grown = realloc(f->evs, (f->cap ? f->cap * 2 : 256)
                                        * sizeof(*f->evs));
                if (grown == NULL) {
                    return -ENOMEM;
                }
                f->evs = grown;
                f->cap = f->cap ? f->cap * 2 : 256;
            }
            if (blog_parse((blog_source) s, line, len, now, &f->evs[f->n])) {
                f->n++;
            }
        }
    }
    /* each source's events are in order: merge them, the earlier
     * source first on a tie (Kea's lease before the request it led to) */
    for (s = 0; s < BLOG_SRC_COUNT; s++) {
        next[s] = first[s];
        last[s] = s + 1 < BLOG_SRC_COUNT ? first[s + 1] : f->n;
    }
    for (;;) {
        int best = -1;

        for (s = 0; s < BLOG_SRC_COUNT; s++) {
            if (next[s] < last[s]
                && (best < 0 || sort_key(&f->evs[next[s]])
                                < sort_key(&f->evs[next[best]])))
            {
                best = s;
            }
        }
        if (best < 0) {
            break;
        }
        cb(ctx, &f->evs[next[best]++]);
    }
    return 0;
}

void
blog_follow_close(blog_follow *f)
{
    int i;

    if (f == NULL) {
        return;
    }
    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        reader_close(&f->r[i]);
        free(f->r[i].buf);
    }
    free(f->evs);
    free(f);
}

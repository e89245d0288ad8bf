/*
 * daemon.c - pid files, /proc and signals: how `alpxe reload` and
 * `alpxe-remap --reload` reach a running server.
 *
 * A pid file can outlive its daemon, and its pid can be reused by any
 * process: a signal is sent only after /proc says the pid is the server
 * we mean.  Everything here reads small files with explicit bounds, and
 * never blocks on one that is not a regular file (a FIFO put where a pid
 * file should be).
 */

#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"

/* Read at most size - 1 bytes of a regular file into out, NUL-terminated.
 * Returns the length, -EINVAL for anything but a regular file, -errno. */
static ssize_t
read_small(const char *path, char *out, size_t size)
{
    struct stat st;
    size_t      got = 0;
    ssize_t     n;
    int         fd, err;

    fd = open(path, O_RDONLY | O_NONBLOCK | O_CLOEXEC);
    if (fd < 0) {
        return -errno;
    }
    if (fstat(fd, &st) != 0 || !S_ISREG(st.st_mode)) {
        close(fd);
        return -EINVAL;
    }
    while (got < size - 1) {
        n = read(fd, out + got, size - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            err = errno;
            close(fd);
            return -err;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
    }
    close(fd);
    out[got] = '\0';
    return (ssize_t) got;
}

/* A decimal pid at the start of [p, end), then only whitespace. */
static int
parse_pid(const char *p, const char *end, pid_t *pid)
{
    long v = 0;

    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    if (p == end || *p < '0' || *p > '9') {
        return -EINVAL;
    }
    while (p < end && *p >= '0' && *p <= '9') {
        v = v * 10 + (*p++ - '0');
        if (v > 0x3fffffff) {           /* beyond any pid_max */
            return -EINVAL;
        }
    }
    while (p < end && (*p == ' ' || *p == '\t' || *p == '\n'
                       || *p == '\r'))
    {
        p++;
    }
    if (p != end || v <= 1) {           /* never signal init or a group */
        return -EINVAL;
    }
    *pid = (pid_t) v;
    return 0;
}

pidfile_state
proc_pidfile(const char *path, pid_t *pid, char *err, size_t errsize)
{
    char        buf[64], dir[32];
    struct stat st;
    ssize_t     n;

    n = read_small(path, buf, sizeof(buf));
    if (n == -ENOENT) {
        snprintf(err, errsize, "%s: no such file", path);
        return PIDFILE_ABSENT;
    }
    if (n < 0) {
        snprintf(err, errsize, "%s: %s", path,
                 n == -EINVAL ? "not a regular file" : strerror((int) -n));
        return PIDFILE_BAD;
    }
    if (parse_pid(buf, buf + n, pid) != 0) {
        snprintf(err, errsize, "%s: no pid in it", path);
        return PIDFILE_BAD;
    }
    snprintf(dir, sizeof(dir), "/proc/%ld", (long) *pid);
    if (stat(dir, &st) != 0) {
        snprintf(err, errsize, "%s: stale, process %ld is gone", path,
                 (long) *pid);
        return PIDFILE_STALE;
    }
    err[0] = '\0';
    return PIDFILE_RUNNING;
}

int
proc_comm(pid_t pid, char *out, size_t size)
{
    char    path[32];
    ssize_t n;

    snprintf(path, sizeof(path), "/proc/%ld/comm", (long) pid);
    n = read_small(path, out, size);
    if (n < 0) {
        return (int) n;
    }
    out[strcspn(out, "\n")] = '\0';
    return 0;
}

int
proc_cmdline(pid_t pid, char *out, size_t size)
{
    char    path[32];
    ssize_t n, i;

    snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long) pid);
    n = read_small(path, out, size);
    if (n < 0) {
        return (int) n;
    }
    while (n > 0 && out[n - 1] == '\0') {
        n--;
    }
    for (i = 0; i < n; i++) {
        if (out[i] == '\0') {
            out[i] = ' ';
        }
    }
    out[n] = '\0';
    return 0;
}

/* The parent pid in /proc/PID/stat: "pid (comm) S ppid ...", where comm
 * may hold spaces and parentheses, so the last ')' ends it. */
static int
stat_ppid(const char *name, pid_t *ppid)
{
    char        path[64], buf[512];
    const char *p, *end;
    ssize_t     n;

    snprintf(path, sizeof(path), "/proc/%s/stat", name);
    n = read_small(path, buf, sizeof(buf));
    if (n <= 0) {
        return -ENOENT;
    }
    end = buf + n;
    p = strrchr(buf, ')');
    if (p == NULL || end - p < 5) {
        return -EINVAL;
    }
    p += 2;                             /* ") " */
    p++;                                /* state */
    if (*p != ' ') {
        return -EINVAL;
    }
    p++;
    end = p;
    while (*end >= '0' && *end <= '9') {
        end++;
    }
    if (end == p) {
        return -EINVAL;
    }
    /* ppid 0 or 1 is valid here, unlike in a pid file */
    *ppid = 0;
    while (p < end) {
        *ppid = *ppid * 10 + (*p++ - '0');
    }
    return 0;
}

size_t
proc_children(pid_t ppid, pid_t *out, size_t max)
{
    DIR           *d;
    struct dirent *e;
    pid_t          parent;
    size_t         count = 0;

    d = opendir("/proc");
    if (d == NULL) {
        return 0;
    }
    while (count < max && (e = readdir(d)) != NULL) {
        if (e->d_name[0] < '1' || e->d_name[0] > '9'
            || strspn(e->d_name, "0123456789") != strlen(e->d_name))
        {
            continue;
        }
        if (stat_ppid(e->d_name, &parent) == 0 && parent == ppid
            && parse_pid(e->d_name, e->d_name + strlen(e->d_name),
                         &out[count]) == 0)
        {
            count++;
        }
    }
    closedir(d);
    return count;
}

int
proc_argv(pid_t pid, char **argv, int max, char **buf)
{
    char    path[32];
    char   *text, *p;
    ssize_t n;
    int     argc = 0;

    /* a command line may be long: ARG_MAX is far more, but in.tftpd's
     * and nginx's are a few hundred bytes */
    text = malloc(65536);
    if (text == NULL) {
        return -ENOMEM;
    }
    snprintf(path, sizeof(path), "/proc/%ld/cmdline", (long) pid);
    n = read_small(path, text, 65536);
    if (n < 0) {
        free(text);
        return (int) n;
    }
    for (p = text; p < text + n && argc < max - 1; p += strlen(p) + 1) {
        argv[argc++] = p;
    }
    argv[argc] = NULL;
    *buf = text;
    return argc;
}

pidfile_state
daemon_find(const char *pidfile, const char *comm, pid_t *pid, char *err,
    size_t errsize)
{
    pidfile_state st;
    char          name[64];

    st = proc_pidfile(pidfile, pid, err, errsize);
    if (st != PIDFILE_RUNNING) {
        return st;
    }
    if (proc_comm(*pid, name, sizeof(name)) != 0) {
        snprintf(err, errsize, "%s: stale, process %ld is gone", pidfile,
                 (long) *pid);
        return PIDFILE_STALE;
    }
    if (strcmp(name, comm) != 0) {
        snprintf(err, errsize, "%s: process %ld is %s, not %s; not "
                 "signalled", pidfile, (long) *pid, name, comm);
        return PIDFILE_BAD;
    }
    return PIDFILE_RUNNING;
}

int
daemon_signal(pid_t pid, int sig, char *err, size_t errsize)
{
    int rc;

    if (kill(pid, sig) == 0) {
        return 0;
    }
    rc = -errno;
    snprintf(err, errsize, "kill -%s %ld: %s", sig == SIGHUP ? "HUP"
             : "SIG", (long) pid, strerror(-rc));
    return rc;
}

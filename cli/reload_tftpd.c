/*
 * reload_tftpd.c - `alpxe reload` for tftpd-hpa: runs
 *     alpxe-remap -v -c CONFIG -o REMAP --reload PIDFILE
 * which writes the remap rules atomically and sends in.tftpd SIGHUP after
 * checking the pid is an in.tftpd whose -m file will load (a bad rule on
 * SIGHUP makes in.tftpd exit).  That logic stays in alpxe-remap, the one
 * program that knows in.tftpd's rules; the CLI only runs it.
 *
 * alpxe-remap is looked for next to this program (both go to /usr/sbin,
 * or both are in build/), then in PATH.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "reload.h"

#define REMAP_PROG  "alpxe-remap"

/* The alpxe-remap beside /proc/self/exe, or just its name for PATH. */
static void
find_remap(char *out, size_t size)
{
    char    self[PATH_MAX];
    ssize_t n;
    char   *slash;

    n = readlink("/proc/self/exe", self, sizeof(self) - 1);
    if (n > 0) {
        self[n] = '\0';
        slash = strrchr(self, '/');
        if (slash != NULL) {
            *slash = '\0';
            if ((size_t) snprintf(out, size, "%s/" REMAP_PROG, self) < size
                && access(out, X_OK) == 0)
            {
                return;
            }
        }
    }
    snprintf(out, size, REMAP_PROG);
}

/* Run argv with stdout and stderr into out (truncated, NUL-terminated).
 * Returns the exit status, or -1 when it could not run. */
static int
run_capture(char *const argv[], char *out, size_t size)
{
    int     fds[2], status;
    size_t  got = 0;
    ssize_t n;
    char    sink[256];
    pid_t   pid;

    out[0] = '\0';
    if (pipe(fds) != 0) {
        snprintf(out, size, "pipe: %s", strerror(errno));
        return -1;
    }
    fflush(NULL);
    pid = fork();
    if (pid < 0) {
        snprintf(out, size, "fork: %s", strerror(errno));
        close(fds[0]);
        close(fds[1]);
        return -1;
    }
    if (pid == 0) {
        dup2(fds[1], STDOUT_FILENO);
        dup2(fds[1], STDERR_FILENO);
        close(fds[0]);
        close(fds[1]);
        if (strchr(argv[0], '/') != NULL) {
            execv(argv[0], argv);
        } else {
            execvp(argv[0], argv);
        }
        fprintf(stderr, "cannot run %s: %s\n", argv[0], strerror(errno));
        _exit(127);
    }
    close(fds[1]);
    for (;;) {
        if (got + 1 < size) {
            n = read(fds[0], out + got, size - 1 - got);
        } else {
            n = read(fds[0], sink, sizeof(sink));   /* drain, so it ends */
        }
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            break;
        }
        if (got + 1 < size) {
            got += (size_t) n;
        }
    }
    close(fds[0]);
    out[got] = '\0';
    while (got > 0 && out[got - 1] == '\n') {
        out[--got] = '\0';
    }
    while (waitpid(pid, &status, 0) < 0) {
        if (errno != EINTR) {
            return -1;
        }
    }
    return WIFEXITED(status) ? WEXITSTATUS(status) : -1;
}

/* "N rules" from alpxe-remap -v's "wrote N rules to FILE", or "". */
static void
rule_count(const char *out, char *buf, size_t size)
{
    const char *p = strstr(out, "wrote ");
    size_t      n;

    buf[0] = '\0';
    if (p == NULL) {
        return;
    }
    p += 6;
    n = strspn(p, "0123456789");
    if (n > 0 && n < 12 && strncmp(p + n, " rule", 5) == 0) {
        snprintf(buf, size, "%.*s rule%s ", (int) n, p,
                 (n == 1 && *p == '1') ? "" : "s");
    }
}

void
reload_tftpd(const char *config, const char *pidfile, const char *remap,
    reload_result *r)
{
    char         prog[PATH_MAX], out[2048], err[512], rules[32];
    char        *argv[10];
    struct stat  sb;
    pid_t        pid;
    int          rc, argc = 0, running;
    pidfile_state st;

    st = proc_pidfile(pidfile, &pid, err, sizeof(err));
    if (st == PIDFILE_BAD) {
        reload_set(r, RELOAD_FAILED, "%s", err);
        return;
    }
    running = st == PIDFILE_RUNNING;
    /* Not running: keep an existing rules file current for its next
     * start, but create none for a machine that may not use tftpd. */
    if (!running && stat(remap, &sb) != 0) {
        reload_set(r, RELOAD_NOT_RUNNING, "%s", err);
        return;
    }

    find_remap(prog, sizeof(prog));
    argv[argc++] = prog;
    argv[argc++] = "-v";
    argv[argc++] = "-c";
    argv[argc++] = (char *) config;
    argv[argc++] = "-o";
    argv[argc++] = (char *) remap;
    if (running) {
        argv[argc++] = "--reload";
        argv[argc++] = (char *) pidfile;
    }
    argv[argc] = NULL;

    rc = run_capture(argv, out, sizeof(out));
    rule_count(out, rules, sizeof(rules));
    if (rc < 0) {
        reload_set(r, RELOAD_FAILED, "%s did not run to its end: %s", prog,
                   out);
    } else if (rc != 0) {
        reload_set(r, RELOAD_FAILED, "%s exited %d:\n%s", prog, rc, out);
    } else if (running) {
        reload_set(r, RELOAD_SENT, "%swritten to %s, SIGHUP sent to in.tftpd "
                   "%ld", rules, remap, (long) pid);
    } else {
        reload_set(r, RELOAD_NOT_RUNNING, "%s", err);
        snprintf(r->note, sizeof(r->note), "%swritten to %s", rules, remap);
    }
}

/*
 * reload_nginx.c - `alpxe reload` for nginx: SIGHUP to the master named by
 * the pid file, as `nginx -s reload` does.
 *
 * The pid file is the one nginx.conf's `pid` names (Debian: /run/nginx.pid);
 * signalling it directly needs no guess at which nginx.conf the running
 * master was started with.  On SIGHUP the master re-reads nginx.conf, and
 * with it alpxe.conf (the module loads it at configuration time); only if
 * that succeeds does it start new workers, otherwise it logs the error and
 * keeps the old ones.  So new worker pids are the proof that the new
 * configuration serves, and their absence that nginx refused it.
 */

#include <signal.h>
#include <stdio.h>
#include <string.h>
#include <time.h>

#include "reload.h"

#define MAX_CHILDREN    256
#define POLL_MS         50

static int
is_new(pid_t pid, const pid_t *old, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (old[i] == pid) {
            return 0;
        }
    }
    return 1;
}

void
reload_nginx(const char *pidfile, reload_result *r)
{
    static const struct timespec poll_ts = { 0, POLL_MS * 1000000L };
    pid_t         pid, before[MAX_CHILDREN], now[MAX_CHILDREN];
    size_t        nbefore, nnow, i;
    char          err[512], cmd[256];
    unsigned      waited;
    pidfile_state st;

    st = daemon_find(pidfile, "nginx", &pid, err, sizeof(err));
    if (st == PIDFILE_ABSENT || st == PIDFILE_STALE) {
        reload_set(r, RELOAD_NOT_RUNNING, "%s", err);
        return;
    }
    if (st != PIDFILE_RUNNING) {
        reload_set(r, RELOAD_FAILED, "%s", err);
        return;
    }
    /* the master retitles itself "nginx: master process ARGS" */
    if (proc_cmdline(pid, cmd, sizeof(cmd)) != 0) {
        reload_set(r, RELOAD_NOT_RUNNING, "%s: process %ld is gone",
                   pidfile, (long) pid);
        return;
    }
    if (strncmp(cmd, "nginx: master process", 21) != 0) {
        reload_set(r, RELOAD_FAILED, "%s: process %ld is an nginx worker, "
                   "not its master; not signalled", pidfile, (long) pid);
        return;
    }

    nbefore = proc_children(pid, before, MAX_CHILDREN);
    if (daemon_signal(pid, SIGHUP, err, sizeof(err)) != 0) {
        reload_set(r, RELOAD_FAILED, "%s", err);
        return;
    }
    for (waited = 0; waited < RELOAD_TIMEOUT_MS; waited += POLL_MS) {
        nanosleep(&poll_ts, NULL);
        nnow = proc_children(pid, now, MAX_CHILDREN);
        for (i = 0; i < nnow; i++) {
            if (is_new(now[i], before, nbefore)) {
                reload_set(r, RELOAD_DONE, "master %ld started new workers",
                           (long) pid);
                return;
            }
        }
    }
    reload_set(r, RELOAD_FAILED, "SIGHUP sent to master %ld, but it started "
               "no new workers within %u s: it kept its old configuration "
               "(its error_log says why)", (long) pid,
               RELOAD_TIMEOUT_MS / 1000);
}

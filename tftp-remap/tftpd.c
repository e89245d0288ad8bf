/*
 * tftpd.c - make a running in.tftpd re-read its remap rules (SIGHUP).
 *
 * in.tftpd (standalone, -l or -L) re-reads its -m file when it gets
 * SIGHUP, and exits 78 if a rule in it is bad.  So before signalling we
 * find the file from the daemon's own command line (parsed with the same
 * getopt_long table in.tftpd 5.2 uses), read it as the daemon will (a
 * relative name is relative to its working directory, the TFTP root in
 * --secure mode) and refuse when it would not load.  Pid files, /proc and
 * the signal are the admin library's.
 */

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/types.h>

#include "admin.h"
#include "engine.h"
#include "tftpd.h"

#define MAX_ARGS    256

static const struct option tftpd_long_options[] = {
    { "ipv4",       no_argument,       NULL, '4' },
    { "ipv6",       no_argument,       NULL, '6' },
    { "create",     no_argument,       NULL, 'c' },
    { "secure",     no_argument,       NULL, 's' },
    { "permissive", no_argument,       NULL, 'p' },
    { "verbose",    no_argument,       NULL, 'v' },
    { "verbosity",  required_argument, NULL, 256 },
    { "version",    no_argument,       NULL, 'V' },
    { "listen",     no_argument,       NULL, 'l' },
    { "foreground", no_argument,       NULL, 'L' },
    { "address",    required_argument, NULL, 'a' },
    { "blocksize",  required_argument, NULL, 'B' },
    { "user",       required_argument, NULL, 'u' },
    { "umask",      required_argument, NULL, 'U' },
    { "refuse",     required_argument, NULL, 'r' },
    { "timeout",    required_argument, NULL, 't' },
    { "retransmit", required_argument, NULL, 'T' },
    { "port-range", required_argument, NULL, 'R' },
    { "map-file",   required_argument, NULL, 'm' },
    { "pidfile",    required_argument, NULL, 'P' },
    { NULL, 0, NULL, 0 }
};
static const char tftpd_short_options[] = "46cspvVlLa:B:u:U:r:t:T:R:m:P:";

/* The -m argument of the daemon's command line; "" when it has none. */
static int
map_file_of(pid_t pid, char *out, size_t size, char *err, size_t errsize)
{
    char *argv[MAX_ARGS + 1];
    char *buf;
    int   argc, c, n, rc = 0;

    argc = proc_argv(pid, argv, MAX_ARGS + 1, &buf);
    if (argc < 0) {
        snprintf(err, errsize, "/proc/%ld/cmdline: %s", (long) pid,
                 strerror(-argc));
        return argc;
    }

    out[0] = '\0';
    opterr = 0;
    optind = 0;                     /* GNU: start a fresh scan */
    while ((c = getopt_long(argc, argv, tftpd_short_options,
                            tftpd_long_options, NULL)) != -1)
    {
        if (c != 'm' || out[0] != '\0') {
            continue;
        }
        n = snprintf(out, size, "%s", optarg);
        if (n < 0 || (size_t) n >= size) {
            snprintf(err, errsize, "map file name too long");
            rc = -ENAMETOOLONG;
            break;
        }
    }
    optind = 0;
    free(buf);
    return rc;
}

typedef struct {
    char    text[400];          /* the first bad line: the message has one */
} first_diag;

static void
collect_diag(void *ctx, unsigned line, const char *text)
{
    first_diag *d = ctx;

    if (d->text[0] == '\0') {
        snprintf(d->text, sizeof(d->text), "line %u: %s", line, text);
    }
}

/* Would in.tftpd load this file?  0, or -EINVAL with the reason. */
static int
check_rules_file(pid_t pid, const char *file, char *err, size_t errsize)
{
    first_diag   why = { "" };
    char         path[PATH_MAX];
    char        *text;
    size_t       len;
    remap_rules *rules;
    int          rc, n;

    if (file[0] == '/') {
        n = snprintf(path, sizeof(path), "%s", file);
    } else {
        n = snprintf(path, sizeof(path), "/proc/%ld/cwd/%s", (long) pid,
                     file);
    }
    if (n < 0 || (size_t) n >= sizeof(path)) {
        return -ENAMETOOLONG;
    }
    rc = fs_read_file(path, &text, &len);
    if (rc != 0) {
        snprintf(err, errsize, "in.tftpd would exit: cannot read its map "
                 "file %s: %s", file, fs_strerror(rc));
        return rc;
    }
    rc = remap_parse(text, len, collect_diag, &why, &rules);
    free(text);
    if (rc == 0) {
        remap_free(rules);
        return 0;
    }
    snprintf(err, errsize, "in.tftpd would exit: %s: %s", file,
             rc == -EINVAL ? why.text : strerror(-rc));
    return rc;
}

int
tftpd_reread_rules(const char *pidfile, char *err, size_t errsize)
{
    char          mapfile[PATH_MAX];
    pid_t         pid;
    int           rc;
    pidfile_state st;

    err[0] = '\0';
    st = daemon_find(pidfile, "in.tftpd", &pid, err, errsize);
    if (st != PIDFILE_RUNNING) {
        return st == PIDFILE_BAD ? -EINVAL : -ESRCH;
    }
    rc = map_file_of(pid, mapfile, sizeof(mapfile), err, errsize);
    if (rc != 0) {
        return rc;
    }
    if (mapfile[0] == '\0') {
        snprintf(err, errsize, "in.tftpd %ld was started without -m: it "
                 "has no rules to re-read", (long) pid);
        return -ENOENT;
    }
    rc = check_rules_file(pid, mapfile, err, errsize);
    if (rc != 0) {
        return rc;
    }
    return daemon_signal(pid, SIGHUP, err, errsize);
}

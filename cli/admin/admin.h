/*
 * admin.h - what the alpxe command and alpxe-remap both need to look after
 * the servers: files (whole reads that never block, atomic replacement),
 * pid files and /proc, signalling a daemon we have made sure is the one we
 * mean, the TFTP root's loaders, and printing the core's diagnostics.
 *
 * Functions return 0 or a negative errno unless they say otherwise.
 */

#ifndef ALPXE_ADMIN_H
#define ALPXE_ADMIN_H

#include <stddef.h>
#include <sys/types.h>

#include "alpxe.h"

/* ---------------------------------------------------------- files.c */

/*
 * Read a whole regular file; *data is malloc'd and NUL-terminated (len
 * excludes the NUL).  Anything else (a FIFO, a device, a directory) is
 * refused with -EINVAL without blocking on it.
 */
int fs_read_file(const char *path, char **data, size_t *len);

/* Write a temp file beside path, fsync, chmod, rename over path: readers
 * see the old file or the new one, never a mix. */
int fs_write_atomic(const char *path, const char *data, size_t len,
    mode_t mode);

/*
 * The same with src's contents.  -ENOENT (and nothing created) when src
 * does not exist.  *changed is 0 when dst already held the same bytes
 * with the same mode (it is then left alone).
 */
int fs_copy_atomic(const char *src, const char *dst, mode_t mode,
    int *changed);

/* mkdir -p of the directories of `rel` (a relative file name) in root. */
int fs_make_parents(const char *root, const char *rel);

/* "not a regular file" for -EINVAL from fs_read_file, else strerror. */
const char *fs_strerror(int rc);

/*
 * Would in.tftpd serve root/name?  It serves only world-readable regular
 * files.  Returns 0, -ENOENT (missing: why says so), -EACCES (there, but
 * refused: why says what to change).
 */
int loader_servable(const char *root, const char *name, char *why,
    size_t size);

/* --------------------------------------------------------- daemon.c */

typedef enum {
    PIDFILE_RUNNING = 0,
    PIDFILE_ABSENT,             /* no such file */
    PIDFILE_STALE,              /* the process it names is gone */
    PIDFILE_BAD                 /* unreadable, not a regular file, or no
                                   pid in it */
} pidfile_state;

/* Read a pid file and say whether its process exists; err explains the
 * states other than PIDFILE_RUNNING. */
pidfile_state proc_pidfile(const char *path, pid_t *pid, char *err,
    size_t errsize);

/* /proc/PID/comm, without its newline. */
int proc_comm(pid_t pid, char *out, size_t size);

/* /proc/PID/cmdline with the arguments joined by spaces. */
int proc_cmdline(pid_t pid, char *out, size_t size);

/* /proc/PID/cmdline as argv: at most max - 1 arguments, argv[n] = NULL;
 * *buf is malloc'd and holds the strings (free it).  Returns n, -errno. */
int proc_argv(pid_t pid, char **argv, int max, char **buf);

/* The pids whose parent is ppid, at most max of them; returns how many. */
size_t proc_children(pid_t ppid, pid_t *out, size_t max);

/*
 * The daemon a pid file names, if /proc says it runs as `comm` (a pid file
 * can outlive its daemon, and its pid be reused by any process): the pid
 * file's state, PIDFILE_BAD (with err) when the process is something else.
 */
pidfile_state daemon_find(const char *pidfile, const char *comm, pid_t *pid,
    char *err, size_t errsize);

/* kill(pid, sig); on failure err says "kill -HUP PID: reason". */
int daemon_signal(pid_t pid, int sig, char *err, size_t errsize);

/* ----------------------------------------------------------- diag.c */

/* How a program prints the core's diagnostics: one line each, to stderr,
 * "PROG: " first when prog is set, "error:"/"warning:" in colour. */
typedef struct {
    const char  *prog;          /* NULL: no prefix */
    int          color;
} admin_diag;

/* An alpxe_diag_fn; ctx is an admin_diag. */
void admin_print_diag(void *ctx, alpxe_severity severity, const char *file,
    unsigned line, const char *text);

/* SGR sequence if colour is on, else "". */
const char *admin_color(int on, const char *sgr);

/* Load a configuration, printing its diagnostics through d. */
int admin_load(const char *path, unsigned flags, admin_diag *d,
    alpxe_config **cfg);

#endif /* ALPXE_ADMIN_H */

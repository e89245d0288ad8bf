/*
 * cli_reload.h - what `alpxe reload`'s files share: one result per server,
 * and the /proc helpers that check a pid file names the server we expect
 * before anything is signalled.
 */

#ifndef ALPXE_CLI_RELOAD_H
#define ALPXE_CLI_RELOAD_H

#include <stddef.h>
#include <sys/types.h>

/* How long a server may take to answer or to show it reloaded. */
#define RELOAD_TIMEOUT_MS   10000

typedef enum {
    RELOAD_DONE = 0,        /* the server showed it took the new file */
    RELOAD_SENT,            /* signalled; it gives no sign it reloaded */
    RELOAD_NOT_RUNNING,     /* no socket or pid file, or a stale one */
    RELOAD_FAILED           /* running, but refused or could not be asked */
} reload_state;

typedef struct {
    reload_state state;
    char         text[4096];    /* what happened; may hold several lines */
    char         note[512];     /* printed after it, "; note" ("": none) */
} reload_result;

/* Set r's state and text (printf-style, truncated to fit); clears the
 * note. */
void reload_set(reload_result *r, reload_state state, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Kea: "alpxe-reload" over its control socket. */
void reload_kea(const char *socket_path, reload_result *r);

/* tftpd-hpa: alpxe-remap writes the rules and HUPs in.tftpd. */
void reload_tftpd(const char *config, const char *pidfile, const char *remap,
    reload_result *r);

/* nginx: HUP to its master, then wait for new workers. */
void reload_nginx(const char *pidfile, reload_result *r);

/* ------------------------------------------------------ cli_proc.c */

typedef enum {
    PIDFILE_RUNNING = 0,
    PIDFILE_ABSENT,         /* no such file */
    PIDFILE_STALE,          /* the process it names is gone */
    PIDFILE_BAD             /* unreadable, or no pid in it */
} pidfile_state;

/* Read a pid file and say whether its process exists; err explains the
 * states other than PIDFILE_RUNNING. */
pidfile_state proc_pidfile(const char *path, pid_t *pid, char *err,
    size_t errsize);

/* /proc/PID/comm, without its newline.  0 or -errno. */
int proc_comm(pid_t pid, char *out, size_t size);

/* /proc/PID/cmdline with the arguments joined by spaces.  0 or -errno. */
int proc_cmdline(pid_t pid, char *out, size_t size);

/* The pids whose parent is ppid, at most max of them; returns how many. */
size_t proc_children(pid_t ppid, pid_t *out, size_t max);

#endif /* ALPXE_CLI_RELOAD_H */

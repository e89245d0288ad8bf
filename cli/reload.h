/*
 * reload.h - what `alpxe reload`'s files share: one result per server.
 * Pid files, /proc and signals are the admin library's (admin.h).
 */

#ifndef ALPXE_CLI_RELOAD_H
#define ALPXE_CLI_RELOAD_H

#include <stddef.h>
#include <sys/types.h>

#include "admin.h"

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

/* Kea: "alpxe-reload" over its control socket (config: the file, whose
 * size sets how long Kea may take). */
void reload_kea(const char *socket_path, const char *config,
    reload_result *r);

/* tftpd-hpa: runs alpxe-remap, which writes the rules and HUPs in.tftpd
 * (the one program that knows in.tftpd's rules). */
void reload_tftpd(const char *config, const char *pidfile, const char *remap,
    reload_result *r);

/* nginx: HUP to its master, then wait for new workers. */
void reload_nginx(const char *pidfile, reload_result *r);

#endif /* ALPXE_CLI_RELOAD_H */

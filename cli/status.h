/*
 * status.h - what `alpxe status`'s files share: one server's answer.
 */

#ifndef ALPXE_CLI_STATUS_H
#define ALPXE_CLI_STATUS_H

#include "reload.h"

/* At most this many Kea servers: an HA pair and its backups. */
#define STATUS_KEA_MAX      8
#define STATUS_TIMEOUT_MS   5000

typedef struct {
    const char  *name;          /* "kea", "kea server1", "tftpd", ... */
    char         label[96];     /* name's storage for the Kea servers */
    int          running;
    char         sha256[65];    /* what it serves; "" nothing or unknown */
    char         loaded[32];
    int          fallback;      /* it says: the file does not load */
    char         detail[1200];
} server_state;

/*
 * Ask every Kea for alpxe-status: those [reload] kea_peer lists (peers,
 * space-separated), or else kea_socket; then the HA partners their hooks
 * name that were not asked yet, at the URLs in Kea's HA configuration.
 * Fills s[0..] and returns how many.
 */
int status_kea(const char *kea_socket, const char *peers, server_state *s,
    int max);

/* Whether the Kea servers that serve a version serve different ones; if
 * so, writes "server1 sha256 3f2a9c1b0d4e, server2 sha256 ..." to out. */
int status_kea_differ(const server_state *s, int n, char *out, size_t size);

#endif /* ALPXE_CLI_STATUS_H */

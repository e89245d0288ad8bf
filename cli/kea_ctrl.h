/*
 * kea_ctrl.h - one command over kea-dhcp4's UNIX control socket (the
 * "control-socket" of kea-dhcp4.conf), as socat or kea-shell send it.
 */

#ifndef ALPXE_CLI_KEA_CTRL_H
#define ALPXE_CLI_KEA_CTRL_H

#include "kea_json.h"

/*
 * Send {"command": COMMAND} and read Kea's answer until it closes the
 * connection or timeout_ms pass.  socket_path may also be a
 * kea-ctrl-agent's URL, http[s]://[USER:PASSWORD@]HOST[:PORT][/PATH]
 * (kea_http: the command goes with "service": ["dhcp4"]).  Returns 0
 * with *answer (json_decref it), or: -ENOENT (no such socket),
 * -ECONNREFUSED (nothing listening: a socket file Kea left behind),
 * -ETIMEDOUT (no answer in time: the command may still be under way),
 * -EBADMSG (not an answer Kea gives; err shows it), another -errno.  err
 * says what happened in words.
 */
int kea_ctrl(const char *socket_path, const char *command,
    unsigned timeout_ms, json_t **answer, char *err, size_t errsize);

/* The same through kea-ctrl-agent (kea_http.c, libcurl); -ECONNREFUSED
 * when nothing listens there or the agent cannot reach kea-dhcp4 behind
 * it, -EHOSTUNREACH for a name that does not
 * resolve, -EACCES for an HTTP error status, -EINVAL for a URL libcurl
 * cannot take. */
int kea_http(const char *url, const char *command, unsigned timeout_ms,
    json_t **answer, char *err, size_t errsize);

/* The URL as it may be shown: "http://admin:***@HOST:PORT/" for one
 * with a password. */
void kea_url_shown(const char *url, char *out, size_t size);

#endif /* ALPXE_CLI_KEA_CTRL_H */

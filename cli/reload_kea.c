/*
 * reload_kea.c - `alpxe reload` for Kea: the hook's "alpxe-reload" command
 * over kea-dhcp4's UNIX control socket (the "control-socket" of
 * kea-dhcp4.conf), as socat or kea-shell would send it.  Kea answers one
 * JSON object and closes the connection; kea_json.c reads it.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "kea_json.h"
#include "reload.h"

#define KEA_COMMAND     "{ \"command\": \"alpxe-reload\" }"
#define ANSWER_MAX      65536

static long
ms_left(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (deadline->tv_sec - now.tv_sec) * 1000
        + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* Send the command and read until Kea closes.  Returns the length read,
 * or -errno (-ETIMEDOUT when Kea stays silent). */
static ssize_t
exchange(int fd, char *buf, size_t size)
{
    struct timespec deadline;
    struct pollfd   pfd = { .fd = fd, .events = POLLIN };
    size_t          got = 0, len = strlen(KEA_COMMAND);
    ssize_t         n;
    long            left;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += RELOAD_TIMEOUT_MS / 1000;
    n = send(fd, KEA_COMMAND, len, MSG_NOSIGNAL);
    if (n != (ssize_t) len) {
        return n < 0 ? -errno : -EIO;
    }
    while (got < size - 1) {
        left = ms_left(&deadline);
        if (left <= 0) {
            return got > 0 ? (ssize_t) got : -ETIMEDOUT;
        }
        n = poll(&pfd, 1, (int) left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n <= 0) {
            return n < 0 ? -errno : (got > 0 ? (ssize_t) got : -ETIMEDOUT);
        }
        n = read(fd, buf + got, size - 1 - got);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            break;
        }
        got += (size_t) n;
    }
    buf[got] = '\0';
    return (ssize_t) got;
}

void
reload_kea(const char *socket_path, reload_result *r)
{
    static char        buf[ANSWER_MAX];
    struct sockaddr_un sa;
    char               text[sizeof(r->text) - 128];
    size_t             len = strlen(socket_path);
    ssize_t            n;
    long               result = -1;
    int                fd, err;

    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (len >= sizeof(sa.sun_path)) {
        reload_set(r, RELOAD_FAILED, "%s: socket path too long",
                   socket_path);
        return;
    }
    memcpy(sa.sun_path, socket_path, len);      /* NUL from the memset */
    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        reload_set(r, RELOAD_FAILED, "socket: %s", strerror(errno));
        return;
    }
    if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
        err = errno;
        close(fd);
        if (err == ENOENT) {
            reload_set(r, RELOAD_NOT_RUNNING, "%s: no such socket",
                       socket_path);
        } else if (err == ECONNREFUSED) {
            /* a socket file Kea left behind, or not a socket at all */
            reload_set(r, RELOAD_NOT_RUNNING, "%s: nothing listening",
                       socket_path);
        } else {
            reload_set(r, RELOAD_FAILED, "%s: %s", socket_path,
                       strerror(err));
        }
        return;
    }
    n = exchange(fd, buf, sizeof(buf));
    close(fd);
    if (n < 0) {
        reload_set(r, RELOAD_FAILED, "%s: %s", socket_path,
                   n == -ETIMEDOUT ? "no answer within 10 s"
                                   : strerror((int) -n));
        return;
    }
    if (kea_json_answer(buf, (size_t) n, &result, text, sizeof(text)) != 0) {
        reload_set(r, RELOAD_FAILED, "%s: not an answer Kea gives: %.200s",
                   socket_path, buf);
        return;
    }
    if (result == 0) {
        reload_set(r, RELOAD_DONE, "Kea answered \"%s\"", text);
    } else {
        /* 2: the command is unknown, so the hook is not loaded */
        reload_set(r, RELOAD_FAILED, "Kea answered result %ld, \"%s\"%s",
                   result, text, result == 2 ? " (is libdhcp_alpxe.so in "
                   "its hooks-libraries?)" : "");
    }
}

/*
 * kea_ctrl.c - one command over Kea's control socket.  Kea answers one
 * JSON object and closes the connection; a daemon that is busy, stuck or
 * not Kea at all must still end in a clear message within the deadline.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "kea_ctrl.h"
#include "text.h"

#define ANSWER_MAX      (1024 * 1024)

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
static long
exchange(int fd, const char *cmd, unsigned timeout_ms, char *buf,
    size_t size)
{
    struct timespec deadline;
    struct pollfd   pfd = { .fd = fd, .events = POLLIN };
    size_t          got = 0, len = strlen(cmd);
    ssize_t         n;
    long            left;

    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }
    n = send(fd, cmd, len, MSG_NOSIGNAL);
    if (n != (ssize_t) len) {
        return n < 0 ? -errno : -EIO;
    }
    while (got < size) {
        left = ms_left(&deadline);
        if (left <= 0) {
            return -ETIMEDOUT;
        }
        n = poll(&pfd, 1, (int) left);
        if (n < 0 && errno == EINTR) {
            continue;
        }
        if (n < 0) {
            return -errno;
        }
        if (n == 0) {
            return -ETIMEDOUT;
        }
        n = read(fd, buf + got, size - got);
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
    return (long) got;
}

int
kea_ctrl(const char *socket_path, const char *command, unsigned timeout_ms,
    json_t **answer, char *err, size_t errsize)
{
    struct sockaddr_un sa;
    char               cmd[256];
    char              *buf;
    size_t             len = strlen(socket_path);
    long               n;
    int                fd, rc;

    if (text_http_scheme(socket_path) != 0) {
        return kea_http(socket_path, command, timeout_ms, answer, err,
                        errsize);
    }
    memset(&sa, 0, sizeof(sa));
    sa.sun_family = AF_UNIX;
    if (len >= sizeof(sa.sun_path)) {
        snprintf(err, errsize, "%s: socket path too long", socket_path);
        return -ENAMETOOLONG;
    }
    memcpy(sa.sun_path, socket_path, len);      /* NUL from the memset */
    snprintf(cmd, sizeof(cmd), "{ \"command\": \"%s\" }", command);

    fd = socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0);
    if (fd < 0) {
        rc = -errno;
        snprintf(err, errsize, "socket: %s", strerror(-rc));
        return rc;
    }
    if (connect(fd, (struct sockaddr *) &sa, sizeof(sa)) != 0) {
        rc = -errno;
        close(fd);
        if (rc == -ENOENT) {
            snprintf(err, errsize, "%s: no such socket", socket_path);
        } else if (rc == -ECONNREFUSED) {
            snprintf(err, errsize, "%s: nothing listening", socket_path);
        } else {
            snprintf(err, errsize, "%s: %s", socket_path, strerror(-rc));
        }
        return rc;
    }
    buf = malloc(ANSWER_MAX);
    if (buf == NULL) {
        close(fd);
        snprintf(err, errsize, "out of memory");
        return -ENOMEM;
    }
    n = exchange(fd, cmd, timeout_ms, buf, ANSWER_MAX);
    close(fd);
    if (n < 0) {
        free(buf);
        if (n == -ETIMEDOUT) {
            snprintf(err, errsize, "%s: sent \"%s\", no answer yet after "
                     "%u s", socket_path, command, timeout_ms / 1000);
        } else {
            snprintf(err, errsize, "%s: %s", socket_path,
                     strerror((int) -n));
        }
        return (int) n;
    }
    *answer = kea_json_parse(buf, (size_t) n);
    if (*answer == NULL) {
        snprintf(err, errsize, "%s: not an answer Kea gives: %.*s",
                 socket_path, n > 0 ? (int) (n < 200 ? n : 200) : 9,
                 n > 0 ? buf : "(nothing)");
        free(buf);
        return -EBADMSG;
    }
    free(buf);
    err[0] = '\0';
    return 0;
}

/*
 * kea_http.c - one command to kea-dhcp4 through kea-ctrl-agent (or HA's
 * own listener), over HTTP: how `alpxe reload` and `alpxe status` reach
 * the other Kea of an HA pair.
 *
 * The agent takes a POST of the command with "service": ["dhcp4"] and
 * forwards it to kea-dhcp4's control socket; the answer comes back as a
 * list of one answer per service (kea_json_parse takes the first).  The
 * whole exchange is bounded by the deadline, DNS aside.
 */

#include <errno.h>
#include <fcntl.h>
#include <netdb.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "kea_ctrl.h"

#define ANSWER_MAX      (1024 * 1024)
#define URL_PART_MAX    256

typedef struct {
    char host[URL_PART_MAX];        /* name or address, no brackets */
    char port[8];
    char path[URL_PART_MAX];
    char auth[URL_PART_MAX];        /* "user:password", "" none */
} http_url;

static int
part(char *out, size_t size, const char *p, size_t n)
{
    if (n >= size) {
        return -1;
    }
    memcpy(out, p, n);
    out[n] = '\0';
    return 0;
}

/* http://[USER:PASSWORD@]HOST[:PORT][/PATH] */
static int
parse_url(const char *url, http_url *u)
{
    const char *p = url + 7, *end, *at, *colon;
    size_t      n;

    memset(u, 0, sizeof(*u));
    if (strncmp(url, "http://", 7) != 0) {
        return -1;
    }
    end = p + strcspn(p, "/");
    if (part(u->path, sizeof(u->path), *end ? end : "/",
             *end ? strlen(end) : 1) != 0)
    {
        return -1;
    }
    at = memchr(p, '@', (size_t) (end - p));
    if (at != NULL) {
        if (part(u->auth, sizeof(u->auth), p, (size_t) (at - p)) != 0) {
            return -1;
        }
        p = at + 1;
    }
    if (*p == '[') {
        const char *close = memchr(p, ']', (size_t) (end - p));

        if (close == NULL
            || part(u->host, sizeof(u->host), p + 1,
                    (size_t) (close - p - 1)) != 0)
        {
            return -1;
        }
        colon = close + 1 < end && close[1] == ':' ? close + 1 : NULL;
    } else {
        colon = memchr(p, ':', (size_t) (end - p));
        n = (size_t) ((colon != NULL ? colon : end) - p);
        if (part(u->host, sizeof(u->host), p, n) != 0) {
            return -1;
        }
    }
    if (colon != NULL) {
        if (part(u->port, sizeof(u->port), colon + 1,
                 (size_t) (end - colon - 1)) != 0)
        {
            return -1;
        }
    } else {
        strcpy(u->port, "80");
    }
    return u->host[0] != '\0' && u->port[0] != '\0' ? 0 : -1;
}

static void
base64(const char *in, char *out, size_t size)
{
    static const char t[] =
        "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    size_t len = strlen(in), i, o = 0;

    for (i = 0; i < len && o + 5 < size; i += 3) {
        unsigned v = (unsigned char) in[i] << 16;

        v |= i + 1 < len ? (unsigned char) in[i + 1] << 8 : 0;
        v |= i + 2 < len ? (unsigned char) in[i + 2] : 0;
        out[o++] = t[v >> 18];
        out[o++] = t[(v >> 12) & 63];
        out[o++] = i + 1 < len ? t[(v >> 6) & 63] : '=';
        out[o++] = i + 2 < len ? t[v & 63] : '=';
    }
    out[o] = '\0';
}

static long
ms_left(const struct timespec *deadline)
{
    struct timespec now;

    clock_gettime(CLOCK_MONOTONIC, &now);
    return (deadline->tv_sec - now.tv_sec) * 1000
        + (deadline->tv_nsec - now.tv_nsec) / 1000000;
}

/* poll one fd until the deadline: 1 ready, -ETIMEDOUT, -errno */
static int
wait_fd(int fd, short events, const struct timespec *deadline)
{
    struct pollfd pfd = { .fd = fd, .events = events };
    long          left;
    int           n;

    for (;;) {
        left = ms_left(deadline);
        if (left <= 0) {
            return -ETIMEDOUT;
        }
        n = poll(&pfd, 1, (int) left);
        if (n > 0) {
            return 1;
        }
        if (n == 0) {
            return -ETIMEDOUT;
        }
        if (errno != EINTR) {
            return -errno;
        }
    }
}

/* Connect to any address of the host within the deadline. */
static int
connect_to(const http_url *u, const struct timespec *deadline)
{
    struct addrinfo  hints, *res, *ai;
    socklen_t        len;
    int              fd = -1, rc = -EHOSTUNREACH, soerr;

    memset(&hints, 0, sizeof(hints));
    hints.ai_socktype = SOCK_STREAM;
    if (getaddrinfo(u->host, u->port, &hints, &res) != 0) {
        return -EHOSTUNREACH;
    }
    for (ai = res; ai != NULL; ai = ai->ai_next) {
        fd = socket(ai->ai_family, ai->ai_socktype | SOCK_NONBLOCK
                    | SOCK_CLOEXEC, ai->ai_protocol);
        if (fd < 0) {
            rc = -errno;
            continue;
        }
        if (connect(fd, ai->ai_addr, ai->ai_addrlen) != 0
            && errno != EINPROGRESS)
        {
            rc = -errno;
            close(fd);
            fd = -1;
            continue;
        }
        rc = wait_fd(fd, POLLOUT, deadline);
        soerr = 0;
        len = sizeof(soerr);
        if (rc == 1 && getsockopt(fd, SOL_SOCKET, SO_ERROR, &soerr, &len)
            == 0 && soerr == 0)
        {
            break;
        }
        rc = rc == 1 ? -soerr : rc;
        close(fd);
        fd = -1;
    }
    freeaddrinfo(res);
    return fd >= 0 ? fd : rc;
}

/* Whether out holds a whole answer: headers and Content-Length bytes. */
static int
complete(const char *out, size_t got)
{
    const char *end = strstr(out, "\r\n\r\n"), *p;
    size_t      head;

    if (end == NULL) {
        return 0;
    }
    head = (size_t) (end - out) + 4;
    for (p = strstr(out, "\r\n"); p != NULL && p < end;
         p = strstr(p + 2, "\r\n"))
    {
        if (strncasecmp(p + 2, "content-length:", 15) == 0) {
            return got >= head + strtoul(p + 17, NULL, 10);
        }
    }
    return 0;                           /* no length: read to the close */
}

/* Send all of buf, then read the answer into out (NUL-terminated). */
static long
exchange(int fd, const char *buf, size_t len, char *out, size_t size,
    const struct timespec *deadline)
{
    size_t  sent = 0, got = 0;
    ssize_t n;
    int     rc;

    while (sent < len) {
        n = send(fd, buf + sent, len - sent, MSG_NOSIGNAL);
        if (n > 0) {
            sent += (size_t) n;
            continue;
        }
        if (n < 0 && errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
        rc = wait_fd(fd, POLLOUT, deadline);
        if (rc < 0) {
            return rc;
        }
    }
    /* Connection: close: read to the end */
    while (got + 1 < size) {
        n = recv(fd, out + got, size - 1 - got, 0);
        if (n > 0) {
            got += (size_t) n;
            out[got] = '\0';
            if (complete(out, got)) {
                break;
            }
            continue;
        }
        if (n == 0) {
            break;
        }
        if (errno != EAGAIN && errno != EINTR) {
            return -errno;
        }
        rc = wait_fd(fd, POLLIN, deadline);
        if (rc < 0) {
            return rc;
        }
    }
    out[got] = '\0';
    return (long) got;
}

int
kea_http(const char *url, const char *command, unsigned timeout_ms,
    json_t **answer, char *err, size_t errsize)
{
    struct timespec deadline;
    http_url        u;
    char            req[2048], body[512], auth[URL_PART_MAX * 2];
    char           *buf, *head_end;
    long            n;
    int             fd, status;

    if (parse_url(url, &u) != 0) {
        snprintf(err, errsize, "%s: not a URL alpxe can ask "
                 "(http://[USER:PASSWORD@]HOST[:PORT][/PATH])", url);
        return -EINVAL;
    }
    clock_gettime(CLOCK_MONOTONIC, &deadline);
    deadline.tv_sec += timeout_ms / 1000;
    deadline.tv_nsec += (long) (timeout_ms % 1000) * 1000000;
    if (deadline.tv_nsec >= 1000000000) {
        deadline.tv_sec++;
        deadline.tv_nsec -= 1000000000;
    }

    snprintf(body, sizeof(body), "{ \"command\": \"%s\", "
             "\"service\": [ \"dhcp4\" ] }", command);
    auth[0] = '\0';
    if (u.auth[0] != '\0') {
        base64(u.auth, auth, sizeof(auth));
    }
    snprintf(req, sizeof(req), "POST %s HTTP/1.1\r\nHost: %s%s%s\r\n"
             "Content-Type: application/json\r\nContent-Length: %zu\r\n"
             "Connection: close\r\n%s%s%s\r\n%s", u.path, u.host,
             strcmp(u.port, "80") != 0 ? ":" : "",
             strcmp(u.port, "80") != 0 ? u.port : "", strlen(body),
             auth[0] != '\0' ? "Authorization: Basic " : "", auth,
             auth[0] != '\0' ? "\r\n" : "", body);

    fd = connect_to(&u, &deadline);
    if (fd < 0) {
        if (fd == -ETIMEDOUT) {
            snprintf(err, errsize, "%s: no connection within %u s", url,
                     timeout_ms / 1000);
        } else {
            snprintf(err, errsize, "%s: %s", url, fd == -EHOSTUNREACH
                     ? "no such host" : strerror(-fd));
        }
        /* as for a socket: nothing listening is "not running" */
        return fd == -ECONNREFUSED ? -ECONNREFUSED : fd;
    }
    buf = malloc(ANSWER_MAX);
    if (buf == NULL) {
        close(fd);
        snprintf(err, errsize, "out of memory");
        return -ENOMEM;
    }
    n = exchange(fd, req, strlen(req), buf, ANSWER_MAX, &deadline);
    close(fd);
    if (n < 0) {
        free(buf);
        if (n == -ETIMEDOUT) {
            snprintf(err, errsize, "%s: sent \"%s\", no answer yet after "
                     "%u s", url, command, timeout_ms / 1000);
        } else {
            snprintf(err, errsize, "%s: %s", url, strerror((int) -n));
        }
        return (int) n;
    }
    head_end = strstr(buf, "\r\n\r\n");
    if (strncmp(buf, "HTTP/1.", 7) != 0 || head_end == NULL) {
        snprintf(err, errsize, "%s: not an HTTP answer: %.80s", url, buf);
        free(buf);
        return -EBADMSG;
    }
    status = atoi(buf + 9);
    if (status != 200) {
        snprintf(err, errsize, "%s: HTTP %d%s", url, status,
                 status == 401 ? " (the agent wants a user and password: "
                 "http://USER:PASSWORD@HOST:PORT/)" : "");
        free(buf);
        return -EACCES;
    }
    *answer = kea_json_parse(head_end + 4, (size_t) (buf + n - head_end - 4));
    if (*answer == NULL) {
        snprintf(err, errsize, "%s: not an answer Kea gives: %.200s", url,
                 head_end + 4);
        free(buf);
        return -EBADMSG;
    }
    free(buf);
    err[0] = '\0';
    return 0;
}

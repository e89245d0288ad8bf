/*
 * cli_kea.c - `alpxe reload` for Kea: the hook's "alpxe-reload" command
 * over kea-dhcp4's UNIX control socket (the "control-socket" of
 * kea-dhcp4.conf), as socat or kea-shell would send it.
 *
 * Kea answers one JSON object, { "result": N, "text": "..." }, and closes
 * the connection.  Only those two members are read, by a small bounded
 * scanner: the answer comes from a local root-owned daemon, but a
 * truncated or odd answer must still end in a clear message.
 */

#include <errno.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <time.h>
#include <unistd.h>

#include "cli_reload.h"

#define KEA_COMMAND     "{ \"command\": \"alpxe-reload\" }"
#define ANSWER_MAX      65536

typedef struct {
    const char *p;
    const char *end;
} cursor;

static void
skip_ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n'
                             || *c->p == '\r')) {
        c->p++;
    }
}

static int
hexval(char ch)
{
    if (ch >= '0' && ch <= '9') {
        return ch - '0';
    }
    if (ch >= 'a' && ch <= 'f') {
        return ch - 'a' + 10;
    }
    if (ch >= 'A' && ch <= 'F') {
        return ch - 'A' + 10;
    }
    return -1;
}

/* Append one code point as UTF-8, if it fits. */
static void
put_utf8(char *out, size_t size, size_t *len, unsigned cp)
{
    char   b[4];
    size_t n, i;

    if (cp < 0x80) {
        b[0] = (char) cp;
        n = 1;
    } else if (cp < 0x800) {
        b[0] = (char) (0xc0 | (cp >> 6));
        b[1] = (char) (0x80 | (cp & 0x3f));
        n = 2;
    } else {
        b[0] = (char) (0xe0 | (cp >> 12));
        b[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
        b[2] = (char) (0x80 | (cp & 0x3f));
        n = 3;
    }
    for (i = 0; i < n && *len + 1 < size; i++) {
        out[(*len)++] = b[i];
    }
}

/*
 * A JSON string at the cursor, decoded into out (truncated to fit, NUL-
 * terminated; out may be NULL to skip it).  Surrogate pairs are not
 * joined: Kea's texts are ASCII.  0 or -EINVAL.
 */
static int
json_string(cursor *c, char *out, size_t size)
{
    size_t   len = 0;
    unsigned cp;
    int      i, h;
    char     ch;

    if (c->p == c->end || *c->p != '"') {
        return -EINVAL;
    }
    c->p++;
    while (c->p < c->end && *c->p != '"') {
        ch = *c->p++;
        if (ch == '\\') {
            if (c->p == c->end) {
                return -EINVAL;
            }
            ch = *c->p++;
            switch (ch) {
            case 'n': ch = '\n'; break;
            case 't': ch = '\t'; break;
            case 'r': ch = '\r'; break;
            case 'b': ch = '\b'; break;
            case 'f': ch = '\f'; break;
            case 'u':
                if (c->end - c->p < 4) {
                    return -EINVAL;
                }
                for (cp = 0, i = 0; i < 4; i++) {
                    h = hexval(*c->p++);
                    if (h < 0) {
                        return -EINVAL;
                    }
                    cp = cp << 4 | (unsigned) h;
                }
                if (out != NULL) {
                    put_utf8(out, size, &len, cp);
                }
                continue;
            default:                    /* '"', '\\', '/' */
                break;
            }
        }
        if (out != NULL && len + 1 < size) {
            out[len++] = ch;
        }
    }
    if (c->p == c->end) {
        return -EINVAL;
    }
    c->p++;
    if (out != NULL) {
        out[len] = '\0';
    }
    return 0;
}

/* Skip any JSON value (string, number, literal, object, array). */
static int
json_skip(cursor *c)
{
    int depth = 0;

    do {
        skip_ws(c);
        if (c->p == c->end) {
            return -EINVAL;
        }
        if (*c->p == '"') {
            if (json_string(c, NULL, 0) != 0) {
                return -EINVAL;
            }
        } else if (*c->p == '{' || *c->p == '[') {
            depth++;
            c->p++;
        } else if (*c->p == '}' || *c->p == ']' || *c->p == ','
                   || *c->p == ':') {
            if (depth == 0) {
                return -EINVAL;
            }
            depth -= *c->p == '}' || *c->p == ']';
            c->p++;
        } else {                        /* a number, true, false, null */
            while (c->p < c->end
                   && memchr(",:}] \t\r\n", *c->p, 8) == NULL) {
                c->p++;
            }
        }
    } while (depth > 0);
    return 0;
}

/*
 * The "result" and "text" of Kea's answer: an object, or (through
 * kea-ctrl-agent) a list whose first element is one.  0 or -EINVAL.
 */
static int
parse_answer(const char *buf, size_t len, long *result, char *text,
    size_t size)
{
    cursor c = { buf, buf + len };
    char   key[32];
    long   v;
    int    neg, have_result = 0;

    text[0] = '\0';
    skip_ws(&c);
    if (c.p < c.end && *c.p == '[') {
        c.p++;
        skip_ws(&c);
    }
    if (c.p == c.end || *c.p != '{') {
        return -EINVAL;
    }
    c.p++;
    for (;;) {
        skip_ws(&c);
        if (c.p < c.end && *c.p == '}') {
            break;
        }
        if (json_string(&c, key, sizeof(key)) != 0) {
            return -EINVAL;
        }
        skip_ws(&c);
        if (c.p == c.end || *c.p != ':') {
            return -EINVAL;
        }
        c.p++;
        skip_ws(&c);
        if (strcmp(key, "result") == 0) {
            neg = c.p < c.end && *c.p == '-';
            c.p += neg;
            if (c.p == c.end || *c.p < '0' || *c.p > '9') {
                return -EINVAL;
            }
            for (v = 0; c.p < c.end && *c.p >= '0' && *c.p <= '9'
                 && v < 100000; c.p++) {
                v = v * 10 + (*c.p - '0');
            }
            *result = neg ? -v : v;
            have_result = 1;
        } else if (strcmp(key, "text") == 0 && c.p < c.end && *c.p == '"') {
            if (json_string(&c, text, size) != 0) {
                return -EINVAL;
            }
        } else if (json_skip(&c) != 0) {
            return -EINVAL;
        }
        skip_ws(&c);
        if (c.p < c.end && *c.p == ',') {
            c.p++;
        }
    }
    return have_result ? 0 : -EINVAL;
}

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
    if (parse_answer(buf, (size_t) n, &result, text, sizeof(text)) != 0) {
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

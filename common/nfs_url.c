/*
 * nfs_url.c - the one reader of nfs://SERVER/PATH[?OPTIONS] URLs.
 *
 * A host's `nfs` value never reaches iPXE or the kernel: `alpxe check
 * --network` and `alpxe provision` hand it to libnfs.  So this accepts
 * what libnfs 4.0 can use and nothing else, and both the configuration
 * load and the command line read URLs here: a URL that passes `alpxe
 * check` is one `--network` can try.  libnfs keeps anything between
 * "nfs://" and the first '/' as the server name and resolves it as is, so
 * a port, a user name or an IPv6 literal there would fail only when the
 * server is contacted; they are refused with the spelling libnfs wants.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alpxe.h"

static int
fail(char *why, size_t size, const char *text)
{
    snprintf(why, size, "%s", text);
    return -EINVAL;
}

static int
is_alnum(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
           || (c >= '0' && c <= '9');
}

/* A host name (RFC 1123 labels) or a dotted IPv4 address, [p, end). */
static int
server_ok(const char *p, const char *end)
{
    size_t label = 0;

    if (p == end || end - p > ALPXE_NFS_SERVER_MAX) {
        return 0;
    }
    for (; p < end; p++) {
        if (*p == '.') {
            if (label == 0 || p[-1] == '-') {
                return 0;
            }
            label = 0;
        } else if (is_alnum(*p) || (*p == '-' && label != 0)) {
            if (++label > 63) {
                return 0;
            }
        } else {
            return 0;
        }
    }
    return label != 0 && p[-1] != '-';
}

/* A decimal number from lo to hi, [p, end). */
static int
number_in(const char *p, const char *end, unsigned long lo, unsigned long hi)
{
    unsigned long v = 0;

    if (p == end) {
        return 0;
    }
    for (; p < end; p++) {
        if (*p < '0' || *p > '9' || v > hi) {
            return 0;
        }
        v = v * 10 + (unsigned long) (*p - '0');
    }
    return v >= lo && v <= hi;
}

/*
 * libnfs's options: name=value pairs split by '&'.  The values libnfs
 * reads as numbers that alpxe depends on are checked; others are only
 * checked for shape (libnfs ignores names it does not know).
 */
static int
options_ok(const char *p, const char *end, int *v4, char *why, size_t size)
{
    const char *arg, *eq, *val;

    *v4 = 0;
    while (p < end) {
        arg = p;
        while (p < end && *p != '&') {
            p++;
        }
        eq = memchr(arg, '=', (size_t) (p - arg));
        if (eq == NULL || eq == arg || eq + 1 == p) {
            return fail(why, size, "options are name=value pairs split "
                        "by '&' (?version=4&nfsport=2049)");
        }
        for (val = arg; val < p; val++) {
            if (!is_alnum(*val) && strchr("-_.=,", *val) == NULL) {
                return fail(why, size, "options hold letters, digits and "
                            "'-', '_', '.', ','");
            }
        }
        val = eq + 1;
        if (eq - arg == 7 && memcmp(arg, "version", 7) == 0) {
            if (p - val != 1 || (*val != '3' && *val != '4')) {
                return fail(why, size, "version is 3 or 4");
            }
            *v4 = *val == '4';
        } else if ((eq - arg == 7 && memcmp(arg, "nfsport", 7) == 0)
                   || (eq - arg == 9 && memcmp(arg, "mountport", 9) == 0))
        {
            if (!number_in(val, p, 1, 65535)) {
                return fail(why, size, "nfsport and mountport are port "
                            "numbers from 1 to 65535");
            }
        }
        if (p < end) {
            p++;                        /* the '&' */
        }
    }
    return 0;
}

/* Copy [p, end) to out as "/a/b": no empty, "." or ".." parts. */
static int
path_ok(const char *p, const char *end, char *out, size_t size, char *why,
    size_t whysize)
{
    size_t n, len = 0;

    while (p < end) {
        while (p < end && *p == '/') {
            p++;
        }
        for (n = 0; p + n < end && p[n] != '/'; n++) {
            /* one part */
        }
        if (n == 0) {
            break;
        }
        if ((n == 1 && p[0] == '.') || (n == 2 && p[0] == '.'
                                        && p[1] == '.'))
        {
            return fail(why, whysize, "the path may not hold '.' or '..' "
                        "parts");
        }
        if (len + 1 + n + 1 > size) {
            return fail(why, whysize, "the path is too long");
        }
        out[len++] = '/';
        memcpy(out + len, p, n);
        len += n;
        p += n;
    }
    if (len == 0) {
        return fail(why, whysize, "the path is empty: a host's directory "
                    "lies below an export (nfs://SERVER/EXPORT/DIR)");
    }
    out[len] = '\0';
    return 0;
}

int
alpxe_nfs_url_parse(const char *url, alpxe_nfs_url *u, char *why,
    size_t size)
{
    const char *host, *slash, *q, *end, *p;
    size_t      n;

    if (strncmp(url, "nfs://", 6) != 0) {
        return fail(why, size, "not an nfs://SERVER/PATH URL");
    }
    for (p = url; *p != '\0'; p++) {
        if ((unsigned char) *p <= 0x20 || (unsigned char) *p >= 0x7f) {
            return fail(why, size, "whitespace, control characters and "
                        "non-ASCII bytes are not allowed");
        }
        if (*p == '#') {
            return fail(why, size, "'#' is not allowed");
        }
    }
    end = p;
    host = url + 6;
    slash = strchr(host, '/');
    q = strchr(host, '?');
    if (slash == NULL || (q != NULL && q < slash)) {
        return fail(why, size, "no path after the server "
                    "(nfs://SERVER/EXPORT/DIR)");
    }
    if (slash == host) {
        return fail(why, size, "no server after nfs://");
    }
    if (host[0] == '[') {
        return fail(why, size, "IPv6 addresses are not supported (libnfs "
                    "4.0 URLs name a host or an IPv4 address)");
    }
    if (memchr(host, '@', (size_t) (slash - host)) != NULL) {
        return fail(why, size, "no user name before the server: NFS has "
                    "no login (libnfs takes ?uid=N&gid=N)");
    }
    if (memchr(host, ':', (size_t) (slash - host)) != NULL) {
        return fail(why, size, "no port after the server: libnfs takes "
                    "?nfsport=N (and ?mountport=N for NFSv3)");
    }
    if (!server_ok(host, slash)) {
        return fail(why, size, "the server is not a host name or an IPv4 "
                    "address");
    }
    n = (size_t) (slash - host);
    memcpy(u->server, host, n);
    u->server[n] = '\0';

    q = strchr(slash, '?');
    if (path_ok(slash, q != NULL ? q : end, u->path, sizeof(u->path), why,
                size) != 0)
    {
        return -EINVAL;
    }
    if (q == NULL) {
        u->query[0] = '\0';
        u->v4 = 0;
        return 0;
    }
    if (options_ok(q + 1, end, &u->v4, why, size) != 0) {
        return -EINVAL;
    }
    n = (size_t) (end - q - 1);
    if (n >= sizeof(u->query)) {
        return fail(why, size, "too many options");
    }
    memcpy(u->query, q + 1, n + 1);
    return 0;
}

/*
 * request.c - what a request below [server] http asks for, read from its
 * path and query string: the MAC, the document, a menu's choice.
 *
 * iPXE fetches ${http}/<mac>/gpxe-script, or ${http}/gpxe-script?mac=<mac>
 * from a script that chains there, or ${http}/gpxe-script with no MAC at
 * all (the classic embedded loader); a menu's choice adds ?profile=NAME;
 * tiny-cloud fetches ${http}/<mac>/[<profile>/]/meta-data and the other
 * NoCloud documents (with a double slash: it appends "/meta-data" to a
 * seed that ends in '/').  A web server adapter hands over the path below
 * the place where it mounts alpxe, already percent-decoded (as nginx's
 * r->uri is), and the query string as it arrived.  Both are untrusted:
 * they are read with a cursor over (pointer, end), and the values decoded
 * here go into fixed buffers with a bound.
 */

#define _GNU_SOURCE             /* memrchr */

#include <errno.h>
#include <string.h>

#include "alpxe.h"
#include "text.h"

/* The longest decoded ?mac= value looked at: every accepted spelling of a
 * MAC is at most 20 characters, so anything longer is malformed anyway. */
#define MAC_ARG_MAX     64

static int
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * The value of the first "<name>=" argument of a query string, as nginx's
 * ngx_http_arg() finds it: arguments are split on '&', the name (lower
 * case here) is matched without regard to case, the value runs to the
 * next '&' (it may be empty).  Returns 0 and sets *val, *val_end, or
 * -ENOENT.
 */
static int
query_arg(const char *p, const char *end, const char *name,
    const char **val, const char **val_end)
{
    const char *arg;
    size_t      n = strlen(name), i;

    while (p < end) {
        arg = p;
        while (p < end && *p != '&') {
            p++;
        }
        /* arg .. p is one argument */
        if ((size_t) (p - arg) > n && arg[n] == '=') {
            for (i = 0; i < n && lower(arg[i]) == name[i]; i++) {
                /* compare */
            }
            if (i == n) {
                *val = arg + n + 1;
                *val_end = p;
                return 0;
            }
        }
        if (p < end) {
            p++;                /* the '&' */
        }
    }
    return -ENOENT;
}

static int
query_mac(const char *p, const char *end, const char **val,
    const char **val_end)
{
    return query_arg(p, end, "mac", val, val_end);
}

/*
 * Percent-decode p .. end into out (size bytes).  "%" must be followed by
 * two hex digits; '+' is left alone (it is no MAC character either way).
 * Returns the decoded length, or -EINVAL for a broken escape or a value
 * that does not fit.
 */
static int
unescape(const char *p, const char *end, char *out, size_t size)
{
    size_t n = 0;
    int    hi, lo;
    char   c;

    while (p < end) {
        c = *p++;
        if (c == '%') {
            if (end - p < 2) {
                return -EINVAL;
            }
            hi = text_hex_digit(p[0]);
            lo = text_hex_digit(p[1]);
            if (hi < 0 || lo < 0) {
                return -EINVAL;
            }
            c = (char) (hi << 4 | lo);
            p += 2;
        }
        if (n == size) {
            return -EINVAL;
        }
        out[n++] = c;
    }
    return (int) n;
}

/* The script's MAC: alpxe_request_parse() for the script only. */
int
alpxe_request_mac(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags, alpxe_mac *mac)
{
    alpxe_request req;
    int           rc;

    rc = alpxe_request_parse(path, path_len, query, query_len, flags, &req);
    if (rc != 0) {
        return rc;
    }
    if (req.doc != ALPXE_DOC_SCRIPT) {
        return -ENOENT;
    }
    if (!req.have_mac) {
        return -EINVAL;
    }
    *mac = req.mac;
    return 0;
}

/* ------------------------------------------------ alpxe_request_parse */

#define SEGMENTS_MAX    3

/* The longest ?profile= value looked at: a name, every byte escaped. */
#define PROFILE_ARG_MAX (3 * ALPXE_PROFILE_NAME_MAX)

typedef struct {
    const char  *p;
    size_t       len;
} segment;

static alpxe_doc
doc_by_name(const char *p, size_t len)
{
    const char *name;
    int         d;

    for (d = 0; d < ALPXE_DOC_COUNT; d++) {
        name = alpxe_doc_name((alpxe_doc) d);
        if (name[0] == p[0] && strlen(name) == len
            && memcmp(name, p, len) == 0)
        {
            return (alpxe_doc) d;
        }
    }
    return ALPXE_DOC_COUNT;
}

/* A profile name's characters (validate.c's check_profile_name). */
static int
profile_ok(const char *p, size_t len)
{
    size_t i;

    if (len == 0 || len > ALPXE_PROFILE_NAME_MAX) {
        return 0;
    }
    for (i = 0; i < len; i++) {
        char c = p[i];

        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9')
              || (i != 0 && (c == '-' || c == '_' || c == '.'))))
        {
            return 0;
        }
    }
    return 1;
}

static int
set_profile(alpxe_request *req, const char *p, size_t len)
{
    if (!profile_ok(p, len)) {
        return -ENOENT;         /* no profile has that name */
    }
    memcpy(req->profile, p, len);
    req->profile[len] = '\0';
    return 0;
}

static int
set_mac(alpxe_request *req, const segment *s)
{
    if (alpxe_mac_parse(s->p, s->len, &req->mac) != 0) {
        return -EINVAL;
    }
    req->have_mac = 1;
    return 0;
}

/*
 * The last `max` non-empty segments of [start, end), in order; *count
 * says how many there are in all (more than max: the first ones were
 * dropped).
 */
static void
segments(const char *start, const char *end, segment *seg, size_t max,
    size_t *count)
{
    const char *p = end, *s;
    size_t      n = 0, i;
    segment     tmp[SEGMENTS_MAX + 1];

    while (p > start) {
        /* memrchr: this runs for every script request */
        s = memrchr(start, '/', (size_t) (p - start));
        s = s != NULL ? s + 1 : start;
        if (s != p) {
            if (n <= max) {
                tmp[n].p = s;
                tmp[n].len = (size_t) (p - s);
            }
            n++;
        }
        p = s > start ? s - 1 : s;
    }
    *count = n;
    n = n > max ? max : n;
    for (i = 0; i < n; i++) {
        seg[i] = tmp[n - 1 - i];
    }
}

int
alpxe_request_parse(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags, alpxe_request *req)
{
    const char *qend, *val, *val_end;
    char        decoded[MAC_ARG_MAX], name[PROFILE_ARG_MAX];
    segment     seg[SEGMENTS_MAX];
    size_t      count, n;
    alpxe_doc   doc;
    int         rc;

    if (path == NULL) {
        path = "";
        path_len = 0;
    }
    if (query == NULL) {
        query = "";
        query_len = 0;
    }
    qend = query + query_len;
    memset(req, 0, sizeof(*req));

    /* a trailing '/' names a directory */
    if (path_len == 0 || path[path_len - 1] == '/') {
        return -ENOENT;
    }
    segments(path, path + path_len, seg, SEGMENTS_MAX, &count);
    n = count > SEGMENTS_MAX ? SEGMENTS_MAX : count;
    doc = doc_by_name(seg[n - 1].p, seg[n - 1].len);
    if (doc == ALPXE_DOC_COUNT) {
        return -ENOENT;
    }
    req->doc = doc;

    if (doc == ALPXE_DOC_SCRIPT) {
        /* a menu's choice: ?profile= */
        if (query_arg(query, qend, "profile", &val, &val_end) == 0) {
            if (val_end - val > PROFILE_ARG_MAX) {
                return -ENOENT;     /* longer than any name, escaped */
            }
            rc = unescape(val, val_end, name, sizeof(name));
            if (rc < 0) {
                return -EINVAL;
            }
            rc = set_profile(req, name, (size_t) rc);
            if (rc != 0) {
                return rc;
            }
        }
        /* ?mac=, where the path has only the name (TAIL: it may have
         * more) */
        if ((n == 1 || (flags & ALPXE_REQUEST_TAIL))
            && query_mac(query, qend, &val, &val_end) == 0)
        {
            rc = unescape(val, val_end, decoded, sizeof(decoded));
            if (rc < 0 || alpxe_mac_parse(decoded, (size_t) rc,
                                          &req->mac) != 0)
            {
                return -EINVAL;
            }
            req->have_mac = 1;
            return 0;
        }
        if (n == 1) {
            /* no MAC at all: the classic loader's URL (in a location
             * whose prefix is known); TAIL cannot tell */
            return (flags & ALPXE_REQUEST_TAIL) ? -EINVAL : 0;
        }
        if (count > 2 && !(flags & ALPXE_REQUEST_TAIL)) {
            return -ENOENT;
        }
        return set_mac(req, &seg[n - 2]);
    }

    /* a document: <mac>/<doc>, or <mac>/<profile>/<doc> */
    if (n >= 2 && alpxe_mac_parse(seg[n - 2].p, seg[n - 2].len,
                                  &req->mac) == 0
        && (count == 2 || (flags & ALPXE_REQUEST_TAIL)))
    {
        req->have_mac = 1;
        return 0;
    }
    if (n == 3 && (count == 3 || (flags & ALPXE_REQUEST_TAIL))
        && alpxe_mac_parse(seg[0].p, seg[0].len, &req->mac) == 0)
    {
        req->have_mac = 1;
        return set_profile(req, seg[1].p, seg[1].len);
    }
    if (n == 2 && count == 2) {
        return -EINVAL;             /* <not a MAC>/<doc> */
    }
    return -ENOENT;
}

/*
 * request.c - the MAC of an iPXE script request, read from its path and
 * query string.
 *
 * iPXE fetches ${http}/<mac>/gpxe-script, or ${http}/gpxe-script?mac=<mac>
 * from a script that chains there.  A web server adapter hands over the
 * path below the place where it mounts alpxe, already percent-decoded (as
 * nginx's r->uri is), and the query string as it arrived.  Both are
 * untrusted: they are read with a cursor over (pointer, end), and the one
 * value decoded here goes into a fixed buffer with a bound.
 */

#include <errno.h>
#include <string.h>

#include "alpxe.h"
#include "text.h"

static const char script_name[] = ALPXE_SCRIPT_NAME;

#define SCRIPT_LEN      (sizeof(script_name) - 1)

/* The longest decoded ?mac= value looked at: every accepted spelling of a
 * MAC is at most 20 characters, so anything longer is malformed anyway. */
#define MAC_ARG_MAX     64

static int
is_script(const char *p, const char *end)
{
    return (size_t) (end - p) == SCRIPT_LEN
        && memcmp(p, script_name, SCRIPT_LEN) == 0;
}

/* Where the segment that ends at `end` starts: after the last '/' before
 * end, or at `start`. */
static const char *
segment_start(const char *start, const char *end)
{
    while (end > start && end[-1] != '/') {
        end--;
    }
    return end;
}

static int
lower(char c)
{
    return c >= 'A' && c <= 'Z' ? c - 'A' + 'a' : c;
}

/*
 * The value of the first "mac=" argument of a query string, as nginx's
 * ngx_http_arg() finds it: arguments are split on '&', the name is
 * matched without regard to case, the value runs to the next '&' (it may
 * be empty).  Returns 0 and sets *val, *val_end, or -ENOENT.
 */
static int
query_mac(const char *p, const char *end, const char **val,
    const char **val_end)
{
    const char *arg;

    while (p < end) {
        arg = p;
        while (p < end && *p != '&') {
            p++;
        }
        /* arg .. p is one argument */
        if (p - arg >= 4 && lower(arg[0]) == 'm' && lower(arg[1]) == 'a'
            && lower(arg[2]) == 'c' && arg[3] == '=')
        {
            *val = arg + 4;
            *val_end = p;
            return 0;
        }
        if (p < end) {
            p++;                /* the '&' */
        }
    }
    return -ENOENT;
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

int
alpxe_request_mac(const char *path, size_t path_len, const char *query,
    size_t query_len, unsigned flags, alpxe_mac *mac)
{
    const char *start, *end, *seg, *val = NULL, *val_end = NULL;
    char        decoded[MAC_ARG_MAX];
    int         has_arg, n;

    if (path == NULL) {
        path = "";
        path_len = 0;
    }
    if (query == NULL) {
        query = "";
        query_len = 0;
    }
    start = path;
    end = path + path_len;
    has_arg = query_mac(query, query + query_len, &val, &val_end) == 0;

    if (flags & ALPXE_REQUEST_TAIL) {
        /*
         * Mounted where the caller cannot say (a regular expression): the
         * last segment when it is the script name and the query names the
         * MAC, else the last two segments.
         */
        seg = segment_start(start, end);
        if (!(has_arg && is_script(seg, end)) && seg > start) {
            seg = segment_start(start, seg - 1);
        }
        start = seg;
    }

    /* "gpxe-script?mac=<mac>" */

    if (is_script(start, end)) {
        if (!has_arg) {
            return -EINVAL;
        }
        n = unescape(val, val_end, decoded, sizeof(decoded));
        if (n < 0 || alpxe_mac_parse(decoded, (size_t) n, mac) != 0) {
            return -EINVAL;
        }
        return 0;
    }

    /* "<mac>/gpxe-script": one segment, then the name */

    if ((size_t) (end - start) <= SCRIPT_LEN + 1
        || !is_script(end - SCRIPT_LEN, end))
    {
        return -ENOENT;
    }
    end -= SCRIPT_LEN + 1;
    if (*end != '/') {
        return -ENOENT;
    }
    if (memchr(start, '/', (size_t) (end - start)) != NULL) {
        return -ENOENT;
    }
    if (alpxe_mac_parse(start, (size_t) (end - start), mac) != 0) {
        return -EINVAL;
    }
    return 0;
}

/*
 * kea_json.c - the "result" and "text" of a Kea control-channel answer.
 *
 * Only those two members are read, by a small bounded scanner over
 * (pointer, end): the answer comes from a local root-owned daemon, but a
 * truncated or odd answer must still end in a clear message, never in a
 * read past the buffer.  Fuzzed by tests/fuzz/fuzz_kea_json.c.
 */

#include <errno.h>
#include <string.h>

#include "kea_json.h"
#include "text.h"

typedef struct {
    const char *p;
    const char *end;
} cursor;

static void
skip_ws(cursor *c)
{
    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t' || *c->p == '\n'
                             || *c->p == '\r'))
    {
        c->p++;
    }
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
                    h = text_hex_digit(*c->p++);
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
                   || *c->p == ':')
        {
            if (depth == 0) {
                return -EINVAL;
            }
            depth -= *c->p == '}' || *c->p == ']';
            c->p++;
        } else {                        /* a number, true, false, null */
            while (c->p < c->end
                   && memchr(",:}] \t\r\n", *c->p, 8) == NULL)
            {
                c->p++;
            }
        }
    } while (depth > 0);
    return 0;
}

int
kea_json_answer(const char *buf, size_t len, long *result, char *text,
    size_t size)
{
    cursor c = { buf, buf + len };
    char   key[32];
    long   v;
    int    neg, have_result = 0;

    if (size == 0) {
        return -EINVAL;
    }
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
                 && v < 100000; c.p++)
            {
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


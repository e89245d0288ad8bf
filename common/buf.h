/*
 * buf.h - a bounded output buffer for building scripts and URLs.
 *
 * Appends never write past `size`; an append that does not fit sets
 * `overflow` and is dropped, so callers check once at the end.
 */

#ifndef ALPXE_BUF_H
#define ALPXE_BUF_H

#include <stddef.h>
#include <string.h>

typedef struct {
    char   *p;
    size_t  len;
    size_t  size;
    int     overflow;
    size_t  want;       /* every byte asked for, dropped or not */
} alpxe_buf;

static inline void
buf_init(alpxe_buf *b, char *p, size_t size)
{
    b->p = p;
    b->len = 0;
    b->size = size;
    b->overflow = 0;
    b->want = 0;
}

static inline void
buf_put(alpxe_buf *b, const char *s, size_t n)
{
    b->want += n;
    if (n == 0) {
        return;             /* and no memcpy() to a NULL buffer */
    }
    if (b->overflow || b->size - b->len < n) {
        b->overflow = 1;
        return;
    }
    memcpy(b->p + b->len, s, n);
    b->len += n;
}

static inline void
buf_puts(alpxe_buf *b, const char *s)
{
    buf_put(b, s, strlen(s));
}

/* NUL-terminate; the NUL is not counted in len.  Returns 0 or -1. */
static inline int
buf_finish(alpxe_buf *b)
{
    if (b->overflow || b->len >= b->size) {
        b->overflow = 1;
        return -1;
    }
    b->p[b->len] = '\0';
    return 0;
}

#endif /* ALPXE_BUF_H */

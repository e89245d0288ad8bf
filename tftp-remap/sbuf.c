/*
 * sbuf.c - a growable, always NUL-terminated byte string.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sbuf.h"

static int
sbuf_reserve(sbuf *b, size_t more)
{
    size_t  need, cap;
    char   *p;

    if (more > (size_t)-1 / 2 - b->len - 1) {
        return -ENOMEM;
    }
    need = b->len + more + 1;
    if (need <= b->cap) {
        return 0;
    }
    cap = b->cap ? b->cap : 64;
    while (cap < need) {
        cap *= 2;
    }
    p = realloc(b->p, cap);
    if (p == NULL) {
        return -ENOMEM;
    }
    b->p = p;
    b->cap = cap;
    return 0;
}

int
sbuf_add(sbuf *b, const char *s, size_t len)
{
    int rc;

    rc = sbuf_reserve(b, len);
    if (rc != 0) {
        return rc;
    }
    if (len != 0) {
        memcpy(b->p + b->len, s, len);
    }
    b->len += len;
    b->p[b->len] = '\0';
    return 0;
}

int
sbuf_adds(sbuf *b, const char *s)
{
    return sbuf_add(b, s, strlen(s));
}

int
sbuf_addc(sbuf *b, char c)
{
    return sbuf_add(b, &c, 1);
}

const char *
sbuf_str(const sbuf *b)
{
    return b->p ? b->p : "";
}

void
sbuf_reset(sbuf *b)
{
    b->len = 0;
    if (b->p != NULL) {
        b->p[0] = '\0';
    }
}

void
sbuf_free(sbuf *b)
{
    free(b->p);
    b->p = NULL;
    b->len = b->cap = 0;
}

char *
sbuf_take(sbuf *b)
{
    char *p = b->p;

    if (p == NULL) {
        p = calloc(1, 1);
    }
    b->p = NULL;
    b->len = b->cap = 0;
    return p;
}

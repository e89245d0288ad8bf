/*
 * sbuf.h - a growable, always NUL-terminated byte string.
 *
 * Used to build the remap file and the rewritten names of the rule engine.
 * Functions that grow the buffer return 0 or -ENOMEM; after a failure the
 * buffer keeps what it held before.
 */

#ifndef ALPXE_REMAP_SBUF_H
#define ALPXE_REMAP_SBUF_H

#include <stddef.h>

typedef struct {
    char   *p;          /* NULL until the first append */
    size_t  len;
    size_t  cap;
} sbuf;

#define SBUF_INIT { NULL, 0, 0 }

int sbuf_add(sbuf *b, const char *s, size_t len);
int sbuf_adds(sbuf *b, const char *s);
int sbuf_addc(sbuf *b, char c);

/* The contents, "" when empty (never NULL). */
const char *sbuf_str(const sbuf *b);

void sbuf_reset(sbuf *b);
void sbuf_free(sbuf *b);

/* Hands the malloc'd string over to the caller and empties b. */
char *sbuf_take(sbuf *b);

#endif /* ALPXE_REMAP_SBUF_H */

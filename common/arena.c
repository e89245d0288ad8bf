/*
 * arena.c - bump allocation for a configuration (see arena.h).
 */

#include <stdalign.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "arena.h"

#define ARENA_CHUNK_MIN  (256 * 1024)

struct arena_chunk {
    arena_chunk *next;
    size_t       used;
    size_t       size;
    alignas(max_align_t) unsigned char data[];
};

/* size bytes at a multiple of align (a power of two) */
static void *
arena_take(arena *a, size_t size, size_t align)
{
    arena_chunk *c = a->head;
    size_t       want, start;
    void        *p;

    if (size > SIZE_MAX / 2) {
        return NULL;
    }

    if (c != NULL) {
        start = (c->used + align - 1) & ~(align - 1);
        if (start <= c->size && c->size - start >= size) {
            p = c->data + start;
            c->used = start + size;
            return p;
        }
    }

    want = size > ARENA_CHUNK_MIN ? size : ARENA_CHUNK_MIN;
    /* calloc: every allocation starts zeroed, which callers rely on. */
    c = calloc(1, sizeof(*c) + want);
    if (c == NULL) {
        return NULL;
    }
    c->size = want;
    c->used = size;
    c->next = a->head;
    a->head = c;
    return c->data;
}

void *
arena_alloc(arena *a, size_t size)
{
    return arena_take(a, size, alignof(max_align_t));
}

char *
arena_strndup(arena *a, const char *s, size_t len)
{
    /* strings need no alignment: at 16 bytes, 100k hosts' short names
     * and values took twice their size */
    char *p = arena_take(a, len + 1, 1);

    if (p == NULL) {
        return NULL;
    }
    memcpy(p, s, len);
    p[len] = '\0';
    return p;
}

void
arena_free(arena *a)
{
    arena_chunk *c, *next;

    for (c = a->head; c != NULL; c = next) {
        next = c->next;
        free(c);
    }
    a->head = NULL;
}

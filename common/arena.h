/*
 * arena.h - bump allocation for a configuration's strings and tables.
 *
 * A configuration is built once and freed as a whole, so its memory comes
 * from a few large chunks instead of one malloc per string: loading 100k
 * hosts costs a handful of allocations and freeing is a short list walk.
 */

#ifndef ALPXE_ARENA_H
#define ALPXE_ARENA_H

#include <stddef.h>

typedef struct arena_chunk arena_chunk;

typedef struct {
    arena_chunk *head;
} arena;

/* NULL when out of memory; memory is zeroed and aligned for any type. */
void *arena_alloc(arena *a, size_t size);

/* A NUL-terminated copy of len bytes; NULL when out of memory. */
char *arena_strndup(arena *a, const char *s, size_t len);

void arena_free(arena *a);

#endif /* ALPXE_ARENA_H */

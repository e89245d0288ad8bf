/*
 * names.h - an index of names for O(1) lookups while a configuration
 * loads and after: profiles by name, and host names (without case) while
 * duplicates are looked for.  Open addressing over a power-of-two table
 * at most half full; entries are numbers, their names are looked up
 * through a callback, so the index survives the table it points into
 * being reallocated.
 */

#ifndef ALPXE_NAMES_H
#define ALPXE_NAMES_H

#include <stddef.h>
#include <stdint.h>

/* The name of entry i (ctx is the caller's table). */
typedef const char *(*name_of_fn)(const void *ctx, uint32_t i);

typedef struct {
    uint64_t   *slot;           /* entry + 1 and a hash (names.c) */
    size_t      size;           /* a power of two, or 0 */
    size_t      count;
    int         fold;           /* ASCII case is no difference */
} name_index;

/* Make room for n entries at once: no growing while they are added.
 * 0, or -1 when out of memory. */
int name_index_reserve(name_index *ix, size_t n);

/*
 * Add entry i, named `name`.  Returns 0; 1 when an equal name is already
 * there (*first is its entry, nothing is added); -1 when out of memory.
 */
int name_index_add(name_index *ix, uint32_t i, const char *name,
    name_of_fn name_of, const void *ctx, uint32_t *first);

/* The entry named `name`, or -1. */
long name_index_find(const name_index *ix, const char *name,
    name_of_fn name_of, const void *ctx);

void name_index_free(name_index *ix);

#endif /* ALPXE_NAMES_H */

/*
 * names.c - the name index (see names.h).  FNV-1a spreads names that
 * differ in one character (nuc1, nuc2, ...) as well as any.
 */

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "names.h"

static uint64_t
hash(const name_index *ix, const char *s)
{
    uint64_t      h = UINT64_C(0xcbf29ce484222325);
    unsigned char c;

    for (; *s != '\0'; s++) {
        c = (unsigned char) *s;
        if (ix->fold && c >= 'A' && c <= 'Z') {
            c = (unsigned char) (c - 'A' + 'a');
        }
        h = (h ^ c) * UINT64_C(0x100000001b3);
    }
    return h;
}

static int
same(const name_index *ix, const char *a, const char *b)
{
    return (ix->fold ? strcasecmp(a, b) : strcmp(a, b)) == 0;
}

/*
 * A slot holds entry + 1 (0: empty) and, above it, 32 bits of the name's
 * hash: a probe compares names only when those match, and growing
 * rehashes no name.  Names live elsewhere (100k hosts' in their table),
 * so every comparison was a cache miss or two.
 */
#define SLOT(entry, h)      ((uint64_t) (h) << 32 | ((uint64_t) (entry) + 1))
#define SLOT_ENTRY(s)       ((uint32_t) (s) - 1)
#define SLOT_HASH(s)        ((uint32_t) ((s) >> 32))

/* Rehash into a table of `size` slots. */
static int
resize(name_index *ix, size_t size)
{
    uint64_t *old = ix->slot, *slot;
    size_t    i, j;

    slot = calloc(size, sizeof(*slot));
    if (slot == NULL) {
        return -1;
    }
    for (i = 0; i < ix->size; i++) {
        if (old[i] == 0) {
            continue;
        }
        for (j = SLOT_HASH(old[i]) & (size - 1); slot[j] != 0;
             j = (j + 1) & (size - 1))
        {
            /* the next free slot */
        }
        slot[j] = old[i];
    }
    free(old);
    ix->slot = slot;
    ix->size = size;
    return 0;
}

int
name_index_reserve(name_index *ix, size_t n)
{
    size_t size = 64;

    while (size < 2 * n && size < SIZE_MAX / 4) {
        size *= 2;
    }
    return size > ix->size ? resize(ix, size) : 0;
}

int
name_index_add(name_index *ix, uint32_t i, const char *name,
    name_of_fn name_of, const void *ctx, uint32_t *first)
{
    uint32_t h = (uint32_t) hash(ix, name);
    size_t   j;

    if ((ix->count + 1) * 2 > ix->size
        && resize(ix, ix->size != 0 ? ix->size * 2 : 64) != 0)
    {
        return -1;
    }
    for (j = h & (ix->size - 1); ix->slot[j] != 0;
         j = (j + 1) & (ix->size - 1))
    {
        if (SLOT_HASH(ix->slot[j]) == h
            && same(ix, name_of(ctx, SLOT_ENTRY(ix->slot[j])), name))
        {
            *first = SLOT_ENTRY(ix->slot[j]);
            return 1;
        }
    }
    ix->slot[j] = SLOT(i, h);
    ix->count++;
    return 0;
}

long
name_index_find(const name_index *ix, const char *name, name_of_fn name_of,
    const void *ctx)
{
    uint32_t h = (uint32_t) hash(ix, name);
    size_t   j;

    if (ix->size == 0) {
        return -1;
    }
    for (j = h & (ix->size - 1); ix->slot[j] != 0;
         j = (j + 1) & (ix->size - 1))
    {
        if (SLOT_HASH(ix->slot[j]) == h
            && same(ix, name_of(ctx, SLOT_ENTRY(ix->slot[j])), name))
        {
            return (long) SLOT_ENTRY(ix->slot[j]);
        }
    }
    return -1;
}

void
name_index_free(name_index *ix)
{
    free(ix->slot);
    ix->slot = NULL;
    ix->size = 0;
    ix->count = 0;
}

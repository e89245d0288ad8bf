/*
 * names.c - the name index (see names.h).  FNV-1a spreads names that
 * differ in one character (nuc1, nuc2, ...) as well as any.
 */

#include <stdlib.h>
#include <string.h>

#include "names.h"

static uint64_t
hash(const char *s)
{
    uint64_t h = UINT64_C(0xcbf29ce484222325);

    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char) *s) * UINT64_C(0x100000001b3);
    }
    return h;
}

static int
grow(name_index *ix, name_of_fn name_of, const void *ctx)
{
    uint32_t *old = ix->slot, *slot;
    size_t    size = ix->size != 0 ? ix->size * 2 : 64, i, j;

    slot = calloc(size, sizeof(*slot));
    if (slot == NULL) {
        return -1;
    }
    for (i = 0; i < ix->size; i++) {
        if (old[i] == 0) {
            continue;
        }
        j = hash(name_of(ctx, old[i] - 1)) & (size - 1);
        while (slot[j] != 0) {
            j = (j + 1) & (size - 1);
        }
        slot[j] = old[i];
    }
    free(old);
    ix->slot = slot;
    ix->size = size;
    return 0;
}

int
name_index_add(name_index *ix, uint32_t i, const char *name,
    name_of_fn name_of, const void *ctx, uint32_t *first)
{
    size_t j;

    if ((ix->count + 1) * 2 > ix->size && grow(ix, name_of, ctx) != 0) {
        return -1;
    }
    for (j = hash(name) & (ix->size - 1); ix->slot[j] != 0;
         j = (j + 1) & (ix->size - 1))
    {
        if (strcmp(name_of(ctx, ix->slot[j] - 1), name) == 0) {
            *first = ix->slot[j] - 1;
            return 1;
        }
    }
    ix->slot[j] = i + 1;
    ix->count++;
    return 0;
}

long
name_index_find(const name_index *ix, const char *name, name_of_fn name_of,
    const void *ctx)
{
    size_t j;

    if (ix->size == 0) {
        return -1;
    }
    for (j = hash(name) & (ix->size - 1); ix->slot[j] != 0;
         j = (j + 1) & (ix->size - 1))
    {
        if (strcmp(name_of(ctx, ix->slot[j] - 1), name) == 0) {
            return (long) ix->slot[j] - 1;
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

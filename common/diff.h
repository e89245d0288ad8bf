/*
 * diff.h - a rendered text kept as the bytes where it differs from a
 * reference text rendered before it.
 *
 * Every host's script is rendered at load, and the scripts of one
 * profile's hosts differ only in a few tens of bytes (their ip=, BOOTIF=):
 * 100k hosts kept 35 MB of scripts whole, and about 6 MB this way.  A
 * request copies three runs of bytes, no rendering.
 */

#ifndef ALPXE_DIFF_H
#define ALPXE_DIFF_H

#include <stddef.h>
#include <stdint.h>

#include "arena.h"

/* The text is ref[0, head) + mid[0, mid_len) + ref[tail_at, tail_at + tail). */
typedef struct {
    const char  *ref;           /* NULL: no text kept */
    const char  *mid;
    uint32_t     head;
    uint32_t     mid_len;
    uint32_t     tail_at;
    uint32_t     tail;
} cfg_diff;

/* A reference: the first text kept against it, whole. */
typedef struct {
    const char  *text;          /* NULL: none yet */
    size_t       len;
} cfg_diff_ref;

/*
 * Keep len bytes of text as *d, against *ref; with no reference yet, the
 * text (copied into the arena) becomes it.  0, or -1 when out of memory.
 */
int cfg_diff_keep(arena *a, cfg_diff_ref *ref, const char *text, size_t len,
    cfg_diff *d);

static inline size_t
cfg_diff_len(const cfg_diff *d)
{
    return (size_t) d->head + d->mid_len + d->tail;
}

/* Write the text, cfg_diff_len(d) bytes, to out. */
void cfg_diff_copy(const cfg_diff *d, char *out);

#endif /* ALPXE_DIFF_H */

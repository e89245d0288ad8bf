/*
 * diff.c - texts kept as their difference from a reference (see diff.h).
 */

#include <string.h>

#include "diff.h"

/* Bytes equal at the start of a and b (n at most), a word at a time:
 * 100k scripts of 400 bytes are compared at every load. */
static size_t
same_head(const char *a, const char *b, size_t n)
{
    uint64_t x, y;
    size_t   i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a + i, 8);
        memcpy(&y, b + i, 8);
        if (x != y) {
            break;
        }
    }
    while (i < n && a[i] == b[i]) {
        i++;
    }
    return i;
}

/* Bytes equal at the ends of a and b, which end at a_end and b_end. */
static size_t
same_tail(const char *a_end, const char *b_end, size_t n)
{
    uint64_t x, y;
    size_t   i = 0;

    for (; i + 8 <= n; i += 8) {
        memcpy(&x, a_end - i - 8, 8);
        memcpy(&y, b_end - i - 8, 8);
        if (x != y) {
            break;
        }
    }
    while (i < n && *(a_end - i - 1) == *(b_end - i - 1)) {
        i++;
    }
    return i;
}

int
cfg_diff_keep(arena *a, cfg_diff_ref *ref, const char *text, size_t len,
    cfg_diff *d)
{
    size_t head, tail, most;

    if (ref->text == NULL) {
        ref->text = arena_strndup(a, text, len);
        if (ref->text == NULL) {
            return -1;
        }
        ref->len = len;
    }

    most = len < ref->len ? len : ref->len;
    head = same_head(text, ref->text, most);
    tail = same_tail(text + len, ref->text + ref->len, most - head);

    d->ref = ref->text;
    d->head = (uint32_t) head;
    d->mid_len = (uint32_t) (len - head - tail);
    d->tail_at = (uint32_t) (ref->len - tail);
    d->tail = (uint32_t) tail;
    d->mid = "";
    if (d->mid_len != 0) {
        d->mid = arena_strndup(a, text + head, d->mid_len);
        if (d->mid == NULL) {
            return -1;
        }
    }
    return 0;
}

void
cfg_diff_copy(const cfg_diff *d, char *out)
{
    memcpy(out, d->ref, d->head);
    memcpy(out + d->head, d->mid, d->mid_len);
    memcpy(out + d->head + d->mid_len, d->ref + d->tail_at, d->tail);
}

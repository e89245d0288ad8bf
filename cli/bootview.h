/*
 * bootview.h - how `alpxe log`, `status` and `watch` show a boot: one row
 * per stage with its time, ✓/✗ and colour on a terminal (words
 * elsewhere, for grep), and the same as JSON.
 */

#ifndef ALPXE_BOOTVIEW_H
#define ALPXE_BOOTVIEW_H

#include <jansson.h>
#include <stdio.h>

#include "bootlog.h"
#include "cli.h"

typedef struct {
    const char  *ok;            /* "✓" or "ok  " */
    const char  *fail;          /* "✗" or "FAIL" */
    const char  *wait;          /* "…" or "wait" */
    const char  *none;          /* "·" or "-   " */
    const char  *green;
    const char  *red;
    const char  *yellow;
    const char  *bold;
    const char  *off;
} bview_style;

void bview_style_init(const cli_opts *o, bview_style *st);

/* The mark and colour of an outcome. */
const char *bview_mark(const bview_style *st, blog_outcome o);
const char *bview_color(const bview_style *st, blog_outcome o);

/* The stages of b in time order, one row each, and the one that never
 * came (v->at, when stopped) last. */
void bview_print_stages(FILE *f, const bview_style *st, const blog_boot *b,
    const blog_verdict *v);

/* "✗ failed at tftp" (coloured), then the diagnosis on a line of its own. */
void bview_print_verdict(FILE *f, const bview_style *st,
    const blog_verdict *v);

/* {"start", "ip", "arch", "outcome", "stage", "diagnosis", "stages": [...]} */
json_t *bview_boot_json(const blog_boot *b, const blog_verdict *v);

/* The [log] sources read, for JSON. */
json_t *bview_sources_json(const blog_sources *src);

/* The stages of b in time order (indexes into b->step); returns how many. */
size_t bview_order(const blog_boot *b, blog_stage out[BLOG_ST_COUNT]);

#endif /* ALPXE_BOOTVIEW_H */

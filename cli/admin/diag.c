/*
 * diag.c - the core's diagnostics on a terminal: one line each to stderr,
 * the "error:" or "warning:" word the core already wrote coloured when
 * stderr is a terminal.  The alpxe command and alpxe-remap print them the
 * same way.
 */

#include <stdio.h>
#include <string.h>

#include "admin.h"

const char *
admin_color(int on, const char *sgr)
{
    return on ? sgr : "";
}

void
admin_print_diag(void *ctx, alpxe_severity sev, const char *file,
    unsigned line, const char *text)
{
    const admin_diag *d = ctx;
    const char       *word = sev == ALPXE_ERROR ? "error:" : "warning:";
    const char       *at = strstr(text, word);
    const char       *prog = d->prog != NULL ? d->prog : "";
    const char       *sep = d->prog != NULL ? ": " : "";

    (void) file;
    (void) line;
    if (at == NULL || !d->color) {
        fprintf(stderr, "%s%s%s\n", prog, sep, text);
        return;
    }
    fprintf(stderr, "%s%s%.*s%s%s\033[0m%s\n", prog, sep, (int) (at - text),
            text, sev == ALPXE_ERROR ? "\033[1;31m" : "\033[1;33m", word,
            at + strlen(word));
}

int
admin_load(const char *path, unsigned flags, admin_diag *d,
    alpxe_config **cfg)
{
    return alpxe_config_load(path, flags, admin_print_diag, d, cfg);
}

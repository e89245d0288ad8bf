/*
 * helpers.h - loading configurations from strings in unit tests.
 */

#ifndef ALPXE_TEST_HELPERS_H
#define ALPXE_TEST_HELPERS_H

#include <stdio.h>
#include <string.h>

#include "alpxe.h"

/* Lines 1-2 and 3-5 of most test configurations. */
#define SERVER  "[server]\naddress = 10.0.0.28\n"
#define PROFILE "[profile lts]\nkernel = boot/vmlinuz-lts\n" \
                "initrd = boot/initramfs-lts\n"

typedef struct {
    char     text[8192];        /* every diagnostic, one per line */
    size_t   len;
    unsigned errors;
    unsigned warnings;
    unsigned first_error;       /* line of the first error */
    unsigned first_warning;     /* line of the first warning */
} diags;

static void
collect(void *ctx, alpxe_severity sev, const char *file, unsigned line,
    const char *text)
{
    diags *d = ctx;
    int    n;

    (void) file;
    if (sev == ALPXE_ERROR) {
        if (d->errors++ == 0) {
            d->first_error = line;
        }
    } else if (d->warnings++ == 0) {
        d->first_warning = line;
    }
    n = snprintf(d->text + d->len, sizeof(d->text) - d->len, "%s\n", text);
    if (n > 0 && (size_t) n < sizeof(d->text) - d->len) {
        d->len += (size_t) n;
    }
}

static inline int
load_string(const char *text, unsigned flags, diags *d, alpxe_config **cfg)
{
    memset(d, 0, sizeof(*d));
    return alpxe_config_load_mem("t.conf", text, strlen(text), flags,
                                 collect, d, cfg);
}

#endif /* ALPXE_TEST_HELPERS_H */

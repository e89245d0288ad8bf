/*
 * text.h - the character tests every parser here needs, defined once:
 * hex digits, and whether a value is an http(s) URL.  Shared by the core
 * and the command line (static inline: nothing to link).
 */

#ifndef ALPXE_TEXT_H
#define ALPXE_TEXT_H

#include <stddef.h>
#include <string.h>

/* The value of a hex digit in either case, or -1. */
static inline int
text_hex_digit(int c)
{
    if (c >= '0' && c <= '9') {
        return c - '0';
    }
    if (c >= 'a' && c <= 'f') {
        return c - 'a' + 10;
    }
    if (c >= 'A' && c <= 'F') {
        return c - 'A' + 10;
    }
    return -1;
}

/* The length of the "http://" or "https://" that v starts with, else 0.
 * Schemes are matched as written: alpxe.conf spells them in lower case. */
static inline size_t
text_http_scheme(const char *v)
{
    if (strncmp(v, "http://", 7) == 0) {
        return 7;
    }
    if (strncmp(v, "https://", 8) == 0) {
        return 8;
    }
    return 0;
}

#endif /* ALPXE_TEXT_H */

/*
 * mac.c - parse and format Ethernet MAC addresses.
 *
 * Accepts the spellings people paste from switches, BIOS screens and
 * PXELINUX file names; rejects everything else.  The input is untrusted
 * (it comes from HTTP request paths too), so parsing is a bounded cursor
 * walk, never sscanf.
 */

#include <errno.h>

#include "alpxe.h"
#include "text.h"

/* 12 hex digits, optionally in groups of `group` digits split by `sep`. */
static int
parse_grouped(const char *p, const char *end, int group, char sep,
    alpxe_mac *mac)
{
    int digits = 0, in_group = 0, v;

    while (p < end) {
        if (*p == sep && group != 0) {
            if (in_group != group || digits == 12) {
                return -EINVAL;
            }
            in_group = 0;
            p++;
            continue;
        }
        v = text_hex_digit(*p);
        if (v < 0 || digits == 12) {
            return -EINVAL;
        }
        if (digits % 2 == 0) {
            mac->b[digits / 2] = (uint8_t) (v << 4);
        } else {
            mac->b[digits / 2] |= (uint8_t) v;
        }
        digits++;
        in_group++;
        p++;
    }

    if (digits != 12 || (group != 0 && in_group != group)) {
        return -EINVAL;
    }
    return 0;
}

/* Six octets of one or two hex digits split by `sep` (':' or '-'). */
static int
parse_octets(const char *p, const char *end, char sep, alpxe_mac *mac)
{
    int octet = 0, ndig, v, hi;

    for (;;) {
        if (octet == 6) {
            return -EINVAL;
        }
        ndig = 0;
        hi = 0;
        while (p < end && *p != sep) {
            v = text_hex_digit(*p);
            if (v < 0 || ndig == 2) {
                return -EINVAL;
            }
            hi = hi * 16 + v;
            ndig++;
            p++;
        }
        if (ndig == 0) {
            return -EINVAL;
        }
        mac->b[octet++] = (uint8_t) hi;
        if (p == end) {
            break;
        }
        p++;                    /* the separator */
    }

    return octet == 6 ? 0 : -EINVAL;
}

/*
 * The spelling iPXE and alpxe write, "52:54:00:12:34:56" (or with '-'):
 * read straight, for every script request.  1 when s has its shape (with
 * *mac set, or -EINVAL in *rc for a digit that is not hex), else 0.
 */
static int
parse_canonical(const char *s, size_t len, alpxe_mac *mac, int *rc)
{
    char sep = len == 17 ? s[2] : 0;
    int  i, hi, lo;

    if ((sep != ':' && sep != '-') || s[5] != sep || s[8] != sep
        || s[11] != sep || s[14] != sep)
    {
        return 0;
    }
    *rc = 0;
    for (i = 0; i < 6; i++) {
        hi = text_hex_digit(s[i * 3]);
        lo = text_hex_digit(s[i * 3 + 1]);
        if (hi < 0 || lo < 0) {
            *rc = -EINVAL;
            return 1;
        }
        mac->b[i] = (uint8_t) (hi << 4 | lo);
    }
    return 1;
}

int
alpxe_mac_parse(const char *s, size_t len, alpxe_mac *mac)
{
    const char *end;
    alpxe_mac   m;
    char        sep;
    size_t      i;
    int         rc;

    /* The longest accepted form is "01-" + 17 characters. */
    if (s == NULL || len == 0 || len > 20) {
        return -EINVAL;
    }
    end = s + len;

    if (parse_canonical(s, len, &m, &rc)) {
        if (rc == 0) {
            *mac = m;
        }
        return rc;
    }

    /* PXELINUX / BOOTIF=: "01-" (ARP hardware type 1) before a dash MAC. */
    if (len == 20 && s[0] == '0' && s[1] == '1' && s[2] == '-') {
        s += 3;
        if (parse_octets(s, end, '-', &m) != 0 || end - s != 17) {
            return -EINVAL;
        }
        *mac = m;
        return 0;
    }

    sep = 0;
    for (i = 0; i < len; i++) {
        if (s[i] == ':' || s[i] == '-' || s[i] == '.') {
            sep = s[i];
            break;
        }
    }

    if (sep == 0) {
        if (parse_grouped(s, end, 0, 0, &m) != 0) {
            return -EINVAL;
        }
    } else if (sep == '.') {
        if (parse_grouped(s, end, 4, '.', &m) != 0) {
            return -EINVAL;
        }
    } else if (parse_octets(s, end, sep, &m) != 0) {
        return -EINVAL;
    }

    *mac = m;
    return 0;
}

void
alpxe_mac_format(const alpxe_mac *mac, char sep, char *out)
{
    static const char hex[] = "0123456789abcdef";
    int i;

    for (i = 0; i < 6; i++) {
        out[i * 3] = hex[mac->b[i] >> 4];
        out[i * 3 + 1] = hex[mac->b[i] & 0xf];
        out[i * 3 + 2] = i == 5 ? '\0' : sep;
    }
}

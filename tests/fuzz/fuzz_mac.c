/*
 * fuzz_mac.c - libFuzzer target: the MAC parser, which reads bytes from
 * HTTP request paths.  Whatever it accepts must format and parse back to
 * the same address.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alpxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alpxe_mac mac, again;
    char      s[ALPXE_MAC_STR];

    if (alpxe_mac_parse((const char *) data, size, &mac) != 0) {
        return 0;
    }
    alpxe_mac_format(&mac, ':', s);
    if (alpxe_mac_parse(s, strlen(s), &again) != 0
        || memcmp(mac.b, again.b, 6) != 0)
    {
        abort();
    }
    alpxe_mac_format(&mac, '-', s);
    if (alpxe_mac_parse(s, strlen(s), &again) != 0
        || memcmp(mac.b, again.b, 6) != 0)
    {
        abort();
    }
    return 0;
}

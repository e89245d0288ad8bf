/*
 * arch.c - client system architectures (DHCP option 93, RFC 4578 and the
 * IANA "Processor Architecture Types" registry) and their loader slots.
 */

#include <string.h>

#include "config_internal.h"

static const char *const arch_names[] = {
    [ALPXE_ARCH_BIOS]    = "bios",
    [ALPXE_ARCH_EFI32]   = "efi32",
    [ALPXE_ARCH_EFI64]   = "efi64",
    [ALPXE_ARCH_ARM32]   = "arm32",
    [ALPXE_ARCH_ARM64]   = "arm64",
    [ALPXE_ARCH_UNKNOWN] = "unknown",
};

const char *
alpxe_arch_name(alpxe_arch arch)
{
    if ((unsigned) arch > ALPXE_ARCH_UNKNOWN) {
        arch = ALPXE_ARCH_UNKNOWN;
    }
    return arch_names[arch];
}

int
alpxe_arch_from_name(const char *name, size_t len)
{
    int i;

    for (i = 0; i < ALPXE_ARCH_COUNT; i++) {
        if (strlen(arch_names[i]) == len
            && memcmp(arch_names[i], name, len) == 0)
        {
            return i;
        }
    }
    return -1;
}

alpxe_arch
alpxe_arch_from_type(unsigned type, int *http)
{
    *http = 0;

    switch (type) {
    case 0:
        return ALPXE_ARCH_BIOS;
    case 6:
        return ALPXE_ARCH_EFI32;
    case 7:
    case 9:     /* "EFI BC": what many x64 firmwares actually send */
        return ALPXE_ARCH_EFI64;
    case 10:
        return ALPXE_ARCH_ARM32;
    case 11:
        return ALPXE_ARCH_ARM64;
    case 15:
        *http = 1;
        return ALPXE_ARCH_EFI32;
    case 16:
        *http = 1;
        return ALPXE_ARCH_EFI64;
    case 18:
        *http = 1;
        return ALPXE_ARCH_ARM32;
    case 19:
        *http = 1;
        return ALPXE_ARCH_ARM64;
    default:
        return ALPXE_ARCH_UNKNOWN;
    }
}

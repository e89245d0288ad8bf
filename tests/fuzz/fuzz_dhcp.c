/*
 * fuzz_dhcp.c - libFuzzer target: the DHCP decision fed from raw BOOTP
 * bytes, decoded the way the Kea hook reads a packet: htype, Kea's
 * hardware address (hlen bytes of chaddr, zero-extended past 16, up to
 * 255), options 60/77/93 as their raw payloads with repeated occurrences
 * concatenated (RFC 3396), so of any length, 175 present or not, and the
 * message type; against a configuration with every policy exercised.
 * Whatever arrives, the answer must be well formed.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alpxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

#define BOOTP_HDR   236     /* op … file, without the magic cookie */

static const char conf[] =
    "[server]\n"
    "address = 10.0.0.28\n"
    "unknown = default\n"
    "default = lts\n"
    "[loader]\n"
    "arm64 = snponly-arm64.efi\n"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "[host a]\n"
    "mac = 52:54:00:12:34:56\n"
    "[host b]\n"
    "mac = 52:54:00:12:34:57\n"
    "boot = off\n"
    "[host c]\n"
    "mac = 52:54:00:12:34:58\n"
    "boot = local\n";

static alpxe_config *cfg;

/*
 * One option as the hook hands it to the core: every occurrence's payload
 * concatenated (RFC 3396, as Kea's fuseOptions4 does), so that lengths go
 * past 255.  At most the packet's size.
 */
typedef struct {
    uint8_t  *buf;
    size_t    len;
    int       seen;
} wire_option;

static void
add(wire_option *w, const uint8_t *p, size_t len)
{
    memcpy(w->buf + w->len, p, len);
    w->len += len;
    w->seen = 1;
}

/* A heap block of exactly the option's length (1 byte when empty). */
static uint8_t *
exact(const wire_option *w)
{
    uint8_t *p = malloc(w->len ? w->len : 1);

    memcpy(p, w->buf, w->len);
    return p;
}

/* Options after the cookie, as TLVs; 0 is padding, 255 the end. */
static void
decode_options(const uint8_t *p, const uint8_t *end, wire_option *opt60, wire_option *opt77, wire_option *opt93, int *has175)
{
    uint8_t code, len;

    while (p < end) {
        code = *p++;
        if (code == 0) {
            continue;
        }
        if (code == 255 || p >= end) {
            return;
        }
        len = *p++;
        if ((size_t) (end - p) < len) {
            return;         /* truncated: Kea drops the option */
        }
        switch (code) {
        case 60:
            add(opt60, p, len);
            break;
        case 77:
            add(opt77, p, len);
            break;
        case 93:
            add(opt93, p, len);
            break;
        case 175:
            *has175 = 1;
            break;
        }
        p += len;
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alpxe_dhcp_query  q;
    alpxe_dhcp_answer a;
    uint8_t           *chaddr;
    wire_option       o60, o77, o93;
    size_t            hlen;

    if (cfg == NULL
        && alpxe_config_load_mem("fuzz.conf", conf, sizeof(conf) - 1, 0,
                                 NULL, NULL, &cfg) != 0)
    {
        abort();
    }
    if (size < BOOTP_HDR) {
        return 0;
    }

    /*
     * Kea's HWAddr: hlen bytes of the 16-byte chaddr, zero-extended when
     * hlen says more (up to 255).  Heap blocks of exactly the size the
     * core is told, so that ASan sees any read past them.
     */
    memset(&q, 0, sizeof(q));
    q.htype = data[1];
    hlen = data[2];
    chaddr = calloc(hlen ? hlen : 1, 1);
    memcpy(chaddr, data + 28, hlen < 16 ? hlen : 16);
    q.chaddr = hlen != 0 ? chaddr : NULL;
    q.hlen = hlen;

    memset(&o60, 0, sizeof(o60));
    memset(&o77, 0, sizeof(o77));
    memset(&o93, 0, sizeof(o93));
    o60.buf = malloc(size);
    o77.buf = malloc(size);
    o93.buf = malloc(size);
    if (size >= BOOTP_HDR + 4) {
        decode_options(data + BOOTP_HDR + 4, data + size, &o60, &o77, &o93,
                       &q.has_ipxe_encap);
    }
    /* exact copies: an empty option is present, with no bytes */
    q.vendor_class = o60.seen ? exact(&o60) : NULL;
    q.vendor_class_len = o60.len;
    q.user_class = o77.seen ? exact(&o77) : NULL;
    q.user_class_len = o77.len;
    q.arch = o93.seen ? exact(&o93) : NULL;
    q.arch_len = o93.len;

    alpxe_dhcp_decide(cfg, &q, &a);

    /* An answer is complete and consistent, or there is none at all. */
    if (a.reason == NULL) {
        abort();
    }
    if (a.answer) {
        if (a.stage == ALPXE_STAGE_NONE || !a.have_mac || !a.set_siaddr
            || a.file_len == 0 || a.file_len >= sizeof(a.file)
            || strlen(a.file) != a.file_len
            || memcmp(a.mac.b, q.chaddr, 6) != 0
            || (a.vendor_class_httpclient
                && a.stage != ALPXE_STAGE_HTTPBOOT)
            || (a.ipxe_no_pxedhcp && a.stage != ALPXE_STAGE_IPXE)
            || a.machine.action == ALPXE_ACTION_NONE
            || (a.machine.host != NULL
                && alpxe_host_boot(a.machine.host) == ALPXE_BOOT_OFF)
            || (a.stage != ALPXE_STAGE_IPXE && a.arch == ALPXE_ARCH_UNKNOWN)
            || (a.stage == ALPXE_STAGE_PXE && a.arch == ALPXE_ARCH_BIOS
                && a.arch_type != 0 && a.arch_type != ALPXE_ARCH_TYPE_NONE))
        {
            abort();
        }
    } else if (a.set_siaddr || a.vendor_class_httpclient
               || a.ipxe_no_pxedhcp)
    {
        abort();
    }
    free(chaddr);
    free(o60.buf);
    free(o77.buf);
    free(o93.buf);
    free((void *) q.vendor_class);
    free((void *) q.user_class);
    free((void *) q.arch);
    return 0;
}

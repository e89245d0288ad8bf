/*
 * fuzz_dhcp.c - libFuzzer target: the DHCP decision fed from raw BOOTP
 * bytes, decoded the way the Kea hook reads a packet (htype, chaddr[hlen],
 * options 60/77/93 as their raw payloads of any length, 175 present,
 * message type), against a configuration with every policy exercised.
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

/* Options after the cookie, first occurrence of each, as TLVs. */
static void
decode_options(const uint8_t *p, const uint8_t *end, alpxe_dhcp_query *q)
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
        case 53:
            if (len == 1 && q->msg_type == 0) {
                q->msg_type = p[0];
            }
            break;
        case 60:
            if (q->vendor_class == NULL) {
                q->vendor_class = p;
                q->vendor_class_len = len;
            }
            break;
        case 77:
            if (q->user_class == NULL) {
                q->user_class = p;
                q->user_class_len = len;
            }
            break;
        case 93:
            if (q->arch == NULL) {
                q->arch = p;
                q->arch_len = len;
            }
            break;
        case 175:
            q->has_ipxe_encap = 1;
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

    if (cfg == NULL
        && alpxe_config_load_mem("fuzz.conf", conf, sizeof(conf) - 1, 0,
                                 NULL, NULL, &cfg) != 0)
    {
        abort();
    }
    if (size < BOOTP_HDR) {
        return 0;
    }

    memset(&q, 0, sizeof(q));
    q.htype = data[1];
    q.hlen = data[2] <= 16 ? data[2] : 16;  /* chaddr is 16 bytes */
    q.chaddr = q.hlen != 0 ? data + 28 : NULL;
    if (size >= BOOTP_HDR + 4) {
        decode_options(data + BOOTP_HDR + 4, data + size, &q);
    }

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
            || (a.host != NULL && alpxe_host_boot(a.host) == ALPXE_BOOT_OFF))
        {
            abort();
        }
    } else if (a.set_siaddr || a.vendor_class_httpclient
               || a.ipxe_no_pxedhcp)
    {
        abort();
    }
    return 0;
}

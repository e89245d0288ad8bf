/*
 * dhcp.c - what the DHCP server answers a network-boot client.
 *
 * Three kinds of client ask: a PXE ROM (vendor class "PXEClient") gets
 * next-server and a TFTP loader for its architecture; iPXE (user class
 * "iPXE" or option 175) gets the HTTP URL of its MAC's script, which
 * breaks the chain-load loop without a custom iPXE build; UEFI HTTP boot
 * (vendor class "HTTPClient") gets a loader URL and must see "HTTPClient"
 * echoed in option 60.  Everything else is left exactly as the server
 * made it.  All inputs are untrusted wire bytes with their wire lengths.
 */

#include <string.h>

#include "config_internal.h"

static const char *const stage_names[] = {
    [ALPXE_STAGE_NONE]     = "none",
    [ALPXE_STAGE_PXE]      = "pxe",
    [ALPXE_STAGE_IPXE]     = "ipxe",
    [ALPXE_STAGE_HTTPBOOT] = "httpboot",
};

const char *
alpxe_stage_name(alpxe_stage stage)
{
    return (unsigned) stage <= ALPXE_STAGE_HTTPBOOT ? stage_names[stage]
                                                    : "none";
}

static const char *const decline_names[] = {
    [ALPXE_DECLINE_NONE]             = "none",
    [ALPXE_DECLINE_UNKNOWN_MAC]      = "unknown-mac",
    [ALPXE_DECLINE_BOOT_OFF]         = "boot-off",
    [ALPXE_DECLINE_MALFORMED]        = "malformed",
    [ALPXE_DECLINE_UNSUPPORTED_ARCH] = "unsupported-arch",
    [ALPXE_DECLINE_NO_LOADER]        = "no-loader",
    [ALPXE_DECLINE_TOO_LONG]         = "too-long",
};

const char *
alpxe_decline_name(alpxe_decline decline)
{
    return (unsigned) decline < ALPXE_DECLINE_COUNT ? decline_names[decline]
                                                    : "none";
}

static int
has_prefix(const uint8_t *p, size_t len, const char *prefix)
{
    size_t n = strlen(prefix);

    return p != NULL && len >= n && memcmp(p, prefix, n) == 0;
}

/* Option 77: iPXE sends "iPXE" bare; RFC 3004 clients send
 * length-prefixed instances.  Either form counts. */
static int
user_class_is_ipxe(const uint8_t *p, size_t len)
{
    size_t i, n;

    if (p == NULL) {
        return 0;
    }
    if (len == 4 && memcmp(p, "iPXE", 4) == 0) {
        return 1;
    }
    for (i = 0; i < len; i += n + 1) {
        n = p[i];
        if (n == 0 || n > len - i - 1) {
            return 0;
        }
        if (n == 4 && memcmp(p + i + 1, "iPXE", 4) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * The "Arch:NNNNN" field of a PXE or HTTP boot vendor class
 * ("PXEClient:Arch:00007:UNDI:003000"): five decimal digits, at most
 * 65535.  ALPXE_ARCH_TYPE_NONE when there is no such field, _BAD when it
 * is there and broken ("Arch:0000x", "Arch:99999").
 */
static long
vendor_class_arch(const uint8_t *p, size_t len)
{
    size_t i, j;
    long   v;

    if (p == NULL) {
        return ALPXE_ARCH_TYPE_NONE;
    }
    for (i = 0; i + 5 <= len; i++) {
        if (memcmp(p + i, "Arch:", 5) != 0) {
            continue;
        }
        if (len - i < 10) {
            return ALPXE_ARCH_TYPE_BAD;
        }
        v = 0;
        for (j = i + 5; j < i + 10; j++) {
            if (p[j] < '0' || p[j] > '9') {
                return ALPXE_ARCH_TYPE_BAD;
            }
            v = v * 10 + (p[j] - '0');
        }
        if (i + 10 < len && p[i + 10] >= '0' && p[i + 10] <= '9') {
            return ALPXE_ARCH_TYPE_BAD;         /* a sixth digit */
        }
        return v <= 0xffff ? v : ALPXE_ARCH_TYPE_BAD;
    }
    return ALPXE_ARCH_TYPE_NONE;
}

/*
 * The client's architecture type: option 93's first type (RFC 4578: the
 * client's preferred one), else the vendor class's Arch field.  A broken
 * option 93 falls back to a readable vendor class; one that says nothing
 * is ALPXE_ARCH_TYPE_BAD, never a guess.
 */
static long
arch_type_of(const alpxe_dhcp_query *q)
{
    long vc = vendor_class_arch(q->vendor_class, q->vendor_class_len);

    if (q->arch != NULL && q->arch_len >= 2 && q->arch_len % 2 == 0) {
        return (long) q->arch[0] << 8 | q->arch[1];
    }
    if (q->arch != NULL && vc == ALPXE_ARCH_TYPE_NONE) {
        return ALPXE_ARCH_TYPE_BAD;
    }
    return vc;
}

const char *
cfg_loader_for(const alpxe_config *cfg, const alpxe_host *h,
    alpxe_arch arch)
{
    const cfg_value *v;

    if ((unsigned) arch >= ALPXE_ARCH_COUNT) {
        return NULL;
    }
    if (h != NULL) {
        v = cfg_host_value(h, (alpxe_key) (KEY_LOADER_FIRST + arch));
        if (v != NULL) {
            return v->text;
        }
    } else if (cfg->default_profile != NULL
               && cfg->unknown == UNKNOWN_DEFAULT
               && cfg->default_profile->v[KEY_LOADER_FIRST + arch].text)
    {
        return cfg->default_profile->v[KEY_LOADER_FIRST + arch].text;
    }
    return cfg->loader[arch].text;
}

/* Only a client that gets an answer gets next-server (fuzzing found a
 * declined answer that still carried it). */
static void
answer_from(const alpxe_config *cfg, alpxe_dhcp_answer *a)
{
    a->answer = 1;
    a->set_siaddr = 1;
    memcpy(a->siaddr, cfg->address, 4);
}

static void
set_file(alpxe_dhcp_answer *a, const char *s1, size_t n1, const char *s2,
    size_t n2, const char *s3)
{
    alpxe_buf b;

    buf_init(&b, a->file, sizeof(a->file));
    buf_put(&b, s1, n1);
    buf_put(&b, s2, n2);
    buf_puts(&b, s3);
    if (buf_finish(&b) != 0) {
        a->answer = 0;
        a->set_siaddr = 0;
        a->reason = "boot file name too long";
        a->decline = ALPXE_DECLINE_TOO_LONG;
        return;
    }
    a->file_len = b.len;
}

/* The script URL: ${http}/<mac>/gpxe-script. */
static void
set_script_url(alpxe_dhcp_answer *a, const alpxe_config *cfg)
{
    char mac[ALPXE_MAC_STR];

    alpxe_mac_format(&a->mac, ':', mac);
    set_file(a, cfg->http, cfg->http_len, "/", 1, mac);
    if (a->answer) {
        alpxe_buf b;

        buf_init(&b, a->file + a->file_len, sizeof(a->file) - a->file_len);
        buf_puts(&b, "/" ALPXE_SCRIPT_NAME);
        if (buf_finish(&b) != 0) {
            a->answer = 0;
            a->set_siaddr = 0;
            a->reason = "boot file name too long";
            a->decline = ALPXE_DECLINE_TOO_LONG;
            return;
        }
        a->file_len += b.len;
    }
}

void
alpxe_dhcp_decide(const alpxe_config *cfg, const alpxe_dhcp_query *q,
    alpxe_dhcp_answer *a)
{
    const char *loader;
    int         http = 0;

    memset(a, 0, sizeof(*a));
    a->arch = ALPXE_ARCH_UNKNOWN;
    a->arch_type = arch_type_of(q);

    if (q->has_ipxe_encap
        || user_class_is_ipxe(q->user_class, q->user_class_len))
    {
        a->stage = ALPXE_STAGE_IPXE;
    } else if (has_prefix(q->vendor_class, q->vendor_class_len,
                          "HTTPClient"))
    {
        a->stage = ALPXE_STAGE_HTTPBOOT;
    } else if (has_prefix(q->vendor_class, q->vendor_class_len,
                          "PXEClient"))
    {
        a->stage = ALPXE_STAGE_PXE;
    } else {
        a->reason = "not a network-boot client";
        return;
    }

    if (q->htype != 1 || q->hlen != 6 || q->chaddr == NULL) {
        a->reason = "not an Ethernet client (htype/hlen)";
        a->decline = ALPXE_DECLINE_MALFORMED;
        return;
    }
    a->have_mac = 1;
    memcpy(a->mac.b, q->chaddr, 6);

    if (a->arch_type >= 0) {
        a->arch = alpxe_arch_from_type((unsigned) a->arch_type, &http);
    } else if (a->arch_type == ALPXE_ARCH_TYPE_NONE
               && a->stage == ALPXE_STAGE_PXE)
    {
        a->arch = ALPXE_ARCH_BIOS;  /* PXE 2.1 ROMs predate option 93 */
    }

    alpxe_machine_for(cfg, &a->mac, &a->machine);
    if (a->machine.action == ALPXE_ACTION_NONE) {
        a->reason = a->machine.reason;
        a->decline = a->machine.host != NULL ? ALPXE_DECLINE_BOOT_OFF
                                             : ALPXE_DECLINE_UNKNOWN_MAC;
        return;
    }

    /* iPXE, whatever its arch: the script's URL, whose script carries the
     * machine's action (boot or exit). */
    if (a->stage == ALPXE_STAGE_IPXE) {
        answer_from(cfg, a);
        a->reason = "iPXE: the URL of its script";
        a->ipxe_no_pxedhcp = 1;
        set_script_url(a, cfg);
        return;
    }

    if (a->arch == ALPXE_ARCH_UNKNOWN) {
        a->reason = a->arch_type == ALPXE_ARCH_TYPE_BAD
                    ? "malformed client architecture (option 93 or the "
                      "vendor class's Arch)"
                    : "unknown client architecture (option 93)";
        a->decline = a->arch_type == ALPXE_ARCH_TYPE_BAD
                     ? ALPXE_DECLINE_MALFORMED
                     : ALPXE_DECLINE_UNSUPPORTED_ARCH;
        return;
    }
    if (a->stage == ALPXE_STAGE_HTTPBOOT && !http) {
        a->reason = "UEFI HTTP boot client with an architecture that "
                    "cannot HTTP boot (option 93 is not 15, 16, 18 or 19)";
        a->decline = ALPXE_DECLINE_UNSUPPORTED_ARCH;
        return;
    }
    loader = cfg_loader_for(cfg, a->machine.host, a->arch);
    if (loader == NULL) {
        a->reason = "no loader configured for this architecture";
        a->decline = ALPXE_DECLINE_NO_LOADER;
        return;
    }

    answer_from(cfg, a);
    if (a->stage == ALPXE_STAGE_HTTPBOOT) {
        a->reason = "UEFI HTTP boot: the URL of its loader";
        a->vendor_class_httpclient = 1;
        set_file(a, cfg->http, cfg->http_len, CFG_LOADER_DIR, CFG_LOADER_DIR_LEN,
                 loader);
    } else {
        a->reason = "PXE ROM: a TFTP loader";
        set_file(a, "", 0, "", 0, loader);
    }
}

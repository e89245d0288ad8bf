/*
 * test_dhcp.c - what DHCP answers: every stage × arch (0, 6, 7, 9, 10, 11,
 * 15, 16, 19, unknown) × known/unknown MAC × boot value × unknown policy,
 * and malformed client fields.  One row per case.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>

#include <cmocka.h>

#include "helpers.h"

static const char conf_fmt[] =
    "[server]\n"
    "address = 10.0.0.28\n"
    "http    = http://10.0.0.28/pxe\n"
    "unknown = %s\n"
    "default = lts\n"
    "[loader]\n"
    "bios  = undionly.kpxe\n"
    "efi64 = snponly.efi\n"
    "arm64 = snponly-arm64.efi\n"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "[profile arm]\n"
    "kernel = boot/vmlinuz-arm\n"
    "initrd = boot/initramfs-arm\n"
    "loader_arm64 = ipxe-arm64.efi\n"
    "[host net]\n"
    "mac = 52:54:00:00:00:01\n"
    "profile = lts\n"
    "[host local]\n"
    "mac = 52:54:00:00:00:02\n"
    "boot = local\n"
    "[host off]\n"
    "mac = 52:54:00:00:00:03\n"
    "boot = off\n"
    "[host arm]\n"
    "mac = 52:54:00:00:00:04\n"
    "profile = arm\n";

enum client { PLAIN, PXE, HTTP, IPXE };
enum policy { DEFAULT, IGNORE, EXIT };

#define NET     "52:54:00:00:00:01"
#define LOCAL   "52:54:00:00:00:02"
#define OFF     "52:54:00:00:00:03"
#define ARM     "52:54:00:00:00:04"
#define STRANGE "52:54:00:99:99:99"
#define NOARCH  0x10000         /* no option 93 */
#define FFFF    0xffff          /* option 93 = ff ff: no such type */
#define BOGUS   0x42            /* an unassigned type */

#define SCRIPT(mac)  "http://10.0.0.28/pxe/" mac "/gpxe-script"
#define LOADER(file) "http://10.0.0.28/pxe/loader/" file

/* policy, MAC, client, option 93 → file (NULL: untouched), stage */
static const struct {
    enum policy  policy;
    const char  *mac;
    enum client  client;
    unsigned     arch;
    const char  *file;
    alpxe_stage  stage;
} rows[] = {
    /* known host, PXE ROM: the TFTP loader of its arch */
    { DEFAULT, NET, PXE,  0,      "undionly.kpxe",       ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  6,      NULL,                  ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  7,      "snponly.efi",         ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  9,      "snponly.efi",         ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  10,     NULL,                  ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  11,     "snponly-arm64.efi",   ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  15,     NULL,                  ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  16,     "snponly.efi",         ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  19,     "snponly-arm64.efi",   ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  BOGUS,  NULL,                  ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  NOARCH, "undionly.kpxe",       ALPXE_STAGE_PXE },
    { DEFAULT, NET, PXE,  FFFF,   NULL,                  ALPXE_STAGE_PXE },
    /* known host, UEFI HTTP boot: the loader's URL, only for the HTTP
     * boot types (15, 16, 18, 19): no BIOS or PXE type can HTTP boot */
    { DEFAULT, NET, HTTP, 0,      NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 6,      NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 7,      NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 9,      NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 10,     NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 11,     NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 15,     NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 16,     LOADER("snponly.efi"), ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, 19,     LOADER("snponly-arm64.efi"), ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, BOGUS,  NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, NOARCH, NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, NET, HTTP, FFFF,   NULL,                  ALPXE_STAGE_HTTPBOOT },
    /* known host, iPXE: its script, whatever the arch */
    { DEFAULT, NET, IPXE, 0,      SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 6,      SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 7,      SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 9,      SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 10,     SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 11,     SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 15,     SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 16,     SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, 19,     SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, BOGUS,  SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, NOARCH, SCRIPT(NET),           ALPXE_STAGE_IPXE },
    { DEFAULT, NET, IPXE, FFFF,   SCRIPT(NET),           ALPXE_STAGE_IPXE },
    /* not a network-boot client: never touched */
    { DEFAULT, NET, PLAIN, 0,     NULL,                  ALPXE_STAGE_NONE },
    { DEFAULT, NET, PLAIN, NOARCH, NULL,                 ALPXE_STAGE_NONE },
    /* a profile's own loader */
    { DEFAULT, ARM, PXE,  11,     "ipxe-arm64.efi",      ALPXE_STAGE_PXE },
    { DEFAULT, ARM, HTTP, 19,     LOADER("ipxe-arm64.efi"), ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, ARM, PXE,  7,      "snponly.efi",         ALPXE_STAGE_PXE },
    /* boot = local: the loader and the script URL (its script is exit) */
    { DEFAULT, LOCAL, PXE,  0,    "undionly.kpxe",       ALPXE_STAGE_PXE },
    { DEFAULT, LOCAL, HTTP, 16,   LOADER("snponly.efi"), ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, LOCAL, IPXE, 7,    SCRIPT(LOCAL),         ALPXE_STAGE_IPXE },
    /* boot = off: no PXE answer at all */
    { DEFAULT, OFF, PXE,  0,      NULL,                  ALPXE_STAGE_PXE },
    { DEFAULT, OFF, HTTP, 16,     NULL,                  ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, OFF, IPXE, 7,      NULL,                  ALPXE_STAGE_IPXE },
    /* unknown MAC under each policy */
    { DEFAULT, STRANGE, PXE,  0,  "undionly.kpxe",       ALPXE_STAGE_PXE },
    { DEFAULT, STRANGE, PXE,  11, "snponly-arm64.efi",   ALPXE_STAGE_PXE },
    { DEFAULT, STRANGE, HTTP, 16, LOADER("snponly.efi"), ALPXE_STAGE_HTTPBOOT },
    { DEFAULT, STRANGE, IPXE, 0,  SCRIPT(STRANGE),       ALPXE_STAGE_IPXE },
    { IGNORE,  STRANGE, PXE,  0,  NULL,                  ALPXE_STAGE_PXE },
    { IGNORE,  STRANGE, HTTP, 16, NULL,                  ALPXE_STAGE_HTTPBOOT },
    { IGNORE,  STRANGE, IPXE, 0,  NULL,                  ALPXE_STAGE_IPXE },
    { IGNORE,  NET,     PXE,  0,  "undionly.kpxe",       ALPXE_STAGE_PXE },
    { EXIT,    STRANGE, PXE,  7,  "snponly.efi",         ALPXE_STAGE_PXE },
    { EXIT,    STRANGE, HTTP, 19, LOADER("snponly-arm64.efi"), ALPXE_STAGE_HTTPBOOT },
    { EXIT,    STRANGE, IPXE, 7,  SCRIPT(STRANGE),       ALPXE_STAGE_IPXE },
    { EXIT,    OFF,     IPXE, 7,  NULL,                  ALPXE_STAGE_IPXE },
};

static alpxe_config *configs[3];

static int
setup(void **state)
{
    static const char *const policy[] = { "default", "ignore", "exit" };
    char  text[sizeof(conf_fmt) + 16];
    diags d;
    int   i;

    (void) state;
    for (i = 0; i < 3; i++) {
        snprintf(text, sizeof(text), conf_fmt, policy[i]);
        if (load_string(text, 0, &d, &configs[i]) != 0) {
            fprintf(stderr, "%s", d.text);
            return -1;
        }
    }
    return 0;
}

static int
teardown(void **state)
{
    int i;

    (void) state;
    for (i = 0; i < 3; i++) {
        alpxe_config_free(configs[i]);
    }
    return 0;
}

static void
ask(const alpxe_config *cfg, const alpxe_mac *mac, enum client client,
    unsigned arch, alpxe_dhcp_answer *a)
{
    alpxe_dhcp_query q;
    uint8_t          a93[2] = { (uint8_t) (arch >> 8), (uint8_t) arch };
    char             vendor[64];

    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.hlen = 6;
    q.chaddr = mac->b;
    if (arch != NOARCH) {
        q.arch = a93;
        q.arch_len = 2;
    }
    if (client != PLAIN) {
        /* iPXE keeps the PXE vendor class and adds its own markers. */
        snprintf(vendor, sizeof(vendor), "%s:Arch:%05u:UNDI:003001",
                 client == HTTP ? "HTTPClient" : "PXEClient",
                 arch == NOARCH ? 0 : arch);
        q.vendor_class = (const uint8_t *) vendor;
        q.vendor_class_len = arch == NOARCH ? 9 : strlen(vendor);
        if (client == HTTP && arch == NOARCH) {
            q.vendor_class_len = 10;
        }
    }
    if (client == IPXE) {
        q.user_class = (const uint8_t *) "iPXE";
        q.user_class_len = 4;
        q.has_ipxe_encap = 1;
    }
    alpxe_dhcp_decide(cfg, &q, a);
}

static void
test_table(void **state)
{
    alpxe_dhcp_answer a;
    alpxe_mac         mac;
    size_t            i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        assert_int_equal(alpxe_mac_parse(rows[i].mac, 17, &mac), 0);
        ask(configs[rows[i].policy], &mac, rows[i].client, rows[i].arch, &a);

        if (a.stage != rows[i].stage) {
            fail_msg("row %zu: stage %s, expected %s", i,
                     alpxe_stage_name(a.stage),
                     alpxe_stage_name(rows[i].stage));
        }
        if (rows[i].file == NULL) {
            if (a.answer) {
                fail_msg("row %zu: answered %s, expected untouched", i,
                         a.file);
            }
            assert_non_null(a.reason);
            /* untouched means untouched (a fuzzer finding) */
            assert_int_equal(a.set_siaddr, 0);
            assert_int_equal(a.vendor_class_httpclient, 0);
            assert_int_equal(a.ipxe_no_pxedhcp, 0);
            continue;
        }
        if (!a.answer || strcmp(a.file, rows[i].file) != 0) {
            fail_msg("row %zu: %s, expected %s", i,
                     a.answer ? a.file : a.reason, rows[i].file);
        }
        assert_int_equal(a.file_len, strlen(rows[i].file));
        assert_int_equal(a.set_siaddr, 1);
        assert_memory_equal(a.siaddr, "\x0a\x00\x00\x1c", 4);
        assert_memory_equal(a.mac.b, mac.b, 6);
        /* 60 HTTPClient only for HTTP boot, 175.176 only for iPXE */
        assert_int_equal(a.vendor_class_httpclient,
                         rows[i].client == HTTP);
        assert_int_equal(a.ipxe_no_pxedhcp, rows[i].client == IPXE);
    }
}

/* Why a network-boot client is not answered: what the Kea hook counts
 * (alpxe.declined.*) and logs.  Answered and plain clients: NONE. */
static void
test_declines(void **state)
{
    static const struct {
        enum policy     policy;
        const char     *mac;
        enum client     client;
        unsigned        arch;
        alpxe_decline   decline;
    } drows[] = {
        { DEFAULT, NET,     PXE,   0,      ALPXE_DECLINE_NONE },
        { DEFAULT, NET,     PLAIN, 0,      ALPXE_DECLINE_NONE },
        { DEFAULT, NET,     IPXE,  FFFF,   ALPXE_DECLINE_NONE },
        { IGNORE,  STRANGE, PXE,   0,      ALPXE_DECLINE_UNKNOWN_MAC },
        { IGNORE,  STRANGE, IPXE,  0,      ALPXE_DECLINE_UNKNOWN_MAC },
        { IGNORE,  STRANGE, HTTP,  16,     ALPXE_DECLINE_UNKNOWN_MAC },
        { DEFAULT, OFF,     PXE,   0,      ALPXE_DECLINE_BOOT_OFF },
        { EXIT,    OFF,     IPXE,  7,      ALPXE_DECLINE_BOOT_OFF },
        { DEFAULT, NET,     PXE,   6,      ALPXE_DECLINE_NO_LOADER },
        { DEFAULT, NET,     PXE,   10,     ALPXE_DECLINE_NO_LOADER },
        { DEFAULT, NET,     PXE,   BOGUS,  ALPXE_DECLINE_UNSUPPORTED_ARCH },
        { DEFAULT, NET,     PXE,   FFFF,   ALPXE_DECLINE_UNSUPPORTED_ARCH },
        { DEFAULT, NET,     HTTP,  7,      ALPXE_DECLINE_UNSUPPORTED_ARCH },
        { DEFAULT, NET,     HTTP,  NOARCH, ALPXE_DECLINE_UNSUPPORTED_ARCH },
    };
    static const uint8_t mac16[16] = { 0x52, 0x54, 0, 0, 0, 1 };
    static const uint8_t odd93[3] = { 0, 7, 0 };
    alpxe_dhcp_query  q;
    alpxe_dhcp_answer a;
    alpxe_mac         mac;
    size_t            i;

    (void) state;
    for (i = 0; i < sizeof(drows) / sizeof(drows[0]); i++) {
        assert_int_equal(alpxe_mac_parse(drows[i].mac, 17, &mac), 0);
        ask(configs[drows[i].policy], &mac, drows[i].client, drows[i].arch,
            &a);
        if (a.decline != drows[i].decline) {
            fail_msg("row %zu: decline %s, expected %s (%s)", i,
                     alpxe_decline_name(a.decline),
                     alpxe_decline_name(drows[i].decline),
                     a.reason != NULL ? a.reason : "");
        }
        assert_int_equal(a.answer == 0 && a.stage != ALPXE_STAGE_NONE,
                         drows[i].decline != ALPXE_DECLINE_NONE);
    }

    /* malformed: not Ethernet, or an arch that cannot be read */
    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.hlen = 16;
    q.chaddr = mac16;
    q.vendor_class = (const uint8_t *) "PXEClient";
    q.vendor_class_len = 9;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_int_equal(a.decline, ALPXE_DECLINE_MALFORMED);
    q.hlen = 6;
    q.arch = odd93;
    q.arch_len = 3;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_int_equal(a.decline, ALPXE_DECLINE_MALFORMED);

    /* the names Kea's statistics and log lines use */
    assert_string_equal(alpxe_decline_name(ALPXE_DECLINE_UNKNOWN_MAC),
                        "unknown-mac");
    assert_string_equal(alpxe_decline_name(ALPXE_DECLINE_BOOT_OFF),
                        "boot-off");
    assert_string_equal(alpxe_decline_name(ALPXE_DECLINE_MALFORMED),
                        "malformed");
    assert_string_equal(alpxe_decline_name(ALPXE_DECLINE_COUNT), "none");
}

/* Malformed or odd client fields, each with what it must get. */
static void
test_malformed(void **state)
{
    static const uint8_t mac16[16] = { 0x52, 0x54, 0, 0, 0, 1 };
    static const uint8_t odd93[3] = { 0, 7, 0 };
    static const uint8_t rfc3004[] = { 3, 'f', 'o', 'o', 4, 'i', 'P', 'X',
                                       'E' };
    static const uint8_t badlen[] = { 200, 'i', 'P', 'X', 'E' };
    static const uint8_t zero[] = { 0, 0, 0, 0 };
    alpxe_dhcp_query     q;
    alpxe_dhcp_answer    a;
    uint8_t              vc[255];
    const char          *pxe = "PXEClient:Arch:00007:UNDI:003000";

    (void) state;
    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.hlen = 6;
    q.chaddr = mac16;
    q.vendor_class = (const uint8_t *) pxe;
    q.vendor_class_len = strlen(pxe);

    /* option 93 of odd length: fall back to the vendor class's Arch */
    q.arch = odd93;
    q.arch_len = 3;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_true(a.answer);
    assert_string_equal(a.file, "snponly.efi");
    q.arch_len = 1;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_string_equal(a.file, "snponly.efi");
    q.arch = NULL;
    q.arch_len = 0;

    /* hlen 0, hlen 16, non-Ethernet: untouched */
    q.hlen = 0;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    q.hlen = 16;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    q.hlen = 6;
    q.htype = 6;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    q.htype = 1;
    q.chaddr = NULL;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    q.chaddr = mac16;

    /* truncated vendor classes are not PXE */
    q.vendor_class_len = 8;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    assert_int_equal(a.stage, ALPXE_STAGE_NONE);
    q.vendor_class_len = 0;
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);

    /* a 255-byte vendor class starting PXEClient, a broken Arch: no
     * answer (an unreadable arch is not BIOS); without Arch: BIOS */
    memset(vc, 'x', sizeof(vc));
    memcpy(vc, "PXEClient:Arch:0", 16);
    q.vendor_class = vc;
    q.vendor_class_len = sizeof(vc);
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    assert_int_equal(a.arch_type, ALPXE_ARCH_TYPE_BAD);
    memcpy(vc, "PXEClient:xxxxx0", 16);
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_true(a.answer);
    assert_int_equal(a.arch_type, ALPXE_ARCH_TYPE_NONE);
    assert_string_equal(a.file, "undionly.kpxe");
    q.vendor_class = (const uint8_t *) pxe;
    q.vendor_class_len = strlen(pxe);

    /* option 77 in RFC 3004 form counts; a lying length does not */
    q.vendor_class = NULL;
    q.vendor_class_len = 0;
    q.user_class = rfc3004;
    q.user_class_len = sizeof(rfc3004);
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_true(a.answer);
    assert_int_equal(a.stage, ALPXE_STAGE_IPXE);
    q.user_class = badlen;
    q.user_class_len = sizeof(badlen);
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
    q.user_class = zero;
    q.user_class_len = sizeof(zero);
    alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
    assert_false(a.answer);
}

/* The client's architecture, as the vendor class spells it when there is
 * no option 93: arch type seen → whether a PXE ROM gets a loader. */
static void
test_vendor_arch(void **state)
{
    static const struct {
        const char  *vendor;
        long         type;
        const char  *file;      /* NULL: not answered */
    } rows[] = {
        { "PXEClient:Arch:00000:UNDI:002001", 0,     "undionly.kpxe" },
        { "PXEClient:Arch:00007:UNDI:003000", 7,     "snponly.efi" },
        { "PXEClient:Arch:00007",             7,     "snponly.efi" },
        { "PXEClient",                        ALPXE_ARCH_TYPE_NONE,
                                                     "undionly.kpxe" },
        { "PXEClient:UNDI:002001",            ALPXE_ARCH_TYPE_NONE,
                                                     "undionly.kpxe" },
        { "PXEClient:Arch:65535:UNDI:003000", 65535, NULL },
        { "PXEClient:Arch:99999:UNDI:003000", ALPXE_ARCH_TYPE_BAD, NULL },
        { "PXEClient:Arch:0000x:UNDI:003000", ALPXE_ARCH_TYPE_BAD, NULL },
        { "PXEClient:Arch:000000:UNDI:00300", ALPXE_ARCH_TYPE_BAD, NULL },
        { "PXEClient:Arch:0000",              ALPXE_ARCH_TYPE_BAD, NULL },
        { "PXEClient:Arch:",                  ALPXE_ARCH_TYPE_BAD, NULL },
        { "HTTPClient:Arch:00016:UNDI:003001", 16,
                              "http://10.0.0.28/pxe/loader/snponly.efi" },
        { "HTTPClient:Arch:00000:UNDI:003001", 0,    NULL },
        { "HTTPClient",                       ALPXE_ARCH_TYPE_NONE, NULL },
    };
    static const uint8_t mac[6] = { 0x52, 0x54, 0, 0, 0, 1 };
    static const uint8_t odd93[3] = { 0, 7, 0 };
    alpxe_dhcp_query     q;
    alpxe_dhcp_answer    a;
    size_t               i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        memset(&q, 0, sizeof(q));
        q.htype = 1;
        q.hlen = 6;
        q.chaddr = mac;
        q.vendor_class = (const uint8_t *) rows[i].vendor;
        q.vendor_class_len = strlen(rows[i].vendor);
        alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
        if (a.arch_type != rows[i].type) {
            fail_msg("row %zu (%s): type %ld, expected %ld", i,
                     rows[i].vendor, a.arch_type, rows[i].type);
        }
        if (rows[i].file == NULL ? a.answer
            : !a.answer || strcmp(a.file, rows[i].file) != 0)
        {
            fail_msg("row %zu (%s): %s", i, rows[i].vendor,
                     a.answer ? a.file : a.reason);
        }
        /* a broken option 93 with no Arch to fall back on: no answer */
        q.arch = odd93;
        q.arch_len = 3;
        alpxe_dhcp_decide(configs[DEFAULT], &q, &a);
        if (rows[i].type == ALPXE_ARCH_TYPE_NONE
            && (a.answer || a.arch_type != ALPXE_ARCH_TYPE_BAD))
        {
            fail_msg("row %zu (%s) with a 3-byte option 93: answered", i,
                     rows[i].vendor);
        }
    }
}

/* A script URL that overflows the file field still fits the answer. */
static void
test_long_urls(void **state)
{
    alpxe_config     *cfg;
    alpxe_dhcp_query  q;
    alpxe_dhcp_answer a;
    alpxe_mac         mac;
    diags             d;

    (void) state;
    assert_int_equal(load_string("[server]\naddress = 10.0.0.28\nhttp = "
        "http://boot.example.org/a/long/path/to/the/alpxe/module/of/this/"
        "site/that/goes/on/for/quite/a/while\n" PROFILE
        "[host a]\nmac = 52:54:00:00:00:01\nprofile = lts\n", 0, &d, &cfg),
        0);
    assert_int_equal(d.warnings, 1);
    assert_int_equal(alpxe_mac_parse(NET, 17, &mac), 0);
    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.hlen = 6;
    q.chaddr = mac.b;
    q.has_ipxe_encap = 1;
    alpxe_dhcp_decide(cfg, &q, &a);
    assert_true(a.answer);
    assert_true(a.file_len > ALPXE_DHCP_FILE_MAX);
    assert_int_equal(strlen(a.file), a.file_len);
    assert_non_null(strstr(a.file, "/52:54:00:00:00:01/gpxe-script"));
    alpxe_config_free(cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_table),
        cmocka_unit_test(test_malformed),
        cmocka_unit_test(test_declines),
        cmocka_unit_test(test_vendor_arch),
        cmocka_unit_test(test_long_urls),
    };

    return cmocka_run_group_tests_name("dhcp", tests, setup, teardown);
}

/*
 * test_tftp.c - which file a TFTP request name gets: the reference
 * mapping alpxe-remap's rules must reproduce.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>

#include <cmocka.h>

#include "helpers.h"

static const char conf_fmt[] =
    SERVER
    "[loader]\n"
    "bios  = undionly.kpxe\n"
    "efi64 = snponly.efi\n"
    "arm64 = arm/snponly-arm64.efi\n"
    "[tftp]\n"
    "case  = %s\n"
    "alias = pxelinux.0 bios\n"
    "alias = boot\\x64.efi efi64\n"
    "alias = legacy.kpxe undionly.kpxe\n"
    PROFILE
    "loader_efi32 = ipxe32.efi\n";

/* request → file (NULL: denied), case-insensitive (1) or not (0) */
static const struct {
    const char *name;
    int         nocase;
    const char *file;
} rows[] = {
    { "undionly.kpxe",          1, "undionly.kpxe" },
    { "/undionly.kpxe",         1, "undionly.kpxe" },
    { "//undionly.kpxe",        1, "undionly.kpxe" },
    { "\\undionly.kpxe",        1, "undionly.kpxe" },
    { "UNDIONLY.KPXE",          1, "undionly.kpxe" },
    { "UNDIONLY.KPXE",          0, "UNDIONLY.KPXE" },
    { "Snponly.EFI",            1, "snponly.efi" },
    { "arm\\snponly-arm64.efi", 1, "arm/snponly-arm64.efi" },
    { "ARM/SNPONLY-ARM64.EFI",  1, "arm/snponly-arm64.efi" },
    { "ipxe32.efi",             1, "ipxe32.efi" },          /* a profile's */
    { "gpxe.kpxe",              1, "undionly.kpxe" },       /* built in */
    { "/GPXE.KPXE",             1, "undionly.kpxe" },
    { "pxelinux.0",             1, "undionly.kpxe" },
    { "boot/x64.efi",           1, "snponly.efi" },
    { "legacy.kpxe",            1, "undionly.kpxe" },
    { "other/file.txt",         1, "other/file.txt" },      /* passes */
    { "\\other\\file.txt",      1, "other/file.txt" },
    { "..",                     1, NULL },
    { "../etc/passwd",          1, NULL },
    { "/a/../../etc/passwd",    1, NULL },
    { "a\\..\\b",               1, NULL },
    { "a/..",                   1, NULL },
    { "a..b/..c",               1, "a..b/..c" },            /* not ".." */
    { "x\x01y",                 1, NULL },
};

static void
test_resolve(void **state)
{
    alpxe_config *cfg[2];
    char          text[sizeof(conf_fmt) + 16], out[256];
    diags         d;
    size_t        i;
    int           rc;

    (void) state;
    snprintf(text, sizeof(text), conf_fmt, "sensitive");
    if (load_string(text, 0, &d, &cfg[0]) != 0) {
        fail_msg("%s", d.text);
    }
    snprintf(text, sizeof(text), conf_fmt, "insensitive");
    assert_int_equal(load_string(text, 0, &d, &cfg[1]), 0);
    assert_int_equal(alpxe_tftp_case_insensitive(cfg[0]), 0);
    assert_int_equal(alpxe_tftp_case_insensitive(cfg[1]), 1);

    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        rc = alpxe_tftp_resolve(cfg[rows[i].nocase], rows[i].name,
                                strlen(rows[i].name), out, sizeof(out));
        if (rows[i].file == NULL) {
            if (rc != -EACCES) {
                fail_msg("row %zu: \"%s\" -> %s, expected denied", i,
                         rows[i].name, rc == 0 ? out : "error");
            }
            continue;
        }
        if (rc != 0 || strcmp(out, rows[i].file) != 0) {
            fail_msg("row %zu: \"%s\" -> %s, expected %s", i, rows[i].name,
                     rc == 0 ? out : "error", rows[i].file);
        }
    }
    alpxe_config_free(cfg[0]);
    alpxe_config_free(cfg[1]);
}

static void
test_tables(void **state)
{
    alpxe_config *cfg;
    const char   *name, *target;
    char          out[8];
    char          big[600], text[sizeof(conf_fmt) + 16];
    diags         d;

    (void) state;
    snprintf(text, sizeof(text), conf_fmt, "insensitive");
    assert_int_equal(load_string(text, 0, &d, &cfg), 0);
    /* [loader] and the profile's loader, each once */
    assert_int_equal(alpxe_tftp_loader_count(cfg), 4);
    assert_string_equal(alpxe_tftp_loader(cfg, 0), "undionly.kpxe");
    assert_string_equal(alpxe_tftp_loader(cfg, 3), "ipxe32.efi");
    /* three declared aliases and the built-in gpxe.kpxe */
    assert_int_equal(alpxe_tftp_alias_count(cfg), 4);
    alpxe_tftp_alias(cfg, 1, &name, &target);
    assert_string_equal(name, "boot/x64.efi");    /* normalised */
    assert_string_equal(target, "snponly.efi");
    alpxe_tftp_alias(cfg, 3, &name, &target);
    assert_string_equal(name, "gpxe.kpxe");
    assert_string_equal(target, "undionly.kpxe");
    assert_string_equal(alpxe_tftp_root(cfg), "/srv/tftp");
    assert_string_equal(alpxe_tftp_source(cfg), "/usr/lib/ipxe");

    assert_int_equal(alpxe_tftp_resolve(cfg, "undionly.kpxe", 13, out,
                                        sizeof(out)), -ENAMETOOLONG);
    memset(big, 'a', sizeof(big));
    assert_int_equal(alpxe_tftp_resolve(cfg, big, sizeof(big), NULL, 0),
                     -ENAMETOOLONG);
    alpxe_config_free(cfg);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_resolve),
        cmocka_unit_test(test_tables),
    };

    return cmocka_run_group_tests_name("tftp", tests, NULL, NULL);
}

/*
 * test_mac.c - MAC spellings, one row per case.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "alpxe.h"

static const struct {
    const char *in;
    const char *out;            /* colon form, or NULL: rejected */
} rows[] = {
    { "52:54:00:12:34:56",     "52:54:00:12:34:56" },
    { "52-54-00-12-34-56",     "52:54:00:12:34:56" },
    { "5254.0012.3456",        "52:54:00:12:34:56" },
    { "525400123456",          "52:54:00:12:34:56" },
    { "52:54:00:AB:CD:EF",     "52:54:00:ab:cd:ef" },
    { "52-54-00-Ab-cD-eF",     "52:54:00:ab:cd:ef" },
    { "5254.00AB.CDEF",        "52:54:00:ab:cd:ef" },
    { "01-52-54-00-12-34-56",  "52:54:00:12:34:56" },     /* BOOTIF */
    { "2:54:0:12:34:5",        "02:54:00:12:34:05" },     /* one digit */
    { "ff:ff:ff:ff:ff:ff",     "ff:ff:ff:ff:ff:ff" },
    { "",                      NULL },
    { "52:54:00:12:34",        NULL },                    /* 5 octets */
    { "52:54:00:12:34:56:78",  NULL },                    /* 7 octets */
    { "52:54:00:12:34:5g",     NULL },
    { "52:54-00:12:34:56",     NULL },                    /* mixed */
    { "52::54:00:12:34",       NULL },                    /* empty octet */
    { "052:54:00:12:34:56",    NULL },                    /* 3 digits */
    { "52:54:00:12:34:56:",    NULL },
    { ":52:54:00:12:34:56",    NULL },
    { "5254.0012.345",         NULL },
    { "525.4001.23456",        NULL },
    { "5254.0012.3456.",       NULL },
    { "52540012345",           NULL },                    /* 11 digits */
    { "5254001234567",         NULL },
    { "02-52-54-00-12-34-56",  NULL },                    /* not type 1 */
    { "01:52:54:00:12:34:56",  NULL },
    { "01-52-54-00-12-34-5",   NULL },
    { " 52:54:00:12:34:56",    NULL },
    { "52:54:00:12:34:56 ",    NULL },
    { "52%3A54%3A00%3A12%3A34%3A56", NULL },              /* decode first */
    { "../../etc/passwd",      NULL },
};

static void
test_parse(void **state)
{
    char   out[ALPXE_MAC_STR];
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        alpxe_mac mac;
        int       rc = alpxe_mac_parse(rows[i].in, strlen(rows[i].in), &mac);

        if (rows[i].out == NULL) {
            if (rc == 0) {
                fail_msg("accepted \"%s\"", rows[i].in);
            }
            continue;
        }
        if (rc != 0) {
            fail_msg("rejected \"%s\"", rows[i].in);
        }
        alpxe_mac_format(&mac, ':', out);
        if (strcmp(out, rows[i].out) != 0) {
            fail_msg("\"%s\" -> %s, expected %s", rows[i].in, out,
                     rows[i].out);
        }
    }
}

static void
test_length_is_honoured(void **state)
{
    alpxe_mac mac;

    (void) state;
    /* Only the given length is read: a longer buffer must not leak in. */
    assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56:ff", 17, &mac), 0);
    assert_int_equal(mac.b[5], 0x56);
    assert_int_not_equal(alpxe_mac_parse("52:54:00:12:34:56", 15, &mac), 0);
    assert_int_not_equal(alpxe_mac_parse(NULL, 0, &mac), 0);
}

static void
test_format_dash(void **state)
{
    alpxe_mac mac = {{ 0x52, 0x54, 0x00, 0xab, 0x0c, 0xef }};
    char      out[ALPXE_MAC_STR];

    (void) state;
    alpxe_mac_format(&mac, '-', out);
    assert_string_equal(out, "52-54-00-ab-0c-ef");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_parse),
        cmocka_unit_test(test_length_is_honoured),
        cmocka_unit_test(test_format_dash),
    };

    return cmocka_run_group_tests_name("mac", tests, NULL, NULL);
}

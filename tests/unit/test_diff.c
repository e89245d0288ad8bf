/*
 * test_diff.c - texts kept as their difference from a reference come back
 * byte for byte, and keep only the bytes that differ.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "diff.h"

static void
test_round_trip(void **state)
{
    /* reference, text, bytes kept for the text */
    static const struct {
        const char *ref, *text;
        size_t      mid;
    } rows[] = {
        { "kernel ip=10.0.0.1 BOOTIF=01-aa", "kernel ip=10.0.0.1 BOOTIF=01-aa", 0 },
        { "kernel ip=10.0.0.1 BOOTIF=01-aa", "kernel ip=10.0.0.22 BOOTIF=01-aa", 2 },
        { "kernel ip=10.0.0.1 BOOTIF=01-aa", "kernel ip=10.0.0.22 BOOTIF=01-ab", 15 },
        { "abcabc", "abc", 0 },             /* the text is ref's prefix */
        { "abc", "abcabc", 3 },             /* ref is the text's prefix */
        { "xyzabc", "abc", 0 },             /* the text is ref's suffix */
        { "abc", "", 0 },
        { "abc", "xyz", 3 },
        { "aaaa", "aa", 0 },                /* head and tail overlap */
        { "aa", "aaaa", 2 },
        { "#!ipxe\nkernel a\nboot\n", "#!ipxe\nkernel bc\nboot\n", 2 },
    };
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        arena        a = { NULL };
        cfg_diff_ref ref = { NULL, 0 };
        cfg_diff     first, d;
        char         out[64];
        size_t       len = strlen(rows[i].text);

        /* the first text kept becomes the reference */
        assert_int_equal(cfg_diff_keep(&a, &ref, rows[i].ref,
                                       strlen(rows[i].ref), &first), 0);
        assert_int_equal(first.mid_len, 0);
        assert_int_equal(cfg_diff_len(&first), strlen(rows[i].ref));

        assert_int_equal(cfg_diff_keep(&a, &ref, rows[i].text, len, &d), 0);
        if (cfg_diff_len(&d) != len || d.mid_len != rows[i].mid) {
            fail_msg("row %zu: %zu bytes with %u kept; expected %zu with %zu",
                     i, cfg_diff_len(&d), (unsigned) d.mid_len, len,
                     rows[i].mid);
        }
        cfg_diff_copy(&d, out);
        assert_memory_equal(out, rows[i].text, len);
        cfg_diff_copy(&first, out);
        assert_memory_equal(out, rows[i].ref, strlen(rows[i].ref));
        arena_free(&a);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_round_trip),
    };

    return cmocka_run_group_tests_name("diff", tests, NULL, NULL);
}

/*
 * test_bootlog_time.c - the log timestamps `alpxe log` reads: each
 * server's format to milliseconds since the epoch, where the time ends,
 * and what is not a time.  Local times are read with TZ=UTC here, so the
 * figures are the same on every machine.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include <cmocka.h>

#include "bootlog.h"

/* 2026-11-27 12:00:00 UTC: "now" for the formats without a year */
#define NOW_MS  1795780800000LL

static int
parse(const char *text, long long now_ms, long long *ms, int *whole_s,
    size_t *used)
{
    const char *after = NULL;
    int         rc;

    rc = blog_time_parse(text, text + strlen(text), now_ms, ms, whole_s,
                         &after);
    *used = rc == 0 ? (size_t) (after - text) : 0;
    return rc;
}

static void
test_formats(void **state)
{
    /* line start, now, milliseconds, whole seconds, bytes of the time */
    static const struct {
        const char *text;
        long long   now, ms;
        int         whole_s;
        size_t      used;
    } rows[] = {
        /* Kea: local time, milliseconds */
        { "2026-11-27 10:49:41.723 INFO", NOW_MS, 1795776581723LL, 0, 23 },
        /* RFC 3339 with a zone; a fraction of any length */
        { "2026-11-27T10:49:41.1+01:00 x", NOW_MS, 1795772981100LL, 0, 27 },
        { "2026-11-27T10:49:41.123456+0100", NOW_MS, 1795772981123LL, 0, 31 },
        { "2026-11-27T10:49:41Z", NOW_MS, 1795776581000LL, 1, 20 },
        { "2026-11-27T10:49:41-02:30 x", NOW_MS, 1795785581000LL, 1, 25 },
        /* syslog: no year, this one unless that is a day ahead of now */
        { "Nov 27 10:49:41 host in.tftpd", NOW_MS, 1795776581000LL, 1, 15 },
        { "Nov  7 01:02:03 host", NOW_MS, 1794013323000LL, 1, 15 },
        { "Dec 31 23:59:59 host", 1798762200000LL, 1798761599000LL, 1, 15 },
        { "Dec 31 23:59:59 host", NOW_MS, 1767225599000LL, 1, 15 },
        /* nginx's $time_local and $msec */
        { "27/Nov/2026:10:49:41 +0100] \"GET", NOW_MS, 1795772981000LL, 1,
          26 },
        { "1795779588.981 10.0.0.5", NOW_MS, 1795779588981LL, 0, 14 },
    };
    long long ms;
    size_t    i, used;
    int       whole_s;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        ms = -1;
        whole_s = -1;
        if (parse(rows[i].text, rows[i].now, &ms, &whole_s, &used) != 0) {
            fail_msg("not read as a time: \"%s\"", rows[i].text);
        }
        if (ms != rows[i].ms || whole_s != rows[i].whole_s
            || used != rows[i].used)
        {
            fail_msg("\"%s\": %lld ms, whole %d, %zu bytes; want %lld, %d, "
                     "%zu", rows[i].text, ms, whole_s, used, rows[i].ms,
                     rows[i].whole_s, rows[i].used);
        }
    }
}

static void
test_not_times(void **state)
{
    static const char *const rows[] = {
        "",
        "INFO 2026-11-27 10:49:41",         /* not at the start */
        "2026-13-01 00:00:00",              /* month 13 */
        "2026-11-27 24:00:00",
        "2026-11-27 10:60:00",
        "2026-11-27 10:49",                 /* no seconds */
        "2026-11-27 10:49:41.",             /* '.' and no digits */
        "2026-11-27T10:49:41+25:00",        /* a zone past 23 hours */
        "1969-12-31 23:59:59",
        "Foo 27 10:49:41",
        "Nov 27 10:49",
        "27/Nov/2026:10:49:41",             /* $time_local needs its zone */
        "27/Nov/2026:10:49:41 x",
        "179577958.981",                    /* 9 digits: not $msec */
        "17957795889.981",
        "1795779588 10.0.0.5",              /* $msec has its fraction */
    };
    long long ms;
    size_t    i, used;
    int       whole_s;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        if (parse(rows[i], NOW_MS, &ms, &whole_s, &used) == 0) {
            fail_msg("\"%s\" read as a time (%lld ms, %zu bytes)", rows[i],
                     ms, used);
        }
    }
}

static void
test_format_back(void **state)
{
    char out[64];

    (void) state;
    blog_time_format(1795776581723LL, 0, 1, out, sizeof(out));
    assert_string_equal(out, "2026-11-27 10:49:41.723");
    blog_time_format(1795776581723LL, 1, 0, out, sizeof(out));
    assert_string_equal(out, "10:49:41");
    blog_time_iso(1795776581007LL, out, sizeof(out));
    assert_string_equal(out, "2026-11-27T10:49:41.007Z");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_not_times),
        cmocka_unit_test(test_format_back),
    };

    setenv("TZ", "UTC", 1);
    tzset();
    return cmocka_run_group_tests(tests, NULL, NULL);
}

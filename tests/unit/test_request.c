/*
 * test_request.c - what a request asks for, from its path and query:
 * the script's MAC (alpxe_request_mac), and the MAC, document and menu
 * choice (alpxe_request_parse), one row per case.  Paths are as nginx
 * hands them over: below the location, already percent-decoded; queries
 * raw.
 */

#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "alpxe.h"

#define TAIL    ALPXE_REQUEST_TAIL
#define NUC1    "52:54:00:12:34:56"
#define P(s)    s, sizeof(s) - 1

static const struct {
    const char *path;
    size_t      path_len;       /* sizeof - 1: a NUL inside counts */
    const char *query;          /* NULL: no query string */
    unsigned    flags;
    int         rc;
    const char *mac;            /* when rc == 0 */
} rows[] = {
    /* the path form, every spelling the MAC parser takes */
    { P(NUC1 "/gpxe-script"),               NULL, 0, 0, NUC1 },
    { P("52-54-00-12-34-56/gpxe-script"),   NULL, 0, 0, NUC1 },
    { P("5254.0012.3456/gpxe-script"),      NULL, 0, 0, NUC1 },
    { P("525400123456/gpxe-script"),        NULL, 0, 0, NUC1 },
    { P("01-52-54-00-12-34-56/gpxe-script"), NULL, 0, 0, NUC1 },
    { P("52:54:00:AB:CD:EF/gpxe-script"),   NULL, 0, 0, "52:54:00:ab:cd:ef" },
    { P(NUC1 "/gpxe-script"),     "mac=52:54:00:00:00:01", 0, 0, NUC1 },

    /* the query form */
    { P("gpxe-script"), "mac=" NUC1,                      0, 0, NUC1 },
    { P("gpxe-script"), "mac=52%3A54%3A00%3A12%3A34%3A56", 0, 0, NUC1 },
    { P("gpxe-script"), "mac=52%3a54%3a00%3a12%3a34%3a56", 0, 0, NUC1 },
    { P("gpxe-script"), "arch=7&mac=5254.0012.3456&x=y",  0, 0, NUC1 },
    { P("gpxe-script"), "MAC=" NUC1,                      0, 0, NUC1 },
    { P("gpxe-script"), "mac=" NUC1 "&mac=00:00:00:00:00:01", 0, 0, NUC1 },
    { P("gpxe-script"), "xmac=1&mac=" NUC1,               0, 0, NUC1 },
    { P("gpxe-script"), "&&mac=" NUC1 "&",                0, 0, NUC1 },
    { P("gpxe-script"), "%6dac=" NUC1,                    0, -EINVAL, NULL },
    { P("gpxe-script"), NULL,                             0, -EINVAL, NULL },
    { P("gpxe-script"), "",                               0, -EINVAL, NULL },
    { P("gpxe-script"), "mac",                            0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=",                           0, -EINVAL, NULL },
    { P("gpxe-script"), "xmac=" NUC1,                     0, -EINVAL, NULL },
    { P("gpxe-script"), "macs=" NUC1,                     0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=nonsense",                   0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=" NUC1 "%00",                0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=52%3A54%00%3A00%3A12%3A34%3A56", 0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=52%:54:00:12:34:56",         0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=52:54:00:12:34:5%",          0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=52:54:00:12:34:%5",          0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=52:54:00:12:34:56+",         0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=%2052:54:00:12:34:56",       0, -EINVAL, NULL },
    /* 64 decoded bytes is the most looked at; each row is past it */
    { P("gpxe-script"), "mac=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa"
                     "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",   0, -EINVAL, NULL },
    { P("gpxe-script"), "mac=%35%32%3A%35%34%3A%30%30%3A%31%32%3A%33%34%3A%35%36",
                                                       0, 0, NUC1 },

    /* malformed MACs in the path */
    { P("52:54:00:12:34/gpxe-script"),      NULL, 0, -EINVAL, NULL },
    { P("zz:54:00:12:34:56/gpxe-script"),   NULL, 0, -EINVAL, NULL },
    { P(NUC1 "\0/gpxe-script"),             NULL, 0, -EINVAL, NULL },
    { P("../gpxe-script"),                  NULL, 0, -EINVAL, NULL },
    { P("52%3A54%3A00%3A12%3A34%3A56/gpxe-script"), NULL, 0, -EINVAL, NULL },

    /* paths that name no script */
    { P(""),                                NULL, 0, -ENOENT, NULL },
    { P("/"),                               NULL, 0, -ENOENT, NULL },
    { P(NUC1),                              NULL, 0, -ENOENT, NULL },
    { P(NUC1 "/"),                          NULL, 0, -ENOENT, NULL },
    { P(NUC1 "/other"),                     NULL, 0, -ENOENT, NULL },
    { P(NUC1 "/gpxe-script/x"),             NULL, 0, -ENOENT, NULL },
    { P(NUC1 "/GPXE-SCRIPT"),               NULL, 0, -ENOENT, NULL },
    { P(NUC1 "/gpxe-scrip"),                NULL, 0, -ENOENT, NULL },
    { P(NUC1 "gpxe-script"),                NULL, 0, -ENOENT, NULL },
    { P("a/" NUC1 "/gpxe-script"),          NULL, 0, -ENOENT, NULL },
    /* empty segments are skipped (tiny-cloud's "<seed>/" + "/meta-data") */
    { P("/gpxe-script"),                    NULL, 0, -EINVAL, NULL },
    { P("/gpxe-script"), "mac=" NUC1,       0, 0, NUC1 },
    { P(NUC1 "//gpxe-script"),              NULL, 0, 0, NUC1 },
    /* not the script */
    { P(NUC1 "/meta-data"),                 NULL, 0, -ENOENT, NULL },
    { P("gpxe-script/"),  "mac=" NUC1,      0, -ENOENT, NULL },
    { P("x/gpxe-script/"), NULL,            0, -ENOENT, NULL },

    /* TAIL: a whole URI path, as a regular expression location gives it */
    { P("/re/any/where/" NUC1 "/gpxe-script"), NULL, TAIL, 0, NUC1 },
    { P("/re/x/gpxe-script"), "mac=" NUC1,     TAIL, 0, NUC1 },
    { P("/re/" NUC1 "/gpxe-script"), "mac=00:00:00:00:00:01", TAIL, 0,
      "00:00:00:00:00:01" },
    { P("/" NUC1 "/gpxe-script"),              NULL, TAIL, 0, NUC1 },
    { P("/gpxe-script"), "mac=" NUC1,          TAIL, 0, NUC1 },
    { P("gpxe-script"), "mac=" NUC1,           TAIL, 0, NUC1 },
    { P(NUC1 "/gpxe-script"),                  NULL, TAIL, 0, NUC1 },
    { P("/re/x/gpxe-script"),                  NULL, TAIL, -EINVAL, NULL },
    { P("/re/x/gpxe-script"), "mac=bad",       TAIL, -EINVAL, NULL },
    { P("/re/gpxe-script"), NULL,              TAIL, -EINVAL, NULL },
    { P("gpxe-script"), NULL,                  TAIL, -EINVAL, NULL },
    { P("/gpxe-script"),                       NULL, TAIL, -EINVAL, NULL },
    { P("//gpxe-script"),                      NULL, TAIL, -EINVAL, NULL },
    { P("/re/" NUC1 "/other"),                 NULL, TAIL, -ENOENT, NULL },
    { P("/re/" NUC1 "/gpxe-script/"),          NULL, TAIL, -ENOENT, NULL },
    { P("/re/" NUC1),                          NULL, TAIL, -ENOENT, NULL },
    { P(""),                                   NULL, TAIL, -ENOENT, NULL },
    { P("/"),                                  NULL, TAIL, -ENOENT, NULL },
};

#define ROWS    (sizeof(rows) / sizeof(rows[0]))

/* A copy in a heap block of exactly n bytes, no NUL after it: a read past
 * the given length is a sanitizer report, not a silent pass. */
static char *
exact(const char *s, size_t n)
{
    char *p = malloc(n ? n : 1);

    assert_non_null(p);
    memcpy(p, s, n);
    return p;
}

static void
test_rows(void **state)
{
    size_t i;

    (void) state;
    for (i = 0; i < ROWS; i++) {
        alpxe_mac   mac = {{ 0xee, 0xee, 0xee, 0xee, 0xee, 0xee }};
        size_t      plen = rows[i].path_len;
        size_t      qlen = rows[i].query ? strlen(rows[i].query) : 0;
        char       *path = exact(rows[i].path, plen);
        char       *query = rows[i].query ? exact(rows[i].query, qlen) : NULL;
        char        text[ALPXE_MAC_STR];
        int         rc;

        rc = alpxe_request_mac(path, plen, query, qlen, rows[i].flags, &mac);
        free(path);
        free(query);
        if (rc != rows[i].rc) {
            fail_msg("row %zu \"%s\" ? \"%s\" (flags %u): %d, expected %d",
                     i, rows[i].path, rows[i].query ? rows[i].query : "",
                     rows[i].flags, rc, rows[i].rc);
        }
        alpxe_mac_format(&mac, ':', text);
        if (rc == 0 && strcmp(text, rows[i].mac) != 0) {
            fail_msg("row %zu \"%s\": %s, expected %s", i, rows[i].path,
                     text, rows[i].mac);
        }
        if (rc != 0 && strcmp(text, "ee:ee:ee:ee:ee:ee") != 0) {
            fail_msg("row %zu \"%s\": mac written on failure (%s)", i,
                     rows[i].path, text);
        }
    }
}

static void
test_length_is_honoured(void **state)
{
    alpxe_mac mac;

    (void) state;
    /* Only the given lengths are read. */
    assert_int_equal(alpxe_request_mac(NUC1 "/gpxe-scriptXYZ", 29, NULL, 0,
                                       0, &mac), 0);
    assert_int_equal(alpxe_request_mac("gpxe-script/x", 11, "mac=" NUC1 "ff",
                                       21, 0, &mac), 0);
    assert_int_equal(mac.b[5], 0x56);
    assert_int_equal(alpxe_request_mac("gpxe-script", 11, "mac=" NUC1, 3, 0,
                                       &mac), -EINVAL);
    assert_int_equal(alpxe_request_mac(NULL, 0, NULL, 0, 0, &mac), -ENOENT);
    assert_int_equal(alpxe_request_mac(NULL, 0, NULL, 0, TAIL, &mac), -ENOENT);
}

#define META    ALPXE_DOC_META_DATA
#define USER    ALPXE_DOC_USER_DATA
#define SCRIPT  ALPXE_DOC_SCRIPT

/* path, query, flags → rc, the MAC (NULL: none), document, choice */
static const struct {
    const char *path;
    size_t      path_len;
    const char *query;
    unsigned    flags;
    int         rc;
    const char *mac;
    alpxe_doc   doc;
    const char *profile;
} parse[] = {
    /* the classic embedded loader: no MAC anywhere */
    { P("gpxe-script"),         NULL, 0, 0, NULL, SCRIPT, "" },
    { P("/gpxe-script"),        NULL, 0, 0, NULL, SCRIPT, "" },
    { P("gpxe-script"),         "mac=",  0, -EINVAL, NULL, SCRIPT, "" },
    { P("gpxe-script"),         NULL, TAIL, -EINVAL, NULL, SCRIPT, "" },
    { P("gpxe-script/"),        NULL, 0, -ENOENT, NULL, SCRIPT, "" },
    /* the script and a menu's choice */
    { P(NUC1 "/gpxe-script"),   NULL, 0, 0, NUC1, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=lts", 0, 0, NUC1, SCRIPT, "lts" },
    { P(NUC1 "/gpxe-script"),   "x=1&PROFILE=v-2.x_y", 0, 0, NUC1, SCRIPT, "v-2.x_y" },
    { P(NUC1 "/gpxe-script"),   "profile=%6c%74%73", 0, 0, NUC1, SCRIPT, "lts" },
    { P("gpxe-script"),         "mac=" NUC1 "&profile=lts", 0, 0, NUC1, SCRIPT, "lts" },
    { P(NUC1 "/gpxe-script"),   "profile=", 0, -ENOENT, NULL, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=-x", 0, -ENOENT, NULL, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=..", 0, -ENOENT, NULL, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=a%20b", 0, -ENOENT, NULL, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=a%2", 0, -EINVAL, NULL, SCRIPT, "" },
    { P(NUC1 "/gpxe-script"),   "profile=aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa",
                                0, -ENOENT, NULL, SCRIPT, "" },
    /* NoCloud documents, tiny-cloud's double slash included */
    { P(NUC1 "/meta-data"),     NULL, 0, 0, NUC1, META, "" },
    { P(NUC1 "//meta-data"),    NULL, 0, 0, NUC1, META, "" },
    { P(NUC1 "//user-data"),    NULL, 0, 0, NUC1, USER, "" },
    { P("52-54-00-12-34-56/vendor-data"), NULL, 0, 0, NUC1,
      ALPXE_DOC_VENDOR_DATA, "" },
    { P(NUC1 "/network-config"), NULL, 0, 0, NUC1,
      ALPXE_DOC_NETWORK_CONFIG, "" },
    { P(NUC1 "/lts//meta-data"), NULL, 0, 0, NUC1, META, "lts" },
    { P(NUC1 "/meta-data"),     "profile=lts", 0, 0, NUC1, META, "" },
    { P("zz/meta-data"),        NULL, 0, -EINVAL, NULL, META, "" },
    { P("x/" NUC1 "/meta-data"), NULL, 0, -ENOENT, NULL, META, "" },
    { P(NUC1 "/-x/meta-data"),  NULL, 0, -ENOENT, NULL, META, "" },
    { P("a/" NUC1 "/lts/meta-data"), NULL, 0, -ENOENT, NULL, META, "" },
    { P(NUC1 "/meta-data/"),    NULL, 0, -ENOENT, NULL, META, "" },
    { P(NUC1 "/META-DATA"),     NULL, 0, -ENOENT, NULL, META, "" },
    { P(NUC1 "/lts/gpxe-script"), NULL, 0, -ENOENT, NULL, SCRIPT, "" },
    { P("meta-data"),           "mac=" NUC1, 0, -ENOENT, NULL, META, "" },
    /* TAIL reads from the end */
    { P("/re/x/" NUC1 "//meta-data"), NULL, TAIL, 0, NUC1, META, "" },
    { P("/re/" NUC1 "/lts/user-data"), NULL, TAIL, 0, NUC1, USER, "lts" },
    { P("/re/x/y/meta-data"),   NULL, TAIL, -ENOENT, NULL, META, "" },
};

static void
test_parse(void **state)
{
    size_t i;

    (void) state;
    for (i = 0; i < sizeof(parse) / sizeof(parse[0]); i++) {
        alpxe_request req;
        size_t        qlen = parse[i].query ? strlen(parse[i].query) : 0;
        char         *path = exact(parse[i].path, parse[i].path_len);
        char         *query = parse[i].query ? exact(parse[i].query, qlen)
                                             : NULL;
        char          text[ALPXE_MAC_STR];
        int           rc;

        rc = alpxe_request_parse(path, parse[i].path_len, query, qlen,
                                 parse[i].flags, &req);
        free(path);
        free(query);
        if (rc != parse[i].rc) {
            fail_msg("row %zu \"%s\" ? \"%s\": %d, expected %d", i,
                     parse[i].path, parse[i].query ? parse[i].query : "",
                     rc, parse[i].rc);
        }
        if (rc != 0) {
            continue;
        }
        assert_int_equal(req.have_mac, parse[i].mac != NULL);
        if (parse[i].mac != NULL) {
            alpxe_mac_format(&req.mac, ':', text);
            assert_string_equal(text, parse[i].mac);
        }
        if (req.doc != parse[i].doc
            || strcmp(req.profile, parse[i].profile) != 0)
        {
            fail_msg("row %zu \"%s\": %s \"%s\", expected %s \"%s\"", i,
                     parse[i].path, alpxe_doc_name(req.doc), req.profile,
                     alpxe_doc_name(parse[i].doc), parse[i].profile);
        }
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rows),
        cmocka_unit_test(test_length_is_honoured),
        cmocka_unit_test(test_parse),
    };

    return cmocka_run_group_tests_name("request", tests, NULL, NULL);
}

/*
 * test_kept.c - alpxe_config_load_kept(): the last good version of
 * alpxe.conf.  One row per thing that can happen to the file after a good
 * version loaded, with what must load then: the file, the kept copy, or
 * nothing.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "checksum.h"
#include "helpers.h"

#define GOOD    SERVER PROFILE "[host a]\nmac = 52:54:00:00:00:01\n" \
                "profile = lts\n"
#define GOOD2   SERVER PROFILE "[host b]\nmac = 52:54:00:00:00:02\n" \
                "profile = lts\n"

static char dir[64], conf[128], keep[160];

static void
write_file(const char *path, const char *text)
{
    FILE *f;

    unlink(path);
    rmdir(path);
    f = fopen(path, "w");
    assert_non_null(f);
    fputs(text, f);
    fclose(f);
}

static int
setup(void **state)
{
    (void) state;
    snprintf(dir, sizeof(dir), "/tmp/alpxe-kept.XXXXXX");
    if (mkdtemp(dir) == NULL) {
        return -1;
    }
    snprintf(conf, sizeof(conf), "%s/alpxe.conf", dir);
    snprintf(keep, sizeof(keep), "%s/kea-leases4.csv.alpxe", dir);
    return 0;
}

static int
teardown(void **state)
{
    char cmd[128];

    (void) state;
    snprintf(cmd, sizeof(cmd), "rm -rf %s", dir);
    return system(cmd) == 0 ? 0 : -1;
}

/* What happens to alpxe.conf after GOOD loaded once. */
enum fault { NONE, CHANGED, BROKEN, DELETED, DIRECTORY, FIFO, TRUNCATED,
             EMPTY };

static const struct {
    enum fault   fault;
    int          loads;         /* 0: something loads */
    int          fallback;      /* ... the kept copy */
    const char  *host;          /* the host it knows */
    unsigned     error_line;    /* the file's error names this line */
} rows[] = {
    { NONE,      0, 0, "a", 0 },
    { CHANGED,   0, 0, "b", 0 },    /* and GOOD2 is kept from then on */
    { BROKEN,    0, 1, "a", 6 },
    { DELETED,   0, 1, "a", 0 },
    { DIRECTORY, 0, 1, "a", 0 },
    { FIFO,      0, 1, "a", 0 },    /* without waiting for a writer */
    { TRUNCATED, 0, 1, "a", 7 },
    { EMPTY,     0, 1, "a", 0 },
};

static void
apply(enum fault fault)
{
    switch (fault) {
    case NONE:
        break;
    case CHANGED:
        write_file(conf, GOOD2);
        break;
    case BROKEN:
        write_file(conf, SERVER PROFILE "[host a\n");
        break;
    case DELETED:
        assert_int_equal(unlink(conf), 0);
        break;
    case DIRECTORY:
        assert_int_equal(unlink(conf), 0);
        assert_int_equal(mkdir(conf, 0755), 0);
        break;
    case FIFO:
        assert_int_equal(unlink(conf), 0);
        assert_int_equal(mkfifo(conf, 0644), 0);
        break;
    case TRUNCATED:
        /* an editor's write cut in the middle of the host section */
        write_file(conf, SERVER PROFILE "[host a]\nmac = 52:54:00:00\n");
        break;
    case EMPTY:
        write_file(conf, "");
        break;
    }
}

static const char *
host_of(const alpxe_config *cfg)
{
    return alpxe_host_name(alpxe_host_at(cfg, 0));
}

static void
test_faults(void **state)
{
    alpxe_config      *cfg, *good;
    alpxe_load_result  r;
    char               sha[65];
    long long          when;
    diags              d;
    size_t             i;
    char               text[256];

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        unlink(keep);
        unlink(conf);
        rmdir(conf);
        write_file(conf, GOOD);

        memset(&d, 0, sizeof(d));
        assert_int_equal(alpxe_config_load_kept(conf, keep, 0, collect, &d,
                                                &good, &r), 0);
        assert_int_equal(r.fallback, 0);
        assert_int_equal(r.keep_rc, 0);
        assert_int_equal(access(keep, R_OK), 0);
        snprintf(sha, sizeof(sha), "%s", alpxe_config_sha256(good));
        when = alpxe_config_loaded_at(good);
        alpxe_config_free(good);

        apply(rows[i].fault);
        memset(&d, 0, sizeof(d));
        assert_int_equal(alpxe_config_load_kept(conf, keep, 0, collect, &d,
                                                &cfg, &r), rows[i].loads);
        if (r.fallback != rows[i].fallback) {
            fail_msg("row %zu: fallback %d, expected %d: %s", i, r.fallback,
                     rows[i].fallback, d.text);
        }
        assert_string_equal(host_of(cfg), rows[i].host);
        assert_string_equal(alpxe_config_path(cfg), conf);
        assert_int_equal(alpxe_config_is_fallback(cfg), rows[i].fallback);
        if (rows[i].fallback) {
            /* the version served is the one that loaded, as it was */
            assert_string_equal(alpxe_config_sha256(cfg), sha);
            assert_true(alpxe_config_loaded_at(cfg) == when);
            assert_int_not_equal(r.file_rc, 0);
            assert_true(d.errors >= 1);
            assert_int_equal(d.first_error, rows[i].error_line);
            if (rows[i].error_line != 0) {
                snprintf(text, sizeof(text), "%s:%u: error:", conf,
                         rows[i].error_line);
                assert_non_null(strstr(d.text, text));
            }
        } else {
            assert_int_equal(d.errors, 0);
        }
        alpxe_config_free(cfg);
        unlink(conf);
        rmdir(conf);
    }
}

/* With no good version ever seen, nothing loads: the server answers no
 * network-boot client. */
static void
test_no_copy(void **state)
{
    alpxe_config      *cfg = NULL;
    alpxe_load_result  r;
    diags              d;

    (void) state;
    unlink(keep);
    write_file(conf, SERVER "[oops\n");
    memset(&d, 0, sizeof(d));
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, collect, &d, &cfg,
                                            &r), -EINVAL);
    assert_null(cfg);
    assert_int_equal(r.keep_rc, -ENOENT);
    assert_int_equal(access(keep, F_OK), -1);
}

/* A copy that is not whole (a crash while it was written) is refused. */
static void
test_corrupt_copy(void **state)
{
    alpxe_config      *cfg = NULL;
    alpxe_load_result  r;
    struct stat        st;
    diags              d;

    (void) state;
    write_file(conf, GOOD);
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, NULL, NULL, &cfg,
                                            &r), 0);
    alpxe_config_free(cfg);
    cfg = NULL;
    assert_int_equal(stat(keep, &st), 0);
    assert_int_equal(truncate(keep, st.st_size - 10), 0);
    write_file(conf, "[bad");
    memset(&d, 0, sizeof(d));
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, collect, &d, &cfg,
                                            &r), -EINVAL);
    assert_null(cfg);
    assert_int_equal(r.keep_rc, -EINVAL);
    assert_non_null(strstr(d.text, "the last good copy cannot be used: its "
                           "checksum does not match"));
}

/* The copy is written when the file changes only, and never read-only. */
static void
test_writes(void **state)
{
    alpxe_config      *cfg = NULL;
    alpxe_load_result  r;
    struct stat        a, b;

    (void) state;
    unlink(keep);
    write_file(conf, GOOD);
    assert_int_equal(alpxe_config_load_kept(conf, keep, ALPXE_LOAD_KEEP_RO,
                                            NULL, NULL, &cfg, &r), 0);
    alpxe_config_free(cfg);
    assert_int_equal(access(keep, F_OK), -1);     /* nginx -t writes none */

    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, NULL, NULL, &cfg,
                                            &r), 0);
    alpxe_config_free(cfg);
    assert_int_equal(stat(keep, &a), 0);
    assert_int_equal(a.st_mode & 0777, 0600);
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, NULL, NULL, &cfg,
                                            &r), 0);
    alpxe_config_free(cfg);
    assert_int_equal(stat(keep, &b), 0);
    assert_true(a.st_ino == b.st_ino);            /* same bytes: untouched */

    write_file(conf, GOOD2);
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, NULL, NULL, &cfg,
                                            &r), 0);
    alpxe_config_free(cfg);
    assert_int_equal(stat(keep, &b), 0);
    assert_true(a.st_ino != b.st_ino);            /* replaced by rename */

    /* a place the copy cannot be written: the file still loads */
    assert_int_equal(alpxe_config_load_kept(conf, "/nonexistent/dir/keep", 0,
                                            NULL, NULL, &cfg, &r), 0);
    assert_int_equal(r.keep_rc, -ENOENT);
    alpxe_config_free(cfg);
}

/* A file of n hosts between comment lines of `pad` bytes: several of the
 * parser's 256 KB blocks, lines across their edges.  Malloc'd. */
static char *
big_text(unsigned n, size_t pad, size_t *len)
{
    size_t  size = 4096 + n * (pad + 128), at = 0;
    char   *t = malloc(size);
    unsigned i;

    assert_non_null(t);
    at += (size_t) snprintf(t, size, "%s", SERVER PROFILE);
    for (i = 0; i < n; i++) {
        t[at++] = '#';
        memset(t + at, 'x', pad - 2);
        at += pad - 2;
        t[at++] = '\n';
        at += (size_t) snprintf(t + at, size - at, "[host h%u]\r\nmac = "
                                "52:54:00:%02x:%02x:%02x\nprofile = lts\n", i,
                                i >> 16 & 0xff, i >> 8 & 0xff, i & 0xff);
    }
    *len = at;
    return t;
}

/*
 * A file is read a block at a time: what loads is what loads from the same
 * bytes in memory, its checksum is of every byte, the copy kept is its
 * bytes exactly; a line longer than a block is an error at its line.
 */
static void
test_blocks(void **state)
{
    alpxe_config      *cfg = NULL, *mem = NULL, *back = NULL;
    alpxe_load_result  r;
    alpxe_script       a, b;
    alpxe_mac          mac;
    diags              d;
    char              *text, *copy, sha[CFG_SHA256_HEX], ba[1024], bb[1024];
    size_t             len, clen, i;
    FILE              *f;

    (void) state;
    text = big_text(4000, 190, &len);
    assert_true(len > 3 * 256 * 1024);
    f = fopen(conf, "w");
    assert_non_null(f);
    assert_int_equal(fwrite(text, 1, len, f), len);
    fclose(f);
    unlink(keep);

    assert_int_equal(alpxe_config_load_kept(conf, keep, ALPXE_LOAD_SCRIPTS,
                                            NULL, NULL, &cfg, &r), 0);
    assert_int_equal(r.keep_rc, 0);
    assert_int_equal(alpxe_config_load_mem("m", text, len, ALPXE_LOAD_SCRIPTS,
                                           NULL, NULL, &mem), 0);
    cfg_sha256_hex(text, len, sha);
    assert_string_equal(alpxe_config_sha256(cfg), sha);
    assert_string_equal(alpxe_config_sha256(mem), sha);
    assert_int_equal(alpxe_config_host_count(cfg), 4000);
    for (i = 0; i < 4000; i += 333) {
        mac = (alpxe_mac) {{ 0x52, 0x54, 0, (uint8_t) (i >> 16),
                             (uint8_t) (i >> 8), (uint8_t) i }};
        assert_int_equal(alpxe_script_for(cfg, &mac, ba, sizeof(ba), &a), 0);
        assert_int_equal(alpxe_script_for(mem, &mac, bb, sizeof(bb), &b), 0);
        assert_int_equal(a.machine.action, ALPXE_ACTION_BOOT);
        assert_int_equal(a.len, b.len);
        assert_memory_equal(a.text, b.text, a.len);
    }

    /* the copy: one header line, then the file's bytes */
    f = fopen(keep, "r");
    assert_non_null(f);
    copy = malloc(len + 8192);
    assert_non_null(copy);
    clen = fread(copy, 1, len + 8192, f);
    fclose(f);
    assert_non_null(memchr(copy, '\n', clen));
    i = (size_t) ((char *) memchr(copy, '\n', clen) - copy) + 1;
    assert_int_equal(clen - i, len);
    assert_memory_equal(copy + i, text, len);

    /* broken now: the copy loads, the same configuration */
    write_file(conf, "[host");
    assert_int_equal(alpxe_config_load_kept(conf, keep, 0, NULL, NULL, &back,
                                            &r), 0);
    assert_true(r.fallback);
    assert_string_equal(alpxe_config_sha256(back), sha);
    assert_int_equal(alpxe_config_host_count(back), 4000);
    alpxe_config_free(back);

    /* a line longer than a block: reported at its line, with its length */
    f = fopen(conf, "w");
    assert_non_null(f);
    fputs(SERVER PROFILE "#", f);
    for (i = 0; i < 300000; i++) {
        fputc('y', f);
    }
    fputs("\n[host x]\nmac = 52:54:00\n", f);
    fclose(f);
    memset(&d, 0, sizeof(d));
    assert_int_equal(alpxe_config_load(conf, 0, collect, &d, &back), -EINVAL);
    assert_int_equal(d.first_error, 6);
    assert_non_null(strstr(d.text, ":6: error: line is 300001 characters "
                                   "long"));
    /* ... and the lines after it are read, counted right */
    assert_non_null(strstr(d.text, ":8: error: mac: \"52:54:00\" is not"));

    alpxe_config_free(cfg);
    alpxe_config_free(mem);
    free(copy);
    free(text);
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_faults),
        cmocka_unit_test(test_no_copy),
        cmocka_unit_test(test_corrupt_copy),
        cmocka_unit_test(test_writes),
        cmocka_unit_test(test_blocks),
    };

    return cmocka_run_group_tests_name("kept", tests, setup, teardown);
}

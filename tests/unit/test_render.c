/*
 * test_render.c - the iPXE scripts: the README example byte for byte,
 * boot = local/off, and what unknown MACs get under each policy.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>

#include <cmocka.h>

#include "helpers.h"

#ifndef EXAMPLE_CONF
#define EXAMPLE_CONF "tests/data/example.conf"
#endif

static const char example_script[] =
    "#!ipxe\n"
    "kernel http://10.0.0.28/pxe/boot/vmlinuz-lts initrd=initramfs-lts "
    "ip=10.0.0.51::10.0.0.1:255.255.255.0:nuc1:eth0:none "
    "alpine_repo=http://10.0.0.28/alpine/v3.20/main "
    "modloop=http://10.0.0.28/pxe/boot/modloop-lts "
    "apkovl=http://10.0.0.28/ovl/{MAC}.apkovl.tar.gz "
    "ssh_key=http://10.0.0.28/keys/admin.pub "
    "modules=loop,squashfs console=ttyS0,115200 quiet\n"
    "initrd http://10.0.0.28/pxe/boot/initramfs-lts\n"
    "boot\n";

static void
test_example_byte_for_byte(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_script  s;
    alpxe_mac     mac;
    char          buf[ALPXE_SCRIPT_MAX];
    unsigned      flags;

    (void) state;
    for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS; flags += ALPXE_LOAD_SCRIPTS) {
        assert_int_equal(alpxe_config_load(EXAMPLE_CONF, flags, NULL, NULL,
                                           &cfg), 0);
        assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56", 17, &mac), 0);
        assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf), &s),
                         0);
        assert_int_equal(s.machine.action, ALPXE_ACTION_BOOT);
        assert_string_equal(s.machine.profile, "lts");
        assert_string_equal(alpxe_host_name(s.machine.host), "nuc1");
        assert_int_equal(s.len, sizeof(example_script) - 1);
        assert_memory_equal(s.text, example_script, s.len);
        /* pre-rendered scripts live in the config, not the caller's buf */
        if (flags & ALPXE_LOAD_SCRIPTS) {
            assert_ptr_not_equal(s.text, buf);
        }
        alpxe_config_free(cfg);
    }
}

static const char policy_fmt[] =
    SERVER
    "unknown = %s\n"                                /* 3 */
    "default = lts\n"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = http://10.0.0.28/x/initramfs-lts?v=1\n"
    "%s"
    "[host local]\n"
    "mac = 52:54:00:00:00:02\n"
    "boot = local\n"
    "[host off]\n"
    "mac = 52:54:00:00:00:03\n"
    "boot = off\n";

/* policy, extra profile line, MAC → action and text */
static const struct {
    const char       *policy;
    const char       *extra;
    const char       *mac;
    alpxe_action      kind;
    const char       *text;
} rows[] = {
    { "default", "", "52:54:00:99:99:99", ALPXE_ACTION_BOOT,
      "#!ipxe\nkernel http://10.0.0.28/pxe/boot/vmlinuz-lts "
      "initrd=initramfs-lts ip=dhcp\n"
      "initrd http://10.0.0.28/x/initramfs-lts?v=1\nboot\n" },
    /* an unknown machine is named by its MAC */
    { "default", "args = hostname=${hostname} m=${mac}\n",
      "52:54:00:99:99:99", ALPXE_ACTION_BOOT,
      "#!ipxe\nkernel http://10.0.0.28/pxe/boot/vmlinuz-lts "
      "initrd=initramfs-lts ip=dhcp hostname=52-54-00-99-99-99 "
      "m=52:54:00:99:99:99\n"
      "initrd http://10.0.0.28/x/initramfs-lts?v=1\nboot\n" },
    { "ignore",  "", "52:54:00:99:99:99", ALPXE_ACTION_NONE, NULL },
    { "exit",    "", "52:54:00:99:99:99", ALPXE_ACTION_EXIT,
      "#!ipxe\nexit\n" },
    { "default", "", "52:54:00:00:00:02", ALPXE_ACTION_EXIT,
      "#!ipxe\nexit\n" },
    { "ignore",  "", "52:54:00:00:00:02", ALPXE_ACTION_EXIT,
      "#!ipxe\nexit\n" },
    { "default", "", "52:54:00:00:00:03", ALPXE_ACTION_NONE, NULL },
    { "exit",    "", "52:54:00:00:00:03", ALPXE_ACTION_NONE, NULL },
};

static void
test_policies(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_script  s;
    alpxe_mac     mac;
    char          text[1024], buf[ALPXE_SCRIPT_MAX];
    diags         d;
    size_t        i;
    unsigned      flags;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        snprintf(text, sizeof(text), policy_fmt, rows[i].policy,
                 rows[i].extra);
        for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS;
             flags += ALPXE_LOAD_SCRIPTS)
        {
            if (load_string(text, flags, &d, &cfg) != 0) {
                fail_msg("row %zu: %s", i, d.text);
            }
            assert_int_equal(alpxe_mac_parse(rows[i].mac, 17, &mac), 0);
            assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf),
                                              &s), 0);
            if (s.machine.action != rows[i].kind) {
                fail_msg("row %zu: kind %d, expected %d", i, s.machine.action,
                         rows[i].kind);
            }
            if (rows[i].text != NULL
                && (s.len != strlen(rows[i].text)
                    || memcmp(s.text, rows[i].text, s.len) != 0))
            {
                fail_msg("row %zu: got\n%.*s\nexpected\n%s", i, (int) s.len,
                         s.text, rows[i].text);
            }
            alpxe_config_free(cfg);
        }
    }
}

static void
test_null_buffer(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_script  s;
    alpxe_mac     mac;
    diags         d;
    char          text[1024];

    (void) state;
    /* pre-rendered: no buffer needed */
    assert_int_equal(alpxe_config_load(EXAMPLE_CONF, ALPXE_LOAD_SCRIPTS, NULL,
                                       NULL, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, NULL, 0, &s), 0);
    assert_int_equal(s.machine.action, ALPXE_ACTION_BOOT);
    assert_int_equal(s.len, sizeof(example_script) - 1);
    alpxe_config_free(cfg);

    /* an unknown MAC whose default profile uses ${mac}: rendered per MAC */
    snprintf(text, sizeof(text), policy_fmt, "default", "args = m=${mac}\n");
    assert_int_equal(load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:99:99:99", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, NULL, 0, &s), -ENOSPC);
    alpxe_config_free(cfg);
}

static void
test_small_buffer(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_script  s;
    alpxe_mac     mac;
    char          buf[32];

    (void) state;
    assert_int_equal(alpxe_config_load(EXAMPLE_CONF, 0, NULL, NULL, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf), &s),
                     -ENOSPC);
    alpxe_config_free(cfg);
}

/*
 * A script that does not fit ALPXE_SCRIPT_MAX is refused at load, with
 * and without pre-rendering, never answered 500 per request: here a
 * default profile whose ${hostname}s fit a host's short name but not the
 * 17 characters an unknown MAC is named by.
 */
static void
test_scripts_fit(void **state)
{
    alpxe_config *cfg = NULL;
    static char   text[16384];
    size_t        n = 0, i;
    unsigned      flags;
    diags         d;

    (void) state;
    n += (size_t) snprintf(text + n, sizeof(text) - n, "%s", SERVER
                           "default = lts\n" PROFILE);      /* 3-6 */
    for (i = 0; i < 200; i++) {
        n += (size_t) snprintf(text + n, sizeof(text) - n,
                               "args = a%03zu=${hostname}\n", i);
    }
    n += (size_t) snprintf(text + n, sizeof(text) - n,
                           "[host a]\nmac = 52:54:00:00:00:01\nprofile = lts\n");
    for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS; flags += ALPXE_LOAD_SCRIPTS)
    {
        assert_int_equal(load_string(text, flags, &d, &cfg), -EINVAL);
        assert_int_equal(d.errors, 1);
        assert_int_equal(d.first_error, 4);
        assert_non_null(strstr(d.text, "[profile lts]: its script for "
                               "unknown machines (unknown = default) is "
                               "longer than 4096 bytes"));
    }
    /* the same profile for known hosts only: it fits */
    text[strlen(SERVER)] = '#';
    for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS; flags += ALPXE_LOAD_SCRIPTS)
    {
        assert_int_equal(load_string(text, flags, &d, &cfg), 0);
        alpxe_config_free(cfg);
    }
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_example_byte_for_byte),
        cmocka_unit_test(test_policies),
        cmocka_unit_test(test_null_buffer),
        cmocka_unit_test(test_scripts_fit),
        cmocka_unit_test(test_small_buffer),
    };

    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}

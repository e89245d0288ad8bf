/*
 * test_render.c - the iPXE scripts: the README example byte for byte,
 * boot = local/off, and what unknown MACs get under each policy.
 */

#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <errno.h>
#include <stdlib.h>

#include <cmocka.h>

#include "config_internal.h"
#include "helpers.h"

#ifndef EXAMPLE_CONF
#define EXAMPLE_CONF "tests/data/example.conf"
#endif

static const char example_script[] =
    "#!ipxe\n"
    "kernel http://10.0.0.28/pxe/boot/vmlinuz-lts initrd=initramfs-lts "
    "ip=10.0.0.51::10.0.0.1:255.255.255.0:nuc1:eth0:none "
    "BOOTIF=01-52-54-00-12-34-56 "
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
        assert_ptr_equal(s.text, buf);
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
      "initrd=initramfs-lts ip=dhcp BOOTIF=01-52-54-00-99-99-99\n"
      "initrd http://10.0.0.28/x/initramfs-lts?v=1\nboot\n" },
    /* an unknown machine is named by its MAC */
    { "default", "args = hostname=${hostname} m=${mac}\n",
      "52:54:00:99:99:99", ALPXE_ACTION_BOOT,
      "#!ipxe\nkernel http://10.0.0.28/pxe/boot/vmlinuz-lts "
      "initrd=initramfs-lts ip=dhcp BOOTIF=01-52-54-00-99-99-99 "
      "hostname=52-54-00-99-99-99 "
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
    /* pre-rendered: the size comes without a buffer, then the copy */
    assert_int_equal(alpxe_config_load(EXAMPLE_CONF, ALPXE_LOAD_SCRIPTS, NULL,
                                       NULL, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:12:34:56", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, NULL, 0, &s), -ENOSPC);
    assert_int_equal(s.machine.action, ALPXE_ACTION_BOOT);
    assert_int_equal(s.len, sizeof(example_script) - 1);
    assert_int_equal(alpxe_script_for(cfg, &mac, text, s.len, &s), 0);
    assert_memory_equal(s.text, example_script, s.len);
    assert_int_equal(alpxe_script_for(cfg, &mac, text, s.len - 1, &s),
                     -ENOSPC);
    alpxe_config_free(cfg);

    /* the exit script needs none */
    snprintf(text, sizeof(text), policy_fmt, "exit", "");
    assert_int_equal(load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:99:99:99", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, NULL, 0, &s), 0);
    assert_int_equal(s.machine.action, ALPXE_ACTION_EXIT);
    alpxe_config_free(cfg);

    /* an unknown MAC: rendered per MAC (its own BOOTIF=) */
    snprintf(text, sizeof(text), policy_fmt, "default", "");
    assert_int_equal(load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg), 0);
    assert_int_equal(alpxe_mac_parse("52:54:00:99:99:99", 17, &mac), 0);
    assert_int_equal(alpxe_script_for(cfg, &mac, NULL, 0, &s), -ENOSPC);
    /* ... saying how much it needs: exactly that is enough */
    {
        char   *exact = malloc(s.len);
        size_t  need = s.len;

        assert_non_null(exact);
        assert_int_equal(alpxe_script_for(cfg, &mac, exact, need, &s), 0);
        assert_int_equal(s.len, need);
        assert_int_equal(alpxe_script_for(cfg, &mac, exact, need - 1, &s),
                         -ENOSPC);
        free(exact);
    }
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

static const char menu_conf[] =
    SERVER
    "unknown = menu\n"
    "default = lts\n"
    "menu_timeout = 15\n"
    "[profile lts]\n"
    "description = Alpine (lts kernel), for most machines\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "[profile virt]\n"
    "kernel = boot/vmlinuz-virt\n"
    "initrd = boot/initramfs-virt\n"
    "[profile rescue]\n"
    "menu = no\n"
    "kernel = boot/vmlinuz-rescue\n"
    "initrd = boot/initramfs-rescue\n"
    "[host pick]\n"
    "mac = 52:54:00:00:00:04\n"
    "profile = virt\n"
    "boot = menu\n"
    "args = console=ttyS0\n";

static const char menu_unknown[] =
    "#!ipxe\n"
    "menu alpxe: what should 52:54:00:99:99:99 boot?\n"
    "item --key 1 -- lts 1. lts: Alpine (lts kernel), for most machines\n"
    "item --key 2 -- virt 2. virt\n"
    "choose --default lts --timeout 15000 alpxe-profile || goto alpxe-exit\n"
    "chain http://10.0.0.28/pxe/52:54:00:99:99:99/gpxe-script"
    "?profile=${alpxe-profile} || goto alpxe-exit\n"
    ":alpxe-exit\n"
    "exit\n";

/* MAC, choice → 200 with this text (NULL: 404) and the action */
static const struct {
    const char   *mac;
    const char   *profile;
    alpxe_action  action;
    const char   *text;
} choices[] = {
    { "52:54:00:99:99:99", "",     ALPXE_ACTION_MENU, menu_unknown },
    { "52:54:00:99:99:99", "virt", ALPXE_ACTION_BOOT,
      "#!ipxe\nkernel http://10.0.0.28/pxe/boot/vmlinuz-virt "
      "initrd=initramfs-virt ip=dhcp BOOTIF=01-52-54-00-99-99-99\n"
      "initrd http://10.0.0.28/pxe/boot/initramfs-virt\nboot\n" },
    /* a host's own values apply to whatever it picks */
    { "52:54:00:00:00:04", "lts",  ALPXE_ACTION_BOOT,
      "#!ipxe\nkernel http://10.0.0.28/pxe/boot/vmlinuz-lts "
      "initrd=initramfs-lts ip=dhcp BOOTIF=01-52-54-00-00-00-04 "
      "console=ttyS0\ninitrd http://10.0.0.28/pxe/boot/initramfs-lts\n"
      "boot\n" },
    /* nothing the menu does not offer */
    { "52:54:00:99:99:99", "rescue", ALPXE_ACTION_NONE, NULL },
    { "52:54:00:99:99:99", "nope",   ALPXE_ACTION_NONE, NULL },
    { "52:54:00:00:00:04", "rescue", ALPXE_ACTION_NONE, NULL },
};

static void
test_menu(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_request req;
    alpxe_script  s;
    char          buf[ALPXE_SCRIPT_MAX], text[ALPXE_SCRIPT_MAX + 1];
    diags         d;
    size_t        i;
    unsigned      flags;

    (void) state;
    for (flags = 0; flags <= ALPXE_LOAD_SCRIPTS; flags += ALPXE_LOAD_SCRIPTS) {
        if (load_string(menu_conf, flags, &d, &cfg) != 0) {
            fail_msg("%s", d.text);
        }
        for (i = 0; i < sizeof(choices) / sizeof(choices[0]); i++) {
            memset(&req, 0, sizeof(req));
            req.have_mac = 1;
            assert_int_equal(alpxe_mac_parse(choices[i].mac, 17, &req.mac),
                             0);
            snprintf(req.profile, sizeof(req.profile), "%s",
                     choices[i].profile);
            assert_int_equal(alpxe_answer(cfg, &req, buf, sizeof(buf), &s),
                             0);
            assert_int_equal(s.machine.action, choices[i].action);
            if (choices[i].text == NULL) {
                assert_null(s.text);
                continue;
            }
            snprintf(text, sizeof(text), "%.*s", (int) s.len, s.text);
            assert_string_equal(text, choices[i].text);
        }
        /* the host's menu: its name, its profile the default */
        assert_int_equal(alpxe_mac_parse("52:54:00:00:00:04", 17, &req.mac),
                         0);
        assert_int_equal(alpxe_script_for(cfg, &req.mac, buf, sizeof(buf),
                                          &s), 0);
        snprintf(text, sizeof(text), "%.*s", (int) s.len, s.text);
        assert_non_null(strstr(text, "\nmenu alpxe: what should pick "
                               "(52:54:00:00:00:04) boot?\n"));
        assert_non_null(strstr(text, "\nchoose --default virt "));
        alpxe_config_free(cfg);
    }
}

/* The classic embedded loader's ${http}/gpxe-script, with no MAC. */
static void
test_chain(void **state)
{
    alpxe_config *cfg = NULL;
    alpxe_request req;
    alpxe_script  s;

    (void) state;
    assert_int_equal(alpxe_config_load(EXAMPLE_CONF, 0, NULL, NULL, &cfg), 0);
    assert_int_equal(alpxe_request_parse("gpxe-script", 11, NULL, 0, 0, &req),
                     0);
    assert_int_equal(alpxe_answer(cfg, &req, NULL, 0, &s), 0);
    assert_int_equal(s.len, strlen("#!ipxe\nchain http://10.0.0.28/pxe/"
                                   "${netX/mac:hexhyp}/gpxe-script\n"));
    assert_memory_equal(s.text, "#!ipxe\nchain http://10.0.0.28/pxe/"
                        "${netX/mac:hexhyp}/gpxe-script\n", s.len);
    alpxe_config_free(cfg);
}

/*
 * Scripts kept at load (as their difference from their profile's first)
 * are the scripts rendered per request, byte for byte, whatever differs
 * between hosts: ip=, names, MACs in apkovl and nfs, own args, menus,
 * hosts of two MACs, scripts longer or shorter than the reference.
 */
static void
test_kept_equals_rendered(void **state)
{
    alpxe_config *plain = NULL, *kept = NULL;
    alpxe_script  a, b;
    alpxe_mac     mac;
    diags         d;
    char         *text, ba[ALPXE_SCRIPT_MAX], bb[ALPXE_SCRIPT_MAX];
    size_t        len = 0, size = 64 * 1024, i;
    int           n;

    (void) state;
    text = malloc(size);
    assert_non_null(text);
    len += (size_t) snprintf(text + len, size - len, "%s",
        SERVER
        "[profile lts]\n"
        "kernel = boot/vmlinuz-lts\n"
        "initrd = boot/initramfs-lts\n"
        "apkovl = http://10.0.0.28/ovl/${mac}.tar.gz\n"
        "nfs = nfs://10.0.0.28/export/${hostname}\n"
        "[profile virt]\n"
        "kernel = boot/vmlinuz-virt\n"
        "initrd = boot/initramfs-virt\n"
        "args = console=ttyS0\n");
    for (i = 0; i < 60; i++) {
        char second[32] = "";

        if (i % 3 == 0) {
            snprintf(second, sizeof(second), "mac = 52:54:00:01:%02zx:ff\n",
                     i);
        }
        n = snprintf(text + len, size - len, "[host %s%zu]\nmac = "
                     "52:54:00:00:%02zx:01\nprofile = %s\n%s%s%s",
                     i % 7 == 0 ? "a-much-longer-name-" : "h", i, i,
                     i % 2 ? "lts" : "virt", second,
                     i % 5 == 0 ? "boot = menu\n" : "",
                     i % 4 == 0 ? "ip = 10.0.0.9::10.0.0.1:255.255.255.0::"
                                  ":none:10.0.0.1\n"
                                : i % 4 == 1 ? "append = quiet\n" : "");
        assert_true(n > 0 && (size_t) n < size - len);
        len += (size_t) n;
    }
    assert_int_equal(load_string(text, 0, &d, &plain), 0);
    assert_int_equal(load_string(text, ALPXE_LOAD_SCRIPTS, &d, &kept), 0);

    assert_true(plain->mac_count > 60);
    for (i = 0; i < plain->mac_count; i++) {
        mac = plain->macs[i].mac;
        assert_int_equal(alpxe_script_for(plain, &mac, ba, sizeof(ba), &a),
                         0);
        assert_int_equal(alpxe_script_for(kept, &mac, bb, sizeof(bb), &b), 0);
        assert_int_equal(a.machine.action, b.machine.action);
        assert_true(a.machine.action == ALPXE_ACTION_BOOT
                    || a.machine.action == ALPXE_ACTION_MENU);
        if (a.len != b.len || memcmp(a.text, b.text, a.len) != 0) {
            fail_msg("MAC %zu: kept\n%.*s\nrendered\n%.*s", i, (int) b.len,
                     b.text, (int) a.len, a.text);
        }
    }
    alpxe_config_free(plain);
    alpxe_config_free(kept);
    free(text);
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
        cmocka_unit_test(test_menu),
        cmocka_unit_test(test_chain),
        cmocka_unit_test(test_kept_equals_rendered),
    };

    return cmocka_run_group_tests_name("render", tests, NULL, NULL);
}

/*
 * test_machine.c - the one rule for a MAC (alpxe_machine_for): each kind
 * of machine under each [server] unknown policy, one row per case, and
 * the check that DHCP and the script follow that rule for every row.
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
    "unknown = %s\n"
    "%s"
    "[profile lts]\n"
    "kernel = boot/vmlinuz-lts\n"
    "initrd = boot/initramfs-lts\n"
    "[profile virt]\n"
    "kernel = boot/vmlinuz-virt\n"
    "initrd = boot/initramfs-virt\n"
    "[host net]\n"
    "mac = 52:54:00:00:00:01\n"
    "profile = virt\n"
    "[host local]\n"
    "mac = 52:54:00:00:00:02\n"
    "profile = virt\n"
    "boot = local\n"
    "[host off]\n"
    "mac = 52:54:00:00:00:03\n"
    "boot = off\n"
    "profile = virt\n"
    "[host second]\n"
    "mac = 52:54:00:00:00:04\n"
    "mac = 52:54:00:00:00:05\n"
    "profile = lts\n"
    "[host pick]\n"
    "mac = 52:54:00:00:00:06\n"
    "profile = virt\n"
    "boot = menu\n";

#define NET     "52:54:00:00:00:01"
#define LOCAL   "52:54:00:00:00:02"
#define OFF     "52:54:00:00:00:03"
#define SECOND  "52:54:00:00:00:05"     /* a host's second MAC */
#define PICK    "52:54:00:00:00:06"     /* boot = menu */
#define STRANGE "52:54:00:99:99:99"

/* unknown policy, MAC → action, host, profile, reason */
static const struct {
    const char   *policy;
    const char   *mac;
    alpxe_action  action;
    const char   *host;
    const char   *profile;
    const char   *reason;
} rows[] = {
    { "default", NET,     ALPXE_ACTION_BOOT, "net",    "virt",
      "host: boot = netboot" },
    { "default", SECOND,  ALPXE_ACTION_BOOT, "second", "lts",
      "host: boot = netboot" },
    { "default", LOCAL,   ALPXE_ACTION_EXIT, "local",  NULL,
      "host: boot = local" },
    { "default", OFF,     ALPXE_ACTION_NONE, "off",    NULL,
      "host: boot = off" },
    { "default", STRANGE, ALPXE_ACTION_BOOT, NULL,     "lts",
      "unknown MAC: unknown = default" },
    /* a host's own boot wins over the unknown policy */
    { "ignore",  NET,     ALPXE_ACTION_BOOT, "net",    "virt",
      "host: boot = netboot" },
    { "ignore",  LOCAL,   ALPXE_ACTION_EXIT, "local",  NULL,
      "host: boot = local" },
    { "ignore",  OFF,     ALPXE_ACTION_NONE, "off",    NULL,
      "host: boot = off" },
    { "ignore",  STRANGE, ALPXE_ACTION_NONE, NULL,     NULL,
      "unknown MAC: unknown = ignore" },
    { "exit",    NET,     ALPXE_ACTION_BOOT, "net",    "virt",
      "host: boot = netboot" },
    { "exit",    OFF,     ALPXE_ACTION_NONE, "off",    NULL,
      "host: boot = off" },
    { "exit",    STRANGE, ALPXE_ACTION_EXIT, NULL,     NULL,
      "unknown MAC: unknown = exit" },
    /* a menu: its default item is the host's profile, or [server]
     * default */
    { "default", PICK,    ALPXE_ACTION_MENU, "pick",   "virt",
      "host: boot = menu" },
    { "ignore",  PICK,    ALPXE_ACTION_MENU, "pick",   "virt",
      "host: boot = menu" },
    { "menu",    STRANGE, ALPXE_ACTION_MENU, NULL,     "lts",
      "unknown MAC: unknown = menu" },
    { "menu",    NET,     ALPXE_ACTION_BOOT, "net",    "virt",
      "host: boot = netboot" },
    { "menu",    OFF,     ALPXE_ACTION_NONE, "off",    NULL,
      "host: boot = off" },
};

static alpxe_config *
load(const char *policy)
{
    alpxe_config *cfg = NULL;
    char          text[sizeof(conf_fmt) + 64];
    diags         d;

    snprintf(text, sizeof(text), conf_fmt, policy,
             strcmp(policy, "default") == 0 || strcmp(policy, "menu") == 0
             ? "default = lts\n" : "");
    if (load_string(text, ALPXE_LOAD_SCRIPTS, &d, &cfg) != 0) {
        fail_msg("%s", d.text);
    }
    return cfg;
}

static void
test_rule(void **state)
{
    alpxe_config     *cfg;
    alpxe_machine     m;
    alpxe_mac         mac;
    size_t            i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        cfg = load(rows[i].policy);
        assert_int_equal(alpxe_mac_parse(rows[i].mac, 17, &mac), 0);
        alpxe_machine_for(cfg, &mac, &m);
        if (m.action != rows[i].action) {
            fail_msg("row %zu: %s, expected %s", i,
                     alpxe_action_name(m.action),
                     alpxe_action_name(rows[i].action));
        }
        if (rows[i].host == NULL) {
            assert_null(m.host);
        } else {
            assert_non_null(m.host);
            assert_string_equal(alpxe_host_name(m.host), rows[i].host);
        }
        if (rows[i].profile == NULL) {
            assert_null(m.profile);
        } else {
            assert_non_null(m.profile);
            assert_string_equal(m.profile, rows[i].profile);
        }
        assert_string_equal(m.reason, rows[i].reason);
        alpxe_config_free(cfg);
    }
}

/* DHCP (as iPXE) and the script give every row what the rule says. */
static void
test_stages_follow_the_rule(void **state)
{
    alpxe_config      *cfg;
    alpxe_dhcp_query   q;
    alpxe_dhcp_answer  a;
    alpxe_script       s;
    alpxe_mac          mac;
    char               buf[ALPXE_SCRIPT_MAX], text[ALPXE_SCRIPT_MAX + 1];
    char               want[64];
    size_t             i;

    (void) state;
    for (i = 0; i < sizeof(rows) / sizeof(rows[0]); i++) {
        cfg = load(rows[i].policy);
        assert_int_equal(alpxe_mac_parse(rows[i].mac, 17, &mac), 0);

        memset(&q, 0, sizeof(q));
        q.htype = 1;
        q.hlen = 6;
        q.chaddr = mac.b;
        q.has_ipxe_encap = 1;
        alpxe_dhcp_decide(cfg, &q, &a);
        assert_int_equal(a.answer, rows[i].action != ALPXE_ACTION_NONE);
        assert_int_equal(a.machine.action, rows[i].action);
        assert_string_equal(a.machine.reason, rows[i].reason);

        assert_int_equal(alpxe_script_for(cfg, &mac, buf, sizeof(buf), &s),
                         0);
        assert_int_equal(s.machine.action, rows[i].action);
        assert_ptr_equal(s.machine.host, a.machine.host);
        switch (rows[i].action) {
        case ALPXE_ACTION_NONE:
            assert_null(s.text);
            break;
        case ALPXE_ACTION_EXIT:
            assert_int_equal(s.len, strlen("#!ipxe\nexit\n"));
            assert_memory_equal(s.text, "#!ipxe\nexit\n", s.len);
            break;
        case ALPXE_ACTION_BOOT:
            snprintf(text, sizeof(text), "%.*s", (int) s.len, s.text);
            snprintf(want, sizeof(want), "vmlinuz-%s ", rows[i].profile);
            assert_non_null(strstr(text, want));
            break;
        case ALPXE_ACTION_MENU:
            snprintf(text, sizeof(text), "%.*s", (int) s.len, s.text);
            snprintf(want, sizeof(want), "\nchoose --default %s ",
                     rows[i].profile);
            assert_non_null(strstr(text, want));
            break;
        }
        alpxe_config_free(cfg);
    }
}

/* The names `alpxe status` and `alpxe explain` print: as boot = spells
 * them, menu included. */
static void
test_boot_names(void **state)
{
    (void) state;
    assert_string_equal(alpxe_boot_name(ALPXE_BOOT_NETBOOT), "netboot");
    assert_string_equal(alpxe_boot_name(ALPXE_BOOT_LOCAL), "local");
    assert_string_equal(alpxe_boot_name(ALPXE_BOOT_OFF), "off");
    assert_string_equal(alpxe_boot_name(ALPXE_BOOT_MENU), "menu");
}

int
main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_rule),
        cmocka_unit_test(test_stages_follow_the_rule),
        cmocka_unit_test(test_boot_names),
    };

    return cmocka_run_group_tests_name("machine", tests, NULL, NULL);
}

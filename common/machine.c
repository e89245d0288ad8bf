/*
 * machine.c - the one rule for a MAC: which host has it, which profile it
 * boots, and what happens.  A [host]'s `boot` decides for its MACs; every
 * other MAC follows [server] unknown (default: boot the default profile,
 * exit: iPXE goes to the next boot device, ignore: no answer).
 *
 * DHCP, the script and `alpxe explain` all start from this answer, so a
 * stage can never give a machine what another stage would refuse it.
 *
 * A menu (boot = menu, unknown = menu) is an answer of its own: DHCP
 * treats it as a boot, iPXE gets the menu, and the profile chosen there
 * is only ever one the menu offers (cfg_machine_choose).
 */

#include "config_internal.h"

static const char *const action_names[] = {
    [ALPXE_ACTION_NONE] = "none",
    [ALPXE_ACTION_BOOT] = "boot",
    [ALPXE_ACTION_EXIT] = "exit",
    [ALPXE_ACTION_MENU] = "menu",
};

const char *
alpxe_action_name(alpxe_action action)
{
    return (unsigned) action <= ALPXE_ACTION_MENU ? action_names[action]
                                                   : "none";
}

const cfg_mac *
cfg_machine(const alpxe_config *cfg, const alpxe_mac *mac, alpxe_machine *m)
{
    const cfg_mac *e = cfg_index_find(cfg, mac);

    m->host = NULL;
    m->profile = NULL;

    if (e != NULL) {
        /* e holds the host's boot and profile: the host is not read */
        m->host = &cfg->hosts[e->host];
        switch ((alpxe_boot) e->boot) {
        case ALPXE_BOOT_NETBOOT:
            m->action = ALPXE_ACTION_BOOT;
            m->profile = e->profile;
            m->reason = "host: boot = netboot";
            break;
        case ALPXE_BOOT_LOCAL:
            m->action = ALPXE_ACTION_EXIT;
            m->reason = "host: boot = local";
            break;
        case ALPXE_BOOT_MENU:
            m->action = ALPXE_ACTION_MENU;
            m->profile = cfg_menu_default(cfg, m->host);
            m->reason = "host: boot = menu";
            break;
        default:
            m->action = ALPXE_ACTION_NONE;
            m->reason = "host: boot = off";
            break;
        }
        return e;
    }

    switch (cfg->unknown) {
    case UNKNOWN_DEFAULT:
        m->action = ALPXE_ACTION_BOOT;
        m->profile = cfg->default_profile->name;
        m->reason = "unknown MAC: unknown = default";
        break;
    case UNKNOWN_EXIT:
        m->action = ALPXE_ACTION_EXIT;
        m->reason = "unknown MAC: unknown = exit";
        break;
    case UNKNOWN_MENU:
        m->action = ALPXE_ACTION_MENU;
        m->profile = cfg_menu_default(cfg, NULL);
        m->reason = "unknown MAC: unknown = menu";
        break;
    default:
        m->action = ALPXE_ACTION_NONE;
        m->reason = "unknown MAC: unknown = ignore";
        break;
    }
    return NULL;
}

void
alpxe_machine_for(const alpxe_config *cfg, const alpxe_mac *mac,
    alpxe_machine *m)
{
    (void) cfg_machine(cfg, mac, m);
}

const cfg_profile *
cfg_machine_choose(const alpxe_config *cfg, const char *name,
    alpxe_machine *m)
{
    const cfg_profile *p;

    if (m->action != ALPXE_ACTION_MENU) {
        m->reason = "a choice, but this MAC gets no menu";
        return NULL;
    }
    p = cfg_menu_offered(cfg, name);
    if (p == NULL) {
        m->action = ALPXE_ACTION_NONE;
        m->profile = NULL;
        m->reason = "a choice the menu does not offer";
        return NULL;
    }
    m->action = ALPXE_ACTION_BOOT;
    m->profile = p->name;
    m->reason = m->host != NULL ? "host: boot = menu, the profile chosen"
                                : "unknown MAC: unknown = menu, the profile "
                                  "chosen";
    return p;
}

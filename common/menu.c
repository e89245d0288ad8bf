/*
 * menu.c - the iPXE menu a machine not yet in alpxe.conf gets (unknown =
 * menu), or a host with boot = menu: the profiles the file offers, each
 * with its one-line description, a timeout falling back to the default
 * profile, and the chosen profile's script fetched from
 * ${http}/<mac>/gpxe-script?profile=NAME, which the core answers only for
 * the names this menu offers (cfg_machine_choose).
 *
 * Also the script of the classic embedded loader's MAC-less request: it
 * chains on to the asking NIC's own URL.
 *
 * iPXE's syntax (src/hci/commands/dynui_cmd.c): `menu [<title>]`,
 * `item [--key <k>] [--] <name> [<text>]` (the text is the rest of the
 * words, joined by single spaces), `choose [--default <item>] [--timeout
 * <ms>] <setting>` (Esc makes it fail), `goto`, `:label`.  A shortcut key
 * chooses its item at once.  Every word written here is either alpxe's
 * own or a value validated at load (profile names, descriptions, host
 * names, [server] http), so nothing needs escaping.
 */

#include <stdio.h>
#include <string.h>

#include "config_internal.h"

/* The iPXE setting the choice is stored in, and the exit label. */
#define MENU_SETTING    "alpxe-profile"
#define MENU_EXIT       "alpxe-exit"

static int
offered(const cfg_profile *p)
{
    return p->v[KEY_MENU].text == NULL
           || strcmp(p->v[KEY_MENU].text, "no") != 0;
}

const char *
alpxe_config_profile_name(const alpxe_config *cfg, size_t i)
{
    return i < cfg->profile_count ? cfg->profiles[i].name : NULL;
}

const cfg_profile *
cfg_menu_offered(const alpxe_config *cfg, const char *name)
{
    const cfg_profile *p = cfg_find_profile(cfg, name);

    return p != NULL && offered(p) ? p : NULL;
}

const char *
cfg_menu_default(const alpxe_config *cfg, const alpxe_host *h)
{
    const cfg_profile *p = h != NULL ? h->profile : cfg->default_profile;

    return p != NULL && offered(p) ? p->name : NULL;
}

void
cfg_render_menu(const alpxe_config *cfg, const alpxe_host *h,
    const alpxe_mac *mac, alpxe_buf *b)
{
    const cfg_profile *p;
    const char        *dflt = cfg_menu_default(cfg, h);
    char               s[ALPXE_MAC_STR], num[32];
    size_t             i, n = 0;

    alpxe_mac_format(mac, ':', s);
    buf_puts(b, "#!ipxe\nmenu alpxe: what should ");
    if (h != NULL) {
        buf_puts(b, h->name);
        buf_puts(b, " (");
        buf_puts(b, s);
        buf_puts(b, ")");
    } else {
        buf_puts(b, s);
    }
    buf_puts(b, " boot?\n");

    for (i = 0; i < cfg->profile_count; i++) {
        p = &cfg->profiles[i];
        if (!offered(p)) {
            continue;
        }
        n++;
        buf_puts(b, "item ");
        if (n <= 9) {
            snprintf(num, sizeof(num), "--key %zu ", n);
            buf_puts(b, num);
        }
        buf_puts(b, "-- ");
        buf_puts(b, p->name);
        snprintf(num, sizeof(num), " %zu. ", n);
        buf_puts(b, num);
        buf_puts(b, p->name);
        if (p->v[KEY_DESCRIPTION].text != NULL) {
            buf_puts(b, ": ");
            buf_puts(b, p->v[KEY_DESCRIPTION].text);
        }
        buf_puts(b, "\n");
    }

    buf_puts(b, "choose");
    if (dflt != NULL) {
        buf_puts(b, " --default ");
        buf_puts(b, dflt);
    }
    if (cfg->menu_timeout_ms != 0) {
        snprintf(num, sizeof(num), " --timeout %u", cfg->menu_timeout_ms);
        buf_puts(b, num);
    }
    buf_puts(b, " " MENU_SETTING " || goto " MENU_EXIT "\nchain ");
    buf_put(b, cfg->http, cfg->http_len);
    buf_puts(b, "/");
    buf_puts(b, s);
    buf_puts(b, "/" ALPXE_SCRIPT_NAME "?profile=${" MENU_SETTING "} || goto "
             MENU_EXIT "\n:" MENU_EXIT "\nexit\n");
}

void
cfg_render_chain(const alpxe_config *cfg, alpxe_buf *b)
{
    /* netX: the NIC iPXE opened last, the one that fetched this script;
     * :hexhyp spells its MAC without colons (52-54-00-12-34-56). */
    buf_puts(b, "#!ipxe\nchain ");
    buf_put(b, cfg->http, cfg->http_len);
    buf_puts(b, "/${netX/mac:hexhyp}/" ALPXE_SCRIPT_NAME "\n");
}

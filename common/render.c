/*
 * render.c - the iPXE script for a MAC: "#!ipxe", a kernel line carrying
 * the Alpine arguments, initrd, boot.  Values were validated against a
 * whitelist at load time, so rendering only expands variables and joins.
 */

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "config_internal.h"
#include "text.h"

const char cfg_exit_script[] = "#!ipxe\nexit\n";
const size_t cfg_exit_script_len = sizeof(cfg_exit_script) - 1;

const cfg_value *
cfg_host_value(const alpxe_host *h, alpxe_key k)
{
    const cfg_value *own = cfg_host_own(h, k);

    if (own != NULL) {
        return own;
    }
    if (h->profile != NULL && h->profile->v[k].text != NULL) {
        return &h->profile->v[k];
    }
    return NULL;
}

/* A profile's value for a host: the host's override first. */
static const char *
value_of(const cfg_profile *p, const alpxe_host *h, alpxe_key k)
{
    const char *own = h != NULL ? cfg_host_own_text(h, k) : NULL;

    if (own != NULL) {
        return own;
    }
    return p->v[k].text;
}

void
cfg_expand(alpxe_buf *b, const char *tmpl, const char *hostname,
    const alpxe_mac *mac)
{
    char        colon[ALPXE_MAC_STR], dash[ALPXE_MAC_STR];
    const char *p, *run;
    int         formatted = 0;

    /* Most values hold no variable: scan for '$' and format the MAC only
     * when one is there (every host's script is rendered at load). */
    for (p = run = tmpl; (p = strchr(p, '$')) != NULL; p++) {
        if (p[1] != '{') {
            continue;
        }
        if (!formatted) {
            alpxe_mac_format(mac, ':', colon);
            alpxe_mac_format(mac, '-', dash);
            formatted = 1;
        }
        buf_put(b, run, (size_t) (p - run));
        if (strncmp(p, "${hostname}", 11) == 0) {
            /* unknown machines are named by their MAC */
            buf_puts(b, hostname != NULL ? hostname : dash);
            p += 10;
        } else if (strncmp(p, "${mac_dash}", 11) == 0) {
            buf_puts(b, dash);
            p += 10;
        } else if (strncmp(p, "${mac}", 6) == 0) {
            buf_puts(b, colon);
            p += 5;
        } else {
            buf_put(b, p, 2);   /* validation makes this unreachable */
            p += 1;
        }
        run = p + 1;
    }
    buf_puts(b, run);
}

/* An http(s) URL as is; "/path" on the server of [server] http; anything
 * else below [server] http. */
static void
put_url(const alpxe_config *cfg, alpxe_buf *b, const char *v,
    const char *hostname, const alpxe_mac *mac)
{
    if (text_http_scheme(v) == 0) {
        if (v[0] == '/') {
            buf_put(b, cfg->http, cfg->origin_len);
        } else {
            buf_put(b, cfg->http, cfg->http_len);
            buf_put(b, "/", 1);
        }
    }
    cfg_expand(b, v, hostname, mac);
}

/* The name iPXE gives an image: the last path segment of its URL. */
static void
put_image_name(alpxe_buf *b, const char *url, size_t len)
{
    size_t end = 0, start = 0, i;

    while (end < len && url[end] != '?' && url[end] != '#') {
        end++;
    }
    for (i = 0; i < end; i++) {
        if (url[i] == '/') {
            start = i + 1;
        }
    }
    buf_put(b, url + start, end - start);
}

static void
put_arg(const alpxe_config *cfg, alpxe_buf *b, const char *name,
    const char *v, int url, const char *hostname, const alpxe_mac *mac)
{
    if (v == NULL) {
        return;
    }
    buf_put(b, " ", 1);
    buf_puts(b, name);
    if (url) {
        put_url(cfg, b, v, hostname, mac);
    } else {
        cfg_expand(b, v, hostname, mac);
    }
}

/* alpine_repo=: a comma list (mkinitfs find_boot_repositories), each
 * URL resolved on its own. */
static void
put_repos(const alpxe_config *cfg, alpxe_buf *b, const char *v,
    const char *hostname, const alpxe_mac *mac)
{
    char        item[ALPXE_URL_MAX];
    const char *p;
    size_t      n;

    if (v == NULL) {
        return;
    }
    buf_puts(b, " alpine_repo=");
    for (p = v; ; p += n + 1) {
        n = strcspn(p, ",");
        memcpy(item, p, n);         /* validated: n < ALPXE_URL_MAX */
        item[n] = '\0';
        put_url(cfg, b, item, hostname, mac);
        if (p[n] == '\0') {
            break;
        }
        buf_puts(b, ",");
    }
}

/*
 * BOOTIF=01-<mac>: the NIC that asked for this script.  Alpine's initramfs
 * brings up the NIC the ip= device field names, else the one whose sysfs
 * address matches BOOTIF (compared as written: lower case, which
 * alpxe_mac_format gives), else the first with link (mkinitfs
 * initramfs-init.in, configure_ip).
 */
static void
put_bootif(alpxe_buf *b, const alpxe_mac *mac)
{
    char dash[ALPXE_MAC_STR];

    alpxe_mac_format(mac, '-', dash);
    buf_puts(b, " BOOTIF=01-");
    buf_puts(b, dash);
}

/*
 * ds=nocloud;s=<http>/<mac>/: tiny-cloud's NoCloud seed (its "s=" key),
 * fetched as "<seed>/meta-data" and so on.  A menu machine's choice has
 * the profile in the seed, as its script has it in ?profile=.  Last on
 * the line: a firstboot that evals the command line reads the ';' as the
 * end of a command, and nothing follows it.  iPXE splits on spaces only
 * and ends a command at a ';' word, never inside one.
 */
static void
put_seed(const alpxe_config *cfg, const cfg_profile *p, const alpxe_host *h,
    const alpxe_mac *mac, alpxe_buf *b)
{
    char colon[ALPXE_MAC_STR];
    int  menu = h != NULL ? h->boot == ALPXE_BOOT_MENU
                          : cfg->unknown == UNKNOWN_MENU;

    alpxe_mac_format(mac, ':', colon);
    buf_puts(b, " ds=nocloud;s=");
    buf_put(b, cfg->http, cfg->http_len);
    buf_puts(b, "/");
    buf_puts(b, colon);
    buf_puts(b, "/");
    if (menu) {
        buf_puts(b, p->name);
        buf_puts(b, "/");
    }
}

void
cfg_render_boot(const alpxe_config *cfg, const cfg_profile *p,
    const alpxe_host *h, const alpxe_mac *mac, alpxe_buf *b)
{
    const char *hostname = h != NULL ? h->name : NULL;
    const char *ip, *args, *app;
    char        initrd[ALPXE_URL_MAX];
    alpxe_buf   ib;

    buf_init(&ib, initrd, sizeof(initrd));
    put_url(cfg, &ib, value_of(p, h, KEY_INITRD), hostname, mac);
    if (ib.overflow) {
        b->overflow = 1;
        return;
    }

    buf_puts(b, "#!ipxe\nkernel ");
    put_url(cfg, b, value_of(p, h, KEY_KERNEL), hostname, mac);

    /* UEFI iPXE hands the kernel its initrd only under this name. */
    buf_puts(b, " initrd=");
    put_image_name(b, initrd, ib.len);

    ip = value_of(p, h, KEY_IP);
    put_arg(cfg, b, "ip=", ip != NULL ? ip : "dhcp", 0, hostname, mac);
    put_bootif(b, mac);
    put_repos(cfg, b, value_of(p, h, KEY_REPO), hostname, mac);
    put_arg(cfg, b, "modloop=", value_of(p, h, KEY_MODLOOP), 1, hostname,
            mac);
    put_arg(cfg, b, "apkovl=", value_of(p, h, KEY_APKOVL), 1, hostname, mac);
    put_arg(cfg, b, "ssh_key=", value_of(p, h, KEY_SSH_KEY), 1, hostname,
            mac);
    args = value_of(p, h, KEY_ARGS);
    app = value_of(p, h, KEY_APPEND);
    put_arg(cfg, b, "", args, 0, hostname, mac);
    put_arg(cfg, b, "", app, 0, hostname, mac);
    if (cfg_metadata_on(p, h)) {
        put_seed(cfg, p, h, mac, b);
    }

    buf_puts(b, "\ninitrd ");
    buf_put(b, initrd, ib.len);
    buf_puts(b, "\nboot\n");
}

int
alpxe_script_for(const alpxe_config *cfg, const alpxe_mac *mac, char *buf,
    size_t size, alpxe_script *s)
{
    const cfg_mac     *e;
    const cfg_profile *p;
    alpxe_buf          b;

    s->text = NULL;
    s->len = 0;
    e = cfg_machine(cfg, mac, &s->machine);

    switch (s->machine.action) {
    case ALPXE_ACTION_BOOT:
    case ALPXE_ACTION_MENU:
        break;
    case ALPXE_ACTION_EXIT:
        s->text = cfg_exit_script;
        s->len = cfg_exit_script_len;
        return 0;
    default:
        return 0;
    }

    /* pre-rendered: the host's own in its MAC entry; an unknown MAC's
     * carries its own BOOTIF=, so it is rendered here */
    if (e != NULL && cfg->scripts != NULL
        && cfg->scripts[e - cfg->macs].ref != NULL)
    {
        const cfg_diff *d = &cfg->scripts[e - cfg->macs];

        s->len = cfg_diff_len(d);
        if (buf == NULL || size < s->len) {
            return -ENOSPC;
        }
        cfg_diff_copy(d, buf);
        s->text = buf;
        return 0;
    }
    p = e != NULL ? s->machine.host->profile : cfg->default_profile;

    buf_init(&b, buf, size);
    if (s->machine.action == ALPXE_ACTION_MENU) {
        cfg_render_menu(cfg, s->machine.host, mac, &b);
    } else {
        cfg_render_boot(cfg, p, s->machine.host, mac, &b);
    }
    if (b.overflow) {
        s->len = b.want;
        return -ENOSPC;
    }
    s->text = buf;
    s->len = b.len;
    return 0;
}

const alpxe_host *
alpxe_host_at(const alpxe_config *cfg, size_t i)
{
    return i < cfg->host_count ? &cfg->hosts[i] : NULL;
}

const char *
alpxe_host_name(const alpxe_host *h)
{
    return h->name;
}

const char *
alpxe_host_profile(const alpxe_host *h)
{
    return h->profile != NULL ? h->profile->name : NULL;
}

alpxe_boot
alpxe_host_boot(const alpxe_host *h)
{
    return (alpxe_boot) h->boot;
}

const char *
alpxe_boot_name(alpxe_boot boot)
{
    static const char *const names[] = {
        [ALPXE_BOOT_NETBOOT] = "netboot",
        [ALPXE_BOOT_LOCAL]   = "local",
        [ALPXE_BOOT_OFF]     = "off",
        [ALPXE_BOOT_MENU]    = "menu",
    };

    return (unsigned) boot <= ALPXE_BOOT_MENU ? names[boot] : "netboot";
}

unsigned
alpxe_host_line(const alpxe_host *h)
{
    return h->line;
}

size_t
alpxe_host_mac_count(const alpxe_host *h)
{
    return h->mac_count;
}

/* A host's MACs are consecutive in cfg->macs (config_keys.c). */
const alpxe_mac *
alpxe_host_mac(const alpxe_config *cfg, const alpxe_host *h, size_t i)
{
    return i < h->mac_count ? &cfg->macs[h->first_mac + i].mac : NULL;
}

const char *
alpxe_host_nfs(const alpxe_host *h)
{
    return CFG_HOST_EXTRA(h, nfs);
}

const char *
alpxe_host_alpine_dev(const alpxe_host *h)
{
    return CFG_HOST_EXTRA(h, alpine_dev);
}

static unsigned long
host_number(const alpxe_host *h, alpxe_key k, unsigned long dflt, int base)
{
    const cfg_value *v = cfg_host_value(h, k);

    return v != NULL ? strtoul(v->text, NULL, base) : dflt;
}

unsigned
alpxe_host_nfs_mode(const alpxe_host *h)
{
    return (unsigned) host_number(h, KEY_NFS_MODE, 0755, 8);
}

unsigned long
alpxe_host_nfs_uid(const alpxe_host *h)
{
    return host_number(h, KEY_NFS_UID, 0, 10);
}

unsigned long
alpxe_host_nfs_gid(const alpxe_host *h)
{
    return host_number(h, KEY_NFS_GID, 0, 10);
}

unsigned
alpxe_config_nfs_timeout_ms(const alpxe_config *cfg)
{
    return cfg->nfs_timeout_ms;
}

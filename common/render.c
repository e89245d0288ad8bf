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
    if (h->v[k].text != NULL) {
        return &h->v[k];
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
    if (h != NULL && h->v[k].text != NULL) {
        return h->v[k].text;
    }
    return p->v[k].text;
}

void
cfg_expand(alpxe_buf *b, const char *tmpl, const char *hostname,
    const alpxe_mac *mac)
{
    char        colon[ALPXE_MAC_STR], dash[ALPXE_MAC_STR];
    const char *p, *run;

    alpxe_mac_format(mac, ':', colon);
    alpxe_mac_format(mac, '-', dash);
    if (hostname == NULL) {
        hostname = dash;    /* unknown machines are named by their MAC */
    }

    for (p = run = tmpl; *p != '\0'; p++) {
        if (p[0] != '$' || p[1] != '{') {
            continue;
        }
        buf_put(b, run, (size_t) (p - run));
        if (strncmp(p, "${hostname}", 11) == 0) {
            buf_puts(b, hostname);
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
    buf_put(b, run, (size_t) (p - run));
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
    put_arg(cfg, b, "alpine_repo=", value_of(p, h, KEY_REPO), 1, hostname,
            mac);
    put_arg(cfg, b, "modloop=", value_of(p, h, KEY_MODLOOP), 1, hostname,
            mac);
    put_arg(cfg, b, "apkovl=", value_of(p, h, KEY_APKOVL), 1, hostname, mac);
    put_arg(cfg, b, "ssh_key=", value_of(p, h, KEY_SSH_KEY), 1, hostname,
            mac);
    args = value_of(p, h, KEY_ARGS);
    app = value_of(p, h, KEY_APPEND);
    put_arg(cfg, b, "", args, 0, hostname, mac);
    put_arg(cfg, b, "", app, 0, hostname, mac);

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
        break;
    case ALPXE_ACTION_EXIT:
        s->text = cfg_exit_script;
        s->len = cfg_exit_script_len;
        return 0;
    default:
        return 0;
    }

    /* pre-rendered: the host's own in its MAC entry, or the one every
     * unknown MAC shares */
    if (e != NULL && e->script != NULL) {
        s->text = e->script;
        s->len = e->script_len;
        return 0;
    }
    p = e != NULL ? s->machine.host->profile : cfg->default_profile;
    if (e == NULL && p->script != NULL) {
        s->text = p->script;
        s->len = p->script_len;
        return 0;
    }

    buf_init(&b, buf, size);
    cfg_render_boot(cfg, p, s->machine.host, mac, &b);
    if (b.overflow) {
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
    return h->boot;
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
    return h->nfs;
}

const char *
alpxe_host_alpine_dev(const alpxe_host *h)
{
    return h->alpine_dev;
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

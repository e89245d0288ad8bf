/*
 * config_finish.c - the checks that need the whole file: required keys,
 * defaults, profile references, duplicate host names and MACs, Alpine
 * pitfalls (warnings), the MAC index, the TFTP tables and pre-rendering.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "alpine.h"
#include "config_parse.h"
#include "metadata.h"
#include "validate.h"

/* "http://" + address + "/pxe" when [server] http is not given. */
static int
finish_http(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    char          url[64];
    const char   *http, *host;
    size_t        len;

    if (ps->http.text != NULL) {
        http = ps->http.text;
    } else {
        snprintf(url, sizeof(url), "http://%u.%u.%u.%u/pxe", cfg->address[0],
                 cfg->address[1], cfg->address[2], cfg->address[3]);
        http = url;
    }
    len = strlen(http);
    while (len > 0 && http[len - 1] == '/') {
        len--;
    }
    cfg->http = parse_strdup(ps, http, len);
    if (cfg->http == NULL) {
        return -1;
    }
    cfg->http_len = len;
    host = strstr(cfg->http, "://");          /* checked at its line */
    host = host != NULL ? host + 3 : cfg->http;
    cfg->origin_len = (size_t) (host - cfg->http) + strcspn(host, "/?");
    return 0;
}

const char *
cfg_profile_name(const void *cfg, uint32_t i)
{
    return ((const alpxe_config *) cfg)->profiles[i].name;
}

const cfg_profile *
cfg_find_profile(const alpxe_config *cfg, const char *name)
{
    long i = name_index_find(&cfg->profile_index, name, cfg_profile_name,
                             cfg);

    return i >= 0 ? &cfg->profiles[i] : NULL;
}

static void
finish_server(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    unsigned      line = ps->seen[SEC_SERVER];
    const char   *u = ps->unknown.text;

    if (line == 0) {
        parse_error(ps, 0, "no [server] section (it needs at least "
                    "'address = IPV4')");
        return;
    }
    if (ps->address.text == NULL) {
        parse_error(ps, line, "[server]: missing required key 'address'");
        return;
    }
    if (finish_http(ps) != 0) {
        return;
    }

    cfg->nfs_timeout_ms = ps->nfs_timeout.text != NULL
                          ? (unsigned) strtoul(ps->nfs_timeout.text, NULL, 10)
                            * 1000
                          : 5000;

    if (ps->default_profile.text != NULL) {
        cfg->default_profile = cfg_find_profile(cfg, ps->default_profile.text);
        if (cfg->default_profile == NULL) {
            parse_error(ps, ps->default_profile.line, "default: no [profile "
                        "%s] in this file", ps->default_profile.text);
        }
    }

    /* Unset, "unknown" follows "default": a named default profile means
     * unknown machines boot it, otherwise they are left alone. */
    if (u == NULL) {
        cfg->unknown = ps->default_profile.text != NULL ? UNKNOWN_DEFAULT
                                                        : UNKNOWN_IGNORE;
    } else if (strcmp(u, "default") == 0) {
        cfg->unknown = UNKNOWN_DEFAULT;
        if (ps->default_profile.text == NULL) {
            parse_error(ps, ps->unknown.line, "unknown = default needs "
                        "'default = PROFILE' in [server]");
        }
    } else if (strcmp(u, "ignore") == 0) {
        cfg->unknown = UNKNOWN_IGNORE;
    } else if (strcmp(u, "menu") == 0) {
        cfg->unknown = UNKNOWN_MENU;
    } else {
        cfg->unknown = UNKNOWN_EXIT;
    }

    cfg->menu_timeout_ms = ps->menu_timeout.text != NULL
                           ? (unsigned) strtoul(ps->menu_timeout.text, NULL,
                                                10) * 1000
                           : 10000;
}

void
parse_finish_reload(parse_state *ps)
{
    static const char *const defaults[ALPXE_RELOAD_COUNT] = {
        [ALPXE_RELOAD_KEA_SOCKET] = "/run/kea/kea4-ctrl-socket",
        [ALPXE_RELOAD_NGINX_PID]  = "/run/nginx.pid",
        [ALPXE_RELOAD_TFTPD_PID]  = "/run/tftpd-hpa.pid",
        [ALPXE_RELOAD_REMAP]      = "/etc/alpxe/tftpd.remap",
        [ALPXE_RELOAD_NGINX_LAST_GOOD] = ALPXE_NGINX_LAST_GOOD,
        [ALPXE_RELOAD_KEA_PEERS]  = "",
    };
    int i;

    for (i = 0; i < ALPXE_RELOAD_COUNT; i++) {
        ps->cfg->reload[i] = ps->reload[i].text != NULL ? ps->reload[i].text
                                                        : defaults[i];
    }
}

/* Debian's: Kea (stdout under systemd) and in.tftpd (syslog) end up in the
 * journal; nginx writes its access log itself. */
void
parse_finish_log(parse_state *ps)
{
    static const char *const defaults[ALPXE_LOG_COUNT] = {
        [ALPXE_LOG_KEA]   = ALPXE_LOG_JOURNAL,
        [ALPXE_LOG_TFTPD] = ALPXE_LOG_JOURNAL,
        [ALPXE_LOG_NGINX] = "/var/log/nginx/access.log",
    };
    int i;

    for (i = 0; i < ALPXE_LOG_COUNT; i++) {
        ps->cfg->log[i] = ps->log[i].text != NULL ? ps->log[i].text
                                                  : defaults[i];
    }
}

static void
finish_loaders(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;

    /* What Debian's ipxe package ships; arm and 32-bit have no default. */
    if (cfg->loader[ALPXE_ARCH_BIOS].text == NULL) {
        cfg->loader[ALPXE_ARCH_BIOS].text = "undionly.kpxe";
    }
    if (cfg->loader[ALPXE_ARCH_EFI64].text == NULL) {
        cfg->loader[ALPXE_ARCH_EFI64].text = "snponly.efi";
    }
}

static void
finish_profiles(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    const cfg_value *v[KEY_COUNT];
    unsigned      own;
    size_t        i;
    int           k;

    for (i = 0; i < cfg->profile_count; i++) {
        cfg_profile *p = &cfg->profiles[i];

        if (p->v[KEY_KERNEL].text == NULL) {
            parse_error(ps, p->line, "[profile %s]: missing required key "
                        "'kernel'", p->name);
        }
        if (p->v[KEY_INITRD].text == NULL) {
            parse_error(ps, p->line, "[profile %s]: missing required key "
                        "'initrd'", p->name);
        }
        own = 0;
        for (k = 0; k < KEY_COUNT; k++) {
            v[k] = p->v[k].text != NULL ? &p->v[k] : NULL;
            own |= v[k] != NULL ? 1u << k : 0;
        }
        alpine_rules(ps, v, "profile", p->name, p->line, own, 0);
    }
}

static const char *
host_name_of(const void *cfg, uint32_t i)
{
    return ((const alpxe_config *) cfg)->hosts[i].name;
}

/* names become hostnames, which DNS compares without case */
static void
duplicate_host_names(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    name_index    ix = { NULL, 0, 0, 1 };
    alpxe_host   *h, *first;
    uint32_t      f;
    size_t        i;
    int           rc;

    if (name_index_reserve(&ix, cfg->host_count) != 0) {
        ps->nomem = 1;
        return;
    }
    for (i = 0; i < cfg->host_count; i++) {
        h = &cfg->hosts[i];
        rc = name_index_add(&ix, (uint32_t) i, h->name, host_name_of, cfg,
                            &f);
        if (rc < 0) {
            ps->nomem = 1;
            break;
        }
        if (rc == 0) {
            continue;
        }
        first = &cfg->hosts[f];
        if (strcmp(h->name, first->name) == 0) {
            parse_error(ps, h->line, "duplicate section [host %s] (first at "
                        "line %u)", h->name, first->line);
        } else {
            parse_error(ps, h->line, "duplicate section [host %s] (first at "
                        "line %u as [host %s]: host names are compared "
                        "without case)", h->name, first->line, first->name);
        }
    }
    name_index_free(&ix);
}

/* The value of a legacy alpine_dev=nfs:… argument, expanded, or NULL:
 * `alpxe check --network` checks it like `nfs`. */
static const char *
legacy_alpine_dev(parse_state *ps, const alpxe_host *h,
    const cfg_value *const *v)
{
    char        out[ALPXE_URL_MAX];
    const char *args, *p;
    alpxe_buf   b;
    size_t      n;
    int         k;

    for (k = KEY_ARGS; k <= KEY_APPEND; k++) {
        args = v[k] != NULL ? v[k]->text : NULL;
        for (p = args; p != NULL && *p != '\0'; p += n + (p[n] == ' ')) {
            n = strcspn(p, " ");
            if (n > 15 && strncmp(p, "alpine_dev=nfs:", 15) == 0) {
                char tmpl[ALPXE_URL_MAX];

                if (n - 11 >= sizeof(tmpl)) {
                    return NULL;
                }
                memcpy(tmpl, p + 11, n - 11);
                tmpl[n - 11] = '\0';
                buf_init(&b, out, sizeof(out));
                cfg_expand(&b, tmpl, h->name, &ps->cfg->macs[h->first_mac].mac);
                if (buf_finish(&b) != 0) {
                    return NULL;
                }
                return parse_strdup(ps, b.p, b.len);
            }
        }
    }
    return NULL;
}

static void
finish_host(parse_state *ps, alpxe_host *h)
{
    alpxe_config    *cfg = ps->cfg;
    const cfg_value *v[KEY_COUNT];
    const char      *dev;
    char             nfs[ALPXE_URL_MAX];
    alpxe_buf        b;
    uint32_t         i;
    unsigned         own = 0;
    int              k;

    if (h->mac_count == 0) {
        parse_error(ps, h->line, "[host %s]: missing required key 'mac'",
                    h->name);
        return;
    }
    if (h->profile_ref.text != NULL) {
        h->profile = cfg_find_profile(cfg, h->profile_ref.text);
        if (h->profile == NULL) {
            parse_error(ps, h->profile_ref.line, "profile: no [profile %s] "
                        "in this file", h->profile_ref.text);
            return;
        }
    } else {
        h->profile = cfg->default_profile;
        if (h->profile == NULL) {
            parse_error(ps, h->line, "[host %s]: no profile (set 'profile = "
                        "NAME', or 'default = NAME' in [server])", h->name);
            return;
        }
    }

    for (i = h->first_mac; i < h->first_mac + h->mac_count; i++) {
        cfg->macs[i].boot = (uint8_t) h->boot;
        cfg->macs[i].profile = h->profile->name;
    }

    /* the profile's values under the host's own */
    for (k = 0; k < KEY_COUNT; k++) {
        v[k] = h->profile->v[k].text != NULL ? &h->profile->v[k] : NULL;
    }
    for (own = h->own_keys, i = 0; own != 0; own &= own - 1, i++) {
        v[__builtin_ctz(own)] = &h->own[i];
    }
    own = h->own_keys;
    alpine_rules(ps, v, "host", h->name, h->line, own, h->mac_count);

    dev = legacy_alpine_dev(ps, h, v);
    if (dev != NULL && parse_host_extra(ps, h) != NULL) {
        h->extra->alpine_dev = dev;
    }

    if (v[KEY_NFS] != NULL) {
        buf_init(&b, nfs, sizeof(nfs));
        cfg_expand(&b, v[KEY_NFS]->text, h->name,
                   &cfg->macs[h->first_mac].mac);
        if (buf_finish(&b) != 0) {
            parse_error(ps, v[KEY_NFS]->line, "nfs: longer than %d bytes "
                        "once expanded", ALPXE_URL_MAX - 1);
            return;
        }
        if (parse_host_extra(ps, h) != NULL) {
            h->extra->nfs = parse_strdup(ps, b.p, b.len);
        }
    }
}

static void
duplicate_mac(void *ctx, const cfg_mac *first, const cfg_mac *again)
{
    parse_state *ps = ctx;
    char         s[ALPXE_MAC_STR];

    alpxe_mac_format(&again->mac, ':', s);
    parse_error(ps, again->line, "mac: duplicate MAC %s (already host %s, "
                "line %u)", s, ps->cfg->hosts[first->host].name, first->line);
}

static void
finish_index(parse_state *ps)
{
    if (cfg_index_build(ps->cfg, duplicate_mac, ps) != 0) {
        ps->nomem = 1;
    }
}

static int
add_loader(parse_state *ps, const char *name)
{
    alpxe_config *cfg = ps->cfg;
    size_t        i;
    const char  **p;

    for (i = 0; i < cfg->loader_count; i++) {
        if (strcmp(cfg->loaders[i], name) == 0) {
            return 0;
        }
    }
    p = realloc(cfg->loaders, (cfg->loader_count + 1) * sizeof(*p));
    if (p == NULL) {
        ps->nomem = 1;
        return -1;
    }
    cfg->loaders = p;
    cfg->loaders[cfg->loader_count++] = name;
    return 0;
}

/* An alias named like a loader would hand the clients that ask for that
 * loader another file (alias = undionly.kpxe snponly.efi: BIOS ROMs would
 * get a UEFI loader). */
static void
alias_shadows_loader(parse_state *ps, const cfg_alias *a)
{
    alpxe_config *cfg = ps->cfg;
    size_t        i;
    int           same;

    for (i = 0; i < cfg->loader_count; i++) {
        same = cfg->tftp_case_insensitive
               ? strcasecmp(a->name, cfg->loaders[i]) == 0
               : strcmp(a->name, cfg->loaders[i]) == 0;
        if (same && strcmp(a->target, cfg->loaders[i]) != 0) {
            parse_error(ps, a->line, "alias: %s is a loader this file names; "
                        "the clients asking for it would get %s instead "
                        "(choose another alias name)", a->name, a->target);
            return;
        }
    }
}

static void
finish_tftp(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    size_t        i;
    int           k, arch, have_gpxe = 0;

    cfg->tftp_root = ps->tftp_root.text != NULL ? ps->tftp_root.text
                                                : "/srv/tftp";
    cfg->tftp_source = ps->tftp_source.text != NULL ? ps->tftp_source.text
                                                    : "/usr/lib/ipxe";
    cfg->tftp_case_insensitive = ps->tftp_case.text == NULL
                                 || strcmp(ps->tftp_case.text, "insensitive")
                                    == 0;

    for (k = 0; k < ALPXE_ARCH_COUNT; k++) {
        if (cfg->loader[k].text != NULL) {
            add_loader(ps, cfg->loader[k].text);
        }
    }
    for (i = 0; i < cfg->profile_count; i++) {
        for (k = 0; k < ALPXE_ARCH_COUNT; k++) {
            if (cfg->profiles[i].v[KEY_LOADER_FIRST + k].text != NULL) {
                add_loader(ps, cfg->profiles[i].v[KEY_LOADER_FIRST + k].text);
            }
        }
    }
    for (i = 0; i < cfg->host_count; i++) {
        for (k = 0; k < ALPXE_ARCH_COUNT; k++) {
            const char *l = cfg_host_own_text(&cfg->hosts[i],
                                              KEY_LOADER_FIRST + k);

            if (l != NULL) {
                add_loader(ps, l);
            }
        }
    }

    for (i = 0; i < cfg->alias_count; i++) {
        cfg_alias *a = &cfg->aliases[i];

        arch = alpxe_arch_from_name(a->target, strlen(a->target));
        if (arch >= 0) {
            if (cfg->loader[arch].text == NULL) {
                parse_error(ps, a->line, "alias: no loader for %s in "
                            "[loader]", a->target);
                continue;
            }
            a->target = cfg->loader[arch].text;
        }
        if (strcasecmp(a->name, "gpxe.kpxe") == 0) {
            have_gpxe = 1;
        }
        alias_shadows_loader(ps, a);
    }

    /* The seed's other DHCP server hard-codes gpxe.kpxe for BIOS clients. */
    if (!have_gpxe) {
        if (parse_grow((void **) &cfg->aliases, &ps->alias_cap,
                       cfg->alias_count, sizeof(cfg_alias)) != 0)
        {
            ps->nomem = 1;
            return;
        }
        cfg->aliases[cfg->alias_count].name = "gpxe.kpxe";
        cfg->aliases[cfg->alias_count].target =
            cfg->loader[ALPXE_ARCH_BIOS].text;
        cfg->alias_count++;
    }
}

/*
 * URLs handed out over DHCP: over 127 bytes they miss the BOOTP file field
 * (a warning: option 67 still carries them); over 255 no DHCP option can
 * (an error: the client could never boot).
 */
static void
check_dhcp_url(parse_state *ps, unsigned line, const char *what, size_t len)
{
    if (len > ALPXE_DHCP_OPTION_MAX) {
        parse_error(ps, line, "%s URLs are %zu bytes; a DHCP option holds "
                    "%d", what, len, ALPXE_DHCP_OPTION_MAX);
    } else if (len > ALPXE_DHCP_FILE_MAX) {
        parse_warning(ps, line, "%s URLs are %zu bytes, longer than the %d "
                      "bytes of the DHCP file field; only clients reading "
                      "option 67 will get them", what, len,
                      ALPXE_DHCP_FILE_MAX);
    }
}

/* A profile's or host's own loader (NULL: none), as a UEFI HTTP boot
 * URL: only the error is reported here (the [loader] lines carry the
 * warning). */
static void
loader_url_fits(parse_state *ps, const cfg_value *v)
{
    size_t len;

    if (v == NULL || v->text == NULL) {
        return;
    }
    len = ps->cfg->http_len + CFG_LOADER_DIR_LEN + strlen(v->text);
    if (len > ALPXE_DHCP_OPTION_MAX) {
        check_dhcp_url(ps, v->line, "loader: its UEFI HTTP boot", len);
    }
}

static void
finish_url_lengths(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    char          what[64];
    unsigned      line;
    size_t        i;
    int           k;

    line = ps->http.line != 0 ? ps->http.line : ps->seen[SEC_SERVER];
    check_dhcp_url(ps, line, "http: script",
                   cfg->http_len + 1 + ALPXE_MAC_STR - 1 + 1
                   + sizeof(ALPXE_SCRIPT_NAME) - 1);

    /* UEFI HTTP boot gets ${http}/loader/<file> for every loader named. */
    for (k = 0; k < ALPXE_ARCH_COUNT; k++) {
        if (cfg->loader[k].text != NULL) {
            snprintf(what, sizeof(what), "%s: its UEFI HTTP boot",
                     alpxe_arch_name(k));
            check_dhcp_url(ps, cfg->loader[k].line != 0 ? cfg->loader[k].line
                                                       : line, what,
                           cfg->http_len + CFG_LOADER_DIR_LEN
                           + strlen(cfg->loader[k].text));
        }
    }
    for (k = KEY_LOADER_FIRST; k < KEY_COUNT; k++) {
        for (i = 0; i < cfg->profile_count; i++) {
            loader_url_fits(ps, &cfg->profiles[i].v[k]);
        }
        for (i = 0; i < cfg->host_count; i++) {
            loader_url_fits(ps, cfg_host_own(&cfg->hosts[i], k));
        }
    }
}

/*
 * Every script a MAC can be served must fit ALPXE_SCRIPT_MAX, or that MAC
 * would get HTTP 500 from a file that passed every check.  So each is
 * rendered here, with ALPXE_LOAD_SCRIPTS kept for the requests; without it
 * one MAC per host is enough (every MAC spells with as many characters).
 */
static void
finish_scripts(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    int           keep = (ps->flags & ALPXE_LOAD_SCRIPTS) != 0;
    char          text[ALPXE_SCRIPT_MAX];
    alpxe_mac     zero = {{0}};
    cfg_diff_ref *refs = NULL;
    alpxe_buf     b;
    alpxe_host   *h;
    cfg_mac      *m;
    size_t        i, slot;

    /* each profile's scripts are kept against its first; the menus
     * against the first menu (the last slot) */
    if (keep) {
        refs = calloc(cfg->profile_count + 1, sizeof(*refs));
        cfg->scripts = arena_alloc(&cfg->mem,
                                   cfg->mac_count * sizeof(*cfg->scripts));
        if (refs == NULL || (cfg->scripts == NULL && cfg->mac_count != 0)) {
            free(refs);
            ps->nomem = 1;
            return;
        }
    }

    for (i = 0; i < cfg->mac_count && !ps->nomem; i++) {
        m = &cfg->macs[i];
        h = &cfg->hosts[m->host];
        if ((h->boot != ALPXE_BOOT_NETBOOT && h->boot != ALPXE_BOOT_MENU)
            || (!keep && i != h->first_mac))
        {
            continue;
        }
        buf_init(&b, text, sizeof(text));
        if (h->boot == ALPXE_BOOT_MENU) {
            cfg_render_menu(cfg, h, &m->mac, &b);
            slot = cfg->profile_count;
        } else {
            cfg_render_boot(cfg, h->profile, h, &m->mac, &b);
            slot = (size_t) (h->profile - cfg->profiles);
        }
        if (b.overflow) {
            if (i == h->first_mac) {
                parse_error(ps, h->line, "[host %s]: its script is longer "
                            "than %d bytes", h->name, ALPXE_SCRIPT_MAX);
            }
            continue;
        }
        if (keep && cfg_diff_keep(&cfg->mem, &refs[slot], text, b.len,
                                  &cfg->scripts[i]) != 0)
        {
            ps->nomem = 1;
        }
    }
    free(refs);

    /* Unknown MACs are named by their MAC and their scripts carry it
     * (BOOTIF): rendered per request, all of one length, checked here. */
    if (cfg->default_profile == NULL || cfg->unknown != UNKNOWN_DEFAULT) {
        return;
    }
    buf_init(&b, text, sizeof(text));
    cfg_render_boot(cfg, cfg->default_profile, NULL, &zero, &b);
    if (b.overflow) {
        parse_error(ps, cfg->default_profile->line, "[profile %s]: its "
                    "script for unknown machines (unknown = default) is "
                    "longer than %d bytes", cfg->default_profile->name,
                    ALPXE_SCRIPT_MAX);
    }
}

/*
 * The menu (unknown = menu, boot = menu) offers every profile without
 * menu = no; it needs one at least.  And the script of a request that
 * names no MAC, which does not depend on any.
 */
static void
finish_menu(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    char          text[ALPXE_URL_MAX + 64];
    alpxe_buf     b;
    size_t        i;

    for (i = 0; i < cfg->profile_count; i++) {
        const char *m = cfg->profiles[i].v[KEY_MENU].text;

        cfg->menu_count += m == NULL || strcmp(m, "no") != 0;
    }
    if (cfg->menu_count == 0) {
        if (cfg->unknown == UNKNOWN_MENU) {
            parse_error(ps, ps->unknown.line, "unknown = menu, but every "
                        "profile has menu = no: the menu would be empty");
        }
        for (i = 0; i < cfg->host_count; i++) {
            if (cfg->hosts[i].boot == ALPXE_BOOT_MENU) {
                parse_error(ps, cfg->hosts[i].line, "[host %s]: boot = menu, "
                            "but every profile has menu = no: the menu "
                            "would be empty", cfg->hosts[i].name);
            }
        }
    }

    buf_init(&b, text, sizeof(text));
    cfg_render_chain(cfg, &b);
    cfg->chain_script = parse_strdup(ps, b.p, b.len);
    cfg->chain_len = b.len;
}

int
parse_finish(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    size_t        i;

    finish_server(ps);
    parse_finish_reload(ps);
    parse_finish_log(ps);
    finish_loaders(ps);
    finish_profiles(ps);
    duplicate_host_names(ps);
    for (i = 0; i < cfg->host_count && !ps->nomem; i++) {
        finish_host(ps, &cfg->hosts[i]);
    }
    if (ps->errors != 0 || ps->nomem) {
        return -1;
    }
    finish_index(ps);
    finish_tftp(ps);
    finish_url_lengths(ps);
    finish_menu(ps);
    if (ps->errors == 0 && !ps->nomem) {
        metadata_load(ps);
    }
    if (ps->errors == 0 && !ps->nomem) {
        finish_scripts(ps);
    }
    if (ps->errors == 0 && !ps->nomem && (ps->flags & ALPXE_LOAD_SCRIPTS)) {
        metadata_prerender(ps);
    }
    return ps->errors != 0 || ps->nomem ? -1 : 0;
}

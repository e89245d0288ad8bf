/*
 * config_finish.c - the checks that need the whole file: required keys,
 * defaults, profile references, duplicate host names and MACs, Alpine
 * pitfalls (warnings), the MAC index, the TFTP tables and pre-rendering.
 */

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "config_parse.h"
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
    } else {
        cfg->unknown = UNKNOWN_EXIT;
    }
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

/* Does the argument list hold `word` inside a modules= argument? */
static int
has_module(const char *args, const char *word)
{
    const char *p = args, *end, *m;
    size_t      n = strlen(word);

    while (p != NULL && *p != '\0') {
        end = strchr(p, ' ');
        if (end == NULL) {
            end = p + strlen(p);
        }
        if (strncmp(p, "modules=", 8) == 0) {
            for (m = p + 8; m < end; m += strcspn(m, ",") + 1) {
                if ((size_t) (end - m) >= n && strncmp(m, word, n) == 0
                    && (m + n == end || m[n] == ','))
                {
                    return 1;
                }
                if (memchr(m, ',', (size_t) (end - m)) == NULL) {
                    break;
                }
            }
        }
        p = *end != '\0' ? end + 1 : end;
    }
    return 0;
}

static int
has_arg_prefix(const char *args, const char *prefix)
{
    const char *p;
    size_t      n = strlen(prefix);

    for (p = args; p != NULL && *p != '\0'; p = strchr(p, ' ')) {
        if (*p == ' ') {
            p++;
        }
        if (strncmp(p, prefix, n) == 0) {
            return 1;
        }
    }
    return 0;
}

/*
 * Alpine pitfalls, for the values a profile or a host sets.  `v` holds the
 * effective values; `own` says which the section itself wrote (a host is
 * only warned about what it changes, not what its profile already did).
 */
static void
alpine_pitfalls(parse_state *ps, const cfg_value *const *v, const char *what,
    unsigned line, int own_args, int own_modloop)
{
    const char *args = v[KEY_ARGS] != NULL ? v[KEY_ARGS]->text : NULL;
    const char *app = v[KEY_APPEND] != NULL ? v[KEY_APPEND]->text : NULL;
    unsigned    at;

    if (own_args) {
        if ((args != NULL && has_arg_prefix(args, "alpine_dev="))
            || (app != NULL && has_arg_prefix(app, "alpine_dev=")))
        {
            at = v[KEY_APPEND] != NULL && has_arg_prefix(app, "alpine_dev=")
                 ? v[KEY_APPEND]->line : v[KEY_ARGS]->line;
            parse_warning(ps, at, "%s: alpine_dev= is ignored by Alpine "
                          "(its initramfs dropped NFS in 2015); use 'nfs = "
                          "nfs://SERVER/PATH' for per-host data", what);
        }
    }
    if ((own_args || own_modloop) && v[KEY_MODLOOP] != NULL
        && !((args != NULL && has_module(args, "loop")
              && has_module(args, "squashfs"))
             || (app != NULL && has_module(app, "loop")
                 && has_module(app, "squashfs"))))
    {
        at = v[KEY_ARGS] != NULL ? v[KEY_ARGS]->line : line;
        parse_warning(ps, at, "%s: modloop is set but the arguments lack "
                      "modules=loop,squashfs: Alpine cannot mount the "
                      "modloop without them", what);
    }
}

static void
finish_profiles(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    const cfg_value *v[KEY_COUNT];
    char          what[128];
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
        for (k = 0; k < KEY_COUNT; k++) {
            v[k] = p->v[k].text != NULL ? &p->v[k] : NULL;
            if (v[k] != NULL && k != KEY_NFS && uses_vars(v[k]->text)) {
                p->uses_vars = 1;
            }
        }
        snprintf(what, sizeof(what), "[profile %s]", p->name);
        alpine_pitfalls(ps, v, what, p->line, 1, 1);
    }
}

static int
cmp_host_name(const void *a, const void *b)
{
    const alpxe_host *const *x = a, *const *y = b;
    int c = strcasecmp((*x)->name, (*y)->name);

    if (c != 0) {
        return c;
    }
    return (*x)->line < (*y)->line ? -1 : (*x)->line > (*y)->line;
}

static void
duplicate_host_names(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    alpxe_host  **by_name;
    size_t        i;

    if (cfg->host_count < 2) {
        return;
    }
    by_name = malloc(cfg->host_count * sizeof(*by_name));
    if (by_name == NULL) {
        ps->nomem = 1;
        return;
    }
    for (i = 0; i < cfg->host_count; i++) {
        by_name[i] = &cfg->hosts[i];
    }
    qsort(by_name, cfg->host_count, sizeof(*by_name), cmp_host_name);
    for (i = 1; i < cfg->host_count; i++) {
        /* names become hostnames, which DNS compares without case */
        if (strcmp(by_name[i]->name, by_name[i - 1]->name) == 0) {
            parse_error(ps, by_name[i]->line, "duplicate section [host %s] "
                        "(first at line %u)", by_name[i]->name,
                        by_name[i - 1]->line);
        } else if (strcasecmp(by_name[i]->name, by_name[i - 1]->name) == 0) {
            parse_error(ps, by_name[i]->line, "duplicate section [host %s] "
                        "(first at line %u as [host %s]: host names are "
                        "compared without case)", by_name[i]->name,
                        by_name[i - 1]->line, by_name[i - 1]->name);
        }
    }
    free(by_name);
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
    char             what[300], nfs[ALPXE_URL_MAX];
    alpxe_buf        b;
    uint32_t         i;
    int              k, own_args, own_modloop;

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

    for (k = 0; k < KEY_COUNT; k++) {
        v[k] = cfg_host_value(h, (alpxe_key) k);
    }
    own_args = h->v[KEY_ARGS].text != NULL || h->v[KEY_APPEND].text != NULL;
    own_modloop = h->v[KEY_MODLOOP].text != NULL;
    if (own_args || own_modloop) {
        snprintf(what, sizeof(what), "[host %s]", h->name);
        alpine_pitfalls(ps, v, what, h->line, own_args, own_modloop);
    }

    h->alpine_dev = legacy_alpine_dev(ps, h, v);

    if (v[KEY_NFS] != NULL) {
        buf_init(&b, nfs, sizeof(nfs));
        cfg_expand(&b, v[KEY_NFS]->text, h->name,
                   &cfg->macs[h->first_mac].mac);
        if (buf_finish(&b) != 0) {
            parse_error(ps, v[KEY_NFS]->line, "nfs: longer than %d bytes "
                        "once expanded", ALPXE_URL_MAX - 1);
            return;
        }
        h->nfs = parse_strdup(ps, b.p, b.len);
    }
}

static void
finish_index(parse_state *ps)
{
    alpxe_config  *cfg = ps->cfg;
    const cfg_mac *m, *first;
    char           s[ALPXE_MAC_STR];
    size_t         i;

    if (cfg_index_build(cfg) != 0) {
        ps->nomem = 1;
        return;
    }
    /* cfg_index_build keeps the first of equal MACs; report the others. */
    for (i = 0; i < cfg->mac_count; i++) {
        m = &cfg->macs[i];
        first = cfg_index_find(cfg, &m->mac);
        if (first != m) {
            alpxe_mac_format(&m->mac, ':', s);
            parse_error(ps, m->line, "mac: duplicate MAC %s (already host "
                        "%s, line %u)", s, cfg->hosts[first->host].name,
                        first->line);
        }
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
            if (cfg->hosts[i].v[KEY_LOADER_FIRST + k].text != NULL) {
                add_loader(ps, cfg->hosts[i].v[KEY_LOADER_FIRST + k].text);
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

/* A profile's or host's own loaders, as UEFI HTTP boot URLs: only the
 * error is reported here (the [loader] lines carry the warning). */
static void
loader_urls_fit(parse_state *ps, const cfg_value *v)
{
    size_t len;
    int    k;

    for (k = KEY_LOADER_FIRST; k < KEY_COUNT; k++) {
        if (v[k].text == NULL) {
            continue;
        }
        len = ps->cfg->http_len + CFG_LOADER_DIR_LEN + strlen(v[k].text);
        if (len > ALPXE_DHCP_OPTION_MAX) {
            check_dhcp_url(ps, v[k].line, "loader: its UEFI HTTP boot",
                           len);
        }
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
    for (i = 0; i < cfg->profile_count; i++) {
        loader_urls_fit(ps, cfg->profiles[i].v);
    }
    for (i = 0; i < cfg->host_count; i++) {
        loader_urls_fit(ps, cfg->hosts[i].v);
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
    alpxe_buf     b;
    alpxe_host   *h;
    cfg_mac      *m;
    cfg_profile  *p;
    size_t        i;

    for (i = 0; i < cfg->mac_count && !ps->nomem; i++) {
        m = &cfg->macs[i];
        h = &cfg->hosts[m->host];
        if (h->boot != ALPXE_BOOT_NETBOOT
            || (!keep && i != h->first_mac))
        {
            continue;
        }
        buf_init(&b, text, sizeof(text));
        cfg_render_boot(cfg, h->profile, h, &m->mac, &b);
        if (b.overflow) {
            if (i == h->first_mac) {
                parse_error(ps, h->line, "[host %s]: its script is longer "
                            "than %d bytes", h->name, ALPXE_SCRIPT_MAX);
            }
            continue;
        }
        if (keep) {
            m->script = parse_strdup(ps, text, b.len);
            m->script_len = (uint32_t) b.len;
        }
    }

    /* Unknown MACs are named by their MAC: their scripts all have one
     * length, and share one text when it does not depend on the MAC. */
    p = (cfg_profile *) cfg->default_profile;
    if (p == NULL || cfg->unknown != UNKNOWN_DEFAULT) {
        return;
    }
    buf_init(&b, text, sizeof(text));
    cfg_render_boot(cfg, p, NULL, &zero, &b);
    if (b.overflow) {
        parse_error(ps, p->line, "[profile %s]: its script for unknown "
                    "machines (unknown = default) is longer than %d bytes",
                    p->name, ALPXE_SCRIPT_MAX);
        return;
    }
    if (keep && !p->uses_vars) {
        p->script = parse_strdup(ps, text, b.len);
        p->script_len = b.len;
    }
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
    if (ps->errors == 0 && !ps->nomem) {
        finish_scripts(ps);
    }
    return ps->errors != 0 || ps->nomem ? -1 : 0;
}

/*
 * config_keys.c - one "key = value" line: is the key known in its section,
 * is the value valid, is it a duplicate.  Checks that need other sections
 * (profile references, duplicate MACs) wait for config_finish.c.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "config_parse.h"
#include "text.h"
#include "validate.h"

static const char *const key_names[KEY_COUNT] = {
    [KEY_KERNEL]  = "kernel",
    [KEY_INITRD]  = "initrd",
    [KEY_MODLOOP] = "modloop",
    [KEY_REPO]    = "repo",
    [KEY_SSH_KEY] = "ssh_key",
    [KEY_APKOVL]  = "apkovl",
    [KEY_IP]      = "ip",
    [KEY_ARGS]    = "args",
    [KEY_APPEND]  = "append",
    [KEY_NFS]     = "nfs",
    [KEY_NFS_MODE] = "nfs_mode",
    [KEY_NFS_UID] = "nfs_uid",
    [KEY_NFS_GID] = "nfs_gid",
    [KEY_METADATA] = "metadata",
    [KEY_AUTHORIZED_KEYS] = "authorized_keys",
    [KEY_USER_DATA] = "user_data",
    [KEY_DESCRIPTION] = "description",
    [KEY_MENU] = "menu",
    [KEY_LOADER_FIRST + ALPXE_ARCH_BIOS]  = "loader_bios",
    [KEY_LOADER_FIRST + ALPXE_ARCH_EFI32] = "loader_efi32",
    [KEY_LOADER_FIRST + ALPXE_ARCH_EFI64] = "loader_efi64",
    [KEY_LOADER_FIRST + ALPXE_ARCH_ARM32] = "loader_arm32",
    [KEY_LOADER_FIRST + ALPXE_ARCH_ARM64] = "loader_arm64",
};

static int
profile_key(const char *key)
{
    int k;

    /* the first letter first: a key is looked up for every line */
    for (k = 0; k < KEY_COUNT; k++) {
        if (key[0] == key_names[k][0] && strcmp(key, key_names[k]) == 0) {
            return k;
        }
    }
    return -1;
}

/* Store a single-valued key, refusing a second definition. */
static void
set_once(parse_state *ps, cfg_value *slot, const char *key,
    const char *value)
{
    if (slot->line != 0) {
        parse_error(ps, ps->line, "duplicate key '%s' (first set at line "
                    "%u)", key, slot->line);
        return;
    }
    slot->text = parse_strdup(ps, value, strlen(value));
    slot->line = ps->line;
}

/* args/append may be repeated: the lines are joined with one space. */
static void
append_args(parse_state *ps, cfg_value *slot, const char *value)
{
    char        joined[2 * 4096];
    const char *p;
    size_t      n = 0;

    if (slot->text != NULL) {
        n = strlen(slot->text);
        if (n >= sizeof(joined) / 2) {
            parse_error(ps, ps->line, "arguments longer than %zu bytes",
                        sizeof(joined) / 2);
            return;
        }
        memcpy(joined, slot->text, n);
    }
    for (p = value; *p != '\0' && n + 2 < sizeof(joined); p++) {
        char c = *p == '\t' ? ' ' : *p;

        /* one space between arguments, none at either end */
        if (c == ' ' && (n == 0 || joined[n - 1] == ' ')) {
            continue;
        }
        if (n > 0 && joined[n - 1] != ' ' && p == value) {
            joined[n++] = ' ';
        }
        joined[n++] = c;
    }
    while (n > 0 && joined[n - 1] == ' ') {
        n--;
    }
    if (n >= sizeof(joined) / 2) {
        parse_error(ps, ps->line, "arguments longer than %zu bytes",
                    sizeof(joined) / 2);
        return;
    }
    slot->text = parse_strdup(ps, joined, n);
    if (slot->line == 0) {
        slot->line = ps->line;
    }
}

static int
looks_like_literal_key(const char *v)
{
    return strchr(v, ' ') != NULL || strchr(v, '\t') != NULL
           || strncmp(v, "ssh-", 4) == 0 || strncmp(v, "ecdsa-", 6) == 0
           || strncmp(v, "sk-", 3) == 0;
}

/* A key of a profile or a host (the same keys; hosts override). */
static void
value_key(parse_state *ps, cfg_value *v, int k, const char *value)
{
    char msg[512];
    int  rc = 0;

    switch (k) {
    case KEY_ARGS:
    case KEY_APPEND:
        if (check_args(value, msg, sizeof(msg)) != 0) {
            parse_error(ps, ps->line, "%s: %s", key_names[k], msg);
            return;
        }
        append_args(ps, &v[k], value);
        return;
    case KEY_SSH_KEY:
        if (looks_like_literal_key(value)) {
            parse_warning(ps, ps->line, "ssh_key: looks like a literal key; "
                          "Alpine's initramfs splits the command line on "
                          "spaces, so give the URL of a key file (ssh_key = "
                          "http://SERVER/keys/admin.pub); ignored");
            return;
        }
        rc = check_url(value, msg, sizeof(msg));
        break;
    case KEY_IP:
        rc = check_ip(value, msg, sizeof(msg));
        break;
    case KEY_REPO:
        rc = check_url_list(value, msg, sizeof(msg));
        break;
    case KEY_NFS:
        rc = check_nfs(value, msg, sizeof(msg));
        break;
    case KEY_NFS_MODE:
        rc = check_number(value, 8, 07777, msg, sizeof(msg));
        break;
    case KEY_NFS_UID:
    case KEY_NFS_GID:
        rc = check_number(value, 10, 0xfffffffe, msg, sizeof(msg));
        break;
    case KEY_METADATA:
    case KEY_MENU:
        rc = check_yes_no(value, msg, sizeof(msg));
        break;
    case KEY_AUTHORIZED_KEYS:
    case KEY_USER_DATA:
        rc = check_file_name(value, msg, sizeof(msg));
        break;
    case KEY_DESCRIPTION:
        rc = check_description(value, msg, sizeof(msg));
        break;
    default:
        if (k >= KEY_LOADER_FIRST) {
            rc = check_loader(value, msg, sizeof(msg));
        } else {
            rc = check_url(value, msg, sizeof(msg));
        }
        break;
    }
    if (rc != 0) {
        parse_error(ps, ps->line, "%s: %s", key_names[k], msg);
        return;
    }
    set_once(ps, &v[k], key_names[k], value);
}

static void
unknown_key(parse_state *ps, const char *key, const char *section,
    const char *name)
{
    char esc[96];

    escape_value(key, esc, sizeof(esc));
    parse_error(ps, ps->line, "unknown key '%s' in [%s%s%s]", esc, section,
                name != NULL ? " " : "", name != NULL ? name : "");
}

static void
server_key(parse_state *ps, const char *key, const char *value)
{
    alpxe_config *cfg = ps->cfg;
    char          msg[512], q[96];

    quote_value(value, q, sizeof(q));
    if (strcmp(key, "address") == 0) {
        if (inet_pton(AF_INET, value, cfg->address) != 1) {
            parse_error(ps, ps->line, "address: %s is not an IPv4 address",
                        q);
            return;
        }
        set_once(ps, &ps->address, key, value);
    } else if (strcmp(key, "http") == 0) {
        if (text_http_scheme(value) == 0) {
            parse_error(ps, ps->line, "http: %s is not an http:// or "
                        "https:// URL", q);
            return;
        }
        if (check_url(value, msg, sizeof(msg)) != 0 || uses_vars(value)) {
            parse_error(ps, ps->line, "http: %s", uses_vars(value)
                        ? "takes no variables" : msg);
            return;
        }
        set_once(ps, &ps->http, key, value);
    } else if (strcmp(key, "unknown") == 0) {
        if (strcmp(value, "default") != 0 && strcmp(value, "ignore") != 0
            && strcmp(value, "exit") != 0 && strcmp(value, "menu") != 0)
        {
            parse_error(ps, ps->line, "unknown: %s is none of default, "
                        "ignore, exit, menu", q);
            return;
        }
        set_once(ps, &ps->unknown, key, value);
    } else if (strcmp(key, "menu_timeout") == 0) {
        if (check_number(value, 10, 3600, msg, sizeof(msg)) != 0) {
            parse_error(ps, ps->line, "menu_timeout: %s is not a number of "
                        "seconds from 0 (wait for a choice) to 3600", q);
            return;
        }
        set_once(ps, &ps->menu_timeout, key, value);
    } else if (strcmp(key, "nfs_timeout") == 0) {
        if (check_number(value, 10, 600, msg, sizeof(msg)) != 0
            || strtoul(value, NULL, 10) == 0)
        {
            parse_error(ps, ps->line, "nfs_timeout: %s is not a number of "
                        "seconds from 1 to 600", q);
            return;
        }
        set_once(ps, &ps->nfs_timeout, key, value);
    } else if (strcmp(key, "default") == 0) {
        if (check_profile_name(value, msg, sizeof(msg)) != 0) {
            parse_error(ps, ps->line, "default: %s", msg);
            return;
        }
        set_once(ps, &ps->default_profile, key, value);
    } else {
        unknown_key(ps, key, "server", NULL);
    }
}

static void
loader_key(parse_state *ps, const char *key, const char *value)
{
    char msg[512], esc[96];
    int  arch = alpxe_arch_from_name(key, strlen(key));

    if (arch < 0) {
        escape_value(key, esc, sizeof(esc));
        parse_error(ps, ps->line, "unknown key '%s' in [loader] (expected "
                    "bios, efi32, efi64, arm32 or arm64)", esc);
        return;
    }
    if (check_loader(value, msg, sizeof(msg)) != 0) {
        parse_error(ps, ps->line, "%s: %s", key, msg);
        return;
    }
    set_once(ps, &ps->cfg->loader[arch], key, value);
}

/* A TFTP file name as requests are matched: no leading '/', '\' read as
 * '/'.  Returns its length, or -1 when it does not fit out. */
static int
tftp_name(const char *v, size_t n, char *out, size_t size)
{
    size_t i;

    while (n > 0 && (*v == '/' || *v == '\\')) {
        v++;
        n--;
    }
    if (n >= size) {
        return -1;
    }
    for (i = 0; i < n; i++) {
        out[i] = v[i] == '\\' ? '/' : v[i];
    }
    out[n] = '\0';
    return (int) n;
}

static void
tftp_alias(parse_state *ps, const char *value)
{
    alpxe_config *cfg = ps->cfg;
    char          name[256], target[256], msg[512], q[96];
    const char   *t;
    size_t        n;
    int           nlen, tlen;
    cfg_alias    *a;

    n = strcspn(value, " \t");
    t = value + n + strspn(value + n, " \t");
    quote_value(value, q, sizeof(q));
    if (n == 0 || *t == '\0' || strpbrk(t, " \t") != NULL) {
        parse_error(ps, ps->line, "alias: %s is not 'NAME TARGET' (TARGET: "
                    "an arch such as bios, or a file name)", q);
        return;
    }
    /* Both sides are TFTP names, matched as requests are; they never
     * reach iPXE. */
    nlen = tftp_name(value, n, name, sizeof(name));
    tlen = tftp_name(t, strlen(t), target, sizeof(target));
    if (nlen <= 0 || tlen <= 0) {
        parse_error(ps, ps->line, "alias: %s: a name is empty or longer "
                    "than %zu bytes", q, sizeof(name) - 1);
        return;
    }
    if (check_loader(name, msg, sizeof(msg)) != 0
        || (alpxe_arch_from_name(target, (size_t) tlen) < 0
            && check_loader(target, msg, sizeof(msg)) != 0))
    {
        parse_error(ps, ps->line, "alias: %s", msg);
        return;
    }
    if (parse_grow((void **) &cfg->aliases, &ps->alias_cap, cfg->alias_count,
                   sizeof(cfg_alias)) != 0)
    {
        ps->nomem = 1;
        return;
    }
    a = &cfg->aliases[cfg->alias_count++];
    a->name = parse_strdup(ps, name, (size_t) nlen);
    a->target = parse_strdup(ps, target, (size_t) tlen);
    a->line = ps->line;
}

static void
tftp_key(parse_state *ps, const char *key, const char *value)
{
    char q[96];

    quote_value(value, q, sizeof(q));
    if (strcmp(key, "root") == 0 || strcmp(key, "source") == 0) {
        if (value[0] != '/' || strpbrk(value, "\n\r\t") != NULL) {
            parse_error(ps, ps->line, "%s: %s is not an absolute path", key,
                        q);
            return;
        }
        set_once(ps, key[0] == 'r' ? &ps->tftp_root : &ps->tftp_source,
                 key, value);
    } else if (strcmp(key, "case") == 0) {
        if (strcmp(value, "insensitive") != 0
            && strcmp(value, "sensitive") != 0)
        {
            parse_error(ps, ps->line, "case: %s is neither insensitive nor "
                        "sensitive", q);
            return;
        }
        set_once(ps, &ps->tftp_case, key, value);
    } else if (strcmp(key, "alias") == 0) {
        tftp_alias(ps, value);
    } else {
        unknown_key(ps, key, "tftp", NULL);
    }
}

static const char *const reload_keys[ALPXE_RELOAD_COUNT] = {
    [ALPXE_RELOAD_KEA_SOCKET] = "kea_socket",
    [ALPXE_RELOAD_NGINX_PID]  = "nginx_pid",
    [ALPXE_RELOAD_TFTPD_PID]  = "tftpd_pid",
    [ALPXE_RELOAD_REMAP]      = "remap",
    [ALPXE_RELOAD_NGINX_LAST_GOOD] = "nginx_last_good",
    [ALPXE_RELOAD_KEA_PEERS]  = "kea_peer",
};

/* kea_peer: a control socket's absolute path, or a kea-ctrl-agent's
 * http[s]://[USER:PASSWORD@]HOST[:PORT][/] (what `alpxe reload` and
 * `alpxe status` reach with libcurl). */
static int
kea_peer_ok(const char *v)
{
    size_t scheme = text_http_scheme(v);

    if (strpbrk(v, " \t\n\r") != NULL) {
        return 0;
    }
    if (v[0] == '/') {
        return 1;
    }
    return scheme != 0 && v[scheme] != '\0' && v[scheme] != '/';
}

static void
reload_key(parse_state *ps, const char *key, const char *value)
{
    char q[96];
    int  i;

    if (strcmp(key, "kea_peer") == 0) {
        if (!kea_peer_ok(value)) {
            quote_value(value, q, sizeof(q));
            parse_error(ps, ps->line, "kea_peer: %s is neither a control "
                        "socket's absolute path nor a kea-ctrl-agent's "
                        "http(s):// URL", q);
            return;
        }
        /* repeatable: one line per Kea of the pair */
        append_args(ps, &ps->reload[ALPXE_RELOAD_KEA_PEERS], value);
        return;
    }
    for (i = 0; i < ALPXE_RELOAD_COUNT; i++) {
        if (strcmp(key, reload_keys[i]) != 0) {
            continue;
        }
        if (value[0] != '/' || strpbrk(value, "\n\r\t") != NULL) {
            quote_value(value, q, sizeof(q));
            parse_error(ps, ps->line, "%s: %s is not an absolute path", key,
                        q);
            return;
        }
        set_once(ps, &ps->reload[i], key, value);
        return;
    }
    unknown_key(ps, key, "reload", NULL);
}

static const char *const log_keys[ALPXE_LOG_COUNT] = {
    [ALPXE_LOG_KEA]   = "kea",
    [ALPXE_LOG_TFTPD] = "tftpd",
    [ALPXE_LOG_NGINX] = "nginx",
};

/* A file, or the journal (not for nginx: it writes its access log
 * itself). */
static void
log_key(parse_state *ps, const char *key, const char *value)
{
    char q[96];
    int  i;

    for (i = 0; i < ALPXE_LOG_COUNT; i++) {
        if (strcmp(key, log_keys[i]) != 0) {
            continue;
        }
        if (i != ALPXE_LOG_NGINX && strcmp(value, ALPXE_LOG_JOURNAL) == 0) {
            set_once(ps, &ps->log[i], key, value);
            return;
        }
        if (value[0] != '/' || strpbrk(value, "\n\r\t") != NULL) {
            quote_value(value, q, sizeof(q));
            parse_error(ps, ps->line, "%s: %s is not an absolute path%s",
                        key, q, i != ALPXE_LOG_NGINX ? " nor \"journal\""
                                                      : "");
            return;
        }
        set_once(ps, &ps->log[i], key, value);
        return;
    }
    unknown_key(ps, key, "log", NULL);
}

static void
host_mac(parse_state *ps, alpxe_host *h, const char *value)
{
    alpxe_config *cfg = ps->cfg;
    alpxe_mac     mac;
    cfg_mac      *m;
    char          q[96];

    if (alpxe_mac_parse(value, strlen(value), &mac) != 0) {
        quote_value(value, q, sizeof(q));
        parse_error(ps, ps->line, "mac: %s is not a MAC address (e.g. "
                    "52:54:00:12:34:56, 52-54-00-12-34-56, 5254.0012.3456)",
                    q);
        return;
    }
    if (mac.b[0] & 1) {
        quote_value(value, q, sizeof(q));
        parse_error(ps, ps->line, "mac: %s is a multicast address, not a "
                    "network card's", q);
        return;
    }
    if ((mac.b[0] | mac.b[1] | mac.b[2] | mac.b[3] | mac.b[4] | mac.b[5])
        == 0)
    {
        quote_value(value, q, sizeof(q));
        parse_error(ps, ps->line, "mac: %s is the all-zero address", q);
        return;
    }
    if (h->mac_count == UINT16_MAX) {
        parse_error(ps, ps->line, "mac: [host %s] has %u MACs already, the "
                    "most one host can have", h->name, UINT16_MAX);
        return;
    }
    /* A host's MACs are consecutive in cfg->macs: sections do not nest. */
    if (parse_grow((void **) &cfg->macs, &ps->mac_cap, cfg->mac_count,
                   sizeof(cfg_mac)) != 0)
    {
        ps->nomem = 1;
        return;
    }
    if (h->mac_count == 0) {
        h->first_mac = (uint32_t) cfg->mac_count;
    }
    m = &cfg->macs[cfg->mac_count++];
    m->mac = mac;
    m->line = ps->line;
    m->host = (uint32_t) ps->sec_index;
    h->mac_count++;
}

static void
host_key(parse_state *ps, const char *key, const char *value)
{
    alpxe_host *h = &ps->cfg->hosts[ps->sec_index];
    char        msg[512], q[96];
    int         k;

    if (strcmp(key, "mac") == 0) {
        host_mac(ps, h, value);
        return;
    }
    if (strcmp(key, "profile") == 0) {
        if (check_profile_name(value, msg, sizeof(msg)) != 0) {
            parse_error(ps, ps->line, "profile: %s", msg);
            return;
        }
        set_once(ps, &h->profile_ref, key, value);
        return;
    }
    if (strcmp(key, "boot") == 0) {
        quote_value(value, q, sizeof(q));
        if (strcmp(value, "netboot") == 0) {
            h->boot = (uint8_t) ALPXE_BOOT_NETBOOT;
        } else if (strcmp(value, "local") == 0) {
            h->boot = (uint8_t) ALPXE_BOOT_LOCAL;
        } else if (strcmp(value, "off") == 0) {
            h->boot = (uint8_t) ALPXE_BOOT_OFF;
        } else if (strcmp(value, "menu") == 0) {
            h->boot = (uint8_t) ALPXE_BOOT_MENU;
        } else {
            parse_error(ps, ps->line, "boot: %s is none of netboot, local, "
                        "off, menu", q);
        }
        return;
    }
    k = profile_key(key);
    if (k < 0) {
        unknown_key(ps, key, "host", h->name);
        return;
    }
    if (k == KEY_DESCRIPTION || k == KEY_MENU) {
        parse_error(ps, ps->line, "'%s' is a key of [profile] sections (what "
                    "the menu offers), not of [host %s]", key, h->name);
        return;
    }
    value_key(ps, ps->host_v, k, value);
    if (ps->host_v[k].text != NULL) {
        ps->host_keys |= UINT32_C(1) << k;
    }
}

void
parse_host_end(parse_state *ps)
{
    alpxe_host *h;
    cfg_value  *own;
    uint32_t    keys, rest;
    size_t      n;

    if (ps->sec != SEC_HOST) {
        return;
    }
    keys = ps->host_keys;
    if (keys == 0) {
        return;
    }
    own = arena_alloc(&ps->cfg->mem,
                      (size_t) __builtin_popcount(keys) * sizeof(*own));
    if (own == NULL) {
        ps->nomem = 1;
        return;
    }
    for (rest = keys, n = 0; rest != 0; rest &= rest - 1, n++) {
        int k = __builtin_ctz(rest);

        own[n] = ps->host_v[k];
        ps->host_v[k].text = NULL;
        ps->host_v[k].line = 0;
    }
    h = &ps->cfg->hosts[ps->sec_index];
    h->own = own;
    h->own_keys = keys;
    ps->host_keys = 0;
}

void
parse_key(parse_state *ps, const char *key, const char *value)
{
    cfg_profile *p;
    char         esc[96];

    if (*value == '\0') {
        if (ps->sec != SEC_IGNORED && ps->sec != SEC_NONE) {
            escape_value(key, esc, sizeof(esc));
            parse_error(ps, ps->line, "'%s' has no value", esc);
        }
        return;
    }

    switch (ps->sec) {
    case SEC_NONE:
        if (!ps->outside_reported) {
            ps->outside_reported = 1;
            escape_value(key, esc, sizeof(esc));
            parse_error(ps, ps->line, "'%s' is outside of any section "
                        "(start with [server])", esc);
        }
        return;
    case SEC_SERVER:
        server_key(ps, key, value);
        return;
    case SEC_LOADER:
        loader_key(ps, key, value);
        return;
    case SEC_TFTP:
        tftp_key(ps, key, value);
        return;
    case SEC_RELOAD:
        reload_key(ps, key, value);
        return;
    case SEC_LOG:
        log_key(ps, key, value);
        return;
    case SEC_PROFILE:
        p = &ps->cfg->profiles[ps->sec_index];
        if (profile_key(key) < 0) {
            unknown_key(ps, key, "profile", p->name);
            return;
        }
        value_key(ps, p->v, profile_key(key), value);
        return;
    case SEC_HOST:
        host_key(ps, key, value);
        return;
    case SEC_IGNORED:
        return;
    }
}

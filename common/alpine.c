/*
 * alpine.c - what Alpine's boot really does with the kernel line alpxe
 * renders, as warnings at the line that causes them.  Each rule names
 * what Alpine does and the fix; the sources are cited in the README's
 * table of kernel options:
 *
 *   mkinitfs initramfs-init.in (cc4954bc): configure_ip (ip=, BOOTIF=),
 *     the apkovl download and unpack, alpine_repo= and pkgs= as comma
 *     lists, sshd and tiny-cloud only without an apkovl;
 *   aports openrc firstboot.initd (ssh_key=).
 *
 * A profile is checked with its own values; a host with its profile's
 * values under its own, but only for rules one of its own keys takes
 * part in (what the profile alone causes is reported once, there).
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "alpine.h"
#include "text.h"

#define OWN(k)      (1u << (k))

typedef struct {
    parse_state      *ps;
    const cfg_value *const *v;
    const char       *kind;     /* "profile", "host" */
    const char       *name;
    unsigned          line;     /* the section's header */
    unsigned          own;      /* OWN(k) for each key the section sets */
    char              what[300];    /* "[host nuc1]", once a rule warns */
    int               split;    /* ip holds the ip= value's fields */
    alpine_ip         ip;
} rules;

/* The section, as warnings name it: formatted only for a warning, since
 * 100k hosts that warn about nothing are checked at every load. */
static const char *
what_of(rules *r)
{
    if (r->what[0] == '\0') {
        snprintf(r->what, sizeof(r->what), "[%s %s]", r->kind, r->name);
    }
    return r->what;
}

/* The line to report a rule at: the first of `keys` the section sets. */
static unsigned
line_of(const rules *r, const int *keys, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if ((r->own & OWN(keys[i])) && r->v[keys[i]] != NULL) {
            return r->v[keys[i]]->line;
        }
    }
    return r->line;
}

static int
involves(const rules *r, const int *keys, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++) {
        if (r->own & OWN(keys[i])) {
            return 1;
        }
    }
    return 0;
}

static const char *
text_of(const rules *r, int k)
{
    return r->v[k] != NULL ? r->v[k]->text : NULL;
}

/* ip= split into its fields, once for all the rules that read them. */
static const alpine_ip *
ip_of(rules *r)
{
    if (!r->split) {
        alpine_ip_split(text_of(r, KEY_IP), &r->ip);
        r->split = 1;
    }
    return &r->ip;
}

/* ------------------------------------------------------ kernel words */

/* The next word of an argument list at *p (one space between words, as
 * config_keys.c joins them): sets *w, *n and advances *p. */
static int
next_word(const char **p, const char **w, size_t *n)
{
    const char *s = *p;

    if (s == NULL) {
        return 0;
    }
    while (*s == ' ') {
        s++;
    }
    if (*s == '\0') {
        return 0;
    }
    *w = s;
    *n = strcspn(s, " ");
    *p = s + *n;
    return 1;
}

static int
word_has_prefix(const char *w, size_t n, const char *prefix)
{
    size_t k = strlen(prefix);

    return n >= k && strncmp(w, prefix, k) == 0;
}

static int
word_is(const char *w, size_t n, const char *s)
{
    return strlen(s) == n && strncmp(w, s, n) == 0;
}

/*
 * Bare words the kernel or Alpine's initramfs reads as flags: after a
 * pkgs= list such a word is what it looks like, not a package name.
 * (mkinitfs's myopts also take "no" + the name.)
 */
static int
is_flag_word(const char *w, size_t n)
{
    static const char *const flags[] = {
        "quiet", "debug_init", "chart", "splash", "keep_apk_new",
        "overlaytmpfs", "bootstrap_usr_merged", "memdisk", "panic",
        "tinycloud", "s", "single", "1", "ro", "rw", "debug", "nomodeset",
        "noapic", "nolapic", "nosmp", "noacpi", "nosplash",
    };
    size_t i;

    for (i = 0; i < sizeof(flags) / sizeof(flags[0]); i++) {
        if (word_is(w, n, flags[i])
            || (n > 2 && strncmp(w, "no", 2) == 0
                && word_is(w + 2, n - 2, flags[i])))
        {
            return 1;
        }
    }
    return 0;
}

static int
looks_like_url(const char *w, size_t n)
{
    return memchr(w, '=', n) == NULL
           && (w[0] == '/' || (n > 3 && strstr(w, "://") != NULL
                               && (size_t) (strstr(w, "://") - w) < n));
}

static int
looks_like_package(const char *w, size_t n)
{
    size_t i;

    if (!((w[0] >= 'a' && w[0] <= 'z') || (w[0] >= '0' && w[0] <= '9'))) {
        return 0;
    }
    for (i = 0; i < n; i++) {
        char c = w[i];

        if (!((c >= 'a' && c <= 'z') || (c >= '0' && c <= '9') || c == '-'
              || c == '_' || c == '.' || c == '+'))
        {
            return 0;
        }
    }
    return !is_flag_word(w, n);
}

/* args and append: the words Alpine reads one by one. */
static void
rule_words(rules *r, int k)
{
    const char *p = text_of(r, k), *w, *list = NULL;
    size_t      n, list_len = 0;
    unsigned    at;

    if (p == NULL || !(r->own & OWN(k))) {
        return;
    }
    at = r->v[k]->line;
    while (next_word(&p, &w, &n)) {
        if (word_has_prefix(w, n, "alpine_dev=")) {
            parse_warning(r->ps, at, "%s: alpine_dev= is ignored by Alpine "
                          "(its initramfs dropped NFS in 2015); use 'nfs = "
                          "nfs://SERVER/PATH' for per-host data", what_of(r));
        }
        if (word_has_prefix(w, n, "BOOTIF=")) {
            parse_warning(r->ps, at, "%s: %.*s: alpxe puts BOOTIF= on every "
                          "kernel line, for the NIC that asked for the "
                          "script; a second one decides instead of it "
                          "(Alpine keeps the last): remove it", what_of(r),
                          (int) n, w);
        }
        if (list != NULL
            && (list[0] == 'a' ? looks_like_url(w, n)
                               : looks_like_package(w, n)))
        {
            parse_warning(r->ps, at, "%s: '%.*s' follows %.*s as a word of "
                          "its own: Alpine reads %s as a comma list and "
                          "ignores words it does not know; write %.*s,%.*s",
                          what_of(r), (int) n, w, (int) list_len, list,
                          list[0] == 'a' ? "alpine_repo=" : "pkgs=",
                          (int) list_len, list, (int) n, w);
            list_len = (size_t) (w + n - list);
            continue;
        }
        list = NULL;
        if (word_has_prefix(w, n, "alpine_repo=")
            || word_has_prefix(w, n, "pkgs="))
        {
            list = w;
            list_len = n;
        }
    }
}

/* --------------------------------------------------------------- ip= */

void
alpine_ip_split(const char *v, alpine_ip *ip)
{
    char   *p;
    size_t  i, n;

    v = v != NULL ? v : "dhcp";
    n = strnlen(v, sizeof(ip->text) - 1);
    memcpy(ip->text, v, n);
    ip->text[n] = '\0';
    /* one pass: the fields Alpine's IFS=':' gives, absent ones "" */
    ip->f[0] = ip->text;
    for (i = 1, p = ip->text; *p != '\0'; p++) {
        if (*p == ':') {
            *p = '\0';
            if (i == ALPINE_IP_FIELDS) {
                break;          /* Alpine reads ten fields */
            }
            ip->f[i++] = p + 1;
        }
    }
    for (; i < ALPINE_IP_FIELDS; i++) {
        ip->f[i] = (char *) "";
    }
}

int
alpine_ip_static(const alpine_ip *ip)
{
    return strcmp(ip->f[0], "dhcp") != 0 && strcmp(ip->f[0], "off") != 0
           && strcmp(ip->f[0], "none") != 0 && strcmp(ip->f[6], "dhcp") != 0
           && (ip->f[0][0] != '\0' || ip->f[3][0] != '\0');
}

static int
is_ipv4(const char *s)
{
    unsigned char a[4];

    return inet_pton(AF_INET, s, a) == 1;
}

static void
rule_ip(rules *r, unsigned nmacs)
{
    static const struct {
        int          field;
        const char  *name;
    } ignored[] = {
        { 1, "server" }, { 4, "hostname" }, { 9, "NTP server" },
    }, addresses[] = {
        { 0, "client" }, { 2, "gateway" }, { 3, "netmask" }, { 7, "dns0" },
        { 8, "dns1" },
    };
    const alpine_ip *ip;
    unsigned         at;
    size_t           i;

    if (text_of(r, KEY_IP) == NULL) {
        return;
    }
    at = r->v[KEY_IP]->line;
    ip = ip_of(r);
    /* a host's own problem, wherever its ip= comes from */
    if (nmacs > 1 && ip->f[5][0] != '\0') {
        parse_warning(r->ps, (r->own & OWN(KEY_IP)) ? at : r->line,
                      "%s: ip: the device field names %s: Alpine brings up "
                      "%s whichever of the host's %u NICs booted (BOOTIF= "
                      "picks the NIC only when the device field is empty); "
                      "leave it empty", what_of(r), ip->f[5], ip->f[5], nmacs);
    }
    if (!(r->own & OWN(KEY_IP))) {
        return;
    }
    for (i = 0; i < sizeof(ignored) / sizeof(ignored[0]); i++) {
        if (ip->f[ignored[i].field][0] != '\0') {
            parse_warning(r->ps, at, "%s: ip: Alpine's initramfs ignores the "
                          "%s field of ip= (\"%s\"; it reads client, gateway, "
                          "netmask, device, autoconf, dns0 and dns1)%s",
                          what_of(r), ignored[i].name, ip->f[ignored[i].field],
                          ignored[i].field == 4
                          ? ": set the host name in the apkovl (etc/hostname) "
                            "or with metadata = yes" : ": leave it empty");
        }
    }
    if (alpine_ip_static(ip)) {
        for (i = 0; i < sizeof(addresses) / sizeof(addresses[0]); i++) {
            const char *f = ip->f[addresses[i].field];

            if (f[0] != '\0' && strchr(f, '$') == NULL && !is_ipv4(f)) {
                parse_warning(r->ps, at, "%s: ip: the %s field \"%s\" is not "
                              "an IPv4 address (Alpine hands it to ifconfig, "
                              "ip route or resolv.conf as is)", what_of(r),
                              addresses[i].name, f);
            }
        }
    }
}

/* ----------------------------------------------------------- apkovl= */

/* The file name Alpine saves an apkovl URL as: its last path segment,
 * without the query (mkinitfs: the text after the last '/', cut at the
 * first '?'). */
static void
url_file_name(const char *url, const char **name, size_t *len)
{
    size_t end = strcspn(url, "?#"), i, start = 0;

    for (i = 0; i < end; i++) {
        if (url[i] == '/') {
            start = i + 1;
        }
    }
    *name = url + start;
    *len = end - start;
}

static size_t
count_of(const char *s, const char *what)
{
    size_t n = 0;

    for (s = strstr(s, what); s != NULL; s = strstr(s + 1, what)) {
        n++;
    }
    return n;
}

static void
rule_apkovl(rules *r)
{
    static const int keys[] = {
        KEY_KERNEL, KEY_INITRD, KEY_MODLOOP, KEY_REPO, KEY_SSH_KEY,
    };
    const char *ovl = text_of(r, KEY_APKOVL), *name, *dot;
    const char *tok[] = { "{MAC}", "{UUID}" };
    size_t      len, i;
    unsigned    at;

    if (ovl != NULL && (r->own & OWN(KEY_APKOVL))) {
        at = r->v[KEY_APKOVL]->line;
        url_file_name(ovl, &name, &len);
        for (dot = NULL, i = 0; i < len; i++) {
            if (name[i] == '.') {
                dot = name + i;
            }
        }
        /* "x.tar.gz", or an encrypted "x.tar.gz.aes-256-cbc" */
        if (!(dot != NULL && name + len - dot == 3
              && strncmp(dot, ".gz", 3) == 0)
            && !(dot != NULL && dot - name >= 3
                 && strncmp(dot - 3, ".gz", 3) == 0))
        {
            char suffix[128];

            /* mkinitfs: suffix=${ovl##*.} of "/tmp/NAME" */
            if (dot != NULL) {
                snprintf(suffix, sizeof(suffix), "%.*s",
                         (int) (name + len - dot - 1), dot + 1);
            } else {
                snprintf(suffix, sizeof(suffix), "/tmp/%.*s", (int) len, name);
            }
            parse_warning(r->ps, at, "%s: apkovl: the file name \"%.*s\" "
                          "does not end in .gz: Alpine's initramfs reads what "
                          "follows the last '.' as a cipher and stops in an "
                          "emergency shell (\"Cipher %s is not supported\"); "
                          "name the overlay *.tar.gz (a query after it is "
                          "fine)", what_of(r), (int) len, name, suffix);
        }
        for (i = 0; i < 2; i++) {
            if (count_of(ovl, tok[i]) > 1) {
                parse_warning(r->ps, at, "%s: apkovl: %zu times %s: Alpine's "
                              "initramfs replaces only the first; use %s once, "
                              "or alpxe's %s for the others", what_of(r),
                              count_of(ovl, tok[i]), tok[i], tok[i],
                              i == 0 ? "${mac}" : "${hostname}");
            }
        }
    }
    for (i = 0; i < sizeof(keys) / sizeof(keys[0]); i++) {
        const char *v = text_of(r, keys[i]);

        if (v != NULL && (r->own & OWN(keys[i])) && strstr(v, "{MAC}")) {
            parse_warning(r->ps, r->v[keys[i]]->line, "%s: {MAC} outside "
                          "apkovl stays as it is: only Alpine's apkovl= "
                          "expands it; use alpxe's ${mac}", what_of(r));
        }
    }
}

/* ------------------------------------------------- ssh_key, metadata */

static int
is_yes(const rules *r, int k)
{
    return text_of(r, k) != NULL && strcmp(text_of(r, k), "yes") == 0;
}

static void
rule_without_apkovl(rules *r)
{
    static const int ssh[] = { KEY_SSH_KEY, KEY_APKOVL };
    static const int meta[] = { KEY_METADATA, KEY_APKOVL };

    if (text_of(r, KEY_APKOVL) == NULL) {
        return;
    }
    if (text_of(r, KEY_SSH_KEY) != NULL && involves(r, ssh, 2)) {
        parse_warning(r->ps, line_of(r, ssh, 2), "%s: ssh_key is ignored "
                      "when apkovl is set: Alpine's initramfs adds sshd and "
                      "the key only without an apkovl (mkinitfs 3.6.0, "
                      "Alpine 3.15, and later); put the key in the apkovl "
                      "(root/.ssh/authorized_keys), or drop apkovl", what_of(r));
    }
    if (is_yes(r, KEY_METADATA) && involves(r, meta, 2)) {
        parse_warning(r->ps, line_of(r, meta, 2), "%s: metadata = yes with "
                      "apkovl: Alpine's initramfs starts tiny-cloud only "
                      "without an apkovl, so the metadata is used only while "
                      "the apkovl URL answers 404; drop apkovl, or the "
                      "metadata", what_of(r));
    }
}

/* ------------------------------------------ static ip= without DNS */

/* The host of an absolute URL, or NULL. */
static const char *
url_host(const char *url, size_t *len)
{
    size_t scheme;

    if (url == NULL) {
        return NULL;            /* [server] is broken: reported there */
    }
    scheme = text_http_scheme(url);
    if (scheme == 0) {
        return NULL;
    }
    *len = strcspn(url + scheme, "/?#:");
    return url + scheme;
}

static int
host_is_name(const char *host, size_t len)
{
    char s[64];

    if (len == 0 || host[0] == '[') {
        return 0;
    }
    if (len >= sizeof(s)) {
        return 1;
    }
    memcpy(s, host, len);
    s[len] = '\0';
    return !is_ipv4(s);
}

/* What Alpine fetches once Linux runs, by its own resolver: the first
 * URL of `k` that names its server by a host name, as "URL" in out. */
static int
named_url(const rules *r, int k, char *out, size_t size)
{
    const alpxe_config *cfg = r->ps->cfg;
    const char *v = text_of(r, k), *item, *host;
    size_t      n, hlen;

    for (item = v; item != NULL && *item != '\0'; item += n + (item[n] == ',')) {
        n = k == KEY_REPO ? strcspn(item, ",") : strlen(item);
        host = url_host(item, &hlen);
        if (host == NULL) {
            host = url_host(cfg->http, &hlen);   /* relative: on [server] http */
        }
        if (host != NULL && host_is_name(host, hlen)) {
            snprintf(out, size, "%.*s", (int) hlen, host);
            return 1;
        }
    }
    return 0;
}

static void
rule_dns(rules *r)
{
    static const int keys[] = {
        KEY_IP, KEY_APKOVL, KEY_REPO, KEY_MODLOOP, KEY_SSH_KEY, KEY_METADATA,
    };
    static const char *const names[] = {
        "", "apkovl", "repo", "modloop", "ssh_key", "metadata",
    };
    const alpine_ip *ip;
    const char      *v;
    char             host[256];
    size_t           i;

    if (text_of(r, KEY_IP) == NULL || !involves(r, keys, 6)) {
        return;
    }
    ip = ip_of(r);
    if (!alpine_ip_static(ip) || ip->f[7][0] != '\0' || ip->f[8][0] != '\0') {
        return;
    }
    for (i = 1; i < 6; i++) {
        v = text_of(r, keys[i]);
        if (v == NULL || v == r->ps->addressed[keys[i]]
            || (keys[i] == KEY_METADATA && !is_yes(r, KEY_METADATA)))
        {
            continue;
        }
        /* metadata's URL is [server] http's: "yes" reads as relative */
        if (named_url(r, keys[i], host, sizeof(host))) {
            parse_warning(r->ps, line_of(r, keys, 6), "%s: ip= is static "
                          "and has no DNS server (fields 8 and 9): Alpine's "
                          "initramfs then writes no resolv.conf and cannot "
                          "resolve %s (%s); add one "
                          "(ip=CLIENT::GW:MASK::DEVICE:none:DNS0) or name the "
                          "server by its address", what_of(r), host, names[i]);
            return;
        }
        /* the profile's values come back with each of its hosts */
        r->ps->addressed[keys[i]] = v;
    }
}

void
alpine_rules(parse_state *ps, const cfg_value *const *v, const char *kind,
    const char *name, unsigned line, unsigned own, unsigned nmacs)
{
    rules r;

    r.ps = ps;
    r.v = v;
    r.kind = kind;
    r.name = name;
    r.line = line;
    r.own = own;
    r.what[0] = '\0';
    r.split = 0;

    rule_words(&r, KEY_ARGS);
    rule_words(&r, KEY_APPEND);
    rule_ip(&r, nmacs);
    rule_apkovl(&r);
    rule_without_apkovl(&r);
    rule_dns(&r);
}

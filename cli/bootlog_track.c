/*
 * bootlog_track.c - events in time order into each MAC's boots and their
 * stages.
 *
 * A DHCP line names its MAC; a TFTP or HTTP line only its client's
 * address.  Every lease Kea logs says which MAC holds an address from
 * then on (an address handed to another machine later goes with it), and
 * a host's static ip= is its own; a script request names its MAC in the
 * URL.  Which request is which stage comes from the machine's plan: the
 * URLs its iPXE script gives (kernel, initrd, modloop=, apkovl=,
 * alpine_repo=, ssh_key=) as alpxe.conf renders it now.
 *
 * A boot starts with alpxe's answer to a PXE or HTTP boot firmware, or to
 * an iPXE that asks again after a script was fetched: each machine's
 * events are cut there.  A lease with no answer of alpxe (the booted
 * system's own DHCP) is known as such only when the next line of that MAC
 * is not the answer to the same transaction: it waits for that line, or
 * for blog_tracker_settle().
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootlog.h"

static const struct {
    const char *name;
    const char *title;
    int         rank;           /* how far a boot got; -1: says nothing */
} stages[BLOG_ST_COUNT] = {
    [BLOG_ST_DHCP_PXE]    = { "dhcp-pxe",    "DHCP  PXE firmware", 0 },
    [BLOG_ST_TFTP]        = { "tftp",        "TFTP  loader", 1 },
    [BLOG_ST_DHCP_HTTP]   = { "dhcp-http",   "DHCP  UEFI HTTP boot", 0 },
    [BLOG_ST_HTTP_LOADER] = { "http-loader", "HTTP  loader", 1 },
    [BLOG_ST_DHCP_IPXE]   = { "dhcp-ipxe",   "DHCP  iPXE", 2 },
    [BLOG_ST_SCRIPT]      = { "script",      "HTTP  iPXE script", 3 },
    [BLOG_ST_KERNEL]      = { "kernel",      "HTTP  kernel", 4 },
    [BLOG_ST_INITRD]      = { "initrd",      "HTTP  initrd", 4 },
    [BLOG_ST_OS_DHCP]     = { "os-dhcp",     "DHCP  booted system", 5 },
    [BLOG_ST_MODLOOP]     = { "modloop",     "HTTP  modloop", 5 },
    [BLOG_ST_APKOVL]      = { "apkovl",      "HTTP  apkovl", 5 },
    [BLOG_ST_REPO]        = { "repo",        "HTTP  repository", 5 },
    [BLOG_ST_SSH_KEY]     = { "ssh-key",     "HTTP  SSH key", 5 },
    [BLOG_ST_METADATA]    = { "metadata",    "HTTP  metadata", 5 },
    [BLOG_ST_OTHER]       = { "other",       "HTTP  other files", -1 },
    [BLOG_ST_DECLINED]    = { "declined",    "DHCP  not answered", 0 },
};

const char *
blog_stage_name(blog_stage st)
{
    return (unsigned) st < BLOG_ST_COUNT ? stages[st].name : "?";
}

const char *
blog_stage_title(blog_stage st)
{
    return (unsigned) st < BLOG_ST_COUNT ? stages[st].title : "?";
}

/* ---------------------------------------------------------------- plan */

/* The path of a URL ("http://h:80/a/b?q" -> "/a/b"), percent-decoded. */
static void
url_path(const char *url, size_t len, char *out, size_t size)
{
    const char *p = url, *end = url + len, *s, *q;
    size_t      n = 0;

    out[0] = '\0';
    s = NULL;
    for (q = p; q + 3 <= end; q++) {
        if (q[0] == ':' && q[1] == '/' && q[2] == '/') {
            s = q + 3;
            break;
        }
    }
    if (s != NULL) {
        p = memchr(s, '/', (size_t) (end - s));
        if (p == NULL) {
            blog_fmt(out, size, "/");
            return;
        }
    }
    for (q = p; q < end && *q != '?' && *q != '#' && n + 1 < size; q++) {
        if (*q == '%' && end - q >= 3) {
            char hex[3] = { q[1], q[2], 0 };
            char *e;
            long  v = strtol(hex, &e, 16);

            if (*e == '\0' && v > 0) {
                out[n++] = (char) v;
                q += 2;
                continue;
            }
        }
        out[n++] = *q;
    }
    out[n] = '\0';
}

/* apkovl's {MAC}, as Alpine's initramfs fills it (lower case, colons). */
static void
apkovl_path(const char *url, size_t len, const alpxe_mac *mac, char *out,
    size_t size)
{
    char        text[ALPXE_URL_MAX], m[ALPXE_MAC_STR];
    const char *at;
    size_t      n;

    if (len >= sizeof(text)) {
        len = sizeof(text) - 1;
    }
    memcpy(text, url, len);
    text[len] = '\0';
    at = strstr(text, "{MAC}");
    if (at != NULL) {
        alpxe_mac_format(mac, ':', m);
        n = (size_t) (at - text);
        if (n + strlen(m) + strlen(at + 5) < sizeof(text)) {
            char rest[ALPXE_URL_MAX];

            blog_fmt(rest, sizeof(rest), "%s", at + 5);
            blog_fmt(text + n, sizeof(text) - n, "%s%s", m, rest);
        }
    }
    url_path(text, strlen(text), out, size);
}

static int
arg_is(const char *w, size_t n, const char *name, size_t *vlen)
{
    size_t k = strlen(name);

    if (n > k && memcmp(w, name, k) == 0) {
        *vlen = n - k;
        return 1;
    }
    return 0;
}

/* The kernel line's arguments. */
static void
plan_args(blog_plan *p, const alpxe_mac *mac, const char *w, const char *end)
{
    const char *sp, *c, *v;
    size_t      n, vlen, r;

    while (w < end) {
        sp = memchr(w, ' ', (size_t) (end - w));
        if (sp == NULL) {
            sp = end;
        }
        n = (size_t) (sp - w);
        if (arg_is(w, n, "modloop=", &vlen)) {
            url_path(sp - vlen, vlen, p->modloop, sizeof(p->modloop));
        } else if (arg_is(w, n, "apkovl=", &vlen)) {
            apkovl_path(sp - vlen, vlen, mac, p->apkovl, sizeof(p->apkovl));
        } else if (arg_is(w, n, "ssh_key=", &vlen)) {
            url_path(sp - vlen, vlen, p->ssh_key, sizeof(p->ssh_key));
        } else if (arg_is(w, n, "alpine_repo=", &vlen)) {
            v = sp - vlen;
            for (r = 0; r < 4 && v < sp; r++) {
                c = memchr(v, ',', (size_t) (sp - v));
                if (c == NULL) {
                    c = sp;
                }
                url_path(v, (size_t) (c - v), p->repo[r], sizeof(p->repo[r]));
                v = c + 1;
            }
        } else if (arg_is(w, n, "ip=", &vlen)) {
            v = sp - vlen;
            c = memchr(v, ':', vlen);
            if (c != NULL && c > v && (size_t) (c - v) < sizeof(p->static_ip)) {
                memcpy(p->static_ip, v, (size_t) (c - v));
                p->static_ip[c - v] = '\0';
            }
        }
        w = sp + 1;
    }
}

/* The kernel, initrd and kernel arguments of a BOOT script, into p. */
static void
plan_script(blog_plan *p, const alpxe_mac *mac, const char *text, size_t len)
{
    const char *line, *end, *nl, *sp;

    for (line = text, end = text + len; line < end; line = nl + 1) {
        nl = memchr(line, '\n', (size_t) (end - line));
        if (nl == NULL) {
            nl = end;
        }
        sp = memchr(line, ' ', (size_t) (nl - line));
        if (sp == NULL) {
            continue;
        }
        if (sp - line == 6 && memcmp(line, "kernel", 6) == 0) {
            const char *u = sp + 1, *ue = memchr(u, ' ', (size_t) (nl - u));

            if (ue == NULL) {
                ue = nl;
            }
            url_path(u, (size_t) (ue - u), p->kernel, sizeof(p->kernel));
            plan_args(p, mac, ue < nl ? ue + 1 : nl, nl);
        } else if (sp - line == 6 && memcmp(line, "initrd", 6) == 0) {
            const char *u = sp + 1, *ue = memchr(u, ' ', (size_t) (nl - u));

            if (ue == NULL) {
                ue = nl;
            }
            url_path(u, (size_t) (ue - u), p->initrd, sizeof(p->initrd));
        }
    }
}

void
blog_plan_for(const alpxe_config *cfg, const alpxe_mac *mac,
    blog_plan *p)
{
    alpxe_machine m;
    alpxe_script  s;
    char          buf[ALPXE_SCRIPT_MAX], text[ALPXE_MAC_STR];
    const char   *http;

    memset(p, 0, sizeof(*p));
    p->action = ALPXE_ACTION_NONE;
    p->reason = "";
    if (cfg == NULL) {
        return;
    }
    alpxe_machine_for(cfg, mac, &m);
    p->known = m.host != NULL;
    p->menu = m.action == ALPXE_ACTION_MENU;
    p->action = m.action;
    p->reason = m.reason;
    if (m.host != NULL) {
        blog_fmt(p->host, sizeof(p->host), "%s", alpxe_host_name(m.host));
    }
    if (m.profile != NULL) {
        blog_fmt(p->profile, sizeof(p->profile), "%s", m.profile);
    }
    http = alpxe_config_http(cfg);
    url_path(http, strlen(http), p->http_base, sizeof(p->http_base));
    if (strcmp(p->http_base, "/") == 0) {
        p->http_base[0] = '\0';
    }
    alpxe_mac_format(mac, ':', text);
    blog_fmt(p->script_path, sizeof(p->script_path), "%s/%s/%s",
             p->http_base, text, ALPXE_SCRIPT_NAME);
    blog_fmt(p->loader_dir, sizeof(p->loader_dir), "%s/loader/",
             p->http_base);
    blog_fmt(p->tftp_root, sizeof(p->tftp_root), "%s", alpxe_tftp_root(cfg));

    if (m.action == ALPXE_ACTION_BOOT
        && alpxe_script_for(cfg, mac, buf, sizeof(buf), &s) == 0
        && s.text != NULL)
    {
        plan_script(p, mac, s.text, s.len);
    }
}

void
blog_plan_choose(const alpxe_config *cfg, const alpxe_mac *mac,
    const char *profile, blog_plan *p)
{
    alpxe_request req;
    alpxe_script  s;
    char         *buf;

    if (cfg == NULL || !p->menu) {
        return;
    }
    memset(&req, 0, sizeof(req));
    req.have_mac = 1;
    req.mac = *mac;
    req.doc = ALPXE_DOC_SCRIPT;
    blog_fmt(req.profile, sizeof(req.profile), "%s", profile);
    buf = malloc(ALPXE_SCRIPT_MAX);
    if (buf != NULL
        && alpxe_answer(cfg, &req, buf, ALPXE_SCRIPT_MAX, &s) == 0
        && s.text != NULL && s.machine.action == ALPXE_ACTION_BOOT)
    {
        p->action = ALPXE_ACTION_BOOT;
        blog_fmt(p->profile, sizeof(p->profile), "%s", profile);
        p->kernel[0] = p->initrd[0] = '\0';
        plan_script(p, mac, s.text, s.len);
    }
    free(buf);
}

/* ------------------------------------------------------------- tables */

struct blog_machine {
    alpxe_mac      mac;
    blog_plan      plan;
    blog_boot     *boots;       /* [nboots - 1] is the current one */
    size_t         nboots;
    size_t         cap;
    unsigned long  total;       /* boots seen, kept or not */
    int            top;         /* the current boot's furthest rank */

    /* the last lease of this MAC, until its next line says whose */
    int            pending;
    long long      pend_ms;
    int            pend_whole_s;
    char           pend_ip[48];
    char           pend_tid[20];
};

typedef struct {
    char           ip[48];      /* "": empty slot */
    alpxe_mac      mac;
} ip_slot;

struct blog_tracker {
    const alpxe_config *cfg;
    int            keep_history;
    int            have_only;
    alpxe_mac      only;

    blog_machine **machines;
    size_t         n;
    size_t         cap;
    uint32_t      *by_mac;      /* open addressing: machine index + 1 */
    size_t         by_mac_cap;  /* a power of two */

    ip_slot       *ips;         /* address -> the MAC that holds it */
    size_t         ip_n;
    size_t         ip_cap;      /* a power of two */

    unsigned long  alpxe_lines;
};

static uint64_t
hash_bytes(const void *data, size_t n)
{
    const unsigned char *p = data;
    uint64_t             h = 1469598103934665603ULL;

    while (n-- > 0) {
        h = (h ^ *p++) * 1099511628211ULL;
    }
    return h;
}

static size_t
mac_slot(const blog_tracker *t, const alpxe_mac *mac)
{
    size_t mask = t->by_mac_cap - 1, i = hash_bytes(mac->b, 6) & mask;

    while (t->by_mac[i] != 0
           && memcmp(t->machines[t->by_mac[i] - 1]->mac.b, mac->b, 6) != 0)
    {
        i = (i + 1) & mask;
    }
    return i;
}

static int
grow_by_mac(blog_tracker *t)
{
    uint32_t *old = t->by_mac;
    size_t    cap = t->by_mac_cap ? t->by_mac_cap * 2 : 64, i;

    t->by_mac = calloc(cap, sizeof(*t->by_mac));
    if (t->by_mac == NULL) {
        t->by_mac = old;
        return -ENOMEM;
    }
    t->by_mac_cap = cap;
    for (i = 0; i < t->n; i++) {
        t->by_mac[mac_slot(t, &t->machines[i]->mac)] = (uint32_t) i + 1;
    }
    free(old);
    return 0;
}

const blog_machine *
blog_tracker_find(const blog_tracker *t, const alpxe_mac *mac)
{
    size_t i;

    if (t->by_mac_cap == 0) {
        return NULL;
    }
    i = mac_slot(t, mac);
    return t->by_mac[i] != 0 ? t->machines[t->by_mac[i] - 1] : NULL;
}

static blog_machine *
machine_get(blog_tracker *t, const alpxe_mac *mac, int create)
{
    blog_machine *m = (blog_machine *) blog_tracker_find(t, mac);
    void         *grown;

    if (m != NULL || !create) {
        return m;
    }
    if (t->have_only && memcmp(t->only.b, mac->b, 6) != 0) {
        return NULL;
    }
    if ((t->n + 1) * 2 > t->by_mac_cap && grow_by_mac(t) != 0) {
        return NULL;
    }
    if (t->n == t->cap) {
        grown = realloc(t->machines, (t->cap ? t->cap * 2 : 16)
                                     * sizeof(*t->machines));
        if (grown == NULL) {
            return NULL;
        }
        t->machines = grown;
        t->cap = t->cap ? t->cap * 2 : 16;
    }
    m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    m->mac = *mac;
    blog_plan_for(t->cfg, mac, &m->plan);
    t->machines[t->n] = m;
    t->by_mac[mac_slot(t, mac)] = (uint32_t) ++t->n;
    return m;
}

static size_t
ip_find(const blog_tracker *t, const char *ip)
{
    size_t mask = t->ip_cap - 1, i = hash_bytes(ip, strlen(ip)) & mask;

    while (t->ips[i].ip[0] != '\0' && strcmp(t->ips[i].ip, ip) != 0) {
        i = (i + 1) & mask;
    }
    return i;
}

static int
ip_set(blog_tracker *t, const char *ip, const alpxe_mac *mac)
{
    ip_slot *old = t->ips;
    size_t   cap, i, old_cap = t->ip_cap;

    if (ip[0] == '\0' || strlen(ip) >= sizeof(t->ips[0].ip)) {
        return 0;
    }
    if ((t->ip_n + 1) * 2 > t->ip_cap) {
        cap = t->ip_cap ? t->ip_cap * 2 : 256;
        t->ips = calloc(cap, sizeof(*t->ips));
        if (t->ips == NULL) {
            t->ips = old;
            return -ENOMEM;
        }
        t->ip_cap = cap;
        for (i = 0; i < old_cap; i++) {
            if (old[i].ip[0] != '\0') {
                t->ips[ip_find(t, old[i].ip)] = old[i];
            }
        }
        free(old);
    }
    i = ip_find(t, ip);
    if (t->ips[i].ip[0] == '\0') {
        blog_fmt(t->ips[i].ip, sizeof(t->ips[i].ip), "%s", ip);
        t->ip_n++;
    }
    t->ips[i].mac = *mac;
    return 0;
}

static const alpxe_mac *
ip_owner(const blog_tracker *t, const char *ip)
{
    size_t i;

    if (t->ip_cap == 0 || ip[0] == '\0') {
        return NULL;
    }
    i = ip_find(t, ip);
    return t->ips[i].ip[0] != '\0' ? &t->ips[i].mac : NULL;
}

/* Hosts with a static ip= own that address until a lease says otherwise. */
static int
seed_static(blog_tracker *t)
{
    const alpxe_host *h;
    const alpxe_mac  *mac;
    blog_plan        *p;
    size_t            i, j;
    int               rc = 0;

    if (t->cfg == NULL) {
        return 0;
    }
    p = malloc(sizeof(*p));
    if (p == NULL) {
        return -ENOMEM;
    }
    for (i = 0; rc == 0 && (h = alpxe_host_at(t->cfg, i)) != NULL; i++) {
        for (j = 0; rc == 0 && j < alpxe_host_mac_count(h); j++) {
            mac = alpxe_host_mac(t->cfg, h, j);
            if (t->have_only && memcmp(t->only.b, mac->b, 6) != 0) {
                continue;
            }
            blog_plan_for(t->cfg, mac, p);
            if (p->static_ip[0] != '\0' && ip_owner(t, p->static_ip) == NULL) {
                rc = ip_set(t, p->static_ip, mac);
            }
        }
    }
    free(p);
    return rc;
}

blog_tracker *
blog_tracker_new(const alpxe_config *cfg, int keep_history,
    const alpxe_mac *only)
{
    blog_tracker *t = calloc(1, sizeof(*t));

    if (t == NULL) {
        return NULL;
    }
    t->cfg = cfg;
    t->keep_history = keep_history;
    if (only != NULL) {
        t->have_only = 1;
        t->only = *only;
    }
    if (seed_static(t) != 0) {
        blog_tracker_free(t);
        return NULL;
    }
    return t;
}

void
blog_tracker_free(blog_tracker *t)
{
    size_t i;

    if (t == NULL) {
        return;
    }
    for (i = 0; i < t->n; i++) {
        free(t->machines[i]->boots);
        free(t->machines[i]);
    }
    free(t->machines);
    free(t->by_mac);
    free(t->ips);
    free(t);
}

/* --------------------------------------------------------------- boots */

static blog_boot *
current(blog_machine *m)
{
    return m->nboots > 0 ? &m->boots[m->nboots - 1] : NULL;
}

static blog_boot *
new_boot(blog_tracker *t, blog_machine *m, const blog_event *ev)
{
    blog_boot *b;
    void      *grown;

    if (m->nboots == 0 || t->keep_history) {
        if (m->nboots == m->cap) {
            grown = realloc(m->boots, (m->cap ? m->cap * 2 : 2)
                                      * sizeof(*m->boots));
            if (grown == NULL) {
                return NULL;
            }
            m->boots = grown;
            m->cap = m->cap ? m->cap * 2 : 2;
        }
        m->nboots++;
    }
    b = current(m);
    memset(b, 0, sizeof(*b));
    b->start_ms = ev->ms;
    b->last_ms = ev->ms;
    m->total++;
    m->top = -1;
    return b;
}

/* The stage an HTTP request is, for a machine's plan. */
static blog_stage
http_stage(const blog_plan *p, const blog_event *ev)
{
    static const char *const meta[] = { "meta-data", "user-data",
                                        "vendor-data", "network-config" };
    const char *path = ev->text, *last;
    size_t      n = strlen(path), k, i;

    k = strlen("/" ALPXE_SCRIPT_NAME);
    if (n >= k && strcmp(path + n - k, "/" ALPXE_SCRIPT_NAME) == 0) {
        return BLOG_ST_SCRIPT;
    }
    if (p->loader_dir[0] != '\0'
        && strncmp(path, p->loader_dir, strlen(p->loader_dir)) == 0)
    {
        return BLOG_ST_HTTP_LOADER;
    }
    if (p->kernel[0] != '\0' && strcmp(path, p->kernel) == 0) {
        return BLOG_ST_KERNEL;
    }
    if (p->initrd[0] != '\0' && strcmp(path, p->initrd) == 0) {
        return BLOG_ST_INITRD;
    }
    if (p->modloop[0] != '\0' && strcmp(path, p->modloop) == 0) {
        return BLOG_ST_MODLOOP;
    }
    if (p->apkovl[0] != '\0' && strcmp(path, p->apkovl) == 0) {
        return BLOG_ST_APKOVL;
    }
    if (p->ssh_key[0] != '\0' && strcmp(path, p->ssh_key) == 0) {
        return BLOG_ST_SSH_KEY;
    }
    for (i = 0; i < 4; i++) {
        k = strlen(p->repo[i]);
        if (k > 1 && strncmp(path, p->repo[i], k) == 0
            && (path[k] == '/' || path[k] == '\0'))
        {
            return BLOG_ST_REPO;
        }
    }
    last = strrchr(path, '/');
    last = last != NULL ? last + 1 : path;
    for (i = 0; i < sizeof(meta) / sizeof(meta[0]); i++) {
        if (strcmp(last, meta[i]) == 0) {
            return BLOG_ST_METADATA;
        }
    }
    return BLOG_ST_OTHER;
}

/* Whether this event starts a boot of its own. */
static int
starts_boot(const blog_machine *m, blog_stage st)
{
    if (m->nboots == 0) {
        return 1;
    }
    if (stages[st].rank == 0) {
        return m->top >= 1;
    }
    if (st == BLOG_ST_DHCP_IPXE) {
        return m->top >= 3;
    }
    return 0;
}

static void
step_detail(blog_step *s, blog_stage st, const blog_event *ev)
{
    char size[32];

    switch (ev->kind) {
    case BLOG_ANSWER:
        if (st == BLOG_ST_DHCP_PXE) {
            blog_fmt(s->detail, sizeof(s->detail), "next-server %s, file %s",
                     ev->siaddr, ev->text);
        } else {
            blog_fmt(s->detail, sizeof(s->detail), "%s", ev->text);
        }
        break;
    case BLOG_DECLINED:
        blog_fmt(s->detail, sizeof(s->detail), "%s (%s)", ev->text,
                 ev->decline);
        break;
    case BLOG_TFTP_RRQ:
        if (ev->remapped[0] != '\0' && strcmp(ev->remapped, ev->text) != 0) {
            blog_fmt(s->detail, sizeof(s->detail), "%.120s to %s (asked "
                     "for %.100s)", ev->remapped, ev->ip, ev->text);
        } else {
            blog_fmt(s->detail, sizeof(s->detail), "%s to %s", ev->text,
                     ev->ip);
        }
        break;
    case BLOG_TFTP_NAK:
        blog_fmt(s->detail, sizeof(s->detail), "%s refused to %s: %s (TFTP "
                 "error %d)", s->file[0] ? s->file : "a file", ev->ip,
                 ev->text, ev->status);
        break;
    case BLOG_LEASE:
        blog_fmt(s->detail, sizeof(s->detail), "%s", ev->ip);
        break;
    case BLOG_HTTP:
        blog_human_bytes(ev->bytes, size, sizeof(size));
        if (st == BLOG_ST_SCRIPT) {
            blog_fmt(s->detail, sizeof(s->detail), "%s -> %d%s%s%s",
                     ev->text, ev->status, ev->result[0] != '\0' ? " (" : "",
                     ev->result, ev->result[0] != '\0' ? ")" : "");
        } else {
            blog_fmt(s->detail, sizeof(s->detail), "%s -> %d, %s", ev->text,
                     ev->status, size);
        }
        break;
    default:
        break;
    }
}

/* Count ev in stage st of boot b; the change it makes. */
static void
step_add(blog_machine *m, blog_boot *b, blog_stage st, const blog_event *ev,
    blog_change *ch)
{
    blog_step *s = &b->step[st];
    int        fail = 0, first = !s->seen;

    if (ev->kind == BLOG_HTTP) {
        fail = ev->status >= 400;
    } else if (ev->kind == BLOG_TFTP_NAK || ev->kind == BLOG_DECLINED) {
        fail = 1;
    }
    if (ev->kind == BLOG_TFTP_NAK && s->ok > 0) {
        s->ok--;                /* the read it logged was this refusal */
    }
    if (ev->kind == BLOG_TFTP_RRQ) {
        blog_fmt(s->file, sizeof(s->file), "%s", ev->remapped[0]
                 ? ev->remapped : ev->text);
    } else if (ev->kind == BLOG_HTTP) {
        blog_fmt(s->file, sizeof(s->file), "%s", ev->text);
    }
    if (!s->seen) {
        s->seen = 1;
        s->first_ms = ev->ms;
        s->whole_s = ev->whole_s;
    }
    s->last_ms = ev->ms;
    s->count++;
    if (fail) {
        s->failed++;
    } else {
        s->ok++;
    }
    s->status = ev->kind == BLOG_HTTP ? ev->status : 0;
    s->bytes = ev->bytes;
    if (ev->ip[0] != '\0') {
        blog_fmt(s->ip, sizeof(s->ip), "%s", ev->ip);
        blog_fmt(b->ip, sizeof(b->ip), "%s", ev->ip);
    }
    /* what to show: the last served, else the last refused */
    if (!fail || s->ok == 0) {
        step_detail(s, st, ev);
    }
    if (ev->ms > b->last_ms) {
        b->last_ms = ev->ms;
    }
    if (stages[st].rank > m->top && !fail) {
        m->top = stages[st].rank;
    }
    if (ch != NULL && (first || (fail && s->failed == 1))) {
        ch->new_stage = 1;
        ch->stage = st;
        ch->failed = fail;
    }
}

/* The waiting lease was the booted system's own DHCP. */
static void
settle_lease(blog_machine *m, blog_change *ch)
{
    blog_event ev;
    blog_boot *b = current(m);

    m->pending = 0;
    if (b == NULL || m->top < 4) {
        return;
    }
    memset(&ev, 0, sizeof(ev));
    ev.kind = BLOG_LEASE;
    ev.ms = m->pend_ms;
    ev.whole_s = m->pend_whole_s;
    blog_fmt(ev.ip, sizeof(ev.ip), "%s", m->pend_ip);
    step_add(m, b, BLOG_ST_OS_DHCP, &ev, ch);
    blog_fmt(b->step[BLOG_ST_OS_DHCP].tid, sizeof(b->step[0].tid), "%s",
             m->pend_tid);
    if (ch != NULL) {
        ch->machine = m;
    }
}

static int
feed_dhcp(blog_tracker *t, const blog_event *ev, blog_change *ch)
{
    blog_machine *m;
    blog_boot    *b;
    blog_stage    st;
    int           same_tx;

    if (!ev->have_mac) {
        return 0;
    }
    m = machine_get(t, &ev->mac, 1);
    if (m == NULL) {
        return t->have_only ? 0 : -ENOMEM;
    }
    same_tx = m->pending && strcmp(m->pend_tid, ev->tid) == 0;
    if (m->pending && !same_tx) {
        settle_lease(m, ch);
    }
    m->pending = 0;
    if (ev->kind == BLOG_DECLINED) {
        st = BLOG_ST_DECLINED;
    } else if (strcmp(ev->stage, "pxe") == 0) {
        st = BLOG_ST_DHCP_PXE;
    } else if (strcmp(ev->stage, "httpboot") == 0) {
        st = BLOG_ST_DHCP_HTTP;
    } else {
        st = BLOG_ST_DHCP_IPXE;
    }
    if (starts_boot(m, st)) {
        b = new_boot(t, m, ev);
        if (b == NULL) {
            return -ENOMEM;
        }
        ch->new_boot = 1;
    }
    b = current(m);
    b->have_dhcp = 1;
    if (b->arch[0] == '\0' || st != BLOG_ST_DHCP_IPXE) {
        blog_fmt(b->arch, sizeof(b->arch), "%s", ev->arch);
    }
    blog_fmt(b->host, sizeof(b->host), "%s", ev->host);
    if (ev->kind == BLOG_ANSWER) {
        blog_fmt(b->profile, sizeof(b->profile), "%s", ev->profile);
    }
    step_add(m, b, st, ev, ch);
    if (same_tx) {
        /* the lease of this very exchange: the firmware's address */
        blog_fmt(b->step[st].ip, sizeof(b->step[st].ip), "%s", m->pend_ip);
        blog_fmt(b->ip, sizeof(b->ip), "%s", m->pend_ip);
    }
    ch->machine = m;
    return 0;
}

static int
feed_lease(blog_tracker *t, const blog_event *ev, blog_change *ch)
{
    blog_machine *m;

    if (ip_set(t, ev->ip, &ev->mac) != 0) {
        return -ENOMEM;
    }
    m = machine_get(t, &ev->mac, 0);
    if (m == NULL) {
        return 0;
    }
    if (m->pending && strcmp(m->pend_tid, ev->tid) != 0) {
        settle_lease(m, ch);
    }
    m->pending = 1;
    m->pend_ms = ev->ms;
    m->pend_whole_s = ev->whole_s;
    blog_fmt(m->pend_ip, sizeof(m->pend_ip), "%s", ev->ip);
    blog_fmt(m->pend_tid, sizeof(m->pend_tid), "%s", ev->tid);
    return 0;
}

/* The machine of a MAC that alpxe answered, or that is in a [host];
 * NULL for the ordinary DHCP clients of the same Kea. */
static blog_machine *
known_machine(blog_tracker *t, const alpxe_mac *mac)
{
    blog_machine *m = machine_get(t, mac, 0);
    alpxe_machine am;

    if (m != NULL || t->cfg == NULL) {
        return m;
    }
    alpxe_machine_for(t->cfg, mac, &am);
    return am.host != NULL ? machine_get(t, mac, 1) : NULL;
}

/* A TFTP or HTTP request: whose, and which stage. */
static int
feed_request(blog_tracker *t, const blog_event *ev, blog_change *ch)
{
    const alpxe_mac *owner = ip_owner(t, ev->ip);
    blog_machine    *m = NULL;
    blog_boot       *b;
    blog_stage       st;
    alpxe_mac        named;
    int              have_named = 0;

    if (ev->kind == BLOG_HTTP) {
        if (ev->have_mac) {
            named = ev->mac;
            have_named = 1;
        } else if (alpxe_request_mac(ev->text, strlen(ev->text), ev->query,
                                     strlen(ev->query), ALPXE_REQUEST_TAIL,
                                     &named) == 0)
        {
            have_named = 1;
        }
    }
    if (have_named) {
        /* someone else asking for this MAC's script is not its boot: from
         * another machine's address, or from an address of no machine
         * once this boot has its script (an admin's curl) */
        if (owner != NULL && memcmp(owner->b, named.b, 6) != 0) {
            return 0;
        }
        m = known_machine(t, &named);
        if (m != NULL && owner == NULL && m->nboots > 0
            && current(m)->step[BLOG_ST_SCRIPT].ok > 0)
        {
            return 0;
        }
    } else if (owner != NULL) {
        m = known_machine(t, owner);
    }
    if (m == NULL) {
        return 0;
    }
    if (m->pending) {
        settle_lease(m, ch);
    }
    if (have_named && m->plan.menu) {
        /* the menu again, or the script of a profile picked from it: what
         * the machine fetches next is that profile's */
        alpxe_request req;

        blog_plan_for(t->cfg, &named, &m->plan);
        if (alpxe_request_parse(ev->text, strlen(ev->text), ev->query,
                                strlen(ev->query), ALPXE_REQUEST_TAIL, &req)
            == 0 && req.profile[0] != '\0')
        {
            blog_plan_choose(t->cfg, &named, req.profile, &m->plan);
        }
    }
    if (ev->kind == BLOG_HTTP) {
        st = have_named ? BLOG_ST_SCRIPT : http_stage(&m->plan, ev);
    } else {
        st = BLOG_ST_TFTP;
    }
    if (m->nboots == 0) {
        if (new_boot(t, m, ev) == NULL) {
            return -ENOMEM;
        }
        ch->new_boot = 1;
    }
    b = current(m);
    step_add(m, b, st, ev, ch);
    if (st == BLOG_ST_SCRIPT && ev->result[0] != '\0') {
        blog_fmt(b->script_result, sizeof(b->script_result), "%s",
                 ev->result);
    }
    ch->machine = m;
    return 0;
}

int
blog_tracker_feed(blog_tracker *t, const blog_event *ev, blog_change *ch)
{
    blog_change none;

    if (ch == NULL) {
        ch = &none;
    }
    memset(ch, 0, sizeof(*ch));
    switch (ev->kind) {
    case BLOG_ANSWER:
    case BLOG_DECLINED:
        t->alpxe_lines++;
        return feed_dhcp(t, ev, ch);
    case BLOG_ALPXE:
        t->alpxe_lines++;
        return 0;
    case BLOG_LEASE:
        return feed_lease(t, ev, ch);
    case BLOG_TFTP_RRQ:
    case BLOG_TFTP_NAK:
    case BLOG_HTTP:
        return feed_request(t, ev, ch);
    default:
        return 0;
    }
}

int
blog_tracker_settle(blog_tracker *t, long long now_ms, blog_change *ch)
{
    blog_change none;
    size_t      i;

    if (ch == NULL) {
        ch = &none;
    }
    memset(ch, 0, sizeof(*ch));
    for (i = 0; i < t->n; i++) {
        if (t->machines[i]->pending
            && (now_ms == 0 || t->machines[i]->pend_ms < now_ms - 2000))
        {
            settle_lease(t->machines[i], ch);
            if (ch->new_stage && now_ms != 0) {
                return 0;       /* one change at a time */
            }
        }
    }
    return 0;
}

size_t
blog_tracker_count(const blog_tracker *t)
{
    return t->n;
}

const blog_machine *
blog_tracker_at(const blog_tracker *t, size_t i)
{
    return i < t->n ? t->machines[i] : NULL;
}

unsigned long
blog_tracker_alpxe_lines(const blog_tracker *t)
{
    return t->alpxe_lines;
}

const alpxe_mac *
blog_machine_mac(const blog_machine *m)
{
    return &m->mac;
}

const blog_plan *
blog_machine_plan(const blog_machine *m)
{
    return &m->plan;
}

size_t
blog_machine_boots(const blog_machine *m)
{
    return m->nboots;
}

const blog_boot *
blog_machine_boot(const blog_machine *m, size_t i)
{
    return i < m->nboots ? &m->boots[i] : NULL;
}

const blog_boot *
blog_machine_last(const blog_machine *m)
{
    return m->nboots > 0 ? &m->boots[m->nboots - 1] : NULL;
}

unsigned long
blog_machine_boot_total(const blog_machine *m)
{
    return m->total;
}

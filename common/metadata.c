/*
 * metadata.c - the NoCloud documents a machine with metadata = yes gets
 * from ${http}/<mac>/, for Alpine's tiny-cloud (ds=nocloud;s=URL on the
 * kernel line).  tiny-cloud (3.0.x, lib/tiny-cloud/cloud/nocloud/imds)
 * fetches meta-data, user-data, vendor-data and network-config with
 * `wget URL/NAME` once, early in the boot, and then reads:
 *
 *   meta-data   hostname (not local-hostname), network-interfaces (the
 *               text of /etc/network/interfaces), resolv_conf
 *   user-data   only "#alpine-config" (its "#cloud-config" handler is a
 *               TODO) or a script; of #alpine-config the keys user,
 *               ssh_authorized_keys, bootcmd, write_files, ntp, apk,
 *               package_update, package_upgrade, packages, runcmd,
 *               autoinstall
 *   vendor-data, network-config   downloaded, never read
 *
 * alpxe serves network-config anyway (cloud-init reads it) and an empty
 * vendor-data.  Its user-data holds the host's SSH keys (authorized_keys
 * files), the host's NFS directory (nfs =) mounted at /media/alpxe with
 * Alpine's lbu committing there (packages, write_files, runcmd: the only
 * keys tiny-cloud implements that can do it), and the #alpine-config of
 * the user_data files the profile and the host name.
 *
 * Every value alpxe writes into YAML is validated against a whitelist and
 * written as a double-quoted scalar or into a literal block: host names,
 * addresses, key lines and NFS paths can hold neither '"' nor '\' nor a
 * line break, so they cannot end the scalar they are in.  The user_data
 * files are the administrator's YAML: they are checked for shape (one
 * mapping of #alpine-config keys, lists alpxe adds to written as block
 * lists) and merged by whole top-level blocks, never rewritten inside.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpine.h"
#include "metadata.h"

/* Where the host's NFS directory is mounted, and lbu commits to. */
#define META_MOUNT      "/media/alpxe"

const char *const meta_merged[MERGE_COUNT] = {
    "ssh_authorized_keys", "packages", "write_files", "runcmd",
};

static const char *const doc_names[ALPXE_DOC_COUNT] = {
    [ALPXE_DOC_SCRIPT]         = ALPXE_SCRIPT_NAME,
    [ALPXE_DOC_META_DATA]      = "meta-data",
    [ALPXE_DOC_USER_DATA]      = "user-data",
    [ALPXE_DOC_VENDOR_DATA]    = "vendor-data",
    [ALPXE_DOC_NETWORK_CONFIG] = "network-config",
};

const char *
alpxe_doc_name(alpxe_doc doc)
{
    return (unsigned) doc < ALPXE_DOC_COUNT ? doc_names[doc] : "";
}

int
meta_merged_index(const char *key)
{
    int i;

    for (i = 0; i < MERGE_COUNT; i++) {
        if (strcmp(key, meta_merged[i]) == 0) {
            return i;
        }
    }
    return -1;
}

/* -------------------------------------------------------- rendering */

int
cfg_metadata_on(const cfg_profile *p, const alpxe_host *h)
{
    const char *v = h != NULL && cfg_host_own(h, KEY_METADATA) != NULL
                    ? cfg_host_own_text(h, KEY_METADATA)
                    : p->v[KEY_METADATA].text;

    return v != NULL && strcmp(v, "yes") == 0;
}

static void
put_spaces(alpxe_buf *b, unsigned n)
{
    static const char spaces[] = "                                ";

    while (n > sizeof(spaces) - 1) {
        buf_put(b, spaces, sizeof(spaces) - 1);
        n -= sizeof(spaces) - 1;
    }
    buf_put(b, spaces, n);
}

/* `  - "item"` */
static void
put_item(alpxe_buf *b, unsigned indent, const char *s, size_t n)
{
    put_spaces(b, indent);
    buf_puts(b, "- \"");
    buf_put(b, s, n);
    buf_puts(b, "\"\n");
}

/* A body of lines, each non-empty one shifted right by `by` columns. */
static void
put_shifted(alpxe_buf *b, const char *p, size_t len, unsigned by)
{
    const char *end = p + len, *nl;

    for (; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t) (end - p));
        nl = nl != NULL ? nl : end;
        if (nl != p) {
            put_spaces(b, by);
        }
        buf_put(b, p, (size_t) (nl - p));
        buf_puts(b, "\n");
    }
}

static const ud_block *
find_block(const cfg_file *f, const char *key)
{
    size_t i;

    for (i = 0; f != NULL && i < f->count; i++) {
        if (strcmp(f->blocks[i].key, key) == 0) {
            return &f->blocks[i];
        }
    }
    return NULL;
}

/* An NFS path alpxe writes into fstab: nothing fstab or YAML reads. */
int
meta_nfs_path_ok(const char *s)
{
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || strchr("/._-+@,=~%", *s)))
        {
            return 0;
        }
    }
    return 1;
}

/* fstab's options from libnfs's: the version, the ports. */
static void
put_mount_options(alpxe_buf *b, const alpxe_nfs_url *u)
{
    const char *p = u->query, *amp;
    size_t      n;

    buf_puts(b, "rw,_netdev,");
    buf_puts(b, u->v4 ? "vers=4" : "vers=3,nolock");
    for (; *p != '\0'; p = *amp != '\0' ? amp + 1 : amp) {
        amp = p + strcspn(p, "&");
        n = (size_t) (amp - p);
        if (n > 8 && strncmp(p, "nfsport=", 8) == 0) {
            buf_puts(b, ",port=");
            buf_put(b, p + 8, n - 8);
        } else if (n > 10 && strncmp(p, "mountport=", 10) == 0) {
            buf_puts(b, ",mountport=");
            buf_put(b, p + 10, n - 10);
        }
    }
}

/* Our items of a merged key, at `indent`. */
static void
put_own_items(alpxe_buf *b, int which, const cfg_profile *p,
    const alpxe_host *h, const alpxe_nfs_url *nfs, unsigned indent)
{
    const cfg_file *files[2] = { p->keys,
                                 h != NULL ? CFG_HOST_EXTRA(h, keys) : NULL };
    const char     *s, *nl, *end;
    size_t          i;

    switch (which) {
    case MERGE_KEYS:
        for (i = 0; i < 2; i++) {
            if (files[i] == NULL || (i == 1 && files[1] == files[0])) {
                continue;
            }
            s = files[i]->keys;
            end = s + files[i]->keys_len;
            for (; s < end; s = nl + 1) {
                nl = memchr(s, '\n', (size_t) (end - s));
                nl = nl != NULL ? nl : end;
                put_item(b, indent, s, (size_t) (nl - s));
            }
        }
        break;
    case MERGE_PACKAGES:
        if (nfs != NULL) {
            put_item(b, indent, "nfs-utils", 9);
        }
        break;
    case MERGE_WRITE_FILES:
        if (nfs == NULL) {
            break;
        }
        put_spaces(b, indent);
        buf_puts(b, "- path: \"/etc/fstab\"\n");
        put_spaces(b, indent + 2);
        buf_puts(b, "append: true\n");
        put_spaces(b, indent + 2);
        buf_puts(b, "content: |\n");
        put_spaces(b, indent + 4);
        buf_puts(b, nfs->server);
        buf_puts(b, ":");
        buf_puts(b, nfs->path);
        buf_puts(b, " " META_MOUNT " nfs ");
        put_mount_options(b, nfs);
        buf_puts(b, " 0 0\n");
        put_spaces(b, indent);
        buf_puts(b, "- path: \"/etc/lbu/lbu.conf\"\n");
        put_spaces(b, indent + 2);
        buf_puts(b, "append: true\n");
        put_spaces(b, indent + 2);
        buf_puts(b, "content: |\n");
        put_spaces(b, indent + 4);
        buf_puts(b, "LBU_BACKUPDIR=" META_MOUNT "\n");
        break;
    case MERGE_RUNCMD:
        if (nfs != NULL) {
            put_item(b, indent, "mkdir -p " META_MOUNT,
                     sizeof("mkdir -p " META_MOUNT) - 1);
            put_item(b, indent, "mount " META_MOUNT,
                     sizeof("mount " META_MOUNT) - 1);
            put_item(b, indent, "rc-update add netmount default",
                     sizeof("rc-update add netmount default") - 1);
        }
        break;
    }
}

static int
has_own_items(int which, const cfg_profile *p, const alpxe_host *h,
    const alpxe_nfs_url *nfs)
{
    if (which == MERGE_KEYS) {
        return (p->keys != NULL && p->keys->keys_len != 0)
               || (h != NULL && CFG_HOST_EXTRA(h, keys) != NULL
                   && h->extra->keys->keys_len != 0);
    }
    return nfs != NULL;
}

/*
 * user-data: "#alpine-config", the merged lists (alpxe's items first, then
 * the profile's file's, then the host's, all at one indentation), then the
 * files' other keys (a key in both: the host's).
 */
static void
render_user_data(const cfg_profile *p, const alpxe_host *h,
    const alpxe_nfs_url *nfs, alpxe_buf *b)
{
    const cfg_file *files[2] = { p->user_data,
                                 h != NULL ? CFG_HOST_EXTRA(h, user_data)
                                           : NULL };
    const ud_block *blk[2];
    unsigned        col;
    size_t          i, f;
    int             k;

    if (files[1] == files[0]) {
        files[1] = NULL;
    }
    buf_puts(b, "#alpine-config\n");
    for (k = 0; k < MERGE_COUNT; k++) {
        col = 2;
        for (f = 0; f < 2; f++) {
            blk[f] = find_block(files[f], meta_merged[k]);
            if (blk[f] != NULL && blk[f]->indent > col) {
                col = blk[f]->indent;
            }
        }
        if (!has_own_items(k, p, h, nfs) && blk[0] == NULL
            && blk[1] == NULL)
        {
            continue;
        }
        buf_puts(b, meta_merged[k]);
        buf_puts(b, ":\n");
        put_own_items(b, k, p, h, nfs, col);
        for (f = 0; f < 2; f++) {
            if (blk[f] != NULL) {
                put_shifted(b, blk[f]->body, blk[f]->body_len,
                            col - blk[f]->indent);
            }
        }
    }
    for (f = 0; f < 2; f++) {
        for (i = 0; files[f] != NULL && i < files[f]->count; i++) {
            const ud_block *u = &files[f]->blocks[i];

            if (meta_merged_index(u->key) >= 0
                || (f == 0 && find_block(files[1], u->key) != NULL))
            {
                continue;
            }
            buf_put(b, u->text, u->len);
            if (u->len != 0 && u->text[u->len - 1] != '\n') {
                buf_puts(b, "\n");
            }
        }
    }
}

/* The prefix length of a contiguous netmask, or -1. */
static int
mask_prefix(const char *s)
{
    struct in_addr a;
    uint32_t       m;
    int            n = 0;

    if (inet_pton(AF_INET, s, &a) != 1) {
        return -1;
    }
    m = ntohl(a.s_addr);
    while (m & 0x80000000u) {
        n++;
        m <<= 1;
    }
    return m == 0 ? n : -1;
}

static int
ipv4(const char *s)
{
    struct in_addr a;

    return s[0] != '\0' && inet_pton(AF_INET, s, &a) == 1;
}

/* An interface name ifupdown can take. */
static int
device_ok(const char *s)
{
    size_t n = strlen(s);

    if (n == 0 || n > 15) {
        return 0;
    }
    for (; *s != '\0'; s++) {
        if (!((*s >= 'a' && *s <= 'z') || (*s >= 'A' && *s <= 'Z')
              || (*s >= '0' && *s <= '9') || strchr("._-", *s)))
        {
            return 0;
        }
    }
    return 1;
}

/* The host's ip= (its own, its profile's, or dhcp), variables expanded. */
static void
expanded_ip(const cfg_profile *p, const alpxe_host *h, const alpxe_mac *mac,
    alpine_ip *ip)
{
    const char *v = h != NULL && cfg_host_own(h, KEY_IP) != NULL
                    ? cfg_host_own_text(h, KEY_IP) : p->v[KEY_IP].text;
    char        text[256];
    alpxe_buf   b;

    buf_init(&b, text, sizeof(text));
    cfg_expand(&b, v != NULL ? v : "dhcp", h != NULL ? h->name : NULL, mac);
    alpine_ip_split(buf_finish(&b) == 0 ? text : "dhcp", ip);
}

/* Is ip= a static address alpxe can describe (client, contiguous mask)? */
static int
ip_described(const alpine_ip *ip)
{
    return alpine_ip_static(ip) && ipv4(ip->f[0]) && mask_prefix(ip->f[3]) >= 0;
}

static void
put_quoted(alpxe_buf *b, const char *key, const char *v)
{
    buf_puts(b, key);
    buf_puts(b, ": \"");
    buf_puts(b, v);
    buf_puts(b, "\"\n");
}

/*
 * meta-data: the name (tiny-cloud reads hostname; cloud-init reads
 * local-hostname), and /etc/network/interfaces: with no text there
 * tiny-cloud writes DHCP for the first eth* with link and sets the others
 * down - on a machine that booted from its second NIC, the one it booted
 * from.  So the NIC that booted keeps what the initramfs gave it, and a
 * static ip= naming its device is written out.
 */
static void
render_meta_data(const cfg_profile *p, const alpxe_host *h,
    const alpxe_mac *mac, alpxe_buf *b)
{
    char        name[ALPXE_MAC_STR], colon[ALPXE_MAC_STR];
    const char *hostname;
    alpine_ip   ip;

    alpxe_mac_format(mac, '-', name);
    alpxe_mac_format(mac, ':', colon);
    hostname = h != NULL ? h->name : name;
    expanded_ip(p, h, mac, &ip);

    put_quoted(b, "instance-id", hostname);
    put_quoted(b, "local-hostname", hostname);
    put_quoted(b, "hostname", hostname);
    buf_puts(b, "network-interfaces: |\n"
                "  auto lo\n"
                "  iface lo inet loopback\n");
    if (ip_described(&ip) && device_ok(ip.f[5])) {
        buf_puts(b, "\n  auto ");
        buf_puts(b, ip.f[5]);
        buf_puts(b, "\n  iface ");
        buf_puts(b, ip.f[5]);
        buf_puts(b, " inet static\n    address ");
        buf_puts(b, ip.f[0]);
        buf_puts(b, "\n    netmask ");
        buf_puts(b, ip.f[3]);
        buf_puts(b, "\n");
        if (ipv4(ip.f[2])) {
            buf_puts(b, "    gateway ");
            buf_puts(b, ip.f[2]);
            buf_puts(b, "\n");
        }
    } else {
        buf_puts(b, "  # alpxe: the NIC that booted (");
        buf_puts(b, colon);
        buf_puts(b, ") keeps the address the initramfs gave it\n");
    }
    if (alpine_ip_static(&ip) && (ipv4(ip.f[7]) || ipv4(ip.f[8]))) {
        buf_puts(b, "resolv_conf:\n  nameservers:\n");
        if (ipv4(ip.f[7])) {
            put_item(b, 4, ip.f[7], strlen(ip.f[7]));
        }
        if (ipv4(ip.f[8])) {
            put_item(b, 4, ip.f[8], strlen(ip.f[8]));
        }
    }
}

/* network-config, version 2 (cloud-init's): the NIC by its MAC. */
static void
render_network_config(const cfg_profile *p, const alpxe_host *h,
    const alpxe_mac *mac, alpxe_buf *b)
{
    char      colon[ALPXE_MAC_STR], prefix[16];
    alpine_ip ip;

    alpxe_mac_format(mac, ':', colon);
    expanded_ip(p, h, mac, &ip);
    buf_puts(b, "version: 2\nethernets:\n  alpxe0:\n    match:\n"
                "      macaddress: \"");
    buf_puts(b, colon);
    buf_puts(b, "\"\n");
    if (!ip_described(&ip)) {
        buf_puts(b, strcmp(ip.f[0], "off") == 0 || strcmp(ip.f[0], "none") == 0
                    ? "    dhcp4: false\n" : "    dhcp4: true\n");
        return;
    }
    snprintf(prefix, sizeof(prefix), "/%d", mask_prefix(ip.f[3]));
    buf_puts(b, "    addresses:\n      - \"");
    buf_puts(b, ip.f[0]);
    buf_puts(b, prefix);
    buf_puts(b, "\"\n");
    if (ipv4(ip.f[2])) {
        put_quoted(b, "    gateway4", ip.f[2]);
    }
    if (ipv4(ip.f[7]) || ipv4(ip.f[8])) {
        buf_puts(b, "    nameservers:\n      addresses:\n");
        if (ipv4(ip.f[7])) {
            put_item(b, 8, ip.f[7], strlen(ip.f[7]));
        }
        if (ipv4(ip.f[8])) {
            put_item(b, 8, ip.f[8], strlen(ip.f[8]));
        }
    }
}

void
cfg_render_doc(const alpxe_config *cfg, alpxe_doc doc, const cfg_profile *p,
    const alpxe_host *h, const alpxe_mac *mac, alpxe_buf *b)
{
    alpxe_nfs_url nfs;
    char          why[160];
    int           have_nfs;

    (void) cfg;
    switch (doc) {
    case ALPXE_DOC_META_DATA:
        render_meta_data(p, h, mac, b);
        break;
    case ALPXE_DOC_USER_DATA:
        /* a host's own directory: what alpxe check --network and alpxe
         * provision look after (validated for fstab at load) */
        have_nfs = h != NULL && CFG_HOST_EXTRA(h, nfs) != NULL
                   && alpxe_nfs_url_parse(h->extra->nfs, &nfs, why,
                                          sizeof(why)) == 0
                   && meta_nfs_path_ok(nfs.path);
        render_user_data(p, h, have_nfs ? &nfs : NULL, b);
        break;
    case ALPXE_DOC_NETWORK_CONFIG:
        render_network_config(p, h, mac, b);
        break;
    default:
        break;              /* vendor-data: empty (tiny-cloud ignores it) */
    }
}

void
metadata_prerender(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    char         *text = NULL;
    alpxe_host   *h;
    cfg_mac      *m;
    cfg_docs     *d, *prev;
    alpxe_buf     b;
    size_t        i;
    int           k;

    for (i = 0; i < cfg->mac_count && !ps->nomem; i++) {
        m = &cfg->macs[i];
        h = &cfg->hosts[m->host];
        if (h->boot != ALPXE_BOOT_NETBOOT || !cfg_metadata_on(h->profile, h)) {
            continue;
        }
        if (cfg->docs == NULL) {
            cfg->docs = arena_alloc(&cfg->mem, cfg->mac_count
                                               * sizeof(*cfg->docs));
            text = malloc(ALPXE_DOC_MAX);
            if (cfg->docs == NULL || text == NULL) {
                ps->nomem = 1;
                break;
            }
        }
        d = &cfg->docs[i];
        /* a host's MACs are consecutive: its second MAC shares what is
         * the same as its first's */
        prev = i > h->first_mac ? &cfg->docs[i - 1] : NULL;
        for (k = ALPXE_DOC_META_DATA; k < ALPXE_DOC_COUNT; k++) {
            buf_init(&b, text, ALPXE_DOC_MAX);
            cfg_render_doc(cfg, (alpxe_doc) k, h->profile, h, &m->mac, &b);
            if (b.overflow) {
                ps->nomem = 1;      /* check_fits made this unreachable */
                break;
            }
            if (prev != NULL && prev->len[k] == b.len
                && memcmp(prev->text[k], text, b.len) == 0)
            {
                d->text[k] = prev->text[k];
            } else {
                d->text[k] = b.len != 0 ? parse_strdup(ps, text, b.len) : "";
            }
            d->len[k] = (uint32_t) b.len;
        }
    }
    free(text);
}

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
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "alpine.h"
#include "metadata.h"

/* Where the host's NFS directory is mounted, and lbu commits to. */
#define META_MOUNT      "/media/alpxe"

typedef enum {
    FILE_KEYS = 0,
    FILE_USER_DATA
} file_kind;

/* One top-level "key:" of a user_data file, with the lines under it. */
typedef struct {
    const char  *key;           /* NUL-terminated */
    const char  *text;          /* the key line and the body */
    size_t       len;
    const char  *body;          /* the lines after the key line */
    size_t       body_len;
    unsigned     indent;        /* merged keys: the column of the items */
    unsigned     line;
} ud_block;

struct cfg_file {
    const char  *path;          /* as resolved */
    file_kind    kind;
    const char  *keys;          /* FILE_KEYS: "TYPE BASE64[ COMMENT]\n"... */
    size_t       keys_len;
    ud_block    *blocks;        /* FILE_USER_DATA */
    size_t       count;
};

/* The #alpine-config keys tiny-cloud reads (lib/tiny-cloud/user-data/
 * alpine-config), and the lists of them alpxe adds its own items to. */
static const char *const tc_keys[] = {
    "user", "ssh_authorized_keys", "bootcmd", "write_files", "ntp", "apk",
    "package_update", "package_upgrade", "packages", "runcmd",
    "autoinstall",
};

enum { MERGE_KEYS = 0, MERGE_PACKAGES, MERGE_WRITE_FILES, MERGE_RUNCMD,
       MERGE_COUNT };

static const char *const merged[MERGE_COUNT] = {
    "ssh_authorized_keys", "packages", "write_files", "runcmd",
};

static const char *const key_types[] = {
    "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
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

/* ------------------------------------------------------ diagnostics */

/* A diagnostic about a line of another file than alpxe.conf. */
static void
file_diag(parse_state *ps, alpxe_severity sev, const char *file,
    unsigned line, const char *fmt, ...)
{
    const char *saved = ps->file;
    char        msg[512];
    va_list     ap;

    va_start(ap, fmt);
    vsnprintf(msg, sizeof(msg), fmt, ap);
    va_end(ap);
    ps->file = file;
    if (sev == ALPXE_ERROR) {
        parse_error(ps, line, "%s", msg);
    } else {
        parse_warning(ps, line, "%s", msg);
    }
    ps->file = saved;
}

/* ------------------------------------------------------ the key files */

static int
is_b64(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9') || c == '+' || c == '/';
}

/* A key's comment: what may sit in a double-quoted YAML scalar and an
 * authorized_keys line, nothing else. */
static int
is_comment_char(char c)
{
    return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z')
           || (c >= '0' && c <= '9') || strchr(" ._@+:=,/()-", c) != NULL;
}

/*
 * One line of an authorized_keys file: "TYPE BASE64 [COMMENT]".  The
 * normalised line (single spaces) is appended to out.  Returns 0, or -1
 * with the reason in why.
 */
static int
key_line(const char *p, const char *end, alpxe_buf *out, char *why,
    size_t size)
{
    const char *w, *b64;
    size_t      n, i, pad = 0;
    int         known = 0;

    n = strcspn(p, " \t");
    n = n > (size_t) (end - p) ? (size_t) (end - p) : n;
    w = p;
    for (i = 0; i < sizeof(key_types) / sizeof(key_types[0]); i++) {
        if (strlen(key_types[i]) == n && strncmp(w, key_types[i], n) == 0) {
            known = 1;
        }
    }
    if (!known) {
        if (memchr(w, '=', n) != NULL || memchr(w, ',', n) != NULL
            || memchr(w, '"', n) != NULL)
        {
            snprintf(why, size, "key options (%.*s) are not supported here: "
                     "give the plain key", (int) (n > 40 ? 40 : n), w);
        } else {
            snprintf(why, size, "\"%.*s\" is not an SSH public key type "
                     "(ssh-ed25519, ssh-rsa, ecdsa-sha2-nistp256, ...)",
                     (int) (n > 40 ? 40 : n), w);
        }
        return -1;
    }
    buf_put(out, w, n);
    p += n;
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    b64 = p;
    while (p < end && is_b64(*p)) {
        p++;
    }
    while (p < end && *p == '=' && pad < 2) {
        p++;
        pad++;
    }
    if (p - b64 < 16 || (p < end && *p != ' ' && *p != '\t')) {
        snprintf(why, size, "the key after %.*s is not base64", (int) n, w);
        return -1;
    }
    buf_put(out, " ", 1);
    buf_put(out, b64, (size_t) (p - b64));
    while (p < end && (*p == ' ' || *p == '\t')) {
        p++;
    }
    if (p < end) {
        buf_put(out, " ", 1);
    }
    for (; p < end; p++) {
        if (*p == '\t' || (*p == ' ' && p + 1 < end
                           && (p[1] == ' ' || p[1] == '\t')))
        {
            continue;           /* one space between the comment's words */
        }
        if (!is_comment_char(*p)) {
            snprintf(why, size, "character '%c' is not allowed in a key's "
                     "comment (allowed: letters, digits, spaces and "
                     "._@+:=,/()-)", *p >= 0x20 && *p < 0x7f ? *p : '?');
            return -1;
        }
        buf_put(out, p, 1);
    }
    buf_put(out, "\n", 1);
    return 0;
}

static int
load_keys(parse_state *ps, cfg_file *f, const char *text, size_t len)
{
    char        *out, why[256];
    const char  *p = text, *end = text + len, *nl, *e;
    alpxe_buf    b;
    unsigned     line = 0;
    int          bad = 0;

    out = malloc(len * 2 + 2);
    if (out == NULL) {
        ps->nomem = 1;
        return -1;
    }
    buf_init(&b, out, len * 2 + 2);
    for (; p < end; p = nl + 1) {
        line++;
        nl = memchr(p, '\n', (size_t) (end - p));
        if (nl == NULL) {
            nl = end;
        }
        e = nl;
        while (e > p && (e[-1] == ' ' || e[-1] == '\t' || e[-1] == '\r')) {
            e--;
        }
        while (p < e && (*p == ' ' || *p == '\t')) {
            p++;
        }
        if (p == e || *p == '#') {
            continue;
        }
        if (memchr(p, '\0', (size_t) (e - p)) != NULL
            || key_line(p, e, &b, why, sizeof(why)) != 0)
        {
            file_diag(ps, ALPXE_ERROR, f->path, line, "authorized_keys: %s",
                      memchr(p, '\0', (size_t) (e - p)) != NULL
                      ? "NUL byte in line" : why);
            bad = 1;
        }
    }
    if (!bad && b.len == 0) {
        file_diag(ps, ALPXE_WARNING, f->path, 0, "authorized_keys: no key "
                  "in this file");
    }
    f->keys = parse_strdup(ps, b.p, b.len);
    f->keys_len = b.len;
    free(out);
    return bad ? -1 : 0;
}

/* -------------------------------------------------- user_data files */

static int
is_key_start(char c)
{
    return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || c == '_';
}

static int
is_key_char(char c)
{
    return is_key_start(c) || (c >= '0' && c <= '9') || c == '-';
}

/* A line at column 0 that starts a top-level "key:": the key's length. */
static size_t
top_key(const char *p, const char *end)
{
    const char *s = p;

    if (p == end || !is_key_start(*p)) {
        return 0;
    }
    while (p < end && is_key_char(*p)) {
        p++;
    }
    if (p == end || *p != ':' || (p + 1 < end && p[1] != ' ')) {
        return 0;
    }
    return (size_t) (p - s);
}

static int
merged_index(const char *key)
{
    int i;

    for (i = 0; i < MERGE_COUNT; i++) {
        if (strcmp(key, merged[i]) == 0) {
            return i;
        }
    }
    return -1;
}

static int
tc_key(const char *key)
{
    size_t i;

    for (i = 0; i < sizeof(tc_keys) / sizeof(tc_keys[0]); i++) {
        if (strcmp(key, tc_keys[i]) == 0) {
            return 1;
        }
    }
    return 0;
}

/* Bytes that may appear: printable ASCII, tab, UTF-8 sequences. */
static const char *
bad_byte(const char *p, const char *end)
{
    unsigned char c;
    size_t        n, i;

    while (p < end) {
        c = (unsigned char) *p;
        if (c == '\n' || c == '\t' || (c >= 0x20 && c < 0x7f)) {
            p++;
            continue;
        }
        n = c >= 0xc2 && c <= 0xdf ? 1 : c >= 0xe0 && c <= 0xef ? 2
            : c >= 0xf0 && c <= 0xf4 ? 3 : 0;
        if (n == 0 || (size_t) (end - p) <= n) {
            return p;
        }
        for (i = 1; i <= n; i++) {
            if (((unsigned char) p[i] & 0xc0) != 0x80) {
                return p;
            }
        }
        p += n + 1;
    }
    return NULL;
}

/* End the block being collected at `end`. */
static void
block_end(ud_block *b, const char *end)
{
    if (b != NULL) {
        b->len = (size_t) (end - b->text);
        b->body_len = (size_t) (end - b->body);
    }
}

/* A merged key's block: "key:" alone, then '-' items; their column. */
static int
block_list(ud_block *b, unsigned *col)
{
    const char *p = b->text + strlen(b->key) + 1;
    const char *end = b->body, *nl;

    while (p < end && *p == ' ') {
        p++;
    }
    if (p < end && *p != '\n' && *p != '#') {
        return -1;              /* an inline value: [a, b], a scalar */
    }
    *col = 2;
    for (p = b->body, end = b->body + b->body_len; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t) (end - p));
        nl = nl != NULL ? nl : end;
        *col = 0;
        while (p + *col < nl && p[*col] == ' ') {
            (*col)++;
        }
        if (p + *col == nl || p[*col] == '#') {
            *col = 2;
            continue;           /* blank, comment */
        }
        return p[*col] == '-' && (p + *col + 1 == nl || p[*col + 1] == ' ')
               ? 0 : -1;
    }
    return 0;                   /* no items */
}

static int
load_user_data(parse_state *ps, cfg_file *f, const char *text, size_t len)
{
    const char  *p, *end = text + len, *nl, *bad;
    ud_block    *b = NULL, *blocks;
    size_t       n, i, cap = 0, count = 0;
    unsigned     line = 1, col = 2;
    int          errors = 0;

    bad = bad_byte(text, end);
    if (bad != NULL) {
        for (p = text; p < bad; p++) {
            line += *p == '\n';
        }
        file_diag(ps, ALPXE_ERROR, f->path, line, "user_data: byte 0x%02x: "
                  "only text (UTF-8, tabs, line feeds) is allowed",
                  (unsigned char) *bad);
        return -1;
    }
    nl = memchr(text, '\n', len);
    nl = nl != NULL ? nl : end;
    n = (size_t) (nl - text);
    while (n > 0 && text[n - 1] == ' ') {
        n--;
    }
    if (!(n == 14 && strncmp(text, "#alpine-config", 14) == 0)) {
        file_diag(ps, ALPXE_ERROR, f->path, 1, "user_data: the first line "
                  "must be \"#alpine-config\": %s",
                  strncmp(text, "#cloud-config", 13) == 0
                  ? "tiny-cloud does not implement #cloud-config (its "
                    "handler is a TODO); its own #alpine-config reads the "
                    "same keys it implements"
                  : strncmp(text, "#!", 2) == 0
                  ? "a script cannot be merged with the #alpine-config "
                    "alpxe writes (run it from runcmd instead)"
                  : "tiny-cloud reads the first line for the format");
        return -1;
    }

    blocks = NULL;
    for (p = nl < end ? nl + 1 : end; p < end; p = nl + 1) {
        line++;
        nl = memchr(p, '\n', (size_t) (end - p));
        nl = nl != NULL ? nl : end;
        /* blank, indented, a comment, or a "- item" at column 0 */
        if (p == nl || *p == ' ' || *p == '#'
            || (*p == '-' && (p + 1 == nl || p[1] == ' ')))
        {
            if (b == NULL && p != nl && *p != '#') {
                file_diag(ps, ALPXE_ERROR, f->path, line, "user_data: this "
                          "line belongs to no top-level key");
                errors++;
            }
            continue;
        }
        n = top_key(p, nl);
        if (n == 0) {
            file_diag(ps, ALPXE_ERROR, f->path, line, "user_data: not a "
                      "top-level \"key:\" line (user-data is one YAML "
                      "mapping of #alpine-config keys%s)",
                      *p == '\t' ? "; tabs cannot indent YAML" : "");
            errors++;
            b = NULL;
            continue;
        }
        block_end(b, p);
        if (count == cap) {
            cap = cap != 0 ? cap * 2 : 8;
            blocks = realloc(blocks, cap * sizeof(*blocks));
            if (blocks == NULL) {
                ps->nomem = 1;
                return -1;
            }
        }
        b = &blocks[count++];
        memset(b, 0, sizeof(*b));
        b->text = p;
        b->body = nl < end ? nl + 1 : end;
        b->line = line;
        b->key = parse_strdup(ps, p, n);
        if (b->key == NULL) {
            free(blocks);
            return -1;
        }
    }
    block_end(b, end);

    for (i = 0; i < count; i++) {
        b = &blocks[i];
        for (n = 0; n < i; n++) {
            if (strcmp(blocks[n].key, b->key) == 0) {
                file_diag(ps, ALPXE_ERROR, f->path, b->line, "user_data: "
                          "duplicate key '%s' (first at line %u)", b->key,
                          blocks[n].line);
                errors++;
            }
        }
        if (!tc_key(b->key)) {
            file_diag(ps, ALPXE_WARNING, f->path, b->line, "user_data: "
                      "tiny-cloud's #alpine-config ignores '%s' (it reads "
                      "user, ssh_authorized_keys, bootcmd, write_files, ntp, "
                      "apk, package_update, package_upgrade, packages, "
                      "runcmd, autoinstall)", b->key);
        }
        if (merged_index(b->key) >= 0) {
            if (block_list(b, &col) != 0) {
                file_diag(ps, ALPXE_ERROR, f->path, b->line, "user_data: "
                          "write %s as a block list (\"%s:\" and then \"- "
                          "item\" lines): alpxe adds its own items to it",
                          b->key, b->key);
                errors++;
            }
            b->indent = col;
        }
    }
    if (ps->nomem || errors != 0) {
        free(blocks);
        return -1;
    }

    /* into the configuration: the texts, then the table */
    for (i = 0; i < count; i++) {
        const char *t = parse_strdup(ps, blocks[i].text, blocks[i].len);

        if (t == NULL) {
            free(blocks);
            return -1;
        }
        blocks[i].body = t + (blocks[i].body - blocks[i].text);
        blocks[i].text = t;
    }
    f->blocks = arena_alloc(&ps->cfg->mem, count * sizeof(*blocks) + 1);
    if (f->blocks == NULL) {
        ps->nomem = 1;
        free(blocks);
        return -1;
    }
    if (count != 0) {
        memcpy(f->blocks, blocks, count * sizeof(*blocks));
    }
    f->count = count;
    free(blocks);
    return 0;
}

/* ------------------------------------------------ loading the files */

/* The files already read during this load, by resolved path. */
typedef struct {
    cfg_file   **slot;
    size_t       mask;          /* slots - 1, a power of two minus one */
    size_t       count;
} file_cache;

static size_t
path_hash(const char *s)
{
    size_t h = 2166136261u;

    for (; *s != '\0'; s++) {
        h = (h ^ (unsigned char) *s) * 16777619u;
    }
    return h;
}

static int
cache_grow(file_cache *c)
{
    cfg_file **old = c->slot, **slot;
    size_t     n = c->slot != NULL ? (c->mask + 1) * 2 : 64, i, j;

    slot = calloc(n, sizeof(*slot));
    if (slot == NULL) {
        return -1;
    }
    for (i = 0; old != NULL && i <= c->mask; i++) {
        if (old[i] == NULL) {
            continue;
        }
        for (j = path_hash(old[i]->path) & (n - 1); slot[j] != NULL;
             j = (j + 1) & (n - 1))
        {
            /* probe */
        }
        slot[j] = old[i];
    }
    free(old);
    c->slot = slot;
    c->mask = n - 1;
    return 0;
}

/* The file a key names, read and checked once per load; NULL on error
 * (reported). */
static const cfg_file *
meta_file(parse_state *ps, file_cache *c, const cfg_value *v,
    file_kind kind)
{
    const char *cfgpath = ps->cfg->path, *slash, *why = NULL;
    char        path[4096], *text = NULL;
    cfg_file   *f;
    size_t      len = 0, j;
    int         rc;

    slash = strrchr(cfgpath, '/');
    if (v->text[0] == '/' || slash == NULL) {
        snprintf(path, sizeof(path), "%s", v->text);
    } else {
        snprintf(path, sizeof(path), "%.*s/%s", (int) (slash - cfgpath),
                 cfgpath, v->text);
    }
    if (c->count * 2 >= c->mask && cache_grow(c) != 0) {
        ps->nomem = 1;
        return NULL;
    }
    for (j = path_hash(path) & c->mask; c->slot[j] != NULL;
         j = (j + 1) & c->mask)
    {
        if (strcmp(c->slot[j]->path, path) == 0) {
            f = c->slot[j];
            if (f->kind != kind) {
                parse_error(ps, v->line, "%s is named both as authorized_keys "
                            "and as user_data", path);
                return NULL;
            }
            return f->path[0] != '\0' ? f : NULL;   /* "": it failed */
        }
    }

    f = arena_alloc(&ps->cfg->mem, sizeof(*f));
    if (f == NULL) {
        ps->nomem = 1;
        return NULL;
    }
    f->kind = kind;
    f->path = parse_strdup(ps, path, strlen(path));
    if (f->path == NULL) {
        return NULL;
    }
    c->slot[j] = f;
    c->count++;

    rc = read_config_file(path, &text, &len, &why);
    if (rc != 0) {
        parse_error(ps, v->line, "%s: cannot read %s: %s",
                    kind == FILE_KEYS ? "authorized_keys" : "user_data", path,
                    why != NULL ? why : strerror(-rc));
        f->path = "";
        return NULL;
    }
    if (len > META_FILE_MAX) {
        parse_error(ps, v->line, "%s: %s is %zu bytes; at most %d are "
                    "served", kind == FILE_KEYS ? "authorized_keys"
                                                : "user_data", path, len,
                    META_FILE_MAX);
        rc = -1;
    } else if (kind == FILE_KEYS) {
        rc = load_keys(ps, f, text, len);
    } else {
        rc = load_user_data(ps, f, text, len);
    }
    free(text);
    if (rc != 0) {
        f->path = "";       /* remembered as failed: reported once */
        return NULL;
    }
    return f;
}

/* -------------------------------------------------------- rendering */

int
cfg_metadata_on(const cfg_profile *p, const alpxe_host *h)
{
    const char *v = h != NULL && h->v[KEY_METADATA].text != NULL
                    ? h->v[KEY_METADATA].text : p->v[KEY_METADATA].text;

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
static int
nfs_path_ok(const char *s)
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
    const cfg_file *files[2] = { p->keys, h != NULL ? h->keys : NULL };
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
               || (h != NULL && h->keys != NULL && h->keys->keys_len != 0);
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
                                 h != NULL ? h->user_data : NULL };
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
            blk[f] = find_block(files[f], merged[k]);
            if (blk[f] != NULL && blk[f]->indent > col) {
                col = blk[f]->indent;
            }
        }
        if (!has_own_items(k, p, h, nfs) && blk[0] == NULL
            && blk[1] == NULL)
        {
            continue;
        }
        buf_puts(b, merged[k]);
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

            if (merged_index(u->key) >= 0
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
    const char *v = h != NULL && h->v[KEY_IP].text != NULL
                    ? h->v[KEY_IP].text : p->v[KEY_IP].text;
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
        have_nfs = h != NULL && h->nfs != NULL
                   && alpxe_nfs_url_parse(h->nfs, &nfs, why, sizeof(why)) == 0
                   && nfs_path_ok(nfs.path);
        render_user_data(p, h, have_nfs ? &nfs : NULL, b);
        break;
    case ALPXE_DOC_NETWORK_CONFIG:
        render_network_config(p, h, mac, b);
        break;
    default:
        break;              /* vendor-data: empty (tiny-cloud ignores it) */
    }
}

/* -------------------------------------------------------- at load */

static void
check_host_nfs(parse_state *ps, const alpxe_host *h)
{
    alpxe_nfs_url    nfs;
    const cfg_value *v = cfg_host_value(h, KEY_NFS);
    char             why[160];

    if (h->nfs == NULL || alpxe_nfs_url_parse(h->nfs, &nfs, why,
                                              sizeof(why)) != 0)
    {
        return;             /* reported at its line */
    }
    if (!nfs_path_ok(nfs.path)) {
        parse_error(ps, v != NULL ? v->line : h->line, "[host %s]: nfs: the "
                    "path %s goes into the machine's /etc/fstab (metadata = "
                    "yes): letters, digits and /._-+@,=~%% only", h->name,
                    nfs.path);
    }
}

/* Render a document once to check it fits (and the files merge). */
static void
check_fits(parse_state *ps, const cfg_profile *p, const alpxe_host *h,
    unsigned line, const char *what)
{
    alpxe_mac   mac = {{ 0x02, 0, 0, 0, 0, 1 }};
    alpxe_buf   b;
    char        none[1];
    int         d;

    for (d = ALPXE_DOC_META_DATA; d < ALPXE_DOC_COUNT; d++) {
        buf_init(&b, none, 0);      /* measured only */
        cfg_render_doc(ps->cfg, (alpxe_doc) d, p, h, &mac, &b);
        if (b.overflow) {
            if (b.want > ALPXE_DOC_MAX) {
                parse_error(ps, line, "%s: its %s would be %zu bytes; at "
                            "most %d are served", what,
                            alpxe_doc_name((alpxe_doc) d), b.want,
                            ALPXE_DOC_MAX);
            }
        }
    }
}

void
metadata_load(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;
    file_cache    c = { NULL, 0, 0 };
    alpxe_host   *h;
    cfg_profile  *p;
    char          what[300];
    size_t        i, j;

    for (i = 0; i < cfg->profile_count && !ps->nomem; i++) {
        p = &cfg->profiles[i];
        if (p->v[KEY_AUTHORIZED_KEYS].text != NULL) {
            p->keys = meta_file(ps, &c, &p->v[KEY_AUTHORIZED_KEYS], FILE_KEYS);
        }
        if (p->v[KEY_USER_DATA].text != NULL) {
            p->user_data = meta_file(ps, &c, &p->v[KEY_USER_DATA],
                                     FILE_USER_DATA);
        }
    }
    for (i = 0; i < cfg->host_count && !ps->nomem; i++) {
        h = &cfg->hosts[i];
        if (h->v[KEY_AUTHORIZED_KEYS].text != NULL) {
            h->keys = meta_file(ps, &c, &h->v[KEY_AUTHORIZED_KEYS], FILE_KEYS);
        }
        if (h->v[KEY_USER_DATA].text != NULL) {
            h->user_data = meta_file(ps, &c, &h->v[KEY_USER_DATA],
                                     FILE_USER_DATA);
        }
    }
    free(c.slot);
    if (ps->errors != 0 || ps->nomem) {
        return;
    }

    /* What is rendered per request must fit the bound callers know. */
    for (i = 0; i < cfg->profile_count; i++) {
        p = &cfg->profiles[i];
        if (cfg_metadata_on(p, NULL)) {
            snprintf(what, sizeof(what), "[profile %s]", p->name);
            check_fits(ps, p, NULL, p->line, what);
        }
    }
    for (i = 0; i < cfg->host_count; i++) {
        h = &cfg->hosts[i];
        snprintf(what, sizeof(what), "[host %s]", h->name);
        if (h->boot == ALPXE_BOOT_MENU) {
            for (j = 0; j < cfg->profile_count; j++) {
                if (cfg_metadata_on(&cfg->profiles[j], h)) {
                    check_host_nfs(ps, h);
                    check_fits(ps, &cfg->profiles[j], h, h->line, what);
                }
            }
        } else if (h->profile != NULL && cfg_metadata_on(h->profile, h)) {
            check_host_nfs(ps, h);
            check_fits(ps, h->profile, h, h->line, what);
        }
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

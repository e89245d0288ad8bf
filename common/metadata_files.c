/*
 * metadata_files.c - the files alpxe.conf names for the NoCloud metadata,
 * read once per load and checked before anything is served from them:
 *
 *   authorized_keys  OpenSSH's format, one "TYPE BASE64 [COMMENT]" a line;
 *                    no options; comments from a whitelist, so that a key
 *                    line can sit in a double-quoted YAML scalar
 *   user_data        tiny-cloud's #alpine-config (its #cloud-config handler
 *                    is a TODO): one YAML mapping, cut into its top-level
 *                    "key:" blocks, which metadata.c merges with its own;
 *                    the lists it adds to must be block lists
 *
 * Each refusal is reported at the file's own line.  A file named by many
 * hosts is read once (a table by path).
 */

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "metadata.h"

/* The #alpine-config keys tiny-cloud reads (lib/tiny-cloud/user-data/
 * alpine-config): any other is a warning. */
static const char *const tc_keys[] = {
    "user", "ssh_authorized_keys", "bootcmd", "write_files", "ntp", "apk",
    "package_update", "package_upgrade", "packages", "runcmd",
    "autoinstall",
};

/* The public key types OpenSSH's authorized_keys takes. */
static const char *const key_types[] = {
    "ssh-ed25519", "ssh-rsa", "ssh-dss", "ecdsa-sha2-nistp256",
    "ecdsa-sha2-nistp384", "ecdsa-sha2-nistp521",
    "sk-ssh-ed25519@openssh.com", "sk-ecdsa-sha2-nistp256@openssh.com",
};

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
           || (c >= '0' && c <= '9')
           || (c != '\0' && strchr(" ._@+:=,/()-", c) != NULL);
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

    for (n = 0; p + n < end && p[n] != ' ' && p[n] != '\t'; n++) {
        /* the type: up to the first blank of the line */
    }
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
                  n >= 13 && memcmp(text, "#cloud-config", 13) == 0
                  ? "tiny-cloud does not implement #cloud-config (its "
                    "handler is a TODO); its own #alpine-config reads the "
                    "same keys it implements"
                  : n >= 2 && memcmp(text, "#!", 2) == 0
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
            ud_block *more;

            cap = cap != 0 ? cap * 2 : 8;
            more = realloc(blocks, cap * sizeof(*blocks));
            if (more == NULL) {
                free(blocks);
                ps->nomem = 1;
                return -1;
            }
            blocks = more;
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
        if (meta_merged_index(b->key) >= 0) {
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
            return f->failed ? NULL : f;    /* reported once */
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

    rc = cfg_read_file(path, META_FILE_MAX, &text, &len, &why);
    if (rc == -EFBIG) {
        parse_error(ps, v->line, "%s: %s is %zu bytes; at most %d are "
                    "served", kind == FILE_KEYS ? "authorized_keys"
                                                : "user_data", path, len,
                    META_FILE_MAX);
        f->failed = 1;
        return NULL;
    }
    if (rc != 0) {
        parse_error(ps, v->line, "%s: cannot read %s: %s",
                    kind == FILE_KEYS ? "authorized_keys" : "user_data", path,
                    why != NULL ? why : strerror(-rc));
        f->failed = 1;
        return NULL;
    }
    if (kind == FILE_KEYS) {
        rc = load_keys(ps, f, text, len);
    } else {
        rc = load_user_data(ps, f, text, len);
    }
    free(text);
    if (rc != 0) {
        f->failed = 1;      /* remembered: reported once */
        return NULL;
    }
    return f;
}

/* -------------------------------------------------------- at load */

static void
check_host_nfs(parse_state *ps, const alpxe_host *h)
{
    alpxe_nfs_url    nfs;
    const cfg_value *v = cfg_host_value(h, KEY_NFS);
    char             why[160];

    if (CFG_HOST_EXTRA(h, nfs) == NULL
        || alpxe_nfs_url_parse(h->extra->nfs, &nfs, why, sizeof(why)) != 0)
    {
        return;             /* reported at its line */
    }
    if (!meta_nfs_path_ok(nfs.path)) {
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
        if (cfg_host_own(h, KEY_AUTHORIZED_KEYS) != NULL
            && parse_host_extra(ps, h) != NULL)
        {
            h->extra->keys = meta_file(ps, &c,
                                       cfg_host_own(h, KEY_AUTHORIZED_KEYS),
                                       FILE_KEYS);
        }
        if (cfg_host_own(h, KEY_USER_DATA) != NULL
            && parse_host_extra(ps, h) != NULL)
        {
            h->extra->user_data = meta_file(ps, &c,
                                            cfg_host_own(h, KEY_USER_DATA),
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
        /* named only for those with metadata: 100k hosts load each time */
        if (h->boot == ALPXE_BOOT_MENU) {
            for (j = 0; j < cfg->profile_count; j++) {
                if (cfg_metadata_on(&cfg->profiles[j], h)) {
                    snprintf(what, sizeof(what), "[host %s]", h->name);
                    check_host_nfs(ps, h);
                    check_fits(ps, &cfg->profiles[j], h, h->line, what);
                }
            }
        } else if (h->profile != NULL && cfg_metadata_on(h->profile, h)) {
            snprintf(what, sizeof(what), "[host %s]", h->name);
            check_host_nfs(ps, h);
            check_fits(ps, h->profile, h, h->line, what);
        }
    }
}

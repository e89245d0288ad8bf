/*
 * loaders.c - keep the TFTP root holding the loaders alpxe.conf names.
 *
 * Each loader is copied from the source directory (Debian's ipxe package:
 * /usr/lib/ipxe) under the same name, through a temp file and rename, so
 * a PXE ROM downloading it during the update gets the old or the new file
 * whole.  The names installed are recorded in LOADERS_MANIFEST, which is
 * how a later run knows which files it may remove.
 */

#include <errno.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "admin.h"
#include "loaders.h"
#include "sbuf.h"

#define LOADER_MODE     0644

/* The files the configuration names: its loaders, then alias targets. */
typedef struct {
    const char    **v;          /* point into the configuration */
    size_t          n;
} name_list;

static int
names_add(name_list *l, const char *name)
{
    const char **v;
    size_t       i;

    for (i = 0; i < l->n; i++) {
        if (strcmp(l->v[i], name) == 0) {
            return 0;
        }
    }
    v = realloc(l->v, (l->n + 1) * sizeof(*v));
    if (v == NULL) {
        return -ENOMEM;
    }
    v[l->n++] = name;
    l->v = v;
    return 0;
}

static int
names_of(const alpxe_config *cfg, name_list *l)
{
    const char *name, *target;
    size_t      i;
    int         rc = 0;

    l->v = NULL;
    l->n = 0;
    for (i = 0; rc == 0 && i < alpxe_tftp_loader_count(cfg); i++) {
        rc = names_add(l, alpxe_tftp_loader(cfg, i));
    }
    for (i = 0; rc == 0 && i < alpxe_tftp_alias_count(cfg); i++) {
        alpxe_tftp_alias(cfg, i, &name, &target);
        rc = names_add(l, target);
    }
    if (rc != 0) {
        free(l->v);
    }
    return rc;
}

/* A relative name with no ".." component and no control characters. */
static int
safe_name(const char *name)
{
    const char *p;

    if (*name == '\0' || *name == '/') {
        return 0;
    }
    for (p = name; *p != '\0'; p++) {
        if ((unsigned char) *p < 0x20 || *p == 0x7f) {
            return 0;
        }
        if ((p == name || p[-1] == '/') && p[0] == '.' && p[1] == '.'
            && (p[2] == '/' || p[2] == '\0'))
        {
            return 0;
        }
    }
    return 1;
}

static int
join(char *out, size_t size, const char *dir, const char *name)
{
    int n = snprintf(out, size, "%s/%s", dir, name);

    return (n < 0 || (size_t) n >= size) ? -ENAMETOOLONG : 0;
}

static int
is_named(const name_list *names, const char *name, size_t len)
{
    size_t i;

    for (i = 0; i < names->n; i++) {
        if (strlen(names->v[i]) == len
            && memcmp(names->v[i], name, len) == 0)
        {
            return 1;
        }
    }
    return 0;
}

static void
install_one(const alpxe_config *cfg, const char *dir, const char *name,
    int verbose, loaders_report *rep)
{
    const char *source = alpxe_tftp_source(cfg);
    char        src[PATH_MAX], dst[PATH_MAX];
    int         changed, rc;

    if (!safe_name(name)) {
        fprintf(stderr, "alpxe-remap: loader \"%s\": not a plain relative "
            "file name, not installed\n", name);
        rep->failed++;
        return;
    }
    rc = join(src, sizeof(src), source, name);
    if (rc == 0) {
        rc = join(dst, sizeof(dst), dir, name);
    }
    if (rc == 0) {
        rc = fs_make_parents(dir, name);
    }
    if (rc == 0) {
        rc = fs_copy_atomic(src, dst, LOADER_MODE, &changed);
    }
    if (rc == -ENOENT || rc == -ENOTDIR) {
        fprintf(stderr, "alpxe-remap: missing loader %s: not in %s%s\n",
            name, source,
            access(dst, F_OK) == 0 ? " (the copy in the TFTP root stays)"
                                   : "");
        rep->missing++;
    } else if (rc != 0) {
        fprintf(stderr, "alpxe-remap: loader %s: %s -> %s: %s\n", name,
            src, dst, strerror(-rc));
        rep->failed++;
    } else if (changed) {
        printf("installed %s\n", name);
        rep->installed++;
    } else {
        if (verbose) {
            printf("up to date %s\n", name);
        }
        rep->current++;
    }
}

/* Remove what the last run installed and the configuration dropped. */
static void
prune(const name_list *names, const char *dir, const char *manifest,
    loaders_report *rep)
{
    const char *p, *end;
    char        name[PATH_MAX], path[PATH_MAX];
    size_t      len;

    for (p = manifest; *p != '\0'; p = *end ? end + 1 : end) {
        end = strchr(p, '\n');
        if (end == NULL) {
            end = p + strlen(p);
        }
        len = (size_t) (end - p);
        if (len == 0 || len >= sizeof(name) || is_named(names, p, len)) {
            continue;
        }
        memcpy(name, p, len);
        name[len] = '\0';
        if (!safe_name(name) || join(path, sizeof(path), dir, name) != 0) {
            continue;
        }
        if (unlink(path) == 0) {
            printf("removed %s\n", name);
            rep->removed++;
        } else if (errno != ENOENT) {
            fprintf(stderr, "alpxe-remap: removing %s: %s\n", path,
                strerror(errno));
            rep->failed++;
        }
    }
}

static int
write_manifest(const name_list *names, const char *dir)
{
    sbuf        text = SBUF_INIT;
    char        path[PATH_MAX];
    const char *name;
    size_t      i;
    int         rc = 0;

    for (i = 0; rc == 0 && i < names->n; i++) {
        name = names->v[i];
        if (!safe_name(name) || join(path, sizeof(path), dir, name) != 0
            || access(path, F_OK) != 0)
        {
            continue;
        }
        rc = sbuf_adds(&text, name);
        if (rc == 0) {
            rc = sbuf_addc(&text, '\n');
        }
    }
    if (rc == 0) {
        rc = join(path, sizeof(path), dir, LOADERS_MANIFEST);
    }
    if (rc == 0) {
        rc = fs_write_atomic(path, sbuf_str(&text), text.len,
                             LOADERS_MANIFEST_MODE);
    }
    sbuf_free(&text);
    return rc;
}

int
loaders_install(const alpxe_config *cfg, const char *dir, int verbose,
    loaders_report *rep)
{
    struct stat st;
    name_list   names;
    char        path[PATH_MAX];
    char       *manifest = NULL;
    size_t      len, i;
    int         rc;

    memset(rep, 0, sizeof(*rep));
    if (stat(dir, &st) != 0) {
        return -errno;
    }
    if (!S_ISDIR(st.st_mode)) {
        return -ENOTDIR;
    }
    rc = join(path, sizeof(path), dir, LOADERS_MANIFEST);
    if (rc != 0) {
        return rc;
    }
    rc = fs_read_file(path, &manifest, &len);
    if (rc != 0 && rc != -ENOENT) {
        return rc;
    }

    rc = names_of(cfg, &names);
    if (rc != 0) {
        free(manifest);
        return rc;
    }
    for (i = 0; i < names.n; i++) {
        install_one(cfg, dir, names.v[i], verbose, rep);
    }
    if (manifest != NULL) {
        prune(&names, dir, manifest, rep);
    }
    free(manifest);

    rc = write_manifest(&names, dir);
    free(names.v);
    if (rc != 0) {
        fprintf(stderr, "alpxe-remap: %s/%s: %s\n", dir, LOADERS_MANIFEST,
            strerror(-rc));
        rep->failed++;
    }
    if (rep->failed != 0) {
        return -EIO;
    }
    return rep->missing != 0 ? -ENOENT : 0;
}

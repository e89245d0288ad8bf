/*
 * nfsdir.c - each host's persistent NFS directory: `alpxe check
 * --network` says per host whether it is there, `alpxe provision` makes
 * it so.  A host's directory is its `nfs` URL, and the legacy
 * alpine_dev=nfs:SERVER:/PATH argument is checked the same way (Alpine
 * ignores it, but the directory behind it still holds the host's data).
 * The NFS work is nfs.c's; this file picks the hosts and prints.
 */

#include <langinfo.h>
#include <locale.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"
#include "nfs.h"

/* One directory to look at. */
typedef struct {
    const alpxe_host *host;
    const char       *label;                /* as the config spells it */
    int               legacy;               /* from alpine_dev= */
    char              url[ALPXE_URL_MAX];   /* nfs://SERVER/PATH */
    int               bad;                  /* url could not be made */
} nfsdir;

/* How lines look: symbols on a UTF-8 terminal, words otherwise (so logs
 * and scripts get plain "ok"/"FAIL" to grep for). */
typedef struct {
    const char  *ok;
    const char  *fail;
    const char  *green;
    const char  *red;
    const char  *off;
    int          width;                 /* host name column */
} nfsdir_out;

static void
out_init(const cli_opts *o, const alpxe_config *cfg, nfsdir_out *x)
{
    const char  *cs;
    size_t       i, n;
    int          utf8 = 0;

    if (isatty(STDOUT_FILENO)) {
        setlocale(LC_CTYPE, "");
        cs = nl_langinfo(CODESET);
        utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
    }
    x->ok = utf8 ? "\xe2\x9c\x93" : "ok  ";        /* U+2713 */
    x->fail = utf8 ? "\xe2\x9c\x97" : "FAIL";      /* U+2717 */
    x->green = cli_color(o->color_out, "\033[1;32m");
    x->red = cli_color(o->color_out, "\033[1;31m");
    x->off = cli_color(o->color_out, "\033[0m");
    x->width = 1;
    for (i = 0; i < alpxe_config_host_count(cfg); i++) {
        n = strlen(alpxe_host_name(alpxe_host_at(cfg, i)));
        if ((int) n > x->width && n < 64) {
            x->width = (int) n;
        }
    }
}

/* "nfs:SERVER:/PATH[,mount options]" as "nfs://SERVER/PATH". */
static int
legacy_url(const char *v, char *out, size_t size)
{
    const char  *server = v + 4, *colon, *path;
    size_t       n;
    int          len;

    if (strncmp(v, "nfs:", 4) != 0) {
        return -1;
    }
    colon = strchr(server, ':');
    if (colon == NULL || colon == server || colon[1] != '/') {
        return -1;
    }
    path = colon + 1;
    n = strcspn(path, ",");     /* kernel mount options: not libnfs's */
    len = snprintf(out, size, "nfs://%.*s%.*s", (int) (colon - server),
                   server, (int) n, path);
    return len > 0 && (size_t) len < size ? 0 : -1;
}

/* The directories of one host (0, 1 or 2); returns how many. */
static int
host_dirs(const alpxe_host *h, nfsdir d[2])
{
    const char  *nfs = alpxe_host_nfs(h), *dev = alpxe_host_alpine_dev(h);
    int          n = 0;

    if (nfs != NULL) {
        d[n].host = h;
        d[n].label = nfs;
        d[n].legacy = 0;
        d[n].bad = 0;
        snprintf(d[n].url, sizeof(d[n].url), "%s", nfs);
        n++;
    }
    if (dev != NULL) {
        d[n].host = h;
        d[n].label = dev;
        d[n].legacy = 1;
        d[n].bad = legacy_url(dev, d[n].url, sizeof(d[n].url)) != 0;
        /* The same directory spelled twice is checked once. */
        if (n == 0 || d[n].bad || strcmp(d[n].url, d[0].url) != 0) {
            n++;
        }
    }
    return n;
}

static void
print_line(const nfsdir_out *x, const char *color, const char *word,
    const nfsdir *d, const char *sep, const char *tail)
{
    printf("%s%s%s %-*s  %s%s%s%s\n", color, word, x->off, x->width,
           alpxe_host_name(d->host),
           d->legacy ? "alpine_dev=" : "",
           d->label, sep, tail);
    fflush(stdout);             /* a slow server: show what is known */
}

/* ------------------------------------------------------ check --network */

static void
check_one(cli_nfs *s, const nfsdir_out *x, const nfsdir *d, size_t *failed)
{
    cli_nfs_result r;

    if (d->bad) {
        print_line(x, x->red, x->fail, d, ": ", "not nfs:SERVER:/PATH");
        (*failed)++;
        return;
    }
    cli_nfs_check(s, d->url, &r);
    if (r.state == CLI_NFS_PRESENT) {
        print_line(x, x->green, x->ok, d, "", "");
    } else {
        print_line(x, x->red, x->fail, d, ": ", r.why);
        (*failed)++;
    }
}

int
cli_check_network(const cli_opts *o, const alpxe_config *cfg)
{
    cli_nfs     *s;
    nfsdir_out   x;
    nfsdir       d[2];
    size_t       i, total = 0, failed = 0;
    int          k, n;

    if (cli_nfs_open(alpxe_config_nfs_timeout_ms(cfg), &s) != 0) {
        fprintf(stderr, "alpxe: out of memory\n");
        return CLI_FAIL;
    }
    out_init(o, cfg, &x);
    for (i = 0; i < alpxe_config_host_count(cfg); i++) {
        n = host_dirs(alpxe_host_at(cfg, i), d);
        for (k = 0; k < n; k++) {
            check_one(s, &x, &d[k], &failed);
            total++;
        }
    }
    cli_nfs_close(s);
    if (total == 0) {
        printf("nfs: no host has an nfs directory\n");
    } else {
        printf("nfs: %zu director%s ok, %zu failed\n", total - failed,
               total - failed == 1 ? "y" : "ies", failed);
    }
    return failed == 0 ? CLI_OK : CLI_FAIL;
}

/* ------------------------------------------------------------ provision */

typedef struct {
    size_t  created;
    size_t  existed;
    size_t  failed;
} provision_count;

static void
provision_one(cli_nfs *s, const nfsdir_out *x, const nfsdir *d,
    provision_count *c)
{
    const alpxe_host *h = d->host;
    cli_nfs_result    r;
    char              what[96];

    if (d->bad) {
        print_line(x, x->red, "FAIL   ", d, ": ", "not nfs:SERVER:/PATH");
        c->failed++;
        return;
    }
    cli_nfs_provision(s, d->url, alpxe_host_nfs_mode(h),
                      alpxe_host_nfs_uid(h), alpxe_host_nfs_gid(h), &r);
    snprintf(what, sizeof(what), " (mode %04o, owner %lu:%lu)", r.mode,
             r.uid, r.gid);
    if (r.state == CLI_NFS_CREATED) {
        print_line(x, x->green, "created", d, "", what);
        c->created++;
    } else if (r.state == CLI_NFS_PRESENT) {
        print_line(x, "", "exists ", d, "", " (left as it is)");
        c->existed++;
    } else {
        print_line(x, x->red, "FAIL   ", d, ": ", r.why);
        c->failed++;
    }
}

static const alpxe_host *
find_host(const alpxe_config *cfg, const char *name)
{
    size_t i;

    for (i = 0; i < alpxe_config_host_count(cfg); i++) {
        if (strcmp(alpxe_host_name(alpxe_host_at(cfg, i)), name) == 0) {
            return alpxe_host_at(cfg, i);
        }
    }
    return NULL;
}

/* Look up the named hosts; each must exist and have a directory. */
static int
pick_hosts(const cli_opts *o, const alpxe_config *cfg, char *const *names,
    int count, const alpxe_host **hosts)
{
    nfsdir  d[2];
    int     i, rc = 0;

    for (i = 0; i < count; i++) {
        hosts[i] = find_host(cfg, names[i]);
        if (hosts[i] == NULL) {
            fprintf(stderr, "alpxe: %s: no [host %s]\n", o->config,
                    names[i]);
            rc = -1;
        } else if (host_dirs(hosts[i], d) == 0) {
            fprintf(stderr, "alpxe: %s: [host %s] has no nfs directory "
                    "(nfs = nfs://SERVER/PATH)\n", o->config, names[i]);
            rc = -1;
        }
    }
    return rc;
}

static int
provision(const cli_opts *o, const alpxe_config *cfg,
    const alpxe_host *const *hosts, size_t count)
{
    provision_count  c = { 0, 0, 0 };
    cli_nfs         *s;
    nfsdir_out       x;
    nfsdir           d[2];
    size_t           i;
    int              k, n;

    if (cli_nfs_open(alpxe_config_nfs_timeout_ms(cfg), &s) != 0) {
        fprintf(stderr, "alpxe: out of memory\n");
        return CLI_FAIL;
    }
    out_init(o, cfg, &x);
    for (i = 0; i < count; i++) {
        n = host_dirs(hosts[i], d);
        for (k = 0; k < n; k++) {
            provision_one(s, &x, &d[k], &c);
        }
    }
    cli_nfs_close(s);
    if (c.created + c.existed + c.failed == 0) {
        printf("provision: no host has an nfs directory\n");
    } else {
        printf("provision: %zu created, %zu already there, %zu failed\n",
               c.created, c.existed, c.failed);
    }
    return c.failed == 0 ? CLI_OK : CLI_FAIL;
}

int
cli_provision(const cli_opts *o, char *const *names, int count)
{
    const alpxe_host **hosts;
    alpxe_config      *cfg;
    size_t             i, n = 0;
    int                rc = CLI_FAIL;

    if (cli_load(o, 0, &cfg) != 0) {
        return CLI_FAIL;
    }
    hosts = calloc(count > 0 ? (size_t) count
                   : alpxe_config_host_count(cfg) + 1, sizeof(*hosts));
    if (hosts == NULL) {
        fprintf(stderr, "alpxe: out of memory\n");
        goto err_alloc;
    }
    if (count > 0) {
        if (pick_hosts(o, cfg, names, count, hosts) != 0) {
            goto err_pick;
        }
        n = (size_t) count;
    } else {
        for (i = 0; i < alpxe_config_host_count(cfg); i++) {
            hosts[n++] = alpxe_host_at(cfg, i);
        }
    }
    rc = provision(o, cfg, hosts, n);
 err_pick:
    free(hosts);
 err_alloc:
    alpxe_config_free(cfg);
    return rc;
}

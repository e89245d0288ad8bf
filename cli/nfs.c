/*
 * nfs.c - reach per-host NFS directories with libnfs, in user space,
 * with a bound on every call: the engine under `alpxe check --network`
 * and `alpxe provision`.
 *
 * Which export holds a path: an NFSv3 server lists its exports
 * (MOUNTPROC3_EXPORT), and the longest one that is a prefix of the path
 * is mounted.  An NFSv4 server has one tree (its pseudo file system, with
 * the exports grafted in), so its root is mounted once and every path is
 * looked up from there.  Either way hosts on the same export share one
 * mount, and a server that does not answer is marked dead so its other
 * hosts fail at once instead of each waiting out the timeout.
 *
 * Only libnfs's asynchronous calls are used, each driven by our own poll
 * loop with a deadline: libnfs's synchronous calls wait for a TCP connect
 * as long as the kernel does (minutes, for a NAS that drops packets), and
 * mount_getexports() has no timeout at all in libnfs 4.0.
 */

#include <errno.h>
#include <stdarg.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <time.h>
#include <unistd.h>

#include <nfsc/libnfs.h>
#include <nfsc/libnfs-raw.h>
#include <nfsc/libnfs-raw-mount.h>

#include "alpxe.h"
#include "nfs.h"
#include "nfs4.h"

#define SERVER_MAX      (ALPXE_NFS_SERVER_MAX + 1)
#define QUERY_MAX       ALPXE_URL_MAX
#define PATH_MAX_NFS    ALPXE_URL_MAX
#define WHY_MAX         512     /* a reason, as printed */

/* A URL split into what the engine needs: the core's parser reads it, the
 * same that checked it when the configuration loaded. */
typedef alpxe_nfs_url nfs_target;

/* One asynchronous call: what its callback reports. */
typedef struct {
    int                  done;
    int                  err;       /* >= 0, or -errno */
    char                 msg[WHY_MAX]; /* libnfs's text when err < 0 */
    struct nfs_stat_64  *st;        /* where a stat result goes */
    char              ***exports;   /* where an export list goes */
    size_t              *nexports;
} nfs_op;

typedef struct nfs_mnt {
    struct nfs_mnt      *next;
    char                 export[PATH_MAX_NFS];
    struct nfs_context  *nfs;       /* NULL when the mount failed */
    int                  err;       /* why it failed (cached) */
    char                 why[WHY_MAX];
    int                  umount;    /* NFSv3: tell mountd at close */
} nfs_mnt;

typedef struct nfs_srv {
    struct nfs_srv      *next;
    char                 server[SERVER_MAX];
    char                 query[QUERY_MAX];
    int                  v4;
    int                  dead;      /* unreachable: why says so */
    char                 why[WHY_MAX];
    int                  listed;    /* NFSv3: exports fetched */
    char               **exports;
    size_t               nexports;
    nfs_mnt             *mounts;
} nfs_srv;

struct cli_nfs {
    unsigned     timeout_ms;
    nfs_srv     *servers;
};

/* ------------------------------------------------------------ targets */

static int
parse_target(const char *url, nfs_target *t, char *why, size_t size)
{
    return alpxe_nfs_url_parse(url, t, why, size);
}

/* ------------------------------------------------------- the RPC loop */

static int64_t
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

static void
op_init(nfs_op *op)
{
    memset(op, 0, sizeof(*op));
}

/* The callback of every nfs_*_async call we make. */
static void
op_done(int err, struct nfs_context *nfs, void *data, void *priv)
{
    nfs_op *op = priv;

    op->done = 1;
    op->err = err;
    if (err < 0) {
        snprintf(op->msg, sizeof(op->msg), "%s",
                 data != NULL ? (const char *) data : nfs_get_error(nfs));
    } else if (op->st != NULL && data != NULL) {
        *op->st = *(const struct nfs_stat_64 *) data;
    }
}

/*
 * Serve the context's socket until the call completes or the deadline
 * passes.  0: done (op->err says how); -ETIMEDOUT; -EIO: the connection
 * broke (op->msg says why).  Either error leaves the context unusable.
 */
static int
rpc_wait(struct rpc_context *rpc, nfs_op *op, int64_t deadline)
{
    struct pollfd   pfd;
    socklen_t       len;
    int64_t         left;
    int             sockerr, rc;

    while (!op->done) {
        left = deadline - now_ms();
        if (left <= 0) {
            return -ETIMEDOUT;
        }
        pfd.fd = rpc_get_fd(rpc);
        pfd.events = (short) rpc_which_events(rpc);
        pfd.revents = 0;
        if (poll(&pfd, 1, (int) left) < 0 && errno != EINTR) {
            snprintf(op->msg, sizeof(op->msg), "poll: %s", strerror(errno));
            return -EIO;
        }
        sockerr = 0;
        if (pfd.revents & (POLLERR | POLLHUP)) {
            /* libnfs only says "POLLHUP"; the socket knows better
             * ("Connection refused"). */
            len = sizeof(sockerr);
            getsockopt(pfd.fd, SOL_SOCKET, SO_ERROR, &sockerr, &len);
        }
        rc = rpc_service(rpc, pfd.revents);
        if (sockerr != 0) {
            snprintf(op->msg, sizeof(op->msg), "%s", strerror(sockerr));
        } else if (rc < 0 && !op->done) {
            snprintf(op->msg, sizeof(op->msg), "%s", rpc_get_error(rpc));
        }
        if (rc < 0 && !op->done) {
            return -EIO;
        }
        if (op->done && op->err < 0 && sockerr != 0) {
            op->err = -EIO;     /* not an NFS status: the connection */
        }
    }
    return 0;
}

/* What a dead or broken server tells every host behind it. */
static void
server_dead(const cli_nfs *s, nfs_srv *srv, int rc, const char *msg)
{
    /* libnfs stacks "Failed to start connection. " on the errno text. */
    static const char   lead[] = "connect() to server failed. ";
    const char         *errno_text = strstr(msg, lead);

    if (errno_text != NULL) {
        msg = errno_text + sizeof(lead) - 1;
    }
    srv->dead = 1;
    if (rc == -ETIMEDOUT) {
        snprintf(srv->why, sizeof(srv->why), "server unreachable (%.200s: no "
                 "answer within %u s)", srv->server,
                 (s->timeout_ms + 999) / 1000);
    } else {
        snprintf(srv->why, sizeof(srv->why), "server unreachable (%.200s: "
                 "%.250s)", srv->server, msg);
    }
}

/* ---------------------------------------------------- NFSv3 exports */

/*
 * libnfs decodes the export list into its own arena, 4-byte aligned: a node
 * is copied out with memcpy, never read in place through a struct pointer
 * (a misaligned access, which UBSan reports).
 */
static exports
export_at(exports p, struct exportnode *node)
{
    if (p != NULL) {
        memcpy(node, (const void *) p, sizeof(*node));
    }
    return p;
}

static void
exports_done(struct rpc_context *rpc, int status, void *data, void *priv)
{
    nfs_op            *op = priv;
    struct exportnode  node;
    exports            first = NULL, e;
    size_t             n = 0, i = 0;

    op->done = 1;
    op->err = status;
    if (status != 0) {
        snprintf(op->msg, sizeof(op->msg), "%s", rpc_get_error(rpc));
        return;
    }
    if (data != NULL) {
        memcpy(&first, data, sizeof(first));
    }
    for (e = export_at(first, &node); e; e = export_at(node.ex_next, &node)) {
        n++;
    }
    *op->exports = calloc(n + 1, sizeof(char *));
    if (*op->exports == NULL) {
        op->err = -ENOMEM;
        return;
    }
    for (e = export_at(first, &node); e; e = export_at(node.ex_next, &node)) {
        (*op->exports)[i] = strdup(node.ex_dir);
        if ((*op->exports)[i] == NULL) {
            op->err = -ENOMEM;
            break;
        }
        i++;
    }
    *op->nexports = i;
}

/* Ask the server's mountd (found through rpcbind) what it exports. */
static int
list_exports(cli_nfs *s, nfs_srv *srv)
{
    struct rpc_context *rpc;
    nfs_op              op;
    char                hint[WHY_MAX];
    int                 rc;

    rpc = rpc_init_context();
    if (rpc == NULL) {
        return -ENOMEM;
    }
    op_init(&op);
    op.exports = &srv->exports;
    op.nexports = &srv->nexports;
    if (mount_getexports_async(rpc, srv->server, exports_done, &op) != 0) {
        server_dead(s, srv, -EIO, rpc_get_error(rpc));
        rc = -EIO;
        goto err_queue;
    }
    rc = rpc_wait(rpc, &op, now_ms() + s->timeout_ms);
    if (rc == 0 && op.err != 0) {
        rc = op.err == -ENOMEM ? -ENOMEM : -EIO;
    }
    if (rc == -EIO && (strstr(op.msg, "not available") != NULL
                       || strstr(op.msg, strerror(ECONNREFUSED)) != NULL))
    {
        /* No mountd, or no rpcbind: maybe a server that speaks only v4. */
        snprintf(hint, sizeof(hint), "%.300s; NFSv4 only? add ?version=4 "
                 "to the URL", op.msg);
        server_dead(s, srv, rc, hint);
    } else if (rc != 0) {
        server_dead(s, srv, rc, op.msg);
    }
    srv->listed = rc == 0;
 err_queue:
    /* Cancels whatever is in flight; op is still alive for it. */
    rpc_destroy_context(rpc);
    return rc;
}

/* The longest export that is the path or a parent of it, or NULL. */
static const char *
find_export(const nfs_srv *srv, const char *path)
{
    const char  *best = NULL, *e;
    size_t       i, n, best_n = 0;

    for (i = 0; i < srv->nexports; i++) {
        e = srv->exports[i];
        n = strlen(e);
        while (n > 1 && e[n - 1] == '/') {
            n--;
        }
        if (n == 1 && e[0] == '/') {
            n = 0;              /* "/" holds everything */
        } else if (strncmp(path, e, n) != 0
                   || (path[n] != '\0' && path[n] != '/'))
        {
            continue;
        }
        if (best == NULL || n > best_n) {
            best = e;
            best_n = n;
        }
    }
    return best;
}

/* "/a, /b" for a message; "nothing" when the list is empty. */
static void
join_exports(const nfs_srv *srv, char *out, size_t size)
{
    size_t  i, len = 0;
    int     n;

    snprintf(out, size, "nothing");
    for (i = 0; i < srv->nexports && len < size; i++) {
        n = snprintf(out + len, size - len, "%s%s", i ? ", " : "",
                     srv->exports[i]);
        if (n < 0) {
            break;
        }
        len += (size_t) n;
    }
}

/* ------------------------------------------------------------ mounts */

/*
 * Wait for a call queued on the mount's context (queued: what the
 * nfs_*_async call returned).  A timeout or a broken connection destroys
 * the context here, while op is still alive for the cancelled callback,
 * and marks the server dead.
 */
static int
mnt_wait(cli_nfs *s, nfs_srv *srv, nfs_mnt *m, nfs_op *op, int queued)
{
    int rc;

    if (queued != 0) {
        snprintf(op->msg, sizeof(op->msg), "%s", nfs_get_error(m->nfs));
        op->err = -EIO;
        return 0;
    }
    rc = rpc_wait(nfs_get_rpc_context(m->nfs), op, now_ms() + s->timeout_ms);
    if (rc != 0) {
        nfs_destroy_context(m->nfs);
        m->nfs = NULL;
        m->umount = 0;
        server_dead(s, srv, rc, op->msg);
        m->err = -EIO;
        snprintf(m->why, sizeof(m->why), "%s", srv->why);
    }
    return rc;
}

/* Did a call fail for want of a server rather than with an NFS status? */
static int
connection_error(int err)
{
    switch (err) {
    case -EIO:
    case -EFAULT:
    case -ETIMEDOUT:
    case -ECONNREFUSED:
    case -ECONNRESET:
    case -ENETUNREACH:
    case -EHOSTUNREACH:
        return 1;
    default:
        return 0;
    }
}

/* Mount export on a new context; on failure m->err and m->why say why. */
static void
mnt_open(cli_nfs *s, nfs_srv *srv, nfs_mnt *m, const char *url)
{
    struct nfs_url  *u;
    nfs_op           op;

    m->nfs = nfs_init_context();
    if (m->nfs == NULL) {
        m->err = -ENOMEM;
        snprintf(m->why, sizeof(m->why), "out of memory");
        return;
    }
    /* Only for the options (version, nfsport, uid, ...) it sets. */
    u = nfs_parse_url_dir(m->nfs, url);
    if (u == NULL) {
        m->err = -EINVAL;
        snprintf(m->why, sizeof(m->why), "libnfs rejects the URL: %s",
                 nfs_get_error(m->nfs));
        goto err_ctx;
    }
    nfs_destroy_url(u);
    op_init(&op);
    if (mnt_wait(s, srv, m, &op, nfs_mount_async(m->nfs, srv->server,
                                                 m->export, op_done, &op))
        != 0)
    {
        return;                 /* the context is gone, srv is dead */
    }
    if (op.err == 0) {
        m->umount = !srv->v4;
        return;
    }
    m->err = op.err;
    if (op.err == -EACCES || op.err == -EPERM) {
        snprintf(m->why, sizeof(m->why), "permission denied (the server "
                 "refuses to let this client mount %.400s)", m->export);
    } else if (op.err == -ENOENT) {
        snprintf(m->why, sizeof(m->why), "export not found (%.400s)",
                 m->export);
    } else if (connection_error(op.err)) {
        server_dead(s, srv, -EIO, op.msg);
        snprintf(m->why, sizeof(m->why), "%s", srv->why);
    } else {
        snprintf(m->why, sizeof(m->why), "cannot mount %.200s (%.250s)",
                 m->export, op.msg);
    }
 err_ctx:
    nfs_destroy_context(m->nfs);
    m->nfs = NULL;
}

/* The session's mount of export, made on first use. */
static nfs_mnt *
mnt_get(cli_nfs *s, nfs_srv *srv, const char *export, const char *url)
{
    nfs_mnt *m;

    for (m = srv->mounts; m != NULL; m = m->next) {
        if (strcmp(m->export, export) == 0) {
            return m;
        }
    }
    m = calloc(1, sizeof(*m));
    if (m == NULL) {
        return NULL;
    }
    snprintf(m->export, sizeof(m->export), "%s", export);
    m->next = srv->mounts;
    srv->mounts = m;
    mnt_open(s, srv, m, url);
    return m;
}

static nfs_srv *
srv_get(cli_nfs *s, const nfs_target *t)
{
    nfs_srv *srv;

    for (srv = s->servers; srv != NULL; srv = srv->next) {
        if (strcmp(srv->server, t->server) == 0
            && strcmp(srv->query, t->query) == 0)
        {
            return srv;
        }
    }
    srv = calloc(1, sizeof(*srv));
    if (srv == NULL) {
        return NULL;
    }
    memcpy(srv->server, t->server, sizeof(srv->server));
    memcpy(srv->query, t->query, sizeof(srv->query));
    srv->v4 = t->v4;
    srv->next = s->servers;
    s->servers = srv;
    return srv;
}

/* ------------------------------------------------- finding the path */

/* Where a target lives: its mount and its path below the mount. */
typedef struct {
    nfs_srv     *srv;
    nfs_mnt     *mnt;
    char         rel[PATH_MAX_NFS];     /* "/" or "/a/b" */
} nfs_place;

/* Mark r failed with a reason; returns -1 for the caller to pass on. */
static int __attribute__((format(printf, 2, 3)))
fail(cli_nfs_result *r, const char *fmt, ...)
{
    va_list ap;

    r->state = CLI_NFS_FAILED;
    va_start(ap, fmt);
    vsnprintf(r->why, sizeof(r->why), fmt, ap);
    va_end(ap);
    return -1;
}

/* The server-side path of rel below the mount, for messages. */
static const char *
full_path(const nfs_place *pl, const char *rel, char *out, size_t size)
{
    const char *e = pl->mnt->export;

    if (strcmp(rel, "/") == 0) {
        snprintf(out, size, "%s", e);
    } else {
        snprintf(out, size, "%s%s", strcmp(e, "/") == 0 ? "" : e, rel);
    }
    return out;
}

/* Find the target's server, export and mount.  -1: r says why. */
static int
locate(cli_nfs *s, const char *url, nfs_target *t, nfs_place *pl,
    cli_nfs_result *r)
{
    const char  *export = "/";
    char         list[256];
    size_t       n;

    memset(r, 0, sizeof(*r));
    if (parse_target(url, t, r->why, sizeof(r->why)) != 0) {
        r->state = CLI_NFS_FAILED;
        return -1;
    }
    pl->srv = srv_get(s, t);
    if (pl->srv == NULL) {
        return fail(r, "out of memory");
    }
    if (!pl->srv->dead && !t->v4 && !pl->srv->listed
        && list_exports(s, pl->srv) == -ENOMEM)
    {
        return fail(r, "out of memory");
    }
    if (pl->srv->dead) {
        return fail(r, "%s", pl->srv->why);
    }
    if (!t->v4) {
        export = find_export(pl->srv, t->path);
        if (export == NULL) {
            join_exports(pl->srv, list, sizeof(list));
            /* Servers list only what this client may mount (ganesha),
             * or everything (knfsd, whose MNT then says EACCES). */
            return fail(r, "export not found (the server offers this "
                        "client %s)", list);
        }
    }
    pl->mnt = mnt_get(s, pl->srv, export, url);
    if (pl->mnt == NULL) {
        return fail(r, "out of memory");
    }
    if (pl->mnt->nfs == NULL) {
        return fail(r, "%s", pl->mnt->why);
    }
    n = strlen(export);
    while (n > 0 && export[n - 1] == '/') {
        n--;
    }
    snprintf(pl->rel, sizeof(pl->rel), "%s", t->path[n] != '\0'
             ? t->path + n : "/");
    return 0;
}

/* stat64 below the mount: 0, -errno, or -EIO with op.msg set. */
static int
place_stat(cli_nfs *s, nfs_place *pl, const char *rel,
    struct nfs_stat_64 *st, nfs_op *op)
{
    op_init(op);
    op->st = st;
    if (mnt_wait(s, pl->srv, pl->mnt, op,
                 nfs_stat64_async(pl->mnt->nfs, rel, op_done, op)) != 0)
    {
        return -ETIMEDOUT;
    }
    return op->err;
}

static void
present(cli_nfs_result *r, cli_nfs_state state, const struct nfs_stat_64 *st)
{
    r->state = state;
    r->mode = (unsigned) (st->nfs_mode & 07777);
    r->uid = (unsigned long) st->nfs_uid;
    r->gid = (unsigned long) st->nfs_gid;
}

/* Trim rel to its parent; "/" stays "/".  Returns 0 at the root. */
static int
parent(char *rel)
{
    char *slash = strrchr(rel, '/');

    if (slash == NULL || (slash == rel && rel[1] == '\0')) {
        return 0;
    }
    if (slash == rel) {
        slash[1] = '\0';
    } else {
        *slash = '\0';
    }
    return 1;
}

/*
 * The path is missing: find its deepest existing ancestor (into `at`,
 * below the mount) and say whether provision could create the rest.
 */
static void
explain_missing(cli_nfs *s, const nfs_target *t, nfs_place *pl, char *at,
    cli_nfs_result *r)
{
    struct nfs_stat_64  st;
    nfs_op              op;
    char                where[PATH_MAX_NFS];
    int                 rc = -ENOENT;

    snprintf(at, PATH_MAX_NFS, "%s", pl->rel);
    while (rc == -ENOENT && parent(at)) {
        rc = place_stat(s, pl, at, &st, &op);
    }
    if (rc == -ETIMEDOUT) {
        fail(r, "%s", pl->srv->why);
        return;
    }
    if (rc == 0 && !S_ISDIR(st.nfs_mode)) {
        rc = -ENOTDIR;
    }
    if (rc != 0) {
        fail(r, "%s: %s", full_path(pl, at, where, sizeof(where)),
             rc == -ENOTDIR ? "not a directory"
             : rc == -EACCES ? "permission denied" : op.msg);
        return;
    }
    op_init(&op);
    if (mnt_wait(s, pl->srv, pl->mnt, &op,
                 nfs_access2_async(pl->mnt->nfs, at, op_done, &op)) != 0)
    {
        fail(r, "%s", pl->srv->why);
        return;
    }
    if (op.err >= 0 && (op.err & W_OK)) {
        r->state = CLI_NFS_MISSING;
        snprintf(r->why, sizeof(r->why), "path missing (alpxe provision "
                 "creates it)");
    } else if (t->v4 && strcmp(at, "/") == 0) {
        /* Below the NFSv4 root only exports and the directories leading
         * to them exist: nothing there by the path's first name. */
        fail(r, "export not found (the server's NFSv4 tree has no %.*s)",
             (int) strcspn(t->path + 1, "/") + 1, t->path);
    } else {
        fail(r, "path missing, and %s is not writable for this client "
             "(not exported, or root squash?)",
             full_path(pl, at, where, sizeof(where)));
    }
}

/* ------------------------------------------------------------ the API */

int
cli_nfs_open(unsigned timeout_ms, cli_nfs **out)
{
    cli_nfs *s = calloc(1, sizeof(*s));

    if (s == NULL) {
        return -ENOMEM;
    }
    s->timeout_ms = timeout_ms;
    *out = s;
    return 0;
}

/* NFSv3: tell mountd we are gone (MOUNTPROC3_UMNT), within the bound. */
static void
mnt_close(cli_nfs *s, nfs_srv *srv, nfs_mnt *m)
{
    nfs_op op;

    if (m->nfs != NULL && m->umount) {
        op_init(&op);
        mnt_wait(s, srv, m, &op, nfs_umount_async(m->nfs, op_done, &op));
    }
    if (m->nfs != NULL) {
        nfs_destroy_context(m->nfs);
    }
    free(m);
}

void
cli_nfs_close(cli_nfs *s)
{
    nfs_srv *srv, *next_srv;
    nfs_mnt *m, *next_m;
    size_t   i;

    if (s == NULL) {
        return;
    }
    for (srv = s->servers; srv != NULL; srv = next_srv) {
        next_srv = srv->next;
        for (m = srv->mounts; m != NULL; m = next_m) {
            next_m = m->next;
            mnt_close(s, srv, m);
        }
        for (i = 0; srv->exports != NULL && srv->exports[i] != NULL; i++) {
            free(srv->exports[i]);
        }
        free(srv->exports);
        free(srv);
    }
    free(s);
}

/* Stat the target; 0 when it exists (r filled), 1 when missing (at: the
 * deepest existing ancestor, r says whether creatable), -1 failed. */
static int
look(cli_nfs *s, const char *url, nfs_target *t, nfs_place *pl, char *at,
    cli_nfs_result *r)
{
    struct nfs_stat_64  st;
    nfs_op              op;
    int                 rc;

    if (locate(s, url, t, pl, r) != 0) {
        return -1;
    }
    rc = place_stat(s, pl, pl->rel, &st, &op);
    if (rc == 0 && S_ISDIR(st.nfs_mode)) {
        present(r, CLI_NFS_PRESENT, &st);
        return 0;
    }
    if (rc == 0 || rc == -ENOTDIR) {
        return fail(r, "not a directory");
    }
    if (rc == -ENOENT) {
        explain_missing(s, t, pl, at, r);
        return r->state == CLI_NFS_MISSING ? 1 : -1;
    }
    if (rc == -EACCES || rc == -EPERM) {
        return fail(r, "permission denied");
    }
    return fail(r, "%s", rc == -ETIMEDOUT ? pl->srv->why : op.msg);
}

void
cli_nfs_check(cli_nfs *s, const char *url, cli_nfs_result *r)
{
    nfs_target  t;
    nfs_place   pl;
    char        at[PATH_MAX_NFS];

    look(s, url, &t, &pl, at, r);
}

/* One call on the mount that returns only a status. */
static int
place_call(cli_nfs *s, nfs_place *pl, nfs_op *op, int queued)
{
    if (mnt_wait(s, pl->srv, pl->mnt, op, queued) != 0) {
        snprintf(op->msg, sizeof(op->msg), "%s", pl->srv->why);
        return -ETIMEDOUT;
    }
    return op->err;
}

/* The callback of cli_nfs4_setattr_async(). */
static void
setattr_done(struct rpc_context *rpc, int status, void *data, void *priv)
{
    nfs_op *op = priv;

    (void) rpc;
    op->done = 1;
    op->err = cli_nfs4_setattr_result(status, data, op->msg,
                                      sizeof(op->msg));
}

/* mkdir one directory: 0 or -errno (-EEXIST included). */
static int
make_dir(cli_nfs *s, nfs_place *pl, const char *rel, unsigned mode,
    nfs_op *op)
{
    op_init(op);
    return place_call(s, pl, op, nfs_mkdir2_async(pl->mnt->nfs, rel,
                                                  (int) mode, op_done, op));
}

/*
 * mkdir -p from `at` (the deepest existing directory) down to pl->rel.
 * 0: created; 1: someone else created it meanwhile (so it is not ours to
 * change); -1: r says why.
 */
static int
make_dirs(cli_nfs *s, nfs_place *pl, const char *at, unsigned mode,
    cli_nfs_result *r)
{
    const char  *rel = pl->rel, *p;
    char         dir[PATH_MAX_NFS], where[PATH_MAX_NFS];
    nfs_op       op;
    int          rc;

    /* Each missing parent, from the top: a shared directory, so 0755. */
    for (p = rel + (strcmp(at, "/") == 0 ? 0 : strlen(at)) + 1;
         (p = strchr(p, '/')) != NULL; p++)
    {
        snprintf(dir, sizeof(dir), "%.*s", (int) (p - rel), rel);
        rc = make_dir(s, pl, dir, 0755, &op);
        if (rc != 0 && rc != -EEXIST) {
            return fail(r, "cannot create %s: %s",
                        full_path(pl, dir, where, sizeof(where)), op.msg);
        }
    }
    rc = make_dir(s, pl, rel, mode, &op);
    if (rc == -EEXIST) {
        return 1;
    }
    return rc == 0 ? 0 : fail(r, "cannot create it: %s", op.msg);
}

/* Give the new directory its exact mode (mkdir's passes through a umask)
 * and, unless both are 0, its owner. */
static int
set_mode_owner(cli_nfs *s, nfs_place *pl, unsigned mode, unsigned long uid,
    unsigned long gid, cli_nfs_result *r)
{
    nfs_op  op;
    int     rc, owner = uid != 0 || gid != 0;

    op_init(&op);
    if (pl->srv->v4) {
        rc = place_call(s, pl, &op, cli_nfs4_setattr_async(
                            nfs_get_rpc_context(pl->mnt->nfs), pl->rel, mode,
                            owner, uid, gid, setattr_done, &op));
    } else {
        rc = place_call(s, pl, &op, nfs_chmod_async(pl->mnt->nfs, pl->rel,
                                                    (int) mode, op_done,
                                                    &op));
        if (rc == 0 && owner) {
            op_init(&op);
            rc = place_call(s, pl, &op, nfs_chown_async(pl->mnt->nfs,
                                                        pl->rel, (int) uid,
                                                        (int) gid, op_done,
                                                        &op));
        }
    }
    if (rc != 0) {
        return fail(r, "created, but setting its mode and owner failed: "
                    "%s", op.msg);
    }
    return 0;
}

void
cli_nfs_provision(cli_nfs *s, const char *url, unsigned mode,
    unsigned long uid, unsigned long gid, cli_nfs_result *r)
{
    struct nfs_stat_64  st;
    nfs_target          t;
    nfs_place           pl;
    nfs_op              op;
    char                at[PATH_MAX_NFS];
    int                 made;

    if (look(s, url, &t, &pl, at, r) != 1) {
        return;                 /* there already, or not creatable */
    }
    made = make_dirs(s, &pl, at, mode, r);
    if (made < 0 || (made == 0
                     && set_mode_owner(s, &pl, mode, uid, gid, r) != 0))
    {
        return;
    }
    if (place_stat(s, &pl, pl.rel, &st, &op) != 0) {
        fail(r, "cannot read it back: %s", op.msg);
        return;
    }
    present(r, made == 0 ? CLI_NFS_CREATED : CLI_NFS_PRESENT, &st);
}

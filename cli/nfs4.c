/*
 * nfs4.c - NFSv4 SETATTR of a directory's mode and owner, sent as a
 * raw COMPOUND because libnfs 4.0's nfs_chmod()/nfs_chown() OPEN their
 * target and a directory refuses that (NFS4ERR_ISDIR).
 */

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/time.h>

#include <nfsc/libnfs-raw-nfs4.h>

#include "nfs4.h"

/* mode (33), owner (36), owner_group (37): all in bitmap word 1. */
#define ATTR_WORD1(a)   (1u << ((a) - 32))

/* XDR: a big-endian uint32. */
static size_t
put32(uint8_t *p, uint32_t v)
{
    p[0] = (uint8_t) (v >> 24);
    p[1] = (uint8_t) (v >> 16);
    p[2] = (uint8_t) (v >> 8);
    p[3] = (uint8_t) v;
    return 4;
}

/* XDR string: length, bytes, zero padding to a multiple of 4. */
static size_t
put_str(uint8_t *p, const char *s)
{
    size_t n = strlen(s), pad = (4 - n % 4) % 4;

    put32(p, (uint32_t) n);
    memcpy(p + 4, s, n);
    memset(p + 4 + n, 0, pad);
    return 4 + n + pad;
}

/* The attribute values, in attribute-number order (RFC 7530 5.3.3). */
static size_t
encode_attrs(uint8_t *buf, unsigned mode, int set_owner, unsigned long uid,
    unsigned long gid)
{
    char    num[24];
    size_t  n = put32(buf, mode & 07777);

    if (set_owner) {
        snprintf(num, sizeof(num), "%lu", uid);
        n += put_str(buf + n, num);
        snprintf(num, sizeof(num), "%lu", gid);
        n += put_str(buf + n, num);
    }
    return n;
}

/* One LOOKUP per non-empty component of path (which libnfs reads only
 * while encoding, inside rpc_nfs4_compound_async). */
static unsigned
add_lookups(nfs_argop4 *op, const char *path)
{
    unsigned    k = 0;
    size_t      n;

    while (*path != '\0') {
        n = strcspn(path, "/");
        if (n > 0) {
            op[k].argop = OP_LOOKUP;
            op[k].nfs_argop4_u.oplookup.objname.utf8string_len = (u_int) n;
            op[k].nfs_argop4_u.oplookup.objname.utf8string_val =
                (char *) path;
            k++;
        }
        path += n + (path[n] == '/');
    }
    return k;
}

int
cli_nfs4_setattr_async(struct rpc_context *rpc, const char *path,
    unsigned mode, int set_owner, unsigned long uid, unsigned long gid,
    rpc_cb cb, void *priv)
{
    COMPOUND4args    args;
    SETATTR4args    *sa;
    nfs_argop4      *op;
    uint32_t         mask[2];
    uint8_t          vals[4 + 2 * (4 + 24)];
    unsigned         k;
    int              rc = 0;

    /* PUTROOTFH, at most one LOOKUP per two bytes of path, SETATTR. */
    op = calloc(strlen(path) / 2 + 3, sizeof(*op));
    if (op == NULL) {
        return -ENOMEM;
    }
    op[0].argop = OP_PUTROOTFH;
    k = 1 + add_lookups(op + 1, path);
    op[k].argop = OP_SETATTR;
    sa = &op[k].nfs_argop4_u.opsetattr;
    memset(&sa->stateid, 0, sizeof(sa->stateid));   /* anonymous */
    mask[0] = 0;
    mask[1] = ATTR_WORD1(FATTR4_MODE);
    if (set_owner) {
        mask[1] |= ATTR_WORD1(FATTR4_OWNER) | ATTR_WORD1(FATTR4_OWNER_GROUP);
    }
    sa->obj_attributes.attrmask.bitmap4_len = 2;
    sa->obj_attributes.attrmask.bitmap4_val = mask;
    sa->obj_attributes.attr_vals.attrlist4_len =
        (u_int) encode_attrs(vals, mode, set_owner, uid, gid);
    sa->obj_attributes.attr_vals.attrlist4_val = (char *) vals;

    memset(&args, 0, sizeof(args));
    args.argarray.argarray_len = k + 1;
    args.argarray.argarray_val = op;
    if (rpc_nfs4_compound_async(rpc, cb, &args, priv) != 0) {
        rc = -EIO;
    }
    free(op);
    return rc;
}

int
cli_nfs4_setattr_result(int status, void *data, char *msg, size_t size)
{
    const COMPOUND4res *res = data;

    if (status != RPC_STATUS_SUCCESS) {
        snprintf(msg, size, "%s", status == RPC_STATUS_ERROR && data != NULL
                 ? (const char *) data : "cancelled");
        return -EIO;
    }
    switch (res->status) {
    case NFS4_OK:
        return 0;
    case NFS4ERR_PERM:
        snprintf(msg, size, "operation not permitted (NFS4ERR_PERM)");
        return -EPERM;
    case NFS4ERR_ACCESS:
        snprintf(msg, size, "permission denied (NFS4ERR_ACCESS)");
        return -EACCES;
    case NFS4ERR_BADOWNER:
        snprintf(msg, size, "the server does not take numeric owners "
                 "(NFS4ERR_BADOWNER: enable its ID mapping of numbers)");
        return -EINVAL;
    default:
        snprintf(msg, size, "SETATTR failed with NFSv4 status %d",
                 (int) res->status);
        return -EIO;
    }
}

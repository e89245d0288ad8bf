/*
 * nfs4.h - NFSv4 SETATTR on a directory, which libnfs 4.0's own
 * nfs_chmod()/nfs_chown() cannot do (they OPEN their target, and a
 * directory answers NFS4ERR_ISDIR).  Used by nfs.c only.
 */

#ifndef ALPXE_CLI_NFS4_H
#define ALPXE_CLI_NFS4_H

#include <stddef.h>

#include <nfsc/libnfs.h>
#include <nfsc/libnfs-raw.h>

/*
 * Queue COMPOUND { PUTROOTFH, LOOKUP each component of path, SETATTR
 * mode [owner, owner_group] } on a context mounted at the NFSv4 root.
 * Owners go as numeric strings ("1000"), which servers take from AUTH_SYS
 * clients.  Returns 0 (cb will run) or -errno.
 */
int cli_nfs4_setattr_async(struct rpc_context *rpc, const char *path,
    unsigned mode, int set_owner, unsigned long uid, unsigned long gid,
    rpc_cb cb, void *priv);

/* The outcome cb was given: 0 or -errno, with a message for errors. */
int cli_nfs4_setattr_result(int status, void *data, char *msg, size_t size);

#endif /* ALPXE_CLI_NFS4_H */

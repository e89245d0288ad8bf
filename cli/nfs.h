/*
 * nfs.h - reach per-host NFS directories with libnfs, in user space:
 * what `alpxe check --network` and `alpxe provision` share.  CLI only:
 * the plugins never link libnfs.
 */

#ifndef ALPXE_CLI_NFS_H
#define ALPXE_CLI_NFS_H

/*
 * A session remembers every server and mount it opened, so hosts on the
 * same export share one mount and a dead server is waited for once.
 */
typedef struct cli_nfs cli_nfs;

typedef enum {
    CLI_NFS_PRESENT = 0,    /* the directory is there */
    CLI_NFS_CREATED,        /* provision made it */
    CLI_NFS_MISSING,        /* not there, and creatable */
    CLI_NFS_FAILED          /* anything else: see why */
} cli_nfs_state;

typedef struct {
    cli_nfs_state    state;
    char             why[512];  /* a reason for MISSING and FAILED */
    unsigned         mode;      /* PRESENT, CREATED: permission bits */
    unsigned long    uid;
    unsigned long    gid;
} cli_nfs_result;

/*
 * timeout_ms bounds every call to a server (connect included), so a dead
 * server costs one timeout.  Returns 0 or -ENOMEM.
 */
int cli_nfs_open(unsigned timeout_ms, cli_nfs **out);

/* Unmounts (NFSv3 tells mountd) and frees everything.  NULL is fine. */
void cli_nfs_close(cli_nfs *s);

/* Is `url` (nfs://SERVER/PATH[?libnfs options]) an existing directory? */
void cli_nfs_check(cli_nfs *s, const char *url, cli_nfs_result *r);

/*
 * Make the directory exist, like mkdir -p: missing parents get 0755 and
 * the caller's owner, the directory itself `mode`, then uid:gid (unless
 * both are 0, which leaves whatever owner the server gave).  An existing
 * directory is left exactly as it is.
 */
void cli_nfs_provision(cli_nfs *s, const char *url, unsigned mode,
    unsigned long uid, unsigned long gid, cli_nfs_result *r);

#endif /* ALPXE_CLI_NFS_H */

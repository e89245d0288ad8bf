/*
 * mount-nfs4.c - mount SERVER:/PATH on DIR over NFSv4 in the e2e test
 * system.  busybox mount speaks only the NFSv2/3 binary mount protocol
 * (it needs rpcbind and mountd on the server); the kernel's NFSv4 client
 * takes text options instead, which this passes as mount(8) would.
 *
 * Usage: mount-nfs4 SERVER-IPV4 /PATH DIR [EXTRA-OPTIONS]
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>

int
main(int argc, char **argv)
{
    char source[512], opts[512];
    int  n;

    if (argc < 4 || argc > 5 || argv[2][0] != '/') {
        fprintf(stderr, "usage: mount-nfs4 SERVER-IPV4 /PATH DIR [OPTIONS]\n");
        return 2;
    }
    n = snprintf(source, sizeof(source), "%s:%s", argv[1], argv[2]);
    if (n < 0 || (size_t) n >= sizeof(source)) {
        fprintf(stderr, "mount-nfs4: path too long\n");
        return 2;
    }
    n = snprintf(opts, sizeof(opts),
                 "vers=4.1,addr=%s,proto=tcp,port=2049,sec=sys,"
                 "timeo=50,retrans=2,soft%s%s", argv[1],
                 argc == 5 ? "," : "", argc == 5 ? argv[4] : "");
    if (n < 0 || (size_t) n >= sizeof(opts)) {
        fprintf(stderr, "mount-nfs4: options too long\n");
        return 2;
    }
    if (mount(source, argv[3], "nfs4", 0, opts) != 0) {
        fprintf(stderr, "mount-nfs4: mount %s on %s (%s): %s\n", source,
                argv[3], opts, strerror(errno));
        return 1;
    }
    return 0;
}

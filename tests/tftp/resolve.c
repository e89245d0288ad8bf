/*
 * resolve.c - print the core's answer for a TFTP request name, the
 * reference the generated remap rules must agree with.
 *
 *   tftp-resolve CONFIG NAME
 *
 * Prints alpxe_tftp_resolve()'s file name and exits 0; exits 1 (nothing
 * printed) when the core denies the name, 2 on any other error.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "alpxe.h"

int
main(int argc, char **argv)
{
    alpxe_config   *cfg;
    char            out[ALPXE_URL_MAX];
    int             rc;

    if (argc != 3) {
        fprintf(stderr, "usage: tftp-resolve CONFIG NAME\n");
        return 2;
    }
    rc = alpxe_config_load(argv[1], 0, NULL, NULL, &cfg);
    if (rc != 0) {
        fprintf(stderr, "tftp-resolve: %s: %s\n", argv[1], strerror(-rc));
        return 2;
    }
    rc = alpxe_tftp_resolve(cfg, argv[2], strlen(argv[2]), out, sizeof out);
    alpxe_config_free(cfg);
    if (rc == -EACCES)
        return 1;
    if (rc != 0) {
        fprintf(stderr, "tftp-resolve: %s\n", strerror(-rc));
        return 2;
    }
    printf("%s\n", out);
    return 0;
}

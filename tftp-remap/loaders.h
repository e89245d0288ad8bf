/*
 * loaders.h - keep the TFTP root holding the loaders alpxe.conf names.
 */

#ifndef ALPXE_REMAP_LOADERS_H
#define ALPXE_REMAP_LOADERS_H

#include "alpxe.h"

/* Written in the TFTP root (ALPXE_TFTP_MANIFEST): the loaders alpxe-remap
 * put there, readable by root only, so in.tftpd never serves it. */
#define LOADERS_MANIFEST        ALPXE_TFTP_MANIFEST
#define LOADERS_MANIFEST_MODE   0600

typedef struct {
    unsigned    installed;      /* copied: new or changed */
    unsigned    current;        /* already identical */
    unsigned    missing;        /* not in the source directory */
    unsigned    removed;        /* installed earlier, no longer named */
    unsigned    failed;         /* anything else went wrong */
} loaders_report;

/*
 * Copy every loader of cfg, and every alias target (a file a request can
 * be mapped to), from alpxe_tftp_source(cfg) into dir, each
 * atomically and world-readable (in.tftpd serves nothing else), and remove
 * the loaders an earlier run installed that the configuration no longer
 * names; files it did not install are never touched.  Progress goes to
 * stdout, problems to stderr.  Returns 0 when every loader is in place,
 * -ENOENT when some are missing from the source, another -errno on
 * other failures.
 */
int loaders_install(const alpxe_config *cfg, const char *dir, int verbose,
    loaders_report *rep);

#endif /* ALPXE_REMAP_LOADERS_H */

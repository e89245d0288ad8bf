/*
 * tftpd.h - make a running in.tftpd re-read its remap rules (SIGHUP).
 */

#ifndef ALPXE_REMAP_TFTPD_H
#define ALPXE_REMAP_TFTPD_H

#include <stddef.h>

/*
 * Find the in.tftpd a pid file names, check the rules file it was started
 * with (its -m argument) the way it will read it, and send SIGHUP.
 * in.tftpd exits on a bad rule when it re-reads, so a file that would not
 * load is refused and the daemon is left alone.  Returns 0 or -errno; err
 * explains.
 */
int tftpd_reread_rules(const char *pidfile, char *err, size_t errsize);

#endif /* ALPXE_REMAP_TFTPD_H */

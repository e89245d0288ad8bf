/*
 * reload.h - make a running in.tftpd re-read its remap rules (SIGHUP).
 */

#ifndef ALPXE_REMAP_RELOAD_H
#define ALPXE_REMAP_RELOAD_H

#include <stddef.h>

/*
 * Read the pid from pidfile, check that it is an in.tftpd, check the rules
 * file it was started with (its -m argument) the way it will read it, and
 * send SIGHUP.  in.tftpd exits on a bad rule when it re-reads, so a file
 * that would not load is refused.  Returns 0 or -errno; err explains.
 */
int reload_tftpd(const char *pidfile, char *err, size_t errsize);

#endif /* ALPXE_REMAP_RELOAD_H */

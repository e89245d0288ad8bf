/*
 * checksum.h - SHA-256 of alpxe.conf's bytes, as 64 hex digits: what the
 * servers report serving, and what proves a last good copy whole.
 * libcrypto's, which uses the CPU's SHA instructions where there are some.
 */

#ifndef ALPXE_CHECKSUM_H
#define ALPXE_CHECKSUM_H

#include <stddef.h>

#define CFG_SHA256_HEX  65      /* 64 hex digits and a NUL */

/* Of len bytes at once. */
void cfg_sha256_hex(const char *text, size_t len, char out[CFG_SHA256_HEX]);

/* Of bytes that come a block at a time: begin (NULL when out of memory),
 * update with each block, end (which frees it) for the digits. */
typedef struct cfg_sha256 cfg_sha256;

cfg_sha256 *cfg_sha256_begin(void);
void cfg_sha256_update(cfg_sha256 *c, const char *bytes, size_t len);
void cfg_sha256_end(cfg_sha256 *c, char out[CFG_SHA256_HEX]);

#endif /* ALPXE_CHECKSUM_H */

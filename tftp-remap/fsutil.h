/*
 * fsutil.h - whole-file reads and atomic replacement (temp file + rename).
 *
 * Readers of a replaced file (in.tftpd re-reading its rules, a client
 * halfway through a loader) see the old file or the new one, never a mix.
 * All functions return 0 or a negative errno.
 */

#ifndef ALPXE_REMAP_FSUTIL_H
#define ALPXE_REMAP_FSUTIL_H

#include <stddef.h>
#include <sys/types.h>

/* *data is malloc'd and NUL-terminated (len excludes the NUL). */
int fs_read_file(const char *path, char **data, size_t *len);

/* Write a temp file beside path, fsync, chmod, rename over path. */
int fs_write_atomic(const char *path, const char *data, size_t len,
    mode_t mode);

/*
 * The same with src's contents.  -ENOENT (and nothing created) when src
 * does not exist.  *changed is 0 when dst already held the same bytes
 * with the same mode (it is then left alone).
 */
int fs_copy_atomic(const char *src, const char *dst, mode_t mode,
    int *changed);

/* mkdir -p of the directories of `rel` (a relative file name) in root. */
int fs_make_parents(const char *root, const char *rel);

#endif /* ALPXE_REMAP_FSUTIL_H */

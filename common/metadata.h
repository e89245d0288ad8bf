/*
 * metadata.h - the NoCloud documents tiny-cloud fetches from
 * ${http}/<mac>/: the files alpxe.conf names for them, read and validated
 * at load (metadata_files.c), and the documents rendered from them
 * (metadata.c).
 */

#ifndef ALPXE_METADATA_H
#define ALPXE_METADATA_H

#include "config_parse.h"

/* The largest file authorized_keys or user_data may name. */
#define META_FILE_MAX   (32 * 1024)

typedef enum {
    FILE_KEYS = 0,
    FILE_USER_DATA
} file_kind;

/* One top-level "key:" of a user_data file, with the lines under it. */
typedef struct {
    const char  *key;           /* NUL-terminated */
    const char  *text;          /* the key line and the body */
    size_t       len;
    const char  *body;          /* the lines after the key line */
    size_t       body_len;
    unsigned     indent;        /* merged keys: the column of the items */
    unsigned     line;
} ud_block;

struct cfg_file {
    const char  *path;          /* as resolved */
    file_kind    kind;
    int          failed;        /* did not load: reported at its first use */
    const char  *keys;          /* FILE_KEYS: "TYPE BASE64[ COMMENT]\n"... */
    size_t       keys_len;
    ud_block    *blocks;        /* FILE_USER_DATA */
    size_t       count;
};

/* The #alpine-config lists alpxe adds its own items to (before the
 * files' items): meta_merged[MERGE_...]. */
enum { MERGE_KEYS = 0, MERGE_PACKAGES, MERGE_WRITE_FILES, MERGE_RUNCMD,
       MERGE_COUNT };

extern const char *const meta_merged[MERGE_COUNT];

/* MERGE_... of a top-level key, or -1. */
int meta_merged_index(const char *key);

/* An NFS path alpxe may write into fstab and YAML. */
int meta_nfs_path_ok(const char *s);

/*
 * Render document `doc` (not the script) of profile p for a host (or
 * NULL: an unknown MAC) and the MAC that asks, into b.
 */
void cfg_render_doc(const alpxe_config *cfg, alpxe_doc doc,
    const cfg_profile *p, const alpxe_host *h, const alpxe_mac *mac,
    alpxe_buf *b);

/*
 * At load: read and check the files every profile and host names
 * (authorized_keys, user_data), the values metadata puts in YAML, and the
 * size of every document (metadata_files.c); with ALPXE_LOAD_SCRIPTS,
 * render the documents of every netboot host's MACs (metadata.c).  Errors
 * and warnings go to ps.
 */
void metadata_load(parse_state *ps);
void metadata_prerender(parse_state *ps);

#endif /* ALPXE_METADATA_H */

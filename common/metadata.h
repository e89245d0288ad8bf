/*
 * metadata.h - the NoCloud documents tiny-cloud fetches from
 * ${http}/<mac>/ (metadata.c): the files alpxe.conf names for them, read
 * and validated at load, and the documents rendered from them.
 */

#ifndef ALPXE_METADATA_H
#define ALPXE_METADATA_H

#include "config_parse.h"

/* The largest file authorized_keys or user_data may name. */
#define META_FILE_MAX   (32 * 1024)

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
 * size of every document; with ALPXE_LOAD_SCRIPTS, render the documents
 * of every netboot host's MACs.  Errors and warnings go to ps.
 */
void metadata_load(parse_state *ps);
void metadata_prerender(parse_state *ps);

#endif /* ALPXE_METADATA_H */

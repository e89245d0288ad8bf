/*
 * config_internal.h - the loaded configuration, as the core's own files
 * see it.  Plugins use alpxe.h only.
 */

#ifndef ALPXE_CONFIG_INTERNAL_H
#define ALPXE_CONFIG_INTERNAL_H

#include <stdint.h>

#include "alpxe.h"
#include "arena.h"
#include "buf.h"
#include "names.h"

/* UEFI HTTP boot fetches its loader from ${http}/loader/<file>. */
#define CFG_LOADER_DIR          "/loader/"
#define CFG_LOADER_DIR_LEN      (sizeof(CFG_LOADER_DIR) - 1)

/* Keys a profile sets and a host may override (host inherits the rest). */
typedef enum {
    KEY_KERNEL = 0,
    KEY_INITRD,
    KEY_MODLOOP,
    KEY_REPO,
    KEY_SSH_KEY,
    KEY_APKOVL,
    KEY_IP,
    KEY_ARGS,
    KEY_APPEND,
    KEY_NFS,
    KEY_NFS_MODE,               /* how `alpxe provision` creates the dir */
    KEY_NFS_UID,
    KEY_NFS_GID,
    KEY_LOADER_FIRST,           /* loader_bios … loader_arm64 */
    KEY_COUNT = KEY_LOADER_FIRST + ALPXE_ARCH_COUNT
} alpxe_key;

/* A value as written (templates unexpanded) and where it was written. */
typedef struct {
    const char  *text;
    unsigned     line;
} cfg_value;

typedef struct {
    const char  *name;
    unsigned     line;
    cfg_value    v[KEY_COUNT];
    int          uses_vars;     /* some value holds ${hostname}/${mac}… */
    const char  *script;        /* pre-rendered for unknown MACs, or NULL */
    size_t       script_len;
} cfg_profile;

struct alpxe_host {
    const char        *name;
    unsigned           line;
    alpxe_boot         boot;
    cfg_value          profile_ref;
    const cfg_profile *profile;
    cfg_value          v[KEY_COUNT];    /* host's own values only */
    const char        *nfs;             /* expanded, first MAC */
    const char        *alpine_dev;      /* legacy nfs:SERVER:/PATH, expanded */
    uint32_t           first_mac;       /* index into cfg->macs */
    uint32_t           mac_count;
};

/*
 * One MAC of a host.  What a script request needs (boot, profile, the
 * pre-rendered script) is copied here so that a lookup touches the index
 * and this entry only, not the host: with 100k hosts each is a cache miss.
 */
typedef struct {
    alpxe_mac    mac;
    uint8_t      boot;          /* alpxe_boot of the host */
    unsigned     line;
    uint32_t     host;
    const char  *profile;       /* name of the host's profile */
    const char  *script;        /* pre-rendered, or NULL */
    uint32_t     script_len;
} cfg_mac;

typedef enum {
    UNKNOWN_UNSET = 0,
    UNKNOWN_DEFAULT,
    UNKNOWN_IGNORE,
    UNKNOWN_EXIT
} cfg_unknown;

typedef struct {
    const char  *name;
    const char  *target;        /* a loader file name */
    unsigned     line;
} cfg_alias;

struct alpxe_config {
    arena        mem;
    const char  *path;
    char         sha256[65];    /* of the file's bytes, hex */
    long long    loaded_at;     /* when these bytes were read from path */
    int          fallback;      /* loaded from the last good copy */

    /* [server] */
    uint8_t      address[4];
    const char  *http;          /* no trailing '/' */
    size_t       http_len;
    size_t       origin_len;    /* "http://host[:port]" prefix of http */
    cfg_unknown  unknown;
    const cfg_profile *default_profile;

    /* [loader] */
    cfg_value    loader[ALPXE_ARCH_COUNT];

    /* [tftp] */
    const char  *tftp_root;
    const char  *tftp_source;
    int          tftp_case_insensitive;
    cfg_alias   *aliases;
    size_t       alias_count;
    const char **loaders;       /* distinct loader names */
    size_t       loader_count;

    cfg_profile *profiles;
    size_t       profile_count;
    name_index   profile_index;
    alpxe_host  *hosts;
    size_t       host_count;
    cfg_mac     *macs;
    size_t       mac_count;

    /* Open-addressing MAC index: slot = mac index + 1, 0 = empty. */
    uint32_t    *index;
    uint64_t     index_mask;

    unsigned     nfs_timeout_ms;

    /* [reload] */
    const char  *reload[ALPXE_RELOAD_COUNT];

    /* [log] */
    const char  *log[ALPXE_LOG_COUNT];

    size_t       warnings;
};

/* The profile named `name`, or NULL; O(1). */
const cfg_profile *cfg_find_profile(const alpxe_config *cfg,
    const char *name);

/* The name index's view of cfg->profiles. */
const char *cfg_profile_name(const void *cfg, uint32_t i);

/* The effective value of key k for a host: its own, else its profile's. */
const cfg_value *cfg_host_value(const alpxe_host *h, alpxe_key k);

/* Loader file for a host (or NULL host: the server's) on an arch. */
const char *cfg_loader_for(const alpxe_config *cfg, const alpxe_host *h,
    alpxe_arch arch);

/*
 * Read a whole regular file into *text (malloc'd, len bytes, NUL after
 * them).  Anything but a regular file is refused without blocking (a FIFO
 * would hang the caller in open()), with *why saying so.  0 or -errno.
 */
int cfg_read_file(const char *path, char **text, size_t *len,
    const char **why);

/* SHA-256 of len bytes as 64 hex digits and a NUL. */
void cfg_sha256_hex(const char *text, size_t len, char out[65]);

/* An arch by its name in alpxe.conf; -1 when it is none of them. */
int alpxe_arch_from_name(const char *name, size_t len);

/*
 * Map an option 93 type to a loader slot; *http is set for the UEFI HTTP
 * boot types (15, 16, 18, 19).  Returns ALPXE_ARCH_UNKNOWN for the rest.
 */
alpxe_arch alpxe_arch_from_type(unsigned type, int *http);

/* alpxe_machine_for(), also returning the MAC's index entry (NULL: an
 * unknown MAC) for the pre-rendered script it holds. */
const cfg_mac *cfg_machine(const alpxe_config *cfg, const alpxe_mac *mac,
    alpxe_machine *m);

/* mac index → position; build returns 0 or -ENOMEM. */
int cfg_index_build(alpxe_config *cfg);
const cfg_mac *cfg_index_find(const alpxe_config *cfg, const alpxe_mac *mac);

/*
 * Expand ${hostname}, ${mac} and ${mac_dash} in a validated template into
 * b.  hostname may be NULL (unknown host: the dash-form MAC is used).
 */
void cfg_expand(alpxe_buf *b, const char *tmpl, const char *hostname,
    const alpxe_mac *mac);

/* Render a profile's boot script for a host (or NULL) and MAC into b. */
void cfg_render_boot(const alpxe_config *cfg, const cfg_profile *p,
    const alpxe_host *h, const alpxe_mac *mac, alpxe_buf *b);

extern const char cfg_exit_script[];
extern const size_t cfg_exit_script_len;

#endif /* ALPXE_CONFIG_INTERNAL_H */

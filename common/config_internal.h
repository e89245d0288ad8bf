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
#include "checksum.h"
#include "diff.h"
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
    KEY_METADATA,               /* yes: ds=nocloud on the kernel line */
    KEY_AUTHORIZED_KEYS,        /* a file of SSH public keys: user-data */
    KEY_USER_DATA,              /* a file of #alpine-config: user-data */
    KEY_DESCRIPTION,            /* [profile] only: its menu item's text */
    KEY_MENU,                   /* [profile] only: offered by the menu */
    KEY_LOADER_FIRST,           /* loader_bios … loader_arm64 */
    KEY_COUNT = KEY_LOADER_FIRST + ALPXE_ARCH_COUNT
} alpxe_key;

/* A file authorized_keys or user_data names, read and checked at load
 * (metadata.c). */
typedef struct cfg_file cfg_file;

/* A netboot host's MAC's NoCloud documents, rendered at load. */
typedef struct {
    const char  *text[ALPXE_DOC_COUNT];
    uint32_t     len[ALPXE_DOC_COUNT];
} cfg_docs;

/* A value as written (templates unexpanded) and where it was written. */
typedef struct {
    const char  *text;
    unsigned     line;
} cfg_value;

typedef struct {
    const char  *name;
    unsigned     line;
    cfg_value    v[KEY_COUNT];
    const cfg_file *keys;       /* authorized_keys, loaded */
    const cfg_file *user_data;  /* user_data, loaded */
} cfg_profile;

/* What few hosts have, apart: 32 bytes less for each of 100k that do not. */
typedef struct {
    const char        *nfs;             /* expanded, first MAC */
    const char        *alpine_dev;      /* legacy nfs:SERVER:/PATH, expanded */
    const cfg_file    *keys;            /* authorized_keys, loaded */
    const cfg_file    *user_data;       /* user_data, loaded */
} cfg_host_extra;

/*
 * A host keeps only the values it sets itself (a host sets one or two of
 * the KEY_COUNT keys; a full table made 100k hosts 45 MB): own holds them
 * in key order, bit k of own_keys says whether key k is among them.
 */
struct alpxe_host {
    const char        *name;
    const cfg_profile *profile;
    const cfg_value   *own;             /* cfg_host_own() reads it */
    cfg_host_extra    *extra;           /* NULL: none of it */
    cfg_value          profile_ref;
    unsigned           line;
    uint32_t           own_keys;
    uint32_t           first_mac;       /* index into cfg->macs */
    uint16_t           mac_count;
    uint8_t            boot;            /* alpxe_boot */
};

_Static_assert(KEY_COUNT <= 32, "alpxe_host.own_keys holds a bit per key");

/* The value a host sets itself for key k, or NULL. */
static inline const cfg_value *
cfg_host_own(const alpxe_host *h, alpxe_key k)
{
    uint32_t bit = UINT32_C(1) << k;

    return (h->own_keys & bit)
           ? &h->own[__builtin_popcount(h->own_keys & (bit - 1))] : NULL;
}

/* A host's extra fields (NULL: all NULL). */
#define CFG_HOST_EXTRA(h, field) \
    ((h)->extra != NULL ? (h)->extra->field : NULL)

/* Its text, or NULL. */
static inline const char *
cfg_host_own_text(const alpxe_host *h, alpxe_key k)
{
    const cfg_value *v = cfg_host_own(h, k);

    return v != NULL ? v->text : NULL;
}


/*
 * One MAC of a host.  What a request needs (boot, profile) is copied here
 * so that a lookup touches the index and this entry only, not the host:
 * with 100k hosts each is a cache miss.
 */
typedef struct {
    alpxe_mac    mac;
    uint8_t      boot;          /* alpxe_boot of the host */
    unsigned     line;
    uint32_t     host;
    const char  *profile;       /* name of the host's profile */
} cfg_mac;

typedef enum {
    UNKNOWN_UNSET = 0,
    UNKNOWN_DEFAULT,
    UNKNOWN_IGNORE,
    UNKNOWN_EXIT,
    UNKNOWN_MENU
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
    uint64_t     load_us;       /* how long loading took */
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

    /* Pre-rendered scripts parallel to macs (ALPXE_LOAD_SCRIPTS; else
     * NULL: Kea and the CLI need none, and 100k would cost them 3 MB). */
    cfg_diff    *scripts;

    /* NoCloud documents parallel to macs (NULL: no host has metadata). */
    cfg_docs    *docs;

    /* The script of a request without a MAC. */
    const char  *chain_script;
    size_t       chain_len;

    /* Open-addressing MAC index: slot = mac index + 1, 0 = empty. */
    uint32_t    *index;
    uint64_t     index_mask;

    unsigned     nfs_timeout_ms;
    unsigned     menu_timeout_ms;   /* 0: the menu waits for a choice */
    size_t       menu_count;        /* profiles the menu offers */

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
 * would hang the caller in open()), with *why saying so.  One larger than
 * max bytes (0: a configuration's bound) is -EFBIG with its size in *len,
 * before anything is read.  0 or -errno.
 */
int cfg_read_file(const char *path, size_t max, char **text, size_t *len,
    const char **why);

/*
 * Copy a regular file's bytes (as cfg_read_file() reads them) into the
 * file open as out, with their checksum in sha.  0 or -errno.
 */
int cfg_copy_file(const char *path, int out, char sha[CFG_SHA256_HEX],
    const char **why);

/* write() all of buf: 0 or -errno. */
int cfg_write_all(int fd, const char *buf, size_t len);

/* A monotonic clock in microseconds, for load times. */
uint64_t cfg_now_us(void);


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

/*
 * A menu machine's (m from cfg_machine) choice of a profile by name: the
 * profile, with m made a BOOT of it, when the menu offers it; else NULL,
 * with m made NONE (a choice the menu does not offer), or left as it is
 * when m is not a menu.
 */
const cfg_profile *cfg_machine_choose(const alpxe_config *cfg,
    const char *name, alpxe_machine *m);

/* menu.c: the profile the menu offers by that name, or NULL; the menu's
 * default item for a host (NULL: an unknown MAC), or NULL. */
const cfg_profile *cfg_menu_offered(const alpxe_config *cfg,
    const char *name);
const char *cfg_menu_default(const alpxe_config *cfg, const alpxe_host *h);

/* The menu script for a MAC (h: its host, or NULL). */
void cfg_render_menu(const alpxe_config *cfg, const alpxe_host *h,
    const alpxe_mac *mac, alpxe_buf *b);

/* The script of a request that names no MAC (the classic embedded
 * loader's ${http}/gpxe-script): chain to the asking NIC's own URL. */
void cfg_render_chain(const alpxe_config *cfg, alpxe_buf *b);

/* Does a profile (with a host's values over it, or NULL) serve NoCloud
 * metadata (metadata = yes)?  (metadata.c) */
int cfg_metadata_on(const cfg_profile *p, const alpxe_host *h);

/* mac index → position; build returns 0 or -ENOMEM, and calls dup (when
 * not NULL) for each MAC met again, with the entry that keeps it. */
typedef void (*cfg_dup_fn)(void *ctx, const cfg_mac *first,
    const cfg_mac *again);

int cfg_index_build(alpxe_config *cfg, cfg_dup_fn dup, void *ctx);
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

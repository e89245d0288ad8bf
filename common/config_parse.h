/*
 * config_parse.h - state shared by the stages of loading a configuration:
 * the line reader and sections (config.c), the keys (config_keys.c) and
 * the checks that need the whole file (config_finish.c).
 */

#ifndef ALPXE_CONFIG_PARSE_H
#define ALPXE_CONFIG_PARSE_H

#include "config_internal.h"

/* Errors shown before the rest are only counted. */
#define PARSE_MAX_SHOWN_ERRORS  50

typedef enum {
    SEC_NONE = 0,               /* before any section */
    SEC_SERVER,
    SEC_LOADER,
    SEC_TFTP,
    SEC_PROFILE,
    SEC_HOST,
    SEC_RELOAD,
    SEC_LOG,
    SEC_IGNORED                 /* a bad section, already reported */
} parse_section;

/*
 * A file the parser reads a block at a time (config_read.c); a line must
 * fit a block, as it must fit inih's 200 bytes.
 */
#define PARSE_BLOCK     (256 * 1024)

typedef struct {
    int            fd;
    char          *block;       /* PARSE_BLOCK bytes */
    size_t         unread;      /* of the size fstat gave */
    cfg_sha256    *sha;         /* of every byte read */
    int            rc;          /* a read error: -errno */
} parse_source;

typedef struct {
    alpxe_config  *cfg;
    const char    *file;
    unsigned       flags;
    alpxe_diag_fn  diag;
    void          *ctx;
    size_t         errors;
    size_t         warnings;
    int            nomem;

    /* the line reader: the bytes from pos to end, and more from src */
    const char    *pos;
    const char    *end;
    parse_source  *src;         /* NULL: a text in memory */
    unsigned       line;

    /* the current section */
    parse_section  sec;
    unsigned       sec_line;
    size_t         sec_index;   /* profile or host */
    cfg_value      host_v[KEY_COUNT];   /* the [host]'s values until its
                                           end (parse_host_end) */
    uint32_t       host_keys;   /* bit k: host_v[k] is set */
    unsigned       seen[SEC_IGNORED];   /* line of each singleton section */
    unsigned       outside_reported;

    /* [server] and [tftp] values as written */
    cfg_value      address;
    cfg_value      http;
    cfg_value      unknown;
    cfg_value      default_profile;
    cfg_value      nfs_timeout;
    cfg_value      menu_timeout;
    cfg_value      tftp_root;
    cfg_value      tftp_source;
    cfg_value      tftp_case;
    cfg_value      reload[ALPXE_RELOAD_COUNT];
    cfg_value      log[ALPXE_LOG_COUNT];

    /* alpine.c: the last value of each key whose URLs were found to name
     * their servers by address */
    const char    *addressed[KEY_COUNT];

    /* growable tables, handed to cfg when loading succeeds */
    size_t         profile_cap;
    size_t         host_cap;
    size_t         mac_cap;
    size_t         alias_cap;
} parse_state;

/* Report at a line (0: the whole file); printf-style. */
void parse_error(parse_state *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));
void parse_warning(parse_state *ps, unsigned line, const char *fmt, ...)
    __attribute__((format(printf, 3, 4)));

/* Copy into the configuration's arena (sets ps->nomem on failure). */
const char *parse_strdup(parse_state *ps, const char *s, size_t len);

/* Open a file for the parser: 0, or -errno (*why may say more). */
int parse_source_open(parse_source *src, const char *path, const char **why);

/* Keep the bytes from ps->pos to ps->end and read more after them: 1, or
 * 0 when there is no more (the file's end, a read error in src->rc, or a
 * block full of one line). */
int parse_fill(parse_state *ps);

/* Close it, with the checksum of every byte read (sha: NULL when not
 * wanted). */
void parse_source_close(parse_source *src, char sha[CFG_SHA256_HEX]);

/* The host's extra fields, made on first use; NULL (ps->nomem set) when
 * out of memory. */
cfg_host_extra *parse_host_extra(parse_state *ps, alpxe_host *h);

/* One key = value in the current section (config_keys.c). */
void parse_key(parse_state *ps, const char *key, const char *value);

/* The end of a [host] section: its own values go to the arena
 * (config_keys.c). */
void parse_host_end(parse_state *ps);

/* [reload]'s paths, its defaults filled in (config_finish.c). */
void parse_finish_reload(parse_state *ps);

/* [log]'s sources, its defaults filled in (config_finish.c). */
void parse_finish_log(parse_state *ps);

/* The checks that need the whole file; returns 0 or -1 (config_finish.c). */
int parse_finish(parse_state *ps);

/* Grow *arr (of elem bytes, *cap entries) to hold n + 1, entry n zeroed;
 * 0 or -1. */
int parse_grow(void **arr, size_t *cap, size_t n, size_t elem);

#endif /* ALPXE_CONFIG_PARSE_H */

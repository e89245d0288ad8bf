/*
 * fleet.h - every host's last boot, for `alpxe status` (one line per
 * host, or JSON) and its HTML page (status_html.c).
 */

#ifndef ALPXE_FLEET_H
#define ALPXE_FLEET_H

#include <jansson.h>

#include "bootlog.h"
#include "cli.h"

typedef struct {
    int                 known;      /* in a [host]; else a MAC alpxe saw */
    char                name[64];   /* the host, or "" */
    char                profile[64];
    const char         *boot;       /* "netboot", "local", "off", or "" */
    size_t              macs;       /* the host's MACs */
    alpxe_mac           mac;        /* the one whose boot is shown */
    const blog_boot    *last;       /* its last boot, or NULL */
    const blog_plan    *plan;       /* NULL when never seen */
    blog_verdict        verdict;
} fleet_entry;

typedef struct {
    fleet_entry        *e;
    size_t              n;
    size_t              bad;        /* entries whose last boot failed */
    blog_tracker       *t;
    blog_sources        src;
    long long           now;
} fleet;

/* One server line of `alpxe status`, for the page. */
typedef struct {
    const char         *name;
    char                text[1400];
    int                 bad;
} fleet_server;

/* Read the logs ([log] of cfg, overridden by o's options) into fl. */
int fleet_read(const cli_opts *o, const alpxe_config *cfg, fleet *fl);
void fleet_free(fleet *fl);

/* The hosts' lines after the servers'. */
void fleet_print(const cli_opts *o, const fleet *fl);
json_t *fleet_json(const fleet *fl);

/* A self-contained page (no script, no outside resource), failures
 * first, written atomically to path.  0 or -errno. */
int fleet_html(const char *path, const cli_opts *o, const fleet *fl,
    const fleet_server *servers, size_t nservers, const char *file_state);

#endif /* ALPXE_FLEET_H */

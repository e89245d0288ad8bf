/*
 * cli.h - what the alpxe command's files share.
 */

#ifndef ALPXE_CLI_H
#define ALPXE_CLI_H

#include <stdio.h>

#include "admin.h"
#include "alpxe.h"

/* Exit codes, as sysadmins expect them. */
#define CLI_OK      0
#define CLI_FAIL    1       /* invalid config, or nothing to show */
#define CLI_USAGE   2

typedef struct {
    const char  *config;
    int          color_out;     /* stdout is a terminal */
    int          color_err;     /* stderr is a terminal */

    /* log, status, watch: --kea-log, --tftpd-log, --nginx-log (NULL: as
     * [log] says), --stall, and status --html */
    const char  *log_path[3];
    long         stall;
    const char  *html;
} cli_opts;


/* Load the configuration, printing each diagnostic to stderr. */
int cli_load(const cli_opts *o, unsigned flags, alpxe_config **cfg);

/* SGR sequence if colour is on, else "" (admin_color). */
#define cli_color   admin_color

int cli_explain(const cli_opts *o, const char *mac, const char *arch);

/* Every `--arch` value, "bios (default), efi32, ...", in lines indented
 * by `indent` and at most `width` wide, each ending in a newline. */
void cli_explain_archs(char *out, size_t size, int indent, int width);

/* `check --network`: every host's NFS directory, one line each (after
 * cmd_check loaded cfg).  CLI_OK when all are there. */
int cli_check_network(const cli_opts *o, const alpxe_config *cfg);

/* `provision [HOST...]`: create the missing NFS directories. */
int cli_provision(const cli_opts *o, char *const *hosts, int count);

/* `reload [--strict]`: check the file, then reload Kea, in.tftpd and nginx
 * ([reload] says where they are).  CLI_OK unless the file is invalid or a
 * running server refused (--strict: or is not running). */
int cli_reload(const cli_opts *o, int strict);

/* `status [--json] [--html FILE]`: which version of alpxe.conf each
 * server serves, then each host's last boot (status_hosts.c), and the
 * page.  CLI_OK when the file is valid, every running server serves it
 * and the page (if asked for) was written. */
int cli_status(const cli_opts *o, int json);

/* `log MAC [--all] [--json]`: that machine's last boot (or every boot)
 * from the servers' logs.  CLI_OK unless it stopped, failed, was
 * declined or never seen. */
int cli_log(const cli_opts *o, const char *mac, int all, int json);

/* `watch [MAC...] [--json]`: the logs followed, stages printed as they
 * happen, until a signal. */
int cli_watch(const cli_opts *o, char *const *macs, int count, int json);

#endif /* ALPXE_CLI_H */

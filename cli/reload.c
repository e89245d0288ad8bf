/*
 * reload.c - `alpxe reload`: check alpxe.conf, then make every server
 * that reads it take it up, in boot order: Kea (DHCP), in.tftpd (TFTP),
 * nginx (HTTP).  One line per server says what happened.
 *
 * A broken file stops everything before any server is touched.  Each
 * server would refuse it on its own and keep its old configuration, but
 * the admin would get three refusals instead of the one cause, and the
 * servers that read it later (nginx at its next restart) would fail then.
 *
 * [reload] in alpxe.conf says where each server is (Debian's defaults).
 * A server with no socket or pid file is "not running": reported, and a
 * failure only with --strict, since a machine may run only some of them.
 * A running server that refuses or cannot be asked is a failure.
 *
 * A Kea HA pair is reloaded peer by peer ([reload] kea_peer lists them),
 * and then the peers must serve the same version: each reads its own copy
 * of the file, and one left behind answers its share of the machines
 * from another configuration.
 */

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kea_ctrl.h"
#include "reload.h"
#include "status.h"

void
reload_set(reload_result *r, reload_state state, const char *fmt, ...)
{
    va_list ap;

    r->state = state;
    r->note[0] = '\0';
    va_start(ap, fmt);
    vsnprintf(r->text, sizeof(r->text), fmt, ap);
    va_end(ap);
}

/* "NAME: STATE: text; note" or "NAME: not running (text); note", further
 * lines of text indented below. */
static void
print_result(const cli_opts *o, const char *name, const reload_result *r)
{
    static const char *const words[] = {
        [RELOAD_DONE]        = "reloaded",
        [RELOAD_SENT]        = "sent",
        [RELOAD_NOT_RUNNING] = "not running",
        [RELOAD_FAILED]      = "FAILED",
    };
    static const char *const colors[] = {
        [RELOAD_DONE]        = "\033[1;32m",
        [RELOAD_SENT]        = "\033[1;32m",
        [RELOAD_NOT_RUNNING] = "\033[1;33m",
        [RELOAD_FAILED]      = "\033[1;31m",
    };
    const char *p = r->text;
    int         len = (int) strcspn(p, "\n");

    printf("%s: %s%s%s", name, cli_color(o->color_out, colors[r->state]),
           words[r->state], cli_color(o->color_out, "\033[0m"));
    printf(r->state == RELOAD_NOT_RUNNING ? " (%.*s)" : ": %.*s", len, p);
    printf("%s%s\n", r->note[0] != '\0' ? "; " : "", r->note);
    while (p[len] == '\n') {
        p += len + 1;
        len = (int) strcspn(p, "\n");
        printf("    %.*s\n", len, p);
    }
}

/* Whether this result makes the command fail. */
static int
failed(const reload_result *r, int strict)
{
    return r->state == RELOAD_FAILED
        || (strict && r->state == RELOAD_NOT_RUNNING);
}

/* Kea: the one at kea_socket, or every kea_peer; then whether the peers
 * of an HA pair serve the same version. */
static int
reload_keas(const cli_opts *o, const alpxe_config *cfg, int strict)
{
    const char   *sock = alpxe_config_reload_path(cfg, ALPXE_RELOAD_KEA_SOCKET);
    const char   *peers = alpxe_config_reload_path(cfg, ALPXE_RELOAD_KEA_PEERS);
    const char   *p = peers;
    server_state  ks[STATUS_KEA_MAX];
    reload_result r;
    char          endpoint[512], shown[512], label[600], versions[1024];
    size_t        len;
    int           rc = 0, n, i;

    if (peers[0] == '\0') {
        reload_kea(sock, o->config, &r);
        print_result(o, "kea", &r);
        rc |= failed(&r, strict);
        if (r.state != RELOAD_DONE && r.state != RELOAD_SENT) {
            return rc;
        }
    }
    while (*p != '\0') {
        len = strcspn(p, " ");
        snprintf(endpoint, sizeof(endpoint), "%.*s", (int) len, p);
        p += len;
        p += strspn(p, " ");
        reload_kea(endpoint, o->config, &r);
        kea_url_shown(endpoint, shown, sizeof(shown));
        snprintf(label, sizeof(label), "kea %s", shown);
        print_result(o, label, &r);
        rc |= failed(&r, strict);
    }

    n = status_kea(sock, peers, ks, STATUS_KEA_MAX);
    if (status_kea_differ(ks, n, versions, sizeof(versions))) {
        printf("kea: %sFAILED%s: the HA peers serve DIFFERENT versions of "
               "alpxe.conf (%s): give each the same file, then alpxe reload "
               "again\n", cli_color(o->color_out, "\033[1;31m"),
               cli_color(o->color_out, "\033[0m"), versions);
        return 1;
    }
    if (peers[0] == '\0' && n > 1) {
        printf("kea: note: this Kea is one of an HA pair; its partner");
        for (i = 1; i < n; i++) {
            printf(" %s", ks[i].name + 4);
        }
        printf(" was not reloaded: list every peer in [reload] kea_peer\n");
    }
    return rc;
}

int
cli_reload(const cli_opts *o, int strict)
{
    alpxe_config  *cfg;
    reload_result  r;
    int            rc = CLI_OK;

    /* checked as `alpxe check` does: the scripts rendered, not kept */
    if (cli_load(o, 0, &cfg) != 0) {
        fprintf(stderr, "%s: %sinvalid%s: no server was reloaded\n",
                o->config, cli_color(o->color_err, "\033[1;31m"),
                cli_color(o->color_err, "\033[0m"));
        return CLI_FAIL;
    }
    printf("%s: ok: %zu host%s, %zu profile%s, %zu warning%s\n", o->config,
           alpxe_config_host_count(cfg),
           alpxe_config_host_count(cfg) == 1 ? "" : "s",
           alpxe_config_profile_count(cfg),
           alpxe_config_profile_count(cfg) == 1 ? "" : "s",
           alpxe_config_warning_count(cfg),
           alpxe_config_warning_count(cfg) == 1 ? "" : "s");
    fflush(stdout);

    rc |= reload_keas(o, cfg, strict);

    reload_tftpd(o->config,
                 alpxe_config_reload_path(cfg, ALPXE_RELOAD_TFTPD_PID),
                 alpxe_config_reload_path(cfg, ALPXE_RELOAD_REMAP), &r);
    print_result(o, "tftpd", &r);
    rc |= failed(&r, strict);

    reload_nginx(alpxe_config_reload_path(cfg, ALPXE_RELOAD_NGINX_PID), &r);
    print_result(o, "nginx", &r);
    rc |= failed(&r, strict);

    alpxe_config_free(cfg);
    return rc ? CLI_FAIL : CLI_OK;
}

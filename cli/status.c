/*
 * status.c - `alpxe status`: which version of alpxe.conf each server
 * serves, in words.
 *
 * Each server is asked in its own way: Kea through the hook's alpxe-status
 * command, in.tftpd by the header alpxe-remap wrote in its rules file,
 * nginx by the last good copy its master keeps (what it serves whether
 * the file loaded or not).  Every answer is compared with the file as it
 * is now, by SHA-256: the same version, another one (alpxe reload takes
 * the new one up), the last good one (the file does not load), or nothing.
 * The servers of a Kea HA pair are also compared with each other
 * (status_kea.c): two that serve different versions answer a machine
 * differently depending on which one answers it.  Then the hosts' last
 * boots, from the servers' logs (status_hosts.c), and with --html the
 * page of both (status_html.c).
 */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "cli.h"
#include "fleet.h"
#include "kea_ctrl.h"
#include "status.h"

static void
utc(long long t, char *out, size_t size)
{
    time_t    tt = (time_t) t;
    struct tm tm;

    if (t <= 0 || gmtime_r(&tt, &tm) == NULL
        || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
    {
        snprintf(out, size, "?");
    }
}

/* "sha256 <hex>" (or "sha256=<hex>") in the first lines of a file. */
static int
header_sha(const char *path, char sha[65], long long *loaded)
{
    char  line[4600], *p;
    FILE *f;
    int   n, found = 0;

    f = fopen(path, "re");
    if (f == NULL) {
        return -errno;
    }
    for (n = 0; n < 3 && !found && fgets(line, sizeof(line), f) != NULL;
         n++)
    {
        p = strstr(line, "sha256");
        if (p != NULL && (p[6] == ' ' || p[6] == '=')
            && strspn(p + 7, "0123456789abcdef") >= 64)
        {
            memcpy(sha, p + 7, 64);
            sha[64] = '\0';
            found = 1;
        }
        p = strstr(line, "loaded=");
        if (p != NULL && loaded != NULL) {
            *loaded = strtoll(p + 7, NULL, 10);
        }
    }
    fclose(f);
    return found ? 0 : -EINVAL;
}

/* A daemon by its pid file: "in.tftpd 4242" or why not. */
static int
daemon_state(const char *pidfile, const char *comm, char *out, size_t size)
{
    char          err[512];
    pid_t         pid;
    pidfile_state st;

    st = daemon_find(pidfile, comm, &pid, err, sizeof(err));
    if (st != PIDFILE_RUNNING) {
        snprintf(out, size, "%s", err);
        return 0;
    }
    snprintf(out, size, "%s %ld", comm, (long) pid);
    return 1;
}

static void
file_state(char *const *paths, alpxe_reload_path which, const char *comm,
    alpxe_reload_path what, server_state *s)
{
    long long loaded = 0;
    char      proc[1100];

    s->running = daemon_state(paths[which], comm, proc, sizeof(proc));
    if (header_sha(paths[what], s->sha256, &loaded) != 0)
    {
        s->sha256[0] = '\0';
    }
    if (loaded != 0) {
        utc(loaded, s->loaded, sizeof(s->loaded));
    }
    snprintf(s->detail, sizeof(s->detail), "%s", proc);
}

/* What a server serves, against the file's checksum ("" when invalid). */
static const char *
verdict(const server_state *s, const char *file_sha, int *bad)
{
    if (!s->running) {
        return "not running";
    }
    if (s->sha256[0] == '\0') {
        *bad = 1;
        return "serves no version of alpxe.conf";
    }
    if (file_sha[0] != '\0' && strcmp(s->sha256, file_sha) == 0) {
        return "serves the file as it is";
    }
    *bad = 1;
    if (file_sha[0] == '\0' || s->fallback) {
        return "serves the LAST GOOD version: the file does not load";
    }
    return "serves ANOTHER version than the file: alpxe reload takes the file up";
}

static void
json_server(json_t *servers, const server_state *s, const char *v)
{
    json_t *o = json_object();

    json_object_set_new(o, "running", json_boolean(s->running));
    json_object_set_new(o, "sha256", s->sha256[0] != '\0'
                        ? json_string(s->sha256) : json_null());
    json_object_set_new(o, "loaded", s->loaded[0] != '\0'
                        ? json_string(s->loaded) : json_null());
    json_object_set_new(o, "verdict", json_string(v));
    json_object_set_new(o, "detail", json_string(s->detail));
    json_object_set_new(servers, s->name, o);
}

/* The hosts after the servers, and the page; CLI_FAIL when the page
 * cannot be written. */
static int
hosts(const cli_opts *o, const alpxe_config *cfg, const server_state *srv,
    const char *const *verdicts, int n, json_t *root)
{
    fleet_server servers[STATUS_KEA_MAX + 2];
    fleet        fl;
    char         state[200];
    int          i, rc = CLI_OK, wrc;

    if (cfg == NULL) {
        if (root != NULL) {
            json_object_set_new(root, "hosts", json_null());
        } else {
            printf("hosts: not shown: the file does not load\n");
        }
        if (o->html != NULL) {
            fprintf(stderr, "alpxe: %s not written: %s does not load\n",
                    o->html, o->config);
            return CLI_FAIL;
        }
        return CLI_OK;
    }
    if (fleet_read(o, cfg, &fl) != 0) {
        fprintf(stderr, "alpxe: out of memory reading the logs\n");
        fleet_free(&fl);
        return CLI_FAIL;
    }
    if (root != NULL) {
        json_object_set_new(root, "hosts", fleet_json(&fl));
        json_object_set_new(root, "hosts_failing", json_integer(
                            (json_int_t) fl.bad));
    } else {
        fleet_print(o, &fl);
    }
    if (o->html != NULL) {
        for (i = 0; i < n; i++) {
            servers[i].name = srv[i].name;
            servers[i].bad = strcmp(verdicts[i], "serves the file as it is")
                             != 0 && strcmp(verdicts[i], "not running") != 0;
            snprintf(servers[i].text, sizeof(servers[i].text), "%s%s%s",
                     verdicts[i], srv[i].detail[0] != '\0' ? "; " : "",
                     srv[i].detail);
        }
        snprintf(state, sizeof(state), "ok, sha256 %.12s, %zu hosts, %zu "
                 "profiles", alpxe_config_sha256(cfg),
                 alpxe_config_host_count(cfg),
                 alpxe_config_profile_count(cfg));
        wrc = fleet_html(o->html, o, &fl, servers, (size_t) n, state);
        if (wrc != 0) {
            fprintf(stderr, "alpxe: cannot write %s: %s\n", o->html,
                    strerror(-wrc));
            rc = CLI_FAIL;
        } else if (root == NULL) {
            printf("page: %s (%zu hosts, %zu failing)\n", o->html, fl.n,
                   fl.bad);
        }
    }
    fleet_free(&fl);
    return rc;
}

int
cli_status(const cli_opts *o, int json)
{
    alpxe_config *cfg = NULL;
    server_state  srv[STATUS_KEA_MAX + 2];
    const char   *v, *file_sha = "", *verdicts[STATUS_KEA_MAX + 2];
    json_t       *root = NULL, *servers = NULL;
    char         *text = NULL, *paths[ALPXE_RELOAD_COUNT], peers[1024];
    int           bad = 0, i, rc, nkea, n, differ, hrc;

    /* The file's errors go to stderr as `alpxe check` prints them; where
     * the servers are is read from it whether it loads or not. */
    rc = cli_load(o, 0, &cfg);
    if (rc == 0) {
        file_sha = alpxe_config_sha256(cfg);
    }
    if (alpxe_config_reload_paths(o->config, paths) == -ENOMEM) {
        alpxe_config_free(cfg);
        return CLI_FAIL;
    }

    memset(srv, 0, sizeof(srv));
    nkea = status_kea(paths[ALPXE_RELOAD_KEA_SOCKET],
                      paths[ALPXE_RELOAD_KEA_PEERS], srv, STATUS_KEA_MAX);
    differ = status_kea_differ(srv, nkea, peers, sizeof(peers));
    n = nkea;
    srv[n].name = "tftpd";
    file_state(paths, ALPXE_RELOAD_TFTPD_PID, "in.tftpd", ALPXE_RELOAD_REMAP,
               &srv[n++]);
    srv[n].name = "nginx";
    file_state(paths, ALPXE_RELOAD_NGINX_PID, "nginx",
               ALPXE_RELOAD_NGINX_LAST_GOOD, &srv[n++]);
    for (i = 0; i < ALPXE_RELOAD_COUNT; i++) {
        free(paths[i]);
    }

    if (json) {
        root = json_object();
        servers = json_object();
        json_object_set_new(root, "file", json_string(o->config));
        json_object_set_new(root, "valid", json_boolean(rc == 0));
        json_object_set_new(root, "sha256", rc == 0 ? json_string(file_sha)
                                                    : json_null());
        json_object_set_new(root, "servers", servers);
    } else if (rc == 0) {
        printf("%s: ok, sha256 %.12s, %zu host%s, %zu profile%s\n",
               o->config, file_sha, alpxe_config_host_count(cfg),
               alpxe_config_host_count(cfg) == 1 ? "" : "s",
               alpxe_config_profile_count(cfg),
               alpxe_config_profile_count(cfg) == 1 ? "" : "s");
    } else {
        printf("%s: %sINVALID%s (the errors above)\n", o->config,
               cli_color(o->color_out, "\033[1;31m"),
               cli_color(o->color_out, "\033[0m"));
    }

    for (i = 0; i < n; i++) {
        v = verdict(&srv[i], file_sha, &bad);
        verdicts[i] = v;
        if (json) {
            json_server(servers, &srv[i], v);
            continue;
        }
        printf("%-*s %s", nkea > 1 ? 12 : 6, srv[i].name, v);
        if (srv[i].sha256[0] != '\0') {
            printf(" (sha256 %.12s%s%s)", srv[i].sha256,
                   srv[i].loaded[0] != '\0' ? ", loaded " : "",
                   srv[i].loaded);
        }
        printf("%s%s\n", srv[i].detail[0] != '\0' ? "; " : "",
               srv[i].detail);
    }

    /* Whatever the file says: the peers of a pair must agree. */
    if (differ) {
        bad = 1;
        if (!json) {
            printf("%sWARNING: the Kea HA peers serve DIFFERENT versions of "
                   "alpxe.conf%s (%s): a machine's boot answer depends on "
                   "which server answers it; give every peer the same file "
                   "and alpxe reload them all ([reload] kea_peer lists "
                   "them)\n", cli_color(o->color_out, "\033[1;31m"),
                   cli_color(o->color_out, "\033[0m"), peers);
        }
    }

    fflush(stdout);
    hrc = hosts(o, rc == 0 ? cfg : NULL, srv, verdicts, n, json ? root : NULL);

    if (json) {
        if (nkea > 1) {
            json_t *ha = json_object();

            json_object_set_new(ha, "peers", json_integer(nkea));
            json_object_set_new(ha, "same", json_boolean(!differ));
            json_object_set_new(root, "ha", ha);
        }
        json_object_set_new(root, "ok", json_boolean(rc == 0 && !bad));
        text = json_dumps(root, JSON_INDENT(2) | JSON_SORT_KEYS);
        if (text != NULL) {
            printf("%s\n", text);
        }
        free(text);
        json_decref(root);
    }
    alpxe_config_free(cfg);
    return rc == 0 && !bad && hrc == CLI_OK ? CLI_OK : CLI_FAIL;
}

/*
 * alpxe.c - the alpxe command: check a configuration, explain what a machine
 * gets at each boot stage, render its script, provision NFS directories,
 * reload the servers, say what they serve and how each machine's last
 * boot went (status, log, watch).
 * The answers come from the same core functions the Kea hook, the nginx
 * module and alpxe-remap call.
 */

#include <errno.h>
#include <getopt.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cli.h"

/* %s: the list of --arch values (cli_explain_archs). */
static const char usage_text[] =
    "Usage: alpxe [-c FILE] COMMAND [ARGS]\n"
    "\n"
    "Commands:\n"
    "  check [--network]     validate the configuration (exit 0 or 1);\n"
    "                        --network also mounts each host's NFS\n"
    "                        directory (nfs = nfs://SERVER/PATH) with\n"
    "                        libnfs and says per host whether it is there\n"
    "  explain MAC [--arch ARCH]\n"
    "                        what MAC gets at each boot stage: DHCP, TFTP,\n"
    "                        iPXE, script; ARCH is one of\n"
    "%s"
    "  render MAC [DOCUMENT] [--profile NAME]\n"
    "                        print what nginx serves MAC: its iPXE script\n"
    "                        (gpxe-script), or DOCUMENT: meta-data,\n"
    "                        user-data, vendor-data, network-config\n"
    "                        (metadata = yes); --profile: for a menu's\n"
    "                        choice of profile NAME\n"
    "  provision [HOST...]   create the missing NFS directories of the\n"
    "                        named hosts (default: all) with nfs_mode,\n"
    "                        nfs_uid and nfs_gid; existing ones are left\n"
    "                        as they are\n"
    "  reload [--strict]     check the configuration, then make Kea,\n"
    "                        in.tftpd and nginx take it up ([reload] says\n"
    "                        where they are); one line per server; a\n"
    "                        server not running is skipped (--strict: an\n"
    "                        error); a broken file reloads nothing\n"
    "  status [--json] [--html FILE]\n"
    "                        which version of the configuration Kea,\n"
    "                        in.tftpd and nginx serve: the file as it is,\n"
    "                        another one, the last good one, or none;\n"
    "                        then each host's last boot, from the logs;\n"
    "                        --html also writes a page of it all\n"
    "  log MAC [--all]       that machine's last boot (--all: every boot)\n"
    "                        from Kea's, in.tftpd's and nginx's logs: each\n"
    "                        stage with its time, where it stopped and why\n"
    "  watch [MAC...]        follow the logs and print each boot's stages\n"
    "                        as they happen (Ctrl-C stops)\n"
    "\n"
    "Options:\n"
    "  -c, --config FILE     configuration file (default "
    ALPXE_DEFAULT_CONFIG ")\n"
    "  --json                status, log, watch: JSON (watch: a line each)\n"
    "  --kea-log FILE, --tftpd-log FILE, --nginx-log FILE\n"
    "                        log, status, watch: read this log (a file, or\n"
    "                        \"journal\") instead of what [log] says\n"
    "  --stall SECONDS       log, status, watch: a boot silent that long has\n"
    "                        stopped (default 60); before, it is under way\n"
    "  -h, --help            show this help\n"
    "  -V, --version         show the version\n"
    "\n"
    "Exit status: 0 success, 1 invalid configuration, nothing to show,\n"
    "an NFS directory missing or unreachable, or a server that refused to\n"
    "reload, 2 usage error.\n";

static void
usage(FILE *f)
{
    char archs[512];

    cli_explain_archs(archs, sizeof(archs), 24, 72);
    fprintf(f, usage_text, archs);
}

int
cli_load(const cli_opts *o, unsigned flags, alpxe_config **cfg)
{
    admin_diag d = { NULL, o->color_err };

    return admin_load(o->config, flags, &d, cfg);
}

/* Loaders in.tftpd cannot serve: PXE clients would fail on them. */
static size_t
check_tftp_root(const cli_opts *o, const alpxe_config *cfg)
{
    const char  *root = alpxe_tftp_root(cfg), *name;
    const char  *warn = cli_color(o->color_err, "\033[1;33m");
    const char  *off = cli_color(o->color_err, "\033[0m");
    char         why[4200];
    struct stat  st;
    size_t       i, missing = 0;

    if (stat(root, &st) != 0 || !S_ISDIR(st.st_mode)) {
        fprintf(stderr, "%s: %swarning:%s TFTP root %s: %s; loaders not "
                "checked (set [tftp] root)\n", o->config, warn, off, root,
                stat(root, &st) != 0 ? strerror(errno) : "not a directory");
        return 1;
    }
    for (i = 0; i < alpxe_tftp_loader_count(cfg); i++) {
        name = alpxe_tftp_loader(cfg, i);
        switch (loader_servable(root, name, why, sizeof(why))) {
        case 0:
            continue;
        case -ENOENT:
            fprintf(stderr, "%s: %swarning:%s loader %s is missing from the "
                    "TFTP root %s (alpxe-remap --install-loaders %s)\n",
                    o->config, warn, off, name, root, root);
            break;
        default:
            fprintf(stderr, "%s: %swarning:%s loader %s: in.tftpd will "
                    "refuse it: %s\n", o->config, warn, off, name, why);
            break;
        }
        missing++;
    }
    return missing;
}

static int
cmd_check(const cli_opts *o, int network)
{
    alpxe_config *cfg;
    size_t        warnings;
    int           rc = CLI_OK;

    /* every check the servers make: the scripts are rendered to be
     * checked, one MAC per host (each MAC is as long), not kept */
    if (cli_load(o, 0, &cfg) != 0) {
        fprintf(stderr, "%s: %sinvalid%s\n", o->config,
                cli_color(o->color_err, "\033[1;31m"),
                cli_color(o->color_err, "\033[0m"));
        return CLI_FAIL;
    }
    warnings = alpxe_config_warning_count(cfg) + check_tftp_root(o, cfg);
    printf("%s: %sok%s: %zu host%s, %zu profile%s, %zu warning%s, loaded "
           "in %llu.%llu ms\n", o->config,
           cli_color(o->color_out, "\033[1;32m"),
           cli_color(o->color_out, "\033[0m"),
           alpxe_config_host_count(cfg),
           alpxe_config_host_count(cfg) == 1 ? "" : "s",
           alpxe_config_profile_count(cfg),
           alpxe_config_profile_count(cfg) == 1 ? "" : "s",
           warnings, warnings == 1 ? "" : "s",
           alpxe_config_load_us(cfg) / 1000,
           alpxe_config_load_us(cfg) % 1000 / 100);
    if (network) {
        fflush(stdout);
        rc = cli_check_network(o, cfg);
    }
    alpxe_config_free(cfg);
    return rc;
}

/* A document's name ("gpxe-script", "meta-data", ...), or -1. */
static int
doc_by_name(const char *name)
{
    int d;

    for (d = 0; d < ALPXE_DOC_COUNT; d++) {
        if (strcmp(name, alpxe_doc_name((alpxe_doc) d)) == 0) {
            return d;
        }
    }
    return -1;
}

/* `render MAC [DOCUMENT] [--profile NAME]`: the bytes nginx serves for
 * ${http}/MAC/DOCUMENT (a menu's choice: ?profile=NAME, or MAC/NAME/). */
static int
cmd_render(const cli_opts *o, const char *arg, const char *docname,
    const char *profile)
{
    alpxe_config  *cfg;
    alpxe_request  req;
    alpxe_script   s;
    char          *buf;
    int            rc = CLI_FAIL, doc = ALPXE_DOC_SCRIPT;

    memset(&req, 0, sizeof(req));
    if (alpxe_mac_parse(arg, strlen(arg), &req.mac) != 0) {
        fprintf(stderr, "alpxe: '%s' is not a MAC address\n", arg);
        return CLI_USAGE;
    }
    if (docname != NULL && (doc = doc_by_name(docname)) < 0) {
        fprintf(stderr, "alpxe: '%s' is none of gpxe-script, meta-data, "
                "user-data, vendor-data, network-config\n", docname);
        return CLI_USAGE;
    }
    if (profile != NULL && (strlen(profile) >= sizeof(req.profile)
                            || profile[0] == '\0'))
    {
        fprintf(stderr, "alpxe: '%s' is not a profile name\n", profile);
        return CLI_USAGE;
    }
    req.have_mac = 1;
    req.doc = (alpxe_doc) doc;
    if (profile != NULL) {
        memcpy(req.profile, profile, strlen(profile) + 1);
    }
    buf = malloc(ALPXE_DOC_MAX);
    if (buf == NULL) {
        fprintf(stderr, "alpxe: out of memory\n");
        return CLI_FAIL;
    }
    if (cli_load(o, 0, &cfg) != 0) {
        free(buf);
        return CLI_FAIL;
    }
    if (alpxe_answer(cfg, &req, buf, ALPXE_DOC_MAX, &s) != 0) {
        fprintf(stderr, "alpxe: %s: %s too long\n", arg,
                alpxe_doc_name(req.doc));
    } else if (s.text == NULL) {
        fprintf(stderr, "alpxe: %s gets no %s%s%s (%s)\n", arg,
                req.doc == ALPXE_DOC_SCRIPT ? "script"
                                            : alpxe_doc_name(req.doc),
                profile != NULL ? " for " : "",
                profile != NULL ? profile : "", s.machine.reason);
    } else {
        fwrite(s.text, 1, s.len, stdout);
        rc = fflush(stdout) == 0 ? CLI_OK : CLI_FAIL;
    }
    alpxe_config_free(cfg);
    free(buf);
    return rc;
}

static int
usage_error(const char *fmt, const char *arg)
{
    fprintf(stderr, "alpxe: ");
    fprintf(stderr, fmt, arg);
    fprintf(stderr, "\nTry 'alpxe --help'.\n");
    return CLI_USAGE;
}

int
main(int argc, char **argv)
{
    static const struct option longopts[] = {
        { "config",  required_argument, NULL, 'c' },
        { "arch",    required_argument, NULL, 'a' },
        { "network", no_argument,       NULL, 'n' },
        { "strict",  no_argument,       NULL, 's' },
        { "json",    no_argument,       NULL, 'j' },
        { "profile", required_argument, NULL, 'p' },
        { "all",     no_argument,       NULL, 'A' },
        { "html",    required_argument, NULL, 'H' },
        { "kea-log", required_argument, NULL, 'K' },
        { "tftpd-log", required_argument, NULL, 'T' },
        { "nginx-log", required_argument, NULL, 'N' },
        { "stall",   required_argument, NULL, 'S' },
        { "help",    no_argument,       NULL, 'h' },
        { "version", no_argument,       NULL, 'V' },
        { NULL, 0, NULL, 0 }
    };
    cli_opts    o;
    const char *arch = NULL, *profile = NULL, *cmd;
    int         c, network = 0, strict = 0, json = 0, all = 0, logs = 0;
    char       *end;

    memset(&o, 0, sizeof(o));
    o.stall = 60;
    o.config = ALPXE_DEFAULT_CONFIG;
    o.color_out = isatty(STDOUT_FILENO) && getenv("NO_COLOR") == NULL;
    o.color_err = isatty(STDERR_FILENO) && getenv("NO_COLOR") == NULL;

    while ((c = getopt_long(argc, argv, "c:hV", longopts, NULL)) != -1) {
        switch (c) {
        case 'c':
            o.config = optarg;
            break;
        case 'a':
            arch = optarg;
            break;
        case 'n':
            network = 1;
            break;
        case 's':
            strict = 1;
            break;
        case 'j':
            json = 1;
            break;
        case 'p':
            profile = optarg;
            break;
        case 'A':
            all = 1;
            break;
        case 'H':
            o.html = optarg;
            break;
        case 'K':
        case 'T':
        case 'N':
            o.log_path[c == 'K' ? 0 : c == 'T' ? 1 : 2] = optarg;
            logs = 1;
            break;
        case 'S':
            errno = 0;
            o.stall = strtol(optarg, &end, 10);
            if (errno != 0 || *end != '\0' || end == optarg || o.stall < 0
                || o.stall > 315360000)
            {
                return usage_error("--stall takes seconds (0 to 315360000), not "
                                   "'%s'", optarg);
            }
            logs = 1;
            break;
        case 'h':
            usage(stdout);
            return CLI_OK;
        case 'V':
            printf("alpxe %s\n", ALPXE_VERSION);
            return CLI_OK;
        default:
            fprintf(stderr, "Try 'alpxe --help'.\n");
            return CLI_USAGE;
        }
    }

    if (optind >= argc) {
        return usage_error("%s", "no command given");
    }
    cmd = argv[optind++];
    if (network && strcmp(cmd, "check") != 0) {
        return usage_error("--network goes with check only%s", "");
    }
    if (strict && strcmp(cmd, "reload") != 0) {
        return usage_error("--strict goes with reload only%s", "");
    }
    if (json && strcmp(cmd, "status") != 0 && strcmp(cmd, "log") != 0
        && strcmp(cmd, "watch") != 0)
    {
        return usage_error("--json goes with status, log and watch only%s",
                           "");
    }
    if (logs && strcmp(cmd, "status") != 0 && strcmp(cmd, "log") != 0
        && strcmp(cmd, "watch") != 0)
    {
        return usage_error("--kea-log, --tftpd-log, --nginx-log and --stall "
                           "go with status, log and watch only%s", "");
    }
    if (all && strcmp(cmd, "log") != 0) {
        return usage_error("--all goes with log only%s", "");
    }
    if (o.html != NULL && strcmp(cmd, "status") != 0) {
        return usage_error("--html goes with status only%s", "");
    }
    if (profile != NULL && strcmp(cmd, "render") != 0) {
        return usage_error("--profile goes with render only%s", "");
    }

    if (strcmp(cmd, "check") == 0) {
        if (optind != argc || arch != NULL) {
            return usage_error("check takes no arguments%s", "");
        }
        return cmd_check(&o, network);
    }
    if (strcmp(cmd, "provision") == 0) {
        if (arch != NULL) {
            return usage_error("usage: alpxe provision [-c FILE] "
                               "[HOST...]%s", "");
        }
        return cli_provision(&o, argv + optind, argc - optind);
    }
    if (strcmp(cmd, "render") == 0) {
        if (argc - optind < 1 || argc - optind > 2 || arch != NULL) {
            return usage_error("usage: alpxe render [-c FILE] MAC "
                               "[DOCUMENT] [--profile NAME]%s", "");
        }
        return cmd_render(&o, argv[optind],
                          argc - optind == 2 ? argv[optind + 1] : NULL,
                          profile);
    }
    if (strcmp(cmd, "explain") == 0) {
        if (argc - optind != 1) {
            return usage_error("usage: alpxe explain [-c FILE] MAC "
                               "[--arch ARCH]%s", "");
        }
        return cli_explain(&o, argv[optind], arch != NULL ? arch : "bios");
    }
    if (strcmp(cmd, "reload") == 0) {
        if (optind != argc || arch != NULL) {
            return usage_error("usage: alpxe reload [-c FILE] "
                               "[--strict]%s", "");
        }
        return cli_reload(&o, strict);
    }
    if (strcmp(cmd, "status") == 0) {
        if (optind != argc || arch != NULL) {
            return usage_error("usage: alpxe status [-c FILE] [--json] "
                               "[--html FILE]%s",
                               "");
        }
        return cli_status(&o, json);
    }
    if (strcmp(cmd, "log") == 0) {
        if (argc - optind != 1 || arch != NULL) {
            return usage_error("usage: alpxe log [-c FILE] MAC [--all] "
                               "[--json]%s", "");
        }
        return cli_log(&o, argv[optind], all, json);
    }
    if (strcmp(cmd, "watch") == 0) {
        if (arch != NULL) {
            return usage_error("usage: alpxe watch [-c FILE] [MAC...] "
                               "[--json]%s", "");
        }
        return cli_watch(&o, argv + optind, argc - optind, json);
    }
    if (strcmp(cmd, "help") == 0) {
        usage(stdout);
        return CLI_OK;
    }
    return usage_error("unknown command '%s'", cmd);
}

/*
 * main.c - alpxe-remap: the command line of the tftpd-hpa helper.
 *
 *   alpxe-remap [-c FILE] [-o OUT] [--reload PIDFILE]
 *   alpxe-remap --test [-c FILE | -m RULES] [--ip ADDR] [-v] NAME
 *   alpxe-remap --install-loaders DIR [-c FILE] [-v]
 *   alpxe-remap --reload PIDFILE
 *
 * Exit status: 0 done, 1 failed (or, for --test, the request is refused),
 * 2 usage error.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>

#include "alpxe.h"
#include "engine.h"
#include "admin.h"
#include "loaders.h"
#include "rules.h"
#include "sbuf.h"
#include "tftpd.h"

#define EXIT_USAGE  2

enum {
    OPT_TEST = 256,
    OPT_IP,
    OPT_INSTALL,
    OPT_RELOAD
};

typedef struct {
    const char *config;
    const char *output;         /* NULL: stdout when nothing else to do */
    const char *rules;          /* --test: an existing rules file */
    const char *ip;
    const char *install_dir;
    const char *pidfile;
    const char *name;           /* --test NAME */
    int         test;
    int         verbose;
} options;

static const struct option long_options[] = {
    { "config",          required_argument, NULL, 'c' },
    { "output",          required_argument, NULL, 'o' },
    { "rules",           required_argument, NULL, 'm' },
    { "test",            no_argument,       NULL, OPT_TEST },
    { "ip",              required_argument, NULL, OPT_IP },
    { "install-loaders", required_argument, NULL, OPT_INSTALL },
    { "reload",          required_argument, NULL, OPT_RELOAD },
    { "verbose",         no_argument,       NULL, 'v' },
    { "help",            no_argument,       NULL, 'h' },
    { "version",         no_argument,       NULL, 'V' },
    { NULL, 0, NULL, 0 }
};

static void
usage(FILE *f)
{
    fprintf(f,
        "usage: alpxe-remap [-c FILE] [-o OUT] [--reload PIDFILE]\n"
        "       alpxe-remap --test [-c FILE | -m RULES] [--ip ADDR] [-v] "
        "NAME\n"
        "       alpxe-remap --install-loaders DIR [-c FILE] [-v]\n"
        "       alpxe-remap --reload PIDFILE\n"
        "\n"
        "Turns alpxe.conf into tftpd-hpa remap rules (in.tftpd --secure "
        "-m OUT).\n"
        "  -c, --config FILE        configuration (default %s)\n"
        "  -o, --output OUT         write the rules to OUT atomically "
        "(default: stdout)\n"
        "      --test NAME          print the file in.tftpd serves for a "
        "read of NAME\n"
        "  -m, --rules RULES        with --test: use this rules file, not "
        "the config\n"
        "      --ip ADDR            with --test: client address for \\i "
        "and \\x\n"
        "      --install-loaders DIR  copy the configured loaders into DIR\n"
        "      --reload PIDFILE     make that in.tftpd re-read its rules "
        "(SIGHUP)\n"
        "  -v, --verbose            say more (--test: trace the rules)\n",
        ALPXE_DEFAULT_CONFIG);
}

static int
load_config(const char *path, alpxe_config **cfg)
{
    admin_diag d = { "alpxe-remap", 0 };
    int        rc;

    rc = admin_load(path, 0, &d, cfg);
    if (rc == -EINVAL) {
        fprintf(stderr, "alpxe-remap: %s: configuration has errors\n", path);
    }
    return rc;
}

typedef struct {
    const char *file;
} rules_ctx;

static void
rules_diag(void *ctx, unsigned line, const char *text)
{
    const rules_ctx *rc = ctx;

    fprintf(stderr, "alpxe-remap: %s:%u: %s\n", rc->file, line, text);
}

/* Generate cfg's rules and check them the way in.tftpd will read them. */
static int
generate(const alpxe_config *cfg, sbuf *text, remap_rules **rules)
{
    rules_ctx   ctx = { "generated rules" };
    char        err[512];
    int         rc;

    rc = remap_rules_generate(cfg, text, err, sizeof(err));
    if (rc != 0) {
        fprintf(stderr, "alpxe-remap: %s\n", err);
        return rc;
    }
    rc = remap_parse(text->p, text->len, rules_diag, &ctx, rules);
    if (rc != 0) {
        fprintf(stderr, "alpxe-remap: refusing to write rules in.tftpd "
            "would not load\n");
    }
    return rc;
}

static int
parse_ip(const char *s, remap_client *client)
{
    memset(client, 0, sizeof(*client));
    client->family = AF_INET;
    if (s == NULL) {
        return 0;                   /* 0.0.0.0 */
    }
    if (inet_pton(AF_INET, s, client->addr) == 1) {
        return 0;
    }
    client->family = AF_INET6;
    if (inet_pton(AF_INET6, s, client->addr) == 1) {
        return 0;
    }
    return -EINVAL;
}

static void
trace_rule(void *ctx, unsigned line, const char *event, const char *current)
{
    const rules_ctx *rc = ctx;

    fprintf(stderr, "%s:%u: %s: %s\n", rc->file, line, event, current);
}

/* Say whether in.tftpd --secure would serve the file under root. */
static void
note_served(const char *root, const char *name)
{
    char why[PATH_MAX + 64];

    switch (loader_servable(root, name, why, sizeof(why))) {
    case 0:
        fprintf(stderr, "served from %s\n", why);
        break;
    case -ENOENT:
        fprintf(stderr, "%s: in.tftpd answers \"File not found\"\n", why);
        break;
    default:
        fprintf(stderr, "%s: in.tftpd refuses it\n", why);
        break;
    }
}

static int
cmd_test(const options *o)
{
    alpxe_config   *cfg = NULL;
    remap_rules    *rules = NULL;
    remap_client    client;
    remap_result    res;
    rules_ctx       ctx;
    sbuf            text = SBUF_INIT;
    char           *data;
    size_t          len;
    int             rc, status = 1;

    if (parse_ip(o->ip, &client) != 0) {
        fprintf(stderr, "alpxe-remap: --ip %s: not an IP address\n", o->ip);
        return EXIT_USAGE;
    }
    if (o->rules != NULL) {
        ctx.file = o->rules;
        rc = fs_read_file(o->rules, &data, &len);
        if (rc != 0) {
            fprintf(stderr, "alpxe-remap: %s: %s\n", o->rules,
                    fs_strerror(rc));
            return 1;
        }
        rc = remap_parse(data, len, rules_diag, &ctx, &rules);
        free(data);
        if (rc != 0) {
            fprintf(stderr, "alpxe-remap: %s: in.tftpd would not start "
                "with this file\n", o->rules);
            return 1;
        }
    } else {
        ctx.file = "generated rules";
        if (load_config(o->config, &cfg) != 0) {
            return 1;
        }
        if (generate(cfg, &text, &rules) != 0) {
            goto out;
        }
    }

    rc = remap_apply(rules, o->name, 'G', &client,
        o->verbose ? trace_rule : NULL, &ctx, &res);
    if (rc != 0) {
        fprintf(stderr, "alpxe-remap: %s\n", strerror(-rc));
        goto out;
    }
    if (res.status == REMAP_MAPPED) {
        printf("%s\n", res.name);
        status = 0;
        if (o->verbose && cfg != NULL) {
            note_served(alpxe_tftp_root(cfg), res.name);
        }
    } else if (res.line != 0) {
        fprintf(stderr, "alpxe-remap: \"%s\": refused by %s:%u: %s\n",
            o->name, ctx.file, res.line, res.message);
    } else {
        fprintf(stderr, "alpxe-remap: \"%s\": refused: %s\n", o->name,
            res.message);
    }
    if (o->verbose) {
        fprintf(stderr, "%u rule visits (in.tftpd allows %d)\n", res.visits,
            REMAP_MAX_VISITS);
    }
    remap_result_free(&res);

out:
    remap_free(rules);
    sbuf_free(&text);
    alpxe_config_free(cfg);
    return status;
}

static int
write_rules(const alpxe_config *cfg, const char *output, int verbose)
{
    remap_rules    *rules = NULL;
    sbuf            text = SBUF_INIT;
    int             rc;

    rc = generate(cfg, &text, &rules);
    if (rc != 0) {
        goto out;
    }
    if (output == NULL || strcmp(output, "-") == 0) {
        if (fwrite(text.p, 1, text.len, stdout) != text.len
            || fflush(stdout) != 0)
        {
            rc = -EIO;
            fprintf(stderr, "alpxe-remap: writing stdout failed\n");
        }
        goto out;
    }
    rc = fs_write_atomic(output, text.p, text.len, 0644);
    if (rc != 0) {
        fprintf(stderr, "alpxe-remap: %s: %s\n", output, strerror(-rc));
    } else if (verbose) {
        fprintf(stderr, "alpxe-remap: wrote %zu rules to %s\n",
            remap_rule_count(rules), output);
    }

out:
    remap_free(rules);
    sbuf_free(&text);
    return rc;
}

static int
cmd_main(const options *o)
{
    alpxe_config   *cfg = NULL;
    loaders_report  rep;
    char            err[PATH_MAX + 256];
    int             need_config, failed = 0, rc;

    need_config = o->install_dir != NULL || o->output != NULL
        || o->pidfile == NULL;
    if (need_config && load_config(o->config, &cfg) != 0) {
        return 1;
    }

    if (o->install_dir != NULL) {
        rc = loaders_install(cfg, o->install_dir, o->verbose, &rep);
        if (rc == -ENOENT && rep.missing != 0) {
            fprintf(stderr, "alpxe-remap: %u loader%s missing from %s\n",
                rep.missing, rep.missing == 1 ? "" : "s",
                alpxe_tftp_source(cfg));
        } else if (rc != 0 && rep.failed == 0) {
            fprintf(stderr, "alpxe-remap: %s: %s\n", o->install_dir,
                strerror(-rc));
        }
        failed |= rc != 0;
    }
    if (o->output != NULL || (o->install_dir == NULL && o->pidfile == NULL)) {
        failed |= write_rules(cfg, o->output, o->verbose) != 0;
    }
    if (o->pidfile != NULL && !failed) {
        rc = tftpd_reread_rules(o->pidfile, err, sizeof(err));
        if (rc != 0) {
            fprintf(stderr, "alpxe-remap: not reloading: %s\n", err);
        } else if (o->verbose) {
            fprintf(stderr, "alpxe-remap: sent SIGHUP to in.tftpd\n");
        }
        failed |= rc != 0;
    }
    alpxe_config_free(cfg);
    return failed ? 1 : 0;
}

int
main(int argc, char **argv)
{
    options o;
    int     c;

    memset(&o, 0, sizeof(o));
    o.config = ALPXE_DEFAULT_CONFIG;
    while ((c = getopt_long(argc, argv, "c:o:m:vhV", long_options, NULL))
           != -1)
    {
        switch (c) {
        case 'c':
            o.config = optarg;
            break;
        case 'o':
            o.output = optarg;
            break;
        case 'm':
            o.rules = optarg;
            break;
        case 'v':
            o.verbose = 1;
            break;
        case OPT_TEST:
            o.test = 1;
            break;
        case OPT_IP:
            o.ip = optarg;
            break;
        case OPT_INSTALL:
            o.install_dir = optarg;
            break;
        case OPT_RELOAD:
            o.pidfile = optarg;
            break;
        case 'h':
            usage(stdout);
            return 0;
        case 'V':
            printf("alpxe-remap %s\n", ALPXE_VERSION);
            return 0;
        default:
            usage(stderr);
            return EXIT_USAGE;
        }
    }

    if (o.test) {
        if (optind != argc - 1 || o.output != NULL || o.install_dir != NULL
            || o.pidfile != NULL)
        {
            fprintf(stderr, "alpxe-remap: --test takes one NAME and no "
                "-o, --install-loaders or --reload\n");
            return EXIT_USAGE;
        }
        o.name = argv[optind];
        return cmd_test(&o);
    }
    if (optind != argc || o.rules != NULL || o.ip != NULL) {
        fprintf(stderr, "alpxe-remap: -m, --ip and a NAME go with --test\n");
        usage(stderr);
        return EXIT_USAGE;
    }
    return cmd_main(&o);
}

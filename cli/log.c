/*
 * log.c - `alpxe log MAC`: that machine's last boot (or every boot, --all)
 * as the servers recorded it: each stage with its time, and where it
 * stopped, in words.
 */

#include <stdlib.h>
#include <string.h>

#include "bootview.h"
#include "cli.h"

/* "host pc1 (alpxe.conf:44), profile lts, boot = netboot" */
static void
print_machine(const cli_opts *o, const alpxe_config *cfg,
    const alpxe_mac *mac, const blog_plan *p, const bview_style *st)
{
    alpxe_machine m;
    char          text[ALPXE_MAC_STR];

    alpxe_mac_format(mac, ':', text);
    printf("%s%s%s: ", st->bold, text, st->off);
    if (cfg == NULL) {
        printf("(alpxe.conf did not load: stages named without its URLs)\n");
        return;
    }
    alpxe_machine_for(cfg, mac, &m);
    if (m.host != NULL) {
        printf("host %s (%s:%u)", alpxe_host_name(m.host), o->config,
               alpxe_host_line(m.host));
    } else {
        printf("in no [host]");
    }
    if (p->profile[0] != '\0') {
        printf(", profile %s", p->profile);
    }
    printf(" (%s)\n", m.reason);
}

static void
print_boot(const blog_boot *b, const blog_verdict *v, const bview_style *st,
    unsigned long number, unsigned long total)
{
    char t[40];

    blog_time_format(b->start_ms, 1, 1, t, sizeof(t));
    printf("boot %lu of %lu, %s", number, total, t);
    if (b->ip[0] != '\0') {
        printf(", from %s", b->ip);
    }
    if (b->arch[0] != '\0') {
        printf(", arch %s", b->arch);
    }
    printf("\n");
    bview_print_stages(stdout, st, b, v);
    bview_print_verdict(stdout, st, v);
}

int
cli_log(const cli_opts *o, const char *arg, int all, int json)
{
    alpxe_config       *cfg = NULL;
    blog_tracker       *t;
    const blog_machine *m;
    const blog_boot    *b;
    blog_plan          *plan;
    blog_paths          paths, opt;
    blog_sources        src;
    blog_verdict        v;
    bview_style         st;
    alpxe_mac           mac;
    json_t             *root = NULL, *boots = NULL;
    char                text[ALPXE_MAC_STR], *dump;
    size_t              i, first, n;
    long long           now = blog_now_ms();
    long                stall = o->stall;
    int                 rc = CLI_OK, k;

    for (k = 0; k < BLOG_SRC_COUNT; k++) {
        opt.path[k] = o->log_path[k];
    }
    if (alpxe_mac_parse(arg, strlen(arg), &mac) != 0) {
        fprintf(stderr, "alpxe: '%s' is not a MAC address\n", arg);
        return CLI_USAGE;
    }
    if (cli_load(o, 0, &cfg) != 0) {
        fprintf(stderr, "alpxe: %s does not load: the boot is read without "
                "its hosts and URLs\n", o->config);
        cfg = NULL;
    }
    plan = malloc(sizeof(*plan));
    t = blog_tracker_new(cfg, all, &mac);
    if (plan == NULL || t == NULL) {
        free(plan);
        blog_tracker_free(t);
        alpxe_config_free(cfg);
        return CLI_FAIL;
    }
    blog_plan_for(cfg, &mac, plan);
    blog_paths_from(cfg, &opt, &paths);
    if (blog_read_all(&paths, t, &src) != 0) {
        fprintf(stderr, "alpxe: out of memory reading the logs\n");
        rc = CLI_FAIL;
        goto out;
    }
    if (blog_tracker_alpxe_lines(t) == 0 && src.readable[BLOG_SRC_KEA]) {
        fprintf(stderr, "alpxe: Kea's log (%s) has no line of alpxe's hook: "
                "is libdhcp_alpxe.so loaded, and the kea-dhcp4.alpxe logger "
                "at INFO?\n", src.name[BLOG_SRC_KEA]);
    }
    m = blog_tracker_find(t, &mac);
    if (m != NULL) {
        *plan = *blog_machine_plan(m);  /* a menu's pick included */
    }
    n = m != NULL ? blog_machine_boots(m) : 0;
    first = all || n == 0 ? 0 : n - 1;
    bview_style_init(o, &st);
    alpxe_mac_format(&mac, ':', text);

    if (json) {
        root = json_object();
        boots = json_array();
        json_object_set_new(root, "mac", json_string(text));
        json_object_set_new(root, "host", plan->known
                            ? json_string(plan->host) : json_null());
        json_object_set_new(root, "profile", plan->profile[0]
                            ? json_string(plan->profile) : json_null());
        json_object_set_new(root, "boots_seen", json_integer(
                            m != NULL ? (json_int_t) blog_machine_boot_total(m)
                            : 0));
        json_object_set_new(root, "logs", bview_sources_json(&src));
        json_object_set_new(root, "boots", boots);
    } else {
        print_machine(o, cfg, &mac, plan, &st);
    }
    if (n == 0) {
        blog_diagnose(plan, NULL, &src, now, stall, &v);
        if (json) {
            json_array_append_new(boots, bview_boot_json(NULL, &v));
        } else {
            bview_print_verdict(stdout, &st, &v);
        }
        rc = CLI_FAIL;
    }
    for (i = first; i < n; i++) {
        b = blog_machine_boot(m, i);
        blog_diagnose(plan, b, &src, now, stall, &v);
        if (json) {
            json_array_append_new(boots, bview_boot_json(b, &v));
        } else {
            if (i > first) {
                printf("\n");
            }
            print_boot(b, &v, &st, blog_machine_boot_total(m) - (n - 1 - i),
                       blog_machine_boot_total(m));
        }
        if (i == n - 1) {
            rc = blog_outcome_bad(v.outcome) ? CLI_FAIL : CLI_OK;
        }
    }
    if (json) {
        dump = json_dumps(root, JSON_INDENT(2));
        if (dump != NULL) {
            printf("%s\n", dump);
        }
        free(dump);
        json_decref(root);
    }
out:
    blog_tracker_free(t);
    free(plan);
    alpxe_config_free(cfg);
    return rc;
}

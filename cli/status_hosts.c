/*
 * status_hosts.c - the hosts of `alpxe status`: one line per [host] with
 * the last stage its last boot reached, when, and from which address;
 * then the machines alpxe answered (or declined) that are in no [host].
 * A host with several MACs shows the one that booted last.
 */

#include <stdlib.h>
#include <string.h>

#include "bootview.h"
#include "fleet.h"

static int
add(fleet *fl, size_t *cap, fleet_entry **out)
{
    void *grown;

    if (fl->n == *cap) {
        grown = realloc(fl->e, (*cap ? *cap * 2 : 32) * sizeof(*fl->e));
        if (grown == NULL) {
            return -1;
        }
        fl->e = grown;
        *cap = *cap ? *cap * 2 : 32;
    }
    *out = &fl->e[fl->n++];
    memset(*out, 0, sizeof(**out));
    return 0;
}

static void
judge(const cli_opts *o, fleet *fl, fleet_entry *e, const blog_plan *never)
{
    blog_diagnose(e->plan != NULL ? e->plan : never, e->last, &fl->src,
                  fl->now, o->stall, &e->verdict);
    if (blog_outcome_bad(e->verdict.outcome)) {
        fl->bad++;
    }
}

int
fleet_read(const cli_opts *o, const alpxe_config *cfg, fleet *fl)
{
    const alpxe_host   *h;
    const blog_machine *m, *best;
    const blog_boot    *b;
    fleet_entry        *e;
    blog_paths          opt, paths;
    blog_plan          *never;
    size_t              i, j, cap = 0;
    int                 k;

    memset(fl, 0, sizeof(*fl));
    fl->now = blog_now_ms();
    for (k = 0; k < BLOG_SRC_COUNT; k++) {
        opt.path[k] = o->log_path[k];
    }
    blog_paths_from(cfg, &opt, &paths);
    fl->t = blog_tracker_new(cfg, 0, NULL);
    never = malloc(sizeof(*never));
    if (fl->t == NULL || never == NULL
        || blog_read_all(&paths, fl->t, &fl->src) != 0)
    {
        free(never);
        return -1;
    }
    for (i = 0; (h = alpxe_host_at(cfg, i)) != NULL; i++) {
        if (add(fl, &cap, &e) != 0) {
            free(never);
            return -1;
        }
        e->known = 1;
        blog_fmt(e->name, sizeof(e->name), "%s", alpxe_host_name(h));
        blog_fmt(e->profile, sizeof(e->profile), "%s",
                 alpxe_host_profile(h) != NULL ? alpxe_host_profile(h) : "");
        e->boot = alpxe_boot_name(alpxe_host_boot(h));
        e->macs = alpxe_host_mac_count(h);
        e->mac = *alpxe_host_mac(cfg, h, 0);
        best = NULL;
        for (j = 0; j < e->macs; j++) {
            m = blog_tracker_find(fl->t, alpxe_host_mac(cfg, h, j));
            b = m != NULL ? blog_machine_last(m) : NULL;
            if (b != NULL && (best == NULL
                              || b->last_ms > blog_machine_last(best)->last_ms))
            {
                best = m;
            }
        }
        if (best != NULL) {
            e->mac = *blog_machine_mac(best);
            e->last = blog_machine_last(best);
            e->plan = blog_machine_plan(best);
        } else {
            blog_plan_for(cfg, &e->mac, never);
        }
        judge(o, fl, e, never);
    }
    /* machines in no [host] that alpxe answered or declined */
    for (i = 0; i < blog_tracker_count(fl->t); i++) {
        m = blog_tracker_at(fl->t, i);
        if (blog_machine_plan(m)->known || blog_machine_last(m) == NULL) {
            continue;
        }
        if (add(fl, &cap, &e) != 0) {
            free(never);
            return -1;
        }
        e->mac = *blog_machine_mac(m);
        e->last = blog_machine_last(m);
        e->plan = blog_machine_plan(m);
        e->macs = 1;
        e->boot = "";
        blog_fmt(e->profile, sizeof(e->profile), "%s", e->plan->profile);
        judge(o, fl, e, never);
    }
    free(never);
    return 0;
}

void
fleet_free(fleet *fl)
{
    blog_tracker_free(fl->t);
    free(fl->e);
    memset(fl, 0, sizeof(*fl));
}

void
fleet_print(const cli_opts *o, const fleet *fl)
{
    const fleet_entry *e;
    bview_style        st;
    char               t[40], mac[ALPXE_MAC_STR];
    size_t             i;
    int                w = 4;

    bview_style_init(o, &st);
    for (i = 0; i < fl->n; i++) {
        if ((int) strlen(fl->e[i].name) > w && strlen(fl->e[i].name) < 40) {
            w = (int) strlen(fl->e[i].name);
        }
    }
    printf("hosts: %zu, %zu failing (last boot, read from Kea: %s, "
           "in.tftpd: %s, nginx: %s)\n", fl->n, fl->bad, fl->src.name[0],
           fl->src.name[1], fl->src.name[2]);
    for (i = 0; i < fl->n; i++) {
        e = &fl->e[i];
        alpxe_mac_format(&e->mac, ':', mac);
        printf("%s%s%s %-*s %s  %-11s", bview_color(&st, e->verdict.outcome),
               bview_mark(&st, e->verdict.outcome), st.off, w,
               e->known ? e->name : "-", mac,
               blog_outcome_name(e->verdict.outcome));
        if (e->last == NULL) {
            if (e->known && strcmp(e->boot, "netboot") != 0) {
                printf("  (boot = %s)", e->boot);
            }
            printf("\n");
            continue;
        }
        blog_time_format(e->last->last_ms, 1, 1, t, sizeof(t));
        printf(" %s  from %-15s ", t, e->last->ip[0] ? e->last->ip : "-");
        if (e->verdict.at == BLOG_ST_DECLINED) {
            /* the reason is the step's: "... (unknown-mac)" */
            printf("not answered: %s", e->last->step[BLOG_ST_DECLINED].detail);
        } else if (blog_outcome_bad(e->verdict.outcome)) {
            printf("at %s", blog_stage_name(e->verdict.at));
        } else {
            printf("reached %s", e->verdict.last < BLOG_ST_COUNT
                   ? blog_stage_name(e->verdict.last) : "-");
        }
        if (blog_outcome_bad(e->verdict.outcome)) {
            printf(" (alpxe log %s says why)", mac);
        }
        printf("\n");
    }
}

json_t *
fleet_json(const fleet *fl)
{
    json_t            *arr = json_array(), *o;
    const fleet_entry *e;
    char               mac[ALPXE_MAC_STR];
    size_t             i;

    for (i = 0; i < fl->n; i++) {
        e = &fl->e[i];
        o = json_object();
        alpxe_mac_format(&e->mac, ':', mac);
        json_object_set_new(o, "host", e->known ? json_string(e->name)
                                                : json_null());
        json_object_set_new(o, "mac", json_string(mac));
        json_object_set_new(o, "profile", e->profile[0]
                            ? json_string(e->profile) : json_null());
        json_object_set_new(o, "boot", e->boot[0] ? json_string(e->boot)
                                                  : json_null());
        json_object_set_new(o, "last_boot", bview_boot_json(e->last,
                                                            &e->verdict));
        json_array_append_new(arr, o);
    }
    return arr;
}

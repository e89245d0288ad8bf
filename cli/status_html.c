/*
 * status_html.c - `alpxe status --html FILE`: the fleet on one page for
 * the user's own nginx to serve.
 *
 * One self-contained file: its style inline, no script, no image, no
 * outside resource, so it renders the same from file://, behind any
 * location, or saved.  Hosts whose last boot failed come first, each with
 * its stages and the diagnosis; then the ones under way, never seen, and
 * those that booted.  Everything from the logs is HTML-escaped (a MAC or
 * a path there may be a client's).  Written atomically: a reader sees the
 * old page or the new one.
 */

#define _GNU_SOURCE             /* open_memstream */

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "bootview.h"
#include "fleet.h"

static void
esc(FILE *f, const char *s)
{
    for (; *s != '\0'; s++) {
        switch (*s) {
        case '&':
            fputs("&amp;", f);
            break;
        case '<':
            fputs("&lt;", f);
            break;
        case '>':
            fputs("&gt;", f);
            break;
        case '"':
            fputs("&quot;", f);
            break;
        case '\'':
            fputs("&#39;", f);
            break;
        default:
            fputc(*s, f);
            break;
        }
    }
}

/* The page's classes: bad (red), wait, none (grey), good (green). */
static const char *
css_class(blog_outcome o)
{
    if (blog_outcome_bad(o)) {
        return "bad";
    }
    if (o == BLOG_OUT_IN_PROGRESS) {
        return "wait";
    }
    if (o == BLOG_OUT_NEVER_SEEN || o == BLOG_OUT_OFF) {
        return "none";
    }
    return "good";
}

static int
group(blog_outcome o)
{
    return blog_outcome_bad(o) ? 0 : o == BLOG_OUT_IN_PROGRESS ? 1
           : o == BLOG_OUT_NEVER_SEEN || o == BLOG_OUT_OFF ? 2 : 3;
}

static int
by_state(const void *a, const void *b)
{
    const fleet_entry *x = *(const fleet_entry *const *) a;
    const fleet_entry *y = *(const fleet_entry *const *) b;
    int                gx = group(x->verdict.outcome);
    int                gy = group(y->verdict.outcome);

    if (gx != gy) {
        return gx - gy;
    }
    if (x->known != y->known) {
        return y->known - x->known;
    }
    return strcmp(x->name, y->name);
}

static const char style[] =
    "body{font:14px/1.45 system-ui,-apple-system,'Segoe UI',sans-serif;"
    "margin:24px;color:#1d1d1f;background:#f6f7f9}"
    "h1{font-size:22px;margin:0 0 4px}"
    "h2{font-size:16px;margin:24px 0 8px}"
    ".meta{color:#5f6368;margin:0 0 14px}"
    ".summary span{display:inline-block;padding:4px 10px;border-radius:4px;"
    "margin-right:8px;font-weight:600;color:#fff}"
    "table{border-collapse:collapse;width:100%;background:#fff;"
    "box-shadow:0 1px 2px rgba(0,0,0,.08)}"
    "th,td{text-align:left;padding:6px 10px;border-bottom:1px solid #e4e6ea;"
    "vertical-align:top}"
    "th{background:#eceff3;font-size:12px;text-transform:uppercase;"
    "letter-spacing:.04em;color:#444}"
    ".badge{display:inline-block;min-width:84px;text-align:center;"
    "padding:2px 8px;border-radius:3px;color:#fff;font-weight:600}"
    ".bad .badge,.summary .bad{background:#c62828}"
    ".good .badge,.summary .good{background:#2e7d32}"
    ".wait .badge,.summary .wait{background:#b26a00}"
    ".none .badge,.summary .none{background:#6b7280}"
    "tr.bad{background:#fdecea}"
    "code,.mac{font-family:ui-monospace,Menlo,Consolas,monospace;"
    "font-size:12.5px}"
    "ol.stages{margin:0;padding:0;list-style:none;"
    "font-family:ui-monospace,Menlo,Consolas,monospace;font-size:12px}"
    "ol.stages li.ok::before{content:'\\2713  ';color:#2e7d32}"
    "ol.stages li.fail{color:#b71c1c}"
    "ol.stages li.fail::before{content:'\\2717  '}"
    ".diag{margin:6px 0 0;color:#6d1b14;max-width:70em}"
    ".good .diag{color:#1b5e20}"
    "td.server.bad{color:#b71c1c;font-weight:600}";

static void
stages(FILE *f, const fleet_entry *e)
{
    blog_stage       order[BLOG_ST_COUNT];
    const blog_step *s;
    size_t           n, i;
    char             t[40];

    if (e->last == NULL) {
        return;
    }
    n = bview_order(e->last, order);
    fputs("<ol class=\"stages\">", f);
    for (i = 0; i < n; i++) {
        s = &e->last->step[order[i]];
        blog_time_format(s->first_ms, s->whole_s, 0, t, sizeof(t));
        fprintf(f, "<li class=\"%s\" data-stage=\"%s\">%s ",
                s->ok == 0 && s->failed > 0 ? "fail" : "ok",
                blog_stage_name(order[i]), t);
        esc(f, blog_stage_title(order[i]));
        fputs(": ", f);
        esc(f, s->detail);
        fputs("</li>", f);
    }
    if (e->verdict.outcome == BLOG_OUT_STOPPED
        && e->verdict.at < BLOG_ST_COUNT && !e->last->step[e->verdict.at].seen)
    {
        fprintf(f, "<li class=\"fail\" data-stage=\"%s\">never came: ",
                blog_stage_name(e->verdict.at));
        esc(f, blog_stage_title(e->verdict.at));
        fputs("</li>", f);
    }
    fputs("</ol>", f);
}

static void
row(FILE *f, const fleet_entry *e)
{
    char mac[ALPXE_MAC_STR], t[40];

    alpxe_mac_format(&e->mac, ':', mac);
    fprintf(f, "<tr class=\"host %s\" id=\"host-%s\" data-outcome=\"%s\">",
            css_class(e->verdict.outcome), e->known ? e->name : mac,
            blog_outcome_name(e->verdict.outcome));
    fprintf(f, "<td><span class=\"badge\">%s</span></td><td>",
            blog_outcome_name(e->verdict.outcome));
    esc(f, e->known ? e->name : "(in no [host])");
    fprintf(f, "</td><td class=\"mac\">%s%s</td><td>", mac,
            e->macs > 1 ? " (and more)" : "");
    esc(f, e->profile[0] ? e->profile : "-");
    if (e->boot[0] != '\0' && strcmp(e->boot, "netboot") != 0) {
        fprintf(f, " (boot = %s)", e->boot);
    }
    fputs("</td><td>", f);
    if (e->last != NULL) {
        blog_time_format(e->last->start_ms, 1, 1, t, sizeof(t));
        fprintf(f, "%s</td><td>", t);
        esc(f, e->last->ip[0] ? e->last->ip : "-");
    } else {
        fputs("never</td><td>-", f);
    }
    fputs("</td><td>", f);
    stages(f, e);
    fputs("<p class=\"diag\">", f);
    /* the long advice once per page would do: a big fleet has many */
    esc(f, e->verdict.outcome == BLOG_OUT_NEVER_SEEN
        ? "no record of it in the logs: it has not asked this DHCP server "
          "to boot (network boot off, another network, no relay)."
        : e->verdict.text);
    fputs("</p></td></tr>\n", f);
}

int
fleet_html(const char *path, const cli_opts *o, const fleet *fl,
    const fleet_server *servers, size_t nservers, const char *file_state)
{
    const fleet_entry **sorted;
    FILE               *f;
    char               *page = NULL, now[40];
    size_t              size = 0, i, count[4] = { 0, 0, 0, 0 };
    int                 rc;

    sorted = calloc(fl->n + 1, sizeof(*sorted));
    if (sorted == NULL) {
        return -ENOMEM;
    }
    for (i = 0; i < fl->n; i++) {
        sorted[i] = &fl->e[i];
        count[group(fl->e[i].verdict.outcome)]++;
    }
    qsort(sorted, fl->n, sizeof(*sorted), by_state);
    f = open_memstream(&page, &size);
    if (f == NULL) {
        free(sorted);
        return -ENOMEM;
    }
    blog_time_format(fl->now, 1, 1, now, sizeof(now));
    fputs("<!DOCTYPE html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">"
          "<meta name=\"viewport\" content=\"width=device-width,"
          "initial-scale=1\">", f);
    fprintf(f, "<title>alpxe: %zu hosts, %zu failing</title>", fl->n,
            count[0]);
    fprintf(f, "<style>%s</style></head>\n<body>\n", style);
    fprintf(f, "<h1>alpxe: network boot of %zu host%s</h1>\n", fl->n,
            fl->n == 1 ? "" : "s");
    fputs("<p class=\"meta\">", f);
    esc(f, o->config);
    fputs(": ", f);
    esc(f, file_state);
    fprintf(f, " &middot; made %s by <code>alpxe status --html</code> from "
            "the logs of Kea (", now);
    esc(f, fl->src.name[BLOG_SRC_KEA]);
    fputs("), in.tftpd (", f);
    esc(f, fl->src.name[BLOG_SRC_TFTPD]);
    fputs(") and nginx (", f);
    esc(f, fl->src.name[BLOG_SRC_NGINX]);
    fputs(")</p>\n", f);
    /* red only when something fails: a page all green has no red */
    fprintf(f, "<p class=\"summary\"><span class=\"%s\">%zu failing</span>"
            "<span class=\"wait\">%zu booting</span>"
            "<span class=\"none\">%zu not seen</span>"
            "<span class=\"good\">%zu booted</span></p>\n",
            count[0] > 0 ? "bad" : "none", count[0], count[1], count[2],
            count[3]);

    fputs("<h2>Hosts, failures first</h2>\n<table id=\"hosts\"><thead><tr>"
          "<th>state</th><th>host</th><th>MAC</th><th>profile</th>"
          "<th>last boot</th><th>from</th><th>stages</th></tr></thead>"
          "<tbody>\n", f);
    for (i = 0; i < fl->n; i++) {
        row(f, sorted[i]);
    }
    fputs("</tbody></table>\n", f);

    fputs("<h2>Servers</h2>\n<table id=\"servers\"><tbody>\n", f);
    for (i = 0; i < nservers; i++) {
        fputs("<tr><td>", f);
        esc(f, servers[i].name);        /* an HA name comes from Kea */
        fprintf(f, "</td><td class=\"server %s\">",
                servers[i].bad ? "bad" : "good");
        esc(f, servers[i].text);
        fputs("</td></tr>\n", f);
    }
    fputs("</tbody></table>\n</body></html>\n", f);
    rc = fclose(f) == 0 ? 0 : -ENOMEM;
    if (rc == 0) {
        rc = fs_write_atomic(path, page, size, 0644);
    }
    free(page);
    free(sorted);
    return rc;
}

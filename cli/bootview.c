/*
 * bootview.c - a boot's stages as rows and as JSON (see bootview.h).
 */

#include <langinfo.h>
#include <locale.h>
#include <string.h>
#include <unistd.h>

#include "bootview.h"

void
bview_style_init(const cli_opts *o, bview_style *st)
{
    const char *cs;
    int         utf8 = 0;

    if (isatty(STDOUT_FILENO)) {
        setlocale(LC_CTYPE, "");
        cs = nl_langinfo(CODESET);
        utf8 = cs != NULL && strcmp(cs, "UTF-8") == 0;
    }
    st->ok = utf8 ? "\xe2\x9c\x93" : "ok  ";       /* U+2713 */
    st->fail = utf8 ? "\xe2\x9c\x97" : "FAIL";     /* U+2717 */
    st->wait = utf8 ? "\xe2\x80\xa6" : "wait";     /* U+2026 */
    st->none = utf8 ? "\xc2\xb7" : "-   ";         /* U+00B7 */
    st->green = cli_color(o->color_out, "\033[32m");
    st->red = cli_color(o->color_out, "\033[1;31m");
    st->yellow = cli_color(o->color_out, "\033[33m");
    st->bold = cli_color(o->color_out, "\033[1m");
    st->off = cli_color(o->color_out, "\033[0m");
}

const char *
bview_mark(const bview_style *st, blog_outcome o)
{
    if (blog_outcome_bad(o)) {
        return st->fail;
    }
    if (o == BLOG_OUT_IN_PROGRESS) {
        return st->wait;
    }
    if (o == BLOG_OUT_NEVER_SEEN) {
        return st->none;
    }
    return st->ok;
}

const char *
bview_color(const bview_style *st, blog_outcome o)
{
    if (blog_outcome_bad(o)) {
        return st->red;
    }
    if (o == BLOG_OUT_IN_PROGRESS || o == BLOG_OUT_NEVER_SEEN) {
        return st->yellow;
    }
    return st->green;
}

size_t
bview_order(const blog_boot *b, blog_stage out[BLOG_ST_COUNT])
{
    size_t     n = 0, i, j;
    blog_stage s;

    for (i = 0; i < BLOG_ST_COUNT; i++) {
        if (b->step[i].seen) {
            out[n++] = (blog_stage) i;
        }
    }
    /* by first time; the order of the chain on a tie (insertion sort) */
    for (i = 1; i < n; i++) {
        s = out[i];
        for (j = i; j > 0 && b->step[out[j - 1]].first_ms
                             + (b->step[out[j - 1]].whole_s ? 999 : 0)
                             > b->step[s].first_ms
                               + (b->step[s].whole_s ? 999 : 0); j--)
        {
            out[j] = out[j - 1];
        }
        out[j] = s;
    }
    return n;
}

static int
step_bad(const blog_step *s)
{
    return s->ok == 0 && s->failed > 0;
}

void
bview_print_stages(FILE *f, const bview_style *st, const blog_boot *b,
    const blog_verdict *v)
{
    blog_stage order[BLOG_ST_COUNT];
    size_t     n = bview_order(b, order), i;
    char       t[40];
    const blog_step *s;

    for (i = 0; i < n; i++) {
        s = &b->step[order[i]];
        blog_time_format(s->first_ms, s->whole_s, 0, t, sizeof(t));
        fprintf(f, "  %s%s%s %-12s  %-20s %s", step_bad(s) ? st->red
                : st->green, step_bad(s) ? st->fail : st->ok, st->off, t,
                blog_stage_title(order[i]), s->detail);
        if (s->count > 1) {
            fprintf(f, " (%u times)", s->count);
        }
        fputc('\n', f);
    }
    if (v->outcome == BLOG_OUT_STOPPED && v->at < BLOG_ST_COUNT
        && !b->step[v->at].seen)
    {
        fprintf(f, "  %s%s%s %-12s  %-20s %s\n", st->red, st->fail, st->off,
                "-", blog_stage_title(v->at), "never came");
    }
}

void
bview_print_verdict(FILE *f, const bview_style *st, const blog_verdict *v)
{
    fprintf(f, "%s%s %s", bview_color(st, v->outcome),
            bview_mark(st, v->outcome), blog_outcome_name(v->outcome));
    if (blog_outcome_bad(v->outcome) && v->at < BLOG_ST_COUNT) {
        fprintf(f, " at %s", blog_stage_name(v->at));
    }
    fprintf(f, "%s\n%s\n", st->off, v->text);
}

json_t *
bview_boot_json(const blog_boot *b, const blog_verdict *v)
{
    json_t          *o = json_object(), *stages = json_array(), *js;
    blog_stage       order[BLOG_ST_COUNT];
    size_t           n, i;
    char             t[40];
    const blog_step *s;

    if (b != NULL) {
        blog_time_iso(b->start_ms, t, sizeof(t));
        json_object_set_new(o, "start", json_string(t));
        blog_time_iso(b->last_ms, t, sizeof(t));
        json_object_set_new(o, "last", json_string(t));
        json_object_set_new(o, "ip", b->ip[0] ? json_string(b->ip)
                                              : json_null());
        json_object_set_new(o, "arch", b->arch[0] ? json_string(b->arch)
                                                  : json_null());
        n = bview_order(b, order);
        for (i = 0; i < n; i++) {
            s = &b->step[order[i]];
            js = json_object();
            json_object_set_new(js, "stage",
                                json_string(blog_stage_name(order[i])));
            json_object_set_new(js, "title",
                                json_string(blog_stage_title(order[i])));
            blog_time_iso(s->first_ms, t, sizeof(t));
            json_object_set_new(js, "time", json_string(t));
            json_object_set_new(js, "ok", json_boolean(!step_bad(s)));
            json_object_set_new(js, "count", json_integer(s->count));
            if (s->status != 0) {
                json_object_set_new(js, "status", json_integer(s->status));
            }
            json_object_set_new(js, "ip", s->ip[0] ? json_string(s->ip)
                                                   : json_null());
            json_object_set_new(js, "detail", json_string(s->detail));
            json_array_append_new(stages, js);
        }
    }
    json_object_set_new(o, "outcome",
                        json_string(blog_outcome_name(v->outcome)));
    json_object_set_new(o, "stage", v->at < BLOG_ST_COUNT
                        ? json_string(blog_stage_name(v->at)) : json_null());
    json_object_set_new(o, "last_stage", v->last < BLOG_ST_COUNT
                        ? json_string(blog_stage_name(v->last))
                        : json_null());
    json_object_set_new(o, "diagnosis", json_string(v->text));
    json_object_set_new(o, "stages", stages);
    return o;
}

json_t *
bview_sources_json(const blog_sources *src)
{
    static const char *const names[BLOG_SRC_COUNT] = { "kea", "tftpd",
                                                       "nginx" };
    json_t *o = json_object(), *s;
    int     i;

    for (i = 0; i < BLOG_SRC_COUNT; i++) {
        s = json_object();
        json_object_set_new(s, "path", json_string(src->name[i]));
        json_object_set_new(s, "read", json_boolean(src->readable[i]));
        json_object_set_new(o, names[i], s);
    }
    return o;
}

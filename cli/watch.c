/*
 * watch.c - `alpxe watch [MAC...]`: follow Kea's, in.tftpd's and nginx's
 * logs and print each boot's stages as they happen, like `make demo`
 * does; when a boot ends, or stalls for --stall seconds, what it came to.
 *
 * The logs are read from their start first (silently: the leases so far
 * say which machine has which address), then followed until Ctrl-C.
 */

#include <signal.h>
#include <stdlib.h>
#include <string.h>

#include "bootview.h"
#include "cli.h"

static volatile sig_atomic_t stop;

static void
on_signal(int sig)
{
    (void) sig;
    stop = 1;
}

typedef struct {
    const cli_opts     *o;
    blog_tracker       *t;
    bview_style         st;
    const blog_sources *src;
    alpxe_mac          *macs;       /* only these (count 0: all) */
    int                 count;
    int                 json;
    long                stall;
    long long           since;      /* events before are history */
    int                 width;
    /* what was said of each machine's current boot (by start time) */
    struct said {
        alpxe_mac       mac;
        long long       start;
        int             outcome;    /* -1: nothing yet */
    }                  *said;
    size_t              nsaid;
    size_t              capsaid;
    int                 nomem;
} watch_state;

static int
wanted(const watch_state *w, const alpxe_mac *mac)
{
    int i;

    if (w->count == 0) {
        return 1;
    }
    for (i = 0; i < w->count; i++) {
        if (memcmp(w->macs[i].b, mac->b, 6) == 0) {
            return 1;
        }
    }
    return 0;
}

static struct said *
said_for(watch_state *w, const alpxe_mac *mac, long long start)
{
    size_t i;
    void  *grown;

    for (i = 0; i < w->nsaid; i++) {
        if (memcmp(w->said[i].mac.b, mac->b, 6) == 0) {
            if (w->said[i].start != start) {
                w->said[i].start = start;
                w->said[i].outcome = -1;
            }
            return &w->said[i];
        }
    }
    if (w->nsaid == w->capsaid) {
        grown = realloc(w->said, (w->capsaid ? w->capsaid * 2 : 16)
                                 * sizeof(*w->said));
        if (grown == NULL) {
            w->nomem = 1;
            return NULL;
        }
        w->said = grown;
        w->capsaid = w->capsaid ? w->capsaid * 2 : 16;
    }
    w->said[w->nsaid].mac = *mac;
    w->said[w->nsaid].start = start;
    w->said[w->nsaid].outcome = -1;
    return &w->said[w->nsaid++];
}

/* "pc2 52:54:00:e2:e0:02" */
static void
who(const blog_machine *m, char *out, size_t size)
{
    const blog_plan *p = blog_machine_plan(m);
    char             text[ALPXE_MAC_STR];

    alpxe_mac_format(blog_machine_mac(m), ':', text);
    blog_fmt(out, size, "%s %s", p->known ? p->host : "(unknown)", text);
}

static void
emit_json(json_t *o)
{
    char *s = json_dumps(o, JSON_COMPACT);

    if (s != NULL) {
        printf("%s\n", s);
    }
    free(s);
    json_decref(o);
    fflush(stdout);
}

static void
print_stage(watch_state *w, const blog_machine *m, const blog_change *ch)
{
    const blog_boot *b = blog_machine_last(m);
    const blog_step *s = &b->step[ch->stage];
    char             t[40], name[100], text[ALPXE_MAC_STR];
    int              bad = s->ok == 0 && s->failed > 0;
    json_t          *o;

    who(m, name, sizeof(name));
    if (w->json) {
        o = json_object();
        alpxe_mac_format(blog_machine_mac(m), ':', text);
        blog_time_iso(s->first_ms, t, sizeof(t));
        json_object_set_new(o, "time", json_string(t));
        json_object_set_new(o, "mac", json_string(text));
        json_object_set_new(o, "host", blog_machine_plan(m)->known
                            ? json_string(blog_machine_plan(m)->host)
                            : json_null());
        json_object_set_new(o, "new_boot", json_boolean(ch->new_boot));
        json_object_set_new(o, "stage",
                            json_string(blog_stage_name(ch->stage)));
        json_object_set_new(o, "ok", json_boolean(!bad));
        json_object_set_new(o, "detail", json_string(s->detail));
        emit_json(o);
        return;
    }
    if (ch->new_boot) {
        blog_time_format(b->start_ms, 1, 1, t, sizeof(t));
        printf("%s%s%s: a boot begins at %s%s%s\n", w->st.bold, name,
               w->st.off, t, b->arch[0] ? ", arch " : "", b->arch);
    }
    blog_time_format(s->first_ms, s->whole_s, 0, t, sizeof(t));
    printf("  %s%s%s %-12s  %-*s  %-20s %s\n", bad ? w->st.red : w->st.green,
           bad ? w->st.fail : w->st.ok, w->st.off, t, w->width, name,
           blog_stage_title(ch->stage), s->detail);
    fflush(stdout);
}

/* Say what a machine's boot came to, once per boot and outcome. */
static void
print_verdict(watch_state *w, const blog_machine *m, long long now)
{
    const blog_boot *b = blog_machine_last(m);
    struct said     *said;
    blog_verdict     v;
    char             name[100], text[ALPXE_MAC_STR];
    json_t          *o;

    if (b == NULL || !wanted(w, blog_machine_mac(m))) {
        return;
    }
    blog_diagnose(blog_machine_plan(m), b, w->src, now, w->stall, &v);
    if (v.outcome == BLOG_OUT_IN_PROGRESS) {
        return;
    }
    said = said_for(w, blog_machine_mac(m), b->start_ms);
    if (said == NULL || said->outcome == (int) v.outcome) {
        return;
    }
    /* booted is said once: more files fetched do not repeat it */
    if (said->outcome == (int) BLOG_OUT_BOOTED) {
        return;
    }
    said->outcome = (int) v.outcome;
    if (b->last_ms < w->since) {
        return;                 /* history */
    }
    if (w->json) {
        o = json_object();
        alpxe_mac_format(blog_machine_mac(m), ':', text);
        json_object_set_new(o, "mac", json_string(text));
        json_object_set_new(o, "outcome",
                            json_string(blog_outcome_name(v.outcome)));
        json_object_set_new(o, "stage", v.at < BLOG_ST_COUNT
                            ? json_string(blog_stage_name(v.at))
                            : json_null());
        json_object_set_new(o, "diagnosis", json_string(v.text));
        emit_json(o);
        return;
    }
    who(m, name, sizeof(name));
    printf("%s%s %s %s%s%s%s: %s\n", bview_color(&w->st, v.outcome),
           bview_mark(&w->st, v.outcome), name,
           blog_outcome_name(v.outcome),
           blog_outcome_bad(v.outcome) && v.at < BLOG_ST_COUNT ? " at " : "",
           blog_outcome_bad(v.outcome) && v.at < BLOG_ST_COUNT
           ? blog_stage_name(v.at) : "", w->st.off, v.text);
    fflush(stdout);
}

static void
on_change(watch_state *w, const blog_change *ch, long long ev_ms)
{
    if (ch->machine == NULL || !wanted(w, blog_machine_mac(ch->machine))) {
        return;
    }
    if ((ch->new_stage || ch->new_boot) && ev_ms >= w->since) {
        print_stage(w, ch->machine, ch);
    }
}

static void
on_event(void *ctx, const blog_event *ev)
{
    watch_state *w = ctx;
    blog_change  ch;

    if (blog_tracker_feed(w->t, ev, &ch) != 0) {
        w->nomem = 1;
        return;
    }
    on_change(w, &ch, ev->ms + (ev->whole_s ? 999 : 0));
}

int
cli_watch(const cli_opts *o, char *const *args, int nargs, int json)
{
    alpxe_config      *cfg = NULL;
    blog_follow       *f;
    blog_paths         paths, opt;
    blog_sources       src;
    blog_change        ch;
    watch_state        w;
    struct sigaction   sa;
    long long          now, last_check = 0;
    size_t             i;
    int                k, rc = CLI_OK;

    memset(&w, 0, sizeof(w));
    for (k = 0; k < BLOG_SRC_COUNT; k++) {
        opt.path[k] = o->log_path[k];
    }
    w.macs = calloc((size_t) nargs + 1, sizeof(*w.macs));
    if (w.macs == NULL) {
        return CLI_FAIL;
    }
    for (k = 0; k < nargs; k++) {
        if (alpxe_mac_parse(args[k], strlen(args[k]), &w.macs[k]) != 0) {
            fprintf(stderr, "alpxe: '%s' is not a MAC address\n", args[k]);
            free(w.macs);
            return CLI_USAGE;
        }
    }
    w.count = nargs;
    if (cli_load(o, 0, &cfg) != 0) {
        fprintf(stderr, "alpxe: %s does not load: stages are named without "
                "its hosts and URLs\n", o->config);
        cfg = NULL;
    }
    w.o = o;
    w.json = json;
    w.stall = o->stall;
    w.src = &src;
    w.width = 24;
    bview_style_init(o, &w.st);
    w.t = blog_tracker_new(cfg, 0, NULL);
    blog_paths_from(cfg, &opt, &paths);
    f = w.t != NULL ? blog_follow_open(&paths, &src) : NULL;
    if (f == NULL) {
        blog_tracker_free(w.t);
        alpxe_config_free(cfg);
        free(w.macs);
        return CLI_FAIL;
    }
    memset(&sa, 0, sizeof(sa));
    sa.sa_handler = on_signal;
    sigaction(SIGINT, &sa, NULL);
    sigaction(SIGTERM, &sa, NULL);
    sigaction(SIGHUP, &sa, NULL);

    /* what the logs hold already is history: read, not printed */
    w.since = blog_now_ms() - 1000;
    if (!json) {
        printf("watching Kea (%s), in.tftpd (%s) and nginx (%s); Ctrl-C "
               "stops\n", src.name[0], src.name[1], src.name[2]);
        fflush(stdout);
    }
    while (!stop && !w.nomem) {
        if (blog_follow_poll(f, 200, on_event, &w) != 0) {
            rc = CLI_FAIL;
            break;
        }
        now = blog_now_ms();
        do {
            blog_tracker_settle(w.t, now, &ch);
            on_change(&w, &ch, now);
        } while (ch.new_stage);
        if (now - last_check >= 1000) {
            last_check = now;
            for (i = 0; i < blog_tracker_count(w.t); i++) {
                print_verdict(&w, blog_tracker_at(w.t, i), now);
            }
        }
    }
    if (w.nomem) {
        fprintf(stderr, "alpxe: out of memory\n");
        rc = CLI_FAIL;
    }
    blog_follow_close(f);
    blog_tracker_free(w.t);
    alpxe_config_free(cfg);
    free(w.said);
    free(w.macs);
    return rc;
}

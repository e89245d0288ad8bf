/*
 * fuzz_bootlog.c - libFuzzer target: the readers of Kea's, in.tftpd's and
 * nginx's log lines behind `alpxe log`, `status` and `watch`, and what is
 * built from their events.  Log lines are the daemons' but carry what
 * clients sent (MACs, file names, paths, user agents).
 *
 * The input is split into lines; each line goes through all three
 * parsers (each copied into an exact-size heap block, so ASan sees any
 * read past it), every event into a tracker over a small alpxe.conf, and
 * every boot it makes into the diagnosis.  Checked: events carry
 * NUL-terminated fields, the tracker's boots are in time order of their
 * starts as fed, a verdict always has text.
 */

#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "bootlog.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char conf[] =
    "[server]\n"
    "address = 10.213.0.1\n"
    "http = http://10.213.0.1/pxe\n"
    "unknown = default\n"
    "default = sys\n"
    "[profile sys]\n"
    "kernel = boot/vmlinuz\n"
    "initrd = boot/initramfs.gz\n"
    "modloop = boot/modloop\n"
    "repo = http://10.213.0.1/alpine/main,http://10.213.0.1/alpine/community\n"
    "apkovl = http://10.213.0.1/ovl/{MAC}.apkovl.tar.gz\n"
    "ssh_key = http://10.213.0.1/keys/admin.pub\n"
    "[host pc1]\n"
    "mac = 52:54:00:e2:e0:01\n"
    "profile = sys\n"
    "[host pc2]\n"
    "mac = 52:54:00:e2:e0:02\n"
    "profile = sys\n"
    "ip = 10.213.0.52::10.213.0.1:255.255.255.0:pc2:eth0:none\n"
    "[host off]\n"
    "mac = 52:54:00:e2:e0:03\n"
    "boot = off\n";

/* A fixed "now" (2026-11-27): the same input, the same run. */
#define NOW_MS 1795779600000LL

static void
check_event(const blog_event *ev)
{
    if (memchr(ev->text, '\0', sizeof(ev->text)) == NULL
        || memchr(ev->ip, '\0', sizeof(ev->ip)) == NULL
        || memchr(ev->host, '\0', sizeof(ev->host)) == NULL
        || memchr(ev->query, '\0', sizeof(ev->query)) == NULL
        || memchr(ev->remapped, '\0', sizeof(ev->remapped)) == NULL
        || memchr(ev->result, '\0', sizeof(ev->result)) == NULL)
    {
        abort();
    }
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    static alpxe_config *cfg;
    const uint8_t       *p = data, *end = data + size, *nl;
    const blog_machine  *m;
    const blog_boot     *b;
    blog_tracker        *t;
    blog_sources         src;
    blog_verdict         v;
    blog_event           ev;
    blog_change          ch;
    char                *line;
    size_t               len, i, j;
    long long            ms;
    int                  whole_s, s;
    const char          *after;

    if (cfg == NULL && alpxe_config_load_mem("fuzz.conf", conf,
                                             sizeof(conf) - 1, 0, NULL,
                                             NULL, &cfg) != 0)
    {
        abort();
    }
    memset(&src, 0, sizeof(src));
    src.readable[BLOG_SRC_KEA] = 1;
    t = blog_tracker_new(cfg, size > 0 && data[0] & 1, NULL);
    if (t == NULL) {
        return 0;
    }
    while (p < end) {
        nl = memchr(p, '\n', (size_t) (end - p));
        len = (size_t) ((nl != NULL ? nl : end) - p);
        line = malloc(len ? len : 1);
        memcpy(line, p, len);
        (void) blog_time_parse(line, line + len, NOW_MS, &ms, &whole_s,
                               &after);
        for (s = 0; s < BLOG_SRC_COUNT; s++) {
            if (blog_parse((blog_source) s, line, len, NOW_MS, &ev)) {
                check_event(&ev);
                if (blog_tracker_feed(t, &ev, &ch) != 0) {
                    break;
                }
            }
        }
        free(line);
        p = nl != NULL ? nl + 1 : end;
    }
    blog_tracker_settle(t, 0, NULL);
    for (i = 0; i < blog_tracker_count(t); i++) {
        m = blog_tracker_at(t, i);
        for (j = 0; j < blog_machine_boots(m); j++) {
            b = blog_machine_boot(m, j);
            blog_diagnose(blog_machine_plan(m), b, &src, NOW_MS, 60, &v);
            if (v.text[0] == '\0' || memchr(v.text, '\0', sizeof(v.text))
                                     == NULL)
            {
                abort();
            }
        }
    }
    if (blog_tracker_count(t) > 0) {
        /* never seen: the text from the plan alone */
        blog_diagnose(blog_machine_plan(blog_tracker_at(t, 0)), NULL, &src,
                      NOW_MS, 60, &v);
    }
    blog_tracker_free(t);
    return 0;
}

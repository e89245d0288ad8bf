/*
 * status_kea.c - `alpxe status` for Kea: one server, or every server of
 * an HA pair.
 *
 * Kea's HA hook decides which server answers a client and alpxe answers
 * on that one only, so the servers of a pair must serve the same
 * alpxe.conf.  Each is asked for the hook's alpxe-status: at the control
 * sockets or kea-ctrl-agent URLs [reload] kea_peer lists (else the one
 * kea_socket), then at the URL of any HA partner a hook names that was
 * not asked yet, so a forgotten kea_peer line still shows the partner.  A
 * partner that cannot be reached from here is shown as its partner's hook
 * last saw it.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "cli.h"
#include "kea_ctrl.h"
#include "status.h"
#include "text.h"

typedef struct {
    char name[64];              /* HA this-server-name */
    char url[256];
    char sha256[65];            /* as the naming hook last saw it */
    char checked[32];
    char seen_by[64];
} partner;

/* Ask one Kea.  Returns its answer (json_decref it) or NULL. */
static json_t *
ask(const char *endpoint, server_state *s)
{
    json_t *a = NULL;
    char    err[1024];
    int     rc;

    rc = kea_ctrl(endpoint, "alpxe-status", STATUS_TIMEOUT_MS, &a, err,
                  sizeof(err));
    if (rc == -ENOENT || rc == -ECONNREFUSED) {
        snprintf(s->detail, sizeof(s->detail), "%s", err);
        return NULL;
    }
    s->running = 1;
    if (rc != 0) {
        snprintf(s->detail, sizeof(s->detail), "cannot be asked: %s", err);
        return NULL;
    }
    if (kea_json_at(a, "arguments.served") == NULL) {
        long result = -1;
        char text[512];

        /* 2: the command is unknown, so the hook is not loaded */
        if (kea_json_answer(a, &result, text, sizeof(text)) != 0
            || result == 2)
        {
            snprintf(s->detail, sizeof(s->detail), "does not know "
                     "alpxe-status (is libdhcp_alpxe.so in its "
                     "hooks-libraries?)");
        } else {
            snprintf(s->detail, sizeof(s->detail), "answered result %ld, "
                     "\"%s\"", result, text);
        }
        json_decref(a);
        return NULL;
    }
    snprintf(s->sha256, sizeof(s->sha256), "%s",
             kea_json_str(a, "arguments.served.sha256"));
    snprintf(s->loaded, sizeof(s->loaded), "%s",
             kea_json_str(a, "arguments.served.loaded"));
    s->fallback = strcmp(kea_json_str(a, "arguments.served.source"),
                         "last-good") == 0;
    snprintf(s->detail, sizeof(s->detail), "%s", kea_json_str(a, "text"));
    return a;
}

/* The partners a hook names in alpxe-status's "ha". */
static int
partners_of(const json_t *a, partner *p, int max)
{
    const json_t *list = kea_json_at(a, "arguments.ha.partners");
    const char   *me = kea_json_str(a, "arguments.ha.this-server");
    size_t        i;
    int           n = 0;

    for (i = 0; json_is_array(list) && i < json_array_size(list)
         && n < max; i++)
    {
        const json_t *e = json_array_get(list, i);

        memset(&p[n], 0, sizeof(p[n]));
        snprintf(p[n].name, sizeof(p[n].name), "%s", kea_json_str(e, "name"));
        snprintf(p[n].url, sizeof(p[n].url), "%s", kea_json_str(e, "url"));
        snprintf(p[n].sha256, sizeof(p[n].sha256), "%s",
                 kea_json_str(e, "sha256"));
        snprintf(p[n].checked, sizeof(p[n].checked), "%s",
                 kea_json_str(e, "checked"));
        snprintf(p[n].seen_by, sizeof(p[n].seen_by), "%s", me);
        if (p[n].name[0] != '\0') {
            n++;
        }
    }
    return n;
}

/* Whether two endpoints name the same URL, a trailing '/' aside, and the
 * scheme (HA keeps http:// in the URLs of a pair that speaks TLS). */
static int
same_url(const char *a, const char *b)
{
    size_t la, lb;

    a += text_http_scheme(a);
    b += text_http_scheme(b);
    la = strlen(a);
    lb = strlen(b);

    la -= la > 0 && a[la - 1] == '/';
    lb -= lb > 0 && b[lb - 1] == '/';
    return la == lb && la > 0 && strncmp(a, b, la) == 0;
}

/* A server that did not answer here, as its partner's hook saw it (the
 * detail already says why it did not answer).  One that answered, even
 * without alpxe, keeps its own answer. */
static void
as_partner_saw_it(server_state *s, const partner *f)
{
    char why[sizeof(s->detail)];

    if (s->running || f->sha256[0] == '\0') {
        return;
    }
    snprintf(why, sizeof(why), "%s", s->detail);
    snprintf(s->sha256, sizeof(s->sha256), "%s", f->sha256);
    s->running = 1;
    snprintf(s->detail, sizeof(s->detail), "as %s's hook saw it at %s "
             "(not reachable from here: %.900s)", f->seen_by, f->checked,
             why);
}

/* ", HA server1 (hot-standby)" after the answer's text. */
static void
add_ha(server_state *s, const json_t *a)
{
    const char *me = kea_json_str(a, "arguments.ha.this-server");
    size_t      len = strlen(s->detail);

    if (me[0] != '\0') {
        snprintf(s->detail + len, sizeof(s->detail) - len, "; HA %s (%s)",
                 me, kea_json_str(a, "arguments.ha.mode"));
    }
}

int
status_kea(const char *kea_socket, const char *peers, server_state *s,
    int max)
{
    const char *p;
    char        endpoints[STATUS_KEA_MAX][512], names[STATUS_KEA_MAX][64];
    partner     found[STATUS_KEA_MAX * 2];
    json_t     *a;
    int         n = 0, nlisted, nfound = 0, i, j, known;
    size_t      len;

    if (max > STATUS_KEA_MAX) {
        max = STATUS_KEA_MAX;
    }
    p = peers[0] != '\0' ? peers : kea_socket;
    while (*p != '\0' && n < max) {
        len = strcspn(p, " ");
        snprintf(endpoints[n], sizeof(endpoints[n]), "%.*s", (int) len, p);
        p += len;
        p += strspn(p, " ");
        memset(&s[n], 0, sizeof(s[n]));
        names[n][0] = '\0';
        a = ask(endpoints[n], &s[n]);
        if (a != NULL) {
            snprintf(names[n], sizeof(names[n]), "%s",
                     kea_json_str(a, "arguments.ha.this-server"));
            add_ha(&s[n], a);
            nfound += partners_of(a, found + nfound,
                                  STATUS_KEA_MAX * 2 - nfound);
            json_decref(a);
        }
        if (names[n][0] != '\0') {
            snprintf(s[n].label, sizeof(s[n].label), "kea %.60s", names[n]);
        } else if (peers[0] != '\0') {
            char shown[512];

            kea_url_shown(endpoints[n], shown, sizeof(shown));
            snprintf(s[n].label, sizeof(s[n].label), "kea %.88s", shown);
        } else {
            snprintf(s[n].label, sizeof(s[n].label), "kea");
        }
        s[n].name = s[n].label;
        n++;
    }
    nlisted = n;

    /*
     * The HA partners the hooks name.  One listed whose answer did not
     * name it is found by its URL: it takes its HA name and, if it did not
     * answer, is shown as its partner saw it.  One nobody listed is asked
     * where HA itself reaches it.
     */
    for (i = 0; i < nfound && n < max; i++) {
        for (known = 0, j = 0; j < n && !known; j++) {
            known = strcmp(names[j], found[i].name) == 0;
        }
        for (j = 0; j < nlisted && !known; j++) {
            if (names[j][0] == '\0' && same_url(endpoints[j], found[i].url)) {
                snprintf(names[j], sizeof(names[j]), "%.63s", found[i].name);
                snprintf(s[j].label, sizeof(s[j].label), "kea %.60s",
                         found[i].name);
                as_partner_saw_it(&s[j], &found[i]);
                known = 1;
            }
        }
        if (known) {
            continue;
        }
        memset(&s[n], 0, sizeof(s[n]));
        snprintf(names[n], sizeof(names[n]), "%.63s", found[i].name);
        snprintf(s[n].label, sizeof(s[n].label), "kea %.60s", found[i].name);
        s[n].name = s[n].label;
        a = ask(found[i].url, &s[n]);
        if (a != NULL) {
            add_ha(&s[n], a);
            json_decref(a);
        } else {
            as_partner_saw_it(&s[n], &found[i]);
        }
        len = strlen(s[n].detail);
        snprintf(s[n].detail + len, sizeof(s[n].detail) - len, "; HA "
                 "partner of %s at %s, not in [reload] kea_peer",
                 found[i].seen_by, found[i].url);
        n++;
    }
    return n;
}

int
status_kea_differ(const server_state *s, int n, char *out, size_t size)
{
    const char *first = NULL;
    size_t      len = 0;
    int         i, differ = 0;

    out[0] = '\0';
    for (i = 0; i < n; i++) {
        if (!s[i].running || s[i].sha256[0] == '\0') {
            continue;
        }
        if (first == NULL) {
            first = s[i].sha256;
        } else if (strcmp(first, s[i].sha256) != 0) {
            differ = 1;
        }
        if (len < size) {
            len += (size_t) snprintf(out + len, size - len, "%s%s sha256 "
                                     "%.12s", len ? ", " : "",
                                     s[i].name + (strncmp(s[i].name, "kea ",
                                                          4) == 0 ? 4 : 0),
                                     s[i].sha256);
        }
    }
    return differ;
}

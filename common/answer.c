/*
 * answer.c - what a request below [server] http gets: the script, a menu
 * choice's script, a NoCloud document, or the chain script of a request
 * without a MAC.  Every answer starts from the one rule for a MAC
 * (alpxe_machine_for); what was rendered at load is handed out as is,
 * the rest is rendered into the caller's buffer.
 */

#include <errno.h>
#include <string.h>

#include "metadata.h"

/* Render doc (the script, or a document) of profile p for host h (or
 * NULL) into buf: 0, or -ENOSPC with s->len the size needed. */
static int
render(const alpxe_config *cfg, alpxe_doc doc, const cfg_profile *p,
    const alpxe_host *h, const alpxe_mac *mac, char *buf, size_t size,
    alpxe_script *s)
{
    alpxe_buf b;
    char      none[1];

    buf_init(&b, buf != NULL ? buf : none, buf != NULL ? size : 0);
    if (doc == ALPXE_DOC_SCRIPT) {
        cfg_render_boot(cfg, p, h, mac, &b);
    } else {
        cfg_render_doc(cfg, doc, p, h, mac, &b);
    }
    if (b.overflow) {
        s->len = b.want;
        return -ENOSPC;
    }
    s->text = b.len != 0 ? buf : "";
    s->len = b.len;
    return 0;
}

/* A menu's choice: its script, or its documents under <mac>/<profile>/. */
static int
answer_choice(const alpxe_config *cfg, const alpxe_request *req,
    char *buf, size_t size, alpxe_script *s)
{
    const cfg_profile *p;
    const alpxe_host  *h;

    p = cfg_machine_choose(cfg, req->profile, &s->machine);
    if (p == NULL) {
        return 0;
    }
    h = s->machine.host;
    if (req->doc != ALPXE_DOC_SCRIPT && !cfg_metadata_on(p, h)) {
        s->machine.reason = "the profile chosen has no metadata";
        return 0;
    }
    return render(cfg, req->doc, p, h, &req->mac, buf, size, s);
}

int
alpxe_answer(const alpxe_config *cfg, const alpxe_request *req, char *buf,
    size_t size, alpxe_script *s)
{
    const cfg_mac     *e;
    const cfg_profile *p;
    const cfg_docs    *d;

    s->text = NULL;
    s->len = 0;

    if (!req->have_mac) {
        memset(&s->machine, 0, sizeof(s->machine));
        s->machine.action = ALPXE_ACTION_NONE;
        s->machine.reason = "no MAC in the request: chain to the NIC's own "
                            "script";
        s->text = cfg->chain_script;
        s->len = cfg->chain_len;
        return 0;
    }

    if (req->profile[0] != '\0') {
        (void) cfg_machine(cfg, &req->mac, &s->machine);
        return answer_choice(cfg, req, buf, size, s);
    }

    if (req->doc == ALPXE_DOC_SCRIPT) {
        return alpxe_script_for(cfg, &req->mac, buf, size, s);
    }

    /* a NoCloud document: for a machine that boots a profile with
     * metadata = yes */
    e = cfg_machine(cfg, &req->mac, &s->machine);
    if (s->machine.action != ALPXE_ACTION_BOOT) {
        return 0;
    }
    p = e != NULL ? s->machine.host->profile : cfg->default_profile;
    if (!cfg_metadata_on(p, s->machine.host)) {
        s->machine.reason = "its profile has no metadata (metadata = yes)";
        return 0;
    }
    if (e != NULL && cfg->docs != NULL) {
        d = &cfg->docs[e - cfg->macs];
        if (d->text[req->doc] != NULL) {
            s->text = d->text[req->doc];
            s->len = d->len[req->doc];
            return 0;
        }
    }
    return render(cfg, req->doc, p, s->machine.host, &req->mac, buf, size, s);
}

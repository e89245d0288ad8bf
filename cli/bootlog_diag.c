/*
 * bootlog_diag.c - where a boot stopped, and what that means, in words.
 *
 * A boot's stages are checked in the order a machine goes through them:
 * the first that failed (a TFTP refusal, an HTTP error) is where it broke;
 * else, when nothing came after its last stage (and that is not recent),
 * the stage that should have come next is where it stopped, and each such
 * gap has one likely cause, said with what the logs showed around it.
 */

#include <stdio.h>
#include <string.h>

#include "bootlog.h"

static const char *const outcome_names[] = {
    [BLOG_OUT_BOOTED]      = "booted",
    [BLOG_OUT_HANDED_OVER] = "handed-over",
    [BLOG_OUT_EXITED]      = "exited",
    [BLOG_OUT_IN_PROGRESS] = "in-progress",
    [BLOG_OUT_STOPPED]     = "stopped",
    [BLOG_OUT_FAILED]      = "failed",
    [BLOG_OUT_DECLINED]    = "declined",
    [BLOG_OUT_OFF]         = "off",
    [BLOG_OUT_NEVER_SEEN]  = "never-seen",
};

const char *
blog_outcome_name(blog_outcome o)
{
    return (unsigned) o <= BLOG_OUT_NEVER_SEEN ? outcome_names[o] : "?";
}

int
blog_outcome_bad(blog_outcome o)
{
    return o == BLOG_OUT_STOPPED || o == BLOG_OUT_FAILED || o == BLOG_OUT_DECLINED;
}

/* The stages of the chain, in order (OTHER and DECLINED aside). */
static const blog_stage chain[] = {
    BLOG_ST_DHCP_PXE, BLOG_ST_TFTP, BLOG_ST_DHCP_HTTP, BLOG_ST_HTTP_LOADER,
    BLOG_ST_DHCP_IPXE, BLOG_ST_SCRIPT, BLOG_ST_KERNEL, BLOG_ST_INITRD,
    BLOG_ST_OS_DHCP, BLOG_ST_MODLOOP, BLOG_ST_APKOVL, BLOG_ST_REPO,
    BLOG_ST_SSH_KEY, BLOG_ST_METADATA,
};
#define CHAIN_LEN (sizeof(chain) / sizeof(chain[0]))

static int
is_os(blog_stage st)
{
    return st >= BLOG_ST_OS_DHCP && st <= BLOG_ST_METADATA;
}

static int
served(const blog_boot *b, blog_stage st)
{
    return b->step[st].seen && b->step[st].ok > 0;
}

static void
when(const blog_step *s, char *out, size_t size)
{
    blog_time_format(s->first_ms, s->whole_s, 0, out, size);
}

/* What a failed stage means. */
static void
failed_text(const blog_plan *p, const blog_boot *b, blog_stage st,
    blog_verdict *v)
{
    const blog_step *s = &b->step[st];
    char             t[40];
    const char      *what;

    when(s, t, sizeof(t));
    switch (st) {
    case BLOG_ST_TFTP:
        blog_fmt(v->text, sizeof(v->text), "at %s in.tftpd refused the "
                 "loader: %s. It is not in the TFTP root%s%s (or in.tftpd may "
                 "not read it): alpxe-remap --install-loaders puts the "
                 "loaders there, and alpxe check warns about a missing one.",
                 t, s->detail, p->tftp_root[0] != '\0' ? " " : "",
                 p->tftp_root);
        return;
    case BLOG_ST_HTTP_LOADER:
        blog_fmt(v->text, sizeof(v->text), "at %s nginx answered %d for the "
                 "loader (%s): the location %s must serve the TFTP root "
                 "(location %s { alias %s/; }) and hold that file.", t,
                 s->status, s->detail, p->loader_dir[0] ? p->loader_dir
                 : "/pxe/loader/", p->loader_dir[0] ? p->loader_dir
                 : "/pxe/loader/", p->tftp_root[0] ? p->tftp_root
                 : "/srv/tftp");
        return;
    case BLOG_ST_SCRIPT:
        if (s->status == 503) {
            blog_fmt(v->text, sizeof(v->text), "at %s nginx answered 503 "
                     "for the iPXE script: its alpxe module has no "
                     "configuration (alpxe.conf never loaded in nginx; its "
                     "error log says why; then alpxe reload).", t);
        } else if (s->status == 404 && (strcmp(b->script_result, "none") == 0
                   || (b->script_result[0] == '\0'
                       && p->action == ALPXE_ACTION_NONE)))
        {
            blog_fmt(v->text, sizeof(v->text), "at %s nginx answered 404 "
                     "for the iPXE script: alpxe gives this machine no "
                     "script (%s).", t, p->reason);
        } else if (s->status == 404) {
            blog_fmt(v->text, sizeof(v->text), "at %s nginx answered 404 "
                     "for the iPXE script (%s): that URL is not under an "
                     "`alpxe;` location (it must be the path of [server] "
                     "http: location %s/ { alpxe; }).", t, s->detail,
                     p->http_base);
        } else if (s->status == 400) {
            blog_fmt(v->text, sizeof(v->text), "at %s nginx answered 400 "
                     "for the iPXE script: the MAC in its URL could not be "
                     "read (%s).", t, s->detail);
        } else {
            blog_fmt(v->text, sizeof(v->text), "at %s nginx answered %d "
                     "for the iPXE script (%s): see nginx's error log.", t,
                     s->status, s->detail);
        }
        return;
    default:
        break;
    }
    what = st == BLOG_ST_KERNEL ? "the kernel"
           : st == BLOG_ST_INITRD ? "the initrd"
           : st == BLOG_ST_MODLOOP ? "the modloop"
           : st == BLOG_ST_APKOVL ? "the apkovl"
           : st == BLOG_ST_REPO ? "a file of the repository"
           : st == BLOG_ST_SSH_KEY ? "the SSH key"
           : st == BLOG_ST_METADATA ? "its metadata" : "a file";
    blog_fmt(v->text, sizeof(v->text), "at %s nginx answered %d for %s "
             "(%s): the file is not where that URL's location points; %s.",
             t, s->status, what, s->detail,
             st == BLOG_ST_KERNEL || st == BLOG_ST_INITRD
             ? "the kernel and initrd of a profile are its kernel = and "
               "initrd = in alpxe.conf"
             : "the booted system asked for it because its kernel command "
               "line names it");
}

/* The first stage of the booted system the plan expects. */
static blog_stage
first_os(const blog_plan *p, const char **path)
{
    if (p->modloop[0] != '\0') {
        *path = p->modloop;
        return BLOG_ST_MODLOOP;
    }
    if (p->apkovl[0] != '\0') {
        *path = p->apkovl;
        return BLOG_ST_APKOVL;
    }
    if (p->repo[0][0] != '\0') {
        *path = p->repo[0];
        return BLOG_ST_REPO;
    }
    if (p->ssh_key[0] != '\0') {
        *path = p->ssh_key;
        return BLOG_ST_SSH_KEY;
    }
    *path = "";
    return BLOG_ST_OS_DHCP;
}

static const char *
unread(const blog_sources *src, blog_source which, char *buf, size_t size)
{
    static const char *const names[] = { "Kea", "in.tftpd", "nginx" };

    if (src == NULL || src->readable[which]) {
        return "";
    }
    blog_fmt(buf, size, " (%s's log, %s, could not be read: what it saw is "
             "unknown)", names[which], src->name[which]);
    return buf;
}

/* The stage that should have followed `last` never came. */
static void
stopped_text(const blog_plan *p, const blog_boot *b, blog_stage last,
    const blog_sources *src, blog_verdict *v)
{
    const blog_step *s = &b->step[last];
    const char      *path;
    char             t[40], u[300];

    when(s, t, sizeof(t));
    switch (last) {
    case BLOG_ST_DHCP_PXE:
        v->at = BLOG_ST_TFTP;
        blog_fmt(v->text, sizeof(v->text), "Kea answered its PXE firmware "
                 "at %s (%s) and in.tftpd logged no request from it%s: the "
                 "firmware did not reach the TFTP server. Check that "
                 "in.tftpd runs on the next-server and listens there (UDP "
                 "69, no firewall between), and that it logs with -v.", t,
                 s->detail, unread(src, BLOG_SRC_TFTPD, u, sizeof(u)));
        return;
    case BLOG_ST_TFTP:
    case BLOG_ST_HTTP_LOADER:
        v->at = BLOG_ST_DHCP_IPXE;
        path = strrchr(s->file, '/');
        blog_fmt(v->text, sizeof(v->text), "got %s over %s at %s and never "
                 "asked DHCP again: the loader did not start. Check the "
                 "firmware's architecture (Kea saw %s) against the loader "
                 "alpxe gives it ([loader]: undionly.kpxe for BIOS, "
                 "snponly.efi for x64 UEFI), and Secure Boot, which refuses "
                 "an unsigned iPXE.", path != NULL ? path + 1 : s->file,
                 last == BLOG_ST_TFTP ? "TFTP" : "HTTP", t,
                 b->arch[0] != '\0' ? b->arch : "no architecture");
        return;
    case BLOG_ST_DHCP_HTTP:
        v->at = BLOG_ST_HTTP_LOADER;
        blog_fmt(v->text, sizeof(v->text), "Kea answered its UEFI HTTP boot "
                 "at %s with %s, and nginx logged no request for it%s: check "
                 "that nginx serves %s from the TFTP root and that the "
                 "firmware reaches it.", t, s->detail,
                 unread(src, BLOG_SRC_NGINX, u, sizeof(u)),
                 p->loader_dir[0] ? p->loader_dir : "the loader URL");
        return;
    case BLOG_ST_DHCP_IPXE:
        v->at = BLOG_ST_SCRIPT;
        blog_fmt(v->text, sizeof(v->text), "iPXE got its script's URL at %s "
                 "(%s) and nginx logged no request for it%s: check that "
                 "nginx runs and listens on that URL's host and port, that "
                 "its access log is the one read here, and that iPXE can "
                 "reach it (a router, a firewall).", t, s->detail,
                 unread(src, BLOG_SRC_NGINX, u, sizeof(u)));
        return;
    case BLOG_ST_SCRIPT:
        v->at = BLOG_ST_KERNEL;
        blog_fmt(v->text, sizeof(v->text), "iPXE got its script at %s and "
                 "fetched no kernel from this nginx (%s): if the kernel's "
                 "URL is on another server, look there; else iPXE could "
                 "not use the script (its console says why).", t,
                 p->kernel[0] ? p->kernel : "no kernel URL is known");
        return;
    case BLOG_ST_KERNEL:
        v->at = BLOG_ST_INITRD;
        blog_fmt(v->text, sizeof(v->text), "iPXE fetched the kernel at %s "
                 "but not the initrd (%s): it may be on another server, or "
                 "iPXE stopped (its console says why).", t,
                 p->initrd[0] ? p->initrd : "no initrd URL is known");
        return;
    default:
        break;
    }
    v->at = first_os(p, &path);
    if (last == BLOG_ST_OS_DHCP) {
        blog_fmt(v->text, sizeof(v->text), "the booted system got its "
                 "address %s at %s and fetched nothing from nginx since (%s "
                 "%s): look at the machine's console.", s->ip, t,
                 blog_stage_name(v->at), path);
        return;
    }
    blog_fmt(v->text, sizeof(v->text), "the kernel and initrd were served at "
             "%s and the booted system fetched nothing from nginx (%s %s): "
             "Linux did not start, or did not reach the network. Look at "
             "the machine's console: the kernel's console= argument, the "
             "NIC's driver in the initramfs or modloop, and ip=%s.", t,
             blog_stage_name(v->at), path,
             p->static_ip[0] ? " (a static address here)" : " (DHCP here)");
}

static void
declined_text(const blog_plan *p, const blog_boot *b, blog_verdict *v)
{
    const blog_step *s = &b->step[BLOG_ST_DECLINED];
    const char      *fix = "";
    char             t[40];

    when(s, t, sizeof(t));
    if (strstr(s->detail, "(unknown-mac)") != NULL) {
        fix = " Add a [host] with its mac, or set [server] unknown = default.";
    } else if (strstr(s->detail, "(boot-off)") != NULL) {
        fix = " Its [host] has boot = off: set boot = netboot to boot it.";
    } else if (strstr(s->detail, "(no-loader)") != NULL) {
        fix = " Name a loader for its architecture in [loader].";
    } else if (strstr(s->detail, "(unsupported-arch)") != NULL) {
        fix = " alpxe has no loader slot for that architecture.";
    } else if (strstr(s->detail, "(too-long)") != NULL) {
        fix = " Shorten [server] http: the URL must fit a DHCP option.";
    }
    (void) p;
    blog_fmt(v->text, sizeof(v->text), "at %s Kea saw it ask to boot (%s) "
             "and alpxe did not answer: %s.%s", t,
             b->arch[0] != '\0' ? b->arch : "no architecture", s->detail,
             fix);
}

void
blog_diagnose(const blog_plan *p, const blog_boot *b,
    const blog_sources *src, long long now_ms, long stall_s,
    blog_verdict *v)
{
    const blog_step *s;
    blog_stage       last = BLOG_ST_COUNT;
    const char      *path;
    char             t[40], u[300];
    size_t           i;
    int              any_dhcp, os = 0;

    memset(v, 0, sizeof(*v));
    v->at = BLOG_ST_COUNT;
    v->last = BLOG_ST_COUNT;
    if (b == NULL) {
        v->outcome = BLOG_OUT_NEVER_SEEN;
        blog_fmt(v->text, sizeof(v->text), "no record of it in the logs%s: "
                 "it has not asked this DHCP server to boot. Check that its "
                 "firmware boots from the network (network boot enabled "
                 "for this NIC, first in the boot order) and that it reaches "
                 "Kea (the same network, or a DHCP relay pointing at it).%s%s",
                 unread(src, BLOG_SRC_KEA, u, sizeof(u)),
                 p->action == ALPXE_ACTION_NONE ? " alpxe would not answer "
                 "it anyway: " : "",
                 p->action == ALPXE_ACTION_NONE ? p->reason : "");
        return;
    }

    /* the furthest stage reached, and whether the booted system ran */
    for (i = 0; i < CHAIN_LEN; i++) {
        if (served(b, chain[i])) {
            last = chain[i];
            os |= is_os(chain[i]);
        }
    }
    v->last = last;
    any_dhcp = served(b, BLOG_ST_DHCP_PXE) || served(b, BLOG_ST_DHCP_HTTP)
               || served(b, BLOG_ST_DHCP_IPXE);

    /* a stage that failed and was never served */
    for (i = 0; i < CHAIN_LEN; i++) {
        s = &b->step[chain[i]];
        if (s->seen && s->ok == 0 && s->failed > 0) {
            v->outcome = BLOG_OUT_FAILED;
            v->at = chain[i];
            v->at_ms = s->last_ms;
            failed_text(p, b, chain[i], v);
            return;
        }
    }
    if (b->step[BLOG_ST_DECLINED].seen && !any_dhcp) {
        v->outcome = strstr(b->step[BLOG_ST_DECLINED].detail, "(boot-off)")
                     != NULL ? BLOG_OUT_OFF : BLOG_OUT_DECLINED;
        v->at = BLOG_ST_DECLINED;
        v->at_ms = b->step[BLOG_ST_DECLINED].first_ms;
        declined_text(p, b, v);
        return;
    }
    if (os) {
        v->outcome = BLOG_OUT_BOOTED;
        v->at = last;
        s = &b->step[last];
        v->at_ms = s->first_ms;
        when(s, t, sizeof(t));
        blog_fmt(v->text, sizeof(v->text), "the booted system %s at %s, "
                 "%.1f s after the boot's first request.",
                 last == BLOG_ST_OS_DHCP ? "asked DHCP for its address"
                 : last == BLOG_ST_REPO ? "read the repository"
                 : last == BLOG_ST_METADATA ? "fetched its metadata"
                 : last == BLOG_ST_SSH_KEY ? "fetched its SSH key"
                 : last == BLOG_ST_APKOVL ? "fetched its apkovl"
                 : "fetched its modloop", t,
                 (double) (s->first_ms - b->start_ms) / 1000);
        return;
    }
    if (served(b, BLOG_ST_SCRIPT)
        && (strcmp(b->script_result, "exit") == 0
            || (b->script_result[0] == '\0'
                && p->action == ALPXE_ACTION_EXIT)))
    {
        v->outcome = BLOG_OUT_EXITED;
        v->at = BLOG_ST_SCRIPT;
        v->at_ms = b->step[BLOG_ST_SCRIPT].first_ms;
        when(&b->step[BLOG_ST_SCRIPT], t, sizeof(t));
        blog_fmt(v->text, sizeof(v->text), "its script at %s was `exit` "
                 "(%s): the firmware went on to its next boot device, as "
                 "alpxe.conf says.", t, p->reason);
        return;
    }
    if (served(b, BLOG_ST_KERNEL) && served(b, BLOG_ST_INITRD)
        && first_os(p, &path) == BLOG_ST_OS_DHCP && p->kernel[0] != '\0')
    {
        v->outcome = BLOG_OUT_HANDED_OVER;
        v->at = BLOG_ST_INITRD;
        v->at_ms = b->step[BLOG_ST_INITRD].first_ms;
        when(&b->step[BLOG_ST_INITRD], t, sizeof(t));
        blog_fmt(v->text, sizeof(v->text), "kernel and initrd served at %s; "
                 "its profile gives the booted system nothing to fetch "
                 "(no modloop, apkovl, repo or ssh_key), so the logs end "
                 "here.", t);
        return;
    }
    if (last == BLOG_ST_COUNT) {
        /* seen, but nothing served: a lone declined exchange aside */
        v->outcome = BLOG_OUT_STOPPED;
        v->at = BLOG_ST_DHCP_PXE;
        v->at_ms = b->start_ms;
        blog_fmt(v->text, sizeof(v->text), "its requests are in the logs "
                 "but none of alpxe's answers is%s: is the hook's logger at "
                 "INFO?", unread(src, BLOG_SRC_KEA, u, sizeof(u)));
        return;
    }
    v->at_ms = b->last_ms;
    if (now_ms - b->last_ms < stall_s * 1000LL) {
        v->outcome = BLOG_OUT_IN_PROGRESS;
        v->at = last;
        when(&b->step[last], t, sizeof(t));
        blog_fmt(v->text, sizeof(v->text), "under way: its last stage, %s, "
                 "at %s, %.0f s ago (a boot silent for %ld s has stopped).",
                 blog_stage_name(last), t,
                 (double) (now_ms - b->last_ms) / 1000, stall_s);
        return;
    }
    v->outcome = BLOG_OUT_STOPPED;
    stopped_text(p, b, last, src, v);
}

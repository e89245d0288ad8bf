/*
 * explain.c - `alpxe explain MAC`: play each client a machine runs
 * through (PXE ROM or UEFI HTTP boot, then iPXE) against the core's
 * decisions and print what every server answers, stage by stage.
 */

#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "cli.h"

typedef struct {
    const char  *name;
    unsigned     type;          /* option 93 of the firmware's client */
    int          http;          /* UEFI HTTP boot instead of a PXE ROM */
    unsigned     ipxe_type;     /* option 93 of the iPXE it loads */
} explain_arch;

/* Every name `--arch` takes; usage text and the error list it. */
static const explain_arch archs[] = {
    { "bios",      0,  0, 0  },
    { "efi32",     6,  0, 6  },
    { "efi64",     7,  0, 7  },
    { "arm32",     10, 0, 10 },
    { "arm64",     11, 0, 11 },
    { "http32",    15, 1, 6  },
    { "http64",    16, 1, 7  },
    { "httparm32", 18, 1, 10 },
    { "httparm64", 19, 1, 11 },
};

void
cli_explain_archs(char *out, size_t size, int indent, int width)
{
    size_t    i, count = sizeof(archs) / sizeof(archs[0]);
    int       line = 0, w;
    char      word[32];
    alpxe_buf b;

    buf_init(&b, out, size);
    for (i = 0; i < count; i++) {
        w = snprintf(word, sizeof(word), "%s%s%s", archs[i].name,
                     i == 0 ? " (default)" : "",
                     i + 2 < count ? "," : i + 1 < count ? " or" : "");
        if (line == 0 || line + 1 + w > width) {
            if (line != 0) {
                buf_puts(&b, "\n");
            }
            for (line = 0; line < indent; line++) {
                buf_puts(&b, " ");
            }
        } else {
            buf_puts(&b, " ");
            line++;
        }
        buf_puts(&b, word);
        line += w;
    }
    buf_puts(&b, "\n");
    if (buf_finish(&b) != 0 && size > 0) {
        out[0] = '\0';
    }
}

typedef struct {
    const cli_opts  *o;
    const char      *bold;
    const char      *dim;
    const char      *off;
} explain_out;

static void
print_answer(const explain_out *x, const alpxe_dhcp_answer *a)
{
    if (!a->answer) {
        printf("   answer: %snone%s, the packet is left as the DHCP server "
               "made it (%s)\n", x->bold, x->off, a->reason);
        return;
    }
    printf("   answer: next-server %u.%u.%u.%u, file %s%s%s", a->siaddr[0],
           a->siaddr[1], a->siaddr[2], a->siaddr[3], x->bold, a->file,
           x->off);
    if (a->vendor_class_httpclient) {
        printf(", option 60 HTTPClient");
    }
    if (a->ipxe_no_pxedhcp) {
        printf(", option 175.176 no-pxedhcp = 1");
    }
    printf("\n");
    if (a->file_len > ALPXE_DHCP_FILE_MAX) {
        printf("   %snote: %zu bytes, too long for the file field; option 67 "
               "carries it%s\n", x->dim, a->file_len, x->off);
    }
}

/* Ask the core what a client with these options gets. */
static void
ask(const alpxe_config *cfg, const alpxe_mac *mac, const char *vendor,
    unsigned type, int ipxe, alpxe_dhcp_answer *a)
{
    alpxe_dhcp_query q;
    uint8_t          arch[2] = { (uint8_t) (type >> 8), (uint8_t) type };

    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.chaddr = mac->b;
    q.hlen = 6;
    q.vendor_class = (const uint8_t *) vendor;
    q.vendor_class_len = strlen(vendor);
    q.arch = arch;
    q.arch_len = 2;
    if (ipxe) {
        q.user_class = (const uint8_t *) "iPXE";
        q.user_class_len = 4;
        q.has_ipxe_encap = 1;
    }
    alpxe_dhcp_decide(cfg, &q, a);
}

static void
print_machine(const explain_out *x, const alpxe_config *cfg,
    const alpxe_mac *mac, const explain_arch *arch, const alpxe_machine *m)
{
    char              s[ALPXE_MAC_STR];

    alpxe_mac_format(mac, ':', s);
    printf("%s%s%s, arch %s (option 93 = %u)\n", x->bold, s, x->off,
           arch->name, arch->type);
    if (m->host != NULL) {
        printf("host %s (%s:%u), profile %s, boot = %s\n",
               alpxe_host_name(m->host), alpxe_config_path(cfg),
               alpxe_host_line(m->host), alpxe_host_profile(m->host),
               alpxe_boot_name(alpxe_host_boot(m->host)));
    } else {
        printf("unknown MAC: no [host] has it\n");
    }
    printf("=> %s%s%s%s%s (%s)\n\n", x->bold,
           alpxe_action_name(m->action),
           m->profile == NULL ? ""
           : m->action == ALPXE_ACTION_MENU ? ", default " : " ",
           m->profile != NULL ? m->profile : "", x->off, m->reason);
}

/* Text, one indented line each, dimmed. */
static void
print_text(const explain_out *x, const char *text, size_t len)
{
    const char *p, *end, *nl;

    for (p = text, end = text + len; p < end; p = nl + 1) {
        nl = memchr(p, '\n', (size_t) (end - p));
        if (nl == NULL) {
            nl = end;
        }
        printf("   %s%.*s%s\n", x->dim, (int) (nl - p), p, x->off);
    }
}

/* What the core answers a request for this MAC (a document, a choice). */
static int
answer(const alpxe_config *cfg, const alpxe_mac *mac, alpxe_doc doc,
    const char *profile, char *buf, alpxe_script *s)
{
    alpxe_request req;

    memset(&req, 0, sizeof(req));
    req.have_mac = 1;
    req.mac = *mac;
    req.doc = doc;
    snprintf(req.profile, sizeof(req.profile), "%s", profile);
    return alpxe_answer(cfg, &req, buf, ALPXE_DOC_MAX, s);
}

/* A machine that boots a profile with metadata = yes: what tiny-cloud
 * fetches from the seed on its kernel line, each document in full. */
static int
print_documents(const explain_out *x, const alpxe_config *cfg,
    const alpxe_mac *mac, const char *profile, int step, char *buf)
{
    alpxe_script s;
    char         m[ALPXE_MAC_STR];
    int          d;

    alpxe_mac_format(mac, ':', m);
    if (answer(cfg, mac, ALPXE_DOC_META_DATA, profile, buf, &s) != 0
        || s.text == NULL)
    {
        return step;            /* no metadata */
    }
    for (d = ALPXE_DOC_META_DATA; d < ALPXE_DOC_COUNT; d++) {
        printf("%d. tiny-cloud fetches %s/%s/%s%s/%s\n", step++,
               alpxe_config_http(cfg), m, profile, profile[0] ? "/" : "",
               alpxe_doc_name((alpxe_doc) d));
        if (answer(cfg, mac, (alpxe_doc) d, profile, buf, &s) != 0
            || s.text == NULL)
        {
            printf("   answer: 404\n");
            continue;
        }
        printf("   answer: 200, %zu bytes%s\n", s.len, s.len != 0 ? ":" : "");
        print_text(x, s.text, s.len);
    }
    return step;
}

static int
print_script(const explain_out *x, const alpxe_config *cfg,
    const alpxe_mac *mac, const char *url, int step)
{
    char        *buf;
    alpxe_script s, c;
    size_t       i, n;
    char         m[ALPXE_MAC_STR];
    int          rc = CLI_OK;

    buf = malloc(ALPXE_DOC_MAX);
    if (buf == NULL) {
        printf("   out of memory\n");
        return CLI_FAIL;
    }
    printf("%d. iPXE fetches %s\n", step++, url);
    if (alpxe_script_for(cfg, mac, buf, ALPXE_DOC_MAX, &s) != 0) {
        printf("   answer: script too long\n");
        free(buf);
        return CLI_FAIL;
    }
    if (s.machine.action == ALPXE_ACTION_NONE) {
        printf("   answer: 404, no script (%s)\n", s.machine.reason);
        free(buf);
        return CLI_OK;
    }
    printf("   answer: 200, %s%s%s:\n",
           s.machine.action == ALPXE_ACTION_EXIT ? "the exit script"
           : s.machine.action == ALPXE_ACTION_MENU ? "a menu"
           : "profile script",
           s.machine.action == ALPXE_ACTION_BOOT ? " " : "",
           s.machine.action == ALPXE_ACTION_BOOT ? s.machine.profile : "");
    print_text(x, s.text, s.len);

    if (s.machine.action == ALPXE_ACTION_BOOT) {
        (void) print_documents(x, cfg, mac, "", step, buf);
    }
    if (s.machine.action != ALPXE_ACTION_MENU) {
        free(buf);
        return CLI_OK;
    }

    /* each choice the menu offers, as iPXE then fetches it */
    alpxe_mac_format(mac, ':', m);
    n = alpxe_config_profile_count(cfg);
    for (i = 0; i < n; i++) {
        const char *name = alpxe_config_profile_name(cfg, i);

        if (answer(cfg, mac, ALPXE_DOC_SCRIPT, name, buf, &c) != 0) {
            rc = CLI_FAIL;
            continue;
        }
        if (c.text == NULL) {
            continue;           /* not offered */
        }
        printf("%d. the choice %s%s%s: iPXE fetches %s/%s/%s?profile=%s\n",
               step++, x->bold, name, x->off, alpxe_config_http(cfg), m,
               ALPXE_SCRIPT_NAME, name);
        printf("   answer: 200, profile script %s:\n", name);
        print_text(x, c.text, c.len);
        if (answer(cfg, mac, ALPXE_DOC_META_DATA, name, buf, &c) == 0
            && c.text != NULL)
        {
            printf("   with NoCloud documents at %s/%s/%s/ (alpxe render %s "
                   "meta-data --profile %s)\n", alpxe_config_http(cfg), m,
                   name, m, name);
        }
    }
    free(buf);
    return rc;
}

int
cli_explain(const cli_opts *o, const char *macstr, const char *archname)
{
    const explain_arch *arch = NULL;
    alpxe_config       *cfg;
    alpxe_dhcp_answer   a;
    alpxe_machine       m;
    alpxe_mac           mac;
    explain_out         x;
    char                vendor[64], file[ALPXE_URL_MAX];
    size_t              i;
    int                 rc, step = 1;

    for (i = 0; i < sizeof(archs) / sizeof(archs[0]); i++) {
        if (strcmp(archs[i].name, archname) == 0) {
            arch = &archs[i];
        }
    }
    if (arch == NULL) {
        fprintf(stderr, "alpxe: unknown arch '%s' (", archname);
        for (i = 0; i < sizeof(archs) / sizeof(archs[0]); i++) {
            fprintf(stderr, "%s%s", i != 0 ? ", " : "", archs[i].name);
        }
        fprintf(stderr, ")\n");
        return CLI_USAGE;
    }
    if (alpxe_mac_parse(macstr, strlen(macstr), &mac) != 0) {
        fprintf(stderr, "alpxe: '%s' is not a MAC address\n", macstr);
        return CLI_USAGE;
    }
    if (cli_load(o, 0, &cfg) != 0) {
        return CLI_FAIL;
    }

    x.o = o;
    x.bold = cli_color(o->color_out, "\033[1m");
    x.dim = cli_color(o->color_out, "\033[36m");
    x.off = cli_color(o->color_out, "\033[0m");
    alpxe_machine_for(cfg, &mac, &m);
    print_machine(&x, cfg, &mac, arch, &m);

    /* What the firmware's own client sends (EDK2, PXE ROMs). */
    snprintf(vendor, sizeof(vendor), "%s:Arch:%05u:UNDI:003000",
             arch->http ? "HTTPClient" : "PXEClient", arch->type);
    printf("%d. %s asks DHCP (option 60 %s, option 93 = %u)\n", step++,
           arch->http ? "UEFI HTTP boot" : "PXE ROM", vendor, arch->type);
    ask(cfg, &mac, vendor, arch->type, 0, &a);
    print_answer(&x, &a);
    if (!a.answer) {
        alpxe_config_free(cfg);
        return CLI_OK;
    }

    if (arch->http) {
        printf("%d. firmware fetches %s over HTTP (a static nginx "
               "location)\n", step++, a.file);
    } else {
        rc = alpxe_tftp_resolve(cfg, a.file, a.file_len, file, sizeof(file));
        printf("%d. PXE ROM fetches %s over TFTP: %s%s%s\n", step++, a.file,
               x.bold, rc == 0 ? file : "denied", x.off);
        if (rc != 0) {
            alpxe_config_free(cfg);
            return CLI_OK;
        }
        printf("   served from %s/%s\n", alpxe_tftp_root(cfg), file);
    }

    /* The loader is iPXE: it asks again, and says so. */
    printf("%d. iPXE asks DHCP (option 77 iPXE, option 175)\n", step++);
    ask(cfg, &mac, vendor, arch->ipxe_type, 1, &a);
    print_answer(&x, &a);
    if (!a.answer) {
        alpxe_config_free(cfg);
        return CLI_OK;
    }

    rc = print_script(&x, cfg, &mac, a.file, step);
    alpxe_config_free(cfg);
    return rc;
}

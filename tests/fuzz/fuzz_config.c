/*
 * fuzz_config.c - libFuzzer target: the configuration loader, then every
 * decision on whatever configuration loaded.  A loaded config must answer
 * anything without crashing; a rejected one must leave nothing behind
 * (LeakSanitizer checks).
 */

#include <errno.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "alpxe.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Every document, plain and as a menu's choice of each profile: what is
 * served fits ALPXE_DOC_MAX, and a buffer of the size asked for is
 * enough. */
static void
exercise_answers(const alpxe_config *cfg, const alpxe_mac *mac)
{
    static char   big[ALPXE_DOC_MAX];
    alpxe_request req;
    alpxe_script  s;
    size_t        i, n = alpxe_config_profile_count(cfg);
    int           d, rc;

    for (i = 0; i <= n && i < 8; i++) {
        for (d = 0; d < ALPXE_DOC_COUNT; d++) {
            memset(&req, 0, sizeof(req));
            req.have_mac = 1;
            req.mac = *mac;
            req.doc = (alpxe_doc) d;
            if (i < n) {
                strcpy(req.profile, alpxe_config_profile_name(cfg, i));
            }
            rc = alpxe_answer(cfg, &req, NULL, 0, &s);
            if (rc == -ENOSPC) {
                char *exact = malloc(s.len);
                size_t need = s.len;

                if (exact == NULL || need > ALPXE_DOC_MAX
                    || alpxe_answer(cfg, &req, exact, need, &s) != 0
                    || s.len != need)
                {
                    abort();
                }
                free(exact);
            } else if (rc != 0) {
                abort();
            }
            if (alpxe_answer(cfg, &req, big, sizeof(big), &s) != 0
                || (s.text != NULL && s.len > ALPXE_DOC_MAX))
            {
                abort();
            }
        }
    }
    memset(&req, 0, sizeof(req));
    if (alpxe_answer(cfg, &req, NULL, 0, &s) != 0 || s.text == NULL) {
        abort();                /* the chain script is always there */
    }
}

static void
exercise(const alpxe_config *cfg, const alpxe_mac *mac)
{
    static const uint8_t arch_bios[2] = { 0, 0 }, arch_efi[2] = { 0, 7 };
    alpxe_dhcp_query     q;
    alpxe_dhcp_answer    a;
    alpxe_script         s;
    char                 buf[ALPXE_SCRIPT_MAX];

    memset(&q, 0, sizeof(q));
    q.htype = 1;
    q.hlen = 6;
    q.chaddr = mac->b;
    q.vendor_class = (const uint8_t *) "PXEClient:Arch:00000:UNDI:002001";
    q.vendor_class_len = 32;
    q.arch = arch_bios;
    q.arch_len = 2;
    alpxe_dhcp_decide(cfg, &q, &a);
    if (a.answer && strlen(a.file) != a.file_len) {
        abort();
    }
    q.arch = arch_efi;
    q.has_ipxe_encap = 1;
    alpxe_dhcp_decide(cfg, &q, &a);
    if (alpxe_script_for(cfg, mac, buf, sizeof(buf), &s) == 0
        && s.machine.action != ALPXE_ACTION_NONE && (s.text == NULL || s.len == 0))
    {
        abort();
    }
    exercise_answers(cfg, mac);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    alpxe_config *cfg = NULL;
    alpxe_mac     mac = {{ 0x52, 0x54, 0, 0x12, 0x34, 0x56 }};
    char          out[256];
    size_t        i;

    if (alpxe_config_load_mem("fuzz.conf", (const char *) data, size,
                              ALPXE_LOAD_SCRIPTS, NULL, NULL, &cfg) != 0)
    {
        return 0;
    }
    for (i = 0; i < alpxe_config_host_count(cfg) && i < 64; i++) {
        const alpxe_host *h = alpxe_host_at(cfg, i);

        if (h == NULL || alpxe_host_name(h) == NULL) {
            abort();
        }
    }
    exercise(cfg, &mac);
    if (size >= 6) {
        memcpy(mac.b, data + size - 6, 6);
        exercise(cfg, &mac);
    }
    (void) alpxe_tftp_resolve(cfg, (const char *) data, size < 200 ? size : 200,
                              out, sizeof(out));
    alpxe_config_free(cfg);
    return 0;
}

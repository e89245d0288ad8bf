/*
 * dhcp-decide.c - what the core answers a query: the oracle of the Kea tests.
 *
 *     dhcp-client -n [query options] | dhcp-decide alpxe.conf
 *
 * reads the hex packet dhcp-client would send, fills alpxe_dhcp_query the
 * way the hook does (htype, chaddr[hlen], options 60/77/93, 175 present,
 * message type) and prints the decision in dhcp-client's reply format:
 *     answer=1  stage=pxe  siaddr=...  file=...  opt60=...  opt175=...
 * so a test can check that Kea's real reply carries exactly the core's
 * answer.  "siaddr=" and "opt60="/"opt175=" are empty when not set.
 */

#include <stdio.h>
#include <string.h>

#include "alpxe.h"

#define BOOTP_HDR 236

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    return -1;
}

static void
print_hex(const char *name, const void *data, size_t n)
{
    const unsigned char *p = data;
    size_t i;

    printf("%s=", name);
    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
    putchar('\n');
}

/* The options the hook reads, walked with bounds like Kea's parser. */
static void
read_options(const unsigned char *p, size_t len, alpxe_dhcp_query *q)
{
    size_t off = BOOTP_HDR + 4;

    while (off + 2 <= len && p[off] != 255) {
        unsigned char c = p[off], l = p[off + 1];

        if (c == 0) {
            off++;
            continue;
        }
        if (off + 2 + l > len)
            break;
        if (c == 60) {
            q->vendor_class = p + off + 2;
            q->vendor_class_len = l;
        } else if (c == 77) {
            q->user_class = p + off + 2;
            q->user_class_len = l;
        } else if (c == 93) {
            q->arch = p + off + 2;
            q->arch_len = l;
        } else if (c == 175) {
            q->has_ipxe_encap = 1;
        }
        off += 2 + (size_t)l;
    }
}

static void
diag(void *ctx, alpxe_severity severity, const char *file, unsigned line,
    const char *text)
{
    (void)ctx; (void)file; (void)line;
    if (severity == ALPXE_ERROR)
        fprintf(stderr, "%s\n", text);
}

int
main(int argc, char **argv)
{
    static unsigned char pkt[2048], chaddr[256];
    static alpxe_dhcp_answer a;
    alpxe_dhcp_query q;
    alpxe_config *cfg = NULL;
    size_t len = 0;
    int c, hi = -1, rc;

    if (argc != 2) {
        fputs("usage: dhcp-client -n ... | dhcp-decide CONFIG\n", stderr);
        return 2;
    }
    while ((c = getchar()) != EOF && len < sizeof(pkt)) {
        int v = hexval(c);

        if (v < 0)
            continue;
        if (hi < 0) {
            hi = v;
        } else {
            pkt[len++] = (unsigned char)(hi << 4 | v);
            hi = -1;
        }
    }
    if (len < BOOTP_HDR + 4) {
        fputs("dhcp-decide: short packet\n", stderr);
        return 2;
    }
    rc = alpxe_config_load(argv[1], 0, diag, NULL, &cfg);
    if (rc < 0) {
        fprintf(stderr, "dhcp-decide: cannot load %s (%d)\n", argv[1], rc);
        return 1;
    }

    memset(&q, 0, sizeof(q));
    q.htype = pkt[1];
    /* Kea's Pkt4 takes hlen bytes of the 16-byte chaddr, zero-extended. */
    memcpy(chaddr, pkt + 28, 16);
    q.hlen = pkt[2];
    q.chaddr = chaddr;
    read_options(pkt, len, &q);
    alpxe_dhcp_decide(cfg, &q, &a);

    printf("answer=%d\nstage=%s\n", a.answer, alpxe_stage_name(a.stage));
    if (a.answer && a.set_siaddr)
        printf("siaddr=%u.%u.%u.%u\n", a.siaddr[0], a.siaddr[1], a.siaddr[2],
            a.siaddr[3]);
    else
        printf("siaddr=\n");
    printf("file=%s\n", a.answer ? a.file : "");
    if (a.answer && a.vendor_class_httpclient)
        print_hex("opt60", "HTTPClient", 10);
    else
        printf("opt60=\n");
    if (a.answer && a.ipxe_no_pxedhcp)
        print_hex("opt175", "\xb0\x01\x01", 3);
    else
        printf("opt175=\n");
    alpxe_config_free(cfg);
    return 0;
}

/*
 * dhcp-client.c - a DHCPv4 test client and load generator for alpxe's Kea
 * tests (the command line and the one-shot exchange).
 *
 * It talks to a kea-dhcp4 on loopback as a relay agent would: the query
 * goes from 127.0.0.2 (giaddr) to 127.0.0.1:SERVER-PORT and Kea, started
 * with -P REPLY-PORT, answers to giaddr:REPLY-PORT.  Any option can be
 * sent, malformed ones included, and the answer is printed one field per
 * line:
 *     siaddr=10.0.0.28
 *     file=undionly.kpxe
 *     opt60=48545450436c69656e74      (options: payload in hex)
 * -X prints the whole reply as one hex line (byte-for-byte comparisons),
 * -n prints the query as hex instead of sending it (for dhcp-decide),
 * -B makes it a load generator (dhcp-bench.c).
 *
 * Exit status: 0 answer received, 3 no answer, 2 usage, 1 other error.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp-client.h"

static void
usage(void)
{
    fputs("usage: dhcp-client [options] SERVER-PORT REPLY-PORT\n"
        "  -t TYPE      discover|request|inform|N (option 53; 0: none)\n"
        "  -m MAC       chaddr, 1-16 hex octets (default 52:54:00:12:34:56)\n"
        "  -H HTYPE     htype (default 1)    -l HLEN  hlen (default: MAC length)\n"
        "  -V STRING    option 60            -u STRING  option 77\n"
        "  -a N[,N]     option 93 types      -e         option 175 (as iPXE)\n"
        "  -p N[,N]     option 55            -o CODE[/LEN]:HEX  any option\n"
        "  -r IP        option 50            -S IP      option 54\n"
        "  -x XID       transaction id       -w MS      timeout (2000)\n"
        "  -E           no end option        -T N       cut options after N bytes\n"
        "  -d           DISCOVER, then REQUEST the offer, print the ACK\n"
        "  -X           print the reply as one hex line\n"
        "  -n           print the query as hex, send nothing\n"
        "  -B SECONDS   load generator: -N MACS (1000), -W WINDOW (16),\n"
        "               -P print siaddr/file of every answer,\n"
        "               -R N send again N times before giving up (0)\n",
        stderr);
    exit(2);
}

static int
hexval(int c)
{
    if (c >= '0' && c <= '9')
        return c - '0';
    if (c >= 'a' && c <= 'f')
        return c - 'a' + 10;
    if (c >= 'A' && c <= 'F')
        return c - 'A' + 10;
    return -1;
}

/* Hex digits, optionally separated by ':' '-' '.'; returns the byte count
 * or -1.  Used for MACs and option payloads. */
static long
parse_hex(const char *s, uint8_t *out, size_t max)
{
    size_t n = 0;

    while (*s) {
        int hi, lo;

        if (*s == ':' || *s == '-' || *s == '.') {
            s++;
            continue;
        }
        hi = hexval(s[0]);
        lo = hi < 0 ? -1 : hexval(s[1]);
        if (lo < 0 || n == max)
            return -1;
        out[n++] = (uint8_t)(hi << 4 | lo);
        s += 2;
    }
    return (long)n;
}

static long
parse_num(const char *s, long max)
{
    char *end;
    long v;

    errno = 0;
    v = strtol(s, &end, 0);
    if (errno || end == s || *end || v < 0 || v > max) {
        fprintf(stderr, "dhcp-client: bad number '%s'\n", s);
        exit(2);
    }
    return v;
}

static struct opt *
add_opt(struct query *q, int code)
{
    struct opt *o = packet_add_option(q, code, NULL, 0);

    if (o == NULL)
        usage();
    return o;
}

static void
add_string(struct query *q, int code, const char *s)
{
    struct opt *o = add_opt(q, code);
    size_t n = strlen(s);

    if (n > sizeof(o->data))
        usage();
    memcpy(o->data, s, n);
    o->n = n;
}

/* "N,N,...": one byte (width 1) or a big-endian 16-bit word (width 2) each. */
static void
add_list(struct query *q, int code, const char *s, int width)
{
    struct opt *o = add_opt(q, code);
    const char *p = s;

    for (;;) {
        char num[16];
        size_t n = strcspn(p, ",");
        long v;

        if (n == 0 || n >= sizeof(num) ||
            o->n + (size_t)width > sizeof(o->data))
            usage();
        memcpy(num, p, n);
        num[n] = '\0';
        v = parse_num(num, width == 1 ? 0xff : 0xffff);
        if (width == 2)
            o->data[o->n++] = (uint8_t)(v >> 8);
        o->data[o->n++] = (uint8_t)v;
        if (!p[n])
            break;
        p += n + 1;
    }
}

/* "CODE[/LEN]:HEX": LEN overrides the length byte (malformed options). */
static void
add_raw(struct query *q, const char *s)
{
    char head[16];
    size_t hlen = strcspn(s, ":");
    char *slash;
    struct opt *o;
    long n;

    if (!s[hlen] || hlen == 0 || hlen >= sizeof(head))
        usage();
    memcpy(head, s, hlen);
    head[hlen] = '\0';
    slash = strchr(head, '/');
    if (slash)
        *slash++ = '\0';
    o = add_opt(q, (int)parse_num(head, 255));
    if (slash)
        o->len = (int)parse_num(slash, 255);
    n = parse_hex(s + hlen + 1, o->data, sizeof(o->data));
    if (n < 0)
        usage();
    o->n = (size_t)n;
}

static void
print_hex(const uint8_t *p, size_t n)
{
    size_t i;

    for (i = 0; i < n; i++)
        printf("%02x", p[i]);
}

/* Fixed-size text fields: printable ASCII as is, the rest as \xNN. */
static void
print_text(const char *name, const uint8_t *p, size_t max)
{
    size_t i;

    printf("%s=", name);
    for (i = 0; i < max && p[i]; i++) {
        if (p[i] >= 0x20 && p[i] < 0x7f && p[i] != '\\')
            putchar(p[i]);
        else
            printf("\\x%02x", p[i]);
    }
    putchar('\n');
}

static void
print_reply(const uint8_t *p, size_t len)
{
    char a[INET_ADDRSTRLEN];
    size_t off = BOOTP_HDR + 4;
    uint32_t xid;

    memcpy(&xid, p + 4, 4);
    printf("op=%u\nhtype=%u\nhlen=%u\nxid=0x%08x\n", p[0], p[1], p[2],
        ntohl(xid));
    printf("yiaddr=%s\n", inet_ntop(AF_INET, p + 16, a, sizeof(a)));
    printf("siaddr=%s\n", inet_ntop(AF_INET, p + 20, a, sizeof(a)));
    printf("giaddr=%s\n", inet_ntop(AF_INET, p + 24, a, sizeof(a)));
    printf("chaddr=");
    print_hex(p + 28, 16);
    putchar('\n');
    print_text("sname", p + 44, 64);
    print_text("file", p + 108, 128);
    while (off < len) {
        uint8_t c = p[off], l;

        if (c == 255)
            break;
        if (c == 0) {
            off++;
            continue;
        }
        if (off + 2 > len || off + 2 + p[off + 1] > len) {
            printf("truncated=%u\n", c);
            break;
        }
        l = p[off + 1];
        printf("opt%u=", c);
        print_hex(p + off + 2, l);
        putchar('\n');
        off += 2 + (size_t)l;
    }
}

int
client_socket(int reply_port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1;

    if (fd < 0) {
        perror("dhcp-client: socket");
        exit(1);
    }
    /* Successive runs of one suite reuse the reply port. */
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)reply_port);
    inet_pton(AF_INET, RELAY_ADDR, &sa.sin_addr);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("dhcp-client: bind " RELAY_ADDR);
        exit(1);
    }
    return fd;
}

void
client_send(int fd, int server_port, const uint8_t *p, size_t len)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)server_port);
    inet_pton(AF_INET, SERVER_ADDR, &sa.sin_addr);
    if (sendto(fd, p, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("dhcp-client: sendto");
        exit(1);
    }
}

double
client_now(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Wait for the reply to xid (older replies are dropped); returns its
 * length, 0 on timeout. */
static size_t
wait_reply(int fd, uint32_t xid, uint8_t *p, int timeout_ms)
{
    double deadline = client_now() + timeout_ms / 1000.0;

    for (;;) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        int left = (int)((deadline - client_now()) * 1000);
        ssize_t n;

        if (left <= 0 || poll(&pfd, 1, left) <= 0)
            return 0;
        n = recv(fd, p, PKT_MAX, 0);
        if (n >= BOOTP_HDR + 4 && p[0] == 2 && memcmp(p + 4, &xid, 4) == 0)
            return (size_t)n;
    }
}

static size_t
build_or_die(const struct query *q, uint8_t *pkt)
{
    size_t len = packet_build(q, pkt);

    if (!len) {
        fputs("dhcp-client: the options do not fit in a packet\n", stderr);
        exit(2);
    }
    return len;
}

int
main(int argc, char **argv)
{
    static struct query q;
    uint8_t pkt[PKT_MAX], reply[PKT_MAX];
    int c, dora = 0, hex_reply = 0, dry = 0, timeout = 2000, hlen_set = 0;
    int print_answers = 0, fd, server_port;
    long bench = 0, macs = 1000, window = 16, retries = 0, n;
    size_t len, rlen;

    q.type = DISCOVER;
    q.htype = 1;
    q.hlen = 6;
    q.truncate = -1;
    parse_hex("52:54:00:12:34:56", q.chaddr, 16);
    srand((unsigned)(time(NULL) ^ getpid()));
    q.xid = (uint32_t)rand() << 16 ^ (uint32_t)rand();

    while ((c = getopt(argc, argv, "t:m:H:l:V:u:a:ep:o:r:S:x:w:ET:dXnB:N:W:PR:"))
        != -1) {
        switch (c) {
        case 't':
            if (!strcmp(optarg, "discover"))
                q.type = DISCOVER;
            else if (!strcmp(optarg, "request"))
                q.type = REQUEST;
            else if (!strcmp(optarg, "inform"))
                q.type = INFORM;
            else
                q.type = (int)parse_num(optarg, 255);
            break;
        case 'm':
            memset(q.chaddr, 0, sizeof(q.chaddr));
            n = parse_hex(optarg, q.chaddr, 16);
            if (n < 0)
                usage();
            if (!hlen_set)
                q.hlen = (uint8_t)n;
            break;
        case 'H': q.htype = (uint8_t)parse_num(optarg, 255); break;
        case 'l': q.hlen = (uint8_t)parse_num(optarg, 255); hlen_set = 1; break;
        case 'V': add_string(&q, 60, optarg); break;
        case 'u': add_string(&q, 77, optarg); break;
        case 'a': add_list(&q, 93, optarg, 2); break;
        case 'p': add_list(&q, 55, optarg, 1); break;
        case 'o': add_raw(&q, optarg); break;
        case 'e': add_raw(&q, "175:130101"); break; /* iPXE: HTTP feature */
        case 'r':
            if (inet_pton(AF_INET, optarg, &q.requested) != 1)
                usage();
            break;
        case 'S':
            if (inet_pton(AF_INET, optarg, &q.server_id) != 1)
                usage();
            break;
        case 'x':
            q.xid = htonl((uint32_t)parse_num(optarg, 0xffffffffL));
            break;
        case 'w': timeout = (int)parse_num(optarg, 600000); break;
        case 'E': q.no_end = 1; break;
        case 'T': q.truncate = parse_num(optarg, PKT_MAX); break;
        case 'd': dora = 1; break;
        case 'X': hex_reply = 1; break;
        case 'n': dry = 1; break;
        case 'B': bench = parse_num(optarg, 3600); break;
        case 'N': macs = parse_num(optarg, 1L << 30); break;
        case 'W': window = parse_num(optarg, BENCH_WINDOW_MAX); break;
        case 'P': print_answers = 1; break;
        case 'R': retries = parse_num(optarg, 100); break;
        default: usage();
        }
    }
    if (dry) {
        len = build_or_die(&q, pkt);
        print_hex(pkt, len);
        putchar('\n');
        return 0;
    }
    if (argc - optind != 2)
        usage();
    server_port = (int)parse_num(argv[optind], 65535);
    fd = client_socket((int)parse_num(argv[optind + 1], 65535));

    if (bench)
        return bench_run(fd, server_port, &q, bench, macs,
            window < 1 ? 1 : window, print_answers, retries);

    len = build_or_die(&q, pkt);
    client_send(fd, server_port, pkt, len);
    rlen = wait_reply(fd, q.xid, reply, timeout);
    if (rlen && dora && packet_type(reply, rlen) == OFFER) {
        packet_to_request(&q, reply, rlen);
        len = build_or_die(&q, pkt);
        client_send(fd, server_port, pkt, len);
        rlen = wait_reply(fd, q.xid, reply, timeout);
    }
    if (!rlen) {
        fputs("dhcp-client: no answer\n", stderr);
        return 3;
    }
    if (hex_reply) {
        print_hex(reply, rlen);
        putchar('\n');
    } else {
        print_reply(reply, rlen);
    }
    return 0;
}

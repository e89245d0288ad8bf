/*
 * dhcp-pair.c - which server of a pair answers each client.
 *
 *   dhcp-pair [-s pxe|ipxe] [-w MS] PORT1 REPLY1 PORT2 REPLY2 < MACS
 *
 * For every MAC on stdin (one per line) sends the same DHCPDISCOVER, as a
 * PXE ROM (BIOS, 93 = 0) or as iPXE (77 iPXE, 175), to both servers of a
 * Kea HA pair at once: 127.0.0.1:PORT1 answering to 127.0.0.2:REPLY1 and
 * 127.0.0.1:PORT2 answering to REPLY2, as the loopback tests' relay does
 * (dhcp-client.c).  Waits MS (2000) after the last query, then prints one
 * line per MAC: "MAC ANSWER1 ANSWER2", each "-" (no answer) or
 * "SIADDR,FILE".  Exit status: 0, 2 usage, 1 other error.
 */

#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#include "dhcp-client.h"

#define MAX_MACS    4096
#define ANSWER_MAX  (INET_ADDRSTRLEN + 130)

struct client {
    uint8_t mac[6];
    char    answer[2][ANSWER_MAX];
};

static struct client clients[MAX_MACS];

/* The relay's socket: dhcp-client.c's, which cannot be linked here
 * (it has the client's main). */
static int
relay_socket(int reply_port)
{
    struct sockaddr_in sa;
    int fd = socket(AF_INET, SOCK_DGRAM, 0), one = 1, size = 1 << 20;

    if (fd < 0) {
        perror("dhcp-pair: socket");
        exit(1);
    }
    setsockopt(fd, SOL_SOCKET, SO_REUSEADDR, &one, sizeof(one));
    setsockopt(fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)reply_port);
    inet_pton(AF_INET, RELAY_ADDR, &sa.sin_addr);
    if (bind(fd, (struct sockaddr *)&sa, sizeof(sa)) < 0) {
        perror("dhcp-pair: bind " RELAY_ADDR);
        exit(1);
    }
    return fd;
}

static void
relay_send(int fd, int server_port, const uint8_t *p, size_t len)
{
    struct sockaddr_in sa;

    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)server_port);
    inet_pton(AF_INET, SERVER_ADDR, &sa.sin_addr);
    if (sendto(fd, p, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0)
        perror("dhcp-pair: sendto");
}

static double
now_s(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* Collect answers on fds[0], fds[1] until `ms` of silence after now. */
static void
collect(int fds[2], int n, int ms)
{
    double end = now_s() + ms / 1000.0;
    uint8_t p[PKT_MAX];

    for (;;) {
        struct pollfd pfd[2] = { { fds[0], POLLIN, 0 }, { fds[1], POLLIN, 0 } };
        int left = (int)((end - now_s()) * 1000), k;

        if (left <= 0 || poll(pfd, 2, left) <= 0)
            return;
        for (k = 0; k < 2; k++) {
            ssize_t len;
            uint32_t xid;
            char a[INET_ADDRSTRLEN];

            if (!(pfd[k].revents & POLLIN))
                continue;
            while ((len = recv(fds[k], p, sizeof(p), MSG_DONTWAIT)) > 0) {
                if (len < BOOTP_HDR + 4 || p[0] != 2)
                    continue;
                memcpy(&xid, p + 4, 4);
                xid = ntohl(xid);
                if (xid == 0 || xid > (uint32_t)n)
                    continue;
                snprintf(clients[xid - 1].answer[k], ANSWER_MAX, "%s,%.128s",
                    inet_ntop(AF_INET, p + 20, a, sizeof(a)),
                    (const char *)p + 108);
            }
        }
    }
}

int
main(int argc, char **argv)
{
    static const char vendor[] = "PXEClient:Arch:00000:UNDI:002001";
    static const uint8_t arch[2] = { 0, 0 }, prl[4] = { 1, 3, 66, 67 };
    static const uint8_t ipxe175[3] = { 0x13, 0x01, 0x01 };
    struct query q;
    uint8_t pkt[PKT_MAX];
    char line[128];
    int c, n = 0, i, ms = 2000, ipxe = 0, port[2], fds[2];

    while ((c = getopt(argc, argv, "s:w:")) != -1) {
        switch (c) {
        case 's':
            if (strcmp(optarg, "ipxe") == 0)
                ipxe = 1;
            else if (strcmp(optarg, "pxe") != 0)
                return 2;
            break;
        case 'w':
            ms = atoi(optarg);
            break;
        default:
            fputs("usage: dhcp-pair [-s pxe|ipxe] [-w MS] PORT1 REPLY1 "
                "PORT2 REPLY2 < MACS\n", stderr);
            return 2;
        }
    }
    if (argc - optind != 4)
        return 2;
    port[0] = atoi(argv[optind]);
    port[1] = atoi(argv[optind + 2]);
    fds[0] = relay_socket(atoi(argv[optind + 1]));
    fds[1] = relay_socket(atoi(argv[optind + 3]));

    while (n < MAX_MACS && fgets(line, sizeof(line), stdin) != NULL) {
        line[strcspn(line, "\r\n")] = '\0';
        if (line[0] == '\0')
            continue;
        if (packet_parse_mac(line, clients[n].mac) != 0) {
            fprintf(stderr, "dhcp-pair: not a MAC: %s\n", line);
            return 2;
        }
        strcpy(clients[n].answer[0], "-");
        strcpy(clients[n].answer[1], "-");
        n++;
    }

    memset(&q, 0, sizeof(q));
    q.type = DISCOVER;
    q.htype = 1;
    q.hlen = 6;
    q.truncate = -1;
    packet_add_option(&q, 60, vendor, sizeof(vendor) - 1);
    packet_add_option(&q, 93, arch, sizeof(arch));
    packet_add_option(&q, 55, prl, sizeof(prl));
    if (ipxe) {
        packet_add_option(&q, 77, "iPXE", 4);
        packet_add_option(&q, 175, ipxe175, sizeof(ipxe175));
    }
    for (i = 0; i < n; i++) {
        size_t len;

        memcpy(q.chaddr, clients[i].mac, 6);
        q.xid = htonl((uint32_t)i + 1);
        len = packet_build(&q, pkt);
        relay_send(fds[0], port[0], pkt, len);
        relay_send(fds[1], port[1], pkt, len);
        /* a short pause every 32 queries: Kea's socket buffer is small */
        if (i % 32 == 31)
            collect(fds, n, 20);
    }
    collect(fds, n, ms);
    for (i = 0; i < n; i++) {
        const uint8_t *m = clients[i].mac;

        printf("%02x:%02x:%02x:%02x:%02x:%02x %s %s\n", m[0], m[1], m[2],
            m[3], m[4], m[5], clients[i].answer[0], clients[i].answer[1]);
    }
    return 0;
}

/*
 * dhcp-bench.c - the test client as a load generator.
 *
 * Keeps `window` DISCOVER -> OFFER -> REQUEST -> ACK exchanges in flight
 * on one socket for `seconds`, each from the next of `macs` MACs
 * 02:00:xx:xx:xx:xx (the numbering of tests/bench/gen-config), with the
 * options of the base query (so every client can look like a PXE ROM).
 * A lease is an ACK.  An exchange with no answer within a second is
 * sent again, as real clients do, up to `retries` times (0 by default),
 * then abandoned and counted as a timeout.
 *
 * Prints "leases=N seconds=S rate=R timeouts=T"; with print_answers, also
 * "answer siaddr=A file=F" for every OFFER and ACK (the reload tests check
 * that no answer mixes two configurations).
 */

#include <arpa/inet.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <sys/socket.h>

#include "dhcp-client.h"

#define EXCHANGE_TIMEOUT 1.0

struct exchange {
    uint32_t    xid;            /* network order; 0: slot free */
    uint32_t    mac;
    int         state;          /* DISCOVER or REQUEST sent */
    double      sent;
    uint32_t    requested, server_id;
    int         tries;          /* sends of the current state */
};

struct bench {
    int             fd, server_port;
    const struct query *base;
    long            macs;
    uint32_t        next_mac, seq;
    struct exchange ex[BENCH_WINDOW_MAX];
    struct query    q;          /* scratch: base + this exchange */
    uint8_t         pkt[PKT_MAX];
};

static void
send_state(struct bench *b, struct exchange *e)
{
    size_t len;

    b->q = *b->base;
    b->q.xid = e->xid;
    b->q.hlen = 6;
    memset(b->q.chaddr, 0, sizeof(b->q.chaddr));
    b->q.chaddr[0] = 0x02;
    b->q.chaddr[2] = (uint8_t)(e->mac >> 24);
    b->q.chaddr[3] = (uint8_t)(e->mac >> 16);
    b->q.chaddr[4] = (uint8_t)(e->mac >> 8);
    b->q.chaddr[5] = (uint8_t)e->mac;
    b->q.type = e->state;
    b->q.requested = e->state == REQUEST ? e->requested : 0;
    b->q.server_id = e->state == REQUEST ? e->server_id : 0;
    len = packet_build(&b->q, b->pkt);
    if (len)
        client_send(b->fd, b->server_port, b->pkt, len);
    e->sent = client_now();
    e->tries++;
}

/* Start a new exchange in slot i; the slot index is in the xid's low byte. */
static void
start(struct bench *b, int i)
{
    struct exchange *e = &b->ex[i];

    e->xid = htonl(++b->seq << 8 | (uint32_t)i);
    e->mac = b->next_mac;
    b->next_mac = (uint32_t)((b->next_mac + 1) % (unsigned long)b->macs);
    e->state = DISCOVER;
    e->tries = 0;
    send_state(b, e);
}

static void
print_answer(const uint8_t *p)
{
    char a[INET_ADDRSTRLEN];

    printf("answer siaddr=%s file=%.128s\n",
        inet_ntop(AF_INET, p + 20, a, sizeof(a)), (const char *)p + 108);
}

int
bench_run(int fd, int server_port, const struct query *base, long seconds,
    long macs, long window, int print_answers, long retries)
{
    static struct bench b;
    uint8_t reply[PKT_MAX + 1];
    long leases = 0, timeouts = 0, resent = 0, i;
    double t0, end;

    b.fd = fd;
    b.server_port = server_port;
    b.base = base;
    b.macs = macs < 1 ? 1 : macs;
    t0 = client_now();
    end = t0 + (double)seconds;
    for (i = 0; i < window; i++)
        start(&b, (int)i);

    while (client_now() < end) {
        struct pollfd pfd = { .fd = fd, .events = POLLIN };
        double t;

        if (poll(&pfd, 1, 10) > 0) {
            ssize_t n;

            /* Drain everything queued before looking at timeouts. */
            while ((n = recv(fd, reply, PKT_MAX, MSG_DONTWAIT)) > 0) {
                struct exchange *e;
                uint32_t xid;
                int type;

                if (n < BOOTP_HDR + 4 || reply[0] != 2)
                    continue;
                memcpy(&xid, reply + 4, 4);
                if ((long)(ntohl(xid) & 0xff) >= window)
                    continue;
                e = &b.ex[ntohl(xid) & 0xff];
                if (e->xid != xid)
                    continue;       /* an abandoned exchange's answer */
                type = packet_type(reply, (size_t)n);
                if (print_answers && (type == OFFER || type == ACK))
                    print_answer(reply);
                if (e->state == DISCOVER && type == OFFER) {
                    const uint8_t *sid;
                    size_t l = 0;

                    memcpy(&e->requested, reply + 16, 4);
                    sid = packet_option(reply, (size_t)n, 54, &l);
                    e->server_id = 0;
                    if (sid && l == 4)
                        memcpy(&e->server_id, sid, 4);
                    e->state = REQUEST;
                    e->tries = 0;
                    send_state(&b, e);
                } else if (e->state == REQUEST && (type == ACK || type == NAK)) {
                    leases += type == ACK;
                    start(&b, (int)(e - b.ex));
                }
            }
        }
        t = client_now();
        for (i = 0; i < window; i++) {
            if (t - b.ex[i].sent <= EXCHANGE_TIMEOUT)
                continue;
            if (b.ex[i].tries <= retries) {
                resent++;
                send_state(&b, &b.ex[i]);
            } else {
                timeouts++;
                start(&b, (int)i);
            }
        }
    }
    t0 = client_now() - t0;
    printf("leases=%ld seconds=%.3f rate=%.1f timeouts=%ld resent=%ld\n",
        leases, t0, (double)leases / t0, timeouts, resent);
    return leases > 0 ? 0 : 3;
}

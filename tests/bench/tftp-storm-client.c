/*
 * tftp-storm-client.c - N concurrent TFTP downloads from one process.
 *
 *   tftp-storm-client PORT NAME N EXPECTED-FILE [REPEAT]
 *
 * Sends N read requests for NAME (octet mode, 512-byte blocks) to
 * 127.0.0.1:PORT at once and drives all N transfers with poll(), the way a
 * rack of PXE ROMs powering up together would; each of the N clients
 * downloads the file REPEAT times (default 1), one after the other, so N
 * transfers are always under way.  Every block is compared with
 * EXPECTED-FILE as it arrives.  Prints the seconds from the first request
 * to the last block and exits 0 when all N x REPEAT downloads completed
 * with identical bytes; otherwise says what went wrong and exits 1.
 * One process instead of N tftp clients keeps process start-up out of
 * the figure, so what is measured is the server.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#define BLOCK           512
#define OP_RRQ          1
#define OP_DATA         3
#define OP_ACK          4
#define OP_ERROR        5
#define MAX_CLIENTS     1000
#define RETRANSMIT_MS   500
#define DEADLINE_MS     30000

typedef struct {
    int                 fd;
    struct sockaddr_in  server;         /* the transfer's own port (TID) */
    int                 have_tid;
    uint16_t            expect;         /* next block number */
    size_t              got;            /* bytes received and checked */
    int                 done;
    int                 failed;
    long                left;           /* downloads still to start */
    uint8_t             last[BLOCK + 64];   /* last packet sent, to resend */
    size_t              last_len;
    double              last_ms;
} session;

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static int
read_expected(const char *path, uint8_t **data, size_t *len)
{
    struct stat st;
    ssize_t     n;
    size_t      off = 0;
    int         fd;

    fd = open(path, O_RDONLY);
    if (fd < 0 || fstat(fd, &st) != 0)
        return -1;
    *len = (size_t)st.st_size;
    *data = malloc(*len + 1);
    if (*data == NULL)
        return -1;
    while (off < *len) {
        n = read(fd, *data + off, *len - off);
        if (n <= 0)
            return -1;
        off += (size_t)n;
    }
    close(fd);
    return 0;
}

static void
send_last(session *s, const struct sockaddr_in *to)
{
    sendto(s->fd, s->last, s->last_len, 0, (const struct sockaddr *)to,
        sizeof *to);
    s->last_ms = now_ms();
}

/* A new transfer: a fresh socket (so a new TID), then the RRQ. */
static int
start_transfer(session *s, const char *name, const struct sockaddr_in *server)
{
    size_t name_len = strlen(name);

    if (s->fd > 0)
        close(s->fd);
    s->fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK, 0);
    if (s->fd < 0)
        return -1;
    s->have_tid = 0;
    s->expect = 1;
    s->got = 0;
    s->done = 0;
    s->left--;
    s->last[0] = 0;
    s->last[1] = OP_RRQ;
    memcpy(s->last + 2, name, name_len + 1);
    memcpy(s->last + 3 + name_len, "octet", 6);
    s->last_len = 2 + name_len + 1 + 6;
    send_last(s, server);
    return 0;
}

static void
send_ack(session *s, uint16_t block)
{
    s->last[0] = 0;
    s->last[1] = OP_ACK;
    s->last[2] = (uint8_t)(block >> 8);
    s->last[3] = (uint8_t)block;
    s->last_len = 4;
    send_last(s, &s->server);
}

/* One datagram for session s; returns 0 when there was none. */
static int
receive(session *s, const uint8_t *want, size_t want_len)
{
    uint8_t             pkt[BLOCK + 4];
    struct sockaddr_in  from;
    socklen_t           fromlen = sizeof from;
    ssize_t             n;
    size_t              len;
    uint16_t            op, block;

    n = recvfrom(s->fd, pkt, sizeof pkt, 0, (struct sockaddr *)&from,
        &fromlen);
    if (n < 0)
        return 0;
    if (n < 4)
        return 1;
    op = (uint16_t)(pkt[0] << 8 | pkt[1]);
    block = (uint16_t)(pkt[2] << 8 | pkt[3]);
    if (op == OP_ERROR) {
        fprintf(stderr, "server error %u: %.*s\n", block, (int)(n - 4),
            (const char *)pkt + 4);
        s->failed = s->done = 1;
        return 1;
    }
    if (op != OP_DATA)
        return 1;
    if (!s->have_tid) {
        s->server = from;
        s->have_tid = 1;
    } else if (from.sin_port != s->server.sin_port) {
        return 1;                   /* not this transfer */
    }
    if (block != s->expect) {
        if (block == (uint16_t)(s->expect - 1))
            send_ack(s, block);     /* our ACK was lost: say it again */
        return 1;
    }
    len = (size_t)n - 4;
    if (s->got + len > want_len || memcmp(want + s->got, pkt + 4, len) != 0) {
        fprintf(stderr, "block %u differs from the expected file\n", block);
        s->failed = s->done = 1;
        return 1;
    }
    s->got += len;
    send_ack(s, block);
    s->expect++;
    if (len < BLOCK) {
        s->done = 1;
        if (s->got != want_len) {
            fprintf(stderr, "got %zu bytes, expected %zu\n", s->got,
                want_len);
            s->failed = 1;
        }
    }
    return 1;
}

int
main(int argc, char **argv)
{
    struct sockaddr_in  server;
    struct pollfd      *pfd;
    session            *ss;
    uint8_t            *want;
    size_t              want_len, name_len;
    double              t0, t1;
    long                port, n, repeat = 1;
    int                 i, left, failed = 0;

    if (argc != 5 && argc != 6) {
        fprintf(stderr, "usage: tftp-storm-client PORT NAME N FILE "
            "[REPEAT]\n");
        return 2;
    }
    port = strtol(argv[1], NULL, 10);
    n = strtol(argv[3], NULL, 10);
    if (argc == 6)
        repeat = strtol(argv[5], NULL, 10);
    name_len = strlen(argv[2]);
    if (port <= 0 || port > 65535 || n <= 0 || n > MAX_CLIENTS
        || repeat <= 0 || repeat > 1000 || name_len + 8 > BLOCK) {
        fprintf(stderr, "tftp-storm-client: bad arguments\n");
        return 2;
    }
    if (read_expected(argv[4], &want, &want_len) != 0) {
        fprintf(stderr, "tftp-storm-client: %s: %s\n", argv[4],
            strerror(errno));
        return 2;
    }
    memset(&server, 0, sizeof server);
    server.sin_family = AF_INET;
    server.sin_port = htons((uint16_t)port);
    server.sin_addr.s_addr = htonl(INADDR_LOOPBACK);

    ss = calloc((size_t)n, sizeof *ss);
    pfd = calloc((size_t)n, sizeof *pfd);
    if (ss == NULL || pfd == NULL)
        return 2;

    t0 = now_ms();
    for (i = 0; i < n; i++) {
        ss[i].fd = -1;
        ss[i].left = repeat;
        if (start_transfer(&ss[i], argv[2], &server) != 0) {
            perror("socket");
            return 2;
        }
        pfd[i].fd = ss[i].fd;
        pfd[i].events = POLLIN;
    }
    left = (int)n;
    while (left > 0) {
        if (poll(pfd, (nfds_t)n, 50) < 0 && errno != EINTR) {
            perror("poll");
            return 1;
        }
        t1 = now_ms();
        if (t1 - t0 > DEADLINE_MS * repeat) {
            fprintf(stderr, "%d clients did not finish in %ld ms\n", left,
                DEADLINE_MS * repeat);
            return 1;
        }
        left = 0;
        for (i = 0; i < n; i++) {
            if (ss[i].done && (ss[i].failed || ss[i].left == 0))
                continue;
            if (pfd[i].revents & POLLIN) {
                while (!ss[i].done && receive(&ss[i], want, want_len))
                    ;
            }
            if (ss[i].done && !ss[i].failed && ss[i].left > 0) {
                if (start_transfer(&ss[i], argv[2], &server) != 0) {
                    perror("socket");
                    return 1;
                }
                pfd[i].fd = ss[i].fd;
                pfd[i].revents = 0;
            }
            if (!ss[i].done && t1 - ss[i].last_ms > RETRANSMIT_MS)
                send_last(&ss[i], ss[i].have_tid ? &ss[i].server : &server);
            if (!ss[i].done)
                left++;
        }
    }
    t1 = now_ms();
    for (i = 0; i < n; i++) {
        failed += ss[i].failed;
        close(ss[i].fd);
    }
    if (failed != 0) {
        fprintf(stderr, "%d of %ld clients failed\n", failed, n);
        return 1;
    }
    printf("%.6f\n", (t1 - t0) / 1e3);
    free(ss);
    free(pfd);
    free(want);
    return 0;
}

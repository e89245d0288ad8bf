/*
 * storm-client.c - N machines network-booting at once, from one process.
 *
 *   storm-client -M MACFILE [-n N] -d DHCP-PORT:REPLY-PORT -t TFTP-PORT
 *                -L LOADER-FILE -k KERNEL-BYTES -i INITRD-BYTES
 *                [-r RAMP-MS] [-T DEADLINE-S]
 *
 * Each machine (a MAC of MACFILE, one a line; the first N) goes through
 * the chain a BIOS PXE ROM and iPXE go through, against real servers on
 * loopback:
 *   dhcp-pxe   DISCOVER/OFFER/REQUEST/ACK as a PXE ROM (60 PXEClient, 93 =
 *              0), sent by a relay (giaddr 127.0.0.2, answers to
 *              127.0.0.2:REPLY-PORT, as tests/tools/dhcp-client.c);
 *              retransmitted after 4, 8, 16, 32 s as PXE ROMs do, each
 *              wait -1..+1 s at random (RFC 2131 4.1)
 *   tftp       the ACK's file from its siaddr, port TFTP-PORT: RRQ with
 *              blksize 1456 and tsize, OACK, lock-step DATA/ACK, every
 *              byte compared with LOADER-FILE; the last packet resent
 *              after 1 s without an answer, 10 times at most
 *   dhcp-ipxe  the exchange again as iPXE (77 iPXE, 175), retransmitted
 *              after 1, 2, 4, 8, 16 s as iPXE does
 *   script     GET of the ACK's file (an http:// URL), HTTP/1.1 keep-alive,
 *              a script with `kernel URL ...` and `initrd URL` lines
 *   kernel     GET of the kernel URL on the same connection: KERNEL-BYTES
 *   initrd     GET of the initrd URL: INITRD-BYTES
 * All of it is driven by one epoll loop with non-blocking sockets (one UDP
 * socket for every DHCP exchange, one per TFTP transfer and per HTTP
 * connection), so that what is measured is the servers, not process
 * start-up.  Machines start at once, or spread evenly over RAMP-MS.
 *
 * Prints, for the run: "machines=N through=N failed=N seconds=S" (S from
 * the first packet to the last machine through), then for each stage one
 * line "STAGE p50=MS p99=MS max=MS retries=N failed=N", then failures by
 * reason.  Exit status: 0 every machine through, 1 not, 2 usage.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <fcntl.h>
#include <netinet/in.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/epoll.h>
#include <sys/resource.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "../tools/dhcp-client.h"

#define MAX_MACHINES    100000
#define TFTP_BLKSIZE    1456
#define TFTP_TRIES      10
#define TFTP_TIMEOUT_MS 1000
#define HTTP_TRIES      3
#define HTTP_TIMEOUT_MS 30000
#define HEAD_MAX        8192
#define SCRIPT_MAX      65536

enum stage { DHCP_PXE, TFTP, DHCP_IPXE, SCRIPT, KERNEL, INITRD, DONE,
    FAILED, STAGES = DONE };

static const char *const stage_name[STAGES] = {
    "dhcp-pxe", "tftp", "dhcp-ipxe", "script", "kernel", "initrd",
};

/* The retransmission schedules, in ms (PXE spec; iPXE's dhcp.c). */
static const int pxe_backoff[] = { 4000, 8000, 16000, 32000 };
static const int ipxe_backoff[] = { 1000, 2000, 4000, 8000, 16000 };

typedef struct {
    uint8_t      mac[6];
    enum stage   stage;
    double       start_ms;      /* when this machine powers on */
    double       stage_start;   /* when the current stage began */
    double       stage_ms[STAGES];
    double       deadline;      /* next timeout, ms */
    int          tries;         /* sends of the current packet */
    const char  *why;           /* failure */

    /* DHCP */
    uint32_t     xid;
    int          dhcp_state;    /* DISCOVER or REQUEST sent */
    struct query q;
    char         file[256];     /* from the ACK */
    uint32_t     siaddr;

    /* TFTP */
    int          tfd;
    struct sockaddr_in tid;
    int          have_tid;
    uint16_t     block;         /* last block received */
    size_t       got;
    size_t       blksize;
    uint8_t      last[600];
    size_t       last_len;

    /* HTTP */
    int          hfd;
    struct sockaddr_in haddr;
    char         path[3][512];  /* script, kernel, initrd */
    int          req;           /* which of them */
    int          sent_req;
    char         head[HEAD_MAX];
    size_t       head_len;
    long         body_left;     /* -1: headers not read yet */
    char        *script;
    size_t       script_len;
    int          status;
} machine;

static machine  *ms;
static int       n_machines, dhcp_fd, ep, tftp_port, dhcp_port;
static uint8_t  *loader;
static size_t    loader_len;
static long      kernel_bytes, initrd_bytes;
static long      retries[STAGES], failed_in[STAGES];
static double    t0;

static double
now_ms(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1e3 + ts.tv_nsec / 1e6;
}

static void
fail(machine *m, const char *why)
{
    failed_in[m->stage]++;
    m->why = why;
    m->stage = FAILED;
    if (m->tfd >= 0) {
        close(m->tfd);
        m->tfd = -1;
    }
    if (m->hfd >= 0) {
        close(m->hfd);
        m->hfd = -1;
    }
    free(m->script);
    m->script = NULL;
}

static void
next_stage(machine *m, enum stage s)
{
    double t = now_ms();

    m->stage_ms[m->stage] = t - m->stage_start;
    m->stage = s;
    m->stage_start = t;
    m->tries = 0;
}

/* epoll data: the machine's index, and which of its sockets */
static void
watch(int fd, int index, uint32_t events, int op)
{
    struct epoll_event ev = { .events = events };

    ev.data.u64 = (uint64_t)(uint32_t)index << 1 | (fd == ms[index].hfd);
    if (epoll_ctl(ep, op, fd, &ev) != 0 && op != EPOLL_CTL_DEL)
        perror("storm-client: epoll_ctl");
}

/* ------------------------------------------------------------- DHCP */

static void
dhcp_send(machine *m)
{
    static const uint8_t  arch[2] = { 0, 0 };
    static const uint8_t  prl[] = { 1, 3, 6, 12, 15, 17, 43, 60, 66, 67,
        128, 129, 130, 131, 132, 133, 134, 135, 175 };
    static const uint8_t  ipxe175[3] = { 0x13, 0x01, 0x01 };
    static const char     vendor[] = "PXEClient:Arch:00000:UNDI:002001";
    const int            *backoff = m->stage == DHCP_PXE ? pxe_backoff
                                                         : ipxe_backoff;
    int                   nb = m->stage == DHCP_PXE ? 4 : 5;
    struct sockaddr_in    sa;
    uint8_t               pkt[PKT_MAX];
    size_t                len;
    uint32_t              requested = m->q.requested;
    uint32_t              server_id = m->q.server_id;

    memset(&m->q, 0, sizeof(m->q));
    m->q.type = m->dhcp_state;
    m->q.htype = 1;
    m->q.hlen = 6;
    m->q.truncate = -1;
    memcpy(m->q.chaddr, m->mac, 6);
    m->q.xid = m->xid;
    if (m->dhcp_state == REQUEST) {
        m->q.requested = requested;
        m->q.server_id = server_id;
    }
    packet_add_option(&m->q, 60, vendor, sizeof(vendor) - 1);
    packet_add_option(&m->q, 93, arch, sizeof(arch));
    packet_add_option(&m->q, 55, prl, sizeof(prl));
    if (m->stage == DHCP_IPXE) {
        packet_add_option(&m->q, 77, "iPXE", 4);
        packet_add_option(&m->q, 175, ipxe175, sizeof(ipxe175));
    }
    len = packet_build(&m->q, pkt);
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)dhcp_port);
    inet_pton(AF_INET, SERVER_ADDR, &sa.sin_addr);
    if (sendto(dhcp_fd, pkt, len, 0, (struct sockaddr *)&sa, sizeof(sa)) < 0
        && errno != EAGAIN)
        perror("storm-client: sendto");
    if (m->tries > 0)
        retries[m->stage]++;
    /* RFC 2131 4.1: each wait randomized by -1..+1 s, so that machines
     * that lost their packets together do not send again together */
    m->deadline = now_ms() + backoff[m->tries < nb ? m->tries : nb - 1]
        + (m->stage == DHCP_PXE ? (double)(rand() % 2001 - 1000) : 0);
    m->tries++;
}

static void
dhcp_begin(machine *m, int index, enum stage s)
{
    if (m->stage != s)
        next_stage(m, s);
    /* xid: the machine's index and the stage, so replies find it */
    m->xid = htonl((uint32_t)index << 4 | (uint32_t)s);
    m->dhcp_state = DISCOVER;
    m->q.requested = m->q.server_id = 0;
    m->tries = 0;
    dhcp_send(m);
}

static void tftp_begin(machine *m, int index);
static void http_begin(machine *m, int index);

static void
dhcp_reply(const uint8_t *p, size_t len)
{
    const uint8_t *o;
    machine       *m;
    uint32_t       xid;
    size_t         olen = 0;
    int            index, type;

    if (len < BOOTP_HDR + 4 || p[0] != 2)
        return;
    memcpy(&xid, p + 4, 4);
    index = (int)(ntohl(xid) >> 4);
    if (index >= n_machines)
        return;
    m = &ms[index];
    if (m->xid != xid || (m->stage != DHCP_PXE && m->stage != DHCP_IPXE))
        return;
    type = packet_type(p, len);
    if (m->dhcp_state == DISCOVER && type == OFFER) {
        memcpy(&m->q.requested, p + 16, 4);
        o = packet_option(p, len, 54, &olen);
        m->q.server_id = 0;
        if (o != NULL && olen == 4)
            memcpy(&m->q.server_id, o, 4);
        m->dhcp_state = REQUEST;
        m->tries = 0;
        dhcp_send(m);
        return;
    }
    if (m->dhcp_state != REQUEST)
        return;
    if (type == NAK) {
        dhcp_begin(m, index, m->stage);
        return;
    }
    if (type != ACK)
        return;
    memcpy(&m->siaddr, p + 20, 4);
    snprintf(m->file, sizeof(m->file), "%.128s", (const char *)p + 108);
    o = packet_option(p, len, 67, &olen);
    if (m->file[0] == '\0' && o != NULL && olen > 0)
        snprintf(m->file, sizeof(m->file), "%.*s", (int)olen,
            (const char *)o);
    if (m->file[0] == '\0') {
        fail(m, "an ACK with no boot file");
        return;
    }
    if (m->stage == DHCP_PXE)
        tftp_begin(m, index);
    else
        http_begin(m, index);
}

/* ------------------------------------------------------------- TFTP */

static void
tftp_send_last(machine *m)
{
    struct sockaddr_in sa = m->tid;

    if (!m->have_tid) {
        memset(&sa, 0, sizeof(sa));
        sa.sin_family = AF_INET;
        sa.sin_port = htons((uint16_t)tftp_port);
        sa.sin_addr.s_addr = m->siaddr;
    }
    sendto(m->tfd, m->last, m->last_len, 0, (struct sockaddr *)&sa,
        sizeof(sa));
    m->deadline = now_ms() + TFTP_TIMEOUT_MS;
}

static void
tftp_ack(machine *m, uint16_t block)
{
    m->last[0] = 0;
    m->last[1] = 4;
    m->last[2] = (uint8_t)(block >> 8);
    m->last[3] = (uint8_t)block;
    m->last_len = 4;
    m->tries = 1;
    tftp_send_last(m);
}

static void
tftp_begin(machine *m, int index)
{
    size_t n;

    next_stage(m, TFTP);
    m->tfd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m->tfd < 0) {
        fail(m, "no socket for TFTP (file descriptors?)");
        return;
    }
    watch(m->tfd, index, EPOLLIN, EPOLL_CTL_ADD);
    m->have_tid = 0;
    m->block = 0;
    m->got = 0;
    m->blksize = 512;
    /* RRQ file octet blksize 1456 tsize 0, as PXE ROMs ask */
    n = 0;
    m->last[n++] = 0;
    m->last[n++] = 1;
    n += (size_t)snprintf((char *)m->last + n, sizeof(m->last) - n, "%s",
        m->file) + 1;
    {
        static const char opts[] = "octet\0blksize\0" "1456\0tsize\0" "0";

        memcpy(m->last + n, opts, sizeof(opts));     /* 27, NULs included */
        n += sizeof(opts);
    }
    m->last_len = n;
    m->tries = 1;
    tftp_send_last(m);
}

static void
tftp_done(machine *m, int index)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, m->tfd, NULL);
    close(m->tfd);
    m->tfd = -1;
    if (m->got != loader_len) {
        fail(m, "TFTP: not the loader's size");
        return;
    }
    dhcp_begin(m, index, DHCP_IPXE);
}

/* The server's options: blksize, tsize. */
static void
tftp_oack(machine *m, const uint8_t *p, size_t len)
{
    const char *k = (const char *)p + 2, *end = (const char *)p + len;

    while (k < end) {
        const char *v = k + strnlen(k, (size_t)(end - k)) + 1;

        if (v >= end)
            break;
        if (strcasecmp(k, "blksize") == 0)
            m->blksize = (size_t)atol(v);
        if (strcasecmp(k, "tsize") == 0 && (size_t)atol(v) != loader_len)
            m->why = "TFTP: tsize is not the loader's size";
        k = v + strnlen(v, (size_t)(end - v)) + 1;
    }
}

static void
tftp_input(machine *m, int index)
{
    uint8_t            p[TFTP_BLKSIZE + 64];
    struct sockaddr_in from;
    socklen_t          fl = sizeof(from);
    ssize_t            n;
    uint16_t           op, block;
    size_t             len;

    while (m->stage == TFTP
           && (n = recvfrom(m->tfd, p, sizeof(p), 0, (struct sockaddr *)&from,
                            &fl)) > 0)
    {
        if (n < 4)
            continue;
        if (!m->have_tid) {
            m->tid = from;
            m->have_tid = 1;
        } else if (from.sin_port != m->tid.sin_port) {
            continue;               /* a stray: not this transfer's TID */
        }
        op = (uint16_t)(p[0] << 8 | p[1]);
        block = (uint16_t)(p[2] << 8 | p[3]);
        if (op == 5) {
            fail(m, "TFTP: the server sent an error");
            return;
        }
        if (op == 6) {              /* OACK */
            if (m->block != 0 || m->got != 0)
                continue;
            tftp_oack(m, p, (size_t)n);
            if (m->why != NULL) {
                fail(m, m->why);
                return;
            }
            tftp_ack(m, 0);
            continue;
        }
        if (op != 3)
            continue;
        if (block != (uint16_t)(m->block + 1)) {
            if (block == m->block)
                tftp_ack(m, block); /* our ACK was lost */
            continue;
        }
        len = (size_t)n - 4;
        if (m->got + len > loader_len
            || memcmp(loader + m->got, p + 4, len) != 0) {
            fail(m, "TFTP: bytes differ from the loader");
            return;
        }
        m->got += len;
        m->block = block;
        tftp_ack(m, block);
        if (len < m->blksize) {
            tftp_done(m, index);
            return;
        }
    }
}

/* ------------------------------------------------------------- HTTP */

/* "http://A.B.C.D[:PORT]/path" -> address, path */
static int
parse_url(const char *url, struct sockaddr_in *sa, char *path, size_t size)
{
    char        host[64];
    const char *p, *slash, *colon;
    size_t      n;

    if (strncmp(url, "http://", 7) != 0)
        return -1;
    p = url + 7;
    slash = strchr(p, '/');
    if (slash == NULL)
        return -1;
    n = (size_t)(slash - p);
    if (n >= sizeof(host))
        return -1;
    memcpy(host, p, n);
    host[n] = '\0';
    memset(sa, 0, sizeof(*sa));
    sa->sin_family = AF_INET;
    sa->sin_port = htons(80);
    colon = strchr(host, ':');
    if (colon != NULL) {
        sa->sin_port = htons((uint16_t)atoi(colon + 1));
        host[colon - host] = '\0';
    }
    if (inet_pton(AF_INET, host, &sa->sin_addr) != 1)
        return -1;
    snprintf(path, size, "%s", slash);
    return 0;
}

static void
http_connect(machine *m, int index)
{
    m->hfd = socket(AF_INET, SOCK_STREAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    if (m->hfd < 0) {
        fail(m, "no socket for HTTP (file descriptors?)");
        return;
    }
    if (connect(m->hfd, (struct sockaddr *)&m->haddr, sizeof(m->haddr)) != 0
        && errno != EINPROGRESS) {
        fail(m, "HTTP: connect failed");
        return;
    }
    m->sent_req = 0;
    watch(m->hfd, index, EPOLLOUT | EPOLLIN, EPOLL_CTL_ADD);
    m->deadline = now_ms() + HTTP_TIMEOUT_MS;
}

static void
http_request(machine *m, int index)
{
    char    req[1024];
    int     n;

    n = snprintf(req, sizeof(req), "GET %s HTTP/1.1\r\nHost: %s:%u\r\n"
        "User-Agent: iPXE/1.0.0 (storm-client)\r\nConnection: keep-alive"
        "\r\n\r\n", m->path[m->req], inet_ntoa(m->haddr.sin_addr),
        ntohs(m->haddr.sin_port));
    if (send(m->hfd, req, (size_t)n, MSG_NOSIGNAL) != n) {
        fail(m, "HTTP: the request could not be sent");
        return;
    }
    m->sent_req = 1;
    m->head_len = 0;
    m->body_left = -1;
    m->status = 0;
    watch(m->hfd, index, EPOLLIN, EPOLL_CTL_MOD);
    m->deadline = now_ms() + HTTP_TIMEOUT_MS;
}

static void
http_begin(machine *m, int index)
{
    next_stage(m, SCRIPT);
    m->req = 0;
    if (parse_url(m->file, &m->haddr, m->path[0], sizeof(m->path[0])) != 0) {
        fail(m, "iPXE's boot file is not an http:// URL of an address");
        return;
    }
    m->script = malloc(SCRIPT_MAX);
    m->script_len = 0;
    if (m->script == NULL) {
        fail(m, "out of memory");
        return;
    }
    http_connect(m, index);
}

/* `kernel URL ...` and `initrd URL` of the script, on the same server */
static int
script_urls(machine *m)
{
    struct sockaddr_in sa;
    const char        *line = m->script;
    char               url[512];
    int                found = 0;

    m->script[m->script_len] = '\0';
    if (strncmp(m->script, "#!ipxe", 6) != 0)
        return -1;
    while (line != NULL && *line != '\0') {
        int which = strncmp(line, "kernel ", 7) == 0 ? 1
            : strncmp(line, "initrd ", 7) == 0 ? 2 : 0;

        if (which != 0) {
            sscanf(line + 7, "%511s", url);
            if (parse_url(url, &sa, m->path[which], sizeof(m->path[which]))
                != 0 || sa.sin_addr.s_addr != m->haddr.sin_addr.s_addr
                || sa.sin_port != m->haddr.sin_port)
                return -1;
            found |= which;
        }
        line = strchr(line, '\n');
        if (line != NULL)
            line++;
    }
    return found == 3 ? 0 : -1;
}

/* A response was read completely. */
static void
http_complete(machine *m, int index)
{
    static const enum stage next[] = { KERNEL, INITRD, DONE };

    if (m->status != 200) {
        fail(m, "HTTP: a status other than 200");
        return;
    }
    if (m->req == 0 && script_urls(m) != 0) {
        fail(m, "HTTP: the script has no kernel and initrd on this server");
        return;
    }
    next_stage(m, next[m->req]);
    if (m->stage == DONE) {
        struct linger lg = { 1, 0 };    /* no TIME_WAIT: ports are few */

        epoll_ctl(ep, EPOLL_CTL_DEL, m->hfd, NULL);
        setsockopt(m->hfd, SOL_SOCKET, SO_LINGER, &lg, sizeof(lg));
        close(m->hfd);
        m->hfd = -1;
        free(m->script);
        m->script = NULL;
        return;
    }
    m->req++;
    m->tries = 0;
    http_request(m, index);
}

static void
http_reconnect(machine *m, int index, const char *why)
{
    epoll_ctl(ep, EPOLL_CTL_DEL, m->hfd, NULL);
    close(m->hfd);
    m->hfd = -1;
    if (++m->tries >= HTTP_TRIES) {
        fail(m, why);
        return;
    }
    retries[m->stage]++;
    m->script_len = 0;
    http_connect(m, index);
}

static void
http_input(machine *m, int index, uint32_t events)
{
    ssize_t n;
    char   *end;

    if (!m->sent_req) {
        int       err = 0;
        socklen_t len = sizeof(err);

        if (getsockopt(m->hfd, SOL_SOCKET, SO_ERROR, &err, &len) != 0
            || err != 0) {
            http_reconnect(m, index, "HTTP: cannot connect");
            return;
        }
        if (events & EPOLLOUT)
            http_request(m, index);
        return;
    }
    for (;;) {
        if (m->body_left < 0) {
            n = recv(m->hfd, m->head + m->head_len,
                HEAD_MAX - 1 - m->head_len, 0);
        } else if (m->req == 0) {
            n = recv(m->hfd, m->script + m->script_len,
                (size_t)m->body_left < SCRIPT_MAX - 1 - m->script_len
                ? (size_t)m->body_left : SCRIPT_MAX - 1 - m->script_len, 0);
        } else {
            /* kernel and initrd: counted, not copied (TCP's MSG_TRUNC) */
            n = recv(m->hfd, NULL, (size_t)(m->body_left < (1 << 30)
                ? m->body_left : (1 << 30)), MSG_TRUNC);
        }
        if (n < 0 && (errno == EAGAIN || errno == EINTR))
            return;
        if (n <= 0) {
            http_reconnect(m, index, "HTTP: the server closed the "
                "connection mid-answer");
            return;
        }
        m->deadline = now_ms() + HTTP_TIMEOUT_MS;
        if (m->body_left < 0) {
            long want;

            m->head_len += (size_t)n;
            m->head[m->head_len] = '\0';
            end = strstr(m->head, "\r\n\r\n");
            if (end == NULL) {
                if (m->head_len >= HEAD_MAX - 1) {
                    fail(m, "HTTP: headers too long");
                    return;
                }
                continue;
            }
            m->status = atoi(m->head + 9);
            char *cl = strcasestr(m->head, "\r\ncontent-length:");
            if (cl == NULL || cl > end) {
                fail(m, "HTTP: no Content-Length");
                return;
            }
            m->body_left = atol(cl + 17);
            want = m->req == 1 ? kernel_bytes : m->req == 2 ? initrd_bytes
                : -1;
            if (m->status == 200 && want >= 0 && m->body_left != want) {
                fail(m, "HTTP: the kernel or initrd is not its size");
                return;
            }
            /* what came after the headers is body */
            n = (ssize_t)(m->head + m->head_len - (end + 4));
            if (m->req == 0 && n > 0) {
                memcpy(m->script, end + 4, (size_t)n);
                m->script_len = (size_t)n;
            }
        } else if (m->req == 0) {
            m->script_len += (size_t)n;
        }
        m->body_left -= n;
        if (m->body_left <= 0) {
            http_complete(m, index);
            return;
        }
    }
}

/* ------------------------------------------------------------- main */

static void
timeouts(double t)
{
    int i;

    for (i = 0; i < n_machines; i++) {
        machine *m = &ms[i];

        if (m->stage == DONE || m->stage == FAILED)
            continue;
        if (m->stage == DHCP_PXE && m->tries == 0) {
            if (t >= m->start_ms) {
                m->stage_start = t;
                dhcp_begin(m, i, DHCP_PXE);
            }
            continue;
        }
        if (t < m->deadline)
            continue;
        switch (m->stage) {
        case DHCP_PXE:
        case DHCP_IPXE:
            if (m->tries >= (m->stage == DHCP_PXE ? 5 : 6))
                fail(m, "DHCP: no answer after every retransmission");
            else
                dhcp_send(m);
            break;
        case TFTP:
            if (m->tries >= TFTP_TRIES) {
                fail(m, "TFTP: no answer after 10 retransmissions");
            } else {
                m->tries++;
                retries[TFTP]++;
                tftp_send_last(m);
            }
            break;
        default:
            http_reconnect(m, i, "HTTP: no answer within 30 s");
            break;
        }
    }
}

static int
read_file(const char *path, uint8_t **data, size_t *len)
{
    struct stat st;
    FILE       *f = fopen(path, "rb");

    if (f == NULL || fstat(fileno(f), &st) != 0)
        return -1;
    *len = (size_t)st.st_size;
    *data = malloc(*len + 1);
    if (*data == NULL || fread(*data, 1, *len, f) != *len)
        return -1;
    fclose(f);
    return 0;
}

static int
percentile_cmp(const void *a, const void *b)
{
    double x = *(const double *)a, y = *(const double *)b;

    return x < y ? -1 : x > y;
}

static void
usage(void)
{
    fputs("usage: storm-client -M MACFILE [-n N] -d DHCP-PORT:REPLY-PORT "
        "-t TFTP-PORT\n       -L LOADER -k KERNEL-BYTES -i INITRD-BYTES "
        "[-r RAMP-MS] [-T DEADLINE-S]\n", stderr);
    exit(2);
}

int
main(int argc, char **argv)
{
    struct epoll_event  evs[256];
    struct sockaddr_in  sa;
    struct rlimit       rl;
    const char         *macfile = NULL;
    char                line[64];
    double              ramp = 0, deadline_s = 300, t, last_done = 0;
    double             *v;
    long                want = 0;
    int                 c, i, k, reply_port = 0, left, failed = 0, size;
    FILE               *f;

    while ((c = getopt(argc, argv, "M:n:d:t:L:k:i:r:T:")) != -1) {
        switch (c) {
        case 'M': macfile = optarg; break;
        case 'n': want = atol(optarg); break;
        case 'd':
            if (sscanf(optarg, "%d:%d", &dhcp_port, &reply_port) != 2)
                usage();
            break;
        case 't': tftp_port = atoi(optarg); break;
        case 'L':
            if (read_file(optarg, &loader, &loader_len) != 0) {
                perror(optarg);
                return 2;
            }
            break;
        case 'k': kernel_bytes = atol(optarg); break;
        case 'i': initrd_bytes = atol(optarg); break;
        case 'r': ramp = atof(optarg); break;
        case 'T': deadline_s = atof(optarg); break;
        default: usage();
        }
    }
    if (macfile == NULL || dhcp_port <= 0 || reply_port <= 0
        || tftp_port <= 0 || loader == NULL || kernel_bytes <= 0
        || initrd_bytes <= 0)
        usage();

    ms = calloc(MAX_MACHINES, sizeof(*ms));
    f = fopen(macfile, "r");
    if (ms == NULL || f == NULL) {
        perror(macfile);
        return 2;
    }
    while (n_machines < MAX_MACHINES && (want == 0 || n_machines < want)
           && fgets(line, sizeof(line), f) != NULL) {
        if (packet_parse_mac(line, ms[n_machines].mac) == 0)
            n_machines++;
    }
    fclose(f);
    if (want != 0 && n_machines < want) {
        fprintf(stderr, "storm-client: %s has %d MACs, not %ld\n", macfile,
            n_machines, want);
        return 2;
    }

    /* one TFTP socket and one HTTP connection per machine at most */
    if (getrlimit(RLIMIT_NOFILE, &rl) == 0) {
        rl.rlim_cur = rl.rlim_max;
        setrlimit(RLIMIT_NOFILE, &rl);
        if (rl.rlim_cur < (rlim_t)n_machines + 64) {
            fprintf(stderr, "storm-client: %d machines need %d file "
                "descriptors, the limit is %lu\n", n_machines,
                n_machines + 64, (unsigned long)rl.rlim_cur);
            return 2;
        }
    }

    dhcp_fd = socket(AF_INET, SOCK_DGRAM | SOCK_NONBLOCK | SOCK_CLOEXEC, 0);
    k = 1;
    setsockopt(dhcp_fd, SOL_SOCKET, SO_REUSEADDR, &k, sizeof(k));
    /* The relay's own buffer must not be what drops answers. */
    size = 32 << 20;
    if (setsockopt(dhcp_fd, SOL_SOCKET, SO_RCVBUFFORCE, &size, sizeof(size))
        != 0)
        setsockopt(dhcp_fd, SOL_SOCKET, SO_RCVBUF, &size, sizeof(size));
    memset(&sa, 0, sizeof(sa));
    sa.sin_family = AF_INET;
    sa.sin_port = htons((uint16_t)reply_port);
    inet_pton(AF_INET, RELAY_ADDR, &sa.sin_addr);
    if (bind(dhcp_fd, (struct sockaddr *)&sa, sizeof(sa)) != 0) {
        perror("storm-client: bind " RELAY_ADDR);
        return 1;
    }
    ep = epoll_create1(EPOLL_CLOEXEC);
    {
        struct epoll_event ev = { .events = EPOLLIN, .data.u64 = ~0ULL };

        epoll_ctl(ep, EPOLL_CTL_ADD, dhcp_fd, &ev);
    }

    srand((unsigned)getpid());
    t0 = now_ms();
    for (i = 0; i < n_machines; i++) {
        ms[i].tfd = ms[i].hfd = -1;
        ms[i].stage = DHCP_PXE;
        ms[i].start_ms = t0 + (n_machines > 1 ? ramp * i / (n_machines - 1)
                                               : 0);
    }
    timeouts(now_ms());
    for (;;) {
        int n = epoll_wait(ep, evs, 256, 5);

        for (k = 0; k < n; k++) {
            uint64_t d = evs[k].data.u64;

            if (d == ~0ULL) {
                uint8_t p[PKT_MAX];
                ssize_t len;

                while ((len = recv(dhcp_fd, p, sizeof(p), 0)) > 0)
                    dhcp_reply(p, (size_t)len);
                continue;
            }
            i = (int)(d >> 1);
            if (d & 1) {
                if (ms[i].stage >= SCRIPT && ms[i].stage <= INITRD
                    && ms[i].hfd >= 0)
                    http_input(&ms[i], i, evs[k].events);
            } else if (ms[i].stage == TFTP) {
                tftp_input(&ms[i], i);
            }
        }
        t = now_ms();
        timeouts(t);
        for (left = 0, i = 0; i < n_machines; i++)
            left += ms[i].stage != DONE && ms[i].stage != FAILED;
        if (left == 0)
            break;
        if (t - t0 > deadline_s * 1e3) {
            for (i = 0; i < n_machines; i++)
                if (ms[i].stage != DONE && ms[i].stage != FAILED)
                    fail(&ms[i], "not through before the deadline");
            break;
        }
    }

    for (i = 0; i < n_machines; i++) {
        double end = ms[i].stage_start;

        if (ms[i].stage == FAILED)
            failed++;
        else if (end > last_done)
            last_done = end;
    }
    printf("machines=%d through=%d failed=%d seconds=%.3f ramp_ms=%.0f\n",
        n_machines, n_machines - failed, failed, (last_done - t0) / 1e3,
        ramp);
    v = malloc(sizeof(double) * (size_t)n_machines);
    for (k = 0; k < STAGES; k++) {
        int m = 0;

        for (i = 0; i < n_machines; i++)
            if (ms[i].stage == DONE)
                v[m++] = ms[i].stage_ms[k];
        qsort(v, (size_t)m, sizeof(double), percentile_cmp);
        printf("%-9s p50=%.1f p99=%.1f max=%.1f retries=%ld failed=%ld\n",
            stage_name[k], m ? v[m / 2] : 0.0,
            m ? v[(size_t)(m * 99 / 100) < (size_t)m ? m * 99 / 100 : m - 1]
              : 0.0, m ? v[m - 1] : 0.0, retries[k], failed_in[k]);
    }
    for (i = 0, k = 0; i < n_machines && k < 5; i++) {
        if (ms[i].stage == FAILED) {
            printf("failed %02x:%02x:%02x:%02x:%02x:%02x: %s\n",
                ms[i].mac[0], ms[i].mac[1], ms[i].mac[2], ms[i].mac[3],
                ms[i].mac[4], ms[i].mac[5], ms[i].why);
            k++;
        }
    }
    return failed ? 1 : 0;
}

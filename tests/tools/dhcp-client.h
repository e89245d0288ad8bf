/*
 * dhcp-client.h - what the test client's parts share: the query it sends
 * (built from the command line), packet encoding and the loopback socket.
 */

#ifndef DHCP_CLIENT_H
#define DHCP_CLIENT_H

#include <stddef.h>
#include <stdint.h>

#define BOOTP_HDR       236             /* up to and without the cookie */
#define PKT_MAX         1500
#define MAX_OPTS        32
#define RELAY_ADDR      "127.0.0.2"     /* giaddr and our source address */
#define SERVER_ADDR     "127.0.0.1"
#define BENCH_WINDOW_MAX 256

enum { DISCOVER = 1, OFFER = 2, REQUEST = 3, NAK = 6, ACK = 5, INFORM = 8 };

/* One option given on the command line, sent in the order given. */
struct opt {
    int      code;
    int      len;               /* the length byte sent; -1: real length */
    size_t   n;
    uint8_t  data[255];
};

struct query {
    int         type;           /* option 53; 0: none */
    uint8_t     htype, hlen;
    uint8_t     chaddr[16];
    uint32_t    xid;            /* network order */
    struct opt  opts[MAX_OPTS];
    int         nopts;
    int         no_end;         /* leave out option 255 */
    long        truncate;       /* >= 0: cut the options area there */
    uint32_t    requested, server_id;   /* 50, 54 (network order), 0: none */
};

/* dhcp-packet.c */
/* Append option code with n bytes of data (at most 255; data may be NULL
 * to fill it later); NULL when the query has MAX_OPTS already. */
struct opt *packet_add_option(struct query *q, int code, const void *data,
    size_t n);
/* "52:54:00:12:34:56" (hex, any case) into mac; -1 when it is not that. */
int packet_parse_mac(const char *s, uint8_t mac[6]);
size_t packet_build(const struct query *q, uint8_t *p);
const uint8_t *packet_option(const uint8_t *p, size_t len, int code,
    size_t *olen);
int packet_type(const uint8_t *p, size_t len);
void packet_to_request(struct query *q, const uint8_t *offer, size_t len);

/* dhcp-client.c */
int client_socket(int reply_port);
void client_send(int fd, int server_port, const uint8_t *p, size_t len);
double client_now(void);

/* dhcp-bench.c: returns the exit status. */
int bench_run(int fd, int server_port, const struct query *base,
    long seconds, long macs, long window, int print_answers, long retries);

#endif /* DHCP_CLIENT_H */

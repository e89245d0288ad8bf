/*
 * dhcp-packet.c - encode the test client's queries, read Kea's replies.
 *
 * Queries are built exactly as asked, malformed ones included (a length
 * byte that lies, no end option, options cut short): the point is to see
 * what Kea and the hook make of them.  Replies are read with bounds checks.
 */

#include <arpa/inet.h>
#include <stdio.h>
#include <string.h>

#include "dhcp-client.h"

static void
put_opt(uint8_t *p, size_t *off, int code, int len, const uint8_t *data,
    size_t n)
{
    p[(*off)++] = (uint8_t)code;
    p[(*off)++] = (uint8_t)(len >= 0 ? len : (int)n);
    memcpy(p + *off, data, n);
    *off += n;
}

/* Fill p (PKT_MAX bytes); returns the packet length, 0 when the options
 * do not fit in PKT_MAX. */
struct opt *
packet_add_option(struct query *q, int code, const void *data, size_t n)
{
    struct opt *o;

    if (q->nopts == MAX_OPTS || n > sizeof(o->data))
        return NULL;
    o = &q->opts[q->nopts++];
    memset(o, 0, sizeof(*o));
    o->code = code;
    o->len = -1;
    if (data != NULL)
        memcpy(o->data, data, n);
    o->n = n;
    return o;
}

int
packet_parse_mac(const char *s, uint8_t mac[6])
{
    unsigned v[6];
    int i;

    if (sscanf(s, "%x:%x:%x:%x:%x:%x", &v[0], &v[1], &v[2], &v[3], &v[4],
            &v[5]) != 6)
        return -1;
    for (i = 0; i < 6; i++) {
        if (v[i] > 255)
            return -1;
        mac[i] = (uint8_t)v[i];
    }
    return 0;
}

size_t
packet_build(const struct query *q, uint8_t *p)
{
    static const uint8_t cookie[4] = { 99, 130, 83, 99 };
    size_t off = BOOTP_HDR + 4, start = off, room;
    uint8_t b;
    int i;

    memset(p, 0, PKT_MAX);
    p[0] = 1;                               /* BOOTREQUEST */
    p[1] = q->htype;
    p[2] = q->hlen;
    p[3] = 1;                               /* hops: we are the relay */
    memcpy(p + 4, &q->xid, 4);
    inet_pton(AF_INET, RELAY_ADDR, p + 24); /* giaddr */
    memcpy(p + 28, q->chaddr, 16);
    memcpy(p + BOOTP_HDR, cookie, 4);

    if (q->type > 0) {
        b = (uint8_t)q->type;
        put_opt(p, &off, 53, -1, &b, 1);
    }
    if (q->requested)
        put_opt(p, &off, 50, -1, (const uint8_t *)&q->requested, 4);
    if (q->server_id)
        put_opt(p, &off, 54, -1, (const uint8_t *)&q->server_id, 4);
    for (i = 0; i < q->nopts; i++) {
        room = PKT_MAX - 1 - off;
        if (q->opts[i].n + 2 > room)
            return 0;
        put_opt(p, &off, q->opts[i].code, q->opts[i].len, q->opts[i].data,
            q->opts[i].n);
    }
    if (!q->no_end)
        p[off++] = 255;
    if (q->truncate >= 0 && start + (size_t)q->truncate < off)
        return start + (size_t)q->truncate;
    /* The BOOTP minimum of 300 bytes, padded with zeros (option 0). */
    return off < 300 ? 300 : off;
}

/* Option `code` of a reply; NULL if absent or past a malformed option. */
const uint8_t *
packet_option(const uint8_t *p, size_t len, int code, size_t *olen)
{
    size_t off = BOOTP_HDR + 4;

    while (off < len) {
        uint8_t c = p[off], l;

        if (c == 255)
            break;
        if (c == 0) {
            off++;
            continue;
        }
        if (off + 2 > len)
            break;
        l = p[off + 1];
        if (off + 2 + l > len)
            break;
        if (c == code) {
            *olen = l;
            return p + off + 2;
        }
        off += 2 + (size_t)l;
    }
    return NULL;
}

/* Option 53 of a reply, 0 when absent. */
int
packet_type(const uint8_t *p, size_t len)
{
    size_t l = 0;
    const uint8_t *t = packet_option(p, len, 53, &l);

    return t && l == 1 ? t[0] : 0;
}

/* Turn a query into the REQUEST for an OFFER (RFC 2131 selecting state). */
void
packet_to_request(struct query *q, const uint8_t *offer, size_t len)
{
    size_t l = 0;
    const uint8_t *sid = packet_option(offer, len, 54, &l);

    q->type = REQUEST;
    memcpy(&q->requested, offer + 16, 4);
    if (sid && l == 4)
        memcpy(&q->server_id, sid, 4);
}

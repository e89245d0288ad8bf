/*
 * bootlog_parse.c - one log line of Kea, in.tftpd (syslog) or nginx into
 * an event.
 *
 * Kea: the hook's ALPXE_ANSWER / ALPXE_DECLINED lines and Kea's own
 * DHCP4_LEASE_ADVERT / DHCP4_LEASE_ALLOC (which give the address), found
 * by their message ID wherever the line's prefix ends: Kea's own file
 * pattern, syslog's, or the journal's.  in.tftpd: its -v "RRQ from IP
 * filename F [remapped to G]" and -vv "sending NAK (N, TEXT) to IP",
 * behind any syslog prefix whose tag names tftpd.  nginx: any log_format
 * that keeps $remote_addr, one of $time_local / $time_iso8601 / $msec,
 * "$request", $status and $body_bytes_sent in that order (Debian's
 * `combined` does), and reads alpxe's variables when written as
 * mac=$alpxe_mac and result=$alpxe_result.
 *
 * Every field is copied bounded and cut at its size; a line that does not
 * read as expected is no event.  No sscanf.
 */

#include <string.h>

#include "bootlog.h"

typedef struct {
    const char *p;
    const char *end;
} cursor;

/* The first occurrence of s in [p, end), or NULL. */
static const char *
find(const char *p, const char *end, const char *s)
{
    size_t n = strlen(s);

    while (p != NULL && (size_t) (end - p) >= n) {
        p = memchr(p, s[0], (size_t) (end - p) - n + 1);
        if (p == NULL) {
            return NULL;
        }
        if (memcmp(p, s, n) == 0) {
            return p;
        }
        p++;
    }
    return NULL;
}

/* The last occurrence of s in [p, end), or NULL. */
static const char *
find_last(const char *p, const char *end, const char *s)
{
    const char *last = NULL, *q = p;

    while ((q = find(q, end, s)) != NULL) {
        last = q;
        q++;
    }
    return last;
}

static int
starts(cursor *c, const char *s)
{
    size_t n = strlen(s);

    if ((size_t) (c->end - c->p) < n || memcmp(c->p, s, n) != 0) {
        return 0;
    }
    c->p += n;
    return 1;
}

/* [p, end) into out (size bytes), cut, control characters as '?'. */
static void
copy(char *out, size_t size, const char *p, const char *end)
{
    size_t i, n = (size_t) (end - p);

    if (n >= size) {
        n = size - 1;
    }
    for (i = 0; i < n; i++) {
        /* paths and addresses: control and non-ASCII bytes as '?' (a cut
         * UTF-8 character would make the JSON string invalid) */
        out[i] = (unsigned char) p[i] < 0x20 || (unsigned char) p[i] >= 0x7f
                 ? '?' : p[i];
    }
    out[n] = '\0';
}

/* Up to the first `stop` (or the end): into out; the cursor after it. */
static void
take_until(cursor *c, const char *stop, char *out, size_t size)
{
    const char *q = find(c->p, c->end, stop);

    if (q == NULL) {
        q = c->end;
    }
    copy(out, size, c->p, q);
    c->p = q < c->end ? q + strlen(stop) : c->end;
}

static int
is_hex(char c)
{
    return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f')
           || (c >= 'A' && c <= 'F');
}

/* An address as a server logs it: IPv4, or IPv6 (hex and ':'); IPv4 in
 * IPv6 ("::ffff:10.0.0.5", as in.tftpd on a dual-stack socket logs it)
 * is written as IPv4.  0, or -1 when [p, end) is none. */
static int
address(const char *p, const char *end, char *out, size_t size)
{
    const char *q;
    int         dots = 0, colons = 0, n = 0;

    if (end - p > 7 && (memcmp(p, "::ffff:", 7) == 0
                        || memcmp(p, "::FFFF:", 7) == 0)
        && find(p + 7, end, ".") != NULL)
    {
        p += 7;
    }
    if (p >= end || end - p > 45) {
        return -1;
    }
    for (q = p; q < end; q++) {
        if (*q == '.') {
            dots++;
        } else if (*q == ':') {
            colons++;
        } else if (!is_hex(*q)) {
            return -1;
        }
        n++;
    }
    if (!(dots == 3 && colons == 0) && !(colons >= 2)) {
        return -1;
    }
    if (dots == 3) {
        for (q = p; q < end; q++) {
            if (*q != '.' && (*q < '0' || *q > '9')) {
                return -1;
            }
        }
    }
    copy(out, size, p, end);
    return n > 0 ? 0 : -1;
}

static void
event_init(blog_event *ev, blog_kind kind, long long ms, int whole_s)
{
    memset(ev, 0, sizeof(*ev));
    ev->kind = kind;
    ev->ms = ms;
    ev->whole_s = whole_s;
    ev->bytes = -1;
}

/* ----------------------------------------------------------------- Kea */

/*
 * Kea's query label: "[hwtype=1 52:54:00:12:34:56], cid=[...],
 * tid=0x1a2b: ".  The cursor ends after ": ".
 */
static int
kea_label(cursor *c, blog_event *ev)
{
    const char *close, *tid, *q;

    if (!starts(c, "[")) {
        return -1;
    }
    close = memchr(c->p, ']', (size_t) (c->end - c->p));
    if (close == NULL) {
        return -1;
    }
    if (starts(c, "hwtype=")) {
        while (c->p < close && *c->p >= '0' && *c->p <= '9') {
            c->p++;
        }
        if (c->p < close && *c->p == ' ') {
            c->p++;
        }
        if (alpxe_mac_parse(c->p, (size_t) (close - c->p), &ev->mac) == 0) {
            ev->have_mac = 1;
        }
    }
    c->p = close + 1;
    tid = find(c->p, c->end, ", tid=0x");
    if (tid == NULL) {
        return -1;
    }
    tid += 8;
    for (q = tid; q < c->end && is_hex(*q); q++) {
    }
    copy(ev->tid, sizeof(ev->tid), tid, q);
    c->p = q;
    return starts(c, ": ") ? 0 : -1;
}

/* "mac M, stage S, arch A, host H" (both the answer and the decline). */
static int
kea_machine(cursor *c, blog_event *ev, const char *after_host)
{
    char mac[24];

    if (!starts(c, "mac ")) {
        return -1;
    }
    take_until(c, ", stage ", mac, sizeof(mac));
    take_until(c, ", arch ", ev->stage, sizeof(ev->stage));
    take_until(c, ", host ", ev->arch, sizeof(ev->arch));
    take_until(c, after_host, ev->host, sizeof(ev->host));
    if (ev->stage[0] == '\0') {
        return -1;
    }
    /* the message's MAC is the hook's reading of chaddr: it wins */
    if (strcmp(mac, "none") != 0
        && alpxe_mac_parse(mac, strlen(mac), &ev->mac) == 0)
    {
        ev->have_mac = 1;
    }
    return 0;
}

static int
kea_answer(cursor *c, blog_event *ev)
{
    const char *s;

    /* a host name holds no ", "; lines of alpxe before 0.2 name no
     * profile */
    if (kea_machine(c, ev, ", ") != 0) {
        return -1;
    }
    if (starts(c, "profile ")) {
        take_until(c, ", ", ev->profile, sizeof(ev->profile));
    }
    s = find(c->p, c->end, "siaddr ");
    if (s == NULL) {
        return -1;
    }
    c->p = s + 7;
    take_until(c, ", file ", ev->siaddr, sizeof(ev->siaddr));
    copy(ev->text, sizeof(ev->text), c->p, c->end);
    return 0;
}

static int
kea_declined(cursor *c, blog_event *ev)
{
    if (kea_machine(c, ev, ": not answered (") != 0) {
        return -1;
    }
    take_until(c, "): ", ev->decline, sizeof(ev->decline));
    copy(ev->text, sizeof(ev->text), c->p, c->end);
    return 0;
}

/* "lease 10.0.0.100 will be advertised" / "... has been allocated ..." */
static int
kea_lease(cursor *c, blog_event *ev)
{
    const char *sp;

    if (!starts(c, "lease ")) {
        return -1;
    }
    sp = memchr(c->p, ' ', (size_t) (c->end - c->p));
    if (sp == NULL || address(c->p, sp, ev->ip, sizeof(ev->ip)) != 0) {
        return -1;
    }
    return ev->have_mac ? 0 : -1;
}

int
blog_parse_kea(const char *line, size_t len, long long now_ms,
    blog_event *ev)
{
    static const struct {
        const char *id;
        blog_kind   kind;
    } ids[] = {
        { "ALPXE_ANSWER ",       BLOG_ANSWER },
        { "ALPXE_DECLINED ",     BLOG_DECLINED },
        { "DHCP4_LEASE_ALLOC ",  BLOG_LEASE },
        { "DHCP4_LEASE_ADVERT ", BLOG_LEASE },
        { "DHCP4_LEASE_REUSE ",  BLOG_LEASE },
    };
    const char *end = line + len, *after, *id = NULL;
    long long   ms;
    int         whole_s, rc = -1;
    size_t      i;
    cursor      c;

    if (blog_time_parse(line, end, now_ms, &ms, &whole_s, &after) != 0) {
        return 0;
    }
    for (i = 0; i < sizeof(ids) / sizeof(ids[0]) && id == NULL; i++) {
        id = find(after, end, ids[i].id);
        if (id != NULL) {
            event_init(ev, ids[i].kind, ms, whole_s);
            c.p = id + strlen(ids[i].id);
        }
    }
    if (id == NULL) {
        if (find(after, end, " ALPXE_") != NULL) {
            event_init(ev, BLOG_ALPXE, ms, whole_s);
            return 1;
        }
        return 0;
    }
    c.end = end;
    if (kea_label(&c, ev) != 0) {
        return 0;
    }
    switch (ev->kind) {
    case BLOG_ANSWER:
        rc = kea_answer(&c, ev);
        break;
    case BLOG_DECLINED:
        rc = kea_declined(&c, ev);
        break;
    default:
        rc = kea_lease(&c, ev);
        break;
    }
    return rc == 0 ? 1 : 0;
}

/* ------------------------------------------------------------ in.tftpd */

/* After the time: "[HOST ]TAG[PID]: ".  The message, if TAG is tftpd's. */
static int
syslog_message(const char *p, const char *end, const char **msg)
{
    const char *tok, *sp, *tag_end;
    int         i;

    for (i = 0; i < 3; i++) {
        while (p < end && *p == ' ') {
            p++;
        }
        tok = p;
        sp = memchr(p, ' ', (size_t) (end - p));
        if (sp == NULL) {
            return -1;
        }
        if (sp > tok && sp[-1] == ':') {
            tag_end = memchr(tok, '[', (size_t) (sp - tok));
            if (tag_end == NULL) {
                tag_end = sp - 1;
            }
            if (find(tok, tag_end, "tftpd") == NULL) {
                return -1;
            }
            *msg = sp + 1;
            return 0;
        }
        p = sp;
    }
    return -1;
}

int
blog_parse_tftpd(const char *line, size_t len, long long now_ms,
    blog_event *ev)
{
    const char *end = line + len, *after, *msg, *sp, *r;
    long long   ms;
    int         whole_s;
    cursor      c;

    while (end > line && (end[-1] == '\n' || end[-1] == '\r')) {
        end--;
    }
    if (blog_time_parse(line, end, now_ms, &ms, &whole_s, &after) != 0
        || syslog_message(after, end, &msg) != 0)
    {
        return 0;
    }
    c.p = msg;
    c.end = end;
    if (starts(&c, "RRQ from ")) {
        event_init(ev, BLOG_TFTP_RRQ, ms, whole_s);
        sp = memchr(c.p, ' ', (size_t) (c.end - c.p));
        if (sp == NULL || address(c.p, sp, ev->ip, sizeof(ev->ip)) != 0) {
            return 0;
        }
        c.p = sp;
        if (!starts(&c, " filename ")) {
            return 0;
        }
        /* a client's file name may hold anything: the rules' answer is
         * after the last " remapped to " */
        r = find_last(c.p, c.end, " remapped to ");
        if (r != NULL) {
            copy(ev->text, sizeof(ev->text), c.p, r);
            copy(ev->remapped, sizeof(ev->remapped), r + 13, c.end);
        } else {
            copy(ev->text, sizeof(ev->text), c.p, c.end);
        }
        return 1;
    }
    if (starts(&c, "sending NAK (")) {
        event_init(ev, BLOG_TFTP_NAK, ms, whole_s);
        while (c.p < c.end && *c.p >= '0' && *c.p <= '9'
               && ev->status < 100000)
        {
            ev->status = ev->status * 10 + (*c.p - '0');
            c.p++;
        }
        if (!starts(&c, ", ")) {
            return 0;
        }
        r = find_last(c.p, c.end, ") to ");
        if (r == NULL || address(r + 5, c.end, ev->ip, sizeof(ev->ip)) != 0) {
            return 0;
        }
        copy(ev->text, sizeof(ev->text), c.p, r);
        return 1;
    }
    return 0;
}

/* --------------------------------------------------------------- nginx */

typedef struct {
    const char *p, *end;        /* the token without its quotes */
    char        kind;           /* '"', '[' or ' ' (bare) */
} token;

/* The next token of an access-log line; 0, or -1 at the end. */
static int
next_token(cursor *c, token *t)
{
    const char *q;

    while (c->p < c->end && (*c->p == ' ' || *c->p == '\t')) {
        c->p++;
    }
    if (c->p >= c->end) {
        return -1;
    }
    if (*c->p == '"') {
        /* nginx escapes '"' and '\' in variables as \x22, \x5C */
        for (q = c->p + 1; q < c->end && *q != '"'; q++) {
            if (*q == '\\' && q + 1 < c->end) {
                q++;
            }
        }
        t->kind = '"';
        t->p = c->p + 1;
        t->end = q;
        c->p = q < c->end ? q + 1 : q;
        return 0;
    }
    if (*c->p == '[') {
        q = memchr(c->p, ']', (size_t) (c->end - c->p));
        if (q == NULL) {
            q = c->end;
        }
        t->kind = '[';
        t->p = c->p + 1;
        t->end = q;
        c->p = q < c->end ? q + 1 : q;
        return 0;
    }
    for (q = c->p; q < c->end && *q != ' ' && *q != '\t'; q++) {
    }
    t->kind = ' ';
    t->p = c->p;
    t->end = q;
    c->p = q;
    return 0;
}

static int
hexval(char c)
{
    return c >= '0' && c <= '9' ? c - '0'
           : c >= 'a' && c <= 'f' ? c - 'a' + 10
           : c >= 'A' && c <= 'F' ? c - 'A' + 10 : -1;
}

/* Percent-decode [p, end) into out; a broken escape is kept as it is. */
static void
decode(const char *p, const char *end, char *out, size_t size)
{
    size_t n = 0;
    int    h, l;
    char   ch;

    while (p < end && n + 1 < size) {
        ch = *p++;
        if (ch == '%' && end - p >= 2) {
            h = hexval(p[0]);
            l = hexval(p[1]);
            if (h >= 0 && l >= 0) {
                ch = (char) (h << 4 | l);
                p += 2;
            }
        }
        out[n++] = (unsigned char) ch < 0x20 || (unsigned char) ch >= 0x7f
                   ? '?' : ch;
    }
    out[n] = '\0';
}

/* "GET /path?query HTTP/1.1" */
static int
request(const token *t, blog_event *ev)
{
    const char *p = t->p, *sp, *uri, *q;
    size_t      n;

    sp = memchr(p, ' ', (size_t) (t->end - p));
    if (sp == NULL || sp == p || sp - p >= (long) sizeof(ev->method)) {
        return -1;
    }
    for (q = p; q < sp; q++) {
        if (*q < 'A' || *q > 'Z') {
            return -1;
        }
    }
    copy(ev->method, sizeof(ev->method), p, sp);
    uri = sp + 1;
    sp = memchr(uri, ' ', (size_t) (t->end - uri));
    if (sp == NULL) {
        sp = t->end;             /* HTTP/0.9 */
    }
    if (uri >= sp || *uri != '/') {
        return -1;
    }
    q = memchr(uri, '?', (size_t) (sp - uri));
    n = (size_t) ((q != NULL ? q : sp) - uri);
    decode(uri, uri + n, ev->text, sizeof(ev->text));
    if (q != NULL) {
        copy(ev->query, sizeof(ev->query), q + 1, sp);
    }
    return 0;
}

static long long
number(const char *p, const char *end, int max_digits)
{
    long long v = 0;
    int       n = 0;

    if (p >= end) {
        return -1;
    }
    for (; p < end; p++, n++) {
        if (*p < '0' || *p > '9' || n >= max_digits) {
            return -1;
        }
        v = v * 10 + (*p - '0');
    }
    return v;
}

/* mac=... / alpxe_mac=... and result=... / alpxe_result=... */
static void
variable(const token *t, blog_event *ev)
{
    const char *eq = memchr(t->p, '=', (size_t) (t->end - t->p));
    size_t      k;

    if (eq == NULL) {
        return;
    }
    k = (size_t) (eq - t->p);
    if ((k == 3 && memcmp(t->p, "mac", 3) == 0)
        || (k == 9 && memcmp(t->p, "alpxe_mac", 9) == 0))
    {
        if (!ev->have_mac
            && alpxe_mac_parse(eq + 1, (size_t) (t->end - eq - 1), &ev->mac)
               == 0)
        {
            ev->have_mac = 1;
        }
    } else if ((k == 6 && memcmp(t->p, "result", 6) == 0)
               || (k == 12 && memcmp(t->p, "alpxe_result", 12) == 0))
    {
        if (t->end - eq - 1 > 0 && eq[1] != '-') {
            copy(ev->result, sizeof(ev->result), eq + 1, t->end);
        }
    }
}

int
blog_parse_nginx(const char *line, size_t len, long long now_ms,
    blog_event *ev)
{
    const char *after;
    long long   ms = 0, v;
    int         whole_s = 1, have_time = 0, have_req = 0, state = 0;
    char        ip[48] = "";
    token       t;
    cursor      c;

    c.p = line;
    c.end = line + len;
    while (c.end > c.p && (c.end[-1] == '\n' || c.end[-1] == '\r')) {
        c.end--;
    }
    event_init(ev, BLOG_HTTP, 0, 1);
    while (next_token(&c, &t) == 0) {
        if (!have_time && t.kind != '"'
            && blog_time_parse(t.p, t.end, now_ms, &ms, &whole_s, &after)
               == 0
            && (after == t.end || t.kind == '['))
        {
            have_time = 1;
            continue;
        }
        if (!have_req && t.kind == ' ' && ip[0] == '\0'
            && address(t.p, t.end, ip, sizeof(ip)) == 0)
        {
            continue;
        }
        if (!have_req && t.kind == '"') {
            if (request(&t, ev) != 0) {
                return 0;       /* "-", or what a scanner sent */
            }
            have_req = 1;
            continue;
        }
        if (have_req && t.kind == ' ' && state < 2) {
            v = number(t.p, t.end, state == 0 ? 3 : 15);
            if (state == 0 && v >= 100 && v <= 599) {
                ev->status = (int) v;
                state = 1;
                continue;
            }
            if (state == 1) {
                ev->bytes = v;      /* "-" is -1 */
                state = 2;
                continue;
            }
        }
        if (t.kind == ' ') {
            variable(&t, ev);
        }
    }
    if (!have_time || !have_req || ev->status == 0 || ip[0] == '\0') {
        return 0;
    }
    ev->ms = ms;
    ev->whole_s = whole_s;
    memcpy(ev->ip, ip, sizeof(ev->ip));
    return 1;
}

int
blog_parse(blog_source src, const char *line, size_t len, long long now_ms,
    blog_event *ev)
{
    switch (src) {
    case BLOG_SRC_KEA:
        return blog_parse_kea(line, len, now_ms, ev);
    case BLOG_SRC_TFTPD:
        return blog_parse_tftpd(line, len, now_ms, ev);
    case BLOG_SRC_NGINX:
        return blog_parse_nginx(line, len, now_ms, ev);
    default:
        return 0;
    }
}

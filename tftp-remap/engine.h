/*
 * engine.h - tftpd-hpa's remap rules, read and applied the way Debian's
 * in.tftpd (tftp-hpa 5.2+20150808) does it.
 *
 * A rules file is lines of "<flags> <ERE> [replacement]"; this module is
 * what `alpxe-remap --test` runs, and what checks a generated file before
 * it replaces the old one (in.tftpd exits when it re-reads a bad file on
 * SIGHUP).  It reproduces the daemon's quirks on purpose, see engine.c.
 */

#ifndef ALPXE_REMAP_ENGINE_H
#define ALPXE_REMAP_ENGINE_H

#include <stddef.h>
#include <stdint.h>

/* in.tftpd gives up after this many rule visits per request. */
#define REMAP_MAX_VISITS        1024

/* fgets() buffer of in.tftpd: longer lines are cut into pieces. */
#define REMAP_MAX_LINE          16384

typedef struct remap_rules  remap_rules;

/* One diagnostic per bad line, without newline. */
typedef void (*remap_diag_fn)(void *ctx, unsigned line, const char *text);

/*
 * Parse the text of a rules file (len bytes, NUL bytes allowed) exactly as
 * in.tftpd does, compiling every regex with regcomp(REG_EXTENDED).  Every
 * bad line is reported through diag (may be NULL); if there is any, the
 * result is -EINVAL (in.tftpd would exit 78).  Returns 0, -EINVAL or
 * -ENOMEM; on success *out owns the rules.
 */
int remap_parse(const char *text, size_t len, remap_diag_fn diag, void *ctx,
    remap_rules **out);

void remap_free(remap_rules *rules);
size_t remap_rule_count(const remap_rules *rules);

/* The client address, as \i and \x see it. */
typedef struct {
    int      family;            /* AF_INET or AF_INET6 */
    uint8_t  addr[16];          /* network order, 4 or 16 bytes */
} remap_client;

typedef enum {
    REMAP_MAPPED = 0,           /* name is what in.tftpd opens */
    REMAP_DENIED,               /* an 'a' rule matched */
    REMAP_FAILED                /* "Remap table failure", or a rule that
                                   would never stop matching */
} remap_status;

typedef struct {
    remap_status  status;
    char         *name;         /* MAPPED: the rewritten name (malloc'd) */
    char         *message;      /* otherwise: the error text the client
                                   gets (malloc'd) */
    unsigned      line;         /* the deciding rule's line, 0: none */
    unsigned      visits;       /* rule visits counted against the limit */
} remap_result;

/* Called for each rule that matched: event is "rewrite", "exit", ... */
typedef void (*remap_trace_fn)(void *ctx, unsigned line, const char *event,
    const char *current);

/*
 * Apply the rules to a request for `name`; mode is 'G' for a read request
 * (RRQ), 'P' for a write.  Returns 0 with *res filled (free it with
 * remap_result_free), or -ENOMEM.
 */
int remap_apply(const remap_rules *rules, const char *name, char mode,
    const remap_client *client, remap_trace_fn trace, void *ctx,
    remap_result *res);

void remap_result_free(remap_result *res);

#endif /* ALPXE_REMAP_ENGINE_H */

/*
 * engine.c - tftpd-hpa's remap rule language, as Debian's in.tftpd 5.2
 * reads and applies it (Debian 5.2 has no --map-test of its own).
 *
 * Reading (tftpd/remap.c, parserulefile and friends):
 *   - the file is read with fgets() into a 16384-byte buffer, so a longer
 *     line is cut into several "lines";
 *   - a line is up to three tokens separated by unescaped white space; an
 *     unescaped '#' ends the line; a backslash is kept in the token and
 *     only protects the next character;
 *   - flags: r rewrite, g repeat while it matches (only with r), e exit
 *     after a match, s restart after a match, a abort (deny), i ignore
 *     case, ~ invert the match (not with r), G / P only for reads / writes;
 *     any other character is an error;
 *   - the regex is POSIX ERE (REG_EXTENDED); any error on any line makes
 *     the daemon exit 78 (EX_CONFIG) after reading the whole file.
 *
 * Applying (rewrite_string):
 *   - every rule visited counts one step; the 1025th visit fails the
 *     request with "Remap table failure";
 *   - a matching 'a' rule denies, with its replacement (expanded) as the
 *     error text, or the stock "Access denied" when it has none;
 *   - a 'g' rule is re-applied until it stops matching (the daemon never
 *     gives up on one that always matches: we report it as a failure);
 *   - 's' restarts at the *second* rule: the daemon resets its pointer to
 *     the first rule and then its loop steps to the next one.  Checked
 *     against the real daemon; the generated rules never use 's'.
 *   - replacement: \0-\9 groups, \i client IP, \x client IP in upper-case
 *     hex, \L \U \E lower / upper / no case change from there on (groups
 *     and macros included), '\' before anything else is that character.
 */

#include <arpa/inet.h>
#include <errno.h>
#include <regex.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include "engine.h"
#include "sbuf.h"

#define RULE_REWRITE    0x01
#define RULE_GLOBAL     0x02
#define RULE_EXIT       0x04
#define RULE_RESTART    0x08
#define RULE_ABORT      0x10
#define RULE_INVERSE    0x20

/*
 * A 'g' rule is judged never to stop (in.tftpd would loop, or grow the
 * name until memory runs out) when the name outgrows anything in.tftpd
 * could open (PATH_MAX), or after more rounds than a name that size can
 * take; any rewrite that makes the name that long fails the request.  Each round scans the whole name, so the bounds keep a
 * pathological rule to milliseconds (fuzz_remap found one growing a name
 * to 1 MiB, quadratically).
 */
#define NAME_MAX_GROWTH     4096
#define GLOBAL_MAX_ROUNDS   (4 * NAME_MAX_GROWTH)

struct remap_rule {
    unsigned    line;
    unsigned    flags;
    char        mode;           /* 0, 'G' or 'P' */
    regex_t     rx;
    char       *pattern;        /* replacement; "" when absent */
};

struct remap_rules {
    struct remap_rule  *v;
    size_t              n;
};

typedef int (*xform_fn)(int c);

static int
xform_none(int c)
{
    return c;
}

/* in.tftpd never calls setlocale(): toupper/tolower of the C locale. */
static int
xform_upper(int c)
{
    return (c >= 'a' && c <= 'z') ? c - 'a' + 'A' : c;
}

static int
xform_lower(int c)
{
    return (c >= 'A' && c <= 'Z') ? c - 'A' + 'a' : c;
}

static int
is_space(char c)
{
    /* isspace() of the C locale */
    return c == ' ' || (c >= '\t' && c <= '\r');
}

static void __attribute__((format(printf, 4, 5)))
diagf(remap_diag_fn diag, void *ctx, unsigned line, const char *fmt, ...)
{
    char    text[512];
    va_list ap;

    if (diag == NULL) {
        return;
    }
    va_start(ap, fmt);
    vsnprintf(text, sizeof(text), fmt, ap);
    va_end(ap);
    diag(ctx, line, text);
}

/*
 * One token starting at *p: leading white space skipped, ends at unescaped
 * white space or '#'.  Copies it to tok (NUL-terminated, same room as the
 * line) and returns its length; 0 when the line has no more tokens.
 */
static size_t
read_token(const char **p, char *tok)
{
    const char *s = *p;
    size_t      len = 0;
    int         escaped = 0;

    while (*s != '\0' && is_space(*s)) {
        s++;
    }
    while (*s != '\0') {
        if (!escaped && (is_space(*s) || *s == '#')) {
            break;
        }
        /* a backslash escapes one character; "\\" leaves nothing open */
        escaped = !escaped && *s == '\\';
        tok[len++] = *s++;
    }
    tok[len] = '\0';
    *p = s;
    return len;
}

/*
 * Returns 1: a rule in *r, 0: no rule on this line, -EINVAL: a bad line
 * (reported), -ENOMEM.
 */
static int
parse_line(const char *line, unsigned lineno, struct remap_rule *r,
    char *tok, remap_diag_fn diag, void *ctx)
{
    const char *p = line;
    const char *f;
    char        err[256];
    int         cflags = REG_EXTENDED;
    int         rc;

    memset(r, 0, sizeof(*r));
    r->line = lineno;
    if (read_token(&p, tok) == 0) {
        return 0;
    }
    for (f = tok; *f != '\0'; f++) {
        switch (*f) {
        case 'r':
            r->flags |= RULE_REWRITE;
            break;
        case 'g':
            r->flags |= RULE_GLOBAL;
            break;
        case 'e':
            r->flags |= RULE_EXIT;
            break;
        case 's':
            r->flags |= RULE_RESTART;
            break;
        case 'a':
            r->flags |= RULE_ABORT;
            break;
        case '~':
            r->flags |= RULE_INVERSE;
            break;
        case 'i':
            cflags |= REG_ICASE;
            break;
        case 'G':
        case 'P':
            r->mode = *f;
            break;
        default:
            diagf(diag, ctx, lineno, "flags \"%s\" contain invalid '%c'",
                tok, *f);
            return -EINVAL;
        }
    }
    if (!(r->flags & RULE_REWRITE)) {
        r->flags &= ~(unsigned) RULE_GLOBAL;
    }
    if ((r->flags & (RULE_REWRITE | RULE_INVERSE))
        == (RULE_REWRITE | RULE_INVERSE))
    {
        diagf(diag, ctx, lineno, "r rules cannot be inverted (%s)", tok);
        return -EINVAL;
    }
    if (read_token(&p, tok) == 0) {
        diagf(diag, ctx, lineno, "%s", "no regex after the flags");
        return -EINVAL;
    }
    rc = regcomp(&r->rx, tok, cflags);
    if (rc != 0) {
        regerror(rc, &r->rx, err, sizeof(err));
        diagf(diag, ctx, lineno, "bad regex \"%s\": %s", tok, err);
        return -EINVAL;
    }
    read_token(&p, tok);            /* "" when absent; a 4th is ignored */
    r->pattern = strdup(tok);
    if (r->pattern == NULL) {
        regfree(&r->rx);
        return -ENOMEM;
    }
    return 1;
}

void
remap_free(remap_rules *rules)
{
    size_t i;

    if (rules == NULL) {
        return;
    }
    for (i = 0; i < rules->n; i++) {
        regfree(&rules->v[i].rx);
        free(rules->v[i].pattern);
    }
    free(rules->v);
    free(rules);
}

size_t
remap_rule_count(const remap_rules *rules)
{
    return rules->n;
}

int
remap_parse(const char *text, size_t len, remap_diag_fn diag, void *ctx,
    remap_rules **out)
{
    remap_rules        *rules;
    struct remap_rule   r, *v;
    char               *line, *tok;
    size_t              pos = 0, cap = 0, chunk;
    unsigned            lineno = 0;
    int                 errors = 0, rc;

    rules = calloc(1, sizeof(*rules));
    line = malloc(REMAP_MAX_LINE);
    tok = malloc(REMAP_MAX_LINE);
    if (rules == NULL || line == NULL || tok == NULL) {
        rc = -ENOMEM;
        goto err;
    }
    while (pos < len) {
        /* what one fgets(line, 16384, f) returns */
        chunk = 0;
        while (pos + chunk < len && chunk < REMAP_MAX_LINE - 1) {
            if (text[pos + chunk++] == '\n') {
                break;
            }
        }
        memcpy(line, text + pos, chunk);
        line[chunk] = '\0';         /* a NUL byte inside ends it earlier */
        pos += chunk;
        lineno++;

        rc = parse_line(line, lineno, &r, tok, diag, ctx);
        if (rc == -EINVAL) {
            errors++;
        }
        if (rc == -ENOMEM) {
            goto err;
        }
        if (rc != 1) {
            continue;
        }
        if (rules->n == cap) {
            cap = cap ? cap * 2 : 16;
            v = realloc(rules->v, cap * sizeof(*v));
            if (v == NULL) {
                regfree(&r.rx);
                free(r.pattern);
                rc = -ENOMEM;
                goto err;
            }
            rules->v = v;
        }
        rules->v[rules->n++] = r;
    }
    free(line);
    free(tok);
    if (errors != 0) {
        remap_free(rules);
        return -EINVAL;
    }
    *out = rules;
    return 0;

err:
    free(line);
    free(tok);
    remap_free(rules);
    return rc;
}

/* \i and \x; -1 for any other macro letter (then it is a literal). */
static int
macro_text(char macro, const remap_client *client, char *out, size_t size)
{
    size_t i, n;

    switch (macro) {
    case 'i':
        if (client == NULL
            || inet_ntop(client->family, client->addr, out, size) == NULL)
        {
            out[0] = '\0';
        }
        return 0;
    case 'x':
        out[0] = '\0';
        if (client == NULL) {
            return 0;
        }
        n = client->family == AF_INET ? 4 : 16;
        for (i = 0; i < n && 2 * i + 2 < size; i++) {
            snprintf(out + 2 * i, 3, "%02X", client->addr[i]);
        }
        return 0;
    default:
        return -1;
    }
}

static int
add_xformed(sbuf *out, const char *s, size_t len, xform_fn xf)
{
    size_t i;
    int    rc;

    for (i = 0; i < len; i++) {
        rc = sbuf_addc(out, (char) xf((unsigned char) s[i]));
        if (rc != 0) {
            return rc;
        }
    }
    return 0;
}

/*
 * The new name: text before the match, the expanded replacement, text
 * after the match.  pm[0].rm_so == -1 (an inverted rule) gives only the
 * expansion.
 */
static int
substitute(sbuf *out, const char *in, const regmatch_t *pm,
    const char *pat, const remap_client *client)
{
    xform_fn    xf = xform_none;
    char        mtext[64];
    int         n, rc = 0;

    sbuf_reset(out);
    if (pm[0].rm_so >= 0) {
        rc = sbuf_add(out, in, (size_t) pm[0].rm_so);
    }
    while (rc == 0 && *pat != '\0') {
        if (pat[0] != '\\' || pat[1] == '\0') {
            rc = add_xformed(out, pat, 1, xf);
            pat++;
            continue;
        }
        switch (pat[1]) {
        case '0': case '1': case '2': case '3': case '4':
        case '5': case '6': case '7': case '8': case '9':
            n = pat[1] - '0';
            if (pm[n].rm_so != -1) {
                rc = add_xformed(out, in + pm[n].rm_so,
                    (size_t) (pm[n].rm_eo - pm[n].rm_so), xf);
            }
            break;
        case 'L':
            xf = xform_lower;
            break;
        case 'U':
            xf = xform_upper;
            break;
        case 'E':
            xf = xform_none;
            break;
        default:
            if (macro_text(pat[1], client, mtext, sizeof(mtext)) == 0) {
                rc = add_xformed(out, mtext, strlen(mtext), xf);
            } else {
                rc = add_xformed(out, pat + 1, 1, xf);
            }
        }
        pat += 2;
    }
    if (rc == 0 && pm[0].rm_eo >= 0) {
        rc = sbuf_adds(out, in + pm[0].rm_eo);
    }
    return rc;
}

/* What one visit of a rule did. */
typedef enum {
    VISIT_MISS = 0,
    VISIT_MATCH,
    VISIT_DENY,                 /* cur now holds the error text */
    VISIT_HANG,                 /* a 'g' rule that never stops matching */
    VISIT_TOO_LONG              /* the name outgrew NAME_MAX_GROWTH */
} visit_outcome;

/* One visit of rule r: match, deny, or rewrite cur (repeatedly for 'g'). */
static int
visit(const struct remap_rule *r, sbuf *cur, sbuf *tmp,
    const remap_client *client, remap_trace_fn trace, void *ctx,
    visit_outcome *outcome)
{
    regmatch_t  pm[10];
    unsigned    rounds;
    size_t      k;
    int         rc;

    *outcome = VISIT_MISS;
    for (rounds = 0;; rounds++) {
        rc = regexec(&r->rx, sbuf_str(cur), 10, pm, 0);
        if (rc != ((r->flags & RULE_INVERSE) ? REG_NOMATCH : 0)) {
            return 0;
        }
        *outcome = VISIT_MATCH;
        if (r->flags & RULE_INVERSE) {
            for (k = 0; k < 10; k++) {
                pm[k].rm_so = pm[k].rm_eo = -1;
            }
        }
        if (r->flags & RULE_ABORT) {
            if (trace != NULL) {
                trace(ctx, r->line, "deny", sbuf_str(cur));
            }
            *outcome = VISIT_DENY;
            if (r->pattern[0] == '\0') {
                sbuf_reset(cur);
                return sbuf_adds(cur, "Access denied");
            }
        }
        if (r->flags & (RULE_ABORT | RULE_REWRITE)) {
            rc = substitute(tmp, sbuf_str(cur), pm, r->pattern, client);
            sbuf_reset(cur);
            if (rc == 0) {
                rc = sbuf_add(cur, sbuf_str(tmp), tmp->len);
            }
            if (rc != 0 || *outcome == VISIT_DENY) {
                return rc;
            }
            if (trace != NULL) {
                trace(ctx, r->line, "rewrite", sbuf_str(cur));
            }
            /* rules that double the name at each visit would reach a
             * gigabyte in 30 visits (fuzz_remap); a 'g' rule is judged
             * below */
            if (!(r->flags & RULE_GLOBAL) && cur->len > NAME_MAX_GROWTH) {
                *outcome = VISIT_TOO_LONG;
                return 0;
            }
        }
        if (!(r->flags & RULE_GLOBAL)) {
            return 0;
        }
        if (rounds >= GLOBAL_MAX_ROUNDS || cur->len > NAME_MAX_GROWTH) {
            *outcome = VISIT_HANG;
            return 0;
        }
    }
}

int
remap_apply(const remap_rules *rules, const char *name, char mode,
    const remap_client *client, remap_trace_fn trace, void *ctx,
    remap_result *res)
{
    const struct remap_rule *r;
    const char     *message = NULL;
    sbuf            cur = SBUF_INIT, tmp = SBUF_INIT;
    visit_outcome   v;
    size_t          i;
    unsigned        budget = REMAP_MAX_VISITS;
    int             rc;

    memset(res, 0, sizeof(*res));
    res->status = REMAP_MAPPED;
    rc = sbuf_adds(&cur, name);
    for (i = 0; rc == 0 && i < rules->n; i++) {
        r = &rules->v[i];
        if (r->mode != 0 && r->mode != mode) {
            continue;
        }
        if (budget == 0) {
            res->status = REMAP_FAILED;
            res->line = r->line;
            message = "Remap table failure";
            break;
        }
        budget--;
        res->visits++;

        rc = visit(r, &cur, &tmp, client, trace, ctx, &v);
        if (rc != 0 || v == VISIT_MISS) {
            continue;
        }
        if (v == VISIT_DENY || v == VISIT_HANG || v == VISIT_TOO_LONG) {
            res->status = v == VISIT_DENY ? REMAP_DENIED : REMAP_FAILED;
            res->line = r->line;
            if (v == VISIT_HANG) {
                message = "rule never stops matching (in.tftpd would hang)";
            } else if (v == VISIT_TOO_LONG) {
                message = "the rules grow the name past 4096 bytes, longer "
                          "than any path in.tftpd could open";
            }
            break;
        }
        if (r->flags & RULE_EXIT) {
            if (trace != NULL) {
                trace(ctx, r->line, "exit", sbuf_str(&cur));
            }
            res->line = r->line;
            break;
        }
        if (r->flags & RULE_RESTART) {
            if (trace != NULL) {
                trace(ctx, r->line, "restart", sbuf_str(&cur));
            }
            i = 0;          /* the loop's i++ makes it the second rule */
        }
    }

    if (rc == 0 && res->status == REMAP_MAPPED) {
        res->name = sbuf_take(&cur);
        rc = res->name != NULL ? 0 : -ENOMEM;
    } else if (rc == 0) {
        res->message = message != NULL ? strdup(message) : sbuf_take(&cur);
        rc = res->message != NULL ? 0 : -ENOMEM;
    }
    sbuf_free(&cur);
    sbuf_free(&tmp);
    if (rc != 0) {
        remap_result_free(res);
    }
    return rc;
}

void
remap_result_free(remap_result *res)
{
    free(res->name);
    free(res->message);
    res->name = res->message = NULL;
}

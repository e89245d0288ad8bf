/*
 * rules.c - alpxe.conf's TFTP section turned into tftpd-hpa remap rules.
 *
 * The rules implement alpxe_tftp_resolve() in the daemon's language (see
 * engine.c for its semantics), in this order:
 *
 *   rg   \\                  /          '\' read as '/'
 *   a    (^|/)\.\.(/|$)                 deny '..' components
 *   a    [[:cntrl:]]                    deny control characters
 *   a    (^|/)\.alpxe-loaders$         deny the loaders' manifest
 *   r    ^/+                            drop leading '/'
 *   rie  ^gpxe\.kpxe$        a.kpxe     aliases (the core tries them first)
 *   rie  ^(a\.kpxe|b\.efi)$  \L\1       loaders, any case (case = insensitive)
 *
 * Loader names without upper-case letters share one rule (\L gives back the
 * canonical spelling), so the count stays small however many hosts name
 * them; a name with upper-case letters gets a rule of its own.  Every name
 * is matched literally: ERE metacharacters are escaped, and names the rule
 * syntax cannot carry (white space, '#', '\', control characters) are
 * refused rather than quoted.
 */

#include <errno.h>
#include <stdio.h>
#include <string.h>

#include "engine.h"
#include "rules.h"

/* Keep generated lines well inside in.tftpd's 16384-byte line buffer. */
#define LINE_BUDGET     4000

static int
is_upper(char c)
{
    return c >= 'A' && c <= 'Z';
}

static int
has_upper(const char *s)
{
    for (; *s != '\0'; s++) {
        if (is_upper(*s)) {
            return 1;
        }
    }
    return 0;
}

/* Can `name` be matched and produced by a rule at all? */
static int
check_name(const char *what, const char *name, char *err, size_t errsize)
{
    const unsigned char *p;

    if (name[0] == '\0') {
        snprintf(err, errsize, "%s: empty file name", what);
        return -EINVAL;
    }
    if (name[0] == '/') {
        snprintf(err, errsize, "%s \"%s\": a leading '/' never reaches the "
            "rules' end (names are relative to the TFTP root)", what, name);
        return -EINVAL;
    }
    for (p = (const unsigned char *) name; *p != '\0'; p++) {
        if (*p <= ' ' || *p == 0x7f || *p == '#' || *p == '\\') {
            snprintf(err, errsize, "%s \"%s\": white space, control "
                "characters, '#' and '\\' cannot appear in a remap rule",
                what, name);
            return -EINVAL;
        }
    }
    return 0;
}

/* name as an ERE matching exactly that text */
static int
add_literal(sbuf *out, const char *name)
{
    int rc = 0;

    for (; rc == 0 && *name != '\0'; name++) {
        if (strchr(".[]()*+?{}|^$\\", *name) != NULL) {
            rc = sbuf_addc(out, '\\');
        }
        if (rc == 0) {
            rc = sbuf_addc(out, *name);
        }
    }
    return rc;
}

static int
add_padded(sbuf *out, const char *s, size_t width)
{
    size_t  len = strlen(s);
    int     rc;

    rc = sbuf_add(out, s, len);
    while (rc == 0 && len++ < width) {
        rc = sbuf_addc(out, ' ');
    }
    return rc;
}

/* "<flags> <regex> [replacement]", in columns */
static int
add_rule(sbuf *out, const char *flags, const char *regex, const char *repl)
{
    int rc;

    rc = add_padded(out, flags, 5);
    if (rc == 0 && repl != NULL) {
        rc = add_padded(out, regex, 23);
        if (rc == 0) {
            rc = sbuf_addc(out, ' ');
        }
        if (rc == 0) {
            rc = sbuf_adds(out, repl);
        }
    } else if (rc == 0) {
        rc = sbuf_adds(out, regex);
    }
    if (rc == 0) {
        rc = sbuf_addc(out, '\n');
    }
    return rc;
}

/* One rule for one name: ^name$ -> repl (rx is scratch space) */
static int
add_exact_rule(sbuf *out, sbuf *rx, const char *flags, const char *name,
    const char *repl)
{
    int rc;

    sbuf_reset(rx);
    rc = sbuf_adds(rx, "^");
    if (rc == 0) {
        rc = add_literal(rx, name);
    }
    if (rc == 0) {
        rc = sbuf_adds(rx, "$");
    }
    if (rc == 0) {
        rc = add_rule(out, flags, sbuf_str(rx), repl);
    }
    return rc;
}

/* One rule for a run of lower-case loader names: ^(a|b|...)$ -> \L\1 */
static int
flush_group(sbuf *out, sbuf *group, const char *flags, size_t *nrules)
{
    sbuf    rx = SBUF_INIT;
    int     rc;

    if (group->len == 0) {
        return 0;
    }
    rc = sbuf_adds(&rx, "^(");
    if (rc == 0) {
        rc = sbuf_add(&rx, group->p, group->len);
    }
    if (rc == 0) {
        rc = sbuf_adds(&rx, ")$");
    }
    if (rc == 0) {
        rc = add_rule(out, flags, sbuf_str(&rx), "\\L\\1");
    }
    sbuf_free(&rx);
    sbuf_reset(group);
    (*nrules)++;
    return rc;
}

static int
add_loaders(const alpxe_config *cfg, sbuf *out, size_t *nrules,
    char *err, size_t errsize)
{
    sbuf        group = SBUF_INIT, rx = SBUF_INIT;
    const char *name;
    size_t      i, n = alpxe_tftp_loader_count(cfg);
    int         rc = 0;

    if (n == 0 || !alpxe_tftp_case_insensitive(cfg)) {
        return 0;
    }
    rc = sbuf_adds(out, "# Loaders in any case, to the names they have in "
        "the TFTP root.\n");
    for (i = 0; rc == 0 && i < n; i++) {
        name = alpxe_tftp_loader(cfg, i);
        rc = check_name("loader", name, err, errsize);
        if (rc != 0) {
            break;
        }
        if (has_upper(name)) {
            /* its own rule, after the names before it (order matters) */
            rc = flush_group(out, &group, "rie", nrules);
            if (rc == 0) {
                rc = add_exact_rule(out, &rx, "rie", name, name);
            }
            (*nrules)++;
            continue;
        }
        if (group.len > LINE_BUDGET) {
            rc = flush_group(out, &group, "rie", nrules);
        }
        if (rc == 0 && group.len != 0) {
            rc = sbuf_addc(&group, '|');
        }
        if (rc == 0) {
            rc = add_literal(&group, name);
        }
    }
    if (rc == 0) {
        rc = flush_group(out, &group, "rie", nrules);
    }
    sbuf_free(&group);
    sbuf_free(&rx);
    return rc;
}

static int
add_aliases(const alpxe_config *cfg, sbuf *out, size_t *nrules,
    char *err, size_t errsize)
{
    sbuf        rx = SBUF_INIT;
    const char *name, *target;
    const char *flags = alpxe_tftp_case_insensitive(cfg) ? "rie" : "re";
    size_t      i, n = alpxe_tftp_alias_count(cfg);
    int         rc = 0;

    if (n == 0) {
        return 0;
    }
    rc = sbuf_adds(out, "# Aliases: names some firmware or another DHCP "
        "server asks for.\n");
    for (i = 0; rc == 0 && i < n; i++) {
        alpxe_tftp_alias(cfg, i, &name, &target);
        rc = check_name("alias", name, err, errsize);
        if (rc == 0) {
            rc = check_name("alias target", target, err, errsize);
        }
        if (rc == 0) {
            rc = add_exact_rule(out, &rx, flags, name, target);
        }
        (*nrules)++;
    }
    sbuf_free(&rx);
    return rc;
}

int
remap_rules_generate(const alpxe_config *cfg, sbuf *out, char *err,
    size_t errsize)
{
    size_t  nrules = 4;
    char    line[4500];
    int     rc;

    err[0] = '\0';
    snprintf(line, sizeof(line),
        "# tftpd-hpa remap rules for alpxe, generated by alpxe-remap %s\n"
        "# from %s (sha256 %s).\n"
        "# Do not edit: change the configuration and run alpxe-remap\n"
        "# again.  Needs in.tftpd --secure.\n\n",
        ALPXE_VERSION, alpxe_config_path(cfg), alpxe_config_sha256(cfg));
    rc = sbuf_adds(out, line);
    if (rc == 0) {
        rc = sbuf_adds(out, "# '\\' is read as '/'.\n");
    }
    if (rc == 0) {
        rc = add_rule(out, "rg", "\\\\", "/");
    }
    if (rc == 0) {
        rc = sbuf_adds(out, "# '..' components and control characters are "
            "denied.\n");
    }
    if (rc == 0) {
        rc = add_rule(out, "a", "(^|/)\\.\\.(/|$)", NULL);
    }
    if (rc == 0) {
        rc = add_rule(out, "a", "[[:cntrl:]]", NULL);
    }
    if (rc == 0) {
        rc = sbuf_adds(out, "# alpxe-remap's own list of installed loaders "
            "is no client's business.\n");
    }
    if (rc == 0) {
        rc = add_rule(out, "a", "(^|/)\\.alpxe-loaders$", NULL);
    }
    if (rc == 0) {
        rc = sbuf_adds(out, "# Leading '/' dropped: names are relative to "
            "the TFTP root.\n");
    }
    if (rc == 0) {
        rc = add_rule(out, "r", "^/+", NULL);
    }
    if (rc == 0) {
        rc = add_aliases(cfg, out, &nrules, err, errsize);
    }
    if (rc == 0) {
        rc = add_loaders(cfg, out, &nrules, err, errsize);
    }
    if (rc == 0 && nrules > REMAP_MAX_VISITS) {
        snprintf(err, errsize, "%zu rules: more than in.tftpd visits per "
            "request (%d)", nrules, REMAP_MAX_VISITS);
        rc = -EINVAL;
    }
    if (rc == -ENOMEM && err[0] == '\0') {
        snprintf(err, errsize, "out of memory");
    }
    return rc;
}

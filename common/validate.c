/*
 * validate.c - whitelists for values that reach iPXE, the kernel command
 * line, DHCP or TFTP (see validate.h for why whitelists).
 */

#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "alpxe.h"
#include "text.h"
#include "validate.h"

/* alpxe's variables, and what each stands for when a template is checked
 * (something of the right kind, so the URL around it can be parsed). */
static const struct {
    const char  *name;
    const char  *sample;
} vars[] = {
    { "hostname", "h" },
    { "mac",      "52:54:00:00:00:00" },
    { "mac_dash", "52-54-00-00-00-00" },
};

/* Length of a known "${var}" at v, or 0; *which is its index in vars. */
static size_t
var_which(const char *v, size_t *which)
{
    size_t i, n;

    if (v[0] != '$' || v[1] != '{') {
        return 0;
    }
    for (i = 0; i < sizeof(vars) / sizeof(vars[0]); i++) {
        n = strlen(vars[i].name);
        if (strncmp(v + 2, vars[i].name, n) == 0 && v[2 + n] == '}') {
            *which = i;
            return n + 3;
        }
    }
    return 0;
}

static size_t
var_at(const char *v)
{
    size_t which;

    return var_which(v, &which);
}

int
uses_vars(const char *v)
{
    for (; *v != '\0'; v++) {
        if (var_at(v) != 0) {
            return 1;
        }
    }
    return 0;
}

void
escape_value(const char *v, char *out, size_t size)
{
    size_t n = 0, shown = 0;

    if (size < 8) {
        if (size > 0) {
            out[0] = '\0';
        }
        return;
    }
    for (; *v != '\0' && n + 5 < size; v++, shown++) {
        unsigned char c = (unsigned char) *v;

        if (shown == 60) {
            memcpy(out + n, "...", 3);
            n += 3;
            break;
        }
        if (c < 0x20 || c >= 0x7f) {
            snprintf(out + n, size - n, "\\x%02x", c);
            n += 4;
        } else {
            out[n++] = (char) c;
        }
    }
    out[n] = '\0';
}

void
quote_value(const char *v, char *out, size_t size)
{
    if (size < 8) {
        if (size > 0) {
            out[0] = '\0';
        }
        return;
    }
    out[0] = '"';
    escape_value(v, out + 1, size - 2);
    strcat(out, "\"");
}

/* Why an iPXE script cannot hold c (NULL: it is simply not whitelisted). */
static const char *
ipxe_reason(const char *p)
{
    switch (*p) {
    case '#':
        return "iPXE reads the rest of the line as a comment";
    case ';':
        return "';' ends an iPXE command";
    case '\\':
        return "iPXE reads '\\' as an escape or a line continuation";
    case '$':
        return "iPXE expands \"${\"; alpxe's own variables are "
               "${hostname}, ${mac} and ${mac_dash}";
    case '|':
    case '&':
        if (p[1] == p[0]) {
            return p[0] == '|' ? "\"||\" ends an iPXE command"
                               : "\"&&\" ends an iPXE command";
        }
        return NULL;
    case '"':
    case '\'':
        return "iPXE has no quoting and the kernel splits on quotes";
    default:
        return NULL;
    }
}

/* How check_chars() treats a value. */
#define CHARS_SPACES    0x1     /* spaces separate tokens */
#define CHARS_IPXE      0x2     /* it reaches iPXE: say why iPXE cannot */

/*
 * Check one token against `allowed` (beside letters and digits); alpxe
 * variables pass.  Reports the first offending character.
 */
static int
check_chars(const char *v, const char *allowed, unsigned how, char *msg,
    size_t size)
{
    char        q[96];
    const char *p, *why;
    size_t      n;
    /* the ASCII characters allowed, letters and digits first: a bitmap
     * once per value, not a strchr() per character, for 100k hosts'
     * values are checked at every load */
    uint64_t    set[2] = { UINT64_C(0x03ff000000000000),
                           UINT64_C(0x07fffffe07fffffe) };

    for (p = allowed; *p != '\0'; p++) {
        /* '$' and '&' are allowed only as they are used: below */
        if (*p != '$' && *p != '&') {
            set[(unsigned char) *p >> 6 & 1] |= UINT64_C(1) << (*p & 63);
        }
    }
    for (p = v; *p != '\0'; p++) {
        unsigned char c = (unsigned char) *p;

        if (c < 0x80 && (set[c >> 6] >> (c & 63) & 1)) {
            continue;
        }
        if (c == '$' && (n = var_at(p)) != 0) {
            p += n - 1;
            continue;
        }
        if (c == '&' && p[1] != '&' && strchr(allowed, '&') != NULL) {
            continue;
        }
        if ((c == ' ' || c == '\t') && (how & CHARS_SPACES)) {
            continue;
        }
        quote_value(v, q, sizeof(q));
        if ((c == ' ' || c == '\t') && (how & CHARS_IPXE)) {
            snprintf(msg, size, "whitespace is not allowed in %s: iPXE "
                     "splits arguments on spaces and has no quoting", q);
        } else if ((c == ' ' || c == '\t')) {
            snprintf(msg, size, "whitespace is not allowed in %s", q);
        } else if (c < 0x20 || c >= 0x7f) {
            snprintf(msg, size, "character \\x%02x is not allowed in %s",
                     c, q);
        } else if ((how & CHARS_IPXE) && (why = ipxe_reason(p)) != NULL) {
            snprintf(msg, size, "'%.*s' is not allowed in %s: %s",
                     (c == '&' || c == '|') && p[1] == c ? 2 : 1, p, q, why);
        } else {
            snprintf(msg, size, "'%c' is not allowed in %s (allowed: "
                     "letters, digits and %s)", c, q, allowed);
        }
        return -1;
    }
    return 0;
}

#define URL_CHARS  "-._~:/?=&%+,@!*[]{}^"

int
check_url(const char *v, char *msg, size_t size)
{
    char   q[96];
    size_t scheme;

    if (check_chars(v, URL_CHARS, CHARS_IPXE, msg, size) != 0) {
        return -1;
    }
    scheme = text_http_scheme(v);
    if (strstr(v, "://") != NULL && scheme == 0) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s: only http:// and https:// URLs (or a "
                 "path under [server] http) can be fetched by iPXE and "
                 "Alpine", q);
        return -1;
    }
    /* "http://" alone, "https:///x", "http://?x": a URL names a server */
    if (scheme != 0 && strcspn(v + scheme, "/?#") == 0) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s: no server after the scheme", q);
        return -1;
    }
    return 0;
}

int
check_url_list(const char *v, char *msg, size_t size)
{
    char        item[ALPXE_URL_MAX], q[96];
    const char *p;
    size_t      n;

    if (strpbrk(v, " \t") != NULL) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "whitespace is not allowed in %s: Alpine reads "
                 "alpine_repo= as a comma list (URL1,URL2) and iPXE splits "
                 "on spaces", q);
        return -1;
    }
    for (p = v; ; p += n + 1) {
        n = strcspn(p, ",");
        if (n == 0 || n >= sizeof(item)) {
            quote_value(v, q, sizeof(q));
            snprintf(msg, size, "%s: %s", q, n == 0
                     ? "an empty item in the comma list"
                     : "an item is too long");
            return -1;
        }
        memcpy(item, p, n);
        item[n] = '\0';
        if (check_url(item, msg, size) != 0) {
            return -1;
        }
        if (p[n] == '\0') {
            return 0;
        }
    }
}

int
check_args(const char *v, char *msg, size_t size)
{
    return check_chars(v, URL_CHARS, CHARS_IPXE | CHARS_SPACES, msg, size);
}

int
check_ip(const char *v, char *msg, size_t size)
{
    return check_chars(v, ".:_-", CHARS_IPXE, msg, size);
}

int
check_loader(const char *v, char *msg, size_t size)
{
    char        q[96];
    const char *p;

    /* a file name in DHCP's file field, TFTP and an HTTP boot URL */
    if (check_chars(v, "._-/+", 0, msg, size) != 0) {
        return -1;
    }
    quote_value(v, q, sizeof(q));
    if (v[0] == '/') {
        snprintf(msg, size, "%s: a loader is a path relative to the TFTP "
                 "root, without a leading '/'", q);
        return -1;
    }
    if (uses_vars(v)) {
        snprintf(msg, size, "%s: loader names take no variables", q);
        return -1;
    }
    for (p = v; *p != '\0'; p++) {
        if ((p == v || p[-1] == '/') && p[0] == '.' && p[1] == '.'
            && (p[2] == '/' || p[2] == '\0'))
        {
            snprintf(msg, size, "%s: '..' is not allowed in a loader path",
                     q);
            return -1;
        }
    }
    if (strlen(v) > ALPXE_DHCP_FILE_MAX) {
        snprintf(msg, size, "%s is longer than the %d bytes of the DHCP "
                 "file field", q, ALPXE_DHCP_FILE_MAX);
        return -1;
    }
    return 0;
}

int
check_hostname(const char *v, char *msg, size_t size)
{
    char        q[96];
    const char *p;
    size_t      label = 0;

    for (p = v; *p != '\0'; p++) {
        char c = *p;

        if (c == '.') {
            if (label == 0 || p[-1] == '-') {
                goto bad;
            }
            label = 0;
            continue;
        }
        if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')
              || (c >= '0' && c <= '9') || c == '-'))
        {
            goto bad;
        }
        if ((c == '-' && label == 0) || ++label > 63) {
            goto bad;
        }
    }
    if (label == 0 || p[-1] == '-' || p - v > 253) {
        goto bad;
    }
    return 0;

bad:
    quote_value(v, q, sizeof(q));
    snprintf(msg, size, "%s is not a valid host name (letters, digits and "
             "inner '-', labels of at most 63 characters split by '.')", q);
    return -1;
}

int
check_profile_name(const char *v, char *msg, size_t size)
{
    char        q[96];
    const char *p;

    /* A letter or a digit first: the name is an iPXE menu item (where a
     * leading '-' would be an option) and a URL path segment (where "."
     * and ".." are not names). */
    for (p = v; *p != '\0'; p++) {
        if (!((*p >= 'a' && *p <= 'z') || (*p >= 'A' && *p <= 'Z')
              || (*p >= '0' && *p <= '9')
              || (p != v && (*p == '-' || *p == '_' || *p == '.'))))
        {
            break;
        }
    }
    if (p == v || *p != '\0' || p - v > ALPXE_PROFILE_NAME_MAX) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s is not a valid profile name (a letter or "
                 "a digit, then letters, digits, '-', '_' and '.', at most "
                 "%d)", q, ALPXE_PROFILE_NAME_MAX);
        return -1;
    }
    return 0;
}

int
check_yes_no(const char *v, char *msg, size_t size)
{
    char q[96];

    if (strcmp(v, "yes") == 0 || strcmp(v, "no") == 0) {
        return 0;
    }
    quote_value(v, q, sizeof(q));
    snprintf(msg, size, "%s is neither yes nor no", q);
    return -1;
}

int
check_file_name(const char *v, char *msg, size_t size)
{
    char        q[96];
    const char *p;

    for (p = v; *p != '\0'; p++) {
        if ((unsigned char) *p < 0x20 || *p == 0x7f) {
            quote_value(v, q, sizeof(q));
            snprintf(msg, size, "%s: control characters are not allowed in "
                     "a file name", q);
            return -1;
        }
    }
    if (uses_vars(v)) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s: file names take no variables (the file is "
                 "read once, when alpxe.conf is loaded)", q);
        return -1;
    }
    return 0;
}

/* A menu item's text: iPXE joins the words after the item's name with
 * single spaces; what would end the command or expand is refused. */
#define DESCRIPTION_CHARS  "-._~:/?=&%+,@!*[]{}^()"
#define DESCRIPTION_MAX    100

int
check_description(const char *v, char *msg, size_t size)
{
    char q[96];

    if (check_chars(v, DESCRIPTION_CHARS, CHARS_IPXE | CHARS_SPACES, msg,
                    size) != 0)
    {
        return -1;
    }
    quote_value(v, q, sizeof(q));
    if (uses_vars(v)) {
        snprintf(msg, size, "%s: a description takes no variables", q);
        return -1;
    }
    if (strlen(v) > DESCRIPTION_MAX) {
        snprintf(msg, size, "%s is longer than %d characters (one line of "
                 "the menu)", q, DESCRIPTION_MAX);
        return -1;
    }
    return 0;
}

int
check_nfs(const char *v, char *msg, size_t size)
{
    char          q[96], sample[ALPXE_URL_MAX], why[160];
    const char   *p;
    alpxe_nfs_url u;
    size_t        n, len = 0, i = 0, k;

    for (p = v; *p != '\0'; p += n) {
        n = var_which(p, &i);
        if (n != 0) {
            k = strlen(vars[i].sample);
            if (len + k >= sizeof(sample)) {
                break;
            }
            memcpy(sample + len, vars[i].sample, k);
            len += k;
            continue;
        }
        if (*p == '$') {
            quote_value(v, q, sizeof(q));
            snprintf(msg, size, "%s: unknown variable; alpxe's variables "
                     "are ${hostname}, ${mac} and ${mac_dash}", q);
            return -1;
        }
        if (len + 1 >= sizeof(sample)) {
            break;
        }
        sample[len++] = *p;
        n = 1;
    }
    sample[len] = '\0';
    if (*p != '\0') {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s is longer than %d bytes", q,
                 ALPXE_URL_MAX - 1);
        return -1;
    }
    if (alpxe_nfs_url_parse(sample, &u, why, sizeof(why)) != 0) {
        quote_value(v, q, sizeof(q));
        snprintf(msg, size, "%s: %s", q, why);
        return -1;
    }
    return 0;
}

int
check_number(const char *v, int base, unsigned long max, char *msg,
    size_t size)
{
    char           q[96];
    const char    *p;
    unsigned long  n = 0;

    for (p = v; *p >= '0' && *p < '0' + base && n <= max; p++) {
        n = n * (unsigned long) base + (unsigned long) (*p - '0');
    }
    if (p == v || *p != '\0' || n > max) {
        quote_value(v, q, sizeof(q));
        if (base == 8) {
            snprintf(msg, size, "%s is not an octal number from 0 to %lo",
                     q, max);
        } else {
            snprintf(msg, size, "%s is not a number from 0 to %lu", q, max);
        }
        return -1;
    }
    return 0;
}

/*
 * aa-allows.c - would an AppArmor profile let a program open these paths?
 *
 *   aa-allows PREPROCESSED-PROFILE PROFILE-NAME PERMS:PATH...
 *
 * PREPROCESSED-PROFILE is `apparmor_parser -p` of the profile (includes
 * inlined); PERMS is any of r, w, a, m, k, l.  Prints one line per path,
 * "allowed" or "DENIED" with the rules that matched, and exits 0 when
 * every path is allowed.  These machines' kernels cannot enforce AppArmor,
 * so the tests check the paths the hook opens against the profile Debian
 * ships with this instead.
 *
 * Read of the rule language (apparmor.d(5)): file rules "[audit] [deny]
 * [owner] PATH PERMS," or "PERMS PATH,"; globs *, **, ?, [...], {a,b};
 * variables @{NAME}=... and +=, expanded as alternations.  owner rules
 * count as matching (what the hook creates, Kea owns).  Other rule kinds
 * (capability, network, ...) and exec transitions are ignored.
 */

#include <ctype.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MAX_VARS    128
#define MAX_RULES   4096
#define TEXT_MAX    (4 * 1024 * 1024)

typedef struct {
    char       *name;
    char       *value;      /* "{v1,v2,...}" */
} var;

typedef struct {
    char       *glob;       /* variables expanded */
    unsigned    perms;
    int         deny;
} rule;

static var  vars[MAX_VARS];
static int  nvars;
static rule rules[MAX_RULES];
static int  nrules;

#define P_R 0x01
#define P_W 0x02
#define P_A 0x04
#define P_M 0x08
#define P_K 0x10
#define P_L 0x20

static unsigned
perm_bits(const char *s, size_t n, int *ok)
{
    unsigned p = 0;
    size_t   i;

    *ok = n > 0;
    for (i = 0; i < n; i++) {
        switch (s[i]) {
        case 'r': p |= P_R; break;
        case 'w': p |= P_W | P_A; break;
        case 'a': p |= P_A; break;
        case 'm': p |= P_M; break;
        case 'k': p |= P_K; break;
        case 'l': p |= P_L; break;
        case 'x': case 'i': case 'p': case 'P': case 'u': case 'U':
        case 'c': case 'C':
            break;              /* exec modes: not asked about here */
        default:
            *ok = 0;
        }
    }
    return p;
}

static char *
xstrndup(const char *s, size_t n)
{
    char *p = malloc(n + 1);

    if (p == NULL) {
        exit(2);
    }
    memcpy(p, s, n);
    p[n] = '\0';
    return p;
}

/* Expand @{NAME}s in s into a new string. */
static char *
expand(const char *s, int depth)
{
    char   *out = xstrndup("", 0), *v, *tmp;
    size_t  len = 0, n;
    int     i;

    while (*s != '\0') {
        if (s[0] == '@' && s[1] == '{' && strchr(s, '}') != NULL
            && depth < 8)
        {
            n = (size_t) (strchr(s, '}') - s - 2);
            v = NULL;
            for (i = 0; i < nvars; i++) {
                if (strlen(vars[i].name) == n
                    && strncmp(vars[i].name, s + 2, n) == 0)
                {
                    v = expand(vars[i].value, depth + 1);
                }
            }
            if (v == NULL) {
                v = xstrndup("@UNDEFINED@", 11);
            }
            tmp = realloc(out, len + strlen(v) + 1);
            if (tmp == NULL) {
                exit(2);
            }
            out = tmp;
            memcpy(out + len, v, strlen(v) + 1);
            len += strlen(v);
            free(v);
            s += n + 3;
            continue;
        }
        tmp = realloc(out, len + 2);
        if (tmp == NULL) {
            exit(2);
        }
        out = tmp;
        out[len++] = *s++;
        out[len] = '\0';
    }
    return out;
}

/* "@{NAME} = a b" or "@{NAME} += c": the values as an alternation. */
static void
add_var(const char *line)
{
    const char *name = line + 2, *end = strchr(line, '}'), *p;
    char        buf[8192];
    size_t      n = 0;
    int         plus, i, found = -1;

    if (end == NULL) {
        return;
    }
    p = end + 1;
    while (isspace((unsigned char) *p)) {
        p++;
    }
    plus = *p == '+';
    p += plus;
    if (*p != '=') {
        return;
    }
    p++;
    for (i = 0; i < nvars; i++) {
        if (strlen(vars[i].name) == (size_t) (end - name)
            && strncmp(vars[i].name, name, (size_t) (end - name)) == 0)
        {
            found = i;
        }
    }
    buf[n++] = '{';
    if (plus && found >= 0) {
        /* the old values, without their braces */
        n += (size_t) snprintf(buf + n, sizeof(buf) - n, "%.*s,",
                               (int) strlen(vars[found].value) - 2,
                               vars[found].value + 1);
    }
    while (*p != '\0' && n + 2 < sizeof(buf)) {
        while (isspace((unsigned char) *p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        if (buf[n - 1] != '{' && buf[n - 1] != ',') {
            buf[n++] = ',';
        }
        if (*p == '"') {
            p++;
            while (*p != '\0' && *p != '"' && n + 2 < sizeof(buf)) {
                buf[n++] = *p++;
            }
            p += *p == '"';
        } else {
            while (*p != '\0' && !isspace((unsigned char) *p)
                   && n + 2 < sizeof(buf))
            {
                buf[n++] = *p++;
            }
        }
    }
    if (buf[n - 1] == ',') {
        n--;
    }
    buf[n++] = '}';
    buf[n] = '\0';
    if (found >= 0) {
        free(vars[found].value);
        vars[found].value = xstrndup(buf, n);
    } else if (nvars < MAX_VARS) {
        vars[nvars].name = xstrndup(name, (size_t) (end - name));
        vars[nvars].value = xstrndup(buf, n);
        nvars++;
    }
}

/* One file rule of the profile, if the line is one. */
static void
add_rule(char *line)
{
    char    *tok[8], *p = line, *path = NULL, *perms = NULL;
    int      ntok = 0, deny = 0, i, ok;
    size_t   n;

    n = strlen(p);
    while (n > 0 && isspace((unsigned char) p[n - 1])) {
        p[--n] = '\0';
    }
    if (n == 0 || p[n - 1] != ',') {
        return;
    }
    p[n - 1] = '\0';
    while (*p != '\0' && ntok < 8) {
        while (isspace((unsigned char) *p)) {
            p++;
        }
        if (*p == '\0') {
            break;
        }
        if (*p == '"') {
            tok[ntok++] = ++p;
            p = strchr(p, '"');
            if (p == NULL) {
                return;
            }
        } else {
            tok[ntok++] = p;
            while (*p != '\0' && !isspace((unsigned char) *p)) {
                p++;
            }
        }
        if (*p != '\0') {
            *p++ = '\0';
        }
    }
    for (i = 0; i < ntok; i++) {
        if (strcmp(tok[i], "deny") == 0) {
            deny = 1;
        } else if (strcmp(tok[i], "audit") == 0
                   || strcmp(tok[i], "owner") == 0
                   || strcmp(tok[i], "allow") == 0
                   || strcmp(tok[i], "file") == 0)
        {
            continue;
        } else if ((tok[i][0] == '/' || tok[i][0] == '@') && path == NULL) {
            path = tok[i];
        } else if (perms == NULL) {
            perms = tok[i];
        } else {
            return;         /* "->" transitions and the like */
        }
    }
    if (path == NULL || perms == NULL || nrules == MAX_RULES) {
        return;
    }
    rules[nrules].perms = perm_bits(perms, strlen(perms), &ok);
    if (!ok) {
        return;
    }
    rules[nrules].glob = expand(path, 0);
    rules[nrules].deny = deny;
    nrules++;
}

/* The end of the {...} or [...] that starts at p. */
static const char *
closing(const char *p, char open, char close)
{
    int depth = 0;

    for (; *p != '\0'; p++) {
        if (*p == open) {
            depth++;
        } else if (*p == close && --depth == 0) {
            return p;
        }
    }
    return NULL;
}

/* Does the glob g (up to its end ge) match the string s? */
static int
match(const char *g, const char *ge, const char *s)
{
    const char *end, *alt, *q;
    char        buf[8192];
    int         neg, hit;

    while (g < ge) {
        switch (*g) {
        case '*':
            if (g + 1 < ge && g[1] == '*') {
                for (q = s;; q++) {
                    if (match(g + 2, ge, q)) {
                        return 1;
                    }
                    if (*q == '\0') {
                        return 0;
                    }
                }
            }
            for (q = s;; q++) {
                if (match(g + 1, ge, q)) {
                    return 1;
                }
                if (*q == '\0' || *q == '/') {
                    return 0;
                }
            }
        case '?':
            if (*s == '\0' || *s == '/') {
                return 0;
            }
            g++;
            s++;
            continue;
        case '[':
            end = strchr(g + 1, ']');
            if (end == NULL || *s == '\0') {
                return 0;
            }
            neg = g[1] == '^';
            hit = 0;
            for (q = g + 1 + neg; q < end; q++) {
                if (q + 2 < end && q[1] == '-') {
                    hit |= *s >= q[0] && *s <= q[2];
                    q += 2;
                } else {
                    hit |= *s == *q;
                }
            }
            if (hit == neg) {
                return 0;
            }
            g = end + 1;
            s++;
            continue;
        case '{':
            end = closing(g, '{', '}');
            if (end == NULL) {
                return 0;
            }
            /* each alternative, followed by the rest of the glob */
            for (alt = g + 1; alt <= end;) {
                int depth = 0;

                for (q = alt; q < end; q++) {
                    if (*q == '{') {
                        depth++;
                    } else if (*q == '}') {
                        depth--;
                    } else if (*q == ',' && depth == 0) {
                        break;
                    }
                }
                if ((size_t) (q - alt) + (size_t) (ge - end - 1) + 1
                    < sizeof(buf))
                {
                    memcpy(buf, alt, (size_t) (q - alt));
                    memcpy(buf + (q - alt), end + 1, (size_t) (ge - end - 1));
                    buf[(q - alt) + (ge - end - 1)] = '\0';
                    if (match(buf, buf + strlen(buf), s)) {
                        return 1;
                    }
                }
                alt = q + 1;
            }
            return 0;
        case '\\':
            g++;                /* the next character literally */
            if (g == ge || *g != *s) {
                return 0;
            }
            g++;
            s++;
            continue;
        default:
            if (*g != *s) {
                return 0;
            }
            g++;
            s++;
        }
    }
    return *s == '\0';
}

static void
load(const char *file, const char *profile)
{
    static char text[TEXT_MAX];
    char       *line, *save, *p;
    FILE       *f = fopen(file, "r");
    size_t      n;
    int         depth = 0, inside = 0;

    if (f == NULL) {
        perror(file);
        exit(2);
    }
    n = fread(text, 1, sizeof(text) - 1, f);
    text[n] = '\0';
    fclose(f);
    for (line = strtok_r(text, "\n", &save); line != NULL;
         line = strtok_r(NULL, "\n", &save))
    {
        p = line;
        while (isspace((unsigned char) *p)) {
            p++;
        }
        if (*p == '#' || *p == '\0') {
            continue;
        }
        if (p[0] == '@' && p[1] == '{' && depth == 0) {
            add_var(p);
            continue;
        }
        if (!inside && strncmp(p, "profile ", 8) == 0
            && strncmp(p + 8, profile, strlen(profile)) == 0
            && p[8 + strlen(profile)] == ' ')
        {
            inside = 1;
            depth = 1;
            continue;
        }
        if (!inside) {
            continue;
        }
        if (strchr(p, '{') != NULL && p[strlen(p) - 1] == '{') {
            depth++;            /* a child profile or a conditional */
            continue;
        }
        if (p[0] == '}') {
            if (--depth == 0) {
                inside = 0;
            }
            continue;
        }
        if (depth == 1) {
            add_rule(p);
        }
    }
}

int
main(int argc, char **argv)
{
    const char *path, *colon;
    unsigned    want, allowed, denied;
    int         i, r, ok, bad = 0;

    if (argc < 4) {
        fprintf(stderr, "usage: aa-allows PREPROCESSED-PROFILE NAME "
                "PERMS:PATH...\n");
        return 2;
    }
    load(argv[1], argv[2]);
    if (nrules == 0) {
        fprintf(stderr, "aa-allows: no file rules for profile %s in %s\n",
                argv[2], argv[1]);
        return 2;
    }
    for (i = 3; i < argc; i++) {
        colon = strchr(argv[i], ':');
        if (colon == NULL) {
            return 2;
        }
        want = perm_bits(argv[i], (size_t) (colon - argv[i]), &ok);
        path = colon + 1;
        allowed = denied = 0;
        for (r = 0; r < nrules; r++) {
            if (match(rules[r].glob, rules[r].glob + strlen(rules[r].glob),
                      path))
            {
                if (rules[r].deny) {
                    denied |= rules[r].perms;
                } else {
                    allowed |= rules[r].perms;
                }
            }
        }
        if ((allowed & want) == want && (denied & want) == 0) {
            printf("allowed %.*s %s\n", (int) (colon - argv[i]), argv[i],
                   path);
        } else {
            printf("DENIED  %.*s %s\n", (int) (colon - argv[i]), argv[i],
                   path);
            bad = 1;
        }
    }
    return bad;
}

/*
 * config.c - load alpxe.conf: read the file, feed inih line by line,
 * track sections, and hand each key to config_keys.c.
 *
 * inih does the INI lexing of "key = value" lines.  Debian's build of it
 * gives handlers no line numbers and cuts lines at 200 bytes, so inih
 * reads through our own line reader: it counts lines (every diagnostic
 * names one), takes section headers itself (so empty sections and header
 * lines are known; inih gets an empty line in their place, as for
 * comments), reports lines that are too long or not INI at all, and strips
 * leading whitespace, so that an indented "key = value" is never taken for
 * a continuation line.
 */

#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <ini.h>

#include "config_parse.h"
#include "validate.h"

/* inih's fixed line buffer (INI_MAX_LINE in Debian's build). */
#define INI_LINE_BUFFER     200

static void
parse_report(parse_state *ps, alpxe_severity sev, unsigned line,
    const char *fmt, va_list ap)
{
    char msg[512], text[768];

    if (sev == ALPXE_ERROR) {
        if (++ps->errors > PARSE_MAX_SHOWN_ERRORS) {
            return;
        }
    } else {
        ps->warnings++;
    }
    if (ps->diag == NULL) {
        return;
    }
    vsnprintf(msg, sizeof(msg), fmt, ap);
    if (line != 0) {
        snprintf(text, sizeof(text), "%s:%u: %s: %s", ps->file, line,
                 sev == ALPXE_ERROR ? "error" : "warning", msg);
    } else {
        snprintf(text, sizeof(text), "%s: %s: %s", ps->file,
                 sev == ALPXE_ERROR ? "error" : "warning", msg);
    }
    ps->diag(ps->ctx, sev, ps->file, line, text);
}

void
parse_error(parse_state *ps, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(ps, ALPXE_ERROR, line, fmt, ap);
    va_end(ap);
}

void
parse_warning(parse_state *ps, unsigned line, const char *fmt, ...)
{
    va_list ap;

    va_start(ap, fmt);
    parse_report(ps, ALPXE_WARNING, line, fmt, ap);
    va_end(ap);
}

const char *
parse_strdup(parse_state *ps, const char *s, size_t len)
{
    char *p = arena_strndup(&ps->cfg->mem, s, len);

    if (p == NULL) {
        ps->nomem = 1;
    }
    return p;
}

cfg_host_extra *
parse_host_extra(parse_state *ps, alpxe_host *h)
{
    if (h->extra == NULL) {
        h->extra = arena_alloc(&ps->cfg->mem, sizeof(*h->extra));
        if (h->extra == NULL) {
            ps->nomem = 1;
        }
    }
    return h->extra;
}

int
parse_grow(void **arr, size_t *cap, size_t n, size_t elem)
{
    size_t  ncap;
    void   *p;

    if (n >= *cap) {
        ncap = *cap != 0 ? *cap * 2 : 16;
        if (ncap > SIZE_MAX / elem || ncap > UINT32_MAX) {
            return -1;
        }
        p = realloc(*arr, ncap * elem);
        if (p == NULL) {
            return -1;
        }
        *arr = p;
        *cap = ncap;
    }
    /* only the entry about to be used: zeroing the whole new half touched
     * pages that the shrink at the end gave back */
    memset((char *) *arr + n * elem, 0, elem);
    return 0;
}

/* Give back what doubling left unused: with 100k hosts, a quarter of
 * the tables.  Shrinking cannot fail in practice; if it does, the larger
 * table serves as well. */
static void
shrink(void **arr, size_t *cap, size_t n, size_t elem)
{
    void *p;

    if (n == 0 || n == *cap) {
        return;
    }
    p = realloc(*arr, n * elem);
    if (p != NULL) {
        *arr = p;
        *cap = n;
    }
}

static void
parse_shrink(parse_state *ps)
{
    alpxe_config *cfg = ps->cfg;

    shrink((void **) &cfg->hosts, &ps->host_cap, cfg->host_count,
           sizeof(*cfg->hosts));
    shrink((void **) &cfg->macs, &ps->mac_cap, cfg->mac_count,
           sizeof(*cfg->macs));
    shrink((void **) &cfg->profiles, &ps->profile_cap, cfg->profile_count,
           sizeof(*cfg->profiles));
}

static void
section_singleton(parse_state *ps, parse_section sec, const char *name)
{
    if (ps->seen[sec] != 0) {
        parse_error(ps, ps->line, "duplicate section [%s] (first at line "
                    "%u)", name, ps->seen[sec]);
        ps->sec = SEC_IGNORED;
        return;
    }
    ps->seen[sec] = ps->line;
    ps->sec = sec;
}

static void
section_profile(parse_state *ps, const char *name)
{
    alpxe_config *cfg = ps->cfg;
    cfg_profile  *p;
    char          msg[256], esc[96];
    uint32_t      first;
    int           rc;

    ps->sec = SEC_IGNORED;
    if (check_profile_name(name, msg, sizeof(msg)) != 0) {
        escape_value(name, esc, sizeof(esc));
        parse_error(ps, ps->line, "[profile %s]: %s", esc, msg);
        return;
    }
    if (parse_grow((void **) &cfg->profiles, &ps->profile_cap,
                   cfg->profile_count, sizeof(cfg_profile)) != 0)
    {
        ps->nomem = 1;
        return;
    }
    p = &cfg->profiles[cfg->profile_count];
    p->name = parse_strdup(ps, name, strlen(name));
    p->line = ps->line;
    if (p->name == NULL) {
        return;
    }
    /* indexed as they come: a linear search here made 100k profiles
     * quadratic (26 s) */
    rc = name_index_add(&cfg->profile_index, (uint32_t) cfg->profile_count,
                        p->name, cfg_profile_name, cfg, &first);
    if (rc < 0) {
        ps->nomem = 1;
        return;
    }
    if (rc > 0) {
        parse_error(ps, ps->line, "duplicate section [profile %s] (first at "
                    "line %u)", name, cfg->profiles[first].line);
        memset(p, 0, sizeof(*p));
        return;
    }
    ps->sec_index = cfg->profile_count++;
    ps->sec = SEC_PROFILE;
}

static void
section_host(parse_state *ps, const char *name)
{
    alpxe_config *cfg = ps->cfg;
    char          msg[256], esc[96];

    /* Duplicate host names are found in config_finish.c, sorted, because
     * a linear search here would make 100k hosts quadratic. */
    if (check_hostname(name, msg, sizeof(msg)) != 0) {
        escape_value(name, esc, sizeof(esc));
        parse_error(ps, ps->line, "[host %s]: %s", esc, msg);
        ps->sec = SEC_IGNORED;
        return;
    }
    if (parse_grow((void **) &cfg->hosts, &ps->host_cap, cfg->host_count,
                   sizeof(alpxe_host)) != 0)
    {
        ps->nomem = 1;
        ps->sec = SEC_IGNORED;
        return;
    }
    cfg->hosts[cfg->host_count].name = parse_strdup(ps, name, strlen(name));
    cfg->hosts[cfg->host_count].line = ps->line;
    ps->sec_index = cfg->host_count++;
    ps->sec = SEC_HOST;
}

/* A "[...]" line: start a section.  `text` is the line without [ ]. */
static void
section_start(parse_state *ps, const char *text, size_t len)
{
    char        name[INI_LINE_BUFFER], esc[96];
    const char *arg;
    size_t      n;

    parse_host_end(ps);
    while (len > 0 && (text[0] == ' ' || text[0] == '\t')) {
        text++;
        len--;
    }
    while (len > 0 && (text[len - 1] == ' ' || text[len - 1] == '\t')) {
        len--;
    }
    memcpy(name, text, len);
    name[len] = '\0';
    ps->sec_line = ps->line;

    if (strcmp(name, "server") == 0) {
        section_singleton(ps, SEC_SERVER, name);
        return;
    }
    if (strcmp(name, "loader") == 0) {
        section_singleton(ps, SEC_LOADER, name);
        return;
    }
    if (strcmp(name, "tftp") == 0) {
        section_singleton(ps, SEC_TFTP, name);
        return;
    }
    if (strcmp(name, "reload") == 0) {
        section_singleton(ps, SEC_RELOAD, name);
        return;
    }
    if (strcmp(name, "log") == 0) {
        section_singleton(ps, SEC_LOG, name);
        return;
    }

    n = strcspn(name, " \t");
    arg = name + n + strspn(name + n, " \t");
    if (n == 7 && strncmp(name, "profile", 7) == 0 && *arg != '\0') {
        section_profile(ps, arg);
        return;
    }
    if (n == 4 && strncmp(name, "host", 4) == 0 && *arg != '\0') {
        section_host(ps, arg);
        return;
    }

    escape_value(name, esc, sizeof(esc));
    parse_error(ps, ps->line, "unknown section [%s] (expected [server], "
                "[loader], [tftp], [reload], [log], [profile NAME] or [host NAME])",
                esc);
    ps->sec = SEC_IGNORED;
}

/*
 * inih's fgets-like reader.  Returns one line at a time, leading
 * whitespace removed; lines inih could not hold come back empty after
 * being reported.
 */
/* The rest of a line longer than a block, skipped: its length. */
static size_t
skip_line(parse_state *ps)
{
    const char *nl;
    size_t      len = 0;

    for (;;) {
        nl = memchr(ps->pos, '\n', (size_t) (ps->end - ps->pos));
        if (nl != NULL) {
            len += (size_t) (nl - ps->pos);
            ps->pos = nl + 1;
            return len;
        }
        len += (size_t) (ps->end - ps->pos);
        ps->pos = ps->end;
        if (!parse_fill(ps)) {
            return len;
        }
    }
}

static char *
read_line(char *out, int size, void *stream)
{
    parse_state *ps = stream;
    const char  *start, *nl, *p, *close;
    size_t       len;

    if (ps->pos >= ps->end && !parse_fill(ps)) {
        return NULL;
    }
    start = ps->pos;
    nl = memchr(start, '\n', (size_t) (ps->end - start));
    while (nl == NULL && parse_fill(ps)) {
        start = ps->pos;
        nl = memchr(start, '\n', (size_t) (ps->end - start));
    }
    if (nl == NULL && ps->src != NULL && ps->src->unread != 0) {
        /* a block full of one line */
        ps->line++;
        parse_error(ps, ps->line, "line is %zu characters long; at most "
                    "%d fit (split long args over several 'args =' "
                    "lines)", skip_line(ps), INI_LINE_BUFFER - 2);
        out[0] = '\n';
        out[1] = '\0';
        return out;
    }
    len = nl != NULL ? (size_t) (nl - start) : (size_t) (ps->end - start);
    ps->pos = start + len + (nl != NULL);
    ps->line++;

    while (len > 0 && (*start == ' ' || *start == '\t')) {
        start++;
        len--;
    }
    if (len > 0 && start[len - 1] == '\r') {
        len--;
    }

    if (memchr(start, '\0', len) != NULL) {
        parse_error(ps, ps->line, "NUL byte in line");
        len = 0;
    } else if (len + 2 > (size_t) size || len + 2 > INI_LINE_BUFFER) {
        parse_error(ps, ps->line, "line is %zu characters long; at most "
                    "%d fit (split long args over several 'args =' "
                    "lines)", len, INI_LINE_BUFFER - 2);
        len = 0;
    } else if (len > 0 && *start == '[') {
        close = memchr(start, ']', len);
        if (close == NULL) {
            parse_error(ps, ps->line, "section header without ']'");
        } else {
            section_start(ps, start + 1, (size_t) (close - start - 1));
        }
        len = 0;        /* ours: inih has nothing to do with it */
    } else if (len > 0 && (*start == ';' || *start == '#')) {
        len = 0;        /* a comment */
    } else if (len > 0) {
        for (p = start; p < start + len && *p != '=' && *p != ':'; p++) {
            /* find the separator inih will split on */
        }
        if (p == start + len || p == start) {
            parse_error(ps, ps->line, "expected 'key = value', '[section]' "
                        "or a comment");
            len = 0;
        }
    }

    memcpy(out, start, len);
    out[len] = '\n';
    out[len + 1] = '\0';
    return out;
}

static int
on_key(void *user, const char *section, const char *key, const char *value)
{
    parse_state *ps = user;

    (void) section;     /* ours, from read_line, knows its line */
    if (value == NULL) {
        return 1;
    }
    parse_key(ps, key, value);
    return 1;
}

static void
config_release(alpxe_config *cfg)
{
    free(cfg->profiles);
    free(cfg->hosts);
    free(cfg->macs);
    free(cfg->aliases);
    free(cfg->index);
    free(cfg->loaders);
    name_index_free(&cfg->profile_index);
    arena_free(&cfg->mem);
    free(cfg);
}

/* Read the text's sections and keys into cfg, every problem counted in ps
 * (and reported through diag): len bytes of text, or src's when not NULL. */
static void
parse_text(parse_state *ps, alpxe_config *cfg, const char *name,
    const char *text, size_t len, parse_source *src, unsigned flags,
    alpxe_diag_fn diag, void *ctx)
{
    memset(ps, 0, sizeof(*ps));
    ps->cfg = cfg;
    ps->file = name;
    ps->flags = flags;
    ps->diag = diag;
    ps->ctx = ctx;
    ps->src = src;
    if (src != NULL) {
        ps->pos = ps->end = src->block;
        (void) parse_fill(ps);
    } else {
        ps->pos = text;
        ps->end = text + len;
    }
    /* A UTF-8 byte order mark, as some Windows editors write one. */
    if (ps->end - ps->pos >= 3 && memcmp(ps->pos, "\xef\xbb\xbf", 3) == 0) {
        ps->pos += 3;
    }

    cfg->path = parse_strdup(ps, name, strlen(name));
    ps->file = cfg->path != NULL ? cfg->path : name;

    /* Handlers always succeed (we count our own errors), so inih's own
     * return value only says what read_line already reported. */
    (void) ini_parse_stream(read_line, ps, on_key, ps);
    parse_host_end(ps);
    parse_shrink(ps);
}

/* Load len bytes of text, or src's (its checksum taken as they are read,
 * and src closed once they are parsed). */
static int
load(const char *name, const char *text, size_t len, parse_source *src,
    unsigned flags, alpxe_diag_fn diag, void *ctx, alpxe_config **out)
{
    parse_state   ps;
    alpxe_config *cfg;
    char          msg[512];
    uint64_t      start = cfg_now_us();

    cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL) {
        if (src != NULL) {
            parse_source_close(src, NULL);
        }
        return -ENOMEM;
    }
    if (src == NULL) {
        cfg_sha256_hex(text, len, cfg->sha256);
    }
    cfg->loaded_at = (long long) time(NULL);
    parse_text(&ps, cfg, name, text, len, src, flags, diag, ctx);

    /* every string is in the arena now: the file's block goes before the
     * checks and the rendering */
    if (src != NULL) {
        if (src->rc != 0) {
            snprintf(msg, sizeof(msg), "%s: error: cannot read: %s", name,
                     strerror(-src->rc));
            if (diag != NULL) {
                diag(ctx, ALPXE_ERROR, name, 0, msg);
            }
            ps.errors++;
        }
        parse_source_close(src, cfg->sha256);
    }

    if (!ps.nomem && ps.errors == 0) {
        (void) parse_finish(&ps);
    }

    if (ps.nomem) {
        config_release(cfg);
        return -ENOMEM;
    }
    if (ps.errors != 0) {
        if (ps.errors > PARSE_MAX_SHOWN_ERRORS && diag != NULL) {
            snprintf(msg, sizeof(msg), "%s: error: %zu errors in all; only "
                     "the first %d are shown", ps.file, ps.errors,
                     PARSE_MAX_SHOWN_ERRORS);
            diag(ctx, ALPXE_ERROR, ps.file, 0, msg);
        }
        config_release(cfg);
        return -EINVAL;
    }

    cfg->warnings = ps.warnings;
    cfg->load_us = cfg_now_us() - start;
    *out = cfg;
    return 0;
}

int
alpxe_config_load_mem(const char *name, const char *text, size_t len,
    unsigned flags, alpxe_diag_fn diag, void *ctx, alpxe_config **out)
{
    return load(name, text, len, NULL, flags, diag, ctx, out);
}

int
alpxe_config_reload_paths(const char *path, char *paths[ALPXE_RELOAD_COUNT])
{
    parse_state   ps;
    alpxe_config *cfg;
    const char   *why;
    char         *text;
    size_t        len;
    int           rc, i;

    /* an unreadable file names nothing: the defaults, and its error */
    rc = cfg_read_file(path, 0, &text, &len, &why);
    if (rc != 0) {
        text = NULL;
        len = 0;
    }
    cfg = calloc(1, sizeof(*cfg));
    if (cfg == NULL) {
        free(text);
        return -ENOMEM;
    }
    /* errors elsewhere in the file do not matter here */
    parse_text(&ps, cfg, path, text != NULL ? text : "", len, NULL, 0, NULL,
               NULL);
    parse_finish_reload(&ps);
    for (i = 0; i < ALPXE_RELOAD_COUNT; i++) {
        paths[i] = strdup(cfg->reload[i]);
        if (paths[i] == NULL && rc == 0) {
            rc = -ENOMEM;
        }
    }
    if (rc == -ENOMEM) {
        for (i = 0; i < ALPXE_RELOAD_COUNT; i++) {
            free(paths[i]);
            paths[i] = NULL;
        }
    }
    config_release(cfg);
    free(text);
    return rc;
}

uint64_t
cfg_now_us(void)
{
    struct timespec ts;

    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
}

int
alpxe_config_load(const char *path, unsigned flags, alpxe_diag_fn diag,
    void *ctx, alpxe_config **out)
{
    parse_source src;
    const char  *why;
    char         msg[512];
    uint64_t     start = cfg_now_us();
    int          rc;

    rc = parse_source_open(&src, path, &why);
    if (rc != 0) {
        if (diag != NULL) {
            snprintf(msg, sizeof(msg), "%s: error: cannot read: %s",
                     path[0] != '\0' ? path : "\"\"",
                     why != NULL ? why : strerror(-rc));
            diag(ctx, ALPXE_ERROR, path, 0, msg);
        }
        return rc;
    }
    rc = load(path, NULL, 0, &src, flags, diag, ctx, out);
    if (rc == 0) {
        (*out)->load_us = cfg_now_us() - start;
    }
    return rc;
}

void
alpxe_config_free(alpxe_config *cfg)
{
    if (cfg != NULL) {
        config_release(cfg);
    }
}

const char *
alpxe_config_path(const alpxe_config *cfg)
{
    return cfg->path;
}

const char *
alpxe_config_sha256(const alpxe_config *cfg)
{
    return cfg->sha256;
}

long long
alpxe_config_loaded_at(const alpxe_config *cfg)
{
    return cfg->loaded_at;
}

unsigned long long
alpxe_config_load_us(const alpxe_config *cfg)
{
    return cfg->load_us;
}

int
alpxe_config_is_fallback(const alpxe_config *cfg)
{
    return cfg->fallback;
}

size_t
alpxe_config_host_count(const alpxe_config *cfg)
{
    return cfg->host_count;
}

size_t
alpxe_config_profile_count(const alpxe_config *cfg)
{
    return cfg->profile_count;
}

size_t
alpxe_config_warning_count(const alpxe_config *cfg)
{
    return cfg->warnings;
}

const char *
alpxe_config_http(const alpxe_config *cfg)
{
    return cfg->http;
}

const char *
alpxe_config_log_path(const alpxe_config *cfg, alpxe_log_source which)
{
    return (unsigned) which < ALPXE_LOG_COUNT ? cfg->log[which] : NULL;
}

const char *
alpxe_config_reload_path(const alpxe_config *cfg, alpxe_reload_path which)
{
    return (unsigned) which < ALPXE_RELOAD_COUNT ? cfg->reload[which] : NULL;
}

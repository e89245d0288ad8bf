/*
 * tftp.c - which file a TFTP request gets.  Firmware asks for loaders with
 * a leading '/', with backslashes, in upper case, or by a name another
 * DHCP server hard-coded (gpxe.kpxe); this is the reference mapping that
 * alpxe-remap turns into tftpd-hpa rules.  Request names are untrusted.
 */

#include <errno.h>
#include <string.h>
#include <strings.h>

#include "config_internal.h"

size_t
alpxe_tftp_loader_count(const alpxe_config *cfg)
{
    return cfg->loader_count;
}

const char *
alpxe_tftp_loader(const alpxe_config *cfg, size_t i)
{
    return i < cfg->loader_count ? cfg->loaders[i] : NULL;
}

size_t
alpxe_tftp_alias_count(const alpxe_config *cfg)
{
    return cfg->alias_count;
}

void
alpxe_tftp_alias(const alpxe_config *cfg, size_t i, const char **name,
    const char **target)
{
    *name = i < cfg->alias_count ? cfg->aliases[i].name : NULL;
    *target = i < cfg->alias_count ? cfg->aliases[i].target : NULL;
}

int
alpxe_tftp_case_insensitive(const alpxe_config *cfg)
{
    return cfg->tftp_case_insensitive;
}

const char *
alpxe_tftp_root(const alpxe_config *cfg)
{
    return cfg->tftp_root;
}

const char *
alpxe_tftp_source(const alpxe_config *cfg)
{
    return cfg->tftp_source;
}

static int
same_name(const alpxe_config *cfg, const char *a, const char *b, size_t n)
{
    if (strlen(a) != n) {
        return 0;
    }
    return cfg->tftp_case_insensitive ? strncasecmp(a, b, n) == 0
                                      : strncmp(a, b, n) == 0;
}

int
alpxe_tftp_resolve(const alpxe_config *cfg, const char *name, size_t len,
    char *out, size_t size)
{
    char        norm[ALPXE_URL_MAX];
    const char *target = NULL;
    size_t      i, n = 0, mlen;

    while (len > 0 && (*name == '/' || *name == '\\')) {
        name++;
        len--;
    }
    if (len >= sizeof(norm)) {
        return -ENAMETOOLONG;
    }
    for (i = 0; i < len; i++) {
        unsigned char c = (unsigned char) name[i];

        if (c < 0x20 || c == 0x7f) {
            return -EACCES;
        }
        norm[n++] = c == '\\' ? '/' : (char) c;
    }
    norm[n] = '\0';

    for (i = 0; i < n; i++) {
        if ((i == 0 || norm[i - 1] == '/') && norm[i] == '.'
            && i + 1 < n && norm[i + 1] == '.'
            && (i + 2 == n || norm[i + 2] == '/'))
        {
            return -EACCES;
        }
    }

    /* the manifest, in the root or as any directory's file (as the
     * rule alpxe-remap writes matches it) */
    mlen = sizeof(ALPXE_TFTP_MANIFEST) - 1;
    if (n >= mlen && strcmp(norm + n - mlen, ALPXE_TFTP_MANIFEST) == 0
        && (n == mlen || norm[n - mlen - 1] == '/'))
    {
        return -EACCES;
    }

    for (i = 0; i < cfg->alias_count && target == NULL; i++) {
        if (same_name(cfg, cfg->aliases[i].name, norm, n)) {
            target = cfg->aliases[i].target;
        }
    }
    for (i = 0; i < cfg->loader_count && target == NULL; i++) {
        if (same_name(cfg, cfg->loaders[i], norm, n)) {
            target = cfg->loaders[i];
        }
    }
    if (target == NULL) {
        target = norm;
    }

    n = strlen(target);
    if (n + 1 > size) {
        return -ENAMETOOLONG;
    }
    memcpy(out, target, n + 1);
    return 0;
}

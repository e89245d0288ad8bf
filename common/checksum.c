/*
 * checksum.c - SHA-256 as hex digits (see checksum.h).
 */

#include <string.h>

#include <openssl/evp.h>

#include "checksum.h"

struct cfg_sha256 {
    EVP_MD_CTX  *md;
    int          failed;
};

static void
hex(const unsigned char *md, unsigned int n, char out[CFG_SHA256_HEX])
{
    static const char digits[] = "0123456789abcdef";
    unsigned int      i;

    if (n != 32) {
        memset(out, '0', 64);           /* never matches a real copy */
        out[64] = '\0';
        return;
    }
    for (i = 0; i < 32; i++) {
        out[2 * i] = digits[md[i] >> 4];
        out[2 * i + 1] = digits[md[i] & 0xf];
    }
    out[64] = '\0';
}

void
cfg_sha256_hex(const char *text, size_t len, char out[CFG_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int  n = 0;

    if (EVP_Digest(text, len, md, &n, EVP_sha256(), NULL) != 1) {
        n = 0;
    }
    hex(md, n, out);
}

cfg_sha256 *
cfg_sha256_begin(void)
{
    cfg_sha256 *c;

    c = OPENSSL_zalloc(sizeof(*c));
    if (c == NULL) {
        return NULL;
    }
    c->md = EVP_MD_CTX_new();
    if (c->md == NULL || EVP_DigestInit_ex(c->md, EVP_sha256(), NULL) != 1) {
        EVP_MD_CTX_free(c->md);
        OPENSSL_free(c);
        return NULL;
    }
    return c;
}

void
cfg_sha256_update(cfg_sha256 *c, const char *bytes, size_t len)
{
    if (!c->failed && EVP_DigestUpdate(c->md, bytes, len) != 1) {
        c->failed = 1;
    }
}

void
cfg_sha256_end(cfg_sha256 *c, char out[CFG_SHA256_HEX])
{
    unsigned char md[EVP_MAX_MD_SIZE];
    unsigned int  n = 0;

    if (c->failed || EVP_DigestFinal_ex(c->md, md, &n) != 1) {
        n = 0;
    }
    hex(md, n, out);
    EVP_MD_CTX_free(c->md);
    OPENSSL_free(c);
}

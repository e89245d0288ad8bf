/*
 * index.c - the MAC → host index: open addressing over a power-of-two
 * table at most half full, so a lookup is one multiply and, almost always,
 * one probe.  Built once per load; read-only afterwards.
 */

#include <stdlib.h>
#include <string.h>

#include "config_internal.h"

static uint64_t
mac_key(const alpxe_mac *mac)
{
    uint64_t k = 0;
    int      i;

    for (i = 0; i < 6; i++) {
        k = k << 8 | mac->b[i];
    }
    return k;
}

/* Fibonacci hashing: the top bits of key × 2^64/φ spread MACs evenly even
 * when they differ only in their last octet. */
static uint64_t
mac_slot(const alpxe_config *cfg, const alpxe_mac *mac)
{
    return (mac_key(mac) * UINT64_C(0x9E3779B97F4A7C15)) >> 16
           & cfg->index_mask;
}

int
cfg_index_build(alpxe_config *cfg, cfg_dup_fn dup, void *ctx)
{
    uint64_t size = 16, slot;
    size_t   i;
    uint32_t e;

    while (size < (uint64_t) cfg->mac_count * 2) {
        size *= 2;
    }
    cfg->index = calloc(size, sizeof(*cfg->index));
    if (cfg->index == NULL) {
        return -1;
    }
    cfg->index_mask = size - 1;

    for (i = 0; i < cfg->mac_count; i++) {
        const alpxe_mac *mac = &cfg->macs[i].mac;

        for (slot = mac_slot(cfg, mac);; slot = (slot + 1) & cfg->index_mask)
        {
            e = cfg->index[slot];
            if (e == 0) {
                cfg->index[slot] = (uint32_t) i + 1;
                break;
            }
            if (memcmp(cfg->macs[e - 1].mac.b, mac->b, 6) == 0) {
                /* a duplicate: the first one stays */
                if (dup != NULL) {
                    dup(ctx, &cfg->macs[e - 1], &cfg->macs[i]);
                }
                break;
            }
        }
    }
    return 0;
}

const cfg_mac *
cfg_index_find(const alpxe_config *cfg, const alpxe_mac *mac)
{
    uint64_t slot;
    uint32_t e;

    if (cfg->index == NULL) {
        return NULL;
    }
    for (slot = mac_slot(cfg, mac);; slot = (slot + 1) & cfg->index_mask) {
        e = cfg->index[slot];
        if (e == 0) {
            return NULL;
        }
        if (memcmp(cfg->macs[e - 1].mac.b, mac->b, 6) == 0) {
            return &cfg->macs[e - 1];
        }
    }
}

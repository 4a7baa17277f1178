/* Configuration cache: decoded STE (and CD) per StreamID (3.17, 4.3).
 * Entries stay until CFGI_* removes them, like hardware; with
 * cfg_cache_entries == 0 nothing is cached. */
#ifndef SMMU_CFGCACHE_H
#define SMMU_CFGCACHE_H

#include <stdint.h>

#include "cd.h"
#include "strtab.h"

typedef struct smmu_cfg_entry {
    uint32_t sid;
    uint8_t valid;
    uint8_t cd_valid;   /* cd holds the CD for cd_ssid */
    uint32_t cd_index;
    smmu_ste_t ste;
    smmu_cd_t cd;
} smmu_cfg_entry_t;

typedef struct smmu_cfg_cache {
    smmu_cfg_entry_t *e; /* direct-mapped by StreamID & (n - 1) */
    uint32_t n;          /* entries: a power of two, or 0 (off) */
    uint32_t gen;        /* counts invalidations (micro-TLB generation) */
} smmu_cfg_cache_t;

/* entries is rounded down to a power of two. */
int smmu_cfgcache_init(smmu_cfg_cache_t *c, uint32_t entries);
void smmu_cfgcache_free(smmu_cfg_cache_t *c);
/* Entry for sid if cached, else NULL. */
static inline smmu_cfg_entry_t *smmu_cfgcache_lookup(smmu_cfg_cache_t *c, uint32_t sid)
{
    if (!c->n)
        return NULL;
    smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
    return (e->valid && e->sid == sid) ? e : NULL;
}
/* Slot to fill for sid (evicts whatever is there), or NULL if disabled. */
smmu_cfg_entry_t *smmu_cfgcache_slot(smmu_cfg_cache_t *c, uint32_t sid);
/* CFGI_STE / CFGI_STE_RANGE / CFGI_ALL: invalidate sids in [first, last]. */
void smmu_cfgcache_inval_sid_range(smmu_cfg_cache_t *c, uint32_t first, uint32_t last);
/* CFGI_CD / CFGI_CD_ALL: drop cached CDs of sid (SSID ignored: over-
 * invalidation is permitted; the caches issue narrows it). */
void smmu_cfgcache_inval_cd(smmu_cfg_cache_t *c, uint32_t sid);
void smmu_cfgcache_inval_all(smmu_cfg_cache_t *c);

#endif

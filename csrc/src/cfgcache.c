/* Configuration cache (3.17): decoded STEs and CDs, direct-mapped. */
#include <stdlib.h>
#include <string.h>

#include "cfgcache.h"

int smmu_cfgcache_init(smmu_cfg_cache_t *c, uint32_t entries)
{
    while (entries & (entries - 1))
        entries &= entries - 1; /* round down to a power of two */
    c->n = entries;
    c->gen = 1;
    c->e = NULL;
    if (!entries)
        return 0;
    c->e = calloc(entries, sizeof(*c->e));
    return c->e ? 0 : 1;
}

void smmu_cfgcache_free(smmu_cfg_cache_t *c)
{
    free(c->e);
    c->e = NULL;
    c->n = 0;
}

smmu_cfg_entry_t *smmu_cfgcache_slot(smmu_cfg_cache_t *c, uint32_t sid)
{
    if (!c->n)
        return NULL;
    smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
    e->valid = 0;
    e->cd_valid = 0;
    e->sid = sid;
    return e;
}

void smmu_cfgcache_inval_sid_range(smmu_cfg_cache_t *c, uint32_t first, uint32_t last)
{
    c->gen++;
    for (uint32_t i = 0; i < c->n; i++) {
        smmu_cfg_entry_t *e = &c->e[i];
        if (e->valid && e->sid >= first && e->sid <= last)
            e->valid = e->cd_valid = 0;
    }
}

void smmu_cfgcache_inval_cd(smmu_cfg_cache_t *c, uint32_t sid)
{
    c->gen++;
    smmu_cfg_entry_t *e = smmu_cfgcache_lookup(c, sid);
    if (e)
        e->cd_valid = 0;
}

void smmu_cfgcache_inval_all(smmu_cfg_cache_t *c)
{
    c->gen++;
    for (uint32_t i = 0; i < c->n; i++)
        c->e[i].valid = c->e[i].cd_valid = 0;
}

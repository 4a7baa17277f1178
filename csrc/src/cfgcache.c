/* Configuration cache (3.17, 4.3): decoded STEs and CDs, direct-mapped. */
#include <stdlib.h>
#include <string.h>

#include "cfgcache.h"

int smmu_cfgcache_init(smmu_cfg_cache_t *c, uint32_t entries)
{
    while (entries & (entries - 1))
        entries &= entries - 1; /* round down to a power of two */
    memset(c, 0, sizeof(*c));
    c->gen = 1;
    if (!entries)
        return 0;
    c->e = calloc(entries, sizeof(*c->e));
    c->cd = calloc(entries, sizeof(*c->cd));
    if (!c->e || !c->cd) {
        smmu_cfgcache_free(c);
        return 1;
    }
    c->n = entries;
    return 0;
}

void smmu_cfgcache_free(smmu_cfg_cache_t *c)
{
    free(c->e);
    free(c->cd);
    c->e = NULL;
    c->cd = NULL;
    c->n = 0;
}

smmu_cfg_entry_t *smmu_cfgcache_slot(smmu_cfg_cache_t *c, uint32_t sid)
{
    if (!c->n)
        return NULL;
    smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
    e->valid = 0;
    e->sid = sid;
    return e;
}

smmu_cd_entry_t *smmu_cfgcache_cd_slot(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index)
{
    if (!c->n)
        return NULL;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_at(c, sid, index);
    e->valid = 0;
    e->sid = sid;
    e->index = index;
    return e;
}

static void drop_cds(smmu_cfg_cache_t *c, uint32_t first, uint32_t last)
{
    for (uint32_t i = 0; i < c->n; i++)
        if (c->cd[i].valid && c->cd[i].sid >= first && c->cd[i].sid <= last)
            c->cd[i].valid = 0;
}

void smmu_cfgcache_inval_sid_range(smmu_cfg_cache_t *c, uint32_t first, uint32_t last)
{
    c->gen++;
    for (uint32_t i = 0; i < c->n; i++) {
        smmu_cfg_entry_t *e = &c->e[i];
        if (e->valid && e->sid >= first && e->sid <= last)
            e->valid = 0;
    }
    drop_cds(c, first, last);
}

void smmu_cfgcache_inval_cd(smmu_cfg_cache_t *c, uint32_t sid)
{
    c->gen++;
    drop_cds(c, sid, sid);
}

void smmu_cfgcache_inval_cd_index(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index)
{
    c->gen++;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_lookup(c, sid, index);
    if (e)
        e->valid = 0;
}

void smmu_cfgcache_inval_all(smmu_cfg_cache_t *c)
{
    c->gen++;
    for (uint32_t i = 0; i < c->n; i++) {
        c->e[i].valid = 0;
        c->cd[i].valid = 0;
    }
}

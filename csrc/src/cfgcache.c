/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration cache (3.17, 4.3): decoded STEs and CDs, direct-mapped. */
#include <stdlib.h>
#include <string.h>

#include "cfgcache.h"

int smmu_cfgcache_init(smmu_cfg_cache_t *c, uint32_t entries)
{
    while (entries & (entries - 1))
        entries &= entries - 1; /* round down to a power of two */
    memset(c, 0, sizeof(*c));
    c->own_gen = 1;
    c->gen = &c->own_gen;
    c->ctx = calloc(entries ? entries : 1, sizeof(*c->ctx));
    if (!c->ctx)
        return 1;
    if (!entries)
        return 0;
    c->e = calloc(entries, sizeof(*c->e));
    c->cd = calloc(entries, sizeof(*c->cd));
    c->cdhead = malloc((size_t)entries * sizeof(*c->cdhead));
    if (!c->e || !c->cd || !c->cdhead) {
        smmu_cfgcache_free(c);
        return 1;
    }
    memset(c->cdhead, 0xFF, (size_t)entries * sizeof(*c->cdhead));
    c->n = entries;
    c->mask = entries - 1;
    return 0;
}

void smmu_cfgcache_free(smmu_cfg_cache_t *c)
{
    free(c->e);
    free(c->cd);
    free(c->cdhead);
    free(c->ctx);
    c->ctx = NULL;
    c->mask = 0;
    c->e = NULL;
    c->cd = NULL;
    c->cdhead = NULL;
    c->n = 0;
}

smmu_cfg_entry_t *smmu_cfgcache_slot(smmu_cfg_cache_t *c, uint32_t sid)
{
    if (!c->n)
        return NULL;
    smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
    e->valid = 0;
    e->sid = sid;
    c->ctx[sid & c->mask].gen = 0; /* streamctx.h: derived from the entry it replaces */
    return e;
}

#define NIL UINT32_MAX

static void cd_unlink(smmu_cfg_cache_t *c, smmu_cd_entry_t *e)
{
    if (!e->linked)
        return;
    if (e->prev != NIL)
        c->cd[e->prev].next = e->next;
    else
        c->cdhead[e->sid & (c->n - 1)] = e->next;
    if (e->next != NIL)
        c->cd[e->next].prev = e->prev;
    e->linked = 0;
}

static void cd_link(smmu_cfg_cache_t *c, smmu_cd_entry_t *e)
{
    uint32_t i = (uint32_t)(e - c->cd), *h = &c->cdhead[e->sid & (c->n - 1)];
    e->prev = NIL;
    e->next = *h;
    if (*h != NIL)
        c->cd[*h].prev = i;
    *h = i;
    e->linked = 1;
}

smmu_cd_entry_t *smmu_cfgcache_cd_slot(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index)
{
    if (!c->n)
        return NULL;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_at(c, sid, index);
    /* A stream context (streamctx.h) holds values of the CD leaving the
     * slot: forget it (whichever StreamID now owns that STE slot). */
    c->ctx[e->sid & c->mask].gen = 0;
    c->ctx[sid & c->mask].gen = 0;
    cd_unlink(c, e);
    e->valid = 0;
    e->sid = sid;
    e->index = index;
    cd_link(c, e);
    return e;
}

/* Every CD cached through a StreamID in [first, last]: the lists of those
 * StreamIDs when the range is smaller than the cache, else one scan. */
static void drop_cds(smmu_cfg_cache_t *c, uint32_t first, uint32_t last)
{
    if ((uint64_t)last - first + 1 < c->n) {
        for (uint32_t sid = first;; sid++) {
            for (uint32_t i = c->cdhead[sid & (c->n - 1)]; i != NIL;) {
                smmu_cd_entry_t *e = &c->cd[i];
                i = e->next;
                if (e->sid == sid) {
                    e->valid = 0;
                    cd_unlink(c, e);
                }
            }
            if (sid == last)
                break;
        }
        return;
    }
    for (uint32_t i = 0; i < c->n; i++)
        if (c->cd[i].valid && c->cd[i].sid >= first && c->cd[i].sid <= last)
            c->cd[i].valid = 0;
}

/* STEs: direct-mapped by StreamID, so a range smaller than the cache probes
 * its StreamIDs' slots. */
void smmu_cfgcache_inval_sid_range(smmu_cfg_cache_t *c, uint32_t first, uint32_t last)
{
    (*c->gen)++;
    if (!c->n || first > last)
        return;
    if ((uint64_t)last - first + 1 < c->n) {
        for (uint32_t sid = first;; sid++) {
            smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
            if (e->valid && e->sid == sid)
                e->valid = 0;
            if (sid == last)
                break;
        }
    } else {
        for (uint32_t i = 0; i < c->n; i++) {
            smmu_cfg_entry_t *e = &c->e[i];
            if (e->valid && e->sid >= first && e->sid <= last)
                e->valid = 0;
        }
    }
    drop_cds(c, first, last);
}

void smmu_cfgcache_inval_cd(smmu_cfg_cache_t *c, uint32_t sid)
{
    (*c->gen)++;
    if (c->n)
        drop_cds(c, sid, sid);
}

void smmu_cfgcache_inval_cd_index(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index)
{
    (*c->gen)++;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_lookup(c, sid, index);
    if (e) {
        e->valid = 0;
        cd_unlink(c, e);
    }
}

void smmu_cfgcache_inval_all(smmu_cfg_cache_t *c)
{
    (*c->gen)++;
    for (uint32_t i = 0; i < c->n; i++) {
        c->e[i].valid = 0;
        c->cd[i].valid = 0;
        c->cd[i].linked = 0;
        c->cdhead[i] = NIL;
    }
}

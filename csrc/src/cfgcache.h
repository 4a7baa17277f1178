/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration cache (3.17, 4.3): decoded STEs keyed by StreamID and
 * decoded CDs keyed by StreamID and CD index (SubstreamID), both
 * direct-mapped. Entries stay until CFGI_* removes them, like hardware;
 * with cfg_cache_entries == 0 nothing is cached. */
#ifndef SMMU_CFGCACHE_H
#define SMMU_CFGCACHE_H

#include <stdint.h>

#include "cd_types.h"
#include "ste_types.h"
#include "streamctx.h"

typedef struct smmu_cfg_entry {
    uint32_t sid;
    uint8_t valid;
    smmu_ste_t ste;
} smmu_cfg_entry_t;

typedef struct smmu_cd_entry {
    uint32_t sid, index;
    uint8_t valid;
    uint8_t linked;     /* on the list of cdhead[sid & (n - 1)] */
    uint32_t next, prev; /* that list (indices, UINT32_MAX ends) */
    smmu_cd_t cd;
} smmu_cd_entry_t;

typedef struct smmu_cfg_cache {
    smmu_cfg_entry_t *e; /* STEs, direct-mapped by StreamID & (n - 1) */
    smmu_cd_entry_t *cd; /* CDs, direct-mapped by a hash of (StreamID, index) */
    /* cdhead[i]: the CD slots assigned to StreamIDs with sid & (n - 1) == i,
     * so that CFGI_CD_ALL and CFGI_STE(_RANGE) visit the CDs of their
     * StreamIDs instead of the whole cache. */
    uint32_t *cdhead;
    uint32_t n;          /* entries of each: a power of two, or 0 (off) */
    uint32_t mask;       /* n - 1, or 0 when off */
    /* ctx[i]: the stream context (streamctx.h) of the STE in e[i]; one
     * never-valid context when off, so that the TLB-hit path needs no test. */
    smmu_stream_ctx_t *ctx;
    uint32_t own_gen;    /* counts invalidations (micro-TLB generation), */
    uint32_t *gen;       /* through *gen: own_gen, or utlb.gen (smmu.c) */
} smmu_cfg_cache_t;

/* The stream context slot of sid (valid only while its sid and gen match:
 * streamctx.h). */
static inline smmu_stream_ctx_t *smmu_cfgcache_ctx(const smmu_cfg_cache_t *c, uint32_t sid)
{
    return &c->ctx[sid & c->mask];
}

/* entries is rounded down to a power of two. */
int smmu_cfgcache_init(smmu_cfg_cache_t *c, uint32_t entries);
void smmu_cfgcache_free(smmu_cfg_cache_t *c);

/* STE entry for sid if cached, else NULL. */
static inline smmu_cfg_entry_t *smmu_cfgcache_lookup(smmu_cfg_cache_t *c, uint32_t sid)
{
    if (!c->n)
        return NULL;
    smmu_cfg_entry_t *e = &c->e[sid & (c->n - 1)];
    return (e->valid && e->sid == sid) ? e : NULL;
}

static inline smmu_cd_entry_t *smmu_cfgcache_cd_at(smmu_cfg_cache_t *c, uint32_t sid,
                                                   uint32_t index)
{
    return &c->cd[(sid * 0x9E3779B1u ^ index) & (c->n - 1)];
}

/* CD entry for (sid, index) if cached, else NULL. */
static inline smmu_cd_entry_t *smmu_cfgcache_cd_lookup(smmu_cfg_cache_t *c, uint32_t sid,
                                                       uint32_t index)
{
    if (!c->n)
        return NULL;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_at(c, sid, index);
    return (e->valid && e->sid == sid && e->index == index) ? e : NULL;
}

/* Slots to fill (evicting whatever is there), or NULL if disabled. */
smmu_cfg_entry_t *smmu_cfgcache_slot(smmu_cfg_cache_t *c, uint32_t sid);
smmu_cd_entry_t *smmu_cfgcache_cd_slot(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index);

/* CFGI_STE / CFGI_STE_RANGE / CFGI_ALL: STEs of sids in [first, last] and
 * every CD cached through them (4.3.1). */
void smmu_cfgcache_inval_sid_range(smmu_cfg_cache_t *c, uint32_t first, uint32_t last);
/* CFGI_CD_ALL (4.3.4): every CD cached through sid. */
void smmu_cfgcache_inval_cd(smmu_cfg_cache_t *c, uint32_t sid);
/* CFGI_CD (4.3.3): the CD of index `index` cached through sid. */
void smmu_cfgcache_inval_cd_index(smmu_cfg_cache_t *c, uint32_t sid, uint32_t index);
void smmu_cfgcache_inval_all(smmu_cfg_cache_t *c);

#endif

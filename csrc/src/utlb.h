/* Micro-TLB (the TBU's small cache in front of the TCU, roadmap "TBUs with
 * micro-TLBs"): a direct-mapped cache of complete translations keyed by
 * StreamID, SubstreamID and 4KB input page. It holds only what the
 * configuration cache and the TLB already hold, and it is emptied (by a
 * generation number) by every invalidation of either and by every register
 * write that can change a translation, so it never outlives its sources. */
#ifndef SMMU_UTLB_H
#define SMMU_UTLB_H

#include <stdint.h>

typedef struct smmu_utlb_entry {
    uint64_t vpage;   /* input address >> 12 */
    uint64_t pa_page; /* output address of the 4KB page */
    uint32_t sid;
    uint32_t ssid;    /* SubstreamID when ssv */
    uint32_t gen;     /* generation when filled; stale if != current */
    uint8_t perm[2];  /* SMMU_PERM_* by effective privilege (both stages) */
    uint8_t privcfg, instcfg; /* STE overrides to apply to the request */
    uint8_t memattr, sh, size_shift, ssv;
} smmu_utlb_entry_t;

typedef struct smmu_utlb {
    smmu_utlb_entry_t *e;
    uint32_t mask; /* entries - 1; e == NULL: off */
    uint32_t gen;  /* bumped by register writes that can change translations */
} smmu_utlb_t;

static inline smmu_utlb_entry_t *smmu_utlb_slot(smmu_utlb_t *u, uint32_t sid, uint64_t vpage)
{
    return &u->e[(uint32_t)(vpage ^ (vpage >> 11) ^ sid) & u->mask];
}

/* The current generation is the sum of this counter and the invalidation
 * counters of the configuration cache and the TLB (see smmu_utlb_gen() in
 * smmu_internal.h): any of them moving forgets every entry in O(1). A slot
 * whose gen is 0 and whose sid/ssid/vpage are 0 could only match after 2^32
 * invalidations; entries are cleared at creation and reset. */
static inline void smmu_utlb_flush(smmu_utlb_t *u)
{
    u->gen++;
}

#endif

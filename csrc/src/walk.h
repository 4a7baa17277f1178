/* SPDX-License-Identifier: Apache-2.0 */
/* VMSAv8-64 translation table walk (Arm ARM D8.2-D8.3, D8.15; SMMU 3.4).
 * One walker, parameterised by granule, input size, start level and stage.
 * Stage-1 walks may be nested: each table address is then an IPA translated
 * by the stage-2 configuration before it is read (SMMU 3.3). */
#ifndef SMMU_WALK_H
#define SMMU_WALK_H

#include <stdint.h>

#include "smmu/smmu.h"
#include "tlb.h"
#include "walk_types.h"

/* Stage-2 MemAttr[3:0] (descriptor bits [5:2], without FWB) of a Device
 * type: MemAttr[3:2] == 0b00 (D8.6). */
static inline int smmu_s2_is_device(uint64_t s2desc)
{
    return ((s2desc >> 4) & 3) == 0;
}

/* Result of a walk. On success fault == 0; otherwise fault is one of
 * SMMU_EVT_F_TRANSLATION, F_ADDR_SIZE, F_ACCESS, F_WALK_EABT, and for a
 * nested walk fault_s2 says the fault happened in stage 2 while fetching a
 * stage-1 table (CLASS = TT) with fault_ipa the IPA being translated. */
typedef struct smmu_walk_out {
    uint64_t oa;         /* output address of the input address */
    uint64_t desc;       /* leaf descriptor (numeric value) */
    uint64_t fetch_addr; /* F_WALK_EABT: PA of the failing descriptor */
    uint64_t fault_ipa;  /* nested: IPA whose stage-2 walk faulted */
    uint8_t fault;       /* 0 or an SMMU_EVT_F_* type */
    uint8_t fault_s2;    /* nested: fault is in stage 2 (CLASS = TT) */
    uint8_t level;       /* leaf level, or faulting level */
    uint8_t size_shift;  /* log2 of the leaf's mapping size (block/page,
                            contiguous hint not applied) */
    /* Hierarchical attributes accumulated from table descriptors (stage 1,
     * zero when had): APTable[1:0], UXNTable, PXNTable, NSTable. */
    uint8_t ap_table, uxn_table, pxn_table, ns_table;
    /* Stage 2 of a nested stage-1 table fetch: permission failure of the
     * table read (or, for a hardware update, write) against S2AP, reported
     * as S2 F_PERMISSION with CLASS = TT and ttrnw. */
    uint8_t s2_perm_fault;
    uint8_t ttrnw;       /* with s2_perm_fault: 1 read, 0 write (HTTU update) */
    uint8_t af_updated;  /* HTTU set AF in the leaf */
    /* Where the leaf descriptor lives, for hardware dirty-state updates:
     * its PA, and for a nested stage-1 walk its IPA and the stage-2 leaf
     * descriptor mapping it (0 when not nested). */
    uint64_t desc_pa, desc_ipa, desc_s2;
} smmu_walk_out_t;

/* How a walk may touch the model (smmu_walk_ctx_t.flags). A walk without
 * flags reads descriptors and nothing else: no statistic, no cache, no
 * memory write (a debug dump, a probe). */
enum smmu_walk_flags {
    SMMU_WALK_USE_CACHES = 1u << 0,  /* look up the walk cache, and for nested
                                        table IPAs the TLB's stage-2 entries */
    SMMU_WALK_FILL_CACHES = 1u << 1, /* insert what the walk finds into them */
    SMMU_WALK_COUNT_STATS = 1u << 2, /* count walks, reads, hits, updates */
    SMMU_WALK_HTTU_WRITES = 1u << 3, /* set AF (3.13.2) with HA; without it a
                                        leaf with AF == 0 is returned as found */
};
/* A transaction's walk: everything. */
#define SMMU_WALK_TRANSLATE                                                                       \
    (SMMU_WALK_USE_CACHES | SMMU_WALK_FILL_CACHES | SMMU_WALK_COUNT_STATS | SMMU_WALK_HTTU_WRITES)
/* A configuration-structure fetch through stage 2 (no caches, 3.3). */
#define SMMU_WALK_UNCACHED (SMMU_WALK_COUNT_STATS | SMMU_WALK_HTTU_WRITES)

/* One walk's context. */
typedef struct smmu_walk_ctx {
    const smmu_walk_cfg_t *cfg; /* the table to walk */
    const smmu_walk_cfg_t *s2;  /* NULL, or the stage 2 that stage-1 table
                                   addresses (IPAs) go through (nested, 3.3) */
    smmu_tlb_key_t key;         /* TLB tags of the walk (addr = the input
                                   address as the TLB tags it, e.g. the
                                   sign-extended VA; vmid, asid, world,
                                   aset); read only with the cache flags */
    unsigned flags;             /* enum smmu_walk_flags */
    uint64_t cost;              /* sink: cycles the embedder's ops.read /
                                   ops.write reported (latency), added up */
} smmu_walk_ctx_t;

/* Walk `ia` with ctx->cfg (through ctx->s2 when nested), as ctx->flags
 * allow. Returns 0 on success, or the fault type (also in out->fault). */
int smmu_walk(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ia, smmu_walk_out_t *out);

/* Translate an IPA through stage 2 (s2; NULL: no stage 2, *pa = ipa) for a
 * configuration-structure fetch (CD, L1CD; 3.3), without caches: the same
 * stage-2 path as nested table fetches. Stage 2 must grant read (S2AP[0]),
 * and with S2PTW the page must not be Device (5.2). Returns 0, or an event
 * type with *ev filled as a stage-2 fault (S2 = 1, CLASS = cls, IPA = ipa,
 * TTRnW = 1 for CLASS = TT; InputAddr and RnW left for the caller). */
int smmu_nested_ipa_to_pa(smmu_t *s, const smmu_walk_cfg_t *s2, uint64_t ipa, uint8_t cls,
                          uint64_t *pa, smmu_event_t *ev);

/* Hardware update of the leaf found by the last walk (3.13, D8.5): store
 * (desc | set) & ~clear atomically (ops.cas64 when provided). For a nested
 * stage-1 descriptor the write goes through stage 2 and needs stage-2
 * write permission, else out becomes a stage-2 F_PERMISSION (CLASS = TT,
 * TTRnW = 0). Returns 0 on success (out->desc updated), SMMU_WALK_RETRY
 * when the descriptor changed under the update (walk again), or a fault. */
#define SMMU_WALK_RETRY 0xFF
/* ctx: the walk that found out (ctx->s2 for a nested stage-1 walk: a
 * writable-clean stage-2 mapping of the descriptor's page is marked dirty
 * first when S2HD allows, D8.5.2, 3.13.5). Writes whatever ctx->flags say;
 * statistics only with SMMU_WALK_COUNT_STATS. */
int smmu_walk_update_leaf(smmu_t *s, smmu_walk_ctx_t *ctx, smmu_walk_out_t *out, uint64_t set,
                          uint64_t clear);

/* Level shift: log2 of the size one entry maps at `level` for granule. */
static inline unsigned smmu_level_shift(unsigned gran_shift, unsigned level)
{
    return gran_shift + (3 - level) * (gran_shift - 3);
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* The instance structure shared by the core's files. */
#ifndef SMMU_INTERNAL_H
#define SMMU_INTERNAL_H

#include <stdint.h>
#include <string.h>

#include "bits.h"
#include "cfgcache.h"
#include "regs_types.h"
#include "smmu/smmu.h"
#include "tlb.h"
#include "stall_types.h"
#include "utlb.h"

struct smmu_instance { /* tag: C++ embedders use namespace smmu (model/) */
    smmu_config_t cfg;
    smmu_mem_ops_t ops;
    void *ctx;
    smmu_regs_t regs;
    smmu_cfg_cache_t cfgc;
    smmu_tlb_t tlb;
    smmu_tlb_t wc; /* walk cache: intermediate table descriptors */
    smmu_utlb_t utlb;
    smmu_stats_t stats; /* translations, translated_ok: without micro-TLB hits (smmu_get_stats adds utlb_hits) */
    /* TLB hits of the stream-context fast path (translate.c tlbhit_try),
     * [0] without a CD (one configuration cache hit: the STE), [1] with
     * one (two: STE and CD); smmu_get_stats adds them to translations,
     * translated_ok, tlb_hits and cfg_cache_hits. */
    uint64_t fast_hits[2];
    /* Direct memory window (smmu_set_direct_memory): reads of structures
     * and descriptors inside it bypass ops.read. */
    const uint8_t *dm_host;
    uint64_t dm_base, dm_size;
    uint8_t oas_bits; /* smmu_pa_bits(cfg.oas) */
    uint8_t ias_bits; /* IAS (3.4): max(stage-1 OAS-derived, 40 for S2-only rules) */
    /* Timing (timing.h; NULL and zeros when off): the state; the memory
     * latencies of the current translation's walks, summed by walk.c
     * beside each walk context's sink (tm_cost); the descriptor reads
     * through ops.read (tm_cb_reads: timing.c prices the others as
     * direct-window reads); the latency a walk charges for a read the
     * callback left unset (tm_lat_tt) and for an HTTU access (tm_lat_upd). */
    struct smmu_timing_state *tm;
    /* While timing is on, tm_gate == tm and utlb.e is NULL, its entries
     * kept in tm_utlb: smmu_translate finds no micro-TLB and hands the
     * request to timing.c, which clears the gate and puts the
     * entries back for the functional translation it prices. The hot path
     * therefore has no timing test of its own (docs/timing.md). */
    void *tm_gate;
    smmu_utlb_entry_t *tm_utlb;
    uint64_t tm_cost;
    uint64_t tm_cb_reads;
    uint32_t tm_lat_tt, tm_lat_upd;
    smmu_stalls_t stalls; /* the Stall model (stall.h); no slots with STALL_MODEL 0b01 */
    /* Driver-checker (checker.h; NULL when off). chk_gate == chk while it
     * is on, tested by translate.c only off the micro-TLB hit path. */
    struct smmu_checker *chk;
    void *chk_gate;
    /* Re-entrancy (smmu.h, issue 11): depth counts the entry points that
     * may call back (translate_full, smmu_mmio_write, smmu_page_request,
     * smmu_inject_sfm) in progress. While it is non-zero the micro-TLB
     * array is out of utlb.e (kept in depth_utlb), so that a smmu_translate
     * from a callback leaves the hit path and meets the gate, which returns
     * SMMU_ERR_REENTERED. gates: non-zero when tm_gate, chk_gate or depth
     * is (smmu_gates_update): one test off the micro-TLB hit path. */
    uint32_t depth;
    uint32_t gates;
    smmu_utlb_entry_t *depth_utlb;
    uint8_t atc_inv_unanswered; /* a CMD_ATC_INV since the last CMD_SYNC got no
                                   response (ats.c, 3.9.1.4) */
};

/* Memory accessors: count statistics and call the embedder. 0 = success. */
static inline int smmu_mem_read(smmu_t *s, uint64_t pa, void *buf, uint32_t len,
                                smmu_access_kind_t kind)
{
    s->stats.mem_reads++;
    uint64_t off = pa - s->dm_base;
    if (off < s->dm_size && len <= s->dm_size - off) {
        memcpy(buf, s->dm_host + off, len);
        return 0;
    }
    return s->ops.read(s->ctx, pa, buf, len, kind, NULL);
}

/* One 64-bit descriptor (memory byte order), through the window if it
 * covers it. */
static inline int smmu_mem_read8(smmu_t *s, uint64_t pa, uint64_t *raw, smmu_access_kind_t kind)
{
    return smmu_mem_read(s, pa, raw, 8, kind);
}

static inline int smmu_mem_write(smmu_t *s, uint64_t pa, const void *buf, uint32_t len,
                                 smmu_access_kind_t kind)
{
    s->stats.mem_writes++;
    return s->ops.write(s->ctx, pa, buf, len, kind, NULL);
}

/* Read n little-endian 64-bit words (STE, CD, L1 descriptors, commands). */
static inline int smmu_mem_read_words(smmu_t *s, uint64_t pa, uint64_t *w, unsigned n,
                                      smmu_access_kind_t kind)
{
    if (smmu_mem_read(s, pa, w, n * 8u, kind))
        return 1;
    for (unsigned i = 0; i < n; i++)
        w[i] = smmu_from_mem64(w[i], 0);
    return 0;
}

/* Current micro-TLB generation: moves with every invalidation of the
 * configuration cache or the TLB and every translation-relevant register
 * write. */
static inline uint32_t smmu_utlb_gen(const smmu_t *s)
{
    return s->utlb.gen; /* the TLB and the configuration cache count here too (smmu.c) */
}

/* Recompute smmu_t.gates after tm_gate, chk_gate or depth changed. */
static inline void smmu_gates_update(smmu_t *s)
{
    s->gates = (s->tm_gate != NULL) | (uint32_t)(s->chk_gate != NULL) << 1 | (uint32_t)(s->depth != 0) << 2;
}

/* Enter / leave an entry point that may call back (smmu_t.depth). */
static inline void smmu_enter(smmu_t *s)
{
    if (s->depth++ == 0) {
        s->depth_utlb = s->utlb.e;
        s->utlb.e = NULL;
        smmu_gates_update(s);
    }
}

static inline void smmu_leave(smmu_t *s)
{
    if (--s->depth == 0) {
        s->utlb.e = s->depth_utlb;
        smmu_gates_update(s);
    }
}

/* The micro-TLB array, also while an entry point is in progress. */
static inline smmu_utlb_entry_t *smmu_utlb_array(const smmu_t *s)
{
    return s->depth ? s->depth_utlb : s->utlb.e;
}

/* Effective state helpers */
static inline int smmu_is_enabled(const smmu_t *s)
{
    return (s->regs.cr0ack & SMMU_CR0_SMMUEN) != 0;
}

#endif

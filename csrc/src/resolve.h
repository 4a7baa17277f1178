/* SPDX-License-Identifier: Apache-2.0 */
/* Resolve an input address to its translation (3.3 steps after the
 * configuration): the TLB, else a walk of stage 1 then stage 2 (walk.c),
 * giving the output address, the permissions per privilege and per stage,
 * the memory attributes, shareability, the size the translation covers and
 * the IPA. No access check and no event: the caller (translate.c, and
 * later an ATS Translation Request with its own policy) decides what the
 * permissions mean and reports faults (fault.c).
 *
 * The caller's access may be passed as an intent. It only lets resolve do
 * what hardware does for that access on the way: a write to a
 * writable-clean leaf with HTTU dirty state (3.13.3) marks it dirty (and a
 * cached writable-clean entry is walked again for that), and resolution
 * stops after a stage-1 result that refuses the access (3.3: the
 * transaction then ends at stage 1; stage 2 is not walked). */
#ifndef SMMU_RESOLVE_H
#define SMMU_RESOLVE_H

#include <stdint.h>

#include "cd.h"
#include "fault.h"
#include "perm.h"
#include "smmu_internal.h"
#include "strtab.h"
#include "tlb.h"

typedef struct smmu_resolved {
    const smmu_tlb_entry_t *t; /* the translation: the TLB entry that hit,
                                  or &fill after a walk. s1_perm/s2_perm by
                                  privilege (a stage not resolved: RWX),
                                  memattr, sh, size_shift */
    smmu_tlb_entry_t fill;     /* a walk's translation as the TLB caches it */
    smmu_tlb_key_t key;        /* its TLB tags (the input address as tagged) */
    uint64_t pa;               /* output address of the input address */
    uint64_t ipa;              /* after a walk: the IPA (stage-1 output) */
    uint8_t hit;               /* 1: t is a TLB entry */
} smmu_resolved_t;

/* Stage-1 input range check (3.4.1): with a region of 64 - TxSZ bits, the
 * bits VA[AddrTop:64-TxSZ] must all equal VA[55] (the 3.4 example: a 49-bit
 * range = two 48-bit regions accepts 0x0000FFFFFFFFFFFF and
 * 0xFFFF000000000000); AddrTop = 55 with TBI. Returns the region or -1. */
static inline int smmu_s1_region(const smmu_cd_t *cd, uint64_t va)
{
    unsigned r = (unsigned)(va >> 55) & 1;
    const smmu_walk_cfg_t *tt = &cd->tt[r];
    /* A disabled region (EPDx) faults without a walk (7.3.13). */
    if (tt->disabled || tt->ia_bits == 0)
        return -1;
    /* Sign-extend from bit 55 over the top byte when TBI, then every bit
     * from N-1 up must equal bit 55. */
    uint64_t v = tt->tbi ? (r ? va | SMMU_MASK(63, 56) : va & SMMU_MASK(55, 0)) : va;
    uint64_t upper = v >> tt->ia_bits; /* VA[AddrTop:N] with N = 64 - TxSZ */
    return upper == (r ? (~0ull >> tt->ia_bits) : 0) ? (int)r : -1;
}

/* The walk half of smmu_resolve() (resolve.c): tt is the stage-1 region
 * (NULL without a CD), r->key is set. */
int smmu_resolve_walk(smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd,
                      const smmu_walk_cfg_t *tt, uint64_t addr, const smmu_access_t *intent,
                      smmu_resolved_t *r, smmu_fault_t *f);

/* Resolve addr for a stream configured by ste (and cd, NULL when stage 1
 * bypasses). Returns 0 with *r, or 1 with *f: a stage-1 range/EPD
 * F_TRANSLATION, the stage-1 bypass F_ADDR_SIZE (3.4), a walk fault of
 * either stage (a stage-2 fault of a stage-1 table fetch: CLASS = TT).
 * With neither stage, r->pa is the address cut to the OAS (3.4). Inline:
 * the TLB-hit path stays in the caller. */
static inline int smmu_resolve(smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd,
                               uint64_t addr, const smmu_access_t *intent, smmu_resolved_t *r,
                               smmu_fault_t *f)
{
    /* TLB tags (3.17): StreamWorld from STE.STRW; VMID when stage 2 is
     * implemented (EL1 world); ASID for stage 1 unless EL2 without E2H. */
    smmu_tlb_key_t *key = &r->key;
    key->world = ste->streamworld; /* STRW and CR2.E2H as decoded (same encoding) */
    key->vmid = (key->world == SMMU_WORLD_NS_EL1 && s->cfg.s2p) ? ste->s2vmid : 0;
    key->asid = (cd && key->world != SMMU_WORLD_NS_EL2) ? cd->asid : 0;
    key->aset = cd ? cd->aset : 0;
    const smmu_walk_cfg_t *tt = NULL;
    unsigned hd; /* dirty state by hardware in a stage of this translation */
    if (cd) {
        int reg = smmu_s1_region(cd, addr);
        if (reg < 0) {
            *f = smmu_fault_of(SMMU_EVT_F_TRANSLATION, 1, SMMU_CLASS_IN);
            return 1;
        }
        tt = &cd->tt[reg];
        key->addr = tt->tbi ? (addr | SMMU_MASK(63, 56)) ^ (reg ? 0 : SMMU_MASK(63, 56)) : addr;
        key->kind = ste->s2_enabled ? SMMU_TLB_NESTED : SMMU_TLB_S1;
        hd = tt->hd || ste->s2.hd;
    } else {
        /* Stage 1 bypass: the input address must fit the IAS (3.4). */
        if (addr >= (1ull << s->ias_bits)) {
            *f = smmu_fault_of(SMMU_EVT_F_ADDR_SIZE, 1, SMMU_CLASS_IN);
            return 1;
        }
        key->addr = addr;
        key->kind = SMMU_TLB_S2;
        key->asid = 0;
        hd = ste->s2.hd;
    }
    if (s->tlb.e && (cd || ste->s2_enabled)) {
        smmu_tlb_entry_t *e = smmu_tlb_lookup(&s->tlb, key);
        if (e && !(intent && intent->write && hd &&
                   !(e->s1_perm[intent->priv] & e->s2_perm[intent->priv] & SMMU_PERM_W))) {
            s->stats.tlb_hits++;
            r->t = e;
            r->hit = 1;
            r->pa = e->oa + (key->addr & ((1ull << e->size_shift) - 1));
            return 0;
        }
        if (e) /* a write to a cached writable-clean page: walk, mark dirty */
            smmu_tlb_drop(&s->tlb, e);
        s->stats.tlb_misses++;
    }
    return smmu_resolve_walk(s, ste, cd, tt, addr, intent, r, f);
}

/* The IPA of r's input address (for a stage-2 fault record). */
static inline uint64_t smmu_resolved_ipa(const smmu_resolved_t *r)
{
    if (!r->hit)
        return r->ipa;
    return r->t->ipa + (r->key.addr & ((1ull << r->t->size_shift) - 1));
}

/* Cache a walk's translation in the TLB (at the size both stages agree
 * on). Call only for a translation through at least one stage. */
static inline void smmu_resolve_fill(smmu_t *s, const smmu_resolved_t *r)
{
    if (!r->hit && s->tlb.e) {
        smmu_tlb_insert(&s->tlb, &r->key, &r->fill);
        s->stats.tlb_inserts++;
    }
}

#endif

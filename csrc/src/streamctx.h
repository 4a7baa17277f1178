/* SPDX-License-Identifier: Apache-2.0 */
/* Stream translation context: what the translation procedure (3.3) works
 * out from a cached STE and its one CD before it looks in the TLB, kept
 * beside the STE in the configuration cache so that a TLB hit does not
 * work it out again (translate.c, tlbhit_try).
 *
 * It is built by the full path after a successful translation of a plain
 * request (no SubstreamID) through a cached STE and, for stage 1, the
 * cached CD 0 of an STE with S1CDMax == 0, and it is valid while its
 * generation equals the micro-TLB generation (smmu_utlb_gen): every
 * invalidation of the configuration cache or the TLB, and every register
 * write that can change a translation, moves that counter. Refilling the
 * STE slot, or the CD slot of its CD 0, clears it (cfgcache.c).
 *
 * It holds only derived values: the stage-1 input range checks of each
 * VA[55] region (3.4.1, with TBI and EPDx), the TLB tag of the input
 * address (TBI), the TLB match words (3.17: StreamWorld, VMID, ASID,
 * ASET), and per access the permission bit needed and the privilege that
 * selects the entry's permissions after PCIe's no-PASID rule (13.7), the
 * STE.PRIVCFG/INSTCFG overrides (5.2) and CD.E0PDx (5.4). Anything it
 * cannot answer (0 in acc, a range check failing) takes the full path,
 * which also reports the fault. */
#ifndef SMMU_STREAMCTX_H
#define SMMU_STREAMCTX_H

#include <stdint.h>

typedef struct smmu_stream_ctx {
    uint32_t gen;      /* micro-TLB generation when built; 0: not valid */
    uint32_t sid;      /* the StreamID it was built for */
    uint16_t vmid;     /* TLB set index input (smmu_tlb_set_of) */
    uint8_t e0pd[2];   /* CD.E0PD0/1 per region: the micro-TLB fill's no_unpriv */
        /* Per region r = VA[55]: the input is in range when
     * (va & chk_mask[r]) == chk_val[r]; its TLB tag is
     * (va & key_and[r]) | key_or[r]. */
    uint64_t chk_mask[2], chk_val[2];
    uint64_t key_and[2], key_or[2];
    uint64_t mng, mg;  /* TLB meta words: non-global (ASID), global (ASET) */
    /* Per region and access index (smmu_utlb_acc_index: write, instr,
     * priv, pcie): SMMU_STREAMCTX_CD (a CD is used: two configuration
     * cache hits) | effective priv << 3 | the SMMU_PERM_* bit the access
     * needs (never 0); 0: take the full path. */
    uint8_t acc[2][16];
} smmu_stream_ctx_t;

#define SMMU_STREAMCTX_CD 0x10u /* the top bit of an acc byte */

/* Request attribute word (smmu_utlb_aword) bits a context may answer:
 * write, instr, priv and pcie each 0 or 1; SSV, Secure, ATS and the TBU
 * must be 0. */
#define SMMU_STREAMCTX_ATTR_OK 0x0001000001010100ull

#endif

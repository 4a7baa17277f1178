/* SPDX-License-Identifier: Apache-2.0 */
/* Stream table (5.1 L1STD, 5.2 STE; 3.3.2 lookup) and STE decode/validation. */
#ifndef SMMU_STRTAB_H
#define SMMU_STRTAB_H

#include <stdint.h>

#include "smmu/smmu.h"
#include "ste_types.h"
#include "walk.h"

/* Locate and read the STE for sid (linear or 2-level, 3.3.2, 5.1, 6.3.25).
 * raw receives the 8 words in numeric value (little-endian, 5.2).
 * Returns 0, or an event type with *ev filled (sid set):
 *  SMMU_EVT_C_BAD_STREAMID: sid beyond the effective table / L1STD invalid
 *    or sid beyond its Span (7.3.3); the caller records it only when
 *    CR2.RECINVSID == 1;
 *  SMMU_EVT_F_STE_FETCH: external abort reading the L1STD or the STE (7.3.4),
 *    FetchAddr = the PA that aborted. */
int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t raw[8], smmu_event_t *ev);

/* Decode and validate raw STE words. Returns 0, or SMMU_EVT_C_BAD_STE with
 * *reason set to an SMMU_STE_ILL_* code (docs/config-structures.md). V == 0 is also
 * C_BAD_STE (7.3.5). Implements SteIllegal() of 5.2 for the Non-secure STE
 * with this model's configuration (AArch64-only tables). */
int smmu_ste_decode(const smmu_t *s, const uint64_t raw[8], smmu_ste_t *out, uint32_t *reason);

/* Start-table base alignment (Arm ARM D8.2.5.2; SMMU 5.2 S2TTB, 5.4 TTBx):
 * the start table (all concatenated tables for stage 2) is aligned to its
 * size, 2^(ia_bits - level_shift(level) + 3) bytes, with a 64-byte minimum
 * when oa_bits is 52 and 16 bytes otherwise (TTB fields hold bits [51:4]).
 * Shared by the STE and CD decoders. */
uint64_t smmu_align_ttb(uint64_t ttb, unsigned gshift, unsigned ia_bits, unsigned level,
                        unsigned oa_bits);

/* Reasons for C_BAD_STE (event Reason field is not architected for it; the
 * model reports them through smmu_event_t.reason and the on_event hook). */
enum smmu_ste_ill {
    SMMU_STE_ILL_NONE = 0,
    SMMU_STE_ILL_INVALID,        /* V == 0 */
    SMMU_STE_ILL_S1_NOT_IMPL,    /* Config uses stage 1, IDR0.S1P == 0 */
    SMMU_STE_ILL_S2_NOT_IMPL,    /* Config uses stage 2, IDR0.S2P == 0 */
    SMMU_STE_ILL_S1FMT,          /* S1Fmt reserved, or != 0 without CD2L */
    SMMU_STE_ILL_S1CDMAX,        /* S1CDMax > SSIDSIZE */
    SMMU_STE_ILL_S1CTXPTR,       /* S1ContextPtr beyond the OAS */
    SMMU_STE_ILL_S1DSS,          /* reserved combinations */
    SMMU_STE_ILL_EATS,
    SMMU_STE_ILL_STRW,
    SMMU_STE_ILL_S2AA64,         /* AArch32 stage 2 on an AArch64-only SMMU */
    SMMU_STE_ILL_S2TG,           /* granule not supported */
    SMMU_STE_ILL_S2T0SZ,         /* out of range (bounded by the IAS) */
    SMMU_STE_ILL_S2SL0,          /* inconsistent with S2T0SZ/S2TG */
    SMMU_STE_ILL_S2PS,
    SMMU_STE_ILL_S2TTB,          /* beyond MIN(S2PS, OAS) / 48 bits w/o S2DS / misaligned */
    SMMU_STE_ILL_S2HTTU,         /* S2HA/S2HD beyond IDR0.HTTU */
    SMMU_STE_ILL_VMID16,         /* S2VMID[15:8] != 0 without VMID16 */
    SMMU_STE_ILL_S2ENDI,         /* endianness not supported (TTENDIAN) */
    SMMU_STE_ILL_STALL,          /* S2S / S1STALLD inconsistent with STALL_MODEL */
    SMMU_STE_ILL_OTHER,
};

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Context descriptors (5.3 L1CD, 5.4 CD; 3.3.2 lookup) and CD validation. */
#ifndef SMMU_CD_H
#define SMMU_CD_H

#include <stdint.h>

#include "cd_types.h"
#include "smmu/smmu.h"
#include "strtab.h"
#include "walk.h"

/* Which CD a transaction uses (3.3.2, 5.2 S1DSS, S1CDMax). */
typedef enum smmu_cd_sel {
    SMMU_CD_USE = 0,      /* *index holds the SubstreamID to fetch */
    SMMU_CD_S1_BYPASS,    /* no SSID, S1DSS = bypass: stage 1 bypass */
    SMMU_CD_FAULT,        /* event in *ev (F_STREAM_DISABLED / C_BAD_SUBSTREAMID) */
} smmu_cd_sel_t;

/* Decide which CD a transaction (ssv, ssid) uses, given a stage-1 STE.
 * S1CDMax == 0: one CD, SSID-carrying transactions get C_BAD_SUBSTREAMID.
 * S1CDMax != 0, no SSID: S1DSS (terminate -> F_STREAM_DISABLED, bypass,
 * substream 0; with substream 0, an SSID-0 transaction gets
 * F_STREAM_DISABLED). SSID >= 2^S1CDMax: C_BAD_SUBSTREAMID. */
smmu_cd_sel_t smmu_cd_select(const smmu_ste_t *ste, uint32_t sid, int ssv, uint32_t ssid,
                             uint32_t *index, smmu_event_t *ev);

/* Fetch the CD `index` (linear or 2-level per S1Fmt; 5.3). Table addresses
 * are IPAs when the STE enables stage 2 too; they are translated with
 * smmu_nested_ipa_to_pa(). Returns 0 or an event type with *ev filled:
 * C_BAD_SUBSTREAMID (L1CD.V == 0 or L2Ptr out of range, 7.3.9),
 * F_CD_FETCH (external abort; FetchAddr = the PA, 7.3.10), or a stage-2
 * fault with CLASS = CD. */
int smmu_cd_fetch(smmu_t *s, const smmu_ste_t *ste, uint32_t sid, uint32_t index,
                  uint64_t raw[8], smmu_event_t *ev);

/* Decode and validate raw CD words (5.4 CdIllegal conditions). Returns 0 or
 * SMMU_EVT_C_BAD_CD with *reason an SMMU_CD_ILL_* code. */
int smmu_cd_decode(const smmu_t *s, const smmu_ste_t *ste, const uint64_t raw[8], smmu_cd_t *out,
                   uint32_t *reason);

enum smmu_cd_ill {
    SMMU_CD_ILL_NONE = 0,
    SMMU_CD_ILL_INVALID,   /* V == 0 */
    SMMU_CD_ILL_AA64,      /* AA64 == 0 on an AArch64-only SMMU */
    SMMU_CD_ILL_TG,        /* unsupported granule for an enabled region */
    SMMU_CD_ILL_TSZ,       /* TxSZ out of range for the enabled region */
    SMMU_CD_ILL_TTB,       /* TTBx outside the effective IPS / misaligned */
    SMMU_CD_ILL_ASID16,    /* ASID[15:8] != 0 without ASID16 */
    SMMU_CD_ILL_HTTU,      /* HA/HD beyond IDR0.HTTU */
    SMMU_CD_ILL_ENDI,      /* endianness not supported */
    SMMU_CD_ILL_STALL,     /* S == 1 where stalls cannot be used */
    SMMU_CD_ILL_OTHER,
    SMMU_CD_ILL_TERM,      /* A == 0 with IDR0.TERM_MODEL == 1 */
};

#endif

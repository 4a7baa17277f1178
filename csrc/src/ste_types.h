/* SPDX-License-Identifier: Apache-2.0 */
/* Decoded Non-secure STE (5.2): types only, for the configuration cache and
 * the instance structure. Fetch, decode and validation are in strtab.h. */
#ifndef SMMU_STE_TYPES_H
#define SMMU_STE_TYPES_H

#include <stdint.h>

#include "walk_types.h" /* smmu_walk_cfg_t */

/* Effective StreamWorld of a Non-secure STE (5.2 STRW, 3.3.3). */
typedef enum smmu_streamworld {
    SMMU_SW_NS_EL1 = 0,
    SMMU_SW_NS_EL2 = 1,     /* STRW 0b10, CR2.E2H == 0: one TTB, no ASID */
    SMMU_SW_NS_EL2_E2H = 2, /* STRW 0b10, CR2.E2H == 1 */
} smmu_streamworld_t;

/* Decoded, validated Non-secure STE. Plain data: decoded once, cached. */
typedef struct smmu_ste {
    uint8_t config;      /* raw STE.Config; 0b001-0b011 behave as 0b000 */
    uint8_t abort;       /* Config 0b000-0b011: abort, no event */
    uint8_t bypass;      /* Config 0b100 */
    uint8_t s1_enabled;  /* Config[0] = 1 (0b101, 0b111) */
    uint8_t s2_enabled;  /* Config[1] = 1 (0b110, 0b111) */
    /* Stage-1 context-descriptor table */
    uint8_t s1fmt;       /* 0 linear, 1 2-level 4KB L2, 2 2-level 64KB L2 */
    uint8_t s1cdmax;     /* log2 of CD count; 0 when SSIDSIZE == 0 (IGNORED) */
    uint8_t s1dss;       /* 0 terminate, 1 bypass, 2 substream 0 */
    uint8_t s1cir, s1cor, s1csh;
    uint64_t s1ctxptr;   /* bits [55:6] of STE, an address (IPA when nested) */
    uint8_t s1stalld;
    uint8_t eats, strw, dcp, ppar, mev, cont, dre;
    uint8_t streamworld; /* smmu_streamworld_t (effective; CR2.E2H at decode) */
    /* Attribute and permission overrides (3.14, 13.x) */
    uint8_t memattr, mtcfg, alloccfg, shcfg, nscfg, privcfg, instcfg;
    /* Stage 2 */
    uint16_t s2vmid;
    uint8_t s2affd, s2ptw, s2s, s2r, s2fwb, s2ha, s2hd;
    uint8_t s2ir0, s2or0, s2sh0;
    smmu_walk_cfg_t s2;  /* valid when s2_enabled */
} smmu_ste_t;

#endif

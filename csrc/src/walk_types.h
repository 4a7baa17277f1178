/* SPDX-License-Identifier: Apache-2.0 */
/* Type-only header: the decoded table configuration a walk starts from
 * (VMSAv8-64, Arm ARM D8.2). Included by the STE/CD type headers, so the
 * decoded configuration does not pull in the walker (no include cycle). */
#ifndef SMMU_WALK_TYPES_H
#define SMMU_WALK_TYPES_H

#include <stdint.h>

/* Decoded configuration of one translation regime/table base, produced by
 * the STE decoder (stage 2) or the CD decoder (stage 1, one per TTB). */
typedef struct smmu_walk_cfg {
    uint64_t ttb;        /* start table base (first table if concatenated),
                            aligned as the spec requires; PA, or IPA when
                            the stage-1 walk is nested */
    uint8_t stage;       /* 1 or 2 */
    uint8_t gran_shift;  /* 12 (4K), 14 (16K), 16 (64K) */
    uint8_t ia_bits;     /* input size: 64 - TxSZ */
    uint8_t start_level; /* 0..3; index at the start level spans
                            ia_bits - level_shift bits (concatenation for
                            stage 2 falls out of this) */
    uint8_t oa_bits;     /* effective output size: MIN(IPS/S2PS, OAS) */
    uint8_t big_endian;  /* ENDI / S2ENDI */
    uint8_t had;         /* hierarchical attributes disabled (HADx && IDR3.HAD) */
    uint8_t affd;        /* access flag fault disable (AFFD/S2AFFD) */
    uint8_t ha, hd;      /* effective HTTU enables (nested issue) */
    uint8_t disabled;    /* EPDx = 1: walks of this region fault */
    uint8_t tbi;         /* top byte ignored for this region (stage 1) */
    uint8_t ds;          /* 52-bit descriptors with 4K/16K (not implemented: 0) */
    uint8_t ptw;         /* stage 2: STE.S2PTW, table walks and CD fetches to
                            Device memory are stage-2 permission faults */
} smmu_walk_cfg_t;

#endif

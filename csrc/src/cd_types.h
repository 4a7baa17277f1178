/* SPDX-License-Identifier: Apache-2.0 */
/* Decoded context descriptor (5.4): types only, for the configuration
 * cache and the instance structure. Fetch, selection, decode and validation
 * are in cd.h. */
#ifndef SMMU_CD_TYPES_H
#define SMMU_CD_TYPES_H

#include <stdint.h>

#include "walk_types.h" /* smmu_walk_cfg_t */

/* Decoded, validated CD (VMSAv8-64 only). */
typedef struct smmu_cd {
    smmu_walk_cfg_t tt[2]; /* TTB0 and TTB1 regions (T0SZ/TG0/EPD0/TBI0/...) */
    uint16_t asid;
    uint8_t ips_bits;     /* effective: MIN(IPS, OAS) in bits */
    uint8_t wxn, uwxn, pan, aa64, s, r, a, aset, e0pd0, e0pd1;
    uint8_t had0, had1, ha, hd;
    uint8_t endi, affd;
    uint8_t ir[2], or_[2], sh[2], nscfg[2];
    uint64_t mair;        /* MAIR0 | MAIR1 << 32 */
    uint64_t amair;
} smmu_cd_t;

#endif

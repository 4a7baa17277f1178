/* SPDX-License-Identifier: Apache-2.0 */
/* Permission checks (Arm ARM D8.4; SMMU 3.3, 13.7): stage 1 AP/UXN/PXN with
 * hierarchical table attributes, WXN and PAN; stage 2 S2AP and XN[1:0]. */
#ifndef SMMU_PERM_H
#define SMMU_PERM_H

#include <stdint.h>

#include "smmu/smmu.h"

/* Access attributes after the STE INSTCFG/PRIVCFG overrides. */
typedef struct smmu_access {
    uint8_t write;
    uint8_t instr; /* always 0 for writes */
    uint8_t priv;
} smmu_access_t;

/* What the permission rules read of a stage-1 walk (a leaf module: no
 * walker types): the leaf descriptor and the hierarchical attributes the
 * table descriptors above it accumulated (D8.4.2; zero when HADx). */
typedef struct smmu_perm_leaf {
    uint64_t desc;     /* leaf descriptor (numeric value) */
    uint8_t ap_table;  /* APTable[1:0] */
    uint8_t uxn_table; /* UXNTable (XNTable in the one-EL regime) */
    uint8_t pxn_table; /* PXNTable */
} smmu_perm_leaf_t;

/* Stage-1 permissions (D8.4.1) as a function of six bits: index bit 0
 * EL0 access (AP[1] and not APTable[0]), 1 read-only (AP[2] or
 * APTable[1]), 2 UXN (or UXNTable), 3 PXN (or PXNTable), 4 WXN, 5 PAN.
 * Each entry holds the unprivileged permissions in bits [2:0] and the
 * privileged ones in [6:4]. The rules, written once in perm.c:
 *  - EL0 reads/writes need EL0 access; writes need not read-only;
 *  - PAN: no privileged data access to EL0-accessible memory;
 *  - memory writable at EL0 is never privileged-executable;
 *  - WXN: memory writable at a level is execute-never at that level. */
extern const uint8_t smmu_perm_s1_table[64];

static inline unsigned smmu_perm_s1_index(const smmu_perm_leaf_t *w, unsigned wxn, unsigned pan)
{
    uint64_t d = w->desc;
    unsigned el0 = (unsigned)(d >> 6) & 1 & ~(unsigned)w->ap_table;
    unsigned ro = ((unsigned)(d >> 7) | (unsigned)(w->ap_table >> 1)) & 1;
    unsigned uxn = ((unsigned)(d >> 54) & 1) | w->uxn_table;
    unsigned pxn = ((unsigned)(d >> 53) & 1) | w->pxn_table;
    return el0 | ro << 1 | (uxn & 1) << 2 | (pxn & 1) << 3 | (wxn & 1) << 4 | (pan & 1) << 5;
}

/* Both privileges at once: unprivileged in bits [2:0], privileged [6:4]. */
static inline unsigned smmu_perm_s1_both(const smmu_perm_leaf_t *w, unsigned wxn, unsigned pan)
{
    return smmu_perm_s1_table[smmu_perm_s1_index(w, wxn, pan)];
}

/* The one-Exception-level regime of StreamWorld any-EL2 (D8.4, Table D8-66;
 * SMMU 13.4): AP[1] is ignored (treated as 1) and every access is checked
 * as privileged, bit 54 is XN (with XNTable, bit 60), AP[2]/APTable[1] make
 * it read-only, WXN applies; there is no PXN and no PAN. Both privileges
 * get the same permissions. */
static inline unsigned smmu_perm_s1_both_el2(const smmu_perm_leaf_t *w, unsigned wxn)
{
    uint64_t d = w->desc;
    unsigned ro = ((unsigned)(d >> 7) | (unsigned)(w->ap_table >> 1)) & 1;
    unsigned xn = (((unsigned)(d >> 54) & 1) | w->uxn_table) & 1;
    unsigned p = smmu_perm_s1_table[ro << 1 | xn << 2 | xn << 3 | (wxn & 1) << 4] >> 4;
    return p | p << 4;
}

/* Stage-1 permissions granted by a leaf (and the walk's table attributes)
 * to an access of the given privilege: SMMU_PERM_R/W/X. */
static inline unsigned smmu_perm_s1(const smmu_perm_leaf_t *w, unsigned priv, unsigned wxn,
                                    unsigned pan)
{
    return (smmu_perm_s1_both(w, wxn, pan) >> (priv ? 4 : 0)) & 7;
}

unsigned smmu_perm_s2_both(uint64_t desc, unsigned xnx);
/* Stage-2 permissions of a leaf for the given privilege (xnx: IDR3.XNX). */
unsigned smmu_perm_s2(uint64_t desc, unsigned priv, unsigned xnx);
/* Does `perms` allow access a? PAN-restricted privileged data accesses are
 * folded into smmu_perm_s1's result. */
static inline int smmu_perm_allows(unsigned perms, const smmu_access_t *a)
{
    unsigned need = a->write ? SMMU_PERM_W : (a->instr ? SMMU_PERM_X : SMMU_PERM_R);
    return (perms & need) != 0;
}

#endif

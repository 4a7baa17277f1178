/* SPDX-License-Identifier: Apache-2.0 */
/* Permission model, Arm ARM D8.4 (VMSAv8-64, EL1&0 regime; stage 2). */
#include "perm.h"

#include "bits.h"

/* D8.4.1 for one index of smmu_perm_s1_table (see perm.h). */
#define EL0(i) ((i) & 1)
#define RO(i) (((i) >> 1) & 1)
#define UXN(i) (((i) >> 2) & 1)
#define PXN(i) (((i) >> 3) & 1)
#define WXN(i) (((i) >> 4) & 1)
#define PAN(i) (((i) >> 5) & 1)
#define RW(i) (SMMU_PERM_R | (RO(i) ? 0 : SMMU_PERM_W))
#define UNPRIV(i)                                                                                 \
    ((EL0(i) ? RW(i) : 0) | ((!UXN(i) && !(WXN(i) && EL0(i) && !RO(i))) ? SMMU_PERM_X : 0))
#define PRIV(i)                                                                                   \
    (((PAN(i) && EL0(i)) ? 0 : RW(i)) |                                                           \
     ((!PXN(i) && !(EL0(i) && !RO(i)) && !(WXN(i) && !RO(i))) ? SMMU_PERM_X : 0))
#define P1(i) (uint8_t)(UNPRIV(i) | PRIV(i) << 4)
#define P4(i) P1(i), P1((i) + 1), P1((i) + 2), P1((i) + 3)
#define P16(i) P4(i), P4((i) + 4), P4((i) + 8), P4((i) + 12)

const uint8_t smmu_perm_s1_table[64] = {P16(0), P16(16), P16(32), P16(48)};

unsigned smmu_perm_s2(uint64_t d, unsigned priv, unsigned xnx)
{
    unsigned p = 0;
    if (d & SMMU_BIT(6))
        p |= SMMU_PERM_R;
    if (d & SMMU_BIT(7))
        p |= SMMU_PERM_W;
    /* XN[1:0] = bits [54:53] with IDR3.XNX (D8.4.2): 00 all, 01 EL0 only,
     * 10 none, 11 EL1 only. Without XNX only bit 54 counts. */
    unsigned xn = (unsigned)SMMU_GET(d, 54, 53);
    if (!xnx)
        xn &= 2;
    int exec;
    switch (xn) {
    case 0: exec = 1; break;
    case 1: exec = !priv; break;
    case 3: exec = priv; break;
    default: exec = 0; break;
    }
    if (exec)
        p |= SMMU_PERM_X;
    return p;
}

unsigned smmu_perm_s2_both(uint64_t desc, unsigned xnx)
{
    return smmu_perm_s2(desc, 0, xnx) | smmu_perm_s2(desc, 1, xnx) << 4;
}

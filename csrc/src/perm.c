/* Permission model, Arm ARM D8.4 (VMSAv8-64, EL1&0 regime; stage 2). */
#include "perm.h"

#include "bits.h"

unsigned smmu_perm_s1(const smmu_walk_out_t *w, unsigned priv, unsigned wxn, unsigned pan)
{
    uint64_t d = w->desc;
    /* AP[1] (bit 6): EL0 access; AP[2] (bit 7): read-only. APTable[0]
     * removes EL0 access, APTable[1] removes write access (D8.4.1.2). */
    unsigned el0 = (unsigned)SMMU_GET(d, 6, 6) & !(w->ap_table & 1);
    unsigned ro = (unsigned)SMMU_GET(d, 7, 7) | ((w->ap_table >> 1) & 1);
    unsigned uxn = (unsigned)SMMU_GET(d, 54, 54) | w->uxn_table;
    unsigned pxn = (unsigned)SMMU_GET(d, 53, 53) | w->pxn_table;
    unsigned p = 0;
    if (priv) {
        /* PAN: privileged data accesses to EL0-accessible memory fault. */
        if (!(pan && el0))
            p |= SMMU_PERM_R | (ro ? 0 : SMMU_PERM_W);
        /* Memory writable at EL0 is never privileged-executable. */
        if (!pxn && !(el0 && !ro) && !(wxn && !ro))
            p |= SMMU_PERM_X;
    } else {
        if (el0)
            p |= SMMU_PERM_R | (ro ? 0 : SMMU_PERM_W);
        if (!uxn && !(wxn && el0 && !ro))
            p |= SMMU_PERM_X;
    }
    return p;
}

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

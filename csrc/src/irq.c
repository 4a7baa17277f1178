/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Global errors (IHI 0070 G.b, 7.5) and interrupts (3.18): GERROR
 * activation, the GERROR/EVENTQ/PRIQ interrupt sources gated by
 * IRQ_CTRLACK, wired pulses and MSIs. The registers themselves (IRQ_CTRL,
 * GERRORN, *_IRQ_CFGn) are written through regs.c; this file only reads
 * them and toggles GERROR.
 */
#include "irq.h"
#include "smmu_internal.h"

uint32_t smmu_gerror_mask(const smmu_t *s)
{
    uint32_t m = (uint32_t)(SMMU_GERROR_CMDQ_ERR | SMMU_GERROR_EVENTQ_ABT_ERR |
                            SMMU_GERROR_SFM_ERR);
    if (s->cfg.pri)
        m |= (uint32_t)SMMU_GERROR_PRIQ_ABT_ERR;
    if (s->cfg.msi) {
        m |= (uint32_t)(SMMU_GERROR_MSI_CMDQ_ABT_ERR | SMMU_GERROR_MSI_EVENTQ_ABT_ERR |
                        SMMU_GERROR_MSI_GERROR_ABT_ERR);
        if (s->cfg.pri)
            m |= (uint32_t)SMMU_GERROR_MSI_PRIQ_ABT_ERR;
    }
    return m;
}

int smmu_gerror_active(const smmu_t *s, uint32_t bit)
{
    return ((s->regs.gerror ^ s->regs.gerrorn) & bit) != 0;
}

void smmu_irq_pulse(smmu_t *s, smmu_irq_t line)
{
    if (s->ops.raise_irq)
        s->ops.raise_irq(s->ctx, line);
}

/* 3.18, 4.7.3, 6.3.23: the attributes an MSI goes out with. MemAttr has
 * the STE.MemAttr encoding (5.2): [3:2] == 0 Device, else Normal with
 * outer [3:2] and inner [1:0]; 0b0100, 0b1000, 0b1100 are Reserved and
 * behave as Device-nGnRnE. SH 0b01 is Reserved, treated as 0b00; any Device
 * type and Normal iNC-oNC (0b0101) are Outer Shareable. */
void smmu_msi_attr_make(smmu_msi_attr_t *a, smmu_msi_source_t src, unsigned sh,
                        unsigned memattr)
{
    memset(a, 0, sizeof(*a));
    memattr &= 0xFu;
    sh &= 3u;
    if ((memattr & 3u) == 0)
        memattr = 0; /* Device (0b00xx keeps its type below) or Reserved */
    a->source = (uint8_t)src;
    a->memattr = (uint8_t)memattr;
    if ((memattr >> 2) == 0 || memattr == 0x5u)
        a->sh = 2; /* Device or Normal iNC-oNC: effectively OSH */
    else
        a->sh = (uint8_t)(sh == 1 ? 0 : sh);
}

int smmu_msi_send(smmu_t *s, uint64_t addr, uint32_t data, const smmu_msi_attr_t *attr)
{
    if (!s->cfg.msi || !addr)
        return 0;
    uint64_t pa = addr & SMMU_MASK(s->oas_bits - 1u, 2);
    s->stats.mem_writes++;
    if (s->ops.msi_write)
        return s->ops.msi_write(s->ctx, pa, data, attr) ? 1 : 0;
    uint32_t le = smmu_to_mem32(data);
    smmu_access_kind_t kind = attr->source == SMMU_MSI_CMD_SYNC ? SMMU_ACC_SYNC : SMMU_ACC_MSI;
    return s->ops.write(s->ctx, pa, &le, 4, kind, NULL) ? 1 : 0;
}

void smmu_irq_signal(smmu_t *s, smmu_irq_src_t src)
{
    smmu_regs_t *r = &s->regs;
    uint32_t en;
    smmu_irq_t line;
    uint64_t cfg0;
    uint32_t cfg1, cfg2, abt;
    smmu_msi_source_t msrc;
    switch (src) {
    case SMMU_SRC_EVENTQ:
        en = (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN;
        line = SMMU_IRQ_EVENTQ;
        cfg0 = r->eventq_irq_cfg0;
        cfg1 = r->eventq_irq_cfg1;
        cfg2 = r->eventq_irq_cfg2;
        abt = (uint32_t)SMMU_GERROR_MSI_EVENTQ_ABT_ERR;
        msrc = SMMU_MSI_EVENTQ;
        break;
    case SMMU_SRC_PRIQ:
        en = (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN;
        line = SMMU_IRQ_PRIQ;
        cfg0 = r->priq_irq_cfg0;
        cfg1 = r->priq_irq_cfg1;
        cfg2 = r->priq_irq_cfg2;
        abt = (uint32_t)SMMU_GERROR_MSI_PRIQ_ABT_ERR;
        msrc = SMMU_MSI_PRIQ;
        break;
    default:
        en = (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN;
        line = SMMU_IRQ_GERROR;
        cfg0 = r->gerror_irq_cfg0;
        cfg1 = r->gerror_irq_cfg1;
        cfg2 = r->gerror_irq_cfg2;
        abt = (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR;
        msrc = SMMU_MSI_GERROR;
        break;
    }
    if (!(r->irq_ctrlack & en))
        return;
    smmu_irq_pulse(s, line);
    /* IRQ_CFG0.ADDR is stored truncated to the OAS (regs.c); IRQ_CFG2
     * holds SH [5:4] and MemAttr [3:0] (6.3.23, 6.3.32, 6.3.36). */
    smmu_msi_attr_t a;
    smmu_msi_attr_make(&a, msrc, (unsigned)SMMU_GET(cfg2, 5, 4), (unsigned)SMMU_GET(cfg2, 3, 0));
    if (smmu_msi_send(s, cfg0, cfg1, &a))
        smmu_gerror_raise(s, abt);
}

void smmu_gerror_raise(smmu_t *s, uint32_t bits)
{
    smmu_regs_t *r = &s->regs;
    /* Only inactive errors are activated (7.5). */
    uint32_t act = bits & smmu_gerror_mask(s) & ~(r->gerror ^ r->gerrorn);
    if (!act)
        return;
    r->gerror ^= act;
    /* 7.5.1: MSI_GERROR_ABT_ERR does not trigger a GERROR interrupt. */
    if (act & ~(uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR)
        smmu_irq_signal(s, SMMU_SRC_GERROR);
}

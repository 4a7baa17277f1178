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

int smmu_msi_send(smmu_t *s, uint64_t addr, uint32_t data, smmu_access_kind_t kind)
{
    if (!s->cfg.msi || !addr)
        return 0;
    uint64_t pa = addr & SMMU_MASK(s->oas_bits - 1u, 2);
    uint32_t le = smmu_to_mem32(data);
    return smmu_mem_write(s, pa, &le, 4, kind) ? 1 : 0;
}

void smmu_irq_signal(smmu_t *s, smmu_irq_src_t src)
{
    smmu_regs_t *r = &s->regs;
    uint32_t en;
    smmu_irq_t line;
    uint64_t cfg0;
    uint32_t cfg1, abt;
    switch (src) {
    case SMMU_SRC_EVENTQ:
        en = (uint32_t)SMMU_IRQ_CTRL_EVENTQ_IRQEN;
        line = SMMU_IRQ_EVENTQ;
        cfg0 = r->eventq_irq_cfg0;
        cfg1 = r->eventq_irq_cfg1;
        abt = (uint32_t)SMMU_GERROR_MSI_EVENTQ_ABT_ERR;
        break;
    case SMMU_SRC_PRIQ:
        en = (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN;
        line = SMMU_IRQ_PRIQ;
        cfg0 = r->priq_irq_cfg0;
        cfg1 = r->priq_irq_cfg1;
        abt = (uint32_t)SMMU_GERROR_MSI_PRIQ_ABT_ERR;
        break;
    default:
        en = (uint32_t)SMMU_IRQ_CTRL_GERROR_IRQEN;
        line = SMMU_IRQ_GERROR;
        cfg0 = r->gerror_irq_cfg0;
        cfg1 = r->gerror_irq_cfg1;
        abt = (uint32_t)SMMU_GERROR_MSI_GERROR_ABT_ERR;
        break;
    }
    if (!(r->irq_ctrlack & en))
        return;
    smmu_irq_pulse(s, line);
    /* IRQ_CFG0.ADDR is stored truncated to the OAS (regs.c). */
    if (smmu_msi_send(s, cfg0, cfg1, SMMU_ACC_MSI))
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

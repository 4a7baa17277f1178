/* SMMU register file, Non-secure programming interface (6.2, 6.3). */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

#include <stdint.h>

#include "smmu/smmu.h"

/* Raw register state. Values are as software reads them; the *_ack fields
 * hold the effective (acknowledged) state that the rest of the core uses. */
typedef struct smmu_regs {
    uint32_t idr[6], iidr, aidr; /* computed from the configuration at reset */
    uint32_t cr0, cr0ack, cr1, cr2;
    uint32_t gbpa, agbpa;
    uint32_t irq_ctrl, irq_ctrlack;
    uint32_t gerror, gerrorn;
    uint64_t gerror_irq_cfg0;
    uint32_t gerror_irq_cfg1, gerror_irq_cfg2;
    uint64_t strtab_base;
    uint32_t strtab_base_cfg;
    uint64_t cmdq_base;
    uint32_t cmdq_prod, cmdq_cons;
    uint64_t eventq_base;
    uint32_t eventq_prod, eventq_cons;
    uint64_t eventq_irq_cfg0;
    uint32_t eventq_irq_cfg1, eventq_irq_cfg2;
    uint64_t priq_base;
    uint32_t priq_prod, priq_cons;
    uint64_t priq_irq_cfg0;
    uint32_t priq_irq_cfg1, priq_irq_cfg2;
    uint8_t cmdq_busy; /* re-entrancy guard for smmu_cmdq_consume */
} smmu_regs_t;

/* Reset values (6.3: every register's reset behaviour). */
void smmu_regs_reset(smmu_t *s);
/* Build IDR0-5/IIDR/AIDR from the configuration. */
void smmu_regs_build_idr(const smmu_config_t *cfg, smmu_regs_t *r);

smmu_status_t smmu_regs_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val);
smmu_status_t smmu_regs_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size);

/* Raise a global error (7.5): toggles GERROR bit(s) `bits` that are not
 * already active (GERROR != GERRORN for that bit) and signals the GERROR
 * interrupt when enabled. */
void smmu_gerror_raise(smmu_t *s, uint32_t bits);
/* True while the GERROR bit is active (GERROR[b] != GERRORN[b]). */
int smmu_gerror_active(const smmu_t *s, uint32_t bit);

/* Effective queue size log2(entries): MIN(BASE.LOG2SIZE, IDR1.xQS)
 * (6.3.26, 6.3.29, 6.3.33). */
unsigned smmu_cmdq_log2size(const smmu_t *s);
unsigned smmu_eventq_log2size(const smmu_t *s);
/* Effective queue base PA: ADDR[55:5] truncated to the OAS and aligned to
 * the larger of the queue size in bytes and 32 (6.3.26, 6.3.29). */
uint64_t smmu_queue_base(const smmu_t *s, uint64_t base_reg, unsigned log2size,
                         unsigned entry_bytes);

/* Interrupt sources of 3.18.2 that go through IRQ_CTRL and *_IRQ_CFG0-2. */
typedef enum smmu_irq_src {
    SMMU_SRC_EVENTQ = 0,
    SMMU_SRC_PRIQ = 1,
    SMMU_SRC_GERROR = 2,
} smmu_irq_src_t;
/* Signal an interrupt source whose IRQEN is acknowledged: a wired pulse
 * through ops.raise_irq (if provided) and, when IDR0.MSI == 1 and the
 * source's IRQ_CFG0.ADDR != 0, an MSI write of IRQ_CFG1 to that address
 * (3.18). An aborted MSI raises the matching GERROR.MSI_*_ABT_ERR. Does
 * nothing when the source's IRQEN is not acknowledged. */
void smmu_irq_signal(smmu_t *s, smmu_irq_src_t src);

#endif

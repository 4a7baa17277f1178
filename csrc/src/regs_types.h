/* SPDX-License-Identifier: Apache-2.0 */
/* Register-file state of the Non-secure programming interface (6.2, 6.3):
 * types only, so that the instance structure (smmu_internal.h) can hold it
 * without depending on the register code. Functions are in regs.h. */
#ifndef SMMU_REGS_TYPES_H
#define SMMU_REGS_TYPES_H

#include <stdint.h>

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
    /* Service Failure Mode (12.3; smmu_inject_sfm): every transaction
     * aborts, no command is consumed, no queue written. Not a register:
     * GERRORN does not clear it, only smmu_reset (regs reset) does. */
    uint8_t sfm;
} smmu_regs_t;

#endif

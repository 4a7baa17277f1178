/* SPDX-License-Identifier: Apache-2.0 */
/* Global errors (7.5), interrupt sources and their signalling: IRQ_CTRL,
 * wired interrupts and MSIs (3.18). */
#ifndef SMMU_IRQ_H
#define SMMU_IRQ_H

#include <stdint.h>

#include "smmu/smmu.h"

/* GERROR bits implemented in this configuration (6.3.17): CMDQ_ERR,
 * EVENTQ_ABT_ERR, SFM_ERR; PRIQ_ABT_ERR with PRI; the MSI_*_ABT_ERR bits
 * with MSI. GERRORN writes are masked with it too (6.3.18). */
uint32_t smmu_gerror_mask(const smmu_t *s);

/* Raise a global error (7.5): toggles GERROR bit(s) `bits` that are
 * implemented and not already active (GERROR != GERRORN for that bit) and
 * signals the GERROR interrupt when a newly active bit is not
 * MSI_GERROR_ABT_ERR (7.5.1). */
void smmu_gerror_raise(smmu_t *s, uint32_t bits);
/* True while the GERROR bit is active (GERROR[b] != GERRORN[b]). */
int smmu_gerror_active(const smmu_t *s, uint32_t bit);

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

/* One pulse on a wired interrupt line (ops.raise_irq, when provided). */
void smmu_irq_pulse(smmu_t *s, smmu_irq_t line);

/* The effective attributes of an MSI from source src configured with
 * Shareability sh (IRQ_CFG2.SH or CMD_SYNC MSH) and memory type memattr
 * (IRQ_CFG2.MemAttr or CMD_SYNC MSIAttr): Reserved encodings replaced,
 * Device and Normal iNC-oNC forced to Outer Shareable (3.18, 13.1). */
void smmu_msi_attr_make(smmu_msi_attr_t *a, smmu_msi_source_t src, unsigned sh,
                        unsigned memattr);

/* An MSI (3.18): when IDR0.MSI == 1 and addr != 0, a write of data to addr
 * truncated to the OAS (ADDR[OAS-1:2]): through ops.msi_write with *attr
 * when the embedder gives it, else a 4-byte little-endian ops.write of
 * kind SMMU_ACC_MSI (SMMU_ACC_SYNC for the CMD_SYNC source). Returns 0
 * when sent or not sent, 1 when the write aborted (the caller raises its
 * GERROR.MSI_*_ABT_ERR). */
int smmu_msi_send(smmu_t *s, uint64_t addr, uint32_t data, const smmu_msi_attr_t *attr);

#endif

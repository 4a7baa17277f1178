/* SPDX-License-Identifier: Apache-2.0 */
/* SMMU register file, Non-secure programming interface (6.2, 6.3). */
#ifndef SMMU_REGS_H
#define SMMU_REGS_H

#include <stdint.h>

#include "regs_types.h"
#include "smmu/smmu.h"

/* Reset values (6.3: every register's reset behaviour). */
void smmu_regs_reset(smmu_t *s);
/* Build IDR0-5/IIDR/AIDR from the configuration. */
void smmu_regs_build_idr(const smmu_config_t *cfg, smmu_regs_t *r);

/* MMIO access (size 4 or 8, already checked by smmu_mmio_read/write). A
 * write of CMDQ_PROD, of CR0 enabling CMDQEN or of GERRORN acknowledging
 * CMDQ_ERR consumes commands (cmdq.h) before it returns. */
smmu_status_t smmu_regs_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val);
smmu_status_t smmu_regs_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size);

#endif

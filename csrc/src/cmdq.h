/* SPDX-License-Identifier: Apache-2.0 */
/* Command queue consumer (4.1-4.7, 7.1). */
#ifndef SMMU_CMDQ_H
#define SMMU_CMDQ_H

#include "smmu/smmu.h"

/* Consume commands from CMDQ_CONS up to CMDQ_PROD while CMDQEN is
 * acknowledged and no CMDQ error is pending. Called after writes to
 * CMDQ_PROD, CR0 (CMDQEN) and GERRORN. Invalidations go to the caches
 * through cfgcache.h (and later tlb.h). */
void smmu_cmdq_consume(smmu_t *s);

#endif

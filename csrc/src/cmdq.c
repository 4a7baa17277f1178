/* STUB: replaced by the command-queue implementation. */
#include "cmdq.h"
#include "smmu_internal.h"
void smmu_cmdq_consume(smmu_t *s) { (void)s; }

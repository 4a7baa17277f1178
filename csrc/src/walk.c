/* STUB: the walker lands next. */
#include "smmu_internal.h"
#include "walk.h"
int smmu_walk(smmu_t *s, const smmu_walk_cfg_t *cfg, const smmu_walk_cfg_t *s2, uint64_t ia, smmu_walk_out_t *out)
{ (void)s; (void)cfg; (void)s2; (void)ia; memset(out, 0, sizeof(*out)); out->fault = SMMU_EVT_F_TRANSLATION; return out->fault; }

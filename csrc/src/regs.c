/* STUB: replaced by the register-file implementation. */
#include "smmu_internal.h"
void smmu_regs_reset(smmu_t *s) { memset(&s->regs, 0, sizeof(s->regs)); smmu_regs_build_idr(&s->cfg, &s->regs); }
void smmu_regs_build_idr(const smmu_config_t *cfg, smmu_regs_t *r) { (void)cfg; (void)r; }
smmu_status_t smmu_regs_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val) { (void)s; (void)off; (void)size; *val = 0; return SMMU_OK; }
smmu_status_t smmu_regs_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size) { (void)s; (void)off; (void)val; (void)size; return SMMU_OK; }
void smmu_gerror_raise(smmu_t *s, uint32_t bits) { (void)s; (void)bits; }
int smmu_gerror_active(const smmu_t *s, uint32_t bit) { (void)s; (void)bit; return 0; }

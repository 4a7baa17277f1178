/* STUB: replaced by the stream-table implementation. */
#include "strtab.h"
#include "smmu_internal.h"
int smmu_ste_fetch(smmu_t *s, uint32_t sid, uint64_t raw[8], smmu_event_t *ev)
{
    (void)ev;
    return smmu_mem_read_words(s, (s->regs.strtab_base & SMMU_MASK(51, 6)) + 64ull * sid, raw, 8, SMMU_ACC_STE) ? SMMU_EVT_F_STE_FETCH : 0;
}
int smmu_ste_decode(const smmu_t *s, const uint64_t raw[8], smmu_ste_t *out, uint32_t *reason) { (void)s; (void)raw; memset(out, 0, sizeof(*out)); *reason = SMMU_STE_ILL_OTHER; return SMMU_EVT_C_BAD_STE; }

/* STUB: replaced by the context-descriptor implementation. */
#include "cd.h"
#include "smmu_internal.h"
smmu_cd_sel_t smmu_cd_select(const smmu_ste_t *ste, uint32_t sid, int ssv, uint32_t ssid, uint32_t *index, smmu_event_t *ev) { (void)ste; (void)sid; (void)ssv; (void)ev; *index = ssv ? ssid : 0; return SMMU_CD_USE; }
int smmu_cd_fetch(smmu_t *s, const smmu_ste_t *ste, uint32_t sid, uint32_t index, uint64_t raw[8], smmu_event_t *ev) { (void)sid; (void)ev; return smmu_mem_read_words(s, ste->s1ctxptr + 64ull * index, raw, 8, SMMU_ACC_CD) ? SMMU_EVT_F_CD_FETCH : 0; }
int smmu_cd_decode(const smmu_t *s, const smmu_ste_t *ste, const uint64_t raw[8], smmu_cd_t *out, uint32_t *reason) { (void)s; (void)ste; (void)raw; memset(out, 0, sizeof(*out)); *reason = SMMU_CD_ILL_OTHER; return SMMU_EVT_C_BAD_CD; }

/* STUB: the translation procedure lands next. */
#include "smmu_internal.h"
#include "translate.h"
int smmu_nested_ipa_to_pa(smmu_t *s, const smmu_ste_t *ste, uint64_t ipa, uint8_t cls, uint64_t *pa, smmu_event_t *ev)
{ (void)s; (void)ste; (void)cls; (void)ev; *pa = ipa; return 0; }
smmu_status_t smmu_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{ if (!s || !req || !resp) return SMMU_ERR_INVAL; memset(resp, 0, sizeof(*resp)); resp->outcome = SMMU_XLATE_ABORT; return SMMU_OK; }

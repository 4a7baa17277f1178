/* SPDX-License-Identifier: Apache-2.0 */
/* A PCIe endpoint's Address Translation Cache (ATC) for the tools and the
 * tests (not part of libsmmu): filled from successful ATS Translation
 * Completions (smmu_response_t.ats_status == SMMU_ATS_SUCCESS), emptied by
 * ATS Invalidate Requests (smmu_mem_ops_t.on_atc_inv, CMD_ATC_INV 4.5.1).
 *
 * Invalidation rule (PCIe ATS, as 4.5.1 describes the request): without a
 * PASID every entry of the StreamID overlapping the range goes, PASID-tagged
 * ones too; with a PASID only the entries of that PASID (and, with the
 * Global flag, the Global entries of every PASID). Each StreamID answers
 * invalidations as configured (smmu_ep_set_inv_result); every request is
 * logged, answered or not. */
#ifndef SMMU_EP_ATC_H
#define SMMU_EP_ATC_H

#include <stdint.h>

#include "smmu/smmu.h"

#ifdef __cplusplus
extern "C" {
#endif

#define SMMU_EP_ATC_MAX 256u   /* entries (oldest replaced when full) */
#define SMMU_EP_LOG_MAX 256u   /* invalidation requests logged */
#define SMMU_EP_SIDS_MAX 16u   /* StreamIDs with a configured answer */

/* One cached translation: [addr, addr + size) of (sid, PASID) to pa. */
typedef struct smmu_ep_entry {
    uint32_t sid, ssid;
    uint8_t ssv;
    uint8_t perms;  /* SMMU_PERM_R/W/X granted */
    uint8_t flags;  /* SMMU_ATS_FLAG_* */
    uint64_t addr;  /* untranslated address, aligned to size */
    uint64_t size;  /* bytes (a power of two; 0 = 2^64) */
    uint64_t pa;    /* translated address of addr */
} smmu_ep_entry_t;

typedef struct smmu_ep {
    smmu_ep_entry_t atc[SMMU_EP_ATC_MAX];
    unsigned n;
    smmu_atc_inv_t log[SMMU_EP_LOG_MAX]; /* invalidations received, in order */
    unsigned log_n;                      /* how many (saturates at SMMU_EP_LOG_MAX) */
    unsigned log_seen;                   /* consumer's mark (smmu-replay) */
    struct {
        uint32_t sid;
        int result;                      /* smmu_atc_inv_result_t */
    } answer[SMMU_EP_SIDS_MAX];
    unsigned answers;
} smmu_ep_t;

void smmu_ep_init(smmu_ep_t *ep);
/* Cache the completion of a Translation Request req (Success with some
 * permission only; an entry for the same sid, PASID and range is
 * replaced). Returns 1 when an entry was added. */
int smmu_ep_fill(smmu_ep_t *ep, const smmu_request_t *req, const smmu_response_t *resp);
/* Apply an ATS Invalidate Request; returns the answer configured for its
 * StreamID (SMMU_ATC_INV_OK by default). UR and NO_RESPONSE leave the ATC
 * unchanged (the endpoint did not perform it). Logged either way. */
int smmu_ep_invalidate(smmu_ep_t *ep, const smmu_atc_inv_t *inv);
/* The answer StreamID sid gives from now on. Returns 0, or -1 when
 * SMMU_EP_SIDS_MAX StreamIDs already have one. */
int smmu_ep_set_inv_result(smmu_ep_t *ep, uint32_t sid, int result);
/* smmu_mem_ops_t.on_atc_inv with ctx = the smmu_ep_t. */
int smmu_ep_on_atc_inv(void *ctx, const smmu_atc_inv_t *inv);
/* The entry translating (sid, ssv, ssid, addr), or NULL. */
const smmu_ep_entry_t *smmu_ep_lookup(const smmu_ep_t *ep, uint32_t sid, int ssv, uint32_t ssid,
                                      uint64_t addr);

#ifdef __cplusplus
}
#endif

#endif

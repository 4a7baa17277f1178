/* SPDX-License-Identifier: Apache-2.0 */
/* PCIe ATS (3.9.1, 13.6, 13.7): Translation Requests and Translated
 * transactions, with their own policy over the shared configuration and
 * resolution stages (config.h, resolve.h), and the ATS Invalidate Requests
 * of CMD_ATC_INV (4.5.1). docs/ats.md lists the model's choices. */
#ifndef SMMU_ATS_H
#define SMMU_ATS_H

#include "smmu/smmu.h"

#include "smmu_internal.h"

/* A transaction with req->ats != SMMU_ATS_UNTRANSLATED on an SMMU with
 * IDR0.ATS == 1 (translate.c has zeroed *resp and counted it). Always
 * SMMU_OK. */
smmu_status_t smmu_ats_transaction(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);

/* CMD_ATC_INV (4.5.1), decoded: sends the invalidation to the endpoint
 * (ops.on_atc_inv) unless the command is IGNORED; a request that is never
 * answered is remembered until the next CMD_SYNC. */
void smmu_ats_atc_inv(smmu_t *s, uint32_t sid, int ssv, uint32_t ssid, int global, uint64_t addr,
                      unsigned size);

/* CMD_SYNC (4.7.3, 3.9.1.4): 1 when an ATS invalidation it waits for was
 * never answered: the CMD_SYNC fails with CERROR_ATC_INV_SYNC. The lost
 * invalidations are then forgotten (docs/ats.md): the CMD_SYNC, retried
 * after GERRORN, completes. */
int smmu_ats_sync_check(smmu_t *s);

#endif

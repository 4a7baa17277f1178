/* Configuration lookup of the translation procedure (3.3.2): the StreamID's
 * STE and the CD a transaction uses, from the configuration cache, else
 * fetched (strtab.c, cd.c) and decoded. Nothing here terminates: a failure
 * comes back as a fault record for fault.c. */
#ifndef SMMU_CONFIG_H
#define SMMU_CONFIG_H

#include <stdint.h>

#include "cd.h"
#include "fault.h"
#include "smmu/smmu.h"
#include "strtab.h"

/* The decoded STE of req->sid (cached entry, or *tmp), or NULL with *f:
 * C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE (7.3.3-7.3.5); type 0 for an
 * aborting STE.Config (5.2: no event); C_BAD_SUBSTREAMID for a
 * SubstreamID without stage 1 (3.3.2, 7.3.9). */
const smmu_ste_t *smmu_config_ste(smmu_t *s, const smmu_request_t *req, smmu_ste_t *tmp,
                                  smmu_fault_t *f);

/* CD selection and lookup for a stage-1 STE (5.2 S1DSS, S1CDMax; 5.3,
 * 5.4): returns 0 with *cd the decoded CD (cached, or *tmp), or *cd NULL
 * for S1DSS = bypass; else 1 with *f: F_STREAM_DISABLED,
 * C_BAD_SUBSTREAMID, F_CD_FETCH, C_BAD_CD, or a stage-2 fault of the CD
 * fetch (CLASS = CD). */
int smmu_config_cd(smmu_t *s, const smmu_ste_t *ste, const smmu_request_t *req, smmu_cd_t *tmp,
                   const smmu_cd_t **cd, smmu_fault_t *f);

#endif

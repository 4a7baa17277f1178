/* SPDX-License-Identifier: Apache-2.0 */
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

#include "smmu_internal.h"

/* Out-of-line halves of the two lookups below (config.c). */
const smmu_ste_t *smmu_config_ste_fetch(smmu_t *s, uint32_t sid, smmu_ste_t *tmp,
                                        smmu_fault_t *f);
int smmu_config_cd_select(smmu_t *s, const smmu_ste_t *ste, const smmu_request_t *req,
                          smmu_cd_t *tmp, const smmu_cd_t **cd, smmu_fault_t *f);

/* The decoded STE of req->sid (cached entry, or *tmp), or NULL with *f:
 * C_BAD_STREAMID, F_STE_FETCH, C_BAD_STE (7.3.3-7.3.5); type 0 for an
 * aborting STE.Config (5.2: no event); C_BAD_SUBSTREAMID for a
 * SubstreamID without stage 1 (3.3.2, 7.3.9). Inline: a configuration
 * cache hit stays in the caller. */
static inline const smmu_ste_t *smmu_config_ste(smmu_t *s, const smmu_request_t *req,
                                                smmu_ste_t *tmp, smmu_fault_t *f)
{
    const smmu_ste_t *ste;
    smmu_cfg_entry_t *e = smmu_cfgcache_lookup(&s->cfgc, req->sid);
    if (e) {
        s->stats.cfg_cache_hits++;
        ste = &e->ste;
    } else {
        ste = smmu_config_ste_fetch(s, req->sid, tmp, f);
        if (!ste)
            return NULL;
    }
    if (ste->abort) { /* 5.2: Config 0b000 aborts without an event */
        *f = smmu_fault_of(0, 0, 0);
        return NULL;
    }
    if (req->ssv && !ste->s1_enabled) {
        /* 3.3.2, 7.3.9: a SubstreamID without stage 1 (Config 0b1x0). */
        *f = smmu_fault_of(SMMU_EVT_C_BAD_SUBSTREAMID, 0, 0);
        f->ssid = req->ssid;
        return NULL;
    }
    return ste;
}

/* CD selection and lookup for a stage-1 STE (5.2 S1DSS, S1CDMax; 5.3,
 * 5.4): returns 0 with *cd the decoded CD (cached, or *tmp), or *cd NULL
 * for S1DSS = bypass; else 1 with *f: F_STREAM_DISABLED,
 * C_BAD_SUBSTREAMID, F_CD_FETCH, C_BAD_CD, or a stage-2 fault of the CD
 * fetch (CLASS = CD). Inline: one CD, no SubstreamID, cached, stays in the
 * caller. */
static inline int smmu_config_cd(smmu_t *s, const smmu_ste_t *ste, const smmu_request_t *req,
                                 smmu_cd_t *tmp, const smmu_cd_t **cd, smmu_fault_t *f)
{
    if (!req->ssv && !ste->s1cdmax) { /* one CD, no SubstreamID: CD 0 */
        smmu_cd_entry_t *e = smmu_cfgcache_cd_lookup(&s->cfgc, req->sid, 0);
        if (e) {
            s->stats.cfg_cache_hits++;
            *cd = &e->cd;
            return 0;
        }
    }
    return smmu_config_cd_select(s, ste, req, tmp, cd, f);
}

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Configuration lookup (3.3.2, 3.17, 4.3): configuration cache, else STE
 * fetch and decode (strtab.c), then CD selection, fetch and decode (cd.c). */
#include "config.h"

#include "smmu_internal.h"

const smmu_ste_t *smmu_config_ste_fetch(smmu_t *s, uint32_t sid, smmu_ste_t *tmp,
                                        smmu_fault_t *f)
{
    s->stats.cfg_cache_misses++;
    uint64_t raw[8];
    smmu_event_t ev;
    memset(&ev, 0, sizeof(ev));
    s->stats.ste_fetches++;
    int t = smmu_ste_fetch(s, sid, raw, &ev);
    if (t) {
        ev.type = (uint8_t)t;
        smmu_fault_from_event(f, &ev);
        return NULL;
    }
    uint32_t reason = 0;
    if (smmu_ste_decode(s, raw, tmp, &reason)) {
        *f = smmu_fault_of(SMMU_EVT_C_BAD_STE, 0, 0);
        f->reason = reason;
        return NULL;
    }
    smmu_cfg_entry_t *e = smmu_cfgcache_slot(&s->cfgc, sid);
    if (e) {
        e->ste = *tmp;
        e->valid = 1;
        return &e->ste;
    }
    return tmp;
}

/* The decoded CD `index` of a stage-1 STE, or NULL with *f. */
static const smmu_cd_t *lookup_cd(smmu_t *s, const smmu_ste_t *ste, uint32_t sid, uint32_t index,
                                  smmu_cd_t *tmp, smmu_fault_t *f)
{
    smmu_cd_entry_t *e = smmu_cfgcache_cd_lookup(&s->cfgc, sid, index);
    if (e) {
        s->stats.cfg_cache_hits++;
        return &e->cd;
    }
    uint64_t raw[8];
    smmu_event_t ev;
    memset(&ev, 0, sizeof(ev));
    s->stats.cd_fetches++;
    int t = smmu_cd_fetch(s, ste, sid, index, raw, &ev);
    if (t) {
        /* A stage-2 fault of the fetch has S2 = 1 (fault.c: STE.S2R). */
        ev.type = (uint8_t)t;
        smmu_fault_from_event(f, &ev);
        return NULL;
    }
    uint32_t reason = 0;
    if (smmu_cd_decode(s, ste, raw, tmp, &reason)) {
        *f = smmu_fault_of(SMMU_EVT_C_BAD_CD, 0, 0);
        f->reason = reason;
        return NULL;
    }
    /* Cache it only while the STE it came through is cached: CFGI_STE
     * removes the STE and every CD cached through it together (4.3.1). */
    e = smmu_cfgcache_lookup(&s->cfgc, sid) ? smmu_cfgcache_cd_slot(&s->cfgc, sid, index) : NULL;
    if (e) {
        e->cd = *tmp;
        e->valid = 1;
        return &e->cd;
    }
    return tmp;
}

int smmu_config_cd_select(smmu_t *s, const smmu_ste_t *ste, const smmu_request_t *req,
                          smmu_cd_t *tmp, const smmu_cd_t **cd, smmu_fault_t *f)
{
    uint32_t index = 0;
    smmu_cd_sel_t sel = SMMU_CD_USE; /* one CD, no SubstreamID: CD 0 */
    *cd = NULL;
    if (req->ssv || ste->s1cdmax) {
        smmu_event_t ev;
        memset(&ev, 0, sizeof(ev));
        sel = smmu_cd_select(ste, req->sid, req->ssv, req->ssid, &index, &ev);
        if (sel == SMMU_CD_FAULT) {
            smmu_fault_from_event(f, &ev);
            return 1;
        }
    }
    if (sel == SMMU_CD_USE) {
        *cd = lookup_cd(s, ste, req->sid, index, tmp, f);
        if (!*cd)
            return 1;
    }
    return 0;
}

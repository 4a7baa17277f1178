/* SPDX-License-Identifier: Apache-2.0 */
/* Side-effect-free translation for debuggers and DMI (smmu_translate_debug,
 * smmu.h): the 3.3 procedure of translate.c, read only. Configuration from
 * the configuration cache when it holds it, else fetched and decoded into
 * locals (never cached); both stages walked with a walker context without
 * flags (walk.h: no cache, statistic or HTTU write); no event, no TLB fill,
 * no statistic, no register change. */
#include <string.h>

#include "config.h"
#include "debug.h"
#include "perm.h"
#include "resolve.h"
#include "smmu_internal.h"
#include "walk.h"

/* Memory writes refused while a debug translation runs: the only write the
 * read-only path could reach is a hardware update of a stage-2 descriptor
 * mapping a nested CD fetch (smmu_nested_ipa_to_pa), which then fails. */
static smmu_mem_result_t refuse_write(void *ctx, uint64_t pa, const void *buf, uint32_t len,
                                      smmu_access_kind_t kind, uint32_t *latency)
{
    (void)ctx, (void)pa, (void)buf, (void)len, (void)kind, (void)latency;
    return SMMU_MEM_ABORT;
}

/* The decoded STE of sid, from the configuration cache or fetched. */
static const smmu_ste_t *dbg_ste(smmu_t *s, uint32_t sid, smmu_ste_t *tmp, uint8_t *ev, int fresh)
{
    smmu_cfg_entry_t *e = fresh ? NULL : smmu_cfgcache_lookup(&s->cfgc, sid);
    if (e)
        return &e->ste;
    uint64_t raw[8];
    smmu_event_t fe;
    memset(&fe, 0, sizeof(fe));
    int t = smmu_ste_fetch(s, sid, raw, &fe);
    uint32_t reason = 0;
    if (!t && smmu_ste_decode(s, raw, tmp, &reason))
        t = SMMU_EVT_C_BAD_STE;
    *ev = (uint8_t)t;
    return t ? NULL : tmp;
}

/* The CD of the transaction (NULL with *ev == 0: stage-1 bypass). */
static const smmu_cd_t *dbg_cd(smmu_t *s, const smmu_ste_t *ste, const smmu_request_t *req,
                               smmu_cd_t *tmp, uint8_t *ev, int fresh)
{
    uint32_t index = 0;
    smmu_event_t fe;
    memset(&fe, 0, sizeof(fe));
    *ev = 0;
    if (req->ssv || ste->s1cdmax) {
        smmu_cd_sel_t sel = smmu_cd_select(ste, req->sid, req->ssv, req->ssid, &index, &fe);
        if (sel == SMMU_CD_FAULT) {
            *ev = fe.type;
            return NULL;
        }
        if (sel == SMMU_CD_S1_BYPASS)
            return NULL;
    }
    smmu_cd_entry_t *e = fresh ? NULL : smmu_cfgcache_cd_lookup(&s->cfgc, req->sid, index);
    if (e)
        return &e->cd;
    uint64_t raw[8];
    int t = smmu_cd_fetch(s, ste, req->sid, index, raw, &fe);
    uint32_t reason = 0;
    if (!t && smmu_cd_decode(s, ste, raw, tmp, &reason))
        t = SMMU_EVT_C_BAD_CD;
    *ev = (uint8_t)(t ? t : 0);
    return t ? NULL : tmp;
}

/* Walk one stage without side effects; 0 or the fault type. Sets *af when
 * the leaf has AF == 0 (only returned so with HA: a real access would set
 * it, 3.13.2). */
static int dbg_walk(smmu_t *s, const smmu_walk_cfg_t *cfg, const smmu_walk_cfg_t *s2, uint64_t ia,
                    smmu_walk_out_t *w, unsigned *af)
{
    smmu_walk_ctx_t ctx;
    memset(&ctx, 0, sizeof(ctx));
    ctx.cfg = cfg;
    ctx.s2 = s2;
    ctx.flags = 0;
    if (smmu_walk(s, &ctx, ia, w))
        return w->fault ? w->fault : SMMU_EVT_F_TRANSLATION;
    if (!(w->desc & SMMU_BIT(10)))
        *af = 1;
    return 0;
}

/* The procedure proper; the caller restores statistics and callbacks. */
static void dbg_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *r, int fresh)
{
    unsigned priv = req->priv ? 1 : 0;
    if (req->pcie && !req->ssv)
        priv = 0; /* 13.7: no PASID => Unprivileged Data */
    r->outcome = SMMU_XLATE_ABORT;
    if ((req->secure && s->cfg.secure_req_abort))
        return;
    if (req->ats != SMMU_ATS_UNTRANSLATED) {
        /* Not modelled by the debug path (docs/ats.md): F_UUT without ATS. */
        r->event = s->cfg.ats ? 0 : SMMU_EVT_F_UUT;
        return;
    }
    uint64_t pa;
    unsigned perms = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, shift = 12, af = 0;
    if (!smmu_is_enabled(s)) { /* GBPA (6.3.14) */
        if ((s->regs.gbpa & SMMU_GBPA_ABORT) || (req->addr >> s->oas_bits))
            return;
        pa = req->addr;
    } else {
        smmu_ste_t ste_tmp;
        uint8_t ev = 0;
        const smmu_ste_t *ste = dbg_ste(s, req->sid, &ste_tmp, &ev, fresh);
        if (!ste || ste->abort) {
            r->event = ev;
            return;
        }
        if (req->ssv && !ste->s1_enabled) {
            r->event = SMMU_EVT_C_BAD_SUBSTREAMID;
            return;
        }
        if (ste->privcfg >= 2) /* STE.PRIVCFG override (5.2) */
            priv = ste->privcfg & 1;
        smmu_cd_t cd_tmp;
        const smmu_cd_t *cd = NULL;
        if (ste->s1_enabled) {
            cd = dbg_cd(s, ste, req, &cd_tmp, &ev, fresh);
            if (ev) {
                r->event = ev;
                return;
            }
        }
        uint64_t ipa = req->addr;
        smmu_walk_out_t w;
        shift = 64;
        if (cd) { /* stage 1 */
            int reg = smmu_s1_region(cd, req->addr);
            if (reg < 0 || (!priv && (reg ? cd->e0pd1 : cd->e0pd0))) {
                r->event = SMMU_EVT_F_TRANSLATION;
                return;
            }
            const smmu_walk_cfg_t *tt = &cd->tt[reg];
            int f = dbg_walk(s, tt, ste->s2_enabled ? &ste->s2 : NULL,
                             req->addr & SMMU_MASK(tt->ia_bits - 1, 0), &w, &af);
            if (f) {
                r->event = (uint8_t)f;
                return;
            }
            smmu_perm_leaf_t l = {w.desc, w.ap_table, w.uxn_table, w.pxn_table};
            unsigned both = ste->streamworld == SMMU_SW_NS_EL2 ? smmu_perm_s1_both_el2(&l, cd->wxn)
                                                               : smmu_perm_s1_both(&l, cd->wxn, cd->pan);
            perms &= (both >> (4 * priv)) & 7;
            shift = w.size_shift;
            r->memattr = (uint8_t)(cd->mair >> (8 * SMMU_GET(w.desc, 4, 2)));
            r->sh = (uint8_t)SMMU_GET(w.desc, 9, 8);
            ipa = w.oa;
        } else if (req->addr >= (1ull << s->ias_bits)) {
            r->event = SMMU_EVT_F_ADDR_SIZE;
            return;
        }
        if (ste->s2_enabled) {
            unsigned af2 = 0;
            int f = dbg_walk(s, &ste->s2, NULL, ipa, &w, &af2);
            if (f) {
                r->event = (uint8_t)f;
                return;
            }
            af |= af2;
            perms &= (smmu_perm_s2_both(w.desc, s->cfg.xnx) >> (4 * priv)) & 7;
            if (w.size_shift < shift)
                shift = w.size_shift;
            if (!cd) {
                r->memattr = (uint8_t)SMMU_GET(w.desc, 5, 2);
                r->sh = (uint8_t)SMMU_GET(w.desc, 9, 8);
            }
            pa = w.oa;
        } else {
            pa = ipa & ((1ull << s->oas_bits) - 1);
        }
        if (shift == 64)
            shift = 12; /* both stages bypass */
    }
    r->outcome = SMMU_XLATE_OK;
    r->pa = pa;
    r->perms = (uint8_t)(perms | (af ? SMMU_PERM_HTTU : 0));
    r->ns = 1;
    r->page_size = 1ull << shift;
    r->page_base = req->addr & ~(r->page_size - 1);
}

/* The same from memory only (debug.h): no configuration cache either. */
void smmu_translate_fresh(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->done_cycle = req->cycle;
    smmu_stats_t saved = s->stats;
    smmu_mem_ops_t ops = s->ops;
    s->ops.write = refuse_write;
    s->ops.cas64 = NULL;
    dbg_translate(s, req, resp, 1);
    s->ops = ops;
    s->stats = saved;
}

smmu_status_t smmu_translate_debug(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    if (!s || !req || !resp)
        return SMMU_ERR_INVAL;
    memset(resp, 0, sizeof(*resp));
    resp->done_cycle = req->cycle;
    smmu_stats_t saved = s->stats;
    smmu_mem_ops_t ops = s->ops;
    s->ops.write = refuse_write;
    s->ops.cas64 = NULL;
    dbg_translate(s, req, resp, 0);
    s->ops = ops;
    s->stats = saved;
    return SMMU_OK;
}

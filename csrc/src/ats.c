/* SPDX-License-Identifier: Apache-2.0 */
/* PCIe ATS (IHI 0070 G.b 3.9.1, 13.6, 13.7; CMD_ATC_INV 4.5.1).
 *
 * Translation Requests (3.9.1.2) run the ordinary configuration lookup
 * (config.h) and resolution (resolve.h) with their own policy: nothing
 * stalls, translation-related faults become a Success with no access, a
 * configuration error a Completer Abort recorded only with
 * CR2.REC_CFG_ATS, and the permissions granted are computed as in the
 * 13.7.1 pseudocode. Translated transactions (3.9.1.3) pass, are refused
 * (F_TRANSL_FORBIDDEN) or, with STE.EATS == 0b10, take a stage-2
 * translation of their IPA. The model's choices are in docs/ats.md. */
#include "ats.h"

#include "config.h"
#include "fault.h"
#include "perm.h"
#include "resolve.h"

/* The Smallest Translation Unit: the smallest granule of IDR5 (3.9.1). */
static unsigned stu_shift(const smmu_t *s)
{
    return s->cfg.gran4k ? 12u : s->cfg.gran16k ? 14u : 16u;
}

static int rec_cfg_ats(const smmu_t *s)
{
    return (s->regs.cr2 & SMMU_CR2_REC_CFG_ATS) != 0;
}

static int atschk(const smmu_t *s)
{
    return (s->regs.cr0ack & SMMU_CR0_ATSCHK) != 0;
}

/* Effective STE.EATS (5.2, 3.9.2): with ATSCHK == 0 the encodings 0b1x
 * read as 0b00 (3.9.1.2 table note); 0b11 (DPT, not implemented) behaves
 * as 0b01, as 3.9.1.3 says for Full ATS. */
static unsigned eats_of(const smmu_t *s, const smmu_ste_t *ste)
{
    unsigned e = ste->eats;
    if ((e & 2) && !atschk(s))
        return 0;
    return e == 3 ? 1u : e;
}

/* 3.3: the translation-related faults. For an ATS Translation Request
 * they give Success with R == W == 0, whichever stage found them (a
 * stage-2 fault of a CD fetch or table walk included; 3.9.1.2). */
static int translation_related(unsigned type)
{
    return type == SMMU_EVT_F_TRANSLATION || type == SMMU_EVT_F_ADDR_SIZE ||
           type == SMMU_EVT_F_ACCESS || type == SMMU_EVT_F_PERMISSION;
}

/* ---- Translation Requests (3.9.1.2) ------------------------------------- */

/* UR (3.9.1.2 first table). With bad: F_BAD_ATS_TREQ (7.3.6), recorded
 * unless the stream is Secure (no Secure event queue in this model). */
static smmu_status_t tr_ur(smmu_t *s, smmu_xlate_t *x, int bad, uint8_t why)
{
    smmu_status_t st;
    if (bad) {
        smmu_fault_t f = smmu_fault_of(SMMU_EVT_F_BAD_ATS_TREQ, 0, 0);
        smmu_event_t ev;
        smmu_fault_event(x, &f, &ev);
        st = smmu_terminate(s, x, &ev, why == SMMU_CAUSE_NONE, SMMU_XLATE_ABORT, why);
    } else {
        st = smmu_terminate(s, x, NULL, 0, SMMU_XLATE_ABORT, why);
    }
    x->resp->ats_status = SMMU_ATS_UR;
    return st;
}

/* CA for a configuration error (3.9.1.2 second table): the event is
 * recorded only with CR2.REC_CFG_ATS == 1 (and, for C_BAD_STREAMID,
 * CR2.RECINVSID == 1). RnW is UNKNOWN: the model reports !NW. */
static smmu_status_t tr_ca(smmu_t *s, smmu_xlate_t *x, const smmu_fault_t *f)
{
    smmu_event_t ev;
    smmu_fault_event(x, f, &ev);
    int rec = rec_cfg_ats(s);
    uint8_t why = SMMU_CAUSE_REC_CFG_ATS;
    if (rec && f->type == SMMU_EVT_C_BAD_STREAMID && !(s->regs.cr2 & SMMU_CR2_RECINVSID)) {
        rec = 0;
        why = SMMU_CAUSE_RECINVSID;
    }
    smmu_status_t st = smmu_terminate(s, x, &ev, rec, SMMU_XLATE_ABORT, rec ? SMMU_CAUSE_NONE : why);
    x->resp->ats_status = SMMU_ATS_CA;
    return st;
}

/* A Success completion: perms R/W/X granted (0: access denied, the span
 * is then the STU), pa the translated address of req->addr. */
static smmu_status_t tr_success(smmu_t *s, smmu_xlate_t *x, uint64_t pa, unsigned perms,
                                unsigned size_shift, unsigned priv)
{
    smmu_response_t *r = x->resp;
    if (!perms) {
        size_shift = stu_shift(s);
        pa = 0;
    }
    r->outcome = SMMU_XLATE_OK;
    r->ats_status = SMMU_ATS_SUCCESS;
    r->ats_flags = (uint8_t)(priv ? SMMU_ATS_FLAG_PRIV : 0);
    r->perms = (uint8_t)perms;
    r->pa = pa;
    r->ns = 1;
    r->page_size = size_shift >= 64 ? 0 : 1ull << size_shift;
    r->page_base = x->req->addr & ~(r->page_size - 1);
    r->cls = SMMU_CLS_TRANSLATED;
    s->stats.translated_ok++;
    return SMMU_OK;
}

/* The fault of a configuration lookup or a resolution: Success with no
 * access for a translation-related fault, else CA. */
static smmu_status_t tr_fault(smmu_t *s, smmu_xlate_t *x, const smmu_fault_t *f, unsigned priv)
{
    if (translation_related(f->type))
        return tr_success(s, x, 0, 0, 0, priv);
    return tr_ca(s, x, f);
}

/* R, W, Exe of a Translation Completion from the combined permissions p
 * of the effective privilege (13.7.1 pseudocode). */
static unsigned tr_grant(unsigned p, unsigned instcfg, int exe)
{
    unsigned ttd_r = p & SMMU_PERM_R, ttd_x = p & SMMU_PERM_X;
    unsigned g = p & SMMU_PERM_W; /* always the translation's W */
    if (instcfg == 3) { /* INST: every read is an instruction fetch */
        if (ttd_x)
            g |= SMMU_PERM_R | (exe ? SMMU_PERM_X : 0);
    } else if (instcfg == 2) { /* DATA: X as R */
        if (ttd_r)
            g |= SMMU_PERM_R | (exe ? SMMU_PERM_X : 0);
    } else { /* incoming: Exe needs R and X; an XO page grants nothing */
        if (ttd_r)
            g |= SMMU_PERM_R | (exe && ttd_x ? SMMU_PERM_X : 0);
    }
    return g;
}

/* A walk that stopped after stage 1 (resolve.h: stage 1 refused intent):
 * stage 2 was not walked and r->pa is not set. */
static int stopped_at_s1(const smmu_resolved_t *r, const smmu_cd_t *cd,
                         const smmu_access_t *intent)
{
    return !r->hit && cd && !smmu_perm_allows(r->fill.s1_perm[intent->priv], intent);
}

static smmu_status_t translation_request(smmu_t *s, smmu_xlate_t *x)
{
    const smmu_request_t *req = x->req;
    /* Without a PASID, Exe and Priv are 0 (13.7.1). */
    const unsigned tr_priv = req->ssv && req->priv;
    const int tr_exe = req->ssv && req->instr;
    x->acc.write = req->write ? 1 : 0;
    x->acc.instr = (uint8_t)(tr_exe && !req->write);
    x->acc.priv = (uint8_t)tr_priv;

    /* 3.9.1: a Secure ATS Translation Request is checked before the
     * StreamID and the configuration; SMMUEN == 0 (3.9.1.2). */
    if (req->secure)
        return tr_ur(s, x, 1, SMMU_CAUSE_SECURE);
    if (!smmu_is_enabled(s))
        return tr_ur(s, x, 1, SMMU_CAUSE_NONE);

    /* The STE, looked up without the SubstreamID so that Config 0b100 and
     * EATS are judged before C_BAD_SUBSTREAMID (the 3.9.1.3 priority). */
    smmu_request_t r0 = *req;
    r0.ssv = 0;
    smmu_fault_t f;
    smmu_ste_t ste_tmp;
    const smmu_ste_t *ste = smmu_config_ste(s, &r0, &ste_tmp, &f);
    if (!ste) {
        if (!f.type) /* Config 0b000: UR, no event */
            return tr_ur(s, x, 0, SMMU_CAUSE_STE_CONFIG);
        return tr_ca(s, x, &f);
    }
    if (ste->bypass || !eats_of(s, ste))
        return tr_ur(s, x, 1, SMMU_CAUSE_NONE);
    if (req->ssv && !ste->s1_enabled) {
        f = smmu_fault_of(SMMU_EVT_C_BAD_SUBSTREAMID, 0, 0);
        f.ssid = req->ssid;
        return tr_ca(s, x, &f);
    }
    const int split = eats_of(s, ste) == 2;

    /* STE.PRIVCFG gives the privilege checked; INSTCFG how Exe and X are
     * read (13.7.1). The completion's Priv is the request's. */
    const unsigned ep = ste->privcfg >= 2 ? (ste->privcfg & 1u) : tr_priv;
    smmu_cd_t cd_tmp;
    const smmu_cd_t *cd = NULL;
    if (ste->s1_enabled && smmu_config_cd(s, ste, req, &cd_tmp, &cd, &f))
        return tr_fault(s, x, &f, tr_priv);
    if (!ep && cd && (((req->addr >> 55) & 1) ? cd->e0pd1 : cd->e0pd0)) /* 5.4 E0PD */
        return tr_success(s, x, 0, 0, 0, tr_priv);

    /* Resolve with the access the request asks for, so that HTTU marks a
     * writable-clean page dirty only for NW == 0 (13.7.1, 3.13.7); when
     * stage 1 refuses that write, again as a read, which is what stage 2
     * is then walked for (3.9.1.2: no stage 2 when stage 1 grants
     * nothing). */
    smmu_access_t rd = {0, (uint8_t)(ste->instcfg == 3), (uint8_t)ep};
    smmu_access_t wr = {1, 0, (uint8_t)ep};
    const smmu_access_t *intent = req->write ? &wr : &rd;
    smmu_resolved_t r;
    if (smmu_resolve(s, ste, cd, req->addr, intent, &r, &f))
        return tr_fault(s, x, &f, tr_priv);
    if (intent == &wr && stopped_at_s1(&r, cd, intent)) {
        intent = &rd;
        if (smmu_resolve(s, ste, cd, req->addr, intent, &r, &f))
            return tr_fault(s, x, &f, tr_priv);
    }
    if (stopped_at_s1(&r, cd, intent))
        return tr_success(s, x, 0, 0, 0, tr_priv);

    if (!cd && !ste->s2_enabled) {
        /* S1DSS skips the only stage (13.6.4): identity, U = 0, R = W = 1,
         * no Exe or Priv (a request without a PASID). Span: the STU. */
        smmu_status_t st = tr_success(s, x, r.pa, SMMU_PERM_R | SMMU_PERM_W, stu_shift(s), 0);
        x->resp->cls = SMMU_CLS_BYPASS;
        x->resp->cause = SMMU_CAUSE_S1DSS;
        return st;
    }
    const smmu_tlb_entry_t *t = r.t;
    unsigned p = t->s1_perm[ep] & t->s2_perm[ep];
    unsigned g = tr_grant(p, ste->instcfg, tr_exe);
    smmu_resolve_fill(s, &r);
    /* Split-stage (13.6.3): the IPA, at the span both stages agree on. */
    uint64_t out = split ? smmu_resolved_ipa(&r) : r.pa;
    smmu_status_t st = tr_success(s, x, out, g, t->size_shift, tr_priv);
    if (g) {
        x->resp->memattr = t->memattr;
        x->resp->sh = t->sh;
    }
    return st;
}

/* ---- Translated transactions (3.9.1.3) ---------------------------------- */

/* Refused: abort with F_TRANSL_FORBIDDEN (7.3.8), recorded unless the
 * stream is Secure (no Secure event queue in this model). */
static smmu_status_t forbidden(smmu_t *s, smmu_xlate_t *x, uint8_t why)
{
    smmu_fault_t f = smmu_fault_of(SMMU_EVT_F_TRANSL_FORBIDDEN, 0, 0);
    smmu_event_t ev;
    smmu_fault_event(x, &f, &ev);
    return smmu_terminate(s, x, &ev, why == SMMU_CAUSE_NONE, SMMU_XLATE_ABORT, why);
}

/* The transaction passes as a PA. Bits above the OAS: abort without an
 * event (the first IMPLEMENTATION DEFINED choice of 3.9.1.1). */
static smmu_status_t pass(smmu_t *s, smmu_xlate_t *x)
{
    const smmu_request_t *req = x->req;
    if (req->addr >> s->oas_bits)
        return smmu_terminate(s, x, NULL, 0, SMMU_XLATE_ABORT, SMMU_CAUSE_OAS);
    smmu_response_t *r = x->resp;
    r->outcome = SMMU_XLATE_OK;
    r->pa = req->addr;
    r->perms = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    r->ns = 1;
    r->page_size = 1ull << 12;
    r->page_base = req->addr & ~0xFFFull;
    r->cls = SMMU_CLS_BYPASS;
    r->cause = SMMU_CAUSE_ATS_TRANSLATED;
    s->stats.bypassed++;
    s->stats.translated_ok++;
    return SMMU_OK;
}

static smmu_status_t translated(smmu_t *s, smmu_xlate_t *x)
{
    const smmu_request_t *req = x->req;
    /* IDR3.PASIDTT == 0: PnU == 0, InD == 0, SSV == 0 (3.9.1.3). */
    x->acc.write = req->write ? 1 : 0;
    x->acc.instr = 0;
    x->acc.priv = 0;
    if (req->secure)
        return forbidden(s, x, SMMU_CAUSE_SECURE);
    if (!smmu_is_enabled(s))
        return forbidden(s, x, SMMU_CAUSE_NONE);
    if (!atschk(s))
        return pass(s, x); /* no configuration check (3.9.1) */
    smmu_fault_t f;
    smmu_ste_t ste_tmp;
    const smmu_ste_t *ste = smmu_config_ste(s, req, &ste_tmp, &f);
    if (!ste) {
        if (!f.type) /* Config 0b000: abort, no event */
            return smmu_terminate(s, x, NULL, 0, SMMU_XLATE_ABORT, SMMU_CAUSE_STE_CONFIG);
        /* Configuration errors: recorded only with REC_CFG_ATS, C_BAD_STREAMID
         * whatever RECINVSID (3.9.1.3). */
        smmu_event_t ev;
        smmu_fault_event(x, &f, &ev);
        int rec = rec_cfg_ats(s);
        return smmu_terminate(s, x, &ev, rec, SMMU_XLATE_ABORT,
                              rec ? SMMU_CAUSE_NONE : SMMU_CAUSE_REC_CFG_ATS);
    }
    unsigned eats = ste->bypass ? 0 : eats_of(s, ste);
    if (!eats)
        return forbidden(s, x, SMMU_CAUSE_NONE);
    if (eats != 2)
        return pass(s, x);
    /* Split-stage (13.6.3): the address is an IPA for stage 2, with the
     * STE.PRIVCFG/INSTCFG overrides applied first (13.7). Faults as for an
     * ordinary transaction (the STE cannot stall: EATS 0b10 with S2S is
     * ILLEGAL). */
    if (ste->privcfg >= 2)
        x->acc.priv = (uint8_t)(ste->privcfg & 1);
    if (ste->instcfg >= 2 && !x->acc.write)
        x->acc.instr = (uint8_t)(ste->instcfg & 1);
    smmu_resolved_t r;
    if (smmu_resolve(s, ste, NULL, req->addr, &x->acc, &r, &f))
        return smmu_fault_report(s, x, ste, NULL, &f);
    const smmu_tlb_entry_t *t = r.t;
    unsigned p = t->s2_perm[x->acc.priv];
    if (!smmu_perm_allows(p, &x->acc)) {
        f = smmu_fault_of(SMMU_EVT_F_PERMISSION, 2, SMMU_CLASS_IN);
        f.ipa = req->addr;
        return smmu_fault_report(s, x, ste, NULL, &f);
    }
    smmu_resolve_fill(s, &r);
    smmu_response_t *resp = x->resp;
    resp->outcome = SMMU_XLATE_OK;
    resp->pa = r.pa;
    resp->perms = (uint8_t)p;
    resp->ns = 1;
    resp->page_size = 1ull << t->size_shift;
    resp->page_base = req->addr & ~(resp->page_size - 1);
    resp->memattr = t->memattr;
    resp->sh = t->sh;
    resp->cls = SMMU_CLS_TRANSLATED;
    s->stats.translated_ok++;
    return SMMU_OK;
}

smmu_status_t smmu_ats_transaction(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    smmu_xlate_t x = {req, resp, {0, 0, 0}};
    if (req->ats == SMMU_ATS_TRANSLATION_REQ)
        return translation_request(s, &x);
    return translated(s, &x);
}

/* ---- CMD_ATC_INV (4.5.1) and its CMD_SYNC (3.9.1.4) ---------------------- */

void smmu_ats_atc_inv(smmu_t *s, uint32_t sid, int ssv, uint32_t ssid, int global, uint64_t addr,
                      unsigned size)
{
    if (!smmu_is_enabled(s)) /* IGNORED with SMMUEN == 0 */
        return;
    if (!s->cfg.ssidsize) /* no PASIDs: as though SSV == 0 (first choice of 4.5.1) */
        ssv = 0;
    smmu_atc_inv_t inv;
    memset(&inv, 0, sizeof(inv));
    inv.sid = sid;
    inv.ssv = (uint8_t)(ssv ? 1 : 0);
    inv.ssid = ssv ? ssid : 0;
    inv.global = (uint8_t)(ssv && global); /* IGNORED when SSV == 0 */
    inv.log2_span = (uint8_t)(12 + size);  /* size <= 52 (cmdq.c) */
    inv.addr = size >= 52 ? 0 : addr & ~((1ull << (12 + size)) - 1);
    if (!s->ops.on_atc_inv)
        return;
    if (s->ops.on_atc_inv(s->ctx, &inv) == SMMU_ATC_INV_NO_RESPONSE)
        s->atc_inv_unanswered = 1;
}

int smmu_ats_sync_check(smmu_t *s)
{
    int lost = s->atc_inv_unanswered;
    s->atc_inv_unanswered = 0;
    return lost;
}

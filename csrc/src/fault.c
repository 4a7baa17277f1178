/* SPDX-License-Identifier: Apache-2.0 */
/* Faults (3.12, 5.5, 7.3): the event a fault record becomes, whether it is
 * recorded, and how the transaction ends. The one place that decides; the
 * stages only describe what they found (smmu_fault_t). */
#include "fault.h"

#include "evtq.h"
#include "stall.h"
#include "smmu_internal.h"

/* The fields every event of transaction x carries (7.3). */
static void ev_init(const smmu_xlate_t *x, smmu_event_t *ev, uint8_t type)
{
    memset(ev, 0, sizeof(*ev));
    ev->type = type;
    ev->sid = x->req->sid;
    ev->ssv = x->req->ssv ? 1 : 0;
    ev->ssid = x->req->ssv ? x->req->ssid : 0;
    ev->input_addr = x->req->addr;
    ev->rnw = !x->acc.write;
    ev->ind = x->acc.write ? 0 : x->acc.instr; /* InD == 0 when RnW == 0 */
    ev->pnu = x->acc.priv;
}

void smmu_fault_event(const smmu_xlate_t *x, const smmu_fault_t *f, smmu_event_t *ev)
{
    ev_init(x, ev, f->type);
    ev->s2 = f->stage == 2;
    ev->cls = f->cls;
    if (ev->s2) /* IPA[55:12] of a stage-2 fault (7.3.13-7.3.16) */
        ev->ipa = f->ipa & SMMU_MASK(55, 12);
    ev->fetch_addr = f->fetch_addr;
    /* TTRnW is meaningful for F_PERMISSION with CLASS = TT only (7.3.16). */
    ev->ttrnw = f->type == SMMU_EVT_F_PERMISSION && f->cls == SMMU_CLASS_TT ? f->ttrnw : 0;
    ev->reason = f->reason;
    /* 7.3.9: C_BAD_SUBSTREAMID records the CD index that was being fetched
     * (0 for a no-SubstreamID transaction using S1DSS = substream 0). */
    if (f->type == SMMU_EVT_C_BAD_SUBSTREAMID)
        ev->ssid = f->ssid;
    smmu_event_restrict(ev); /* only the fields the record defines (7.3) */
}

/* 3.12, 5.5: the Translation-related faults, the only ones that may stall
 * (never F_WALK_EABT, F_TLB_CONFLICT or a configuration error). */
static int stall_eligible(uint8_t type)
{
    return type == SMMU_EVT_F_TRANSLATION || type == SMMU_EVT_F_ADDR_SIZE ||
           type == SMMU_EVT_F_ACCESS || type == SMMU_EVT_F_PERMISSION;
}

smmu_fault_action_t smmu_fault_action(const smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd,
                                      const smmu_fault_t *f)
{
    smmu_fault_action_t a = {1, SMMU_XLATE_ABORT, SMMU_CAUSE_NONE};
    /* The Stall model (3.12.2, 3.12.5, 5.5): a Translation-related fault at
     * stage 2 with STE.S2S == 1 (of the transaction's IPA, of a stage-1 table
     * fetch or of a CD fetch), or at stage 1 with CD.S == 1, stalls and is
     * always recorded (R is ignored). F_ADDR_SIZE of a stage-1 bypass has no
     * CD and always aborts (3.12). STE.S1STALLD with CD.S == 1 and the
     * STALL_MODEL rules make the CD or STE ILLEGAL before this point. */
    if (stall_eligible(f->type) &&
        ((f->stage == 2 && ste && ste->s2s) || (f->stage == 1 && cd && cd->s))) {
        a.outcome = SMMU_XLATE_STALLED;
        return a;
    }
    /* C_BAD_STREAMID is recorded only when CR2.RECINVSID == 1 (7.3.3). */
    if (f->type == SMMU_EVT_C_BAD_STREAMID) {
        a.record = (s->regs.cr2 & SMMU_CR2_RECINVSID) != 0;
        a.why = SMMU_CAUSE_RECINVSID;
    }
    /* An external abort on a walk or a fetch is always recorded (5.5). */
    else if (f->type == SMMU_EVT_F_WALK_EABT)
        return a;
    /* A stage-2 translation-related fault, of a transaction's IPA, of a
     * stage-1 table fetch or of a CD fetch: STE.S2R; always abort (5.2). */
    else if (f->stage == 2) {
        a.record = ste->s2r;
        a.why = SMMU_CAUSE_STE_S2R;
    }
    /* Stage 1 with a CD: CD.R records, CD.A aborts else RAZ/WI (5.4, 3.12).
     * Without one (stage-1 bypass address size, 3.4): record and abort. */
    else if (f->stage == 1 && cd) {
        a.record = cd->r;
        a.why = SMMU_CAUSE_CD_R;
        a.outcome = cd->a ? SMMU_XLATE_ABORT : SMMU_XLATE_RAZWI;
    }
    return a;
}

smmu_status_t smmu_terminate(smmu_t *s, smmu_xlate_t *x, const smmu_event_t *ev, int record,
                             uint8_t outcome, uint8_t why)
{
    smmu_response_t *r = x->resp;
    r->outcome = outcome;
    if (outcome == SMMU_XLATE_RAZWI)
        s->stats.razwi++;
    else
        s->stats.aborted++;
    r->cls = SMMU_CLS_ABORT;
    r->cause = why;
    if (ev) {
        r->event = ev->type;
        if (record)
            r->cause = smmu_evtq_record(s, ev);
        else
            smmu_evtq_suppressed(s, ev); /* raised, not recorded (R, S2R, RECINVSID) */
        r->recorded = record && r->cause == SMMU_CAUSE_NONE;
        r->cls = r->recorded ? SMMU_CLS_FAULT_RECORDED : SMMU_CLS_FAULT_UNRECORDED;
    }
    return SMMU_OK;
}

smmu_status_t smmu_fault_report(smmu_t *s, smmu_xlate_t *x, const smmu_ste_t *ste,
                                const smmu_cd_t *cd, const smmu_fault_t *f)
{
    if (!f->type) /* STE.Config 0b000 (5.2) */
        return smmu_terminate(s, x, NULL, 0, SMMU_XLATE_ABORT, SMMU_CAUSE_STE_CONFIG);
    smmu_event_t ev;
    smmu_fault_event(x, f, &ev);
    smmu_fault_action_t a = smmu_fault_action(s, ste, cd, f);
    if (a.outcome == SMMU_XLATE_STALLED)
        return smmu_stall_fault(s, x->req, x->resp, &ev);
    return smmu_terminate(s, x, &ev, a.record, a.outcome, a.why);
}

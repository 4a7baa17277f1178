/* SPDX-License-Identifier: Apache-2.0 */
/* The fault record shared by every stage of the translation procedure, and
 * what becomes of a fault: the event record, the record/abort/RAZ-WI
 * decision (3.12, 5.5: CD.R/CD.A for stage 1, STE.S2R for stage 2,
 * CR2.RECINVSID for C_BAD_STREAMID) and the termination of the transaction.
 * The stall decision (3.12.2: CD.S, STE.S2S) is made in smmu_fault_action()
 * and carried out by stall.c. */
#ifndef SMMU_FAULT_H
#define SMMU_FAULT_H

#include <stdint.h>
#include <string.h>

#include "cd.h"
#include "perm.h"
#include "smmu/smmu.h"
#include "strtab.h"

/* F_UUT Reason values (IMPLEMENTATION DEFINED, 7.3.2; docs/translation.md). */
#define SMMU_UUT_REASON_ATS 1u /* ATS Translated/Translation Request without IDR0.ATS */

/* One fault, whichever stage found it. type 0 terminates the transaction
 * without an event (STE.Config abort 5.2, GBPA.ABORT 6.3.14, Secure
 * requests). The common event fields (StreamID, SubstreamID, InputAddr,
 * RnW, InD, PnU) come from the transaction, not from here. */
typedef struct smmu_fault {
    uint8_t type;        /* SMMU_EVT_*, or 0 */
    uint8_t stage;       /* 2: a stage-2 fault (event S2 = 1, STE.S2R);
                            1: stage 1; 0: configuration (STE, CD) */
    uint8_t cls;         /* SMMU_CLASS_* (CD, TT, IN) */
    uint8_t ttrnw;       /* F_PERMISSION with CLASS = TT: 1 read, 0 write */
    uint32_t reason;     /* C_BAD_STE/C_BAD_CD/F_UUT/fetch Reason */
    uint32_t ssid;       /* C_BAD_SUBSTREAMID: the SubstreamID reported (7.3.9) */
    uint64_t ipa;        /* stage 2: the IPA that faulted */
    uint64_t fetch_addr; /* F_WALK_EABT, F_STE_FETCH, F_CD_FETCH: the PA */
} smmu_fault_t;

/* One transaction: the request, its response, and the access after the
 * 13.7 and STE.PRIVCFG/INSTCFG overrides. */
typedef struct smmu_xlate {
    const smmu_request_t *req;
    smmu_response_t *resp;
    smmu_access_t acc;
} smmu_xlate_t;

/* A fault record of the given type with every other field zero. */
static inline smmu_fault_t smmu_fault_of(uint8_t type, uint8_t stage, uint8_t cls)
{
    smmu_fault_t f;
    memset(&f, 0, sizeof(f));
    f.type = type;
    f.stage = stage;
    f.cls = cls;
    return f;
}

/* The same fault as an smmu_event_t carried (the shape the STE and CD
 * fetchers report in). */
static inline void smmu_fault_from_event(smmu_fault_t *f, const smmu_event_t *ev)
{
    f->type = ev->type;
    f->stage = ev->s2 ? 2 : 0;
    f->cls = ev->cls;
    f->ttrnw = ev->ttrnw;
    f->reason = ev->reason;
    f->ssid = ev->ssid;
    f->ipa = ev->ipa;
    f->fetch_addr = ev->fetch_addr;
}

/* What happens to a faulting transaction. */
typedef struct smmu_fault_action {
    uint8_t record;  /* the event goes to the event queue (else on_event only) */
    uint8_t outcome; /* SMMU_XLATE_ABORT, SMMU_XLATE_RAZWI or SMMU_XLATE_STALLED (stall.c) */
    uint8_t why;     /* smmu_resp_cause_t when record == 0: CD_R, STE_S2R, RECINVSID */
} smmu_fault_action_t;

/* The record/terminate decision for f (3.12, 5.5). ste and cd are the
 * configuration found so far (NULL before it is known). */
smmu_fault_action_t smmu_fault_action(const smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd,
                                      const smmu_fault_t *f);

/* The event of f for transaction x (7.3), all other fields zero. */
void smmu_fault_event(const smmu_xlate_t *x, const smmu_fault_t *f, smmu_event_t *ev);

/* Terminate transaction x with outcome; when ev is not NULL report it
 * (queued when record, else to on_event only) in resp.event/recorded.
 * resp.cls/cause: ABORT with cause `why` without an event; with one
 * FAULT_RECORDED, or FAULT_UNRECORDED with `why` (not offered to the
 * queue) or the queue's reason (smmu_evtq_record). */
smmu_status_t smmu_terminate(smmu_t *s, smmu_xlate_t *x, const smmu_event_t *ev, int record,
                             uint8_t outcome, uint8_t why);

/* Report f for x and terminate the transaction as smmu_fault_action()
 * decides; type 0 aborts without an event. Always SMMU_OK. */
smmu_status_t smmu_fault_report(smmu_t *s, smmu_xlate_t *x, const smmu_ste_t *ste,
                                const smmu_cd_t *cd, const smmu_fault_t *f);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Event queue producer (IHI 0070 G.b, 7.2-7.4) and event record encoding
 * (7.3).
 *
 * Record layout, as bit positions in the 256-bit record (word i holds bits
 * [32i+31:32i]):
 *   [7:0] event number, [11] SSV, [31:12] SubstreamID, [63:32] StreamID,
 *   [79:64] STAG or IMPLEMENTATION DEFINED Reason (fetch events), [80] GPCF,
 *   [95:64] Reason (F_CFG_CONFLICT), [95] Stall, [97] PnU, [98] InD,
 *   [99] RnW, [103] S2, [105:104] CLASS, [108] TTRnW (F_PERMISSION),
 *   [191:128] InputAddr, [192] NSIPA, [247:204] IPA[55:12],
 *   [247:195] FetchAddr[55:3].
 * Which fields an event carries is one table (kLayout); every other bit is
 * RES0 and written as zero.
 */
#include <string.h>

#include "evtq.h"
#include "irq.h"
#include "queue.h"
#include "smmu_internal.h"

enum {
    EF_SID = 1u << 0,     /* StreamID [63:32] */
    EF_SSID = 1u << 1,    /* SSV [11] + SubstreamID [31:12] */
    EF_SSID_NOSSV = 1u << 2, /* SubstreamID [31:12], no SSV (C_BAD_SUBSTREAMID) */
    EF_ATTR = 1u << 3,    /* PnU [97], InD [98], RnW [99] */
    EF_RNW = 1u << 4,     /* RnW [99] only */
    EF_S2 = 1u << 5,      /* S2 [103] */
    EF_CLASS = 1u << 6,   /* CLASS [105:104] */
    EF_STALL = 1u << 7,   /* Stall [95], STAG [79:64] */
    EF_INADDR = 1u << 8,  /* InputAddr [191:128] */
    EF_IPA = 1u << 9,     /* NSIPA [192], IPA[55:12] at [247:204] */
    EF_FETCH = 1u << 10,  /* FetchAddr[55:3] at [247:195] */
    EF_TTRNW = 1u << 11,  /* TTRnW [108] */
    EF_REASON16 = 1u << 12, /* Reason [79:64] */
    EF_REASON32 = 1u << 13, /* Reason [95:64] */
};

#define EF_XLATE (EF_SID | EF_SSID | EF_STALL | EF_ATTR | EF_S2 | EF_CLASS | EF_INADDR | EF_IPA)

static unsigned layout(unsigned type)
{
    switch (type) {
    case SMMU_EVT_F_UUT: /* 7.3.2 */
        return EF_SID | EF_SSID | EF_ATTR | EF_INADDR | EF_REASON16;
    case SMMU_EVT_C_BAD_STREAMID: /* 7.3.3 */
    case SMMU_EVT_C_BAD_STE:      /* 7.3.5 */
    case SMMU_EVT_C_BAD_CD:       /* 7.3.11 */
    case SMMU_EVT_F_BAD_ATS_TREQ: /* 7.3.6 (ATS not modelled: common fields) */
    case SMMU_EVT_E_PAGE_REQUEST: /* 7.3.19 (PRI not modelled: common fields) */
        return EF_SID | EF_SSID;
    case SMMU_EVT_F_STE_FETCH: /* 7.3.4 */
    case SMMU_EVT_F_CD_FETCH:  /* 7.3.10 */
    case SMMU_EVT_F_VMS_FETCH: /* 7.3.20 */
        return EF_SID | EF_SSID | EF_REASON16 | EF_FETCH;
    case SMMU_EVT_F_STREAM_DISABLED: /* 7.3.7 */
        return EF_SID;
    case SMMU_EVT_F_TRANSL_FORBIDDEN: /* 7.3.8 */
        return EF_SID | EF_RNW | EF_INADDR;
    case SMMU_EVT_C_BAD_SUBSTREAMID: /* 7.3.9 */
        return EF_SID | EF_SSID_NOSSV;
    case SMMU_EVT_F_WALK_EABT: /* 7.3.12 */
        return EF_SID | EF_SSID | EF_ATTR | EF_S2 | EF_CLASS | EF_INADDR | EF_FETCH;
    case SMMU_EVT_F_TRANSLATION: /* 7.3.13 */
    case SMMU_EVT_F_ADDR_SIZE:   /* 7.3.14 */
    case SMMU_EVT_F_ACCESS:      /* 7.3.15 */
        return EF_XLATE;
    case SMMU_EVT_F_PERMISSION: /* 7.3.16 */
        return EF_XLATE | EF_TTRNW;
    case SMMU_EVT_F_TLB_CONFLICT: /* 7.3.17 */
        return EF_SID | EF_SSID | EF_ATTR | EF_S2 | EF_INADDR | EF_IPA;
    case SMMU_EVT_F_CFG_CONFLICT: /* 7.3.18 */
        return EF_SID | EF_SSID | EF_REASON32;
    default:
        return EF_SID | EF_SSID;
    }
}

void smmu_event_encode(const smmu_event_t *ev, uint32_t rec[8])
{
    unsigned f = layout(ev->type);
    uint64_t w[4] = {0, 0, 0, 0}; /* record bits [64i+63:64i] */

    w[0] = ev->type;
    if (f & EF_SSID)
        w[0] |= SMMU_PUT(ev->ssv ? 1 : 0, 11, 11) |
                (ev->ssv ? SMMU_PUT(ev->ssid, 31, 12) : 0);
    if (f & EF_SSID_NOSSV)
        w[0] |= SMMU_PUT(ev->ssid, 31, 12);
    if (f & EF_SID)
        w[0] |= SMMU_PUT(ev->sid, 63, 32);
    if (f & EF_STALL)
        w[1] |= SMMU_PUT(ev->stall ? 1 : 0, 31, 31) |
                (ev->stall ? SMMU_PUT(ev->stag, 15, 0) : 0);
    if (f & EF_REASON16)
        w[1] |= SMMU_PUT(ev->reason, 15, 0);
    if (f & EF_REASON32)
        w[1] |= SMMU_PUT(ev->reason, 31, 0);
    if (f & EF_ATTR) {
        /* InD == 0 when RnW == 0 (7.3.12-7.3.16). */
        w[1] |= SMMU_PUT(ev->pnu ? 1 : 0, 33, 33) |
                SMMU_PUT((ev->ind && ev->rnw) ? 1 : 0, 34, 34);
    }
    if (f & (EF_ATTR | EF_RNW))
        w[1] |= SMMU_PUT(ev->rnw ? 1 : 0, 35, 35);
    if (f & EF_S2)
        w[1] |= SMMU_PUT(ev->s2 ? 1 : 0, 39, 39);
    if (f & EF_CLASS)
        w[1] |= SMMU_PUT(ev->cls, 41, 40);
    if (f & EF_TTRNW)
        w[1] |= SMMU_PUT(ev->ttrnw ? 1 : 0, 44, 44);
    if (f & EF_INADDR)
        w[2] = ev->input_addr;
    if (f & EF_IPA)
        w[3] = (ev->ipa & SMMU_MASK(55, 12)) | (ev->nsipa ? 1u : 0u);
    if (f & EF_FETCH)
        w[3] = ev->fetch_addr & SMMU_MASK(55, 3);

    for (int i = 0; i < 4; i++) {
        rec[2 * i] = (uint32_t)w[i];
        rec[2 * i + 1] = (uint32_t)(w[i] >> 32);
    }
}

void smmu_event_decode(const uint32_t rec[8], smmu_event_t *ev)
{
    uint64_t w[4];
    for (int i = 0; i < 4; i++)
        w[i] = rec[2 * i] | ((uint64_t)rec[2 * i + 1] << 32);
    memset(ev, 0, sizeof(*ev));
    ev->type = (uint8_t)SMMU_GET(w[0], 7, 0);
    unsigned f = layout(ev->type);
    if (f & EF_SSID) {
        ev->ssv = (uint8_t)SMMU_GET(w[0], 11, 11);
        ev->ssid = ev->ssv ? (uint32_t)SMMU_GET(w[0], 31, 12) : 0;
    }
    if (f & EF_SSID_NOSSV) {
        ev->ssv = 1; /* 7.3.9: SubstreamID always valid */
        ev->ssid = (uint32_t)SMMU_GET(w[0], 31, 12);
    }
    if (f & EF_SID)
        ev->sid = (uint32_t)SMMU_GET(w[0], 63, 32);
    if (f & EF_STALL) {
        ev->stall = (uint8_t)SMMU_GET(w[1], 31, 31);
        ev->stag = ev->stall ? (uint16_t)SMMU_GET(w[1], 15, 0) : 0;
    }
    if (f & EF_REASON16)
        ev->reason = (uint32_t)SMMU_GET(w[1], 15, 0);
    if (f & EF_REASON32)
        ev->reason = (uint32_t)SMMU_GET(w[1], 31, 0);
    if (f & EF_ATTR) {
        ev->pnu = (uint8_t)SMMU_GET(w[1], 33, 33);
        ev->ind = (uint8_t)SMMU_GET(w[1], 34, 34);
    }
    if (f & (EF_ATTR | EF_RNW))
        ev->rnw = (uint8_t)SMMU_GET(w[1], 35, 35);
    if (f & EF_S2)
        ev->s2 = (uint8_t)SMMU_GET(w[1], 39, 39);
    if (f & EF_CLASS)
        ev->cls = (uint8_t)SMMU_GET(w[1], 41, 40);
    if (f & EF_TTRNW)
        ev->ttrnw = (uint8_t)SMMU_GET(w[1], 44, 44);
    if (f & EF_INADDR)
        ev->input_addr = w[2];
    if (f & EF_IPA) {
        ev->ipa = w[3] & SMMU_MASK(55, 12);
        ev->nsipa = (uint8_t)(w[3] & 1);
    }
    if (f & EF_FETCH)
        ev->fetch_addr = w[3] & SMMU_MASK(55, 3);
}

const char *smmu_event_name(unsigned type)
{
    switch (type) {
    case SMMU_EVT_F_UUT: return "F_UUT";
    case SMMU_EVT_C_BAD_STREAMID: return "C_BAD_STREAMID";
    case SMMU_EVT_F_STE_FETCH: return "F_STE_FETCH";
    case SMMU_EVT_C_BAD_STE: return "C_BAD_STE";
    case SMMU_EVT_F_BAD_ATS_TREQ: return "F_BAD_ATS_TREQ";
    case SMMU_EVT_F_STREAM_DISABLED: return "F_STREAM_DISABLED";
    case SMMU_EVT_F_TRANSL_FORBIDDEN: return "F_TRANSL_FORBIDDEN";
    case SMMU_EVT_C_BAD_SUBSTREAMID: return "C_BAD_SUBSTREAMID";
    case SMMU_EVT_F_CD_FETCH: return "F_CD_FETCH";
    case SMMU_EVT_C_BAD_CD: return "C_BAD_CD";
    case SMMU_EVT_F_WALK_EABT: return "F_WALK_EABT";
    case SMMU_EVT_F_TRANSLATION: return "F_TRANSLATION";
    case SMMU_EVT_F_ADDR_SIZE: return "F_ADDR_SIZE";
    case SMMU_EVT_F_ACCESS: return "F_ACCESS";
    case SMMU_EVT_F_PERMISSION: return "F_PERMISSION";
    case SMMU_EVT_F_TLB_CONFLICT: return "F_TLB_CONFLICT";
    case SMMU_EVT_F_CFG_CONFLICT: return "F_CFG_CONFLICT";
    case SMMU_EVT_E_PAGE_REQUEST: return "E_PAGE_REQUEST";
    case SMMU_EVT_F_VMS_FETCH: return "F_VMS_FETCH";
    default: return "UNKNOWN";
    }
}

/* Write the record into the queue if it is writable (7.2.1) and not full
 * (7.4). Returns SMMU_CAUSE_NONE if recorded, else why not. */
static uint8_t evtq_write(smmu_t *s, const smmu_event_t *ev)
{
    smmu_regs_t *r = &s->regs;
    if (!(r->cr0ack & SMMU_CR0_EVENTQEN) || r->sfm) { /* 12.3: SFM stops the queues */
        s->stats.events_dropped_disabled++; /* 7.2.1: silently discarded */
        return SMMU_CAUSE_QUEUE_DISABLED;
    }
    if (smmu_gerror_active(s, (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR)) {
        s->stats.events_dropped_disabled++; /* 7.2.2: not writable until acknowledged */
        return SMMU_CAUSE_QUEUE_ABT_ERR;
    }
    unsigned qs = smmu_eventq_log2size(s);
    if (smmu_queue_full(r->eventq_prod, r->eventq_cons, qs)) {
        /* 7.4: full. Drop; toggle OVFLG unless an overflow is pending. */
        s->stats.events_dropped_full++;
        if ((r->eventq_prod & SMMU_Q_OVF) == (r->eventq_cons & SMMU_Q_OVF))
            r->eventq_prod ^= (uint32_t)SMMU_Q_OVF;
        return SMMU_CAUSE_QUEUE_FULL;
    }
    uint32_t rec[8], mem[8];
    smmu_event_encode(ev, rec);
    for (int i = 0; i < 8; i++)
        mem[i] = smmu_to_mem32(rec[i]);
    uint64_t base = smmu_queue_base(s, r->eventq_base, qs, 32);
    if (smmu_mem_write(s, smmu_queue_slot(base, r->eventq_prod, qs, 32), mem, 32,
                       SMMU_ACC_EVTQ)) {
        /* 7.2.2: synchronous abort, PROD not incremented. */
        smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_EVENTQ_ABT_ERR);
        return SMMU_CAUSE_WRITE_ABORT;
    }
    int was_empty = smmu_queue_empty(r->eventq_prod, r->eventq_cons, qs);
    r->eventq_prod = smmu_qptr_advance(r->eventq_prod, qs);
    s->stats.events_recorded++;
    /* 3.18.2: the interrupt fires when the queue goes non-empty. */
    if (was_empty)
        smmu_irq_signal(s, SMMU_SRC_EVENTQ);
    return SMMU_CAUSE_NONE;
}

uint8_t smmu_evtq_record(smmu_t *s, const smmu_event_t *ev)
{
    s->stats.events_raised++;
    uint8_t why = evtq_write(s, ev);
    if (s->ops.on_event)
        s->ops.on_event(s->ctx, ev, why == SMMU_CAUSE_NONE);
    return why;
}

void smmu_event_restrict(smmu_event_t *ev)
{
    unsigned f = layout(ev->type);
    if (!(f & EF_SID))
        ev->sid = 0;
    if (f & EF_SSID_NOSSV)
        ev->ssv = 1; /* 7.3.9: SubstreamID always valid (as decoded) */
    else if (!(f & EF_SSID)) {
        ev->ssv = 0;
        ev->ssid = 0;
    } else if (!ev->ssv)
        ev->ssid = 0;
    if (!(f & EF_ATTR)) {
        ev->pnu = 0;
        ev->ind = 0;
        if (!(f & EF_RNW))
            ev->rnw = 0;
    } else if (!ev->rnw)
        ev->ind = 0; /* InD == 0 when RnW == 0 */
    if (!(f & EF_S2))
        ev->s2 = 0;
    if (!(f & EF_CLASS))
        ev->cls = 0;
    if (!(f & EF_TTRNW))
        ev->ttrnw = 0;
    if (!(f & EF_STALL)) {
        ev->stall = 0;
        ev->stag = 0;
    }
    if (!(f & EF_INADDR))
        ev->input_addr = 0;
    if (!(f & EF_IPA)) {
        ev->ipa = 0;
        ev->nsipa = 0;
    }
    if (!(f & EF_FETCH))
        ev->fetch_addr = 0;
    /* Reason: the record's field where it has one (F_UUT, fetch events,
     * F_CFG_CONFLICT); C_BAD_STE/C_BAD_CD keep the model's reason code for
     * on_event (docs/config-structures.md), the record does not hold it. */
    if (!(f & (EF_REASON16 | EF_REASON32)) && ev->type != SMMU_EVT_C_BAD_STE &&
        ev->type != SMMU_EVT_C_BAD_CD)
        ev->reason = 0;
}

void smmu_evtq_suppressed(smmu_t *s, const smmu_event_t *ev)
{
    if (s->ops.on_event)
        s->ops.on_event(s->ctx, ev, 0);
}

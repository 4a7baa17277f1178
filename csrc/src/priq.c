/* SPDX-License-Identifier: Apache-2.0 */
/*
 * PRI queue producer and PRG responses (IHI 0070 G.b chapter 8, 4.5.2).
 *
 * Entry format (16 bytes, little-endian; chapter 8): word 0 StreamID
 * [31:0], SubstreamID [51:32], Priv [58], X [59], R [60], W [61], Last
 * [62], SSV [63]; word 1 PRGIndex [8:0], Page address [63:12].
 *
 * Model choices (docs/pri.md): the write abort of an entry is synchronous
 * (PROD not moved, an automatic Response Failure for that PPR, 8.2);
 * CMD_PRI_RESP with SSV = 1 on an SMMU without SubstreamIDs answers without
 * a PASID (the first CONSTRAINED UNPREDICTABLE choice of 4.5.2); the 8.1
 * STE.PPAR check records no event (CR2.REC_CFG_ATS is RES0: IDR0.ATSRECERR
 * is not modelled).
 */
#include "priq.h"

#include <string.h>

#include "config.h"
#include "irq.h"
#include "queue.h"
#include "smmu_internal.h"

static void respond(smmu_t *s, uint32_t sid, int ssv, uint32_t ssid, unsigned prgi, unsigned code,
                    int automatic)
{
    if (!s->ops.on_prg_response)
        return;
    smmu_prg_response_t r;
    memset(&r, 0, sizeof(r));
    r.sid = sid;
    r.ssv = ssv ? 1 : 0;
    r.ssid = ssv ? ssid : 0;
    r.prgi = (uint16_t)prgi;
    r.code = (uint8_t)code;
    r.automatic = automatic ? 1 : 0;
    s->ops.on_prg_response(s->ctx, &r);
}

/* 8.1: the automatic response to a Last == 1 PPR discarded in overflow. */
static void overflow_response(smmu_t *s, const smmu_ppr_t *p)
{
    if (!p->ssv) { /* no PASID: Success, PPS/PPAR not used */
        respond(s, p->sid, 0, 0, p->prgi, SMMU_PRG_SUCCESS, 1);
        return;
    }
    if (s->cfg.pps) {
        respond(s, p->sid, 1, p->ssid, p->prgi, SMMU_PRG_SUCCESS, 1);
        return;
    }
    /* IDR3.PPS == 0: STE.PPAR of a valid STE, else Failure without PASID. */
    const smmu_ste_t *ste = NULL;
    smmu_ste_t tmp;
    smmu_fault_t f;
    if (smmu_is_enabled(s)) {
        smmu_cfg_entry_t *e = smmu_cfgcache_lookup(&s->cfgc, p->sid);
        ste = e ? &e->ste : smmu_config_ste_fetch(s, p->sid, &tmp, &f);
    }
    if (!ste)
        respond(s, p->sid, 0, 0, p->prgi, SMMU_PRG_RESPONSE_FAILURE, 1);
    else
        respond(s, p->sid, ste->ppar, p->ssid, p->prgi, SMMU_PRG_SUCCESS, 1);
}

static int ppr_valid(const smmu_t *s, const smmu_ppr_t *p)
{
    if (p->ssid > 0xFFFFFu || p->prgi > 0x1FFu || (p->addr & 0xFFFu))
        return 0;
    if ((p->ssv | p->secure | p->last | p->r | p->w | p->x | p->priv) > 1)
        return 0;
    if (p->ssv && !s->cfg.ssidsize)
        return 0;
    if (!p->ssv && (p->x || p->priv)) /* 8: X = Priv = 0 without a PASID */
        return 0;
    return 1;
}

static smmu_status_t page_request(smmu_t *s, const smmu_ppr_t *p);

smmu_status_t smmu_page_request(smmu_t *s, const smmu_ppr_t *p)
{
    if (!s || !p)
        return SMMU_ERR_INVAL;
    if (s->depth) /* from a callback (smmu.h): nothing changes */
        return SMMU_ERR_REENTERED;
    if (!s->cfg.pri || !ppr_valid(s, p))
        return SMMU_ERR_INVAL;
    smmu_enter(s);
    smmu_status_t st = page_request(s, p);
    smmu_leave(s);
    return st;
}

static smmu_status_t page_request(smmu_t *s, const smmu_ppr_t *p)
{
    smmu_regs_t *r = &s->regs;
    /* 8: LWR == 0b100 with a PASID is a Stop Marker: never a response. */
    int stop = p->ssv && p->last && !p->w && !p->r;
    /* 8.2: Secure stream, PRIQEN == 0 (SMMUEN == 0 implies it), or
     * PRIQ_ABT_ERR: discarded, Response Failure without a PASID. Service
     * Failure Mode (12.3: queues stopped) is treated the same way. */
    if (p->secure || r->sfm || !smmu_is_enabled(s) || !(r->cr0ack & SMMU_CR0_PRIQEN) ||
        smmu_gerror_active(s, (uint32_t)SMMU_GERROR_PRIQ_ABT_ERR)) {
        if (!stop)
            respond(s, p->sid, 0, 0, p->prgi, SMMU_PRG_RESPONSE_FAILURE, 1);
        return SMMU_OK;
    }
    unsigned qs = smmu_priq_log2size(s);
    int lo = (r->priq_irq_cfg2 >> 31) & 1; /* PRIQ_IRQ_CFG2.LO (6.3.36) */
    int overflow = (r->priq_prod & SMMU_Q_OVF) != (r->priq_cons & SMMU_Q_OVF);
    if (!overflow && smmu_queue_full(r->priq_prod, r->priq_cons, qs)) {
        r->priq_prod ^= (uint32_t)SMMU_Q_OVF; /* 8.1: overflow becomes active */
        overflow = 1;
    }
    if (overflow) {
        /* 8.1: discarded; Last == 1 PPRs get an automatic response and,
         * with LO, the interrupt. Last == 0 and Stop Markers: nothing. */
        if (p->last && !stop) {
            overflow_response(s, p);
            if (lo)
                smmu_irq_signal(s, SMMU_SRC_PRIQ);
        }
        return SMMU_OK;
    }
    uint64_t w0 = (uint64_t)p->sid | (uint64_t)(p->ssv ? p->ssid : 0) << 32 |
                  (uint64_t)p->priv << 58 | (uint64_t)p->x << 59 | (uint64_t)p->r << 60 |
                  (uint64_t)p->w << 61 | (uint64_t)p->last << 62 | (uint64_t)p->ssv << 63;
    uint64_t w1 = (uint64_t)p->prgi | (p->addr & SMMU_MASK(63, 12));
    uint64_t mem[2] = {smmu_to_mem64(w0, 0), smmu_to_mem64(w1, 0)};
    uint64_t base = smmu_queue_base(s, r->priq_base, qs, 16);
    if (smmu_mem_write(s, smmu_queue_slot(base, r->priq_prod, qs, 16), mem, 16, SMMU_ACC_PRIQ)) {
        /* 8.2: a synchronous abort: PROD not moved, PRIQ_ABT_ERR, and an
         * automatic Response Failure for this PPR. */
        smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_PRIQ_ABT_ERR);
        if (!stop)
            respond(s, p->sid, 0, 0, p->prgi, SMMU_PRG_RESPONSE_FAILURE, 1);
        return SMMU_OK;
    }
    int was_empty = smmu_queue_empty(r->priq_prod, r->priq_cons, qs);
    r->priq_prod = smmu_qptr_advance(r->priq_prod, qs);
    /* 6.3.36: LO == 0 interrupts when the queue goes non-empty, LO == 1
     * for every Last == 1 message written (after the entry is visible). */
    if (lo ? p->last : was_empty)
        smmu_irq_signal(s, SMMU_SRC_PRIQ);
    return SMMU_OK;
}

void smmu_priq_command_response(smmu_t *s, uint32_t sid, int ssv, uint32_t ssid, unsigned prgi,
                                unsigned resp)
{
    static const uint8_t code[3] = {SMMU_PRG_RESPONSE_FAILURE, SMMU_PRG_INVALID_REQUEST,
                                    SMMU_PRG_SUCCESS};
    if (!smmu_is_enabled(s) || resp > 2) /* 4.5.2: IGNORED with SMMUEN == 0 */
        return;
    respond(s, sid, ssv && s->cfg.ssidsize, ssid, prgi, code[resp], 0);
}

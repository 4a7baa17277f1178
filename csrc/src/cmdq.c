/* SPDX-License-Identifier: Apache-2.0 */
/*
 * Command queue consumer (IHI 0070 G.b, 4.1-4.7, 7.1).
 *
 * One table maps every opcode to its descriptor: the defined fields of the
 * two 64-bit command words (any other bit set is a malformed command,
 * CERROR_ILL, 4.1.5), whether the command has an SSec field (SSec = 1 on the
 * Non-secure queue is CERROR_ILL, 4.1.6), the feature it needs (else
 * CERROR_ILL, 4.4.2 and friends) and its handler. Handlers return a CERROR
 * code (0 = consumed). To add a command, add one row and one handler.
 *
 * Invalidation policy (docs/invalidation.md): every CFGI_* and TLBI_*
 * removes exactly the minimum scope the architecture requires of it, no
 * more, so that a driver that issues the wrong command sees stale entries.
 */
#include <string.h>

#include "cmdq.h"
#include "ats.h"
#include "irq.h"
#include "queue.h"
#include "checker.h"
#include "smmu_internal.h"
#include "priq.h"
#include "stall.h"

typedef struct cmd_ctx {
    uint64_t w[2];
} cmd_t;

typedef unsigned (*cmd_handler_t)(smmu_t *s, const cmd_t *c);

enum cmd_need {
    NEED_NONE = 0,
    NEED_S1,    /* IDR0.S1P (stage-1 TLBIs, CFGI_CD*) */
    NEED_S2,    /* IDR0.S2P (TLBI_S2_IPA, TLBI_S12_VMALL) */
    NEED_HYP,   /* IDR0.Hyp (EL2 TLBIs) */
    NEED_MPAM,  /* IDR3.MPAM (CFGI_VMS_PIDM) */
    NEED_ATS,   /* IDR0.ATS (ATC_INV) */
    NEED_PRI,   /* IDR0.PRI (PRI_RESP) */
    NEED_STALL, /* IDR0.STALL_MODEL != 0b01 (RESUME, STALL_TERM) */
};

typedef struct cmd_desc {
    cmd_handler_t fn;   /* NULL: opcode reserved or not supported -> CERROR_ILL */
    uint64_t w0_defined; /* bits of word 0 that the command defines (incl. opcode) */
    uint64_t w1_defined;
    uint8_t ssec;       /* word 0 bit 10 is SSec */
    uint8_t need;       /* enum cmd_need */
} cmd_desc_t;

/* Common field positions (4.1.6 and the individual commands). */
#define CMD_OP SMMU_MASK(7, 0)
#define CMD_SSEC SMMU_BIT(10)
#define CMD_SSV SMMU_BIT(11)
#define CMD_SSID SMMU_MASK(31, 12)
#define CMD_SID SMMU_MASK(63, 32)
#define CMD_VMID SMMU_MASK(47, 32)
#define CMD_ASID SMMU_MASK(63, 48)
#define CMD_LEAF SMMU_BIT(0)
#define CMD_RANGE SMMU_MASK(4, 0)
/* TLBI range and level hint (4.4.1.1): NUM w0[16:12], SCALE w0[24:20]
 * (w0[25] only with IDR5.DS, which the model does not implement), TTL
 * w1[9:8] (bits [73:72]), TG w1[11:10] (bits [75:74]). TTL128 (bit 71) is
 * RES0: 128-bit descriptors are not implemented. */
#define CMD_NUM SMMU_MASK(16, 12)
#define CMD_SCALE SMMU_MASK(24, 20)
#define CMD_TTL SMMU_MASK(9, 8)
#define CMD_TG SMMU_MASK(11, 10)
#define CMD_VA SMMU_MASK(63, 12)

/* ---- Handlers ---------------------------------------------------------- */

static unsigned cmd_nop(smmu_t *s, const cmd_t *c)
{
    (void)s;
    (void)c;
    return SMMU_CERROR_NONE;
}

/* A command whose feature the model cannot be configured with yet: the
 * feature check before the handler already raises CERROR_ILL; this keeps an
 * SMMU that would advertise the feature from silently ignoring it. */
static unsigned cmd_unmodelled(smmu_t *s, const cmd_t *c)
{
    (void)s;
    (void)c;
    return SMMU_CERROR_ILL;
}

/* CMD_ATC_INV (4.5.1), with IDR0.ATS == 1: an ATS Invalidate Request to
 * the endpoint's ATC (ats.c, ops.on_atc_inv); the SMMU itself caches no ATS
 * translations. Size > 52 is CERROR_ILL (the first permitted behaviour). */
static unsigned cmd_atc_inv(smmu_t *s, const cmd_t *c)
{
    unsigned size = (unsigned)SMMU_GET(c->w[1], 5, 0);
    if (size > 52)
        return SMMU_CERROR_ILL;
    smmu_ats_atc_inv(s, (uint32_t)SMMU_GET(c->w[0], 63, 32), (int)SMMU_GET(c->w[0], 11, 11),
                     (uint32_t)SMMU_GET(c->w[0], 31, 12), (int)SMMU_GET(c->w[0], 9, 9),
                     c->w[1] & SMMU_MASK(63, 12), size);
    return SMMU_CERROR_NONE;
}

/* CMD_PRI_RESP (4.5.2), with IDR0.PRI == 1: Resp 0b11 is Reserved, so the
 * command is ILLEGAL (CERROR_ILL); else the PRG Response goes to the
 * endpoint through ops.on_prg_response (priq.c; IGNORED with SMMUEN == 0). */
static unsigned cmd_pri_resp(smmu_t *s, const cmd_t *c)
{
    unsigned resp = (unsigned)SMMU_GET(c->w[1], 13, 12);
    if (resp == 3)
        return SMMU_CERROR_ILL;
    smmu_priq_command_response(s, (uint32_t)SMMU_GET(c->w[0], 63, 32),
                               (int)SMMU_GET(c->w[0], 11, 11),
                               (uint32_t)SMMU_GET(c->w[0], 31, 12),
                               (unsigned)SMMU_GET(c->w[1], 8, 0), resp);
    return SMMU_CERROR_NONE;
}

/* CMD_RESUME (4.7.1): Ac [12] (1 = retry, Ab IGNORED), Ab [13], StreamID,
 * STAG [79:64]. A STAG that names no recorded stall of that StreamID: no
 * effect. The retry itself runs in smmu_take_completions (stall.c). */
static unsigned cmd_resume(smmu_t *s, const cmd_t *c)
{
    smmu_stall_resume(s, (uint32_t)SMMU_GET(c->w[0], 63, 32), (uint32_t)SMMU_GET(c->w[1], 15, 0),
                      (int)SMMU_GET(c->w[0], 12, 12), (int)SMMU_GET(c->w[0], 13, 13));
    return SMMU_CERROR_NONE;
}

/* CMD_STALL_TERM (4.7.2): abort every stall of StreamID. */
static unsigned cmd_stall_term(smmu_t *s, const cmd_t *c)
{
    smmu_stall_term(s, (uint32_t)SMMU_GET(c->w[0], 63, 32));
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_STE (4.3.1): the STE and every CD cached through it. Leaf is
 * irrelevant: L1STDs are not cached. */
/* Tell the embedder what an invalidation touched (smmu_mem_ops_t). */
static void notify(smmu_t *s, unsigned kind, uint64_t lo, uint64_t hi)
{
    if (s->ops.on_invalidate) {
        smmu_inval_notice_t n;
        memset(&n, 0, sizeof(n));
        n.kind = (uint8_t)kind;
        n.lo = lo;
        n.hi = hi;
        s->ops.on_invalidate(s->ctx, &n);
    }
}

static unsigned cmd_cfgi_ste(smmu_t *s, const cmd_t *c)
{
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    smmu_cfgcache_inval_sid_range(&s->cfgc, sid, sid);
    notify(s, SMMU_INVAL_CFG, sid, sid);
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_STE_RANGE / CMD_CFGI_ALL (4.3.2, 4.3.6): 2^(Range+1) StreamIDs,
 * the bottom Range+1 bits of StreamID IGNORED; Range == 31 is everything. */
static unsigned cmd_cfgi_ste_range(smmu_t *s, const cmd_t *c)
{
    unsigned range = (unsigned)SMMU_GET(c->w[1], 4, 0);
    if (range == 31) {
        smmu_cfgcache_inval_all(&s->cfgc);
        notify(s, SMMU_INVAL_CFG, 0, UINT64_MAX);
        return SMMU_CERROR_NONE;
    }
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    uint32_t span_mask = (uint32_t)SMMU_MASK(range, 0);
    uint32_t first = sid & ~span_mask;
    smmu_cfgcache_inval_sid_range(&s->cfgc, first, first | span_mask);
    notify(s, SMMU_INVAL_CFG, first, first | span_mask);
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_CD (4.3.3): the CD cached from index SubstreamID of the CD table
 * located by StreamID (index 0 for a single CD), and nothing else. */
static unsigned cmd_cfgi_cd(smmu_t *s, const cmd_t *c)
{
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    uint32_t ssid = (uint32_t)SMMU_GET(c->w[0], 31, 12);
    smmu_cfgcache_inval_cd_index(&s->cfgc, sid, ssid);
    notify(s, SMMU_INVAL_CFG, sid, sid);
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_CD_ALL (4.3.4): every CD cached through StreamID. */
static unsigned cmd_cfgi_cd_all(smmu_t *s, const cmd_t *c)
{
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    smmu_cfgcache_inval_cd(&s->cfgc, sid);
    notify(s, SMMU_INVAL_CFG, sid, sid);
    return SMMU_CERROR_NONE;
}

/* Remove the TLB entries in scope and count them. A VMID-matching scope is
 * widened to the VMID group of SMMU_CR0.VMW when VMID wildcards are
 * implemented (3.17.6, 6.3.9: values above 0b100 behave as 0b000). */
static void tlbi_apply(smmu_t *s, smmu_tlb_inval_t *iv)
{
    unsigned vmw = s->cfg.vmw ? (unsigned)SMMU_GET(s->regs.cr0, 8, 6) : 0;
    if (vmw > 4 || !iv->match_vmid)
        vmw = 0;
    iv->vmid_ign_mask = (uint16_t)((1u << vmw) - 1u);
    s->stats.tlb_invalidated += smmu_tlb_invalidate(&s->tlb, iv);
    /* The embedder hears the address range; stage-2-only scopes are IPAs. */
    unsigned kind = iv->kinds == SMMU_TLB_S2 ? SMMU_INVAL_TLB_IPA : SMMU_INVAL_TLB_VA;
    if (iv->match_addr)
        notify(s, kind, iv->addr_lo, iv->addr_hi);
    else
        notify(s, kind, 0, UINT64_MAX);
}

static void inval_init(smmu_tlb_inval_t *iv, unsigned kinds, unsigned world)
{
    *iv = (smmu_tlb_inval_t){0};
    iv->kinds = (uint8_t)kinds;
    iv->world = (uint8_t)world;
}

/* VMID scope of the CMD_TLBI_NH_* commands (4.4.2): matched only when stage
 * 2 is implemented; on a stage-1-only SMMU the parameter is RES0 and the
 * model ignores it (all entries carry VMID 0 there). With IDR0.VMID16 = 0
 * a VMID with bits [15:8] set matches no entry: "not required to affect TLB
 * entries" (4.4). */
static void scope_vmid(const smmu_t *s, const cmd_t *c, smmu_tlb_inval_t *iv)
{
    if (!s->cfg.s2p)
        return;
    iv->match_vmid = 1;
    iv->vmid = (uint16_t)SMMU_GET(c->w[0], 47, 32);
}

static void scope_asid(const cmd_t *c, smmu_tlb_inval_t *iv, int keep_global)
{
    iv->match_asid = 1;
    iv->asid = (uint16_t)SMMU_GET(c->w[0], 63, 48);
    iv->keep_global = (uint8_t)keep_global;
}

/* Address scope of an address-based TLBI (4.4.1.1). `addr` is the command's
 * address with bits [11:0] zero. TG == 0: the entries containing addr.
 * TG != 0 (only decodable with IDR3.RIL): (NUM+1) x 2^SCALE granules from
 * addr, entries of granule TG only, and of walk level TTL when TTL != 0.
 * Returns CERROR_ILL for the reserved encodings. */
static unsigned scope_addr(const cmd_t *c, uint64_t addr, smmu_tlb_inval_t *iv)
{
    unsigned num = (unsigned)SMMU_GET(c->w[0], 16, 12);
    unsigned scale = (unsigned)SMMU_GET(c->w[0], 24, 20);
    unsigned ttl = (unsigned)SMMU_GET(c->w[1], 9, 8);
    unsigned tg = (unsigned)SMMU_GET(c->w[1], 11, 10);
    iv->match_addr = 1;
    iv->leaf = (uint8_t)(c->w[1] & CMD_LEAF);
    if (!tg) {
        /* TG == 0b00: NUM, SCALE and TTL are RES0; the model detects a
         * non-zero value as a malformed command (4.1.5). */
        if (num || scale || ttl)
            return SMMU_CERROR_ILL;
        iv->addr_lo = addr;
        iv->addr_hi = addr | 0xFFFu;
        return SMMU_CERROR_NONE;
    }
    /* 16KB granule, TTL == 0b01 is Reserved without IDR5.DS and treated as
     * 0b00 (the model has no DS) -- which can make the command reserved. */
    if (tg == 2 && ttl == 1)
        ttl = 0;
    /* TG != 0 with NUM == SCALE == TTL == 0 is Reserved: CERROR_ILL. */
    if (!num && !scale && !ttl)
        return SMMU_CERROR_ILL;
    unsigned gshift = tg == 1 ? 12u : tg == 2 ? 14u : 16u;
    uint64_t span = (uint64_t)(num + 1u) << (scale + gshift); /* <= 2^52 */
    iv->addr_lo = addr;
    /* The range does not wrap past the top of the address space. */
    iv->addr_hi = addr + (span - 1u) < addr ? UINT64_MAX : addr + (span - 1u);
    iv->tg = (uint8_t)tg;
    iv->ttl = (uint8_t)ttl;
    return SMMU_CERROR_NONE;
}

/* VA parameter: Address[63:12]. TBI is permitted to apply (4.4.2): the top
 * byte is taken as a sign extension of bit 55, which is how the TLB tags
 * stage-1 entries (canonical address, top byte of the selected half). */
static uint64_t cmd_va(const cmd_t *c)
{
    uint64_t va = c->w[1] & CMD_VA;
    return (va & SMMU_BIT(55)) ? va | SMMU_MASK(63, 56) : va & SMMU_MASK(55, 0);
}

/* CMD_TLBI_NH_ALL (4.4.2.1): all stage-1 NS-EL1 entries (stage-1-only and
 * combined) of VMID, global ones included. */
static unsigned cmd_tlbi_nh_all(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    scope_vmid(s, c, &iv);
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_NH_ASID (4.4.2.2): non-global NS-EL1 stage-1 entries by ASID and
 * VMID. Global entries are kept. */
static unsigned cmd_tlbi_nh_asid(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    scope_vmid(s, c, &iv);
    scope_asid(c, &iv, 1);
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_NH_VA (4.4.2.4): NS-EL1 stage-1 entries by VMID, ASID and VA,
 * and global entries by VMID and VA whatever their ASID. */
static unsigned cmd_tlbi_nh_va(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    scope_vmid(s, c, &iv);
    scope_asid(c, &iv, 0);
    unsigned err = scope_addr(c, cmd_va(c), &iv);
    if (!err)
        tlbi_apply(s, &iv);
    return err;
}

/* CMD_TLBI_NH_VAA (4.4.2.3): NS-EL1 stage-1 entries by VMID and VA, any
 * ASID, global included. */
static unsigned cmd_tlbi_nh_vaa(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    scope_vmid(s, c, &iv);
    unsigned err = scope_addr(c, cmd_va(c), &iv);
    if (!err)
        tlbi_apply(s, &iv);
    return err;
}

/* CMD_TLBI_EL2_ALL (4.4.2.7): every NS-EL2 and NS-EL2-E2H entry. */
static unsigned cmd_tlbi_el2_all(smmu_t *s, const cmd_t *c)
{
    (void)c;
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_S2 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL2);
    tlbi_apply(s, &iv);
    iv.world = SMMU_WORLD_NS_EL2_E2H;
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_EL2_ASID (4.4.2.10): non-global NS-EL2-E2H entries by ASID,
 * whatever SMMU_CR2.E2H is now. */
static unsigned cmd_tlbi_el2_asid(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1, SMMU_WORLD_NS_EL2_E2H);
    scope_asid(c, &iv, 1);
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_EL2_VA (4.4.2.8) and CMD_TLBI_EL2_VAA (4.4.2.9), governed by
 * SMMU_CR2.E2H: E2H == 1: NS-EL2-E2H entries by VA and (VA only) ASID or
 * global; E2H == 0: NS-EL2 entries by VA, the ASID parameter ignored. */
static unsigned tlbi_el2_va(smmu_t *s, const cmd_t *c, int by_asid)
{
    smmu_tlb_inval_t iv;
    int e2h = (s->regs.cr2 & SMMU_CR2_E2H) != 0;
    inval_init(&iv, SMMU_TLB_S1, e2h ? SMMU_WORLD_NS_EL2_E2H : SMMU_WORLD_NS_EL2);
    if (e2h && by_asid)
        scope_asid(c, &iv, 0);
    unsigned err = scope_addr(c, cmd_va(c), &iv);
    if (!err)
        tlbi_apply(s, &iv);
    return err;
}

static unsigned cmd_tlbi_el2_va(smmu_t *s, const cmd_t *c) { return tlbi_el2_va(s, c, 1); }
static unsigned cmd_tlbi_el2_vaa(smmu_t *s, const cmd_t *c) { return tlbi_el2_va(s, c, 0); }

/* CMD_TLBI_S12_VMALL (4.4.3.2): every NS-EL1 entry of VMID at every stage
 * (stage 1, stage 2 and combined). */
static unsigned cmd_tlbi_s12_vmall(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_S2 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    iv.match_vmid = 1;
    iv.vmid = (uint16_t)SMMU_GET(c->w[0], 47, 32);
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_S2_IPA (4.4.3.1): stage-2 entries (from stage-2-only streams) by
 * VMID and IPA. Combined stage 1+2 entries are not required to go (drivers
 * follow with CMD_TLBI_NH_ALL or NH_VAA), so the model keeps them. */
static unsigned cmd_tlbi_s2_ipa(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S2, SMMU_WORLD_NS_EL1);
    iv.match_vmid = 1;
    iv.vmid = (uint16_t)SMMU_GET(c->w[0], 47, 32);
    iv.ipa_stage = 1;
    unsigned err = scope_addr(c, c->w[1] & SMMU_MASK(55, 12), &iv);
    if (!err)
        tlbi_apply(s, &iv);
    return err;
}

/* CMD_TLBI_NSNH_ALL (4.4.4.1): every NS-EL1 entry at every stage, any VMID
 * (not the EL2 worlds). */
static unsigned cmd_tlbi_nsnh_all(smmu_t *s, const cmd_t *c)
{
    (void)c;
    smmu_tlb_inval_t iv;
    inval_init(&iv, SMMU_TLB_S1 | SMMU_TLB_S2 | SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1);
    tlbi_apply(s, &iv);
    return SMMU_CERROR_NONE;
}

/* Prefetches are hints; doing nothing is a valid implementation (4.2), and
 * it never records an event or an error. */
#define cmd_prefetch cmd_nop

/* CMD_SYNC (4.7.3). The completion signal is sent after CONS has moved past
 * the CMD_SYNC (the caller advances CONS first, see sync_signal). Every
 * earlier command has taken its full effect when it was consumed. */
static unsigned cmd_sync(smmu_t *s, const cmd_t *c)
{
    if (SMMU_GET(c->w[0], 13, 12) == 3) /* CS = 0b11: Reserved */
        return SMMU_CERROR_ILL;
    /* 3.9.1.4: a CMD_ATC_INV it waits for got no response: no completion,
     * CONS stays on the CMD_SYNC. */
    if (smmu_ats_sync_check(s))
        return SMMU_CERROR_ATC_INV_SYNC;
    return SMMU_CERROR_NONE;
}

static void sync_signal(smmu_t *s, const cmd_t *c)
{
    unsigned cs = (unsigned)SMMU_GET(c->w[0], 13, 12);
    /* SIG_SEV: a WFE wake-up when IDR0.SEV == 1, nothing otherwise; the
     * model has no event line, so both are SIG_NONE. */
    if (cs != SMMU_SYNC_CS_IRQ)
        return;
    /* MSIAddress[55:2] truncated to the OAS (3.4.3); 32-bit write of
     * MSIData with MSH [23:22] and MSIAttr [27:24] (ops.msi_write). */
    smmu_msi_attr_t a;
    smmu_msi_attr_make(&a, SMMU_MSI_CMD_SYNC, (unsigned)SMMU_GET(c->w[0], 23, 22),
                       (unsigned)SMMU_GET(c->w[0], 27, 24));
    if (smmu_msi_send(s, c->w[1] & SMMU_MASK(55, 2), (uint32_t)SMMU_GET(c->w[0], 63, 32), &a))
        smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_MSI_CMDQ_ABT_ERR);
    /* A wired CMD_SYNC interrupt is asserted regardless of MSIAddress. */
    smmu_irq_pulse(s, SMMU_IRQ_CMD_SYNC);
}

/* ---- Opcode table ------------------------------------------------------ */

static cmd_desc_t row(cmd_handler_t fn, uint64_t w0, uint64_t w1, unsigned ssec,
                      enum cmd_need need)
{
    cmd_desc_t d = {fn, w0 | CMD_OP, w1, (uint8_t)ssec, (uint8_t)need};
    return d;
}

static cmd_desc_t describe(const smmu_t *s, unsigned op)
{
    /* Range fields exist only with IDR3.RIL; otherwise RES0 (4.4.1.1). */
    const uint64_t rng0 = s->cfg.ril ? CMD_NUM | CMD_SCALE : 0;
    const uint64_t rng1 = s->cfg.ril ? CMD_TTL | CMD_TG : 0;
    /* Physical/IPA addresses: bits [55:52] RES0 from v3.1, [55:48] in v3.0
     * (4.1.6). */
    const unsigned pa_top = s->cfg.arch_minor == SMMU_ARCH_V3_0 ? 47 : 51;
    const uint64_t va_w1 = CMD_VA | CMD_LEAF | rng1;
    switch (op) {
    case SMMU_CMD_PREFETCH_CONFIG: /* 4.2.1 */
        return row(cmd_prefetch, CMD_SSEC | CMD_SSV | CMD_SSID | CMD_SID, 0, 1, NEED_NONE);
    case SMMU_CMD_PREFETCH_ADDR: /* 4.2.2: Addr/NS/Size/Stride: word 1 not checked */
        return row(cmd_prefetch, CMD_SSEC | CMD_SSV | CMD_SSID | CMD_SID, ~0ull, 1, NEED_NONE);
    case SMMU_CMD_CFGI_STE: /* 4.3.1 */
        return row(cmd_cfgi_ste, CMD_SSEC | CMD_SID, CMD_LEAF, 1, NEED_NONE);
    case SMMU_CMD_CFGI_STE_RANGE: /* 4.3.2, 4.3.6 */
        return row(cmd_cfgi_ste_range, CMD_SSEC | CMD_SID, CMD_RANGE, 1, NEED_NONE);
    case SMMU_CMD_CFGI_CD: /* 4.3.3 */
        return row(cmd_cfgi_cd, CMD_SSEC | CMD_SSID | CMD_SID, CMD_LEAF, 1, NEED_S1);
    case SMMU_CMD_CFGI_CD_ALL: /* 4.3.4 */
        return row(cmd_cfgi_cd_all, CMD_SSEC | CMD_SID, 0, 1, NEED_S1);
    case SMMU_CMD_CFGI_VMS_PIDM: /* 4.3.5 */
        return row(cmd_unmodelled, CMD_SSEC | CMD_VMID, 0, 1, NEED_MPAM);
    case SMMU_CMD_TLBI_NH_ALL: /* 4.4.2.1 */
        return row(cmd_tlbi_nh_all, CMD_VMID, 0, 0, NEED_S1);
    case SMMU_CMD_TLBI_NH_ASID: /* 4.4.2.2 */
        return row(cmd_tlbi_nh_asid, CMD_VMID | CMD_ASID, 0, 0, NEED_S1);
    case SMMU_CMD_TLBI_NH_VA: /* 4.4.2.4 */
        return row(cmd_tlbi_nh_va, CMD_VMID | CMD_ASID | rng0, va_w1, 0, NEED_S1);
    case SMMU_CMD_TLBI_NH_VAA: /* 4.4.2.3 */
        return row(cmd_tlbi_nh_vaa, CMD_VMID | rng0, va_w1, 0, NEED_S1);
    case SMMU_CMD_TLBI_EL2_ALL: /* 4.4.2.7 */
        return row(cmd_tlbi_el2_all, 0, 0, 0, NEED_HYP);
    case SMMU_CMD_TLBI_EL2_ASID: /* 4.4.2.10 */
        return row(cmd_tlbi_el2_asid, CMD_ASID, 0, 0, NEED_HYP);
    case SMMU_CMD_TLBI_EL2_VA: /* 4.4.2.8 */
        return row(cmd_tlbi_el2_va, CMD_ASID | rng0, va_w1, 0, NEED_HYP);
    case SMMU_CMD_TLBI_EL2_VAA: /* 4.4.2.9 */
        return row(cmd_tlbi_el2_vaa, rng0, va_w1, 0, NEED_HYP);
    case SMMU_CMD_TLBI_S12_VMALL: /* 4.4.3.2 */
        return row(cmd_tlbi_s12_vmall, CMD_VMID, 0, 0, NEED_S2);
    case SMMU_CMD_TLBI_S2_IPA: /* 4.4.3.1 */
        return row(cmd_tlbi_s2_ipa, CMD_VMID | rng0,
                   SMMU_MASK(pa_top, 12) | CMD_LEAF | rng1, 0, NEED_S2);
    case SMMU_CMD_TLBI_NSNH_ALL: /* 4.4.4.1 */
        return row(cmd_tlbi_nsnh_all, 0, 0, 0, NEED_NONE);
    case SMMU_CMD_ATC_INV: /* 4.5.1: Global [9], SSV, SSID, SID; Size [5:0], Address; ILLEGAL when IDR0.ATS == 0 */
        return row(cmd_atc_inv, SMMU_BIT(9) | CMD_SSV | CMD_SSID | CMD_SID,
                   SMMU_MASK(5, 0) | SMMU_MASK(63, 12), 0, NEED_ATS);
    case SMMU_CMD_PRI_RESP: /* 4.5.2: SSV, SSID, SID; PRGIndex [8:0], Resp [13:12]; ILLEGAL when IDR0.PRI == 0 */
        return row(cmd_pri_resp, CMD_SSV | CMD_SSID | CMD_SID, SMMU_MASK(8, 0) | SMMU_MASK(13, 12), 1,
                   NEED_PRI);
    case SMMU_CMD_RESUME: /* 4.7.1: Ac [12], Ab [13], StreamID; STAG; CERROR_ILL when STALL_MODEL == 0b01 */
        return row(cmd_resume, SMMU_MASK(13, 12) | CMD_SID, SMMU_MASK(15, 0), 1, NEED_STALL);
    case SMMU_CMD_STALL_TERM: /* 4.7.2: StreamID; CERROR_ILL when STALL_MODEL == 0b01 */
        return row(cmd_stall_term, CMD_SID, 0, 1, NEED_STALL);
    case SMMU_CMD_SYNC: /* 4.7.3: CS, MSH, MSIAttr, MSIData; MSIAddress[55:2] */
        return row(cmd_sync, SMMU_MASK(13, 12) | SMMU_MASK(23, 22) | SMMU_MASK(27, 24) |
                                 SMMU_MASK(63, 32),
                   SMMU_MASK(pa_top, 2), 0, NEED_NONE);
    default:
        /* Reserved opcodes, Secure-only and EL3 commands (Non-secure queue),
         * DPTI_* (no DPT): CERROR_ILL (4.1.3). */
        return row(NULL, 0, 0, 0, NEED_NONE);
    }
}

static int has_feature(const smmu_t *s, unsigned need)
{
    switch (need) {
    case NEED_S1:
        return s->cfg.s1p;
    case NEED_S2:
        return s->cfg.s2p;
    case NEED_HYP:
        return s->cfg.hyp;
    case NEED_MPAM:
        return s->cfg.mpam;
    case NEED_ATS:
        return s->cfg.ats;
    case NEED_PRI:
        return s->cfg.pri;
    case NEED_STALL:
        return s->cfg.stall_model != 1;
    default:
        return 1;
    }
}

static unsigned execute(smmu_t *s, const cmd_t *c)
{
    unsigned op = (unsigned)(c->w[0] & 0xFF);
    cmd_desc_t d = describe(s, op);
    if (!d.fn || !has_feature(s, d.need))
        return SMMU_CERROR_ILL;
    if (d.ssec && (c->w[0] & CMD_SSEC))
        return SMMU_CERROR_ILL; /* 4.1.6: SSec = 1 on the Non-secure queue */
    if ((c->w[0] & ~d.w0_defined) || (c->w[1] & ~d.w1_defined))
        return SMMU_CERROR_ILL; /* 4.1.5: non-zero Reserved field */
    return d.fn(s, c);
}

/* ---- Consumer ---------------------------------------------------------- */

static void cmdq_error(smmu_t *s, unsigned cerror)
{
    smmu_regs_t *r = &s->regs;
    s->stats.cerrors++;
    /* 7.1: ERR is visible before GERROR.CMDQ_ERR; CONS stays on the command. */
    r->cmdq_cons = (r->cmdq_cons & ~(uint32_t)SMMU_MASK(30, 24)) |
                   (uint32_t)SMMU_PUT(cerror, 30, 24);
    smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_CMDQ_ERR);
}

void smmu_cmdq_consume(smmu_t *s)
{
    smmu_regs_t *r = &s->regs;
    if (r->cmdq_busy)
        return; /* re-entered from a callback: the outer loop continues */
    r->cmdq_busy = 1;
    /* 12.3: no command is consumed in Service Failure Mode. */
    while ((r->cr0ack & SMMU_CR0_CMDQEN) && !r->sfm &&
           !smmu_gerror_active(s, (uint32_t)SMMU_GERROR_CMDQ_ERR)) {
        unsigned qs = smmu_cmdq_log2size(s);
        if (smmu_queue_empty(r->cmdq_prod, r->cmdq_cons, qs))
            break;
        uint64_t base = smmu_queue_base(s, r->cmdq_base, qs, 16);
        cmd_t c;
        if (smmu_mem_read_words(s, smmu_queue_slot(base, r->cmdq_cons, qs, 16), c.w, 2,
                                SMMU_ACC_CMDQ)) {
            cmdq_error(s, SMMU_CERROR_ABT); /* 7.1: synchronous, CONS unchanged */
            continue; /* stops unless the GERROR handler already acknowledged */
        }
        unsigned op = (unsigned)(c.w[0] & 0xFF);
        if (s->chk)
            smmu_checker_cmd(s, r->cmdq_cons, c.w);
        unsigned err = execute(s, &c);
        if (err) {
            cmdq_error(s, err);
            continue; /* stops unless the GERROR handler already acknowledged */
        }
        s->stats.commands++;
        s->stats.cmd_by_opcode[op]++;
        r->cmdq_cons = smmu_qptr_advance(r->cmdq_cons, qs);
        if (op == SMMU_CMD_SYNC)
            sync_signal(s, &c);
    }
    r->cmdq_busy = 0;
}

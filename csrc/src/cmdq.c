/*
 * Command queue consumer (IHI 0070 G.b, 4.1-4.7, 7.1).
 *
 * One table maps every opcode to its descriptor: the defined fields of the
 * two 64-bit command words (any other bit set is a malformed command,
 * CERROR_ILL, 4.1.5), whether the command has an SSec field (SSec = 1 on the
 * Non-secure queue is CERROR_ILL, 4.1.6), the feature it needs (else
 * CERROR_ILL, 4.4.2 and friends) and its handler. Handlers return a CERROR
 * code (0 = consumed). To add a command, add one row and one handler.
 */
#include "cmdq.h"
#include "smmu_internal.h"

typedef struct cmd_ctx {
    uint64_t w[2];
} cmd_t;

typedef unsigned (*cmd_handler_t)(smmu_t *s, const cmd_t *c);

enum cmd_need {
    NEED_NONE = 0,
    NEED_S1,   /* IDR0.S1P (stage-1 TLBIs, CFGI_CD*) */
    NEED_S2,   /* IDR0.S2P */
    NEED_HYP,  /* IDR0.Hyp (EL2 TLBIs) */
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
#define CMD_LEAF SMMU_BIT(0)
#define CMD_RANGE SMMU_MASK(4, 0)

/* ---- Handlers ---------------------------------------------------------- */

static unsigned cmd_nop(smmu_t *s, const cmd_t *c)
{
    (void)s;
    (void)c;
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_STE (4.3.1) */
static unsigned cmd_cfgi_ste(smmu_t *s, const cmd_t *c)
{
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    smmu_cfgcache_inval_sid_range(&s->cfgc, sid, sid);
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_STE_RANGE / CMD_CFGI_ALL (4.3.2, 4.3.6): 2^(Range+1) StreamIDs,
 * the bottom Range+1 bits of StreamID IGNORED; Range == 31 is everything. */
static unsigned cmd_cfgi_ste_range(smmu_t *s, const cmd_t *c)
{
    unsigned range = (unsigned)SMMU_GET(c->w[1], 4, 0);
    if (range == 31) {
        smmu_cfgcache_inval_all(&s->cfgc);
        return SMMU_CERROR_NONE;
    }
    uint32_t sid = (uint32_t)SMMU_GET(c->w[0], 63, 32);
    uint32_t span_mask = (uint32_t)SMMU_MASK(range, 0);
    uint32_t first = sid & ~span_mask;
    smmu_cfgcache_inval_sid_range(&s->cfgc, first, first | span_mask);
    return SMMU_CERROR_NONE;
}

/* CMD_CFGI_CD (4.3.3) and CMD_CFGI_CD_ALL (4.3.4). The cache invalidates
 * every CD of the StreamID (over-invalidation is permitted, 4.3). */
static unsigned cmd_cfgi_cd(smmu_t *s, const cmd_t *c)
{
    smmu_cfgcache_inval_cd(&s->cfgc, (uint32_t)SMMU_GET(c->w[0], 63, 32));
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_NH_ALL (4.4.2.1): all NS-EL1 stage-1 entries (stage-1-only
 * and nested) of VMID; VMID is matched only when stage 2 is implemented. */
static unsigned cmd_tlbi_nh_all(smmu_t *s, const cmd_t *c)
{
    smmu_tlb_inval_t iv = {0};
    iv.kinds = SMMU_TLB_S1 | SMMU_TLB_NESTED;
    iv.world = SMMU_WORLD_NS_EL1;
    iv.match_vmid = s->cfg.s2p ? 1 : 0;
    iv.vmid = (uint16_t)SMMU_GET(c->w[0], 47, 32);
    smmu_tlb_invalidate(&s->tlb, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_EL2_ALL (4.4.2.7): all NS-EL2 and NS-EL2-E2H entries. */
static unsigned cmd_tlbi_el2_all(smmu_t *s, const cmd_t *c)
{
    (void)c;
    smmu_tlb_inval_t iv = {0};
    iv.kinds = SMMU_TLB_S1 | SMMU_TLB_S2 | SMMU_TLB_NESTED;
    iv.world = SMMU_WORLD_NS_EL2;
    smmu_tlb_invalidate(&s->tlb, &iv);
    iv.world = SMMU_WORLD_NS_EL2_E2H;
    smmu_tlb_invalidate(&s->tlb, &iv);
    return SMMU_CERROR_NONE;
}

/* CMD_TLBI_NSNH_ALL (4.4.4.1): every Non-secure non-EL2 entry, all stages. */
static unsigned cmd_tlbi_nsnh_all(smmu_t *s, const cmd_t *c)
{
    (void)c;
    smmu_tlb_inval_t iv = {0};
    iv.kinds = SMMU_TLB_S1 | SMMU_TLB_S2 | SMMU_TLB_NESTED;
    iv.world = SMMU_WORLD_NS_EL1;
    smmu_tlb_invalidate(&s->tlb, &iv);
    return SMMU_CERROR_NONE;
}
/* Prefetches are hints; doing nothing is a valid implementation (4.2). */
#define cmd_prefetch cmd_nop

/* CMD_SYNC (4.7.3). The completion signal is sent after CONS has moved past
 * the CMD_SYNC (the caller advances CONS first, see sync_signal). */
static unsigned cmd_sync(smmu_t *s, const cmd_t *c)
{
    (void)s;
    if (SMMU_GET(c->w[0], 13, 12) == 3) /* CS = 0b11: Reserved */
        return SMMU_CERROR_ILL;
    return SMMU_CERROR_NONE;
}

static void sync_signal(smmu_t *s, const cmd_t *c)
{
    unsigned cs = (unsigned)SMMU_GET(c->w[0], 13, 12);
    /* SIG_SEV: a WFE wake-up when IDR0.SEV == 1, nothing otherwise; the
     * model has no event line, so both are SIG_NONE. */
    if (cs != SMMU_SYNC_CS_IRQ)
        return;
    uint64_t addr = c->w[1] & SMMU_MASK(55, 2);
    if (s->cfg.msi && addr) {
        /* MSIAddress truncated to the OAS (3.4.3); 32-bit write of MSIData. */
        uint64_t pa = addr & SMMU_MASK(s->oas_bits - 1u, 2);
        uint32_t data = smmu_to_mem32((uint32_t)SMMU_GET(c->w[0], 63, 32));
        if (smmu_mem_write(s, pa, &data, 4, SMMU_ACC_SYNC))
            smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_MSI_CMDQ_ABT_ERR);
    }
    /* A wired CMD_SYNC interrupt is asserted regardless of MSIAddress. */
    if (s->ops.raise_irq)
        s->ops.raise_irq(s->ctx, SMMU_IRQ_CMD_SYNC);
}

/* ---- Opcode table ------------------------------------------------------ */

static cmd_desc_t describe(const smmu_t *s, unsigned op)
{
    cmd_desc_t d = {NULL, 0, 0, 0, NEED_NONE};
    switch (op) {
    case SMMU_CMD_PREFETCH_CONFIG: /* 4.2.1 */
        d = (cmd_desc_t){cmd_prefetch, CMD_OP | CMD_SSEC | CMD_SSV | CMD_SSID | CMD_SID, 0, 1,
                         NEED_NONE};
        break;
    case SMMU_CMD_PREFETCH_ADDR: /* 4.2.2: Size/Stride/NS/Addr in word 1 */
        d = (cmd_desc_t){cmd_prefetch, CMD_OP | CMD_SSEC | CMD_SSV | CMD_SSID | CMD_SID,
                         ~0ull, 1, NEED_NONE};
        break;
    case SMMU_CMD_CFGI_STE: /* 4.3.1 */
        d = (cmd_desc_t){cmd_cfgi_ste, CMD_OP | CMD_SSEC | CMD_SID, CMD_LEAF, 1, NEED_NONE};
        break;
    case SMMU_CMD_CFGI_STE_RANGE: /* 4.3.2, 4.3.6 */
        d = (cmd_desc_t){cmd_cfgi_ste_range, CMD_OP | CMD_SSEC | CMD_SID, CMD_RANGE, 1,
                         NEED_NONE};
        break;
    case SMMU_CMD_CFGI_CD: /* 4.3.3 */
        d = (cmd_desc_t){cmd_cfgi_cd, CMD_OP | CMD_SSEC | CMD_SSID | CMD_SID, CMD_LEAF, 1,
                         NEED_S1};
        break;
    case SMMU_CMD_CFGI_CD_ALL: /* 4.3.4 */
        d = (cmd_desc_t){cmd_cfgi_cd, CMD_OP | CMD_SSEC | CMD_SID, 0, 1, NEED_S1};
        break;
    case SMMU_CMD_TLBI_NH_ALL: /* 4.4.2.1 */
        d = (cmd_desc_t){cmd_tlbi_nh_all, CMD_OP | CMD_VMID, 0, 0, NEED_S1};
        break;
    case SMMU_CMD_TLBI_EL2_ALL: /* 4.4.2.7 */
        d = (cmd_desc_t){cmd_tlbi_el2_all, CMD_OP, 0, 0, NEED_HYP};
        break;
    case SMMU_CMD_TLBI_NSNH_ALL: /* 4.4.4.1 */
        d = (cmd_desc_t){cmd_tlbi_nsnh_all, CMD_OP, 0, 0, NEED_NONE};
        break;
    case SMMU_CMD_SYNC: /* 4.7.3: CS, MSH, MSIAttr, MSIData; MSIAddress[55:2] */
        d = (cmd_desc_t){cmd_sync,
                         CMD_OP | SMMU_MASK(13, 12) | SMMU_MASK(23, 22) | SMMU_MASK(27, 24) |
                             SMMU_MASK(63, 32),
                         /* 4.1.6: address bits [55:52] RES0 from v3.1, [55:48] in v3.0 */
                         s->cfg.arch_minor == SMMU_ARCH_V3_0 ? SMMU_MASK(47, 2)
                                                             : SMMU_MASK(51, 2),
                         0, NEED_NONE};
        break;
    default:
        /* Reserved opcodes, Secure-only and EL3 commands (Non-secure queue),
         * and commands not modelled yet: CERROR_ILL (4.1.3). */
        break;
    }
    return d;
}

static unsigned execute(smmu_t *s, const cmd_t *c)
{
    unsigned op = (unsigned)(c->w[0] & 0xFF);
    cmd_desc_t d = describe(s, op);
    if (!d.fn)
        return SMMU_CERROR_ILL;
    switch (d.need) {
    case NEED_S1:
        if (!s->cfg.s1p)
            return SMMU_CERROR_ILL;
        break;
    case NEED_S2:
        if (!s->cfg.s2p)
            return SMMU_CERROR_ILL;
        break;
    case NEED_HYP:
        if (!s->cfg.hyp)
            return SMMU_CERROR_ILL;
        break;
    default:
        break;
    }
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
    while ((r->cr0ack & SMMU_CR0_CMDQEN) &&
           !smmu_gerror_active(s, (uint32_t)SMMU_GERROR_CMDQ_ERR)) {
        unsigned qs = smmu_cmdq_log2size(s);
        uint32_t ptr = (uint32_t)SMMU_MASK(qs, 0), idx = ptr >> 1;
        uint32_t cons = r->cmdq_cons & ptr, prod = r->cmdq_prod & ptr;
        if (cons == prod)
            break;
        uint64_t base = smmu_queue_base(s, r->cmdq_base, qs, 16);
        cmd_t c;
        if (smmu_mem_read_words(s, base + (uint64_t)(cons & idx) * 16u, c.w, 2,
                                SMMU_ACC_CMDQ)) {
            cmdq_error(s, SMMU_CERROR_ABT); /* 7.1: synchronous, CONS unchanged */
            break;
        }
        unsigned op = (unsigned)(c.w[0] & 0xFF);
        unsigned err = execute(s, &c);
        if (err) {
            cmdq_error(s, err);
            break;
        }
        s->stats.commands++;
        s->stats.cmd_by_opcode[op]++;
        r->cmdq_cons = (r->cmdq_cons & ~ptr) | ((cons + 1) & ptr);
        if (op == SMMU_CMD_SYNC)
            sync_signal(s, &c);
    }
    r->cmdq_busy = 0;
}

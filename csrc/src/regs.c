/* SPDX-License-Identifier: Apache-2.0 */
/*
 * SMMU register file, Non-secure programming interface (IHI 0070 G.b, 6.2,
 * 6.3). Global errors and interrupt signalling (7.5, 3.18) are in irq.c,
 * queue geometry (3.5) in queue.c; this file calls down into them and into
 * cmdq.c (command consumption after CMDQ_PROD, CR0.CMDQEN and GERRORN
 * writes).
 *
 * Model choices for what the architecture leaves open are listed in
 * docs/registers.md. In short:
 *  - every Update handshake (CR0/CR0ACK, IRQ_CTRL/IRQ_CTRLACK, GBPA.Update)
 *    completes before the MMIO write returns;
 *  - a Guarded register written while its guard is set is IGNORED in every
 *    revision (the only behaviour from SMMUv3.2, one of the permitted
 *    behaviours before);
 *  - reserved offsets, page-0 aliases of page-1 registers and 64-bit
 *    accesses that do not target one 64-bit register are RAZ/WI.
 */
#include <string.h>

#include "cmdq.h"
#include "irq.h"
#include "queue.h"
#include "regs.h"
#include "checker.h"
#include "smmu_internal.h"

/* ---- ID registers ------------------------------------------------------ */

void smmu_regs_build_idr(const smmu_config_t *c, smmu_regs_t *r)
{
    smmu_config_to_idr(c, r->idr, &r->aidr, &r->iidr); /* idr.c: the one encoder */
}

/* ---- Implemented-field masks ------------------------------------------- */

static uint32_t cr0_mask(const smmu_t *s)
{
    uint32_t m = (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    if (s->cfg.pri)
        m |= (uint32_t)SMMU_CR0_PRIQEN;
    if (s->cfg.ats)
        m |= (uint32_t)SMMU_CR0_ATSCHK;
    if (s->cfg.vmw)
        m |= (uint32_t)SMMU_MASK(8, 6);
    return m;
}

static uint32_t cr2_mask(const smmu_t *s)
{
    uint32_t m = (uint32_t)SMMU_CR2_RECINVSID;
    if (s->cfg.hyp)
        m |= (uint32_t)SMMU_CR2_E2H;
    if (s->cfg.btm)
        m |= (uint32_t)SMMU_CR2_PTM;
    if (s->cfg.atsrecerr)
        m |= (uint32_t)SMMU_CR2_REC_CFG_ATS;
    return m;
}

static uint32_t gbpa_mask(const smmu_t *s)
{
    uint32_t m = (uint32_t)SMMU_GBPA_ABORT;
    if (s->cfg.attr_perms_ovr)
        m |= (uint32_t)SMMU_MASK(19, 16); /* INSTCFG, PRIVCFG */
    if (s->cfg.attr_types_ovr)
        m |= (uint32_t)(SMMU_MASK(13, 8) | SMMU_MASK(4, 0)); /* SHCFG ALLOCCFG MTCFG MemAttr */
    return m;
}

static uint32_t irq_ctrl_mask(const smmu_t *s)
{
    uint32_t m = (uint32_t)(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    if (s->cfg.pri)
        m |= (uint32_t)SMMU_IRQ_CTRL_PRIQ_IRQEN;
    return m;
}

/* Physical-address field [hi_excl-1:lo] limited to the OAS (address bits
 * above the OAS are RES0 and not stored, 6.3.21/24/26/29). */
static uint64_t pa_field(const smmu_t *s, unsigned lo)
{
    return SMMU_MASK(s->oas_bits - 1u, lo);
}

/* ---- Reset ------------------------------------------------------------- */

void smmu_regs_reset(smmu_t *s)
{
    smmu_regs_t *r = &s->regs;
    memset(r, 0, sizeof(*r));
    smmu_regs_build_idr(&s->cfg, r);
    /* Fields with an UNKNOWN reset value reset to 0 in the model. GBPA
     * resets to a default-deny policy (ABORT = 1, 6.3.14 note) with SHCFG =
     * Use incoming when it is implemented. PTM resets to 1 where supported
     * (6.3.12 recommendation). */
    r->gbpa = (uint32_t)SMMU_GBPA_ABORT;
    if (s->cfg.attr_types_ovr)
        r->gbpa |= (uint32_t)SMMU_PUT(1, 13, 12);
    if (s->cfg.btm)
        r->cr2 = (uint32_t)SMMU_CR2_PTM;
}

/* ---- Register access ------------------------------------------------- */

static int smmuen_any(const smmu_t *s)
{
    return ((s->regs.cr0 | s->regs.cr0ack) & SMMU_CR0_SMMUEN) != 0;
}

static int cr0_any(const smmu_t *s, uint64_t bit)
{
    return ((s->regs.cr0 | s->regs.cr0ack) & bit) != 0;
}

static int irqen_any(const smmu_t *s, uint64_t bit)
{
    return ((s->regs.irq_ctrl | s->regs.irq_ctrlack) & bit) != 0;
}

/* The 64-bit registers of page 0 (6.2.1). Returns a pointer to the storage
 * for a register at `base`, or NULL if `base` is not one (or the register
 * is absent in this configuration: then it is RES0). */
static uint64_t *reg64(smmu_t *s, uint64_t base)
{
    smmu_regs_t *r = &s->regs;
    switch (base) {
    case SMMU_GERROR_IRQ_CFG0:
        return s->cfg.msi ? &r->gerror_irq_cfg0 : NULL;
    case SMMU_STRTAB_BASE:
        return &r->strtab_base;
    case SMMU_CMDQ_BASE:
        return &r->cmdq_base;
    case SMMU_EVENTQ_BASE:
        return &r->eventq_base;
    case SMMU_EVENTQ_IRQ_CFG0:
        return s->cfg.msi ? &r->eventq_irq_cfg0 : NULL;
    case SMMU_PRIQ_BASE:
        return s->cfg.pri ? &r->priq_base : NULL;
    case SMMU_PRIQ_IRQ_CFG0:
        return (s->cfg.msi && s->cfg.pri) ? &r->priq_irq_cfg0 : NULL;
    default:
        return NULL;
    }
}

/* Write a whole 64-bit register with its access rules. */
static void write64(smmu_t *s, uint64_t base, uint64_t v)
{
    smmu_regs_t *r = &s->regs;
    switch (base) {
    case SMMU_GERROR_IRQ_CFG0: /* 6.3.21: RO while GERROR_IRQEN */
        if (!irqen_any(s, SMMU_IRQ_CTRL_GERROR_IRQEN))
            r->gerror_irq_cfg0 = v & pa_field(s, 2);
        break;
    case SMMU_EVENTQ_IRQ_CFG0: /* 6.3.30 */
        if (!irqen_any(s, SMMU_IRQ_CTRL_EVENTQ_IRQEN))
            r->eventq_irq_cfg0 = v & pa_field(s, 2);
        break;
    case SMMU_PRIQ_IRQ_CFG0: /* 6.3.34 */
        if (!irqen_any(s, SMMU_IRQ_CTRL_PRIQ_IRQEN))
            r->priq_irq_cfg0 = v & pa_field(s, 2);
        break;
    case SMMU_STRTAB_BASE: /* 6.3.24: RA, ADDR[OAS-1:6]; RO while SMMUEN */
        if (!smmuen_any(s))
            r->strtab_base = v & (SMMU_BIT(62) | pa_field(s, 6));
        break;
    case SMMU_CMDQ_BASE: /* 6.3.26: RA, ADDR[OAS-1:5], LOG2SIZE; RO while CMDQEN */
        if (!cr0_any(s, SMMU_CR0_CMDQEN))
            r->cmdq_base = v & (SMMU_BIT(62) | pa_field(s, 5) | SMMU_MASK(4, 0));
        break;
    case SMMU_EVENTQ_BASE: /* 6.3.29: WA, ADDR, LOG2SIZE; RO while EVENTQEN */
        if (!cr0_any(s, SMMU_CR0_EVENTQEN))
            r->eventq_base = v & (SMMU_BIT(62) | pa_field(s, 5) | SMMU_MASK(4, 0));
        break;
    case SMMU_PRIQ_BASE: /* 6.3.33: RO while PRIQEN */
        if (!cr0_any(s, SMMU_CR0_PRIQEN))
            r->priq_base = v & (SMMU_BIT(62) | pa_field(s, 5) | SMMU_MASK(4, 0));
        break;
    default:
        break;
    }
}

/* Read a 32-bit register (or half of a 64-bit one). Undefined and absent
 * locations read as zero. */
static uint32_t read32(smmu_t *s, uint64_t off)
{
    smmu_regs_t *r = &s->regs;
    uint64_t *p64 = reg64(s, off & ~7ull);
    if (p64)
        return (uint32_t)(*p64 >> ((off & 4) ? 32 : 0));
    switch (off) {
    case SMMU_IDR0:
    case SMMU_IDR1:
    case SMMU_IDR2:
    case SMMU_IDR3:
    case SMMU_IDR4:
    case SMMU_IDR5:
        return r->idr[off / 4];
    case SMMU_IIDR:
        return r->iidr;
    case SMMU_AIDR:
        return r->aidr;
    case SMMU_CR0:
        return r->cr0;
    case SMMU_CR0ACK:
        return r->cr0ack;
    case SMMU_CR1:
        return r->cr1;
    case SMMU_CR2:
        return r->cr2;
    case SMMU_STATUSR:
        return 0; /* DORMANT: the model is never dormant */
    case SMMU_GBPA:
        return r->gbpa; /* Update completes immediately: reads 0 */
    case SMMU_AGBPA:
        return 0; /* not implemented: RES0 (6.3.15) */
    case SMMU_IRQ_CTRL:
        return r->irq_ctrl;
    case SMMU_IRQ_CTRLACK:
        return r->irq_ctrlack;
    case SMMU_GERROR:
        return r->gerror;
    case SMMU_GERRORN:
        return r->gerrorn;
    case SMMU_GERROR_IRQ_CFG1:
        return s->cfg.msi ? r->gerror_irq_cfg1 : 0;
    case SMMU_GERROR_IRQ_CFG2:
        return s->cfg.msi ? r->gerror_irq_cfg2 : 0;
    case SMMU_STRTAB_BASE_CFG:
        return r->strtab_base_cfg;
    case SMMU_CMDQ_PROD:
        return r->cmdq_prod;
    case SMMU_CMDQ_CONS: /* 6.3.28: bits [19:QS+1] RAZ */
        return r->cmdq_cons & ~(SMMU_MASK(19, 0) & ~smmu_qptr_mask(smmu_cmdq_log2size(s)));
    case SMMU_EVENTQ_IRQ_CFG1:
        return s->cfg.msi ? r->eventq_irq_cfg1 : 0;
    case SMMU_EVENTQ_IRQ_CFG2:
        return s->cfg.msi ? r->eventq_irq_cfg2 : 0;
    case SMMU_PRIQ_IRQ_CFG1:
        return (s->cfg.msi && s->cfg.pri) ? r->priq_irq_cfg1 : 0;
    case SMMU_PRIQ_IRQ_CFG2:
        return (s->cfg.msi && s->cfg.pri) ? r->priq_irq_cfg2 : 0;
    case SMMU_EVENTQ_PROD: /* 6.3.95: bits [19:QS+1] RAZ */
        return r->eventq_prod & ~(SMMU_MASK(19, 0) & ~smmu_qptr_mask(smmu_eventq_log2size(s)));
    case SMMU_EVENTQ_CONS:
        return r->eventq_cons;
    case SMMU_PRIQ_PROD:
        return s->cfg.pri ? r->priq_prod : 0;
    case SMMU_PRIQ_CONS:
        return s->cfg.pri ? r->priq_cons : 0;
    default:
        /* Page-0 aliases of page-1 registers (0xA8/0xAC/0xC8/0xCC): RAZ/WI
         * (6.2). Other undefined page-0 offsets are RES0; undefined page-1
         * offsets behave as RES0 (6.2); everything beyond is RAZ. */
        return 0;
    }
}

static void write_gerrorn(smmu_t *s, uint32_t v)
{
    smmu_regs_t *r = &s->regs;
    int cmdq_was_active = smmu_gerror_active(s, (uint32_t)SMMU_GERROR_CMDQ_ERR);
    r->gerrorn = v & smmu_gerror_mask(s);
    /* 7.1: acknowledging CMDQ_ERR restarts command processing. */
    if (cmdq_was_active && !smmu_gerror_active(s, (uint32_t)SMMU_GERROR_CMDQ_ERR))
        smmu_cmdq_consume(s);
}

static void write32(smmu_t *s, uint64_t off, uint32_t v)
{
    smmu_regs_t *r = &s->regs;
    uint64_t *p64 = reg64(s, off & ~7ull);
    if (p64) {
        uint64_t cur = *p64;
        uint64_t nv = (off & 4) ? ((cur & 0xFFFFFFFFull) | ((uint64_t)v << 32))
                                : ((cur & ~0xFFFFFFFFull) | v);
        write64(s, off & ~7ull, nv);
        return;
    }
    switch (off) {
    case SMMU_CR0: {
        uint32_t old = r->cr0ack;
        r->cr0 = v & cr0_mask(s);
        r->cr0ack = r->cr0; /* Update completes immediately (6.3.9) */
        if (!(old & SMMU_CR0_CMDQEN) && (r->cr0ack & SMMU_CR0_CMDQEN))
            smmu_cmdq_consume(s);
        break;
    }
    case SMMU_CR1: { /* 6.3.11: TABLE_* RO while SMMUEN, QUEUE_* while queues on */
        uint32_t keep = 0;
        if (smmuen_any(s))
            keep |= (uint32_t)SMMU_MASK(11, 6);
        if (cr0_any(s, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_PRIQEN))
            keep |= (uint32_t)SMMU_MASK(5, 0);
        r->cr1 = (r->cr1 & keep) | (v & (uint32_t)SMMU_MASK(11, 0) & ~keep);
        break;
    }
    case SMMU_CR2: /* 6.3.12: RO while SMMUEN */
        if (!smmuen_any(s))
            r->cr2 = v & cr2_mask(s);
        break;
    case SMMU_GBPA: /* 6.3.14.1: only a write with Update = 1 takes effect */
        if (v & SMMU_GBPA_UPDATE)
            r->gbpa = v & gbpa_mask(s);
        break;
    case SMMU_IRQ_CTRL:
        r->irq_ctrl = v & irq_ctrl_mask(s);
        r->irq_ctrlack = r->irq_ctrl;
        break;
    case SMMU_GERRORN:
        write_gerrorn(s, v);
        break;
    case SMMU_GERROR_IRQ_CFG1:
        if (s->cfg.msi && !irqen_any(s, SMMU_IRQ_CTRL_GERROR_IRQEN))
            r->gerror_irq_cfg1 = v;
        break;
    case SMMU_GERROR_IRQ_CFG2:
        if (s->cfg.msi && !irqen_any(s, SMMU_IRQ_CTRL_GERROR_IRQEN))
            r->gerror_irq_cfg2 = v & (uint32_t)SMMU_MASK(5, 0);
        break;
    case SMMU_STRTAB_BASE_CFG: /* 6.3.25 */
        if (!smmuen_any(s)) {
            uint32_t m = (uint32_t)SMMU_MASK(5, 0);
            if (s->cfg.st_level)
                m |= (uint32_t)(SMMU_MASK(17, 16) | SMMU_MASK(10, 6));
            r->strtab_base_cfg = v & m;
        }
        break;
    case SMMU_CMDQ_PROD: /* 6.3.27: always writable; triggers consumption */
        r->cmdq_prod = v & smmu_qptr_mask(smmu_cmdq_log2size(s));
        smmu_cmdq_consume(s);
        break;
    case SMMU_CMDQ_CONS: /* 6.3.28: RO while CMDQEN; ERR takes the written value */
        if (!cr0_any(s, SMMU_CR0_CMDQEN))
            r->cmdq_cons =
                v & ((uint32_t)SMMU_MASK(30, 24) | smmu_qptr_mask(smmu_cmdq_log2size(s)));
        break;
    case SMMU_EVENTQ_IRQ_CFG1:
        if (s->cfg.msi && !irqen_any(s, SMMU_IRQ_CTRL_EVENTQ_IRQEN))
            r->eventq_irq_cfg1 = v;
        break;
    case SMMU_EVENTQ_IRQ_CFG2:
        if (s->cfg.msi && !irqen_any(s, SMMU_IRQ_CTRL_EVENTQ_IRQEN))
            r->eventq_irq_cfg2 = v & (uint32_t)SMMU_MASK(5, 0);
        break;
    case SMMU_PRIQ_IRQ_CFG1:
        if (s->cfg.msi && s->cfg.pri && !irqen_any(s, SMMU_IRQ_CTRL_PRIQ_IRQEN))
            r->priq_irq_cfg1 = v;
        break;
    case SMMU_PRIQ_IRQ_CFG2: /* LO bit [31] plus SH/MemAttr */
        if (s->cfg.msi && s->cfg.pri && !irqen_any(s, SMMU_IRQ_CTRL_PRIQ_IRQEN))
            r->priq_irq_cfg2 = v & (uint32_t)(SMMU_BIT(31) | SMMU_MASK(5, 0));
        break;
    case SMMU_EVENTQ_PROD: /* 6.3.95: RO while EVENTQEN */
        if (!cr0_any(s, SMMU_CR0_EVENTQEN))
            r->eventq_prod =
                v & ((uint32_t)SMMU_Q_OVF | smmu_qptr_mask(smmu_eventq_log2size(s)));
        break;
    case SMMU_EVENTQ_CONS: /* 6.3.96: always RW */
        r->eventq_cons = v & ((uint32_t)SMMU_Q_OVF | smmu_qptr_mask(smmu_eventq_log2size(s)));
        break;
    case SMMU_PRIQ_PROD:
        if (s->cfg.pri && !cr0_any(s, SMMU_CR0_PRIQEN))
            r->priq_prod = v & ((uint32_t)SMMU_Q_OVF | smmu_qptr_mask(smmu_priq_log2size(s)));
        break;
    case SMMU_PRIQ_CONS:
        if (s->cfg.pri)
            r->priq_cons = v & ((uint32_t)SMMU_Q_OVF | smmu_qptr_mask(smmu_priq_log2size(s)));
        break;
    default:
        /* RO registers, RES0 locations and the RAZ/WI choices: ignored. */
        break;
    }
}

smmu_status_t smmu_regs_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val)
{
    if (size == 8) {
        uint64_t *p = reg64(s, off);
        /* A 64-bit access that is not to one 64-bit register: RAZ/WI. */
        *val = p ? *p : 0;
        return SMMU_OK;
    }
    *val = read32(s, off);
    return SMMU_OK;
}

/* The register state every cached configuration and translation depends
 * on: CR0.SMMUEN and CR0.ATSCHK, GBPA, STRTAB_BASE(_CFG), CR2. */
typedef struct cfg_regs {
    uint64_t strtab_base;
    uint32_t cr0, gbpa, strtab_base_cfg, cr2;
} cfg_regs_t;

static cfg_regs_t cfg_regs(const smmu_t *s)
{
    const smmu_regs_t *r = &s->regs;
    cfg_regs_t c = {r->strtab_base, r->cr0ack & (uint32_t)(SMMU_CR0_SMMUEN | SMMU_CR0_ATSCHK),
                    r->gbpa, r->strtab_base_cfg, r->cr2};
    return c;
}

/* A change of that state invalidates every translation an embedder may
 * hold (a SystemC DMI grant): tell it with SMMU_INVAL_CFG [0, ~0], as
 * CFGI_ALL would (smmu_mem_ops_t.on_invalidate). */
static void notify_cfg_change(smmu_t *s, const cfg_regs_t *before)
{
    cfg_regs_t now = cfg_regs(s);
    if (!s->ops.on_invalidate || !memcmp(before, &now, sizeof(now)))
        return;
    smmu_inval_notice_t n;
    memset(&n, 0, sizeof(n));
    n.kind = SMMU_INVAL_CFG;
    n.lo = 0;
    n.hi = ~0ull;
    s->ops.on_invalidate(s->ctx, &n);
}

smmu_status_t smmu_regs_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size)
{
    cfg_regs_t before = cfg_regs(s);
    if (s->chk)
        smmu_checker_reg_write(s, off, val, size);
    if (size == 8) {
        if (reg64(s, off))
            write64(s, off, val);
    } else {
        write32(s, off, (uint32_t)val);
    }
    notify_cfg_change(s, &before);
    return SMMU_OK;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* Instance lifecycle, MMIO dispatch, statistics. Configuration defaults and
 * checks are in idr.c. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "irq.h"
#include "regs.h"
#include "checker.h"
#include "smmu_internal.h"
#include "timing.h"
#include "stall.h"

static void reject(char *msg, size_t len, const char *fmt, ...)
{
    if (msg && len) {
        va_list ap;
        va_start(ap, fmt);
        vsnprintf(msg, len, fmt, ap);
        va_end(ap);
    }
}

smmu_t *smmu_create(const smmu_config_t *cfg, const smmu_mem_ops_t *ops, void *ctx, char *msg,
                    size_t msg_len)
{
    smmu_mem_ops_t o;
    memset(&o, 0, sizeof(o));
    if (ops) {
        /* ABI (smmu.h): size 0 is this release's layout; a shorter table
         * leaves the later callbacks NULL, a longer one is cut. */
        size_t n = ops->size ? ops->size : sizeof(o);
        memcpy(&o, ops, n < sizeof(o) ? n : sizeof(o));
    }
    if (!o.read || !o.write) {
        reject(msg, msg_len, "memory callbacks read and write are required");
        return NULL;
    }
    if (smmu_config_check(cfg, msg, msg_len) != SMMU_OK)
        return NULL;
    smmu_t *s = calloc(1, sizeof(*s));
    if (!s) {
        reject(msg, msg_len, "out of memory");
        return NULL;
    }
    s->cfg = *cfg;
    s->ops = o;
    s->ctx = ctx;
    s->oas_bits = (uint8_t)smmu_pa_bits(cfg->oas);
    s->ias_bits = s->oas_bits; /* 3.4: AArch64-only tables, IAS = OAS */
    if (cfg->utlb_entries) {
        smmu_utlb_init(&s->utlb, calloc(cfg->utlb_entries, sizeof(*s->utlb.e)),
                       cfg->utlb_entries);
    }
    if (smmu_cfgcache_init(&s->cfgc, cfg->cfg_cache_entries) ||
        smmu_tlb_init(&s->tlb, cfg->tlb_sets, cfg->tlb_ways, cfg->tlb_repl) ||
        smmu_tlb_init(&s->wc, cfg->walk_cache_sets, cfg->walk_cache_ways, cfg->tlb_repl) ||
        (cfg->utlb_entries && !s->utlb.e) ||
        smmu_stall_init(&s->stalls, cfg->stall_model != 1 ? cfg->stall_max : 0)) {
        smmu_stall_free(&s->stalls);
        smmu_cfgcache_free(&s->cfgc);
        smmu_tlb_free(&s->tlb);
        smmu_tlb_free(&s->wc);
        free(s->utlb.e);
        free(s);
        reject(msg, msg_len, "out of memory");
        return NULL;
    }
    s->tlb.walk = &s->wc; /* TLB invalidations with Leaf = 0 reach the walk cache */
    /* One generation for the micro-TLB: its own flushes, the TLB's and the
     * configuration cache's invalidations all move utlb.gen (smmu_utlb_gen).
     * It starts at 1: a zeroed slot (gen 0) never matches. */
    s->tlb.gen = &s->utlb.gen;
    s->cfgc.gen = &s->utlb.gen;
    s->utlb.gen = 1;
    smmu_reset(s);
    return s;
}

void smmu_destroy(smmu_t *s)
{
    if (!s)
        return;
    smmu_checker_free(s); /* gives utlb.e back */
    smmu_cfgcache_free(&s->cfgc);
    smmu_tlb_free(&s->tlb);
    smmu_tlb_free(&s->wc);
    smmu_timing_free(s); /* gives utlb.e back */
    free(s->utlb.e);
    smmu_stall_free(&s->stalls);
    free(s);
}

void smmu_reset(smmu_t *s)
{
    if (!s)
        return;
    smmu_regs_reset(s);
    smmu_cfgcache_inval_all(&s->cfgc);
    smmu_tlb_invalidate_all(&s->tlb);
    smmu_utlb_entry_t *ue = s->tm ? s->tm_utlb : s->utlb.e; /* timing keeps them aside */
    if (!ue)
        ue = smmu_checker_utlb(s); /* so does the checker */
    if (s->chk)
        smmu_checker_reset(s);
    if (ue)
        memset(ue, 0, (size_t)(s->utlb.mask + 1) * sizeof(*ue));
    smmu_utlb_flush(&s->utlb);
    memset(&s->stats, 0, sizeof(s->stats));
    memset(s->fast_hits, 0, sizeof(s->fast_hits));
    smmu_timing_reset(s);
    smmu_stall_reset(&s->stalls);
    s->atc_inv_unanswered = 0;
}

/* Service Failure Mode (12.3, 6.3.19). The mode is entered once; SFM_ERR
 * is activated with its GERROR interrupt (irq.c) after the mode is in
 * place, so that a GERROR handler already sees the SMMU stopped. Stalled
 * transactions are terminated (12.3: client transactions are terminated),
 * as for SMMUEN 1 -> 0. The exit is smmu_reset() (docs/interrupts.md). */
smmu_status_t smmu_inject_sfm(smmu_t *s)
{
    if (!s)
        return SMMU_ERR_INVAL;
    if (s->regs.sfm)
        return SMMU_OK;
    smmu_enter(s);
    s->regs.sfm = 1;
    smmu_utlb_flush(&s->utlb);
    smmu_gerror_raise(s, (uint32_t)SMMU_GERROR_SFM_ERR);
    smmu_stall_disable(s);
    smmu_leave(s);
    return SMMU_OK;
}

smmu_status_t smmu_set_direct_memory(smmu_t *s, uint64_t pa, const void *host, uint64_t size)
{
    if (!s || (size && !host) || (size && pa + size - 1 < pa))
        return SMMU_ERR_INVAL;
    s->dm_host = size ? host : NULL;
    s->dm_base = size ? pa : 0;
    s->dm_size = size;
    return SMMU_OK;
}

const smmu_config_t *smmu_get_config(const smmu_t *s)
{
    return s ? &s->cfg : NULL;
}

smmu_status_t smmu_mmio_read(smmu_t *s, uint64_t off, unsigned size, uint64_t *val)
{
    if (!s || !val || (size != 4 && size != 8) || (off & (size - 1)))
        return SMMU_ERR_INVAL;
    return smmu_regs_read(s, off, size, val);
}

static smmu_status_t mmio_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size);

smmu_status_t smmu_mmio_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size)
{
    if (!s || (size != 4 && size != 8) || (off & (size - 1)))
        return SMMU_ERR_INVAL;
    /* Allowed from callbacks (smmu.h); its own callbacks may not translate. */
    smmu_enter(s);
    smmu_status_t st = mmio_write(s, off, val, size);
    smmu_leave(s);
    return st;
}

static smmu_status_t mmio_write(smmu_t *s, uint64_t off, uint64_t val, unsigned size)
{
    /* Any write but a queue pointer may change how translations resolve
     * (CR0, CR2, GBPA, STRTAB_BASE, ...): forget the micro-TLB. */
    if (off != SMMU_CMDQ_PROD && off != SMMU_EVENTQ_CONS && off != SMMU_PRIQ_CONS)
        smmu_utlb_flush(&s->utlb);
    if (!s->stalls.n)
        return smmu_regs_write(s, off, val, size);
    /* The Stall model (stall.c): SMMUEN 1 -> 0 aborts every stall
     * (6.3.9.6); a write that makes the event queue writable again
     * (EVENTQEN, EVENTQ_CONS, GERRORN) lets the stalls whose record waited
     * retry (7.2.1). */
    int was_on = smmu_is_enabled(s);
    smmu_status_t st = smmu_regs_write(s, off, val, size);
    if (was_on && !smmu_is_enabled(s))
        smmu_stall_disable(s);
    smmu_stall_queue_check(s); /* cheap: returns at once without pending stalls */
    return st;
}

void smmu_get_stats(const smmu_t *s, smmu_stats_t *out)
{
    if (s && out) {
        *out = s->stats;
        /* A micro-TLB hit (translate.c utlb_try) counts only utlb_hits:
         * it is also a translation that succeeded. */
        out->translations += s->stats.utlb_hits;
        out->translated_ok += s->stats.utlb_hits;
        uint64_t f = s->fast_hits[0] + s->fast_hits[1];
        out->translations += f;
        out->translated_ok += f;
        out->tlb_hits += f;
        out->cfg_cache_hits += f + s->fast_hits[1];
    }
}

void smmu_clear_stats(smmu_t *s)
{
    if (s) {
        memset(&s->stats, 0, sizeof(s->stats));
        memset(s->fast_hits, 0, sizeof(s->fast_hits));
    }
}

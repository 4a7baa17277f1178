/* SPDX-License-Identifier: Apache-2.0 */
/* The translation procedure (SMMU 3.3), one direction only:
 *   request -> configuration (config.c: cache, else STE [+ CD])
 *           -> resolve (resolve.c: TLB, else walk stage 1 then stage 2)
 *           -> permission (perm.h) -> fault (fault.c) or response,
 * with the micro-TLB (utlb.h) as a fast path in front of it all. */
#include <stddef.h>
#include <string.h>

#include "ats.h"
#include "config.h"
#include "fault.h"
#include "perm.h"
#include "resolve.h"
#include "checker.h"
#include "streamctx.h"
#include "smmu_internal.h"
#include "timing.h"

/* STE.PRIVCFG / INSTCFG overrides (5.2, 13.1.2): 0b10 forces
 * unprivileged / data, 0b11 privileged / instruction (reads only: writes
 * are always data); other values keep the incoming attribute. */
static inline void override_acc(smmu_access_t *a, unsigned privcfg, unsigned instcfg)
{
    if (privcfg >= 2)
        a->priv = (uint8_t)(privcfg & 1);
    if (instcfg >= 2 && !a->write)
        a->instr = (uint8_t)(instcfg & 1);
}

/* CD.E0PD0/E0PD1 (5.4): unprivileged accesses to the region fault with
 * F_TRANSLATION, whether or not a TLB holds the translation. */
static inline int e0pd_on(const smmu_cd_t *cd, uint64_t va)
{
    return cd && (((va >> 55) & 1) ? cd->e0pd1 : cd->e0pd0);
}

/* Remember a successful translation in the micro-TLB (utlb.h). Only when
 * the configuration cache and the TLB hold its sources. */
__attribute__((noinline)) static void utlb_fill(smmu_t *s, const smmu_xlate_t *x,
                                                const smmu_ste_t *ste, const uint8_t perm[2],
                                                uint64_t pa, unsigned size_shift, int no_unpriv)
{
    smmu_utlb_t ut = s->utlb;
    ut.e = smmu_utlb_array(s); /* out of utlb.e inside smmu_enter */
    if (!ut.e || !s->tlb.e || !s->cfgc.n)
        return;
    const smmu_request_t *req = x->req;
    smmu_utlb_entry_t *u = smmu_utlb_slot(&ut, req);
    u->stream = smmu_utlb_sword(req);
    u->vpage = req->addr >> 12;
    u->attr = req->ssv != 0; /* SSV 0 or 1 in a hit (smmu_utlb_match) */
    u->pa_delta = (pa & ~0xFFFull) - (req->addr & ~0xFFFull);
    u->gen = smmu_utlb_gen(s);
    /* The access table (utlb.h): for each request attribute combination,
     * the same rules as translate_full (13.7, STE overrides, E0PD). */
    uint8_t p2[2] = {no_unpriv ? 0 : perm[0], perm[1]}; /* E0PD: unprivileged takes the full path */
    uint64_t acc = 0;
    for (unsigned i = 0; i < 8; i++) { /* write, instr, priv */
        smmu_access_t a;
        a.write = i & 1;
        a.instr = (i >> 1) & 1 && !a.write;
        a.priv = (i >> 2) & 1;
        override_acc(&a, ste->privcfg, ste->instcfg);
        if (smmu_perm_allows(p2[a.priv], &a)) /* allowed: p2 has the access's bit */
            acc |= (uint64_t)p2[a.priv] << (4 * i);
    }
    /* PCIe (index bit 3): as above with a SubstreamID; without one
     * Unprivileged Data (13.7), i.e. entry (write, 0, 0). */
    uint64_t pcie = acc;
    if (!req->ssv) {
        uint64_t rd = acc & 15, wr = (acc >> 4) & 15;
        pcie = (rd | wr << 4) * 0x01010101ull;
    }
    u->acc = acc | pcie << 32;
    smmu_response_t h;
    memset(&h, 0, sizeof(h));
    h.outcome = SMMU_XLATE_OK;
    h.memattr = x->resp->memattr;
    h.sh = x->resp->sh;
    h.ns = 1;
    memcpy(u->hdr, &h, sizeof(u->hdr));
    u->page_size = 1ull << size_shift;
}

/* Attribute overrides of a bypass (GBPA 6.3.14 or STE 5.2 MTCFG/MemAttr,
 * SHCFG) when IDR1.ATTR_TYPES_OVR: MemAttr has the stage-2 encoding
 * (Device 0b00xx, else outer[3:2]/inner[1:0] NC/WT/WB), reported as a MAIR
 * byte; SHCFG 0b01 is "use incoming" (the request carries none: 0). */
static void bypass_attrs(const smmu_t *s, smmu_response_t *r, unsigned mtcfg, unsigned memattr,
                         unsigned shcfg)
{
    static const uint8_t cache[4] = {0, 0x4, 0xA, 0xF}; /* -, NC, WT, WB */
    if (!s->cfg.attr_types_ovr)
        return;
    if (mtcfg)
        r->memattr = (memattr & 0xC) ? (uint8_t)(cache[memattr >> 2] << 4 | cache[memattr & 3])
                                     : (uint8_t)((memattr & 3) << 2);
    if (shcfg != 1)
        r->sh = (uint8_t)shcfg;
}

static void finish_ok(smmu_t *s, smmu_xlate_t *x, uint64_t pa, unsigned perms, unsigned size_shift)
{
    smmu_response_t *r = x->resp;
    r->outcome = SMMU_XLATE_OK;
    r->pa = pa;
    r->perms = (uint8_t)perms;
    r->ns = 1;
    r->page_size = 1ull << size_shift;
    r->page_base = x->req->addr & ~(r->page_size - 1);
    s->stats.translated_ok++;
}

/* Micro-TLB fast path: a complete translation for this stream and page
 * whose permissions allow the access. Returns 1 when it answered; anything
 * else (miss, permission failure, ATS, disabled SMMU) takes the full path,
 * which also reports faults. */
static inline int utlb_try(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    uint64_t sword = smmu_utlb_sword(req), aword = smmu_utlb_aword(req), addr = req->addr;
    const smmu_utlb_entry_t *u = smmu_utlb_slot_k(&s->utlb, sword, addr);
    uint64_t perms = smmu_utlb_match(u, sword, aword, addr, smmu_utlb_gen(s));
    if (!perms)
        return 0;
    uint64_t hdr;
    memcpy(&hdr, u->hdr, 8);
    hdr |= perms << SMMU_UTLB_HDR_PERMS_SHIFT;
    memcpy(resp, &hdr, 8);
    resp->stag = 0;
    resp->cls = SMMU_CLS_TRANSLATED; /* with stag: one 8-byte store of zero */
    resp->cause = SMMU_CAUSE_NONE;
    resp->ats_flags = resp->reserved1 = 0;
    resp->pa = addr + u->pa_delta;
    resp->page_size = u->page_size;
    resp->page_base = addr & ~(u->page_size - 1);
    resp->done_cycle = req->cycle;
    /* translations and translated_ok count these too (smmu_get_stats). */
    s->stats.utlb_hits++;
    return 1;
}


/* TLB-hit fast path (streamctx.h): a plain request of a stream whose
 * context is current, in range, whose TLB entry allows the access. Returns
 * 1 when it answered, with the response and statistics of the full path;
 * anything else (no context, range or permission failure, E0PD, a write
 * to a writable-clean page, TLB miss) takes the full path. */
static void utlb_fill(smmu_t *s, const smmu_xlate_t *x, const smmu_ste_t *ste, const uint8_t perm[2],
                      uint64_t pa, unsigned size_shift, int no_unpriv);

__attribute__((always_inline)) static inline int tlbhit_try(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp,
                             const int first_only)
{
    uint64_t aw = smmu_utlb_aword(req);
    if (aw & ~SMMU_STREAMCTX_ATTR_OK)
        return 0;
    const smmu_stream_ctx_t *c = smmu_cfgcache_ctx(&s->cfgc, req->sid);
    if (c->sid != req->sid || c->gen != smmu_utlb_gen(s))
        return 0;
    const uint64_t addr = req->addr;
    const unsigned r = (unsigned)(addr >> 55) & 1;
    if ((addr & c->chk_mask[r]) != c->chk_val[r])
        return 0;
    const uint64_t ka = (addr & c->key_and[r]) | c->key_or[r];
    const unsigned am = c->acc[r][((aw * SMMU_UTLB_IDX_MUL) >> 45) & 15];
    if (!am)
        return 0;
    /* first_only: the smallest entry size present only (2 when larger
     * ones are present and it missed), else every size. */
    const smmu_tlb_t *t = &s->tlb;
    const uint64_t m = t->size_mask;
    const smmu_tlb_entry_t *e;
    if (first_only) {
        if (!m)
            return 0;
        e = smmu_tlb_probe(t, ka, (unsigned)__builtin_ctzll(m), c->vmid, c->mng, c->mg);
        if (!e) {
            __asm__ volatile("" ::: "memory"); /* read the mask again: m need not stay live */
            return (t->size_mask & (t->size_mask - 1)) ? 2 : 0;
        }
    } else {
        e = smmu_tlb_lookup_meta(t, ka, c->vmid, c->mng, c->mg);
        if (!e)
            return 0;
    }
    const unsigned p = e->perm[(am >> 3) & 1];
    if (!(p & am)) /* p has bits 0-2 only: the needed permission */
        return 0;
    const uint64_t size = 1ull << e->size_shift;
    __asm__ volatile("" ::: "memory"); /* req and addr read again: they need not stay live */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
    /* Bytes 0-15: outcome OK, no event, perms, memattr, sh, ns = 1, no ATS
     * status, no STAG, cls TRANSLATED, cause NONE (smmu.h layout). */
    _Static_assert(offsetof(smmu_tlb_entry_t, sh) == offsetof(smmu_tlb_entry_t, memattr) + 1,
                   "tlb.h: memattr and sh adjacent");
    uint16_t ms;
    memcpy(&ms, &e->memattr, 2); /* memattr, sh */
    const uint64_t hdr = (uint64_t)p << 24 | (uint64_t)ms << 32 | 1ull << 48;
    memcpy(resp, &hdr, 8);
    memset((char *)resp + 8, 0, 8);
#else
    memset(resp, 0, 16);
    resp->perms = (uint8_t)p;
    resp->memattr = e->memattr;
    resp->sh = e->sh;
    resp->ns = 1;
#endif
    resp->pa = e->oa + (ka & (size - 1));
    resp->page_base = req->addr & ~(size - 1);
    resp->page_size = size;
    resp->done_cycle = req->cycle;
    /* translations, translated_ok, tlb_hits, cfg_cache_hits (smmu_get_stats) */
    s->fast_hits[am >> 4]++; /* am >> 4: SMMU_STREAMCTX_CD */
    return 1;
}

/* The micro-TLB fill after a fast TLB hit (its stream context is current:
 * tlbhit_try just used it). Out of line: it is not the hit's business. */
__attribute__((noinline)) static smmu_status_t tlbhit_utlb_fill(smmu_t *s,
                                                                const smmu_request_t *req,
                                                                smmu_response_t *resp)
{
    const smmu_cfg_entry_t *ce = smmu_cfgcache_lookup(&s->cfgc, req->sid);
    const smmu_stream_ctx_t *c = smmu_cfgcache_ctx(&s->cfgc, req->sid);
    smmu_tlb_key_t k;
    const unsigned r = (unsigned)(req->addr >> 55) & 1;
    k.addr = (req->addr & c->key_and[r]) | c->key_or[r];
    const smmu_tlb_entry_t *e = smmu_tlb_lookup_meta(&s->tlb, k.addr, c->vmid, c->mng, c->mg);
    smmu_xlate_t x = {req, resp, {0, 0, 0}};
    uint8_t perm[2] = {(uint8_t)(e->s1_perm[0] & e->s2_perm[0]),
                       (uint8_t)(e->s1_perm[1] & e->s2_perm[1])};
    utlb_fill(s, &x, &ce->ste, perm, resp->pa, e->size_shift, c->e0pd[r]);
    return SMMU_OK;
}

/* Build the stream context (streamctx.h) after a successful translation
 * through stage 1 and/or stage 2 of req (r: its resolution). */
static void ctx_build(smmu_t *s, const smmu_request_t *req, const smmu_ste_t *ste,
                      const smmu_cd_t *cd, const smmu_resolved_t *r)
{
    if (req->ssv || !s->tlb.e)
        return;
    smmu_cfg_entry_t *ce = smmu_cfgcache_lookup(&s->cfgc, req->sid);
    const uint32_t gen = smmu_utlb_gen(s);
    smmu_stream_ctx_t *slot = smmu_cfgcache_ctx(&s->cfgc, req->sid);
    if (!ce || ste != &ce->ste || (slot->gen == gen && slot->sid == req->sid) || !gen)
        return;
    if (cd) {
        const smmu_cd_entry_t *de = smmu_cfgcache_cd_lookup(&s->cfgc, req->sid, 0);
        if (ste->s1cdmax || !de || cd != &de->cd)
            return;
    } else if (ste->s1_enabled || !ste->s2_enabled || s->ias_bits >= 56) {
        return;
    }
    smmu_stream_ctx_t c;
    memset(&c, 0, sizeof(c));
    for (unsigned reg = 0; reg < 2; reg++) {
        c.key_and[reg] = ~0ull;
        if (!cd) { /* stage 1 bypass: the input must fit the IAS (3.4) */
            c.chk_mask[reg] = ~0ull << s->ias_bits;
            continue;
        }
        const smmu_walk_cfg_t *tt = &cd->tt[reg];
        c.e0pd[reg] = reg ? cd->e0pd1 : cd->e0pd0;
        if (tt->disabled || tt->ia_bits == 0 || tt->ia_bits > 55) {
            c.chk_val[reg] = 1; /* never in range: the full path faults */
            continue;
        }
        /* smmu_s1_region: VA[AddrTop:ia_bits] all equal to VA[55]. */
        uint64_t top = tt->tbi ? SMMU_MASK(55, tt->ia_bits) : ~0ull << tt->ia_bits;
        c.chk_mask[reg] = top;
        c.chk_val[reg] = reg ? top : 0;
        if (tt->tbi) { /* the tag's top byte: VA[55] copied (resolve.h) */
            c.key_and[reg] = reg ? ~0ull : SMMU_MASK(55, 0);
            c.key_or[reg] = reg ? SMMU_MASK(63, 56) : 0;
        }
    }
    /* Per region and access index: the access after PCIe's no-PASID rule
     * and the STE overrides, as translate_full works it out. */
    for (unsigned reg = 0; reg < 2; reg++) {
        for (unsigned i = 0; i < 16; i++) {
            smmu_access_t a;
            a.write = i & 1;
            a.instr = ((i >> 1) & 1) && !a.write;
            a.priv = (i >> 2) & 1;
            if (i & 8) { /* 13.7: PCIe without a PASID is Unprivileged Data */
                a.instr = 0;
                a.priv = 0;
            }
            override_acc(&a, ste->privcfg, ste->instcfg);
            if (!a.priv && c.e0pd[reg])
                continue; /* 5.4 E0PD: the full path faults */
            unsigned need = a.write ? SMMU_PERM_W : (a.instr ? SMMU_PERM_X : SMMU_PERM_R);
            c.acc[reg][i] = (uint8_t)((cd ? SMMU_STREAMCTX_CD : 0) | a.priv << 3 | need);
        }
    }
    const smmu_tlb_key_t *k = &r->key;
    const uint64_t base = smmu_tlb_meta_base(k->kind, k->world, k->vmid);
    c.mng = base | (uint64_t)k->asid << 24;
    c.mg = base | SMMU_TLB_META_G | (uint64_t)k->aset << 24;
    c.vmid = k->vmid;
    c.gen = gen;
    c.sid = req->sid;
    *slot = c;
}

static smmu_status_t translate_full(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);
static smmu_status_t translate_miss(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);
static smmu_status_t translate_gated(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);
static smmu_status_t translate_miss_sizes(smmu_t *s, const smmu_request_t *req,
                                          smmu_response_t *resp);

smmu_status_t smmu_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    if (!s)
        return SMMU_ERR_INVAL;
    if (!req)
        return SMMU_ERR_INVAL;
    if (!resp)
        return SMMU_ERR_INVAL;
    /* Entries exist only while SMMUEN == 1 (a CR0 write flushes them).
     * With timing on utlb.e is NULL and tm_gate set (smmu_internal.h):
     * timing.c, at no cost to the hit path. */
    if (s->utlb.e) {
        if (utlb_try(s, req, resp))
            return SMMU_OK;
    } else if (s->gates) { /* re-entry, checker or timing: smmu_internal.h */
        return translate_gated(s, req, resp);
    }
    return translate_miss(s, req, resp);
}

/* Off the micro-TLB hit path when smmu_t.gates is set: a call from a
 * callback (SMMU_ERR_REENTERED, nothing changed: smmu.h), else the
 * driver-checker (checker.h), else timing (timing.c). */
__attribute__((noinline)) static smmu_status_t translate_gated(smmu_t *s, const smmu_request_t *req,
                                                               smmu_response_t *resp)
{
    if (s->depth)
        return SMMU_ERR_REENTERED;
    if (s->chk_gate)
        return smmu_checker_translate(s, req, resp);
    if (s->tm_gate)
        return smmu_timing_translate(s, req, resp);
    return translate_miss(s, req, resp);
}

/* The whole procedure inside smmu_enter/smmu_leave: its callbacks may not
 * translate (smmu.h). */
static smmu_status_t translate_entered(smmu_t *s, const smmu_request_t *req,
                                       smmu_response_t *resp)
{
    smmu_enter(s);
    smmu_status_t st = translate_full(s, req, resp);
    smmu_leave(s);
    return st;
}

/* After a micro-TLB miss: the TLB-hit fast path, else the whole
 * procedure. Out of line, so that the micro-TLB hit path stays small. */
__attribute__((noinline)) static smmu_status_t translate_miss(smmu_t *s, const smmu_request_t *req,
                                                              smmu_response_t *resp)
{
    int h = tlbhit_try(s, req, resp, 1);
    if (h == 1)
        return s->utlb.e ? tlbhit_utlb_fill(s, req, resp) : SMMU_OK;
    if (h == 2)
        return translate_miss_sizes(s, req, resp);
    return translate_entered(s, req, resp);
}

/* translate_miss when the TLB also holds larger entries (blocks) and the
 * smallest size missed. */
__attribute__((noinline)) static smmu_status_t
translate_miss_sizes(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    if (tlbhit_try(s, req, resp, 0))
        return s->utlb.e ? tlbhit_utlb_fill(s, req, resp) : SMMU_OK;
    return translate_entered(s, req, resp);
}

/* The whole translation procedure (3.3). Kept out of line so that the
 * micro-TLB fast path above stays small. */
__attribute__((noinline)) static smmu_status_t translate_full(smmu_t *s, const smmu_request_t *req,
                                                              smmu_response_t *resp)
{
    /* A TBU other than 0 (which the micro-TLB never matches) with timing
     * off: timing.c refuses it (SMMU_ERR_INVAL). */
    if (__builtin_expect(req->tbu != 0, 0))
        return smmu_timing_translate(s, req, resp);
    memset(resp, 0, sizeof(*resp));
    resp->done_cycle = req->cycle;
    s->stats.translations++;

    smmu_xlate_t x = {req, resp, {0, 0, 0}};
    x.acc.write = req->write ? 1 : 0;
    x.acc.instr = (req->instr && !req->write) ? 1 : 0;
    x.acc.priv = req->priv ? 1 : 0;
    if (req->pcie && !req->ssv) { /* 13.7: no PASID => Unprivileged Data */
        x.acc.instr = 0;
        x.acc.priv = 0;
    }
    smmu_fault_t f;
    /* 12.3: in Service Failure Mode every client transaction is
     * terminated, without an event, whatever SMMUEN says; an ATS
     * Translation Request gets Completer Abort (docs/interrupts.md). */
    if (__builtin_expect(s->regs.sfm, 0)) {
        smmu_status_t st = smmu_terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT, SMMU_CAUSE_SFM);
        if (req->ats == SMMU_ATS_TRANSLATION_REQ && s->cfg.ats)
            resp->ats_status = SMMU_ATS_CA;
        return st;
    }
    if (__builtin_expect(req->ats != SMMU_ATS_UNTRANSLATED, 0) && s->cfg.ats)
        return smmu_ats_transaction(s, req, resp); /* ats.c: 3.9.1 */
    if (req->secure && s->cfg.secure_req_abort)
        return smmu_terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT, SMMU_CAUSE_SECURE);
    if (req->ats != SMMU_ATS_UNTRANSLATED) {
        /* ATS traffic on an SMMU without IDR0.ATS is an unsupported
         * upstream transaction (7.3.2, 16.7.1); InD/PnU are the incoming
         * attributes and the event may be recorded with SMMUEN == 0. */
        f = smmu_fault_of(SMMU_EVT_F_UUT, 0, 0);
        f.reason = SMMU_UUT_REASON_ATS;
        return smmu_fault_report(s, &x, NULL, NULL, &f);
    }

    if (!smmu_is_enabled(s)) {
        /* SMMUEN == 0: GBPA decides (6.3.14); no events. */
        if ((s->regs.gbpa & SMMU_GBPA_ABORT) || (req->addr >> s->oas_bits))
            return smmu_terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT,
                                  (s->regs.gbpa & SMMU_GBPA_ABORT) ? SMMU_CAUSE_GBPA_ABORT
                                                                   : SMMU_CAUSE_OAS);
        s->stats.bypassed++;
        finish_ok(s, &x, req->addr, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, 12);
        resp->cls = SMMU_CLS_DISABLED;
        resp->cause = SMMU_CAUSE_GBPA;
        uint32_t g = s->regs.gbpa;
        bypass_attrs(s, resp, SMMU_GET(g, 4, 4), SMMU_GET(g, 3, 0), SMMU_GET(g, 13, 12));
        return SMMU_OK;
    }

    /* 1. Configuration: the STE, then (stage 1) the CD. */
    smmu_ste_t ste_tmp;
    const smmu_ste_t *ste = smmu_config_ste(s, req, &ste_tmp, &f);
    if (!ste)
        return smmu_fault_report(s, &x, NULL, NULL, &f);
    override_acc(&x.acc, ste->privcfg, ste->instcfg);
    smmu_cd_t cd_tmp;
    const smmu_cd_t *cd = NULL;
    if (ste->s1_enabled && smmu_config_cd(s, ste, req, &cd_tmp, &cd, &f))
        return smmu_fault_report(s, &x, ste, NULL, &f);
    if (!x.acc.priv && e0pd_on(cd, req->addr)) {
        f = smmu_fault_of(SMMU_EVT_F_TRANSLATION, 1, SMMU_CLASS_IN);
        return smmu_fault_report(s, &x, ste, cd, &f);
    }

    /* 2. Resolve: TLB, else walk stage 1 then stage 2. */
    smmu_resolved_t r;
    if (smmu_resolve(s, ste, cd, req->addr, &x.acc, &r, &f))
        return smmu_fault_report(s, &x, ste, cd, &f);
    if (!cd && !ste->s2_enabled) { /* both stages bypass (STE Config 0b100) */
        s->stats.bypassed++;
        finish_ok(s, &x, r.pa, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, 12);
        resp->cls = SMMU_CLS_BYPASS; /* Config 0b100, else S1DSS 0b01 with stage 2 off */
        resp->cause = ste->s1_enabled ? SMMU_CAUSE_S1DSS : SMMU_CAUSE_STE_CONFIG;
        bypass_attrs(s, resp, ste->mtcfg, ste->memattr, ste->shcfg);
        return SMMU_OK;
    }

    /* 3. Permission: stage 1, then stage 2 (D8.4; 3.3). The entry keeps
     * what the walk found for both privileges and both stages, so a TLB hit
     * is checked exactly as a walk. */
    const smmu_tlb_entry_t *t = r.t;
    const unsigned priv = x.acc.priv;
    unsigned p = t->s1_perm[priv] & t->s2_perm[priv];
    if (!smmu_perm_allows(p, &x.acc)) {
        if (!smmu_perm_allows(t->s1_perm[priv], &x.acc))
            f = smmu_fault_of(SMMU_EVT_F_PERMISSION, 1, SMMU_CLASS_IN);
        else {
            f = smmu_fault_of(SMMU_EVT_F_PERMISSION, 2, SMMU_CLASS_IN);
            f.ipa = smmu_resolved_ipa(&r);
        }
        return smmu_fault_report(s, &x, ste, cd, &f);
    }

    /* 4. Response (and the caches). */
    smmu_resolve_fill(s, &r);
    finish_ok(s, &x, r.pa, p, t->size_shift);
    resp->memattr = t->memattr;
    resp->sh = t->sh;
    uint8_t perm[2] = {(uint8_t)(t->s1_perm[0] & t->s2_perm[0]),
                       (uint8_t)(t->s1_perm[1] & t->s2_perm[1])};
    utlb_fill(s, &x, ste, perm, r.pa, t->size_shift, e0pd_on(cd, req->addr));
    ctx_build(s, req, ste, cd, &r);
    return SMMU_OK;
}

/* The translation procedure (SMMU 3.3): one direction only,
 *   request -> configuration (cache, else STE [+ CD]) -> stage 1 -> stage 2
 *   -> response,
 * with events produced on the side (evtq). */
#include "translate.h"

#include <string.h>

#include "cd.h"
#include "evtq.h"
#include "perm.h"
#include "smmu_internal.h"
#include "strtab.h"
#include "walk.h"

/* Per-transaction context: the request after the 13.7 and STE overrides. */
typedef struct xlate {
    const smmu_request_t *req;
    smmu_response_t *resp;
    smmu_access_t acc;
} xlate_t;

static void ev_init(const xlate_t *x, smmu_event_t *ev, uint8_t type)
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

/* Terminate the transaction; record ev when `record`. */
static smmu_status_t terminate(smmu_t *s, xlate_t *x, const smmu_event_t *ev, int record,
                               uint8_t outcome)
{
    smmu_response_t *r = x->resp;
    r->outcome = outcome;
    if (outcome == SMMU_XLATE_RAZWI)
        s->stats.razwi++;
    else
        s->stats.aborted++;
    if (ev) {
        r->event = ev->type;
        if (record)
            r->recorded = (uint8_t)smmu_evtq_record(s, ev);
        else if (s->ops.on_event)
            s->ops.on_event(s->ctx, ev, 0); /* raised but suppressed by R/RECINVSID */
    }
    return SMMU_OK;
}

/* A configuration-stage event (STE/CD fetch or validity): the caller filled
 * type-specific fields; complete the common ones and abort. */
static smmu_status_t config_fault(smmu_t *s, xlate_t *x, smmu_event_t *ev, int record)
{
    smmu_event_t e;
    ev_init(x, &e, ev->type);
    e.fetch_addr = ev->fetch_addr;
    e.reason = ev->reason;
    e.s2 = ev->s2;
    e.cls = ev->cls;
    e.ipa = ev->ipa & SMMU_MASK(55, 12);
    e.ttrnw = ev->cls == SMMU_CLASS_TT ? ev->ttrnw : 0; /* UNKNOWN unless TT: 0 */
    /* 7.3.9: C_BAD_SUBSTREAMID records the CD index that was being fetched
     * (0 for a no-SubstreamID transaction using S1DSS = substream 0). */
    if (ev->type == SMMU_EVT_C_BAD_SUBSTREAMID)
        e.ssid = ev->ssid;
    return terminate(s, x, &e, record, SMMU_XLATE_ABORT);
}

int smmu_nested_ipa_to_pa(smmu_t *s, const smmu_ste_t *ste, uint64_t ipa, uint8_t cls, uint64_t *pa,
                          smmu_event_t *ev)
{
    if (!ste->s2_enabled) {
        *pa = ipa;
        return 0;
    }
    smmu_walk_out_t w;
    if (smmu_walk(s, &ste->s2, NULL, ipa, &w) == 0 && (w.desc & SMMU_BIT(6)) &&
        !(ste->s2ptw && smmu_s2_is_device(w.desc))) {
        *pa = w.oa;
        return 0;
    }
    memset(ev, 0, sizeof(*ev));
    ev->type = w.fault ? w.fault : SMMU_EVT_F_PERMISSION;
    ev->s2 = 1;
    ev->cls = cls;
    ev->ipa = ipa & SMMU_MASK(55, 12);
    ev->ttrnw = cls == SMMU_CLASS_TT; /* a read; TTRnW is meaningful for TT only */
    if (w.fault == SMMU_EVT_F_WALK_EABT)
        ev->fetch_addr = w.fetch_addr;
    return ev->type;
}

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

static void apply_overrides(const smmu_ste_t *ste, xlate_t *x)
{
    override_acc(&x->acc, ste->privcfg, ste->instcfg);
}

/* Remember a successful translation in the micro-TLB (utlb.h). Only when
 * the configuration cache and the TLB hold its sources. */
static void utlb_fill(smmu_t *s, const xlate_t *x, const smmu_ste_t *ste, const uint8_t perm[2],
                      uint64_t pa, unsigned size_shift, int no_unpriv)
{
    if (!s->utlb.e || !s->tlb.e || !s->cfgc.n)
        return;
    const smmu_request_t *req = x->req;
    smmu_utlb_entry_t *u = smmu_utlb_slot(&s->utlb, req->sid, req->ssv, req->ssid, req->addr);
    u->vpage = smmu_utlb_vkey(req->addr, req->ssv);
    u->stream = smmu_utlb_skey(req->sid, req->ssv, req->ssid);
    u->pa_page = pa & ~0xFFFull;
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
        if (smmu_perm_allows(p2[a.priv], &a))
            acc |= (uint64_t)(8u | p2[a.priv]) << (4 * i);
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

/* Get the decoded STE for the request (config cache, else fetch+decode).
 * Returns the entry or NULL after terminating the transaction. */
static const smmu_ste_t *lookup_ste(smmu_t *s, xlate_t *x, smmu_ste_t *tmp)
{
    uint32_t sid = x->req->sid;
    smmu_cfg_entry_t *e = smmu_cfgcache_lookup(&s->cfgc, sid);
    if (e) {
        s->stats.cfg_cache_hits++;
        return &e->ste;
    }
    s->stats.cfg_cache_misses++;
    uint64_t raw[8];
    smmu_event_t ev;
    memset(&ev, 0, sizeof(ev));
    s->stats.ste_fetches++;
    int t = smmu_ste_fetch(s, sid, raw, &ev);
    if (t) {
        ev.type = (uint8_t)t;
        /* C_BAD_STREAMID is recorded only when CR2.RECINVSID == 1 (7.3.3). */
        int record = t != SMMU_EVT_C_BAD_STREAMID || (s->regs.cr2 & SMMU_CR2_RECINVSID);
        config_fault(s, x, &ev, record);
        return NULL;
    }
    uint32_t reason = 0;
    if (smmu_ste_decode(s, raw, tmp, &reason)) {
        ev.type = SMMU_EVT_C_BAD_STE;
        ev.reason = reason;
        config_fault(s, x, &ev, 1);
        return NULL;
    }
    e = smmu_cfgcache_slot(&s->cfgc, sid);
    if (e) {
        e->ste = *tmp;
        e->valid = 1;
        return &e->ste;
    }
    return tmp;
}

/* Get the decoded CD `index` for a stage-1 STE. NULL after terminating. */
static const smmu_cd_t *lookup_cd(smmu_t *s, xlate_t *x, const smmu_ste_t *ste, uint32_t index,
                                  smmu_cd_t *tmp)
{
    uint32_t sid = x->req->sid;
    smmu_cd_entry_t *e = smmu_cfgcache_cd_lookup(&s->cfgc, sid, index);
    if (e) {
        s->stats.cfg_cache_hits++;
        return &e->cd;
    }
    uint64_t raw[8];
    smmu_event_t ev;
    memset(&ev, 0, sizeof(ev));
    s->stats.cd_fetches++;
    int t = smmu_cd_fetch(s, ste, sid, index, raw, &ev);
    if (t) {
        ev.type = (uint8_t)t;
        /* A stage-2 translation-related fault on the CD fetch follows
         * STE.S2R; anything else is always recorded (5.5). */
        int record = ev.s2 && t != SMMU_EVT_F_WALK_EABT ? ste->s2r : 1;
        config_fault(s, x, &ev, record);
        return NULL;
    }
    uint32_t reason = 0;
    if (smmu_cd_decode(s, ste, raw, tmp, &reason)) {
        ev.type = SMMU_EVT_C_BAD_CD;
        ev.reason = reason;
        config_fault(s, x, &ev, 1);
        return NULL;
    }
    /* Cache it only while the STE it came through is cached: CFGI_STE
     * removes the STE and every CD cached through it together (4.3.1). */
    e = smmu_cfgcache_lookup(&s->cfgc, sid) ? smmu_cfgcache_cd_slot(&s->cfgc, sid, index) : NULL;
    if (e) {
        e->cd = *tmp;
        e->valid = 1;
        return &e->cd;
    }
    return tmp;
}

/* Record and terminate a translation-related fault of stage 1 (CD.R/A)
 * or stage 2 (STE.S2R, abort) -- 3.12, 5.5. Other faults (F_WALK_EABT)
 * always record and abort. */
static smmu_status_t xlate_fault(smmu_t *s, xlate_t *x, const smmu_ste_t *ste, const smmu_cd_t *cd,
                                 uint8_t type, int s2, uint8_t cls, uint64_t ipa, uint64_t fetch,
                                 uint8_t ttrnw)
{
    smmu_event_t ev;
    ev_init(x, &ev, type);
    ev.s2 = (uint8_t)s2;
    ev.cls = cls;
    if (s2)
        ev.ipa = ipa & SMMU_MASK(55, 12);
    ev.fetch_addr = fetch;
    ev.ttrnw = type == SMMU_EVT_F_PERMISSION && cls == SMMU_CLASS_TT ? ttrnw : 0;
    if (type == SMMU_EVT_F_WALK_EABT)
        return terminate(s, x, &ev, 1, SMMU_XLATE_ABORT);
    if (s2)
        return terminate(s, x, &ev, ste->s2r, SMMU_XLATE_ABORT);
    if (!cd) /* stage-1 bypass address size fault: always abort (3.4) */
        return terminate(s, x, &ev, 1, SMMU_XLATE_ABORT);
    return terminate(s, x, &ev, cd->r, cd->a ? SMMU_XLATE_ABORT : SMMU_XLATE_RAZWI);
}

/* Log2 of the number of entries a contiguous hint groups (D8.6.1): 4K: 16;
 * 16K: 128 at level 3, 32 at level 2; 64K: 32. */
static inline unsigned contig_log2(unsigned gran_shift, unsigned level)
{
    if (gran_shift == 12)
        return 4;
    if (gran_shift == 14)
        return level == 3 ? 7 : 5;
    return 5;
}

/* Size a TLB entry may cover for a leaf: the block/page, or the whole
 * contiguous range when the hint is set (cached at its real size). */
static inline unsigned leaf_span(const smmu_walk_out_t *w, unsigned gran_shift)
{
    unsigned sh = w->size_shift;
    if (w->desc & SMMU_BIT(52))
        sh += contig_log2(gran_shift, w->level);
    return sh;
}

/* Stage-1 input range check (3.4.1): with a region of 64 - TxSZ bits, the
 * bits VA[AddrTop:64-TxSZ] must all equal VA[55] (the 3.4 example: a 49-bit
 * range = two 48-bit regions accepts 0x0000FFFFFFFFFFFF and
 * 0xFFFF000000000000); AddrTop = 55 with TBI. Returns the region or -1. */
static inline int s1_region(const smmu_cd_t *cd, uint64_t va)
{
    unsigned r = (unsigned)(va >> 55) & 1;
    const smmu_walk_cfg_t *tt = &cd->tt[r];
    /* A disabled region (EPDx) faults without a walk (7.3.13). */
    if (tt->disabled || tt->ia_bits == 0)
        return -1;
    /* Sign-extend from bit 55 over the top byte when TBI, then every bit
     * from N-1 up must equal bit 55. */
    uint64_t v = tt->tbi ? (r ? va | SMMU_MASK(63, 56) : va & SMMU_MASK(55, 0)) : va;
    uint64_t upper = v >> tt->ia_bits; /* VA[AddrTop:N] with N = 64 - TxSZ */
    return upper == (r ? (~0ull >> tt->ia_bits) : 0) ? (int)r : -1;
}

/* Stage-1 permissions of a walk for both privileges (perm.h layout): the
 * EL1&0 model, or the one-EL model for StreamWorld any-EL2. */
static inline unsigned s1_perms_raw(const smmu_ste_t *ste, const smmu_cd_t *cd,
                                    const smmu_walk_out_t *w)
{
    return ste->streamworld == SMMU_SW_NS_EL2 ? smmu_perm_s1_both_el2(w, cd->wxn)
                                              : smmu_perm_s1_both(w, cd->wxn, cd->pan);
}

/* With hardware dirty state (HD), a writable-clean descriptor (DBM = 1,
 * AP[2] = 1) counts as writable for execute permission (3.13.3; Arm ARM
 * D8.5.2.2 R_TTLCV, R_NKLQN): X bits as if AP[2] were 0. */
static unsigned s1_perms(const smmu_ste_t *ste, const smmu_cd_t *cd, const smmu_walk_cfg_t *tt,
                         const smmu_walk_out_t *w)
{
    unsigned pb = s1_perms_raw(ste, cd, w);
    if (tt->hd && (w->desc & SMMU_BIT(51)) && (w->desc & SMMU_BIT(7))) {
        smmu_walk_out_t dirty = *w;
        dirty.desc &= ~SMMU_BIT(7);
        const unsigned xx = SMMU_PERM_X | SMMU_PERM_X << 4;
        pb = (pb & ~xx) | (s1_perms_raw(ste, cd, &dirty) & xx);
    }
    return pb;
}

/* CD.E0PD0/E0PD1 (5.4): unprivileged accesses to the region fault with
 * F_TRANSLATION, whether or not a TLB holds the translation. */
static inline int e0pd_on(const smmu_cd_t *cd, uint64_t va)
{
    return cd && (((va >> 55) & 1) ? cd->e0pd1 : cd->e0pd0);
}

/* Report a stage-1 walk failure (walk.c's result). */
static void s1_walk_fault(smmu_t *s, xlate_t *x, const smmu_ste_t *ste, const smmu_cd_t *cd,
                          const smmu_walk_out_t *w)
{
    if (w->fault_s2) /* stage 2 fault while walking stage 1: CLASS = TT */
        xlate_fault(s, x, ste, cd, w->fault, 1, SMMU_CLASS_TT, w->fault_ipa, w->fetch_addr,
                    w->s2_perm_fault ? w->ttrnw : 1);
    else
        xlate_fault(s, x, ste, cd, w->fault,
                    0, w->fault == SMMU_EVT_F_WALK_EABT ? SMMU_CLASS_TT : SMMU_CLASS_IN, 0,
                    w->fetch_addr, 0);
}

/* Hardware dirty-state update (3.13.3, D8.5.2): a write to a writable-clean
 * leaf (DBM = 1, not writable only because of AP[2] / S2AP[1]) makes it
 * writable-dirty instead of faulting, when HD is enabled for the stage.
 * `perms_if_dirty` are the permissions the leaf has once dirty. Returns 0
 * when the leaf is now dirty, SMMU_WALK_RETRY, a fault type, or -1 when the
 * update does not apply (the write faults as usual). */
static int dirty_update(smmu_t *s, const smmu_walk_cfg_t *cfg, const smmu_walk_cfg_t *s2,
                        smmu_walk_out_t *w, unsigned perms_if_dirty, const smmu_access_t *a)
{
    if (!a->write || !cfg->hd || !(w->desc & SMMU_BIT(51)) ||
        !smmu_perm_allows(perms_if_dirty, a))
        return -1;
    return cfg->stage == 1 ? smmu_walk_update_leaf(s, cfg, s2, w, 0, SMMU_BIT(7))
                           : smmu_walk_update_leaf(s, cfg, NULL, w, SMMU_BIT(7), 0);
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

static void finish_ok(smmu_t *s, xlate_t *x, uint64_t pa, unsigned perms, unsigned size_shift)
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

/* A TLB hit whose permissions fail: the same fault the walk would give. */
static smmu_status_t tlb_hit_fault(smmu_t *s, xlate_t *x, const smmu_ste_t *ste,
                                   const smmu_cd_t *cd, const smmu_tlb_entry_t *e, uint64_t in)
{
    if (!smmu_perm_allows(e->s1_perm[x->acc.priv], &x->acc))
        return xlate_fault(s, x, ste, cd, SMMU_EVT_F_PERMISSION, 0, SMMU_CLASS_IN, 0, 0, 0);
    uint64_t off = in & ((1ull << e->size_shift) - 1);
    return xlate_fault(s, x, ste, cd, SMMU_EVT_F_PERMISSION, 1, SMMU_CLASS_IN, e->ipa + off, 0, 0);
}

/* A TLB hit: permissions are re-checked exactly as on a walk (the entry
 * keeps what the walk found for both privileges and both stages). */
static inline smmu_status_t tlb_hit(smmu_t *s, xlate_t *x, const smmu_ste_t *ste,
                                    const smmu_cd_t *cd, const smmu_tlb_entry_t *e, uint64_t in)
{
    unsigned p = e->s1_perm[x->acc.priv] & e->s2_perm[x->acc.priv];
    s->stats.tlb_hits++;
    if (!smmu_perm_allows(p, &x->acc))
        return tlb_hit_fault(s, x, ste, cd, e, in);
    smmu_response_t *r = x->resp;
    finish_ok(s, x, e->oa + (in & ((1ull << e->size_shift) - 1)), p, e->size_shift);
    r->memattr = e->memattr;
    r->sh = e->sh;
    uint8_t perm[2] = {(uint8_t)(e->s1_perm[0] & e->s2_perm[0]),
                       (uint8_t)(e->s1_perm[1] & e->s2_perm[1])};
    utlb_fill(s, x, ste, perm, r->pa, e->size_shift, e0pd_on(cd, in));
    return SMMU_OK;
}

static inline void fill_init(smmu_tlb_entry_t *f)
{
    memset(f, 0, sizeof(*f));
    f->size_shift = 64;
    f->s1_perm[0] = f->s1_perm[1] = f->s2_perm[0] = f->s2_perm[1] =
        SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    f->global = 1;
}

/* Micro-TLB fast path: a complete translation for this stream and page
 * whose permissions allow the access. Returns 1 when it answered; anything
 * else (miss, permission failure, ATS, disabled SMMU) takes the full path,
 * which also reports faults. */
static inline int utlb_try(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    uint64_t skey = smmu_utlb_skey(req->sid, req->ssv, req->ssid);
    const smmu_utlb_entry_t *u = smmu_utlb_slot_k(&s->utlb, skey, req->addr);
    unsigned hit = smmu_utlb_match(u, req, skey, smmu_utlb_gen(s));
    if (!hit)
        return 0;
    uint64_t hdr;
    memcpy(&hdr, u->hdr, 8);
    hdr |= (uint64_t)(hit & 7) << SMMU_UTLB_HDR_PERMS_SHIFT; /* perms */
    memcpy(resp, &hdr, 8);
    resp->stag = 0;
    resp->pa = u->pa_page | (req->addr & 0xFFF);
    resp->page_size = u->page_size;
    resp->page_base = req->addr & ~(u->page_size - 1);
    resp->done_cycle = req->cycle;
    s->stats.translations++;
    s->stats.utlb_hits++;
    s->stats.translated_ok++;
    return 1;
}

static smmu_status_t translate_full(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp);

smmu_status_t smmu_translate(smmu_t *s, const smmu_request_t *req, smmu_response_t *resp)
{
    if (!s || !req || !resp)
        return SMMU_ERR_INVAL;
    /* Entries exist only while SMMUEN == 1 (a CR0 write flushes them). */
    if (s->utlb.e && utlb_try(s, req, resp))
        return SMMU_OK;
    return translate_full(s, req, resp);
}

/* The whole translation procedure (3.3). Kept out of line so that the
 * micro-TLB fast path above stays small. */
__attribute__((noinline)) static smmu_status_t translate_full(smmu_t *s, const smmu_request_t *req,
                                                              smmu_response_t *resp)
{
    memset(resp, 0, sizeof(*resp));
    resp->done_cycle = req->cycle;
    s->stats.translations++;

    xlate_t x = {req, resp, {0, 0, 0}};
    x.acc.write = req->write ? 1 : 0;
    x.acc.instr = (req->instr && !req->write) ? 1 : 0;
    x.acc.priv = req->priv ? 1 : 0;
    if (req->pcie && !req->ssv) { /* 13.7: no PASID => Unprivileged Data */
        x.acc.instr = 0;
        x.acc.priv = 0;
    }
    if (req->secure && s->cfg.secure_req_abort)
        return terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT);
    if (req->ats != SMMU_ATS_UNTRANSLATED) {
        /* ATS traffic on an SMMU without IDR0.ATS is an unsupported
         * upstream transaction (7.3.2, 16.7.1); InD/PnU are the incoming
         * attributes and the event may be recorded with SMMUEN == 0. */
        smmu_event_t ev;
        ev_init(&x, &ev, SMMU_EVT_F_UUT);
        ev.reason = SMMU_UUT_REASON_ATS;
        return terminate(s, &x, &ev, 1, SMMU_XLATE_ABORT);
    }

    const uint64_t oas_limit = 1ull << s->oas_bits;
    if (!smmu_is_enabled(s)) {
        /* SMMUEN == 0: GBPA decides (6.3.14); no events. */
        if ((s->regs.gbpa & SMMU_GBPA_ABORT) || req->addr >= oas_limit)
            return terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT);
        s->stats.bypassed++;
        finish_ok(s, &x, req->addr, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, 12);
        uint32_t g = s->regs.gbpa;
        bypass_attrs(s, resp, SMMU_GET(g, 4, 4), SMMU_GET(g, 3, 0), SMMU_GET(g, 13, 12));
        return SMMU_OK;
    }

    /* Configuration: STE, then (stage 1) the CD. */
    smmu_ste_t ste_tmp;
    const smmu_ste_t *ste = lookup_ste(s, &x, &ste_tmp);
    if (!ste)
        return SMMU_OK;
    if (ste->abort)
        return terminate(s, &x, NULL, 0, SMMU_XLATE_ABORT); /* 5.2: no event */
    if (req->ssv && !ste->s1_enabled) {
        /* 3.3.2, 7.3.9: a SubstreamID without stage 1 (Config 0b1x0). */
        smmu_event_t ev;
        memset(&ev, 0, sizeof(ev));
        ev.type = SMMU_EVT_C_BAD_SUBSTREAMID;
        ev.ssid = req->ssid;
        return config_fault(s, &x, &ev, 1);
    }
    apply_overrides(ste, &x);

    smmu_cd_t cd_tmp;
    const smmu_cd_t *cd = NULL;
    if (ste->s1_enabled) {
        uint32_t index = 0;
        smmu_cd_sel_t sel = SMMU_CD_USE; /* one CD, no SubstreamID: CD 0 */
        if (req->ssv || ste->s1cdmax) {
            smmu_event_t ev;
            memset(&ev, 0, sizeof(ev));
            sel = smmu_cd_select(ste, req->sid, req->ssv, req->ssid, &index, &ev);
            if (sel == SMMU_CD_FAULT)
                return config_fault(s, &x, &ev, 1);
        }
        if (sel == SMMU_CD_USE) {
            cd = lookup_cd(s, &x, ste, index, &cd_tmp);
            if (!cd)
                return SMMU_OK;
        }
    }

    /* TLB tags (3.17): StreamWorld from STE.STRW; VMID when stage 2 is
     * implemented (EL1 world); ASID for stage 1 unless EL2 without E2H. */
    smmu_tlb_key_t key;
    key.world = ste->streamworld; /* STRW and CR2.E2H as decoded (same encoding) */
    key.vmid = (key.world == SMMU_WORLD_NS_EL1 && s->cfg.s2p) ? ste->s2vmid : 0;
    key.asid = (cd && key.world != SMMU_WORLD_NS_EL2) ? cd->asid : 0;
    key.aset = cd ? cd->aset : 0;

    smmu_walk_out_t w1, w2;
    uint64_t ipa = req->addr, pa;
    unsigned perms = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    smmu_tlb_entry_t fill;

    if (cd) {
        int r = s1_region(cd, req->addr);
        if (r < 0 || (!x.acc.priv && e0pd_on(cd, req->addr)))
            return xlate_fault(s, &x, ste, cd, SMMU_EVT_F_TRANSLATION, 0, SMMU_CLASS_IN, 0, 0, 0);
        const smmu_walk_cfg_t *tt = &cd->tt[r];
        uint64_t va = req->addr & SMMU_MASK(tt->ia_bits - 1, 0);
        key.addr = tt->tbi ? (req->addr | SMMU_MASK(63, 56)) ^ (r ? 0 : SMMU_MASK(63, 56))
                           : req->addr;
        key.kind = ste->s2_enabled ? SMMU_TLB_NESTED : SMMU_TLB_S1;
        if (s->tlb.e) {
            smmu_tlb_entry_t *e = smmu_tlb_lookup(&s->tlb, &key);
            if (e && !(x.acc.write && !(e->s1_perm[x.acc.priv] & e->s2_perm[x.acc.priv] &
                                        SMMU_PERM_W) &&
                       (tt->hd || ste->s2.hd)))
                return tlb_hit(s, &x, ste, cd, e, key.addr);
            if (e) /* a write to a cached writable-clean page: walk, mark dirty */
                smmu_tlb_drop(&s->tlb, e);
            s->stats.tlb_misses++;
        }
        fill_init(&fill);
        unsigned pb;
        for (unsigned tries = 0;; tries++) {
            if (smmu_walk_cached(s, tt, ste->s2_enabled ? &ste->s2 : NULL, va, &key, &w1)) {
                s1_walk_fault(s, &x, ste, cd, &w1);
                return SMMU_OK;
            }
            pb = s1_perms(ste, cd, tt, &w1);
            if (smmu_perm_allows((pb >> (4 * x.acc.priv)) & 7, &x.acc))
                break;
            smmu_walk_out_t clean = w1;
            clean.desc &= ~SMMU_BIT(7);
            unsigned dirty = (s1_perms_raw(ste, cd, &clean) >> (4 * x.acc.priv)) & 7;
            int d = dirty_update(s, tt, ste->s2_enabled ? &ste->s2 : NULL, &w1, dirty, &x.acc);
            if (d == SMMU_WALK_RETRY && tries < 4)
                continue;
            if (d == SMMU_WALK_RETRY) { /* the descriptor kept changing (docs) */
                w1.fault = SMMU_EVT_F_TRANSLATION;
                w1.fault_s2 = 0;
                d = w1.fault;
            }
            if (d > 0) {
                s1_walk_fault(s, &x, ste, cd, &w1);
                return SMMU_OK;
            }
            if (d == 0)
                pb = s1_perms(ste, cd, tt, &w1);
            break;
        }
        fill.s1_perm[0] = (uint8_t)(pb & 7);
        fill.s1_perm[1] = (uint8_t)(pb >> 4);
        fill.global = !(w1.desc & SMMU_BIT(11)); /* nG */
        fill.s1_level = w1.level;
        fill.gran_shift = tt->gran_shift;
        fill.size_shift = (uint8_t)leaf_span(&w1, tt->gran_shift);
        fill.s1_size_shift = fill.size_shift; /* kept if stage 2 splinters it */
        fill.memattr = (uint8_t)(cd->mair >> (8 * SMMU_GET(w1.desc, 4, 2)));
        fill.sh = (uint8_t)SMMU_GET(w1.desc, 9, 8);
        perms = fill.s1_perm[x.acc.priv];
        if (!smmu_perm_allows(perms, &x.acc))
            return xlate_fault(s, &x, ste, cd, SMMU_EVT_F_PERMISSION, 0, SMMU_CLASS_IN, 0, 0, 0);
        ipa = w1.oa;
    } else {
        /* Stage 1 bypass: the input address must fit the IAS (3.4). */
        if (ipa >= (1ull << s->ias_bits))
            return xlate_fault(s, &x, ste, NULL, SMMU_EVT_F_ADDR_SIZE, 0, SMMU_CLASS_IN, 0, 0, 0);
        key.addr = ipa;
        key.kind = SMMU_TLB_S2;
        key.asid = 0;
        if (ste->s2_enabled && s->tlb.e) {
            smmu_tlb_entry_t *e = smmu_tlb_lookup(&s->tlb, &key);
            if (e && !(x.acc.write && !(e->s2_perm[x.acc.priv] & SMMU_PERM_W) && ste->s2.hd))
                return tlb_hit(s, &x, ste, NULL, e, ipa);
            if (e) /* a write to a cached writable-clean page: walk, mark dirty */
                smmu_tlb_drop(&s->tlb, e);
            s->stats.tlb_misses++;
        }
        fill_init(&fill);
    }

    if (ste->s2_enabled) {
        unsigned pb;
        smmu_tlb_key_t k2 = key;
        k2.addr = ipa;
        k2.asid = 0;
        for (unsigned tries = 0;; tries++) {
            if (smmu_walk_cached(s, &ste->s2, NULL, ipa, &k2, &w2))
                return xlate_fault(s, &x, ste, NULL, w2.fault, 1, SMMU_CLASS_IN, ipa,
                                   w2.fetch_addr, 0);
            pb = smmu_perm_s2_both(w2.desc, s->cfg.xnx);
            if (smmu_perm_allows((pb >> (4 * x.acc.priv)) & 7, &x.acc))
                break;
            unsigned dirty = smmu_perm_s2(w2.desc | SMMU_BIT(7), x.acc.priv, s->cfg.xnx);
            int d = dirty_update(s, &ste->s2, NULL, &w2, dirty, &x.acc);
            if (d == SMMU_WALK_RETRY && tries < 4)
                continue;
            if (d == SMMU_WALK_RETRY) { /* the descriptor kept changing (docs) */
                w2.fault = SMMU_EVT_F_TRANSLATION;
                w2.fetch_addr = 0;
                d = w2.fault;
            }
            if (d > 0) /* the update's write aborted: F_WALK_EABT at stage 2 */
                return xlate_fault(s, &x, ste, NULL, w2.fault, 1, SMMU_CLASS_IN, ipa,
                                   w2.fetch_addr, 0);
            if (d == 0)
                pb = smmu_perm_s2_both(w2.desc, s->cfg.xnx);
            break;
        }
        fill.s2_perm[0] = (uint8_t)(pb & 7);
        fill.s2_perm[1] = (uint8_t)(pb >> 4);
        if (!smmu_perm_allows(fill.s2_perm[x.acc.priv], &x.acc))
            return xlate_fault(s, &x, ste, NULL, SMMU_EVT_F_PERMISSION, 1, SMMU_CLASS_IN, ipa, 0, 0);
        perms &= fill.s2_perm[x.acc.priv];
        unsigned span = leaf_span(&w2, ste->s2.gran_shift);
        if (span < fill.size_shift)
            fill.size_shift = (uint8_t)span;
        fill.s2_level = w2.level;
        fill.s2_size_shift = w2.size_shift;
        if (!cd) {
            fill.gran_shift = ste->s2.gran_shift;
            fill.memattr = (uint8_t)SMMU_GET(w2.desc, 5, 2);
            fill.sh = (uint8_t)SMMU_GET(w2.desc, 9, 8);
        }
        pa = w2.oa;
    } else {
        pa = ipa & (oas_limit - 1); /* stage 2 bypass truncates to the OAS (3.4) */
    }

    if (!cd && !ste->s2_enabled) {
        s->stats.bypassed++;
        finish_ok(s, &x, pa, perms, 12);
        bypass_attrs(s, resp, ste->mtcfg, ste->memattr, ste->shcfg);
        return SMMU_OK;
    }
    /* Cache the translation at the size both stages agree on. */
    uint64_t mask = (1ull << fill.size_shift) - 1;
    fill.oa = pa & ~mask;
    fill.ipa = ipa & ~mask;
    if (s->tlb.e) {
        smmu_tlb_insert(&s->tlb, &key, &fill);
        s->stats.tlb_inserts++;
    }
    finish_ok(s, &x, pa, perms, fill.size_shift);
    x.resp->memattr = fill.memattr;
    x.resp->sh = fill.sh;
    uint8_t perm[2] = {(uint8_t)(fill.s1_perm[0] & fill.s2_perm[0]),
                       (uint8_t)(fill.s1_perm[1] & fill.s2_perm[1])};
    utlb_fill(s, &x, ste, perm, pa, fill.size_shift, e0pd_on(cd, req->addr));
    return SMMU_OK;
}

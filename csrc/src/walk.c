/* VMSAv8-64 translation table walk: one walker for every granule, start
 * level and stage (Arm ARM D8.2 walk, D8.3 descriptors, D8.15 fault
 * priority; SMMU 3.3 for nesting). Table format as data: the level shift and
 * stride come from the granule; no per-granule copies. */
#include "walk.h"

#include "perm.h"
#include "smmu_internal.h"

/* Descriptor fields (D8.3) */
#define DESC_VALID SMMU_BIT(0)
#define DESC_TABLE SMMU_BIT(1) /* table (levels 0-2) or page (level 3) */
#define DESC_AF SMMU_BIT(10)
#define DESC_PXN_TABLE 59
#define DESC_UXN_TABLE 60
#define DESC_AP_TABLE_LO 61
#define DESC_NS_TABLE 63

/* Bits [47:shift] of a descriptor's address field, plus OA[51:48] from
 * bits [15:12] for the 64KB granule when the SMMU implements 52-bit PAs
 * (FEAT_LPA, D8.3.1). */
static inline uint64_t desc_addr(uint64_t desc, unsigned shift, int lpa64)
{
    uint64_t a = desc & SMMU_MASK(47, 0) & (~0ull << shift);
    if (lpa64)
        a |= SMMU_GET(desc, 15, 12) << 48;
    return a;
}

/* Levels at which a block descriptor is permitted (D8.3.1): 4K at levels 1
 * and 2 (level 0 needs DS), 16K at level 2 (level 1 needs DS), 64K at level
 * 2 (level 1 needs FEAT_LPA). */
static inline int block_allowed(unsigned gran_shift, unsigned level, int ds, int lpa)
{
    if (level == 2)
        return 1;
    if (level == 1)
        return gran_shift == 12 || (gran_shift == 14 && ds) || (gran_shift == 16 && lpa);
    if (level == 0)
        return gran_shift == 12 && ds;
    return 0;
}

static inline int walk_fault(smmu_walk_out_t *out, uint8_t type, unsigned level)
{
    out->fault = type;
    out->level = (uint8_t)level;
    return type;
}

/* One 64-bit descriptor read (memory byte order): through the direct
 * memory window when it covers it, else ops.read, whose latency goes to
 * the walk's cost sink. */
static inline int desc_read(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t pa, uint64_t *raw)
{
    uint64_t off = pa - s->dm_base;
    if (off < s->dm_size && 8 <= s->dm_size - off) {
        memcpy(raw, s->dm_host + off, 8);
        return 0;
    }
    uint32_t lat = 0;
    int r = s->ops.read(s->ctx, pa, raw, 8, SMMU_ACC_TT, &lat);
    ctx->cost += lat;
    return r;
}

/* The context of a stage-2 walk made on behalf of ctx (a nested table
 * fetch, a descriptor update): no caches, ctx's statistics and writes. */
static inline smmu_walk_ctx_t s2_ctx(const smmu_walk_ctx_t *ctx, const smmu_walk_cfg_t *s2)
{
    smmu_walk_ctx_t c; /* key stays unset: read only with the cache flags */
    c.cfg = s2;
    c.s2 = NULL;
    c.flags = ctx->flags & (SMMU_WALK_COUNT_STATS | SMMU_WALK_HTTU_WRITES);
    c.cost = 0;
    return c;
}

/* Stage 2 must allow a table or structure read: S2AP[0] (bit 6) is read;
 * with STE.S2PTW a page of Device memory is a permission fault (5.2). */
static inline int s2_read_denied(const smmu_walk_cfg_t *s2, uint64_t s2desc)
{
    return !(s2desc & SMMU_BIT(6)) || (s2->ptw && smmu_s2_is_device(s2desc));
}

/* Translate the IPA of a stage-1 table through stage 2 (nested walk). */
static int nested_table_pa(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ipa, uint64_t *pa,
                           uint64_t *s2desc, smmu_walk_out_t *out)
{
    const smmu_walk_cfg_t *s2 = ctx->s2;
    const int count = (ctx->flags & SMMU_WALK_COUNT_STATS) != 0;
    smmu_walk_out_t o2;
    smmu_tlb_key_t k2;
    const int tlb = (ctx->flags & (SMMU_WALK_USE_CACHES | SMMU_WALK_FILL_CACHES)) && s->tlb.e;
    if (tlb) {
        /* Stage-2 translations of stage-1 table IPAs are ordinary stage-2
         * TLB entries (VMID-tagged, removed by TLBI_S2_IPA). */
        k2.addr = ipa;
        k2.vmid = ctx->key.vmid;
        k2.asid = 0;
        k2.kind = SMMU_TLB_S2;
        k2.world = ctx->key.world;
        k2.aset = 0;
    }
    if (tlb && (ctx->flags & SMMU_WALK_USE_CACHES)) {
        const smmu_tlb_entry_t *e = smmu_tlb_lookup(&s->tlb, &k2);
        if (e && (e->s2_perm[0] & SMMU_PERM_R) && !(s2->ptw && (e->memattr & 0xC) == 0)) {
            if (count)
                s->stats.tlb_hits++;
            *pa = e->oa + (ipa & ((1ull << e->size_shift) - 1));
            /* What the HTTU write check needs of the stage-2 leaf. */
            *s2desc = SMMU_BIT(6) | ((e->s2_perm[0] & SMMU_PERM_W) ? SMMU_BIT(7) : 0);
            return 0;
        }
    }
    smmu_walk_ctx_t c2 = s2_ctx(ctx, s2);
    int r = smmu_walk(s, &c2, ipa, &o2);
    ctx->cost += c2.cost;
    if (r) {
        out->fault = o2.fault;
        out->fault_s2 = 1;
        out->fault_ipa = ipa;
        out->level = o2.level;
        out->fetch_addr = o2.fetch_addr;
        return o2.fault;
    }
    if (s2_read_denied(s2, o2.desc)) {
        out->fault = SMMU_EVT_F_PERMISSION;
        out->fault_s2 = 1;
        out->s2_perm_fault = 1;
        out->ttrnw = 1;
        out->fault_ipa = ipa;
        out->level = o2.level;
        return out->fault;
    }
    *pa = o2.oa;
    *s2desc = o2.desc;
    if (tlb && (ctx->flags & SMMU_WALK_FILL_CACHES)) {
        smmu_tlb_entry_t f;
        memset(&f, 0, sizeof(f));
        f.size_shift = o2.size_shift;
        f.oa = o2.oa & ~((1ull << o2.size_shift) - 1);
        f.ipa = ipa & ~((1ull << o2.size_shift) - 1);
        f.global = 1;
        f.s2_level = o2.level;
        f.gran_shift = s2->gran_shift;
        f.s1_perm[0] = f.s1_perm[1] = SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
        /* The same entry a stage-2-only translation of this IPA would make:
         * streams of the VMID share it (3.17). */
        unsigned pb = smmu_perm_s2_both(o2.desc, s->cfg.xnx);
        f.s2_perm[0] = (uint8_t)(pb & 7);
        f.s2_perm[1] = (uint8_t)(pb >> 4);
        f.memattr = (uint8_t)SMMU_GET(o2.desc, 5, 2); /* stage-2 MemAttr (S2PTW check) */
        f.sh = (uint8_t)SMMU_GET(o2.desc, 9, 8);
        smmu_tlb_insert(&s->tlb, &k2, &f);
        if (count)
            s->stats.tlb_inserts++;
    }
    return 0;
}

int smmu_nested_ipa_to_pa(smmu_t *s, const smmu_walk_cfg_t *s2, uint64_t ipa, uint8_t cls,
                          uint64_t *pa, smmu_event_t *ev)
{
    if (!s2) {
        *pa = ipa;
        return 0;
    }
    smmu_walk_ctx_t c2; /* key stays unset: no cache flags */
    c2.cfg = s2;
    c2.s2 = NULL;
    c2.flags = SMMU_WALK_UNCACHED;
    c2.cost = 0; /* a structure fetch's walk cost: not used yet */
    smmu_walk_out_t w;
    if (smmu_walk(s, &c2, ipa, &w) == 0 && !s2_read_denied(s2, w.desc)) {
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

/* Atomic descriptor update through the callback table (3.13: agents update
 * flags atomically). Values are numeric; byte order per the table. */
static int desc_cas(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t pa, int be, uint64_t expected,
                    uint64_t desired, uint64_t *found)
{
    uint64_t exp_m = smmu_to_mem64(expected, be), des_m = smmu_to_mem64(desired, be), old_m;
    if (ctx->flags & SMMU_WALK_COUNT_STATS)
        s->stats.mem_writes++;
    if (s->ops.cas64) {
        if (s->ops.cas64(s->ctx, pa, exp_m, des_m, &old_m))
            return 1;
    } else {
        uint32_t lat = 0;
        int r = s->ops.read(s->ctx, pa, &old_m, 8, SMMU_ACC_TT_UPDATE, &lat);
        ctx->cost += lat;
        if (r)
            return 1;
        if (old_m == exp_m) {
            lat = 0;
            r = s->ops.write(s->ctx, pa, &des_m, 8, SMMU_ACC_TT_UPDATE, &lat);
            ctx->cost += lat;
            if (r)
                return 1;
        }
    }
    *found = smmu_from_mem64(old_m, be);
    return 0;
}

int smmu_walk_update_leaf(smmu_t *s, smmu_walk_ctx_t *ctx, smmu_walk_out_t *out, uint64_t set,
                          uint64_t clear)
{
    const smmu_walk_cfg_t *s2 = ctx->s2;
    uint64_t want = (out->desc | set) & ~clear, found;
    if (want == out->desc)
        return 0;
    /* A nested stage-1 descriptor update is a write through stage 2: it
     * needs S2AP[1] for the page holding the descriptor (3.13.5). A
     * writable-clean stage-2 page (DBM) is marked dirty first when S2HD. */
    if (out->desc_s2 && !(out->desc_s2 & SMMU_BIT(7)) && s2 && s2->hd) {
        smmu_walk_out_t o2;
        smmu_walk_ctx_t c2 = s2_ctx(ctx, s2);
        if (smmu_walk(s, &c2, out->desc_ipa, &o2) == 0 && (o2.desc & SMMU_BIT(51))) {
            int r = smmu_walk_update_leaf(s, &c2, &o2, SMMU_BIT(7), 0);
            ctx->cost += c2.cost;
            if (r)
                return r == SMMU_WALK_RETRY ? r : (out->fault = o2.fault);
            out->desc_s2 = o2.desc;
        } else {
            ctx->cost += c2.cost;
        }
    }
    if (out->desc_s2 && !(out->desc_s2 & SMMU_BIT(7))) {
        out->fault = SMMU_EVT_F_PERMISSION;
        out->fault_s2 = 1;
        out->s2_perm_fault = 1;
        out->ttrnw = 0;
        out->fault_ipa = out->desc_ipa;
        return out->fault;
    }
    if (desc_cas(s, ctx, out->desc_pa, ctx->cfg->big_endian, out->desc, want, &found)) {
        out->fetch_addr = out->desc_pa;
        out->fault = SMMU_EVT_F_WALK_EABT;
        out->fault_s2 = 0;
        return out->fault;
    }
    if (found != out->desc)
        return SMMU_WALK_RETRY; /* changed since the walk read it */
    if (ctx->flags & SMMU_WALK_COUNT_STATS)
        s->stats.httu_updates++;
    out->desc = want;
    return 0;
}

/* Walk-cache key for the table descriptor at `level` on the path of wk. */
static inline void wc_key(smmu_tlb_key_t *k, const smmu_tlb_key_t *wk, unsigned stage)
{
    *k = *wk;
    k->kind = stage == 1 ? SMMU_TLB_WALK_S1 : SMMU_TLB_WALK_S2;
}

/* The walk; *reads counts the descriptor reads (smmu_walk() adds them to
 * the statistics once, when counting). */
static inline __attribute__((always_inline)) int
walk_body(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ia, smmu_walk_out_t *out, unsigned *reads)
{
    const smmu_walk_cfg_t *cfg = ctx->cfg, *s2 = ctx->s2;
    const int count = (ctx->flags & SMMU_WALK_COUNT_STATS) != 0;
    const unsigned g = cfg->gran_shift, stride = g - 3;
    const int lpa = s->oas_bits == 52;
    const int lpa64 = lpa && g == 16; /* OA[51:48] in descriptor bits [15:12] */
    const uint64_t oa_limit = cfg->oa_bits >= 64 ? ~0ull : (1ull << cfg->oa_bits);
    unsigned level, shift;
    unsigned bits; /* index bits at this level (start level: concatenation) */
    uint64_t table;
    unsigned retries = 0; /* walks restarted after a racing descriptor change */
    uint64_t tattr;
restart:
    tattr = 0; /* table-descriptor attribute bits [63:59], ORed */
    level = cfg->start_level;
    shift = level <= 3 ? smmu_level_shift(g, level) : 0;
    table = cfg->ttb;
    out->fault = 0;
    out->fault_s2 = 0;
    out->s2_perm_fault = 0;
    out->ap_table = out->uxn_table = out->pxn_table = out->ns_table = 0;
    out->desc_s2 = 0;
    out->fetch_addr = 0;
    out->fault_ipa = 0;

    if (count) {
        if (cfg->stage == 1)
            s->stats.walks_s1++;
        else
            s->stats.walks_s2++;
    }

    /* EPDx: walks of this region are disabled (translation fault, no
     * memory access). Input range check: bits above ia_bits must be 0
     * (stage 1 callers strip the sign extension and TBI first). */
    /* Both are level 0 Translation faults (D8.1.9 R_VZZSZ, I_ZFSYQ). */
    if (cfg->disabled)
        return walk_fault(out, SMMU_EVT_F_TRANSLATION, 0);
    if (cfg->ia_bits < 64 && (ia >> cfg->ia_bits))
        return walk_fault(out, SMMU_EVT_F_TRANSLATION, 0);
    /* Malformed configurations cannot come from the decoders; refuse them
     * as translation faults rather than index out of the table. */
    if ((g != 12 && g != 14 && g != 16) || level > 3 || shift >= cfg->ia_bits ||
        cfg->ia_bits - shift > stride + 4)
        return walk_fault(out, SMMU_EVT_F_TRANSLATION, level);
    bits = cfg->ia_bits - shift;

    /* Walk cache: start below the deepest cached table descriptor. */
    smmu_tlb_key_t wck;
    const int use_wc = (ctx->flags & SMMU_WALK_USE_CACHES) && s->wc.e;
    const int fill_wc = (ctx->flags & SMMU_WALK_FILL_CACHES) && s->wc.e;
    if (use_wc || fill_wc)
        wc_key(&wck, &ctx->key, cfg->stage);
    if (use_wc) {
        for (unsigned l = 2; l + 1 > cfg->start_level && l <= 2; l--) {
            unsigned sh = smmu_level_shift(g, l);
            const smmu_tlb_entry_t *e = smmu_tlb_lookup_at(&s->wc, &wck, sh, g);
            if (e) {
                if (count)
                    s->stats.walk_cache_hits++;
                table = e->oa;
                tattr = (uint64_t)e->tattr << 59;
                level = l + 1;
                shift = smmu_level_shift(g, level);
                bits = stride;
                break;
            }
            if (l == 0)
                break;
        }
    }

    for (;;) {
        uint64_t daddr = table + (((ia >> shift) & ((1ull << bits) - 1)) << 3);
        uint64_t dipa = daddr, ds2 = 0, raw;
        if (s2 && nested_table_pa(s, ctx, daddr, &daddr, &ds2, out))
            return out->fault;
        (*reads)++;
        if (desc_read(s, ctx, daddr, &raw)) {
            out->fetch_addr = daddr;
            return walk_fault(out, SMMU_EVT_F_WALK_EABT, level);
        }
        uint64_t desc = smmu_from_mem64(raw, cfg->big_endian);

        if (!(desc & DESC_VALID))
            return walk_fault(out, SMMU_EVT_F_TRANSLATION, level);
        if (level < 3 && (desc & DESC_TABLE)) {
            /* Table descriptor: next-level address, address size check
             * (D8.15), hierarchical attributes (stage 1 only). */
            table = desc_addr(desc, g, lpa64);
            if (table >= oa_limit)
                return walk_fault(out, SMMU_EVT_F_ADDR_SIZE, level);
            tattr |= desc;
            if (fill_wc) {
                smmu_tlb_entry_t f;
                memset(&f, 0, sizeof(f));
                f.size_shift = (uint8_t)shift;
                f.oa = table;
                f.s1_level = (uint8_t)level;
                f.s2_level = (uint8_t)level;
                f.gran_shift = (uint8_t)g;
                f.global = cfg->stage == 2;
                f.tattr = (uint8_t)(tattr >> 59);
                smmu_tlb_insert(&s->wc, &wck, &f);
            }
            level++;
            shift -= stride;
            bits = stride;
            continue;
        }
        /* Page (level 3, bit[1] = 1) or block (bit[1] = 0 at levels 0-2). */
        if (level == 3 ? !(desc & DESC_TABLE) : !block_allowed(g, level, cfg->ds, lpa))
            return walk_fault(out, SMMU_EVT_F_TRANSLATION, level);
        if (cfg->stage == 1) {
            /* Hierarchical attributes (D8.4.2): NSTable always; APTable,
             * UXNTable, PXNTable unless disabled by HADx. */
            out->ns_table = (uint8_t)SMMU_GET(tattr, DESC_NS_TABLE, DESC_NS_TABLE);
            if (!cfg->had) {
                out->pxn_table = (uint8_t)SMMU_GET(tattr, DESC_PXN_TABLE, DESC_PXN_TABLE);
                out->uxn_table = (uint8_t)SMMU_GET(tattr, DESC_UXN_TABLE, DESC_UXN_TABLE);
                out->ap_table = (uint8_t)SMMU_GET(tattr, DESC_AP_TABLE_LO + 1, DESC_AP_TABLE_LO);
            }
        }
        uint64_t base = desc_addr(desc, shift, lpa64);
        out->level = (uint8_t)level;
        out->desc = desc;
        out->size_shift = (uint8_t)shift;
        out->oa = base | (ia & ((1ull << shift) - 1));
        out->desc_pa = daddr;
        out->desc_ipa = dipa;
        out->desc_s2 = ds2;
        out->af_updated = 0;
        if (base >= oa_limit)
            return walk_fault(out, SMMU_EVT_F_ADDR_SIZE, level);
        /* Access flag (3.13.2, D8.5): with HA the SMMU sets AF atomically;
         * otherwise AF == 0 faults unless AFFD treats it as 1. */
        if (!(desc & DESC_AF)) {
            if (cfg->ha && !(ctx->flags & SMMU_WALK_HTTU_WRITES)) {
                /* No writes: the leaf as found (hardware would set AF). */
            } else if (cfg->ha) {
                int r = smmu_walk_update_leaf(s, ctx, out, DESC_AF, 0);
                if (r == SMMU_WALK_RETRY && retries < 4) {
                    retries++;
                    goto restart;
                }
                if (r)
                    return r == SMMU_WALK_RETRY ? walk_fault(out, SMMU_EVT_F_TRANSLATION, level)
                                                : out->fault;
                out->af_updated = 1;
            } else if (!cfg->affd) {
                return walk_fault(out, SMMU_EVT_F_ACCESS, level);
            }
        }
        return 0;
    }
}

/* The common walk, specialised: every table in the direct memory window,
 * little-endian descriptors, no walk cache in use, a stage-1 table IPA of
 * a nested walk found in the TLB, a valid leaf with AF set. It has no side
 * effect until it succeeds (reads of the window are pure; statistics are
 * added at the end), so on anything else (a fault, a window miss, AF == 0,
 * a TLB miss for a table IPA) it returns 1 and the general walker does the
 * whole walk again from the start, with the same result as without it.
 * The checks are walk_body's, in the same order (D8.3, D8.15). */
static inline __attribute__((always_inline)) int
walk_fast_g(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ia, smmu_walk_out_t *out, const unsigned g)
{
    const smmu_walk_cfg_t *cfg = ctx->cfg, *s2 = ctx->s2;
    const unsigned stride = g - 3, ia_bits = cfg->ia_bits;
    unsigned level = cfg->start_level;
    if (cfg->disabled || cfg->big_endian || ia_bits >= 64 || (ia >> ia_bits) || level > 3 ||
        s->dm_size < 8)
        return 1;
    unsigned shift = smmu_level_shift(g, level);
    if (shift >= ia_bits || ia_bits - shift > stride + 4)
        return 1;
    const int lpa = s->oas_bits == 52, lpa64 = lpa && g == 16;
    const uint64_t oa_limit = cfg->oa_bits >= 64 ? ~0ull : (1ull << cfg->oa_bits);
    const uint64_t base_pa = s->dm_base, last = s->dm_size - 8; /* window, last offset */
    const uint8_t *host = s->dm_host;
    const int tlb2 = s2 && s->tlb.e && (ctx->flags & SMMU_WALK_USE_CACHES);
    if (s2 && !tlb2)
        return 1;
    uint64_t mask = (1ull << (ia_bits - shift)) - 1; /* index bits at the start level */
    uint64_t table = cfg->ttb, tattr = 0, daddr, dipa, ds2 = 0, desc;
    unsigned reads = 0, s2hits = 0;
    for (;;) {
        daddr = table + (((ia >> shift) & mask) << 3);
        dipa = daddr;
        if (s2) {
            /* The stage-2 TLB entry of the table page (nested_table_pa's
             * lookup, without its statistic until the walk succeeds). */
            smmu_tlb_key_t k2 = {daddr, ctx->key.vmid, 0, SMMU_TLB_S2, ctx->key.world, 0};
            const smmu_tlb_entry_t *e = smmu_tlb_lookup(&s->tlb, &k2);
            if (!e || !(e->s2_perm[0] & SMMU_PERM_R) || (s2->ptw && (e->memattr & 0xC) == 0))
                return 1;
            s2hits++;
            daddr = e->oa + (daddr & ((1ull << e->size_shift) - 1));
            ds2 = SMMU_BIT(6) | ((e->s2_perm[0] & SMMU_PERM_W) ? SMMU_BIT(7) : 0);
        }
        uint64_t off = daddr - base_pa;
        if (off > last)
            return 1;
        memcpy(&desc, host + off, 8);
        desc = smmu_from_mem64(desc, 0);
        reads++;
        if (!(desc & DESC_VALID))
            return 1;
        if (level == 3 || !(desc & DESC_TABLE))
            break;
        table = desc_addr(desc, g, lpa64);
        if (table >= oa_limit)
            return 1;
        tattr |= desc;
        level++;
        shift -= stride;
        mask = (1ull << stride) - 1;
    }
    if (level == 3 ? !(desc & DESC_TABLE) : !block_allowed(g, level, cfg->ds, lpa))
        return 1;
    uint64_t base = desc_addr(desc, shift, lpa64);
    if (base >= oa_limit || !(desc & DESC_AF))
        return 1;
    out->fault = 0;
    out->fault_s2 = 0;
    out->s2_perm_fault = 0;
    out->fetch_addr = 0;
    out->fault_ipa = 0;
    out->ns_table = (uint8_t)SMMU_GET(tattr, DESC_NS_TABLE, DESC_NS_TABLE);
    out->ap_table = out->uxn_table = out->pxn_table = 0;
    if (cfg->stage != 1)
        out->ns_table = 0;
    else if (!cfg->had) {
        out->pxn_table = (uint8_t)SMMU_GET(tattr, DESC_PXN_TABLE, DESC_PXN_TABLE);
        out->uxn_table = (uint8_t)SMMU_GET(tattr, DESC_UXN_TABLE, DESC_UXN_TABLE);
        out->ap_table = (uint8_t)SMMU_GET(tattr, DESC_AP_TABLE_LO + 1, DESC_AP_TABLE_LO);
    }
    out->level = (uint8_t)level;
    out->desc = desc;
    out->size_shift = (uint8_t)shift;
    out->oa = base | (ia & ((1ull << shift) - 1));
    out->desc_pa = daddr;
    out->desc_ipa = dipa;
    out->desc_s2 = ds2;
    out->af_updated = 0;
    if (ctx->flags & SMMU_WALK_COUNT_STATS) {
        if (cfg->stage == 1)
            s->stats.walks_s1++;
        else
            s->stats.walks_s2++;
        s->stats.tlb_hits += s2hits;
        s->stats.tt_reads += reads;
        s->stats.mem_reads += reads;
    }
    return 0;
}

/* The common walk with the granule as a constant (the table format as data,
 * instantiated once per granule: D8.2 stride, masks and block levels fold). */
static int walk_fast(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ia, smmu_walk_out_t *out)
{
    switch (ctx->cfg->gran_shift) {
    case 12: return walk_fast_g(s, ctx, ia, out, 12);
    case 14: return walk_fast_g(s, ctx, ia, out, 14);
    case 16: return walk_fast_g(s, ctx, ia, out, 16);
    default: return 1;
    }
}

int smmu_walk(smmu_t *s, smmu_walk_ctx_t *ctx, uint64_t ia, smmu_walk_out_t *out)
{
    if (!((ctx->flags & (SMMU_WALK_USE_CACHES | SMMU_WALK_FILL_CACHES)) && s->wc.e) &&
        walk_fast(s, ctx, ia, out) == 0)
        return 0;
    unsigned reads = 0;
    int r = walk_body(s, ctx, ia, out, &reads);
    if (ctx->flags & SMMU_WALK_COUNT_STATS) {
        s->stats.tt_reads += reads;
        s->stats.mem_reads += reads;
    }
    return r;
}

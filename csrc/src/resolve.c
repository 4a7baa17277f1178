/* SPDX-License-Identifier: Apache-2.0 */
/* Resolution by walking (3.3, 3.4, 3.13): stage 1 then stage 2, each
 * through one loop that also performs the hardware dirty-state update a
 * write intent calls for. See resolve.h for what resolution is and is not. */
#include "resolve.h"

#include "walk.h"

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
 * contiguous range when the hint is set (cached at its real size). A
 * contiguous range whose leaf OA disagrees with its input address ia in
 * the bits the range spans is misprogrammed (Arm ARM D8.7.1.1 R_NGLXZ: any
 * programmed OA may result): it is kept at the leaf's own size, so the
 * response's page (page_base, page_size, pa) stays one linear range. */
static inline unsigned leaf_span(const smmu_walk_out_t *w, unsigned gran_shift, uint64_t ia)
{
    unsigned sh = w->size_shift;
    if (w->desc & SMMU_BIT(52)) {
        unsigned c = sh + contig_log2(gran_shift, w->level);
        if (!((w->oa ^ ia) & SMMU_MASK(c - 1, sh)))
            sh = c;
    }
    return sh;
}

/* Stage-1 permissions of a leaf for both privileges (perm.h layout): the
 * EL1&0 model, or the one-EL model for StreamWorld any-EL2. */
static inline unsigned s1_perms_raw(const smmu_ste_t *ste, const smmu_cd_t *cd,
                                    const smmu_perm_leaf_t *l)
{
    return ste->streamworld == SMMU_SW_NS_EL2 ? smmu_perm_s1_both_el2(l, cd->wxn)
                                              : smmu_perm_s1_both(l, cd->wxn, cd->pan);
}

/* Permissions of a walk's leaf for both privileges (unprivileged in bits
 * [2:0], privileged [6:4]), as it is or, with as_dirty, once hardware has
 * marked it dirty (stage 1: AP[2] = 0; stage 2: S2AP[1] = 1; 3.13.3).
 * With HD at stage 1, a writable-clean descriptor (DBM = 1, AP[2] = 1)
 * counts as writable for execute permission (Arm ARM D8.5.2.2 R_TTLCV,
 * R_NKLQN): X bits as if AP[2] were 0. */
static inline __attribute__((always_inline)) unsigned
leaf_perms(const smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd, const smmu_walk_cfg_t *cfg,
           unsigned stage, const smmu_walk_out_t *w, int as_dirty)
{
    if (stage == 2)
        return smmu_perm_s2_both(as_dirty ? w->desc | SMMU_BIT(7) : w->desc, s->cfg.xnx);
    smmu_perm_leaf_t l = {w->desc, w->ap_table, w->uxn_table, w->pxn_table};
    if (as_dirty) {
        l.desc &= ~SMMU_BIT(7);
        return s1_perms_raw(ste, cd, &l);
    }
    unsigned pb = s1_perms_raw(ste, cd, &l);
    if (cfg->hd && (w->desc & SMMU_BIT(51)) && (w->desc & SMMU_BIT(7))) {
        l.desc &= ~SMMU_BIT(7);
        const unsigned xx = SMMU_PERM_X | SMMU_PERM_X << 4;
        pb = (pb & ~xx) | (s1_perms_raw(ste, cd, &l) & xx);
    }
    return pb;
}

/* The fault record of a failed walk (or descriptor update) of `stage`
 * for input address ia. A stage-2 fault while fetching a stage-1 table has
 * CLASS = TT (3.3); a stage-1 F_WALK_EABT too (7.3.12). */
static int walk_fault(unsigned stage, const smmu_walk_out_t *w, uint64_t ia, smmu_fault_t *f)
{
    if (w->fault_s2) {
        *f = smmu_fault_of(w->fault, 2, SMMU_CLASS_TT);
        f->ipa = w->fault_ipa;
        f->ttrnw = w->s2_perm_fault ? w->ttrnw : 1; /* a table read unless an update */
    } else if (stage == 1) {
        *f = smmu_fault_of(w->fault, 1,
                           w->fault == SMMU_EVT_F_WALK_EABT ? SMMU_CLASS_TT : SMMU_CLASS_IN);
    } else {
        *f = smmu_fault_of(w->fault, 2, SMMU_CLASS_IN);
        f->ipa = ia;
    }
    f->fetch_addr = w->fetch_addr;
    return 1;
}

/* Walk one stage and return its leaf with permissions *pb (both
 * privileges). The one HTTU loop of both stages: a write intent to a
 * writable-clean leaf (DBM = 1, not writable only because of AP[2] /
 * S2AP[1]) with HD enabled for the stage makes it writable-dirty
 * (3.13.3, D8.5.2) and the permissions are those of the dirty leaf. When
 * the descriptor changes under the update the walk is repeated, up to 4
 * times, then it is a translation fault (docs/translation.md). */
static inline __attribute__((always_inline)) int
resolve_stage(smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd, smmu_walk_ctx_t *ctx,
              unsigned stage, uint64_t ia, const smmu_access_t *intent, smmu_walk_out_t *w,
              unsigned *pb, smmu_fault_t *f)
{
    const smmu_walk_cfg_t *cfg = ctx->cfg; /* cfg->stage == stage (a constant here) */
    for (unsigned tries = 0;; tries++) {
        if (smmu_walk(s, ctx, ia, w))
            return walk_fault(stage, w, ia, f);
        *pb = leaf_perms(s, ste, cd, cfg, stage, w, 0);
        if (!intent || !intent->write || !cfg->hd || !(w->desc & SMMU_BIT(51)) ||
            smmu_perm_allows((*pb >> (4 * intent->priv)) & 7, intent) ||
            !smmu_perm_allows((leaf_perms(s, ste, cd, cfg, stage, w, 1) >> (4 * intent->priv)) & 7,
                              intent))
            return 0; /* nothing for HTTU to do; the caller judges the access */
        int d = stage == 1 ? smmu_walk_update_leaf(s, ctx, w, 0, SMMU_BIT(7))
                                : smmu_walk_update_leaf(s, ctx, w, SMMU_BIT(7), 0);
        if (d == SMMU_WALK_RETRY && tries < 4)
            continue;
        if (d == SMMU_WALK_RETRY) { /* the descriptor kept changing */
            w->fault = SMMU_EVT_F_TRANSLATION;
            w->fault_s2 = 0;
            w->fetch_addr = 0;
            d = w->fault;
        }
        if (d) /* e.g. the update's write aborted: F_WALK_EABT */
            return walk_fault(stage, w, ia, f);
        *pb = leaf_perms(s, ste, cd, cfg, stage, w, 0);
        return 0;
    }
}

static inline void fill_init(smmu_tlb_entry_t *f)
{
    memset(f, 0, sizeof(*f));
    f->size_shift = 64;
    f->s1_perm[0] = f->s1_perm[1] = f->s2_perm[0] = f->s2_perm[1] =
        SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X;
    f->global = 1;
}

int smmu_resolve_walk(smmu_t *s, const smmu_ste_t *ste, const smmu_cd_t *cd,
                      const smmu_walk_cfg_t *tt, uint64_t addr, const smmu_access_t *intent,
                      smmu_resolved_t *r, smmu_fault_t *f)
{
    smmu_tlb_entry_t *fill = &r->fill;
    const smmu_walk_cfg_t *s2 = ste->s2_enabled ? &ste->s2 : NULL;
    smmu_walk_ctx_t ctx;
    smmu_walk_out_t w;
    uint64_t ipa = addr, pa;
    unsigned pb = 0;
    fill_init(fill);
    r->t = fill;
    r->hit = 0;
    r->ipa = ipa;
    ctx.key = r->key;
    ctx.flags = SMMU_WALK_TRANSLATE;
    ctx.cost = 0; /* timing is a later issue: the walk's cost is not used yet */

    if (cd) { /* stage 1 */
        ctx.cfg = tt;
        ctx.s2 = s2;
        if (resolve_stage(s, ste, cd, &ctx, 1, addr & SMMU_MASK(tt->ia_bits - 1, 0), intent, &w,
                          &pb, f))
            return 1;
        fill->s1_perm[0] = (uint8_t)(pb & 7);
        fill->s1_perm[1] = (uint8_t)(pb >> 4);
        fill->global = !(w.desc & SMMU_BIT(11)); /* nG */
        fill->s1_level = w.level;
        fill->gran_shift = tt->gran_shift;
        fill->size_shift =
            (uint8_t)leaf_span(&w, tt->gran_shift, addr & SMMU_MASK(tt->ia_bits - 1, 0));
        fill->s1_size_shift = fill->size_shift; /* kept if stage 2 splinters it */
        fill->memattr = (uint8_t)(cd->mair >> (8 * SMMU_GET(w.desc, 4, 2)));
        fill->sh = (uint8_t)SMMU_GET(w.desc, 9, 8);
        ipa = w.oa;
        r->ipa = ipa;
        if (intent && !smmu_perm_allows(fill->s1_perm[intent->priv], intent))
            return 0; /* stage 1 refuses the access: no stage 2 (3.3) */
    }
    if (s2) {
        ctx.cfg = s2;
        ctx.s2 = NULL;
        ctx.key.addr = ipa;
        ctx.key.asid = 0;
        if (resolve_stage(s, ste, cd, &ctx, 2, ipa, intent, &w, &pb, f))
            return 1;
        fill->s2_perm[0] = (uint8_t)(pb & 7);
        fill->s2_perm[1] = (uint8_t)(pb >> 4);
        unsigned span = leaf_span(&w, s2->gran_shift, ipa);
        if (span < fill->size_shift)
            fill->size_shift = (uint8_t)span;
        fill->s2_level = w.level;
        fill->s2_size_shift = w.size_shift;
        if (!cd) {
            fill->gran_shift = s2->gran_shift;
            fill->memattr = (uint8_t)SMMU_GET(w.desc, 5, 2);
            fill->sh = (uint8_t)SMMU_GET(w.desc, 9, 8);
        }
        pa = w.oa;
    } else {
        pa = ipa & ((1ull << s->oas_bits) - 1); /* stage 2 bypass truncates to the OAS (3.4) */
    }
    r->pa = pa;
    if (cd || s2) { /* the range both stages agree on */
        uint64_t mask = (1ull << fill->size_shift) - 1;
        fill->oa = pa & ~mask;
        fill->ipa = ipa & ~mask;
    }
    return 0;
}

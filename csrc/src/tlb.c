/* TLB (3.17): set-associative, entries sized by the walk. */
#include "tlb.h"

#include <stdlib.h>
#include <string.h>

int smmu_tlb_init(smmu_tlb_t *t, uint32_t sets, uint32_t ways, uint32_t repl)
{
    memset(t, 0, sizeof(*t));
    if (!sets || !ways)
        return 0; /* TLB off */
    t->e = calloc((size_t)sets * ways, sizeof(*t->e));
    if (!t->e)
        return 1;
    t->sets = sets;
    t->ways = ways;
    t->repl = repl;
    t->rr = 0xACE1u;
    return 0;
}

void smmu_tlb_free(smmu_tlb_t *t)
{
    free(t->e);
    memset(t, 0, sizeof(*t));
}

void smmu_tlb_insert(smmu_tlb_t *t, const smmu_tlb_key_t *k, const smmu_tlb_entry_t *proto)
{
    if (!t->e || proto->size_shift >= 64)
        return;
    uint64_t tag = k->addr >> proto->size_shift;
    smmu_tlb_entry_t *set = &t->e[(size_t)smmu_tlb_set_of(t, tag, k->vmid) * t->ways];
    smmu_tlb_entry_t *victim = NULL;
    for (uint32_t w = 0; w < t->ways; w++) {
        if (!set[w].valid) {
            victim = &set[w];
            break;
        }
    }
    if (!victim) {
        uint32_t w;
        if (t->repl == 1) { /* pseudo-random: 16-bit Galois LFSR */
            t->rr = (t->rr >> 1) ^ (-(t->rr & 1u) & 0xB400u);
            w = t->rr % t->ways;
        } else { /* round robin */
            w = t->rr++ % t->ways;
        }
        victim = &set[w];
    } else {
        t->valid_count++;
    }
    *victim = *proto;
    victim->valid = 1;
    victim->tag = tag;
    victim->kind = k->kind;
    victim->world = k->world;
    victim->vmid = k->vmid;
    victim->asid = k->asid;
    victim->aset = k->aset;
    t->size_mask |= 1ull << proto->size_shift;
}

static inline unsigned tg_of(unsigned gran_shift)
{
    return gran_shift == 12 ? 1 : gran_shift == 14 ? 2 : gran_shift == 16 ? 3 : 0;
}

uint32_t smmu_tlb_invalidate(smmu_tlb_t *t, const smmu_tlb_inval_t *iv)
{
    uint32_t n = 0, total = t->sets * t->ways;
    t->gen++;
    for (uint32_t i = 0; i < total; i++) {
        smmu_tlb_entry_t *e = &t->e[i];
        if (!e->valid || !(e->kind & iv->kinds) || e->world != iv->world)
            continue;
        if (iv->match_vmid && ((e->vmid ^ iv->vmid) & ~iv->vmid_ign_mask))
            continue;
        if (iv->match_asid) {
            if (e->global ? iv->keep_global : e->asid != iv->asid)
                continue;
        }
        if (iv->match_addr) {
            /* A combined entry splintered from a larger stage-1 block or
             * contiguous range is removed by an invalidation anywhere in
             * that stage-1 range (Arm ARM D8.17; SMMU 4.4.2.3-4). */
            unsigned sh = e->size_shift;
            if (e->kind == SMMU_TLB_NESTED && e->s1_size_shift > sh && e->s1_size_shift < 64)
                sh = e->s1_size_shift;
            uint64_t lo = (e->tag << e->size_shift) & ~((1ull << sh) - 1);
            uint64_t hi = lo + ((1ull << sh) - 1);
            if (hi < iv->addr_lo || lo > iv->addr_hi)
                continue;
        }
        if (iv->ttl) {
            unsigned lvl = e->kind == SMMU_TLB_S2 ? e->s2_level : e->s1_level;
            if (lvl != (iv->ttl & 3u))
                continue;
        }
        if (iv->tg && tg_of(e->gran_shift) != iv->tg)
            continue;
        e->valid = 0;
        t->valid_count--;
        n++;
    }
    if (!t->valid_count)
        t->size_mask = 0;
    /* Leaf = 0 also removes intermediate (walk-cache) entries in scope:
     * stage-1 walks for stage-1 scopes, stage-2 walks for stage-2 scopes.
     * The level hint (TTL) describes the leaf, not these entries. */
    if (t->walk && t->walk->e && !iv->leaf) {
        smmu_tlb_inval_t w = *iv;
        w.kinds = (uint8_t)(((iv->kinds & (SMMU_TLB_S1 | SMMU_TLB_NESTED)) ? SMMU_TLB_WALK_S1 : 0) |
                            ((iv->kinds & SMMU_TLB_S2) ? SMMU_TLB_WALK_S2 : 0));
        w.ttl = 0;
        if (w.kinds) /* not part of the count: it counts leaf entries */
            smmu_tlb_invalidate(t->walk, &w);
    }
    return n;
}

void smmu_tlb_invalidate_all(smmu_tlb_t *t)
{
    if (t->walk)
        smmu_tlb_invalidate_all(t->walk);
    t->gen++;
    uint32_t total = t->sets * t->ways;
    for (uint32_t i = 0; i < total; i++)
        t->e[i].valid = 0;
    t->valid_count = 0;
    t->size_mask = 0;
}

/* SPDX-License-Identifier: Apache-2.0 */
/* TLB (3.17): set-associative, entries sized by the walk, matched on two
 * packed words, with per-tag lists and address probes so that an
 * invalidation costs what it removes rather than the TLB size (see
 * docs/tlb.md). */
#include "tlb.h"

#include <stdlib.h>
#include <string.h>

/* An empty TLB: no sizes, no spans, no VMIDs (the lists are empty once
 * every entry is unlinked; smmu_tlb_invalidate_all empties them itself). */
static void reset_indexes(smmu_tlb_t *t)
{
    memset(t->nz_vmid, 0, sizeof(t->nz_vmid));
    for (unsigned i = 0; i < 64; i++)
        t->span[i] = (uint8_t)i;
    t->size_mask = 0;
    t->valid_count = 0;
}

static void reset_heads(smmu_tlb_t *t)
{
    memset(t->ahead, 0xFF, (size_t)t->nbuckets * sizeof(*t->ahead));
    memset(t->vhead, 0xFF, (size_t)t->nbuckets * sizeof(*t->vhead));
}

int smmu_tlb_init(smmu_tlb_t *t, uint32_t sets, uint32_t ways, uint32_t repl)
{
    memset(t, 0, sizeof(*t));
    t->gen = &t->own_gen;
    reset_indexes(t);
    if (!sets || !ways)
        return 0; /* TLB off */
    uint64_t total = (uint64_t)sets * ways;
    uint32_t nb = 16;
    while (nb < total / 2)
        nb <<= 1;
    t->e = calloc(total, sizeof(*t->e));
    t->ahead = malloc((size_t)nb * sizeof(*t->ahead));
    t->vhead = malloc((size_t)nb * sizeof(*t->vhead));
    if (!t->e || !t->ahead || !t->vhead) {
        smmu_tlb_free(t);
        return 1;
    }
    t->nbuckets = nb;
    t->sets = sets;
    t->set_mask = sets - 1;
    t->ways = ways;
    t->repl = repl;
    t->rr = 0xACE1u;
    reset_heads(t);
    return 0;
}

void smmu_tlb_free(smmu_tlb_t *t)
{
    free(t->e);
    free(t->ahead);
    free(t->vhead);
    memset(t, 0, sizeof(*t));
}

/* ---- Per-tag lists ---- */

static inline uint32_t bucket(const smmu_tlb_t *t, uint32_t h)
{
    return (uint32_t)(((uint64_t)(h * 0x9E3779B1u) * t->nbuckets) >> 32);
}

static inline uint32_t abucket(const smmu_tlb_t *t, unsigned world, unsigned vmid, unsigned asid)
{
    return bucket(t, (asid | vmid << 16) ^ world * 0x6A09E667u);
}

static inline uint32_t vbucket(const smmu_tlb_t *t, unsigned world, unsigned vmid)
{
    return bucket(t, vmid ^ world * 0xBB67AE85u);
}

static void link(smmu_tlb_t *t, smmu_tlb_entry_t *e)
{
    uint32_t i = (uint32_t)(e - t->e);
    uint32_t *ah = &t->ahead[abucket(t, e->world, e->vmid, e->asid)];
    uint32_t *vh = &t->vhead[vbucket(t, e->world, e->vmid)];
    e->aprev = e->vprev = SMMU_TLB_NIL;
    e->anext = *ah;
    e->vnext = *vh;
    if (*ah != SMMU_TLB_NIL)
        t->e[*ah].aprev = i;
    if (*vh != SMMU_TLB_NIL)
        t->e[*vh].vprev = i;
    *ah = i;
    *vh = i;
    if (e->vmid)
        t->nz_vmid[e->world & 3]++;
    t->valid_count++;
}

/* Remove a valid entry from the lists and empty it. */
static void kill(smmu_tlb_t *t, smmu_tlb_entry_t *e)
{
    if (e->aprev != SMMU_TLB_NIL)
        t->e[e->aprev].anext = e->anext;
    else
        t->ahead[abucket(t, e->world, e->vmid, e->asid)] = e->anext;
    if (e->anext != SMMU_TLB_NIL)
        t->e[e->anext].aprev = e->aprev;
    if (e->vprev != SMMU_TLB_NIL)
        t->e[e->vprev].vnext = e->vnext;
    else
        t->vhead[vbucket(t, e->world, e->vmid)] = e->vnext;
    if (e->vnext != SMMU_TLB_NIL)
        t->e[e->vnext].vprev = e->vprev;
    if (e->vmid)
        t->nz_vmid[e->world & 3]--;
    t->valid_count--;
    e->meta = 0;
    e->atag = 0;
}

void smmu_tlb_drop(smmu_tlb_t *t, smmu_tlb_entry_t *e)
{
    kill(t, e);
    (*t->gen)++;
}

void smmu_tlb_insert(smmu_tlb_t *t, const smmu_tlb_key_t *k, const smmu_tlb_entry_t *proto)
{
    const unsigned sh = proto->size_shift;
    if (!t->e || sh >= 64 || sh < 6) /* entries are >= 4KB: sh < 6 never comes */
        return;
    uint64_t tag = k->addr >> sh;
    smmu_tlb_entry_t *set = &t->e[(size_t)smmu_tlb_set_of(t, tag, k->vmid) * t->ways];
    smmu_tlb_entry_t *victim = NULL;
    for (uint32_t w = 0; w < t->ways; w++) {
        if (!set[w].meta) {
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
        kill(t, victim);
    }
    *victim = *proto;
    victim->perm[0] = (uint8_t)(proto->s1_perm[0] & proto->s2_perm[0]);
    victim->perm[1] = (uint8_t)(proto->s1_perm[1] & proto->s2_perm[1]);
    victim->kind = k->kind;
    victim->world = k->world;
    victim->vmid = k->vmid;
    victim->asid = k->asid;
    victim->aset = k->aset;
    victim->atag = smmu_tlb_atag(k->addr, sh);
    uint64_t m = smmu_tlb_meta_base(k->kind, k->world, k->vmid);
    if (k->kind >= SMMU_TLB_WALK_S1) /* walk cache: exact ASID and granule */
        m |= (uint64_t)k->asid << 24 | (uint64_t)proto->gran_shift << 40;
    else if (proto->global)
        m |= SMMU_TLB_META_G | (uint64_t)k->aset << 24;
    else
        m |= (uint64_t)k->asid << 24;
    victim->meta = m;
    link(t, victim);
    t->size_mask |= 1ull << sh;
    if (k->kind == SMMU_TLB_NESTED && proto->s1_size_shift > sh && proto->s1_size_shift < 64 &&
        proto->s1_size_shift > t->span[sh])
        t->span[sh] = proto->s1_size_shift;
}

/* ---- Invalidation ---- */

static inline unsigned tg_of(unsigned gran_shift)
{
    return gran_shift == 12 ? 1 : gran_shift == 14 ? 2 : gran_shift == 16 ? 3 : 0;
}

int smmu_tlb_in_scope(const smmu_tlb_entry_t *e, const smmu_tlb_inval_t *iv)
{
    if (!e->meta || !(e->kind & iv->kinds) || e->world != iv->world)
        return 0;
    if (iv->match_vmid && ((e->vmid ^ iv->vmid) & ~iv->vmid_ign_mask))
        return 0;
    if (iv->match_asid) {
        if (e->global ? iv->keep_global : e->asid != iv->asid)
            return 0;
    }
    if (iv->match_addr) {
        /* A combined entry splintered from a larger stage-1 block or
         * contiguous range is removed by an invalidation anywhere in
         * that stage-1 range (Arm ARM D8.17; SMMU 4.4.2.3-4). */
        unsigned sh = e->size_shift;
        if (e->kind == SMMU_TLB_NESTED && e->s1_size_shift > sh && e->s1_size_shift < 64)
            sh = e->s1_size_shift;
        uint64_t start = (e->atag & ((1ull << 58) - 1)) << e->size_shift;
        uint64_t lo = start & ~((1ull << sh) - 1);
        uint64_t hi = lo + ((1ull << sh) - 1);
        if (hi < iv->addr_lo || lo > iv->addr_hi)
            return 0;
    }
    if (iv->ttl) {
        unsigned lvl = e->kind == SMMU_TLB_S2 ? e->s2_level : e->s1_level;
        if (lvl != (iv->ttl & 3u))
            return 0;
    }
    if (iv->tg && tg_of(e->gran_shift) != iv->tg)
        return 0;
    return 1;
}

static inline uint32_t try_kill(smmu_tlb_t *t, smmu_tlb_entry_t *e, const smmu_tlb_inval_t *iv)
{
    if (!smmu_tlb_in_scope(e, iv))
        return 0;
    kill(t, e);
    return 1;
}

static uint32_t scan(smmu_tlb_t *t, const smmu_tlb_inval_t *iv)
{
    uint32_t n = 0, total = t->sets * t->ways;
    for (uint32_t i = 0; i < total; i++)
        n += try_kill(t, &t->e[i], iv);
    return n;
}

/* The VMIDs a scope can reach: every value of the bits in vmid_ign_mask
 * above (iv->vmid & ~mask), or VMID 0 alone when the scope does not match
 * VMIDs and no entry of its world has another. 0: unknown (scan). */
static int vmid_set(const smmu_tlb_t *t, const smmu_tlb_inval_t *iv, uint16_t *base,
                    uint16_t *ign)
{
    if (iv->world > 3)
        return 0;
    if (iv->match_vmid) {
        if (__builtin_popcount(iv->vmid_ign_mask) > 4)
            return 0;
        *ign = iv->vmid_ign_mask;
        *base = (uint16_t)(iv->vmid & ~iv->vmid_ign_mask);
        return 1;
    }
    if (t->nz_vmid[iv->world])
        return 0;
    *ign = 0;
    *base = 0;
    return 1;
}

/* Address-scoped: probe, for each entry size present, the sets of every
 * tag (and reachable VMID) whose entry could overlap [addr_lo, addr_hi],
 * widened to the largest stage-1 span of splintered entries of that size.
 * Returns 0 (nothing done) when that is more probes than the TLB has sets. */
static int probe(smmu_tlb_t *t, const smmu_tlb_inval_t *iv, uint16_t vbase, uint16_t ign,
                 uint32_t *n)
{
    if (iv->addr_lo > iv->addr_hi)
        return 0;
    const uint64_t nv = 1ull << __builtin_popcount(ign);
    uint64_t probes = 0;
    for (uint64_t m = t->size_mask; m; m &= m - 1) {
        unsigned sh = (unsigned)__builtin_ctzll(m);
        uint64_t wide = (1ull << t->span[sh]) - 1;
        uint64_t lo = (iv->addr_lo & ~wide) >> sh, hi = (iv->addr_hi | wide) >> sh;
        probes += (hi - lo + 1) * nv;
        if (probes > t->sets)
            return 0;
    }
    for (uint64_t m = t->size_mask; m; m &= m - 1) {
        unsigned sh = (unsigned)__builtin_ctzll(m);
        uint64_t wide = (1ull << t->span[sh]) - 1;
        uint64_t lo = (iv->addr_lo & ~wide) >> sh, hi = (iv->addr_hi | wide) >> sh;
        for (uint64_t tag = lo;; tag++) {
            uint16_t j = 0;
            do { /* every subset of the ignored VMID bits */
                uint16_t vmid = (uint16_t)(vbase | j);
                smmu_tlb_entry_t *e = &t->e[(size_t)smmu_tlb_set_of(t, tag, vmid) * t->ways];
                for (uint32_t w = 0; w < t->ways; w++)
                    *n += try_kill(t, &e[w], iv);
                j = (uint16_t)((j - ign) & ign);
            } while (j);
            if (tag == hi)
                break;
        }
    }
    return 1;
}

static uint32_t walk_alist(smmu_tlb_t *t, const smmu_tlb_inval_t *iv, uint16_t vmid)
{
    uint32_t n = 0;
    for (uint32_t i = t->ahead[abucket(t, iv->world, vmid, iv->asid)]; i != SMMU_TLB_NIL;) {
        smmu_tlb_entry_t *e = &t->e[i];
        i = e->anext;
        n += try_kill(t, e, iv);
    }
    return n;
}

static uint32_t walk_vlist(smmu_tlb_t *t, const smmu_tlb_inval_t *iv, uint16_t vmid)
{
    uint32_t n = 0;
    for (uint32_t i = t->vhead[vbucket(t, iv->world, vmid)]; i != SMMU_TLB_NIL;) {
        smmu_tlb_entry_t *e = &t->e[i];
        i = e->vnext;
        n += try_kill(t, e, iv);
    }
    return n;
}

/* The entries in scope are found through the cheapest index that holds
 * all of them; every candidate is then checked with smmu_tlb_in_scope, so
 * the result is the full scan's. */
static uint32_t remove_in_scope(smmu_tlb_t *t, const smmu_tlb_inval_t *iv, int force_scan)
{
    if (!t->e || !t->valid_count)
        return 0;
    uint16_t vbase, ign;
    if (force_scan || !vmid_set(t, iv, &vbase, &ign))
        return scan(t, iv);
    uint32_t n = 0;
    if (iv->match_addr && probe(t, iv, vbase, ign, &n))
        return n;
    /* ASID scope keeping global entries: only non-global entries of that
     * ASID qualify, all on the ASID's lists. Otherwise the VMID lists. */
    const int by_asid = iv->match_asid && iv->keep_global;
    uint16_t j = 0;
    do {
        uint16_t vmid = (uint16_t)(vbase | j);
        n += by_asid ? walk_alist(t, iv, vmid) : walk_vlist(t, iv, vmid);
        j = (uint16_t)((j - ign) & ign);
    } while (j);
    return n;
}

static uint32_t invalidate(smmu_tlb_t *t, const smmu_tlb_inval_t *iv, int force_scan)
{
    (*t->gen)++;
    uint32_t n = remove_in_scope(t, iv, force_scan);
    if (!t->valid_count)
        reset_indexes(t);
    /* Leaf = 0 also removes intermediate (walk-cache) entries in scope:
     * stage-1 walks for stage-1 scopes, stage-2 walks for stage-2 scopes.
     * The level hint (TTL) describes the leaf, not these entries. */
    if (t->walk && t->walk->e && !iv->leaf) {
        smmu_tlb_inval_t w = *iv;
        w.kinds = (uint8_t)(((iv->kinds & (SMMU_TLB_S1 | SMMU_TLB_NESTED)) ? SMMU_TLB_WALK_S1 : 0) |
                            ((iv->kinds & SMMU_TLB_S2) ? SMMU_TLB_WALK_S2 : 0));
        w.ttl = 0;
        if (w.kinds) /* not part of the count: it counts leaf entries */
            invalidate(t->walk, &w, force_scan);
    }
    return n;
}

uint32_t smmu_tlb_invalidate(smmu_tlb_t *t, const smmu_tlb_inval_t *iv)
{
    return invalidate(t, iv, 0);
}

uint32_t smmu_tlb_invalidate_scan(smmu_tlb_t *t, const smmu_tlb_inval_t *iv)
{
    return invalidate(t, iv, 1);
}

void smmu_tlb_invalidate_all(smmu_tlb_t *t)
{
    if (t->walk)
        smmu_tlb_invalidate_all(t->walk);
    (*t->gen)++;
    uint32_t total = t->sets * t->ways;
    for (uint32_t i = 0; i < total; i++) {
        t->e[i].meta = 0;
        t->e[i].atag = 0;
    }
    if (t->e)
        reset_heads(t);
    reset_indexes(t);
}


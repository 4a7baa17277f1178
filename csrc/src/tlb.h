/* SPDX-License-Identifier: Apache-2.0 */
/* TLB: cached translations tagged as 3.17 requires (StreamWorld, VMID,
 * ASID unless global, entry kind), sized by what the walk found, so that an
 * invalidation anywhere inside a block removes it. Set-associative with a
 * configurable geometry and replacement. */
#ifndef SMMU_TLB_H
#define SMMU_TLB_H

#include <stddef.h>
#include <stdint.h>

/* StreamWorld of an entry (3.17, STE.STRW) */
enum smmu_world { SMMU_WORLD_NS_EL1 = 0, SMMU_WORLD_NS_EL2 = 1, SMMU_WORLD_NS_EL2_E2H = 2 };

/* What the entry translates */
enum smmu_tlb_kind {
    SMMU_TLB_S1 = 1,     /* VA -> PA, stage 1 only */
    SMMU_TLB_S2 = 2,     /* IPA -> PA, stage 2 only */
    SMMU_TLB_NESTED = 4, /* VA -> PA through both stages (combined) */
    /* Walk cache (intermediate entries): a table descriptor at level
     * s1_level, covering 2^size_shift bytes of input, giving the next-level
     * table address in oa (an IPA for a nested stage-1 walk). */
    SMMU_TLB_WALK_S1 = 8,
    SMMU_TLB_WALK_S2 = 16,
};

/* Match words (see docs/tlb.md). An entry matches a lookup when its atag
 * equals the lookup's and its meta equals one of the lookup's (at most) two
 * meta words; meta == 0 is an empty way.
 *   atag: (input address >> size_shift) | size_shift << 58 (size_shift >= 6)
 *   meta: kind [4:0] (one-hot, never 0) | world [6:5] | G [7] | VMID [23:8]
 *         | ASID [39:24] (non-global) or ASET [31:24] (global) | granule [47:40]
 *         (walk-cache kinds only; they ignore G and always carry the ASID) */
#define SMMU_TLB_META_G (1ull << 7)

static inline uint64_t smmu_tlb_meta_base(unsigned kind, unsigned world, unsigned vmid)
{
    return (uint64_t)kind | (uint64_t)world << 5 | (uint64_t)vmid << 8;
}

static inline uint64_t smmu_tlb_atag(uint64_t addr, unsigned sh)
{
    return (addr >> sh) | (uint64_t)sh << 58;
}

#define SMMU_TLB_NIL UINT32_MAX

typedef struct smmu_tlb_entry {
    uint64_t atag;       /* match word 1 (above) */
    uint64_t meta;       /* match word 2 (above); 0: invalid */
    uint64_t oa;         /* output address of the entry's first byte */
    uint64_t ipa;        /* nested: the IPA of the first byte (stage-2 fault records) */
    /* Per-tag lists (indices into the entry array, SMMU_TLB_NIL ends):
     * a*: entries of one (world, VMID, ASID) hash bucket, v*: of one
     * (world, VMID) bucket. ASID- and VMID-scoped invalidations walk them. */
    uint32_t anext, aprev, vnext, vprev;
    uint16_t vmid, asid;
    uint8_t kind, world, global;
    uint8_t size_shift;  /* log2 of the range the entry covers */
    uint8_t s1_level, s2_level, gran_shift; /* for TTL / Leaf matching */
    uint8_t s2_size_shift;
    uint8_t s1_size_shift; /* combined entries: the stage-1 leaf's span, which
                              may be larger than the entry (splintering) */
    /* Permissions the walk found, per privilege (index 0 unprivileged, 1
     * privileged), SMMU_PERM_* bits, for each stage; re-checked on a hit. */
    uint8_t s1_perm[2], s2_perm[2];
    uint8_t memattr, sh;
    uint8_t tattr;       /* walk entries: table attribute bits [63:59] >> 59, ORed so far */
    uint8_t aset;        /* CD.ASET: a global entry matches only the same ASID set */
    uint8_t perm[2];     /* s1_perm & s2_perm per privilege (smmu_tlb_insert) */
} smmu_tlb_entry_t;

typedef struct smmu_tlb {
    smmu_tlb_entry_t *e; /* sets x ways */
    uint32_t sets, ways; /* sets is a power of two; 0 entries: TLB off */
    uint32_t set_mask;   /* sets - 1 */
    uint32_t repl;       /* smmu_config_t.tlb_repl */
    uint32_t rr;         /* round-robin / LFSR state */
    uint64_t size_mask;  /* bit n set: entries of size 2^n may be present */
    uint32_t valid_count;
    /* Counts invalidations: the micro-TLB generation. *gen is own_gen,
     * or (the TLB) the micro-TLB's own counter (smmu.c), so that the
     * micro-TLB hit path reads one counter. */
    uint32_t own_gen;
    uint32_t *gen;
    /* The walk cache, when this is the TLB: invalidations with Leaf = 0
     * reach it too (4.4: non-leaf entries). */
    struct smmu_tlb *walk;
    /* Invalidation indexes (docs/tlb.md) */
    uint32_t *ahead, *vhead; /* list heads, nbuckets each */
    uint32_t nbuckets;       /* a power of two */
    uint32_t nz_vmid[4];     /* valid entries with VMID != 0, per world */
    /* span[n]: for entries of size 2^n, the largest range an address
     * invalidation must treat them as covering (the stage-1 span of
     * splintered combined entries); n when none is larger. */
    uint8_t span[64];
} smmu_tlb_t;

int smmu_tlb_init(smmu_tlb_t *t, uint32_t sets, uint32_t ways, uint32_t repl);
void smmu_tlb_free(smmu_tlb_t *t);

/* Lookup key */
typedef struct smmu_tlb_key {
    uint64_t addr;
    uint16_t vmid, asid;
    uint8_t kind, world;
    uint8_t aset; /* CD.ASET of the lookup (3.17.1) */
} smmu_tlb_key_t;

static inline uint32_t smmu_tlb_set_of(const smmu_tlb_t *t, uint64_t tag, uint16_t vmid)
{
    return (uint32_t)((tag ^ (tag >> 17) ^ vmid) & t->set_mask);
}

/* Walk-cache entry of exactly size 2^sh and granule 2^g for k, or NULL
 * (ASID compared exactly, G ignored). */
static inline smmu_tlb_entry_t *smmu_tlb_lookup_at(smmu_tlb_t *t, const smmu_tlb_key_t *k,
                                                   unsigned sh, unsigned g)
{
    if (!(t->size_mask & (1ull << sh)))
        return NULL;
    uint64_t tag = k->addr >> sh, atag = tag | (uint64_t)sh << 58;
    uint64_t m = smmu_tlb_meta_base(k->kind, k->world, k->vmid) | (uint64_t)k->asid << 24 |
                 (uint64_t)g << 40;
    smmu_tlb_entry_t *e = &t->e[(size_t)smmu_tlb_set_of(t, tag, k->vmid) * t->ways];
    for (uint32_t w = 0; w < t->ways; w++, e++) {
        if (e->atag == atag && e->meta == m)
            return e;
    }
    return NULL;
}

/* Entry of size 2^sh translating addr with one of the meta words mng
 * (non-global) and mg (global), or NULL. */
static inline smmu_tlb_entry_t *smmu_tlb_probe(const smmu_tlb_t *t, uint64_t addr, unsigned sh,
                                               uint16_t vmid, uint64_t mng, uint64_t mg)
{
    uint64_t tag = addr >> sh, atag = tag | (uint64_t)sh << 58;
    smmu_tlb_entry_t *e = &t->e[(size_t)smmu_tlb_set_of(t, tag, vmid) * t->ways];
    const smmu_tlb_entry_t *end = e + t->ways; /* ways >= 1 (smmu_tlb_init) */
    do {
        if (e->atag == atag && (e->meta == mng || e->meta == mg))
            return e;
    } while (++e != end);
    return NULL;
}

/* The same for every size in the mask m (bit n: size 2^n). */
static inline smmu_tlb_entry_t *smmu_tlb_lookup_meta(const smmu_tlb_t *t, uint64_t addr,
                                                     uint16_t vmid, uint64_t mng, uint64_t mg)
{
    for (uint64_t m = t->size_mask; m; m &= m - 1) {
        smmu_tlb_entry_t *e =
            smmu_tlb_probe(t, addr, (unsigned)__builtin_ctzll(m), vmid, mng, mg);
        if (e)
            return e;
    }
    return NULL;
}

/* Entry translating k->addr, or NULL.
 * 3.17.1: a global entry matches any ASID of the same StreamWorld, VMID
 * and ASID set (ASET): the second meta word. */
static inline smmu_tlb_entry_t *smmu_tlb_lookup(smmu_tlb_t *t, const smmu_tlb_key_t *k)
{
    const uint64_t base = smmu_tlb_meta_base(k->kind, k->world, k->vmid);
    return smmu_tlb_lookup_meta(t, k->addr, k->vmid, base | (uint64_t)k->asid << 24,
                                base | SMMU_TLB_META_G | (uint64_t)k->aset << 24);
}
/* Insert (addr is any address inside the range; size_shift the range). */
void smmu_tlb_insert(smmu_tlb_t *t, const smmu_tlb_key_t *k, const smmu_tlb_entry_t *proto);

/* Drop one entry found by lookup (a walk will replace it). */
void smmu_tlb_drop(smmu_tlb_t *t, smmu_tlb_entry_t *e);

/* Invalidation scope (4.4). Fields are matched when the flag says so. */
typedef struct smmu_tlb_inval {
    uint8_t kinds;        /* mask of smmu_tlb_kind */
    uint8_t world;
    uint8_t match_vmid, match_asid, match_addr;
    uint8_t keep_global;  /* ASID-scoped invalidation keeps global entries */
    uint8_t leaf;         /* Leaf = 1: only last-level entries (all TLB entries are) */
    uint8_t ttl;          /* 0: any level; else entries whose leaf level == ttl & 3 */
    uint8_t tg;           /* 0: any granule; else granule encoded as TG (1 4K, 2 16K, 3 64K) */
    uint16_t vmid, asid;
    uint16_t vmid_ign_mask;    /* VMID bits a VMID wildcard ignores (CR0.VMW) */
    uint64_t addr_lo, addr_hi; /* inclusive range of input addresses */
    uint8_t ipa_stage;    /* match_addr applies to the IPA of S2 entries */
} smmu_tlb_inval_t;

/* Remove every entry in scope, walk-cache entries included when Leaf = 0;
 * returns the number of leaf (TLB) entries removed. */
uint32_t smmu_tlb_invalidate(smmu_tlb_t *t, const smmu_tlb_inval_t *iv);
void smmu_tlb_invalidate_all(smmu_tlb_t *t);

/* Reference: the same removal by visiting every entry (the model before
 * the indexes; tests compare the two). */
uint32_t smmu_tlb_invalidate_scan(smmu_tlb_t *t, const smmu_tlb_inval_t *iv);
/* Does e fall in scope iv (kinds, world, VMID, ASID, address, TTL, TG)? */
int smmu_tlb_in_scope(const smmu_tlb_entry_t *e, const smmu_tlb_inval_t *iv);

#endif

/* SPDX-License-Identifier: Apache-2.0 */
/* Micro-TLB (the TBU's small cache in front of the TCU, roadmap "TBUs with
 * micro-TLBs"): a direct-mapped cache of complete translations keyed by
 * StreamID, SubstreamID and 4KB input page, filled from what the
 * configuration cache and the TLB hold. It is emptied (by a generation
 * number) by every invalidation of either and by every register write that
 * can change a translation, so it never outlives an invalidation; it may
 * outlive its sources' eviction by replacement, which the architecture
 * allows (nothing was invalidated) but which skips a refetch the full path
 * would make (docs/tlb.md).
 *
 * Index: the 4KB page plus a per-stream offset, the top bits of a
 * multiplicative hash of the request's StreamID/SubstreamID word. Pages of
 * one stream that are close together map to distinct slots, and streams
 * that use the same pages land far apart (the old index, page ^ StreamID,
 * put 4 StreamIDs x 16 common pages into the same 16 slots). Match: the
 * request's first 16 bytes read as two words (StreamID and SubstreamID as
 * given; SSV and the attribute bytes, masked), the page and the
 * generation; the access check is one table lookup (acc, filled by the
 * slow path). The stream word is compared as the request carries it: a
 * request without SSV whose (ignored) SubstreamID differs from the one
 * that filled the entry misses and takes the full path, never a wrong hit. */
#ifndef SMMU_UTLB_H
#define SMMU_UTLB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "smmu/smmu.h"

typedef struct smmu_utlb_entry {
    uint64_t stream;   /* smmu_utlb_sword(): StreamID | SubstreamID << 32, as requested */
    uint64_t vpage;    /* input address >> 12 */
    uint64_t attr;     /* smmu_utlb_aword() & SMMU_UTLB_ATTR_MASK of a hit: SSV (0 or 1) */
    uint64_t pa_delta; /* output address - input address (4KB page) */
    uint64_t page_size; /* response page_size (the cached translation's span) */
    /* Access table: nibble i (i = the access index of smmu_utlb_match) is
     * the permissions granted when access i is allowed, 0 when it is not
     * (or would take the full path). Built by the slow path (utlb_fill). */
    uint64_t acc;
    /* The response's first 8 bytes (outcome OK, no event, memattr, sh, ns)
     * with perms 0: the hit ORs the granted permissions in. */
    uint8_t hdr[8];
    uint32_t gen; /* generation when filled; stale if != current */
    uint32_t pad; /* 64 bytes: one cache line, a shift to index */
} smmu_utlb_entry_t;

typedef struct smmu_utlb {
    smmu_utlb_entry_t *e;
    uint32_t mask;  /* entries - 1; e == NULL: off */
    uint32_t gen;   /* bumped by register writes that can change translations */
    uint32_t shift; /* 64 - log2(entries) (63 for one entry): hash top bits */
} smmu_utlb_t;

/* Set up a micro-TLB over e[entries] (entries a power of two, or 0 with
 * e NULL: off). */
static inline void smmu_utlb_init(smmu_utlb_t *u, smmu_utlb_entry_t *e, uint32_t entries)
{
    u->e = e;
    u->mask = entries ? entries - 1 : 0;
    u->gen = 0;
    unsigned lg = 0;
    while (entries > 1u << lg)
        lg++;
    u->shift = lg ? 64 - lg : 63;
}

/* The request's first two words: StreamID | SubstreamID << 32, and the
 * attribute bytes ssv, write, instr, priv, secure, ats, pcie, tbu
 * as bytes 0..7 (smmu.h order, checked below). */
#ifdef __cplusplus
#define SMMU_UTLB_STATIC_ASSERT static_assert
#else
#define SMMU_UTLB_STATIC_ASSERT _Static_assert
#endif
SMMU_UTLB_STATIC_ASSERT(offsetof(smmu_request_t, ssid) == 4 && offsetof(smmu_request_t, ssv) == 8 &&
                            offsetof(smmu_request_t, write) == 9 &&
                            offsetof(smmu_request_t, instr) == 10 &&
                            offsetof(smmu_request_t, priv) == 11 &&
                            offsetof(smmu_request_t, secure) == 12 &&
                            offsetof(smmu_request_t, ats) == 13 &&
                            offsetof(smmu_request_t, pcie) == 14 &&
                            offsetof(smmu_request_t, tbu) == 15,
                        "smmu_request_t layout moved: update smmu_utlb_sword/aword");

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
static inline uint64_t smmu_utlb_sword(const smmu_request_t *req)
{
    uint64_t w;
    memcpy(&w, &req->sid, 8);
    return w;
}
static inline uint64_t smmu_utlb_aword(const smmu_request_t *req)
{
    uint64_t w;
    memcpy(&w, &req->ssv, 8);
    return w;
}
#else
static inline uint64_t smmu_utlb_sword(const smmu_request_t *req)
{
    return (uint64_t)req->sid | (uint64_t)req->ssid << 32;
}
static inline uint64_t smmu_utlb_aword(const smmu_request_t *req)
{
    return (uint64_t)req->ssv | (uint64_t)req->write << 8 | (uint64_t)req->instr << 16 |
           (uint64_t)req->priv << 24 | (uint64_t)req->secure << 32 | (uint64_t)req->ats << 40 |
           (uint64_t)req->pcie << 48 | (uint64_t)req->tbu << 56;
}
#endif

/* A hit needs every attribute byte under this mask equal to the entry's
 * attr: SSV exactly, Secure and ATS 0, write/instr/priv/pcie 0 or 1
 * (their low bits are the access index; other values take the full path,
 * which treats non-zero as 1); tbu 0 (a request for another TBU takes
 * the full path, which hands it to timing.c). */
#define SMMU_UTLB_ATTR_MASK 0xFFFEFFFFFEFEFEFFull
/* The access index (write, instr, priv, pcie: bits 8, 16, 24, 48 of the
 * attribute word) gathered by one multiply to bits 45..48: 8+37, 16+30,
 * 24+23, 48+0. After the match the other bits of the word are known: SSV
 * (bit 0) and tbu (bits 56..63, 0). Their partial products
 * land at 0, 23, 30, 37 and at 56 and above; no two below 56 coincide, so
 * nothing carries into bits 43..48 and bits 43, 44 stay 0: (product >> 43)
 * & 60 is 4 x the index, with no mask before the multiply. */
#define SMMU_UTLB_IDX_MUL ((1ull << 37) | (1ull << 30) | (1ull << 23) | 1ull)

/* Access index of a request: bit 0 write, 1 instruction, 2 privileged,
 * 3 PCIe (the raw request attributes; the table applies the rules). */
static inline unsigned smmu_utlb_acc_index(const smmu_request_t *req)
{
    return (unsigned)(req->write != 0) | (unsigned)(req->instr != 0) << 1 |
           (unsigned)(req->priv != 0) << 2 | (unsigned)(req->pcie != 0) << 3;
}

static inline smmu_utlb_entry_t *smmu_utlb_slot_k(const smmu_utlb_t *u, uint64_t sword,
                                                  uint64_t addr)
{
    /* Multiplicative hash of the stream word (2^32/golden ratio in both
     * halves, so StreamID and SubstreamID are each spread by it),
     * scaled to the table by its top bits, where consecutive IDs land
     * farthest apart. */
    uint64_t off = (sword * 0x9E3779B99E3779B9ull) >> u->shift;
    return &u->e[(uint32_t)((addr >> 12) + off) & u->mask];
}

static inline smmu_utlb_entry_t *smmu_utlb_slot(const smmu_utlb_t *u, const smmu_request_t *req)
{
    return smmu_utlb_slot_k(u, smmu_utlb_sword(req), req->addr);
}

/* The offset of perms in the response header (smmu_response_t starts
 * outcome, event, recorded, perms, memattr, sh, ns, reserved0). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SMMU_UTLB_HDR_PERMS_SHIFT 32 /* byte 3 of 8, big-endian host */
#else
#define SMMU_UTLB_HDR_PERMS_SHIFT 24 /* byte 3 of 8, little-endian host */
#endif

/* The slot's permissions for the request when it is a hit, else 0. */
static inline uint64_t smmu_utlb_match(const smmu_utlb_entry_t *u, uint64_t sword, uint64_t aword,
                                       uint64_t addr, uint32_t gen)
{
    uint64_t diff = (u->vpage ^ (addr >> 12)) | (u->stream ^ sword) |
                    ((aword & SMMU_UTLB_ATTR_MASK) ^ u->attr) | (uint64_t)(u->gen ^ gen);
    if (diff)
        return 0;
    unsigned sh = (unsigned)((aword * SMMU_UTLB_IDX_MUL) >> 43) & 60u;
    return (u->acc >> sh) & 15u;
}

/* The current generation is the sum of this counter and the invalidation
 * counters of the configuration cache and the TLB (see smmu_utlb_gen() in
 * smmu_internal.h): any of them moving forgets every entry in O(1). A slot
 * whose gen is 0 and whose keys are 0 could only match after 2^32
 * invalidations; entries are cleared at creation and reset. */
static inline void smmu_utlb_flush(smmu_utlb_t *u)
{
    u->gen++;
}

#endif

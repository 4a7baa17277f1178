/* Micro-TLB (the TBU's small cache in front of the TCU, roadmap "TBUs with
 * micro-TLBs"): a direct-mapped cache of complete translations keyed by
 * StreamID, SubstreamID and 4KB input page. It holds only what the
 * configuration cache and the TLB already hold, and it is emptied (by a
 * generation number) by every invalidation of either and by every register
 * write that can change a translation, so it never outlives its sources.
 *
 * Index: the 4KB page plus a per-stream offset, the top bits of a
 * multiplicative hash of StreamID and SubstreamID. Pages of one
 * stream that are close together map to distinct slots, and streams that
 * use the same pages land far apart (the old index, page ^ StreamID, put
 * 4 StreamIDs x 16 common pages into the same 16 slots). Match: three
 * 64-bit words (page with SSV, StreamID with SubstreamID, generation), and
 * the access check is one table lookup (acc, filled by the slow path). */
#ifndef SMMU_UTLB_H
#define SMMU_UTLB_H

#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "smmu/smmu.h"

typedef struct smmu_utlb_entry {
    uint64_t vpage;   /* smmu_utlb_vkey(): input address >> 12, bit 63 = SSV */
    uint64_t stream;  /* smmu_utlb_skey(): StreamID, SubstreamID << 32 when SSV */
    uint64_t pa_page; /* output address of the 4KB page */
    /* Access table: nibble i (i = smmu_utlb_acc_index(request)) is 8 | the
     * permissions granted when access i is allowed, 0 when it is not (or
     * would take the full path). Built by the slow path (utlb_fill). */
    uint64_t acc;
    uint64_t page_size; /* response page_size (the cached translation's span) */
    /* The response's first 8 bytes (outcome OK, no event, memattr, sh, ns)
     * with perms 0: the hit ORs the granted permissions in (resp_hdr). */
    uint8_t hdr[8];
    uint32_t gen;     /* generation when filled; stale if != current */
    uint32_t pad[3];  /* 64 bytes: one cache line, a shift to index */
} smmu_utlb_entry_t;

typedef struct smmu_utlb {
    smmu_utlb_entry_t *e;
    uint32_t mask; /* entries - 1; e == NULL: off */
    uint32_t gen;  /* bumped by register writes that can change translations */
} smmu_utlb_t;

/* Match words of a request. SubstreamID counts only with SSV. */
static inline uint64_t smmu_utlb_vkey(uint64_t addr, unsigned ssv)
{
    return (addr >> 12) | (uint64_t)(ssv != 0) << 63;
}

static inline uint64_t smmu_utlb_skey(uint32_t sid, unsigned ssv, uint32_t ssid)
{
    return (uint64_t)sid | (uint64_t)(ssv ? ssid : 0) << 32;
}

static inline smmu_utlb_entry_t *smmu_utlb_slot_k(const smmu_utlb_t *u, uint64_t skey,
                                                  uint64_t addr)
{
    /* Multiplicative hash of the stream (StreamID times 2^32/golden ratio,
     * SubstreamID times 2^32 frac(sqrt 2)), scaled to the table by its
     * top bits, where consecutive IDs land farthest apart. */
    uint32_t h = (uint32_t)skey * 0x9E3779B9u + (uint32_t)(skey >> 32) * 0x6A09E667u;
    uint64_t off = ((uint64_t)h * ((uint64_t)u->mask + 1)) >> 32;
    return &u->e[(uint32_t)((addr >> 12) + off) & u->mask];
}

static inline smmu_utlb_entry_t *smmu_utlb_slot(const smmu_utlb_t *u, uint32_t sid, unsigned ssv,
                                                uint32_t ssid, uint64_t addr)
{
    return smmu_utlb_slot_k(u, smmu_utlb_skey(sid, ssv, ssid), addr);
}

/* The offset of perms in the response header (smmu_response_t starts
 * outcome, event, recorded, perms, memattr, sh, ns, reserved0). */
#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_BIG_ENDIAN__
#define SMMU_UTLB_HDR_PERMS_SHIFT 32 /* byte 3 of 8, big-endian host */
#else
#define SMMU_UTLB_HDR_PERMS_SHIFT 24 /* byte 3 of 8, little-endian host */
#endif

/* Access index of a request: bit 0 write, 1 instruction, 2 privileged,
 * 3 PCIe (the raw request attributes; the table applies the rules). */
static inline unsigned smmu_utlb_acc_index(const smmu_request_t *req)
{
    return (unsigned)(req->write != 0) | (unsigned)(req->instr != 0) << 1 |
           (unsigned)(req->priv != 0) << 2 | (unsigned)(req->pcie != 0) << 3;
}

#if defined(__BYTE_ORDER__) && __BYTE_ORDER__ == __ORDER_LITTLE_ENDIAN__
/* The request's attribute bytes, read as two words: ssv, write, instr,
 * priv | secure, ats, pcie, reserved0 (smmu.h order, checked here). */
#ifdef __cplusplus
#define SMMU_UTLB_STATIC_ASSERT static_assert
#else
#define SMMU_UTLB_STATIC_ASSERT _Static_assert
#endif
SMMU_UTLB_STATIC_ASSERT(offsetof(smmu_request_t, write) == offsetof(smmu_request_t, ssv) + 1 &&
                            offsetof(smmu_request_t, instr) == offsetof(smmu_request_t, ssv) + 2 &&
                            offsetof(smmu_request_t, priv) == offsetof(smmu_request_t, ssv) + 3 &&
                            offsetof(smmu_request_t, secure) == offsetof(smmu_request_t, ssv) + 4 &&
                            offsetof(smmu_request_t, ats) == offsetof(smmu_request_t, ssv) + 5 &&
                            offsetof(smmu_request_t, pcie) == offsetof(smmu_request_t, ssv) + 6,
                        "smmu_request_t attribute bytes moved: update smmu_utlb_match");

/* The slot's table nibble for the request when it is a hit, else 0. The
 * fast path takes only Secure == 0, ATS == 0 and write/instr/priv/pcie of
 * 0 or 1 (other values go the full path, which treats non-zero as 1); the
 * four bits are gathered into the table index by one multiply (bits 8, 16,
 * 24, 32 to 32..35, no other partial product lands there). */
static inline unsigned smmu_utlb_match(const smmu_utlb_entry_t *u, const smmu_request_t *req,
                                       uint64_t skey, uint32_t gen)
{
    uint32_t a, b;
    memcpy(&a, &req->ssv, 4);
    memcpy(&b, &req->secure, 4);
    uint64_t diff = (u->vpage ^ smmu_utlb_vkey(req->addr, req->ssv)) | (u->stream ^ skey) |
                    (uint64_t)(u->gen ^ gen) | (a & 0xFEFEFE00u) | (b & 0x00FEFFFFu);
    if (diff)
        return 0;
    uint64_t x = (a & 0x01010100u) | (uint64_t)(b & 0x00010000u) << 16;
    unsigned idx = (unsigned)((x * 0x01020408ull) >> 32) & 15u;
    return (unsigned)(u->acc >> (4 * idx)) & 15u;
}
#else
static inline unsigned smmu_utlb_match(const smmu_utlb_entry_t *u, const smmu_request_t *req,
                                       uint64_t skey, uint32_t gen)
{
    uint64_t diff = (u->vpage ^ smmu_utlb_vkey(req->addr, req->ssv)) | (u->stream ^ skey) |
                    (uint64_t)(u->gen ^ gen) | (uint64_t)(req->ats | req->secure);
    if (diff)
        return 0;
    return (unsigned)(u->acc >> (4 * smmu_utlb_acc_index(req))) & 15u;
}
#endif

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

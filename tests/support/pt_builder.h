/* SPDX-License-Identifier: Apache-2.0 */
// Test-only VMSAv8-64 translation-table builder (Arm ARM D8.2 lookup, D8.3
// descriptor formats). Builds stage 1 or stage 2 tables for any granule,
// input size, start level (stage 2: concatenated start tables) and byte order
// into SimMem, and returns the matching smmu_walk_cfg_t.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "support/simmem.h"

extern "C" {
#include "walk.h"
}

namespace smmutest {

// Stage 1 Block/Page attributes (Table D8-52).
struct S1Attrs {
    uint8_t attr_indx = 0; // AttrIndx[2:0], bits [4:2]
    uint8_t ap = 0;        // AP[2:1], bits [7:6]
    uint8_t sh = 3;        // SH[1:0], bits [9:8]
    uint8_t af = 1;        // bit [10]
    uint8_t ng = 0;        // bit [11]
    uint8_t dbm = 0;       // bit [51]
    uint8_t contig = 0;    // bit [52]
    uint8_t pxn = 0;       // bit [53]
    uint8_t uxn = 0;       // bit [54]
    uint64_t bits() const;
};

// Stage 2 Block/Page attributes (Table D8-53).
struct S2Attrs {
    uint8_t memattr = 0xF; // MemAttr[3:0], bits [5:2]
    uint8_t s2ap = 3;      // S2AP[1:0], bits [7:6]
    uint8_t sh = 3;        // SH[1:0], bits [9:8]
    uint8_t af = 1;        // bit [10]
    uint8_t dbm = 0;       // bit [51]
    uint8_t contig = 0;    // bit [52]
    uint8_t xn = 0;        // XN[1:0], bits [54:53]
    uint64_t bits() const;
};

// Stage 1 Table descriptor next-level attributes (Table D8-50).
struct TableAttrs {
    uint8_t pxn_table = 0; // bit [59]
    uint8_t uxn_table = 0; // bit [60]
    uint8_t ap_table = 0;  // APTable[1:0], bits [62:61]
    uint8_t ns_table = 0;  // bit [63]
    uint64_t bits() const;
};

class PtBuilder {
  public:
    // stage 1: start_level < 0 computes the start level from ia_bits (D8.2:
    // the fewest levels resolving ia_bits). stage 2: start_level is given;
    // the start table is 2^(ia_bits - level_shift(start)) entries, i.e.
    // concatenated when that exceeds one granule (D8.2.x "Concatenated
    // translation tables"). Tables are taken from a bump allocator at
    // alloc_base, each aligned to max(its size, granule).
    // pa_delta: table addresses (ttb, next-level table addresses in
    // descriptors, table_addr()) are in the table address space (IPA for a
    // nested stage 1, SMMU 3.3); the bytes go to SimMem at address + pa_delta.
    PtBuilder(SimMem &mem, unsigned stage, unsigned gran_shift, unsigned ia_bits,
              unsigned oa_bits, uint64_t alloc_base, int start_level = -1,
              bool big_endian = false, uint64_t pa_delta = 0);

    // The walk configuration for these tables.
    smmu_walk_cfg_t cfg() const;

    unsigned stage() const { return stage_; }
    unsigned gran_shift() const { return g_; }
    unsigned stride() const { return g_ - 3; }
    unsigned ia_bits() const { return ia_bits_; }
    unsigned oa_bits() const { return oa_bits_; }
    unsigned start_level() const { return start_; }
    uint64_t ttb() const { return ttb_; }
    uint64_t pa_delta() const { return delta_; }
    unsigned level_shift(unsigned level) const { return smmu_level_shift(g_, level); }
    // Index bits resolved at `level` (start level: concatenation included).
    unsigned index_bits(unsigned level) const;
    // Number of start tables (1, or 2..16 when concatenated).
    unsigned start_tables() const;

    // Stage-1 start level for (granule, ia_bits).
    static unsigned s1_start_level(unsigned gran_shift, unsigned ia_bits);
    // Legal stage-2 start levels for (granule, ia_bits), D8.2 Tables D8-25
    // and equivalents: 1 <= index bits <= stride + 4 at the start level.
    static std::vector<unsigned> s2_start_levels(unsigned gran_shift, unsigned ia_bits);

    // Address field of a descriptor for address a (D8.3.1): bits[47:gran]
    // in place; for the 64K granule OA[51:48] goes to bits [15:12].
    uint64_t encode_addr(uint64_t a) const;

    // Map [ia, ia + 2^level_shift(level)) to oa with a page (level 3) or a
    // block (levels 0-2; no check that a block is architecturally allowed
    // at that level, so tests can plant illegal ones). attrs are the
    // non-address, non-type bits (S1Attrs::bits() / S2Attrs::bits()).
    // Creates table descriptors as needed. Returns false (and sets error())
    // when a block/page is in the way or ia/oa are misaligned/out of range.
    bool map(uint64_t ia, uint64_t oa, unsigned level, uint64_t attrs);
    bool map_s1(uint64_t ia, uint64_t oa, unsigned level, const S1Attrs &a = S1Attrs())
    {
        return map(ia, oa, level, a.bits());
    }
    bool map_s2(uint64_t ia, uint64_t oa, unsigned level, const S2Attrs &a = S2Attrs())
    {
        return map(ia, oa, level, a.bits());
    }
    // The leaf descriptor value written by the last successful map().
    uint64_t last_desc() const { return last_desc_; }

    // OR `bits` into the existing Table descriptor at `level` on ia's path.
    bool set_table_bits(unsigned level, uint64_t ia, uint64_t bits);
    bool set_table_attrs(unsigned level, uint64_t ia, const TableAttrs &t)
    {
        return set_table_bits(level, ia, t.bits());
    }

    // Address of the descriptor at `level` for ia, in the table address
    // space (add pa_delta() for its PA). Creates the tables above
    // `level` on ia's path if they do not exist yet (so a raw descriptor can
    // be planted there). Returns ~0 (and sets error()) if a leaf is in the way.
    uint64_t table_addr(unsigned level, uint64_t ia);
    // Raw descriptor write/read at `level` for ia (numeric value; written in
    // the builder's byte order).
    bool set_desc(unsigned level, uint64_t ia, uint64_t raw);
    uint64_t get_desc(unsigned level, uint64_t ia);

    // Read-only lookup following the builder's tables: returns the level of
    // the first invalid descriptor on ia's path, or -1 if a block/page (or
    // another valid non-table descriptor) is found. Creates nothing.
    int probe(uint64_t ia) const;

    // Table descriptor pointing at next-level table PA `pa`.
    uint64_t table_desc(uint64_t pa) const { return encode_addr(pa) | 3; }

    // Bytes handed out so far by the bump allocator.
    uint64_t alloc_next() const { return next_; }
    const std::string &error() const { return err_; }

  private:
    SimMem &mem_;
    unsigned stage_, g_, ia_bits_, oa_bits_, start_;
    bool be_;
    uint64_t ttb_, next_, delta_;
    uint64_t last_desc_ = 0;
    std::string err_;

    uint64_t alloc(uint64_t bytes);
    uint64_t decode_table(uint64_t desc) const;
    uint64_t entry_addr(uint64_t table, unsigned level, uint64_t ia) const;
    uint64_t rd(uint64_t a) const { return mem_.read64(a + delta_, be_); }
    void wr(uint64_t a, uint64_t v) { mem_.write64(a + delta_, v, be_); }
};

// smmu_walk() as the core walks configuration structures through stage 2:
// no caches, statistics counted, HTTU writes (walk.h SMMU_WALK_UNCACHED).
inline int walk_uncached(smmu_t *s, const smmu_walk_cfg_t *cfg, const smmu_walk_cfg_t *s2,
                         uint64_t ia, smmu_walk_out_t *out)
{
    smmu_walk_ctx_t ctx{};
    ctx.cfg = cfg;
    ctx.s2 = s2;
    ctx.flags = SMMU_WALK_UNCACHED;
    return smmu_walk(s, &ctx, ia, out);
}

} // namespace smmutest

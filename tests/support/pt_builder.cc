// SPDX-License-Identifier: Apache-2.0
#include "support/pt_builder.h"

#include <algorithm>
#include <sstream>

namespace smmutest {

uint64_t S1Attrs::bits() const
{
    return uint64_t(attr_indx & 7) << 2 | uint64_t(ap & 3) << 6 | uint64_t(sh & 3) << 8 |
           uint64_t(af & 1) << 10 | uint64_t(ng & 1) << 11 | uint64_t(dbm & 1) << 51 |
           uint64_t(contig & 1) << 52 | uint64_t(pxn & 1) << 53 | uint64_t(uxn & 1) << 54;
}

uint64_t S2Attrs::bits() const
{
    return uint64_t(memattr & 15) << 2 | uint64_t(s2ap & 3) << 6 | uint64_t(sh & 3) << 8 |
           uint64_t(af & 1) << 10 | uint64_t(dbm & 1) << 51 | uint64_t(contig & 1) << 52 |
           uint64_t(xn & 3) << 53;
}

uint64_t TableAttrs::bits() const
{
    return uint64_t(pxn_table & 1) << 59 | uint64_t(uxn_table & 1) << 60 |
           uint64_t(ap_table & 3) << 61 | uint64_t(ns_table & 1) << 63;
}

unsigned PtBuilder::s1_start_level(unsigned g, unsigned ia_bits)
{
    unsigned stride = g - 3;
    unsigned levels = (ia_bits - g + stride - 1) / stride;
    return 4 - levels;
}

std::vector<unsigned> PtBuilder::s2_start_levels(unsigned g, unsigned ia_bits)
{
    std::vector<unsigned> v;
    for (unsigned l = 0; l <= 3; l++) {
        unsigned sh = smmu_level_shift(g, l);
        if (ia_bits > sh && ia_bits - sh <= g - 3 + 4)
            v.push_back(l);
    }
    return v;
}

PtBuilder::PtBuilder(SimMem &mem, unsigned stage, unsigned gran_shift, unsigned ia_bits,
                     unsigned oa_bits, uint64_t alloc_base, int start_level, bool big_endian,
                     uint64_t pa_delta)
    : mem_(mem), stage_(stage), g_(gran_shift), ia_bits_(ia_bits), oa_bits_(oa_bits),
      start_(start_level < 0 ? s1_start_level(gran_shift, ia_bits) : unsigned(start_level)),
      be_(big_endian), ttb_(0), next_(alloc_base), delta_(pa_delta)
{
    ttb_ = alloc(uint64_t(8) << index_bits(start_));
}

unsigned PtBuilder::index_bits(unsigned level) const
{
    return level == start_ ? ia_bits_ - level_shift(start_) : stride();
}

unsigned PtBuilder::start_tables() const
{
    unsigned b = index_bits(start_);
    return b > stride() ? 1u << (b - stride()) : 1u;
}

smmu_walk_cfg_t PtBuilder::cfg() const
{
    smmu_walk_cfg_t c;
    std::memset(&c, 0, sizeof c);
    c.ttb = ttb_;
    c.stage = uint8_t(stage_);
    c.gran_shift = uint8_t(g_);
    c.ia_bits = uint8_t(ia_bits_);
    c.start_level = uint8_t(start_);
    c.oa_bits = uint8_t(oa_bits_);
    c.big_endian = be_;
    return c;
}

uint64_t PtBuilder::alloc(uint64_t bytes)
{
    uint64_t align = std::max<uint64_t>(bytes, uint64_t(1) << g_);
    uint64_t a = (next_ + align - 1) & ~(align - 1);
    next_ = a + std::max<uint64_t>(bytes, uint64_t(1) << g_);
    // Zero the table explicitly (SimMem reads unwritten memory as zero, but
    // a test may have reused the area).
    std::vector<uint8_t> z(bytes, 0);
    mem_.write(a + delta_, z.data(), z.size());
    return a;
}

uint64_t PtBuilder::encode_addr(uint64_t a) const
{
    uint64_t v = a & (((uint64_t(1) << 48) - 1) & ~((uint64_t(1) << g_) - 1));
    if (g_ == 16)
        v |= ((a >> 48) & 0xF) << 12;
    return v;
}

uint64_t PtBuilder::decode_table(uint64_t d) const
{
    uint64_t a = d & (((uint64_t(1) << 48) - 1) & ~((uint64_t(1) << g_) - 1));
    if (g_ == 16)
        a |= ((d >> 12) & 0xF) << 48;
    return a;
}

uint64_t PtBuilder::entry_addr(uint64_t table, unsigned level, uint64_t ia) const
{
    uint64_t idx = (ia >> level_shift(level)) & ((uint64_t(1) << index_bits(level)) - 1);
    return table + idx * 8;
}

uint64_t PtBuilder::table_addr(unsigned level, uint64_t ia)
{
    if (level < start_ || level > 3) {
        err_ = "level outside the walk";
        return ~uint64_t(0);
    }
    uint64_t table = ttb_;
    for (unsigned l = start_; l < level; l++) {
        uint64_t ea = entry_addr(table, l, ia);
        uint64_t d = rd(ea);
        if (!(d & 1)) {
            uint64_t t = alloc(uint64_t(8) << stride());
            wr(ea, table_desc(t));
            table = t;
        } else if (d & 2) {
            table = decode_table(d);
        } else {
            std::ostringstream os;
            os << "block/invalid-type descriptor at level " << l << " for ia 0x" << std::hex << ia;
            err_ = os.str();
            return ~uint64_t(0);
        }
    }
    return entry_addr(table, level, ia);
}

bool PtBuilder::map(uint64_t ia, uint64_t oa, unsigned level, uint64_t attrs)
{
    unsigned sh = level_shift(level);
    uint64_t mask = (uint64_t(1) << sh) - 1;
    if ((ia & mask) || (oa & mask)) {
        err_ = "ia/oa not aligned to the mapping size";
        return false;
    }
    if (ia_bits_ < 64 && (ia >> ia_bits_)) {
        err_ = "ia beyond ia_bits";
        return false;
    }
    uint64_t ea = table_addr(level, ia);
    if (ea == ~uint64_t(0))
        return false;
    uint64_t cur = rd(ea);
    if (cur & 1) {
        err_ = "entry already valid";
        return false;
    }
    uint64_t d = encode_addr(oa) | attrs | (level == 3 ? 3 : 1);
    wr(ea, d);
    last_desc_ = d;
    return true;
}

bool PtBuilder::set_table_bits(unsigned level, uint64_t ia, uint64_t bits)
{
    uint64_t ea = table_addr(level, ia);
    if (ea == ~uint64_t(0))
        return false;
    uint64_t d = rd(ea);
    if (level >= 3 || (d & 3) != 3) {
        err_ = "not a table descriptor";
        return false;
    }
    wr(ea, d | bits);
    return true;
}

int PtBuilder::probe(uint64_t ia) const
{
    uint64_t table = ttb_;
    for (unsigned l = start_; l <= 3; l++) {
        uint64_t d = rd(entry_addr(table, l, ia));
        if (!(d & 1))
            return int(l);
        if (l == 3 || !(d & 2))
            return -1;
        table = decode_table(d);
    }
    return -1;
}

bool PtBuilder::set_desc(unsigned level, uint64_t ia, uint64_t raw)
{
    uint64_t ea = table_addr(level, ia);
    if (ea == ~uint64_t(0))
        return false;
    wr(ea, raw);
    return true;
}

uint64_t PtBuilder::get_desc(unsigned level, uint64_t ia)
{
    uint64_t ea = table_addr(level, ia);
    return ea == ~uint64_t(0) ? 0 : rd(ea);
}

} // namespace smmutest

// SPDX-License-Identifier: Apache-2.0
// Unit tests of the VMSAv8-64 walker, smmu_walk() (walk.h), called directly.
// Arm ARM D8.2 (lookup, concatenation), D8.3 (descriptor formats), D8.4.2
// (hierarchical attributes), D8.15 (faults and their priority); SMMU 7.3.12
// (F_WALK_EABT FetchAddr).
#include <gtest/gtest.h>

#include <cstring>
#include <memory>
#include <vector>

#include "support/pt_builder.h"
#include "support/simmem.h"

extern "C" {
#include "smmu_internal.h"
#include "walk.h"
}

namespace smmutest {
namespace {

constexpr uint64_t kTab = 0x4000'0000; // table area for the bump allocator
constexpr uint64_t K4 = 12, K16 = 14, K64 = 16;

class Walk : public ::testing::Test {
  protected:
    SimMem mem;
    smmu_t *s = nullptr;

    // oas: SMMU_IDR5.OAS encoding (5 = 48 bits, 6 = 52 bits / FEAT_LPA).
    void make(unsigned oas)
    {
        if (s)
            smmu_destroy(s);
        smmu_config_t c;
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        c.oas = uint8_t(oas);
        char msg[256] = "";
        s = smmu_create(&c, mem.ops(), mem.ctx(), msg, sizeof msg);
        ASSERT_NE(s, nullptr) << msg;
    }
    void SetUp() override { make(5); }
    void TearDown() override { smmu_destroy(s); }

    smmu_walk_out_t walk(const smmu_walk_cfg_t &c, uint64_t ia)
    {
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        int r = walk_uncached(s, &c, nullptr, ia, &o);
        EXPECT_EQ(r, int(o.fault)) << "return value must equal out->fault";
        return o;
    }
    uint64_t tt_reads() const { return s->stats.tt_reads; }
};

// ---------------------------------------------------------------------------
// D8.3.1.2: Page descriptors at level 3, OA = OAB + IA[gran-1:0].
// ---------------------------------------------------------------------------
class WalkGran : public Walk, public ::testing::WithParamInterface<unsigned> {};

TEST_P(WalkGran, D8_3_PageDescriptorGivesPageBasePlusOffset)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    uint64_t ia = 0x0000'7654'3210'0000ull & ~((1ull << g) - 1);
    uint64_t oa = 0x0000'89AB'CDE0'0000ull & ~((1ull << g) - 1);
    ASSERT_TRUE(b.map_s1(ia, oa, 3)) << b.error();
    uint64_t off = 0x123 & ((1ull << g) - 1);
    auto o = walk(b.cfg(), ia + off);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + off);
    EXPECT_EQ(o.level, 3);
    EXPECT_EQ(o.size_shift, g);
    EXPECT_EQ(o.desc, b.last_desc());
}

TEST_P(WalkGran, D8_3_LastByteOfPageKeepsFullOffset)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    uint64_t ia = 5ull << g, oa = 0x9'0000'0000ull;
    ASSERT_TRUE(b.map_s1(ia, oa, 3)) << b.error();
    auto o = walk(b.cfg(), ia + (1ull << g) - 1);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + (1ull << g) - 1);
}

// D8.2: next page (not mapped) faults at level 3 with an invalid descriptor.
TEST_P(WalkGran, D8_15_NeighbourPageUnmappedFaultsAtLevel3)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(5ull << g, 0x9'0000'0000ull, 3)) << b.error();
    auto o = walk(b.cfg(), 6ull << g);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 3);
}

// D8.3 Table D8-53: stage 2 pages translate like stage 1 pages.
TEST_P(WalkGran, D8_3_Stage2PageDescriptor)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 2, g, 40, 48, kTab, g == K4 ? 1 : 2);
    // 4K: start level 1 (10 bits: 2 concatenated tables); 16K/64K: start level 2.
    uint64_t ia = 0x12'3450'0000ull & ~((1ull << g) - 1);
    uint64_t oa = 0x7'6540'0000ull & ~((1ull << g) - 1);
    ASSERT_TRUE(b.map_s2(ia, oa, 3)) << b.error();
    auto o = walk(b.cfg(), ia | 0x18);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa | 0x18);
    EXPECT_EQ(o.level, 3);
    EXPECT_EQ(o.desc, b.last_desc());
}

// R_KRMJZ: bit[1] == 0 at level 3 is reserved, treated as invalid.
TEST_P(WalkGran, R_KRMJZ_Level3WithBit1ClearIsTranslationFault)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    uint64_t ia = 3ull << g;
    ASSERT_TRUE(b.set_desc(3, ia, b.encode_addr(0x8000'0000) | S1Attrs().bits() | 1)) << b.error();
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 3);
}

// R_DYNYQ: bit[0] == 0 is invalid at every level; bits[63:1] are ignored.
TEST_P(WalkGran, R_DYNYQ_InvalidDescriptorAtEachLevel)
{
    unsigned g = GetParam();
    for (unsigned lvl = PtBuilder::s1_start_level(g, 48); lvl <= 3; lvl++) {
        SimMem m2;
        SCOPED_TRACE("level " + std::to_string(lvl));
        smmu_t *s2 = nullptr;
        smmu_config_t c;
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        s2 = smmu_create(&c, m2.ops(), m2.ctx(), nullptr, 0);
        ASSERT_NE(s2, nullptr);
        PtBuilder b(m2, 1, g, 48, 48, kTab);
        uint64_t ia = 0x0000'4321'0000'0000ull & ~((1ull << g) - 1);
        ASSERT_TRUE(b.map_s1(ia, 0x1000'0000, 3)) << b.error();
        // Replace the descriptor at lvl with all ones except bit[0].
        ASSERT_TRUE(b.set_desc(lvl, ia, ~1ull));
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        smmu_walk_cfg_t cf = b.cfg();
        EXPECT_EQ(walk_uncached(s2, &cf, nullptr, ia, &o), SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(o.level, lvl);
        EXPECT_EQ(s2->stats.tt_reads, lvl - b.start_level() + 1);
        smmu_destroy(s2);
    }
}

// size_shift of a page is the granule; the Contiguous bit does not change it
// (walk.h: "contiguous hint not applied").
TEST_P(WalkGran, SizeShiftOfPageIgnoresContiguousHint)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    S1Attrs a;
    a.contig = 1;
    ASSERT_TRUE(b.map_s1(0, 0x1'0000'0000ull, 3, a)) << b.error();
    auto o = walk(b.cfg(), 0x10);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.size_shift, g);
    EXPECT_EQ(o.oa, 0x1'0000'0010ull);
}

// D8.2: every granule allows level-2 blocks; OA = block base + IA offset.
TEST_P(WalkGran, D8_3_Level2BlockGivesBlockBasePlusOffset)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    unsigned sh = b.level_shift(2); // 21, 25, 29
    uint64_t ia = 7ull << sh, oa = 0x0000'1234'0000'0000ull & ~((1ull << sh) - 1);
    ASSERT_TRUE(b.map_s1(ia, oa, 2)) << b.error();
    uint64_t off = (1ull << sh) - 0x1001;
    auto o = walk(b.cfg(), ia + off);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + off);
    EXPECT_EQ(o.level, 2);
    EXPECT_EQ(o.size_shift, sh);
    EXPECT_EQ(o.desc, b.last_desc());
}

// D8.15.1.4 R_LFGXS: AF == 0 -> Access flag fault at the leaf level; AFFD
// (SMMU CD.AFFD / STE.S2AFFD) suppresses it.
TEST_P(WalkGran, R_LFGXS_AccessFlagZeroFaultsAtLeafLevel)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    S1Attrs a;
    a.af = 0;
    ASSERT_TRUE(b.map_s1(0x40ull << g, 0x8000'0000, 3, a)) << b.error();
    auto o = walk(b.cfg(), 0x40ull << g);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ACCESS);
    EXPECT_EQ(o.level, 3);
}

TEST_P(WalkGran, R_LFGXS_AccessFlagZeroOnBlockFaultsAtLevel2)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    S1Attrs a;
    a.af = 0;
    uint64_t ia = 1ull << b.level_shift(2);
    ASSERT_TRUE(b.map_s1(ia, 0, 2, a)) << b.error();
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ACCESS);
    EXPECT_EQ(o.level, 2);
}

TEST_P(WalkGran, AffdTreatsAccessFlagAsOne)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab);
    S1Attrs a;
    a.af = 0;
    ASSERT_TRUE(b.map_s1(0x40ull << g, 0x8000'0000, 3, a)) << b.error();
    smmu_walk_cfg_t c = b.cfg();
    c.affd = 1;
    auto o = walk(c, (0x40ull << g) + 4);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x8000'0004ull);
}

TEST_P(WalkGran, Stage2AccessFlagZeroFaults)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 2, g, 40, 48, kTab, g == K4 ? 1 : 2);
    S2Attrs a;
    a.af = 0;
    ASSERT_TRUE(b.map_s2(0, 0x8000'0000, 3, a)) << b.error();
    auto o = walk(b.cfg(), 0);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ACCESS);
    EXPECT_EQ(o.level, 3);
}

// D8.3 / SMMU ENDI: big-endian tables are read as big-endian descriptors.
TEST_P(WalkGran, BigEndianTablesTranslate)
{
    unsigned g = GetParam();
    PtBuilder b(mem, 1, g, 48, 48, kTab, -1, true);
    uint64_t ia = 0x0000'1111'2222'0000ull & ~((1ull << g) - 1);
    ASSERT_TRUE(b.map_s1(ia, 0x3'0000'0000ull, 3)) << b.error();
    // Builder check: the most significant byte comes first in memory.
    uint64_t ea = b.table_addr(3, ia);
    uint8_t first = 0xFF;
    mem.read(ea, &first, 1);
    EXPECT_EQ(first, uint8_t(b.last_desc() >> 56));
    auto o = walk(b.cfg(), ia + 0x44);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x3'0000'0044ull);
    EXPECT_EQ(o.desc, b.last_desc()) << "desc is the numeric value";
}

INSTANTIATE_TEST_SUITE_P(Granules, WalkGran, ::testing::Values(12u, 14u, 16u),
                         [](const ::testing::TestParamInfo<unsigned> &i) {
                             return i.param == 12 ? std::string("4K")
                                                  : i.param == 14 ? std::string("16K")
                                                                  : std::string("64K");
                         });

// ---------------------------------------------------------------------------
// Blocks: allowed and disallowed levels (D8.3 Table D8-48, R_KRMJZ,
// AArch64.BlockDescSupported()).
// ---------------------------------------------------------------------------
TEST_F(Walk, D8_3_Block4KLevel1)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    uint64_t ia = 0x0000'0012'4000'0000ull, oa = 0x0000'00AB'C000'0000ull; // 1GB aligned
    ASSERT_TRUE(b.map_s1(ia, oa, 1)) << b.error();
    auto o = walk(b.cfg(), ia + 0x3FED'CBA9);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x3FED'CBA9);
    EXPECT_EQ(o.level, 1);
    EXPECT_EQ(o.size_shift, 30);
}

TEST_F(Walk, D8_3_Block4KLevel2)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    uint64_t ia = 0x0000'0012'4060'0000ull, oa = 0x0000'0055'5540'0000ull; // 2MB aligned
    ASSERT_TRUE(b.map_s1(ia, oa, 2)) << b.error();
    auto o = walk(b.cfg(), ia + 0x1F'FFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x1F'FFFF);
    EXPECT_EQ(o.size_shift, 21);
}

TEST_F(Walk, R_KRMJZ_Block4KLevel0WithoutDsIsTranslationFault)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_EQ(b.start_level(), 0u);
    ASSERT_TRUE(b.map_s1(0x0000'0080'0000'0000ull, 0, 0)) << b.error(); // 512GB block
    auto o = walk(b.cfg(), 0x0000'0080'0000'1000ull);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0);
}

TEST_F(Walk, R_KRMJZ_Block16KLevel1WithoutDsIsTranslationFault)
{
    PtBuilder b(mem, 1, K16, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x10'0000'0000ull, 0x10'0000'0000ull, 1)) << b.error(); // 64GB
    auto o = walk(b.cfg(), 0x10'0000'0000ull);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 1);
}

TEST_F(Walk, R_KRMJZ_Block16KLevel0IsTranslationFault)
{
    PtBuilder b(mem, 1, K16, 48, 48, kTab);
    ASSERT_EQ(b.start_level(), 0u);
    ASSERT_TRUE(b.map_s1(0x8000'0000'0000ull, 0, 0)) << b.error(); // 128TB
    auto o = walk(b.cfg(), 0x8000'0000'0000ull);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0);
}

TEST_F(Walk, R_KRMJZ_Block64KLevel1Without52BitPaIsTranslationFault)
{
    // SMMU_IDR5.OAS = 48: no FEAT_LPA, so no 4TB blocks.
    PtBuilder b(mem, 1, K64, 48, 48, kTab);
    ASSERT_EQ(b.start_level(), 1u);
    ASSERT_TRUE(b.map_s1(0x400'0000'0000ull, 0x400'0000'0000ull, 1)) << b.error();
    auto o = walk(b.cfg(), 0x400'0000'0000ull);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 1);
}

TEST_F(Walk, D8_3_Block64KLevel1With52BitPa)
{
    make(6); // OAS 52 (SMMUv3.1-LPA = FEAT_LPA)
    PtBuilder b(mem, 1, K64, 52, 52, kTab);
    uint64_t ia = 0x000F'C000'0000'0000ull, oa = 0x000A'BC00'0000'0000ull; // 4TB aligned
    ASSERT_TRUE(b.map_s1(ia, oa, 1)) << b.error();
    auto o = walk(b.cfg(), ia + 0x3FF'1234'5678ull);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x3FF'1234'5678ull);
    EXPECT_EQ(o.level, 1);
    EXPECT_EQ(o.size_shift, 42);
}

// AArch64.BlockDescSupported(): a 64K level-1 block depends on PAMax() (the
// SMMU's OAS), not on the effective IPS of this context.
TEST_F(Walk, D8_3_Block64KLevel1AllowedByOas52EvenWithIps48)
{
    make(6);
    PtBuilder b(mem, 1, K64, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x400'0000'0000ull, 0x800'0000'0000ull, 1)) << b.error();
    auto o = walk(b.cfg(), 0x400'0000'0010ull);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x800'0000'0010ull);
    EXPECT_EQ(o.level, 1);
}

TEST_F(Walk, D8_3_Block16KLevel2)
{
    PtBuilder b(mem, 1, K16, 48, 48, kTab);
    uint64_t ia = 0x0000'1234'0600'0000ull, oa = 0x0000'0001'FE00'0000ull; // 32MB
    ASSERT_TRUE(b.map_s1(ia, oa, 2)) << b.error();
    auto o = walk(b.cfg(), ia + 0x1AB'CDEF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x1AB'CDEF);
    EXPECT_EQ(o.size_shift, 25);
}

TEST_F(Walk, D8_3_Block64KLevel2)
{
    PtBuilder b(mem, 1, K64, 42, 48, kTab);
    ASSERT_EQ(b.start_level(), 2u);
    uint64_t ia = 0x3FF'E000'0000ull, oa = 0xFFFF'E000'0000ull; // 512MB, last one
    ASSERT_TRUE(b.map_s1(ia, oa, 2)) << b.error();
    auto o = walk(b.cfg(), ia + 0x1FFF'FFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x1FFF'FFFF);
    EXPECT_EQ(o.size_shift, 29);
    EXPECT_EQ(o.level, 2);
}

// ---------------------------------------------------------------------------
// Address size faults (D8.15.1.2 R_CVSBH, R_BFHQH; pseudocode
// AArch64.S1Walk: fault.level is the level of the descriptor that held the
// out-of-range address).
// ---------------------------------------------------------------------------
TEST_F(Walk, R_CVSBH_NextTableAddressAboveOasAtEachLevel)
{
    for (unsigned lvl = 0; lvl <= 2; lvl++) {
        SCOPED_TRACE("table descriptor at level " + std::to_string(lvl));
        SimMem m2;
        smmu_config_t c;
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        smmu_t *s2 = smmu_create(&c, m2.ops(), m2.ctx(), nullptr, 0);
        ASSERT_NE(s2, nullptr);
        PtBuilder b(m2, 1, K4, 48, 40, kTab);
        uint64_t ia = 0x0000'0123'4567'8000ull;
        ASSERT_TRUE(b.set_desc(lvl, ia, b.table_desc(1ull << 40))) << b.error();
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        smmu_walk_cfg_t cf = b.cfg();
        EXPECT_EQ(walk_uncached(s2, &cf, nullptr, ia, &o), SMMU_EVT_F_ADDR_SIZE);
        EXPECT_EQ(o.level, lvl);
        EXPECT_EQ(s2->stats.tt_reads, lvl + 1) << "the out-of-range table is not read";
        smmu_destroy(s2);
    }
}

TEST_F(Walk, R_CVSBH_NextTableAddressJustBelowOasIsFine)
{
    PtBuilder b(mem, 1, K4, 48, 40, kTab);
    uint64_t ia = 0x0000'0123'4567'8000ull;
    ASSERT_TRUE(b.map_s1(ia, 0x1000, 3));
    // Move the level-3 table to the top page below 2^40.
    uint64_t l3 = (1ull << 40) - 0x1000;
    mem.write64(l3 + ((ia >> 12) & 511) * 8, b.last_desc());
    ASSERT_TRUE(b.set_desc(2, ia, b.table_desc(l3)));
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x1000u);
}

TEST_F(Walk, R_CVSBH_PageOutputAddressAboveOas)
{
    PtBuilder b(mem, 1, K4, 48, 40, kTab);
    ASSERT_TRUE(b.map_s1(0x5000, 1ull << 40, 3)) << b.error();
    auto o = walk(b.cfg(), 0x5000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 3);
}

TEST_F(Walk, R_CVSBH_BlockOutputAddressAboveOas)
{
    PtBuilder b(mem, 1, K4, 48, 36, kTab);
    ASSERT_TRUE(b.map_s1(0x4000'0000, 0x10'0000'0000ull, 1)) << b.error();
    auto o = walk(b.cfg(), 0x4000'0000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 1);
}

TEST_F(Walk, R_CVSBH_OutputAddressLastPageBelowOasIsFine)
{
    PtBuilder b(mem, 1, K4, 48, 40, kTab);
    uint64_t oa = (1ull << 40) - 0x1000;
    ASSERT_TRUE(b.map_s1(0x5000, oa, 3)) << b.error();
    auto o = walk(b.cfg(), 0x5FFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0xFFF);
}

TEST_F(Walk, R_CVSBH_Stage2OutputAddressAboveS2ps)
{
    PtBuilder b(mem, 2, K4, 40, 32, kTab, 1);
    ASSERT_TRUE(b.map_s2(0x20'0000, 0x1'0000'0000ull, 2)) << b.error();
    auto o = walk(b.cfg(), 0x20'0000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 2);
}

// 64K granule, FEAT_LPA (OAS 52) but IPS 48: OA[51:48] from bits[15:12] is
// part of the address, so a nonzero value is above the 48-bit output size.
TEST_F(Walk, R_CVSBH_64KLpaOutputBits51To48AboveIps48)
{
    make(6);
    PtBuilder b(mem, 1, K64, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x10000, 1ull << 48, 3)) << b.error();
    EXPECT_EQ(b.last_desc() & 0xF000, 0x1000u) << "builder puts OA[48] in bit 12";
    auto o = walk(b.cfg(), 0x10000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 3);
}

TEST_F(Walk, R_CVSBH_64KLpaTableBits51To48AboveIps48)
{
    make(6);
    PtBuilder b(mem, 1, K64, 48, 48, kTab);
    ASSERT_TRUE(b.set_desc(2, 0x10000, b.table_desc(1ull << 50))) << b.error();
    auto o = walk(b.cfg(), 0x10000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 2);
}

// ---------------------------------------------------------------------------
// 64K granule with 52-bit output addresses (D8.3.1: OA[51:48] in bits[15:12]).
// ---------------------------------------------------------------------------
TEST_F(Walk, D8_3_64K52BitOutputAddressPage)
{
    make(6);
    PtBuilder b(mem, 1, K64, 52, 52, kTab);
    uint64_t ia = 0x000F'FFFF'FFFF'0000ull, oa = 0x000F'EDCB'A987'0000ull;
    ASSERT_TRUE(b.map_s1(ia, oa, 3)) << b.error();
    EXPECT_EQ((b.last_desc() >> 12) & 0xF, 0xFu);
    auto o = walk(b.cfg(), ia + 0xFFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0xFFFF);
}

TEST_F(Walk, D8_3_64K52BitNextLevelTableAddress)
{
    make(6);
    // Every table above 2^48: NLTA[51:48] comes from bits[15:12].
    PtBuilder b(mem, 1, K64, 52, 52, 0x000A'0000'0000'0000ull);
    uint64_t ia = 0x0008'0000'0123'0000ull, oa = 0x0005'0000'0000'0000ull;
    ASSERT_TRUE(b.map_s1(ia, oa, 3)) << b.error();
    mem.log_enabled = true;
    auto o = walk(b.cfg(), ia + 8);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 8);
    ASSERT_EQ(mem.log.size(), 3u);
    for (auto &a : mem.log)
        EXPECT_EQ(a.pa >> 48, 0xAu) << std::hex << a.pa;
}

TEST_F(Walk, D8_3_64K52BitStage2)
{
    make(6);
    PtBuilder b(mem, 2, K64, 52, 52, kTab, 1);
    uint64_t ia = 0x000C'0000'0000'0000ull, oa = 0x0008'0000'0000'0000ull;
    ASSERT_TRUE(b.map_s2(ia, oa, 2)) << b.error();
    auto o = walk(b.cfg(), ia + 0x1234'5678);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, oa + 0x1234'5678);
}

// ---------------------------------------------------------------------------
// Input address range (D8.1.9, R_VZZSZ): a level 0 Translation fault, no
// walk.
// ---------------------------------------------------------------------------
TEST_F(Walk, R_VZZSZ_InputAboveIaBitsIsLevel0TranslationFault)
{
    PtBuilder b(mem, 1, K4, 39, 48, kTab); // start level 1
    ASSERT_EQ(b.start_level(), 1u);
    ASSERT_TRUE(b.map_s1(0, 0, 2)) << b.error();
    mem.log_enabled = true;
    auto o = walk(b.cfg(), 1ull << 39);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0) << "D8.1.9: 'a level 0 Translation fault'";
    EXPECT_TRUE(mem.log.empty());
    EXPECT_EQ(tt_reads(), 0u);
}

TEST_F(Walk, R_VZZSZ_InputTopBitSetIsTranslationFault)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0, 0, 2)) << b.error();
    auto o = walk(b.cfg(), 1ull << 63);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0);
    EXPECT_EQ(tt_reads(), 0u);
}

TEST_F(Walk, R_VZZSZ_Stage2IpaAboveS2T0szIsLevel0TranslationFault)
{
    PtBuilder b(mem, 2, K16, 36, 48, kTab, 2); // 16K, start level 2, 2 tables
    ASSERT_TRUE(b.map_s2(0, 0, 2)) << b.error();
    auto o = walk(b.cfg(), 1ull << 36);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0);
    EXPECT_EQ(tt_reads(), 0u);
}

TEST_F(Walk, R_VZZSZ_LastByteBelowIaBitsTranslates)
{
    PtBuilder b(mem, 1, K4, 39, 48, kTab);
    uint64_t ia = (1ull << 39) - 0x1000;
    ASSERT_TRUE(b.map_s1(ia, 0x7000, 3)) << b.error();
    auto o = walk(b.cfg(), ia + 0xFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x7FFFu);
}

// EPDx (D8.2 I_ZFSYQ, R_VZZSZ): level 0 Translation fault, no walk.
TEST_F(Walk, I_ZFSYQ_DisabledRegionFaultsWithoutMemoryRead)
{
    PtBuilder b(mem, 1, K4, 39, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x1000, 0x2000, 3)) << b.error();
    smmu_walk_cfg_t c = b.cfg();
    c.disabled = 1;
    mem.log_enabled = true;
    auto o = walk(c, 0x1000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0) << "I_ZFSYQ: 'a level 0 Translation fault is generated'";
    EXPECT_TRUE(mem.log.empty());
    EXPECT_EQ(tt_reads(), 0u);
    EXPECT_EQ(s->stats.mem_reads, 0u);
}

// ---------------------------------------------------------------------------
// Fault priority (D8.15.2 list): translation/address-size faults on a
// descriptor come before the Access flag fault.
// ---------------------------------------------------------------------------
TEST_F(Walk, D8_15_AddressSizeWinsOverAccessFlag)
{
    PtBuilder b(mem, 1, K4, 48, 40, kTab);
    S1Attrs a;
    a.af = 0;
    ASSERT_TRUE(b.map_s1(0x3000, 1ull << 44, 3, a)) << b.error();
    auto o = walk(b.cfg(), 0x3000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ADDR_SIZE);
    EXPECT_EQ(o.level, 3);
}

TEST_F(Walk, D8_15_IllegalBlockWinsOverAccessFlag)
{
    PtBuilder b(mem, 1, K16, 48, 48, kTab);
    S1Attrs a;
    a.af = 0;
    ASSERT_TRUE(b.map_s1(0x10'0000'0000ull, 0, 1, a)) << b.error();
    auto o = walk(b.cfg(), 0x10'0000'0000ull);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 1);
}

TEST_F(Walk, D8_15_ReservedLevel3WinsOverAccessFlag)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.set_desc(3, 0x9000, b.encode_addr(0x8000) | 1)); // AF = 0, bit[1] = 0
    auto o = walk(b.cfg(), 0x9000);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 3);
}

TEST_F(Walk, D8_15_InputRangeWinsOverEverything)
{
    PtBuilder b(mem, 1, K4, 39, 48, kTab);
    smmu_walk_cfg_t c = b.cfg();
    mem.add_abort(b.ttb(), 0x1000);
    auto o = walk(c, 1ull << 40);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
}

// ---------------------------------------------------------------------------
// External abort on a descriptor fetch (D8.15.1.3; SMMU 7.3.12 F_WALK_EABT:
// FetchAddr is the descriptor PA).
// ---------------------------------------------------------------------------
TEST_F(Walk, F_WALK_EABT_AtEachLevelReportsExactDescriptorPa)
{
    for (unsigned lvl = 0; lvl <= 3; lvl++) {
        SCOPED_TRACE("abort at level " + std::to_string(lvl));
        SimMem m2;
        smmu_config_t c;
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        smmu_t *s2 = smmu_create(&c, m2.ops(), m2.ctx(), nullptr, 0);
        ASSERT_NE(s2, nullptr);
        PtBuilder b(m2, 1, K4, 48, 48, kTab);
        uint64_t ia = 0x0000'ABCD'1234'5000ull;
        ASSERT_TRUE(b.map_s1(ia, 0x1000, 3)) << b.error();
        uint64_t ea = b.table_addr(lvl, ia);
        m2.add_abort(ea, 8);
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        smmu_walk_cfg_t cf = b.cfg();
        EXPECT_EQ(walk_uncached(s2, &cf, nullptr, ia, &o), SMMU_EVT_F_WALK_EABT);
        EXPECT_EQ(o.fetch_addr, ea);
        EXPECT_EQ(o.level, lvl);
        smmu_destroy(s2);
    }
}

TEST_F(Walk, F_WALK_EABT_FetchAddrIsHandComputedIndex)
{
    // 4K, 48 bits, ttb at kTab: level-0 entry IA[47:39] = 0x157.
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_EQ(b.ttb(), kTab);
    uint64_t ia = 0x0000'ABCD'1234'5000ull;
    mem.add_abort(kTab, 0x1000);
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, SMMU_EVT_F_WALK_EABT);
    EXPECT_EQ(o.fetch_addr, kTab + ((ia >> 39) & 0x1FF) * 8);
    EXPECT_EQ(o.fetch_addr, kTab + 0x157 * 8);
    EXPECT_EQ(o.level, 0);
}

TEST_F(Walk, F_WALK_EABT_AbortElsewhereInTableDoesNotMatter)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    uint64_t ia = 0x0000'ABCD'1234'5000ull;
    ASSERT_TRUE(b.map_s1(ia, 0x1000, 3)) << b.error();
    uint64_t ea = b.table_addr(3, ia);
    mem.add_abort(ea + 8, 8);
    mem.add_abort(ea - 8, 8);
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x1000u);
}

// ---------------------------------------------------------------------------
// Byte order (SMMU CD.ENDI / STE.S2ENDI).
// ---------------------------------------------------------------------------
TEST_F(Walk, BigEndianTablesReadAsLittleEndianAreInvalid)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab, -1, true);
    ASSERT_TRUE(b.map_s1(0, 0x1000, 3)) << b.error();
    smmu_walk_cfg_t c = b.cfg();
    c.big_endian = 0;
    // The level-0 table descriptor 0x....4000xx03 read little-endian has
    // bit[0] taken from its most significant byte (0x00): invalid.
    auto o = walk(c, 0);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 0);
}

TEST_F(Walk, BigEndianStage2Block)
{
    PtBuilder b(mem, 2, K4, 40, 48, kTab, 1, true);
    ASSERT_TRUE(b.map_s2(0x80'4000'0000ull, 0x1'4000'0000ull, 1)) << b.error();
    auto o = walk(b.cfg(), 0x80'4000'0123ull);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x1'4000'0123ull);
}

// ---------------------------------------------------------------------------
// Stage 2 concatenated start tables (D8.2 "Concatenated translation
// tables"): the start-level index spans ia_bits - level_shift bits and so
// selects the table.
// ---------------------------------------------------------------------------
TEST_F(Walk, D8_2_Concat4KIa40StartLevel1SelectsSecondTable)
{
    PtBuilder b(mem, 2, K4, 40, 48, kTab, 1);
    ASSERT_EQ(b.start_tables(), 2u);
    ASSERT_EQ(b.ttb(), kTab);
    uint64_t ipa = 0xC1'2345'6000ull; // >= 2^39; IPA[39:30] = 0x304
    ASSERT_TRUE(b.map_s2(ipa, 0x2'0000'0000ull, 3)) << b.error();
    EXPECT_EQ(b.table_addr(1, ipa), kTab + 0x1000 + 0x104 * 8) << "builder";
    mem.log_enabled = true;
    auto o = walk(b.cfg(), ipa + 0xABC);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x2'0000'0ABCull);
    ASSERT_GE(mem.log.size(), 1u);
    EXPECT_EQ(mem.log[0].pa, kTab + 0x304 * 8);
    EXPECT_EQ(mem.log[0].kind, SMMU_ACC_TT);
    EXPECT_EQ(mem.log[0].len, 8u);
}

TEST_F(Walk, D8_2_Concat4KIa40StartLevel1FirstTableStillWorks)
{
    PtBuilder b(mem, 2, K4, 40, 48, kTab, 1);
    ASSERT_TRUE(b.map_s2(0x41'2345'6000ull, 0x3000, 3)) << b.error();
    ASSERT_TRUE(b.map_s2(0xC1'2345'6000ull, 0x4000, 3)) << b.error();
    EXPECT_EQ(walk(b.cfg(), 0x41'2345'6000ull).oa, 0x3000u);
    EXPECT_EQ(walk(b.cfg(), 0xC1'2345'6000ull).oa, 0x4000u);
}

TEST_F(Walk, D8_2_Concat4KIa43StartLevel1SixteenTables)
{
    PtBuilder b(mem, 2, K4, 43, 48, kTab, 1);
    ASSERT_EQ(b.start_tables(), 16u);
    uint64_t ipa = (1ull << 43) - 0x4000'0000ull; // last 1GB: index 0x1FFF
    ASSERT_TRUE(b.map_s2(ipa, 0x40'0000'0000ull, 1)) << b.error();
    mem.add_abort(kTab + 15 * 0x1000 + 511 * 8, 8);
    auto o = walk(b.cfg(), ipa);
    EXPECT_EQ(o.fault, SMMU_EVT_F_WALK_EABT);
    EXPECT_EQ(o.fetch_addr, kTab + 0x1FFF * 8);
    mem.clear_aborts();
    o = walk(b.cfg(), ipa + 0x3FFF'FFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x40'3FFF'FFFFull);
}

TEST_F(Walk, D8_2_Concat16KIa40StartLevel2SixteenTables)
{
    // 16K, level 2 resolves IA[39:25]: 15 bits = 16 tables of 2048 entries.
    PtBuilder b(mem, 2, K16, 40, 48, kTab, 2);
    ASSERT_EQ(b.start_tables(), 16u);
    uint64_t ipa = 0xE0'0200'0000ull; // index 0x7001
    ASSERT_TRUE(b.map_s2(ipa, 0x1'0000'0000ull, 2)) << b.error();
    mem.log_enabled = true;
    auto o = walk(b.cfg(), ipa + 0x10);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x1'0000'0010ull);
    ASSERT_EQ(mem.log.size(), 1u);
    EXPECT_EQ(mem.log[0].pa, kTab + 0x7001 * 8);
}

TEST_F(Walk, D8_2_Concat64KIa46StartLevel2SixteenTables)
{
    // 64K, level 2 resolves IA[45:29]: 17 bits = 16 tables of 8192 entries.
    PtBuilder b(mem, 2, K64, 46, 48, kTab, 2);
    ASSERT_EQ(b.start_tables(), 16u);
    uint64_t ipa = 0x3FFF'FFFF'0000ull;
    ASSERT_TRUE(b.map_s2(ipa, 0xFFFF'FFFF'0000ull, 3)) << b.error();
    mem.log_enabled = true;
    auto o = walk(b.cfg(), ipa + 0xFFFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0xFFFF'FFFF'FFFFull);
    ASSERT_EQ(mem.log.size(), 2u);
    EXPECT_EQ(mem.log[0].pa, kTab + 0x1FFFF * 8);
}

// ---------------------------------------------------------------------------
// Hierarchical attributes (D8.4.2, Table D8-50): APTable, UXNTable, PXNTable
// are ORed along the walk; HADx (had = 1) makes them ignored.
// ---------------------------------------------------------------------------
class WalkHier : public Walk {
  protected:
    uint64_t ia = 0x0000'1234'5678'9000ull;
    void build(PtBuilder &b)
    {
        ASSERT_TRUE(b.map_s1(ia, 0x5000, 3)) << b.error();
        TableAttrs t0, t1, t2;
        t0.ap_table = 1;  // level 0: no unprivileged access
        t1.ap_table = 2;  // level 1: no write
        t1.pxn_table = 1; // level 1
        t2.uxn_table = 1; // level 2
        ASSERT_TRUE(b.set_table_attrs(0, ia, t0));
        ASSERT_TRUE(b.set_table_attrs(1, ia, t1));
        ASSERT_TRUE(b.set_table_attrs(2, ia, t2));
    }
};

TEST_F(WalkHier, D8_4_TableAttributesAccumulate)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    build(b);
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x5000u);
    EXPECT_EQ(o.ap_table, 3);
    EXPECT_EQ(o.uxn_table, 1);
    EXPECT_EQ(o.pxn_table, 1);
}

TEST_F(WalkHier, D8_4_TableAttributesClearWhenNotSet)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(ia, 0x5000, 3)) << b.error();
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.ap_table, 0);
    EXPECT_EQ(o.uxn_table, 0);
    EXPECT_EQ(o.pxn_table, 0);
}

TEST_F(WalkHier, D8_4_SingleLevelApTable)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(ia, 0x5000, 3)) << b.error();
    TableAttrs t;
    t.ap_table = 2;
    ASSERT_TRUE(b.set_table_attrs(2, ia, t));
    auto o = walk(b.cfg(), ia);
    EXPECT_EQ(o.ap_table, 2);
    EXPECT_EQ(o.uxn_table, 0);
    EXPECT_EQ(o.pxn_table, 0);
}

TEST_F(WalkHier, HadDisablesHierarchicalAttributes)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    build(b);
    smmu_walk_cfg_t c = b.cfg();
    c.had = 1;
    auto o = walk(c, ia);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x5000u);
    EXPECT_EQ(o.ap_table, 0);
    EXPECT_EQ(o.uxn_table, 0);
    EXPECT_EQ(o.pxn_table, 0);
}

TEST_F(WalkHier, TableAttributesOnOtherPathDoNotLeak)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    build(b);
    uint64_t other = 0x0000'0034'5678'9000ull; // different level-0 entry
    ASSERT_TRUE(b.map_s1(other, 0x6000, 3)) << b.error();
    auto o = walk(b.cfg(), other);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x6000u);
    EXPECT_EQ(o.ap_table, 0);
    EXPECT_EQ(o.uxn_table, 0);
    EXPECT_EQ(o.pxn_table, 0);
}

// ---------------------------------------------------------------------------
// Statistics and memory traffic: exactly the descriptors on the path.
// ---------------------------------------------------------------------------
TEST_F(Walk, TtReadsCountPageWalk4K48)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x1000, 0x2000, 3)) << b.error();
    auto o = walk(b.cfg(), 0x1000);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(tt_reads(), 4u);
}

TEST_F(Walk, TtReadsCountBlockWalk)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x20'0000, 0x40'0000, 2)) << b.error();
    walk(b.cfg(), 0x20'0000);
    EXPECT_EQ(tt_reads(), 3u);
}

TEST_F(Walk, TtReadsCountStopsAtInvalidDescriptor)
{
    PtBuilder b(mem, 1, K4, 48, 48, kTab);
    ASSERT_TRUE(b.map_s1(0x1000, 0x2000, 3)) << b.error();
    auto o = walk(b.cfg(), 0x40'0000'0000ull); // level-1 entry 1 is invalid
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.level, 1);
    EXPECT_EQ(tt_reads(), 2u);
}

TEST_F(Walk, DescriptorReadsAreExactlyThePathInOrder)
{
    // 16K, 47-bit IA: start level 1 (IA[46:36]), then 2 (IA[35:25]), 3 (IA[24:14]).
    PtBuilder b(mem, 1, K16, 47, 48, kTab);
    ASSERT_EQ(b.start_level(), 1u);
    uint64_t ia = 0x5555'5555'4000ull;
    ASSERT_TRUE(b.map_s1(ia, 0x8000'0000, 3)) << b.error();
    uint64_t l2 = b.get_desc(1, ia) & 0xFFFF'FFFF'C000ull;
    uint64_t l3 = b.get_desc(2, ia) & 0xFFFF'FFFF'C000ull;
    mem.log_enabled = true;
    auto o = walk(b.cfg(), ia + 0x3FFF);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x8000'3FFFull);
    ASSERT_EQ(mem.log.size(), 3u);
    EXPECT_EQ(mem.log[0].pa, kTab + ((ia >> 36) & 0x7FF) * 8);
    EXPECT_EQ(mem.log[1].pa, l2 + ((ia >> 25) & 0x7FF) * 8);
    EXPECT_EQ(mem.log[2].pa, l3 + ((ia >> 14) & 0x7FF) * 8);
    for (auto &a : mem.log) {
        EXPECT_FALSE(a.write);
        EXPECT_EQ(a.kind, SMMU_ACC_TT);
        EXPECT_EQ(a.len, 8u);
    }
    EXPECT_EQ(tt_reads(), 3u);
}

// Stage 2 start level 0 with a 2-entry table (4K, 40-bit IPA): the index is
// IPA[39].
TEST_F(Walk, D8_2_Stage2StartLevel0TwoEntries)
{
    PtBuilder b(mem, 2, K4, 40, 48, kTab, 0);
    ASSERT_TRUE(b.map_s2(0x80'0000'1000ull, 0x9000, 3)) << b.error();
    mem.log_enabled = true;
    auto o = walk(b.cfg(), 0x80'0000'1000ull);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x9000u);
    ASSERT_EQ(mem.log.size(), 4u);
    EXPECT_EQ(mem.log[0].pa, kTab + 8);
}

// D8.2 Table D8-25: with 4K and TnSZ = 39 (25-bit IA, start level 2, 16
// entries) the TTB is aligned to the 128-byte table, BaseAddr[47:7]; the
// walker must use the TTB's low bits, not round it to the granule.
TEST_F(Walk, D8_2_SmallStartTableAtSubGranuleTtb)
{
    PtBuilder b(mem, 1, K4, 25, 48, kTab);
    ASSERT_EQ(b.start_level(), 2u);
    ASSERT_EQ(b.start_tables(), 1u);
    uint64_t ia = 0x1AB'C000;
    ASSERT_TRUE(b.map_s1(ia, 0x7'7000'0000ull, 3)) << b.error();
    // Copy the 16-entry start table to a 128-byte aligned, non-4K-aligned PA.
    uint64_t ttb = 0x5000'0080;
    for (unsigned i = 0; i < 16; i++)
        mem.write64(ttb + 8 * i, mem.read64(b.ttb() + 8 * i));
    mem.write64(b.ttb() + ((ia >> 21) & 15) * 8, 0); // the original is now invalid
    smmu_walk_cfg_t c = b.cfg();
    c.ttb = ttb;
    mem.log_enabled = true;
    auto o = walk(c, ia + 0x10);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x7'7000'0010ull);
    ASSERT_EQ(mem.log.size(), 2u);
    EXPECT_EQ(mem.log[0].pa, ttb + 0xD * 8);
}

// size_shift of a block is its level's size; Contiguous does not change it.
TEST_F(Walk, SizeShiftOfBlockIgnoresContiguousHint)
{
    PtBuilder b(mem, 2, K16, 36, 48, kTab, 2);
    S2Attrs a;
    a.contig = 1;
    ASSERT_TRUE(b.map_s2(0x6'0000'0000ull, 0x2'0000'0000ull, 2, a)) << b.error();
    auto o = walk(b.cfg(), 0x6'01FF'FFFFull);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, 0x2'01FF'FFFFull);
    EXPECT_EQ(o.size_shift, 25);
    EXPECT_EQ(o.level, 2);
}

// ---------------------------------------------------------------------------
// Nested walks (SMMU 3.3, walk.h): stage-1 table addresses are IPAs, each
// translated by stage 2 before the descriptor is read; a stage-2 fault on
// that fetch is reported with fault_s2 = 1 and fault_ipa = the IPA of the
// stage-1 descriptor (7.3.13 "CLASS == TT, IPA is the stage 1 translation
// table descriptor address").
// ---------------------------------------------------------------------------
class WalkNested : public Walk {
  protected:
    static constexpr uint64_t kS1Ipa = 0x8000'0000;        // S1 tables (IPA)
    static constexpr uint64_t kDelta = 0x10'0000'0000ull;  // their PA - IPA
    static constexpr uint64_t kVa = 0x0000'1234'5678'9000ull;
    static constexpr uint64_t kOutIpa = 0x9999'0000;
    std::unique_ptr<PtBuilder> s1, s2;
    S2Attrs s2a;
    void build()
    {
        s2 = std::make_unique<PtBuilder>(mem, 2, K4, 40, 48, kTab, 1);
        s1 = std::make_unique<PtBuilder>(mem, 1, K4, 48, 40, kS1Ipa, -1, false, kDelta);
        ASSERT_TRUE(s1->map_s1(kVa, kOutIpa, 3)) << s1->error();
        // 2MB stage-2 block covering every stage-1 table.
        ASSERT_LE(s1->alloc_next(), kS1Ipa + 0x20'0000);
        ASSERT_TRUE(s2->map_s2(kS1Ipa, kS1Ipa + kDelta, 2, s2a)) << s2->error();
    }
    smmu_walk_out_t nwalk(uint64_t va)
    {
        smmu_walk_cfg_t c1 = s1->cfg(), c2 = s2->cfg();
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        int r = walk_uncached(s, &c1, &c2, va, &o);
        EXPECT_EQ(r, int(o.fault));
        return o;
    }
};

TEST_F(WalkNested, Smmu3_3_Stage1TableAddressesAreTranslatedByStage2)
{
    build();
    mem.log_enabled = true;
    auto o = nwalk(kVa + 0x123);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.fault_s2, 0);
    EXPECT_EQ(o.oa, kOutIpa + 0x123) << "stage-1 output stays an IPA";
    EXPECT_EQ(o.level, 3);
    std::vector<uint64_t> s1_reads, exp;
    for (auto &a : mem.log)
        if (a.pa >= kDelta)
            s1_reads.push_back(a.pa);
    for (unsigned l = 0; l <= 3; l++)
        exp.push_back(s1->table_addr(l, kVa) + kDelta);
    EXPECT_EQ(s1_reads, exp);
    // 4 stage-1 descriptors, each preceded by a 2-read stage-2 walk.
    EXPECT_EQ(mem.log.size(), 12u);
    EXPECT_EQ(tt_reads(), 12u);
}

TEST_F(WalkNested, Smmu7_3_13_Stage2TranslationFaultOnTableFetch)
{
    build();
    // The stage-1 level-1 table descriptor points at IPA 4GB: not mapped by
    // stage 2 (its level-1 entry 4 is invalid).
    uint64_t l2ipa = 0x1'0000'0000ull;
    ASSERT_TRUE(s1->set_desc(1, kVa, s1->table_desc(l2ipa)));
    auto o = nwalk(kVa);
    EXPECT_EQ(o.fault, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(o.fault_s2, 1);
    EXPECT_EQ(o.fault_ipa, l2ipa + ((kVa >> 21) & 511) * 8);
    EXPECT_EQ(o.level, 1) << "stage-2 lookup level";
}

TEST_F(WalkNested, Smmu7_3_12_Stage2ExternalAbortOnTableFetch)
{
    build();
    uint64_t s2desc = s2->table_addr(2, kS1Ipa);
    mem.add_abort(s2desc, 8);
    auto o = nwalk(kVa);
    EXPECT_EQ(o.fault, SMMU_EVT_F_WALK_EABT);
    EXPECT_EQ(o.fault_s2, 1);
    EXPECT_EQ(o.fetch_addr, s2desc);
    EXPECT_EQ(o.fault_ipa, s1->table_addr(0, kVa)) << "first stage-1 descriptor IPA";
}

TEST_F(WalkNested, Smmu7_3_12_Stage1ExternalAbortAfterStage2)
{
    build();
    uint64_t ipa3 = s1->table_addr(3, kVa);
    mem.add_abort(ipa3 + kDelta, 8);
    auto o = nwalk(kVa);
    EXPECT_EQ(o.fault, SMMU_EVT_F_WALK_EABT);
    EXPECT_EQ(o.fault_s2, 0);
    EXPECT_EQ(o.fetch_addr, ipa3 + kDelta) << "FetchAddr is the stage-1 descriptor PA";
    EXPECT_EQ(o.level, 3);
}

TEST_F(WalkNested, Smmu3_3_Stage2AccessFlagOnTableFetch)
{
    s2a.af = 0;
    build();
    auto o = nwalk(kVa);
    EXPECT_EQ(o.fault, SMMU_EVT_F_ACCESS);
    EXPECT_EQ(o.fault_s2, 1);
    EXPECT_EQ(o.fault_ipa, s1->table_addr(0, kVa));
}

TEST_F(WalkNested, Smmu7_3_16_Stage2NoReadPermissionOnTableFetch)
{
    s2a.s2ap = 2; // write-only: the table read is not permitted
    build();
    auto o = nwalk(kVa);
    EXPECT_NE(o.fault, 0);
    EXPECT_EQ(o.s2_perm_fault, 1);
    EXPECT_EQ(o.fault_s2, 1);
    EXPECT_EQ(o.fault_ipa, s1->table_addr(0, kVa));
}

// walk.h smmu_walk_ctx_t: a walk without flags (a debug dump, a probe)
// reads descriptors and nothing else: no statistic, no walk-cache or TLB
// lookup or fill, no memory write -- not even the Access flag update that
// HA asks for (3.13.2, Arm ARM D8.5.1). The latency the embedder reports
// for each read is summed in ctx.cost.
TEST_F(WalkNested, WalkCtx_FlaglessWalkChangesNoStatisticCacheOrMemory)
{
    build();
    ASSERT_TRUE(s1->set_desc(3, kVa, s1->last_desc() & ~SMMU_BIT(10))); // AF = 0
    smmu_walk_cfg_t c1 = s1->cfg(), c2 = s2->cfg();
    c1.ha = 1;
    smmu_walk_ctx_t ctx{};
    ctx.cfg = &c1;
    ctx.s2 = &c2;
    ctx.key.addr = kVa;
    ctx.key.kind = SMMU_TLB_NESTED;
    mem.latency = 7;
    mem.log_enabled = true;

    const smmu_stats_t st0 = s->stats;
    const smmu_tlb_t tlb0 = s->tlb, wc0 = s->wc;
    const size_t tlb_n = size_t(s->tlb.sets) * s->tlb.ways, wc_n = size_t(s->wc.sets) * s->wc.ways;
    ASSERT_GT(tlb_n, 0u);
    ASSERT_GT(wc_n, 0u);
    const std::vector<smmu_tlb_entry_t> tlb_e0(s->tlb.e, s->tlb.e + tlb_n),
        wc_e0(s->wc.e, s->wc.e + wc_n);
    auto caches_unchanged = [&] {
        return std::memcmp(&s->tlb, &tlb0, sizeof tlb0) == 0 &&
               std::memcmp(&s->wc, &wc0, sizeof wc0) == 0 &&
               std::memcmp(s->tlb.e, tlb_e0.data(), tlb_n * sizeof(smmu_tlb_entry_t)) == 0 &&
               std::memcmp(s->wc.e, wc_e0.data(), wc_n * sizeof(smmu_tlb_entry_t)) == 0;
    };

    smmu_walk_out_t o;
    std::memset(&o, 0, sizeof o);
    ASSERT_EQ(smmu_walk(s, &ctx, kVa + 0x123, &o), 0);
    EXPECT_EQ(o.oa, kOutIpa + 0x123);
    EXPECT_EQ(o.desc & SMMU_BIT(10), 0u) << "the leaf as found: AF still 0";
    EXPECT_EQ(o.af_updated, 0);
    EXPECT_EQ(mem.read64(o.desc_pa) & SMMU_BIT(10), 0u) << "no AF write";
    EXPECT_EQ(std::memcmp(&s->stats, &st0, sizeof st0), 0) << "no statistic moved";
    EXPECT_TRUE(caches_unchanged()) << "no cache lookup state or fill";
    // 4 stage-1 descriptors, each after a 2-read stage-2 walk; none written.
    ASSERT_EQ(mem.log.size(), 12u);
    for (const auto &a : mem.log)
        EXPECT_FALSE(a.write) << std::hex << a.pa;
    EXPECT_EQ(ctx.cost, 12u * 7u) << "ops.read latency summed";

    // The same walk as a transaction makes it: statistics, caches and the
    // AF write all happen (so the checks above can fail).
    smmu_walk_ctx_t full = ctx;
    full.flags = SMMU_WALK_TRANSLATE;
    full.cost = 0;
    ASSERT_EQ(smmu_walk(s, &full, kVa + 0x123, &o), 0);
    EXPECT_EQ(o.af_updated, 1);
    EXPECT_NE(mem.read64(o.desc_pa) & SMMU_BIT(10), 0u);
    EXPECT_EQ(s->stats.walks_s1, st0.walks_s1 + 1);
    EXPECT_EQ(s->stats.httu_updates, st0.httu_updates + 1);
    EXPECT_FALSE(caches_unchanged());

    // A flagless walk does not use what is now cached: it reads all 12
    // descriptors again and still changes nothing.
    const smmu_stats_t st1 = s->stats;
    mem.log.clear();
    ctx.cost = 0;
    ASSERT_EQ(smmu_walk(s, &ctx, kVa + 0x123, &o), 0);
    EXPECT_EQ(mem.log.size(), 12u);
    EXPECT_EQ(std::memcmp(&s->stats, &st1, sizeof st1), 0);
    EXPECT_EQ(ctx.cost, 12u * 7u);
}

} // namespace
} // namespace smmutest

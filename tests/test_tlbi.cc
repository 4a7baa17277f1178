// SPDX-License-Identifier: Apache-2.0
// TLB invalidation commands (IHI 0070 G.b 4.4, 3.17) seen the way a driver
// bug shows: a translation is cached, the tables change in memory, the old
// translation keeps being used until exactly the right CMD_TLBI_* +
// CMD_SYNC; entries outside the command's scope keep being used
// (docs/invalidation.md: the model removes the minimum scope). Every test
// runs with caches on (stale until invalidated) and off (new at once).
#include "support/cache_fixture.h"

using namespace smmutest;

namespace {

constexpr uint64_t kVa = 0x4020'3000;

class Tlbi : public CacheTest {
  protected:
    void SetUp() override
    {
        CacheTest::SetUp();
        boot();
    }
};

INSTANTIATE_TEST_SUITE_P(Caches, Tlbi, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

// ---- CMD_TLBI_NH_ALL (4.4.2.1) -----------------------------------------

TEST_P(Tlbi, NhAllRemovesEntriesOfVmid_4_4_2_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    map1(pt, kVa + k4K, kPa1 + k4K, /*ng=*/false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(1, kVa + k4K), kPa1 + k4K);
    remap1(pt, kVa, kPa2);
    remap1(pt, kVa + k4K, kPa2 + k4K, false);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    EXPECT_EQ(pa(1, kVa + k4K), stale(kPa1 + k4K, kPa2 + k4K));
    run({nh_all(3)});
    EXPECT_EQ(pa(1, kVa), kPa2);              // non-global
    EXPECT_EQ(pa(1, kVa + k4K), kPa2 + k4K); // global entries included
}

TEST_P(Tlbi, NhAllKeepsOtherVmid_4_4_2_1)
{
    PtBuilder *pt = s1_stream(1, 5, 4);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_all(3)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_all(4)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhAllKeepsStage2OnlyEntries_4_4_2_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap2(s2, kVa, kPa2);
    run({nh_all(3)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2)); // stage 2 is not NH scope
}

TEST_P(Tlbi, NhAllRemovesCombinedNestedEntries_4_4_2_1)
{
    Nested n = nested_stream(1, 5, 3);
    map1(n.s1, kVa, kNestIpa);
    map2(n.s2, kNestIpa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap2(n.s2, kNestIpa, kPa2);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_all(3)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhAllKeepsEl2Entries_4_4_2_1)
{
    PtBuilder *pt = s1_stream(1, 0, 0, /*strw=*/2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nh_all(0)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2)); // NS-EL2 is not NS-EL1
}

// ---- CMD_TLBI_NH_ASID (4.4.2.2) ----------------------------------------

TEST_P(Tlbi, NhAsidRemovesNonGlobalEntriesOfAsid_4_4_2_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_asid(3, 5)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhAsidKeepsGlobalEntries_4_4_2_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1, /*ng=*/false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nh_asid(3, 5)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2)); // "non-global entries by ASID"
    run({nh_va(3, 5, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhAsidKeepsOtherAsid_4_4_2_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_asid(3, 6)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

TEST_P(Tlbi, NhAsidKeepsOtherVmid_4_4_2_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_asid(4, 5)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- CMD_TLBI_NH_VA (4.4.2.4) ------------------------------------------

TEST_P(Tlbi, NhVaRemovesThePage_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa + 0x10), kPa1 + 0x10);
    remap1(pt, kVa, kPa2);
    EXPECT_EQ(pa(1, kVa + 0x10), stale(kPa1, kPa2) + 0x10);
    run({nh_va(3, 5, kVa)});
    EXPECT_EQ(pa(1, kVa + 0x10), kPa2 + 0x10);
}

TEST_P(Tlbi, NhVaLeafRemovesThePage_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_va(3, 5, kVa, /*leaf=*/true)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhVaRemovesGlobalEntryWhateverAsid_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1, /*ng=*/false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nh_va(3, 77, kVa)}); // another ASID: global entries match anyway
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhVaKeepsNonGlobalEntryOfOtherAsid_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_va(3, 6, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

TEST_P(Tlbi, NhVaKeepsOtherPage_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    map1(pt, kVa + k4K, kPa1 + k4K);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(1, kVa + k4K), kPa1 + k4K);
    remap1(pt, kVa, kPa2);
    remap1(pt, kVa + k4K, kPa2 + k4K);
    run({nh_va(3, 5, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
    EXPECT_EQ(pa(1, kVa + k4K), stale(kPa1, kPa2) + k4K);
}

TEST_P(Tlbi, NhVaKeepsOtherVmid_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nh_va(4, 5, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// Arm ARM / 4.4: "the least significant bits of the address are ignored as
// needed, given the size of the entry": an address anywhere in a 2MB block
// removes the block.
TEST_P(Tlbi, NhVaAnywhereInsideBlockRemovesIt_4_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(pt, blk, kPa1, true, 2);
    EXPECT_EQ(pa(1, blk + 0x1234), kPa1 + 0x1234);
    remap1(pt, blk, kPa2, true, 2);
    EXPECT_EQ(pa(1, blk + 0x1F'F000), stale(kPa1, kPa2) + 0x1F'F000);
    run({nh_va(3, 5, blk + 0x1A'7000)});
    EXPECT_EQ(pa(1, blk + 0x1234), kPa2 + 0x1234);
}

TEST_P(Tlbi, NhVaOutsideBlockKeepsIt_4_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(pt, blk, kPa1, true, 2);
    EXPECT_EQ(pa(1, blk), kPa1);
    remap1(pt, blk, kPa2, true, 2);
    run({nh_va(3, 5, blk + k2M), nh_va(3, 5, blk - k4K)});
    EXPECT_EQ(pa(1, blk), stale(kPa1, kPa2));
}

TEST_P(Tlbi, NhVaRemovesCombinedEntryByVa_4_4_2_4)
{
    Nested n = nested_stream(1, 5, 3);
    map1(n.s1, kVa, kNestIpa);
    map2(n.s2, kNestIpa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(n.s1, kVa, kNestIpa + k4K);
    map2(n.s2, kNestIpa + k4K, kPa2);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_va(3, 5, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhVaKeepsStage2OnlyEntryAtSameAddress_4_4_2_4)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap2(s2, kVa, kPa2);
    run({nh_va(3, 0, kVa), nh_vaa(3, kVa)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
}

// ---- CMD_TLBI_NH_VAA (4.4.2.3) -----------------------------------------

TEST_P(Tlbi, NhVaaRemovesEveryAsid_4_4_2_3)
{
    PtBuilder *a = s1_stream(1, 5, 3);
    PtBuilder *b = s1_stream(2, 6, 3);
    map1(a, kVa, kPa1);
    map1(b, kVa, kPa1 + k4K);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1 + k4K);
    remap1(a, kVa, kPa2);
    remap1(b, kVa, kPa2 + k4K);
    run({nh_vaa(3, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
    EXPECT_EQ(pa(2, kVa), kPa2 + k4K);
}

TEST_P(Tlbi, NhVaaRemovesGlobal_4_4_2_3)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nh_vaa(3, kVa, true)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, NhVaaKeepsOtherVmidAndOtherPage_4_4_2_3)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_vaa(4, kVa), nh_vaa(3, kVa + k4K)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- CMD_TLBI_S12_VMALL (4.4.3.2) --------------------------------------

TEST_P(Tlbi, S12VmallRemovesEveryStageOfVmid_4_4_3_2)
{
    PtBuilder *s1 = s1_stream(1, 5, 3);
    Nested n = nested_stream(3, 6, 3);
    PtBuilder *s2 = s2_stream(2, 3, 12, n.s2); // one VMID, one stage 2
    map1(s1, kVa, kPa1);
    map2(s2, kVa, kPa1);
    map1(n.s1, kVa, kNestIpa);
    map2(n.s2, kNestIpa, kPa1);
    for (uint32_t sid : {1u, 2u, 3u})
        EXPECT_EQ(pa(sid, kVa), kPa1) << sid;
    remap1(s1, kVa, kPa2);
    remap2(s2, kVa, kPa2);
    remap2(n.s2, kNestIpa, kPa2);
    for (uint32_t sid : {1u, 2u, 3u})
        EXPECT_EQ(pa(sid, kVa), stale(kPa1, kPa2)) << sid;
    run({s12_vmall(3)});
    for (uint32_t sid : {1u, 2u, 3u})
        EXPECT_EQ(pa(sid, kVa), kPa2) << sid;
}

TEST_P(Tlbi, S12VmallKeepsOtherVmid_4_4_3_2)
{
    PtBuilder *s1 = s1_stream(1, 5, 4);
    PtBuilder *s2 = s2_stream(2, 4);
    map1(s1, kVa, kPa1);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap1(s1, kVa, kPa2);
    remap2(s2, kVa, kPa2);
    run({s12_vmall(3)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
}

// ---- CMD_TLBI_S2_IPA (4.4.3.1) -----------------------------------------

TEST_P(Tlbi, S2IpaRemovesStage2Entry_4_4_3_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa + 8), kPa1 + 8);
    remap2(s2, kVa, kPa2);
    EXPECT_EQ(pa(2, kVa + 8), stale(kPa1, kPa2) + 8);
    run({s2_ipa(3, kVa)});
    EXPECT_EQ(pa(2, kVa + 8), kPa2 + 8);
}

TEST_P(Tlbi, S2IpaAnywhereInsideBlockRemovesIt_4_4_3_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    const uint64_t blk = 0x4020'0000;
    map2(s2, blk, kPa1, 2);
    EXPECT_EQ(pa(2, blk + 0x10), kPa1 + 0x10);
    remap2(s2, blk, kPa2, 2);
    run({s2_ipa(3, blk + 0x1F'F000, true)});
    EXPECT_EQ(pa(2, blk + 0x10), kPa2 + 0x10);
}

TEST_P(Tlbi, S2IpaKeepsOtherVmidAndOtherIpa_4_4_3_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap2(s2, kVa, kPa2);
    run({s2_ipa(4, kVa), s2_ipa(3, kVa + k4K)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
}

// 4.4.3.1: "not required to invalidate structures containing combined stage
// 1 and stage 2 information"; drivers pair it with CMD_TLBI_NH_ALL.
TEST_P(Tlbi, S2IpaKeepsCombinedEntryUntilNhAll_4_4_3_1)
{
    Nested n = nested_stream(1, 5, 3);
    map1(n.s1, kVa, kNestIpa);
    map2(n.s2, kNestIpa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap2(n.s2, kNestIpa, kPa2);
    run({s2_ipa(3, kNestIpa), s2_ipa(3, kVa)}); // by IPA, and by the VA tag
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_all(3)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, S2IpaKeepsStage1Entries_4_4_3_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({s2_ipa(3, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- CMD_TLBI_NSNH_ALL (4.4.4.1) ---------------------------------------

TEST_P(Tlbi, NsnhAllRemovesEveryNsEl1Entry_4_4_4_1)
{
    PtBuilder *s1 = s1_stream(1, 5, 3);
    PtBuilder *s2 = s2_stream(2, 4);
    Nested n = nested_stream(3, 6, 5);
    map1(s1, kVa, kPa1, false);
    map2(s2, kVa, kPa1);
    map1(n.s1, kVa, kNestIpa);
    map2(n.s2, kNestIpa, kPa1);
    for (uint32_t sid : {1u, 2u, 3u})
        EXPECT_EQ(pa(sid, kVa), kPa1) << sid;
    remap1(s1, kVa, kPa2, false);
    remap2(s2, kVa, kPa2);
    remap2(n.s2, kNestIpa, kPa2);
    run({nsnh_all()});
    for (uint32_t sid : {1u, 2u, 3u})
        EXPECT_EQ(pa(sid, kVa), kPa2) << sid;
}

TEST_P(Tlbi, NsnhAllKeepsEl2Entries_4_4_4_1)
{
    PtBuilder *pt = s1_stream(1, 0, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({nsnh_all()});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_all()});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

// ---- CMD_TLBI_EL2_* (4.4.2.7-4.4.2.10), SMMU_CR2.E2H = 0 ---------------

TEST_P(Tlbi, El2AllRemovesEl2EntriesKeepsEl1_4_4_2_7)
{
    PtBuilder *el2 = s1_stream(1, 0, 0, 2);
    PtBuilder *el1 = s1_stream(2, 5, 3);
    map1(el2, kVa, kPa1, false);
    map1(el1, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap1(el2, kVa, kPa2, false);
    remap1(el1, kVa, kPa2, false);
    run({el2_all()});
    EXPECT_EQ(pa(1, kVa), kPa2);
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
}

TEST_P(Tlbi, El2VaWithoutE2hRemovesByVaIgnoringAsid_4_4_2_8)
{
    PtBuilder *pt = s1_stream(1, 0, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({el2_va(0x1234, kVa + k4K)}); // other page
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_va(0x1234, kVa)}); // "the ASID parameter is ignored"
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, El2VaaWithoutE2hRemovesByVa_4_4_2_9)
{
    PtBuilder *pt = s1_stream(1, 0, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({el2_vaa(kVa, true)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi, El2VaKeepsEl1EntryAtSameVa_4_4_2_8)
{
    PtBuilder *pt = s1_stream(2, 5, 3);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({el2_va(5, kVa), el2_vaa(kVa), el2_asid(5)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
}

// EL2_ASID acts on NS-EL2-E2H entries only; EL2 (non-ASID-tagged) entries
// are not required to go.
TEST_P(Tlbi, El2AsidKeepsEl2NonE2hEntries_4_4_2_10)
{
    PtBuilder *pt = s1_stream(1, 0, 0, 2);
    map1(pt, kVa, kPa1, true);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, true);
    run({el2_asid(0)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- EL2-E2H world (SMMU_CR2.E2H = 1) ----------------------------------

class TlbiE2h : public CacheTest {
  protected:
    void SetUp() override
    {
        CacheTest::SetUp();
        wr(SMMU_CR2, SMMU_CR2_E2H); // SMMUEN == 0: writable (6.3.12)
        boot();
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, TlbiE2h, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

TEST_P(TlbiE2h, El2AllRemovesE2hEntries_4_4_2_7)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_all()});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiE2h, El2VaMatchesAsid_4_4_2_8)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({el2_va(8, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_va(9, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiE2h, El2VaRemovesGlobalWhateverAsid_4_4_2_8)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({el2_va(8, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiE2h, El2VaaAnyAsid_4_4_2_9)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({el2_vaa(kVa + k4K)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_vaa(kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiE2h, El2AsidRemovesNonGlobalOfAsid_4_4_2_10)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({el2_asid(8)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_asid(9)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiE2h, El2AsidKeepsGlobal_4_4_2_10)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2, false);
    run({el2_asid(9)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

TEST_P(TlbiE2h, NhCommandsKeepE2hEntries_4_4_2)
{
    PtBuilder *pt = s1_stream(1, 9, 0, 2);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_all(0), nh_asid(0, 9), nh_va(0, 9, kVa), nh_vaa(0, kVa), nsnh_all()});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// E2H = 1: EL2_VA/VAA act on NS-EL2-E2H entries; NS-EL2 entries (inserted
// while E2H was 0) are not required to go.
TEST_P(Tlbi, El2VaWithE2hKeepsEntriesInsertedWithoutE2h_4_4_2_8)
{
    PtBuilder *pt = s1_stream(1, 0, 0, 2);
    map1(pt, kVa, kPa1, false);
    EXPECT_EQ(pa(1, kVa), kPa1); // NS-EL2 entry
    remap1(pt, kVa, kPa2, false);
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN); // SMMUEN = 0
    wr(SMMU_CR2, SMMU_CR2_E2H);
    enable_smmu();
    run({el2_va(0, kVa), el2_vaa(kVa)});
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_CR2, 0);
    enable_smmu();
    run({cmd_cfgi_all()}); // the STE's StreamWorld follows E2H
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({el2_vaa(kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

// ---- Range invalidation (4.4.1.1), IDR3.RIL = 1 -------------------------

// Four consecutive 4KB pages at kVa..kVa+3*4K, cached, then remapped.
class TlbiRange : public Tlbi {
  protected:
    PtBuilder *pt = nullptr;
    static constexpr unsigned kPages = 40;
    void SetUp() override
    {
        Tlbi::SetUp();
        pt = s1_stream(1, 5, 3);
        for (unsigned i = 0; i < kPages; i++)
            map1(pt, kBase + i * k4K, kPa1 + i * k4K);
        for (unsigned i = 0; i < kPages; i++)
            ASSERT_EQ(pa(1, kBase + i * k4K), kPa1 + i * k4K);
        for (unsigned i = 0; i < kPages; i++)
            remap1(pt, kBase + i * k4K, kPa2 + i * k4K);
    }
    static constexpr uint64_t kBase = 0x4000'0000;
    // True when page i now translates to its new address.
    bool fresh(unsigned i) { return pa(1, kBase + i * k4K) == kPa2 + i * k4K; }
    // Pages [first, last] fresh, all others stale (caches on).
    void expect_removed(unsigned first, unsigned last)
    {
        for (unsigned i = 0; i < kPages; i++) {
            bool in = i >= first && i <= last;
            EXPECT_EQ(fresh(i), in || !caches()) << "page " << i;
        }
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, TlbiRange, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

TEST_P(TlbiRange, NumOneScaleZeroIsTwoGranules_4_4_1_1)
{
    run({nh_va(3, 5, kBase + 3 * k4K, false, {1, 0, 1, 0})});
    expect_removed(3, 4);
}

TEST_P(TlbiRange, NumZeroScaleOneIsTwoGranules_4_4_1_1)
{
    run({nh_vaa(3, kBase + 10 * k4K, true, {1, 0, 0, 1})});
    expect_removed(10, 11);
}

TEST_P(TlbiRange, NumMaxScaleZeroIs32Granules_4_4_1_1)
{
    run({nh_va(3, 5, kBase + 2 * k4K, false, {1, 0, 31, 0})});
    expect_removed(2, 33);
}

TEST_P(TlbiRange, NumThreeScaleThreeIs32Granules_4_4_1_1)
{
    // (3 + 1) x 2^3 = 32 granules from page 8
    run({nh_va(3, 5, kBase + 8 * k4K, false, {1, 0, 3, 3})});
    expect_removed(8, 39);
}

TEST_P(TlbiRange, SingleGranuleWithTtl3_4_4_1_1)
{
    run({nh_va(3, 5, kBase + 7 * k4K, false, {1, 3, 0, 0})});
    expect_removed(7, 7);
}

TEST_P(TlbiRange, TtlOfOtherLevelKeepsPages_4_4_1_1)
{
    // TTL = 0b10: only leaf entries of level 2 (blocks); these are level 3.
    run({nh_va(3, 5, kBase, false, {1, 2, 31, 0})});
    expect_removed(1, 0); // nothing
}

TEST_P(TlbiRange, TgMismatchKeepsPages_4_4_1_1)
{
    // The entries were inserted with a 4KB granule; TG = 64KB / 16KB.
    run({nh_va(3, 5, kBase, false, {3, 0, 1, 0}), nh_va(3, 5, kBase, false, {2, 0, 1, 0})});
    expect_removed(1, 0);
}

TEST_P(TlbiRange, ScaleHighBitsSpanWholeRegion_4_4_1_1)
{
    // 1 x 2^20 granules of 4KB = 4GB from 0: covers every page.
    run({nh_vaa(3, 0, false, {1, 0, 0, 20})});
    expect_removed(0, kPages - 1);
}

TEST_P(TlbiRange, RangeEndingBeforePageKeepsIt_4_4_1_1)
{
    // [kBase - 2 x 4K, kBase): ends just below page 0.
    run({nh_vaa(3, kBase - 2 * k4K, false, {1, 0, 1, 0})});
    expect_removed(1, 0);
}

TEST_P(TlbiRange, S2IpaRange_4_4_1_1)
{
    PtBuilder *s2 = s2_stream(2, 7);
    for (unsigned i = 0; i < 4; i++)
        map2(s2, kBase + i * k4K, kPa1 + i * k4K);
    for (unsigned i = 0; i < 4; i++)
        EXPECT_EQ(pa(2, kBase + i * k4K), kPa1 + i * k4K);
    for (unsigned i = 0; i < 4; i++)
        remap2(s2, kBase + i * k4K, kPa2 + i * k4K);
    run({s2_ipa(7, kBase + k4K, true, {1, 3, 1, 0})});
    EXPECT_EQ(pa(2, kBase), stale(kPa1, kPa2));
    EXPECT_EQ(pa(2, kBase + k4K), kPa2 + k4K);
    EXPECT_EQ(pa(2, kBase + 2 * k4K), kPa2 + 2 * k4K);
    EXPECT_EQ(pa(2, kBase + 3 * k4K), stale(kPa1, kPa2) + 3 * k4K);
}

TEST_P(Tlbi, RangeTtlSelectsBlockLevel_4_4_1_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(pt, blk, kPa1, true, 2);
    EXPECT_EQ(pa(1, blk), kPa1);
    remap1(pt, blk, kPa2, true, 2);
    run({nh_va(3, 5, blk, false, {1, 3, 0, 0})}); // TTL 3: pages only
    EXPECT_EQ(pa(1, blk), stale(kPa1, kPa2));
    run({nh_va(3, 5, blk + 0x10'0000, false, {1, 2, 0, 0})}); // TTL 2, inside
    EXPECT_EQ(pa(1, blk), kPa2);
}

TEST_P(Tlbi, RangeOverlappingBlockStartRemovesIt_4_4_1_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(pt, blk, kPa1, true, 2);
    EXPECT_EQ(pa(1, blk), kPa1);
    remap1(pt, blk, kPa2, true, 2);
    // Two 4KB granules from blk - 4K: the second is inside the block.
    run({nh_va(3, 5, blk - k4K, false, {1, 0, 1, 0})});
    EXPECT_EQ(pa(1, blk + 0x5000), kPa2 + 0x5000);
}

TEST_P(Tlbi, RangeWith64KGranuleEntries_4_4_1_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3, 0, 16);
    const uint64_t va = 0x4003'0000;
    map1(pt, va, kPa1);
    map1(pt, va + 0x1'0000, kPa1 + 0x1'0000);
    EXPECT_EQ(pa(1, va + 0x10), kPa1 + 0x10);
    EXPECT_EQ(pa(1, va + 0x1'0010), kPa1 + 0x1'0010);
    remap1(pt, va, kPa2);
    remap1(pt, va + 0x1'0000, kPa2 + 0x1'0000);
    run({nh_va(3, 5, va, false, {1, 3, 1, 0})}); // 4KB granule: no match
    EXPECT_EQ(pa(1, va), stale(kPa1, kPa2));
    run({nh_va(3, 5, va, false, {3, 3, 0, 0})}); // one 64KB granule
    EXPECT_EQ(pa(1, va), kPa2);
    EXPECT_EQ(pa(1, va + 0x1'0000), stale(kPa1, kPa2) + 0x1'0000);
}

// 16KB granule, TTL = 0b01 without IDR5.DS is Reserved and treated as
// 0b00: with a range it still invalidates leaf entries at any level.
TEST_P(Tlbi, Range16KTtl1TreatedAsAnyLevel_4_4_1_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3, 0, 14);
    const uint64_t va = 0x4000'8000;
    map1(pt, va, kPa1);
    EXPECT_EQ(pa(1, va), kPa1);
    remap1(pt, va, kPa2);
    run({nh_va(3, 5, va, false, {2, 1, 1, 0})});
    EXPECT_EQ(pa(1, va), kPa2);
}

TEST_P(Tlbi, RangeAtTopOfAddressSpaceDoesNotWrap_4_4_1_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, 0, kPa1);
    EXPECT_EQ(pa(1, 0), kPa1);
    remap1(pt, 0, kPa2);
    // 32 x 2^31 x 64KB from the last 64KB of the VA space would wrap to 0.
    run({nh_vaa(3, 0xFFFF'FFFF'FFFF'0000ull, false, {3, 0, 31, 31})});
    EXPECT_EQ(pa(1, 0), stale(kPa1, kPa2));
}

// ---- Statistics ---------------------------------------------------------

TEST_P(Tlbi, StatsCountEntriesRemoved)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    map1(pt, kVa + k4K, kPa1 + k4K);
    map1(pt, kVa + 2 * k4K, kPa1 + 2 * k4K);
    for (unsigned i = 0; i < 3; i++)
        EXPECT_EQ(pa(1, kVa + i * k4K), kPa1 + i * k4K);
    uint64_t before = stats().tlb_invalidated;
    run({nh_va(3, 5, kVa + k4K)});
    EXPECT_EQ(stats().tlb_invalidated - before, caches() ? 1u : 0u);
    run({nh_all(3)});
    EXPECT_EQ(stats().tlb_invalidated - before, caches() ? 3u : 0u);
    EXPECT_EQ(stats().cmd_by_opcode[SMMU_CMD_TLBI_NH_VA], 1u);
    EXPECT_EQ(stats().cmd_by_opcode[SMMU_CMD_TLBI_NH_ALL], 1u);
}

// A command queue error stops consumption: the TLBI after it is not
// executed, so the entry stays (7.1).
TEST_P(Tlbi, TlbiBehindIllegalCommandNotExecuted_7_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    submit({cmd_raw(0x0F), nh_all(3), cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- VMID wildcards (3.17.6, SMMU_CR0.VMW) ------------------------------

class TlbiVmw : public Tlbi {
  protected:
    void tweak(smmu_config_t &c) override { c.vmw = 1; }
};
INSTANTIATE_TEST_SUITE_P(Caches, TlbiVmw, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

TEST_P(TlbiVmw, VmwZeroMatchesExactly_3_17_6)
{
    PtBuilder *pt = s1_stream(1, 5, 0x21);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_all(0x20)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

TEST_P(TlbiVmw, VmwOneIgnoresVmidBit0_3_17_6)
{
    PtBuilder *pt = s1_stream(1, 5, 0x21);
    PtBuilder *other = s1_stream(2, 5, 0x22);
    map1(pt, kVa, kPa1);
    map1(other, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    remap1(other, kVa, kPa2);
    wr(SMMU_CR0, rd(SMMU_CR0) | 1u << 6); // VMW = 0b001
    run({nh_va(0x20, 5, kVa), s12_vmall(0x20)});
    EXPECT_EQ(pa(1, kVa), kPa2);
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2)); // VMID 0x22 is another group
}

TEST_P(TlbiVmw, VmwReservedBehavesAsZero_6_3_9)
{
    PtBuilder *pt = s1_stream(1, 5, 0x21);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    wr(SMMU_CR0, rd(SMMU_CR0) | 7u << 6); // VMW = 0b111: reserved
    run({nh_all(0x20)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- VMID/ASID width (4.4): upper 8 bits RES0 with 8-bit VMIDs/ASIDs ----

class Tlbi8Bit : public Tlbi {
  protected:
    void tweak(smmu_config_t &c) override
    {
        c.vmid16 = 0;
        c.asid16 = 0;
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, Tlbi8Bit, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

// "if the upper 8 bits are non-zero, the command is not required to affect
// TLB entries": consumed without error, and the model affects none.
TEST_P(Tlbi8Bit, UpperVmidBitsSetAffectNothing_4_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_all(0x103), s12_vmall(0x103)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_all(3)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Tlbi8Bit, UpperAsidBitsSetAffectNothing_4_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_asid(3, 0x105), nh_va(3, 0x105, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// ---- Stage-1-only SMMU: the NH_* VMID parameter is RES0 (4.4.2) ---------

class TlbiS1Only : public Tlbi {
  protected:
    void tweak(smmu_config_t &c) override
    {
        c.s2p = 0;
        c.vmid16 = 0;
        c.fwb = 0;
        c.xnx = 0;
        c.hyp = 0;
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, TlbiS1Only, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

// "A stage 1-only implementation is not required to check that the VMID
// parameter is zero": accepted, and the model ignores it.
TEST_P(TlbiS1Only, NhAllIgnoresVmid_4_4_2)
{
    PtBuilder *pt = s1_stream(1, 5);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_all(9)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiS1Only, NhVaRemovesThePage_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({nh_va(0, 4, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_va(0, 5, kVa)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

// ---- Leaf (4.4.2.4, 4.4.3.1): Leaf = 1 need not remove cached table
// descriptors (walk cache); Leaf = 0 must. The driver bug: a last-level
// table replaced under a live table descriptor, invalidated with Leaf = 1.

constexpr uint64_t kScratchTable = 0x0300'0000; // beyond every builder's area

class TlbiLeaf : public Tlbi {
  protected:
    // Point the level-2 table descriptor on va's path at a new level-3
    // table whose entry for va maps new_pa (page attributes as map1/map2).
    void replace_l3(PtBuilder *pt, uint64_t va, uint64_t new_pa, bool stage1)
    {
        uint64_t attrs = S2Attrs().bits();
        if (stage1) {
            S1Attrs a;
            a.ng = 1;
            a.ap = 1;
            attrs = a.bits();
        }
        mem.write64(kScratchTable + ((va >> 12) & 511) * 8, pt->encode_addr(new_pa) | attrs | 3);
        ASSERT_TRUE(pt->set_desc(2, va, pt->table_desc(kScratchTable))) << pt->error();
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, TlbiLeaf, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

TEST_P(TlbiLeaf, NhVaLeafKeepsTableEntryLeafZeroRemovesIt_4_4_2_4)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    replace_l3(pt, kVa, kPa2, true);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_va(3, 5, kVa, /*leaf=*/true)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2)); // old table still walked
    run({nh_va(3, 5, kVa, /*leaf=*/false)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiLeaf, NhAsidRemovesTableEntries_4_4_2_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    replace_l3(pt, kVa, kPa2, true);
    run({nh_asid(3, 5)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(TlbiLeaf, S2IpaLeafKeepsTableEntryLeafZeroRemovesIt_4_4_3_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    replace_l3(s2, kVa, kPa2, false);
    run({s2_ipa(3, kVa, true)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
    run({s2_ipa(3, kVa, false)});
    EXPECT_EQ(pa(2, kVa), kPa2);
}

// Stage-1 invalidations do not reach stage-2 table entries and vice versa.
TEST_P(TlbiLeaf, NhAllKeepsStage2TableEntries_4_4_2_1)
{
    PtBuilder *s2 = s2_stream(2, 3);
    map2(s2, kVa, kPa1);
    EXPECT_EQ(pa(2, kVa), kPa1);
    replace_l3(s2, kVa, kPa2, false);
    run({nh_all(3), s2_ipa(3, kVa, true)});
    EXPECT_EQ(pa(2, kVa), stale(kPa1, kPa2));
    run({s12_vmall(3)});
    EXPECT_EQ(pa(2, kVa), kPa2);
}

// ---- CERROR_ILL conditions of the TLBI commands (4.1.3, 4.1.5, 4.4) -----

class TlbiIll : public CmdTest {
  protected:
    void SetUp() override
    {
        CmdTest::SetUp();
        enable_queues();
    }
};

// Every address-based TLBI with an address, for checks that apply to all.
std::vector<Cmd> address_tlbis(Range r, uint64_t addr = 0x4000'0000)
{
    return {nh_va(1, 2, addr, false, r), nh_vaa(1, addr, false, r), el2_va(2, addr, false, r),
            el2_vaa(addr, false, r), s2_ipa(1, addr, false, r)};
}

TEST_F(TlbiIll, RangeTgWithNumScaleTtlZeroIsReserved_4_4_1_1)
{
    for (unsigned tg = 1; tg <= 3; tg++)
        for (const Cmd &c : address_tlbis({tg, 0, 0, 0}))
            expect_ill(c);
}

TEST_F(TlbiIll, Range16KTtl1WithoutDsIsReserved_4_4_1_1)
{
    // TTL 0b01 is treated as 0b00 for 16KB without IDR5.DS, so the single-
    // granule form becomes the reserved TG != 0, NUM = SCALE = TTL = 0.
    for (const Cmd &c : address_tlbis({2, 1, 0, 0}))
        expect_ill(c);
}

TEST_F(TlbiIll, RangeLegalEncodingsConsumed_4_4_1_1)
{
    for (Range r : {Range{1, 1, 0, 0}, Range{1, 3, 0, 0}, Range{2, 2, 0, 0}, Range{3, 3, 0, 0},
                    Range{3, 0, 0, 1}, Range{1, 0, 31, 31}, Range{2, 1, 1, 0}})
        for (const Cmd &c : address_tlbis(r))
            expect_ok(c);
}

TEST_F(TlbiIll, Tg0WithNumScaleOrTtlIsReservedField_4_4_1_1)
{
    for (Range r : {Range{0, 0, 1, 0}, Range{0, 0, 0, 1}, Range{0, 2, 0, 0}})
        for (const Cmd &c : address_tlbis(r))
            expect_ill(c);
}

TEST_F(TlbiIll, ScaleBit25WithoutDsIsReserved_4_4_1_1)
{
    Cmd c = nh_va(1, 2, 0x4000'0000, false, {1, 0, 0, 1});
    c[0] |= SMMU_BIT(25);
    expect_ill(c);
}

TEST_F(TlbiIll, Ttl128WithoutD128IsReserved_4_4_1_1)
{
    Cmd c = nh_va(1, 2, 0x4000'0000, false, {1, 3, 0, 0});
    c[1] |= SMMU_BIT(7); // TTL128, bit [71]
    expect_ill(c);
}

TEST_F(TlbiIll, ReservedBitsOfEachTlbi_4_1_5)
{
    expect_ill(tlbi(SMMU_CMD_TLBI_NH_ALL, 1, 2));              // no ASID field
    expect_ill({nh_all(1)[0], SMMU_BIT(12)});                  // no word 1
    expect_ill({nh_asid(1, 2)[0], 1});                         // no Leaf
    expect_ill({nh_va(1, 2, 0)[0] | SMMU_BIT(10), 0});         // no SSec
    expect_ill({nh_va(1, 2, 0)[0] | SMMU_BIT(8), 0});          // bits [11:8]
    expect_ill({nh_va(1, 2, 0)[0], SMMU_BIT(1)});              // w1 [7:1]
    expect_ill(tlbi(SMMU_CMD_TLBI_NH_VAA, 1, 2, 0));           // no ASID
    expect_ill(tlbi(SMMU_CMD_TLBI_EL2_ALL, 1, 0));             // no VMID
    expect_ill(tlbi(SMMU_CMD_TLBI_EL2_ALL, 0, 0, 0x1000));     // no address
    expect_ill(tlbi(SMMU_CMD_TLBI_EL2_ASID, 1, 2));            // no VMID
    expect_ill(tlbi(SMMU_CMD_TLBI_EL2_VA, 1, 2, 0x1000));      // no VMID
    expect_ill(tlbi(SMMU_CMD_TLBI_EL2_VAA, 0, 2, 0x1000));     // no ASID
    expect_ill(tlbi(SMMU_CMD_TLBI_S12_VMALL, 1, 2));           // no ASID
    expect_ill(tlbi(SMMU_CMD_TLBI_S2_IPA, 1, 2, 0x1000));      // no ASID
    expect_ill(tlbi(SMMU_CMD_TLBI_NSNH_ALL, 1, 0));            // nothing at all
}

// 4.1.6: IPA bits [55:52] are RES0 from SMMUv3.1.
TEST_F(TlbiIll, S2IpaAddressAboveBit51IsReserved_4_1_6)
{
    expect_ok(s2_ipa(1, SMMU_BIT(51)));
    expect_ill(s2_ipa(1, SMMU_BIT(52)));
    expect_ill(s2_ipa(1, SMMU_BIT(55)));
}

// VA parameters are Address[63:12]: every bit is defined.
TEST_F(TlbiIll, VaAddressAllBitsDefined_4_1_6)
{
    expect_ok(nh_va(1, 2, 0xFFFF'FFFF'FFFF'F000ull));
    expect_ok(el2_vaa(0xFFFF'FFFF'FFFF'F000ull));
}

TEST_F(TlbiIll, EveryTlbiConsumedOnFullSmmu_4_4)
{
    for (const Cmd &c : {nh_all(1), nh_asid(1, 2), nh_va(1, 2, 0x1000), nh_vaa(1, 0x1000),
                         el2_all(), el2_asid(2), el2_va(2, 0x1000), el2_vaa(0x1000),
                         s12_vmall(1), s2_ipa(1, 0x1000), nsnh_all()})
        expect_ok(c);
}

class TlbiIllS2Only : public TlbiIll {
  protected:
    void tweak(smmu_config_t &c) override
    {
        c.s1p = 0;
        c.had = 0;
        c.hyp = 0;
        c.asid16 = 0;
        c.cd2l = 0;
        c.ssidsize = 0;
    }
};

TEST_F(TlbiIllS2Only, Stage1TlbisWithoutStage1_4_4_2)
{
    for (const Cmd &c : {nh_all(1), nh_asid(1, 2), nh_va(1, 2, 0x1000), nh_vaa(1, 0x1000)})
        expect_ill(c);
}

TEST_F(TlbiIllS2Only, El2TlbisWithoutHyp_4_4_2_7)
{
    for (const Cmd &c : {el2_all(), el2_asid(2), el2_va(2, 0x1000), el2_vaa(0x1000)})
        expect_ill(c);
}

TEST_F(TlbiIllS2Only, Stage2AndCommonTlbisConsumed_4_4_3)
{
    for (const Cmd &c : {s12_vmall(1), s2_ipa(1, 0x1000), nsnh_all()})
        expect_ok(c);
}

class TlbiIllS1Only : public TlbiIll {
  protected:
    void tweak(smmu_config_t &c) override
    {
        c.s2p = 0;
        c.vmid16 = 0;
        c.fwb = 0;
        c.xnx = 0;
        c.hyp = 0;
    }
};

TEST_F(TlbiIllS1Only, Stage2TlbisWithoutStage2_4_4_3)
{
    expect_ill(s12_vmall(1));
    expect_ill(s2_ipa(1, 0x1000));
    expect_ill(s2_ipa(0, 0x1000, true, {1, 3, 0, 0}));
}

TEST_F(TlbiIllS1Only, El2TlbisWithoutHyp_4_4_2)
{
    for (const Cmd &c : {el2_all(), el2_asid(2), el2_va(2, 0x1000), el2_vaa(0x1000)})
        expect_ill(c);
}

TEST_F(TlbiIllS1Only, Stage1TlbisConsumed_4_4_2)
{
    for (const Cmd &c : {nh_all(0), nh_asid(0, 2), nh_va(0, 2, 0x1000), nh_vaa(0, 0x1000),
                         nsnh_all()})
        expect_ok(c);
}

// Without IDR3.RIL (SMMUv3.1), TG/TTL/NUM/SCALE are RES0: detected.
class TlbiIllNoRil : public TlbiIll {
  protected:
    void configure(smmu_config_t &c) override { smmu_config_default(&c, SMMU_ARCH_V3_1); }
};

TEST_F(TlbiIllNoRil, RangeFieldsAreReservedWithoutRil_4_4_1_1)
{
    ASSERT_EQ(cfg.ril, 0);
    for (Range r : {Range{1, 3, 0, 0}, Range{1, 0, 1, 0}, Range{3, 0, 0, 1}, Range{0, 0, 1, 0},
                    Range{0, 0, 0, 1}, Range{0, 2, 0, 0}})
        for (const Cmd &c : {nh_va(1, 2, 0x1000, false, r), nh_vaa(1, 0x1000, false, r),
                             s2_ipa(1, 0x1000, false, r)})
            expect_ill(c);
}

TEST_F(TlbiIllNoRil, PlainAddressTlbisConsumed_4_4)
{
    for (const Cmd &c : {nh_va(1, 2, 0x1000, true), nh_vaa(1, 0x1000), s2_ipa(1, 0x1000, true)})
        expect_ok(c);
}

// SMMUv3.0: IPA bits [55:48] are RES0.
class TlbiIllV30 : public TlbiIll {
  protected:
    void configure(smmu_config_t &c) override { smmu_config_default(&c, SMMU_ARCH_V3_0); }
};

TEST_F(TlbiIllV30, S2IpaAddressAboveBit47IsReserved_4_1_6)
{
    expect_ok(s2_ipa(1, SMMU_BIT(47)));
    expect_ill(s2_ipa(1, SMMU_BIT(48)));
}

} // namespace

// Splintering (review finding): a stage-1 block cached as smaller combined
// entries because stage 2 maps smaller pages.
namespace smmutest {
namespace {

class TlbiSplinter : public CmdTest {
  protected:
    void SetUp() override
    {
        CmdTest::SetUp();
        boot();
    }
};

// Arm ARM D8.17 (stage-1-only maintenance, R_RTVTYQ area): "If the stage 1
// translation information contained in a single Block or Page has been
// collectively cached as one or more smaller TLB entries, for example as the
// result of splintering, then all entries containing that stage 1
// information are invalidated, regardless of whether the entry would be used
// to translate the address being invalidated." SMMU 4.4: CMD_TLBI_NH_VA has
// the scope of TLBI VAE1.
// S1: 2MB block VA blk -> IPA kNestIpa; S2: 4KB pages. The combined entry for
// blk+0x5000 is 4KB (splintered). TLBI_NH_VA at the block's base must
// remove it.
TEST_F(TlbiSplinter, NhVaAtBlockBaseRemovesSplinteredCombinedEntries_D8_17)
{
    Nested n = nested_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(n.s1, blk, kNestIpa, true, 2);
    map2(n.s2, kNestIpa + 0x5000, kPa1 + 0x5000);
    EXPECT_EQ(pa(1, blk + 0x5000), kPa1 + 0x5000);
    // The driver moves the block to another IPA and invalidates the block
    // with one TLBI at its base address (Leaf = 1, as Linux does).
    remap1(n.s1, blk, kNestIpa + k2M, true, 2);
    map2(n.s2, kNestIpa + k2M + 0x5000, kPa2 + 0x5000);
    run({nh_va(3, 5, blk, true)});
    EXPECT_EQ(pa(1, blk + 0x5000), kPa2 + 0x5000); // model: kPa1 + 0x5000 (stale)
}

// The same with a range TLBI of one 4KB granule at the base, TTL = 2 (the
// leaf is a level-2 block): "Leaf entries at Level 2 of a 4KB Granule table".
TEST_F(TlbiSplinter, NhVaRangeTtl2RemovesSplinteredCombinedEntries_4_4_1_1)
{
    Nested n = nested_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(n.s1, blk, kNestIpa, true, 2);
    map2(n.s2, kNestIpa + 0x5000, kPa1 + 0x5000);
    EXPECT_EQ(pa(1, blk + 0x5000), kPa1 + 0x5000);
    remap1(n.s1, blk, kNestIpa + k2M, true, 2);
    map2(n.s2, kNestIpa + k2M + 0x5000, kPa2 + 0x5000);
    Range r;
    r.tg = 1;
    r.ttl = 2;
    run({nh_va(3, 5, blk, true, r)});
    EXPECT_EQ(pa(1, blk + 0x5000), kPa2 + 0x5000);
}

// The same with CMD_TLBI_NH_VAA (scope of VAAE1), Leaf = 0.
TEST_F(TlbiSplinter, NhVaaAtBlockBaseRemovesSplinteredCombinedEntries_D8_17)
{
    Nested n = nested_stream(1, 5, 3);
    const uint64_t blk = 0x4020'0000;
    map1(n.s1, blk, kNestIpa, true, 2);
    map2(n.s2, kNestIpa + 0x5000, kPa1 + 0x5000);
    EXPECT_EQ(pa(1, blk + 0x5000), kPa1 + 0x5000);
    remap1(n.s1, blk, kNestIpa + k2M, true, 2);
    map2(n.s2, kNestIpa + k2M + 0x5000, kPa2 + 0x5000);
    run({nh_vaa(3, blk, false)});
    EXPECT_EQ(pa(1, blk + 0x5000), kPa2 + 0x5000);
}

} // namespace
} // namespace smmutest

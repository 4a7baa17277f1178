// SPDX-License-Identifier: Apache-2.0
// Configuration cache, micro-TLB and the non-TLBI commands (IHI 0070 G.b
// 3.17, 4.2, 4.3, 4.5, 4.7), seen the way a driver bug shows: STEs/CDs
// changed in memory keep being used until exactly the right CMD_CFGI_* +
// CMD_SYNC, and a command never reaches beyond its scope (minimum-scope
// policy, docs/invalidation.md). Every scenario runs with caches on and
// off; with caches off the change is seen at once.
#include "support/cache_fixture.h"

using namespace smmutest;

namespace {

constexpr uint64_t kVa = 0x4020'3000;

class Cfgi : public CacheTest {
  protected:
    void SetUp() override
    {
        CacheTest::SetUp();
        boot();
    }
    // A bypass stream (Config = 0b100): the output is the input address.
    void bypass(uint32_t sid) { write_ste(sid, Ste().bypass().build()); }
    // Change it in memory to abort (Config = 0b000, no event): the change a
    // driver makes when it detaches a device.
    void to_abort(uint32_t sid) { write_ste(sid, Ste().abort().build()); }
    bool translates(uint32_t sid) { return pa(sid, kVa) == kVa; }
    // With caches on the old configuration is still used; off: the new.
    bool stale_bypass() const { return caches(); }
};

INSTANTIATE_TEST_SUITE_P(Caches, Cfgi, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

// ---- CMD_CFGI_STE (4.3.1) ------------------------------------------------

TEST_P(Cfgi, CfgiSteRemovesTheSte_4_3_1)
{
    bypass(7);
    EXPECT_TRUE(translates(7));
    to_abort(7);
    EXPECT_EQ(translates(7), stale_bypass());
    run({cmd_cfgi_ste(7, true)});
    EXPECT_FALSE(translates(7));
}

TEST_P(Cfgi, CfgiSteLeafZeroRemovesTheSte_4_3_1)
{
    bypass(7);
    EXPECT_TRUE(translates(7));
    to_abort(7);
    run({cmd_cfgi_ste(7, false)});
    EXPECT_FALSE(translates(7));
}

TEST_P(Cfgi, CfgiSteKeepsOtherStreamIds_4_3_1)
{
    bypass(6);
    bypass(8);
    EXPECT_TRUE(translates(6));
    EXPECT_TRUE(translates(8));
    to_abort(6);
    to_abort(8);
    run({cmd_cfgi_ste(7, true)});
    EXPECT_EQ(translates(6), stale_bypass());
    EXPECT_EQ(translates(8), stale_bypass());
}

// 4.3.1: "invalidates all Context Descriptors ... cached using the given
// StreamID". The CD is changed to a new ASID and new tables (as a driver
// does when it re-uses a stream), so the TLB entries of the old ASID do not
// hide the change.
TEST_P(Cfgi, CfgiSteAlsoRemovesCdsOfTheStream_4_3_1)
{
    PtBuilder *a = s1_stream(1, 5, 3);
    map1(a, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    PtBuilder *b = new_pt(1);
    map1(b, kVa, kPa2);
    put(kCds, cd_for(b, 6).build()); // stream 1's CD (the first one)
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({cmd_cfgi_ste(1, true)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

// 4.3.1 Note: "This command is not required to affect TLB contents".
TEST_P(Cfgi, CfgiSteKeepsTlbEntries_4_3_1)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({cmd_cfgi_ste(1, true), cmd_cfgi_all()});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// TLB invalidations do not touch the configuration cache (4.3: structures
// and TLBs are invalidated separately).
TEST_P(Cfgi, TlbiKeepsConfigurationCache_4_3)
{
    bypass(7);
    EXPECT_TRUE(translates(7));
    to_abort(7);
    run({nsnh_all(), nh_all(0), s12_vmall(0), el2_all()});
    EXPECT_EQ(translates(7), stale_bypass());
}

// ---- CMD_CFGI_STE_RANGE / CMD_CFGI_ALL (4.3.2, 4.3.6) -------------------

TEST_P(Cfgi, CfgiSteRangeRemovesAlignedSpan_4_3_2)
{
    for (uint32_t sid : {15u, 16u, 23u, 31u, 32u}) {
        bypass(sid);
        EXPECT_TRUE(translates(sid));
    }
    for (uint32_t sid : {15u, 16u, 23u, 31u, 32u})
        to_abort(sid);
    run({cmd_cfgi_ste_range(21, 3)}); // 2^4 StreamIDs: 16..31
    EXPECT_EQ(translates(15), stale_bypass());
    EXPECT_FALSE(translates(16));
    EXPECT_FALSE(translates(23));
    EXPECT_FALSE(translates(31));
    EXPECT_EQ(translates(32), stale_bypass());
}

TEST_P(Cfgi, CfgiSteRangeZeroIsTwoStreamIds_4_3_2)
{
    for (uint32_t sid : {9u, 10u, 11u, 12u}) {
        bypass(sid);
        EXPECT_TRUE(translates(sid));
    }
    for (uint32_t sid : {9u, 10u, 11u, 12u})
        to_abort(sid);
    run({cmd_cfgi_ste_range(11, 0)}); // 10, 11
    EXPECT_EQ(translates(9), stale_bypass());
    EXPECT_FALSE(translates(10));
    EXPECT_FALSE(translates(11));
    EXPECT_EQ(translates(12), stale_bypass());
}

TEST_P(Cfgi, CfgiAllRemovesEveryStream_4_3_6)
{
    for (uint32_t sid : {0u, 1u, 200u, 255u}) {
        bypass(sid);
        EXPECT_TRUE(translates(sid));
    }
    for (uint32_t sid : {0u, 1u, 200u, 255u})
        to_abort(sid);
    run({cmd_cfgi_ste_range(0x1234, 31)}); // StreamID IGNORED
    for (uint32_t sid : {0u, 1u, 200u, 255u})
        EXPECT_FALSE(translates(sid)) << sid;
}

// ---- CMD_CFGI_CD / CMD_CFGI_CD_ALL (4.3.3, 4.3.4) ------------------------

// Single CD (S1CDMax = 0): CFGI_CD with SubstreamID 0.
TEST_P(Cfgi, CfgiCdSubstreamZeroRemovesTheSingleCd_4_3_3)
{
    PtBuilder *a = s1_stream(1, 5, 3);
    map1(a, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    PtBuilder *b = new_pt(1);
    map1(b, kVa, kPa2);
    put(kCds, cd_for(b, 6).build());
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({cfgi_cd(1, 1)}); // another index: not this CD
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({cfgi_cd(1, 0)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

TEST_P(Cfgi, CfgiCdKeepsOtherStreamId_4_3_3)
{
    PtBuilder *a = s1_stream(1, 5, 3);
    map1(a, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    PtBuilder *b = new_pt(1);
    map1(b, kVa, kPa2);
    put(kCds, cd_for(b, 6).build());
    run({cfgi_cd(2, 0), cfgi_cd_all(2)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// CFGI_CD does not reach the STE: "All configuration structures must be
// considered to be individually cached" (4.3).
TEST_P(Cfgi, CfgiCdKeepsTheSte_4_3_3)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    to_abort(1);
    run({cfgi_cd(1, 0), cfgi_cd_all(1)});
    EXPECT_EQ(pa(1, kVa), caches() ? kPa1 : ~uint64_t(0));
    run({cmd_cfgi_ste(1)});
    EXPECT_EQ(pa(1, kVa), ~uint64_t(0));
}

TEST_P(Cfgi, CfgiCdAllRemovesTheCds_4_3_4)
{
    PtBuilder *a = s1_stream(1, 5, 3);
    map1(a, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    PtBuilder *b = new_pt(1);
    map1(b, kVa, kPa2);
    put(kCds, cd_for(b, 6).build());
    run({cfgi_cd_all(1)});
    EXPECT_EQ(pa(1, kVa), kPa2);
}

// A CD table with 4 entries (S1CDMax = 2); traffic with SubstreamIDs.
class CfgiSubstreams : public Cfgi {
  protected:
    uint64_t table = 0;
    PtBuilder *pts_[4] = {};
    void SetUp() override
    {
        Cfgi::SetUp();
        table = new_cd_addr(4);
        for (unsigned i = 0; i < 4; i++) {
            pts_[i] = new_pt(1);
            map1(pts_[i], kVa, kPa1 + i * k4K);
            put(table + 64 * i, cd_for(pts_[i], uint16_t(10 + i)).build());
        }
        write_ste(1, Ste().s1().ctx(table).cdmax(2).vmid(3).build());
    }
    // Replace CD i by one with a new ASID and tables mapping kVa to kPa2.
    void change_cd(unsigned i)
    {
        PtBuilder *b = new_pt(1);
        map1(b, kVa, kPa2 + i * k4K);
        put(table + 64 * i, cd_for(b, uint16_t(20 + i)).build());
    }
};
INSTANTIATE_TEST_SUITE_P(Caches, CfgiSubstreams, ::testing::Values(true, false),
                         [](const auto &i) { return i.param ? "On" : "Off"; });

TEST_P(CfgiSubstreams, CfgiCdRemovesCdOfThatIndex_4_3_3)
{
    EXPECT_EQ(pa(1, kVa, 2), kPa1 + 2 * k4K);
    change_cd(2);
    EXPECT_EQ(pa(1, kVa, 2), stale(kPa1, kPa2) + 2 * k4K);
    run({cfgi_cd(1, 2, false)});
    EXPECT_EQ(pa(1, kVa, 2), kPa2 + 2 * k4K);
}

TEST_P(CfgiSubstreams, CfgiCdOfOtherIndexKeepsCd_4_3_3)
{
    EXPECT_EQ(pa(1, kVa, 2), kPa1 + 2 * k4K);
    change_cd(2);
    run({cfgi_cd(1, 1), cfgi_cd(1, 3), cfgi_cd(1, 0)});
    EXPECT_EQ(pa(1, kVa, 2), stale(kPa1, kPa2) + 2 * k4K);
}

TEST_P(CfgiSubstreams, CfgiCdAllRemovesEverySubstream_4_3_4)
{
    EXPECT_EQ(pa(1, kVa, 3), kPa1 + 3 * k4K);
    change_cd(3);
    run({cfgi_cd_all(1)});
    EXPECT_EQ(pa(1, kVa, 3), kPa2 + 3 * k4K);
}

TEST_P(CfgiSubstreams, CfgiSteRemovesEverySubstream_4_3_1)
{
    EXPECT_EQ(pa(1, kVa, 1), kPa1 + k4K);
    change_cd(1);
    run({cmd_cfgi_ste(1, true)});
    EXPECT_EQ(pa(1, kVa, 1), kPa2 + k4K);
}

// ---- Micro-TLB (utlb.h): never outlives the TLB or configuration cache --

TEST_P(Cfgi, MicroTlbHitsThenFollowsInvalidation)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    uint64_t hits = stats().utlb_hits;
    EXPECT_EQ(pa(1, kVa + 4), kPa1 + 4);
    EXPECT_EQ(stats().utlb_hits - hits, caches() ? 1u : 0u); // same page
    remap1(pt, kVa, kPa2);
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
    run({nh_va(3, 5, kVa)});
    hits = stats().utlb_hits;
    EXPECT_EQ(pa(1, kVa), kPa2);
    EXPECT_EQ(stats().utlb_hits, hits); // the micro-TLB did not answer
}

TEST_P(Cfgi, MicroTlbFollowsConfigurationInvalidation)
{
    PtBuilder *pt = s1_stream(7, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(7, kVa), kPa1);
    EXPECT_EQ(pa(7, kVa), kPa1); // micro-TLB hit with caches on
    to_abort(7);
    EXPECT_EQ(pa(7, kVa), caches() ? kPa1 : ~uint64_t(0));
    run({cmd_cfgi_ste(7)});
    EXPECT_EQ(pa(7, kVa), ~uint64_t(0));
}

// ---- Prefetch (4.2): hints, never events or errors ------------------------

TEST_P(Cfgi, PrefetchConfigOfInvalidSteRecordsNothing_4_2)
{
    write_ste(9, Ste().valid(false).build());
    run({cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(9) << 32),
         cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(0xFFFF) << 32 | SMMU_BIT(11) | 5u << 12)});
    EXPECT_TRUE(events().empty());
}

TEST_P(Cfgi, PrefetchAddrOfUnmappedAddressRecordsNothing_4_2)
{
    s1_stream(1, 5, 3);
    run({cmd_raw(SMMU_CMD_PREFETCH_ADDR, uint64_t(1) << 32, 0x4000'0000 | 3u)});
    EXPECT_TRUE(events().empty());
}

// A prefetch never changes what a later translation sees: the stale entry
// stays until the TLBI.
TEST_P(Cfgi, PrefetchDoesNotInvalidate_4_2)
{
    PtBuilder *pt = s1_stream(1, 5, 3);
    map1(pt, kVa, kPa1);
    EXPECT_EQ(pa(1, kVa), kPa1);
    remap1(pt, kVa, kPa2);
    run({cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(1) << 32),
         cmd_raw(SMMU_CMD_PREFETCH_ADDR, uint64_t(1) << 32, kVa)});
    EXPECT_EQ(pa(1, kVa), stale(kPa1, kPa2));
}

// "When SMMUEN == 0, valid prefetch commands are consumed" (4.2).
TEST_P(Cfgi, PrefetchConsumedWithSmmuDisabled_4_2)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    run({cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(1) << 32),
         cmd_raw(SMMU_CMD_PREFETCH_ADDR, uint64_t(1) << 32, kVa)});
    EXPECT_TRUE(events().empty());
}

// ---- CERROR_ILL of the non-TLBI commands (4.1.3, 4.1.5, 4.1.6, 4.3, 4.5,
// 4.7) --------------------------------------------------------------------

class CmdIll : public CmdTest {
  protected:
    void SetUp() override
    {
        CmdTest::SetUp();
        enable_queues();
    }
};

TEST_F(CmdIll, SsecOneOnEveryCommandWithSsec_4_1_6)
{
    const uint64_t ssec = SMMU_BIT(10);
    expect_ill(cmd_raw(SMMU_CMD_PREFETCH_CONFIG, ssec));
    expect_ill(cmd_raw(SMMU_CMD_PREFETCH_ADDR, ssec));
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE, ssec));
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE_RANGE, ssec, 31));
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD, ssec));
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD_ALL, ssec));
}

TEST_F(CmdIll, ReservedBitsOfCfgiAndPrefetch_4_1_5)
{
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE, SMMU_BIT(11)));      // no SSV
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE, 1u << 12));          // no SubstreamID
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE, 0, 2));              // w1 above Leaf
    expect_ill(cmd_raw(SMMU_CMD_CFGI_STE_RANGE, 0, 1u << 5));  // w1 above Range
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD, SMMU_BIT(11)));       // no SSV
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD, 0, 2));               // w1 above Leaf
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD_ALL, 1u << 12));       // no SubstreamID
    expect_ill(cmd_raw(SMMU_CMD_CFGI_CD_ALL, 0, 1));           // no Leaf
    expect_ill(cmd_raw(SMMU_CMD_PREFETCH_CONFIG, 0, 1));       // no word 1
    expect_ill(cmd_raw(SMMU_CMD_PREFETCH_CONFIG, SMMU_BIT(8))); // bits [9:8]
}

TEST_F(CmdIll, DefinedFieldsOfCfgiAndPrefetchConsumed_4_3)
{
    expect_ok(cmd_raw(SMMU_CMD_CFGI_STE, uint64_t(0xFFFF'FFFF) << 32, 1));
    expect_ok(cmd_raw(SMMU_CMD_CFGI_STE_RANGE, uint64_t(0xFFFF'FFFF) << 32, 31));
    expect_ok(cfgi_cd(0xFFFF'FFFF, 0xF'FFFF, true));
    expect_ok(cfgi_cd_all(0xFFFF'FFFF));
    expect_ok(cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(3) << 32 | SMMU_BIT(11) | 0xFFFFFull << 12));
    expect_ok(cmd_raw(SMMU_CMD_PREFETCH_ADDR, uint64_t(3) << 32, ~uint64_t(0)));
}

// 4.3.5: CERROR_ILL when SMMU_IDR3.MPAM == 0 (MPAM is not configurable).
TEST_F(CmdIll, CfgiVmsPidmWithoutMpam_4_3_5)
{
    expect_ill(cmd_raw(SMMU_CMD_CFGI_VMS_PIDM));
    expect_ill(cmd_raw(SMMU_CMD_CFGI_VMS_PIDM, uint64_t(3) << 32));
}

// 4.5.1: ILLEGAL when SMMU_IDR0.ATS == 0; 4.5.2: when SMMU_IDR0.PRI == 0.
TEST_F(CmdIll, AtcInvAndPriRespWithoutAtsPri_4_5)
{
    ASSERT_EQ(cfg.ats, 0);
    ASSERT_EQ(cfg.pri, 0);
    expect_ill(cmd_raw(SMMU_CMD_ATC_INV));
    expect_ill(cmd_raw(SMMU_CMD_ATC_INV, uint64_t(1) << 32, 0x1000));
    expect_ill(cmd_raw(SMMU_CMD_PRI_RESP));
    expect_ill(cmd_raw(SMMU_CMD_PRI_RESP, uint64_t(1) << 32 | 1u << 12));
}

// 4.7.1, 4.7.2: CERROR_ILL when SMMU_IDR0.STALL_MODEL == 0b01.
TEST_F(CmdIll, ResumeAndStallTermWithoutStallModel_4_7)
{
    ASSERT_EQ(cfg.stall_model, 1);
    expect_ill(cmd_raw(SMMU_CMD_RESUME));
    expect_ill(cmd_raw(SMMU_CMD_RESUME, uint64_t(1) << 32, 7));
    expect_ill(cmd_raw(SMMU_CMD_STALL_TERM));
    expect_ill(cmd_raw(SMMU_CMD_STALL_TERM, uint64_t(1) << 32));
}

// 4.6: CMD_DPTI_* are CERROR_ILL without SMMU_IDR3.DPT.
TEST_F(CmdIll, DptiWithoutDpt_4_6)
{
    expect_ill(cmd_raw(0x70));
    expect_ill(cmd_raw(0x73));
}

// IMPLEMENTATION DEFINED opcodes 0x80-0x8F: the model defines none.
TEST_F(CmdIll, ImplementationDefinedOpcodes_4_1_1)
{
    for (unsigned op = 0x80; op <= 0x8F; op++)
        expect_ill(cmd_raw(uint8_t(op)));
}

// ---- CMD_SYNC (4.7.3) ---------------------------------------------------

TEST_F(CmdIll, SyncMshReservedValueAccepted_4_7_3)
{
    // MSH = 0b01 is Reserved, treated as 0b00: not an error.
    expect_ok({SMMU_CMD_SYNC | 1u << 12 | 1u << 22, 0});
}

TEST_F(CmdIll, SyncMsiAttributesDoNotChangeTheWrite_4_7_3)
{
    mem.log_enabled = true;
    expect_ok({SMMU_CMD_SYNC | 1u << 12 | 3u << 22 | 0xFu << 24 | uint64_t(0xCAFE) << 32,
               0x5000'0040});
    EXPECT_EQ(mem.read32(0x5000'0040), 0xCAFEu);
    unsigned msi = 0;
    for (const MemAccess &a : mem.log)
        if (a.kind == SMMU_ACC_SYNC) {
            EXPECT_EQ(a.pa, 0x5000'0040u);
            EXPECT_EQ(a.len, 4u);
            EXPECT_TRUE(a.write);
            msi++;
        }
    EXPECT_EQ(msi, 1u);
}

TEST_F(CmdIll, SyncMsiAbortRaisesGerrorAndIsConsumed_4_7_3)
{
    mem.add_abort(0x5000'0000, 0x1000);
    expect_ok({SMMU_CMD_SYNC | 1u << 12 | uint64_t(1) << 32, 0x5000'0040});
    EXPECT_EQ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_MSI_CMDQ_ABT_ERR,
              uint64_t(SMMU_GERROR_MSI_CMDQ_ABT_ERR));
}

// MSIAddress is truncated to the OAS (3.4.3): 40-bit OAS here.
class SyncOas40 : public CmdIll {
  protected:
    void tweak(smmu_config_t &c) override { c.oas = 2; }
};
TEST_F(SyncOas40, SyncMsiAddressTruncatedToOas_4_7_3)
{
    expect_ok({SMMU_CMD_SYNC | 1u << 12 | uint64_t(0x77) << 32, 0xF'1234'5678'0040ull});
    EXPECT_EQ(mem.read32(0x34'5678'0040ull), 0x77u);
}

} // namespace

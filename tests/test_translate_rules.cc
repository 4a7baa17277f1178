// SPDX-License-Identifier: Apache-2.0
// The translation procedure, rules found by review (translate.c suite,
// second file): VA range check (3.4.1), StreamWorld any-EL2 permissions
// (13.4, D8.4 Table D8-66), writable-clean execute permission (3.13.3,
// D8.5.2.2), CD.E0PD (5.4), shared stage-2 TLB entries (3.17), HTTU races.
#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/xlate_fixture.h"

namespace smmutest {
namespace {

// The end-to-end fixture (tests/support/xlate_fixture.h).
using XlateRules = Xlate;

// ---- StreamWorld any-EL2 (STRW = 0b10, CR2.E2H = 0): 13.4 / 3.3 --------
TEST_F(XlateRules, El2World_Ap1IgnoredTreatedAs1_UnprivReadAllowed_13_4)
{
    S1Attrs a; a.ap = 0; // AP[2:1] = 00: in EL1 only privileged RW
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).build());
    install(3, Ste().s1().strw(2).ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, /*priv*/ false);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
}
TEST_F(XlateRules, El2World_Bit54IsXN_PrivInstrFetchFaults_D8_4_Table66)
{
    S1Attrs a; a.ap = 0; a.uxn = 1; a.pxn = 0; // bit 54 = XN in a one-EL regime
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).build());
    install(3, Ste().s1().strw(2).ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, /*priv*/ true, /*instr*/ true);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION);
}
TEST_F(XlateRules, El2World_Ap01NotImpliedPxn_PrivInstrFetchAllowed_D8_4_Table66)
{
    S1Attrs a; a.ap = 1; // AP[2]=0 -> PrivRead, PrivWrite, PrivExecute (one-EL regime)
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).build());
    install(3, Ste().s1().strw(2).ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, true, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
}

// ---- HTTU: writable-clean is writable for execute permission (D8.5.2.2) -
class XlateRulesHttu : public XlateRules {
    void configure(smmu_config_t &c) override { c.httu = 2; }
};
TEST_F(XlateRulesHttu, WritableCleanPriv_WithWxn_PrivExecuteNever_D8_5_2_2)
{
    S1Attrs a; a.ap = 2; a.dbm = 1; // privileged writable-clean
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).ha().hd().wxn().build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, true, true);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION) << "outcome " << int(r.outcome);
}
TEST_F(XlateRulesHttu, WritableCleanUnpriv_PrivExecuteNever_D8_5_2_2_RNKLQN)
{
    S1Attrs a; a.ap = 3; a.dbm = 1; // unprivileged writable-clean
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).ha().hd().build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, true, true);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION) << "outcome " << int(r.outcome);
}

// ---- E0PD (5.4 E0PD0) --------------------------------------------------
class XlateRulesE0pd : public XlateRules {
    void configure(smmu_config_t &c) override { c.e0pd = 1; }
};
TEST_F(XlateRulesE0pd, E0pd0_UnprivAccess_FTranslation_5_4)
{
    S1Attrs a; a.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).e0pd0().build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, false, false);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION) << "outcome " << int(r.outcome);
}

// ---- S2 TLB entries made for nested table fetches (walk.c) hit S2-only
// ---- translations of the same VMID with reduced permissions/attrs ------
TEST_F(XlateRules, NestedTableS2Entry_ReusedByS2OnlyStream_InstrFetchWrongFault_3_17)
{
    // Stream 1: nested, VMID 5. Stream 2: stage 2 only, same VMID/tables.
    S1Attrs d; d.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, d));
    ASSERT_TRUE(s2pt.map_s2(0x1000'0000, 0x2222'0000, 3));
    for (uint64_t a = kS1Tables; a < s1pt.alloc_next(); a += 0x1000)
        ASSERT_TRUE(s2pt.map_s2(a, a, 3)); // XN = 00, S2AP = RW, MemAttr 0xF
    ASSERT_TRUE(s2pt.map_s2(cd_addr(1), cd_addr(1), 3));
    put_cd(cd_addr(1), cd_for(s1pt).build());
    install(1, s2_ste().nested().ctx(cd_addr(1)));
    install(2, s2_ste());
    // Baseline on a fresh SMMU state: S2-only priv instr fetch of a table page.
    uint64_t l3_ipa = s1pt.table_addr(3, 0x4000'0000) & ~0xFFFull;
    auto r0 = xlate(2, l3_ipa + 8, false, true, true);
    ASSERT_EQ(r0.outcome, SMMU_XLATE_OK);
    uint8_t want_memattr = r0.memattr;
    submit({cmd_tlbi_nsnh_all(), cmd_sync()});
    // Now the nested walk of stream 1 caches S2 entries for its table IPAs.
    ASSERT_EQ(xlate(1, 0x4000'0010).outcome, SMMU_XLATE_OK);
    auto r = xlate(2, l3_ipa + 8, false, true, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
    auto r2 = xlate(2, l3_ipa + 16);
    EXPECT_EQ(r2.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r2.memattr, want_memattr);
}

} // namespace
} // namespace smmutest

namespace smmutest {
namespace {
// An embedder whose descriptors keep changing under the HTTU update (another
// agent writes a software bit between the SMMU's read and its CAS).
int racing_cas(void *, uint64_t, uint64_t expected, uint64_t, uint64_t *old)
{
    *old = expected ^ (1ull << 58); // never equal: the CAS always loses
    return 0;
}
class XlateRulesRace : public XlateRules {
  protected:
    smmu_mem_ops_t ops_{};
    void configure(smmu_config_t &c) override { c.httu = 2; }
    void SetUp() override
    {
        smmu_config_default(&cfg, SMMU_ARCH_V3_2);
        configure(cfg);
        ops_ = *mem.ops();
        ops_.cas64 = racing_cas;
        char msg[256] = "";
        smmu = smmu_create(&cfg, &ops_, mem.ctx(), msg, sizeof msg);
        ASSERT_NE(smmu, nullptr) << msg;
        boot();
    }
};
// docs/translation.md: "Descriptor changed between walk and update: the walk
// restarts (up to 4 times), then a translation fault". For the dirty-state
// update the model records an event with type 0 instead.
TEST_F(XlateRulesRace, DirtyUpdateRaceExhausted_RecordsTranslationFault_NotType0)
{
    S1Attrs a; a.ap = 3; a.dbm = 1; // EL0 writable-clean
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).ha().hd().build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x4000'0010, /*write*/ true);
    EXPECT_NE(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0] & 0xFF, unsigned(SMMU_EVT_F_TRANSLATION));
}
} // namespace
} // namespace smmutest

namespace smmutest {
namespace {
// 3.4 / 3.4.1: with a 48-bit TTB0 (T0SZ = 16) 0x0000FFFFFFFFFFFF is inside
// the range (the spec's own example); any VA below 2^(64-T0SZ) is.
TEST_F(XlateRules, VaRangeCheck_TopHalfOfTtb0_IsInRange_3_4_1)
{
    PtBuilder pt{mem, 1, 12, 48, 48, 0x0300'0000};
    S1Attrs a; a.ap = 1;
    ASSERT_TRUE(pt.map_s1(0x0000'FFFF'FFFF'F000ull, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(pt).build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x0000'FFFF'FFFF'F010ull);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
    EXPECT_EQ(r.pa, 0x1000'0010u);
}
TEST_F(XlateRules, VaRangeCheck_T0sz25_Bit38Set_IsInRange_3_4_1)
{
    PtBuilder pt{mem, 1, 12, 39, 48, 0x0300'0000};
    S1Attrs a; a.ap = 1;
    ASSERT_TRUE(pt.map_s1(0x40'0000'0000ull, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(pt).build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0x40'0000'0010ull);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
}
// TTB1 (T1SZ = 16): 0xFFFF000000000000 is inside the range (spec example).
TEST_F(XlateRules, VaRangeCheck_BottomOfTtb1_IsInRange_3_4_1)
{
    PtBuilder pt{mem, 1, 12, 48, 48, 0x0300'0000};
    S1Attrs a; a.ap = 1;
    ASSERT_TRUE(pt.map_s1(0x0000'0000'0000'0000ull, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), Cd().t0sz(16).tg0_4k().ttb0(pt.ttb()).epd1(false).t1sz(16).tg1_4k()
                           .ttb1(pt.ttb()).ips(5).asid(1).build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    auto r = xlate(3, 0xFFFF'0000'0000'0010ull);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK) << "event " << int(r.event);
}
} // namespace
// 3.4 example: 0x0001000000000000 and 0xFFFE000000000000 are outside a
// 49-bit range (two 48-bit regions).
TEST_F(XlateRules, VaRangeCheck_JustOutsideBothHalves_3_4)
{
    PtBuilder pt{mem, 1, 12, 48, 48, 0x0300'0000};
    S1Attrs a;
    a.ap = 1;
    ASSERT_TRUE(pt.map_s1(0, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), Cd().t0sz(16).tg0_4k().ttb0(pt.ttb()).epd1(false).t1sz(16).tg1_4k()
                           .ttb1(pt.ttb()).ips(5).asid(1).build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    EXPECT_EQ(xlate(3, 0x0001'0000'0000'0000ull).event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(xlate(3, 0xFFFE'0000'0000'0000ull).event, SMMU_EVT_F_TRANSLATION);
}

// 5.4 E0PD0: the unprivileged fault happens "whether or not the translation
// is cached": a privileged access first fills the TLB and the micro-TLB.
TEST_F(XlateRulesE0pd, E0pd0_FaultsEvenWhenCached_5_4)
{
    S1Attrs a;
    a.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    put_cd(cd_addr(3), cd_for(s1pt).e0pd0().build());
    install(3, Ste().s1().ctx(cd_addr(3)));
    EXPECT_EQ(xlate(3, 0x4000'0010, false, true).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(xlate(3, 0x4000'0010, false, true).outcome, SMMU_XLATE_OK); // micro-TLB hit
    EXPECT_EQ(xlate(3, 0x4000'0010, false, false).event, SMMU_EVT_F_TRANSLATION);
}

} // namespace smmutest

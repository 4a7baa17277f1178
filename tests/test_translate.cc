// SPDX-License-Identifier: Apache-2.0
// The translation procedure end to end (translate.c): driver-style
// programming (MMIO, STE/CD/page tables in memory, commands) and exact
// outcomes: PA, event record words, which stage and class faulted.
// Sections: IHI 0070 3.3 (procedure), 3.4 (address sizes), 3.12/5.5 (fault
// models), 5.2/5.4 (structures), 7.3 (records), 13.7 (PCIe attributes);
// Arm ARM D8.4 (permissions).
#include <cstring>
#include <vector>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/record.h"
#include "support/xlate_fixture.h"

namespace smmutest {
namespace {

S1Attrs el0_rw() { S1Attrs a; a.ap = 1; return a; }
S1Attrs el0_ro() { S1Attrs a; a.ap = 3; return a; }
S1Attrs priv_rw() { S1Attrs a; a.ap = 0; return a; }

// ---- SMMUEN = 0: GBPA (6.3.14, 3.4) ----------------------------------------

TEST_F(SmmuTest, Gbpa_AbortWhenDisabled_NoEvent_6_3_14)
{
    enable_queues();
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    auto r = xlate(1, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    EXPECT_EQ(events().size(), 0u);
}

TEST_F(SmmuTest, Gbpa_BypassWhenDisabled_PaEqualsInput_AboveOasTerminated_3_4)
{
    enable_queues();
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE); // ABORT = 0: bypass
    auto r = xlate(1, 0x1234'5678);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x1234'5678u);
    // OAS is 48 bits in the default configuration.
    r = xlate(1, 1ull << 48);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(events().size(), 0u);
}

// 6.3.14 with IDR1.ATTR_TYPES_OVR: GBPA overrides the memory type and
// shareability of bypassed traffic.
class GbpaOvr : public SmmuTest {
    void configure(smmu_config_t &c) override { c.attr_types_ovr = 1; }
};
TEST_F(GbpaOvr, GbpaBypassAppliesAttributeOverrides_6_3_14)
{
    enable_queues();
    // MTCFG = 1, MemAttr = 0b1111 (Normal WB), SHCFG = 0b11 (inner).
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_BIT(4) | 0xF | SMMU_PUT(3, 13, 12));
    auto r = xlate(1, 0x1000);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.memattr, 0xFFu);
    EXPECT_EQ(r.sh, 3u);
    // MemAttr = 0b0001: Device-nGnRE.
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_BIT(4) | 0x1 | SMMU_PUT(2, 13, 12));
    r = xlate(1, 0x1000);
    EXPECT_EQ(r.memattr, 0x04u);
    EXPECT_EQ(r.sh, 2u);
}

// ---- STE Config (5.2) ----------------------------------------------------

TEST_F(Xlate, SteConfigAbort_NoEvent_5_2)
{
    install(2, Ste().abort());
    auto r = tx(2, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    expect_no_record();
}

TEST_F(Xlate, SteConfigReserved001to011_BehaveAsAbort_NoEvent_5_2)
{
    for (unsigned c = 1; c <= 3; c++) {
        install(2, Ste().config(c));
        auto r = tx(2, 0x1000);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT) << "Config " << c;
        EXPECT_EQ(r.event, 0) << "Config " << c;
    }
    expect_no_record();
}

TEST_F(Xlate, SteBypass_PaEqualsInput_3_4)
{
    install(2, Ste().bypass());
    auto r = tx(2, 0xABCD'E123);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0xABCD'E123u);
}

// 3.4: stage 1 bypassed and the input beyond the IAS: F_ADDR_SIZE, S2 = 0,
// CLASS = IN, always abort.
TEST_F(Xlate, SteBypass_InputBeyondIas_FAddrSize_ClassIn_7_3_14)
{
    install(2, Ste().bypass());
    uint64_t in = 1ull << 48;
    auto r = tx(2, in);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_ADDR_SIZE;
    w.sid = 2;
    w.cls = SMMU_CLASS_IN;
    w.input = in;
    expect_one_record(w);
}

TEST_F(Xlate, InvalidSte_CBadSte_Recorded_7_3_5)
{
    write_ste(9, Ste().valid(false).build());
    auto r = tx(9, 0x40);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_C_BAD_STE));
    EXPECT_EQ(ev[0][1], 9u);
}

// 7.3.3: C_BAD_STREAMID is recorded only when CR2.RECINVSID == 1.
TEST_F(Xlate, BadStreamId_RecordedOnlyWithRecinvsid_7_3_3)
{
    auto r = tx(300, 0x40); // table has 256 entries
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STREAMID);
    expect_no_record();
    // CR2 is writable only while SMMUEN == 0.
    wr(SMMU_CR0, rd(SMMU_CR0) & ~SMMU_CR0_SMMUEN);
    wr(SMMU_CR2, SMMU_CR2_RECINVSID);
    enable_smmu();
    r = tx(300, 0x40, false, false, false, 7);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STREAMID);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_C_BAD_STREAMID) | 1u << 11 | 7u << 12);
    EXPECT_EQ(ev[0][1], 300u);
}

// ---- Stage 1 -------------------------------------------------------------

TEST_F(Xlate, Stage1_4K_PageTranslatesExactly_3_3)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8765'4000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    auto r = tx(4, 0x4000'0abc);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, 0x8765'4abcu);
    EXPECT_EQ(r.page_size, 0x1000u);
    expect_no_record();
}

TEST_F(Xlate, Stage1_2MBlock_TranslatesAndReportsBlockSize_D8_3)
{
    ASSERT_TRUE(s1pt.map_s1(0x4020'0000, 0x9000'0000, 2, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    auto r = tx(4, 0x4031'2345);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x9011'2345u);
    EXPECT_EQ(r.page_size, 0x20'0000u);
}

TEST_F(Xlate, Stage1_Unmapped_FTranslation_ExactRecord_7_3_13)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    auto r = tx(4, 0x4000'5008);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_TRANSLATION;
    w.sid = 4;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x4000'5008;
    expect_one_record(w);
}

TEST_F(Xlate, Stage1_AfZero_FAccess_7_3_15)
{
    S1Attrs a = el0_rw();
    a.af = 0;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt));
    auto r = tx(4, 0x4000'0010, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_ACCESS;
    w.sid = 4;
    w.rnw = false;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x4000'0010;
    expect_one_record(w);
}

// CD.AFFD = 1: AF = 0 is treated as 1, no fault (5.4).
TEST_F(Xlate, Stage1_AfZeroWithAffd_Translates_5_4)
{
    S1Attrs a = el0_rw();
    a.af = 0;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt).affd());
    EXPECT_EQ(tx(4, 0x4000'0010).outcome, SMMU_XLATE_OK);
}

TEST_F(Xlate, Stage1_WriteToReadOnly_FPermission_RnW0_7_3_16)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_ro()));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, 0x4000'0010).outcome, SMMU_XLATE_OK);
    auto r = tx(4, 0x4000'0020, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_PERMISSION;
    w.sid = 4;
    w.rnw = false;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x4000'0020;
    expect_one_record(w);
}

// 5.5: CD.R = 0 suppresses the record of a translation-related fault;
// CD.A = 0 terminates with RAZ/WI instead of an abort.
TEST_F(Xlate, Stage1_RZeroSuppressesRecord_AZeroRazWi_5_5)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt).r(false).a(false));
    auto r = tx(4, 0x5000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_RAZWI);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(r.recorded, 0);
    expect_no_record();
}

// 7.3.16 / 13.1.2: InD == 0 whenever RnW == 0 (writes are data).
TEST_F(Xlate, InstructionFlagIgnoredForWrites_InD0_7_3)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_ro()));
    attach_s1(4, cd_for(s1pt));
    tx(4, 0x4000'0000, true, false, true);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][3] & 0xE, 0u) << "PnU = InD = RnW = 0";
}

// 13.7: a PCIe transaction without a PASID is Unprivileged Data, whatever
// attributes the bus presented; PnU/InD in the record are what was checked.
TEST_F(Xlate, PcieWithoutPasid_IsUnprivilegedData_13_7)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, priv_rw()));
    attach_s1(4, cd_for(s1pt));
    smmu_request_t rq{};
    rq.sid = 4;
    rq.addr = 0x4000'0000;
    rq.size = 4;
    rq.priv = 1;
    rq.instr = 1;
    rq.pcie = 1;
    smmu_response_t rs{};
    ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
    EXPECT_EQ(rs.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(rs.event, SMMU_EVT_F_PERMISSION);
    Rec w;
    w.type = SMMU_EVT_F_PERMISSION;
    w.sid = 4;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x4000'0000;
    expect_one_record(w); // PnU = 0, InD = 0
    // The same request without the PCIe flag is privileged: allowed.
    rq.pcie = 0;
    rq.instr = 0;
    ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
    EXPECT_EQ(rs.outcome, SMMU_XLATE_OK);
}

// STE attribute/permission overrides need IDR1.ATTR_PERMS_OVR (6.3.2).
class XlateOvr : public Xlate {
    void configure(smmu_config_t &c) override { c.attr_perms_ovr = 1; }
};

// 5.2 PRIVCFG = 0b11 forces privileged; then PAN (5.4) denies privileged
// data access to EL0-accessible pages.
TEST_F(XlateOvr, PrivcfgForcesPrivileged_PanDeniesEl0Pages_5_2_5_4)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, priv_rw()));
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, el0_rw()));
    put_cd(cd_addr(4), cd_for(s1pt).pan().build());
    install(4, Ste().s1().ctx(cd_addr(4)).privcfg(3));
    EXPECT_EQ(tx(4, 0x4000'0000).outcome, SMMU_XLATE_OK); // unprivileged forced privileged
    auto r = tx(4, 0x4000'1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_F_PERMISSION));
    EXPECT_EQ(ev[0][3] & 0x2, 0x2u) << "PnU = 1 (post-override)";
}

// D8.4: APTable[0] = 1 removes EL0 access below that table; the TLB entry
// a privileged access created must not let a later unprivileged access
// through (pitfall: re-check hierarchical permissions on a TLB hit).
TEST_F(Xlate, ApTableRecheckedOnTlbHit_D8_4)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    TableAttrs t;
    t.ap_table = 1;
    ASSERT_TRUE(s1pt.set_table_attrs(2, 0x4000'0000, t));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, 0x4000'0000, false, true).outcome, SMMU_XLATE_OK); // privileged: fills
    auto r = tx(4, 0x4000'0000, false, false);                          // unprivileged: hit
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION);
    EXPECT_EQ(tx(4, 0x4000'0000, false, true).outcome, SMMU_XLATE_OK);
}

// D8.4: read permission is re-checked on a hit too (EL0 no-access page).
TEST_F(Xlate, ReadPermissionRecheckedOnTlbHit_D8_4)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, priv_rw()));
    attach_s1(4, cd_for(s1pt));
    for (int i = 0; i < 3; i++) {
        EXPECT_EQ(tx(4, 0x4000'0008, false, true).outcome, SMMU_XLATE_OK);
        EXPECT_EQ(tx(4, 0x4000'0008, false, false).outcome, SMMU_XLATE_ABORT);
    }
    EXPECT_EQ(events().size(), 3u);
}

// D8.4: UXN forbids unprivileged instruction fetch; data reads still work.
TEST_F(Xlate, UxnForbidsUnprivilegedExecute_D8_4)
{
    S1Attrs a = el0_rw();
    a.uxn = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, 0x4000'0000).outcome, SMMU_XLATE_OK);
    auto r = tx(4, 0x4000'0000, false, false, true);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][3] & 0xE, 0xCu) << "RnW = 1, InD = 1, PnU = 0";
}

// D8.4: WXN makes writable memory execute-never.
TEST_F(Xlate, WxnMakesWritableExecuteNever_D8_4)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, el0_ro()));
    attach_s1(4, cd_for(s1pt).wxn());
    EXPECT_EQ(tx(4, 0x4000'0000, false, false, true).event, SMMU_EVT_F_PERMISSION);
    EXPECT_EQ(tx(4, 0x4000'1000, false, false, true).outcome, SMMU_XLATE_OK);
}

// 3.4.1: TBI0 ignores the top byte of TTB0 addresses; without TBI the
// address must be sign-extended.
TEST_F(Xlate, Tbi0IgnoresTopByte_3_4_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, 0x5A00'0000'4000'0010ull).event, SMMU_EVT_F_TRANSLATION);
    attach_s1(5, cd_for(s1pt).tbi0());
    auto r = tx(5, 0x5A00'0000'4000'0010ull);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x8000'0010u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    // InputAddr records all 64 bits as presented (7.3).
    EXPECT_EQ(ev[0][5], 0x5A00'0000u);
}

// 3.4.1/5.4 pitfall: VA[55] selects TTB1 and TBI1 applies to it; TBI0 must
// not be used for TTB1 addresses.
TEST_F(Xlate, VaBit55SelectsTtb1_WithItsOwnTbi1_3_4_1)
{
    PtBuilder hi(mem, 1, 12, 48, 48, 0x0300'0000);
    // The walk indexes VA[47:0] of the TTB1 region.
    ASSERT_TRUE(hi.map_s1(0x8000'0000'0000ull, 0x7000'0000, 3, el0_rw()));
    Cd cd = cd_for(s1pt).epd1(false).t1sz(16).tg1_4k().ttb1(hi.ttb()).tbi0();
    attach_s1(4, cd);
    auto r = tx(4, 0xFFFF'8000'0000'0040ull);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, 0x7000'0040u);
    // Top byte 0x12 with TBI1 = 0: not sign-extended -> translation fault,
    // even though TBI0 = 1.
    EXPECT_EQ(tx(4, 0x12FF'8000'0000'0040ull).event, SMMU_EVT_F_TRANSLATION);
    attach_s1(5, cd.tbi1());
    EXPECT_EQ(tx(5, 0x12FF'8000'0000'0040ull).pa, 0x7000'0040u);
}

// 5.4: EPD0 = 1 disables TTB0 walks: translation fault with no walk.
TEST_F(Xlate, Epd0_TranslationFaultWithoutWalk_5_4)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt).epd0());
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    EXPECT_EQ(tx(4, 0x4000'0000).event, SMMU_EVT_F_TRANSLATION);
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.tt_reads, before.tt_reads);
}

// 7.3.12: an external abort on a stage-1 descriptor: F_WALK_EABT, S2 = 0,
// CLASS = TT, FetchAddr = the descriptor's PA.
TEST_F(Xlate, WalkExternalAbort_FWalkEabt_ClassTT_FetchAddr_7_3_12)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    uint64_t l3 = s1pt.table_addr(3, 0x4000'0000);
    mem.add_abort(l3, 8);
    auto r = tx(4, 0x4000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_WALK_EABT;
    w.sid = 4;
    w.cls = SMMU_CLASS_TT;
    w.input = 0x4000'0000;
    w.fetch = l3;
    expect_one_record(w);
}

// 7.3.10: F_CD_FETCH carries the CD's address in FetchAddr.
TEST_F(Xlate, CdFetchAbort_FCdFetch_FetchAddr_7_3_10)
{
    install(4, Ste().s1().ctx(cd_addr(4)));
    mem.add_abort(cd_addr(4), 64);
    auto r = tx(4, 0x4000'0000);
    EXPECT_EQ(r.event, SMMU_EVT_F_CD_FETCH);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_F_CD_FETCH));
    EXPECT_EQ(ev[0][4], 0u) << "no InputAddr in words 4-5";
    EXPECT_EQ((uint64_t(ev[0][7]) << 32 | ev[0][6]), cd_addr(4));
}

// 5.2 S1DSS = 0b10 (substream 0): no-SSID traffic uses CD 0; a transaction
// with SubstreamID 0 gets F_STREAM_DISABLED.
TEST_F(Xlate, S1dssSubstream0_Ssid0GetsStreamDisabled_5_2)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    put_cd(cd_addr(4, 0), cd_for(s1pt).build());
    put_cd(cd_addr(4, 1), cd_for(s1pt).asid(2).build());
    install(4, Ste().s1().ctx(cd_addr(4)).cdmax(1).s1dss(2));
    EXPECT_EQ(tx(4, 0x4000'0000).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(tx(4, 0x4000'0000, false, false, false, 1).outcome, SMMU_XLATE_OK);
    auto r = tx(4, 0x4000'0000, false, false, false, 0);
    EXPECT_EQ(r.event, SMMU_EVT_F_STREAM_DISABLED);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    // 7.3.7: the record carries the type and StreamID only (no SSV/SSID).
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_F_STREAM_DISABLED));
    EXPECT_EQ(ev[0][1], 4u);
}

// 3.3.2, 7.3.9: a SubstreamID on a stream without stage 1 (Config 0b1x0)
// is C_BAD_SUBSTREAMID, recording the SubstreamID presented.
TEST_F(Xlate, SubstreamIdWithoutStage1_CBadSubstreamId_7_3_9)
{
    install(2, Ste().bypass());
    auto r = tx(2, 0x1000, false, false, false, 5);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_SUBSTREAMID);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_C_BAD_SUBSTREAMID) | 5u << 12);
    EXPECT_EQ(ev[0][1], 2u);
    EXPECT_EQ(tx(2, 0x1000).outcome, SMMU_XLATE_OK) << "no SubstreamID: bypass";
}

// 7.3.9: C_BAD_SUBSTREAMID from CD selection (SubstreamID beyond
// S1CDMax): the event carries no stray S2/CLASS/IPA/FetchAddr (the
// observer sees the same clean event as the record).
TEST_F(Xlate, CdSelectionFaultEventIsClean_7_3_9)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    put_cd(cd_addr(4), cd_for(s1pt).build());
    install(4, Ste().s1().ctx(cd_addr(4)).cdmax(1).s1dss(2));
    mem.observed_events.clear();
    auto r = tx(4, 0x4000'0000, false, false, false, 9);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_SUBSTREAMID);
    ASSERT_EQ(mem.observed_events.size(), 1u);
    const smmu_event_t &e = mem.observed_events[0];
    EXPECT_EQ(e.ssid, 9u);
    EXPECT_EQ(e.s2, 0);
    EXPECT_EQ(e.cls, 0);
    EXPECT_EQ(e.ipa, 0u);
    EXPECT_EQ(e.fetch_addr, 0u);
    EXPECT_EQ(e.reason, 0u);
}

// D8.6.1: a page with the contiguous hint is cached as the whole
// contiguous range (16 x 4KB): the response reports the 64KB range.
TEST_F(Xlate, ContiguousHintCachedAsWholeRange_D8_6_1)
{
    S1Attrs a = el0_rw();
    a.contig = 1;
    for (uint64_t i = 0; i < 16; i++)
        ASSERT_TRUE(s1pt.map_s1(0x4001'0000 + i * 0x1000, 0x9001'0000 + i * 0x1000, 3, a));
    attach_s1(4, cd_for(s1pt));
    auto r = tx(4, 0x4001'5123);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x9001'5123u);
    EXPECT_EQ(r.page_size, 0x1'0000u);
    EXPECT_EQ(r.page_base, 0x4001'0000u);
}

// Config cache: an STE changed in memory is not seen until CFGI_STE (4.3.1).
TEST_F(Xlate, SteChangeNeedsCfgiSte_4_3_1)
{
    install(6, Ste().bypass());
    EXPECT_EQ(tx(6, 0x1000).outcome, SMMU_XLATE_OK);
    write_ste(6, Ste().abort().build());
    EXPECT_EQ(tx(6, 0x1000).outcome, SMMU_XLATE_OK) << "cached STE still used";
    submit({cmd_cfgi_ste(6), cmd_sync()});
    EXPECT_EQ(tx(6, 0x1000).outcome, SMMU_XLATE_ABORT);
}

// 7.3.2: ATS traffic on an SMMU without ATS is an unsupported transaction.
TEST_F(Xlate, AtsTranslatedWithoutAts_FUut_7_3_2)
{
    install(2, Ste().bypass());
    smmu_request_t rq{};
    rq.sid = 2;
    rq.addr = 0x1000;
    rq.size = 8;
    rq.ats = SMMU_ATS_TRANSLATED;
    smmu_response_t rs{};
    ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
    EXPECT_EQ(rs.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(rs.event, SMMU_EVT_F_UUT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0], uint32_t(SMMU_EVT_F_UUT));
}

// ---- Stage 2 and nesting ------------------------------------------------

TEST_F(Xlate, Stage2Only_TranslatesIpa_3_3)
{
    ASSERT_TRUE(s2pt.map_s2(0x1234'5000, 0x6666'7000, 3));
    install(7, s2_ste());
    auto r = tx(7, 0x1234'5678);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, 0x6666'7678u);
}

// 7.3.13: stage-2 fault on the transaction's IPA: S2 = 1, CLASS = IN,
// IPA[55:12] with bits [11:0] zero.
TEST_F(Xlate, Stage2Fault_S2_ClassIn_IpaLowBitsZero_7_3_13)
{
    install(7, s2_ste());
    auto r = tx(7, 0x1234'5678);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_TRANSLATION;
    w.sid = 7;
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x1234'5678;
    w.ipa = 0x1234'5000;
    expect_one_record(w);
}

// 5.5: STE.S2R = 0 suppresses stage-2 fault records; stage 2 always aborts.
TEST_F(Xlate, Stage2FaultNotRecordedWithoutS2R_5_5)
{
    install(7, s2_ste().s2r(false));
    auto r = tx(7, 0x1234'5678);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    expect_no_record();
}

// D8.4.2: stage-2 write permission (S2AP[1]).
TEST_F(Xlate, Stage2ReadOnly_WriteFaultsAtStage2_D8_4)
{
    S2Attrs a;
    a.s2ap = 1; // read only
    ASSERT_TRUE(s2pt.map_s2(0x1234'5000, 0x6666'7000, 3, a));
    install(7, s2_ste());
    EXPECT_EQ(tx(7, 0x1234'5000).outcome, SMMU_XLATE_OK);
    tx(7, 0x1234'5010, true);
    Rec w;
    w.type = SMMU_EVT_F_PERMISSION;
    w.sid = 7;
    w.s2 = true;
    w.rnw = false;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x1234'5010;
    w.ipa = 0x1234'5000;
    expect_one_record(w);
}

class Nested : public Xlate {
  protected:
    // Identity-map (IPA == PA) the stage-1 tables and the CD page through
    // stage 2, plus the data IPA range.
    void map_s1_tables()
    {
        for (uint64_t a = kS1Tables; a < s1pt.alloc_next(); a += 0x1000) {
            ASSERT_TRUE(s2pt.map_s2(a, a, 3));
        }
    }
    void attach(uint32_t sid, const Cd &cd)
    {
        put_cd(cd_addr(sid), cd.build());
        ASSERT_TRUE(s2pt.map_s2(cd_addr(sid) & ~0xFFFull, cd_addr(sid) & ~0xFFFull, 3));
        install(sid, s2_ste().nested().ctx(cd_addr(sid)));
    }
};

TEST_F(Nested, TranslatesThroughBothStages_3_3)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, el0_rw())); // VA -> IPA
    ASSERT_TRUE(s2pt.map_s2(0x1000'0000, 0x2222'0000, 3));            // IPA -> PA
    map_s1_tables();
    attach(8, cd_for(s1pt));
    auto r = tx(8, 0x4000'0123);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, 0x2222'0123u);
}

// 7.3.13 pitfall: a stage-2 fault while walking the stage-1 tables is
// S2 = 1, CLASS = TT, IPA = the stage-1 descriptor's IPA; RnW is that of the
// input transaction.
TEST_F(Nested, Stage2FaultOnStage1Walk_ClassTT_7_3_13)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, el0_rw()));
    ASSERT_TRUE(s2pt.map_s2(0x1000'0000, 0x2222'0000, 3));
    // Map all stage-1 tables except the level-3 one.
    uint64_t l3_table = s1pt.table_addr(3, 0x4000'0000) & ~0xFFFull;
    for (uint64_t a = kS1Tables; a < s1pt.alloc_next(); a += 0x1000) {
        if (a != l3_table) {
            ASSERT_TRUE(s2pt.map_s2(a, a, 3));
        }
    }
    attach(8, cd_for(s1pt));
    auto r = tx(8, 0x4000'0123, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_TRANSLATION;
    w.sid = 8;
    w.s2 = true;
    w.rnw = false;
    w.cls = SMMU_CLASS_TT;
    w.input = 0x4000'0123;
    w.ipa = l3_table;
    expect_one_record(w);
}

// 7.3.13: a stage-2 fault fetching the CD: S2 = 1, CLASS = CD, IPA = CD.
TEST_F(Nested, Stage2FaultOnCdFetch_ClassCD_7_3_13)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, el0_rw()));
    map_s1_tables();
    put_cd(cd_addr(8), cd_for(s1pt).build());
    install(8, s2_ste().nested().ctx(cd_addr(8))); // CD page not mapped at stage 2
    auto r = tx(8, 0x4000'0123);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_TRANSLATION;
    w.sid = 8;
    w.s2 = true;
    w.cls = SMMU_CLASS_CD;
    w.input = 0x4000'0123;
    w.ipa = cd_addr(8);
    expect_one_record(w);
}

// 7.3.16: a stage-2 permission fault on the final IPA: CLASS = IN, S2 = 1.
TEST_F(Nested, Stage2PermissionOnOutput_ClassIn_7_3_16)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, el0_rw()));
    S2Attrs ro;
    ro.s2ap = 1;
    ASSERT_TRUE(s2pt.map_s2(0x1000'0000, 0x2222'0000, 3, ro));
    map_s1_tables();
    attach(8, cd_for(s1pt));
    EXPECT_EQ(tx(8, 0x4000'0040).outcome, SMMU_XLATE_OK);
    auto r = tx(8, 0x4000'0040, true); // TLB hit path
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_PERMISSION;
    w.sid = 8;
    w.s2 = true;
    w.rnw = false;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x4000'0040;
    w.ipa = 0x1000'0000;
    expect_one_record(w);
}

// 3.17.1: a global TLB entry matches lookups of any ASID but only from
// the same ASID set (CD.ASET).
TEST_F(Xlate, GlobalEntryMatchesOnlySameAset_3_17_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw())); // nG = 0: global
    attach_s1(4, cd_for(s1pt).asid(1));
    EXPECT_EQ(tx(4, 0x4000'0000).pa, 0x8000'0000u); // cached as global, ASET 0
    ASSERT_TRUE(s1pt.set_desc(3, 0x4000'0000, s1pt.encode_addr(0x9000'0000) | el0_rw().bits() | 3));
    attach_s1(5, cd_for(s1pt).asid(2));
    EXPECT_EQ(tx(5, 0x4000'0000).pa, 0x8000'0000u) << "global: any ASID, same ASET";
    attach_s1(6, cd_for(s1pt).asid(3).aset());
    EXPECT_EQ(tx(6, 0x4000'0000).pa, 0x9000'0000u) << "ASET 1 must not hit the ASET 0 entry";
}

Cmd tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va, bool leaf);

// smmu_mem_ops_t.on_invalidate: every CFGI/TLBI tells the embedder the
// range it touched (for DMI).
std::vector<smmu_inval_notice_t> g_notices;
void note_inval(void *, const smmu_inval_notice_t *n) { g_notices.push_back(*n); }

TEST_F(Xlate, InvalidationsNotifyTheEmbedder_Roadmap_DMI)
{
    smmu_mem_ops_t ops = *mem.ops();
    ops.on_invalidate = note_inval;
    char msg[128];
    smmu_t *s2 = smmu_create(&cfg, &ops, mem.ctx(), msg, sizeof msg);
    ASSERT_NE(s2, nullptr) << msg;
    std::swap(smmu, s2);
    boot();
    g_notices.clear();
    submit({cmd_cfgi_ste(9), tlbi_nh_va(0, 1, 0x4000'5000, true), cmd_tlbi_nh_all(), cmd_sync()});
    ASSERT_EQ(g_notices.size(), 3u);
    EXPECT_EQ(g_notices[0].kind, SMMU_INVAL_CFG);
    EXPECT_EQ(g_notices[0].lo, 9u);
    EXPECT_EQ(g_notices[0].hi, 9u);
    EXPECT_EQ(g_notices[1].kind, SMMU_INVAL_TLB_VA);
    EXPECT_EQ(g_notices[1].lo, 0x4000'5000u);
    EXPECT_EQ(g_notices[1].hi, 0x4000'5FFFu);
    EXPECT_EQ(g_notices[2].lo, 0u);
    EXPECT_EQ(g_notices[2].hi, UINT64_MAX);
    std::swap(smmu, s2);
    smmu_destroy(s2);
}

// smmu_set_direct_memory: reads inside the window come from the host array
// (no ops.read), with the same results; reads outside still use ops.read.
TEST_F(Xlate, DirectMemoryWindowServesTableReads_API)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8765'4000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    // A host copy of the stage-1 table area, slightly different from SimMem:
    // the level-3 descriptor points elsewhere, so the source is visible.
    std::vector<uint8_t> host(0x10'0000);
    mem.read(kS1Tables, host.data(), host.size());
    uint64_t l3 = s1pt.table_addr(3, 0x4000'0000) - kS1Tables;
    uint64_t d = s1pt.encode_addr(0x9999'9000) | el0_rw().bits() | 3;
    memcpy(&host[l3], &d, 8); // little-endian host
    ASSERT_EQ(smmu_set_direct_memory(smmu, kS1Tables, host.data(), host.size()), SMMU_OK);
    mem.log.clear();
    mem.log_enabled = true;
    auto r = tx(4, 0x4000'0abc);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x9999'9abcu);
    for (const auto &a : mem.log)
        EXPECT_NE(a.kind, SMMU_ACC_TT) << "table read at 0x" << std::hex << a.pa;
    EXPECT_EQ(smmu_set_direct_memory(smmu, 0, nullptr, 0), SMMU_OK);
    EXPECT_EQ(smmu_set_direct_memory(smmu, 0, nullptr, 16), SMMU_ERR_INVAL);
}

// ---- Walk cache (intermediate entries) --------------------------------

// CMD_TLBI_NH_VA (4.4.2.4) with the Leaf flag.
Cmd tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va, bool leaf)
{
    return {SMMU_CMD_TLBI_NH_VA | uint64_t(asid) << 48 | uint64_t(vmid) << 32,
            (va & ~0xFFFull) | (leaf ? 1u : 0u)};
}

class WalkCache : public Xlate, public ::testing::WithParamInterface<bool> {
    void configure(smmu_config_t &c) override
    {
        if (!GetParam())
            c.walk_cache_sets = 0;
    }
};

// 4.4.2.4: Leaf = 1 need only remove last-level entries; the cached
// level-2 table descriptor survives, so re-pointing it without a Leaf = 0
// invalidation leaves the old level-3 table in use. With the walk cache off
// the new table is used at once (caching is permitted, not required).
TEST_P(WalkCache, LeafInvalidationKeepsTableEntries_4_4_2_4)
{
    const uint64_t va = 0x4000'0000;
    ASSERT_TRUE(s1pt.map_s1(va, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, va).pa, 0x8000'0000u);
    // A second level-3 table mapping va elsewhere; re-point level 2 at it.
    PtBuilder other(mem, 1, 12, 48, 48, 0x0300'0000);
    ASSERT_TRUE(other.map_s1(va, 0x9000'0000, 3, el0_rw()));
    uint64_t new_l3 = other.table_addr(3, va) & ~0xFFFull;
    ASSERT_TRUE(s1pt.set_desc(2, va, s1pt.table_desc(new_l3)));
    submit({tlbi_nh_va(0, 1, va, true), cmd_sync()});
    EXPECT_EQ(tx(4, va).pa, GetParam() ? 0x8000'0000u : 0x9000'0000u);
    submit({tlbi_nh_va(0, 1, va, false), cmd_sync()});
    EXPECT_EQ(tx(4, va).pa, 0x9000'0000u);
}

// With the walk cache a cold walk reads only the leaf descriptor.
TEST_P(WalkCache, NeighbourPageWalkReadsOnlyTheLeaf_3_17)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8000'5000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(tx(4, 0x4000'0000).pa, 0x8000'0000u);
    smmu_stats_t a, b;
    smmu_get_stats(smmu, &a);
    EXPECT_EQ(tx(4, 0x4000'1008).pa, 0x8000'5008u);
    smmu_get_stats(smmu, &b);
    EXPECT_EQ(b.tt_reads - a.tt_reads, GetParam() ? 1u : 4u);
}

INSTANTIATE_TEST_SUITE_P(Caches, WalkCache, ::testing::Bool(),
                         [](const ::testing::TestParamInfo<bool> &i) {
                             return i.param ? "On" : "Off";
                         });

// ---- Hardware update of the Access flag and dirty state (3.13) -----------

class Httu : public Nested {
    void configure(smmu_config_t &c) override { c.httu = 2; }
};

// 3.13.2: with CD.HA the SMMU sets AF in the descriptor (atomically, via
// cas64) instead of raising F_ACCESS.
TEST_F(Httu, Stage1HaSetsAccessFlag_3_13_2)
{
    S1Attrs a = el0_rw();
    a.af = 0;
    a.ng = 1; // not global: the second context (ASID 2) must walk
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    uint64_t at = s1pt.table_addr(3, 0x4000'0000);
    uint64_t before = mem.read64(at);
    attach_s1(4, cd_for(s1pt).ha());
    EXPECT_EQ(tx(4, 0x4000'0010).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(mem.read64(at), before | SMMU_BIT(10));
    expect_no_record();
    before = mem.read64(at);
    // Without HA: F_ACCESS, descriptor untouched. (A different ASID: the
    // TLB entry of ASID 1 is a valid translation for any CD with ASID 1.)
    before &= ~SMMU_BIT(10);
    mem.write64(at, before);
    attach_s1(5, cd_for(s1pt).asid(2));
    EXPECT_EQ(tx(5, 0x4000'0010).event, SMMU_EVT_F_ACCESS);
    EXPECT_EQ(mem.read64(at), before);
}

// 3.13.3.1: a write to a writable-clean page (DBM = 1, AP[2] = 1) with
// CD.HD clears AP[2]; the SMMU never sets AP[2] or changes DBM; a read does
// not mark the page dirty; DBM = 0 read-only pages still fault.
TEST_F(Httu, Stage1HdMarksWritableCleanDirty_3_13_3)
{
    S1Attrs clean = el0_ro();
    clean.dbm = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, clean));
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, el0_ro()));
    uint64_t at = s1pt.table_addr(3, 0x4000'0000);
    uint64_t before = mem.read64(at);
    attach_s1(4, cd_for(s1pt).ha().hd());
    EXPECT_EQ(tx(4, 0x4000'0000).outcome, SMMU_XLATE_OK); // read: stays clean (cached)
    EXPECT_EQ(mem.read64(at), before);
    auto r = tx(4, 0x4000'0008, true); // write: TLB holds it read-only -> walk, dirty
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK) << int(r.event);
    EXPECT_EQ(r.pa, 0x8000'0008u);
    EXPECT_EQ(mem.read64(at), before & ~SMMU_BIT(7)) << "AP[2] cleared, DBM kept";
    EXPECT_EQ(tx(4, 0x4000'1000, true).event, SMMU_EVT_F_PERMISSION) << "DBM = 0";
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
}

// 3.13.3.1 at stage 2: S2AP[1] set on a write to a writable-clean page.
TEST_F(Httu, Stage2HdSetsS2ApWrite_3_13_3)
{
    S2Attrs clean;
    clean.s2ap = 1;
    clean.dbm = 1;
    ASSERT_TRUE(s2pt.map_s2(0x1234'5000, 0x6666'7000, 3, clean));
    uint64_t at = s2pt.table_addr(3, 0x1234'5000);
    uint64_t before = mem.read64(at);
    install(7, s2_ste().s2ha().s2hd());
    EXPECT_EQ(tx(7, 0x1234'5000).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(tx(7, 0x1234'5010, true).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(mem.read64(at), before | SMMU_BIT(7));
}

// 3.13.5: in a nested walk a stage-1 descriptor update is a write through
// stage 2; without stage-2 write permission it is a stage-2 F_PERMISSION
// with CLASS = TT and TTRnW = 0, IPA = the descriptor's IPA.
TEST_F(Httu, NestedStage1UpdateNeedsStage2Write_ClassTT_TTRnW0_3_13_5)
{
    S1Attrs a = el0_rw();
    a.af = 0;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x1000'0000, 3, a));
    ASSERT_TRUE(s2pt.map_s2(0x1000'0000, 0x2222'0000, 3));
    S2Attrs ro;
    ro.s2ap = 1;
    uint64_t l3_table = s1pt.table_addr(3, 0x4000'0000) & ~0xFFFull;
    for (uint64_t p = kS1Tables; p < s1pt.alloc_next(); p += 0x1000) {
        ASSERT_TRUE(s2pt.map_s2(p, p, 3, p == l3_table ? ro : S2Attrs()));
    }
    put_cd(cd_addr(8), cd_for(s1pt).ha().build());
    ASSERT_TRUE(s2pt.map_s2(cd_addr(8) & ~0xFFFull, cd_addr(8) & ~0xFFFull, 3));
    install(8, s2_ste().nested().ctx(cd_addr(8)));
    auto r = tx(8, 0x4000'0010);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w;
    w.type = SMMU_EVT_F_PERMISSION;
    w.sid = 8;
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ttrnw = false;
    w.input = 0x4000'0010;
    w.ipa = l3_table;
    expect_one_record(w);
}

} // namespace
} // namespace smmutest

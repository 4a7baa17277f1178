// SPDX-License-Identifier: Apache-2.0
// PCIe ATS end to end (ats.c): Translation Requests (3.9.1.2, 13.6, 13.7.1),
// Translated transactions (3.9.1.1, 3.9.1.3) and CMD_ATC_INV to an endpoint
// ATC (4.5.1, 3.9.1.4, 3.9.1.5; tools/endpoint/atc.h). Each test is a
// driver sequence and the exact device outcome.
#include "support/xlate_fixture.h"

extern "C" {
#include "endpoint/atc.h"
}

namespace smmutest {
namespace {

smmu_ep_t *g_ep; // the running test's endpoint (ops.on_atc_inv has the SimMem ctx)

int on_inv(void *, const smmu_atc_inv_t *inv) { return smmu_ep_invalidate(g_ep, inv); }

S1Attrs s1(unsigned ap, bool dbm = false)
{
    S1Attrs a;
    a.ap = (uint8_t)ap;
    a.dbm = dbm;
    return a;
}

// CMD_ATC_INV (4.5.1): G [9], SSV [11], SubstreamID [31:12], StreamID
// [63:32]; Size [5:0], Address [63:12].
Cmd cmd_atc_inv(uint32_t sid, uint64_t addr, unsigned size, int ssid = -1, bool global = false)
{
    uint64_t w0 = SMMU_CMD_ATC_INV | (global ? 1ull << 9 : 0) | uint64_t(sid) << 32;
    if (ssid >= 0)
        w0 |= 1ull << 11 | uint64_t(ssid) << 12;
    return {w0, (addr & SMMU_MASK(63, 12)) | size};
}

class Ats : public Xlate {
  protected:
    smmu_ep_t ep;
    smmu_mem_ops_t ops{};
    bool gran4k = true;
    unsigned ssidsize = 20;

    void configure(smmu_config_t &c) override
    {
        c.ats = 1;
        c.atsrecerr = 1;
        c.attr_perms_ovr = 1;
        c.httu = 2;
        c.stall_model = 0; // CD.S allowed: ATS requests must still never stall
        c.stall_max = 4;
        c.gran4k = gran4k;
        c.ssidsize = (uint8_t)ssidsize;
    }
    void SetUp() override
    {
        SmmuTest::SetUp();
        smmu_ep_init(&ep);
        g_ep = &ep;
        ops = *mem.ops();
        ops.on_atc_inv = on_inv;
        smmu_destroy(smmu);
        char msg[256] = "";
        smmu = smmu_create(&cfg, &ops, mem.ctx(), msg, sizeof msg);
        ASSERT_NE(smmu, nullptr) << msg;
        boot();
    }
    void set_cr0_bits(uint32_t bits, bool on)
    {
        uint32_t cr0 = uint32_t(rd(SMMU_CR0));
        cr0 = on ? cr0 | bits : cr0 & ~bits;
        wr(SMMU_CR0, cr0);
        ASSERT_EQ(rd(SMMU_CR0ACK), cr0);
    }
    // CR2 is written with SMMUEN == 0 (6.3.12).
    void set_cr2(uint32_t v)
    {
        set_cr0_bits(SMMU_CR0_SMMUEN, false);
        wr(SMMU_CR2, v);
        set_cr0_bits(SMMU_CR0_SMMUEN, true);
        ASSERT_EQ(rd(SMMU_CR2), v);
    }
    smmu_response_t req(uint8_t kind, uint32_t sid, uint64_t addr, bool write, int ssid, bool priv,
                        bool exe, bool secure)
    {
        smmu_request_t rq{};
        rq.sid = sid;
        rq.addr = addr;
        rq.size = 4;
        rq.write = write;
        rq.priv = priv;
        rq.instr = exe;
        rq.secure = secure;
        rq.pcie = 1;
        rq.ats = kind;
        if (ssid >= 0) {
            rq.ssv = 1;
            rq.ssid = uint32_t(ssid);
        }
        smmu_response_t rs{};
        EXPECT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
        if (kind == SMMU_ATS_TRANSLATION_REQ)
            smmu_ep_fill(&ep, &rq, &rs);
        return rs;
    }
    // A Translation Request; write = !NW.
    smmu_response_t tr(uint32_t sid, uint64_t addr, bool write = false, int ssid = -1,
                       bool priv = false, bool exe = false, bool secure = false)
    {
        return req(SMMU_ATS_TRANSLATION_REQ, sid, addr, write, ssid, priv, exe, secure);
    }
    smmu_response_t translated(uint32_t sid, uint64_t addr, bool write = false,
                               bool secure = false)
    {
        return req(SMMU_ATS_TRANSLATED, sid, addr, write, -1, false, false, secure);
    }
    // Stream 4: stage 1 with Full ATS, 0x4000'0000 -> 0x8000'0000 (4KB
    // page) with AP ap.
    void ats_stream(unsigned ap = 1, uint32_t sid = 4, unsigned eats = 1)
    {
        ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(ap)));
        put_cd(cd_addr(sid), cd_for(s1pt).s().ha().hd().build());
        install(sid, Ste().s1().ctx(cd_addr(sid)).eats(eats));
    }
    // Stream sid with 4 CDs (PASIDs 0-3), each on the same tables.
    void pasid_stream(uint32_t sid, unsigned s1dss = 0)
    {
        for (uint32_t p = 0; p < 4; p++)
            put_cd(cd_addr(sid, p), cd_for(s1pt).build());
        install(sid, Ste().s1().ctx(cd_addr(sid)).cdmax(2).s1dss(s1dss).eats(1));
    }
    // Nested stream: stage 1 VA 0x4000'0000 -> IPA 0x5000'0000, stage 2
    // IPA 0x5000'0000 -> PA 0x9000'0000; stage-1 tables and the CD are at
    // IPA == PA (identity-mapped at stage 2).
    void nested_stream(uint32_t sid, unsigned eats)
    {
        ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x5000'0000, 3, s1(1)));
        ASSERT_TRUE(s2pt.map_s2(0x5000'0000, 0x9000'0000, 3));
        ASSERT_TRUE(s2pt.map_s2(0, 0, 1)); // 1GB identity: CDs and stage-1 tables
        put_cd(cd_addr(sid), cd_for(s1pt).build());
        install(sid, s2_ste().config(7).ctx(cd_addr(sid)).eats(eats));
    }
    Rec rec(uint8_t type, uint32_t sid)
    {
        Rec w;
        w.type = type;
        w.sid = sid;
        w.rnw = false;
        return w;
    }
    void expect_success(const smmu_response_t &r, uint64_t pa, unsigned perms, uint64_t size,
                        unsigned flags = 0)
    {
        EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
        EXPECT_EQ(r.ats_status, SMMU_ATS_SUCCESS);
        EXPECT_EQ(r.perms, perms);
        EXPECT_EQ(r.pa, pa);
        EXPECT_EQ(r.page_size, size);
        EXPECT_EQ(r.ats_flags, flags);
        EXPECT_EQ(r.event, 0);
    }
    void expect_status(const smmu_response_t &r, unsigned status, unsigned event, bool recorded)
    {
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        EXPECT_EQ(r.ats_status, status);
        EXPECT_EQ(r.event, event);
        EXPECT_EQ(r.recorded, recorded);
    }
};

// ---- Translation Requests (3.9.1.2) ---------------------------------------

// 3.9.1, 3.9.1.2: a valid translation with permission: Success, the PA of
// the requested address, the page's span; U = N = Priv = Global = 0. A
// writable page grants W for NW == 1 too (13.7 table: permitted).
TEST_F(Ats, ValidTranslation_SuccessWithPaAndSpan_3_9_1_2)
{
    ats_stream();
    auto r = tr(4, 0x4000'0123);
    expect_success(r, 0x8000'0123, SMMU_PERM_R | SMMU_PERM_W, 0x1000);
    EXPECT_EQ(r.page_base, 0x4000'0000u);
    EXPECT_EQ(r.cls, SMMU_CLS_TRANSLATED);
    expect_no_record();
}

// 12.3: in Service Failure Mode a Translation Request gets Completer Abort,
// without an event (cause SFM), although the stream translates normally.
TEST_F(Ats, ServiceFailureMode_CaNoEvent_12_3)
{
    ats_stream();
    ASSERT_EQ(smmu_inject_sfm(smmu), SMMU_OK);
    auto r = tr(4, 0x4000'0123);
    expect_status(r, SMMU_ATS_CA, 0, false);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.cause, SMMU_CAUSE_SFM);
    expect_no_record();
}

// 3.9.1.2 table: SMMUEN == 0 -> UR and F_BAD_ATS_TREQ (7.3.6, recorded).
TEST_F(Ats, SmmuenZero_UrAndBadAtsTreqRecorded_3_9_1_2_7_3_6)
{
    ats_stream();
    set_cr0_bits(SMMU_CR0_SMMUEN, false);
    auto r = tr(4, 0x4000'0000);
    expect_status(r, SMMU_ATS_UR, SMMU_EVT_F_BAD_ATS_TREQ, true);
    expect_one_record(rec(SMMU_EVT_F_BAD_ATS_TREQ, 4));
}

// 3.9.1: a Secure ATS Translation Request: UR and F_BAD_ATS_TREQ for the
// Secure Event queue, which this model does not have: raised, not recorded.
TEST_F(Ats, SecureStream_UrBadAtsTreqForSecureQueue_3_9_1)
{
    ats_stream();
    auto r = tr(4, 0x4000'0000, false, -1, false, false, true);
    expect_status(r, SMMU_ATS_UR, SMMU_EVT_F_BAD_ATS_TREQ, false);
    EXPECT_EQ(r.cause, SMMU_CAUSE_SECURE);
    expect_no_record();
}

// 3.9.1.2 table: STE.Config == 0b000 -> UR without an event.
TEST_F(Ats, Config000_UrWithoutEvent_3_9_1_2)
{
    install(4, Ste().abort().eats(1));
    auto r = tr(4, 0x4000'0000);
    expect_status(r, SMMU_ATS_UR, 0, false);
    EXPECT_EQ(r.cls, SMMU_CLS_ABORT);
    expect_no_record();
}

// 3.9.1.2 table: STE.Config == 0b100 -> UR and F_BAD_ATS_TREQ, whatever EATS.
TEST_F(Ats, Config100Bypass_UrAndBadAtsTreq_3_9_1_2)
{
    install(4, Ste().bypass().eats(1));
    expect_status(tr(4, 0x4000'0000), SMMU_ATS_UR, SMMU_EVT_F_BAD_ATS_TREQ, true);
    expect_one_record(rec(SMMU_EVT_F_BAD_ATS_TREQ, 4));
}

// 3.9.1.2 table: effective EATS == 0b00 -> UR and F_BAD_ATS_TREQ; the
// record carries the PASID of the request (7.3.6).
TEST_F(Ats, Eats00_UrAndBadAtsTreqWithPasid_3_9_1_2_7_3_6)
{
    ats_stream(1, 4, 0);
    expect_status(tr(4, 0x4000'0000, true, 3), SMMU_ATS_UR, SMMU_EVT_F_BAD_ATS_TREQ, true);
    Rec w = rec(SMMU_EVT_F_BAD_ATS_TREQ, 4);
    w.ssv = true;
    w.ssid = 3;
    expect_one_record(w);
}

// 3.9.1.2 table note, 3.9.2: EATS == 0b10 with ATSCHK == 0 is effectively
// 0b00: UR and F_BAD_ATS_TREQ.
TEST_F(Ats, Eats10WithAtschk0_EffectiveEats00_Ur_3_9_1_2)
{
    nested_stream(6, 2);
    expect_status(tr(6, 0x4000'0000), SMMU_ATS_UR, SMMU_EVT_F_BAD_ATS_TREQ, true);
    expect_one_record(rec(SMMU_EVT_F_BAD_ATS_TREQ, 6));
}

// 3.9.1.2 second table: F_TRANSLATION -> Success with R == W == 0, the
// span is the STU (smallest IDR5 granule: 4KB), no event; CD.S == 1 does
// not make it stall (ATS requests never stall).
TEST_F(Ats, TranslationFault_SuccessNoAccessStuNoEventNoStall_3_9_1_2)
{
    ats_stream();
    auto r = tr(4, 0x4123'4567, true);
    expect_success(r, 0, 0, 0x1000);
    EXPECT_EQ(r.page_base, 0x4123'4000u);
    expect_no_record();
    smmu_completion_t c[4];
    unsigned n = 9;
    ASSERT_EQ(smmu_take_completions(smmu, c, 4, &n), SMMU_OK);
    EXPECT_EQ(n, 0u);
}

// 3.9.1: STU is the smallest granule the SMMU implements: 16KB without
// 4KB granule support.
TEST_F(Ats, StuIsSmallestImplementedGranule_3_9_1)
{
    gran4k = false;
    SetUp();
    put_cd(cd_addr(4), Cd().t0sz(16).tg0_16k().ttb0(kS1Tables).ips(5).asid(1).build());
    install(4, Ste().s1().ctx(cd_addr(4)).eats(1));
    expect_success(tr(4, 0x4000'0000), 0, 0, 0x4000);
}

// 13.7.1 table row 3: NW == 0 on a User-RO page: Success with R only.
TEST_F(Ats, WriteRequestOnReadOnlyPage_GrantsReadOnly_13_7_1)
{
    ats_stream(3);
    expect_success(tr(4, 0x4000'0010, true), 0x8000'0010, SMMU_PERM_R, 0x1000);
    expect_no_record();
}

// 13.7.1: a request without a PASID is Unprivileged: a Priv-only page
// grants nothing (Success, R == W == 0, STU).
TEST_F(Ats, UnprivilegedRequestOnPrivOnlyPage_NoAccess_13_7_1)
{
    ats_stream(0);
    expect_success(tr(4, 0x4000'0000, false, -1, true /* ignored without PASID */), 0, 0, 0x1000);
}

// 13.7.1: with a PASID, Priv and Exe count: Priv-RW page, Priv request
// with Exe: R, W, X granted and the completion's Priv == 1. The same page
// for Priv == 0 with Exe ("User-X, Priv-RW": execute-only for EL0) gives
// R == W == X == 0 (13.7.1 table, last example row but one).
TEST_F(Ats, PasidPrivAndExe_GrantedAndExecuteOnlyNothing_13_7_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(0)));
    pasid_stream(5);
    expect_success(tr(5, 0x4000'0008, true, 2, true, true), 0x8000'0008,
                   SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X, 0x1000, SMMU_ATS_FLAG_PRIV);
    expect_success(tr(5, 0x4000'0008, true, 2, false, true), 0, 0, 0x1000);
}

// 13.7.1: STE.INSTCFG = Instruction: reads are instruction fetches, so an
// execute-only page (EL0 X only) grants R and Exe (and no W).
TEST_F(Ats, InstcfgInstruction_ExecuteOnlyGrantsReadAndExe_13_7_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(0)));
    for (uint32_t p = 0; p < 4; p++)
        put_cd(cd_addr(5, p), cd_for(s1pt).build());
    install(5, Ste().s1().ctx(cd_addr(5)).cdmax(2).eats(1).instcfg(3));
    expect_success(tr(5, 0x4000'0000, false, 1, false, true), 0x8000'0000,
                   SMMU_PERM_R | SMMU_PERM_X, 0x1000);
}

// 3.9.1.2 second table: F_WALK_EABT -> CA, recorded only with REC_CFG_ATS
// (7.3.12: FetchAddr of the aborted descriptor read, CLASS = TT).
TEST_F(Ats, WalkExternalAbort_CaRecordedWithRecCfgAts_3_9_1_2)
{
    ats_stream();
    submit({cmd_tlbi_nsnh_all(), cmd_sync()});
    mem.add_abort(kS1Tables, 0x10'0000);
    auto r = tr(4, 0x4000'0000);
    expect_status(r, SMMU_ATS_CA, SMMU_EVT_F_WALK_EABT, false);
    expect_no_record();
    set_cr2(SMMU_CR2_REC_CFG_ATS);
    r = tr(4, 0x4000'0000);
    expect_status(r, SMMU_ATS_CA, SMMU_EVT_F_WALK_EABT, true);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][0] & 0xFFu, SMMU_EVT_F_WALK_EABT);
    EXPECT_EQ(ev[0][1], 4u);
}

// 13.7.1: STE.PRIVCFG = Privileged checks as privileged, but the
// completion's Priv is the request's (0).
TEST_F(Ats, PrivcfgOverride_PermsOfPrivilegedPrivFlagOfRequest_13_7_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(0)));
    put_cd(cd_addr(4), cd_for(s1pt).build());
    install(4, Ste().s1().ctx(cd_addr(4)).eats(1).privcfg(3));
    expect_success(tr(4, 0x4000'0000), 0x8000'0000, SMMU_PERM_R | SMMU_PERM_W, 0x1000, 0);
}

// 3.9.1.2, 13.6.4: S1DSS == 0b01 skipping the only stage (Config 0b101):
// Success, U == 0, R == W == 1, identity.
TEST_F(Ats, S1dssSkipStage1Only_IdentityReadWrite_13_6_4)
{
    pasid_stream(5, 1);
    auto r = tr(5, 0x1234'5678);
    expect_success(r, 0x1234'5678, SMMU_PERM_R | SMMU_PERM_W, 0x1000);
    EXPECT_EQ(r.cls, SMMU_CLS_BYPASS);
    EXPECT_EQ(r.cause, SMMU_CAUSE_S1DSS);
}

// 13.6.3: Split-stage ATS (EATS == 0b10, ATSCHK == 1): the completion
// holds the IPA (stage-1 output); permissions from both stages.
TEST_F(Ats, SplitStageEats10_ReturnsIpa_13_6_3)
{
    set_cr0_bits(SMMU_CR0_ATSCHK, true);
    nested_stream(6, 2);
    expect_success(tr(6, 0x4000'0044), 0x5000'0044, SMMU_PERM_R | SMMU_PERM_W, 0x1000);
}

// 3.9.1: Full ATS on a nested stream returns the PA of both stages.
TEST_F(Ats, NestedFullAts_ReturnsPa_3_9_1)
{
    nested_stream(6, 1);
    expect_success(tr(6, 0x4000'0044), 0x9000'0044, SMMU_PERM_R | SMMU_PERM_W, 0x1000);
}

// 3.9.1.2 second table: F_TRANSLATION at stage 2 (of the IPA) -> Success,
// R == W == 0, no event even with STE.S2R == 1.
TEST_F(Ats, Stage2TranslationFault_SuccessNoAccess_3_9_1_2)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x6000'0000, 3, s1(1))); // IPA unmapped at stage 2
    ASSERT_TRUE(s2pt.map_s2(0, 0, 1));
    put_cd(cd_addr(6), cd_for(s1pt).build());
    install(6, s2_ste().config(7).ctx(cd_addr(6)).eats(1));
    expect_success(tr(6, 0x4000'0000), 0, 0, 0x1000);
    expect_no_record();
}

// 3.9.1.2 second table: C_BAD_STE -> CA, recorded only with
// CR2.REC_CFG_ATS == 1 (RnW UNKNOWN: the model reports !NW).
TEST_F(Ats, BadSte_CaRecordedOnlyWithRecCfgAts_3_9_1_2)
{
    write_ste(4, Ste().valid(false).build());
    submit({cmd_cfgi_ste(4), cmd_sync()});
    auto r = tr(4, 0x4000'0000);
    expect_status(r, SMMU_ATS_CA, SMMU_EVT_C_BAD_STE, false);
    EXPECT_EQ(r.cause, SMMU_CAUSE_REC_CFG_ATS);
    expect_no_record();
    set_cr2(SMMU_CR2_REC_CFG_ATS | SMMU_CR2_RECINVSID);
    expect_status(tr(4, 0x4000'0000), SMMU_ATS_CA, SMMU_EVT_C_BAD_STE, true);
    Rec w = rec(SMMU_EVT_C_BAD_STE, 4);
    expect_one_record(w);
}

// 3.9.1.2 second table: C_BAD_STREAMID -> CA, recorded only with both
// CR2.REC_CFG_ATS and CR2.RECINVSID.
TEST_F(Ats, BadStreamid_CaNeedsRecCfgAtsAndRecinvsid_3_9_1_2)
{
    set_cr2(SMMU_CR2_REC_CFG_ATS);
    auto r = tr(300, 0x4000'0000); // 256 STEs
    expect_status(r, SMMU_ATS_CA, SMMU_EVT_C_BAD_STREAMID, false);
    EXPECT_EQ(r.cause, SMMU_CAUSE_RECINVSID);
    expect_no_record();
    set_cr2(SMMU_CR2_REC_CFG_ATS | SMMU_CR2_RECINVSID);
    expect_status(tr(300, 0x4000'0000), SMMU_ATS_CA, SMMU_EVT_C_BAD_STREAMID, true);
    expect_one_record(rec(SMMU_EVT_C_BAD_STREAMID, 300));
}

// 3.9.1.2, 3.3.2: a PASID on a stream without stage 1 -> CA
// (C_BAD_SUBSTREAMID is a configuration error).
TEST_F(Ats, PasidWithoutStage1_Ca_3_9_1_2)
{
    ASSERT_TRUE(s2pt.map_s2(0, 0, 1));
    install(7, s2_ste().eats(1));
    expect_status(tr(7, 0x1000, false, 1), SMMU_ATS_CA, SMMU_EVT_C_BAD_SUBSTREAMID, false);
}

// 3.9.1, 13.7.1 (HTTU): NW == 1 on a writable-clean page (DBM) grants R
// and leaves it clean; NW == 0 marks it dirty (AP[2] cleared) and grants W.
TEST_F(Ats, HttuDirtyOnlyForNwZero_13_7_1_3_13_7)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(3, true)));
    put_cd(cd_addr(4), cd_for(s1pt).ha().hd().build());
    install(4, Ste().s1().ctx(cd_addr(4)).eats(1));
    expect_success(tr(4, 0x4000'0000, false), 0x8000'0000, SMMU_PERM_R, 0x1000);
    EXPECT_NE(s1pt.get_desc(3, 0x4000'0000) & SMMU_BIT(7), 0u) << "still clean";
    expect_success(tr(4, 0x4000'0000, true), 0x8000'0000, SMMU_PERM_R | SMMU_PERM_W, 0x1000);
    EXPECT_EQ(s1pt.get_desc(3, 0x4000'0000) & SMMU_BIT(7), 0u) << "dirty";
}

// ---- Translated transactions (3.9.1.3) -------------------------------------

// 3.9.1.3: ATSCHK == 0: Translated traffic passes unchecked (no STE needed).
TEST_F(Ats, TranslatedAtschk0_PassesUnchecked_3_9_1_3)
{
    auto r = translated(200, 0x1234'5000, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x1234'5000u);
    EXPECT_EQ(r.cls, SMMU_CLS_BYPASS);
    EXPECT_EQ(r.cause, SMMU_CAUSE_ATS_TRANSLATED);
    EXPECT_EQ(r.ats_status, SMMU_ATS_NONE);
    expect_no_record();
}

// 3.9.1.3 table: SMMUEN == 0 -> F_TRANSL_FORBIDDEN (7.3.8) and abort.
TEST_F(Ats, TranslatedSmmuenZero_TranslForbidden_3_9_1_3_7_3_8)
{
    set_cr0_bits(SMMU_CR0_SMMUEN, false);
    auto r = translated(4, 0x8000'0040, true);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSL_FORBIDDEN);
    Rec w = rec(SMMU_EVT_F_TRANSL_FORBIDDEN, 4);
    w.input = 0x8000'0040;
    expect_one_record(w);
}

// 3.9.1.3 table with ATSCHK == 1: effective EATS == 0b00 -> F_TRANSL_FORBIDDEN;
// Config 0b000 -> abort without an event; EATS == 0b01 -> passes.
TEST_F(Ats, TranslatedAtschk1_EatsDecides_3_9_1_3)
{
    set_cr0_bits(SMMU_CR0_ATSCHK, true);
    ats_stream(1, 4, 0);
    install(5, Ste().abort());
    install(6, Ste().s1().ctx(cd_addr(4)).eats(1));
    auto r = translated(4, 0x8000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    Rec w = rec(SMMU_EVT_F_TRANSL_FORBIDDEN, 4);
    w.rnw = true;
    w.input = 0x8000'0000;
    expect_one_record(w);
    r = translated(5, 0x8000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    expect_no_record();
    r = translated(6, 0x8000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x8000'0000u);
}

// 13.6.3, 3.9.1.3: EATS == 0b10: the Translated address is an IPA and
// takes the stage-2 translation; a stage-2 fault is recorded as for an
// ordinary transaction.
TEST_F(Ats, TranslatedSplitStage_Stage2Translates_13_6_3)
{
    set_cr0_bits(SMMU_CR0_ATSCHK, true);
    nested_stream(6, 2);
    auto r = translated(6, 0x5000'0abc);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x9000'0abcu);
    EXPECT_EQ(r.cls, SMMU_CLS_TRANSLATED);
    r = translated(6, 0x7000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    Rec w = rec(SMMU_EVT_F_TRANSLATION, 6);
    w.rnw = true;
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.input = 0x7000'0000;
    w.ipa = 0x7000'0000;
    expect_one_record(w);
}

// 3.9.1.1: a Translated address above the OAS aborts without an event
// (the model's IMPLEMENTATION DEFINED choice).
TEST_F(Ats, TranslatedAboveOas_AbortNoEvent_3_9_1_1)
{
    auto r = translated(4, 1ull << 48);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    EXPECT_EQ(r.cause, SMMU_CAUSE_OAS);
}

// 3.9.1.3 second table: with ATSCHK == 1 a configuration error aborts and
// is recorded only with REC_CFG_ATS; C_BAD_STREAMID ignores RECINVSID.
TEST_F(Ats, TranslatedConfigError_RecordedOnlyWithRecCfgAts_3_9_1_3)
{
    set_cr0_bits(SMMU_CR0_ATSCHK, true);
    auto r = translated(300, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STREAMID);
    EXPECT_EQ(r.cause, SMMU_CAUSE_REC_CFG_ATS);
    expect_no_record();
    set_cr2(SMMU_CR2_REC_CFG_ATS); // RECINVSID == 0
    r = translated(300, 0x1000);
    EXPECT_EQ(r.recorded, 1);
    expect_one_record(rec(SMMU_EVT_C_BAD_STREAMID, 300));
}

// ---- CMD_ATC_INV and the endpoint ATC (4.5.1) -------------------------------

class Atc : public Ats {
  protected:
    void fill_two_pages(uint32_t sid = 4)
    {
        ats_stream(1, sid);
        ASSERT_TRUE(s1pt.map_s1(0x4000'4000, 0x8000'4000, 3, s1(1)));
        ASSERT_EQ(tr(sid, 0x4000'0000).ats_status, SMMU_ATS_SUCCESS);
        ASSERT_EQ(tr(sid, 0x4000'4000).ats_status, SMMU_ATS_SUCCESS);
        ASSERT_EQ(ep.n, 2u);
    }
};

// 4.5.1: a Success fills the ATC; CMD_ATC_INV + CMD_SYNC sends the
// Invalidate Request (StreamID, no PASID, 4KB x 2^0) and empties it.
TEST_F(Atc, InvalidateAfterFill_EmptiesEntry_4_5_1)
{
    fill_two_pages();
    const smmu_ep_entry_t *e = smmu_ep_lookup(&ep, 4, 0, 0, 0x4000'0010);
    ASSERT_NE(e, nullptr);
    EXPECT_EQ(e->pa, 0x8000'0000u);
    submit({cmd_atc_inv(4, 0x4000'0000, 0), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    ASSERT_EQ(ep.log_n, 1u);
    EXPECT_EQ(ep.log[0].sid, 4u);
    EXPECT_EQ(ep.log[0].ssv, 0u);
    EXPECT_EQ(ep.log[0].addr, 0x4000'0000u);
    EXPECT_EQ(ep.log[0].log2_span, 12u);
    EXPECT_EQ(smmu_ep_lookup(&ep, 4, 0, 0, 0x4000'0010), nullptr);
    EXPECT_NE(smmu_ep_lookup(&ep, 4, 0, 0, 0x4000'4000), nullptr);
}

// 4.5.1: span 4KB x 2^Size, Address[11+Size:0] taken as zero.
TEST_F(Atc, SizeAlignsAddress_4_5_1)
{
    fill_two_pages();
    submit({cmd_atc_inv(4, 0x4000'7000, 2), cmd_sync()}); // [0x4000'4000, 0x4000'7fff]
    ASSERT_EQ(ep.log_n, 1u);
    EXPECT_EQ(ep.log[0].addr, 0x4000'4000u);
    EXPECT_EQ(ep.log[0].log2_span, 14u);
    EXPECT_NE(smmu_ep_lookup(&ep, 4, 0, 0, 0x4000'0000), nullptr);
    EXPECT_EQ(smmu_ep_lookup(&ep, 4, 0, 0, 0x4000'4000), nullptr);
}

// 4.5.1: Size == 52 is a 2^64 span: everything; Size > 52 is the model's
// CERROR_ILL (docs/ats.md).
TEST_F(Atc, Size52AllAndAbove52Illegal_4_5_1)
{
    fill_two_pages();
    submit({cmd_atc_inv(4, 0x4000'7000, 52), cmd_sync()});
    ASSERT_EQ(ep.log_n, 1u);
    EXPECT_EQ(ep.log[0].addr, 0u);
    EXPECT_EQ(ep.log[0].log2_span, 64u);
    EXPECT_EQ(ep.n, 0u);
    submit({cmd_atc_inv(4, 0, 53), cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
    EXPECT_EQ(ep.log_n, 1u);
}

// 4.5.1 with the endpoint's rule: without a PASID the invalidation
// removes PASID-tagged entries too; with one, only that PASID's. Global
// is IGNORED when SSV == 0.
TEST_F(Atc, PasidScopeAndGlobalIgnoredWithoutSsv_4_5_1)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1(1)));
    pasid_stream(5);
    for (int p = 1; p <= 3; p++)
        ASSERT_EQ(tr(5, 0x4000'0000, false, p).ats_status, SMMU_ATS_SUCCESS);
    ASSERT_EQ(ep.n, 3u);
    submit({cmd_atc_inv(5, 0x4000'0000, 0, 2, true), cmd_sync()});
    ASSERT_EQ(ep.log_n, 1u);
    EXPECT_EQ(ep.log[0].ssv, 1u);
    EXPECT_EQ(ep.log[0].ssid, 2u);
    EXPECT_EQ(ep.log[0].global, 1u);
    EXPECT_EQ(ep.n, 2u);
    EXPECT_EQ(smmu_ep_lookup(&ep, 5, 1, 2, 0x4000'0000), nullptr);
    submit({cmd_atc_inv(5, 0x4000'0000, 0, -1, true), cmd_sync()});
    ASSERT_EQ(ep.log_n, 2u);
    EXPECT_EQ(ep.log[1].global, 0u);
    EXPECT_EQ(ep.n, 0u);
}

// 3.9.1.5: an endpoint UR completes the command without error (the
// invalidation may not have happened).
TEST_F(Atc, EndpointUr_CompletesWithoutError_3_9_1_5)
{
    fill_two_pages();
    smmu_ep_set_inv_result(&ep, 4, SMMU_ATC_INV_UR);
    submit({cmd_atc_inv(4, 0x4000'0000, 0), cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFu, rd(SMMU_CMDQ_PROD) & 0xFFu);
    EXPECT_EQ(ep.n, 2u);
}

// 3.9.1.4, 7.1: an invalidation never answered: the CMD_SYNC raises
// CERROR_ATC_INV_SYNC, CONS stays on it and no completion is signalled
// (no MSI). After GERRORN the retried CMD_SYNC completes (docs/ats.md).
TEST_F(Atc, NoResponse_SyncRaisesAtcInvSync_3_9_1_4)
{
    fill_two_pages();
    smmu_ep_set_inv_result(&ep, 4, SMMU_ATC_INV_NO_RESPONSE);
    const uint64_t msi = 0x00F0'0000;
    uint32_t cons0 = uint32_t(rd(SMMU_CMDQ_CONS));
    submit({cmd_atc_inv(4, 0x4000'0000, 0), cmd_sync(SMMU_SYNC_CS_IRQ, msi, 0x5A)});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ATC_INV_SYNC);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFu, (cons0 + 1) & 0xFFu) << "CONS on the CMD_SYNC";
    EXPECT_NE(rd(SMMU_GERROR) & SMMU_GERROR_CMDQ_ERR, 0u);
    EXPECT_EQ(mem.read32(msi), 0u);
    EXPECT_EQ(ep.n, 2u);
    wr(SMMU_GERRORN, rd(SMMU_GERROR));
    EXPECT_EQ(mem.read32(msi), 0x5Au);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFu, rd(SMMU_CMDQ_PROD) & 0xFFu);
}

// 4.5.1: IGNORED with SMMUEN == 0: nothing reaches the endpoint.
TEST_F(Atc, IgnoredWithSmmuenZero_4_5_1)
{
    fill_two_pages();
    set_cr0_bits(SMMU_CR0_SMMUEN, false);
    submit({cmd_atc_inv(4, 0, 52), cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), 0u);
    EXPECT_EQ(ep.log_n, 0u);
    EXPECT_EQ(ep.n, 2u);
}

// 4.5.1: without PASID support (IDR1.SSIDSIZE == 0) SSV == 1 behaves as
// SSV == 0 (the model's CONSTRAINED UNPREDICTABLE choice).
TEST_F(Atc, SsvWithoutPasids_AsSsvZero_4_5_1)
{
    ssidsize = 0;
    SetUp();
    submit({cmd_atc_inv(4, 0x4000'0000, 0, 7, true), cmd_sync()});
    ASSERT_EQ(ep.log_n, 1u);
    EXPECT_EQ(ep.log[0].ssv, 0u);
    EXPECT_EQ(ep.log[0].ssid, 0u);
    EXPECT_EQ(ep.log[0].global, 0u);
}

} // namespace
} // namespace smmutest

// SPDX-License-Identifier: Apache-2.0
// smmu_response_t.cls / .cause (smmu.h): how a transaction ended and why,
// through the C API, also after a micro-TLB or TLB hit where one exists.
// Spec: 5.2 (STE.Config, S1DSS, S2R), 5.4 (CD.R), 6.3.14 (GBPA), 7.2.1
// (EVENTQEN), 7.2.2 (queue write abort, EVENTQ_ABT_ERR), 7.3.3
// (CR2.RECINVSID), 7.4 (queue full).
#include <gtest/gtest.h>

#include "support/xlate_fixture.h"

using namespace smmutest;

namespace {

S1Attrs el0_ro() { S1Attrs a; a.ap = 3; return a; }

class Response : public Xlate {
  protected:
    smmu_stats_t stats()
    {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st;
    }
    // A read-only stage-1 page at 0x4000'0000 for sid 4 (CD.R as given),
    // read once so the TLB (and the micro-TLB) hold it.
    void ro_page(bool r = true)
    {
        ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_ro()));
        attach_s1(4, cd_for(s1pt).r(r));
        auto ok = tx(4, 0x4000'0000);
        ASSERT_EQ(ok.outcome, SMMU_XLATE_OK);
        ASSERT_EQ(ok.cls, SMMU_CLS_TRANSLATED);
    }
    // A write to the read-only page: F_PERMISSION (7.3.16) from a TLB hit.
    smmu_response_t write_fault()
    {
        uint64_t hits = stats().tlb_hits;
        auto r = tx(4, 0x4000'0010, true);
        EXPECT_EQ(stats().tlb_hits, hits + 1) << "the fault comes from a TLB hit";
        EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION);
        return r;
    }
    void expect(const smmu_response_t &r, unsigned cls, unsigned cause)
    {
        EXPECT_EQ(unsigned(r.cls), cls);
        EXPECT_EQ(unsigned(r.cause), cause);
    }
};

TEST(ResponseLayout, ClsCauseInStagPadding)
{
    EXPECT_EQ(sizeof(smmu_response_t), 48u);
    EXPECT_EQ(offsetof(smmu_response_t, stag), 8u);
    EXPECT_EQ(offsetof(smmu_response_t, cls), 12u);
    EXPECT_EQ(offsetof(smmu_response_t, cause), 13u);
    EXPECT_EQ(offsetof(smmu_response_t, pa), 16u);
}

// 3.3: a translated access; again from the micro-TLB, which must report
// the same class (and clear whatever the caller's response held).
TEST_F(Response, ClassTranslated_AlsoOnMicroTlbHit)
{
    ro_page();
    uint64_t hits = stats().utlb_hits;
    smmu_response_t r;
    memset(&r, 0xA5, sizeof r);
    smmu_request_t rq{};
    rq.sid = 4;
    rq.addr = 0x4000'0008;
    rq.size = 4;
    ASSERT_EQ(smmu_translate(smmu, &rq, &r), SMMU_OK);
    EXPECT_EQ(stats().utlb_hits, hits + 1);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x8000'0008u);
    expect(r, SMMU_CLS_TRANSLATED, SMMU_CAUSE_NONE);
    EXPECT_EQ(r.stag, 0u);
    EXPECT_EQ(r.ats_flags, 0u);
    EXPECT_EQ(r.reserved1, 0u);
}

// 5.2: STE.Config 0b100, both stages bypass.
TEST_F(Response, ClassBypass_CauseSteConfig_5_2)
{
    install(2, Ste().bypass());
    for (int i = 0; i < 2; i++) {
        auto r = tx(2, 0xABCD'E123);
        EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
        EXPECT_EQ(r.pa, 0xABCD'E123u);
        expect(r, SMMU_CLS_BYPASS, SMMU_CAUSE_STE_CONFIG);
    }
}

// 5.2: STE.S1DSS 0b01: a transaction without a SubstreamID bypasses stage
// 1; with stage 2 off it is a full bypass.
TEST_F(Response, ClassBypass_CauseS1dss_5_2)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_ro()));
    put_cd(cd_addr(6), cd_for(s1pt).build());
    install(6, Ste().s1().ctx(cd_addr(6)).cdmax(4).s1dss(1));
    for (int i = 0; i < 2; i++) {
        auto r = tx(6, 0x4000'0010);
        EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
        EXPECT_EQ(r.pa, 0x4000'0010u);
        expect(r, SMMU_CLS_BYPASS, SMMU_CAUSE_S1DSS);
    }
}

// 6.3.14: SMMUEN == 0, GBPA.ABORT == 0: bypass by GBPA.
TEST_F(Response, ClassDisabled_CauseGbpa_6_3_14)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE); // ABORT = 0
    auto r = tx(1, 0x1234);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x1234u);
    expect(r, SMMU_CLS_DISABLED, SMMU_CAUSE_GBPA);
}

// 6.3.14: GBPA.ABORT == 1 aborts without an event.
TEST_F(Response, ClassAbort_CauseGbpaAbort_6_3_14)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    auto r = tx(1, 0x1234);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    expect(r, SMMU_CLS_ABORT, SMMU_CAUSE_GBPA_ABORT);
    expect_no_record();
}

// 6.3.14, 3.4.1: SMMUEN == 0, an address above the OAS aborts.
TEST_F(Response, ClassAbort_CauseOas_6_3_14)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE); // ABORT = 0
    auto r = tx(1, 1ull << 60);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    expect(r, SMMU_CLS_ABORT, SMMU_CAUSE_OAS);
}

// 5.2: STE.Config 0b000 aborts without an event.
TEST_F(Response, ClassAbort_CauseSteConfig_5_2)
{
    install(2, Ste().abort());
    for (int i = 0; i < 2; i++) {
        auto r = tx(2, 0x1000);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        expect(r, SMMU_CLS_ABORT, SMMU_CAUSE_STE_CONFIG);
    }
    expect_no_record();
}

class ResponseSecure : public Response {
  protected:
    void configure(smmu_config_t &c) override { c.secure_req_abort = 1; }
};

// smmu_config_t.secure_req_abort: a Secure stream on a Non-secure-only SMMU.
TEST_F(ResponseSecure, ClassAbort_CauseSecure)
{
    install(2, Ste().bypass());
    smmu_request_t rq{};
    rq.sid = 2;
    rq.addr = 0x1000;
    rq.size = 4;
    rq.secure = 1;
    smmu_response_t r;
    ASSERT_EQ(smmu_translate(smmu, &rq, &r), SMMU_OK);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    expect(r, SMMU_CLS_ABORT, SMMU_CAUSE_SECURE);
}

// 7.2: the record reached the queue (fault from a TLB hit).
TEST_F(Response, ClassFaultRecorded_7_2)
{
    ro_page();
    auto r = write_fault();
    EXPECT_EQ(r.recorded, 1);
    expect(r, SMMU_CLS_FAULT_RECORDED, SMMU_CAUSE_NONE);
    EXPECT_EQ(events().size(), 1u);
}

// 5.4: CD.R == 0 suppresses the record.
TEST_F(Response, CauseCdR_5_4)
{
    ro_page(false);
    auto r = write_fault();
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_CD_R);
    expect_no_record();
}

// 5.2: STE.S2R == 0 suppresses the record of a stage-2 fault.
TEST_F(Response, CauseSteS2r_5_2)
{
    S2Attrs a;
    a.s2ap = 1; // read only
    ASSERT_TRUE(s2pt.map_s2(0x1234'5000, 0x6666'7000, 3, a));
    install(7, s2_ste().s2r(false));
    ASSERT_EQ(tx(7, 0x1234'5000).outcome, SMMU_XLATE_OK);
    uint64_t hits = stats().tlb_hits;
    auto r = tx(7, 0x1234'5010, true);
    EXPECT_EQ(stats().tlb_hits, hits + 1);
    EXPECT_EQ(r.event, SMMU_EVT_F_PERMISSION);
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_STE_S2R);
    expect_no_record();
}

// 7.3.3: C_BAD_STREAMID is recorded only with CR2.RECINVSID == 1.
TEST_F(Response, CauseRecinvsid_7_3_3)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_CR2, 0);
    enable_smmu();
    auto r = tx(300, 0x1000); // beyond the 2^8-entry stream table
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STREAMID);
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_RECINVSID);
    expect_no_record();
}

// 7.2.1: EVENTQEN == 0, the record is discarded.
TEST_F(Response, CauseQueueDisabled_7_2_1)
{
    ro_page();
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
    ASSERT_EQ(rd(SMMU_CR0ACK), SMMU_CR0_CMDQEN | SMMU_CR0_SMMUEN);
    auto r = write_fault();
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_QUEUE_DISABLED);
}

// 7.2.2: the record's write aborts (GERROR.EVENTQ_ABT_ERR set); the next
// record is not written while EVENTQ_ABT_ERR is active.
TEST_F(Response, CauseWriteAbort_ThenQueueAbtErr_7_2_2)
{
    ro_page();
    mem.add_abort(kEvtq, 0x1000);
    auto r = write_fault();
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_WRITE_ABORT);
    EXPECT_NE(rd(SMMU_GERROR) & SMMU_GERROR_EVENTQ_ABT_ERR, 0u);
    mem.clear_aborts();
    r = write_fault();
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_QUEUE_ABT_ERR);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
}

// 7.4: a full queue drops the record.
TEST_F(Response, CauseQueueFull_7_4)
{
    ro_page();
    for (unsigned i = 0; i < (1u << kEvtqLog2); i++)
        ASSERT_EQ(write_fault().cls, SMMU_CLS_FAULT_RECORDED) << i;
    auto r = write_fault();
    EXPECT_EQ(r.recorded, 0);
    expect(r, SMMU_CLS_FAULT_UNRECORDED, SMMU_CAUSE_QUEUE_FULL);
}

// 7.3.5: the event on_event sees holds only the fields C_BAD_STE defines
// (StreamID, SSV, SubstreamID), as the record does: no RnW, no InputAddr.
TEST_F(Response, OnEventCBadSteHoldsOnlyDefinedFields_7_3_5)
{
    write_ste(9, Ste().valid(false).build());
    mem.observed_events.clear();
    auto r = tx(9, 0x4000'0040, false, true, true, 3);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    expect(r, SMMU_CLS_FAULT_RECORDED, SMMU_CAUSE_NONE);
    ASSERT_EQ(mem.observed_events.size(), 1u);
    const smmu_event_t &e = mem.observed_events[0];
    EXPECT_EQ(e.sid, 9u);
    EXPECT_EQ(e.ssv, 1u);
    EXPECT_EQ(e.ssid, 3u);
    EXPECT_EQ(e.rnw, 0u);
    EXPECT_EQ(e.ind, 0u);
    EXPECT_EQ(e.pnu, 0u);
    EXPECT_EQ(e.input_addr, 0u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    smmu_event_t d;
    smmu_event_decode(ev[0].data(), &d);
    EXPECT_EQ(d.rnw, e.rnw);
    EXPECT_EQ(d.input_addr, e.input_addr);
}

} // namespace

// SPDX-License-Identifier: Apache-2.0
// The Stall model end to end (stall.c, fault.c): driver sequences and the
// device outcome. IHI 0070 G.b 3.12.2 (stall model), 3.12.5 (two stages),
// 4.7.1 CMD_RESUME, 4.7.2 CMD_STALL_TERM, 6.3.6 STALL_MAX, 6.3.9.6 SMMUEN,
// 7.2.1 (stall records and an unwritable queue), 7.3 (records: Stall [95],
// STAG [79:64]).
#include <vector>

#include "support/xlate_fixture.h"

extern "C" {
#include "smmu/smmu_cmd.h"
}

namespace smmutest {
namespace {

S1Attrs el0_rw()
{
    S1Attrs a;
    a.ap = 1;
    return a;
}

// CMD_RESUME (4.7.1): Ac [12] (1 = retry), Ab [13], StreamID [63:32],
// STAG [79:64].
Cmd cmd_resume(uint32_t sid, uint16_t stag, bool retry, bool ab = true)
{
    return {SMMU_CMD_RESUME | (retry ? 1ull << 12 : 0) | (ab ? 1ull << 13 : 0) | uint64_t(sid) << 32,
            stag};
}
Cmd cmd_stall_term(uint32_t sid) { return {SMMU_CMD_STALL_TERM | uint64_t(sid) << 32, 0}; }

class Stall : public Xlate {
  protected:
    unsigned stall_max = 4;
    unsigned term_model = 0;
    void configure(smmu_config_t &c) override
    {
        c.stall_model = 0;
        c.stall_max = (uint16_t)stall_max;
        c.term_model = (uint8_t)term_model;
    }
    // Stream 4: stage 1, CD.S = 1, 0x4000'0000 mapped to 0x8000'0000.
    void stall_stream(uint32_t sid = 4)
    {
        ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
        attach_s1(sid, cd_for(s1pt).s());
    }
    std::vector<smmu_completion_t> take(unsigned max = 64)
    {
        std::vector<smmu_completion_t> v(max);
        unsigned n = 99;
        EXPECT_EQ(smmu_take_completions(smmu, v.data(), max, &n), SMMU_OK);
        v.resize(n);
        return v;
    }
    Rec stall_rec(uint32_t sid, uint64_t va, uint16_t stag, uint8_t type = SMMU_EVT_F_TRANSLATION)
    {
        Rec w;
        w.type = type;
        w.sid = sid;
        w.cls = SMMU_CLASS_IN;
        w.input = va;
        w.stall = true;
        w.stag = stag;
        return w;
    }
    // Storms: room for 256 stalls (IDR5.STALL_MAX), a fresh booted instance.
    void storm_instance()
    {
        stall_max = 256;
        configure(cfg);
        recreate();
        boot();
    }
    // 128 terminate records (stream 5: CD.S = 0) fill the event queue.
    void fill_queue()
    {
        attach_s1(5, cd_for(s1pt));
        for (unsigned i = 0; i < (1u << kEvtqLog2); i++)
            ASSERT_EQ(tx(5, 0x5000'0000 + 0x1000ull * i).recorded, 1);
    }
};

// 3.12.2, 5.5 (S: the stall is always recorded), 7.3.13: a stage-1
// F_TRANSLATION with CD.S = 1 stalls; the record has Stall = 1, STAG = 0.
TEST_F(Stall, Stage1CdS_StallsWithStallRecordAndStag_3_12_2_7_3_13)
{
    stall_stream();
    auto r = tx(4, 0x4000'5008);
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.stag, 0u);
    EXPECT_EQ(r.event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(r.recorded, 1);
    EXPECT_EQ(r.cls, SMMU_CLS_STALLED);
    EXPECT_EQ(r.cause, SMMU_CAUSE_NONE);
    expect_one_record(stall_rec(4, 0x4000'5008, 0));
    EXPECT_EQ(take().size(), 0u); // nothing resolved yet
}

// 5.5: with S = 1 the R bit is ignored: the stall is recorded with CD.R = 0.
TEST_F(Stall, Stage1CdSIgnoresR_RecordedAnyway_5_5)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    attach_s1(4, cd_for(s1pt).s().r(false));
    auto r = tx(4, 0x4000'7000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    expect_one_record(stall_rec(4, 0x4000'7000, 0));
}

// 4.7.1 Retry: the transaction is retried as a new arrival and sees the
// mapping software added; the completion gives the PA.
TEST_F(Stall, ResumeRetryAfterFix_CompletesWithPa_4_7_1)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5008).outcome, SMMU_XLATE_STALLED);
    expect_one_record(stall_rec(4, 0x4000'5008, 0));
    ASSERT_TRUE(s1pt.map_s1(0x4000'5000, 0x9ABC'D000, 3, el0_rw()));
    submit({cmd_resume(4, 0, true), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].sid, 4u);
    EXPECT_EQ(c[0].stag, 0u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(c[0].resp.pa, 0x9ABC'D008u);
    expect_no_record();
    EXPECT_EQ(take().size(), 0u);
}

// 4.7.1: a retry that faults again stalls again: a new record, a new STAG
// (the lowest free one, 0 again), reported in the completion.
TEST_F(Stall, RetryStillFaulting_StallsAgainWithNewRecord_4_7_1)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5008).outcome, SMMU_XLATE_STALLED);
    events();
    submit({cmd_resume(4, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(c[0].resp.stag, 0u);
    expect_one_record(stall_rec(4, 0x4000'5008, 0));
}

// 4.7.1 Terminate: Ab = 1 aborts, Ab = 0 completes with RAZ/WI
// (IDR0.TERM_MODEL == 0). Terminations are queued at once.
TEST_F(Stall, ResumeTerminate_Ab1Aborts_Ab0RazWi_4_7_1)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5000).stag, 0u);
    ASSERT_EQ(tx(4, 0x4000'6000).stag, 1u);
    submit({cmd_resume(4, 1, false, false), cmd_resume(4, 0, false, true), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    auto c = take();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].stag, 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_RAZWI);
    EXPECT_EQ(c[0].resp.event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(c[0].resp.cls, SMMU_CLS_FAULT_RECORDED);
    EXPECT_EQ(c[1].stag, 0u);
    EXPECT_EQ(c[1].resp.outcome, SMMU_XLATE_ABORT);
}

class StallTermModel1 : public Stall {
    void configure(smmu_config_t &c) override
    {
        Stall::configure(c);
        c.term_model = 1;
    }
};
// 4.7.1: with IDR0.TERM_MODEL == 1 the Ab parameter is IGNORED: abort.
TEST_F(StallTermModel1, ResumeTerminateAb0StillAborts_4_7_1)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5000).outcome, SMMU_XLATE_STALLED);
    submit({cmd_resume(4, 0, false, false), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
}

// 4.7.1: a STAG that names no stall, or a stall of another StreamID, is a
// no-op (the StreamID is verified: a guest STAG cannot reach another
// stream's stall).
TEST_F(Stall, ResumeWrongStreamOrStag_NoEffect_4_7_1)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5000).stag, 0u);
    submit({cmd_resume(5, 0, false), cmd_resume(4, 3, false), cmd_resume(4, 0xFFFF, true),
            cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    EXPECT_EQ(take().size(), 0u);
    submit({cmd_resume(4, 0, false), cmd_sync()});
    EXPECT_EQ(take().size(), 1u);
}

// 3.12.2 (STAG reuse only after resume), model choice: STAG = lowest free.
TEST_F(Stall, StagIsLowestFreeSlot_ReusedAfterResume_3_12_2)
{
    stall_stream();
    EXPECT_EQ(tx(4, 0x4000'1000).stag, 0u);
    EXPECT_EQ(tx(4, 0x4000'2000).stag, 1u);
    EXPECT_EQ(tx(4, 0x4000'3000).stag, 2u);
    submit({cmd_resume(4, 1, false), cmd_sync()});
    EXPECT_EQ(tx(4, 0x4000'4000).stag, 1u);
    EXPECT_EQ(tx(4, 0x4000'5000).stag, 3u);
}

// 6.3.6: at most IDR5.STALL_MAX (4 here) stalls; a fault that would stall
// then gets SMMU_XLATE_BUSY: no event, nothing recorded.
TEST_F(Stall, StallMaxFull_Busy_NoEvent_6_3_6)
{
    stall_stream();
    for (unsigned i = 0; i < 4; i++)
        ASSERT_EQ(tx(4, 0x4000'1000 + 0x1000 * i).stag, i);
    EXPECT_EQ(events().size(), 4u);
    auto r = tx(4, 0x4000'9000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_BUSY);
    EXPECT_EQ(r.event, 0);
    EXPECT_EQ(r.cls, SMMU_CLS_BUSY);
    expect_no_record();
    // A translation that does not fault is not affected.
    EXPECT_EQ(tx(4, 0x4000'0010).outcome, SMMU_XLATE_OK);
    submit({cmd_resume(4, 2, false), cmd_sync()});
    EXPECT_EQ(tx(4, 0x4000'9000).stag, 2u);
}

// 4.7.2: CMD_STALL_TERM aborts every stall of the StreamID, no other.
TEST_F(Stall, StallTerm_AbortsEveryStallOfTheStream_4_7_2)
{
    stall_stream(4);
    attach_s1(6, cd_for(s1pt).s());
    ASSERT_EQ(tx(4, 0x4000'1000).stag, 0u);
    ASSERT_EQ(tx(6, 0x4000'1000).stag, 1u);
    ASSERT_EQ(tx(4, 0x4000'2000).stag, 2u);
    submit({cmd_stall_term(4), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    auto c = take();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].sid, 4u);
    EXPECT_EQ(c[0].stag, 0u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[1].stag, 2u);
    EXPECT_EQ(c[1].resp.outcome, SMMU_XLATE_ABORT);
    // Stream 6 is still stalled and resumable.
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8800'1000, 3, el0_rw()));
    submit({cmd_resume(6, 1, true), cmd_sync()});
    c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].sid, 6u);
    EXPECT_EQ(c[0].resp.pa, 0x8800'1000u);
}

// 6.3.9.6: SMMUEN 1 -> 0 terminates every stall with an abort and returns
// every STAG; after re-enabling, STAGs start at 0 again.
TEST_F(Stall, SmmuenOff_AbortsAllStallsAndFreesStags_6_3_9_6)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'1000).stag, 0u);
    ASSERT_EQ(tx(4, 0x4000'2000).stag, 1u);
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    wr(SMMU_CR0, cr0 & ~SMMU_CR0_SMMUEN);
    auto c = take();
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[1].resp.outcome, SMMU_XLATE_ABORT);
    wr(SMMU_CR0, cr0);
    EXPECT_EQ(tx(4, 0x4000'3000).stag, 0u);
}

// 3.12 / 5.5: F_WALK_EABT never stalls, even with CD.S = 1.
TEST_F(Stall, WalkExternalAbortNeverStalls_3_12)
{
    stall_stream();
    mem.add_abort(s1pt.ttb(), 8);
    auto r = tx(4, 0x4000'0000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_WALK_EABT);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][2], 0u); // Stall = 0, STAG = 0
}

// 3.12.5: stage-2 Translation-related fault with STE.S2S = 1 stalls; the
// record has S2 = 1 and the IPA.
TEST_F(Stall, Stage2S2S_StallsWithS2Record_3_12_5)
{
    ASSERT_TRUE(s2pt.map_s2(0x4000'0000, 0x8000'0000, 3));
    install(3, s2_ste().s2s());
    auto r = tx(3, 0x4000'2010);
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.stag, 0u);
    Rec w = stall_rec(3, 0x4000'2010, 0);
    w.s2 = true;
    w.ipa = 0x4000'2000;
    expect_one_record(w);
    ASSERT_TRUE(s2pt.map_s2(0x4000'2000, 0x8123'4000, 3));
    submit({cmd_resume(3, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.pa, 0x8123'4010u);
}

// 3.12 note: F_ADDR_SIZE of a transaction that bypassed stage 1 always
// aborts, even with STE.S2S = 1.
TEST_F(Stall, AddrSizeAfterStage1BypassNeverStalls_3_12)
{
    install(3, s2_ste().s2s());
    uint64_t in = 1ull << 48;
    auto r = tx(3, in);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_F_ADDR_SIZE);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0][2], 0u);
}

// 7.2.1: a stall whose record cannot be written (EVENTQEN = 0) is not
// dropped: it stays stalled and is retried when the queue is writable; a
// successful retry records nothing.
TEST_F(Stall, QueueDisabled_StallRetriedWhenWritable_SuccessRecordsNothing_7_2_1)
{
    stall_stream();
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    wr(SMMU_CR0, cr0 & ~SMMU_CR0_EVENTQEN);
    auto r = tx(4, 0x4000'5008);
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.recorded, 0);
    EXPECT_EQ(r.cause, SMMU_CAUSE_QUEUE_DISABLED);
    ASSERT_TRUE(s1pt.map_s1(0x4000'5000, 0x9000'5000, 3, el0_rw()));
    submit({cmd_tlbi_nsnh_all(), cmd_sync()});
    EXPECT_EQ(take().size(), 0u); // not writable yet: nothing runs
    wr(SMMU_CR0, cr0);
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].stag, 0u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(c[0].resp.pa, 0x9000'5008u);
    expect_no_record();
}

// 3.12.2: a retry is a new arrival: with the STE changed to Config abort
// (and CFGI_STE + CMD_SYNC) the retried transaction terminates silently.
TEST_F(Stall, RetryAfterSteChangedToAbort_TerminatesWithoutEvent_3_12_2)
{
    stall_stream();
    ASSERT_EQ(tx(4, 0x4000'5000).outcome, SMMU_XLATE_STALLED);
    events();
    install(4, Ste().abort());
    EXPECT_EQ(take().size(), 0u); // invalidation alone does not touch the stall
    submit({cmd_resume(4, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[0].resp.event, 0);
    EXPECT_EQ(c[0].resp.cls, SMMU_CLS_ABORT);
    expect_no_record();
}

// 7.2.1 with 7.2.2: GERROR.EVENTQ_ABT_ERR makes the queue unwritable; the
// stall waits (no record) and retries once GERRORN acknowledges the error;
// the retry that faults again records (Stall = 1).
TEST_F(Stall, EventqAbtErr_StallWaitsUntilAcknowledged_7_2_1)
{
    stall_stream();
    mem.add_abort(kEvtq, 32);
    auto t = tx(6, 0x10); // C_BAD_STE (no STE): its record write aborts
    EXPECT_EQ(t.cause, SMMU_CAUSE_WRITE_ABORT);
    mem.clear_aborts();
    ASSERT_NE(rd(SMMU_GERROR) & SMMU_GERROR_EVENTQ_ABT_ERR, 0u);
    auto r = tx(4, 0x4000'5000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.recorded, 0);
    EXPECT_EQ(r.cause, SMMU_CAUSE_QUEUE_ABT_ERR);
    EXPECT_EQ(take().size(), 0u);
    wr(SMMU_GERRORN, rd(SMMU_GERROR)); // acknowledge
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(c[0].resp.recorded, 1);
    expect_one_record(stall_rec(4, 0x4000'5000, 0));
}

// 7.2.2: a stall record lost to a write abort stays lost; the transaction
// stays stalled until CMD_STALL_TERM (7.2.2: software must terminate it).
TEST_F(Stall, StallRecordWriteAbort_LostButStillStalled_StallTermEndsIt_7_2_2)
{
    stall_stream();
    mem.add_abort(kEvtq, 32);
    auto r = tx(4, 0x4000'5000);
    mem.clear_aborts();
    EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.recorded, 0);
    EXPECT_EQ(r.cause, SMMU_CAUSE_WRITE_ABORT);
    wr(SMMU_GERRORN, rd(SMMU_GERROR));
    EXPECT_EQ(take().size(), 0u); // not retried: the queue was writable
    expect_no_record();
    submit({cmd_stall_term(4), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[0].resp.recorded, 0);
    EXPECT_EQ(c[0].resp.cls, SMMU_CLS_FAULT_UNRECORDED);
    EXPECT_EQ(c[0].resp.cause, SMMU_CAUSE_WRITE_ABORT);
}

// 4.7.2 (outside its sequence) with 7.2.1: CMD_STALL_TERM aborts a stall
// whose record waits for the queue; that record is never written.
TEST_F(Stall, StallTermWhileQueueDisabled_DropsTheUnwrittenRecord_4_7_2)
{
    stall_stream();
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    wr(SMMU_CR0, cr0 & ~SMMU_CR0_EVENTQEN);
    ASSERT_EQ(tx(4, 0x4000'5000).cause, SMMU_CAUSE_QUEUE_DISABLED);
    // CMDQEN stays on: the command is consumed with the event queue off.
    submit({cmd_stall_term(4), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[0].resp.cause, SMMU_CAUSE_QUEUE_DISABLED);
    wr(SMMU_CR0, cr0);
    EXPECT_EQ(take().size(), 0u);
    expect_no_record();
}

// 6.3.1 STALL_MODEL 0b10 (stall forced): CD.S must be 1 and every
// Translation-related fault stalls.
class StallForced : public Stall {
    void configure(smmu_config_t &c) override
    {
        Stall::configure(c);
        c.stall_model = 2;
    }
};
TEST_F(StallForced, CdSOneStalls_CdSZeroIsCBadCd_6_3_1)
{
    stall_stream(4);
    EXPECT_EQ(tx(4, 0x4000'5000).outcome, SMMU_XLATE_STALLED);
    attach_s1(5, cd_for(s1pt));
    EXPECT_EQ(tx(5, 0x4000'0000).event, SMMU_EVT_C_BAD_CD);
}

// 7.4 (terminate model): records that find the queue full are dropped and
// OVFLG toggles once.
TEST_F(Stall, TerminateStormDropsAndSetsOvflg)
{
    storm_instance();
    stall_stream();
    fill_queue();
    uint32_t prod = uint32_t(rd(SMMU_EVENTQ_PROD));
    EXPECT_EQ(prod & SMMU_Q_OVF, 0u);
    for (unsigned i = 0; i < 3; i++) {
        auto r = tx(5, 0x6000'0000 + 0x1000ull * i);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        EXPECT_EQ(r.cause, SMMU_CAUSE_QUEUE_FULL);
    }
    EXPECT_EQ(uint32_t(rd(SMMU_EVENTQ_PROD)), prod ^ SMMU_Q_OVF);
    auto ev = events();
    ASSERT_EQ(ev.size(), 128u);
    Rec last;
    last.type = SMMU_EVT_F_TRANSLATION;
    last.sid = 5;
    last.cls = SMMU_CLASS_IN;
    last.input = 0x5000'0000 + 0x1000ull * 127;
    EXPECT_EQ(hex(ev[127]), hex(last.words()));
}

// 7.2.1: stall records are never dropped and never toggle OVFLG; once the
// queue has room each stall retries and records anew (Stall = 1, its STAG).
TEST_F(Stall, StallStormDropsNothing)
{
    storm_instance();
    stall_stream();
    fill_queue();
    uint32_t prod = uint32_t(rd(SMMU_EVENTQ_PROD));
    for (unsigned i = 0; i < 10; i++) {
        auto r = tx(4, 0x4010'0000 + 0x1000ull * i);
        EXPECT_EQ(r.outcome, SMMU_XLATE_STALLED);
        EXPECT_EQ(r.stag, i);
        EXPECT_EQ(r.cause, SMMU_CAUSE_QUEUE_FULL);
    }
    EXPECT_EQ(uint32_t(rd(SMMU_EVENTQ_PROD)), prod); // no OVFLG, nothing written
    EXPECT_EQ(events().size(), 128u);                // drains: CONS write makes room
    auto c = take();
    ASSERT_EQ(c.size(), 10u);
    auto ev = events();
    ASSERT_EQ(ev.size(), 10u);
    for (unsigned i = 0; i < 10; i++) {
        EXPECT_EQ(c[i].stag, i);
        EXPECT_EQ(c[i].resp.outcome, SMMU_XLATE_STALLED);
        EXPECT_EQ(c[i].resp.stag, i);
        EXPECT_EQ(hex(ev[i]), hex(stall_rec(4, 0x4010'0000 + 0x1000ull * i, uint16_t(i)).words()));
    }
}

// 4.1.5 / 4.7.1: a CMD_RESUME with a Reserved bit set (bit 14) is
// CERROR_ILL; so is SSec = 1 on the Non-secure queue (4.1.6).
TEST_F(Stall, ResumeReservedBitOrSsec_CerrorIll_4_1_5)
{
    submit({cmd_raw(SMMU_CMD_RESUME, 1ull << 14)});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
}

// The command encoder puts RESUME's Ac at [12] and Ab at [13] (4.7.1).
TEST(StallCmdEncode, ResumeActionAndAbortBits_4_7_1)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_RESUME;
    c.sid = 7;
    c.stag = 0x1234;
    c.resp = 1;
    c.ab = 1;
    uint64_t w[2];
    ASSERT_EQ(smmu_cmd_encode(&c, w), 0);
    EXPECT_EQ(w[0], 0x0000'0007'0000'3044ull);
    EXPECT_EQ(w[1], 0x1234ull);
}

// ---- Completions (smmu_take_completions) ----

class Completions : public Stall {};

// Completions come oldest first; beyond max they stay for the next call.
TEST_F(Completions, FifoAndMax)
{
    stall_stream();
    for (unsigned i = 0; i < 3; i++)
        ASSERT_EQ(tx(4, 0x4000'1000 + 0x1000 * i).stag, i);
    submit({cmd_resume(4, 2, false), cmd_resume(4, 0, false), cmd_resume(4, 1, false), cmd_sync()});
    auto c = take(2);
    ASSERT_EQ(c.size(), 2u);
    EXPECT_EQ(c[0].stag, 2u);
    EXPECT_EQ(c[1].stag, 0u);
    c = take(2);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].stag, 1u);
}

TEST_F(Completions, BadArguments_Inval)
{
    unsigned n = 0;
    smmu_completion_t c;
    EXPECT_EQ(smmu_take_completions(nullptr, &c, 1, &n), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_take_completions(smmu, nullptr, 1, &n), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_take_completions(smmu, &c, 1, nullptr), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_take_completions(smmu, nullptr, 0, &n), SMMU_OK);
    EXPECT_EQ(n, 0u);
}

// The optional on_completion_ready notifier fires when CMD_RESUME marks
// work; a take_completions called from a callback of a retry that it is
// running gets SMMU_ERR_REENTERED and changes nothing.
struct Spy {
    SimMem *mem;
    smmu_t *smmu = nullptr;
    int ready = 0;
    int reentered = 0;
    static int rd(void *c, uint64_t pa, void *b, uint32_t l, smmu_access_kind_t k, uint32_t *lat)
    {
        Spy *s = static_cast<Spy *>(c);
        return s->mem->ops()->read(s->mem->ctx(), pa, b, l, k, lat);
    }
    static int wr(void *c, uint64_t pa, const void *b, uint32_t l, smmu_access_kind_t k,
                  uint32_t *lat)
    {
        Spy *s = static_cast<Spy *>(c);
        return s->mem->ops()->write(s->mem->ctx(), pa, b, l, k, lat);
    }
    static void ev(void *c, const smmu_event_t *, int)
    {
        Spy *s = static_cast<Spy *>(c);
        smmu_completion_t out[4];
        unsigned n = 0;
        if (s->smmu && smmu_take_completions(s->smmu, out, 4, &n) == SMMU_ERR_REENTERED)
            s->reentered++;
    }
    static void ready_cb(void *c) { static_cast<Spy *>(c)->ready++; }
};

TEST_F(Completions, NotifierAndReentry)
{
    stall_stream();
    Spy spy{&mem};
    smmu_mem_ops_t ops{};
    ops.read = Spy::rd;
    ops.write = Spy::wr;
    ops.on_event = Spy::ev;
    ops.on_completion_ready = Spy::ready_cb;
    smmu_destroy(smmu);
    char msg[128];
    smmu = smmu_create(&cfg, &ops, &spy, msg, sizeof msg);
    ASSERT_NE(smmu, nullptr) << msg;
    boot();
    install(4, Ste().s1().ctx(cd_addr(4)));
    ASSERT_EQ(tx(4, 0x4000'5000).outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(spy.ready, 0);
    submit({cmd_resume(4, 0, true), cmd_sync()});
    EXPECT_EQ(spy.ready, 1);
    spy.smmu = smmu; // the retry stalls again: its on_event calls take_completions
    auto c = take();
    spy.smmu = nullptr;
    EXPECT_EQ(spy.reentered, 1);
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_STALLED);
}

// ---- Nested (3.12.5, 3.12.2.3): stage-2 faults of the stage-1 walk ----

class StallNested : public Stall {
  protected:
    // The guest maps VA 0x4000'0000 -> IPA 0x8000'0000 at stage 1; the host
    // maps the CD page and every stage-1 table page identity at stage 2 (the
    // IPA 0x8000'0000 itself is left to the test). Returns the CD's IPA.
    uint64_t guest_s1_visible_at_s2()
    {
        EXPECT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
        uint64_t cd = cd_addr(4);
        EXPECT_TRUE(s2pt.map_s2(cd & ~0xFFFull, cd & ~0xFFFull, 3));
        for (unsigned lvl = 0; lvl <= 3; lvl++) {
            uint64_t t = lvl ? s1pt.table_addr(lvl, 0x4000'0000) & ~0xFFFull : s1pt.ttb();
            EXPECT_TRUE(s2pt.map_s2(t, t, 3));
        }
        return cd;
    }
};

// 3.12.2.3: a stage-2 fault on the stage-1 table walk (S2 = 1, CLASS = TT)
// stalls with STE.S2S = 1; the host maps the table's IPA and retries.
TEST_F(StallNested, Stage2FaultOnStage1Walk_HostFixesAndRetries_3_12_2_3)
{
    // Stage-1 tables live at IPA kS1Tables; stage 2 maps the CD and
    // the tables identity, except one table page left out.
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    uint64_t cd = cd_addr(4);
    ASSERT_TRUE(s2pt.map_s2(cd & ~0xFFFull, cd & ~0xFFFull, 3));
    uint64_t l0 = s1pt.ttb();
    ASSERT_TRUE(s2pt.map_s2(l0, l0, 3));
    uint64_t l1 = s1pt.table_addr(1, 0x4000'0000) & ~0xFFFull; // not mapped at stage 2
    ASSERT_TRUE(s2pt.map_s2(0x8000'0000, 0x8000'0000, 3));
    put_cd(cd, cd_for(s1pt).build());
    install(4, s2_ste().nested().ctx(cd).s2s());
    auto r = tx(4, 0x4000'0010);
    ASSERT_EQ(r.outcome, SMMU_XLATE_STALLED);
    Rec w = stall_rec(4, 0x4000'0010, 0);
    w.s2 = true;
    w.cls = SMMU_CLASS_TT;
    w.ipa = l1;
    expect_one_record(w);
    // The host fixes stage 2 for the rest of the walk and retries.
    ASSERT_TRUE(s2pt.map_s2(l1, l1, 3));
    uint64_t l2 = s1pt.table_addr(2, 0x4000'0000) & ~0xFFFull;
    uint64_t l3 = s1pt.table_addr(3, 0x4000'0000) & ~0xFFFull;
    ASSERT_TRUE(s2pt.map_s2(l2, l2, 3));
    ASSERT_TRUE(s2pt.map_s2(l3, l3, 3));
    submit({cmd_resume(4, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(c[0].resp.pa, 0x8000'0010u);
}

// 5.4 / 5.5: STE.S1STALLD = 1 with STALL_MODEL 0b00 makes a CD.S = 1 CD
// ILLEGAL: C_BAD_CD, no stall.
TEST_F(StallNested, S1StalldWithCdS_CBadCd_5_5)
{
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, el0_rw()));
    put_cd(cd_addr(4), cd_for(s1pt).s().build());
    install(4, Ste().s1().ctx(cd_addr(4)).s1stalld());
    auto r = tx(4, 0x4000'0010);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_CD);
}

// 3.12.5: in a nested configuration a stage-1 fault (S2 = 0) is governed
// by the guest's CD.S: it stalls with a stage-1 record (CLASS = IN) although
// STE.S2S = 0; once the guest maps the page, the retry goes through stage 2.
TEST_F(StallNested, GuestStage1FaultStallsByCdS_RetryThroughStage2_3_12_5)
{
    uint64_t cd = guest_s1_visible_at_s2();
    ASSERT_TRUE(s2pt.map_s2(0x8000'0000, 0x9000'0000, 3)); // IPA 0x8000'0000 -> PA 0x9000'0000
    put_cd(cd, cd_for(s1pt).s().build());
    install(4, s2_ste().nested().ctx(cd));
    EXPECT_EQ(tx(4, 0x4000'0010).pa, 0x9000'0010u);
    auto r = tx(4, 0x4000'1010); // not mapped at stage 1
    ASSERT_EQ(r.outcome, SMMU_XLATE_STALLED);
    EXPECT_EQ(r.stag, 0u);
    expect_one_record(stall_rec(4, 0x4000'1010, 0));
    // The guest maps the page (its L3 table is already mapped at stage 2).
    ASSERT_TRUE(s1pt.map_s1(0x4000'1000, 0x8000'0000, 3, el0_rw()));
    submit({cmd_resume(4, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].sid, 4u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(c[0].resp.pa, 0x9000'0010u);
}

// 3.12.2.3, 7.3.13: a stage-2 fault on the final IPA (S2 = 1, CLASS = IN,
// IPA reported) stalls with STE.S2S = 1 even though the guest CD has
// CD.S = 0; the host maps the IPA at stage 2 and the retry completes.
TEST_F(StallNested, Stage2FaultOnFinalIpa_StallsByS2S_HostMapsAndRetries_3_12_2_3)
{
    uint64_t cd = guest_s1_visible_at_s2();
    put_cd(cd, cd_for(s1pt).build()); // CD.S = 0
    install(4, s2_ste().nested().ctx(cd).s2s());
    auto r = tx(4, 0x4000'0010);
    ASSERT_EQ(r.outcome, SMMU_XLATE_STALLED);
    Rec w = stall_rec(4, 0x4000'0010, 0);
    w.s2 = true;
    w.cls = SMMU_CLASS_IN;
    w.ipa = 0x8000'0010;
    expect_one_record(w);
    ASSERT_TRUE(s2pt.map_s2(0x8000'0000, 0x9000'0000, 3));
    submit({cmd_resume(4, 0, true), cmd_sync()});
    auto c = take();
    ASSERT_EQ(c.size(), 1u);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(c[0].resp.pa, 0x9000'0010u);
}

// ---- CMD_ATC_INV and CMD_PRI_RESP with IDR0.ATS/PRI (4.5.1, 4.5.2) ----

class CmdAtsPri : public SmmuTest {
  protected:
    void configure(smmu_config_t &c) override
    {
        c.ats = 1;
        c.pri = 1;
    }
    void SetUp() override
    {
        SmmuTest::SetUp();
        boot();
    }
};

// 4.5.1: consumed (no endpoint ATC in the model: completes at once).
TEST_F(CmdAtsPri, AtcInvConsumed_4_5_1)
{
    // SID 1, SSV = 1, SSID 5, Global [9]; Size 0, Address 0x1000.
    submit({cmd_raw(SMMU_CMD_ATC_INV, uint64_t(1) << 32 | 5u << 12 | 1u << 11 | 1u << 9, 0x1000),
            cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFFFF, rd(SMMU_CMDQ_PROD) & 0xFFFFF);
}

// 4.1.5: a Reserved bit set (w1[11:6]) is CERROR_ILL.
TEST_F(CmdAtsPri, AtcInvReservedBit_CerrorIll_4_1_5)
{
    submit({cmd_raw(SMMU_CMD_ATC_INV, uint64_t(1) << 32, 1u << 6)});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
}

// 4.5.2: Resp 0b00/0b01/0b10 are consumed; 0b11 is Reserved: CERROR_ILL.
TEST_F(CmdAtsPri, PriRespResp3_CerrorIll_Others_Consumed_4_5_2)
{
    submit({cmd_raw(SMMU_CMD_PRI_RESP, uint64_t(1) << 32, 0x1FF),
            cmd_raw(SMMU_CMD_PRI_RESP, uint64_t(1) << 32, 1u << 12 | 3),
            cmd_raw(SMMU_CMD_PRI_RESP, uint64_t(1) << 32, 2u << 12), cmd_sync()});
    EXPECT_EQ(cmdq_cons_err(), 0u);
    submit({cmd_raw(SMMU_CMD_PRI_RESP, uint64_t(1) << 32, 3u << 12)});
    EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL);
}

} // namespace
} // namespace smmutest

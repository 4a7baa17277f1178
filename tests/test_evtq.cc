// Event records (IHI 0070 G.b 7.3) and the event queue producer (7.2, 7.4).
#include "support/fixture.h"

extern "C" {
#include "evtq.h"
#include "irq.h"
#include "queue.h"
#include "regs.h"
#include "smmu_internal.h"
}

using namespace smmutest;

namespace {

Record enc(const smmu_event_t &ev)
{
    Record r{};
    smmu_event_encode(&ev, r.data());
    return r;
}

smmu_event_t dec(const Record &r)
{
    smmu_event_t ev;
    smmu_event_decode(r.data(), &ev);
    return ev;
}

smmu_event_t base_ev(uint8_t type)
{
    smmu_event_t ev{};
    ev.type = type;
    ev.sid = 0x12345678;
    ev.ssv = 1;
    ev.ssid = 0xABCDE;
    return ev;
}

// A translation fault with every field set.
smmu_event_t xlate_ev(uint8_t type)
{
    smmu_event_t ev = base_ev(type);
    ev.stall = 1;
    ev.stag = 0xBEEF;
    ev.pnu = 1;
    ev.ind = 1;
    ev.rnw = 1;
    ev.s2 = 1;
    ev.cls = SMMU_CLASS_TT;
    ev.nsipa = 1;
    ev.ttrnw = 1;
    ev.input_addr = 0xFFFF'8000'1234'5678ull;
    ev.ipa = 0x00AB'CDEF'1234'5FFFull; // bits [11:0] must not appear
    ev.fetch_addr = 0x1111'2222'3333'4444ull;
    ev.reason = 0x9876'5432;
    return ev;
}

// Word 0: type [7:0], SSV [11], SubstreamID [31:12]; word 1: StreamID.
constexpr uint32_t kW0 = 0xABCDE000u | 1u << 11;
constexpr uint32_t kSid = 0x12345678u;

TEST(EventRecord, F_UUT_7_3_2)
{
    Record r = enc(xlate_ev(SMMU_EVT_F_UUT));
    // Reason [79:64]; PnU [97], InD [98], RnW [99]; InputAddr [191:128]
    Record exp = {kW0 | 0x01, kSid, 0x5432, 0xE, 0x1234'5678, 0xFFFF'8000, 0, 0};
    EXPECT_EQ(r, exp);
}

TEST(EventRecord, C_BAD_STREAMID_7_3_3)
{
    Record exp = {kW0 | 0x02, kSid, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_C_BAD_STREAMID)), exp);
}

TEST(EventRecord, F_STE_FETCH_FetchAddr_7_3_4)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_F_STE_FETCH);
    ev.fetch_addr = 0x0000'1234'5678'9ABFull;
    // FetchAddr[55:3] at [247:195]; Reason [79:64]
    Record exp = {kW0 | 0x03, kSid, 0x5432, 0, 0, 0, 0x5678'9AB8, 0x1234};
    EXPECT_EQ(enc(ev), exp);
}

TEST(EventRecord, C_BAD_STE_7_3_5)
{
    Record exp = {kW0 | 0x04, kSid, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_C_BAD_STE)), exp);
}

TEST(EventRecord, F_STREAM_DISABLED_OnlyStreamId_7_3_7)
{
    Record exp = {0x06, kSid, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_STREAM_DISABLED)), exp);
}

TEST(EventRecord, F_TRANSL_FORBIDDEN_7_3_8)
{
    Record exp = {0x07, kSid, 0, 1u << 3, 0x1234'5678, 0xFFFF'8000, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_TRANSL_FORBIDDEN)), exp);
}

TEST(EventRecord, C_BAD_SUBSTREAMID_NoSsv_7_3_9)
{
    Record exp = {0xABCDE000u | 0x08, kSid, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_C_BAD_SUBSTREAMID)), exp);
}

TEST(EventRecord, F_CD_FETCH_FetchAddrNotInputAddr_7_3_10)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_F_CD_FETCH);
    ev.fetch_addr = 0x0000'00FF'0000'1040ull;
    Record exp = {kW0 | 0x09, kSid, 0x5432, 0, 0, 0, 0x0000'1040, 0xFF};
    EXPECT_EQ(enc(ev), exp);
}

TEST(EventRecord, C_BAD_CD_7_3_11)
{
    Record exp = {kW0 | 0x0A, kSid, 0, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_C_BAD_CD)), exp);
}

TEST(EventRecord, F_WALK_EABT_7_3_12)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_F_WALK_EABT);
    ev.fetch_addr = 0x0000'0001'8000'0FF8ull;
    // PnU InD RnW, S2 [103], CLASS=TT [105:104]; InputAddr; FetchAddr[55:3]
    Record exp = {kW0 | 0x0B, kSid, 0, 0xE | 1u << 7 | 1u << 8, 0x1234'5678, 0xFFFF'8000,
                  0x8000'0FF8, 0x1};
    EXPECT_EQ(enc(ev), exp);
}

// F_TRANSLATION/F_ADDR_SIZE/F_ACCESS share one layout (7.3.13-7.3.15):
// STAG [79:64], Stall [95], PnU/InD/RnW, S2, CLASS, InputAddr, NSIPA [192],
// IPA[55:12] at [247:204] with bits [11:0] zero.
Record xlate_exp(uint32_t type)
{
    return {kW0 | type, kSid, 0x8000'BEEF, 0xE | 1u << 7 | 1u << 8, 0x1234'5678, 0xFFFF'8000,
            0x1234'5001, 0x00AB'CDEF};
}

TEST(EventRecord, F_TRANSLATION_7_3_13)
{
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_TRANSLATION)), xlate_exp(0x10));
}

TEST(EventRecord, F_ADDR_SIZE_7_3_14)
{
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_ADDR_SIZE)), xlate_exp(0x11));
}

TEST(EventRecord, F_ACCESS_7_3_15)
{
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_ACCESS)), xlate_exp(0x12));
}

TEST(EventRecord, F_PERMISSION_TTRnW_7_3_16)
{
    Record exp = xlate_exp(0x13);
    exp[3] |= 1u << 12; // TTRnW [108]
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_PERMISSION)), exp);
}

TEST(EventRecord, StageOneFaultClassInNoIpa_7_3_13)
{
    smmu_event_t ev = base_ev(SMMU_EVT_F_TRANSLATION);
    ev.ssv = 0;
    ev.cls = SMMU_CLASS_IN;
    ev.rnw = 0;
    ev.ind = 1; // InD == 0 when RnW == 0
    ev.input_addr = 0x4000;
    Record exp = {0x10, kSid, 0, 2u << 8, 0x4000, 0, 0, 0};
    EXPECT_EQ(enc(ev), exp);
}

TEST(EventRecord, StallZeroHasNoStag_7_3_13)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_F_TRANSLATION);
    ev.stall = 0;
    EXPECT_EQ(enc(ev)[2], 0u);
}

TEST(EventRecord, F_TLB_CONFLICT_7_3_17)
{
    Record exp = {kW0 | 0x20, kSid, 0, 0xE | 1u << 7, 0x1234'5678, 0xFFFF'8000, 0x1234'5001,
                  0x00AB'CDEF};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_TLB_CONFLICT)), exp);
}

TEST(EventRecord, F_CFG_CONFLICT_Reason32_7_3_18)
{
    Record exp = {kW0 | 0x21, kSid, 0x9876'5432, 0, 0, 0, 0, 0};
    EXPECT_EQ(enc(xlate_ev(SMMU_EVT_F_CFG_CONFLICT)), exp);
}

TEST(EventRecord, F_VMS_FETCH_7_3_20)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_F_VMS_FETCH);
    ev.fetch_addr = 0x1000'0008;
    Record exp = {kW0 | 0x25, kSid, 0x5432, 0, 0, 0, 0x1000'0008, 0};
    EXPECT_EQ(enc(ev), exp);
}

TEST(EventRecord, NoSsvLeavesSubstreamIdZero_7_3)
{
    smmu_event_t ev = xlate_ev(SMMU_EVT_C_BAD_STE);
    ev.ssv = 0;
    EXPECT_EQ(enc(ev)[0], 0x04u);
}

TEST(EventRecord, DecodeRoundTripEveryType_7_3)
{
    const uint8_t types[] = {0x01, 0x02, 0x03, 0x04, 0x06, 0x07, 0x08, 0x09, 0x0A,
                             0x0B, 0x10, 0x11, 0x12, 0x13, 0x20, 0x21, 0x25};
    for (uint8_t t : types) {
        Record r = enc(xlate_ev(t));
        smmu_event_t d = dec(r);
        EXPECT_EQ(d.type, t);
        EXPECT_EQ(enc(d), r) << "type 0x" << std::hex << unsigned(t);
    }
}

TEST(EventRecord, DecodeTranslationFields_7_3_16)
{
    smmu_event_t d = dec(enc(xlate_ev(SMMU_EVT_F_PERMISSION)));
    EXPECT_EQ(d.sid, kSid);
    EXPECT_EQ(d.ssv, 1);
    EXPECT_EQ(d.ssid, 0xABCDEu);
    EXPECT_EQ(d.stall, 1);
    EXPECT_EQ(d.stag, 0xBEEF);
    EXPECT_EQ(d.pnu, 1);
    EXPECT_EQ(d.ind, 1);
    EXPECT_EQ(d.rnw, 1);
    EXPECT_EQ(d.s2, 1);
    EXPECT_EQ(d.cls, SMMU_CLASS_TT);
    EXPECT_EQ(d.ttrnw, 1);
    EXPECT_EQ(d.nsipa, 1);
    EXPECT_EQ(d.input_addr, 0xFFFF'8000'1234'5678ull);
    EXPECT_EQ(d.ipa, 0x00AB'CDEF'1234'5000ull);
    EXPECT_EQ(d.fetch_addr, 0u);
}

TEST(EventRecord, Names_7_3)
{
    EXPECT_STREQ(smmu_event_name(0x10), "F_TRANSLATION");
    EXPECT_STREQ(smmu_event_name(0x02), "C_BAD_STREAMID");
    EXPECT_STREQ(smmu_event_name(0x0B), "F_WALK_EABT");
    EXPECT_STREQ(smmu_event_name(0x13), "F_PERMISSION");
    EXPECT_STREQ(smmu_event_name(0x99), "UNKNOWN");
}

// ---- Queue behaviour ----

class Evtq : public SmmuTest {
  protected:
    void SetUp() override
    {
        SmmuTest::SetUp();
        enable_queues(); // 2^7-entry event queue at kEvtq, EVENTQ and GERROR IRQs on
        mem.irqs.clear();
    }
    int raise(uint32_t sid)
    {
        smmu_event_t ev{};
        ev.type = SMMU_EVT_C_BAD_STE;
        ev.sid = sid;
        return smmu_evtq_record(smmu, &ev) == SMMU_CAUSE_NONE;
    }
    smmu_stats_t stats()
    {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st;
    }
};

TEST_F(Evtq, RecordWrittenAtProdLittleEndian_7_2)
{
    EXPECT_EQ(raise(0x77), 1);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
    EXPECT_EQ(mem.read32(kEvtq), 0x04u);
    EXPECT_EQ(mem.read32(kEvtq + 4), 0x77u);
    uint8_t b[4];
    mem.read(kEvtq + 4, b, 4);
    EXPECT_EQ(b[0], 0x77);
    EXPECT_EQ(b[3], 0x00);
    auto ev = events();
    ASSERT_EQ(ev.size(), 1u);
    EXPECT_EQ(ev[0], (Record{0x04, 0x77, 0, 0, 0, 0, 0, 0}));
}

TEST_F(Evtq, StatsAndObserver_7_2)
{
    raise(1);
    EXPECT_EQ(stats().events_raised, 1u);
    EXPECT_EQ(stats().events_recorded, 1u);
    ASSERT_EQ(mem.observed_events.size(), 1u);
    EXPECT_EQ(mem.observed_events[0].sid, 1u);
    EXPECT_EQ(mem.observed_recorded[0], 1);
}

TEST_F(Evtq, InterruptWhenQueueBecomesNonEmpty_3_18_2)
{
    raise(1);
    raise(2);
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_EVENTQ);
    events(); // consume: empty again
    raise(3);
    EXPECT_EQ(mem.irqs.size(), 2u);
}

TEST_F(Evtq, NoInterruptWhenEventqIrqenClear_6_3_16)
{
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN);
    raise(1);
    EXPECT_TRUE(mem.irqs.empty());
}

TEST_F(Evtq, EventqMsiWhenConfigured_3_18)
{
    wr(SMMU_IRQ_CTRL, 0);
    wr(SMMU_EVENTQ_IRQ_CFG0, 0x5000'0040, 8);
    wr(SMMU_EVENTQ_IRQ_CFG1, 0x1234'5678);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    raise(1);
    EXPECT_EQ(mem.read32(0x5000'0040), 0x1234'5678u);
}

TEST_F(Evtq, EventqMsiAbortRaisesMsiEventqAbtErr_7_5)
{
    wr(SMMU_IRQ_CTRL, 0);
    wr(SMMU_EVENTQ_IRQ_CFG0, 0x5000'0040, 8);
    mem.add_abort(0x5000'0000, 0x1000);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    EXPECT_EQ(raise(1), 1); // the record itself is written
    EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_MSI_EVENTQ_ABT_ERR));
}

TEST_F(Evtq, WrapToggleAfterLastEntry_3_5)
{
    // Move PROD/CONS to the last slot before enabling.
    wr(SMMU_CR0, SMMU_CR0_CMDQEN);
    wr(SMMU_EVENTQ_PROD, 127);
    wr(SMMU_EVENTQ_CONS, 127);
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    raise(0xA);
    raise(0xB);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u | 1u << 7); // index 1, WR_WRAP set
    EXPECT_EQ(mem.read32(kEvtq + 127 * 32 + 4), 0xAu);
    EXPECT_EQ(mem.read32(kEvtq + 4), 0xBu);
    auto ev = events();
    ASSERT_EQ(ev.size(), 2u);
    EXPECT_EQ(ev[0][1], 0xAu);
    EXPECT_EQ(ev[1][1], 0xBu);
}

TEST_F(Evtq, DisabledQueueDropsSilently_7_2_1)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN);
    EXPECT_EQ(raise(1), 0);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
    EXPECT_EQ(stats().events_dropped_disabled, 1u);
    EXPECT_EQ(stats().events_raised, 1u);
    EXPECT_EQ(mem.read32(kEvtq), 0u);
    ASSERT_EQ(mem.observed_recorded.size(), 1u);
    EXPECT_EQ(mem.observed_recorded[0], 0); // observer still sees it
}

TEST_F(Evtq, WriteAbortRaisesEventqAbtErr_7_2_2)
{
    mem.add_abort(kEvtq, 0x1000);
    EXPECT_EQ(raise(1), 0);
    EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_EVENTQ_ABT_ERR));
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u); // synchronous: PROD not incremented
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_GERROR);
}

TEST_F(Evtq, NotWritableWhileEventqAbtErrActive_7_2_1)
{
    mem.add_abort(kEvtq, 0x1000);
    raise(1);
    mem.clear_aborts();
    EXPECT_EQ(raise(2), 0);
    EXPECT_EQ(stats().events_dropped_disabled, 1u);
    wr(SMMU_GERRORN, SMMU_GERROR_EVENTQ_ABT_ERR);
    EXPECT_EQ(raise(3), 1);
    EXPECT_EQ(mem.read32(kEvtq + 4), 3u);
}

class EvtqOverflow : public Evtq {
  protected:
    void fill()
    {
        for (uint32_t i = 0; i < 128; i++)
            ASSERT_EQ(raise(i), 1);
    }
};

TEST_F(EvtqOverflow, FullQueueDropsAndTogglesOvflg_7_4)
{
    fill();
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u << 7); // full: index 0, wrap differs
    EXPECT_EQ(raise(200), 0);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), uint64_t(SMMU_Q_OVF) | 1u << 7);
    EXPECT_EQ(rd(SMMU_GERROR), 0u); // never a GERROR for overflow
    EXPECT_EQ(stats().events_dropped_full, 1u);
    EXPECT_EQ(mem.read32(kEvtq + 4), 0u); // slot 0 still holds the first record
}

TEST_F(EvtqOverflow, PendingOverflowNotToggledAgain_7_4)
{
    fill();
    raise(200);
    raise(201);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), uint64_t(SMMU_Q_OVF) | 1u << 7);
    EXPECT_EQ(stats().events_dropped_full, 2u);
}

TEST_F(EvtqOverflow, OvackflgAcknowledgesThenNextOverflowTogglesBack_7_4)
{
    fill();
    raise(200);
    // Software acknowledges without consuming: OVACKFLG = OVFLG.
    wr(SMMU_EVENTQ_CONS, SMMU_Q_OVF | 0);
    raise(201);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u << 7); // toggled back to 0
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
}

TEST_F(EvtqOverflow, RecordsResumeAfterConsumption_7_4)
{
    fill();
    raise(200);
    auto ev = events(); // consumes all and acknowledges the overflow
    EXPECT_EQ(ev.size(), 128u);
    EXPECT_EQ(raise(300), 1);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), uint64_t(SMMU_Q_OVF) | 1u << 7 | 1u);
}

} // namespace

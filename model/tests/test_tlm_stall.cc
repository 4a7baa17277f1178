// SPDX-License-Identifier: Apache-2.0
// TlmStall: the Stall model through the TLM sockets (3.12.2, 4.7.1
// CMD_RESUME, 4.7.2 CMD_STALL_TERM, 6.3.6 IDR5.STALL_MAX). A stalled
// transaction blocks its b_transport (or holds BEGIN_RESP in AT) until the
// driver's CMD_RESUME / CMD_STALL_TERM, written through the register
// socket, hands its completion out (smmu_take_completions after the write).
#include "tlm_harness.h"

using namespace tlmtest;

namespace {

// A stall-capable SMMU (IDR0.STALL_MODEL = 0b00) with room for stall_max
// stalls (IDR5.STALL_MAX).
smmu_config_t stall_cfg(uint16_t stall_max = 4)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.stall_model = 0;
    c.stall_max = stall_max;
    return c;
}

// Stream 3 (port 0's default) with CD.S = 1 (5.4: stage-1 faults stall):
// kIova -> kPa mapped, kIova + 0x5000 not.
void stall_tables(Platform &p)
{
    p.add_stream(3, [](smmu_build_cd_t &cd) { cd.s = 1; });
    p.map(3, kIova, kPa, 0x1000);
}

smmu_cmd_t resume(uint32_t sid, uint16_t stag, bool retry, bool ab = true)
{
    smmu_cmd_t c = {};
    c.opcode = SMMU_CMD_RESUME;
    c.sid = sid;
    c.stag = stag;
    c.resp = retry ? 1 : 0; // Ac (4.7.1)
    c.ab = ab ? 1 : 0;
    return c;
}
smmu_cmd_t sync_cmd()
{
    smmu_cmd_t c = {};
    c.opcode = SMMU_CMD_SYNC;
    return c;
}

// The newest event record, decoded (7.3).
smmu_event_t last_record(Platform &p)
{
    const uint32_t prod = p.evtq_prod() & ((1u << Platform::kEvtqLog2) - 1);
    uint32_t w[8];
    p.record((prod - 1) & ((1u << Platform::kEvtqLog2) - 1), w);
    smmu_event_t ev;
    smmu_event_decode(w, &ev);
    return ev;
}

// A device thread's LT access whose completion the test observes.
struct Pending {
    bool done = false;
    tlm::tlm_response_status status = tlm::TLM_INCOMPLETE_RESPONSE;
    sc_time at;
    uint8_t buf[8] = {};
};

void start_read(Device &d, uint64_t a, Pending &out)
{
    sc_core::sc_spawn([&d, a, &out] {
        out.status = d.read(a, out.buf, 8);
        out.at = sc_core::sc_time_stamp();
        out.done = true;
    });
}

} // namespace

// 3.12.2, 4.7.1: a stage-1 F_TRANSLATION with CD.S = 1 stalls: b_transport
// does not return; the record has Stall = 1 and the STAG. Software maps the
// page and sends CMD_RESUME (Retry): the transaction is retried, completes
// with OK and reads the bytes at the new PA.
TEST(TlmStall, BTransportBlocksUntilResumeRetry_4_7_1)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    fill(p, 0x9AB008, 8, 0x51);
    Pending r;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5008, r);
        wait(sc_time(100, SC_NS));
        EXPECT_FALSE(r.done) << "a stalled transaction has not completed";
        smmu_event_t ev = last_record(p);
        EXPECT_EQ(ev.type, SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(ev.sid, 3u);
        EXPECT_EQ(ev.stall, 1);
        EXPECT_EQ(ev.stag, 0u);
        EXPECT_EQ(ev.input_addr, kIova + 0x5008);
        p.map(3, kIova + 0x5000, 0x9AB000, 0x1000);
        p.submit({resume(3, ev.stag, true), sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(r.done) << "CMD_RESUME (Retry) completes it";
        EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(r.buf, &p.mem.bytes[0x9AB008], 8), 0);
        EXPECT_EQ(r.at, sc_time(100, SC_NS)) << "completes when the resume is written";
    });
}

// 4.7.1: CMD_RESUME with Ac = 0 (terminate) and Ab = 1: the transaction is
// aborted: TLM_ADDRESS_ERROR_RESPONSE, nothing read downstream.
TEST(TlmStall, ResumeTerminateAborts_4_7_1)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    Pending r;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, r);
        wait(sc_time(50, SC_NS));
        ASSERT_FALSE(r.done);
        p.mem.logging = true;
        p.submit({resume(3, last_record(p).stag, false, true), sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(r.done);
        EXPECT_EQ(r.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
        for (const Access &a : p.mem.log)
            EXPECT_LT(a.addr, 0x800000u) << "only queue/table traffic, no data access";
    });
}

// 4.7.1, 3.12.2 with IDR0.TERM_MODEL = 0: CMD_RESUME (Ac = 0, Ab = 0)
// terminates with RAZ/WI: OK response, the read returns zeros.
TEST(TlmStall, ResumeTerminateRazWiReadsZero_4_7_1)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    Pending r;
    std::memset(r.buf, 0xEE, sizeof r.buf);
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, r);
        wait(sc_time(50, SC_NS));
        ASSERT_FALSE(r.done);
        p.submit({resume(3, last_record(p).stag, false, false), sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(r.done);
        EXPECT_EQ(r.status, tlm::TLM_OK_RESPONSE);
        for (uint8_t b : r.buf)
            EXPECT_EQ(b, 0);
    });
}

// 4.7.2: CMD_STALL_TERM terminates every stall of the StreamID: both
// blocked transactions (two STAGs) return with an abort.
TEST(TlmStall, StallTermReleasesEveryStallOfTheStream_4_7_2)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    Pending a, b;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, a);
        start_read(p.dev0, kIova + 0x6000, b);
        wait(sc_time(50, SC_NS));
        ASSERT_FALSE(a.done);
        ASSERT_FALSE(b.done);
        smmu_cmd_t t = {};
        t.opcode = SMMU_CMD_STALL_TERM;
        t.sid = 3;
        p.submit({t, sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(a.done);
        ASSERT_TRUE(b.done);
        EXPECT_EQ(a.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(b.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    });
}

// 6.3.9.6: clearing SMMUEN terminates outstanding stalls (aborted).
TEST(TlmStall, SmmuenClearTerminatesStall_6_3_9)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    Pending r;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, r);
        wait(sc_time(50, SC_NS));
        ASSERT_FALSE(r.done);
        p.cr0(SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(r.done);
        EXPECT_EQ(r.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
    });
}

// 6.3.6 IDR5.STALL_MAX = 1: a second faulting transaction while one stall
// is outstanding gets SMMU_XLATE_BUSY from the core; the component resends
// it once the first completes (here: terminated), when it stalls in its
// turn with the next STAG; no record was written for the refused attempt.
TEST(TlmStall, BusyRetriedWhenASlotFrees_6_3_6)
{
    smmu_config_t c = stall_cfg(1);
    Platform p(&c);
    stall_tables(p);
    Pending a, b;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, a);
        wait(sc_time(10, SC_NS));
        start_read(p.dev0, kIova + 0x6000, b);
        wait(sc_time(40, SC_NS));
        EXPECT_EQ(p.evtq_prod(), 1u) << "the BUSY attempt wrote no record";
        p.submit({resume(3, last_record(p).stag, false), sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(a.done);
        EXPECT_EQ(a.status, tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_FALSE(b.done) << "resent, stalled in its turn";
        EXPECT_EQ(p.evtq_prod(), 2u);
        smmu_event_t ev = last_record(p);
        EXPECT_EQ(ev.input_addr, kIova + 0x6000);
        EXPECT_EQ(ev.stall, 1);
        p.map(3, kIova + 0x6000, 0xA10000, 0x1000);
        fill(p, 0xA10000, 8, 0x33);
        p.submit({resume(3, ev.stag, true), sync_cmd()});
        wait(sc_time(1, SC_NS));
        ASSERT_TRUE(b.done);
        EXPECT_EQ(b.status, tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(b.buf, &p.mem.bytes[0xA10000], 8), 0);
    });
}

// AT (IEEE 1666-2011 8.2): a stalled AT transaction gets END_REQ but its
// BEGIN_RESP is held until CMD_RESUME (Retry) completes it.
TEST(TlmStall, AtHoldsBeginRespUntilResume_4_7_1)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    fill(p, 0x9AB000, 8, 0x71);
    run([&] {
        p.boot();
        uint8_t buf[8] = {};
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(kIova + 0x5000);
        t.set_data_ptr(buf);
        t.set_data_length(8);
        t.set_streaming_width(8);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.dev0.sock->nb_transport_fw(t, ph, d), tlm::TLM_UPDATED);
        EXPECT_EQ(ph, tlm::END_REQ);
        wait(sc_time(100, SC_NS));
        for (auto &b : p.dev0.bw)
            EXPECT_NE(b.ph, tlm::BEGIN_RESP) << "BEGIN_RESP held while stalled";
        p.map(3, kIova + 0x5000, 0x9AB000, 0x1000);
        p.submit({resume(3, last_record(p).stag, true), sync_cmd()});
        wait(sc_time(20, SC_NS));
        ASSERT_EQ(p.dev0.bw.size(), 1u);
        EXPECT_EQ(p.dev0.bw[0].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(p.dev0.bw[0].when, sc_time(100, SC_NS) + kMemLatency);
        EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[0x9AB000], 8), 0);
    });
}

// A stalled transaction waits without the instance's lock (re-entrancy,
// docs/systemc.md): another port's traffic translates meanwhile.
TEST(TlmStall, OtherPortProceedsWhileOneStalls)
{
    smmu_config_t c = stall_cfg();
    Platform p(&c);
    stall_tables(p);
    p.add_stream(4);
    p.map(4, kIova, 0xA00000, 0x1000);
    fill(p, 0xA00000, 8, 0x19);
    Pending r;
    run([&] {
        p.boot();
        start_read(p.dev0, kIova + 0x5000, r);
        wait(sc_time(10, SC_NS));
        uint8_t buf[8] = {};
        EXPECT_EQ(p.dev1.read(kIova, buf, 8), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[0xA00000], 8), 0);
        EXPECT_FALSE(r.done);
        p.submit({resume(3, last_record(p).stag, false), sync_cmd()});
        wait(sc_time(1, SC_NS));
        EXPECT_TRUE(r.done);
    });
}

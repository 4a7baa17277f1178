// SPDX-License-Identifier: Apache-2.0
// TlmAt: the approximately-timed path, base protocol phases (IEEE
// 1666-2011 15.2): BEGIN_REQ -> END_REQ, BEGIN_RESP -> END_RESP, several
// transactions in flight per socket, request and response exclusion.
#include "tlm_harness.h"

using namespace tlmtest;

namespace {
struct AtTxn {
    tlm::tlm_generic_payload t;
    uint32_t data = 0;
    void init(tlm::tlm_command cmd, uint64_t a)
    {
        t.set_command(cmd);
        t.set_address(a);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&data));
        t.set_data_length(4);
        t.set_streaming_width(4);
        t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    }
};
tlm::tlm_sync_enum begin_req(Device &d, tlm::tlm_generic_payload &t, tlm::tlm_phase &ph,
                             sc_time delay = SC_ZERO_TIME)
{
    ph = tlm::BEGIN_REQ;
    return d.sock->nb_transport_fw(t, ph, delay);
}
} // namespace

// One read: END_REQ on the return path (TLM_UPDATED), BEGIN_RESP on the
// backward path after the downstream latency, with the data at the PA;
// TLM_COMPLETED from the initiator ends it.
TEST(TlmAt, FourPhasesOfOneRead)
{
    Platform p;
    standard_tables(p);
    const uint32_t want = 0xC0FFEE11;
    std::memcpy(&p.mem.bytes[0x800200], &want, 4);
    run([&] {
        p.boot();
        AtTxn x;
        x.init(tlm::TLM_READ_COMMAND, kIova + 0x200);
        tlm::tlm_phase ph;
        const sc_time t0 = sc_core::sc_time_stamp();
        EXPECT_EQ(begin_req(p.dev0, x.t, ph), tlm::TLM_UPDATED);
        EXPECT_EQ(ph, tlm::END_REQ);
        wait(p.dev0.bw_event);
        ASSERT_EQ(p.dev0.bw.size(), 1u);
        EXPECT_EQ(p.dev0.bw[0].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(p.dev0.bw[0].t, &x.t);
        EXPECT_EQ(p.dev0.bw[0].when - t0, kMemLatency);
        EXPECT_EQ(x.t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(x.t.get_address(), kIova + 0x200) << "address restored";
        EXPECT_EQ(x.data, want);
    });
}

// A write through AT lands at the PA.
TEST(TlmAt, WriteLandsAtTranslatedPa)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        AtTxn x;
        x.init(tlm::TLM_WRITE_COMMAND, kIova + 0x3004);
        x.data = 0x12345678;
        tlm::tlm_phase ph;
        EXPECT_EQ(begin_req(p.dev0, x.t, ph), tlm::TLM_UPDATED);
        wait(p.dev0.bw_event);
        EXPECT_EQ(x.t.get_response_status(), tlm::TLM_OK_RESPONSE);
        uint32_t got;
        std::memcpy(&got, &p.mem.bytes[0x803004], 4);
        EXPECT_EQ(got, 0x12345678u);
    });
}

// The BEGIN_REQ annotation (15.2.2 timing annotation) delays the work: a
// request annotated +20 ns answers at t0 + 20 ns + kMemLatency.
TEST(TlmAt, BeginReqDelayIsHonoured)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        AtTxn x;
        x.init(tlm::TLM_READ_COMMAND, kIova);
        tlm::tlm_phase ph;
        const sc_time t0 = sc_core::sc_time_stamp();
        EXPECT_EQ(begin_req(p.dev0, x.t, ph, sc_time(20, SC_NS)), tlm::TLM_UPDATED);
        wait(p.dev0.bw_event);
        ASSERT_EQ(p.dev0.bw.size(), 1u);
        EXPECT_EQ(p.dev0.bw[0].when - t0, sc_time(20, SC_NS) + kMemLatency);
    });
}

// Three reads in flight on one socket (limit 4): each gets END_REQ at
// once; three BEGIN_RESPs follow, one at a time, each with its own data.
TEST(TlmAt, SeveralTransactionsInFlight)
{
    Platform p;
    standard_tables(p);
    for (unsigned i = 0; i < 3; i++) {
        uint32_t v = 0x1000 + i;
        std::memcpy(&p.mem.bytes[kPa + 0x1000 * i], &v, 4);
    }
    run([&] {
        p.boot();
        AtTxn x[3];
        const sc_time t0 = sc_core::sc_time_stamp();
        for (unsigned i = 0; i < 3; i++) {
            x[i].init(tlm::TLM_READ_COMMAND, kIova + 0x1000 * i);
            tlm::tlm_phase ph;
            EXPECT_EQ(begin_req(p.dev0, x[i].t, ph), tlm::TLM_UPDATED) << i;
            EXPECT_EQ(ph, tlm::END_REQ);
        }
        wait(sc_time(100, SC_NS));
        ASSERT_EQ(p.dev0.bw.size(), 3u);
        for (unsigned i = 0; i < 3; i++) {
            EXPECT_EQ(p.dev0.bw[i].ph, tlm::BEGIN_RESP);
            EXPECT_EQ(p.dev0.bw[i].when - t0, kMemLatency);
            EXPECT_EQ(x[i].data, 0x1000 + i);
            EXPECT_EQ(x[i].t.get_response_status(), tlm::TLM_OK_RESPONSE);
        }
    });
}

// Request exclusion (15.2.6) at the outstanding limit: with limit 2 and
// the initiator holding responses (TLM_ACCEPTED on BEGIN_RESP), the third
// BEGIN_REQ is accepted without END_REQ; END_REQ comes on the backward
// path when the first transaction's END_RESP frees a slot. Response
// exclusion: the second BEGIN_RESP waits for the first END_RESP.
TEST(TlmAt, EndReqWithheldAtLimitThenGiven)
{
    Platform p;
    standard_tables(p);
    p.smmu.set_outstanding_limit(2);
    p.dev0.resp_answer = tlm::TLM_ACCEPTED;
    run([&] {
        p.boot();
        AtTxn x[3];
        tlm::tlm_phase ph;
        const sc_time t0 = sc_core::sc_time_stamp();
        for (unsigned i = 0; i < 3; i++)
            x[i].init(tlm::TLM_READ_COMMAND, kIova + 0x100 * i);
        EXPECT_EQ(begin_req(p.dev0, x[0].t, ph), tlm::TLM_UPDATED);
        EXPECT_EQ(begin_req(p.dev0, x[1].t, ph), tlm::TLM_UPDATED);
        EXPECT_EQ(begin_req(p.dev0, x[2].t, ph), tlm::TLM_ACCEPTED) << "END_REQ withheld";
        EXPECT_EQ(ph, tlm::BEGIN_REQ);
        wait(sc_time(20, SC_NS));
        // x[0] and x[1] both finish at t0 + 7 ns; the base protocol allows
        // responses in any order, so the first BEGIN_RESP is one of them.
        ASSERT_EQ(p.dev0.bw.size(), 1u) << "one BEGIN_RESP at a time, no END_REQ yet";
        tlm::tlm_generic_payload *first = p.dev0.bw[0].t;
        tlm::tlm_generic_payload *second = first == &x[0].t ? &x[1].t : &x[0].t;
        EXPECT_TRUE(first == &x[0].t || first == &x[1].t);
        EXPECT_EQ(p.dev0.bw[0].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(p.dev0.bw[0].when - t0, kMemLatency);
        tlm::tlm_phase er = tlm::END_RESP;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.dev0.sock->nb_transport_fw(*first, er, d), tlm::TLM_COMPLETED);
        wait(sc_time(1, SC_NS));
        ASSERT_EQ(p.dev0.bw.size(), 3u);
        EXPECT_EQ(p.dev0.bw[1].t, &x[2].t);
        EXPECT_EQ(p.dev0.bw[1].ph, tlm::END_REQ);
        EXPECT_EQ(p.dev0.bw[1].when - t0, sc_time(20, SC_NS));
        EXPECT_EQ(p.dev0.bw[2].t, second);
        EXPECT_EQ(p.dev0.bw[2].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(p.dev0.bw[2].when - t0, sc_time(20, SC_NS));
        // finish the other two
        er = tlm::END_RESP;
        EXPECT_EQ(p.dev0.sock->nb_transport_fw(*second, er, d), tlm::TLM_COMPLETED);
        wait(sc_time(20, SC_NS));
        ASSERT_EQ(p.dev0.bw.size(), 4u);
        EXPECT_EQ(p.dev0.bw[3].t, &x[2].t);
        EXPECT_EQ(p.dev0.bw[3].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(p.dev0.bw[3].when - t0, sc_time(20, SC_NS) + kMemLatency)
            << "x[2] accepted at 20 ns, downstream done at 27 ns";
        er = tlm::END_RESP;
        EXPECT_EQ(p.dev0.sock->nb_transport_fw(x[2].t, er, d), tlm::TLM_COMPLETED);
    });
}

// 3.12 / 7.3.12: a translation fault on the AT path ends with BEGIN_RESP
// carrying TLM_ADDRESS_ERROR_RESPONSE; nothing goes downstream.
TEST(TlmAt, FaultGivesAddressErrorInBeginResp)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        AtTxn x;
        x.init(tlm::TLM_READ_COMMAND, kIova + 0x10000);
        tlm::tlm_phase ph;
        p.mem.logging = true;
        EXPECT_EQ(begin_req(p.dev0, x.t, ph), tlm::TLM_UPDATED);
        wait(p.dev0.bw_event);
        EXPECT_EQ(x.t.get_response_status(), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        for (auto &a : p.mem.log)
            EXPECT_LT(a.addr, 0x800000u) << "only table/queue accesses";
    });
}

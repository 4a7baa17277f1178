// SPDX-License-Identifier: Apache-2.0
// TlmLt: the loosely-timed path (IEEE 1666-2011 11.1.2 b_transport):
// translate, forward downstream at the PA, annotate the delay.
#include "tlm_harness.h"

using namespace tlmtest;

// 3.3 / D8: a stage-1 translation of IOVA 0x40001010 (page 0x40001000 ->
// PA 0x801000) reaches memory as one 64-byte read at PA 0x801010.
TEST(TlmLt, ReadForwardedAtTranslatedPa)
{
    Platform p;
    standard_tables(p);
    fill(p, 0x801010, 64, 0x21);
    run([&] {
        p.boot();
        p.mem.logging = true;
        uint8_t buf[64] = {};
        EXPECT_EQ(p.dev0.read(kIova + 0x1010, buf, 64), tlm::TLM_OK_RESPONSE);
        ASSERT_FALSE(p.mem.log.empty());
        const Access &a = p.mem.log.back();
        EXPECT_EQ(a.cmd, tlm::TLM_READ_COMMAND);
        EXPECT_EQ(a.addr, 0x801010u);
        EXPECT_EQ(a.len, 64u);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[0x801010], 64), 0);
    });
}

// The same for a write: the bytes land at the PA and nowhere else.
TEST(TlmLt, WriteLandsAtTranslatedPa)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        uint8_t buf[16];
        for (unsigned i = 0; i < 16; i++)
            buf[i] = uint8_t(0xA0 + i);
        EXPECT_EQ(p.dev0.write(kIova + 0x2008, buf, 16), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(&p.mem.bytes[0x802008], buf, 16), 0);
        EXPECT_EQ(p.mem.bytes[0x802007], 0);
        EXPECT_EQ(p.mem.bytes[0x802018], 0);
        EXPECT_EQ(p.mem.bytes[kIova & (kMemSize - 1)], 0);
    });
}

// Delay accounting (11.1.2.4): without the [timing] model the SMMU adds
// no cycles, so the annotated delay is the caller's plus the downstream
// target's (kMemLatency), whether the translation walked or hit the TLB.
// Table-walk reads do not add to the transaction's delay.
TEST(TlmLt, DelayIsCallerPlusDownstream)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        uint32_t v = 0;
        sc_time d(5, SC_NS);
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova, &v, 4, d), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, sc_time(5, SC_NS) + kMemLatency) << "miss: walk reads not charged";
        d = sc_time(2, SC_NS);
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova + 4, &v, 4, d), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, sc_time(2, SC_NS) + kMemLatency) << "hit";
        EXPECT_EQ(p.stats().tlb_hits + p.stats().utlb_hits, 1u);
    });
}

// A downstream target that wait()s inside b_transport (11.1.2.6): the
// delay it consumed is in simulated time, not in the annotation.
TEST(TlmLt, DownstreamWaitConsumesSimulatedTime)
{
    Platform p;
    standard_tables(p);
    p.mem.use_wait = true;
    run([&] {
        p.boot();
        const sc_time t0 = sc_core::sc_time_stamp();
        uint32_t v = 0;
        sc_time d(3, SC_NS);
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova + 0x40, &v, 4, d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, SC_ZERO_TIME);
        // walk reads (STE, CD, 4 descriptors) and the data read each wait
        EXPECT_GE(sc_core::sc_time_stamp() - t0, sc_time(3, SC_NS) + kMemLatency);
    });
}

// A transaction crossing from page 0x40003000 (PA 0x803000) into page
// 0x40004000 (PA 0x900000) is split at the page boundary: two downstream
// reads, 16 and 48 bytes, at their own PAs.
TEST(TlmLt, PageCrossingSplitsAtBoundary)
{
    Platform p;
    standard_tables(p);
    fill(p, 0x803FF0, 16, 0x10);
    fill(p, 0x900000, 48, 0x80);
    run([&] {
        p.boot();
        p.mem.logging = true;
        uint8_t buf[64] = {};
        EXPECT_EQ(p.dev0.read(kIova + 0x3FF0, buf, 64), tlm::TLM_OK_RESPONSE);
        std::vector<Access> data;
        for (auto &a : p.mem.log)
            if (a.addr >= 0x800000)
                data.push_back(a);
        ASSERT_EQ(data.size(), 2u);
        EXPECT_EQ(data[0].addr, 0x803FF0u);
        EXPECT_EQ(data[0].len, 16u);
        EXPECT_EQ(data[1].addr, 0x900000u);
        EXPECT_EQ(data[1].len, 48u);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[0x803FF0], 16), 0);
        EXPECT_EQ(std::memcmp(buf + 16, &p.mem.bytes[0x900000], 48), 0);
    });
}

// Sideband (3.3: StreamID selects the STE): a smmu::sideband extension
// overrides the socket's default; without it the port's default applies.
TEST(TlmLt, SidebandExtensionSelectsStream)
{
    Platform p;
    standard_tables(p);
    p.mem.bytes[0x800000] = 0x33;
    p.mem.bytes[0xA00000] = 0x44;
    run([&] {
        p.boot();
        uint8_t v = 0;
        EXPECT_EQ(p.dev0.read(kIova, &v, 1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x33) << "port 0 default: StreamID 3";
        smmu::sideband sb;
        sb.sid = 4;
        EXPECT_EQ(p.dev0.read(kIova, &v, 1, &sb), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x44) << "extension: StreamID 4";
        EXPECT_EQ(p.dev1.read(kIova, &v, 1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x44) << "port 1 default: StreamID 4";
    });
}

// 6.3.14: with SMMUEN = 0 and GBPA.ABORT = 0 transactions bypass: the
// downstream address is the input address. (The model resets GBPA.ABORT
// to 1, so the driver clears it first with GBPA.Update.)
TEST(TlmLt, DisabledSmmuBypassesWithGbpa)
{
    Platform p;
    p.mem.bytes[0x123456] = 0x5A;
    run([&] {
        uint8_t v = 0;
        EXPECT_EQ(p.dev0.read(0x123456, &v, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE)
            << "GBPA.ABORT = 1 at reset: abort";
        p.wr(SMMU_GBPA, SMMU_GBPA_UPDATE);
        EXPECT_EQ(p.rd(SMMU_GBPA), 0u) << "Update clears when the write took effect";
        p.mem.logging = true;
        EXPECT_EQ(p.dev0.read(0x123456, &v, 1), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x5A);
        ASSERT_EQ(p.mem.log.size(), 1u);
        EXPECT_EQ(p.mem.log[0].addr, 0x123456u);
    });
}

// The walk's memory accesses go downstream as ordinary b_transport reads:
// the first access of stream 3 reads its STE (stream table base + 3 * 64)
// and the level-0 descriptor at the table root, before the data access.
TEST(TlmLt, WalkReadsGoDownstream)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        p.mem.logging = true;
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        bool ste = false, root = false;
        const uint64_t ste_pa = p.st.base + 3 * 64;
        const uint64_t root_pa = p.streams.at(3)->pt.root + 8 * ((kIova >> 39) & 0x1FF);
        for (auto &a : p.mem.log) {
            ste |= a.cmd == tlm::TLM_READ_COMMAND && a.addr <= ste_pa && ste_pa < a.addr + a.len;
            root |= a.cmd == tlm::TLM_READ_COMMAND && a.addr == root_pa && a.len == 8;
        }
        EXPECT_TRUE(ste) << "STE fetch";
        EXPECT_TRUE(root) << "level-0 descriptor read";
        EXPECT_EQ(p.mem.log.back().addr, kPa);
    });
}

// The DMI hint (11.2.9): set on a translated response when the page and
// the downstream target would grant DMI; cleared when the target refuses.
TEST(TlmLt, DmiHintFollowsPageAndTarget)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        uint32_t v;
        bool hint = false;
        sc_time d = SC_ZERO_TIME;
        p.dev0.access(tlm::TLM_READ_COMMAND, kIova, &v, 4, d, nullptr, &hint);
        EXPECT_TRUE(hint);
        p.mem.dmi = false;
        p.dev0.access(tlm::TLM_READ_COMMAND, kIova, &v, 4, d, nullptr, &hint);
        EXPECT_FALSE(hint);
    });
}

// A tlm_quantumkeeper initiator (IEEE 1666-2011 16.2): 8 reads with local
// time offsets; each annotation is local + kMemLatency and the keeper
// syncs when the quantum (40 ns) is exceeded.
TEST(TlmLt, WorksWithQuantumKeeper)
{
    Platform p;
    standard_tables(p);
    for (unsigned i = 0; i < 8; i++)
        p.mem.bytes[kPa + 8 * i] = uint8_t(i + 1);
    run([&] {
        p.boot();
        tlm_utils::tlm_quantumkeeper::set_global_quantum(sc_time(40, SC_NS));
        tlm_utils::tlm_quantumkeeper qk;
        qk.reset();
        const sc_time t0 = sc_core::sc_time_stamp();
        for (unsigned i = 0; i < 8; i++) {
            uint8_t v = 0;
            sc_time d = qk.get_local_time();
            EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova + 8 * i, &v, 1, d),
                      tlm::TLM_OK_RESPONSE);
            EXPECT_EQ(v, i + 1);
            EXPECT_EQ(d, qk.get_local_time() + kMemLatency);
            qk.set(d);
            if (qk.need_sync())
                qk.sync();
        }
        qk.sync();
        EXPECT_EQ(sc_core::sc_time_stamp() - t0, 8 * kMemLatency);
    });
}

// 3.11: the instance also answers nb_transport_fw on every upstream socket
// (a base-protocol LT/AT mix); checked here on port 1.
TEST(TlmLt, NbTransportServedOnEveryPort)
{
    Platform p;
    standard_tables(p);
    p.mem.bytes[0xA00010] = 0x77;
    run([&] {
        p.boot();
        uint8_t v = 0;
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(kIova + 0x10);
        t.set_data_ptr(&v);
        t.set_data_length(1);
        t.set_streaming_width(1);
        tlm::tlm_phase ph = tlm::BEGIN_REQ;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.dev1.sock->nb_transport_fw(t, ph, d), tlm::TLM_UPDATED);
        EXPECT_EQ(ph, tlm::END_REQ);
        wait(p.dev1.bw_event);
        ASSERT_EQ(p.dev1.bw.size(), 1u);
        EXPECT_EQ(p.dev1.bw[0].ph, tlm::BEGIN_RESP);
        EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(v, 0x77);
    });
}

// SPDX-License-Identifier: Apache-2.0
// TlmResp: how a transaction ends, as a TLM response status (14.17).
// Abort: TLM_ADDRESS_ERROR_RESPONSE (option: generic error); RAZ/WI: OK,
// reads zero, writes dropped; downstream errors pass through.
#include "tlm_harness.h"

using namespace tlmtest;

// 7.3.12 F_TRANSLATION: an unmapped IOVA aborts with
// TLM_ADDRESS_ERROR_RESPONSE and writes one record: type 0x10, StreamID 3,
// RnW = 1, InputAddr = the IOVA.
TEST(TlmResp, TranslationFaultIsAddressErrorWithRecord)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        p.mem.logging = true;
        uint32_t v = 0xAAAAAAAA;
        EXPECT_EQ(p.dev0.read(kIova + 0x10008, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        for (auto &a : p.mem.log)
            EXPECT_LT(a.addr, 0x800000u) << "no data access";
        ASSERT_EQ(p.evtq_prod(), 1u);
        uint32_t w[8];
        p.record(0, w);
        EXPECT_EQ(w[0] & 0xFF, SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(w[1], 3u) << "StreamID";
        EXPECT_EQ(w[4], uint32_t(kIova + 0x10008)) << "InputAddr[31:0]";
        EXPECT_EQ(w[5], uint32_t((kIova + 0x10008) >> 32));
        smmu_event_t e;
        smmu_event_decode(w, &e);
        EXPECT_EQ(e.rnw, 1u);
        EXPECT_EQ(e.ssv, 0u);
    });
}

// The option: aborts as TLM_GENERIC_ERROR_RESPONSE.
TEST(TlmResp, AbortAsGenericErrorOption)
{
    Platform p;
    standard_tables(p);
    p.smmu.set_abort_generic_error(true);
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.write(kIova + 0x10000, &v, 4), tlm::TLM_GENERIC_ERROR_RESPONSE);
    });
}

// 5.4 CD.A = 0: a translation fault terminates RAZ/WI: the read returns
// zeros with TLM_OK_RESPONSE, the write is dropped; nothing goes
// downstream; the fault is still recorded.
TEST(TlmResp, RazWiWhenCdAIsZero)
{
    Platform p;
    p.add_stream(3, [](smmu_build_cd_t &cd) { cd.a = 0; });
    p.map(3, kIova, kPa, 0x1000);
    run([&] {
        p.boot();
        p.mem.logging = true;
        uint8_t buf[8];
        std::memset(buf, 0xAA, 8);
        EXPECT_EQ(p.dev0.read(kIova + 0x5000, buf, 8), tlm::TLM_OK_RESPONSE);
        for (unsigned i = 0; i < 8; i++)
            EXPECT_EQ(buf[i], 0) << i;
        std::memset(buf, 0x55, 8);
        EXPECT_EQ(p.dev0.write(kIova + 0x5000, buf, 8), tlm::TLM_OK_RESPONSE);
        for (auto &a : p.mem.log)
            EXPECT_LT(a.addr, 0x800000u) << "no data access";
        EXPECT_EQ(p.evtq_prod(), 2u) << "both faults recorded";
    });
}

// A downstream error response passes through unchanged.
TEST(TlmResp, DownstreamErrorPassesThrough)
{
    Platform p;
    standard_tables(p);
    p.mem.errors.push_back({0x802000, 0x802FFF});
    p.mem.err_status = tlm::TLM_COMMAND_ERROR_RESPONSE;
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova + 0x2000, &v, 4), tlm::TLM_COMMAND_ERROR_RESPONSE);
        EXPECT_EQ(p.dev0.read(kIova + 0x1000, &v, 4), tlm::TLM_OK_RESPONSE);
    });
}

// 7.3.11 F_WALK_EABT: a table walk whose descriptor read gets a downstream
// error aborts the transaction; the record names the fault.
TEST(TlmResp, WalkExternalAbortIsAddressError)
{
    Platform p;
    standard_tables(p);
    const uint64_t root = p.streams.at(3)->pt.root;
    p.mem.errors.push_back({root, root + 0xFFF});
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        ASSERT_EQ(p.evtq_prod(), 1u);
        uint32_t w[8];
        p.record(0, w);
        EXPECT_EQ(w[0] & 0xFF, SMMU_EVT_F_WALK_EABT);
        EXPECT_EQ(w[1], 3u);
    });
}

// 5.2 STE.Config = 0b000: abort without an event.
TEST(TlmResp, SteAbortConfigWithoutEvent)
{
    Platform p;
    standard_tables(p);
    smmu_build_ste_t ste = {};
    ste.config = SMMU_STE_ABORT;
    EXPECT_EQ(smmu_build_ste_write(&p.b, &p.st, 6, &ste), SMMU_OK);
    smmu::sideband sb;
    sb.sid = 6;
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4, &sb), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(p.evtq_prod(), 0u);
    });
}

// 7.3.3 C_BAD_STREAMID: a StreamID beyond the 256-entry stream table
// aborts and is recorded (CR2.RECINVSID = 1).
TEST(TlmResp, StreamIdOutOfRangeRecordsCBadStreamid)
{
    Platform p;
    standard_tables(p);
    smmu::sideband sb;
    sb.sid = 300;
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4, &sb), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        ASSERT_EQ(p.evtq_prod(), 1u);
        uint32_t w[8];
        p.record(0, w);
        EXPECT_EQ(w[0] & 0xFF, SMMU_EVT_C_BAD_STREAMID);
        EXPECT_EQ(w[1], 300u);
    });
}

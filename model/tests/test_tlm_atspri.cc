// SPDX-License-Identifier: Apache-2.0
// TlmAtsPri: ATS (3.9.1), PRI (8) and MSIs (3.18) through the component's
// plain C++ interface (ats_translation_request, transport_translated,
// page_request, ats_endpoint) and its downstream socket (msi_write).
#include "tlm_harness.h"

using namespace tlmtest;

namespace {

smmu_config_t ats_cfg()
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.ats = 1;
    c.pri = 1;
    return c;
}

// Stream 3 with STE.EATS = 0b01 (ATS allowed, 5.2).
void ats_tables(Platform &p)
{
    p.add_stream(3, nullptr, [](smmu_build_ste_t &s) { s.eats = 1; });
    p.map(3, kIova, kPa, 0x2000);
}

struct Endpoint : smmu::ats_endpoint {
    std::vector<smmu_atc_inv_t> invs;
    std::vector<smmu_prg_response_t> resps;
    int answer = SMMU_ATC_INV_OK;
    int atc_invalidate(const smmu_atc_inv_t &inv) override
    {
        invs.push_back(inv);
        return answer;
    }
    void prg_response(const smmu_prg_response_t &r) override { resps.push_back(r); }
};

smmu_cmd_t sync_cmd()
{
    smmu_cmd_t c = {};
    c.opcode = SMMU_CMD_SYNC;
    return c;
}

} // namespace

// 3.9.1.2: a Translation Request of a stream with EATS = 0b01 completes
// with Success: the PA of the page, R and W granted (a user RW page,
// Unprivileged Data without a PASID: 13.7), no event.
TEST(TlmAtsPri, TranslationRequestSuccess_3_9_1_2)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    run([&] {
        p.boot();
        smmu::sideband sb;
        sb.sid = 3;
        smmu_response_t r = p.smmu.ats_translation_request(0, sb, kIova + 0x1000, true);
        EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
        EXPECT_EQ(r.ats_status, SMMU_ATS_SUCCESS);
        EXPECT_EQ(r.pa, kPa + 0x1000);
        EXPECT_EQ(r.perms & (SMMU_PERM_R | SMMU_PERM_W), SMMU_PERM_R | SMMU_PERM_W);
        EXPECT_EQ(r.page_base, kIova + 0x1000);
        EXPECT_EQ(r.page_size, 0x1000u);
        EXPECT_EQ(r.event, 0);
        EXPECT_EQ(p.evtq_prod(), 0u);
    });
}

// 3.9.1.2 table: EATS = 0b00 (ATS not enabled for the stream): Unsupported
// Request and F_BAD_ATS_TREQ recorded.
TEST(TlmAtsPri, TranslationRequestEatsZeroUr_3_9_1_2)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    standard_tables(p);
    run([&] {
        p.boot();
        smmu::sideband sb;
        sb.sid = 3;
        smmu_response_t r = p.smmu.ats_translation_request(0, sb, kIova, false);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        EXPECT_EQ(r.ats_status, SMMU_ATS_UR);
        EXPECT_EQ(r.event, SMMU_EVT_F_BAD_ATS_TREQ);
        EXPECT_EQ(p.evtq_prod(), 1u);
    });
}

// 3.9.1.3: with CR0.ATSCHK == 0 an ATS Translated transaction of an
// EATS = 0b01 stream passes untranslated: the bytes at the given address
// (already a PA) are read, not those at the IOVA's translation.
TEST(TlmAtsPri, TranslatedTransactionPassesAtItsAddress_3_9_1_3)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    fill(p, kPa + 0x1040, 8, 0x44);
    run([&] {
        p.boot();
        uint8_t buf[8] = {};
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(kPa + 0x1040);
        t.set_data_ptr(buf);
        t.set_data_length(8);
        t.set_streaming_width(8);
        sc_time d = SC_ZERO_TIME;
        p.smmu.transport_translated(0, t, d);
        EXPECT_EQ(t.get_response_status(), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[kPa + 0x1040], 8), 0);
        EXPECT_EQ(t.get_address(), kPa + 0x1040) << "address restored";
    });
}

// 4.5.1: CMD_ATC_INV reaches the endpoint as an ATS Invalidate Request
// with the StreamID, the span (2^(12 + Size)) and the address; the SMMU's
// own TLB is not what it invalidates (pitfalls: the device-side outcome).
TEST(TlmAtsPri, AtcInvReachesEndpoint_4_5_1)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    Endpoint ep;
    p.smmu.set_ats_endpoint(&ep);
    run([&] {
        p.boot();
        smmu_cmd_t inv = {};
        inv.opcode = SMMU_CMD_ATC_INV;
        inv.sid = 3;
        inv.size = 1; // 8 KB
        inv.addr = kIova;
        p.submit({inv, sync_cmd()});
        ASSERT_EQ(ep.invs.size(), 1u);
        EXPECT_EQ(ep.invs[0].sid, 3u);
        EXPECT_EQ(ep.invs[0].ssv, 0);
        EXPECT_EQ(ep.invs[0].log2_span, 13);
        EXPECT_EQ(ep.invs[0].addr, kIova);
        EXPECT_EQ(p.rd(SMMU_GERROR), 0u);
    });
}

// 3.9.1.4: an endpoint that never answers the invalidation: the following
// CMD_SYNC fails with CERROR_ATC_INV_SYNC (CMDQ_CONS.ERR = 0x3,
// GERROR.CMDQ_ERR).
TEST(TlmAtsPri, AtcInvNoResponseCerror_3_9_1_4)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    Endpoint ep;
    ep.answer = SMMU_ATC_INV_NO_RESPONSE;
    p.smmu.set_ats_endpoint(&ep);
    run([&] {
        p.boot();
        smmu_cmd_t inv = {};
        inv.opcode = SMMU_CMD_ATC_INV;
        inv.sid = 3;
        inv.addr = kIova;
        std::array<uint64_t, 2> w[2];
        smmu_cmd_t s = sync_cmd();
        ASSERT_EQ(smmu_cmd_encode(&inv, w[0].data()), 0);
        ASSERT_EQ(smmu_cmd_encode(&s, w[1].data()), 0);
        const uint32_t prod = uint32_t(p.rd(SMMU_CMDQ_PROD));
        const uint32_t idx = (1u << Platform::kCmdqLog2) - 1;
        std::memcpy(&p.mem.bytes[p.cmdq + 16u * (prod & idx)], w[0].data(), 16);
        std::memcpy(&p.mem.bytes[p.cmdq + 16u * ((prod + 1) & idx)], w[1].data(), 16);
        p.wr(SMMU_CMDQ_PROD, prod + 2);
        EXPECT_EQ(ep.invs.size(), 1u);
        EXPECT_EQ(p.rd(SMMU_GERROR) & SMMU_GERROR_CMDQ_ERR, SMMU_GERROR_CMDQ_ERR);
        EXPECT_EQ((p.rd(SMMU_CMDQ_CONS) >> SMMU_CMDQ_CONS_ERR_SHIFT) & 0x7F, 0x3u);
    });
}

// 4.5.2, 8.3: CMD_PRI_RESP (Resp = 0b10, Success) sends a PRG Response
// Message to the endpoint: StreamID, PRGIndex, code, not automatic. The
// command is written as raw words: StreamID w0[63:32], PRGIndex w1[8:0],
// Resp w1[13:12] (smmu_cmd_encode puts Resp in w0: reported to the core).
TEST(TlmAtsPri, PriRespReachesEndpoint_4_5_2)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    Endpoint ep;
    p.smmu.set_ats_endpoint(&ep);
    run([&] {
        p.boot();
        std::array<uint64_t, 2> s{};
        const smmu_cmd_t sc = sync_cmd();
        ASSERT_EQ(smmu_cmd_encode(&sc, s.data()), 0);
        p.submit_words({{SMMU_CMD_PRI_RESP | uint64_t(3) << 32, uint64_t(2) << 12 | 5}, s});
        ASSERT_EQ(ep.resps.size(), 1u);
        EXPECT_EQ(ep.resps[0].sid, 3u);
        EXPECT_EQ(ep.resps[0].prgi, 5u);
        EXPECT_EQ(ep.resps[0].code, SMMU_PRG_SUCCESS);
        EXPECT_EQ(ep.resps[0].ssv, 0);
        EXPECT_EQ(ep.resps[0].automatic, 0);
    });
}

// 8.2: with PRIQEN == 0 a Page Request (Last = 1) is discarded with an
// automatic Response Failure to the endpoint.
TEST(TlmAtsPri, PageRequestPriqOffAutoFailure_8_2)
{
    smmu_config_t c = ats_cfg();
    Platform p(&c);
    ats_tables(p);
    Endpoint ep;
    p.smmu.set_ats_endpoint(&ep);
    run([&] {
        p.boot();
        smmu_ppr_t q = {};
        q.sid = 3;
        q.addr = kIova;
        q.prgi = 7;
        q.last = 1;
        q.r = 1;
        EXPECT_EQ(p.smmu.page_request(q), SMMU_OK);
        ASSERT_EQ(ep.resps.size(), 1u);
        EXPECT_EQ(ep.resps[0].prgi, 7u);
        EXPECT_EQ(ep.resps[0].code, SMMU_PRG_RESPONSE_FAILURE);
        EXPECT_EQ(ep.resps[0].automatic, 1);
        q.prgi = 0x200; // above 9 bits
        EXPECT_EQ(p.smmu.page_request(q), SMMU_ERR_INVAL);
    });
}

// 3.18, 6.3.30-6.3.32: the event-queue MSI is a 4-byte downstream write of
// EVENTQ_IRQ_CFG1.DATA at EVENTQ_IRQ_CFG0.ADDR carrying smmu::msi_attr with
// the effective SH (ISH) and MemAttr (Normal WB, 0b1111) of EVENTQ_IRQ_CFG2.
TEST(TlmAtsPri, EventqMsiIsDownstreamWriteWithAttributes_3_18)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        p.wr(SMMU_IRQ_CTRL, 0);
        p.wr(SMMU_EVENTQ_IRQ_CFG0, 0x7F0040, 8);
        p.wr(SMMU_EVENTQ_IRQ_CFG1, 0xCAFE0001);
        p.wr(SMMU_EVENTQ_IRQ_CFG2, 0x3F);
        p.wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova + 0x10000, &v, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        ASSERT_EQ(p.mem.msis.size(), 1u);
        EXPECT_EQ(p.mem.msis[0].addr, 0x7F0040u);
        EXPECT_EQ(p.mem.msis[0].data, 0xCAFE0001u);
        EXPECT_EQ(p.mem.msis[0].len, 4u);
        EXPECT_EQ(p.mem.msis[0].attr.source, SMMU_MSI_EVENTQ);
        EXPECT_EQ(p.mem.msis[0].attr.sh, 3);
        EXPECT_EQ(p.mem.msis[0].attr.memattr, 0xF);
        EXPECT_EQ(p.mem.rd64(0x7F0040) & 0xFFFFFFFF, 0xCAFE0001u);
    });
}

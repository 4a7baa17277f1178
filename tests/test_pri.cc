// SPDX-License-Identifier: Apache-2.0
// The PRI queue (priq.c): page requests from an endpoint into the PRI
// queue, overflow, the automatic PRG responses and CMD_PRI_RESP. IHI 0070
// G.b chapter 8 (entry format), 8.1 (overflow), 8.2 (PRIQEN, PRIQ_ABT_ERR,
// Secure streams), 8.3 (response codes), 4.5.2 (CMD_PRI_RESP), 6.3.36
// (PRIQ_IRQ_CFG2.LO).
#include <vector>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "smmu/smmu_cmd.h"

namespace smmutest {
namespace {

std::vector<smmu_prg_response_t> g_resp; // what ops.on_prg_response heard

void on_resp(void *, const smmu_prg_response_t *r) { g_resp.push_back(*r); }

constexpr unsigned kPriqLog2 = 2; // 4 entries

class Pri : public SmmuTest {
  protected:
    smmu_mem_ops_t ops{};
    void configure(smmu_config_t &c) override
    {
        c.ats = 1;
        c.pri = 1;
    }
    void SetUp() override
    {
        g_resp.clear();
        smmu_config_default(&cfg, SMMU_ARCH_V3_2);
        configure(cfg);
        ops = *mem.ops();
        ops.on_prg_response = on_resp;
        char msg[128];
        smmu = smmu_create(&cfg, &ops, mem.ctx(), msg, sizeof msg);
        ASSERT_NE(smmu, nullptr) << msg;
        boot();
        wr(SMMU_PRIQ_BASE, (kPriq & SMMU_MASK(51, 5)) | SMMU_BIT(62) | kPriqLog2, 8);
        wr(SMMU_PRIQ_PROD, 0);
        wr(SMMU_PRIQ_CONS, 0);
        wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_PRIQEN);
        ASSERT_NE(rd(SMMU_CR0ACK) & SMMU_CR0_PRIQEN, 0u);
    }
    static smmu_ppr_t ppr(uint32_t sid, uint16_t prgi, bool last, int ssid = -1)
    {
        smmu_ppr_t p{};
        p.sid = sid;
        p.prgi = prgi;
        p.last = last;
        p.r = 1;
        p.addr = 0x4000'0000 + 0x1000ull * prgi;
        if (ssid >= 0) {
            p.ssv = 1;
            p.ssid = uint32_t(ssid);
        }
        return p;
    }
    std::array<uint64_t, 2> entry(unsigned i) { return {mem.read64(kPriq + 16 * i), mem.read64(kPriq + 16 * i + 8)}; }
    uint32_t prod() { return uint32_t(rd(SMMU_PRIQ_PROD)); }
};

// 8: the 16-byte entry, exactly: StreamID [31:0], SubstreamID [51:32],
// Priv [58], X [59], R [60], W [61], Last [62], SSV [63]; PRGIndex [8:0],
// Page address [63:12]. A PPR needs no response from the SMMU itself.
TEST_F(Pri, PprWrittenExactEntry_8)
{
    smmu_ppr_t p{};
    p.sid = 0x11;
    p.ssv = 1;
    p.ssid = 0x5;
    p.addr = 0xFFFF'1234'5000ull;
    p.prgi = 0x1A5;
    p.last = 1;
    p.r = 1;
    p.w = 1;
    p.priv = 1;
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    auto e = entry(0);
    EXPECT_EQ(e[0], 0xF400'0005'0000'0011ull); // SSV, Last, W, R, Priv | SSID 5 | SID 0x11
    EXPECT_EQ(e[1], 0xFFFF'1234'51A5ull);
    EXPECT_EQ(prod(), 1u);
    EXPECT_TRUE(g_resp.empty());
}

// 8: without a PASID, X and Priv are 0: a request with them is bad input
// (SMMU_ERR_INVAL) and changes nothing; so are fields wider than the entry.
TEST_F(Pri, BadPprFieldsInvalNothingChanged_8)
{
    smmu_ppr_t p = ppr(1, 1, true);
    p.x = 1;
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
    p = ppr(1, 0x200, true);
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
    p = ppr(1, 1, true, 0x100000);
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
    p = ppr(1, 1, true);
    p.addr |= 0x800;
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
    p = ppr(1, 1, true);
    p.last = 2;
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_page_request(smmu, nullptr), SMMU_ERR_INVAL);
    EXPECT_EQ(prod(), 0u);
    EXPECT_TRUE(g_resp.empty());
}

// 8.2: PRIQEN == 0: every PPR (Last 0 or 1) is discarded with an automatic
// Response Failure (0b1111) without a PASID; a Stop Marker gets none.
TEST_F(Pri, PriqDisabled_EveryPprAutoFailureNoPasid_8_2)
{
    wr(SMMU_CR0, rd(SMMU_CR0) & ~SMMU_CR0_PRIQEN);
    smmu_ppr_t a = ppr(3, 7, false, 9), stop = ppr(3, 8, true, 9);
    stop.r = 0;
    ASSERT_EQ(smmu_page_request(smmu, &a), SMMU_OK);
    ASSERT_EQ(smmu_page_request(smmu, &stop), SMMU_OK);
    ASSERT_EQ(g_resp.size(), 1u);
    EXPECT_EQ(g_resp[0].sid, 3u);
    EXPECT_EQ(g_resp[0].prgi, 7u);
    EXPECT_EQ(g_resp[0].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(g_resp[0].ssv, 0u);
    EXPECT_EQ(g_resp[0].automatic, 1u);
    EXPECT_EQ(prod(), 0u);
}

// 8.2: a PPR from a Secure stream is never queued: Response Failure.
TEST_F(Pri, SecureStream_AutoFailure_8_2)
{
    smmu_ppr_t p = ppr(4, 2, true);
    p.secure = 1;
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    ASSERT_EQ(g_resp.size(), 1u);
    EXPECT_EQ(g_resp[0].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(prod(), 0u);
}

// 8.2: a (synchronous) write abort of the entry raises GERROR.PRIQ_ABT_ERR
// and answers that PPR with Response Failure; while the error is active
// every PPR is discarded with Response Failure.
TEST_F(Pri, WriteAbort_PriqAbtErr_AutoFailure_8_2)
{
    mem.add_abort(kPriq, 16);
    smmu_ppr_t p = ppr(5, 1, false);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    mem.clear_aborts();
    EXPECT_EQ(rd(SMMU_GERROR) & SMMU_GERROR_PRIQ_ABT_ERR, uint64_t(SMMU_GERROR_PRIQ_ABT_ERR));
    EXPECT_EQ(prod(), 0u);
    p = ppr(5, 2, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    ASSERT_EQ(g_resp.size(), 2u);
    EXPECT_EQ(g_resp[0].prgi, 1u);
    EXPECT_EQ(g_resp[1].prgi, 2u);
    EXPECT_EQ(g_resp[1].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(prod(), 0u);
    wr(SMMU_GERRORN, rd(SMMU_GERROR));
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(prod(), 1u);
}

// 8.1: a full queue overflows: OVFLG toggles once, nothing is written
// until OVACKFLG matches; discarded Last == 1 PPRs (the triggering one too)
// get an automatic Success (no PASID without one; with one and PPS == 0
// per STE.PPAR; Failure without PASID when the STE cannot be checked);
// Last == 0 PPRs and Stop Markers get nothing.
TEST_F(Pri, PprStormOverflowAutoResponses)
{
    write_ste(6, Ste().bypass().set(82, 82, 1).build()); // valid STE, PPAR = 1
    write_ste(7, Ste().bypass().build());                // valid STE, PPAR = 0
    for (uint16_t i = 0; i < 4; i++) {
        smmu_ppr_t p = ppr(6, i, false);
        ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    }
    EXPECT_EQ(prod(), 4u); // index 0, wrap 1: full
    smmu_ppr_t trig = ppr(6, 0x10, true);
    ASSERT_EQ(smmu_page_request(smmu, &trig), SMMU_OK);
    EXPECT_EQ(prod(), 4u | SMMU_Q_OVF);
    smmu_ppr_t l0 = ppr(6, 0x11, false), stop = ppr(6, 0x12, true, 3);
    stop.r = 0;
    smmu_ppr_t pasid_ppar1 = ppr(6, 0x13, true, 3), pasid_ppar0 = ppr(7, 0x14, true, 4),
               pasid_nosteps = ppr(200, 0x15, true, 5);
    for (auto *p : {&l0, &stop, &pasid_ppar1, &pasid_ppar0, &pasid_nosteps})
        ASSERT_EQ(smmu_page_request(smmu, p), SMMU_OK);
    ASSERT_EQ(g_resp.size(), 4u);
    EXPECT_EQ(g_resp[0].prgi, 0x10u);
    EXPECT_EQ(g_resp[0].code, SMMU_PRG_SUCCESS);
    EXPECT_EQ(g_resp[0].ssv, 0u);
    EXPECT_EQ(g_resp[1].prgi, 0x13u);
    EXPECT_EQ(g_resp[1].code, SMMU_PRG_SUCCESS);
    EXPECT_EQ(g_resp[1].ssv, 1u);
    EXPECT_EQ(g_resp[1].ssid, 3u);
    EXPECT_EQ(g_resp[2].prgi, 0x14u);
    EXPECT_EQ(g_resp[2].code, SMMU_PRG_SUCCESS);
    EXPECT_EQ(g_resp[2].ssv, 0u);
    EXPECT_EQ(g_resp[3].sid, 200u); // STE 200 is invalid (V = 0): PPAR cannot be checked
    EXPECT_EQ(g_resp[3].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(g_resp[3].ssv, 0u);
    for (const auto &r : g_resp)
        EXPECT_EQ(r.automatic, 1u);
    // Software drains the queue but does not acknowledge: still discarded.
    wr(SMMU_PRIQ_CONS, 4);
    g_resp.clear();
    smmu_ppr_t again = ppr(6, 0x20, false);
    ASSERT_EQ(smmu_page_request(smmu, &again), SMMU_OK);
    EXPECT_EQ(prod(), 4u | SMMU_Q_OVF);
    // Acknowledge (OVACKFLG = OVFLG): written again.
    wr(SMMU_PRIQ_CONS, 4u | SMMU_Q_OVF);
    ASSERT_EQ(smmu_page_request(smmu, &again), SMMU_OK);
    EXPECT_EQ(prod(), 5u | SMMU_Q_OVF);
    EXPECT_EQ(entry(0)[1], 0x4002'0020ull);
    EXPECT_TRUE(g_resp.empty());
}

// 4.5.2 / 8.3: CMD_PRI_RESP Resp 0b00/0b01/0b10 sends ResponseCode
// 0b1111/0b0001/0b0000; SSV = 1 adds the PASID.
TEST_F(Pri, CmdPriResp_ResponseCodesAndPasid_4_5_2_8_3)
{
    auto pri_resp = [](uint32_t sid, unsigned resp, unsigned prgi, int ssid) {
        uint64_t w0 = SMMU_CMD_PRI_RESP | uint64_t(sid) << 32;
        if (ssid >= 0)
            w0 |= 1u << 11 | uint64_t(ssid) << 12;
        return Cmd{w0, uint64_t(resp) << 12 | prgi};
    };
    submit({pri_resp(8, 0, 1, -1), pri_resp(8, 1, 2, -1), pri_resp(8, 2, 3, 0x77), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    ASSERT_EQ(g_resp.size(), 3u);
    EXPECT_EQ(g_resp[0].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(g_resp[1].code, SMMU_PRG_INVALID_REQUEST);
    EXPECT_EQ(g_resp[2].code, SMMU_PRG_SUCCESS);
    EXPECT_EQ(g_resp[2].ssv, 1u);
    EXPECT_EQ(g_resp[2].ssid, 0x77u);
    EXPECT_EQ(g_resp[2].prgi, 3u);
    EXPECT_EQ(g_resp[2].sid, 8u);
    for (const auto &r : g_resp)
        EXPECT_EQ(r.automatic, 0u);
}

// 4.5.2: IGNORED while SMMUEN == 0.
TEST_F(Pri, CmdPriResp_IgnoredWithSmmuenZero_4_5_2)
{
    wr(SMMU_CR0, rd(SMMU_CR0) & ~SMMU_CR0_SMMUEN);
    submit({Cmd{SMMU_CMD_PRI_RESP | uint64_t(8) << 32, 2u << 12}, cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    EXPECT_TRUE(g_resp.empty());
}

// 6.3.36: LO == 0 interrupts when the queue goes non-empty; LO == 1 for
// each Last == 1 PPR written and for one discarded by overflow.
TEST_F(Pri, PriqIrqLastOnly_6_3_36)
{
    wr(SMMU_IRQ_CTRL, rd(SMMU_IRQ_CTRL) | SMMU_IRQ_CTRL_PRIQ_IRQEN);
    auto priq_irqs = [&] {
        unsigned n = 0;
        for (auto i : mem.irqs)
            n += i == SMMU_IRQ_PRIQ;
        return n;
    };
    smmu_ppr_t a = ppr(6, 1, false), b = ppr(6, 1, true);
    smmu_page_request(smmu, &a);
    smmu_page_request(smmu, &b);
    EXPECT_EQ(priq_irqs(), 1u); // LO == 0: empty -> non-empty only
    wr(SMMU_IRQ_CTRL, rd(SMMU_IRQ_CTRL) & ~SMMU_IRQ_CTRL_PRIQ_IRQEN);
    wr(SMMU_PRIQ_IRQ_CFG2, 1u << 31);
    wr(SMMU_IRQ_CTRL, rd(SMMU_IRQ_CTRL) | SMMU_IRQ_CTRL_PRIQ_IRQEN);
    smmu_page_request(smmu, &a);
    EXPECT_EQ(priq_irqs(), 1u);
    smmu_page_request(smmu, &b); // the queue is full after this one
    EXPECT_EQ(priq_irqs(), 2u);
    smmu_page_request(smmu, &b); // discarded by overflow: still an interrupt
    EXPECT_EQ(priq_irqs(), 3u);
    smmu_page_request(smmu, &a); // Last == 0 discarded: none
    EXPECT_EQ(priq_irqs(), 3u);
}

// 8: a Stop Marker (SSV = 1, Last = 1, R = W = 0) is queued like a PPR,
// exactly (word 0: SSV [63], Last [62], SubstreamID [51:32], StreamID;
// word 1: page address, PRGIndex) and needs no response.
TEST_F(Pri, StopMarkerWrittenExactEntryNoResponse_8)
{
    smmu_ppr_t stop = ppr(0x21, 0x3C, true, 0x1234);
    stop.r = 0;
    ASSERT_EQ(smmu_page_request(smmu, &stop), SMMU_OK);
    auto e = entry(0);
    EXPECT_EQ(e[0], 0xC000'1234'0000'0021ull);
    EXPECT_EQ(e[1], 0x4003'C03Cull);
    EXPECT_EQ(prod(), 1u);
    EXPECT_TRUE(g_resp.empty());
}

// 3.5, 8: PROD wraps after the last entry of the 4-entry queue, toggling
// its wrap bit (bit LOG2SIZE); the next entries overwrite consumed slots.
TEST_F(Pri, ProdWrapsAfterLastEntry_3_5)
{
    for (uint16_t i = 0; i < 4; i++) {
        smmu_ppr_t p = ppr(2, i, false);
        ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    }
    EXPECT_EQ(prod(), 4u); // index 0, wrap 1
    wr(SMMU_PRIQ_CONS, 4); // all consumed
    for (uint16_t i = 4; i < 6; i++) {
        smmu_ppr_t p = ppr(2, i, i == 5);
        ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    }
    EXPECT_EQ(prod(), 6u); // index 2, wrap 1
    EXPECT_EQ(entry(0)[1], 0x4000'4004ull);
    EXPECT_EQ(entry(1)[1], 0x4000'5005ull);
    EXPECT_EQ(entry(1)[0] >> 62 & 1, 1u); // Last
    EXPECT_EQ(entry(2)[1], 0x4000'2002ull); // untouched
    EXPECT_TRUE(g_resp.empty());
}

// 8.1, 7.4: overflow acknowledged (OVACKFLG = OVFLG) while the queue is
// still full: the next PPR overflows again, toggling OVFLG once more, and
// a Last == 1 PPR is answered automatically (Success, no PASID).
TEST_F(Pri, OverflowAckedWhileFull_OverflowsAgain_8_1_7_4)
{
    for (uint16_t i = 0; i < 4; i++) {
        smmu_ppr_t p = ppr(6, i, false);
        ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    }
    smmu_ppr_t a = ppr(6, 0x30, false);
    ASSERT_EQ(smmu_page_request(smmu, &a), SMMU_OK);
    EXPECT_EQ(prod(), 4u | SMMU_Q_OVF);
    EXPECT_TRUE(g_resp.empty()); // Last == 0: no response
    wr(SMMU_PRIQ_CONS, SMMU_Q_OVF); // acknowledged, nothing consumed
    smmu_ppr_t b = ppr(6, 0x31, true);
    ASSERT_EQ(smmu_page_request(smmu, &b), SMMU_OK);
    EXPECT_EQ(prod(), 4u); // OVFLG toggled back: a new overflow
    ASSERT_EQ(g_resp.size(), 1u);
    EXPECT_EQ(g_resp[0].prgi, 0x31u);
    EXPECT_EQ(g_resp[0].code, SMMU_PRG_SUCCESS);
    EXPECT_EQ(g_resp[0].ssv, 0u);
    EXPECT_EQ(g_resp[0].automatic, 1u);
    EXPECT_EQ(entry(0)[1], 0x4000'0000ull); // nothing overwritten
}

class PriOff : public SmmuTest {};
// IDR0.PRI == 0: page requests are bad input.
TEST_F(PriOff, PageRequestWithoutPri_Inval_6_3_1)
{
    smmu_ppr_t p{};
    p.last = 1;
    EXPECT_EQ(smmu_page_request(smmu, &p), SMMU_ERR_INVAL);
}

} // namespace
} // namespace smmutest

// 4.5.2: CMD_PRI_RESP carries Resp in w1[13:12] (with PRGIndex in
// w1[8:0]); the encoder used to put it in w0, so every encoded response
// read as Resp 0b00 (Failure).
TEST(PriCmdEncode, RespInSecondWord_4_5_2)
{
    smmu_cmd_t c{};
    ASSERT_EQ(smmu_cmd_init_by_name(&c, "CMD_PRI_RESP"), 0);
    c.sid = 8;
    c.ssv = 1;
    c.ssid = 0x25;
    c.prgindex = 0x1AB;
    c.resp = 2;
    uint64_t w[2];
    ASSERT_EQ(smmu_cmd_encode(&c, w), 0);
    EXPECT_EQ(w[0], 0x0000'0008'0002'5841ull); // SID 8, SubstreamID 0x25, SSV, opcode 0x41
    EXPECT_EQ(w[1], 0x21ABull);                // Resp 0b10 at [13:12], PRGIndex 0x1AB
}

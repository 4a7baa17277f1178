// SPDX-License-Identifier: Apache-2.0
// Interrupts and MSIs (irq.c), global errors and Service Failure Mode:
// IHI 0070 G.b 3.18 (interrupts, MSI attributes), 3.18.2 (sources), 4.7.3
// (CMD_SYNC MSH/MSIAttr), 6.3.16 (IRQ_CTRL), 6.3.19/6.3.20 (GERROR,
// GERRORN), 6.3.23/6.3.32/6.3.36 (*_IRQ_CFG2 SH and MemAttr), 7.5 (global
// errors), 8.2 (PRIQ_ABT_ERR), 12.3 (SFM). Suites Msi, Gerror, Sfm.
#include <cstddef>
#include <vector>

#include "support/xlate_fixture.h"

extern "C" {
#include "smmu/smmu_cmd.h"
}

namespace smmutest {
namespace {

struct MsiSeen {
    uint64_t addr;
    uint32_t data;
    smmu_msi_attr_t attr;
};
std::vector<MsiSeen> g_msi;            // what ops.msi_write received
std::vector<smmu_prg_response_t> g_prg; // what ops.on_prg_response received
uint64_t g_msi_abort_addr = 0;         // msi_write answers ABORT for this address

int on_msi(void *, uint64_t addr, uint32_t data, const smmu_msi_attr_t *a)
{
    g_msi.push_back({addr, data, *a});
    return addr == g_msi_abort_addr ? SMMU_MEM_ABORT : SMMU_MEM_OK;
}
void on_prg(void *, const smmu_prg_response_t *r) { g_prg.push_back(*r); }

constexpr uint64_t kEvtqMsi = 0x5000'0040, kPriqMsi = 0x5000'0080, kGerrMsi = 0x5000'00C0,
                   kSyncMsi = 0x5000'0100;

// A booted SMMU (Xlate: SMMUEN = 1, CMDQ, EVENTQ) with PRI, the Stall
// model, MSIs through ops.msi_write, the PRI queue enabled and all three
// register-configured MSI sources programmed and enabled.
class IrqTest : public Xlate {
  protected:
    smmu_mem_ops_t ops{};
    bool with_msi_write = true;
    void configure(smmu_config_t &c) override
    {
        c.msi = 1;
        c.ats = 1;
        c.pri = 1;
        c.stall_model = 0;
        c.stall_max = 4;
        ops = *mem.ops();
        ops.on_prg_response = on_prg;
        if (with_msi_write)
            ops.msi_write = on_msi;
        else
            ops.size = uint32_t(offsetof(smmu_mem_ops_t, msi_write)); // an older embedder
        create_ops = &ops;
    }
    void SetUp() override
    {
        g_msi.clear();
        g_prg.clear();
        g_msi_abort_addr = 0;
        Xlate::SetUp();
        wr(SMMU_IRQ_CTRL, 0);
        ASSERT_EQ(rd(SMMU_IRQ_CTRLACK), 0u);
        wr(SMMU_PRIQ_BASE, (kPriq & SMMU_MASK(51, 5)) | 2, 8); // 4 entries
        wr(SMMU_PRIQ_PROD, 0);
        wr(SMMU_PRIQ_CONS, 0);
        wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_PRIQEN);
        ASSERT_NE(rd(SMMU_CR0ACK) & SMMU_CR0_PRIQEN, 0u);
        wr(SMMU_EVENTQ_IRQ_CFG0, kEvtqMsi, 8);
        wr(SMMU_EVENTQ_IRQ_CFG1, 0xE0E0'0001);
        wr(SMMU_EVENTQ_IRQ_CFG2, 0x3F); // SH = ISH, MemAttr = Normal oWB iWB
        wr(SMMU_PRIQ_IRQ_CFG0, kPriqMsi, 8);
        wr(SMMU_PRIQ_IRQ_CFG1, 0xB0B0'0002);
        wr(SMMU_PRIQ_IRQ_CFG2, 0x2A); // SH = OSH, MemAttr = 0b1010 (oWT iWT)
        wr(SMMU_GERROR_IRQ_CFG0, kGerrMsi, 8);
        wr(SMMU_GERROR_IRQ_CFG1, 0x6E6E'0003);
        wr(SMMU_GERROR_IRQ_CFG2, 0x01); // SH = NSH, MemAttr = Device-nGnRE
        irq_on(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN |
               SMMU_IRQ_CTRL_PRIQ_IRQEN);
        mem.irqs.clear();
        g_msi.clear();
    }
    void irq_on(uint32_t en)
    {
        wr(SMMU_IRQ_CTRL, en);
        ASSERT_EQ(rd(SMMU_IRQ_CTRLACK), en);
    }
    static smmu_ppr_t ppr(uint32_t sid, uint16_t prgi, bool last)
    {
        smmu_ppr_t p{};
        p.sid = sid;
        p.prgi = prgi;
        p.last = last;
        p.r = 1;
        p.addr = 0x4000'0000 + 0x1000ull * prgi;
        return p;
    }
    unsigned pulses(smmu_irq_t line)
    {
        unsigned n = 0;
        for (auto i : mem.irqs)
            n += i == line;
        return n;
    }
    static void expect_msi(const MsiSeen &m, uint64_t addr, uint32_t data, unsigned src,
                           unsigned sh, unsigned memattr)
    {
        EXPECT_EQ(m.addr, addr);
        EXPECT_EQ(m.data, data);
        EXPECT_EQ(m.attr.source, src);
        EXPECT_EQ(m.attr.sh, sh);
        EXPECT_EQ(m.attr.memattr, memattr);
        for (auto b : m.attr.reserved)
            EXPECT_EQ(b, 0u);
    }
    uint32_t gerror() { return uint32_t(rd(SMMU_GERROR)); }
    uint32_t active() { return uint32_t(rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)); }
};

class Msi : public IrqTest {};
class Gerror : public IrqTest {};
class Sfm : public IrqTest {};
class MsiLegacyOps : public IrqTest {
  protected:
    void configure(smmu_config_t &c) override
    {
        with_msi_write = false;
        IrqTest::configure(c);
    }
};

// 3.18.2: the event queue going non-empty pulses SMMU_IRQ_EVENTQ and sends
// the EVENTQ_IRQ_CFG0/1 MSI with the attributes of EVENTQ_IRQ_CFG2 (6.3.32:
// SH [5:4] = ISH, MemAttr [3:0] = 0b1111) through ops.msi_write; the
// memory callback does not see it.
TEST_F(Msi, EventqMsiWithCfg2Attributes_3_18_2_6_3_32)
{
    auto r = tx(3, 0x1000); // STE 3 is invalid: C_BAD_STE recorded
    EXPECT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(r.recorded, 1);
    ASSERT_EQ(g_msi.size(), 1u);
    expect_msi(g_msi[0], kEvtqMsi, 0xE0E0'0001, SMMU_MSI_EVENTQ, 3, 0xF);
    EXPECT_EQ(mem.read32(kEvtqMsi), 0u); // not through ops.write
    EXPECT_EQ(pulses(SMMU_IRQ_EVENTQ), 1u);
    tx(3, 0x2000); // queue already non-empty: no new interrupt (3.18.2)
    EXPECT_EQ(g_msi.size(), 1u);
    EXPECT_EQ(pulses(SMMU_IRQ_EVENTQ), 1u);
}

// 3.18.2, 6.3.36: a PPR written to an empty PRI queue (LO = 0) pulses
// SMMU_IRQ_PRIQ and sends the PRIQ MSI; PRIQ_IRQ_CFG2.LO [31] is not an
// attribute (SH = OSH, MemAttr = 0b1010 Normal oWT iWT).
TEST_F(Msi, PriqMsiAndWiredPulse_3_18_2_6_3_36)
{
    smmu_ppr_t p = ppr(6, 1, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 1u);
    ASSERT_EQ(g_msi.size(), 1u);
    expect_msi(g_msi[0], kPriqMsi, 0xB0B0'0002, SMMU_MSI_PRIQ, 2, 0xA);
    EXPECT_EQ(pulses(SMMU_IRQ_PRIQ), 1u);
    // LO = 1 (changed with PRIQ_IRQEN off, 6.3.36): every Last = 1 PPR.
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    wr(SMMU_PRIQ_IRQ_CFG2, (1u << 31) | 0x3F);
    EXPECT_EQ(rd(SMMU_PRIQ_IRQ_CFG2), (1ull << 31) | 0x3F);
    irq_on(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN | SMMU_IRQ_CTRL_PRIQ_IRQEN);
    smmu_ppr_t q = ppr(6, 2, true);
    ASSERT_EQ(smmu_page_request(smmu, &q), SMMU_OK);
    ASSERT_EQ(g_msi.size(), 2u);
    expect_msi(g_msi[1], kPriqMsi, 0xB0B0'0002, SMMU_MSI_PRIQ, 3, 0xF);
    EXPECT_EQ(pulses(SMMU_IRQ_PRIQ), 2u);
}

// 6.3.16: with PRIQ_IRQEN = 0 a PPR is queued but neither the wired PRIQ
// interrupt nor its MSI is sent.
TEST_F(Msi, PriqIrqenOff_NoPulseNoMsi_6_3_16)
{
    irq_on(SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    smmu_ppr_t p = ppr(6, 1, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 1u);
    EXPECT_TRUE(g_msi.empty());
    EXPECT_EQ(pulses(SMMU_IRQ_PRIQ), 0u);
}

// 4.7.3: CMD_SYNC with CS = SIG_IRQ sends MSIData to MSIAddress with MSH
// [23:22] and MSIAttr [27:24]; any Device type and Normal iNC-oNC are
// Outer Shareable whatever MSH says (3.18); MSH = 0b01 is Non-shareable;
// the wired CMD_SYNC interrupt is pulsed too.
TEST_F(Msi, CmdSyncMsiShareabilityAndAttr_4_7_3_3_18)
{
    struct {
        unsigned msh, attr, sh, memattr;
    } rows[] = {
        {2, 0xF, 2, 0xF}, // OSH, Normal WB
        {3, 0xF, 3, 0xF}, // ISH, Normal WB
        {1, 0xF, 0, 0xF}, // Reserved SH: Non-shareable
        {3, 0x1, 2, 0x1}, // Device-nGnRE: OSH
        {0, 0x5, 2, 0x5}, // Normal iNC-oNC: OSH
        {3, 0x4, 2, 0x0}, // Reserved MemAttr 0b0100: Device-nGnRnE, OSH
        {3, 0xC, 2, 0x0}, // Reserved MemAttr 0b1100: Device-nGnRnE, OSH
    };
    uint32_t data = 0x5100;
    for (auto &row : rows) {
        Cmd c = cmd_sync(SMMU_SYNC_CS_IRQ, kSyncMsi, data);
        c[0] |= uint64_t(row.msh) << 22 | uint64_t(row.attr) << 24;
        g_msi.clear();
        mem.irqs.clear();
        submit({c});
        ASSERT_EQ(cmdq_cons_err(), 0u);
        ASSERT_EQ(g_msi.size(), 1u) << row.msh << "/" << row.attr;
        expect_msi(g_msi[0], kSyncMsi, data, SMMU_MSI_CMD_SYNC, row.sh, row.memattr);
        EXPECT_EQ(pulses(SMMU_IRQ_CMD_SYNC), 1u);
        data++;
    }
}

// 3.18: an MSI write aborted through ops.msi_write raises
// GERROR.MSI_EVENTQ_ABT_ERR (bit 5), which is signalled by the GERROR
// interrupt and its MSI (7.5: only MSI_GERROR_ABT_ERR is not).
TEST_F(Msi, MsiWriteAbort_MsiEventqAbtErr_3_18_7_5)
{
    g_msi_abort_addr = kEvtqMsi;
    tx(3, 0x1000);
    EXPECT_EQ(gerror(), 0x20u);
    ASSERT_EQ(g_msi.size(), 2u);
    expect_msi(g_msi[0], kEvtqMsi, 0xE0E0'0001, SMMU_MSI_EVENTQ, 3, 0xF);
    expect_msi(g_msi[1], kGerrMsi, 0x6E6E'0003, SMMU_MSI_GERROR, 2, 0x1);
    EXPECT_EQ(pulses(SMMU_IRQ_GERROR), 1u);
}

// smmu.h (ops.size): an embedder built before msi_write (size without it)
// gets its MSIs through ops.write: 4 bytes, little-endian, kind
// SMMU_ACC_MSI (SMMU_ACC_SYNC for CMD_SYNC), as before.
TEST_F(MsiLegacyOps, WithoutMsiWrite_MsisThroughWrite_3_18)
{
    mem.log_enabled = true;
    tx(3, 0x1000);
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, kSyncMsi, 0xCAFE)});
    EXPECT_TRUE(g_msi.empty());
    EXPECT_EQ(mem.read32(kEvtqMsi), 0xE0E0'0001u);
    EXPECT_EQ(mem.read32(kSyncMsi), 0xCAFEu);
    int msi = 0, sync = 0;
    for (auto &a : mem.log) {
        if (a.write && a.pa == kEvtqMsi && a.len == 4 && a.kind == SMMU_ACC_MSI)
            msi++;
        if (a.write && a.pa == kSyncMsi && a.len == 4 && a.kind == SMMU_ACC_SYNC)
            sync++;
    }
    EXPECT_EQ(msi, 1);
    EXPECT_EQ(sync, 1);
}

// 8.2, 7.5: an aborted PRI queue write raises GERROR.PRIQ_ABT_ERR (bit 3):
// PROD does not move, the PPR gets an automatic Response Failure without a
// PASID, the GERROR interrupt and MSI are sent. While it is active every
// PPR is discarded that way without a queue access; after GERRORN
// acknowledges it the queue is written again.
TEST_F(Gerror, PriqAbtErr_PriqWriteAbort_8_2_7_5)
{
    mem.add_abort(kPriq, 0x1000);
    smmu_ppr_t p = ppr(6, 5, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(gerror(), 0x8u);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 0u);
    ASSERT_EQ(g_prg.size(), 1u);
    EXPECT_EQ(g_prg[0].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(g_prg[0].automatic, 1u);
    EXPECT_EQ(g_prg[0].prgi, 5u);
    ASSERT_EQ(g_msi.size(), 1u);
    expect_msi(g_msi[0], kGerrMsi, 0x6E6E'0003, SMMU_MSI_GERROR, 2, 0x1);
    EXPECT_EQ(pulses(SMMU_IRQ_GERROR), 1u);
    mem.clear_aborts();
    mem.log_enabled = true;
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 0u);
    EXPECT_EQ(g_prg.size(), 2u);
    for (auto &a : mem.log)
        EXPECT_NE(a.kind, SMMU_ACC_PRIQ); // no access while PRIQ_ABT_ERR is active
    wr(SMMU_GERRORN, 0x8);
    EXPECT_EQ(active(), 0u);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 1u);
    EXPECT_EQ(g_prg.size(), 2u);
}

// 7.5: a PRIQ MSI write abort raises GERROR.MSI_PRIQ_ABT_ERR (bit 6); the
// entry itself is in the queue, and the PRI queue keeps working.
TEST_F(Gerror, MsiPriqAbtErr_PriqMsiAbort_7_5)
{
    g_msi_abort_addr = kPriqMsi;
    smmu_ppr_t p = ppr(6, 1, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 1u);
    EXPECT_EQ(gerror(), 0x40u);
    ASSERT_EQ(g_msi.size(), 2u);
    expect_msi(g_msi[0], kPriqMsi, 0xB0B0'0002, SMMU_MSI_PRIQ, 2, 0xA);
    expect_msi(g_msi[1], kGerrMsi, 0x6E6E'0003, SMMU_MSI_GERROR, 2, 0x1);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 2u);
    EXPECT_TRUE(g_prg.empty());
}

// 7.5.1: a GERROR MSI abort raises MSI_GERROR_ABT_ERR (bit 7), which does
// not itself signal the GERROR interrupt: one pulse, two GERROR bits.
TEST_F(Gerror, MsiGerrorAbtErr_NoSecondGerrorInterrupt_7_5_1)
{
    g_msi_abort_addr = kGerrMsi;
    mem.add_abort(kPriq, 0x1000);
    smmu_ppr_t p = ppr(6, 1, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(gerror(), 0x88u); // PRIQ_ABT_ERR | MSI_GERROR_ABT_ERR
    EXPECT_EQ(g_msi.size(), 1u);
    EXPECT_EQ(pulses(SMMU_IRQ_GERROR), 1u);
}

// 6.3.19, 6.3.20: with PRI and MSI the implemented GERROR bits are
// CMDQ_ERR, EVENTQ_ABT_ERR, PRIQ_ABT_ERR, MSI_*_ABT_ERR and SFM_ERR
// (0x1FD); CMDQP_ERR [9] (no ECMDQ) and DPT_ERR [10] (no DPT) are RES0, so
// a GERRORN write of all ones keeps 0x1FD.
TEST_F(Gerror, CmdqpErrDptErrRes0_6_3_19)
{
    wr(SMMU_GERRORN, 0xFFFF'FFFF);
    EXPECT_EQ(rd(SMMU_GERRORN), 0x1FDu);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
}

// 12.3, 6.3.19: entering SFM activates GERROR.SFM_ERR (bit 8) with the
// GERROR interrupt and MSI; every transaction then aborts without an event
// (cause SFM), with SMMUEN = 1 or 0, whatever GBPA says.
TEST_F(Sfm, InjectSetsSfmErr_TransactionsAbort_12_3_6_3_19)
{
    ASSERT_EQ(smmu_inject_sfm(smmu), SMMU_OK);
    EXPECT_EQ(gerror(), 0x100u);
    EXPECT_EQ(active(), 0x100u);
    ASSERT_EQ(g_msi.size(), 1u);
    expect_msi(g_msi[0], kGerrMsi, 0x6E6E'0003, SMMU_MSI_GERROR, 2, 0x1);
    EXPECT_EQ(pulses(SMMU_IRQ_GERROR), 1u);
    auto r = tx(3, 0x1000); // invalid STE: C_BAD_STE outside SFM
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0u);
    EXPECT_EQ(r.cls, SMMU_CLS_ABORT);
    EXPECT_EQ(r.cause, SMMU_CAUSE_SFM);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE); // GBPA bypass (ABORT = 0) ...
    wr(SMMU_CR0, rd(SMMU_CR0) & ~SMMU_CR0_SMMUEN); // ... with SMMUEN = 0
    r = tx(3, 0x1000);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.cause, SMMU_CAUSE_SFM);
    EXPECT_EQ(smmu_inject_sfm(smmu), SMMU_OK); // again: nothing new
    EXPECT_EQ(gerror(), 0x100u);
    EXPECT_EQ(g_msi.size(), 1u);
    EXPECT_EQ(smmu_inject_sfm(nullptr), SMMU_ERR_INVAL);
}

// 6.3.19, 12.3: acknowledging SFM_ERR through GERRORN does not leave SFM:
// commands stay unconsumed (no CMD_SYNC MSI), transactions abort, page
// requests get the automatic Response Failure of 8.2 and are not queued.
// The model's IMPLEMENTATION DEFINED exit is smmu_reset().
TEST_F(Sfm, GerrornAckDoesNotLeave_ResetDoes_6_3_19_12_3)
{
    ASSERT_EQ(smmu_inject_sfm(smmu), SMMU_OK);
    wr(SMMU_GERRORN, 0x100);
    EXPECT_EQ(active(), 0u);
    g_msi.clear();
    uint32_t cons = uint32_t(rd(SMMU_CMDQ_CONS));
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, kSyncMsi, 1)});
    EXPECT_EQ(rd(SMMU_CMDQ_CONS), cons);
    EXPECT_TRUE(g_msi.empty());
    EXPECT_EQ(tx(3, 0x1000).cause, SMMU_CAUSE_SFM);
    smmu_ppr_t p = ppr(6, 7, true);
    ASSERT_EQ(smmu_page_request(smmu, &p), SMMU_OK);
    EXPECT_EQ(rd(SMMU_PRIQ_PROD), 0u);
    ASSERT_EQ(g_prg.size(), 1u);
    EXPECT_EQ(g_prg[0].code, SMMU_PRG_RESPONSE_FAILURE);
    EXPECT_EQ(g_prg[0].automatic, 1u);
    smmu_reset(smmu);
    EXPECT_EQ(rd(SMMU_GERROR), 0u);
    auto r = tx(3, 0x1000); // reset state: SMMUEN = 0, GBPA.ABORT = 1
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.cause, SMMU_CAUSE_GBPA_ABORT);
}

// 12.3: client transactions are terminated once SFM is entered: a stalled
// transaction completes with an abort (through smmu_take_completions), and
// a CMD_RESUME issued afterwards is never consumed.
TEST_F(Sfm, StalledTransactionTerminated_12_3)
{
    S1Attrs a;
    a.ap = 1;
    ASSERT_TRUE(s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
    attach_s1(4, cd_for(s1pt).s());
    auto r = tx(4, 0x4000'5008);
    ASSERT_EQ(r.outcome, SMMU_XLATE_STALLED);
    ASSERT_EQ(smmu_inject_sfm(smmu), SMMU_OK);
    smmu_completion_t c[4];
    unsigned n = 99;
    ASSERT_EQ(smmu_take_completions(smmu, c, 4, &n), SMMU_OK);
    ASSERT_EQ(n, 1u);
    EXPECT_EQ(c[0].sid, 4u);
    EXPECT_EQ(c[0].stag, r.stag);
    EXPECT_EQ(c[0].resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(c[0].resp.event, SMMU_EVT_F_TRANSLATION);
    r = tx(4, 0x4000'6000); // would stall: aborts instead
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.cause, SMMU_CAUSE_SFM);
    ASSERT_EQ(smmu_take_completions(smmu, c, 4, &n), SMMU_OK);
    EXPECT_EQ(n, 0u);
}

} // namespace
} // namespace smmutest

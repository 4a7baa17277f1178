// SPDX-License-Identifier: Apache-2.0
// Command queue consumer (IHI 0070 G.b 4.1-4.7, 7.1).
#include "support/fixture.h"

extern "C" {
#include "cmdq.h"
#include "irq.h"
#include "queue.h"
#include "regs.h"
#include "smmu_internal.h"
}

using namespace smmutest;

namespace {

class Cmdq : public SmmuTest {
  protected:
    void SetUp() override
    {
        SmmuTest::SetUp();
        enable_queues(); // 2^8-entry command queue at kCmdq, GERROR IRQ on
        mem.irqs.clear();
    }
    uint32_t cons() { return uint32_t(rd(SMMU_CMDQ_CONS)); }
    uint32_t gerror() { return uint32_t(rd(SMMU_GERROR)); }
    smmu_stats_t stats()
    {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st;
    }
    // Plant a valid configuration-cache entry for sid, with a cached CD of
    // index `index`.
    void plant(uint32_t sid, uint32_t index = 0)
    {
        smmu_cfg_entry_t *e = smmu_cfgcache_slot(&smmu->cfgc, sid);
        ASSERT_NE(e, nullptr);
        e->valid = 1;
        smmu_cd_entry_t *c = smmu_cfgcache_cd_slot(&smmu->cfgc, sid, index);
        ASSERT_NE(c, nullptr);
        c->valid = 1;
    }
    bool cached(uint32_t sid) { return smmu_cfgcache_lookup(&smmu->cfgc, sid) != nullptr; }
    bool cd_cached(uint32_t sid, uint32_t index = 0)
    {
        return smmu_cfgcache_cd_lookup(&smmu->cfgc, sid, index) != nullptr;
    }
    // Expect the command at index idx to have failed with `err` (7.1).
    void expect_error(uint32_t idx, uint32_t err)
    {
        EXPECT_EQ(cons(), idx | err << 24);
        EXPECT_EQ(gerror() & SMMU_GERROR_CMDQ_ERR, uint32_t(SMMU_GERROR_CMDQ_ERR));
    }
};

// ---- Linux-style boot (3.11) ----

TEST_F(Cmdq, BootSequenceConsumesEverything_3_11)
{
    submit({cmd_cfgi_all(), cmd_tlbi_nsnh_all(), cmd_sync()});
    EXPECT_EQ(cons(), 3u);
    EXPECT_EQ(gerror(), 0u);
    EXPECT_EQ(stats().commands, 3u);
    EXPECT_EQ(stats().cmd_by_opcode[SMMU_CMD_CFGI_STE_RANGE], 1u);
    EXPECT_EQ(stats().cmd_by_opcode[SMMU_CMD_TLBI_NSNH_ALL], 1u);
    EXPECT_EQ(stats().cmd_by_opcode[SMMU_CMD_SYNC], 1u);
    EXPECT_EQ(stats().cerrors, 0u);
}

TEST_F(Cmdq, FixtureBootWorks_3_11)
{
    boot();
    EXPECT_EQ(rd(SMMU_CR0ACK), 0xDu);
}

TEST_F(Cmdq, NotConsumedWhileCmdqenClearThenConsumedOnEnable_6_3_9_3)
{
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    submit({cmd_sync(), cmd_sync()});
    EXPECT_EQ(cons(), 0u);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    EXPECT_EQ(cons(), 2u);
}

TEST_F(Cmdq, ReadsSixteenBytesAtBasePlusConsTimes16_3_5)
{
    mem.log_enabled = true;
    submit({cmd_sync(), cmd_sync()});
    ASSERT_EQ(mem.log.size(), 2u);
    EXPECT_EQ(mem.log[0].pa, kCmdq);
    EXPECT_EQ(mem.log[0].len, 16u);
    EXPECT_EQ(mem.log[0].kind, SMMU_ACC_CMDQ);
    EXPECT_EQ(mem.log[1].pa, kCmdq + 16);
}

TEST_F(Cmdq, WrapAroundTogglesRdWrap_3_5)
{
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    wr(SMMU_CMDQ_PROD, 255);
    wr(SMMU_CMDQ_CONS, 255);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    submit({cmd_cfgi_ste(1), cmd_cfgi_ste(2)});
    EXPECT_EQ(cons(), 1u | 1u << 8);
    EXPECT_EQ(stats().commands, 2u);
}

// ---- CMD_SYNC (4.7.3) ----

TEST_F(Cmdq, SyncSigNoneNoSignal_4_7_3)
{
    mem.log_enabled = true;
    submit({cmd_sync(SMMU_SYNC_CS_NONE, 0x8000'0000, 1)});
    EXPECT_TRUE(mem.irqs.empty());
    for (auto &a : mem.log)
        EXPECT_FALSE(a.write);
    EXPECT_EQ(mem.read32(0x8000'0000), 0u);
}

TEST_F(Cmdq, SyncSigIrqMsiExactAddressAndData_4_7_3)
{
    mem.log_enabled = true;
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0x0000'8765'4320ull, 0xDEADBEEF)});
    EXPECT_EQ(mem.read32(0x8765'4320ull), 0xDEADBEEFu);
    bool found = false;
    for (auto &a : mem.log)
        if (a.write) {
            EXPECT_EQ(a.pa, 0x8765'4320ull);
            EXPECT_EQ(a.len, 4u);
            EXPECT_EQ(a.kind, SMMU_ACC_SYNC);
            found = true;
        }
    EXPECT_TRUE(found);
    EXPECT_EQ(cons(), 1u);
}

TEST_F(Cmdq, SyncSigIrqAssertsWiredLineRegardlessOfMsiAddress_4_7_3)
{
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0x9000'0000, 5)});
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_CMD_SYNC);
}

TEST_F(Cmdq, SyncSigIrqZeroAddressWiredOnly_4_7_3)
{
    mem.log_enabled = true;
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0, 5)});
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_CMD_SYNC);
    for (auto &a : mem.log)
        EXPECT_FALSE(a.write);
}

TEST_F(Cmdq, SyncSigIrqWithoutMsiSupportIgnoresAddress_4_7_3)
{
    cfg.msi = 0;
    recreate();
    enable_queues();
    mem.irqs.clear();
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0x9000'0000, 5)});
    EXPECT_EQ(mem.read32(0x9000'0000), 0u);
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_CMD_SYNC);
}

TEST_F(Cmdq, SyncSigSevIsSigNoneForSoftware_4_7_3)
{
    submit({cmd_sync(SMMU_SYNC_CS_SEV, 0x9000'0000, 5)});
    EXPECT_TRUE(mem.irqs.empty());
    EXPECT_EQ(mem.read32(0x9000'0000), 0u);
    EXPECT_EQ(cons(), 1u);
}

TEST_F(Cmdq, SyncCs11IsCerrorIll_4_7_3)
{
    submit({cmd_sync(), cmd_sync(3)});
    expect_error(1, SMMU_CERROR_ILL);
    EXPECT_EQ(stats().cerrors, 1u);
}

TEST_F(Cmdq, SyncMsiAbortSetsMsiCmdqAbtErrAndConsumes_7_5)
{
    mem.add_abort(0x9000'0000, 0x1000);
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0x9000'0000, 5), cmd_sync()});
    EXPECT_EQ(cons(), 2u);
    EXPECT_EQ(gerror(), uint32_t(SMMU_GERROR_MSI_CMDQ_ABT_ERR));
}

TEST_F(Cmdq, SyncMsiAddressTruncatedToOas_4_7_3)
{
    cfg.oas = 0; // 32-bit PA
    recreate();
    enable_queues();
    submit({cmd_sync(SMMU_SYNC_CS_IRQ, 0x0001'1000'0040ull, 7)});
    EXPECT_EQ(mem.read32(0x1000'0040ull), 7u);
}

// ---- CFGI (4.3) ----

TEST_F(Cmdq, CfgiSteInvalidatesOneStreamId_4_3_1)
{
    plant(5);
    plant(6);
    submit({cmd_cfgi_ste(5, true), cmd_sync()});
    EXPECT_FALSE(cached(5));
    EXPECT_TRUE(cached(6));
}

TEST_F(Cmdq, CfgiSteRangeAlignedSpan_4_3_2)
{
    for (uint32_t sid : {15u, 16u, 20u, 31u, 32u})
        plant(sid);
    submit({cmd_cfgi_ste_range(21, 3)}); // 2^4 StreamIDs: 16..31
    EXPECT_TRUE(cached(15));
    EXPECT_FALSE(cached(16));
    EXPECT_FALSE(cached(20));
    EXPECT_FALSE(cached(31));
    EXPECT_TRUE(cached(32));
}

TEST_F(Cmdq, CfgiSteRangeZeroIsTwoStreamIds_4_3_2)
{
    plant(8);
    plant(9);
    plant(10);
    submit({cmd_cfgi_ste_range(9, 0)});
    EXPECT_FALSE(cached(8));
    EXPECT_FALSE(cached(9));
    EXPECT_TRUE(cached(10));
}

TEST_F(Cmdq, CfgiAllInvalidatesEverything_4_3_6)
{
    plant(1);
    plant(0xFFFF);
    submit({cmd_cfgi_ste_range(0x1234, 31)});
    EXPECT_FALSE(cached(1));
    EXPECT_FALSE(cached(0xFFFF));
}

TEST_F(Cmdq, CfgiCdDropsCachedCd_4_3_3)
{
    plant(3); // CD from index 0 (a single CD, or SubstreamID 0)
    submit({cmd_raw(SMMU_CMD_CFGI_CD, uint64_t(3) << 32 | uint64_t(0) << 12, 1)});
    EXPECT_EQ(cons(), 1u);
    EXPECT_TRUE(cached(3));
    EXPECT_FALSE(cd_cached(3));
}

// 4.3.3: "invalidated by this command when issued with SubstreamID == x":
// the CD of another index is outside the scope (minimum-scope policy).
TEST_F(Cmdq, CfgiCdOtherSubstreamKeepsCd_4_3_3)
{
    plant(3, 5);
    plant(3, 0);
    submit({cmd_raw(SMMU_CMD_CFGI_CD, uint64_t(3) << 32 | uint64_t(7) << 12, 1)});
    EXPECT_EQ(cons(), 1u);
    EXPECT_TRUE(cd_cached(3, 5));
    submit({cmd_raw(SMMU_CMD_CFGI_CD, uint64_t(3) << 32 | uint64_t(5) << 12, 1)});
    EXPECT_FALSE(cd_cached(3, 5));
    EXPECT_TRUE(cd_cached(3, 0)) << "CDs are cached per (StreamID, SubstreamID)";
}

TEST_F(Cmdq, CfgiCdOtherStreamIdKeepsCd_4_3_3)
{
    plant(3);
    plant(4);
    submit({cmd_raw(SMMU_CMD_CFGI_CD, uint64_t(4) << 32)});
    EXPECT_TRUE(cd_cached(3));
    EXPECT_FALSE(cd_cached(4));
}

TEST_F(Cmdq, CfgiCdAllDropsCachedCd_4_3_4)
{
    plant(4);
    submit({cmd_raw(SMMU_CMD_CFGI_CD_ALL, uint64_t(4) << 32)});
    EXPECT_EQ(cons(), 1u);
    EXPECT_FALSE(cd_cached(4));
}

class CmdqS2Only : public Cmdq {
  protected:
    void configure(smmu_config_t &c) override
    {
        c.s1p = 0;
        c.had = 0;
        c.hyp = 0;
        c.asid16 = 0;
        c.cd2l = 0;
        c.ssidsize = 0;
    }
};

TEST_F(CmdqS2Only, CfgiCdWithoutStage1IsCerrorIll_4_3_3)
{
    submit({cmd_raw(SMMU_CMD_CFGI_CD, uint64_t(3) << 32)});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(CmdqS2Only, CfgiCdAllWithoutStage1IsCerrorIll_4_3_4)
{
    submit({cmd_raw(SMMU_CMD_CFGI_CD_ALL, uint64_t(3) << 32)});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(CmdqS2Only, TlbiNhAllWithoutStage1IsCerrorIll_4_4_2)
{
    submit({cmd_tlbi_nh_all()});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(CmdqS2Only, TlbiEl2AllWithoutHypIsCerrorIll_4_4_2_7)
{
    submit({cmd_tlbi_el2_all()});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(CmdqS2Only, TlbiNsnhAllValidOnAnySmmu_4_4_4_1)
{
    submit({cmd_tlbi_nsnh_all(), cmd_sync()});
    EXPECT_EQ(cons(), 2u);
    EXPECT_EQ(gerror(), 0u);
}

// ---- TLBI (4.4) ----

TEST_F(Cmdq, TlbiNhAllAndEl2AllAccepted_4_4_2)
{
    submit({cmd_tlbi_nh_all(5), cmd_tlbi_el2_all(), cmd_sync()});
    EXPECT_EQ(cons(), 3u);
    EXPECT_EQ(gerror(), 0u);
}

class CmdqTlb : public Cmdq {
  protected:
    void put(uint64_t addr, uint8_t kind, uint8_t world, uint16_t vmid)
    {
        smmu_tlb_key_t k{};
        k.addr = addr;
        k.kind = kind;
        k.world = world;
        k.vmid = vmid;
        smmu_tlb_entry_t e{};
        e.size_shift = 12;
        e.gran_shift = 12;
        e.s1_level = 3;
        e.s2_level = 3;
        smmu_tlb_insert(&smmu->tlb, &k, &e);
        ASSERT_TRUE(has(addr, kind, world, vmid));
    }
    bool has(uint64_t addr, uint8_t kind, uint8_t world, uint16_t vmid)
    {
        smmu_tlb_key_t k{};
        k.addr = addr;
        k.kind = kind;
        k.world = world;
        k.vmid = vmid;
        return smmu_tlb_lookup(&smmu->tlb, &k) != nullptr;
    }
    void fill()
    {
        put(0x1000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 5);
        put(0x2000, SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1, 5);
        put(0x3000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 6);
        put(0x4000, SMMU_TLB_S2, SMMU_WORLD_NS_EL1, 5);
        put(0x5000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2, 0);
        put(0x6000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2_E2H, 0);
    }
};

TEST_F(CmdqTlb, TlbiNhAllRemovesStage1EntriesOfVmid_4_4_2_1)
{
    fill();
    submit({cmd_tlbi_nh_all(5)});
    EXPECT_FALSE(has(0x1000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 5));
    EXPECT_FALSE(has(0x2000, SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1, 5));
    EXPECT_TRUE(has(0x3000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 6));
    EXPECT_TRUE(has(0x4000, SMMU_TLB_S2, SMMU_WORLD_NS_EL1, 5)); // stage 2 kept
    EXPECT_TRUE(has(0x5000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2, 0));
}

TEST_F(CmdqTlb, TlbiNsnhAllRemovesAllNonEl2Entries_4_4_4_1)
{
    fill();
    submit({cmd_tlbi_nsnh_all()});
    EXPECT_FALSE(has(0x1000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 5));
    EXPECT_FALSE(has(0x2000, SMMU_TLB_NESTED, SMMU_WORLD_NS_EL1, 5));
    EXPECT_FALSE(has(0x3000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 6));
    EXPECT_FALSE(has(0x4000, SMMU_TLB_S2, SMMU_WORLD_NS_EL1, 5));
    EXPECT_TRUE(has(0x5000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2, 0));
    EXPECT_TRUE(has(0x6000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2_E2H, 0));
}

TEST_F(CmdqTlb, TlbiEl2AllRemovesEl2AndE2hEntries_4_4_2_7)
{
    fill();
    submit({cmd_tlbi_el2_all()});
    EXPECT_FALSE(has(0x5000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2, 0));
    EXPECT_FALSE(has(0x6000, SMMU_TLB_S1, SMMU_WORLD_NS_EL2_E2H, 0));
    EXPECT_TRUE(has(0x1000, SMMU_TLB_S1, SMMU_WORLD_NS_EL1, 5));
}

TEST_F(Cmdq, PrefetchConfigAccepted_4_2_1)
{
    submit({cmd_raw(SMMU_CMD_PREFETCH_CONFIG, uint64_t(9) << 32)});
    EXPECT_EQ(cons(), 1u);
    EXPECT_EQ(gerror(), 0u);
}

// ---- Errors (4.1.3, 7.1) ----

TEST_F(Cmdq, UnknownOpcodeCerrorIllHaltsAndResumesAfterGerrorn_7_1)
{
    submit({cmd_sync(), cmd_raw(0x0F), cmd_sync(), cmd_sync()});
    expect_error(1, SMMU_CERROR_ILL);
    EXPECT_EQ(stats().commands, 1u);
    ASSERT_EQ(mem.irqs.size(), 1u);
    EXPECT_EQ(mem.irqs[0], SMMU_IRQ_GERROR);
    // Still halted: another PROD write does not restart consumption.
    submit({cmd_sync()});
    EXPECT_EQ(cons(), 1u | SMMU_CERROR_ILL << 24);
    // Fix the command in place and acknowledge (GERRORN toggles CMDQ_ERR).
    mem.write64(kCmdq + 16, cmd_sync()[0]);
    mem.write64(kCmdq + 24, cmd_sync()[1]);
    wr(SMMU_GERRORN, rd(SMMU_GERROR));
    EXPECT_EQ(cons() & 0xFFFFF, 5u);
    EXPECT_FALSE(smmu_gerror_active(smmu, SMMU_GERROR_CMDQ_ERR));
    EXPECT_EQ(stats().commands, 5u);
}

TEST_F(Cmdq, CmdqErrUnaffectedByCmdqen_6_3_28)
{
    submit({cmd_raw(0x00)});
    expect_error(0, SMMU_CERROR_ILL);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN | SMMU_CR0_CMDQEN);
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(Cmdq, EveryReservedOpcodeIsCerrorIll_4_1_1)
{
    for (unsigned op : {0x00u, 0x08u, 0x0Au, 0x14u, 0x19u, 0x24u, 0x29u, 0x2Bu, 0x31u, 0x42u,
                        0x47u, 0x90u, 0xFFu}) {
        recreate();
        enable_queues();
        submit({cmd_raw(uint8_t(op))});
        EXPECT_EQ(cons(), uint32_t(SMMU_CERROR_ILL) << 24) << "op 0x" << std::hex << op;
    }
}

TEST_F(Cmdq, SecureAndEl3CommandsOnNonSecureQueueAreCerrorIll_4_4_2)
{
    for (unsigned op : {0x18u, 0x1Au, 0x50u, 0x58u, 0x5Au, 0x60u}) {
        recreate();
        enable_queues();
        submit({cmd_raw(uint8_t(op))});
        EXPECT_EQ(cons(), uint32_t(SMMU_CERROR_ILL) << 24) << "op 0x" << std::hex << op;
    }
}

TEST_F(Cmdq, SsecOneOnNonSecureQueueIsCerrorIll_4_1_6)
{
    submit({cmd_raw(SMMU_CMD_CFGI_STE, SMMU_BIT(10) | uint64_t(1) << 32)});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(Cmdq, NonZeroReservedFieldIsCerrorIll_4_1_5)
{
    submit({cmd_raw(SMMU_CMD_CFGI_STE, SMMU_BIT(8)), cmd_sync()});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(Cmdq, NonZeroReservedWord1IsCerrorIll_4_1_5)
{
    submit({cmd_raw(SMMU_CMD_TLBI_NSNH_ALL, 0, 1)});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(Cmdq, SyncMsiAddressAboveBit51IsCerrorIll_4_1_6)
{
    submit({{uint64_t(SMMU_CMD_SYNC) | 1u << 12, SMMU_BIT(52)}});
    expect_error(0, SMMU_CERROR_ILL);
}

TEST_F(Cmdq, ReadAbortIsCerrorAbtAndRecoverable_7_1)
{
    submit({cmd_sync()});
    mem.add_abort(kCmdq + 16, 16);
    submit({cmd_sync(), cmd_sync()});
    expect_error(1, SMMU_CERROR_ABT);
    mem.clear_aborts();
    wr(SMMU_GERRORN, rd(SMMU_GERROR));
    EXPECT_EQ(cons() & 0xFFFFF, 3u);
}

TEST_F(Cmdq, GerrornWithoutCmdqErrDoesNotConsumeWhenDisabled_7_1)
{
    wr(SMMU_CR0, SMMU_CR0_EVENTQEN);
    submit({cmd_raw(0x0F)});
    EXPECT_EQ(cons(), 0u); // disabled: not even fetched
    EXPECT_EQ(gerror(), 0u);
}

} // namespace

namespace smmutest {
namespace {
// 7.1, 6.3.28: consumption resumes when CMDQ_ERR is acknowledged, even when
// the acknowledgement comes from inside the GERROR interrupt callback (the
// model signals interrupts synchronously).
struct AckFromIrq {
    smmu_t *smmu = nullptr;
    SimMem *mem = nullptr;
    int acks = 0;
};
AckFromIrq g_ack;

void ack_irq(void *, smmu_irq_t irq)
{
    if (irq != SMMU_IRQ_GERROR || !g_ack.smmu)
        return;
    uint64_t cons = 0, g = 0;
    smmu_mmio_read(g_ack.smmu, SMMU_CMDQ_CONS, 4, &cons);
    smmu_mmio_read(g_ack.smmu, SMMU_GERROR, 4, &g);
    uint32_t idx = uint32_t(cons) & ((1u << kCmdqLog2) - 1);
    g_ack.mem->write64(kCmdq + idx * 16ull, SMMU_CMD_SYNC); // skip the bad command
    g_ack.mem->write64(kCmdq + idx * 16ull + 8, 0);
    g_ack.acks++;
    smmu_mmio_write(g_ack.smmu, SMMU_GERRORN, g, 4);
}

class CmdqIrqAck : public SmmuTest {};

TEST_F(CmdqIrqAck, ErrAcknowledgedFromIrqCallbackRestarts_7_1)
{
    smmu_mem_ops_t ops = *mem.ops();
    ops.raise_irq = ack_irq;
    char msg[128];
    smmu_t *s = smmu_create(&cfg, &ops, mem.ctx(), msg, sizeof msg);
    ASSERT_NE(s, nullptr) << msg;
    std::swap(smmu, s);
    boot();
    g_ack = {smmu, &mem, 0};
    submit({cmd_raw(0x00), cmd_sync()});
    int acks = g_ack.acks;
    g_ack = {};
    EXPECT_EQ(acks, 1) << "the GERROR interrupt fired once and was acknowledged";
    EXPECT_EQ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR, 0u);
    EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0x1FF, rd(SMMU_CMDQ_PROD) & 0x1FF);
    std::swap(smmu, s);
    smmu_destroy(s);
}
} // namespace
} // namespace smmutest

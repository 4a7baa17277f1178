// SPDX-License-Identifier: Apache-2.0
#include "support/fixture.h"

namespace smmutest {

Cmd cmd_raw(uint8_t opcode, uint64_t w0_rest, uint64_t w1)
{
    return {uint64_t(opcode) | w0_rest, w1};
}
Cmd cmd_cfgi_ste(uint32_t sid, bool leaf) { return {SMMU_CMD_CFGI_STE | uint64_t(sid) << 32, leaf ? 1ull : 0ull}; }
Cmd cmd_cfgi_ste_range(uint32_t sid, unsigned range)
{
    return {SMMU_CMD_CFGI_STE_RANGE | uint64_t(sid) << 32, uint64_t(range & 31)};
}
Cmd cmd_cfgi_all() { return cmd_cfgi_ste_range(0, 31); }
Cmd cmd_tlbi_nsnh_all() { return {SMMU_CMD_TLBI_NSNH_ALL, 0}; }
Cmd cmd_tlbi_nh_all(uint16_t vmid) { return {SMMU_CMD_TLBI_NH_ALL | uint64_t(vmid) << 32, 0}; }
Cmd cmd_tlbi_el2_all() { return {SMMU_CMD_TLBI_EL2_ALL, 0}; }
Cmd cmd_sync(unsigned cs, uint64_t msi_addr, uint32_t msi_data)
{
    // CMD_SYNC (4.7.3): CS [13:12], MSIData [63:32], MSIAddress[51:2] at [115:66].
    uint64_t w0 = SMMU_CMD_SYNC | uint64_t(cs & 3) << 12 | uint64_t(msi_data) << 32;
    uint64_t w1 = msi_addr & SMMU_MASK(51, 2);
    return {w0, w1};
}

void SmmuTest::SetUp()
{
    smmu_config_default(&cfg, SMMU_ARCH_V3_2);
    configure(cfg);
    recreate();
}

void SmmuTest::TearDown()
{
    smmu_destroy(smmu);
    smmu = nullptr;
}

void SmmuTest::recreate()
{
    if (smmu)
        smmu_destroy(smmu);
    char msg[256] = "";
    smmu = smmu_create(&cfg, create_ops ? create_ops : mem.ops(), mem.ctx(), msg, sizeof msg);
    ASSERT_NE(smmu, nullptr) << msg;
}

uint64_t SmmuTest::rd(uint64_t off, unsigned size)
{
    uint64_t v = 0;
    EXPECT_EQ(smmu_mmio_read(smmu, off, size, &v), SMMU_OK) << "read 0x" << std::hex << off;
    return v;
}

void SmmuTest::wr(uint64_t off, uint64_t val, unsigned size)
{
    EXPECT_EQ(smmu_mmio_write(smmu, off, val, size), SMMU_OK) << "write 0x" << std::hex << off;
}

void SmmuTest::set_strtab(uint64_t base, unsigned log2size, unsigned fmt, unsigned split)
{
    wr(SMMU_STRTAB_BASE, (base & SMMU_MASK(51, 6)) | SMMU_BIT(62), 8);
    wr(SMMU_STRTAB_BASE_CFG, SMMU_PUT(fmt, 17, 16) | SMMU_PUT(split, 10, 6) | SMMU_PUT(log2size, 5, 0));
}

void SmmuTest::enable_queues()
{
    wr(SMMU_CMDQ_BASE, (kCmdq & SMMU_MASK(51, 5)) | SMMU_BIT(62) | kCmdqLog2, 8);
    wr(SMMU_CMDQ_PROD, 0);
    wr(SMMU_CMDQ_CONS, 0);
    wr(SMMU_EVENTQ_BASE, (kEvtq & SMMU_MASK(51, 5)) | SMMU_BIT(62) | kEvtqLog2, 8);
    wr(SMMU_EVENTQ_PROD, 0);
    wr(SMMU_EVENTQ_CONS, 0);
    uint32_t cr0 = SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN;
    wr(SMMU_CR0, cr0);
    ASSERT_EQ(rd(SMMU_CR0ACK), cr0);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    ASSERT_EQ(rd(SMMU_IRQ_CTRLACK), SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
}

void SmmuTest::enable_smmu()
{
    uint32_t cr0 = uint32_t(rd(SMMU_CR0)) | SMMU_CR0_SMMUEN;
    wr(SMMU_CR0, cr0);
    ASSERT_EQ(rd(SMMU_CR0ACK), cr0);
}

void SmmuTest::boot(unsigned log2size, unsigned fmt, unsigned split)
{
    // 3.11 step order: tables, CR1 (table/queue attributes), queues, enable
    // queues, invalidate everything, then SMMUEN.
    set_strtab(kStrtab, log2size, fmt, split);
    wr(SMMU_CR1, 0);
    enable_queues();
    submit({cmd_cfgi_all(), cmd_tlbi_nsnh_all(), cmd_sync()});
    ASSERT_EQ(cmdq_cons_err(), 0u);
    ASSERT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFFFF, rd(SMMU_CMDQ_PROD) & 0xFFFFF);
    enable_smmu();
}

void SmmuTest::submit(const std::vector<Cmd> &cmds)
{
    uint32_t prod = uint32_t(rd(SMMU_CMDQ_PROD));
    uint32_t mask = (1u << (kCmdqLog2 + 1)) - 1;
    for (const Cmd &c : cmds) {
        uint32_t idx = prod & ((1u << kCmdqLog2) - 1);
        mem.write64(kCmdq + idx * 16ull, c[0]);
        mem.write64(kCmdq + idx * 16ull + 8, c[1]);
        prod = (prod + 1) & mask;
    }
    wr(SMMU_CMDQ_PROD, prod);
}

uint32_t SmmuTest::cmdq_cons_err() { return uint32_t(SMMU_GET(rd(SMMU_CMDQ_CONS), 30, 24)); }

std::vector<Record> SmmuTest::events()
{
    std::vector<Record> out;
    uint32_t prod = uint32_t(rd(SMMU_EVENTQ_PROD));
    uint32_t cons = uint32_t(rd(SMMU_EVENTQ_CONS));
    uint32_t idx_mask = (1u << kEvtqLog2) - 1, ptr_mask = (1u << (kEvtqLog2 + 1)) - 1;
    while ((cons & ptr_mask) != (prod & ptr_mask)) {
        Record r;
        uint64_t at = kEvtq + (cons & idx_mask) * 32ull;
        for (int i = 0; i < 8; i++)
            r[i] = mem.read32(at + 4 * i);
        out.push_back(r);
        cons = (cons & ~ptr_mask) | ((cons + 1) & ptr_mask);
    }
    // Acknowledge any overflow along with the consumption (7.4).
    cons = (cons & ~SMMU_Q_OVF) | (prod & SMMU_Q_OVF);
    wr(SMMU_EVENTQ_CONS, cons);
    return out;
}

void SmmuTest::write_ste(uint32_t sid, const std::array<uint64_t, 8> &ste, uint64_t base)
{
    for (int i = 0; i < 8; i++)
        mem.write64(base + sid * 64ull + 8 * i, ste[i]);
}

smmu_response_t SmmuTest::xlate(uint32_t sid, uint64_t addr, bool write, bool priv, bool instr,
                                int ssid)
{
    smmu_request_t rq{};
    rq.sid = sid;
    rq.addr = addr;
    rq.size = 4;
    rq.write = write;
    rq.priv = priv;
    rq.instr = instr;
    if (ssid >= 0) {
        rq.ssv = 1;
        rq.ssid = uint32_t(ssid);
    }
    smmu_response_t rs{};
    EXPECT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
    return rs;
}

} // namespace smmutest

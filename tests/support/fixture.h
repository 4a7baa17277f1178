/* SPDX-License-Identifier: Apache-2.0 */
// Common GoogleTest fixture: one SMMU instance over SimMem, with the
// driver-style helpers every suite needs (MMIO, boot in the order of 3.11,
// command submission, event-queue reads, translation).
#pragma once

#include <gtest/gtest.h>

#include <array>
#include <cstdint>
#include <vector>

#include "support/simmem.h"

extern "C" {
#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"
}

namespace smmutest {

using Record = std::array<uint32_t, 8>;

// Fixed memory map used by the fixture's boot().
constexpr uint64_t kStrtab = 0x0010'0000; // stream table (linear or L1)
constexpr uint64_t kCmdq = 0x0020'0000;
constexpr uint64_t kEvtq = 0x0030'0000;
constexpr uint64_t kPriq = 0x0038'0000;
constexpr uint64_t kTables = 0x0100'0000; // free area for CDs and page tables
constexpr unsigned kCmdqLog2 = 8;
constexpr unsigned kEvtqLog2 = 7;

// Command encoders (4.x). Each returns the two 64-bit words.
using Cmd = std::array<uint64_t, 2>;
Cmd cmd_cfgi_ste(uint32_t sid, bool leaf = false);
Cmd cmd_cfgi_ste_range(uint32_t sid, unsigned range);
Cmd cmd_cfgi_all();
Cmd cmd_tlbi_nsnh_all();
Cmd cmd_tlbi_nh_all(uint16_t vmid = 0);
Cmd cmd_tlbi_el2_all();
Cmd cmd_sync(unsigned cs = SMMU_SYNC_CS_NONE, uint64_t msi_addr = 0, uint32_t msi_data = 0);
Cmd cmd_raw(uint8_t opcode, uint64_t w0_rest = 0, uint64_t w1 = 0);

class SmmuTest : public ::testing::Test {
  protected:
    SimMem mem;
    smmu_config_t cfg{};
    smmu_t *smmu = nullptr;
    // Callback table for recreate() (SetUp); nullptr: mem.ops(). Set it in
    // configure() to add callbacks SimMem does not have (ops.msi_write).
    const smmu_mem_ops_t *create_ops = nullptr;

    // Override to change the configuration before the instance is created.
    virtual void configure(smmu_config_t &) {}

    void SetUp() override;
    void TearDown() override;
    // Re-create the instance with the current cfg.
    void recreate();

    uint64_t rd(uint64_t off, unsigned size = 4);
    void wr(uint64_t off, uint64_t val, unsigned size = 4);

    // Program the stream table: linear (fmt 0) or 2-level (fmt 1).
    void set_strtab(uint64_t base, unsigned log2size, unsigned fmt = 0, unsigned split = 0);
    // Boot as Linux does (3.11): STRTAB_BASE(_CFG) with a linear table of
    // 2^log2size STEs at kStrtab, CR1, queues, CMDQEN|EVENTQEN, CFGI_ALL +
    // TLBI_NSNH_ALL + CMD_SYNC, then SMMUEN. Asserts every ACK.
    void boot(unsigned log2size = 8, unsigned fmt = 0, unsigned split = 0);
    // Enable the SMMU with queues but without touching STRTAB (used by boot).
    void enable_queues();
    void enable_smmu();

    // Write commands to the CMDQ at PROD and publish them.
    void submit(const std::vector<Cmd> &cmds);
    uint32_t cmdq_cons_err();

    // Raw records between EVENTQ_CONS and EVENTQ_PROD; advances CONS.
    std::vector<Record> events();

    // STE at index sid of the linear table at kStrtab.
    void write_ste(uint32_t sid, const std::array<uint64_t, 8> &ste, uint64_t base = kStrtab);

    smmu_response_t xlate(uint32_t sid, uint64_t addr, bool write = false, bool priv = false,
                          bool instr = false, int ssid = -1);
};

} // namespace smmutest

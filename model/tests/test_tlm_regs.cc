// SPDX-License-Identifier: Apache-2.0
// TlmRegs: the register socket (offsets 0-0x1FFFF, 6.1/6.2): 4- and
// 8-byte aligned accesses; anything else is a TLM error response.
#include "tlm_harness.h"

using namespace tlmtest;

namespace {
tlm::tlm_response_status raw(Platform &p, tlm::tlm_command cmd, uint64_t off, unsigned len,
                             unsigned sw, unsigned char *be = nullptr)
{
    uint64_t v = 0;
    tlm::tlm_generic_payload t;
    t.set_command(cmd);
    t.set_address(off);
    t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
    t.set_data_length(len);
    t.set_streaming_width(sw);
    if (be) {
        t.set_byte_enable_ptr(be);
        t.set_byte_enable_length(len);
    }
    t.set_response_status(tlm::TLM_INCOMPLETE_RESPONSE);
    sc_time d = SC_ZERO_TIME;
    p.cpu.sock->b_transport(t, d);
    return t.get_response_status();
}
} // namespace

// 6.3.1-6.3.8: the ID registers read through the socket are those of the
// configuration (smmu_config_to_idr).
TEST(TlmRegs, IdRegistersMatchConfiguration)
{
    Platform p;
    run([&] {
        uint32_t idr[6], aidr, iidr;
        smmu_config_to_idr(smmu_get_config(p.smmu.core()), idr, &aidr, &iidr);
        for (unsigned i = 0; i < 6; i++)
            EXPECT_EQ(p.rd(SMMU_IDR0 + 4 * i), idr[i]) << "IDR" << i;
        EXPECT_EQ(p.rd(SMMU_AIDR), aidr);
        EXPECT_EQ(p.rd(SMMU_IIDR), iidr);
        EXPECT_EQ(aidr, 2u) << "v3.2";
    });
}

// 6.3.24: 64-bit STRTAB_BASE written and read back as one 8-byte access;
// the 32-bit halves read the same value.
TEST(TlmRegs, EightByteAccessToStrtabBase)
{
    Platform p;
    run([&] {
        const uint64_t v = SMMU_BIT(62) | 0x123440ull;
        p.wr(SMMU_STRTAB_BASE, v, 8);
        EXPECT_EQ(p.rd(SMMU_STRTAB_BASE, 8), v);
        EXPECT_EQ(p.rd(SMMU_STRTAB_BASE, 4), uint32_t(v));
        EXPECT_EQ(p.rd(SMMU_STRTAB_BASE + 4, 4), uint32_t(v >> 32));
    });
}

// 6.3.9-6.3.10 and 3.11: after the boot through the socket CR0ACK equals
// CR0 and the three boot commands (CFGI_ALL, TLBI_NSNH_ALL, CMD_SYNC) were
// consumed inside the CMDQ_PROD write: CONS == PROD == 3.
TEST(TlmRegs, BootThroughSocketConsumesCommands)
{
    Platform p;
    run([&] {
        p.boot();
        EXPECT_EQ(p.rd(SMMU_CR0ACK), SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN | SMMU_CR0_SMMUEN);
        EXPECT_EQ(p.rd(SMMU_CMDQ_PROD), 3u);
        EXPECT_EQ(p.rd(SMMU_CMDQ_CONS), 3u);
        EXPECT_EQ(p.stats().commands, 3u);
        EXPECT_EQ(p.rd(SMMU_GERROR), 0u);
    });
}

// Misaligned or 1/2/16-byte accesses: TLM_ADDRESS_ERROR_RESPONSE (the
// core's SMMU_ERR_INVAL); beyond 0x1FFFF too.
TEST(TlmRegs, BadSizeOrAlignmentIsAddressError)
{
    Platform p;
    run([&] {
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_CR0 + 2, 4, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_STRTAB_BASE + 4, 8, 8),
                  tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_CR0, 2, 2), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_WRITE_COMMAND, SMMU_CR0, 1, 1), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, 0x20000, 4, 4), tlm::TLM_ADDRESS_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_IDR0, 4, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_EVENTQ_PROD, 4, 4), tlm::TLM_OK_RESPONSE)
            << "page 1 (0x10000-0x1FFFF)";
    });
}

// Byte enables: TLM_BYTE_ENABLE_ERROR_RESPONSE; streaming width below the
// length: TLM_BURST_ERROR_RESPONSE (14.17).
TEST(TlmRegs, ByteEnablesAndStreamingWidthRejected)
{
    Platform p;
    run([&] {
        unsigned char be[4] = {0xFF, 0xFF, 0xFF, 0xFF};
        EXPECT_EQ(raw(p, tlm::TLM_WRITE_COMMAND, SMMU_CR2, 4, 4, be),
                  tlm::TLM_BYTE_ENABLE_ERROR_RESPONSE);
        EXPECT_EQ(raw(p, tlm::TLM_READ_COMMAND, SMMU_CR2, 8, 4), tlm::TLM_BURST_ERROR_RESPONSE);
        EXPECT_EQ(p.rd(SMMU_CR2), 0u) << "rejected write had no effect";
    });
}

// 6.3.12: CR2.RECINVSID reads back as written; PTM is RES0 when
// SMMU_IDR0.BTM == 0 (the default configuration has no BTM).
TEST(TlmRegs, WriteThenReadCr2)
{
    Platform p;
    run([&] {
        EXPECT_EQ(p.rd(SMMU_IDR0) & (1u << 5), 0u) << "IDR0.BTM = 0";
        p.wr(SMMU_CR2, SMMU_CR2_RECINVSID | SMMU_CR2_PTM);
        EXPECT_EQ(p.rd(SMMU_CR2), SMMU_CR2_RECINVSID);
    });
}

// The register socket adds no delay of its own (the command cost is
// [timing]'s smmu_mmio_write_at, not on main).
TEST(TlmRegs, AccessLeavesDelayUnchanged)
{
    Platform p;
    run([&] {
        uint64_t v = 0;
        sc_time d(11, SC_NS);
        EXPECT_EQ(p.reg_access(tlm::TLM_READ_COMMAND, SMMU_IDR1, v, 4, &d), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, sc_time(11, SC_NS));
    });
}

// SPDX-License-Identifier: Apache-2.0
// Bad input of every kind gives an architected outcome and the model keeps
// running (issue [core], "Bad input"): random bytes in every structure the
// SMMU reads, random MMIO write sequences, random commands. Run under
// ASan/UBSan (scripts/test.sh --sanitize) these find any undefined
// behaviour. Seeds are printed so every failure reproduces:
//   SMMU_SEED=<n> ./build/smmu_tests --gtest_filter='Robust*'
#include <cstdlib>
#include <random>

#include "support/fixture.h"

namespace smmutest {
namespace {

uint64_t seed_from_env(uint64_t dflt)
{
    const char *e = std::getenv("SMMU_SEED");
    return e ? std::strtoull(e, nullptr, 0) : dflt;
}

// Fill [base, base+len) with random bytes.
void scribble(SimMem &mem, std::mt19937_64 &rng, uint64_t base, uint64_t len)
{
    for (uint64_t a = 0; a < len; a += 8)
        mem.write64(base + a, rng());
}

// Every response is well-formed whatever happened.
void check_response(const smmu_response_t &r)
{
    ASSERT_LE(r.outcome, SMMU_XLATE_STALLED);
    if (r.outcome == SMMU_XLATE_OK) {
        ASSERT_NE(r.page_size, 0u);
        ASSERT_EQ(r.page_size & (r.page_size - 1), 0u) << "page size is a power of two";
    }
}

class Robust : public SmmuTest {};

// Random STEs, CDs, L1 descriptors and translation tables (all tables of
// the booted SMMU point into the scribbled area), random transactions.
TEST_F(Robust, RandomTableBytes_NoCrash_ArchitectedOutcomes)
{
    uint64_t seed = seed_from_env(0x5EED0001);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    std::mt19937_64 rng(seed);
    boot();
    for (int round = 0; round < 40; round++) {
        // The stream table (256 STEs) and a 1 MiB area that random pointers
        // are steered into (most random pointers simply miss memory).
        scribble(mem, rng, kStrtab, 256 * 64);
        scribble(mem, rng, kTables, 0x10000);
        for (int i = 0; i < 64; i++) {
            // Steer some STE/CD pointers into the scribbled area.
            uint32_t sid = rng() & 255;
            uint64_t w0 = mem.read64(kStrtab + sid * 64);
            w0 = (w0 & ~SMMU_MASK(51, 6)) | ((kTables + (rng() & 0xFFC0)) & SMMU_MASK(51, 6));
            mem.write64(kStrtab + sid * 64, w0);
        }
        submit({cmd_cfgi_all(), cmd_tlbi_nsnh_all(), cmd_sync()});
        for (int i = 0; i < 300; i++) {
            smmu_request_t rq{};
            rq.sid = uint32_t(rng() & 511);
            rq.ssv = rng() & 1;
            rq.ssid = uint32_t(rng() & 0xFFFFF);
            rq.addr = (rng() & 1) ? rng() : (rng() & 0xFFFFFFFF);
            rq.size = 1 + (rng() & 63);
            rq.write = rng() & 1;
            rq.instr = rng() & 1;
            rq.priv = rng() & 1;
            rq.pcie = rng() & 1;
            smmu_response_t rs{};
            ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
            check_response(rs);
        }
        events(); // drain; records are consumed like a driver would
    }
    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    EXPECT_EQ(st.translations, 40u * 300u);
}

// Random MMIO writes anywhere in both pages (aligned, 4 or 8 bytes), mixed
// with reads and transactions: no crash, and every access either succeeds
// or is refused as a bad access by smmu_mmio_*.
TEST_F(Robust, RandomMmioSequences_NoCrash)
{
    uint64_t seed = seed_from_env(0x5EED0002);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    std::mt19937_64 rng(seed);
    // Memory for whatever the registers end up pointing at.
    scribble(mem, rng, 0, 0x4000);
    for (int i = 0; i < 20000; i++) {
        unsigned size = (rng() & 1) ? 8 : 4;
        uint64_t off = (rng() % 0x20000) & ~uint64_t(size - 1);
        if ((rng() & 3) == 0)
            off = (rng() & 0xFF) & ~uint64_t(size - 1); // favour the real registers
        if ((rng() & 7) == 0)
            off = SMMU_PAGE1 + ((rng() & 0xFF) & ~uint64_t(size - 1));
        // Keep queue and table bases in the scribbled low memory sometimes.
        uint64_t val = rng();
        if (rng() & 1)
            val &= 0x0000'0000'0000'3FFFull | SMMU_BIT(62);
        if (rng() & 1) {
            ASSERT_EQ(smmu_mmio_write(smmu, off, val, size), SMMU_OK);
        } else {
            uint64_t v;
            ASSERT_EQ(smmu_mmio_read(smmu, off, size, &v), SMMU_OK);
            if (size == 4) {
                ASSERT_EQ(v >> 32, 0u) << "a 32-bit read returns 32 bits";
            }
        }
        if ((i & 63) == 0) {
            smmu_request_t rq{};
            rq.sid = uint32_t(rng() & 63);
            rq.addr = rng() & 0xFFFFF;
            rq.size = 4;
            smmu_response_t rs{};
            ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
            check_response(rs);
        }
    }
    // Bad sizes and misaligned offsets are refused, not executed.
    uint64_t v;
    EXPECT_EQ(smmu_mmio_read(smmu, SMMU_CR0, 2, &v), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_mmio_read(smmu, SMMU_CR0 + 2, 4, &v), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_mmio_write(smmu, SMMU_STRTAB_BASE + 4, 0, 8), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_mmio_write(smmu, SMMU_CR0, 0, 16), SMMU_ERR_INVAL);
}

// Random command words: every command is either executed or reported as
// CERROR_ILL; after acknowledging the error through GERRORN the queue moves
// on (7.1).
TEST_F(Robust, RandomCommands_ErrorsAreCerrorAndRecoverable)
{
    uint64_t seed = seed_from_env(0x5EED0003);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    std::mt19937_64 rng(seed);
    boot();
    for (int i = 0; i < 3000; i++) {
        Cmd c{rng(), rng()};
        if (rng() & 1)
            c[0] = (c[0] & ~0xFFull) | (rng() % 0x50); // mostly plausible opcodes
        if ((c[0] & 0xFF) == SMMU_CMD_SYNC)
            c[1] = 0; // no MSI writes to random addresses
        submit({c});
        uint32_t cons = uint32_t(rd(SMMU_CMDQ_CONS));
        bool active = ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR) != 0;
        if (active) {
            // 7.1: the code is visible in CMDQ_CONS.ERR; CONS points at the
            // failing command. ERR keeps its value after the error is
            // acknowledged, so only an active GERROR.CMDQ_ERR means "new".
            uint32_t err = uint32_t(SMMU_GET(cons, 30, 24));
            ASSERT_EQ(err, SMMU_CERROR_ILL) << "opcode 0x" << std::hex << (c[0] & 0xFF);
            // A driver skips the bad command (overwrites it with a SYNC)
            // and acknowledges.
            uint32_t idx = cons & ((1u << kCmdqLog2) - 1);
            mem.write64(kCmdq + idx * 16ull, SMMU_CMD_SYNC);
            mem.write64(kCmdq + idx * 16ull + 8, 0);
            wr(SMMU_GERRORN, rd(SMMU_GERRORN) ^ SMMU_GERROR_CMDQ_ERR);
            ASSERT_EQ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR, 0u);
        }
        ASSERT_EQ(rd(SMMU_CMDQ_CONS) & 0x1FF, rd(SMMU_CMDQ_PROD) & 0x1FF);
    }
    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    EXPECT_GE(st.commands, 3000u);
    EXPECT_GT(st.cerrors, 0u);
}

} // namespace
} // namespace smmutest

// SPDX-License-Identifier: Apache-2.0
// TlmDbg: debug transport (IEEE 1666-2011 11.3) through the SMMU: it
// translates with no side effect (smmu_translate_debug: no event, cache
// fill, HTTU write, statistic) and forwards transport_dbg at the PA.
#include "tlm_harness.h"

using namespace tlmtest;

namespace {
struct Snapshot {
    smmu_stats_t stats;
    std::vector<uint8_t> tables;
    uint32_t evtq_prod;
};
Snapshot snap(Platform &p)
{
    Snapshot s;
    s.stats = p.stats();
    s.tables.assign(p.mem.bytes.begin() + 0x100000, p.mem.bytes.begin() + 0x400000);
    s.evtq_prod = p.evtq_prod();
    return s;
}
void expect_same(const Snapshot &a, const Snapshot &b)
{
    EXPECT_EQ(std::memcmp(&a.stats, &b.stats, sizeof a.stats), 0) << "statistics unchanged";
    EXPECT_TRUE(a.tables == b.tables) << "tables and queues unchanged (no AF/dirty write)";
    EXPECT_EQ(a.evtq_prod, b.evtq_prod) << "no event record";
}
} // namespace

// A debug read of a page with AF = 0 under HA (3.13.2) returns the bytes
// but leaves statistics, TLB (tlb_inserts), the event queue and the
// descriptor's AF as they were; the next real access still walks.
TEST(TlmDbg, ReadLeavesNoTrace)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.httu = 1;
    Platform p(&c);
    p.add_stream(3, [](smmu_build_cd_t &cd) { cd.ha = 1; });
    smmu_build_attr_t a = {};
    a.ng = 1;
    a.no_af = 1;
    p.map(3, kIova, kPa, 0x1000, SMMU_BUILD_R | SMMU_BUILD_W | SMMU_BUILD_USER, &a);
    fill(p, kPa + 0x100, 16, 0x31);
    run([&] {
        p.boot();
        const Snapshot before = snap(p);
        uint8_t buf[16] = {};
        EXPECT_EQ(p.dev0.dbg(tlm::TLM_READ_COMMAND, kIova + 0x100, buf, 16), 16u);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[kPa + 0x100], 16), 0);
        expect_same(before, snap(p));
        uint32_t v;
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.stats().tlb_hits + p.stats().utlb_hits, 0u) << "the debug read cached nothing";
        EXPECT_EQ(p.stats().httu_updates, 1u) << "the real access sets AF";
    });
}

// A debug read of an unmapped address returns 0 bytes and records no
// F_TRANSLATION (7.3.12 is for real transactions only).
TEST(TlmDbg, FaultReturnsZeroWithoutEvent)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        const Snapshot before = snap(p);
        uint8_t buf[8];
        EXPECT_EQ(p.dev0.dbg(tlm::TLM_READ_COMMAND, kIova + 0x20000, buf, 8), 0u);
        expect_same(before, snap(p));
    });
}

// Page by page: 32 bytes from 0x40003FF0 come from PA 0x803FF0 (16) and
// PA 0x900000 (16).
TEST(TlmDbg, PageCrossingReadsBothPages)
{
    Platform p;
    standard_tables(p);
    fill(p, 0x803FF0, 16, 0x01);
    fill(p, 0x900000, 16, 0x91);
    run([&] {
        p.boot();
        uint8_t buf[32] = {};
        EXPECT_EQ(p.dev0.dbg(tlm::TLM_READ_COMMAND, kIova + 0x3FF0, buf, 32), 32u);
        EXPECT_EQ(std::memcmp(buf, &p.mem.bytes[0x803FF0], 16), 0);
        EXPECT_EQ(std::memcmp(buf + 16, &p.mem.bytes[0x900000], 16), 0);
    });
}

// The count is the bytes moved before the first page that does not
// translate: 0x40005000 is unmapped, so a read from 0x40004FF0 moves 16.
TEST(TlmDbg, StopsAtFirstUntranslatedPage)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        uint8_t buf[32];
        EXPECT_EQ(p.dev0.dbg(tlm::TLM_READ_COMMAND, kIova + 0x4FF0, buf, 32), 16u);
    });
}

// A debug write goes to the PA.
TEST(TlmDbg, WriteReachesTranslatedPa)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        uint8_t buf[8] = {1, 2, 3, 4, 5, 6, 7, 8};
        EXPECT_EQ(p.dev0.dbg(tlm::TLM_WRITE_COMMAND, kIova + 0x2010, buf, 8), 8u);
        EXPECT_EQ(std::memcmp(&p.mem.bytes[0x802010], buf, 8), 0);
    });
}

// Register socket: debug reads are plain reads (IDR0 as b_transport reads
// it); debug writes return 0 and change nothing (a CMDQ_PROD write would
// run commands).
TEST(TlmDbg, RegisterDebugReadsAndRefusesWrites)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        const uint64_t idr0 = p.rd(SMMU_IDR0);
        uint32_t v = 0;
        tlm::tlm_generic_payload t;
        t.set_command(tlm::TLM_READ_COMMAND);
        t.set_address(SMMU_IDR0);
        t.set_data_ptr(reinterpret_cast<unsigned char *>(&v));
        t.set_data_length(4);
        t.set_streaming_width(4);
        EXPECT_EQ(p.cpu.sock->transport_dbg(t), 4u);
        EXPECT_EQ(v, idr0);
        const uint64_t prod = p.rd(SMMU_CMDQ_PROD);
        v = uint32_t(prod + 1);
        t.set_command(tlm::TLM_WRITE_COMMAND);
        t.set_address(SMMU_CMDQ_PROD);
        EXPECT_EQ(p.cpu.sock->transport_dbg(t), 0u);
        EXPECT_EQ(p.rd(SMMU_CMDQ_PROD), prod);
        EXPECT_EQ(p.rd(SMMU_CMDQ_CONS), prod);
    });
}

// SPDX-License-Identifier: Apache-2.0
// TlmTiming: the [timing] model through the component (docs/timing.md,
// docs/systemc.md): port i is TBU i, the LT delay carries (done_cycle -
// cycle) x clock, walk reads are priced by the downstream latency, the
// register socket annotates the command cost, DMI latencies the hit cost.
#include "tlm_harness.h"

using namespace tlmtest;

namespace {

// Round numbers: micro-TLB 1, main TLB 2, link 10, configuration cache 5,
// walk cache 3; every memory latency 100 unless the callback reports one.
smmu_timing_t test_timing()
{
    smmu_timing_t t = {};
    t.num_tbus = 2;
    t.utlb_latency = 1;
    t.tlb_latency = 2;
    t.link_latency = 10;
    t.cfg_cache_latency = 5;
    t.walk_cache_latency = 3;
    t.cmd_cost = 4;
    for (auto &m : t.mem_latency)
        m = 100;
    return t;
}

} // namespace

// docs/timing.md rule 4: a micro-TLB hit completes utlb_latency cycles after
// its issue: the LT delay grows by 1 x clock plus the memory's latency.
TEST(TlmTiming, LtHitDelayIsMicroTlbCyclesPlusDownstream)
{
    Platform p;
    standard_tables(p);
    smmu_timing_t t = test_timing();
    p.smmu.set_timing(&t);
    run([&] {
        p.boot();
        uint32_t v;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova, &v, 4, d), tlm::TLM_OK_RESPONSE);
        const sc_time miss = d; // issued at the miss's completion: rule 9 visibility
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova + 4, &v, 4, d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d - miss, kClock + kMemLatency);
    });
}

// docs/timing.md rule 6: a miss costs utlb + tlb + 2 x link + cfg cache +
// the configuration fetches + walk cache + the walk's reads, each read
// priced by the downstream latency (7 ns over a 10 ns clock: 1 cycle).
// With the STE and CD cached (an earlier access of another page) and the
// walk cache off, the stage-1 4KB walk reads 4 descriptors:
// 1 + 2 + 10 + 5 + (3 + 4 x 1) + 10 = 35 cycles.
TEST(TlmTiming, LtMissPricesWalkReadsByDownstreamLatency_6)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.walk_cache_sets = 0;
    c.walk_cache_ways = 0;
    Platform p(&c);
    standard_tables(p);
    smmu_timing_t t = test_timing();
    p.smmu.set_timing(&t);
    run([&] {
        p.boot();
        uint32_t v;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova, &v, 4, d), tlm::TLM_OK_RESPONSE);
        const sc_time before = d;
        EXPECT_EQ(p.dev0.access(tlm::TLM_READ_COMMAND, kIova + 0x1000, &v, 4, d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d - before, kClock * 35.0 + kMemLatency);
    });
}

// Port i is TBU i (smmu_request_t.tbu): per-TBU statistics count each
// port's translations.
TEST(TlmTiming, PortIsTbu)
{
    Platform p;
    standard_tables(p);
    smmu_timing_t t = test_timing();
    p.smmu.set_timing(&t);
    run([&] {
        p.boot();
        uint32_t v;
        EXPECT_EQ(p.dev1.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.dev1.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(p.dev0.read(kIova, &v, 4), tlm::TLM_OK_RESPONSE);
        smmu_timing_stats_t s0, s1;
        ASSERT_EQ(smmu_get_timing_stats(p.smmu.core(), 0, &s0), SMMU_OK);
        ASSERT_EQ(smmu_get_timing_stats(p.smmu.core(), 1, &s1), SMMU_OK);
        EXPECT_EQ(s0.translations, 1u);
        EXPECT_EQ(s1.translations, 2u);
    });
}

// Register socket: a CMDQ_PROD write that consumes two commands annotates
// 2 x cmd_cost cycles; a write consuming none annotates nothing.
TEST(TlmTiming, RegisterWriteAnnotatesCommandCost)
{
    Platform p;
    standard_tables(p);
    smmu_timing_t t = test_timing();
    p.smmu.set_timing(&t);
    run([&] {
        p.boot();
        smmu_cmd_t a = {}, s = {};
        a.opcode = SMMU_CMD_CFGI_STE;
        a.sid = 3;
        s.opcode = SMMU_CMD_SYNC;
        std::array<uint64_t, 2> w[2];
        ASSERT_EQ(smmu_cmd_encode(&a, w[0].data()), 0);
        ASSERT_EQ(smmu_cmd_encode(&s, w[1].data()), 0);
        const uint32_t prod = uint32_t(p.rd(SMMU_CMDQ_PROD));
        const uint32_t idx = (1u << Platform::kCmdqLog2) - 1;
        std::memcpy(&p.mem.bytes[p.cmdq + 16u * (prod & idx)], w[0].data(), 16);
        std::memcpy(&p.mem.bytes[p.cmdq + 16u * ((prod + 1) & idx)], w[1].data(), 16);
        uint64_t v = prod + 2;
        sc_time d = SC_ZERO_TIME;
        EXPECT_EQ(p.reg_access(tlm::TLM_WRITE_COMMAND, SMMU_CMDQ_PROD, v, 4, &d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, kClock * 8.0);
        v = 0;
        d = SC_ZERO_TIME;
        EXPECT_EQ(p.reg_access(tlm::TLM_WRITE_COMMAND, SMMU_IRQ_CTRL, v, 4, &d),
                  tlm::TLM_OK_RESPONSE);
        EXPECT_EQ(d, SC_ZERO_TIME);
    });
}

// DMI latencies carry the micro-TLB hit cost (1 cycle) on top of the
// memory's DMI latencies (3 ns read, 4 ns write).
TEST(TlmTiming, DmiLatencyCarriesHitCost)
{
    Platform p;
    standard_tables(p);
    smmu_timing_t t = test_timing();
    p.smmu.set_timing(&t);
    run([&] {
        p.boot();
        tlm::tlm_dmi d;
        ASSERT_TRUE(p.dev0.dmi(kIova, d));
        EXPECT_EQ(d.get_read_latency(), kClock + sc_time(3, SC_NS));
        EXPECT_EQ(d.get_write_latency(), kClock + sc_time(4, SC_NS));
    });
}

// The preset constructor: "mmu600" gives its configuration and timing
// (14 TBUs, docs/timing.md), and the AT outstanding limit is its TBU slots.
TEST(TlmTiming, PresetConstructorSetsTiming)
{
    smmu::tlm_smmu s("smmu", 2, kClock, std::string("mmu600"));
    const smmu_timing_t *t = smmu_get_timing(s.core());
    ASSERT_NE(t, nullptr);
    EXPECT_EQ(t->num_tbus, 14u);
    smmu_config_t c;
    smmu_timing_t pt;
    ASSERT_EQ(smmu_preset_get("mmu600", &c, &pt), SMMU_OK);
    const smmu_config_t *got = smmu_get_config(s.core());
    EXPECT_EQ(got->tlb_sets, c.tlb_sets);
    EXPECT_EQ(got->tlb_ways, c.tlb_ways);
    EXPECT_EQ(got->sidsize, c.sidsize);
    EXPECT_EQ(got->oas, c.oas);
    EXPECT_EQ(t->tbu_slots, pt.tbu_slots);
}

// "default-v3.2" is a preset without timing: timing stays off.
TEST(TlmTiming, PresetWithoutTimingLeavesItOff)
{
    smmu::tlm_smmu s("smmu", 2, kClock, std::string("default-v3.2"));
    EXPECT_EQ(smmu_get_timing(s.core()), nullptr);
}

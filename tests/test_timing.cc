// SPDX-License-Identifier: Apache-2.0
// Timing model (csrc/src/timing.c, docs/timing.md). Timing is not
// architected (IHI 0070 says nothing about cycles): these tests pin the
// model's contract with small hand-computed cases. Round-number timings:
//   micro-TLB 1, main TLB 2, link 10 each way, configuration cache 5,
//   walk cache 3, descriptor read 100 (SimMem latency), STE/CD fetch 50.
// A cold 4-level stage-1 miss with the configuration cached therefore costs
//   1 + 2 + 10 + 5 + (3 + 4 * 100) + 10 = 431 cycles.
#include <gtest/gtest.h>

#include <vector>

#include "support/xlate_fixture.h"

extern "C" {
#include "smmu/smmu_timing.h"
}

namespace smmutest {
namespace {

S1Attrs el0_rw() { S1Attrs a; a.ap = 1; return a; }

constexpr uint64_t kRead = 100;
constexpr uint64_t kHit = 1;                             // micro-TLB
constexpr uint64_t kTlb = 1 + 2;                         // main TLB after a micro-TLB miss
constexpr uint64_t kToTcu = 1 + 2 + 10;                  // miss seen, link
constexpr uint64_t kWalk4 = 3 + 4 * kRead;               // walk-cache lookup + 4 reads
constexpr uint64_t kMiss = kToTcu + 5 + kWalk4 + 10;     // = 431

smmu_timing_t round_timing()
{
    smmu_timing_t t{};
    t.num_tbus = 4;
    t.utlb_latency = 1;
    t.tlb_latency = 2;
    t.link_latency = 10;
    t.cfg_cache_latency = 5;
    t.walk_cache_latency = 3;
    t.ptw_slots = 1;
    for (auto &m : t.mem_latency)
        m = 50;
    t.mem_latency[SMMU_ACC_TT] = 7; // not used: SimMem reports its latency
    return t;
}

class Timing : public Xlate {
  protected:
    smmu_timing_t tm = round_timing();

    void SetUp() override
    {
        Xlate::SetUp();
        mem.latency = kRead;
        // Pages at 1 GiB + n * 4K, one L3 table; 1 GiB + n * 1 GiB: one
        // L1 table each at different L1 indexes (separate walks).
        for (uint64_t n = 0; n < 16; n++)
            ASSERT_TRUE(s1pt.map_s1(0x4000'0000 + n * 0x1000, 0x8000'0000 + n * 0x1000, 3,
                                    el0_rw()));
        attach_s1(4, cd_for(s1pt));
        attach_s1(5, cd_for(s1pt).asid(2));
    }
    void on(const smmu_timing_t &t) { ASSERT_EQ(smmu_set_timing(smmu, &t), SMMU_OK); }
    void on() { on(tm); }

    smmu_response_t at(uint64_t cycle, uint64_t addr, uint8_t tbu = 0, uint32_t sid = 4)
    {
        smmu_request_t r{};
        r.sid = sid;
        r.addr = addr;
        r.size = 4;
        r.tbu = tbu;
        r.cycle = cycle;
        smmu_response_t resp{};
        EXPECT_EQ(smmu_translate(smmu, &r, &resp), SMMU_OK);
        EXPECT_EQ(resp.outcome, SMMU_XLATE_OK) << int(resp.event);
        return resp;
    }
    uint64_t lat(uint64_t cycle, uint64_t addr, uint8_t tbu = 0, uint32_t sid = 4)
    {
        return at(cycle, addr, tbu, sid).done_cycle - cycle;
    }
    smmu_timing_stats_t tstats(int tbu = -1)
    {
        smmu_timing_stats_t st{};
        EXPECT_EQ(smmu_get_timing_stats(smmu, tbu, &st), SMMU_OK);
        return st;
    }
    // Warm the configuration cache of sid without filling the TLB for the
    // pages under test (a page of another L1 index, then drop it).
    void warm_cfg(uint32_t sid = 4)
    {
        smmu_set_timing(smmu, nullptr);
        s1pt.map_s1(0x1'0000'0000, 0x9000'0000, 3, el0_rw()); // again: already there
        xlate(sid, 0x1'0000'0000);
        submit({cmd_tlbi_nh_all(), cmd_sync()}); // TLB and walk cache; the config stays
        on();
    }
};

class TimingNoUtlb : public Timing {
    void configure(smmu_config_t &c) override { c.utlb_entries = 0; }
};

class TimingNoWc : public Timing {
    void configure(smmu_config_t &c) override { c.walk_cache_sets = 0; }
};

// Timing off: a translation completes in its issue cycle (today's model)
// and only TBU 0 exists.
TEST_F(Timing, OffKeepsDoneCycleEqualToIssue)
{
    EXPECT_EQ(smmu_get_timing(smmu), nullptr);
    EXPECT_EQ(at(1234, 0x4000'0000).done_cycle, 1234u);
    EXPECT_EQ(at(1235, 0x4000'0000).done_cycle, 1235u); // micro-TLB hit
    smmu_request_t r{};
    r.sid = 4;
    r.addr = 0x4000'0000;
    r.size = 4;
    r.tbu = 1;
    smmu_response_t resp{};
    EXPECT_EQ(smmu_translate(smmu, &r, &resp), SMMU_ERR_INVAL);
    smmu_timing_stats_t st;
    EXPECT_EQ(smmu_get_timing_stats(smmu, -1, &st), SMMU_ERR_INVAL);
}

// With timing on every translation is priced, micro-TLB hits included
// (the hit path hands them to timing.c: smmu_internal.h tm_gate); turning
// it off gives the untimed micro-TLB hit back, entries kept.
TEST_F(Timing, OnPricesMicroTlbHitsOffRestoresThem)
{
    warm_cfg();
    at(100, 0x4000'0000);                       // fills the micro-TLB
    EXPECT_EQ(lat(1000, 0x4000'0000), kHit);    // priced
    EXPECT_EQ(tstats().utlb_hits, 1u);
    ASSERT_EQ(smmu_set_timing(smmu, nullptr), SMMU_OK);
    smmu_stats_t a, b;
    smmu_get_stats(smmu, &a);
    EXPECT_EQ(at(5, 0x4000'0000).done_cycle, 5u); // no time base when off
    smmu_get_stats(smmu, &b);
    EXPECT_EQ(b.utlb_hits, a.utlb_hits + 1);
    smmu_reset(smmu); // with timing on, reset clears the entries kept aside
    on();
    smmu_reset(smmu);
    EXPECT_EQ(smmu_get_timing(smmu)->num_tbus, 4u); // reset keeps the timing
}

TEST_F(Timing, SetTimingRejectsBadTbuCount)
{
    smmu_timing_t t = tm;
    t.num_tbus = 0;
    EXPECT_EQ(smmu_set_timing(smmu, &t), SMMU_ERR_INVAL);
    t.num_tbus = SMMU_TIMING_MAX_TBUS + 1;
    EXPECT_EQ(smmu_set_timing(smmu, &t), SMMU_ERR_INVAL);
    t.num_tbus = SMMU_TIMING_MAX_TBUS;
    EXPECT_EQ(smmu_set_timing(smmu, &t), SMMU_OK);
    EXPECT_EQ(smmu_get_timing(smmu)->num_tbus, uint32_t(SMMU_TIMING_MAX_TBUS));
    EXPECT_EQ(smmu_set_timing(smmu, nullptr), SMMU_OK);
    EXPECT_EQ(smmu_get_timing(smmu), nullptr);
}

TEST_F(Timing, TbuOutOfRangeIsInvalidWithoutEffect)
{
    on();
    smmu_request_t r{};
    r.sid = 4;
    r.addr = 0x4000'0000;
    r.size = 4;
    r.tbu = 4; // num_tbus = 4
    r.cycle = 10;
    smmu_response_t resp{};
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    EXPECT_EQ(smmu_translate(smmu, &r, &resp), SMMU_ERR_INVAL);
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.translations, before.translations);
    EXPECT_EQ(tstats().translations, 0u);
}

TEST_F(Timing, EarlierCycleIsInvalidWithoutEffect)
{
    on();
    at(100, 0x4000'0000);
    smmu_request_t r{};
    r.sid = 4;
    r.addr = 0x4000'0000;
    r.size = 4;
    r.cycle = 99;
    smmu_response_t resp{};
    smmu_stats_t before, after;
    smmu_get_stats(smmu, &before);
    EXPECT_EQ(smmu_translate(smmu, &r, &resp), SMMU_ERR_INVAL);
    smmu_get_stats(smmu, &after);
    EXPECT_EQ(after.translations, before.translations);
    EXPECT_EQ(tstats().translations, 1u);
    EXPECT_EQ(smmu_current_cycle(smmu), 100u);
    at(100, 0x4000'0000); // the same cycle is fine
}

// Cold: configuration miss (STE + CD, 50 each) and a 4-level walk.
TEST_F(Timing, ColdMissCostsConfigFetchesAndFourReads)
{
    on();
    EXPECT_EQ(lat(1000, 0x4000'0000), kToTcu + 5 + 2 * 50 + kWalk4 + 10); // 531
    auto st = tstats();
    EXPECT_EQ(st.misses, 1u);
    EXPECT_EQ(st.cfg_misses, 1u);
    EXPECT_EQ(st.walks_s1, 1u);
    EXPECT_EQ(st.tt_reads, 4u);
}

TEST_F(Timing, StageOneMissWithConfigCached)
{
    warm_cfg();
    EXPECT_EQ(lat(1000, 0x4000'0000), kMiss);
}

TEST_F(Timing, MicroTlbHitCostsOneCycle)
{
    warm_cfg();
    at(1000, 0x4000'0000);
    EXPECT_EQ(lat(2000, 0x4000'0000), kHit);
    EXPECT_EQ(tstats().utlb_hits, 1u);
}

TEST_F(TimingNoUtlb, MainTlbHitCostsBothLookups)
{
    warm_cfg();
    at(1000, 0x4000'0000);
    EXPECT_EQ(lat(2000, 0x4000'0000), kTlb);
    auto st = tstats();
    EXPECT_EQ(st.tlb_hits, 1u);
    EXPECT_EQ(st.utlb_hits, 0u);
}

// The ordering the issue asks for: micro-TLB hit < main-TLB hit < miss.
TEST_F(TimingNoUtlb, HitsAreCheaperThanMisses)
{
    warm_cfg();
    uint64_t miss = lat(1000, 0x4000'0000);
    uint64_t tlb = lat(2000, 0x4000'0000);
    EXPECT_LT(kHit, tlb);
    EXPECT_LT(tlb, miss);
}

// A walk-cache hit at level 2 (the L3 table pointer) skips three reads.
TEST_F(Timing, WalkCacheHitSavesExactlyTheSkippedReads)
{
    warm_cfg();
    uint64_t cold = lat(1000, 0x4000'0000);
    uint64_t warm = lat(2000, 0x4000'1000); // same L3 table
    EXPECT_EQ(cold - warm, 3 * kRead);
    auto st = tstats();
    EXPECT_EQ(st.walk_cache_hits, 1u);
    EXPECT_EQ(st.tt_reads, 5u);
}

TEST_F(TimingNoWc, WithoutWalkCacheEveryWalkReadsFour)
{
    warm_cfg();
    EXPECT_EQ(lat(1000, 0x4000'0000), kMiss);
    EXPECT_EQ(lat(2000, 0x4000'1000), kMiss);
}

// Hit-under-miss: a hit completes while an earlier miss on its TBU walks.
TEST_F(TimingNoWc, HitUnderMiss)
{
    warm_cfg();
    at(100, 0x4000'1000); // cached
    auto miss = at(1000, 0x4000'0000);
    auto hit = at(1001, 0x4000'1000);
    EXPECT_EQ(miss.done_cycle, 1000 + kMiss);
    EXPECT_EQ(hit.done_cycle, 1001 + kHit);
    EXPECT_LT(hit.done_cycle, miss.done_cycle);
}

// Miss-under-miss with one walker: the second walk starts when the first
// ends (the second lookup also waits one cycle for the port).
TEST_F(TimingNoWc, MissUnderMissOneWalker)
{
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    auto b = at(1000, 0x4000'1000);
    EXPECT_EQ(a.done_cycle, 1000 + kMiss);
    uint64_t walk_a_end = 1000 + kMiss - 10;
    EXPECT_EQ(b.done_cycle, walk_a_end + kWalk4 + 10);
    auto st = tstats();
    EXPECT_EQ(st.peak_walkers, 1u);
    EXPECT_EQ(st.slot_wait_cycles, walk_a_end - (1001 + kToTcu + 5));
    EXPECT_EQ(st.port_wait_cycles, 1u);
}

TEST_F(TimingNoWc, MissUnderMissTwoWalkersOverlap)
{
    tm.ptw_slots = 2;
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    auto b = at(1000, 0x4000'1000);
    EXPECT_EQ(a.done_cycle, 1000 + kMiss);
    EXPECT_EQ(b.done_cycle, 1001 + kMiss); // one cycle behind on the port
    EXPECT_EQ(tstats().peak_walkers, 2u);
}

// max_reads caps the walkers: each has one read outstanding.
TEST_F(TimingNoWc, OutstandingReadsCapWalkers)
{
    tm.ptw_slots = 2;
    tm.max_reads = 1;
    warm_cfg();
    at(1000, 0x4000'0000);
    auto b = at(1000, 0x4000'1000);
    EXPECT_EQ(b.done_cycle, 1000 + kMiss - 10 + kWalk4 + 10);
}

// Misses on different TBUs share the TCU walkers but not the ports.
TEST_F(TimingNoWc, TbusShareWalkersNotPorts)
{
    tm.ptw_slots = 2;
    warm_cfg();
    auto a = at(1000, 0x4000'0000, 0);
    auto b = at(1000, 0x4000'1000, 1);
    EXPECT_EQ(a.done_cycle, 1000 + kMiss);
    EXPECT_EQ(b.done_cycle, 1000 + kMiss);
    EXPECT_EQ(tstats(0).translations, 1u);
    EXPECT_EQ(tstats(1).translations, 1u);
    EXPECT_EQ(tstats(-1).translations, 2u);
}

// A second request to a page whose miss is in flight completes with it,
// and a fill is visible from its completion cycle on.
TEST_F(TimingNoWc, SamePageMissesMerge)
{
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    auto b = at(1005, 0x4000'0010);
    EXPECT_EQ(b.done_cycle, a.done_cycle);
    EXPECT_EQ(tstats().merged, 1u);
    EXPECT_EQ(tstats().walks_s1, 1u); // one walk
    auto c = at(a.done_cycle, 0x4000'0020);
    EXPECT_EQ(c.done_cycle, a.done_cycle + kHit);
    EXPECT_EQ(tstats().merged, 1u);
}

// Same-page merge is per TBU and per stream (docs/timing.md): StreamID 6
// shares StreamID 4's context (same CD: ASID 1, and the pages are global),
// so the functional model answers it from the TLB entry StreamID 4's miss
// is filling. Issued before that fill completes it cannot see it (fill
// visibility) and must not merge with another stream's miss: it walks for
// itself, here behind the one walker. 1005 + 1 + 2 (lookups) + 10 (link)
// + 5 (configuration cache) = 1023 at the TCU; the walker frees at
// 1431 - 10 = 1421; 1421 + 3 + 4 * 100 + 10 = 1834.
TEST_F(TimingNoWc, OtherStreamDoesNotMerge)
{
    attach_s1(6, cd_for(s1pt));
    warm_cfg(6);
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    auto b = at(1005, 0x4000'0000, 0, 6);
    EXPECT_EQ(a.done_cycle, 1000 + kMiss);
    EXPECT_EQ(b.done_cycle, 1000 + kMiss - 10 + kWalk4 + 10);
    EXPECT_EQ(b.pa, a.pa); // the functional answer is unchanged
    auto st = tstats();
    EXPECT_EQ(st.merged, 0u);
    EXPECT_EQ(st.misses, 2u);
    EXPECT_EQ(st.walks_s1, 2u); // two walks in the TCU's account
    EXPECT_EQ(st.tt_reads, 8u);
}

// The same with two walkers: the second stream's walk overlaps the first.
// 1023 + 3 + 400 + 10 = 1436.
TEST_F(TimingNoWc, OtherStreamWalksBesideTheFirst)
{
    tm.ptw_slots = 2;
    attach_s1(6, cd_for(s1pt));
    warm_cfg(6);
    warm_cfg();
    at(1000, 0x4000'0000);
    EXPECT_EQ(at(1005, 0x4000'0000, 0, 6).done_cycle, 1005 + kMiss);
    EXPECT_EQ(tstats().peak_walkers, 2u);
}

// The same stream on another TBU: each TBU has its own TLBs, so it does
// not merge with TBU 0's miss either; its own port, the one walker.
TEST_F(TimingNoWc, OtherTbuDoesNotMerge)
{
    warm_cfg();
    auto a = at(1000, 0x4000'0000, 0);
    auto b = at(1005, 0x4000'0000, 1);
    EXPECT_EQ(b.done_cycle, a.done_cycle - 10 + kWalk4 + 10);
    EXPECT_EQ(tstats(0).merged, 0u);
    EXPECT_EQ(tstats(1).merged, 0u);
    EXPECT_EQ(tstats(1).misses, 1u);
}

// Once the fill has completed, another stream sharing the entry hits the
// main TLB (its micro-TLB slot is per stream): 1 + 2 cycles.
TEST_F(TimingNoWc, OtherStreamHitsAfterTheFill)
{
    attach_s1(6, cd_for(s1pt));
    warm_cfg(6);
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    EXPECT_EQ(lat(a.done_cycle, 0x4000'0000, 0, 6), kTlb);
    EXPECT_EQ(tstats().merged, 0u);
}

// A request of the same stream behind another stream's in-flight miss of
// the same page waits for its own stream's miss, not the other one.
TEST_F(TimingNoWc, MergeFollowsTheOwnStreamsMiss)
{
    tm.ptw_slots = 2;
    attach_s1(6, cd_for(s1pt));
    warm_cfg(6);
    warm_cfg();
    auto a = at(1000, 0x4000'0000);        // StreamID 4: done 1431
    auto b = at(1005, 0x4000'0000, 0, 6);  // StreamID 6: its own walk, 1436
    auto c = at(1010, 0x4000'0010, 0, 6);  // StreamID 6 again: merges with b
    EXPECT_EQ(a.done_cycle, 1431u);
    EXPECT_EQ(b.done_cycle, 1436u);
    EXPECT_EQ(c.done_cycle, 1436u);
    EXPECT_EQ(tstats().merged, 1u);
}

// Descriptor reads served by the smmu_set_direct_memory window cost
// smmu_timing_t.dm_latency each, whichever walker made them: the general
// walker (walk cache in use) and the fast one (no walk cache, walk.c
// walk_fast) give the same 1 + 2 + 10 + 5 + (3 + 4 * 20) + 10 = 111.
class TimingDirect : public Timing {
  protected:
    std::vector<uint8_t> host = std::vector<uint8_t>(0x10'0000);
    void direct()
    {
        mem.read(kS1Tables, host.data(), host.size());
        ASSERT_EQ(smmu_set_direct_memory(smmu, kS1Tables, host.data(), host.size()), SMMU_OK);
    }
};
class TimingDirectNoWc : public TimingDirect {
    void configure(smmu_config_t &c) override { c.walk_cache_sets = 0; }
};

TEST_F(TimingDirect, WindowReadsCostDmLatencyGeneralWalker)
{
    tm.dm_latency = 20;
    warm_cfg();
    direct();
    EXPECT_EQ(lat(1000, 0x4000'0000), kToTcu + 5 + 3 + 4 * 20 + 10);
}

TEST_F(TimingDirectNoWc, WindowReadsCostDmLatencyFastWalker)
{
    tm.dm_latency = 20;
    warm_cfg();
    direct();
    EXPECT_EQ(lat(1000, 0x4000'0000), kToTcu + 5 + 3 + 4 * 20 + 10);
}

// The gem5 preset's timing under this model's rules, memory M = 100
// (SimMem): micro-TLB hit 1, main-TLB hit 1 + 3 = 4, 4-level stage-1 miss
// with the configuration cached and a cold walk cache 1 + 3 + 8 + 3 + 4 +
// 4M + 8 = 27 + 4M, a walk-cache hit at level 2 (only the level-3 read)
// 27 + M. gem5's own code gives 3, 6, 46 + 4M and 32 + M (issue 10);
// docs/timing.md explains the difference.
TEST_F(Timing, Gem5PresetCostsUnderTheseRules)
{
    ASSERT_EQ(smmu_preset_get("gem5", nullptr, &tm), SMMU_OK);
    warm_cfg();
    EXPECT_EQ(lat(1000, 0x4000'0000), 27 + 4 * kRead); // cold walk cache
    EXPECT_EQ(lat(2000, 0x4000'0000), 1u);             // micro-TLB
    EXPECT_EQ(lat(3000, 0x4000'1000), 27 + kRead);     // walk-cache hit, level 2
}

class TimingNoUtlbGem5 : public TimingNoUtlb {};
TEST_F(TimingNoUtlbGem5, MainTlbHitIsFour)
{
    ASSERT_EQ(smmu_preset_get("gem5", nullptr, &tm), SMMU_OK);
    warm_cfg();
    at(1000, 0x4000'0000);
    EXPECT_EQ(lat(2000, 0x4000'0000), 4u);
}

// Merging and fill visibility go by the entry a request was answered
// from, not by the 2MB block a walk in flight covers: StreamID 6 (ASID 1)
// holds its own micro-TLB entry for a page of a non-global 2MB block;
// StreamID 5 (ASID 2, same block, same output address) walks it at 1000.
// StreamID 6's micro-TLB hit at 1005 does not depend on that walk: 1006.
// (The walk: 1 + 2 + 10 + 5 + 3 + 3 reads (L0, L1, L2 block) x 100 + 10.)
TEST_F(TimingNoWc, MicroTlbHitDoesNotWaitForAnotherContextsBlockWalk)
{
    S1Attrs ng = el0_rw();
    ng.ng = 1;
    ASSERT_TRUE(s1pt.map_s1(0x8000'0000, 0xC000'0000, 2, ng)); // 2MB block
    attach_s1(6, cd_for(s1pt));
    warm_cfg(5);
    warm_cfg(6);
    warm_cfg();
    EXPECT_EQ(lat(100, 0x8000'1000, 0, 6), kToTcu + 5 + 3 + 3 * kRead + 10); // 331
    EXPECT_EQ(lat(1000, 0x8000'0000, 0, 5), kToTcu + 5 + 3 + 3 * kRead + 10);
    EXPECT_EQ(lat(1005, 0x8000'1010, 0, 6), kHit);
    EXPECT_EQ(tstats().merged, 0u);
}

// Merging is per 4K page (docs/timing.md rule 9): a request of the same
// stream to another 4K page of a 2MB block whose walk is in flight cannot
// see the block's TLB entry yet and does not merge with it; it walks for
// itself behind the one walker: 1005 + 3 + 10 + 5 = 1023, walker free at
// 1331 - 10 = 1321, 1321 + 3 + 300 + 10 = 1634. Its page's micro-TLB
// entry is in flight until then: later requests to that page merge with
// it (1010, and even 1331, when the block's walk has completed).
TEST_F(TimingNoWc, OtherPageOfABlockInFlightWalksItself)
{
    ASSERT_TRUE(s1pt.map_s1(0x8000'0000, 0xC000'0000, 2, el0_rw())); // 2MB block
    warm_cfg();
    auto a = at(1000, 0x8000'0000);
    EXPECT_EQ(a.done_cycle, 1000 + kToTcu + 5 + 3 + 3 * kRead + 10); // 1331
    EXPECT_EQ(at(1005, 0x8000'5000).done_cycle, 1634u);
    EXPECT_EQ(at(1010, 0x8000'5008).done_cycle, 1634u);
    EXPECT_EQ(at(a.done_cycle, 0x8000'5010).done_cycle, 1634u);
    EXPECT_EQ(at(1634, 0x8000'5018).done_cycle, 1634 + kHit);
    EXPECT_EQ(tstats().merged, 2u);
}

// Port contention: one lookup per cycle per TBU.
TEST_F(Timing, OneLookupPerCyclePerTbu)
{
    warm_cfg();
    at(100, 0x4000'0000);
    EXPECT_EQ(at(1000, 0x4000'0000, 0).done_cycle, 1001u);
    EXPECT_EQ(at(1000, 0x4000'0000, 0).done_cycle, 1002u);
    EXPECT_EQ(at(1000, 0x4000'0000, 0).done_cycle, 1003u);
    EXPECT_EQ(at(1000, 0x4000'0000, 1).done_cycle, 1001u); // its own port
    EXPECT_EQ(tstats(0).port_wait_cycles, 3u);
}

// TBU slot exhaustion: with one slot the second miss leaves the TBU only
// when the first has come back.
TEST_F(TimingNoWc, TbuSlotExhaustion)
{
    tm.ptw_slots = 4;
    tm.tbu_slots = 1;
    warm_cfg();
    auto a = at(1000, 0x4000'0000);
    auto b = at(1000, 0x4000'1000);
    EXPECT_EQ(b.done_cycle, a.done_cycle + 10 + 5 + kWalk4 + 10);
    // Another TBU has its own slot.
    auto c = at(1000, 0x4000'2000, 1);
    EXPECT_EQ(c.done_cycle, 1000 + kMiss);
}

TEST_F(TimingNoWc, TcuSlotExhaustion)
{
    tm.ptw_slots = 4;
    tm.tcu_slots = 1;
    warm_cfg();
    at(1000, 0x4000'0000, 0);
    auto b = at(1000, 0x4000'1000, 1);
    uint64_t a_leaves_tcu = 1000 + kMiss - 10;
    EXPECT_EQ(b.done_cycle, a_leaves_tcu + 5 + kWalk4 + 10);
}

// More walkers: lower p99 under concurrent misses.
TEST_F(TimingNoWc, MoreWalkersLowerP99)
{
    uint64_t p99[2];
    for (int k = 0; k < 2; k++) {
        tm.ptw_slots = k ? 8 : 1;
        warm_cfg();
        for (uint64_t n = 0; n < 8; n++)
            at(1000, 0x4000'0000 + n * 0x1000, uint8_t(n % 4));
        p99[k] = tstats().latency.p99;
        EXPECT_EQ(tstats().latency.count, 8u);
    }
    // One walker: eight walks in a row, the last ends 8 walks after the
    // first could start. Eight: four per cycle on four ports, two cycles.
    EXPECT_EQ(p99[0], kToTcu + 5 + 8 * kWalk4 + 10);
    EXPECT_EQ(p99[1], kMiss + 1);
    EXPECT_LT(p99[1], p99[0]);
}

// Nested: each stage-1 table address goes through stage 2, so the walk
// reads more descriptors; the cost is exactly its reads.
class TimingNested : public Timing {
  protected:
    void SetUp() override
    {
        Timing::SetUp();
        ASSERT_TRUE(s2pt.map_s2(0x8000'0000, 0x8000'0000, 3));
        for (uint64_t a = kS1Tables; a < s1pt.alloc_next(); a += 0x1000)
            ASSERT_TRUE(s2pt.map_s2(a, a, 3));
        ASSERT_TRUE(s2pt.map_s2(cd_addr(8) & ~0xFFFull, cd_addr(8) & ~0xFFFull, 3));
        put_cd(cd_addr(8), cd_for(s1pt).build());
        install(8, s2_ste().nested().ctx(cd_addr(8)));
    }
};

TEST_F(TimingNested, NestedMissCostsItsReadsAndMoreThanStageOne)
{
    warm_cfg(8);
    smmu_stats_t a, b;
    smmu_get_stats(smmu, &a);
    uint64_t nested = lat(1000, 0x4000'0000, 0, 8);
    smmu_get_stats(smmu, &b);
    uint64_t reads = b.tt_reads - a.tt_reads;
    EXPECT_GT(reads, 4u);
    EXPECT_EQ(nested, kToTcu + 5 + 3 + reads * kRead + 10);
    EXPECT_GT(nested, kMiss);
}

// An invalidation storm empties the TLBs: later translations walk again.
TEST_F(Timing, InvalidationStormSlowsLaterTranslations)
{
    warm_cfg();
    at(1000, 0x4000'0000);
    EXPECT_EQ(lat(2000, 0x4000'0000), kHit);
    std::vector<Cmd> storm;
    for (int i = 0; i < 16; i++)
        storm.push_back(cmd_tlbi_nh_all());
    storm.push_back(cmd_sync());
    submit(storm);
    EXPECT_EQ(lat(3000, 0x4000'0000), kMiss);
}

// Same inputs, same cycles: smmu_reset brings the timing state back too.
TEST_F(TimingNoWc, DeterministicAcrossReset)
{
    tm.ptw_slots = 2;
    auto run = [&]() {
        std::vector<uint64_t> d;
        warm_cfg();
        for (uint64_t n = 0; n < 12; n++)
            d.push_back(at(1000 + n / 3, 0x4000'0000 + (n % 5) * 0x1000, uint8_t(n % 3)).done_cycle);
        return d;
    };
    auto first = run();
    smmu_reset(smmu);
    EXPECT_EQ(tstats().translations, 0u);
    EXPECT_EQ(smmu_current_cycle(smmu), 0u);
    boot();
    attach_s1(4, cd_for(s1pt));
    EXPECT_EQ(run(), first);
}

// The histogram counts every translation once.
TEST_F(Timing, HistogramTotalsEqualTranslations)
{
    warm_cfg();
    for (uint64_t n = 0; n < 40; n++)
        at(1000 + n * 7, 0x4000'0000 + (n % 9) * 0x1000, uint8_t(n % 4));
    auto st = tstats();
    EXPECT_EQ(st.translations, 40u);
    uint64_t sum = 0;
    for (auto b : st.latency.log2)
        sum += b;
    EXPECT_EQ(sum, 40u);
    EXPECT_EQ(st.latency.count, 40u);
    EXPECT_EQ(st.utlb_hits + st.tlb_hits + st.misses, 40u);
    uint64_t per = 0;
    for (int t = 0; t < 4; t++)
        per += tstats(t).latency.count;
    EXPECT_EQ(per, 40u);
}

TEST_F(Timing, PercentilesOfKnownLatencies)
{
    warm_cfg();
    at(1000, 0x4000'0000); // miss: 431
    for (uint64_t n = 0; n < 99; n++)
        at(2000 + n * 2, 0x4000'0000); // hits: 1
    auto l = tstats().latency;
    EXPECT_EQ(l.count, 100u);
    EXPECT_EQ(l.max, kMiss);
    EXPECT_EQ(l.p50, 1u);
    EXPECT_EQ(l.p90, 1u);
    EXPECT_EQ(l.p99, 1u);
    EXPECT_EQ(l.p999, kMiss);
    EXPECT_EQ(l.mean, (kMiss + 99) / 100);
    EXPECT_EQ(l.log2[1], 99u);     // latency 1
    EXPECT_EQ(l.log2[9], 1u);      // 431 in [256, 512)
}

// Functional results do not depend on timing.
TEST_F(TimingNoWc, TimingDoesNotChangeResults)
{
    auto off = xlate(4, 0x4000'3123);
    on();
    auto timed = at(5000, 0x4000'3123);
    EXPECT_EQ(timed.pa, off.pa);
    EXPECT_EQ(timed.perms, off.perms);
    EXPECT_EQ(timed.page_size, off.page_size);
    EXPECT_EQ(timed.pa, 0x8000'3123u);
}

// A fault is priced like the path it took: the configuration is cached,
// the walk reads L0..L3 and finds an invalid L3 entry (4 reads).
TEST_F(TimingNoWc, TranslationFaultCostsItsWalk)
{
    warm_cfg();
    smmu_request_t r{};
    r.sid = 4;
    r.addr = 0x4001'0000; // same L3 table, not mapped
    r.size = 4;
    r.cycle = 1000;
    smmu_response_t resp{};
    ASSERT_EQ(smmu_translate(smmu, &r, &resp), SMMU_OK);
    EXPECT_EQ(resp.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(resp.done_cycle, 1000 + kMiss);
}

} // namespace
} // namespace smmutest


namespace smmutest {
namespace {

// Presets (csrc/src/preset.c, docs/timing.md): every listed name loads,
// gives a configuration smmu_config_check accepts and a timing
// smmu_timing_check accepts (num_tbus 0 = timing off for default-v3.x).
TEST(TimingPreset, EveryPresetLoadsAndChecks)
{
    ASSERT_EQ(smmu_preset_count(), 7u);
    const char *want[] = {"default-v3.0", "default-v3.1", "default-v3.2", "default-v3.3",
                          "functional",   "mmu600",       "gem5"};
    for (unsigned i = 0; i < smmu_preset_count(); i++) {
        ASSERT_STREQ(smmu_preset_name(i), want[i]);
        ASSERT_NE(smmu_preset_description(i), nullptr);
        smmu_config_t c;
        smmu_timing_t t;
        ASSERT_EQ(smmu_preset_get(want[i], &c, &t), SMMU_OK) << want[i];
        char msg[128];
        EXPECT_EQ(smmu_config_check(&c, msg, sizeof msg), SMMU_OK) << want[i] << ": " << msg;
        if (i < 4)
            EXPECT_EQ(t.num_tbus, 0u) << want[i];
        else
            EXPECT_EQ(smmu_timing_check(&t, msg, sizeof msg), SMMU_OK) << want[i] << ": " << msg;
    }
    EXPECT_EQ(smmu_preset_name(7), nullptr);
    EXPECT_EQ(smmu_preset_description(7), nullptr);
}

TEST(TimingPreset, UnknownNameIsInvalidNothingWritten)
{
    smmu_config_t c;
    memset(&c, 0xAB, sizeof c);
    smmu_timing_t t{};
    t.num_tbus = 77;
    EXPECT_EQ(smmu_preset_get("mmu-600", &c, &t), SMMU_ERR_INVAL);
    EXPECT_EQ(smmu_preset_get(nullptr, &c, &t), SMMU_ERR_INVAL);
    EXPECT_EQ(c.arch_minor, 0xAB);
    EXPECT_EQ(t.num_tbus, 77u);
    EXPECT_EQ(smmu_preset_get("gem5", nullptr, nullptr), SMMU_OK);
}

// The default-v3.x presets are smmu_config_default, byte for byte.
TEST(TimingPreset, DefaultPresetsAreConfigDefault)
{
    for (unsigned a = 0; a < 4; a++) {
        smmu_config_t c, d;
        memset(&c, 0, sizeof c);
        memset(&d, 0, sizeof d);
        smmu_config_default(&d, smmu_arch_t(a));
        ASSERT_EQ(smmu_preset_get(smmu_preset_name(a), &c, nullptr), SMMU_OK);
        EXPECT_EQ(memcmp(&c, &d, sizeof c), 0) << a;
    }
}

// gem5: smmu_config_from_idr of gem5's registers (IDR0 0x094C100B: TTF
// AArch64 only; IDR1 0x00E00000; IDR5 0x55; SIDSIZE = EVENTQS = 0), read
// back unchanged, and its cache sizes and latencies (SMMUv3.py).
TEST(TimingPreset, Gem5RegistersAndNumbers)
{
    smmu_config_t c;
    smmu_timing_t t;
    ASSERT_EQ(smmu_preset_get("gem5", &c, &t), SMMU_OK);
    uint32_t idr[6], aidr, iidr;
    smmu_config_to_idr(&c, idr, &aidr, &iidr);
    EXPECT_EQ(idr[0], 0x094C100Bu);
    EXPECT_EQ(idr[1], 0x00E00000u);
    EXPECT_EQ(idr[5], 0x55u);
    EXPECT_EQ(aidr, 0u);
    EXPECT_EQ(c.utlb_entries, 32u);
    EXPECT_EQ(c.tlb_sets * c.tlb_ways, 2048u);
    EXPECT_EQ(c.cfg_cache_entries, 64u);
    EXPECT_EQ(c.walk_cache_sets * c.walk_cache_ways, 512u);
    EXPECT_EQ(t.utlb_latency, 1u);
    EXPECT_EQ(t.tlb_latency, 3u);
    EXPECT_EQ(t.link_latency, 8u);
    EXPECT_EQ(t.cfg_cache_latency, 3u);
    EXPECT_EQ(t.walk_cache_latency, 4u);
    EXPECT_EQ(t.ptw_slots, 16u);
    EXPECT_EQ(t.tcu_slots, 64u);
    EXPECT_EQ(t.tbu_slots, 16u);
    EXPECT_EQ(t.cmd_cost, 0u);
}

TEST(TimingPreset, Mmu600Numbers)
{
    smmu_config_t c;
    smmu_timing_t t;
    ASSERT_EQ(smmu_preset_get("mmu600", &c, &t), SMMU_OK);
    EXPECT_EQ(c.arch_minor, SMMU_ARCH_V3_1);
    EXPECT_EQ(t.num_tbus, 14u);
    EXPECT_EQ(t.tcu_slots, 64u);
    EXPECT_EQ(t.max_reads, t.ptw_slots + 2);
    EXPECT_EQ(c.cfg_cache_entries, 256u);
    EXPECT_EQ(c.walk_cache_sets * c.walk_cache_ways, 8u * 256u);
    EXPECT_EQ(c.tlb_ways, 4u);
    EXPECT_EQ(c.tlb_repl, 1u); // random
}

// smmu_timing_check names the field and its range; smmu_set_timing
// refuses what it refuses.
TEST(TimingPreset, TimingCheckNamesTheField)
{
    smmu_timing_t t{};
    t.num_tbus = 1;
    char msg[128];
    EXPECT_EQ(smmu_timing_check(&t, msg, sizeof msg), SMMU_OK);
    EXPECT_STREQ(msg, "");
    t.ptw_slots = 4097;
    EXPECT_EQ(smmu_timing_check(&t, msg, sizeof msg), SMMU_ERR_CONFIG);
    EXPECT_STREQ(msg, "ptw_slots 4097 outside 0..4096");
    t.ptw_slots = 0;
    t.mem_latency[SMMU_ACC_TT] = 1000001;
    EXPECT_EQ(smmu_timing_check(&t, msg, sizeof msg), SMMU_ERR_CONFIG);
    EXPECT_STREQ(msg, "mem_latency[2] 1000001 outside 0..1000000");
    t.mem_latency[SMMU_ACC_TT] = 0;
    t.num_tbus = 63;
    EXPECT_EQ(smmu_timing_check(&t, msg, sizeof msg), SMMU_ERR_CONFIG);
    EXPECT_STREQ(msg, "num_tbus 63 outside 1..62");
    EXPECT_EQ(smmu_timing_check(nullptr, nullptr, 0), SMMU_ERR_CONFIG);
}

} // namespace
} // namespace smmutest

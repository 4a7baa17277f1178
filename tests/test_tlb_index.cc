// TLB and micro-TLB organisation (IHI 0070 G.b 3.17 TLB tagging, 4.4 TLB
// invalidation; Arm ARM D8.17 TLB maintenance; docs/tlb.md):
//  - the micro-TLB index spreads StreamIDs/SubstreamIDs that share pages;
//  - the packed two-word TLB match keeps the 3.17.1 rules (global entries
//    match any ASID of the same ASET; per-size entries);
//  - the indexed invalidation (address probes, per-ASID and per-VMID lists)
//    removes exactly what a full scan of the TLB removes, for random entry
//    mixes and random scopes (seeded: SMMU_SEED=<n> reproduces a run).
#include <cstdio>
#include <cstdlib>
#include <random>
#include <set>
#include <string>
#include <vector>

#include "support/cache_fixture.h"

extern "C" {
#include "cfgcache.h"
#include "tlb.h"
#include "utlb.h"
}

using namespace smmutest;

namespace {

uint64_t seed_from_env(uint64_t dflt)
{
    const char *e = std::getenv("SMMU_SEED");
    return e ? std::strtoull(e, nullptr, 0) : dflt;
}

// ---- Micro-TLB index ---------------------------------------------------

// 4 StreamIDs x 16 common pages (the case the old page ^ StreamID index
// put into 16 slots) and 4 SubstreamIDs x 16 pages: 64 distinct slots of
// 256 each.
TEST(UtlbIndex, StreamsSharingPagesGetDistinctSlots)
{
    std::vector<smmu_utlb_entry_t> e(256);
    smmu_utlb_t u;
    smmu_utlb_init(&u, e.data(), 256);
    std::set<const smmu_utlb_entry_t *> by_sid, by_ssid;
    for (uint32_t s = 0; s < 4; s++) {
        for (uint64_t p = 0; p < 16; p++) {
            smmu_request_t a{}, b{};
            a.sid = s;
            a.addr = 0x4000'0000 + p * 0x1000;
            b.sid = 7;
            b.ssv = 1;
            b.ssid = s;
            b.addr = a.addr;
            by_sid.insert(smmu_utlb_slot(&u, &a));
            by_ssid.insert(smmu_utlb_slot(&u, &b));
        }
    }
    EXPECT_EQ(by_sid.size(), 64u);
    EXPECT_EQ(by_ssid.size(), 64u);
}

// SSV is part of the match: SubstreamID 0 differs from no SubstreamID
// (3.3.2); SubstreamIDs and StreamIDs differ; the attribute bytes outside
// 0/1 (and Secure, ATS) never match, so they take the full path.
TEST(UtlbIndex, KeysSeparateSsvAndSubstreamId)
{
    smmu_utlb_entry_t e{};
    smmu_request_t r{};
    r.sid = 5;
    r.addr = 0x1000;
    e.stream = smmu_utlb_sword(&r);
    e.vpage = 1;
    e.attr = 0;
    e.acc = 0x1111'1111'1111'1111ull; // read granted for every access index
    e.gen = 3;
    auto hit = [&](const smmu_request_t &q) {
        return smmu_utlb_match(&e, smmu_utlb_sword(&q), smmu_utlb_aword(&q), q.addr, 3);
    };
    EXPECT_EQ(hit(r), uint64_t(1));
    smmu_request_t q = r;
    q.ssv = 1; // SubstreamID 0 is not "no SubstreamID"
    EXPECT_EQ(hit(q), uint64_t(0));
    q = r;
    q.sid = 6;
    EXPECT_EQ(hit(q), uint64_t(0));
    q = r;
    q.addr = 0x2000;
    EXPECT_EQ(hit(q), uint64_t(0));
    EXPECT_EQ(smmu_utlb_match(&e, smmu_utlb_sword(&r), smmu_utlb_aword(&r), r.addr, 4), uint64_t(0));
    for (int f = 0; f < 6; f++) { // write, instr, priv, secure, ats, pcie = 2
        q = r;
        uint8_t *b[] = {&q.write, &q.instr, &q.priv, &q.secure, &q.ats, &q.pcie};
        *b[f] = 2;
        EXPECT_EQ(hit(q), uint64_t(0)) << f;
    }
    q = r;
    q.secure = 1;
    EXPECT_EQ(hit(q), uint64_t(0));
    q = r;
    q.ats = 1;
    EXPECT_EQ(hit(q), uint64_t(0));
    e.attr = 1;
    q = r;
    q.ssv = 1;
    q.ssid = 9;
    e.stream = smmu_utlb_sword(&q);
    EXPECT_EQ(hit(q), uint64_t(1));
    q.ssid = 0;
    EXPECT_EQ(hit(q), uint64_t(0));
}

// The access index: write, instr, priv, pcie (0/1) select nibble
// write | instr << 1 | priv << 2 | pcie << 3 of the access table.
TEST(UtlbIndex, AccessIndexSelectsItsNibble)
{
    smmu_utlb_entry_t e{};
    e.acc = 0x7654'3210'7654'3210ull ^ 0x8888'8888'8888'8888ull; // nibble i = i ^ 8
    for (unsigned i = 0; i < 16; i++) {
        smmu_request_t q{};
        q.write = i & 1;
        q.instr = (i >> 1) & 1;
        q.priv = (i >> 2) & 1;
        q.pcie = (i >> 3) & 1;
        ASSERT_EQ(smmu_utlb_acc_index(&q), i);
        EXPECT_EQ(smmu_utlb_match(&e, 0, smmu_utlb_aword(&q), 0, 0), uint64_t((i & 7) ^ 8)) << i;
    }
}

class UtlbRate : public CmdTest {
  protected:
    void tweak(smmu_config_t &c) override { c.utlb_entries = 256; }
    void SetUp() override
    {
        CmdTest::SetUp();
        boot();
    }
};

// The s1-4sid-utlb benchmark case: 4 STEs sharing one CD (one ASID, one set
// of tables), StreamID and page (of 16) drawn independently. Every
// translation after the first of each (StreamID, page) can come from the
// micro-TLB when the 64 pairs have their own slots.
TEST_F(UtlbRate, FourStreamsSharingOneCdHitAtLeast90Percent)
{
    const uint64_t seed = seed_from_env(0x5EED7B01);
    std::printf("SMMU_SEED=%llu\n", (unsigned long long)seed);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    PtBuilder *pt = new_pt(1);
    uint64_t cd = new_cd_addr();
    put(cd, cd_for(pt, 1).build());
    for (uint32_t sid = 0; sid < 4; sid++)
        write_ste(sid, Ste().s1().ctx(cd).build());
    const uint64_t va = 0x4000'0000;
    for (unsigned p = 0; p < 16; p++)
        map1(pt, va + p * k4K, kPa1 + p * k4K);
    std::mt19937_64 rng(seed);
    smmu_stats_t st0 = stats();
    const unsigned n = 20000;
    for (unsigned i = 0; i < n; i++) {
        uint32_t sid = uint32_t(rng() % 4);
        uint64_t p = rng() % 16;
        ASSERT_EQ(pa(sid, va + p * k4K + 0x10), kPa1 + p * k4K + 0x10);
    }
    smmu_stats_t st1 = stats();
    double rate = double(st1.utlb_hits - st0.utlb_hits) / n;
    std::printf("utlb_hit_rate %.4f\n", rate);
    EXPECT_GE(rate, 0.90);
    // Exact: each of the 64 (StreamID, page) pairs misses once.
    EXPECT_EQ(st1.utlb_hits - st0.utlb_hits, uint64_t(n - 64));
}

// Request attributes other than 0/1 count as 1 (smmu.h) whether the
// micro-TLB answers or the full path does: the same outcome and
// permissions as the normalised request, before and after the micro-TLB
// holds the page. Read-only page: a write faults, a read succeeds.
TEST_F(UtlbRate, NonBinaryRequestAttributesActAsOne)
{
    PtBuilder *pt = s1_stream(3, 1);
    S1Attrs ro;
    ro.ap = 3; // AP[2:1] = 0b11: read-only at any privilege
    ASSERT_TRUE(pt->map_s1(0x4000'0000, kPa1, 3, ro)) << pt->error();
    for (int round = 0; round < 2; round++) { // cold, then micro-TLB warm
        for (uint8_t v : {uint8_t(1), uint8_t(2), uint8_t(0x80)}) {
            smmu_request_t rq{};
            rq.sid = 3;
            rq.addr = 0x4000'0010;
            rq.size = 4;
            rq.priv = v;
            smmu_response_t rs;
            ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
            EXPECT_EQ(rs.outcome, SMMU_XLATE_OK) << "priv " << unsigned(v);
            EXPECT_EQ(rs.pa, kPa1 + 0x10);
            rq.write = v;
            ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
            EXPECT_NE(rs.outcome, SMMU_XLATE_OK) << "write " << unsigned(v);
            EXPECT_EQ(rs.event, SMMU_EVT_F_PERMISSION);
        }
    }
}

// 13.7: a PCIe transaction without a PASID is Unprivileged Data, also when
// the micro-TLB holds the page (filled by a privileged non-PCIe read).
// Privileged-only page (AP[2:1] = 0b00).
TEST_F(UtlbRate, PcieWithoutPasidIsUnprivilegedOnMicroTlbHits_13_7)
{
    PtBuilder *pt = s1_stream(4, 1);
    ASSERT_TRUE(pt->map_s1(0x4000'0000, kPa1, 3, S1Attrs())) << pt->error();
    for (int round = 0; round < 2; round++) {
        smmu_request_t rq{};
        rq.sid = 4;
        rq.addr = 0x4000'0020;
        rq.size = 4;
        rq.priv = 1;
        smmu_response_t rs;
        ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
        EXPECT_EQ(rs.outcome, SMMU_XLATE_OK);
        rq.pcie = 1;
        ASSERT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
        EXPECT_EQ(rs.event, SMMU_EVT_F_PERMISSION) << "round " << round;
    }
    EXPECT_GE(stats().utlb_hits, 1u);
}

// ---- Packed TLB match (3.17.1) -------------------------------------------

class TlbUnit : public ::testing::Test {
  protected:
    smmu_tlb_t t{};
    void SetUp() override { ASSERT_EQ(smmu_tlb_init(&t, 16, 4, 0), 0); }
    void TearDown() override { smmu_tlb_free(&t); }
    static smmu_tlb_key_t key(uint64_t addr, uint8_t kind, uint16_t vmid, uint16_t asid,
                              uint8_t aset = 0, uint8_t world = SMMU_WORLD_NS_EL1)
    {
        smmu_tlb_key_t k{};
        k.addr = addr;
        k.kind = kind;
        k.vmid = vmid;
        k.asid = asid;
        k.aset = aset;
        k.world = world;
        return k;
    }
    void put(const smmu_tlb_key_t &k, unsigned sh, bool global, unsigned g = 12)
    {
        smmu_tlb_entry_t e{};
        e.size_shift = uint8_t(sh);
        e.s1_size_shift = uint8_t(sh);
        e.gran_shift = uint8_t(g);
        e.global = global;
        e.oa = 0x8000'0000;
        smmu_tlb_insert(&t, &k, &e);
    }
    bool has(const smmu_tlb_key_t &k) { return smmu_tlb_lookup(&t, &k) != nullptr; }
};

TEST_F(TlbUnit, GlobalEntryMatchesAnyAsidOfItsAset_3_17_1)
{
    put(key(0x1000, SMMU_TLB_S1, 3, 5, 0), 12, true);
    EXPECT_TRUE(has(key(0x1000, SMMU_TLB_S1, 3, 5, 0)));
    EXPECT_TRUE(has(key(0x1FFF, SMMU_TLB_S1, 3, 9, 0)));
    EXPECT_FALSE(has(key(0x1000, SMMU_TLB_S1, 3, 9, 1))); // other ASET
    EXPECT_FALSE(has(key(0x1000, SMMU_TLB_S1, 4, 5, 0))); // other VMID
    EXPECT_FALSE(has(key(0x1000, SMMU_TLB_NESTED, 3, 5, 0))); // other kind
    EXPECT_FALSE(has(key(0x1000, SMMU_TLB_S1, 3, 5, 0, SMMU_WORLD_NS_EL2_E2H)));
    EXPECT_FALSE(has(key(0x2000, SMMU_TLB_S1, 3, 5, 0)));
}

TEST_F(TlbUnit, NonGlobalEntryMatchesOnlyItsAsid_3_17)
{
    put(key(0x1000, SMMU_TLB_S1, 3, 5, 1), 12, false);
    EXPECT_TRUE(has(key(0x1000, SMMU_TLB_S1, 3, 5, 1)));
    EXPECT_TRUE(has(key(0x1000, SMMU_TLB_S1, 3, 5, 0))); // ASET only matters for global
    EXPECT_FALSE(has(key(0x1000, SMMU_TLB_S1, 3, 6, 1)));
}

// Entries of every size are found from any address inside them, and an
// entry of one size never answers for a tag of another.
TEST_F(TlbUnit, EntriesOfEachSizeMatchTheirWholeRange)
{
    put(key(0x4020'0000, SMMU_TLB_S1, 0, 1), 21, false);      // 2MB block
    put(key(0x4000'0000 + 0x1000, SMMU_TLB_S1, 0, 1), 12, false); // 4KB page
    put(key(0x8000'0000, SMMU_TLB_S1, 0, 1), 16, false);      // 64KB contiguous
    EXPECT_TRUE(has(key(0x403F'FFFF, SMMU_TLB_S1, 0, 1)));
    smmu_tlb_key_t k = key(0x4020'0000, SMMU_TLB_S1, 0, 1);
    ASSERT_NE(smmu_tlb_lookup(&t, &k), nullptr);
    EXPECT_EQ(smmu_tlb_lookup(&t, &k)->size_shift, 21);
    EXPECT_TRUE(has(key(0x4000'1FFF, SMMU_TLB_S1, 0, 1)));
    EXPECT_FALSE(has(key(0x4000'2000, SMMU_TLB_S1, 0, 1)));
    EXPECT_TRUE(has(key(0x8000'FFFF, SMMU_TLB_S1, 0, 1)));
    EXPECT_FALSE(has(key(0x8001'0000, SMMU_TLB_S1, 0, 1)));
}

// Walk-cache entries match by exact size, granule and ASID, never as
// global (stage-2 walk entries carry ASID 0).
TEST_F(TlbUnit, WalkCacheLookupIsExactSizeGranuleAndAsid)
{
    put(key(0x4000'0000, SMMU_TLB_WALK_S1, 2, 7), 21, false, 12);
    put(key(0x4000'0000, SMMU_TLB_WALK_S2, 2, 0, 1), 30, true, 12);
    smmu_tlb_key_t k = key(0x4010'0000, SMMU_TLB_WALK_S1, 2, 7);
    EXPECT_NE(smmu_tlb_lookup_at(&t, &k, 21, 12), nullptr);
    EXPECT_EQ(smmu_tlb_lookup_at(&t, &k, 21, 16), nullptr);
    EXPECT_EQ(smmu_tlb_lookup_at(&t, &k, 30, 12), nullptr);
    k.asid = 8;
    EXPECT_EQ(smmu_tlb_lookup_at(&t, &k, 21, 12), nullptr);
    smmu_tlb_key_t k2 = key(0x7000'0000, SMMU_TLB_WALK_S2, 2, 0, 0); // other ASET: still found
    EXPECT_NE(smmu_tlb_lookup_at(&t, &k2, 30, 12), nullptr);
}

// TLBI_NH_ASID (4.4.2.2) of an ASID holding one entry removes it alone,
// through the ASID's list, whatever else the TLB holds.
TEST_F(TlbUnit, AsidScopeRemovesOnlyThatAsid_4_4_2_2)
{
    for (unsigned i = 0; i < 40; i++)
        put(key(0x10'0000 + i * 0x1000ull, SMMU_TLB_S1, 0, 2), 12, false);
    put(key(0x4000, SMMU_TLB_S1, 0, 1), 12, false);
    put(key(0x5000, SMMU_TLB_S1, 0, 1), 12, true); // global: kept
    uint32_t before = t.valid_count;
    smmu_tlb_inval_t iv{};
    iv.kinds = SMMU_TLB_S1 | SMMU_TLB_NESTED;
    iv.world = SMMU_WORLD_NS_EL1;
    iv.match_vmid = 1;
    iv.match_asid = 1;
    iv.keep_global = 1;
    iv.asid = 1;
    EXPECT_EQ(smmu_tlb_invalidate(&t, &iv), 1u);
    EXPECT_EQ(t.valid_count, before - 1);
    EXPECT_FALSE(has(key(0x4000, SMMU_TLB_S1, 0, 1)));
    EXPECT_TRUE(has(key(0x5000, SMMU_TLB_S1, 0, 1)));
}

// ---- Indexed invalidation == full scan (randomised) ----------------------

struct Gen {
    std::mt19937_64 rng;
    explicit Gen(uint64_t s) : rng(s) {}
    uint64_t u(uint64_t n) { return rng() % n; }
    template <class T, size_t N> T pick(const T (&a)[N]) { return a[u(N)]; }
};

// A random leaf entry: kind, world, VMID, ASID, ASET, global, granule,
// size (page, contiguous range, block), levels, splintered stage-1 span.
void random_leaf(Gen &g, smmu_tlb_key_t &k, smmu_tlb_entry_t &e)
{
    static const uint8_t kinds[] = {SMMU_TLB_S1, SMMU_TLB_S2, SMMU_TLB_NESTED, SMMU_TLB_NESTED};
    static const uint16_t vmids[] = {0, 0, 1, 2, 3, 9, 0x101};
    static const uint16_t asids[] = {0, 1, 1, 2, 7, 0x8001};
    static const uint8_t grans[] = {12, 14, 16};
    k = {};
    e = {};
    k.kind = g.pick(kinds);
    k.world = uint8_t(g.u(5) < 3 ? 0u : 1u + unsigned(g.u(2)));
    k.vmid = k.world == SMMU_WORLD_NS_EL1 || g.u(8) == 0 ? g.pick(vmids) : 0;
    k.asid = k.kind == SMMU_TLB_S2 ? 0 : g.pick(asids);
    k.aset = uint8_t(g.u(2));
    unsigned gs = g.pick(grans), stride = gs - 3;
    unsigned lvl = 1 + unsigned(g.u(3));
    unsigned sh = gs + (3 - lvl) * stride;
    if (lvl == 3 && g.u(3) == 0)
        sh += gs == 12 ? 4 : gs == 14 ? 7 : 5; // contiguous range
    if (sh > 42)
        sh = gs;
    e.size_shift = uint8_t(sh);
    e.s1_size_shift = uint8_t(sh);
    if (k.kind == SMMU_TLB_NESTED && g.u(3) == 0) { // splintered by stage 2
        unsigned big = sh + 1 + unsigned(g.u(18));
        e.s1_size_shift = uint8_t(big > 63 ? 63 : big);
    }
    e.gran_shift = uint8_t(gs);
    e.s1_level = uint8_t(lvl);
    e.s2_level = uint8_t(1 + g.u(3));
    e.global = k.kind == SMMU_TLB_S2 ? 1 : uint8_t(g.u(3) == 0);
    static const uint64_t bases[] = {0, 0x4000'0000, 0x4000'0000, 0xFFFF'FFFF'F000'0000ull,
                                     0x0000'8000'0000'0000ull};
    k.addr = g.pick(bases) + (g.u(1u << 14) << 12);
    e.oa = g.rng() & 0xFFFF'FFFF'F000ull;
}

void random_walk(Gen &g, smmu_tlb_key_t &k, smmu_tlb_entry_t &e)
{
    random_leaf(g, k, e);
    k.kind = g.u(2) ? SMMU_TLB_WALK_S1 : SMMU_TLB_WALK_S2;
    unsigned gs = e.gran_shift, lvl = unsigned(g.u(3)); // table at level 0..2
    e.size_shift = uint8_t(gs + (3 - lvl) * (gs - 3));
    e.s1_size_shift = e.size_shift;
    e.s1_level = e.s2_level = uint8_t(lvl);
    e.global = k.kind == SMMU_TLB_WALK_S2;
    if (k.kind == SMMU_TLB_WALK_S2)
        k.asid = 0;
}

// A random scope: the command shapes of cmdq.c and arbitrary mixes.
smmu_tlb_inval_t random_scope(Gen &g)
{
    static const uint16_t vmids[] = {0, 1, 2, 3, 9, 0x101, 0x100};
    static const uint16_t asids[] = {0, 1, 2, 7, 0x8001};
    static const uint16_t igns[] = {0, 0, 0, 1, 3, 7, 15, 0x1F, 0x101};
    smmu_tlb_inval_t iv{};
    iv.kinds = uint8_t(1 + g.u(7)); // any non-empty mix of S1, S2, NESTED
    iv.world = uint8_t(g.u(4) < 2 ? 0u : 1u + unsigned(g.u(2)));
    if (g.u(3)) {
        iv.match_vmid = 1;
        iv.vmid = g.pick(vmids);
        iv.vmid_ign_mask = g.pick(igns);
    }
    if (g.u(2)) {
        iv.match_asid = 1;
        iv.asid = g.pick(asids);
        iv.keep_global = uint8_t(g.u(2));
    }
    iv.leaf = uint8_t(g.u(2));
    if (g.u(4)) {
        iv.match_addr = 1;
        static const uint64_t spans[] = {0x1000, 0x1000, 0x10000, 0x20'0000, 0x4000'0000,
                                         1ull << 40, 0};
        static const uint64_t bases[] = {0, 0x4000'0000, 0x4000'0000, 0xFFFF'FFFF'F000'0000ull,
                                         0x0000'8000'0000'0000ull};
        iv.addr_lo = g.pick(bases) + (g.u(1u << 14) << 12);
        uint64_t span = g.pick(spans);
        iv.addr_hi = span == 0 ? ~0ull : iv.addr_lo + span - 1 < iv.addr_lo ? ~0ull
                                                                              : iv.addr_lo + span - 1;
        if (g.u(4) == 0) {
            iv.tg = uint8_t(1 + g.u(3));
            iv.ttl = uint8_t(g.u(4));
        }
    }
    return iv;
}

// Per-slot content and the list invariants: every valid entry is on the
// lists of its tags, and the lists hold nothing else.
void expect_same(const smmu_tlb_t &a, const smmu_tlb_t &b)
{
    ASSERT_EQ(a.valid_count, b.valid_count);
    for (uint32_t i = 0; i < a.sets * a.ways; i++) {
        ASSERT_EQ(a.e[i].meta, b.e[i].meta) << "slot " << i;
        if (a.e[i].meta) {
            ASSERT_EQ(a.e[i].atag, b.e[i].atag) << "slot " << i;
            ASSERT_EQ(a.e[i].oa, b.e[i].oa) << "slot " << i;
        }
    }
}

void expect_lists_ok(const smmu_tlb_t &t)
{
    uint32_t on_a = 0, on_v = 0, nz[4] = {0, 0, 0, 0};
    for (uint32_t b = 0; b < t.nbuckets; b++) {
        for (uint32_t i = t.ahead[b]; i != SMMU_TLB_NIL; i = t.e[i].anext) {
            ASSERT_NE(t.e[i].meta, 0u);
            on_a++;
        }
        for (uint32_t i = t.vhead[b]; i != SMMU_TLB_NIL; i = t.e[i].vnext) {
            ASSERT_NE(t.e[i].meta, 0u);
            on_v++;
            if (t.e[i].vmid)
                nz[t.e[i].world & 3]++;
        }
    }
    EXPECT_EQ(on_a, t.valid_count);
    EXPECT_EQ(on_v, t.valid_count);
    for (unsigned w = 0; w < 4; w++)
        EXPECT_EQ(nz[w], t.nz_vmid[w]);
}

struct Pair {
    smmu_tlb_t tlb{}, wc{};
    Pair(uint32_t sets, uint32_t ways, uint32_t wsets, uint32_t repl)
    {
        EXPECT_EQ(smmu_tlb_init(&tlb, sets, ways, repl), 0);
        EXPECT_EQ(smmu_tlb_init(&wc, wsets, 2, repl), 0);
        tlb.walk = &wc;
    }
    ~Pair()
    {
        smmu_tlb_free(&tlb);
        smmu_tlb_free(&wc);
    }
};

TEST(TlbIndex, InvalidationRemovesExactlyWhatAFullScanRemoves_4_4)
{
    const uint64_t seed = seed_from_env(0x5EED7B02);
    std::printf("SMMU_SEED=%llu\n", (unsigned long long)seed);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    Gen g(seed);
    static const uint32_t setss[] = {1, 4, 16, 64, 256};
    static const uint32_t wayss[] = {1, 2, 4};
    uint64_t removed = 0, invals = 0;
    for (unsigned round = 0; round < 60; round++) {
        uint32_t sets = g.pick(setss), ways = g.pick(wayss), wsets = g.u(4) ? 16 : 0;
        uint32_t repl = uint32_t(g.u(2));
        Pair fast(sets, ways, wsets, repl), ref(sets, ways, wsets, repl);
        for (unsigned step = 0; step < 400; step++) {
            unsigned what = unsigned(g.u(10));
            if (what < 6) { // insert the same entry into both
                smmu_tlb_key_t k;
                smmu_tlb_entry_t e;
                bool walk = g.u(4) == 0;
                walk ? random_walk(g, k, e) : random_leaf(g, k, e);
                smmu_tlb_insert(walk ? &fast.wc : &fast.tlb, &k, &e);
                smmu_tlb_insert(walk ? &ref.wc : &ref.tlb, &k, &e);
            } else if (what < 9) {
                smmu_tlb_inval_t iv = random_scope(g);
                uint32_t nf = smmu_tlb_invalidate(&fast.tlb, &iv);
                uint32_t nr = smmu_tlb_invalidate_scan(&ref.tlb, &iv);
                ASSERT_EQ(nf, nr) << "round " << round << " step " << step;
                removed += nr;
                invals++;
            } else if (fast.tlb.valid_count) { // a hit-then-walk drop
                uint32_t i = uint32_t(g.u(sets * ways));
                if (fast.tlb.e[i].meta) {
                    smmu_tlb_drop(&fast.tlb, &fast.tlb.e[i]);
                    smmu_tlb_drop(&ref.tlb, &ref.tlb.e[i]);
                }
            }
            expect_same(fast.tlb, ref.tlb);
            expect_same(fast.wc, ref.wc);
            if (::testing::Test::HasFatalFailure()) {
                ADD_FAILURE() << "round " << round << " step " << step;
                return;
            }
        }
        expect_lists_ok(fast.tlb);
        expect_lists_ok(fast.wc);
    }
    std::printf("%llu invalidations removed %llu entries\n", (unsigned long long)invals,
                (unsigned long long)removed);
    EXPECT_GT(removed, 1000u); // the scopes did reach entries
}

// The command shapes on a TLB of realistic size: page invalidations by VA
// (with and without ASID), ASID and VMID scopes, IPA ranges, in a TLB with
// splintered nested entries, VMID wildcards and walk-cache entries.
TEST(TlbIndex, CommandShapesMatchFullScanOnALargeTlb_4_4)
{
    const uint64_t seed = seed_from_env(0x5EED7B03);
    std::printf("SMMU_SEED=%llu\n", (unsigned long long)seed);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    Gen g(seed);
    Pair fast(1024, 4, 64, 0), ref(1024, 4, 64, 0);
    for (unsigned i = 0; i < 6000; i++) {
        smmu_tlb_key_t k;
        smmu_tlb_entry_t e;
        bool walk = g.u(5) == 0;
        walk ? random_walk(g, k, e) : random_leaf(g, k, e);
        smmu_tlb_insert(walk ? &fast.wc : &fast.tlb, &k, &e);
        smmu_tlb_insert(walk ? &ref.wc : &ref.tlb, &k, &e);
    }
    for (unsigned i = 0; i < 400; i++) {
        smmu_tlb_inval_t iv = random_scope(g);
        ASSERT_EQ(smmu_tlb_invalidate(&fast.tlb, &iv), smmu_tlb_invalidate_scan(&ref.tlb, &iv))
            << "invalidation " << i;
        expect_same(fast.tlb, ref.tlb);
        expect_same(fast.wc, ref.wc);
        if (::testing::Test::HasFatalFailure())
            return;
        if (i % 50 == 49)
            for (unsigned j = 0; j < 500; j++) { // refill
                smmu_tlb_key_t k;
                smmu_tlb_entry_t e;
                random_leaf(g, k, e);
                smmu_tlb_insert(&fast.tlb, &k, &e);
                smmu_tlb_insert(&ref.tlb, &k, &e);
            }
    }
    expect_lists_ok(fast.tlb);
    expect_lists_ok(fast.wc);
}

// ---- Configuration cache: CFGI scopes through the per-StreamID lists ----

// The model before the lists: scan every slot (4.3.1-4.3.4).
void ref_inval_sids(smmu_cfg_cache_t *c, uint32_t first, uint32_t last, bool stes)
{
    for (uint32_t i = 0; i < c->n; i++) {
        if (stes && c->e[i].valid && c->e[i].sid >= first && c->e[i].sid <= last)
            c->e[i].valid = 0;
        if (c->cd[i].valid && c->cd[i].sid >= first && c->cd[i].sid <= last)
            c->cd[i].valid = 0;
    }
}

TEST(CfgcacheIndex, CfgiScopesRemoveExactlyWhatAFullScanRemoves_4_3)
{
    const uint64_t seed = seed_from_env(0x5EED7B04);
    std::printf("SMMU_SEED=%llu\n", (unsigned long long)seed);
    SCOPED_TRACE("SMMU_SEED=" + std::to_string(seed));
    Gen g(seed);
    smmu_cfg_cache_t a{}, b{};
    ASSERT_EQ(smmu_cfgcache_init(&a, 64), 0);
    ASSERT_EQ(smmu_cfgcache_init(&b, 64), 0);
    static const uint32_t sids[] = {0, 1, 2, 3, 63, 64, 65, 127, 128, 1000, 0xFFFFFFFF};
    unsigned dropped = 0;
    for (unsigned step = 0; step < 20000; step++) {
        uint32_t sid = g.u(3) ? uint32_t(g.u(200)) : g.pick(sids);
        unsigned what = unsigned(g.u(12));
        if (what < 5) { // fill an STE and (usually) a CD, as translate.c does
            smmu_cfgcache_slot(&a, sid)->valid = 1;
            smmu_cfgcache_slot(&b, sid)->valid = 1;
            uint32_t index = uint32_t(g.u(8));
            smmu_cfgcache_cd_slot(&a, sid, index)->valid = 1;
            smmu_cfgcache_cd_slot(&b, sid, index)->valid = 1;
        } else if (what < 7) { // CFGI_CD_ALL (4.3.4)
            smmu_cfgcache_inval_cd(&a, sid);
            ref_inval_sids(&b, sid, sid, false);
        } else if (what < 8) { // CFGI_CD (4.3.3)
            uint32_t index = uint32_t(g.u(8));
            smmu_cfgcache_inval_cd_index(&a, sid, index);
            smmu_cfgcache_inval_cd_index(&b, sid, index);
        } else if (what < 11) { // CFGI_STE / CFGI_STE_RANGE (4.3.1, 4.3.2)
            unsigned range = unsigned(g.u(4)) ? unsigned(g.u(8)) : unsigned(g.u(32));
            uint32_t span = range >= 31 ? 0xFFFFFFFFu : (2u << range) - 1;
            uint32_t first = g.u(2) ? sid : sid & ~span;
            uint32_t last = range >= 31 ? 0xFFFFFFFFu : first | span;
            smmu_cfgcache_inval_sid_range(&a, first, last);
            ref_inval_sids(&b, first, last, true);
        } else {
            smmu_cfgcache_inval_all(&a);
            smmu_cfgcache_inval_all(&b);
        }
        for (uint32_t i = 0; i < 64; i++) {
            ASSERT_EQ(a.e[i].valid, b.e[i].valid) << "step " << step << " STE slot " << i;
            ASSERT_EQ(a.cd[i].valid, b.cd[i].valid) << "step " << step << " CD slot " << i;
            if (a.cd[i].valid) {
                ASSERT_EQ(a.cd[i].sid, b.cd[i].sid);
            }
        }
        dropped += what >= 5 && what < 11;
    }
    EXPECT_GT(dropped, 1000u);
    smmu_cfgcache_free(&a);
    smmu_cfgcache_free(&b);
}

} // namespace

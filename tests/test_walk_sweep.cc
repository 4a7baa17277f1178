// Parameterised sweep of smmu_walk() over granule x input size x output size
// x start level for both stages (stage 2: every legal concatenation of start
// tables, D8.2 Tables D8-25 and equivalents), in the spirit of the
// io-pgtable self-test; plus a seeded random test (seed printed, reproducible
// with SMMU_WALK_SEED=<seed>).
#include <gtest/gtest.h>

#include <cstdlib>
#include <cstring>
#include <iostream>
#include <random>
#include <sstream>
#include <string>
#include <vector>

#include "support/pt_builder.h"
#include "support/simmem.h"

extern "C" {
#include "smmu_internal.h"
#include "walk.h"
}

namespace smmutest {
namespace {

constexpr uint64_t kTab = 0x4000'0000; // below 2^32 so every oa_bits can reach it

struct SweepCase {
    unsigned stage, gran, ia, oa, start;
};

std::string case_name(const SweepCase &c)
{
    std::ostringstream os;
    os << "S" << c.stage << "_" << (c.gran == 12 ? "4K" : c.gran == 14 ? "16K" : "64K") << "_ia"
       << c.ia << "_oa" << c.oa << "_sl" << c.start;
    return os.str();
}

void PrintTo(const SweepCase &c, std::ostream *os) { *os << case_name(c); }

unsigned min_ia(unsigned g) { return g == 16 ? 17 : 16; }
unsigned max_ia(unsigned g) { return g == 16 ? 52 : 48; }

std::vector<unsigned> oa_sizes(unsigned g)
{
    std::vector<unsigned> v{32, 36, 40, 42, 44, 48};
    if (g == 16)
        v.push_back(52); // FEAT_LPA: 52-bit OA only with the 64K granule (DS = 0)
    return v;
}

std::vector<SweepCase> all_cases()
{
    std::vector<SweepCase> v;
    for (unsigned g : {12u, 14u, 16u})
        for (unsigned ia = min_ia(g); ia <= max_ia(g); ia++)
            for (unsigned oa : oa_sizes(g)) {
                v.push_back({1, g, ia, oa, PtBuilder::s1_start_level(g, ia)});
                for (unsigned sl : PtBuilder::s2_start_levels(g, ia))
                    v.push_back({2, g, ia, oa, sl});
            }
    return v;
}

struct Env {
    SimMem mem;
    smmu_t *s = nullptr;
    explicit Env(unsigned oa_bits)
    {
        smmu_config_t c;
        smmu_config_default(&c, SMMU_ARCH_V3_2);
        c.oas = oa_bits > 48 ? 6 : 5; // OAS 52 (FEAT_LPA) only for 52-bit contexts
        s = smmu_create(&c, mem.ops(), mem.ctx(), nullptr, 0);
    }
    ~Env() { smmu_destroy(s); }
};

struct Mapping {
    uint64_t ia, oa;
    unsigned level;
    uint64_t desc;
};

uint64_t attrs_for(unsigned stage) { return stage == 1 ? S1Attrs().bits() : S2Attrs().bits(); }

// Walk ia inside m at `off` and check every output field.
void check_mapping(Env &e, PtBuilder &b, const Mapping &m, uint64_t off)
{
    std::ostringstream tr;
    tr << std::hex << "ia 0x" << m.ia << " + 0x" << off << " -> oa 0x" << m.oa << std::dec
       << " level " << m.level;
    SCOPED_TRACE(tr.str());
    smmu_walk_cfg_t c = b.cfg();
    smmu_walk_out_t o;
    std::memset(&o, 0, sizeof o);
    uint64_t before = e.s->stats.tt_reads;
    int r = walk_uncached(e.s, &c, nullptr, m.ia + off, &o);
    EXPECT_EQ(r, 0);
    EXPECT_EQ(o.fault, 0);
    EXPECT_EQ(o.oa, m.oa + off);
    EXPECT_EQ(o.level, m.level);
    EXPECT_EQ(o.size_shift, b.level_shift(m.level));
    EXPECT_EQ(o.desc, m.desc);
    EXPECT_EQ(e.s->stats.tt_reads - before, m.level - b.start_level() + 1);
}

class WalkSweep : public ::testing::TestWithParam<SweepCase> {};

TEST_P(WalkSweep, D8_2_ExactOutputForFirstLastPageAndBlocks)
{
    const SweepCase p = GetParam();
    Env e(p.oa);
    ASSERT_NE(e.s, nullptr);
    PtBuilder b(e.mem, p.stage, p.gran, p.ia, p.oa, kTab, int(p.start));
    ASSERT_EQ(b.start_level(), p.start);
    const uint64_t gsz = 1ull << p.gran, top_ia = 1ull << p.ia, top_oa = 1ull << p.oa;
    const uint64_t at = attrs_for(p.stage);
    std::vector<Mapping> maps;
    auto add = [&](uint64_t ia, uint64_t oa, unsigned lvl) {
        ASSERT_TRUE(b.map(ia, oa, lvl, at)) << b.error();
        maps.push_back({ia, oa, lvl, b.last_desc()});
    };
    // First page -> last page of the output space; last page -> middle.
    add(0, top_oa - gsz, 3);
    add(top_ia - gsz, (top_oa >> 1) + 5 * gsz, 3);
    // A level-2 block (every granule allows them) in the upper half.
    unsigned sh2 = b.level_shift(2);
    if (p.start <= 2 && p.ia >= sh2 + 2)
        add(top_ia >> 1, top_oa >> 2, 2);
    // A level-1 block where permitted: 4K, or 64K with FEAT_LPA (OAS 52).
    unsigned sh1 = b.level_shift(1);
    bool l1_ok = p.gran == 12 || (p.gran == 16 && p.oa == 52);
    if (l1_ok && p.start <= 1 && p.ia >= sh1 + 2 && p.oa > sh1)
        add(top_ia >> 2, top_oa - (1ull << sh1), 1);
    if (HasFatalFailure())
        return;

    for (auto &m : maps) {
        uint64_t size = 1ull << b.level_shift(m.level);
        check_mapping(e, b, m, 0);
        check_mapping(e, b, m, size - 1);
        check_mapping(e, b, m, (size >> 1) + 8);
    }

    // Unmapped neighbour page: F_TRANSLATION at level 3 (R_DYNYQ).
    if (gsz != top_ia - gsz) {
        smmu_walk_cfg_t c = b.cfg();
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        EXPECT_EQ(walk_uncached(e.s, &c, nullptr, gsz, &o), SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(o.level, 3);
    }
    // Just beyond the input size: F_TRANSLATION (R_VZZSZ), no read.
    {
        smmu_walk_cfg_t c = b.cfg();
        smmu_walk_out_t o;
        std::memset(&o, 0, sizeof o);
        uint64_t before = e.s->stats.tt_reads;
        EXPECT_EQ(walk_uncached(e.s, &c, nullptr, top_ia, &o), SMMU_EVT_F_TRANSLATION);
        EXPECT_EQ(e.s->stats.tt_reads, before);
    }
}

INSTANTIATE_TEST_SUITE_P(AllShapes, WalkSweep, ::testing::ValuesIn(all_cases()),
                         [](const ::testing::TestParamInfo<SweepCase> &i) {
                             return case_name(i.param);
                         });

// ---------------------------------------------------------------------------
// Random mappings, reproducible from the printed seed.
// ---------------------------------------------------------------------------
uint64_t pick_seed()
{
    if (const char *e = std::getenv("SMMU_WALK_SEED"))
        return std::strtoull(e, nullptr, 0);
    std::random_device rd;
    return (uint64_t(rd()) << 32) ^ rd();
}

// Levels at which a leaf is architecturally allowed (D8.3, BlockDescSupported).
bool leaf_allowed(unsigned g, unsigned level, bool lpa)
{
    if (level == 3 || level == 2)
        return true;
    if (level == 1)
        return g == 12 || (g == 16 && lpa);
    return false;
}

TEST(WalkRandom, D8_2_RandomMappingsTranslateExactly)
{
    const uint64_t seed = pick_seed();
    std::ostringstream st;
    st << "seed=" << seed << " (rerun with SMMU_WALK_SEED=" << seed << ")";
    SCOPED_TRACE(st.str());
    std::cout << "[ WalkRandom ] " << st.str() << std::endl;
    RecordProperty("seed", std::to_string(seed));
    std::mt19937_64 rng(seed);
    auto rnd = [&](uint64_t n) { return n ? rng() % n : 0; };

    for (int iter = 0; iter < 40; iter++) {
        const unsigned grans[3] = {12, 14, 16};
        unsigned g = grans[rnd(3)];
        unsigned stage = unsigned(1 + rnd(2));
        unsigned ia = unsigned(min_ia(g) + rnd(max_ia(g) - min_ia(g) + 1));
        auto oas = oa_sizes(g);
        unsigned oa = oas[rnd(oas.size())];
        unsigned start;
        if (stage == 1) {
            start = PtBuilder::s1_start_level(g, ia);
        } else {
            auto sls = PtBuilder::s2_start_levels(g, ia);
            start = sls[rnd(sls.size())];
        }
        bool be = rnd(2);
        std::ostringstream cs;
        cs << "iter " << iter << ": " << case_name({stage, g, ia, oa, start}) << (be ? " BE" : "");
        SCOPED_TRACE(cs.str());

        Env e(oa);
        ASSERT_NE(e.s, nullptr);
        PtBuilder b(e.mem, stage, g, ia, oa, kTab, int(start), be);
        std::vector<Mapping> maps;
        for (int n = 0; n < 48; n++) {
            unsigned lvl = unsigned(start + rnd(4 - start));
            if (!leaf_allowed(g, lvl, oa == 52))
                lvl = 3;
            unsigned sh = b.level_shift(lvl);
            if (sh >= ia || sh >= oa)
                continue;
            uint64_t mia = (rng() & ((1ull << ia) - 1)) & ~((1ull << sh) - 1);
            uint64_t moa = (rng() & ((1ull << oa) - 1)) & ~((1ull << sh) - 1);
            // Keep the output clear of nothing in particular: the walker
            // never touches the OA, so any in-range value is fine.
            uint64_t attrs = attrs_for(stage);
            if (!b.map(mia, moa, lvl, attrs))
                continue; // overlaps an earlier mapping
            maps.push_back({mia, moa, lvl, b.last_desc()});
        }
        ASSERT_FALSE(maps.empty());
        for (auto &m : maps) {
            uint64_t size = 1ull << b.level_shift(m.level);
            check_mapping(e, b, m, rnd(size));
        }
        // Random probes: mapped ones translate, unmapped ones fault at the
        // level of the first invalid descriptor.
        for (int n = 0; n < 32; n++) {
            uint64_t x = rng() & ((1ull << ia) - 1);
            const Mapping *hit = nullptr;
            for (auto &m : maps)
                if (x - m.ia < (1ull << b.level_shift(m.level)))
                    hit = &m;
            if (hit) {
                check_mapping(e, b, *hit, x - hit->ia);
                continue;
            }
            int lvl = b.probe(x);
            ASSERT_GE(lvl, 0) << "builder/oracle disagreement";
            smmu_walk_cfg_t c = b.cfg();
            smmu_walk_out_t o;
            std::memset(&o, 0, sizeof o);
            std::ostringstream xs;
            xs << "unmapped ia 0x" << std::hex << x;
            SCOPED_TRACE(xs.str());
            EXPECT_EQ(walk_uncached(e.s, &c, nullptr, x, &o), SMMU_EVT_F_TRANSLATION);
            EXPECT_EQ(o.level, unsigned(lvl));
        }
        if (HasFailure())
            return; // one failing configuration is enough to report
    }
}

// ---------------------------------------------------------------------------
// The common-walk fast path (walk.c walk_fast, docs/architecture.md): with
// the tables in the direct memory window every walk must give exactly what
// the general walker gives through ops.read -- result, level, OA, leaf,
// table attributes, descriptor address and statistics -- for successes and
// for every fault (invalid descriptor, AF == 0 with and without AFFD,
// D8.3/D8.5), for either byte order, and with a window that holds only some
// of the tables. Seeded (SMMU_WALK_SEED reproduces).
// ---------------------------------------------------------------------------
struct WalkResult {
    int r;
    smmu_walk_out_t o;
    uint64_t reads, walks;
};

WalkResult walk_once(Env &e, const smmu_walk_cfg_t &c, uint64_t x)
{
    WalkResult w;
    std::memset(&w, 0, sizeof w);
    uint64_t r0 = e.s->stats.tt_reads, w0 = e.s->stats.walks_s1 + e.s->stats.walks_s2;
    w.r = walk_uncached(e.s, &c, nullptr, x, &w.o);
    w.reads = e.s->stats.tt_reads - r0;
    w.walks = e.s->stats.walks_s1 + e.s->stats.walks_s2 - w0;
    return w;
}

TEST(WalkFast, D8_2_DirectWindowWalkEqualsGeneralWalker)
{
    const uint64_t seed = pick_seed();
    std::ostringstream st;
    st << "seed=" << seed << " (rerun with SMMU_WALK_SEED=" << seed << ")";
    SCOPED_TRACE(st.str());
    std::cout << "[ WalkFast ] " << st.str() << std::endl;
    std::mt19937_64 rng(seed);
    auto rnd = [&](uint64_t n) { return n ? rng() % n : 0; };

    for (int iter = 0; iter < 30; iter++) {
        const unsigned grans[3] = {12, 14, 16};
        unsigned g = grans[rnd(3)];
        unsigned stage = unsigned(1 + rnd(2));
        unsigned ia = unsigned(min_ia(g) + rnd(max_ia(g) - min_ia(g) + 1));
        auto oas = oa_sizes(g);
        unsigned oa = oas[rnd(oas.size())];
        unsigned start = stage == 1 ? PtBuilder::s1_start_level(g, ia)
                                    : PtBuilder::s2_start_levels(g, ia)[0];
        bool be = rnd(4) == 0;
        std::ostringstream cs;
        cs << "iter " << iter << ": " << case_name({stage, g, ia, oa, start}) << (be ? " BE" : "");
        SCOPED_TRACE(cs.str());

        Env e(oa);
        ASSERT_NE(e.s, nullptr);
        PtBuilder b(e.mem, stage, g, ia, oa, kTab, int(start), be);
        std::vector<uint64_t> probes;
        for (int n = 0; n < 48; n++) {
            unsigned lvl = unsigned(start + rnd(4 - start));
            if (!leaf_allowed(g, lvl, oa == 52))
                lvl = 3;
            unsigned sh = b.level_shift(lvl);
            if (sh >= ia || sh >= oa)
                continue;
            uint64_t mia = (rng() & ((1ull << ia) - 1)) & ~((1ull << sh) - 1);
            uint64_t moa = (rng() & ((1ull << oa) - 1)) & ~((1ull << sh) - 1);
            uint64_t attrs;
            if (stage == 1) {
                S1Attrs a;
                a.af = rnd(4) != 0;
                a.ap = uint8_t(rnd(4));
                a.ng = uint8_t(rnd(2));
                attrs = a.bits();
            } else {
                S2Attrs a;
                a.af = rnd(4) != 0;
                a.s2ap = uint8_t(rnd(4));
                attrs = a.bits();
            }
            if (b.map(mia, moa, lvl, attrs))
                probes.push_back(mia + rnd(1ull << sh));
        }
        for (int n = 0; n < 32; n++)
            probes.push_back(rng() & ((1ull << ia) - 1));
        probes.push_back(1ull << ia); // beyond the input size

        smmu_walk_cfg_t c = b.cfg();
        c.affd = uint8_t(rnd(2));
        std::vector<WalkResult> ref;
        for (uint64_t x : probes)
            ref.push_back(walk_once(e, c, x));

        // The tables as a host array: all of them, or the first half only.
        uint64_t lo = kTab + b.pa_delta(), len = b.alloc_next() - kTab;
        if (rnd(3) == 0)
            len = (len / 2 + 7) & ~7ull;
        std::vector<uint8_t> host(len);
        e.mem.read(lo, host.data(), host.size());
        ASSERT_EQ(smmu_set_direct_memory(e.s, lo, host.data(), host.size()), SMMU_OK);
        for (size_t i = 0; i < probes.size(); i++) {
            WalkResult w = walk_once(e, c, probes[i]);
            const WalkResult &rf = ref[i];
            std::ostringstream xs;
            xs << "ia 0x" << std::hex << probes[i];
            SCOPED_TRACE(xs.str());
            EXPECT_EQ(w.r, rf.r);
            EXPECT_EQ(w.o.fault, rf.o.fault);
            EXPECT_EQ(w.o.level, rf.o.level);
            EXPECT_EQ(w.o.fetch_addr, rf.o.fetch_addr);
            EXPECT_EQ(w.reads, rf.reads);
            EXPECT_EQ(w.walks, rf.walks);
            if (rf.r == 0) {
                EXPECT_EQ(w.o.oa, rf.o.oa);
                EXPECT_EQ(w.o.desc, rf.o.desc);
                EXPECT_EQ(w.o.size_shift, rf.o.size_shift);
                EXPECT_EQ(w.o.desc_pa, rf.o.desc_pa);
                EXPECT_EQ(w.o.desc_ipa, rf.o.desc_ipa);
                EXPECT_EQ(w.o.desc_s2, rf.o.desc_s2);
                EXPECT_EQ(w.o.ap_table, rf.o.ap_table);
                EXPECT_EQ(w.o.uxn_table, rf.o.uxn_table);
                EXPECT_EQ(w.o.pxn_table, rf.o.pxn_table);
                EXPECT_EQ(w.o.ns_table, rf.o.ns_table);
                EXPECT_EQ(w.o.af_updated, rf.o.af_updated);
            }
        }
        if (HasFailure())
            return;
    }
}

} // namespace
} // namespace smmutest

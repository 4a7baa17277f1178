// SPDX-License-Identifier: Apache-2.0
// The stream-context TLB-hit fast path (csrc/src/streamctx.h, translate.c
// tlbhit_try / ctx_build) must give exactly the answer of the whole
// translation procedure (3.3): response bytes, event records, descriptor
// updates and statistics.
//
// Every test runs two SMMU instances over two memories built the same way:
//   fast: the instance under test (configuration cache and TLB on, so the
//         fast path engages after a micro-TLB miss);
//   ref:  the reference, which rewrites SMMU_IRQ_CTRL with its own value
//         before every translation. That write changes no translation but
//         moves the micro-TLB generation (smmu_mmio_write), which makes
//         every stream context stale, so the reference always takes the
//         full path (asserted: its fast-path counter never moves).
// Each request goes to both; the whole smmu_response_t (poisoned with
// different bytes beforehand), the event records and the statistics
// deltas must be equal. Directed tests also assert the exact expected
// outcome (PA, perms, page, attributes, record words) and whether the
// fast path answered. All tests run with the micro-TLB off and on
// (suffix UtlbOff / UtlbOn). With the micro-TLB on, a request whose
// ignored SubstreamID (SSV = 0) differs from the one that filled a
// micro-TLB slot misses it (utlb.h) and reaches the fast path; the
// reference's micro-TLB never hits (its generation moves), so a fast
// micro-TLB hit is compared with a full-path TLB hit (see Pair::tx).
#include <cinttypes>
#include <cstdio>
#include <cstring>
#include <functional>
#include <memory>
#include <random>
#include <string>
#include <vector>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/record.h"

extern "C" {
#include "smmu/smmu_cmd.h"
#include "smmu_internal.h" // fast_hits: did the fast path answer (white box)
}

namespace smmutest {
namespace {

constexpr uint64_t kCdArea = 0x0080'0000;
constexpr uint64_t kS1Tables = 0x0200'0000;  // stage 1, TTB0 (region 0)
constexpr uint64_t kS1Tables1 = 0x0280'0000; // stage 1, TTB1 (region 1)
constexpr uint64_t kS1TablesB = 0x0300'0000; // a second stage-1 table set
constexpr uint64_t kS2Tables = 0x0400'0000;  // stage 2 of the stage-2-only streams
constexpr uint64_t kS2TablesN = 0x0600'0000; // stage 2 of the nested streams
constexpr uint64_t kRegion1 = 0xFFFF'0000'0000'0000ull; // VA[63:48] all ones
constexpr uint64_t kIaMask = (1ull << 48) - 1;

uint64_t fast_hits_of(const smmu_t *s) { return s->fast_hits[0] + s->fast_hits[1]; }

// Field name of word i of smmu_stats_t (every member is a uint64_t).
std::string stat_name(size_t i)
{
#define F(m) {offsetof(smmu_stats_t, m) / 8, #m}
    static const std::pair<size_t, const char *> names[] = {
        F(translations), F(translated_ok), F(aborted), F(razwi), F(bypassed), F(walks_s1),
        F(walks_s2), F(tt_reads), F(ste_fetches), F(cd_fetches), F(cfg_cache_hits),
        F(cfg_cache_misses), F(utlb_hits), F(tlb_hits), F(tlb_misses), F(tlb_inserts),
        F(tlb_invalidated), F(walk_cache_hits), F(events_raised), F(events_recorded),
        F(events_dropped_disabled), F(events_dropped_full), F(commands), F(cerrors),
        F(mem_reads), F(mem_writes), F(httu_updates)};
#undef F
    for (auto &n : names)
        if (n.first == i)
            return n.second;
    const size_t op0 = offsetof(smmu_stats_t, cmd_by_opcode) / 8;
    if (i >= op0 && i < op0 + 256)
        return "cmd_by_opcode[" + std::to_string(i - op0) + "]";
    return "word" + std::to_string(i);
}

constexpr size_t kStatWords = sizeof(smmu_stats_t) / 8;
static_assert(sizeof(smmu_stats_t) % 8 == 0, "smmu_stats_t: uint64_t members only");
using StatVec = std::vector<uint64_t>;

std::string resp_str(const smmu_response_t &r)
{
    char b[320];
    snprintf(b, sizeof b,
             "outcome %u event 0x%x recorded %u perms 0x%x memattr 0x%02x sh %u ns %u ats %u "
             "stag %u cls %u cause %u atsf %u res1 %u pa 0x%" PRIx64 " base 0x%" PRIx64
             " size 0x%" PRIx64 " cycle %" PRIu64,
             r.outcome, r.event, r.recorded, r.perms, r.memattr, r.sh, r.ns, r.ats_status, r.stag,
             r.cls, r.cause, r.ats_flags, r.reserved1, r.pa, r.page_base, r.page_size,
             r.done_cycle);
    return b;
}

Cmd enc(smmu_cmd_t c)
{
    uint64_t o[2] = {0, 0};
    EXPECT_EQ(smmu_cmd_encode(&c, o), 0) << "opcode " << unsigned(c.opcode);
    return {o[0], o[1]};
}
Cmd cfgi_cd(uint32_t sid, uint32_t ssid)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_CFGI_CD;
    c.sid = sid;
    c.ssid = ssid;
    c.leaf = 1;
    return enc(c);
}
Cmd tlbi_nh_va(uint16_t vmid, uint16_t asid, uint64_t va)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_NH_VA;
    c.vmid = vmid;
    c.asid = asid;
    c.addr = va;
    c.leaf = 1;
    return enc(c);
}
Cmd tlbi_nh_vaa(uint16_t vmid, uint64_t va)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_NH_VAA;
    c.vmid = vmid;
    c.addr = va;
    c.leaf = 1;
    return enc(c);
}
Cmd tlbi_s2_ipa(uint16_t vmid, uint64_t ipa)
{
    smmu_cmd_t c{};
    c.opcode = SMMU_CMD_TLBI_S2_IPA;
    c.vmid = vmid;
    c.addr = ipa;
    c.leaf = 1;
    return enc(c);
}

// A request (smmu_request_t) built fluently.
struct Rq {
    smmu_request_t r{};
    Rq(uint32_t sid, uint64_t addr)
    {
        r.sid = sid;
        r.addr = addr;
        r.size = 4;
    }
    Rq &w(uint8_t v = 1) { r.write = v; return *this; }
    Rq &x(uint8_t v = 1) { r.instr = v; return *this; }
    Rq &p(uint8_t v = 1) { r.priv = v; return *this; }
    Rq &pcie(uint8_t v = 1) { r.pcie = v; return *this; }
    // The SubstreamID field of a request without SSV: ignored by the
    // translation, part of the micro-TLB's stream word (utlb.h).
    Rq &noise(uint32_t ssid) { r.ssid = ssid; return *this; }
    Rq &substream(uint32_t ssid) { r.ssv = 1; r.ssid = ssid; return *this; }
    Rq &cycle(uint64_t c) { r.cycle = c; return *this; }
};

// One SMMU instance over its own memory: SmmuTest's driver helpers used
// outside a gtest test body.
class Env : public SmmuTest {
  public:
    Env(std::function<void(smmu_config_t &)> conf, bool ref) : conf_(std::move(conf)), ref_(ref) {}
    ~Env() override { SmmuTest::TearDown(); }
    void TestBody() override {}
    void start()
    {
        SmmuTest::SetUp();
        boot();
    }
    smmu_t *dev() { return smmu; }
    SimMem &memory() { return mem; }

    PtBuilder s1pt{mem, 1, 12, 48, 48, kS1Tables};
    PtBuilder s1pt1{mem, 1, 12, 48, 48, kS1Tables1};
    PtBuilder s1ptb{mem, 1, 12, 48, 48, kS1TablesB};
    PtBuilder s2pt{mem, 2, 12, 48, 48, kS2Tables, 0};
    PtBuilder s2ptn{mem, 2, 12, 48, 48, kS2TablesN, 0};

    static uint64_t cd_addr(uint32_t sid) { return kCdArea + sid * 0x1000ull; }
    void put_cd(uint32_t sid, const Cd &cd, uint32_t index = 0)
    {
        Words8 w = cd.build();
        for (int i = 0; i < 8; i++)
            mem.write64(cd_addr(sid) + 64ull * index + 8 * i, w[i]);
    }
    void put_ste(uint32_t sid, const Ste &ste) { write_ste(sid, ste.build()); }
    void cmds(std::vector<Cmd> c)
    {
        c.push_back(cmd_sync());
        submit(c);
        EXPECT_EQ(cmdq_cons_err(), 0u);
        EXPECT_EQ(rd(SMMU_CMDQ_CONS) & 0xFFFFF, rd(SMMU_CMDQ_PROD) & 0xFFFFF);
    }
    void install(uint32_t sid, const Ste &ste)
    {
        put_ste(sid, ste);
        cmds({cmd_cfgi_ste(sid)});
    }
    smmu_response_t translate(const smmu_request_t &rq)
    {
        if (ref_) { // moves the micro-TLB generation: no stream context is current
            uint64_t v = rd(SMMU_IRQ_CTRL);
            wr(SMMU_IRQ_CTRL, v);
        }
        smmu_response_t rs;
        memset(&rs, ref_ ? 0x5A : 0xA5, sizeof rs);
        EXPECT_EQ(smmu_translate(smmu, &rq, &rs), SMMU_OK);
        return rs;
    }
    StatVec stats()
    {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        StatVec v(kStatWords);
        memcpy(v.data(), &st, sizeof st);
        return v;
    }
    std::vector<Record> take_events() { return events(); }
    void reg_write(uint64_t off, uint64_t v) { wr(off, v); }
    uint64_t reg_read(uint64_t off) { return rd(off); }

  protected:
    void configure(smmu_config_t &c) override { conf_(c); }

  private:
    std::function<void(smmu_config_t &)> conf_;
    bool ref_;
};

// What one request gave (the fast instance's view; the reference agreed).
struct Out {
    smmu_response_t r;
    std::vector<Record> ev;
    bool fast = false; // answered by the stream-context fast path
    bool utlb = false; // answered by the micro-TLB
};

// Parameter: micro-TLB entries (0: off).
class StreamCtx : public ::testing::TestWithParam<uint32_t> {
  protected:
    std::unique_ptr<Env> fast, ref;
    uint32_t noise_ = 0x100;

    // Instance configuration beyond smmu_config_default(SMMU_ARCH_V3_2).
    virtual void conf(smmu_config_t &c)
    {
        c.e0pd = 1;
        c.httu = 2;
        c.attr_perms_ovr = 1;
    }
    void SetUp() override { make(); }
    void make(std::function<void(smmu_config_t &)> extra = nullptr)
    {
        auto f = [this, extra](smmu_config_t &c) {
            conf(c);
            c.utlb_entries = GetParam();
            if (extra)
                extra(c);
        };
        fast = std::make_unique<Env>(f, false);
        ref = std::make_unique<Env>(f, true);
        fast->start();
        ref->start();
    }
    bool utlb_on() const { return GetParam() != 0; }
    template <class Fn> void both(Fn fn)
    {
        fn(*fast);
        fn(*ref);
    }
    void cmds(const std::vector<Cmd> &c)
    {
        both([&](Env &e) { e.cmds(c); });
    }

    // Translate on both instances and compare everything.
    Out tx(const smmu_request_t &rq)
    {
        char what[160];
        snprintf(what, sizeof what, "sid %u addr 0x%" PRIx64 " w %u x %u p %u pcie %u ssv %u ssid %u",
                 rq.sid, rq.addr, rq.write, rq.instr, rq.priv, rq.pcie, rq.ssv, rq.ssid);
        SCOPED_TRACE(what);
        StatVec f0 = fast->stats(), r0 = ref->stats();
        uint64_t fh0 = fast_hits_of(fast->dev()), rh0 = fast_hits_of(ref->dev());
        Out o;
        o.r = fast->translate(rq);
        smmu_response_t rr = ref->translate(rq);
        EXPECT_EQ(memcmp(&o.r, &rr, sizeof rr), 0) << "\n fast: " << resp_str(o.r)
                                                   << "\n full: " << resp_str(rr);
        o.ev = fast->take_events();
        std::vector<Record> er = ref->take_events();
        EXPECT_EQ(o.ev.size(), er.size());
        for (size_t i = 0; i < o.ev.size() && i < er.size(); i++)
            EXPECT_EQ(hex(o.ev[i]), hex(er[i])) << "record " << i;
        StatVec f1 = fast->stats(), r1 = ref->stats();
        EXPECT_EQ(fast_hits_of(ref->dev()), rh0) << "the reference took the fast path";
        o.fast = fast_hits_of(fast->dev()) != fh0;
        const size_t U = offsetof(smmu_stats_t, utlb_hits) / 8;
        o.utlb = f1[U] != f0[U];
        EXPECT_EQ(r1[U], r0[U]) << "the reference hit its micro-TLB";
        if (o.utlb) {
            // A micro-TLB hit counts a successful translation only; the
            // full path counts a TLB hit and its configuration cache hits.
            const size_t T = offsetof(smmu_stats_t, translations) / 8,
                         OK = offsetof(smmu_stats_t, translated_ok) / 8,
                         H = offsetof(smmu_stats_t, tlb_hits) / 8,
                         C = offsetof(smmu_stats_t, cfg_cache_hits) / 8;
            for (size_t i = 0; i < kStatWords; i++) {
                uint64_t df = f1[i] - f0[i], dr = r1[i] - r0[i];
                uint64_t wf = (i == T || i == OK || i == U) ? 1 : 0;
                EXPECT_EQ(df, wf) << "fast micro-TLB hit, stats." << stat_name(i);
                if (i == C)
                    EXPECT_TRUE(dr == 1 || dr == 2) << "full path, stats." << stat_name(i) << " " << dr;
                else
                    EXPECT_EQ(dr, (i == T || i == OK || i == H) ? 1u : 0u)
                        << "full path where the fast instance hit its micro-TLB, stats."
                        << stat_name(i);
            }
        } else {
            for (size_t i = 0; i < kStatWords; i++)
                EXPECT_EQ(f1[i] - f0[i], r1[i] - r0[i]) << "stats." << stat_name(i);
        }
        return o;
    }
    // A request that misses the micro-TLB (fresh ignored SubstreamID),
    // so that the fast path is asked.
    Out tx_miss_utlb(Rq q) { return tx(q.noise(noise_++).r); }

    // ---- common stream set-ups (both instances) ----
    static Cd cd_s1(uint64_t ttb0, unsigned asid)
    {
        return Cd().t0sz(16).tg0_4k().ttb0(ttb0).ips(5).asid(asid).mair(0x0000'00FF'44'04'FFull);
    }
    void s1_stream(uint32_t sid, const Cd &cd, Ste ste = Ste().s1())
    {
        both([&](Env &e) {
            e.put_cd(sid, cd);
            e.install(sid, ste.ctx(Env::cd_addr(sid)));
        });
    }
    Ste s2_ste(uint64_t ttb, unsigned vmid) const
    {
        return Ste().s2().vmid(vmid).s2t0sz(16).s2sl0(2).s2tg4k().s2ps(5).s2ttb(ttb).s2r();
    }
    void expect_ok(const Out &o, uint64_t pa, unsigned perms, uint64_t base, uint64_t size,
                   unsigned memattr, unsigned sh)
    {
        EXPECT_EQ(o.r.outcome, SMMU_XLATE_OK) << resp_str(o.r);
        EXPECT_EQ(o.r.event, 0u);
        EXPECT_EQ(o.r.pa, pa);
        EXPECT_EQ(o.r.perms, perms);
        EXPECT_EQ(o.r.page_base, base);
        EXPECT_EQ(o.r.page_size, size);
        EXPECT_EQ(o.r.memattr, memattr);
        EXPECT_EQ(o.r.sh, sh);
        EXPECT_EQ(o.r.ns, 1u);
        EXPECT_EQ(o.r.cls, SMMU_CLS_TRANSLATED);
        EXPECT_TRUE(o.ev.empty());
    }
    void expect_fault(const Out &o, const Rec &want)
    {
        EXPECT_EQ(o.r.outcome, SMMU_XLATE_ABORT) << resp_str(o.r);
        EXPECT_EQ(o.r.event, want.type);
        ASSERT_EQ(o.ev.size(), 1u);
        EXPECT_EQ(hex(o.ev[0]), hex(want.words()));
        EXPECT_FALSE(o.fast);
    }
    static Rec rec(uint8_t type, uint32_t sid, uint64_t in, bool write = false, bool priv = false,
                   bool instr = false)
    {
        Rec w;
        w.type = type;
        w.sid = sid;
        w.cls = SMMU_CLASS_IN;
        w.input = in;
        w.rnw = !write;
        w.pnu = priv;
        w.ind = instr && !write;
        return w;
    }
    // Stats words of the fast instance.
    uint64_t fstat(size_t off) { return fast->stats()[off / 8]; }
};

#define STAT(m) offsetof(smmu_stats_t, m)
constexpr unsigned RW = SMMU_PERM_R | SMMU_PERM_W, RWX = RW | SMMU_PERM_X,
                   RX = SMMU_PERM_R | SMMU_PERM_X;

S1Attrs s1a(uint8_t ap, uint8_t ng = 1)
{
    S1Attrs a;
    a.ap = ap;
    a.ng = ng;
    return a;
}

// ---- The basic hit: exact answer and statistics (3.3, 3.17) --------------
TEST_P(StreamCtx, SecondS1Translation_FastHit_ExactAnswerAndStats_3_3)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8765'4000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3));
    Out a = tx(Rq(1, 0x4000'0010).r);
    EXPECT_FALSE(a.fast);
    expect_ok(a, 0x8765'4010, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    StatVec s0 = fast->stats();
    Out b = tx_miss_utlb(Rq(1, 0x4000'0ABC).w().cycle(77));
    EXPECT_TRUE(b.fast);
    expect_ok(b, 0x8765'4ABC, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_EQ(b.r.done_cycle, 77u);
    StatVec s1 = fast->stats();
    EXPECT_EQ(s1[STAT(translations) / 8] - s0[STAT(translations) / 8], 1u);
    EXPECT_EQ(s1[STAT(translated_ok) / 8] - s0[STAT(translated_ok) / 8], 1u);
    EXPECT_EQ(s1[STAT(tlb_hits) / 8] - s0[STAT(tlb_hits) / 8], 1u);
    EXPECT_EQ(s1[STAT(cfg_cache_hits) / 8] - s0[STAT(cfg_cache_hits) / 8], 2u); // STE + CD
    EXPECT_EQ(s1[STAT(walks_s1) / 8] - s0[STAT(walks_s1) / 8], 0u);
    // The same request again: the micro-TLB filled by the fast hit, or
    // the fast path once more.
    Out c = tx(Rq(1, 0x4000'0ABC).w().noise(noise_ - 1).cycle(77).r);
    EXPECT_EQ(c.utlb, utlb_on());
    EXPECT_EQ(c.fast, !utlb_on());
    expect_ok(c, 0x8765'4ABC, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
}

// ---- 3.4.1 TBI: the tag (top byte) is ignored, VA[55] selects the region --
TEST_P(StreamCtx, Tbi1_Region1TaggedAddress_FastHitSamePage_3_4_1)
{
    S1Attrs a = s1a(1);
    a.attr_indx = 1; // MAIR byte 1: 0x04
    both([&](Env &e) { ASSERT_TRUE(e.s1pt1.map_s1(0x8000'1234'5000ull, 0x9000'0000, 3, a)); });
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3).epd1(false).t1sz(16).tg1_4k().ttb1(kS1Tables1).tbi1());
    const uint64_t va = 0xFFFF'8000'1234'5000ull;
    Out f = tx(Rq(1, (va & ~(0xFFull << 56)) | 0xAB00'0000'0000'0000ull | 0x10).r);
    expect_ok(f, 0x9000'0010, RWX, 0xABFF'8000'1234'5000ull, 0x1000, 0x04, 3);
    const uint64_t tagged = (va & ~(0xFFull << 56)) | 0x1200'0000'0000'0000ull | 0x678;
    Out h = tx_miss_utlb(Rq(1, tagged));
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x9000'0678, RWX, 0x12FF'8000'1234'5000ull, 0x1000, 0x04, 3);
    // Region 0 has no TBI0: a tag there is outside the range (F_TRANSLATION).
    Out z = tx(Rq(1, 0x4000'0000).r);
    expect_ok(z, 0x8000'0000, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    Out t = tx_miss_utlb(Rq(1, 0x3400'0000'4000'0008ull));
    expect_fault(t, rec(SMMU_EVT_F_TRANSLATION, 1, 0x3400'0000'4000'0008ull));
}

TEST_P(StreamCtx, Tbi0_Region0TaggedAddress_FastHit_3_4_1)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3).tbi0());
    Out f = tx(Rq(1, 0x5A00'0000'4000'0010ull).r);
    expect_ok(f, 0x8000'0010, RWX, 0x5A00'0000'4000'0000ull, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(1, 0x7F00'0000'4000'0FF8ull).p());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x8000'0FF8, RW, 0x7F00'0000'4000'0000ull, 0x1000, 0xFF, 3); // EL0-writable: PXN
    Out u = tx_miss_utlb(Rq(1, 0x0000'0000'4000'0004ull));
    EXPECT_TRUE(u.fast);
    expect_ok(u, 0x8000'0004, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    // Bit 55 set with a region-0 tag: region 1, disabled by EPD1 (7.3.13).
    Out d = tx_miss_utlb(Rq(1, 0x0080'0000'4000'0000ull));
    expect_fault(d, rec(SMMU_EVT_F_TRANSLATION, 1, 0x0080'0000'4000'0000ull));
}

// ---- 3.4.1: an input outside the T0SZ range after a hit ------------------
TEST_P(StreamCtx, OutsideT0szAfterHit_FTranslationExactRecord_3_4_1)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(2, cd_s1(kS1Tables, 3).t0sz(20)); // 44-bit region 0
    // T0SZ 20: 4 levels still start at level 0 for 44 bits; the builder's
    // 48-bit tables resolve the same VA (index bits above 43 are 0).
    Out f = tx(Rq(2, 0x4000'0010).r);
    expect_ok(f, 0x8000'0010, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(2, 0x4000'0020));
    EXPECT_TRUE(h.fast);
    Out o = tx_miss_utlb(Rq(2, 0x0000'1000'4000'0000ull).w().p()); // VA[44] set
    expect_fault(o, rec(SMMU_EVT_F_TRANSLATION, 2, 0x0000'1000'4000'0000ull, true, true));
    Out o2 = tx_miss_utlb(Rq(2, 0x0100'0000'4000'0000ull).x()); // tag without TBI0
    expect_fault(o2, rec(SMMU_EVT_F_TRANSLATION, 2, 0x0100'0000'4000'0000ull, false, false, true));
}

// ---- 5.4 EPD1: region 1 disabled -----------------------------------------
TEST_P(StreamCtx, Epd1Region_AfterRegion0Hit_FTranslation_5_4)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1pt1.map_s1(0x8000'4000'0000ull, 0x9000'0000, 3, s1a(1)));
    });
    // TTB1 points at valid tables, but EPD1 = 1 (Cd() default).
    s1_stream(1, cd_s1(kS1Tables, 3).t1sz(16).tg1_4k().ttb1(kS1Tables1));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0040)).fast);
    Out d = tx_miss_utlb(Rq(1, 0xFFFF'8000'4000'0000ull));
    expect_fault(d, rec(SMMU_EVT_F_TRANSLATION, 1, 0xFFFF'8000'4000'0000ull));
}

// ---- 5.4 E0PD0: unprivileged access faults though the TLB holds it --------
TEST_P(StreamCtx, E0pd0_UnprivAfterPrivFill_FTranslation_5_4)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3).e0pd0());
    Out f = tx(Rq(1, 0x4000'0000).p().r);
    // AP 01 (EL0 writable): privileged execute-never implied (Arm ARM D8.4.1.2).
    expect_ok(f, 0x8000'0000, RW, 0x4000'0000, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(1, 0x4000'0100).p().w());
    EXPECT_TRUE(h.fast);
    Out u = tx_miss_utlb(Rq(1, 0x4000'0200));
    expect_fault(u, rec(SMMU_EVT_F_TRANSLATION, 1, 0x4000'0200));
    // PCIe without PASID is unprivileged (13.7): also F_TRANSLATION.
    Out pc = tx_miss_utlb(Rq(1, 0x4000'0300).p().pcie());
    expect_fault(pc, rec(SMMU_EVT_F_TRANSLATION, 1, 0x4000'0300));
    // The privileged access still hits after the faults.
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0400).p()).fast);
}

// ---- 5.2 STE.PRIVCFG / INSTCFG overrides --------------------------------
TEST_P(StreamCtx, Privcfg11_UnprivRequestGetsPrivilegedPerms_5_2)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(0))); });
    s1_stream(1, cd_s1(kS1Tables, 3).e0pd0(), Ste().s1().privcfg(3));
    tx(Rq(1, 0x4000'0000).r);
    Out h = tx_miss_utlb(Rq(1, 0x4000'0010).w());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x8000'0010, RWX, 0x4000'0000, 0x1000, 0xFF, 3); // AP 00: EL1 RW, PXN 0
    Out pc = tx_miss_utlb(Rq(1, 0x4000'0020).pcie()); // 13.7 then PRIVCFG: privileged
    EXPECT_TRUE(pc.fast);
    expect_ok(pc, 0x8000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
}

TEST_P(StreamCtx, Privcfg10_PrivFetchIsUnprivileged_UxnFaults_5_2)
{
    S1Attrs a = s1a(3); // read-only at both ELs
    a.uxn = 1;          // not executable unprivileged; PXN 0
    both([&](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a)); });
    s1_stream(1, cd_s1(kS1Tables, 3), Ste().s1().privcfg(2));
    Out f = tx(Rq(1, 0x4000'0000).p().r);
    expect_ok(f, 0x8000'0000, SMMU_PERM_R, 0x4000'0000, 0x1000, 0xFF, 3); // EL0's perms
    Out h = tx_miss_utlb(Rq(1, 0x4000'0008).p());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x8000'0008, SMMU_PERM_R, 0x4000'0000, 0x1000, 0xFF, 3);
    Out d = tx_miss_utlb(Rq(1, 0x4000'0010).p().x());
    expect_fault(d, rec(SMMU_EVT_F_PERMISSION, 1, 0x4000'0010, false, false, true));
}

TEST_P(StreamCtx, Instcfg11_ReadIsInstructionFetch_UxnFaults_5_2)
{
    S1Attrs a = s1a(1);
    a.uxn = 1;
    both([&](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a)); });
    s1_stream(1, cd_s1(kS1Tables, 3), Ste().s1().instcfg(3));
    Out f = tx(Rq(1, 0x4000'0000).w().r); // writes stay data
    expect_ok(f, 0x8000'0000, RW, 0x4000'0000, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(1, 0x4000'0040).w());
    EXPECT_TRUE(h.fast);
    Out d = tx_miss_utlb(Rq(1, 0x4000'0080));
    expect_fault(d, rec(SMMU_EVT_F_PERMISSION, 1, 0x4000'0080, false, false, true));
}

TEST_P(StreamCtx, Instcfg10_FetchIsData_XnPageReadable_5_2)
{
    S1Attrs a = s1a(3);
    a.uxn = 1;
    a.pxn = 1;
    both([&](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a)); });
    s1_stream(1, cd_s1(kS1Tables, 3), Ste().s1().instcfg(2));
    Out f = tx(Rq(1, 0x4000'0000).x().r);
    expect_ok(f, 0x8000'0000, SMMU_PERM_R, 0x4000'0000, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(1, 0x4000'0800).x().p());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x8000'0800, SMMU_PERM_R, 0x4000'0000, 0x1000, 0xFF, 3);
}

// ---- 13.7: PCIe without PASID is Unprivileged Data ------------------------
TEST_P(StreamCtx, PcieNoPasid_UnprivilegedData_AfterPrivFill_13_7)
{
    S1Attrs a = s1a(0); // EL1 RW only
    S1Attrs b = s1a(1);
    b.uxn = 1; // EL0 RW, not EL0-executable
    both([&](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, b));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).p().r);
    tx(Rq(1, 0x4000'1000).p().r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010).p().x()).fast);
    Out d = tx_miss_utlb(Rq(1, 0x4000'0020).p().x().pcie());
    expect_fault(d, rec(SMMU_EVT_F_PERMISSION, 1, 0x4000'0020, false, false, false));
    Out ok = tx_miss_utlb(Rq(1, 0x4000'1030).p().x().pcie()); // fetch => data read
    EXPECT_TRUE(ok.fast);
    expect_ok(ok, 0x8000'1030, RW, 0x4000'1000, 0x1000, 0xFF, 3);
    Out wr = tx_miss_utlb(Rq(1, 0x4000'1040).w().pcie());
    EXPECT_TRUE(wr.fast);
    expect_ok(wr, 0x8000'1040, RW, 0x4000'1000, 0x1000, 0xFF, 3);
}

// ---- 3.13.3: a write to a writable-clean page marks it dirty --------------
TEST_P(StreamCtx, DbmWriteAfterRead_MarksDirty_ExactDescriptor_3_13_3)
{
    S1Attrs a = s1a(3); // AP[2] = 1 (read-only), DBM = 1: writable-clean
    a.dbm = 1;
    uint64_t desc = 0;
    both([&](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, a));
        desc = e.s1pt.last_desc();
    });
    s1_stream(1, cd_s1(kS1Tables, 3).ha().hd());
    Out r = tx(Rq(1, 0x4000'0000).r);
    expect_ok(r, 0x8000'0000, RX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0008)).fast);
    Out w = tx_miss_utlb(Rq(1, 0x4000'0010).w());
    EXPECT_FALSE(w.fast);
    expect_ok(w, 0x8000'0010, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    const uint64_t want = desc & ~(1ull << 7); // AP[2] cleared: writable-dirty
    EXPECT_EQ(fast->s1pt.get_desc(3, 0x4000'0000), want);
    EXPECT_EQ(ref->s1pt.get_desc(3, 0x4000'0000), want);
    Out w2 = tx_miss_utlb(Rq(1, 0x4000'0018).w());
    EXPECT_TRUE(w2.fast);
    expect_ok(w2, 0x8000'0018, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
}

// ---- 7.3.16: a permission fault after a hit -------------------------------
TEST_P(StreamCtx, WriteToReadOnlyAfterHit_FPermissionExactRecord_7_3_16)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(3))); });
    s1_stream(3, cd_s1(kS1Tables, 3));
    tx(Rq(3, 0x4000'0000).r);
    Out d = tx_miss_utlb(Rq(3, 0x4000'0F00).w().p());
    expect_fault(d, rec(SMMU_EVT_F_PERMISSION, 3, 0x4000'0F00, true, true));
    EXPECT_EQ(d.r.outcome, SMMU_XLATE_ABORT);
}

// ---- 3.4: stage-2-only stream, IPA above the IAS -------------------------
TEST_P(StreamCtx, S2Only_IpaAboveIas_FAddrSize_3_4)
{
    S2Attrs a;
    a.s2ap = 3;
    a.memattr = 0xF;
    both([&](Env &e) {
        ASSERT_TRUE(e.s2pt.map_s2(0x4000'0000, 0x9000'0000, 3, a));
        e.install(4, Ste().s2().vmid(5).s2t0sz(16).s2sl0(2).s2tg4k().s2ps(5).s2ttb(e.s2pt.ttb()).s2r());
    });
    Out f = tx(Rq(4, 0x4000'0004).r);
    expect_ok(f, 0x9000'0004, RWX, 0x4000'0000, 0x1000, 0xF, 3);
    Out h = tx_miss_utlb(Rq(4, 0x4000'0FF0).w().x().p());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0x9000'0FF0, RWX, 0x4000'0000, 0x1000, 0xF, 3);
    Out big = tx_miss_utlb(Rq(4, (1ull << 48) | 0x4000'0000));
    expect_fault(big, rec(SMMU_EVT_F_ADDR_SIZE, 4, (1ull << 48) | 0x4000'0000));
    Out top = tx_miss_utlb(Rq(4, 0xFF00'0000'4000'0000ull)); // no TBI at stage 2
    expect_fault(top, rec(SMMU_EVT_F_ADDR_SIZE, 4, 0xFF00'0000'4000'0000ull));
}

// ---- 3.3 nested: stage 1 then stage 2, stage-2 permission fault ----------
class NestedHelp {
  public:
    // Stage 2 of the nested streams: IPA [0, 1GB) identity (CDs and
    // stage-1 tables), IPA 0x1_0000_0000 + n pages to PA 0xA000_0000 + n.
    static void build(Env &e, unsigned vmid, uint32_t sid, uint64_t cd_asid, unsigned s2ap_page1)
    {
        S2Attrs id;
        ASSERT_TRUE(e.s2ptn.map_s2(0, 0, 1, id));
        S2Attrs p0;
        p0.memattr = 0xF;
        ASSERT_TRUE(e.s2ptn.map_s2(0x1'0000'0000ull, 0xA000'0000, 3, p0));
        S2Attrs p1;
        p1.s2ap = uint8_t(s2ap_page1);
        p1.memattr = 0x5;
        ASSERT_TRUE(e.s2ptn.map_s2(0x1'0000'1000ull, 0xA000'1000, 3, p1));
        S1Attrs a;
        a.ap = 1;
        a.ng = 1;
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x1'0000'0000ull, 3, a));
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'1000, 0x1'0000'1000ull, 3, a));
        e.put_cd(sid, Cd().t0sz(16).tg0_4k().ttb0(kS1Tables).ips(5).asid(unsigned(cd_asid)).mair(0xFF));
        e.install(sid, Ste().nested().vmid(vmid).s2t0sz(16).s2sl0(2).s2tg4k().s2ps(5)
                           .s2ttb(e.s2ptn.ttb()).s2r().ctx(Env::cd_addr(sid)));
    }
};

TEST_P(StreamCtx, Nested_FastHitAndStage2PermissionFault_3_3)
{
    both([](Env &e) { NestedHelp::build(e, 6, 5, 9, 1 /* S2AP 01: read-only */); });
    Out f = tx(Rq(5, 0x4000'0010).r);
    expect_ok(f, 0xA000'0010, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    Out h = tx_miss_utlb(Rq(5, 0x4000'0020).w());
    EXPECT_TRUE(h.fast);
    expect_ok(h, 0xA000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    Out g = tx(Rq(5, 0x4000'1040).r);
    expect_ok(g, 0xA000'1040, RX, 0x4000'1000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(5, 0x4000'1080)).fast);
    Out d = tx_miss_utlb(Rq(5, 0x4000'10C0).w());
    Rec want = rec(SMMU_EVT_F_PERMISSION, 5, 0x4000'10C0, true);
    want.s2 = true;
    want.ipa = 0x1'0000'1000ull;
    expect_fault(d, want);
}

// ---- 3.17.1: a global entry matches another ASID of the same ASET ---------
TEST_P(StreamCtx, GlobalEntryFromOtherAsidSameAset_FastHit_3_17_1)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1, 0)));  // global
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, s1a(1, 1)));  // nG
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'2000, 0x8000'2000, 3, s1a(1, 1)));
        // The second table set maps the same VAs elsewhere.
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1, 1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'1000, 0xC000'1000, 3, s1a(1, 1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'2000, 0xC000'2000, 3, s1a(1, 1)));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    s1_stream(2, cd_s1(kS1TablesB, 4));            // other ASID, ASET 0
    s1_stream(7, cd_s1(kS1TablesB, 5).aset());     // ASET 1
    tx(Rq(1, 0x4000'0000).r); // global entry, ASID 3
    tx(Rq(1, 0x4000'1000).r); // nG entry, ASID 3
    tx(Rq(2, 0x4000'2000).r); // stream 2's context
    tx(Rq(7, 0x4000'2000).r); // stream 7's context
    uint64_t walks = fstat(STAT(walks_s1));
    Out g = tx_miss_utlb(Rq(2, 0x4000'0123));
    EXPECT_TRUE(g.fast);
    expect_ok(g, 0x8000'0123, RWX, 0x4000'0000, 0x1000, 0xFF, 3); // 3.17.1: the global entry
    EXPECT_EQ(fstat(STAT(walks_s1)), walks);
    Out n = tx_miss_utlb(Rq(2, 0x4000'1123));
    EXPECT_FALSE(n.fast);
    expect_ok(n, 0xC000'1123, RWX, 0x4000'1000, 0x1000, 0xFF, 3); // own walk
    Out s = tx_miss_utlb(Rq(7, 0x4000'0123));
    EXPECT_FALSE(s.fast);
    expect_ok(s, 0xC000'0123, RWX, 0x4000'0000, 0x1000, 0xFF, 3); // other ASET: own walk
}

// ---- D8.3: a 2MB block and 4KB pages in the TLB at once ------------------
TEST_P(StreamCtx, BlockAndPages_BothSizesInTlb_FastHits_D8_3)
{
    S1Attrs blk = s1a(1);
    blk.attr_indx = 2; // MAIR byte 2: 0x44
    blk.sh = 2;
    both([&](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1pt.map_s1(0x4020'0000, 0x8820'0000, 2, blk));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    tx(Rq(1, 0x4020'0000).r);
    Out b = tx_miss_utlb(Rq(1, 0x403F'F123));
    EXPECT_TRUE(b.fast);
    expect_ok(b, 0x883F'F123, RWX, 0x4020'0000, 0x20'0000, 0x44, 2);
    Out b2 = tx_miss_utlb(Rq(1, 0x4021'0008).w());
    EXPECT_TRUE(b2.fast);
    expect_ok(b2, 0x8821'0008, RWX, 0x4020'0000, 0x20'0000, 0x44, 2);
    Out p = tx_miss_utlb(Rq(1, 0x4000'0FFC));
    EXPECT_TRUE(p.fast);
    expect_ok(p, 0x8000'0FFC, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    Out m = tx_miss_utlb(Rq(1, 0x4000'1000)); // not mapped: a walk, F_TRANSLATION
    expect_fault(m, rec(SMMU_EVT_F_TRANSLATION, 1, 0x4000'1000));
}

// ---- 4.3 / 4.4: invalidation then the new answer --------------------------
TEST_P(StreamCtx, CfgiSte_NewPrivcfgSeen_4_3_1)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(0))); });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).p().r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010).p()).fast);
    both([](Env &e) { e.put_ste(1, Ste().s1().privcfg(2).ctx(Env::cd_addr(1))); });
    cmds({cmd_cfgi_ste(1)});
    Out d = tx_miss_utlb(Rq(1, 0x4000'0020).p());
    expect_fault(d, rec(SMMU_EVT_F_PERMISSION, 1, 0x4000'0020));
}

TEST_P(StreamCtx, CfgiSte_NewContextPointer_NewAsidNewTables_4_3_1)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1)));
        e.put_cd(9, cd_s1(kS1TablesB, 8));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    both([](Env &e) { e.put_ste(1, Ste().s1().ctx(Env::cd_addr(9))); });
    cmds({cmd_cfgi_ste(1)});
    Out n = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(n.fast);
    expect_ok(n, 0xC000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0030)).fast);
}

TEST_P(StreamCtx, CfgiCd_E0pd0AndAsidChangeSeen_4_3_3)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1)));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    both([](Env &e) { e.put_cd(1, cd_s1(kS1Tables, 3).e0pd0()); });
    cmds({cfgi_cd(1, 0)});
    Out d = tx_miss_utlb(Rq(1, 0x4000'0020));
    expect_fault(d, rec(SMMU_EVT_F_TRANSLATION, 1, 0x4000'0020));
    both([](Env &e) { e.put_cd(1, cd_s1(kS1TablesB, 4)); });
    cmds({cfgi_cd(1, 0)});
    Out n = tx_miss_utlb(Rq(1, 0x4000'0030));
    expect_ok(n, 0xC000'0030, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0040)).fast);
}

TEST_P(StreamCtx, TlbiNhVa_NewLeafSeen_4_4_2)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    both([](Env &e) {
        uint64_t d = e.s1pt.get_desc(3, 0x4000'0000);
        ASSERT_TRUE(e.s1pt.set_desc(3, 0x4000'0000, (d & ~SMMU_MASK(47, 12)) | 0xB000'0000ull));
    });
    // Without invalidation the TLB may still give the old page (3.21.1):
    // both paths give the cached one.
    Out old = tx_miss_utlb(Rq(1, 0x4000'0018));
    EXPECT_TRUE(old.fast);
    EXPECT_EQ(old.r.pa, 0x8000'0018u);
    cmds({tlbi_nh_va(0, 3, 0x4000'0000)});
    Out n = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(n.fast);
    expect_ok(n, 0xB000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0028)).fast);
}

TEST_P(StreamCtx, TlbiS2Ipa_S2OnlyNewLeafSeen_4_4_3)
{
    S2Attrs a;
    both([&](Env &e) {
        ASSERT_TRUE(e.s2pt.map_s2(0x4000'0000, 0x9000'0000, 3, a));
        e.install(4, s2_ste(e.s2pt.ttb(), 5));
    });
    tx(Rq(4, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(4, 0x4000'0010)).fast);
    both([](Env &e) {
        uint64_t d = e.s2pt.get_desc(3, 0x4000'0000);
        ASSERT_TRUE(e.s2pt.set_desc(3, 0x4000'0000, (d & ~SMMU_MASK(47, 12)) | 0x9100'0000ull));
    });
    cmds({tlbi_s2_ipa(5, 0x4000'0000)});
    Out n = tx_miss_utlb(Rq(4, 0x4000'0020));
    expect_ok(n, 0x9100'0020, RWX, 0x4000'0000, 0x1000, 0xF, 3);
}

// ---- 6.3.9 / 12.3: the SMMU disabled or failed after a hit ------------
TEST_P(StreamCtx, SmmuenClearedAfterHit_GbpaAbort_6_3_9)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    both([](Env &e) {
        uint64_t cr0 = e.reg_read(SMMU_CR0) & ~uint64_t(SMMU_CR0_SMMUEN);
        e.reg_write(SMMU_CR0, cr0);
        EXPECT_EQ(e.reg_read(SMMU_CR0ACK), cr0);
    });
    Out o = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(o.fast);
    EXPECT_EQ(o.r.outcome, SMMU_XLATE_ABORT); // GBPA.ABORT as booted: no translation
    EXPECT_EQ(o.r.cause, SMMU_CAUSE_GBPA_ABORT);
    EXPECT_TRUE(o.ev.empty());
}

TEST_P(StreamCtx, ServiceFailureModeAfterHit_Aborts_12_3)
{
    both([](Env &e) { ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1))); });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    both([](Env &e) { ASSERT_EQ(smmu_inject_sfm(e.dev()), SMMU_OK); });
    Out o = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(o.fast);
    EXPECT_EQ(o.r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(o.r.cause, SMMU_CAUSE_SFM);
    EXPECT_TRUE(o.ev.empty());
}

// ---- 3.17 StreamWorld EL2 (STRW 0b10): no ASID in the tag ----------------
TEST_P(StreamCtx, El2World_EntryOfOtherCdAsidShared_3_17)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1, 1)));
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'1000, 0x8000'1000, 3, s1a(1, 1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1, 1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'1000, 0xC000'1000, 3, s1a(1, 1)));
    });
    s1_stream(1, cd_s1(kS1Tables, 3), Ste().s1().strw(2));
    s1_stream(2, cd_s1(kS1TablesB, 4), Ste().s1().strw(2));
    tx(Rq(1, 0x4000'0000).r);
    // EL2 walk-cache entries carry no ASID either: stream 2's walk ends in
    // stream 1's level-3 table (the two streams are one address space).
    Out w = tx(Rq(2, 0x4000'1000).r);
    EXPECT_EQ(w.r.pa, 0x8000'1000u);
    // EL2 entries carry no ASID (3.17): stream 2 hits stream 1's entry.
    Out o = tx_miss_utlb(Rq(2, 0x4000'0040));
    EXPECT_TRUE(o.fast);
    EXPECT_EQ(o.r.pa, 0x8000'0040u);
    Out p = tx_miss_utlb(Rq(1, 0x4000'1040));
    EXPECT_TRUE(p.fast);
    EXPECT_EQ(p.r.pa, 0x8000'1040u);
}

// ---- Configuration cache evictions (not architected: must not matter) ----
class StreamCtxSmallCfg : public StreamCtx {
  protected:
    void conf(smmu_config_t &c) override
    {
        StreamCtx::conf(c);
        c.cfg_cache_entries = 4;
    }
};

TEST_P(StreamCtxSmallCfg, SteSlotEvictedByOtherSid_RefetchedSameAnswer)
{
    both([](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1)));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    s1_stream(5, cd_s1(kS1TablesB, 4)); // STE slot 5 & 3 == 1 & 3
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    Out o = tx_miss_utlb(Rq(5, 0x4000'0000));
    expect_ok(o, 0xC000'0000, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    uint64_t ste0 = fstat(STAT(ste_fetches));
    Out b = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(b.fast);
    expect_ok(b, 0x8000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_EQ(fstat(STAT(ste_fetches)), ste0 + 1);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0030)).fast);
}

// CD slot of (sid, index) in a cache of n entries (cfgcache.h). For CD 0
// it is a bijection of sid mod n, so only a CD of another index can take
// stream 1's CD slot without taking its STE slot.
uint32_t cd_slot(uint32_t sid, uint32_t index, uint32_t n) { return (sid * 0x9E3779B1u ^ index) & (n - 1); }

TEST_P(StreamCtxSmallCfg, CdSlotEvictedBySubstreamCdOfOtherSid_CdRefetched)
{
    // Stream 2 (STE slot 2) with 4 CDs; its CD k takes stream 1's CD slot.
    const uint32_t b = 2, k = cd_slot(1, 0, 4) ^ cd_slot(b, 0, 4);
    ASSERT_EQ(cd_slot(b, k, 4), cd_slot(1, 0, 4));
    ASSERT_NE(b & 3, 1u);
    both([&](Env &e) {
        ASSERT_TRUE(e.s1pt.map_s1(0x4000'0000, 0x8000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'0000, 0xC000'0000, 3, s1a(1)));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4000'1000, 0xC000'1000, 3, s1a(1)));
        e.put_cd(b, cd_s1(kS1TablesB, 4), k);
        e.install(b, Ste().s1().cdmax(2).ctx(Env::cd_addr(b)));
    });
    s1_stream(1, cd_s1(kS1Tables, 3));
    tx(Rq(1, 0x4000'0000).r);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0010)).fast);
    Out ob = tx(Rq(b, 0x4000'0000).substream(k).r);
    expect_ok(ob, 0xC000'0000, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    uint64_t cd0 = fstat(STAT(cd_fetches)), ste0 = fstat(STAT(ste_fetches));
    Out o = tx_miss_utlb(Rq(1, 0x4000'0020));
    EXPECT_FALSE(o.fast);
    EXPECT_EQ(fstat(STAT(cd_fetches)), cd0 + 1);
    EXPECT_EQ(fstat(STAT(ste_fetches)), ste0);
    expect_ok(o, 0x8000'0020, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    // The CD changed in memory without CFGI: the refetch after an
    // eviction sees it (the model's full path; the fast path must agree).
    both([](Env &e) { e.put_cd(1, cd_s1(kS1TablesB, 6)); });
    // Another page: with the micro-TLB on, the same page would hit it and
    // leave the configuration cache alone (micro-TLB entries outlive
    // configuration cache evictions; only invalidations remove them).
    tx(Rq(b, 0x4000'1000).substream(k).r); // evicts stream 1's CD again
    Out n = tx_miss_utlb(Rq(1, 0x4000'0040));
    EXPECT_FALSE(n.fast);
    expect_ok(n, 0xC000'0040, RWX, 0x4000'0000, 0x1000, 0xFF, 3);
    EXPECT_TRUE(tx_miss_utlb(Rq(1, 0x4000'0050)).fast);
}

// ---- Randomized differential test ----------------------------------------
// Streams: 1 S1 (TBI0/TBI1, TTB1, HA/HD), 2 S1 PRIVCFG 0b10 INSTCFG 0b11,
// 3 S1 E0PD0 + PRIVCFG 0b11, 4 S2 only, 5 nested, 6 S1 other ASID (shares
// global entries), 7 S1 ASET 1, 8 bypass, 9 S1 E0PD1 + INSTCFG 0b10 (TTB1),
// 10 S1 StreamWorld EL2.
struct Layout {
    static uint64_t va0(unsigned i) { return 0x4000'0000ull + i * 0x1000ull; }
    static uint64_t pa0(unsigned i) { return 0x8000'0000ull + i * 0x3000ull; }
    static uint64_t va1(unsigned i) { return kRegion1 | (0x8000'0000'0000ull + i * 0x1000ull); }
    static constexpr unsigned kPages = 24;
};

class StreamCtxRandom : public StreamCtx {
  protected:
    void build_all(Env &e)
    {
        for (unsigned i = 0; i < Layout::kPages; i++) {
            S1Attrs a;
            a.ap = uint8_t(i & 3);
            a.ng = uint8_t((i >> 2) & 1);
            a.uxn = uint8_t((i >> 3) & 1);
            a.pxn = uint8_t((i % 3) == 2);
            a.dbm = uint8_t((i % 5) == 0);
            a.af = uint8_t((i % 7) != 3);
            a.attr_indx = uint8_t(i % 3);
            a.sh = uint8_t((i % 4) == 1 ? 2 : 3);
            ASSERT_TRUE(e.s1pt.map_s1(Layout::va0(i), Layout::pa0(i), 3, a)) << e.s1pt.error();
            S1Attrs b = a;
            b.ap = uint8_t((i + 1) & 3);
            ASSERT_TRUE(e.s1pt1.map_s1(Layout::va1(i) & kIaMask, 0x8800'0000ull + i * 0x1000, 3, b));
            ASSERT_TRUE(e.s1ptb.map_s1(Layout::va0(i), 0xC000'0000ull + i * 0x1000, 3, a));
            S2Attrs s;
            s.s2ap = uint8_t(i & 3);
            s.xn = uint8_t((i >> 2) & 3);
            s.memattr = uint8_t(i & 1 ? 0xF : 0x5);
            s.af = uint8_t((i % 6) != 4);
            ASSERT_TRUE(e.s2pt.map_s2(Layout::va0(i), 0x9000'0000ull + i * 0x1000, 3, s));
            // nested: stage-1 outputs (pa0, region-1 PAs) through stage 2
            S2Attrs n;
            n.s2ap = uint8_t(3 - (i % 3 == 1 ? 2 : 0));
            ASSERT_TRUE(e.s2ptn.map_s2(Layout::pa0(i), 0x1'0000'0000ull + Layout::pa0(i), 3, n));
            ASSERT_TRUE(e.s2ptn.map_s2(0x8800'0000ull + i * 0x1000, 0x1'8800'0000ull + i * 0x1000, 3, n));
        }
        S1Attrs blk;
        blk.ap = 1;
        blk.attr_indx = 2;
        ASSERT_TRUE(e.s1pt.map_s1(0x4020'0000, 0x8820'0000, 2, blk));
        ASSERT_TRUE(e.s1ptb.map_s1(0x4020'0000, 0xC020'0000, 2, blk));
        S2Attrs sb;
        ASSERT_TRUE(e.s2pt.map_s2(0x4020'0000, 0x9020'0000, 2, sb));
        ASSERT_TRUE(e.s2ptn.map_s2(0x8820'0000, 0x1'8820'0000ull, 2, sb));
        S2Attrs id;
        ASSERT_TRUE(e.s2ptn.map_s2(0, 0, 1, id)); // CDs and stage-1 tables (IPA = PA)

        Cd base = cd_s1(kS1Tables, 3).epd1(false).t1sz(16).tg1_4k().ttb1(kS1Tables1);
        e.put_cd(1, Cd(base).tbi0().tbi1().ha().hd());
        e.install(1, Ste().s1().ctx(Env::cd_addr(1)));
        e.put_cd(2, Cd(base).asid(3).ha().hd());
        e.install(2, Ste().s1().privcfg(2).instcfg(3).ctx(Env::cd_addr(2)));
        e.put_cd(3, Cd(base).e0pd0().tbi1());
        e.install(3, Ste().s1().privcfg(3).ctx(Env::cd_addr(3)));
        e.install(4, s2_ste(e.s2pt.ttb(), 5));
        e.put_cd(5, Cd(base).asid(9).tbi0());
        e.install(5, Ste().nested().vmid(6).s2t0sz(16).s2sl0(2).s2tg4k().s2ps(5).s2ttb(e.s2ptn.ttb())
                           .s2r().ctx(Env::cd_addr(5)));
        e.put_cd(6, cd_s1(kS1TablesB, 4));
        e.install(6, Ste().s1().ctx(Env::cd_addr(6)));
        e.put_cd(7, cd_s1(kS1TablesB, 5).aset());
        e.install(7, Ste().s1().ctx(Env::cd_addr(7)));
        e.install(8, Ste().bypass());
        e.put_cd(9, Cd(base).asid(7).e0pd1().tbi0().t0sz(17));
        e.install(9, Ste().s1().instcfg(2).ctx(Env::cd_addr(9)));
        e.put_cd(10, cd_s1(kS1Tables, 11));
        e.install(10, Ste().s1().strw(2).ctx(Env::cd_addr(10)));
    }

    uint64_t rand_addr(std::mt19937_64 &g)
    {
        unsigned pick = unsigned(g() % 100), i = unsigned(g() % Layout::kPages);
        uint64_t off = g() & 0xFFF, a;
        if (pick < 45)
            a = Layout::va0(i) + off;
        else if (pick < 55)
            a = 0x4020'0000 + (g() & 0x1F'FFFF);
        else if (pick < 70)
            a = Layout::va1(i) + off;
        else if (pick < 78)
            a = 0x4000'0000 + Layout::kPages * 0x1000ull + (g() & 0xF'FFFF); // unmapped
        else if (pick < 84)
            a = (1ull << (44 + g() % 12)) | (Layout::va0(i) + off); // out of range
        else if (pick < 88)
            a = g(); // anything
        else
            a = Layout::va0(i) + off;
        if (g() % 4 == 0) // a tag in the top byte
            a = (a & SMMU_MASK(55, 0)) | (g() << 56);
        return a;
    }

    void run(uint64_t seed, unsigned n, unsigned min_fast_permille = 50)
    {
        both([&](Env &e) { build_all(e); });
        if (HasFatalFailure())
            return;
        std::mt19937_64 g(seed);
        unsigned fast_n = 0, utlb_n = 0, ok_n = 0, fault_n = 0;
        for (unsigned k = 0; k < n; k++) {
            static const uint32_t sids[] = {1, 1, 1, 2, 3, 4, 4, 5, 5, 6, 7, 8, 9, 9, 10};
            Rq q(sids[g() % (sizeof sids / sizeof sids[0])], rand_addr(g));
            uint64_t attr = g();
            q.w((attr & 3) == 0).x((attr >> 2 & 3) == 0).p(attr >> 4 & 1).pcie((attr >> 5 & 7) == 0);
            if ((attr >> 8 & 63) == 0)
                q.r.write = 2; // non-zero means write: full path (utlb.h)
            if ((attr >> 14 & 63) == 0)
                q.r.priv = 3;
            if ((attr >> 20 & 127) == 0) // SSV: stream without substreams
                q.r.ssv = 1;
            if ((attr >> 27 & 31) == 0) // Secure: treated as Non-secure (secure_req_abort 0)
                q.r.secure = 1;
            q.noise(uint32_t(attr >> 32) % 3 == 0 ? uint32_t(attr >> 40) : 0);
            q.cycle(k);
            Out o = tx(q.r);
            if (HasFailure()) {
                ADD_FAILURE() << "first mismatch at request " << k << " (seed " << seed << ")";
                return;
            }
            fast_n += o.fast;
            utlb_n += o.utlb;
            ok_n += o.r.outcome == SMMU_XLATE_OK;
            fault_n += o.r.outcome != SMMU_XLATE_OK;
            if (k % 97 == 96) { // change something, sometimes invalidate it
                unsigned i = unsigned(g() % Layout::kPages), what = unsigned(g() % 8);
                both([&](Env &e) {
                    switch (what) {
                    case 0: { // page i of TTB0: other AP, same PA
                        uint64_t d = e.s1pt.get_desc(3, Layout::va0(i));
                        e.s1pt.set_desc(3, Layout::va0(i), d ^ (1ull << 6));
                        e.cmds({tlbi_nh_vaa(0, Layout::va0(i))});
                        break;
                    }
                    case 1:
                        e.cmds({cmd_cfgi_ste(uint32_t(1 + i % 10))});
                        break;
                    case 2:
                        e.cmds({cfgi_cd(uint32_t(1 + i % 3), 0)});
                        break;
                    case 3:
                        e.cmds({cmd_tlbi_nh_all(0)});
                        break;
                    case 4:
                        e.cmds({tlbi_s2_ipa(5, Layout::va0(i))});
                        break;
                    case 5:
                        e.cmds({cmd_tlbi_nsnh_all()});
                        break;
                    case 6: { // stage-2 page i: other S2AP, no invalidation yet
                        uint64_t d = e.s2pt.get_desc(3, Layout::va0(i));
                        e.s2pt.set_desc(3, Layout::va0(i), d ^ (1ull << 7));
                        break;
                    }
                    default:
                        e.cmds({cmd_cfgi_all()});
                        break;
                    }
                });
            }
        }
        // Descriptors (HTTU AF / dirty updates) equal in both memories.
        for (unsigned i = 0; i < Layout::kPages; i++) {
            EXPECT_EQ(fast->s1pt.get_desc(3, Layout::va0(i)), ref->s1pt.get_desc(3, Layout::va0(i)));
            EXPECT_EQ(fast->s1pt1.get_desc(3, Layout::va1(i) & kIaMask),
                      ref->s1pt1.get_desc(3, Layout::va1(i) & kIaMask));
            EXPECT_EQ(fast->s2pt.get_desc(3, Layout::va0(i)), ref->s2pt.get_desc(3, Layout::va0(i)));
        }
            // The test must exercise the fast path, successes and faults.
        EXPECT_GT(fast_n, n * min_fast_permille / 1000) << "fast hits " << fast_n << " utlb " << utlb_n;
        EXPECT_GT(ok_n, n / 5);
        EXPECT_GT(fault_n, n / 10);
        RecordProperty("fast_hits", int(fast_n));
        printf("[ seed %" PRIu64 " ] %u requests: %u fast-path hits, %u micro-TLB hits, %u OK, %u "
               "faults\n",
               seed, n, fast_n, utlb_n, ok_n, fault_n);
    }
};

TEST_P(StreamCtxRandom, Differential_Seed1_AllStreamKinds) { run(1, 6000); }
TEST_P(StreamCtxRandom, Differential_Seed2_AllStreamKinds) { run(0x5EED'0002, 6000); }

class StreamCtxRandomSmall : public StreamCtxRandom {
  protected:
    void conf(smmu_config_t &c) override
    {
        StreamCtx::conf(c);
        c.cfg_cache_entries = 4; // STE and CD slot evictions between streams
        c.tlb_sets = 4;          // TLB replacements
        c.tlb_ways = 2;
        c.tlb_repl = 1;
    }
};
// Streams evict each other's contexts: fewer fast hits (about 1.5%).
TEST_P(StreamCtxRandomSmall, Differential_Seed3_SmallCaches) { run(3, 6000, 10); }
TEST_P(StreamCtxRandomSmall, Differential_Seed4_SmallCaches) { run(0xC0FFEE, 6000, 10); }

std::string utlb_name(const ::testing::TestParamInfo<uint32_t> &i)
{
    return i.param ? "UtlbOn" : "UtlbOff";
}
INSTANTIATE_TEST_SUITE_P(U, StreamCtx, ::testing::Values(0u, 256u), utlb_name);
INSTANTIATE_TEST_SUITE_P(U, StreamCtxSmallCfg, ::testing::Values(0u, 256u), utlb_name);
INSTANTIATE_TEST_SUITE_P(U, StreamCtxRandom, ::testing::Values(0u, 256u), utlb_name);
// Micro-TLB off only: a micro-TLB entry outlives a TLB replacement or a
// configuration cache eviction of its sources (only invalidations remove
// it), so with the micro-TLB on the reference (whose micro-TLB never hits)
// walks or refetches where the fast instance hits its micro-TLB; the
// answer is the same but statistics and then cache contents diverge. That
// is the micro-TLB's behaviour, not the stream context's.
INSTANTIATE_TEST_SUITE_P(U, StreamCtxRandomSmall, ::testing::Values(0u), utlb_name);

} // namespace
} // namespace smmutest

// SPDX-License-Identifier: Apache-2.0
// Memory fault injection (issue [robustness] section 4): every memory
// access of a driver-visible operation is failed in turn (N = 1 .. last, by
// support/fault_inject.h), and the outcome must be the one the
// architecture gives for the kind of access that failed:
//   L1STD/STE read        -> F_STE_FETCH, FetchAddr = the STE (7.3.4)
//   L1CD/CD read          -> F_CD_FETCH, FetchAddr = the CD (7.3.10)
//   descriptor read       -> F_WALK_EABT with FetchAddr, S2 and CLASS (7.3.12)
//   command read          -> CERROR_ABT in CMDQ_CONS.ERR, GERROR.CMDQ_ERR (7.1)
//   CMD_SYNC MSI write    -> GERROR.MSI_CMDQ_ABT_ERR, the sync completes (7.5)
//   event record write    -> GERROR.EVENTQ_ABT_ERR, PROD unchanged (7.2.2)
//   event queue MSI write -> GERROR.MSI_EVENTQ_ABT_ERR, the record stays (7.5)
// followed by the stop and the recovery: no command consumed while
// CMDQ_ERR is active and no record written while EVENTQ_ABT_ERR is active,
// both resuming after the GERRORN acknowledgement (7.1, 7.2.1, 7.5).
#include <string>

#include "support/cfg_builder.h"
#include "support/fault_inject.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/record.h"

namespace smmutest {
namespace {

// Nested layout: guest RAM IPA [kIpaRam, +64MB) at PA [kPaRam, +64MB)
// through 2MB stage-2 blocks; the guest CD and its stage-1 tables in guest
// RAM (in separate 2MB blocks); stage-2 tables in host memory.
constexpr uint64_t kIpaRam = 0x4000'0000, kPaRam = 0x8000'0000, kRamSize = 0x0400'0000;
constexpr uint64_t kCdIpa = 0x4000'0000;
constexpr uint64_t kS1Tables = 0x4020'0000; // IPA
constexpr uint64_t kS2Tables = 0x0400'0000, kS2TablesEnd = 0x0500'0000; // PA
constexpr uint64_t kBufIpa = 0x4100'0000;
constexpr uint64_t kIova = 0x1000'0000;
constexpr uint32_t kSid = 5;

std::string what(const MemAccess &a)
{
    static const char *const kinds[] = {"STE", "CD", "TT", "CMDQ", "EVTQ", "PRIQ", "MSI", "SYNC",
                                        "TT_UPDATE"};
    char b[96];
    snprintf(b, sizeof b, "%s %s of %u bytes at 0x%llx", kinds[a.kind], a.write ? "write" : "read",
             a.len, (unsigned long long)a.pa);
    return b;
}

class FaultInject : public SmmuTest {
  protected:
    FaultInjector inj;

    void TearDown() override
    {
        mem.inject = nullptr;
        SmmuTest::TearDown();
    }

    // A fresh instance, booted (3.11), with its caches empty.
    void fresh()
    {
        mem.inject = nullptr;
        recreate();
        boot();
    }

    // The nested StreamID: host STE (Config 0b111), guest CD at an IPA,
    // guest 4-level stage-1 tables mapping kIova -> kBufIpa (4K page),
    // host stage 2 mapping guest RAM with 2MB blocks.
    void nested_setup()
    {
        PtBuilder s2(mem, 2, 12, 48, 48, kS2Tables, 0);
        for (uint64_t ipa = kIpaRam; ipa < kIpaRam + kRamSize; ipa += 0x20'0000)
            ASSERT_TRUE(s2.map_s2(ipa, kPaRam + (ipa - kIpaRam), 2)) << s2.error();
        PtBuilder s1(mem, 1, 12, 48, 48, kS1Tables, -1, false, kPaRam - kIpaRam);
        S1Attrs a;
        a.ap = 1;
        a.ng = 1;
        ASSERT_TRUE(s1.map_s1(kIova, kBufIpa, 3, a)) << s1.error();
        Words8 cd = Cd().t0sz(16).tg0_4k().ttb0(s1.ttb()).ips(5).asid(1).mair(0xFF).build();
        for (int i = 0; i < 8; i++)
            mem.write64(kPaRam + (kCdIpa - kIpaRam) + 8 * i, cd[i]);
        write_ste(kSid, Ste()
                            .config(7)
                            .vmid(1)
                            .s2t0sz(16)
                            .s2sl0(2)
                            .s2tg4k()
                            .s2ps(5)
                            .s2ttb(s2.ttb())
                            .s2r()
                            .ctx(kCdIpa)
                            .build());
    }

    static bool is_s2_table(const MemAccess &a)
    {
        return a.kind == SMMU_ACC_TT && a.pa >= kS2Tables && a.pa < kS2TablesEnd;
    }

    // The record 7.3 gives for failing access i of the fault-free sequence
    // `seq` of a read of kIova by kSid.
    static Rec expected(const std::vector<MemAccess> &seq, size_t i)
    {
        const MemAccess &a = seq[i];
        Rec r;
        r.sid = kSid;
        switch (a.kind) {
        case SMMU_ACC_STE:
            r.type = SMMU_EVT_F_STE_FETCH;
            r.fetch = a.pa;
            r.rnw = false; // F_STE_FETCH has no access attributes (7.3.4)
            return r;
        case SMMU_ACC_CD:
            r.type = SMMU_EVT_F_CD_FETCH;
            r.fetch = a.pa;
            r.rnw = false; // nor does F_CD_FETCH (7.3.10)
            return r;
        default:
            break;
        }
        r.type = SMMU_EVT_F_WALK_EABT;
        r.input = kIova;
        r.fetch = a.pa;
        if (!is_s2_table(a)) {
            r.cls = SMMU_CLASS_TT; // stage-1 descriptor: S2 = 0, CLASS = TT (7.3.12)
            return r;
        }
        // A stage-2 descriptor: CLASS says what the stage-2 walk was for,
        // the access that follows it (7.3.12): the CD, a stage-1 table, or
        // (nothing after it) the final IPA.
        r.s2 = true;
        r.cls = SMMU_CLASS_IN;
        for (size_t j = i + 1; j < seq.size(); j++) {
            if (is_s2_table(seq[j]))
                continue;
            r.cls = seq[j].kind == SMMU_ACC_CD ? SMMU_CLASS_CD : SMMU_CLASS_TT;
            break;
        }
        return r;
    }
};

// 7.3.4, 7.3.10, 7.3.12: each access of a cold nested translation (STE, CD
// through stage 2, a 4-level stage-1 walk whose table fetches go through
// stage 2, the final IPA through stage 2) fails in turn; the transaction
// aborts with exactly the record of that access's kind, and the same
// translation succeeds once the fault is gone (nothing else stopped).
TEST_F(FaultInject, NestedColdTranslationEachAccess_7_3_4_7_3_10_7_3_12)
{
    fresh();
    nested_setup();
    // The fault-free sequence of reads (the record of a failure is a write).
    inj.access = FaultInjector::Access::Read;
    mem.inject = &inj;
    auto ok = xlate(kSid, kIova);
    mem.inject = nullptr;
    ASSERT_EQ(ok.outcome, SMMU_XLATE_OK);
    ASSERT_EQ(ok.pa, kPaRam + (kBufIpa - kIpaRam));
    ASSERT_TRUE(events().empty());
    const std::vector<MemAccess> seq = inj.matched;
    // STE, CD (through stage 2), stage-1 tables (through stage 2), final IPA.
    ASSERT_GE(seq.size(), 10u);
    EXPECT_EQ(seq.front().kind, SMMU_ACC_STE);
    EXPECT_TRUE(is_s2_table(seq.back())) << what(seq.back());
    size_t kinds[3] = {0, 0, 0};
    for (const MemAccess &a : seq) {
        ASSERT_FALSE(a.write) << what(a);
        ASSERT_LE(unsigned(a.kind), unsigned(SMMU_ACC_TT)) << what(a);
        kinds[a.kind]++;
    }
    EXPECT_EQ(kinds[SMMU_ACC_STE], 1u);
    EXPECT_EQ(kinds[SMMU_ACC_CD], 1u);
    // Every F_WALK_EABT flavour of 7.3.12 is exercised: stage 2 for the CD,
    // for a stage-1 table and for the final IPA; stage 1 (CLASS TT).
    unsigned flavours = 0;
    for (size_t i = 0; i < seq.size(); i++) {
        Rec w = expected(seq, i);
        if (w.type == SMMU_EVT_F_WALK_EABT)
            flavours |= 1u << (w.s2 * 3 + w.cls);
    }
    EXPECT_EQ(flavours, 1u << SMMU_CLASS_TT | 1u << (3 + SMMU_CLASS_CD) |
                            1u << (3 + SMMU_CLASS_TT) | 1u << (3 + SMMU_CLASS_IN));

    for (size_t n = 1; n <= seq.size(); n++) {
        SCOPED_TRACE("failing access " + std::to_string(n) + ": " + what(seq[n - 1]));
        fresh();
        inj = FaultInjector{};
        inj.access = FaultInjector::Access::Read;
        inj.nth = n;
        mem.inject = &inj;
        auto r = xlate(kSid, kIova);
        mem.inject = nullptr;
        ASSERT_EQ(inj.failed.size(), 1u);
        EXPECT_EQ(inj.failed[0].pa, seq[n - 1].pa);
        EXPECT_EQ(inj.matched.size(), n) << "no read after the failed one";
        Rec want = expected(seq, n - 1);
        EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
        EXPECT_EQ(r.event, want.type);
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(hex(ev[0]), hex(want.words()));
        EXPECT_EQ(rd(SMMU_GERROR), 0u);
        // Recovery: nothing to acknowledge; the same request now translates.
        auto again = xlate(kSid, kIova);
        EXPECT_EQ(again.outcome, SMMU_XLATE_OK);
        EXPECT_EQ(again.pa, kPaRam + (kBufIpa - kIpaRam));
    }
}

// 7.1, 7.5, 4.7.3: a batch CFGI_ALL, TLBI_NSNH_ALL, CMD_SYNC(CS = SIG_IRQ,
// MSI) with each of its memory accesses failed in turn. A command read
// stops the queue at that command with CERROR_ABT and GERROR.CMDQ_ERR;
// further commands wait until GERRORN acknowledges it, then the rest of the
// batch runs and the MSI lands. The MSI write failing instead sets
// GERROR.MSI_CMDQ_ABT_ERR and the sync still completes.
TEST_F(FaultInject, CommandBatchWithSyncMsiEachAccess_7_1_7_5)
{
    constexpr uint64_t kMsi = 0x9000'0040;
    constexpr uint32_t kData = 0x5A5A'0001;
    const std::vector<Cmd> batch = {cmd_cfgi_all(), cmd_tlbi_nsnh_all(),
                                    cmd_sync(SMMU_SYNC_CS_IRQ, kMsi, kData)};
    fresh();
    inj.access = FaultInjector::Access::Any;
    mem.inject = &inj;
    submit(batch);
    mem.inject = nullptr;
    const std::vector<MemAccess> seq = inj.matched;
    ASSERT_EQ(rd(SMMU_GERROR), 0u);
    ASSERT_EQ(mem.read32(kMsi), kData);
    uint32_t cons0 = uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF; // after the batch
    ASSERT_EQ(cons0, uint32_t(rd(SMMU_CMDQ_PROD)) & 0xFFFFF);
    // Three 16-byte command reads, then the 4-byte MSI write.
    ASSERT_EQ(seq.size(), 4u);
    for (int i = 0; i < 3; i++)
        EXPECT_EQ(seq[i].kind, SMMU_ACC_CMDQ) << what(seq[i]);
    EXPECT_EQ(seq[3].kind, SMMU_ACC_SYNC);
    EXPECT_TRUE(seq[3].write);
    EXPECT_EQ(seq[3].pa, kMsi);

    for (size_t n = 1; n <= seq.size(); n++) {
        SCOPED_TRACE("failing access " + std::to_string(n) + ": " + what(seq[n - 1]));
        fresh();
        uint32_t base = uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF; // after boot's commands
        mem.write32(kMsi, 0);
        inj = FaultInjector{};
        inj.nth = n;
        mem.inject = &inj;
        submit(batch);
        mem.inject = nullptr;
        ASSERT_EQ(inj.failed.size(), 1u);
        if (seq[n - 1].kind == SMMU_ACC_CMDQ) {
            uint32_t idx = base + uint32_t(n - 1);
            EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)), idx | SMMU_CERROR_ABT << 24);
            EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_CMDQ_ERR));
            EXPECT_EQ(mem.read32(kMsi), 0u) << "the sync did not run";
            // Stopped: a further command is not consumed while CMDQ_ERR is active.
            submit({cmd_sync()});
            EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)), idx | SMMU_CERROR_ABT << 24);
            // GERRORN acknowledges: the failed command is fetched again and
            // everything after it runs (7.1).
            wr(SMMU_GERRORN, rd(SMMU_GERROR));
            // (CONS.ERR is UNKNOWN once CMDQ_ERR is not active, 6.3.28.)
            EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF, uint32_t(rd(SMMU_CMDQ_PROD)) & 0xFFFFF);
            EXPECT_EQ(mem.read32(kMsi), kData);
            EXPECT_EQ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR, 0u);
        } else {
            EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_MSI_CMDQ_ABT_ERR));
            EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)), base + 3u) << "the sync completed";
            EXPECT_EQ(mem.read32(kMsi), 0u);
            // MSI_CMDQ_ABT_ERR does not stop the queue.
            submit({cmd_sync(SMMU_SYNC_CS_IRQ, kMsi, kData)});
            EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)), base + 4u);
            EXPECT_EQ(mem.read32(kMsi), kData);
        }
    }
}

// 7.2.2, 7.2.1, 7.5: an event (C_BAD_STE, STE V = 0) whose record write and
// whose event-queue MSI write fail in turn. The record write failing sets
// GERROR.EVENTQ_ABT_ERR with PROD unchanged and no MSI; while it is active
// no record is written; after GERRORN the next event is recorded and
// signalled. The MSI failing sets GERROR.MSI_EVENTQ_ABT_ERR and the record
// stays in the queue.
TEST_F(FaultInject, EventRecordWithMsiEachWrite_7_2_2_7_5)
{
    constexpr uint64_t kMsi = 0x9100'0040;
    constexpr uint32_t kData = 0x0000'00E1;
    auto setup_msi = [&] {
        wr(SMMU_IRQ_CTRL, 0);
        wr(SMMU_EVENTQ_IRQ_CFG0, kMsi, 8);
        wr(SMMU_EVENTQ_IRQ_CFG1, kData);
        wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
        ASSERT_EQ(rd(SMMU_IRQ_CTRLACK), uint64_t(SMMU_IRQ_CTRL_EVENTQ_IRQEN));
    };
    fresh();
    setup_msi();
    inj.access = FaultInjector::Access::Write;
    mem.inject = &inj;
    auto r = xlate(9, 0x1000); // STE 9 is zero: C_BAD_STE (5.2, 7.3.3)
    mem.inject = nullptr;
    ASSERT_EQ(r.event, SMMU_EVT_C_BAD_STE);
    ASSERT_EQ(r.recorded, 1u);
    const std::vector<MemAccess> seq = inj.matched;
    ASSERT_EQ(seq.size(), 2u);
    EXPECT_EQ(seq[0].kind, SMMU_ACC_EVTQ);
    EXPECT_EQ(seq[0].pa, kEvtq);
    EXPECT_EQ(seq[0].len, 32u);
    EXPECT_EQ(seq[1].kind, SMMU_ACC_MSI);
    EXPECT_EQ(seq[1].pa, kMsi);

    for (size_t n = 1; n <= seq.size(); n++) {
        SCOPED_TRACE("failing write " + std::to_string(n) + ": " + what(seq[n - 1]));
        fresh();
        setup_msi();
        mem.write32(kMsi, 0);
        inj = FaultInjector{};
        inj.access = FaultInjector::Access::Write;
        inj.nth = n;
        mem.inject = &inj;
        auto f = xlate(9, 0x1000);
        mem.inject = nullptr;
        ASSERT_EQ(inj.failed.size(), 1u);
        EXPECT_EQ(f.event, SMMU_EVT_C_BAD_STE);
        if (n == 1) {
            EXPECT_EQ(f.recorded, 0u);
            EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_EVENTQ_ABT_ERR));
            EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
            EXPECT_EQ(mem.read32(kMsi), 0u);
            EXPECT_EQ(inj.matched.size(), 1u) << "no MSI for a record not written";
            // While EVENTQ_ABT_ERR is active nothing is written (7.2.1).
            inj.rearm();
            inj.nth = 0;
            mem.inject = &inj;
            auto g = xlate(10, 0x2000);
            mem.inject = nullptr;
            EXPECT_EQ(g.recorded, 0u);
            EXPECT_TRUE(inj.matched.empty()) << what(inj.matched[0]);
            EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 0u);
            // Acknowledged: the next event is recorded and signalled.
            wr(SMMU_GERRORN, rd(SMMU_GERROR));
            auto h = xlate(11, 0x3000);
            EXPECT_EQ(h.recorded, 1u);
            EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
            EXPECT_EQ(mem.read32(kMsi), kData);
            auto ev = events();
            ASSERT_EQ(ev.size(), 1u);
            EXPECT_EQ(ev[0][0] & 0xFF, uint32_t(SMMU_EVT_C_BAD_STE));
            EXPECT_EQ(ev[0][1], 11u); // the third request's StreamID
        } else {
            EXPECT_EQ(f.recorded, 1u);
            EXPECT_EQ(rd(SMMU_GERROR), uint64_t(SMMU_GERROR_MSI_EVENTQ_ABT_ERR));
            EXPECT_EQ(rd(SMMU_EVENTQ_PROD), 1u);
            EXPECT_EQ(mem.read32(kMsi), 0u);
            auto ev = events();
            ASSERT_EQ(ev.size(), 1u);
            EXPECT_EQ(ev[0][0] & 0xFF, uint32_t(SMMU_EVT_C_BAD_STE));
            EXPECT_EQ(ev[0][1], 9u);
        }
    }
}

// The injector's probability mode (the replay-side `abort:` counterpart):
// with a seeded 50% failure rate over many translations of an uncached
// stream, every outcome is either the right PA or an abort carrying one of
// the fetch events, and the run is reproducible from the seed.
TEST_F(FaultInject, SeededProbabilityIsReproducible_7_3)
{
    auto run = [&](uint64_t seed) {
        fresh();
        nested_setup();
        inj = FaultInjector{};
        inj.per_million = 100000; // 10%
        inj.seed = seed;
        std::string trace;
        for (int i = 0; i < 40; i++) {
            submit({cmd_cfgi_all(), cmd_tlbi_nsnh_all(), cmd_sync()});
            if (SMMU_GET(rd(SMMU_CMDQ_CONS), 30, 24) != 0 || rd(SMMU_GERROR) != rd(SMMU_GERRORN)) {
                wr(SMMU_GERRORN, rd(SMMU_GERROR));
                continue; // commands are not under test here
            }
            mem.inject = &inj;
            auto r = xlate(kSid, kIova);
            mem.inject = nullptr;
            if (r.outcome == SMMU_XLATE_OK) {
                EXPECT_EQ(r.pa, kPaRam + (kBufIpa - kIpaRam));
                trace += 'o';
            } else {
                EXPECT_TRUE(r.event == SMMU_EVT_F_STE_FETCH || r.event == SMMU_EVT_F_CD_FETCH ||
                            r.event == SMMU_EVT_F_WALK_EABT)
                    << unsigned(r.event);
                trace += char('a' + r.event % 26);
            }
            events();
        }
        return trace;
    };
    std::string a = run(7), b = run(7);
    EXPECT_EQ(a, b);
    EXPECT_NE(a.find('o'), std::string::npos);
    EXPECT_NE(a.find_first_not_of('o'), std::string::npos);
}

} // namespace
} // namespace smmutest

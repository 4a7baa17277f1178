// SPDX-License-Identifier: Apache-2.0
// smmu_translate_debug (smmu.h): the translation a transaction would get,
// with no side effect (a debugger reading through the SMMU, SystemC
// transport_dbg and DMI, docs/systemc.md). Checks the same outcome as
// smmu_translate (3.3) and that statistics, TLB, configuration cache,
// event queue and descriptors (AF, dirty state: 3.13) stay as they were.
#include <cstring>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/xlate_fixture.h"

namespace smmutest {
namespace {

class Dbg : public Xlate {
  protected:
    void configure(smmu_config_t &c) override { c.httu = 2; }
    smmu_response_t dbg(uint32_t sid, uint64_t addr, bool write = false, bool priv = false)
    {
        smmu_request_t q;
        std::memset(&q, 0, sizeof q);
        q.sid = sid;
        q.addr = addr;
        q.size = 4;
        q.write = write;
        q.priv = priv;
        smmu_response_t r;
        EXPECT_EQ(smmu_translate_debug(smmu, &q, &r), SMMU_OK);
        return r;
    }
    smmu_stats_t stats()
    {
        smmu_stats_t s;
        smmu_get_stats(smmu, &s);
        return s;
    }
    void map(uint64_t va, uint64_t pa, S1Attrs a = S1Attrs())
    {
        ASSERT_TRUE(s1pt.map_s1(va, pa, 3, a)) << s1pt.error();
    }
};

// Same PA, permissions and page as a real translation (3.3), and nothing
// counted, cached or recorded: a real translation afterwards still misses
// the TLB.
TEST_F(Dbg, SameResultAsTranslate_NoStatsNoTlbFill_3_3)
{
    S1Attrs a;
    a.ap = 1; // EL0 and EL1 read/write
    map(0x40'0000, 0x8765'4000, a);
    attach_s1(3, cd_for(s1pt));
    smmu_clear_stats(smmu);
    auto d = dbg(3, 0x40'0123);
    ASSERT_EQ(d.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(d.pa, 0x8765'4123u);
    EXPECT_EQ(d.perms, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X) << "AP = 0b01, UXN = 0 (D8.4)";
    EXPECT_EQ(d.page_base, 0x40'0000u);
    EXPECT_EQ(d.page_size, 0x1000u);
    EXPECT_EQ(d.event, 0);
    smmu_stats_t z = stats();
    smmu_stats_t zero;
    std::memset(&zero, 0, sizeof zero);
    EXPECT_EQ(std::memcmp(&z, &zero, sizeof z), 0) << "no statistic moved";
    auto r = tx(3, 0x40'0123);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, d.pa);
    EXPECT_EQ(r.perms & 7, d.perms);
    EXPECT_EQ(stats().tlb_misses, 1u) << "the debug translation filled no TLB entry";
}

// A fault is reported (event type) but not recorded: EVENTQ_PROD stays.
TEST_F(Dbg, Fault_NotRecorded_7_3_12)
{
    attach_s1(3, cd_for(s1pt));
    uint64_t prod = rd(SMMU_EVENTQ_PROD);
    auto d = dbg(3, 0x40'0000);
    EXPECT_EQ(d.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(d.event, SMMU_EVT_F_TRANSLATION);
    EXPECT_EQ(d.recorded, 0);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), prod);
    EXPECT_TRUE(mem.observed_events.empty()) << "on_event not called";
    // C_BAD_STE for an invalid STE (7.3.5): reported, not recorded.
    d = dbg(9, 0);
    EXPECT_EQ(d.event, SMMU_EVT_C_BAD_STE);
    EXPECT_EQ(rd(SMMU_EVENTQ_PROD), prod);
}

// 3.13.2: with HA a real access sets AF; the debug translation leaves the
// descriptor as it is and says so with SMMU_PERM_HTTU.
TEST_F(Dbg, AfZeroWithHa_DescriptorUnchanged_FlagSet_3_13_2)
{
    S1Attrs a;
    a.ap = 1;
    a.af = 0;
    map(0x40'0000, 0x8765'4000, a);
    attach_s1(3, cd_for(s1pt).ha());
    uint64_t desc = s1pt.last_desc();
    uint64_t where = s1pt.table_addr(3, 0x40'0000) + 8 * ((0x40'0000 >> 12) & 511);
    ASSERT_EQ(mem.read64(where), desc);
    auto d = dbg(3, 0x40'0000);
    ASSERT_EQ(d.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(d.perms, SMMU_PERM_R | SMMU_PERM_W | SMMU_PERM_X | SMMU_PERM_HTTU);
    EXPECT_EQ(mem.read64(where), desc) << "AF not set";
    EXPECT_EQ(stats().httu_updates, 0u);
    auto r = tx(3, 0x40'0000);
    ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(mem.read64(where), desc | SMMU_BIT(10)) << "a real access sets AF";
}

// 3.13.3: a writable-clean page (DBM = 1, AP[2] = 1) is not writable as it
// is: no W, and a debug write does not mark it dirty.
TEST_F(Dbg, WritableClean_NoWriteNotMarkedDirty_3_13_3)
{
    S1Attrs a;
    a.ap = 3; // read-only at EL0 and EL1 ...
    a.dbm = 1; // ... until hardware marks it dirty
    map(0x40'0000, 0x8765'4000, a);
    attach_s1(3, cd_for(s1pt).ha().hd());
    uint64_t where = s1pt.table_addr(3, 0x40'0000) + 8 * ((0x40'0000 >> 12) & 511);
    uint64_t desc = mem.read64(where);
    auto d = dbg(3, 0x40'0000, true);
    ASSERT_EQ(d.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(d.perms, SMMU_PERM_R | SMMU_PERM_X);
    EXPECT_EQ(mem.read64(where), desc);
}

// SMMUEN = 0 (6.3.14): GBPA decides, as for a transaction.
TEST_F(SmmuTest, DebugTranslate_GbpaBypassAndAbort_6_3_14)
{
    enable_queues();
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE);
    smmu_request_t q;
    std::memset(&q, 0, sizeof q);
    q.addr = 0x1234'5678;
    q.size = 4;
    smmu_response_t r;
    ASSERT_EQ(smmu_translate_debug(smmu, &q, &r), SMMU_OK);
    EXPECT_EQ(r.outcome, SMMU_XLATE_OK);
    EXPECT_EQ(r.pa, 0x1234'5678u);
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | SMMU_GBPA_ABORT);
    ASSERT_EQ(smmu_translate_debug(smmu, &q, &r), SMMU_OK);
    EXPECT_EQ(r.outcome, SMMU_XLATE_ABORT);
    EXPECT_EQ(r.event, 0);
    EXPECT_EQ(smmu_translate_debug(nullptr, &q, &r), SMMU_ERR_INVAL);
}

} // namespace
} // namespace smmutest

// SPDX-License-Identifier: Apache-2.0
// Driver-checker (smmu/smmu_checker.h, docs/conformance.md): for each rule a
// trigger (the rule fires, exactly once and alone, with its StreamID /
// address / CMDQ index) and its correct twin (nothing fires). The driver
// sequences mirror tests/conformance/checker/*.yaml; the spec section of each
// rule is in the test's comment.
#include <gtest/gtest.h>

#include <string>
#include <vector>

#include "support/fixture.h"

extern "C" {
#include "smmu/smmu_checker.h"
#include "smmu/smmu_timing.h"
}

using namespace smmutest;

namespace {

struct Seen {
    std::string rule, section;
    int64_t sid, ssid, cmd;
    uint64_t addr;
};

void collect(void *ctx, const smmu_violation_t *v)
{
    static_cast<std::vector<Seen> *>(ctx)->push_back(
        {v->rule, v->section, v->sid, v->ssid, v->cmd_index, v->addr});
}

constexpr uint64_t kCd = kTables;               // CD of StreamID 3
constexpr uint64_t kCd2 = kTables + 0x1000;     // a copy
constexpr uint64_t kL1 = kTables + 0x10000;     // 4K granule, 39-bit VA: L1, L2, L3
constexpr uint64_t kL2 = kTables + 0x11000;
constexpr uint64_t kL3 = kTables + 0x12000;
constexpr uint64_t kVa = 0x8000'0000, kPa = 0x9000'0000;
constexpr uint64_t kCdW0 = 0x00016205c0193519ull; // T0SZ 25, TG0 4K, EPD1, V, IPS 48, R, A, AA64, ASID 1
constexpr uint64_t kSte3 = kStrtab + 3 * 64;

class Checker : public SmmuTest {
  protected:
    std::vector<Seen> seen;

    void configure(smmu_config_t &c) override
    {
        c.ats = 1;
        c.pri = 1;
        c.stall_model = 0; // stall and terminate
    }
    void SetUp() override
    {
        SmmuTest::SetUp();
        boot();
        ASSERT_EQ(smmu_checker_enable(smmu, collect, &seen), SMMU_OK);
    }
    void note(uint64_t pa, uint32_t len) { smmu_note_mem_write(smmu, pa, len); }
    void w64(uint64_t pa, uint64_t v)
    {
        mem.write64(pa, v);
        note(pa, 8);
    }
    // StreamID 3: stage 1 (Config 0b101), VA kVa -> PA kPa; STE word 1 given.
    void attach(uint64_t ste_w1 = 0, uint64_t cd_w0 = kCdW0)
    {
        mem.write64(kL1 + 2 * 8, kL2 | 3);
        mem.write64(kL2, kL3 | 3);
        mem.write64(kL3, kPa | 0x743);
        const uint64_t cd[8] = {cd_w0, kL1, 0, 0x44ff, 0, 0, 0, 0};
        for (int i = 0; i < 8; i++) {
            mem.write64(kCd + 8 * i, cd[i]);
            mem.write64(kCd2 + 8 * i, cd[i]);
        }
        write_ste(3, {kCd | 0xb, ste_w1, 0, 0, 0, 0, 0, 0});
        submit({cmd_cfgi_ste(3, true), cmd_sync()});
    }
    void xlate_ok(uint64_t pa = kPa)
    {
        smmu_response_t r = xlate(3, kVa + 0x123);
        ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
        ASSERT_EQ(r.pa, pa + 0x123);
    }
    // The rules that fired, in order.
    std::vector<std::string> rules() const
    {
        std::vector<std::string> v;
        for (const Seen &s : seen)
            v.push_back(s.rule);
        return v;
    }
    using V = std::vector<std::string>;
};

// TLBI (4.4.1): NUM w0[16:12], SCALE w0[24:20], VMID w0[47:32], ASID w0[63:48];
// Leaf w1[0], TTL w1[9:8], TG w1[11:10], Address w1[63:12].
Cmd tlbi(uint8_t op, uint16_t asid, uint64_t addr, bool leaf, unsigned tg = 0, unsigned ttl = 0,
         unsigned num = 0)
{
    return {uint64_t(op) | uint64_t(num) << 12 | uint64_t(asid) << 48,
            (leaf ? 1u : 0u) | uint64_t(ttl) << 8 | uint64_t(tg) << 10 | addr};
}
Cmd nh_va(uint16_t asid, uint64_t va, bool leaf = true) { return tlbi(SMMU_CMD_TLBI_NH_VA, asid, va, leaf); }

} // namespace

// ---- rule table -----------------------------------------------------------

TEST(CheckerRules, TableHasEveryRuleWithSection)
{
    ASSERT_EQ(smmu_checker_rule_count(), 21u);
    const char *id, *sec, *text;
    ASSERT_EQ(smmu_checker_rule_at(0, &id, &sec, &text), 0);
    EXPECT_STREQ(id, "STALE_TLB");
    EXPECT_STREQ(sec, "3.21.1");
    EXPECT_EQ(smmu_checker_rule_at(21, &id, &sec, &text), -1);
    for (size_t i = 0; i < smmu_checker_rule_count(); i++) {
        ASSERT_EQ(smmu_checker_rule_at(i, &id, &sec, &text), 0);
        EXPECT_GE(sec[0], '1');
        EXPECT_LE(sec[0], '9');
        EXPECT_GT(strlen(text), 10u);
    }
}

TEST(CheckerApi, NullArgumentsRejectedAndNoteWithoutCheckerIsHarmless)
{
    EXPECT_EQ(smmu_checker_enable(nullptr, collect, nullptr), SMMU_ERR_INVAL);
    smmu_note_mem_write(nullptr, 0, 8);
    smmu_checker_disable(nullptr);
}

// Disabled: nothing is reported and translations use the micro-TLB again.
TEST_F(Checker, DisableStopsReportsAndRestoresTheMicroTlb)
{
    attach();
    smmu_checker_disable(smmu);
    xlate_ok();
    w64(kL3, 0);
    xlate_ok(); // stale, but nobody is told
    EXPECT_TRUE(seen.empty());
    smmu_stats_t st;
    smmu_get_stats(smmu, &st);
    EXPECT_EQ(st.utlb_hits, 1u);
}

// ---- 3.21.1: STALE_TLB -------------------------------------------------------

TEST_F(Checker, StaleTlb_3_21_1_UnmapWithoutInvalidation)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    xlate_ok(); // the model answers from its TLB, as hardware may
    ASSERT_EQ(rules(), V{"STALE_TLB"});
    EXPECT_EQ(seen[0].sid, 3);
    EXPECT_EQ(seen[0].addr, kL3);
    EXPECT_STREQ("3.21.1", seen[0].section.c_str());
}

TEST_F(Checker, StaleTlbOk_3_21_1_UnmapTlbiSync)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa + 0x123).outcome, SMMU_XLATE_ABORT); // F_TRANSLATION, recorded
    EXPECT_TRUE(seen.empty());
}

// Micro-TLB hits are checked too (the gate keeps them off the hit path).
TEST_F(Checker, StaleTlb_3_21_1_MicroTlbHitIsChecked)
{
    attach();
    xlate_ok();
    xlate_ok(); // micro-TLB hit inside the checker's translation
    w64(kL3, 0);
    xlate_ok();
    EXPECT_EQ(rules(), V{"STALE_TLB"});
}

// A cached abort STE still used after the STE was made to translate: the
// CFGI_STE was forgotten (3.21.3).
TEST_F(Checker, StaleTlb_3_21_3_CachedAbortSteAfterAttachWithoutCfgi)
{
    attach();
    w64(kSte3, 1); // abort
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa).outcome, SMMU_XLATE_ABORT); // cached
    w64(kSte3, kCd | 0xb); // attach again, no CFGI_STE
    EXPECT_EQ(xlate(3, kVa).outcome, SMMU_XLATE_ABORT);
    ASSERT_EQ(rules(), V{"STALE_TLB"});
    EXPECT_EQ(seen[0].addr, kSte3);
}

TEST_F(Checker, StaleTlbOk_3_21_3_AttachWithCfgi)
{
    attach();
    w64(kSte3, 1);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa).outcome, SMMU_XLATE_ABORT);
    w64(kSte3, kCd | 0xb);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    xlate_ok();
    EXPECT_TRUE(seen.empty());
}

// With timing on (enabled after the checker), translations still reach it.
TEST_F(Checker, StaleTlb_3_21_1_WithTimingOn)
{
    smmu_config_t c;
    smmu_timing_t t;
    ASSERT_EQ(smmu_preset_get("functional", &c, &t), SMMU_OK);
    ASSERT_EQ(smmu_set_timing(smmu, &t), SMMU_OK);
    attach();
    xlate_ok();
    xlate_ok();
    w64(kL3, 0);
    xlate_ok();
    EXPECT_EQ(rules(), V{"STALE_TLB"});
    smmu_checker_disable(smmu); // the micro-TLB goes back to timing
    xlate_ok();
}

// A permission downgrade without invalidation: a write still allowed by the TLB.
TEST_F(Checker, StaleTlb_3_21_1_PermissionDowngrade)
{
    attach();
    ASSERT_EQ(xlate(3, kVa + 0x10, true).outcome, SMMU_XLATE_OK);
    w64(kL3, kPa | 0x7c3); // AP[2] = 1: read-only
    EXPECT_EQ(xlate(3, kVa + 0x10, true).outcome, SMMU_XLATE_OK);
    EXPECT_EQ(rules(), V{"STALE_TLB"});
}

// ---- 3.21.1.1: NO_BBM ----------------------------------------------------------

TEST_F(Checker, NoBbm_3_21_1_1_OutputChangedWhileValid)
{
    attach();
    xlate_ok();
    w64(kL3, (kPa + 0x1000) | 0x743);
    ASSERT_EQ(rules(), V{"NO_BBM"});
    EXPECT_EQ(seen[0].addr, kL3);
}

TEST_F(Checker, NoBbmOk_3_21_1_1_BreakInvalidateMake)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa), cmd_sync()});
    w64(kL3, (kPa + 0x1000) | 0x743);
    xlate_ok(kPa + 0x1000);
    EXPECT_TRUE(seen.empty());
}

// ---- 3.21.3.1: STE_LIVE_UPDATE, CD_LIVE_UPDATE -----------------------------------

TEST_F(Checker, SteLiveUpdate_3_21_3_1_TwoUsedWordsAtOnce)
{
    attach();
    xlate_ok();
    mem.write64(kSte3, kCd2 | 0xb);
    mem.write64(kSte3 + 8, 0x14);
    note(kSte3, 64);
    ASSERT_EQ(rules(), V{"STE_LIVE_UPDATE"});
    EXPECT_EQ(seen[0].addr, kSte3);
}

TEST_F(Checker, SteLiveUpdateOk_3_21_3_1_OneWordThenCfgiSync)
{
    attach();
    xlate_ok();
    w64(kSte3 + 8, 0x14);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    xlate_ok();
    w64(kSte3, kCd2 | 0xb);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    xlate_ok();
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, SteLiveUpdate_3_21_3_1_TwoSeparateWritesWithoutCfgi)
{
    attach();
    xlate_ok();
    w64(kSte3 + 8, 0x14);
    EXPECT_TRUE(seen.empty()); // one word: hitless so far
    w64(kSte3, kCd2 | 0xb);
    EXPECT_EQ(rules(), V{"STE_LIVE_UPDATE"});
}

TEST_F(Checker, CdLiveUpdate_3_21_3_1_AsidAndTtbTogether)
{
    attach();
    xlate_ok();
    mem.write64(kCd, kCdW0 + (1ull << 48));
    mem.write64(kCd + 8, kL1 + 0x100000);
    note(kCd, 16);
    ASSERT_EQ(rules(), V{"CD_LIVE_UPDATE"});
    EXPECT_EQ(seen[0].addr, kCd);
    EXPECT_EQ(seen[0].ssid, 0);
}

TEST_F(Checker, CdLiveUpdateOk_3_21_3_1_AsidOnlyThenCfgiCd)
{
    attach();
    xlate_ok();
    w64(kCd, kCdW0 + (1ull << 48)); // ASID 2 (Linux 6.1 live CD update)
    submit({{SMMU_CMD_CFGI_CD | 3ull << 32, 1}, cmd_sync(),
            tlbi(SMMU_CMD_TLBI_NH_ASID, 1, 0, false), cmd_sync()});
    xlate_ok();
    EXPECT_TRUE(seen.empty());
}

// Linux 6.1 detach (arm_smmu_write_strtab_ent): word 0 to abort, then words 1
// and 2 with no CFGI in between, then CFGI_STE + CMD_SYNC: hitless, since an
// abort STE ignores words 1-3.
TEST_F(Checker, SteLiveUpdateOk_3_21_3_1_Linux61DetachToAbort)
{
    attach();
    xlate_ok();
    w64(kSte3, 1);
    w64(kSte3 + 8, 1ull << 44); // SHCFG incoming
    w64(kSte3 + 16, 0);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa).outcome, SMMU_XLATE_ABORT);
    EXPECT_TRUE(seen.empty());
}

// ---- 4.4: INVAL_WRONG_TAG, TLBI_WRONG_REGIME, TLBI_RANGE_RES0 ---------------------

TEST_F(Checker, InvalWrongTag_4_4_AsidOfNoConfiguration)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(5, kVa), cmd_sync()});
    ASSERT_EQ(rules(), V{"INVAL_WRONG_TAG"});
    EXPECT_EQ(seen[0].cmd, 5); // boot: 3 commands, attach: CFGI_STE + CMD_SYNC
}

TEST_F(Checker, InvalWrongTagOk_4_4_TheCdsAsid)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa), cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

// Lazy mode: another domain's TLBI_NH_ASID while this one's unmap waits for
// its deferred flush names no changed descriptor: nothing to report.
TEST_F(Checker, InvalWrongTagOk_4_4_LazyFlushOfAnotherDomain)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({tlbi(SMMU_CMD_TLBI_NH_ASID, 7, 0, false), cmd_sync()});
    EXPECT_TRUE(seen.empty());
    submit({tlbi(SMMU_CMD_TLBI_NH_ASID, 1, 0, false), cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, TlbiWrongRegime_4_4_2_El2AsidOfAnEl1Domain)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({tlbi(SMMU_CMD_TLBI_EL2_ASID, 1, 0, false), cmd_sync()});
    EXPECT_EQ(rules(), V{"TLBI_WRONG_REGIME"});
}

TEST_F(Checker, TlbiWrongRegime_4_4_2_El2ForAnEl1Stream)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({tlbi(SMMU_CMD_TLBI_EL2_VA, 1, kVa, true), cmd_sync()});
    ASSERT_EQ(rules(), V{"TLBI_WRONG_REGIME"});
    EXPECT_EQ(seen[0].sid, 3);
}

TEST_F(Checker, TlbiWrongRegime_4_4_2_NhForAnEl2Stream)
{
    attach(0x80000000ull); // STE.STRW = 0b10: EL2 (5.2)
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa), cmd_sync()});
    EXPECT_EQ(rules(), V{"TLBI_WRONG_REGIME"});
}

TEST_F(Checker, TlbiWrongRegimeOk_4_4_2_El2VaForAnEl2Stream)
{
    attach(0x80000000ull);
    xlate_ok();
    w64(kL3, 0);
    submit({tlbi(SMMU_CMD_TLBI_EL2_VA, 1, kVa, true), cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

// A stage-2-only stream (Config 0b110, S2VMID 1): its unmap needs TLBI_S2_IPA.
class CheckerS2 : public Checker {
  protected:
    void attach_s2()
    {
        mem.write64(kL1 + 2 * 8, kL2 | 3);
        mem.write64(kL2, kL3 | 3);
        mem.write64(kL3, kPa | 0x7ff); // S2AP RW, MemAttr WB, SH inner, AF
        // STE 5: V, Config 0b110; S2VMID 1, S2T0SZ 25, S2SL0 1, 4K, S2PS 48, S2AA64
        write_ste(5, {0xd, 0, 0x000d005900000001ull, kL1, 0, 0, 0, 0});
        submit({cmd_cfgi_ste(5, true), cmd_sync()});
        smmu_response_t r = xlate(5, kVa + 0x123);
        ASSERT_EQ(r.outcome, SMMU_XLATE_OK);
        ASSERT_EQ(r.pa, kPa + 0x123);
        w64(kL3, 0);
    }
};

TEST_F(CheckerS2, TlbiWrongRegime_4_4_2_NhVaForAStage2Stream)
{
    attach_s2();
    submit({nh_va(0, kVa), cmd_sync()});
    ASSERT_EQ(rules(), V{"TLBI_WRONG_REGIME"});
    EXPECT_EQ(seen[0].sid, 5);
}

TEST_F(CheckerS2, TlbiWrongRegimeOk_4_4_3_1_S2IpaWithTheVmid)
{
    attach_s2();
    Cmd c = tlbi(SMMU_CMD_TLBI_S2_IPA, 0, kVa, true);
    c[0] |= 1ull << 32; // VMID 1
    submit({c, cmd_sync()});
    EXPECT_EQ(xlate(5, kVa + 0x123).outcome, SMMU_XLATE_ABORT);
    EXPECT_TRUE(seen.empty());
}

TEST_F(CheckerS2, InvalWrongTag_4_4_3_1_S2IpaWithAnotherVmid)
{
    attach_s2();
    Cmd c = tlbi(SMMU_CMD_TLBI_S2_IPA, 0, kVa, true);
    c[0] |= 2ull << 32; // VMID 2: no stream uses it
    submit({c, cmd_sync()});
    EXPECT_EQ(rules(), V{"INVAL_WRONG_TAG"});
}

// A nested stream (Config 0b111, S2VMID 1): stage 2 maps IPA [0, 1GB) and
// [2GB, 3GB) to the same PAs with level-1 blocks; stage 1 as attach().
class CheckerNested : public Checker {
  protected:
    static constexpr uint64_t kS2L1 = kTables + 0x20000;
    void attach_nested()
    {
        attach();
        mem.write64(kS2L1, 0x0 | 0x7fd);                  // IPA 0: 1GB block, S2AP RW, AF
        mem.write64(kS2L1 + 2 * 8, 0x80000000ull | 0x7fd); // IPA 2GB
        write_ste(3, {kCd | 0xf, 0, 0x000d005900000001ull, kS2L1, 0, 0, 0, 0});
        submit({cmd_cfgi_ste(3, true), cmd_sync()});
        xlate_ok();
        w64(kS2L1 + 2 * 8, 0); // the guest's memory at IPA 2GB unmapped in stage 2
    }
    Cmd vmid1(Cmd c)
    {
        c[0] |= 1ull << 32;
        return c;
    }
};

TEST_F(CheckerNested, TlbiWrongRegime_4_4_3_1_S2IpaAloneAfterNestedChange)
{
    attach_nested();
    submit({vmid1(tlbi(SMMU_CMD_TLBI_S2_IPA, 0, kPa, true)), cmd_sync()});
    EXPECT_TRUE(seen.empty()); // a TLBI_S12_VMALL may still come before any translation
    xlate(3, kVa + 0x123); // uses the combined entry S2_IPA left: stale too
    ASSERT_EQ(rules(), (V{"TLBI_WRONG_REGIME", "STALE_TLB"}));
    EXPECT_EQ(seen[0].addr, kS2L1 + 2 * 8);
    EXPECT_EQ(seen[0].cmd, 7);
}

// Linux's nest parent (v6.13 arm_smmu_tlb_inv_range_domain): TLBI_S2_IPA +
// CMD_SYNC, then TLBI_NH_ALL for the VMID + CMD_SYNC, before any translation.
TEST_F(CheckerNested, TlbiWrongRegimeOk_4_4_3_1_S2IpaThenNhAllNextBatch)
{
    attach_nested();
    submit({vmid1(tlbi(SMMU_CMD_TLBI_S2_IPA, 0, kPa, true)), cmd_sync()});
    submit({vmid1(tlbi(SMMU_CMD_TLBI_NH_ALL, 0, 0, false)), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa + 0x123).outcome, SMMU_XLATE_ABORT); // stage-2 fault now
    EXPECT_TRUE(seen.empty());
}

TEST_F(CheckerNested, TlbiWrongRegimeOk_4_4_3_2_S2IpaAndS12Vmall)
{
    attach_nested();
    submit({vmid1(tlbi(SMMU_CMD_TLBI_S2_IPA, 0, kPa, true)),
            vmid1(tlbi(SMMU_CMD_TLBI_S12_VMALL, 0, 0, false)), cmd_sync()});
    EXPECT_EQ(xlate(3, kVa + 0x123).outcome, SMMU_XLATE_ABORT); // stage-2 fault now
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, TlbiRangeRes0_4_4_1_1_NumWithTg0)
{
    attach();
    submit({tlbi(SMMU_CMD_TLBI_NH_VA, 1, kVa, true, 0, 0, 3)});
    ASSERT_EQ(rules(), V{"TLBI_RANGE_RES0"});
    EXPECT_EQ(seen[0].addr, kVa);
}

TEST_F(Checker, TlbiRangeRes0Ok_4_4_1_1_RangeWithGranule)
{
    attach();
    submit({tlbi(SMMU_CMD_TLBI_NH_VA, 1, kVa, true, 1, 3, 3), cmd_sync()});
    EXPECT_TRUE(seen.empty());
    EXPECT_EQ(cmdq_cons_err(), 0u);
}

// ---- 4.7.3: MISSING_SYNC -------------------------------------------------------

TEST_F(Checker, MissingSync_4_7_3_TranslationBeforeTheSync)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa)});
    xlate(3, kVa + 0x123);
    ASSERT_EQ(rules(), V{"MISSING_SYNC"});
    EXPECT_EQ(seen[0].addr, kL3);
    EXPECT_EQ(seen[0].cmd, 5); // boot: 3 commands, attach: CFGI_STE + CMD_SYNC
}

TEST_F(Checker, MissingSyncOk_4_7_3_SyncFirst)
{
    attach();
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa)});
    submit({cmd_sync()});
    xlate(3, kVa + 0x123);
    EXPECT_TRUE(seen.empty());
}

// ---- USE_AFTER_FREE ---------------------------------------------------------------

TEST_F(Checker, UseAfterFree_3_21_1_TablePageReusedBeforeInvalidation)
{
    attach();
    xlate_ok();
    w64(kL2, 0);                     // unlink the level-3 table
    w64(kL3, 0xdeadbeef00000000ull); // reuse its page at once
    ASSERT_EQ(rules(), V{"USE_AFTER_FREE"});
    EXPECT_EQ(seen[0].addr, kL3);
}

TEST_F(Checker, UseAfterFreeOk_3_21_1_UnlinkTlbiLeaf0SyncReuse)
{
    attach();
    xlate_ok();
    w64(kL2, 0);
    submit({nh_va(1, kVa, false), cmd_sync()});
    w64(kL3, 0xdeadbeef00000000ull);
    EXPECT_TRUE(seen.empty());
}

// The CD an STE stopped pointing to is reused before CFGI_STE + CMD_SYNC.
TEST_F(Checker, UseAfterFree_3_21_3_OldCdReusedBeforeCfgi)
{
    attach();
    xlate_ok();
    w64(kSte3, kCd2 | 0xb); // STE 3 now uses the copy (one word: hitless)
    EXPECT_TRUE(seen.empty());
    w64(kCd, 0);            // the old CD's memory freed and reused at once
    ASSERT_EQ(rules(), V{"USE_AFTER_FREE"});
    EXPECT_EQ(seen[0].addr, kCd);
}

TEST_F(Checker, UseAfterFreeOk_3_21_3_OldCdReusedAfterCfgiSync)
{
    attach();
    xlate_ok();
    w64(kSte3, kCd2 | 0xb);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    w64(kCd, 0);
    xlate_ok();
    EXPECT_TRUE(seen.empty());
}

// ---- 3.5.1: QUEUE_POINTER ------------------------------------------------------------

TEST_F(Checker, QueuePointer_3_5_1_EventqConsPastProd)
{
    wr(SMMU_EVENTQ_CONS, 5);
    ASSERT_EQ(rules(), V{"QUEUE_POINTER"});
    EXPECT_EQ(seen[0].addr, SMMU_EVENTQ_CONS);
}

TEST_F(Checker, QueuePointer_3_5_1_EventqConsPage0Alias)
{
    wr(SMMU_EVENTQ_CONS_P0, 5);
    EXPECT_EQ(rules(), V{"QUEUE_POINTER"});
}

TEST_F(Checker, QueuePointer_3_5_1_CmdqProdBeyondSize)
{
    wr(SMMU_CMDQ_PROD, 1u << (kCmdqLog2 + 1));
    EXPECT_EQ(rules(), V{"QUEUE_POINTER"});
}

TEST_F(Checker, QueuePointerOk_3_5_1_ConsUpToProd)
{
    attach();
    xlate(3, kVa + 0x400000); // F_TRANSLATION: one record
    ASSERT_EQ(rd(SMMU_EVENTQ_PROD) & 0xFF, 1u);
    wr(SMMU_EVENTQ_CONS, 1);
    EXPECT_TRUE(seen.empty());
}

// ---- 6.3.9: ENABLE_ORDER --------------------------------------------------------------

TEST_F(Checker, EnableOrder_6_3_9_BaseWrittenWhileEnabled)
{
    wr(SMMU_STRTAB_BASE, kStrtab, 8);
    ASSERT_EQ(rules(), V{"ENABLE_ORDER"});
    EXPECT_EQ(seen[0].addr, SMMU_STRTAB_BASE);
}

TEST_F(Checker, EnableOrder_6_3_9_EnableBeforeBase)
{
    smmu_reset(smmu); // the checker forgets the bases programmed so far
    wr(SMMU_CR0, SMMU_CR0_CMDQEN);
    EXPECT_EQ(rules(), V{"ENABLE_ORDER"});
}

TEST_F(Checker, EnableOrderOk_6_3_9_BootInOrder)
{
    smmu_reset(smmu);
    boot();
    EXPECT_TRUE(seen.empty());
}

// ---- 6.3: ILLEGAL_WRITE -----------------------------------------------------------------

TEST_F(Checker, IllegalWrite_6_3_11_Cr1TableShReserved)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_CR1, 0x575);
    ASSERT_EQ(rules(), V{"ILLEGAL_WRITE"});
    EXPECT_EQ(seen[0].addr, SMMU_CR1);
}

TEST_F(Checker, IllegalWrite_6_3_25_StrtabSplitReserved)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_STRTAB_BASE_CFG, 1u << 16 | 7u << 6 | 16);
    EXPECT_EQ(rules(), V{"ILLEGAL_WRITE"});
}

TEST_F(Checker, IllegalWriteOk_6_3_11_DefinedEncodings)
{
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    wr(SMMU_CR1, 0xd75);
    wr(SMMU_STRTAB_BASE_CFG, 1u << 16 | 8u << 6 | 16);
    EXPECT_TRUE(seen.empty());
}

// ---- 6.3.21/30/34: IRQ_CFG_WHILE_ENABLED --------------------------------------------------

TEST_F(Checker, IrqCfgWhileEnabled_6_3_30)
{
    wr(SMMU_IRQ_CTRL, 0);
    ASSERT_TRUE(seen.empty());
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_GERROR_IRQEN | SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    wr(SMMU_EVENTQ_IRQ_CFG0, 0x8000000, 8);
    wr(SMMU_GERROR_IRQ_CFG1, 0);
    EXPECT_EQ(rules(), (V{"IRQ_CFG_WHILE_ENABLED", "IRQ_CFG_WHILE_ENABLED"}));
}

TEST_F(Checker, IrqCfgWhileEnabledOk_6_3_30_ConfigureThenEnable)
{
    wr(SMMU_IRQ_CTRL, 0); // the fixture's boot may have enabled some
    wr(SMMU_EVENTQ_IRQ_CFG0, 0x8000000, 8);
    wr(SMMU_EVENTQ_IRQ_CFG1, 0);
    wr(SMMU_EVENTQ_IRQ_CFG2, 1);
    wr(SMMU_IRQ_CTRL, SMMU_IRQ_CTRL_EVENTQ_IRQEN);
    EXPECT_TRUE(seen.empty());
}

// ---- 3.9: ATC_INV_ORDER, EATS_TRANSITION, ATSCHK_CHANGE, SMMUEN_OFF_WITH_ATS -------------------

constexpr uint64_t kEats1 = 1ull << 28, kEats2 = 2ull << 28; // STE.EATS, word 1 [29:28]

TEST_F(Checker, AtcInvOrder_3_9_1_AtcInvBeforeTlbi)
{
    attach(kEats1);
    xlate_ok();
    w64(kL3, 0);
    submit({{SMMU_CMD_ATC_INV | 3ull << 32, kVa}, cmd_sync()});
    ASSERT_EQ(rules(), V{"ATC_INV_ORDER"});
    EXPECT_EQ(seen[0].sid, 3);
}

TEST_F(Checker, AtcInvOrderOk_3_9_1_TlbiSyncThenAtcInv)
{
    attach(kEats1);
    xlate_ok();
    w64(kL3, 0);
    submit({nh_va(1, kVa), cmd_sync(), {SMMU_CMD_ATC_INV | 3ull << 32, kVa}, cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, EatsTransition_3_9_2_FullToSplitDirectly)
{
    attach(kEats1);
    xlate_ok();
    w64(kSte3 + 8, kEats2);
    ASSERT_EQ(rules(), V{"EATS_TRANSITION"});
    EXPECT_EQ(seen[0].addr, kSte3);
}

TEST_F(Checker, EatsTransitionOk_3_9_2_ThroughZero)
{
    attach(kEats1);
    xlate_ok();
    w64(kSte3 + 8, 0);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    xlate_ok();
    w64(kSte3 + 8, kEats2);
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, AtschkChange_5_2_WhileEats2Live)
{
    attach(kEats2);
    xlate(3, kVa); // C_BAD_STE or not: the STE is read, so live
    wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_ATSCHK);
    ASSERT_EQ(rules(), V{"ATSCHK_CHANGE"});
}

TEST_F(Checker, AtschkChangeOk_5_2_NoEatsLive)
{
    attach();
    xlate_ok();
    wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_ATSCHK);
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, SmmuenOffWithAts_3_9_1)
{
    attach(kEats1);
    xlate_ok();
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    ASSERT_EQ(rules(), V{"SMMUEN_OFF_WITH_ATS"});
    EXPECT_EQ(seen[0].sid, 3);
}

TEST_F(Checker, SmmuenOffWithAtsOk_3_9_1_EatsClearedFirst)
{
    attach(kEats1);
    xlate_ok();
    w64(kSte3 + 8, 0);
    submit({cmd_cfgi_ste(3, true), cmd_sync()});
    wr(SMMU_CR0, SMMU_CR0_CMDQEN | SMMU_CR0_EVENTQEN);
    EXPECT_TRUE(seen.empty());
}

// ---- 4.7.1, 4.7.2: RESUME_NO_STALL, STALL_TERM_ORDER -------------------------------------------

TEST_F(Checker, ResumeNoStall_4_7_1)
{
    attach();
    submit({{SMMU_CMD_RESUME | 3ull << 32, 7}, cmd_sync()});
    ASSERT_EQ(rules(), V{"RESUME_NO_STALL"});
    EXPECT_EQ(seen[0].sid, 3);
}

TEST_F(Checker, ResumeNoStallOk_4_7_1_ResumeTheStall)
{
    attach(0, kCdW0 | 1ull << 44); // CD.S = 1: stall faults (5.4)
    smmu_response_t r = xlate(3, kVa + 0x400000);
    ASSERT_EQ(r.outcome, SMMU_XLATE_STALLED);
    submit({{SMMU_CMD_RESUME | 3ull << 32 | 1ull << 13, r.stag}, cmd_sync()}); // Ab = 1
    EXPECT_TRUE(seen.empty());
}

TEST_F(Checker, StallTermOrder_4_7_2_SteStillTranslates)
{
    attach();
    xlate_ok();
    submit({{SMMU_CMD_STALL_TERM | 3ull << 32, 0}, cmd_sync()});
    ASSERT_EQ(rules(), V{"STALL_TERM_ORDER"});
}

TEST_F(Checker, StallTermOrderOk_4_7_2_AbortSteFirst)
{
    attach();
    xlate_ok();
    w64(kSte3, 1); // V, Config 0b000: abort
    submit({cmd_cfgi_ste(3, true), cmd_sync(), {SMMU_CMD_STALL_TERM | 3ull << 32, 0}, cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

// ---- 8: PRI_RESP_EARLY -------------------------------------------------------------------------

TEST_F(Checker, PriRespEarly_8_NoConsumedRequest)
{
    attach();
    submit({{SMMU_CMD_PRI_RESP | 3ull << 32, 1}, cmd_sync()});
    ASSERT_EQ(rules(), V{"PRI_RESP_EARLY"});
    EXPECT_EQ(seen[0].sid, 3);
}

// Linux answers while it reads the batch and writes PRIQ_CONS after it.
TEST_F(Checker, PriRespEarlyOk_8_LinuxAnswersBeforeWritingCons)
{
    attach();
    wr(SMMU_CR0, rd(SMMU_CR0) & ~uint64_t(SMMU_CR0_PRIQEN));
    wr(SMMU_PRIQ_BASE, (1ull << 62) | kPriq | 4, 8);
    mem.write64(kPriq, 3ull | 1ull << 62);
    mem.write64(kPriq + 8, 1);
    wr(SMMU_PRIQ_PROD, 1);
    wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_PRIQEN);
    submit({{SMMU_CMD_PRI_RESP | 3ull << 32, 1}, cmd_sync()});
    wr(SMMU_PRIQ_CONS, 1);
    EXPECT_TRUE(seen.empty());
    submit({{SMMU_CMD_PRI_RESP | 3ull << 32, 2}, cmd_sync()}); // PRGI 2: never requested
    EXPECT_EQ(rules(), V{"PRI_RESP_EARLY"});
}

TEST_F(Checker, PriRespEarlyOk_8_AfterConsumingTheLastRequest)
{
    attach();
    wr(SMMU_CR0, rd(SMMU_CR0) & ~uint64_t(SMMU_CR0_PRIQEN));
    wr(SMMU_PRIQ_BASE, (1ull << 62) | kPriq | 4, 8);
    mem.write64(kPriq, 3ull | 1ull << 62); // StreamID 3, Last
    mem.write64(kPriq + 8, 1);             // PRGI 1
    wr(SMMU_PRIQ_PROD, 1);
    wr(SMMU_CR0, rd(SMMU_CR0) | SMMU_CR0_PRIQEN);
    wr(SMMU_PRIQ_CONS, 1);
    submit({{SMMU_CMD_PRI_RESP | 3ull << 32, 1}, cmd_sync()});
    EXPECT_TRUE(seen.empty());
}

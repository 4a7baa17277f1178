// SPDX-License-Identifier: Apache-2.0
// Invalidation notices of register writes (smmu_mem_ops_t.on_invalidate):
// a change of CR0.SMMUEN, CR0.ATSCHK, GBPA, STRTAB_BASE, STRTAB_BASE_CFG or
// CR2 changes how every stream translates (6.3.9, 6.3.12, 6.3.14, 6.3.24,
// 6.3.25), so an embedder holding translations (SystemC DMI grants, 3.21)
// gets SMMU_INVAL_CFG [0, ~0], as after CFGI_ALL. Writes that change none
// of them send nothing.
#include <vector>

#include "support/fixture.h"

namespace smmutest {
namespace {

std::vector<smmu_inval_notice_t> g_notices;
void record(void *, const smmu_inval_notice_t *n) { g_notices.push_back(*n); }

class Notice : public SmmuTest {
  protected:
    void SetUp() override
    {
        SmmuTest::SetUp();
        smmu_mem_ops_t ops = *mem.ops();
        ops.on_invalidate = record;
        smmu_destroy(smmu);
        smmu = smmu_create(&cfg, &ops, mem.ctx(), nullptr, 0);
        ASSERT_NE(smmu, nullptr);
        boot();
        g_notices.clear();
    }
    // Exactly one notice, SMMU_INVAL_CFG over every StreamID.
    void expect_cfg_all()
    {
        ASSERT_EQ(g_notices.size(), 1u);
        EXPECT_EQ(g_notices[0].kind, SMMU_INVAL_CFG);
        EXPECT_EQ(g_notices[0].lo, 0u);
        EXPECT_EQ(g_notices[0].hi, ~0ull);
        g_notices.clear();
    }
};

// 6.3.9: clearing SMMUEN puts every stream under GBPA; setting it again
// brings the stream table back.
TEST_F(Notice, Cr0SmmuenChange_CfgAll_6_3_9)
{
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    wr(SMMU_CR0, cr0 & ~SMMU_CR0_SMMUEN);
    expect_cfg_all();
    wr(SMMU_CR0, cr0);
    expect_cfg_all();
}

// A CR0 write that only changes a queue enable is no translation change.
TEST_F(Notice, Cr0QueueEnableOnly_NoNotice_6_3_9)
{
    uint32_t cr0 = uint32_t(rd(SMMU_CR0));
    wr(SMMU_CR0, cr0 & ~SMMU_CR0_EVENTQEN);
    EXPECT_TRUE(g_notices.empty());
    wr(SMMU_CR0, cr0);
    EXPECT_TRUE(g_notices.empty());
}

// 6.3.14: GBPA decides the fate of every stream while SMMUEN == 0; a write
// without Update takes no effect and sends nothing.
TEST_F(Notice, GbpaUpdate_CfgAll_WithoutUpdate_None_6_3_14)
{
    wr(SMMU_CR0, uint32_t(rd(SMMU_CR0)) & ~SMMU_CR0_SMMUEN);
    g_notices.clear();
    // Flip ABORT (its reset value is IMPLEMENTATION DEFINED, 6.3.14).
    uint32_t flipped = (uint32_t(rd(SMMU_GBPA)) ^ SMMU_GBPA_ABORT) & ~SMMU_GBPA_UPDATE;
    wr(SMMU_GBPA, flipped);
    EXPECT_TRUE(g_notices.empty());
    wr(SMMU_GBPA, SMMU_GBPA_UPDATE | flipped);
    expect_cfg_all();
    EXPECT_EQ(uint32_t(rd(SMMU_GBPA)) & SMMU_GBPA_ABORT, flipped & SMMU_GBPA_ABORT);
}

// 6.3.24, 6.3.25: a new stream table (written while SMMUEN == 0).
TEST_F(Notice, StrtabBaseAndCfg_CfgAll_6_3_24)
{
    wr(SMMU_CR0, uint32_t(rd(SMMU_CR0)) & ~SMMU_CR0_SMMUEN);
    g_notices.clear();
    wr(SMMU_STRTAB_BASE, (0x0050'0000 & SMMU_MASK(51, 6)) | SMMU_BIT(62), 8);
    expect_cfg_all();
    wr(SMMU_STRTAB_BASE_CFG, 4);
    expect_cfg_all();
    // While SMMUEN == 1 both are read-only: the write changes nothing.
    wr(SMMU_CR0, uint32_t(rd(SMMU_CR0)) | SMMU_CR0_SMMUEN);
    g_notices.clear();
    wr(SMMU_STRTAB_BASE_CFG, 6);
    EXPECT_TRUE(g_notices.empty());
}

// 6.3.12: CR2 (E2H, RECINVSID, PTM) while SMMUEN == 0.
TEST_F(Notice, Cr2_CfgAll_6_3_12)
{
    wr(SMMU_CR0, uint32_t(rd(SMMU_CR0)) & ~SMMU_CR0_SMMUEN);
    g_notices.clear();
    wr(SMMU_CR2, SMMU_BIT(1)); // RECINVSID
    expect_cfg_all();
}

} // namespace
} // namespace smmutest

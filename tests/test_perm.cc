// SPDX-License-Identifier: Apache-2.0
// Permission model (perm.c) against the Arm ARM D8.4 tables, both
// privileges, each stage. Expected values are written out from the tables,
// not computed.
#include <gtest/gtest.h>

extern "C" {
#include "perm.h"
#include "smmu/smmu_regs.h"
}

namespace {

constexpr unsigned R = SMMU_PERM_R, W = SMMU_PERM_W, X = SMMU_PERM_X;

smmu_perm_leaf_t leaf(unsigned ap, bool uxn = false, bool pxn = false, unsigned ap_table = 0,
                     bool uxn_table = false, bool pxn_table = false)
{
    smmu_perm_leaf_t w{};
    w.desc = 3 | SMMU_BIT(10) | uint64_t(ap) << 6 | (uxn ? SMMU_BIT(54) : 0) |
             (pxn ? SMMU_BIT(53) : 0);
    w.ap_table = uint8_t(ap_table);
    w.uxn_table = uxn_table;
    w.pxn_table = pxn_table;
    return w;
}

struct ApRow {
    unsigned ap;
    unsigned unpriv, priv;
};

// D8.4.1.2 (stage 1 data access permissions, AP[2:1]) with the implicit
// rule that memory writable at EL0 is not executable at EL1.
TEST(Perm, Stage1ApTable_BothPrivileges_D8_4_1)
{
    const ApRow rows[] = {
        {0b00, X, R | W | X},      // EL1 RW, EL0 none
        {0b01, R | W | X, R | W},  // EL1 RW, EL0 RW (EL1 cannot execute EL0-writable)
        {0b10, X, R | X},          // EL1 RO, EL0 none
        {0b11, R | X, R | X},      // EL1 RO, EL0 RO
    };
    for (const ApRow &r : rows) {
        smmu_perm_leaf_t w = leaf(r.ap);
        EXPECT_EQ(smmu_perm_s1(&w, 0, 0, 0), r.unpriv) << "AP " << r.ap;
        EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 0), r.priv) << "AP " << r.ap;
        EXPECT_EQ(smmu_perm_s1_both(&w, 0, 0), r.unpriv | r.priv << 4) << "AP " << r.ap;
    }
}

TEST(Perm, UxnPxnAndTheirTableForms_D8_4_2)
{
    smmu_perm_leaf_t w = leaf(0b01, true, false);
    EXPECT_EQ(smmu_perm_s1(&w, 0, 0, 0), R | W);
    w = leaf(0b00, false, true);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 0), R | W);
    w = leaf(0b11, false, false, 0, true, false);
    EXPECT_EQ(smmu_perm_s1(&w, 0, 0, 0), R) << "UXNTable";
    w = leaf(0b11, false, false, 0, false, true);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 0), R) << "PXNTable";
}

// APTable[0]: no EL0 access below; APTable[1]: no write access below.
TEST(Perm, ApTableRestrictsAccess_D8_4_1_3)
{
    smmu_perm_leaf_t w = leaf(0b01, false, false, 0b01);
    EXPECT_EQ(smmu_perm_s1(&w, 0, 0, 0), X);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 0), R | W | X) << "no longer EL0-writable: EL1 may execute";
    w = leaf(0b01, false, false, 0b10);
    EXPECT_EQ(smmu_perm_s1(&w, 0, 0, 0), R | X);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 0), R | X);
}

// WXN: writable memory is execute-never at the level that can write it.
TEST(Perm, WxnMakesWritableExecuteNever_D8_4_1)
{
    smmu_perm_leaf_t w = leaf(0b00);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 1, 0), R | W);
    EXPECT_EQ(smmu_perm_s1(&w, 0, 1, 0), X) << "EL0 cannot write it: EL0 may execute";
    w = leaf(0b11);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 1, 0), R | X);
}

// PAN: privileged data access to EL0-accessible memory faults; execute is
// not affected.
TEST(Perm, PanBlocksPrivilegedDataToEl0Memory_D8_4_1)
{
    smmu_perm_leaf_t w = leaf(0b11);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 1), X);
    w = leaf(0b00);
    EXPECT_EQ(smmu_perm_s1(&w, 1, 0, 1), R | W | X);
}

// D8.4.2 stage 2: S2AP[1:0] (bit 7 write, bit 6 read), XN[1:0] with XNX.
TEST(Perm, Stage2S2apAndXn_D8_4_2)
{
    auto d = [](unsigned s2ap, unsigned xn) {
        return 3 | SMMU_BIT(10) | uint64_t(s2ap) << 6 | uint64_t(xn) << 53;
    };
    EXPECT_EQ(smmu_perm_s2(d(0b00, 0), 0, 1), X);
    EXPECT_EQ(smmu_perm_s2(d(0b01, 0), 0, 1), R | X);
    EXPECT_EQ(smmu_perm_s2(d(0b10, 0), 0, 1), W | X);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0), 1, 1), R | W | X);
    // XN[1:0]: 00 both, 01 EL0 only, 10 none, 11 EL1 only (XNX).
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b01), 0, 1), R | W | X);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b01), 1, 1), R | W);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b10), 0, 1), R | W);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b10), 1, 1), R | W);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b11), 0, 1), R | W);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b11), 1, 1), R | W | X);
    // Without XNX only XN[1] counts.
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b01), 1, 0), R | W | X);
    EXPECT_EQ(smmu_perm_s2(d(0b11, 0b10), 1, 0), R | W);
}

TEST(Perm, AllowsPicksTheRightPermission_13_1_2)
{
    smmu_access_t rd{0, 0, 0}, wr{1, 0, 0}, ex{0, 1, 0};
    EXPECT_TRUE(smmu_perm_allows(R, &rd));
    EXPECT_FALSE(smmu_perm_allows(R, &wr));
    EXPECT_FALSE(smmu_perm_allows(R, &ex));
    EXPECT_TRUE(smmu_perm_allows(X, &ex)) << "execute-only allows instruction fetch";
    EXPECT_TRUE(smmu_perm_allows(W, &wr));
}

} // namespace

// SPDX-License-Identifier: Apache-2.0
// Configuration defaults and the version rules of 6.3 (smmu.c).
#include <gtest/gtest.h>

#include <string>

extern "C" {
#include "smmu/smmu.h"
}

namespace {

std::string check(const smmu_config_t &c)
{
    char msg[256] = "";
    smmu_status_t st = smmu_config_check(&c, msg, sizeof msg);
    return st == SMMU_OK ? std::string("OK") : std::string(msg);
}

TEST(Config, DefaultsAreValidForEveryRevision)
{
    for (int v = SMMU_ARCH_V3_0; v <= SMMU_ARCH_V3_3; v++) {
        smmu_config_t c;
        smmu_config_default(&c, smmu_arch_t(v));
        EXPECT_EQ(check(c), "OK") << "v3." << v;
    }
}

// 6.3.4: IDR3.RIL is 1 in SMMUv3.2 and later.
TEST(Config, RilZeroOnV32Rejected)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.ril = 0;
    EXPECT_NE(check(c).find("ril"), std::string::npos) << check(c);
}

// 6.3.4: IDR3.XNX is mandatory with stage 2 from SMMUv3.1.
TEST(Config, XnxZeroWithStage2OnV31Rejected)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_1);
    c.xnx = 0;
    EXPECT_NE(check(c).find("xnx"), std::string::npos) << check(c);
    c.s2p = 0;
    c.vmid16 = 0;
    EXPECT_EQ(check(c), "OK");
}

// 6.3.6: OAS 52 bits (0b110) exists from SMMUv3.1.
TEST(Config, Oas52NeedsV31)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_0);
    c.oas = 6;
    EXPECT_NE(check(c).find("oas"), std::string::npos);
    smmu_config_default(&c, SMMU_ARCH_V3_1);
    c.oas = 6;
    EXPECT_EQ(check(c), "OK");
}

TEST(Config, CreateRejectsBadConfigWithMessage)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.s1p = c.s2p = 0;
    smmu_mem_ops_t ops{};
    char msg[128] = "";
    EXPECT_EQ(smmu_create(&c, &ops, nullptr, msg, sizeof msg), nullptr);
    EXPECT_STRNE(msg, "");
}

// ID-register consistency rules (review findings), one per rule.
smmu_config_t v(smmu_arch_t a)
{
    smmu_config_t c;
    smmu_config_default(&c, a);
    return c;
}

smmu_config_t s1_only(smmu_config_t c)
{
    c.s2p = 0;
    c.fwb = 0;
    c.vmid16 = 0;
    c.hyp = 0;
    c.ptwnnc = 0;
    return c;
}

TEST(Config, HypOrVmwWithoutStage2Rejected_6_3_1)
{
    smmu_config_t c = s1_only(v(SMMU_ARCH_V3_2));
    EXPECT_EQ(check(c), "OK");
    c.hyp = 1;
    EXPECT_NE(check(c).find("hyp"), std::string::npos);
    c.hyp = 0;
    c.vmw = 1;
    EXPECT_NE(check(c).find("vmw"), std::string::npos);
}

TEST(Config, RelAtsrecerrPpsNeedTheirFeatures_6_3_1_6_3_2_6_3_4)
{
    smmu_config_t c = v(SMMU_ARCH_V3_2);
    c.rel = 1;
    EXPECT_NE(check(c).find("rel"), std::string::npos);
    c = v(SMMU_ARCH_V3_2);
    c.atsrecerr = 1;
    EXPECT_NE(check(c).find("atsrecerr"), std::string::npos);
    c = v(SMMU_ARCH_V3_2);
    c.pps = 1;
    EXPECT_NE(check(c).find("pps"), std::string::npos);
}

TEST(Config, LinearOnlyNeedsSmallSidsize_6_3_2)
{
    smmu_config_t c = v(SMMU_ARCH_V3_2);
    c.st_level = 0;
    EXPECT_NE(check(c).find("st_level"), std::string::npos);
    c.sidsize = 6;
    EXPECT_EQ(check(c), "OK");
}

TEST(Config, V33MandatesE0pdAndPtwnnc_6_3_4)
{
    smmu_config_t c = v(SMMU_ARCH_V3_3);
    EXPECT_EQ(c.e0pd, 1u);
    EXPECT_EQ(c.ptwnnc, 1u);
    c.e0pd = 0;
    EXPECT_NE(check(c).find("e0pd"), std::string::npos);
    c = v(SMMU_ARCH_V3_3);
    c.ptwnnc = 0;
    EXPECT_NE(check(c).find("ptwnnc"), std::string::npos);
    c = s1_only(v(SMMU_ARCH_V3_2));
    c.ptwnnc = 1;
    EXPECT_NE(check(c).find("ptwnnc"), std::string::npos);
}

TEST(Config, Va52AndOa52NeedGran64k_6_3_6)
{
    smmu_config_t c = v(SMMU_ARCH_V3_2);
    c.vax = 1;
    c.gran64k = 0;
    EXPECT_NE(check(c).find("vax"), std::string::npos);
    c = v(SMMU_ARCH_V3_2);
    c.oas = 6;
    c.gran64k = 0;
    EXPECT_NE(check(c).find("oas"), std::string::npos);
}

TEST(Config, HaftIsNotModelled_2_8)
{
    smmu_config_t c = v(SMMU_ARCH_V3_3);
    c.httu = 3;
    EXPECT_NE(check(c).find("httu"), std::string::npos);
}

} // namespace

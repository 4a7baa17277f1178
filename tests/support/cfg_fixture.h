/* SPDX-License-Identifier: Apache-2.0 */
// Small fixture for unit tests of the configuration-structure code
// (strtab.c, cd.c): one instance over SimMem, registers set directly.
#pragma once

#include <gtest/gtest.h>

#include "support/cfg_builder.h"
#include "support/simmem.h"

extern "C" {
#include "cd.h"
#include "smmu_internal.h"
#include "strtab.h"
}

namespace smmutest {

class CfgTest : public ::testing::Test {
  protected:
    SimMem mem;
    smmu_config_t cfg{};
    smmu_t *s = nullptr;

    // Override to change the configuration before the instance is created.
    virtual void configure(smmu_config_t &) {}
    void SetUp() override
    {
        smmu_config_default(&cfg, SMMU_ARCH_V3_2);
        configure(cfg);
        make();
    }
    void TearDown() override { smmu_destroy(s); }
    void make()
    {
        if (s)
            smmu_destroy(s);
        char msg[256] = "";
        s = smmu_create(&cfg, mem.ops(), mem.ctx(), msg, sizeof msg);
        ASSERT_NE(s, nullptr) << msg;
    }
    void linear(uint64_t base, unsigned log2size)
    {
        s->regs.strtab_base = base;
        s->regs.strtab_base_cfg = log2size;
    }
    void two_level(uint64_t base, unsigned log2size, unsigned split)
    {
        s->regs.strtab_base = base;
        s->regs.strtab_base_cfg = (1u << 16) | (split << 6) | log2size;
    }
    void put(uint64_t pa, const Words8 &w)
    {
        for (unsigned i = 0; i < 8; i++)
            mem.write64(pa + 8 * i, w[i]);
    }
    // Distinct recognisable words for "which structure was read" checks.
    static Words8 pattern(uint64_t tag)
    {
        Words8 w{};
        for (unsigned i = 0; i < 8; i++)
            w[i] = (tag << 8) | i;
        return w;
    }
    int decode(const Words8 &w, smmu_ste_t &ste, uint32_t &reason)
    {
        return smmu_ste_decode(s, w.data(), &ste, &reason);
    }
    // Decode expecting success.
    smmu_ste_t ste_ok(const Words8 &w)
    {
        smmu_ste_t ste;
        uint32_t reason = 99;
        EXPECT_EQ(decode(w, ste, reason), 0);
        EXPECT_EQ(reason, (uint32_t)SMMU_STE_ILL_NONE);
        return ste;
    }
    // Decode expecting C_BAD_STE; returns the reason.
    uint32_t ste_bad(const Words8 &w)
    {
        smmu_ste_t ste;
        uint32_t reason = 0;
        EXPECT_EQ(decode(w, ste, reason), SMMU_EVT_C_BAD_STE);
        return reason;
    }
};

} // namespace smmutest

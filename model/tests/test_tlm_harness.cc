// SPDX-License-Identifier: Apache-2.0
// TlmHarness: the test harness itself. Every SystemC warning or error is
// a test failure (main.cc's report handler), so a component that warns
// cannot pass.
#include "tlm_harness.h"

#include <gtest/gtest-spi.h>

using namespace tlmtest;

TEST(TlmHarness, SystemCWarningFailsTheTest)
{
    EXPECT_NONFATAL_FAILURE(SC_REPORT_WARNING("smmu/test", "a deliberate warning"),
                            "a deliberate warning");
}

// The platform elaborates, boots and stops without any SystemC report.
TEST(TlmHarness, PlatformBootsWithoutReports)
{
    Platform p;
    standard_tables(p);
    run([&] {
        p.boot();
        EXPECT_EQ(p.rd(SMMU_CR0ACK) & SMMU_CR0_SMMUEN, SMMU_CR0_SMMUEN);
    });
}

// The instance has the ports docs/systemc.md lists.
TEST(TlmHarness, PortsAsDocumented)
{
    Platform p(nullptr, 3);
    Device dev2("dev2");
    dev2.sock.bind(p.smmu.upstream[2]);
    EXPECT_EQ(p.smmu.upstream.size(), 3u);
    EXPECT_STREQ(p.smmu.downstream.basename(), "downstream");
    EXPECT_STREQ(p.smmu.regs.basename(), "regs");
    EXPECT_STREQ(p.smmu.irq_eventq.basename(), "irq_eventq");
    EXPECT_STREQ(p.smmu.irq_gerror.basename(), "irq_gerror");
    run([] {});
}

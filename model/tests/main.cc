// SPDX-License-Identifier: Apache-2.0
// sc_main for smmu_tlm_tests: libsystemc defines main() and calls sc_main,
// so the gtest binary's entry point is sc_main, which runs RUN_ALL_TESTS.
// A report handler makes every SystemC warning or error a test failure
// (TlmHarness.SystemCWarningFailsTheTest); errors still throw as usual.
#include "tlm_harness.h"

#include <cstdio>
#include <cstring>
#include <string>

namespace {
void fail_on_report(const sc_core::sc_report &r, const sc_core::sc_actions &a)
{
    if (r.get_severity() >= sc_core::SC_WARNING)
        ADD_FAILURE() << "SystemC " << (r.get_severity() == sc_core::SC_WARNING ? "warning" : "error")
                      << " [" << r.get_msg_type() << "] " << r.get_msg();
    sc_core::sc_report_handler::default_handler(r, a);
}
} // namespace

int sc_main(int argc, char **argv)
{
    ::testing::InitGoogleTest(&argc, argv);
    // SystemC elaborates once per process: a run selects exactly one test
    // (ctest does, through gtest_discover_tests). Listing is fine.
    const bool listing = ::testing::GTEST_FLAG(list_tests);
    std::string filter = ::testing::GTEST_FLAG(filter);
    const bool one = filter != "*" && filter.find_first_of("*?:") == std::string::npos;
    if (!listing && !one) {
        std::fprintf(stderr, "smmu_tlm_tests: select one test with --gtest_filter=Suite.Name "
                             "(each test elaborates its own platform; ctest runs them one by one)\n");
        return 2;
    }
    sc_core::sc_report_handler::set_handler(fail_on_report);
    return RUN_ALL_TESTS();
}

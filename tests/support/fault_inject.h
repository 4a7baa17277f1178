/* SPDX-License-Identifier: Apache-2.0 */
// Counter-based memory fault injection (issue [robustness] section 4): fail
// the Nth memory access that matches a filter (reads, writes or any), or
// each matching access with a seeded probability. Installed on a SimMem
// (SimMem::inject); a failed access returns SimMem::abort_result (an
// external abort, SMMU_MEM_ABORT) to the core, exactly as an abort region
// does. The HTTU compare-and-swap counts as a write.
#pragma once

#include <cstdint>
#include <vector>

#include "support/simmem.h"

namespace smmutest {

struct FaultInjector {
    enum class Access { Read, Write, Any };
    Access access = Access::Any;
    uint64_t nth = 0;          // 1-based index among matching accesses; 0 = none
    uint32_t per_million = 0;  // else: fail each matching access with this probability
    uint64_t seed = 1;         // xorshift state for per_million
    uint64_t seen = 0;         // matching accesses so far
    std::vector<MemAccess> matched; // every matching access, in order
    std::vector<MemAccess> failed;  // the accesses failed

    // Start counting again (same filter, same N).
    void rearm()
    {
        seen = 0;
        matched.clear();
        failed.clear();
    }

    // Called by SimMem's callbacks: true = make this access abort.
    bool fail(const MemAccess &a)
    {
        if (access == Access::Read && a.write)
            return false;
        if (access == Access::Write && !a.write)
            return false;
        seen++;
        matched.push_back(a);
        bool f = nth != 0 && seen == nth;
        if (!f && per_million) {
            seed ^= seed << 13;
            seed ^= seed >> 7;
            seed ^= seed << 17;
            f = seed % 1000000 < per_million;
        }
        if (f)
            failed.push_back(a);
        return f;
    }
};

} // namespace smmutest

/* SPDX-License-Identifier: Apache-2.0 */
// Simulated physical memory for tests: sparse 4 KiB pages, abort regions,
// access log, and the smmu_mem_ops_t table that points at it.
#pragma once

#include <cstdint>
#include <cstring>
#include <map>
#include <memory>
#include <unordered_map>
#include <vector>

extern "C" {
#include "smmu/smmu.h"
}

namespace smmutest {

struct MemAccess {
    uint64_t pa;
    uint32_t len;
    smmu_access_kind_t kind;
    bool write;
};

struct FaultInjector; // support/fault_inject.h

class SimMem {
  public:
    SimMem();
    // Raw bytes
    void write(uint64_t pa, const void *buf, size_t len);
    void read(uint64_t pa, void *buf, size_t len) const;
    // Little-endian (default) or big-endian 64/32-bit values
    void write64(uint64_t pa, uint64_t v, bool big_endian = false);
    uint64_t read64(uint64_t pa, bool big_endian = false) const;
    void write32(uint64_t pa, uint32_t v);
    uint32_t read32(uint64_t pa) const;
    // Accesses overlapping [base, base+size) return an external abort.
    void add_abort(uint64_t base, uint64_t size);
    void clear_aborts();

    // Interrupts and events seen through the callback table
    std::vector<smmu_irq_t> irqs;
    std::vector<smmu_event_t> observed_events; // from on_event (recorded or not)
    std::vector<int> observed_recorded;
    std::vector<MemAccess> log;
    bool log_enabled = false;
    // Latency in cycles that read and write report through their latency
    // pointer (cas64 has none).
    uint32_t latency = 0;
    // What the callbacks return for an access in an abort region
    // (smmu_mem_result_t: SMMU_MEM_ABORT, or a reserved value).
    int abort_result = SMMU_MEM_ABORT;
    // Optional fault injector consulted on every read, write and cas64
    // (support/fault_inject.h); nullptr = none.
    FaultInjector *inject = nullptr;

    const smmu_mem_ops_t *ops() const { return &ops_; }
    void *ctx() { return this; }

    bool aborts(uint64_t pa, uint64_t len) const;

  private:
    std::unordered_map<uint64_t, std::unique_ptr<uint8_t[]>> pages_;
    std::vector<std::pair<uint64_t, uint64_t>> aborts_;
    smmu_mem_ops_t ops_;
    uint8_t *page(uint64_t pa, bool create);
    const uint8_t *page_c(uint64_t pa) const;
};

} // namespace smmutest

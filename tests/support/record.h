/* SPDX-License-Identifier: Apache-2.0 */
// Expected event records for tests: the exact 32-byte record 7.3 defines
// for translation-related events (F_TRANSLATION, F_ADDR_SIZE, F_ACCESS,
// F_PERMISSION, F_WALK_EABT) and the configuration events. Word 0
// type/SSV/SubstreamID, word 1 StreamID, word 3 PnU[1] InD[2] RnW[3] S2[7]
// CLASS[9:8] TTRnW[12], words 4-5 InputAddr, words 6-7 IPA[55:12] or
// FetchAddr[55:3].
#pragma once

#include <cstdio>
#include <string>

#include "support/fixture.h"

namespace smmutest {

struct Rec {
    uint8_t type = 0;
    uint32_t sid = 0;
    bool ssv = false;
    uint32_t ssid = 0;
    bool pnu = false, ind = false, rnw = true, s2 = false, ttrnw = false;
    bool stall = false; // Stall [95] with STAG [79:64] (7.3.13-7.3.16)
    uint16_t stag = 0;
    uint8_t cls = 0;
    uint64_t input = 0, ipa = 0, fetch = 0;
    Record words() const
    {
        Record r{};
        r[0] = type | (ssv ? 1u << 11 : 0) | (ssv ? ssid << 12 : 0);
        r[1] = sid;
        r[2] = (stall ? 1u << 31 : 0) | (stall ? stag : 0u);
        r[3] = (pnu ? 1u << 1 : 0) | (ind ? 1u << 2 : 0) | (rnw ? 1u << 3 : 0) |
               (s2 ? 1u << 7 : 0) | uint32_t(cls) << 8 | (ttrnw ? 1u << 12 : 0);
        r[4] = uint32_t(input);
        r[5] = uint32_t(input >> 32);
        uint64_t w67 = fetch ? (fetch & SMMU_MASK(55, 3)) : (ipa & SMMU_MASK(55, 12));
        r[6] = uint32_t(w67);
        r[7] = uint32_t(w67 >> 32);
        return r;
    }
};

// A record as eight hex words, for readable comparisons.
inline std::string hex(const Record &r)
{
    char b[128];
    snprintf(b, sizeof b, "%08x %08x %08x %08x %08x %08x %08x %08x", r[0], r[1], r[2], r[3], r[4],
             r[5], r[6], r[7]);
    return b;
}

} // namespace smmutest

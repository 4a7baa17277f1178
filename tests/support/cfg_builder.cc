// SPDX-License-Identifier: Apache-2.0
// Test-only configuration-structure builders (see cfg_builder.h).
#include "support/cfg_builder.h"

namespace smmutest {

void put_field(uint64_t *w, unsigned hi, unsigned lo, uint64_t v)
{
    for (unsigned b = lo; b <= hi; b++) {
        uint64_t bit = (b - lo) < 64 ? (v >> (b - lo)) & 1 : 0;
        uint64_t m = 1ull << (b % 64);
        w[b / 64] = bit ? (w[b / 64] | m) : (w[b / 64] & ~m);
    }
}

uint64_t get_field(const uint64_t *w, unsigned hi, unsigned lo)
{
    uint64_t v = 0;
    for (unsigned b = hi + 1; b-- > lo;)
        v = (v << 1) | ((w[b / 64] >> (b % 64)) & 1);
    return v;
}

Ste::Ste()
{
    valid(true).bypass();
    // Stage-2 preset (IGNORED unless Config enables stage 2): 39-bit IPA,
    // 4KB granule starting at level 1, 48-bit S2PS, record faults.
    s2aa64(true).s2tg4k().s2t0sz(25).s2sl0(1).s2ps(5).s2r(true);
}

Cd::Cd()
{
    valid(true).aa64(true).t0sz(25).tg0_4k().ips(5).a(true).r(true);
    t1sz(25).tg1_4k().epd1(true);
}

} // namespace smmutest

/* SPDX-License-Identifier: Apache-2.0 */
// Test-only builders for SMMUv3 configuration structures: STE (5.2), L1STD
// (5.1), CD (5.4) and L1CD (5.3). Fluent setters take field values in the
// spec's encodings; build() returns the words in numeric value (little-endian
// word i = bits [64i+63:64i]). Defaults make a VALID structure so that a test
// changes only the field it checks:
//   Ste()            V=1, Config=0b100 (bypass); stage-2 fields preset to a
//                    legal set (S2AA64=1, 4KB, S2T0SZ=25, S2SL0=1, S2PS=48
//                    bits, S2R=1) so .s2()/.nested() alone is valid.
//   Cd()             V=1, AA64=1, T0SZ=25, TG0=4KB, IPS=0b101, A=1, R=1,
//                    EPD1=1 (with a legal T1SZ=25/TG1=4KB behind it).
// Example: Ste().s2().vmid(3).s2t0sz(24).s2sl0(1).s2tg4k().s2ps(5)
//              .s2ttb(0x80000).build()
#pragma once

#include <array>
#include <cstdint>

namespace smmutest {

using Words8 = std::array<uint64_t, 8>;

// Set bits [hi:lo] (spec numbering across 64-bit words) of w to v.
void put_field(uint64_t *w, unsigned hi, unsigned lo, uint64_t v);
uint64_t get_field(const uint64_t *w, unsigned hi, unsigned lo);

class Ste {
  public:
    Ste();
    // Config (5.2)
    Ste &config(unsigned c) { return set(3, 1, c); }
    Ste &abort() { return config(0); }
    Ste &bypass() { return config(4); }
    Ste &s1() { return config(5); }
    Ste &s2() { return config(6); }
    Ste &nested() { return config(7); }
    Ste &valid(bool v = true) { return set(0, 0, v); }
    // Stage 1
    Ste &ctx(uint64_t ptr) { return set(55, 6, ptr >> 6); } // S1ContextPtr
    Ste &s1fmt(unsigned f) { return set(5, 4, f); }
    Ste &cdmax(unsigned n) { return set(63, 59, n); }
    Ste &s1dss(unsigned d) { return set(65, 64, d); }
    Ste &s1cir(unsigned v) { return set(67, 66, v); }
    Ste &s1cor(unsigned v) { return set(69, 68, v); }
    Ste &s1csh(unsigned v) { return set(71, 70, v); }
    Ste &s1stalld(bool v = true) { return set(91, 91, v); }
    Ste &eats(unsigned v) { return set(93, 92, v); }
    Ste &strw(unsigned v) { return set(95, 94, v); }
    Ste &cont(unsigned v) { return set(80, 77, v); }
    // Attribute overrides
    Ste &memattr(unsigned v) { return set(99, 96, v); }
    Ste &mtcfg(bool v = true) { return set(100, 100, v); }
    Ste &alloccfg(unsigned v) { return set(104, 101, v); }
    Ste &shcfg(unsigned v) { return set(109, 108, v); }
    Ste &nscfg(unsigned v) { return set(111, 110, v); }
    Ste &privcfg(unsigned v) { return set(113, 112, v); }
    Ste &instcfg(unsigned v) { return set(115, 114, v); }
    // Stage 2
    Ste &vmid(unsigned v) { return set(143, 128, v); }
    Ste &s2t0sz(unsigned v) { return set(165, 160, v); }
    Ste &s2sl0(unsigned v) { return set(167, 166, v); }
    Ste &s2ir0(unsigned v) { return set(169, 168, v); }
    Ste &s2or0(unsigned v) { return set(171, 170, v); }
    Ste &s2sh0(unsigned v) { return set(173, 172, v); }
    Ste &s2tg(unsigned v) { return set(175, 174, v); }
    Ste &s2tg4k() { return s2tg(0); }
    Ste &s2tg64k() { return s2tg(1); }
    Ste &s2tg16k() { return s2tg(2); }
    Ste &s2ps(unsigned v) { return set(178, 176, v); }
    Ste &s2aa64(bool v = true) { return set(179, 179, v); }
    Ste &s2endi(bool v = true) { return set(180, 180, v); }
    Ste &s2affd(bool v = true) { return set(181, 181, v); }
    Ste &s2ptw(bool v = true) { return set(182, 182, v); }
    Ste &s2hd(bool v = true) { return set(183, 183, v); }
    Ste &s2ha(bool v = true) { return set(184, 184, v); }
    Ste &s2s(bool v = true) { return set(185, 185, v); }
    Ste &s2r(bool v = true) { return set(186, 186, v); }
    Ste &s2haft(bool v = true) { return set(187, 187, v); }
    Ste &s2fwb(bool v = true) { return set(89, 89, v); }
    Ste &s2ttb(uint64_t a) { return set(247, 196, a >> 4); } // bits [51:4] (+RES0)
    // Raw access for anything else
    Ste &set(unsigned hi, unsigned lo, uint64_t v)
    {
        put_field(w_.data(), hi, lo, v);
        return *this;
    }
    Words8 build() const { return w_; }

  private:
    Words8 w_{};
};

class Cd {
  public:
    Cd();
    Cd &valid(bool v = true) { return set(31, 31, v); }
    Cd &t0sz(unsigned v) { return set(5, 0, v); }
    Cd &tg0(unsigned v) { return set(7, 6, v); }
    Cd &tg0_4k() { return tg0(0); }
    Cd &tg0_64k() { return tg0(1); }
    Cd &tg0_16k() { return tg0(2); }
    Cd &ir0(unsigned v) { return set(9, 8, v); }
    Cd &or0(unsigned v) { return set(11, 10, v); }
    Cd &sh0(unsigned v) { return set(13, 12, v); }
    Cd &epd0(bool v = true) { return set(14, 14, v); }
    Cd &endi(bool v = true) { return set(15, 15, v); }
    Cd &t1sz(unsigned v) { return set(21, 16, v); }
    Cd &tg1(unsigned v) { return set(23, 22, v); } // TG1 encoding (0b10 = 4KB)
    Cd &tg1_4k() { return tg1(2); }
    Cd &tg1_16k() { return tg1(1); }
    Cd &tg1_64k() { return tg1(3); }
    Cd &ir1(unsigned v) { return set(25, 24, v); }
    Cd &or1(unsigned v) { return set(27, 26, v); }
    Cd &sh1(unsigned v) { return set(29, 28, v); }
    Cd &epd1(bool v = true) { return set(30, 30, v); }
    Cd &ips(unsigned v) { return set(34, 32, v); }
    Cd &affd(bool v = true) { return set(35, 35, v); }
    Cd &wxn(bool v = true) { return set(36, 36, v); }
    Cd &uwxn(bool v = true) { return set(37, 37, v); }
    Cd &tbi0(bool v = true) { return set(38, 38, v); }
    Cd &tbi1(bool v = true) { return set(39, 39, v); }
    Cd &pan(bool v = true) { return set(40, 40, v); }
    Cd &aa64(bool v = true) { return set(41, 41, v); }
    Cd &hd(bool v = true) { return set(42, 42, v); }
    Cd &ha(bool v = true) { return set(43, 43, v); }
    Cd &s(bool v = true) { return set(44, 44, v); }
    Cd &r(bool v = true) { return set(45, 45, v); }
    Cd &a(bool v = true) { return set(46, 46, v); }
    Cd &aset(bool v = true) { return set(47, 47, v); }
    Cd &asid(unsigned v) { return set(63, 48, v); }
    Cd &had0(bool v = true) { return set(65, 65, v); }
    Cd &e0pd0(bool v = true) { return set(66, 66, v); }
    Cd &haft(bool v = true) { return set(67, 67, v); }
    Cd &ttb0(uint64_t a) { return set(119, 68, a >> 4); }
    Cd &had1(bool v = true) { return set(129, 129, v); }
    Cd &e0pd1(bool v = true) { return set(130, 130, v); }
    Cd &ttb1(uint64_t a) { return set(183, 132, a >> 4); }
    Cd &mair(uint64_t v) { return set(255, 192, v); }
    Cd &amair(uint64_t v) { return set(319, 256, v); }
    Cd &set(unsigned hi, unsigned lo, uint64_t v)
    {
        put_field(w_.data(), hi, lo, v);
        return *this;
    }
    Words8 build() const { return w_; }

  private:
    Words8 w_{};
};

// L1STD (5.1): Span [4:0], L2Ptr [55:6].
inline uint64_t l1std(uint64_t l2ptr, unsigned span)
{
    return (l2ptr & 0x00FF'FFFF'FFFF'FFC0ull) | (span & 0x1F);
}
// L1CD (5.3): V [0], L2Ptr [55:12].
inline uint64_t l1cd(uint64_t l2ptr, bool valid = true)
{
    return (l2ptr & 0x00FF'FFFF'FFFF'F000ull) | (valid ? 1 : 0);
}

} // namespace smmutest

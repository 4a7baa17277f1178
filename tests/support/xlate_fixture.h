/* SPDX-License-Identifier: Apache-2.0 */
// End-to-end translation fixture (translate.c suites): a booted SMMU,
// stage-1 and stage-2 table builders, CD/STE installation the way a driver
// does it, and exact-record expectations.
#pragma once

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"
#include "support/record.h"

namespace smmutest {

inline constexpr uint64_t kCdArea = 0x0080'0000;
inline constexpr uint64_t kS1Tables = 0x0200'0000;
inline constexpr uint64_t kS2Tables = 0x0400'0000;

class Xlate : public SmmuTest {
  protected:
    void SetUp() override
    {
        SmmuTest::SetUp();
        boot();
        // Bypass by GBPA is not in play once SMMUEN = 1.
    }

    // Stage-1 tables: 4K granule, 48-bit VA, 48-bit IPA/PA.
    PtBuilder s1pt{mem, 1, 12, 48, 48, kS1Tables};
    // Stage-2 tables: 4K granule, 48-bit IPA, start level 0.
    PtBuilder s2pt{mem, 2, 12, 48, 48, kS2Tables, 0};

    static uint64_t cd_addr(uint32_t sid, uint32_t ssid = 0) { return kCdArea + sid * 0x1000ull + ssid * 64ull; }

    Cd cd_for(const PtBuilder &pt) const
    {
        return Cd().t0sz(64 - pt.ia_bits()).tg0_4k().ttb0(pt.ttb()).ips(5).asid(1).mair(0xFF);
    }
    void put_cd(uint64_t at, const Words8 &w)
    {
        for (int i = 0; i < 8; i++)
            mem.write64(at + 8 * i, w[i]);
    }
    // Install an STE for sid and make the SMMU see it (CFGI_STE + SYNC).
    void install(uint32_t sid, const Ste &ste)
    {
        write_ste(sid, ste.build());
        submit({cmd_cfgi_ste(sid), cmd_sync()});
        ASSERT_EQ(cmdq_cons_err(), 0u);
    }
    void attach_s1(uint32_t sid, const Cd &cd)
    {
        put_cd(cd_addr(sid), cd.build());
        install(sid, Ste().s1().ctx(cd_addr(sid)));
    }
    Ste s2_ste() const
    {
        return Ste().s2().vmid(5).s2t0sz(16).s2sl0(2).s2tg4k().s2ps(5).s2ttb(s2pt.ttb()).s2r();
    }
    smmu_response_t tx(uint32_t sid, uint64_t addr, bool write = false, bool priv = false,
                       bool instr = false, int ssid = -1)
    {
        return xlate(sid, addr, write, priv, instr, ssid);
    }
    // Exactly one event record in the queue, equal to want.
    void expect_one_record(const Rec &want)
    {
        auto ev = events();
        ASSERT_EQ(ev.size(), 1u);
        EXPECT_EQ(hex(ev[0]), hex(want.words()));
    }
    void expect_no_record() { EXPECT_EQ(events().size(), 0u); }
};

} // namespace smmutest

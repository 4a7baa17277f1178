/* SPDX-License-Identifier: Apache-2.0 */
// Fixture for cache and invalidation tests (TLB, configuration cache,
// micro-TLB; IHI 0070 G.b 3.17, 4.3, 4.4): streams set up the way a driver
// does, translations made to fill the caches, tables then changed in memory
// WITHOUT invalidation, so a test sees the stale translation until exactly
// the right command + CMD_SYNC. Parameterised over caches on (the default
// geometry) and off (tlb_sets = cfg_cache_entries = utlb_entries = 0): with
// caches off every change is seen at once.
#pragma once

#include <memory>
#include <vector>

#include "support/cfg_builder.h"
#include "support/fixture.h"
#include "support/pt_builder.h"

extern "C" {
#include "smmu_internal.h"
}

namespace smmutest {

// ---- Command encoders (4.x), written from the field positions ----------
// TLBI: NUM w0[16:12], SCALE w0[24:20], VMID w0[47:32], ASID w0[63:48];
// Leaf w1[0], TTL w1[9:8], TG w1[11:10], Address w1[63:12].
struct Range {
    unsigned tg = 0, ttl = 0, num = 0, scale = 0;
};
inline Cmd tlbi(uint8_t op, uint16_t vmid, uint16_t asid, uint64_t addr = 0, bool leaf = false,
                Range r = Range())
{
    uint64_t w0 = uint64_t(op) | uint64_t(r.num & 31) << 12 | uint64_t(r.scale & 63) << 20 |
                  uint64_t(vmid) << 32 | uint64_t(asid) << 48;
    uint64_t w1 = (leaf ? 1u : 0u) | uint64_t(r.ttl & 3) << 8 | uint64_t(r.tg & 3) << 10 |
                  (addr & ~uint64_t(0xFFF));
    return {w0, w1};
}
inline Cmd nh_all(uint16_t vmid) { return tlbi(SMMU_CMD_TLBI_NH_ALL, vmid, 0); }
inline Cmd nh_asid(uint16_t vmid, uint16_t asid) { return tlbi(SMMU_CMD_TLBI_NH_ASID, vmid, asid); }
inline Cmd nh_va(uint16_t vmid, uint16_t asid, uint64_t va, bool leaf = false, Range r = Range())
{
    return tlbi(SMMU_CMD_TLBI_NH_VA, vmid, asid, va, leaf, r);
}
inline Cmd nh_vaa(uint16_t vmid, uint64_t va, bool leaf = false, Range r = Range())
{
    return tlbi(SMMU_CMD_TLBI_NH_VAA, vmid, 0, va, leaf, r);
}
inline Cmd el2_all() { return tlbi(SMMU_CMD_TLBI_EL2_ALL, 0, 0); }
inline Cmd el2_asid(uint16_t asid) { return tlbi(SMMU_CMD_TLBI_EL2_ASID, 0, asid); }
inline Cmd el2_va(uint16_t asid, uint64_t va, bool leaf = false, Range r = Range())
{
    return tlbi(SMMU_CMD_TLBI_EL2_VA, 0, asid, va, leaf, r);
}
inline Cmd el2_vaa(uint64_t va, bool leaf = false, Range r = Range())
{
    return tlbi(SMMU_CMD_TLBI_EL2_VAA, 0, 0, va, leaf, r);
}
inline Cmd s12_vmall(uint16_t vmid) { return tlbi(SMMU_CMD_TLBI_S12_VMALL, vmid, 0); }
inline Cmd s2_ipa(uint16_t vmid, uint64_t ipa, bool leaf = false, Range r = Range())
{
    return tlbi(SMMU_CMD_TLBI_S2_IPA, vmid, 0, ipa, leaf, r);
}
inline Cmd nsnh_all() { return tlbi(SMMU_CMD_TLBI_NSNH_ALL, 0, 0); }
// CFGI (4.3): StreamID w0[63:32], SubstreamID w0[31:12], Leaf w1[0].
inline Cmd cfgi_cd(uint32_t sid, uint32_t ssid, bool leaf = true)
{
    return {SMMU_CMD_CFGI_CD | uint64_t(ssid & 0xFFFFF) << 12 | uint64_t(sid) << 32,
            leaf ? 1ull : 0ull};
}
inline Cmd cfgi_cd_all(uint32_t sid) { return {SMMU_CMD_CFGI_CD_ALL | uint64_t(sid) << 32, 0}; }

// ---- Memory map --------------------------------------------------------
constexpr uint64_t kCds = kTables;                 // CDs / CD tables
constexpr uint64_t kPtArea = kTables + 0x10'0000;  // page tables, 1MB each
constexpr uint64_t kPa1 = 0x8000'0000, kPa2 = 0x9000'0000; // outputs
constexpr uint64_t kNestIpa = 0x4000'0000;          // nested S1 outputs
constexpr uint64_t k4K = 0x1000, k2M = 0x20'0000;

// Command-level fixture: caches on (default geometry) unless a subclass
// says otherwise.
class CmdTest : public SmmuTest {
  protected:
    virtual bool caches() const { return true; }
    // Further configuration changes for a suite (called after caches).
    virtual void tweak(smmu_config_t &) {}
    void configure(smmu_config_t &c) override
    {
        if (!caches()) {
            c.tlb_sets = 0;
            c.cfg_cache_entries = 0;
            c.utlb_entries = 0;
            c.walk_cache_sets = 0;
        }
        tweak(c);
    }

    std::vector<std::unique_ptr<PtBuilder>> pts;
    uint64_t next_pt = kPtArea;
    unsigned next_cd = 0;

    PtBuilder *new_pt(unsigned stage, unsigned gran_shift = 12, unsigned ia_bits = 39)
    {
        int start = -1;
        if (stage == 2)
            start = int(PtBuilder::s2_start_levels(gran_shift, ia_bits).front());
        pts.push_back(std::make_unique<PtBuilder>(mem, stage, gran_shift, ia_bits, 48, next_pt,
                                                  start));
        next_pt += 0x10'0000;
        return pts.back().get();
    }
    uint64_t new_cd_addr(unsigned entries = 1)
    {
        uint64_t a = kCds + uint64_t(next_cd) * 64;
        next_cd += entries;
        return a;
    }
    void put(uint64_t pa, const Words8 &w)
    {
        for (unsigned i = 0; i < 8; i++)
            mem.write64(pa + 8 * i, w[i]);
    }
    static Cd cd_for(const PtBuilder *pt, uint16_t asid)
    {
        Cd c;
        c.ttb0(pt->ttb()).asid(asid);
        if (pt->gran_shift() == 16)
            c.tg0_64k();
        else if (pt->gran_shift() == 14)
            c.tg0_16k();
        return c;
    }

    // Stage-1 stream (STE.Config = 0b101): one CD with ASID `asid`, tables
    // of granule gran_shift; STE.S2VMID = vmid (tags stage-1 entries when
    // stage 2 is implemented), STRW = strw.
    PtBuilder *s1_stream(uint32_t sid, uint16_t asid, uint16_t vmid = 0, unsigned strw = 0,
                         unsigned gran_shift = 12)
    {
        PtBuilder *pt = new_pt(1, gran_shift);
        uint64_t cd = new_cd_addr();
        put(cd, cd_for(pt, asid).build());
        Ste ste;
        ste.s1().ctx(cd).strw(strw);
        if (cfg.s2p)
            ste.vmid(vmid);
        write_ste(sid, ste.build());
        return pt;
    }
    // Stage-2-only stream (Config = 0b110), VMID vmid, with new tables or
    // the stage-2 tables `pt` of another stream of the same VMID (3.17.6:
    // STEs with different translation tables must have different VMIDs).
    PtBuilder *s2_stream(uint32_t sid, uint16_t vmid, unsigned gran_shift = 12,
                         PtBuilder *pt = nullptr)
    {
        if (!pt)
            pt = new_pt(2, gran_shift);
        Ste ste;
        ste.s2().vmid(vmid).s2ttb(pt->ttb());
        // S2SL0 for the builder's start level (5.2): 4KB: 2 - level;
        // 16KB/64KB: 3 - level.
        if (gran_shift == 12) {
            ste.s2tg4k().s2sl0(2 - pt->start_level());
        } else {
            gran_shift == 16 ? ste.s2tg64k() : ste.s2tg16k();
            ste.s2sl0(3 - pt->start_level());
        }
        write_ste(sid, ste.build());
        return pt;
    }
    // Nested stream (Config = 0b111): stage 2 maps IPA [0, 1GB) flat with a
    // level-1 block (CDs and stage-1 tables live there); the stage-1 tables
    // output IPAs which the test maps through the returned stage-2 tables.
    struct Nested {
        PtBuilder *s1, *s2;
    };
    Nested nested_stream(uint32_t sid, uint16_t asid, uint16_t vmid)
    {
        PtBuilder *s2 = new_pt(2);
        EXPECT_TRUE(s2->map_s2(0, 0, 1)) << s2->error();
        PtBuilder *s1 = new_pt(1);
        uint64_t cd = new_cd_addr();
        put(cd, cd_for(s1, asid).build());
        write_ste(sid, Ste().nested().ctx(cd).vmid(vmid).s2ttb(s2->ttb()).build());
        return {s1, s2};
    }

    // Map a page (level 3) or block; ng for stage-1 non-global entries.
    void map1(PtBuilder *pt, uint64_t va, uint64_t pa, bool ng = true, unsigned level = 3)
    {
        S1Attrs a;
        a.ng = ng ? 1 : 0;
        a.ap = 1; // AP[2:1] = 0b01: read/write at any privilege
        ASSERT_TRUE(pt->map_s1(va, pa, level, a)) << pt->error();
    }
    void map2(PtBuilder *pt, uint64_t ipa, uint64_t pa, unsigned level = 3)
    {
        ASSERT_TRUE(pt->map_s2(ipa, pa, level)) << pt->error();
    }
    // Rewrite an existing leaf in memory, no invalidation (what a driver
    // does before it issues the TLBI).
    void remap1(PtBuilder *pt, uint64_t va, uint64_t pa, bool ng = true, unsigned level = 3)
    {
        S1Attrs a;
        a.ng = ng ? 1 : 0;
        a.ap = 1; // AP[2:1] = 0b01: read/write at any privilege
        ASSERT_TRUE(pt->set_desc(level, va, pt->encode_addr(pa) | a.bits() | (level == 3 ? 3 : 1)))
            << pt->error();
    }
    void remap2(PtBuilder *pt, uint64_t ipa, uint64_t pa, unsigned level = 3)
    {
        ASSERT_TRUE(pt->set_desc(level, ipa,
                                 pt->encode_addr(pa) | S2Attrs().bits() | (level == 3 ? 3 : 1)))
            << pt->error();
    }

    // Output address of a read, or ~0 when the translation did not succeed.
    uint64_t pa(uint32_t sid, uint64_t addr, int ssid = -1)
    {
        smmu_response_t r = xlate(sid, addr, false, false, false, ssid);
        return r.outcome == SMMU_XLATE_OK ? r.pa : ~uint64_t(0);
    }
    // What a translation returns for an entry that is still cached although
    // the tables changed: the old output with caches, the new without.
    uint64_t stale(uint64_t old_pa, uint64_t new_pa) const { return caches() ? old_pa : new_pa; }

    // Submit commands followed by CMD_SYNC; expect all consumed, no error.
    bool cmdq_err_active()
    {
        return ((rd(SMMU_GERROR) ^ rd(SMMU_GERRORN)) & SMMU_GERROR_CMDQ_ERR) != 0;
    }
    void run(std::vector<Cmd> cmds)
    {
        cmds.push_back(cmd_sync());
        submit(cmds);
        EXPECT_FALSE(cmdq_err_active());
        EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF, uint32_t(rd(SMMU_CMDQ_PROD)) & 0xFFFFF);
    }
    // Submit one command; expect CERROR_ILL on it (CONS stays on it, 7.1).
    void expect_ill(const Cmd &c)
    {
        uint32_t before = uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF;
        submit({c});
        EXPECT_TRUE(cmdq_err_active());
        EXPECT_EQ(cmdq_cons_err(), SMMU_CERROR_ILL)
            << std::hex << "w0 0x" << c[0] << " w1 0x" << c[1];
        EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF, before);
        // Acknowledge and skip the command, as a driver would.
        uint32_t prod = uint32_t(rd(SMMU_CMDQ_PROD));
        mem.write64(kCmdq + (before & 0xFF) * 16ull, cmd_sync()[0]);
        mem.write64(kCmdq + (before & 0xFF) * 16ull + 8, cmd_sync()[1]);
        wr(SMMU_GERRORN, rd(SMMU_GERROR));
        EXPECT_FALSE(cmdq_err_active());
        EXPECT_EQ(uint32_t(rd(SMMU_CMDQ_CONS)) & 0xFFFFF, prod & 0xFFFFF);
    }
    // Submit one command; expect it consumed without error.
    void expect_ok(const Cmd &c) { run({c}); }

    smmu_stats_t stats()
    {
        smmu_stats_t st;
        smmu_get_stats(smmu, &st);
        return st;
    }
};

// The same, parameterised: GetParam() == caches on.
class CacheTest : public CmdTest, public ::testing::WithParamInterface<bool> {
  protected:
    bool caches() const override { return GetParam(); }
};

} // namespace smmutest

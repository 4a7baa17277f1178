// SPDX-License-Identifier: Apache-2.0
// Context descriptors: selection by S1CDMax/S1DSS (5.2, 7.3.7, 7.3.9), fetch
// through linear and 2-level tables (5.3, 3.3.2, 7.3.10), decode/validation
// (5.4, CdIllegal() in 5.4.2) and the decoded stage-1 walk configuration.
#include "support/cfg_fixture.h"

using namespace smmutest;

namespace {

constexpr uint64_t kCtx = 0x0004'0000;

class CdTest : public CfgTest {
  protected:
    smmu_cd_sel_t select(const Words8 &ste_words, int ssv, uint32_t ssid, uint32_t &index,
                         smmu_event_t &ev)
    {
        smmu_ste_t ste = ste_ok(ste_words);
        ev = smmu_event_t{};
        return smmu_cd_select(&ste, 7, ssv, ssid, &index, &ev);
    }
    int fetch(const Words8 &ste_words, uint32_t index, Words8 &raw, smmu_event_t &ev)
    {
        smmu_ste_t ste = ste_ok(ste_words);
        ev = smmu_event_t{};
        return smmu_cd_fetch(s, &ste, 7, index, raw.data(), &ev);
    }
    smmu_cd_t cd_ok(const Words8 &w, const Words8 &ste_words = Ste().s1().build())
    {
        smmu_ste_t ste = ste_ok(ste_words);
        smmu_cd_t cd;
        uint32_t reason = 99;
        EXPECT_EQ(smmu_cd_decode(s, &ste, w.data(), &cd, &reason), 0);
        EXPECT_EQ(reason, (uint32_t)SMMU_CD_ILL_NONE);
        return cd;
    }
    uint32_t cd_bad(const Words8 &w, const Words8 &ste_words = Ste().s1().build())
    {
        smmu_ste_t ste = ste_ok(ste_words);
        smmu_cd_t cd;
        uint32_t reason = 0;
        EXPECT_EQ(smmu_cd_decode(s, &ste, w.data(), &cd, &reason), SMMU_EVT_C_BAD_CD);
        return reason;
    }
};

// ------------------------------------------------------------- selection --

// 5.2 S1CDMax == 0: one CD; a transaction without SSID uses it.
TEST_F(CdTest, Select_SingleCd_NoSsid_5_2)
{
    uint32_t idx = 99;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(0).build(), 0, 0, idx, ev), SMMU_CD_USE);
    EXPECT_EQ(idx, 0u);
}

// 5.2 S1CDMax == 0 / 7.3.9: an SSID-carrying transaction -> C_BAD_SUBSTREAMID.
TEST_F(CdTest, Select_SingleCd_WithSsid_C_BAD_SUBSTREAMID_7_3_9)
{
    uint32_t idx;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(0).build(), 1, 0, idx, ev), SMMU_CD_FAULT);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.sid, 7u);
    EXPECT_EQ(ev.ssid, 0u);
}

// 7.3.9: SSIDSIZE == 0 -> S1CDMax IGNORED, SSIDs rejected.
TEST_F(CdTest, Select_NoSubstreamSupport_C_BAD_SUBSTREAMID_7_3_9)
{
    s->cfg.ssidsize = 0;
    uint32_t idx;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(5).build(), 1, 3, idx, ev), SMMU_CD_FAULT);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.ssid, 3u);
}

// 5.2 S1DSS 0b00 (and reserved 0b11): no SSID -> F_STREAM_DISABLED (7.3.7).
TEST_F(CdTest, Select_S1DSSTerminate_F_STREAM_DISABLED_7_3_7)
{
    for (unsigned dss : {0u, 3u}) {
        uint32_t idx;
        smmu_event_t ev;
        EXPECT_EQ(select(Ste().s1().cdmax(4).s1dss(dss).build(), 0, 0, idx, ev),
                  SMMU_CD_FAULT);
        EXPECT_EQ(ev.type, SMMU_EVT_F_STREAM_DISABLED) << dss;
        EXPECT_EQ(ev.sid, 7u);
    }
}

// 5.2 S1DSS 0b01: no SSID -> stage 1 bypass.
TEST_F(CdTest, Select_S1DSSBypass_5_2)
{
    uint32_t idx;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(4).s1dss(1).build(), 0, 0, idx, ev), SMMU_CD_S1_BYPASS);
}

// 5.2 S1DSS 0b10: no SSID -> CD 0; SSID 0 -> F_STREAM_DISABLED (7.3.7).
TEST_F(CdTest, Select_S1DSSSubstream0_5_2)
{
    uint32_t idx = 99;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(4).s1dss(2).build(), 0, 0, idx, ev), SMMU_CD_USE);
    EXPECT_EQ(idx, 0u);
    EXPECT_EQ(select(Ste().s1().cdmax(4).s1dss(2).build(), 1, 0, idx, ev), SMMU_CD_FAULT);
    EXPECT_EQ(ev.type, SMMU_EVT_F_STREAM_DISABLED);
    EXPECT_EQ(select(Ste().s1().cdmax(4).s1dss(2).build(), 1, 1, idx, ev), SMMU_CD_USE);
    EXPECT_EQ(idx, 1u);
}

// 5.2 S1CDMax: SSID < 2^S1CDMax uses its CD, >= -> C_BAD_SUBSTREAMID.
TEST_F(CdTest, Select_SsidRangeBoundary_5_2)
{
    uint32_t idx;
    smmu_event_t ev;
    EXPECT_EQ(select(Ste().s1().cdmax(4).build(), 1, 15, idx, ev), SMMU_CD_USE);
    EXPECT_EQ(idx, 15u);
    EXPECT_EQ(select(Ste().s1().cdmax(4).build(), 1, 16, idx, ev), SMMU_CD_FAULT);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.ssid, 16u);
    // With SSID 0 and S1DSS terminate, SSID 0 is an ordinary substream.
    EXPECT_EQ(select(Ste().s1().cdmax(4).build(), 1, 0, idx, ev), SMMU_CD_USE);
}

// ----------------------------------------------------------------- fetch --

// 5.2 S1Fmt 0b00 / S1CDMax 0: the single CD at S1ContextPtr.
TEST_F(CdTest, Fetch_SingleCd_5_2)
{
    put(kCtx, pattern(0xC0));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(Ste().s1().ctx(kCtx).build(), 0, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0xC0));
}

// 5.2 S1Fmt 0b00: linear table indexed by SubstreamID.
TEST_F(CdTest, Fetch_Linear_5_2)
{
    put(kCtx + 64 * 5, pattern(0xC5));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(4).build(), 5, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0xC5));
}

// 5.2 S1Fmt 0b01 / 5.3: L1CD at ptr + 8*SSID[S1CDMax-1:6], CD at
// L2Ptr + 64*SSID[5:0].
TEST_F(CdTest, Fetch_TwoLevel4K_5_3)
{
    uint64_t l2 = 0x0008'0000;
    mem.write64(kCtx + 8 * 3, l1cd(l2));
    put(l2 + 64 * 7, pattern(0x4C7));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(10).s1fmt(1).build(), (3u << 6) | 7, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x4C7));
}

// 5.2 S1Fmt 0b10: 64KB leaves, L1 indexed by SSID[S1CDMax-1:10].
TEST_F(CdTest, Fetch_TwoLevel64K_5_3)
{
    uint64_t l2 = 0x0010'0000;
    mem.write64(kCtx + 8 * 1, l1cd(l2));
    put(l2 + 64 * 9, pattern(0x649));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(12).s1fmt(2).build(), (1u << 10) | 9, raw, ev),
              0);
    EXPECT_EQ(raw, pattern(0x649));
}

// 5.2 S1Fmt 0b01 with S1CDMax <= 6: only L1 index 0 is used.
TEST_F(CdTest, Fetch_TwoLevelSmallCdMaxUsesL1Index0_5_2)
{
    uint64_t l2 = 0x0008'0000;
    mem.write64(kCtx, l1cd(l2));
    put(l2 + 64 * 33, pattern(0x33));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(6).s1fmt(1).build(), 33, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x33));
}

// 5.3.1 / 7.3.9: L1CD.V == 0 -> C_BAD_SUBSTREAMID with the CD index.
TEST_F(CdTest, Fetch_L1CDInvalid_C_BAD_SUBSTREAMID_7_3_9)
{
    mem.write64(kCtx + 8 * 2, l1cd(0x0008'0000, false));
    Words8 raw{};
    smmu_event_t ev;
    uint32_t index = (2u << 6) | 1;
    EXPECT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(10).s1fmt(1).build(), index, raw, ev),
              SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.sid, 7u);
    EXPECT_EQ(ev.ssid, index);
}

// 3.4.3 (3) / 7.3.9: L1CD.L2Ptr beyond the OAS -> C_BAD_SUBSTREAMID.
TEST_F(CdTest, Fetch_L2PtrOutOfRange_C_BAD_SUBSTREAMID_3_4_3)
{
    mem.write64(kCtx, l1cd(1ull << 48));
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(10).s1fmt(1).build(), 5, raw, ev),
              SMMU_EVT_C_BAD_SUBSTREAMID);
    EXPECT_EQ(ev.ssid, 5u);
}

// 7.3.10: external abort on the CD read -> F_CD_FETCH, FetchAddr = CD PA.
TEST_F(CdTest, Fetch_CdAbort_F_CD_FETCH_FetchAddr_7_3_10)
{
    mem.add_abort(kCtx + 64 * 3, 64);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(4).build(), 3, raw, ev), SMMU_EVT_F_CD_FETCH);
    EXPECT_EQ(ev.type, SMMU_EVT_F_CD_FETCH);
    EXPECT_EQ(ev.sid, 7u);
    EXPECT_EQ(ev.fetch_addr, kCtx + 64 * 3);
    EXPECT_EQ(ev.input_addr, 0u);
}

// 7.3.10: external abort on the L1CD read -> F_CD_FETCH at the L1CD PA.
TEST_F(CdTest, Fetch_L1CDAbort_F_CD_FETCH_FetchAddr_7_3_10)
{
    mem.add_abort(kCtx + 8 * 4, 8);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(10).s1fmt(1).build(), 4u << 6, raw, ev),
              SMMU_EVT_F_CD_FETCH);
    EXPECT_EQ(ev.fetch_addr, kCtx + 8 * 4);
}

// 7.3.10: abort on the level-2 CD read reports the level-2 CD address.
TEST_F(CdTest, Fetch_L2CdAbort_F_CD_FETCH_FetchAddr_7_3_10)
{
    uint64_t l2 = 0x0008'0000;
    mem.write64(kCtx, l1cd(l2));
    mem.add_abort(l2 + 64 * 2, 64);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(Ste().s1().ctx(kCtx).cdmax(10).s1fmt(1).build(), 2, raw, ev),
              SMMU_EVT_F_CD_FETCH);
    EXPECT_EQ(ev.fetch_addr, l2 + 64 * 2);
}

// ---------------------------------------------------------------- decode --

// 5.4: the default CD decodes; TTB0 walk configuration exact.
TEST_F(CdTest, Decode_Default4K_WalkCfg_5_4)
{
    smmu_cd_t cd = cd_ok(Cd().t0sz(25).tg0_4k().ttb0(0x10'0010).asid(5).ips(5).build());
    EXPECT_EQ(cd.asid, 5);
    EXPECT_EQ(cd.ips_bits, 48);
    EXPECT_EQ(cd.tt[0].stage, 1);
    EXPECT_EQ(cd.tt[0].gran_shift, 12);
    EXPECT_EQ(cd.tt[0].ia_bits, 39);
    EXPECT_EQ(cd.tt[0].start_level, 1);
    EXPECT_EQ(cd.tt[0].oa_bits, 48);
    EXPECT_EQ(cd.tt[0].ttb, 0x10'0000u); // 512 entries = 4KB aligned
    EXPECT_EQ(cd.tt[0].disabled, 0);
    EXPECT_EQ(cd.tt[1].disabled, 1);
}

struct WalkCase {
    unsigned tg0, t0sz, ia, level;
};
class CdWalkTest : public CdTest, public ::testing::WithParamInterface<WalkCase> {};
// 5.4 T0SZ/TG0: ia_bits = 64 - T0SZ, start level = 4 - levels needed.
TEST_P(CdWalkTest, Decode_StartLevel_5_4)
{
    WalkCase c = GetParam();
    smmu_cd_t cd = cd_ok(Cd().tg0(c.tg0).t0sz(c.t0sz).build());
    EXPECT_EQ(cd.tt[0].ia_bits, c.ia);
    EXPECT_EQ(cd.tt[0].start_level, c.level);
}
INSTANTIATE_TEST_SUITE_P(Walk, CdWalkTest,
                         ::testing::Values(WalkCase{0, 16, 48, 0}, WalkCase{0, 24, 40, 0},
                                           WalkCase{0, 25, 39, 1}, WalkCase{0, 34, 30, 2},
                                           WalkCase{0, 39, 25, 2}, WalkCase{2, 16, 48, 0},
                                           WalkCase{2, 17, 47, 1}, WalkCase{2, 28, 36, 2},
                                           WalkCase{1, 16, 48, 1}, WalkCase{1, 22, 42, 2},
                                           WalkCase{1, 39, 25, 3}));

// 5.4 TG1: encoding differs from TG0 (0b01 16KB, 0b10 4KB, 0b11 64KB).
TEST_F(CdTest, Decode_TG1Encoding_5_4)
{
    EXPECT_EQ(cd_ok(Cd().epd1(false).tg1(1).t1sz(28).build()).tt[1].gran_shift, 14);
    EXPECT_EQ(cd_ok(Cd().epd1(false).tg1(2).t1sz(28).build()).tt[1].gran_shift, 12);
    EXPECT_EQ(cd_ok(Cd().epd1(false).tg1(3).t1sz(28).build()).tt[1].gran_shift, 16);
    EXPECT_EQ(cd_bad(Cd().epd1(false).tg1(0).build()), (uint32_t)SMMU_CD_ILL_TG);
}

// 5.4 V: V == 0 -> C_BAD_CD.
TEST_F(CdTest, Decode_V0_5_4)
{
    EXPECT_EQ(cd_bad(Cd().valid(false).build()), (uint32_t)SMMU_CD_ILL_INVALID);
}

// 5.4 AA64: VMSAv8-32 LPAE unsupported (IDR0.TTF = 0b10) -> ILLEGAL.
TEST_F(CdTest, Decode_AA64Zero_5_4)
{
    EXPECT_EQ(cd_bad(Cd().aa64(false).build()), (uint32_t)SMMU_CD_ILL_AA64);
}

// 5.4 TG0: reserved or unsupported granule ILLEGAL, unless EPD0 == 1.
TEST_F(CdTest, Decode_TG0ReservedOrUnsupported_5_4)
{
    EXPECT_EQ(cd_bad(Cd().tg0(3).build()), (uint32_t)SMMU_CD_ILL_TG);
    s->cfg.gran16k = 0;
    EXPECT_EQ(cd_bad(Cd().tg0_16k().t0sz(28).build()), (uint32_t)SMMU_CD_ILL_TG);
    EXPECT_EQ(cd_ok(Cd().tg0(3).epd0().epd1(false).build()).tt[0].disabled, 1);
}

// 5.4 T0SZ (v3.1+): out of [16, 39] ILLEGAL (VAX == 0, no STT).
TEST_F(CdTest, Decode_T0SZOutOfRange_5_4)
{
    EXPECT_EQ(cd_bad(Cd().t0sz(15).build()), (uint32_t)SMMU_CD_ILL_TSZ);
    EXPECT_EQ(cd_bad(Cd().t0sz(40).build()), (uint32_t)SMMU_CD_ILL_TSZ);
    EXPECT_EQ(cd_bad(Cd().tg0_64k().t0sz(12).build()), (uint32_t)SMMU_CD_ILL_TSZ);
}

// 5.4 T0SZ: with IDR5.VAX 52-bit VAs, minimum 12 for a 64KB granule only.
TEST_F(CdTest, Decode_T0SZ52BitVa64K_5_4)
{
    s->cfg.vax = 1;
    smmu_cd_t cd = cd_ok(Cd().tg0_64k().t0sz(12).build());
    EXPECT_EQ(cd.tt[0].ia_bits, 52);
    EXPECT_EQ(cd.tt[0].start_level, 1);
    EXPECT_EQ(cd_bad(Cd().tg0_4k().t0sz(12).build()), (uint32_t)SMMU_CD_ILL_TSZ);
}

// 5.4 T0SZ with IDR3.STT: maximum 48 (4KB/16KB), 47 (64KB).
TEST_F(CdTest, Decode_TxSZMaximumWithSTT_5_4)
{
    s->cfg.stt = 1;
    smmu_cd_t cd = cd_ok(Cd().t0sz(48).build());
    EXPECT_EQ(cd.tt[0].ia_bits, 16);
    EXPECT_EQ(cd.tt[0].start_level, 3);
    EXPECT_EQ(cd_bad(Cd().tg0_64k().t0sz(48).build()), (uint32_t)SMMU_CD_ILL_TSZ);
}

// 5.4 T1SZ: IGNORED when EPD1 == 1; ILLEGAL when out of range otherwise.
TEST_F(CdTest, Decode_T1SZIgnoredWithEPD1_5_4_1_1)
{
    cd_ok(Cd().epd1().t1sz(0).tg1(0).ttb1(1ull << 50).build());
    EXPECT_EQ(cd_bad(Cd().epd1(false).t1sz(0).build()), (uint32_t)SMMU_CD_ILL_TSZ);
}

// 5.4 TTB0: outside the effective IPS -> ILLEGAL (C_BAD_CD, not F_ADDR_SIZE).
TEST_F(CdTest, Decode_TTB0BeyondIps_5_4)
{
    EXPECT_EQ(cd_bad(Cd().ips(2).ttb0(1ull << 40).build()), (uint32_t)SMMU_CD_ILL_TTB);
    EXPECT_EQ(cd_ok(Cd().ips(2).ttb0((1ull << 40) - 0x1000).build()).tt[0].ttb,
              (1ull << 40) - 0x1000);
    EXPECT_EQ(cd_bad(Cd().ips(5).ttb0(1ull << 48).build()), (uint32_t)SMMU_CD_ILL_TTB);
}

// 5.4 TTB1 (EPD1 == 0): same rule.
TEST_F(CdTest, Decode_TTB1BeyondIps_5_4)
{
    EXPECT_EQ(cd_bad(Cd().epd1(false).ips(0).ttb1(1ull << 32).build()),
              (uint32_t)SMMU_CD_ILL_TTB);
    EXPECT_EQ(cd_ok(Cd().epd1(false).ttb1(0x2000).build()).tt[1].ttb, 0x2000u);
}

// 5.4 IPS: 0b110/0b111 are legal, effective value capped to the OAS.
TEST_F(CdTest, Decode_IPS110And111LegalCappedToOas_5_4)
{
    EXPECT_EQ(cd_ok(Cd().ips(6).build()).ips_bits, 48);
    EXPECT_EQ(cd_ok(Cd().ips(7).build()).ips_bits, 48);
    EXPECT_EQ(cd_ok(Cd().ips(6).build()).tt[0].oa_bits, 48);
}

class Cd52Test : public CdTest {
    void configure(smmu_config_t &c) override { c.oas = 6; }
};
// 5.4 IPS with a 52-bit OAS: 0b110 = 52 bits, 0b111 behaves as 0b110 (v3.1-v3.3).
TEST_F(Cd52Test, Decode_IPS52Bits_5_4)
{
    EXPECT_EQ(cd_ok(Cd().ips(6).build()).ips_bits, 52);
    EXPECT_EQ(cd_ok(Cd().ips(7).build()).ips_bits, 52);
    EXPECT_EQ(cd_ok(Cd().ips(5).build()).ips_bits, 48);
}
// 5.4 TTB0: outside 48 bits with a 4KB/16KB granule (DS == 0) ILLEGAL; legal
// with 64KB when IPS is 52.
TEST_F(Cd52Test, Decode_TTB0Beyond48BitsSmallGranule_5_4)
{
    EXPECT_EQ(cd_bad(Cd().ips(6).ttb0(1ull << 48).build()), (uint32_t)SMMU_CD_ILL_TTB);
    EXPECT_EQ(cd_ok(Cd().ips(6).tg0_64k().t0sz(22).ttb0(1ull << 48).build()).tt[0].ttb,
              1ull << 48);
}
// 5.4 TTB0: 64-byte minimum alignment when the effective IPS is 52 bits.
TEST_F(Cd52Test, Decode_TTB0Min64ByteAlignmentWith52BitIps_5_4)
{
    // 64KB granule, T0SZ 21: 43-bit VA, level 1 table of 2 entries (16 B).
    EXPECT_EQ(cd_ok(Cd().ips(6).tg0_64k().t0sz(21).ttb0(0x10030).build()).tt[0].ttb, 0x10000u);
    EXPECT_EQ(cd_ok(Cd().ips(5).tg0_64k().t0sz(21).ttb0(0x10030).build()).tt[0].ttb, 0x10030u);
}

// 5.4 IPS: capped to a smaller OAS.
TEST_F(CdTest, Decode_IPSCappedToSmallOas_5_4)
{
    cfg.oas = 2;
    make();
    EXPECT_EQ(cd_ok(Cd().ips(5).build()).ips_bits, 40);
    EXPECT_EQ(cd_bad(Cd().ips(5).ttb0(1ull << 40).build()), (uint32_t)SMMU_CD_ILL_TTB);
}

// 5.4 ASID: [15:8] != 0 ILLEGAL without IDR0.ASID16.
TEST_F(CdTest, Decode_ASID16_5_4)
{
    s->cfg.asid16 = 0;
    EXPECT_EQ(cd_bad(Cd().asid(0x100).build()), (uint32_t)SMMU_CD_ILL_ASID16);
    EXPECT_EQ(cd_ok(Cd().asid(0xFF).build()).asid, 0xFF);
}

// 5.4 HA/HD: ILLEGAL beyond IDR0.HTTU.
TEST_F(CdTest, Decode_HAHDvsHTTU_5_4)
{
    EXPECT_EQ(cd_bad(Cd().ha().build()), (uint32_t)SMMU_CD_ILL_HTTU);
    EXPECT_EQ(cd_bad(Cd().hd().build()), (uint32_t)SMMU_CD_ILL_HTTU);
    s->cfg.httu = 1;
    EXPECT_EQ(cd_bad(Cd().ha().hd().build()), (uint32_t)SMMU_CD_ILL_HTTU);
    smmu_cd_t cd = cd_ok(Cd().ha().build());
    EXPECT_EQ(cd.tt[0].ha, 1);
    EXPECT_EQ(cd.tt[0].hd, 0);
}
// 5.4 HA: {HD,HA} = 0b10 (not ILLEGAL) behaves as 0b00.
TEST_F(CdTest, Decode_HDWithoutHABehavesAsDisabled_5_4)
{
    s->cfg.httu = 2;
    smmu_cd_t cd = cd_ok(Cd().hd().build());
    EXPECT_EQ(cd.tt[0].hd, 0);
    EXPECT_EQ(cd.tt[0].ha, 0);
}

// 5.4 ENDI: unsupported endianness ILLEGAL unless both EPDx are 1.
TEST_F(CdTest, Decode_ENDIvsTTENDIAN_5_4)
{
    s->cfg.ttendian = 2;
    EXPECT_EQ(cd_bad(Cd().endi().build()), (uint32_t)SMMU_CD_ILL_ENDI);
    cd_ok(Cd().endi().epd0().epd1().build());
    s->cfg.ttendian = 3;
    EXPECT_EQ(cd_bad(Cd().endi(false).build()), (uint32_t)SMMU_CD_ILL_ENDI);
    EXPECT_EQ(cd_ok(Cd().endi().build()).tt[0].big_endian, 1);
}

// CdIllegal(): CD.S == 1 with STALL_MODEL 0b01 (stalls unsupported).
TEST_F(CdTest, Decode_SWithTerminateOnlyStallModel_5_4_2)
{
    EXPECT_EQ(cd_bad(Cd().s().build()), (uint32_t)SMMU_CD_ILL_STALL);
}
// CdIllegal(): CD.S == 0 with STALL_MODEL 0b10 (stall forced).
TEST_F(CdTest, Decode_SZeroWithForcedStall_5_4_2)
{
    s->cfg.stall_model = 2;
    EXPECT_EQ(cd_bad(Cd().s(false).build()), (uint32_t)SMMU_CD_ILL_STALL);
}
// CdIllegal(): STE.S1STALLD == 1 and CD.S == 1.
TEST_F(CdTest, Decode_SWithS1STALLD_5_4_2)
{
    s->cfg.stall_model = 0;
    EXPECT_EQ(cd_bad(Cd().s().build(), Ste().s1().s1stalld().build()),
              (uint32_t)SMMU_CD_ILL_STALL);
    EXPECT_EQ(cd_ok(Cd().s().build()).s, 1);
}
// CdIllegal(): IDR0.TERM_MODEL == 1 and CD.A == 0.
TEST_F(CdTest, Decode_AZeroWithTermModel_5_4_2)
{
    s->cfg.term_model = 1;
    EXPECT_EQ(cd_bad(Cd().a(false).build()), (uint32_t)SMMU_CD_ILL_TERM);
    cd_ok(Cd().a(true).build());
}

// 5.4 TBI0/TBI1: each region takes its own TBI bit (pitfall list).
TEST_F(CdTest, Decode_TBIPerRegion_5_4)
{
    smmu_cd_t cd = cd_ok(Cd().epd1(false).tbi0().build());
    EXPECT_EQ(cd.tt[0].tbi, 1);
    EXPECT_EQ(cd.tt[1].tbi, 0);
    cd = cd_ok(Cd().epd1(false).tbi1().build());
    EXPECT_EQ(cd.tt[0].tbi, 0);
    EXPECT_EQ(cd.tt[1].tbi, 1);
}

// 5.4 HAD0/HAD1: effective only with IDR3.HAD.
TEST_F(CdTest, Decode_HADxNeedsIdr3Had_5_4)
{
    smmu_cd_t cd = cd_ok(Cd().epd1(false).had0().build());
    EXPECT_EQ(cd.tt[0].had, 1);
    EXPECT_EQ(cd.tt[1].had, 0);
    s->cfg.had = 0;
    EXPECT_EQ(cd_ok(Cd().had0().build()).tt[0].had, 0);
}

// 5.4 UWXN: IGNORED for VMSAv8-64; AFFD copied to both regions.
TEST_F(CdTest, Decode_UWXNIgnoredAffdCopied_5_4)
{
    smmu_cd_t cd = cd_ok(Cd().uwxn().affd().epd1(false).build());
    EXPECT_EQ(cd.uwxn, 0);
    EXPECT_EQ(cd.tt[0].affd, 1);
    EXPECT_EQ(cd.tt[1].affd, 1);
}

// 5.4 EPD0 and 5.4.1: StreamWorld any-EL2: EPDx IGNORED (effective 0), TTB1
// unreachable, ASID IGNORED.
TEST_F(CdTest, Decode_EL2StreamWorld_5_4_1)
{
    s->cfg.asid16 = 0;
    Words8 ste = Ste().s1().strw(2).build();
    smmu_cd_t cd = cd_ok(Cd().epd0().epd1(false).t1sz(0).asid(0x1FF).build(), ste);
    EXPECT_EQ(cd.tt[0].disabled, 0);
    EXPECT_EQ(cd.tt[1].disabled, 1);
    EXPECT_EQ(cd.asid, 0);
}

// 5.4 MAIR: {MAIR1, MAIR0} as one 64-bit value.
TEST_F(CdTest, Decode_Mair_5_4)
{
    EXPECT_EQ(cd_ok(Cd().mair(0x0011'2233'4455'66FFull).build()).mair, 0x0011'2233'4455'66FFull);
}

} // namespace

// SPDX-License-Identifier: Apache-2.0
// Stream table lookup (3.3.2, 5.1, 6.3.24, 6.3.25, 7.3.3, 7.3.4) and STE
// decode/validation (5.2, SteIllegal() in 5.2.2).
#include "support/cfg_fixture.h"

using namespace smmutest;

namespace {

constexpr uint64_t kBase = 0x0010'0000;

class StrtabTest : public CfgTest {
  protected:
    int fetch(uint32_t sid, Words8 &raw, smmu_event_t &ev)
    {
        ev = smmu_event_t{};
        return smmu_ste_fetch(s, sid, raw.data(), &ev);
    }
};

// ---------------------------------------------------------------- lookup --

// 3.3.2 / 6.3.24: linear table, STE at STRTAB_BASE.ADDR + 64 * StreamID.
TEST_F(StrtabTest, Linear_STEAtBasePlus64TimesSid)
{
    linear(kBase, 8);
    put(kBase + 64 * 5, pattern(0x55));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(5, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x55));
}

// 6.3.24: linear base aligned to the table size, ADDR[LOG2SIZE+5:0] = 0.
TEST_F(StrtabTest, Linear_BaseAlignedToTableSize_6_3_24)
{
    linear(kBase + 0x40, 8); // 256 STEs = 16KB: bits [13:0] ignored
    put(kBase, pattern(0x10));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(0, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x10));
}

// 6.3.25 / 7.3.3: StreamID >= 2^LOG2SIZE -> C_BAD_STREAMID.
TEST_F(StrtabTest, Linear_SidBeyondLog2Size_C_BAD_STREAMID)
{
    linear(kBase, 8);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(256, raw, ev), SMMU_EVT_C_BAD_STREAMID);
    EXPECT_EQ(ev.type, SMMU_EVT_C_BAD_STREAMID);
    EXPECT_EQ(ev.sid, 256u);
    EXPECT_EQ(fetch(255, raw, ev), 0);
}

// 6.3.25: effective LOG2SIZE = MIN(LOG2SIZE, IDR1.SIDSIZE).
TEST_F(StrtabTest, Log2SizeCappedToSidsize_6_3_25)
{
    cfg.sidsize = 6;
    make();
    linear(kBase, 8);
    put(kBase + 64 * 63, pattern(0x63));
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(64, raw, ev), SMMU_EVT_C_BAD_STREAMID);
    ASSERT_EQ(fetch(63, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x63));
}

// 6.3.25: FMT values other than 0b00/0b01 are reserved and behave as linear.
TEST_F(StrtabTest, FmtReservedBehavesAsLinear_6_3_25)
{
    s->regs.strtab_base = kBase;
    s->regs.strtab_base_cfg = (2u << 16) | (6u << 6) | 8;
    put(kBase + 64 * 3, pattern(0x3));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(3, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x3));
}

// 6.3.25: FMT is RES0 when IDR0.ST_LEVEL == 0: the table is linear.
TEST_F(StrtabTest, StLevel0_FmtIgnored_Linear_6_3_25)
{
    s->cfg.st_level = 0;
    two_level(kBase, 8, 6);
    put(kBase + 64 * 70, pattern(0x70));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(70, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x70));
}

// 5.1 / 6.3.25: 2-level, L1STD at base + 8*SID[LOG2SIZE-1:SPLIT], STE at
// L2Ptr + 64*SID[SPLIT-1:0], for each defined SPLIT.
class StrtabSplitTest : public StrtabTest, public ::testing::WithParamInterface<unsigned> {};

TEST_P(StrtabSplitTest, TwoLevel_ExactAddresses_5_1)
{
    unsigned split = GetParam();
    two_level(kBase, 16, split);
    uint32_t sid = (3u << split) | 2;
    uint64_t l2 = 0x0040'0000;
    mem.write64(kBase + 8 * 3, l1std(l2, split + 1));
    put(l2 + 64 * 2, pattern(0xAB));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(sid, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0xAB));
}
INSTANTIATE_TEST_SUITE_P(Split, StrtabSplitTest, ::testing::Values(6u, 8u, 10u));

// 6.3.25: SPLIT values other than 6, 8, 10 behave as 6.
TEST_F(StrtabTest, TwoLevel_SplitReservedBehavesAs6_6_3_25)
{
    two_level(kBase, 16, 7);
    uint32_t sid = (3u << 6) | 2;
    uint64_t l2 = 0x0040'0000;
    mem.write64(kBase + 8 * 3, l1std(l2, 7));
    put(l2 + 64 * 2, pattern(0x77));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(sid, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x77));
}

// 6.3.24: 2-level base aligned to MAX(64B, L1 table size) (literal LOG2SIZE).
TEST_F(StrtabTest, TwoLevel_BaseAlignedToL1Size_6_3_24)
{
    two_level(kBase + 0x1FC0, 16, 6); // 1024 L1STDs = 8KB: bits [12:0] ignored
    uint64_t l2 = 0x0040'0000;
    mem.write64(kBase + 8 * 1, l1std(l2, 1));
    put(l2, pattern(0x1));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(1u << 6, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x1));
}

// 5.1: L2Ptr[5+(Span-1):0] are treated as 0.
TEST_F(StrtabTest, TwoLevel_L2PtrAlignedToSpan_5_1)
{
    two_level(kBase, 16, 6);
    mem.write64(kBase, l1std(0x0040'0080, 3)); // 4 STEs = 256B: [7:0] ignored
    put(0x0040'0000 + 64 * 3, pattern(0x43));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(3, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x43));
}

struct SpanCase {
    unsigned span;
    uint32_t l2_index;
    int expect;
};
class StrtabSpanTest : public StrtabTest, public ::testing::WithParamInterface<SpanCase> {};

// 5.1.1 / 7.3.3 case 2: Span 0, reserved 12-31, > SPLIT+1, or SID beyond
// 2^(Span-1) STEs -> C_BAD_STREAMID; otherwise the STE is fetched.
TEST_P(StrtabSpanTest, L1STDSpan_5_1_7_3_3)
{
    SpanCase c = GetParam();
    two_level(kBase, 16, 6);
    mem.write64(kBase + 8 * 2, l1std(0x0040'0000, c.span));
    Words8 raw{};
    smmu_event_t ev;
    uint32_t sid = (2u << 6) | c.l2_index;
    EXPECT_EQ(fetch(sid, raw, ev), c.expect) << "span " << c.span;
    if (c.expect) {
        EXPECT_EQ(ev.type, c.expect);
        EXPECT_EQ(ev.sid, sid);
    }
}
INSTANTIATE_TEST_SUITE_P(
    Span, StrtabSpanTest,
    ::testing::Values(SpanCase{0, 0, SMMU_EVT_C_BAD_STREAMID},   // invalid
                      SpanCase{1, 0, 0},                         // 1 STE
                      SpanCase{1, 1, SMMU_EVT_C_BAD_STREAMID},   // beyond span
                      SpanCase{2, 1, 0}, SpanCase{2, 2, SMMU_EVT_C_BAD_STREAMID},
                      SpanCase{7, 63, 0},                        // SPLIT+1: full
                      SpanCase{8, 0, SMMU_EVT_C_BAD_STREAMID},   // > SPLIT+1
                      SpanCase{11, 0, SMMU_EVT_C_BAD_STREAMID},  // > SPLIT+1
                      SpanCase{12, 0, SMMU_EVT_C_BAD_STREAMID},  // reserved
                      SpanCase{31, 0, SMMU_EVT_C_BAD_STREAMID})); // reserved

// 5.1: with SPLIT 10, Span 11 is the largest valid span (1024 STEs).
TEST_F(StrtabTest, TwoLevel_Span11ValidWithSplit10_5_1)
{
    two_level(kBase, 16, 10);
    mem.write64(kBase, l1std(0x0040'0000, 11));
    put(0x0040'0000 + 64 * 1023, pattern(0x3FF));
    Words8 raw{};
    smmu_event_t ev;
    ASSERT_EQ(fetch(1023, raw, ev), 0);
    EXPECT_EQ(raw, pattern(0x3FF));
}

// 7.3.4: external abort on the STE read -> F_STE_FETCH, FetchAddr = STE PA.
TEST_F(StrtabTest, SteReadAbort_F_STE_FETCH_FetchAddr_7_3_4)
{
    linear(kBase, 8);
    mem.add_abort(kBase + 64 * 9, 64);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(9, raw, ev), SMMU_EVT_F_STE_FETCH);
    EXPECT_EQ(ev.type, SMMU_EVT_F_STE_FETCH);
    EXPECT_EQ(ev.sid, 9u);
    EXPECT_EQ(ev.fetch_addr, kBase + 64 * 9);
}

// 7.3.4: external abort on the L1STD read -> F_STE_FETCH at the L1STD PA.
TEST_F(StrtabTest, L1StdReadAbort_F_STE_FETCH_FetchAddr_7_3_4)
{
    two_level(kBase, 16, 6);
    mem.add_abort(kBase + 8 * 5, 8);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(5u << 6, raw, ev), SMMU_EVT_F_STE_FETCH);
    EXPECT_EQ(ev.fetch_addr, kBase + 8 * 5);
}

// 7.3.4: abort on the level-2 STE read reports the level-2 STE address.
TEST_F(StrtabTest, L2SteReadAbort_F_STE_FETCH_FetchAddr_7_3_4)
{
    two_level(kBase, 16, 6);
    mem.write64(kBase, l1std(0x0040'0000, 7));
    mem.add_abort(0x0040'0000 + 64 * 4, 64);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(4, raw, ev), SMMU_EVT_F_STE_FETCH);
    EXPECT_EQ(ev.fetch_addr, 0x0040'0000u + 64 * 4);
}

// 3.4.3 (5): an STE address beyond the OAS gives F_STE_FETCH (the model's
// CONSTRAINED UNPREDICTABLE choice), with the non-truncated address.
TEST_F(StrtabTest, SteAddressBeyondOas_F_STE_FETCH_3_4_3)
{
    cfg.oas = 0; // 32 bits
    make();
    linear(0x1'0000'0000ull, 8);
    Words8 raw{};
    smmu_event_t ev;
    EXPECT_EQ(fetch(1, raw, ev), SMMU_EVT_F_STE_FETCH);
    EXPECT_EQ(ev.fetch_addr, 0x1'0000'0040ull);
}

// ---------------------------------------------------------------- decode --

// 5.2 Config 0b100: bypass, no stage enabled.
TEST_F(StrtabTest, Decode_Bypass_5_2)
{
    smmu_ste_t ste = ste_ok(Ste().bypass().build());
    EXPECT_EQ(ste.bypass, 1);
    EXPECT_EQ(ste.abort, 0);
    EXPECT_EQ(ste.s1_enabled, 0);
    EXPECT_EQ(ste.s2_enabled, 0);
}

// 5.2 V: V == 0 -> C_BAD_STE (7.3.5).
TEST_F(StrtabTest, Decode_V0_C_BAD_STE_5_2)
{
    EXPECT_EQ(ste_bad(Ste().valid(false).build()), (uint32_t)SMMU_STE_ILL_INVALID);
}

// 5.2 Config: 0b000 aborts and reserved 0b001-0b011 behave as 0b000: no
// event, not ILLEGAL (even with otherwise illegal fields).
class ConfigAbortTest : public StrtabTest, public ::testing::WithParamInterface<unsigned> {};
TEST_P(ConfigAbortTest, Decode_ReservedConfigAbortsWithoutEvent_5_2)
{
    smmu_ste_t ste = ste_ok(Ste().config(GetParam()).s2aa64(false).cdmax(31).build());
    EXPECT_EQ(ste.abort, 1);
    EXPECT_EQ(ste.config, GetParam());
}
INSTANTIATE_TEST_SUITE_P(Config, ConfigAbortTest, ::testing::Values(0u, 1u, 2u, 3u));

// SteIllegal(): Config 0b1x1 without stage 1.
TEST_F(StrtabTest, Decode_Stage1NotImplemented_5_2)
{
    s->cfg.s1p = 0;
    EXPECT_EQ(ste_bad(Ste().s1().build()), (uint32_t)SMMU_STE_ILL_S1_NOT_IMPL);
    EXPECT_EQ(ste_bad(Ste().nested().build()), (uint32_t)SMMU_STE_ILL_S1_NOT_IMPL);
}

// SteIllegal(): Config 0b11x without stage 2.
TEST_F(StrtabTest, Decode_Stage2NotImplemented_5_2)
{
    s->cfg.s2p = 0;
    EXPECT_EQ(ste_bad(Ste().s2().build()), (uint32_t)SMMU_STE_ILL_S2_NOT_IMPL);
}

// 5.2 S1STALLD: ILLEGAL when STALL_MODEL != 0b00.
TEST_F(StrtabTest, Decode_S1STALLD_StallModelNotConfigurable_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s1().s1stalld().build()), (uint32_t)SMMU_STE_ILL_STALL);
    s->cfg.stall_model = 0;
    EXPECT_EQ(ste_ok(Ste().s1().s1stalld().build()).s1stalld, 1);
}

// 5.2 S1CDMax: range 0..SSIDSIZE, other values ILLEGAL.
TEST_F(StrtabTest, Decode_S1CDMaxAboveSsidsize_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s1().cdmax(21).build()), (uint32_t)SMMU_STE_ILL_S1CDMAX);
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(20).s1fmt(2).build()).s1cdmax, 20);
}

// 5.2 S1CDMax: IGNORED when SSIDSIZE == 0 (treated as 0).
TEST_F(StrtabTest, Decode_S1CDMaxIgnoredWithoutSubstreams_5_2)
{
    s->cfg.ssidsize = 0;
    smmu_ste_t ste = ste_ok(Ste().s1().cdmax(31).s1fmt(1).build());
    EXPECT_EQ(ste.s1cdmax, 0);
    EXPECT_EQ(ste.s1fmt, 0);
}

// 5.2 S1Fmt: != 0b00 ILLEGAL without IDR0.CD2L when substreams are enabled.
TEST_F(StrtabTest, Decode_S1FmtTwoLevelWithoutCD2L_5_2)
{
    s->cfg.cd2l = 0;
    EXPECT_EQ(ste_bad(Ste().s1().cdmax(4).s1fmt(1).build()), (uint32_t)SMMU_STE_ILL_S1FMT);
    EXPECT_EQ(ste_bad(Ste().s1().cdmax(4).s1fmt(2).build()), (uint32_t)SMMU_STE_ILL_S1FMT);
    // 0b11 behaves as 0b00; S1Fmt IGNORED with S1CDMax == 0.
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(4).s1fmt(3).build()).s1fmt, 0);
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(0).s1fmt(1).build()).s1fmt, 0);
}

// 3.4.3 / 5.2 S1ContextPtr: a PA beyond the OAS (stage 1 only) is C_BAD_STE.
TEST_F(StrtabTest, Decode_S1ContextPtrBeyondOas_5_2_3_4_3)
{
    EXPECT_EQ(ste_bad(Ste().s1().ctx(1ull << 48).build()), (uint32_t)SMMU_STE_ILL_S1CTXPTR);
    EXPECT_EQ(ste_ok(Ste().s1().ctx((1ull << 48) - 64).build()).s1ctxptr, (1ull << 48) - 64);
}

// 3.4.3: nested, S1ContextPtr is an IPA checked against the IAS.
TEST_F(StrtabTest, Decode_S1ContextPtrBeyondIasNested_3_4_3)
{
    EXPECT_EQ(ste_bad(Ste().nested().ctx(1ull << 48).build()), (uint32_t)SMMU_STE_ILL_S1CTXPTR);
}

// 5.2 S1Fmt: linear CD table aligned to its size (RES0 bits treated as 0).
TEST_F(StrtabTest, Decode_S1ContextPtrAlignedToTable_5_2)
{
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(2).ctx(0x40C0).build()).s1ctxptr, 0x4000u);
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(0).ctx(0x40C0).build()).s1ctxptr, 0x40C0u);
    // 2-level 4KB leaves, S1CDMax 12: L1 = 64 entries = 512B -> [8:6] RES0.
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(12).s1fmt(1).ctx(0x41C0).build()).s1ctxptr, 0x4000u);
}

// 5.2 S1DSS: 0b11 behaves as 0b00 (terminate).
TEST_F(StrtabTest, Decode_S1DSSReservedBehavesAsTerminate_5_2)
{
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(2).s1dss(3).build()).s1dss, 0);
    EXPECT_EQ(ste_ok(Ste().s1().cdmax(2).s1dss(2).build()).s1dss, 2);
}

// 5.2 V: S1 fields are IGNORED when stage 1 bypasses (pitfall list).
TEST_F(StrtabTest, Decode_S1FieldsIgnoredWhenStage1Bypasses_5_2)
{
    s->cfg.cd2l = 0;
    smmu_ste_t ste =
        ste_ok(Ste().s2().cdmax(31).s1fmt(1).s1stalld().ctx(0xFFFF'FFFF'FFFF'C0ull).build());
    EXPECT_EQ(ste.s1cdmax, 0);
    EXPECT_EQ(ste.s1ctxptr, 0u);
}

// 5.2 STRW: 0bx1 reserved, ILLEGAL when STRW is used (stage 1 only, Hyp).
TEST_F(StrtabTest, Decode_STRWReserved_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s1().strw(1).build()), (uint32_t)SMMU_STE_ILL_STRW);
    EXPECT_EQ(ste_bad(Ste().s1().strw(3).build()), (uint32_t)SMMU_STE_ILL_STRW);
    // IGNORED with stage 2 enabled, and RES0 without Hyp.
    ste_ok(Ste().nested().strw(1).build());
    s->cfg.hyp = 0;
    ste_ok(Ste().s1().strw(1).build());
}

// 5.2 STRW: 0b10 selects NS-EL2, or NS-EL2-E2H with CR2.E2H.
TEST_F(StrtabTest, Decode_STRWEl2StreamWorld_5_2)
{
    EXPECT_EQ(ste_ok(Ste().s1().strw(0).build()).streamworld, SMMU_SW_NS_EL1);
    EXPECT_EQ(ste_ok(Ste().s1().strw(2).build()).streamworld, SMMU_SW_NS_EL2);
    s->regs.cr2 = SMMU_CR2_E2H;
    EXPECT_EQ(ste_ok(Ste().s1().strw(2).build()).streamworld, SMMU_SW_NS_EL2_E2H);
}

// 5.2 EATS (with IDR0.ATS): split-stage needs Config 0b111, S2S == 0, !NS1ATS.
TEST_F(StrtabTest, Decode_EATSSplitStageRules_5_2)
{
    s->cfg.ats = 1;
    EXPECT_EQ(ste_bad(Ste().s2().eats(2).build()), (uint32_t)SMMU_STE_ILL_EATS);
    EXPECT_EQ(ste_ok(Ste().nested().eats(2).build()).eats, 2);
    s->cfg.ns1ats = 1;
    EXPECT_EQ(ste_bad(Ste().nested().eats(2).build()), (uint32_t)SMMU_STE_ILL_EATS);
}

// 5.2 EATS: Full ATS with S2S == 1 is ILLEGAL when stage 2 is enabled only.
TEST_F(StrtabTest, Decode_EATSFullWithS2S_5_2)
{
    s->cfg.ats = 1;
    s->cfg.stall_model = 0;
    EXPECT_EQ(ste_bad(Ste().s2().eats(1).s2s().build()), (uint32_t)SMMU_STE_ILL_EATS);
    EXPECT_EQ(ste_ok(Ste().s1().eats(1).s2s().build()).eats, 1);
}

// 5.2 EATS: RES0 without ATS support, never ILLEGAL.
TEST_F(StrtabTest, Decode_EATSIgnoredWithoutAts_5_2)
{
    EXPECT_EQ(ste_ok(Ste().s2().eats(2).build()).eats, 0);
}

// 5.2 S2AA64: AArch64-only SMMU (IDR0.TTF = 0b10): VMSAv8-32 stage 2 ILLEGAL.
TEST_F(StrtabTest, Decode_S2AA64Zero_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2aa64(false).build()), (uint32_t)SMMU_STE_ILL_S2AA64);
}

// 5.2 S2TG: reserved value or granule not in IDR5 is ILLEGAL.
TEST_F(StrtabTest, Decode_S2TGReserved_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2tg(3).build()), (uint32_t)SMMU_STE_ILL_S2TG);
}
TEST_F(StrtabTest, Decode_S2TGUnsupported_5_2)
{
    s->cfg.gran16k = 0;
    EXPECT_EQ(ste_bad(Ste().s2().s2tg16k().s2t0sz(28).s2sl0(1).build()),
              (uint32_t)SMMU_STE_ILL_S2TG);
}

// 5.2 S2T0SZ (v3.1+): minimum MAX(16, 64-IAS) for 4KB/16KB, max 39 (no STT).
TEST_F(StrtabTest, Decode_S2T0SZOutOfRange_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2t0sz(15).s2sl0(2).build()), (uint32_t)SMMU_STE_ILL_S2T0SZ);
    EXPECT_EQ(ste_bad(Ste().s2().s2t0sz(40).s2sl0(0).build()), (uint32_t)SMMU_STE_ILL_S2T0SZ);
    EXPECT_EQ(ste_ok(Ste().s2().s2t0sz(16).s2sl0(2).build()).s2.ia_bits, 48);
    EXPECT_EQ(ste_ok(Ste().s2().s2t0sz(39).s2sl0(0).build()).s2.ia_bits, 25);
}

// 5.2 S2T0SZ is bounded by the IAS, not by S2PS (pitfall list).
TEST_F(StrtabTest, Decode_S2T0SZBoundedByIas_5_2)
{
    cfg.oas = 2; // 40 bits: IAS 40 -> minimum S2T0SZ 24
    make();
    EXPECT_EQ(ste_bad(Ste().s2().s2ps(5).s2t0sz(23).s2sl0(1).build()),
              (uint32_t)SMMU_STE_ILL_S2T0SZ);
    EXPECT_EQ(ste_ok(Ste().s2().s2ps(0).s2t0sz(24).s2sl0(1).build()).s2.ia_bits, 40);
}

// 5.2 S2T0SZ: 64KB granule may go down to 12 with a 52-bit IAS (v3.1+).
TEST_F(StrtabTest, Decode_S2T0SZ64KMinimum12With52BitIas_5_2)
{
    cfg.oas = 6;
    make();
    smmu_ste_t ste = ste_ok(Ste().s2().s2tg64k().s2ps(6).s2t0sz(12).s2sl0(2).build());
    EXPECT_EQ(ste.s2.ia_bits, 52);
    EXPECT_EQ(ste.s2.start_level, 1);
    EXPECT_EQ(ste.s2.oa_bits, 52);
    EXPECT_EQ(ste_bad(Ste().s2().s2tg4k().s2t0sz(12).s2sl0(2).build()),
              (uint32_t)SMMU_STE_ILL_S2T0SZ);
}

// 5.2 S2T0SZ with IDR3.STT: maximum 48 (4KB/16KB), 47 (64KB).
TEST_F(StrtabTest, Decode_S2T0SZMaximumWithSTT_5_2)
{
    s->cfg.stt = 1;
    smmu_ste_t ste = ste_ok(Ste().s2().s2t0sz(48).s2sl0(3).build());
    EXPECT_EQ(ste.s2.start_level, 3);
    EXPECT_EQ(ste.s2.ia_bits, 16);
    EXPECT_EQ(ste_bad(Ste().s2().s2tg64k().s2t0sz(48).s2sl0(0).build()),
              (uint32_t)SMMU_STE_ILL_S2T0SZ);
    EXPECT_EQ(ste_ok(Ste().s2().s2tg64k().s2t0sz(47).s2sl0(0).build()).s2.start_level, 3);
}

// 5.2 S2SL0: ILLEGAL when inconsistent with S2T0SZ/S2TG (Arm ARM D8.2.9).
struct Sl0Case {
    unsigned tg, t0sz, sl0;
    int level; // -1: ILLEGAL
};
class S2Sl0Test : public StrtabTest, public ::testing::WithParamInterface<Sl0Case> {};
TEST_P(S2Sl0Test, Decode_S2SL0Consistency_5_2)
{
    Sl0Case c = GetParam();
    Words8 w = Ste().s2().s2tg(c.tg).s2t0sz(c.t0sz).s2sl0(c.sl0).build();
    if (c.level < 0) {
        EXPECT_EQ(ste_bad(w), (uint32_t)SMMU_STE_ILL_S2SL0);
    } else {
        EXPECT_EQ(ste_ok(w).s2.start_level, c.level);
    }
}
INSTANTIATE_TEST_SUITE_P(
    Sl0, S2Sl0Test,
    ::testing::Values(
        // 4KB: SL0 0 -> level 2, 1 -> level 1, 2 -> level 0, 3 reserved w/o STT
        Sl0Case{0, 25, 1, 1}, Sl0Case{0, 24, 1, 1},  // 2 concatenated tables
        Sl0Case{0, 21, 1, 1}, Sl0Case{0, 20, 1, -1}, // 16 tables max
        Sl0Case{0, 34, 1, -1},                       // too small for level 1
        Sl0Case{0, 30, 0, 2}, Sl0Case{0, 29, 0, -1}, Sl0Case{0, 39, 0, 2},
        Sl0Case{0, 16, 2, 0}, Sl0Case{0, 24, 2, 0}, Sl0Case{0, 25, 2, -1},
        Sl0Case{0, 39, 3, -1},
        // 16KB: SL0 0 -> level 3, 1 -> level 2, 2 -> level 1, 3 needs DS
        Sl0Case{2, 16, 2, 1}, Sl0Case{2, 27, 2, 1}, Sl0Case{2, 28, 2, -1},
        Sl0Case{2, 24, 1, 2}, Sl0Case{2, 38, 1, 2}, Sl0Case{2, 23, 1, -1},
        Sl0Case{2, 35, 0, 3}, Sl0Case{2, 34, 0, -1}, Sl0Case{2, 16, 3, -1},
        // 64KB: SL0 0 -> level 3, 1 -> level 2, 2 -> level 1, 3 reserved
        Sl0Case{1, 16, 2, 1}, Sl0Case{1, 21, 2, 1}, Sl0Case{1, 22, 2, -1},
        Sl0Case{1, 18, 1, 2}, Sl0Case{1, 34, 1, 2}, Sl0Case{1, 17, 1, -1},
        Sl0Case{1, 31, 0, 3}, Sl0Case{1, 39, 0, 3}, Sl0Case{1, 30, 0, -1},
        Sl0Case{1, 30, 3, -1}));

// 5.2 S2TTB: ILLEGAL outside the effective S2PS (MIN(S2PS, OAS)).
TEST_F(StrtabTest, Decode_S2TTBBeyondS2PS_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2ps(2).s2ttb(1ull << 40).build()),
              (uint32_t)SMMU_STE_ILL_S2TTB);
    EXPECT_EQ(ste_ok(Ste().s2().s2ps(2).s2ttb((1ull << 40) - 0x1000).build()).s2.ttb,
              (1ull << 40) - 0x1000);
}
TEST_F(StrtabTest, Decode_S2TTBBeyondOas_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2ps(6).s2ttb(1ull << 48).build()),
              (uint32_t)SMMU_STE_ILL_S2TTB);
}

// 5.2 S2TTB: outside 48 bits with a 4KB/16KB granule and S2DS == 0.
TEST_F(StrtabTest, Decode_S2TTBBeyond48BitsSmallGranule_5_2)
{
    cfg.oas = 6;
    make();
    EXPECT_EQ(ste_bad(Ste().s2().s2ps(6).s2t0sz(16).s2sl0(2).s2ttb(1ull << 48).build()),
              (uint32_t)SMMU_STE_ILL_S2TTB);
    EXPECT_EQ(ste_ok(Ste().s2().s2tg64k().s2ps(6).s2t0sz(22).s2sl0(1).s2ttb(1ull << 48).build())
                  .s2.ttb,
              1ull << 48);
}

// 5.2 S2HA/S2HD: ILLEGAL beyond IDR0.HTTU.
TEST_F(StrtabTest, Decode_S2HAWithoutHTTU_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2ha().build()), (uint32_t)SMMU_STE_ILL_S2HTTU);
    EXPECT_EQ(ste_bad(Ste().s2().s2hd().build()), (uint32_t)SMMU_STE_ILL_S2HTTU);
}
TEST_F(StrtabTest, Decode_S2HDWithAccessFlagOnlyHTTU_5_2)
{
    s->cfg.httu = 1;
    EXPECT_EQ(ste_bad(Ste().s2().s2ha().s2hd().build()), (uint32_t)SMMU_STE_ILL_S2HTTU);
    smmu_ste_t ste = ste_ok(Ste().s2().s2ha().build());
    EXPECT_EQ(ste.s2.ha, 1);
    EXPECT_EQ(ste.s2.hd, 0);
}
// 5.2 S2HA: {S2HA,S2HD} = 01 (not ILLEGAL) behaves as 00.
TEST_F(StrtabTest, Decode_S2HDWithoutS2HABehavesAsDisabled_5_2)
{
    s->cfg.httu = 2;
    smmu_ste_t ste = ste_ok(Ste().s2().s2hd().build());
    EXPECT_EQ(ste.s2.ha, 0);
    EXPECT_EQ(ste.s2.hd, 0);
    ste = ste_ok(Ste().s2().s2ha().s2hd().build());
    EXPECT_EQ(ste.s2.ha, 1);
    EXPECT_EQ(ste.s2.hd, 1);
}

// 5.2 S2VMID: [15:8] != 0 ILLEGAL without VMID16 unless IGNORED.
TEST_F(StrtabTest, Decode_VMID16_5_2)
{
    s->cfg.vmid16 = 0;
    EXPECT_EQ(ste_bad(Ste().s2().vmid(0x100).build()), (uint32_t)SMMU_STE_ILL_VMID16);
    // Not IGNORED for stage-1-only STEs when stage 2 exists (pitfall list).
    EXPECT_EQ(ste_bad(Ste().s1().vmid(0x100).build()), (uint32_t)SMMU_STE_ILL_VMID16);
    EXPECT_EQ(ste_ok(Ste().s1().vmid(0xFF).build()).s2vmid, 0xFF);
    // IGNORED in bypass and for an EL2 StreamWorld.
    EXPECT_EQ(ste_ok(Ste().bypass().vmid(0x100).build()).s2vmid, 0);
    EXPECT_EQ(ste_ok(Ste().s1().strw(2).vmid(0x100).build()).s2vmid, 0);
}

// 5.2 S2ENDI: ILLEGAL to select an endianness IDR0.TTENDIAN does not support.
TEST_F(StrtabTest, Decode_S2ENDIUnsupported_5_2)
{
    s->cfg.ttendian = 2; // little only
    EXPECT_EQ(ste_bad(Ste().s2().s2endi().build()), (uint32_t)SMMU_STE_ILL_S2ENDI);
    s->cfg.ttendian = 3; // big only
    EXPECT_EQ(ste_bad(Ste().s2().s2endi(false).build()), (uint32_t)SMMU_STE_ILL_S2ENDI);
    EXPECT_EQ(ste_ok(Ste().s2().s2endi().build()).s2.big_endian, 1);
}

// 5.2 S2S: ILLEGAL with STALL_MODEL 0b01; S2S == 0 ILLEGAL with 0b10.
TEST_F(StrtabTest, Decode_S2SvsStallModel_5_2)
{
    EXPECT_EQ(ste_bad(Ste().s2().s2s().build()), (uint32_t)SMMU_STE_ILL_STALL);
    s->cfg.stall_model = 2;
    EXPECT_EQ(ste_bad(Ste().s2().s2s(false).build()), (uint32_t)SMMU_STE_ILL_STALL);
    EXPECT_EQ(ste_ok(Ste().s2().s2s().build()).s2s, 1);
}

// 5.2 V: S2 fields IGNORED when stage 2 bypasses (pitfall list).
TEST_F(StrtabTest, Decode_S2FieldsIgnoredWhenStage2Bypasses_5_2)
{
    smmu_ste_t ste = ste_ok(Ste()
                                .s1()
                                .s2aa64(false)
                                .s2tg(3)
                                .s2t0sz(0)
                                .s2sl0(3)
                                .s2ha()
                                .s2hd()
                                .s2s()
                                .s2ttb(0x000F'FFFF'FFFF'FFF0ull)
                                .build());
    EXPECT_EQ(ste.s2_enabled, 0);
    EXPECT_EQ(ste.s2.stage, 0);
}

// Decoded stage-2 walk configuration (walk.h), exact.
TEST_F(StrtabTest, Decode_S2WalkCfg4K_Concatenated_5_2)
{
    smmu_ste_t ste = ste_ok(
        Ste().s2().vmid(3).s2t0sz(24).s2sl0(1).s2tg4k().s2ps(5).s2ttb(0x81000).build());
    EXPECT_EQ(ste.s2vmid, 3);
    EXPECT_EQ(ste.s2.stage, 2);
    EXPECT_EQ(ste.s2.gran_shift, 12);
    EXPECT_EQ(ste.s2.ia_bits, 40);
    EXPECT_EQ(ste.s2.start_level, 1);
    EXPECT_EQ(ste.s2.oa_bits, 48);
    EXPECT_EQ(ste.s2.ttb, 0x80000u); // 2 concatenated 4KB tables: 8KB aligned
    EXPECT_EQ(ste.s2.big_endian, 0);
    EXPECT_EQ(ste.s2.had, 0);
}
TEST_F(StrtabTest, Decode_S2WalkCfg64K_5_2)
{
    smmu_ste_t ste = ste_ok(Ste().s2().s2tg64k().s2t0sz(22).s2sl0(1).s2ps(2).s2affd()
                                .s2ttb(0x1234'5670).build());
    EXPECT_EQ(ste.s2.gran_shift, 16);
    EXPECT_EQ(ste.s2.ia_bits, 42);
    EXPECT_EQ(ste.s2.start_level, 2);
    EXPECT_EQ(ste.s2.oa_bits, 40);
    EXPECT_EQ(ste.s2.ttb, 0x1234'0000u); // 8192 entries = 64KB
    EXPECT_EQ(ste.s2.affd, 1);
}
TEST_F(StrtabTest, Decode_S2WalkCfg16K_5_2)
{
    smmu_ste_t ste = ste_ok(Ste().s2().s2tg16k().s2t0sz(28).s2sl0(1).s2ttb(0x8010).build());
    EXPECT_EQ(ste.s2.gran_shift, 14);
    EXPECT_EQ(ste.s2.ia_bits, 36);
    EXPECT_EQ(ste.s2.start_level, 2);
    EXPECT_EQ(ste.s2.ttb, 0x8000u); // 2048 entries = 16KB
}

// 5.2 S2PS: effective value capped to the OAS; 0b110/0b111 never ILLEGAL.
TEST_F(StrtabTest, Decode_S2PSCappedToOas_5_2)
{
    EXPECT_EQ(ste_ok(Ste().s2().s2ps(6).build()).s2.oa_bits, 48);
    EXPECT_EQ(ste_ok(Ste().s2().s2ps(7).build()).s2.oa_bits, 48);
    EXPECT_EQ(ste_ok(Ste().s2().s2ps(1).build()).s2.oa_bits, 36);
}

// 5.2 SHCFG: RES0 without ATTR_TYPES_OVR, the incoming Shareability is used.
TEST_F(StrtabTest, Decode_ShcfgWithoutOverrideUsesIncoming_5_2)
{
    EXPECT_EQ(ste_ok(Ste().bypass().shcfg(0).build()).shcfg, 1);
    s->cfg.attr_types_ovr = 1;
    EXPECT_EQ(ste_ok(Ste().bypass().shcfg(0).build()).shcfg, 0);
}

} // namespace

namespace smmutest {
namespace {
// Arm ARM J1.1.4.40 AArch64.S2InvalidSL() (DS == 0), SMMU 5.2 S2SL0 / 5.2.1:
// S2SL0 = 0b10 needs PAMax >= 44 (4KB, 64KB) or >= 42 (16KB).
class StrtabSl0Pa : public CfgTest {};
TEST_F(StrtabSl0Pa, S2SL0_4K_Level0_Oas40_IsIllegal_S2InvalidSL)
{
    cfg.oas = 2; // 40 bits
    make();
    EXPECT_EQ(ste_bad(Ste().s2().s2tg4k().s2ps(2).s2t0sz(24).s2sl0(2).build()),
              (uint32_t)SMMU_STE_ILL_S2SL0);
}
TEST_F(StrtabSl0Pa, S2SL0_4K_Level0_Oas42_IsIllegal_S2InvalidSL)
{
    cfg.oas = 3; // 42 bits
    make();
    EXPECT_EQ(ste_bad(Ste().s2().s2tg4k().s2ps(3).s2t0sz(22).s2sl0(2).build()),
              (uint32_t)SMMU_STE_ILL_S2SL0);
}
TEST_F(StrtabSl0Pa, S2SL0_16K_Level1_Oas40_IsIllegal_S2InvalidSL)
{
    cfg.oas = 2;
    make();
    EXPECT_EQ(ste_bad(Ste().s2().s2tg16k().s2ps(2).s2t0sz(24).s2sl0(2).build()),
              (uint32_t)SMMU_STE_ILL_S2SL0);
}
TEST_F(StrtabSl0Pa, S2SL0_4K_Level0_Oas44_IsLegal_S2InvalidSL)
{
    cfg.oas = 4; // 44 bits
    make();
    smmu_ste_t ste = ste_ok(Ste().s2().s2tg4k().s2ps(4).s2t0sz(20).s2sl0(2).build());
    EXPECT_EQ(ste.s2.start_level, 0u);
}
} // namespace
} // namespace smmutest

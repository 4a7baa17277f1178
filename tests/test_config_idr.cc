// SPDX-License-Identifier: Apache-2.0
// Configuration from and to raw ID registers (idr.c): smmu_config_from_idr,
// smmu_config_to_idr, and every revision rule of smmu_config_check against
// IHI 0070 G.b 6.3.1-6.3.8 and 2.2-2.5 (docs/configuration.md lists them).
#include <gtest/gtest.h>

#include <chrono>
#include <cstdlib>
#include <cstring>
#include <random>
#include <string>

#include "support/simmem.h"

extern "C" {
#include "smmu/smmu.h"
#include "smmu/smmu_regs.h"
}

namespace {

struct Ids {
    uint32_t idr[6];
    uint32_t aidr, iidr;
};

// QEMU's stage-1-only SMMUv3.1 (hw/arm/smmuv3.c smmuv3_init_regs values).
Ids qemu_v31()
{
    return Ids{{0x0D40101Au, 0x02730010u, 0u, 0x1404u, 0u, 0x74u}, 0x1u, 0u};
}

Ids ids_of(const smmu_config_t &c)
{
    Ids x{};
    smmu_config_to_idr(&c, x.idr, &x.aidr, &x.iidr);
    return x;
}

Ids ids_of(smmu_arch_t a)
{
    smmu_config_t c;
    smmu_config_default(&c, a);
    return ids_of(c);
}

// Replace bits [hi:lo] of register reg (0-5: IDRn, 6: IIDR, 7: AIDR).
Ids with(Ids x, int reg, unsigned hi, unsigned lo, uint32_t v)
{
    uint32_t *p = reg < 6 ? &x.idr[reg] : reg == 6 ? &x.iidr : &x.aidr;
    uint32_t m = (uint32_t)SMMU_MASK(hi, lo);
    *p = (*p & ~m) | ((v << lo) & m);
    return x;
}

// "OK" or the message of smmu_config_from_idr.
std::string load(const Ids &x, smmu_config_t *out = nullptr)
{
    smmu_config_t c;
    char msg[256] = "x";
    smmu_status_t st = smmu_config_from_idr(x.idr, x.aidr, x.iidr, &c, msg, sizeof msg);
    if (st == SMMU_OK) {
        EXPECT_STREQ(msg, "");
        if (out)
            *out = c;
        return "OK";
    }
    EXPECT_EQ(st, SMMU_ERR_CONFIG);
    return msg;
}

std::string check(const smmu_config_t &c)
{
    char msg[256] = "";
    return smmu_config_check(&c, msg, sizeof msg) == SMMU_OK ? "OK" : msg;
}

// What an instance created with cfg reads from its ID registers.
Ids read_back(const smmu_config_t &cfg)
{
    smmutest::SimMem mem;
    char msg[256] = "";
    smmu_t *s = smmu_create(&cfg, mem.ops(), mem.ctx(), msg, sizeof msg);
    EXPECT_NE(s, nullptr) << msg;
    Ids x{};
    if (!s)
        return x;
    auto rd = [&](uint64_t off) {
        uint64_t v = 0;
        EXPECT_EQ(smmu_mmio_read(s, off, 4, &v), SMMU_OK);
        return (uint32_t)v;
    };
    const uint64_t offs[6] = {SMMU_IDR0, SMMU_IDR1, SMMU_IDR2, SMMU_IDR3, SMMU_IDR4, SMMU_IDR5};
    for (int i = 0; i < 6; i++)
        x.idr[i] = rd(offs[i]);
    x.aidr = rd(SMMU_AIDR);
    x.iidr = rd(SMMU_IIDR);
    smmu_destroy(s);
    return x;
}

void expect_same(const Ids &a, const Ids &b, const std::string &what)
{
    for (int i = 0; i < 6; i++)
        EXPECT_EQ(a.idr[i], b.idr[i]) << what << ": IDR" << i;
    EXPECT_EQ(a.aidr, b.aidr) << what << ": AIDR";
    EXPECT_EQ(a.iidr, b.iidr) << what << ": IIDR";
}

// Equal as the registers show them: STALL_MAX is RES0 while STALL_MODEL ==
// 0b01 (6.3.6), so the default's stall_max = 64 comes back as 0 then.
bool same_config(const smmu_config_t &a, const smmu_config_t &b)
{
    smmu_config_t x = a, y = b;
    if (x.stall_model == 1)
        x.stall_max = 0;
    if (y.stall_model == 1)
        y.stall_max = 0;
    return std::memcmp(&x, &y, sizeof x) == 0;
}

// ---- The two ID sets ----

// QEMU's stage-1 v3.1 set (BBML = 2 and RIL at v3.1, 6.3.4) loads and reads
// back unchanged through smmu_mmio_read.
TEST(ConfigIdr, QemuV31SetLoadsAndReadsBack_6_3_4)
{
    Ids q = qemu_v31();
    smmu_config_t c;
    ASSERT_EQ(load(q, &c), "OK");
    EXPECT_EQ(c.arch_minor, 1u);
    EXPECT_EQ(c.s1p, 1u);
    EXPECT_EQ(c.s2p, 0u);
    EXPECT_EQ(c.cohacc, 1u);
    EXPECT_EQ(c.asid16, 1u);
    EXPECT_EQ(c.msi, 0u);
    EXPECT_EQ(c.ttendian, 2u);
    EXPECT_EQ(c.stall_model, 1u);
    EXPECT_EQ(c.term_model, 1u);
    EXPECT_EQ(c.st_level, 1u);
    EXPECT_EQ(c.sidsize, 16u);
    EXPECT_EQ(c.ssidsize, 0u);
    EXPECT_EQ(c.eventqs, 19u);
    EXPECT_EQ(c.cmdqs, 19u);
    EXPECT_EQ(c.priqs, 0u);
    EXPECT_EQ(c.had, 1u);
    EXPECT_EQ(c.ril, 1u);
    EXPECT_EQ(c.bbml, 2u);
    EXPECT_EQ(c.oas, 4u);
    EXPECT_EQ(c.gran4k, 1u);
    EXPECT_EQ(c.gran16k, 1u);
    EXPECT_EQ(c.gran64k, 1u);
    EXPECT_EQ(c.iidr_implementer, 0u);
    expect_same(read_back(c), q, "QEMU v3.1");
    uint32_t idr[6], aidr, iidr;
    smmu_config_to_idr(&c, idr, &aidr, &iidr);
    expect_same(Ids{{idr[0], idr[1], idr[2], idr[3], idr[4], idr[5]}, aidr, iidr}, q,
                "smmu_config_to_idr");
}

// Model options come from smmu_config_default of the AIDR revision.
TEST(ConfigIdr, ModelOptionsFromRevisionDefault)
{
    smmu_config_t c, d;
    ASSERT_EQ(load(qemu_v31(), &c), "OK");
    smmu_config_default(&d, SMMU_ARCH_V3_1);
    EXPECT_EQ(c.cfg_cache_entries, d.cfg_cache_entries);
    EXPECT_EQ(c.tlb_sets, d.tlb_sets);
    EXPECT_EQ(c.tlb_ways, d.tlb_ways);
    EXPECT_EQ(c.tlb_repl, d.tlb_repl);
    EXPECT_EQ(c.walk_cache_sets, d.walk_cache_sets);
    EXPECT_EQ(c.walk_cache_ways, d.walk_cache_ways);
    EXPECT_EQ(c.utlb_entries, d.utlb_entries);
    EXPECT_EQ(c.secure_req_abort, d.secure_req_abort);
}

TEST(ConfigIdr, TtendianOneIsReserved_6_3_1)
{
    Ids x = qemu_v31();
    x.idr[0] = 0x0D20101Au;
    EXPECT_EQ(load(x), "IDR0.TTENDIAN = 1 is Reserved (6.3.1)");
}

TEST(ConfigIdr, FailureLeavesConfigUntouchedAndNullArgs)
{
    Ids x = with(qemu_v31(), 0, 22, 21, 1);
    smmu_config_t c;
    std::memset(&c, 0xA5, sizeof c);
    smmu_config_t before = c;
    char msg[64];
    EXPECT_EQ(smmu_config_from_idr(x.idr, x.aidr, x.iidr, &c, msg, sizeof msg), SMMU_ERR_CONFIG);
    EXPECT_TRUE(same_config(c, before));
    EXPECT_EQ(smmu_config_from_idr(nullptr, 1, 0, &c, msg, sizeof msg), SMMU_ERR_CONFIG);
    EXPECT_STREQ(msg, "idr or cfg is NULL");
    EXPECT_EQ(smmu_config_from_idr(x.idr, 1, 0, nullptr, nullptr, 0), SMMU_ERR_CONFIG);
    // A short buffer is truncated and terminated.
    char small[8];
    EXPECT_EQ(smmu_config_from_idr(x.idr, x.aidr, x.iidr, &c, small, sizeof small),
              SMMU_ERR_CONFIG);
    EXPECT_STREQ(small, "IDR0.TT");
}

// ---- Round trip ----

TEST(ConfigIdr, ToIdrEqualsMmioReadForEveryPreset_6_3)
{
    for (int a = SMMU_ARCH_V3_0; a <= SMMU_ARCH_V3_3; a++) {
        smmu_config_t c;
        smmu_config_default(&c, smmu_arch_t(a));
        expect_same(read_back(c), ids_of(c), "default v3." + std::to_string(a));
    }
}

TEST(ConfigIdr, RoundTripEveryPreset_6_3)
{
    for (int a = SMMU_ARCH_V3_0; a <= SMMU_ARCH_V3_3; a++) {
        smmu_config_t c, back;
        smmu_config_default(&c, smmu_arch_t(a));
        ASSERT_EQ(load(ids_of(c), &back), "OK") << "v3." << a;
        EXPECT_TRUE(same_config(c, back)) << "v3." << a;
        expect_same(ids_of(back), ids_of(c), "v3." + std::to_string(a));
    }
}

// Random valid configurations: to_idr -> from_idr gives the configuration
// back and equals what the registers read. SMMU_TEST_SEED reproduces a run.
TEST(ConfigIdr, RoundTripRandomSweep_6_3)
{
    unsigned seed = (unsigned)std::chrono::steady_clock::now().time_since_epoch().count();
    if (const char *e = std::getenv("SMMU_TEST_SEED"))
        seed = (unsigned)std::strtoul(e, nullptr, 0);
    std::printf("ConfigIdr.RoundTripRandomSweep seed %u (SMMU_TEST_SEED=%u to repeat)\n", seed,
                seed);
    RecordProperty("seed", std::to_string(seed));
    SCOPED_TRACE("seed " + std::to_string(seed));
    std::mt19937 rng(seed);
    auto r = [&](unsigned n) { return (unsigned)(rng() % n); };
    int valid = 0, read_checked = 0;
    for (int i = 0; i < 20000; i++) {
        smmu_config_t c;
        smmu_config_default(&c, smmu_arch_t(r(4)));
        c.s1p = (uint8_t)r(2);
        c.s2p = c.s1p ? (uint8_t)r(2) : 1;
        c.cohacc = (uint8_t)r(2);
        c.btm = (uint8_t)r(2);
        c.httu = (uint8_t)r(3);
        c.dormhint = (uint8_t)r(2);
        c.hyp = (uint8_t)(c.s1p && c.s2p ? (c.arch_minor >= 2 ? 1 : r(2)) : 0);
        c.asid16 = (uint8_t)r(2);
        c.msi = (uint8_t)r(2);
        c.sev = (uint8_t)r(2);
        c.vmw = (uint8_t)(c.s2p ? r(2) : 0);
        c.vmid16 = (uint8_t)r(2);
        c.cd2l = (uint8_t)r(2);
        c.ttendian = (uint8_t)(r(3) ? 0 : 2 + r(2));
        c.term_model = (uint8_t)r(2);
        c.stall_model = (uint8_t)r(3);
        c.stall_max = (uint16_t)(c.stall_model == 1 ? 0 : 1 + r(0xFFFF));
        c.ats = (uint8_t)r(2);
        c.pri = (uint8_t)(c.ats ? r(2) : 0);
        c.sidsize = (uint8_t)r(33);
        c.st_level = (uint8_t)(c.sidsize >= 7 ? 1 : r(2));
        c.ssidsize = (uint8_t)r(21);
        c.cmdqs = (uint8_t)r(20);
        c.eventqs = (uint8_t)r(20);
        c.priqs = (uint8_t)r(20);
        c.attr_perms_ovr = (uint8_t)r(2);
        c.attr_types_ovr = (uint8_t)r(2);
        c.had = (uint8_t)(c.s1p ? (c.arch_minor >= 1 ? 1 : r(2)) : 0);
        c.pbha = (uint8_t)(c.arch_minor >= 1 && c.had ? r(2) : 0);
        c.xnx = (uint8_t)(c.arch_minor == 0 ? 0 : c.s2p ? 1 : r(2));
        c.fwb = (uint8_t)(c.arch_minor >= 2 && c.s2p ? 1 : r(2));
        c.ril = (uint8_t)(c.arch_minor >= 2 ? 1 : r(2));
        c.bbml = (uint8_t)(c.arch_minor >= 2 ? 1 + r(2) : r(3));
        c.e0pd = (uint8_t)(c.arch_minor >= 3 ? 1 : r(2));
        c.ptwnnc = (uint8_t)(c.s2p ? (c.arch_minor >= 3 ? 1 : r(2)) : 0);
        c.gran4k = (uint8_t)r(2);
        c.gran16k = (uint8_t)r(2);
        c.gran64k = (uint8_t)r(2);
        c.oas = (uint8_t)r(c.arch_minor >= 1 ? 7 : 6);
        c.vax = (uint8_t)(c.arch_minor >= 1 ? r(2) : 0);
        c.iidr_implementer = (uint16_t)(r(0x1000) & ~0x80u);
        c.iidr_revision = (uint8_t)r(16);
        c.iidr_variant = (uint8_t)r(16);
        c.iidr_productid = (uint16_t)r(0x1000);
        if (check(c) != "OK")
            continue; // e.g. no granule, VAX without GRAN64K
        valid++;
        smmu_config_t back;
        std::string got = load(ids_of(c), &back);
        ASSERT_EQ(got, "OK") << "iteration " << i;
        ASSERT_TRUE(same_config(c, back)) << "iteration " << i;
        if (i % 50 == 0) { // creating an instance is slower; sample it
            expect_same(read_back(c), ids_of(c), "iteration " + std::to_string(i));
            read_checked++;
        }
    }
    EXPECT_GT(valid, 10000);
    EXPECT_GT(read_checked, 100);
}

// IDR4 is IMPLEMENTATION DEFINED (6.3.5): ignored; the model reads it as 0.
TEST(ConfigIdr, Idr4IsIgnored_6_3_5)
{
    Ids x = qemu_v31();
    x.idr[4] = 0xDEADBEEFu;
    smmu_config_t c;
    ASSERT_EQ(load(x, &c), "OK");
    EXPECT_EQ(ids_of(c).idr[4], 0u);
}

// ---- Relaxed rules: real values the text does not make Reserved/RES0 ----

// 6.3.4: "BBML is 0b01 or 0b10 in an implementation of SMMUv3.2 or later"
// says nothing about earlier revisions.
TEST(ConfigIdr, BbmlAcceptedBeforeV32_6_3_4)
{
    for (int a = 0; a <= 1; a++)
        for (uint32_t b = 1; b <= 2; b++) {
            smmu_config_t c;
            EXPECT_EQ(load(with(ids_of(smmu_arch_t(a)), 3, 12, 11, b), &c), "OK");
            EXPECT_EQ(c.bbml, b);
        }
}

// 6.3.4: "RIL is 1 in an implementation of SMMUv3.2 or later".
TEST(ConfigIdr, RilAcceptedBeforeV32_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 10, 10, 1)), "OK");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 3, 10, 10, 1)), "OK");
}

// 6.3.4: "FWB is 1 in an implementation of SMMUv3.2 or later".
TEST(ConfigIdr, FwbAcceptedBeforeV32_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 3, 8, 8, 1)), "OK");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 8, 8, 1)), "OK");
}

// 6.3.4: "This bit is 1 in all implementations of SMMUv3.3 and later."
TEST(ConfigIdr, E0pdAcceptedBeforeV33_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 13, 13, 1)), "OK");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 3, 13, 13, 1)), "OK");
}

// 6.3.1: ATSRECERR is RES0 only when ATS == 0 (2.5 lists it as a v3.3
// feature, but 6.3.1 does not make it RES0 before). With ATS the check stops
// at ATSRECERR's own "not modelled".
TEST(ConfigIdr, AtsrecerrOnlyNeedsAts_6_3_1)
{
    Ids x = with(ids_of(SMMU_ARCH_V3_1), 0, 23, 23, 1);
    EXPECT_EQ(load(x), "IDR0.ATSRECERR = 1 is RES0 when ATS == 0 (6.3.1)");
    // Modelled with ATS (CR2.REC_CFG_ATS, 3.9.1.2; docs/ats.md).
    EXPECT_EQ(load(with(x, 0, 10, 10, 1)), "OK");
}

// 6.3.1: ASID16 is "irrelevant to software unless S1P == 1", VMID16 "unless
// S2P == 1"; neither is RES0. CD2L and SSIDSIZE (6.3.2) have no condition.
TEST(ConfigIdr, Asid16Vmid16Cd2lSsidsizeWithoutTheirStage_6_3_1_6_3_2)
{
    Ids s2 = with(with(ids_of(SMMU_ARCH_V3_2), 0, 1, 1, 0), 3, 2, 2, 0); // S1P = HAD = 0
    s2 = with(s2, 0, 9, 9, 0);                                            // Hyp RES0
    smmu_config_t c;
    ASSERT_EQ(load(s2, &c), "OK");
    EXPECT_EQ(c.asid16, 1u);
    EXPECT_EQ(c.cd2l, 1u);
    EXPECT_EQ(c.ssidsize, 20u);
    smmu_config_t q;
    ASSERT_EQ(load(with(qemu_v31(), 0, 18, 18, 1), &q), "OK"); // VMID16 without S2P
    EXPECT_EQ(q.vmid16, 1u);
}

// ---- Kept rules, IDR0 (6.3.1) and 2.2 ----

TEST(ConfigIdr, NoStageRejected_2_2)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 1, 1, 0)),
              "IDR0.S1P = 0 with S2P = 0: no translation stage; an SMMU implements stage 1, "
              "stage 2 or both (2.2)");
}

TEST(ConfigIdr, TtfReservedOrNotModelled_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 3, 2, 0)), "IDR0.TTF = 0 is Reserved (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 3, 2, 1)),
              "IDR0.TTF = 1 (VMSAv8-32 LPAE) is not modelled: only 2, VMSAv8-64 (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 3, 2, 3)),
              "IDR0.TTF = 3 (VMSAv8-32 LPAE) is not modelled: only 2, VMSAv8-64 (6.3.1)");
}

TEST(ConfigIdr, Idr0Res0BitsAndRme_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 31, 31, 1)), "IDR0[31] = 1 is RES0 (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 29, 29, 1)), "IDR0[29] = 1 is RES0 (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 30, 30, 1)),
              "IDR0.RME_IMPL = 1 (Realm Management Extension) is not modelled (6.3.1)");
}

TEST(ConfigIdr, HttuHaftNotModelled_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 7, 6, 3)),
              "IDR0.HTTU = 3 (Access flag for Table descriptors, SMMUv3.4) is not modelled "
              "(6.3.1, 2.8)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 7, 6, 2)), "OK");
}

TEST(ConfigIdr, HypRes0WithoutBothStagesAndMandatoryFromV32_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 9, 9, 1)), "IDR0.Hyp = 1 is RES0 when S1P == 0 or S2P == 0 (6.3.1)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 0, 9, 9, 0)),
              "IDR0.Hyp = 0 with S1P = S2P = 1: Hyp is 1 from SMMUv3.2 (6.3.1)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 0, 9, 9, 0)), "OK");
}

TEST(ConfigIdr, VmwRes0WithoutStage2_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 17, 17, 1)), "IDR0.VMW = 1 is RES0 when S2P == 0 (6.3.1)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 0, 17, 17, 1)), "OK");
}

TEST(ConfigIdr, PriNs1atsRes0WithoutAts_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 16, 16, 1)), "IDR0.PRI = 1 is RES0 when ATS == 0 (6.3.1)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 0, 11, 11, 1)),
              "IDR0.NS1ATS = 1 is RES0 when ATS == 0, S1P == 0 or S2P == 0 (6.3.1)");
}

TEST(ConfigIdr, VatosNeedsAtosAndBothStages_6_3_1)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 0, 20, 20, 1)),
              "IDR0.VATOS = 1 is RES0 when ATOS == 0 (6.3.1)");
    EXPECT_EQ(load(with(with(qemu_v31(), 0, 20, 20, 1), 0, 15, 15, 1)),
              "IDR0.VATOS = 1 needs S1P = 1 and S2P = 1 (6.3.1)");
}

// 6.3.1 STALL_MODEL 0b00 (stall and terminate) and 0b10 (stall forced) are
// accepted with a non-zero IDR5.STALL_MAX (6.3.6); 0b11 is Reserved.
TEST(ConfigIdr, StallModelReservedOrNeedsStallMax_6_3_1_6_3_6)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 25, 24, 3)), "IDR0.STALL_MODEL = 3 is Reserved (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 25, 24, 0)),
              "IDR5.STALL_MAX = 0 with STALL_MODEL = 0: a Stall model needs STALL_MAX >= 1 (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 25, 24, 2)),
              "IDR5.STALL_MAX = 0 with STALL_MODEL = 2: a Stall model needs STALL_MAX >= 1 (6.3.6)");
    EXPECT_EQ(load(with(with(qemu_v31(), 0, 25, 24, 0), 5, 31, 16, 16)), "OK");
    EXPECT_EQ(load(with(with(qemu_v31(), 0, 25, 24, 2), 5, 31, 16, 1)), "OK");
}

TEST(ConfigIdr, StLevelReserved_6_3_1)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 28, 27, 2)), "IDR0.ST_LEVEL = 2 is Reserved (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 0, 28, 27, 3)), "IDR0.ST_LEVEL = 3 is Reserved (6.3.1)");
}

TEST(ConfigIdr, UnmodelledFeaturesSayNotModelled_6_3_1_6_3_4)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 15, 15, 1)), "IDR0.ATOS = 1 is not modelled (6.3.1)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 7, 7, 1)), "IDR3.MPAM = 1 is not modelled (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 9, 9, 1)), "IDR3.STT = 1 is not modelled (6.3.4)");
}

// ---- IDR1 (6.3.2) ----

TEST(ConfigIdr, Idr1SizesReserved_6_3_2)
{
    EXPECT_EQ(load(with(qemu_v31(), 1, 5, 0, 33)), "IDR1.SIDSIZE = 33 is Reserved: 0 to 32 (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 5, 0, 32)), "OK");
    EXPECT_EQ(load(with(qemu_v31(), 1, 10, 6, 21)), "IDR1.SSIDSIZE = 21 is Reserved: 0 to 20 (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 25, 21, 20)), "IDR1.CMDQS = 20 is Reserved: at most 19 (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 20, 16, 20)), "IDR1.EVENTQS = 20 is Reserved: at most 19 (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 15, 11, 20)), "IDR1.PRIQS = 20 is Reserved: at most 19 (6.3.2)");
}

TEST(ConfigIdr, RelRes0WithoutPresets_6_3_2)
{
    EXPECT_EQ(load(with(qemu_v31(), 1, 28, 28, 1)),
              "IDR1.REL = 1 is RES0 when TABLES_PRESET == 0 and QUEUES_PRESET == 0 (6.3.2; "
              "presets are not modelled)");
}

TEST(ConfigIdr, PresetsAndEcmdqNotModelled_6_3_2)
{
    EXPECT_EQ(load(with(qemu_v31(), 1, 31, 31, 1)),
              "IDR1.ECMDQ = 1 (Enhanced Command queues) is not modelled (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 30, 30, 1)),
              "IDR1.TABLES_PRESET = 1 (fixed Stream table base) is not modelled (6.3.2)");
    EXPECT_EQ(load(with(qemu_v31(), 1, 29, 29, 1)),
              "IDR1.QUEUES_PRESET = 1 (fixed queue bases) is not modelled (6.3.2)");
}

TEST(ConfigIdr, LargeSidsizeNeedsTwoLevel_6_3_2)
{
    EXPECT_EQ(load(with(qemu_v31(), 0, 28, 27, 0)),
              "IDR0.ST_LEVEL = 0 with SIDSIZE = 16: ST_LEVEL != 0 when SIDSIZE >= 7 (6.3.2)");
    EXPECT_EQ(load(with(with(qemu_v31(), 0, 28, 27, 0), 1, 5, 0, 6)), "OK");
}

// ---- IDR2 (6.3.3) ----

TEST(ConfigIdr, Idr2Res0_6_3_3)
{
    EXPECT_EQ(load(with(qemu_v31(), 2, 9, 0, 5)),
              "IDR2.BA_VATOS = 5 is RES0 when IDR0.VATOS == 0 (6.3.3)");
    EXPECT_EQ(load(with(qemu_v31(), 2, 31, 10, 1)), "IDR2[31:10] = 0x1 is RES0 (6.3.3)");
}

// ---- IDR3 (6.3.4) ----

TEST(ConfigIdr, HadRules_6_3_4)
{
    Ids s2 = with(ids_of(SMMU_ARCH_V3_0), 0, 1, 1, 0); // v3.0 stage 2 only, HAD = 1
    EXPECT_EQ(load(s2), "IDR3.HAD = 1 is 0 when S1P == 0 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 2, 2, 0)),
              "IDR3.HAD = 0 with S1P = 1: HAD is mandatory from SMMUv3.1 (6.3.4)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 2, 2, 0)), "OK"); // optional in v3.0
}

TEST(ConfigIdr, PbhaRules_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 3, 3, 1)), "IDR3.PBHA = 1 is RES0 in SMMUv3.0 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 3, 3, 1)), "OK");
    Ids s2 = with(with(with(ids_of(SMMU_ARCH_V3_1), 0, 1, 1, 0), 3, 2, 2, 0), 3, 3, 3, 1);
    EXPECT_EQ(load(s2), "IDR3.PBHA = 1 needs HAD = 1 (6.3.4)");
}

TEST(ConfigIdr, XnxRules_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 3, 4, 4, 1)), "IDR3.XNX = 1 is RES0 in SMMUv3.0 (6.3.4)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 3, 4, 4, 0)),
              "IDR3.XNX = 0 with S2P = 1: XNX is mandatory from SMMUv3.1 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 4, 4, 1)), "OK"); // optional without stage 2
}

TEST(ConfigIdr, PpsRes0WithoutPri_6_3_4)
{
    EXPECT_EQ(load(with(qemu_v31(), 3, 5, 5, 1)),
              "IDR3.PPS = 1 is RES0 when PRI == 0 or SSIDSIZE == 0 (6.3.4)");
}

TEST(ConfigIdr, FwbMandatoryWithStage2FromV32_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 3, 8, 8, 0)),
              "IDR3.FWB = 0 with S2P = 1: FWB is 1 from SMMUv3.2 (6.3.4)");
}

TEST(ConfigIdr, RilMandatoryFromV32_6_3_4)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 3, 10, 10, 0)),
              "IDR3.RIL = 0 (no range invalidation): RIL is 1 from SMMUv3.2 (6.3.4)");
}

TEST(ConfigIdr, BbmlReservedAndMandatoryFromV32_6_3_4)
{
    EXPECT_EQ(load(with(qemu_v31(), 3, 12, 11, 3)), "IDR3.BBML = 3 is Reserved (6.3.4)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 3, 12, 11, 0)),
              "IDR3.BBML = 0 (level 0): BBML is 0b01 or 0b10 from SMMUv3.2 (6.3.4)");
}

TEST(ConfigIdr, E0pdMandatoryFromV33_6_3_4_2_5)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_3), 3, 13, 13, 0)),
              "IDR3.E0PD = 0 (no E0PD): E0PD is 1 from SMMUv3.3 (6.3.4)");
}

TEST(ConfigIdr, PtwnncRes0WithoutStage2AndMandatoryFromV33_6_3_4)
{
    EXPECT_EQ(load(with(qemu_v31(), 3, 14, 14, 1)), "IDR3.PTWNNC = 1 is RES0 when S2P == 0 (6.3.4)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_3), 3, 14, 14, 0)),
              "IDR3.PTWNNC = 0 with S2P = 1: PTWNNC is 1 from SMMUv3.3 (6.3.4)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 3, 14, 14, 1)), "OK");
}

TEST(ConfigIdr, Idr3Res0AndV34Fields_6_3_4)
{
    EXPECT_EQ(load(with(qemu_v31(), 3, 6, 6, 1)), "IDR3[6] = 1 is RES0 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 1, 0, 2)), "IDR3[1:0] = 0x2 is RES0 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 31, 24, 0x80)), "IDR3[31:24] = 0x80 is RES0 (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 15, 15, 1)),
              "IDR3.DPT = 1 (Device Permission Table) is not modelled (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 17, 17, 1)),
              "IDR3.EPAN = 1 (Enhanced PAN) is not modelled (6.3.4)");
    EXPECT_EQ(load(with(qemu_v31(), 3, 23, 23, 1)),
              "IDR3.AIE = 1 (Attribute Index Extension) is not modelled (6.3.4)");
}

// ---- IDR5 (6.3.6) ----

TEST(ConfigIdr, OasRules_6_3_6)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 5, 2, 0, 6)),
              "IDR5.OAS = 6 (52 bits) is Reserved in SMMUv3.0 (6.3.6)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_1), 5, 2, 0, 6)), "OK");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_3), 5, 2, 0, 7)),
              "IDR5.OAS = 7 (56 bits) is Reserved in SMMUv3.3 (6.3.6)");
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_2), 5, 2, 0, 7)),
              "IDR5.OAS = 7 (56 bits, needs D128) is not modelled (6.3.6)");
    EXPECT_EQ(load(with(with(ids_of(SMMU_ARCH_V3_2), 5, 2, 0, 6), 5, 6, 6, 0)),
              "IDR5.OAS = 6 (52 bits) needs GRAN64K = 1 when DS == 0 and D128 == 0 (6.3.6; "
              "DS and D128 are not modelled)");
}

TEST(ConfigIdr, VaxRules_6_3_6)
{
    EXPECT_EQ(load(with(ids_of(SMMU_ARCH_V3_0), 5, 11, 10, 1)), "IDR5.VAX = 1 is RES0 in SMMUv3.0 (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 11, 10, 1)), "OK");
    EXPECT_EQ(load(with(qemu_v31(), 5, 11, 10, 3)), "IDR5.VAX = 3 is Reserved (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 11, 10, 2)),
              "IDR5.VAX = 2 (56-bit VA, needs D128) is not modelled (6.3.6)");
    EXPECT_EQ(load(with(with(qemu_v31(), 5, 11, 10, 1), 5, 6, 6, 0)),
              "IDR5.VAX = 1 (52-bit VA) needs GRAN64K = 1 when DS == 0 (6.3.6; DS is not modelled)");
}

TEST(ConfigIdr, NoGranuleRejected_6_3_6)
{
    EXPECT_EQ(load(with(qemu_v31(), 5, 6, 4, 0)),
              "IDR5.GRAN4K = 0 with GRAN16K = GRAN64K = 0: no translation granule (6.3.6)");
}

TEST(ConfigIdr, Idr5Res0DsD128StallMax_6_3_6)
{
    EXPECT_EQ(load(with(qemu_v31(), 5, 3, 3, 1)), "IDR5[3] = 1 is RES0 (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 9, 9, 1)), "IDR5[9] = 1 is RES0 (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 15, 12, 4)), "IDR5[15:12] = 0x4 is RES0 (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 7, 7, 1)),
              "IDR5.DS = 1 (52-bit addresses with 4KB/16KB granules) is not modelled (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 8, 8, 1)),
              "IDR5.D128 = 1 (128-bit descriptors) is not modelled (6.3.6)");
    EXPECT_EQ(load(with(qemu_v31(), 5, 31, 16, 8)),
              "IDR5.STALL_MAX = 8 is RES0 when IDR0.STALL_MODEL == 0b01 (6.3.6)");
}

// ---- IIDR (6.3.7), AIDR (6.3.8) ----

TEST(ConfigIdr, IidrFieldsAndImplementerBit7_6_3_7)
{
    Ids x = qemu_v31();
    x.iidr = 0x5A12343Bu;
    smmu_config_t c;
    ASSERT_EQ(load(x, &c), "OK");
    EXPECT_EQ(c.iidr_productid, 0x5A1u);
    EXPECT_EQ(c.iidr_variant, 2u);
    EXPECT_EQ(c.iidr_revision, 3u);
    EXPECT_EQ(c.iidr_implementer, 0x43Bu);
    x.iidr = 0x80;
    EXPECT_EQ(load(x), "IIDR.Implementer = 128 has bit [7] set: bit [7] is always 0 (6.3.7)");
}

TEST(ConfigIdr, AidrRevisions_6_3_8)
{
    Ids x = qemu_v31();
    x.aidr = 4;
    EXPECT_EQ(load(x), "AIDR.ArchMinorRev = 4 (SMMUv3.4) is not modelled: SMMUv3.0-v3.3 only (6.3.8)");
    x.aidr = 5;
    EXPECT_EQ(load(x), "AIDR.ArchMinorRev = 5 is Reserved (6.3.8)");
    x.aidr = 0x11;
    EXPECT_EQ(load(x), "AIDR.ArchMajorRev = 1 is Reserved (6.3.8)");
    x.aidr = 0x101;
    EXPECT_EQ(load(x), "AIDR[31:8] = 0x1 is RES0 (6.3.8)");
}

// ---- smmu_config_check names the configuration field and the register ----

TEST(ConfigIdr, CheckNamesConfigFieldAndRegister_6_3_1)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.ttendian = 1;
    EXPECT_EQ(check(c), "ttendian = 1 (IDR0.TTENDIAN) is Reserved (6.3.1)");
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.atos = 1;
    EXPECT_EQ(check(c), "atos = 1 (IDR0.ATOS) is not modelled (6.3.1)");
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.stall_model = 0;
    c.stall_max = 0;
    EXPECT_EQ(check(c), "stall_max = 0 (IDR5.STALL_MAX) with STALL_MODEL = 0: a Stall model "
                        "needs STALL_MAX >= 1 (6.3.6)");
}

TEST(ConfigIdr, CheckRejectsValuesWiderThanTheirField_6_3)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.sidsize = 64;
    EXPECT_EQ(check(c), "sidsize = 64 (IDR1.SIDSIZE) does not fit in IDR1[5:0] (6.3.2)");
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.iidr_productid = 0x1000;
    EXPECT_EQ(check(c), "iidr_productid = 4096 (IIDR.ProductID) does not fit in IIDR[31:20] (6.3.7)");
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    c.gran4k = 2;
    EXPECT_EQ(check(c), "gran4k = 2 (IDR5.GRAN4K) does not fit in IDR5[4:4] (6.3.6)");
}

} // namespace

namespace {
// 6.3.1, 6.3.6 ([recoverable] configuration): the default keeps the
// Terminate model (STALL_MODEL 0b01, STALL_MAX RES0) with stall_max = 64
// ready for a Stall model; STALL_MODEL 0b00/0b10, ATS and PRI are accepted
// and read back from IDR0/IDR5 exactly.
TEST(ConfigIdr, RecoverableDefaultsAndAcceptedFields_6_3_1_6_3_6)
{
    smmu_config_t c;
    smmu_config_default(&c, SMMU_ARCH_V3_2);
    EXPECT_EQ(c.stall_model, 1u);
    EXPECT_EQ(c.stall_max, 64u);
    EXPECT_EQ(c.ats, 0u);
    EXPECT_EQ(c.pri, 0u);
    Ids x = read_back(c);
    EXPECT_EQ(x.idr[5] >> 16, 0u); // STALL_MAX RES0 with STALL_MODEL == 0b01
    EXPECT_EQ((x.idr[0] >> 24) & 3, 1u);

    c.stall_model = 0;
    c.ats = 1;
    c.pri = 1;
    EXPECT_EQ(check(c), "OK");
    x = read_back(c);
    EXPECT_EQ(x.idr[5] >> 16, 64u);
    EXPECT_EQ(x.idr[0] & 0x03010400u, 0x00010400u); // STALL_MODEL 0b00, PRI [16], ATS [10]

    c.stall_model = 2;
    c.stall_max = 1;
    EXPECT_EQ(check(c), "OK");
    x = read_back(c);
    EXPECT_EQ(x.idr[5] >> 16, 1u);
    EXPECT_EQ((x.idr[0] >> 24) & 3, 2u);
    c.stall_max = 0;
    EXPECT_EQ(check(c), "stall_max = 0 (IDR5.STALL_MAX) with STALL_MODEL = 2: a Stall model "
                        "needs STALL_MAX >= 1 (6.3.6)");
    // With the Terminate model STALL_MAX is not used: 0 is fine.
    c.stall_model = 1;
    EXPECT_EQ(check(c), "OK");
}
} // namespace
